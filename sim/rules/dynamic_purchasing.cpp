// dynamic_purchasing (MODEL.md §4; FOA §§26-4 to 26-7): the municipality sets up a
// dynamic purchasing system that farms may qualify for in any week, not only at a
// yearly review. Each week's call-off is a mini-competition among the qualified
// farms, placed call_off_lead_weeks ahead (at least 10 days to bid: two weeks):
// units order from what the farms offered then, and the cheapest farms supply first.
// A call-off that is not supplied is a failed delivery, bought at short notice.
#include <algorithm>

#include "sim/farm.h"
#include "sim/parallel.h"
#include "sim/rules/rules.h"

namespace lokalmat {

namespace dynamic_purchasing {

namespace {
// the slot of the offers posted call_off_lead_weeks ago: (week - lead) mod (lead + 1)
std::size_t call_off_slot(const Params& p, const State& s) {
  const int lead = p.procurement.call_off_lead_weeks;
  return static_cast<std::size_t>((s.week + 1) % (lead + 1));
}
}  // namespace

double call_off_kg(const Params& p, const State& s, std::size_t h, std::size_t c) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  return s.week >= p.procurement.call_off_lead_weeks ? s.markets.offer_history[call_off_slot(p, s)][h * C + c] : 0.0;
}

double call_off_price(const Params& p, const State& s, std::size_t h, std::size_t c) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  return s.markets.price_history[call_off_slot(p, s)][h * C + c];
}

}  // namespace dynamic_purchasing

namespace {

// aware farms with a channel into a purchasing system may qualify in any week
void qualify_farms(const Params& p, State& s) {
  auto& pr = s.producers;
  std::vector<std::uint32_t> aware;
  for (std::size_t i = 0; i < p.producers.size(); ++i) {
    if (pr.status[i] != FarmStatus::aware) continue;
    bool dps = false;
    for (std::uint32_t k = pr.channel_begin[i]; k < pr.channel_begin[i + 1]; ++k) dps = dps || s.markets.dps[s.channels.market[k]];
    if (dps) aware.push_back(static_cast<std::uint32_t>(i));
  }
  for (std::uint32_t i : farms_that_join(p, s, aware)) pr.event_week[i] = FarmEvent::joined;
  parallel_over(p.producers.size(), [&](std::size_t i) {
    if (pr.event_week[i] == FarmEvent::joined) enter_channel(p, s, i);
  });
}

// call-offs are mini-competitions: the cheapest qualified farms supply first (ties by farm id)
bool allocate_call_offs(const Params& p, State& s, std::size_t h) {
  if (!s.markets.dps[h]) return false;
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  auto& mkt = s.markets;
  auto& ch = s.channels;
  std::vector<std::uint32_t> ranked;
  for (std::size_t c = 0; c < C; ++c) {
    ranked = mkt.channels[h];  // ascending farm id
    std::stable_sort(ranked.begin(), ranked.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return ch.price[a * C + c] < ch.price[b * C + c]; });
    double left = mkt.ordered_kg[h * C + c] * mkt.accept_ratio[h * C + c] * mkt.handle_ratio[h];
    for (std::uint32_t k : ranked) {
      ch.sold_kg[k * C + c] = std::min(ch.offer_kg[k * C + c], left);
      left -= ch.sold_kg[k * C + c];
    }
  }
  return true;
}

}  // namespace

namespace rules {
const RuleHooks dynamic_purchasing_hooks = {.farms_join_midseason = qualify_farms, .allocate_sales = allocate_call_offs};
}  // namespace rules

}  // namespace lokalmat
