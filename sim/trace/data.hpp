// trace/data.hpp — a whole trace held in memory (series, statics, events,
// interventions): the headless data layer the viewer draws from.
//
// Three ways to fill it: load a trace file (replay), reload a trace that is
// still being written (follow; rows beyond steps_written are ignored), or build
// it from a Model and append StepRecords as an in-process run produces them
// (steering). The layout of every group is the record layout of trace_writer:
// series[var][t * width + i].
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/calendar.hpp"

namespace feidi {

struct Model;
class TraceReader;
struct StepRecord;

// The time series of one group (county: width 90; enclave: slots; province: 1).
struct SeriesTable {
  std::vector<std::string> names, units, long_names;
  std::vector<std::vector<double>> data;  // [var][t * width + i]
  std::size_t width = 0;

  // Index of a variable by name, or -1.
  int find(const std::string& name) const;
  double at(int var, int t, std::size_t i) const { return data[static_cast<std::size_t>(var)][static_cast<std::size_t>(t) * width + i]; }
};

struct EventRow {
  std::int32_t step;
  std::int8_t kind;
  std::int32_t subject;
  std::int32_t from, to;  // county indices, or -1
  double value;
};

struct InterventionRow {
  std::int32_t step;
  std::int16_t lever;
  double old_value, new_value;
};

struct TraceData {
  std::string path;             // "" for an in-process run
  std::string scenario, title;
  YearMonth start{2018, 1};
  int steps = 0;                // complete steps held
  int steps_total = 0;
  bool complete = false;
  std::string config;           // resolved TOML
  // counties
  std::vector<std::int32_t> county_code;
  std::vector<std::string> county_name, county_name_en, prefecture;
  std::vector<double> lon, lat;
  std::vector<std::uint8_t> accelerated, eco_function;
  // enclave slots
  std::vector<std::string> enclave_name, enclave_founded;
  std::vector<std::int32_t> enclave_source, enclave_host;  // county indices
  std::vector<std::uint8_t> enclave_kind, enclave_mode;
  std::vector<double> enclave_planned_mu;
  SeriesTable county, enclave, province;
  std::vector<EventRow> events;
  std::vector<InterventionRow> interventions;
  std::vector<std::string> event_kinds;  // names by kind value
  std::vector<std::string> levers;       // config keys by lever value
  std::vector<std::int32_t> checkpoint_steps;  // complete checkpoints (a fork can start at each)
  std::string parent_month;              // a resumed or branched run: the first month it simulated (a fork in the viewer: the month it leaves its parent)

  // The month of step t.
  YearMonth month(int t) const { return start.plus(t); }
  // Index of a county by code, or -1.
  int county_index(std::int32_t code) const;
};

// Loads a trace file (complete, growing or left by a killed run after h5clear -s): the steps
// every variable holds (a growing file may lag in one).
// Throws PathError when it cannot be read.
TraceData load_trace_data(const std::string& path);
// The same from a trace already open.
TraceData load_trace_data(const TraceReader& r);

// Where a reading of a growing trace stopped: steps held, and rows of the file's events and
// interventions groups read (they are in step order).
struct TracePosition {
  int steps = 0;
  std::size_t events = 0, interventions = 0;
};
TracePosition position(const TraceData& d);
// What reading a trace's new rows needs of a first reading: its path, step total, county
// codes, lever keys and the series' names and widths, without rows.
TraceData rows_layout(const TraceData& d);
// What a growing trace (open in `r`, first read by load_trace_data) added after `from`: a
// TraceData holding only the new rows of every series (its `steps`: how many), the new events
// and lever changes, and the file's step total, completion and checkpoints. Only the new rows
// are read. Throws PathError when the file has fewer steps than `from` (it was replaced) or
// is damaged.
TraceData read_rows_after(const TraceReader& r, const TraceData& statics, const TracePosition& from);
// Appends rows read by read_rows_after to the data they follow.
void append_rows(TraceData& d, TraceData&& rows);
// Keeps the first `steps` steps (series, events, interventions) and drops the rest: the
// history a run forked at that step shares with its parent.
void truncate_steps(TraceData& d, int steps);

// A hash of the steps held: every series value, event and lever change (equal data read
// whole or in parts give equal hashes).
std::uint64_t content_hash(const TraceData& d);

// Statics of an in-process run (no steps yet).
TraceData trace_data_for(const Model& m);
// Appends one step produced in process (same layout as the trace file).
void append_record(TraceData& d, const StepRecord& rec);

}  // namespace feidi
