// checkpoint.hpp — the State as named columns, for checkpoints (resume, branch) and the
// determinism hash.
//
// One visitor (checkpoint.cpp, visit_state) lists every part of the state that carries into
// later steps: every agent column, the ledgers and due calendars, governments, enclaves,
// counties, the province, the firm index and the free firm slots. capture_state() copies
// them out into a StateImage, restore_state() puts an image back into a state built by
// make_initial_state() from the same model, and state_hash() hashes them. The RNG needs no
// column: its streams are counter-based (seed, purpose, step, agent), so `step` is its
// position. Per-step work buffers (Scratch's labour, firms and small buffers, sums, events)
// are not part of it: every step rebuilds them before reading them.
#pragma once

#include <cstdint>
#include <new>
#include <string>
#include <type_traits>
#include <vector>

#include "engine/reduce.hpp"
#include "model/model.hpp"

namespace feidi {

// Element type of a state column (as stored in the trace's /checkpoint group).
enum class ColumnType : std::uint8_t { kU8, kI8, kU16, kI16, kU32, kI32, kU64, kI64, kF32, kF64 };
std::size_t column_type_size(ColumnType t);
const char* column_type_name(ColumnType t);

// Bytes that start at a page boundary and are resized without zeroing: the trace writer
// sends a checkpoint's large columns to the disk by direct I/O (trace/direct_io.hpp), which
// needs page-aligned memory.
struct PageAlignedBytes : NoInitAllocator<unsigned char> {
  static constexpr std::size_t kAlign = 4096;
  template <class U>
  struct rebind {
    using other = std::conditional_t<std::is_same_v<U, unsigned char>, PageAlignedBytes, NoInitAllocator<U>>;
  };
  unsigned char* allocate(std::size_t n) {
    return static_cast<unsigned char*>(::operator new(n, std::align_val_t{kAlign}));
  }
  void deallocate(unsigned char* p, std::size_t) noexcept { ::operator delete(p, std::align_val_t{kAlign}); }
  bool operator==(const PageAlignedBytes&) const noexcept { return true; }
};

// One named column of the state: `n` elements of `type`, as raw bytes (resized without
// zeroing: every byte is written before it is read).
struct StateColumn {
  std::string name;
  ColumnType type = ColumnType::kU8;
  std::size_t n = 0;
  std::vector<unsigned char, PageAlignedBytes> bytes;
};

// The whole state as columns, in the visitor's order.
struct StateImage {
  std::int32_t step = 0;  // steps completed (the state's `step`)
  std::vector<StateColumn> columns;
};

// Copies every column of `s` (with_data = false: names, types and lengths only).
StateImage capture_state(const State& s, bool with_data = true);
// The same into `into`, reusing its buffers: an image captured before (of any state of the
// same model) keeps its memory, so a run's later checkpoints neither allocate nor fault in
// pages. The large columns are copied in parallel.
void capture_state(const State& s, StateImage& into);
// Puts `img` back into `s`, a state that make_initial_state() built from the same model.
// Throws InputError naming `origin` when a column is missing, of another type, or of a
// length that cannot belong to this model (a checkpoint of another build or data).
void restore_state(State& s, const StateImage& img, const std::string& origin);
// A 64-bit hash (engine/hash.hpp, over names, types, lengths and bytes) of every column: equal states
// have equal hashes; used to check determinism across thread counts and resumes. Version 2
// hashes each column's bytes with hash_bytes_wide; version 1 (checkpoints of traces written
// before it, which say no version) with hash_bytes.
inline constexpr int kStateHashVersion = 2;
inline constexpr int kStateHashVersionUnrecorded = 1;  // a trace whose state_hash says no version
constexpr bool known_state_hash_version(std::int64_t v) { return v >= 1 && v <= kStateHashVersion; }
std::uint64_t state_hash(const State& s);
std::uint64_t image_hash(const StateImage& img, int version = kStateHashVersion);

}  // namespace feidi
