// rules/villages.hpp — whether a village is weak (集体经济薄弱村) by the configured standard.
//
// Pure functions of parameters and values (no state): unit-tested against hand-computed
// values in tests/unit/test_model_rules.cpp.
#pragma once

#include "model/params.hpp"

namespace feidi::rules {

// Whether a village is weak on these incomes (yuan/year) by the configured rule;
// `developed`: the village's county is not one of the 26.
inline bool weak_by_rule(const VillageParams& vp, double total, double operating, bool developed) {
  const bool low_t = total < vp.weak_total_income_yuan;
  const bool low_o = operating < vp.weak_operating_income_yuan;
  switch (vp.weak_rule) {
    case WeakRule::kAnd: return low_t && low_o;
    case WeakRule::kOr: return low_t || low_o;
    case WeakRule::kProvince2017: return low_t || (developed && low_o);
  }
  return low_t;
}

}  // namespace feidi::rules
