// labour.cpp — phase "labour": labour demand, separations, migration by random
// utility, job matching, realised employment and wage adjustment.
//
// Persons decide from county-level signals fixed at the start of the phase
// (wages, unemployment, housing, services, demand) and only write their own
// slots, so one parallel pass both decides and applies; events are gathered
// per fixed block and concatenated in block order (= person-id order).
#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/parallel.hpp"
#include "engine/reduce.hpp"
#include "model/internal.hpp"

namespace feidi::detail {

namespace {

constexpr std::size_t kPersonBlock = 16384;

// Per-county signals read by every person in the pass.
struct LabourSignals {
  std::vector<double> base_utility;   // wage and housing terms
  std::vector<double> sep_prob;       // monthly probability an employed person loses the job
  std::vector<double> find_prob;      // monthly probability a job seeker finds a job
  std::vector<double> cum_population;  // for sampling candidate counties ∝ population
};

// Column layout of the per-block counting rows.
struct CountLayout {
  std::size_t n, ne;
  std::size_t residents() const { return 0; }
  std::size_t active() const { return n; }
  std::size_t employed() const { return 2 * n; }
  std::size_t in() const { return 3 * n; }
  std::size_t out() const { return 4 * n; }
  std::size_t from_source() const { return 5 * n; }  // + enclave index
  std::size_t enclave_workers() const { return 5 * n + ne; }  // + enclave index (person agents)
  std::size_t jobs() const { return 5 * n + 2 * ne; }  // by workplace county
  std::size_t commuters() const { return 6 * n + 2 * ne; }  // by residence county
  std::size_t width() const { return 7 * n + 2 * ne; }
};

// Running sums of `value` over each group of a CSR index (restarting at every group).
void cumulate(const std::vector<double>& value, const std::vector<std::uint32_t>& idx,
              const std::vector<std::uint32_t>& off, std::vector<double>& cum) {
  for (std::size_t g = 0; g + 1 < off.size(); ++g) {
    double acc = 0;
    for (std::size_t k = off[g]; k < off[g + 1]; ++k) {
      acc += value[idx[k]];
      cum[k] = acc;
    }
  }
}

void compute_demand(const Model& m, State& s, std::vector<double>& demand_c) {
  const std::size_t n = m.data.n_counties();
  const double alpha = m.params.economy.labour_share;
  const double F = static_cast<double>(m.params.scale.firms_per_agent);
  auto& f = s.firms;
  const std::size_t nf = f.size();
  auto& sums = s.scratch.sums;
  sums.reset(nf, kAgentBlock, n);
  parallel_blocks(nf, kAgentBlock, [&](std::size_t b, std::size_t begin, std::size_t end) {
    double* row = sums.row(b);
    for (std::size_t i = begin; i < end; ++i) {
      if (!f.alive[i]) {
        f.demand[i] = 0;
        continue;
      }
      const double A = f.intrinsic[i] * location_factor(m, s, f.county[i], f.enclave[i]) * s.tfp;
      f.demand[i] = labour_demand(F, alpha, A, s.wage[f.county[i]]);
      // Enclave firms cannot outgrow the land they were given.
      if (f.enclave[i] != kNoEnclave) {
        const double mu = m.data.sectors[f.sector[i]].land_mu_per_worker;
        if (mu > 0) f.demand[i] = std::min(f.demand[i], f.land_mu[i] / mu);
      }
      row[f.county[i]] += f.demand[i];
    }
  });
  demand_c.resize(n);
  sums.sum_into(demand_c.data());
  // Cumulative demand over the grouped firm indexes, for employer draws.
  if (s.firm_index_dirty) rebuild_firm_index(m, s);
  auto& sc = s.scratch;
  cumulate(f.demand, sc.firms_by_county, sc.firms_by_county_offset, sc.county_demand_cum);
  cumulate(f.demand, sc.firms_by_enclave, sc.firms_by_enclave_offset, sc.enclave_demand_cum);
}

LabourSignals make_signals(const Model& m, const State& s, const std::vector<double>& demand_c) {
  const auto& pp = m.params.persons;
  const auto& ep = m.params.economy;
  const std::size_t n = m.data.n_counties();
  LabourSignals sig;
  sig.base_utility.resize(n);
  sig.sep_prob.resize(n);
  sig.find_prob.resize(n);
  sig.cum_population.resize(n);
  const double sep = hazard_to_prob(ep.separation_rate_per_year, 1.0 / 12.0);
  double acc = 0;
  for (std::size_t c = 0; c < n; ++c) {
    const auto& agg = s.county[c];
    const double expected_wage = s.wage[c] * (1.0 - s.unemployment[c]);
    sig.base_utility[c] = pp.wage_weight * std::log(expected_wage) - pp.housing_weight * std::log(s.housing_cost[c]);
    // Jobs in excess of demand are shed (by workplace); separations also open vacancies.
    const double excess = agg.jobs > demand_c[c] ? (agg.jobs - demand_c[c]) / agg.jobs : 0.0;
    sig.sep_prob[c] = std::min(1.0, sep + 0.25 * excess);
    const double seekers = std::max(1.0, agg.labour_force - agg.employment * (1.0 - sig.sep_prob[c]));
    const double vacancies = std::max(0.0, demand_c[c] - agg.jobs * (1.0 - sig.sep_prob[c]));
    sig.find_prob[c] = std::min(1.0, pp.job_match_efficiency * vacancies / seekers);
    acc += agg.population;
    sig.cum_population[c] = acc;
  }
  return sig;
}

// Random-utility choice of a county; returns the chosen county.
CountyIdx choose_county(const Model& m, const State& s, const LabourSignals& sig, std::size_t i, Rng& rng) {
  const auto& pp = m.params.persons;
  const auto& d = m.data;
  const std::size_t n = d.n_counties();
  const CountyIdx cur = s.persons.county[i];
  const CountyIdx home = s.persons.home[i];
  const double same_city = m.params.enclaves.same_city;
  auto utility = [&](CountyIdx c) {
    const bool paired = s.enclave_pair[static_cast<std::size_t>(home) * n + c] != 0;
    double access = 1.0;
    if (c != home) {
      access = pp.migrant_service_share;
      if (paired) access += same_city * (1.0 - pp.migrant_service_share);
    }
    double u = sig.base_utility[c] + pp.service_weight * s.service_level[c] * access;
    if (c == home) u += pp.home_bonus;
    if (paired) u += pp.network_bonus;
    if (c != cur) u -= pp.move_cost + pp.distance_cost_per_100km * d.distance(cur, c) / 100.0;
    return u + rng.gumbel();
  };
  CountyIdx best = cur;
  double best_u = utility(cur);
  auto consider = [&](CountyIdx c) {
    if (c == cur) return;
    const double u = utility(c);
    if (u > best_u) {
      best_u = u;
      best = c;
    }
  };
  consider(home);
  for (CountyIdx h : d.enclave_hosts_of[home])
    if (s.enclave_pair[static_cast<std::size_t>(home) * n + h]) consider(h);
  const double total = sig.cum_population.back();
  for (int k = 0; k < pp.candidates; ++k) {
    const double u = rng.uniform() * total;
    const auto it = std::upper_bound(sig.cum_population.begin(), sig.cum_population.end(), u);
    consider(static_cast<CountyIdx>(std::min<std::size_t>(n - 1, it - sig.cum_population.begin())));
  }
  return best;
}

// Draws a firm from group g of a CSR index, with probability ∝ labour demand.
FirmIdx draw_from(const std::vector<std::uint32_t>& idx, const std::vector<std::uint32_t>& off,
                  const std::vector<double>& cum, std::size_t g, double u) {
  const std::size_t b = off[g], e = off[g + 1];
  if (b == e || cum[e - 1] <= 0) return kNoFirm;
  const double x = u * cum[e - 1];
  auto it = std::upper_bound(cum.begin() + static_cast<std::ptrdiff_t>(b), cum.begin() + static_cast<std::ptrdiff_t>(e), x);
  if (it == cum.begin() + static_cast<std::ptrdiff_t>(e)) --it;
  return static_cast<FirmIdx>(idx[static_cast<std::size_t>(it - cum.begin())]);
}

// Whether a person living in county c may keep a job at firm f: the firm produces in c,
// or it is in an enclave of c (commuting).
bool job_reachable(const Model& m, const Firms& f, FirmIdx emp, CountyIdx c) {
  if (!f.alive[emp]) return false;
  if (f.county[emp] == c) return true;
  const EnclaveIdx e = f.enclave[emp];
  return e != kNoEnclave && m.data.enclaves[e].source == c;
}

// A commuting job for a seeker living in source county c: an operating enclave of c
// within commuting distance, drawn ∝ its labour demand, then a firm in it.
FirmIdx draw_commute(const Model& m, const State& s, CountyIdx c, Rng& rng) {
  const auto& sc = s.scratch;
  double total = 0;
  for (EnclaveIdx e : m.data.enclaves_of_source[c]) {
    if (s.enclaves[e].status != EnclaveStatus::kOperating) continue;
    if (m.data.distance(c, m.data.enclaves[e].host) > m.params.persons.commute_max_km) continue;
    const auto b = sc.firms_by_enclave_offset[e], x = sc.firms_by_enclave_offset[e + 1];
    if (x > b) total += sc.enclave_demand_cum[x - 1];
  }
  if (total <= 0) return kNoFirm;
  double u = rng.uniform() * total;
  for (EnclaveIdx e : m.data.enclaves_of_source[c]) {
    if (s.enclaves[e].status != EnclaveStatus::kOperating) continue;
    if (m.data.distance(c, m.data.enclaves[e].host) > m.params.persons.commute_max_km) continue;
    const auto b = sc.firms_by_enclave_offset[e], x = sc.firms_by_enclave_offset[e + 1];
    if (x == b) continue;
    const double w = sc.enclave_demand_cum[x - 1];
    if (u < w) return draw_from(sc.firms_by_enclave, sc.firms_by_enclave_offset, sc.enclave_demand_cum,
                                static_cast<std::size_t>(e), u / w);
    u -= w;
  }
  return kNoFirm;
}

// A job for a seeker in county c: natives of an enclave's source county living in its
// host are first offered the enclave's jobs (recruitment ties), then the county's.
FirmIdx draw_employer(const Model& m, const State& s, std::size_t i, CountyIdx c, Rng& rng) {
  const CountyIdx home = s.persons.home[i];
  const auto& sc = s.scratch;
  const std::size_t n = m.data.n_counties();
  if (home != c && s.enclave_pair[static_cast<std::size_t>(home) * n + c] &&
      rng.bernoulli(m.params.persons.enclave_hiring_priority)) {
    for (EnclaveIdx e : m.data.enclaves_of_source[home]) {
      if (m.data.enclaves[e].host != c) continue;
      const FirmIdx f = draw_from(sc.firms_by_enclave, sc.firms_by_enclave_offset, sc.enclave_demand_cum,
                                  static_cast<std::size_t>(e), rng.uniform());
      if (f != kNoFirm) return f;
    }
  }
  return draw_from(sc.firms_by_county, sc.firms_by_county_offset, sc.county_demand_cum, c, rng.uniform());
}

// Counts residents, labour force and employment per county (and enclave workers from
// the source county), optionally running the persons' decisions first.
void persons_pass(const Model& m, State& s, const LabourSignals* sig) {
  const auto& d = m.data;
  const auto& pp = m.params.persons;
  const std::size_t n = d.n_counties(), ne = s.enclaves.size();
  const CountLayout L{n, ne};
  auto& ps = s.persons;
  const auto& f = s.firms;
  const std::size_t np = ps.size();
  const std::size_t nb = block_count(np, kPersonBlock);
  auto& sums = s.scratch.sums;
  sums.reset(np, kPersonBlock, L.width());
  auto& block_events = s.scratch.block_events;
  if (block_events.size() < nb) block_events.resize(nb);
  std::vector<std::uint64_t> reviews(nb, 0);
  const auto step = static_cast<std::uint32_t>(s.step);
  const double p_emp = hazard_to_prob(pp.move_hazard_employed_per_year, 1.0 / 12.0);
  const double p_unemp = hazard_to_prob(pp.move_hazard_unemployed_per_year, 1.0 / 12.0);

  parallel_blocks(np, kPersonBlock, [&](std::size_t b, std::size_t begin, std::size_t end) {
    double* row = sums.row(b);
    auto& ev = block_events[b];
    ev.clear();
    for (std::size_t i = begin; i < end; ++i) {
      if (sig) {
        CountyIdx c = ps.county[i];
        FirmIdx emp = ps.employer[i];
        if (emp != kNoFirm && !job_reachable(m, f, emp, c)) emp = kNoFirm;  // the job left
        auto rng = rng_for(m, step, static_cast<std::uint32_t>(i), Purpose::kMigrationHazard);
        if (emp != kNoFirm && rng.bernoulli(sig->sep_prob[f.county[emp]])) emp = kNoFirm;
        const bool seeking = ps.active[i] && emp == kNoFirm;
        bool moved = false;
        if (rng.bernoulli(seeking ? p_unemp : p_emp)) {
          ++reviews[b];
          auto choice = rng_for(m, step, static_cast<std::uint32_t>(i), Purpose::kMigrationChoice);
          const CountyIdx dest = choose_county(m, s, *sig, i, choice);
          if (dest != c) {
            ev.push_back(Event{EventKind::kPersonMigration, static_cast<std::int32_t>(i), c, dest, 0.0});
            row[L.out() + c] += 1;
            row[L.in() + dest] += 1;
            c = dest;
            ps.county[i] = dest;
            emp = kNoFirm;
            moved = true;
          }
        }
        if (ps.active[i] && emp == kNoFirm && !moved) {
          auto match = rng_for(m, step, static_cast<std::uint32_t>(i), Purpose::kJobMatch);
          if (!d.enclaves_of_source[c].empty() && match.bernoulli(pp.enclave_commute_share)) {
            const FirmIdx job = draw_commute(m, s, c, match);  // look for work in the county's enclaves
            if (job != kNoFirm && match.bernoulli(sig->find_prob[f.county[job]])) emp = job;
          } else if (match.bernoulli(sig->find_prob[c])) {
            emp = draw_employer(m, s, i, c, match);
          }
        }
        ps.employer[i] = emp;
        const bool unemployed = ps.active[i] && emp == kNoFirm;
        ps.months_unemployed[i] = unemployed ? static_cast<std::uint8_t>(std::min(255, ps.months_unemployed[i] + 1)) : 0;
      }
      const CountyIdx c = ps.county[i];
      row[L.residents() + c] += 1;
      if (ps.active[i]) row[L.active() + c] += 1;
      const FirmIdx emp = ps.employer[i];
      if (emp != kNoFirm) {
        row[L.employed() + c] += 1;
        row[L.jobs() + f.county[emp]] += 1;
        if (f.county[emp] != c) row[L.commuters() + c] += 1;
        const EnclaveIdx e = f.enclave[emp];
        if (e != kNoEnclave) {
          row[L.enclave_workers() + e] += 1;
          if (ps.home[i] == d.enclaves[e].source) row[L.from_source() + e] += 1;
        }
      }
    }
  });
  for (auto r : reviews) s.agent_updates += r;
  s.agent_updates += sig ? np : 0;
  std::vector<double> tot(L.width());
  sums.sum_into(tot.data());
  const double P = static_cast<double>(m.params.scale.persons_per_agent);
  for (std::size_t c = 0; c < n; ++c) {
    auto& agg = s.county[c];
    agg.population = tot[L.residents() + c] * P;
    agg.labour_force = tot[L.active() + c] * P;
    agg.employment = tot[L.employed() + c] * P;
    agg.jobs = tot[L.jobs() + c] * P;
    agg.commuters_out = tot[L.commuters() + c] * P;
    agg.migrants_in = tot[L.in() + c] * P;
    agg.migrants_out = tot[L.out() + c] * P;
    s.unemployment[c] = agg.labour_force > 0 ? 1.0 - agg.employment / agg.labour_force : 0.0;
  }
  for (std::size_t e = 0; e < ne; ++e) {
    // Share of the enclave's workers who come from its source county (person sample),
    // applied to the enclave's realised employment in accounting.
    const double w = tot[L.enclave_workers() + e];
    s.enclaves[e].from_source_share = w > 0 ? tot[L.from_source() + e] / w : 0.0;
  }
  if (sig) {
    for (std::size_t b = 0; b < nb; ++b)
      s.events.insert(s.events.end(), block_events[b].begin(), block_events[b].end());
  }
}

}  // namespace

// Realised employment of each firm: its demand scaled by the county's filled share.
void realise_labour(const Model& m, State& s, const std::vector<double>& demand_c) {
  auto& f = s.firms;
  const std::size_t n = m.data.n_counties();
  std::vector<double> fill(n);
  for (std::size_t c = 0; c < n; ++c) fill[c] = demand_c[c] > 0 ? s.county[c].jobs / demand_c[c] : 0.0;
  parallel_for_each(f.size(), [&](std::size_t i) { f.labour[i] = f.alive[i] ? f.demand[i] * fill[f.county[i]] : 0.0; });
  for (std::size_t c = 0; c < n; ++c) s.county[c].labour_demand = demand_c[c];
}

void run_labour(const Model& m, State& s) {
  std::vector<double> demand_c;
  compute_demand(m, s, demand_c);
  const LabourSignals sig = make_signals(m, s, demand_c);
  persons_pass(m, s, &sig);
  realise_labour(m, s, demand_c);
  // Wages are indexed to productivity growth and move with tightness: demand over the
  // labour force net of frictional unemployment (without indexation, growing demand
  // would outrun sticky wages and drive unemployment to zero).
  const auto& ep = m.params.economy;
  const double indexation = std::pow(1.0 + ep.tfp_growth_per_year, 1.0 / 12.0);
  for (std::size_t c = 0; c < m.data.n_counties(); ++c) {
    const double supply = s.county[c].labour_force * (1.0 - ep.frictional_unemployment);
    if (supply <= 0) continue;
    const double tight = demand_c[c] / supply;
    const double change = std::clamp(ep.wage_adjust_per_month * (tight - 1.0), -0.02, 0.03);
    s.wage[c] *= indexation * (1.0 + change);
  }
}

// Initial aggregates: count persons without decisions, then demand and labour.
void initial_labour(const Model& m, State& s) {
  std::vector<double> demand_c;
  compute_demand(m, s, demand_c);
  persons_pass(m, s, nullptr);
  realise_labour(m, s, demand_c);
}

}  // namespace feidi::detail
