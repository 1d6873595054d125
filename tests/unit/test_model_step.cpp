// Tests for the step pipeline: invariants, every agent kind acting, determinism
// across thread counts, and the direction of a few levers.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "engine/error.hpp"
#include "engine/parallel.hpp"
#include "model/internal.hpp"
#include "model/invariants.hpp"
#include "model_fixture.hpp"

using namespace feidi;
using feidi::testing::smoke_model;
using feidi::testing::step_hash;

namespace {
State run(const Model& m, int steps, int threads) {
  ThreadScope scope(threads);
  State s = make_initial_state(m);
  for (int i = 0; i < steps; ++i) step(m, s);
  return s;
}

int count(const State& s, EventKind k) {
  int n = 0;
  for (const auto& e : s.events) n += e.kind == k;
  return n;
}
}  // namespace

TEST(Step, DeterministicForAnyThreadCount) {
  const Model& m = smoke_model();
  // Step by step, so any divergence is caught where it starts.
  std::vector<std::uint64_t> hashes;
  {
    ThreadScope s1(1);
    State a = make_initial_state(m);
    for (int i = 0; i < 14; ++i) {
      step(m, a);
      hashes.push_back(step_hash(a));
    }
  }
  for (int threads : {2, 3, 4, 7, 8, 16}) {
    ThreadScope st(threads);
    State b = make_initial_state(m);
    for (int i = 0; i < 14; ++i) {
      step(m, b);
      ASSERT_EQ(step_hash(b), hashes[static_cast<std::size_t>(i)]) << threads << " threads, step " << i;
    }
  }
}

// A state restored from a capture continues exactly as the uninterrupted run: every column
// and every event of every later step is the same (the checkpoint misses nothing that
// carries into later steps). Captures at several months: before any park operates, while
// firms move and close, at a year's turn.
TEST(Checkpoint, RestoredStateContinuesBitwise) {
  const Model& m = smoke_model();
  ThreadScope scope(2);
  const int steps = 30;
  std::vector<std::uint64_t> hashes;
  std::vector<StateImage> images;
  const std::vector<int> at = {1, 7, 12, 23};
  {
    State a = make_initial_state(m);
    for (int i = 0; i < steps; ++i) {
      if (std::find(at.begin(), at.end(), i) != at.end()) images.push_back(capture_state(a));
      step(m, a);
      hashes.push_back(step_hash(a));
    }
  }
  for (const auto& img : images) {
    State b = make_initial_state(m);
    restore_state(b, img, "test");
    EXPECT_EQ(state_hash(b), image_hash(img));
    for (int i = img.step; i < steps; ++i) {
      step(m, b);
      ASSERT_EQ(step_hash(b), hashes[static_cast<std::size_t>(i)]) << "restored at step " << img.step << ", step " << i;
    }
  }
}

// A capture into an image used before (the trace writer reuses the last checkpoint's) holds
// exactly what a fresh capture holds, also where columns are now shorter or longer; the
// persons' columns are copied in pieces across threads.
TEST(Checkpoint, CaptureIntoAUsedImageEqualsAFreshOne) {
  const Model& m = smoke_model();
  ThreadScope scope(2);
  StateImage used;
  State a = make_initial_state(m);
  State late = make_initial_state(m);
  for (int i = 0; i < 30; ++i) step(m, late);
  for (int i = 0; i < 3; ++i) step(m, a);
  for (const State* s : {&late, &a, &late}) {
    capture_state(*s, used);
    const StateImage fresh = capture_state(*s);
    ASSERT_EQ(used.step, fresh.step);
    ASSERT_EQ(used.columns.size(), fresh.columns.size());
    for (std::size_t k = 0; k < fresh.columns.size(); ++k) {
      const auto& u = used.columns[k];
      const auto& f = fresh.columns[k];
      ASSERT_EQ(u.name, f.name);
      ASSERT_EQ(u.type, f.type);
      ASSERT_EQ(u.n, f.n) << f.name;
      ASSERT_TRUE(u.bytes == f.bytes) << f.name << " at step " << s->step;
    }
    EXPECT_EQ(image_hash(used), state_hash(*s));
  }
}

// A checkpoint that does not fit the model is refused with a message naming its origin.
TEST(Checkpoint, MismatchedImageIsRefused) {
  const Model& m = smoke_model();
  State a = make_initial_state(m);
  StateImage img = capture_state(a);
  {
    StateImage bad = img;
    bad.columns.erase(bad.columns.begin() + 10);
    State b = make_initial_state(m);
    try {
      restore_state(b, bad, "x.h5");
      FAIL() << "a missing column was accepted";
    } catch (const PathError& e) {
      EXPECT_NE(std::string(e.what()).find("x.h5: the checkpoint has no column"), std::string::npos) << e.what();
    }
  }
  {
    StateImage bad = img;
    for (auto& c : bad.columns)
      if (c.name == "persons_county") {
        c.n -= 1;
        c.bytes.resize(c.bytes.size() - 2);
      }
    State b = make_initial_state(m);
    EXPECT_THROW(restore_state(b, bad, "x.h5"), PathError);
  }
}

// The golden hash of the whole state after two simulated years of the smoke scenario. A
// change of results changes it: update it in the same commit, and say why in the message.
// Both definitions of the hash are pinned: version 1 (traces written before 2026-12) must
// still verify their checkpoints, and its value shows results did not change with version 2.
TEST(Checkpoint, GoldenStateHash) {
  const State s = run(smoke_model(), 24, 2);
  EXPECT_EQ(state_hash(s), 0xee4406ad1a3f1a39ull) << std::hex << state_hash(s);
  const StateImage img = capture_state(s);
  EXPECT_EQ(image_hash(img), state_hash(s));
  EXPECT_EQ(image_hash(img, 1), 0xbb1db863ca3a4eebull) << std::hex << image_hash(img, 1);
}

// Every invariant (model/invariants.hpp) holds after every phase of two years of steps, in a
// scenario with many moves and closures.
TEST(Invariants, HoldAfterEveryPhase) {
  Model m = smoke_model();
  m.params.persons.move_hazard_employed_per_year = 0.5;
  m.params.firms.exit_rate_per_year = 0.3;
  ThreadScope scope(2);
  State s = make_initial_state(m);
  using Run = void (*)(const Model&, State&, StepStats*);
  const std::pair<Phase, Run> phases[] = {
      {Phase::kGovernments, detail::run_governments}, {Phase::kFirms, detail::run_firms},
      {Phase::kLabour, detail::run_labour},           {Phase::kProduction, detail::run_production},
      {Phase::kVillages, detail::run_villages},       {Phase::kAccounting, detail::run_accounting},
      {Phase::kProductivity, detail::run_productivity}};
  for (int t = 0; t < 24; ++t) {
    s.events.clear();
    for (const auto& [phase, run_phase] : phases) {
      run_phase(m, s, nullptr);
      ASSERT_NO_THROW(check_invariants(m, s, phase)) << "step " << t;
    }
    ++s.step;
    s.month = s.month.plus(1);
  }
}

// A broken invariant names itself, the phase and the step.
TEST(Invariants, ABrokenOneIsNamed) {
  const Model& m = smoke_model();
  State s = run(m, 3, 2);
  std::size_t i = 0;
  while (s.firms.workers[i] == 0) ++i;
  s.firms.workers[i] += 1;
  try {
    check_invariants(m, s, Phase::kLabour);
    FAIL() << "a wrong worker count passed";
  } catch (const InternalError& e) {
    EXPECT_NE(std::string(e.what()).find("invariant 'worker counts' broken after phase labour of step 3: firm "),
              std::string::npos) << e.what();
  }
  s.firms.workers[i] -= 1;
  s.enclaves[0].tax_to_host_yuan += 1e6;
  EXPECT_NO_THROW(check_invariants(m, s, Phase::kLabour));  // the tax split is checked after the accounts
  EXPECT_THROW(check_invariants(m, s, Phase::kAccounting), InternalError);
  s.enclaves[0].tax_to_host_yuan -= 1e6;
  s.firms.demand[i] = std::nan("");
  EXPECT_THROW(check_invariants(m, s, Phase::kGovernments), InternalError);
}

// The ledger kept incrementally (counts, worker lists, schedules, seekers) equals one
// rebuilt from the persons' columns, after many steps with moves, closures and layoffs.
TEST(Step, LedgerMatchesAFreshCount) {
  Model m = smoke_model();
  m.params.persons.move_hazard_employed_per_year = 0.5;  // many reviews and moves
  m.params.firms.exit_rate_per_year = 0.3;               // many closures
  const State s = run(m, 30, 2);
  const auto& ps = s.persons;
  const auto& f = s.firms;
  const std::size_t n = m.data.n_counties();
  std::vector<std::int64_t> res(n, 0), act(n, 0), emp(n, 0);
  std::vector<std::int32_t> workers(f.size(), 0), commuters(f.size(), 0), from_source(f.size(), 0);
  std::vector<std::uint32_t> seekers;
  std::size_t attended = 0;
  for (std::size_t i = 0; i < ps.size(); ++i) {
    const auto c = ps.county[i];
    ++res[c];
    act[c] += ps.active[i];
    const auto e = ps.employer[i];
    if (e != kNoFirm) {
      ++emp[c];
      ++workers[e];
      commuters[e] += c != f.county[e];
      const auto en = f.enclave[e];
      from_source[e] += en != kNoEnclave && ps.home[i] == m.data.enclaves[en].source;
      // Scheduled separation still ahead (or beyond the run).
      ASSERT_GE(ps.next_separation[i], s.step) << i;
    } else {
      ASSERT_EQ(ps.next_separation[i], kNeverStep) << i;
      if (ps.active[i]) seekers.push_back(static_cast<std::uint32_t>(i));
    }
    if (!(ps.active[i] && e == kNoFirm)) {
      ASSERT_GE(ps.next_review[i], s.step) << i;
      // A due review within the run is in its step's bucket.
      if (ps.next_review[i] < s.ledger.due.size()) {
        ASSERT_TRUE(s.ledger.due.contains(ps.next_review[i], static_cast<std::uint32_t>(i))) << i;
        ++attended;
      }
    }
  }
  EXPECT_GT(attended, 0u);
  EXPECT_EQ(res, s.ledger.residents);
  EXPECT_EQ(act, s.ledger.active);
  EXPECT_EQ(emp, s.ledger.employed);
  EXPECT_EQ(seekers, s.ledger.seekers);
  for (std::size_t i = 0; i < f.size(); ++i) {
    ASSERT_EQ(workers[i], f.workers[i]) << "firm " << i;
    ASSERT_EQ(commuters[i], f.commuters[i]) << "firm " << i;
    ASSERT_EQ(from_source[i], f.from_source[i]) << "firm " << i;
    // The worker list holds exactly the firm's workers, doubly linked.
    int k = 0;
    std::uint32_t prev = kNoPerson;
    for (std::uint32_t p = f.first_worker[i]; p != kNoPerson; p = ps.next_worker[p], ++k) {
      ASSERT_EQ(ps.employer[p], static_cast<FirmIdx>(i));
      ASSERT_EQ(ps.prev_worker[p], prev);
      prev = p;
    }
    ASSERT_EQ(k, workers[i]) << "firm " << i;
    // A live firm's next exit check and review are ahead and queued for their month.
    if (!f.alive[i]) continue;
    for (const std::uint16_t at : {f.next_exit_check[i], f.next_review[i]}) {
      ASSERT_GE(at, s.step) << "firm " << i;
      if (at < s.ledger.firm_due.size()) {
        ASSERT_TRUE(s.ledger.firm_due.contains(at, static_cast<std::uint32_t>(i))) << "firm " << i;
      }
    }
  }
  // Only a small share of persons is visited in a month.
  EXPECT_LT(s.ledger.attention, ps.size() / 5);
}

// Commuting is bounded by the enclaves' jobs: every month, in every enclave, the
// workers who commute from another county are no more than the jobs the enclave's
// firms offer (labour demand), counted from the persons themselves. Stressed with
// every job seeker of a source county looking for enclave work, from any distance.
// The due calendar keeps each bucket's ids in the order they came, across its blocks, and
// hands a taken bucket's blocks to the others.
TEST(DueCalendar, BucketsKeepTheirIdsInOrder) {
  DueCalendar cal;
  cal.reset(3);
  const std::size_t n = 2 * DueCalendar::kBlockIds + 5;
  std::vector<std::uint32_t> want;
  for (std::uint32_t i = 0; i < n; ++i) {
    cal.push(1, 7 * i);
    want.push_back(7 * i);
    if (i % 500 == 0) cal.push(0, i);
  }
  cal.push(3, 42);  // beyond the calendar: ignored
  EXPECT_EQ(cal.count(1), n);
  EXPECT_EQ(cal.count(0), 5u);
  EXPECT_TRUE(cal.contains(1, 7 * (n - 1)));
  EXPECT_FALSE(cal.contains(1, 8));
  std::vector<std::uint32_t> out{1, 2, 3};
  cal.take(1, out);
  EXPECT_EQ(out, want);
  EXPECT_EQ(cal.count(1), 0u);
  cal.take(0, out);
  EXPECT_EQ(out, (std::vector<std::uint32_t>{0, 500, 1000, 1500, 2000}));
  cal.take(3, out);
  EXPECT_TRUE(out.empty());
  for (std::uint32_t i = 0; i < n; ++i) cal.push(2, i);  // on blocks of the taken buckets
  cal.take(2, out);
  ASSERT_EQ(out.size(), n);
  for (std::uint32_t i = 0; i < n; ++i) ASSERT_EQ(out[i], i);
}

TEST(Step, CommutersNeverExceedEnclaveJobs) {
  Model m = smoke_model();
  m.params.persons.enclave_commute_share = 1.0;
  m.params.persons.commute_max_km = 1000;
  m.params.run.end = YearMonth{2020, 12};
  ThreadScope scope(2);
  State s = make_initial_state(m);
  const double P = static_cast<double>(m.params.scale.persons_per_agent);
  double most = 0;
  for (int t = 0; t < m.params.steps(); ++t) {
    step(m, s);
    std::vector<double> commuters(s.enclaves.size(), 0.0), jobs(s.enclaves.size(), 0.0);
    for (std::size_t i = 0; i < s.firms.size(); ++i)
      if (s.firms.alive[i] && s.firms.enclave[i] != kNoEnclave) jobs[s.firms.enclave[i]] += s.firms.demand[i];
    for (std::size_t p = 0; p < s.persons.size(); ++p) {
      const FirmIdx emp = s.persons.employer[p];
      if (emp == kNoFirm || s.firms.enclave[emp] == kNoEnclave) continue;
      if (s.persons.county[p] != s.firms.county[emp]) commuters[s.firms.enclave[emp]] += P;
    }
    for (std::size_t e = 0; e < s.enclaves.size(); ++e) {
      ASSERT_LE(commuters[e], jobs[e]) << m.data.enclaves[e].name << " at step " << t;
      ASSERT_DOUBLE_EQ(s.enclaves[e].commuters, commuters[e]) << m.data.enclaves[e].name << " at step " << t;
      most = std::max(most, commuters[e]);
    }
  }
  EXPECT_GT(most, 0.0) << "no enclave had commuters: the test would prove nothing";
}

// Looking for park work does not stop a job seeker from finding work at home: with every
// seeker of a source county applying to its parks, the sources' unemployment stays where it
// is without any park search (a failed application falls back to the job found at home).
TEST(Step, ParkApplicationsDoNotCrowdOutLocalJobs) {
  auto unemployment_of_sources = [](double share) {
    Model m = smoke_model();
    m.params.persons.enclave_commute_share = share;
    m.params.run.end = YearMonth{2020, 12};
    ThreadScope scope(2);
    State s = make_initial_state(m);
    for (int t = 0; t < m.params.steps(); ++t) step(m, s);
    double lf = 0, emp = 0;
    for (std::size_t c = 0; c < m.data.n_counties(); ++c)
      if (!m.data.enclaves_of_source[c].empty()) {
        lf += s.county[c].labour_force;
        emp += s.county[c].employment;
      }
    return 1.0 - emp / lf;
  };
  const double none = unemployment_of_sources(0.0), all = unemployment_of_sources(1.0);
  EXPECT_LT(all, 0.08);
  EXPECT_NEAR(all, none, 0.02);
}

TEST(Step, InvariantsHold) {
  const Model& m = smoke_model();
  const State s = run(m, 24, 2);
  // No births or deaths yet: the person count is conserved.
  double pop = 0;
  for (const auto& c : s.county) pop += c.population;
  EXPECT_NEAR(pop, static_cast<double>(s.persons.size()) * m.params.scale.persons_per_agent, 1e-6);
  // Everyone works where they live, or commutes to an enclave of their county.
  for (std::size_t i = 0; i < s.persons.size(); ++i) {
    const auto f = s.persons.employer[i];
    if (f == kNoFirm) continue;
    ASSERT_TRUE(s.persons.active[i]);
    ASSERT_TRUE(s.firms.alive[f]);
    if (s.firms.county[f] != s.persons.county[i]) {
      ASSERT_NE(s.firms.enclave[f], kNoEnclave);
      ASSERT_EQ(m.data.enclaves[s.firms.enclave[f]].source, s.persons.county[i]);
    }
  }
  for (std::size_t e = 0; e < s.enclaves.size(); ++e) {
    const auto& en = s.enclaves[e];
    EXPECT_LE(en.used_mu, en.granted_mu + 1e-6);
    EXPECT_LE(en.granted_mu, m.data.enclaves[e].planned_mu + 1e-6);
    EXPECT_NEAR(en.tax_to_source_yuan + en.tax_to_host_yuan, en.tax_local_yuan, 1e-6 * (1 + en.tax_local_yuan));
  }
  // Attribution moves GDP between counties but keeps the provincial total.
  double g = 0, ga = 0;
  for (const auto& c : s.county) {
    g += c.gdp_yuan;
    ga += c.gdp_attributed_yuan;
  }
  EXPECT_NEAR(ga / g, 1.0, 1e-12);
  EXPECT_GE(s.province.gini, 0.0);
  EXPECT_LT(s.province.gini, 1.0);
}

TEST(Step, EveryAgentKindActs) {
  const Model& m = smoke_model();
  ThreadScope scope(2);
  State s = make_initial_state(m);
  int migrations = 0, relocations = 0, joins = 0, turnovers = 0, left_weak = 0;
  for (int i = 0; i < 36; ++i) {
    step(m, s);
    migrations += count(s, EventKind::kPersonMigration);
    relocations += count(s, EventKind::kFirmRelocation);
    joins += count(s, EventKind::kVillageJoinedPool);
    turnovers += count(s, EventKind::kLeaderTurnover);
    left_weak += count(s, EventKind::kVillageLeftWeak);
  }
  EXPECT_GT(migrations, 0);   // persons
  EXPECT_GT(relocations, 0);  // firms
  EXPECT_GT(joins, 0);        // villages
  EXPECT_GT(left_weak, 0);    // villages leave weak status through the pool
  EXPECT_GT(turnovers, 0);    // governments
  double tax_to_source = 0;
  for (const auto& e : s.enclaves) tax_to_source += e.cum_tax_to_source_yuan;
  EXPECT_GT(tax_to_source, 0);
}

TEST(Levers, GuaranteedReturnHelpsWeakVillages) {
  Model lo = smoke_model(), hi = smoke_model();
  lo.params.enclaves.guaranteed_return_rate = 0.0;
  hi.params.enclaves.guaranteed_return_rate = 0.12;
  const State a = run(lo, 25, 2), b = run(hi, 25, 2);
  EXPECT_LT(b.province.weak_villages_26, a.province.weak_villages_26);
}

TEST(Levers, FixedSplitSetsTheSourceShare) {
  Model m = smoke_model();
  m.params.tax_split.mode = SplitMode::kFixed;
  m.params.tax_split.fixed_source_share = 0.8;
  const State s = run(m, 3, 2);
  for (std::size_t e = 0; e < s.enclaves.size(); ++e) {
    if (s.enclaves[e].status == EnclaveStatus::kVacant) continue;
    // A park's own agreement (金磐: all tax to 磐安) overrides the scenario's rule.
    const double own = m.data.enclaves[e].fixed_tax_share;
    EXPECT_DOUBLE_EQ(s.enclaves[e].tax_share_source, own >= 0 ? own : 0.8);
  }
}

TEST(Levers, LandAwardGrantsLand) {
  Model none = smoke_model(), award = smoke_model();
  none.params.land.provincial_award_mu_per_year = 0;
  award.params.land.provincial_award_mu_per_year = 3000;
  const State a = run(none, 13, 2), b = run(award, 13, 2);
  EXPECT_EQ(a.province.land_award_used_mu, 0.0);
  EXPECT_GT(b.province.land_award_used_mu, 0.0);
  double ga = 0, gb = 0;
  for (std::size_t e = 0; e < a.enclaves.size(); ++e) {
    ga += a.enclaves[e].granted_mu;
    gb += b.enclaves[e].granted_mu;
  }
  EXPECT_GT(gb, ga);
}
