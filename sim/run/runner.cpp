#include "run/runner.hpp"

#include <algorithm>
#include <chrono>
#include <sstream>

#include "engine/error.hpp"
#include "config/config.hpp"
#include "trace/reader.hpp"
#include "trace/schema.hpp"

namespace feidi {

Runner::Runner(Model model, const std::string& out_path, const RunInfo& info)
    : model_(std::move(model)), state_(make_initial_state(model_)), trace_(info.trace) {
  traced_ = !out_path.empty();
  if (traced_) {
    writer_ = std::make_unique<TraceWriter>(out_path, model_, state_, info);
    panel_ = panel_sample(state_, trace_);
  }
}

Runner::Runner(Model model, State state, const std::string& out_path, const RunInfo& info)
    : model_(std::move(model)), state_(std::move(state)), trace_(info.trace) {
  traced_ = !out_path.empty();
  if (traced_) {
    writer_ = std::make_unique<TraceWriter>(out_path, model_, state_, info);
    panel_ = panel_sample(state_, trace_);
  }
}

Runner::~Runner() {
  if (writer_) writer_->abort();
}

void Runner::change_lever(int lever, double value) { pending_.emplace_back(lever, value); }

const StepRecord& Runner::step_once(StepStats* stats) {
  FEIDI_ASSERT((writer_ || !traced_) && !finished_ && !done(), "the run is finished");
  const auto levers = lever_specs();
  std::vector<Intervention> applied;
  for (const auto& [lever, value] : pending_) {
    FEIDI_ASSERT(lever >= 0 && lever < static_cast<int>(levers.size()), "lever index out of range");
    const KeySpec& k = *levers[static_cast<std::size_t>(lever)];
    const double old = lever_value(model_.params, k);
    set_lever(model_.params, k, value, "lever change");
    applied.push_back({state_.step, static_cast<std::int16_t>(lever), old, lever_value(model_.params, k)});
  }
  pending_.clear();
  step(model_, state_, stats);
  if (!writer_) {  // no trace: the engine alone (benchmarks, sweeps)
    last_.interventions = std::move(applied);
    return last_;
  }
  const auto t0 = std::chrono::steady_clock::now();
  auto rec = writer_->take_record();
  if (is_checkpoint_step(trace_, model_.params.steps(), state_.step)) rec->checkpoint = writer_->take_image();
  fill_record(model_, state_, trace_, panel_, *rec);
  rec->interventions = std::move(applied);
  if (keep_last_) {
    last_ = *rec;
    last_.snapshot.reset();  // it reads the state as it is now (AgentSnapshot)
    last_.checkpoint.reset();  // the writer's, reused by the next checkpoint
  }
  else last_.interventions = rec->interventions;
  writer_->push(std::move(rec));
  record_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return last_;
}

void Runner::finish(double wall_time_s) {
  if (writer_) {
    writer_->finish(wall_time_s);
    writer_cpu_seconds_ = writer_->writer_cpu_seconds();
  }
  writer_.reset();
  finished_ = true;
}

void Runner::abort() {
  if (writer_) writer_->abort();
  writer_.reset();
  finished_ = true;
}

std::vector<Intervention> read_interventions(const std::string& trace_path) {
  TraceReader r(trace_path);
  const std::int64_t steps = r.steps_written();
  // Levers are matched by name (flag_meanings of the file), not by number.
  std::istringstream names(r.dataset_attr_string("interventions", "lever", "flag_meanings").value_or(""));
  std::vector<std::string> file_levers;
  for (std::string w; names >> w;) file_levers.push_back(w);
  const auto mine = lever_keys();
  const auto step = r.static_numbers("interventions", "step"), lever = r.static_numbers("interventions", "lever"),
             value = r.static_numbers("interventions", "new_value");
  std::vector<Intervention> out;
  for (std::size_t i = 0; i < step.size() && i < lever.size() && i < value.size(); ++i) {
    if (step[i] >= static_cast<double>(steps)) break;
    const auto l = static_cast<std::size_t>(lever[i]);
    if (l >= file_levers.size()) throw PathError(trace_path + ": intervention " + std::to_string(i) + " has no lever name");
    const auto it = std::find(mine.begin(), mine.end(), file_levers[l]);
    if (it == mine.end()) throw PathError(trace_path + ": lever '" + file_levers[l] + "' is unknown to this build");
    out.push_back({static_cast<std::int32_t>(step[i]), static_cast<std::int16_t>(it - mine.begin()), 0.0, value[i]});
  }
  return out;
}

}  // namespace feidi
