// firms.cpp — phase "firms": exit, relocation into enclaves, and entry.
//
// Decide (parallel): each firm draws its exit hazard (higher when it made a loss
// last month); enclave-eligible survivors review their location with a hazard,
// comparing the log-profit of staying with that of their own county's enclaves
// and a few sampled ones, plus Gumbel noise.
// Apply (sequential, firm-id order): exits free their enclave land; a move happens
// only if the enclave still has the free land the firm needs (earlier ids win).
// Entry (sequential, county order): each county accrues entrants at a rate per
// existing firm; an entrant of an eligible sector chooses between its county and
// the enclaves by the same log-profit comparison (招商 into enclaves).
#include <algorithm>
#include <cmath>
#include <vector>

#include "engine/parallel.hpp"
#include "model/internal.hpp"

namespace feidi::detail {

namespace {

// Due firms per block of the decision pass: about kDueBlocks blocks of kMinDueBlock to
// kAgentBlock firms. A relocation review weighs every open park, so a month's few thousand
// due firms are worth splitting (with blocks of kAgentBlock the pass ran on one thread at
// 1:10); the partition changes no result (reschedules are pushed in block order, which is
// due order).
constexpr std::size_t kDueBlocks = 64, kMinDueBlock = 64;
std::size_t due_block(std::size_t n) { return std::clamp(n / kDueBlocks, kMinDueBlock, kAgentBlock); }

// Log of the monthly profit of a firm agent at a location, at its optimal labour.
// Cobb-Douglas: optimal VA = w·L/alpha, profit = (1-alpha)·VA − rent·land.
double log_profit(const Model& m, const State& s, std::size_t i, CountyIdx c, EnclaveIdx e) {
  const double alpha = m.params.economy.labour_share;
  const double F = static_cast<double>(m.params.scale.firms_per_agent);
  const double A = firm_productivity(m, s, i, c, e);
  const double L = labour_demand(F, alpha, A, s.wage[c]);
  const double land = L * m.data.sectors[s.firms.sector[i]].land_mu_per_worker;
  return log_profit_at_optimum(alpha, s.wage[c], L, land_rent_month(m, s, c, e), land);
}

// The best enclave for firm i now in county c, or kNoEnclave when staying wins by
// less than `threshold` (log-profit). Draws noise from `rng`.
EnclaveIdx choose_enclave(const Model& m, const State& s, std::size_t i, CountyIdx c,
                          const std::vector<EnclaveIdx>& open, double threshold, Rng& rng) {
  const auto& d = m.data;
  const auto& fp = m.params.firms;
  LocationChoice choice(fp, log_profit(m, s, i, c, kNoEnclave), threshold, rng);
  const auto& sector = d.sectors[s.firms.sector[i]];
  auto consider = [&](EnclaveIdx e) {
    const CountyIdx host = d.enclaves[e].host;
    if (host == c) return;  // hosts keep their own firms out of their enclaves
    if (!sector_fits(sector, d.enclaves[e].kind)) return;
    choice.offer(e, log_profit(m, s, i, host, e), d.enclaves[e].source == c, rng);
  };
  for (EnclaveIdx e : d.enclaves_of_source[c])
    if (s.enclaves[e].status == EnclaveStatus::kOperating) consider(e);
  if (!open.empty())
    for (int k = 0; k < fp.enclave_candidates; ++k) consider(open[rng.below(static_cast<std::uint32_t>(open.size()))]);
  return choice.choice();
}

// Puts firm i into enclave e if the enclave has the land; returns whether it did.
bool enter_enclave(const Model& m, State& s, std::size_t i, EnclaveIdx e) {
  auto& f = s.firms;
  auto& en = s.enclaves[e];
  const double land = f.demand[i] * m.data.sectors[f.sector[i]].land_mu_per_worker;
  if (en.used_mu + land > en.granted_mu) return false;
  f.county[i] = m.data.enclaves[e].host;
  f.enclave[i] = e;
  f.land_mu[i] = land;
  en.used_mu += land;
  s.firm_index_dirty = true;
  if (f.workers[i] > 0) s.scratch.moved_this_step.push_back(static_cast<std::uint32_t>(i));
  return true;
}

void exit_firm(State& s, std::size_t i) {
  auto& f = s.firms;
  if (f.enclave[i] != kNoEnclave) s.enclaves[f.enclave[i]].used_mu -= f.land_mu[i];
  f.alive[i] = 0;
  f.enclave[i] = kNoEnclave;
  f.demand[i] = f.labour[i] = 0;
  s.scratch.freed_this_step.push_back(static_cast<std::uint32_t>(i));
  s.firm_index_dirty = true;
}

void entry(const Model& m, State& s, const std::vector<EnclaveIdx>& open) {
  const auto& d = m.data;
  const auto& fp = m.params.firms;
  const double F = static_cast<double>(m.params.scale.firms_per_agent);
  const std::size_t ns = d.sectors.size();
  for (std::size_t c = 0; c < d.n_counties(); ++c) {
    auto& g = s.governments[c];
    const double agents = s.county[c].firms / F;
    g.entry_credit += per_month(fp.entry_rate_per_year) * agents;
    if (g.entry_credit < 1.0 || agents <= 0) continue;
    // Sector by the county's employment shares over size factors (as at the start);
    // sizes scaled so an entrant is on average as large as the county's firms today.
    const auto& share = d.counties[c].sector_share;
    double total = 0, sf_sum = 0;
    for (std::size_t k = 0; k < ns; ++k) {
      const double w = share[k] / d.sectors[k].size_factor;
      total += w;
      sf_sum += w * d.sectors[k].size_factor;
    }
    const double mean_size = s.county[c].labour_demand / agents / (sf_sum / total);
    int j = 0;
    for (; g.entry_credit >= 1.0; g.entry_credit -= 1.0, ++j) {
      auto rng = rng_for(m, static_cast<std::uint32_t>(s.step), static_cast<std::uint32_t>((c << 20) | j),
                         Purpose::kFirmEntry);
      const std::size_t k = entrant_sector(share, d.sectors, rng.uniform() * total);
      const double workers = lognormal_around(mean_size * d.sectors[k].size_factor, fp.size_sigma, rng);
      const auto cty = static_cast<CountyIdx>(c);
      const FirmIdx i = spawn_firm(m, s, cty, kNoEnclave, static_cast<std::uint8_t>(k), workers, cty);
      if (d.sectors[k].enclave_eligible) {
        const EnclaveIdx e = choose_enclave(m, s, static_cast<std::size_t>(i), cty, open, 0.0, rng);
        if (e != kNoEnclave && enter_enclave(m, s, static_cast<std::size_t>(i), e))
          s.events.push_back(Event{EventKind::kFirmRelocation, i, cty, d.enclaves[e].host, static_cast<double>(e)});
      }
      s.county[c].firm_entries += F;
    }
  }
}

}  // namespace

void reserve_firms_room(State& s) {
  const std::size_t F = s.scratch.firm_room;
  auto& sc = s.scratch;
  auto& w = sc.firms;
  s.firms.reserve(F);
  w.open.reserve(s.enclaves.size());
  w.due.reserve(2 * F);  // an exit check and a review each
  s.ledger.firm_due.reserve(2 * F);
  w.intent.reserve(F);
  // Blocks of the decision pass (due_block; the due firms are distinct, so at most F): at most
  // kDueBlocks + 1, or F / kAgentBlock + 1.
  const std::size_t nb = std::max(kDueBlocks + 1, F / kAgentBlock + 1);
  w.reviews.reserve(nb);
  if (w.requeue.size() < nb) w.requeue.resize(nb);
  for (auto& r : w.requeue) r.reserve(2 * kAgentBlock);
  for (auto* v : {&sc.free_firms, &sc.freed_this_step, &sc.moved_this_step}) v->reserve(F);
}

void run_firms(const Model& m, State& s, StepStats* st) {
  const auto& d = m.data;
  const auto& fp = m.params.firms;
  auto& f = s.firms;
  auto& sc = s.scratch;
  // Slots freed last step become reusable now (persons have dropped them since).
  sc.free_firms.insert(sc.free_firms.end(), sc.freed_this_step.begin(), sc.freed_this_step.end());
  std::sort(sc.free_firms.begin(), sc.free_firms.end(), std::greater<>());  // smallest id at the back
  sc.freed_this_step.clear();
  sc.moved_this_step.clear();
  for (auto& agg : s.county) agg.firm_entries = agg.firm_exits = 0;

  // Operating enclaves with free land, in index order.
  auto& work = sc.firms;
  auto& open = work.open;
  open.clear();
  for (std::size_t e = 0; e < s.enclaves.size(); ++e)
    if (s.enclaves[e].status == EnclaveStatus::kOperating && s.enclaves[e].granted_mu > s.enclaves[e].used_mu)
      open.push_back(static_cast<EnclaveIdx>(e));
  // Firms with an exit check or a relocation review due this step (ascending); a
  // month visits only these, not every firm.
  const auto step = static_cast<std::uint32_t>(s.step);
  auto& led = s.ledger;
  auto& due = work.due;
  led.firm_due.take(step, due);
  std::sort(due.begin(), due.end());
  due.erase(std::unique(due.begin(), due.end()), due.end());
  const std::size_t nd = due.size();
  const FirmHazards hz(m.params);
  const Geometric wait_exit(hz.exit_loss), wait_review(hz.review);  // log(1 − p) once per month
  auto& intent = work.intent;
  room_for(intent, nd);
  intent.assign(nd, FirmIntent{});
  const std::size_t block = due_block(nd);
  const std::size_t nb = block_count(nd, block);
  auto& reviews = work.reviews;
  reviews.assign(nb, 0);
  auto& requeue = work.requeue;
  if (requeue.size() < nb) requeue.resize(nb);
  for (std::size_t b = 0; b < nb; ++b) requeue[b].clear();

  parallel_blocks(nd, block, [&](std::size_t b, std::size_t begin, std::size_t end) {
    for (std::size_t k = begin; k < end; ++k) {
      const std::uint32_t i = due[k];
      if (!f.alive[i]) continue;
      const bool exit_due = f.next_exit_check[i] == step, review_due = f.next_review[i] == step;
      if (!exit_due && !review_due) continue;  // a stale entry (the slot was reused or rescheduled)
      auto rng = rng_for(m, step, i, Purpose::kFirmRelocateHazard);
      if (exit_due && rng.bernoulli(exit_at_check(hz, f.profit[i] < 0))) {
        intent[k].kind = FirmIntent::Kind::kExit;
        continue;
      }
      auto sched = rng_for(m, step, i, Purpose::kFirmSchedule);
      if (exit_due) {
        f.next_exit_check[i] = schedule_at(step, months_until(wait_exit, sched));
        if (f.next_exit_check[i] < led.firm_due.size()) requeue[b].emplace_back(f.next_exit_check[i], i);
      }
      if (!review_due) continue;
      f.next_review[i] = schedule_at(step, months_until(wait_review, sched));
      if (f.next_review[i] < led.firm_due.size()) requeue[b].emplace_back(f.next_review[i], i);
      if (f.enclave[i] != kNoEnclave || !d.sectors[f.sector[i]].enclave_eligible || open.empty()) continue;
      ++reviews[b];
      auto choice = rng_for(m, step, i, Purpose::kFirmRelocateChoice);
      const EnclaveIdx to = choose_enclave(m, s, i, f.county[i], open, fp.moving_cost, choice);
      if (to != kNoEnclave) intent[k] = FirmIntent{FirmIntent::Kind::kMove, to};
    }
  });
  for (std::size_t b = 0; b < nb; ++b) {
    if (st) st->agent_updates += reviews[b];
    for (const auto& [at, i] : requeue[b]) led.firm_due.push(at, i);
  }
  if (st) st->agent_updates += nd;
  if (st) st->decisions += nd;
  if (st) st->bytes_touched += nd * 24;  // id, alive, schedules (read, write), profit, enclave, sector

  // Apply in firm-id order.
  const double F = static_cast<double>(m.params.scale.firms_per_agent);
  for (std::size_t k = 0; k < nd; ++k) {
    const FirmIntent it = intent[k];
    if (it.kind == FirmIntent::Kind::kNone) continue;
    const std::size_t i = due[k];
    if (it.kind == FirmIntent::Kind::kExit) {
      s.county[f.county[i]].firm_exits += F;
      exit_firm(s, i);
      continue;
    }
    const EnclaveIdx e = it.to;
    const CountyIdx from = f.county[i];
    if (enter_enclave(m, s, i, e))
      s.events.push_back(Event{EventKind::kFirmRelocation, static_cast<std::int32_t>(i), from,
                               d.enclaves[e].host, static_cast<double>(e)});
  }
  entry(m, s, open);
}

void schedule_firm(const Model& m, State& s, const FirmHazards& hz, std::size_t i, std::int64_t base) {
  auto& f = s.firms;
  auto& due = s.ledger.firm_due;
  const auto rng_step = base < 0 ? kInitStep : static_cast<std::uint32_t>(base);
  auto rng = rng_for(m, rng_step, static_cast<std::uint32_t>(i), Purpose::kFirmSchedule);
  f.next_exit_check[i] = schedule_at(base, months_until(hz.exit_loss, rng));
  f.next_review[i] =
      m.data.sectors[f.sector[i]].enclave_eligible ? schedule_at(base, months_until(hz.review, rng)) : kNeverStep;
  for (const std::uint16_t at : {f.next_exit_check[i], f.next_review[i]})
    due.push(at, static_cast<std::uint32_t>(i));
}

void schedule_firms(const Model& m, State& s) {
  s.ledger.firm_due.reset(static_cast<std::size_t>(m.params.steps()));
  const FirmHazards hz(m.params);
  for (std::size_t i = 0; i < s.firms.size(); ++i) {
    if (s.firms.alive[i]) {
      schedule_firm(m, s, hz, i, -1);
    } else {
      s.firms.next_exit_check[i] = s.firms.next_review[i] = kNeverStep;
    }
  }
}

}  // namespace feidi::detail
