// toml_input.hpp — reading TOML input files (configs, sweep files, calibration and
// targets files) with errors that name file:line:column and the key. Include only where
// toml++ is needed: it is a heavy header.
#pragma once

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <toml++/toml.h>

#include "engine/error.hpp"

namespace feidi {

// Where a TOML node sits in its file, for an error about `key`.
inline InputLocation toml_where(const std::string& path, const toml::node& n, const std::string& key) {
  const auto& b = n.source().begin;
  return {path, static_cast<int>(b.line), static_cast<int>(b.column), key};
}

// "a string", "an integer", ... for "expected X, got Y" messages.
inline std::string toml_type_name(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    default: return "a date or time";
  }
}

// toml++ parses nested tables and arrays recursively: a table header of 100,000 dotted parts,
// or arrays nested 100,000 deep, overflow the stack. Configs never nest more than a few levels,
// so keys of more than kTomlMaxDepth parts and brackets or braces nested deeper are refused
// before parsing (a lexical scan that skips strings and comments).
inline constexpr int kTomlMaxDepth = 64;
inline void check_toml_depth(const std::string& text, const std::string& path) {
  enum class Str { kNone, kBasic, kLiteral, kMlBasic, kMlLiteral } str = Str::kNone;
  int line = 1, depth = 0, parts = 0;
  bool comment = false, key = true;  // key: in the key (or header) part of a line
  const auto fail = [&](const char* what) {
    throw ConfigError({path, line, 0, ""}, std::string(what) + " deeper than " + std::to_string(kTomlMaxDepth) + " levels");
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (ch == '\n') {
      ++line;
      comment = false;
      parts = 0;
      key = depth == 0;
      if (str == Str::kBasic || str == Str::kLiteral) str = Str::kNone;
      continue;
    }
    if (comment) continue;
    if (str == Str::kBasic || str == Str::kMlBasic) {
      if (ch == '\\') ++i;
      else if (str == Str::kBasic && ch == '"') str = Str::kNone;
      else if (str == Str::kMlBasic && text.compare(i, 3, "\"\"\"") == 0) str = Str::kNone, i += 2;
      continue;
    }
    if (str == Str::kLiteral || str == Str::kMlLiteral) {
      if (str == Str::kLiteral && ch == '\'') str = Str::kNone;
      else if (str == Str::kMlLiteral && text.compare(i, 3, "\'\'\'") == 0) str = Str::kNone, i += 2;
      continue;
    }
    if (ch == '#') comment = true;
    else if (text.compare(i, 3, "\"\"\"") == 0) str = Str::kMlBasic, i += 2;
    else if (text.compare(i, 3, "\'\'\'") == 0) str = Str::kMlLiteral, i += 2;
    else if (ch == '"') str = Str::kBasic;
    else if (ch == '\'') str = Str::kLiteral;
    else if (ch == '[' || ch == '{') {
      if (++depth > kTomlMaxDepth) fail("arrays or tables nest");
    } else if (ch == ']' || ch == '}') {
      if (depth > 0) --depth;
    } else if (ch == '=') {
      key = false;
    } else if (ch == '.' && key) {
      if (++parts > kTomlMaxDepth) fail("a key or table header nests");
    }
  }
}

// Parses TOML text read from `path`; a syntax error names the file, line and column.
inline toml::table parse_toml_text(const std::string& text, const std::string& path) {
  check_toml_depth(text, path);
  try {
    return toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    const auto& b = e.source().begin;
    throw ConfigError({path, static_cast<int>(b.line), static_cast<int>(b.column), ""},
                      std::string("TOML syntax error: ") + std::string(e.description()));
  }
}

// Reads and parses a TOML file; `what` names it in errors ("config file", "sweep file", ...).
// Returns the text too (some callers store it).
inline toml::table parse_toml_file(const std::string& path, const std::string& what, std::string* text = nullptr) {
  namespace fs = std::filesystem;
  if (!fs::exists(path)) throw ConfigError({path, 0, 0, ""}, what + " not found");
  if (fs::is_directory(path)) throw ConfigError({path, 0, 0, ""}, "is a directory, not a " + what);
  std::ifstream in(path, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  const std::string body = os.str();
  if (text) *text = body;
  return parse_toml_text(body, path);
}

}  // namespace feidi
