// The rows of [region]: many municipalities generated from a table (sim/region.cpp).
// These keys fill no struct: the generator reads them by name and writes ordinary
// scenario tables, which are then read like hand-written ones.
#include "sim/scenario_schema.h"

namespace lokalmat::schema {

std::vector<SectionSpec> region_sections() {
  return {
      {"region",
       "Many municipalities generated from a table (see \"Regions\" above). Generated tables: "
       "`municipalities.m<number>`, `buyers.m<number>_kindergarten` / `_sfo` / `_nursing_home`, "
       "`producers.m<number>_farms` / `_farms_active`; a table the scenario writes under one of these ids is merged "
       "over the generated one, key by key.",
       {
           text("table", unbound, "path", required, "CSV table of municipalities (kommunenummer, name, county, population, area_km2, lat, lon), relative to the file that names it (required)"),
           names("counties", unbound, "county names", {}, "take every municipality of these counties (the table's `county` column)"),
           names("numbers", unbound, "municipality numbers", {}, "also take these municipalities, e.g. [\"3901\"]; with counties and numbers both empty, the whole table"),
       },
       {"rates", "farms", "municipality_defaults", "producer_defaults"}},
      {"region.rates",
       "National counts the table lacks; each is apportioned over the table's municipalities by population (largest "
       "remainder), so the totals are exact when the whole table is selected.",
       {
           integer("kindergartens_national", unbound, "units", 5314, 0, 1e7, "kindergartens in Norway", src("SSB kindergarten statistics 2023", "5,314")),
           integer("kindergarten_children_national", unbound, "children", 266916, 0, 1e8, "children in kindergartens", src("SSB 2023", "266,916")),
           integer("sfo_units_national", unbound, "units", 2200, 0, 1e7, "schools with SFO", assume("the schools with grades 1-4 among the 2,712 grunnskoler, Udir GSI 2023-24")),
           integer("sfo_children_national", unbound, "children", 165000, 0, 1e8, "pupils in SFO", src("SSB/Udir GSI 2022-23", "about 165,000")),
           integer("nursing_homes_national", unbound, "units", 1000, 0, 1e7, "nursing homes", src("MODEL.md §8", "~1,000 care institutions")),
           integer("nursing_home_residents_national", unbound, "residents", 39200, 0, 1e8, "nursing-home residents, one a place", src("SSB 2020", "~39,200 nursing-home places")),
           integer("min_units_per_municipality", unbound, "units", 1, 0, 1000, "every municipality has at least this many kindergartens, SFOs and nursing homes", assume()),
           integer("day_activity_places_national", unbound, "places", 23000, 0, 1e7, "day-activity places", src("SSB/NAKU", "~23,000")),
           number("food_task_share", unbound, "share", 0.05, 0, 1, "share of day-activity places on food tasks: day_centre.participants", assume("~6 of Horten's ~116")),
       },
       {}},
      {"region.farms",
       "Farms: holdings per county group from a county table, within a group by area and population; crop areas by "
       "the county's share of each national area.",
       {
           text("county_table", unbound, "path", "", "CSV of county groups (counties, holdings, one column per category in area_daa_national), relative to the file that names it; \"\" = one national group"),
           integer("holdings_national", unbound, "farms", 37561, 0, 1e7, "farm holdings in Norway", src("SSB agriculture statistics 2023", "37,561")),
           number("active_share", unbound, "share", 0.05, 0, 1, "share of farms active in the municipal channel at the start", assume("Horten's 3 of ~45-60 holdings")),
           number("delivery_radius_km", unbound, "km", 30, 0, 2000, "generated farms serve hubs within this road distance", assume()),
           number("area_weight_exponent", unbound, "-", 1, 0, 4, "within a county group, farms are shared by area_km2^this x population^population_weight_exponent", assume()),
           number("population_weight_exponent", unbound, "-", 0, 0, 4, "see area_weight_exponent", assume()),
           by_category("area_daa_national", unbound, "daa", {{"fresh_vegetables", 71094.0}, {"potatoes_roots", 126531.0}, {"fruit_berries", 42104.0}, {"grain_flour", 2927450.0}, {"dairy", 2130629.0}, {"meat", 6059733.0}, {"eggs", 235667.0}}, 0, 1e9, "national area by category, shared out to the farms; livestock in decare-equivalents, the national output divided by the category's yield_kg_per_daa (change both together)", src("SSB census 2010; SSB 2012; Norsk Melkeråvare 2022; SSB 2022; Budsjettnemnda 2018", "field vegetables 71,094, fruit 21,765 + berries 20,339 daa; potatoes 126,531, cereals 2,927,450 daa; milk 1,448 million l delivered x 1.03 kg/l / 700 kg/daa; meat 363,584 t approved / 60 kg/daa; eggs 70,700 t / 300 kg/daa")),
       },
       {}},
      {"region.municipality_defaults",
       "Any key of `municipalities.<id>` and its `policy`, `hub` and `day_centre` tables, copied into every generated "
       "municipality (e.g. `rules`); not the generated ones (name, number, population, area_km2, centre_km, "
       "hub.position_km, day_centre.participants).",
       {},
       {"policy", "hub", "day_centre"}},
      {"region.producer_defaults",
       "Any key of `producers.<id>`, copied into every generated farm group (e.g. `reliability`, `organic`); not the "
       "generated ones (municipality, count, name, position_km, active, area_daa, delivery_radius_km).",
       {},
       {}},
  };
}

}  // namespace lokalmat::schema
