// app.cpp — the frame: polling, playback and the window layout (usable at 1280×800).
#include "app.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <cmath>

#include "colors.hpp"
#include "i18n.hpp"
#include "units.hpp"
#include "config/config.hpp"

namespace feidi::viz {

const char* panel_key(Panel p) {
  switch (p) {
    case Panel::kMap: return "map";
    case Panel::kPlots: return "plots";
    case Panel::kEnclaves: return "enclaves";
    case Panel::kCounty: return "county";
    case Panel::kEvents: return "events";
    case Panel::kCompare: return "compare";
    case Panel::kLevers: return "levers";
  }
  return "?";
}

std::optional<Panel> panel_from_key(const std::string& key) {
  for (Panel p : {Panel::kMap, Panel::kPlots, Panel::kEnclaves, Panel::kCounty, Panel::kEvents, Panel::kCompare,
                  Panel::kLevers})
    if (key == panel_key(p)) return p;
  return std::nullopt;
}

const std::vector<Indicator>& map_indicators() {
  static const std::vector<Indicator> v = {
      {"ind_gdp_ratio", "gdp_per_capita_ratio"}, {"ind_gdp_pc", "gdp_per_capita"},
      {"ind_population", "population"},          {"ind_unemployment", "unemployment_rate"},
      {"ind_weak", "weak_villages"},             {"ind_fiscal", "fiscal_revenue"},
      {"ind_wage", "wage"},                      {"ind_net_migration", ""}};
  return v;
}

const std::vector<Indicator>& arc_flows() {
  static const std::vector<Indicator> v = {{"flow_tax", "tax_to_source"},
                                           {"flow_persons", "employment_from_source"},
                                           {"flow_firms", "firms"},
                                           {"flow_land", "land_used_mu"}};
  return v;
}

SteerSource* App::steer() const { return dynamic_cast<SteerSource*>(source.get()); }

const char* App::county_label(int c) const {
  if (c < 0 || c >= static_cast<int>(data.county_name.size())) return "?";
  return language() == Lang::kZh ? data.county_name[static_cast<std::size_t>(c)].c_str()
                                 : data.county_name_en[static_cast<std::size_t>(c)].c_str();
}

std::string App::enclave_label(int e) const {
  const auto i = static_cast<std::size_t>(e);
  if (e < 0 || i >= data.enclave_name.size()) return "?";
  if (language() == Lang::kZh) return data.enclave_name[i];
  std::string label = std::string(county_label(data.enclave_source[i])) + " → " + county_label(data.enclave_host[i]) + " (" +
                      enclave_kind_name(data.enclave_kind[i]) + ")";
  // Parks of one pair and kind are told apart by their number among them (#2, #3 …).
  int rank = 1, of = 1;
  for (std::size_t f = 0; f < data.enclave_name.size(); ++f) {
    if (f == i || data.enclave_source[f] != data.enclave_source[i] || data.enclave_host[f] != data.enclave_host[i] ||
        data.enclave_kind[f] != data.enclave_kind[i])
      continue;
    ++of;
    if (f < i) ++rank;
  }
  if (of > 1) label += " #" + std::to_string(rank);
  return label;
}

bool App::visible(Panel p) const { return panels.empty() || std::find(panels.begin(), panels.end(), p) != panels.end(); }

void App::update(double dt) {
  if (compare_source && compare) compare_source->poll(*compare);
  if (source && source->poll(data) && at_live && source->mode() != Mode::kReplay) cursor = std::max(0, last_step());
  const std::size_t indexed = events.events();
  const int rebuilds = events.rebuilds();
  events.update(data);
  if (events.events() != indexed || events.rebuilds() != rebuilds || data.interventions.size() != markers_interventions_ ||
      language() != markers_lang_) {
    markers = plot_markers(*this);
    markers_interventions_ = data.interventions.size();
    markers_lang_ = language();
  }
  cursor = std::clamp(cursor, 0, std::max(0, last_step()));
  if (playing && has_data()) {
    play_accum += dt * speed;
    while (play_accum >= 1.0) {
      play_accum -= 1.0;
      if (cursor < last_step()) ++cursor;
      else if (!source || source->mode() == Mode::kReplay) playing = false;
    }
  }
  if (source && source->mode() != Mode::kReplay && cursor < last_step() && !playing) at_live = false;
}

void App::open_compare(const std::string& path) {
  compare_error.clear();
  compare_source.reset();
  try {
    compare = load_trace_data(path);
  } catch (const std::exception& e) {
    compare.reset();
    compare_error = e.what();
  }
}

bool App::key(const std::string& name) {
  const int last = std::max(0, last_step());
  auto move = [&](int to) {
    cursor = std::clamp(to, 0, last);
    at_live = cursor == last;
  };
  if (name == "space") {
    if (SteerSource* s = steer()) s->play(!s->playing());
    else playing = !playing;
  } else if (name == "left") {
    move(cursor - 1);
  } else if (name == "right") {
    move(cursor + 1);
  } else if (name == "shift+left") {
    move(cursor - 12);
  } else if (name == "shift+right") {
    move(cursor + 12);
  } else if (name == "home") {
    move(0);
  } else if (name == "end") {
    move(last);
  } else if (name.size() == 1 && name[0] >= '1' && name[0] <= '7') {
    const Panel order[] = {Panel::kMap, Panel::kPlots, Panel::kEnclaves, Panel::kCounty, Panel::kEvents, Panel::kCompare,
                           Panel::kLevers};
    select_tab = order[name[0] - '1'];
    select_tab_frames = 2;
  } else if (name == "p") {
    png_request = "feidi_view_" + (has_data() ? data.month(cursor).str() : std::string("empty")) + ".png";
  } else if (name == "c") {
    last_export = export_csv("feidi_series_" + (has_data() ? data.month(cursor).str() : std::string("empty")) + ".csv");
  } else {
    return false;
  }
  return true;
}

void App::handle_keyboard() {
  const ImGuiIO& io = ImGui::GetIO();
  if (io.WantTextInput) return;  // typing in a search or path box
  const bool shift = io.KeyShift;
  // ImGui 1.86 names only some keys (mapped to the backend's codes by GetKeyIndex); digits
  // and letters are GLFW's key codes, which are their ASCII capitals.
  auto pressed = [](ImGuiKey k, bool repeat) { return ImGui::IsKeyPressed(ImGui::GetKeyIndex(k), repeat); };
  if (pressed(ImGuiKey_Space, false)) key("space");
  if (pressed(ImGuiKey_LeftArrow, true)) key(shift ? "shift+left" : "left");
  if (pressed(ImGuiKey_RightArrow, true)) key(shift ? "shift+right" : "right");
  if (pressed(ImGuiKey_Home, false)) key("home");
  if (pressed(ImGuiKey_End, false)) key("end");
  for (char c = '1'; c <= '7'; ++c)
    if (ImGui::IsKeyPressed(c, false)) key(std::string(1, c));
  if (ImGui::IsKeyPressed('P', false)) key("p");
  if (ImGui::IsKeyPressed('C', false)) key("c");
}

std::string App::export_csv(const std::string& path) const {
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return "";
  std::fprintf(f, "plot,series,month,value\n");
  auto quoted = [](const std::string& s) {
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  };
  for (const auto& ps : plotted)
    for (std::size_t t = 0; t < ps.y.size(); ++t) {
      if (!std::isfinite(ps.y[t])) continue;
      std::fprintf(f, "%s,%s,%s,%.17g\n", quoted(ps.plot).c_str(), quoted(ps.series).c_str(),
                   ps.start.plus(static_cast<int>(t)).str().c_str(), ps.y[t]);
    }
  const bool ok = std::fclose(f) == 0;
  return ok ? path : "";
}

void App::load_settings(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (!f) return;
  char line[256];
  while (std::fgets(line, sizeof line, f)) {
    std::string s(line);
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
    const auto eq = s.find(" = ");
    if (eq == std::string::npos) continue;
    const std::string k = s.substr(0, eq), v = s.substr(eq + 3);
    char* end = nullptr;
    const double x = std::strtod(v.c_str(), &end);
    const bool number = end && *end == '\0' && !v.empty();
    if (k == "language" && (v == "zh" || v == "en")) set_language(v == "zh" ? Lang::kZh : Lang::kEn);
    else if (k == "indicator" && number && x >= 0 && x < static_cast<double>(map_indicators().size())) indicator = static_cast<int>(x);
    else if (k == "flow" && number && x >= 0 && x < static_cast<double>(arc_flows().size())) flow = static_cast<int>(x);
    else if (k == "map_change" && number) map_change = x != 0;
    else if (k == "map_scale_month" && number) map_scale_month = x != 0;
    else if (k == "plots_from_zero" && number) plots_from_zero = x != 0;
    else if (k == "plots_ghost" && number) plots_ghost = x != 0;
    else if (k == "speed" && number && x > 0 && x <= 240) speed = x;
    else if (k == "split_x" && number && x >= kSplitMin && x <= kSplitMax) split_x = static_cast<float>(x);
    else if (k == "split_y" && number && x >= kSplitMin && x <= kSplitMax) split_y = static_cast<float>(x);
    else if (k == "county" && number) selected_county = data.county_index(static_cast<std::int32_t>(x));
    else if (k == "plot_variable" && (v == "-" || data.county.find(v) >= 0)) plot_variable = v == "-" ? "" : v;
    else if (k == "plot_counties") {
      plot_counties.clear();
      std::stringstream codes(v);  // county codes, comma-separated; unknown ones are dropped
      for (std::string w; std::getline(codes, w, ',');)
        if (const int c = data.county_index(static_cast<std::int32_t>(std::strtol(w.c_str(), nullptr, 10))); c >= 0)
          plot_counties.push_back(c);
    }
  }
  std::fclose(f);
}

void App::save_settings(const std::string& path) const {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  std::FILE* f = std::fopen(path.c_str(), "w");
  if (!f) return;
  std::fprintf(f, "# feidi-viz settings (written on exit)\n");
  std::fprintf(f, "language = %s\n", language() == Lang::kZh ? "zh" : "en");
  std::fprintf(f, "indicator = %d\nflow = %d\n", indicator, flow);
  std::fprintf(f, "map_change = %d\nmap_scale_month = %d\n", map_change ? 1 : 0, map_scale_month ? 1 : 0);
  std::fprintf(f, "plots_from_zero = %d\nplots_ghost = %d\n", plots_from_zero ? 1 : 0, plots_ghost ? 1 : 0);
  std::fprintf(f, "speed = %g\n", speed);
  std::fprintf(f, "split_x = %.4f\nsplit_y = %.4f\n", static_cast<double>(split_x), static_cast<double>(split_y));
  std::fprintf(f, "plot_variable = %s\n", plot_variable.empty() ? "-" : plot_variable.c_str());
  std::string codes;
  for (int c : plot_counties)
    if (c >= 0 && static_cast<std::size_t>(c) < data.county_code.size())
    {
      if (!codes.empty()) codes += ',';
      codes += std::to_string(data.county_code[static_cast<std::size_t>(c)]);
    }
  std::fprintf(f, "plot_counties = %s\n", codes.c_str());
  if (selected_county >= 0 && static_cast<std::size_t>(selected_county) < data.county_code.size())
    std::fprintf(f, "county = %d\n", data.county_code[static_cast<std::size_t>(selected_county)]);
  std::fclose(f);
}

bool App::can_fork() const {
  if (!source || !has_data()) return false;
  if (source->mode() == Mode::kSteer) return true;
  if (source->mode() != Mode::kReplay || data.path.empty()) return false;
  return std::any_of(data.checkpoint_steps.begin(), data.checkpoint_steps.end(), [&](std::int32_t k) { return k <= cursor; });
}

namespace {
// STEM_SUFFIX.h5 beside `path`, never an existing file (…_2.h5, …_3.h5).
std::string beside(const std::string& path, const std::string& suffix) {
  const std::filesystem::path p(path);
  const std::string base = (p.parent_path() / (p.stem().string() + suffix)).string();
  std::string out = base + ".h5";
  for (int k = 2; std::filesystem::exists(out); ++k) out = base + "_" + std::to_string(k) + ".h5";
  return out;
}
}  // namespace

bool App::can_show_unsteered() const {
  const SteerSource* s = steer();
  return s && !s->config().empty() && !compare_source;
}

void App::show_unsteered(const std::string& out_path) {
  fork_error.clear();
  if (!can_show_unsteered()) return;
  const SteerSource* s = steer();
  const std::string out = out_path.empty() ? beside(s->out_path(), "_unsteered") : out_path;
  try {
    auto twin = std::make_unique<SteerSource>(s->config(), s->overrides(), out);
    twin->set_speed(0);  // as fast as it can, to its end
    twin->play(true);
    compare = TraceData{};
    twin->poll(*compare);  // the statics; later polls only append steps
    compare->scenario += std::string(" (") + tr("unsteered") + ")";  // the ghost lines' name
    compare_source = std::move(twin);
    std::snprintf(compare_path, sizeof compare_path, "%s", out.c_str());
    compare_error.clear();
  } catch (const std::exception& e) {
    fork_error = e.what();
  }
}

void App::fork_here(const std::string& out_path) {
  fork_error.clear();
  SteerSource* steered = steer();
  const std::string parent = steered ? steered->out_path() : data.path;
  // Beside the parent, never over an existing file.
  const std::string out = out_path.empty() ? beside(parent, "_fork_" + data.month(cursor).str()) : out_path;
  try {
    std::unique_ptr<SteerSource> fork;
    if (steered) {
      fork = std::make_unique<SteerSource>(*steered, data.interventions, cursor, out);
      steered->set_speed(0);  // the parent runs on to its end, unsteered, as the comparison
      steered->play(true);
      compare_source = std::move(source);
    } else {
      fork = std::make_unique<SteerSource>(parent, cursor, out);
      compare_source.reset();
    }
    compare = std::move(data);  // the parent: what the fork is compared with
    std::snprintf(compare_path, sizeof compare_path, "%s", parent.c_str());
    compare_error.clear();
    data = TraceData{};
    source = std::move(fork);
    source->poll(data);  // the parent's history up to the checkpoint, or the statics
    playing = false;
    at_live = true;
    select_tab = Panel::kCompare;
  } catch (const std::exception& e) {
    fork_error = e.what();
  }
}

std::string lever_text(const std::string& key, double v) {
  const KeySpec* k = find_key(key);
  if (!k) return lever_value_text("", v);
  return lever_value_text(k->unit, v, k->type == KeyType::kEnum ? k->choices : std::vector<std::string>{});
}

std::vector<double> county_series(const TraceData& d, const char* var, int county) {
  std::vector<double> out;
  const int v = d.county.find(var);
  if (v < 0 || county < 0) return out;
  out.reserve(static_cast<std::size_t>(d.steps));
  for (int t = 0; t < d.steps; ++t) out.push_back(d.county.at(v, t, static_cast<std::size_t>(county)));
  return out;
}

std::vector<double> province_series(const TraceData& d, const char* var) {
  std::vector<double> out;
  const int v = d.province.find(var);
  if (v < 0) return out;
  out.assign(d.province.data[static_cast<std::size_t>(v)].begin(),
             d.province.data[static_cast<std::size_t>(v)].begin() + d.steps);
  return out;
}

std::vector<PlotMarker> plot_markers(const App& app) {
  std::vector<PlotMarker> out;
  const auto& d = app.data;
  // Lever changes: one marker per month.
  for (std::size_t i = 0; i < d.interventions.size();) {
    const int step = d.interventions[i].step;
    std::string label;
    for (; i < d.interventions.size() && d.interventions[i].step == step; ++i) {
      const auto& iv = d.interventions[i];
      const std::string key = iv.lever >= 0 && iv.lever < static_cast<int>(d.levers.size()) ? d.levers[iv.lever] : "?";
      if (!label.empty()) label += '\n';
      label += tr("mode_steer");
      label += ": " + lever_label(key) + " " + lever_text(key, iv.old_value) + " → " + lever_text(key, iv.new_value);
    }
    out.push_back({step, IM_COL32(230, 60, 200, 220), label});
  }
  // Enclave milestones (renegotiations and the like would crowd the plots): one marker per
  // month with the count, red when a park stalled.
  const auto& groups = app.events.groups();
  for (std::size_t g = 0; g < groups.size();) {
    const int step = groups[g].step;
    int count = 0;
    bool stalled = false;
    std::string label;
    for (; g < groups.size() && groups[g].step == step; ++g) {
      const auto& gr = groups[g];
      const std::string& k = gr.kind < static_cast<int>(d.event_kinds.size()) ? d.event_kinds[static_cast<std::size_t>(gr.kind)] : "";
      if (k != "enclave_founded" && k != "enclave_stalled" && k != "enclave_resumed" && k != "enclave_closed") continue;
      count += static_cast<int>(gr.count);
      stalled = stalled || k == "enclave_stalled";
      if (count <= 6) {
        if (!label.empty()) label += '\n';
        label += event_kind_name(k);
        if (gr.subject >= 0 && gr.subject < static_cast<int>(d.enclave_name.size())) label += ": " + app.enclave_label(gr.subject);
      }
    }
    if (count == 0) continue;
    if (count > 6) label += "\n… " + std::to_string(count) + " " + tr("events_in_month");
    // Only a stall gets a line across the plots; other milestones are ticks at the axis (a
    // plan with dozens of parks founded would draw a picket fence).
    out.push_back({step, stalled ? IM_COL32(220, 50, 50, 160) : IM_COL32(150, 150, 150, 200), label, stalled});
  }
  return out;
}

namespace {

// Panel windows stay below the splitters (never brought to the front).
constexpr ImGuiWindowFlags kPanelFlags = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                         ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus;

void window(const char* title, ImVec2 pos, ImVec2 size, void (*fn)(App&), App& app) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::Begin(title, nullptr, kPanelFlags);
  fn(app);
  ImGui::End();
}

// A splitter: a thin handle over the border between two panels at `pos` (`size` long),
// dragged along x (vertical = true) or y; moves `fraction` of `span` pixels, within limits.
void splitter(const char* id, ImVec2 pos, ImVec2 size, bool vertical, float span, float& fraction) {
  ImGui::SetNextWindowPos(pos);
  ImGui::SetNextWindowSize(size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowMinSize, ImVec2(1, 1));
  ImGui::Begin(id, nullptr,
               ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_NoSavedSettings |
                   ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoFocusOnAppearing);
  ImGui::InvisibleButton("##handle", size);
  const bool hot = ImGui::IsItemHovered() || ImGui::IsItemActive();
  if (hot) ImGui::SetMouseCursor(vertical ? ImGuiMouseCursor_ResizeEW : ImGuiMouseCursor_ResizeNS);
  if (ImGui::IsItemActive() && span > 0) {
    const ImVec2 d = ImGui::GetIO().MouseDelta;
    fraction = std::clamp(fraction + (vertical ? d.x : d.y) / span, App::kSplitMin, App::kSplitMax);
  }
  if (hot) {  // the handle shows while the mouse is on it
    const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
    ImGui::GetWindowDrawList()->AddRectFilled(a, b, ImGui::GetColorU32(ImGuiCol_SeparatorHovered));
  }
  ImGui::End();
  ImGui::PopStyleVar(2);
}

// A window title that keeps a stable ImGui id across languages.
std::string title(const char* key) { return std::string(tr(key)) + "###" + key; }

}  // namespace

void App::draw(ImVec2 display) {
  const float bar = std::ceil(controls_height(*this));
  window(title("app_title").c_str(), ImVec2(0, 0), ImVec2(display.x, bar), draw_controls, *this);
  const ImVec2 origin(0, bar), area(display.x, display.y - bar);
  struct Item {
    Panel p;
    const char* key;
    void (*fn)(App&);
  };
  const Item items[] = {{Panel::kMap, "map", draw_map},           {Panel::kPlots, "plots", draw_plots},
                        {Panel::kEnclaves, "enclaves", draw_enclaves}, {Panel::kCounty, "county", draw_county},
                        {Panel::kEvents, "events", draw_events},   {Panel::kCompare, "compare", draw_compare},
                        {Panel::kLevers, "levers", draw_levers}};
  constexpr float kHandle = 6;  // splitter handles, centred on the borders
  if (panels.size() == 1) {  // one panel fills the area
    for (const auto& it : items)
      if (it.p == panels[0]) window(title(it.key).c_str(), origin, area, it.fn, *this);
    ++frames_drawn;
    return;
  }
  if (panels.size() == 2) {  // two share it, side by side, split where the map's border is
    const float w = std::floor(area.x * split_x);
    for (std::size_t k = 0; k < 2; ++k)
      for (const auto& it : items)
        if (it.p == panels[k])
          window(title(it.key).c_str(), ImVec2(origin.x + (k ? w : 0), origin.y), ImVec2(k ? area.x - w : w, area.y), it.fn,
                 *this);
    splitter("##split_x", ImVec2(origin.x + w - kHandle / 2, origin.y), ImVec2(kHandle, area.y), true, area.x, split_x);
    split_at = ImVec2(origin.x + w, 0);
    ++frames_drawn;
    return;
  }
  // Map left; plots top right; the rest as tabs bottom right; splitters between them.
  const float left_w = std::floor(area.x * split_x);
  window(title("map").c_str(), origin, ImVec2(left_w, area.y), draw_map, *this);
  const float top_h = std::floor(area.y * split_y);
  window(title("plots").c_str(), ImVec2(left_w, origin.y), ImVec2(area.x - left_w, top_h), draw_plots, *this);
  ImGui::SetNextWindowPos(ImVec2(left_w, origin.y + top_h));
  ImGui::SetNextWindowSize(ImVec2(area.x - left_w, area.y - top_h));
  ImGui::Begin("###tabs", nullptr, kPanelFlags | ImGuiWindowFlags_NoTitleBar);
  if (ImGui::BeginTabBar("tabs")) {
    for (const auto& it : items) {
      if (it.p == Panel::kMap || it.p == Panel::kPlots) continue;
      if (it.p == Panel::kLevers && !steer()) continue;
      // The first listed tab panel is selected on the first frames (command line --panel).
      ImGuiTabItemFlags tf = 0;
      if (frames_drawn < 2 && !panels.empty() &&
          std::find(panels.begin(), panels.end(), it.p) != panels.end() && it.p == first_tab_panel())
        tf = ImGuiTabItemFlags_SetSelected;
      if (select_tab && *select_tab == it.p) tf = ImGuiTabItemFlags_SetSelected;
      if (ImGui::BeginTabItem(title(it.key).c_str(), nullptr, tf)) {
        tab_shown = it.key;
        ImGui::BeginChild("tab");
        it.fn(*this);
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
    if (select_tab && --select_tab_frames <= 0) {
      select_tab.reset();
      select_tab_frames = 2;
    }
  }
  ImGui::End();
  splitter("##split_x", ImVec2(origin.x + left_w - kHandle / 2, origin.y), ImVec2(kHandle, area.y), true, area.x, split_x);
  splitter("##split_y", ImVec2(origin.x + left_w + kHandle, origin.y + top_h - kHandle / 2),
           ImVec2(area.x - left_w - kHandle, kHandle), false, area.y, split_y);
  split_at = ImVec2(origin.x + left_w, origin.y + top_h);
  ++frames_drawn;
}

Panel App::first_tab_panel() const {
  for (Panel p : panels)
    if (p != Panel::kMap && p != Panel::kPlots) return p;
  return Panel::kEnclaves;
}

}  // namespace feidi::viz
