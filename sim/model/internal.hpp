// internal.hpp — helpers shared by the phase files of the model (not public).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/rng.hpp"
#include "model/purpose.hpp"
#include "model/model.hpp"
#include "model/rules/firms.hpp"
#include "model/rules/migration.hpp"
#include "model/rules/schedule.hpp"
#include "model/rules/tax_split.hpp"
#include "model/rules/villages.hpp"

namespace feidi::detail {

// The rules (pure functions, sim/model/rules/) under their old names.
using namespace feidi::rules;

// The step number used for random draws during initialisation.
inline constexpr std::uint32_t kInitStep = 0xFFFFFFFFu;

inline Rng rng_for(const Model& m, std::uint32_t step, std::uint32_t agent, Purpose purpose) {
  return Rng(m.params.run.seed, step, agent, stream_of(purpose));
}

// Time conversions: the model steps one month; rates are given per year.
inline constexpr double kMonthsPerYear = 12.0;
inline double months_per_year() { return kMonthsPerYear; }
// A flow per year as a flow per month.
inline double per_month(double per_year) { return per_year / kMonthsPerYear; }
// Probability that an event of the given yearly hazard happens within one month.
inline double monthly_prob(double hazard_per_year) { return hazard_to_prob(hazard_per_year, 1.0 / kMonthsPerYear); }

// Productivity factor of producing in county c (inside enclave e, or kNoEnclave).
inline double location_factor(const Model& m, const State& s, CountyIdx c, EnclaveIdx e) {
  double f = s.location_factor[c];
  if (e != kNoEnclave) {
    const auto& p = m.params.enclaves;
    const double infra = s.enclaves[e].infrastructure_yuan /
                         (s.enclaves[e].infrastructure_yuan + p.infrastructure_half_yuan);
    f *= (1.0 + p.infrastructure_bonus * infra) * (1.0 - (1.0 - p.same_city) * p.policy_gap);
  }
  return f;
}

// Land rent in yuan per mu per month at a location.
inline double land_rent_month(const Model& m, const State& s, CountyIdx c, EnclaveIdx e) {
  double rent = per_month(m.params.economy.land_rent_yuan_per_mu_year) * s.housing_cost[c];
  if (e != kNoEnclave) rent *= 1.0 - m.params.enclaves.land_rent_discount;
  return rent;
}


// Monthly probabilities of the firms' scheduled events: exit checks run at the
// loss-maker's exit probability (a profitable firm's check is thinned to its own),
// relocation reviews at the review probability.
struct FirmHazards {
  double exit, exit_loss, review;
  explicit FirmHazards(const Params& p)
      : exit(monthly_prob(p.firms.exit_rate_per_year)),
        exit_loss(monthly_prob(p.firms.exit_rate_per_year * p.firms.loss_exit_multiplier)),
        review(monthly_prob(p.firms.relocate_hazard_per_year)) {}
};

// Draws a new firm i's first exit check and relocation review after step `base` (−1
// at the start) and queues them.
void schedule_firm(const Model& m, State& s, const FirmHazards& hz, std::size_t i, std::int64_t base);

// Marks which source→host county pairs an active enclave links (network effects,
// same-city access, recruitment ties).
void update_enclave_pairs(const Model& m, State& s);

// Rebuilds the firm index grouped by county (after relocations or entries).
void rebuild_firm_index(const Model& m, State& s, StepStats* st = nullptr);

// Phase functions (one file each).
void run_governments(const Model& m, State& s, StepStats* st);
void run_firms(const Model& m, State& s, StepStats* st);
void run_labour(const Model& m, State& s, StepStats* st);
void run_production(const Model& m, State& s, StepStats* st);
void run_villages(const Model& m, State& s, StepStats* st);
void run_accounting(const Model& m, State& s, StepStats* st);
void run_productivity(const Model& m, State& s, StepStats* st);
// The productivity state at the start (after the first aggregates): capital stocks in
// steady state with the 2018 investment flows, reference ratios.
void init_growth(const Model& m, State& s);

// Initial aggregates of the labour market: counts persons, computes demand and
// realised employment without any decision.
void initial_labour(const Model& m, State& s);
// Builds the persons' employment ledger (worker lists, counters, schedules, seekers)
// from the initial persons; before initial_labour.
void build_ledger(const Model& m, State& s);
// The firms' first exit checks and relocation reviews (at the start).
void schedule_firms(const Model& m, State& s);
void realise_labour(const Model& m, State& s, const std::vector<double>& demand_c);
// Moves person p to county `dest` between labour phases (its job ends; ledger kept).
void relocate_person(const Model& m, State& s, std::uint32_t p, CountyIdx dest);

// Adds a firm agent producing in county c (enclave e or none) sized for `workers`
// real workers at the current wage, in the smallest free slot; returns its index.
FirmIdx spawn_firm(const Model& m, State& s, CountyIdx c, EnclaveIdx e, std::uint8_t sector, double workers,
                   CountyIdx origin);

}  // namespace feidi::detail
