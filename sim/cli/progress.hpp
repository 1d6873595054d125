// progress.hpp — a one-line progress display (step or run, date or label,
// rate, ETA) that appears only when stderr is a terminal.
#pragma once

#include <chrono>
#include <string>

namespace feidi {

class Progress {
 public:
  // total: number of steps (or `unit`s); enabled only if stderr is a terminal and !quiet.
  Progress(int total, bool quiet, const char* unit = "step");
  // Reports that `done` steps are finished and the last simulated month (or a label).
  void update(int done, const std::string& month);
  // Erases the line.
  void finish();
  bool enabled() const { return enabled_; }

 private:
  int total_;
  bool enabled_;
  const char* unit_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace feidi
