// json.hpp — escaping text for the small JSON documents Feidi prints
// (run statistics, validation results, the viewer's screenshot line).
#pragma once

#include <cstdio>
#include <string>

namespace feidi {

// `s` as the inside of a JSON string (quotes, backslashes and control characters escaped).
inline std::string json_escape(const std::string& s) {
  std::string o;
  for (const char c : s) {
    if (c == '"' || c == '\\') {
      o += '\\';
      o += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      o += buf;
    } else {
      o += c;
    }
  }
  return o;
}

// `s` as a quoted JSON string.
inline std::string json_string(const std::string& s) { return "\"" + json_escape(s) + "\""; }

// A number as JSON: shortest round-trip form (%.17g trimmed), null when not finite.
inline std::string json_number(double v) {
  if (!(v == v) || v > 1.7976931348623157e308 || v < -1.7976931348623157e308) return "null";
  char buf[32];
  for (int prec = 6; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    double back = 0;
    if (std::sscanf(buf, "%lf", &back) == 1 && back == v) break;
  }
  return buf;
}

}  // namespace feidi
