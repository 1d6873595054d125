// Tests for engine/rng: Philox known-answer vectors, stream independence, distributions.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "engine/rng.hpp"

namespace {
constexpr std::uint32_t kTestStream = 1000, kOtherStream = 1;
}  // namespace

using namespace feidi;

// Known-answer tests from Random123 (kat_vectors, philox4x32 10 rounds).
TEST(Philox, KnownAnswerZero) {
  const auto r = philox4x32_10({0, 0, 0, 0}, {0, 0});
  EXPECT_EQ(r[0], 0x6627e8d5u);
  EXPECT_EQ(r[1], 0xe169c58du);
  EXPECT_EQ(r[2], 0xbc57ac4cu);
  EXPECT_EQ(r[3], 0x9b00dbd8u);
}

TEST(Philox, KnownAnswerOnes) {
  const auto r = philox4x32_10({0xffffffffu, 0xffffffffu, 0xffffffffu, 0xffffffffu}, {0xffffffffu, 0xffffffffu});
  EXPECT_EQ(r[0], 0x408f276du);
  EXPECT_EQ(r[1], 0x41c83b0eu);
  EXPECT_EQ(r[2], 0xa20bc7c6u);
  EXPECT_EQ(r[3], 0x6d5451fdu);
}

TEST(Philox, KnownAnswerPi) {
  const auto r = philox4x32_10({0x243f6a88u, 0x85a308d3u, 0x13198a2eu, 0x03707344u}, {0xa4093822u, 0x299f31d0u});
  EXPECT_EQ(r[0], 0xd16cfe09u);
  EXPECT_EQ(r[1], 0x94fdccebu);
  EXPECT_EQ(r[2], 0x5001e420u);
  EXPECT_EQ(r[3], 0x24126ea1u);
}

TEST(Rng, SameKeySameStream) {
  Rng a(42, 3, 1000, kTestStream), b(42, 3, 1000, kTestStream);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(a.next_u32(), b.next_u32());
}

TEST(Rng, EveryKeyPartChangesTheStream) {
  const auto first = [](std::uint64_t seed, std::uint32_t step, std::uint32_t agent, std::uint32_t p) {
    Rng r(seed, step, agent, p);
    return r.next_u32();
  };
  std::set<std::uint32_t> seen{first(1, 0, 0, kTestStream), first(2, 0, 0, kTestStream),
                               first(1, 1, 0, kTestStream), first(1, 0, 1, kTestStream),
                               first(1, 0, 0, kOtherStream), first(1ull << 40, 0, 0, kTestStream)};
  EXPECT_EQ(seen.size(), 6u);
}

TEST(Rng, UniformMomentsAndRange) {
  Rng r(7, 0, 0, kTestStream);
  double sum = 0, sq = 0;
  const int n = 200000;
  for (int i = 0; i < n; ++i) {
    const double u = r.uniform();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    sum += u;
    sq += u * u;
  }
  EXPECT_NEAR(sum / n, 0.5, 0.005);
  EXPECT_NEAR(sq / n - (sum / n) * (sum / n), 1.0 / 12, 0.002);
}

TEST(Rng, NormalAndGumbelMoments) {
  Rng r(9, 0, 0, kTestStream);
  const int n = 200000;
  double s = 0, s2 = 0, g = 0;
  for (int i = 0; i < n; ++i) {
    const double z = r.normal();
    s += z;
    s2 += z * z;
    g += r.gumbel();
  }
  EXPECT_NEAR(s / n, 0.0, 0.01);
  EXPECT_NEAR(s2 / n, 1.0, 0.02);
  EXPECT_NEAR(g / n, 0.5772156649, 0.02);  // Euler–Mascheroni constant
}

TEST(Rng, BelowIsUniformOverRange) {
  Rng r(11, 0, 0, kTestStream);
  int counts[7] = {};
  for (int i = 0; i < 70000; ++i) ++counts[r.below(7)];
  for (int c : counts) EXPECT_NEAR(c, 10000, 500);
}

TEST(Rng, HazardToProbability) {
  EXPECT_NEAR(hazard_to_prob(1.0, 1.0), 1.0 - std::exp(-1.0), 1e-15);
  EXPECT_EQ(hazard_to_prob(0.0, 1.0), 0.0);
}
