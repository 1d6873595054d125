// app.hpp — the viewer's state and its frame: one data source (replay, follow or
// steer), the trace data the UI thread owns, the playback cursor, selections, and
// the panels (one source file each, declared at the end).
#pragma once

#include <imgui.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "event_index.hpp"
#include "i18n.hpp"
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
// The name of a map indicator on the command line and in the JSON: its county variable,
// or "net_migration" for the derived one.
inline std::string indicator_key(const Indicator& ind) { return ind.variable[0] ? ind.variable : "net_migration"; }
const std::vector<Indicator>& arc_flows();  // enclave variables

struct App;
// The map's colour scale: sequential from lo to hi, diverging around 1 on a log scale for
// ratios (lo = 1/hi), or diverging around 0 for changes and net migration (lo = −hi).
struct MapScale {
  enum Kind { kSequential, kRatio, kSigned } kind = kSequential;
  double lo = 0, hi = 1;
  ImU32 colour(double v, int alpha = 255) const;
  double value_at(double t) const;  // the value at t in [0, 1] along the legend bar
};
// The scale of the map's current indicator: over every month of the run (colours compare
// across months) or, with map_scale_month, over the month shown.
MapScale map_scale(const App& app);

// What the event log drew last (for the headless JSON).
struct EventsDrawn {
  int rows = 0;
  std::int64_t events = 0;
  std::string search;
};

// What the plots drew last (for the headless JSON).
struct PlotsDrawn {
  int series = 0;
  bool from_zero = false, ghost = false;
  std::string variable;  // "" = the overview's four plots
  std::vector<int> counties;  // codes of the counties drawn in a chosen variable's plot
  int t0 = 0, t1 = 0;         // the months shown
};

// What the map drew last (for the headless JSON).
struct MapDrawn {
  std::string variable, units, scale;
  bool change = false;
  double lo = 0, hi = 0;
  int arcs = 0, labels = 0;
  float zoom = 1;
  bool diff = false;  // A − B against the comparison
};

// The comparison's time axis: both traces placed by date.
struct CompareAxis {
  YearMonth start;          // first month of either trace
  int steps = 0;            // months from start to the later end
  int offset_a = 0, offset_b = 0;  // where each trace's step 0 falls on the axis (may be < 0)
  // A series of one trace on the axis, its step 0 at `offset` (NaN where it has no month).
  std::vector<double> place(const std::vector<double>& y, int offset) const;
};
CompareAxis compare_axis(const TraceData& a, const TraceData& b);

// What the comparison drew last (for the headless JSON).
struct CompareDrawn {
  std::string start;
  int steps = 0, offset_a = 0, offset_b = 0;
  std::string variable;
};

struct App {
  std::unique_ptr<Source> source;
  TraceData data;
  std::optional<TraceData> compare;  // a second trace (scenario comparison)
  std::unique_ptr<Source> compare_source;  // a steered run that was forked: it runs on, unsteered, as the comparison
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
  bool map_change = false;      // map: change since the first month instead of the level
  bool plots_from_zero = false;  // plots: y axis from 0
  bool plots_ghost = true;       // plots: the comparison's run as ghost lines
  std::string plot_variable;     // plots: a county variable to plot for chosen counties ("" = the overview)
  std::vector<int> plot_counties;  // plots: the counties (indices) of that plot, besides the selected one
  TimeWindow plot_window;        // plots: the months shown (time zoom)
  std::optional<PlotsDrawn> plots_drawn;
  int enclave_plots_drawn = 0;  // a park's own plots drawn last frame (JSON)
  bool enclaves_of_county = true;  // enclave table: only the selected county's parks (as source or host)
  int enclave_rows_drawn = -1;     // rows the enclave table drew last (JSON)
  bool map_scale_month = false;  // map: colour scale over the month shown (default: the whole run)
  bool map_kinds[3] = {true, true, true};  // map: arcs of eco, sci-tech, poverty parks shown
  bool map_diff = false;                   // map: scenario A − B against the comparison (same month)
  float map_zoom = 1;                      // map: zoom (1 = the province fits)
  ImVec2 map_pan{0, 0};                    // map: pan in pixels
  std::optional<MapDrawn> map_drawn;
  EventIndex events;                  // the data's events grouped (updated every frame)
  std::optional<EventsDrawn> events_drawn;
  std::string event_search;  // the event log's search text (--event-search)
  std::vector<PlotMarker> markers;    // plot markers, one per month and sort (updated with events)
  std::size_t markers_interventions_ = 0;
  Lang markers_lang_ = Lang::kZh;
  bool show_migration_events = false;
  std::vector<Panel> panels;  // visible panels (empty: all)
  // The layout's splitters (dragged with the mouse, kept in the settings): the map's share of
  // the width, and the plots' share of the right column's height (of the width with two panels).
  float split_x = 0.44f, split_y = 0.56f;
  static constexpr float kSplitMin = 0.15f, kSplitMax = 0.85f;
  ImVec2 split_at{0, 0};  // where the borders were drawn last (pixels; y 0 with fewer than three panels)
  std::optional<Panel> select_tab;  // a tab to bring to the front on the next frames (--compare, a fork)
  int select_tab_frames = 2;
  std::string tab_shown;  // the tab drawn last (key)
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
  // "Fork here": starts a steered branch whose levers may differ from the cursor's month on,
  // written beside the trace as STEM_fork_YYYY-MM.h5, and makes the trace it leaves the
  // comparison (aligned by date). In replay of a trace with checkpoints the fork continues
  // from the last checkpoint at or before the month; while steering, the fork re-simulates
  // the months before with the same lever changes and the steered run goes on unsteered to
  // its end as the comparison. Errors go to fork_error. `out` overrides the fork's path.
  void fork_here(const std::string& out = {});
  // Whether the source is a steered run, or a replay with a checkpoint at or before the cursor.
  bool can_fork() const;
  // While steering: the same config run without lever changes, as fast as it can to its end,
  // becomes the comparison (ghost lines in the plots, the comparison tab, the map's A − B).
  // Its trace is written beside the steered one as STEM_unsteered.h5 (never over a file), or
  // to `out`. Errors go to fork_error.
  void show_unsteered(const std::string& out = {});
  bool can_show_unsteered() const;
  std::string fork_error;
  std::optional<CompareDrawn> compare_drawn;

  // Keyboard shortcuts (also --keys in headless runs): "space" play/pause, "left"/"right" a
  // month back/forward ("shift+left"/"shift+right" a year), "home"/"end" the first/last
  // month, "1" … "7" the panels (map, plots, enclaves, county, events, compare, levers),
  // "p" export the view as PNG, "c" export the plotted series as CSV. Returns false for a
  // key it does not know.
  bool key(const std::string& name);
  // Reads every key shortcut ImGui saw this frame (interactive use).
  void handle_keyboard();
  // Exports: the plotted series in long form (plot, series, month, value); the file name
  // of the PNG the main loop writes at the end of the frame (empty: none asked for).
  std::string export_csv(const std::string& path) const;
  std::string png_request;
  std::string last_export;  // the file last written (shown in the top bar)
  struct PlottedSeries {
    std::string plot, series;
    YearMonth start;
    std::vector<double> y;
  };
  std::vector<PlottedSeries> plotted;  // what the plots drew this frame (for the CSV export)
  // Settings kept between sessions (language, map, plots, selection, speed), as key = value
  // lines; load_settings ignores unknown or malformed lines.
  void load_settings(const std::string& path);
  void save_settings(const std::string& path) const;

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
float controls_height(const App& app);  // the top bar's height: every row it draws, none scrolled
void draw_map(App& app);
void draw_plots(App& app);
void draw_enclaves(App& app);
void draw_county(App& app);
void draw_events(App& app);
void draw_compare(App& app);
void draw_levers(App& app);
// A park's own time series (output, jobs and their origin, land, tax split and payments).
void draw_enclave_series(App& app, int enclave);

// Small shared helpers for panels.
// A policy lever's value (config key) in the current language with its unit or choice name.
std::string lever_text(const std::string& key, double v);
// Values of a county variable over time (NaN-free prefix of the data).
std::vector<double> county_series(const TraceData& d, const char* var, int county);
std::vector<double> province_series(const TraceData& d, const char* var);
// Markers for the plots, one per month and sort: the lever changes of the month, and its
// enclave milestones (founded, stalled, resumed, closed) with their count; from the event
// index, so a frame never scans the events.
std::vector<PlotMarker> plot_markers(const App& app);

}  // namespace feidi::viz
