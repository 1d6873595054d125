// invariants.hpp — checks of the state that hold after every phase of a step: ids in range,
// no NaN or infinity, no negative stocks, persons conserved, the ledger equal to a fresh count
// of the agents, worker lists exact, commuters within enclave jobs, the money of the tax
// split and of fiscal revenue adding up. O(agents) each: a FEIDI_CHECKS build (CMake option
// FEIDI_CHECKS=ON, run by `./feidi test --deep`) calls it after every phase.
#pragma once

#include "model/model.hpp"

namespace feidi {

// Throws InternalError "invariant '<name>' broken after phase <phase> of step <k>: <detail>"
// at the first invariant that does not hold.
void check_invariants(const Model& m, const State& s, Phase after);

// Whether this build checks the invariants after every phase (FEIDI_CHECKS=ON).
bool invariant_checks_enabled();

}  // namespace feidi
