// Tests that no step after the first allocates memory: the first step reserves every per-step
// buffer at its bound (persons-sized lists for all persons, firm-sized ones for twice the
// firm slots: model/step.cpp, reserve_step_room), and the calendars' pools hold blocks for
// all their ids. Room a step never uses is address space only (its pages are never
// touched), so peak memory is unchanged. Firm slots that outgrow their room (a long
// back-cast whose economy grows several-fold) make one step reserve again.
// The counter replaces the global operator new of this test binary only.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

#include "model/internal.hpp"
#include "model/model.hpp"
#include "model/state.hpp"
#include "model_fixture.hpp"

// The replaced operators pair malloc with free on purpose; GCC 12 sees operator new
// inlined into callers and warns that free() gets a pointer from operator new.
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_allocations{0};
std::atomic<std::size_t> g_refuse_over{0};  // > 0: requests above this many bytes fail
}  // namespace

void* operator new(std::size_t n) {
  if (g_counting.load(std::memory_order_relaxed)) g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (const std::size_t most = g_refuse_over.load(std::memory_order_relaxed); most > 0 && n > most)
    throw std::bad_alloc();
  if (void* p = std::malloc(n ? n : 1)) return p;
  throw std::bad_alloc();
}
void* operator new[](std::size_t n) { return ::operator new(n); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

using namespace feidi;

TEST(Allocation, NoStepAfterTheFirstAllocates) {
  const Model& m = feidi::testing::smoke_model();
  State s = make_initial_state(m);
  step(m, s);  // reserves the buffers
  std::string allocating;
  long total = 0;
  for (int k = 1; k < m.params.steps(); ++k) {  // every later month of the run, Januaries included
    g_allocations = 0;
    g_counting = true;
    step(m, s);
    g_counting = false;
    if (const long a = g_allocations.load(); a > 0) {
      total += a;
      allocating += " step " + std::to_string(k + 1) + ": " + std::to_string(a) + ";";
    }
  }
  // Before the scratch buffers there were about 100 allocations in every step; before the
  // reservation, 190 over months 2-36 (buffers growing to new highs).
  EXPECT_EQ(total, 0) << "steps allocate:" << allocating;
}

TEST(Allocation, ACopiedStateReservesInItsFirstStepOnly) {
  // A copy has its columns but not their room: its first step reserves again, the next
  // ones allocate nothing.
  const Model& m = feidi::testing::smoke_model();
  State s = make_initial_state(m);
  for (int k = 0; k < 3; ++k) step(m, s);
  State copy = s;
  step(m, copy);
  g_allocations = 0;
  g_counting = true;
  for (int k = 0; k < 6; ++k) step(m, copy);
  g_counting = false;
  EXPECT_EQ(g_allocations.load(), 0);
}

TEST(Allocation, RefusedRoomChangesNoResult) {
  // Where the system refuses the address space (strict overcommit), the buffers grow as
  // they fill instead, with the same results.
  const Model& m = feidi::testing::smoke_model();
  State a = make_initial_state(m), b = make_initial_state(m);
  g_refuse_over = 4096;  // b's large reservations fail
  detail::reserve_step_room(m, b);
  g_refuse_over = 0;
  EXPECT_TRUE(b.scratch.room_refused);
  for (int k = 0; k < 24; ++k) {
    step(m, a);
    step(m, b);
    ASSERT_EQ(feidi::testing::step_hash(a), feidi::testing::step_hash(b)) << "step " << k + 1;
  }
  EXPECT_FALSE(a.scratch.room_refused);
}

TEST(Allocation, TheCounterSeesAnAllocation) {
  g_allocations = 0;
  g_counting = true;
  auto* v = new std::vector<int>(1000);
  g_counting = false;
  delete v;
  EXPECT_GE(g_allocations.load(), 2);  // the vector object and its storage
}
