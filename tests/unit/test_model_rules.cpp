// Tests for sim/model/rules: each rule against values computed by hand from its formula
// (parameters at their defaults unless a test sets them).
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "model/rules/enclaves.hpp"
#include "model/rules/firms.hpp"
#include "model/rules/job_search.hpp"
#include "model/rules/jobs.hpp"
#include "model/rules/land.hpp"
#include "model/rules/migration.hpp"
#include "model/rules/pools.hpp"
#include "model/rules/productivity.hpp"
#include "model/rules/schedule.hpp"
#include "model/rules/tax_split.hpp"
#include "model/rules/units.hpp"
#include "model/rules/villages.hpp"
#include "model_fixture.hpp"

using namespace feidi;
using namespace feidi::rules;

TEST(Rules, CommitmentDampsTheLeaderAndTheAssessmentPullsUp) {
  Params p;  // institution: government 0.2, PPP 0.7; assessment weight 0.2
  // government-led, priority 0.5: 0.2 + 0.8 × 0.5 = 0.6, then 0.6 + 0.2 × 0.4 = 0.68
  EXPECT_DOUBLE_EQ(commitment(p, OperatingMode::kGovernment, 0.5), 0.68);
  // PPP, priority 0: 0.7, then 0.7 + 0.2 × 0.3 = 0.76
  EXPECT_DOUBLE_EQ(commitment(p, OperatingMode::kPpp, 0.0), 0.76);
  p.governments.assessment_weight = 0;
  EXPECT_DOUBLE_EQ(commitment(p, OperatingMode::kCompany, 1.0), 1.0);
}

TEST(Rules, NashShareOfTheSource) {
  Params p;  // bargaining power 0.5, shift 0.4 per unit of commitment above 0.5, host fallback 0.3
  EXPECT_DOUBLE_EQ(negotiated_source_share(p, 0.5), 0.5 * 0.7);                // 0.35
  EXPECT_DOUBLE_EQ(negotiated_source_share(p, 1.0), (0.5 + 0.4 * 0.5) * 0.7);  // 0.49
  EXPECT_DOUBLE_EQ(negotiated_source_share(p, 0.0), (0.5 - 0.4 * 0.5) * 0.7);  // 0.21
  p.tax_split.source_bargaining_power = 0.9;  // 0.9 + 0.2 = 1.1, clamped to 1
  EXPECT_DOUBLE_EQ(negotiated_source_share(p, 1.0), 0.7);
  p.tax_split.mode = SplitMode::kFixed;
  p.tax_split.fixed_source_share = 0.6;
  EXPECT_DOUBLE_EQ(negotiated_source_share(p, 1.0), 0.6);
}

TEST(Rules, AParkAgreementOverridesTheRule) {
  Params p;
  EnclaveSpec spec;
  spec.fixed_tax_share = 1.0;  // 金磐: all local tax to the source
  EXPECT_DOUBLE_EQ(agreed_source_share(p, spec, 0.3), 1.0);
  spec.fixed_tax_share = -1;
  EXPECT_DOUBLE_EQ(agreed_source_share(p, spec, 0.5), 0.35);
}

TEST(Rules, HonouredShareRisesFromTheFloor) {
  Params p;  // honour floor 0.8
  EXPECT_DOUBLE_EQ(honoured_share(p, 0.0), 0.8);
  EXPECT_DOUBLE_EQ(honoured_share(p, 0.5), 0.9);
  EXPECT_DOUBLE_EQ(honoured_share(p, 1.0), 1.0);
}

TEST(Rules, WeakVillageStandards) {
  VillageParams vp;  // weak below 10万 total or 5万 operating income
  vp.weak_rule = WeakRule::kProvince2017;  // total below 10万; in developed counties also operating below 5万
  EXPECT_TRUE(weak_by_rule(vp, 90000, 60000, false));
  EXPECT_FALSE(weak_by_rule(vp, 150000, 40000, false));
  EXPECT_TRUE(weak_by_rule(vp, 150000, 40000, true));
  vp.weak_rule = WeakRule::kAnd;
  EXPECT_FALSE(weak_by_rule(vp, 90000, 60000, false));
  EXPECT_TRUE(weak_by_rule(vp, 90000, 40000, false));
  vp.weak_rule = WeakRule::kOr;
  EXPECT_TRUE(weak_by_rule(vp, 150000, 40000, false));
  EXPECT_FALSE(weak_by_rule(vp, 150000, 60000, false));
}

TEST(Rules, SectorsAParkTakes) {
  Sector s;
  s.key = "digital";
  s.secondary = 0.2;
  EXPECT_FALSE(sector_fits(s, EnclaveKind::kScitech));  // not enclave-eligible
  s.enclave_eligible = true;
  EXPECT_TRUE(sector_fits(s, EnclaveKind::kScitech));
  EXPECT_FALSE(sector_fits(s, EnclaveKind::kEco));  // an industrial platform wants secondary industry
  s.key = "equipment";
  s.secondary = 0.6;
  EXPECT_TRUE(sector_fits(s, EnclaveKind::kPoverty));
  EXPECT_FALSE(sector_fits(s, EnclaveKind::kScitech));
}

TEST(Rules, CobbDouglasDemandAndValueAdded) {
  // F = 10 firms, alpha = 0.5: L = F (alpha A / w)^(1/(1 - alpha)) = 10 (0.5 × 2 / 1)^2 = 10
  EXPECT_DOUBLE_EQ(labour_demand(10, 0.5, 2.0, 1.0), 10.0);
  EXPECT_DOUBLE_EQ(labour_demand(10, 0.5, 4.0, 1.0), 40.0);  // (0.5 × 4)^2 = 4 per firm
  // VA = F A (L / F)^alpha = 10 × 2 × 4^0.5 = 40
  EXPECT_DOUBLE_EQ(value_added(10, 0.5, 2.0, 40.0), 40.0);
  EXPECT_DOUBLE_EQ(value_added(10, 0.5, 2.0, 0.0), 0.0);
  // At the demanded labour the wage bill is alpha × VA (profit maximisation).
  const double L = labour_demand(10, 0.6, 3.0, 1.5);
  EXPECT_NEAR(1.5 * L, 0.6 * value_added(10, 0.6, 3.0, L), 1e-9);
}

TEST(Rules, ScheduledEvents) {
  Rng rng(1, 0, 0, 1000);
  EXPECT_EQ(months_until(0.0, rng), kNeverStep);
  EXPECT_EQ(months_until(1.0, rng), 1u);
  EXPECT_EQ(schedule_at(-1, 1), 0);  // before the first step, one month: the first step
  EXPECT_EQ(schedule_at(10, 3), 13);
  EXPECT_EQ(schedule_at(10, kNeverStep), kNeverStep);
  EXPECT_EQ(schedule_at(65530, 10), kNeverStep);  // beyond the uint16 calendar
  // Geometric waiting time with p = 0.25: mean 1 / p = 4 months.
  double sum = 0;
  const int n = 40000;
  for (int i = 0; i < n; ++i) {
    Rng r(7, 0, static_cast<std::uint32_t>(i), 1000);
    sum += months_until(0.25, r);
  }
  EXPECT_NEAR(sum / n, 4.0, 0.05);
}

TEST(Rules, MigrationUtility) {
  PersonParams pp;
  pp.migrant_service_share = 0.5;
  pp.service_weight = 2.0;
  pp.home_bonus = 0.3;
  pp.network_bonus = 0.1;
  pp.move_cost = 1.0;
  pp.distance_cost_per_100km = 0.2;
  rules::Destination d;
  d.base_utility = 10.0;
  d.service_level = 0.8;
  // Staying at home: full services, home bonus: 10 + 2 × 0.8 + 0.3 = 11.9
  d.home = d.current = true;
  EXPECT_DOUBLE_EQ(rules::migration_utility(pp, 0.5, d), 11.9);
  // Moving 300 km to an unlinked county: half the services, moving costs 1 + 0.2 × 3:
  // 10 + 2 × 0.8 × 0.5 − 1.6 = 9.2
  d.home = d.current = false;
  d.distance_km = 300;
  EXPECT_DOUBLE_EQ(rules::migration_utility(pp, 0.5, d), 9.2);
  // ... to a county linked by an enclave with same-city treatment 0.5: access 0.5 + 0.5 × 0.5
  // = 0.75, network bonus: 10 + 2 × 0.8 × 0.75 + 0.1 − 1.6 = 9.7
  d.paired = true;
  EXPECT_DOUBLE_EQ(rules::migration_utility(pp, 0.5, d), 9.7);
  // Full same-city treatment gives migrants the natives' services: 10 + 1.6 + 0.1 − 1.6 = 10.1
  EXPECT_DOUBLE_EQ(rules::migration_utility(pp, 1.0, d), 10.1);
}

TEST(Rules, FirmLogProfitAtTheOptimum) {
  // alpha 0.5, wage 2, L 10: VA = 2 × 10 / 0.5 = 40; profit = 0.5 × 40 − 3 × 4 = 8
  EXPECT_DOUBLE_EQ(log_profit_at_optimum(0.5, 2.0, 10.0, 3.0, 4.0), std::log(8.0));
  // rent eats the profit: no location worth a move
  EXPECT_EQ(log_profit_at_optimum(0.5, 2.0, 10.0, 5.0, 4.0), -1e300);
}

TEST(Rules, YearsAndMonths) {
  EXPECT_DOUBLE_EQ(per_month(120.0), 10.0);
  // hazard 12/year: 1 − e^(−1) in a month
  EXPECT_DOUBLE_EQ(monthly_prob(12.0), 1.0 - std::exp(-1.0));
  EXPECT_DOUBLE_EQ(monthly_prob(0.0), 0.0);
}

TEST(Rules, ProvincialAwardWeights) {
  EXPECT_DOUBLE_EQ(award_weight(AwardRule::kEqual, 300, 0.5), 1.0);
  EXPECT_DOUBLE_EQ(award_weight(AwardRule::kNeed, 300, 0.5), 300.0);
  EXPECT_DOUBLE_EQ(award_weight(AwardRule::kCommitment, 300, 0.5), 150.0);
}

TEST(Rules, HostGrantsAShareOfThePlanScaledByCommitment) {
  LandParams lp;
  lp.host_grant_share_per_year = 0.24;
  lp.host_quota_mu_per_year = 200;
  // plan 1000 mu: 1000 × 0.24 / 12 = 20 mu a month at full commitment, 10 at 0.5
  EXPECT_DOUBLE_EQ(host_grant_mu(lp, 1000, 0.5, 500, 500), 10.0);
  EXPECT_DOUBLE_EQ(host_grant_mu(lp, 1000, 1.0, 15, 500), 15.0);  // the unmet plan binds
  EXPECT_DOUBLE_EQ(host_grant_mu(lp, 1000, 1.0, 500, 4), 4.0);    // the pool binds
  EXPECT_DOUBLE_EQ(host_pool_cap_mu(lp), 1000.0);
}

TEST(Rules, LandQuotaDeal) {
  LandParams lp;
  lp.quota_trade_mu_per_year = 100;
  lp.quota_value_yuan_per_mu = 400000;
  lp.quota_reclaim_cost_yuan_per_mu = 100000;
  lp.quota_seller_power = 0.5;
  lp.quota_price_mode = SplitMode::kNash;
  // host at 1.5× the province: value 600k; price = 100k + 0.5 × (600k − 100k) = 350k
  QuotaDeal d = quota_deal(lp, 250, 1.5);
  EXPECT_DOUBLE_EQ(d.mu, 100.0);
  EXPECT_DOUBLE_EQ(d.price_yuan_per_mu, 350000.0);
  EXPECT_DOUBLE_EQ(quota_deal(lp, 30, 1.5).mu, 30.0);  // the source's quota binds
  // a poor host values quota at 0.2 × 400k = 80k, below the reclaim cost: price 100k, no deal
  d = quota_deal(lp, 250, 0.2);
  EXPECT_DOUBLE_EQ(d.mu, 0.0);
  EXPECT_DOUBLE_EQ(d.price_yuan_per_mu, 0.0);
  EXPECT_DOUBLE_EQ(quota_deal(lp, 0, 1.5).mu, 0.0);  // nothing left to sell
  // fixed price 500k: above the rich host's value 600k? no, below: deal at 500k
  lp.quota_price_mode = SplitMode::kFixed;
  lp.quota_fixed_price_yuan_per_mu = 500000;
  EXPECT_DOUBLE_EQ(quota_deal(lp, 250, 1.5).price_yuan_per_mu, 500000.0);
  EXPECT_DOUBLE_EQ(quota_deal(lp, 250, 1.2).mu, 0.0);  // value 480k < 500k
}

TEST(Rules, EnclaveInfrastructureAndSameCity) {
  EnclaveParams p;
  p.infrastructure_half_yuan = 100;
  p.infrastructure_bonus = 0.2;
  p.policy_gap = 0.1;
  p.same_city = 0.0;
  EXPECT_DOUBLE_EQ(infrastructure_share(p, 300), 0.75);
  // (1 + 0.2 × 0.75) × (1 − 1 × 0.1) = 1.15 × 0.9
  EXPECT_DOUBLE_EQ(enclave_productivity(p, 300), 1.15 * 0.9);
  p.same_city = 1.0;  // the gap closes
  EXPECT_DOUBLE_EQ(enclave_productivity(p, 300), 1.15);
  EXPECT_DOUBLE_EQ(enclave_productivity(p, 0), 1.0);
  p.company_leverage = 1.5;
  p.ppp_leverage = 3.0;
  EXPECT_DOUBLE_EQ(private_leverage(p, OperatingMode::kGovernment), 0.0);
  EXPECT_DOUBLE_EQ(private_leverage(p, OperatingMode::kCompany), 1.5);
  EXPECT_DOUBLE_EQ(private_leverage(p, OperatingMode::kPpp), 3.0);
}

TEST(Rules, Incubation) {
  EnclaveParams p;
  p.scitech_projects_per_year = 24;
  EXPECT_DOUBLE_EQ(incubation_arrivals(p, true, 0.5), 1.0);  // 24 / 12 × 0.5
  EXPECT_DOUBLE_EQ(incubation_arrivals(p, false, 0.5), 0.0);
  p.industrialise_intercept = -1.0;
  p.industrialise_same_city = 2.0;
  p.industrialise_infrastructure = 1.0;
  p.industrialise_wage = 0.5;
  p.infrastructure_half_yuan = 100;
  p.same_city = 0.25;
  // logit = −1 + 2 × 0.25 + 1 × 0.5 + 0.5 × ln(e²) = 1: p = 1 / (1 + e^−1)
  EXPECT_NEAR(industrialise_probability(p, 100, std::exp(2.0), 1.0), 1.0 / (1.0 + std::exp(-1.0)), 1e-15);
  // no gap, no infrastructure: logit −0.5
  EXPECT_NEAR(industrialise_probability(p, 0, 1.0, 1.0), 1.0 / (1.0 + std::exp(0.5)), 1e-15);
}

TEST(Rules, JobChances) {
  EconomyParams ep;
  ep.excess_shed_per_month = 0.25;
  PersonParams pp;
  pp.job_match_efficiency = 0.6;
  // demand above jobs: no shedding; separation 0.01; vacancies 120 − 100 × 0.99 = 21;
  // seekers 200 − 150 × 0.99 = 51.5; finding 0.6 × 21 / 51.5
  JobChances j = job_chances(ep, pp, 0.01, 100, 120, 200, 150);
  EXPECT_DOUBLE_EQ(j.separation, 0.01);
  EXPECT_DOUBLE_EQ(j.layoff, 0.0);
  EXPECT_DOUBLE_EQ(j.finding, 0.6 * 21.0 / 51.5);
  // jobs 20 % above demand (120 vs 100 → excess 1/6): shed 0.25 / 6; separation adds 0.01
  j = job_chances(ep, pp, 0.01, 120, 100, 200, 150);
  EXPECT_DOUBLE_EQ(j.layoff, 0.25 * (20.0 / 120.0));
  EXPECT_DOUBLE_EQ(j.separation, 0.01 + 0.25 * (20.0 / 120.0));
  // plenty of vacancies and few seekers: capped at 1
  EXPECT_DOUBLE_EQ(job_chances(ep, pp, 0.01, 0, 1000, 1, 0).finding, 1.0);
}

TEST(Rules, WagesMoveWithTightnessWithinTheClamp) {
  EconomyParams ep;
  ep.wage_adjust_per_month = 0.08;
  ep.wage_change_min_per_month = -0.02;
  ep.wage_change_max_per_month = 0.03;
  EXPECT_NEAR(wage_change(ep, 110, 100), 0.008, 1e-15);  // 0.08 × 0.1
  EXPECT_DOUBLE_EQ(wage_change(ep, 200, 100), 0.03);      // rises capped
  EXPECT_DOUBLE_EQ(wage_change(ep, 50, 100), -0.02);      // cuts sticky
}

TEST(Rules, FirmExitThinningAndHazards) {
  Params p;
  p.firms.exit_rate_per_year = 0.06;
  p.firms.loss_exit_multiplier = 4.0;
  const FirmHazards hz(p);
  EXPECT_DOUBLE_EQ(hz.exit, monthly_prob(0.06));
  EXPECT_DOUBLE_EQ(hz.exit_loss, monthly_prob(0.24));
  EXPECT_DOUBLE_EQ(exit_at_check(hz, true), 1.0);  // a loss-maker exits at every check
  // a profitable firm with the ratio, so checks × ratio = its own monthly probability
  EXPECT_DOUBLE_EQ(exit_at_check(hz, false) * hz.exit_loss, hz.exit);
}

TEST(Rules, LocationChoiceWithoutNoise) {
  FirmParams fp;
  fp.choice_noise = 0.0;
  fp.home_enclave_bonus = 0.15;
  Rng rng(1, 2, 3, 4);
  // stay worth 1.0, moving cost 0.25: a park must be worth more than 1.25
  LocationChoice c(fp, 1.0, 0.25, rng);
  c.offer(EnclaveIdx{5}, 1.2, false, rng);
  EXPECT_EQ(c.choice(), kNoEnclave);
  c.offer(EnclaveIdx{6}, 1.2, true, rng);  // 1.2 + 0.15 = 1.35 > 1.25
  EXPECT_EQ(c.choice(), 6);
  c.offer(EnclaveIdx{7}, 1.3, false, rng);  // 1.3 < 1.35
  EXPECT_EQ(c.choice(), 6);
  c.offer(EnclaveIdx{8}, 1.4, false, rng);
  EXPECT_EQ(c.choice(), 8);
}

TEST(Rules, LocationChoiceNoiseIsGumbel) {
  // Two equal options with noise: each wins about half the time (logit choice).
  FirmParams fp;
  fp.choice_noise = 1.0;
  int moved = 0;
  const int n = 20000;
  for (int i = 0; i < n; ++i) {
    Rng rng(9, 0, static_cast<std::uint32_t>(i), 5);
    LocationChoice c(fp, 0.0, 0.0, rng);
    c.offer(EnclaveIdx{1}, 0.0, false, rng);
    moved += c.choice() == 1;
  }
  EXPECT_NEAR(static_cast<double>(moved) / n, 0.5, 0.015);
}

TEST(Rules, EntrantSector) {
  std::vector<Sector> sectors(3);
  sectors[0].size_factor = 1.0;
  sectors[1].size_factor = 2.0;
  sectors[2].size_factor = 0.5;
  const std::vector<double> share = {0.2, 0.4, 0.4};  // weights 0.2, 0.2, 0.8 (sum 1.2)
  EXPECT_EQ(entrant_sector(share, sectors, 0.1), 0u);
  EXPECT_EQ(entrant_sector(share, sectors, 0.3), 1u);
  EXPECT_EQ(entrant_sector(share, sectors, 0.5), 2u);
  EXPECT_EQ(entrant_sector(share, sectors, 1.19), 2u);
}

TEST(Rules, LogNormalAroundKeepsTheMean) {
  EXPECT_DOUBLE_EQ(lognormal_around(5.0, 0.0, *std::make_unique<Rng>(1, 0, 0, 0)), 5.0);
  double sum = 0;
  const int n = 40000;
  for (int i = 0; i < n; ++i) {
    Rng rng(3, 0, static_cast<std::uint32_t>(i), 0);
    sum += lognormal_around(10.0, 0.5, rng);
  }
  EXPECT_NEAR(sum / n, 10.0, 0.1);
}

TEST(Rules, PoolJoiningAndMembers) {
  VillageParams vp;
  vp.join_hazard_per_year = 1.2;
  EXPECT_DOUBLE_EQ(join_probability(vp, 0.5), monthly_prob(0.6));
  EXPECT_DOUBLE_EQ(join_probability(vp, 0.0), 0.0);
  EXPECT_DOUBLE_EQ(occupancy(200, 50), 0.25);
  EXPECT_DOUBLE_EQ(occupancy(200, 300), 1.0);
  EXPECT_DOUBLE_EQ(occupancy(0, 10), 0.0);
  EXPECT_DOUBLE_EQ(member_return(1200, 50, 200), 300.0);
  EXPECT_FLOAT_EQ(trust_after(0.5f, false, 0.1f, 0.3f), 0.6f);
  EXPECT_FLOAT_EQ(trust_after(0.5f, true, 0.1f, 0.3f), 0.2f);
  EXPECT_FLOAT_EQ(trust_after(0.95f, false, 0.1f, 0.3f), 1.0f);
  EXPECT_FLOAT_EQ(trust_after(0.1f, true, 0.1f, 0.3f), 0.0f);
}

TEST(Rules, PoolSettlement) {
  EnclaveParams ep;
  ep.plant_yield_per_year = 0.12;
  ep.stalled_rent_share = 0.5;
  ep.return_share_of_rent = 0.8;
  ep.pool_tax_share = 0.5;
  ep.underwrite_share = 0.5;
  ep.underwrite_budget_share = 0.1;
  PoolMonth pm;
  pm.invested_yuan = 1.2e6;
  pm.occupancy = 1.0;
  pm.host_condition = 1.0;
  pm.return_rate = 0.06;
  // rent 1.2e6 × 0.12 / 12 = 12 000; due 1.2e6 × 0.06 / 12 = 6 000; pays the larger of
  // due and 0.8 × rent = 9 600; cash 0 + 12 000 − 9 600 = 2 400
  double cash = 0;
  Settlement r = settle_pool(ep, pm, cash);
  EXPECT_DOUBLE_EQ(r.revenue_yuan, 12000.0);
  EXPECT_DOUBLE_EQ(r.due_yuan, 6000.0);
  EXPECT_DOUBLE_EQ(r.paid_yuan, 9600.0);
  EXPECT_DOUBLE_EQ(cash, 2400.0);
  EXPECT_FALSE(r.missed);
  // an empty park: no rent, nothing in cash; the source's enclave tax covers up to half
  // of 2 000 = 1 000; the county company underwrites half the rest (2 500) within 0.1 ×
  // own tax 10 000 = 1 000; missed 6 000 − 1 000 − 1 000 = 4 000
  pm.occupancy = 0.0;
  pm.tax_to_source_yuan = 2000;
  pm.source_own_tax_yuan = 10000;
  cash = 0;
  r = settle_pool(ep, pm, cash);
  EXPECT_DOUBLE_EQ(r.revenue_yuan, 0.0);
  EXPECT_DOUBLE_EQ(r.paid_yuan, 2000.0);
  EXPECT_DOUBLE_EQ(r.missed_yuan, 4000.0);
  EXPECT_TRUE(r.missed);
  EXPECT_DOUBLE_EQ(cash, 0.0);
  // a stalled park earns half the rent: 6 000 = due, paid in full
  pm.occupancy = 1.0;
  pm.stalled = true;
  cash = 0;
  r = settle_pool(ep, pm, cash);
  EXPECT_DOUBLE_EQ(r.revenue_yuan, 6000.0);
  EXPECT_DOUBLE_EQ(r.paid_yuan, 6000.0);
  EXPECT_FALSE(r.missed);
}

TEST(Rules, Productivity) {
  GrowthParams gp;
  gp.convergence_rate_per_year = 0.12;
  gp.return_elasticity = 2.0;
  gp.public_investment_share = 0.5;
  gp.depreciation_per_year = 0.06;
  gp.capital_elasticity = 0.5;
  gp.human_capital_elasticity = 1.0;
  // a county at half the province's output per job closes 0.12/12 of ln 2 a month
  EXPECT_DOUBLE_EQ(tech_step(gp, 2.0, 100, 100), 0.01 * std::log(2.0));
  // return twice the province's (and its own at the start 1): weight = output × 2²
  EXPECT_DOUBLE_EQ(investment_weight(gp, 100, 50, 1.0, 1.0), 400.0);
  EXPECT_DOUBLE_EQ(public_investment(gp, 1200, 10), 0.5 * (100 + 10));
  EXPECT_DOUBLE_EQ(capital_next(gp, 1000, 3, 2), 1000 * (1 - 0.005) + 5);
  // investment 120 a year, depreciation 0.06 + growth 0.04: K = 1200
  EXPECT_NEAR(steady_state_capital(gp, 0.04, 120), 1200.0, 1e-9);
  EXPECT_NEAR(steady_state_capital(gp, -0.06, 120), 6000.0, 1e-9);  // turnover floor 0.02
  // 5 of 100 high-skill, prior 100 at the province's 0.15: (5 + 15) / 200
  EXPECT_DOUBLE_EQ(shrunk_share(5, 100, 100, 0.15), 0.1);
  // 1.2 × e^0 × 4^0.5 × 1.5 = 3.6
  EXPECT_DOUBLE_EQ(place_factor(gp, 1.2, 0.0, 4.0, 1.5), 1.2 * 2.0 * 1.5);
}

TEST(Rules, DrawAFirmInProportionToDemand) {
  // group 0: firms 7, 8, 9 wanting 1, 2, 3 (running sums 1, 3, 6); group 1: 3, 4 wanting nobody
  const std::vector<std::uint32_t> idx = {7, 8, 9, 3, 4}, off = {0, 3, 5};
  const std::vector<double> cum = {1, 3, 6, 0, 0};
  EXPECT_EQ(draw_from(idx, off, cum, 0, 0.1), 7);  // 0.6 of 6: within the first 1
  EXPECT_EQ(draw_from(idx, off, cum, 0, 0.4), 8);  // 2.4: within (1, 3]
  EXPECT_EQ(draw_from(idx, off, cum, 0, 0.9), 9);  // 5.4: within (3, 6]
  EXPECT_EQ(draw_from(idx, off, cum, 1, 0.5), kNoFirm);
  const std::vector<std::uint32_t> off_empty = {0, 3, 3};
  EXPECT_EQ(draw_from(idx, off_empty, cum, 1, 0.5), kNoFirm);
}

TEST(Rules, GuidedDrawsEqualBisection) {
  // Groups of random sizes with random demands (zeros and ties included): the guided draw
  // returns the firm the bisection returns for every u, including u at the group bounds.
  Rng gen(11, 0, 0, 0);
  std::vector<std::uint32_t> idx, off = {0};
  std::vector<double> cum;
  for (int g = 0; g < 60; ++g) {
    const std::uint32_t n = gen.below(40);  // empty groups too
    double acc = 0;
    for (std::uint32_t k = 0; k < n; ++k) {
      const std::uint32_t kind = gen.below(4);
      acc += kind == 0 ? 0.0 : kind == 1 ? 1.0 : gen.uniform() * 100.0;
      cum.push_back(acc);
      idx.push_back(static_cast<std::uint32_t>(idx.size()));
    }
    off.push_back(static_cast<std::uint32_t>(idx.size()));
  }
  std::vector<std::uint32_t> guide(idx.size());
  for (std::size_t g = 0; g + 1 < off.size(); ++g) build_guide(off, cum, g, guide);
  const FirmGroups fg{idx, off, cum, guide};
  for (std::size_t g = 0; g + 1 < off.size(); ++g) {
    for (int t = 0; t < 2000; ++t) {
      const double u = t == 0 ? 0.0 : t == 1 ? std::nextafter(1.0, 0.0) : gen.uniform();
      ASSERT_EQ(draw_guided(fg, g, u), draw_from(idx, off, cum, g, u)) << "group " << g << " u " << u;
    }
    const std::size_t b = off[g], e = off[g + 1];
    for (std::size_t j = b; j < e; ++j) {  // u exactly at a member's running sum
      if (cum[e - 1] <= 0) break;
      const double u = cum[j] / cum[e - 1];
      if (u < 1.0) {
        ASSERT_EQ(draw_guided(fg, g, u), draw_from(idx, off, cum, g, u));
      }
    }
  }
}

TEST(Rules, GuidedUpperEqualsTheUpperBound) {
  // The set-up's employer draw (init_persons): offsets of std::size_t, groups that are
  // never empty, totals of zero included; guided_upper returns the member upper_bound
  // returns (the last one when none exceeds u × the total).
  Rng gen(12, 0, 0, 0);
  std::vector<std::size_t> off = {0};
  std::vector<double> cum;
  for (int g = 0; g < 60; ++g) {
    const std::uint32_t n = 1 + gen.below(40);
    const bool zeros = g % 7 == 0;  // a group whose sizes are all zero
    double acc = 0;
    for (std::uint32_t k = 0; k < n; ++k) {
      const std::uint32_t kind = gen.below(4);
      if (!zeros) acc += kind == 0 ? 0.0 : kind == 1 ? 1.0 : gen.uniform() * 100.0;
      cum.push_back(acc);
    }
    off.push_back(cum.size());
  }
  std::vector<std::uint32_t> guide(cum.size());
  for (std::size_t g = 0; g + 1 < off.size(); ++g) build_guide(off, cum, g, guide);
  for (std::size_t g = 0; g + 1 < off.size(); ++g) {
    const std::size_t b = off[g], e = off[g + 1];
    for (int t = 0; t < 2000; ++t) {
      const double u = t == 0 ? 0.0 : t == 1 ? std::nextafter(1.0, 0.0) : gen.uniform();
      const double x = u * cum[e - 1];
      auto it = std::upper_bound(cum.begin() + static_cast<std::ptrdiff_t>(b), cum.begin() + static_cast<std::ptrdiff_t>(e), x);
      if (it == cum.begin() + static_cast<std::ptrdiff_t>(e)) --it;
      ASSERT_EQ(guided_upper(cum, guide, b, e, u), static_cast<std::size_t>(it - cum.begin())) << "group " << g << " u " << u;
    }
  }
}

namespace {
// The smoke model after one step (the firm index and its demand sums are built), and
// labour signals with zero base utility and the given finding chance everywhere.
struct SearchFixture {
  const Model& m = feidi::testing::smoke_model();
  State s = make_initial_state(m);
  LabourSignals sig;
  explicit SearchFixture(double find) {
    step(m, s);
    const std::size_t n = m.data.n_counties();
    sig.base_utility.assign(n, 0.0);
    sig.sep_prob.assign(n, 0.0);
    sig.layoff_prob.assign(n, 0.0);
    sig.find_prob.assign(n, find);
    double acc = 0;
    for (std::size_t c = 0; c < n; ++c) sig.cum_population.push_back(acc += s.county[c].population);
  }
};
}  // namespace

TEST(Rules, AMigrantChoosesTheCountyFarAhead) {
  SearchFixture x(0.5);
  const auto& ps = x.s.persons;
  std::size_t i = 0;
  while (ps.home[i] == ps.county[i]) ++i;  // a person living away from home
  const CountyIdx cur = ps.county[i], home = ps.home[i];
  Rng rng(1, 0, static_cast<std::uint32_t>(i), 0);
  x.sig.base_utility[home] = 1e6;  // home far ahead of everything: go home
  EXPECT_EQ(choose_county(x.m, x.s, x.sig, i, rng), home);
  x.sig.base_utility[home] = 0;
  x.sig.base_utility[cur] = 1e6;  // the current county far ahead: stay
  EXPECT_EQ(choose_county(x.m, x.s, x.sig, i, rng), cur);
}

TEST(Rules, JobSearchFindsNothingWithoutVacancies) {
  SearchFixture x(0.0);
  for (std::size_t i = 0; i < 2000; ++i) {
    Rng rng(2, 0, static_cast<std::uint32_t>(i), 0);
    const JobSearch r = search_job(x.m, x.s, x.sig, i, x.s.persons.county[i], rng);
    EXPECT_EQ(r.job, kNoFirm);
    EXPECT_FALSE(r.applies);
  }
}

TEST(Rules, JobSearchWithCertainFindingGivesAJobWhereTheSeekerCanWork) {
  SearchFixture x(1.0);
  const auto& f = x.s.firms;
  int jobs = 0, applications = 0;
  const std::size_t np = x.s.persons.size();
  for (std::size_t k = 0; k < 4000; ++k) {
    const std::size_t i = k * (np / 4000);  // spread over every county
    const CountyIdx c = x.s.persons.county[i];
    Rng rng(3, 0, static_cast<std::uint32_t>(i), 0);
    const JobSearch r = search_job(x.m, x.s, x.sig, i, c, rng);
    ASSERT_NE(r.job, kNoFirm);
    ASSERT_TRUE(f.alive[r.job]);
    if (r.applies) {
      ++applications;
      EXPECT_NE(f.enclave[r.job], kNoEnclave);  // applications go to enclave firms only
      if (r.fallback != kNoFirm) {
        EXPECT_EQ(f.enclave[r.fallback], kNoEnclave);
      }
    } else {
      ++jobs;
      EXPECT_EQ(f.enclave[r.job], kNoEnclave);  // an enclave job is never taken directly
      EXPECT_TRUE(job_reachable(x.m, f, r.job, c));
    }
  }
  EXPECT_GT(jobs, 0);
  EXPECT_GT(applications, 0);
}

TEST(Rules, AJobIsReachableInTheCountyOrItsEnclaves) {
  SearchFixture x(0.5);
  auto& f = x.s.firms;
  FirmIdx home_firm = kNoFirm, park_firm = kNoFirm;
  for (std::size_t i = 0; i < f.size(); ++i) {
    if (!f.alive[i]) continue;
    if (f.enclave[i] == kNoEnclave && home_firm == kNoFirm) home_firm = static_cast<FirmIdx>(i);
    if (f.enclave[i] != kNoEnclave && park_firm == kNoFirm) park_firm = static_cast<FirmIdx>(i);
  }
  ASSERT_NE(home_firm, kNoFirm);
  ASSERT_NE(park_firm, kNoFirm);
  const CountyIdx c = f.county[home_firm];
  EXPECT_TRUE(job_reachable(x.m, f, home_firm, c));
  EXPECT_FALSE(job_reachable(x.m, f, home_firm, static_cast<CountyIdx>((c + 1) % x.m.data.n_counties())));
  const auto& spec = x.m.data.enclaves[f.enclave[park_firm]];
  EXPECT_TRUE(job_reachable(x.m, f, park_firm, spec.host));
  EXPECT_TRUE(job_reachable(x.m, f, park_firm, spec.source));  // commuting from the source
  f.alive[home_firm] = 0;
  EXPECT_FALSE(job_reachable(x.m, f, home_firm, c));
}
