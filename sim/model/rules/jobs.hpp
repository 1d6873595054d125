// rules/jobs.hpp — the labour market of a county in a month: the monthly chances of losing
// a job, of being shed and of finding one (a matching function), and how the wage moves
// with tightness.
//
// Pure functions of parameters and values (no state): unit-tested against hand-computed
// values in tests/unit/test_model_rules.cpp.
#pragma once

#include <algorithm>

#include "model/params.hpp"

namespace feidi::rules {

// What a county's labour market offers this month (probabilities per month).
struct JobChances {
  double separation = 0;  // an employed person loses the job (exogenous, plus shedding)
  double layoff = 0;      // a worker here is shed (jobs in excess of demand)
  double finding = 0;     // a job seeker finds a job
};

// The chances in a county with `jobs` filled, `demand` wanted (real workers), a labour
// force and employment of its residents, given the exogenous monthly separation
// probability. Jobs in excess of demand are shed at excess_shed_per_month; vacancies are
// demand less the jobs that survive the month; finding = match efficiency × vacancies per
// seeker (at least one seeker), capped at 1.
inline JobChances job_chances(const EconomyParams& ep, const PersonParams& pp, double p_separation, double jobs,
                              double demand, double labour_force, double employment) {
  JobChances j;
  const double excess = jobs > demand ? (jobs - demand) / jobs : 0.0;
  j.separation = std::min(1.0, p_separation + ep.excess_shed_per_month * excess);
  j.layoff = std::min(1.0, ep.excess_shed_per_month * excess);
  const double seekers = std::max(1.0, labour_force - employment * (1.0 - j.separation));
  const double vacancies = std::max(0.0, demand - jobs * (1.0 - j.separation));
  j.finding = std::min(1.0, pp.job_match_efficiency * vacancies / seekers);
  return j;
}

// Monthly change of a county's wage by tightness (demand over the labour force net of
// frictional unemployment), before indexation to productivity: proportional to the gap,
// clamped to [wage_change_min, wage_change_max] (downward stickiness).
inline double wage_change(const EconomyParams& ep, double demand, double supply) {
  const double tight = demand / supply;
  return std::clamp(ep.wage_adjust_per_month * (tight - 1.0), ep.wage_change_min_per_month,
                    ep.wage_change_max_per_month);
}

}  // namespace feidi::rules
