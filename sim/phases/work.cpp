// Work: at each day centre, participants attend open days with their own probability;
// the week's handling goes in quarter-hour blocks to those present, least cumulative
// hours first (ties by id), so fairness is an outcome; what they cannot handle goes to
// volunteers, a courier, then staff. Skills grow with hours and decay when idle;
// contacts count the farms and kitchens met; participants move on to adapted or
// ordinary work, or drop out, and the waiting list fills the places.
#include <algorithm>
#include <cmath>
#include <queue>
#include <vector>

#include "sim/hub.h"
#include "sim/parallel.h"
#include "sim/phases/phases.h"
#include "sim/rng.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

// hours go out in blocks of a quarter of an hour
constexpr double kHourBlock = 0.25;
// kg and hours below these count as nothing left (rounding of the block arithmetic)
constexpr double kKgLeftEpsilon = 1e-9;
constexpr double kHoursLeftEpsilon = 1e-12;

void insert_sorted_unique(std::vector<std::uint32_t>& v, std::uint32_t x) {
  auto it = std::lower_bound(v.begin(), v.end(), x);
  if (it == v.end() || *it != x) v.insert(it, x);
}

// attendance: open days drawn one by one (a half day counts half); hours each participant can
// work this week, by position in the centre's list
std::vector<double> attend(const Params& p, State& s, std::size_t h, const DayCentreParams& d) {
  auto& wk = s.workers;
  const auto& ids = wk.centre_workers[h];
  std::vector<double> available(ids.size(), 0.0);
  const double full_days = std::floor(d.open_days_per_week);
  const double part_day = d.open_days_per_week - full_days;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const std::uint32_t w = ids[i];
    wk.hours_week[w] = 0;
    Rng rng(p.seed, Stream::attendance, w, static_cast<std::uint64_t>(s.week));
    const int days = rng.binomial(static_cast<int>(full_days), wk.attendance[w]);
    const double part = rng.bernoulli(wk.attendance[w]) ? part_day : 0.0;
    if (wk.status[w] == WorkerStatus::active) available[i] = (days + part) * d.hours_per_day;
  }
  return available;
}

// the hub's kg go in blocks to those present, least hours so far first, ties by id; returns the
// kg the participants could not handle
double hand_out_hours(State& s, std::size_t h, const DayCentreParams& d, std::vector<double>& available) {
  auto& wk = s.workers;
  const auto& ids = wk.centre_workers[h];
  double kg_left = s.markets.handled_kg[h];
  using Entry = std::pair<double, std::uint32_t>;  // (hours so far, position)
  std::priority_queue<Entry, std::vector<Entry>, std::greater<>> queue;
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (available[i] > 0) queue.emplace(wk.hours_total[ids[i]], static_cast<std::uint32_t>(i));
  while (kg_left > kKgLeftEpsilon && !queue.empty()) {
    const auto [hours, i] = queue.top();
    queue.pop();
    const std::uint32_t w = ids[i];
    const double prod = worker_productivity(d, wk.skill[w]);
    const double block = std::min({kHourBlock, available[i], kg_left / prod});
    wk.hours_week[w] += block;
    available[i] -= block;
    kg_left -= block * prod;
    if (available[i] > kHoursLeftEpsilon) queue.emplace(hours + block, i);
  }
  return kg_left;
}

// what participants could not handle goes to volunteers, the courier if there is one, and then to staff
void cover_shortfall(const MunicipalityParams& mp, State& s, std::size_t h, double kg_left) {
  auto& mkt = s.markets;
  const DayCentreParams& d = mp.day_centre;
  const PolicyParams& pol = mp.policy;
  const double volunteer_kg =
      std::min(std::max(0.0, kg_left), pol.volunteers * pol.volunteer_hours_per_week * d.productivity_kg_per_hour);
  mkt.volunteer_hours[h] = volunteer_kg / d.productivity_kg_per_hour;
  kg_left -= volunteer_kg;
  mkt.courier_kg[h] = std::min(std::max(0.0, kg_left), mp.hub.courier_kg_per_week);
  kg_left -= mkt.courier_kg[h];
  mkt.staff_extra_hours[h] = kg_left > kKgLeftEpsilon ? kg_left / d.productivity_kg_per_hour : 0.0;
}

// the week's stops: farms that sold, then kitchens served (their ids with the kitchen bit)
std::vector<std::uint32_t> week_stops(const Params& p, const State& s, std::size_t h) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const auto& mkt = s.markets;
  std::vector<std::uint32_t> stops;
  for (std::uint32_t k : mkt.channels[h]) {
    double kg = 0;
    for (std::size_t c = 0; c < C; ++c) kg += s.channels.sold_kg[k * C + c];
    if (kg > 0) stops.push_back(s.channels.producer[k]);
  }
  if (mkt.handle_ratio[h] > 0)
    for (std::uint32_t b : mkt.buyers[h]) {
      double kg = 0;
      for (std::size_t c = 0; c < C; ++c) kg += s.buyers.local_order_kg[b * C + c] * mkt.accept_ratio[h * C + c];
      if (kg > 0) stops.push_back(b | kKitchenContactBit);
    }
  return stops;
}

// skills grow with hours (learning curve) and decay when idle; contacts from the stops worked
void learn_and_meet(State& s, std::size_t h, const DayCentreParams& d, const std::vector<std::uint32_t>& stops) {
  auto& wk = s.workers;
  std::size_t cursor = 0;
  for (std::uint32_t w : wk.centre_workers[h]) {
    const double hrs = wk.hours_week[w];
    wk.hours_total[w] += hrs;
    if (hrs > 0) {
      wk.skill[w] = std::min(1.0, wk.skill[w] + d.learning_per_hour * hrs * (1.0 - wk.skill[w]));
      const auto n_stops = static_cast<std::size_t>(std::ceil(hrs / d.hours_per_stop));
      for (std::size_t j = 0; j < n_stops && !stops.empty(); ++j, ++cursor)
        insert_sorted_unique(wk.contacts[w], stops[cursor % stops.size()]);
    } else {
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
    const DayCentreParams& d = mp.day_centre;
    std::vector<double> available = attend(p, s, h, d);
    cover_shortfall(mp, s, h, hand_out_hours(s, h, d, available));
    learn_and_meet(s, h, d, week_stops(p, s, h));
    move_on(p, s, h, d);
  });
}

}  // namespace lokalmat
