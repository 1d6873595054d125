// trace/schema.cpp — the variables of each trace group and the schema document.
#include "trace/schema.hpp"

#include <cmath>
#include <sstream>

#include "config/config.hpp"

namespace feidi {

namespace {

using M = const Model&;
using S = const State&;
using I = std::size_t;

// Flows are stored annualised: the month's flow × 12; their units say so.
constexpr double kYear = 12.0;
constexpr const char* kFlowYuan = "yuan/year (annualised monthly flow)";
constexpr const char* kFlowYuanMu = "yuan/(mu*year) (annualised monthly flow)";

double status_of(S s, I e) { return static_cast<double>(s.enclaves[e].status); }

}  // namespace

const std::vector<TraceVar>& county_vars() {
  static const std::vector<TraceVar> v = {
      {"gdp", kFlowYuan, "GDP by place of production (monthly value added x 12)", VarType::kF64,
       [](M, S s, I c) { return s.county[c].gdp_yuan * kYear; }},
      {"gdp_attributed", kFlowYuan, "GDP after statistical attribution of enclave value added", VarType::kF64,
       [](M, S s, I c) { return s.county[c].gdp_attributed_yuan * kYear; }},
      {"population", "persons", "resident population", VarType::kF64, [](M, S s, I c) { return s.county[c].population; }},
      {"labour_force", "persons", "residents in the labour force", VarType::kF64,
       [](M, S s, I c) { return s.county[c].labour_force; }},
      {"employment", "persons", "residents of the county who have a job (in the county or commuting)", VarType::kF64,
       [](M, S s, I c) { return s.county[c].employment; }},
      {"jobs", "persons", "persons working in the county (residents and commuters)", VarType::kF64,
       [](M, S s, I c) { return s.county[c].jobs; }},
      {"commuters_out", "persons", "residents commuting to an enclave of the county in another county", VarType::kF64,
       [](M, S s, I c) { return s.county[c].commuters_out; }},
      {"labour_demand", "persons", "workers firms want at current wages", VarType::kF64,
       [](M, S s, I c) { return s.county[c].labour_demand; }},
      {"unemployment_rate", "1", "unemployed share of the labour force", VarType::kF64,
       [](M, S s, I c) { return s.unemployment[c]; }},
      {"wage", "yuan/month", "average wage per worker", VarType::kF64, [](M, S s, I c) { return s.county[c].wage_yuan_month; }},
      {"gdp_per_capita", kFlowYuan, "attributed GDP per resident", VarType::kF64,
       [](M, S s, I c) {
         return s.county[c].population > 0 ? s.county[c].gdp_attributed_yuan * kYear / s.county[c].population : 0.0;
       }},
      {"gdp_per_capita_ratio", "1", "attributed GDP per capita relative to the provincial average", VarType::kF64,
       [](M, S s, I c) { return s.county[c].gdp_per_capita_ratio; }},
      {"fiscal_revenue", kFlowYuan, "local fiscal revenue: own local-level tax plus enclave tax shares", VarType::kF64,
       [](M, S s, I c) { return s.county[c].fiscal_revenue_yuan * kYear; }},
      {"own_tax", kFlowYuan, "local-level tax of firms outside enclaves", VarType::kF64,
       [](M, S s, I c) { return s.county[c].own_tax_yuan * kYear; }},
      {"enclave_tax_in", kFlowYuan, "enclave local-level tax received as source or host", VarType::kF64,
       [](M, S s, I c) { return s.county[c].enclave_tax_in_yuan * kYear; }},
      {"firms", "firms", "real firms producing in the county (enclave firms count in the host)", VarType::kF64,
       [](M, S s, I c) { return s.county[c].firms; }},
      {"weak_villages", "villages", "villages with a weak collective economy (last assessment)", VarType::kF64,
       [](M, S s, I c) { return s.county[c].weak_villages; }},
      {"village_income_mean", "yuan/year", "mean total collective income of villages (own + pool returns)",
       VarType::kF64, [](M, S s, I c) { return s.county[c].village_income_mean_yuan; }},
      {"migrants_in", "persons/month", "persons who moved into the county this month", VarType::kF64,
       [](M, S s, I c) { return s.county[c].migrants_in; }},
      {"migrants_out", "persons/month", "persons who moved out of the county this month", VarType::kF64,
       [](M, S s, I c) { return s.county[c].migrants_out; }},
      {"leader_priority", "1", "county leader's cooperation priority", VarType::kF64,
       [](M, S s, I c) { return s.governments[c].priority; }},
      {"quota_revenue", kFlowYuan, "land-quota (增减挂钩) proceeds to the county government", VarType::kF64,
       [](M, S s, I c) { return s.county[c].quota_revenue_yuan * kYear; }},
      {"quota_sold_mu", "mu", "reclaimed-land quota sold to the paired host (cumulative)", VarType::kF64,
       [](M, S s, I c) { return s.governments[c].quota_sold_mu; }},
      {"land_pool_mu", "mu", "construction-land quota the county can still grant to enclaves as host", VarType::kF64,
       [](M, S s, I c) { return s.governments[c].land_pool_mu; }},
      {"firm_entries", "firms/month", "real firms founded in the county this month", VarType::kF64,
       [](M, S s, I c) { return s.county[c].firm_entries; }},
      {"firm_exits", "firms/month", "real firms that closed in the county this month", VarType::kF64,
       [](M, S s, I c) { return s.county[c].firm_exits; }},
      {"productivity", "1", "place productivity factor of firms in the county (agglomeration, technology, capital, "
       "human capital; 2018 data at the start)", VarType::kF64, [](M, S s, I c) { return s.location_factor[c]; }},
      {"technology", "1", "technology relative to the province from diffusion (1 at the start)", VarType::kF64,
       [](M, S s, I c) { return std::exp(s.growth[c].log_tech); }},
      {"capital", "yuan", "capital stock", VarType::kF64, [](M, S s, I c) { return s.growth[c].capital_yuan; }},
      {"investment_private", kFlowYuan, "private investment (follows the return on capital)", VarType::kF64,
       [](M, S s, I c) { return s.growth[c].investment_private_yuan * kYear; }},
      {"investment_public", kFlowYuan, "public investment from fiscal revenue and extra transfers", VarType::kF64,
       [](M, S s, I c) { return s.growth[c].investment_public_yuan * kYear; }},
      {"transfers", kFlowYuan, "extra provincial transfers (province.transfers_26_yuan_per_year)", VarType::kF64,
       [](M, S s, I c) { return s.growth[c].transfers_yuan * kYear; }},
      {"high_skill_share", "1", "high-skill share of residents", VarType::kF64,
       [](M, S s, I c) {
         const auto r = s.ledger.residents[c];
         return r > 0 ? static_cast<double>(s.ledger.residents_high[c]) / static_cast<double>(r) : 0.0;
       }},
      {"talent_in", "persons/month", "high-skill persons who moved in with industrialised sci-tech projects",
       VarType::kF64, [](M, S s, I c) { return s.growth[c].talent_in; }},
  };
  return v;
}

const std::vector<TraceVar>& enclave_vars() {
  static const std::vector<TraceVar> v = {
      {"status", "1", "enclave status", VarType::kI8, [](M, S s, I e) { return status_of(s, e); },
       "vacant building operating stalled closed"},
      {"kind", "1", "enclave kind (constant per slot)", VarType::kI8,
       [](M m, S, I e) { return static_cast<double>(m.data.enclaves[e].kind); }, "eco scitech poverty"},
      {"output", kFlowYuan, "gross output (产值) of enclave firms", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].output_yuan * kYear; }},
      {"value_added", kFlowYuan, "value added of enclave firms", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].va_yuan * kYear; }},
      {"employment", "persons", "workers of enclave firms", VarType::kF64, [](M, S s, I e) { return s.enclaves[e].employment; }},
      {"employment_from_source", "persons", "enclave workers whose home county is the source", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].employment_from_source; }},
      {"jobs", "persons", "jobs the enclave's firms offer (their labour demand at current wages)", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].jobs; }},
      {"commuters", "persons", "enclave workers living in another county (commuting); never above jobs", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].commuters; }},
      {"firms", "firms", "real firms in the enclave", VarType::kF64,
       [](M m, S s, I e) { return s.enclaves[e].firms * static_cast<double>(m.params.scale.firms_per_agent); }},
      {"land_granted_mu", "mu", "land granted by host and province", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].granted_mu; }},
      {"land_used_mu", "mu", "land occupied by firms", VarType::kF64, [](M, S s, I e) { return s.enclaves[e].used_mu; }},
      {"output_per_mu", kFlowYuanMu, "gross output per mu used (亩均产值)", VarType::kF64,
       [](M, S s, I e) {
         return s.enclaves[e].used_mu > 0 ? s.enclaves[e].output_yuan * kYear / s.enclaves[e].used_mu : 0.0;
       }},
      {"tax_per_mu_local", kFlowYuanMu, "local-level tax per mu used (the part source and host share)",
       VarType::kF64,
       [](M, S s, I e) {
         return s.enclaves[e].used_mu > 0 ? s.enclaves[e].tax_local_yuan * kYear / s.enclaves[e].used_mu : 0.0;
       }},
      {"tax_per_mu_total", kFlowYuanMu,
       "total tax per mu used (亩均税收 as published: local-level tax / economy.local_share_of_tax)", VarType::kF64,
       [](M m, S s, I e) {
         return s.enclaves[e].used_mu > 0 ? s.enclaves[e].tax_local_yuan * kYear / s.enclaves[e].used_mu /
                                                m.params.economy.local_share_of_tax
                                          : 0.0;
       }},
      {"tax_local", kFlowYuan, "local-level tax raised in the enclave", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].tax_local_yuan * kYear; }},
      {"tax_to_source", kFlowYuan, "local-level tax flowing to the source county", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].tax_to_source_yuan * kYear; }},
      {"tax_to_host", kFlowYuan, "local-level tax kept by the host county", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].tax_to_host_yuan * kYear; }},
      {"tax_share_source", "1", "negotiated source share of enclave tax", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].tax_share_source; }},
      {"commitment", "1", "host's effective commitment", VarType::kF64, [](M, S s, I e) { return s.enclaves[e].commitment; }},
      {"honoured_share", "1", "share of the agreed transfer the host honours", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].honoured_share; }},
      {"infrastructure", "yuan", "cumulative special-fund infrastructure spending", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].infrastructure_yuan; }},
      {"pool_invested", "yuan", "village funds pooled (poverty enclaves)", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].pool_invested_yuan; }},
      {"pool_villages", "villages", "villages in the pool", VarType::kF64,
       [](M, S s, I e) { return static_cast<double>(s.enclaves[e].pool_villages); }},
      {"return_due", kFlowYuan, "guaranteed return owed to villages", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].return_due_yuan * kYear; }},
      {"return_paid", kFlowYuan, "return paid to villages", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].return_paid_yuan * kYear; }},
      {"return_missed", kFlowYuan, "guaranteed return missed", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].return_missed_yuan * kYear; }},
      {"incubating", "projects", "sci-tech projects in incubation", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].incubating; }},
      {"graduated_source", "projects", "graduates industrialised in the source county (cumulative)", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].graduated_source; }},
      {"graduated_elsewhere", "projects", "graduates industrialised elsewhere (cumulative)", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].graduated_elsewhere; }},
      {"industrialise_prob", "1", "probability a graduate industrialises in the source county", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].industrialise_prob; }},
      {"cumulative_output", "yuan", "gross output since the run started", VarType::kF64,
       [](M, S s, I e) { return s.enclaves[e].cum_output_yuan; }},
  };
  return v;
}

const std::vector<TraceVar>& province_vars() {
  static const std::vector<TraceVar> v = {
      {"gdp", kFlowYuan, "provincial GDP", VarType::kF64, [](M, S s, I) { return s.province.gdp_yuan * kYear; }},
      {"population", "persons", "resident population", VarType::kF64, [](M, S s, I) { return s.province.population; }},
      {"gdp_per_capita", kFlowYuan, "GDP per resident", VarType::kF64,
       [](M, S s, I) { return s.province.population > 0 ? s.province.gdp_yuan * kYear / s.province.population : 0.0; }},
      {"gdp_per_capita_ratio_26", "1", "the 26 counties' attributed GDP per capita relative to the province",
       VarType::kF64, [](M, S s, I) { return s.province.gdp_per_capita_ratio_26; }},
      {"enclaves_eco", "enclaves", "active eco enclaves (building, operating or stalled)", VarType::kI32,
       [](M, S s, I) { return static_cast<double>(s.province.enclaves_by_kind[0]); }},
      {"enclaves_scitech", "enclaves", "active sci-tech enclaves", VarType::kI32,
       [](M, S s, I) { return static_cast<double>(s.province.enclaves_by_kind[1]); }},
      {"enclaves_poverty", "enclaves", "active poverty (消薄) enclaves", VarType::kI32,
       [](M, S s, I) { return static_cast<double>(s.province.enclaves_by_kind[2]); }},
      {"operating_eco", "enclaves", "operating eco enclaves", VarType::kI32,
       [](M, S s, I) { return static_cast<double>(s.province.operating_by_kind[0]); }},
      {"operating_scitech", "enclaves", "operating sci-tech enclaves", VarType::kI32,
       [](M, S s, I) { return static_cast<double>(s.province.operating_by_kind[1]); }},
      {"operating_poverty", "enclaves", "operating poverty enclaves", VarType::kI32,
       [](M, S s, I) { return static_cast<double>(s.province.operating_by_kind[2]); }},
      {"weak_villages", "villages", "weak villages in the province", VarType::kF64,
       [](M, S s, I) { return s.province.weak_villages; }},
      {"weak_villages_26", "villages", "weak villages in the 26 counties", VarType::kF64,
       [](M, S s, I) { return s.province.weak_villages_26; }},
      {"poverty_coverage_26", "1", "share of the 26 counties with an operating poverty enclave", VarType::kF64,
       [](M, S s, I) { return s.province.poverty_coverage_26; }},
      {"eco_coverage", "1", "share of eco-function counties with an operating eco enclave", VarType::kF64,
       [](M, S s, I) { return s.province.eco_coverage; }},
      {"tax_to_source", kFlowYuan, "enclave local-level tax flowing to source counties", VarType::kF64,
       [](M, S s, I) { return s.province.tax_to_source_yuan * kYear; }},
      {"land_award_used_mu", "mu", "provincial award quota granted to enclaves (cumulative)", VarType::kF64,
       [](M, S s, I) { return s.province.land_award_used_mu; }},
      {"land_granted_mu", "mu", "host land granted to enclaves during the run (cumulative)", VarType::kF64,
       [](M, S s, I) { return s.province.land_granted_mu; }},
      {"incubating", "projects", "sci-tech projects in incubation", VarType::kF64,
       [](M, S s, I) { return s.province.incubating; }},
      {"graduated_source", "projects", "graduates industrialised in source counties (cumulative)", VarType::kF64,
       [](M, S s, I) { return s.province.graduated_source; }},
      {"graduated_elsewhere", "projects", "graduates industrialised elsewhere (cumulative)", VarType::kF64,
       [](M, S s, I) { return s.province.graduated_elsewhere; }},
      {"industrialisation_rate", "1", "share of graduates industrialised in the source county", VarType::kF64,
       [](M, S s, I) { return s.province.industrialisation_rate; }},
      {"theil", "1", "Theil index of attributed GDP per capita across counties (population-weighted)", VarType::kF64,
       [](M, S s, I) { return s.province.theil; }},
      {"gini", "1", "Gini index of attributed GDP per capita across counties (population-weighted)", VarType::kF64,
       [](M, S s, I) { return s.province.gini; }},
      {"special_fund_spent", kFlowYuan, "provincial special fund spent on enclave infrastructure", VarType::kF64,
       [](M, S s, I) { return s.province.special_fund_spent_yuan * kYear; }},
      {"village_subsidy", kFlowYuan, "funds villages pooled this month (annualised)", VarType::kF64,
       [](M, S s, I) { return s.province.village_subsidy_yuan * kYear; }},
      {"relief", kFlowYuan, "province-wide relief investment given to weak villages outside enclaves (annualised)",
       VarType::kF64, [](M, S s, I) { return s.province.relief_yuan * kYear; }},
      {"relief_villages", "villages", "villages that received relief since the start (cumulative)", VarType::kF64,
       [](M, S s, I) { return s.province.relief_villages; }},
      {"tfp", "1", "productivity index (1 at the start)", VarType::kF64, [](M, S s, I) { return s.tfp; }},
      {"quota_traded_mu", "mu", "land quota in this year's 增减挂钩 contracts between paired counties", VarType::kF64,
       [](M, S s, I) { return s.province.quota_traded_mu; }},
      {"quota_traded_total_mu", "mu", "land quota traded since the start (cumulative)", VarType::kF64,
       [](M, S s, I) { return s.province.quota_traded_total_mu; }},
      {"quota_village_income", kFlowYuan, "land-quota proceeds paid to villages", VarType::kF64,
       [](M, S s, I) { return s.province.quota_village_income_yuan * kYear; }},
      {"firm_entries", "firms/month", "real firms founded this month", VarType::kF64,
       [](M, S s, I) { return s.province.firm_entries; }},
      {"firm_exits", "firms/month", "real firms closed this month", VarType::kF64,
       [](M, S s, I) { return s.province.firm_exits; }},
      {"events", "events", "events recorded this month", VarType::kI32,
       [](M, S s, I) { return static_cast<double>(s.events.size()); }},
  };
  return v;
}

std::string event_flag_meanings() {
  std::string out;
  for (int k = 0; k < kEventKinds; ++k) {
    if (k) out += ' ';
    out += event_kind_key(static_cast<EventKind>(k));
  }
  return out;
}

std::vector<std::string> lever_keys() {
  std::vector<std::string> out;
  for (const auto* k : lever_specs()) out.push_back(k->dotted());
  return out;
}

std::string lever_flag_meanings() {
  std::string out;
  for (const auto& k : lever_keys()) out += (out.empty() ? "" : " ") + k;
  return out;
}

const std::vector<std::string>& run_metadata_attributes() {
  static const std::vector<std::string> v = {"run_threads", "run_host", "run_started_utc", "run_wall_time_s",
                                             "run_completed", "run_steps_per_second", "run_command", "run_overrides",
                                             "run_config_path"};
  return v;
}

std::string trace_schema_markdown() {
  std::ostringstream os;
  os << "<!-- generated by `feidi-sim schema-doc`; a test checks it is up to date -->\n"
     << "# Trace schema (version " << kSchemaVersion << ")\n\n"
     << "A Feidi trace is one HDF5 file laid out like netCDF-4 (CF-1.8): every axis is a dimension\n"
     << "scale, every variable a plain numeric dataset with `units` and `long_name`. Each group opens\n"
     << "with `xarray.open_dataset(path, engine=\"h5netcdf\", group=G)`.\n\n"
     << "The file is written with SWMR: a reader may open it while it grows (h5py:\n"
     << "`h5py.File(path, \"r\", libver=\"latest\", swmr=True)`, then `dset.refresh()`). Steps are\n"
     << "published every 0.25 s (also while the run is paused) and at the end: their data are\n"
     << "flushed first and the root dataset `steps_written` last, so rows below `steps_written` are\n"
     << "always complete (rows at or above it may be partly written and hold undefined values).\n"
     << "After a crash, `h5clear -s FILE` clears the open-for-write flag and the file reads up to\n"
     << "the last flushed step.\n\n"
     << "Flows are stored **annualised** (the month's flow × 12) unless the unit says per month.\n"
     << "`time` is the first day of the simulated month, in `days since <run.start>-01`.\n\n"
     << "## Root\n\n| name | kind | meaning |\n|---|---|---|\n"
     << "| `Conventions` | attribute | `CF-1.8` |\n"
     << "| `feidi_schema_version` | attribute | this document's version |\n"
     << "| `title` | attribute | scenario name and description |\n"
     << "| `scenario` | attribute | `run.name` |\n"
     << "| `seed` | attribute | master seed (int64) |\n"
     << "| `config` | attribute | the resolved config as TOML (every key with its value) |\n"
     << "| `source_version` | attribute | Feidi version and git commit of the build |\n"
     << "| `start`, `end` | attribute | first and last simulated month (`YYYY-MM`) |\n"
     << "| `persons_per_agent`, `firms_per_agent` | attribute | scale |\n"
     << "| `parent_trace`, `parent_content_hash`, `parent_step`, `parent_month`, `parent_kind` | attribute | only in a trace written by `resume`, `branch` or the viewer's *Fork here*: the parent's path, a 64-bit hash of its bytes (sim/engine/hash.hpp, 16 hex digits) when the new run started, the steps of its history this trace holds, the first month the new run simulated (a fork of a steered run: the first month its levers may differ; it re-simulated the months before from the start with the parent's lever changes, bitwise the parent's), and `resume`, `branch` or `fork` |\n"
     << "| `steps_total` | attribute | steps the run will simulate |\n"
     << "| `steps_written` | dataset `()` int64 | steps completely written so far (published last) |\n\n"
     << "**Run metadata** — attributes that describe one execution and may differ between two runs of\n"
     << "the same config and seed; determinism checks ignore them:\n\n";
  for (const auto& a : run_metadata_attributes()) os << "- `" << a << "`\n";
  os << "\nAll are written when the file is created. `run_wall_time_s` and `run_steps_per_second` start\n"
     << "as NaN and `run_completed` as 0; they are overwritten in place when the run ends normally\n"
     << "(`run_completed` = 1). `run_completed` = 0 means the run is still going or was interrupted.\n";
  auto table = [&](const char* group, const char* dims, const std::vector<TraceVar>& vars) {
    os << "\n## /" << group << " — dims `" << dims << "`\n\n| variable | type | units | meaning |\n|---|---|---|---|\n";
    for (const auto& v : vars) {
      os << "| `" << v.name << "` | " << (v.type == VarType::kF64 ? "float64" : v.type == VarType::kI32 ? "int32" : "int8")
         << " | " << v.units << " | " << v.long_name;
      if (v.flag_meanings) os << " (flag_meanings: `" << v.flag_meanings << "`)";
      os << " |\n";
    }
  };
  table("county", "(time, county)", county_vars());
  os << "\nStatic variables over `(county)`: `county` (coordinate: GB/T 2260 code, int32), `name`,\n"
     << "`name_en`, `prefecture` (strings), `prefecture_code` (int32), `lon`, `lat` (degrees),\n"
     << "`accelerated` (int8: one of the 26), `eco_function` (int8), `population_2018` (persons),\n"
     << "`gdp_2018` (yuan/year), `villages` (int32, real villages in the county).\n";
  table("enclave", "(time, enclave)", enclave_vars());
  os << "\nStatic variables over `(enclave)`: `enclave` (coordinate: slot index, int32), `name`\n"
     << "(string), `source`, `host` (county codes, int32), `land_planned_mu` (mu), `founded`\n"
     << "(string `YYYY-MM`), `mode` (int8, flag_meanings `government company ppp`).\n";
  table("province", "(time)", province_vars());
  os << "\n## /events — dims `(event)`\n\nOne row per event, in the order the engine applied them.\n\n"
     << "| variable | type | units | meaning |\n|---|---|---|---|\n"
     << "| `event` | int64 | 1 | coordinate: event index |\n"
     << "| `step` | int32 | 1 | step index (0 = first month) |\n"
     << "| `time` | int32 | days since start | the month |\n"
     << "| `kind` | int8 | 1 | flag_meanings: `" << event_flag_meanings() << "` |\n"
     << "| `subject` | int32 | 1 | person, firm, village or enclave index, or county index for turnover |\n"
     << "| `from_county`, `to_county` | int32 | 1 | GB/T 2260 codes, or -1 |\n"
     << "| `value` | float64 | varies | kind-specific: enclave index (relocation, spawn), new split share\n"
     << "(renegotiation), missed yuan (missed payment), pooled yuan (join), priority change (turnover),\n"
     << "planned mu (founded), granted mu (operating), commitment (stalled/resumed) |\n";
  os << "\n## /interventions — dims `(intervention)`\n\nMid-run policy changes (steering). Empty for plain runs.\n\n"
     << "| variable | type | units | meaning |\n|---|---|---|---|\n"
     << "| `intervention` | int64 | 1 | coordinate |\n"
     << "| `step` | int32 | 1 | the change applies from this step on |\n"
     << "| `time` | int32 | days since start | the month of that step |\n"
     << "| `lever` | int16 | 1 | flag_meanings: `" << lever_flag_meanings() << "` |\n"
     << "| `old_value`, `new_value` | float64 | the lever's unit | values before and after |\n";
  os << "\n## /panel — dims `(time, person)`, `(time, firm)`\n\n"
     << "A sample of agents followed every step (absent when `trace.panel_persons` and `trace.panel_firms`\n"
     << "are 0). Agent ids are evenly spaced: persons are numbered by start county, so the person sample\n"
     << "is stratified by county; firms are sampled among the initial firm slots (a closed firm's slot\n"
     << "may later hold an entrant: `firm_alive` tells).\n\n"
     << "| variable | type | units | meaning |\n|---|---|---|---|\n"
     << "| `time` | int32 | days since start | coordinate: the month |\n"
     << "| `person` | int32 | 1 | coordinate: person agent id |\n"
     << "| `home` | int32 | 1 | over `(person)`: home (户籍) county code |\n"
     << "| `skill` | int8 | 1 | over `(person)`: flag_meanings `low mid high` |\n"
     << "| `active` | int8 | 1 | over `(person)`: 1 = in the labour force |\n"
     << "| `county` | int32 | 1 | county of residence (code) |\n"
     << "| `employer` | int32 | 1 | employing firm slot, or -1 |\n"
     << "| `months_unemployed` | int16 | months | months without a job in the labour force (saturates at 255) |\n"
     << "| `firm` | int32 | 1 | coordinate: firm slot |\n"
     << "| `firm_alive` | int8 | 1 | 1 = a firm occupies the slot |\n"
     << "| `firm_sector` | int8 | 1 | sector index (row of sim/data/sectors.csv), -1 if empty |\n"
     << "| `firm_county` | int32 | 1 | county where it produces (code), -1 if empty |\n"
     << "| `firm_enclave` | int16 | 1 | enclave slot, -1 if none |\n"
     << "| `firm_workers` | int32 | person agents | person agents it employs |\n"
     << "| `firm_labour` | float64 | persons | realised employment (real workers) |\n"
     << "| `firm_va` | float64 | yuan/month | value added |\n";
  os << "\n## /snapshot — dims `(snapshot, person)`, `(snapshot, firm)`\n\n"
     << "Every agent every `trace.snapshot_interval_months` months and at the last step (absent when\n"
     << "the interval is 0). `person` and `firm` are dimensions without coordinate values: the index\n"
     << "is the agent id (firm slot). The firm dimension grows to the most slots in use; `firm_alive` is\n"
     << "0 for empty slots. County values here are county *indexes* (positions along `/county/county`),\n"
     << "stored as int16 to keep a 1:1 snapshot near 6 bytes per person.\n\n"
     << "| variable | type | units | meaning |\n|---|---|---|---|\n"
     << "| `snapshot` | int32 | 1 | coordinate: step index of the snapshot |\n"
     << "| `time` | int32 | days since start | over `(snapshot)`: the month |\n"
     << "| `person_home` | int16 | 1 | over `(person)`: home county index |\n"
     << "| `person_skill` | int8 | 1 | over `(person)`: flag_meanings `low mid high` |\n"
     << "| `person_active` | int8 | 1 | over `(person)`: 1 = in the labour force |\n"
     << "| `person_county` | int16 | 1 | county of residence (index) |\n"
     << "| `person_employer` | int32 | 1 | employing firm slot, or -1 |\n"
     << "| `firm_alive` | int8 | 1 | 1 = a firm occupies the slot |\n"
     << "| `firm_sector` | int8 | 1 | sector index |\n"
     << "| `firm_county` | int16 | 1 | county index where it produces, -1 if empty |\n"
     << "| `firm_enclave` | int16 | 1 | enclave slot, -1 if none |\n"
     << "| `firm_workers` | int32 | person agents | person agents it employs |\n"
     << "| `firm_labour` | float64 | persons | realised employment (real workers) |\n"
     << "| `firm_va` | float64 | yuan/month | value added |\n"
     << "| `firm_slots` | int32 | 1 | over `(snapshot)`: firm slots in use (the row's length along `firm`) |\n";
  os << "\n## /checkpoint — dims `(checkpoint)`, `(checkpoint, column)`, `(checkpoint, n_<column>)`\n\n"
     << "The whole model state every `trace.checkpoint_interval_months` months (absent when 0; never\n"
     << "after the last step), for `feidi-sim resume` and `feidi-sim branch`. A checkpoint holds the\n"
     << "state at the start of its month: `checkpoint` = steps done = the step the run continues with.\n"
     << "Each state column (as `visit_state` in sim/model/checkpoint.cpp lists them: persons_*, firms_*,\n"
     << "villages_*, ledger_*, government_*, enclave_*, growth_*, county_*, agg_*, province_*, the firm\n"
     << "index and free slots, scalars such as `step` and `tfp`) is one dataset over `(checkpoint,\n"
     << "n_<column>)` in its own type; row k holds `length[k, column]` values (firm columns and lists\n"
     << "change length; beyond it, padding). Integer columns are deflated when\n"
     << "`trace.checkpoint_deflate` > 0. The RNG has no column: its streams are counter-based.\n\n"
     << "| variable | type | units | meaning |\n|---|---|---|---|\n"
     << "| `checkpoint` | int32 | 1 | coordinate: steps done at the checkpoint |\n"
     << "| `time` | int32 | days since start | over `(checkpoint)`: the month the run continues with |\n"
     << "| `column` | string | 1 | coordinate: names of the state columns |\n"
     << "| `length` | int64 | 1 | over `(checkpoint, column)`: values of each column in each checkpoint |\n"
     << "| `state_hash` | int64 | 1 | over `(checkpoint)`: 64-bit hash of every column (sim/model/checkpoint.hpp, `state_hash`; uint64 bits), computed as its attribute `hash_version` says (2: each column's bytes in eight lanes; 1, or no attribute: in one chain, traces written before 2026-12); resume refuses a checkpoint whose data no longer match it |\n"
     << "| *column* | its type | as in the state | over `(checkpoint, n_<column>)` |\n";
  return os.str();
}

}  // namespace feidi
