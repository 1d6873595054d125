// calendar.hpp — monthly calendar: year-months, step indices and CF day counts.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace feidi {

// A calendar month, e.g. 2018-01.
struct YearMonth {
  int year = 2018;
  int month = 1;  // 1..12

  // Months since year 0 (a linear index for arithmetic).
  constexpr int index() const { return year * 12 + (month - 1); }
  static constexpr YearMonth from_index(int i) { return {i / 12, i % 12 + 1}; }
  constexpr YearMonth plus(int months) const { return from_index(index() + months); }
  constexpr auto operator<=>(const YearMonth&) const = default;

  // "YYYY-MM".
  std::string str() const;
  // Parses "YYYY-MM" (also accepts "YYYY-M"); nullopt when malformed.
  static std::optional<YearMonth> parse(std::string_view s);
};

// Number of monthly steps from start to end inclusive (end >= start).
constexpr int months_between_inclusive(YearMonth start, YearMonth end) {
  return end.index() - start.index() + 1;
}

// Days from 1970-01-01 to the first day of the given month (proleptic Gregorian).
std::int64_t days_from_civil(int year, int month, int day);

// Days from the first day of `epoch` to the first day of `ym` (CF time axis).
inline std::int64_t days_since(YearMonth epoch, YearMonth ym) {
  return days_from_civil(ym.year, ym.month, 1) - days_from_civil(epoch.year, epoch.month, 1);
}

}  // namespace feidi
