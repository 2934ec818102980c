// Conservation over long runs: every week, kg and NOK in = kg and NOK out.
//
// Tolerance: each checked quantity is a few floating-point operations (products,
// differences, sums over < 100 agents) away from the other side, so the rounding
// error is ~1e-14 relative; 1e-9 relative (with a floor of 1 kg or 1 NOK) is far
// above rounding yet far below any real leak (a lost gram in a kitchen's week).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>

#include "sim/model.h"
#include "sim/scenario.h"
#include "sim/simulation.h"
#include "tests/support/sim_test_support.h"

namespace lokalmat {
namespace {

constexpr double kRel = 1e-9;

// collects the first violations instead of flooding the log with thousands
class Violations {
 public:
  void check(bool ok, int week, const std::string& what) {
    if (ok) return;
    ++count_;
    if (count_ <= 12) ADD_FAILURE() << "week " << week << ": " << what;
  }
  [[nodiscard]] int count() const { return count_; }

 private:
  int count_ = 0;
};

std::string fmt2(const char* what, double a, double b) {
  std::ostringstream o;
  o.precision(17);
  o << what << ": " << a << " vs " << b;
  return o.str();
}

bool in01(double x) { return x >= 0.0 && x <= 1.0; }

// every weekly invariant, checked on the state after a step and its report
void check_week(const Params& p, const State& s, const WeekReport& r, Violations& v) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const int k = r.week;
  const double sn = p.wholesaler.short_notice_premium;

  // kitchens: demand = local + wholesale; fallback = accepted - delivered; wholesale spend priced consistently
  double local_nok_buyers = 0;
  std::vector<double> local_kg_cat(C, 0.0);
  for (std::size_t b = 0; b < p.buyers.size(); ++b)
    for (std::size_t c = 0; c < C; ++c) {
      const std::size_t bc = b * C + c;
      const auto& bu = s.buyers;
      const std::string id = " buyer " + std::to_string(b) + " " + p.categories[c].name;
      v.check(test::near_relative(bu.demand_kg[bc], bu.local_kg[bc] + bu.wholesale_kg[bc], kRel), k,
              fmt2(("demand != local + wholesale" + id).c_str(), bu.demand_kg[bc], bu.local_kg[bc] + bu.wholesale_kg[bc]));
      // short-notice fallback = accepted - delivered (what the platform could not accept is bought at list price)
      const int hub = s.buyer_market[b];
      const double accepted =
          hub >= 0 ? bu.local_order_kg[bc] * s.markets.accept_ratio[static_cast<std::size_t>(hub) * C + c] : 0.0;
      v.check(test::near_relative(bu.fallback_kg[bc], accepted - bu.local_kg[bc], kRel), k,
              fmt2(("fallback != accepted - delivered" + id).c_str(), bu.fallback_kg[bc], accepted - bu.local_kg[bc]));
      v.check(bu.local_kg[bc] >= 0 && bu.local_kg[bc] <= bu.local_order_kg[bc] * (1 + 1e-12) + 1e-12, k,
              fmt2(("local kg outside [0, ordered]" + id).c_str(), bu.local_kg[bc], bu.local_order_kg[bc]));
      v.check(bu.local_order_kg[bc] <= bu.demand_kg[bc] * (1 + 1e-12) + 1e-12, k,
              fmt2(("local order above demand" + id).c_str(), bu.local_order_kg[bc], bu.demand_kg[bc]));
      v.check(bu.wholesale_kg[bc] >= -1e-9 && bu.fallback_kg[bc] >= -1e-9, k, "negative wholesale or fallback kg" + id);
      const double wp = p.categories[c].wholesale_price_nok_per_kg * s.price_index;
      const double expect_nok = (bu.wholesale_kg[bc] - bu.fallback_kg[bc]) * wp + bu.fallback_kg[bc] * wp * (1.0 + sn);
      v.check(test::near_relative(bu.wholesale_nok[bc], expect_nok, kRel), k,
              fmt2(("wholesale NOK inconsistent" + id).c_str(), bu.wholesale_nok[bc], expect_nok));
      v.check(bu.local_nok[bc] >= 0 && (bu.local_kg[bc] > 0 || bu.local_nok[bc] == 0), k, "local NOK without kg" + id);
      local_nok_buyers += bu.local_nok[bc];
      local_kg_cat[c] += bu.local_kg[bc];
    }

  // money: what kitchens pay locally = farms' income + processors' cost per kg of what they
  // delivered (flour through a mill) + hubs' fees
  double income = 0, fees = 0, processing = 0;
  for (double x : s.producers.income_week_nok) income += x;
  for (double x : s.markets.fee_income_nok) fees += x;
  for (std::size_t kc = 0; kc < s.channels.delivered_kg.size(); ++kc) {
    const CategoryParams& cat = p.categories[kc % C];
    if (cat.local_route == LocalRoute::processor)
      processing += s.channels.delivered_kg[kc] * cat.processing_cost_nok_per_kg * s.price_index;
  }
  v.check(test::near_relative(local_nok_buyers, income + processing + fees, kRel), k,
          fmt2("local NOK != farm income + processing + hub fees", local_nok_buyers, income + processing + fees));

  // kg through the hubs: delivered by farms = received by kitchens, per category; handled <= capacity
  const auto& ch = s.channels;
  std::vector<double> delivered_cat(C, 0.0);
  for (std::size_t kk = 0; kk < ch.producer.size(); ++kk)
    for (std::size_t c = 0; c < C; ++c) {
      const std::size_t kc = kk * C + c;
      delivered_cat[c] += ch.delivered_kg[kc];
      v.check(ch.delivered_kg[kc] >= 0 && ch.delivered_kg[kc] <= ch.sold_kg[kc] * (1 + 1e-12) + 1e-12 &&
                  ch.sold_kg[kc] <= ch.offer_kg[kc] * (1 + 1e-12) + 1e-12,
              k, "channel " + std::to_string(kk) + " delivered > sold or sold > offered");
      v.check(in01(ch.offer_share[kc]), k, "offer share outside [0, 1]");
      for (double st : ch.sellthrough[kc]) v.check(st >= 0 && st <= 1 + 1e-12, k, "sell-through outside [0, 1]");
    }
  for (std::size_t c = 0; c < C; ++c)
    v.check(test::near_relative(local_kg_cat[c], delivered_cat[c], kRel), k,
            fmt2(("kitchens' local kg != farms' delivered kg " + p.categories[c].name).c_str(), local_kg_cat[c],
                 delivered_cat[c]));
  for (std::size_t h = 0; h < s.markets.municipality.size(); ++h) {
    double sold = 0;
    for (std::uint32_t kk : s.markets.channels[h])
      for (std::size_t c = 0; c < C; ++c) sold += ch.sold_kg[kk * C + c];
    v.check(test::near_relative(sold, s.markets.handled_kg[h], kRel), k,
            fmt2("hub sold != handled", sold, s.markets.handled_kg[h]));
    v.check(s.markets.handled_kg[h] <= s.markets.capacity_kg[h] * (1 + 1e-12) + 1e-9, k,
            fmt2("hub handled > capacity", s.markets.handled_kg[h], s.markets.capacity_kg[h]));
    v.check(in01(s.markets.handle_ratio[h]), k, "handle ratio outside [0, 1]");
    for (std::size_t c = 0; c < C; ++c) {
      v.check(in01(s.markets.accept_ratio[h * C + c]), k, "accept ratio outside [0, 1]");
      v.check(in01(s.markets.deliver_ratio[h * C + c]), k, "deliver ratio outside [0, 1]");
      v.check(in01(s.markets.organic_ratio[h * C + c]), k, "organic ratio outside [0, 1]");
    }
  }

  // farms: stocks and availability never negative; offers over all channels within what is available
  const auto& pr = s.producers;
  for (std::size_t i = 0; i < p.producers.size(); ++i)
    for (std::size_t c = 0; c < C; ++c) {
      const std::size_t ic = i * C + c;
      v.check(pr.stock_kg[ic] >= 0 && pr.available_kg[ic] >= 0 && pr.harvest_kg[ic] >= 0, k,
              fmt2(("negative stock/available " + p.categories[c].name).c_str(), pr.stock_kg[ic], pr.available_kg[ic]));
      double offered = 0;
      for (std::uint32_t kk = pr.channel_begin[i]; kk < pr.channel_begin[i + 1]; ++kk) offered += ch.offer_kg[kk * C + c];
      v.check(offered <= pr.available_kg[ic] * (1 + 1e-12) + 1e-12, k, fmt2("offered > available", offered, pr.available_kg[ic]));
    }
  for (std::size_t i = 0; i < p.producers.size(); ++i)
    v.check(pr.income_week_nok[i] >= 0 && pr.waste_week_kg[i] >= -1e-9, k, "negative income or waste");

  // kitchens, workers and policy: shares in [0, 1], hours non-negative
  for (double x : s.buyers.satisfaction) v.check(in01(x), k, "satisfaction outside [0, 1]");
  for (double x : s.policy.backing) v.check(in01(x), k, "backing outside [0, 1]");
  for (std::size_t w = 0; w < s.workers.skill.size(); ++w)
    v.check(in01(s.workers.skill[w]) && s.workers.hours_week[w] >= 0, k, "skill outside [0, 1] or negative hours");

  // the report agrees with the state: its cells sum to the agents' flows
  const GroupSums all = group_sums(r, -1, -1, -1);
  double demand = 0, wholesale_nok = 0;
  for (double x : s.buyers.demand_kg) demand += x;
  for (double x : s.buyers.wholesale_nok) wholesale_nok += x;
  v.check(test::near_relative(all.flow.demand_kg, demand, kRel), k, fmt2("report demand", all.flow.demand_kg, demand));
  v.check(test::near_relative(all.flow.local_nok, local_nok_buyers, kRel), k,
          fmt2("report local NOK", all.flow.local_nok, local_nok_buyers));
  v.check(test::near_relative(all.flow.wholesale_nok, wholesale_nok, kRel), k,
          fmt2("report wholesale NOK", all.flow.wholesale_nok, wholesale_nok));
  v.check(test::near_relative(all.flow.demand_kg, all.flow.local_kg + all.flow.wholesale_kg, kRel), k,
          "report demand != local + wholesale");
  v.check(test::near_relative(r.muni_total.hub_fee_nok, fees, kRel), k, "report hub fees");

  // every fraction-valued metric, in total, per category and per buyer type: NaN (undefined) or in [0, 1]
  for (const MetricDef& m : weekly_metrics()) {
    if (m.units != "fraction" && m.units != "0-1") continue;
    auto ok = [&](const GroupSums& g, const std::string& where) {
      const double x = m.eval(g);
      v.check(std::isnan(x) || (x >= -1e-12 && x <= 1 + 1e-12), k, std::string(m.name) + " = " + std::to_string(x) + where);
    };
    ok(all, "");
    if (m.scope == MetricScope::flow)
      for (int c = 0; c < r.n_categories; ++c) ok(group_sums(r, -1, -1, c), " category " + std::to_string(c));
    if (m.scope != MetricScope::muni)
      for (int t = 0; t < kBuyerTypes; ++t) ok(group_sums(r, -1, t, -1), " type " + std::to_string(t));
  }
}

// how often each rationing branch was exercised during a run
struct Coverage {
  double local_kg = 0;       // kg through the local channels
  int offer_rationed = 0;    // hub-category-weeks with accept_ratio < 1
  int capacity_rationed = 0; // hub-weeks with handle_ratio < 1
  int short_delivered = 0;   // hub-category-weeks with deliver_ratio < 1
};

Coverage run_and_check(const Params& p, int weeks) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  Simulation sim(p);
  Violations v;
  Coverage cov;
  for (int k = 0; k < weeks; ++k) {
    sim.step();
    const State& s = sim.state();
    check_week(p, s, sim.report(), v);
    cov.local_kg += sim.report().muni_total.hub_throughput_kg;
    for (std::size_t h = 0; h < s.markets.municipality.size(); ++h) {
      cov.capacity_rationed += s.markets.handled_kg[h] > 0 && s.markets.handle_ratio[h] < 1 ? 1 : 0;
      for (std::size_t c = 0; c < C; ++c) {
        const std::size_t hc = h * C + c;
        cov.offer_rationed += s.markets.ordered_kg[hc] > 0 && s.markets.accept_ratio[hc] < 1 ? 1 : 0;
        cov.short_delivered += s.markets.deliver_ratio[hc] > 0 && s.markets.deliver_ratio[hc] < 1 ? 1 : 0;
      }
    }
  }
  EXPECT_EQ(v.count(), 0) << "violations in total";
  // the run did move food through the local channel, so the checks had something to check
  EXPECT_GT(cov.local_kg, 0.0);
  std::printf("coverage: %.0f kg local, %d offer-rationed, %d capacity-rationed, %d short-delivered\n", cov.local_kg,
              cov.offer_rationed, cov.capacity_rationed, cov.short_delivered);
  return cov;
}

// Horten over ten years
TEST(Conservation, HortenTenYearsEveryWeek) {
  const Params p = test::load_shipped("scenarios/horten.toml");
  ASSERT_EQ(p.weeks, 520);
  run_and_check(p, p.weeks);
}

// three municipalities whose farms serve more than one hub: the same accounting across hubs
TEST(Conservation, RegionTenYearsEveryWeek) {
  const Params p = load_scenario_text(test::region_toml(), "region.toml").params;
  ASSERT_EQ(p.weeks, 520);
  State s;
  init_state(p, s);
  std::size_t multi = 0;
  for (std::size_t i = 0; i < p.producers.size(); ++i)
    multi += s.producers.channel_begin[i + 1] - s.producers.channel_begin[i] >= 2 ? 1 : 0;
  ASSERT_GT(multi, 0u) << "no farm serves two hubs";
  const Coverage cov = run_and_check(p, p.weeks);
  // every rationing branch was taken, so its accounting was checked
  EXPECT_GT(cov.offer_rationed, 0);
  EXPECT_GT(cov.capacity_rationed, 0);
  EXPECT_GT(cov.short_delivered, 0);
}

}  // namespace
}  // namespace lokalmat
