// plot.hpp — a time-series plot drawn with ImDrawList: several series, a date
// axis, a legend, a hover read-out, the cursor at the current step, and markers
// for interventions and events. Long series are decimated per pixel column
// (min/max), so drawing cost follows the plot's width, not the series length.
#pragma once

#include <imgui.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "engine/calendar.hpp"

namespace feidi::viz {

struct PlotSeries {
  std::string label;
  std::vector<double> y;  // one value per step
  ImU32 color;
  bool dashed = false;    // dashed (a ghost: the comparison's or the parent's run)
  float width = 1.6f;     // line width (a selected county: wider)
};

struct PlotMarker {
  int t;                // step
  ImU32 color;
  std::string label;    // shown on hover
  bool line = true;     // a dashed line across the plot (else only a tick at the axis)
};

// The months a plot shows: steps [t0, t1] (t1 < 0: to the end). Shared by the plots of a
// panel; the mouse changes it (wheel: zoom about the mouse; right-drag: pan; double-click:
// the whole run).
struct TimeWindow {
  int t0 = 0, t1 = -1;
  bool whole() const { return t0 <= 0 && t1 < 0; }
  // The first and last step shown on an axis of `steps` steps (at least one).
  std::pair<int, int> bounds(int steps) const {
    const int last = std::max(1, steps) - 1, first = std::clamp(t0, 0, last);
    return {first, t1 < 0 ? last : std::clamp(t1, first, last)};
  }
};

struct PlotSpec {
  std::string title;
  YearMonth start;        // month of step 0
  int steps = 0;          // x-axis length (may exceed the data while a run grows)
  int cursor = -1;        // step of the cursor line, or -1
  std::vector<PlotSeries> series;
  std::vector<PlotMarker> markers;
  ImVec2 size{0, 0};      // 0 = fill the available width / a default height
  bool zero_line = false;
  bool from_zero = false;  // the y axis includes 0 (else it fits the data)
  const char* value_format = "%.3g";
  std::string units;      // the trace's units of the series: hover read-outs in 亿元, 万人, %
  bool share = false;     // units "1" is a share (read-outs in %)
  TimeWindow window;      // the months shown (x axis and y range)
};

// Draws the plot at the cursor position. Returns the step under the mouse (or -1);
// when the user clicks inside the plot, *clicked receives that step.
// With `zoom`, the mouse over the plot changes that window (wheel, right-drag, double-click).
int draw_plot(const char* id, const PlotSpec& spec, int* clicked = nullptr, TimeWindow* zoom = nullptr);

}  // namespace feidi::viz
