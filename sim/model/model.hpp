// model.hpp — the immutable Model (parameters + static data) and the step API.
//
// Every call is f(const Model&, State&): the model never changes during a
// step. Policy levers may be changed between steps (steering), which is why
// Params is a plain value here.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>

#include "model/params.hpp"
#include "model/state.hpp"
#include "model/static_data.hpp"

namespace feidi {

struct Model {
  Params params;
  StaticData data;
};

// The operating mode in effect: the scenario's override, else the table's.
inline OperatingMode mode_of(const Params& p, const EnclaveSpec& spec) {
  switch (p.enclaves.mode_override) {
    case ModeOverride::kAsData: return spec.mode;
    case ModeOverride::kGovernment: return OperatingMode::kGovernment;
    case ModeOverride::kCompany: return OperatingMode::kCompany;
    case ModeOverride::kPpp: return OperatingMode::kPpp;
  }
  return spec.mode;
}

// Months from founding to operating: the table's value, else enclaves.build_months.
inline int build_months_of(const Params& p, const EnclaveSpec& spec) {
  return spec.build_months >= 0 ? spec.build_months : p.enclaves.build_months;
}

// The most land an enclave can be granted: its plan, or its historical cap when the
// scenario enforces caps.
inline double land_limit_mu(const Params& p, const EnclaveSpec& spec) {
  if (p.land.enforce_land_caps && spec.land_cap_mu >= 0) return std::min(spec.planned_mu, spec.land_cap_mu);
  return spec.planned_mu;
}

// The named phases of a monthly step, in execution order. Each is a barrier.
enum class Phase : std::uint8_t {
  kGovernments = 0,  // turnover, renegotiation, land grants, fund, enclave status, incubation
  kFirms,            // relocation decisions into enclaves, applied in firm-id order
  kLabour,           // labour demand, separations, migration, job matching, wages
  kProduction,       // value added, wages, profit, local-level tax
  kVillages,         // assessment, pooling decisions, guaranteed returns, trust
  kAccounting,       // tax split, GDP attribution, county and province indicators
  kProductivity,     // technology diffusion, investment and capital, human capital; TFP growth
};
inline constexpr int kPhaseCount = 7;
const char* phase_name(Phase p);

// What a step costs, for benchmarks and profiling (optional: step() takes a null pointer).
// Counters accumulate over the steps they are passed to; none of them affects the results.
struct StepStats {
  bool time_phases = true;                      // measure the wall clock per phase
  std::array<double, kPhaseCount> seconds{};    // wall-clock seconds per phase
  std::uint64_t agent_updates = 0;              // agent updates evaluated (decisions and per-firm updates)
  std::uint64_t decisions = 0;                  // agent decisions (persons visited, firms drawing exit/
                                                // relocation, villages)
  std::uint64_t bytes_touched = 0;              // estimated bytes of agent columns read or written
};

// Builds the state at the start month from the model and its seed.
State make_initial_state(const Model& m);

// Advances the state by one month. `stats` may be null.
void step(const Model& m, State& s, StepStats* stats = nullptr);

// Recomputes every aggregate (county, enclave, province) from the agents;
// used after initialisation so the first record describes the start.
void compute_aggregates(const Model& m, State& s);

}  // namespace feidi
