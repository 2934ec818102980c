// A libFuzzer target over one reader, chosen at compile time by LOKALMAT_FUZZ_KIND
// (scenario, sweep or interventions; tests/fuzz/CMakeLists.txt builds one binary each).
// An input is the bytes of one file of that kind, read as `lokalmat` reads it
// (tests/fuzz/reader_inputs.h). A ScenarioError is what bad input must end in; any other
// exception is reported here and aborts, so libFuzzer keeps the input as a crash, as it
// does for a signal, a sanitizer report, a timeout or memory above the limit.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <memory>
#include <string_view>
#include <typeinfo>

#include "sim/scenario.h"
#include "tests/fuzz/reader_inputs.h"

namespace {

using lokalmat::fuzz::InputKind;
using lokalmat::fuzz::Workspace;

constexpr InputKind kKind = InputKind::LOKALMAT_FUZZ_KIND;

// one workspace for the whole fuzzing session (copying the shipped files once)
std::unique_ptr<Workspace> g_workspace;

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  g_workspace = std::make_unique<Workspace>(LOKALMAT_SOURCE_DIR "/scenarios");
  // remove the workspace also when libFuzzer ends the process with exit()
  std::atexit([] { g_workspace.reset(); });
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  try {
    g_workspace->read(kKind, std::string_view(reinterpret_cast<const char*>(data), size));
  } catch (const lokalmat::ScenarioError&) {
    // refused as bad input: the expected end
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lokalmat fuzz: %s escaped the %s reader: %s\n", typeid(e).name(),
                 lokalmat::fuzz::kind_name(kKind).data(), e.what());
    std::abort();
  } catch (...) {
    std::fprintf(stderr, "lokalmat fuzz: a non-standard exception escaped the %s reader\n",
                 lokalmat::fuzz::kind_name(kKind).data());
    std::abort();
  }
  return 0;
}
