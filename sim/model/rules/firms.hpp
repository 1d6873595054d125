// rules/firms.hpp — which sectors a park takes; a firm agent's labour demand and value
// added (Cobb-Douglas); its exit and review hazards; the choice between staying and a park
// (location choice); an entrant's sector.
//
// Pure functions of parameters and values (no state): unit-tested against hand-computed
// values in tests/unit/test_model_rules.cpp.
#pragma once

#include <cmath>
#include <cstddef>
#include <vector>

#include "engine/rng.hpp"
#include "model/params.hpp"
#include "model/rules/units.hpp"
#include "model/static_data.hpp"

namespace feidi::rules {

// Whether firms of a sector may locate in a park of this kind: eco and poverty parks are
// industrial platforms (the seed: 工业发展平台) and take enclave-eligible sectors that are
// mostly secondary industry; sci-tech parks take the knowledge sectors (digital, health).
inline bool sector_fits(const Sector& sec, EnclaveKind kind) {
  if (!sec.enclave_eligible) return false;
  if (kind == EnclaveKind::kScitech) return sec.key == "digital" || sec.key == "health";
  return sec.secondary >= 0.5;
}

// Desired employment (real workers) of a firm agent at wage w with productivity A:
// profit-maximising labour of F Cobb-Douglas firms, L = F·(alpha·A/w)^(1/(1-alpha)).
inline double labour_demand(double firms_per_agent, double alpha, double A, double w) {
  return firms_per_agent * std::pow(alpha * A / w, 1.0 / (1.0 - alpha));
}

// Log of the monthly profit of a firm agent at its optimal labour L (Cobb-Douglas: optimal
// VA = w·L/alpha, profit = (1 − alpha)·VA − rent·land), or −1e300 when it makes no profit.
inline double log_profit_at_optimum(double alpha, double wage, double L, double rent_month, double land_mu) {
  const double va = wage * L / alpha;
  const double profit = (1.0 - alpha) * va - rent_month * land_mu;
  return profit > 0 ? std::log(profit) : -1e300;
}

// Value added (yuan/month) of a firm agent with L real workers.
inline double value_added(double firms_per_agent, double alpha, double A, double L) {
  if (L <= 0) return 0.0;
  return firms_per_agent * A * std::pow(L / firms_per_agent, alpha);
}

// Monthly probabilities of the firms' scheduled events: exit checks run at the
// loss-maker's exit probability (a profitable firm's check is thinned to its own),
// relocation reviews at the review probability.
struct FirmHazards {
  double exit, exit_loss, review;
  explicit FirmHazards(const Params& p)
      : exit(monthly_prob(p.firms.exit_rate_per_year)),
        exit_loss(monthly_prob(p.firms.exit_rate_per_year * p.firms.loss_exit_multiplier)),
        review(monthly_prob(p.firms.relocate_hazard_per_year)) {}
};

// Probability that a firm exits at an exit check (thinning): checks come at the
// loss-maker's rate, so a profitable firm exits with the ratio of the two probabilities
// and each firm exits, a month, with its own.
inline double exit_at_check(const FirmHazards& hz, bool loss_making) {
  return (loss_making ? hz.exit_loss : hz.exit) / hz.exit_loss;
}

// A firm's choice between staying where it is and moving into a park: each option is
// worth its log profit plus Gumbel noise (scale choice_noise); the park of the firm's own
// county gets home_enclave_bonus; a park must beat staying by `threshold` (the moving
// cost). Options are offered one by one, each drawing its noise from `rng` in turn.
class LocationChoice {
 public:
  LocationChoice(const FirmParams& fp, double stay_log_profit, double threshold, Rng& rng) : fp_(fp) {
    const double stay = stay_log_profit + fp.choice_noise * rng.gumbel();
    best_ = stay + threshold;
  }
  void offer(EnclaveIdx e, double log_profit, bool own_county_park, Rng& rng) {
    double v = log_profit + fp_.choice_noise * rng.gumbel();
    if (own_county_park) v += fp_.home_enclave_bonus;
    if (v > best_) {
      best_ = v;
      choice_ = e;
    }
  }
  // The park chosen, or kNoEnclave to stay.
  EnclaveIdx choice() const { return choice_; }

 private:
  const FirmParams& fp_;
  double best_ = 0;
  EnclaveIdx choice_ = kNoEnclave;
};

// An entrant's sector: `u` uniform over [0, the sum of the weights), the weights a
// county's employment share of each sector over its size factor (firms, not jobs).
inline std::size_t entrant_sector(const std::vector<double>& share, const std::vector<Sector>& sectors, double u) {
  std::size_t k = 0;
  for (; k + 1 < sectors.size(); ++k) {
    u -= share[k] / sectors[k].size_factor;
    if (u < 0) break;
  }
  return k;
}

}  // namespace feidi::rules
