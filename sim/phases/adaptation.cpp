// Adaptation (Krejci et al.): kitchens' satisfaction with the local channel follows how
// their orders came (trust makes a partial delivery easier to bear); farms adapt the
// share they offer, per product: sold out -> offer more; much unsold -> fall back to
// the weighted sell-through of the last three cycles.
#include <algorithm>

#include "sim/parallel.h"
#include "sim/phases/phases.h"
#include "sim/world.h"

namespace lokalmat {

namespace {

void update_satisfaction(const Params& p, State& s) {
  const BehaviourParams& be = p.behaviour;
  parallel_over(p.buyers.size(), [&](std::size_t b) {
    double& sat = s.buyers.satisfaction[b];
    const double trust = s.policy.trust[static_cast<std::size_t>(p.buyers[b].municipality)];
    switch (s.buyers.delivery_outcome[b]) {
      case DeliveryOutcome::full: sat += be.satisfaction_full; break;
      case DeliveryOutcome::partial: sat += be.satisfaction_partial * (1.0 - trust); break;
      case DeliveryOutcome::nothing: sat += be.satisfaction_none; break;
      case DeliveryOutcome::no_order: break;
    }
    sat = clamp01(sat);
  });
}

void update_offer_shares(const Params& p, State& s) {
  const std::size_t C = static_cast<std::size_t>(p.n_categories());
  const BehaviourParams& be = p.behaviour;
  auto& ch = s.channels;
  parallel_over(p.producers.size(), [&](std::size_t i) {
    for (std::uint32_t k = s.producers.channel_begin[i]; k < s.producers.channel_begin[i + 1]; ++k)
      for (std::size_t c = 0; c < C; ++c) {
        const std::size_t kc = k * C + c;
        const double offered = ch.offer_kg[kc];
        if (offered <= 0) continue;  // no cycle this week
        auto& hist = ch.sellthrough[kc];
        hist = {ch.sold_kg[kc] / offered, hist[0], hist[1]};
        double& share = ch.offer_share[kc];
        if (hist[0] >= kSoldOutShare) {
          share = std::min(1.0, share * (1.0 + be.offer_growth));
        } else if (hist[0] < be.sellthrough_low) {
          const double weighted = be.sellthrough_weights[0] * hist[0] + be.sellthrough_weights[1] * hist[1] +
                                  be.sellthrough_weights[2] * hist[2];
          share = std::max(be.offer_share_min, share * weighted);
        }
      }
  });
}

}  // namespace

void adapt(const Params& p, State& s) {
  update_satisfaction(p, s);
  update_offer_shares(p, s);
}

}  // namespace lokalmat
