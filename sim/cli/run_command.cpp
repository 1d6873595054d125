// run_command.cpp — `feidi-sim run` and `feidi-sim info`.
#include <boost/program_options.hpp>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/drive.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "engine/deadline.hpp"
#include "engine/error.hpp"
#include "engine/parallel.hpp"
#include "config/config.hpp"
#include "config/data_loader.hpp"
#include "trace/direct_io.hpp"
#include "run/json.hpp"
#include "run/summary.hpp"
#include "trace/reader.hpp"
#include "run/runner.hpp"
#include "trace/writer.hpp"
#include "model/model.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace feidi::cli {

namespace {


}  // namespace

int run_command(const std::vector<std::string>& args, const std::string& argv0) {
  po::options_description opts("feidi-sim run CONFIG [options]");
  std::vector<std::string> sets;
  opts.add_options()("help,h", "show this help")(
      "config", po::value<std::string>(), "scenario config (TOML), e.g. configs/baseline.toml")(
      "output,o", po::value<std::string>(), "trace file to write (.h5); default results/<run.name>.h5 (results/ created if missing)")(
      "seed", po::value<std::uint64_t>(), "master seed (overrides run.seed)")(
      "threads", po::value<int>()->default_value(0), "worker threads (0 = all cores); never changes results")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(), "override a key: --set section.key=value (repeatable)")(
      "quiet,q", "no progress line and no summary")(
      "stats-json", po::value<std::string>(), "write run statistics (steps/s, agent updates/s, phases) as JSON")(
      "interventions", po::value<std::string>(),
      "replay the lever changes recorded in a (steered) trace at the same steps")(
      "profile", "print the time spent in each phase")(
      "checkpoint-every", po::value<int>(),
      "write the whole state into the trace's /checkpoint group every N months (trace.checkpoint_interval_months), "
      "so `feidi-sim resume` and `feidi-sim branch` can continue from there")(
      "no-trace", "run without writing a trace (benchmarks: the engine alone)");
  po::positional_options_description pos;
  pos.add("config", 1);
  const auto vm = parse(args, opts, pos, "run");
  if (vm.count("help")) {
    std::cout << "Run a scenario and write its trace.\n\n" << opts
              << "\nExit codes: 0 success; 1 internal failure; 2 bad input (config, flags, paths, data);\n"
                 "130 interrupted by Ctrl-C or SIGTERM (the trace keeps the steps written, run_completed = 0).\n";
    return 0;
  }
  if (!vm.count("config")) throw UsageError("feidi-sim run: missing CONFIG (see --help)");
  const std::string config_path = vm["config"].as<std::string>();
  const int threads = vm["threads"].as<int>();
  if (threads < 0 || threads > 1024) throw UsageError("feidi-sim run: --threads must be between 0 and 1024");

  // 1. Everything the user gave is checked before anything is written.
  Config cfg = load_config(config_path);
  for (const auto& s : sets) apply_override(cfg, s);
  if (vm.count("seed")) cfg.params.run.seed = vm["seed"].as<std::uint64_t>();
  if (vm.count("checkpoint-every")) {
    const int every = vm["checkpoint-every"].as<int>();
    if (every < 1 || every > 1200) throw UsageError("feidi-sim run: --checkpoint-every must be between 1 and 1200 months");
    cfg.trace.checkpoint_interval_months = every;
  }
  Model model;
  model.params = cfg.params;
  const std::string scenario = model.params.run.name;
  const bool no_trace = vm.count("no-trace") > 0;
  if (no_trace && vm.count("output")) throw UsageError("feidi-sim run: --no-trace and --output exclude each other");
  std::string out;
  if (!no_trace && vm.count("output")) {
    out = vm["output"].as<std::string>();
  } else if (!no_trace) {
    std::error_code ec;
    fs::create_directories("results", ec);
    if (ec) throw PathError("results: cannot create the default output folder (" + ec.message() + "); give -o OUT.h5");
    out = "results/" + model.params.run.name + ".h5";
  }
  if (!no_trace) check_h5_output(out, "trace");
  const bool quiet = vm.count("quiet") > 0;
  std::vector<Intervention> replay;
  if (vm.count("interventions")) {
    const auto src = vm["interventions"].as<std::string>();
    if (!no_trace && fs::weakly_canonical(src) == fs::weakly_canonical(out))
      throw PathError(out + ": --interventions must name another trace than the output");
    const ReadDeadline deadline(src, 120);
    replay = read_interventions(src);
  }

  ThreadScope scope(threads);
  const auto t_load = std::chrono::steady_clock::now();
  model.data = load_static_data(cfg);

  // 2. The trace: created only now, with every object, then SWMR.
  std::ostringstream cmd;
  cmd << argv0 << " run";
  for (const auto& a : args) cmd << ' ' << a;
  RunInfo info = run_info(cfg, config_path, cmd.str(), scope.threads());
  if (vm.count("seed")) info.overrides.push_back("--seed " + std::to_string(vm["seed"].as<std::uint64_t>()));
  for (const auto& s : sets) info.overrides.push_back("--set " + s);
  if (vm.count("checkpoint-every"))
    info.overrides.push_back("--checkpoint-every " + std::to_string(vm["checkpoint-every"].as<int>()));
  // Building the agents takes a while at full scale (57 M persons: about 18 s on one
  // core, 8-11 s on two).
  const bool tty = !quiet && isatty(STDERR_FILENO);
  if (tty) {
    std::fprintf(stderr, "  setting up the agents (1 person agent = %lld persons, 1 firm agent = %lld firms) ...",
                 static_cast<long long>(model.params.scale.persons_per_agent),
                 static_cast<long long>(model.params.scale.firms_per_agent));
    std::fflush(stderr);
  }
  Runner runner(std::move(model), out, info);
  runner.keep_records(false);
  if (tty) std::fprintf(stderr, "\r\033[K");
  const State& state = runner.state();
  const double init_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_load).count();

  StepStats stats;
  const bool profile = vm.count("profile") > 0 || vm.count("stats-json") > 0;
  const int total = runner.steps_total();
  const auto t0 = std::chrono::steady_clock::now();
  const DriveResult dr = drive(runner, replay, quiet, profile ? &stats : nullptr);
  const int done = dr.steps;
  const double sim_s = dr.sim_s;
  if (dr.interrupted) {
    runner.abort();
    std::cerr << "feidi-sim run: interrupted after " << done << " of " << total << " steps"
              << (no_trace ? std::string(" (no trace)") : "; " + out + " holds them (run_completed = 0)") << "\n";
    return 130;
  }
  runner.finish(sim_s);
  const double wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  if (vm.count("stats-json")) {
    std::ofstream js(vm["stats-json"].as<std::string>());
    js << "{\"scenario\": \"" << json_escape(scenario) << "\", \"threads\": " << scope.threads()
       << ", \"steps\": " << done << ", \"persons\": " << state.persons.size() << ", \"firms\": " << state.firms.size()
       << ", \"villages\": " << state.villages.size() << ", \"init_s\": " << init_s << ", \"sim_s\": " << sim_s
       << ", \"wall_s\": " << wall_s << ", \"steps_per_s\": " << (sim_s > 0 ? done / sim_s : 0)
       << ", \"agent_updates\": " << stats.agent_updates
       << ", \"traced\": " << (no_trace ? "false" : "true") << ", \"decisions\": " << stats.decisions
       << ", \"decisions_per_s\": " << (sim_s > 0 ? static_cast<double>(stats.decisions) / sim_s : 0)
       << ", \"bytes_touched\": " << stats.bytes_touched
       << ", \"effective_gb_per_s\": " << (sim_s > 0 ? static_cast<double>(stats.bytes_touched) / sim_s / 1e9 : 0)
       << ", \"attention_last_step\": " << state.ledger.attention
       << ", \"trace_record_s\": " << runner.record_seconds()
       << ", \"trace_writer_cpu_s\": " << runner.writer_cpu_seconds()
       << ", \"trace_direct_bytes\": " << h5::direct_bytes_written()
       << ", \"agent_updates_per_s\": " << (sim_s > 0 ? static_cast<double>(stats.agent_updates) / sim_s : 0)
       << ", \"phases\": {";
    for (int p = 0; p < kPhaseCount; ++p)
      js << (p ? ", " : "") << '"' << phase_name(static_cast<Phase>(p)) << "\": " << stats.seconds[p];
    js << "}}\n";
  }
  if (vm.count("profile")) {
    std::cerr << "phase times (s):";
    for (int p = 0; p < kPhaseCount; ++p)
      std::cerr << "  " << phase_name(static_cast<Phase>(p)) << ' ' << stats.seconds[p];
    std::cerr << '\n';
  }
  if (!quiet && no_trace) {
    std::printf("  ran without a trace: %d steps in %.2f s (%.1f steps/s, %d threads; %zu persons, %zu firms, %zu villages as agents)\n",
                done, wall_s, done / std::max(1e-9, sim_s), scope.threads(), state.persons.size(), state.firms.size(),
                state.villages.size());
  } else if (!quiet) {
    TraceReader reader(out);
    std::cout << summary_table(reader);
    std::printf("  wrote %s: %d steps in %.2f s (%.1f steps/s, %d threads; %zu persons, %zu firms, %zu villages as agents)\n",
                out.c_str(), done, wall_s, done / std::max(1e-9, sim_s), scope.threads(), state.persons.size(),
                state.firms.size(), state.villages.size());
  }
  return 0;
}

int info_command(const std::vector<std::string>& args) {
  po::options_description opts("feidi-sim info TRACE.h5");
  opts.add_options()("help,h", "show this help")("trace", po::value<std::string>(), "trace file");
  po::positional_options_description pos;
  pos.add("trace", 1);
  const auto vm = parse(args, opts, pos, "info");
  if (vm.count("help")) {
    std::cout << "Describe a trace: scenario, period, scale, run metadata, overrides, groups and the summary table.\n\n"
              << opts << "\nExit codes: 0 success; 2 bad input (no such file, not a Feidi trace); 1 internal failure.\n";
    return 0;
  }
  if (!vm.count("trace")) throw UsageError("feidi-sim info: missing TRACE.h5 (see --help)");
  const std::string path = vm["trace"].as<std::string>();
  const ReadDeadline deadline(path, 120);
  TraceReader r(path);
  const auto steps = r.steps_written();
  const auto total = r.attr_int("steps_total").value_or(0);
  std::cout << path << "\n"
            << "  scenario        " << r.attr_string("scenario").value_or("?") << "\n"
            << "  period          " << r.attr_string("start").value_or("?") << " -> " << r.attr_string("end").value_or("?")
            << "  (" << steps << " of " << total << " steps written"
            << (r.attr_int("run_completed").value_or(0) ? ", complete" : ", INCOMPLETE: run still going or interrupted")
            << ")\n"
            << "  seed            " << r.attr_int("seed").value_or(0) << "\n"
            << "  scale           1 person agent = " << r.attr_int("persons_per_agent").value_or(0)
            << " persons, 1 firm agent = " << r.attr_int("firms_per_agent").value_or(0) << " firms\n"
            << "  schema          " << r.attr_string("feidi_schema_version").value_or("?") << "  (source "
            << r.attr_string("source_version").value_or("?") << ")\n"
            << "  config          " << r.attr_string("run_config_path").value_or("?") << "\n";
  const auto threads = r.attr_int("run_threads").value_or(0);
  const auto wall = r.attr_double("run_wall_time_s");
  if (wall && std::isfinite(*wall) && threads > 0) {
    std::printf("  run             %.2f s on %lld threads, host %s, started %s\n", *wall, static_cast<long long>(threads),
                r.attr_string("run_host").value_or("?").c_str(), r.attr_string("run_started_utc").value_or("?").c_str());
  } else {
    std::printf("  run             started %s on host %s; no timing (run still going or interrupted)\n",
                r.attr_string("run_started_utc").value_or("?").c_str(), r.attr_string("run_host").value_or("?").c_str());
  }
  {
    const auto ov = r.attr_string("run_overrides").value_or("");
    std::string line;
    for (char c : ov) line += c == '\n' ? std::string(", ") : std::string(1, c);
    std::cout << "  overrides       " << (ov.empty() ? std::string("none (the config file as written)") : line) << "\n";
  }
  if (const auto parent = r.attr_string("parent_trace")) {
    std::cout << "  parent          " << r.attr_string("parent_kind").value_or("?") << " of " << *parent << " from "
              << r.attr_string("parent_month").value_or("?") << " (its first " << r.attr_int("parent_step").value_or(0)
              << " steps; content hash " << r.attr_string("parent_content_hash").value_or("?") << ")\n";
  }
  // Every group in the file, with its size.
  const auto dim = [&](const std::string& g, const std::string& d) { return r.dimension(g, d); };
  std::cout << "  groups\n";
  for (const auto& g : r.variables("/")) {
    if (g == "steps_written") continue;
    const auto vars = r.variables(g);
    const auto has = [&](const char* v) { return std::find(vars.begin(), vars.end(), v) != vars.end(); };
    std::ostringstream d;
    if (g == "county") d << dim(g, "county") << " counties";
    else if (g == "enclave") d << dim(g, "enclave") << " enclave slots";
    else if (g == "province") d << "province totals";
    else if (g == "events") d << dim(g, "event") << " events";
    else if (g == "interventions") d << dim(g, "intervention") << " lever changes";
    else if (g == "panel") d << (has("person") ? dim(g, "person") : 0) << " sampled persons, " << (has("firm") ? dim(g, "firm") : 0)
                             << " sampled firms, every month";
    else if (g == "snapshot") d << (has("snapshot") ? dim(g, "snapshot") : 0) << " snapshots of every agent";
    else if (g == "checkpoint") {
      const auto cps = r.checkpoint_steps();
      const auto start = YearMonth::parse(r.attr_string("start").value_or("")).value_or(YearMonth{});
      d << cps.size() << " checkpoints";
      if (!cps.empty()) d << " (" << start.plus(cps.front()).str() << " ... " << start.plus(cps.back()).str() << ")";
    }
    else d << "other";
    std::printf("    %-14s %s; %zu variables\n", g.c_str(), d.str().c_str(), vars.size());
  }
  std::cout << summary_table(r);
  return 0;
}

}  // namespace feidi::cli
