#include "trace/direct_io.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <type_traits>
#include <unordered_map>

#include "trace/h5_file.hpp"

namespace feidi::h5 {
namespace {

// HDF5's sec2 driver (its table of functions), and ours: a copy with `write` and `close`
// wrapped.
H5FD_class_t g_sec2;
H5FD_class_t g_class;
hid_t g_driver = H5I_INVALID_HID;
bool g_enabled = true;
std::atomic<std::size_t> g_direct_bytes{0};

// The O_DIRECT descriptor of each open file (-1 once the file system has refused direct I/O).
std::mutex g_mutex;
std::unordered_map<const H5FD_t*, int> g_fds;

int direct_fd(H5FD_t* file) {
  std::lock_guard lk(g_mutex);
  if (auto it = g_fds.find(file); it != g_fds.end()) return it->second;
  int fd = -1;
  void* handle = nullptr;
  if (g_sec2.get_handle(file, H5P_DEFAULT, &handle) >= 0 && handle != nullptr) {
    // A second open file description of the same file (whatever it has been renamed to).
    const std::string self = "/proc/self/fd/" + std::to_string(*static_cast<int*>(handle));
    fd = ::open(self.c_str(), O_WRONLY | O_DIRECT | O_CLOEXEC);
  }
  g_fds.emplace(file, fd);
  return fd;
}

void refuse_direct(const H5FD_t* file) {
  std::lock_guard lk(g_mutex);
  auto it = g_fds.find(file);
  if (it == g_fds.end() || it->second < 0) return;
  ::close(it->second);
  it->second = -1;
}

herr_t write(H5FD_t* file, H5FD_mem_t type, hid_t dxpl, haddr_t addr, size_t size, const void* buf) {
  const auto* bytes = static_cast<const unsigned char*>(buf);
  std::size_t done = 0;
  if (g_enabled && type == H5FD_MEM_DRAW && size >= kDirectMinBytes && addr % kDirectAlign == 0 &&
      reinterpret_cast<std::uintptr_t>(buf) % kDirectAlign == 0) {
    // Whole pages but the last go direct; the last page (whole or not) goes through sec2,
    // which so keeps its end of file.
    const std::size_t head = (size - 1) / kDirectAlign * kDirectAlign;
    const int fd = direct_fd(file);
    while (fd >= 0 && done < head) {
      const ssize_t w = ::pwrite(fd, bytes + done, head - done, static_cast<off_t>(addr + done));
      if (w < 0 && errno == EINTR) continue;
      if (w < 0 && errno == EINVAL) refuse_direct(file);  // not for this file system
      // Anything else (a full disk, a short write) leaves the rest to the buffered write,
      // which fails the same way and reports it through HDF5.
      if (w <= 0 || static_cast<std::size_t>(w) % kDirectAlign != 0) {
        if (w > 0) done += static_cast<std::size_t>(w);
        break;
      }
      done += static_cast<std::size_t>(w);
    }
    g_direct_bytes.fetch_add(done, std::memory_order_relaxed);
  }
  return g_sec2.write(file, type, dxpl, addr + done, size - done, bytes + done);
}

herr_t close(H5FD_t* file) {
  {
    std::lock_guard lk(g_mutex);
    if (auto it = g_fds.find(file); it != g_fds.end()) {
      if (it->second >= 0) ::close(it->second);
      g_fds.erase(it);
    }
  }
  return g_sec2.close(file);
}

hid_t driver() {
  static std::once_flag once;
  std::call_once(once, [] {
    const char* env = std::getenv("FEIDI_DIRECT_IO");
    g_enabled = env == nullptr || std::strcmp(env, "0") != 0;
    // sec2's table, from a file it opens (the public API has no other way to it).
    Id fapl(H5Pcreate(H5P_FILE_ACCESS));
    if (!fapl.valid() || H5Pset_fapl_sec2(fapl.get()) < 0) return;
    H5FD_t* probe = H5FDopen("/dev/null", H5F_ACC_RDONLY, fapl.get(), HADDR_UNDEF);
    if (probe == nullptr) return;
    g_sec2 = *probe->cls;
    H5FDclose(probe);
    g_class = g_sec2;
    g_class.name = "feidi_sec2_direct";
    g_class.terminate = nullptr;  // sec2's would reset sec2's own registration
    g_class.write = write;
    g_class.close = close;
    g_driver = H5FDregister(&g_class);
  });
  return g_driver;
}

}  // namespace

static_assert(std::is_same_v<hid_t, std::int64_t>);

void use_direct_writes(std::int64_t fapl) {
  const hid_t d = driver();
  if (d < 0) return;  // sec2 as it is
  check(H5Pset_driver(fapl, d, nullptr), "H5Pset_driver");
  check(H5Pset_alignment(fapl, kDirectMinBytes, kDirectAlign), "H5Pset_alignment");
}

std::size_t direct_bytes_written() { return g_direct_bytes.load(std::memory_order_relaxed); }

}  // namespace feidi::h5
