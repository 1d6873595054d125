// event_index.hpp — the trace's events grouped for the viewer, built once and then only
// for what a run appended: events of one month, kind and place (the enclave, the county,
// or the pair of counties) become one group with a count and a summed value, and counts
// per month and kind are kept, so the event log, its filter counts and the plot markers
// never scan every event in a frame (a 1:1 trace holds millions).
#pragma once

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "trace/data.hpp"

namespace feidi::viz {

struct EventGroup {
  std::int32_t step = 0;
  std::int8_t kind = 0;
  std::int32_t subject = -1;  // the enclave or county the group is about, or -1 (agents: see from/to)
  std::int32_t from = -1, to = -1;
  std::int64_t count = 0;
  double value = 0;           // summed over the group's events
};

class EventIndex {
 public:
  // Brings the index up to date with d: appends the events added since the last call, or
  // rebuilds when d was replaced (a reset or a fork: fewer events, another first event, or
  // events before the last month indexed). Called every frame, so a replacement is seen
  // before it has grown past the old one.
  void update(const TraceData& d);
  // Groups in month order.
  const std::vector<EventGroup>& groups() const { return groups_; }
  // Groups of months ≤ step: groups()[0 .. groups_up_to(step)).
  std::size_t groups_up_to(int step) const;
  // Events of a kind in months ≤ step.
  std::int64_t count_up_to(int kind, int step) const;
  // Events (not groups) indexed so far.
  std::size_t events() const { return seen_; }
  // Rebuilds so far (a test of incremental updates).
  int rebuilds() const { return rebuilds_; }

 private:
  void clear();
  std::size_t seen_ = 0;
  EventRow first_{};            // the first event indexed: a replaced array starts otherwise
  std::int32_t last_step_ = -1;
  int kinds_ = 0, rebuilds_ = 0;
  std::vector<EventGroup> groups_;
  std::unordered_map<std::uint64_t, std::size_t> open_;  // groups of the latest month, by key
  std::int32_t open_step_ = -1;
  std::vector<std::vector<std::int64_t>> per_;  // [kind][step]: events of the kind in that month
  std::vector<std::vector<std::int64_t>> cum_;  // [kind][step]: events of the kind in months ≤ step
};

// Whether events of a kind are about an enclave (subject = enclave slot).
bool about_enclave(const std::string& kind);

}  // namespace feidi::viz
