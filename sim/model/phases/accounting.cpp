// accounting.cpp — phase "accounting": GDP attribution, fiscal revenue,
// village counts and the provincial indicators (coverage, inequality).
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "model/internal.hpp"

namespace feidi::detail {

namespace {

// Population-weighted Gini and Theil indices of GDP per capita across counties.
void inequality(const std::vector<double>& gdp, const std::vector<double>& pop, std::vector<std::size_t>& order,
                double& gini, double& theil) {
  const std::size_t n = gdp.size();
  const double Y = std::accumulate(gdp.begin(), gdp.end(), 0.0);
  const double N = std::accumulate(pop.begin(), pop.end(), 0.0);
  gini = theil = 0;
  if (Y <= 0 || N <= 0) return;
  order.resize(n);
  std::iota(order.begin(), order.end(), 0);
  // By GDP per capita, ties in county order (what a stable sort gives, without its buffer).
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    const double pa = pop[a] > 0 ? gdp[a] / pop[a] : 0, pb = pop[b] > 0 ? gdp[b] / pop[b] : 0;
    return pa < pb || (!(pb < pa) && a < b);
  });
  double cum_prev = 0, area = 0;
  for (std::size_t k : order) {
    const double share_y = gdp[k] / Y, share_p = pop[k] / N;
    const double cum = cum_prev + share_y;
    area += share_p * (cum + cum_prev);
    cum_prev = cum;
    if (share_y > 0 && share_p > 0) theil += share_y * std::log(share_y / share_p);
  }
  gini = 1.0 - area;
}

}  // namespace

void run_accounting(const Model& m, State& s, StepStats* st) {
  const auto& d = m.data;
  const auto& p = m.params;
  const std::size_t n = d.n_counties(), ne = s.enclaves.size();
  const double stat = p.tax_split.gdp_attribution_source_share;
  for (std::size_t c = 0; c < n; ++c) {
    auto& agg = s.county[c];
    agg.gdp_attributed_yuan = agg.gdp_yuan;
    agg.enclave_tax_in_yuan = 0;
    agg.wage_yuan_month = s.wage[c];
    agg.weak_villages = 0;
    agg.village_income_mean_yuan = 0;
  }
  auto& prov = s.province;
  prov.enclaves_by_kind = {};
  prov.operating_by_kind = {};
  prov.tax_to_source_yuan = 0;
  prov.incubating = prov.graduated_source = prov.graduated_elsewhere = 0;
  auto& poverty_cov = s.scratch.small.poverty_cov;
  auto& eco_cov = s.scratch.small.eco_cov;
  poverty_cov.assign(n, 0);
  eco_cov.assign(n, 0);
  for (std::size_t e = 0; e < ne; ++e) {
    auto& en = s.enclaves[e];
    const auto& spec = d.enclaves[e];
    en.employment_from_source = en.employment * en.from_source_share;
    const double moved = en.va_yuan * stat;
    s.county[spec.host].gdp_attributed_yuan -= moved;
    s.county[spec.source].gdp_attributed_yuan += moved;
    s.county[spec.host].enclave_tax_in_yuan += en.tax_to_host_yuan;
    s.county[spec.source].enclave_tax_in_yuan += en.tax_to_source_yuan;
    prov.tax_to_source_yuan += en.tax_to_source_yuan;
    const auto k = static_cast<std::size_t>(spec.kind);
    if (is_active(en.status)) ++prov.enclaves_by_kind[k];
    if (en.status == EnclaveStatus::kOperating) {
      ++prov.operating_by_kind[k];
      if (spec.kind == EnclaveKind::kPoverty) poverty_cov[spec.source] = 1;
      if (spec.kind == EnclaveKind::kEco) eco_cov[spec.source] = 1;
    }
    prov.incubating += en.incubating;
    prov.graduated_source += en.graduated_source;
    prov.graduated_elsewhere += en.graduated_elsewhere;
  }
  const double graduated = prov.graduated_source + prov.graduated_elsewhere;
  prov.industrialisation_rate = graduated > 0 ? prov.graduated_source / graduated : 0.0;

  const auto& v = s.villages;
  auto& villages_in = s.scratch.small.villages_in;
  villages_in.assign(n, 0.0);
  for (std::size_t i = 0; i < v.size(); ++i) {
    const CountyIdx c = v.county[i];
    s.county[c].weak_villages += v.weak[i];
    s.county[c].village_income_mean_yuan += v.own_total_yuan[i] + v.pool_income_last_yuan[i];
    villages_in[c] += 1;
  }
  double gdp = 0, pop = 0, gdp26 = 0, pop26 = 0;
  prov.weak_villages = prov.weak_villages_26 = 0;
  int n26 = 0, n_eco = 0, cov26 = 0, cov_eco = 0;
  auto& g = s.scratch.small.gdp;
  auto& po = s.scratch.small.pop;
  g.resize(n);
  po.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    auto& agg = s.county[c];
    agg.fiscal_revenue_yuan = agg.own_tax_yuan + agg.enclave_tax_in_yuan + agg.quota_revenue_yuan;
    if (villages_in[c] > 0) agg.village_income_mean_yuan /= villages_in[c];
    gdp += agg.gdp_yuan;
    pop += agg.population;
    g[c] = agg.gdp_attributed_yuan;
    po[c] = agg.population;
    prov.weak_villages += agg.weak_villages;
    if (d.counties[c].accelerated) {
      gdp26 += agg.gdp_attributed_yuan;
      pop26 += agg.population;
      prov.weak_villages_26 += agg.weak_villages;
      ++n26;
      cov26 += poverty_cov[c];
    }
    if (d.counties[c].eco_function) {
      ++n_eco;
      cov_eco += eco_cov[c];
    }
  }
  prov.gdp_yuan = gdp;
  prov.population = pop;
  prov.firm_entries = prov.firm_exits = 0;
  for (const auto& agg : s.county) {
    prov.firm_entries += agg.firm_entries;
    prov.firm_exits += agg.firm_exits;
  }
  const double pc = pop > 0 ? gdp / pop : 0;
  for (std::size_t c = 0; c < n; ++c) {
    auto& agg = s.county[c];
    agg.gdp_per_capita_ratio = (agg.population > 0 && pc > 0) ? agg.gdp_attributed_yuan / agg.population / pc : 0;
    s.gdp_per_capita_ratio[c] = agg.gdp_per_capita_ratio;
  }
  prov.gdp_per_capita_ratio_26 = (pop26 > 0 && pc > 0) ? gdp26 / pop26 / pc : 0;
  prov.poverty_coverage_26 = n26 > 0 ? static_cast<double>(cov26) / n26 : 0;
  prov.eco_coverage = n_eco > 0 ? static_cast<double>(cov_eco) / n_eco : 0;
  inequality(g, po, s.scratch.small.order, prov.gini, prov.theil);
}

}  // namespace feidi::detail

namespace feidi {

void compute_aggregates(const Model& m, State& s) {
  detail::update_enclave_pairs(m, s);  // the governments' derived state, before the first labour pass
  detail::initial_labour(m, s);
  detail::run_production(m, s, nullptr);
  for (auto& en : s.enclaves) en.cum_output_yuan = en.cum_tax_to_source_yuan = 0;
  detail::run_accounting(m, s, nullptr);
}

}  // namespace feidi
