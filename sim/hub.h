#pragma once
// The hub and its day centre (MODEL.md §3 "Hub", "Day-centre worker"): how much a
// participant handles in an hour, and how much the hub can handle in a week.
#include <cstddef>

#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat {

// productivity of a participant, kg per hour: productivity x (1 + gain x (skill - 0.5))
double worker_productivity(const DayCentreParams& d, double skill);
// the hub's handling capacity this week from the expected attendance of its participants and
// its volunteers, bounded by vehicle capacity and trips, plus any courier, kg
double planned_capacity_kg(const MunicipalityParams& mp, const State& s, std::size_t h);

}  // namespace lokalmat
