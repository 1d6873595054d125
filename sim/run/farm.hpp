// farm.hpp — a run farm over MPI ranks with dynamic load balancing.
//
// Rank 0 is the master: it hands out task indices to workers that ask for work
// (a worker asks again with each result), and also computes tasks itself on a
// second thread, so N ranks are N compute streams. Results are stored by task
// index, so they never depend on the number of ranks or on who computed what.
// Without mpirun the process is a singleton MPI job of one rank and computes every
// task itself, in order.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace feidi::sweep {

class Farm {
 public:
  // Initialises MPI (once per process; the environment lives as long as the Farm).
  Farm();
  ~Farm();
  Farm(const Farm&) = delete;
  Farm& operator=(const Farm&) = delete;

  int rank() const;
  int size() const;
  bool master() const { return rank() == 0; }

  using Task = std::function<std::vector<double>(std::size_t)>;
  using OnDone = std::function<void(std::size_t done, std::size_t total)>;
  // Runs tasks 0..n-1 across the ranks; every rank must call it. Returns the results
  // on rank 0 (indexed by task) and an empty vector elsewhere. A task that throws
  // stops the hand-out; every rank then returns, and rank 0 rethrows the first
  // failure (InputError stays an InputError). on_done is called on rank 0 only.
  std::vector<std::vector<double>> run(std::size_t n, const Task& task, const OnDone& on_done = {});

  // A collective "all ranks agree" on a flag (logical and); used after input checks.
  bool all(bool ok);

  // A collective: every rank returns rank 0's rows (e.g. the sets a design depends on).
  std::vector<std::vector<double>> broadcast(const std::vector<std::vector<double>>& rows);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace feidi::sweep
