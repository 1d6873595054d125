// model.hpp — the immutable Model (parameters + static data) and the step API.
//
// Every call is f(const Model&, State&): the model never changes during a
// step. Policy levers may be changed between steps (steering), which is why
// Params is a plain value here.
#pragma once

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

// The named phases of a monthly step, in execution order. Each is a barrier.
enum class Phase : std::uint8_t {
  kGovernments = 0,  // turnover, renegotiation, land grants, fund, enclave status, incubation
  kFirms,            // relocation decisions into enclaves, applied in firm-id order
  kLabour,           // labour demand, separations, migration, job matching, wages
  kProduction,       // value added, wages, profit, local-level tax
  kVillages,         // assessment, pooling decisions, guaranteed returns, trust
  kAccounting,       // tax split, GDP attribution, county and province indicators
};
inline constexpr int kPhaseCount = 6;
const char* phase_name(Phase p);

// Wall-clock seconds spent per phase (profiling; optional).
struct PhaseTimes {
  std::array<double, kPhaseCount> seconds{};
};

// Builds the state at the start month from the model and its seed.
State make_initial_state(const Model& m);

// Advances the state by one month. `times` may be null.
void step(const Model& m, State& s, PhaseTimes* times = nullptr);

// Recomputes every aggregate (county, enclave, province) from the agents;
// used after initialisation so the first record describes the start.
void compute_aggregates(const Model& m, State& s);

}  // namespace feidi
