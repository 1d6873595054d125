// Tests for engine/id.hpp and the model's index types: what a strong id refuses (checked
// at compile time: a weakened type fails to build this test), the sentinel convention,
// and that a column of ids has the layout of its integers (the trace and the checkpoint
// write it as such).
#include <gtest/gtest.h>

#include <algorithm>
#include <concepts>
#include <string>
#include <type_traits>
#include <vector>

#include "model/state.hpp"

namespace {

using feidi::CountyIdx;
using feidi::EnclaveIdx;
using feidi::FirmIdx;
using feidi::PersonIdx;

void takes_firm(FirmIdx) {}
void hire(PersonIdx, FirmIdx) {}

template <class A, class B>
concept EqualityComparable = requires(A a, B b) { a == b; };
template <class A, class B>
concept InequalityComparable = requires(A a, B b) { a != b; };
template <class A, class B>
concept Ordered = requires(A a, B b) { a < b; };

// No id is made from a plain integer or from an id of another kind without a cast.
static_assert(!std::is_convertible_v<int, FirmIdx>);
static_assert(!std::is_convertible_v<std::uint32_t, PersonIdx>);
static_assert(!std::is_convertible_v<std::size_t, CountyIdx>);
static_assert(!std::is_convertible_v<CountyIdx, FirmIdx>);
static_assert(!std::is_convertible_v<PersonIdx, FirmIdx>);
static_assert(!std::is_convertible_v<FirmIdx, PersonIdx>);
static_assert(!std::is_convertible_v<EnclaveIdx, CountyIdx>);
static_assert(!std::is_constructible_v<FirmIdx, CountyIdx>);  // not even explicitly: say .value()
static_assert(!std::is_constructible_v<PersonIdx, FirmIdx>);
static_assert(std::is_constructible_v<FirmIdx, int>);  // explicit: static_cast<FirmIdx>(i)
static_assert(!std::is_invocable_v<decltype(&takes_firm), CountyIdx>);
static_assert(!std::is_invocable_v<decltype(&takes_firm), PersonIdx>);
static_assert(!std::is_invocable_v<decltype(&takes_firm), int>);
static_assert(!std::is_invocable_v<decltype(&hire), FirmIdx, PersonIdx>);  // swapped arguments
static_assert(std::is_invocable_v<decltype(&hire), PersonIdx, FirmIdx>);
// Ids of two kinds are never compared; ids of one kind are.
static_assert(!EqualityComparable<FirmIdx, CountyIdx>);
static_assert(!EqualityComparable<CountyIdx, EnclaveIdx>);
static_assert(!EqualityComparable<PersonIdx, FirmIdx>);
static_assert(!InequalityComparable<FirmIdx, PersonIdx>);
static_assert(!Ordered<FirmIdx, PersonIdx>);
static_assert(!Ordered<CountyIdx, EnclaveIdx>);
static_assert(EqualityComparable<FirmIdx, FirmIdx>);
static_assert(std::totally_ordered<PersonIdx>);
// An id converts to its integer (indexing, arithmetic, printing).
static_assert(std::is_convertible_v<FirmIdx, std::int32_t>);
static_assert(std::is_convertible_v<CountyIdx, std::size_t>);
// The layout of its integer: columns of ids are written as columns of Rep.
static_assert(sizeof(CountyIdx) == 2 && sizeof(EnclaveIdx) == 2 && sizeof(FirmIdx) == 4 && sizeof(PersonIdx) == 4);
static_assert(std::is_trivially_copyable_v<FirmIdx> && std::is_standard_layout_v<FirmIdx>);
static_assert(std::is_trivially_default_constructible_v<PersonIdx>);
static_assert(std::is_same_v<feidi::stored_as_t<FirmIdx>, std::int32_t>);
static_assert(std::is_same_v<feidi::stored_as_t<CountyIdx>, std::uint16_t>);
static_assert(std::is_same_v<feidi::stored_as_t<double>, double>);

}  // namespace

TEST(Id, SentinelIsAllBitsSet) {
  EXPECT_EQ(feidi::kNoFirm.value(), -1);
  EXPECT_EQ(feidi::kNoEnclave.value(), -1);
  EXPECT_EQ(feidi::kNoPerson.value(), 0xFFFFFFFFu);
  EXPECT_EQ(feidi::kNone<CountyIdx>.value(), 0xFFFF);
  EXPECT_EQ(feidi::kNone<std::uint16_t>, 0xFFFF);  // plain integers follow the same rule
  EXPECT_EQ(feidi::kNeverStep, 0xFFFF);
}

TEST(Id, ColumnsValueInitialiseToZeroAndIndex) {
  std::vector<FirmIdx> employer(5);
  for (const auto e : employer) EXPECT_EQ(e.value(), 0);
  employer[3] = feidi::kNoFirm;
  EXPECT_EQ(std::count(employer.begin(), employer.end(), feidi::kNoFirm), 1);
  const std::vector<double> wage{1.0, 2.0, 3.0};
  const CountyIdx c{2};
  EXPECT_EQ(wage[c], 3.0);  // indexes its column
  EXPECT_EQ(static_cast<std::size_t>(c) * 10 + 1, 21u);
  const std::int32_t raw[2] = {7, -1};
  std::vector<FirmIdx> firms(2);
  std::copy(raw, raw + 2, reinterpret_cast<std::int32_t*>(firms.data()));  // as the trace reads a column
  EXPECT_EQ(firms[0], FirmIdx{7});
  EXPECT_EQ(firms[1], feidi::kNoFirm);
}

TEST(Id, OrdersAndPrintsAsItsInteger) {
  std::vector<PersonIdx> ids{PersonIdx{9}, PersonIdx{2}, PersonIdx{5}};
  std::sort(ids.begin(), ids.end());
  EXPECT_EQ(ids.front(), PersonIdx{2});
  EXPECT_EQ(ids.back(), PersonIdx{9});
  EXPECT_EQ(std::to_string(feidi::kNoFirm), "-1");
  EXPECT_EQ(std::to_string(CountyIdx{12}), "12");
  EnclaveIdx e{4};
  ++e;
  EXPECT_EQ(e, EnclaveIdx{5});
}
