#pragma once
// The rows of every section that fills a Params struct (sim/params.h): each struct's
// constructor applies them and the scenario loader reads them. Declared here, one
// section per struct, in
//   sim/schema/params_rows.cpp        run, behaviour, procurement, network, wholesaler, categories, buyer types
//   sim/schema/municipality_rows.cpp  municipalities and their policy, hub and day centre
//   sim/schema/agent_rows.cpp         producers and buyers
// Fields derived from keys without a field of their own (a category's harvest weights,
// the sectors involved) are computed by the functions below, for the defaults and for
// loaded scenarios alike.
#include <array>
#include <string_view>

#include "sim/params.h"
#include "sim/schema/key_row.h"

namespace lokalmat::schema {

template <>
const SectionRows<Params>& rows_of<Params>();
template <>
const SectionRows<BehaviourParams>& rows_of<BehaviourParams>();
template <>
const SectionRows<ProcurementParams>& rows_of<ProcurementParams>();
template <>
const SectionRows<NetworkParams>& rows_of<NetworkParams>();
template <>
const SectionRows<WholesalerParams>& rows_of<WholesalerParams>();
template <>
const SectionRows<CategoryParams>& rows_of<CategoryParams>();
template <>
const SectionRows<BuyerTypeParams>& rows_of<BuyerTypeParams>();
template <>
const SectionRows<MunicipalityParams>& rows_of<MunicipalityParams>();
template <>
const SectionRows<PolicyParams>& rows_of<PolicyParams>();
template <>
const SectionRows<HubParams>& rows_of<HubParams>();
template <>
const SectionRows<DayCentreParams>& rows_of<DayCentreParams>();
template <>
const SectionRows<ProducerParams>& rows_of<ProducerParams>();
template <>
const SectionRows<BuyerParams>& rows_of<BuyerParams>();

// the 52 weekly harvest weights (share of the season's kg in ISO week i+1, summing to 1):
// a raised-cosine hump over ISO weeks start..end (wrapping past new year), or flat
std::array<double, kWeeksPerYear> harvest_curve(bool year_round, int start_week, int end_week);

// the sectors a policy may involve (municipalities.<id>.policy.sectors)
inline constexpr std::array<std::string_view, 7> kSectorNames = {
    "procurement", "kindergartens", "sfo", "nursing", "day_centre", "agriculture", "business"};
// how many different sectors a list names, at least one
int count_sectors(const Names& sectors);

}  // namespace lokalmat::schema
