// state.hpp — all mutable data of a run (the "Data" beside the immutable Model).
//
// Index:
//   Persons, Firms, Villages  struct-of-arrays agent stores (many, light)
//   Government                per-county governments (few, heavy) + Province
//   Enclave                   enclave parks (entities, not agents)
//   CountyAgg, ProvinceAgg    per-step aggregates that the trace records
//   Event                     what happened this step, in a fixed order
//   Scratch                   preallocated per-step buffers (no allocation in a step)
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "engine/reduce.hpp"
#include "model/static_data.hpp"

namespace feidi {

using PersonIdx = StrongId<struct PersonTag, std::uint32_t>;
using FirmIdx = StrongId<struct FirmTag, std::int32_t>;
inline constexpr FirmIdx kNoFirm = kNone<FirmIdx>;
static_assert(kNoFirm == -1);

enum class Skill : std::uint8_t { kLow = 0, kMid = 1, kHigh = 2 };

// "Never" for a scheduled step (beyond any run).
inline constexpr std::uint16_t kNeverStep = kNone<std::uint16_t>;
static_assert(kNeverStep == 0xFFFF);
// No person (the end of a worker list).
inline constexpr PersonIdx kNoPerson = kNone<PersonIdx>;
static_assert(kNoPerson == 0xFFFFFFFFu);

// Persons. Why SoA and schedules: a month changes few persons (job seekers,
// those whose scheduled review or separation falls due, workers of firms that
// closed or moved), so a step visits only those (the attention set, labour.cpp)
// and never sweeps all persons; each visited person touches a handful of
// narrow columns. 23 bytes/person: county, employer, flags, home, skill (11),
// schedules (4), the employer's intrusive worker list (8).
struct Persons {
  std::vector<CountyIdx> county;      // current county of residence
  std::vector<FirmIdx> employer;      // firm agent employing this person, or kNoFirm
  std::vector<std::uint8_t> active;   // 1 = in the labour force
  std::vector<std::uint8_t> months_unemployed;  // saturating at 255
  std::vector<CountyIdx> home;        // home (户籍) county
  std::vector<Skill> skill;
  // Steps at which the next location review / exogenous job separation falls due
  // (kNeverStep: none scheduled; job seekers review by a monthly draw instead).
  std::vector<std::uint16_t> next_review;
  std::vector<std::uint16_t> next_separation;
  // Doubly linked list of the workers of each firm (head in Firms::first_worker).
  std::vector<PersonIdx> prev_worker, next_worker;
  std::size_t size() const { return county.size(); }
  void resize(std::size_t n);
};

// A calendar of ids due at each step (one bucket per step). A bucket is a chain of
// fixed-size blocks drawn from a pool shared by all buckets; a consumed bucket's blocks go
// back to the pool, so the calendar holds about what is still due (plus one partial block
// per bucket and the pool's room) and stops allocating once it has grown.
class DueCalendar {
 public:
  static constexpr std::size_t kBlockIds = 1024;
  DueCalendar() = default;
  DueCalendar(DueCalendar&&) noexcept = default;
  DueCalendar& operator=(DueCalendar&&) noexcept = default;
  // A copy holds the same ids in the same order (in blocks of its own).
  DueCalendar(const DueCalendar& o) { *this = o; }
  DueCalendar& operator=(const DueCalendar& o) {
    if (this == &o) return *this;
    reset(o.size());
    std::vector<std::uint32_t> ids;
    for (std::size_t t = 0; t < o.size(); ++t) {
      ids.resize(o.count(t));
      o.peek(t, ids.data());
      for (const auto id : ids) push(t, id);
    }
    return *this;
  }
  // Makes the pool hold blocks for `ids` ids at once (plus a partly filled block per
  // bucket) in one slab, so pushes allocate nothing until that many are held. The slab's
  // pages are touched only as its blocks are used (untouched room costs no memory).
  void reserve(std::size_t ids) {
    const std::size_t want = (ids + kBlockIds - 1) / kBlockIds + buckets_.size();
    if (block_.size() >= want) return;
    add_slab(want - block_.size());
  }
  // `steps` empty buckets (blocks already held stay in the pool).
  void reset(std::size_t steps) {
    for (auto& b : buckets_) release(b);
    buckets_.assign(steps, {});
  }
  std::size_t size() const { return buckets_.size(); }
  // Ids in bucket `t`.
  std::size_t count(std::size_t t) const { return buckets_[t].size; }
  bool contains(std::size_t t, std::uint32_t id) const {
    const Bucket& b = buckets_[t];
    std::uint32_t blk = b.head;
    for (std::size_t k = 0; k < b.size; k += kBlockIds, blk = next_[blk]) {
      const std::uint32_t* ids = block_[blk];
      const std::uint32_t* end = ids + std::min(kBlockIds, b.size - k);
      if (std::find(ids, end, id) != end) return true;
    }
    return false;
  }
  // Adds `id` to bucket `at` (ignored beyond the calendar).
  void push(std::size_t at, std::uint32_t id) {
    if (at >= buckets_.size()) return;
    Bucket& b = buckets_[at];
    const std::size_t k = b.size % kBlockIds;
    if (k == 0) {
      const std::uint32_t blk = new_block();
      if (b.size == 0) b.head = blk;
      else next_[b.tail] = blk;
      b.tail = blk;
    }
    block_[b.tail][k] = id;
    ++b.size;
  }
  // Copies bucket `t`'s ids, in the order they were added, to `out` (count(t) of them); the
  // bucket keeps them (checkpoints).
  void peek(std::size_t t, std::uint32_t* out) const {
    const Bucket& b = buckets_[t];
    std::uint32_t blk = b.head;
    for (std::size_t k = 0; k < b.size; k += kBlockIds, blk = next_[blk])
      std::copy_n(block_[blk], std::min(kBlockIds, b.size - k), out + k);
  }
  // Copies bucket `at` into `out` (emptied first; nothing beyond the calendar), in the order
  // the ids were added, and empties the bucket (its blocks go to the pool).
  void take(std::size_t at, std::vector<std::uint32_t>& out) {
    out.clear();
    if (at >= buckets_.size()) return;
    Bucket& b = buckets_[at];
    room_for(out, b.size);
    out.resize(b.size);
    std::uint32_t blk = b.head;
    for (std::size_t k = 0; k < b.size; k += kBlockIds, blk = next_[blk])
      std::copy_n(block_[blk], std::min(kBlockIds, b.size - k), out.begin() + static_cast<std::ptrdiff_t>(k));
    release(b);
  }

 private:
  struct Bucket {
    std::uint32_t head = 0, tail = 0;  // first and last block (when size > 0)
    std::size_t size = 0;              // ids held; the last block may be partly filled
  };
  // A free block; the pool grows by slabs of an eighth of the blocks (at least 16 blocks).
  std::uint32_t new_block() {
    if (free_.empty()) add_slab(std::max<std::size_t>(16, block_.size() / 8));
    const std::uint32_t blk = free_.back();
    free_.pop_back();
    return blk;
  }
  // Adds a slab of k free blocks.
  void add_slab(std::size_t k) {
    // The block tables (8 bytes a block of 4 KiB) get room for many slabs at once, so a
    // new slab is the only allocation.
    if (block_.size() + k > block_.capacity()) {
      const std::size_t room = 2 * (block_.size() + k);
      block_.reserve(room);
      next_.reserve(room);
      free_.reserve(room);
      slabs_.reserve(2 * slabs_.size() + 16);
    }
    slabs_.push_back(std::make_unique_for_overwrite<std::uint32_t[]>(k * kBlockIds));
    for (std::size_t j = 0; j < k; ++j) {
      free_.push_back(static_cast<std::uint32_t>(block_.size()));
      block_.push_back(slabs_.back().get() + j * kBlockIds);
      next_.push_back(0);
    }
  }
  void release(Bucket& b) {
    std::uint32_t blk = b.head;
    for (std::size_t k = 0; k < b.size; k += kBlockIds, blk = next_[blk]) free_.push_back(blk);
    b.size = 0;
  }
  std::vector<Bucket> buckets_;
  std::vector<std::unique_ptr<std::uint32_t[]>> slabs_;  // the storage of the blocks
  std::vector<std::uint32_t*> block_;                    // block index -> its kBlockIds ids
  std::vector<std::uint32_t> next_;                      // block index -> next block of its bucket
  std::vector<std::uint32_t> free_;                      // blocks in no bucket
};

// Labour-market bookkeeping kept incrementally (person agents, not real persons).
struct LabourLedger {
  std::vector<std::int64_t> residents, active, employed;  // per county of residence
  std::vector<std::int64_t> residents_high;                // high-skill residents, per county
  DueCalendar due;                              // per step: persons with a review or separation due (may be stale)
  std::vector<std::uint32_t> seekers;           // active persons without a job, ascending
  DueCalendar firm_due;                         // per step: firms with an exit check or review due (may be stale)
  std::uint64_t attention = 0;                  // persons visited by the last step
};

// Firm agents; each stands for `firms_per_agent` identical real firms.
// Hot: county, enclave, alive, labour, productivity; cold: origin, sector.
struct Firms {
  std::vector<CountyIdx> county;       // county where it produces (host for enclave firms)
  std::vector<EnclaveIdx> enclave;     // enclave park it sits in, or kNoEnclave
  std::vector<std::uint8_t> alive;
  std::vector<std::uint8_t> sector;    // index into StaticData::sectors
  std::vector<CountyIdx> origin;       // county it was founded in
  std::vector<double> intrinsic;       // firm-specific productivity (location factors apart)
  std::vector<double> demand;          // desired employment at current wages, real workers
  std::vector<double> labour;          // realised employment, real workers
  std::vector<double> land_mu;         // land in use, mu
  std::vector<double> va;              // value added this month, yuan
  std::vector<double> profit;          // profit this month, yuan
  std::vector<double> tax;             // local-level tax this month, yuan
  // Person agents employed: list head, count, living in another county, from the enclave's source.
  std::vector<PersonIdx> first_worker;
  std::vector<std::int32_t> workers, commuters, from_source;
  // Steps at which the next exit check (at the loss-maker's hazard, thinned for a
  // profitable firm) and the next relocation review fall due; kNeverStep = none.
  std::vector<std::uint16_t> next_exit_check, next_review;
  std::size_t size() const { return county.size(); }
  void resize(std::size_t n);
  void reserve(std::size_t n);
};

// Real villages (1 agent = 1 village at every scale).
struct Villages {
  std::vector<CountyIdx> county;
  std::vector<std::uint8_t> weak;            // weak collective economy (last assessment)
  std::vector<EnclaveIdx> pool;              // poverty enclave joined, or kNoEnclave
  std::vector<float> trust;                  // trust in the pool (0..1)
  std::vector<double> own_total_yuan;        // own total collective income, yuan/year (excl. pool)
  std::vector<double> own_operating_yuan;    // own operating income, yuan/year (excl. pool)
  std::vector<double> invested_yuan;         // funds pooled, yuan
  std::vector<double> pool_income_ytd_yuan;  // pool returns received this calendar year, yuan
  std::vector<double> pool_income_last_yuan;  // pool returns received last calendar year, yuan
  std::vector<float> land_quota_mu;          // reclaimable construction-land quota not yet sold, mu
  std::vector<double> quota_income_ytd_yuan;  // land-quota proceeds received this calendar year, yuan
  std::vector<double> quota_income_last_yuan;  // ... last calendar year, yuan
  std::vector<float> quota_sold_this_year_mu;  // quota sold in this year's contracts, mu
  std::vector<double> relief_yuan;           // province-wide relief investment received (outside enclaves), yuan
  std::size_t size() const { return county.size(); }
  void resize(std::size_t n);
};

// A county government (and its leader).
struct Government {
  double priority = 0.5;        // leader's cooperation priority (0..1)
  int tenure_months = 0;
  bool turnover_this_step = false;
  double land_granted_mu = 0;   // land granted to enclaves so far (as host), mu
  double land_pool_mu = 0;      // construction-land quota available for enclave grants (as host), mu
  double quota_sold_mu = 0;     // reclaimed-land quota sold so far (as source), mu
  double quota_bought_mu = 0;   // reclaimed-land quota bought so far (as host), mu
  double entry_credit = 0;      // expected firm entries not yet realised (fractional agents)
};

// Per-county productivity state (productivity.cpp). The place factor of the firms in a
// county is base_factor × exp(log_tech) × (relative capital per worker / at the start)^βK
// × (relative high-skill share / at the start)^βH, so it is base_factor at the start.
struct CountyGrowth {
  double base_factor = 1;       // agglomeration factor from 2018 GDP per worker
  double log_tech = 0;          // technology relative to the province, log (0 at the start)
  double capital_yuan = 0;      // capital stock, yuan
  double capital_rel_0 = 1;     // capital per worker / the province's, at the start
  double skill_rel_0 = 1;       // high-skill share of residents / the province's, at the start
  double mpk_rel_0 = 1;         // output per unit of capital / the province's, at the start
  double investment_private_yuan = 0;  // this month, yuan/month
  double investment_public_yuan = 0;   // this month, yuan/month
  double transfers_yuan = 0;           // extra provincial transfers this month, yuan/month
  double talent_credit = 0;     // returning talent not yet moved as a person agent, real persons
  double talent_in = 0;         // high-skill persons who moved in with sci-tech projects this month
};

// This year's land-quota contract of a source–host pairing (paid monthly).
struct QuotaTrade {
  double mu = 0;               // quota traded this year, mu
  double price_yuan_per_mu = 0;
};

// Status of an enclave slot.
enum class EnclaveStatus : std::uint8_t {
  kVacant = 0,     // not founded yet (or never in this run)
  kBuilding = 1,   // founded, infrastructure and land being prepared
  kOperating = 2,  // firms produce
  kStalled = 3,    // host commitment too low: no new land, no new firms
  kClosed = 4,
};
// Founded and not closed: building, operating or stalled.
inline bool is_active(EnclaveStatus st) {
  return st == EnclaveStatus::kBuilding || st == EnclaveStatus::kOperating || st == EnclaveStatus::kStalled;
}

// Per-enclave state and this step's flows.
struct Enclave {
  EnclaveStatus status = EnclaveStatus::kVacant;
  int founded_step = -1;        // step of founding (negative if before the run)
  double granted_mu = 0;
  double used_mu = 0;           // land occupied by firms
  double tax_share_source = 0.5;
  double commitment = 0.5;      // host's effective commitment (0..1)
  double infrastructure_yuan = 0;  // cumulative special-fund spending
  // poverty pools
  double pool_invested_yuan = 0;
  double company_cash_yuan = 0;
  int pool_villages = 0;
  // sci-tech incubation: arrivals by month in a ring of incubation_months
  std::vector<double> cohort;   // projects that entered incubation, per month slot
  double incubating = 0;
  double industrialise_prob = 0;   // probability a graduate industrialises in the source county (last cohort)
  double graduated_source = 0;     // cumulative graduates industrialising in the source county
  double graduated_elsewhere = 0;  // cumulative graduates industrialising elsewhere
  double spawn_credit_source = 0;  // graduates not yet turned into a firm agent
  double spawn_credit_host = 0;
  // flows of this step (monthly, yuan or persons)
  double output_yuan = 0, va_yuan = 0, employment = 0, employment_from_source = 0, profit_yuan = 0;
  double jobs = 0;       // labour demand of the enclave's firms (the jobs it offers), real workers
  double commuters = 0;  // workers living in another county (commuting from the source), real persons
  double tax_local_yuan = 0, tax_to_source_yuan = 0, tax_to_host_yuan = 0;
  double honoured_share = 1;    // share of the agreed transfer the host honours
  double return_due_yuan = 0, return_paid_yuan = 0, return_missed_yuan = 0;
  int firms = 0;
  double from_source_share = 0;  // share of the enclave's workers whose home is the source county
  bool missed_this_step = false;
  // cumulative
  double cum_output_yuan = 0, cum_tax_to_source_yuan = 0;
  int missed_payments = 0;
};

// Per-county aggregates of one step (flows monthly unless noted).
struct CountyAgg {
  double gdp_yuan = 0;             // value added produced in the county this month
  double gdp_attributed_yuan = 0;  // after statistical attribution of enclave GDP
  double population = 0;           // resident persons (real)
  double labour_force = 0;         // real persons
  double employment = 0;           // residents of the county who have a job (anywhere)
  double jobs = 0;                 // persons working in the county (residents and commuters)
  double commuters_out = 0;        // residents working in another county's enclave
  double labour_demand = 0;        // real workers wanted at current wages
  double wage_yuan_month = 0;      // average wage per worker, yuan/month
  double own_tax_yuan = 0;         // local-level tax of non-enclave firms
  double enclave_tax_in_yuan = 0;  // enclave tax received (as source or host)
  double fiscal_revenue_yuan = 0;  // own + enclave shares
  double firms = 0;                // real firms producing here
  double weak_villages = 0;
  double village_income_mean_yuan = 0;  // mean total collective income (yuan/year)
  double gdp_per_capita_ratio = 0;
  double migrants_in = 0, migrants_out = 0;  // real persons this month
  double quota_revenue_yuan = 0;   // land-quota proceeds to the county government this month (as source)
  double quota_paid_yuan = 0;      // land-quota payments this month (as host)
  double firm_entries = 0, firm_exits = 0;  // real firms this month
};

// Province-wide aggregates of one step.
struct ProvinceAgg {
  double gdp_yuan = 0, population = 0;
  std::array<int, kEnclaveKinds> enclaves_by_kind{};  // founded and not closed
  std::array<int, kEnclaveKinds> operating_by_kind{};
  double weak_villages = 0, weak_villages_26 = 0;
  double poverty_coverage_26 = 0;  // share of the 26 counties with an operating poverty enclave
  double eco_coverage = 0;         // share of eco-function counties with an operating eco enclave
  double tax_to_source_yuan = 0;   // this month
  double land_award_used_mu = 0;   // cumulative provincial award granted
  double land_granted_mu = 0;      // cumulative host grants
  double incubating = 0, graduated_source = 0, graduated_elsewhere = 0;
  double industrialisation_rate = 0;
  double theil = 0, gini = 0;
  double gdp_per_capita_ratio_26 = 0;
  double special_fund_spent_yuan = 0;  // this month
  double village_subsidy_yuan = 0;     // this month, funds given to villages to pool
  double relief_yuan = 0;              // this month, relief investment given to weak villages outside enclaves
  double relief_villages = 0;          // villages that received relief since the start (cumulative)
  double quota_traded_mu = 0;          // reclaimed-land quota contracted this year, mu
  double quota_traded_total_mu = 0;    // cumulative
  double quota_village_income_yuan = 0;  // quota proceeds to villages this month
  double firm_entries = 0, firm_exits = 0;  // real firms this month
};

// Kinds of event (MODEL.md §5). Values are stored in the trace.
enum class EventKind : std::uint8_t {
  kEnclaveFounded = 0,
  kEnclaveOperating = 1,
  kEnclaveStalled = 2,
  kEnclaveResumed = 3,
  kEnclaveClosed = 4,
  kFirmRelocation = 5,
  kPersonMigration = 6,
  kLeaderTurnover = 7,
  kRenegotiation = 8,
  kMissedPayment = 9,
  kVillageLeftWeak = 10,
  kVillageJoinedPool = 11,
  kFirmSpawned = 12,
  kIntervention = 13,
};
inline constexpr int kEventKinds = 14;
const char* event_kind_key(EventKind k);

// One event; `subject` is the agent or enclave index the kind refers to.
struct Event {
  EventKind kind;
  std::int32_t subject;
  std::int32_t from;   // county index, or -1
  std::int32_t to;     // county index, or -1
  double value;
};

// Preallocated per-step buffers, reused every step.
// A job change of one person (from / to a firm, or kNoFirm).
struct JobChange {
  PersonIdx person;
  FirmIdx from, to;
};

// What the labour phase tells each person about each county this month.
struct LabourSignals {
  std::vector<double> base_utility;    // wage and housing terms
  std::vector<double> sep_prob;        // monthly probability an employed person loses the job
  std::vector<double> find_prob;       // monthly probability a job seeker finds a job
  std::vector<double> layoff_prob;     // monthly probability a worker here is shed (jobs above demand)
  std::vector<double> cum_population;  // for sampling candidate counties ∝ population
};

// A buffer of slots whose resize() leaves them uninitialised (written before read).
template <class T>
using SlotBuffer = std::vector<T, NoInitAllocator<T>>;

// A new schedule of the persons' pass: person `person` is due at step `at`.
struct DueEntry {
  std::uint16_t at;
  std::uint32_t person;
};

// How much one block of the persons' parallel pass wrote into each of LabourWork's slot
// buffers (new schedules, next month's seekers, employment changes for the worker lists,
// enclave applications, migration events), from its own first slot.
struct LabourBlockOut {
  std::size_t due = 0, seekers = 0, changes = 0, applications = 0, events = 0;
  std::uint64_t reviews = 0;
};

// Work buffers of the labour phase, kept between steps: cleared, never freed, so a step
// allocates nothing once they have grown to what the run needs.
struct LabourWork {
  std::vector<double> demand_c, fill;
  LabourSignals sig;
  std::vector<std::uint32_t> lost, released, due, attention, hired, shed, seekers;
  std::vector<std::vector<std::uint32_t>> attention_parts;  // the attention set, per range of ids
  std::vector<std::int64_t> vacancies;
  std::vector<std::pair<double, std::uint32_t>> order, commuting;
  std::vector<JobChange> applications;
  // The persons' pass: block b of the attention set (persons [begin, end)) writes from slot
  // begin of each buffer (2 * begin for the schedules: a review and a separation each) and
  // counts what it wrote in outs[b].
  std::vector<LabourBlockOut> outs;
  SlotBuffer<DueEntry> due_slots;
  SlotBuffer<std::uint32_t> seeker_slots;
  SlotBuffer<JobChange> change_slots, application_slots;
  SlotBuffer<Event> event_slots;
  std::vector<std::uint32_t> shedding;  // firms in counties that shed jobs this month
  // Persons who lost their job while walking worker lists: block b of firms writes its own
  // from slot lost_start[b] (room for its firms' workers), lost_count[b] of them.
  SlotBuffer<std::uint32_t> lost_slots;
  std::vector<std::size_t> lost_start, lost_count;
};

// What a firm decided this month (the firms phase decides in parallel, then applies these
// in firm-id order).
struct FirmIntent {
  enum class Kind : std::uint8_t { kNone = 0, kExit = 1, kMove = 2 };
  Kind kind = Kind::kNone;
  EnclaveIdx to = kNoEnclave;  // the park to move into (kMove)
};

// What a village decided this month (bits): join its county's pool, take the relief programme.
enum VillageIntent : std::uint8_t { kVillageJoin = 1, kVillageRelief = 2 };

// Work buffers of the firms phase, kept between steps (see LabourWork).
struct FirmWork {
  std::vector<EnclaveIdx> open;            // operating enclaves with free land
  std::vector<std::uint32_t> due;
  std::vector<FirmIntent> intent;
  std::vector<std::uint64_t> reviews;
  std::vector<std::vector<std::pair<std::uint16_t, std::uint32_t>>> requeue;
};

// County quantities of the month for the productivity phase, annualised (yuan/year) where
// they are flows.
struct CountyNow {
  std::vector<double> output, fiscal, jobs, skill_share;
  double output_total = 0, jobs_total = 0, skill_province = 0;
};

// Small per-step vectors (per county, per enclave) of the other phases, kept between steps.
struct SmallWork {
  CountyNow now;                                   // productivity
  std::vector<double> step_tech, weight;           // productivity
  std::vector<double> pay, sold;                   // villages: quota proceeds per county
  std::vector<EnclaveIdx> pool_of;                 // villages: each county's operating pool
  std::vector<std::size_t> order;                  // accounting: counties by GDP per capita
  std::vector<std::uint8_t> poverty_cov, eco_cov;  // accounting
  std::vector<double> villages_in, gdp, pop;       // accounting
  std::vector<double> award_weight, award_need;    // governments: land award
  std::vector<double> supply, to_sell;             // governments: quota trading
  std::vector<std::uint32_t> csr_pos;              // the firm index: per block and group, counts then
                                                   // write positions
};

struct Scratch {
  std::vector<std::uint8_t> village_intent;  // VillageIntent bits
  std::vector<double> county_demand_cum;     // per-county cumulative labour demand over firms_by_county
  std::vector<std::uint32_t> firms_by_county;   // firm indices grouped by county (CSR)
  std::vector<std::uint32_t> firms_by_county_offset;
  std::vector<std::uint32_t> firms_by_enclave;         // enclave firm indices grouped by enclave (CSR)
  std::vector<std::uint32_t> firms_by_enclave_offset;
  std::vector<double> enclave_demand_cum;              // cumulative labour demand over firms_by_enclave
  std::vector<std::uint32_t> county_demand_guide;      // guide tables of the two (rules/job_search.hpp)
  std::vector<std::uint32_t> enclave_demand_guide;
  std::vector<std::uint32_t> free_firms;          // dead firm slots reusable by entrants (descending)
  std::vector<std::uint32_t> freed_this_step;     // slots of this step's exits (reusable next step)
  std::vector<std::uint32_t> moved_this_step;     // firms that relocated this step (workers may lose access)
  BlockSums sums;                            // fixed-block reduction rows
  std::vector<double> totals;                // their sums (one row, named columns: SumLayout)
  LabourWork labour;                         // the labour phase's buffers
  FirmWork firms;                            // the firms phase's buffers
  SmallWork small;                           // the other phases' small buffers
  // Firm slots that the firm columns and firm-sized buffers have room for (step.cpp,
  // reserve_step_room): a step allocates nothing while the firms stay below it.
  std::size_t firm_room = 0;
  bool room_refused = false;  // the system refused the room (strict overcommit): buffers grow
};

// The whole mutable state.
struct State {
  int step = 0;                  // steps completed
  YearMonth month;               // the month the next step simulates
  Persons persons;
  LabourLedger ledger;
  Firms firms;
  std::size_t initial_firms = 0;  // firm slots at the start (the firm panel samples among them)
  Villages villages;
  std::vector<Government> governments;  // one per county
  std::vector<Enclave> enclaves;        // one per slot in StaticData::enclaves
  std::vector<QuotaTrade> quota_trades;  // one per pairing in StaticData::pairings
  std::vector<double> wage;             // county wage level, yuan/month per worker
  std::vector<double> location_factor;  // county place productivity factor (= growth[c] terms; productivity.cpp)
  std::vector<CountyGrowth> growth;     // per-county productivity state
  std::vector<double> housing_cost;     // county relative housing cost
  std::vector<double> tax_effort;       // county tax collected per model tax, so 2018 revenue is the table's (1 if unknown)
  std::vector<double> service_level;    // county public-service level (0..1)
  std::vector<double> unemployment;     // county unemployment rate, last step
  std::vector<double> gdp_per_capita_ratio;  // last step
  std::vector<std::uint8_t> enclave_pair;   // [source*n + host] = 1 while an enclave links them
  bool firm_index_dirty = true;          // firms moved or entered since the index was built
  double tfp = 1.0;                     // province-wide productivity index
  double province_land_award_left_mu = 0;  // this year's unallocated award quota
  std::vector<CountyAgg> county;
  ProvinceAgg province;
  std::vector<Event> events;            // this step's events, in apply order
  Scratch scratch;
};

}  // namespace feidi
