#include "plot.hpp"

#include "units.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace feidi::viz {

namespace {

// A "nice" tick step for a range, about n ticks.
double nice_step(double range, int n) {
  if (range <= 0) return 1;
  const double raw = range / n;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double f = raw / mag;
  return (f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10) * mag;
}

void format_value(char* buf, std::size_t n, const char* fmt, double v) {
  const double a = std::fabs(v);
  if (a >= 1e12) std::snprintf(buf, n, "%.3gT", v / 1e12);
  else if (a >= 1e9) std::snprintf(buf, n, "%.3gG", v / 1e9);
  else if (a >= 1e6) std::snprintf(buf, n, "%.3gM", v / 1e6);
  else if (a >= 1e4) std::snprintf(buf, n, "%.3gk", v / 1e3);
  else if (a >= 100) std::snprintf(buf, n, "%.0f", v);
  else std::snprintf(buf, n, fmt, v);
}

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float th) {
  const float len = std::hypot(b.x - a.x, b.y - a.y);
  if (len < 1) return;
  const int segs = static_cast<int>(len / 6);
  for (int i = 0; i < segs; i += 2) {
    const float t0 = static_cast<float>(i) / segs, t1 = static_cast<float>(std::min(i + 1, segs)) / segs;
    dl->AddLine(ImVec2(a.x + (b.x - a.x) * t0, a.y + (b.y - a.y) * t0), ImVec2(a.x + (b.x - a.x) * t1, a.y + (b.y - a.y) * t1),
                col, th);
  }
}

// A dashed polyline whose dashes run along the whole line (6 px on, 4 px off), so short
// segments (one month is a few pixels) still show dashes.
void dashed_polyline(ImDrawList* dl, const std::vector<ImVec2>& pts, ImU32 col, float th) {
  constexpr float kOn = 6, kPeriod = 10;
  float phase = 0;
  for (std::size_t i = 1; i < pts.size(); ++i) {
    const ImVec2 a = pts[i - 1], b = pts[i];
    const float len = std::hypot(b.x - a.x, b.y - a.y);
    float at = 0;
    while (at < len) {
      const float in_period = std::fmod(phase + at, kPeriod);
      const float run = in_period < kOn ? kOn - in_period : kPeriod - in_period;
      const float end = std::min(len, at + run);
      if (in_period < kOn && len > 0)
        dl->AddLine(ImVec2(a.x + (b.x - a.x) * at / len, a.y + (b.y - a.y) * at / len),
                    ImVec2(a.x + (b.x - a.x) * end / len, a.y + (b.y - a.y) * end / len), col, th);
      at = end;
    }
    phase = std::fmod(phase + len, kPeriod);
  }
}

}  // namespace

int draw_plot(const char* id, const PlotSpec& s, int* clicked, TimeWindow* zoom) {
  ImGui::PushID(id);
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  ImVec2 size = s.size;
  if (size.x <= 0) size.x = avail.x;
  if (size.y <= 0) size.y = 180;
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("plot", size);
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImGuiStyle& st = ImGui::GetStyle();
  const float line_h = ImGui::GetTextLineHeight();
  // Frame: title and legend on top (outside the data), y labels left, x labels below. The
  // legend shares the title's row when both fit, else takes a row of its own.
  // Entries are packed into rows from the right; a narrow plot gets several legend rows.
  float legend_w = 0;
  for (const auto& ser : s.series) legend_w += ImGui::CalcTextSize(ser.label.c_str()).x + 18;
  const float title_w = ImGui::CalcTextSize(s.title.c_str()).x + 12;
  const bool legend_row = title_w + legend_w > size.x - 8;
  std::vector<int> entry_row(s.series.size(), 0);
  int legend_rows = legend_row ? 1 : 0;
  if (legend_row) {
    float used = 0;
    for (std::size_t i = s.series.size(); i-- > 0;) {
      const float w = ImGui::CalcTextSize(s.series[i].label.c_str()).x + 18;
      if (used > 0 && used + w > size.x - 12) {
        ++legend_rows;
        used = 0;
      }
      used += w;
      entry_row[i] = legend_rows - 1;
    }
  }
  const float left = 52, right = 8, top = static_cast<float>(1 + legend_rows) * (line_h + 2) + 4, bottom = line_h + 6;
  const ImVec2 a(p0.x + left, p0.y + top), b(p0.x + size.x - right, p0.y + size.y - bottom);
  dl->AddRectFilled(p0, ImVec2(p0.x + size.x, p0.y + size.y), ImGui::GetColorU32(ImGuiCol_FrameBg), st.FrameRounding);
  dl->AddText(ImVec2(p0.x + 6, p0.y + 2), ImGui::GetColorU32(ImGuiCol_Text), s.title.c_str());
  const int n_all = std::max(1, s.steps);
  const auto [t0, t1] = s.window.bounds(n_all);  // the months shown: [t0, t1] of the whole axis
  const int n = t1 - t0 + 1;
  // Y range over the finite values shown.
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& ser : s.series)
    for (int t = t0; t <= t1 && t < static_cast<int>(ser.y.size()); ++t)
      if (const double v = ser.y[static_cast<std::size_t>(t)]; std::isfinite(v)) {
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
  if (!std::isfinite(lo)) {
    lo = 0;
    hi = 1;
  }
  if (s.zero_line || s.from_zero) {
    lo = std::min(lo, 0.0);
    hi = std::max(hi, 0.0);
  }
  if (hi - lo < 1e-12 * std::max(1.0, std::fabs(hi))) {  // a constant series: a range around it
    const double m = std::max(std::fabs(hi), std::fabs(lo));
    const double half = m > 1e-9 ? m * 0.05 : 1.0;  // all zero: −1 … 1, not ±1e-9
    hi += half;
    lo -= half;
  }
  const double pad = (hi - lo) * 0.06;
  lo -= pad;
  hi += pad;
  auto X = [&](double t) { return a.x + static_cast<float>((t - t0 + 0.5) / n) * (b.x - a.x); };
  auto Y = [&](double v) { return b.y - static_cast<float>((v - lo) / (hi - lo)) * (b.y - a.y); };
  const ImU32 grid = ImGui::GetColorU32(ImGuiCol_Border, 0.5f), text = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  // Y ticks.
  const double ys = nice_step(hi - lo, 4);
  char buf[64];
  for (double v = std::ceil(lo / ys) * ys; v <= hi; v += ys) {
    const float y = Y(v);
    dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), grid);
    format_value(buf, sizeof buf, "%.3g", std::fabs(v) < ys * 1e-6 ? 0.0 : v);
    const ImVec2 ts = ImGui::CalcTextSize(buf);
    dl->AddText(ImVec2(a.x - ts.x - 4, y - ts.y * 0.5f), text, buf);
  }
  // X ticks: every k months (years at Januaries; months when a window of a few years is
  // shown), thinned so that labels fit.
  const bool months = n <= 48;
  const float min_px = ImGui::CalcTextSize(months ? "2035-12 " : "2035 ").x + 4;
  static const int kEvery[] = {1, 2, 3, 6, 12, 24, 36, 60, 120, 240, 600};
  int every = 600;
  for (int k : kEvery)
    if ((months || k >= 12) && (b.x - a.x) * static_cast<float>(k) / static_cast<float>(n) >= min_px) {
      every = k;
      break;
    }
  for (int t = t0; t <= t1; ++t) {
    const YearMonth ym = s.start.plus(t);
    const int m = ym.index();  // months since year 0
    if (m % every != 0) continue;
    const float x = X(t);
    dl->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), grid);
    if (every >= 12) std::snprintf(buf, sizeof buf, "%d", ym.year);
    else std::snprintf(buf, sizeof buf, "%s", ym.str().c_str());
    dl->AddText(ImVec2(x - ImGui::CalcTextSize(buf).x * 0.5f, b.y + 2), text, buf);
  }
  if (s.zero_line) dl->AddLine(ImVec2(a.x, Y(0)), ImVec2(b.x, Y(0)), ImGui::GetColorU32(ImGuiCol_Text, 0.4f));
  dl->PushClipRect(a, b, true);
  // Markers (interventions, events).
  for (const auto& mk : s.markers) {
    if (mk.t < t0 || mk.t > t1) continue;
    const float x = X(mk.t);
    if (mk.line) dashed_line(dl, ImVec2(x, a.y), ImVec2(x, b.y), mk.color, 1.0f);
    dl->AddTriangleFilled(ImVec2(x - 4, b.y), ImVec2(x + 4, b.y), ImVec2(x, b.y - 7), mk.color);
  }
  // Series: one polyline through per-column min/max envelopes.
  const int cols = std::max(1, static_cast<int>(b.x - a.x));
  std::vector<ImVec2> pts;
  for (const auto& ser : s.series) {
    const int len = std::min(static_cast<int>(ser.y.size()), t1 + 1);  // steps of the series shown: [t0, len)
    if (len <= t0) continue;
    pts.clear();
    if (len - t0 <= cols) {
      for (int t = t0; t < len; ++t)
        if (std::isfinite(ser.y[t])) pts.emplace_back(X(t), Y(ser.y[t]));
    } else {
      for (int c = 0; c < cols; ++c) {
        const int c0 = t0 + static_cast<int>(static_cast<long long>(c) * n / cols);
        const int c1 = std::min(len, t0 + static_cast<int>(static_cast<long long>(c + 1) * n / cols));
        if (c0 >= len) break;
        double mn = std::numeric_limits<double>::infinity(), mx = -mn;
        for (int t = c0; t < std::max(c1, c0 + 1); ++t)
          if (std::isfinite(ser.y[t])) {
            mn = std::min(mn, ser.y[t]);
            mx = std::max(mx, ser.y[t]);
          }
        if (!std::isfinite(mn)) continue;
        pts.emplace_back(a.x + c + 0.5f, Y(mn));
        if (mx != mn) pts.emplace_back(a.x + c + 0.5f, Y(mx));
      }
    }
    if (ser.dashed) {
      dashed_polyline(dl, pts, ser.color, ser.width);
    } else if (pts.size() > 1) {
      dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), ser.color, 0, ser.width);
    }
  }
  // Cursor.
  if (s.cursor >= t0 && s.cursor <= t1) {
    const float x = X(s.cursor);
    dl->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), IM_COL32(230, 60, 60, 220), 1.5f);
  }
  dl->PopClipRect();
  // Legend: top right, in the title's row or the row below it (never over the data).
  float lx = p0.x + size.x - 6;
  int row = 0;
  for (int i = static_cast<int>(s.series.size()) - 1; i >= 0; --i) {
    const auto& ser = s.series[static_cast<std::size_t>(i)];
    const ImVec2 ts = ImGui::CalcTextSize(ser.label.c_str());
    if (entry_row[static_cast<std::size_t>(i)] != row) {
      row = entry_row[static_cast<std::size_t>(i)];
      lx = p0.x + size.x - 6;
    }
    const float ly = p0.y + 2 + (legend_row ? static_cast<float>(1 + row) * (line_h + 2) : 0);
    lx -= ts.x + 18;
    if (ser.dashed) dashed_line(dl, ImVec2(lx, ly + line_h * 0.5f), ImVec2(lx + 12, ly + line_h * 0.5f), ser.color, 2.0f);
    else dl->AddLine(ImVec2(lx, ly + line_h * 0.5f), ImVec2(lx + 12, ly + line_h * 0.5f), ser.color, std::max(3.0f, ser.width));
    dl->AddText(ImVec2(lx + 14, ly), ImGui::GetColorU32(ImGuiCol_Text), ser.label.c_str());
  }
  // Hover read-out.
  int under = -1;
  if (hovered) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    if (m.x >= a.x && m.x <= b.x) {
      under = t0 + std::clamp(static_cast<int>((m.x - a.x) / (b.x - a.x) * n), 0, n - 1);
      dl->AddLine(ImVec2(X(under), a.y), ImVec2(X(under), b.y), ImGui::GetColorU32(ImGuiCol_Text, 0.35f));
      ImGui::BeginTooltip();
      ImGui::TextUnformatted(s.start.plus(under).str().c_str());
      for (const auto& ser : s.series) {
        if (under >= static_cast<int>(ser.y.size())) continue;
        const double v = ser.y[static_cast<std::size_t>(under)];
        if (!s.units.empty()) std::snprintf(buf, sizeof buf, "%s", format_quantity(v, s.units, s.share).c_str());
        else format_value(buf, sizeof buf, s.value_format, v);
        ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(ser.color), "%s: %s", ser.label.c_str(), buf);
      }
      for (const auto& mk : s.markers)
        if (mk.t == under) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(mk.color), "%s", mk.label.c_str());
      ImGui::EndTooltip();
      if (clicked && ImGui::IsMouseClicked(0)) *clicked = under;
      // Time zoom: the wheel zooms about the month under the mouse, a right-drag pans, a
      // double-click shows the whole run again.
      if (zoom) {
        const ImGuiIO& io = ImGui::GetIO();
        const float frac = (m.x - a.x) / std::max(1.0f, b.x - a.x);
        int z0 = t0, z1 = t1;
        if (io.MouseWheel != 0) {
          const int want = std::clamp(static_cast<int>(std::lround(n * (io.MouseWheel > 0 ? 0.8 : 1.25))), 6, n_all);
          z0 = std::clamp(static_cast<int>(std::lround(under - frac * want)), 0, std::max(0, n_all - want));
          z1 = z0 + want - 1;
        }
        if (ImGui::IsMouseDragging(1)) {
          const int shift = static_cast<int>(std::lround(-io.MouseDelta.x / std::max(1.0f, b.x - a.x) * n));
          const int d = std::clamp(shift, -z0, n_all - 1 - z1);
          z0 += d;
          z1 += d;
        }
        if (ImGui::IsMouseDoubleClicked(0)) {
          z0 = 0;
          z1 = n_all - 1;
        }
        if (z0 != t0 || z1 != t1) *zoom = (z0 == 0 && z1 == n_all - 1) ? TimeWindow{} : TimeWindow{z0, z1};
      }
    }
  }
  ImGui::PopID();
  return under;
}

}  // namespace feidi::viz
