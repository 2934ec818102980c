#pragma once
// The words of the policy report (results/report.h) in Norwegian bokmål and in English.
// Every string lives in one table with both languages side by side, so a sentence cannot
// exist in one language only; tests/report checks that every id has both. Strings with
// {} are fmt format strings; the report fills them in the order the comment gives.
#include <span>
#include <string_view>

namespace lokalmat::report {

enum class Lang { nb, en };

// "nb" or "en"; throws std::invalid_argument for anything else
Lang parse_lang(std::string_view code);
std::string_view lang_code(Lang lang);

enum class Text : int {
  doc_title,
  lead,              // {scenarios} {replicates} {years}
  how_to_read,
  generated_by,      // {version}
  seeds_line,        // {first} {last}
  not_lawful,
  not_lawful_banner, // {title}
  lawful_ok,
  unfinished_banner, // {title} {weeks} {planned}
  // sections
  sec_summary,
  sec_local_share,
  sec_by_category,
  sec_work,
  sec_cost,
  sec_backing,
  sec_seasons,
  sec_rules,
  sec_assumptions,
  // section notes
  note_summary,
  note_extra_cost,
  note_diff,         // {first}
  note_local_share,  // {weeks}
  note_by_category,
  note_work,         // {weeks}
  note_cost,         // {weeks}
  note_backing,      // {weeks}
  note_seasons,
  note_rules,
  note_assumptions,
  note_no_differences,
  note_sources,
  // table headers
  col_figure,
  col_unit,
  col_diff,          // {first}
  col_key,
  col_source,
  col_scenario,
  col_rules,
  col_file,
  // summary rows
  row_local_share_value,
  row_local_share_volume,
  row_work_hours,
  row_participants,
  row_cost_per_meal,
  row_extra_cost,
  row_farm_income,
  row_co2e,
  row_index_economic,
  row_index_social,
  row_index_environmental,
  row_index_cultural,
  // units as read
  unit_percent,
  unit_pp,           // percentage points (differences of shares)
  unit_nok,
  unit_nok_per_meal,
  unit_nok_per_year,
  unit_hours_per_year,
  unit_persons,
  unit_kg_co2e_per_year,
  unit_index,
  // charts
  axis_year,
  axis_week_of_year,
  axis_local_share,
  axis_work_hours,
  axis_cost_per_meal,
  axis_backing,
  legend_budget,     // {scenario}
  legend_budget_all,
  legend_band,
  marker_election,
  marker_tender,
  chart_desc,        // {title}: a chart's text alternative
  source_assume,
  source_src,
  source_none,
  count_
};

struct TextEntry {
  Text id;
  std::string_view key;  // the id's name, for messages and tests
  std::string_view nb;
  std::string_view en;
};

// the whole table, in the order of Text (entry i has id Text(i))
std::span<const TextEntry> text_table();
std::string_view tr(Lang lang, Text id);

// a scenario-file name (a rule, a food category) with its label in both languages
struct NamedLabel {
  std::string_view name;
  std::string_view nb;
  std::string_view en;
};
std::span<const NamedLabel> rule_labels();
std::span<const NamedLabel> category_labels();
// the label of a rule or category; a name the table does not know is shown as it is
std::string_view rule_label(Lang lang, std::string_view rule);
std::string_view category_label(Lang lang, std::string_view category);

}  // namespace lokalmat::report
