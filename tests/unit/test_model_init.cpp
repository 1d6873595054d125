// Tests for model/init and config/data_loader: the real geography and the 2018 calibration.
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "engine/parallel.hpp"
#include "model_fixture.hpp"

using namespace feidi;
using feidi::testing::smoke_model;

TEST(StaticData, RealCountiesAndVillages) {
  const auto& d = smoke_model().data;
  EXPECT_EQ(d.counties.size(), 90u);
  int acc = 0, eco = 0;
  std::set<int> prefectures;
  for (const auto& c : d.counties) {
    acc += c.accelerated;
    eco += c.eco_function;
    prefectures.insert(c.prefecture_code);
  }
  EXPECT_EQ(acc, 26);
  EXPECT_EQ(prefectures.size(), 11u);
  EXPECT_GT(eco, 0);
  // About 19.7 k administrative villages in the province, about 6.7 k in the 26 counties.
  std::size_t v26 = 0;
  for (const auto& v : d.villages) v26 += d.counties[v.county].accelerated;
  EXPECT_NEAR(static_cast<double>(d.villages.size()), 19700, 400);
  EXPECT_NEAR(static_cast<double>(v26), 6700, 250);
  EXPECT_EQ(d.village_names.size(), d.villages.size());
  // 磐安 is one of the 26 and sources 金磐开发区.
  bool found = false;
  for (const auto& e : d.enclaves)
    if (e.name == "金磐开发区") {
      found = true;
      EXPECT_EQ(d.counties[e.source].name, "磐安县");
      EXPECT_TRUE(d.counties[e.source].accelerated);
    }
  EXPECT_TRUE(found);
}

TEST(StaticData, SixteenEnclavesOfThreeKinds) {
  int kinds[3] = {};
  for (const auto& e : smoke_model().data.enclaves) ++kinds[static_cast<int>(e.kind)];
  EXPECT_EQ(kinds[0], 3);
  EXPECT_EQ(kinds[1], 3);
  EXPECT_EQ(kinds[2], 10);
}

// The county table sums to the province's own 2018 bulletin (57.37 M residents, 5.62
// trillion yuan of GDP) within 2 %.
TEST(StaticData, CountyTableMatchesTheProvincialBulletin) {
  double pop = 0, gdp = 0;
  for (const auto& c : smoke_model().data.counties) {
    pop += c.population_2018;
    gdp += c.gdp_2018_yuan;
  }
  EXPECT_NEAR(pop / kAnchorPopulation2018, 1.0, 0.02);
  EXPECT_NEAR(gdp / kAnchorGdp2018Yuan, 1.0, 0.02);
}

// Every county starts with its table's population and GDP (calibrated by construction,
// up to rounding to person agents and the sampling of who is employed at 1:1000 scale),
// so a county's figures cannot drift from the table unnoticed.
TEST(Init, EveryCountyStartsAtItsTableFigures) {
  ThreadScope scope(2);
  const Model& m = smoke_model();
  const State s = make_initial_state(m);
  const double P = static_cast<double>(m.params.scale.persons_per_agent);
  for (std::size_t c = 0; c < m.data.n_counties(); ++c) {
    const auto& k = m.data.counties[c];
    EXPECT_NEAR(s.county[c].population, k.population_2018, 0.5 * P + 1) << k.name;
    EXPECT_NEAR(s.county[c].gdp_yuan * 12 / k.gdp_2018_yuan, 1.0, 0.06) << k.name;
  }
}

TEST(Init, ReproducesProvincialAnchors) {
  ThreadScope scope(2);
  const Model& m = smoke_model();
  const State s = make_initial_state(m);
  EXPECT_NEAR(s.province.population / kAnchorPopulation2018, 1.0, 0.02);
  // Monthly value added × 12 equals the table's GDP (calibrated by construction,
  // up to the sampling of who is employed at 1:1000 scale).
  EXPECT_NEAR(s.province.gdp_yuan * 12 / kAnchorGdp2018Yuan, 1.0, 0.04);
  // The 26 counties are poorer than the province: ratio between 0.5 and 0.7.
  EXPECT_GT(s.province.gdp_per_capita_ratio_26, 0.5);
  EXPECT_LT(s.province.gdp_per_capita_ratio_26, 0.7);
  // Average wage is plausible for Zhejiang 2018 (about 5–8 thousand yuan a month).
  double wsum = 0, esum = 0;
  for (std::size_t c = 0; c < s.county.size(); ++c) {
    wsum += s.county[c].wage_yuan_month * s.county[c].employment;
    esum += s.county[c].employment;
  }
  EXPECT_GT(wsum / esum, 5000);
  EXPECT_LT(wsum / esum, 8000);
  // Every person's employer produces in the person's county, or in an enclave of it
  // (commuters of parks with a history, enclave_start.csv).
  for (std::size_t i = 0; i < s.persons.size(); ++i) {
    const auto f = s.persons.employer[i];
    if (f == kNoFirm || s.firms.county[f] == s.persons.county[i]) continue;
    ASSERT_NE(s.firms.enclave[f], kNoEnclave) << i;
    ASSERT_EQ(m.data.enclaves[s.firms.enclave[f]].source, s.persons.county[i]) << i;
  }
}

TEST(Init, EnclavesStartAsInTheData) {
  const Model& m = smoke_model();
  const State s = make_initial_state(m);
  // 12 of the 16 parks of 2018 were founded by January (the other four later in 2018).
  EXPECT_EQ(s.province.enclaves_by_kind[0] + s.province.enclaves_by_kind[1] + s.province.enclaves_by_kind[2], 12);
  for (std::size_t e = 0; e < s.enclaves.size(); ++e) {
    EXPECT_LE(s.enclaves[e].used_mu, s.enclaves[e].granted_mu + 1e-9);
    const bool founded = !(m.params.run.start < m.data.enclaves[e].founded);
    EXPECT_DOUBLE_EQ(s.enclaves[e].granted_mu, founded ? m.data.enclaves[e].granted_mu_at_start : 0.0);
  }
  // 金磐开发区 (since 1995) is operating and holds firms.
  EXPECT_EQ(s.enclaves[0].status, EnclaveStatus::kOperating);
  EXPECT_GT(s.enclaves[0].firms, 0);
  // Weak villages exist, more often in the 26 counties.
  EXPECT_GT(s.province.weak_villages_26 / 6700.0, (s.province.weak_villages - s.province.weak_villages_26) / 13000.0);
}
