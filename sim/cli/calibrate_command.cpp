// calibrate_command.cpp — `feidi-sim calibrate CALIBRATION.toml --targets TARGETS.toml -o OUT.h5`:
// history matching and ABC rejection of named parameters against S1–S6, on the MPI
// run farm like `sweep` (results never depend on the number of ranks).
#include <boost/program_options.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/farm_helpers.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "engine/parallel.hpp"
#include "config/config.hpp"
#include "run/calibration.hpp"

#ifndef FEIDI_SOURCE_VERSION
#define FEIDI_SOURCE_VERSION "unknown"
#endif

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace feidi::cli {

namespace {

// The record as an xarray-readable table: dims (sample), one variable per parameter,
// per target (measured and z), and the scores.
TableFile calibration_file(const CalibrationSpec& spec, const std::vector<CalTarget>& targets,
                           const CalibrationResult& r) {
  TableFile f;
  const std::size_t n = r.values.size();
  f.dims.push_back({"sample", n});
  auto column = [&](const std::string& name, const std::vector<std::pair<std::string, std::string>>& attrs, auto get) {
    TableVar v{name, {"sample"}, TableVar::Kind::kF64};
    for (std::size_t i = 0; i < n; ++i) v.f64.push_back(get(i));
    v.attrs = attrs;
    f.vars.push_back(std::move(v));
  };
  for (std::size_t d = 0; d < spec.params.size(); ++d) {
    const auto& p = spec.params[d];
    column(p.key,
           {{"units", p.spec->unit == "-" ? "1" : p.spec->unit}, {"long_name", p.spec->doc}, {"config_key", p.key},
            {"prior_min", std::to_string(p.lo)}, {"prior_max", std::to_string(p.hi)},
            {"calibrated", std::to_string(r.calibrated[d])}},
           [&](std::size_t i) { return r.values[i][d]; });
  }
  for (std::size_t t = 0; t < targets.size(); ++t) {
    const auto& tg = targets[t];
    const char* side = tg.side == CalTarget::Side::kAtLeast ? "at_least" : tg.side == CalTarget::Side::kAtMost ? "at_most" : "both";
    column("measured_" + tg.id,
           {{"long_name", tg.fact}, {"observed", std::to_string(tg.observed)}, {"observation_sd", std::to_string(tg.sd)},
            {"side", side}, {"log_scale", tg.log ? "true" : "false"}, {"informs", tg.informs},
            {"reachable", r.reachable[t] ? "true" : "false"}},
           [&](std::size_t i) { return r.measured[i][t]; });
    column("z_" + tg.id, {{"units", "1"}, {"long_name", "standardised error of " + tg.id + " (observation error units)"}},
           [&](std::size_t i) { return r.z[i][t]; });
  }
  column("implausibility", {{"units", "1"}, {"long_name", "the k-th largest |z| over the reachable targets (history matching; k = ignore_worst + 1)"}},
         [&](std::size_t i) { return r.implausibility[i]; });
  column("distance", {{"units", "1"}, {"long_name", "root mean square z (ABC distance)"}},
         [&](std::size_t i) { return r.distance[i]; });
  TableVar wave{"wave", {"sample"}, TableVar::Kind::kI64}, plaus{"plausible", {"sample"}, TableVar::Kind::kI64},
      acc{"accepted", {"sample"}, TableVar::Kind::kI64};
  for (std::size_t i = 0; i < n; ++i) {
    wave.i64.push_back(r.wave[i]);
    plaus.i64.push_back(r.plausible[i]);
    acc.i64.push_back(r.accepted[i]);
  }
  wave.attrs = {{"long_name", "wave of history matching the set was drawn in (0 = Latin hypercube over the priors)"}};
  plaus.attrs = {{"long_name", "1 = not ruled out: implausibility at most the cut-off"}};
  acc.attrs = {{"long_name", "1 = accepted by ABC rejection (the closest plausible sets)"}};
  for (auto* v : {&wave, &plaus, &acc}) f.vars.push_back(std::move(*v));
  f.attrs.push_back({"Conventions", "CF-1.8"});
  f.attrs.push_back({"title", "Feidi calibration against the seed's facts S1-S6"});
  f.attrs.push_back({"feidi_summary", "calibration"});
  f.attrs.push_back({"calibration_file", spec.path});
  f.attrs.push_back({"fixed_overrides", [&] {
                       std::string s;
                       for (const auto& x : spec.fixed) s += (s.empty() ? "" : "\n") + x;
                       return s;
                     }()});
  f.attrs.push_back({"source_version", FEIDI_SOURCE_VERSION});
  f.float_attrs.push_back({"cutoff", spec.cutoff});
  f.int_attrs.push_back({"waves", spec.waves});
  f.int_attrs.push_back({"samples_per_wave", spec.samples_per_wave});
  f.int_attrs.push_back({"accept", spec.accept});
  f.int_attrs.push_back({"ignore_worst", spec.ignore_worst});
  f.int_attrs.push_back({"design_seed", static_cast<std::int64_t>(spec.seed)});
  return f;
}

}  // namespace

int calibrate_command(const std::vector<std::string>& args) {
  po::options_description opts("feidi-sim calibrate CALIBRATION.toml --targets TARGETS.toml -o OUT.h5 [options]");
  opts.add_options()("help,h", "show this help")("calibration", po::value<std::string>(),
                                                  "calibration file: parameters with prior ranges, design (TOML)")(
      "targets", po::value<std::string>(), "targets file: S1-S6 facts with observed values and errors (TOML)")(
      "output,o", po::value<std::string>(), "record of every parameter set and its fit to write (.h5)")(
      "write-config", po::value<std::string>(), "also write the calibrated values as a config to include (TOML)")(
      "threads", po::value<int>(), "worker threads per rank (default: all cores alone, 1 per rank under mpirun)")(
      "quiet,q", "no progress line");
  po::positional_options_description pos;
  pos.add("calibration", 1);
  const auto vm = parse(args, opts, pos, "calibrate");
  if (vm.count("help")) {
    std::cout << "Calibrate named parameters against the seed's facts: history matching (waves of\n"
                 "parameter sets; sets whose implausibility max|z| exceeds the cut-off are ruled out),\n"
                 "then ABC rejection (the plausible sets closest to the data). Each set runs every\n"
                 "scenario the targets need. Spread over MPI ranks with `mpirun -np N feidi-sim calibrate ...`.\n"
                 "Files and method: sim/docs/model.md §6 and configs/calibration/.\n\n"
              << opts << "\nExit codes: 0 success (a calibration with no plausible set is still a result),\n"
                         "2 bad input (files, keys, ranges, paths), 1 internal failure.\n";
    return 0;
  }
  if (!vm.count("calibration")) throw UsageError("feidi-sim calibrate: missing CALIBRATION.toml (see --help)");
  if (!vm.count("targets")) throw UsageError("feidi-sim calibrate: missing --targets TARGETS.toml (see --help)");
  if (!vm.count("output")) throw UsageError("feidi-sim calibrate: missing -o OUT.h5 (see --help)");

  return with_farm([&](sweep::Farm& farm) -> int {
    CalibrationSpec spec;
    std::vector<CalTarget> targets;
    std::string out;
    int threads = 0;
    if (!checked_everywhere(farm, [&] {
          spec = load_calibration(vm["calibration"].as<std::string>());
          targets = load_targets(vm["targets"].as<std::string>());
          threads = default_threads(farm, vm);
          out = vm["output"].as<std::string>();
          check_h5_output(out, "calibration");
          if (vm.count("write-config")) {
            const fs::path dir = fs::path(vm["write-config"].as<std::string>()).parent_path();
            if (!dir.empty() && !fs::is_directory(dir)) throw PathError(dir.string() + ": folder not found");
          }
        }))
      return kStopBehindMaster;
    ThreadScope scope(threads);
    const std::string started = utc_now();
    const auto t0 = std::chrono::steady_clock::now();
    const bool quiet = vm.count("quiet") > 0;
    CalibrationResult r;
    std::vector<std::vector<double>> survivors;  // the sets the next wave is drawn around
    for (int w = 0; w < spec.waves; ++w) {
      // Every rank builds the same design: a pure function of the wave and of the
      // survivors so far, which rank 0 shares after scoring each wave.
      const auto pts = wave_design(spec, w, survivors);
      Progress progress(static_cast<int>(pts.size()), quiet || !farm.master(), "set");
      const auto measured = farm.run(
          pts.size(), [&](std::size_t i) { return measure_targets(spec, targets, pts[i]); },
          [&](std::size_t done, std::size_t total) {
            progress.update(static_cast<int>(done), "wave " + std::to_string(w + 1) + "/" + std::to_string(spec.waves) +
                                                        ", " + std::to_string(total - done) + " to go");
          });
      progress.finish();
      if (farm.master()) {
        for (std::size_t i = 0; i < pts.size(); ++i) {
          r.values.push_back(pts[i]);
          r.measured.push_back(measured[i]);
          r.wave.push_back(w);
        }
        score(spec, targets, r);
        std::size_t plausible = 0;
        for (auto x : r.plausible) plausible += x;
        survivors = feidi::survivors(spec, r);
        if (!quiet)
          std::fprintf(stderr, "  wave %d: %zu of %zu sets so far not ruled out; the next wave draws around %zu\n", w + 1,
                       plausible, r.values.size(), survivors.size());
      }
      // Workers need the survivors to draw the next wave: share them from rank 0.
      survivors = farm.broadcast(survivors);
    }
    if (!farm.master()) return 0;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    TableFile f = calibration_file(spec, targets, r);
    add_execution_metadata(f, farm, scope.threads(), wall, started, command_line("calibrate", args));
    write_table_file(out, f);
    std::cout << calibration_table(spec, targets, r);
    if (vm.count("write-config")) {
      const auto path = vm["write-config"].as<std::string>();
      std::ofstream cfg(path);
      if (!cfg) throw PathError(path + ": cannot write");
      cfg << calibrated_config(spec, targets, r, command_line("calibrate", args));
      if (!quiet) std::printf("  wrote %s\n", path.c_str());
    }
    if (!quiet)
      std::printf("  wrote %s: %zu parameter sets in %.1f s on %d rank%s\n", out.c_str(), r.values.size(), wall,
                  farm.size(), farm.size() > 1 ? "s" : "");
    return 0;
  });
}

}  // namespace feidi::cli
