// tmp_file.hpp — writes a small text file into the tests' scratch folder.
#pragma once

#include <filesystem>
#include <fstream>
#include <string>

namespace feidi::testing {

// Path of `name` inside the scratch folder.
inline std::string tmp_path(const std::string& name) { return std::string(FEIDI_TEST_TMP) + "/" + name; }

// Writes `text` to the scratch file `name` and returns its path.
inline std::string write_tmp(const std::string& name, const std::string& text) {
  std::filesystem::create_directories(FEIDI_TEST_TMP);
  const std::string path = tmp_path(name);
  std::ofstream(path) << text;
  return path;
}

}  // namespace feidi::testing
