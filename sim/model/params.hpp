// params.hpp — every model parameter, as a typed struct with defaults.
//
// One field per config key `section.key`; the registry in config/config.cpp (config_keys)
// binds each field to its key with its unit, range and meaning, and is the
// source of configs/README.md (`feidi-sim config-doc`). Parameters never
// change during a step; policy levers may change between steps (steering).
// Where the data tables come from and what a trace stores are not model parameters:
// they are the config's [data] and [trace] sections (config/config.hpp, Config).
#pragma once

#include <cstdint>
#include <string>

#include "engine/calendar.hpp"

namespace feidi {

// How the local-level tax of an enclave is split between source and host.
enum class SplitMode : std::uint8_t { kNash = 0, kFixed = 1 };
// How villages' weak status combines the two income thresholds.
// kProvince2017: the 2017 provincial plan's standard — weak when total income is below its
// threshold; in developed counties also when operating income is below its threshold.
enum class WeakRule : std::uint8_t { kAnd = 0, kOr = 1, kProvince2017 = 2 };
// Operating mode forced on every enclave by a scenario (kAsData: keep the table's).
enum class ModeOverride : std::uint8_t { kAsData = 0, kGovernment = 1, kCompany = 2, kPpp = 3 };
// How the provincial award quota is shared among enclaves.
enum class AwardRule : std::uint8_t { kNeed = 0, kEqual = 1, kCommitment = 2 };

struct RunParams {
  std::string name = "baseline";        // scenario name (defaults to the config file's stem)
  YearMonth start{2018, 1};             // first simulated month
  YearMonth end{2035, 12};              // last simulated month (inclusive)
  std::uint64_t seed = 20180101;        // master seed of every random stream
  std::string description;              // free text saved in the trace
};

struct ScaleParams {
  std::int64_t persons_per_agent = 100;  // real persons one person agent stands for
  std::int64_t firms_per_agent = 10;     // real firms one firm agent stands for
};

struct EconomyParams {
  double labour_share = 0.5;                // alpha: labour elasticity of value added (= labour share)
  double tfp_growth_per_year = 0.045;       // productivity growth of every firm, 1/year
  double local_tax_rate = 0.10;             // local-level tax as a share of value added
  double local_share_of_tax = 0.60;         // local-level share of total tax revenue (the rest goes to the centre and province)
  double participation_rate = 0.66;         // share of residents in the labour force
  double frictional_unemployment = 0.03;    // unemployment rate at which wages are stable
  double wage_adjust_per_month = 0.08;      // speed of wage adjustment to labour-market tightness
  double wage_change_min_per_month = -0.02;  // largest monthly wage cut by tightness (downward stickiness)
  double wage_change_max_per_month = 0.03;   // largest monthly wage rise by tightness
  double excess_shed_per_month = 0.25;       // share of a county's jobs in excess of demand shed per month
  double separation_rate_per_year = 0.06;   // exogenous job separations, 1/year
  double agglomeration_elasticity = 0.6;    // theta: productivity gain of a move ~ (GDP per worker ratio)^theta
  double land_rent_yuan_per_mu_year = 60000;  // industrial land rent at average GDP per capita
  double housing_cost_elasticity = 0.8;     // housing cost ~ (GDP per capita)^elasticity
  double output_va_ratio = 0.25;            // value added per yuan of gross (industrial) output
  double start_gdp_scale = 1.0;             // county GDP at the start = 2018 GDP × this (back-casts)
  double start_population_scale = 1.0;      // county population at the start = 2018 population × this
};

struct PersonParams {
  double move_hazard_employed_per_year = 0.04;    // employed persons reviewing location/job, 1/year
  double move_hazard_unemployed_per_year = 1.5;   // unemployed persons reviewing, 1/year
  int candidates = 4;                             // random counties considered besides current and home
  double wage_weight = 2.0;                       // utility per log-point of expected wage
  double housing_weight = 1.0;                    // disutility per log-point of housing cost
  double service_weight = 1.0;                    // utility per unit of public-service access (0..1)
  double move_cost = 2.5;                         // fixed utility cost of moving county
  double distance_cost_per_100km = 0.4;           // extra moving cost per 100 km
  double home_bonus = 2.0;                        // utility of living in the home (hukou) county
  double network_bonus = 1.5;                     // utility of a host county paired with the home county
  double migrant_service_share = 0.6;             // public-service access of non-locals (0..1)
  double initial_outmigrant_share_26 = 0.12;      // share of the 26 counties' natives living elsewhere in 2018
  double high_skill_share = 0.12;                 // share of high-skill persons
  double low_skill_share = 0.45;                  // share of low-skill persons
  double job_match_efficiency = 0.6;              // monthly job-finding rate when vacancies equal job seekers
  double enclave_hiring_priority = 0.9;           // chance a source-county job seeker in the host is hired by its enclave
  double enclave_commute_share = 0.6;             // chance a job seeker in a source county looks for work in its enclaves
  double commute_max_km = 100;                    // farthest source-host distance that allows commuting
};

struct FirmParams {
  double relocate_hazard_per_year = 0.03;   // eligible firms reviewing their location, 1/year
  int enclave_candidates = 3;               // enclaves sampled per review (plus the home county's own)
  double moving_cost = 0.25;                // log-profit gain needed to move
  double choice_noise = 0.15;               // scale of the Gumbel noise in location choice
  double home_enclave_bonus = 0.15;         // log-profit bonus for the enclave of the firm's own county
  double size_sigma = 1.0;                  // dispersion (log sd) of firm sizes
  double mean_workers_per_firm = 19.0;      // real workers per real firm, 2018
  double entry_rate_per_year = 0.07;        // new firms per existing firm per year
  double exit_rate_per_year = 0.06;         // exit hazard of a profitable firm, 1/year
  double loss_exit_multiplier = 4.0;        // exit hazard multiplier for loss-making firms
};

struct VillageParams {
  double weak_total_income_yuan = 100000;     // weak if annual total collective income below this ...
  double weak_operating_income_yuan = 50000;  // ... and/or operating income below this (see weak_rule)
  WeakRule weak_rule = WeakRule::kProvince2017;  // how the two thresholds combine (see WeakRule)
  double income_median_yuan = 250000;         // median total collective income at provincial-average GDP per capita
  double income_gdp_elasticity = 1.2;         // village income ~ (county GDP per capita)^elasticity
  double income_sigma = 0.9;                  // log sd of village total income
  double operating_share = 0.45;              // operating income as a share of total income
  double join_hazard_per_year = 0.8;          // weak villages deciding to pool per year (times trust)
  double invest_yuan = 1000000;               // mean funds one village pools (a park's own figure overrides)
  double invest_sigma = 0.5;                  // log sd of the funds villages of one pool invest
  double relief_hazard_per_year = 0.5;        // rate at which weak villages get the province-wide relief programme
  double relief_invest_yuan = 500000;         // relief investment per village (强村 property, outside enclaves)
  double relief_yield_per_year = 0.08;        // operating income per yuan of relief investment, 1/year
  double trust_loss_on_miss = 0.3;            // trust lost after a missed guaranteed payment
  double trust_recovery_per_year = 0.2;       // trust regained per year without misses
  double income_growth_per_year = 0.03;       // growth of villages' own income, 1/year
  double land_quota_mu_mean = 6.0;            // reclaimable construction-land quota per village, mu (mean)
};

struct GovernmentParams {
  double mean_tenure_years = 4.5;            // mean county leader tenure (hazard = 1/mean)
  double priority_min = 0.1;                 // new leader's cooperation priority drawn uniformly ...
  double priority_max = 0.9;                 // ... from [priority_min, priority_max]
  double institution_government = 0.2;      // institutionalisation of government-led enclaves (0..1)
  double institution_company = 0.5;         // ... of company-operated enclaves
  double institution_ppp = 0.7;             // ... of PPP-operated enclaves
  double assessment_weight = 0.2;           // weight of enclave participation in hosts' assessment (0..1)
  double stall_commitment = 0.2;            // enclaves stall while host commitment is below this
};

struct TaxSplitParams {
  SplitMode mode = SplitMode::kNash;   // "nash" (negotiated) or "fixed"
  double fixed_source_share = 0.5;     // source county's share when mode = "fixed"
  double source_bargaining_power = 0.5;  // source's Nash weight at neutral host commitment
  double commitment_power_shift = 0.4;   // extra bargaining power per unit of host commitment above 0.5
  double host_fallback_share = 0.3;      // host's disagreement payoff as a share of the enclave's tax
  double gdp_attribution_source_share = 0.5;  // share of enclave GDP attributed to the source county
  double honour_floor = 0.8;             // share of the agreed transfer a host honours at zero commitment
};

struct EnclaveParams {
  int build_months = 24;                     // months from founding to operating
  double same_city = 0.5;                    // same-city treatment of enclave firms and workers (0..1)
  double policy_gap = 0.1;                   // productivity lost by enclave firms without same-city treatment
  double infrastructure_bonus = 0.1;         // productivity gain at full infrastructure
  double infrastructure_half_yuan = 2e9;     // infrastructure spending giving half of the bonus, yuan
  double land_rent_discount = 0.4;           // discount on the host's land rent inside enclaves (0..1)
  double guaranteed_return_rate = 0.10;      // poverty enclaves' guaranteed return, 1/year on pooled funds
  double pool_capacity_yuan_per_mu = 3.0e6;  // pooled funds one planned mu of a poverty enclave can absorb
  double plant_yield_per_year = 0.07;        // rent yield of the plant bought with pooled funds, at full occupancy
  double pool_tax_share = 0.5;               // most of the source's enclave tax that may cover a pool's shortfall
  double underwrite_share = 0.8;             // share of a shortfall the source county company covers
  double underwrite_budget_share = 0.05;     // most of the source county's own tax a month that underwriting may use
  double return_share_of_rent = 0.8;         // share of the plant's rent paid out when above the guaranteed return
  double stalled_rent_share = 0.5;           // rent the plant earns while its park is stalled, relative to operating
  double scitech_projects_per_year = 40;     // projects entering incubation per sci-tech enclave, 1/year
  int incubation_months = 36;                // months a project incubates
  double industrialise_intercept = -1.5;     // logit of industrialising in the source county ...
  double industrialise_same_city = 1.2;      // ... plus this × same-city treatment
  double industrialise_infrastructure = 0.8;  // ... plus this × the source county's enclave infrastructure (0..1)
  double industrialise_wage = 1.0;           // ... plus this × log(host wage / source wage) (cheaper labour)
  ModeOverride mode_override = ModeOverride::kAsData;  // force one operating mode on every enclave
  double company_leverage = 0.5;             // private infrastructure yuan per fund yuan, company-operated
  double ppp_leverage = 1.0;                 // private infrastructure yuan per fund yuan, PPP
  double talent_per_project = 5;             // high-skill persons who move to the source county per industrialised project
};

struct LandParams {
  double provincial_award_mu_per_year = 3000;   // provincial award quota for the 26 counties' enclaves
  YearMonth award_from{2019, 1};                // first January the award quota may go to enclaves (the seed's proposal)
  AwardRule award_rule = AwardRule::kNeed;      // how the award is shared among enclaves
  bool enforce_land_caps = false;               // hosts never grant beyond an enclave's land_cap_mu
  double host_grant_share_per_year = 0.25;      // share of the unmet plan a fully committed host grants per year
  double host_quota_mu_per_year = 400;          // construction-land quota a host can spend on enclaves per year
  double quota_trade_mu_per_year = 300;         // most reclaimed-land quota a pair trades per year (增减挂钩)
  SplitMode quota_price_mode = SplitMode::kNash;  // "nash" (negotiated) or "fixed" quota price
  double quota_fixed_price_yuan_per_mu = 400000;  // price when quota_price_mode = "fixed"
  double quota_reclaim_cost_yuan_per_mu = 150000;  // seller's cost of reclaiming one mu (reservation price)
  double quota_value_yuan_per_mu = 600000;      // buyer's value of one mu of quota at average GDP per capita
  double quota_seller_power = 0.5;              // source county's Nash bargaining weight in quota trades
  double quota_village_share = 0.6;             // share of quota proceeds paid to the selling villages
  double quota_to_enclave_share = 0.5;          // share of bought quota the host adds to its enclave land pool
};

struct ProvinceParams {
  double special_fund_yuan_per_year = 5e8;  // provincial special fund for enclave infrastructure
  double transfers_26_yuan_per_year = 0;    // extra transfers to the 26 counties above 2018's, shared by population
};

// County-specific productivity (phase "productivity"): technology diffusion toward the
// provincial level, capital that follows returns and public budgets, human capital.
struct GrowthParams {
  double convergence_rate_per_year = 0.01;  // lambda: share of the log gap in GDP per worker closed per year
  double capital_elasticity = 0.5;          // place productivity ~ (relative capital per worker)^this
  double depreciation_per_year = 0.096;     // capital depreciation rate, 1/year
  double private_investment_rate = 0.3;     // private investment as a share of GDP (province)
  double return_elasticity = 1.0;           // private investment ~ (relative return on capital)^this
  double public_investment_share = 0.3;     // share of a county's fiscal revenue and transfers invested at home
  double human_capital_elasticity = 0.3;    // place productivity ~ (relative high-skill share)^this
};

// Every parameter of the model.
struct Params {
  RunParams run;
  ScaleParams scale;
  EconomyParams economy;
  PersonParams persons;
  FirmParams firms;
  VillageParams villages;
  GovernmentParams governments;
  TaxSplitParams tax_split;
  EnclaveParams enclaves;
  LandParams land;
  ProvinceParams province;
  GrowthParams growth;

  // Number of monthly steps.
  int steps() const { return months_between_inclusive(run.start, run.end); }
};

}  // namespace feidi
