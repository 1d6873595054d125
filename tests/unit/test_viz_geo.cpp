// Tests for viz/geo: code mapping, Douglas–Peucker, ear clipping, point-in-ring, the
// GeoJSON reader (synthetic files) and, when the set-up copy of the polygon files is
// present, the whole province.
#include <gtest/gtest.h>

#include "engine/error.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numbers>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "geo.hpp"

using feidi::viz::CountyShape;
using feidi::viz::LonLat;
namespace viz = feidi::viz;
namespace fs = std::filesystem;

namespace {

// Signed area (positive counter-clockwise) of an open or closed ring.
double ring_area(const std::vector<LonLat>& r) {
  double a = 0;
  for (std::size_t i = 0, j = r.size() - 1; i < r.size(); j = i++)
    a += r[j].lon * r[i].lat - r[i].lon * r[j].lat;
  return a / 2;
}

double tri_area(const LonLat& a, const LonLat& b, const LonLat& c) {
  return ((b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon)) / 2;
}

// Sum of |area| of the triangles; checks indices are in range.
double triangles_area(const std::vector<LonLat>& r, const std::vector<std::uint32_t>& t) {
  EXPECT_EQ(t.size() % 3, 0u);
  double sum = 0;
  for (std::size_t k = 0; k + 2 < t.size(); k += 3) {
    EXPECT_LT(t[k], r.size());
    EXPECT_LT(t[k + 1], r.size());
    EXPECT_LT(t[k + 2], r.size());
    if (t[k] >= r.size() || t[k + 1] >= r.size() || t[k + 2] >= r.size()) return -1;
    sum += std::abs(tri_area(r[t[k]], r[t[k + 1]], r[t[k + 2]]));
  }
  return sum;
}

// Checks a triangulation of a simple polygon: `expected_tris` triangles (n - 2; 0: not
// checked), areas add up, every centroid inside, every triangle wound like the ring.
void expect_valid_triangulation(const std::vector<LonLat>& r, std::size_t expected_tris) {
  const auto t = viz::triangulate(r);
  if (expected_tris > 0) {
    ASSERT_EQ(t.size(), 3 * expected_tris);
  }
  ASSERT_FALSE(t.empty());
  const double poly = std::abs(ring_area(r));
  EXPECT_NEAR(triangles_area(r, t), poly, 1e-9 * poly);
  const double sign = ring_area(r) > 0 ? 1 : -1;
  for (std::size_t k = 0; k < t.size(); k += 3) {
    const LonLat &a = r[t[k]], &b = r[t[k + 1]], &c = r[t[k + 2]];
    const LonLat g{(a.lon + b.lon + c.lon) / 3, (a.lat + b.lat + c.lat) / 3};
    EXPECT_TRUE(viz::point_in_ring(r, g)) << "triangle " << k / 3 << " centroid (" << g.lon << ", " << g.lat
                                          << ") outside";
    EXPECT_GT(sign * tri_area(a, b, c), 0) << "triangle " << k / 3 << " degenerate or wound backwards";
  }
}

// Distance from p to segment ab.
double seg_dist(const LonLat& p, const LonLat& a, const LonLat& b) {
  const double dx = b.lon - a.lon, dy = b.lat - a.lat, len2 = dx * dx + dy * dy;
  const double t = len2 > 0 ? std::clamp(((p.lon - a.lon) * dx + (p.lat - a.lat) * dy) / len2, 0.0, 1.0) : 0.0;
  return std::hypot(a.lon + t * dx - p.lon, a.lat + t * dy - p.lat);
}

std::vector<LonLat> square() { return {{0, 0}, {1, 0}, {1, 1}, {0, 1}}; }

// A comb: a base bar with `teeth` teeth pointing up (counter-clockwise).
std::vector<LonLat> comb(int teeth) {
  std::vector<LonLat> r{{0, 0}, {2.0 * teeth - 1, 0}};
  for (int i = teeth - 1; i >= 0; --i) {
    r.push_back({2.0 * i + 1, 3});
    r.push_back({2.0 * i, 3});
    if (i > 0) {
      r.push_back({2.0 * i, 1});
      r.push_back({2.0 * i - 1, 1});
    }
  }
  return r;
}

std::vector<LonLat> reversed(std::vector<LonLat> r) {
  std::reverse(r.begin(), r.end());
  return r;
}

// A scratch folder unique to this process.
fs::path scratch_dir(const std::string& name) {
#ifdef FEIDI_TEST_TMP
  fs::path base = FEIDI_TEST_TMP;
#else
  fs::path base = fs::temp_directory_path();
#endif
  std::random_device rd;
  fs::path dir = base / ("feidi_geo_" + name + "_" + std::to_string(rd()));
  fs::create_directories(dir);
  return dir;
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace

// ---------------------------------------------------------------------------------

TEST(VizGeo, MapCodeMapsPre2021Codes) {
  EXPECT_EQ(viz::map_code(330185), 330112);  // 临安
  EXPECT_EQ(viz::map_code(330283), 330213);  // 奉化
  EXPECT_EQ(viz::map_code(331021), 331083);  // 玉环
  EXPECT_EQ(viz::map_code(330103), 330105);  // 下城 → 拱墅
  EXPECT_EQ(viz::map_code(330104), 330102);  // 江干 → 上城
  EXPECT_EQ(viz::map_code(330102), 330102);
  EXPECT_EQ(viz::map_code(330105), 330105);
  EXPECT_EQ(viz::map_code(330727), 330727);
  EXPECT_EQ(viz::map_code(330112), 330112);
  EXPECT_EQ(viz::map_code(0), 0);
}

TEST(VizGeo, SimplifyKeepsEndpointsAndReducesNoisyCircle) {
  std::mt19937 rng(42);
  std::uniform_real_distribution<double> noise(-0.001, 0.001);
  std::vector<LonLat> circle;
  const int n = 2000;
  for (int i = 0; i < n; ++i) {
    const double t = 2 * std::numbers::pi * i / n;
    circle.push_back({120 + std::cos(t) + noise(rng), 30 + std::sin(t) + noise(rng)});
  }
  circle.push_back(circle.front());  // closed input
  const auto s = viz::simplify(circle, 0.01);
  ASSERT_GE(s.size(), 3u);
  EXPECT_LT(s.size(), 200u);
  EXPECT_GT(s.size(), 10u);  // a circle of radius 1 at 0.01 needs a couple of dozen points
  // Starts with the input's first point; returned open (no repeated closing point).
  EXPECT_EQ(s.front().lon, circle.front().lon);
  EXPECT_EQ(s.front().lat, circle.front().lat);
  EXPECT_FALSE(s.back().lon == s.front().lon && s.back().lat == s.front().lat);
  // Every kept point is an input point, in input order.
  std::size_t j = 0;
  for (const LonLat& p : s) {
    while (j < circle.size() && !(circle[j].lon == p.lon && circle[j].lat == p.lat)) ++j;
    ASSERT_LT(j, circle.size()) << "point not from the input or out of order";
  }
  // Douglas–Peucker's guarantee: every input point within the tolerance of the result.
  for (const LonLat& p : circle) {
    double best = 1e9;
    for (std::size_t i = 0; i < s.size(); ++i) best = std::min(best, seg_dist(p, s[i], s[(i + 1) % s.size()]));
    ASSERT_LE(best, 0.01 + 1e-12);
  }
  // Within tolerance of the circle (radius 1 ± noise ± tolerance).
  const double area = std::abs(ring_area(s));
  EXPECT_NEAR(area, std::numbers::pi, 0.05);
  // Triangulates cleanly.
  const auto t = viz::triangulate(s);
  EXPECT_EQ(t.size(), 3 * (s.size() - 2));
  EXPECT_NEAR(triangles_area(s, t), area, 1e-9 * area);
}

TEST(VizGeo, SimplifyKeepsThreeDistinctPoints) {
  // A tiny triangle-ish island far below the tolerance, closed, with duplicates.
  const std::vector<LonLat> tiny{{0, 0}, {0, 0}, {1e-4, 0}, {2e-4, 1e-5}, {1e-4, 1e-4}, {0, 1e-4}, {0, 0}};
  const auto s = viz::simplify(tiny, 0.004);
  ASSERT_EQ(s.size(), 3u);
  EXPECT_GT(std::abs(ring_area(s)), 0);
  std::set<std::pair<double, double>> distinct;
  for (const auto& p : s) distinct.insert({p.lon, p.lat});
  EXPECT_EQ(distinct.size(), 3u);
  // Zero tolerance only removes duplicates and the closing point.
  EXPECT_EQ(viz::simplify(tiny, 0).size(), 5u);
  // Degenerate inputs pass through.
  EXPECT_TRUE(viz::simplify({}, 0.1).empty());
  EXPECT_EQ(viz::simplify({{1, 1}, {1, 1}}, 0.1).size(), 1u);
}

TEST(VizGeo, TriangulatesSquare) {
  expect_valid_triangulation(square(), 2);
  auto closed = square();
  closed.push_back(closed.front());
  const auto t = viz::triangulate(closed);
  ASSERT_EQ(t.size(), 6u);
  for (auto i : t) EXPECT_LT(i, 4u);  // never the closing duplicate
}

TEST(VizGeo, TriangulatesConcaveL) {
  const std::vector<LonLat> l{{0, 0}, {3, 0}, {3, 1}, {1, 1}, {1, 3}, {0, 3}};
  expect_valid_triangulation(l, 4);
  expect_valid_triangulation(reversed(l), 4);
}

TEST(VizGeo, TriangulatesCombBothOrientations) {
  const auto ccw = comb(6);
  ASSERT_GT(ring_area(ccw), 0);
  expect_valid_triangulation(ccw, ccw.size() - 2);
  const auto cw = reversed(ccw);
  ASSERT_LT(ring_area(cw), 0);
  expect_valid_triangulation(cw, cw.size() - 2);
  // Rotating the start vertex does not matter.
  auto rot = ccw;
  std::rotate(rot.begin(), rot.begin() + 5, rot.end());
  expect_valid_triangulation(rot, rot.size() - 2);
}

TEST(VizGeo, TriangulatesRandomStarShapedPolygons) {
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> radius(0.2, 1.0);
  for (int trial = 0; trial < 50; ++trial) {
    const int n = 5 + trial * 3;
    std::vector<LonLat> r;
    for (int i = 0; i < n; ++i) {
      const double a = 2 * std::numbers::pi * i / n, d = radius(rng);
      r.push_back({120 + d * std::cos(a), 30 + d * std::sin(a)});
    }
    SCOPED_TRACE("trial " + std::to_string(trial));
    expect_valid_triangulation(trial % 2 ? reversed(r) : r, r.size() - 2);
  }
}

TEST(VizGeo, TriangulatesRingsTouchingThemselves) {
  // A square with a triangular lobe hanging off the right edge at (4,2), and the same
  // with the lobe folded inwards (a hole touching the boundary). (4,2) is visited twice.
  const std::vector<LonLat> outward{{0, 0}, {4, 0}, {4, 2}, {6, 1}, {6, 3}, {4, 2}, {4, 4}, {0, 4}};
  const std::vector<LonLat> inward{{0, 0}, {4, 0}, {4, 2}, {2, 1}, {2, 3}, {4, 2}, {4, 4}, {0, 4}};
  ASSERT_DOUBLE_EQ(ring_area(outward), 18);
  ASSERT_DOUBLE_EQ(ring_area(inward), 14);
  for (const auto& base : {outward, inward}) {
    for (std::size_t k = 0; k < base.size(); ++k) {  // every starting vertex, both orientations
      auto r = base;
      std::rotate(r.begin(), r.begin() + static_cast<std::ptrdiff_t>(k), r.end());
      SCOPED_TRACE("rotation " + std::to_string(k));
      expect_valid_triangulation(r, 0);
      expect_valid_triangulation(reversed(r), 0);
    }
  }
}

TEST(VizGeo, TriangulateDropsDuplicatesAndCollinearPoints) {
  // Square with a repeated corner, a midpoint on an edge and a closing point.
  const std::vector<LonLat> r{{0, 0}, {0.5, 0}, {1, 0}, {1, 0}, {1, 1}, {0, 1}, {0, 1}, {0, 0}};
  const auto t = viz::triangulate(r);
  ASSERT_EQ(t.size(), 6u);  // 4 corners → 2 triangles
  EXPECT_NEAR(triangles_area(r, t), 1.0, 1e-12);
  for (std::size_t k = 0; k < t.size(); k += 3) {
    EXPECT_NE(t[k], t[k + 1]);
    EXPECT_NE(t[k + 1], t[k + 2]);
    EXPECT_NE(t[k], t[k + 2]);
    EXPECT_NE(tri_area(r[t[k]], r[t[k + 1]], r[t[k + 2]]), 0);
  }
  // Fully degenerate rings give no triangles.
  EXPECT_TRUE(viz::triangulate({{0, 0}, {1, 1}, {2, 2}}).empty());
  EXPECT_TRUE(viz::triangulate({{0, 0}, {1, 1}}).empty());
  EXPECT_TRUE(viz::triangulate({}).empty());
}

TEST(VizGeo, TriangulateTerminatesOnSelfIntersectingRing) {
  // A bow-tie and a star polygon (pentagram: every edge crosses two others).
  const std::vector<LonLat> bowtie{{0, 0}, {2, 2}, {2, 0}, {0, 2}};
  // (Zero signed area; crossing points are not inserted, so the fill is approximate.)
  const auto t1 = viz::triangulate(bowtie);
  EXPECT_EQ(t1.size(), 6u);
  for (auto i : t1) EXPECT_LT(i, bowtie.size());
  std::vector<LonLat> star;
  for (int i = 0; i < 5; ++i) {
    const double a = 2 * std::numbers::pi * ((2 * i) % 5) / 5;
    star.push_back({std::cos(a), std::sin(a)});
  }
  const auto t2 = viz::triangulate(star);
  EXPECT_EQ(t2.size() % 3, 0u);
  EXPECT_LE(t2.size(), 9u);
  for (auto i : t2) EXPECT_LT(i, star.size());
  // A larger ring with a local twist: still n-2 triangles at most, all indices valid.
  auto c = comb(10);
  std::swap(c[7], c[8]);
  const auto t3 = viz::triangulate(c);
  EXPECT_EQ(t3.size() % 3, 0u);
  EXPECT_LE(t3.size(), 3 * (c.size() - 2));
  EXPECT_GE(t3.size(), 3 * (c.size() - 4));
  for (auto i : t3) EXPECT_LT(i, c.size());
}

TEST(VizGeo, TriangulateTerminatesOnRandomRings) {
  // Random points on a coarse grid: self-intersecting, with duplicates and collinear runs.
  std::mt19937 rng(11);
  std::uniform_int_distribution<int> coord(0, 6);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<LonLat> r(static_cast<std::size_t>(3 + trial % 60));
    for (auto& p : r) p = {static_cast<double>(coord(rng)), static_cast<double>(coord(rng))};
    const auto t = viz::triangulate(r);
    ASSERT_EQ(t.size() % 3, 0u);
    ASSERT_LE(t.size(), 3 * (r.size() - 2));
    for (std::size_t k = 0; k < t.size(); k += 3) {
      ASSERT_LT(std::max({t[k], t[k + 1], t[k + 2]}), r.size());
      EXPECT_NE(tri_area(r[t[k]], r[t[k + 1]], r[t[k + 2]]), 0) << "trial " << trial;
    }
  }
}

TEST(VizGeo, PointInRingEvenOdd) {
  const auto l = std::vector<LonLat>{{0, 0}, {3, 0}, {3, 1}, {1, 1}, {1, 3}, {0, 3}};
  EXPECT_TRUE(viz::point_in_ring(l, {0.5, 0.5}));
  EXPECT_TRUE(viz::point_in_ring(l, {2.5, 0.5}));
  EXPECT_TRUE(viz::point_in_ring(l, {0.5, 2.5}));
  EXPECT_FALSE(viz::point_in_ring(l, {2, 2}));  // in the notch
  EXPECT_FALSE(viz::point_in_ring(l, {-1, 0.5}));
  EXPECT_FALSE(viz::point_in_ring(l, {4, 0.5}));
  EXPECT_FALSE(viz::point_in_ring(l, {0.5, 4}));
  // Same answers for the reversed, closed ring.
  auto rc = reversed(l);
  rc.push_back(rc.front());
  EXPECT_TRUE(viz::point_in_ring(rc, {0.5, 0.5}));
  EXPECT_FALSE(viz::point_in_ring(rc, {2, 2}));
  // Even-odd: the pentagram's centre is covered twice, so it is outside; a tip is inside.
  std::vector<LonLat> star;
  for (int i = 0; i < 5; ++i) {
    const double a = std::numbers::pi / 2 + 2 * std::numbers::pi * ((2 * i) % 5) / 5;
    star.push_back({std::cos(a), std::sin(a)});
  }
  EXPECT_FALSE(viz::point_in_ring(star, {0, 0}));
  EXPECT_TRUE(viz::point_in_ring(star, {0, 0.8}));
  EXPECT_FALSE(viz::point_in_ring({}, {0, 0}));
}

TEST(VizGeo, MissingFolderGivesNoShapes) {
  EXPECT_TRUE(viz::load_zhejiang_shapes("/nonexistent/feidi/geo/folder").empty());
}

TEST(VizGeo, DefaultGeoDirHonoursEnvironment) {
  const char* old = std::getenv("FEIDI_GEO_DIR");
  const std::string saved = old ? old : "";
  setenv("FEIDI_GEO_DIR", "/some/where", 1);
  EXPECT_EQ(viz::default_geo_dir(), "/some/where");
  setenv("FEIDI_GEO_DIR", "", 1);  // empty: the built-in default
  EXPECT_FALSE(viz::default_geo_dir().empty());
  EXPECT_NE(viz::default_geo_dir(), "/some/where");
  if (old)
    setenv("FEIDI_GEO_DIR", saved.c_str(), 1);
  else
    unsetenv("FEIDI_GEO_DIR");
}

TEST(VizGeo, LoadsSyntheticFilesMergingMappedCodes) {
  const fs::path dir = scratch_dir("ok");
  // Two features that map to 330105 (one with a hole, ignored), a MultiPolygon under an
  // old code, a numeric id, escapes in strings, a non-matching file name that must be
  // ignored, and a feature without geometry.
  write_file(dir / "zhe4_jiang1_a.geojson",
             R"({"type":"FeatureCollection","features":[)"
             R"({"type":"Feature","id":"330105",)"
             R"("properties":{"name":"\u62f1\u5885\u533a \"x\"\/\n","cp":[120.1,30.3]},)"
             R"("geometry":{"type":"Polygon","coordinates":[[[120,30],[120.1,30],[120.1,30.1],[120,30.1],[120,30]],)"
             R"([[120.02,30.02],[120.05,30.02],[120.05,30.05],[120.02,30.02]]]}},)"
             R"({"type":"Feature","id":330103,"properties":{"name":"\ud83d\ude00"},"geometry":{"type":"Polygon",)"
             R"("coordinates":[[[120.1,30],[120.2,30],[120.2,30.1],[120.1,30.1],[120.1,30]]]}},)"
             R"({"type":"Feature","id":"330000","properties":{},"geometry":null})"
             "]}\n");
  write_file(dir / "zhe4_jiang1_b.geojson",
             " { \"type\" : \"FeatureCollection\" , \"features\" : [ { \"type\":\"Feature\", \"id\":\"331021\", "
             "\"properties\":{\"ok\":true,\"no\":false,\"n\":null,\"e\":-1.5e-3},\n"
             "\"geometry\":{\"type\":\"MultiPolygon\",\"coordinates\":[[[[121,28],[121.1,28],[121.1,28.1],[121,28]]],"
             "[[[121.2,28],[121.3,28],[121.3,28.1],[121.2,28.1]]]]}}]}");
  write_file(dir / "other.geojson", "this is not JSON and must not be read");
  const auto shapes = viz::load_zhejiang_shapes(dir.string(), 0.004);
  fs::remove_all(dir);

  ASSERT_EQ(shapes.size(), 2u);
  EXPECT_EQ(shapes[0].code, 330105);
  EXPECT_EQ(shapes[1].code, 331083);
  ASSERT_EQ(shapes[0].rings.size(), 2u);  // both features, outer rings only
  ASSERT_EQ(shapes[0].triangles.size(), 2u);
  ASSERT_EQ(shapes[1].rings.size(), 2u);  // both polygons of the MultiPolygon
  for (const CountyShape& s : shapes) {
    for (std::size_t r = 0; r < s.rings.size(); ++r) {
      const double a = std::abs(ring_area(s.rings[r]));
      EXPECT_GT(a, 0);
      EXPECT_NEAR(triangles_area(s.rings[r], s.triangles[r]), a, 1e-9 * a);
    }
  }
  EXPECT_EQ(shapes[0].rings[0].size(), 4u);  // open ring: closing point dropped
  EXPECT_NEAR(std::abs(ring_area(shapes[0].rings[0])), 0.01, 1e-9);
}

TEST(VizGeo, MalformedJsonErrorNamesFileAndOffset) {
  struct Case {
    std::string text;
    std::string offset;
  };
  const std::vector<Case> cases{
      {R"({"type":"FeatureCollection","features":[{"id":"330102",})", "55"},  // trailing comma
      {R"({"features":[1,2,])", "17"},
      {R"({"a":"\q"})", "7"},
      {R"({"a":tru})", "5"},
      {R"({"a":01})", "6"},
      {R"({"a":"unterminated)", "18"},
      {R"({"a":1} x)", "8"},
      {"", "0"},
      {R"({"a":"\ud800"})", "12"},  // unpaired surrogate
      {"{\"a\":\"tab\there\"}", "9"},  // raw control character in a string
      {R"({"a":[1,2})", "9"},
      {R"({"a" 1})", "5"},
      {R"({"a":-})", "6"},
      {R"({"a":1.})", "7"},
  };
  for (const Case& c : cases) {
    const fs::path dir = scratch_dir("bad");
    const fs::path file = dir / "zhe4_jiang1_bad.geojson";
    write_file(file, c.text);
    try {
      viz::load_zhejiang_shapes(dir.string());
      ADD_FAILURE() << "no error for " << c.text;
    } catch (const feidi::DataError& e) {  // the project's typed error: the viewer reports it as bad input
      const std::string msg = e.what();
      EXPECT_NE(msg.find(file.string() + ":1:" + std::to_string(std::stoi(c.offset) + 1) + ": "), std::string::npos)
          << msg;  // file:line:column of the offending byte (one line here)
      EXPECT_NE(msg.find("byte " + c.offset + ":"), std::string::npos) << c.text << " → " << msg;
    }
    fs::remove_all(dir);
  }
}

TEST(VizGeo, LoadsProvince) {
  const std::string dir = viz::default_geo_dir();
  if (!fs::is_directory(dir)) GTEST_SKIP() << "no polygon files in " << dir << " (set-up not run)";
  const auto t0 = std::chrono::steady_clock::now();
  const auto shapes = viz::load_zhejiang_shapes(dir, 0.004);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::size_t points = 0, tris = 0;
  for (const auto& s : shapes)
    for (std::size_t r = 0; r < s.rings.size(); ++r) {
      points += s.rings[r].size();
      tris += s.triangles[r].size() / 3;
    }
  std::cout << "[ province ] " << shapes.size() << " shapes, " << points << " points, " << tris
            << " triangles, loaded in " << secs * 1000 << " ms\n";
  RecordProperty("load_ms", static_cast<int>(secs * 1000));

  ASSERT_GE(shapes.size(), 85u);
  for (std::size_t i = 1; i < shapes.size(); ++i) EXPECT_LT(shapes[i - 1].code, shapes[i].code) << "not sorted/unique";
  auto find = [&](std::int32_t code) -> const CountyShape* {
    for (const auto& s : shapes)
      if (s.code == code) return &s;
    return nullptr;
  };
  EXPECT_NE(find(330727), nullptr);  // 磐安
  EXPECT_NE(find(330112), nullptr);  // 临安 (from 330185)
  EXPECT_NE(find(330213), nullptr);  // 奉化 (from 330283)
  EXPECT_NE(find(331083), nullptr);  // 玉环 (from 331021)
  for (std::int32_t old : {330103, 330104, 330185, 330283, 331021}) EXPECT_EQ(find(old), nullptr) << old;
  const CountyShape* gongshu = find(330105);
  ASSERT_NE(gongshu, nullptr);
  EXPECT_GE(gongshu->rings.size(), 2u);  // 拱墅 + 下城, one polygon each in the file

  double min_lon = 1e9, max_lon = -1e9, min_lat = 1e9, max_lat = -1e9;
  for (const auto& s : shapes) {
    ASSERT_EQ(s.rings.size(), s.triangles.size()) << s.code;
    ASSERT_FALSE(s.rings.empty()) << s.code;
    double area = 0;
    for (std::size_t r = 0; r < s.rings.size(); ++r) {
      const auto& ring = s.rings[r];
      const auto& t = s.triangles[r];
      EXPECT_GE(ring.size(), 3u) << s.code;
      for (std::size_t i = 0; i < ring.size(); ++i) {  // open, no consecutive duplicates
        const LonLat &p = ring[i], &q = ring[(i + 1) % ring.size()];
        EXPECT_FALSE(p.lon == q.lon && p.lat == q.lat) << s.code << " ring " << r << " point " << i;
      }
      EXPECT_EQ(t.size() % 3, 0u) << s.code;
      for (auto i : t) ASSERT_LT(i, ring.size()) << s.code << " ring " << r;
      for (const auto& p : ring) {
        min_lon = std::min(min_lon, p.lon);
        max_lon = std::max(max_lon, p.lon);
        min_lat = std::min(min_lat, p.lat);
        max_lat = std::max(max_lat, p.lat);
      }
      for (std::size_t k = 0; k < t.size(); k += 3)
        area += std::abs(tri_area(ring[t[k]], ring[t[k + 1]], ring[t[k + 2]]));
    }
    EXPECT_GT(area, 0) << s.code;
  }
  EXPECT_GE(min_lon, 118.0);
  EXPECT_LE(max_lon, 123.5);
  EXPECT_GE(min_lat, 27.0);
  EXPECT_LE(max_lat, 31.5);
}

TEST(VizGeo, MalformedJsonErrorCountsLines) {
  const fs::path dir = scratch_dir("lines");
  const fs::path file = dir / "zhe4_jiang1_lines.geojson";
  write_file(file, "{\n  \"features\": [\n    1,\n  ]\n}");  // trailing comma: the ']' on line 4, column 3
  try {
    viz::load_zhejiang_shapes(dir.string());
    ADD_FAILURE() << "no error";
  } catch (const feidi::DataError& e) {
    EXPECT_NE(std::string(e.what()).find(file.string() + ":4:3: malformed JSON"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}
