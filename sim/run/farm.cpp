// farm.cpp — the MPI run farm (Boost.MPI).
#include "run/farm.hpp"

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/serialization/string.hpp>
#include <boost/serialization/utility.hpp>
#include <boost/serialization/vector.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <limits>
#include <mutex>
#include <thread>

#include "engine/error.hpp"

namespace mpi = boost::mpi;

namespace feidi::sweep {

namespace {

enum Tag : int { kReady = 1, kResult = 2, kFailed = 3, kTask = 4 };

// A failed task: (task index, exit class 2 = input / 1 = internal, message).
struct Failure {
  std::size_t index = std::numeric_limits<std::size_t>::max();
  int code = 0;
  std::string message;
};

Failure failure_of(std::size_t i, std::exception_ptr e) {
  try {
    std::rethrow_exception(e);
  } catch (const InputError& x) {
    return {i, 2, x.what()};
  } catch (const std::exception& x) {
    return {i, 1, x.what()};
  } catch (...) {
    return {i, 1, "unknown failure"};
  }
}

}  // namespace

struct Farm::Impl {
  mpi::environment env{mpi::threading::funneled};
  mpi::communicator world;
};

Farm::Farm() : impl_(std::make_unique<Impl>()) {}
Farm::~Farm() = default;

int Farm::rank() const { return impl_->world.rank(); }
int Farm::size() const { return impl_->world.size(); }

bool Farm::all(bool ok) {
  if (size() == 1) return ok;
  return mpi::all_reduce(impl_->world, ok, std::logical_and<bool>());
}

std::vector<std::vector<double>> Farm::broadcast(const std::vector<std::vector<double>>& rows) {
  if (size() == 1) return rows;
  std::vector<std::vector<double>> out = rows;
  mpi::broadcast(impl_->world, out, 0);
  return out;
}

std::vector<std::vector<double>> Farm::run(std::size_t n, const Task& task, const OnDone& on_done) {
  auto& world = impl_->world;
  std::vector<std::vector<double>> results;
  Failure first;
  std::mutex fail_mu;
  const auto record = [&](const Failure& f) {
    std::lock_guard<std::mutex> lock(fail_mu);
    if (f.index < first.index) first = f;
  };

  if (world.rank() != 0) {
    // Worker: ask, compute, answer with the result (which asks for the next task).
    world.send(0, kReady, 0);
    for (;;) {
      std::int64_t i = -1;
      world.recv(0, kTask, i);
      if (i < 0) break;
      try {
        std::vector<double> r = task(static_cast<std::size_t>(i));
        world.send(0, kResult, std::make_pair(static_cast<std::uint64_t>(i), r));
      } catch (...) {
        const Failure f = failure_of(static_cast<std::size_t>(i), std::current_exception());
        world.send(0, kFailed, std::make_pair(static_cast<std::uint64_t>(i), std::make_pair(f.code, f.message)));
      }
    }
    return {};
  }

  results.assign(n, {});
  std::atomic<std::size_t> next{0}, done{0};
  std::atomic<bool> failed{false};
  // The master's own compute stream (the only one with a single rank).
  const auto compute = [&] {
    while (!failed.load()) {
      const std::size_t i = next.fetch_add(1);
      if (i >= n) break;
      try {
        results[i] = task(i);
        done.fetch_add(1);
      } catch (...) {
        Failure f = failure_of(i, std::current_exception());
        f.message = "run " + std::to_string(i) + ": " + f.message;
        record(f);
        failed.store(true);
      }
      if (world.size() == 1 && on_done) on_done(done.load(), n);
    }
  };
  if (world.size() == 1) {
    compute();
  } else {
    std::thread local(compute);
    int active = world.size() - 1;
    std::size_t reported = 0;
    const auto hand_out = [&](int dest) {
      const std::size_t i = failed.load() ? n : next.fetch_add(1);
      if (i < n) {
        world.send(dest, kTask, static_cast<std::int64_t>(i));
      } else {
        world.send(dest, kTask, std::int64_t{-1});
        --active;
      }
    };
    try {
      while (active > 0) {
        // Polls instead of blocking, so an idle master does not spin a core inside MPI.
        if (auto st = world.iprobe(mpi::any_source, mpi::any_tag)) {
          const int src = st->source();
          if (st->tag() == kReady) {
            int dummy = 0;
            world.recv(src, kReady, dummy);
          } else if (st->tag() == kResult) {
            std::pair<std::uint64_t, std::vector<double>> msg;
            world.recv(src, kResult, msg);
            if (msg.first < n) results[msg.first] = std::move(msg.second);
            done.fetch_add(1);
          } else if (st->tag() == kFailed) {
            std::pair<std::uint64_t, std::pair<int, std::string>> msg;
            world.recv(src, kFailed, msg);
            record({static_cast<std::size_t>(msg.first), msg.second.first,
                    "run " + std::to_string(msg.first) + " on rank " + std::to_string(src) + ": " + msg.second.second});
            failed.store(true);
          } else {
            throw InternalError("run farm: unexpected message tag " + std::to_string(st->tag()));
          }
          hand_out(src);
        } else {
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
        }
        if (on_done && done.load() != reported) on_done(reported = done.load(), n);
      }
    } catch (...) {
      failed.store(true);
      local.join();
      throw;
    }
    local.join();
    if (on_done && done.load() != reported) on_done(done.load(), n);
  }
  if (failed.load()) {
    if (first.code == 2) throw InputError(first.message);
    throw InternalError(first.message);
  }
  return results;
}

}  // namespace feidi::sweep
