// sources.hpp — where the viewer's data come from: a finished trace (replay), a
// trace still being written by another process (follow), or an engine running in
// this process on a worker thread (steer).
//
// The UI thread owns its TraceData and only ever takes a mutex for an instant to
// collect what a source has produced; it never waits for a simulation step, and a
// followed writer is never blocked (SWMR readers do not lock the writer).
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "trace/data.hpp"
#include "trace/writer.hpp"
#include "model/model.hpp"
#include "model/state.hpp"

namespace feidi::viz {

enum class Mode { kReplay, kFollow, kSteer };
const char* mode_key(Mode m);  // "replay", "follow", "steer"

class Source {
 public:
  virtual ~Source() = default;
  virtual Mode mode() const = 0;
  // Moves new data into `d` (may replace it wholesale); returns true when anything changed.
  virtual bool poll(TraceData& d) = 0;
  // Steps the producer has made so far (follow: steps written in the file).
  virtual int steps_available() const = 0;
  // A message about the last error of the producer, if any.
  virtual std::string error() const { return {}; }
};

// A finished (or interrupted) trace, loaded once.
class ReplaySource : public Source {
 public:
  explicit ReplaySource(const std::string& path);
  Mode mode() const override { return Mode::kReplay; }
  bool poll(TraceData& d) override;
  int steps_available() const override { return steps_; }

 private:
  std::optional<TraceData> initial_;
  int steps_ = 0;
};

// A trace that another process is writing: a background thread reads it once whole, then
// only the rows it adds whenever its step counter grows (at most every `interval_ms`); the UI
// thread appends them. A file replaced by another run (fewer steps) is read whole again.
class FollowSource : public Source {
 public:
  FollowSource(const std::string& path, int interval_ms = 300);
  ~FollowSource() override;
  Mode mode() const override { return Mode::kFollow; }
  bool poll(TraceData& d) override;
  int steps_available() const override { return available_.load(); }
  std::string error() const override;
  // Blocks until at least `steps` steps are loaded or `timeout_ms` passes (headless use).
  bool wait_for(int steps, int timeout_ms);
  // Reads so far: of the whole file, and of only the rows it added.
  int full_reads() const { return full_reads_.load(); }
  int row_reads() const { return row_reads_.load(); }
  // Seconds the reads took (the reading thread's, not the UI's), and steps they brought.
  double full_read_seconds() const { return full_read_s_.load(); }
  double row_read_seconds() const { return row_read_s_.load(); }
  int row_read_steps() const { return row_read_steps_.load(); }

 private:
  void loop();
  void read();  // one look at the file: read it whole, or its new rows
  std::string path_;
  int interval_ms_;
  std::atomic<bool> stop_{false};
  std::atomic<int> available_{0};
  std::atomic<int> full_reads_{0}, row_reads_{0}, row_read_steps_{0};
  std::atomic<double> full_read_s_{0.0}, row_read_s_{0.0};
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::optional<TraceData> fresh_;  // a whole reading the UI has not taken yet
  std::optional<TraceData> rows_;   // rows read after it (or after what the UI holds), to append
  // The reading thread's own: the layout of the file read, and where its reading stopped.
  std::optional<TraceData> layout_;
  TracePosition read_to_;
  bool complete_ = false;
  int loaded_steps_ = -1;
  std::string error_;
  std::thread thread_;
};

// Commands from the UI to a steered run.
struct SteerControl {
  bool playing = false;
  double steps_per_second = 4;  // 0 = as fast as possible
  int step_requests = 0;        // single steps asked for while paused
  bool reset = false;
  std::vector<std::pair<int, double>> lever_changes;  // (lever index, value) for the next boundary
};

// The engine in process: a worker thread owns the Runner (model, state, trace writer).
class SteerSource : public Source {
 public:
  // Loads the config (with overrides) and starts the worker, paused; the trace goes to `out`.
  SteerSource(const std::string& config, const std::vector<std::string>& overrides, const std::string& out);
  // A fork of the run in trace `parent` ("fork here"): continues from its last checkpoint at
  // or before step `at` (throws UsageError when there is none), replays the parent's steps
  // (and lever changes) from there up to `at` so the fork starts at that month, then waits
  // paused for lever changes. The fork's trace `out` starts with the parent's history and
  // names its parent (parent_kind "branch"); a reset goes back to the checkpoint.
  SteerSource(const std::string& parent, int at, const std::string& out);
  // A fork of a run steered here ("fork here" while steering): a new steered run of the same
  // config that re-simulates the parent's first `at` steps with the parent's lever changes
  // before `at` (bitwise the parent's months), then waits paused; its trace `out` names the
  // parent (parent_kind "fork"). The parent's trace, still open in this process, is not read.
  SteerSource(const SteerSource& parent, const std::vector<InterventionRow>& parent_changes, int at,
              const std::string& out);
  // The step the fork starts at (0 for a run from the start).
  int fork_step() const { return fork_step_; }
  ~SteerSource() override;
  Mode mode() const override { return Mode::kSteer; }
  bool poll(TraceData& d) override;
  int steps_available() const override { return produced_.load(); }
  std::string error() const override;

  void play(bool on);
  bool playing() const;
  void set_speed(double steps_per_second);
  double speed() const;
  void step_once();
  void reset();
  // Queues a lever change for the next step boundary.
  void change_lever(int lever, double value);
  // The lever values in effect now (after the last boundary), by lever index.
  std::vector<double> lever_values() const;
  int steps_total() const { return steps_total_; }
  const std::string& out_path() const { return out_; }
  // The config and overrides it runs ("" for a fork of a replayed trace, which continues a checkpoint).
  const std::string& config() const { return config_; }
  const std::vector<std::string>& overrides() const { return overrides_; }
  // Steps per second of the engine over the last second (while playing).
  double engine_rate() const { return rate_.load(); }
  // Blocks until `steps` steps are produced (headless use); false on timeout or error.
  bool wait_for(int steps, int timeout_ms);

 private:
  void loop();
  void load();  // the config's model, run info and statics (the constructors' common part)
  std::string config_, out_;
  std::vector<std::string> overrides_;
  int steps_total_ = 0;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  SteerControl control_;
  std::deque<StepRecord> produced_records_;
  bool reset_pending_for_ui_ = false;
  std::unique_ptr<Model> base_;       // the loaded model; every (re)start runs a copy of it
  std::unique_ptr<State> base_state_;  // a fork: the checkpoint's state (every (re)start copies it)
  std::vector<Intervention> parent_changes_;  // a fork: the parent's lever changes up to the fork step
  int checkpoint_step_ = 0, fork_step_ = 0;
  RunInfo info_;                      // its config and trace settings, for the trace
  std::optional<TraceData> statics_;  // statics for a fresh start (after reset)
  std::vector<double> levers_now_;
  std::string error_;
  std::atomic<int> produced_{0};
  std::atomic<double> rate_{0.0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace feidi::viz
