// Tests for engine/parallel and engine/reduce: fixed blocks, order-independent sums.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "engine/parallel.hpp"
#include "engine/reduce.hpp"

using namespace feidi;

namespace {
double block_sum(int threads, const std::vector<double>& x) {
  ThreadScope scope(threads);
  BlockSums sums;
  sums.reset(x.size(), 1000, 1);
  parallel_blocks(x.size(), 1000, [&](std::size_t b, std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) sums.row(b)[0] += x[i];
  });
  double out = 0;
  sums.sum_into(&out);
  return out;
}
}  // namespace

TEST(Parallel, BlocksCoverRangeExactlyOnce) {
  for (int threads : {1, 2, 4}) {
    ThreadScope scope(threads);
    std::vector<int> hits(10007, 0);
    parallel_blocks(hits.size(), 64, [&](std::size_t, std::size_t b, std::size_t e) {
      for (std::size_t i = b; i < e; ++i) ++hits[i];
    });
    for (int h : hits) ASSERT_EQ(h, 1);
  }
}

TEST(Parallel, ReductionIsBitwiseIdenticalForAnyThreadCount) {
  std::vector<double> x(123457);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] = std::sin(static_cast<double>(i)) * 1e10 + 1.0 / (i + 1);
  const double one = block_sum(1, x);
  for (int t : {2, 3, 4, 8}) EXPECT_EQ(block_sum(t, x), one) << t << " threads";
}

TEST(Parallel, ThreadScopeReportsThreads) {
  ThreadScope s(3);
  EXPECT_EQ(s.threads(), 3);
  EXPECT_EQ(block_count(10, 3), 4u);
  EXPECT_EQ(block_count(0, 3), 0u);
}
