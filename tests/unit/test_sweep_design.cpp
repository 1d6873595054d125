// Tests for sweep/: grid order, Latin-hypercube stratification, Morris trajectories
// and effects on known functions, replicate seeds, indicators and sweep-file errors;
// calibration: standardised errors, waves, scoring and file errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "engine/error.hpp"
#include "run/calibration.hpp"
#include "run/sweep.hpp"
#include "tmp_file.hpp"

using namespace feidi;
using namespace feidi::sweep;

TEST(SweepDesign, GridFirstFactorSlowest) {
  const auto g = grid_design({{1, 2}, {10, 20, 30}});
  ASSERT_EQ(g.size(), 6u);
  EXPECT_EQ(g[0], (std::vector<double>{1, 10}));
  EXPECT_EQ(g[1], (std::vector<double>{1, 20}));
  EXPECT_EQ(g[3], (std::vector<double>{2, 10}));
  EXPECT_EQ(g[5], (std::vector<double>{2, 30}));
  EXPECT_EQ(grid_design({}).size(), 1u);  // no parameters: one point
}

TEST(SweepDesign, LatinHypercubeHasOneSampleInEveryStratum) {
  const int n = 37, d = 4;
  const auto u = lhs_unit(n, d, 11);
  ASSERT_EQ(u.size(), static_cast<std::size_t>(n));
  for (int j = 0; j < d; ++j) {
    std::set<int> strata;
    for (const auto& x : u) {
      ASSERT_GE(x[j], 0.0);
      ASSERT_LT(x[j], 1.0);
      strata.insert(static_cast<int>(std::floor(x[j] * n)));
    }
    EXPECT_EQ(strata.size(), static_cast<std::size_t>(n)) << "dimension " << j;
  }
  EXPECT_EQ(lhs_unit(n, d, 11), u);   // deterministic
  EXPECT_NE(lhs_unit(n, d, 12), u);   // the design seed matters
}

TEST(SweepDesign, MorrisTrajectoriesMoveEachFactorOnceByDelta) {
  const int k = 5, r = 8, p = 4;
  const auto m = morris_design(k, r, p, 3);
  EXPECT_DOUBLE_EQ(m.delta, 4.0 / 6.0);
  ASSERT_EQ(m.points.size(), static_cast<std::size_t>(r * (k + 1)));
  for (int t = 0; t < r; ++t) {
    std::set<int> moved;
    for (int j = 0; j < k; ++j) {
      const auto& a = m.points[t * (k + 1) + j];
      const auto& b = m.points[t * (k + 1) + j + 1];
      const int f = m.factor[t * k + j];
      moved.insert(f);
      for (int i = 0; i < k; ++i) {
        if (i == f) EXPECT_NEAR(std::fabs(b[i] - a[i]), m.delta, 1e-12);
        else EXPECT_EQ(a[i], b[i]);
        // On the p-level grid of [0,1].
        EXPECT_GE(b[i], 0.0);
        EXPECT_LE(b[i], 1.0);
        EXPECT_NEAR(b[i] * (p - 1), std::round(b[i] * (p - 1)), 1e-12);
      }
    }
    EXPECT_EQ(moved.size(), static_cast<std::size_t>(k));
  }
}

TEST(SweepDesign, MorrisEffectsOfAKnownFunction) {
  // y = 3 x0 - 2 x1 + 0 x2 + x3^2: mu(x0) = 3, mu(x1) = -2 (mu* 2), x2 has no effect,
  // x3 is non-linear (sigma > 0 when trajectories start at different levels).
  const int k = 4;
  const auto m = morris_design(k, 20, 4, 9);
  std::vector<double> y;
  for (const auto& x : m.points) y.push_back(3 * x[0] - 2 * x[1] + 0 * x[2] + x[3] * x[3]);
  const auto e = morris_effects(m, y);
  EXPECT_NEAR(e.mu[0], 3, 1e-12);
  EXPECT_NEAR(e.mu_star[0], 3, 1e-12);
  EXPECT_NEAR(e.sigma[0], 0, 1e-12);
  EXPECT_NEAR(e.mu[1], -2, 1e-12);
  EXPECT_NEAR(e.mu_star[1], 2, 1e-12);
  EXPECT_EQ(e.mu_star[2], 0.0);
  EXPECT_GT(e.sigma[3], 0.0);
}

TEST(SweepDesign, ReplicateSeedsAreDistinctAndInRange) {
  std::set<std::uint64_t> seen;
  for (int r = 0; r < 1000; ++r) {
    const auto s = replicate_seed(42, r);
    EXPECT_LE(s, 1ull << 53);
    seen.insert(s);
    EXPECT_EQ(s, replicate_seed(42, r));
  }
  EXPECT_EQ(seen.size(), 1000u);
  EXPECT_NE(replicate_seed(42, 0), replicate_seed(43, 0));
}

TEST(SweepOutputs, ParsesIndicators) {
  const InputLocation loc{"x.toml", 3, 1, "outputs.a"};
  auto o = parse_output("province.gdp_per_capita_ratio_26@2035-12", loc);
  EXPECT_EQ(o.when, OutputSpec::When::kMonth);
  EXPECT_EQ(o.at, (YearMonth{2035, 12}));
  o = parse_output("county.gdp_per_capita_ratio[331126]@mean:2030-01:2030-12", loc);
  EXPECT_TRUE(o.county);
  EXPECT_EQ(o.county_code, 331126);
  EXPECT_EQ(o.when, OutputSpec::When::kMean);
  EXPECT_FALSE(o.whole);
  o = parse_output("province.theil", loc);
  EXPECT_EQ(o.when, OutputSpec::When::kEnd);
  EXPECT_EQ(check_output_period(parse_output("province.theil@2040-01", loc), {2018, 1}, {2035, 12}).empty(), false);
  for (const char* bad : {"theil", "province.nope", "county.gdp", "county.gdp[abc]", "province.theil@2035-13",
                          "province.theil@mean:2030-01", "region.gdp"}) {
    try {
      parse_output(bad, loc);
      ADD_FAILURE() << bad << " parsed";
    } catch (const ConfigError& e) {
      EXPECT_EQ(std::string(e.what()).rfind("x.toml:3:1: key 'outputs.a': output '", 0), 0u) << e.what();
    }
  }
}

namespace {
std::string sweep_error(const std::string& name, const std::string& text) {
  const auto p = feidi::testing::write_tmp(name, text);
  try {
    load_sweep(p);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}
const std::string kScenario = std::string("[sweep]\nscenarios = [\"") + FEIDI_SOURCE_DIR + "/configs/smoke.toml\"]\n";
}  // namespace

TEST(SweepFile, LoadsAGrid) {
  const auto p = feidi::testing::write_tmp(
      "grid_ok.toml", kScenario + "replicates = 3\n[[parameters]]\nkey = \"tax_split.mode\"\nvalues = [\"nash\", \"fixed\"]\n"
                                  "[[parameters]]\nkey = \"enclaves.same_city\"\nvalues = [0, 0.5, 1]\n"
                                  "[fixed]\nrun.end = \"2019-12\"\n[outputs]\nt = \"province.theil@2019-06\"\n");
  const auto s = load_sweep(p);
  EXPECT_EQ(s.points.size(), 6u);
  EXPECT_EQ(s.runs(), 18u);
  EXPECT_EQ(s.points[3], (std::vector<double>{1, 0}));  // "fixed" is choice 1
  const auto id = run_id(s, 17);
  EXPECT_EQ(id.point, 5u);
  EXPECT_EQ(id.replicate, 2);
}

TEST(SweepFile, ErrorsNameFileLineAndKey) {
  const std::string out = "[outputs]\nt = \"province.theil\"\n";
  EXPECT_EQ(sweep_error("e1.toml", kScenario + "replicate = 2\n" + out),
            feidi::testing::tmp_path("e1.toml") + ":3:13: key 'sweep.replicate': unknown key (expected one of: branch_from, design, "
                                                   "design_seed, name, replicates, samples, scenarios, seed, trace_dir, traces)");
  EXPECT_NE(sweep_error("e2.toml", kScenario + "[[parameters]]\nkey = \"enclaves.same_city\"\nvalues = [0.5, 2.0]\n" + out)
                .find("e2.toml:5:16: key 'enclaves.same_city': value 2.0 is out of range"),
            std::string::npos);
  EXPECT_NE(sweep_error("e3.toml", kScenario + "design = \"lhs\"\nsamples = 4\n[[parameters]]\nkey = \"tax_split.mode\"\n" + out)
                .find("e3.toml:6:7: key 'parameters.key': a Latin hypercube varies numeric keys only"),
            std::string::npos);
  EXPECT_NE(sweep_error("e4.toml", kScenario + "[fixed]\nrun.end = \"2019-12\"\n[outputs]\nt = \"province.theil@2020-06\"\n")
                .find("e4.toml:6:5: key 'outputs.t': output 'province.theil@2020-06': 2020-06 is not simulated"),
            std::string::npos);
  EXPECT_NE(sweep_error("e5.toml", "[sweep]\nscenarios = [\"nowhere.toml\"]\n" + out).find("e5.toml:2:14: key 'sweep.scenarios': config"),
            std::string::npos);
  EXPECT_NE(sweep_error("e6.toml", kScenario).find("needs an [outputs] table"), std::string::npos);
  EXPECT_NE(sweep_error("e7.toml", kScenario + "[fixed]\nscale.persons_per_agen = 5\n" + out)
                .find("e7.toml:4:26: key 'fixed.scale.persons_per_agen': unknown config key"),
            std::string::npos);
}

// ---- calibration ------------------------------------------------------------------------------

TEST(Calibration, StandardisedErrorsRespectSideAndScale) {
  CalTarget t;
  t.observed = 100;
  t.sd = 10;
  EXPECT_DOUBLE_EQ(target_z(t, 120), 2.0);
  EXPECT_DOUBLE_EQ(target_z(t, 85), -1.5);
  t.side = CalTarget::Side::kAtLeast;  // "100+": only shortfalls count
  EXPECT_DOUBLE_EQ(target_z(t, 150), 0.0);
  EXPECT_DOUBLE_EQ(target_z(t, 80), -2.0);
  t.side = CalTarget::Side::kAtMost;
  EXPECT_DOUBLE_EQ(target_z(t, 80), 0.0);
  t.side = CalTarget::Side::kBoth;
  t.log = true;  // a factor e is one sd when sd = 1
  t.sd = 1;
  EXPECT_NEAR(target_z(t, 100 * std::exp(1.0)), 1.0, 1e-12);
}

TEST(Calibration, WavesStayInsideThePriorsAndFollowTheSurvivors) {
  CalibrationSpec spec;
  spec.samples_per_wave = 40;
  spec.params = {{"a", nullptr, 0.0, 1.0}, {"b", nullptr, 10.0, 20.0}};
  const auto w0 = wave_design(spec, 0, {});
  ASSERT_EQ(w0.size(), 40u);
  for (const auto& x : w0) {
    EXPECT_GE(x[0], 0.0);
    EXPECT_LT(x[0], 1.0);
    EXPECT_GE(x[1], 10.0);
    EXPECT_LT(x[1], 20.0);
  }
  EXPECT_EQ(wave_design(spec, 0, {}), w0);  // a pure function of the seed and the wave
  // Survivors near (0.1, 11): the next wave concentrates there, still inside the priors.
  const std::vector<std::vector<double>> near = {{0.1, 11.0}, {0.12, 11.2}, {0.08, 10.9}};
  const auto w1 = wave_design(spec, 1, near);
  double mean_a = 0;
  for (const auto& x : w1) {
    EXPECT_GE(x[0], 0.0);
    EXPECT_LE(x[0], 1.0);
    EXPECT_GE(x[1], 10.0);
    EXPECT_LE(x[1], 20.0);
    mean_a += x[0] / static_cast<double>(w1.size());
  }
  EXPECT_LT(mean_a, 0.25);
}

TEST(Calibration, ScoreAcceptsTheClosestPlausibleSets) {
  CalibrationSpec spec;
  spec.accept = 2;
  spec.ignore_worst = 0;
  spec.params = {{"a", nullptr, 0.0, 1.0}};
  CalTarget t;
  t.observed = 0;
  t.sd = 1;
  CalibrationResult r;
  r.values = {{0.1}, {0.2}, {0.3}, {0.4}};
  r.measured = {{0.5}, {-2.5}, {4.0}, {-1.0}};  // |z| 0.5, 2.5, 4 (ruled out), 1
  r.wave = {0, 0, 0, 0};
  score(spec, {t}, r);
  EXPECT_EQ(r.plausible, (std::vector<std::uint8_t>{1, 1, 0, 1}));
  EXPECT_EQ(r.accepted, (std::vector<std::uint8_t>{1, 0, 0, 1}));
  EXPECT_DOUBLE_EQ(r.calibrated[0], 0.25);  // median of 0.1 and 0.4
  spec.ignore_worst = 1;  // with one target, the 2nd largest |z| falls back to the largest
  score(spec, {t}, r);
  EXPECT_EQ(r.plausible, (std::vector<std::uint8_t>{1, 1, 0, 1}));
}

TEST(Calibration, UnreachableTargetsDoNotRuleOutSets) {
  // The second target is missed by every set (|z| 5 and more): it is reported as
  // unreachable and the sets are judged on the first.
  CalibrationSpec spec;
  spec.accept = 1;
  spec.params = {{"a", nullptr, 0.0, 1.0}};
  CalTarget t1, t2;
  t1.id = "S1";
  t2.id = "S2";
  t1.observed = t2.observed = 0;
  t1.sd = t2.sd = 1;
  CalibrationResult r;
  r.values = {{0.1}, {0.2}};
  r.measured = {{0.5, 5.0}, {3.5, 6.0}};
  r.wave = {0, 0};
  score(spec, {t1, t2}, r);
  EXPECT_EQ(r.reachable, (std::vector<std::uint8_t>{1, 0}));
  EXPECT_EQ(r.plausible, (std::vector<std::uint8_t>{1, 0}));
  EXPECT_EQ(r.accepted, (std::vector<std::uint8_t>{1, 0}));
  EXPECT_DOUBLE_EQ(r.implausibility[0], 0.5);
  EXPECT_NE(calibration_table(spec, {t1, t2}, r).find("Unreachable"), std::string::npos);
}

TEST(Calibration, BadFilesNameTheLineAndKey) {
  const auto path = feidi::testing::write_tmp("cal_bad.toml", "[parameters]\n\"enclaves.same_city\" = [0.5]\n");
  try {
    load_calibration(path);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), path + ":2:24: key 'parameters.enclaves.same_city': expected [min, max]");
  }
  const auto targets = feidi::testing::write_tmp("tg_bad.toml", "[S9]\nobserved = 1\nsd = 1\n");
  try {
    load_targets(targets);
    FAIL() << "no error";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(targets + ":1:1: key 'S9': not a validation target"), std::string::npos) << e.what();
  }
}

TEST(Calibration, TooFewSurvivorsDrawTheNextWaveAroundTheLeastImplausible) {
  CalibrationSpec spec;
  spec.samples_per_wave = 10;
  spec.params = {{"a", nullptr, 0.0, 1.0}};
  CalibrationResult r;
  for (int i = 0; i < 10; ++i) {
    r.values.push_back({0.1 * i});
    r.implausibility.push_back(10.0 - i);  // the last sets are the least implausible
    r.plausible.push_back(0);
  }
  const auto s = survivors(spec, r);
  ASSERT_EQ(s.size(), 2u);  // a fifth of a wave
  EXPECT_DOUBLE_EQ(s[0][0], 0.9);
  EXPECT_DOUBLE_EQ(s[1][0], 0.8);
  r.plausible[3] = r.plausible[4] = 1;  // a tenth of a wave or more: exactly the plausible sets
  const auto p = survivors(spec, r);
  ASSERT_EQ(p.size(), 2u);
  EXPECT_DOUBLE_EQ(p[0][0], 0.3);
}
