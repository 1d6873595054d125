// productivity.cpp — phase "productivity": county-specific productivity growth.
//
// Each county's place factor (the productivity every firm producing there shares)
// moves through three channels that regional economics names (sim/docs/model.md,
// "Productivity"), on top of the province-wide TFP index:
//   * technology diffusion: a county behind the province in GDP per worker closes
//     `convergence_rate_per_year` of the log gap a year (β-convergence, Barro and
//     Sala-i-Martin 1992); the increments are centred (employment-weighted), so the
//     province's own growth stays economy.tfp_growth_per_year;
//   * capital: private investment (a share of provincial GDP) goes to counties in
//     proportion to GDP × (relative return on capital)^return_elasticity — capital
//     follows returns; public investment is a share of the county's fiscal revenue (own
//     tax, enclave tax shares, land-quota proceeds) plus extra provincial transfers to the
//     26 counties; capital depreciates. Productivity rises with capital per worker
//     relative to the province;
//   * human capital: the high-skill share of residents relative to the province (talent
//     moves by migration, and home with industrialised sci-tech projects).
// At the start every county's capital is in steady state with its 2018 investment, and
// all relative terms are 1, so the first month reproduces the 2018 data.
#include <cmath>
#include <vector>

#include "model/internal.hpp"

namespace feidi::detail {

namespace {

constexpr double kSkillPriorPersons = 2e4;  // shrinkage of county skill shares toward the province's


void county_now(const Model& m, const State& s, CountyNow& x) {
  const std::size_t n = m.data.n_counties();
  const double P = static_cast<double>(m.params.scale.persons_per_agent);
  x.output_total = x.jobs_total = x.skill_province = 0;
  x.output.resize(n);
  x.fiscal.resize(n);
  x.jobs.resize(n);
  x.skill_share.resize(n);
  double high = 0, residents = 0;
  for (std::size_t c = 0; c < n; ++c) {
    x.output[c] = s.county[c].gdp_yuan * months_per_year();
    x.fiscal[c] = s.county[c].fiscal_revenue_yuan * months_per_year();
    x.jobs[c] = s.county[c].jobs;
    x.output_total += x.output[c];
    x.jobs_total += x.jobs[c];
    high += static_cast<double>(s.ledger.residents_high[c]);
    residents += static_cast<double>(s.ledger.residents[c]);
  }
  x.skill_province = residents > 0 ? high / residents : 0.0;
  // Shares shrunk toward the province's by a prior worth kSkillPriorPersons residents, so
  // a coarse run (many persons per agent) does not jump when one agent moves.
  const double prior = kSkillPriorPersons / P;
  for (std::size_t c = 0; c < n; ++c)
    x.skill_share[c] = shrunk_share(static_cast<double>(s.ledger.residents_high[c]),
                                    static_cast<double>(s.ledger.residents[c]), prior, x.skill_province);
}

// Extra provincial transfers to county c this year (yuan/year): the lever shared among
// the 26 counties by their 2018 population.
double transfers_to(const Model& m, std::size_t c) {
  const double total = m.params.province.transfers_26_yuan_per_year;
  if (total <= 0 || !m.data.counties[c].accelerated) return 0.0;
  double pop26 = 0;
  for (const auto& k : m.data.counties)
    if (k.accelerated) pop26 += k.population_2018;
  return total * m.data.counties[c].population_2018 / pop26;
}

double safe_ratio(double a, double b) { return b > 0 ? a / b : 1.0; }

}  // namespace

void init_growth(const Model& m, State& s) {
  const auto& gp = m.params.growth;
  const std::size_t n = m.data.n_counties();
  CountyNow x;
  county_now(m, s, x);
  s.growth.assign(n, CountyGrowth{});
  // Steady state: capital grows with the economy (at the TFP growth rate), so
  // K = investment / (depreciation + growth).
  double capital_total = 0;
  for (std::size_t c = 0; c < n; ++c) {
    auto& g = s.growth[c];
    g.base_factor = s.location_factor[c];
    g.investment_private_yuan = gp.private_investment_rate * x.output[c] / months_per_year();
    g.investment_public_yuan = gp.public_investment_share * x.fiscal[c] / months_per_year();
    g.capital_yuan = steady_state_capital(gp, m.params.economy.tfp_growth_per_year,
                                          (g.investment_private_yuan + g.investment_public_yuan) * months_per_year());
    capital_total += g.capital_yuan;
  }
  const double k_province = safe_ratio(capital_total, x.jobs_total);
  const double mpk_province = safe_ratio(x.output_total, capital_total);
  for (std::size_t c = 0; c < n; ++c) {
    auto& g = s.growth[c];
    g.capital_rel_0 = x.jobs[c] > 0 && k_province > 0 ? g.capital_yuan / x.jobs[c] / k_province : 1.0;
    g.skill_rel_0 = safe_ratio(x.skill_share[c], x.skill_province);
    g.mpk_rel_0 = g.capital_yuan > 0 && mpk_province > 0 ? x.output[c] / g.capital_yuan / mpk_province : 1.0;
  }
}

void run_productivity(const Model& m, State& s, StepStats* st) {
  const auto& gp = m.params.growth;
  const std::size_t n = m.data.n_counties();
  auto& small = s.scratch.small;
  const CountyNow& x = small.now;
  county_now(m, s, small.now);

  // Technology diffusion, centred on the province (employment weights).
  const double y_province = safe_ratio(x.output_total, x.jobs_total);
  auto& step_tech = small.step_tech;
  step_tech.assign(n, 0.0);
  double centre = 0;
  for (std::size_t c = 0; c < n; ++c) {
    if (x.jobs[c] <= 0 || x.output[c] <= 0) continue;
    step_tech[c] = tech_step(gp, y_province, x.output[c], x.jobs[c]);
    centre += x.jobs[c] * step_tech[c];
  }
  centre = safe_ratio(centre, x.jobs_total);
  for (std::size_t c = 0; c < n; ++c)
    if (x.jobs[c] > 0 && x.output[c] > 0) s.growth[c].log_tech += step_tech[c] - centre;

  // Investment: private capital follows the return on capital (relative to the
  // province and to the county's own start); public capital comes from the budget.
  double capital_total = 0;
  for (const auto& g : s.growth) capital_total += g.capital_yuan;
  const double mpk_province = safe_ratio(x.output_total, capital_total);
  auto& weight = small.weight;
  weight.assign(n, 0.0);
  double weight_total = 0;
  for (std::size_t c = 0; c < n; ++c) {
    const auto& g = s.growth[c];
    if (g.capital_yuan <= 0 || x.output[c] <= 0) continue;
    weight[c] = investment_weight(gp, x.output[c], g.capital_yuan, mpk_province, g.mpk_rel_0);
    weight_total += weight[c];
  }
  const double private_total = gp.private_investment_rate * x.output_total;
  capital_total = 0;
  for (std::size_t c = 0; c < n; ++c) {
    auto& g = s.growth[c];
    g.transfers_yuan = transfers_to(m, c) / months_per_year();
    g.investment_private_yuan = weight_total > 0 ? private_total * weight[c] / weight_total / months_per_year() : 0.0;
    g.investment_public_yuan = public_investment(gp, x.fiscal[c], g.transfers_yuan);
    g.capital_yuan = capital_next(gp, g.capital_yuan, g.investment_private_yuan, g.investment_public_yuan);
    capital_total += g.capital_yuan;
  }

  // The place factor.
  const double k_province = safe_ratio(capital_total, x.jobs_total);
  for (std::size_t c = 0; c < n; ++c) {
    const auto& g = s.growth[c];
    const double k_rel = x.jobs[c] > 0 && k_province > 0 ? g.capital_yuan / x.jobs[c] / k_province / g.capital_rel_0 : 1.0;
    const double h_rel = safe_ratio(x.skill_share[c], x.skill_province) / g.skill_rel_0;
    s.location_factor[c] = place_factor(gp, g.base_factor, g.log_tech, k_rel, h_rel);
  }
  // The province-wide index grows between months.
  s.tfp *= std::pow(1.0 + m.params.economy.tfp_growth_per_year, 1.0 / months_per_year());
}

}  // namespace feidi::detail
