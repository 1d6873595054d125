// firms.cpp — phase "firms": enclave-eligible firms review their location with
// a hazard and may relocate into an operating enclave park.
//
// Decide (parallel): each reviewing firm compares the log-profit of staying with
// that of its own county's enclaves and a few sampled ones, plus Gumbel noise.
// Apply (sequential, firm-id order): a move happens only if the enclave still
// has the free land the firm needs; earlier ids win conflicts.
#include <cmath>
#include <vector>

#include "engine/parallel.hpp"
#include "model/internal.hpp"

namespace feidi::detail {

namespace {

// Log of the monthly profit of a firm agent at a location, at its optimal labour.
// Cobb-Douglas: optimal VA = w·L/alpha, profit = (1-alpha)·VA − rent·land.
double log_profit(const Model& m, const State& s, std::size_t i, CountyIdx c, EnclaveIdx e) {
  const double alpha = m.params.economy.labour_share;
  const double F = static_cast<double>(m.params.scale.firms_per_agent);
  const double A = s.firms.intrinsic[i] * location_factor(m, s, c, e) * s.tfp;
  const double L = labour_demand(F, alpha, A, s.wage[c]);
  const double va = s.wage[c] * L / alpha;
  const double land = L * m.data.sectors[s.firms.sector[i]].land_mu_per_worker;
  const double profit = (1.0 - alpha) * va - land_rent_month(m, s, c, e) * land;
  return profit > 0 ? std::log(profit) : -1e300;
}

}  // namespace

void run_firms(const Model& m, State& s) {
  const auto& d = m.data;
  const auto& fp = m.params.firms;
  auto& f = s.firms;
  const std::size_t nf = f.size();
  // Operating enclaves with free land, in index order.
  std::vector<EnclaveIdx> open;
  for (std::size_t e = 0; e < s.enclaves.size(); ++e)
    if (s.enclaves[e].status == EnclaveStatus::kOperating && s.enclaves[e].granted_mu > s.enclaves[e].used_mu)
      open.push_back(static_cast<EnclaveIdx>(e));
  if (open.empty()) return;
  const double p_review = hazard_to_prob(fp.relocate_hazard_per_year, 1.0 / 12.0);
  auto& intent = s.scratch.firm_intent;
  const auto step = static_cast<std::uint32_t>(s.step);
  std::vector<std::uint64_t> reviews(block_count(nf, kAgentBlock), 0);

  parallel_blocks(nf, kAgentBlock, [&](std::size_t b, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      intent[i] = -1;
      if (!f.alive[i] || f.enclave[i] != kNoEnclave || !d.sectors[f.sector[i]].enclave_eligible) continue;
      auto rng = rng_for(m, step, static_cast<std::uint32_t>(i), Purpose::kFirmRelocateHazard);
      if (!rng.bernoulli(p_review)) continue;
      ++reviews[b];
      const CountyIdx c = f.county[i];
      auto choice = rng_for(m, step, static_cast<std::uint32_t>(i), Purpose::kFirmRelocateChoice);
      const double stay = log_profit(m, s, i, c, kNoEnclave) + fp.choice_noise * choice.gumbel();
      double best = stay + fp.moving_cost;
      EnclaveIdx best_e = kNoEnclave;
      auto consider = [&](EnclaveIdx e) {
        const CountyIdx host = d.enclaves[e].host;
        if (host == c) return;  // hosts keep their own firms out of their enclaves
        double v = log_profit(m, s, i, host, e) + fp.choice_noise * choice.gumbel();
        if (d.enclaves[e].source == c) v += fp.home_enclave_bonus;
        if (v > best) {
          best = v;
          best_e = e;
        }
      };
      for (EnclaveIdx e : d.enclaves_of_source[c])
        if (s.enclaves[e].status == EnclaveStatus::kOperating) consider(e);
      for (int k = 0; k < fp.enclave_candidates; ++k)
        consider(open[choice.below(static_cast<std::uint32_t>(open.size()))]);
      intent[i] = best_e;
    }
  });
  for (auto r : reviews) s.agent_updates += r;

  // Apply in firm-id order.
  for (std::size_t i = 0; i < nf; ++i) {
    const EnclaveIdx e = intent[i];
    if (e == kNoEnclave) continue;
    auto& en = s.enclaves[e];
    const auto& spec = d.enclaves[e];
    const double land = f.demand[i] * d.sectors[f.sector[i]].land_mu_per_worker;
    if (en.used_mu + land > en.granted_mu) continue;
    const CountyIdx from = f.county[i];
    f.county[i] = spec.host;
    f.enclave[i] = e;
    f.land_mu[i] = land;
    en.used_mu += land;
    s.firm_index_dirty = true;
    s.events.push_back(Event{EventKind::kFirmRelocation, static_cast<std::int32_t>(i), from, spec.host,
                             static_cast<double>(e)});
  }
}

}  // namespace feidi::detail
