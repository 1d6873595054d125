// trace/table_file.cpp — atomic netCDF-4 style tables (ensemble summaries, sensitivity).
#include "trace/table_file.hpp"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "engine/error.hpp"
#include "trace/h5_file.hpp"

namespace fs = std::filesystem;

namespace feidi {

namespace {

using h5::Id;

void int64_array_attr(hid_t obj, const char* name, const std::vector<std::int64_t>& v) {
  const hsize_t n = v.size();
  Id space(h5::check(H5Screate_simple(1, &n, nullptr), "H5Screate_simple"));
  Id a(h5::check(H5Acreate2(obj, name, H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT), name));
  h5::check(H5Awrite(a.get(), H5T_NATIVE_INT64, v.data()), name);
}

void write_file(const std::string& path, const TableFile& f) {
  h5::silence_errors();
  // No object timestamps: the same table gives the same bytes.
  Id fcpl(h5::check(H5Pcreate(H5P_FILE_CREATE), "H5Pcreate"));
  const hid_t fid = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, fcpl.get(), H5P_DEFAULT);
  if (fid < 0) throw PathError(path + ": cannot create the file (check the folder exists and is writable)");
  Id file(fid);
  const hid_t root = file.get();
  std::map<std::string, Id> dims;
  std::map<std::string, std::size_t> lens;
  for (const auto& [name, n] : f.dims) {
    const auto labels = std::find_if(f.dim_labels.begin(), f.dim_labels.end(),
                                     [&](const auto& l) { return l.first == name; });
    if (labels != f.dim_labels.end()) {
      if (labels->second.size() != n) throw InternalError("dimension " + name + ": wrong number of labels");
      dims[name] = h5::string_dimension(root, name.c_str(), labels->second);
    } else {
      std::vector<std::int64_t> idx(n);
      for (std::size_t i = 0; i < n; ++i) idx[i] = static_cast<std::int64_t>(i);
      dims[name] = h5::fixed_dimension(root, name.c_str(), h5::Type::kI64, idx.data(), n);
    }
    lens[name] = n;
  }
  for (const auto& v : f.vars) {
    std::vector<hid_t> ids;
    std::size_t elems = 1;
    for (const auto& d : v.dims) {
      const auto it = dims.find(d);
      if (it == dims.end()) throw InternalError("table variable " + v.name + ": unknown dimension " + d);
      ids.push_back(it->second.get());
      elems *= lens[d];
    }
    Id ds;
    if (v.kind == TableVar::Kind::kString) {
      if (ids.size() != 1 || v.strings.size() != elems) throw InternalError("table variable " + v.name + ": bad string shape");
      ds = h5::string_variable(root, v.name.c_str(), ids[0], v.strings);
    } else {
      const bool f64 = v.kind == TableVar::Kind::kF64;
      if ((f64 ? v.f64.size() : v.i64.size()) != elems) throw InternalError("table variable " + v.name + ": wrong size");
      ds = h5::variable(root, v.name.c_str(), f64 ? h5::Type::kF64 : h5::Type::kI64, ids, {});
      if (elems > 0) h5::write_all(ds.get(), f64 ? h5::Type::kF64 : h5::Type::kI64, f64 ? static_cast<const void*>(v.f64.data())
                                                                                       : static_cast<const void*>(v.i64.data()));
    }
    for (const auto& [k, val] : v.attrs) h5::attr_string(ds.get(), k.c_str(), val);
    for (const auto& [k, val] : v.int_array_attrs) int64_array_attr(ds.get(), k.c_str(), val);
  }
  for (const auto& [k, v] : f.attrs) h5::attr_string(root, k.c_str(), v);
  for (const auto& [k, v] : f.int_attrs) h5::attr_i64(root, k.c_str(), v);
  for (const auto& [k, v] : f.float_attrs) h5::attr_f64(root, k.c_str(), v);
  h5::check(H5Fflush(root, H5F_SCOPE_GLOBAL), "H5Fflush");
}

}  // namespace

void write_table_file(const std::string& path, const TableFile& f) {
  const fs::path target(path);
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  const fs::path tmp = dir / ("." + target.filename().string() + ".tmp-" + std::to_string(::getpid()));
  try {
    write_file(tmp.string(), f);
    fs::rename(tmp, target);
  } catch (...) {
    std::error_code ec;
    fs::remove(tmp, ec);
    throw;
  }
}

}  // namespace feidi
