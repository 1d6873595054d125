// labour.cpp — phase "labour": labour demand, separations, migration by random
// utility, job matching, realised employment and wage adjustment.
//
// Persons decide from county-level signals fixed at the start of the phase
// (wages, unemployment, housing, services, demand) and only write their own
// slots, so one parallel pass both decides and applies; events are gathered
// per fixed block and concatenated in block order (= person-id order).
#include <algorithm>
#include <atomic>
#include <cmath>
#include <vector>

#include "engine/error.hpp"
#include "engine/parallel.hpp"
#include "engine/reduce.hpp"
#include "model/internal.hpp"

namespace feidi::detail {

namespace {

// Blocks of the persons' pass: about kTargetBlocks of them, each of kMinAttentionBlock to
// kMaxAttentionBlock persons. What a block computes is concatenated in block order (= id
// order) and its sums are integer counts (exact in any order), so the partition never
// changes a result: it is only sized for load balance (a small month still gets several
// blocks) and for few per-block rows.
constexpr std::size_t kTargetBlocks = 64, kMinAttentionBlock = 256, kMaxAttentionBlock = 2048;
// Below this many items a few heavy tasks (groups, id ranges) run serially: a small run's
// month is too short to pay for the tasks.
constexpr std::size_t kParallelWork = 1 << 15;
// A worker-list walk visits each worker through the list's links (a cache miss each once the
// persons outgrow the cache) and often draws for it, so it splits from fewer items than a
// loop: at 1:10 the walk over the workers of closed and moved firms ran serially below
// kParallelWork in most months. From 4,096 workers a 1:1000 run (whose lists stay in the
// cache) lost 3 %; from 16,384 it keeps the 1:10 gain and loses nothing measurable there.
constexpr std::size_t kParallelWalk = 1 << 14;
// Id ranges of the attention set's parallel merge (union_sorted).
constexpr std::size_t kAttentionRanges = 16;
std::size_t attention_block(std::size_t n) {
  if (n < kMinParallelItems / 4) return std::max<std::size_t>(n, 1);  // one block: no tasks for a small month
  return std::clamp(n / kTargetBlocks, kMinAttentionBlock, kMaxAttentionBlock);
}

// Per-county signals read by every person in the pass.

// Running sums of `value` over each group of a CSR index (restarting at every group) and
// their guide table (build_guide); groups in parallel, each summed in index order.
void cumulate(const std::vector<double>& value, const std::vector<std::uint32_t>& idx,
              const std::vector<std::uint32_t>& off, std::vector<double>& cum, std::vector<std::uint32_t>& guide) {
  parallel_tasks(off.size() - 1, [&](std::size_t g) {
    double acc = 0;
    for (std::size_t k = off[g]; k < off[g + 1]; ++k) {
      acc += value[idx[k]];
      cum[k] = acc;
    }
    build_guide(off, cum, g, guide);
  }, off.back() >= kParallelWork);
}

void compute_demand(const Model& m, State& s, std::vector<double>& demand_c, StepStats* st) {
  const std::size_t n = m.data.n_counties();
  const double alpha = m.params.economy.labour_share;
  const double F = static_cast<double>(m.params.scale.firms_per_agent);
  auto& f = s.firms;
  const std::size_t nf = f.size();
  SumLayout L;
  const SumColumn c_demand = L.add(n);
  auto& sums = s.scratch.sums;
  sums.reset(nf, kAgentBlock, L.width());
  parallel_blocks(nf, kAgentBlock, [&](std::size_t b, std::size_t begin, std::size_t end) {
    double* row = sums.row(b);
    for (std::size_t i = begin; i < end; ++i) {
      if (!f.alive[i]) {
        f.demand[i] = 0;
        continue;
      }
      const double A = firm_productivity(m, s, i, f.county[i], f.enclave[i]);
      f.demand[i] = labour_demand(F, alpha, A, s.wage[f.county[i]]);
      // Enclave firms cannot outgrow the land they were given.
      if (f.enclave[i] != kNoEnclave) {
        const double mu = m.data.sectors[f.sector[i]].land_mu_per_worker;
        if (mu > 0) f.demand[i] = std::min(f.demand[i], f.land_mu[i] / mu);
      }
      row[c_demand[f.county[i]]] += f.demand[i];
    }
  });
  demand_c.resize(L.width());
  sums.sum_into(demand_c.data());
  // alive, intrinsic, county, enclave, sector, land; demand; then two cumulations (index, demand, sum)
  if (st) st->bytes_touched += nf * (30 + 2 * 20);
  // Cumulative demand over the grouped firm indexes, for employer draws.
  if (s.firm_index_dirty) rebuild_firm_index(m, s, st);
  auto& sc = s.scratch;
  cumulate(f.demand, sc.firms_by_county, sc.firms_by_county_offset, sc.county_demand_cum, sc.county_demand_guide);
  cumulate(f.demand, sc.firms_by_enclave, sc.firms_by_enclave_offset, sc.enclave_demand_cum, sc.enclave_demand_guide);
}

void make_signals(const Model& m, const State& s, const std::vector<double>& demand_c, LabourSignals& sig) {
  const auto& pp = m.params.persons;
  const std::size_t n = m.data.n_counties();
  sig.base_utility.resize(n);
  sig.sep_prob.resize(n);
  sig.find_prob.resize(n);
  sig.layoff_prob.resize(n);
  sig.cum_population.resize(n);
  const double sep = monthly_prob(m.params.economy.separation_rate_per_year);
  double acc = 0;
  for (std::size_t c = 0; c < n; ++c) {
    const auto& agg = s.county[c];
    const double expected_wage = s.wage[c] * (1.0 - s.unemployment[c]);
    sig.base_utility[c] = pp.wage_weight * std::log(expected_wage) - pp.housing_weight * std::log(s.housing_cost[c]);
    // Jobs in excess of demand are shed (by workplace); separations also open vacancies.
    const JobChances j =
        job_chances(m.params.economy, pp, sep, agg.jobs, demand_c[c], agg.labour_force, agg.employment);
    sig.sep_prob[c] = j.separation;
    sig.layoff_prob[c] = j.layoff;
    sig.find_prob[c] = j.finding;
    acc += agg.population;
    sig.cum_population[c] = acc;
  }
}

// ---- The employment ledger: worker lists, counters, schedules -------------------

// Adds (sign = +1) or removes (−1) person p, resident in county `res`, to/from firm
// emp's counters (workers, commuters, from the enclave's source). kAtomic: from a
// parallel loop, by atomic adds (integer sums, so the result does not depend on order).
template <bool kAtomic>
void count_in_firm(const Model& m, State& s, PersonIdx p, CountyIdx res, FirmIdx emp, int sign) {
  auto add = [sign](std::int32_t& x) {
    if constexpr (kAtomic) std::atomic_ref<std::int32_t>(x).fetch_add(sign, std::memory_order_relaxed);
    else x += sign;
  };
  auto& f = s.firms;
  add(f.workers[emp]);
  if (res != f.county[emp]) add(f.commuters[emp]);
  const EnclaveIdx e = f.enclave[emp];
  if (e != kNoEnclave && s.persons.home[p] == m.data.enclaves[e].source) add(f.from_source[emp]);
}

// The same, serially, plus the employed count of the county of residence.
void count_worker(const Model& m, State& s, PersonIdx p, CountyIdx res, FirmIdx emp, int sign) {
  count_in_firm<false>(m, s, p, res, emp, sign);
  s.ledger.employed[res] += sign;
}

void link_worker(State& s, PersonIdx p, FirmIdx emp) {
  auto& ps = s.persons;
  const PersonIdx head = s.firms.first_worker[emp];
  ps.prev_worker[p] = kNoPerson;
  ps.next_worker[p] = head;
  if (head != kNoPerson) ps.prev_worker[head] = p;
  s.firms.first_worker[emp] = p;
}

void unlink_worker(State& s, PersonIdx p, FirmIdx emp) {
  auto& ps = s.persons;
  const PersonIdx prev = ps.prev_worker[p], next = ps.next_worker[p];
  if (prev != kNoPerson) ps.next_worker[prev] = next; else s.firms.first_worker[emp] = next;
  if (next != kNoPerson) ps.prev_worker[next] = prev;
  ps.prev_worker[p] = ps.next_worker[p] = kNoPerson;
}

// Recounts a firm's counters from its worker list (after it moved).
void recount_firm(const Model& m, State& s, FirmIdx i) {
  auto& f = s.firms;
  f.workers[i] = f.commuters[i] = f.from_source[i] = 0;
  for (PersonIdx p = f.first_worker[i]; p != kNoPerson; p = s.persons.next_worker[p])
    count_in_firm<false>(m, s, p, s.persons.county[p], i, +1);
}

void push_due(State& s, std::uint32_t p, std::uint16_t at) { s.ledger.due.push(at, p); }

// The attention set's merge writes one part per range of ids (union_sorted). After a merge,
// every part gets room for twice the largest part so far (the first step reserves room for
// all persons: reserve_labour_room), so the parts never grow one by one.
void prepare_parts(std::vector<std::vector<std::uint32_t>>& parts) {
  if (parts.size() < kAttentionRanges) parts.resize(kAttentionRanges);
}
template <class T>
void keep_room(std::vector<std::vector<T>>& parts) {
  std::size_t most = 0;
  for (const auto& p : parts) most = std::max(most, p.size());
  for (const auto& p : parts)
    if (p.capacity() < most) {
      for (auto& q : parts) q.reserve(2 * most);
      return;
    }
}

// Blocks of a worker-list walk: at most 2 * kTargetBlocks (firm_list_block).
constexpr std::size_t kMaxWalkBlocks = 2 * kTargetBlocks;

// Applies the job changes of the persons' pass (nb blocks of `block` persons) to the worker
// lists (see persons_step).
void apply_job_changes(State& s, std::size_t nb, std::size_t block) {
  constexpr std::size_t kFirmRanges = 8;
  const auto& work = s.scratch.labour;
  const std::size_t nf = std::max<std::size_t>(1, s.firms.size());
  auto range_of = [&](FirmIdx f) { return static_cast<std::size_t>(f) * kFirmRanges / nf; };
  std::size_t changes = 0;
  for (std::size_t b = 0; b < nb; ++b) changes += work.outs[b].changes;
  // Each range scans every change; with few changes one serial pass does it all.
  const bool parallel = changes >= kParallelWork / 4;
  const std::size_t ranges = parallel ? kFirmRanges : 1;
  auto in_range = [&](FirmIdx f, std::size_t r) { return !parallel || range_of(f) == r; };
  auto for_each_change = [&](auto&& fn) {
    for (std::size_t b = 0; b < nb; ++b) {
      const JobChange* ch = work.change_slots.data() + b * block;
      for (std::size_t k = 0; k < work.outs[b].changes; ++k) fn(ch[k]);
    }
  };
  parallel_tasks(ranges, [&](std::size_t r) {
    for_each_change([&](const JobChange& ch) {
      if (ch.from != kNoFirm && in_range(ch.from, r)) unlink_worker(s, ch.person, ch.from);
    });
  });
  parallel_tasks(ranges, [&](std::size_t r) {
    for_each_change([&](const JobChange& ch) {
      if (ch.to != kNoFirm && in_range(ch.to, r)) link_worker(s, ch.person, ch.to);
    });
  });
}

// Makes a slot buffer at least n slots long (their values unset).
template <class T>
void ensure_slots(SlotBuffer<T>& v, std::size_t n) {
  if (v.size() >= n) return;
  room_for(v, n);
  v.resize(n);
}

// The sorted union without repeats of three ascending lists of ids below `id_end`, into
// `out`: ranges of ids are merged in parallel (each into its part), then concatenated.
// The same list as a serial merge, for any number of ranges.
void union_sorted(const std::vector<std::uint32_t>& a, const std::vector<std::uint32_t>& b,
                  const std::vector<std::uint32_t>& c, std::size_t id_end,
                  std::vector<std::vector<std::uint32_t>>& parts, std::vector<std::uint32_t>& out) {
  constexpr std::size_t kRanges = kAttentionRanges;
  auto first = [&](const std::vector<std::uint32_t>& v, std::size_t j) {
    const auto x = static_cast<std::uint32_t>(j * id_end / kRanges);  // range j starts at id x
    return static_cast<std::size_t>(std::lower_bound(v.begin(), v.end(), x) - v.begin());
  };
  prepare_parts(parts);
  parallel_tasks(kRanges, [&](std::size_t j) {
    std::size_t ia = first(a, j), ib = first(b, j), ic = first(c, j);
    const std::size_t ea = first(a, j + 1), eb = first(b, j + 1), ec = first(c, j + 1);
    auto& o = parts[j];
    o.clear();
    while (ia < ea || ib < eb || ic < ec) {
      std::uint32_t x = 0xFFFFFFFFu;
      if (ia < ea) x = std::min(x, a[ia]);
      if (ib < eb) x = std::min(x, b[ib]);
      if (ic < ec) x = std::min(x, c[ic]);
      o.push_back(x);
      while (ia < ea && a[ia] == x) ++ia;
      while (ib < eb && b[ib] == x) ++ib;
      while (ic < ec && c[ic] == x) ++ic;
    }
  }, a.size() + b.size() + c.size() >= kParallelWork);
  out.clear();
  for (std::size_t j = 0; j < kRanges; ++j) out.insert(out.end(), parts[j].begin(), parts[j].end());
  keep_room(parts);
}

// Firms per block when walking worker lists in parallel: about kTargetBlocks blocks (firms
// differ a lot in size, so many blocks balance the load; the partition changes no result).
std::size_t firm_list_block(std::size_t n) { return std::max<std::size_t>(1, n / kTargetBlocks); }

// Where a block of firms writes the persons who lost their job: its own run of slots, as
// long as its firms' workers.
class LostSink {
 public:
  LostSink(std::uint32_t* at, std::size_t room) : at_(at), room_(room) {}
  void push_back(PersonIdx p) {
    FEIDI_ASSERT(n_ < room_, "a worker list is longer than its firm's worker count");
    at_[n_++] = p.value();
  }
  std::size_t size() const { return n_; }

 private:
  std::uint32_t* at_;
  std::size_t room_, n_ = 0;
};

// Walks the worker lists of `firms` (distinct) in parallel, one block of firms per task:
// `visit(i, out, row)` may unlink workers of firm i only, so tasks never touch the same list;
// it appends those who lost their job to `out` (the block's run of
// s.scratch.labour.lost_slots) and counts them in `row` (per county of residence, column
// c_employed). Then the employed counts are updated and the lost appended to `lost` (the
// caller sorts them: the result does not depend on the order).
template <class Visit>
void walk_worker_lists(const Model& m, State& s, const std::vector<std::uint32_t>& firms,
                       std::vector<std::uint32_t>& lost, Visit visit) {
  const std::size_t nf = firms.size();
  if (nf == 0) return;
  const std::size_t n = m.data.n_counties();
  auto& work = s.scratch.labour;
  std::size_t workers = 0;  // the work: one visit per worker on the lists
  for (const std::uint32_t i : firms) workers += static_cast<std::size_t>(s.firms.workers[i]);
  const std::size_t block = workers >= kParallelWalk ? firm_list_block(nf) : nf;
  const std::size_t nb = block_count(nf, block);
  // Block b's slots start after the workers of the blocks before it.
  auto& start = work.lost_start;
  auto& count = work.lost_count;
  start.resize(nb + 1);
  count.resize(nb);
  start[0] = 0;
  for (std::size_t b = 0, k = 0; b < nb; ++b) {
    std::size_t w = 0;
    for (const std::size_t e = std::min(nf, k + block); k < e; ++k) w += static_cast<std::size_t>(s.firms.workers[firms[k]]);
    start[b + 1] = start[b] + w;
  }
  auto& slots = work.lost_slots;
  ensure_slots(slots, workers);  // each block writes its slots before they are read
  SumLayout L;
  const SumColumn c_employed = L.add(n);
  auto& sums = s.scratch.sums;
  sums.reset(nf, block, L.width());
  parallel_blocks(nf, block, [&](std::size_t b, std::size_t begin, std::size_t end) {
    LostSink out(slots.data() + start[b], start[b + 1] - start[b]);
    double* row = sums.row(b);
    for (std::size_t k = begin; k < end; ++k) visit(static_cast<FirmIdx>(firms[k]), out, row, c_employed);
    count[b] = out.size();
  });
  auto& tot = s.scratch.totals;
  tot.resize(L.width());
  sums.sum_into(tot.data());
  for (std::size_t c = 0; c < n; ++c) s.ledger.employed[c] += static_cast<std::int64_t>(tot[c_employed[c]]);
  for (std::size_t b = 0; b < nb; ++b) {
    const auto* first = slots.data() + start[b];
    lost.insert(lost.end(), first, first + count[b]);
  }
}

// Releases the workers of firms that closed or moved this step (a mover keeps those
// who can still reach it); appends the persons who lost their job to `lost`.
void release_workers(const Model& m, State& s, std::vector<std::uint32_t>& lost) {
  auto& f = s.firms;
  auto& ps = s.persons;
  auto& sc = s.scratch;
  auto& firms = sc.labour.released;
  room_for(firms, sc.freed_this_step.size() + sc.moved_this_step.size());
  firms.assign(sc.freed_this_step.begin(), sc.freed_this_step.end());
  firms.insert(firms.end(), sc.moved_this_step.begin(), sc.moved_this_step.end());
  std::sort(firms.begin(), firms.end());
  firms.erase(std::unique(firms.begin(), firms.end()), firms.end());
  walk_worker_lists(m, s, firms, lost, [&](FirmIdx i, LostSink& out, double* row, const SumColumn& col) {
    const bool closed = !f.alive[i];
    for (PersonIdx p = f.first_worker[i], next; p != kNoPerson; p = next) {
      next = ps.next_worker[p];
      if (!closed && job_reachable(m, f, i, ps.county[p])) continue;
      unlink_worker(s, p, i);
      row[col[ps.county[p]]] -= 1;
      ps.employer[p] = kNoFirm;
      out.push_back(p);
    }
    if (closed) f.workers[i] = f.commuters[i] = f.from_source[i] = 0;
    else recount_firm(m, s, i);
  });
}

// Layoffs where jobs exceed demand: each worker in county c is laid off with the
// excess-shedding probability (one draw per worker, keyed by the person).
void layoffs(const Model& m, State& s, const LabourSignals& sig, std::vector<std::uint32_t>& lost) {
  auto& ps = s.persons;
  auto& sc = s.scratch;
  const auto step = static_cast<std::uint32_t>(s.step);
  auto& firms = sc.labour.shedding;
  firms.clear();
  for (std::size_t c = 0; c < m.data.n_counties(); ++c)
    if (sig.layoff_prob[c] > 0)
      firms.insert(firms.end(), sc.firms_by_county.begin() + sc.firms_by_county_offset[c],
                   sc.firms_by_county.begin() + sc.firms_by_county_offset[c + 1]);
  walk_worker_lists(m, s, firms, lost, [&](FirmIdx i, LostSink& out, double* row, const SumColumn& col) {
    const double q = sig.layoff_prob[s.firms.county[i]];
    for (PersonIdx p = s.firms.first_worker[i], next; p != kNoPerson; p = next) {
      next = ps.next_worker[p];
      auto rng = rng_for(m, step, p, Purpose::kLayoff);
      if (!rng.bernoulli(q)) continue;
      count_in_firm<false>(m, s, p, ps.county[p], i, -1);
      row[col[ps.county[p]]] -= 1;
      unlink_worker(s, p, i);
      ps.employer[p] = kNoFirm;
      out.push_back(p);
    }
  });
}



// Jobs an enclave offers, in person agents: its firms' labour demand (real workers) over
// the persons per agent, rounded down.
std::int64_t enclave_jobs_agents(const Model& m, const State& s, std::size_t e) {
  const auto& sc = s.scratch;
  const auto b = sc.firms_by_enclave_offset[e], x = sc.firms_by_enclave_offset[e + 1];
  if (x == b) return 0;
  return static_cast<std::int64_t>(std::floor(sc.enclave_demand_cum[x - 1] /
                                              static_cast<double>(m.params.scale.persons_per_agent) + 1e-9));
}

// Sums a firm counter over the firms of enclave e.
template <class Column>
std::int64_t enclave_sum(const State& s, std::size_t e, const Column& col) {
  const auto& sc = s.scratch;
  std::int64_t n = 0;
  for (auto k = sc.firms_by_enclave_offset[e]; k < sc.firms_by_enclave_offset[e + 1]; ++k) n += col[sc.firms_by_enclave[k]];
  return n;
}

// Hires into enclave firms are bounded by each enclave's vacancies (its jobs less its
// workers, in person agents). This month's applicants are taken in a random priority
// order (a key per person, so no county or id is favoured) until the vacancies are
// filled; the others take the job they found at home, if any (JobChange::from), or stay
// job seekers. An enclave whose jobs fell below its commuters
// sheds the excess commuters (again by a random key). Hence, every month and in every
// enclave, commuters never outnumber the jobs (tests/unit/test_model_step.cpp). Serial:
// applicants are few (job seekers offered an enclave job).
void resolve_enclave_hires(const Model& m, State& s, std::vector<JobChange>& applications, const Geometric& p_emp,
                           const Geometric& p_sep) {
  auto& ps = s.persons;
  auto& f = s.firms;
  auto& led = s.ledger;
  const auto step = static_cast<std::uint32_t>(s.step);
  const std::size_t ne = s.enclaves.size();
  auto& work = s.scratch.labour;
  auto& vacancies = work.vacancies;
  vacancies.assign(ne, 0);
  for (std::size_t e = 0; e < ne; ++e)
    vacancies[e] = std::max<std::int64_t>(0, enclave_jobs_agents(m, s, e) - enclave_sum(s, e, f.workers));
  auto& order = work.order;  // (priority key, index into applications)
  order.clear();
  for (std::size_t k = 0; k < applications.size(); ++k) {
    auto rng = rng_for(m, step, applications[k].person, Purpose::kEnclaveHire);
    order.emplace_back(rng.uniform(), static_cast<std::uint32_t>(k));
  }
  std::sort(order.begin(), order.end());
  auto& hired = work.hired;
  auto& shed = work.shed;
  hired.clear();
  shed.clear();
  for (const auto& [key, k] : order) {
    const PersonIdx p = applications[k].person;
    FirmIdx emp = applications[k].to;
    auto& left = vacancies[static_cast<std::size_t>(f.enclave[emp])];
    if (left > 0) {
      --left;
    } else {
      emp = applications[k].from;  // the job at home, outside the parks
      if (emp == kNoFirm) continue;
    }
    ps.employer[p] = emp;
    ps.months_unemployed[p] = 0;
    // The schedules a hire draws in persons_step (same stream, same order).
    auto sched = rng_for(m, step, p, Purpose::kSchedule);
    ps.next_review[p] = schedule_at(step, months_until(p_emp, sched));
    ps.next_separation[p] = schedule_at(step, months_until(p_sep, sched));
    push_due(s, p, ps.next_review[p]);
    push_due(s, p, ps.next_separation[p]);
    count_worker(m, s, p, ps.county[p], emp, +1);
    link_worker(s, p, emp);
    hired.push_back(p);
  }
  // Shedding: commuters beyond the enclave's jobs (its demand fell, or firms that moved
  // in brought commuting workers along).
  auto& commuting = work.commuting;
  for (std::size_t e = 0; e < ne; ++e) {
    const std::int64_t excess = enclave_sum(s, e, f.commuters) - enclave_jobs_agents(m, s, e);
    if (excess <= 0) continue;
    commuting.clear();
    const auto& sc = s.scratch;
    for (auto k = sc.firms_by_enclave_offset[e]; k < sc.firms_by_enclave_offset[e + 1]; ++k) {
      const auto i = sc.firms_by_enclave[k];
      for (PersonIdx p = f.first_worker[i]; p != kNoPerson; p = ps.next_worker[p])
        if (ps.county[p] != f.county[i])
          commuting.emplace_back(rng_for(m, step, p, Purpose::kEnclaveShed).uniform(), p);
    }
    std::sort(commuting.begin(), commuting.end());
    for (std::size_t k = 0; k < static_cast<std::size_t>(excess) && k < commuting.size(); ++k) {
      const PersonIdx p{commuting[k].second};
      const FirmIdx emp = ps.employer[p];
      count_worker(m, s, p, ps.county[p], emp, -1);
      unlink_worker(s, p, emp);
      ps.employer[p] = kNoFirm;
      ps.next_review[p] = ps.next_separation[p] = kNeverStep;  // a job seeker again
      shed.push_back(p);
    }
  }
  if (hired.empty() && shed.empty()) return;
  std::sort(hired.begin(), hired.end());
  std::sort(shed.begin(), shed.end());
  auto& seekers = work.seekers;
  seekers.clear();
  std::set_difference(led.seekers.begin(), led.seekers.end(), hired.begin(), hired.end(), std::back_inserter(seekers));
  led.seekers.clear();
  std::merge(seekers.begin(), seekers.end(), shed.begin(), shed.end(), std::back_inserter(led.seekers));
}

// One month of the persons: visits the attention set (job seekers, persons whose
// review or separation falls due, persons who just lost their job) in id order;
// decisions in parallel (each writes only its own person's slots), then the worker
// lists, counters and schedules are updated serially in id order.
void persons_step(const Model& m, State& s, const LabourSignals& sig, StepStats* st) {
  const auto& d = m.data;
  const auto& pp = m.params.persons;
  const std::size_t n = d.n_counties();
  auto& ps = s.persons;
  auto& led = s.ledger;
  const auto step = static_cast<std::uint32_t>(s.step);

  auto& work = s.scratch.labour;
  auto& lost = work.lost;
  lost.clear();
  release_workers(m, s, lost);
  layoffs(m, s, sig, lost);
  parallel_sort(lost);

  // The attention set: seekers ∪ due ∪ lost, ascending and unique. This month's calendar
  // bucket is taken whole (DueCalendar::take).
  auto& due = work.due;
  led.due.take(step, due);
  parallel_sort(due);
  auto& att = work.attention;
  union_sorted(led.seekers, due, lost, ps.size(), work.attention_parts, att);
  const std::size_t na = att.size();
  led.attention = na;

  // Per block: county count deltas (residents, active, employed, in, out), new
  // schedules, next month's seekers and the employment changes for the worker lists.
  const std::size_t block = attention_block(na);
  const std::size_t nb = block_count(na, block);
  auto& outs = work.outs;
  if (outs.size() < nb) outs.resize(nb);
  ensure_slots(work.due_slots, 2 * na);
  ensure_slots(work.seeker_slots, na);
  ensure_slots(work.change_slots, na);
  ensure_slots(work.application_slots, na);
  ensure_slots(work.event_slots, na);
  SumLayout L;  // county count deltas
  const SumColumn c_residents = L.add(n), c_active = L.add(n), c_employed = L.add(n), c_in = L.add(n),
                  c_out = L.add(n), c_high = L.add(n);
  auto& sums = s.scratch.sums;
  sums.reset(na, block, L.width());
  const Geometric p_emp(monthly_prob(pp.move_hazard_employed_per_year));  // log(1 − p) once per month
  const double p_unemp = monthly_prob(pp.move_hazard_unemployed_per_year);
  const Geometric p_sep(monthly_prob(m.params.economy.separation_rate_per_year));

  parallel_blocks(na, block, [&](std::size_t b, std::size_t begin, std::size_t end) {
    auto& bo = outs[b];
    bo = LabourBlockOut{};
    DueEntry* due_out = work.due_slots.data() + 2 * begin;
    std::uint32_t* seekers_out = work.seeker_slots.data() + begin;
    JobChange* changes_out = work.change_slots.data() + begin;
    JobChange* applications_out = work.application_slots.data() + begin;
    Event* events_out = work.event_slots.data() + begin;
    double* row = sums.row(b);
    for (std::size_t k = begin; k < end; ++k) {
      const PersonIdx i{att[k]};
      const CountyIdx old_c = ps.county[i];
      const FirmIdx old_emp = ps.employer[i];
      CountyIdx c = old_c;
      FirmIdx emp = old_emp;
      bool separated = false;
      if (emp != kNoFirm && ps.next_separation[i] == step) {
        emp = kNoFirm;
        separated = true;
      }
      const bool seeking = ps.active[i] && emp == kNoFirm;
      bool review;
      if (seeking) {
        auto rng = rng_for(m, step, i, Purpose::kMigrationHazard);
        review = rng.bernoulli(p_unemp);
      } else {
        review = ps.next_review[i] == step;
      }
      bool moved = false;
      if (review) {
        ++bo.reviews;
        auto choice = rng_for(m, step, i, Purpose::kMigrationChoice);
        const CountyIdx dest = choose_county(m, s, sig, i, choice);
        if (dest != c) {
          events_out[bo.events++] = Event{EventKind::kPersonMigration, static_cast<std::int32_t>(i), c, dest, 0.0};
          c = dest;
          ps.county[i] = dest;
          emp = kNoFirm;
          moved = true;
        }
      }
      if (ps.active[i] && emp == kNoFirm && !moved) {
        auto match = rng_for(m, step, i, Purpose::kJobMatch);
        const JobSearch r = search_job(m, s, sig, i, c, match);
        // An enclave job is only an application: enclaves hire up to their vacancies
        // (resolve_enclave_hires), else the seeker takes the fallback.
        if (r.applies) applications_out[bo.applications++] = JobChange{i, r.fallback, r.job};
        else emp = r.job;
      }
      ps.employer[i] = emp;
      const bool unemployed = ps.active[i] && emp == kNoFirm;
      ps.months_unemployed[i] = unemployed ? static_cast<std::uint8_t>(std::min(255, ps.months_unemployed[i] + 1)) : 0;
      // Schedules (memoryless, so redrawing on a change of status is exact).
      auto sched = rng_for(m, step, i, Purpose::kSchedule);
      if (unemployed) {
        ps.next_review[i] = kNeverStep;  // seekers review by a monthly draw
        seekers_out[bo.seekers++] = i.value();
      } else if (review || seeking) {
        ps.next_review[i] = schedule_at(step, months_until(p_emp, sched));
        if (ps.next_review[i] < led.due.size()) due_out[bo.due++] = DueEntry{ps.next_review[i], i.value()};
      }
      const bool job_changed = emp != old_emp || separated;
      if (emp == kNoFirm) {
        ps.next_separation[i] = kNeverStep;
      } else if (job_changed) {
        ps.next_separation[i] = schedule_at(step, months_until(p_sep, sched));
        if (ps.next_separation[i] < led.due.size()) due_out[bo.due++] = DueEntry{ps.next_separation[i], i.value()};
      }
      // Counts.
      if (job_changed) {
        if (old_emp != kNoFirm) {
          count_in_firm<true>(m, s, i, old_c, old_emp, -1);
          row[c_employed[old_c]] -= 1;
        }
        if (emp != kNoFirm) {
          count_in_firm<true>(m, s, i, c, emp, +1);
          row[c_employed[c]] += 1;
        }
        changes_out[bo.changes++] = JobChange{i, old_emp, emp};
      }
      if (c != old_c) {
        row[c_residents[old_c]] -= 1;
        row[c_residents[c]] += 1;
        if (ps.active[i]) {
          row[c_active[old_c]] -= 1;
          row[c_active[c]] += 1;
        }
        row[c_out[old_c]] += 1;
        row[c_in[c]] += 1;
        if (ps.skill[i] == Skill::kHigh) {
          row[c_high[old_c]] -= 1;
          row[c_high[c]] += 1;
        }
      }
    }
  });
  if (st) st->agent_updates += na;
  if (st) st->decisions += na;
  // attention id, county, employer, active, months, home, two schedules (read and write),
  // plus the due/seeker lists and the merge inputs.
  if (st) st->bytes_touched += na * 44;
  auto& tot = s.scratch.totals;
  tot.resize(L.width());
  sums.sum_into(tot.data());
  const double P = static_cast<double>(m.params.scale.persons_per_agent);
  for (std::size_t c = 0; c < n; ++c) {
    led.residents[c] += static_cast<std::int64_t>(tot[c_residents[c]]);
    led.residents_high[c] += static_cast<std::int64_t>(tot[c_high[c]]);
    led.active[c] += static_cast<std::int64_t>(tot[c_active[c]]);
    led.employed[c] += static_cast<std::int64_t>(tot[c_employed[c]]);
    s.county[c].migrants_in = tot[c_in[c]] * P;
    s.county[c].migrants_out = tot[c_out[c]] * P;
  }
  // The worker lists: every leaver is unlinked, then every joiner linked at its firm's head
  // in id order, in parallel over ranges of firm ids (a list is touched only by its
  // firm's range, and a person's own links only by the unlink, then the link). Each person
  // changes job at most once here, so the lists come out as a serial pass in id order
  // leaves them.
  apply_job_changes(s, nb, block);
  // Serial, in id order: the gathering.
  auto& applications = work.applications;
  applications.clear();
  led.seekers.clear();
  for (std::size_t b = 0; b < nb; ++b) {
    const auto& bo = outs[b];
    const std::size_t begin = b * block;
    if (st) st->agent_updates += bo.reviews;
    if (st) st->bytes_touched += bo.changes * 24;  // list links: own, neighbours', head
    const DueEntry* due_in = work.due_slots.data() + 2 * begin;
    for (std::size_t k = 0; k < bo.due; ++k) push_due(s, due_in[k].person, due_in[k].at);
    const auto* seekers_in = work.seeker_slots.data() + begin;
    led.seekers.insert(led.seekers.end(), seekers_in, seekers_in + bo.seekers);
    const auto* applications_in = work.application_slots.data() + begin;
    applications.insert(applications.end(), applications_in, applications_in + bo.applications);
    const auto* events_in = work.event_slots.data() + begin;
    s.events.insert(s.events.end(), events_in, events_in + bo.events);
  }
  resolve_enclave_hires(m, s, applications, p_emp, p_sep);
}

// County and enclave labour aggregates from the ledger and the firms' counters.
void labour_counts(const Model& m, State& s, StepStats* st) {
  const auto& d = m.data;
  const std::size_t n = d.n_counties(), ne = s.enclaves.size();
  const auto& f = s.firms;
  const std::size_t nf = f.size();
  SumLayout L;
  const SumColumn c_jobs = L.add(n);                     // jobs by workplace county
  const SumColumn c_commuters = L.add(n);                // enclave commuters by residence county
  const SumColumn e_workers = L.add(ne), e_from_source = L.add(ne), e_commuters = L.add(ne),
                  e_demand = L.add(ne);
  auto& sums = s.scratch.sums;
  sums.reset(nf, kAgentBlock, L.width());
  parallel_blocks(nf, kAgentBlock, [&](std::size_t b, std::size_t begin, std::size_t end) {
    double* row = sums.row(b);
    for (std::size_t i = begin; i < end; ++i) {
      if (!f.alive[i]) continue;
      const EnclaveIdx e = f.enclave[i];
      if (e != kNoEnclave) row[e_demand[e]] += f.demand[i];
      if (f.workers[i] == 0) continue;
      row[c_jobs[f.county[i]]] += f.workers[i];
      if (e == kNoEnclave) continue;
      row[c_commuters[d.enclaves[e].source]] += f.commuters[i];
      row[e_workers[e]] += f.workers[i];
      row[e_from_source[e]] += f.from_source[i];
      row[e_commuters[e]] += f.commuters[i];
    }
  });
  auto& tot = s.scratch.totals;
  tot.resize(L.width());
  sums.sum_into(tot.data());
  if (st) st->bytes_touched += nf * 17;  // alive, workers, county, enclave, commuters, from_source
  const double P = static_cast<double>(m.params.scale.persons_per_agent);
  const auto& led = s.ledger;
  for (std::size_t c = 0; c < n; ++c) {
    auto& agg = s.county[c];
    agg.population = static_cast<double>(led.residents[c]) * P;
    agg.labour_force = static_cast<double>(led.active[c]) * P;
    agg.employment = static_cast<double>(led.employed[c]) * P;
    agg.jobs = tot[c_jobs[c]] * P;
    agg.commuters_out = tot[c_commuters[c]] * P;
    s.unemployment[c] = agg.labour_force > 0 ? 1.0 - agg.employment / agg.labour_force : 0.0;
  }
  for (std::size_t e = 0; e < ne; ++e) {
    // Share of the enclave's workers who come from its source county (person sample),
    // applied to the enclave's realised employment in accounting.
    const double w = tot[e_workers[e]];
    s.enclaves[e].from_source_share = w > 0 ? tot[e_from_source[e]] / w : 0.0;
    s.enclaves[e].commuters = tot[e_commuters[e]] * P;
    s.enclaves[e].jobs = tot[e_demand[e]];
  }
}

}  // namespace

// Realised employment of each firm: its demand scaled by the county's filled share.
void realise_labour(const Model& m, State& s, const std::vector<double>& demand_c, StepStats* st) {
  auto& f = s.firms;
  const std::size_t n = m.data.n_counties();
  auto& fill = s.scratch.labour.fill;
  fill.resize(n);
  for (std::size_t c = 0; c < n; ++c) fill[c] = demand_c[c] > 0 ? s.county[c].jobs / demand_c[c] : 0.0;
  parallel_for_each(f.size(), [&](std::size_t i) { f.labour[i] = f.alive[i] ? f.demand[i] * fill[f.county[i]] : 0.0; });
  if (st) st->bytes_touched += f.size() * 19;  // alive, demand, county; labour
  for (std::size_t c = 0; c < n; ++c) s.county[c].labour_demand = demand_c[c];
}

void reserve_labour_room(const Model& m, State& s) {
  const std::size_t P = s.persons.size(), F = s.scratch.firm_room, n = m.data.n_counties();
  auto& w = s.scratch.labour;
  // Each person at most once: lost, attention, seekers, enclave applicants, hires, sheds.
  for (auto* v : {&w.lost, &w.attention, &w.hired, &w.shed, &w.seekers, &s.ledger.seekers}) v->reserve(P);
  w.order.reserve(P);
  w.commuting.reserve(P);
  w.applications.reserve(P);
  w.lost_slots.reserve(P);
  w.lost_start.reserve(kMaxWalkBlocks + 1);
  w.lost_count.reserve(kMaxWalkBlocks);
  w.due.reserve(2 * P);  // a review and a separation each
  s.ledger.due.reserve(2 * P);
  w.released.reserve(2 * F);  // closed and moved firms
  w.shedding.reserve(F);
  prepare_parts(w.attention_parts);
  for (std::size_t j = 0; j < kAttentionRanges; ++j) w.attention_parts[j].reserve(P / kAttentionRanges + 2);
  // The persons' pass: slots for every person (two schedules each), and the counts of at
  // most P / kMinAttentionBlock + 1 blocks.
  w.outs.reserve(P / kMinAttentionBlock + 1);
  w.due_slots.reserve(2 * P);
  w.seeker_slots.reserve(P);
  w.change_slots.reserve(P);
  w.application_slots.reserve(P);
  w.event_slots.reserve(P);
  // Block sums: the persons' pass (at most kTargetBlocks + 1 blocks, or P / kMaxAttentionBlock
  // + 1, of 6 county columns) and the worker-list walks (blocks of one county column).
  const std::size_t person_blocks = std::max(kTargetBlocks + 1, P / kMaxAttentionBlock + 1);
  s.scratch.sums.reserve(std::max(person_blocks * 6 * n, kMaxWalkBlocks * n));
}

void run_labour(const Model& m, State& s, StepStats* st) {
  auto& work = s.scratch.labour;
  auto& demand_c = work.demand_c;
  compute_demand(m, s, demand_c, st);
  make_signals(m, s, demand_c, work.sig);
  persons_step(m, s, work.sig, st);
  labour_counts(m, s, st);
  realise_labour(m, s, demand_c, st);
  // Wages are indexed to productivity growth and move with tightness: demand over the
  // labour force net of frictional unemployment (without indexation, growing demand
  // would outrun sticky wages and drive unemployment to zero).
  const auto& ep = m.params.economy;
  const double indexation = std::pow(1.0 + ep.tfp_growth_per_year, 1.0 / kMonthsPerYear);
  for (std::size_t c = 0; c < m.data.n_counties(); ++c) {
    const double supply = s.county[c].labour_force * (1.0 - ep.frictional_unemployment);
    if (supply <= 0) continue;
    s.wage[c] *= indexation * (1.0 + wage_change(ep, demand_c[c], supply));
  }
}

// Builds the ledger from the initial persons: worker lists, counters, first schedules
// (drawn as at a step before the first), job seekers.
void build_ledger(const Model& m, State& s) {
  auto& ps = s.persons;
  auto& f = s.firms;
  auto& led = s.ledger;
  const std::size_t n = m.data.n_counties(), np = ps.size();
  const int steps = m.params.steps();
  if (steps >= static_cast<int>(kNeverStep)) throw InputError("run too long: at most 65534 monthly steps");
  led.residents.assign(n, 0);
  led.residents_high.assign(n, 0);
  led.active.assign(n, 0);
  led.employed.assign(n, 0);
  led.due.reset(static_cast<std::size_t>(steps));
  led.seekers.clear();
  std::fill(f.first_worker.begin(), f.first_worker.end(), kNoPerson);
  std::fill(f.workers.begin(), f.workers.end(), 0);
  std::fill(f.commuters.begin(), f.commuters.end(), 0);
  std::fill(f.from_source.begin(), f.from_source.end(), 0);
  const auto& pp = m.params.persons;
  const double p_emp = monthly_prob(pp.move_hazard_employed_per_year);
  const double p_sep = monthly_prob(m.params.economy.separation_rate_per_year);
  parallel_for_each(np, [&](std::size_t i) {
    auto rng = rng_for(m, kInitStep, static_cast<std::uint32_t>(i), Purpose::kSchedule);
    const bool employed = ps.employer[i] != kNoFirm;
    ps.next_review[i] = ps.active[i] && !employed ? kNeverStep : schedule_at(-1, months_until(p_emp, rng));
    ps.next_separation[i] = employed ? schedule_at(-1, months_until(p_sep, rng)) : kNeverStep;
    ps.prev_worker[i] = ps.next_worker[i] = kNoPerson;
  });
  for (std::size_t i = 0; i < np; ++i) {
    const auto p = static_cast<PersonIdx>(i);
    const CountyIdx c = ps.county[i];
    led.residents[c] += 1;
    if (ps.skill[i] == Skill::kHigh) led.residents_high[c] += 1;
    if (ps.active[i]) led.active[c] += 1;
    const FirmIdx emp = ps.employer[i];
    if (emp != kNoFirm) {
      link_worker(s, p, emp);
      count_worker(m, s, p, c, emp, +1);
    } else if (ps.active[i]) {
      led.seekers.push_back(p);
    }
    push_due(s, p, ps.next_review[i]);
    push_due(s, p, ps.next_separation[i]);
  }
}

// Moves person p to county `dest` outside the labour phase (talent returning with a
// sci-tech project): the job ends, the ledger counts move, and the person looks for
// work at the destination from the next labour phase. Serial.
void relocate_person(const Model& m, State& s, PersonIdx p, CountyIdx dest) {
  auto& ps = s.persons;
  auto& led = s.ledger;
  const CountyIdx from = ps.county[p];
  if (from == dest) return;
  const FirmIdx emp = ps.employer[p];
  if (emp != kNoFirm) {
    count_worker(m, s, p, from, emp, -1);
    unlink_worker(s, p, emp);
    ps.employer[p] = kNoFirm;
  }
  led.residents[from] -= 1;
  led.residents[dest] += 1;
  if (ps.skill[p] == Skill::kHigh) {
    led.residents_high[from] -= 1;
    led.residents_high[dest] += 1;
  }
  if (ps.active[p]) {
    led.active[from] -= 1;
    led.active[dest] += 1;
    const auto it = std::lower_bound(led.seekers.begin(), led.seekers.end(), p);
    if (it == led.seekers.end() || *it != p) led.seekers.insert(it, p);
    ps.next_review[p] = kNeverStep;  // a job seeker reviews by a monthly draw
  }
  ps.next_separation[p] = kNeverStep;
  ps.months_unemployed[p] = 0;
  ps.county[p] = dest;
  s.events.push_back(Event{EventKind::kPersonMigration, static_cast<std::int32_t>(p), from, dest, 1.0});
}

// Initial aggregates: count persons without decisions, then demand and labour.
void initial_labour(const Model& m, State& s) {
  std::vector<double> demand_c;
  compute_demand(m, s, demand_c, nullptr);
  labour_counts(m, s, nullptr);
  for (auto& agg : s.county) agg.migrants_in = agg.migrants_out = 0;
  realise_labour(m, s, demand_c, nullptr);
}

}  // namespace feidi::detail
