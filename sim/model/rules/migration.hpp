// rules/migration.hpp — a person's utility of living in a county (random utility, before
// the Gumbel noise the labour phase adds).
//
// Pure functions of parameters and values (no state): unit-tested against hand-computed
// values in tests/unit/test_model_rules.cpp.
#pragma once

#include "model/params.hpp"

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

}  // namespace feidi::rules
