// progress.hpp — a one-line progress display (step, date, steps/s, ETA) that
// appears only when stderr is a terminal.
#pragma once

#include <chrono>
#include <string>

namespace feidi {

class Progress {
 public:
  // total: number of steps; enabled only if stderr is a terminal and !quiet.
  Progress(int total, bool quiet);
  // Reports that `done` steps are finished and the last simulated month.
  void update(int done, const std::string& month);
  // Erases the line.
  void finish();
  bool enabled() const { return enabled_; }

 private:
  int total_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace feidi
