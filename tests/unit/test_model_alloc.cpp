// Tests that a step of the model allocates no memory of its own once its work buffers have
// grown: every per-step buffer lives in the state's scratch (cleared, never freed), and the
// calendars reuse the storage of consumed buckets. A buffer may still grow when a month
// needs more than any month before (the economy grows), and then grows to twice the need
// (room_for, keep_room), so growth is rare: at most one allocation every other step after
// two years (the first Januaries grow the buffers of the annual assessments). Measured:
// 3 allocations over months 25–36 of smoke, none over the last 7. A strict zero would need
// every buffer reserved for its worst case (persons-sized lists: about 1 GB at 1:1).
// The counter replaces the global operator new of this test binary only.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>

#include "model/model.hpp"
#include "model/state.hpp"
#include "model_fixture.hpp"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace feidi;

TEST(Allocation, AStepAllocatesNothingOfItsOwnAfterTwoYears) {
  const Model& m = feidi::testing::smoke_model();
  State s = make_initial_state(m);
  for (int k = 0; k < 24; ++k) step(m, s);  // the buffers grow to the run's needs (two Januaries)
  long per_step[12] = {};
  for (int k = 0; k < 12; ++k) {
    g_allocations = 0;
    g_counting = true;
    step(m, s);
    g_counting = false;
    per_step[k] = g_allocations.load();
  }
  long total = 0;
  for (long a : per_step) total += a;
  // Before the scratch buffers there were about 100 allocations in every step.
  EXPECT_LE(total, 6) << "steps allocate again (per-step allocations: " << per_step[0] << ", " << per_step[1]
                      << ", " << per_step[2] << ", ...)";
}

TEST(Allocation, TheCounterSeesAnAllocation) {
  g_allocations = 0;
  g_counting = true;
  auto* v = new std::vector<int>(1000);
  g_counting = false;
  delete v;
  EXPECT_GE(g_allocations.load(), 2);  // the vector object and its storage
}
