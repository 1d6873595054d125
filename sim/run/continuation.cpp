// continuation.cpp — continuing a run from a checkpoint of its trace (see continuation.hpp).
#include "run/continuation.hpp"

#include <algorithm>

#include "config/data_loader.hpp"
#include "engine/error.hpp"
#include "model/checkpoint.hpp"
#include "run/runner.hpp"
#include "trace/reader.hpp"

namespace feidi {

namespace {

// The parent's config and checkpoints (refused without either).
Continuation read_parent(const std::string& parent) {
  Continuation c;
  c.parent = parent;
  {
    TraceReader r(parent);
    c.config_text = r.attr_string("config").value_or("");
    c.config_path = r.attr_string("run_config_path").value_or("");
    c.checkpoints = r.checkpoint_steps();
  }
  if (c.config_text.empty()) throw PathError(parent + ": the trace stores no config (written by an old version?)");
  c.config = load_config_text(c.config_text, parent + " (its config attribute)");
  if (c.checkpoints.empty())
    throw PathError(parent + ": no complete checkpoint to continue from (run with --checkpoint-every N, or set "
                             "trace.checkpoint_interval_months)");
  return c;
}

// Continues from checkpoint `row`: its step, and the parent's lever changes.
Continuation& from_row(Continuation& c, std::size_t row) {
  c.row = row;
  c.step = c.checkpoints[row];
  if (c.step >= c.config.params.steps())
    throw PathError(c.parent + ": its last checkpoint is at the end of the run; nothing to resume");
  c.recorded = read_interventions(c.parent);
  return c;
}

std::string checkpoint_months(const Continuation& c) {
  std::string months;
  for (auto k : c.checkpoints) months += (months.empty() ? "" : ", ") + c.config.params.run.start.plus(k).str();
  return months;
}

}  // namespace

Continuation plan_continuation(const std::string& parent, const std::optional<YearMonth>& at, const std::string& command) {
  Continuation c = read_parent(parent);
  std::size_t row = c.checkpoints.size() - 1;
  if (at) {
    const YearMonth start = c.config.params.run.start;
    const auto it = std::find_if(c.checkpoints.begin(), c.checkpoints.end(),
                                 [&](std::int32_t k) { return start.plus(k) == *at; });
    if (it == c.checkpoints.end())
      throw UsageError(command + ": " + parent + " has no checkpoint at " + at->str() + "; it has: " + checkpoint_months(c));
    row = static_cast<std::size_t>(it - c.checkpoints.begin());
  }
  return from_row(c, row);
}

Continuation plan_fork(const std::string& parent, int step) {
  Continuation c = read_parent(parent);
  std::optional<std::size_t> row;
  for (std::size_t i = 0; i < c.checkpoints.size(); ++i)
    if (c.checkpoints[i] <= step && (!row || c.checkpoints[i] >= c.checkpoints[*row])) row = i;
  if (!row)
    throw UsageError(parent + ": no checkpoint at or before " + c.config.params.run.start.plus(step).str() +
                     " to fork from; it has: " + checkpoint_months(c));
  return from_row(c, *row);
}

Restored restore_continuation(const Continuation& c) {
  Restored r{load_model(c.config), State{}};
  r.state = make_initial_state(r.model);
  {
    TraceReader reader(c.parent);
    restore_state(r.state, reader.read_checkpoint(c.row), c.parent);
  }
  // The parent's lever changes before the checkpoint are part of its history.
  const auto levers = lever_specs();
  for (const auto& iv : c.recorded)
    if (iv.step < c.step) set_lever(r.model.params, *levers[static_cast<std::size_t>(iv.lever)], iv.new_value, c.parent);
  return r;
}

}  // namespace feidi
