// villages.cpp — phase "villages": the annual weak-status assessment, decisions
// to pool funds into the county's poverty enclave, guaranteed-return settlement
// by the county company, and trust.
//
// Decide (parallel) → apply joins in village-id order (pool capacity is shared)
// → settle each poverty enclave in enclave order → pay and update trust (parallel).
#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/parallel.hpp"
#include "model/internal.hpp"

namespace feidi::detail {

namespace {

// The poverty enclave a county's villages pool into: its first operating one.
EnclaveIdx county_pool(const Model& m, const State& s, CountyIdx c) {
  for (EnclaveIdx e : m.data.enclaves_of_source[c]) {
    if (m.data.enclaves[e].kind != EnclaveKind::kPoverty) continue;
    if (s.enclaves[e].status == EnclaveStatus::kOperating) return e;
  }
  return kNoEnclave;
}

// Monthly share of this year's land-quota contracts for the villages that sold quota,
// in proportion to the mu each sold.
void pay_quota_proceeds(const Model& m, State& s) {
  const auto& d = m.data;
  auto& v = s.villages;
  const std::size_t n = d.n_counties();
  auto& pay_c = s.scratch.small.pay;
  auto& sold = s.scratch.small.sold;
  pay_c.assign(n, 0.0);
  sold.assign(n, 0.0);
  for (std::size_t k = 0; k < d.pairings.size(); ++k) {
    const auto& tr = s.quota_trades[k];
    pay_c[d.pairings[k].source] += per_month(tr.mu * tr.price_yuan_per_mu) * m.params.land.quota_village_share;
    sold[d.pairings[k].source] += tr.mu;
  }
  s.province.quota_village_income_yuan = 0;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const CountyIdx c = v.county[i];
    if (sold[c] <= 0 || v.quota_sold_this_year_mu[i] <= 0) continue;
    const double pay = pay_c[c] * v.quota_sold_this_year_mu[i] / sold[c];
    v.quota_income_ytd_yuan[i] += pay;
    s.province.quota_village_income_yuan += pay;
  }
}

}  // namespace

void run_villages(const Model& m, State& s, StepStats* st) {
  const auto& vp = m.params.villages;
  const auto& ep = m.params.enclaves;
  auto& v = s.villages;
  const std::size_t nv = v.size(), n = m.data.n_counties();
  const auto step = static_cast<std::uint32_t>(s.step);

  // Annual assessment in January on last year's income: own income, pool returns
  // (operating income) and land-quota proceeds (other income); then incomes grow.
  // Runs before this January's quota contracts are paid (governments phase pays
  // the first twelfth), so those payments are carried to next year's assessment.
  if (s.month.month == 1 && s.step > 0) {
    const double growth = 1.0 + vp.income_growth_per_year;
    for (std::size_t i = 0; i < nv; ++i) {
      const double pool = v.pool_income_ytd_yuan[i];
      const double quota = v.quota_income_ytd_yuan[i];
      const bool weak = weak_by_rule(vp, v.own_total_yuan[i] + pool + quota, v.own_operating_yuan[i] + pool,
                                     !m.data.counties[v.county[i]].accelerated);
      if (v.weak[i] && !weak)
        s.events.push_back(Event{EventKind::kVillageLeftWeak, static_cast<std::int32_t>(i), v.county[i], -1, pool});
      v.weak[i] = weak ? 1 : 0;
      v.pool_income_last_yuan[i] = pool;
      v.pool_income_ytd_yuan[i] = 0;
      v.quota_income_last_yuan[i] = quota;
      v.quota_income_ytd_yuan[i] = 0;
      v.own_total_yuan[i] *= growth;
      v.own_operating_yuan[i] *= growth;
    }
  }

  pay_quota_proceeds(m, s);

  // Decide (villages weak on recurring income, not yet pooled): join the county's
  // operating pool, or receive the province-wide relief programme (outside enclaves).
  // A one-off land-quota sale may lift a village out of weak status for a year only, so
  // it does not count here.
  auto& pool_of = s.scratch.small.pool_of;
  pool_of.resize(n);
  for (std::size_t c = 0; c < n; ++c) pool_of[c] = county_pool(m, s, static_cast<CountyIdx>(c));
  auto& intent = s.scratch.village_intent;  // VillageIntent bits
  const double p_relief = hazard_to_prob(vp.relief_hazard_per_year, 1.0 / months_per_year());
  parallel_for_each(nv, [&](std::size_t i) {
    intent[i] = 0;
    if (v.pool[i] != kNoEnclave) return;
    if (!weak_by_rule(vp, v.own_total_yuan[i], v.own_operating_yuan[i], !m.data.counties[v.county[i]].accelerated))
      return;
    if (pool_of[v.county[i]] != kNoEnclave) {
      auto rng = rng_for(m, step, static_cast<std::uint32_t>(i), Purpose::kVillageJoin);
      if (rng.bernoulli(join_probability(vp, v.trust[i]))) intent[i] |= kVillageJoin;
    }
    if (v.relief_yuan[i] <= 0 && p_relief > 0) {
      auto rng = rng_for(m, step, static_cast<std::uint32_t>(i), Purpose::kVillageRelief);
      if (rng.bernoulli(p_relief)) intent[i] |= kVillageRelief;
    }
  });
  if (st) st->agent_updates += nv;
  if (st) st->decisions += nv;
  if (st) st->bytes_touched += nv * 120;  // ~15 of the village columns read or written
  s.province.village_subsidy_yuan = 0;
  s.province.relief_yuan = 0;
  for (std::size_t i = 0; i < nv; ++i) {
    if (intent[i] & kVillageRelief) {
      // Relief: a one-off investment in a property whose income is the village's own.
      const double income = vp.relief_invest_yuan * vp.relief_yield_per_year;
      v.relief_yuan[i] = vp.relief_invest_yuan;
      v.own_total_yuan[i] += income;
      v.own_operating_yuan[i] += income;
      s.province.relief_yuan += vp.relief_invest_yuan;
      s.province.relief_villages += 1;
    }
    if (!(intent[i] & kVillageJoin)) continue;
    const EnclaveIdx e = pool_of[v.county[i]];
    auto& en = s.enclaves[e];
    const auto& spec = m.data.enclaves[e];
    // Funds differ between villages (subsidy, own savings, land-quota equity) around the
    // park's own mean.
    const double mean = spec.invest_per_village_yuan > 0 ? spec.invest_per_village_yuan : vp.invest_yuan;
    auto rng = rng_for(m, step, static_cast<std::uint32_t>(i), Purpose::kPoolTerms);
    const double amount = lognormal_around(mean, vp.invest_sigma, rng);
    const double capacity = spec.planned_mu * ep.pool_capacity_yuan_per_mu;
    if (en.pool_invested_yuan + amount > capacity) continue;
    v.pool[i] = e;
    v.invested_yuan[i] = amount;
    en.pool_invested_yuan += amount;
    ++en.pool_villages;
    s.province.village_subsidy_yuan += amount;
    s.events.push_back(Event{EventKind::kVillageJoinedPool, static_cast<std::int32_t>(i), v.county[i], spec.host,
                             amount});
  }

  // Settlement: the county company earns the rent of the plant it bought with the
  // pooled funds — yield × occupancy of the park's granted land × the host economy's
  // productivity since the start (rents follow it), less while the park is stalled — and
  // owes the pool's guaranteed return (its own agreed rate, else the lever), or a share
  // of that rent when higher. A shortfall is met first from the source county's enclave
  // tax (up to pool_tax_share of it), then in part (underwrite_share) by the source
  // county company, which can spend at most underwrite_budget_share of the county's own
  // tax a month; the rest is a missed payment. So pools with a high promised rate, an
  // empty park, a weakening host or a poor source county miss more often.
  for (std::size_t e = 0; e < s.enclaves.size(); ++e) {
    auto& en = s.enclaves[e];
    en.return_due_yuan = en.return_paid_yuan = en.return_missed_yuan = 0;
    en.missed_this_step = false;
    const auto& spec = m.data.enclaves[e];
    if (spec.kind != EnclaveKind::kPoverty || en.pool_invested_yuan <= 0) continue;
    PoolMonth pm;
    pm.invested_yuan = en.pool_invested_yuan;
    pm.occupancy = occupancy(en.granted_mu, en.used_mu);
    pm.host_condition = s.location_factor[spec.host] / s.growth[spec.host].base_factor;
    pm.stalled = en.status == EnclaveStatus::kStalled;
    pm.return_rate = spec.return_rate >= 0 ? spec.return_rate : ep.guaranteed_return_rate;
    pm.tax_to_source_yuan = en.tax_to_source_yuan;
    pm.source_own_tax_yuan = s.county[spec.source].own_tax_yuan;
    const Settlement r = settle_pool(ep, pm, en.company_cash_yuan);
    en.return_due_yuan = r.due_yuan;
    en.return_missed_yuan = r.missed_yuan;
    en.return_paid_yuan = r.paid_yuan;
    if (r.missed) {
      en.missed_this_step = true;
      ++en.missed_payments;
      s.events.push_back(Event{EventKind::kMissedPayment, static_cast<std::int32_t>(e), spec.source, spec.host,
                               en.return_missed_yuan});
    }
  }

  // Payments and trust.
  const float recover = static_cast<float>(per_month(vp.trust_recovery_per_year));
  const float loss = static_cast<float>(vp.trust_loss_on_miss);
  parallel_for_each(nv, [&](std::size_t i) {
    const EnclaveIdx e = v.pool[i];
    if (e == kNoEnclave) return;
    const auto& en = s.enclaves[e];
    v.pool_income_ytd_yuan[i] += member_return(en.return_paid_yuan, v.invested_yuan[i], en.pool_invested_yuan);
    v.trust[i] = trust_after(v.trust[i], en.missed_this_step, recover, loss);
  });
}

}  // namespace feidi::detail
