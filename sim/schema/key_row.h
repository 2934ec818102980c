#pragma once
// Schema rows: a scenario key, declared once.
//
// A row says everything about one key: its name, type, unit, default, allowed range,
// meaning, where the default comes from (its provenance), and the field of the struct
// it fills, as a pointer to member. Everything else is read from the rows:
//   - the defaults of the Params structs: each struct's constructor applies its rows,
//     so a default-constructed struct is the schema's defaults and params.h writes none;
//   - reading: the scenario loader fills a section's struct by a loop over its rows
//     (sim/schema/key_reader.h), and only keys whose reading is special (dates that
//     set the run length, names that become indices, counts that expand) have a named
//     step of their own; such keys have a row without a field;
//   - checking: one validator serves scenario files, [region] and sweep files;
//   - the documentation: `lokalmat keys`, hence scenarios/README.md.
//
// Why a std::variant of member pointers rather than a row class per field type: the
// set of field types is small and closed, a row stays plain data on one line, and code
// that handles a row visits its field type as a switch over a closed list, as the rest
// of the house dispatches.
//
// Part of lokalmat::sim (no TOML, no fmt), since the structs' constructors use it.
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "sim/params.h"

namespace lokalmat::schema {

enum class KeyType { number, integer, boolean, string, date, point, number_list, integer_list, string_list, category_table };

// ---------------------------------------------------------------- provenance

// where a default comes from: [src ...] a public source (MODEL.md's source list),
// [assume] our assumption, [Krejci] the food-hub ABMs of Krejci and co-authors
enum class Basis : std::uint8_t { none, src, assume, krejci };

struct Provenance {
  Basis basis = Basis::none;
  std::string_view cite;          // the source named, e.g. "FOA §7-9"
  std::string_view note;          // what it says, or why, e.g. "at least 0.30 from 2024"
  bool set_per_scenario = false;  // a placeholder each scenario is expected to set
};

constexpr Provenance src(std::string_view cite = {}, std::string_view note = {}) { return {Basis::src, cite, note}; }
constexpr Provenance src_note(std::string_view note) { return {Basis::src, {}, note}; }
constexpr Provenance assume(std::string_view note = {}) { return {Basis::assume, {}, note}; }
constexpr Provenance assume_set_per_scenario() { return {Basis::assume, {}, {}, true}; }
constexpr Provenance krejci() { return {Basis::krejci, {}, {}}; }

// the mark as documented, e.g. "[src FOA §7-9: at least 0.30 from 2024]", "[assume]"; "" for none
std::string provenance_mark(const Provenance& p);

// ---------------------------------------------------------------- defaults

struct Required {};  // no default: the key must be given
struct Derived {};   // no fixed default: absent means what the meaning says (the table's id, ...)
inline constexpr Required required{};
inline constexpr Derived derived{};

using Names = std::vector<std::string_view>;
using CategoryAmounts = std::vector<std::pair<std::string_view, double>>;  // in the order written
using Default = std::variant<Required, Derived, double, std::int64_t, bool, std::string_view, Date, Point,
                             std::vector<double>, std::vector<std::int64_t>, Names, CategoryAmounts>;

inline bool has_default(const Default& d) {
  return !std::holds_alternative<Required>(d) && !std::holds_alternative<Derived>(d);
}

struct NotAList {};
template <class T>
struct ListElement {
  using type = NotAList;
};
template <class E>
struct ListElement<std::vector<E>> {
  using type = E;
};

// a default as a builder takes it: a value of type T, `required` or `derived`
template <class T>
struct Fixed {
  using Element = typename ListElement<T>::type;
  Default value;
  Fixed(T v) : value(std::move(v)) {}
  Fixed(const char* s)
    requires std::is_same_v<T, std::string_view>
      : value(std::string_view(s)) {}
  Fixed(std::initializer_list<Element> list)
    requires(!std::is_same_v<Element, NotAList>)
      : value(T(list)) {}
  Fixed(Required) : value(Required{}) {}
  Fixed(Derived) : value(Derived{}) {}
};

// ---------------------------------------------------------------- one key, without its field

struct KeySpec {
  std::string_view name;
  KeyType type;
  std::string_view unit;
  Default def;
  double lo = 0;                  // allowed range (numbers, and each element of lists and tables)
  double hi = 0;
  std::string_view meaning;
  Provenance source;
  std::string doc;                // the meaning with its provenance mark, as documented

  KeySpec(std::string_view name_, KeyType type_, std::string_view unit_, Default def_, double lo_, double hi_,
          std::string_view meaning_, Provenance source_);
};

struct SectionSpec {
  std::string_view path;          // "run", "categories.<name>", "municipalities.<id>.hub"
  std::string_view doc;
  std::vector<KeySpec> keys;
  std::vector<std::string_view> subsections;  // nested tables allowed inside
};

// ---------------------------------------------------------------- names of enum fields

template <class E>
struct EnumNames;
template <>
struct EnumNames<Rule> {
  static constexpr std::string_view one = "rule", many = "rules";
  static constexpr std::size_t count = kRuleCount;
  static constexpr std::string_view name(std::size_t i) { return kRuleTable[i].name; }
};
template <>
struct EnumNames<BuyerType> {
  static constexpr std::string_view one = "buyer type", many = "buyer types";
  static constexpr std::size_t count = kBuyerTypes;
  static constexpr std::string_view name(std::size_t i) { return kBuyerTypeNames[i]; }
};

template <class E>
std::optional<E> enum_from_name(std::string_view s) {
  for (std::size_t i = 0; i < EnumNames<E>::count; ++i)
    if (EnumNames<E>::name(i) == s) return static_cast<E>(i);
  return std::nullopt;
}

// ---------------------------------------------------------------- one key with its field

// the owner of rows that fill no field: a named step of the loader reads them
struct Unbound {};
inline constexpr Unbound unbound{};

// the field a row fills; monostate: none (a named step reads the key)
template <class S>
using Member = std::variant<std::monostate, double S::*, int S::*, std::uint64_t S::*, bool S::*, std::string S::*,
                            Date S::*, Point S::*, std::vector<int> S::*, std::vector<double> S::*,
                            std::array<double, 3> S::*, std::vector<Rule> S::*, std::vector<BuyerType> S::*,
                            BuyerType S::*>;

template <class S>
struct KeyRow {
  KeySpec key;
  Member<S> member;

  KeyRow(KeySpec k, Member<S> m) : key(std::move(k)), member(m) {}
  // a row without a field fits any section
  template <class U>
    requires(std::is_same_v<U, Unbound> && !std::is_same_v<S, Unbound>)
  KeyRow(KeyRow<U> r) : key(std::move(r.key)) {}
  // ... and a section that is only documented and checked takes it as it is
  operator KeySpec() const
    requires std::is_same_v<S, Unbound>
  {
    return key;
  }
};

// the rows of one section and the same keys as the documentation and the validator see them
template <class S>
struct SectionRows {
  std::vector<KeyRow<S>> rows;
  SectionSpec spec;

  SectionRows(std::string_view path, std::string_view doc, std::vector<KeyRow<S>> r,
              std::vector<std::string_view> subsections = {})
      : rows(std::move(r)), spec{path, doc, {}, std::move(subsections)} {
    for (const auto& row : rows) spec.keys.push_back(row.key);
  }
};

// the rows of the section that fills S; specialised where the rows are declared
// (sim/schema/params_rows.h)
template <class S>
const SectionRows<S>& rows_of();

// ---------------------------------------------------------------- builders

template <class M>
struct Field;
template <class T, class S>
struct Field<T S::*> {
  using owner = S;
  using type = T;
};
template <>
struct Field<Unbound> {
  using owner = Unbound;
  using type = void;
};

// M is a pointer to a field of one of the types T..., or unbound
template <class M, class... T>
concept field_of = std::is_same_v<M, Unbound> || (std::is_same_v<typename Field<M>::type, T> || ...);

template <class M>
Member<typename Field<M>::owner> bind(M m) {
  if constexpr (std::is_same_v<M, Unbound>) return std::monostate{};
  else return m;
}

template <class M>
using RowOf = KeyRow<typename Field<M>::owner>;

constexpr double kInf = std::numeric_limits<double>::infinity();

template <class M>
  requires field_of<M, double>
RowOf<M> number(std::string_view name, M m, std::string_view unit, Fixed<double> def, double lo, double hi,
                std::string_view meaning, Provenance p = {}) {
  return {KeySpec(name, KeyType::number, unit, std::move(def.value), lo, hi, meaning, p), bind(m)};
}

template <class M>
  requires field_of<M, int, std::uint64_t>
RowOf<M> integer(std::string_view name, M m, std::string_view unit, Fixed<std::int64_t> def, double lo, double hi,
                 std::string_view meaning, Provenance p = {}) {
  return {KeySpec(name, KeyType::integer, unit, std::move(def.value), lo, hi, meaning, p), bind(m)};
}

template <class M>
  requires field_of<M, bool>
RowOf<M> boolean(std::string_view name, M m, Fixed<bool> def, std::string_view meaning, Provenance p = {}) {
  return {KeySpec(name, KeyType::boolean, "-", std::move(def.value), 0, 0, meaning, p), bind(m)};
}

// a string; a field of an enum type takes one of the enum's names
template <class M>
  requires field_of<M, std::string, BuyerType>
RowOf<M> text(std::string_view name, M m, std::string_view unit, Fixed<std::string_view> def,
              std::string_view meaning, Provenance p = {}) {
  return {KeySpec(name, KeyType::string, unit, std::move(def.value), 0, 0, meaning, p), bind(m)};
}

// a date, written "YYYY-MM-DD"
template <class M>
  requires field_of<M, Date>
RowOf<M> date(std::string_view name, M m, Fixed<Date> def, std::string_view meaning, Provenance p = {}) {
  return {KeySpec(name, KeyType::date, "date", std::move(def.value), 0, 0, meaning, p), bind(m)};
}

// a position [x_km, y_km] in the scenario's planar coordinates
template <class M>
  requires field_of<M, Point>
RowOf<M> point(std::string_view name, M m, Fixed<Point> def, std::string_view meaning, Provenance p = {}) {
  return {KeySpec(name, KeyType::point, "[km, km]", std::move(def.value), -kInf, kInf, meaning, p), bind(m)};
}

template <class M>
  requires field_of<M, std::vector<double>, std::array<double, 3>>
RowOf<M> numbers(std::string_view name, M m, std::string_view unit, Fixed<std::vector<double>> def, double lo,
                 double hi, std::string_view meaning, Provenance p = {}) {
  return {KeySpec(name, KeyType::number_list, unit, std::move(def.value), lo, hi, meaning, p), bind(m)};
}

template <class M>
  requires field_of<M, std::vector<int>>
RowOf<M> integers(std::string_view name, M m, std::string_view unit, Fixed<std::vector<std::int64_t>> def, double lo,
                  double hi, std::string_view meaning, Provenance p = {}) {
  return {KeySpec(name, KeyType::integer_list, unit, std::move(def.value), lo, hi, meaning, p), bind(m)};
}

// a list of strings; a field of an enum list takes the enum's names
template <class M>
  requires field_of<M, std::vector<Rule>, std::vector<BuyerType>>
RowOf<M> names(std::string_view name, M m, std::string_view unit, Fixed<Names> def, std::string_view meaning,
               Provenance p = {}) {
  return {KeySpec(name, KeyType::string_list, unit, std::move(def.value), 0, 0, meaning, p), bind(m)};
}

// a table category name = number; the field holds one number per category, in category order
template <class M>
  requires field_of<M, std::vector<double>>
RowOf<M> by_category(std::string_view name, M m, std::string_view unit, Fixed<CategoryAmounts> def, double lo,
                     double hi, std::string_view meaning, Provenance p = {}) {
  return {KeySpec(name, KeyType::category_table, unit, std::move(def.value), lo, hi, meaning, p), bind(m)};
}

// ---------------------------------------------------------------- defaults into fields

// a default as the value of a field of type T; nullopt when the key has no default
template <class T>
std::optional<T> default_as(const Default& d) {
  if (!has_default(d)) return std::nullopt;
  if constexpr (std::is_same_v<T, double> || std::is_same_v<T, bool> || std::is_same_v<T, Date> ||
                std::is_same_v<T, Point>) {
    if (const T* v = std::get_if<T>(&d)) return *v;
  } else if constexpr (std::is_same_v<T, int> || std::is_same_v<T, std::uint64_t> ||
                       std::is_same_v<T, std::int64_t>) {
    if (const auto* v = std::get_if<std::int64_t>(&d)) return static_cast<T>(*v);
  } else if constexpr (std::is_same_v<T, Names>) {
    if (const auto* v = std::get_if<Names>(&d)) return *v;
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (const auto* v = std::get_if<std::string_view>(&d)) return std::string(*v);
  } else if constexpr (std::is_same_v<T, std::vector<int>>) {
    if (const auto* v = std::get_if<std::vector<std::int64_t>>(&d)) {
      std::vector<int> out;
      for (std::int64_t x : *v) out.push_back(static_cast<int>(x));
      return out;
    }
  } else if constexpr (std::is_same_v<T, std::vector<double>>) {
    if (const auto* v = std::get_if<std::vector<double>>(&d)) return *v;
    // a table by category: only "{}" has a meaning without the scenario's categories
    if (const auto* v = std::get_if<CategoryAmounts>(&d); v && v->empty()) return std::vector<double>{};
  } else if constexpr (std::is_same_v<T, std::array<double, 3>>) {
    if (const auto* v = std::get_if<std::vector<double>>(&d); v && v->size() == 3) return T{(*v)[0], (*v)[1], (*v)[2]};
  } else if constexpr (std::is_same_v<T, std::vector<Rule>> || std::is_same_v<T, std::vector<BuyerType>>) {
    if (const auto* v = std::get_if<Names>(&d)) {
      T out;
      for (std::string_view s : *v) {
        const auto e = enum_from_name<typename T::value_type>(s);
        if (!e) throw std::logic_error("schema default names no such value: " + std::string(s));
        out.push_back(*e);
      }
      return out;
    }
  } else if constexpr (std::is_same_v<T, BuyerType>) {
    if (const auto* v = std::get_if<std::string_view>(&d))
      if (const auto e = enum_from_name<BuyerType>(*v)) return *e;
  }
  throw std::logic_error("a schema default does not fit its field");
}

// set every field of `s` that has a default to it (a struct's constructor calls this)
template <class S>
void apply_defaults(S& s, const std::vector<KeyRow<S>>& rows) {
  for (const KeyRow<S>& row : rows)
    std::visit(
        [&](auto m) {
          if constexpr (!std::is_same_v<decltype(m), std::monostate>) {
            using T = std::remove_reference_t<decltype(s.*m)>;
            if (auto v = default_as<T>(row.key.def)) s.*m = std::move(*v);
          }
        },
        row.member);
}

// the default of the row named `name` as a T (for fields derived from keys without one)
template <class T, class S>
T default_of(const std::vector<KeyRow<S>>& rows, std::string_view name) {
  for (const KeyRow<S>& row : rows)
    if (row.key.name == name) {
      if (auto v = default_as<T>(row.key.def)) return *v;
      break;
    }
  throw std::logic_error("no schema default for " + std::string(name));
}

}  // namespace lokalmat::schema
