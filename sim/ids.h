#pragma once
// Stable, typed agent ids. An id is the agent's index in its structure-of-arrays
// store; ids never change during a run, so tie-breaks "by id" are reproducible.
#include <compare>
#include <cstdint>

namespace lokalmat {

template <class Tag>
struct Id {
  std::uint32_t index = 0;
  constexpr auto operator<=>(const Id&) const = default;
};

using ProducerId = Id<struct ProducerTag>;
using BuyerId = Id<struct BuyerTag>;
using WorkerId = Id<struct WorkerTag>;
using MunicipalityId = Id<struct MunicipalityTag>;
using HubId = Id<struct HubTag>;
using CategoryId = Id<struct CategoryTag>;

}  // namespace lokalmat
