// Tests for the viewer's numbers and names (viz/src/units.cpp): yuan in 亿元 / 万元 or
// bn / M yuan, persons in 万人 or persons with separators, shares in %, counts whole, and
// the translated labels of variables and levers.
#include <gtest/gtest.h>

#include "i18n.hpp"
#include "trace/schema.hpp"
#include "units.hpp"

using feidi::viz::format_quantity;
using feidi::viz::Lang;
using feidi::viz::set_language;

TEST(VizUnits, YuanPersonsSharesInChinese) {
  set_language(Lang::kZh);
  EXPECT_EQ(format_quantity(1.3564e10, "yuan/year (annualised monthly flow)"), "136亿元/年");
  EXPECT_EQ(format_quantity(2.5e9, "yuan"), "25.0亿元");
  EXPECT_EQ(format_quantity(563389, "yuan/year"), "56.3万元/年");
  EXPECT_EQ(format_quantity(14683, "yuan/month"), "1.47万元/月");
  EXPECT_EQ(format_quantity(143000, "persons"), "14.3万人");
  EXPECT_EQ(format_quantity(7000, "persons"), "7,000人");
  EXPECT_EQ(format_quantity(0.117, "1", true), "11.7%");
  EXPECT_EQ(format_quantity(1.1, "1"), "1.10");
  EXPECT_EQ(format_quantity(1, "villages"), "1个村");
  EXPECT_EQ(format_quantity(1337, "mu"), "1,337亩");
  EXPECT_EQ(feidi::viz::variable_label("weak_villages"), "集体经济薄弱村");
  EXPECT_EQ(feidi::viz::units_label("yuan/month"), "元/月");
  EXPECT_EQ(feidi::viz::units_label("persons"), "人");
  EXPECT_EQ(feidi::viz::units_label("villages"), "个村");
  EXPECT_EQ(feidi::viz::units_label("1", true), "%");
  EXPECT_EQ(feidi::viz::lever_value_text("yuan/year", 5e8), "5.00亿元/年");
  EXPECT_EQ(feidi::viz::lever_value_text("mu/year", 3000), "3,000亩/年");
  EXPECT_EQ(feidi::viz::lever_value_text("-", 0.9), "0.9");
  EXPECT_EQ(feidi::viz::lever_value_text("-", 1, {"nash", "fixed"}), "固定比例");
  set_language(Lang::kEn);
  EXPECT_EQ(feidi::viz::lever_value_text("years", 4.5), "4.50 years");
  EXPECT_EQ(feidi::viz::lever_value_text("-", 0, {"nash", "fixed"}), "Nash bargaining");
  EXPECT_EQ(feidi::viz::units_label("yuan/year (annualised monthly flow)"), "yuan/yr");
  set_language(Lang::kZh);
  EXPECT_EQ(feidi::viz::lever_label("enclaves.same_city"), "同城同待遇");
}

TEST(VizUnits, YuanPersonsSharesInEnglish) {
  set_language(Lang::kEn);
  EXPECT_EQ(format_quantity(1.3564e10, "yuan/year (annualised monthly flow)"), "13.6 bn yuan/yr");
  EXPECT_EQ(format_quantity(8.96e8, "yuan/year"), "896 M yuan/yr");
  EXPECT_EQ(format_quantity(143000, "persons"), "143,000 persons");
  EXPECT_EQ(format_quantity(2.5e6, "persons"), "2.50 M persons");
  EXPECT_EQ(format_quantity(5250, "firms"), "5,250 firms");
  EXPECT_EQ(format_quantity(30, "firms/month"), "30 firms/month");
  EXPECT_EQ(format_quantity(-0.323, "1"), "-0.323");
  EXPECT_EQ(feidi::viz::with_separators(-1234567), "-1,234,567");
  EXPECT_EQ(feidi::viz::variable_label("unemployment_rate"), "unemployment rate");
  EXPECT_EQ(feidi::viz::variable_label("no_such_variable", "its long name"), "its long name");
  EXPECT_EQ(feidi::viz::lever_label("land.quota_trade_mu_per_year"), "land quota trade per pair");
  EXPECT_EQ(feidi::viz::lever_label("not.a_lever"), "not.a_lever");
  set_language(Lang::kZh);
}

// Every series the trace writes and every policy lever has a label of its own in both
// languages (the viewer never shows a snake_case key).
TEST(VizUnits, EveryTraceVariableAndLeverIsTranslated) {
  for (const auto* vars : {&feidi::county_vars(), &feidi::enclave_vars(), &feidi::province_vars()})
    for (const auto& v : *vars) {
      EXPECT_TRUE(feidi::viz::has_variable_label(v.name)) << v.name;  // English may equal the name ("wage")
      set_language(Lang::kZh);
      EXPECT_NE(feidi::viz::variable_label(v.name), v.name) << v.name;
    }
  for (const auto& key : feidi::lever_keys())
    for (Lang l : {Lang::kZh, Lang::kEn}) {
      set_language(l);
      EXPECT_NE(feidi::viz::lever_label(key), key) << key;
    }
  set_language(Lang::kZh);
}
