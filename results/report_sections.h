#pragma once
// The sections of the report's page, each a <section> (or, for the banners, <div>s) of HTML,
// and the formatting the page around them shares. render_report (results/report.h) puts them
// in order; nothing outside results/report*.cpp uses this header.
#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>

#include "results/report.h"

namespace lokalmat::report {

// ---- formatting
// text for HTML (element content and attribute values)
std::string esc(std::string_view s);
// a text of the language's table with its {} filled in
template <class... Args>
std::string trf(Lang lang, Text id, Args&&... args) {
  return fmt::format(fmt::runtime(tr(lang, id)), std::forward<Args>(args)...);
}
// a number for reading: thousands grouped (nb: no-break space, en: comma), the language's decimal
// separator, a true minus sign, and a + when asked
std::string format_number(double v, int decimals, Lang lang, bool sign = false);

// ---- the sections, in the page's order
// a warning for each scenario whose rules are not lawful, and for each whose runs are unfinished
// (read with --partial), at the top of the page
std::string lawful_banners(const ReportInput& in, Lang lang);
// the whole-run figures: mean and 5-95% per scenario, and the difference from the first
std::string summary_section(const ReportInput& in, Lang lang);
// the charts over the years: local share, by category, meaningful work, cost per meal, backing
std::string local_share_section(const ReportInput& in, Lang lang);
std::string by_category_section(const ReportInput& in, Lang lang);
std::string work_section(const ReportInput& in, Lang lang);
std::string cost_section(const ReportInput& in, Lang lang);
std::string backing_section(const ReportInput& in, Lang lang);
// the local share by week of the year
std::string seasons_section(const ReportInput& in, Lang lang);
// each scenario's procurement rules and whether they are lawful
std::string rules_section(const ReportInput& in, Lang lang);
// the parameters that differ between the scenarios, with their sources
std::string assumptions_section(const ReportInput& in, Lang lang);

}  // namespace lokalmat::report
