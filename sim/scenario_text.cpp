#include "sim/scenario_text.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "sim/scenario.h"

namespace lokalmat::scenario_text {

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string suggestion(std::string_view word, const std::vector<std::string>& candidates, const std::string& prefix) {
  // a shortened name ("local_share" for "local_share_value"): the names it begins, if few
  std::vector<std::string> longer;
  for (const auto& c : candidates)
    if (word.size() >= 3 && c.size() > word.size() && c.starts_with(word)) longer.push_back(prefix + c);
  if (!longer.empty() && longer.size() <= 4) return fmt::format("; did you mean '{}'?", join(longer, "' or '"));
  // else a misspelling: the nearest name, if near enough
  std::string best;
  std::size_t best_d = std::string::npos;
  for (const auto& c : candidates) {
    const std::size_t d = edit_distance(word, c);
    if (d < best_d) best_d = d, best = c;
  }
  if (best.empty() || best_d > std::max<std::size_t>(2, word.size() / 3)) return "";
  return fmt::format("; did you mean '{}{}'?", prefix, best);
}

std::string join(const std::vector<std::string>& v, std::string_view sep) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : std::string(sep)) + x;
  return s;
}

std::string format_number(double x) {
  if (std::isinf(x)) return x > 0 ? "inf" : "-inf";
  return fmt::format("{:g}", x);
}

std::string type_of(const toml::node& n) {
  switch (n.type()) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "a whole number";
    case toml::node_type::floating_point: return "a number";
    case toml::node_type::boolean: return "true/false";
    case toml::node_type::array: return "a list";
    case toml::node_type::table: return "a table";
    default: return "a date or time";
  }
}

void merge_into(toml::table& base, toml::table&& over) {
  for (auto&& [k, v] : over) {
    toml::node* existing = base.get(k.str());
    if (existing && existing->is_table() && v.is_table()) {
      merge_into(*existing->as_table(), std::move(*v.as_table()));
    } else {
      base.insert_or_assign(k.str(), std::move(v));
    }
  }
}

std::string why_unreadable(const std::string& path) {
  namespace fs = std::filesystem;
  if (path.empty()) return "no file named (an empty path)";
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  if (ec == std::errc::filename_too_long)
    return fmt::format("the path is too long (a name in it may have at most 255 characters, the whole path at most "
                       "4095; this one has {})",
                       path.size());
  if (st.type() == fs::file_type::not_found) return "no such file";
  if (ec) return ec.message();
  if (st.type() == fs::file_type::directory) return "it is a directory, not a file";
  if (st.type() != fs::file_type::regular) return "it is not a regular file (a device, pipe or socket)";
  const std::uintmax_t size = fs::file_size(path, ec);
  if (ec) return ec.message();
  if (size > kMaxInputFileBytes)
    return fmt::format("it has {} bytes, more than the limit of {} bytes (16 MiB)", size, kMaxInputFileBytes);
  return "";
}

std::string read_input_file(const std::string& path, std::string_view what) {
  if (const std::string why = why_unreadable(path); !why.empty())
    throw ScenarioError(fmt::format("{}: cannot read {}: {}", path, what, why));
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ScenarioError(fmt::format("{}: cannot open {}", path, what));
  // in blocks, stopping past the limit in case the file grew since it was checked
  std::string text;
  std::array<char, 1 << 16> block{};
  while (in.read(block.data(), block.size()) || in.gcount() > 0) {
    text.append(block.data(), static_cast<std::size_t>(in.gcount()));
    if (text.size() > kMaxInputFileBytes)
      throw ScenarioError(fmt::format("{}: cannot read {}: it has more than the limit of {} bytes (16 MiB)", path,
                                      what, kMaxInputFileBytes));
  }
  if (in.bad()) throw ScenarioError(fmt::format("{}: cannot read {}", path, what));
  return text;
}

}  // namespace lokalmat::scenario_text
