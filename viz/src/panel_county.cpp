// panel_county.cpp — the county inspector: pick a county (here or on the map) to
// see its facts, every indicator at the current step and small plots over time.
#include <imgui.h>

#include <cstdio>

#include "app.hpp"
#include "colors.hpp"
#include "i18n.hpp"
#include "units.hpp"

namespace feidi::viz {

void draw_county(App& app) {
  const auto& d = app.data;
  const int n = static_cast<int>(d.county_code.size());
  if (n == 0) return;
  if (app.selected_county < 0) app.selected_county = d.county_index(330727);  // 磐安 by default
  if (app.selected_county < 0) app.selected_county = 0;
  ImGui::SetNextItemWidth(220);
  if (ImGui::BeginCombo(tr("select_county"), app.county_label(app.selected_county))) {
    for (int c = 0; c < n; ++c) {
      char label[96];
      std::snprintf(label, sizeof label, "%s %s%s", app.county_label(c), d.accelerated[static_cast<std::size_t>(c)] ? "★" : "",
                    "");
      if (ImGui::Selectable(label, c == app.selected_county)) app.selected_county = c;
    }
    ImGui::EndCombo();
  }
  const auto c = static_cast<std::size_t>(app.selected_county);
  ImGui::SameLine();
  ImGui::Text("%d  %s: %s  %s %s", d.county_code[c], tr("prefecture"), d.prefecture[c].c_str(),
              d.accelerated[c] ? tr("accelerated") : "", d.eco_function[c] ? tr("eco_function") : "");
  if (!app.has_data()) return;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  // Values at the cursor.
  ImGui::BeginChild("values", ImVec2(avail.x * 0.42f, avail.y), true);
  if (ImGui::BeginTable("vals", 2, ImGuiTableFlags_RowBg | ImGuiTableFlags_SizingStretchProp)) {
    for (std::size_t v = 0; v < d.county.names.size(); ++v) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextUnformatted(variable_label(d.county.names[v], d.county.long_names[v]).c_str());
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s\n%s [%s]", d.county.names[v].c_str(), d.county.long_names[v].c_str(), d.county.units[v].c_str());
      ImGui::TableSetColumnIndex(1);
      ImGui::TextUnformatted(format_quantity(d.county.at(static_cast<int>(v), app.cursor, c), d.county.units[v],
                                             is_share(d.county.names[v])).c_str());
    }
    ImGui::EndTable();
  }
  ImGui::EndChild();
  ImGui::SameLine();
  // Small plots over time.
  ImGui::BeginChild("plots");
  const float h = (ImGui::GetContentRegionAvail().y - 3 * ImGui::GetStyle().ItemSpacing.y) / 3;
  const char* vars[] = {"gdp_per_capita_ratio", "population", "fiscal_revenue"};
  for (int k = 0; k < 3; ++k) {
    PlotSpec s;
    const int vi = d.county.find(vars[k]);
    s.title = variable_label(vars[k]);
    if (vi >= 0) s.units = d.county.units[static_cast<std::size_t>(vi)];
    s.start = d.start;
    s.steps = std::max(d.steps_total, d.steps);
    s.cursor = app.cursor;
    s.size = ImVec2(0, h);
    s.series.push_back({app.county_label(app.selected_county), county_series(d, vars[k], app.selected_county), palette(k)});
    int clicked = -1;
    draw_plot(vars[k], s, &clicked);
    if (clicked >= 0 && clicked <= app.last_step()) app.cursor = clicked;
  }
  ImGui::EndChild();
}

}  // namespace feidi::viz
