// trace/writer.hpp — writes a Feidi trace on a background thread.
//
// The constructor creates the file and every object (groups, dimensions,
// variables, attributes, strings), then starts SWMR. push() hands one step's
// record to the writer thread (it blocks when 64 records or 64 MiB are held, i.e. the
// disk is slower than the engine, and at a snapshot step until the snapshot, which reads
// the state, is written). The writer appends consecutive steps in batches and publishes
// them every 0.25 s, steps_written flushed last. finish() drains the queue, closes the
// file and re-opens it to add the run metadata of a completed run.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "model/checkpoint.hpp"
#include "model/model.hpp"

namespace feidi {

// One mid-run policy change (steering), recorded in /interventions.
struct Intervention {
  std::int32_t step = 0;
  std::int16_t lever = 0;  // index into lever_keys()
  double old_value = 0;
  double new_value = 0;
};

// Every agent at one step (written to /snapshot). The columns the trace stores as the state
// holds them are not copied (0.4 GB at 1:1) but read from the state: they are valid only
// until the engine's next step, so TraceWriter::push waits until such a record is written.
struct AgentSnapshot {
  std::size_t persons = 0, firms = 0;
  const CountyIdx* person_county = nullptr;       // county index (int16 in the file; all fit)
  const FirmIdx* person_employer = nullptr;       // firm slot or -1 (int32 in the file)
  std::vector<std::int8_t> firm_alive, firm_sector;
  std::vector<std::int16_t> firm_county, firm_enclave;  // indexes, enclave -1 = none
  const std::int32_t* firm_workers = nullptr;           // person agents employed
  const double* firm_labour = nullptr;                  // real workers
  const double* firm_va = nullptr;                      // yuan/month
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
  // The sampled panel (trace.panel_persons / trace.panel_firms), in panel order.
  std::vector<std::int32_t> panel_person_county, panel_person_employer;  // county code; firm slot or -1
  std::vector<std::int16_t> panel_person_months_unemployed;
  std::vector<std::int8_t> panel_firm_alive, panel_firm_sector;
  std::vector<std::int32_t> panel_firm_county, panel_firm_workers;  // county code or -1; person agents
  std::vector<std::int16_t> panel_firm_enclave;
  std::vector<double> panel_firm_labour, panel_firm_va;
  // At snapshot steps only (trace.snapshot_interval_months); reads the state (AgentSnapshot).
  std::shared_ptr<const AgentSnapshot> snapshot;
  // At checkpoint months only (trace.checkpoint_interval_months): the whole state after this
  // step, copied (the engine goes on while the writer writes it). fill_record captures into
  // an image already here (TraceWriter::take_image) and makes one otherwise.
  std::shared_ptr<StateImage> checkpoint;
  // The writer's bookkeeping: the bytes this record holds while queued.
  std::size_t held_bytes = 0;
};

// The panel's agent ids: k evenly spaced among n agents (all of them when k ≥ n).
// Person ids are grouped by start county, so this is a sample stratified by county.
std::vector<std::uint32_t> panel_ids(std::size_t n, std::int64_t k);
// The panel's persons and firm slots (panel_ids of the persons and of the initial firm
// slots): fixed for a run, so a runner computes them once.
struct PanelSample {
  std::vector<std::uint32_t> persons, firms;
};
PanelSample panel_sample(const State& s, const TraceSettings& trace);
// Whether the record of 0-based step `step` of a run of `steps_total` carries a full snapshot.
bool is_snapshot_step(const TraceSettings& t, int steps_total, int step);

// Whether the state after `steps_done` steps of a run of `steps_total` is checkpointed.
bool is_checkpoint_step(const TraceSettings& t, int steps_total, int steps_done);

// The run a resumed or branched trace continues: its history up to `step` (steps done at
// the checkpoint) is copied from `path` into the new trace.
struct ParentTrace {
  std::string path;
  std::string content_hash;  // of the parent file when the new run started (hex)
  std::int32_t step = 0;     // steps of the parent's history the new trace holds
  std::string month;         // the first month the new run simulates (YYYY-MM)
  std::string kind;          // "resume", "branch" or "fork" (the viewer's Fork here)
  // Copy the history from the parent's file (resume, branch, a fork of a replayed trace);
  // false when the new run re-simulated it (a fork of a run steered in the viewer, whose
  // trace is still open there): the same rows, computed instead of copied.
  bool copy_history = true;
};

// What a trace needs besides the model: the config as written and what to store, and
// facts about the execution saved as run_* attributes.
struct RunInfo {
  std::string config_path;
  std::string command;
  int threads = 1;
  // What the command line changed against the config file ("--seed 42", "--set k=v"), in order.
  std::vector<std::string> overrides = {};
  // The resolved config (to_toml), saved as the `config` attribute.
  std::string config = {};
  // What the trace stores besides the aggregates (the config's [trace] section).
  TraceSettings trace = {};
  // Set for `resume` and `branch`: the parent whose history the trace starts with.
  std::optional<ParentTrace> parent = {};
};

// The RunInfo of a run of config `c` read from `config_path`.
RunInfo run_info(const Config& c, std::string config_path, std::string command, int threads,
                 std::vector<std::string> overrides = {});

// Copies the state's aggregates and events after a step into `rec` (and clears its
// interventions, which the caller adds); `trace` says which panel, events and snapshots.
void fill_record(const Model& m, const State& s, const TraceSettings& trace, const PanelSample& panel, StepRecord& rec);
// The same, with the panel sample computed on the spot.
void fill_record(const Model& m, const State& s, const TraceSettings& trace, StepRecord& rec);

// Throws PathError when another run is writing the trace at `path` (its writer lock is held).
// A TraceWriter takes the lock itself; this only lets a command refuse before it starts work.
void check_not_being_written(const std::string& path);

// Whether a trace writer of this process failed to write (a full disk, a vanished folder).
// HDF5 then still holds the half-closed file, and its clean-up at exit can crash on it.
bool trace_write_failed();
// What a program's main() returns: `rc`, except that after a failed trace write the process
// ends here (std::_Exit, once std::cout and std::cerr are flushed), skipping HDF5's clean-up.
int exit_code(int rc);

class TraceWriter {
 public:
  // Creates `path` (replacing it) and starts SWMR; throws PathError if it cannot.
  // `initial` gives the agent counts and the static agent columns of panel and snapshots.
  TraceWriter(const std::string& path, const Model& m, const State& initial, const RunInfo& info);
  ~TraceWriter();
  TraceWriter(const TraceWriter&) = delete;
  TraceWriter& operator=(const TraceWriter&) = delete;

  // A record to fill (recycled from earlier steps when possible).
  std::unique_ptr<StepRecord> take_record();
  // Before a checkpoint month's fill_record: waits until the previous checkpoint is written
  // and returns its image, whose buffers the next capture reuses (null before the first).
  std::shared_ptr<StateImage> take_image();
  // Queues a filled record for writing; rethrows a failure of the writer thread. A record
  // with a snapshot is written before push returns (the snapshot reads the state); one with
  // a checkpoint waits until the previous checkpoint is written (one image in memory).
  // Records are written in batches of consecutive steps; push waits while 64 records or
  // 64 MiB are held (queued or waiting for their batch).
  void push(std::unique_ptr<StepRecord> rec);
  // Waits for every queued step, closes the file and adds the completion metadata.
  void finish(double wall_time_s);
  // Stops without completion metadata (interrupted run); the file stays valid.
  void abort();
  // CPU seconds the writer thread used (after finish(); benchmarks).
  double writer_cpu_seconds() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  double cpu_seconds_ = 0;
};

}  // namespace feidi
