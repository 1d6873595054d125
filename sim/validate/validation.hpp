// validation.hpp — the seed's facts S1–S6 (MODEL.md §6) checked against model runs.
//
// Each target names the fact, the tolerance and how it is measured; run_validation
// runs the scenarios it needs (configs/*.toml) for every replicate seed, in process,
// and reports the mean and the 90 % interval (5th–95th percentile) over replicates.
// A target passes when the mean is inside its tolerance.
#pragma once

#include <functional>
#include <string>
#include <vector>

namespace feidi {

struct TargetResult {
  std::string id;          // "S2a"
  std::string fact;        // the seed's fact, one line
  std::string tolerance;   // what counts as reproduced, one line
  std::string unit;        // unit of the measured value
  std::vector<double> values;  // one per replicate
  double mean = 0, lo = 0, hi = 0;
  bool pass = false;
  std::string note;        // e.g. "first reached 2021-03" or "never by 2035"
};

struct ValidationOptions {
  int replicates = 10;
  std::string configs_dir;             // where the scenario configs are; "" = built-in configs/
  std::vector<std::string> overrides;  // --set section.key=value applied to every scenario
  // Called after each scenario run: (what finished, runs done, runs total).
  std::function<void(const std::string&, int, int)> on_progress;
};

// The ids of the targets, in table order ("S1", "S2a", ...).
std::vector<std::string> validation_target_ids();

// Runs every scenario needed by S1–S6 for each replicate and evaluates the targets.
std::vector<TargetResult> run_validation(const ValidationOptions& opt);

// The results as an aligned text table and as JSON.
std::string validation_table(const std::vector<TargetResult>& results, int replicates);
std::string validation_json(const std::vector<TargetResult>& results, int replicates);

}  // namespace feidi
