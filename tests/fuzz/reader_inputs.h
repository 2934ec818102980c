#pragma once
// The readers that the fuzz targets (fuzz_target.cpp) and the corpus test
// (corpus_test.cpp) feed: one entry point per kind of input file, called with the bytes
// of one input and reading them as `lokalmat` reads the file it is given.
//
// Why a file and not text: the readers take paths (a scenario's `base` resolves against
// the scenario's directory, a sweep's `scenario` against the sweep file, a [region]'s data
// files against the scenario), so an input is written to a file in a private workspace and
// read through the one code path the program uses. The workspace holds copies of the
// shipped scenarios, laid out so that every relative path a shipped file uses resolves from
// where an input is written (W is the workspace):
//   W/scenarios/input.toml           a scenario input: "horten.toml", "horten/lots.toml",
//                                    "data/..." name the copies in W/scenarios/, and
//                                    "../horten.toml" (as written in scenarios/horten/) the
//                                    second copy in W/
//   W/scenarios/sweeps/input.toml    a sweep input: "../horten.toml" as in scenarios/sweeps/
//   W/scenarios/interventions.toml   an intervention log, read for scenarios/horten.toml
//
// Bad input ends in ScenarioError, the one bad-input error ("FILE:LINE: key 'KEY':
// MESSAGE", sim/schema/key_reader.h); anything else escaping read() is a finding.
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

namespace lokalmat::fuzz {

enum class InputKind {
  scenario,       // load_scenario: parse, base chain, defaults, region expansion, schema, Params
  sweep,          // load_sweep (with its base scenario and design), the header and run order of a dry run
  interventions,  // read_interventions, then the run that would apply the log to scenarios/horten.toml
};
std::string_view kind_name(InputKind kind);

class Workspace {
 public:
  // a new private directory under the system's temporary directory, holding copies of the
  // scenario files (*.toml, data/*.csv) of `scenarios_dir`
  explicit Workspace(const std::filesystem::path& scenarios_dir);
  ~Workspace();  // removes the directory
  Workspace(const Workspace&) = delete;
  Workspace& operator=(const Workspace&) = delete;

  [[nodiscard]] const std::filesystem::path& root() const { return root_; }
  // where an input of `kind` is written
  [[nodiscard]] std::filesystem::path input_path(InputKind kind) const;
  // write `bytes` to the input file of `kind` and read it; throws what the reader throws
  void read(InputKind kind, std::string_view bytes);

 private:
  struct Cache;
  std::filesystem::path root_;
  std::unique_ptr<Cache> cache_;  // the scenario an intervention log is read for, loaded once
};

}  // namespace lokalmat::fuzz
