// sweep_command.cpp — `feidi-sim sweep` (ensembles from a sweep file) and
// `feidi-sim sensitivity` (Morris elementary effects over the policy levers).
// Both run on the MPI run farm (sweep/farm.hpp): `mpirun -np N feidi-sim ...`
// or a single process without mpirun; the results never depend on N.
#include <boost/program_options.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <numeric>
#include <sstream>

#include "cli/commands.hpp"
#include "cli/farm_helpers.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "engine/error.hpp"
#include "engine/hash.hpp"
#include "engine/parallel.hpp"
#include "config/config.hpp"
#include "config/data_loader.hpp"
#include "trace/provenance.hpp"
#include "trace/table_file.hpp"
#include "run/farm.hpp"
#include "run/sweep.hpp"

#ifndef FEIDI_SOURCE_VERSION
#define FEIDI_SOURCE_VERSION "unknown"
#endif

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace feidi::cli {

namespace {

std::string join(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

// The sweep's journal, "<summary>.journal" beside the summary: one line per finished run,
// appended by whichever rank ran it (one write of a whole line, O_APPEND), so a sweep that is
// killed keeps what it finished and `sweep --resume` runs only the rest. Lines:
//   feidi-sweep-journal <hash of the sweep file and its runs>
//   ok <run> <output values, %.17g>
//   failed <run> <error message, one line>
class Journal {
 public:
  Journal(std::string path, std::string key) : path_(std::move(path)), key_(std::move(key)) {}
  const std::string& path() const { return path_; }
  // Starts a new journal (a fresh sweep).
  void start() const {
    std::FILE* f = std::fopen(path_.c_str(), "w");
    if (!f) throw PathError(path_ + ": cannot write the sweep's journal (" + std::strerror(errno) + ")");
    std::fprintf(f, "feidi-sweep-journal %s\n", key_.c_str());
    std::fclose(f);
  }
  // The finished runs of an earlier attempt: run -> values (ok) or error (failed).
  void read(std::size_t n, std::size_t outputs, std::map<std::size_t, std::vector<double>>& ok,
            std::map<std::size_t, std::string>& failed) const {
    std::ifstream in(path_);
    if (!in) throw PathError(path_ + ": no journal to resume from (run the sweep without --resume first)");
    std::string line;
    if (!std::getline(in, line) || line != "feidi-sweep-journal " + key_)
      throw PathError(path_ + ": the journal belongs to another sweep file or version (run without --resume)");
    while (std::getline(in, line)) {
      std::istringstream is(line);
      std::string status;
      std::size_t run = 0;
      if (!(is >> status >> run) || run >= n) continue;  // a line cut by a kill
      if (status == "ok") {
        std::vector<double> v(outputs);
        bool good = true;
        for (auto& x : v) good = good && static_cast<bool>(is >> x);
        if (good) {
          ok[run] = std::move(v);
          failed.erase(run);
        }
      } else if (status == "failed") {
        std::string msg;
        std::getline(is >> std::ws, msg);
        if (!ok.count(run)) failed[run] = msg;
      }
    }
  }
  void ok(std::size_t run, const std::vector<double>& values) const {
    std::string line = "ok " + std::to_string(run);
    char buf[40];
    for (const double x : values) {
      std::snprintf(buf, sizeof buf, " %.17g", x);
      line += buf;
    }
    append(line + "\n");
  }
  void failed(std::size_t run, const std::string& message) const {
    std::string msg = message;
    for (char& c : msg)
      if (c == '\n' || c == '\r') c = ' ';
    append("failed " + std::to_string(run) + " " + msg + "\n");
  }

 private:
  void append(const std::string& line) const {
    const int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) return;  // the summary still gets the result; only --resume would miss it
    const ssize_t w = ::write(fd, line.data(), line.size());
    static_cast<void>(w);
    ::close(fd);
  }
  std::string path_, key_;
};

}  // namespace

// ---- sweep ------------------------------------------------------------------------------------

int sweep_command(const std::vector<std::string>& args) {
  po::options_description opts("feidi-sim sweep SWEEP.toml -o SUMMARY.h5 [options]");
  opts.add_options()("help,h", "show this help")("sweep", po::value<std::string>(), "sweep file (TOML)")(
      "output,o", po::value<std::string>(), "summary file to write (.h5)")(
      "threads", po::value<int>(), "worker threads per rank (default: all cores alone, 1 per rank under mpirun)")(
      "dry-run", "print the runs (scenario, design point, replicate, seed) and stop")(
      "resume", "complete an interrupted sweep: run only the runs its journal (SUMMARY.h5.journal) lacks or "
                "records as failed, then write the whole summary")(
      "quiet,q", "no progress line and no closing line");
  po::positional_options_description pos;
  pos.add("sweep", 1);
  const auto vm = parse(args, opts, pos, "sweep");
  if (vm.count("help")) {
    std::cout << "Run an ensemble: scenarios x parameter design x replicates, spread over MPI ranks\n"
                 "(mpirun -np N feidi-sim sweep ...) or run in one process, and write one summary HDF5.\n"
                 "File format and summary schema: sim/docs/ensembles.md.\n\n"
              << opts
              << "\nA run that fails is recorded (status and error in the summary, NaN outputs) and the sweep goes\n"
                 "on; every finished run is also appended to SUMMARY.h5.journal, so a killed sweep can --resume.\n"
                 "\nExit codes: 0 success; 3 some runs failed (the summary says which; --resume reruns them);\n"
                 "2 bad input (sweep file, configs, paths); 1 internal failure.\n";
    return 0;
  }
  if (!vm.count("sweep")) throw UsageError("feidi-sim sweep: missing SWEEP.toml (see --help)");
  const bool dry = vm.count("dry-run") > 0;
  if (!dry && !vm.count("output")) throw UsageError("feidi-sim sweep: missing -o SUMMARY.h5 (see --help)");

  return with_farm([&](sweep::Farm& farm) -> int {
  sweep::Sweep s;
  std::string out, trace_dir;
  int threads = 0;
  if (!checked_everywhere(farm, [&] {
        s = sweep::load_sweep(vm["sweep"].as<std::string>());
        threads = default_threads(farm, vm);
        if (dry) return;
        out = vm["output"].as<std::string>();
        check_h5_output(out, "summary");
        if (s.traces) {
          const fs::path base = fs::path(out).parent_path();
          const fs::path td = s.trace_dir.empty() ? base / (fs::path(out).stem().string() + "_traces")
                                                  : (fs::path(s.trace_dir).is_absolute() ? fs::path(s.trace_dir) : base / s.trace_dir);
          trace_dir = td.lexically_normal().string();
          if (fs::exists(td) && !fs::is_directory(td)) throw PathError(trace_dir + ": exists and is not a folder");
        }
      }))
    return kStopBehindMaster;

  const std::size_t n = s.runs();
  if (dry) {
    if (!farm.master()) return 0;
    std::printf("%s: %zu runs = %zu scenarios x %zu design points (%s) x %d replicates\n", s.path.c_str(), n,
                s.scenarios.size(), s.points.size(), s.design.c_str(), s.replicates);
    std::printf("run\tscenario\tpoint\treplicate\tseed");
    for (const auto& p : s.parameters) std::printf("\t%s", p.key.c_str());
    std::printf("\n");
    for (std::size_t r = 0; r < n; ++r) {
      const auto id = sweep::run_id(s, r);
      std::printf("%zu\t%s\t%zu\t%d\t%llu", r, s.scenario_names[id.scenario].c_str(), id.point, id.replicate,
                  static_cast<unsigned long long>(sweep::run_seed(s, r)));
      for (std::size_t d = 0; d < s.parameters.size(); ++d) std::printf("\t%s", shortest_decimal(s.points[id.point][d]).c_str());
      std::printf("\n");
    }
    return 0;
  }

  // The trace folder is made by rank 0 before any rank runs.
  std::string dir_error;
  if (farm.master() && s.traces) {
    std::error_code ec;
    fs::create_directories(trace_dir, ec);
    if (ec) dir_error = trace_dir + ": cannot create the trace folder (" + ec.message() + ")";
  }
  if (!farm.all(dir_error.empty())) {
    if (farm.master()) throw PathError(dir_error);
    return kStopBehindMaster;
  }

  ThreadScope scope(threads);
  const std::string started = utc_now();
  const auto t0 = std::chrono::steady_clock::now();
  const bool quiet = vm.count("quiet") > 0;
  const auto trace_name = [&](std::size_t r) -> std::string {
    char buf[32];
    std::snprintf(buf, sizeof buf, "run_%06zu.h5", r);
    return buf;
  };
  const auto run_one = [&](std::size_t r) -> std::vector<double> {
    const Config c = sweep::sweep_config(s, r);
    const auto info = [&] {
      return run_info(c, s.scenarios[sweep::run_id(s, r).scenario],
                      command_line("sweep", args) + " (run " + std::to_string(r) + ")", 1);
    };
    if (s.branch) {
      if (!s.traces) return sweep::run_branch(s, r);
      return sweep::run_branch(s, r, (fs::path(trace_dir) / trace_name(r)).string(), info());
    }
    Model m = sweep::model_of(c);
    if (!s.traces) return sweep::run_model(std::move(m), s.outputs);
    return sweep::run_model(std::move(m), s.outputs, (fs::path(trace_dir) / trace_name(r)).string(), info());
  };
  // The journal: a fresh one, or (--resume) the runs an earlier attempt finished. Rank 0 reads
  // it and tells every rank which runs remain.
  const bool resume = vm.count("resume") > 0;
  std::string key_text = s.text + "\n" + std::to_string(n) + "\n" + FEIDI_SOURCE_VERSION;
  if (s.branch) key_text += "\n" + s.branch->content_hash;
  char key[17];
  std::snprintf(key, sizeof key, "%016llx", static_cast<unsigned long long>(hash_bytes(kHashSeed, key_text.data(), key_text.size())));
  const Journal journal(out + ".journal", key);
  std::map<std::size_t, std::vector<double>> earlier;
  std::map<std::size_t, std::string> earlier_failed;
  std::string journal_error;
  if (farm.master()) {
    try {
      if (resume) journal.read(n, s.outputs.size(), earlier, earlier_failed);
      else journal.start();
    } catch (const InputError& e) {
      journal_error = e.what();
    }
  }
  if (!farm.all(journal_error.empty())) {
    if (farm.master()) throw PathError(journal_error);
    return kStopBehindMaster;
  }
  std::vector<double> todo_row;
  if (farm.master())
    for (std::size_t r = 0; r < n; ++r)
      if (!earlier.count(r)) todo_row.push_back(static_cast<double>(r));
  const auto todo_rows = farm.broadcast({todo_row});
  std::vector<std::size_t> todo;
  for (const double r : todo_rows.at(0)) todo.push_back(static_cast<std::size_t>(r));

  Progress progress(static_cast<int>(todo.size()), quiet || !farm.master(), "run");
  // A run that fails is recorded (journal: its error; result: NaN outputs and a trailing 1) and
  // the others go on.
  const std::size_t nout = s.outputs.size();
  const auto ran = farm.run(
      todo.size(),
      [&](std::size_t i) {
        const std::size_t r = todo[i];
        try {
          auto v = run_one(r);
          journal.ok(r, v);
          v.push_back(0.0);
          return v;
        } catch (const std::exception& e) {
          journal.failed(r, e.what());
          std::vector<double> v(nout, std::nan(""));
          v.push_back(1.0);
          return v;
        }
      },
      [&](std::size_t done, std::size_t total) { progress.update(static_cast<int>(done), std::to_string(total - done) + " to go"); });
  progress.finish();
  if (!farm.master()) return 0;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  // Every run's outputs and status: this attempt's, then the journal's for the earlier ones
  // (and the error messages of this attempt's failures, which the ranks wrote there).
  std::vector<std::vector<double>> results(n, std::vector<double>(nout, std::nan("")));
  std::vector<std::int64_t> status(n, 0);
  for (const auto& [r, v] : earlier) results[r] = v;
  for (std::size_t i = 0; i < todo.size(); ++i) {
    const auto& v = ran[i];
    results[todo[i]].assign(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(nout));
    status[todo[i]] = v[nout] != 0 ? 1 : 0;
  }
  std::map<std::size_t, std::vector<double>> unused;
  std::map<std::size_t, std::string> errors;
  journal.read(n, nout, unused, errors);
  std::size_t failed = 0;
  for (std::size_t r = 0; r < n; ++r) failed += status[r] != 0;

  // The summary: dim run; scenario, point, replicate, seed, parameters, outputs.
  TableFile f;
  f.dims.push_back({"run", n});
  TableVar scen{"scenario", {"run"}, TableVar::Kind::kI64}, sname{"scenario_name", {"run"}, TableVar::Kind::kString},
      point{"point", {"run"}, TableVar::Kind::kI64}, rep{"replicate", {"run"}, TableVar::Kind::kI64},
      seed{"seed", {"run"}, TableVar::Kind::kI64};
  for (std::size_t r = 0; r < n; ++r) {
    const auto id = sweep::run_id(s, r);
    scen.i64.push_back(static_cast<std::int64_t>(id.scenario));
    sname.strings.push_back(s.scenario_names[id.scenario]);
    point.i64.push_back(static_cast<std::int64_t>(id.point));
    rep.i64.push_back(id.replicate);
    seed.i64.push_back(static_cast<std::int64_t>(sweep::run_seed(s, r)));
  }
  std::vector<std::int64_t> flag_values(s.scenarios.size());
  std::iota(flag_values.begin(), flag_values.end(), 0);
  scen.attrs = {{"long_name", "scenario index (see flag_meanings and the scenario_configs attribute)"},
                {"flag_meanings", join(s.scenario_names, " ")}};
  scen.int_array_attrs = {{"flag_values", flag_values}};
  sname.attrs = {{"long_name", "scenario name (run.name of its config)"}};
  point.attrs = {{"long_name", std::string("design point index (") + s.design + ")"}};
  rep.attrs = {{"long_name", "replicate index; runs of the same replicate share their seed (common random numbers)"}};
  seed.attrs = {{"long_name", "master seed of the run (run.seed)"}};
  for (auto* v : {&scen, &sname, &point, &rep, &seed}) f.vars.push_back(std::move(*v));
  for (std::size_t d = 0; d < s.parameters.size(); ++d) {
    const auto& p = s.parameters[d];
    const bool discrete = p.spec->type == KeyType::kBool || p.spec->type == KeyType::kEnum;
    TableVar v{p.key, {"run"}, discrete ? TableVar::Kind::kI64 : TableVar::Kind::kF64};
    for (std::size_t r = 0; r < n; ++r) {
      const double x = s.points[sweep::run_id(s, r).point][d];
      if (discrete) v.i64.push_back(static_cast<std::int64_t>(std::llround(x)));
      else v.f64.push_back(x);
    }
    v.attrs = {{"units", p.spec->unit == "-" ? "1" : p.spec->unit}, {"long_name", p.spec->doc}, {"config_key", p.key}};
    if (p.spec->type == KeyType::kBool) v.attrs.push_back({"flag_meanings", "false true"});
    if (p.spec->type == KeyType::kEnum) v.attrs.push_back({"flag_meanings", join(p.spec->choices, " ")});
    if (s.design == "lhs") {
      v.attrs.push_back({"lhs_min", std::to_string(p.min)});
      v.attrs.push_back({"lhs_max", std::to_string(p.max)});
    }
    f.vars.push_back(std::move(v));
  }
  for (std::size_t k = 0; k < s.outputs.size(); ++k) {
    const auto& o = s.outputs[k];
    TableVar v{o.name, {"run"}, TableVar::Kind::kF64};
    for (std::size_t r = 0; r < n; ++r) v.f64.push_back(results[r][k]);
    v.attrs = {{"units", o.units}, {"long_name", o.long_name}, {"indicator", o.text}};
    f.vars.push_back(std::move(v));
  }
  {
    TableVar st{"status", {"run"}, TableVar::Kind::kI64}, er{"error", {"run"}, TableVar::Kind::kString};
    for (std::size_t r = 0; r < n; ++r) {
      st.i64.push_back(status[r]);
      er.strings.push_back(status[r] ? (errors.count(r) ? errors[r] : std::string("failed")) : std::string());
    }
    st.attrs = {{"long_name", "0 = the run finished, 1 = it failed (outputs NaN; see error)"},
                {"flag_meanings", "ok failed"}};
    st.int_array_attrs = {{"flag_values", {0, 1}}};
    er.attrs = {{"long_name", "why the run failed (empty when it finished)"}};
    f.vars.push_back(std::move(st));
    f.vars.push_back(std::move(er));
  }
  if (s.traces) {
    TableVar tf{"trace_file", {"run"}, TableVar::Kind::kString};
    for (std::size_t r = 0; r < n; ++r) tf.strings.push_back(trace_name(r));
    tf.attrs = {{"long_name", "per-run trace, relative to the trace_dir attribute"}};
    f.vars.push_back(std::move(tf));
    f.attrs.push_back({"trace_dir", trace_dir});
  }
  f.attrs.push_back({"Conventions", "CF-1.8"});
  f.attrs.push_back({"title", "Feidi ensemble summary: " + s.name});
  f.attrs.push_back({"feidi_summary", "sweep"});
  f.attrs.push_back({"sweep_name", s.name});
  f.attrs.push_back({"sweep_file", s.path});
  f.attrs.push_back({"sweep_file_text", s.text});
  f.attrs.push_back({"design", s.design});
  f.attrs.push_back({"scenarios", join(s.scenario_names, " ")});
  f.attrs.push_back({"scenario_configs", join(s.scenarios, "\n")});
  f.attrs.push_back({"fixed_overrides", join(s.fixed, "\n")});
  f.attrs.push_back({"source_version", FEIDI_SOURCE_VERSION});
  f.int_attrs.push_back({"replicates", s.replicates});
  f.int_attrs.push_back({"base_seed", static_cast<std::int64_t>(s.seed)});
  f.int_attrs.push_back({"design_points", static_cast<std::int64_t>(s.points.size())});
  if (s.design == "lhs") {
    f.int_attrs.push_back({"samples", s.samples});
    f.int_attrs.push_back({"design_seed", static_cast<std::int64_t>(s.design_seed)});
  }
  add_execution_metadata(f, farm, scope.threads(), wall, started, command_line("sweep", args));
  write_table_file(out, f);
  if (!quiet)
    std::printf("  wrote %s: %zu runs (%zu this time) in %.2f s on %d rank%s (%.2f runs/s)\n", out.c_str(), n,
                todo.size(), wall, farm.size(), farm.size() > 1 ? "s" : "", todo.size() / std::max(wall, 1e-9));
  if (failed > 0) {
    std::size_t first = 0;
    while (status[first] == 0) ++first;
    std::cerr << "feidi-sim sweep: " << failed << " of " << n << " runs failed (status and error in " << out
              << "; --resume reruns them); run " << first << ": " << (errors.count(first) ? errors[first] : "?") << "\n";
    return 3;
  }
  return 0;
  });
}

// ---- sensitivity ---------------------------------------------------------------------------

namespace {

struct Factor {
  const KeySpec* spec;
  double lo, hi;  // numeric keys; bool [0,1]; choice [0, n-1]
};

// Unit coordinate → the lever's value in numeric form.
double factor_value(const Factor& f, double x) {
  switch (f.spec->type) {
    case KeyType::kBool: return x >= 0.5 ? 1.0 : 0.0;
    case KeyType::kEnum: {
      const double n = static_cast<double>(f.spec->choices.size());
      return std::min(n - 1, std::floor(x * n));
    }
    case KeyType::kInt: return std::round(f.lo + x * (f.hi - f.lo));
    default: return f.lo + x * (f.hi - f.lo);
  }
}

std::string range_text(const Factor& f) {
  if (f.spec->type == KeyType::kBool) return "false/true";
  if (f.spec->type == KeyType::kEnum) return join(f.spec->choices, "/");
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g ... %g", f.lo, f.hi);
  return buf;
}

}  // namespace

// Why a lever can have no effect on an indicator (printed for levers with mu* = 0).
std::string zero_effect_reason(const std::string& key, const Params& base) {
  if (key == "tax_split.fixed_source_share")
    return "acts only where tax_split.mode = \"fixed\" (fix it with --set tax_split.mode=fixed to study the share)";
  if (key == "tax_split.gdp_attribution_source_share")
    return "moves only how enclave GDP is counted between host and source (statistics), not tax, jobs or output";
  if (key == "enclaves.company_leverage" || key == "enclaves.ppp_leverage")
    return "acts only on company- or PPP-operated enclaves while they are being built with the special fund";
  if (key == "enclaves.talent_per_project")
    return "acts only when a sci-tech project industrialises in its source county before the indicator's date";
  if (key == "villages.relief_invest_yuan" && base.villages.relief_hazard_per_year == 0.0)
    return "acts only when villages.relief_hazard_per_year > 0";
  if (key.rfind("villages.", 0) == 0 || key == "enclaves.guaranteed_return_rate")
    return "moves village incomes and weak status, which only the village indicators count";
  if (key == "governments.institution_ppp" || key == "governments.institution_company")
    return "acts only on enclaves operated that way (few or none before the indicator's date)";
  if (key == "province.transfers_26_yuan_per_year" || key == "growth.public_investment_share")
    return "acts through capital accumulation: too slow to show before an early indicator date";
  return "not binding at these values (a quota or budget never exhausted), or acting after the indicator's date";
}

int sensitivity_command(const std::vector<std::string>& args) {
  po::options_description opts("feidi-sim sensitivity CONFIG --indicator INDICATOR -o SENS.h5 [options]");
  std::vector<std::string> sets, ranges;
  opts.add_options()("help,h", "show this help")("config", po::value<std::string>(), "scenario config (TOML)")(
      "indicator,i", po::value<std::string>(),
      "indicator: province.VAR[@WHEN] or county.VAR[CODE][@WHEN]; WHEN = end | YYYY-MM | mean | mean:YYYY-MM:YYYY-MM")(
      "output,o", po::value<std::string>(), "result file to write (.h5), as for run and sweep")(
      "levers", po::value<std::string>(), "comma-separated lever keys (default: every lever)")(
      "range", po::value<std::vector<std::string>>(&ranges)->composing(),
      "range of a numeric lever: --range key=MIN:MAX (repeatable; default: the key's registry range)")(
      "trajectories,r", po::value<int>()->default_value(10), "Morris trajectories r")(
      "levels,p", po::value<int>()->default_value(4), "grid levels p (even)")(
      "seed", po::value<std::uint64_t>(), "base seed of the replicates (default: the config's run.seed)")(
      "design-seed", po::value<std::uint64_t>()->default_value(1), "seed of the trajectory design")(
      "replicates,n", po::value<int>()->default_value(1), "replicate runs per design point (outputs averaged)")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(), "override a key: --set section.key=value (repeatable)")(
      "threads", po::value<int>(), "worker threads per rank (default: all cores alone, 1 per rank under mpirun)")(
      "quiet,q", "no progress line and no table");
  po::positional_options_description pos;
  pos.add("config", 1);
  const auto vm = parse(args, opts, pos, "sensitivity");
  if (vm.count("help")) {
    std::cout << "Morris elementary effects (Morris 1991; mu* of Campolongo et al. 2007) of the policy levers\n"
                 "on one output indicator; prints the levers ranked by mu* and writes them to HDF5.\n"
                 "Runs on the MPI run farm like `sweep`. Method and file layout: sim/docs/ensembles.md.\n\n"
              << opts << "\nExit codes: 0 success; 2 bad input (config, flags, indicator, ranges, paths); 1 internal failure.\n";
    return 0;
  }
  for (const char* req : {"config", "indicator", "output"})
    if (!vm.count(req))
      throw UsageError(std::string("feidi-sim sensitivity: missing ") +
                       (std::string(req) == "config" ? "CONFIG" : std::string(req) == "output" ? "-o SENS.h5" : "--indicator INDICATOR") +
                       " (see --help)");
  const int r = vm["trajectories"].as<int>(), p = vm["levels"].as<int>(), reps = vm["replicates"].as<int>();

  return with_farm([&](sweep::Farm& farm) -> int {
  Config base;
  sweep::OutputSpec output;
  std::vector<Factor> factors;
  std::uint64_t base_seed = 0;
  int threads = 0;
  const std::string config = vm["config"].as<std::string>(), out = vm["output"].as<std::string>();
  if (!checked_everywhere(farm, [&] {
        if (r < 1 || r > 10000) throw UsageError("feidi-sim sensitivity: --trajectories must be 1..10000");
        if (p < 2 || p > 100 || p % 2) throw UsageError("feidi-sim sensitivity: --levels must be even, 2..100");
        if (reps < 1 || reps > 1000) throw UsageError("feidi-sim sensitivity: --replicates must be 1..1000");
        threads = default_threads(farm, vm);
        base = load_config(config);
        for (const auto& o : sets) apply_override(base, o);
        base_seed = vm.count("seed") ? vm["seed"].as<std::uint64_t>() : base.params.run.seed;
        output = sweep::parse_output(vm["indicator"].as<std::string>(), {"--indicator", 0, 0, ""});
        const auto problem = sweep::check_output_period(output, base.params.run.start, base.params.run.end);
        if (!problem.empty()) throw UsageError("feidi-sim sensitivity: " + problem);
        check_h5_output(out, "summary");
        std::vector<const KeySpec*> chosen;
        if (vm.count("levers")) {
          std::stringstream ss(vm["levers"].as<std::string>());
          std::string key;
          while (std::getline(ss, key, ',')) {
            const KeySpec* k = find_key(key);
            if (!k || !k->lever) throw UsageError("feidi-sim sensitivity: '" + key + "' is not a lever (see config-doc: keys marked lever)");
            if (std::find(chosen.begin(), chosen.end(), k) != chosen.end())
              throw UsageError("feidi-sim sensitivity: lever '" + key + "' given twice");
            chosen.push_back(k);
          }
        } else {
          chosen = lever_specs();
        }
        if (chosen.empty()) throw UsageError("feidi-sim sensitivity: no levers");
        for (const KeySpec* k : chosen) {
          Factor f{k, 0, 1};
          if (k->type == KeyType::kEnum) f.hi = static_cast<double>(k->choices.size() - 1);
          if (k->type == KeyType::kInt || k->type == KeyType::kFloat) f.lo = k->min, f.hi = k->max;
          factors.push_back(f);
        }
        for (const auto& rg : ranges) {
          const auto eq = rg.find('='), colon = rg.find(':', eq == std::string::npos ? 0 : eq);
          if (eq == std::string::npos || colon == std::string::npos)
            throw UsageError("feidi-sim sensitivity: --range " + rg + ": expected key=MIN:MAX");
          const std::string key = rg.substr(0, eq);
          const auto it = std::find_if(factors.begin(), factors.end(), [&](const Factor& f) { return f.spec->dotted() == key; });
          if (it == factors.end()) throw UsageError("feidi-sim sensitivity: --range " + rg + ": '" + key + "' is not among the levers varied");
          if (it->spec->type != KeyType::kInt && it->spec->type != KeyType::kFloat)
            throw UsageError("feidi-sim sensitivity: --range " + rg + ": only numeric levers take a range");
          double lo = 0, hi = 0;
          try {
            lo = std::stod(rg.substr(eq + 1, colon - eq - 1));
            hi = std::stod(rg.substr(colon + 1));
          } catch (const std::exception&) {
            throw UsageError("feidi-sim sensitivity: --range " + rg + ": MIN and MAX must be numbers");
          }
          if (!(lo < hi)) throw UsageError("feidi-sim sensitivity: --range " + rg + ": MIN must be below MAX");
          Config tmp;
          for (const double x : {lo, hi}) sweep::set_numeric(tmp, *it->spec, x, "--range " + rg);
          it->lo = lo;
          it->hi = hi;
        }
      }))
    return kStopBehindMaster;

  const int k = static_cast<int>(factors.size());
  const auto design = sweep::morris_design(k, r, p, vm["design-seed"].as<std::uint64_t>());
  const std::size_t points = design.points.size(), n = points * static_cast<std::size_t>(reps);

  ThreadScope scope(threads);
  const std::string started = utc_now();
  const auto t0 = std::chrono::steady_clock::now();
  const bool quiet = vm.count("quiet") > 0;
  Progress progress(static_cast<int>(n), quiet || !farm.master(), "run");
  const std::vector<sweep::OutputSpec> outs{output};
  const auto results = farm.run(
      n,
      [&](std::size_t i) {
        const std::size_t pt = i / static_cast<std::size_t>(reps);
        const int rep = static_cast<int>(i % static_cast<std::size_t>(reps));
        Config c = base;
        for (int f = 0; f < k; ++f)
          sweep::set_numeric(c, *factors[f].spec, factor_value(factors[f], design.points[pt][f]), "sensitivity");
        c.params.run.seed = sweep::replicate_seed(base_seed, rep);
        check_config(c, config);
        return sweep::run_model(sweep::model_of(c), outs);
      },
      [&](std::size_t done, std::size_t total) { progress.update(static_cast<int>(done), std::to_string(total - done) + " to go"); });
  progress.finish();
  if (!farm.master()) return 0;
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();

  std::vector<double> y(points, 0.0);
  for (std::size_t pt = 0; pt < points; ++pt) {
    for (int rep = 0; rep < reps; ++rep) y[pt] += results[pt * reps + rep][0];
    y[pt] /= reps;
  }
  const auto res = sweep::morris_effects(design, y);
  std::vector<int> order(static_cast<std::size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return res.mu_star[a] > res.mu_star[b]; });
  std::vector<std::int64_t> rank(static_cast<std::size_t>(k));
  for (int i = 0; i < k; ++i) rank[order[i]] = i + 1;

  if (!quiet) {
    std::printf("Morris elementary effects on %s [%s]\n  %d levers, r = %d trajectories, p = %d levels, delta = %.4g; "
                "%zu runs (%d replicate%s each point), %.1f s on %d rank%s\n",
                output.text.c_str(), output.units.c_str(), k, r, p, design.delta, n, reps, reps > 1 ? "s" : "", wall,
                farm.size(), farm.size() > 1 ? "s" : "");
    std::printf("  effects are per full lever range (output units)\n\n");
    std::printf("  %4s  %-40s %12s %12s %12s  %s\n", "rank", "lever", "mu*", "mu", "sigma", "range");
    for (const int f : order)
      std::printf("  %4lld  %-40s %12.5g %12.5g %12.5g  %s\n", static_cast<long long>(rank[f]),
                  factors[f].spec->dotted().c_str(), res.mu_star[f], res.mu[f], res.sigma[f], range_text(factors[f]).c_str());
    // A lever whose every elementary effect is zero: say why that can happen.
    // (Zero up to rounding: below 1e-9 of the largest mu*.)
    bool header = false;
    const double top = res.mu_star.empty() ? 0.0 : res.mu_star[static_cast<std::size_t>(order.front())];
    for (const int f : order) {
      if (res.mu_star[f] > 1e-9 * top) continue;
      if (!header) std::printf("\n  mu* = 0: the indicator did not move when these levers moved, in any trajectory:\n");
      header = true;
      std::printf("    %-40s %s\n", factors[f].spec->dotted().c_str(), zero_effect_reason(factors[f].spec->dotted(), base.params).c_str());
    }
  }

  TableFile tf;
  tf.dims = {{"lever", static_cast<std::size_t>(k)}, {"point", points}, {"trajectory", static_cast<std::size_t>(r)},
             {"replicate", static_cast<std::size_t>(reps)}};
  {
    std::vector<std::string> keys;
    for (const auto& f : factors) keys.push_back(f.spec->dotted());
    tf.dim_labels.push_back({"lever", keys});  // select with .sel(lever="enclaves.same_city")
  }
  TableVar key{"key", {"lever"}, TableVar::Kind::kString}, mu{"mu", {"lever"}}, mus{"mu_star", {"lever"}},
      sig{"sigma", {"lever"}}, rk{"rank", {"lever"}, TableVar::Kind::kI64}, lo{"range_min", {"lever"}}, hi{"range_max", {"lever"}},
      du{"design_unit", {"point", "lever"}}, dv{"design_value", {"point", "lever"}},
      traj{"trajectory_of_point", {"point"}, TableVar::Kind::kI64}, yo{"output", {"point"}},
      yr{"output_replicates", {"point", "replicate"}}, ee{"elementary_effects", {"lever", "trajectory"}},
      moved{"lever_moved", {"point"}, TableVar::Kind::kI64}, seeds{"seed", {"replicate"}, TableVar::Kind::kI64};
  for (int f = 0; f < k; ++f) {
    key.strings.push_back(factors[f].spec->dotted());
    mu.f64.push_back(res.mu[f]);
    mus.f64.push_back(res.mu_star[f]);
    sig.f64.push_back(res.sigma[f]);
    rk.i64.push_back(rank[f]);
    lo.f64.push_back(factors[f].lo);
    hi.f64.push_back(factors[f].hi);
    for (int t = 0; t < r; ++t) ee.f64.push_back(res.ee[f][t]);
  }
  for (std::size_t pt = 0; pt < points; ++pt) {
    for (int f = 0; f < k; ++f) {
      du.f64.push_back(design.points[pt][f]);
      dv.f64.push_back(factor_value(factors[f], design.points[pt][f]));
    }
    traj.i64.push_back(static_cast<std::int64_t>(pt / (k + 1)));
    const std::size_t j = pt % (k + 1);
    moved.i64.push_back(j == 0 ? -1 : design.factor[(pt / (k + 1)) * k + j - 1]);
    yo.f64.push_back(y[pt]);
    for (int rep = 0; rep < reps; ++rep) yr.f64.push_back(results[pt * reps + rep][0]);
  }
  for (int rep = 0; rep < reps; ++rep) seeds.i64.push_back(static_cast<std::int64_t>(sweep::replicate_seed(base_seed, rep)));
  const std::string per = output.units + " per full lever range";
  key.attrs = {{"long_name", "lever config key"}};
  mu.attrs = {{"units", per}, {"long_name", "mean elementary effect"}};
  mus.attrs = {{"units", per}, {"long_name", "mean absolute elementary effect (Campolongo et al. 2007)"}};
  sig.attrs = {{"units", per}, {"long_name", "standard deviation of the elementary effects"}};
  rk.attrs = {{"long_name", "rank by mu_star (1 = most influential)"}};
  lo.attrs = {{"long_name", "lever value at unit coordinate 0 (bool/choice: 0)"}};
  hi.attrs = {{"long_name", "lever value at unit coordinate 1 (bool: 1, choice: last index)"}};
  du.attrs = {{"units", "1"}, {"long_name", "design point in unit coordinates (p-level grid of [0,1])"}};
  dv.attrs = {{"long_name", "lever value of the design point (bool 0/1, choice index)"}};
  traj.attrs = {{"long_name", "trajectory of the point (k+1 consecutive points)"}};
  moved.attrs = {{"long_name", "lever moved to reach this point from the previous one (-1: trajectory start)"}};
  yo.attrs = {{"units", output.units}, {"long_name", output.long_name + " (mean over replicates)"}};
  yr.attrs = {{"units", output.units}, {"long_name", output.long_name}};
  ee.attrs = {{"units", per}, {"long_name", "elementary effect of the lever in each trajectory"}};
  seeds.attrs = {{"long_name", "run.seed of each replicate (the same at every point)"}};
  for (auto* v : {&key, &mu, &mus, &sig, &rk, &lo, &hi, &du, &dv, &traj, &moved, &yo, &yr, &ee, &seeds})
    tf.vars.push_back(std::move(*v));
  tf.attrs = {{"Conventions", "CF-1.8"},
              {"title", "Feidi sensitivity (Morris elementary effects): " + output.text},
              {"feidi_summary", "sensitivity"},
              {"method", "Morris (1991) elementary effects, r trajectories of k+1 points on a p-level grid, "
                         "delta = p/(2(p-1)); mu* after Campolongo, Cariboni & Saltelli (2007)"},
              {"indicator", output.text},
              {"indicator_units", output.units},
              {"config", config},
              {"overrides", join(sets, "\n")},
              {"ranges", join(ranges, "\n")},
              {"source_version", FEIDI_SOURCE_VERSION}};
  tf.int_attrs = {{"trajectories", r}, {"levels", p}, {"replicates", reps}, {"base_seed", static_cast<std::int64_t>(base_seed)},
                  {"design_seed", static_cast<std::int64_t>(vm["design-seed"].as<std::uint64_t>())}};
  tf.float_attrs = {{"delta", design.delta}};
  add_execution_metadata(tf, farm, scope.threads(), wall, started, command_line("sensitivity", args));
  write_table_file(out, tf);
  if (!quiet) std::printf("\n  wrote %s\n", out.c_str());
  return 0;
  });
}

}  // namespace feidi::cli
