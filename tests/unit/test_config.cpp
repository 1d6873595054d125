// Tests for config/config: defaults, overrides, the resolved TOML, and every kind of
// bad input with the exact one-line message it gives (file:line:column, key).
#include <gtest/gtest.h>

#include "engine/error.hpp"
#include "config/config.hpp"
#include "tmp_file.hpp"

using namespace feidi;

namespace {
using write_fn = std::string (*)(const std::string&, const std::string&);
constexpr write_fn write_cfg = feidi::testing::write_tmp;

// Loads `text` and returns the error message ("" when it loads).
std::string error_of(const std::string& name, const std::string& text) {
  const auto p = write_cfg(name, text);
  try {
    load_config(p);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

std::string tmp(const std::string& name) { return feidi::testing::tmp_path(name); }
}  // namespace

TEST(Config, DefaultsAndNameFromStem) {
  const auto p = write_cfg("my_scenario.toml", "[scale]\npersons_per_agent = 500\n");
  const Params params = load_config(p).params;
  EXPECT_EQ(params.run.name, "my_scenario");
  EXPECT_EQ(params.scale.persons_per_agent, 500);
  EXPECT_EQ(params.scale.firms_per_agent, Params{}.scale.firms_per_agent);
  EXPECT_EQ(params.steps(), 216);
}

TEST(Config, ShippedConfigsLoad) {
  for (const char* name : {"smoke", "baseline"}) {
    const Params p = load_config(std::string(FEIDI_SOURCE_DIR) + "/configs/" + name + ".toml").params;
    EXPECT_EQ(p.run.name, name);
  }
}

TEST(Config, ResolvedTomlRoundTrips) {
  Config c;
  c.params.enclaves.same_city = 0.75;
  c.params.tax_split.mode = SplitMode::kFixed;
  c.params.run.description = "quote \" and backslash \\";
  c.trace.panel_persons = 7;
  c.data.extra_enclaves = "more.csv";
  const auto path = write_cfg("roundtrip.toml", to_toml(c));
  const Config q = load_config(path);
  EXPECT_EQ(to_toml(q), to_toml(c));
  EXPECT_EQ(q.trace.panel_persons, 7);
  EXPECT_EQ(q.data.extra_enclaves, "more.csv");
}

TEST(Config, OverridesApply) {
  Config c;
  apply_override(c, "enclaves.same_city=0.9");
  apply_override(c, "run.name=alt");
  apply_override(c, "run.end=2020-06");
  apply_override(c, "tax_split.mode=fixed");
  apply_override(c, "scale.persons_per_agent=2000");
  apply_override(c, "trace.snapshot_interval_months=12");
  apply_override(c, "data.enclaves=\"\"");
  const Params& p = c.params;
  EXPECT_DOUBLE_EQ(p.enclaves.same_city, 0.9);
  EXPECT_EQ(p.run.name, "alt");
  EXPECT_EQ(p.run.end.str(), "2020-06");
  EXPECT_EQ(p.tax_split.mode, SplitMode::kFixed);
  EXPECT_EQ(p.scale.persons_per_agent, 2000);
  EXPECT_EQ(c.trace.snapshot_interval_months, 12);  // trace and data settings live beside the model's
  EXPECT_EQ(c.data.enclaves, "");
}

TEST(Config, LeversAreModelParameters) {
  Params p;
  for (const auto* k : lever_specs()) {
    EXPECT_NE(k->section, "trace");
    EXPECT_NE(k->section, "data");
  }
  const KeySpec* same_city = find_key("enclaves.same_city");
  ASSERT_TRUE(same_city && same_city->lever);
  set_lever(p, *same_city, 0.4, "test");
  EXPECT_DOUBLE_EQ(p.enclaves.same_city, 0.4);
  EXPECT_DOUBLE_EQ(lever_value(p, *same_city), 0.4);
}

// A config may include others (relative to itself): included keys first, in order, then
// the file's own, which win; an included file's errors name that file.
TEST(Config, IncludesApplyFirstAndTheFileWins) {
  write_cfg("inc_base.toml", "[enclaves]\nsame_city = 0.7\nscitech_projects_per_year = 55\n");
  write_cfg("inc_more.toml", "include = \"inc_base.toml\"\n[enclaves]\nsame_city = 0.8\n");
  const Params p = load_config(write_cfg("inc_top.toml", "include = [\"inc_more.toml\"]\n[enclaves]\nsame_city = 0.9\n")).params;
  EXPECT_DOUBLE_EQ(p.enclaves.same_city, 0.9);                  // the file's own key wins
  EXPECT_DOUBLE_EQ(p.enclaves.scitech_projects_per_year, 55.0);  // from two levels down
  EXPECT_EQ(p.run.name, "inc_top");
}

TEST(ConfigErrors, Includes) {
  EXPECT_EQ(error_of("inc_missing.toml", "include = \"nowhere.toml\"\n"),
            tmp("inc_missing.toml") + ":1:11: key 'include': included file '" + tmp("nowhere.toml") + "' not found");
  EXPECT_EQ(error_of("inc_type.toml", "include = 3\n"),
            tmp("inc_type.toml") + ":1:11: key 'include': expected a file name or a list of file names");
  write_cfg("inc_bad.toml", "[enclaves]\nsame_city = 2\n");
  EXPECT_EQ(error_of("inc_outer.toml", "include = \"inc_bad.toml\"\n"),
            tmp("inc_bad.toml") + ":2:13: key 'enclaves.same_city': value 2.0 is out of range [0.0, 1.0]");
  write_cfg("inc_loop.toml", "include = \"inc_loop.toml\"\n");
  EXPECT_NE(error_of("inc_loop2.toml", "include = \"inc_loop.toml\"\n").find("nest deeper than 4"), std::string::npos);
}

TEST(ConfigErrors, SyntaxError) {
  EXPECT_EQ(error_of("e1.toml", "[run]\nstart = \"2018-01\nend = 3\n"),
            tmp("e1.toml") + ":2:17: TOML syntax error: Error while parsing string: unescaped control characters other than TAB (U+0009) "
                                   "are explicitly prohibited");
}

TEST(ConfigErrors, SyntaxErrorInATable) {
  EXPECT_EQ(error_of("e1b.toml", "[run\nseed = 1\n"),
            tmp("e1b.toml") + ":1:5: TOML syntax error: Error while parsing table header: expected ']', saw '\\n'");
}

TEST(ConfigErrors, UnknownSection) {
  EXPECT_EQ(error_of("e2.toml", "[runn]\nseed = 1\n"),
            tmp("e2.toml") + ":1:1: key 'runn': unknown section or key");
}

TEST(ConfigErrors, UnknownKeyWithSuggestion) {
  EXPECT_EQ(error_of("e3.toml", "[scale]\npersons_per_agnet = 10\n"),
            tmp("e3.toml") + ":2:21: key 'scale.persons_per_agnet': unknown key (did you mean 'scale.persons_per_agent'?)");
}

TEST(ConfigErrors, StringWhereIntegerExpected) {
  EXPECT_EQ(error_of("e4.toml", "[scale]\npersons_per_agent = \"ten\"\n"),
            tmp("e4.toml") + ":2:21: key 'scale.persons_per_agent': expected an integer, got a string");
}

TEST(ConfigErrors, FloatWhereIntegerExpected) {
  EXPECT_EQ(error_of("e5.toml", "[scale]\nfirms_per_agent = 10.5\n"),
            tmp("e5.toml") + ":2:19: key 'scale.firms_per_agent': expected an integer, got a float");
}

TEST(ConfigErrors, BooleanWhereNumberExpected) {
  EXPECT_EQ(error_of("e6.toml", "[enclaves]\nsame_city = true\n"),
            tmp("e6.toml") + ":2:13: key 'enclaves.same_city': expected a number, got a boolean");
}

TEST(ConfigErrors, IntegerOutOfRange) {
  EXPECT_EQ(error_of("e7.toml", "[scale]\npersons_per_agent = -3\n"),
            tmp("e7.toml") + ":2:21: key 'scale.persons_per_agent': value -3 is out of range [1, 10000000] persons");
}

TEST(ConfigErrors, FractionOutOfRange) {
  EXPECT_EQ(error_of("e8.toml", "[enclaves]\nsame_city = 1.5\n"),
            tmp("e8.toml") + ":2:13: key 'enclaves.same_city': value 1.5 is out of range [0.0, 1.0]");
}

TEST(ConfigErrors, BadMonth) {
  EXPECT_EQ(error_of("e9.toml", "[run]\nstart = \"2018-13\"\n"),
            tmp("e9.toml") + ":2:9: key 'run.start': '2018-13' is not a month \"YYYY-MM\" between 1900 and 2200");
}

TEST(ConfigErrors, EndBeforeStartNamesTheEndKey) {
  EXPECT_EQ(error_of("e10.toml", "[run]\nstart = \"2020-01\"\nend = \"2019-12\"\n"),
            tmp("e10.toml") + ":3:7: key 'run.end': end 2019-12 is before start 2020-01");
}

TEST(ConfigErrors, BadChoice) {
  EXPECT_EQ(error_of("e11.toml", "[tax_split]\nmode = \"equal\"\n"),
            tmp("e11.toml") + ":2:8: key 'tax_split.mode': 'equal' is not one of \"nash\", \"fixed\"");
}

TEST(ConfigErrors, SectionIsNotATable) {
  EXPECT_EQ(error_of("e12.toml", "scale = 3\n"),
            tmp("e12.toml") + ":1:9: key 'scale': expected a table [scale], got an integer");
}

TEST(ConfigErrors, SharesAboveOne) {
  EXPECT_EQ(error_of("e13.toml", "[persons]\nhigh_skill_share = 0.6\nlow_skill_share = 0.6\n"),
            tmp("e13.toml") + ":3:19: key 'persons.low_skill_share': high_skill_share + low_skill_share must not exceed 1");
}

TEST(ConfigErrors, MissingFileAndDirectory) {
  try {
    load_config(tmp("does_not_exist.toml"));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), tmp("does_not_exist.toml") + ": config file not found");
  }
  EXPECT_THROW(load_config(FEIDI_TEST_TMP), ConfigError);
}

TEST(ConfigErrors, Overrides) {
  Config p;
  auto msg = [&](const std::string& s) {
    try {
      apply_override(p, s);
    } catch (const ConfigError& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(msg("scale.persons=5"),
            "--set scale.persons=5: key 'scale.persons': unknown key (did you mean 'scale.persons_per_agent'?)");
  EXPECT_EQ(msg("scale.persons_per_agent=abc"),
            "--set scale.persons_per_agent=abc: key 'scale.persons_per_agent': 'abc' is not an integer");
  EXPECT_EQ(msg("enclaves.same_city=2"),
            "--set enclaves.same_city=2: key 'enclaves.same_city': value 2.0 is out of range [0.0, 1.0]");
  EXPECT_EQ(msg("noequals"), "--set noequals: expected section.key=value");
}

TEST(ConfigReference, DocumentsEveryKey) {
  const std::string md = config_reference_markdown();
  for (const auto& k : config_keys()) {
    EXPECT_NE(md.find("| `" + k.key + "`"), std::string::npos) << k.dotted();
    EXPECT_FALSE(k.doc.empty()) << k.dotted();
    EXPECT_FALSE(k.unit.empty()) << k.dotted();
  }
}
