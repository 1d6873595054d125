// panel_plots.cpp — the main time series: the 26 counties' GDP per capita against
// the province, tax flowing to source counties, weak villages, enclave jobs. The
// cursor follows the current step; markers show interventions and enclave events;
// clicking a plot moves the cursor.
#include <imgui.h>

#include <algorithm>
#include <utility>

#include "app.hpp"
#include "colors.hpp"
#include "i18n.hpp"

namespace feidi::viz {

namespace {

// Σ var over the 26 (mountain = true) or the others, per step.
std::vector<double> group_sum(const TraceData& d, const char* var, bool mountain) {
  std::vector<double> out(static_cast<std::size_t>(d.steps), 0.0);
  const int v = d.county.find(var);
  if (v < 0) return out;
  for (int t = 0; t < d.steps; ++t)
    for (std::size_t c = 0; c < d.county_code.size(); ++c)
      if ((d.accelerated[c] != 0) == mountain) out[static_cast<std::size_t>(t)] += d.county.at(v, t, c);
  return out;
}

std::vector<double> enclave_sum(const TraceData& d, const char* var, double scale) {
  std::vector<double> out(static_cast<std::size_t>(d.steps), 0.0);
  const int v = d.enclave.find(var);
  if (v < 0) return out;
  for (int t = 0; t < d.steps; ++t)
    for (std::size_t e = 0; e < d.enclave_name.size(); ++e) out[static_cast<std::size_t>(t)] += d.enclave.at(v, t, e) * scale;
  return out;
}

// A series of trace b placed on the time axis of trace a (by date; NaN where b has no month).
std::vector<double> on_axis_of(const TraceData& a, const TraceData& b, const std::vector<double>& yb) {
  CompareAxis ax;  // a's own axis
  ax.start = a.start;
  ax.steps = std::max(a.steps_total, a.steps);
  return ax.place(yb, b.start.index() - a.start.index());
}

// GDP per capita of the 26 and of the others relative to the province, per step.
std::pair<std::vector<double>, std::vector<double>> gdp_ratios(const TraceData& d) {
  const auto g26 = group_sum(d, "gdp_attributed", true), gr = group_sum(d, "gdp_attributed", false);
  const auto p26 = group_sum(d, "population", true), pr = group_sum(d, "population", false);
  std::vector<double> a(g26.size()), b(g26.size());
  for (std::size_t t = 0; t < g26.size(); ++t) {
    const double prov = (g26[t] + gr[t]) / std::max(1.0, p26[t] + pr[t]);
    a[t] = g26[t] / std::max(1.0, p26[t]) / prov;
    b[t] = gr[t] / std::max(1.0, pr[t]) / prov;
  }
  return {a, b};
}

std::vector<double> scaled(std::vector<double> v, double k) {
  for (auto& x : v) x *= k;
  return v;
}

}  // namespace

void draw_plots(App& app) {
  const auto& d = app.data;
  const int steps = std::max(d.steps_total, d.steps);
  const auto& markers = app.markers;
  // Options: the y axis from zero; the comparison's run (a fork's parent) as ghost lines.
  ImGui::Checkbox(tr("y_from_zero"), &app.plots_from_zero);
  const TraceData* ghost = app.compare && app.plots_ghost ? &*app.compare : nullptr;
  if (app.compare) {
    ImGui::SameLine();
    ImGui::Checkbox(tr("ghost_compare"), &app.plots_ghost);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("ghost_compare_tip"));
  }
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 cell((avail.x - ImGui::GetStyle().ItemSpacing.x) * 0.5f,
                    (avail.y - ImGui::GetStyle().ItemSpacing.y) * 0.5f);
  int clicked = -1;
  auto spec = [&](const char* title) {
    PlotSpec s;
    s.title = tr(title);
    s.start = d.start;
    s.steps = steps;
    s.cursor = app.has_data() ? app.cursor : -1;
    s.markers = markers;
    s.size = cell;
    s.from_zero = app.plots_from_zero;
    return s;
  };
  // A ghost: the same series of the comparison's run, dashed and faint, on this axis.
  auto add_ghost = [&](PlotSpec& s, const std::vector<double>& y, int colour) {
    if (!ghost) return;
    const ImVec4 c = ImGui::ColorConvertU32ToFloat4(palette(colour));
    s.series.push_back({std::string(tr("ghost")) + " " + ghost->scenario, on_axis_of(d, *ghost, y),
                        ImGui::ColorConvertFloat4ToU32(ImVec4(c.x, c.y, c.z, 0.55f)), true, 1.4f});
  };
  int plotted = 0;
  app.plotted.clear();
  auto keep = [&](const PlotSpec& s) {  // for the CSV export
    for (const auto& ser : s.series) app.plotted.push_back({s.title, ser.label, s.start, ser.y});
  };
  // 1. GDP per capita relative to the province: the 26 vs the rest (+ selected county).
  {
    PlotSpec s = spec("plot_gdp_ratio");
    const auto [a, b] = gdp_ratios(d);
    s.series.push_back({tr("mountain26"), a, palette(0)});
    s.series.push_back({tr("others"), b, palette(1)});
    if (ghost) add_ghost(s, gdp_ratios(*ghost).first, 0);
    // The selected county: a wide line in a colour of its own (the cursor is red).
    if (app.selected_county >= 0)
      s.series.push_back({app.county_label(app.selected_county), county_series(d, "gdp_per_capita_ratio", app.selected_county),
                          kSelectedColour, false, 2.8f});
    plotted += static_cast<int>(s.series.size());
    keep(s);
    draw_plot("gdp", s, &clicked);
  }
  ImGui::SameLine();
  {
    PlotSpec s = spec("plot_tax");
    s.series.push_back({tr("flow_tax"), scaled(province_series(d, "tax_to_source"), 1e-8), palette(2)});
    if (ghost) add_ghost(s, scaled(province_series(*ghost, "tax_to_source"), 1e-8), 2);
    plotted += static_cast<int>(s.series.size());
    keep(s);
    draw_plot("tax", s, &clicked);
  }
  {
    PlotSpec s = spec("plot_weak");
    s.series.push_back({tr("mountain26"), group_sum(d, "weak_villages", true), palette(0)});
    s.series.push_back({tr("others"), group_sum(d, "weak_villages", false), palette(1)});
    if (ghost) add_ghost(s, group_sum(*ghost, "weak_villages", true), 0);
    if (app.selected_county >= 0)
      s.series.push_back({app.county_label(app.selected_county), county_series(d, "weak_villages", app.selected_county),
                          kSelectedColour, false, 2.8f});
    s.value_format = "%.0f";
    plotted += static_cast<int>(s.series.size());
    keep(s);
    draw_plot("weak", s, &clicked);
  }
  ImGui::SameLine();
  {
    PlotSpec s = spec("plot_jobs");
    s.series.push_back({tr("all_enclave_jobs"), enclave_sum(d, "employment", 1e-3), palette(4)});
    s.series.push_back({tr("from_source"), enclave_sum(d, "employment_from_source", 1e-3), palette(5)});
    if (ghost) add_ghost(s, enclave_sum(*ghost, "employment", 1e-3), 4);
    plotted += static_cast<int>(s.series.size());
    keep(s);
    draw_plot("jobs", s, &clicked);
  }
  app.plots_drawn = PlotsDrawn{plotted, app.plots_from_zero, ghost != nullptr};
  if (clicked >= 0 && clicked <= app.last_step()) {
    app.cursor = clicked;
    app.at_live = clicked == app.last_step();
  }
}

}  // namespace feidi::viz
