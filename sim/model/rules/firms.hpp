// rules/firms.hpp — which sectors a park takes; a firm agent's labour demand and value
// added (Cobb-Douglas).
//
// Pure functions of parameters and values (no state): unit-tested against hand-computed
// values in tests/unit/test_model_rules.cpp.
#pragma once

#include <cmath>

#include "model/static_data.hpp"

namespace feidi::rules {

// Whether firms of a sector may locate in a park of this kind: eco and poverty parks are
// industrial platforms (the seed: 工业发展平台) and take enclave-eligible sectors that are
// mostly secondary industry; sci-tech parks take the knowledge sectors (digital, health).
inline bool sector_fits(const Sector& sec, EnclaveKind kind) {
  if (!sec.enclave_eligible) return false;
  if (kind == EnclaveKind::kScitech) return sec.key == "digital" || sec.key == "health";
  return sec.secondary >= 0.5;
}

// Desired employment (real workers) of a firm agent at wage w with productivity A:
// profit-maximising labour of F Cobb-Douglas firms, L = F·(alpha·A/w)^(1/(1-alpha)).
inline double labour_demand(double firms_per_agent, double alpha, double A, double w) {
  return firms_per_agent * std::pow(alpha * A / w, 1.0 / (1.0 - alpha));
}

// Log of the monthly profit of a firm agent at its optimal labour L (Cobb-Douglas: optimal
// VA = w·L/alpha, profit = (1 − alpha)·VA − rent·land), or −1e300 when it makes no profit.
inline double log_profit_at_optimum(double alpha, double wage, double L, double rent_month, double land_mu) {
  const double va = wage * L / alpha;
  const double profit = (1.0 - alpha) * va - rent_month * land_mu;
  return profit > 0 ? std::log(profit) : -1e300;
}

// Value added (yuan/month) of a firm agent with L real workers.
inline double value_added(double firms_per_agent, double alpha, double A, double L) {
  if (L <= 0) return 0.0;
  return firms_per_agent * A * std::pow(L / firms_per_agent, alpha);
}

}  // namespace feidi::rules
