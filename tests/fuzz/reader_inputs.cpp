// The readers fed by the fuzz targets and the corpus test; see reader_inputs.h.
#include "tests/fuzz/reader_inputs.h"

#include <stdlib.h>  // mkdtemp (POSIX)

#include <cerrno>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <system_error>
#include <vector>

#include "sim/intervention.h"
#include "sim/scenario.h"
#include "sim/sweep/sweep_def.h"
#include "sim/sweep/sweep_run.h"

namespace lokalmat::fuzz {

namespace fs = std::filesystem;

struct Workspace::Cache {
  std::optional<Scenario> horten;  // what an intervention log is read for
};

std::string_view kind_name(InputKind kind) {
  switch (kind) {
    case InputKind::scenario: return "scenario";
    case InputKind::sweep: return "sweep";
    case InputKind::interventions: return "interventions";
  }
  return "?";
}

namespace {

// the scenario files of `from` (TOML files and the data tables of [region]) into `to`
void copy_scenario_files(const fs::path& from, const fs::path& to) {
  for (const auto& e : fs::recursive_directory_iterator(from)) {
    if (!e.is_regular_file()) continue;
    const auto ext = e.path().extension();
    if (ext != ".toml" && ext != ".csv") continue;
    const fs::path target = to / fs::relative(e.path(), from);
    fs::create_directories(target.parent_path());
    fs::copy_file(e.path(), target, fs::copy_options::overwrite_existing);
  }
}

void write_file(const fs::path& path, std::string_view bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write the fuzz input " + path.string());
}

}  // namespace

Workspace::Workspace(const fs::path& scenarios_dir) : cache_(std::make_unique<Cache>()) {
  if (!fs::is_directory(scenarios_dir)) throw std::runtime_error("no scenarios directory " + scenarios_dir.string());
  std::string pattern = (fs::temp_directory_path() / "lokalmat-fuzz-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::system_error(errno, std::generic_category(), "mkdtemp " + pattern);
  root_ = pattern;
  // the shipped files twice: W/scenarios/ beside the inputs, W/ for "../x.toml" from W/scenarios/
  copy_scenario_files(scenarios_dir, root_ / "scenarios");
  copy_scenario_files(scenarios_dir, root_);
}

Workspace::~Workspace() {
  std::error_code ec;
  fs::remove_all(root_, ec);
}

fs::path Workspace::input_path(InputKind kind) const {
  switch (kind) {
    case InputKind::scenario: return root_ / "scenarios" / "input.toml";
    case InputKind::sweep: return root_ / "scenarios" / "sweeps" / "input.toml";
    case InputKind::interventions: return root_ / "scenarios" / "interventions.toml";
  }
  throw std::logic_error("unknown input kind");
}

void Workspace::read(InputKind kind, std::string_view bytes) {
  const fs::path path = input_path(kind);
  write_file(path, bytes);
  switch (kind) {
    case InputKind::scenario: {
      (void)load_scenario(path.string());
      return;
    }
    case InputKind::sweep: {
      // what `lokalmat sweep --dry-run` does: the definition, its header and the order of the runs
      const sweep::SweepDef def = sweep::load_sweep(path.string());
      (void)sweep::make_header(def);
      (void)sweep::run_order(def.design, def.replicates);
      return;
    }
    case InputKind::interventions: {
      // what `lokalmat run scenarios/horten.toml --interventions LOG` does before its first week
      if (!cache_->horten) cache_->horten = load_scenario((root_ / "scenarios" / "horten.toml").string());
      std::vector<Intervention> log = read_interventions(path.string(), *cache_->horten);
      const LeveredRun run(*cache_->horten, std::move(log));
      return;
    }
  }
}

}  // namespace lokalmat::fuzz
