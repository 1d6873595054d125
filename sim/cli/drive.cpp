#include "cli/drive.hpp"

#include <atomic>
#include <chrono>
#include <csignal>

#include "cli/progress.hpp"

namespace feidi::cli {

namespace {
std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop.store(true); }
}  // namespace

DriveResult drive(Runner& runner, const std::vector<Intervention>& replay, bool quiet, StepStats* stats) {
  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  const int total = runner.steps_total();
  const int first = runner.steps_done();
  Progress progress(total - first, quiet);
  const auto t0 = std::chrono::steady_clock::now();
  std::size_t next = 0;
  while (next < replay.size() && replay[next].step < first) ++next;
  DriveResult out;
  try {
    for (int done = first; done < total && !g_stop.load(); ++done) {
      for (; next < replay.size() && replay[next].step == done; ++next)
        runner.change_lever(replay[next].lever, replay[next].new_value);
      runner.step_once(stats);
      ++out.steps;
      progress.update(out.steps, runner.state().month.plus(-1).str());
    }
  } catch (...) {
    progress.finish();
    runner.abort();
    throw;
  }
  progress.finish();
  out.sim_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  out.interrupted = g_stop.load();
  return out;
}

}  // namespace feidi::cli
