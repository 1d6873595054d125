// summary.hpp — the short table printed after a run and by `feidi-sim info`:
// the 26 mountain counties against the rest of the province.
#pragma once

#include <string>

namespace feidi {

class TraceReader;

// Formats the summary of a trace (start month vs last written month).
std::string summary_table(const TraceReader& r);

}  // namespace feidi
