// stream_triad.cpp — feidi-stream: a STREAM-style triad (a = b + q·c) measured on this
// machine, so `feidi bench` can relate the engine's effective memory traffic to what the
// memory system sustains in the same invocation. Counts 24 bytes per element (two reads,
// one write; write-allocate traffic not counted), as STREAM does; prints the best of
// --reps repetitions as one JSON line.
//
// usage: feidi-stream [--threads N] [--mib M] [--reps R]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

int main(int argc, char** argv) {
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::size_t mib = 256;  // per array: well above any last-level cache
  int reps = 10;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--threads") threads = std::max(1, std::atoi(argv[i + 1]));
    else if (a == "--mib") mib = static_cast<std::size_t>(std::max(1, std::atoi(argv[i + 1])));
    else if (a == "--reps") reps = std::max(1, std::atoi(argv[i + 1]));
    else {
      std::fprintf(stderr, "feidi-stream: unknown option %s\n", argv[i]);
      return 2;
    }
  }
  const std::size_t n = mib * (1u << 20) / sizeof(double);
  std::vector<double> a(n), b(n), c(n);
  const double q = 3.0;
  auto run = [&](auto&& body) {
    std::vector<std::thread> pool;
    for (int t = 0; t < threads; ++t)
      pool.emplace_back([&, t] {
        const std::size_t lo = n * t / threads, hi = n * (t + 1) / threads;
        body(lo, hi);
      });
    for (auto& th : pool) th.join();
  };
  // First touch by the threads that use the pages.
  run([&](std::size_t lo, std::size_t hi) {
    for (std::size_t i = lo; i < hi; ++i) {
      a[i] = 0.0;
      b[i] = 1.0;
      c[i] = 2.0;
    }
  });
  double best = 1e30;
  for (int r = 0; r < reps; ++r) {
    const auto t0 = std::chrono::steady_clock::now();
    run([&](std::size_t lo, std::size_t hi) {
      double* __restrict pa = a.data();
      const double* __restrict pb = b.data();
      const double* __restrict pc = c.data();
      for (std::size_t i = lo; i < hi; ++i) pa[i] = pb[i] + q * pc[i];
    });
    best = std::min(best, std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  }
  if (a[n / 2] != 7.0) {
    std::fprintf(stderr, "feidi-stream: wrong result\n");
    return 1;
  }
  std::printf("{\"threads\": %d, \"array_mib\": %zu, \"reps\": %d, \"best_s\": %.6f, \"triad_gb_per_s\": %.3f}\n", threads,
              mib, reps, best, 24.0 * static_cast<double>(n) / best / 1e9);
  return 0;
}
