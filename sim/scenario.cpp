// Scenario loading: parse, merge base files and built-in defaults, apply
// overrides, expand a region, then build Params (sim/scenario_build.cpp), which
// checks every key against the schema.
//
// Missing keys are filled in from the schema's defaults *into the merged
// table*, so the table printed at the end is the fully resolved scenario: it
// loads back to the same Params.
#include "sim/scenario.h"

#include <fmt/format.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

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

toml::table load_file_chain(const fs::path& path, std::set<std::string>& seen, const toml::node* from) {
  const std::string canon = fs::weakly_canonical(path).string();
  if (!fs::exists(path)) {
    if (from) fail_at(from, path.string(), "base", fmt::format("file '{}' does not exist", path.string()));
    throw ScenarioError(fmt::format("{}: cannot open scenario file: no such file", path.string()));
  }
  if (!seen.insert(canon).second)
    fail_at(from, path.string(), "base", fmt::format("'{}' is named as a base twice (a cycle)", path.string()));
  std::ifstream in(path);
  if (!in) throw ScenarioError(fmt::format("{}: cannot read scenario file", path.string()));
  std::stringstream buf;
  buf << in.rdbuf();
  toml::table t = parse_text(buf.str(), path.string());
  if (const toml::node* b = t.get("base")) {
    if (!b->is_string()) fail_at(b, path.string(), "base", "expected a string (a file path)");
    const fs::path base_path = path.parent_path() / b->value<std::string>().value();
    toml::table base = load_file_chain(base_path, seen, b);
    t.erase("base");
    merge_into(base, std::move(t));
    return base;
  }
  return t;
}

void apply_overrides(toml::table& root, const Overrides& overrides) {
  for (const auto& [path, value] : overrides) {
    toml::table parsed = parse_text(fmt::format("v = {}", value), fmt::format("<override {}>", path));
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

Scenario finish(toml::table merged, const std::string& file, const Overrides& overrides, const std::string& dir,
                std::vector<std::string>* files_read = nullptr) {
  toml::table root = parse_text(kDefaultsToml, "<built-in defaults>");
  merge_into(root, std::move(merged));
  apply_overrides(root, overrides);
  expand_region(root, dir, files_read);
  return build_scenario(root, file);
}

}  // namespace

Scenario load_scenario(const std::string& path, const Overrides& overrides) {
  std::set<std::string> seen;
  toml::table merged = load_file_chain(fs::path(path), seen, nullptr);
  std::vector<std::string> files(seen.begin(), seen.end());
  Scenario sc = finish(std::move(merged), path, overrides, fs::path(path).parent_path().string(), &files);
  sc.files = std::move(files);
  return sc;
}

Scenario load_scenario_text(const std::string& text, const std::string& name, const Overrides& overrides) {
  toml::table t = parse_text(text, name);
  if (const toml::node* b = t.get("base")) fail_at(b, name, "base", "a base file needs the scenario on disk; use load_scenario");
  return finish(std::move(t), name, overrides, ".");
}

}  // namespace lokalmat
