// trace/layout.hpp — the trace file's layout (internal to sim/trace): creates the file and
// every object, appends steps' rows, publishes them (SWMR), marks the run complete.
// Not thread-safe: the writer thread (trace/writer.hpp) is its only user during a run.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "trace/writer.hpp"

namespace feidi {

// Whether the file system holding `path` has less than 1 MiB left (a write failed for that).
bool disk_full(const std::string& path);
// Removes the lock file ".NAME.lock" beside a trace when no live writer holds it (a run
// killed with SIGKILL leaves it; its lock died with it). Returns whether it removed one.
bool clear_stale_lock(const std::string& trace);

class TraceLayout {
 public:
  // Rows (steps) in a chunk of the series and panel variables. In SWMR mode HDF5 writes a
  // partly written chunk whole at each flush (a C test with 64-row chunks and 16-row writes:
  // 964 KiB per flush, against 241 KiB without SWMR), so the writer ends its batches at
  // these row boundaries and the chunks hold few rows. Measured against 64-row panel and
  // 24-row series chunks: a 1:10 run of 24 months wrote 11.2 MB instead of 22.6 MB, and
  // full_scale traces are 9 % (1:1000) and 2 % (1:10) smaller.
  static constexpr std::int64_t kRowsPerChunk = 16;

  // Creates `path` (replacing it) with every group, dimension, variable and attribute, then
  // starts SWMR; throws PathError if it cannot.
  TraceLayout(const std::string& path, const Model& m, const State& initial, const RunInfo& info);
  ~TraceLayout();
  TraceLayout(const TraceLayout&) = delete;
  TraceLayout& operator=(const TraceLayout&) = delete;

  // Appends the rows of consecutive steps, in order (one write per variable for them all).
  void write_steps(std::span<const StepRecord* const> steps);
  // Writes the record's snapshot (if any) before its step's rows; the caller then drops the
  // record's snapshot so that write_steps does not write it again.
  void write_snapshot(const StepRecord& r);
  // When the appended steps should be published (0.25 s after the last publish): the writer
  // publishes then, so live readers lag by that at most.
  std::chrono::steady_clock::time_point publish_deadline() const;
  // Whether steps were appended since the last publish.
  bool unpublished() const;
  // Flushes everything, then the step counter (readers never see a step without its data).
  void publish();
  std::int64_t steps_published() const;
  // Steps appended so far (published or not).
  std::int64_t steps_appended() const;
  const std::string& path() const;
  // Overwrites the completion attributes (run_wall_time_s, run_steps_per_second, run_completed).
  void mark_completed(double wall_time_s);
  // Closes every object and the file.
  void close();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace feidi
