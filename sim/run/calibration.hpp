// calibration.hpp — calibration of the model against the seed's facts S1–S6 as a
// method: history matching, then ABC rejection (sim/docs/model.md §6, "Calibration").
//
// A calibration file names the parameters (config keys) with their prior ranges and
// the design (samples per wave, waves, implausibility cut-off, how many sets to
// accept); a targets file gives each fact an observed value and an observation error
// (the target's tolerance), and which side of it counts. Each parameter set is run
// through every scenario the targets need (run_validation, one seed per set); its
// standardised errors z give the implausibility I = max |z| over the reachable targets
// (history matching, Vernon, Goldstein and Bower 2010: sets with I above the cut-off,
// conventionally 3, are ruled out). A target that no set evaluated so far brings within
// the cut-off is *unreachable* with these parameters and priors — a data or structural
// misfit, reported as such — and does not rule out sets (optionally also the k largest
// |z|, ignore_worst). Later waves sample
// around the sets not ruled out yet (a Gaussian kernel with twice their spread, as in
// ABC-SMC; while too few sets survive, around the least implausible ones). Finally the
// `accept` non-implausible sets closest to the data (root mean square z) are accepted
// (ABC rejection); the calibrated values are their medians.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace feidi {

struct KeySpec;

// One fact as an observation.
struct CalTarget {
  std::string id;          // a validation target id, e.g. "S2b"
  std::string fact;        // one line, for the table
  double observed = 0;     // the fact's value
  double sd = 1;           // observation error (log units when log = true)
  bool log = false;        // compare on a log scale (for order-of-magnitude facts)
  enum class Side { kBoth, kAtLeast, kAtMost } side = Side::kBoth;  // one-sided facts ("20,000+")
  std::string informs;     // parameters the target informs (documentation)
};

// One calibrated parameter with its prior range (uniform).
struct CalParam {
  std::string key;
  const KeySpec* spec = nullptr;
  double lo = 0, hi = 1;
};

struct CalibrationSpec {
  std::string path;                 // the calibration file
  std::vector<CalParam> params;
  std::vector<std::string> fixed;   // section.key=value applied to every run (e.g. a coarser scale)
  int samples_per_wave = 64;
  int waves = 2;
  double cutoff = 3.0;              // implausibility cut-off
  int ignore_worst = 0;             // implausibility = the (ignore_worst+1)-th largest |z| over the reachable targets
  int accept = 16;                  // parameter sets accepted by ABC rejection
  std::uint64_t seed = 1;           // design seed
  std::string configs_dir;          // scenario configs; "" = the project's configs/
};

// Loads a calibration file / a targets file; errors name file:line and the key.
CalibrationSpec load_calibration(const std::string& path);
std::vector<CalTarget> load_targets(const std::string& path);

// Standardised error of a measured value against a target (0 inside a one-sided bound).
double target_z(const CalTarget& t, double measured);

// The parameter sets of a wave (rows of values in parameter order). Wave 0 is a Latin
// hypercube over the priors; later waves perturb the given non-implausible sets.
std::vector<std::vector<double>> wave_design(const CalibrationSpec& spec, int wave,
                                             const std::vector<std::vector<double>>& survivors);

// Runs the scenarios for one parameter set; returns the measured value of every target
// (in target order). One seed (common random numbers across sets).
std::vector<double> measure_targets(const CalibrationSpec& spec, const std::vector<CalTarget>& targets,
                                    const std::vector<double>& values);

// The whole record of a calibration.
struct CalibrationResult {
  std::vector<std::vector<double>> values;    // [set][parameter]
  std::vector<std::vector<double>> measured;  // [set][target]
  std::vector<std::vector<double>> z;         // [set][target]
  std::vector<double> implausibility, distance;
  std::vector<int> wave;
  std::vector<std::uint8_t> plausible, accepted;
  std::vector<std::uint8_t> reachable;        // [target]: some set has |z| within the cut-off
  std::vector<double> calibrated;             // median of the accepted sets, per parameter
};

// The sets the next wave is drawn around: the sets not ruled out, or — while fewer than
// a tenth of a wave are — the fifth of a wave with the lowest implausibility (an adaptive
// tolerance, as in ABC-SMC: the cut-off is approached rather than imposed on a first wave
// too sparse to hit it).
std::vector<std::vector<double>> survivors(const CalibrationSpec& spec, const CalibrationResult& r);

// Scores sets already measured: z, implausibility, distance, plausibility; then
// accepts the `accept` closest plausible sets and takes their medians.
void score(const CalibrationSpec& spec, const std::vector<CalTarget>& targets, CalibrationResult& r);

// Text tables: the targets with observation and calibrated fit; the parameters with
// prior and posterior ranges.
std::string calibration_table(const CalibrationSpec& spec, const std::vector<CalTarget>& targets,
                              const CalibrationResult& r);

// A config file (TOML) with the calibrated values, for the scenarios to include.
std::string calibrated_config(const CalibrationSpec& spec, const std::vector<CalTarget>& targets,
                              const CalibrationResult& r, const std::string& command);

}  // namespace feidi
