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

}  // namespace feidi
