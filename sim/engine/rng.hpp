// rng.hpp — counter-based random numbers (Philox4x32-10, Salmon et al. 2011).
//
// Every draw is a pure function of (seed, step, agent, stream, draw index):
// no generator state is shared between agents or threads, so results never
// depend on the thread count, the order in which agents are visited, or on
// how many draws another agent made. Construct an Rng on the stack where a
// decision is made; it costs 44 bytes (checked below) and no allocation.
#pragma once

#include <array>
#include <cmath>
#include <cstdint>

namespace feidi {


// The raw Philox4x32-10 block function: 128-bit counter, 64-bit key. Inline: a month
// draws tens of millions of blocks, and the call itself would cost a good part of one.
inline std::array<std::uint32_t, 4> philox4x32_10(std::array<std::uint32_t, 4> c, std::array<std::uint32_t, 2> k) {
  constexpr std::uint32_t kM0 = 0xD2511F53u, kM1 = 0xCD9E8D57u;  // multipliers
  constexpr std::uint32_t kW0 = 0x9E3779B9u, kW1 = 0xBB67AE85u;  // Weyl key increments
  for (int r = 0; r < 10; ++r) {
    if (r > 0) {
      k[0] += kW0;
      k[1] += kW1;
    }
    const std::uint64_t p0 = static_cast<std::uint64_t>(kM0) * c[0];
    const std::uint64_t p1 = static_cast<std::uint64_t>(kM1) * c[2];
    const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
    const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
    c = {hi1 ^ c[1] ^ k[0], lo1, hi0 ^ c[3] ^ k[1], lo0};
  }
  return c;
}

// A stream of uniform and derived draws keyed by (seed, step, agent, stream).
class Rng {
 public:
  // `stream` separates independent uses (the model numbers them: model/purpose.hpp), so two
  // uses never share draws for the same agent and step.
  Rng(std::uint64_t seed, std::uint32_t step, std::uint32_t agent, std::uint32_t stream)
      : key_{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)},
        step_(step),
        agent_(agent),
        stream_(stream) {}

  // Next 32 random bits.
  std::uint32_t next_u32() {
    if (pos_ == 4) refill();
    return buf_[pos_++];
  }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() {
    const std::uint64_t hi = next_u32() >> 5;  // 27 bits
    const std::uint64_t lo = next_u32() >> 6;  // 26 bits
    return static_cast<double>((hi << 26) | lo) * (1.0 / 9007199254740992.0);
  }
  // Uniform in (0, 1): safe for logarithms.
  double uniform_open() {
    double u;
    do {
      u = uniform();
    } while (u == 0.0);
    return u;
  }
  // True with probability p.
  bool bernoulli(double p) { return uniform() < p; }
  // Uniform integer in [0, n), n > 0 (Lemire's multiply-shift, tiny bias < 2^-32·n).
  std::uint32_t below(std::uint32_t n) {
    return static_cast<std::uint32_t>((static_cast<std::uint64_t>(next_u32()) * n) >> 32);
  }
  // Standard normal (Box–Muller; uses two uniforms per draw, no caching).
  double normal() {
    const double u1 = uniform_open();
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  // Standard Gumbel (the noise of a logit random-utility choice).
  double gumbel() { return -std::log(-std::log(uniform_open())); }
  // Exponential with rate 1.
  double exponential() { return -std::log(uniform_open()); }

 private:
  void refill() {
    buf_ = philox4x32_10({block_, agent_, step_, stream_}, key_);
    ++block_;
    pos_ = 0;
  }

  std::array<std::uint32_t, 2> key_;
  std::uint32_t step_;
  std::uint32_t agent_;
  std::uint32_t stream_;
  std::uint32_t block_ = 0;
  std::array<std::uint32_t, 4> buf_{};
  int pos_ = 4;
};

static_assert(sizeof(Rng) == 44, "update the size in the comment at the top of rng.hpp");

// Probability of at least one event in dt given a constant hazard rate per unit time.
inline double hazard_to_prob(double rate, double dt) { return 1.0 - std::exp(-rate * dt); }

}  // namespace feidi
