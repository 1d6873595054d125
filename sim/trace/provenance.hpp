// provenance.hpp — facts about an execution recorded in output files.
#pragma once

#include <string>

namespace feidi {

// Now, as ISO 8601 UTC ("2026-11-29T10:00:00Z").
std::string utc_now();
// This machine's host name ("?" when unknown).
std::string host_name();

}  // namespace feidi
