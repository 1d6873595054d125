// rules/schedule.hpp — when a scheduled event (review, separation, exit check) next falls due.
//
// Pure functions of parameters and values (no state): unit-tested against hand-computed
// values in tests/unit/test_model_rules.cpp.
#pragma once

#include <cmath>
#include <cstdint>

#include "engine/rng.hpp"
#include "model/state.hpp"

namespace feidi::rules {

// A monthly probability p with log(1 − p), computed once for the many waiting times
// drawn with it (implicit from a probability).
struct Geometric {
  double p = 0;
  double log_q = 0;  // log(1 − p) for 0 < p < 1
  Geometric(double prob) : p(prob), log_q(prob > 0 && prob < 1 ? std::log1p(-prob) : 0.0) {}  // NOLINT: implicit
};

// Months until an event of monthly probability p happens (≥ 1, geometric), or
// kNeverStep when p is 0 or the event falls beyond the uint16 range.
inline std::uint32_t months_until(const Geometric& g, Rng& rng) {
  if (g.p <= 0) return kNeverStep;
  if (g.p >= 1) return 1;
  const double k = std::floor(std::log(rng.uniform_open()) / g.log_q) + 1.0;
  return k >= static_cast<double>(kNeverStep) ? kNeverStep : static_cast<std::uint32_t>(k);
}

// The step `months` after `base` (base −1 = before the first step), or kNeverStep.
inline std::uint16_t schedule_at(std::int64_t base, std::uint32_t months) {
  if (months == kNeverStep) return kNeverStep;
  const std::int64_t at = base + static_cast<std::int64_t>(months);
  return at >= kNeverStep ? kNeverStep : static_cast<std::uint16_t>(at);
}

}  // namespace feidi::rules
