// trace_writer.hpp — writes a Feidi trace on a background thread.
//
// The constructor creates the file and every object (groups, dimensions,
// variables, attributes, strings), then starts SWMR. push() hands one step's
// record to the writer thread (it blocks only when the queue is full, i.e. the
// disk is slower than the engine). Each step is flushed with steps_written
// flushed last. finish() drains the queue, closes the file and re-opens it to
// add the run metadata of a completed run.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace feidi {

// One mid-run policy change (steering), recorded in /interventions.
struct Intervention {
  std::int32_t step = 0;
  std::int16_t lever = 0;  // index into lever_keys()
  double old_value = 0;
  double new_value = 0;
};

// One step's data, copied out of the state so the engine can continue.
struct StepRecord {
  std::int32_t step = 0;
  std::int32_t time_days = 0;
  std::vector<double> county;    // [variable][county]
  std::vector<double> enclave;   // [variable][enclave]
  std::vector<double> province;  // [variable]
  std::vector<Event> events;
  std::vector<Intervention> interventions;  // applied at the start of this step
};

// Facts about the execution saved as run_* attributes.
struct RunInfo {
  std::string config_path;
  std::string command;
  int threads = 1;
};

// Copies the state's aggregates and events after a step into `rec` (and clears its
// interventions, which the caller adds).
void fill_record(const Model& m, const State& s, StepRecord& rec);

class TraceWriter {
 public:
  // Creates `path` (replacing it) and starts SWMR; throws PathError if it cannot.
  TraceWriter(const std::string& path, const Model& m, const RunInfo& info);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // A record to fill (recycled from earlier steps when possible).
  std::unique_ptr<StepRecord> take_record();
  // Queues a filled record for writing; rethrows a failure of the writer thread.
  void push(std::unique_ptr<StepRecord> rec);
  // Waits for every queued step, closes the file and adds the completion metadata.
  void finish(double wall_time_s);
  // Stops without completion metadata (interrupted run); the file stays valid.
  void abort();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace feidi
