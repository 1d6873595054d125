#include "trace/h5_file.hpp"

#include <hdf5_hl.h>

#include <algorithm>

#include "engine/error.hpp"

namespace feidi::h5 {

void Id::reset() {
  if (id_ < 0) return;
  switch (H5Iget_type(id_)) {
    case H5I_FILE: H5Fclose(id_); break;
    case H5I_GROUP: H5Gclose(id_); break;
    case H5I_DATASET: H5Dclose(id_); break;
    case H5I_DATASPACE: H5Sclose(id_); break;
    case H5I_DATATYPE: H5Tclose(id_); break;
    case H5I_ATTR: H5Aclose(id_); break;
    case H5I_GENPROP_LST: H5Pclose(id_); break;
    default: break;
  }
  id_ = H5I_INVALID_HID;
}

hid_t check(hid_t status, const char* what) {
  if (status < 0) throw InternalError(std::string("HDF5 failure: ") + what);
  return status;
}

void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

hid_t native(Type t) {
  switch (t) {
    case Type::kF64: return H5T_NATIVE_DOUBLE;
    case Type::kF32: return H5T_NATIVE_FLOAT;
    case Type::kI64: return H5T_NATIVE_INT64;
    case Type::kI32: return H5T_NATIVE_INT32;
    case Type::kI16: return H5T_NATIVE_INT16;
    case Type::kI8: return H5T_NATIVE_INT8;
    case Type::kString: break;
  }
  throw InternalError("no native type for strings");
}

namespace {
// File type: little-endian IEEE / two's complement, independent of the host.
hid_t file_type(Type t) {
  switch (t) {
    case Type::kF64: return H5T_IEEE_F64LE;
    case Type::kF32: return H5T_IEEE_F32LE;
    case Type::kI64: return H5T_STD_I64LE;
    case Type::kI32: return H5T_STD_I32LE;
    case Type::kI16: return H5T_STD_I16LE;
    case Type::kI8: return H5T_STD_I8LE;
    case Type::kString: break;
  }
  throw InternalError("no file type for strings");
}

Id utf8_vlen() {
  Id t(check(H5Tcopy(H5T_C_S1), "H5Tcopy"));
  check(H5Tset_size(t.get(), H5T_VARIABLE), "H5Tset_size");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "H5Tset_cset");
  return t;
}

void scalar_attr(hid_t obj, const char* name, hid_t ftype, hid_t mtype, const void* data) {
  if (H5Aexists(obj, name) > 0) check(H5Adelete(obj, name), name);
  Id space(check(H5Screate(H5S_SCALAR), "H5Screate"));
  Id a(check(H5Acreate2(obj, name, ftype, space.get(), H5P_DEFAULT, H5P_DEFAULT), name));
  check(H5Awrite(a.get(), mtype, data), name);
}

template <class T>
void array_attr(hid_t obj, const char* name, hid_t ftype, hid_t mtype, const std::vector<T>& v) {
  if (H5Aexists(obj, name) > 0) check(H5Adelete(obj, name), name);
  const hsize_t n = v.size();
  Id space(check(H5Screate_simple(1, &n, nullptr), "H5Screate_simple"));
  Id a(check(H5Acreate2(obj, name, ftype, space.get(), H5P_DEFAULT, H5P_DEFAULT), name));
  check(H5Awrite(a.get(), mtype, v.data()), name);
}
}  // namespace

void attr_string(hid_t obj, const char* name, const std::string& value) {
  Id t = utf8_vlen();
  const char* p = value.c_str();
  scalar_attr(obj, name, t.get(), t.get(), &p);
}

void attr_i64(hid_t obj, const char* name, std::int64_t value) {
  scalar_attr(obj, name, H5T_STD_I64LE, H5T_NATIVE_INT64, &value);
}

void attr_f64(hid_t obj, const char* name, double value) {
  scalar_attr(obj, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, &value);
}

void overwrite_attr_f64(hid_t obj, const char* name, double value) {
  Id a(check(H5Aopen(obj, name, H5P_DEFAULT), name));
  check(H5Awrite(a.get(), H5T_NATIVE_DOUBLE, &value), name);
}

void overwrite_attr_i64(hid_t obj, const char* name, std::int64_t value) {
  Id a(check(H5Aopen(obj, name, H5P_DEFAULT), name));
  check(H5Awrite(a.get(), H5T_NATIVE_INT64, &value), name);
}

void attr_i8_array(hid_t obj, const char* name, const std::vector<std::int8_t>& v) {
  array_attr(obj, name, H5T_STD_I8LE, H5T_NATIVE_INT8, v);
}

void attr_i16_array(hid_t obj, const char* name, const std::vector<std::int16_t>& v) {
  array_attr(obj, name, H5T_STD_I16LE, H5T_NATIVE_INT16, v);
}

Id fixed_dimension(hid_t group, const char* name, Type t, const void* data, std::size_t n) {
  const hsize_t dims = n;
  Id space(check(H5Screate_simple(1, &dims, nullptr), "H5Screate_simple"));
  Id d(check(H5Dcreate2(group, name, file_type(t), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), name));
  if (n > 0) check(H5Dwrite(d.get(), native(t), H5S_ALL, H5S_ALL, H5P_DEFAULT, data), name);
  check(H5DSset_scale(d.get(), name), name);
  return d;
}

Id unlimited_dimension(hid_t group, const char* name, Type t, std::size_t chunk) {
  Id d = variable(group, name, t, {}, {static_cast<hsize_t>(chunk)});
  check(H5DSset_scale(d.get(), name), name);
  return d;
}

Id variable(hid_t group, const char* name, Type t, const std::vector<hid_t>& dims,
            const std::vector<hsize_t>& chunk) {
  // dims empty: a 1-D unlimited dataset (used for unlimited dimension scales themselves).
  const int rank = dims.empty() ? 1 : static_cast<int>(dims.size());
  std::vector<hsize_t> cur(rank), max(rank);
  bool unlimited = false;
  if (dims.empty()) {
    cur[0] = 0;
    max[0] = H5S_UNLIMITED;
    unlimited = true;
  } else {
    for (int k = 0; k < rank; ++k) {
      Id sp(check(H5Dget_space(dims[k]), "H5Dget_space"));
      hsize_t dc = 0, dm = 0;
      check(H5Sget_simple_extent_dims(sp.get(), &dc, &dm), "extent");
      cur[k] = dm == H5S_UNLIMITED ? 0 : dc;
      max[k] = dm;
      if (dm == H5S_UNLIMITED) unlimited = true;
    }
  }
  Id space(check(H5Screate_simple(rank, cur.data(), max.data()), "H5Screate_simple"));
  Id dcpl(check(H5Pcreate(H5P_DATASET_CREATE), "H5Pcreate"));
  Id dapl(check(H5Pcreate(H5P_DATASET_ACCESS), "H5Pcreate"));
  if (unlimited) {
    std::vector<hsize_t> ch(rank);
    for (int k = 0; k < rank; ++k) ch[k] = k < static_cast<int>(chunk.size()) ? chunk[k] : std::max<hsize_t>(1, cur[k]);
    check(H5Pset_chunk(dcpl.get(), rank, ch.data()), "H5Pset_chunk");
    // Only the first dimension grows and append_rows writes whole rows, several to a chunk:
    // no element is read before it is written, so new chunks need no fill, and rows go
    // straight to the file (HDF5 otherwise fills each new chunk in memory, or stages it in
    // the chunk cache and rewrites it whole at every flush). Chunks of one row (the
    // snapshot's person columns) keep HDF5's defaults: measured no faster this way.
    bool whole_rows = rank == 1 || ch[0] > 1;
    for (int k = 1; k < rank; ++k) whole_rows = whole_rows && max[k] != H5S_UNLIMITED;
    if (whole_rows) {
      check(H5Pset_fill_time(dcpl.get(), H5D_FILL_TIME_NEVER), "H5Pset_fill_time");
      check(H5Pset_chunk_cache(dapl.get(), H5D_CHUNK_CACHE_NSLOTS_DEFAULT, 0, H5D_CHUNK_CACHE_W0_DEFAULT), "H5Pset_chunk_cache");
    }
  }
  Id d(check(H5Dcreate2(group, name, file_type(t), space.get(), H5P_DEFAULT, dcpl.get(), dapl.get()), name));
  for (int k = 0; k < static_cast<int>(dims.size()); ++k)
    check(H5DSattach_scale(d.get(), dims[k], static_cast<unsigned>(k)), name);
  return d;
}

namespace {
// A 1-D dataset of UTF-8 variable-length strings holding `values`.
Id string_dataset(hid_t group, const char* name, const std::vector<std::string>& values) {
  Id t = utf8_vlen();
  const hsize_t n = values.size();
  Id space(check(H5Screate_simple(1, &n, nullptr), "H5Screate_simple"));
  Id d(check(H5Dcreate2(group, name, t.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), name));
  std::vector<const char*> ptrs(values.size());
  for (std::size_t i = 0; i < values.size(); ++i) ptrs[i] = values[i].c_str();
  if (n > 0) check(H5Dwrite(d.get(), t.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), name);
  return d;
}
}  // namespace

Id string_dimension(hid_t group, const char* name, const std::vector<std::string>& labels) {
  Id d = string_dataset(group, name, labels);
  check(H5DSset_scale(d.get(), name), name);
  return d;
}

Id string_variable(hid_t group, const char* name, hid_t dim, const std::vector<std::string>& values) {
  Id d = string_dataset(group, name, values);
  check(H5DSattach_scale(d.get(), dim, 0), name);
  return d;
}

void write_all(hid_t dset, Type t, const void* data) {
  check(H5Dwrite(dset, native(t), H5S_ALL, H5S_ALL, H5P_DEFAULT, data), "H5Dwrite");
}

hsize_t extent0(hid_t dset) {
  Id sp(check(H5Dget_space(dset), "H5Dget_space"));
  hsize_t dims[8] = {};
  check(H5Sget_simple_extent_dims(sp.get(), dims, nullptr), "extent");
  return dims[0];
}

void append_rows(hid_t dset, Type t, hsize_t at, hsize_t rows, hsize_t row_elems, const void* data) {
  Id sp0(check(H5Dget_space(dset), "H5Dget_space"));
  const int rank = H5Sget_simple_extent_ndims(sp0.get());
  std::vector<hsize_t> dims(rank), start(rank, 0), count(rank);
  check(H5Sget_simple_extent_dims(sp0.get(), dims.data(), nullptr), "extent");
  dims[0] = at + rows;
  check(H5Dset_extent(dset, dims.data()), "H5Dset_extent");
  if (rows == 0) return;
  Id fs(check(H5Dget_space(dset), "H5Dget_space"));
  start[0] = at;
  count[0] = rows;
  for (int k = 1; k < rank; ++k) count[k] = dims[k];
  check(H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr), "select");
  // The memory space has the selection's shape: with a flat one, HDF5 maps several rows to
  // the chunks element by element (H5S_select_iterate), not by rows.
  hsize_t total = 1;
  for (hsize_t c : count) total *= c;
  FEIDI_ASSERT(total == rows * row_elems, "append_rows: the rows' length differs from the dataset's");
  Id ms(check(H5Screate_simple(rank, count.data(), nullptr), "H5Screate_simple"));
  check(H5Dwrite(dset, native(t), ms.get(), fs.get(), H5P_DEFAULT, data), "H5Dwrite");
}

}  // namespace feidi::h5
