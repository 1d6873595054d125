// rules/migration.hpp — a person's utility of living in a county (random utility, before
// the Gumbel noise), and the choice among the current, home, linked and sampled counties.
//
// migration_utility is a pure function of parameters and values; choose_county reads the
// model, the state and the month's labour signals and draws from an Rng, changing nothing.
// Unit-tested in tests/unit/test_model_rules.cpp.
#pragma once

#include <algorithm>
#include <cstddef>

#include "engine/rng.hpp"
#include "model/model.hpp"
#include "model/params.hpp"
#include "model/state.hpp"

namespace feidi::rules {

// What a person sees of one candidate county.
struct Destination {
  double base_utility = 0;   // wage and housing terms of the county (labour signals)
  double service_level = 0;  // the county's public-service level (0..1)
  double distance_km = 0;    // from where the person lives now
  bool home = false;         // the person's home county
  bool paired = false;       // an enclave links the home county and this one
  bool current = false;      // where the person lives now
};

// Utility of a destination: wage and housing, public services (migrants get a share,
// raised by same-city treatment where an enclave links the counties), a home bonus, a
// network bonus along enclave links, and moving costs for a move.
inline double migration_utility(const PersonParams& pp, double same_city, const Destination& d) {
  double access = 1.0;
  if (!d.home) {
    access = pp.migrant_service_share;
    if (d.paired) access += same_city * (1.0 - pp.migrant_service_share);
  }
  double u = d.base_utility + pp.service_weight * d.service_level * access;
  if (d.home) u += pp.home_bonus;
  if (d.paired) u += pp.network_bonus;
  if (!d.current) u -= pp.move_cost + pp.distance_cost_per_100km * d.distance_km / 100.0;
  return u;
}

// Random-utility choice of where person i lives next: the best of the current county,
// the home county, the hosts of enclaves linked to the home county and `candidates`
// counties sampled ∝ population, each valued at migration_utility plus Gumbel noise.
inline CountyIdx choose_county(const Model& m, const State& s, const LabourSignals& sig, std::size_t i, Rng& rng) {
  const auto& pp = m.params.persons;
  const auto& d = m.data;
  const std::size_t n = d.n_counties();
  const CountyIdx cur = s.persons.county[i];
  const CountyIdx home = s.persons.home[i];
  const double same_city = m.params.enclaves.same_city;
  auto utility = [&](CountyIdx c) {
    Destination dest;
    dest.base_utility = sig.base_utility[c];
    dest.service_level = s.service_level[c];
    dest.distance_km = c != cur ? d.distance(cur, c) : 0.0;
    dest.home = c == home;
    dest.paired = s.enclave_pair[static_cast<std::size_t>(home) * n + c] != 0;
    dest.current = c == cur;
    return migration_utility(pp, same_city, dest) + rng.gumbel();
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

}  // namespace feidi::rules
