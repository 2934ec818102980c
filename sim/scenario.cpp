// Scenario loading: parse, merge base files and built-in defaults, apply
// overrides, expand a region, then build Params (sim/scenario_build.cpp), which
// checks every key against the schema.
//
// Missing keys are filled in from the schema's defaults *into the merged
// table*, so the table printed at the end is the fully resolved scenario: it
// loads back to the same Params.
#include "sim/scenario.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <toml++/toml.h>
#include <vector>

#include "sim/region.h"
#include "sim/scenario_build.h"
#include "sim/scenario_text.h"
#include "sim/schema/key_reader.h"

namespace lokalmat {

extern const char* const kDefaultsToml;  // generated from sim/defaults.toml

std::string lokalmat_version() { return LOKALMAT_VERSION; }

namespace {

namespace fs = std::filesystem;
using scenario_text::merge_into;
using scenario_text::suggestion;

// "FILE:LINE: key 'KEY': MESSAGE", as every refusal reads (sim/schema/key_reader.h)
[[noreturn]] void fail_at(const toml::node* n, const std::string& fallback_file, const std::string& key,
                          const std::string& msg) {
  schema::KeyReader(fallback_file).fail(n, key, msg);
}

// ---------------------------------------------------------------- parsing and merging

toml::table parse_text(const std::string& text, const std::string& name) {
  try {
    return toml::parse(std::string_view(text), std::string_view(name));
  } catch (const toml::parse_error& e) {
    const auto& src = e.source();
    throw ScenarioError(fmt::format("{}:{}:{}: TOML syntax error: {}", name, src.begin.line, src.begin.column,
                                    e.description()));
  }
}

// one file of a base chain, as parsed (its `base` key taken out)
struct Layer {
  toml::table table;
  std::string file;
  bool has_base = false;
};

// the files from the root-most base to `path`, in the order they are merged; a file
// must be a regular TOML file within kMaxInputFileBytes (scenario_text::read_input_file)
void load_file_chain(const fs::path& path, std::set<std::string>& seen, const toml::node* from,
                     std::vector<Layer>& layers) {
  const std::string why = scenario_text::why_unreadable(path.string());
  if (!why.empty() && from) {
    if (why == "no such file") fail_at(from, path.string(), "base", fmt::format("file '{}' does not exist", path.string()));
    fail_at(from, path.string(), "base",
            fmt::format("'{}' cannot be a base: {}; base must name a scenario file (TOML)", path.string(), why));
  }
  std::error_code ec;
  const std::string canon = fs::weakly_canonical(path, ec).string();
  if (!seen.insert(ec ? path.string() : canon).second)
    fail_at(from, path.string(), "base", fmt::format("'{}' is named as a base twice (a cycle)", path.string()));
  toml::table t = parse_text(scenario_text::read_input_file(path.string(), "scenario file"), path.string());
  Layer layer{{}, path.string(), false};
  if (const toml::node* b = t.get("base")) {
    if (!b->is_string()) fail_at(b, path.string(), "base", "expected a string (a file path)");
    const fs::path base_path = path.parent_path() / b->as_string()->get();
    load_file_chain(base_path, seen, b, layers);
    t.erase("base");
    layer.has_base = true;
  }
  layer.table = std::move(t);
  layers.push_back(std::move(layer));
}

// ---------------------------------------------------------------- entries a file adds

// The kinds of entry a scenario names by table id. A file with a base, and an override,
// change the entries below them; a table id that names none of those is a slip (a
// misspelt municipality would otherwise become a new, empty one) unless the table gives
// one of the keys that say what a new entry is: a municipality its place, a farm or a
// kitchen its municipality (required anyway), a category its price list. A file without
// a base defines its entries, so everything in it is new.
struct EntryKind {
  std::string_view kind;                // the table, e.g. "municipalities"
  std::string_view one;                 // "municipality"
  std::vector<std::string_view> marks;  // a new entry gives at least one of these keys
};
const std::vector<EntryKind>& entry_kinds() {
  static const std::vector<EntryKind> k = {
      {"categories", "category", {"wholesale_price_nok_per_kg"}},
      {"municipalities", "municipality", {"name", "number", "population", "area_km2", "centre_km"}},
      {"producers", "producer", {"municipality"}},
      {"buyers", "buyer", {"municipality"}},
  };
  return k;
}

// an entry that a file with a base, or an override, names and nothing below it has
struct NewEntry {
  const EntryKind* kind = nullptr;
  std::string id;
  std::string where;             // "FILE:LINE" of its table, or of the override
  std::string key;               // the key a refusal names
  bool marked = false;           // its table gives one of the kind's marks
  bool override_key = false;     // from --set (or a sweep's set), not from a file
  std::shared_ptr<const std::vector<std::string>> ids;  // the ids below it, for the suggestion (shared)
};

// the first node in `n` (itself, or a key in it) that has a line
const toml::node* first_located(const toml::node& n) {
  if (n.source().path && n.source().begin.line > 0) return &n;
  if (const toml::table* t = n.as_table())
    for (auto&& [k, v] : *t)
      if (const toml::node* found = first_located(v)) return found;
  return nullptr;
}

std::shared_ptr<const std::vector<std::string>> ids_of(const toml::table& root, std::string_view kind) {
  auto ids = std::make_shared<std::vector<std::string>>();
  if (const toml::table* t = root[kind].as_table())
    for (auto&& [k, v] : *t) ids->emplace_back(k.str());
  return ids;
}

bool has_mark(const EntryKind& kind, std::string_view key) {
  return std::find(kind.marks.begin(), kind.marks.end(), key) != kind.marks.end();
}

// the entries `layer` adds over `below`
void note_new_entries(const toml::table& below, const Layer& layer, std::vector<NewEntry>& out) {
  if (!layer.has_base) return;
  for (const EntryKind& kind : entry_kinds()) {
    const toml::table* mine = layer.table[kind.kind].as_table();
    if (!mine) continue;
    const toml::table* have = below[kind.kind].as_table();
    std::shared_ptr<const std::vector<std::string>> ids;
    for (auto&& [k, v] : *mine) {
      if (have && have->contains(k.str())) continue;
      if (!ids) ids = ids_of(below, kind.kind);
      NewEntry e{&kind, std::string(k.str()), schema::KeyReader(layer.file).where(first_located(v)),
                 fmt::format("{}.{}", kind.kind, k.str()), false, false, ids};
      if (const toml::table* t = v.as_table())
        for (auto&& [key, value] : *t) e.marked = e.marked || has_mark(kind, key.str());
      out.push_back(std::move(e));
    }
  }
}

// the entry an override `path` adds over `root`, if any
void note_new_entry(const toml::table& root, const std::string& path, const toml::node& value,
                    std::vector<NewEntry>& out) {
  for (const EntryKind& kind : entry_kinds()) {
    const std::string head = std::string(kind.kind) + ".";
    if (!path.starts_with(head)) continue;
    const std::string rest = path.substr(head.size());
    const auto dot = rest.find('.');
    const std::string id = rest.substr(0, dot);
    const toml::table* have = root[kind.kind].as_table();
    if (id.empty() || (have && have->contains(id))) return;
    NewEntry e{&kind, id, fmt::format("<override {}>:1", path), path, false, true, ids_of(root, kind.kind)};
    if (dot != std::string::npos) {
      const std::string key = rest.substr(dot + 1);
      e.marked = has_mark(kind, key.substr(0, key.find('.')));
    } else if (const toml::table* t = value.as_table()) {
      for (auto&& [key, v] : *t) e.marked = e.marked || has_mark(kind, key.str());
    }
    out.push_back(std::move(e));
    return;
  }
}

// refuse an added entry that names nothing below it and does not say what it is
void check_new_entries(const std::vector<NewEntry>& added, const std::set<std::string>& generated) {
  for (const NewEntry& e : added) {
    if (e.marked || generated.contains(e.key.substr(0, e.kind->kind.size() + 1 + e.id.size()))) continue;
    std::vector<std::string> ids = *e.ids;
    for (const auto& g : generated)
      if (g.starts_with(std::string(e.kind->kind) + ".")) ids.push_back(g.substr(e.kind->kind.size() + 1));
    std::string hint = suggestion(e.id, ids);
    if (hint.empty() && !ids.empty() && ids.size() <= 8)
      hint = fmt::format(" ({}: {})", e.kind->kind, scenario_text::join(ids));
    std::vector<std::string> marks(e.kind->marks.begin(), e.kind->marks.end() - 1);
    std::string what = scenario_text::join(marks, ", ");
    what += (what.empty() ? "" : " or ") + std::string(e.kind->marks.back());
    throw ScenarioError(schema::KeyReader::located(
        e.where, e.key,
        fmt::format("no {} '{}' in {}{}{} (a table that adds a new {} gives its {})", e.kind->one, e.id,
                    e.override_key ? "the scenario" : "the base files", generated.empty() ? "" : " or its region", hint,
                    e.kind->one, what)));
  }
}

// an override of a switched-off category's value would not be used: refuse it
void check_overrides_used(const toml::table& root, const Overrides& overrides) {
  for (const auto& [path, value] : overrides) {
    if (!path.starts_with("categories.")) continue;
    const std::string rest = path.substr(std::string_view("categories.").size());
    const auto dot = rest.find('.');
    if (dot == std::string::npos || rest.substr(dot + 1) == "enabled") continue;
    const std::string name = rest.substr(0, dot);
    const toml::node* enabled = root.at_path("categories." + name + ".enabled").node();
    if (enabled && enabled->is_boolean() && !enabled->as_boolean()->get())
      throw ScenarioError(schema::KeyReader::located(
          fmt::format("<override {}>:1", path), path,
          fmt::format("category '{}' is switched off (enabled = false), so the value would not be used", name)));
  }
}

void apply_overrides(toml::table& root, const Overrides& overrides, std::vector<NewEntry>& added) {
  for (const auto& [path, value] : overrides) {
    toml::table parsed = parse_text(fmt::format("v = {}", value), fmt::format("<override {}>", path));
    // a base is a file's own business: --set cannot change which files are read
    if (path == "base")
      fail_at(parsed.get("v"), "<override base>", path,
              "the base file cannot be set from outside the scenario; write base = \"...\" in the scenario file");
    note_new_entry(root, path, *parsed.get("v"), added);
    toml::table* t = &root;
    std::string_view rest = path;
    for (std::size_t dot; (dot = rest.find('.')) != std::string_view::npos; rest.remove_prefix(dot + 1)) {
      const std::string part(rest.substr(0, dot));
      toml::node* n = t->get(part);
      if (!n) {
        t->insert_or_assign(part, toml::table{});
        n = t->get(part);
      }
      if (!n->is_table()) fail_at(nullptr, fmt::format("<override {}>", path), path, fmt::format("'{}' is not a table", part));
      t = n->as_table();
    }
    t->insert_or_assign(std::string(rest), std::move(*parsed.get("v")));
    // a run length given as years replaces an end date from the files
    if (path == "run.years") t->erase("end_date");
  }
}

Scenario finish(std::vector<Layer> layers, const std::string& file, const Overrides& overrides, const std::string& dir,
                std::vector<std::string>* files_read = nullptr) {
  toml::table root = parse_text(kDefaultsToml, "<built-in defaults>");
  std::vector<NewEntry> added;
  for (Layer& layer : layers) {
    note_new_entries(root, layer, added);
    merge_into(root, std::move(layer.table));
  }
  apply_overrides(root, overrides, added);
  const std::set<std::string> generated = expand_region(root, dir, files_read);
  check_new_entries(added, generated);
  check_overrides_used(root, overrides);
  return build_scenario(root, file);
}

}  // namespace

Scenario load_scenario(const std::string& path, const Overrides& overrides) {
  std::set<std::string> seen;
  std::vector<Layer> layers;
  load_file_chain(fs::path(path), seen, nullptr, layers);
  std::vector<std::string> files(seen.begin(), seen.end());
  Scenario sc = finish(std::move(layers), path, overrides, fs::path(path).parent_path().string(), &files);
  sc.files = std::move(files);
  return sc;
}

Scenario load_scenario_text(const std::string& text, const std::string& name, const Overrides& overrides) {
  toml::table t = parse_text(text, name);
  if (const toml::node* b = t.get("base")) fail_at(b, name, "base", "a base file needs the scenario on disk; use load_scenario");
  std::vector<Layer> layers;
  layers.push_back({std::move(t), name, false});
  return finish(std::move(layers), name, overrides, ".");
}

}  // namespace lokalmat
