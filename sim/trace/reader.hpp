// trace/reader.hpp — reads a Feidi trace back (for `feidi-sim info`, the run
// summary and the tests). Works on complete files and on files still being
// written (SWMR read) or left by a killed run (after `h5clear -s`).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/checkpoint.hpp"

namespace feidi {

// The hash version of a trace's /checkpoint/state_hash dataset (`state_hash`, an open
// HDF5 dataset id; `path` names the file in errors): its hash_version attribute, or
// kStateHashVersionUnrecorded when it has none. Throws PathError when the attribute is
// unreadable, not an integer or not a known version.
int state_hash_version(std::int64_t state_hash, const std::string& path);

class TraceReader {
 public:
  // Opens `path` read-only; throws PathError with a one-line reason.
  explicit TraceReader(const std::string& path);
  ~TraceReader();
  TraceReader(const TraceReader&) = delete;
  TraceReader& operator=(const TraceReader&) = delete;

  // Root attributes (nullopt when absent).
  std::optional<std::string> attr_string(const std::string& name) const;
  std::optional<std::int64_t> attr_int(const std::string& name) const;
  std::optional<double> attr_double(const std::string& name) const;

  // Steps completely written; throws PathError when the counter is not a non-negative
  // integer within the months stored (a damaged trace).
  std::int64_t steps_written() const;
  const std::string& path() const;
  // A time-varying variable of a group as doubles, rows [0, steps_written) × width (throws
  // PathError unless it is numeric of rank 1 or 2; the static readers likewise need rank 1).
  // With `first_row`: rows [first_row, steps_written) only (a followed trace read as it grows).
  std::vector<double> series(const std::string& group, const std::string& var, std::size_t& width,
                             std::size_t first_row = 0) const;
  // A static variable over one dimension, as doubles (numbers) or strings.
  // With `first`: elements [first, end) only (the events and lever changes a growing trace added).
  std::vector<double> static_numbers(const std::string& group, const std::string& var, std::size_t first = 0) const;
  std::vector<std::string> static_strings(const std::string& group, const std::string& var) const;
  // Size of a group's dimension (e.g. "events"/"event").
  std::int64_t dimension(const std::string& group, const std::string& dim) const;
  // A string attribute of a dataset (e.g. "flag_meanings"), nullopt when absent.
  std::optional<std::string> dataset_attr_string(const std::string& group, const std::string& var,
                                                 const std::string& attr) const;
  // Names of a group's datasets.
  std::vector<std::string> variables(const std::string& group) const;
  // The complete checkpoints (written before the last published step): steps done at each,
  // in file order; empty when the trace has none.
  std::vector<std::int32_t> checkpoint_steps() const;
  // The state image of checkpoint row `row` (throws PathError on a damaged checkpoint).
  StateImage read_checkpoint(std::size_t row) const;

 private:
  // `status`, or a PathError naming the file when an HDF5 read failed (a damaged trace, or
  // one this version did not write): the file's problem, not an internal error.
  std::int64_t ok(std::int64_t status, const char* what) const;
  // A string attribute of an object (file or dataset); fixed-length strings only when
  // `fixed_length_too`.
  std::optional<std::string> string_attr(std::int64_t owner, const std::string& name, bool fixed_length_too) const;
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace feidi
