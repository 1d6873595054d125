// direct_io.hpp — the HDF5 file driver of traces being written: HDF5's own POSIX driver
// (sec2), except that large raw-data writes at page-aligned file addresses from page-aligned
// buffers (a checkpoint's state columns, a snapshot's person columns) go to the disk by
// direct I/O (O_DIRECT), around the page cache.
//
// Why: a buffered write copies every byte into the page cache, and on a virtual machine whose
// host takes back free memory each fresh page-cache page also faults in the host; at full
// scale a yearly checkpoint is 1.7 GB, and that copy cost more CPU than the rest of the
// writer (perf: copy_folio_from_iter_atomic 13 % of a 1:10 run's samples against 2.5 % for
// the state hash). A direct write costs the CPU almost nothing; the writer thread waits for
// the disk instead, which it can afford (checkpoints are months apart).
//
// The file is a plain HDF5 file: the driver is not recorded in it, and any reader (h5py,
// another feidi-sim) opens it with the default driver. Where direct I/O is refused (a file
// system without O_DIRECT, an unaligned write) the write is a plain buffered one.
// FEIDI_DIRECT_IO=0 in the environment turns direct writes off (for comparisons).
#pragma once

#include <cstddef>
#include <cstdint>

namespace feidi::h5 {

// The smallest write sent by direct I/O, and the alignment (file address and memory) it needs.
inline constexpr std::size_t kDirectMinBytes = std::size_t{64} << 10;
inline constexpr std::size_t kDirectAlign = 4096;

// Sets `fapl` to the driver above and to allocate objects of kDirectMinBytes or more at
// kDirectAlign-aligned file addresses.
void use_direct_writes(std::int64_t fapl);  // an hid_t (kept out of this header)

// Bytes written by direct I/O since the program started (`trace_direct_bytes` of --stats-json).
std::size_t direct_bytes_written();

}  // namespace feidi::h5
