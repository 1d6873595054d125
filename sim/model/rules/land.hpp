// rules/land.hpp — land for enclaves: the provincial award's weights, a host's monthly
// grant out of its quota pool, and the yearly land-quota deal (增减挂钩) of a pairing.
//
// Pure functions of parameters and values (no state): unit-tested against hand-computed
// values in tests/unit/test_model_rules.cpp.
#pragma once

#include <algorithm>

#include "model/params.hpp"
#include "model/rules/units.hpp"

namespace feidi::rules {

// Weight of an enclave in the provincial award quota: equal, by unmet need, or by need
// times the host's commitment.
inline double award_weight(AwardRule rule, double need_mu, double commitment) {
  return rule == AwardRule::kEqual ? 1.0 : rule == AwardRule::kNeed ? need_mu : need_mu * commitment;
}

// The most a host's enclave quota pool holds: five years of its yearly quota.
inline double host_pool_cap_mu(const LandParams& lp) { return 5.0 * lp.host_quota_mu_per_year; }

// Land a host grants an enclave this month (mu): a share of the park's plan a year, scaled
// by the host's commitment, no more than the unmet plan or the host's pool.
inline double host_grant_mu(const LandParams& lp, double planned_mu, double commitment, double unmet_mu,
                            double pool_mu) {
  const double want = per_month(planned_mu * lp.host_grant_share_per_year) * commitment;
  return std::min({unmet_mu, want, pool_mu});
}

// A pairing's land-quota deal for the year: mu traded and the price per mu (both 0 when
// there is no deal).
struct QuotaDeal {
  double mu = 0;
  double price_yuan_per_mu = 0;
};

// The deal a source with `available_mu` of reclaimable quota strikes with a host whose GDP
// per capita is `host_gdp_ratio` of the province's. The host values quota at
// quota_value_yuan_per_mu × that ratio; Nash bargaining gives the seller its power's share
// of the surplus above the reclaim cost (or the price is fixed). No deal when nothing is
// left to sell, the price is below the reclaim cost, or the host values quota below the price.
inline QuotaDeal quota_deal(const LandParams& lp, double available_mu, double host_gdp_ratio) {
  const double mu = std::min({lp.quota_trade_mu_per_year, available_mu});
  const double value = lp.quota_value_yuan_per_mu * host_gdp_ratio;
  double price = lp.quota_fixed_price_yuan_per_mu;
  if (lp.quota_price_mode == SplitMode::kNash)
    price = lp.quota_reclaim_cost_yuan_per_mu +
            lp.quota_seller_power * std::max(0.0, value - lp.quota_reclaim_cost_yuan_per_mu);
  const bool trade = mu > 1e-9 && price >= lp.quota_reclaim_cost_yuan_per_mu && value >= price;
  return trade ? QuotaDeal{mu, price} : QuotaDeal{};
}

}  // namespace feidi::rules
