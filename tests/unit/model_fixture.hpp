// model_fixture.hpp — loads the smoke scenario once per test binary.
#pragma once

#include <string>

#include "config/config.hpp"
#include "config/data_loader.hpp"
#include "engine/hash.hpp"
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

// A hash of the whole state (every column that visit_state lists, model/checkpoint.hpp) and
// of this step's events.
inline std::uint64_t step_hash(const State& s) {
  std::uint64_t h = feidi::state_hash(s);
  for (const auto& ev : s.events) {  // field by field: the struct has padding
    h = hash_bytes(h, &ev.kind, sizeof ev.kind);
    h = hash_bytes(h, &ev.subject, sizeof ev.subject);
    h = hash_bytes(h, &ev.from, sizeof ev.from);
    h = hash_bytes(h, &ev.to, sizeof ev.to);
    h = hash_bytes(h, &ev.value, sizeof ev.value);
  }
  return h;
}

}  // namespace feidi::testing
