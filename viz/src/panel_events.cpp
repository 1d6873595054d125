// panel_events.cpp — the event log up to the cursor, newest first: events of one month,
// kind and place are one row with their count (event_index), filtered by kind and by a
// search text; clicking a row moves the cursor to its month and selects its park or county.
#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <string>
#include <vector>

#include "app.hpp"
#include "i18n.hpp"

namespace feidi::viz {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// Where a group happened, in words.
std::string place(const App& app, const EventGroup& g) {
  const auto& d = app.data;
  const std::string& kind = d.event_kinds[static_cast<std::size_t>(g.kind)];
  if (about_enclave(kind)) return g.subject >= 0 && g.subject < static_cast<int>(d.enclave_name.size()) ? app.enclave_label(g.subject) : "?";
  if (kind == "leader_turnover") return app.county_label(g.subject);
  std::string s = g.from >= 0 ? app.county_label(g.from) : "";
  if (g.to >= 0) s += std::string(" → ") + app.county_label(g.to);
  return s;
}

}  // namespace

void draw_events(App& app) {
  const auto& d = app.data;
  const auto& index = app.events;
  static std::vector<char> show;  // per kind
  char search[128];
  std::snprintf(search, sizeof search, "%s", app.event_search.c_str());
  if (show.size() != d.event_kinds.size()) {
    show.assign(d.event_kinds.size(), 1);
    for (std::size_t k = 0; k < d.event_kinds.size(); ++k)
      if (d.event_kinds[k] == "person_migration") show[k] = 0;  // tens of thousands: off by default
  }
  // Counts up to the cursor, and the filter.
  for (std::size_t k = 0; k < d.event_kinds.size(); ++k) {
    char label[96];
    std::snprintf(label, sizeof label, "%s (%lld)", event_kind_name(d.event_kinds[k]),
                  static_cast<long long>(index.count_up_to(static_cast<int>(k), app.cursor)));
    bool on = show[k] != 0;
    if (ImGui::Checkbox(label, &on)) show[k] = on;
    if ((k + 1) % 4 != 0 && k + 1 < d.event_kinds.size()) ImGui::SameLine();
  }
  ImGui::SetNextItemWidth(260);
  if (ImGui::InputTextWithHint("##search", tr("search_events"), search, sizeof search)) app.event_search = search;
  const std::string query = lower(search);
  ImGui::Separator();
  // Rows: groups of months ≤ cursor, newest first.
  std::vector<std::size_t> rows;
  std::int64_t shown_events = 0;
  const auto& groups = index.groups();
  for (std::size_t i = index.groups_up_to(app.cursor); i-- > 0;) {
    const auto& g = groups[i];
    if (g.kind < 0 || g.kind >= static_cast<int>(show.size()) || !show[static_cast<std::size_t>(g.kind)]) continue;
    if (!query.empty()) {
      const std::string text = lower(std::string(event_kind_name(d.event_kinds[static_cast<std::size_t>(g.kind)])) + " " +
                                     d.event_kinds[static_cast<std::size_t>(g.kind)] + " " + place(app, g) + " " +
                                     d.month(g.step).str());
      if (text.find(query) == std::string::npos) continue;
    }
    rows.push_back(i);
    shown_events += g.count;
  }
  app.events_drawn = EventsDrawn{static_cast<int>(rows.size()), shown_events, query};
  ImGui::TextDisabled("%zu %s, %lld %s", rows.size(), tr("rows"), static_cast<long long>(shown_events), tr("events_word"));
  if (!ImGui::BeginTable("events", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(tr("month"), ImGuiTableColumnFlags_WidthFixed, 60);
  ImGui::TableSetupColumn(tr("kind"), ImGuiTableColumnFlags_WidthFixed, 130);
  ImGui::TableSetupColumn(tr("where"));
  ImGui::TableSetupColumn(tr("count"), ImGuiTableColumnFlags_WidthFixed, 60);
  ImGui::TableSetupColumn(tr("value"), ImGuiTableColumnFlags_WidthFixed, 80);
  ImGui::TableHeadersRow();
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(rows.size()));
  while (clip.Step())
    for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
      const auto& g = groups[rows[static_cast<std::size_t>(r)]];
      const std::string& kind = d.event_kinds[static_cast<std::size_t>(g.kind)];
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::PushID(r);
      // The whole row is one click target: jump to its month and select its park or county.
      if (ImGui::Selectable(d.month(g.step).str().c_str(), false, ImGuiSelectableFlags_SpanAllColumns)) {
        app.cursor = g.step;
        app.at_live = false;
        if (about_enclave(kind) && g.subject >= 0 && g.subject < static_cast<int>(d.enclave_name.size())) {
          app.selected_enclave = g.subject;
          app.selected_county = d.enclave_source[static_cast<std::size_t>(g.subject)];
        } else if (kind == "leader_turnover") {
          app.selected_county = g.subject;
        } else if (g.from >= 0) {
          app.selected_county = g.from;
        }
      }
      ImGui::PopID();
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(event_kind_name(kind));
      ImGui::TableSetColumnIndex(2);
      ImGui::TextUnformatted(place(app, g).c_str());
      ImGui::TableSetColumnIndex(3);
      ImGui::Text("%lld", static_cast<long long>(g.count));
      ImGui::TableSetColumnIndex(4);
      ImGui::Text("%.4g", g.value);
    }
  ImGui::EndTable();
}

}  // namespace feidi::viz
