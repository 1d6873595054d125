// production.cpp — phase "production": every firm agent produces with its
// realised labour, pays wages, land rent and local-level tax; county and
// enclave totals are reduced over fixed blocks.
#include <cmath>
#include <vector>

#include "engine/parallel.hpp"
#include "engine/reduce.hpp"
#include "model/internal.hpp"

namespace feidi::detail {

void run_production(const Model& m, State& s, StepStats* st) {
  const std::size_t n = m.data.n_counties(), ne = s.enclaves.size();
  const double alpha = m.params.economy.labour_share;
  const double F = static_cast<double>(m.params.scale.firms_per_agent);
  const double tau = m.params.economy.local_tax_rate;
  auto& f = s.firms;
  const std::size_t nf = f.size();
  SumLayout L;
  const SumColumn c_va = L.add(n), c_own_tax = L.add(n), c_firm_agents = L.add(n);
  const SumColumn e_va = L.add(ne), e_profit = L.add(ne), e_tax = L.add(ne), e_labour = L.add(ne),
                  e_firm_agents = L.add(ne);
  auto& sums = s.scratch.sums;
  sums.reset(nf, kAgentBlock, L.width());
  parallel_blocks(nf, kAgentBlock, [&](std::size_t b, std::size_t begin, std::size_t end) {
    double* row = sums.row(b);
    for (std::size_t i = begin; i < end; ++i) {
      if (!f.alive[i]) {
        f.va[i] = f.profit[i] = f.tax[i] = 0;
        continue;
      }
      const CountyIdx c = f.county[i];
      const EnclaveIdx e = f.enclave[i];
      const double A = firm_productivity(m, s, i, c, e);
      const double va = value_added(F, alpha, A, f.labour[i]);
      const double tax = tau * s.tax_effort[c] * m.data.sectors[f.sector[i]].tax_factor * va;
      f.va[i] = va;
      f.tax[i] = tax;
      f.profit[i] = va - s.wage[c] * f.labour[i] - land_rent_month(m, s, c, e) * f.land_mu[i] - tax;
      row[c_va[c]] += va;
      row[c_firm_agents[c]] += 1;
      if (e == kNoEnclave) {
        row[c_own_tax[c]] += tax;
      } else {
        row[e_va[e]] += va;
        row[e_profit[e]] += f.profit[i];
        row[e_tax[e]] += tax;
        row[e_labour[e]] += f.labour[i];
        row[e_firm_agents[e]] += 1;
      }
    }
  });
  if (st) st->agent_updates += nf;
  if (st) st->bytes_touched += nf * 54;  // alive, county, enclave, sector, intrinsic, labour, land; va, tax, profit
  auto& tot = s.scratch.totals;
  tot.resize(L.width());
  sums.sum_into(tot.data());
  for (std::size_t c = 0; c < n; ++c) {
    s.county[c].gdp_yuan = tot[c_va[c]];
    s.county[c].own_tax_yuan = tot[c_own_tax[c]];
    s.county[c].firms = tot[c_firm_agents[c]] * F;
  }
  const double out_ratio = m.params.economy.output_va_ratio;
  for (std::size_t e = 0; e < ne; ++e) {
    auto& en = s.enclaves[e];
    en.va_yuan = tot[e_va[e]];
    en.output_yuan = tot[e_va[e]] / out_ratio;
    en.profit_yuan = tot[e_profit[e]];
    en.tax_local_yuan = tot[e_tax[e]];
    en.employment = tot[e_labour[e]];
    en.firms = static_cast<int>(tot[e_firm_agents[e]]);
    // The host honours the agreed transfer only in part when its commitment is low.
    en.tax_to_source_yuan = en.tax_local_yuan * en.tax_share_source * en.honoured_share;
    en.tax_to_host_yuan = en.tax_local_yuan - en.tax_to_source_yuan;
    en.cum_output_yuan += en.output_yuan;
    en.cum_tax_to_source_yuan += en.tax_to_source_yuan;
  }
}

}  // namespace feidi::detail
