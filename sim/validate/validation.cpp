// validation.cpp — scenario runs and the evaluation of S1–S6.
//
// Index: helpers (load, run, lookups) · per-scenario measurements · targets · output
#include "validate/validation.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <sstream>

#include "engine/error.hpp"
#include "config/config.hpp"
#include "config/data_loader.hpp"
#include "run/json.hpp"
#include "model/model.hpp"

#ifndef FEIDI_DEFAULT_CONFIGS_DIR
#define FEIDI_DEFAULT_CONFIGS_DIR "configs"
#endif

namespace feidi {

namespace {

constexpr double kYi = 1e8;  // 亿元

Model load_scenario(const ValidationOptions& opt, const std::string& name, int replicate,
                    const std::vector<std::string>& extra = {}) {
  const std::string dir = opt.configs_dir.empty() ? FEIDI_DEFAULT_CONFIGS_DIR : opt.configs_dir;
  Config c = load_config((std::filesystem::path(dir) / (name + ".toml")).string());
  for (const auto& o : opt.overrides) apply_override(c, o);
  for (const auto& o : extra) apply_override(c, o);
  c.params.run.seed += 1000ull * static_cast<std::uint64_t>(replicate);
  return load_model(c);
}

// Steps until the last simulated month is `last`, calling `observe` after every step.
void run_until(const Model& m, State& s, YearMonth last, const std::function<void(const State&)>& observe) {
  while (s.month <= last && s.step < m.params.steps()) {
    step(m, s);
    if (observe) observe(s);
  }
}

EnclaveIdx enclave_named(const Model& m, const std::string& name) {
  for (std::size_t e = 0; e < m.data.enclaves.size(); ++e)
    if (m.data.enclaves[e].name == name) return static_cast<EnclaveIdx>(e);
  throw DataError({m.data.data_dir + "/enclaves.csv", 0, 0, "name"}, "validation needs the enclave '" + name + "'");
}

CountyIdx county_coded(const Model& m, std::int32_t code) {
  for (std::size_t c = 0; c < m.data.n_counties(); ++c)
    if (m.data.counties[c].code == code) return static_cast<CountyIdx>(c);
  throw DataError({m.data.data_dir + "/counties.csv", 0, 0, "code"}, "validation needs county " + std::to_string(code));
}

// The month just simulated (s.month has already advanced).
YearMonth simulated(const State& s) { return s.month.plus(-1); }

// Measurements of one replicate, keyed by target id.
using Measures = std::map<std::string, double>;
using Notes = std::map<std::string, std::string>;

constexpr std::int32_t kPanan = 330727, kQingyuan = 331126;
constexpr double kSeedQingyuanMu = 3000, kSeedGdpPerMu = 2.5e6;  // 2 km² at 250万 yuan GDP per mu

// Baseline 2018–2022: S1 (the start), S3a (the seed's arithmetic for 庆元 in 2022), S5.
void measure_baseline(const ValidationOptions& opt, int r, Measures& v, Notes& notes) {
  const Model m = load_scenario(opt, "baseline", r, {"run.end=2022-12"});
  State s = make_initial_state(m);
  std::array<int, kEnclaveKinds> k{};  // active parks by kind at the end of 2018
  const EnclaveIdx hc = enclave_named(m, "衢州海创园"), kc = enclave_named(m, "柯城未来科技村");
  const CountyIdx q = county_coded(m, kQingyuan);
  double incubating = 0, months = 0, gdp_q = 0, pop_q = 0, gdp_p = 0, pop_p = 0, m22 = 0;
  run_until(m, s, {2022, 12}, [&](const State& st) {
    const YearMonth ym = simulated(st);
    if (ym == YearMonth{2018, 12}) k = st.province.enclaves_by_kind;
    if (ym.year == 2018) {
      incubating += st.enclaves[hc].incubating + st.enclaves[kc].incubating;
      months += 1;
    }
    if (ym.year == 2022) {
      gdp_q += st.county[q].gdp_attributed_yuan;
      pop_q += st.county[q].population;
      gdp_p += st.province.gdp_yuan;
      pop_p += st.province.population;
      m22 += 1;
    }
  });
  v["S1"] = k[0] + k[1] + k[2];
  notes["S1"] = std::to_string(k[0]) + " eco / " + std::to_string(k[1]) + " sci-tech / " + std::to_string(k[2]) + " poverty";
  v["S1_kinds_ok"] = (k[0] == 3 && k[1] == 3 && k[2] == 10) ? 1.0 : 0.0;
  v["S5"] = months > 0 ? incubating / months : 0;
  // The seed's arithmetic: 庆元's 2022 GDP plus 3000 mu × 250万 yuan, per resident, over the province's.
  if (m22 > 0) {
    v["S3a"] = (gdp_q + kSeedQingyuanMu * kSeedGdpPerMu / 12.0 * m22) / pop_q / (gdp_p / pop_p);
    char buf[120];
    std::snprintf(buf, sizeof buf, "庆元 alone: %.2f of the provincial GDP per capita in 2022", gdp_q / pop_q / (gdp_p / pop_p));
    notes["S3a"] = buf;
  }
}

// 金磐开发区 1995–2018: S2a cumulative output, S2b 磐安 workers, S2c tax share of 磐安's revenue.
void measure_jinpan(const ValidationOptions& opt, int r, Measures& v, Notes& notes) {
  const Model m = load_scenario(opt, "jinpan_1995", r);
  State s = make_initial_state(m);
  const EnclaveIdx j = enclave_named(m, "金磐开发区");
  const CountyIdx panan = county_coded(m, kPanan);
  std::map<int, std::pair<double, double>> by_year;  // year → (tax to 磐安, 磐安 fiscal revenue)
  run_until(m, s, {2018, 12}, [&](const State& st) {
    auto& y = by_year[simulated(st).year];
    y.first += st.enclaves[j].tax_to_source_yuan;
    y.second += st.county[panan].fiscal_revenue_yuan;
  });
  v["S2a"] = s.enclaves[j].cum_output_yuan / kYi;
  v["S2b"] = s.enclaves[j].employment_from_source;
  double sum = 0, n = 0, worst = 1;
  for (const auto& [year, tf] : by_year)
    if (year >= 2000 && tf.second > 0) {
      const double share = tf.first / tf.second;
      sum += share;
      n += 1;
      worst = std::min(worst, share);
    }
  v["S2c"] = n > 0 ? sum / n : 0;
  // What limits the park: its workers per mu of land and its share of them from 磐安.
  const auto& en = s.enclaves[j];
  const auto& y2017 = by_year[2017];
  char buf[200];
  std::snprintf(buf, sizeof buf, "lowest year %.2f; 2017: %.1f亿 of 磐安's %.1f亿", worst, y2017.first / kYi,
                y2017.second / kYi);
  notes["S2c"] = buf;
  std::snprintf(buf, sizeof buf, "%.0f workers on %.0f mu (%.1f per mu), %.0f %% from 磐安", en.employment,
                en.used_mu, en.used_mu > 0 ? en.employment / en.used_mu : 0.0,
                en.employment > 0 ? 100.0 * en.employment_from_source / en.employment : 0.0);
  notes["S2b"] = buf;
}

// 庆元's eco enclave: the first year its GDP per capita reaches the province's (S3b).
void measure_qingyuan(const ValidationOptions& opt, int r, Measures& v, Notes& notes) {
  const Model m = load_scenario(opt, "qingyuan_eco", r);
  State s = make_initial_state(m);
  const CountyIdx q = county_coded(m, kQingyuan);
  std::map<int, std::pair<double, double>> ratio;  // year → (sum, months)
  run_until(m, s, m.params.run.end, [&](const State& st) {
    auto& y = ratio[simulated(st).year];
    y.first += st.county[q].gdp_per_capita_ratio;
    y.second += 1;
  });
  double year = m.params.run.end.year + 1;
  double last = 0;
  for (const auto& [y, rs] : ratio) {
    last = rs.first / rs.second;
    if (last >= 1.0) {
      year = y;
      break;
    }
  }
  v["S3b"] = year;
  char buf[96];
  if (year > m.params.run.end.year)
    std::snprintf(buf, sizeof buf, "not by %d (ratio %.2f then)", m.params.run.end.year, last);
  else
    std::snprintf(buf, sizeof buf, "parity in %d", static_cast<int>(year));
  notes["S3b"] = buf;
}

// 杭千 with and without its 200-mu cap: output ratio in 2025 (S4).
void measure_land(const ValidationOptions& opt, int r, Measures& v, Notes& notes) {
  double out[2] = {0, 0};
  for (int caps = 0; caps < 2; ++caps) {
    const Model m = load_scenario(opt, "land_constrained", r,
                                  {"run.end=2025-12", caps ? "land.enforce_land_caps=true" : "land.enforce_land_caps=false"});
    State s = make_initial_state(m);
    const EnclaveIdx hq = enclave_named(m, "江东杭千开发区");
    run_until(m, s, {2025, 12}, [&](const State& st) {
      if (simulated(st).year == 2025) out[caps] += st.enclaves[hq].output_yuan;
    });
  }
  v["S4"] = out[0] > 0 ? out[1] / out[0] : 0;
  char buf[128];
  std::snprintf(buf, sizeof buf, "2025 output %.1f vs %.1f 亿 yuan", out[1] / kYi, out[0] / kYi);
  notes["S4"] = buf;
}

std::string month_note(const char* what, YearMonth ym, bool reached) {
  return reached ? std::string(what) + " " + ym.str() : std::string("not reached");
}

// The seed's plan for 2022 (S6a–f).
void measure_plan(const ValidationOptions& opt, int r, Measures& v, Notes& notes) {
  const Model m = load_scenario(opt, "plan_2022", r, {"run.end=2022-12"});
  State s = make_initial_state(m);
  const double weak_2018 = s.province.weak_villages_26;
  YearMonth pov_at{}, eco_at{}, ind_at{}, weak_at{};
  bool pov = false, eco = false, ind = false, weak = false;
  double weak_2020 = weak_2018;
  run_until(m, s, {2022, 12}, [&](const State& st) {
    const YearMonth ym = simulated(st);
    if (!pov && st.province.poverty_coverage_26 >= 1.0) pov = true, pov_at = ym;
    if (!eco && st.province.eco_coverage >= 1.0) eco = true, eco_at = ym;
    if (!ind && st.province.industrialisation_rate >= 0.5) ind = true, ind_at = ym;
    if (!weak && st.province.weak_villages_26 <= 0) weak = true, weak_at = ym;
    if (ym == YearMonth{2020, 1}) weak_2020 = st.province.weak_villages_26;  // the assessment of 2019
  });
  const auto& k = s.province.operating_by_kind;
  v["S6a"] = k[0] + k[1] + k[2];
  v["S6b"] = s.province.poverty_coverage_26;
  notes["S6b"] = month_note("full from", pov_at, pov);
  v["S6c"] = s.province.eco_coverage;
  notes["S6c"] = month_note("full from", eco_at, eco);
  int large = 0;
  for (std::size_t e = 0; e < s.enclaves.size(); ++e)
    if (m.data.enclaves[e].kind == EnclaveKind::kEco && m.data.enclaves[e].planned_mu >= 3000 &&
        is_active(s.enclaves[e].status))
      ++large;
  v["S6d"] = large;
  v["S6e"] = s.province.industrialisation_rate;
  notes["S6e"] = month_note("≥ 50 % from", ind_at, ind);
  v["S6f"] = weak_2018 > 0 ? weak_2020 / weak_2018 : 0;
  notes["S6f"] = std::to_string(static_cast<long long>(weak_2020)) + " of " +
                 std::to_string(static_cast<long long>(weak_2018)) + " left; " + month_note("none from", weak_at, weak);
}

struct Target {
  const char* id;
  const char* fact;
  const char* tolerance;
  const char* unit;
  std::function<bool(double)> ok;
};

const std::vector<Target>& targets() {
  static const std::vector<Target> t = {
      {"S1", "16 enclave parks by 2018: 3 eco, 3 sci-tech, 10 poverty", "exactly 3 / 3 / 10 active at 2018-12",
       "enclaves", nullptr},
      {"S2a", "金磐开发区 (since 1995): cumulative industrial output 320亿 yuan by 2018",
       "within a factor 2: 160–640亿 (nominal; back-cast from the 2018 economy)", "1e8 yuan",
       [](double x) { return x >= 160 && x <= 640; }},
      {"S2b", "金磐开发区 employs 20,000+ people from 磐安 (2018)", "at least 15,000 (25 % below the seed)", "persons",
       [](double x) { return x >= 15000; }},
      {"S2c", "金磐开发区's tax is 1/3+ of 磐安's revenue every year", "mean share 2000–2018 at least 0.30", "share",
       [](double x) { return x >= 0.30; }},
      {"S3a", "庆元: a 2 km² eco enclave at 250万 yuan GDP per mu lifts its GDP per capita to the provincial average by 2022",
       "the seed's arithmetic on the model's 2022 economy gives 0.9–1.1 of the average", "ratio",
       [](double x) { return x >= 0.9 && x <= 1.1; }},
      {"S3b", "... but parity needs the land, firms and output per mu to materialise",
       "the dynamic run reaches parity no earlier than 2022 (year; 2036 = not by 2035)", "year",
       [](double x) { return x >= 2022; }},
      {"S4", "江东杭千开发区 planned 2 km² but got only 200 mu", "2025 output with the cap at most 0.2 of without (seed: 200/3000 = 0.07)",
       "ratio", [](double x) { return x <= 0.2; }},
      {"S5", "衢州海创园 and 柯城未来科技村: 173 sci-tech projects incubating (2018)", "2018 mean within ±20 %: 138–208",
       "projects", [](double x) { return x >= 138 && x <= 208; }},
      {"S6a", "plan 2022: 30–40 provincial enclave parks", "30–40 operating at 2022-12", "enclaves",
       [](double x) { return x >= 30 && x <= 40; }},
      {"S6b", "plan 2022: poverty enclaves cover all 26 counties", "coverage 1.0 at 2022-12", "share",
       [](double x) { return x >= 1.0; }},
      {"S6c", "plan 2022: eco enclaves cover the main eco-function counties", "coverage 1.0 at 2022-12", "share",
       [](double x) { return x >= 1.0; }},
      {"S6d", "plan 2022: 5–8 eco enclaves of at least 2 km²", "5–8 active at 2022-12", "enclaves",
       [](double x) { return x >= 5 && x <= 8; }},
      {"S6e", "plan 2022: 50 %+ of incubated projects industrialise in the source county",
       "industrialisation rate at least 0.5 at 2022-12", "share", [](double x) { return x >= 0.5; }},
      {"S6f", "plan: weak villages of the 26 counties eliminated by the end of 2019",
       "at most 2 % of the 2018 count left at the 2020-01 assessment", "share of 2018",
       [](double x) { return x <= 0.02; }},
  };
  return t;
}

double percentile(std::vector<double> x, double q) {
  std::sort(x.begin(), x.end());
  if (x.empty()) return 0;
  const double pos = q * static_cast<double>(x.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(x.size() - 1, lo + 1);
  return x[lo] + (x[hi] - x[lo]) * (pos - static_cast<double>(lo));
}

}  // namespace

std::vector<std::string> validation_target_ids() {
  std::vector<std::string> ids;
  for (const auto& t : targets()) ids.push_back(t.id);
  return ids;
}

std::vector<TargetResult> run_validation(const ValidationOptions& opt) {
  if (opt.replicates < 1) throw UsageError("validate: --replicates must be at least 1");
  using Step = std::function<void(const ValidationOptions&, int, Measures&, Notes&)>;
  const std::vector<std::pair<std::string, Step>> runs = {
      {"baseline", measure_baseline}, {"jinpan_1995", measure_jinpan}, {"qingyuan_eco", measure_qingyuan},
      {"land_constrained", measure_land}, {"plan_2022", measure_plan}};
  std::vector<Measures> per_rep(static_cast<std::size_t>(opt.replicates));
  Notes notes;  // from the first replicate
  int done = 0;
  const int total = opt.replicates * static_cast<int>(runs.size());
  for (int r = 0; r < opt.replicates; ++r)
    for (const auto& [name, fn] : runs) {
      Notes n;
      fn(opt, r, per_rep[static_cast<std::size_t>(r)], n);
      if (r == 0) notes.insert(n.begin(), n.end());
      if (opt.on_progress) opt.on_progress(name + " (replicate " + std::to_string(r + 1) + ")", ++done, total);
    }
  std::vector<TargetResult> out;
  for (const auto& t : targets()) {
    TargetResult res{t.id, t.fact, t.tolerance, t.unit, {}, 0, 0, 0, false, notes.count(t.id) ? notes[t.id] : ""};
    bool all_kinds = true;
    for (const auto& rep : per_rep) {
      res.values.push_back(rep.at(t.id));
      if (std::string(t.id) == "S1") all_kinds = all_kinds && rep.at("S1_kinds_ok") > 0;
    }
    double sum = 0;
    for (double x : res.values) sum += x;
    res.mean = sum / static_cast<double>(res.values.size());
    res.lo = percentile(res.values, 0.05);
    res.hi = percentile(res.values, 0.95);
    res.pass = t.ok ? t.ok(res.mean) : all_kinds;
    out.push_back(std::move(res));
  }
  return out;
}

namespace {
std::string num(double x) {
  char buf[32];
  const double a = std::fabs(x);
  if (a >= 1000 || (a == std::floor(a) && a < 1e6)) std::snprintf(buf, sizeof buf, "%.0f", x);
  else if (a >= 10) std::snprintf(buf, sizeof buf, "%.1f", x);
  else std::snprintf(buf, sizeof buf, "%.3f", x);
  return buf;
}
}  // namespace

std::string validation_table(const std::vector<TargetResult>& results, int replicates) {
  std::ostringstream os;
  int passed = 0;
  for (const auto& r : results) passed += r.pass;
  os << "Validation against the seed's facts (MODEL.md §6), " << replicates << " replicate"
     << (replicates == 1 ? "" : "s") << "; measured = mean [90 % interval]\n\n";
  for (const auto& r : results) {
    os << (r.pass ? "PASS " : "FAIL ") << r.id << "  " << r.fact << "\n"
       << "       tolerance: " << r.tolerance << "\n"
       << "       measured:  " << num(r.mean) << " [" << num(r.lo) << ", " << num(r.hi) << "] " << r.unit;
    if (!r.note.empty()) os << "  (" << r.note << ")";
    os << "\n";
  }
  os << "\n" << passed << " of " << results.size() << " targets pass\n";
  return os.str();
}

std::string validation_json(const std::vector<TargetResult>& results, int replicates) {
  std::ostringstream os;
  os.precision(10);
  os << "{\"replicates\": " << replicates << ", \"targets\": [\n";
  for (std::size_t i = 0; i < results.size(); ++i) {
    const auto& r = results[i];
    os << "  {\"id\": " << json_string(r.id) << ", \"fact\": " << json_string(r.fact) << ", \"tolerance\": "
       << json_string(r.tolerance) << ", \"unit\": " << json_string(r.unit) << ", \"mean\": " << r.mean
       << ", \"lo\": " << r.lo << ", \"hi\": " << r.hi << ", \"pass\": " << (r.pass ? "true" : "false")
       << ", \"note\": " << json_string(r.note) << ", \"values\": [";
    for (std::size_t k = 0; k < r.values.size(); ++k) os << (k ? ", " : "") << r.values[k];
    os << "]}" << (i + 1 < results.size() ? "," : "") << "\n";
  }
  os << "]}\n";
  return os.str();
}

}  // namespace feidi
