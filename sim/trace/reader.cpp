#include "trace/reader.hpp"

#include <hdf5.h>

#include <filesystem>

#include "engine/error.hpp"
#include "trace/h5_file.hpp"

namespace feidi {

using h5::Id;

namespace {
// Reads of metadata whose checksum fails are retried this many times under SWMR (HDF5's
// default is 100, with a growing sleep: a damaged file then hangs for many minutes). A
// live writer's half-flushed metadata settles within a few retries.
constexpr unsigned kMetadataReadAttempts = 20;
}  // namespace

struct TraceReader::Impl {
  Id file;
  std::string path;
};

TraceReader::TraceReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
  h5::silence_errors();
  impl_->path = path;
  if (!std::filesystem::exists(path)) throw PathError(path + ": no such trace file");
  if (H5Fis_hdf5(path.c_str()) <= 0) throw PathError(path + ": not an HDF5 file");
  Id fapl(h5::check(H5Pcreate(H5P_FILE_ACCESS), "H5Pcreate"));
  H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
  H5Pset_metadata_read_attempts(fapl.get(), kMetadataReadAttempts);
  hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, fapl.get());
  if (f < 0) f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (f < 0)
    throw PathError(path + ": cannot open the trace (if its writer was killed, run `h5clear -s " + path + "` first)");
  impl_->file = Id(f);
  const htri_t has_steps = H5Lexists(f, "steps_written", H5P_DEFAULT);
  if (has_steps < 0) throw PathError(path + ": damaged trace (its metadata cannot be read)");
  if (has_steps == 0) throw PathError(path + ": not a Feidi trace (no steps_written)");
}

TraceReader::~TraceReader() = default;

std::int64_t TraceReader::ok(std::int64_t status, const char* what) const {
  if (status < 0) throw PathError(impl_->path + ": damaged or unexpected trace: cannot read " + what);
  return status;
}

std::optional<std::string> TraceReader::attr_string(const std::string& name) const {
  return string_attr(impl_->file.get(), name, true);
}

std::optional<std::string> TraceReader::string_attr(std::int64_t owner, const std::string& name,
                                                    bool fixed_length_too) const {
  if (H5Aexists(owner, name.c_str()) <= 0) return std::nullopt;
  Id a(ok(H5Aopen(owner, name.c_str(), H5P_DEFAULT), name.c_str()));
  Id t(ok(H5Aget_type(a.get()), "H5Aget_type"));
  if (H5Tget_class(t.get()) != H5T_STRING) return std::nullopt;
  if (H5Tis_variable_str(t.get()) > 0) {
    char* p = nullptr;
    Id mt(ok(H5Tcopy(H5T_C_S1), "H5Tcopy"));
    H5Tset_size(mt.get(), H5T_VARIABLE);
    H5Tset_cset(mt.get(), H5T_CSET_UTF8);
    ok(H5Aread(a.get(), mt.get(), &p), name.c_str());
    std::string s = p ? p : "";
    H5free_memory(p);
    return s;
  }
  if (!fixed_length_too) return std::nullopt;
  const std::size_t n = H5Tget_size(t.get());
  std::string s(n, '\0');
  ok(H5Aread(a.get(), t.get(), s.data()), name.c_str());
  s.resize(s.find('\0') == std::string::npos ? n : s.find('\0'));
  return s;
}

std::optional<std::int64_t> TraceReader::attr_int(const std::string& name) const {
  const hid_t f = impl_->file.get();
  if (H5Aexists(f, name.c_str()) <= 0) return std::nullopt;
  Id a(ok(H5Aopen(f, name.c_str(), H5P_DEFAULT), name.c_str()));
  std::int64_t v = 0;
  ok(H5Aread(a.get(), H5T_NATIVE_INT64, &v), name.c_str());
  return v;
}

std::optional<double> TraceReader::attr_double(const std::string& name) const {
  const hid_t f = impl_->file.get();
  if (H5Aexists(f, name.c_str()) <= 0) return std::nullopt;
  Id a(ok(H5Aopen(f, name.c_str(), H5P_DEFAULT), name.c_str()));
  double v = 0;
  ok(H5Aread(a.get(), H5T_NATIVE_DOUBLE, &v), name.c_str());
  return v;
}

std::int64_t TraceReader::steps_written() const {
  const std::string& path = impl_->path;
  Id d(ok(H5Dopen2(impl_->file.get(), "steps_written", H5P_DEFAULT), "steps_written"));
  H5Drefresh(d.get());
  {
    Id t(ok(H5Dget_type(d.get()), "steps_written"));
    Id sp(ok(H5Dget_space(d.get()), "steps_written"));
    if (H5Tget_class(t.get()) != H5T_INTEGER || H5Sget_simple_extent_npoints(sp.get()) != 1)
      throw PathError(path + ": damaged trace: steps_written is not one integer");
  }
  std::int64_t v = 0;
  ok(H5Dread(d.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v), "steps_written");
  if (v < 0) throw PathError(path + ": damaged trace: steps_written is " + std::to_string(v));
  // The counter is published after the data: more steps than stored months is damage.
  for (const auto& [grp, g] : {std::pair{"/county", "/county/time"}, std::pair{"/province", "/province/time"}}) {
    if (H5Lexists(impl_->file.get(), grp, H5P_DEFAULT) <= 0 || H5Lexists(impl_->file.get(), g, H5P_DEFAULT) <= 0)
      throw PathError(path + ": damaged trace: no " + std::string(g));
    Id t(ok(H5Dopen2(impl_->file.get(), g, H5P_DEFAULT), g));
    H5Drefresh(t.get());
    const auto months = static_cast<std::int64_t>(h5::extent0(t.get()));
    if (v > months)
      throw PathError(path + ": damaged trace: steps_written is " + std::to_string(v) + " but " + g + " holds " +
                      std::to_string(months) + " months");
  }
  return v;
}

const std::string& TraceReader::path() const { return impl_->path; }

namespace {
Id open_dataset(hid_t file, const std::string& path, const std::string& group, const std::string& var) {
  const std::string p = "/" + group + "/" + var;
  if (H5Lexists(file, ("/" + group).c_str(), H5P_DEFAULT) <= 0 || H5Lexists(file, p.c_str(), H5P_DEFAULT) <= 0)
    throw PathError(path + ": trace has no dataset " + p);
  const hid_t id = H5Dopen2(file, p.c_str(), H5P_DEFAULT);
  if (id < 0) throw PathError(path + ": damaged or unexpected trace: cannot open " + p);
  Id d(id);
  H5Drefresh(d.get());
  return d;
}
}  // namespace

namespace {
// Throws unless `d` is numeric (integer or float) of rank `rank` (0: 1 or 2).
void require_numeric(hid_t d, const std::string& path, const std::string& name, int rank) {
  Id t(H5Dget_type(d));
  Id sp(H5Dget_space(d));
  const H5T_class_t cls = t.valid() ? H5Tget_class(t.get()) : H5T_NO_CLASS;
  const int r = sp.valid() ? H5Sget_simple_extent_ndims(sp.get()) : -1;
  if (cls != H5T_INTEGER && cls != H5T_FLOAT)
    throw PathError(path + ": damaged or unexpected trace: " + name + " is not numeric");
  if (rank > 0 ? r != rank : (r != 1 && r != 2))
    throw PathError(path + ": damaged or unexpected trace: " + name + " has " + std::to_string(r) + " dimensions, expected " +
                    (rank > 0 ? std::to_string(rank) : std::string("1 or 2")));
}
}  // namespace

std::vector<double> TraceReader::series(const std::string& group, const std::string& var, std::size_t& width,
                                        std::size_t first_row) const {
  Id d = open_dataset(impl_->file.get(), impl_->path, group, var);
  require_numeric(d.get(), impl_->path, "/" + group + "/" + var, 0);
  Id sp(ok(H5Dget_space(d.get()), "H5Dget_space"));
  const int rank = H5Sget_simple_extent_ndims(sp.get());
  hsize_t dims[2] = {0, 1};
  H5Sget_simple_extent_dims(sp.get(), dims, nullptr);
  width = rank > 1 ? dims[1] : 1;
  const hsize_t end = std::min<hsize_t>(dims[0], static_cast<hsize_t>(steps_written()));
  const hsize_t rows = end > first_row ? end - first_row : 0;
  std::vector<double> out(rows * width);
  if (rows == 0 || width == 0) return out;
  hsize_t start[2] = {first_row, 0}, count[2] = {rows, width};
  ok(H5Sselect_hyperslab(sp.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), "select");
  const hsize_t total = rows * width;
  Id ms(ok(H5Screate_simple(1, &total, nullptr), "H5Screate_simple"));
  ok(H5Dread(d.get(), H5T_NATIVE_DOUBLE, ms.get(), sp.get(), H5P_DEFAULT, out.data()), var.c_str());
  return out;
}

std::vector<double> TraceReader::static_numbers(const std::string& group, const std::string& var, std::size_t first) const {
  Id d = open_dataset(impl_->file.get(), impl_->path, group, var);
  require_numeric(d.get(), impl_->path, "/" + group + "/" + var, 1);
  const hsize_t n = h5::extent0(d.get());
  const hsize_t count = n > first ? n - first : 0;
  std::vector<double> out(count);
  if (count == 0) return out;
  Id sp(ok(H5Dget_space(d.get()), "H5Dget_space"));
  const hsize_t start = first;
  ok(H5Sselect_hyperslab(sp.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr), "select");
  Id ms(ok(H5Screate_simple(1, &count, nullptr), "H5Screate_simple"));
  ok(H5Dread(d.get(), H5T_NATIVE_DOUBLE, ms.get(), sp.get(), H5P_DEFAULT, out.data()), var.c_str());
  return out;
}

std::vector<std::string> TraceReader::static_strings(const std::string& group, const std::string& var) const {
  Id d = open_dataset(impl_->file.get(), impl_->path, group, var);
  {
    Id t(ok(H5Dget_type(d.get()), "H5Dget_type"));
    Id sp(ok(H5Dget_space(d.get()), "H5Dget_space"));
    if (H5Tget_class(t.get()) != H5T_STRING || H5Tis_variable_str(t.get()) <= 0 || H5Sget_simple_extent_ndims(sp.get()) != 1)
      throw PathError(impl_->path + ": damaged or unexpected trace: /" + group + "/" + var + " is not a list of strings");
  }
  const hsize_t n = h5::extent0(d.get());
  std::vector<char*> ptrs(n, nullptr);
  Id mt(ok(H5Tcopy(H5T_C_S1), "H5Tcopy"));
  H5Tset_size(mt.get(), H5T_VARIABLE);
  H5Tset_cset(mt.get(), H5T_CSET_UTF8);
  if (n) ok(H5Dread(d.get(), mt.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, ptrs.data()), var.c_str());
  std::vector<std::string> out(n);
  for (hsize_t i = 0; i < n; ++i) {
    out[i] = ptrs[i] ? ptrs[i] : "";
    H5free_memory(ptrs[i]);
  }
  return out;
}

std::int64_t TraceReader::dimension(const std::string& group, const std::string& dim) const {
  Id d = open_dataset(impl_->file.get(), impl_->path, group, dim);
  return static_cast<std::int64_t>(h5::extent0(d.get()));
}

std::optional<std::string> TraceReader::dataset_attr_string(const std::string& group, const std::string& var,
                                                            const std::string& attr) const {
  Id d = open_dataset(impl_->file.get(), impl_->path, group, var);
  return string_attr(d.get(), attr, false);
}

std::vector<std::string> TraceReader::variables(const std::string& group) const {
  std::vector<std::string> out;
  Id g(ok(H5Gopen2(impl_->file.get(), group.c_str(), H5P_DEFAULT), group.c_str()));
  H5G_info_t info{};
  H5Gget_info(g.get(), &info);
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    char name[256] = {};
    H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT);
    out.emplace_back(name);
  }
  return out;
}

std::vector<std::int32_t> TraceReader::checkpoint_steps() const {
  std::vector<std::int32_t> out;
  const hid_t f = impl_->file.get();
  if (H5Lexists(f, "/checkpoint", H5P_DEFAULT) <= 0 || H5Lexists(f, "/checkpoint/checkpoint", H5P_DEFAULT) <= 0)
    return out;
  Id d = open_dataset(f, impl_->path, "checkpoint", "checkpoint");
  require_numeric(d.get(), impl_->path, "/checkpoint/checkpoint", 1);
  const hsize_t n = h5::extent0(d.get());
  out.resize(n);
  if (n) ok(H5Dread(d.get(), H5T_NATIVE_INT32, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), "/checkpoint/checkpoint");
  // A checkpoint is complete once the step counter, published after its data, covers it.
  const std::int64_t steps = steps_written();
  std::size_t k = 0;
  while (k < out.size() && out[k] <= steps && (k == 0 || out[k] > out[k - 1])) ++k;
  out.resize(k);
  return out;
}

int state_hash_version(std::int64_t state_hash, const std::string& path) {
  const auto ok = [&](std::int64_t status, const char* what) {
    if (status < 0) throw PathError(path + ": damaged or unexpected trace: cannot read " + what);
    return status;
  };
  std::int64_t version = kStateHashVersionUnrecorded;
  if (H5Aexists(state_hash, "hash_version") > 0) {
    Id a(ok(H5Aopen(state_hash, "hash_version", H5P_DEFAULT), "hash_version"));
    Id at(ok(H5Aget_type(a.get()), "H5Aget_type"));
    if (H5Tget_class(at.get()) != H5T_INTEGER) throw PathError(path + ": /checkpoint/state_hash has a hash_version that is not an integer");
    ok(H5Aread(a.get(), H5T_NATIVE_INT64, &version), "hash_version");
  }
  if (!known_state_hash_version(version))
    throw PathError(path + ": /checkpoint/state_hash has an unknown hash_version " + std::to_string(version));
  return static_cast<int>(version);
}

StateImage TraceReader::read_checkpoint(std::size_t row) const {
  const hid_t f = impl_->file.get();
  const auto steps = checkpoint_steps();
  if (row >= steps.size()) throw PathError(impl_->path + ": no complete checkpoint " + std::to_string(row));
  StateImage img;
  img.step = steps[row];
  const auto names = static_strings("checkpoint", "column");
  Id len = open_dataset(f, impl_->path, "checkpoint", "length");
  std::vector<std::int64_t> lengths(names.size());
  {
    Id sp(ok(H5Dget_space(len.get()), "H5Dget_space"));
    hsize_t dims[2] = {0, 0};
    if (H5Sget_simple_extent_ndims(sp.get()) != 2) throw PathError(impl_->path + ": /checkpoint/length is not 2-D");
    H5Sget_simple_extent_dims(sp.get(), dims, nullptr);
    if (dims[0] <= row || dims[1] != names.size())
      throw PathError(impl_->path + ": /checkpoint/length does not match the checkpoint's columns");
    const hsize_t start[2] = {row, 0}, count[2] = {1, names.size()};
    ok(H5Sselect_hyperslab(sp.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), "select");
    const hsize_t total = names.size();
    Id ms(ok(H5Screate_simple(1, &total, nullptr), "H5Screate_simple"));
    if (total) ok(H5Dread(len.get(), H5T_NATIVE_INT64, ms.get(), sp.get(), H5P_DEFAULT, lengths.data()), "/checkpoint/length");
  }
  for (std::size_t k = 0; k < names.size(); ++k) {
    Id d = open_dataset(f, impl_->path, "checkpoint", names[k]);
    Id ft(ok(H5Dget_type(d.get()), "H5Dget_type"));
    const bool is_float = H5Tget_class(ft.get()) == H5T_FLOAT;
    const bool is_signed = !is_float && H5Tget_sign(ft.get()) == H5T_SGN_2;
    const std::size_t size = H5Tget_size(ft.get());
    StateColumn c;
    c.name = names[k];
    if (is_float) c.type = size == 4 ? ColumnType::kF32 : ColumnType::kF64;
    else if (size == 1) c.type = is_signed ? ColumnType::kI8 : ColumnType::kU8;
    else if (size == 2) c.type = is_signed ? ColumnType::kI16 : ColumnType::kU16;
    else if (size == 4) c.type = is_signed ? ColumnType::kI32 : ColumnType::kU32;
    else c.type = is_signed ? ColumnType::kI64 : ColumnType::kU64;
    Id mt(ok(H5Tget_native_type(ft.get(), H5T_DIR_ASCEND), "H5Tget_native_type"));
    if (H5Tget_size(mt.get()) != column_type_size(c.type))
      throw PathError(impl_->path + ": /checkpoint/" + names[k] + " has an unexpected type");
    Id sp(ok(H5Dget_space(d.get()), "H5Dget_space"));
    hsize_t dims[2] = {0, 0};
    if (H5Sget_simple_extent_ndims(sp.get()) != 2) throw PathError(impl_->path + ": /checkpoint/" + names[k] + " is not 2-D");
    H5Sget_simple_extent_dims(sp.get(), dims, nullptr);
    if (lengths[k] < 0 || dims[0] <= row || static_cast<hsize_t>(lengths[k]) > dims[1])
      throw PathError(impl_->path + ": /checkpoint/" + names[k] + " is shorter than its recorded length");
    c.n = static_cast<std::size_t>(lengths[k]);
    c.bytes.resize(c.n * column_type_size(c.type));
    if (c.n) {
      const hsize_t start[2] = {row, 0}, count[2] = {1, c.n};
      ok(H5Sselect_hyperslab(sp.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), "select");
      const hsize_t total = c.n;
      Id ms(ok(H5Screate_simple(1, &total, nullptr), "H5Screate_simple"));
      ok(H5Dread(d.get(), mt.get(), ms.get(), sp.get(), H5P_DEFAULT, c.bytes.data()), names[k].c_str());
    }
    img.columns.push_back(std::move(c));
  }
  // The stored hash guards against a checkpoint damaged after it was written.
  Id h = open_dataset(f, impl_->path, "checkpoint", "state_hash");
  if (h5::extent0(h.get()) > row) {
    const int version = state_hash_version(h.get(), impl_->path);
    std::int64_t stored = 0;
    Id sp(ok(H5Dget_space(h.get()), "H5Dget_space"));
    const hsize_t start = row, count = 1;
    ok(H5Sselect_hyperslab(sp.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr), "select");
    Id ms(ok(H5Screate_simple(1, &count, nullptr), "H5Screate_simple"));
    ok(H5Dread(h.get(), H5T_NATIVE_INT64, ms.get(), sp.get(), H5P_DEFAULT, &stored), "/checkpoint/state_hash");
    if (static_cast<std::uint64_t>(stored) != image_hash(img, version))
      throw PathError(impl_->path + ": checkpoint at step " + std::to_string(img.step) +
                      " is damaged (its state hash does not match its data)");
  }
  return img;
}

}  // namespace feidi
