// sources.cpp — replay, follow and steer sources (see sources.hpp).
#include "sources.hpp"

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "engine/error.hpp"
#include "config/config.hpp"
#include "config/data_loader.hpp"
#include "run/continuation.hpp"
#include "run/runner.hpp"
#include "trace/provenance.hpp"
#include "engine/deadline.hpp"
#include "trace/reader.hpp"

namespace feidi::viz {

using Clock = std::chrono::steady_clock;

const char* mode_key(Mode m) {
  switch (m) {
    case Mode::kReplay: return "replay";
    case Mode::kFollow: return "follow";
    case Mode::kSteer: return "steer";
  }
  return "?";
}

// ---- replay ---------------------------------------------------------------

ReplaySource::ReplaySource(const std::string& path) : initial_(load_trace_data(path)) { steps_ = initial_->steps; }

bool ReplaySource::poll(TraceData& d) {
  if (!initial_) return false;
  d = std::move(*initial_);
  initial_.reset();
  return true;
}

// ---- follow ---------------------------------------------------------------

FollowSource::FollowSource(const std::string& path, int interval_ms) : path_(path), interval_ms_(interval_ms) {
  thread_ = std::thread([this] { loop(); });
}

FollowSource::~FollowSource() {
  stop_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void FollowSource::read() {
  // A cheap look at the step counter first; the file stays open for the reading.
  const TraceReader r(path_);
  const int written = static_cast<int>(r.steps_written());
  const bool finished = r.attr_int("run_completed").value_or(0) == 1;
  if (layout_ && written < read_to_.steps) layout_.reset();  // replaced by another run: read it whole
  const auto t0 = std::chrono::steady_clock::now();
  const auto seconds = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(); };
  if (!layout_) {
    TraceData d = load_trace_data(r);
    full_read_s_ = full_read_s_.load() + seconds();
    layout_ = rows_layout(d);
    read_to_ = position(d);
    complete_ = d.complete;
    std::lock_guard lk(mu_);
    loaded_steps_ = d.steps;
    available_ = d.steps;
    fresh_ = std::move(d);
    rows_.reset();
    error_.clear();
    ++full_reads_;
    cv_.notify_all();
    return;
  }
  if (written <= read_to_.steps && !(finished && !complete_)) return;
  TraceData rows = read_rows_after(r, *layout_, read_to_);
  row_read_s_ = row_read_s_.load() + seconds();
  row_read_steps_ += rows.steps;
  read_to_.steps += rows.steps;
  read_to_.events += rows.events.size();
  read_to_.interventions += rows.interventions.size();
  complete_ = rows.complete;
  std::lock_guard lk(mu_);
  if (fresh_) append_rows(*fresh_, std::move(rows));
  else if (rows_) append_rows(*rows_, std::move(rows));
  else rows_ = std::move(rows);
  loaded_steps_ = read_to_.steps;
  available_ = read_to_.steps;
  error_.clear();
  ++row_reads_;
  cv_.notify_all();
}

void FollowSource::loop() {
  while (!stop_) {
    int wait = interval_ms_;
    try {
      read();
      if (complete_) wait = interval_ms_ * 5;  // finished: look now and then (it may be replaced)
    } catch (const std::exception& e) {
      std::lock_guard lk(mu_);
      error_ = e.what();  // e.g. not created yet: keep trying
    }
    std::unique_lock lk(mu_);
    cv_.wait_for(lk, std::chrono::milliseconds(wait), [&] { return stop_.load(); });
  }
}

bool FollowSource::poll(TraceData& d) {
  std::lock_guard lk(mu_);
  bool changed = false;
  if (fresh_) {
    d = std::move(*fresh_);
    fresh_.reset();
    changed = true;
  }
  if (rows_) {
    append_rows(d, std::move(*rows_));
    rows_.reset();
    changed = true;
  }
  return changed;
}

std::string FollowSource::error() const {
  std::lock_guard lk(mu_);
  return error_;
}

bool FollowSource::wait_for(int steps, int timeout_ms) {
  std::unique_lock lk(mu_);
  return cv_.wait_for(lk, std::chrono::milliseconds(timeout_ms), [&] { return loaded_steps_ >= steps; });
}

// ---- steer ----------------------------------------------------------------

namespace {
Config load_with(const std::string& config, const std::vector<std::string>& overrides) {
  Config c = load_config(config);
  for (const auto& o : overrides) apply_override(c, o);
  return c;
}

std::vector<double> lever_values_of(const Params& p) {
  std::vector<double> v;
  for (const auto* k : lever_specs()) v.push_back(lever_value(p, *k));
  return v;
}
}  // namespace

SteerSource::SteerSource(const std::string& config, const std::vector<std::string>& overrides, const std::string& out)
    : config_(config), out_(out), overrides_(overrides) {
  load();
  thread_ = std::thread([this] { loop(); });
}

void SteerSource::load() {
  // Errors in the config or data surface here, on the caller's thread.
  const Config cfg = load_with(config_, overrides_);
  base_ = std::make_unique<Model>(load_model(cfg));
  info_ = run_info(cfg, config_, "feidi-viz --run", 0);
  steps_total_ = base_->params.steps();
  statics_ = trace_data_for(*base_);
  statics_->path = out_;
  levers_now_ = lever_values_of(base_->params);
  reset_pending_for_ui_ = true;
}

SteerSource::SteerSource(const SteerSource& parent, const std::vector<InterventionRow>& parent_changes, int at,
                         const std::string& out)
    : config_(parent.config_), out_(out), overrides_(parent.overrides_) {
  load();
  fork_step_ = std::clamp(at, 0, steps_total_ - 1);
  for (const auto& iv : parent_changes)
    if (iv.step < fork_step_) parent_changes_.push_back({iv.step, iv.lever, iv.old_value, iv.new_value});
  // The parent's trace is still open in this process: the fork re-simulates its first months
  // (bitwise the parent's) instead of copying them.
  const YearMonth month = base_->params.run.start.plus(fork_step_);
  info_.parent = ParentTrace{std::filesystem::absolute(parent.out_).lexically_normal().string(), file_hash(parent.out_),
                             fork_step_, month.str(), "fork", false};
  statics_->parent_month = month.str();
  control_.step_requests = fork_step_;
  thread_ = std::thread([this] { loop(); });
}

SteerSource::SteerSource(const std::string& parent, int at, const std::string& out) : out_(out) {
  Continuation c;
  {
    const ReadDeadline deadline(parent, 600);
    c = plan_fork(parent, at);
  }
  Restored restored = restore_continuation(c);
  base_ = std::make_unique<Model>(std::move(restored.model));
  base_state_ = std::make_unique<State>(std::move(restored.state));
  checkpoint_step_ = c.step;
  fork_step_ = std::clamp(at, c.step, base_->params.steps() - 1);
  // The parent's own lever changes between the checkpoint and the fork month are replayed.
  for (const auto& iv : c.recorded)
    if (iv.step >= c.step && iv.step < fork_step_) parent_changes_.push_back(iv);
  info_ = run_info(c.config, c.config_path, "feidi-viz fork " + parent, 0);
  info_.parent = ParentTrace{std::filesystem::absolute(parent).lexically_normal().string(), file_hash(parent), c.step,
                             c.month().str(), "branch"};
  steps_total_ = base_->params.steps();
  {
    const ReadDeadline deadline(parent, 600);
    statics_ = load_trace_data(parent);
  }
  truncate_steps(*statics_, c.step);
  statics_->path = out_;
  statics_->parent_month = base_->params.run.start.plus(fork_step_).str();  // where the fork leaves its parent
  levers_now_ = lever_values_of(base_->params);
  control_.step_requests = fork_step_ - c.step;  // up to the fork month, as the parent ran
  produced_ = c.step;
  reset_pending_for_ui_ = true;
  thread_ = std::thread([this] { loop(); });
}

SteerSource::~SteerSource() {
  stop_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SteerSource::loop() {
  std::unique_ptr<Runner> runner;
  auto start = [&] {
    if (runner) runner->abort();
    if (base_state_) runner = std::make_unique<Runner>(*base_, *base_state_, out_, info_);  // a fork: from its checkpoint
    else runner = std::make_unique<Runner>(*base_, out_, info_);  // a fresh copy
  };
  try {
    start();
  } catch (const std::exception& e) {
    std::lock_guard lk(mu_);
    error_ = e.what();
    return;
  }
  auto tick = Clock::now();
  int rate_steps = 0;
  auto rate_t0 = Clock::now();
  while (!stop_) {
    std::vector<std::pair<int, double>> changes;
    {
      std::unique_lock lk(mu_);
      // Wait for something to do; while playing at a set speed, wait for the next tick.
      for (;;) {
        if (stop_) return;
        if (control_.reset) break;
        const bool can_step = !runner->done();
        if (can_step && control_.step_requests > 0) break;
        if (can_step && control_.playing) {
          if (control_.steps_per_second <= 0) break;
          const auto next = tick + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(1.0 / control_.steps_per_second));
          if (Clock::now() >= next) break;
          cv_.wait_until(lk, next);
          continue;
        }
        cv_.wait(lk);
      }
      if (control_.reset) {
        control_.reset = false;
        control_.playing = false;
        control_.step_requests = 0;
        control_.lever_changes.clear();
        control_.step_requests = fork_step_ - checkpoint_step_;  // a fork: back to its month
        produced_records_.clear();
        produced_ = checkpoint_step_;
        lk.unlock();
        try {
          start();
        } catch (const std::exception& e) {
          std::lock_guard lk2(mu_);
          error_ = e.what();
          return;
        }
        std::lock_guard lk2(mu_);
        levers_now_ = lever_values_of(runner->model().params);
        reset_pending_for_ui_ = true;
        continue;
      }
      if (control_.step_requests > 0) --control_.step_requests;
      changes.swap(control_.lever_changes);
    }
    tick = Clock::now();
    try {
      for (const auto& iv : parent_changes_)
        if (iv.step == runner->steps_done()) runner->change_lever(iv.lever, iv.new_value);
      for (const auto& [lever, value] : changes) runner->change_lever(lever, value);
      const StepRecord& rec = runner->step_once();
      const bool finished = runner->done();
      if (finished) runner->finish(0.0);
      std::lock_guard lk(mu_);
      produced_records_.push_back(rec);
      produced_ = rec.step + 1;
      levers_now_ = lever_values_of(runner->model().params);
      if (finished) control_.playing = false;
    } catch (const std::exception& e) {
      std::lock_guard lk(mu_);
      error_ = e.what();
      control_.playing = false;
    }
    cv_.notify_all();
    ++rate_steps;
    const double dt = std::chrono::duration<double>(Clock::now() - rate_t0).count();
    if (dt >= 1.0) {
      rate_ = rate_steps / dt;
      rate_steps = 0;
      rate_t0 = Clock::now();
    }
  }
}

bool SteerSource::poll(TraceData& d) {
  std::deque<StepRecord> recs;
  bool reset_now = false;
  {
    std::lock_guard lk(mu_);
    recs.swap(produced_records_);
    reset_now = reset_pending_for_ui_;
    reset_pending_for_ui_ = false;
  }
  if (reset_now) d = *statics_;
  for (const auto& r : recs) append_record(d, r);
  return reset_now || !recs.empty();
}

std::string SteerSource::error() const {
  std::lock_guard lk(mu_);
  return error_;
}

void SteerSource::play(bool on) {
  std::lock_guard lk(mu_);
  control_.playing = on;
  cv_.notify_all();
}

bool SteerSource::playing() const {
  std::lock_guard lk(mu_);
  return control_.playing;
}

void SteerSource::set_speed(double steps_per_second) {
  std::lock_guard lk(mu_);
  control_.steps_per_second = steps_per_second;
  cv_.notify_all();
}

double SteerSource::speed() const {
  std::lock_guard lk(mu_);
  return control_.steps_per_second;
}

void SteerSource::step_once() {
  std::lock_guard lk(mu_);
  ++control_.step_requests;
  cv_.notify_all();
}

void SteerSource::reset() {
  std::lock_guard lk(mu_);
  control_.reset = true;
  cv_.notify_all();
}

void SteerSource::change_lever(int lever, double value) {
  std::lock_guard lk(mu_);
  control_.lever_changes.emplace_back(lever, value);
  cv_.notify_all();
}

std::vector<double> SteerSource::lever_values() const {
  std::lock_guard lk(mu_);
  auto v = levers_now_;
  for (const auto& [lever, value] : control_.lever_changes) v[static_cast<std::size_t>(lever)] = value;  // pending
  return v;
}

bool SteerSource::wait_for(int steps, int timeout_ms) {
  std::unique_lock lk(mu_);
  return cv_.wait_for(lk, std::chrono::milliseconds(timeout_ms), [&] { return produced_ >= steps || !error_.empty(); }) &&
         error_.empty();
}

}  // namespace feidi::viz
