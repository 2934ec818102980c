// Work: at each day centre the hub's week is its tasks (sim/hub.h): stops at farms and
// kitchens, driving the route, packing, platform work. They go out in shifts on delivery
// days, each at least shift_hours_min long, one a day to each participant present, least
// cumulative hours first (ties by id), so that with more participants than work some wait and
// fairness is an outcome; what they cannot cover goes to volunteers, a courier, then staff.
// Skills grow with hours and decay when idle; contacts are the stops of one's shifts;
// participants move on to adapted or ordinary work, or drop out, and the waiting list fills
// the places.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "sim/hub.h"
#include "sim/parallel.h"
#include "sim/phases/phases.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

// hours of standard-pace work below this count as nothing left (rounding)
constexpr double kHoursLeftEpsilon = 1e-9;

void insert_sorted_unique(std::vector<std::uint32_t>& v, std::uint32_t x) {
  auto it = std::lower_bound(v.begin(), v.end(), x);
  if (it == v.end() || *it != x) v.insert(it, x);
}

// attendance: for each participant, present or not on each delivery day worked (the centre's
// list order x days); only active participants can be present
std::vector<std::vector<bool>> attend(const Params& p, State& s, std::size_t h, std::size_t days) {
  auto& wk = s.workers;
  const auto& ids = wk.centre_workers[h];
  std::vector<std::vector<bool>> present(days, std::vector<bool>(ids.size(), false));
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::uint32_t w = ids[i];
    wk.hours_week[w] = 0;
    Rng rng(p.seed, Stream::attendance, w, static_cast<std::uint64_t>(s.week));
    for (std::size_t j = 0; j < days; ++j) {
      const bool here = rng.bernoulli(wk.attendance[w]);
      present[j][i] = here && wk.status[w] == WorkerStatus::active;
    }
  }
  return present;
}

// a day's shift length for `hours` of work: as many shifts as keep each at least the minimum
// length and at most a day's hours, and never shorter than the minimum (a short day is one
// shift of the minimum length)
double shift_length(const DayCentreParams& d, double hours) {
  const double longest = d.hours_per_day;
  const double shortest = std::min(d.shift_hours_min, longest);
  const double n = std::max({1.0, std::floor(hours / shortest), std::ceil(hours / longest)});
  return std::clamp(hours / n, shortest, longest);
}

// the week's shifts: each delivery day carries its weight's part of the week's task hours; the
// participants present that day take one shift each, least cumulative hours first (ties by position),
// until the day's work is covered. A shift of s hours covers s standard hours of stops, driving
// and platform work and s x (own pace / standard pace) of packing, in the week's proportions.
// Returns each participant's covered standard hours; `left_total` gets the hours left uncovered
std::vector<double> hand_out_shifts(const MunicipalityParams& mp, State& s, std::size_t h, const HubTasks& tasks,
                                    const std::vector<std::vector<bool>>& present, double& left_total) {
  auto& wk = s.workers;
  const DayCentreParams& d = mp.day_centre;
  const auto& ids = wk.centre_workers[h];
  std::vector<double> covered(ids.size(), 0.0);
  const std::vector<double> days = work_days(mp);
  const double weight_sum = std::accumulate(days.begin(), days.end(), 0.0);
  const double week = tasks.hours();
  left_total = 0;
  if (week <= 0) return covered;
  if (weight_sum <= 0 || d.hours_per_day <= 0) {
    left_total = week;
    return covered;
  }
  const double packing_share = tasks.packing_hours / week;
  for (std::size_t j = 0; j < days.size(); ++j) {
    double left = week * days[j] / weight_sum;
    const double shift = shift_length(d, left);
    std::vector<std::uint32_t> order;
    for (std::size_t i = 0; i < ids.size(); ++i)
      if (present[j][i]) order.push_back(static_cast<std::uint32_t>(i));
    std::stable_sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
      return wk.hours_total[ids[a]] + wk.hours_week[ids[a]] < wk.hours_total[ids[b]] + wk.hours_week[ids[b]];
    });
    for (std::uint32_t i : order) {
      if (left <= kHoursLeftEpsilon) break;
      const std::uint32_t w = ids[i];
      const double pace = worker_productivity(d, wk.skill[w]) / d.productivity_kg_per_hour;
      const double covers = std::min(left, shift * (1.0 - packing_share + packing_share * pace));
      wk.hours_week[w] += shift;
      covered[i] += covers;
      left -= covers;
    }
    left_total += std::max(0.0, left);
  }
  return covered;
}

// what participants could not cover goes to volunteers (at standard pace), the courier if there
// is one (the kg the uncovered hours stand for), and then to staff
void cover_shortfall(const MunicipalityParams& mp, State& s, std::size_t h, const HubTasks& tasks, double left) {
  auto& mkt = s.markets;
  const PolicyParams& pol = mp.policy;
  mkt.volunteer_hours[h] = std::min(std::max(0.0, left), pol.volunteers * pol.volunteer_hours_per_week);
  left -= mkt.volunteer_hours[h];
  const double kg_per_hour = tasks.hours() > 0 ? tasks.kg / tasks.hours() : 0.0;
  mkt.courier_kg[h] = std::min(std::max(0.0, left) * kg_per_hour, mp.hub.courier_kg_per_week);
  if (kg_per_hour > 0) left -= mkt.courier_kg[h] / kg_per_hour;
  mkt.staff_extra_hours[h] = left > kHoursLeftEpsilon ? left : 0.0;
}

// skills grow with hours (learning curve) and decay when idle; each participant meets the stops
// of the part of the week's tours their shifts covered (the stops in tour order, farms then kitchens)
void learn_and_meet(State& s, std::size_t h, const DayCentreParams& d, const HubStops& stops, const HubTasks& tasks,
                    const std::vector<double>& covered) {
  auto& wk = s.workers;
  std::vector<std::uint32_t> visits(stops.farms);
  for (std::uint32_t b : stops.kitchens) visits.push_back(b | kKitchenContactBit);
  const double n_visits = tasks.tours * static_cast<double>(visits.size());
  const double week = tasks.hours();
  const auto& ids = wk.centre_workers[h];
  double done = 0;
  std::size_t cursor = 0;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::uint32_t w = ids[i];
    const double hrs = wk.hours_week[w];
    wk.hours_total[w] += hrs;
    if (hrs > 0) {
      wk.skill[w] = std::min(1.0, wk.skill[w] + d.learning_per_hour * hrs * (1.0 - wk.skill[w]));
      done += covered[i];
      const auto until = static_cast<std::size_t>(std::ceil(n_visits * std::min(1.0, done / week) - 1e-9));
      for (; cursor < until && !visits.empty(); ++cursor) insert_sorted_unique(wk.contacts[w], visits[cursor % visits.size()]);
    } else if (wk.status[w] == WorkerStatus::active) {
      // only participants lose skill when idle: the waiting list and those who left keep theirs
      wk.skill[w] *= 1.0 - d.skill_decay_per_idle_week;
    }
  }
}

// moves on: adapted work (VTA) and ordinary work grow likelier with skill; people without work drop
// out; places freed are filled from the waiting list, first come first served
void move_on(const Params& p, State& s, std::size_t h, const DayCentreParams& d) {
  auto& wk = s.workers;
  const auto& ids = wk.centre_workers[h];
  int freed = 0;
  for (std::uint32_t w : ids) {
    wk.moved_week[w] = WorkerMove::none;
    if (wk.status[w] != WorkerStatus::active) continue;
    Rng rng(p.seed, Stream::moves, w, static_cast<std::uint64_t>(s.week));
    const double u = rng.uniform();
    const double p_vta = d.vta_per_year / kWeeksPerYear * wk.skill[w];
    const double p_work = d.work_per_year / kWeeksPerYear * wk.skill[w] * wk.skill[w];
    const double p_drop = wk.hours_week[w] > 0 ? 0.0 : d.dropout_per_year / kWeeksPerYear;
    if (u < p_vta) wk.status[w] = WorkerStatus::moved_vta, wk.moved_week[w] = WorkerMove::to_vta;
    else if (u < p_vta + p_work) wk.status[w] = WorkerStatus::moved_work, wk.moved_week[w] = WorkerMove::to_work;
    else if (u < p_vta + p_work + p_drop)
      wk.status[w] = WorkerStatus::dropped_out, wk.moved_week[w] = WorkerMove::dropped_out;
    if (wk.moved_week[w] != WorkerMove::none) ++freed;
  }
  for (std::uint32_t w : ids) {
    if (freed == 0) break;
    if (wk.status[w] != WorkerStatus::waiting) continue;
    wk.status[w] = WorkerStatus::active;
    wk.moved_week[w] = WorkerMove::placed;
    --freed;
  }
}

}  // namespace

void assign_work(const Params& p, State& s) {
  auto& mkt = s.markets;
  parallel_over(mkt.municipality.size(), [&](std::size_t h) {
    mkt.staff_extra_hours[h] = 0;
    mkt.courier_kg[h] = 0;
    mkt.volunteer_hours[h] = 0;
    if (mkt.kind[h] != MarketKind::platform) return;  // farms deliver direct sales themselves
    const MunicipalityParams& mp = p.municipalities[mkt.municipality[h]];
    const HubStops stops = hub_stops(p, s, h, false);
    const HubTasks tasks = hub_tasks(p, mp, stops, mkt.handled_kg[h]);
    const auto present = attend(p, s, h, work_days(mp).size());
    double left = 0;
    const std::vector<double> covered = hand_out_shifts(mp, s, h, tasks, present, left);
    cover_shortfall(mp, s, h, tasks, left);
    learn_and_meet(s, h, mp.day_centre, stops, tasks, covered);
    move_on(p, s, h, mp.day_centre);
  });
}

}  // namespace lokalmat
