// governments.cpp — phase "governments": leadership turnover, renegotiation of
// the tax split, land grants (host grants and the provincial award quota), the
// special fund, enclave status changes and sci-tech incubation.
//
// Governments and enclaves are few (~90 and tens): this phase runs
// sequentially in county / enclave order, which fixes the event order.
#include <algorithm>
#include <cmath>

#include "model/internal.hpp"

namespace feidi::detail {

namespace {

void add_event(State& s, EventKind k, std::int32_t subject, std::int32_t from, std::int32_t to, double value) {
  s.events.push_back(Event{k, subject, from, to, value});
}

void turnover(const Model& m, State& s) {
  const auto& gp = m.params.governments;
  const double p_turn = hazard_to_prob(1.0 / gp.mean_tenure_years, 1.0 / 12.0);
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

// Sci-tech incubation: projects enter at a rate scaled by commitment, graduate after
// incubation_months, and industrialise in the source county with a probability that
// rises with same-city treatment. Every `firms_per_agent` graduates become a firm agent.
void incubate(const Model& m, State& s, std::size_t e) {
  const auto& spec = m.data.enclaves[e];
  const auto& ep = m.params.enclaves;
  auto& en = s.enclaves[e];
  if (en.cohort.empty()) return;
  const std::size_t slot = static_cast<std::size_t>(s.step) % en.cohort.size();
  const double graduates = en.cohort[slot];
  const double arrivals = en.status == EnclaveStatus::kOperating
                              ? ep.scitech_projects_per_year / 12.0 * en.commitment
                              : 0.0;
  en.cohort[slot] = arrivals;
  en.incubating += arrivals - graduates;
  if (graduates <= 0) return;
  const double p_src = std::clamp(ep.industrialise_base + ep.industrialise_same_city * ep.same_city, 0.0, 1.0);
  en.graduated_source += graduates * p_src;
  en.graduated_elsewhere += graduates * (1.0 - p_src);
  en.spawn_credit_source += graduates * p_src;
  en.spawn_credit_host += graduates * (1.0 - p_src);
  const double F = static_cast<double>(m.params.scale.firms_per_agent);
  // Knowledge-sector graduates become firms of the first enclave-eligible sector
  // whose land use is lowest (digital in the default table).
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

void run_governments(const Model& m, State& s) {
  const auto& p = m.params;
  const auto& d = m.data;
  turnover(m, s);

  const bool january = s.month.month == 1;
  if (january || s.step == 0) s.province_land_award_left_mu = p.land.provincial_award_mu_per_year;

  const std::size_t ne = s.enclaves.size();
  // Founding, commitment, renegotiation, status.
  for (std::size_t e = 0; e < ne; ++e) {
    const auto& spec = d.enclaves[e];
    auto& en = s.enclaves[e];
    if (en.status == EnclaveStatus::kVacant && en.founded_step == s.step) {
      en.status = EnclaveStatus::kBuilding;
      add_event(s, EventKind::kEnclaveFounded, static_cast<std::int32_t>(e), spec.source, spec.host, spec.planned_mu);
    }
    if (!is_active(en.status)) continue;
    en.commitment = commitment(p, spec.mode, s.governments[spec.host].priority);
    const bool leaders_changed =
        s.governments[spec.host].turnover_this_step || s.governments[spec.source].turnover_this_step;
    const double share = negotiated_source_share(p, en.commitment);
    if (leaders_changed && p.tax_split.mode == SplitMode::kNash && share != en.tax_share_source) {
      en.tax_share_source = share;
      add_event(s, EventKind::kRenegotiation, static_cast<std::int32_t>(e), spec.source, spec.host, share);
    } else if (p.tax_split.mode == SplitMode::kFixed) {
      en.tax_share_source = share;  // a fixed split applies at once (also when steered)
    }
    const int age = s.step - en.founded_step;
    if (en.status == EnclaveStatus::kBuilding && age >= p.enclaves.build_months && en.granted_mu > 0) {
      en.status = EnclaveStatus::kOperating;
      add_event(s, EventKind::kEnclaveOperating, static_cast<std::int32_t>(e), spec.source, spec.host, en.granted_mu);
    } else if (en.status == EnclaveStatus::kOperating && en.commitment < p.governments.stall_commitment) {
      en.status = EnclaveStatus::kStalled;
      add_event(s, EventKind::kEnclaveStalled, static_cast<std::int32_t>(e), spec.source, spec.host, en.commitment);
    } else if (en.status == EnclaveStatus::kStalled && en.commitment >= p.governments.stall_commitment) {
      en.status = EnclaveStatus::kOperating;
      add_event(s, EventKind::kEnclaveResumed, static_cast<std::int32_t>(e), spec.source, spec.host, en.commitment);
    }
  }

  // Provincial award quota (January): shared among the 26 counties' active enclaves in
  // proportion to their unmet plans, capped by need.
  if (january || s.step == 0) {
    double need = 0;
    for (std::size_t e = 0; e < ne; ++e)
      if (is_active(s.enclaves[e].status) && s.enclaves[e].status != EnclaveStatus::kStalled &&
          d.counties[d.enclaves[e].source].accelerated)
        need += std::max(0.0, d.enclaves[e].planned_mu - s.enclaves[e].granted_mu);
    if (need > 0) {
      const double pool = std::min(need, s.province_land_award_left_mu);
      for (std::size_t e = 0; e < ne; ++e) {
        auto& en = s.enclaves[e];
        if (!is_active(en.status) || en.status == EnclaveStatus::kStalled ||
            !d.counties[d.enclaves[e].source].accelerated)
          continue;
        const double g = pool * std::max(0.0, d.enclaves[e].planned_mu - en.granted_mu) / need;
        en.granted_mu += g;
        s.province.land_award_used_mu += g;
      }
      s.province_land_award_left_mu -= pool;
    }
  }
  // Host grants: a committed host grants a share of the unmet plan every month.
  for (std::size_t e = 0; e < ne; ++e) {
    auto& en = s.enclaves[e];
    if (en.status != EnclaveStatus::kBuilding && en.status != EnclaveStatus::kOperating) continue;
    const double unmet = std::max(0.0, d.enclaves[e].planned_mu - en.granted_mu);
    const double g = std::min(unmet, d.enclaves[e].planned_mu * p.land.host_grant_share_per_year / 12.0 * en.commitment);
    en.granted_mu += g;
    s.governments[d.enclaves[e].host].land_granted_mu += g;
    s.province.land_granted_mu += g;
  }
  // Special fund: shared equally by building and operating enclaves.
  int funded = 0;
  for (const auto& en : s.enclaves)
    if (en.status == EnclaveStatus::kBuilding || en.status == EnclaveStatus::kOperating) ++funded;
  s.province.special_fund_spent_yuan = 0;
  if (funded > 0) {
    const double each = p.province.special_fund_yuan_per_year / 12.0 / funded;
    for (auto& en : s.enclaves)
      if (en.status == EnclaveStatus::kBuilding || en.status == EnclaveStatus::kOperating) {
        en.infrastructure_yuan += each;
        s.province.special_fund_spent_yuan += each;
      }
  }
  // Incubation in sci-tech enclaves.
  for (std::size_t e = 0; e < ne; ++e)
    if (d.enclaves[e].kind == EnclaveKind::kScitech && is_active(s.enclaves[e].status)) incubate(m, s, e);

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
