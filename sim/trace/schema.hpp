// trace/schema.hpp — the names, units and meanings of everything in a Feidi
// trace, shared by the writer, the reader and the schema document
// (`feidi-sim schema-doc` → sim/docs/trace_schema.md).
//
// Layout (netCDF-4 / CF-1.8 style, readable with xarray + h5netcdf):
//   /                root attributes (config, seed, versions, run_* metadata), steps_written
//   /county          dims (time, county); per-county static variables over (county)
//   /enclave         dims (time, enclave); per-slot static variables over (enclave)
//   /province        dims (time)
//   /events          dims (event)
//   /interventions   dims (intervention)
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.hpp"

namespace feidi {

inline constexpr const char* kSchemaVersion = "1.1";

// Storage type of a trace variable.
enum class VarType : std::uint8_t { kF64, kI32, kI8 };

// A time-varying variable of a group, with the function that reads it from the state.
struct TraceVar {
  const char* name;
  const char* units;
  const char* long_name;
  VarType type;
  // Value for index i (county, enclave; ignored for province) after a step.
  double (*get)(const Model& m, const State& s, std::size_t i);
  const char* flag_meanings = nullptr;  // for categorical integers: "a b c" for values 0, 1, 2
};

const std::vector<TraceVar>& county_vars();
const std::vector<TraceVar>& enclave_vars();
const std::vector<TraceVar>& province_vars();

// Space-separated event kind keys for flag_meanings (value = EventKind).
std::string event_flag_meanings();
// Space-separated lever keys for the interventions group (value = lever index).
std::string lever_flag_meanings();
// Keys of the config entries that are policy levers, in lever-index order.
std::vector<std::string> lever_keys();

// Root attribute names that describe one particular execution (may differ between
// two runs of the same config and seed); determinism checks ignore them.
const std::vector<std::string>& run_metadata_attributes();

// The Markdown schema document.
std::string trace_schema_markdown();

}  // namespace feidi
