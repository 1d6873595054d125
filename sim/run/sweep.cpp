// sweep.cpp — sweep files, designs, indicators and in-process runs.
//
// Index: indicators · running one model · seeds and designs · Morris · sweep files
#include "run/sweep.hpp"

#include "config/toml_input.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <mutex>
#include <numeric>
#include <set>
#include <sstream>

#include "config/data_loader.hpp"
#include "model/checkpoint.hpp"
#include "run/continuation.hpp"
#include "run/runner.hpp"
#include "trace/provenance.hpp"
#include "trace/reader.hpp"
#include "trace/schema.hpp"

namespace fs = std::filesystem;

namespace feidi::sweep {

// ---- indicators ---------------------------------------------------------------------

namespace {

std::string var_list(const std::vector<TraceVar>& vars) {
  std::string s;
  for (const auto& v : vars) s += (s.empty() ? "" : ", ") + std::string(v.name);
  return s;
}

}  // namespace

OutputSpec parse_output(const std::string& text, const InputLocation& loc) {
  OutputSpec o;
  o.text = text;
  o.name = text;
  const auto fail = [&](const std::string& problem) -> ConfigError {
    return ConfigError(loc, "output '" + text + "': " + problem);
  };
  const auto at = text.find('@');
  std::string var = text.substr(0, at);
  const std::string when = at == std::string::npos ? "end" : text.substr(at + 1);
  const auto dot = var.find('.');
  if (dot == std::string::npos) throw fail("expected province.NAME or county.NAME[CODE], then optionally @WHEN");
  const std::string group = var.substr(0, dot);
  std::string name = var.substr(dot + 1);
  if (group == "county") {
    o.county = true;
    const auto lb = name.find('['), rb = name.find(']');
    if (lb == std::string::npos || rb != name.size() - 1 || rb < lb + 2)
      throw fail("county variables need a county code: county.NAME[CODE], e.g. county.gdp_per_capita_ratio[331126]");
    try {
      std::size_t used = 0;
      const long long code = std::stoll(name.substr(lb + 1, rb - lb - 1), &used);
      if (used != rb - lb - 1 || code <= 0 || code > std::numeric_limits<std::int32_t>::max()) throw std::invalid_argument("");
      o.county_code = static_cast<std::int32_t>(code);
    } catch (const std::exception&) {
      throw fail("'" + name.substr(lb + 1, rb - lb - 1) + "' is not a county code");
    }
    name = name.substr(0, lb);
  } else if (group != "province") {
    throw fail("unknown group '" + group + "' (province or county)");
  }
  const auto& vars = o.county ? county_vars() : province_vars();
  const auto it = std::find_if(vars.begin(), vars.end(), [&](const TraceVar& v) { return name == v.name; });
  if (it == vars.end()) throw fail("no " + group + " variable '" + name + "' (one of: " + var_list(vars) + ")");
  o.var = static_cast<std::size_t>(it - vars.begin());
  o.units = it->units;
  o.long_name = it->long_name;
  if (when == "end") {
    o.when = OutputSpec::When::kEnd;
    o.long_name += ", at the end of the run";
  } else if (when == "mean") {
    o.when = OutputSpec::When::kMean;
    o.whole = true;
    o.long_name += ", mean over the run";
  } else if (when.rfind("mean:", 0) == 0) {
    o.when = OutputSpec::When::kMean;
    const auto rest = when.substr(5);
    const auto colon = rest.find(':');
    const auto a = YearMonth::parse(rest.substr(0, colon));
    const auto b = colon == std::string::npos ? std::nullopt : YearMonth::parse(rest.substr(colon + 1));
    if (!a || !b) throw fail("expected @mean:YYYY-MM:YYYY-MM");
    if (*b < *a) throw fail("the mean's period ends before it starts");
    o.from = *a;
    o.to = *b;
    o.long_name += ", mean " + a->str() + " to " + b->str();
  } else if (const auto ym = YearMonth::parse(when)) {
    o.when = OutputSpec::When::kMonth;
    o.at = *ym;
    o.long_name += ", in " + ym->str();
  } else {
    throw fail("'@" + when + "' is not end, YYYY-MM, mean or mean:YYYY-MM:YYYY-MM");
  }
  return o;
}

std::string check_output_period(const OutputSpec& o, YearMonth start, YearMonth end) {
  const auto inside = [&](YearMonth m) { return start <= m && m <= end; };
  const std::string period = " is not simulated (the run covers " + start.str() + " to " + end.str() + ")";
  if (o.when == OutputSpec::When::kMonth && !inside(o.at)) return "output '" + o.text + "': " + o.at.str() + period;
  if (o.when == OutputSpec::When::kMean && !o.whole && !(inside(o.from) && inside(o.to)))
    return "output '" + o.text + "': " + o.from.str() + " to " + o.to.str() + period;
  return {};
}

// ---- running one model ---------------------------------------------------------------

namespace {

// Accumulates the indicators while a run advances.
class Observer {
 public:
  Observer(const Model& m, const std::vector<OutputSpec>& outs) : outs_(outs), value_(outs.size(), NAN), sum_(outs.size(), 0),
                                                                   n_(outs.size(), 0), county_(outs.size(), 0) {
    for (std::size_t k = 0; k < outs.size(); ++k) {
      if (!outs[k].county) continue;
      bool found = false;
      for (std::size_t c = 0; c < m.data.n_counties(); ++c)
        if (m.data.counties[c].code == outs[k].county_code) county_[k] = c, found = true;
      if (!found)
        throw ConfigError({"", 0, 0, ""}, "output '" + outs[k].text + "': no county with code " +
                                               std::to_string(outs[k].county_code) + " in the data");
    }
  }
  // After a step that simulated month `ym`; `last` when it was the run's last step.
  void observe(const Model& m, const State& s, YearMonth ym, bool last) {
    for (std::size_t k = 0; k < outs_.size(); ++k) {
      const auto& o = outs_[k];
      const bool take = (o.when == OutputSpec::When::kEnd && last) || (o.when == OutputSpec::When::kMonth && ym == o.at) ||
                        (o.when == OutputSpec::When::kMean && (o.whole || (o.from <= ym && ym <= o.to)));
      if (!take) continue;
      const auto& var = o.county ? county_vars()[o.var] : province_vars()[o.var];
      const double v = var.get(m, s, county_[k]);
      if (o.when == OutputSpec::When::kMean) {
        sum_[k] += v;
        n_[k] += 1;
      } else {
        value_[k] = v;
        n_[k] = 1;
      }
    }
  }
  std::vector<double> values(YearMonth start, YearMonth end) const {
    std::vector<double> out(outs_.size());
    for (std::size_t k = 0; k < outs_.size(); ++k) {
      if (n_[k] == 0) {
        const auto problem = check_output_period(outs_[k], start, end);
        throw ConfigError({"", 0, 0, ""}, problem.empty() ? "output '" + outs_[k].text + "': the run has no steps" : problem);
      }
      out[k] = outs_[k].when == OutputSpec::When::kMean ? sum_[k] / static_cast<double>(n_[k]) : value_[k];
    }
    return out;
  }

 private:
  const std::vector<OutputSpec>& outs_;
  std::vector<double> value_, sum_;
  std::vector<long> n_;
  std::vector<std::size_t> county_;
};

// Steps `s` from where it is to the end of the run, observing every month; the indicators.
std::vector<double> observe_to_end(const Model& m, State& s, const std::vector<OutputSpec>& outputs) {
  const int total = m.params.steps();
  Observer obs(m, outputs);
  for (int i = s.step; i < total; ++i) {
    step(m, s);
    obs.observe(m, s, s.month.plus(-1), i + 1 == total);
  }
  return obs.values(m.params.run.start, m.params.run.end);
}

// The same through a runner writing its trace (aborted on a failure, finished at the end).
std::vector<double> observe_to_end(Runner& runner, const std::vector<OutputSpec>& outputs) {
  const auto t0 = std::chrono::steady_clock::now();
  const int total = runner.steps_total();
  Observer obs(runner.model(), outputs);
  try {
    for (int i = runner.steps_done(); i < total; ++i) {
      runner.step_once();
      obs.observe(runner.model(), runner.state(), runner.state().month.plus(-1), i + 1 == total);
    }
  } catch (...) {
    runner.abort();
    throw;
  }
  runner.finish(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
  const auto& run = runner.model().params.run;
  return obs.values(run.start, run.end);
}

}  // namespace

std::vector<double> run_model(Model model, const std::vector<OutputSpec>& outputs, const std::string& trace_path,
                              const RunInfo& info) {
  if (trace_path.empty()) {
    State s = make_initial_state(model);
    return observe_to_end(model, s, outputs);
  }
  Runner runner(std::move(model), trace_path, info);
  runner.keep_records(false);
  return observe_to_end(runner, outputs);
}

std::vector<double> run_branch(const Sweep& s, std::size_t run, const std::string& trace_path, RunInfo info) {
  FEIDI_ASSERT(s.branch.has_value(), "run_branch needs a branch sweep");
  const BranchFrom& b = *s.branch;
  const Continuation& c = b.from;
  // The parent's model and state at the branch month (its lever changes before it applied),
  // restored once per process and copied per member.
  static std::mutex mu;
  static std::string cached_key;
  static std::shared_ptr<const Restored> cached;
  const std::string key = c.parent + "@" + std::to_string(c.row);
  std::shared_ptr<const Restored> base;
  {
    std::lock_guard<std::mutex> lock(mu);
    if (cached && cached_key == key) base = cached;
  }
  if (!base) {
    auto restored = std::make_shared<const Restored>(restore_continuation(c));
    std::lock_guard<std::mutex> lock(mu);
    cached_key = key;
    cached = restored;
    base = restored;
  }
  // The member's levers from the branch month on: only real changes (a member at the
  // parent's levers is the parent, with no interventions).
  const Config member = sweep_config(s, run);
  Model model = base->model;
  const auto levers = lever_specs();
  std::vector<std::pair<int, double>> changes;
  for (std::size_t i = 0; i < levers.size(); ++i) {
    const KeySpec& k = *levers[i];
    bool named = false;
    for (const auto& f : s.fixed) named = named || f.substr(0, f.find('=')) == k.dotted();
    for (const auto& p : s.parameters) named = named || p.key == k.dotted();
    if (named && lever_value(member.params, k) != lever_value(model.params, k))
      changes.emplace_back(static_cast<int>(i), lever_value(member.params, k));
  }
  if (trace_path.empty()) {
    for (const auto& [lever, value] : changes) set_lever(model.params, *levers[static_cast<std::size_t>(lever)], value, s.path);
    State st = base->state;
    return observe_to_end(model, st, s.outputs);
  }
  info.config = c.config_text;  // the branch's config is its parent's; its levers are interventions
  info.parent = ParentTrace{fs::absolute(c.parent).lexically_normal().string(), b.content_hash, c.step, b.month, "branch"};
  Runner runner(std::move(model), State(base->state), trace_path, info);
  runner.keep_records(false);
  for (const auto& [lever, value] : changes) runner.change_lever(lever, value);
  return observe_to_end(runner, s.outputs);
}

// ---- seeds and designs -------------------------------------------------------------------

namespace {
std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  return x ^ (x >> 31);
}
}  // namespace

std::uint64_t replicate_seed(std::uint64_t base, int replicate) {
  return splitmix(splitmix(base) ^ (0xD1B54A32D192ED03ull * static_cast<std::uint64_t>(replicate + 1))) & ((1ull << 53) - 1);
}

std::uint64_t Stream::next() {
  s_ += 0x9E3779B97F4A7C15ull;
  std::uint64_t z = s_;
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

double Stream::uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }

std::uint64_t Stream::below(std::uint64_t n) {
  // Rejection sampling: unbiased.
  const std::uint64_t limit = std::numeric_limits<std::uint64_t>::max() - std::numeric_limits<std::uint64_t>::max() % n;
  std::uint64_t x;
  do x = next();
  while (x >= limit);
  return x % n;
}

std::vector<std::vector<double>> grid_design(const std::vector<std::vector<double>>& values) {
  std::size_t n = 1;
  for (const auto& v : values) n *= v.size();
  std::vector<std::vector<double>> pts(n, std::vector<double>(values.size()));
  for (std::size_t i = 0; i < n; ++i) {
    std::size_t rest = i;
    for (std::size_t d = values.size(); d-- > 0;) {
      pts[i][d] = values[d][rest % values[d].size()];
      rest /= values[d].size();
    }
  }
  return pts;
}

std::vector<std::vector<double>> lhs_unit(int samples, int dims, std::uint64_t seed) {
  std::vector<std::vector<double>> pts(static_cast<std::size_t>(samples), std::vector<double>(static_cast<std::size_t>(dims)));
  Stream rng(splitmix(seed ^ 0x4C48532D44455349ull));  // "LHS-DESI"
  std::vector<std::size_t> perm(static_cast<std::size_t>(samples));
  for (int d = 0; d < dims; ++d) {
    std::iota(perm.begin(), perm.end(), 0);
    for (std::size_t i = perm.size(); i > 1; --i) std::swap(perm[i - 1], perm[rng.below(i)]);
    for (int i = 0; i < samples; ++i)
      pts[i][d] = (static_cast<double>(perm[i]) + rng.uniform()) / static_cast<double>(samples);
  }
  return pts;
}

// ---- Morris ---------------------------------------------------------------------------------

MorrisDesign morris_design(int k, int r, int p, std::uint64_t seed) {
  if (k < 1 || r < 1 || p < 2 || p % 2 != 0) throw InternalError("morris_design: need k >= 1, r >= 1 and an even p >= 2");
  MorrisDesign d;
  d.k = k;
  d.r = r;
  d.p = p;
  d.delta = p / (2.0 * (p - 1));
  const int jump = p / 2;  // Δ in grid steps
  Stream rng(splitmix(seed ^ 0x4D4F52524953ull));  // "MORRIS"
  std::vector<int> order(static_cast<std::size_t>(k));
  for (int t = 0; t < r; ++t) {
    // Base point: a random level per factor. With even p, exactly one of level ± p/2 is on
    // the grid, which fixes the direction of that factor's move (Morris's D*).
    std::vector<int> level(static_cast<std::size_t>(k));
    for (auto& l : level) l = static_cast<int>(rng.below(static_cast<std::uint64_t>(p)));
    std::iota(order.begin(), order.end(), 0);
    for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);
    const auto unit = [&](const std::vector<int>& lv) {
      std::vector<double> x(lv.size());
      for (std::size_t i = 0; i < lv.size(); ++i) x[i] = static_cast<double>(lv[i]) / (p - 1);
      return x;
    };
    d.points.push_back(unit(level));
    for (int j = 0; j < k; ++j) {
      const int f = order[static_cast<std::size_t>(j)];
      level[f] += level[f] + jump <= p - 1 ? jump : -jump;
      d.points.push_back(unit(level));
      d.factor.push_back(f);
    }
  }
  return d;
}

MorrisResult morris_effects(const MorrisDesign& d, const std::vector<double>& y) {
  FEIDI_ASSERT(y.size() == d.points.size(), "one output per Morris point");
  MorrisResult res;
  const auto k = static_cast<std::size_t>(d.k);
  res.ee.assign(k, std::vector<double>(static_cast<std::size_t>(d.r), NAN));
  for (int t = 0; t < d.r; ++t) {
    const std::size_t base = static_cast<std::size_t>(t) * (k + 1);
    for (std::size_t j = 0; j < k; ++j) {
      const int f = d.factor[static_cast<std::size_t>(t) * k + j];
      const double dx = d.points[base + j + 1][f] - d.points[base + j][f];  // ±Δ
      res.ee[f][t] = (y[base + j + 1] - y[base + j]) / dx;
    }
  }
  res.mu.assign(k, 0);
  res.mu_star.assign(k, 0);
  res.sigma.assign(k, 0);
  for (std::size_t f = 0; f < k; ++f) {
    double s = 0, sa = 0;
    for (const double e : res.ee[f]) s += e, sa += std::fabs(e);
    const double n = static_cast<double>(d.r);
    res.mu[f] = s / n;
    res.mu_star[f] = sa / n;
    double ss = 0;
    for (const double e : res.ee[f]) ss += (e - res.mu[f]) * (e - res.mu[f]);
    res.sigma[f] = d.r > 1 ? std::sqrt(ss / (n - 1)) : 0.0;
  }
  return res;
}

// ---- sweep files ---------------------------------------------------------------------------

namespace {

// A TOML value as the right-hand side of a --set override.
std::string as_override(const toml::node& n) {
  if (const auto* s = n.as_string()) {
    std::string q = "\"";
    for (const char c : s->get()) {
      if (c == '"' || c == '\\') q += '\\';
      q += c;
    }
    return q + "\"";
  }
  std::ostringstream os;
  if (const auto* i = n.as_integer()) os << i->get();
  else if (const auto* f = n.as_floating_point()) {
    os.precision(17);
    os << f->get();
    if (os.str().find_first_of(".eEn") == std::string::npos) os << ".0";
  } else if (const auto* b = n.as_boolean()) os << (b->get() ? "true" : "false");
  else throw ConfigError({}, "expected a string, number or boolean, got " + toml_type_name(n));
  return os.str();
}

// Applies key=value at loc, reporting problems at loc.
void apply_at(Config& p, const std::string& assignment, const InputLocation& loc) {
  try {
    apply_override(p, assignment);
  } catch (const ConfigError& e) {
    throw ConfigError(loc, e.problem());
  }
}

// Numeric form of a grid value for key k.
double numeric_value(const KeySpec& k, const toml::node& n, const InputLocation& loc) {
  switch (k.type) {
    case KeyType::kInt:
      if (const auto* i = n.as_integer()) return static_cast<double>(i->get());
      break;
    case KeyType::kFloat:
      if (const auto* i = n.as_integer()) return static_cast<double>(i->get());
      if (const auto* f = n.as_floating_point()) return f->get();
      break;
    case KeyType::kBool:
      if (const auto* b = n.as_boolean()) return b->get() ? 1.0 : 0.0;
      break;
    case KeyType::kEnum:
      if (const auto* s = n.as_string()) {
        const auto it = std::find(k.choices.begin(), k.choices.end(), s->get());
        if (it == k.choices.end()) {
          std::string list;
          for (const auto& c : k.choices) list += (list.empty() ? "" : ", ") + c;
          throw ConfigError(loc, "'" + s->get() + "' is not one of " + list);
        }
        return static_cast<double>(it - k.choices.begin());
      }
      break;
    default: throw ConfigError(loc, "only numeric, boolean and choice keys can be swept");
  }
  const char* want = k.type == KeyType::kInt ? "an integer" : k.type == KeyType::kFloat ? "a number"
                     : k.type == KeyType::kBool ? "a boolean" : "a string (one of the choices)";
  throw ConfigError(loc, std::string("expected ") + want + ", got " + toml_type_name(n));
}

template <class T>
T get_or(const toml::table& t, const char* key, T def, const std::string& path, const char* section) {
  const toml::node* n = t.get(key);
  if (!n) return def;
  const std::string dotted = std::string(section) + "." + key;
  if constexpr (std::is_same_v<T, std::string>) {
    if (!n->is_string()) throw ConfigError(toml_where(path, *n, dotted), "expected a string, got " + toml_type_name(*n));
    return n->as_string()->get();
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!n->is_boolean()) throw ConfigError(toml_where(path, *n, dotted), "expected a boolean, got " + toml_type_name(*n));
    return n->as_boolean()->get();
  } else {
    if (!n->is_integer()) throw ConfigError(toml_where(path, *n, dotted), "expected an integer, got " + toml_type_name(*n));
    return static_cast<T>(n->as_integer()->get());
  }
}

void only_keys(const toml::table& t, const std::set<std::string>& allowed, const std::string& path, const std::string& prefix) {
  for (const auto& [k, n] : t) {
    const std::string key(k.str());
    if (!allowed.count(key)) {
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      throw ConfigError(toml_where(path, n, prefix + key), "unknown key (expected one of: " + list + ")");
    }
  }
}

}  // namespace

void set_numeric(Config& c, const KeySpec& k, double value, const std::string& where_) {
  set_from_number(c, k, value, where_);
}

RunId run_id(const Sweep& s, std::size_t run) {
  const auto reps = static_cast<std::size_t>(s.replicates);
  const std::size_t rep = run % reps, rest = run / reps;
  return {rest / s.points.size(), rest % s.points.size(), static_cast<int>(rep)};
}

Sweep load_sweep(const std::string& path) {
  Sweep s;
  s.path = path;
  const toml::table root = parse_toml_file(path, "sweep file", &s.text);
  only_keys(root, {"sweep", "parameters", "fixed", "outputs"}, path, "");
  const toml::node* sweep_node = root.get("sweep");
  if (!sweep_node || !sweep_node->is_table())
    throw ConfigError({path, sweep_node ? static_cast<int>(sweep_node->source().begin.line) : 0, 0, "sweep"},
                      "a sweep file needs a [sweep] table (scenarios, replicates, design, ...)");
  const toml::table& sw = *sweep_node->as_table();
  only_keys(sw, {"name", "scenarios", "branch_from", "replicates", "seed", "design", "samples", "design_seed", "traces",
                 "trace_dir"},
            path, "sweep.");
  s.name = get_or<std::string>(sw, "name", fs::path(path).stem().string(), path, "sweep");
  const fs::path dir = fs::path(path).parent_path();

  // Or branches of one run: branch_from = "TRACE.h5@YYYY-MM" (path relative to the sweep file).
  const toml::node* bf = sw.get("branch_from");
  if (bf) {
    const InputLocation loc = toml_where(path, *bf, "sweep.branch_from");
    if (sw.get("scenarios")) throw ConfigError(loc, "give either scenarios or branch_from, not both");
    if (!bf->is_string()) throw ConfigError(loc, "expected \"TRACE.h5@YYYY-MM\", got " + toml_type_name(*bf));
    const std::string text = bf->as_string()->get();
    const auto at = text.rfind('@');
    const auto month = at == std::string::npos ? std::nullopt : YearMonth::parse(text.substr(at + 1));
    if (!month) throw ConfigError(loc, "expected \"TRACE.h5@YYYY-MM\", got \"" + text + "\"");
    const fs::path tp(text.substr(0, at));
    BranchFrom b;
    const std::string trace = (tp.is_absolute() ? tp : dir / tp).lexically_normal().string();
    b.month = month->str();
    if (!fs::is_regular_file(trace)) throw ConfigError(loc, "trace '" + trace + "' not found");
    try {
      b.from = plan_continuation(trace, month, "sweep.branch_from");
    } catch (const ConfigError&) {
      throw;
    } catch (const InputError& e) {
      throw ConfigError(loc, e.what());
    }
    b.content_hash = file_hash(trace);
    s.branch = std::move(b);
    s.scenarios.push_back(trace);
  }

  // Scenarios: config paths relative to the sweep file.
  const toml::node* sc = sw.get("scenarios");
  if (!sc && !bf) throw ConfigError({path, static_cast<int>(sw.source().begin.line), 0, "sweep.scenarios"}, "missing: list the scenario configs");
  if (sc && (!sc->is_array() || sc->as_array()->empty()))
    throw ConfigError(toml_where(path, *sc, "sweep.scenarios"), "expected a non-empty array of config paths");
  if (sc) for (const auto& e : *sc->as_array()) {
    if (!e.is_string()) throw ConfigError(toml_where(path, e, "sweep.scenarios"), "expected a path string, got " + toml_type_name(e));
    const fs::path p = fs::path(e.as_string()->get());
    const std::string full = (p.is_absolute() ? p : dir / p).lexically_normal().string();
    if (!fs::is_regular_file(full)) throw ConfigError(toml_where(path, e, "sweep.scenarios"), "config '" + full + "' not found");
    s.scenarios.push_back(full);
  }

  s.replicates = get_or<int>(sw, "replicates", 1, path, "sweep");
  if (s.replicates < 1 || s.replicates > 100000)
    throw ConfigError(toml_where(path, *sw.get("replicates"), "sweep.replicates"), "must be between 1 and 100000");
  if (s.branch && s.replicates != 1)
    throw ConfigError(toml_where(path, *sw.get("replicates"), "sweep.replicates"),
                      "a branch sweep has one replicate: its members continue the parent's history and random streams");
  const auto seed = get_or<std::int64_t>(sw, "seed", 20180101, path, "sweep");
  if (seed < 0 || seed > (std::int64_t{1} << 53)) throw ConfigError(toml_where(path, *sw.get("seed"), "sweep.seed"), "must be between 0 and 2^53");
  s.seed = static_cast<std::uint64_t>(seed);
  s.design = get_or<std::string>(sw, "design", "grid", path, "sweep");
  if (s.design != "grid" && s.design != "lhs")
    throw ConfigError(toml_where(path, *sw.get("design"), "sweep.design"), "'" + s.design + "' is not one of grid, lhs");
  if (s.design == "lhs") {
    if (!sw.get("samples")) throw ConfigError(toml_where(path, *sw.get("design"), "sweep.samples"), "design = \"lhs\" needs samples");
    s.samples = get_or<int>(sw, "samples", 0, path, "sweep");
    if (s.samples < 1 || s.samples > 1000000) throw ConfigError(toml_where(path, *sw.get("samples"), "sweep.samples"), "must be between 1 and 1000000");
    const auto ds = get_or<std::int64_t>(sw, "design_seed", 1, path, "sweep");
    if (ds < 0) throw ConfigError(toml_where(path, *sw.get("design_seed"), "sweep.design_seed"), "must not be negative");
    s.design_seed = static_cast<std::uint64_t>(ds);
  } else {
    for (const char* k : {"samples", "design_seed"})
      if (const auto* n = sw.get(k))
        throw ConfigError(toml_where(path, *n, std::string("sweep.") + k), "only for design = \"lhs\"");
  }
  s.traces = get_or<bool>(sw, "traces", false, path, "sweep");
  s.trace_dir = get_or<std::string>(sw, "trace_dir", "", path, "sweep");
  if (!s.trace_dir.empty() && !s.traces)
    throw ConfigError(toml_where(path, *sw.get("trace_dir"), "sweep.trace_dir"), "set traces = true to write per-run traces");

  // Fixed overrides: [fixed] with dotted keys, e.g. scale.persons_per_agent = 5000.
  Config probe;  // checks every value before anything runs
  std::vector<InputLocation> fixed_locs;
  if (const toml::node* fx = root.get("fixed")) {
    if (!fx->is_table()) throw ConfigError(toml_where(path, *fx, "fixed"), "expected a table [fixed], got " + toml_type_name(*fx));
    for (const auto& [sec, sn] : *fx->as_table()) {
      const std::string section(sec.str());
      if (!sn.is_table())
        throw ConfigError(toml_where(path, sn, "fixed." + section), "expected section.key = value (e.g. run.end = \"2019-12\")");
      for (const auto& [key, n] : *sn.as_table()) {
        const std::string dotted = section + "." + std::string(key.str());
        const InputLocation loc = toml_where(path, n, "fixed." + dotted);
        std::string value;
        try {
          value = as_override(n);
        } catch (const ConfigError& e) {
          throw ConfigError(loc, e.problem());
        }
        if (!find_key(dotted)) throw ConfigError(loc, "unknown config key '" + dotted + "' (see feidi-sim config-doc)");
        apply_at(probe, dotted + "=" + value, loc);
        s.fixed.push_back(dotted + "=" + value);
        fixed_locs.push_back(loc);
      }
    }
  }

  // Parameters: [[parameters]] key = "...", values = [...] (grid) or min/max (lhs).
  const toml::node* pn = root.get("parameters");
  if (pn && !pn->is_array_of_tables())
    throw ConfigError(toml_where(path, *pn, "parameters"), "expected [[parameters]] tables (key = \"section.key\", values = [...])");
  std::set<std::string> seen;
  if (pn) {
    for (const auto& e : *pn->as_array()) {
      const toml::table& t = *e.as_table();
      only_keys(t, {"key", "values", "min", "max"}, path, "parameters.");
      Parameter par;
      const toml::node* kn = t.get("key");
      if (!kn || !kn->is_string())
        throw ConfigError(toml_where(path, kn ? *kn : e, "parameters.key"), "each [[parameters]] needs key = \"section.key\"");
      par.key = kn->as_string()->get();
      par.loc = toml_where(path, *kn, "parameters.key");
      par.spec = find_key(par.key);
      if (!par.spec) throw ConfigError(par.loc, "unknown config key '" + par.key + "' (see feidi-sim config-doc)");
      if (!seen.insert(par.key).second) throw ConfigError(par.loc, "'" + par.key + "' is swept twice");
      const KeySpec& k = *par.spec;
      if (s.design == "grid") {
        if (t.get("min") || t.get("max"))
          throw ConfigError(toml_where(path, t.get("min") ? *t.get("min") : *t.get("max"), "parameters.min"),
                            "min/max are for design = \"lhs\"; a grid lists values = [...]");
        const toml::node* vn = t.get("values");
        if (!vn || !vn->is_array() || vn->as_array()->empty())
          throw ConfigError(toml_where(path, vn ? *vn : *kn, par.key), "a grid parameter needs a non-empty values = [...]");
        for (const auto& v : *vn->as_array()) {
          const InputLocation vl = toml_where(path, v, par.key);
          const double x = numeric_value(k, v, vl);
          Config tmp;
          try {
            set_numeric(tmp, k, x, path);
          } catch (const ConfigError& err) {
            throw ConfigError(vl, err.problem());
          }
          par.values.push_back(x);
        }
      } else {
        if (t.get("values")) throw ConfigError(toml_where(path, *t.get("values"), par.key), "values = [...] is for design = \"grid\"; lhs takes min and max");
        if (k.type != KeyType::kInt && k.type != KeyType::kFloat)
          throw ConfigError(par.loc, "a Latin hypercube varies numeric keys only ('" + par.key + "' is not)");
        const auto bound = [&](const char* name, double def) {
          const toml::node* b = t.get(name);
          if (!b) {
            if (k.min > k.max) throw ConfigError(par.loc, std::string("needs ") + name + " (the key has no registry range)");
            return def;
          }
          if (!b->is_number()) throw ConfigError(toml_where(path, *b, par.key), std::string(name) + ": expected a number, got " + toml_type_name(*b));
          const double x = b->is_integer() ? static_cast<double>(b->as_integer()->get()) : b->as_floating_point()->get();
          Config tmp;
          try {
            set_numeric(tmp, k, x, path);
          } catch (const ConfigError& err) {
            throw ConfigError(toml_where(path, *b, par.key), std::string(name) + ": " + err.problem());
          }
          return x;
        };
        par.min = bound("min", k.min);
        par.max = bound("max", k.max);
        if (!(par.min < par.max)) throw ConfigError(par.loc, "min must be below max");
      }
      s.parameters.push_back(std::move(par));
    }
  }
  for (std::size_t i = 0; i < s.fixed.size(); ++i) {
    const std::string key = s.fixed[i].substr(0, s.fixed[i].find('='));
    if (seen.count(key)) throw ConfigError(fixed_locs[i], "'" + key + "' is both fixed and swept");
  }
  // Branches change policy levers only: the state before the branch month is the parent's.
  if (s.branch) {
    const auto lever = [](const std::string& key) {
      const KeySpec* k = find_key(key);
      return k && k->lever;
    };
    for (std::size_t i = 0; i < s.fixed.size(); ++i)
      if (!lever(s.fixed[i].substr(0, s.fixed[i].find('='))))
        throw ConfigError(fixed_locs[i], "a branch sweep changes policy levers only (see feidi-sim config-doc)");
    for (const auto& p : s.parameters)
      if (!p.spec->lever) throw ConfigError(p.loc, "a branch sweep changes policy levers only (see feidi-sim config-doc)");
  }

  // Outputs: [outputs] name = "province.VAR@WHEN".
  const toml::node* on = root.get("outputs");
  if (!on || !on->is_table() || on->as_table()->empty())
    throw ConfigError({path, on ? static_cast<int>(on->source().begin.line) : 0, 0, "outputs"},
                      "a sweep needs an [outputs] table: name = \"province.VAR@WHEN\"");
  std::set<std::string> names;
  for (const auto& p : s.parameters) names.insert(p.key);
  for (const char* reserved : {"run", "scenario", "point", "replicate", "seed"}) names.insert(reserved);
  for (const auto& [key, n] : *on->as_table()) {
    const std::string name(key.str());
    const InputLocation loc = toml_where(path, n, "outputs." + name);
    if (!n.is_string()) throw ConfigError(loc, "expected an indicator string such as \"province.theil@end\", got " + toml_type_name(n));
    if (name.find('/') != std::string::npos) throw ConfigError(loc, "output names must not contain '/'");
    if (names.count(name)) throw ConfigError(loc, "the name '" + name + "' is already used by the summary");
    names.insert(name);
    OutputSpec o = parse_output(n.as_string()->get(), loc);
    o.name = name;
    s.outputs.push_back(std::move(o));
  }

  // Design points.
  if (s.design == "grid") {
    std::vector<std::vector<double>> values;
    for (const auto& p : s.parameters) values.push_back(p.values);
    s.points = grid_design(values);
  } else {
    const auto u = lhs_unit(s.samples, static_cast<int>(s.parameters.size()), s.design_seed);
    s.points = u;
    for (auto& pt : s.points)
      for (std::size_t d = 0; d < s.parameters.size(); ++d) {
        const auto& p = s.parameters[d];
        double x = p.min + pt[d] * (p.max - p.min);
        if (p.spec->type == KeyType::kInt) x = std::clamp(std::round(x), std::ceil(p.min), std::floor(p.max));
        pt[d] = x;
      }
  }
  if (s.runs() > 10000000) throw ConfigError({path, 0, 0, "sweep"}, "more than 10 million runs");

  // Each scenario: loads, takes the fixed overrides, simulates the outputs' months.
  for (std::size_t i = 0; i < s.scenarios.size(); ++i) {
    Config c = s.branch ? s.branch->from.config : load_config(s.scenarios[i]);
    for (std::size_t j = 0; j < s.fixed.size(); ++j) apply_at(c, s.fixed[j], fixed_locs[j]);
    const RunParams& run = c.params.run;
    s.scenario_names.push_back(run.name);
    // A branch observes only the months it simulates.
    const YearMonth first = s.branch ? *YearMonth::parse(s.branch->month) : run.start;
    for (const auto& o : s.outputs) {
      if (s.branch && o.when == OutputSpec::When::kMean && o.whole) {
        const toml::node* n = on->as_table()->get(o.name);
        throw ConfigError(toml_where(path, *n, "outputs." + o.name),
                          "output '" + o.text + "': a branch simulates from " + s.branch->month +
                              " on; give the months (mean:" + s.branch->month + ":" + run.end.str() + ")");
      }
      const auto problem = check_output_period(o, first, run.end);
      if (!problem.empty()) {
        const toml::node* n = on->as_table()->get(o.name);
        throw ConfigError(toml_where(path, *n, "outputs." + o.name), problem + " in scenario " + run.name);
      }
    }
  }
  for (std::size_t i = 0; i < s.scenario_names.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (s.scenario_names[i] == s.scenario_names[j])
        throw ConfigError(toml_where(path, *sc, "sweep.scenarios"), "two scenarios are named '" + s.scenario_names[i] + "'");
  return s;
}

StaticData static_data_for(const Config& p) {
  // The static data (tables, villages, enclaves) depend only on the [data] keys; runs of a
  // sweep mostly share them, so the last one loaded is kept (copying beats parsing).
  static std::mutex mu;
  static std::string last_key;
  static std::shared_ptr<const StaticData> last;
  std::string key;
  for (const auto& k : config_keys())
    if (k.section == "data") key += k.key + "=" + format_value(k, k.get(p)) + "\n";
  {
    std::lock_guard<std::mutex> lock(mu);
    if (last && key == last_key) return *last;
  }
  auto data = std::make_shared<const StaticData>(load_static_data(p));
  std::lock_guard<std::mutex> lock(mu);
  last_key = key;
  last = data;
  return *data;
}

std::uint64_t run_seed(const Sweep& s, std::size_t run) {
  return s.branch ? s.branch->from.config.params.run.seed : replicate_seed(s.seed, run_id(s, run).replicate);
}

Config sweep_config(const Sweep& s, std::size_t run) {
  const RunId id = run_id(s, run);
  Config c = s.branch ? s.branch->from.config : load_config(s.scenarios[id.scenario]);
  for (const auto& f : s.fixed) apply_override(c, f);
  for (std::size_t d = 0; d < s.parameters.size(); ++d)
    set_numeric(c, *s.parameters[d].spec, s.points[id.point][d], s.path);
  if (!s.branch) c.params.run.seed = replicate_seed(s.seed, id.replicate);  // a branch keeps the parent's
  check_config(c, s.path);
  return c;
}

Model model_of(const Config& c) {
  Model m;
  m.params = c.params;
  m.data = static_data_for(c);
  return m;
}

Model sweep_model(const Sweep& s, std::size_t run) { return model_of(sweep_config(s, run)); }

}  // namespace feidi::sweep
