#pragma once
// What the long-running commands (sweep, calibrate) share: a stop flag set by SIGINT and
// SIGTERM (the runs in flight finish, the journal keeps them, the command exits 130), the
// default thread count per process, durations in words, and the check of an output path.
#include <string>

namespace lokalmat {

class Cluster;

void install_stop_handlers();  // SIGINT and SIGTERM set the stop flag
bool stop_requested();
void request_stop();

// the cores this process has to itself: all of them over the processes of this job on this machine
int default_threads(const Cluster& c);

// "45 s", "12 min", "1.5 h"; "?" when not finite
std::string format_duration(double seconds);

// why `out` cannot be written as a result file ("" when it can): checked before any run and by
// --dry-run, so that a bad -o is bad input (exit 2), not a failure after the runs
std::string output_path_problem(const std::string& out);

}  // namespace lokalmat
