// sweep.hpp — ensembles of runs: the sweep file (TOML), experimental designs
// (full grid, Latin hypercube, Morris trajectories), output indicators reduced
// to one number per run, per-run seeds, and running one model in process.
//
// Everything here is deterministic and independent of how the runs are spread
// over processes (sweep/farm.hpp); the CLI (cli/sweep_command.cpp) glues the two.
// Documentation of the file format: sim/docs/ensembles.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/calendar.hpp"
#include "engine/error.hpp"
#include "config/config.hpp"
#include "model/model.hpp"
#include "run/continuation.hpp"
#include "trace/writer.hpp"

namespace feidi::sweep {

// ---- output indicators -------------------------------------------------------

// A trace variable reduced to one number per run:
//   province.NAME[@WHEN]  or  county.NAME[CODE][@WHEN]
// WHEN: "end" (default; after the last step), "YYYY-MM" (after that month's step),
// "mean" (mean over every simulated month) or "mean:YYYY-MM:YYYY-MM" (inclusive).
struct OutputSpec {
  enum class When { kEnd, kMonth, kMean };
  std::string name;   // variable name in the summary
  std::string text;   // the indicator as written
  bool county = false;
  std::size_t var = 0;           // index into province_vars() / county_vars()
  std::int32_t county_code = 0;  // for county variables
  When when = When::kEnd;
  YearMonth at{}, from{}, to{};  // kMonth: at; kMean: from..to (whole run when whole = true)
  bool whole = false;
  std::string units, long_name;  // from the trace schema (long_name extended with WHEN)
};

// Parses an indicator; throws ConfigError at `loc` naming the problem.
OutputSpec parse_output(const std::string& text, const InputLocation& loc);
// Checks that the indicator's months lie in [start, end]; "" when fine, else the problem.
std::string check_output_period(const OutputSpec& o, YearMonth start, YearMonth end);

// Runs one model to its end and returns the indicators. When trace_path is not
// empty, the run also writes its full trace there (run/runner.hpp).
// `info` (run_info()) carries the run's config and trace settings into the trace.
std::vector<double> run_model(Model model, const std::vector<OutputSpec>& outputs, const std::string& trace_path = {},
                              const RunInfo& info = {});

// ---- seeds and designs ---------------------------------------------------------

// The seed of replicate r: a fixed mix of (base, r), in the config's range 0 … 2^53.
// Common random numbers: every design point of a replicate gets the same seed.
std::uint64_t replicate_seed(std::uint64_t base, int replicate);

// Deterministic uniform numbers (splitmix64), the same on every platform.
class Stream {
 public:
  explicit Stream(std::uint64_t seed) : s_(seed) {}
  std::uint64_t next();
  double uniform();                   // [0, 1)
  std::uint64_t below(std::uint64_t n);  // [0, n)

 private:
  std::uint64_t s_;
};

// Full factorial design: every combination, the first factor varying slowest.
std::vector<std::vector<double>> grid_design(const std::vector<std::vector<double>>& values);
// Latin hypercube on [0,1)^dims: for each dimension, sample i lies in stratum
// perm(i) of `samples` equal strata, at a uniform position inside it.
std::vector<std::vector<double>> lhs_unit(int samples, int dims, std::uint64_t seed);

// Morris (1991) trajectories on a p-level grid of [0,1]^k with Δ = p / (2(p-1)).
struct MorrisDesign {
  int k = 0, r = 0, p = 0;
  double delta = 0;
  std::vector<std::vector<double>> points;  // r*(k+1) points of k unit coordinates
  std::vector<int> factor;                  // r*k: factor changed between point j and j+1 of a trajectory
};
// p must be even and >= 2; throws InternalError otherwise (the CLI checks first).
MorrisDesign morris_design(int k, int r, int p, std::uint64_t seed);

struct MorrisResult {
  std::vector<double> mu, mu_star, sigma;  // per factor
  std::vector<std::vector<double>> ee;     // [factor][trajectory], in output units per unit range
};
// Elementary effects from the outputs y (one per design point).
MorrisResult morris_effects(const MorrisDesign& d, const std::vector<double>& y);

// ---- sweep files -----------------------------------------------------------------

struct Parameter {
  std::string key;
  const KeySpec* spec = nullptr;
  std::vector<double> values;  // grid: the values in numeric form (bool 0/1, choice index)
  double min = 0, max = 0;     // lhs
  InputLocation loc;
};

// A sweep whose members are branches of one run (`branch_from = "TRACE.h5@YYYY-MM"`): every
// member starts from the parent's checkpoint at that month, with its levers changed there, so
// the history before it is simulated once.
struct BranchFrom {
  Continuation from;         // the parent trace, its config, the checkpoint (row, step) and its lever changes
  std::string month;         // YYYY-MM of the checkpoint
  std::string content_hash;  // of the parent file when the sweep was loaded
};

struct Sweep {
  std::string path, text, name;
  std::optional<BranchFrom> branch;         // set when the members are branches of one run
  std::vector<std::string> scenarios;       // config paths, resolved
  std::vector<std::string> scenario_names;  // run.name of each
  int replicates = 1;
  std::uint64_t seed = 20180101;
  std::string design = "grid";
  int samples = 0;
  std::uint64_t design_seed = 1;
  std::vector<Parameter> parameters;
  std::vector<std::string> fixed;  // "section.key=value" overrides applied to every run
  std::vector<OutputSpec> outputs;
  bool traces = false;
  std::string trace_dir;  // as written (relative to the summary's folder unless absolute)
  std::vector<std::vector<double>> points;  // design points: [point][parameter] values

  std::size_t runs() const { return scenarios.size() * points.size() * static_cast<std::size_t>(replicates); }
};

// One run of a sweep: run = (scenario * points + point) * replicates + replicate.
struct RunId {
  std::size_t scenario, point;
  int replicate;
};
RunId run_id(const Sweep& s, std::size_t run);
// The seed of one run: replicate_seed(s.seed, replicate), or the parent's in a branch sweep.
std::uint64_t run_seed(const Sweep& s, std::size_t run);

// Loads and checks a sweep file; throws ConfigError naming file:line:column and key.
Sweep load_sweep(const std::string& path);

// Runs one member of a branch sweep (s.branch) from the parent's checkpoint to the end and
// returns the indicators; with a trace_path, its trace holds the parent's history and records
// the member's levers as interventions at the branch month.
std::vector<double> run_branch(const Sweep& s, std::size_t run, const std::string& trace_path = {},
                               RunInfo info = {});

// Sets a key from its numeric form (int/float: the number, bool: != 0, choice: index).
// Throws ConfigError{where, key} when out of range.
void set_numeric(Config& c, const KeySpec& k, double value, const std::string& where);

// load_static_data(c), reusing the last result when the [data] keys are the same.
StaticData static_data_for(const Config& c);

// The config of one run: its scenario, the fixed keys, the design point and the seed.
Config sweep_config(const Sweep& s, std::size_t run);
// The model of a config, with its data loaded (static_data_for).
Model model_of(const Config& c);
// The model of one run (model_of(sweep_config(s, run))).
Model sweep_model(const Sweep& s, std::size_t run);

}  // namespace feidi::sweep
