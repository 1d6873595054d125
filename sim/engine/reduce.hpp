// reduce.hpp — fixed-order reductions over fixed-size blocks.
//
// Each block of a parallel loop writes its own row of partial sums; rows are
// then added in block order. The block layout depends only on the problem
// size, so the floating-point result is identical for any thread count.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <utility>
#include <vector>

#include "engine/parallel.hpp"

namespace feidi {

// A column of a row of partial sums: `length` consecutive entries (one per county, per
// enclave, ...) starting at `offset`. col[i] is the entry's index in the row.
struct SumColumn {
  std::size_t offset = 0, length = 0;
  std::size_t operator[](std::size_t i) const { return offset + i; }
};

// Named columns of a row, laid out in the order they are added:
//   SumLayout L; const auto jobs = L.add(n), demand = L.add(ne);
//   sums.reset(items, block, L.width()); ... row[jobs[c]] += w; ... tot[demand[e]]
class SumLayout {
 public:
  SumColumn add(std::size_t length) {
    const SumColumn c{width_, length};
    width_ += length;
    return c;
  }
  std::size_t width() const { return width_; }

 private:
  std::size_t width_ = 0;
};

// Rows of `width` partial sums, one row per block.
// Makes room for n elements in a buffer kept between steps, with as much again to spare:
// assign() and resize() would reallocate to the exact size at every new high-water mark,
// this only when the need passes the room (a buffer that creeps up allocates rarely).
template <class Vec>
void room_for(Vec& v, std::size_t n) {
  if (n > v.capacity()) v.reserve(2 * n);
}

// An allocator whose resize() leaves new elements uninitialised (for trivial types that are
// written before they are read): a buffer of slots sized per step without zeroing them.
template <class T>
struct NoInitAllocator : std::allocator<T> {
  using value_type = T;
  NoInitAllocator() noexcept = default;
  template <class U>
  NoInitAllocator(const NoInitAllocator<U>&) noexcept {}  // NOLINT(google-explicit-constructor)
  template <class U>
  struct rebind {
    using other = NoInitAllocator<U>;
  };
  template <class U>
  void construct(U* p) noexcept {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... A>
  void construct(U* p, A&&... a) {
    ::new (static_cast<void*>(p)) U(std::forward<A>(a)...);
  }
};

class BlockSums {
 public:
  // Prepares rows for n items in blocks of `block`; keeps capacity between steps (growing
  // to twice what is needed, so uses of a few sizes settle quickly).
  void reset(std::size_t n, std::size_t block, std::size_t width) {
    blocks_ = block_count(n, block);
    width_ = width;
    if (blocks_ * width_ > data_.capacity()) data_.reserve(2 * blocks_ * width_);
    data_.assign(blocks_ * width_, 0.0);
  }
  // Room for `values` row values (blocks × width) in later resets.
  void reserve(std::size_t values) { data_.reserve(values); }
  // The row of block b.
  double* row(std::size_t b) { return data_.data() + b * width_; }
  // Sums the rows in block order into out[0..width).
  void sum_into(double* out) const {
    for (std::size_t j = 0; j < width_; ++j) out[j] = 0.0;
    for (std::size_t b = 0; b < blocks_; ++b) {
      const double* r = data_.data() + b * width_;
      for (std::size_t j = 0; j < width_; ++j) out[j] += r[j];
    }
  }
  std::size_t width() const { return width_; }

 private:
  std::size_t blocks_ = 0, width_ = 0;
  std::vector<double> data_;
};

}  // namespace feidi
