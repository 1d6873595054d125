// panel_plots.cpp — the main time series: the 26 counties' GDP per capita against
// the province, tax flowing to source counties, weak villages, enclave jobs. The
// cursor follows the current step; markers show interventions and enclave events;
// clicking a plot moves the cursor.
#include <imgui.h>

#include <algorithm>

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

}  // namespace

void draw_plots(App& app) {
  const auto& d = app.data;
  const int steps = std::max(d.steps_total, d.steps);
  const auto& markers = app.markers;
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
    return s;
  };
  // 1. GDP per capita relative to the province: the 26 vs the rest (+ selected county).
  {
    PlotSpec s = spec("plot_gdp_ratio");
    const auto g26 = group_sum(d, "gdp_attributed", true), gr = group_sum(d, "gdp_attributed", false);
    const auto p26 = group_sum(d, "population", true), pr = group_sum(d, "population", false);
    std::vector<double> a(g26.size()), b(g26.size());
    for (std::size_t t = 0; t < g26.size(); ++t) {
      const double prov = (g26[t] + gr[t]) / std::max(1.0, p26[t] + pr[t]);
      a[t] = g26[t] / std::max(1.0, p26[t]) / prov;
      b[t] = gr[t] / std::max(1.0, pr[t]) / prov;
    }
    s.series.push_back({tr("mountain26"), a, palette(0)});
    s.series.push_back({tr("others"), b, palette(1)});
    if (app.selected_county >= 0)
      s.series.push_back({app.county_label(app.selected_county), county_series(d, "gdp_per_capita_ratio", app.selected_county),
                          palette(3), true});
    draw_plot("gdp", s, &clicked);
  }
  ImGui::SameLine();
  {
    PlotSpec s = spec("plot_tax");
    auto tax = province_series(d, "tax_to_source");
    for (auto& v : tax) v /= 1e8;
    s.series.push_back({tr("flow_tax"), tax, palette(2)});
    draw_plot("tax", s, &clicked);
  }
  {
    PlotSpec s = spec("plot_weak");
    s.series.push_back({tr("mountain26"), group_sum(d, "weak_villages", true), palette(0)});
    s.series.push_back({tr("others"), group_sum(d, "weak_villages", false), palette(1)});
    s.value_format = "%.0f";
    draw_plot("weak", s, &clicked);
  }
  ImGui::SameLine();
  {
    PlotSpec s = spec("plot_jobs");
    s.series.push_back({tr("all_enclave_jobs"), enclave_sum(d, "employment", 1e-3), palette(4)});
    s.series.push_back({tr("from_source"), enclave_sum(d, "employment_from_source", 1e-3), palette(5)});
    draw_plot("jobs", s, &clicked);
  }
  if (clicked >= 0 && clicked <= app.last_step()) {
    app.cursor = clicked;
    app.at_live = clicked == app.last_step();
  }
}

}  // namespace feidi::viz
