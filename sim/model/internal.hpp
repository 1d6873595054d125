// internal.hpp — helpers shared by the phase files of the model (not public).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/rng.hpp"
#include "model/purpose.hpp"
#include "model/model.hpp"

namespace feidi::detail {

// The step number used for random draws during initialisation.
inline constexpr std::uint32_t kInitStep = 0xFFFFFFFFu;

inline Rng rng_for(const Model& m, std::uint32_t step, std::uint32_t agent, Purpose purpose) {
  return Rng(m.params.run.seed, step, agent, stream_of(purpose));
}

// Time conversions: the model steps one month; rates are given per year.
inline constexpr double kMonthsPerYear = 12.0;
inline double months_per_year() { return kMonthsPerYear; }
// A flow per year as a flow per month.
inline double per_month(double per_year) { return per_year / kMonthsPerYear; }
// Probability that an event of the given yearly hazard happens within one month.
inline double monthly_prob(double hazard_per_year) { return hazard_to_prob(hazard_per_year, 1.0 / kMonthsPerYear); }

// Institutionalisation level of an operating mode (0..1).
inline double institution(const Params& p, OperatingMode mode) {
  switch (mode) {
    case OperatingMode::kGovernment: return p.governments.institution_government;
    case OperatingMode::kCompany: return p.governments.institution_company;
    case OperatingMode::kPpp: return p.governments.institution_ppp;
  }
  return 0.0;
}

// Host's effective commitment to an enclave: institutions damp the leader's priority;
// the provincial assessment weight pulls commitment up.
inline double commitment(const Params& p, OperatingMode mode, double host_priority) {
  const double inst = institution(p, mode);
  const double c = inst + (1.0 - inst) * host_priority;
  return c + p.governments.assessment_weight * (1.0 - c);
}

// Source county's share of enclave local-level tax (Nash bargaining or fixed).
// Nash: the source's disagreement payoff is 0 (no enclave, no tax); the host's is the
// tax it would raise from other uses of the land (host_fallback_share of the pie).
// The source receives its bargaining weight of the surplus above the fallbacks.
inline double negotiated_source_share(const Params& p, double host_commitment) {
  if (p.tax_split.mode == SplitMode::kFixed) return p.tax_split.fixed_source_share;
  double gamma = p.tax_split.source_bargaining_power +
                 p.tax_split.commitment_power_shift * (host_commitment - 0.5);
  gamma = std::clamp(gamma, 0.0, 1.0);
  const double d_host = p.tax_split.host_fallback_share;
  return gamma * (1.0 - d_host);
}

// The source share an enclave's agreement sets: the park's own fixed share when the
// data give one, else the scenario's rule (Nash or fixed).
inline double agreed_source_share(const Params& p, const EnclaveSpec& spec, double host_commitment) {
  if (spec.fixed_tax_share >= 0) return spec.fixed_tax_share;
  return negotiated_source_share(p, host_commitment);
}

// Share of the agreed transfer a host actually honours: full at commitment 1,
// tax_split.honour_floor at commitment 0.
inline double honoured_share(const Params& p, double host_commitment) {
  return p.tax_split.honour_floor + (1.0 - p.tax_split.honour_floor) * host_commitment;
}

// Whether a village is weak on these incomes (yuan/year) by the configured rule;
// `developed`: the village's county is not one of the 26.
inline bool weak_by_rule(const VillageParams& vp, double total, double operating, bool developed) {
  const bool low_t = total < vp.weak_total_income_yuan;
  const bool low_o = operating < vp.weak_operating_income_yuan;
  switch (vp.weak_rule) {
    case WeakRule::kAnd: return low_t && low_o;
    case WeakRule::kOr: return low_t || low_o;
    case WeakRule::kProvince2017: return low_t || (developed && low_o);
  }
  return low_t;
}

// Whether firms of a sector may locate in a park of this kind: eco and poverty parks are
// industrial platforms (the seed: 工业发展平台) and take enclave-eligible sectors that are
// mostly secondary industry; sci-tech parks take the knowledge sectors (digital, health).
inline bool sector_fits(const Sector& sec, EnclaveKind kind) {
  if (!sec.enclave_eligible) return false;
  if (kind == EnclaveKind::kScitech) return sec.key == "digital" || sec.key == "health";
  return sec.secondary >= 0.5;
}

// Productivity factor of producing in county c (inside enclave e, or kNoEnclave).
inline double location_factor(const Model& m, const State& s, CountyIdx c, EnclaveIdx e) {
  double f = s.location_factor[c];
  if (e != kNoEnclave) {
    const auto& p = m.params.enclaves;
    const double infra = s.enclaves[e].infrastructure_yuan /
                         (s.enclaves[e].infrastructure_yuan + p.infrastructure_half_yuan);
    f *= (1.0 + p.infrastructure_bonus * infra) * (1.0 - (1.0 - p.same_city) * p.policy_gap);
  }
  return f;
}

// Land rent in yuan per mu per month at a location.
inline double land_rent_month(const Model& m, const State& s, CountyIdx c, EnclaveIdx e) {
  double rent = per_month(m.params.economy.land_rent_yuan_per_mu_year) * s.housing_cost[c];
  if (e != kNoEnclave) rent *= 1.0 - m.params.enclaves.land_rent_discount;
  return rent;
}

// Desired employment (real workers) of a firm agent at wage w with productivity A:
// profit-maximising labour of F Cobb-Douglas firms, L = F·(alpha·A/w)^(1/(1-alpha)).
inline double labour_demand(double firms_per_agent, double alpha, double A, double w) {
  return firms_per_agent * std::pow(alpha * A / w, 1.0 / (1.0 - alpha));
}

// Value added (yuan/month) of a firm agent with L real workers.
inline double value_added(double firms_per_agent, double alpha, double A, double L) {
  if (L <= 0) return 0.0;
  return firms_per_agent * A * std::pow(L / firms_per_agent, alpha);
}

// Months until an event of monthly probability p happens (≥ 1, geometric), or
// kNeverStep when p is 0 or the event falls beyond the uint16 range.
inline std::uint32_t months_until(double p, Rng& rng) {
  if (p <= 0) return kNeverStep;
  if (p >= 1) return 1;
  const double k = std::floor(std::log(rng.uniform_open()) / std::log1p(-p)) + 1.0;
  return k >= static_cast<double>(kNeverStep) ? kNeverStep : static_cast<std::uint32_t>(k);
}

// The step `months` after `base` (base −1 = before the first step), or kNeverStep.
inline std::uint16_t schedule_at(std::int64_t base, std::uint32_t months) {
  if (months == kNeverStep) return kNeverStep;
  const std::int64_t at = base + static_cast<std::int64_t>(months);
  return at >= kNeverStep ? kNeverStep : static_cast<std::uint16_t>(at);
}

// Monthly probabilities of the firms' scheduled events: exit checks run at the
// loss-maker's exit probability (a profitable firm's check is thinned to its own),
// relocation reviews at the review probability.
struct FirmHazards {
  double exit, exit_loss, review;
  explicit FirmHazards(const Params& p)
      : exit(monthly_prob(p.firms.exit_rate_per_year)),
        exit_loss(monthly_prob(p.firms.exit_rate_per_year * p.firms.loss_exit_multiplier)),
        review(monthly_prob(p.firms.relocate_hazard_per_year)) {}
};

// Draws a new firm i's first exit check and relocation review after step `base` (−1
// at the start) and queues them.
void push_firm_due(State& s, std::uint32_t i, std::uint16_t at);
void schedule_firm(const Model& m, State& s, const FirmHazards& hz, std::size_t i, std::int64_t base);

// Marks which source→host county pairs an active enclave links (network effects,
// same-city access, recruitment ties).
void update_enclave_pairs(const Model& m, State& s);

// Rebuilds the firm index grouped by county (after relocations or entries).
void rebuild_firm_index(const Model& m, State& s, StepStats* st = nullptr);

// Phase functions (one file each).
void run_governments(const Model& m, State& s, StepStats* st);
void run_firms(const Model& m, State& s, StepStats* st);
void run_labour(const Model& m, State& s, StepStats* st);
void run_production(const Model& m, State& s, StepStats* st);
void run_villages(const Model& m, State& s, StepStats* st);
void run_accounting(const Model& m, State& s, StepStats* st);
void run_productivity(const Model& m, State& s, StepStats* st);
// The productivity state at the start (after the first aggregates): capital stocks in
// steady state with the 2018 investment flows, reference ratios.
void init_growth(const Model& m, State& s);

// Initial aggregates of the labour market: counts persons, computes demand and
// realised employment without any decision.
void initial_labour(const Model& m, State& s);
// Builds the persons' employment ledger (worker lists, counters, schedules, seekers)
// from the initial persons; before initial_labour.
void build_ledger(const Model& m, State& s);
// The firms' first exit checks and relocation reviews (at the start).
void schedule_firms(const Model& m, State& s);
void realise_labour(const Model& m, State& s, const std::vector<double>& demand_c);
// Moves person p to county `dest` between labour phases (its job ends; ledger kept).
void relocate_person(const Model& m, State& s, std::uint32_t p, CountyIdx dest);

// Adds a firm agent producing in county c (enclave e or none) sized for `workers`
// real workers at the current wage, in the smallest free slot; returns its index.
FirmIdx spawn_firm(const Model& m, State& s, CountyIdx c, EnclaveIdx e, std::uint8_t sector, double workers,
                   CountyIdx origin);

}  // namespace feidi::detail
