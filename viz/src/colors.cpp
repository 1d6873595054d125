#include "colors.hpp"

#include <algorithm>
#include <cmath>

namespace feidi::viz {

namespace {
ImU32 lerp_stops(const float (*stops)[3], int n, double t, int alpha) {
  t = std::clamp(t, 0.0, 1.0) * (n - 1);
  const int i = std::min(n - 2, static_cast<int>(std::floor(t)));
  const double f = t - i;
  float c[3];
  for (int k = 0; k < 3; ++k) c[k] = static_cast<float>(stops[i][k] + (stops[i + 1][k] - stops[i][k]) * f);
  return IM_COL32(static_cast<int>(c[0] * 255), static_cast<int>(c[1] * 255), static_cast<int>(c[2] * 255), alpha);
}
}  // namespace

ImU32 sequential(double t, int alpha) {
  static const float v[][3] = {{0.267f, 0.005f, 0.329f}, {0.230f, 0.322f, 0.546f}, {0.128f, 0.567f, 0.551f},
                               {0.369f, 0.789f, 0.383f}, {0.993f, 0.906f, 0.144f}};
  return lerp_stops(v, 5, t, alpha);
}

ImU32 diverging(double t, int alpha) {
  static const float v[][3] = {{0.70f, 0.09f, 0.17f}, {0.94f, 0.54f, 0.38f}, {0.97f, 0.97f, 0.97f},
                               {0.57f, 0.80f, 0.46f}, {0.10f, 0.52f, 0.24f}};
  return lerp_stops(v, 5, t, alpha);
}

ImU32 kind_color(int kind, int alpha) {
  switch (kind) {
    case 0: return IM_COL32(60, 170, 80, alpha);
    case 1: return IM_COL32(150, 90, 210, alpha);
    default: return IM_COL32(240, 140, 30, alpha);
  }
}

ImU32 palette(int i) {
  static const ImU32 p[] = {IM_COL32(31, 119, 180, 255), IM_COL32(255, 127, 14, 255), IM_COL32(44, 160, 44, 255),
                            IM_COL32(214, 39, 40, 255),  IM_COL32(148, 103, 189, 255), IM_COL32(140, 86, 75, 255)};
  return p[static_cast<unsigned>(i) % 6];
}

}  // namespace feidi::viz
