// rules/units.hpp — the model steps one month; rates are given per year. One place for the
// conversion, so every rule and phase converts the same way.
#pragma once

#include "engine/rng.hpp"

namespace feidi::rules {

inline constexpr double kMonthsPerYear = 12.0;
inline double months_per_year() { return kMonthsPerYear; }
// A flow per year as a flow per month.
inline double per_month(double per_year) { return per_year / kMonthsPerYear; }
// Probability that an event of the given yearly hazard happens within one month.
inline double monthly_prob(double hazard_per_year) { return hazard_to_prob(hazard_per_year, 1.0 / kMonthsPerYear); }

}  // namespace feidi::rules
