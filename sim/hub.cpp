#include "sim/hub.h"

#include <algorithm>

namespace lokalmat {

double worker_productivity(const DayCentreParams& d, double skill) {
  return d.productivity_kg_per_hour * (1.0 + d.skill_productivity_gain * (skill - 0.5));
}

double planned_capacity_kg(const MunicipalityParams& mp, const State& s, std::size_t h) {
  const DayCentreParams& d = mp.day_centre;
  double kg = 0;
  for (std::uint32_t w : s.workers.centre_workers[h]) {
    if (s.workers.status[w] != WorkerStatus::active) continue;
    kg += s.workers.attendance[w] * d.open_days_per_week * d.hours_per_day * worker_productivity(d, s.workers.skill[w]);
  }
  const double vehicle_kg = mp.hub.vehicle_capacity_kg * mp.hub.delivery_days_per_week * mp.hub.trips_per_delivery_day;
  const double volunteers_kg = mp.policy.volunteers * mp.policy.volunteer_hours_per_week * d.productivity_kg_per_hour;
  return std::min(kg + volunteers_kg, vehicle_kg) + mp.hub.courier_kg_per_week;
}

}  // namespace lokalmat
