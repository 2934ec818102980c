#include "sim/hub.h"

#include <algorithm>
#include <cmath>

#include "sim/world.h"

namespace lokalmat {

double worker_productivity(const DayCentreParams& d, double skill) {
  return d.productivity_kg_per_hour * (1.0 + d.skill_productivity_gain * (skill - 0.5));
}

double van_tours(const HubParams& hp, double kg) {
  return hp.vehicle_capacity_kg > 0 ? std::max(1.0, std::ceil(kg / hp.vehicle_capacity_kg)) : 1.0;
}

HubStops hub_stops(const Params& p, const State& s, std::size_t h, bool planned) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const auto& mkt = s.markets;
  HubStops out;
  for (std::uint32_t k : mkt.channels[h]) {
    bool sells = false;
    for (std::size_t c = 0; c < C && !sells; ++c)
      sells = planned ? s.channels.offer_kg[k * C + c] > 0 && mkt.ordered_kg[h * C + c] * mkt.accept_ratio[h * C + c] > 0
                      : s.channels.sold_kg[k * C + c] > 0;
    if (sells) out.farms.push_back(s.channels.producer[k]);
  }
  if (!planned && mkt.handle_ratio[h] <= 0) return out;
  for (std::uint32_t b : mkt.buyers[h]) {
    int lines = 0;
    for (std::size_t c = 0; c < C; ++c) lines += s.buyers.local_order_kg[b * C + c] * mkt.accept_ratio[h * C + c] > 0;
    if (lines > 0) out.kitchens.push_back(b);
    out.order_lines += lines;
  }
  return out;
}

HubTasks hub_tasks(const Params& p, const MunicipalityParams& mp, const HubStops& stops, double kg) {
  const DayCentreParams& d = mp.day_centre;
  HubTasks t;
  t.kg = kg;
  if (stops.farms.empty() && stops.kitchens.empty()) return t;
  std::vector<Point> points;
  for (std::uint32_t i : stops.farms) points.push_back(p.producers[i].position);
  for (std::uint32_t b : stops.kitchens) points.push_back(p.buyers[b].position);
  t.tours = van_tours(mp.hub, kg);
  t.route_km = t.tours * tour_km(p.behaviour, mp.hub.position, points);
  t.stop_hours = t.tours * static_cast<double>(points.size()) * d.hours_per_stop;
  t.driving_hours = t.route_km / mp.hub.van_speed_km_per_hour;
  t.packing_hours = kg / d.productivity_kg_per_hour;
  t.platform_hours = stops.order_lines * d.hours_per_order;
  return t;
}

std::vector<double> work_days(const MunicipalityParams& mp) {
  const double days = std::min(mp.hub.delivery_days_per_week, mp.day_centre.open_days_per_week);
  std::vector<double> weights(static_cast<std::size_t>(std::floor(days)), 1.0);
  if (const double part = days - std::floor(days); part > 0) weights.push_back(part);
  return weights;
}

double planned_capacity_kg(const Params& p, const MunicipalityParams& mp, const State& s, std::size_t h,
                           double accepted_kg) {
  const DayCentreParams& d = mp.day_centre;
  double days = 0;
  for (double w : work_days(mp)) days += w;
  // expected hours present on delivery days and the kg those hours pack, at each participant's pace
  double hours = 0, kg_at_pace = 0;
  for (std::uint32_t w : s.workers.centre_workers[h]) {
    if (s.workers.status[w] != WorkerStatus::active) continue;
    const double present = s.workers.attendance[w] * days * d.hours_per_day;
    hours += present;
    kg_at_pace += present * worker_productivity(d, s.workers.skill[w]);
  }
  const double volunteer_hours = mp.policy.volunteers * mp.policy.volunteer_hours_per_week;
  hours += volunteer_hours;
  kg_at_pace += volunteer_hours * d.productivity_kg_per_hour;
  const HubParams& hp = mp.hub;
  const double vehicle_kg = hp.vehicle_capacity_kg * hp.delivery_days_per_week * hp.trips_per_delivery_day;
  const HubTasks tasks = hub_tasks(p, mp, hub_stops(p, s, h, true), std::min(accepted_kg, vehicle_kg));
  const double pace = hours > 0 ? kg_at_pace / hours : 0.0;
  const double packing_kg = std::max(0.0, hours - tasks.fixed_hours()) * pace;
  return std::min(packing_kg, vehicle_kg) + hp.courier_kg_per_week;
}

}  // namespace lokalmat
