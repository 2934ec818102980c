#pragma once
// The hub and its day centre (MODEL.md §3 "Hub", "Day-centre worker"): the hub's week as
// tasks (stops at farms and kitchens, driving, packing, platform work), how much a
// participant handles in an hour, and how much the hub can handle in a week. The
// clearing phase plans capacity and the work phase hands out shifts from the same tasks.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat {

// the hub's fee per kg in this year's prices (the key is in start-year NOK, like every price)
inline double hub_fee_nok_per_kg(const MunicipalityParams& mp, const State& s) {
  return mp.hub.fee_nok_per_kg * s.price_index;
}

// where the hub's van stops this week: farms that sell through the hub and kitchens it serves
struct HubStops {
  std::vector<std::uint32_t> farms;     // producer ids, in channel order
  std::vector<std::uint32_t> kitchens;  // buyer ids, in the market's buyer order
  int order_lines = 0;                  // kitchen x category orders the platform handles
};

// the hub's week as tasks, in hours at a participant's standard pace (skill 0.5)
struct HubTasks {
  double tours = 0;           // van tours this week, each through every stop
  double route_km = 0;        // road km of those tours
  double kg = 0;              // kg picked, packed and delivered
  double stop_hours = 0;      // loading and handing over at farms and kitchens: tours x stops x hours per stop
  double driving_hours = 0;   // route km / van speed (a participant rides along)
  double packing_hours = 0;   // kg / productivity at skill 0.5
  double platform_hours = 0;  // order lines x hours per order
  // every task but packing: what the week costs whatever the kg
  double fixed_hours() const { return stop_hours + driving_hours + platform_hours; }
  double hours() const { return fixed_hours() + packing_hours; }
};

// productivity of a participant, kg per hour: productivity x (1 + gain x (skill - 0.5))
double worker_productivity(const DayCentreParams& d, double skill);
// van tours for `kg` in a week: one tour, or as many as the load needs
double van_tours(const HubParams& hp, double kg);

// the stops of the week at hub h: farms with sales accepted (planned: an offer in a category
// whose orders were accepted; otherwise: kg sold) and kitchens with local orders accepted
HubStops hub_stops(const Params& p, const State& s, std::size_t h, bool planned);
// the week's tasks for those stops and `kg` through the hub
HubTasks hub_tasks(const Params& p, const MunicipalityParams& mp, const HubStops& stops, double kg);

// delivery days the day centre works on (at most its open days) and their weights: 1 for a full
// day, the fraction for a part day
std::vector<double> work_days(const MunicipalityParams& mp);

// the hub's handling capacity this week, kg: the hours its participants are expected to be present
// on delivery days and its volunteers' hours, less the tasks that do not grow with kg (stops,
// driving, platform), at their packing pace; bounded by vehicle capacity and trips, plus any courier
double planned_capacity_kg(const Params& p, const MunicipalityParams& mp, const State& s, std::size_t h,
                           double accepted_kg);

}  // namespace lokalmat
