// invariants.cpp — see invariants.hpp.
#include "model/invariants.hpp"

#include <cmath>
#include <sstream>
#include <string>
#include <vector>

#include "engine/error.hpp"

namespace feidi {

namespace {

class Checker {
 public:
  Checker(const State& s, Phase after) : s_(s), after_(after) {}

  // Throws when !ok, naming the invariant and what broke it.
  template <class Detail>
  void require(bool ok, const char* name, Detail&& detail) const {
    if (ok) return;
    std::ostringstream os;
    os << "invariant '" << name << "' broken after phase " << phase_name(after_) << " of step " << s_.step << ": ";
    detail(os);
    throw InternalError(os.str());
  }

  template <class T>
  void finite(const std::vector<T>& v, const char* what, bool non_negative = false) const {
    for (std::size_t i = 0; i < v.size(); ++i) {
      const double x = static_cast<double>(v[i]);
      require(std::isfinite(x), "finite", [&](std::ostream& o) { o << what << "[" << i << "] = " << x; });
      if (non_negative)
        require(x >= -1e-9 * (1 + std::abs(x)), "non-negative stocks", [&](std::ostream& o) { o << what << "[" << i << "] = " << x; });
    }
  }
  void finite(double x, const char* what, bool non_negative = false) const {
    require(std::isfinite(x), "finite", [&](std::ostream& o) { o << what << " = " << x; });
    if (non_negative) require(x >= -1e-9 * (1 + std::abs(x)), "non-negative stocks", [&](std::ostream& o) { o << what << " = " << x; });
  }

 private:
  const State& s_;
  Phase after_;
};

bool near(double a, double b) { return std::abs(a - b) <= 1e-9 * (1 + std::abs(a) + std::abs(b)); }

}  // namespace

bool invariant_checks_enabled() {
#ifdef FEIDI_ENABLE_CHECKS
  return true;
#else
  return false;
#endif
}

void check_invariants(const Model& m, const State& s, Phase after) {
  const Checker c(s, after);
  const auto& d = m.data;
  const auto& ps = s.persons;
  const auto& f = s.firms;
  const auto& v = s.villages;
  const std::size_t n = d.n_counties(), ne = s.enclaves.size(), nf = f.size();

  // Id ranges.
  for (std::size_t i = 0; i < ps.size(); ++i) {
    c.require(ps.county[i] < n && ps.home[i] < n, "id ranges", [&](std::ostream& o) {
      o << "person " << i << " lives in county " << ps.county[i] << " (home " << ps.home[i] << ") of " << n;
    });
    const FirmIdx e = ps.employer[i];
    c.require(e == kNoFirm || (e >= 0 && static_cast<std::size_t>(e) < nf), "id ranges",
              [&](std::ostream& o) { o << "person " << i << " works for firm " << e << " of " << nf; });
  }
  for (std::size_t i = 0; i < nf; ++i) {
    c.require(f.county[i] < n && f.origin[i] < n && (f.enclave[i] == kNoEnclave || (f.enclave[i] >= 0 && static_cast<std::size_t>(f.enclave[i]) < ne)) &&
                  f.sector[i] < d.sectors.size(),
              "id ranges", [&](std::ostream& o) {
                o << "firm " << i << ": county " << f.county[i] << ", origin " << f.origin[i] << ", enclave " << f.enclave[i]
                  << ", sector " << int(f.sector[i]);
              });
  }
  for (std::size_t i = 0; i < v.size(); ++i)
    c.require(v.county[i] < n && (v.pool[i] == kNoEnclave || (v.pool[i] >= 0 && static_cast<std::size_t>(v.pool[i]) < ne)),
              "id ranges", [&](std::ostream& o) { o << "village " << i << ": county " << v.county[i] << ", pool " << v.pool[i]; });

  // No NaN or infinity; no negative stocks.
  c.finite(f.intrinsic, "firms.intrinsic", true);
  c.finite(f.demand, "firms.demand", true);
  c.finite(f.labour, "firms.labour", true);
  c.finite(f.land_mu, "firms.land_mu", true);
  c.finite(f.va, "firms.va");
  c.finite(f.profit, "firms.profit");
  c.finite(f.tax, "firms.tax");
  c.finite(v.trust, "villages.trust", true);
  c.finite(v.own_total_yuan, "villages.own_total_yuan");
  c.finite(v.invested_yuan, "villages.invested_yuan", true);
  c.finite(v.land_quota_mu, "villages.land_quota_mu", true);
  c.finite(v.pool_income_ytd_yuan, "villages.pool_income_ytd_yuan");
  c.finite(v.quota_income_ytd_yuan, "villages.quota_income_ytd_yuan", true);
  c.finite(v.relief_yuan, "villages.relief_yuan", true);
  c.finite(s.wage, "county wage", true);
  c.finite(s.location_factor, "county location_factor", true);
  c.finite(s.housing_cost, "county housing_cost", true);
  c.finite(s.unemployment, "county unemployment", true);
  c.finite(s.tfp, "tfp", true);
  for (std::size_t k = 0; k < n; ++k) {
    const auto& a = s.county[k];
    for (const double x : {a.gdp_yuan, a.population, a.labour_force, a.employment, a.jobs, a.own_tax_yuan,
                           a.enclave_tax_in_yuan, a.fiscal_revenue_yuan, a.firms})
      c.finite(x, "county aggregates", true);
    c.finite(a.gdp_attributed_yuan, "county gdp_attributed_yuan");
    const auto& g = s.growth[k];
    c.finite(g.capital_yuan, "growth.capital_yuan", true);
    c.finite(g.log_tech, "growth.log_tech");
    const auto& gov = s.governments[k];
    c.finite(gov.land_pool_mu, "governments.land_pool_mu", true);
    c.finite(gov.land_granted_mu, "governments.land_granted_mu", true);
  }
  for (std::size_t e = 0; e < ne; ++e) {
    const auto& en = s.enclaves[e];
    for (const double x : {en.granted_mu, en.used_mu, en.infrastructure_yuan, en.pool_invested_yuan, en.incubating,
                           en.output_yuan, en.employment, en.jobs, en.commuters, en.tax_local_yuan, en.tax_to_source_yuan,
                           en.tax_to_host_yuan, en.return_paid_yuan})
      c.finite(x, "enclave flows and stocks", true);
    c.require(en.used_mu <= en.granted_mu + 1e-6 * (1 + en.granted_mu), "enclave land", [&](std::ostream& o) {
      o << d.enclaves[e].name << " uses " << en.used_mu << " mu of " << en.granted_mu << " granted";
    });
  }

  // Persons are conserved: the ledger's residents add up to the person agents.
  {
    std::int64_t residents = 0;
    for (const auto r : s.ledger.residents) residents += r;
    c.require(residents == static_cast<std::int64_t>(ps.size()), "persons conserved",
              [&](std::ostream& o) { o << "the ledger holds " << residents << " residents, the state " << ps.size() << " persons"; });
  }

  // From the labour phase on, the ledger and the worker lists equal a fresh count.
  if (after != Phase::kGovernments && after != Phase::kFirms) {
    std::vector<std::int64_t> res(n, 0), act(n, 0), emp(n, 0);
    std::vector<std::int32_t> workers(nf, 0), commuters(nf, 0);
    for (std::size_t i = 0; i < ps.size(); ++i) {
      const auto k = ps.county[i];
      ++res[k];
      act[k] += ps.active[i];
      const FirmIdx e = ps.employer[i];
      if (e == kNoFirm) continue;
      const auto fe = static_cast<std::size_t>(e);
      c.require(f.alive[fe] && ps.active[i], "employers alive",
                [&](std::ostream& o) { o << "person " << i << " works for firm " << e << " (alive " << int(f.alive[fe]) << ", active " << int(ps.active[i]) << ")"; });
      ++emp[k];
      ++workers[fe];
      commuters[fe] += k != f.county[fe];
    }
    for (std::size_t k = 0; k < n; ++k)
      c.require(res[k] == s.ledger.residents[k] && act[k] == s.ledger.active[k] && emp[k] == s.ledger.employed[k],
                "ledger counts", [&](std::ostream& o) {
                  o << "county " << d.counties[k].name << ": ledger residents/active/employed " << s.ledger.residents[k] << "/"
                    << s.ledger.active[k] << "/" << s.ledger.employed[k] << ", agents " << res[k] << "/" << act[k] << "/" << emp[k];
                });
    const double P = static_cast<double>(m.params.scale.persons_per_agent);
    std::vector<double> enclave_commuters(ne, 0.0), enclave_jobs(ne, 0.0);
    for (std::size_t i = 0; i < nf; ++i) {
      c.require(workers[i] == f.workers[i] && commuters[i] == f.commuters[i] && f.from_source[i] >= 0 &&
                    f.from_source[i] <= f.workers[i],
                "worker counts", [&](std::ostream& o) {
                  o << "firm " << i << ": workers " << f.workers[i] << " (agents " << workers[i] << "), commuters " << f.commuters[i]
                    << " (agents " << commuters[i] << "), from the source " << f.from_source[i];
                });
      int listed = 0;
      PersonIdx prev = kNoPerson;
      for (PersonIdx p = f.first_worker[i]; p != kNoPerson && listed <= f.workers[i]; p = ps.next_worker[p], ++listed)
        c.require(p < ps.size() && ps.employer[p] == static_cast<FirmIdx>(i) && ps.prev_worker[p] == prev, "worker lists",
                  [&](std::ostream& o) { o << "firm " << i << " lists person " << p << " (employer " << (p < ps.size() ? ps.employer[p] : -2) << ")"; }),
            prev = p;
      c.require(listed == f.workers[i], "worker lists",
                [&](std::ostream& o) { o << "firm " << i << " lists " << listed << " workers, counts " << f.workers[i]; });
      if (f.alive[i] && f.enclave[i] != kNoEnclave) {
        enclave_jobs[static_cast<std::size_t>(f.enclave[i])] += f.demand[i];
        enclave_commuters[static_cast<std::size_t>(f.enclave[i])] += P * commuters[i];
      }
    }
    for (std::size_t e = 0; e < ne; ++e)
      c.require(enclave_commuters[e] <= enclave_jobs[e] + 1e-9 * (1 + enclave_jobs[e]), "commuters within enclave jobs",
                [&](std::ostream& o) { o << d.enclaves[e].name << ": " << enclave_commuters[e] << " commuters, " << enclave_jobs[e] << " jobs"; });
  }

  // After the accounts: the money adds up.
  if (after == Phase::kAccounting || after == Phase::kProductivity) {
    for (std::size_t e = 0; e < ne; ++e) {
      const auto& en = s.enclaves[e];
      c.require(near(en.tax_to_source_yuan + en.tax_to_host_yuan, en.tax_local_yuan), "enclave tax = host share + source share",
                [&](std::ostream& o) {
                  o << d.enclaves[e].name << ": " << en.tax_local_yuan << " != " << en.tax_to_source_yuan << " + " << en.tax_to_host_yuan;
                });
    }
    double g = 0, ga = 0, to_source = 0, received = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const auto& a = s.county[k];
      c.require(near(a.fiscal_revenue_yuan, a.own_tax_yuan + a.enclave_tax_in_yuan + a.quota_revenue_yuan),
                "fiscal revenue = its parts", [&](std::ostream& o) {
                  o << d.counties[k].name << ": " << a.fiscal_revenue_yuan << " != " << a.own_tax_yuan << " + " << a.enclave_tax_in_yuan
                    << " + " << a.quota_revenue_yuan;
                });
      g += a.gdp_yuan;
      ga += a.gdp_attributed_yuan;
      received += a.enclave_tax_in_yuan;
    }
    for (const auto& en : s.enclaves) to_source += en.tax_to_source_yuan + en.tax_to_host_yuan;
    c.require(near(g, ga), "GDP attribution keeps the total", [&](std::ostream& o) { o << g << " produced, " << ga << " attributed"; });
    c.require(near(received, to_source), "enclave tax received = paid out",
              [&](std::ostream& o) { o << received << " received by counties, " << to_source << " split by enclaves"; });
  }
}

}  // namespace feidi
