// validate_command.cpp — `feidi-sim validate`: the seed's facts S1–S6.
#include <boost/program_options.hpp>

#include <fstream>
#include <iostream>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/progress.hpp"
#include "engine/error.hpp"
#include "engine/parallel.hpp"
#include "validate/validation.hpp"

namespace po = boost::program_options;

namespace feidi::cli {

int validate_command(const std::vector<std::string>& args) {
  po::options_description opts("feidi-sim validate [options]");
  int replicates = 10, threads = 0;
  std::vector<std::string> sets;
  opts.add_options()("help,h", "show this help")(
      "replicates,n", po::value<int>(&replicates)->default_value(10), "replicate seeds per scenario")(
      "threads", po::value<int>(&threads)->default_value(0), "worker threads (0 = all cores)")(
      "configs", po::value<std::string>(), "folder of the scenario configs (default: the project's configs/)")(
      "set", po::value<std::vector<std::string>>(&sets)->composing(),
      "override a key in every scenario (e.g. --set scale.persons_per_agent=1000)")(
      "json", po::value<std::string>(), "also write the results as JSON")("quiet,q", "no progress line");
  const auto vm = parse(args, opts, {}, "validate");
  if (vm.count("help")) {
    std::cout << "Run the scenarios the seed's facts need (baseline, jinpan_1995, qingyuan_eco,\n"
                 "land_constrained, plan_2022) for several seeds and compare with S1-S6.\n"
                 "Prints one row per target (model value, 90 % interval over the replicates, target and\n"
                 "tolerance, pass/fail and what limits a miss).\n\n"
              << opts
              << "\nExit codes: 0 every target passes; 3 at least one target missed (the table says which);\n"
                 "2 bad input (flags, configs, paths); 1 internal failure.\n";
    return 0;
  }
  if (replicates < 1 || replicates > 1000) throw UsageError("feidi-sim validate: --replicates must be 1..1000");
  if (threads < 0 || threads > 1024) throw UsageError("feidi-sim validate: --threads must be between 0 and 1024");
  ThreadScope scope(threads);
  ValidationOptions opt;
  opt.replicates = replicates;
  opt.overrides = sets;
  if (vm.count("configs")) opt.configs_dir = vm["configs"].as<std::string>();
  Progress progress(replicates * 5, vm.count("quiet") > 0);
  opt.on_progress = [&](const std::string& what, int done, int) { progress.update(done, what); };
  const auto results = run_validation(opt);
  progress.finish();
  std::cout << validation_table(results, replicates);
  if (vm.count("json")) {
    std::ofstream js(vm["json"].as<std::string>());
    if (!js) throw PathError(vm["json"].as<std::string>() + ": cannot write");
    js << validation_json(results, replicates);
  }
  for (const auto& r : results)
    if (!r.pass) return 3;
  return 0;
}

}  // namespace feidi::cli
