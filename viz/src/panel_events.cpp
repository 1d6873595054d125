// panel_events.cpp — the event log up to the cursor, newest first, filtered by kind.
#include <imgui.h>

#include <cstdio>
#include <string>
#include <vector>

#include "app.hpp"
#include "i18n.hpp"

namespace feidi::viz {

void draw_events(App& app) {
  const auto& d = app.data;
  static std::vector<char> show;  // per kind
  if (show.size() != d.event_kinds.size()) {
    show.assign(d.event_kinds.size(), 1);
    for (std::size_t k = 0; k < d.event_kinds.size(); ++k)
      if (d.event_kinds[k] == "person_migration") show[k] = 0;  // tens of thousands: off by default
  }
  // Counts up to the cursor, and the filter.
  std::vector<int> counts(d.event_kinds.size(), 0);
  for (const auto& ev : d.events)
    if (ev.step <= app.cursor && ev.kind >= 0 && ev.kind < static_cast<int>(counts.size())) ++counts[ev.kind];
  for (std::size_t k = 0; k < d.event_kinds.size(); ++k) {
    char label[96];
    std::snprintf(label, sizeof label, "%s (%d)", event_kind_name(d.event_kinds[k]), counts[k]);
    bool on = show[k] != 0;
    if (ImGui::Checkbox(label, &on)) show[k] = on;
    if ((k + 1) % 4 != 0 && k + 1 < d.event_kinds.size()) ImGui::SameLine();
  }
  ImGui::Separator();
  std::vector<std::size_t> rows;
  for (std::size_t i = d.events.size(); i-- > 0;) {
    const auto& ev = d.events[i];
    if (ev.step > app.cursor) continue;
    if (ev.kind < 0 || ev.kind >= static_cast<int>(show.size()) || !show[static_cast<std::size_t>(ev.kind)]) continue;
    rows.push_back(i);
  }
  if (!ImGui::BeginTable("events", 5, ImGuiTableFlags_RowBg | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingStretchProp))
    return;
  ImGui::TableSetupScrollFreeze(0, 1);
  ImGui::TableSetupColumn(tr("month"), ImGuiTableColumnFlags_WidthFixed, 60);
  ImGui::TableSetupColumn(tr("kind"), ImGuiTableColumnFlags_WidthFixed, 130);
  ImGui::TableSetupColumn(tr("name"));
  ImGui::TableSetupColumn("→", ImGuiTableColumnFlags_WidthFixed, 150);
  ImGui::TableSetupColumn(tr("value"), ImGuiTableColumnFlags_WidthFixed, 80);
  ImGui::TableHeadersRow();
  ImGuiListClipper clip;
  clip.Begin(static_cast<int>(rows.size()));
  while (clip.Step())
    for (int r = clip.DisplayStart; r < clip.DisplayEnd; ++r) {
      const auto& ev = d.events[rows[static_cast<std::size_t>(r)]];
      const std::string& kind = d.event_kinds[static_cast<std::size_t>(ev.kind)];
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextUnformatted(d.month(ev.step).str().c_str());
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(event_kind_name(kind));
      ImGui::TableSetColumnIndex(2);
      const bool about_enclave = kind.rfind("enclave_", 0) == 0 || kind == "renegotiation" || kind == "missed_payment";
      if (about_enclave && ev.subject >= 0 && ev.subject < static_cast<int>(d.enclave_name.size()))
        ImGui::TextUnformatted(app.enclave_label(ev.subject).c_str());
      else if (kind == "leader_turnover")
        ImGui::TextUnformatted(app.county_label(ev.subject));
      else
        ImGui::Text("#%d", ev.subject);
      ImGui::TableSetColumnIndex(3);
      if (ev.from >= 0 || ev.to >= 0)
        ImGui::Text("%s → %s", ev.from >= 0 ? app.county_label(ev.from) : "", ev.to >= 0 ? app.county_label(ev.to) : "");
      ImGui::TableSetColumnIndex(4);
      ImGui::Text("%.4g", ev.value);
    }
  ImGui::EndTable();
}

}  // namespace feidi::viz
