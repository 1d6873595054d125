// calibration.cpp — history matching and ABC rejection against S1–S6.
//
// Index: file helpers · load_calibration · load_targets · target_z · wave_design ·
// measure_targets · score · tables and the calibrated config
#include "run/calibration.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <numeric>
#include <set>
#include <sstream>
#include "config/toml_input.hpp"

#include "engine/error.hpp"
#include "config/config.hpp"
#include "run/sweep.hpp"
#include "validate/validation.hpp"

namespace feidi {

namespace {

double number(const toml::node& n, const std::string& path, const std::string& key) {
  if (n.is_integer()) return static_cast<double>(n.as_integer()->get());
  if (n.is_floating_point()) return n.as_floating_point()->get();
  throw ConfigError(toml_where(path, n, key), "expected a number");
}

void only(const toml::table& t, const std::set<std::string>& keys, const std::string& path, const std::string& prefix) {
  for (const auto& [k, n] : t)
    if (!keys.count(std::string(k.str()))) {
      std::string list;
      for (const auto& x : keys) list += (list.empty() ? "" : ", ") + x;
      throw ConfigError(toml_where(path, n, prefix + std::string(k.str())), "unknown key (expected one of: " + list + ")");
    }
}

// A value in shortest round-trip form as a TOML float (0.045, not 0.044999999999999998; 2.0).
std::string shortest(double x) {
  std::string s = shortest_decimal(x);
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string rounded(double x, int digits = 3) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", digits, x);
  return buf;
}

// "1st", "2nd", "3rd", "4th", ...
std::string ordinal(int k) {
  if (k == 1) return "";  // "the largest", not "the 1st largest"
  const char* suffix = k % 100 >= 11 && k % 100 <= 13 ? "th" : k % 10 == 1 ? "st" : k % 10 == 2 ? "nd" : k % 10 == 3 ? "rd" : "th";
  return std::to_string(k) + suffix + " ";
}

double quantile(std::vector<double> x, double q) {
  if (x.empty()) return std::nan("");
  std::sort(x.begin(), x.end());
  const double pos = q * static_cast<double>(x.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const auto hi = std::min(x.size() - 1, lo + 1);
  return x[lo] + (x[hi] - x[lo]) * (pos - static_cast<double>(lo));
}

// The assignment of parameter d's value in a form --set accepts (integers rounded).
std::string assignment(const CalParam& p, double v) {
  if (p.spec->type == KeyType::kInt) return p.key + "=" + std::to_string(std::llround(v));
  return p.key + "=" + shortest(v);
}

}  // namespace

CalibrationSpec load_calibration(const std::string& path) {
  const toml::table root = parse_toml_file(path, "calibration file");
  only(root, {"design", "fixed", "parameters"}, path, "");
  CalibrationSpec spec;
  spec.path = path;
  if (const auto* d = root.get_as<toml::table>("design")) {
    only(*d, {"samples_per_wave", "waves", "cutoff", "accept", "seed", "configs", "ignore_worst"}, path, "design.");
    auto integer = [&](const char* k, int lo, int hi, int def) {
      const auto* n = d->get(k);
      if (!n) return def;
      if (!n->is_integer()) throw ConfigError(toml_where(path, *n, std::string("design.") + k), "expected an integer");
      const auto v = n->as_integer()->get();
      if (v < lo || v > hi)
        throw ConfigError(toml_where(path, *n, std::string("design.") + k),
                          "must be between " + std::to_string(lo) + " and " + std::to_string(hi));
      return static_cast<int>(v);
    };
    spec.samples_per_wave = integer("samples_per_wave", 2, 100000, spec.samples_per_wave);
    spec.waves = integer("waves", 1, 50, spec.waves);
    spec.accept = integer("accept", 1, 100000, spec.accept);
    spec.ignore_worst = integer("ignore_worst", 0, 10, spec.ignore_worst);
    spec.seed = static_cast<std::uint64_t>(integer("seed", 0, 2147483647, 1));
    if (const auto* n = d->get("cutoff")) {
      spec.cutoff = number(*n, path, "design.cutoff");
      if (!(spec.cutoff > 0)) throw ConfigError(toml_where(path, *n, "design.cutoff"), "must be positive");
    }
    if (const auto* n = d->get("configs")) {
      if (!n->is_string()) throw ConfigError(toml_where(path, *n, "design.configs"), "expected a folder name");
      const std::filesystem::path dir = n->as_string()->get();
      spec.configs_dir = dir.is_absolute() ? dir.string() : (std::filesystem::path(path).parent_path() / dir).string();
    }
  }
  if (const auto* f = root.get_as<toml::table>("fixed")) {
    for (const auto& [k, n] : *f) {
      const std::string key(k.str());
      const KeySpec* ks = find_key(key);
      if (!ks) throw ConfigError(toml_where(path, n, "fixed." + key), "unknown config key");
      std::string value;
      if (n.is_string()) value = n.as_string()->get();
      else if (n.is_boolean()) value = n.as_boolean()->get() ? "true" : "false";
      else if (n.is_integer()) value = std::to_string(n.as_integer()->get());
      else value = shortest(number(n, path, "fixed." + key));
      if (ks->type == KeyType::kInt && !n.is_integer()) throw ConfigError(toml_where(path, n, "fixed." + key), "expected an integer");
      Config probe;
      try {
        apply_override(probe, key + "=" + (n.is_string() && ks->type == KeyType::kString ? "\"" + value + "\"" : value));
      } catch (const ConfigError& e) {
        throw ConfigError(toml_where(path, n, "fixed." + key), e.problem());
      }
      spec.fixed.push_back(key + "=" + value);
    }
  }
  const auto* pars = root.get_as<toml::table>("parameters");
  if (!pars || pars->empty()) throw ConfigError({path, 0, 0, "parameters"}, "needs a [parameters] table: key = [min, max]");
  for (const auto& [k, n] : *pars) {
    CalParam p;
    p.key = std::string(k.str());
    const auto loc = toml_where(path, n, "parameters." + p.key);
    p.spec = find_key(p.key);
    if (!p.spec) throw ConfigError(loc, "unknown config key");
    if (p.spec->type != KeyType::kFloat && p.spec->type != KeyType::kInt)
      throw ConfigError(loc, "only numeric keys can be calibrated");
    const auto* arr = n.as_array();
    if (!arr || arr->size() != 2) throw ConfigError(loc, "expected [min, max]");
    p.lo = number(*arr->get(0), path, "parameters." + p.key);
    p.hi = number(*arr->get(1), path, "parameters." + p.key);
    if (!(p.lo < p.hi)) throw ConfigError(loc, "needs min < max");
    if (p.lo < p.spec->min || p.hi > p.spec->max)
      throw ConfigError(loc, "range leaves the key's own range [" + rounded(p.spec->min, 6) + ", " +
                                 rounded(p.spec->max, 6) + "]");
    spec.params.push_back(p);
  }
  return spec;
}

std::vector<CalTarget> load_targets(const std::string& path) {
  const toml::table root = parse_toml_file(path, "targets file");
  std::set<std::string> known;
  for (const auto& id : validation_target_ids()) known.insert(id);
  std::vector<CalTarget> out;
  for (const auto& [k, n] : root) {
    CalTarget t;
    t.id = std::string(k.str());
    const auto* tab = n.as_table();
    if (!tab) throw ConfigError(toml_where(path, n, t.id), "expected a table [" + t.id + "]");
    if (!known.count(t.id)) {
      std::string list;
      for (const auto& x : known) list += (list.empty() ? "" : " ") + x;
      throw ConfigError(toml_where(path, n, t.id), "not a validation target (known: " + list + ")");
    }
    only(*tab, {"fact", "observed", "sd", "side", "log", "informs"}, path, t.id + ".");
    const auto* obs = tab->get("observed");
    const auto* sd = tab->get("sd");
    if (!obs) throw ConfigError(toml_where(path, n, t.id + ".observed"), "missing");
    if (!sd) throw ConfigError(toml_where(path, n, t.id + ".sd"), "missing (the observation error)");
    t.observed = number(*obs, path, t.id + ".observed");
    t.sd = number(*sd, path, t.id + ".sd");
    if (!(t.sd > 0)) throw ConfigError(toml_where(path, *sd, t.id + ".sd"), "must be positive");
    if (const auto* f = tab->get("fact")) t.fact = f->value_or(std::string());
    if (const auto* l = tab->get("log")) {
      if (!l->is_boolean()) throw ConfigError(toml_where(path, *l, t.id + ".log"), "expected true or false");
      t.log = l->as_boolean()->get();
      if (t.log && !(t.observed > 0)) throw ConfigError(toml_where(path, *obs, t.id + ".observed"), "must be positive on a log scale");
    }
    if (const auto* s = tab->get("side")) {
      const std::string v = s->value_or(std::string());
      if (v == "both") t.side = CalTarget::Side::kBoth;
      else if (v == "at_least") t.side = CalTarget::Side::kAtLeast;
      else if (v == "at_most") t.side = CalTarget::Side::kAtMost;
      else throw ConfigError(toml_where(path, *s, t.id + ".side"), "expected \"both\", \"at_least\" or \"at_most\"");
    }
    if (const auto* inf = tab->get("informs")) {
      const auto* arr = inf->as_array();
      if (!arr) throw ConfigError(toml_where(path, *inf, t.id + ".informs"), "expected a list of config keys");
      for (const auto& x : *arr) {
        const std::string key = x.value_or(std::string());
        if (!find_key(key)) throw ConfigError(toml_where(path, x, t.id + ".informs"), "'" + key + "' is not a config key");
        t.informs += (t.informs.empty() ? "" : ", ") + key;
      }
    }
    out.push_back(std::move(t));
  }
  if (out.empty()) throw ConfigError({path, 0, 0, ""}, "names no target");
  return out;
}

double target_z(const CalTarget& t, double measured) {
  double diff;
  if (t.log) diff = std::log(std::max(measured, 1e-300)) - std::log(t.observed);
  else diff = measured - t.observed;
  if (t.side == CalTarget::Side::kAtLeast) diff = std::min(diff, 0.0);
  if (t.side == CalTarget::Side::kAtMost) diff = std::max(diff, 0.0);
  return diff / t.sd;
}

std::vector<std::vector<double>> wave_design(const CalibrationSpec& spec, int wave,
                                             const std::vector<std::vector<double>>& survivors) {
  const std::size_t n = static_cast<std::size_t>(spec.samples_per_wave), k = spec.params.size();
  std::vector<std::vector<double>> pts;
  const std::uint64_t seed = spec.seed * 1000003ull + static_cast<std::uint64_t>(wave);
  if (wave == 0 || survivors.size() < 2) {
    // A Latin hypercube over the priors (also when too few sets survived to steer by).
    for (auto& u : sweep::lhs_unit(static_cast<int>(n), static_cast<int>(k), seed)) {
      for (std::size_t d = 0; d < k; ++d) u[d] = spec.params[d].lo + u[d] * (spec.params[d].hi - spec.params[d].lo);
      pts.push_back(std::move(u));
    }
    return pts;
  }
  // Kernel: every survivor in turn, perturbed with a Gaussian of twice the survivors'
  // variance per parameter (at least 2 % of the prior range), reflected into the prior.
  std::vector<double> sd(k, 0.0);
  for (std::size_t d = 0; d < k; ++d) {
    double m = 0, v = 0;
    for (const auto& s : survivors) m += s[d];
    m /= static_cast<double>(survivors.size());
    for (const auto& s : survivors) v += (s[d] - m) * (s[d] - m);
    v /= static_cast<double>(survivors.size() - 1);
    sd[d] = std::max(std::sqrt(2.0 * v), 0.02 * (spec.params[d].hi - spec.params[d].lo));
  }
  sweep::Stream rng(seed ^ 0x43414C4942ull);  // "CALIB"
  for (std::size_t i = 0; i < n; ++i) {
    const auto& parent = survivors[i % survivors.size()];
    std::vector<double> x(k);
    for (std::size_t d = 0; d < k; ++d) {
      const double u1 = std::max(rng.uniform(), 1e-300), u2 = rng.uniform();
      double v = parent[d] + sd[d] * std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
      const double lo = spec.params[d].lo, hi = spec.params[d].hi, w = hi - lo;
      for (int r = 0; r < 8 && (v < lo || v > hi); ++r) v = v < lo ? 2 * lo - v : 2 * hi - v;
      x[d] = std::clamp(v, lo, lo + w);
    }
    pts.push_back(std::move(x));
  }
  return pts;
}

std::vector<std::vector<double>> survivors(const CalibrationSpec& spec, const CalibrationResult& r) {
  std::vector<std::size_t> keep;
  for (std::size_t i = 0; i < r.values.size(); ++i)
    if (r.plausible[i]) keep.push_back(i);
  if (keep.size() * 10 < static_cast<std::size_t>(spec.samples_per_wave)) {
    keep.resize(r.values.size());
    std::iota(keep.begin(), keep.end(), std::size_t{0});
    std::stable_sort(keep.begin(), keep.end(),
                     [&](std::size_t a, std::size_t b) { return r.implausibility[a] < r.implausibility[b]; });
    keep.resize(std::min(keep.size(), static_cast<std::size_t>(std::max(2, spec.samples_per_wave / 5))));
  }
  std::vector<std::vector<double>> out;
  for (std::size_t i : keep) out.push_back(r.values[i]);
  return out;
}

std::vector<double> measure_targets(const CalibrationSpec& spec, const std::vector<CalTarget>& targets,
                                    const std::vector<double>& values) {
  ValidationOptions opt;
  opt.replicates = 1;
  opt.configs_dir = spec.configs_dir;
  opt.overrides = spec.fixed;
  for (std::size_t d = 0; d < spec.params.size(); ++d) opt.overrides.push_back(assignment(spec.params[d], values[d]));
  const auto results = run_validation(opt);
  std::map<std::string, double> by_id;
  for (const auto& r : results) by_id[r.id] = r.values.at(0);
  std::vector<double> out;
  for (const auto& t : targets) out.push_back(by_id.at(t.id));
  return out;
}

void score(const CalibrationSpec& spec, const std::vector<CalTarget>& targets, CalibrationResult& r) {
  const std::size_t n = r.values.size(), nt = targets.size();
  r.z.assign(n, std::vector<double>(nt));
  r.implausibility.assign(n, 0);
  r.distance.assign(n, 0);
  r.plausible.assign(n, 0);
  r.accepted.assign(n, 0);
  std::vector<std::size_t> ok;
  for (std::size_t i = 0; i < n; ++i)
    for (std::size_t t = 0; t < nt; ++t) r.z[i][t] = target_z(targets[t], r.measured[i][t]);
  // Reachable targets: some set brings them within the cut-off.
  r.reachable.assign(nt, 0);
  for (std::size_t t = 0; t < nt; ++t)
    for (std::size_t i = 0; i < n && !r.reachable[t]; ++i) r.reachable[t] = std::fabs(r.z[i][t]) <= spec.cutoff;
  std::size_t n_reach = 0;
  for (auto x : r.reachable) n_reach += x;
  std::vector<double> abs_z;
  for (std::size_t i = 0; i < n; ++i) {
    double ss = 0;
    abs_z.clear();
    for (std::size_t t = 0; t < nt; ++t) {
      if (!r.reachable[t]) continue;
      abs_z.push_back(std::fabs(r.z[i][t]));
      ss += r.z[i][t] * r.z[i][t];
    }
    // The (ignore_worst+1)-th largest |z| over the reachable targets.
    std::sort(abs_z.begin(), abs_z.end(), std::greater<>());
    const double worst =
        abs_z.empty() ? 0.0 : abs_z[std::min<std::size_t>(static_cast<std::size_t>(spec.ignore_worst), abs_z.size() - 1)];
    r.implausibility[i] = worst;
    r.distance[i] = n_reach > 0 ? std::sqrt(ss / static_cast<double>(n_reach)) : 0.0;
    r.plausible[i] = worst <= spec.cutoff;
    if (r.plausible[i]) ok.push_back(i);
  }
  std::stable_sort(ok.begin(), ok.end(), [&](std::size_t a, std::size_t b) { return r.distance[a] < r.distance[b]; });
  for (std::size_t k = 0; k < ok.size() && k < static_cast<std::size_t>(spec.accept); ++k) r.accepted[ok[k]] = 1;
  r.calibrated.assign(spec.params.size(), std::nan(""));
  for (std::size_t d = 0; d < spec.params.size(); ++d) {
    std::vector<double> v;
    for (std::size_t i = 0; i < n; ++i)
      if (r.accepted[i]) v.push_back(r.values[i][d]);
    if (v.empty()) {
      // Nothing plausible: report the least implausible set rather than nothing.
      const auto best = std::min_element(r.implausibility.begin(), r.implausibility.end()) - r.implausibility.begin();
      if (n > 0) r.calibrated[d] = r.values[static_cast<std::size_t>(best)][d];
    } else {
      r.calibrated[d] = quantile(v, 0.5);
    }
  }
}

std::string calibration_table(const CalibrationSpec& spec, const std::vector<CalTarget>& targets,
                              const CalibrationResult& r) {
  std::ostringstream os;
  std::size_t plausible = 0, accepted = 0;
  for (std::size_t i = 0; i < r.values.size(); ++i) {
    plausible += r.plausible[i];
    accepted += r.accepted[i];
  }
  std::string unreachable;
  for (std::size_t t = 0; t < targets.size(); ++t)
    if (!r.reachable[t]) unreachable += (unreachable.empty() ? "" : ", ") + targets[t].id;
  os << "Calibration: " << r.values.size() << " parameter sets in " << spec.waves << " wave" << (spec.waves > 1 ? "s" : "")
     << "; " << plausible << " not ruled out (implausibility, the " << ordinal(spec.ignore_worst + 1)
     << "largest |z| over the reachable targets, <= " << rounded(spec.cutoff) << "); " << accepted
     << " accepted (ABC rejection, closest to the data)\n";
  if (!unreachable.empty())
    os << "Unreachable with these parameters and priors (no set within the cut-off; misfits of the data or the "
          "model, not used to rule out sets): "
       << unreachable << "\n";
  if (accepted == 0) os << "No set is plausible: the fit below is that of the least implausible set.\n";
  os << "\nTargets (observed ± observation error; fit = median [5 %, 95 %] over the accepted sets; z of the median)\n";
  std::vector<std::size_t> use;
  for (std::size_t i = 0; i < r.values.size(); ++i)
    if (r.accepted[i]) use.push_back(i);
  if (use.empty() && !r.values.empty())
    use.push_back(static_cast<std::size_t>(std::min_element(r.implausibility.begin(), r.implausibility.end()) -
                                           r.implausibility.begin()));
  for (std::size_t t = 0; t < targets.size(); ++t) {
    const auto& tg = targets[t];
    std::vector<double> v;
    for (std::size_t i : use) v.push_back(r.measured[i][t]);
    const double med = quantile(v, 0.5);
    const char* side = tg.side == CalTarget::Side::kAtLeast ? " (at least)" : tg.side == CalTarget::Side::kAtMost ? " (at most)" : "";
    char line[288];
    std::snprintf(line, sizeof line, "  %-4s observed %s ± %s%s%s  fit %s [%s, %s]  z %+.2f%s\n", tg.id.c_str(),
                  rounded(tg.observed, 4).c_str(), rounded(tg.sd, 3).c_str(), tg.log ? " (log)" : "", side,
                  rounded(med, 4).c_str(), rounded(quantile(v, 0.05), 4).c_str(), rounded(quantile(v, 0.95), 4).c_str(),
                  target_z(tg, med), r.reachable[t] ? "" : "  (unreachable)");
    os << line;
  }
  os << "\nParameters (prior range; accepted 5 %–95 %; calibrated = median)\n";
  for (std::size_t d = 0; d < spec.params.size(); ++d) {
    std::vector<double> v;
    for (std::size_t i = 0; i < r.values.size(); ++i)
      if (r.accepted[i]) v.push_back(r.values[i][d]);
    std::string informed;
    for (const auto& t : targets)
      if (("," + t.informs + ",").find(spec.params[d].key) != std::string::npos) informed += (informed.empty() ? "" : " ") + t.id;
    char line[320];
    std::snprintf(line, sizeof line, "  %-42s [%s, %s]  accepted %s–%s  calibrated %s  (informed by %s)\n",
                  spec.params[d].key.c_str(), rounded(spec.params[d].lo).c_str(), rounded(spec.params[d].hi).c_str(),
                  v.empty() ? "-" : rounded(quantile(v, 0.05)).c_str(), v.empty() ? "-" : rounded(quantile(v, 0.95)).c_str(),
                  rounded(r.calibrated[d], 4).c_str(), informed.empty() ? "none listed" : informed.c_str());
    os << line;
  }
  return os.str();
}

std::string calibrated_config(const CalibrationSpec& spec, const std::vector<CalTarget>& targets,
                              const CalibrationResult& r, const std::string& command) {
  std::ostringstream os;
  std::size_t accepted = 0;
  for (auto a : r.accepted) accepted += a;
  os << "# calibrated — the parameters calibrated against the seed's facts (S1–S6), included by the scenario configs.\n"
     << "# Written by: " << command << "\n"
     << "# Method: history matching (implausibility = the " << ordinal(spec.ignore_worst + 1)
     << "largest |z| over the reachable targets, cut-off "
     << rounded(spec.cutoff) << ") over " << r.values.size()
     << " parameter sets in " << spec.waves << " waves, then ABC rejection: the " << accepted
     << " non-implausible sets closest to the data; each value is their median.\n"
     << "# Do not edit by hand: rerun the calibration (sim/docs/model.md §6).\n";
  std::map<std::string, std::vector<std::size_t>> by_section;
  for (std::size_t d = 0; d < spec.params.size(); ++d) by_section[spec.params[d].spec->section].push_back(d);
  for (const auto& [sec, ds] : by_section) {
    os << "\n[" << sec << "]\n";
    for (std::size_t d : ds) {
      const auto& p = spec.params[d];
      std::vector<double> v;
      for (std::size_t i = 0; i < r.values.size(); ++i)
        if (r.accepted[i]) v.push_back(r.values[i][d]);
      std::string informed;
      for (const auto& t : targets)
        if (("," + t.informs + ",").find(p.key) != std::string::npos) informed += (informed.empty() ? "" : " ") + t.id;
      os << "# prior [" << rounded(p.lo) << ", " << rounded(p.hi) << "]";
      if (!v.empty()) os << "; accepted 5–95 %: " << rounded(quantile(v, 0.05)) << "–" << rounded(quantile(v, 0.95));
      os << "; informed by " << (informed.empty() ? "no listed target" : informed) << "\n";
      const double x = r.calibrated[d];
      os << p.spec->key << " = "
         << (p.spec->type == KeyType::kInt ? std::to_string(std::llround(x)) : shortest(std::stod(rounded(x, 4)))) << "\n";
    }
  }
  return os.str();
}

}  // namespace feidi
