// farm_helpers.hpp — what the commands that run on the MPI farm share (sweep,
// sensitivity, calibrate): input checks on every rank, thread defaults, the summary
// file's execution metadata, and running with MPI up.
#pragma once

#include <boost/program_options.hpp>

#include <exception>
#include <string>
#include <vector>

#include "engine/error.hpp"
#include "trace/provenance.hpp"
#include "trace/table_file.hpp"
#include "run/farm.hpp"

namespace feidi::cli {

// A rank other than 0 that stops because a check failed somewhere exits with this
// code and leaves the report and the exit code to rank 0: mpirun kills the whole job
// at the first non-zero exit, which could come before rank 0 has printed its error.
inline constexpr int kStopBehindMaster = 0;

// Input checks run on every rank (they read the same files); if any rank fails,
// all stop before anything is written. Rank 0 reports the problem.
template <class F>
inline bool checked_everywhere(sweep::Farm& farm, F&& checks) {
  std::exception_ptr err;
  try {
    checks();
  } catch (const InputError&) {
    err = std::current_exception();
  }
  const bool ok = farm.all(!err);
  if (ok) return true;
  if (farm.master()) {
    if (err) std::rethrow_exception(err);
    throw InputError("the input checks failed on another rank (different files there?)");
  }
  return false;
}

// 0 = all cores with one process; 1 per rank under mpirun (ranks already fill the cores).
inline int default_threads(const sweep::Farm& farm, const boost::program_options::variables_map& vm) {
  if (vm.count("threads")) {
    const int t = vm["threads"].as<int>();
    if (t < 0 || t > 1024) throw UsageError("--threads must be between 0 and 1024");
    return t;
  }
  return farm.size() > 1 ? 1 : 0;
}

inline void add_execution_metadata(TableFile& f, const sweep::Farm& farm, int threads, double wall_s, const std::string& started,
                            const std::string& command) {
  f.attrs.push_back({"execution_metadata", "exec_ranks exec_threads_per_rank exec_wall_time_s exec_host exec_started_utc exec_command"});
  f.int_attrs.push_back({"exec_ranks", farm.size()});
  f.int_attrs.push_back({"exec_threads_per_rank", threads});
  f.float_attrs.push_back({"exec_wall_time_s", wall_s});
  f.attrs.push_back({"exec_host", host_name()});
  f.attrs.push_back({"exec_started_utc", started});
  f.attrs.push_back({"exec_command", command});
}

// Runs fn with MPI up. Exceptions leave only after MPI is finalised: Boost.MPI's
// environment calls MPI_Abort when destroyed during stack unwinding.
template <class F>
inline int with_farm(F&& fn) {
  std::exception_ptr err;
  int rc = 0;
  {
    sweep::Farm farm;
    try {
      rc = fn(farm);
    } catch (...) {
      err = std::current_exception();
    }
  }
  if (err) std::rethrow_exception(err);
  return rc;
}

inline std::string command_line(const char* cmd, const std::vector<std::string>& args) {
  std::string s = std::string("feidi-sim ") + cmd;
  for (const auto& a : args) s += " " + a;
  return s;
}


}  // namespace feidi::cli
