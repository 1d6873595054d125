// Tests for engine/calendar.
#include <gtest/gtest.h>

#include "engine/calendar.hpp"

using namespace feidi;

TEST(Calendar, ParseAndFormat) {
  EXPECT_EQ(YearMonth::parse("2018-01")->str(), "2018-01");
  EXPECT_EQ(YearMonth::parse("2035-12")->month, 12);
  EXPECT_FALSE(YearMonth::parse("2018-13"));
  EXPECT_FALSE(YearMonth::parse("2018/01"));
  EXPECT_FALSE(YearMonth::parse("18-01"));
  EXPECT_FALSE(YearMonth::parse("2018-1x"));
  EXPECT_FALSE(YearMonth::parse(""));
}

TEST(Calendar, StepsAndArithmetic) {
  EXPECT_EQ(months_between_inclusive({2018, 1}, {2035, 12}), 216);
  EXPECT_EQ(months_between_inclusive({1995, 1}, {2018, 12}), 288);
  EXPECT_EQ((YearMonth{2018, 12}.plus(1)), (YearMonth{2019, 1}));
  EXPECT_EQ((YearMonth{2019, 1}.plus(-1)), (YearMonth{2018, 12}));
}

TEST(Calendar, CfDays) {
  EXPECT_EQ(days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(days_since({2018, 1}, {2018, 2}), 31);
  EXPECT_EQ(days_since({2018, 1}, {2019, 1}), 365);
  EXPECT_EQ(days_since({2020, 1}, {2021, 1}), 366);  // leap year
}
