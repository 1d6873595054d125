// init.cpp — the state at the start month, calibrated to the 2018 data.
//
// Calibration by construction (docs: sim/docs/model.md §Initialisation):
//   * person agents per county = resident population / persons_per_agent;
//   * employment = residents × participation × (1 − frictional unemployment);
//   * the county wage is alpha × GDP / employment, and each firm's productivity is
//     set so that its profit-maximising labour at that wage equals its drawn size;
//     hence every county's initial value added equals its 2018 GDP.
#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/error.hpp"
#include "engine/parallel.hpp"
#include "model/internal.hpp"

namespace feidi {

using detail::kInitStep;
using detail::rng_for;
using detail::kMonthsPerYear;
using detail::per_month;

namespace {

// County population, GDP (yuan/year) and employment at the start month: the 2018
// data scaled by economy.start_population_scale and economy.start_gdp_scale.
// `employment` counts residents with a job; `workplace` the jobs in the county: parks
// with a history (enclave_start.csv) employ commuters from their source, so their
// source has fewer jobs than employed residents and their host more.
struct Start {
  std::vector<double> pop, gdp, employment, workplace;
  std::vector<double> commuters;  // per enclave slot, persons (0 without a history)
};

Start start_levels(const Model& m) {
  const auto& p = m.params;
  const auto& d = m.data;
  Start st;
  for (const auto& c : d.counties) {
    st.pop.push_back(c.population_2018 * p.economy.start_population_scale);
    st.gdp.push_back(c.gdp_2018_yuan * p.economy.start_gdp_scale);
    st.employment.push_back(st.pop.back() * p.economy.participation_rate * (1.0 - p.economy.frictional_unemployment));
  }
  st.workplace = st.employment;
  st.commuters.assign(d.enclaves.size(), 0.0);
  for (std::size_t e = 0; e < d.enclaves.size(); ++e) {
    const auto& spec = d.enclaves[e];
    if (spec.start_commuter_share <= 0 || spec.start_workers <= 0 || !(spec.founded < p.run.start)) continue;
    // At most a fifth of the source's employed residents commute (a guard for odd tables).
    const double c = std::min(spec.start_commuter_share * spec.start_workers, 0.2 * st.workplace[spec.source]);
    st.commuters[e] = c;
    st.workplace[spec.source] -= c;
    st.workplace[spec.host] += c;
  }
  return st;
}

void init_counties(const Model& m, State& s, const Start& st) {
  const auto& d = m.data;
  const auto& ep = m.params.economy;
  const auto& employment = st.workplace;  // jobs in the county: GDP per worker and the wage
  const std::size_t n = d.n_counties();
  double gdp = 0, emp = 0, pop = 0;
  for (std::size_t c = 0; c < n; ++c) {
    gdp += st.gdp[c];
    emp += employment[c];
    pop += st.pop[c];
  }
  const double y_mean = gdp / emp, pc_mean = gdp / pop;
  s.wage.resize(n);
  s.location_factor.resize(n);
  s.housing_cost.resize(n);
  s.service_level.resize(n);
  s.unemployment.assign(n, ep.frictional_unemployment);
  s.gdp_per_capita_ratio.resize(n);
  double max_service = 0;
  for (std::size_t c = 0; c < n; ++c) {
    const double y = st.gdp[c] / employment[c];
    const double pc = st.gdp[c] / st.pop[c] / pc_mean;
    s.wage[c] = per_month(ep.labour_share * st.gdp[c]) / employment[c];
    s.location_factor[c] = std::pow(y / y_mean, ep.agglomeration_elasticity);
    s.housing_cost[c] = std::pow(pc, ep.housing_cost_elasticity);
    s.service_level[c] = std::pow(pc, 0.3);
    s.gdp_per_capita_ratio[c] = pc;
    max_service = std::max(max_service, s.service_level[c]);
  }
  for (auto& v : s.service_level) v /= max_service;
  // Tax effort: the local-level tax firms in a county pay (rate × sector factors × value
  // added, with value added per worker equal across a county's firms at the start) scaled
  // so that the county's revenue at the start is its 2018 general budget revenue (scaled
  // like GDP for back-casts). Counties without a figure keep the rate as it is.
  s.tax_effort.assign(n, 1.0);
  for (std::size_t c = 0; c < n; ++c) {
    const auto& k = d.counties[c];
    if (k.fiscal_revenue_2018_yuan <= 0) continue;
    double factor = 0;
    for (std::size_t j = 0; j < d.sectors.size(); ++j) factor += k.sector_share[j] * d.sectors[j].tax_factor;
    const double model_tax = ep.local_tax_rate * factor * st.gdp[c];
    if (model_tax > 0)
      s.tax_effort[c] = std::clamp(k.fiscal_revenue_2018_yuan * ep.start_gdp_scale / model_tax, 0.2, 5.0);
  }
  s.governments.resize(n);
  for (std::size_t c = 0; c < n; ++c) {
    auto rng = rng_for(m, kInitStep, static_cast<std::uint32_t>(c), Purpose::kInitGovernment);
    const auto& gp = m.params.governments;
    s.governments[c].priority = gp.priority_min + (gp.priority_max - gp.priority_min) * rng.uniform();
    s.governments[c].tenure_months = static_cast<int>(rng.uniform() * 2.0 * gp.mean_tenure_years * kMonthsPerYear);
    s.governments[c].land_pool_mu = m.params.land.host_quota_mu_per_year;
  }
  s.county.assign(n, CountyAgg{});
}

// Firm agents, grouped by county; returns the firm index range of each county.
void init_firms(const Model& m, State& s, const Start& st, std::vector<std::size_t>& first) {
  const auto& employment = st.workplace;  // firms are sized to the jobs in the county
  const auto& d = m.data;
  const auto& p = m.params;
  const double F = static_cast<double>(p.scale.firms_per_agent);
  const double alpha = p.economy.labour_share;
  const std::size_t n = d.n_counties();
  std::vector<std::size_t> count(n);
  std::size_t total = 0;
  for (std::size_t c = 0; c < n; ++c) {
    count[c] = std::max<std::size_t>(1, std::llround(employment[c] / (p.firms.mean_workers_per_firm * F)));
    total += count[c];
  }
  first.assign(n + 1, 0);
  for (std::size_t c = 0; c < n; ++c) first[c + 1] = first[c] + count[c];
  // Room for entries (sci-tech graduates) without reallocating inside a step.
  const std::size_t reserve = total + total / 10 + 1024;
  auto& f = s.firms;
  f.reserve(reserve);
  f.resize(total);
  // Sector weights per county: employment share / size factor, so employment shares come out right.
  const std::size_t ns = d.sectors.size();
  std::vector<std::vector<double>> cum_share(n, std::vector<double>(ns));
  for (std::size_t c = 0; c < n; ++c) {
    double a = 0;
    for (std::size_t k = 0; k < ns; ++k) {
      a += d.counties[c].sector_share[k] / d.sectors[k].size_factor;
      cum_share[c][k] = a;
    }
  }
  std::vector<double> size(total);
  parallel_for_each(total, [&](std::size_t i) {
    const auto c = static_cast<std::size_t>(std::upper_bound(first.begin(), first.end(), i) - first.begin() - 1);
    auto rng = rng_for(m, kInitStep, static_cast<std::uint32_t>(i), Purpose::kInitFirm);
    const auto& cum = cum_share[c];
    const double u = rng.uniform() * cum.back();
    const auto k = static_cast<std::size_t>(std::upper_bound(cum.begin(), cum.end(), u) - cum.begin());
    const std::size_t sector = std::min(k, ns - 1);
    f.county[i] = static_cast<CountyIdx>(c);
    f.origin[i] = static_cast<CountyIdx>(c);
    f.enclave[i] = kNoEnclave;
    f.alive[i] = 1;
    f.sector[i] = static_cast<std::uint8_t>(sector);
    const double sg = p.firms.size_sigma;
    size[i] = d.sectors[sector].size_factor * std::exp(sg * rng.normal() - 0.5 * sg * sg);
  });
  for (std::size_t c = 0; c < n; ++c) {
    double sum = 0;
    for (std::size_t i = first[c]; i < first[c + 1]; ++i) sum += size[i];
    for (std::size_t i = first[c]; i < first[c + 1]; ++i) {
      const double L = employment[c] * size[i] / sum;
      // Productivity such that the profit-maximising labour at the county wage is L.
      const double A = s.wage[c] * std::pow(L / F, 1.0 - alpha) / alpha;
      f.intrinsic[i] = A / s.location_factor[c];
      f.demand[i] = L;
      f.labour[i] = L;
      f.land_mu[i] = L * d.sectors[f.sector[i]].land_mu_per_worker;
    }
  }
}

// Out-migrants of the 26 counties live in developed counties, more of them nearby
// and in the hosts of their home county's enclaves.
std::vector<std::vector<double>> home_mix(const Model& m, const Start& st) {
  const auto& d = m.data;
  const std::size_t n = d.n_counties();
  const double share = m.params.persons.initial_outmigrant_share_26;
  std::vector<std::vector<double>> mix(n, std::vector<double>(n, 0.0));  // mix[c][h]: share of c's residents from h
  for (std::size_t h = 0; h < n; ++h) {
    if (!d.counties[h].accelerated || share <= 0) continue;
    const double natives_out = st.pop[h] / (1.0 - share) * share;
    std::vector<double> w(n, 0.0);
    double sum = 0;
    for (std::size_t c = 0; c < n; ++c) {
      if (d.counties[c].accelerated) continue;
      w[c] = st.pop[c] * std::exp(-d.distance(static_cast<CountyIdx>(h), static_cast<CountyIdx>(c)) / 150.0);
      const auto& hosts = d.enclave_hosts_of[h];
      if (std::find(hosts.begin(), hosts.end(), static_cast<CountyIdx>(c)) != hosts.end()) w[c] *= 4.0;
      sum += w[c];
    }
    for (std::size_t c = 0; c < n; ++c)
      if (w[c] > 0) mix[c][h] = natives_out * w[c] / sum / st.pop[c];
  }
  // Parks with a history: the natives of the source living in the host are as the
  // back-cast has them at the start (enclave_start.csv), where that is more.
  for (const auto& e : d.enclaves)
    if (e.start_natives_in_host > 0)
      mix[e.host][e.source] = std::max(mix[e.host][e.source], std::min(0.5, e.start_natives_in_host / st.pop[e.host]));
  return mix;
}

void init_persons(const Model& m, State& s, const Start& st, const std::vector<std::size_t>& firm_first) {
  const auto& d = m.data;
  const auto& p = m.params;
  const std::size_t n = d.n_counties();
  const double P = static_cast<double>(p.scale.persons_per_agent);
  std::vector<std::size_t> first(n + 1, 0);
  for (std::size_t c = 0; c < n; ++c)
    first[c + 1] = first[c] + std::max<std::size_t>(1, std::llround(st.pop[c] / P));
  const std::size_t total = first[n];
  if (total > 0xFFFFFFF0u) throw InputError("too many person agents: raise scale.persons_per_agent");
  s.persons.resize(total);
  const auto mix = home_mix(m, st);
  // Cumulative home shares per county (last entry: natives of the county itself).
  std::vector<std::vector<double>> cum_home(n);
  std::vector<std::vector<CountyIdx>> home_of(n);
  for (std::size_t c = 0; c < n; ++c) {
    double acc = 0;
    for (std::size_t h = 0; h < n; ++h)
      if (mix[c][h] > 0) {
        acc += mix[c][h];
        cum_home[c].push_back(acc);
        home_of[c].push_back(static_cast<CountyIdx>(h));
      }
  }
  // Commuters of parks with a history: each such park reserves part of its firms' jobs
  // (∝ their labour) for residents of its source; the source's employed residents commute
  // with the probability that fills them. Everyone else draws an employer in their own
  // county ∝ the firm's jobs not reserved for commuters.
  const auto& f = s.firms;
  std::vector<double> reserved(f.size(), 0.0);
  std::vector<std::vector<std::uint32_t>> park_firms(d.enclaves.size());
  std::vector<std::vector<double>> park_cum(d.enclaves.size());
  std::vector<double> commute_out(n, 0.0);
  std::vector<std::vector<std::pair<double, EnclaveIdx>>> parks_of(n);  // per source: (cumulative commuters, park)
  for (std::size_t e = 0; e < d.enclaves.size(); ++e) {
    if (st.commuters[e] <= 0) continue;
    const CountyIdx h = d.enclaves[e].host;
    double labour = 0;
    for (std::size_t i = firm_first[h]; i < firm_first[h + 1]; ++i)
      if (f.enclave[i] == static_cast<EnclaveIdx>(e)) labour += f.labour[i];
    if (labour <= 0) continue;
    const double share = std::min(0.9, st.commuters[e] / labour);
    double acc = 0;
    for (std::size_t i = firm_first[h]; i < firm_first[h + 1]; ++i)
      if (f.enclave[i] == static_cast<EnclaveIdx>(e)) {
        reserved[i] = share * f.labour[i];
        acc += reserved[i];
        park_firms[e].push_back(static_cast<std::uint32_t>(i));
        park_cum[e].push_back(acc);
      }
    const CountyIdx src = d.enclaves[e].source;
    commute_out[src] += acc;
    parks_of[src].emplace_back(commute_out[src], static_cast<EnclaveIdx>(e));
  }
  std::vector<double> cum_size(f.size());
  for (std::size_t c = 0; c < n; ++c) {
    double acc = 0;
    for (std::size_t i = firm_first[c]; i < firm_first[c + 1]; ++i) {
      acc += f.labour[i] - reserved[i];
      cum_size[i] = acc;
    }
  }
  std::vector<double> p_commute(n, 0.0);
  for (std::size_t c = 0; c < n; ++c)
    if (commute_out[c] > 0) p_commute[c] = std::min(1.0, commute_out[c] / st.employment[c]);
  const double hi = p.persons.high_skill_share, lo = p.persons.low_skill_share;
  const double employ = 1.0 - p.economy.frictional_unemployment;
  // A guide table per county over cum_size, so an employer draw starts next to its answer
  // (rules::guided_upper gives the upper bound's answer all the same).
  std::vector<std::uint32_t> guide(f.size());
  parallel_tasks(n, [&](std::size_t c) { rules::build_guide(firm_first, cum_size, c, guide); },
                 f.size() >= kMinParallelItems);
  auto& ps = s.persons;
  const auto init_person = [&](std::size_t i, std::size_t c) {
    auto rng = rng_for(m, kInitStep, static_cast<std::uint32_t>(i), Purpose::kInitPerson);
    ps.county[i] = static_cast<CountyIdx>(c);
    const double uh = rng.uniform();
    const auto k = static_cast<std::size_t>(std::upper_bound(cum_home[c].begin(), cum_home[c].end(), uh) -
                                            cum_home[c].begin());
    ps.home[i] = k < home_of[c].size() ? home_of[c][k] : static_cast<CountyIdx>(c);
    const double us = rng.uniform();
    ps.skill[i] = us < lo ? Skill::kLow : (us < 1.0 - hi ? Skill::kMid : Skill::kHigh);
    ps.active[i] = rng.bernoulli(p.economy.participation_rate) ? 1 : 0;
    ps.employer[i] = kNoFirm;
    ps.months_unemployed[i] = 0;
    if (ps.active[i] && rng.bernoulli(employ)) {
      if (p_commute[c] > 0 && rng.bernoulli(p_commute[c])) {
        const auto& parks = parks_of[c];
        const double u = rng.uniform() * parks.back().first;
        std::size_t k = 0;
        while (k + 1 < parks.size() && parks[k].first <= u) ++k;
        const auto& cum = park_cum[static_cast<std::size_t>(parks[k].second)];
        const double v = rng.uniform() * cum.back();
        const auto j = std::min<std::size_t>(cum.size() - 1, std::upper_bound(cum.begin(), cum.end(), v) - cum.begin());
        ps.employer[i] = static_cast<FirmIdx>(park_firms[static_cast<std::size_t>(parks[k].second)][j]);
        return;
      }
      // The county's firm ∝ its jobs not reserved for commuters (every county has one).
      const double u = rng.uniform();
      ps.employer[i] = static_cast<FirmIdx>(rules::guided_upper(cum_size, guide, firm_first[c], firm_first[c + 1], u));
    }
  };
  parallel_blocks(total, kAgentBlock, [&](std::size_t, std::size_t begin, std::size_t end) {
    auto c = static_cast<std::size_t>(std::upper_bound(first.begin(), first.end(), begin) - first.begin() - 1);
    for (std::size_t i = begin; i < end; ++i) {
      while (i >= first[c + 1]) ++c;
      init_person(i, c);
    }
  });
}

void init_enclaves(const Model& m, State& s) {
  const auto& d = m.data;
  const auto& p = m.params;
  const int start_idx = p.run.start.index();
  const YearMonth data_date{2018, 1};
  s.enclaves.assign(d.enclaves.size(), Enclave{});
  for (std::size_t e = 0; e < d.enclaves.size(); ++e) {
    const auto& spec = d.enclaves[e];
    auto& en = s.enclaves[e];
    en.cohort.assign(static_cast<std::size_t>(p.enclaves.incubation_months), 0.0);
    en.founded_step = spec.founded.index() - start_idx;
    if (en.founded_step > 0) continue;  // founded during the run (governments phase)
    // Land granted at the start: the data's 2018 value, interpolated for earlier starts.
    const int age_at_data = data_date.index() - spec.founded.index();
    const int age = -en.founded_step;
    double granted = spec.granted_mu_at_start;
    if (p.run.start < data_date && age_at_data > 0) granted *= std::min(1.0, static_cast<double>(age) / age_at_data);
    en.granted_mu = granted;
    en.status = (age >= build_months_of(p, spec) && granted > 0) ? EnclaveStatus::kOperating : EnclaveStatus::kBuilding;
    const auto& host_gov = s.governments[spec.host];
    en.commitment = detail::commitment(p, mode_of(p, spec), host_gov.priority);
    en.tax_share_source = detail::agreed_source_share(p, spec, en.commitment);
    // Sci-tech parks start with the projects their own intake put into incubation over
    // the months they have operated (at most one incubation period back); the arrival of
    // k months ago sits in ring slot (−k mod incubation_months).
    if (spec.kind == EnclaveKind::kScitech && en.status == EnclaveStatus::kOperating) {
      const int operated = age - build_months_of(p, spec);
      const int n = static_cast<int>(en.cohort.size());
      const double intake = per_month(p.enclaves.scitech_projects_per_year) * en.commitment;
      for (int k = 1; k <= std::min(operated, n); ++k) {
        en.cohort[static_cast<std::size_t>(((-k) % n + n) % n)] = intake;
        en.incubating += intake;
      }
    }
  }
  for (std::size_t e = 0; e < d.enclaves.size(); ++e)
    if (s.enclaves[e].founded_step > 0) {
      s.enclaves[e].commitment = detail::commitment(p, mode_of(p, d.enclaves[e]), s.governments[d.enclaves[e].host].priority);
      s.enclaves[e].tax_share_source = detail::agreed_source_share(p, d.enclaves[e], s.enclaves[e].commitment);
    }
}

// Operating enclaves start partly filled: host-county firms of eligible sectors are
// moved in (in id order from a random offset) until land use reaches the ramp-up target.
void fill_enclaves(const Model& m, State& s, const std::vector<std::size_t>& firm_first) {
  const auto& d = m.data;
  auto& f = s.firms;
  for (std::size_t e = 0; e < d.enclaves.size(); ++e) {
    auto& en = s.enclaves[e];
    if (en.status != EnclaveStatus::kOperating) continue;
    const auto& spec = d.enclaves[e];
    const double age = -static_cast<double>(en.founded_step);
    const double target = en.granted_mu * std::min(1.0, std::max(0.0, age - build_months_of(m.params, spec)) / 60.0);
    const std::size_t b = firm_first[spec.host], n = firm_first[spec.host + 1] - b;
    auto rng = rng_for(m, kInitStep, static_cast<std::uint32_t>(e), Purpose::kInit);
    const std::size_t off = rng.below(static_cast<std::uint32_t>(n));
    for (int pass = 0; pass < 2 && en.used_mu < target; ++pass) {
      for (std::size_t j = 0; j < n && en.used_mu < target; ++j) {
        const std::size_t i = b + (off + j) % n;
        const auto& sec = d.sectors[f.sector[i]];
        if (f.enclave[i] != kNoEnclave || !sec.enclave_eligible) continue;
        // Parks take the sectors of their kind first (sector_fits), others only when short.
        if (pass == 0 && !detail::sector_fits(sec, spec.kind)) continue;
        if (en.used_mu + f.land_mu[i] > en.granted_mu) continue;
        f.enclave[i] = static_cast<EnclaveIdx>(e);
        f.origin[i] = spec.source;
        en.used_mu += f.land_mu[i];
      }
    }
  }
}

// Parks with a history employ natives of their source as the back-cast has them at the
// start (enclave_start.csv). Their commuters were placed when persons got their jobs
// (init_persons); natives of the source living in the host who work outside the park
// then swap jobs with park workers from elsewhere (both in the host, so every job stays
// reachable), in id order, until the park's share of workers from the source reaches the
// derived one or no native is left.
void match_enclave_origin(const Model& m, State& s) {
  const auto& d = m.data;
  auto& ps = s.persons;
  const auto& f = s.firms;
  const std::size_t n = d.n_counties();
  // The parks matched here, and the (source, host) pairs whose natives they look at.
  std::vector<std::uint8_t> park(d.enclaves.size(), 0), pair(n * n, 0);
  bool any = false;
  for (std::size_t e = 0; e < d.enclaves.size(); ++e) {
    const auto& spec = d.enclaves[e];
    if (spec.start_from_source_share < 0 || s.enclaves[e].status != EnclaveStatus::kOperating) continue;
    park[e] = 1;
    pair[static_cast<std::size_t>(spec.source) * n + spec.host] = 1;
    any = true;
  }
  if (!any) return;
  // The persons any park's scan can see: the workers of the matched parks and the
  // natives of a matched pair's source living in its host with a job outside the parks,
  // in id order. A swap below only exchanges employers between two such persons, so
  // everyone else stays out of every scan and a scan of this list sees what a scan of
  // all persons would, in the same order.
  std::vector<std::uint32_t> candidates;
  {
    const std::size_t np = ps.size(), block = kAgentBlock * 16, nb = block_count(np, block);
    std::vector<std::uint32_t> count(nb, 0);
    SlotBuffer<std::uint32_t> seen;  // block b writes from slot b × block
    seen.resize(np);
    parallel_blocks(np, block, [&](std::size_t b, std::size_t begin, std::size_t end) {
      std::uint32_t k = 0;
      for (std::size_t i = begin; i < end; ++i) {
        const FirmIdx emp = ps.employer[i];
        if (emp == kNoFirm) continue;
        const EnclaveIdx fe = f.enclave[emp];
        const bool relevant = fe != kNoEnclave
                                  ? park[static_cast<std::size_t>(fe)] != 0
                                  : pair[static_cast<std::size_t>(ps.home[i]) * n + ps.county[i]] != 0;
        if (relevant) seen[begin + k++] = static_cast<std::uint32_t>(i);
      }
      count[b] = k;
    });
    for (std::size_t b = 0; b < nb; ++b)
      candidates.insert(candidates.end(), seen.data() + b * block, seen.data() + b * block + count[b]);
  }
  for (std::size_t e = 0; e < d.enclaves.size(); ++e) {
    if (!park[e]) continue;
    const auto& spec = d.enclaves[e];
    std::vector<std::uint32_t> park_others, natives_outside;
    std::size_t workers = 0, natives = 0;
    for (const std::uint32_t i : candidates) {  // all employed (swaps keep them so)
      const bool in_park = f.enclave[ps.employer[i]] == static_cast<EnclaveIdx>(e);
      const bool native = ps.home[i] == spec.source;
      if (in_park) {
        ++workers;
        if (native) ++natives;
        else if (ps.county[i] == spec.host) park_others.push_back(i);
      } else if (native && ps.county[i] == spec.host && f.enclave[ps.employer[i]] == kNoEnclave) {
        natives_outside.push_back(i);
      }
    }
    const auto want = static_cast<std::size_t>(std::llround(spec.start_from_source_share * static_cast<double>(workers)));
    for (std::size_t k = 0; natives < want && k < park_others.size() && k < natives_outside.size(); ++k, ++natives)
      std::swap(ps.employer[park_others[k]], ps.employer[natives_outside[k]]);
  }
}

void init_villages(const Model& m, State& s, const Start& st) {
  const auto& d = m.data;
  const auto& vp = m.params.villages;
  const std::size_t n = d.villages.size();
  s.villages.resize(n);
  auto& v = s.villages;
  double gdp = 0, pop = 0;
  for (std::size_t c = 0; c < d.n_counties(); ++c) {
    gdp += st.gdp[c];
    pop += st.pop[c];
  }
  const double pc_mean = gdp / pop;
  parallel_for_each(n, [&](std::size_t i) {
    const CountyIdx c = d.villages[i].county;
    auto rng = rng_for(m, kInitStep, static_cast<std::uint32_t>(i), Purpose::kInitVillage);
    const double pc = st.gdp[c] / st.pop[c] / pc_mean;
    const double median = vp.income_median_yuan * std::pow(pc, vp.income_gdp_elasticity);
    const double total = median * std::exp(vp.income_sigma * rng.normal());
    const double operating = std::min(total, total * vp.operating_share * std::exp(0.3 * rng.normal()));
    v.county[i] = c;
    v.own_total_yuan[i] = total;
    v.own_operating_yuan[i] = operating;
    v.pool[i] = kNoEnclave;
    v.trust[i] = 1.0f;
    v.invested_yuan[i] = 0;
    v.pool_income_ytd_yuan[i] = 0;
    v.pool_income_last_yuan[i] = 0;
    v.land_quota_mu[i] = static_cast<float>(vp.land_quota_mu_mean * rng.exponential());
    v.quota_income_ytd_yuan[i] = 0;
    v.quota_income_last_yuan[i] = 0;
    v.quota_sold_this_year_mu[i] = 0;
    v.relief_yuan[i] = 0;
    v.weak[i] = detail::weak_by_rule(vp, total, operating, !d.counties[c].accelerated) ? 1 : 0;
  });
}

}  // namespace

State make_initial_state(const Model& m) {
  FEIDI_ASSERT(!m.data.counties.empty(), "static data not loaded");
  const auto& d = m.data;
  const auto& p = m.params;
  State s;
  s.month = p.run.start;
  const Start st = start_levels(m);
  init_counties(m, s, st);
  std::vector<std::size_t> firm_first;
  init_firms(m, s, st, firm_first);
  init_enclaves(m, s);
  fill_enclaves(m, s, firm_first);
  init_persons(m, s, st, firm_first);
  match_enclave_origin(m, s);
  init_villages(m, s, st);
  s.quota_trades.assign(d.pairings.size(), QuotaTrade{});
  const std::size_t nv = s.villages.size();
  s.scratch.village_intent.assign(nv, 0);
  s.events.reserve(1 << 16);
  detail::rebuild_firm_index(m, s);
  detail::build_ledger(m, s);
  detail::schedule_firms(m, s);
  s.initial_firms = s.firms.size();
  compute_aggregates(m, s);
  detail::init_growth(m, s);
  return s;
}

void Persons::resize(std::size_t n) {
  // One task per column: at full scale the columns' first touch (1.3 GB of page faults
  // and fill) is most of the persons' set-up, and the columns are independent.
  const auto grow = [n](auto& column) { column.resize(n); };
  parallel_tasks(10, [&](std::size_t k) {
    switch (k) {
      case 0: grow(employer); break;
      case 1: grow(prev_worker); break;
      case 2: grow(next_worker); break;
      case 3: grow(county); break;
      case 4: grow(home); break;
      case 5: grow(next_review); break;
      case 6: grow(next_separation); break;
      case 7: grow(active); break;
      case 8: grow(months_unemployed); break;
      default: grow(skill); break;
    }
  }, n >= kMinParallelItems);
}

void Firms::reserve(std::size_t n) {
  county.reserve(n);
  enclave.reserve(n);
  alive.reserve(n);
  sector.reserve(n);
  origin.reserve(n);
  intrinsic.reserve(n);
  demand.reserve(n);
  labour.reserve(n);
  land_mu.reserve(n);
  va.reserve(n);
  profit.reserve(n);
  tax.reserve(n);
  first_worker.reserve(n);
  workers.reserve(n);
  commuters.reserve(n);
  from_source.reserve(n);
  next_exit_check.reserve(n);
  next_review.reserve(n);
}

void Firms::resize(std::size_t n) {
  // Entrants add one slot at a time: grow the room by an eighth, not by the doubling of
  // std::vector (which would leave ~0.2 GB of unused room at 1:1).
  if (n > county.capacity()) reserve(n + n / 8);
  county.resize(n);
  enclave.resize(n);
  alive.resize(n);
  sector.resize(n);
  origin.resize(n);
  intrinsic.resize(n);
  demand.resize(n);
  labour.resize(n);
  land_mu.resize(n);
  va.resize(n);
  profit.resize(n);
  tax.resize(n);
  first_worker.resize(n);
  workers.resize(n);
  commuters.resize(n);
  from_source.resize(n);
  next_exit_check.resize(n);
  next_review.resize(n);
}

void Villages::resize(std::size_t n) {
  county.resize(n);
  weak.resize(n);
  pool.resize(n);
  trust.resize(n);
  own_total_yuan.resize(n);
  own_operating_yuan.resize(n);
  invested_yuan.resize(n);
  pool_income_ytd_yuan.resize(n);
  pool_income_last_yuan.resize(n);
  land_quota_mu.resize(n);
  quota_income_ytd_yuan.resize(n);
  quota_income_last_yuan.resize(n);
  quota_sold_this_year_mu.resize(n);
  relief_yuan.resize(n);
}

}  // namespace feidi
