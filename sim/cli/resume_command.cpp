// resume_command.cpp — `feidi-sim resume` (continue a run from its last checkpoint, also
// after kill -9) and `feidi-sim branch` (a what-if from the checkpoint of a given month, with
// changed levers). Both rebuild the model from the config stored in the parent trace,
// restore the checkpoint's state, re-apply the parent's lever changes before it, and write a
// new trace that starts with the parent's history.
#include <boost/program_options.hpp>
#include <unistd.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/drive.hpp"
#include "cli/options.hpp"
#include "config/config.hpp"
#include "config/data_loader.hpp"
#include "engine/deadline.hpp"
#include "engine/error.hpp"
#include "engine/parallel.hpp"
#include "model/checkpoint.hpp"
#include "run/continuation.hpp"
#include "run/runner.hpp"
#include "run/summary.hpp"
#include "trace/layout.hpp"
#include "trace/provenance.hpp"
#include "trace/reader.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace feidi::cli {

namespace {

struct Plan {
  std::string command;  // "resume" or "branch"
  std::string parent;
  std::string out;
  std::string at;                 // branch: YYYY-MM
  std::vector<std::string> sets;  // branch: lever changes
  int threads = 0;
  bool quiet = false;
};

int continue_run(const Plan& plan, const std::string& argv_line) {
  const std::string& parent = plan.parent;
  // A run still writing the parent: neither resume it in place nor read it half-written.
  if (plan.command == "resume" && plan.out.empty()) check_not_being_written(parent);
  // Reading the parent (config, checkpoint, lever changes) must end; the history copy comes later.
  std::optional<ReadDeadline> deadline(std::in_place, parent, 600);
  // 1. The parent: its config, checkpoints and lever changes.
  {
    TraceReader r(parent);
    const bool complete =
        r.attr_int("run_completed").value_or(0) == 1 && r.steps_written() == r.attr_int("steps_total").value_or(-1);
    if (complete && plan.command == "resume" && plan.out.empty()) {
      if (!plan.quiet) std::cout << parent << ": the run is complete; nothing to resume\n";
      return 0;
    }
  }
  std::optional<YearMonth> at;
  if (plan.command == "branch") {
    at = YearMonth::parse(plan.at);
    if (!at) throw UsageError("feidi-sim branch: --at must be a month YYYY-MM, got '" + plan.at + "'");
  }
  const Continuation c = plan_continuation(parent, at, "feidi-sim " + plan.command);
  if (plan.command == "resume") clear_stale_lock(parent);  // left by the killed run (a live writer keeps its own)
  const Config& cfg = c.config;
  const YearMonth start = cfg.params.run.start;
  const std::int32_t k = c.step;
  const int total = cfg.params.steps();

  // Branch levers: each --set must name a policy lever (the state stays the parent's).
  std::vector<std::pair<int, double>> changes;
  const auto levers = lever_specs();
  for (const auto& s : plan.sets) {
    const auto eq = s.find('=');
    const std::string key = s.substr(0, eq);
    const auto lit = std::find_if(levers.begin(), levers.end(), [&](const KeySpec* l) { return l->dotted() == key; });
    if (eq == std::string::npos || lit == levers.end()) {
      std::string names;
      for (const auto* l : levers) names += (names.empty() ? "" : ", ") + l->dotted();
      throw UsageError("feidi-sim branch: --set " + s + ": a branch changes policy levers only (" + names + ")");
    }
    Config probe = cfg;
    apply_override(probe, s);
    changes.emplace_back(static_cast<int>(lit - levers.begin()), lever_value(probe.params, **lit));
  }

  // 2. The output: a new file, or (resume without -o) the parent itself: the new trace is made
  // beside it with the parent's history and replaces it before the run goes on, so a resume
  // killed in turn can be resumed again (and a run still writing the parent is refused).
  std::string out = plan.out;
  if (out.empty()) {
    if (plan.command == "branch") throw UsageError("feidi-sim branch: give the branch's trace with -o OUT.h5");
    out = parent;
  } else {
    check_h5_output(out, "trace");
    std::error_code ec;
    if (fs::equivalent(out, parent, ec))
      throw PathError(out + ": the output must be another file than the parent (omit -o to resume in place)");
  }

  ThreadScope scope(plan.threads);
  const bool tty = !plan.quiet && isatty(STDERR_FILENO);
  if (tty) {
    std::fprintf(stderr, "  loading the checkpoint at %s (step %d of %d) ...", start.plus(k).str().c_str(), k, total);
    std::fflush(stderr);
  }
  Restored restored = restore_continuation(c);
  // A resumed run keeps its own lever changes after the checkpoint.
  std::vector<Intervention> replay;
  if (plan.command == "resume")
    for (const auto& iv : c.recorded)
      if (iv.step >= k) replay.push_back(iv);
  deadline.reset();
  RunInfo info = run_info(cfg, c.config_path, argv_line, scope.threads());
  for (const auto& s : plan.sets) info.overrides.push_back("--set " + s);
  info.parent = ParentTrace{fs::absolute(parent).lexically_normal().string(), file_hash(parent), k,
                            start.plus(k).str(), plan.command};
  Runner runner(std::move(restored.model), std::move(restored.state), out, info);
  runner.keep_records(false);
  if (tty) std::fprintf(stderr, "\r\033[K");
  // Only real changes are recorded (a --set to the lever's value at the branch month is none).
  for (const auto& [lever, value] : changes)
    if (value != lever_value(runner.model().params, *levers[static_cast<std::size_t>(lever)])) runner.change_lever(lever, value);

  const DriveResult dr = drive(runner, replay, plan.quiet, nullptr);
  if (dr.interrupted) {
    runner.abort();
    std::cerr << "feidi-sim " << plan.command << ": interrupted after " << k + dr.steps << " of " << total
              << " steps; " << out << " holds them (run_completed = 0)\n";
    return 130;
  }
  runner.finish(dr.sim_s);
  if (!plan.quiet) {
    TraceReader reader(out);
    std::cout << summary_table(reader);
    std::printf("  wrote %s: %s from the checkpoint at %s (step %d), %d steps in %.2f s (%d threads)\n", out.c_str(),
                plan.command == "branch" ? "branched" : "resumed", start.plus(k).str().c_str(), k, dr.steps, dr.sim_s,
                scope.threads());
  }
  return 0;
}

std::string command_line(const std::string& argv0, const char* cmd, const std::vector<std::string>& args) {
  std::ostringstream s;
  s << argv0 << ' ' << cmd;
  for (const auto& a : args) s << ' ' << a;
  return s.str();
}

}  // namespace

int resume_command(const std::vector<std::string>& args, const std::string& argv0) {
  po::options_description opts("feidi-sim resume TRACE.h5 [-o OUT.h5]");
  opts.add_options()("help,h", "show this help")("trace", po::value<std::string>(), "trace of the run to continue")(
      "output,o", po::value<std::string>(),
      "write the continued run here (default: replace TRACE.h5 once the run completes)")(
      "threads", po::value<int>()->default_value(0), "worker threads (0 = all cores); never changes results")(
      "quiet,q", "no progress line and no summary");
  po::positional_options_description pos;
  pos.add("trace", 1);
  const auto vm = parse(args, opts, pos, "resume");
  if (vm.count("help")) {
    std::cout << "Continue a run from its last checkpoint (also after kill -9): the result is bitwise the run that\n"
                 "was not interrupted. The trace must have checkpoints (run --checkpoint-every N).\n\n"
              << opts
              << "\nExit codes: 0 success; 1 internal failure; 2 bad input (no such trace, no checkpoint, damaged\n"
                 "checkpoint, data that do not fit it); 130 interrupted by Ctrl-C or SIGTERM.\n";
    return 0;
  }
  if (!vm.count("trace")) throw UsageError("feidi-sim resume: missing TRACE.h5 (see --help)");
  Plan plan;
  plan.command = "resume";
  plan.parent = vm["trace"].as<std::string>();
  if (vm.count("output")) plan.out = vm["output"].as<std::string>();
  plan.threads = vm["threads"].as<int>();
  plan.quiet = vm.count("quiet") > 0;
  if (plan.threads < 0 || plan.threads > 1024) throw UsageError("feidi-sim resume: --threads must be between 0 and 1024");
  return continue_run(plan, command_line(argv0, "resume", args));
}

int branch_command(const std::vector<std::string>& args, const std::string& argv0) {
  po::options_description opts("feidi-sim branch TRACE.h5 --at YYYY-MM [--set lever=value ...] -o OUT.h5");
  std::vector<std::string> sets;
  opts.add_options()("help,h", "show this help")("trace", po::value<std::string>(), "parent trace (with checkpoints)")(
      "at", po::value<std::string>(), "month to branch at (YYYY-MM): a checkpoint month of the parent")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(),
      "change a policy lever from that month: --set section.key=value (repeatable)")(
      "output,o", po::value<std::string>(), "the branch's trace (.h5)")(
      "threads", po::value<int>()->default_value(0), "worker threads (0 = all cores); never changes results")(
      "quiet,q", "no progress line and no summary");
  po::positional_options_description pos;
  pos.add("trace", 1);
  const auto vm = parse(args, opts, pos, "branch");
  if (vm.count("help")) {
    std::cout << "Start a what-if from a checkpoint of a run, with changed levers. The branch's trace holds the\n"
                 "parent's history up to that month (so parent and branch share one time axis), records the\n"
                 "changes in /interventions at the branch month, and names its parent (parent_trace,\n"
                 "parent_content_hash, parent_month).\n\n"
              << opts
              << "\nExit codes: 0 success; 1 internal failure; 2 bad input (no such trace or checkpoint month, a\n"
                 "key that is not a lever, a bad value); 130 interrupted by Ctrl-C or SIGTERM.\n";
    return 0;
  }
  if (!vm.count("trace")) throw UsageError("feidi-sim branch: missing TRACE.h5 (see --help)");
  if (!vm.count("at")) throw UsageError("feidi-sim branch: missing --at YYYY-MM (see --help)");
  Plan plan;
  plan.command = "branch";
  plan.parent = vm["trace"].as<std::string>();
  plan.at = vm["at"].as<std::string>();
  plan.sets = sets;
  if (vm.count("output")) plan.out = vm["output"].as<std::string>();
  plan.threads = vm["threads"].as<int>();
  plan.quiet = vm.count("quiet") > 0;
  if (plan.threads < 0 || plan.threads > 1024) throw UsageError("feidi-sim branch: --threads must be between 0 and 1024");
  return continue_run(plan, command_line(argv0, "branch", args));
}

}  // namespace feidi::cli
