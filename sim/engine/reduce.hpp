// reduce.hpp — fixed-order reductions over fixed-size blocks.
//
// Each block of a parallel loop writes its own row of partial sums; rows are
// then added in block order. The block layout depends only on the problem
// size, so the floating-point result is identical for any thread count.
#pragma once

#include <cstddef>
#include <vector>

#include "engine/parallel.hpp"

namespace feidi {

// Rows of `width` partial sums, one row per block.
class BlockSums {
 public:
  // Prepares rows for n items in blocks of `block`; keeps capacity between steps.
  void reset(std::size_t n, std::size_t block, std::size_t width) {
    blocks_ = block_count(n, block);
    width_ = width;
    data_.assign(blocks_ * width_, 0.0);
  }
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
