// rules/job_search.hpp — where a job seeker finds a job this month: jobs drawn in
// proportion to the firms' labour demand, commuting to the county's enclaves, recruitment
// ties of an enclave's host with its source's natives; and whether a job can be kept after
// a move.
//
// Functions of the parameters, a read-only view of the model and the state (the firm
// index and its cumulative demand are built by the labour phase before the persons' pass)
// and an Rng; they return a decision and change nothing. Tested in
// tests/unit/test_model_rules.cpp.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "engine/rng.hpp"
#include "model/model.hpp"
#include "model/state.hpp"

namespace feidi::rules {

// Draws a firm from group g of a CSR index (ids idx[off[g]..off[g+1]) with running sums
// `cum` of their demand), with probability ∝ labour demand; u uniform in [0, 1). kNoFirm
// when the group is empty or wants nobody.
inline FirmIdx draw_from(const std::vector<std::uint32_t>& idx, const std::vector<std::uint32_t>& off,
                         const std::vector<double>& cum, std::size_t g, double u) {
  const std::size_t b = off[g], e = off[g + 1];
  if (b == e || cum[e - 1] <= 0) return kNoFirm;
  const double x = u * cum[e - 1];
  auto it = std::upper_bound(cum.begin() + static_cast<std::ptrdiff_t>(b), cum.begin() + static_cast<std::ptrdiff_t>(e), x);
  if (it == cum.begin() + static_cast<std::ptrdiff_t>(e)) --it;
  return static_cast<FirmIdx>(idx[static_cast<std::size_t>(it - cum.begin())]);
}

// Guide table of the running sums `cum` of a CSR index (one entry per member): in group g,
// guide[off[g] + k] is the first member whose running sum exceeds k/n of the group's total
// (n members), so a draw starts next to its answer instead of bisecting the group.
template <class Offsets>
void build_guide(const Offsets& off, const std::vector<double>& cum, std::size_t g, std::vector<std::uint32_t>& guide) {
  const std::size_t b = off[g], e = off[g + 1], n = e - b;
  if (n == 0) return;
  const double total = cum[e - 1];
  std::size_t j = b;
  for (std::size_t k = 0; k < n; ++k) {
    const double threshold = total * static_cast<double>(k) / static_cast<double>(n);
    while (j + 1 < e && cum[j] <= threshold) ++j;
    guide[b + k] = static_cast<std::uint32_t>(j);
  }
}

// The firms of a CSR index (grouped by county or by enclave) with the running sums of
// their labour demand and its guide table.
struct FirmGroups {
  const std::vector<std::uint32_t>& idx;
  const std::vector<std::uint32_t>& off;
  const std::vector<double>& cum;
  const std::vector<std::uint32_t>& guide;
};
inline FirmGroups county_groups(const State& s) {
  const auto& sc = s.scratch;
  return {sc.firms_by_county, sc.firms_by_county_offset, sc.county_demand_cum, sc.county_demand_guide};
}
inline FirmGroups enclave_groups(const State& s) {
  const auto& sc = s.scratch;
  return {sc.firms_by_enclave, sc.firms_by_enclave_offset, sc.enclave_demand_cum, sc.enclave_demand_guide};
}

// The member of [b, e) (b < e) whose running sum is the first to exceed u × the total
// cum[e − 1], the last when none does (the answer of std::upper_bound, u in [0, 1)):
// started at the guide table's entry and corrected in either direction, so it costs a
// step or two, not a bisection.
inline std::size_t guided_upper(const std::vector<double>& cum, const std::vector<std::uint32_t>& guide, std::size_t b,
                                std::size_t e, double u) {
  const double x = u * cum[e - 1];
  const std::size_t n = e - b;
  std::size_t j = guide[b + std::min(n - 1, static_cast<std::size_t>(u * static_cast<double>(n)))];
  while (j > b && cum[j - 1] > x) --j;
  while (j + 1 < e && cum[j] <= x) ++j;
  return j;
}

// The same draw as draw_from (the same firm for the same u), by guided_upper.
inline FirmIdx draw_guided(const FirmGroups& fg, std::size_t g, double u) {
  const std::size_t b = fg.off[g], e = fg.off[g + 1];
  if (b == e || fg.cum[e - 1] <= 0) return kNoFirm;
  return static_cast<FirmIdx>(fg.idx[guided_upper(fg.cum, fg.guide, b, e, u)]);
}

// Whether a person living in county c may keep a job at firm f: the firm is alive and
// produces in c, or it is in an enclave of c (commuting).
inline bool job_reachable(const Model& m, const Firms& f, FirmIdx emp, CountyIdx c) {
  if (!f.alive[emp]) return false;
  if (f.county[emp] == c) return true;
  const EnclaveIdx e = f.enclave[emp];
  return e != kNoEnclave && m.data.enclaves[e].source == c;
}

// A commuting job for a seeker living in source county c: an operating enclave of c
// within commuting distance, drawn ∝ its labour demand, then a firm in it.
inline FirmIdx draw_commute(const Model& m, const State& s, CountyIdx c, Rng& rng) {
  const auto& sc = s.scratch;
  double total = 0;
  for (EnclaveIdx e : m.data.enclaves_of_source[c]) {
    if (s.enclaves[e].status != EnclaveStatus::kOperating) continue;
    if (m.data.distance(c, m.data.enclaves[e].host) > m.params.persons.commute_max_km) continue;
    const auto b = sc.firms_by_enclave_offset[e], x = sc.firms_by_enclave_offset[e + 1];
    if (x > b) total += sc.enclave_demand_cum[x - 1];
  }
  if (total <= 0) return kNoFirm;
  double u = rng.uniform() * total;
  for (EnclaveIdx e : m.data.enclaves_of_source[c]) {
    if (s.enclaves[e].status != EnclaveStatus::kOperating) continue;
    if (m.data.distance(c, m.data.enclaves[e].host) > m.params.persons.commute_max_km) continue;
    const auto b = sc.firms_by_enclave_offset[e], x = sc.firms_by_enclave_offset[e + 1];
    if (x == b) continue;
    const double w = sc.enclave_demand_cum[x - 1];
    if (u < w) return draw_guided(enclave_groups(s), static_cast<std::size_t>(e), u / w);
    u -= w;
  }
  return kNoFirm;
}

// A job for seeker i in county c: natives of an enclave's source county living in its
// host are first offered the enclave's jobs (recruitment ties, with probability
// enclave_hiring_priority), then the county's.
inline FirmIdx draw_employer(const Model& m, const State& s, std::size_t i, CountyIdx c, Rng& rng) {
  const CountyIdx home = s.persons.home[i];
  const std::size_t n = m.data.n_counties();
  if (home != c && s.enclave_pair[static_cast<std::size_t>(home) * n + c] &&
      rng.bernoulli(m.params.persons.enclave_hiring_priority)) {
    for (EnclaveIdx e : m.data.enclaves_of_source[home]) {
      if (m.data.enclaves[e].host != c) continue;
      const FirmIdx f = draw_guided(enclave_groups(s), static_cast<std::size_t>(e), rng.uniform());
      if (f != kNoFirm) return f;
    }
  }
  return draw_guided(county_groups(s), c, rng.uniform());
}

// What a seeker's month of search gives: a job taken (`job`, or kNoFirm), or an
// application to an enclave firm (`applies`, `job` = that firm) with a fallback job
// outside the parks for when the enclave has no vacancy (or kNoFirm).
struct JobSearch {
  FirmIdx job = kNoFirm;
  bool applies = false;
  FirmIdx fallback = kNoFirm;
};

// The search of seeker i living in county c. In a source county with enclaves the
// seeker looks in them with probability enclave_commute_share (found with the finding
// chance of the park's county), else at home (the home county's finding chance). An
// enclave job is only an application; the seeker then also looks at home for a fallback
// outside the parks. A commuter offered nothing in the parks looks at home.
inline JobSearch search_job(const Model& m, const State& s, const LabourSignals& sig, std::size_t i, CountyIdx c,
                            Rng& match) {
  const auto& f = s.firms;
  JobSearch r;
  FirmIdx offer = kNoFirm;
  const bool commute =
      !m.data.enclaves_of_source[c].empty() && match.bernoulli(m.params.persons.enclave_commute_share);
  if (commute) {
    const FirmIdx job = draw_commute(m, s, c, match);  // look for work in the county's enclaves
    if (job != kNoFirm && match.bernoulli(sig.find_prob[f.county[job]])) offer = job;
  } else if (match.bernoulli(sig.find_prob[c])) {
    offer = draw_employer(m, s, i, c, match);
  }
  if (offer != kNoFirm && f.enclave[offer] != kNoEnclave) {
    r.applies = true;
    r.job = offer;
    if (match.bernoulli(sig.find_prob[c])) {
      r.fallback = draw_guided(county_groups(s), c, match.uniform());
      if (r.fallback != kNoFirm && f.enclave[r.fallback] != kNoEnclave) r.fallback = kNoFirm;
    }
  } else if (offer == kNoFirm && commute && match.bernoulli(sig.find_prob[c])) {
    const FirmIdx emp = draw_employer(m, s, i, c, match);  // no park job on offer: look at home
    r.job = emp;
    r.applies = emp != kNoFirm && f.enclave[emp] != kNoEnclave;
  } else {
    r.job = offer;
  }
  return r;
}

}  // namespace feidi::rules
