#include "sim/cli/command_util.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <csignal>
#include <filesystem>
#include <system_error>
#include <thread>

#include "sim/cli/cluster.h"

namespace lokalmat {

namespace {
namespace fs = std::filesystem;
std::atomic<bool> g_stop{false};
extern "C" void on_stop_signal(int) { g_stop = true; }
}  // namespace

void install_stop_handlers() {
  std::signal(SIGINT, on_stop_signal);
  std::signal(SIGTERM, on_stop_signal);
}
bool stop_requested() { return g_stop; }
void request_stop() { g_stop = true; }

int default_threads(const Cluster& c) {
  const int cores = static_cast<int>(std::max(1U, std::thread::hardware_concurrency()));
  return std::max(1, cores / std::max(1, c.local_size()));
}

std::string format_duration(double s) {
  if (!std::isfinite(s)) return "?";
  if (s < 90) return fmt::format("{:.0f} s", s);
  if (s < 5400) return fmt::format("{:.0f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

std::string output_path_problem(const std::string& out) {
  const fs::path p(out);
  const std::string name = p.filename().string();
  if (name.empty() || name == "." || name == "..")
    return "names a directory; give a file name, e.g. out/sweep.h5";
  std::error_code ec;
  const fs::file_status st = fs::status(p, ec);
  if (ec == std::errc::filename_too_long)
    return fmt::format("the path is too long (a name in it may have at most 255 characters, the whole path at most "
                       "4095; this one has {})",
                       out.size());
  if (fs::is_directory(st)) return "is a directory; give a file name, e.g. out/sweep.h5";
  const fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  const fs::file_status ds = fs::status(dir, ec);
  if (ec == std::errc::filename_too_long) return "the path is too long";
  if (fs::exists(ds) && !fs::is_directory(ds)) return fmt::format("'{}' is not a directory", dir.string());
  return "";
}

}  // namespace lokalmat
