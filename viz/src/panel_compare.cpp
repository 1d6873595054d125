// panel_compare.cpp — scenario comparison: open a second trace and plot a provincial
// variable of both (overlay) and their difference.
#include <imgui.h>

#include <algorithm>

#include "app.hpp"
#include "colors.hpp"
#include "i18n.hpp"

namespace feidi::viz {

void draw_compare(App& app) {
  ImGui::SetNextItemWidth(std::max(200.0f, ImGui::GetContentRegionAvail().x - 90));
  ImGui::InputTextWithHint("##path", tr("second_trace"), app.compare_path, sizeof app.compare_path);
  ImGui::SameLine();
  if (ImGui::Button(tr("open"))) app.open_compare(app.compare_path);
  if (!app.compare_error.empty()) ImGui::TextColored(ImVec4(1, 0.4f, 0.4f, 1), "%s", app.compare_error.c_str());
  if (!app.compare) {
    ImGui::TextDisabled("%s", tr("no_compare"));
    return;
  }
  const auto& a = app.data;
  const auto& b = *app.compare;
  static int var = -1;
  if (var < 0) var = std::max(0, a.province.find("gdp_per_capita_ratio_26"));
  ImGui::SetNextItemWidth(260);
  if (ImGui::BeginCombo(tr("province_variable"), a.province.names[static_cast<std::size_t>(var)].c_str())) {
    for (std::size_t v = 0; v < a.province.names.size(); ++v)
      if (ImGui::Selectable(a.province.names[v].c_str(), static_cast<int>(v) == var)) var = static_cast<int>(v);
    ImGui::EndCombo();
  }
  const std::string name = a.province.names[static_cast<std::size_t>(var)];
  const auto ya = province_series(a, name.c_str()), yb = province_series(b, name.c_str());
  const int steps = std::max({a.steps_total, b.steps_total, a.steps, b.steps});
  const float h = (ImGui::GetContentRegionAvail().y - ImGui::GetStyle().ItemSpacing.y) * 0.5f;
  PlotSpec s;
  s.title = std::string(tr("overlay")) + ": " + name;
  s.start = a.start;
  s.steps = steps;
  s.cursor = app.cursor;
  s.size = ImVec2(0, h);
  s.series.push_back({"A " + a.scenario, ya, palette(0)});
  s.series.push_back({"B " + b.scenario, yb, palette(1)});
  int clicked = -1;
  draw_plot("overlay", s, &clicked);
  PlotSpec diff = s;
  diff.title = std::string(tr("difference")) + ": " + name;
  diff.series.clear();
  std::vector<double> dy(std::min(ya.size(), yb.size()));
  for (std::size_t t = 0; t < dy.size(); ++t) dy[t] = ya[t] - yb[t];
  diff.series.push_back({"A − B", dy, palette(3)});
  diff.zero_line = true;
  draw_plot("diff", diff, &clicked);
  if (clicked >= 0 && clicked <= app.last_step()) app.cursor = clicked;
}

}  // namespace feidi::viz
