// main.cpp — feidi-sim: the command-line front end of the simulator.
//
// Subcommands: run, resume, branch, info, validate, sweep, sensitivity, calibrate, config-doc, schema-doc. Exit codes: 0 success,
// 1 internal failure, 2 bad input (config, flags, paths, data files), 3 validate: a target missed,
// 130 run: interrupted (SIGINT/SIGTERM; the trace keeps the steps written).
#include <cstdio>
#include <cstring>
#include <exception>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "engine/error.hpp"
#include "config/config.hpp"
#include "trace/schema.hpp"
#include "trace/writer.hpp"

#ifndef FEIDI_SOURCE_VERSION
#define FEIDI_SOURCE_VERSION "unknown"
#endif

namespace {

const char* kUsage =
    "feidi-sim — agent-based simulator of Zhejiang's mountain-sea enclave economy (山海协作飞地经济)\n"
    "\n"
    "usage: feidi-sim <command> [options]\n"
    "\n"
    "commands:\n"
    "  run CONFIG -o OUT.h5 [--seed N] [--threads N] [--set section.key=value ...]\n"
    "                      simulate a scenario and write its HDF5 trace\n"
    "                      (--checkpoint-every N: the whole state every N months, for resume and branch)\n"
    "  resume TRACE.h5 [-o OUT.h5]\n"
    "                      continue a run from its last checkpoint (also after kill -9), bitwise\n"
    "  branch TRACE.h5 --at YYYY-MM --set lever=value ... -o OUT.h5\n"
    "                      a what-if from the checkpoint of that month, sharing the parent's history\n"
    "  info TRACE.h5       describe a trace and print its summary table\n"
    "  validate [--replicates N]\n"
    "                      run the scenarios and check the seed's facts S1-S6\n"
    "  sweep SWEEP.toml -o SUMMARY.h5 [--threads N] [--dry-run] [--resume]\n"
    "                      run an ensemble (scenarios x design x replicates) and write its summary;\n"
    "                      spread over MPI ranks with `mpirun -np N feidi-sim sweep ...`\n"
    "  sensitivity CONFIG --indicator INDICATOR -o SENS.h5 [--levers a,b] [-r 10] [-p 4]\n"
    "                      Morris elementary effects of the policy levers on one indicator (MPI too)\n"
    "  calibrate CALIBRATION.toml --targets TARGETS.toml -o OUT.h5 [--write-config C.toml]\n"
    "                      history matching + ABC rejection of parameters against S1-S6 (MPI too)\n"
    "  config-doc          print the reference of every config key (Markdown)\n"
    "  schema-doc          print the trace schema (Markdown)\n"
    "  --version           print the version\n"
    "\n"
    "Run `feidi-sim <command> --help` for a command's options.\n"
    "Exit codes: 0 success; 1 internal failure; 2 bad input (config, flags, paths, data files);\n"
    "3 validate: a target missed, sweep: some runs failed (recorded in the summary); 130 run,\n"
    "resume, branch: interrupted by Ctrl-C or SIGTERM (the trace keeps the steps written,\n"
    "run_completed = 0).\n";

// An error message on one line: control characters from the input (a newline inside a quoted
// value) are shown escaped.
std::string one_line(const std::string& s) {
  std::string out;
  for (const char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '\n') out += "\\n";
    else if (ch == '\r') out += "\\r";
    else if (ch == '\t') out += "\\t";
    else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else out += ch;
  }
  return out;
}

}  // namespace

namespace {

int run_main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "feidi-sim " << FEIDI_SOURCE_VERSION << " (trace schema " << feidi::kSchemaVersion << ")\n";
    return 0;
  }
  const std::string cmd = args[0];
  const std::vector<std::string> rest(args.begin() + 1, args.end());
  try {
    if (cmd == "run") return feidi::cli::run_command(rest, argv[0]);
    if (cmd == "info") return feidi::cli::info_command(rest);
    if (cmd == "resume") return feidi::cli::resume_command(rest, argv[0]);
    if (cmd == "branch") return feidi::cli::branch_command(rest, argv[0]);
    if (cmd == "validate") return feidi::cli::validate_command(rest);
    if (cmd == "sweep") return feidi::cli::sweep_command(rest);
    if (cmd == "sensitivity") return feidi::cli::sensitivity_command(rest);
    if (cmd == "calibrate") return feidi::cli::calibrate_command(rest);
    if (cmd == "config-doc") {
      std::cout << feidi::config_reference_markdown();
      return 0;
    }
    if (cmd == "schema-doc") {
      std::cout << feidi::trace_schema_markdown();
      return 0;
    }
    std::cerr << "feidi-sim: unknown command '" << cmd << "' (see feidi-sim --help)\n";
    return 2;
  } catch (const feidi::InputError& e) {
    std::cerr << "error: " << one_line(e.what()) << '\n';
    return 2;
  } catch (const std::filesystem::filesystem_error& e) {
    // A path the system refuses (too long, not a folder, no permission): the user's input.
    std::string p = e.path1().string();
    if (p.size() > 160) p = p.substr(0, 80) + "..." + p.substr(p.size() - 60);
    std::cerr << "error: " << one_line(p.empty() ? std::string("a path") : p) << ": " << e.code().message() << '\n';
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "internal error: " << e.what() << '\n';
    return 1;
  }
}

}  // namespace

int main(int argc, char** argv) { return feidi::exit_code(run_main(argc, argv)); }
