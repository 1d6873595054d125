// h5_file.hpp — thin RAII wrappers over the HDF5 C API for the netCDF-4 style
// layout that xarray/h5netcdf read: dimension scales, plain numeric variables
// with `units`/`long_name`, UTF-8 string attributes, appends along time.
//
// Only io/ includes this header; it keeps <hdf5.h> out of everything else.
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <string>
#include <vector>

namespace feidi::h5 {

// Owns one HDF5 identifier and closes it with the right function.
class Id {
 public:
  Id() = default;
  explicit Id(hid_t id) : id_(id) {}
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  Id(Id&& o) noexcept : id_(o.id_) { o.id_ = H5I_INVALID_HID; }
  Id& operator=(Id&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = o.id_;
      o.id_ = H5I_INVALID_HID;
    }
    return *this;
  }
  ~Id() { reset(); }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset();

 private:
  hid_t id_ = H5I_INVALID_HID;
};

// Throws InternalError("<what>: <path>") when status < 0 (HDF5's own stack is silenced).
hid_t check(hid_t status, const char* what);
void silence_errors();

// Element types of variables.
enum class Type { kF64, kF32, kI64, kI32, kI16, kI8, kString };
hid_t native(Type t);

// Attributes (scalar), on any object.
void attr_string(hid_t obj, const char* name, const std::string& value);
void attr_i64(hid_t obj, const char* name, std::int64_t value);
void attr_f64(hid_t obj, const char* name, double value);
// Writes a new value into an existing scalar attribute (no new metadata; SWMR-safe).
void overwrite_attr_f64(hid_t obj, const char* name, double value);
void overwrite_attr_i64(hid_t obj, const char* name, std::int64_t value);
void attr_i8_array(hid_t obj, const char* name, const std::vector<std::int8_t>& values);
void attr_i16_array(hid_t obj, const char* name, const std::vector<std::int16_t>& values);

// A one-dimensional dimension scale with fixed values (county codes, enclave ids).
Id fixed_dimension(hid_t group, const char* name, Type t, const void* data, std::size_t n);
// An unlimited dimension scale (time, event) chunked by `chunk`.
Id unlimited_dimension(hid_t group, const char* name, Type t, std::size_t chunk);

// A variable over the given dimension scales (first may be unlimited, the rest fixed).
Id variable(hid_t group, const char* name, Type t, const std::vector<hid_t>& dims,
            const std::vector<hsize_t>& chunk);
// A fixed-length variable of UTF-8 strings over one dimension.
// A fixed-length dimension whose coordinate values are strings (e.g. config keys).
Id string_dimension(hid_t group, const char* name, const std::vector<std::string>& labels);
Id string_variable(hid_t group, const char* name, hid_t dim, const std::vector<std::string>& values);
// Writes a whole fixed-size variable.
void write_all(hid_t dset, Type t, const void* data);

// Appends `rows` rows (each `row_elems` elements) at row offset `at` along dim 0,
// extending the dataset to at + rows.
void append_rows(hid_t dset, Type t, hsize_t at, hsize_t rows, hsize_t row_elems, const void* data);

// Current extent of dimension 0.
hsize_t extent0(hid_t dset);

}  // namespace feidi::h5
