// continuation.hpp — a run continued from a checkpoint of another run's trace: what
// `feidi-sim resume`, `feidi-sim branch` and the viewer's "fork here" share. The model is
// rebuilt from the config stored in the parent trace, the checkpoint's state restored and
// the parent's lever changes before it re-applied; the new trace (RunInfo::parent) starts
// with the parent's history.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "engine/calendar.hpp"
#include "model/model.hpp"
#include "model/state.hpp"
#include "trace/writer.hpp"

namespace feidi {

struct Continuation {
  std::string parent;                      // the parent trace's path
  std::string config_text;                 // its stored config (TOML), as a new trace records it
  Config config;                           // the same, parsed
  std::string config_path;                 // its run_config_path attribute
  std::vector<std::int32_t> checkpoints;   // its checkpoint steps
  std::size_t row = 0;                     // the checkpoint continued from (index in checkpoints)
  std::int32_t step = 0;                   // ... and its step: the first step the new run simulates
  std::vector<Intervention> recorded;      // the parent's lever changes, in this build's lever indices
  YearMonth month() const { return config.params.run.start.plus(step); }
};

// Reads the parent's config, checkpoints and lever changes and picks the checkpoint at
// month `at` (or the last one). `command` names the caller in errors ("feidi-sim branch").
// Throws PathError (no config, no checkpoint, the last one at the run's end) or UsageError
// (no checkpoint at `at`; the message lists the months there are).
Continuation plan_continuation(const std::string& parent, const std::optional<YearMonth>& at, const std::string& command);

// The model and state at the checkpoint: the parent's config with its lever changes before
// the checkpoint applied, and the restored state (hash-verified).
struct Restored {
  Model model;
  State state;
};
Restored restore_continuation(const Continuation& c);

// The same for a fork at step `step` (the viewer's "fork here"): the last checkpoint at or
// before it. Throws UsageError when there is none (the message lists the months there are).
Continuation plan_fork(const std::string& parent, int step);

}  // namespace feidi
