#include "config/csv.hpp"

#include <charconv>
#include <fstream>
#include <sstream>

#include "engine/error.hpp"

namespace feidi {

std::vector<std::string> split_csv_line(std::string_view line) {
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          cur.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cur.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(std::move(cur));
      cur.clear();
    } else if (c != '\r') {
      cur.push_back(c);
    }
  }
  out.push_back(std::move(cur));
  return out;
}

CsvTable CsvTable::read(const std::string& path, bool (*keep)(std::string_view)) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError({path, 0, 0, ""}, "cannot open data file");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  CsvTable t;
  t.path_ = path;
  std::size_t pos = 0;
  int lineno = 0;
  bool have_header = false;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view line(text.data() + pos, end - pos);
    pos = end + 1;
    ++lineno;
    if (line.empty() || line == "\r" || line.front() == '#') continue;
    if (!have_header) {
      t.header_ = split_csv_line(line);
      // Strip a UTF-8 byte-order mark from the first name.
      if (!t.header_.empty() && t.header_[0].rfind("\xEF\xBB\xBF", 0) == 0)
        t.header_[0].erase(0, 3);
      have_header = true;
      continue;
    }
    if (keep && !keep(line)) continue;
    auto fields = split_csv_line(line);
    if (fields.size() != t.header_.size()) {
      throw DataError({path, lineno, 0, ""}, "expected " + std::to_string(t.header_.size()) +
                                                 " fields, found " + std::to_string(fields.size()));
    }
    t.rows_.push_back(std::move(fields));
    t.lines_.push_back(lineno);
  }
  if (!have_header) throw DataError({path, 0, 0, ""}, "no header line");
  return t;
}

bool CsvTable::has_column(std::string_view name) const {
  for (const auto& h : header_)
    if (h == name) return true;
  return false;
}

std::size_t CsvTable::column(std::string_view name) const {
  for (std::size_t i = 0; i < header_.size(); ++i)
    if (header_[i] == name) return i;
  throw DataError({path_, 1, 0, std::string(name)}, "missing column");
}

std::string CsvTable::str(std::size_t row, std::string_view col) const {
  return rows_[row][column(col)];
}

double CsvTable::num(std::size_t row, std::string_view col) const {
  const std::string& s = rows_[row][column(col)];
  double v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size())
    throw DataError({path_, lines_[row], 0, std::string(col)}, "'" + s + "' is not a number");
  return v;
}

std::int64_t CsvTable::integer(std::size_t row, std::string_view col) const {
  const std::string& s = rows_[row][column(col)];
  std::int64_t v = 0;
  auto r = std::from_chars(s.data(), s.data() + s.size(), v);
  if (r.ec != std::errc() || r.ptr != s.data() + s.size())
    throw DataError({path_, lines_[row], 0, std::string(col)}, "'" + s + "' is not an integer");
  return v;
}

bool CsvTable::flag(std::size_t row, std::string_view col) const {
  const std::string& s = rows_[row][column(col)];
  if (s == "0") return false;
  if (s == "1") return true;
  throw DataError({path_, lines_[row], 0, std::string(col)}, "'" + s + "' is not 0 or 1");
}

}  // namespace feidi
