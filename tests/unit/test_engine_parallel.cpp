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

TEST(Parallel, NamedColumnsOfABlockReduction) {
  // Two columns: counts per "county" (3) and a sum per "enclave" (2), over 10 000 items.
  SumLayout L;
  const SumColumn counts = L.add(3), sums_e = L.add(2);
  EXPECT_EQ(L.width(), 5u);
  EXPECT_EQ(counts[2], 2u);
  EXPECT_EQ(sums_e[0], 3u);
  EXPECT_EQ(sums_e.length, 2u);
  const std::size_t n = 10000;
  BlockSums bs;
  bs.reset(n, 256, L.width());
  parallel_blocks(n, 256, [&](std::size_t b, std::size_t begin, std::size_t end) {
    double* row = bs.row(b);
    for (std::size_t i = begin; i < end; ++i) {
      row[counts[i % 3]] += 1;
      row[sums_e[i % 2]] += static_cast<double>(i);
    }
  });
  std::vector<double> tot(L.width());
  bs.sum_into(tot.data());
  EXPECT_EQ(tot[counts[0]], 3334);  // 0, 3, ..., 9999
  EXPECT_EQ(tot[counts[1]] + tot[counts[2]], 6666);
  EXPECT_EQ(tot[sums_e[0]], 24995000.0);  // even i: 2 * (0 + ... + 4999)
  EXPECT_EQ(tot[sums_e[1]], 25000000.0);  // odd i
}
