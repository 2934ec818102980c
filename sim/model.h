#pragma once
// The model in one include: set-up, the weekly phases, and the questions the phases
// and rules ask of markets, hubs and the world. Each lives in its own header:
//   sim/setup.h          init_state
//   sim/phases/phases.h  one function per phase (sim/phases/*.cpp)
//   sim/market.h         whether markets take orders
//   sim/hub.h            hub capacity and participants' productivity
//   sim/world.h          distances, seasons, shared constants
//   sim/rules/rules.h    the framework agreement, the direct-purchase limit, call-offs
//   sim/rules/hooks.h    what each procurement rule does in the phases
#include "sim/hub.h"
#include "sim/market.h"
#include "sim/phases/phases.h"
#include "sim/rules/hooks.h"
#include "sim/rules/rules.h"
#include "sim/setup.h"
#include "sim/world.h"
