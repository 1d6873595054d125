#include "config/csv.hpp"

#include <charconv>
#include <fstream>
#include <istream>
#include <memory>
#include <string_view>
#include <vector>

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

// Calls on_line(line) for every line of `in` (without its '\n'; the last one also when
// the file does not end in '\n'). The file is read in chunks of one buffer: the villages
// file is 38 MB, of which few lines are kept, and reading it whole (through a string
// stream, or into one zero-filled string) was most of a 1:1000 run's start-up.
template <class OnLine>
void for_each_line(std::istream& in, const std::string& path, OnLine&& on_line) {
  constexpr std::size_t kChunk = std::size_t{1} << 20;
  const std::unique_ptr<char[]> buf(new char[kChunk]);  // not zero-filled: read() fills it
  std::string pending;  // a line that runs across chunks
  for (;;) {
    in.read(buf.get(), static_cast<std::streamsize>(kChunk));
    const auto got = static_cast<std::size_t>(in.gcount());
    if (in.bad()) throw DataError({path, 0, 0, ""}, "cannot read data file");
    if (got == 0) break;
    const std::string_view chunk(buf.get(), got);
    std::size_t pos = 0;
    for (;;) {
      const std::size_t end = chunk.find('\n', pos);
      if (end == std::string_view::npos) {
        pending.append(chunk.substr(pos));
        break;
      }
      if (pending.empty()) {
        on_line(chunk.substr(pos, end - pos));
      } else {
        pending.append(chunk.substr(pos, end - pos));
        on_line(std::string_view(pending));
        pending.clear();
      }
      pos = end + 1;
    }
    if (got < kChunk) break;
  }
  if (!pending.empty()) on_line(std::string_view(pending));
}

CsvTable CsvTable::read(const std::string& path, bool (*keep)(std::string_view)) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError({path, 0, 0, ""}, "cannot open data file");
  CsvTable t;
  t.path_ = path;
  int lineno = 0;
  bool have_header = false;
  for_each_line(in, path, [&](std::string_view line) {
    ++lineno;
    if (line.empty() || line == "\r" || line.front() == '#') return;
    if (!have_header) {
      t.header_ = split_csv_line(line);
      // Strip a UTF-8 byte-order mark from the first name.
      if (!t.header_.empty() && t.header_[0].rfind("\xEF\xBB\xBF", 0) == 0)
        t.header_[0].erase(0, 3);
      have_header = true;
      return;
    }
    if (keep && !keep(line)) return;
    auto fields = split_csv_line(line);
    if (fields.size() != t.header_.size()) {
      throw DataError({path, lineno, 0, ""}, "expected " + std::to_string(t.header_.size()) +
                                                 " fields, found " + std::to_string(fields.size()));
    }
    t.rows_.push_back(std::move(fields));
    t.lines_.push_back(lineno);
  });
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
