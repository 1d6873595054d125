// provenance.hpp — facts about an execution recorded in output files.
#pragma once

#include <string>

namespace feidi {

// Now, as ISO 8601 UTC ("2026-11-29T10:00:00Z").
std::string utc_now();
// This machine's host name ("?" when unknown).
std::string host_name();
// The content hash (engine/hash.hpp) of a file's bytes as 16 hex digits (a parent trace's identity); throws
// PathError when the file cannot be read.
std::string file_hash(const std::string& path);

}  // namespace feidi
