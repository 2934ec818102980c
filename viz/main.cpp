// lokalmat-view: the interactive viewer. The frame loop of Dear ImGui's examples (poll,
// new frame, draw panels, render) over snapshots that the simulation thread publishes.
//
//   lokalmat-view [SCENARIO.toml] [--seed S] [--compare]
// Headless (for tests and figures; run under xvfb-run where there is no display):
//   lokalmat-view SCENARIO --weeks N [--intervene WEEK:KEY=VALUE]... [--save OUT.h5]
//                 [--screenshot OUT.png] [--frames K] [--fps-report SECONDS]
// Exit codes: 0 ok, 1 failure (no display, cannot write), 2 bad input.
#include <GLFW/glfw3.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <optional>
#include <thread>

#include "viz/panels.h"
#include "viz/screenshot.h"
#include "viz/sim_runner.h"

namespace {

using namespace lokalmat::viz;
namespace fs = std::filesystem;

struct Options {
  std::string scenario = "scenarios/horten.toml";
  std::optional<std::uint64_t> seed;  // the scenario's own unless given
  bool compare = false;
  int weeks = 0;                      // run this many weeks before drawing (headless)
  std::vector<std::string> intervene; // WEEK:KEY=VALUE
  std::string save;                   // results after `weeks`
  bool replace = false;
  std::string screenshot;             // PNG of the window after `frames` frames
  int frames = 0;                     // frames to draw headless (0: interactive unless another headless option)
  double fps_seconds = 0;             // play at full speed this long, print the mean frame rate
  std::string inspector = "farms";    // the inspector's tab at the start
  std::string focus;                  // a municipality to centre the map on
  int width = 1280, height = 800;
  int threads = 0;
  [[nodiscard]] bool headless() const {
    return !screenshot.empty() || !save.empty() || frames > 0 || fps_seconds > 0;
  }
};

// the scenario files beside the given one (and one folder down), for the "open" list;
// sweep definitions and data tables are not scenarios
std::vector<std::string> shipped_scenarios(const std::string& scenario) {
  std::vector<std::string> out;
  const fs::path dir = fs::path(scenario).parent_path().empty() ? fs::path(".") : fs::path(scenario).parent_path();
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.is_regular_file() && e.path().extension() == ".toml") out.push_back(e.path().lexically_normal().string());
    if (e.is_directory() && e.path().filename() != "sweeps" && e.path().filename() != "data")
      for (const auto& f : fs::directory_iterator(e.path(), ec))
        if (f.is_regular_file() && f.path().extension() == ".toml") out.push_back(f.path().lexically_normal().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// "12:municipalities.horten.hub.fee_nok_per_kg=3.0" -> LeverAt
bool parse_intervene(const std::string& text, cmd::LeverAt& out) {
  const auto colon = text.find(':');
  const auto eq = text.find('=', colon == std::string::npos ? 0 : colon);
  if (colon == std::string::npos || eq == std::string::npos || colon == 0 || eq == colon + 1) return false;
  try {
    std::size_t used = 0;
    out.week = std::stoi(text.substr(0, colon), &used);
    if (used != colon || out.week < 0) return false;
  } catch (const std::exception&) {
    return false;
  }
  out.key = text.substr(colon + 1, eq - colon - 1);
  out.value = text.substr(eq + 1);
  return !out.value.empty();
}

void glfw_error(int code, const char* what) { std::cerr << fmt::format("lokalmat-view: GLFW error {}: {}\n", code, what); }

// one frame: poll, new frame, panels over the newest snapshot, render (not yet swapped)
void draw_frame(GLFWwindow* window, SimRunner& runner, ViewState& view, const ImVec4& clear) {
  glfwPollEvents();
  ImGui_ImplOpenGL3_NewFrame();
  ImGui_ImplGlfw_NewFrame();
  ImGui::NewFrame();
  view.fps = ImGui::GetIO().Framerate;

  const std::shared_ptr<const Snapshot> snap = runner.snapshot();
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const Layout layout = layout_for(display.x, display.y);
  Commands out;
  draw_controls(snap.get(), view, out, layout);
  if (snap && snap->world) {
    draw_levers(*snap, view, out, layout);
    draw_map(*snap, view, layout);
    draw_inspector(*snap, view, layout);
    draw_charts(*snap, view, layout);
  }
  for (auto& c : out) runner.send(std::move(c));

  ImGui::Render();
  int fb_w = 0, fb_h = 0;
  glfwGetFramebufferSize(window, &fb_w, &fb_h);
  glViewport(0, 0, fb_w, fb_h);
  glClearColor(clear.x, clear.y, clear.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
}

int run_viewer(const Options& opt) {
  // the scenario and what happens to it before anything is drawn
  std::vector<cmd::LeverAt> scheduled;
  for (const auto& text : opt.intervene) {
    cmd::LeverAt l;
    if (!parse_intervene(text, l)) {
      std::cerr << fmt::format("lokalmat-view: --intervene '{}': expected WEEK:KEY=VALUE, e.g. "
                               "10:municipalities.horten.hub.fee_nok_per_kg=3.0\n",
                               text);
      return 2;
    }
    scheduled.push_back(l);
  }
  if (!fs::exists(opt.scenario)) {
    std::cerr << fmt::format("lokalmat-view: {}: no such scenario file (run from the repository root, or name one)\n",
                             opt.scenario);
    return 2;
  }

  glfwSetErrorCallback(glfw_error);
  if (!glfwInit()) {
    std::cerr << "lokalmat-view: cannot open a display (headless? run under xvfb-run -a)\n";
    return 1;
  }
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GL_TRUE);
  GLFWwindow* window = glfwCreateWindow(opt.width, opt.height, "lokalmat-view", nullptr, nullptr);
  if (!window) {
    std::cerr << "lokalmat-view: cannot create an OpenGL 3.3 window\n";
    glfwTerminate();
    return 1;
  }
  glfwMakeContextCurrent(window);
  glfwSwapInterval(opt.headless() ? 0 : 1);  // headless frames (and the FPS report) wait for no display

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;  // no imgui.ini: the layout is computed from the window size
  ImGui::StyleColorsDark();
  // a software renderer (Mesa llvmpipe under Xvfb) pays for every pixel drawn: the panels tile
  // the window, so they get no background of their own and the frame is cleared to its colour
  ImGuiStyle& style = ImGui::GetStyle();
  const ImVec4 clear = style.Colors[ImGuiCol_WindowBg];
  style.Colors[ImGuiCol_WindowBg].w = 0;
  ImGui_ImplGlfw_InitForOpenGL(window, true);
  ImGui_ImplOpenGL3_Init("#version 330 core");

  int status = 0;
  {
    SimRunner runner(opt.threads);
    ViewState view;
    view.scenario_path = opt.scenario;
    view.shipped_scenarios = shipped_scenarios(opt.scenario);
    view.compare = opt.compare;
    view.tab = opt.inspector == "kitchens"       ? InspectorTab::kitchens
               : opt.inspector == "participants" ? InspectorTab::participants
                                                 : InspectorTab::farms;
    view.tab_request = true;
    view.focus = opt.focus;
    runner.send(cmd::Compare{opt.compare});
    runner.send(cmd::Load{opt.scenario, opt.seed});
    runner.send(cmd::SetSpeed{view.weeks_per_second});
    for (auto& l : scheduled) runner.send(l);
    if (opt.weeks > 0) runner.send(cmd::Step{opt.weeks});

    if (!opt.headless()) {
      // interactive: until the window is closed
      while (!glfwWindowShouldClose(window)) {
        draw_frame(window, runner, view, clear);
        glfwSwapBuffers(window);
      }
      runner.send(cmd::Pause{});
    } else {
      auto snap = runner.wait_idle();
      if (!snap || !snap->world) {
        std::cerr << "lokalmat-view: " << (snap ? snap->error : "no scenario") << "\n";
        status = 2;
      } else {
        if (!opt.save.empty()) {
          runner.send(cmd::Save{opt.save, opt.replace});
          snap = runner.wait_idle();
          if (snap->messages.empty() || !snap->messages.back().starts_with("saved")) status = 1;
        }
        // a few frames before a capture: the first lays the windows out, tables fit their
        // columns to their contents over the next ones
        const int frames = std::max({opt.frames, opt.screenshot.empty() ? 1 : 4});
        for (int f = 0; f < frames; ++f) {
          draw_frame(window, runner, view, clear);
          if (f == frames - 1 && !opt.screenshot.empty()) {
            int fb_w = 0, fb_h = 0;
            glfwGetFramebufferSize(window, &fb_w, &fb_h);
            std::string error;
            if (!write_screenshot(opt.screenshot, opt.replace, fb_w, fb_h, error)) {
              std::cerr << "lokalmat-view: " << error << "\n";
              status = 1;
            } else {
              std::cout << fmt::format("screenshot: {} ({} x {})\n", opt.screenshot, fb_w, fb_h);
            }
          }
          glfwSwapBuffers(window);
        }
        // the frame rate while the simulation plays at full speed
        if (opt.fps_seconds > 0) {
          // (a run that reaches its end starts again from week 0, so the simulation runs throughout)
          runner.send(cmd::SetSpeed{0});
          runner.send(cmd::Play{});
          int last_week = runner.snapshot()->week, weeks_run = 0, restarts = 0, restarted_load = -1;
          const auto t0 = std::chrono::steady_clock::now();
          int n = 0;
          double worst_ms = 0;
          auto last = t0;
          for (;;) {
            draw_frame(window, runner, view, clear);
            glfwSwapBuffers(window);
            ++n;
            const auto frame_snap = runner.snapshot();
            weeks_run += std::max(frame_snap->week - last_week, 0);
            last_week = frame_snap->week;
            if (frame_snap->finished && frame_snap->world->load_id != restarted_load) {
              restarted_load = frame_snap->world->load_id;
              ++restarts;
              runner.send(cmd::Load{frame_snap->world->scenario_path, frame_snap->world->seed});
              runner.send(cmd::Play{});
            }
            const auto now = std::chrono::steady_clock::now();
            worst_ms = std::max(worst_ms, std::chrono::duration<double, std::milli>(now - last).count());
            last = now;
            if (std::chrono::duration<double>(now - t0).count() >= opt.fps_seconds) break;
          }
          const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
          runner.send(cmd::Pause{});
          snap = runner.wait_idle();
          std::cout << fmt::format("fps: {:.1f} mean over {:.1f} s ({} frames, slowest {:.1f} ms, {} vertices); "
                                   "simulation {} weeks ({:.1f} weeks/s, {} restarts) on {} threads\n",
                                   n / secs, secs, n, worst_ms, ImGui::GetIO().MetricsRenderVertices, weeks_run,
                                   weeks_run / secs, restarts, snap->sim_threads);
        }
        snap = runner.wait_idle();
        for (const auto& m : snap->messages) std::cout << m << "\n";
        std::cout << fmt::format("week {}: state hash {:016x}\n", snap->week,
                                 snap->history.state_hash.empty() ? 0 : snap->history.state_hash.back());
      }
    }
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(window);
  glfwTerminate();
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"lokalmat-view — watch and steer a lokalmat run"};
  Options opt;
  app.add_option("scenario", opt.scenario, "scenario file (default scenarios/horten.toml)");
  std::int64_t seed = -1;
  app.add_option("--seed", seed, "random seed (overrides run.seed)")->check(CLI::NonNegativeNumber);
  app.add_flag("--compare", opt.compare, "step a second run without the levers moved, side by side in the charts");
  app.add_option("--weeks", opt.weeks, "run this many weeks before drawing (headless)")->check(CLI::Range(0, 100000));
  app.add_option("--intervene", opt.intervene,
                 "move a lever at a week boundary, as the lever panel does: WEEK:KEY=VALUE (repeatable)")
      ->allow_extra_args(false);  // one value per --intervene, so a scenario may follow
  app.add_option("--save", opt.save, "after --weeks, write the results (HDF5) and OUT.interventions.toml beside them");
  app.add_flag("--replace,--force", opt.replace, "let --save and --screenshot replace existing files");
  app.add_option("--screenshot", opt.screenshot, "write a PNG of the window after --frames frames, then exit");
  app.add_option("--frames", opt.frames, "frames to draw headless (at least 4 with --screenshot)")->check(CLI::Range(0, 100000));
  app.add_option("--fps-report", opt.fps_seconds, "play at full speed this many seconds and print the mean frame rate")
      ->check(CLI::Range(0.0, 3600.0));
  app.add_option("--inspector", opt.inspector, "inspector tab at the start")
      ->check(CLI::IsMember({"farms", "kitchens", "participants"}));
  app.add_option("--focus", opt.focus, "centre the map on this municipality (name or scenario id), zoomed in");
  app.add_option("--width", opt.width, "window width, pixels")->check(CLI::Range(320, 8192));
  app.add_option("--height", opt.height, "window height, pixels")->check(CLI::Range(240, 8192));
  app.add_option("--threads", opt.threads, "simulation threads (default: all cores but one)")->check(CLI::Range(1, 1024));
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;
  }
  if (seed >= 0) opt.seed = static_cast<std::uint64_t>(seed);
  try {
    return run_viewer(opt);
  } catch (const std::exception& e) {
    std::cerr << "lokalmat-view: " << e.what() << "\n";
    return 1;
  }
}
