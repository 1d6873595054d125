// geo.cpp — county polygons: a small JSON reader for the GeoJSON files, code mapping,
// Douglas–Peucker simplification, ear-clipping triangulation and point-in-ring.
//
// Conventions used throughout:
//   * A ring is a list of [lon, lat] points. Inputs may be closed (last point equal to
//     the first) or open; simplify() always returns an OPEN ring (no repeated closing
//     point, no consecutive duplicates), which is what CountyShape::rings holds and what
//     triangulate() indexes.
//   * triangulate() accepts either orientation and returns triangles wound like the ring.
#include "geo.hpp"

#include "engine/error.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <utility>

#ifndef FEIDI_DEFAULT_GEO_DIR
#define FEIDI_DEFAULT_GEO_DIR ".deps/geo"
#endif

namespace feidi::viz {

namespace {

// Where in a file a problem is (for the project's typed errors).
feidi::InputLocation located(const std::string& file, int line = 0, int column = 0) {
  feidi::InputLocation loc;
  loc.file = file;
  loc.line = line;
  loc.column = column;
  return loc;
}

}  // namespace

namespace {

// ---------------------------------------------------------------------------------
// JSON: a recursive-descent parser into a flat node arena. Children of an array or
// object are linked through `next`; object members carry their key. Strings (values and
// keys) are entries of a string table: views into the file text when they have no
// escapes, else into `decoded_`. One JsonDoc is reused for every file so that its
// buffers are allocated once.
// ---------------------------------------------------------------------------------

enum class JType : std::uint8_t { Null, False, True, Number, String, Array, Object };

constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();

struct JNode {  // 32 bytes
  JType type = JType::Null;
  std::uint32_t key = kNone;    // member name (string table) when the parent is an object
  std::uint32_t next = kNone;   // next sibling
  std::uint32_t first = kNone;  // arrays, objects: first child; strings: string table entry
  std::uint32_t size = 0;       // arrays, objects: number of children
  double num = 0;               // numbers
};

class JsonDoc {
 public:
  // Parses `text_` (filled by the caller through text()) as the contents of `file`.
  void parse(std::string file) {
    file_ = std::move(file);
    pos_ = 0;
    nodes_.clear();
    strings_.clear();
    decoded_.clear();
    nodes_.reserve(text_.size() / 8 + 16);
    skip_ws();
    root_ = parse_value(0);
    skip_ws();
    if (pos_ != text_.size()) fail("unexpected data after the top-level value");
  }

  std::string& text() { return text_; }
  const JNode& node(std::uint32_t i) const { return nodes_[i]; }
  std::uint32_t root() const { return root_; }
  // The value of a string node.
  std::string_view str(std::uint32_t i) const { return strings_[nodes_[i].first]; }

  // Member `key` of object node `obj`, or kNone.
  std::uint32_t member(std::uint32_t obj, std::string_view key) const {
    if (obj == kNone || nodes_[obj].type != JType::Object) return kNone;
    for (std::uint32_t c = nodes_[obj].first; c != kNone; c = nodes_[c].next)
      if (strings_[nodes_[c].key] == key) return c;
    return kNone;
  }

 private:
  static constexpr int kMaxDepth = 256;

  [[noreturn]] void fail(const std::string& what) const {
    // file:line:column (1-based, column in bytes) of the offending byte.
    int line = 1, column = 1;
    for (std::size_t i = 0; i < pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    throw feidi::DataError(located(file_, line, column), "malformed JSON at byte " + std::to_string(pos_) + ": " + what);
  }

  void skip_ws() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        ++pos_;
      else
        break;
    }
  }

  bool consume_literal(std::string_view lit) {
    if (text_.compare(pos_, lit.size(), lit) != 0) return false;
    pos_ += lit.size();
    return true;
  }

  std::uint32_t add_node(JType t) {
    if (nodes_.size() >= kNone - 1) [[unlikely]]
      fail("too many values");
    JNode& n = nodes_.emplace_back();
    n.type = t;
    return static_cast<std::uint32_t>(nodes_.size() - 1);
  }

  std::uint32_t parse_value(int depth) {
    if (depth > kMaxDepth) fail("nesting too deep");
    if (pos_ >= text_.size()) fail("unexpected end of input");
    const char c = text_[pos_];
    switch (c) {
      case '{': return parse_object(depth);
      case '[': return parse_array(depth);
      case '"': {
        const std::uint32_t s = parse_string();
        const std::uint32_t n = add_node(JType::String);
        nodes_[n].first = s;
        return n;
      }
      case 't':
        if (!consume_literal("true")) fail("invalid literal");
        return add_node(JType::True);
      case 'f':
        if (!consume_literal("false")) fail("invalid literal");
        return add_node(JType::False);
      case 'n':
        if (!consume_literal("null")) fail("invalid literal");
        return add_node(JType::Null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return parse_number();
        fail(std::string("unexpected character '") + c + "'");
    }
  }

  std::uint32_t parse_number() {
    const std::size_t start = pos_;
    const std::size_t n = text_.size();
    auto digit = [&](std::size_t i) { return i < n && text_[i] >= '0' && text_[i] <= '9'; };
    std::size_t i = pos_;
    if (i < n && text_[i] == '-') ++i;
    if (!digit(i)) {
      pos_ = i;
      fail("invalid number");
    }
    if (text_[i] == '0') {
      ++i;
    } else {
      while (digit(i)) ++i;
    }
    if (i < n && text_[i] == '.') {
      ++i;
      if (!digit(i)) {
        pos_ = i;
        fail("invalid number: digit expected after '.'");
      }
      while (digit(i)) ++i;
    }
    if (i < n && (text_[i] == 'e' || text_[i] == 'E')) {
      ++i;
      if (i < n && (text_[i] == '+' || text_[i] == '-')) ++i;
      if (!digit(i)) {
        pos_ = i;
        fail("invalid number: digit expected in exponent");
      }
      while (digit(i)) ++i;
    }
    double v = 0;
    const auto r = std::from_chars(text_.data() + start, text_.data() + i, v);
    if (r.ec == std::errc::result_out_of_range) {
      // Overflow or underflow: follow strtod (±HUGE_VAL or 0).
      v = std::strtod(std::string(text_.data() + start, i - start).c_str(), nullptr);
    } else if (r.ec != std::errc() || r.ptr != text_.data() + i) {
      fail("invalid number");
    }
    pos_ = i;
    const std::uint32_t node = add_node(JType::Number);
    nodes_[node].num = v;
    return node;
  }

  unsigned parse_hex4() {
    if (pos_ + 4 > text_.size()) fail("truncated \\u escape");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char h = text_[pos_++];
      v <<= 4;
      if (h >= '0' && h <= '9')
        v |= static_cast<unsigned>(h - '0');
      else if (h >= 'a' && h <= 'f')
        v |= static_cast<unsigned>(h - 'a' + 10);
      else if (h >= 'A' && h <= 'F')
        v |= static_cast<unsigned>(h - 'A' + 10);
      else {
        --pos_;
        fail("invalid hex digit in \\u escape");
      }
    }
    return v;
  }

  static void append_utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  // Parses a string starting at the opening quote; returns its string table entry.
  std::uint32_t parse_string() {
    ++pos_;  // opening quote
    const std::size_t start = pos_;
    const std::size_t n = text_.size();
    // Fast path: no escapes.
    while (pos_ < n) {
      const char c = text_[pos_];
      if (c == '"') {
        strings_.emplace_back(text_.data() + start, pos_ - start);
        ++pos_;
        return static_cast<std::uint32_t>(strings_.size() - 1);
      }
      if (c == '\\') break;
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
      ++pos_;
    }
    if (pos_ >= n) fail("unterminated string");
    // Slow path: decode escapes.
    std::string out(text_.data() + start, pos_ - start);
    while (true) {
      if (pos_ >= n) fail("unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        break;
      }
      if (static_cast<unsigned char>(c) < 0x20) fail("control character in string");
      if (c != '\\') {
        out += c;
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= n) fail("unterminated string");
      const char e = text_[pos_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp = parse_hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            // High surrogate: a low one must follow.
            if (pos_ + 2 <= n && text_[pos_] == '\\' && text_[pos_ + 1] == 'u') {
              pos_ += 2;
              const unsigned lo = parse_hex4();
              if (lo < 0xDC00 || lo > 0xDFFF) fail("invalid low surrogate in \\u escape");
              cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            } else {
              fail("unpaired high surrogate in \\u escape");
            }
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail("unpaired low surrogate in \\u escape");
          }
          append_utf8(out, cp);
          break;
        }
        default:
          --pos_;
          fail("invalid escape sequence");
      }
    }
    decoded_.push_back(std::move(out));
    strings_.emplace_back(decoded_.back());
    return static_cast<std::uint32_t>(strings_.size() - 1);
  }

  std::uint32_t parse_array(int depth) {
    ++pos_;  // '['
    const std::uint32_t arr = add_node(JType::Array);
    skip_ws();
    if (pos_ < text_.size() && text_[pos_] == ']') {
      ++pos_;
      return arr;
    }
    std::uint32_t last = kNone;
    std::uint32_t count = 0;
    while (true) {
      skip_ws();
      const std::uint32_t child = parse_value(depth + 1);
      if (last == kNone)
        nodes_[arr].first = child;
      else
        nodes_[last].next = child;
      last = child;
      ++count;
      skip_ws();
      if (pos_ >= text_.size()) fail("unterminated array");
      const char c = text_[pos_];
      if (c == ',') {
        ++pos_;
        continue;
      }
      if (c == ']') {
        ++pos_;
        break;
      }
      fail("expected ',' or ']' in array");
    }
    nodes_[arr].size = count;
    return arr;
  }

  std::uint32_t parse_object(int depth) {
    ++pos_;  // '{'
    const std::uint32_t obj = add_node(JType::Object);
    skip_ws();
    if (pos_ < text_.size() && text_[pos_] == '}') {
      ++pos_;
      return obj;
    }
    std::uint32_t last = kNone;
    std::uint32_t count = 0;
    while (true) {
      skip_ws();
      if (pos_ >= text_.size()) fail("unterminated object");
      if (text_[pos_] != '"') fail("expected a string key in object");
      const std::uint32_t key = parse_string();
      skip_ws();
      if (pos_ >= text_.size() || text_[pos_] != ':') fail("expected ':' after object key");
      ++pos_;
      skip_ws();
      const std::uint32_t child = parse_value(depth + 1);
      nodes_[child].key = key;
      if (last == kNone)
        nodes_[obj].first = child;
      else
        nodes_[last].next = child;
      last = child;
      ++count;
      skip_ws();
      if (pos_ >= text_.size()) fail("unterminated object");
      const char c = text_[pos_];
      if (c == ',') {
        ++pos_;
        continue;
      }
      if (c == '}') {
        ++pos_;
        break;
      }
      fail("expected ',' or '}' in object");
    }
    nodes_[obj].size = count;
    return obj;
  }

  std::string text_;
  std::string file_;
  std::size_t pos_ = 0;
  std::vector<JNode> nodes_;
  std::vector<std::string_view> strings_;
  std::deque<std::string> decoded_;  // deque: stable addresses for the views
  std::uint32_t root_ = kNone;
};

// Reads the whole file into `text` (reusing its buffer).
void read_file(const std::filesystem::path& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw feidi::PathError(path.string() + ": cannot open");
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) throw feidi::PathError(path.string() + ": cannot read");
  in.seekg(0, std::ios::beg);
  text.resize(static_cast<std::size_t>(size));
  if (size > 0 && !in.read(text.data(), size)) throw feidi::PathError(path.string() + ": cannot read");
}

// ---------------------------------------------------------------------------------
// Geometry helpers.
// ---------------------------------------------------------------------------------

inline bool same(const LonLat& a, const LonLat& b) { return a.lon == b.lon && a.lat == b.lat; }

// Twice the signed area of triangle abc (positive when counter-clockwise).
inline double cross(const LonLat& a, const LonLat& b, const LonLat& c) {
  return (b.lon - a.lon) * (c.lat - a.lat) - (b.lat - a.lat) * (c.lon - a.lon);
}

// Squared distance from p to segment ab.
double seg_dist2(const LonLat& p, const LonLat& a, const LonLat& b) {
  const double dx = b.lon - a.lon, dy = b.lat - a.lat;
  const double len2 = dx * dx + dy * dy;
  double t = 0;
  if (len2 > 0) t = std::clamp(((p.lon - a.lon) * dx + (p.lat - a.lat) * dy) / len2, 0.0, 1.0);
  const double ex = a.lon + t * dx - p.lon, ey = a.lat + t * dy - p.lat;
  return ex * ex + ey * ey;
}

// Open ring without consecutive duplicates (including last == first).
std::vector<LonLat> dedupe_open(const std::vector<LonLat>& ring) {
  std::vector<LonLat> out;
  out.reserve(ring.size());
  for (const LonLat& p : ring)
    if (out.empty() || !same(out.back(), p)) out.push_back(p);
  while (out.size() > 1 && same(out.front(), out.back())) out.pop_back();
  return out;
}

// Point-in-triangle including the boundary, for a triangle of orientation sign `s`.
inline bool in_triangle(const LonLat& a, const LonLat& b, const LonLat& c, const LonLat& p, double s) {
  return s * cross(a, b, p) >= 0 && s * cross(b, c, p) >= 0 && s * cross(c, a, p) >= 0;
}

// Reads a GeoJSON linear ring (array of [lon, lat] arrays).
std::vector<LonLat> read_ring(const JsonDoc& doc, std::uint32_t arr, const std::string& file) {
  std::vector<LonLat> ring;
  const JNode& a = doc.node(arr);
  if (a.type != JType::Array) throw feidi::DataError(located(file), "GeoJSON ring is not an array");
  ring.reserve(a.size);
  for (std::uint32_t c = a.first; c != kNone; c = doc.node(c).next) {
    const JNode& pt = doc.node(c);
    if (pt.type != JType::Array || pt.size < 2)
      throw feidi::DataError(located(file), "GeoJSON position is not an array of two numbers");
    const JNode& x = doc.node(pt.first);
    const JNode& y = doc.node(x.next);
    if (x.type != JType::Number || y.type != JType::Number)
      throw feidi::DataError(located(file), "GeoJSON position is not an array of two numbers");
    ring.push_back(LonLat{x.num, y.num});
  }
  return ring;
}

std::int32_t feature_code(const JsonDoc& doc, std::uint32_t feature, const std::string& file) {
  std::uint32_t id = doc.member(feature, "id");
  if (id == kNone) {
    const std::uint32_t props = doc.member(feature, "properties");
    id = doc.member(props, "id");
  }
  if (id == kNone) throw feidi::DataError(located(file), "feature without an \"id\"");
  const JNode& n = doc.node(id);
  if (n.type == JType::Number && n.num == std::floor(n.num) && std::abs(n.num) < 2e9)
    return static_cast<std::int32_t>(n.num);
  if (n.type == JType::String) {
    const std::string_view str = doc.str(id);
    std::int32_t v = 0;
    const auto r = std::from_chars(str.data(), str.data() + str.size(), v);
    if (r.ec == std::errc() && r.ptr == str.data() + str.size()) return v;
  }
  throw feidi::DataError(located(file), "feature \"id\" is not a county code");
}

}  // namespace

// ---------------------------------------------------------------------------------

std::int32_t map_code(std::int32_t code) {
  // The polygon files predate the 2021 division changes. Counties of the model with no
  // polygon of their own at all: 330113 临平区 and 330114 钱塘区 (carved out of 余杭 and
  // 江干/萧山 in 2021) and 330383 龙港市 (carved out of 苍南 in 2019); their areas stay
  // inside the older shapes (330110 余杭, 330109 萧山 / 330104→330102, 330327 苍南), and
  // the viewer draws these three as points.
  switch (code) {
    case 330185: return 330112;  // 临安市 → 临安区 (2017)
    case 330283: return 330213;  // 奉化市 → 奉化区 (2016)
    case 331021: return 331083;  // 玉环县 → 玉环市 (2017)
    case 330103: return 330105;  // 下城区, merged into 拱墅区 (2021)
    case 330104: return 330102;  // 江干区, mostly merged into 上城区 (2021; approximate)
    default: return code;
  }
}

std::string default_geo_dir() {
  const char* env = std::getenv("FEIDI_GEO_DIR");
  if (env != nullptr && *env != '\0') return env;
  return FEIDI_DEFAULT_GEO_DIR;
}

// Douglas–Peucker on a closed ring. Returns an open ring (no repeated closing point and
// no consecutive duplicates) that starts with the input's first point. The two anchors
// are the first point and the point farthest from it; the two chains between them are
// simplified separately. When the input has at least 3 distinct points, so does the
// result (the point farthest from the anchor segment is added if needed). Small islands
// therefore survive as triangles whatever the tolerance.
std::vector<LonLat> simplify(const std::vector<LonLat>& ring, double tolerance) {
  std::vector<LonLat> p = dedupe_open(ring);
  const std::size_t n = p.size();
  if (n <= 3 || !(tolerance > 0)) return p;

  // Second anchor: farthest from p[0].
  std::size_t far = 0;
  double best = -1;
  for (std::size_t i = 1; i < n; ++i) {
    const double dx = p[i].lon - p[0].lon, dy = p[i].lat - p[0].lat;
    const double d = dx * dx + dy * dy;
    if (d > best) {
      best = d;
      far = i;
    }
  }

  std::vector<char> keep(n, 0);
  keep[0] = keep[far] = 1;
  const double tol2 = tolerance * tolerance;
  auto at = [&](std::size_t i) -> const LonLat& { return p[i == n ? 0 : i]; };
  std::vector<std::pair<std::size_t, std::size_t>> stack{{0, far}, {far, n}};
  while (!stack.empty()) {
    const auto [a, b] = stack.back();
    stack.pop_back();
    if (b <= a + 1) continue;
    double dmax = -1;
    std::size_t imax = a;
    for (std::size_t i = a + 1; i < b; ++i) {
      const double d = seg_dist2(p[i], at(a), at(b));
      if (d > dmax) {
        dmax = d;
        imax = i;
      }
    }
    if (dmax > tol2) {
      keep[imax] = 1;
      stack.emplace_back(a, imax);
      stack.emplace_back(imax, b);
    }
  }

  std::vector<LonLat> out;
  for (std::size_t i = 0; i < n; ++i)
    if (keep[i]) out.push_back(p[i]);
  out = dedupe_open(out);  // a ring touching itself can leave neighbours at one point
  if (out.size() < 3) {
    // Too small for the tolerance: keep the anchors and the point farthest from their
    // segment (for a collinear ring, any point distinct from both anchors).
    std::size_t pick = n;
    double dbest = -1;
    for (std::size_t i = 1; i < n; ++i) {
      if (same(p[i], p[0]) || same(p[i], p[far])) continue;
      const double d = seg_dist2(p[i], p[0], p[far]);
      if (d > dbest) {
        dbest = d;
        pick = i;
      }
    }
    if (pick < n) out = {p[0], p[std::min(far, pick)], p[std::max(far, pick)]};
  }
  return out;
}

// Ear clipping. Consecutive duplicates and a repeated closing point are skipped, then
// vertices collinear with their neighbours (straight-through points, zero-width spikes)
// are dropped; the remaining n vertices yield n - 2 triangles when the ring is simple.
// A vertex is an ear when it is strictly convex and no other vertex lies in or on its
// triangle; another visit of one of the ear's corners (a ring touching itself at a
// point) blocks only when one of its edges enters the triangle. After each clip,
// neighbours that now coincide and zero-width spikes are removed. When a full pass finds
// no ear, a vertex made flat by earlier clips is dropped if there is one; otherwise (a
// self-intersecting ring) the convex vertex with the smallest triangle is clipped
// anyway, which keeps the damage local; if no vertex is convex, the rest is a loop of
// the opposite orientation and is clipped as such (once; a second time, the rest is
// fanned). Every fallback step but that one flip removes a vertex, so the loop always
// terminates. Triangles are never degenerate and are wound like the ring, except those
// of such an opposite loop of a self-intersecting ring.
std::vector<std::uint32_t> triangulate(const std::vector<LonLat>& ring) {
  std::vector<std::uint32_t> tris;
  // Indices of distinct vertices.
  std::vector<std::uint32_t> idx;
  idx.reserve(ring.size());
  for (std::size_t i = 0; i < ring.size(); ++i)
    if (idx.empty() || !same(ring[idx.back()], ring[i])) idx.push_back(static_cast<std::uint32_t>(i));
  while (idx.size() > 1 && same(ring[idx.front()], ring[idx.back()])) idx.pop_back();
  const std::size_t m = idx.size();
  if (m < 3) return tris;

  std::vector<LonLat> P(m);
  for (std::size_t i = 0; i < m; ++i) P[i] = ring[idx[i]];
  double area2 = 0;
  for (std::size_t i = 0, j = m - 1; i < m; j = i++) area2 += (P[j].lon - P[i].lon) * (P[j].lat + P[i].lat);
  // area2 above is twice the signed area with the sign of the shoelace formula
  // sum (x_j - x_i)(y_j + y_i), which is positive for counter-clockwise rings. (Zero for
  // a collinear ring, which the next step empties, or a balanced figure-eight.)
  double s = area2 >= 0 ? 1.0 : -1.0;  // orientation; flipped at most once, see below

  std::vector<std::uint32_t> prev(m), next(m);
  for (std::size_t i = 0; i < m; ++i) {
    prev[i] = static_cast<std::uint32_t>(i == 0 ? m - 1 : i - 1);
    next[i] = static_cast<std::uint32_t>(i + 1 == m ? 0 : i + 1);
  }
  tris.reserve(3 * (m - 2));
  std::size_t remaining = m;

  auto remove = [&](std::uint32_t v) {
    next[prev[v]] = next[v];
    prev[next[v]] = prev[v];
    --remaining;
  };
  auto emit = [&](std::uint32_t a, std::uint32_t b, std::uint32_t c) {
    tris.push_back(idx[a]);
    tris.push_back(idx[b]);
    tris.push_back(idx[c]);
  };
  // True when the edge from corner X (= P[q]) towards P[w] enters the interior of the
  // ear triangle abc, whose corner X is; used for rings that touch themselves at X.
  auto enters = [&](const LonLat& A, const LonLat& B, const LonLat& C, const LonLat& X, const LonLat& W) {
    if (same(X, A)) return s * cross(A, B, W) > 0 && s * cross(C, A, W) > 0;
    if (same(X, B)) return s * cross(A, B, W) > 0 && s * cross(B, C, W) > 0;
    return s * cross(B, C, W) > 0 && s * cross(C, A, W) > 0;
  };
  auto is_ear = [&](std::uint32_t a, std::uint32_t b, std::uint32_t c) {
    const LonLat &A = P[a], &B = P[b], &C = P[c];
    const double minx = std::min({A.lon, B.lon, C.lon}), maxx = std::max({A.lon, B.lon, C.lon});
    const double miny = std::min({A.lat, B.lat, C.lat}), maxy = std::max({A.lat, B.lat, C.lat});
    for (std::uint32_t v = next[c]; v != a; v = next[v]) {
      const LonLat& Q = P[v];
      if (Q.lon < minx || Q.lon > maxx || Q.lat < miny || Q.lat > maxy) continue;
      if (same(Q, A) || same(Q, B) || same(Q, C)) {
        // Another visit of a corner (the ring touches itself there): it blocks only when
        // one of its edges enters the triangle.
        if (enters(A, B, C, Q, P[prev[v]]) || enters(A, B, C, Q, P[next[v]])) return false;
        continue;
      }
      if (in_triangle(A, B, C, Q, s)) return false;
    }
    return true;
  };

  // Drop the vertices that are collinear with their neighbours (straight-through points
  // and zero-width spikes), re-checking the neighbours after each removal.
  std::uint32_t cur = 0;
  for (std::size_t checked = 0; remaining >= 3 && checked < remaining;) {
    const std::uint32_t a = prev[cur];
    if (cross(P[a], P[cur], P[next[cur]]) == 0) {
      remove(cur);
      cur = a;
      checked = 0;
    } else {
      cur = next[cur];
      ++checked;
    }
  }
  if (remaining < 3) return tris;

  // After a clip the ring may fold back on itself where it touched itself: neighbours at
  // the same point, or a zero-width spike (the ring goes to a point and straight back).
  // Both are removed at once, re-checking the vertices around each removal.
  std::vector<std::uint32_t> work;
  auto tidy = [&](std::uint32_t a, std::uint32_t c) -> std::uint32_t {
    work.assign({c, a});
    std::uint32_t live = a;
    while (!work.empty() && remaining > 3) {
      const std::uint32_t u = work.back();
      work.pop_back();
      if (next[prev[u]] != u) continue;  // already removed
      const std::uint32_t p = prev[u], w = next[u];
      const LonLat &A = P[p], &B = P[u], &C = P[w];
      const bool dup = same(A, B);
      const bool spike = !dup && cross(A, B, C) == 0 &&
                         (B.lon - A.lon) * (C.lon - B.lon) + (B.lat - A.lat) * (C.lat - B.lat) < 0;
      if (dup || spike) {
        remove(u);
        work.push_back(w);
        work.push_back(p);
        live = p;
      }
    }
    return live;
  };

  std::size_t stalls = 0;
  bool flipped = false;
  while (remaining > 3) {
    const std::uint32_t a = prev[cur], c = next[cur];
    const double cr = s * cross(P[a], P[cur], P[c]);
    if (cr > 0 && is_ear(a, cur, c)) {
      emit(a, cur, c);
      remove(cur);
      cur = tidy(a, c);
      cur = next[cur];
      stalls = 0;
      continue;
    }
    cur = c;
    if (++stalls < remaining) continue;
    stalls = 0;

    // A full pass without an ear. Vertices made flat by earlier clips are kept while
    // possible (so a ring without collinear points gets n - 2 triangles); now drop one.
    std::uint32_t v = cur;
    bool dropped = false;
    for (std::size_t k = 0; k < remaining; ++k, v = next[v]) {
      if (cross(P[prev[v]], P[v], P[next[v]]) == 0) {
        cur = prev[v];
        remove(v);
        dropped = true;
        break;
      }
    }
    if (dropped) continue;

    // Self-intersecting input: clip the convex vertex with the smallest triangle anyway.
    std::uint32_t pick = kNone;
    double pick_area = std::numeric_limits<double>::infinity();
    v = cur;
    for (std::size_t k = 0; k < remaining; ++k, v = next[v]) {
      const double ar = s * cross(P[prev[v]], P[v], P[next[v]]);
      if (ar > 0 && ar < pick_area) {
        pick_area = ar;
        pick = v;
      }
    }
    if (pick == kNone && !flipped) {
      // Every vertex left turns the wrong way: the rest is a loop of the opposite
      // orientation (the ring crosses itself). Clip it in its own orientation.
      s = -s;
      flipped = true;
      continue;
    }
    if (pick == kNone) {  // still nothing convex: fan the remainder
      const std::uint32_t first = cur;
      for (std::uint32_t u = next[first]; next[u] != first; u = next[u]) {
        if (cross(P[first], P[u], P[next[u]]) != 0) emit(first, u, next[u]);
      }
      return tris;
    }
    const std::uint32_t pa = prev[pick], pc = next[pick];
    emit(pa, pick, pc);
    remove(pick);
    cur = next[tidy(pa, pc)];
  }
  if (remaining == 3) {
    const std::uint32_t a = prev[cur], c = next[cur];
    if (cross(P[a], P[cur], P[c]) != 0) emit(a, cur, c);
  }
  return tris;
}

bool point_in_ring(const std::vector<LonLat>& ring, LonLat p) {
  bool inside = false;
  const std::size_t n = ring.size();
  if (n < 3) return false;
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    const LonLat &a = ring[i], &b = ring[j];
    if ((a.lat > p.lat) != (b.lat > p.lat)) {
      const double x = a.lon + (p.lat - a.lat) * (b.lon - a.lon) / (b.lat - a.lat);
      if (p.lon < x) inside = !inside;
    }
  }
  return inside;
}

std::vector<CountyShape> load_zhejiang_shapes(const std::string& dir, double tolerance_deg) {
  namespace fs = std::filesystem;
  std::vector<CountyShape> result;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return result;

  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    constexpr std::string_view prefix = "zhe4_jiang1_", suffix = ".geojson";
    if (name.size() >= prefix.size() + suffix.size() && name.compare(0, prefix.size(), prefix) == 0 &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 && entry.is_regular_file(ec))
      files.push_back(entry.path());
  }
  if (ec) throw feidi::PathError(dir + ": cannot list: " + ec.message());
  std::sort(files.begin(), files.end());

  std::map<std::int32_t, CountyShape> by_code;
  JsonDoc doc;
  for (const fs::path& path : files) {
    const std::string file = path.string();
    read_file(path, doc.text());
    doc.parse(file);
    const std::uint32_t features = doc.member(doc.root(), "features");
    if (features == kNone || doc.node(features).type != JType::Array)
      throw feidi::DataError(located(file), "not a GeoJSON FeatureCollection (no \"features\" array)");
    for (std::uint32_t f = doc.node(features).first; f != kNone; f = doc.node(f).next) {
      const std::uint32_t geom = doc.member(f, "geometry");
      if (geom == kNone || doc.node(geom).type != JType::Object) continue;
      const std::uint32_t type = doc.member(geom, "type");
      const std::uint32_t coords = doc.member(geom, "coordinates");
      if (type == kNone || coords == kNone || doc.node(type).type != JType::String ||
          doc.node(coords).type != JType::Array)
        continue;
      // Outer rings only: the first ring of each polygon.
      std::vector<std::uint32_t> outer;
      const std::string_view t = doc.str(type);
      if (t == "Polygon") {
        if (doc.node(coords).first != kNone) outer.push_back(doc.node(coords).first);
      } else if (t == "MultiPolygon") {
        for (std::uint32_t poly = doc.node(coords).first; poly != kNone; poly = doc.node(poly).next) {
          if (doc.node(poly).type != JType::Array)
            throw feidi::DataError(located(file), "MultiPolygon member is not an array");
          if (doc.node(poly).first != kNone) outer.push_back(doc.node(poly).first);
        }
      } else {
        continue;
      }
      const std::int32_t code = map_code(feature_code(doc, f, file));
      CountyShape& shape = by_code[code];
      shape.code = code;
      for (std::uint32_t r : outer) {
        std::vector<LonLat> ring = simplify(read_ring(doc, r, file), tolerance_deg);
        if (ring.size() < 3) continue;
        std::vector<std::uint32_t> tris = triangulate(ring);
        if (tris.empty()) continue;  // zero-area ring
        shape.rings.push_back(std::move(ring));
        shape.triangles.push_back(std::move(tris));
      }
    }
  }
  result.reserve(by_code.size());
  for (auto& [code, shape] : by_code)
    if (!shape.rings.empty()) result.push_back(std::move(shape));
  return result;  // std::map iteration order: sorted by code
}

}  // namespace feidi::viz
