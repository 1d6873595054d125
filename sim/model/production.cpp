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
  // Row layout: county VA | county own tax | county firm agents | enclave VA | profit | tax | labour | firms.
  const std::size_t w = 3 * n + 5 * ne;
  auto& sums = s.scratch.sums;
  sums.reset(nf, kAgentBlock, w);
  parallel_blocks(nf, kAgentBlock, [&](std::size_t b, std::size_t begin, std::size_t end) {
    double* row = sums.row(b);
    for (std::size_t i = begin; i < end; ++i) {
      if (!f.alive[i]) {
        f.va[i] = f.profit[i] = f.tax[i] = 0;
        continue;
      }
      const CountyIdx c = f.county[i];
      const EnclaveIdx e = f.enclave[i];
      const double A = f.intrinsic[i] * location_factor(m, s, c, e) * s.tfp;
      const double va = value_added(F, alpha, A, f.labour[i]);
      const double tax = tau * s.tax_effort[c] * m.data.sectors[f.sector[i]].tax_factor * va;
      f.va[i] = va;
      f.tax[i] = tax;
      f.profit[i] = va - s.wage[c] * f.labour[i] - land_rent_month(m, s, c, e) * f.land_mu[i] - tax;
      row[c] += va;
      row[2 * n + c] += 1;
      if (e == kNoEnclave) {
        row[n + c] += tax;
      } else {
        const std::size_t o = 3 * n + static_cast<std::size_t>(e);
        row[o] += va;
        row[o + ne] += f.profit[i];
        row[o + 2 * ne] += tax;
        row[o + 3 * ne] += f.labour[i];
        row[o + 4 * ne] += 1;
      }
    }
  });
  if (st) st->agent_updates += nf;
  if (st) st->bytes_touched += nf * 54;  // alive, county, enclave, sector, intrinsic, labour, land; va, tax, profit
  std::vector<double> tot(w);
  sums.sum_into(tot.data());
  for (std::size_t c = 0; c < n; ++c) {
    s.county[c].gdp_yuan = tot[c];
    s.county[c].own_tax_yuan = tot[n + c];
    s.county[c].firms = tot[2 * n + c] * F;
  }
  const double out_ratio = m.params.economy.output_va_ratio;
  for (std::size_t e = 0; e < ne; ++e) {
    auto& en = s.enclaves[e];
    const std::size_t o = 3 * n + e;
    en.va_yuan = tot[o];
    en.output_yuan = tot[o] / out_ratio;
    en.profit_yuan = tot[o + ne];
    en.tax_local_yuan = tot[o + 2 * ne];
    en.employment = tot[o + 3 * ne];
    en.firms = static_cast<int>(tot[o + 4 * ne]);
    // The host honours the agreed transfer only in part when its commitment is low.
    en.tax_to_source_yuan = en.tax_local_yuan * en.tax_share_source * en.honoured_share;
    en.tax_to_host_yuan = en.tax_local_yuan - en.tax_to_source_yuan;
    en.cum_output_yuan += en.output_yuan;
    en.cum_tax_to_source_yuan += en.tax_to_source_yuan;
  }
}

}  // namespace feidi::detail
