#pragma once
// The one validator: scenario files, their [region] sections and sweep files are all
// checked against schema rows by a KeyReader, and every refusal has one wording,
//
//   FILE:LINE: key 'KEY': MESSAGE
//
// where FILE:LINE is where the offending value is written (a base file, an override
// as "<override KEY>:1", or the file being read, without a line, when the value is a
// default); for a value out of range MESSAGE gives the allowed range with its unit, for
// an unknown key the nearest valid key; a check across keys names the key it checks,
// at its line when written, else (a default) the file. read_rows() fills a struct from a
// section's rows.
// Internal to lokalmat::scenario (it includes toml++).
#include <deque>
#include <initializer_list>
#include <string>
#include <string_view>
#include <toml++/toml.h>
#include <type_traits>
#include <variant>
#include <vector>

#include "sim/schema/key_row.h"
#include "sim/schema/params_rows.h"

namespace lokalmat::schema {

class KeyReader {
 public:
  // `file` is named for values that have no line of their own
  explicit KeyReader(std::string file);
  [[nodiscard]] const std::string& file() const { return file_; }

  // "FILE:LINE" where a node is written, or the reader's file (for a default, also one of
  // the built-in defaults compiled in from sim/defaults.toml)
  [[nodiscard]] std::string where(const toml::node* n) const;
  // throws ScenarioError "FILE:LINE: key 'KEY': MESSAGE"
  [[noreturn]] void fail(const toml::node* at, std::string_view key, std::string_view message) const;
  // a key or table missing from the top level of the reader's file: "FILE:1: key 'KEY': MESSAGE"
  // (line 1, where the file's top-level table begins)
  [[noreturn]] void fail_missing_at_top(std::string_view key, std::string_view message) const;
  // the first of `keys` of table t that is written in a file (not a built-in default), or the
  // first of them when none is: where a check across keys points
  [[nodiscard]] static std::string_view first_written(const toml::table& t, std::initializer_list<std::string_view> keys);
  // "WHERE: key 'KEY': MESSAGE", the one wording, for callers that know WHERE as text
  static std::string located(std::string_view where, std::string_view key, std::string_view message);

  // refuse keys the section does not know, naming the nearest valid one, and keys the
  // caller generates itself (`generated`, with a hint where to set them instead)
  void check_keys(const toml::table& t, const SectionSpec& s, const std::string& prefix,
                  const std::vector<std::string>& generated = {}, std::string_view generated_hint = {}) const;
  // the type and range of one value: every element of a list, every entry of a table by category
  void check_value(const toml::node& n, const KeySpec& k, const std::string& key) const;
  // check_keys, then check_value for every key present; a subsection must be a table
  // (its keys are the caller's to check)
  void check_table(const toml::table& t, const SectionSpec& s, const std::string& prefix,
                   const std::vector<std::string>& generated = {}, std::string_view generated_hint = {}) const;

  // the categories a table by category may name, in field order; `skipped` ones are
  // switched off: allowed, and ignored
  void set_categories(std::vector<std::string> names, std::vector<std::string> skipped = {});

  // check_keys, then every key's value, its default written into the table when absent
  void fill_section(toml::table& t, const SectionSpec& s, const std::string& prefix) const;

  // the node of a key: the table's own, else its default written into the table (so that
  // the resolved scenario shows it); nullptr for an absent key without a default, and
  // refused when the key is required
  const toml::node* fill(toml::table& t, const KeySpec& k, const std::string& key) const;
  // the node of a key, or its default kept by the reader (the table is not changed);
  // nullptr for an absent key without a default
  const toml::node* value(const toml::table& t, const KeySpec& k) const;

  // the value of a checked node as a field of type T (names of enum fields resolved,
  // a table by category laid out by category)
  template <class T>
  T get(const toml::node& n, const KeySpec& k, const std::string& key) const;

  // "unknown rule 'x'; did you mean 'y'? (rules: a, b, ...)"
  static std::string unknown_name(std::string_view one, std::string_view many, const std::string& name,
                                  const std::vector<std::string>& names);

 private:
  void check_range(const toml::node* n, const std::string& key, double v, const KeySpec& k) const;

  std::string file_;
  std::vector<std::string> categories_, skipped_;
  mutable std::deque<toml::table> defaults_;  // defaults handed out by value(); a deque keeps them in place
};

// a key's default as a TOML value in `t` (an integral number as an integer, as the
// schema has always written it; dates as "YYYY-MM-DD" strings)
void insert_default(toml::table& t, const KeySpec& k);
// a key's default as TOML text, as documented ("" when it has none)
std::string default_text(const KeySpec& k);

// fill a section's struct from its table: unknown keys refused, defaults written into
// the table, every value checked, and each key with a field stored in it; keys without
// a field are left to the caller's named steps (their values are checked and filled in)
template <class S>
void read_rows(const KeyReader& r, toml::table& t, const SectionRows<S>& sec, const std::string& prefix, S& s) {
  r.fill_section(t, sec.spec, prefix);
  for (const KeyRow<S>& row : sec.rows) {
    const toml::node* n = t.get(row.key.name);
    if (!n) continue;
    const std::string key = prefix + std::string(row.key.name);
    std::visit(
        [&](auto m) {
          if constexpr (!std::is_same_v<decltype(m), std::monostate>)
            s.*m = r.get<std::remove_reference_t<decltype(s.*m)>>(*n, row.key, key);
        },
        row.member);
  }
}

}  // namespace lokalmat::schema
