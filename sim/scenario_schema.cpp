// The scenario schema: the sections in documentation order. The top level's keys are
// declared here; every other section's rows where the struct it fills is given its
// defaults (sim/schema/*_rows.cpp), and [region]'s in sim/schema/region_rows.cpp.
#include "sim/scenario_schema.h"

#include <fmt/format.h>

#include <limits>
#include <stdexcept>
#include <string>

#include "sim/scenario.h"
#include "sim/schema/key_reader.h"
#include "sim/schema/params_rows.h"

namespace lokalmat::schema {

namespace {

// the top level: what the file is and what it builds on
SectionSpec top_level() {
  return {"(top level)", "What the file is and what it builds on.",
          {
              text("base", unbound, "path", derived, "a scenario file this one overrides, relative to this file: a regular TOML file of at most 16 MiB (so is the scenario file itself); written in the file, not settable with --set"),
              text("title", unbound, "text", "", "a short title shown in outputs"),
              text("description", unbound, "text", "", "what question the scenario answers"),
          },
          {"run", "behaviour", "procurement", "network", "wholesaler", "categories", "buyer_types", "municipalities",
           "producers", "buyers", "region"}};
}

}  // namespace

const std::vector<SectionSpec>& sections() {
  static const std::vector<SectionSpec> s = [] {
    std::vector<SectionSpec> all = {
        top_level(),
        rows_of<Params>().spec,
        rows_of<BehaviourParams>().spec,
        rows_of<ProcurementParams>().spec,
        rows_of<NetworkParams>().spec,
        rows_of<WholesalerParams>().spec,
        rows_of<CategoryParams>().spec,
        rows_of<BuyerTypeParams>().spec,
        rows_of<MunicipalityParams>().spec,
        rows_of<PolicyParams>().spec,
        rows_of<HubParams>().spec,
        rows_of<DayCentreParams>().spec,
        rows_of<ProducerParams>().spec,
        rows_of<BuyerParams>().spec,
    };
    for (auto& r : region_sections()) all.push_back(std::move(r));
    return all;
  }();
  return s;
}

const SectionSpec& section(std::string_view path) {
  for (const auto& s : sections())
    if (s.path == path) return s;
  throw std::logic_error(fmt::format("no schema section '{}'", path));
}

const KeySpec& key(const SectionSpec& s, std::string_view name) {
  for (const auto& k : s.keys)
    if (k.name == name) return k;
  throw std::logic_error(fmt::format("no schema key '{}' in '{}'", name, s.path));
}

std::string_view type_name(KeyType t) {
  switch (t) {
    case KeyType::number: return "number";
    case KeyType::integer: return "integer";
    case KeyType::boolean: return "boolean";
    case KeyType::string: return "string";
    case KeyType::date: return "date";
    case KeyType::point: return "[x, y]";
    case KeyType::number_list: return "list of numbers";
    case KeyType::integer_list: return "list of integers";
    case KeyType::string_list: return "list of strings";
    case KeyType::category_table: return "table by category";
  }
  return "?";
}

}  // namespace lokalmat::schema

namespace lokalmat {

std::string section_markdown(const schema::SectionSpec& s) {
  std::string out = fmt::format("### `{}`\n\n{}\n\n| key | type | unit | default | range | meaning |\n|---|---|---|---|---|---|\n",
                                s.path, s.doc);
  for (const auto& k : s.keys) {
    std::string range = "-";
    if (k.type == schema::KeyType::number || k.type == schema::KeyType::integer ||
        k.type == schema::KeyType::number_list || k.type == schema::KeyType::integer_list ||
        k.type == schema::KeyType::category_table) {
      auto num = [](double x) {
        if (x == std::numeric_limits<double>::infinity()) return std::string("inf");
        if (x == -std::numeric_limits<double>::infinity()) return std::string("-inf");
        return fmt::format("{:g}", x);
      };
      range = num(k.lo) + " to " + num(k.hi);
    }
    const std::string text = schema::default_text(k);
    const std::string def = text.empty() ? "—" : fmt::format("`{}`", text);
    out += fmt::format("| `{}` | {} | {} | {} | {} | {} |\n", k.name, schema::type_name(k.type), k.unit, def, range,
                       k.doc);
  }
  return out + "\n";
}

std::string scenario_keys_markdown() {
  std::string out;
  for (const auto& s : schema::sections()) out += section_markdown(s);
  return out;
}

std::vector<std::string> scenario_key_paths() {
  std::vector<std::string> out;
  for (const auto& s : schema::sections())
    for (const auto& k : s.keys)
      out.push_back(s.path == "(top level)" ? std::string(k.name) : fmt::format("{}.{}", s.path, k.name));
  return out;
}

std::optional<KeyInfo> scenario_key_info(std::string_view path) {
  auto split = [](std::string_view s) {
    std::vector<std::string_view> parts;
    for (std::size_t dot; (dot = s.find('.')) != std::string_view::npos; s.remove_prefix(dot + 1))
      parts.push_back(s.substr(0, dot));
    parts.push_back(s);
    return parts;
  };
  const auto parts = split(path);
  for (const auto& s : schema::sections()) {
    // the section's segments, "<...>" matching any name
    const auto sec = s.path == "(top level)" ? std::vector<std::string_view>{} : split(s.path);
    if (parts.size() < sec.size() + 1) continue;
    bool match = true;
    for (std::size_t i = 0; i < sec.size() && match; ++i)
      match = sec[i].starts_with('<') || sec[i] == parts[i];
    if (!match) continue;
    for (const auto& k : s.keys) {
      if (k.name != parts[sec.size()]) continue;
      const std::size_t extra = parts.size() - sec.size() - 1;
      // a table by category takes one more segment, the category
      if (extra > (k.type == schema::KeyType::category_table ? 1U : 0U)) continue;
      KeyInfo info;
      info.pattern = s.path == "(top level)" ? std::string(k.name) : fmt::format("{}.{}", s.path, k.name);
      if (extra == 1) info.pattern += ".<category>";
      info.unit = std::string(k.unit);
      info.integer = k.type == schema::KeyType::integer;
      info.boolean = k.type == schema::KeyType::boolean;
      info.text = k.type == schema::KeyType::string;
      info.text_list = k.type == schema::KeyType::string_list;
      info.numeric = info.integer || k.type == schema::KeyType::number ||
                     (k.type == schema::KeyType::category_table && extra == 1);
      info.lo = k.lo;
      info.hi = k.hi;
      return info;
    }
  }
  return std::nullopt;
}

}  // namespace lokalmat
