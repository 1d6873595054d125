// model_fixture.hpp — loads the smoke scenario once per test binary.
#pragma once

#include <string>

#include "config/config.hpp"
#include "config/data_loader.hpp"
#include "model/checkpoint.hpp"
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

// A hash of the whole state (every column that visit_state lists, model/checkpoint.hpp) and
// of this step's events.
inline std::uint64_t step_hash(const State& s) {
  std::uint64_t h = feidi::state_hash(s);
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
