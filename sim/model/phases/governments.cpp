// governments.cpp — phase "governments": leadership turnover, renegotiation of
// the tax split, enclave founding and status, land (host quota pools, host
// grants, the provincial award quota, land-quota trading between paired
// counties), the special fund and sci-tech incubation.
//
// Governments and enclaves are few (~90 and tens): this phase runs
// sequentially in county / enclave / pairing order, which fixes the event order.
//
// Index: turnover · enclave_agreements · land_award · host_grants ·
//        quota_trading · special_fund · incubate · run_governments
#include <algorithm>
#include <cmath>

#include "model/internal.hpp"

namespace feidi::detail {

namespace {

void add_event(State& s, EventKind k, std::int32_t subject, std::int32_t from, std::int32_t to, double value) {
  s.events.push_back(Event{k, subject, from, to, value});
}

bool january(const State& s) { return s.month.month == 1 || s.step == 0; }

void turnover(const Model& m, State& s) {
  const auto& gp = m.params.governments;
  const double p_turn = monthly_prob(1.0 / gp.mean_tenure_years);
  for (std::size_t c = 0; c < s.governments.size(); ++c) {
    auto& g = s.governments[c];
    auto rng = rng_for(m, static_cast<std::uint32_t>(s.step), static_cast<std::uint32_t>(c), Purpose::kLeaderTurnover);
    g.turnover_this_step = rng.bernoulli(p_turn);
    if (g.turnover_this_step) {
      const double old = g.priority;
      g.priority = gp.priority_min + (gp.priority_max - gp.priority_min) * rng.uniform();
      g.tenure_months = 0;
      add_event(s, EventKind::kLeaderTurnover, static_cast<std::int32_t>(c), static_cast<std::int32_t>(c), -1,
                g.priority - old);
    } else {
      ++g.tenure_months;
    }
  }
}

// Founding, commitment, the tax-split agreement and status changes of every slot.
void enclave_agreements(const Model& m, State& s) {
  const auto& p = m.params;
  const auto& d = m.data;
  for (std::size_t e = 0; e < s.enclaves.size(); ++e) {
    const auto& spec = d.enclaves[e];
    auto& en = s.enclaves[e];
    const auto id = static_cast<std::int32_t>(e);
    if (en.status == EnclaveStatus::kVacant && en.founded_step == s.step) {
      en.status = EnclaveStatus::kBuilding;
      en.commitment = commitment(p, mode_of(p, spec), s.governments[spec.host].priority);
      en.tax_share_source = agreed_source_share(p, spec, en.commitment);
      add_event(s, EventKind::kEnclaveFounded, id, spec.source, spec.host, spec.planned_mu);
    }
    if (!is_active(en.status)) continue;
    en.commitment = commitment(p, mode_of(p, spec), s.governments[spec.host].priority);
    en.honoured_share = honoured_share(p, en.commitment);
    const double share = agreed_source_share(p, spec, en.commitment);
    const bool negotiated = spec.fixed_tax_share < 0 && p.tax_split.mode == SplitMode::kNash;
    const bool leaders_changed =
        s.governments[spec.host].turnover_this_step || s.governments[spec.source].turnover_this_step;
    if (negotiated && leaders_changed && share != en.tax_share_source) {
      en.tax_share_source = share;
      add_event(s, EventKind::kRenegotiation, id, spec.source, spec.host, share);
    } else if (!negotiated) {
      en.tax_share_source = share;  // a fixed split applies at once (also when steered)
    }
    const int age = s.step - en.founded_step;
    if (en.status == EnclaveStatus::kBuilding && age >= build_months_of(p, spec) && en.granted_mu > 0) {
      en.status = EnclaveStatus::kOperating;
      add_event(s, EventKind::kEnclaveOperating, id, spec.source, spec.host, en.granted_mu);
    } else if (en.status == EnclaveStatus::kOperating && en.commitment < p.governments.stall_commitment) {
      en.status = EnclaveStatus::kStalled;
      add_event(s, EventKind::kEnclaveStalled, id, spec.source, spec.host, en.commitment);
    } else if (en.status == EnclaveStatus::kStalled && en.commitment >= p.governments.stall_commitment) {
      en.status = EnclaveStatus::kOperating;
      add_event(s, EventKind::kEnclaveResumed, id, spec.source, spec.host, en.commitment);
    }
  }
}

bool receives_land(const EnclaveStatus st) {
  return st == EnclaveStatus::kBuilding || st == EnclaveStatus::kOperating;
}

// Provincial award quota (January): shared among the 26 counties' enclaves that
// receive land, by the configured rule, capped by each one's unmet plan.
void land_award(const Model& m, State& s) {
  const auto& d = m.data;
  const auto rule = m.params.land.award_rule;
  const std::size_t ne = s.enclaves.size();
  auto& weight = s.scratch.small.award_weight;
  auto& need = s.scratch.small.award_need;
  weight.assign(ne, 0.0);
  need.assign(ne, 0.0);
  double total = 0;
  for (std::size_t e = 0; e < ne; ++e) {
    if (!receives_land(s.enclaves[e].status) || !d.counties[d.enclaves[e].source].accelerated) continue;
    need[e] = std::max(0.0, land_limit_mu(m.params, d.enclaves[e]) - s.enclaves[e].granted_mu);
    if (need[e] <= 0) continue;
    weight[e] = award_weight(rule, need[e], s.enclaves[e].commitment);
    total += weight[e];
  }
  double left = s.province_land_award_left_mu;
  // Water-filling: shares above an enclave's need go back to the others.
  for (int round = 0; round < 8 && left > 1e-9 && total > 0; ++round) {
    double next_total = 0, used = 0;
    for (std::size_t e = 0; e < ne; ++e) {
      if (weight[e] <= 0) continue;
      const double g = std::min(need[e], left * weight[e] / total);
      s.enclaves[e].granted_mu += g;
      need[e] -= g;
      used += g;
      if (need[e] <= 1e-9) weight[e] = 0;
      next_total += weight[e];
    }
    left -= used;
    total = next_total;
    s.province.land_award_used_mu += used;
  }
  s.province_land_award_left_mu = left;
}

// Hosts grant land out of their enclave quota pool, each month a share of the unmet
// plan scaled by commitment; the pool is replenished every January.
void host_grants(const Model& m, State& s) {
  const auto& d = m.data;
  const auto& lp = m.params.land;
  if (january(s))
    for (auto& g : s.governments) g.land_pool_mu = std::min(g.land_pool_mu + lp.host_quota_mu_per_year, host_pool_cap_mu(lp));
  for (std::size_t e = 0; e < s.enclaves.size(); ++e) {
    auto& en = s.enclaves[e];
    if (!receives_land(en.status)) continue;
    auto& host = s.governments[d.enclaves[e].host];
    const double unmet = std::max(0.0, land_limit_mu(m.params, d.enclaves[e]) - en.granted_mu);
    const double g = host_grant_mu(lp, d.enclaves[e].planned_mu, en.commitment, unmet, host.land_pool_mu);
    en.granted_mu += g;
    host.land_pool_mu -= g;
    host.land_granted_mu += g;
    s.province.land_granted_mu += g;
  }
}

// Land-quota trading (增减挂钩) between paired counties. Each January a pair agrees on
// a volume (capped, and limited by the source villages' reclaimable quota) and a price:
// Nash bargaining between the seller's reclaim cost and the host's value of quota
// (which rises with its GDP per capita), or a fixed price. The host pays a twelfth a
// month; the villages that sold get quota_village_share, the source county the rest;
// the host adds quota_to_enclave_share of the bought quota to its enclave land pool.
void quota_trading(const Model& m, State& s) {
  const auto& d = m.data;
  const auto& lp = m.params.land;
  auto& v = s.villages;
  const std::size_t n = d.n_counties();
  for (auto& agg : s.county) agg.quota_revenue_yuan = agg.quota_paid_yuan = 0;
  if (january(s)) {
    s.province.quota_traded_mu = 0;
    // Remaining reclaimable quota per source county, sold village by village: pooled
    // villages first (the county company sells their quota), then by id.
    auto& supply = s.scratch.small.supply;
    supply.assign(n, 0.0);
    for (std::size_t i = 0; i < v.size(); ++i) supply[v.county[i]] += v.land_quota_mu[i];
    auto& to_sell = s.scratch.small.to_sell;
    to_sell.assign(n, 0.0);
    for (std::size_t k = 0; k < d.pairings.size(); ++k) {
      const auto& pr = d.pairings[k];
      auto& tr = s.quota_trades[k];
      const QuotaDeal deal = quota_deal(lp, supply[pr.source] - to_sell[pr.source], s.gdp_per_capita_ratio[pr.host]);
      tr.mu = deal.mu;
      tr.price_yuan_per_mu = deal.price_yuan_per_mu;
      to_sell[pr.source] += tr.mu;
      s.province.quota_traded_mu += tr.mu;
      s.province.quota_traded_total_mu += tr.mu;
      s.governments[pr.source].quota_sold_mu += tr.mu;
      s.governments[pr.host].quota_bought_mu += tr.mu;
      s.governments[pr.host].land_pool_mu += tr.mu * lp.quota_to_enclave_share;
    }
    // Take the quota from villages: pooled first, then the rest, in id order; remember
    // each village's share of its county's sale for the monthly payments.
    std::fill(v.quota_sold_this_year_mu.begin(), v.quota_sold_this_year_mu.end(), 0.0f);
    for (int pass = 0; pass < 2; ++pass)
      for (std::size_t i = 0; i < v.size(); ++i) {
        const CountyIdx c = v.county[i];
        if (to_sell[c] <= 0 || (pass == 0) != (v.pool[i] != kNoEnclave)) continue;
        const double take = std::min<double>(v.land_quota_mu[i], to_sell[c]);
        v.land_quota_mu[i] -= static_cast<float>(take);
        to_sell[c] -= take;
        v.quota_sold_this_year_mu[i] = static_cast<float>(take);
      }
  }
  // Monthly payments of this year's contracts to the governments (villages are paid
  // in the villages phase, after their annual assessment).
  for (std::size_t k = 0; k < d.pairings.size(); ++k) {
    const auto& pr = d.pairings[k];
    const auto& tr = s.quota_trades[k];
    const double pay = per_month(tr.mu * tr.price_yuan_per_mu);
    s.county[pr.host].quota_paid_yuan += pay;
    s.county[pr.source].quota_revenue_yuan += pay * (1.0 - lp.quota_village_share);
  }
}

// The special fund is shared equally by building and operating enclaves; company and
// PPP operation mobilise private money on top of it.
void special_fund(const Model& m, State& s) {
  int funded = 0;
  for (const auto& en : s.enclaves) funded += receives_land(en.status);
  s.province.special_fund_spent_yuan = 0;
  if (funded == 0) return;
  const double each = per_month(m.params.province.special_fund_yuan_per_year) / funded;
  for (std::size_t e = 0; e < s.enclaves.size(); ++e) {
    auto& en = s.enclaves[e];
    if (!receives_land(en.status)) continue;
    en.infrastructure_yuan += each * (1.0 + private_leverage(m.params.enclaves, mode_of(m.params, m.data.enclaves[e])));
    s.province.special_fund_spent_yuan += each;
  }
}

// Talent that moves home with the projects industrialised in the source county: high-skill
// persons living in the park's host (natives of the source first) move to the source,
// one person agent per persons_per_agent real persons. Candidates are found by probing
// random persons (a host holds a few per cent of the persons, so a few thousand probes
// find several); credit that finds nobody waits, capped at a few agents.
void move_talent(const Model& m, State& s, std::size_t e, double persons) {
  const auto& spec = m.data.enclaves[e];
  auto& g = s.growth[spec.source];
  const double P = static_cast<double>(m.params.scale.persons_per_agent);
  g.talent_credit = std::min(g.talent_credit + persons, 4.0 * P);
  const auto& ps = s.persons;
  const auto np = static_cast<std::uint32_t>(ps.size());
  auto rng = rng_for(m, static_cast<std::uint32_t>(s.step), static_cast<std::uint32_t>(e), Purpose::kTalentReturn);
  while (g.talent_credit >= P) {
    PersonIdx native = kNoPerson, other = kNoPerson;
    for (int k = 0; k < 4096 && native == kNoPerson; ++k) {
      const PersonIdx p{rng.below(np)};
      if (ps.skill[p] != Skill::kHigh || ps.county[p] != spec.host) continue;
      if (ps.home[p] == spec.source) native = p;
      else if (other == kNoPerson) other = p;
    }
    const PersonIdx p = native != kNoPerson ? native : other;
    if (p == kNoPerson) return;
    relocate_person(m, s, p, spec.source);
    g.talent_credit -= P;
    g.talent_in += P;
  }
}

// Sci-tech incubation: projects enter at a rate scaled by commitment, graduate after
// incubation_months, and industrialise in the source county with a logistic probability
// that rises with same-city treatment, the enclave's infrastructure and the wage gap
// between host and source (cheaper production at home). Every `firms_per_agent`
// graduates become a firm agent where they industrialise.
void incubate(const Model& m, State& s, std::size_t e) {
  const auto& spec = m.data.enclaves[e];
  const auto& ep = m.params.enclaves;
  auto& en = s.enclaves[e];
  if (en.cohort.empty()) return;
  const std::size_t slot = static_cast<std::size_t>(s.step) % en.cohort.size();
  const double graduates = en.cohort[slot];
  const double arrivals = incubation_arrivals(ep, en.status == EnclaveStatus::kOperating, en.commitment);
  en.cohort[slot] = arrivals;
  en.incubating += arrivals - graduates;
  if (graduates <= 0) return;
  const double p_src = industrialise_probability(ep, en.infrastructure_yuan, s.wage[spec.host], s.wage[spec.source]);
  en.industrialise_prob = p_src;
  en.graduated_source += graduates * p_src;
  en.graduated_elsewhere += graduates * (1.0 - p_src);
  en.spawn_credit_source += graduates * p_src;
  en.spawn_credit_host += graduates * (1.0 - p_src);
  move_talent(m, s, e, graduates * p_src * ep.talent_per_project);
  const double F = static_cast<double>(m.params.scale.firms_per_agent);
  // Knowledge-sector graduates become firms of the enclave-eligible sector with the
  // least land per worker (digital in the default table).
  std::uint8_t sector = 0;
  double best = 1e300;
  for (std::size_t k = 0; k < m.data.sectors.size(); ++k)
    if (m.data.sectors[k].enclave_eligible && m.data.sectors[k].land_mu_per_worker < best) {
      best = m.data.sectors[k].land_mu_per_worker;
      sector = static_cast<std::uint8_t>(k);
    }
  const double workers = m.params.firms.mean_workers_per_firm * F;
  while (en.spawn_credit_source >= F) {
    en.spawn_credit_source -= F;
    const auto id = spawn_firm(m, s, spec.source, kNoEnclave, sector, workers, spec.source);
    add_event(s, EventKind::kFirmSpawned, id, spec.host, spec.source, static_cast<double>(e));
  }
  while (en.spawn_credit_host >= F) {
    en.spawn_credit_host -= F;
    const auto id = spawn_firm(m, s, spec.host, kNoEnclave, sector, workers, spec.source);
    add_event(s, EventKind::kFirmSpawned, id, spec.host, spec.host, static_cast<double>(e));
  }
}

}  // namespace

void run_governments(const Model& m, State& s, StepStats* st) {
  const auto& p = m.params;
  for (auto& g : s.growth) g.talent_in = 0;
  turnover(m, s);
  const bool award = january(s) && !(s.month < p.land.award_from);
  if (award) s.province_land_award_left_mu = p.land.provincial_award_mu_per_year;
  enclave_agreements(m, s);
  if (award) land_award(m, s);
  host_grants(m, s);
  quota_trading(m, s);
  special_fund(m, s);
  for (std::size_t e = 0; e < s.enclaves.size(); ++e)
    if (m.data.enclaves[e].kind == EnclaveKind::kScitech && is_active(s.enclaves[e].status)) incubate(m, s, e);
  update_enclave_pairs(m, s);
}

void update_enclave_pairs(const Model& m, State& s) {
  const std::size_t n = m.data.n_counties();
  s.enclave_pair.assign(n * n, 0);
  for (std::size_t e = 0; e < s.enclaves.size(); ++e)
    if (is_active(s.enclaves[e].status))
      s.enclave_pair[static_cast<std::size_t>(m.data.enclaves[e].source) * n + m.data.enclaves[e].host] = 1;
}

}  // namespace feidi::detail
