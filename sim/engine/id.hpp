// id.hpp — strong index types: an index of one kind of thing (a county, a firm, a person)
// cannot be made from a plain integer or from an index of another kind without a cast
// that says so.
//
//   using FirmIdx = StrongId<struct FirmTag, std::int32_t>;
//   FirmIdx f = county;                 // error: a county is not a firm
//   FirmIdx f = 3;                      // error: say static_cast<FirmIdx>(3)
//   FirmIdx{county.value()}             // the only way from one kind to another
//   void hire(PersonIdx, FirmIdx);
//   hire(firm, person);                 // error: arguments swapped
//   f == county;                        // error: ids of two kinds compared
//
// tests/unit/test_engine_id.cpp checks each of these refusals at compile time.
//
// An id reads as its integer (it converts to Rep implicitly): it indexes the columns of
// its kind, takes part in arithmetic and prints as a number, so the agent stores stay
// plain vectors and a column of ids has the layout of a column of Rep (the trace and the
// checkpoint write it as such; see the static_asserts below).
//
// One sentinel convention for every kind: "none" is the value with all bits set (kNone):
// −1 for the signed indices (as the trace stores them), the largest value for the
// unsigned ones.
#pragma once

#include <concepts>
#include <cstdint>
#include <type_traits>

namespace feidi {

template <class Tag, std::integral R>
class StrongId {
 public:
  using Rep = R;
  StrongId() = default;  // uninitialised like an int; value-initialised ({} or a vector) to 0
  // From an integer, explicitly (static_cast<FirmIdx>(i)); the value is converted to Rep.
  template <std::integral I>
  constexpr explicit StrongId(I v) noexcept : v_(static_cast<Rep>(v)) {}
  constexpr operator Rep() const noexcept { return v_; }  // NOLINT(google-explicit-constructor): reads as its integer
  constexpr Rep value() const noexcept { return v_; }

  friend constexpr bool operator==(StrongId a, StrongId b) noexcept { return a.v_ == b.v_; }
  friend constexpr auto operator<=>(StrongId a, StrongId b) noexcept { return a.v_ <=> b.v_; }
  // Ids of two different kinds are never compared.
  template <class Tag2, std::integral R2>
    requires(!std::is_same_v<Tag, Tag2>)
  friend bool operator==(StrongId, StrongId<Tag2, R2>) = delete;
  template <class Tag2, std::integral R2>
    requires(!std::is_same_v<Tag, Tag2>)
  friend auto operator<=>(StrongId, StrongId<Tag2, R2>) = delete;

  StrongId& operator++() noexcept {
    ++v_;
    return *this;
  }

 private:
  Rep v_;
};

// The integer type a column of T is stored as (T itself, or an id's Rep).
template <class T>
struct StoredAs {
  using type = T;
};
template <class Tag, class R>
struct StoredAs<StrongId<Tag, R>> {
  using type = R;
};
template <class T>
using stored_as_t = typename StoredAs<T>::type;

// The "none" value of an index type: all bits set.
template <class Index>
inline constexpr Index kNone = static_cast<Index>(~static_cast<stored_as_t<Index>>(0));

}  // namespace feidi
