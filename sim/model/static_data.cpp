#include "model/static_data.hpp"

#include <algorithm>

namespace feidi {

const char* enclave_kind_key(EnclaveKind k) {
  switch (k) {
    case EnclaveKind::kEco: return "eco";
    case EnclaveKind::kScitech: return "scitech";
    case EnclaveKind::kPoverty: return "poverty";
  }
  return "?";
}

const char* operating_mode_key(OperatingMode m) {
  switch (m) {
    case OperatingMode::kGovernment: return "government";
    case OperatingMode::kCompany: return "company";
    case OperatingMode::kPpp: return "ppp";
  }
  return "?";
}

void StaticData::build_indexes() {
  const std::size_t n = counties.size();
  enclaves_of_source.assign(n, {});
  enclaves_of_host.assign(n, {});
  enclave_hosts_of.assign(n, {});
  for (std::size_t e = 0; e < enclaves.size(); ++e) {
    const auto& spec = enclaves[e];
    enclaves_of_source[spec.source].push_back(static_cast<EnclaveIdx>(e));
    enclaves_of_host[spec.host].push_back(static_cast<EnclaveIdx>(e));
    auto& hosts = enclave_hosts_of[spec.source];
    if (std::find(hosts.begin(), hosts.end(), spec.host) == hosts.end()) hosts.push_back(spec.host);
  }
}

}  // namespace feidi
