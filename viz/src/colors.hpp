// colors.hpp — colour maps and fixed colours of the viewer.
#pragma once

#include <imgui.h>

namespace feidi::viz {

// Sequential colour map (viridis-like) for t in [0, 1].
ImU32 sequential(double t, int alpha = 255);
// Diverging colour map (red–white–green) for t in [0, 1], 0.5 white.
ImU32 diverging(double t, int alpha = 255);
// Colour of an enclave kind (0 eco, 1 sci-tech, 2 poverty).
ImU32 kind_color(int kind, int alpha = 255);
// The i-th colour of a qualitative palette (series in plots).
ImU32 palette(int i);
// The selected county's line in plots (not the cursor's red, not a palette colour).
inline constexpr ImU32 kSelectedColour = IM_COL32(250, 215, 70, 255);

}  // namespace feidi::viz
