// runner.hpp — one run of the model that writes its trace: steps the state,
// applies policy-lever changes at step boundaries and records each change in the
// trace's interventions group. Used by `feidi-sim run` and the viewer's steering.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "trace/writer.hpp"
#include "model/model.hpp"

namespace feidi {

class Runner {
 public:
  // Builds the initial state and creates the trace (throws PathError if it cannot);
  // an empty out_path runs without a trace (step_once then returns only the interventions).
  // `info` carries the resolved config and the trace settings (run_info()).
  Runner(Model model, const std::string& out_path, const RunInfo& info);
  // Continues from `state` (restored from a checkpoint of a run of the same model): the
  // trace starts with the history of info.parent.
  Runner(Model model, State state, const std::string& out_path, const RunInfo& info);
  ~Runner();
  Runner(const Runner&) = delete;
  Runner& operator=(const Runner&) = delete;

  const Model& model() const { return model_; }
  const State& state() const { return state_; }
  int steps_done() const { return state_.step; }
  int steps_total() const { return model_.params.steps(); }
  bool done() const { return state_.step >= steps_total(); }

  // Queues a lever change (lever index as in lever_specs()) for the next step boundary.
  void change_lever(int lever, double value);
  // Applies the queued changes, runs one step and hands its record to the writer.
  // Returns a copy of the record (for in-process viewers; only its interventions
  // after keep_records(false)). `times` may be null.
  const StepRecord& step_once(StepStats* stats = nullptr);
  // Whether step_once() keeps a copy of each record (default true; off for batch runs).
  void keep_records(bool keep) { keep_last_ = keep; }
  // Completes the trace (run metadata); the runner cannot step afterwards.
  void finish(double wall_time_s);
  // Stops without completion metadata; the file stays valid.
  void abort();
  // Trace costs (benchmarks): engine-thread seconds spent handing records to the
  // writer (copies, a full queue), and the writer thread's CPU seconds (after finish).
  double record_seconds() const { return record_seconds_; }
  double writer_cpu_seconds() const { return writer_cpu_seconds_; }

 private:
  Model model_;
  State state_;
  TraceSettings trace_;
  PanelSample panel_;  // the panel's agents (fixed for the run)
  std::unique_ptr<TraceWriter> writer_;
  bool traced_ = true, finished_ = false;
  double record_seconds_ = 0, writer_cpu_seconds_ = 0;
  bool keep_last_ = true;
  std::vector<std::pair<int, double>> pending_;
  StepRecord last_;
};

// The lever changes recorded in a trace, as (step, lever index in this build, value);
// throws PathError if a lever is unknown to this build.
std::vector<Intervention> read_interventions(const std::string& trace_path);

}  // namespace feidi
