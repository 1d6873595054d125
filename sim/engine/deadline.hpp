// deadline.hpp — a last resort against hangs while reading a damaged file: HDF5 can loop
// forever on some corrupted structures (a damaged global heap), where no error is returned to
// catch. A ReadDeadline arms a process alarm; if the reading has not finished when it rings,
// the process prints "error: FILE: damaged trace (reading it did not finish within N s)" and
// exits with code 2. FEIDI_READ_TIMEOUT_S overrides the seconds (tests use a short one).
#pragma once

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace feidi {

class ReadDeadline {
 public:
  ReadDeadline(const std::string& file, unsigned seconds) {
    if (const char* e = std::getenv("FEIDI_READ_TIMEOUT_S"); e && *e) seconds = static_cast<unsigned>(std::atoi(e));
    if (seconds == 0) return;
    std::snprintf(message(), kMessage, "error: %s: damaged trace (reading it did not finish within %u s)\n", file.c_str(),
                  seconds);
    struct sigaction sa {};
    sa.sa_handler = &ReadDeadline::ring;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGALRM, &sa, nullptr);
    alarm(seconds);
    armed_ = true;
  }
  ~ReadDeadline() {
    if (armed_) alarm(0);
  }
  ReadDeadline(const ReadDeadline&) = delete;
  ReadDeadline& operator=(const ReadDeadline&) = delete;

 private:
  static constexpr std::size_t kMessage = 1024;
  static char* message() {
    static char buf[kMessage];
    return buf;
  }
  static void ring(int) {
    const char* m = message();
    const ssize_t n = write(STDERR_FILENO, m, std::strlen(m));
    static_cast<void>(n);
    _exit(2);
  }
  bool armed_ = false;
};

}  // namespace feidi
