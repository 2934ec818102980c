#include "sim/schema/key_row.h"

namespace lokalmat::schema {

std::string provenance_mark(const Provenance& p) {
  std::string m;
  switch (p.basis) {
    case Basis::none: return "";
    case Basis::src: m = "[src"; break;
    case Basis::assume: m = "[assume"; break;
    case Basis::krejci: m = "[Krejci"; break;
  }
  if (!p.cite.empty()) m.append(" ").append(p.cite);
  if (p.set_per_scenario) m.append(", set per scenario");
  if (!p.note.empty()) m.append(": ").append(p.note);
  m.append("]");
  return m;
}

KeySpec::KeySpec(std::string_view name_, KeyType type_, std::string_view unit_, Default def_, double lo_, double hi_,
                 std::string_view meaning_, Provenance source_)
    : name(name_),
      type(type_),
      unit(unit_),
      def(std::move(def_)),
      lo(lo_),
      hi(hi_),
      meaning(meaning_),
      source(source_),
      doc(std::string(meaning_)) {
  // the documented meaning ends with its mark
  if (const std::string mark = provenance_mark(source); !mark.empty()) doc.append(" ").append(mark);
}

}  // namespace lokalmat::schema
