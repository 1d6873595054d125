#include "engine/parallel.hpp"

#include <algorithm>

#include <tbb/blocked_range.h>
#include <tbb/global_control.h>
#include <tbb/info.h>
#include <tbb/parallel_for.h>
#include <tbb/parallel_sort.h>

namespace feidi {

struct ThreadScope::Impl {
  tbb::global_control control;
  explicit Impl(int n) : control(tbb::global_control::max_allowed_parallelism, n) {}
};

ThreadScope::ThreadScope(int threads) {
  const int hw = tbb::info::default_concurrency();
  threads_ = threads <= 0 ? hw : threads;
  impl_ = std::make_unique<Impl>(threads_);
}

ThreadScope::~ThreadScope() = default;

void parallel_blocks(std::size_t n, std::size_t block,
                     FunctionRef<void(std::size_t, std::size_t, std::size_t)> fn) {
  if (n == 0) return;
  const std::size_t nb = block_count(n, block);
  if (nb == 1) {
    fn(0, 0, n);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, nb, 1),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t b = r.begin(); b != r.end(); ++b) {
                        const std::size_t begin = b * block;
                        const std::size_t end = begin + block < n ? begin + block : n;
                        fn(b, begin, end);
                      }
                    });
}

void parallel_for_each(std::size_t n, FunctionRef<void(std::size_t)> fn) {
  if (n < kMinParallelItems) {  // less work than waking the workers costs
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  parallel_blocks(n, kAgentBlock, [&](std::size_t, std::size_t b, std::size_t e) {
    for (std::size_t i = b; i < e; ++i) fn(i);
  });
}

void parallel_tasks(std::size_t n, FunctionRef<void(std::size_t)> fn, bool parallel) {
  if (!parallel || n <= 1) {
    for (std::size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) fn(i);
  });
}

void parallel_sort(std::vector<std::uint32_t>& v) {
  if (v.size() < kMinParallelItems) std::sort(v.begin(), v.end());
  else tbb::parallel_sort(v.begin(), v.end());
}

}  // namespace feidi
