// rules/productivity.hpp — a county's place factor: technology diffusion (β-convergence),
// capital that follows returns, and human capital.
//
// Pure functions of parameters and values (no state): unit-tested against hand-computed
// values in tests/unit/test_model_rules.cpp.
#pragma once

#include <algorithm>
#include <cmath>

#include "model/params.hpp"
#include "model/rules/units.hpp"

namespace feidi::rules {

// This month's step of a county's log technology before centring: it closes
// convergence_rate_per_year of the log gap between the province's output per worker and
// its own a year.
inline double tech_step(const GrowthParams& gp, double province_output_per_job, double output, double jobs) {
  return gp.convergence_rate_per_year / months_per_year() * std::log(province_output_per_job / (output / jobs));
}

// A county's weight in the private investment of the month: output × (return on capital
// relative to the province's and to its own at the start)^return_elasticity.
inline double investment_weight(const GrowthParams& gp, double output, double capital, double province_mpk,
                                 double mpk_rel_0) {
  const double ret = output / capital / province_mpk / mpk_rel_0;
  return output * std::pow(ret, gp.return_elasticity);
}

// Public investment of a month: a share of the county's fiscal revenue (yuan/year, so
// monthly here) plus this month's extra provincial transfers.
inline double public_investment(const GrowthParams& gp, double fiscal_per_year, double transfers_month) {
  return gp.public_investment_share * (fiscal_per_year / months_per_year() + transfers_month);
}

// Next month's capital: depreciated, plus the month's investment.
inline double capital_next(const GrowthParams& gp, double capital, double private_investment,
                           double public_investment) {
  const double keep = 1.0 - gp.depreciation_per_year / months_per_year();
  return capital * keep + private_investment + public_investment;
}

// Capital in steady state with a yearly investment when the economy grows at `growth` a
// year: investment / (depreciation + growth), the turnover at least 0.02.
inline double steady_state_capital(const GrowthParams& gp, double growth_per_year, double investment_per_year) {
  const double turnover = std::max(0.02, gp.depreciation_per_year + growth_per_year);
  return investment_per_year / turnover;
}

// A share shrunk toward the province's by a prior worth `prior` observations.
inline double shrunk_share(double count, double total, double prior, double province_share) {
  return (count + prior * province_share) / (total + prior);
}

// The place factor: base × exp(log technology) × (relative capital per worker)^βK ×
// (relative high-skill share)^βH.
inline double place_factor(const GrowthParams& gp, double base_factor, double log_tech, double k_rel, double h_rel) {
  return base_factor * std::exp(log_tech) * std::pow(k_rel, gp.capital_elasticity) *
         std::pow(h_rel, gp.human_capital_elasticity);
}

}  // namespace feidi::rules
