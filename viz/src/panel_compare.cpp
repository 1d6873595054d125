// panel_compare.cpp — scenario comparison: open a second trace and plot a provincial
// variable of both (overlay) and their difference.
#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app.hpp"
#include "colors.hpp"
#include "i18n.hpp"
#include "units.hpp"

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
  auto label_of = [&](std::size_t v) {
    return variable_label(a.province.names[v], v < a.province.long_names.size() ? a.province.long_names[v] : "");
  };
  if (ImGui::BeginCombo(tr("province_variable"), label_of(static_cast<std::size_t>(var)).c_str())) {
    for (std::size_t v = 0; v < a.province.names.size(); ++v) {
      if (ImGui::Selectable(label_of(v).c_str(), static_cast<int>(v) == var)) var = static_cast<int>(v);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s [%s]", a.province.names[v].c_str(), a.province.units[v].c_str());
    }
    ImGui::EndCombo();
  }
  const std::string name = a.province.names[static_cast<std::size_t>(var)];
  const std::string label = label_of(static_cast<std::size_t>(var));
  // Both traces on one time axis by date: a branch and its parent share their history, and
  // runs that start in different months line up by month, not by step.
  const CompareAxis ax = compare_axis(a, b);
  const auto ya = ax.place(province_series(a, name.c_str()), ax.offset_a),
             yb = ax.place(province_series(b, name.c_str()), ax.offset_b);
  const float h = (ImGui::GetContentRegionAvail().y - ImGui::GetStyle().ItemSpacing.y) * 0.5f;
  PlotSpec s;
  s.title = std::string(tr("overlay")) + ": " + label;
  s.units = a.province.units[static_cast<std::size_t>(var)];
  s.share = is_share(name);
  s.start = ax.start;
  s.steps = ax.steps;
  s.cursor = app.cursor + ax.offset_a;
  s.size = ImVec2(0, h);
  // A fork or branch is named by the month it leaves its parent.
  s.series.push_back({"A " + a.scenario + (a.parent_month.empty() ? "" : " · " + std::string(tr("fork_of")) + " " + a.parent_month),
                      ya, palette(0)});
  s.series.push_back({"B " + b.scenario, yb, palette(1)});
  if (!a.parent_month.empty()) {  // a fork or branch: mark where it leaves its parent
    const auto pm = YearMonth::parse(a.parent_month);
    if (pm) s.markers.push_back({pm->index() - ax.start.index(), palette(3), std::string(tr("fork_of")) + " " + a.parent_month});
  }
  int clicked = -1;
  draw_plot("overlay", s, &clicked);
  PlotSpec diff = s;
  diff.title = std::string(tr("difference")) + ": " + label;
  diff.series.clear();
  std::vector<double> dy(ya.size());
  for (std::size_t t = 0; t < dy.size(); ++t) dy[t] = ya[t] - yb[t];  // NaN where either has no month
  diff.series.push_back({"A − B", dy, palette(3)});
  diff.zero_line = true;
  draw_plot("diff", diff, &clicked);
  const int t = clicked - ax.offset_a;
  if (clicked >= 0 && t >= 0 && t <= app.last_step()) app.cursor = t;
  app.compare_drawn = CompareDrawn{ax.start.str(), ax.steps, ax.offset_a, ax.offset_b, name};
}

CompareAxis compare_axis(const TraceData& a, const TraceData& b) {
  const int ia = a.start.index(), ib = b.start.index(), first = std::min(ia, ib);
  const int la = std::max(a.steps_total, a.steps), lb = std::max(b.steps_total, b.steps);
  CompareAxis ax;
  ax.start = YearMonth::from_index(first);
  ax.offset_a = ia - first;
  ax.offset_b = ib - first;
  ax.steps = std::max(ax.offset_a + la, ax.offset_b + lb);
  return ax;
}

std::vector<double> CompareAxis::place(const std::vector<double>& y, int offset) const {
  std::vector<double> out(static_cast<std::size_t>(std::max(0, steps)), std::nan(""));
  for (std::size_t t = 0; t < y.size(); ++t) {
    const long at = offset + static_cast<long>(t);
    if (at >= 0 && at < steps) out[static_cast<std::size_t>(at)] = y[t];
  }
  return out;
}

}  // namespace feidi::viz
