// model_fixture.hpp — loads the smoke scenario once per test binary.
#pragma once

#include <string>

#include "config/config.hpp"
#include "config/data_loader.hpp"
#include "model/model.hpp"

namespace feidi::testing {

// The smoke config, loaded once.
inline const Config& smoke_config() {
  static const Config c = load_config(std::string(FEIDI_SOURCE_DIR) + "/configs/smoke.toml");
  return c;
}

// The smoke model (config + real data), loaded once.
inline const Model& smoke_model() {
  static const Model m = load_model(smoke_config());
  return m;
}

// FNV-1a over raw bytes.
inline void fnv(std::uint64_t& h, const void* p, std::size_t n) {
  const auto* b = static_cast<const unsigned char*>(p);
  for (std::size_t i = 0; i < n; ++i) {
    h ^= b[i];
    h *= 1099511628211ull;
  }
}
template <class T>
void fnv(std::uint64_t& h, const std::vector<T>& v) {
  fnv(h, v.data(), v.size() * sizeof(T));
}

// A hash of every agent column and aggregate of the state.
inline std::uint64_t state_hash(const State& s) {
  std::uint64_t h = 1469598103934665603ull;
  fnv(h, s.persons.county);
  fnv(h, s.persons.employer);
  fnv(h, s.persons.home);
  fnv(h, s.persons.next_review);
  fnv(h, s.persons.next_separation);
  fnv(h, s.persons.next_worker);
  fnv(h, s.firms.workers);
  fnv(h, s.ledger.seekers);
  fnv(h, s.firms.county);
  fnv(h, s.firms.enclave);
  fnv(h, s.firms.labour);
  fnv(h, s.firms.va);
  fnv(h, s.villages.weak);
  fnv(h, s.villages.pool);
  fnv(h, s.villages.pool_income_ytd_yuan);
  fnv(h, s.wage);
  for (const auto& c : s.county) fnv(h, &c, sizeof c);
  for (const auto& e : s.enclaves) {
    fnv(h, &e.granted_mu, sizeof e.granted_mu);
    fnv(h, &e.used_mu, sizeof e.used_mu);
    fnv(h, &e.tax_local_yuan, sizeof e.tax_local_yuan);
    fnv(h, &e.pool_invested_yuan, sizeof e.pool_invested_yuan);
  }
  for (const auto& ev : s.events) {  // field by field: the struct has padding
    fnv(h, &ev.kind, sizeof ev.kind);
    fnv(h, &ev.subject, sizeof ev.subject);
    fnv(h, &ev.from, sizeof ev.from);
    fnv(h, &ev.to, sizeof ev.to);
    fnv(h, &ev.value, sizeof ev.value);
  }
  return h;
}

}  // namespace feidi::testing
