// Tests for sim/model/rules: each rule against values computed by hand from its formula
// (parameters at their defaults unless a test sets them).
#include <gtest/gtest.h>

#include <cmath>

#include "model/rules/firms.hpp"
#include "model/rules/migration.hpp"
#include "model/rules/schedule.hpp"
#include "model/rules/tax_split.hpp"
#include "model/rules/villages.hpp"

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
