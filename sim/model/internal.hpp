// internal.hpp — helpers shared by the phase files of the model (not public).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/rng.hpp"
#include "model/purpose.hpp"
#include "model/model.hpp"
#include "model/rules/enclaves.hpp"
#include "model/rules/firms.hpp"
#include "model/rules/job_search.hpp"
#include "model/rules/jobs.hpp"
#include "model/rules/land.hpp"
#include "model/rules/migration.hpp"
#include "model/rules/pools.hpp"
#include "model/rules/productivity.hpp"
#include "model/rules/schedule.hpp"
#include "model/rules/tax_split.hpp"
#include "model/rules/units.hpp"
#include "model/rules/villages.hpp"

namespace feidi::detail {

// The rules (pure functions, sim/model/rules/) under their old names.
using namespace feidi::rules;

// The step number used for random draws during initialisation.
inline constexpr std::uint32_t kInitStep = 0xFFFFFFFFu;

inline Rng rng_for(const Model& m, std::uint32_t step, std::uint32_t agent, Purpose purpose) {
  return Rng(m.params.run.seed, step, agent, stream_of(purpose));
}

// Productivity factor of producing in county c (inside enclave e, or kNoEnclave).
inline double location_factor(const Model& m, const State& s, CountyIdx c, EnclaveIdx e) {
  double f = s.location_factor[c];
  if (e != kNoEnclave) f *= enclave_productivity(m.params.enclaves, s.enclaves[e].infrastructure_yuan);
  return f;
}

// Productivity A of firm agent i producing in county c (enclave e or kNoEnclave).
inline double firm_productivity(const Model& m, const State& s, std::size_t i, CountyIdx c, EnclaveIdx e) {
  return s.firms.intrinsic[i] * location_factor(m, s, c, e) * s.tfp;
}

// Land rent in yuan per mu per month at a location.
inline double land_rent_month(const Model& m, const State& s, CountyIdx c, EnclaveIdx e) {
  double rent = per_month(m.params.economy.land_rent_yuan_per_mu_year) * s.housing_cost[c];
  if (e != kNoEnclave) rent *= 1.0 - m.params.enclaves.land_rent_discount;
  return rent;
}


// Draws a new firm i's first exit check and relocation review after step `base` (−1
// at the start) and queues them.
void schedule_firm(const Model& m, State& s, const FirmHazards& hz, std::size_t i, std::int64_t base);

// Marks which source→host county pairs an active enclave links (network effects,
// same-city access, recruitment ties).
void update_enclave_pairs(const Model& m, State& s);

// Rebuilds the firm index grouped by county (after relocations or entries).
void rebuild_firm_index(const Model& m, State& s, StepStats* st = nullptr);

// Room for every per-step buffer at its bound (persons-sized lists for all persons,
// firm-sized ones for `firm_room` firm slots), so a step allocates nothing: step() calls
// reserve_step_room when has_step_room is false (the first step, or firms past the room).
// Room that a step does not use is address space only: its pages are never touched.
bool has_step_room(const State& s);
void reserve_step_room(const Model& m, State& s);
void reserve_labour_room(const Model& m, State& s);
void reserve_firms_room(State& s);

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
void relocate_person(const Model& m, State& s, PersonIdx p, CountyIdx dest);

// Adds a firm agent producing in county c (enclave e or none) sized for `workers`
// real workers at the current wage, in the smallest free slot; returns its index.
FirmIdx spawn_firm(const Model& m, State& s, CountyIdx c, EnclaveIdx e, std::uint8_t sector, double workers,
                   CountyIdx origin);

}  // namespace feidi::detail
