#pragma once
// The simulation thread of the viewer. It owns the visual run (a LeveredRun, the run loop
// that `lokalmat run --interventions` uses too: sim/intervention.h) and optionally a
// baseline run of the same scenario and seed without the user's levers, stepped in
// lockstep; saving replays the lever log from week 0 through another LeveredRun, so no
// week reports are kept. The interface talks to it only through commands (a queue,
// handled at week boundaries) and reads it only through published snapshots.
#include <tbb/task_arena.h>

#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "viz/snapshot.h"

namespace lokalmat::viz {

namespace cmd {
struct Play {};
struct Pause {};
struct Step { int weeks = 1; };              // run this many weeks, then pause
struct SetSpeed { double weeks_per_second = 0; };  // 0 = as fast as possible
// load a scenario (or the same one again) at week 0, with a seed or the scenario's own;
// clears the levers moved
struct Load { std::string path; std::optional<std::uint64_t> seed; };
// move a lever: applied at the next week boundary and recorded in the log
struct Lever { std::string key; std::string value; };
// apply a lever when the run reaches a given week (the headless --intervene)
struct LeverAt { int week = 0; std::string key; std::string value; };
struct Compare { bool on = false; };
// write the run's results (HDF5) and, beside them, its intervention log
struct Save { std::string path; bool replace = false; };
}  // namespace cmd
using Command = std::variant<cmd::Play, cmd::Pause, cmd::Step, cmd::SetSpeed, cmd::Load, cmd::Lever, cmd::LeverAt,
                             cmd::Compare, cmd::Save>;

// where the intervention log of a saved result file goes: OUT.h5 -> OUT.interventions.toml
std::string log_path_for(const std::string& results_path);

// the save field's default: the one save that may create its directory, out/ (results/output_file.h)
inline constexpr const char* kDefaultSavePath = "out/view.h5";

class SimRunner {
 public:
  // sim_threads: worker threads for the step (0: all cores but one, which the interface keeps)
  explicit SimRunner(int sim_threads = 0);
  ~SimRunner();
  SimRunner(const SimRunner&) = delete;
  SimRunner& operator=(const SimRunner&) = delete;

  void send(Command c);
  // the newest snapshot (null until the first scenario has loaded or failed)
  [[nodiscard]] std::shared_ptr<const Snapshot> snapshot() const;
  // block until the queue is empty and the runner is paused or finished with nothing to do
  // (headless runs); returns the snapshot at that point
  std::shared_ptr<const Snapshot> wait_idle();

 private:
  struct Run;
  void loop();
  void handle(Command& c);
  void publish();

  int sim_threads_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable idle_cv_;
  std::deque<Command> queue_;
  bool stop_ = false;
  bool idle_ = false;
  std::shared_ptr<const Snapshot> latest_;
  // owned by the runner thread only
  std::unique_ptr<Run> run_;
  tbb::task_arena* arena_ = nullptr;         // the step's threads (lives in loop())
  std::thread thread_;
};

}  // namespace lokalmat::viz
