#include "sim/schema/key_reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "sim/calendar.h"
#include "sim/scenario.h"
#include "sim/scenario_text.h"

namespace lokalmat::schema {

namespace {

using scenario_text::format_number;
using scenario_text::suggestion;
using scenario_text::type_of;

// " (NOK/kg)" after an expected type or a range; nothing for unitless keys
std::string unit_note(const KeySpec& k) {
  if (k.unit.empty() || k.unit == "-") return "";
  return fmt::format(" ({})", k.unit);
}

double number_of(const toml::node& n) {
  return n.is_integer() ? static_cast<double>(n.as_integer()->get()) : n.as_floating_point()->get();
}

// the largest whole number a double holds exactly, 2^53
constexpr std::int64_t kMaxExactInteger = std::int64_t{1} << 53;

// a table's line: its own, else the first line in it (a table made by dotted keys)
const toml::node* line_of(const toml::table& t) {
  if (t.source().path && t.source().begin.line > 0) return &t;
  for (auto&& [k, v] : t)
    if (v.source().path && v.source().begin.line > 0) return &v;
  return &t;
}

bool contains(const std::vector<std::string>& v, std::string_view s) { return std::find(v.begin(), v.end(), s) != v.end(); }

// a number as TOML text: a float always shows a decimal point ("0.0", "71094.0")
std::string float_text(double x) {
  if (std::floor(x) == x && std::abs(x) < 1e15) return fmt::format("{}.0", static_cast<long long>(x));
  return fmt::format("{}", x);
}

// a number as the schema writes a default: integral ones as integers
bool integral(double x) { return std::floor(x) == x && std::abs(x) < 1e15; }

std::string quoted(std::string_view s) { return fmt::format("\"{}\"", s); }

}  // namespace

// ---------------------------------------------------------------- messages

KeyReader::KeyReader(std::string file) : file_(std::move(file)) {}

std::string KeyReader::where(const toml::node* n) const {
  if (n && n->source().path && n->source().begin.line > 0 && *n->source().path != "<built-in defaults>")
    return fmt::format("{}:{}", *n->source().path, n->source().begin.line);
  return file_;
}

std::string KeyReader::located(std::string_view where, std::string_view key, std::string_view message) {
  return fmt::format("{}: key '{}': {}", where, key, message);
}

void KeyReader::fail(const toml::node* at, std::string_view key, std::string_view message) const {
  throw ScenarioError(located(where(at), key, message));
}

void KeyReader::fail_missing_at_top(std::string_view key, std::string_view message) const {
  throw ScenarioError(located(file_ + ":1", key, message));
}

std::string_view KeyReader::first_written(const toml::table& t, std::initializer_list<std::string_view> keys) {
  for (std::string_view k : keys)
    if (const toml::node* n = t.get(k);
        n && n->source().path && n->source().begin.line > 0 && *n->source().path != "<built-in defaults>")
      return k;
  return *keys.begin();
}

std::string KeyReader::unknown_name(std::string_view one, std::string_view many, const std::string& name,
                                    const std::vector<std::string>& names) {
  return fmt::format("unknown {} '{}'{} ({}: {})", one, name, suggestion(name, names), many,
                     scenario_text::join(names));
}

// ---------------------------------------------------------------- checking

void KeyReader::check_keys(const toml::table& t, const SectionSpec& s, const std::string& prefix,
                           const std::vector<std::string>& generated, std::string_view generated_hint) const {
  std::vector<std::string> valid;
  for (const auto& k : s.keys) valid.emplace_back(k.name);
  for (const auto& sub : s.subsections) valid.emplace_back(sub);
  for (auto&& [k, v] : t) {
    const std::string name(k.str());
    if (contains(generated, name)) fail(&v, prefix + name, fmt::format("is generated from the table; {}", generated_hint));
    if (!contains(valid, name)) fail(&v, prefix + name, fmt::format("unknown key{}", suggestion(name, valid, prefix)));
  }
}

void KeyReader::check_range(const toml::node* n, const std::string& key, double v, const KeySpec& k) const {
  if (std::isnan(v) || v < k.lo || v > k.hi)
    fail(n, key,
         fmt::format("{} is out of range; allowed {} to {}{}", format_number(v), format_number(k.lo),
                     format_number(k.hi), unit_note(k)));
  // a whole number beyond 2^53 would silently change when held as a number (a double)
  if (k.type != KeyType::integer && k.type != KeyType::integer_list && n && n->is_integer()) {
    const std::int64_t i = n->as_integer()->get();
    if (i > kMaxExactInteger || i < -kMaxExactInteger)
      fail(n, key,
           fmt::format("{} cannot be held exactly as a number; allowed -{} to {} (2^53){}", i, kMaxExactInteger,
                       kMaxExactInteger, unit_note(k)));
  }
}

void KeyReader::check_value(const toml::node& n, const KeySpec& k, const std::string& key) const {
  switch (k.type) {
    case KeyType::number:
      if (!n.is_number()) fail(&n, key, fmt::format("expected a number{}, got {}", unit_note(k), type_of(n)));
      check_range(&n, key, number_of(n), k);
      break;
    case KeyType::integer:
      if (!n.is_integer()) fail(&n, key, fmt::format("expected a whole number{}, got {}", unit_note(k), type_of(n)));
      check_range(&n, key, static_cast<double>(n.as_integer()->get()), k);
      break;
    case KeyType::boolean:
      if (!n.is_boolean()) fail(&n, key, fmt::format("expected true or false, got {}", type_of(n)));
      break;
    case KeyType::string:
      if (!n.is_string()) fail(&n, key, fmt::format("expected a string, got {}", type_of(n)));
      break;
    case KeyType::date: {
      Date d;
      if (!n.is_date() && (!n.is_string() || !parse_date(n.as_string()->get(), d)))
        fail(&n, key, "expected a date as \"YYYY-MM-DD\"");
      break;
    }
    case KeyType::point:
    case KeyType::number_list:
      if (!n.is_array()) fail(&n, key, fmt::format("expected a list of numbers, got {}", type_of(n)));
      for (const auto& e : *n.as_array()) {
        if (!e.is_number()) fail(&e, key, fmt::format("expected a list of numbers, got {} in it", type_of(e)));
        check_range(&e, key, number_of(e), k);
      }
      if (k.type == KeyType::point && n.as_array()->size() != 2) fail(&n, key, "expected [x_km, y_km]");
      break;
    case KeyType::integer_list:
      if (!n.is_array()) fail(&n, key, fmt::format("expected a list of whole numbers, got {}", type_of(n)));
      for (const auto& e : *n.as_array()) {
        if (!e.is_integer()) fail(&e, key, fmt::format("expected a list of whole numbers, got {} in it", type_of(e)));
        check_range(&e, key, static_cast<double>(e.as_integer()->get()), k);
      }
      break;
    case KeyType::string_list:
      if (!n.is_array()) fail(&n, key, fmt::format("expected a list of strings, got {}", type_of(n)));
      for (const auto& e : *n.as_array())
        if (!e.is_string()) fail(&e, key, fmt::format("expected a list of strings, got {} in it", type_of(e)));
      break;
    case KeyType::category_table:
      if (!n.is_table()) fail(&n, key, fmt::format("expected a table of category = number, got {}", type_of(n)));
      for (auto&& [ck, cv] : *n.as_table()) {
        const std::string name(ck.str());
        if (contains(skipped_, name)) continue;
        if (!contains(categories_, name))
          fail(&cv, key, fmt::format("unknown category '{}'{}", name, suggestion(name, categories_)));
        const std::string ckey = key + "." + name;
        if (!cv.is_number()) fail(&cv, ckey, fmt::format("expected a number{}, got {}", unit_note(k), type_of(cv)));
        check_range(&cv, ckey, number_of(cv), k);
      }
      break;
  }
}

void KeyReader::check_table(const toml::table& t, const SectionSpec& s, const std::string& prefix,
                            const std::vector<std::string>& generated, std::string_view generated_hint) const {
  check_keys(t, s, prefix, generated, generated_hint);
  for (auto&& [k, v] : t) {
    const std::string name(k.str());
    if (std::find(s.subsections.begin(), s.subsections.end(), name) != s.subsections.end()) {
      if (!v.is_table()) fail(&v, prefix + name, fmt::format("expected a table, got {}", type_of(v)));
      continue;
    }
    for (const auto& key : s.keys)
      if (key.name == name) check_value(v, key, prefix + name);
  }
}

void KeyReader::set_categories(std::vector<std::string> names, std::vector<std::string> skipped) {
  categories_ = std::move(names);
  skipped_ = std::move(skipped);
}

// ---------------------------------------------------------------- values and defaults

void KeyReader::fill_section(toml::table& t, const SectionSpec& s, const std::string& prefix) const {
  check_keys(t, s, prefix);
  for (const KeySpec& k : s.keys) {
    const std::string key = prefix + std::string(k.name);
    if (const toml::node* n = fill(t, k, key)) check_value(*n, k, key);
  }
}

const toml::node* KeyReader::fill(toml::table& t, const KeySpec& k, const std::string& key) const {
  if (const toml::node* n = t.get(k.name)) return n;
  if (std::holds_alternative<Required>(k.def)) fail(line_of(t), key, "required key is missing");
  if (!has_default(k.def)) return nullptr;
  insert_default(t, k);
  return t.get(k.name);
}

const toml::node* KeyReader::value(const toml::table& t, const KeySpec& k) const {
  if (const toml::node* n = t.get(k.name)) return n;
  if (!has_default(k.def)) return nullptr;
  insert_default(defaults_.emplace_back(), k);
  return defaults_.back().get(k.name);
}

void insert_default(toml::table& t, const KeySpec& k) {
  const std::string name(k.name);
  std::visit(
      [&](const auto& d) {
        using D = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<D, Required> || std::is_same_v<D, Derived>) {
          return;
        } else if constexpr (std::is_same_v<D, double>) {
          if (integral(d)) t.insert_or_assign(name, static_cast<std::int64_t>(d));
          else t.insert_or_assign(name, d);
        } else if constexpr (std::is_same_v<D, std::int64_t> || std::is_same_v<D, bool>) {
          t.insert_or_assign(name, d);
        } else if constexpr (std::is_same_v<D, std::string_view>) {
          t.insert_or_assign(name, std::string(d));
        } else if constexpr (std::is_same_v<D, Date>) {
          t.insert_or_assign(name, format_date(d));
        } else if constexpr (std::is_same_v<D, Point>) {
          t.insert_or_assign(name, toml::array{d.x_km, d.y_km});
        } else if constexpr (std::is_same_v<D, CategoryAmounts>) {
          toml::table c;
          for (const auto& [cat, x] : d) c.insert_or_assign(cat, x);
          c.is_inline(true);  // as "{}" parses
          t.insert_or_assign(name, std::move(c));
        } else {  // lists of numbers, whole numbers, names
          toml::array a;
          for (const auto& x : d) {
            if constexpr (std::is_same_v<D, Names>) a.push_back(std::string(x));
            else a.push_back(x);
          }
          t.insert_or_assign(name, std::move(a));
        }
      },
      k.def);
}

std::string default_text(const KeySpec& k) {
  return std::visit(
      [&](const auto& d) -> std::string {
        using D = std::decay_t<decltype(d)>;
        if constexpr (std::is_same_v<D, Required> || std::is_same_v<D, Derived>) {
          return "";
        } else if constexpr (std::is_same_v<D, double>) {
          return integral(d) ? fmt::format("{}", static_cast<long long>(d)) : fmt::format("{}", d);
        } else if constexpr (std::is_same_v<D, std::int64_t>) {
          return fmt::format("{}", d);
        } else if constexpr (std::is_same_v<D, bool>) {
          return d ? "true" : "false";
        } else if constexpr (std::is_same_v<D, std::string_view>) {
          return quoted(d);
        } else if constexpr (std::is_same_v<D, Date>) {
          return quoted(format_date(d));
        } else if constexpr (std::is_same_v<D, Point>) {
          return fmt::format("[{}, {}]", float_text(d.x_km), float_text(d.y_km));
        } else if constexpr (std::is_same_v<D, CategoryAmounts>) {
          if (d.empty()) return "{}";
          std::vector<std::string> parts;
          for (const auto& [cat, x] : d) parts.push_back(fmt::format("{} = {}", cat, float_text(x)));
          return fmt::format("{{ {} }}", scenario_text::join(parts));
        } else {
          std::vector<std::string> parts;
          for (const auto& x : d) {
            if constexpr (std::is_same_v<D, Names>) parts.push_back(quoted(x));
            else if constexpr (std::is_same_v<D, std::vector<double>>) parts.push_back(float_text(x));
            else parts.push_back(fmt::format("{}", x));
          }
          return fmt::format("[{}]", scenario_text::join(parts));
        }
      },
      k.def);
}

// ---------------------------------------------------------------- values of checked nodes

namespace {

template <class E>
std::vector<std::string> enum_names() {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < EnumNames<E>::count; ++i) out.emplace_back(EnumNames<E>::name(i));
  return out;
}

template <class E>
E enum_value(const KeyReader& r, const toml::node& n, const std::string& key) {
  const std::string s = n.as_string()->get();
  const auto e = enum_from_name<E>(s);
  if (!e) r.fail(&n, key, KeyReader::unknown_name(EnumNames<E>::one, EnumNames<E>::many, s, enum_names<E>()));
  return *e;
}

}  // namespace

template <class T>
T KeyReader::get(const toml::node& n, const KeySpec& k, const std::string& key) const {
  if constexpr (std::is_same_v<T, double>) {
    return number_of(n);
  } else if constexpr (std::is_same_v<T, int> || std::is_same_v<T, std::uint64_t> || std::is_same_v<T, std::int64_t>) {
    return static_cast<T>(n.as_integer()->get());
  } else if constexpr (std::is_same_v<T, bool>) {
    return n.as_boolean()->get();
  } else if constexpr (std::is_same_v<T, std::string>) {
    return n.as_string()->get();
  } else if constexpr (std::is_same_v<T, Date>) {
    if (n.is_date()) {
      const toml::date d = n.as_date()->get();
      return Date{d.year, d.month, d.day};
    }
    Date d;
    parse_date(n.as_string()->get(), d);
    return d;
  } else if constexpr (std::is_same_v<T, Point>) {
    const toml::array& a = *n.as_array();
    return Point{number_of(*a.get(0)), number_of(*a.get(1))};
  } else if constexpr (std::is_same_v<T, std::vector<int>>) {
    std::vector<int> out;
    for (const auto& e : *n.as_array()) out.push_back(static_cast<int>(e.as_integer()->get()));
    return out;
  } else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
    std::vector<std::string> out;
    for (const auto& e : *n.as_array()) out.push_back(e.as_string()->get());
    return out;
  } else if constexpr (std::is_same_v<T, std::vector<double>>) {
    if (k.type == KeyType::category_table) {
      std::vector<double> out(categories_.size(), 0.0);
      for (auto&& [ck, cv] : *n.as_table()) {
        const auto it = std::find(categories_.begin(), categories_.end(), ck.str());
        if (it != categories_.end()) out[static_cast<std::size_t>(it - categories_.begin())] = number_of(cv);
      }
      return out;
    }
    std::vector<double> out;
    for (const auto& e : *n.as_array()) out.push_back(number_of(e));
    return out;
  } else if constexpr (std::is_same_v<T, std::array<double, 3>>) {
    const toml::array& a = *n.as_array();
    if (a.size() != 3) fail(&n, key, fmt::format("expected 3 numbers, got {}", a.size()));
    return T{number_of(*a.get(0)), number_of(*a.get(1)), number_of(*a.get(2))};
  } else if constexpr (std::is_same_v<T, std::vector<Rule>> || std::is_same_v<T, std::vector<BuyerType>>) {
    T out;
    for (const auto& e : *n.as_array()) out.push_back(enum_value<typename T::value_type>(*this, e, key));
    return out;
  } else if constexpr (std::is_same_v<T, BuyerType>) {
    return enum_value<BuyerType>(*this, n, key);
  } else {
    static_assert(sizeof(T) == 0, "no reading for this field type");
  }
}

// the field types rows bind (key_row.h Member), and what named steps read
template double KeyReader::get<double>(const toml::node&, const KeySpec&, const std::string&) const;
template int KeyReader::get<int>(const toml::node&, const KeySpec&, const std::string&) const;
template std::uint64_t KeyReader::get<std::uint64_t>(const toml::node&, const KeySpec&, const std::string&) const;
template std::int64_t KeyReader::get<std::int64_t>(const toml::node&, const KeySpec&, const std::string&) const;
template bool KeyReader::get<bool>(const toml::node&, const KeySpec&, const std::string&) const;
template std::string KeyReader::get<std::string>(const toml::node&, const KeySpec&, const std::string&) const;
template Date KeyReader::get<Date>(const toml::node&, const KeySpec&, const std::string&) const;
template Point KeyReader::get<Point>(const toml::node&, const KeySpec&, const std::string&) const;
template std::vector<int> KeyReader::get<std::vector<int>>(const toml::node&, const KeySpec&,
                                                           const std::string&) const;
template std::vector<double> KeyReader::get<std::vector<double>>(const toml::node&, const KeySpec&,
                                                                 const std::string&) const;
template std::vector<std::string> KeyReader::get<std::vector<std::string>>(const toml::node&, const KeySpec&,
                                                                           const std::string&) const;
template std::array<double, 3> KeyReader::get<std::array<double, 3>>(const toml::node&, const KeySpec&,
                                                                     const std::string&) const;
template std::vector<Rule> KeyReader::get<std::vector<Rule>>(const toml::node&, const KeySpec&,
                                                             const std::string&) const;
template std::vector<BuyerType> KeyReader::get<std::vector<BuyerType>>(const toml::node&, const KeySpec&,
                                                                       const std::string&) const;
template BuyerType KeyReader::get<BuyerType>(const toml::node&, const KeySpec&, const std::string&) const;

}  // namespace lokalmat::schema
