// step.cpp — the monthly step as a named pipeline of phases, plus helpers
// shared by the phases (firm index, firm entry).
#include <algorithm>
#include <chrono>
#include <new>

#include "engine/error.hpp"
#include "engine/parallel.hpp"
#include "model/internal.hpp"
#include "model/invariants.hpp"

namespace feidi {

const char* phase_name(Phase p) {
  switch (p) {
    case Phase::kGovernments: return "governments";
    case Phase::kFirms: return "firms";
    case Phase::kLabour: return "labour";
    case Phase::kProduction: return "production";
    case Phase::kVillages: return "villages";
    case Phase::kAccounting: return "accounting";
    case Phase::kProductivity: return "productivity";
  }
  return "?";
}

const char* event_kind_key(EventKind k) {
  switch (k) {
    case EventKind::kEnclaveFounded: return "enclave_founded";
    case EventKind::kEnclaveOperating: return "enclave_operating";
    case EventKind::kEnclaveStalled: return "enclave_stalled";
    case EventKind::kEnclaveResumed: return "enclave_resumed";
    case EventKind::kEnclaveClosed: return "enclave_closed";
    case EventKind::kFirmRelocation: return "firm_relocation";
    case EventKind::kPersonMigration: return "person_migration";
    case EventKind::kLeaderTurnover: return "leader_turnover";
    case EventKind::kRenegotiation: return "renegotiation";
    case EventKind::kMissedPayment: return "missed_payment";
    case EventKind::kVillageLeftWeak: return "village_left_weak";
    case EventKind::kVillageJoinedPool: return "village_joined_pool";
    case EventKind::kFirmSpawned: return "firm_spawned";
    case EventKind::kIntervention: return "intervention";
  }
  return "?";
}

namespace detail {

namespace {
// Groups the alive firms by group_of(i) (−1 = none) into a CSR index (firm ids
// ascending within each group), sized for `groups` groups. A parallel counting sort: each
// block of firms counts its members per group, the counts give every block its write
// position in every group, and each block writes its members in id order — the same
// index as a serial pass. `pos` holds the per-block counts (blocks × groups).
template <class GroupOf>
void build_csr(const Firms& f, std::size_t groups, GroupOf group_of, std::vector<std::uint32_t>& idx,
               std::vector<std::uint32_t>& off, std::vector<std::uint32_t>& pos) {
  const std::size_t nf = f.size();
  const std::size_t nb = block_count(nf, kAgentBlock);
  pos.assign(nb * groups, 0);
  parallel_blocks(nf, kAgentBlock, [&](std::size_t b, std::size_t begin, std::size_t end) {
    std::uint32_t* count = pos.data() + b * groups;
    for (std::size_t i = begin; i < end; ++i)
      if (f.alive[i] && group_of(i) >= 0) ++count[static_cast<std::size_t>(group_of(i))];
  });
  off.assign(groups + 1, 0);
  for (std::size_t g = 0; g < groups; ++g) {
    std::uint32_t at = off[g];
    for (std::size_t b = 0; b < nb; ++b) {
      const std::uint32_t c = pos[b * groups + g];
      pos[b * groups + g] = at;  // the block's first write position in group g
      at += c;
    }
    off[g + 1] = at;
  }
  idx.resize(off[groups]);
  parallel_blocks(nf, kAgentBlock, [&](std::size_t b, std::size_t begin, std::size_t end) {
    std::uint32_t* at = pos.data() + b * groups;
    for (std::size_t i = begin; i < end; ++i)
      if (f.alive[i] && group_of(i) >= 0) idx[at[static_cast<std::size_t>(group_of(i))]++] = static_cast<std::uint32_t>(i);
  });
}
}  // namespace

void rebuild_firm_index(const Model& m, State& s, StepStats* st) {
  auto& sc = s.scratch;
  const auto& f = s.firms;
  build_csr(f, m.data.n_counties(), [&](std::size_t i) { return static_cast<int>(f.county[i]); },
            sc.firms_by_county, sc.firms_by_county_offset, sc.small.csr_pos);
  build_csr(f, s.enclaves.size(), [&](std::size_t i) { return static_cast<int>(f.enclave[i]); },
            sc.firms_by_enclave, sc.firms_by_enclave_offset, sc.small.csr_pos);
  if (st) st->bytes_touched += f.size() * 10 + 8 * (sc.firms_by_county.size() + sc.firms_by_enclave.size());
  sc.county_demand_cum.resize(sc.firms_by_county.size());
  sc.enclave_demand_cum.resize(sc.firms_by_enclave.size());
  sc.county_demand_guide.resize(sc.firms_by_county.size());
  sc.enclave_demand_guide.resize(sc.firms_by_enclave.size());
  s.firm_index_dirty = false;
}

namespace {
void reserve_step_buffers(const Model& m, State& s) {
  auto& sc = s.scratch;
  const std::size_t P = s.persons.size(), n = m.data.n_counties(), ne = s.enclaves.size();
  // Firm slots grow with entrants (freed slots are reused first): room for twice today's.
  sc.firm_room = std::max(sc.firm_room, 2 * std::max<std::size_t>(s.firms.size(), kAgentBlock));
  const std::size_t F = sc.firm_room;
  reserve_firms_room(s);
  reserve_labour_room(m, s);
  // The firm index (rebuild_firm_index) and its demand tables.
  for (auto* v : {&sc.firms_by_county, &sc.firms_by_enclave, &sc.county_demand_guide, &sc.enclave_demand_guide})
    v->reserve(F);
  sc.county_demand_cum.reserve(F);
  sc.enclave_demand_cum.reserve(F);
  sc.small.csr_pos.reserve((F / kAgentBlock + 1) * std::max(n, ne));
  // Block sums of the firm passes (blocks of kAgentBlock firms, 3 county and 5 enclave
  // columns at most); reserve_labour_room reserves the persons' pass's.
  sc.sums.reserve((F / kAgentBlock + 1) * (3 * n + 5 * ne));
  sc.totals.reserve(6 * n + 5 * ne);
  // The small per-county and per-park vectors, some of them first used in a January.
  const std::size_t k = std::max(n, ne) + 1;
  auto& sm = sc.small;
  for (auto* v : {&sm.now.output, &sm.now.fiscal, &sm.now.jobs, &sm.now.skill_share, &sm.step_tech, &sm.weight, &sm.pay,
                  &sm.sold, &sm.villages_in, &sm.gdp, &sm.pop, &sm.award_weight, &sm.award_need, &sm.supply,
                  &sm.to_sell})
    v->reserve(k);
  sm.pool_of.reserve(k);
  sm.order.reserve(k);
  sm.poverty_cov.reserve(k);
  sm.eco_cov.reserve(k);
  sc.labour.vacancies.reserve(k);
  sc.village_intent.reserve(s.villages.size());
  // Events: a migration per person, a relocation and an exit per firm, two per village, and
  // the governments' and parks' few.
  s.events.reserve(P + 2 * F + 2 * s.villages.size() + 64 * (n + ne));
}

}  // namespace

bool has_step_room(const State& s) {
  const auto& sc = s.scratch;
  if (sc.room_refused) return true;  // the system refused the address space: buffers grow instead
  // Capacities, not a flag: a copied state has its columns' sizes but not their room.
  // Room for a step's entrants: at least an eighth of the room free at the start of a step.
  return s.firms.size() <= sc.firm_room - sc.firm_room / 8 && s.firms.county.capacity() >= sc.firm_room &&
         sc.firms_by_county.capacity() >= sc.firm_room && sc.labour.lost.capacity() >= s.persons.size();
}

void reserve_step_room(const Model& m, State& s) {
  try {
    reserve_step_buffers(m, s);
  } catch (const std::bad_alloc&) {
    // Under strict overcommit accounting (vm.overcommit_memory = 2) the room may be refused
    // although it would never be touched; the buffers then grow as they fill, as before.
    s.scratch.room_refused = true;
  }
}

FirmIdx spawn_firm(const Model& m, State& s, CountyIdx c, EnclaveIdx e, std::uint8_t sector, double workers,
                   CountyIdx origin) {
  auto& f = s.firms;
  // Reuse the smallest free slot (freed in an earlier step), else append.
  std::size_t i = f.size();
  if (!s.scratch.free_firms.empty()) {
    i = s.scratch.free_firms.back();
    s.scratch.free_firms.pop_back();
  } else {
    FEIDI_ASSERT(i < static_cast<std::size_t>(INT32_MAX), "too many firm agents");
    f.resize(i + 1);
  }
  const double F = static_cast<double>(m.params.scale.firms_per_agent);
  const double alpha = m.params.economy.labour_share;
  const double A = s.wage[c] * std::pow(workers / F, 1.0 - alpha) / alpha;
  f.county[i] = c;
  f.enclave[i] = e;
  f.alive[i] = 1;
  f.sector[i] = sector;
  f.origin[i] = origin;
  f.intrinsic[i] = A / (location_factor(m, s, c, e) * s.tfp);
  f.demand[i] = workers;
  f.labour[i] = 0;
  f.land_mu[i] = workers * m.data.sectors[sector].land_mu_per_worker;
  f.va[i] = f.profit[i] = f.tax[i] = 0;
  f.first_worker[i] = kNoPerson;  // a reused slot's workers were released when it closed
  f.workers[i] = f.commuters[i] = f.from_source[i] = 0;
  schedule_firm(m, s, FirmHazards(m.params), i, s.step);
  s.firm_index_dirty = true;
  return static_cast<FirmIdx>(i);
}

}  // namespace detail

namespace {

// Runs phase `p` (timed when asked); a FEIDI_CHECKS build checks the invariants after it.
template <class F>
void timed(StepStats* t, Phase p, F&& f, [[maybe_unused]] const Model& m, [[maybe_unused]] const State& s) {
  if (!t || !t->time_phases) {
    f();
  } else {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    t->seconds[static_cast<int>(p)] +=
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
#ifdef FEIDI_ENABLE_CHECKS
  check_invariants(m, s, p);
#endif
}

}  // namespace

void step(const Model& m, State& s, StepStats* st) {
  if (!detail::has_step_room(s)) detail::reserve_step_room(m, s);
  s.events.clear();
  timed(st, Phase::kGovernments, [&] { detail::run_governments(m, s, st); }, m, s);
  timed(st, Phase::kFirms, [&] { detail::run_firms(m, s, st); }, m, s);
  timed(st, Phase::kLabour, [&] { detail::run_labour(m, s, st); }, m, s);
  timed(st, Phase::kProduction, [&] { detail::run_production(m, s, st); }, m, s);
  timed(st, Phase::kVillages, [&] { detail::run_villages(m, s, st); }, m, s);
  timed(st, Phase::kAccounting, [&] { detail::run_accounting(m, s, st); }, m, s);
  // Productivity changes after the month's accounts, so the first month reproduces the
  // 2018 calibration.
  timed(st, Phase::kProductivity, [&] { detail::run_productivity(m, s, st); }, m, s);
  ++s.step;
  s.month = s.month.plus(1);
}

}  // namespace feidi
