#pragma once
// Largest-remainder (Hamilton) apportionment, by which the region generator shares
// national counts out over municipalities (sim/region.cpp). Internal to lokalmat::scenario.
#include <cstdint>
#include <vector>

namespace lokalmat {

// largest-remainder (Hamilton) apportionment of `total` over `weights`: each gets
// the floor of its quota total x w / sum(w), and the units left over go to the
// largest remainders, ties to the earlier entry. The parts always sum to `total`
// (when some weight is positive).
std::vector<std::int64_t> apportion(std::int64_t total, const std::vector<double>& weights);

}  // namespace lokalmat
