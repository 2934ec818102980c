#pragma once
// The one way the phases run a loop over agents in parallel. Each body writes only
// the slots of the agent it is given, so the result does not depend on how oneTBB
// splits the range (STYLE.md: propose in parallel, commit in order).
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>

#include <cstddef>

namespace lokalmat {

// agents per task: agents are cheap, and the split does not affect results
inline constexpr std::size_t kAgentGrain = 16;

template <class F>
void parallel_over(std::size_t n, F&& body) {
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, kAgentGrain), [&](const tbb::blocked_range<std::size_t>& r) {
    for (std::size_t i = r.begin(); i != r.end(); ++i) body(i);
  });
}

}  // namespace lokalmat
