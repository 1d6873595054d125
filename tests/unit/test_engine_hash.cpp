// Tests for engine/hash: both hashes see every byte, and the state hash's wide form is pinned.
#include <gtest/gtest.h>

#include <cstdint>
#include <algorithm>
#include <vector>

#include "engine/hash.hpp"

using namespace feidi;

namespace {
std::vector<unsigned char> pattern(std::size_t n) {
  std::vector<unsigned char> v(n);
  for (std::size_t i = 0; i < n; ++i) v[i] = static_cast<unsigned char>(i * 37 + 11);
  return v;
}
}  // namespace

// A change of any byte (in a lane, a later block, or the bytes left after the blocks) changes
// the hash, for lengths around the 64-byte block.
TEST(Hash, EveryByteCounts) {
  for (std::size_t n : {1u, 7u, 8u, 63u, 64u, 65u, 130u, 200u}) {
    const auto v = pattern(n);
    const std::uint64_t wide = hash_bytes_wide(kHashSeed, v.data(), n), narrow = hash_bytes(kHashSeed, v.data(), n);
    for (std::size_t i = 0; i < n; ++i) {
      auto w = v;
      w[i] ^= 0x40;
      EXPECT_NE(hash_bytes_wide(kHashSeed, w.data(), n), wide) << "n " << n << " byte " << i;
      EXPECT_NE(hash_bytes(kHashSeed, w.data(), n), narrow) << "n " << n << " byte " << i;
    }
  }
}

// Words trading places between lanes, or blocks trading places, change the wide hash.
TEST(Hash, WideHashSeesOrder) {
  auto v = pattern(256);
  const std::uint64_t h = hash_bytes_wide(kHashSeed, v.data(), v.size());
  auto lanes = v;
  std::swap_ranges(lanes.begin(), lanes.begin() + 8, lanes.begin() + 8);
  EXPECT_NE(hash_bytes_wide(kHashSeed, lanes.data(), lanes.size()), h);
  auto blocks = v;
  std::swap_ranges(blocks.begin(), blocks.begin() + 64, blocks.begin() + 64);
  EXPECT_NE(hash_bytes_wide(kHashSeed, blocks.data(), blocks.size()), h);
  EXPECT_NE(hash_bytes_wide(kHashSeed + 1, v.data(), v.size()), h);
}

// The definitions are pinned (stored state hashes depend on them): a change here is a change
// of the checkpoint format and needs a new hash_version.
TEST(Hash, KnownValues) {
  const auto v = pattern(1000);
  EXPECT_EQ(hash_bytes(kHashSeed, v.data(), v.size()), 0x98a0b6e356423949ull) << std::hex << hash_bytes(kHashSeed, v.data(), v.size());
  EXPECT_EQ(hash_bytes_wide(kHashSeed, v.data(), v.size()), 0x4db128224084ebe5ull)
      << std::hex << hash_bytes_wide(kHashSeed, v.data(), v.size());
}
