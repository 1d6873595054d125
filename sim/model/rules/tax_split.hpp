// rules/tax_split.hpp — hosts' commitment, the source share of enclave tax (Nash or fixed)
// and how much of it a host honours.
//
// Pure functions of parameters and values (no state): unit-tested against hand-computed
// values in tests/unit/test_model_rules.cpp.
#pragma once

#include <algorithm>

#include "model/params.hpp"
#include "model/static_data.hpp"

namespace feidi::rules {

// Institutionalisation level of an operating mode (0..1).
inline double institution(const Params& p, OperatingMode mode) {
  switch (mode) {
    case OperatingMode::kGovernment: return p.governments.institution_government;
    case OperatingMode::kCompany: return p.governments.institution_company;
    case OperatingMode::kPpp: return p.governments.institution_ppp;
  }
  return 0.0;
}

// Host's effective commitment to an enclave: institutions damp the leader's priority;
// the provincial assessment weight pulls commitment up.
inline double commitment(const Params& p, OperatingMode mode, double host_priority) {
  const double inst = institution(p, mode);
  const double c = inst + (1.0 - inst) * host_priority;
  return c + p.governments.assessment_weight * (1.0 - c);
}

// Source county's share of enclave local-level tax (Nash bargaining or fixed).
// Nash: the source's disagreement payoff is 0 (no enclave, no tax); the host's is the
// tax it would raise from other uses of the land (host_fallback_share of the pie).
// The source receives its bargaining weight of the surplus above the fallbacks.
inline double negotiated_source_share(const Params& p, double host_commitment) {
  if (p.tax_split.mode == SplitMode::kFixed) return p.tax_split.fixed_source_share;
  double gamma = p.tax_split.source_bargaining_power +
                 p.tax_split.commitment_power_shift * (host_commitment - 0.5);
  gamma = std::clamp(gamma, 0.0, 1.0);
  const double d_host = p.tax_split.host_fallback_share;
  return gamma * (1.0 - d_host);
}

// The source share an enclave's agreement sets: the park's own fixed share when the
// data give one, else the scenario's rule (Nash or fixed).
inline double agreed_source_share(const Params& p, const EnclaveSpec& spec, double host_commitment) {
  if (spec.fixed_tax_share >= 0) return spec.fixed_tax_share;
  return negotiated_source_share(p, host_commitment);
}

// Share of the agreed transfer a host actually honours: full at commitment 1,
// tax_split.honour_floor at commitment 0.
inline double honoured_share(const Params& p, double host_commitment) {
  return p.tax_split.honour_floor + (1.0 - p.tax_split.honour_floor) * host_commitment;
}

}  // namespace feidi::rules
