// drive.hpp — the step loop of `run`, `resume` and `branch`: steps a runner to the end of
// the run, applies recorded lever changes at their steps, shows progress on a terminal and
// stops cleanly at SIGINT/SIGTERM.
#pragma once

#include <string>
#include <vector>

#include "run/runner.hpp"

namespace feidi::cli {

struct DriveResult {
  int steps = 0;          // steps this call ran
  double sim_s = 0;       // their wall-clock seconds
  bool interrupted = false;
};

// Runs `runner` from its current step to the end. Lever changes in `replay` apply at their
// step (those before the current step are skipped). On an exception the runner is aborted
// (the trace keeps the steps written) and the exception propagates.
DriveResult drive(Runner& runner, const std::vector<Intervention>& replay, bool quiet, StepStats* stats);

}  // namespace feidi::cli
