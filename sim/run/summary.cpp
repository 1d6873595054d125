#include "run/summary.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

#include "engine/calendar.hpp"
#include "engine/error.hpp"
#include "trace/reader.hpp"

namespace feidi {

namespace {

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

std::string thousands(double v) {
  const long long x = static_cast<long long>(v + (v >= 0 ? 0.5 : -0.5));
  const std::string digits = std::to_string(x < 0 ? -x : x);
  std::string out = x < 0 ? "-" : "";
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  return out;
}

}  // namespace

std::string summary_table(const TraceReader& r) {
  std::ostringstream os;
  const std::int64_t steps = r.steps_written();
  const auto start = YearMonth::parse(r.attr_string("start").value_or("2018-01")).value_or(YearMonth{});
  const std::string scenario = r.attr_string("scenario").value_or("?");
  if (steps == 0) {
    os << "Summary: " << scenario << ": no steps written\n";
    return os.str();
  }
  const YearMonth last = start.plus(static_cast<int>(steps - 1));
  std::size_t n = 0, w = 0;
  const auto gdp = r.series("county", "gdp_attributed", n);
  const auto pop = r.series("county", "population", w);
  const auto weak = r.series("county", "weak_villages", w);
  const auto acc = r.static_numbers("county", "accelerated");
  const std::size_t t0 = 0, t1 = static_cast<std::size_t>(steps - 1);
  const auto rows = static_cast<std::size_t>(steps);
  if (n == 0 || acc.size() != n || gdp.size() != rows * n || pop.size() != rows * n || weak.size() != rows * n)
    throw PathError(r.path() + ": damaged trace: the county variables do not have " + std::to_string(steps) + " months of " +
                    std::to_string(acc.size()) + " counties");

  auto ratio = [&](std::size_t t, bool mountain) {
    double g = 0, p = 0, G = 0, P = 0;
    for (std::size_t c = 0; c < n; ++c) {
      G += gdp[t * n + c];
      P += pop[t * n + c];
      if ((acc[c] != 0) == mountain) {
        g += gdp[t * n + c];
        p += pop[t * n + c];
      }
    }
    return (p > 0 && G > 0) ? (g / p) / (G / P) : 0.0;
  };
  auto weak_sum = [&](std::size_t t, bool mountain) {
    double s = 0;
    for (std::size_t c = 0; c < n; ++c)
      if ((acc[c] != 0) == mountain) s += weak[t * n + c];
    return s;
  };
  std::size_t one = 0;
  const auto eco = r.series("province", "enclaves_eco", one);
  const auto sci = r.series("province", "enclaves_scitech", one);
  const auto pov = r.series("province", "enclaves_poverty", one);
  const auto tax = r.series("province", "tax_to_source", one);
  for (const auto* v : {&eco, &sci, &pov, &tax})
    if (v->size() != rows)
      throw PathError(r.path() + ": damaged trace: the province variables do not have " + std::to_string(steps) + " months");
  int n26 = 0;
  for (double a : acc) n26 += a != 0;
  auto kinds = [&](std::size_t t) {
    return fmt("%.0f", eco[t]) + " / " + fmt("%.0f", sci[t]) + " / " + fmt("%.0f", pov[t]);
  };
  // Tax flowing to source counties over the first and the last 12 written months, yuan.
  const std::size_t k = std::min<std::size_t>(12, static_cast<std::size_t>(steps));
  double first = 0, lastyear = 0;
  for (std::size_t t = 0; t < k; ++t) first += tax[t] / 12.0;
  for (std::size_t t = static_cast<std::size_t>(steps) - k; t < static_cast<std::size_t>(steps); ++t)
    lastyear += tax[t] / 12.0;

  char line[256];
  os << "Summary: " << scenario << "  " << start.str() << " -> " << last.str() << "  (" << steps << " steps)\n";
  std::snprintf(line, sizeof line, "  %-44s %12s %12s\n", "", start.str().c_str(), last.str().c_str());
  os << line;
  std::snprintf(line, sizeof line, "  %-44s %12.3f %12.3f\n",
                ("GDP per capita / province, " + std::to_string(n26) + " mountain counties").c_str(), ratio(t0, true),
                ratio(t1, true));
  os << line;
  std::snprintf(line, sizeof line, "  %-44s %12.3f %12.3f\n",
                ("GDP per capita / province, other " + std::to_string(n - static_cast<std::size_t>(n26)) + " counties").c_str(),
                ratio(t0, false), ratio(t1, false));
  os << line;
  std::snprintf(line, sizeof line, "  %-44s %12s %12s\n", "Enclaves eco / sci-tech / poverty", kinds(t0).c_str(),
                kinds(t1).c_str());
  os << line;
  std::snprintf(line, sizeof line, "  %-44s %12s %12s\n", "Weak villages, 26 mountain counties",
                thousands(weak_sum(t0, true)).c_str(), thousands(weak_sum(t1, true)).c_str());
  os << line;
  std::snprintf(line, sizeof line, "  %-44s %12s %12s\n", "Weak villages, other counties",
                thousands(weak_sum(t0, false)).c_str(), thousands(weak_sum(t1, false)).c_str());
  os << line;
  std::snprintf(line, sizeof line, "  %-44s %12.2f %12.2f\n",
                ("Enclave tax to sources, 1e8 yuan, " + std::to_string(k) + " months").c_str(), first / 1e8,
                lastyear / 1e8);
  os << line;
  return os.str();
}

}  // namespace feidi
