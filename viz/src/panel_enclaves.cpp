// panel_enclaves.cpp — a sortable table of the enclave parks at the current step;
// clicking a row selects the park (highlighted on the map).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "app.hpp"
#include "plot.hpp"
#include "colors.hpp"
#include "i18n.hpp"
#include "units.hpp"

namespace feidi::viz {

void draw_enclaves(App& app) {
  app.enclave_plots_drawn = 0;
  const auto& d = app.data;
  const std::size_t ne = d.enclave_name.size();
  if (ne == 0 || !app.has_data()) {
    ImGui::TextDisabled("%s", tr("no_data"));
    return;
  }
  const int t = app.cursor;
  struct Col {
    const char* key;
    const char* var;  // enclave variable, or nullptr for text columns
    double scale;
  };
  static const Col cols[] = {{"name", nullptr, 1},       {"kind", nullptr, 1},
                             {"source", nullptr, 1},     {"host", nullptr, 1},
                             {"status", nullptr, 1},     {"granted", "land_granted_mu", 1},
                             {"land", "land_used_mu", 1}, {"employment", "employment", 1},
                             {"from_source", "employment_from_source", 1}, {"output", "output", 1e-8},
                             {"tax_src", "tax_to_source", 1e-8}, {"share", "tax_share_source", 1},
                             {"commitment", "commitment", 1}, {"pool", "pool_villages", 1}};
  constexpr int ncols = static_cast<int>(sizeof cols / sizeof cols[0]);
  const int status_v = d.enclave.find("status");
  auto value = [&](int col, std::size_t e) {
    if (cols[col].var) return d.enclave.at(d.enclave.find(cols[col].var), t, e) * cols[col].scale;
    switch (col) {
      case 1: return static_cast<double>(d.enclave_kind[e]);
      case 4: return d.enclave.at(status_v, t, e);
      default: return 0.0;
    }
  };
  const ImGuiTableFlags flags = ImGuiTableFlags_Sortable | ImGuiTableFlags_RowBg | ImGuiTableFlags_Borders |
                                ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit |
                                ImGuiTableFlags_Resizable;
  // With a county selected, the table can show only its parks (as source or host).
  const int county = app.selected_county;
  const auto of_county = [&](std::size_t e) { return d.enclave_source[e] == county || d.enclave_host[e] == county; };
  const bool filter = county >= 0 && app.enclaves_of_county;
  if (county >= 0) {
    std::size_t mine = 0;
    for (std::size_t e = 0; e < ne; ++e) mine += of_county(e) ? 1 : 0;
    char label[160];
    std::snprintf(label, sizeof label, "%s %s (%zu / %zu)", tr("only_parks_of"), app.county_label(county), mine, ne);
    ImGui::Checkbox(label, &app.enclaves_of_county);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("only_parks_of_tip"));
  }
  // With a park selected, its own time series take the lower part of the panel.
  const bool drill = app.selected_enclave >= 0 && static_cast<std::size_t>(app.selected_enclave) < ne;
  const float table_h = drill ? std::floor(ImGui::GetContentRegionAvail().y * 0.5f) : 0.0f;
  if (!ImGui::BeginTable("enclaves", ncols, flags, ImVec2(0, table_h))) return;
  ImGui::TableSetupScrollFreeze(1, 1);
  for (int c = 0; c < ncols; ++c)
    ImGui::TableSetupColumn(tr(cols[c].key), c == 0 ? ImGuiTableColumnFlags_DefaultSort : 0);
  // Headers with a tooltip each saying what the column is.
  ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
  for (int c = 0; c < ncols; ++c) {
    if (!ImGui::TableSetColumnIndex(c)) continue;
    ImGui::TableHeader(ImGui::TableGetColumnName(c));
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr((std::string(cols[c].key) + "_tip").c_str()));
  }
  static std::vector<std::size_t> order;
  order.resize(ne);
  std::iota(order.begin(), order.end(), std::size_t{0});
  if (ImGuiTableSortSpecs* ss = ImGui::TableGetSortSpecs(); ss && ss->SpecsCount > 0) {
    const int col = ss->Specs[0].ColumnIndex;
    const bool asc = ss->Specs[0].SortDirection == ImGuiSortDirection_Ascending;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      if (col == 0 || col == 2 || col == 3) {
        // Names sort by pinyin in both languages (UTF-8 byte order would sort Chinese by code point).
        auto key = [&](std::size_t e) {
          const auto src = static_cast<std::size_t>(d.enclave_source[e]), host = static_cast<std::size_t>(d.enclave_host[e]);
          if (col == 2) return d.county_name_en[src];
          if (col == 3) return d.county_name_en[host];
          return d.county_name_en[src] + " " + d.county_name_en[host] + " " + std::to_string(d.enclave_kind[e]) + " " +
                 std::to_string(e);
        };
        const std::string sa = key(a), sb = key(b);
        return asc ? sa < sb : sa > sb;
      }
      return asc ? value(col, a) < value(col, b) : value(col, a) > value(col, b);
    });
  }
  if (filter) std::erase_if(order, [&](std::size_t e) { return !of_county(e); });
  app.enclave_rows_drawn = static_cast<int>(order.size());
  for (std::size_t e : order) {
    ImGui::TableNextRow();
    const int status = static_cast<int>(d.enclave.at(status_v, t, e));
    if (status == 0) ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetColorU32(ImGuiCol_TextDisabled));
    ImGui::TableSetColumnIndex(0);
    if (ImGui::Selectable(app.enclave_label(static_cast<int>(e)).c_str(), app.selected_enclave == static_cast<int>(e),
                          ImGuiSelectableFlags_SpanAllColumns)) {
      app.selected_enclave = static_cast<int>(e);
      app.selected_county = d.enclave_source[e];  // linked: the map, plots and inspector follow
    }
    ImGui::TableSetColumnIndex(1);
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kind_color(d.enclave_kind[e])), "%s", enclave_kind_name(d.enclave_kind[e]));
    ImGui::TableSetColumnIndex(2);
    ImGui::TextUnformatted(app.county_label(d.enclave_source[e]));
    ImGui::TableSetColumnIndex(3);
    ImGui::TextUnformatted(app.county_label(d.enclave_host[e]));
    ImGui::TableSetColumnIndex(4);
    ImGui::TextUnformatted(enclave_status_name(status));
    for (int c = 5; c < ncols; ++c) {
      ImGui::TableSetColumnIndex(c);
      const double v = value(c, e);
      if (c == 11) ImGui::Text("%.0f%%", v * 100);                        // the source's share of the tax
      else if (c == 12) ImGui::Text("%.2f", v);                           // commitment, 0..1
      else if (c == 9 || c == 10) ImGui::Text("%.2f", v);                 // 1e8 yuan/year
      else ImGui::TextUnformatted(with_separators(std::llround(v)).c_str());
    }
    if (status == 0) ImGui::PopStyleColor();
  }
  ImGui::EndTable();
  if (drill) draw_enclave_series(app, app.selected_enclave);
}

void draw_enclave_series(App& app, int e) {
  const auto& d = app.data;
  const auto i = static_cast<std::size_t>(e);
  ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kind_color(d.enclave_kind[i])), "%s", app.enclave_label(e).c_str());
  ImGui::SameLine();
  ImGui::TextDisabled("(%s %s)", tr("founded"), d.enclave_founded[i].c_str());
  ImGui::SameLine();
  if (ImGui::SmallButton(tr("close"))) {
    app.selected_enclave = -1;
    return;
  }
  struct Line {
    const char* var;
    int colour;
  };
  struct Panel {
    const char* title;
    std::vector<Line> lines;
  };
  const Panel panels[] = {{"park_output", {{"output", 0}, {"value_added", 1}}},
                          {"park_jobs", {{"employment", 4}, {"employment_from_source", 5}, {"commuters", 2}}},
                          {"park_land", {{"land_granted_mu", 1}, {"land_used_mu", 2}}},
                          {"park_money", {{"tax_to_source", 2}, {"tax_to_host", 1}, {"return_paid", 3}}}};
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const ImVec2 sp = ImGui::GetStyle().ItemSpacing;
  const bool wide = avail.x > 1100;  // four across, else two by two
  const ImVec2 cell = wide ? ImVec2((avail.x - 3 * sp.x) / 4, avail.y)
                           : ImVec2((avail.x - sp.x) / 2, (avail.y - sp.y) / 2);
  int clicked = -1, k = 0;
  for (const auto& p : panels) {
    if (k > 0 && (wide || k % 2 == 1)) ImGui::SameLine();
    ++k;
    PlotSpec s;
    s.title = tr(p.title);
    s.start = d.start;
    s.steps = std::max(d.steps_total, d.steps);
    s.cursor = app.cursor;
    s.size = cell;
    for (const auto& l : p.lines) {
      const int v = d.enclave.find(l.var);
      if (v < 0) continue;
      std::vector<double> y(static_cast<std::size_t>(d.steps));
      for (int t = 0; t < d.steps; ++t) y[static_cast<std::size_t>(t)] = d.enclave.at(v, t, i);
      s.units = d.enclave.units[static_cast<std::size_t>(v)];
      s.series.push_back({variable_label(l.var, d.enclave.long_names[static_cast<std::size_t>(v)]), y, palette(l.colour)});
    }
    draw_plot(p.title, s, &clicked);
  }
  if (clicked >= 0 && clicked <= app.last_step()) app.cursor = clicked;
  app.enclave_plots_drawn = k;
}

}  // namespace feidi::viz
