// purpose.hpp — why the model draws a random number: the stream number of each use.
//
// The engine's Rng is keyed by (seed, step, agent, stream); the model gives every use
// its own stream so that draws never overlap. The numbers are part of the results:
// never renumber or reuse one (append new purposes at the end).
#pragma once

#include <cstdint>

namespace feidi {

// Why a number is drawn; part of the counter so streams never overlap.
enum class Purpose : std::uint32_t {
  kInit = 1,
  kInitPerson,
  kInitFirm,
  kInitVillage,
  kInitGovernment,
  kMigrationHazard,
  kMigrationChoice,
  kJobMatch,
  kFirmRelocateHazard,
  kFirmRelocateChoice,
  kVillageJoin,
  kLeaderTurnover,
  kLeaderPriority,
  kUnderwrite,
  kIncubation,
  kGraduation,
  kFirmEntry,
  kSchedule,
  kLayoff,
  kFirmSchedule,
  kEnclaveHire,     // priority among applicants for an enclave's vacancies
  kEnclaveShed,     // which commuters an enclave sheds when its jobs fall below them
  kTalentReturn,    // which talent moves home with an industrialised sci-tech project
  kPoolTerms,       // the funds a village puts into a pool
  kVillageRelief,   // a weak village receiving the province-wide relief programme
  kTest = 1000,
};

constexpr std::uint32_t stream_of(Purpose p) { return static_cast<std::uint32_t>(p); }

}  // namespace feidi
