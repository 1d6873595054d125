// rules/pools.hpp — weak villages pooling funds into a poverty enclave (消薄): whether a
// village joins, what it puts in, the county company's monthly settlement of the
// guaranteed return, each member's share and its trust afterwards.
//
// Pure functions of parameters and values (no state): unit-tested against hand-computed
// values in tests/unit/test_model_rules.cpp.
#pragma once

#include <algorithm>
#include <cmath>

#include "engine/rng.hpp"
#include "model/params.hpp"
#include "model/rules/units.hpp"

namespace feidi::rules {

// A value around `mean` with log-normal noise of log-sd `sigma` (mean-preserving: the
// factor exp(σZ − σ²/2) has mean 1); one normal draw.
inline double lognormal_around(double mean, double sigma, Rng& rng) {
  return mean * std::exp(sigma * rng.normal() - 0.5 * sigma * sigma);
}

// Monthly probability that a weak village with this trust in the pool joins it.
inline double join_probability(const VillageParams& vp, double trust) {
  return monthly_prob(vp.join_hazard_per_year * trust);
}

// Share of the park's granted land that firms occupy (0..1; 0 with no land).
inline double occupancy(double granted_mu, double used_mu) {
  return granted_mu > 0 ? std::min(1.0, used_mu / granted_mu) : 0.0;
}

// What a pool's month looks like.
struct PoolMonth {
  double invested_yuan = 0;        // funds pooled
  double occupancy = 0;            // of the park's land (occupancy())
  double host_condition = 1;       // host productivity relative to the start (rents follow it)
  bool stalled = false;            // the park is stalled
  double return_rate = 0;          // guaranteed return, per year
  double tax_to_source_yuan = 0;   // the source county's enclave tax this month
  double source_own_tax_yuan = 0;  // the source county's own tax this month
};

// The settlement of a month.
struct Settlement {
  double revenue_yuan = 0;  // plant rent earned by the county company
  double due_yuan = 0;      // guaranteed return owed
  double paid_yuan = 0;
  double missed_yuan = 0;
  bool missed = false;      // a missed payment (more than a millionth of what was due)
};

// Settles a pool's month; `cash` is the county company's cash, updated. The company earns
// the rent of the plant bought with the pooled funds (yield × occupancy × host condition,
// less while stalled) and pays the guaranteed return, or a share of the rent when higher.
// A shortfall is met first from the source's enclave tax (up to pool_tax_share of it), then
// in part (underwrite_share) by the source county company, within underwrite_budget_share
// of the county's own tax; the rest is missed.
inline Settlement settle_pool(const EnclaveParams& ep, const PoolMonth& pm, double& cash) {
  Settlement r;
  const double status = pm.stalled ? ep.stalled_rent_share : 1.0;
  r.revenue_yuan = per_month(pm.invested_yuan * ep.plant_yield_per_year) * pm.occupancy * pm.host_condition * status;
  cash += r.revenue_yuan;
  const double due = per_month(pm.return_rate) * pm.invested_yuan;
  r.due_yuan = due;
  double pay = std::min(cash, std::max(due, ep.return_share_of_rent * r.revenue_yuan));
  cash -= pay;
  if (pay < due) pay += std::min(due - pay, ep.pool_tax_share * pm.tax_to_source_yuan);
  if (pay < due) {
    const double budget = ep.underwrite_budget_share * pm.source_own_tax_yuan;
    const double covered = std::min(ep.underwrite_share * (due - pay), budget);
    pay += covered;
    r.missed_yuan = due - pay;
    r.missed = r.missed_yuan > 1e-6 * due;
  }
  r.paid_yuan = pay;
  return r;
}

// A member's part of the month's payment, in proportion to what it invested.
inline double member_return(double paid_yuan, double member_invested_yuan, double pool_invested_yuan) {
  return paid_yuan * member_invested_yuan / pool_invested_yuan;
}

// A member's trust after the month: down by `loss` after a missed payment, else up by
// `recover`, within 0..1.
inline float trust_after(float trust, bool missed, float recover, float loss) {
  return std::clamp(missed ? trust - loss : trust + recover, 0.0f, 1.0f);
}

}  // namespace feidi::rules
