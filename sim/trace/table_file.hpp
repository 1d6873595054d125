// trace/table_file.hpp — small netCDF-4 style HDF5 tables for ensemble summaries and
// sensitivity results: named dimensions (dimension scales with 0..n-1 values),
// float64 / int64 / string variables over one or two of them, string attributes.
// Readable with xarray.open_dataset(path, engine="h5netcdf").
//
// Files are written atomically: a temporary file next to the target is renamed
// over it once complete, so a failed write never leaves a half file.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace feidi {

struct TableVar {
  enum class Kind { kF64, kI64, kString };
  TableVar(std::string n, std::vector<std::string> d, Kind k = Kind::kF64)
      : name(std::move(n)), dims(std::move(d)), kind(k) {}
  std::string name;
  std::vector<std::string> dims;  // one or two dimension names
  Kind kind = Kind::kF64;
  std::vector<double> f64;             // row-major over dims
  std::vector<std::int64_t> i64;
  std::vector<std::string> strings;    // 1-D only
  std::vector<std::pair<std::string, std::string>> attrs;  // units, long_name, flag_meanings, ...
  std::vector<std::pair<std::string, std::vector<std::int64_t>>> int_array_attrs;  // flag_values, ...
};

struct TableFile {
  std::vector<std::pair<std::string, std::size_t>> dims;  // name, length
  // Dimensions whose coordinate values are strings (default: 0 … n−1).
  std::vector<std::pair<std::string, std::vector<std::string>>> dim_labels;
  std::vector<TableVar> vars;
  std::vector<std::pair<std::string, std::string>> attrs;
  std::vector<std::pair<std::string, std::int64_t>> int_attrs;
  std::vector<std::pair<std::string, double>> float_attrs;
};

// Writes `f` to `path` (through path.tmp-PID, then rename); throws PathError when
// the folder cannot be written, InternalError on HDF5 failures.
void write_table_file(const std::string& path, const TableFile& f);

}  // namespace feidi
