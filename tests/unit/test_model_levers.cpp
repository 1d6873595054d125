// Tests for the policy levers and mechanisms of the model: each test changes one
// lever on the smoke scenario and checks the direction of its effect.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "engine/parallel.hpp"
#include "config/config.hpp"
#include "config/data_loader.hpp"
#include "model_fixture.hpp"

using namespace feidi;
using feidi::testing::smoke_model;

namespace {

// Runs `steps` months of the smoke model with overrides applied; returns the state.
State run_with(const std::vector<std::string>& sets, int steps,
               const std::function<void(const State&)>& each = nullptr) {
  Config c = feidi::testing::smoke_config();
  for (const auto& s : sets) apply_override(c, s);
  Model m = smoke_model();
  m.params = c.params;
  const auto& base = feidi::testing::smoke_config().data;
  if (c.data.extra_enclaves != base.extra_enclaves || c.data.enclaves != base.enclaves) m.data = load_static_data(c);
  ThreadScope scope(2);
  State s = make_initial_state(m);
  for (int i = 0; i < steps; ++i) {
    step(m, s);
    if (each) each(s);
  }
  return s;
}

double sum_enclaves(const State& s, double Enclave::*field) {
  double x = 0;
  for (const auto& e : s.enclaves) x += e.*field;
  return x;
}

int events_of(const State& s, EventKind k) {
  int n = 0;
  for (const auto& e : s.events) n += e.kind == k;
  return n;
}

CountyIdx county(std::int32_t code) {
  const auto& d = smoke_model().data;
  for (std::size_t c = 0; c < d.n_counties(); ++c)
    if (d.counties[c].code == code) return static_cast<CountyIdx>(c);
  ADD_FAILURE() << "no county with code " << code << " in the smoke model";
  return CountyIdx{};
}

}  // namespace

// 1. Enclave kinds: each kind does what its rules say.
TEST(Kinds, EcoEnclaveRaisesItsSourceCountysGdp) {
  const CountyIdx qy = county(331126);  // 庆元
  const State base = run_with({"run.end=2020-12"}, 36);
  const State eco = run_with({"run.end=2020-12", "data.extra_enclaves=qingyuan_eco_enclave.csv",
                              "land.host_grant_share_per_year=1.0"},
                             36);
  EXPECT_GT(eco.county[qy].gdp_attributed_yuan, 1.1 * base.county[qy].gdp_attributed_yuan);
}

TEST(Kinds, PovertyEnclavesReduceWeakVillages) {
  const State with = run_with({}, 25), without = run_with({"data.enclaves="}, 25);
  EXPECT_LT(with.province.weak_villages_26, without.province.weak_villages_26);
  EXPECT_GT(sum_enclaves(with, &Enclave::pool_invested_yuan), 0);
}

TEST(Kinds, ScitechGraduatesIndustrialiseInTheSource) {
  const State s = run_with({}, 24);
  EXPECT_GT(s.province.graduated_source, 0);
  EXPECT_GT(s.province.incubating, 0);
}

// 2. Tax split: negotiated by default, fixed by config, renegotiated after turnover.
TEST(TaxSplit, FixedShareMovesTaxToTheSource) {
  const State lo = run_with({"tax_split.mode=fixed", "tax_split.fixed_source_share=0.2"}, 12);
  const State hi = run_with({"tax_split.mode=fixed", "tax_split.fixed_source_share=0.9"}, 12);
  EXPECT_GT(sum_enclaves(hi, &Enclave::tax_to_source_yuan), 1.5 * sum_enclaves(lo, &Enclave::tax_to_source_yuan));
}

TEST(TaxSplit, BargainingPowerRaisesTheNegotiatedShare) {
  const State lo = run_with({"tax_split.source_bargaining_power=0.3"}, 6);
  const State hi = run_with({"tax_split.source_bargaining_power=0.8"}, 6);
  EXPECT_GT(sum_enclaves(hi, &Enclave::tax_share_source), sum_enclaves(lo, &Enclave::tax_share_source));
}

TEST(TaxSplit, TurnoverTriggersRenegotiation) {
  int fast = 0, slow = 0;
  run_with({"governments.mean_tenure_years=1"}, 24, [&](const State& s) { fast += events_of(s, EventKind::kRenegotiation); });
  run_with({"governments.mean_tenure_years=20"}, 24, [&](const State& s) { slow += events_of(s, EventKind::kRenegotiation); });
  EXPECT_GT(fast, slow);
  EXPECT_GT(fast, 0);
}

// 3. Statistical attribution moves GDP, not tax.
TEST(Attribution, SourceShareMovesAttributedGdp) {
  const CountyIdx panan = county(330727);
  const State lo = run_with({"tax_split.gdp_attribution_source_share=0.0"}, 6);
  const State hi = run_with({"tax_split.gdp_attribution_source_share=1.0"}, 6);
  EXPECT_GT(hi.county[panan].gdp_attributed_yuan, lo.county[panan].gdp_attributed_yuan);
  // Production and tax move only indirectly: hosts value land quota at their attributed GDP
  // per capita, and the quota proceeds feed public investment (a few parts per million).
  EXPECT_NEAR(hi.county[panan].gdp_yuan / lo.county[panan].gdp_yuan, 1.0, 1e-4);
  EXPECT_NEAR(sum_enclaves(hi, &Enclave::tax_to_source_yuan) / sum_enclaves(lo, &Enclave::tax_to_source_yuan), 1.0, 1e-4);
}

// 4. Guaranteed return: missed payments lower trust.
TEST(GuaranteedReturn, ShortfallsAreMissedAndCostTrust) {
  int missed = 0;
  const State s = run_with({"enclaves.guaranteed_return_rate=0.5", "enclaves.underwrite_share=0.0",
                            "enclaves.pool_tax_share=0.0"},
                           30, [&](const State& st) { missed += events_of(st, EventKind::kMissedPayment); });
  EXPECT_GT(missed, 0);
  float min_trust = 1;
  for (std::size_t i = 0; i < s.villages.size(); ++i)
    if (s.villages.pool[i] != kNoEnclave) min_trust = std::min(min_trust, s.villages.trust[i]);
  EXPECT_LT(min_trust, 1.0f);
}

// 5. Land: host grants, the award rule, land-quota trading.
TEST(Land, HostQuotaLimitsGrants) {
  // Hosts grant out of their own quota plus what they buy from their pair (turned off here).
  const State none = run_with({"land.host_quota_mu_per_year=0", "land.provincial_award_mu_per_year=0",
                               "land.quota_trade_mu_per_year=0"}, 12);
  const State some = run_with({"land.host_quota_mu_per_year=2000", "land.provincial_award_mu_per_year=0",
                               "land.quota_trade_mu_per_year=0"}, 12);
  EXPECT_EQ(none.province.land_granted_mu, 0.0);
  EXPECT_GT(some.province.land_granted_mu, 0.0);
}

TEST(Land, QuotaTradingPaysSourcesAndVillages) {
  double none_rev = 0, some_rev = 0, village = 0;
  run_with({"land.quota_trade_mu_per_year=0"}, 12, [&](const State& s) {
    for (const auto& c : s.county) none_rev += c.quota_revenue_yuan;
  });
  run_with({"land.quota_trade_mu_per_year=500"}, 12, [&](const State& s) {
    for (const auto& c : s.county) some_rev += c.quota_revenue_yuan;
    village += s.province.quota_village_income_yuan;
  });
  EXPECT_EQ(none_rev, 0.0);
  EXPECT_GT(some_rev, 0.0);
  EXPECT_GT(village, 0.0);
}

TEST(Land, FixedQuotaPriceIsUsed) {
  const State s = run_with({"land.quota_price_mode=fixed", "land.quota_fixed_price_yuan_per_mu=420000"}, 2);
  for (const auto& t : s.quota_trades) {
    if (t.mu > 0) {
      EXPECT_DOUBLE_EQ(t.price_yuan_per_mu, 420000);
    }
  }
}

TEST(Land, CapsHoldEnclavesToTheirHistoricalLand) {
  const State capped = run_with({"land.enforce_land_caps=true"}, 24);
  const State free = run_with({"land.enforce_land_caps=false"}, 24);
  EXPECT_LE(capped.enclaves[1].granted_mu, 200.0 + 1e-9);  // 江东杭千开发区
  EXPECT_GT(free.enclaves[1].granted_mu, 200.0);
}

// 6. Same-city treatment.
TEST(SameCity, RaisesIndustrialisationInTheSource) {
  const State lo = run_with({"enclaves.same_city=0"}, 24);
  const State hi = run_with({"enclaves.same_city=1"}, 24);
  EXPECT_GT(hi.province.industrialisation_rate, lo.province.industrialisation_rate);
}

TEST(SameCity, DrawsSourceNativesToHosts) {
  // Natives of the 26 counties living in the hosts of their county's enclaves.
  auto in_hosts = [](const State& s) {
    const auto& d = smoke_model().data;
    double n = 0;
    for (std::size_t i = 0; i < s.persons.size(); ++i) {
      const auto h = s.persons.home[i], c = s.persons.county[i];
      if (h != c && s.enclave_pair[static_cast<std::size_t>(h) * d.n_counties() + c]) n += 1;
    }
    return n;
  };
  const State lo = run_with({"enclaves.same_city=0", "persons.move_hazard_employed_per_year=0.5"}, 36);
  const State hi = run_with({"enclaves.same_city=1", "persons.move_hazard_employed_per_year=0.5"}, 36);
  EXPECT_GT(in_hosts(hi), in_hosts(lo));
}

// 7. Special fund and operating mode.
TEST(Fund, SpecialFundBuildsInfrastructure) {
  const State lo = run_with({"province.special_fund_yuan_per_year=0"}, 12);
  const State hi = run_with({"province.special_fund_yuan_per_year=5e9"}, 12);
  EXPECT_GT(sum_enclaves(hi, &Enclave::infrastructure_yuan), sum_enclaves(lo, &Enclave::infrastructure_yuan));
  EXPECT_GT(sum_enclaves(hi, &Enclave::va_yuan), sum_enclaves(lo, &Enclave::va_yuan));
}

TEST(Mode, PppMobilisesPrivateMoneyAndCommitment) {
  const State gov = run_with({"enclaves.mode_override=government"}, 12);
  const State ppp = run_with({"enclaves.mode_override=ppp"}, 12);
  EXPECT_GT(sum_enclaves(ppp, &Enclave::infrastructure_yuan), sum_enclaves(gov, &Enclave::infrastructure_yuan));
  EXPECT_GT(sum_enclaves(ppp, &Enclave::commitment), sum_enclaves(gov, &Enclave::commitment));
}

// 8. Leadership turnover and institutionalisation.
TEST(Turnover, InstitutionsDampLowPriorityLeaders) {
  // Leaders care little; only institutions keep the host committed and honouring the split.
  const std::vector<std::string> weak = {"governments.priority_min=0", "governments.priority_max=0.1",
                                         "governments.assessment_weight=0"};
  auto with = [&](const char* inst) {
    auto v = weak;
    v.push_back(std::string("governments.institution_company=") + inst);
    return run_with(v, 12);
  };
  const State lo = with("0.1"), hi = with("0.9");
  EXPECT_GT(sum_enclaves(hi, &Enclave::commitment), sum_enclaves(lo, &Enclave::commitment));
  EXPECT_GT(sum_enclaves(hi, &Enclave::honoured_share), sum_enclaves(lo, &Enclave::honoured_share));
  EXPECT_GT(sum_enclaves(hi, &Enclave::granted_mu), sum_enclaves(lo, &Enclave::granted_mu));
}

TEST(Turnover, LowCommitmentStallsEnclaves) {
  int stalled = 0;
  run_with({"governments.priority_min=0", "governments.priority_max=0.05", "governments.assessment_weight=0",
            "governments.stall_commitment=0.6", "governments.mean_tenure_years=1"},
           12, [&](const State& s) { stalled += events_of(s, EventKind::kEnclaveStalled); });
  EXPECT_GT(stalled, 0);
}

// 9. Assessment incentive.
TEST(Assessment, WeightRaisesCommitment) {
  const State lo = run_with({"governments.assessment_weight=0"}, 3);
  const State hi = run_with({"governments.assessment_weight=0.8"}, 3);
  EXPECT_GT(sum_enclaves(hi, &Enclave::commitment), sum_enclaves(lo, &Enclave::commitment));
}

// 10. Firms' location choice, entry and exit; persons' return migration; villages' pooling.
TEST(Firms, RelocationHazardMovesFirmsIntoEnclaves) {
  int lo = 0, hi = 0;
  run_with({"firms.relocate_hazard_per_year=0", "firms.entry_rate_per_year=0"}, 12,
           [&](const State& s) { lo += events_of(s, EventKind::kFirmRelocation); });
  run_with({"firms.relocate_hazard_per_year=0.5", "firms.entry_rate_per_year=0"}, 12,
           [&](const State& s) { hi += events_of(s, EventKind::kFirmRelocation); });
  EXPECT_EQ(lo, 0);
  EXPECT_GT(hi, 0);
}

TEST(Firms, EntryAndExitChangeTheFirmCount) {
  const State grow = run_with({"firms.entry_rate_per_year=0.2", "firms.exit_rate_per_year=0.02"}, 24);
  const State shrink = run_with({"firms.entry_rate_per_year=0.02", "firms.exit_rate_per_year=0.2"}, 24);
  double g = 0, s = 0;
  for (const auto& c : grow.county) g += c.firms;
  for (const auto& c : shrink.county) s += c.firms;
  EXPECT_GT(g, 1.2 * s);
}

TEST(Persons, HomeBonusBringsMigrantsHome) {
  auto natives_away = [](const State& s) {
    double n = 0;
    for (std::size_t i = 0; i < s.persons.size(); ++i) n += s.persons.home[i] != s.persons.county[i];
    return n;
  };
  const State lo = run_with({"persons.home_bonus=0"}, 24);
  const State hi = run_with({"persons.home_bonus=4"}, 24);
  EXPECT_LT(natives_away(hi), natives_away(lo));
}

TEST(Villages, JoinHazardSpeedsPooling) {
  const State lo = run_with({"villages.join_hazard_per_year=0.1"}, 18);
  const State hi = run_with({"villages.join_hazard_per_year=6"}, 18);
  EXPECT_GT(sum_enclaves(hi, &Enclave::pool_invested_yuan), sum_enclaves(lo, &Enclave::pool_invested_yuan));
}

// 11. Productivity: each channel moves county productivity the way its parameter says.
namespace {
double capital_of_26(const State& s) {
  const auto& d = smoke_model().data;
  double k = 0;
  for (std::size_t c = 0; c < d.n_counties(); ++c)
    if (d.counties[c].accelerated) k += s.growth[c].capital_yuan;
  return k;
}
double private_investment_share_26(const State& s) {
  const auto& d = smoke_model().data;
  double in = 0, all = 0;
  for (std::size_t c = 0; c < d.n_counties(); ++c) {
    all += s.growth[c].investment_private_yuan;
    if (d.counties[c].accelerated) in += s.growth[c].investment_private_yuan;
  }
  return in / all;
}
}  // namespace

TEST(Growth, ConvergenceLetsCountiesBehindCatchUp) {
  const State off = run_with({"growth.convergence_rate_per_year=0"}, 36);
  const State on = run_with({"growth.convergence_rate_per_year=0.03"}, 36);
  EXPECT_GT(on.province.gdp_per_capita_ratio_26, off.province.gdp_per_capita_ratio_26 + 0.01);
  // The county furthest behind in GDP per worker at the start gains technology, the one
  // furthest ahead loses some (relative to the province).
  ThreadScope scope(2);
  const State start = make_initial_state(smoke_model());
  std::size_t behind = 0, ahead = 0;
  auto y = [&](std::size_t c) { return start.county[c].gdp_yuan / start.county[c].jobs; };
  for (std::size_t c = 1; c < start.county.size(); ++c) {
    if (y(c) < y(behind)) behind = c;
    if (y(c) > y(ahead)) ahead = c;
  }
  EXPECT_GT(on.growth[behind].log_tech, 0.0);
  EXPECT_LT(on.growth[ahead].log_tech, 0.0);
  EXPECT_DOUBLE_EQ(off.growth[behind].log_tech, 0.0);
}

TEST(Growth, TransfersBuildCapitalAndOutputInThe26) {
  const State base = run_with({}, 36);
  const State more = run_with({"province.transfers_26_yuan_per_year=1e11"}, 36);
  EXPECT_GT(capital_of_26(more), 1.05 * capital_of_26(base));
  EXPECT_GT(more.province.gdp_per_capita_ratio_26, base.province.gdp_per_capita_ratio_26);
}

TEST(Growth, PrivateCapitalFollowsReturns) {
  // Technology diffusion raises the return on capital in the 26 counties; private
  // investment follows it only when return_elasticity > 0.
  const State flat = run_with({"growth.convergence_rate_per_year=0.03", "growth.return_elasticity=0"}, 36);
  const State follow = run_with({"growth.convergence_rate_per_year=0.03", "growth.return_elasticity=5"}, 36);
  EXPECT_GT(private_investment_share_26(follow), private_investment_share_26(flat));
}

TEST(Growth, EnclaveRevenueInvestedAtHomeRaisesSourceCapital) {
  // The same run until its first January, then the source share of every enclave's tax
  // jumps to 0.9 or stays at 0.1: the sources' public investment and capital follow.
  auto run = [](double later_share) {
    Config c = feidi::testing::smoke_config();
    apply_override(c, "tax_split.mode=fixed");
    apply_override(c, "tax_split.fixed_source_share=0.1");
    apply_override(c, "growth.public_investment_share=0.6");
    Model m = smoke_model();
    m.params = c.params;
    ThreadScope scope(2);
    State s = make_initial_state(m);
    for (int i = 0; i < 30; ++i) {
      if (i == 1) m.params.tax_split.fixed_source_share = later_share;
      step(m, s);
    }
    return s;
  };
  const State lo = run(0.1), hi = run(0.9);
  const CountyIdx kc = county(330802);  // 柯城, source of two sci-tech parks
  EXPECT_GT(hi.growth[kc].investment_public_yuan, lo.growth[kc].investment_public_yuan);
  EXPECT_GT(hi.growth[kc].capital_yuan, lo.growth[kc].capital_yuan);
}

TEST(Growth, TalentMovesHomeWithIndustrialisedProjects) {
  const CountyIdx kc = county(330802);
  double moved = 0;
  const State none = run_with({"enclaves.talent_per_project=0"}, 36);
  const State some = run_with({"enclaves.talent_per_project=1000"}, 36, [&](const State& s) { moved += s.growth[kc].talent_in; });
  EXPECT_GT(moved, 0.0);
  EXPECT_GT(some.ledger.residents_high[kc], none.ledger.residents_high[kc]);
}

TEST(Growth, HumanCapitalRaisesPlaceProductivity) {
  const CountyIdx kc = county(330802);
  const State without = run_with({"enclaves.talent_per_project=1000", "growth.human_capital_elasticity=0"}, 36);
  const State with = run_with({"enclaves.talent_per_project=1000", "growth.human_capital_elasticity=1"}, 36);
  EXPECT_GT(with.location_factor[kc] / with.growth[kc].base_factor,
            without.location_factor[kc] / without.growth[kc].base_factor);
}

// 12. Villages: the province-wide relief programme and the reliability of pools.
TEST(Villages, ReliefProgrammeLiftsWeakVillagesEverywhere) {
  const State off = run_with({"villages.relief_hazard_per_year=0"}, 25);
  const State on = run_with({"villages.relief_hazard_per_year=3"}, 25);
  const double outside_off = off.province.weak_villages - off.province.weak_villages_26;
  const double outside_on = on.province.weak_villages - on.province.weak_villages_26;
  EXPECT_LT(outside_on, 0.8 * outside_off);  // also where no county sources a poverty park
  EXPECT_GT(on.province.relief_villages, 0.0);
  EXPECT_DOUBLE_EQ(off.province.relief_villages, 0.0);
}

TEST(GuaranteedReturn, APoorerSourceBudgetMissesMore) {
  // A high promised rate on pools whose plants earn little: the source county company
  // can cover less when it may spend less of its budget, so more payments are missed.
  const std::vector<std::string> hard = {"enclaves.guaranteed_return_rate=0.3", "enclaves.plant_yield_per_year=0.01",
                                         "villages.join_hazard_per_year=6"};
  auto missed = [&](const char* budget) {
    auto sets = hard;
    sets.push_back(budget);
    double m = 0;
    run_with(sets, 24, [&](const State& s) { m += sum_enclaves(s, &Enclave::return_missed_yuan); });
    return m;
  };
  EXPECT_GT(missed("enclaves.underwrite_budget_share=0.001"), missed("enclaves.underwrite_budget_share=1") * 1.2);
}

TEST(GuaranteedReturn, ParksOwnRatesAreOwed) {
  // 平湖—青田 owes its own 10 %, whatever the lever says; parks without one owe the lever's.
  const auto& d = smoke_model().data;
  const State s = run_with({"enclaves.guaranteed_return_rate=0.05", "villages.join_hazard_per_year=6"}, 12);
  for (std::size_t e = 0; e < d.enclaves.size(); ++e) {
    const auto& en = s.enclaves[e];
    if (d.enclaves[e].kind != EnclaveKind::kPoverty || en.pool_invested_yuan <= 0) continue;
    const double rate = en.return_due_yuan * 12 / en.pool_invested_yuan;
    EXPECT_NEAR(rate, d.enclaves[e].return_rate >= 0 ? d.enclaves[e].return_rate : 0.05, 1e-9) << d.enclaves[e].name;
  }
}
