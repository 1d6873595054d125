// rules/enclaves.hpp — what a park's infrastructure, operating mode and same-city
// treatment do: the productivity of producing in a park, private money on top of the
// special fund, and sci-tech incubation (arrivals and where graduates industrialise).
//
// Pure functions of parameters and values (no state): unit-tested against hand-computed
// values in tests/unit/test_model_rules.cpp.
#pragma once

#include <cmath>

#include "model/params.hpp"
#include "model/rules/units.hpp"
#include "model/static_data.hpp"

namespace feidi::rules {

// How far a park's infrastructure is built out (0..1): spending over spending plus the
// half-saturation amount.
inline double infrastructure_share(const EnclaveParams& p, double infrastructure_yuan) {
  return infrastructure_yuan / (infrastructure_yuan + p.infrastructure_half_yuan);
}

// Productivity of producing inside a park relative to the host county outside it: an
// infrastructure bonus, less the policy gap that same-city treatment closes.
inline double enclave_productivity(const EnclaveParams& p, double infrastructure_yuan) {
  return (1.0 + p.infrastructure_bonus * infrastructure_share(p, infrastructure_yuan)) *
         (1.0 - (1.0 - p.same_city) * p.policy_gap);
}

// Private money mobilised per yuan of the special fund, by operating mode.
inline double private_leverage(const EnclaveParams& p, OperatingMode mode) {
  switch (mode) {
    case OperatingMode::kGovernment: return 0.0;
    case OperatingMode::kCompany: return p.company_leverage;
    case OperatingMode::kPpp: return p.ppp_leverage;
  }
  return 0.0;
}

// Sci-tech projects entering incubation this month: the yearly rate scaled by the host's
// commitment, while the park operates.
inline double incubation_arrivals(const EnclaveParams& p, bool operating, double commitment) {
  return operating ? per_month(p.scitech_projects_per_year) * commitment : 0.0;
}

// Probability that a graduating project industrialises in the source county (logistic):
// rises with same-city treatment, the park's infrastructure and the host/source wage gap.
inline double industrialise_probability(const EnclaveParams& p, double infrastructure_yuan, double host_wage,
                                        double source_wage) {
  const double logit = p.industrialise_intercept + p.industrialise_same_city * p.same_city +
                       p.industrialise_infrastructure * infrastructure_share(p, infrastructure_yuan) +
                       p.industrialise_wage * std::log(host_wage / source_wage);
  return 1.0 / (1.0 + std::exp(-logit));
}

}  // namespace feidi::rules
