// parallel.hpp — the one place that owns parallelism (TBB lives in parallel.cpp).
//
// Model code never sees TBB. It asks for a loop over [0, n) split into
// *fixed-size blocks*: the block boundaries depend only on n and the block
// size, never on the thread count, so a per-block partial result (a sum, a
// count, a list of intents) is the same whichever thread computed it. Callers
// combine block partials in block order, which makes every reduction
// bitwise reproducible for any number of threads.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>
#include <memory>
#include <type_traits>
#include <utility>

namespace feidi {

// A non-owning reference to a callable (like C++26 std::function_ref).
template <class Sig>
class FunctionRef;

template <class R, class... Args>
class FunctionRef<R(Args...)> {
 public:
  template <class F, class = std::enable_if_t<!std::is_same_v<std::decay_t<F>, FunctionRef>>>
  FunctionRef(F&& f)  // NOLINT(google-explicit-constructor)
      : obj_(const_cast<void*>(static_cast<const void*>(std::addressof(f)))),
        call_([](void* o, Args... a) -> R {
          return (*static_cast<std::remove_reference_t<F>*>(o))(std::forward<Args>(a)...);
        }) {}
  R operator()(Args... a) const { return call_(obj_, std::forward<Args>(a)...); }

 private:
  void* obj_;
  R (*call_)(void*, Args...);
};

// Limits the worker threads for its lifetime (0 = all hardware threads).
class ThreadScope {
 public:
  explicit ThreadScope(int threads);
  ~ThreadScope();
  ThreadScope(const ThreadScope&) = delete;
  ThreadScope& operator=(const ThreadScope&) = delete;
  // The number of threads in effect.
  int threads() const { return threads_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  int threads_;
};

// Number of fixed-size blocks covering [0, n).
constexpr std::size_t block_count(std::size_t n, std::size_t block) {
  return (n + block - 1) / block;
}

// Calls fn(block_index, begin, end) for every block of [0, n), in parallel.
// Blocks are [b*block, min(n, (b+1)*block)). fn must only write data owned by
// its block (or by the agents in it).
void parallel_blocks(std::size_t n, std::size_t block,
                     FunctionRef<void(std::size_t, std::size_t, std::size_t)> fn);

// Below this many light items (agents) a loop runs on the calling thread: it costs less
// than waking the worker threads (a small run's month is a few hundred microseconds).
inline constexpr std::size_t kMinParallelItems = 1 << 15;

// Calls fn(i) for every i in [0, n) in parallel; fn(i) may only write slot i. Items are
// grouped in blocks of kAgentBlock (light items: agents); fewer than kMinParallelItems run
// serially.
void parallel_for_each(std::size_t n, FunctionRef<void(std::size_t)> fn);

// Calls fn(i) for every i in [0, n), each a task of its own (a few heavy items: groups,
// ranges); serially when `parallel` is false (too little work to pay for the tasks).
void parallel_tasks(std::size_t n, FunctionRef<void(std::size_t)> fn, bool parallel = true);

// Sorts ascending in parallel (the result is the same for any thread count: equal
// integers are indistinguishable).
void parallel_sort(std::vector<std::uint32_t>& v);

// Default block size for agent loops: large enough to amortise scheduling,
// small enough to balance two to sixteen threads.
inline constexpr std::size_t kAgentBlock = 4096;

}  // namespace feidi
