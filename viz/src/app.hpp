// app.hpp — the viewer's state and its frame: one data source (replay, follow or
// steer), the trace data the UI thread owns, the playback cursor, selections, and
// the panels (one source file each, declared at the end).
#pragma once

#include <imgui.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "geo.hpp"
#include "plot.hpp"
#include "trace/data.hpp"
#include "sources.hpp"

namespace feidi::viz {

enum class Panel { kMap, kPlots, kEnclaves, kCounty, kEvents, kCompare, kLevers };
const char* panel_key(Panel p);                  // "map", "plots", ...
std::optional<Panel> panel_from_key(const std::string& key);

// Map indicators (county colour) and flows (arc width).
struct Indicator {
  const char* key;       // i18n key
  const char* variable;  // county variable, or "" for derived ones
};
const std::vector<Indicator>& map_indicators();
const std::vector<Indicator>& arc_flows();  // enclave variables

struct App {
  std::unique_ptr<Source> source;
  TraceData data;
  std::optional<TraceData> compare;  // a second trace (scenario comparison)
  std::string compare_error;
  char compare_path[512] = "";

  int cursor = 0;             // step shown
  bool playing = false;       // replay / follow playback
  double speed = 12;          // steps per second of playback
  double play_accum = 0;
  bool at_live = true;        // follow / steer: keep the cursor on the newest step
  int selected_county = -1;
  int selected_enclave = -1;
  int indicator = 0;          // index in map_indicators()
  int flow = 0;               // index in arc_flows()
  bool show_migration_events = false;
  std::vector<Panel> panels;  // visible panels (empty: all)
  std::vector<CountyShape> shapes;  // polygons (empty: label points)
  std::vector<std::string> font_strings;  // what the font must draw
  double frame_ms = 0;
  int frames_drawn = 0;

  // Polls the source and moves the cursor (playback, live following).
  void update(double dt_seconds);
  // Draws every window for a framebuffer of the given size.
  void draw(ImVec2 display);
  // Loads a second trace for comparison; errors go to compare_error.
  void open_compare(const std::string& path);

  bool has_data() const { return data.steps > 0; }
  int last_step() const { return data.steps - 1; }
  SteerSource* steer() const;
  // Display names in the current language.
  const char* county_label(int c) const;
  std::string enclave_label(int e) const;
  bool visible(Panel p) const;
  // The tab to select first when --panel names several panels.
  Panel first_tab_panel() const;
};

// Panels (one file each). Each draws inside the current ImGui window.
void draw_controls(App& app);
void draw_map(App& app);
void draw_plots(App& app);
void draw_enclaves(App& app);
void draw_county(App& app);
void draw_events(App& app);
void draw_compare(App& app);
void draw_levers(App& app);

// Small shared helpers for panels.
// Values of a county variable over time (NaN-free prefix of the data).
std::vector<double> county_series(const TraceData& d, const char* var, int county);
std::vector<double> province_series(const TraceData& d, const char* var);
// Markers for the plots: interventions and enclave events up to the data's end.
std::vector<PlotMarker> plot_markers(const App& app);

}  // namespace feidi::viz
