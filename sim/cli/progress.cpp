#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>
#include <string_view>

namespace feidi {

Progress::Progress(int total, bool quiet, const char* unit)
    : total_(total), enabled_(!quiet && isatty(STDERR_FILENO)), unit_(unit), start_(std::chrono::steady_clock::now()), last_() {}

void Progress::update(int done, const std::string& month) {
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_ < std::chrono::milliseconds(200)) return;
  last_ = now;
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const double rate = elapsed > 0 ? done / elapsed : 0.0;
  const double eta = rate > 0 ? (total_ - done) / rate : 0.0;
  std::fprintf(stderr, "\r\033[K  %s %d/%d  %s  %.*f %ss/s  ETA %.0f s", unit_, done, total_, month.c_str(), rate < 10 && std::string_view(unit_) != "step" ? 2 : 1,
               rate, unit_, eta);
  std::fflush(stderr);
}

void Progress::finish() {
  if (!enabled_) return;
  std::fprintf(stderr, "\r\033[K");
  std::fflush(stderr);
}

}  // namespace feidi
