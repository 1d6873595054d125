// panel_plots.cpp — the main time series: the 26 counties' GDP per capita against
// the province, tax flowing to source counties, weak villages, enclave jobs. The
// cursor follows the current step; markers show interventions and enclave events;
// clicking a plot moves the cursor.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <utility>

#include "app.hpp"
#include "colors.hpp"
#include "i18n.hpp"
#include "units.hpp"

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

namespace {

// The options row: what to plot (the overview or one county variable, and for which
// counties), the months shown, the y axis from zero, the comparison as ghost lines.
void draw_plot_options(App& app) {
  const auto& d = app.data;
  const int steps = std::max(d.steps_total, d.steps);
  ImGui::SetNextItemWidth(190);
  const std::string shown = app.plot_variable.empty() ? std::string(tr("plots_overview"))
                                                      : variable_label(app.plot_variable);
  if (ImGui::BeginCombo("##plotvar", shown.c_str())) {
    if (ImGui::Selectable(tr("plots_overview"), app.plot_variable.empty())) app.plot_variable.clear();
    for (std::size_t v = 0; v < d.county.names.size(); ++v) {
      const std::string& name = d.county.names[v];
      if (ImGui::Selectable((variable_label(name, d.county.long_names[v]) + "##" + name).c_str(), name == app.plot_variable))
        app.plot_variable = name;
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("plot_variable_tip"));
  if (!app.plot_variable.empty()) {
    ImGui::SameLine();
    char label[64];
    std::snprintf(label, sizeof label, "%s (%zu)###counties", tr("plot_counties"), app.plot_counties.size());
    if (ImGui::Button(label)) ImGui::OpenPopup("counties");
    if (ImGui::BeginPopup("counties")) {
      if (ImGui::SmallButton(tr("clear"))) app.plot_counties.clear();
      for (int group = 0; group < 2; ++group) {
        ImGui::TextDisabled("%s", tr(group == 0 ? "mountain26" : "others"));
        int shown_in_row = 0;
        for (std::size_t c = 0; c < d.county_code.size(); ++c) {
          if ((d.accelerated[c] != 0) != (group == 0)) continue;
          const int ci = static_cast<int>(c);
          bool on = std::find(app.plot_counties.begin(), app.plot_counties.end(), ci) != app.plot_counties.end();
          if (shown_in_row++ % 6) ImGui::SameLine(0, 4);
          if (ImGui::Checkbox((std::string(app.county_label(ci)) + "##pc" + std::to_string(c)).c_str(), &on)) {
            if (on) app.plot_counties.push_back(ci);
            else std::erase(app.plot_counties, ci);
          }
        }
      }
      ImGui::EndPopup();
    }
  }
  // The months shown: two sliders labelled with their month, and the whole run.
  ImGui::SameLine();
  auto [t0, t1] = app.plot_window.bounds(steps);
  const std::string m0 = d.month(t0).str(), m1 = d.month(t1).str();
  ImGui::SetNextItemWidth(80);
  bool moved = ImGui::SliderInt("##t0", &t0, 0, std::max(0, steps - 1), m0.c_str());
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("time_window_tip"));
  ImGui::SameLine(0, 2);
  ImGui::TextUnformatted("–");
  ImGui::SameLine(0, 2);
  ImGui::SetNextItemWidth(80);
  moved = ImGui::SliderInt("##t1", &t1, 0, std::max(0, steps - 1), m1.c_str()) || moved;
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("time_window_tip"));
  if (moved) {
    t0 = std::clamp(t0, 0, std::max(0, steps - 1));
    t1 = std::clamp(t1, t0, std::max(0, steps - 1));
    app.plot_window = (t0 == 0 && t1 == steps - 1) ? TimeWindow{} : TimeWindow{t0, t1};
  }
  if (!app.plot_window.whole()) {
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("whole_run"))) app.plot_window = {};
  }
  ImGui::SameLine();
  ImGui::Checkbox(tr("y_from_zero"), &app.plots_from_zero);
  if (app.compare) {
    ImGui::SameLine();
    ImGui::Checkbox(tr("ghost_compare"), &app.plots_ghost);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("ghost_compare_tip"));
  }
}

// Mean of a county variable over the 26 (mountain = true) or the others, per step
// (unweighted: a reference line for the chosen counties).
std::vector<double> group_mean(const TraceData& d, int v, bool mountain) {
  std::vector<double> out(static_cast<std::size_t>(d.steps), 0.0);
  std::size_t members = 0;
  for (std::size_t c = 0; c < d.county_code.size(); ++c)
    if ((d.accelerated[c] != 0) == mountain) ++members;
  if (members == 0) return {};
  for (int t = 0; t < d.steps; ++t) {
    double sum = 0;
    for (std::size_t c = 0; c < d.county_code.size(); ++c)
      if ((d.accelerated[c] != 0) == mountain) sum += d.county.at(v, t, c);
    out[static_cast<std::size_t>(t)] = sum / static_cast<double>(members);
  }
  return out;
}

}  // namespace

void draw_plots(App& app) {
  const auto& d = app.data;
  const int steps = std::max(d.steps_total, d.steps);
  const auto& markers = app.markers;
  draw_plot_options(app);
  const TraceData* ghost = app.compare && app.plots_ghost ? &*app.compare : nullptr;
  const auto [shown_t0, shown_t1] = app.plot_window.bounds(steps);
  int clicked = -1;
  app.plotted.clear();
  auto spec = [&](const std::string& title, ImVec2 size) {
    PlotSpec s;
    s.title = title;
    s.start = d.start;
    s.steps = steps;
    s.cursor = app.has_data() ? app.cursor : -1;
    s.markers = markers;
    s.size = size;
    s.from_zero = app.plots_from_zero;
    s.window = app.plot_window;
    return s;
  };
  auto keep = [&](const PlotSpec& s) {  // for the CSV export
    for (const auto& ser : s.series) app.plotted.push_back({s.title, ser.label, s.start, ser.y});
  };
  auto take_click = [&] {  // a click in a plot moves the cursor
    if (clicked < 0 || clicked > app.last_step()) return;
    app.cursor = clicked;
    app.at_live = clicked == app.last_step();
  };
  // A chosen county variable: one plot of it for the chosen counties and the selected one,
  // with the mean of the 26 and of the others for reference.
  if (const int v = d.county.find(app.plot_variable); v >= 0) {
    const std::string& units = d.county.units[static_cast<std::size_t>(v)];
    const bool share = is_share(app.plot_variable);
    std::string title = variable_label(app.plot_variable, d.county.long_names[static_cast<std::size_t>(v)]);
    if (const std::string u = units_label(units, share); !u.empty() && u != "%") title += " (" + u + ")";
    PlotSpec s = spec(title, ImGui::GetContentRegionAvail());
    s.units = units;
    s.share = share;
    s.series.push_back({std::string(tr("mountain26")) + " " + tr("mean"), group_mean(d, v, true), palette(0), true, 1.4f});
    s.series.push_back({std::string(tr("others")) + " " + tr("mean"), group_mean(d, v, false), palette(1), true, 1.4f});
    std::vector<int> codes;
    int colour = 2;
    for (int c : app.plot_counties) {
      if (c == app.selected_county || c < 0 || static_cast<std::size_t>(c) >= d.county_code.size()) continue;
      s.series.push_back({app.county_label(c), county_series(d, app.plot_variable.c_str(), c), palette(colour++)});
      codes.push_back(d.county_code[static_cast<std::size_t>(c)]);
    }
    if (ghost && app.selected_county >= 0)
      if (const int gv = ghost->county.find(app.plot_variable); gv >= 0) {
        const int gc = ghost->county_index(d.county_code[static_cast<std::size_t>(app.selected_county)]);
        if (gc >= 0)
          s.series.push_back({std::string(tr("ghost")) + " " + ghost->scenario,
                              on_axis_of(d, *ghost, county_series(*ghost, app.plot_variable.c_str(), gc)),
                              IM_COL32(250, 215, 70, 140), true, 1.4f});
      }
    if (app.selected_county >= 0) {
      s.series.push_back({app.county_label(app.selected_county), county_series(d, app.plot_variable.c_str(), app.selected_county),
                          kSelectedColour, false, 2.8f});
      codes.push_back(d.county_code[static_cast<std::size_t>(app.selected_county)]);
    }
    keep(s);
    draw_plot("chosen", s, &clicked, &app.plot_window);
    app.plots_drawn = PlotsDrawn{static_cast<int>(s.series.size()), app.plots_from_zero, ghost != nullptr, app.plot_variable,
                                 codes, shown_t0, shown_t1};
    take_click();
    return;
  }
  // The overview: four plots, two by two.
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 cell((avail.x - ImGui::GetStyle().ItemSpacing.x) * 0.5f,
                    (avail.y - ImGui::GetStyle().ItemSpacing.y) * 0.5f);
  // A ghost: the same series of the comparison's run, dashed and faint, on this axis.
  auto add_ghost = [&](PlotSpec& s, const std::vector<double>& y, int colour) {
    if (!ghost) return;
    const ImVec4 c = ImGui::ColorConvertU32ToFloat4(palette(colour));
    s.series.push_back({std::string(tr("ghost")) + " " + ghost->scenario, on_axis_of(d, *ghost, y),
                        ImGui::ColorConvertFloat4ToU32(ImVec4(c.x, c.y, c.z, 0.55f)), true, 1.4f});
  };
  int plotted = 0;
  // 1. GDP per capita relative to the province: the 26 vs the rest (+ selected county).
  {
    PlotSpec s = spec(tr("plot_gdp_ratio"), cell);
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
    draw_plot("gdp", s, &clicked, &app.plot_window);
  }
  ImGui::SameLine();
  {
    PlotSpec s = spec(tr("plot_tax"), cell);
    s.series.push_back({tr("flow_tax"), scaled(province_series(d, "tax_to_source"), 1e-8), palette(2)});
    if (ghost) add_ghost(s, scaled(province_series(*ghost, "tax_to_source"), 1e-8), 2);
    plotted += static_cast<int>(s.series.size());
    keep(s);
    draw_plot("tax", s, &clicked, &app.plot_window);
  }
  {
    PlotSpec s = spec(tr("plot_weak"), cell);
    s.series.push_back({tr("mountain26"), group_sum(d, "weak_villages", true), palette(0)});
    s.series.push_back({tr("others"), group_sum(d, "weak_villages", false), palette(1)});
    if (ghost) add_ghost(s, group_sum(*ghost, "weak_villages", true), 0);
    if (app.selected_county >= 0)
      s.series.push_back({app.county_label(app.selected_county), county_series(d, "weak_villages", app.selected_county),
                          kSelectedColour, false, 2.8f});
    s.value_format = "%.0f";
    plotted += static_cast<int>(s.series.size());
    keep(s);
    draw_plot("weak", s, &clicked, &app.plot_window);
  }
  ImGui::SameLine();
  {
    PlotSpec s = spec(tr("plot_jobs"), cell);
    s.series.push_back({tr("all_enclave_jobs"), enclave_sum(d, "employment", 1e-3), palette(4)});
    s.series.push_back({tr("from_source"), enclave_sum(d, "employment_from_source", 1e-3), palette(5)});
    if (ghost) add_ghost(s, enclave_sum(*ghost, "employment", 1e-3), 4);
    plotted += static_cast<int>(s.series.size());
    keep(s);
    draw_plot("jobs", s, &clicked, &app.plot_window);
  }
  app.plots_drawn = PlotsDrawn{plotted, app.plots_from_zero, ghost != nullptr, "", {}, shown_t0, shown_t1};
  take_click();
}

}  // namespace feidi::viz
