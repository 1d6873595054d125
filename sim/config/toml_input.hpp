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

// Parses TOML text read from `path`; a syntax error names the file, line and column.
inline toml::table parse_toml_text(const std::string& text, const std::string& path) {
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
