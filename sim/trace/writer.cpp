// trace/writer.cpp — the step records and the writer thread; the file's layout (objects,
// appending rows, SWMR publishing) is trace/layout.cpp.
//
// Index: fill_record · panel_sample · panel_ids · Impl (queue and thread loop) · TraceWriter
#include "trace/writer.hpp"

#include "trace/layout.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <deque>
#include <exception>
#include <filesystem>
#include <iostream>
#include <limits>
#include <mutex>
#include <thread>

#include "engine/error.hpp"
#include "config/config.hpp"
#include "trace/h5_file.hpp"
#include "trace/provenance.hpp"
#include "trace/schema.hpp"

#ifndef FEIDI_SOURCE_VERSION
#define FEIDI_SOURCE_VERSION "unknown"
#endif

namespace feidi {

using h5::Id;

namespace {
std::atomic<bool> g_write_failed{false};
}  // namespace

bool trace_write_failed() { return g_write_failed.load(); }

int exit_code(int rc) {
  if (!trace_write_failed()) return rc;
  std::cout.flush();
  std::cerr.flush();
  std::_Exit(rc);
}

RunInfo run_info(const Config& c, std::string config_path, std::string command, int threads,
                 std::vector<std::string> overrides) {
  RunInfo info;
  info.config_path = std::move(config_path);
  info.command = std::move(command);
  info.threads = threads;
  info.overrides = std::move(overrides);
  info.config = to_toml(c);
  info.trace = c.trace;
  return info;
}

void fill_record(const Model& m, const State& s, const TraceSettings& trace, StepRecord& rec) {
  fill_record(m, s, trace, panel_sample(s, trace), rec);
}

PanelSample panel_sample(const State& s, const TraceSettings& trace) {
  return {panel_ids(s.persons.size(), trace.panel_persons), panel_ids(s.initial_firms, trace.panel_firms)};
}

void fill_record(const Model& m, const State& s, const TraceSettings& trace, const PanelSample& panel, StepRecord& rec) {
  const std::size_t n = m.data.n_counties(), ne = s.enclaves.size();
  rec.step = s.step - 1;
  rec.time_days = static_cast<std::int32_t>(days_since(m.params.run.start, s.month.plus(-1)));
  const auto& cv = county_vars();
  rec.county.resize(cv.size() * n);
  for (std::size_t v = 0; v < cv.size(); ++v)
    for (std::size_t c = 0; c < n; ++c) rec.county[v * n + c] = cv[v].get(m, s, c);
  const auto& ev = enclave_vars();
  rec.enclave.resize(ev.size() * ne);
  for (std::size_t v = 0; v < ev.size(); ++v)
    for (std::size_t e = 0; e < ne; ++e) rec.enclave[v * ne + e] = ev[v].get(m, s, e);
  const auto& pv = province_vars();
  rec.province.resize(pv.size());
  for (std::size_t v = 0; v < pv.size(); ++v) rec.province[v] = pv[v].get(m, s, 0);
  if (trace.person_events) {
    rec.events.assign(s.events.begin(), s.events.end());
  } else {
    rec.events.clear();
    for (const auto& e : s.events)
      if (e.kind != EventKind::kPersonMigration) rec.events.push_back(e);
  }
  rec.interventions.clear();  // records are recycled: the caller adds this step's own
  // Panel.
  const auto& d = m.data;
  const auto& ps = s.persons;
  const auto& f = s.firms;
  const auto& pid = panel.persons;
  FEIDI_ASSERT(pid.empty() || pid.back() < ps.size(), "the panel sample is not this state's");
  rec.panel_person_county.resize(pid.size());
  rec.panel_person_employer.resize(pid.size());
  rec.panel_person_months_unemployed.resize(pid.size());
  for (std::size_t k = 0; k < pid.size(); ++k) {
    const auto i = pid[k];
    rec.panel_person_county[k] = d.counties[ps.county[i]].code;
    rec.panel_person_employer[k] = ps.employer[i];
    rec.panel_person_months_unemployed[k] = ps.months_unemployed[i];
  }
  const auto& fid = panel.firms;
  const std::size_t nk = fid.size();
  rec.panel_firm_alive.resize(nk);
  rec.panel_firm_sector.resize(nk);
  rec.panel_firm_county.resize(nk);
  rec.panel_firm_workers.resize(nk);
  rec.panel_firm_enclave.resize(nk);
  rec.panel_firm_labour.resize(nk);
  rec.panel_firm_va.resize(nk);
  for (std::size_t k = 0; k < nk; ++k) {
    const auto i = fid[k];
    const bool alive = i < f.size() && f.alive[i];
    rec.panel_firm_alive[k] = alive ? 1 : 0;
    rec.panel_firm_sector[k] = alive ? static_cast<std::int8_t>(f.sector[i]) : -1;
    rec.panel_firm_county[k] = alive ? d.counties[f.county[i]].code : -1;
    rec.panel_firm_workers[k] = alive ? f.workers[i] : 0;
    rec.panel_firm_enclave[k] = alive ? f.enclave[i] : -1;
    rec.panel_firm_labour[k] = alive ? f.labour[i] : 0.0;
    rec.panel_firm_va[k] = alive ? f.va[i] : 0.0;
  }
  // Snapshot.
  rec.snapshot.reset();
  if (is_snapshot_step(trace, m.params.steps(), rec.step)) {
    auto snap = std::make_shared<AgentSnapshot>();
    static_assert(sizeof(CountyIdx) == sizeof(std::int16_t) && sizeof(FirmIdx) == sizeof(std::int32_t));
    snap->persons = ps.size();
    snap->person_county = ps.county.data();
    snap->person_employer = ps.employer.data();
    const std::size_t nf = f.size();
    snap->firms = nf;
    snap->firm_alive.resize(nf);
    snap->firm_sector.resize(nf);
    snap->firm_county.resize(nf);
    snap->firm_enclave.resize(nf);
    for (std::size_t i = 0; i < nf; ++i) {
      snap->firm_alive[i] = static_cast<std::int8_t>(f.alive[i]);
      snap->firm_sector[i] = static_cast<std::int8_t>(f.sector[i]);
      snap->firm_county[i] = f.alive[i] ? f.county[i] : -1;
      snap->firm_enclave[i] = f.alive[i] ? f.enclave[i] : -1;
    }
    snap->firm_workers = f.workers.data();
    snap->firm_labour = f.labour.data();
    snap->firm_va = f.va.data();
    rec.snapshot = std::move(snap);
  }
  if (is_checkpoint_step(trace, m.params.steps(), s.step)) {
    if (!rec.checkpoint) rec.checkpoint = std::make_shared<StateImage>();
    capture_state(s, *rec.checkpoint);
  } else {
    rec.checkpoint.reset();
  }
}

std::vector<std::uint32_t> panel_ids(std::size_t n, std::int64_t k) {
  std::vector<std::uint32_t> ids;
  if (k <= 0 || n == 0) return ids;
  const auto kk = std::min<std::size_t>(n, static_cast<std::size_t>(k));
  ids.resize(kk);
  for (std::size_t j = 0; j < kk; ++j)
    ids[j] = static_cast<std::uint32_t>((2 * j + 1) * n / (2 * kk));  // centre of the j-th of kk equal strata
  return ids;
}

bool is_checkpoint_step(const TraceSettings& t, int steps_total, int steps_done) {
  const auto every = t.checkpoint_interval_months;
  return every > 0 && steps_done > 0 && steps_done < steps_total && steps_done % every == 0;
}

bool is_snapshot_step(const TraceSettings& t, int steps_total, int step) {
  const auto every = t.snapshot_interval_months;
  if (every <= 0) return false;
  return (step + 1) % every == 0 || step + 1 == steps_total;
}


namespace {

// The bytes a record holds besides its snapshot and checkpoint (which have their own limits).
std::size_t record_bytes(const StepRecord& r) {
  return sizeof(double) * (r.county.size() + r.enclave.size() + r.province.size() + r.panel_firm_labour.size() +
                           r.panel_firm_va.size()) +
         sizeof(Event) * r.events.size() + sizeof(Intervention) * r.interventions.size() +
         sizeof(std::int32_t) * (r.panel_person_county.size() + r.panel_person_employer.size() +
                                 r.panel_firm_county.size() + r.panel_firm_workers.size()) +
         sizeof(std::int16_t) * (r.panel_person_months_unemployed.size() + r.panel_firm_enclave.size()) +
         r.panel_firm_alive.size() + r.panel_firm_sector.size();
}

}  // namespace

struct TraceWriter::Impl {
  TraceLayout layout;
  double cpu_seconds = 0;  // CPU time of the writer thread (set when it ends)

  std::mutex mu;
  std::condition_variable cv_work, cv_space, cv_done;
  // Records with a snapshot queued and written (push waits for its own: it reads the state).
  std::uint64_t snapshots_queued = 0, snapshots_done = 0;
  // Records with a checkpoint queued and written (push waits for the previous one).
  std::uint64_t checkpoints_queued = 0, checkpoints_done = 0;
  std::deque<std::unique_ptr<StepRecord>> queue, free_list;
  // The last checkpoint's image once written, for the next checkpoint to capture into.
  std::shared_ptr<StateImage> spare_image;
  // At most one state image in memory: waits (holding `lk` on mu) until every queued
  // checkpoint is written; rethrows the writer's failure.
  void wait_checkpoints_written(std::unique_lock<std::mutex>& lk) {
    cv_done.wait(lk, [&] { return checkpoints_done >= checkpoints_queued || error; });
    if (error) std::rethrow_exception(error);
  }
  bool closing = false;
  std::exception_ptr error;
  std::thread thread;
  // Records queued or pending, and their bytes: push waits while either bound is reached
  // (the disk is slower than the engine), so a slow disk costs memory only up to here.
  std::size_t held_records = 0, held_bytes = 0;
  static constexpr std::size_t kMaxHeldRecords = 64;
  static constexpr std::size_t kMaxHeldBytes = std::size_t{64} << 20;

  Impl(const std::string& p, const Model& m, const State& initial, const RunInfo& info) : layout(p, m, initial, info) {
    thread = std::thread([this] { loop(); });
  }

  // The failure of a write, as the user should read it: a full disk or a vanished folder is
  // the output's problem (PathError, exit 2), naming the file and what the trace keeps.
  std::exception_ptr explain(std::exception_ptr e) {
    try {
      std::rethrow_exception(e);
    } catch (const InternalError&) {
      g_write_failed.store(true);
      const std::string& path = layout.path();
      const std::filesystem::path dir = std::filesystem::path(path).parent_path().empty()
                                            ? std::filesystem::path(".")
                                            : std::filesystem::path(path).parent_path();
      const std::string keeps = "; the trace keeps the " + std::to_string(layout.steps_published()) +
                                " steps written before (run_completed = 0)";
      std::error_code ec;
      if (!std::filesystem::is_directory(dir, ec))
        return std::make_exception_ptr(PathError(path + ": its folder vanished during the run" + keeps));
      if (disk_full(path)) return std::make_exception_ptr(PathError(path + ": the disk is full" + keeps));
      return e;
    } catch (...) {
      return e;
    }
  }

  // Records are written in batches: a record waits (pending) until the appended steps are
  // due to be published (every 0.25 s), the pending steps reach the end of a chunk's rows
  // (TraceLayout::kRowsPerChunk; only those are written then), half of kMaxHeldBytes wait,
  // one carries a checkpoint, or the run ends. A snapshot is written at once (push waits
  // for it: it reads the state), ahead of its step's rows. A batch costs one HDF5 write per
  // variable instead of one per variable and step: about 130 writes of a few microseconds
  // each, which at 1:1000 (a month in about 1 ms) made the writer, not the engine, set the
  // pace. Readers still see whole steps, 0.25 s late at most, now also while the engine
  // pauses (a steered run in the viewer).
  void loop() {
    // HDF5 (thread-safe build) keeps its error printing per thread: silence this one too.
    h5::silence_errors();
    std::vector<std::unique_ptr<StepRecord>> pending;
    std::vector<const StepRecord*> batch;
    pending.reserve(kMaxHeldRecords);
    batch.reserve(kMaxHeldRecords);
    for (;;) {
      bool ending = false;
      {
        std::unique_lock lk(mu);
        const auto ready = [&] { return !queue.empty() || closing; };
        // After a failure nothing is written: records are only handed back (no timed wake).
        if (error || (pending.empty() && !layout.unpublished()))
          cv_work.wait(lk, ready);
        else
          cv_work.wait_until(lk, layout.publish_deadline(), ready);
        while (!queue.empty()) {
          pending.push_back(std::move(queue.front()));
          queue.pop_front();
        }
        ending = closing;
      }
      write_snapshots(pending);
      const bool due = std::chrono::steady_clock::now() >= layout.publish_deadline();
      const bool urgent = std::any_of(pending.begin(), pending.end(), [](const auto& r) { return r->checkpoint != nullptr; });
      std::size_t pending_bytes = 0;
      for (const auto& r : pending) pending_bytes += r->held_bytes;
      const bool all = error || ending || due || urgent || pending_bytes >= kMaxHeldBytes / 2;
      if (!pending.empty() && all) {
        write_pending(pending, batch, pending.size());
      } else {
        // Whole chunks: the steps up to the next chunk boundary, as often as they are there.
        for (;;) {
          const auto k = TraceLayout::kRowsPerChunk;
          const auto to_boundary = static_cast<std::size_t>(k - layout.steps_appended() % k);
          if (pending.size() < to_boundary) break;
          write_pending(pending, batch, to_boundary);
        }
      }
      if (ending || due) {
        try {
          if (!error) layout.publish();
        } catch (...) {
          auto e = explain(std::current_exception());
          std::lock_guard lk(mu);
          error = e;
        }
      }
      if (ending) {
        timespec ts{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
        cpu_seconds = static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
        return;
      }
    }
  }

  // Writes the snapshots among the pending records at once and lets the engine go on (push
  // waits for them: they read the state); their steps' rows wait for the batch.
  void write_snapshots(std::vector<std::unique_ptr<StepRecord>>& pending) {
    std::uint64_t written = 0;
    for (auto& r : pending) {
      if (!r->snapshot) continue;
      try {
        if (!error) layout.write_snapshot(*r);
      } catch (...) {
        auto e = explain(std::current_exception());
        std::lock_guard lk(mu);
        error = e;
      }
      r->snapshot.reset();
      ++written;
    }
    if (written == 0) return;
    {
      std::lock_guard lk(mu);
      snapshots_done += written;
    }
    cv_done.notify_all();
  }

  // Writes the first n pending records as one batch and hands them back for reuse.
  void write_pending(std::vector<std::unique_ptr<StepRecord>>& pending, std::vector<const StepRecord*>& batch,
                     std::size_t n) {
    batch.clear();
    for (std::size_t k = 0; k < n; ++k) batch.push_back(pending[k].get());
    try {
      if (!error) layout.write_steps(batch);
    } catch (...) {
      auto e = explain(std::current_exception());
      std::lock_guard lk(mu);
      error = e;
    }
    std::uint64_t checkpoints = 0;
    {
      std::lock_guard lk(mu);
      for (std::size_t k = 0; k < n; ++k) {
        if (!pending[k]->checkpoint) continue;
        ++checkpoints;
        spare_image = std::move(pending[k]->checkpoint);
      }
      for (std::size_t k = 0; k < n; ++k) {
        held_bytes -= pending[k]->held_bytes;
        free_list.push_back(std::move(pending[k]));
      }
      held_records -= n;
      checkpoints_done += checkpoints;
    }
    pending.erase(pending.begin(), pending.begin() + static_cast<std::ptrdiff_t>(n));
    cv_space.notify_one();
    if (checkpoints) cv_done.notify_all();
  }

  void stop_thread() {
    {
      std::lock_guard lk(mu);
      closing = true;
    }
    cv_work.notify_all();
    if (thread.joinable()) thread.join();
  }

  void close_all() { layout.close(); }
};

TraceWriter::TraceWriter(const std::string& path, const Model& m, const State& initial, const RunInfo& info)
    : impl_(std::make_unique<Impl>(path, m, initial, info)) {}

TraceWriter::~TraceWriter() {
  if (impl_) abort();
}

std::unique_ptr<StepRecord> TraceWriter::take_record() {
  std::lock_guard lk(impl_->mu);
  if (!impl_->free_list.empty()) {
    auto r = std::move(impl_->free_list.back());
    impl_->free_list.pop_back();
    return r;
  }
  return std::make_unique<StepRecord>();
}

std::shared_ptr<StateImage> TraceWriter::take_image() {
  std::unique_lock lk(impl_->mu);
  impl_->wait_checkpoints_written(lk);
  return std::move(impl_->spare_image);
}

void TraceWriter::push(std::unique_ptr<StepRecord> rec) {
  std::unique_lock lk(impl_->mu);
  impl_->cv_space.wait(lk, [&] {
    return impl_->held_records == 0 ||
           (impl_->held_records < Impl::kMaxHeldRecords && impl_->held_bytes < Impl::kMaxHeldBytes) || impl_->error;
  });
  if (impl_->error) std::rethrow_exception(impl_->error);
  const bool snapshot = rec->snapshot != nullptr;
  if (rec->checkpoint) {
    impl_->wait_checkpoints_written(lk);  // already so when the image came from take_image
    ++impl_->checkpoints_queued;
  }
  const std::uint64_t ticket = snapshot ? ++impl_->snapshots_queued : 0;
  rec->held_bytes = record_bytes(*rec);
  ++impl_->held_records;
  impl_->held_bytes += rec->held_bytes;
  impl_->queue.push_back(std::move(rec));
  lk.unlock();
  impl_->cv_work.notify_one();
  if (!snapshot) return;
  // The snapshot reads the state: wait until the writer is done with it (written, or
  // skipped after a failure, which the next push or finish rethrows).
  lk.lock();
  impl_->cv_done.wait(lk, [&] { return impl_->snapshots_done >= ticket; });
}

void TraceWriter::finish(double wall_time_s) {
  impl_->stop_thread();
  if (impl_->error) {
    auto err = impl_->error;
    impl_->close_all();
    impl_.reset();
    std::rethrow_exception(err);
  }
  impl_->layout.mark_completed(wall_time_s);
  impl_->close_all();
  cpu_seconds_ = impl_->cpu_seconds;
  impl_.reset();
}

double TraceWriter::writer_cpu_seconds() const { return cpu_seconds_; }

void TraceWriter::abort() {
  if (!impl_) return;
  impl_->stop_thread();
  impl_->close_all();
  impl_.reset();
}

}  // namespace feidi
