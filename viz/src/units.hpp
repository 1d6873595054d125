// units.hpp — numbers as a planner reads them: yuan in 亿元 / 万元 (Chinese) or billion /
// million yuan (English), persons in 万人 or thousand / million, shares in %, thousands
// separators; and the names of variables and policy levers in both languages (one table,
// units.cpp; the trace's long names when a variable is not in it).
#pragma once

#include <string>
#include <vector>

namespace feidi::viz {

// `v` in the trace's `units` (e.g. "yuan/year (annualised monthly flow)", "persons", "1"),
// written for the current language with its unit. `share` says a "1" is a share (shown in %).
std::string format_quantity(double v, const std::string& units, bool share = false);
// The unit alone, for titles: 元/月, yuan/mo, 人, %, 亩 ("" for a plain number).
std::string units_label(const std::string& units, bool share = false);
// An integer with thousands separators (12,345).
std::string with_separators(long long v);
// A variable's label in the current language: the table's, else `long_name`, else `name`.
std::string variable_label(const std::string& name, const std::string& long_name = "");
// Whether the table has the variable (in both languages).
bool has_variable_label(const std::string& name);
// Whether a county/enclave/province variable of units "1" is a share (unemployment rate,
// high-skill share, tax share...).
bool is_share(const std::string& name);
// A lever's value as a planner reads it, from the config registry's unit ("yuan/year", "mu/year",
// "1/year", "years", "persons", "-") or its choices (translated: Nash bargaining, fixed share).
std::string lever_value_text(const std::string& unit, double v, const std::vector<std::string>& choices = {});
// A policy lever's label (config key such as "enclaves.same_city") in the current language.
std::string lever_label(const std::string& key);
// Every Chinese string of these tables (for the font atlas and the missing-glyph check).
std::vector<std::string> units_chinese_strings();

}  // namespace feidi::viz
