#pragma once
// Markets: a municipality's local channels (a platform with a hub, or direct purchase
// from farms), and whether they take orders this week.
#include <cstddef>

#include "sim/params.h"
#include "sim/state.h"

namespace lokalmat {

// where a market's food goes through: the hub's site for a platform, the municipality's centre
// for a direct market
Point market_site(const Params& p, const State& s, std::size_t h);
// whether the platform (hub) channel is open to the covered buyers of municipality m this week
bool local_channel_open(const Params& p, const State& s, int m);
// whether market h takes orders in general this week: a direct market, a purchasing system, or a
// platform whose exception (or quota) is open
bool market_open(const Params& p, const State& s, std::size_t h);
// ... or at least for the categories of a contract (lots, simple competition)
bool market_takes_orders(const Params& p, const State& s, std::size_t h);
// whether any unit market h serves has meals this week (not in its type's closed_weeks)
bool market_serves_this_week(const Params& p, const State& s, std::size_t h);
// whether buyer b may order from its local market this week
bool market_open_for(const Params& p, const State& s, std::size_t b);

}  // namespace lokalmat
