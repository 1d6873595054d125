// event_index.cpp — events grouped by month, kind and place (see event_index.hpp).
#include "event_index.hpp"

#include <algorithm>

namespace feidi::viz {

bool about_enclave(const std::string& kind) {
  return kind.rfind("enclave_", 0) == 0 || kind == "renegotiation" || kind == "missed_payment";
}

void EventIndex::clear() {
  seen_ = 0;
  first_ = EventRow{};
  last_step_ = -1;
  groups_.clear();
  open_.clear();
  open_step_ = -1;
  per_.clear();
  cum_.clear();
  ++rebuilds_;
}

void EventIndex::update(const TraceData& d) {
  const bool same = seen_ <= d.events.size() && static_cast<int>(d.event_kinds.size()) == kinds_ &&
                    (seen_ == 0 || (d.events[0].step == first_.step && d.events[0].kind == first_.kind &&
                                    d.events[0].subject == first_.subject && d.events[seen_ - 1].step == last_step_));
  if (!same) {
    clear();
    kinds_ = static_cast<int>(d.event_kinds.size());
  }
  const auto steps = static_cast<std::size_t>(std::max({0, d.steps, d.steps_total}));
  per_.resize(static_cast<std::size_t>(kinds_));
  for (auto& c : per_)
    if (c.size() < steps) c.resize(steps, 0);
  const bool grew = seen_ < d.events.size();
  for (std::size_t i = seen_; i < d.events.size(); ++i) {
    const EventRow& ev = d.events[i];
    if (ev.kind < 0 || ev.kind >= kinds_ || ev.step < 0) continue;
    const std::string& kind = d.event_kinds[static_cast<std::size_t>(ev.kind)];
    EventGroup key;
    key.step = ev.step;
    key.kind = ev.kind;
    if (about_enclave(kind) || kind == "leader_turnover") {
      key.subject = ev.subject;
    } else if (kind == "person_migration") {  // by county of origin: 90 × 90 pairs a month would crowd the log
      key.from = ev.from;
    } else {
      key.from = ev.from;
      key.to = ev.to;
    }
    if (ev.step != open_step_) {  // events come in month order: only this month's groups can grow
      open_.clear();
      open_step_ = ev.step;
    }
    const std::uint64_t h = (static_cast<std::uint64_t>(static_cast<std::uint8_t>(key.kind)) << 56) ^
                            (static_cast<std::uint64_t>(static_cast<std::uint32_t>(key.subject)) << 24) ^
                            (static_cast<std::uint64_t>(static_cast<std::uint16_t>(key.from)) << 12) ^
                            static_cast<std::uint64_t>(static_cast<std::uint16_t>(key.to));
    auto it = open_.find(h);
    std::size_t g;
    if (it != open_.end() && groups_[it->second].kind == key.kind && groups_[it->second].subject == key.subject &&
        groups_[it->second].from == key.from && groups_[it->second].to == key.to) {
      g = it->second;
    } else {
      g = groups_.size();
      groups_.push_back(key);
      open_[h] = g;
    }
    ++groups_[g].count;
    groups_[g].value += ev.value;
    auto& c = per_[static_cast<std::size_t>(ev.kind)];
    if (static_cast<std::size_t>(ev.step) >= c.size()) c.resize(static_cast<std::size_t>(ev.step) + 1, 0);
    ++c[static_cast<std::size_t>(ev.step)];
  }
  if (!d.events.empty()) {
    first_ = d.events[0];
    last_step_ = d.events.back().step;
  }
  seen_ = d.events.size();
  if (grew || cum_.size() != per_.size() || (!per_.empty() && cum_[0].size() != per_[0].size())) {
    cum_.assign(per_.size(), {});
    for (std::size_t k = 0; k < per_.size(); ++k) {
      cum_[k].resize(per_[k].size());
      std::int64_t acc = 0;
      for (std::size_t t = 0; t < per_[k].size(); ++t) cum_[k][t] = acc += per_[k][t];
    }
  }
}

std::size_t EventIndex::groups_up_to(int step) const {
  return static_cast<std::size_t>(
      std::upper_bound(groups_.begin(), groups_.end(), step, [](int s, const EventGroup& g) { return s < g.step; }) -
      groups_.begin());
}

std::int64_t EventIndex::count_up_to(int kind, int step) const {
  if (kind < 0 || static_cast<std::size_t>(kind) >= cum_.size() || step < 0) return 0;
  const auto& c = cum_[static_cast<std::size_t>(kind)];
  if (c.empty()) return 0;
  return c[std::min(c.size() - 1, static_cast<std::size_t>(step))];
}

}  // namespace feidi::viz
