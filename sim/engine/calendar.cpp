#include "engine/calendar.hpp"

#include <charconv>
#include <cstdio>

namespace feidi {

std::string YearMonth::str() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", year, month);
  return buf;
}

std::optional<YearMonth> YearMonth::parse(std::string_view s) {
  const auto dash = s.find('-');
  if (dash == std::string_view::npos || dash != 4) return std::nullopt;
  int y = 0, m = 0;
  auto r1 = std::from_chars(s.data(), s.data() + dash, y);
  if (r1.ec != std::errc() || r1.ptr != s.data() + dash) return std::nullopt;
  auto r2 = std::from_chars(s.data() + dash + 1, s.data() + s.size(), m);
  if (r2.ec != std::errc() || r2.ptr != s.data() + s.size()) return std::nullopt;
  if (y < 1900 || y > 2200 || m < 1 || m > 12) return std::nullopt;
  return YearMonth{y, m};
}

// Howard Hinnant's days_from_civil.
std::int64_t days_from_civil(int y, int m, int d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

}  // namespace feidi
