// checkpoint.cpp — visit_state (every column of the state that carries into later steps)
// and its three uses: capture, restore, hash.
#include "model/checkpoint.hpp"

#include <algorithm>
#include <cstring>
#include <type_traits>
#include <unordered_map>

#include "engine/error.hpp"
#include "engine/hash.hpp"
#include "engine/parallel.hpp"

namespace feidi {

// Adding a field to one of these structs changes its size: add the field to visit_state()
// below too (a checkpoint that misses it would resume into another run).
static_assert(sizeof(Government) == 56, "a Government field changed: update visit_state()");
static_assert(sizeof(CountyGrowth) == 11 * sizeof(double), "a CountyGrowth field changed: update visit_state()");
static_assert(sizeof(QuotaTrade) == 2 * sizeof(double), "a QuotaTrade field changed: update visit_state()");
static_assert(sizeof(CountyAgg) == 22 * sizeof(double), "a CountyAgg field changed: update visit_state()");
static_assert(sizeof(ProvinceAgg) == 25 * sizeof(double) + 2 * kEnclaveKinds * sizeof(int),
              "a ProvinceAgg field changed: update visit_state()");
static_assert(sizeof(Enclave) == 304, "an Enclave field changed: update visit_state()");
static_assert(sizeof(LabourLedger) == 368, "a LabourLedger field changed: update visit_state()");
static_assert(sizeof(State) == 3672, "a State field changed: update visit_state()");
static_assert(sizeof(Scratch) == 1688, "a Scratch field changed: if it carries into the next step, update visit_state()");
static_assert(sizeof(Persons) == 10 * sizeof(std::vector<int>), "a Persons column changed: update visit_state()");
static_assert(sizeof(Firms) == 18 * sizeof(std::vector<int>), "a Firms column changed: update visit_state()");
static_assert(sizeof(Villages) == 14 * sizeof(std::vector<int>), "a Villages column changed: update visit_state()");

std::size_t column_type_size(ColumnType t) {
  switch (t) {
    case ColumnType::kU8:
    case ColumnType::kI8: return 1;
    case ColumnType::kU16:
    case ColumnType::kI16: return 2;
    case ColumnType::kU32:
    case ColumnType::kI32:
    case ColumnType::kF32: return 4;
    case ColumnType::kU64:
    case ColumnType::kI64:
    case ColumnType::kF64: return 8;
  }
  return 1;
}

const char* column_type_name(ColumnType t) {
  switch (t) {
    case ColumnType::kU8: return "uint8";
    case ColumnType::kI8: return "int8";
    case ColumnType::kU16: return "uint16";
    case ColumnType::kI16: return "int16";
    case ColumnType::kU32: return "uint32";
    case ColumnType::kI32: return "int32";
    case ColumnType::kU64: return "uint64";
    case ColumnType::kI64: return "int64";
    case ColumnType::kF32: return "float32";
    case ColumnType::kF64: return "float64";
  }
  return "?";
}

namespace {

// How a value of type T is stored: enums as their underlying type, bool as uint8, a
// strong index as its integer.
template <class T>
struct Stored {
  using type = stored_as_t<T>;
};
template <class T>
  requires std::is_enum_v<T>
struct Stored<T> {
  using type = std::underlying_type_t<T>;
};
template <>
struct Stored<bool> {
  using type = std::uint8_t;
};
template <class T>
using stored_t = typename Stored<T>::type;

template <class T>
constexpr ColumnType type_of() {
  using S = stored_t<T>;
  static_assert(std::is_arithmetic_v<S>);
  if constexpr (std::is_floating_point_v<S>) return sizeof(S) == 4 ? ColumnType::kF32 : ColumnType::kF64;
  else if constexpr (std::is_signed_v<S>) {
    if constexpr (sizeof(S) == 1) return ColumnType::kI8;
    else if constexpr (sizeof(S) == 2) return ColumnType::kI16;
    else if constexpr (sizeof(S) == 4) return ColumnType::kI32;
    else return ColumnType::kI64;
  } else {
    if constexpr (sizeof(S) == 1) return ColumnType::kU8;
    else if constexpr (sizeof(S) == 2) return ColumnType::kU16;
    else if constexpr (sizeof(S) == 4) return ColumnType::kU32;
    else return ColumnType::kU64;
  }
}

// Whether a column's length is fixed by the model (persons, villages, counties, enclaves,
// pairings) or varies during a run (firms, lists).
enum class Len { kFixed, kVaries };

// Every part of the state that carries into later steps, in a fixed order. V has:
//   col(name, vector<T>&, Len)                  a column
//   scalar(name, T&)                            one value
//   field(name, vector<S>&, T S::*)             one member of every element of an array of structs
//   calendar(name, DueCalendar&)                a due calendar (ids per step, in order)
//   nested(name, vector<S>&, vector<T> S::*)    a vector member of every element, concatenated
// StateT is State or const State.
template <class StateT, class V>
void visit_state(StateT& s, V& v) {
  v.scalar("step", s.step);
  v.scalar("month_year", s.month.year);
  v.scalar("month_month", s.month.month);
  v.scalar("initial_firms", s.initial_firms);
  v.scalar("firm_index_dirty", s.firm_index_dirty);
  v.scalar("tfp", s.tfp);
  v.scalar("province_land_award_left_mu", s.province_land_award_left_mu);

  auto& p = s.persons;
  v.col("persons_county", p.county, Len::kFixed);
  v.col("persons_employer", p.employer, Len::kFixed);
  v.col("persons_active", p.active, Len::kFixed);
  v.col("persons_months_unemployed", p.months_unemployed, Len::kFixed);
  v.col("persons_home", p.home, Len::kFixed);
  v.col("persons_skill", p.skill, Len::kFixed);
  v.col("persons_next_review", p.next_review, Len::kFixed);
  v.col("persons_next_separation", p.next_separation, Len::kFixed);
  v.col("persons_prev_worker", p.prev_worker, Len::kFixed);
  v.col("persons_next_worker", p.next_worker, Len::kFixed);

  auto& l = s.ledger;
  v.col("ledger_residents", l.residents, Len::kFixed);
  v.col("ledger_active", l.active, Len::kFixed);
  v.col("ledger_employed", l.employed, Len::kFixed);
  v.col("ledger_residents_high", l.residents_high, Len::kFixed);
  v.calendar("ledger_due", l.due);
  v.col("ledger_seekers", l.seekers, Len::kVaries);
  v.calendar("ledger_firm_due", l.firm_due);
  v.scalar("ledger_attention", l.attention);

  auto& f = s.firms;
  v.col("firms_county", f.county, Len::kVaries);
  v.col("firms_enclave", f.enclave, Len::kVaries);
  v.col("firms_alive", f.alive, Len::kVaries);
  v.col("firms_sector", f.sector, Len::kVaries);
  v.col("firms_origin", f.origin, Len::kVaries);
  v.col("firms_intrinsic", f.intrinsic, Len::kVaries);
  v.col("firms_demand", f.demand, Len::kVaries);
  v.col("firms_labour", f.labour, Len::kVaries);
  v.col("firms_land_mu", f.land_mu, Len::kVaries);
  v.col("firms_va", f.va, Len::kVaries);
  v.col("firms_profit", f.profit, Len::kVaries);
  v.col("firms_tax", f.tax, Len::kVaries);
  v.col("firms_first_worker", f.first_worker, Len::kVaries);
  v.col("firms_workers", f.workers, Len::kVaries);
  v.col("firms_commuters", f.commuters, Len::kVaries);
  v.col("firms_from_source", f.from_source, Len::kVaries);
  v.col("firms_next_exit_check", f.next_exit_check, Len::kVaries);
  v.col("firms_next_review", f.next_review, Len::kVaries);

  auto& vi = s.villages;
  v.col("villages_county", vi.county, Len::kFixed);
  v.col("villages_weak", vi.weak, Len::kFixed);
  v.col("villages_pool", vi.pool, Len::kFixed);
  v.col("villages_trust", vi.trust, Len::kFixed);
  v.col("villages_own_total_yuan", vi.own_total_yuan, Len::kFixed);
  v.col("villages_own_operating_yuan", vi.own_operating_yuan, Len::kFixed);
  v.col("villages_invested_yuan", vi.invested_yuan, Len::kFixed);
  v.col("villages_pool_income_ytd_yuan", vi.pool_income_ytd_yuan, Len::kFixed);
  v.col("villages_pool_income_last_yuan", vi.pool_income_last_yuan, Len::kFixed);
  v.col("villages_land_quota_mu", vi.land_quota_mu, Len::kFixed);
  v.col("villages_quota_income_ytd_yuan", vi.quota_income_ytd_yuan, Len::kFixed);
  v.col("villages_quota_income_last_yuan", vi.quota_income_last_yuan, Len::kFixed);
  v.col("villages_quota_sold_this_year_mu", vi.quota_sold_this_year_mu, Len::kFixed);
  v.col("villages_relief_yuan", vi.relief_yuan, Len::kFixed);

  auto& g = s.governments;
  v.field("government_priority", g, &Government::priority);
  v.field("government_tenure_months", g, &Government::tenure_months);
  v.field("government_turnover_this_step", g, &Government::turnover_this_step);
  v.field("government_land_granted_mu", g, &Government::land_granted_mu);
  v.field("government_land_pool_mu", g, &Government::land_pool_mu);
  v.field("government_quota_sold_mu", g, &Government::quota_sold_mu);
  v.field("government_quota_bought_mu", g, &Government::quota_bought_mu);
  v.field("government_entry_credit", g, &Government::entry_credit);

  auto& e = s.enclaves;
  v.field("enclave_status", e, &Enclave::status);
  v.field("enclave_founded_step", e, &Enclave::founded_step);
  v.field("enclave_granted_mu", e, &Enclave::granted_mu);
  v.field("enclave_used_mu", e, &Enclave::used_mu);
  v.field("enclave_tax_share_source", e, &Enclave::tax_share_source);
  v.field("enclave_commitment", e, &Enclave::commitment);
  v.field("enclave_infrastructure_yuan", e, &Enclave::infrastructure_yuan);
  v.field("enclave_pool_invested_yuan", e, &Enclave::pool_invested_yuan);
  v.field("enclave_company_cash_yuan", e, &Enclave::company_cash_yuan);
  v.field("enclave_pool_villages", e, &Enclave::pool_villages);
  v.nested("enclave_cohort", e, &Enclave::cohort);
  v.field("enclave_incubating", e, &Enclave::incubating);
  v.field("enclave_industrialise_prob", e, &Enclave::industrialise_prob);
  v.field("enclave_graduated_source", e, &Enclave::graduated_source);
  v.field("enclave_graduated_elsewhere", e, &Enclave::graduated_elsewhere);
  v.field("enclave_spawn_credit_source", e, &Enclave::spawn_credit_source);
  v.field("enclave_spawn_credit_host", e, &Enclave::spawn_credit_host);
  v.field("enclave_output_yuan", e, &Enclave::output_yuan);
  v.field("enclave_va_yuan", e, &Enclave::va_yuan);
  v.field("enclave_employment", e, &Enclave::employment);
  v.field("enclave_employment_from_source", e, &Enclave::employment_from_source);
  v.field("enclave_profit_yuan", e, &Enclave::profit_yuan);
  v.field("enclave_jobs", e, &Enclave::jobs);
  v.field("enclave_commuters", e, &Enclave::commuters);
  v.field("enclave_tax_local_yuan", e, &Enclave::tax_local_yuan);
  v.field("enclave_tax_to_source_yuan", e, &Enclave::tax_to_source_yuan);
  v.field("enclave_tax_to_host_yuan", e, &Enclave::tax_to_host_yuan);
  v.field("enclave_honoured_share", e, &Enclave::honoured_share);
  v.field("enclave_return_due_yuan", e, &Enclave::return_due_yuan);
  v.field("enclave_return_paid_yuan", e, &Enclave::return_paid_yuan);
  v.field("enclave_return_missed_yuan", e, &Enclave::return_missed_yuan);
  v.field("enclave_firms", e, &Enclave::firms);
  v.field("enclave_from_source_share", e, &Enclave::from_source_share);
  v.field("enclave_missed_this_step", e, &Enclave::missed_this_step);
  v.field("enclave_cum_output_yuan", e, &Enclave::cum_output_yuan);
  v.field("enclave_cum_tax_to_source_yuan", e, &Enclave::cum_tax_to_source_yuan);
  v.field("enclave_missed_payments", e, &Enclave::missed_payments);

  v.field("quota_trade_mu", s.quota_trades, &QuotaTrade::mu);
  v.field("quota_trade_price_yuan_per_mu", s.quota_trades, &QuotaTrade::price_yuan_per_mu);

  v.col("county_wage", s.wage, Len::kFixed);
  v.col("county_location_factor", s.location_factor, Len::kFixed);
  auto& gr = s.growth;
  v.field("growth_base_factor", gr, &CountyGrowth::base_factor);
  v.field("growth_log_tech", gr, &CountyGrowth::log_tech);
  v.field("growth_capital_yuan", gr, &CountyGrowth::capital_yuan);
  v.field("growth_capital_rel_0", gr, &CountyGrowth::capital_rel_0);
  v.field("growth_skill_rel_0", gr, &CountyGrowth::skill_rel_0);
  v.field("growth_mpk_rel_0", gr, &CountyGrowth::mpk_rel_0);
  v.field("growth_investment_private_yuan", gr, &CountyGrowth::investment_private_yuan);
  v.field("growth_investment_public_yuan", gr, &CountyGrowth::investment_public_yuan);
  v.field("growth_transfers_yuan", gr, &CountyGrowth::transfers_yuan);
  v.field("growth_talent_credit", gr, &CountyGrowth::talent_credit);
  v.field("growth_talent_in", gr, &CountyGrowth::talent_in);
  v.col("county_housing_cost", s.housing_cost, Len::kFixed);
  v.col("county_tax_effort", s.tax_effort, Len::kFixed);
  v.col("county_service_level", s.service_level, Len::kFixed);
  v.col("county_unemployment", s.unemployment, Len::kFixed);
  v.col("county_gdp_per_capita_ratio", s.gdp_per_capita_ratio, Len::kFixed);
  v.col("enclave_pair", s.enclave_pair, Len::kFixed);

  // Last step's aggregates (some phases read them, and the first record after a resume
  // describes them).
  auto& c = s.county;
  v.field("agg_gdp_yuan", c, &CountyAgg::gdp_yuan);
  v.field("agg_gdp_attributed_yuan", c, &CountyAgg::gdp_attributed_yuan);
  v.field("agg_population", c, &CountyAgg::population);
  v.field("agg_labour_force", c, &CountyAgg::labour_force);
  v.field("agg_employment", c, &CountyAgg::employment);
  v.field("agg_jobs", c, &CountyAgg::jobs);
  v.field("agg_commuters_out", c, &CountyAgg::commuters_out);
  v.field("agg_labour_demand", c, &CountyAgg::labour_demand);
  v.field("agg_wage_yuan_month", c, &CountyAgg::wage_yuan_month);
  v.field("agg_own_tax_yuan", c, &CountyAgg::own_tax_yuan);
  v.field("agg_enclave_tax_in_yuan", c, &CountyAgg::enclave_tax_in_yuan);
  v.field("agg_fiscal_revenue_yuan", c, &CountyAgg::fiscal_revenue_yuan);
  v.field("agg_firms", c, &CountyAgg::firms);
  v.field("agg_weak_villages", c, &CountyAgg::weak_villages);
  v.field("agg_village_income_mean_yuan", c, &CountyAgg::village_income_mean_yuan);
  v.field("agg_gdp_per_capita_ratio", c, &CountyAgg::gdp_per_capita_ratio);
  v.field("agg_migrants_in", c, &CountyAgg::migrants_in);
  v.field("agg_migrants_out", c, &CountyAgg::migrants_out);
  v.field("agg_quota_revenue_yuan", c, &CountyAgg::quota_revenue_yuan);
  v.field("agg_quota_paid_yuan", c, &CountyAgg::quota_paid_yuan);
  v.field("agg_firm_entries", c, &CountyAgg::firm_entries);
  v.field("agg_firm_exits", c, &CountyAgg::firm_exits);

  auto& pr = s.province;
  v.scalar("province_gdp_yuan", pr.gdp_yuan);
  v.scalar("province_population", pr.population);
  for (int k = 0; k < kEnclaveKinds; ++k) {
    v.scalar(("province_enclaves_by_kind_" + std::to_string(k)).c_str(), pr.enclaves_by_kind[static_cast<std::size_t>(k)]);
    v.scalar(("province_operating_by_kind_" + std::to_string(k)).c_str(), pr.operating_by_kind[static_cast<std::size_t>(k)]);
  }
  v.scalar("province_weak_villages", pr.weak_villages);
  v.scalar("province_weak_villages_26", pr.weak_villages_26);
  v.scalar("province_poverty_coverage_26", pr.poverty_coverage_26);
  v.scalar("province_eco_coverage", pr.eco_coverage);
  v.scalar("province_tax_to_source_yuan", pr.tax_to_source_yuan);
  v.scalar("province_land_award_used_mu", pr.land_award_used_mu);
  v.scalar("province_land_granted_mu", pr.land_granted_mu);
  v.scalar("province_incubating", pr.incubating);
  v.scalar("province_graduated_source", pr.graduated_source);
  v.scalar("province_graduated_elsewhere", pr.graduated_elsewhere);
  v.scalar("province_industrialisation_rate", pr.industrialisation_rate);
  v.scalar("province_theil", pr.theil);
  v.scalar("province_gini", pr.gini);
  v.scalar("province_gdp_per_capita_ratio_26", pr.gdp_per_capita_ratio_26);
  v.scalar("province_special_fund_spent_yuan", pr.special_fund_spent_yuan);
  v.scalar("province_village_subsidy_yuan", pr.village_subsidy_yuan);
  v.scalar("province_relief_yuan", pr.relief_yuan);
  v.scalar("province_relief_villages", pr.relief_villages);
  v.scalar("province_quota_traded_mu", pr.quota_traded_mu);
  v.scalar("province_quota_traded_total_mu", pr.quota_traded_total_mu);
  v.scalar("province_quota_village_income_yuan", pr.quota_village_income_yuan);
  v.scalar("province_firm_entries", pr.firm_entries);
  v.scalar("province_firm_exits", pr.firm_exits);

  // The firm index as last built (kept while no firm moved, entered or left) and the free
  // firm slots.
  auto& sc = s.scratch;
  v.col("index_firms_by_county", sc.firms_by_county, Len::kVaries);
  v.col("index_firms_by_county_offset", sc.firms_by_county_offset, Len::kVaries);
  v.col("index_firms_by_enclave", sc.firms_by_enclave, Len::kVaries);
  v.col("index_firms_by_enclave_offset", sc.firms_by_enclave_offset, Len::kVaries);
  v.col("free_firms", sc.free_firms, Len::kVaries);
  v.col("freed_this_step", sc.freed_this_step, Len::kVaries);
  v.col("moved_this_step", sc.moved_this_step, Len::kVaries);
}

// Sends every column to `emit(name, type, n, data, stable, fill)`; struct members are
// gathered first. `stable`: data points into the state itself (valid while the state is
// unchanged), not into a buffer gathered for this call. A calendar's ids come with data null
// and `fill`, which writes the n values to a given address (a capture writes them straight
// into its column; gathering them first faulted in a fresh buffer at every checkpoint).
using Fill = FunctionRef<void(void*)>;
template <class Emit>
struct Reading {
  Emit emit;
  template <class T>
  void col(const char* name, const std::vector<T>& v, Len) {
    emit(name, type_of<T>(), v.size(), static_cast<const void*>(v.data()), true, nullptr);
  }
  template <class T>
  void scalar(const char* name, const T& x) {
    const auto y = static_cast<stored_t<T>>(x);
    emit(name, type_of<T>(), 1, static_cast<const void*>(&y), false, nullptr);
  }
  template <class S, class T>
  void field(const char* name, const std::vector<S>& v, T S::*m) {
    std::vector<stored_t<T>> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) out[i] = static_cast<stored_t<T>>(v[i].*m);
    emit(name, type_of<T>(), out.size(), static_cast<const void*>(out.data()), false, nullptr);
  }
  void calendar(const char* name, const DueCalendar& c) {
    std::vector<std::uint32_t> counts(c.size());
    std::size_t total = 0;
    for (std::size_t t = 0; t < c.size(); ++t) total += counts[t] = static_cast<std::uint32_t>(c.count(t));
    emit((std::string(name) + "_count").c_str(), ColumnType::kU32, counts.size(), static_cast<const void*>(counts.data()), false,
         nullptr);
    auto put_ids = [&](void* out) {
      auto* ids = static_cast<std::uint32_t*>(out);
      std::size_t at = 0;
      for (std::size_t t = 0; t < c.size(); ++t) {
        c.peek(t, ids + at);
        at += counts[t];
      }
    };
    const Fill fill(put_ids);
    emit((std::string(name) + "_ids").c_str(), ColumnType::kU32, total, nullptr, false, &fill);
  }
  template <class S, class T>
  void nested(const char* name, const std::vector<S>& v, std::vector<T> S::*m) {
    std::vector<std::uint32_t> len(v.size());
    std::vector<T> all;
    for (std::size_t i = 0; i < v.size(); ++i) {
      len[i] = static_cast<std::uint32_t>((v[i].*m).size());
      all.insert(all.end(), (v[i].*m).begin(), (v[i].*m).end());
    }
    emit((std::string(name) + "_length").c_str(), ColumnType::kU32, len.size(), static_cast<const void*>(len.data()), false, nullptr);
    emit((std::string(name) + "_values").c_str(), type_of<T>(), all.size(), static_cast<const void*>(all.data()), false, nullptr);
  }
};
template <class Emit>
Reading(Emit) -> Reading<Emit>;

// Puts columns of an image back into a state.
struct Writing {
  const StateImage& img;
  const std::string& origin;
  std::unordered_map<std::string, const StateColumn*> by_name;

  Writing(const StateImage& i, const std::string& o) : img(i), origin(o) {
    for (const auto& c : img.columns) by_name[c.name] = &c;
  }
  const StateColumn& get(const std::string& name, ColumnType t) const {
    const auto it = by_name.find(name);
    if (it == by_name.end())
      throw PathError(origin + ": the checkpoint has no column '" + name + "' (written by another version of Feidi?)");
    const StateColumn& c = *it->second;
    if (c.type != t || c.bytes.size() != c.n * column_type_size(t))
      throw PathError(origin + ": checkpoint column '" + name + "' is " + column_type_name(c.type) + ", expected " +
                      column_type_name(t));
    return c;
  }
  [[noreturn]] void wrong_length(const std::string& name, std::size_t got, std::size_t want) const {
    throw PathError(origin + ": checkpoint column '" + name + "' has " + std::to_string(got) + " values where this model has " +
                    std::to_string(want) + " (a checkpoint of another scale, data or config?)");
  }
  template <class T>
  void col(const char* name, std::vector<T>& v, Len len) {
    const StateColumn& c = get(name, type_of<T>());
    if (len == Len::kFixed && c.n != v.size()) wrong_length(name, c.n, v.size());
    v.resize(c.n);
    if (c.n) std::memcpy(static_cast<void*>(v.data()), c.bytes.data(), c.bytes.size());
  }
  template <class T>
  void scalar(const char* name, T& x) {
    const StateColumn& c = get(name, type_of<T>());
    if (c.n != 1) wrong_length(name, c.n, 1);
    stored_t<T> y{};
    std::memcpy(&y, c.bytes.data(), sizeof y);
    x = static_cast<T>(y);
  }
  template <class S, class T>
  void field(const char* name, std::vector<S>& v, T S::*m) {
    const StateColumn& c = get(name, type_of<T>());
    if (c.n != v.size()) wrong_length(name, c.n, v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
      stored_t<T> y{};
      std::memcpy(&y, c.bytes.data() + i * sizeof y, sizeof y);
      v[i].*m = static_cast<T>(y);
    }
  }
  void calendar(const char* name, DueCalendar& cal) {
    const StateColumn& counts = get(std::string(name) + "_count", ColumnType::kU32);
    const StateColumn& ids = get(std::string(name) + "_ids", ColumnType::kU32);
    if (counts.n != cal.size()) wrong_length(std::string(name) + "_count", counts.n, cal.size());
    cal.reset(counts.n);
    std::size_t at = 0;
    for (std::size_t t = 0; t < counts.n; ++t) {
      std::uint32_t k = 0;
      std::memcpy(&k, counts.bytes.data() + 4 * t, 4);
      if (at + k > ids.n) wrong_length(std::string(name) + "_ids", ids.n, at + k);
      for (std::uint32_t j = 0; j < k; ++j, ++at) {
        std::uint32_t id = 0;
        std::memcpy(&id, ids.bytes.data() + 4 * at, 4);
        cal.push(t, id);
      }
    }
    if (at != ids.n) wrong_length(std::string(name) + "_ids", ids.n, at);
  }
  template <class S, class T>
  void nested(const char* name, std::vector<S>& v, std::vector<T> S::*m) {
    const StateColumn& len = get(std::string(name) + "_length", ColumnType::kU32);
    const StateColumn& all = get(std::string(name) + "_values", type_of<T>());
    if (len.n != v.size()) wrong_length(std::string(name) + "_length", len.n, v.size());
    std::size_t at = 0;
    for (std::size_t i = 0; i < v.size(); ++i) {
      std::uint32_t k = 0;
      std::memcpy(&k, len.bytes.data() + 4 * i, 4);
      if (at + k > all.n) wrong_length(std::string(name) + "_values", all.n, at + k);
      auto& out = v[i].*m;
      out.resize(k);
      if (k) std::memcpy(static_cast<void*>(out.data()), all.bytes.data() + at * sizeof(T), k * sizeof(T));
      at += k;
    }
    if (at != all.n) wrong_length(std::string(name) + "_values", all.n, at);
  }
};

std::uint64_t hash_column(std::uint64_t h, const std::string& name, ColumnType t, std::size_t n, const void* data,
                          int version) {
  h = hash_bytes(h, name.data(), name.size());
  const std::uint64_t head[2] = {static_cast<std::uint64_t>(t), static_cast<std::uint64_t>(n)};
  h = hash_bytes(h, head, sizeof head);
  const std::size_t bytes = n * column_type_size(t);
  return version == 1 ? hash_bytes(h, data, bytes) : hash_bytes_wide(h, data, bytes);
}

}  // namespace

StateImage capture_state(const State& s, bool with_data) {
  StateImage img;
  if (with_data) {
    capture_state(s, img);
    return img;
  }
  img.step = s.step;
  Reading r{[&](const char* name, ColumnType t, std::size_t n, const void*, bool, const Fill*) {
    img.columns.push_back({name, t, n, {}});
  }};
  visit_state(s, r);
  return img;
}

void capture_state(const State& s, StateImage& into) {
  // Columns of the state itself from this size on are copied after the visit, in pieces of
  // kCopyPiece bytes spread over the threads; the rest (gathered struct members, small
  // columns) at once.
  constexpr std::size_t kCopyPiece = std::size_t{128} << 10;
  struct Piece {
    unsigned char* to;
    const unsigned char* from;
    std::size_t bytes;
  };
  std::vector<Piece> pieces;
  into.step = s.step;
  std::size_t k = 0;
  Reading r{[&](const char* name, ColumnType t, std::size_t n, const void* data, bool stable, const Fill* fill) {
    if (k == into.columns.size()) into.columns.emplace_back();
    StateColumn& c = into.columns[k++];
    if (c.name != name) c.name = name;
    c.type = t;
    c.n = n;
    const std::size_t bytes = n * column_type_size(t);
    if (bytes > c.bytes.capacity()) {  // fresh room, with an eighth to spare for growing columns
      c.bytes = {};
      c.bytes.reserve(bytes + bytes / 8);
    }
    c.bytes.resize(bytes);
    const auto* from = static_cast<const unsigned char*>(data);
    if (fill) {
      if (bytes) (*fill)(c.bytes.data());
      return;
    }
    if (!stable || bytes < kCopyPiece) {
      if (bytes) std::memcpy(c.bytes.data(), from, bytes);
      return;
    }
    for (std::size_t at = 0; at < bytes; at += kCopyPiece)
      pieces.push_back({c.bytes.data() + at, from + at, std::min(kCopyPiece, bytes - at)});
  }};
  visit_state(s, r);
  into.columns.resize(k);
  parallel_tasks(
      pieces.size(), [&](std::size_t i) { std::memcpy(pieces[i].to, pieces[i].from, pieces[i].bytes); },
      pieces.size() > 1);
}

void restore_state(State& s, const StateImage& img, const std::string& origin) {
  Writing w(img, origin);
  visit_state(s, w);
  // The per-step buffers sized by the firm count follow the index (rebuild_firm_index).
  auto& sc = s.scratch;
  sc.county_demand_cum.resize(sc.firms_by_county.size());
  sc.enclave_demand_cum.resize(sc.firms_by_enclave.size());
  sc.county_demand_guide.resize(sc.firms_by_county.size());
  sc.enclave_demand_guide.resize(sc.firms_by_enclave.size());
  s.events.clear();
}

std::uint64_t state_hash(const State& s) {
  std::uint64_t h = kHashSeed;
  std::vector<unsigned char, NoInitAllocator<unsigned char>> filled;
  Reading r{[&](const char* name, ColumnType t, std::size_t n, const void* data, bool, const Fill* fill) {
    if (fill) {
      filled.resize(n * column_type_size(t));
      if (n) (*fill)(filled.data());
      data = filled.data();
    }
    h = hash_column(h, name, t, n, data, kStateHashVersion);
  }};
  visit_state(s, r);
  return h;
}

std::uint64_t image_hash(const StateImage& img, int version) {
  std::uint64_t h = kHashSeed;
  for (const auto& c : img.columns) h = hash_column(h, c.name, c.type, c.n, c.bytes.data(), version);
  return h;
}

}  // namespace feidi
