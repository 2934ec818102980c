#include "results/report_text.h"

#include <array>
#include <stdexcept>
#include <string>

#include "sim/rules/rule.h"

namespace lokalmat::report {

namespace {

using T = Text;

// one row per Text id, in enum order (checked at compile time below)
constexpr std::array<TextEntry, static_cast<std::size_t>(Text::count_)> kTexts = {{
    {T::doc_title, "doc_title", "Lokal mat i kommunen: hva skjer hvis vi gjør dette i stedet?",
     "Local food in the municipality: what happens if we do this instead?"},
    {T::lead, "lead",
     "Denne siden sammenligner {} scenarioer. Hvert scenario er simulert {} ganger med ulike tilfeldige utfall "
     "(frø), over {} år, i modellen lokalmat.",
     "This page compares {} scenarios. Each scenario was simulated {} times with different random outcomes "
     "(seeds), over {} years, in the lokalmat model."},
    {T::how_to_read, "how_to_read",
     "Slik leser du tallene: hvert tall er gjennomsnittet over kjøringene. Intervallet i parentes og det lyse "
     "båndet i figurene er 5–95 %-området: ni av ti kjøringer havnet innenfor. Båndet viser hvor mye tilfeldighet "
     "(oppmøte, leveranser, valg) betyr; det sier ikke hvor riktige modellens forutsetninger er. Når båndene til "
     "to scenarioer overlapper mye, er forskjellen usikker.",
     "How to read the numbers: each number is the mean over the runs. The range in brackets and the light band "
     "in the charts is the 5–95% range: nine runs in ten fell inside it. The band shows how much chance "
     "(attendance, deliveries, elections) matters; it does not say how right the model's assumptions are. When "
     "the bands of two scenarios overlap a lot, the difference is uncertain."},
    {T::generated_by, "generated_by", "Laget av lokalmat {}.", "Made by lokalmat {}."},
    {T::seeds_line, "seeds_line", "Frø {} til {}.", "Seeds {} to {}."},
    {T::not_lawful, "not_lawful", "Ikke lovlig", "Not lawful"},
    {T::not_lawful_banner, "not_lawful_banner",
     "Ikke lovlig: scenarioet «{}» bruker en regel som ikke er lovlig etter norske regler og EØS-regler for "
     "offentlige anskaffelser. Det er et tankeeksperiment, ikke et alternativ kommunen kan velge.",
     "Not lawful: the scenario “{}” uses a rule that is not lawful under Norwegian and EEA public procurement "
     "rules. It is a thought experiment, not an option the municipality can choose."},
    {T::lawful_ok, "lawful_ok", "Lovlig etter norske regler og EØS-regler.",
     "Lawful under Norwegian and EEA rules."},
    {T::unfinished_banner, "unfinished_banner",
     "Ufullstendig: kjøringene av «{}» stoppet etter {} av {} uker. Tallene for hele perioden mangler, og "
     "figurene viser bare ukene som ble kjørt.",
     "Unfinished: the runs of “{}” stopped after {} of {} weeks. The whole-run figures are missing, and the "
     "charts show only the weeks that were run."},
    {T::sec_summary, "sec_summary", "Sammendrag", "Summary"},
    {T::sec_local_share, "sec_local_share", "Lokal andel over tid", "Local share over time"},
    {T::sec_by_category, "sec_by_category", "Lokal andel etter matkategori", "Local share by food category"},
    {T::sec_work, "sec_work", "Arbeidstimer for deltakere ved dagsenteret", "Work hours of day-centre participants"},
    {T::sec_cost, "sec_cost", "Kostnad per måltid mot budsjett", "Cost per meal against budget"},
    {T::sec_backing, "sec_backing", "Politisk støtte, valg og anbud", "Political backing, elections and tenders"},
    {T::sec_seasons, "sec_seasons", "Sesongene: lokal andel etter uke i året", "The seasons: local share by week of year"},
    {T::sec_rules, "sec_rules", "Regler i hvert scenario", "Rules in each scenario"},
    {T::sec_assumptions, "sec_assumptions", "Forutsetninger", "Assumptions"},
    {T::note_summary, "note_summary",
     "Hele perioden. Lokal andel er lokal mat (lokal kanal pluss grossistens varer fra regionen) delt på all mat. "
     "Indeksene går fra 0 til 1; høyere er bedre.",
     "The whole run. Local share is local food (the local channel plus the wholesaler's food from the region) "
     "divided by all food. The indices run from 0 to 1; higher is better."},
    {T::note_extra_cost, "note_extra_cost",
     "Merkostnad per år = pristillegg over grossistens listepris (inkludert hubgebyr og hastekjøp) pluss hubens "
     "driftskostnad. Gebyrene kjøkkenene betaler til huben er med i begge, så tallet er en øvre grense.",
     "Extra cost per year = the premium over the wholesaler's list price (including hub fees and short-notice "
     "purchases) plus the hub's running cost. The fees kitchens pay the hub are in both, so the figure is an "
     "upper bound."},
    {T::note_diff, "note_diff",
     "Forskjell fra «{}»: forskjellen i gjennomsnitt, og i parentes 5–95 %-området for forskjellen kjøring for "
     "kjøring med samme frø.",
     "Difference from “{}”: the difference of the means, and in brackets the 5–95% range of the run-by-run "
     "difference with the same seed."},
    {T::note_local_share, "note_local_share",
     "Andel av verdien. Hvert punkt er {} uker slått sammen. Loddrette linjer: kommunevalg og nytt anbud på "
     "rammeavtalen.",
     "Share of value. Each point combines {} weeks. Vertical lines: municipal elections and new tenders of the "
     "framework agreement."},
    {T::note_by_category, "note_by_category",
     "Andel av verdien per kategori, per kvartal. Kategorier kommunen ikke kjøper, er utelatt.",
     "Share of value per category, per quarter. Categories the municipality does not buy are left out."},
    {T::note_work, "note_work",
     "Timer meningsfylt arbeid per uke (plukking, pakking, levering), gjennomsnitt over {} uker.",
     "Hours of meaningful work per week (picking, packing, delivery), averaged over {} weeks."},
    {T::note_cost, "note_cost",
     "Matkostnad per måltid (én spisedag), {} uker om gangen. Stiplet: budsjettet per måltid.",
     "Food cost per meal (one eater-day), {} weeks at a time. Dashed: the budget per meal."},
    {T::note_backing, "note_backing",
     "Politisk støtte til ordningen (0 = ingen, 1 = full), gjennomsnitt over {} uker. Under et visst nivå i et "
     "budsjettår trekkes unntaket tilbake.",
     "Political backing for the scheme (0 = none, 1 = full), averaged over {} weeks. Below a set level in a "
     "budget year the exception is withdrawn."},
    {T::note_seasons, "note_seasons",
     "Lokal andel av verdien for hver uke i året, alle år samlet. Uker der ingen kjøper mat, er utelatt.",
     "Local share of value for each week of the year, all years together. Weeks in which no food is bought are "
     "left out."},
    {T::note_rules, "note_rules", "Innkjøpsreglene som gjelder ved start.", "The procurement rules in force at the start."},
    {T::note_assumptions, "note_assumptions",
     "Alle parametre som er ulike mellom scenarioene, nøkkel for nøkkel i de ferdig oppløste scenariofilene. "
     "Alt annet er likt.",
     "Every parameter that differs between the scenarios, key by key in the fully resolved scenario files. "
     "Everything else is the same."},
    {T::note_no_differences, "note_no_differences", "Ingen parametre er ulike.", "No parameters differ."},
    {T::note_sources, "note_sources",
     "Hvor standardverdiene kommer fra: [src] betyr en offentlig kilde, [assume] vår egen forutsetning. Hver "
     "standardverdi, med kilde, står i modellbeskrivelsen sim/ODD.md og i «lokalmat keys».",
     "Where the defaults come from: [src] marks a public source, [assume] our own assumption. Every default, with "
     "its source, is listed in the model description sim/ODD.md and by “lokalmat keys”."},
    {T::col_figure, "col_figure", "Resultat", "Result"},
    {T::col_unit, "col_unit", "Enhet", "Unit"},
    {T::col_diff, "col_diff", "Forskjell fra «{}»", "Difference from “{}”"},
    {T::col_key, "col_key", "Parameter", "Parameter"},
    {T::col_source, "col_source", "Betydning og kilde", "Meaning and source"},
    {T::col_scenario, "col_scenario", "Scenario", "Scenario"},
    {T::col_rules, "col_rules", "Regler", "Rules"},
    {T::col_file, "col_file", "Fil", "File"},
    {T::row_local_share_value, "row_local_share_value", "Lokal andel, etter verdi", "Local share, by value"},
    {T::row_local_share_volume, "row_local_share_volume", "Lokal andel, etter mengde", "Local share, by volume"},
    {T::row_work_hours, "row_work_hours", "Arbeidstimer per år", "Work hours per year"},
    {T::row_participants, "row_participants", "Deltakere i arbeid, per uke", "Participants at work, per week"},
    {T::row_cost_per_meal, "row_cost_per_meal", "Kostnad per måltid", "Cost per meal"},
    {T::row_extra_cost, "row_extra_cost", "Merkostnad per år", "Extra cost per year"},
    {T::row_farm_income, "row_farm_income", "Gårdenes inntekt fra kommunen per år",
     "Farms' income from the municipality per year"},
    {T::row_co2e, "row_co2e", "Utslipp fra transport per år", "Transport emissions per year"},
    {T::row_index_economic, "row_index_economic", "Økonomisk indeks (bærekraftsmål 2, 8)", "Economic index (SDG 2, 8)"},
    {T::row_index_social, "row_index_social", "Sosial indeks (bærekraftsmål 3, 8, 10)", "Social index (SDG 3, 8, 10)"},
    {T::row_index_environmental, "row_index_environmental", "Miljøindeks (bærekraftsmål 12, 13)",
     "Environmental index (SDG 12, 13)"},
    {T::row_index_cultural, "row_index_cultural", "Kulturell indeks (bærekraftsmål 2, 11)", "Cultural index (SDG 2, 11)"},
    {T::unit_percent, "unit_percent", "%", "%"},
    {T::unit_pp, "unit_pp", "%-poeng", "pp"},
    {T::unit_nok, "unit_nok", "NOK", "NOK"},
    {T::unit_nok_per_meal, "unit_nok_per_meal", "NOK per måltid", "NOK per meal"},
    {T::unit_nok_per_year, "unit_nok_per_year", "NOK per år", "NOK per year"},
    {T::unit_hours_per_year, "unit_hours_per_year", "timer per år", "hours per year"},
    {T::unit_persons, "unit_persons", "personer", "persons"},
    {T::unit_kg_co2e_per_year, "unit_kg_co2e_per_year", "kg CO2e per år", "kg CO2e per year"},
    {T::unit_index, "unit_index", "0–1", "0–1"},
    {T::axis_year, "axis_year", "År", "Year"},
    {T::axis_week_of_year, "axis_week_of_year", "Uke i året (ISO-uke)", "Week of year (ISO week)"},
    {T::axis_local_share, "axis_local_share", "Lokal andel (%)", "Local share (%)"},
    {T::axis_work_hours, "axis_work_hours", "Arbeidstimer per uke (timer)", "Work hours per week (hours)"},
    {T::axis_cost_per_meal, "axis_cost_per_meal", "Kostnad per måltid (NOK)", "Cost per meal (NOK)"},
    {T::axis_backing, "axis_backing", "Politisk støtte (0–1)", "Political backing (0–1)"},
    {T::legend_budget, "legend_budget", "Budsjett, {}", "Budget, {}"},
    {T::legend_budget_all, "legend_budget_all", "Budsjett (likt i alle scenarioer)", "Budget (the same in every scenario)"},
    {T::legend_band, "legend_band", "bånd: 5–95 % av kjøringene", "band: 5–95% of runs"},
    {T::marker_election, "marker_election", "Valg", "Election"},
    {T::marker_tender, "marker_tender", "Anbud", "Tender"},
    {T::chart_desc, "chart_desc", "Figur: {}. Linjer er gjennomsnitt, bånd er 5–95 % av kjøringene.",
     "Chart: {}. Lines are means, bands are 5–95% of runs."},
    {T::source_assume, "source_assume", "forutsetning", "assumption"},
    {T::source_src, "source_src", "kilde", "source"},
    {T::source_none, "source_none", "—", "—"},
}};

constexpr bool table_in_enum_order() {
  for (std::size_t i = 0; i < kTexts.size(); ++i)
    if (static_cast<std::size_t>(kTexts[i].id) != i) return false;
  return true;
}
static_assert(table_in_enum_order(), "kTexts must list every Text id once, in enum order");

// rule labels come from the rule table (sim/rules/rule.h)
constexpr std::array<NamedLabel, kRuleCount> kRules = [] {
  std::array<NamedLabel, kRuleCount> out{};
  for (std::size_t i = 0; i < kRuleCount; ++i)
    out[i] = NamedLabel{kRuleTable[i].name, kRuleTable[i].label_nb, kRuleTable[i].label_en};
  return out;
}();

constexpr std::array<NamedLabel, 9> kCategories = {{
    {"fresh_vegetables", "Grønnsaker", "Fresh vegetables"},
    {"potatoes_roots", "Poteter og rotgrønnsaker", "Potatoes and roots"},
    {"fruit_berries", "Frukt og bær", "Fruit and berries"},
    {"eggs", "Egg", "Eggs"},
    {"dairy", "Meieri", "Dairy"},
    {"meat", "Kjøtt", "Meat"},
    {"fish", "Fisk", "Fish"},
    {"grain_flour", "Mel og korn", "Flour and grain"},
    {"bread_bakery", "Brød og bakevarer", "Bread and bakery goods"},
}};

std::string_view pick(Lang lang, std::string_view nb, std::string_view en) { return lang == Lang::nb ? nb : en; }

std::string_view find_label(std::span<const NamedLabel> table, Lang lang, std::string_view name) {
  for (const auto& l : table)
    if (l.name == name) return pick(lang, l.nb, l.en);
  return name;
}

}  // namespace

Lang parse_lang(std::string_view code) {
  if (code == "nb") return Lang::nb;
  if (code == "en") return Lang::en;
  throw std::invalid_argument("unknown language '" + std::string(code) + "' (use nb or en)");
}

std::string_view lang_code(Lang lang) { return lang == Lang::nb ? "nb" : "en"; }

std::span<const TextEntry> text_table() { return kTexts; }

std::string_view tr(Lang lang, Text id) {
  const auto& e = kTexts[static_cast<std::size_t>(id)];
  return pick(lang, e.nb, e.en);
}

std::span<const NamedLabel> rule_labels() { return kRules; }
std::span<const NamedLabel> category_labels() { return kCategories; }
std::string_view rule_label(Lang lang, std::string_view rule) { return find_label(kRules, lang, rule); }
std::string_view category_label(Lang lang, std::string_view category) {
  return find_label(kCategories, lang, category);
}

}  // namespace lokalmat::report
