#include "viz/sim_runner.h"

#include <tbb/task_arena.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <fstream>
#include <numeric>

#include "results/result_writer.h"
#include "sim/intervention.h"
#include "sim/run_totals.h"
#include "sim/scenario.h"
#include "sim/simulation.h"
#include "viz/levers.h"

namespace lokalmat::viz {

namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kPublishInterval = std::chrono::milliseconds(16);  // about 60 snapshots a second at most
constexpr std::size_t kMessagesKept = 40;

double metric(const GroupSums& g, std::string_view name) { return find_metric(name)->eval(g); }

// each name's position in alphabetical order (ties by index)
std::vector<int> name_ranks(const std::vector<std::string>& names) {
  std::vector<int> order(names.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return names[static_cast<std::size_t>(a)] < names[static_cast<std::size_t>(b)];
  });
  std::vector<int> rank(names.size());
  for (std::size_t i = 0; i < order.size(); ++i) rank[static_cast<std::size_t>(order[i])] = static_cast<int>(i);
  return rank;
}

// the world's fixed layout from the parameters and the state at week 0
std::shared_ptr<const World> build_world(const Scenario& sc, const State& s) {
  const Params& p = sc.params;
  auto w = std::make_shared<World>();
  w->scenario_path = sc.path;
  w->title = sc.title;
  w->seed = p.seed;
  w->weeks_planned = p.weeks;
  w->start = p.start;
  for (const auto& c : p.categories) w->categories.push_back(c.name);
  for (const auto& m : p.municipalities) {
    w->muni_names.push_back(m.name);
    w->muni_centre.push_back(m.centre);
    w->muni_radius_km.push_back(std::sqrt(std::max(m.area_km2, 0.0) / M_PI));
    w->muni_population.push_back(m.population);
  }
  for (const auto& f : p.producers) {
    w->farm_names.push_back(f.name);
    w->farm_muni.push_back(f.municipality);
    w->farm_pos.push_back(f.position);
    w->farm_organic.push_back(f.organic ? 1 : 0);
  }
  for (std::size_t b = 0; b < p.buyers.size(); ++b) {
    const auto& k = p.buyers[b];
    w->buyer_names.push_back(k.name);
    w->buyer_type.push_back(k.type);
    w->buyer_muni.push_back(k.municipality);
    w->buyer_pos.push_back(k.position);
    w->buyer_eaters.push_back(k.eaters);
    w->buyer_market.push_back(s.buyer_market[b]);
  }
  for (std::size_t h = 0; h < s.markets.kind.size(); ++h) {
    const auto m = s.markets.municipality[h];
    w->market_kind.push_back(s.markets.kind[h]);
    w->market_muni.push_back(static_cast<int>(m));
    w->market_pos.push_back(s.markets.kind[h] == MarketKind::platform ? p.municipalities[m].hub.position
                                                                   : p.municipalities[m].centre);
  }
  w->muni_name_rank = name_ranks(w->muni_names);
  w->farm_name_rank = name_ranks(w->farm_names);
  w->buyer_name_rank = name_ranks(w->buyer_names);
  w->channel_farm = s.channels.producer;
  w->channel_market = s.channels.market;

  // bounds of everything drawn; the wholesaler sits off the top-left corner
  Point lo{1e300, 1e300}, hi{-1e300, -1e300};
  auto grow = [&](Point q, double r) {
    lo.x_km = std::min(lo.x_km, q.x_km - r);
    lo.y_km = std::min(lo.y_km, q.y_km - r);
    hi.x_km = std::max(hi.x_km, q.x_km + r);
    hi.y_km = std::max(hi.y_km, q.y_km + r);
  };
  for (std::size_t m = 0; m < w->muni_centre.size(); ++m) grow(w->muni_centre[m], w->muni_radius_km[m]);
  for (const auto& q : w->farm_pos) grow(q, 0);
  for (const auto& q : w->buyer_pos) grow(q, 0);
  for (const auto& q : w->market_pos) grow(q, 0);
  if (lo.x_km > hi.x_km) lo = hi = Point{};
  const double span = std::max({hi.x_km - lo.x_km, hi.y_km - lo.y_km, 1.0});
  w->wholesaler_pos = Point{lo.x_km - 0.08 * span, hi.y_km + 0.08 * span};
  w->wholesaler_road_km = p.wholesaler.warehouse_distance_km;
  grow(w->wholesaler_pos, 0.02 * span);
  w->min_km = lo;
  w->max_km = hi;
  return w;
}

// one week's figures appended to the chart series
void append_week(History& h, const WeekReport& r) {
  const GroupSums all = group_sums(r, -1, -1, -1);
  h.local_share_value.push_back(metric(all, "local_share_value"));
  h.local_share_by_category.resize(static_cast<std::size_t>(r.n_categories));
  for (int c = 0; c < r.n_categories; ++c)
    h.local_share_by_category[static_cast<std::size_t>(c)].push_back(
        metric(group_sums(r, -1, -1, c), "local_share_value"));
  h.work_hours.push_back(metric(all, "work_hours"));
  h.participants_engaged.push_back(metric(all, "participants_engaged"));
  h.cost_per_meal_nok.push_back(metric(all, "cost_per_meal_nok"));
  h.budget_per_meal_nok.push_back(metric(all, "budget_per_meal_nok"));
  h.backing.push_back(metric(all, "political_backing"));
  h.co2e_kg.push_back(all.flow.co2e_kg);
  h.co2e_reference_kg.push_back(all.flow.co2e_reference_kg);
  h.local_kg.push_back(all.flow.local_kg);
  if (r.muni_total.elections > 0) h.election_weeks.push_back(r.week);
  if (r.muni_total.tenders > 0) h.tender_weeks.push_back(r.week);
  h.state_hash.push_back(r.state_hash);
}

void fill_agents(AgentView& a, const State& s, const WeekReport& r, int n_categories, bool have_report) {
  const auto C = static_cast<std::size_t>(n_categories);
  const auto& P = s.producers;
  const std::size_t np = P.status.size();
  a.farm_status = P.status;
  a.farm_area_daa.assign(np, 0);
  a.farm_delivered_kg.assign(np, 0);
  for (std::size_t p = 0; p < np; ++p)
    for (std::size_t c = 0; c < C; ++c) a.farm_area_daa[p] += P.area_daa[p * C + c];
  a.farm_income_week_nok = P.income_week_nok;
  a.farm_income_total_nok = P.income_total_nok;
  const std::size_t nk = s.channels.producer.size();
  a.channel_delivered_kg.assign(nk, 0);
  for (std::size_t k = 0; k < nk; ++k) {
    double kg = 0;
    for (std::size_t c = 0; c < C; ++c) kg += s.channels.delivered_kg[k * C + c];
    a.channel_delivered_kg[k] = static_cast<float>(kg);
    a.farm_delivered_kg[s.channels.producer[k]] += kg;
  }
  const auto& B = s.buyers;
  const std::size_t nb = B.satisfaction.size();
  a.buyer_satisfaction = B.satisfaction;
  a.buyer_participating = B.participating;
  a.buyer_meals = B.meals;
  a.buyer_outcome = B.delivery_outcome;
  a.buyer_local_kg.assign(nb, 0);
  a.buyer_wholesale_kg.assign(nb, 0);
  for (std::size_t b = 0; b < nb; ++b)
    for (std::size_t c = 0; c < C; ++c) {
      a.buyer_local_kg[b] += B.local_kg[b * C + c];
      a.buyer_wholesale_kg[b] += B.wholesale_kg[b * C + c];
    }
  a.market_handled_kg = s.markets.handled_kg;
  a.market_capacity_kg = s.markets.capacity_kg;
  const auto& W = s.workers;
  a.worker_centre = W.centre;
  a.worker_status = W.status;
  a.worker_attendance = W.attendance;
  a.worker_skill = W.skill;
  a.worker_hours_week = W.hours_week;
  a.worker_hours_total = W.hours_total;
  a.worker_contacts.resize(W.contacts.size());
  for (std::size_t i = 0; i < W.contacts.size(); ++i) a.worker_contacts[i] = static_cast<int>(W.contacts[i].size());
  a.muni_backing = s.policy.backing;
  a.muni_trust = s.policy.trust;
  a.muni_exception_open = s.policy.exception_open;
  const std::size_t nm = s.policy.backing.size();
  a.muni_local_share.assign(nm, std::nan(""));
  a.muni_local_kg.assign(nm, 0);
  a.muni_wholesale_kg.assign(nm, 0);
  if (!have_report) return;
  for (std::size_t m = 0; m < nm; ++m) {
    const GroupSums g = group_sums(r, static_cast<int>(m), -1, -1);
    a.muni_local_share[m] = metric(g, "local_share_value");
    a.muni_local_kg[m] = g.flow.local_kg;
    a.muni_wholesale_kg[m] = g.flow.wholesale_kg;
  }
}

}  // namespace

std::string log_path_for(const std::string& results_path) {
  std::filesystem::path p(results_path);
  p.replace_extension();
  return p.string() + ".interventions.toml";
}

// everything the runner thread owns: the loaded scenario, its runs, and what the loop is doing
struct SimRunner::Run {
  // the loaded scenario, and the visual run with its levers (null until one has loaded)
  Scenario scenario;
  std::shared_ptr<const World> world;
  std::unique_ptr<LeveredRun> run;
  std::unique_ptr<Simulation> baseline;      // the same scenario and seed, no levers moved
  History history, baseline_history;
  std::vector<std::vector<LeverValue>> levers;  // [m][lever] in force
  int loads = 0;                             // scenarios loaded so far
  // motion
  bool playing = false;
  int steps_left = 0;                        // > 0: stepping a given number of weeks, then pause
  double weeks_per_second = 0;               // 0 = as fast as possible
  Clock::time_point next_step = Clock::now();
  bool compare = false;
  // what the interface shows
  std::vector<std::string> messages;
  std::string error;
  Clock::time_point last_publish{};
  bool dirty = true;                         // something changed since the last snapshot
  // measured rate
  Clock::time_point rate_t0 = Clock::now();
  int rate_weeks = 0;
  double rate = 0;

  void say(std::string msg) {
    messages.push_back(std::move(msg));
    if (messages.size() > kMessagesKept) messages.erase(messages.begin());
    dirty = true;
  }
  [[nodiscard]] bool loaded() const { return run != nullptr; }
  [[nodiscard]] Simulation& sim() { return run->simulation(); }
  [[nodiscard]] const Simulation& sim() const { return run->simulation(); }
  [[nodiscard]] const Intervener& intervener() const { return run->intervener(); }
  [[nodiscard]] bool finished() const { return loaded() && sim().weeks_done() >= world->weeks_planned; }
  [[nodiscard]] bool moving() const { return loaded() && !finished() && (playing || steps_left > 0); }
  [[nodiscard]] bool baseline_behind() const { return baseline && baseline->weeks_done() < sim().weeks_done(); }

  void refresh_levers() {
    levers.clear();
    const auto& ids = intervener().municipality_ids();
    for (std::size_t m = 0; m < sim().params().municipalities.size(); ++m)
      levers.push_back(lever_values(sim().params().municipalities[m], m < ids.size() ? ids[m] : std::string()));
  }

  void load(const std::string& path, std::optional<std::uint64_t> seed) {
    Scenario sc;
    try {
      Overrides ov;
      if (seed) ov.emplace_back("run.seed", std::to_string(*seed));
      sc = load_scenario(path, ov);
    } catch (const std::exception& e) {
      say(fmt::format("cannot load {}: {}", path, e.what()));
      if (!loaded()) error = e.what();
      return;
    }
    scenario = std::move(sc);
    run = std::make_unique<LeveredRun>(scenario);
    world = build_world(scenario, sim().state());
    {
      auto w = std::const_pointer_cast<World>(world);
      w->muni_ids = intervener().municipality_ids();
      w->load_id = ++loads;
    }
    baseline = compare ? std::make_unique<Simulation>(scenario.params) : nullptr;
    history = History{};
    baseline_history = History{};
    playing = false;
    steps_left = 0;
    error.clear();
    refresh_levers();
    say(fmt::format("loaded {} (seed {}): {} municipalities, {} farms, {} kitchens, {} weeks", path,
                    scenario.params.seed,
                    scenario.params.municipalities.size(), scenario.params.producers.size(),
                    scenario.params.buyers.size(), scenario.params.weeks));
  }

  // a lever moved now, at the boundary before week weeks_done(); a refusal is shown, never thrown
  void apply_lever(const std::string& key, const std::string& value) {
    try {
      run->apply(key, value);
      say(fmt::format("week {}: {} = {}", sim().weeks_done(), key, value));
    } catch (const std::exception& e) {
      say(fmt::format("refused: {}", e.what()));
    }
    refresh_levers();
  }

  // one week of the visual run (and of the baseline when it is level with it)
  void step(tbb::task_arena& arena) {
    // the levers planned for this boundary (a refused one is shown and dropped), then the week
    bool moved = false;
    run->apply_due([&](const Intervention& iv, const std::exception* refused) {
      if (refused) say(fmt::format("refused: {}", refused->what()));
      else say(fmt::format("week {}: {} = {}", iv.week, iv.key, iv.value));
      moved = true;
    });
    if (moved) refresh_levers();
    const bool lockstep = baseline && baseline->weeks_done() == sim().weeks_done();
    arena.execute([&] { run->step(); });
    append_week(history, sim().report());
    if (lockstep) step_baseline(arena);
    ++rate_weeks;
    dirty = true;
  }

  void step_baseline(tbb::task_arena& arena) {
    arena.execute([&] { baseline->step(); });
    append_week(baseline_history, baseline->report());
    dirty = true;
  }

  // Save replays the run from week 0 with the intervention log, exactly as `lokalmat run
  // --interventions` does, writing each week as it goes and checking its state hash against the
  // visual run's: no week reports are kept in memory (the national scenario's are 2 MB a week),
  // and a saved file is one the command line is known to reproduce.
  void save(const std::string& path, bool replace, tbb::task_arena& arena) {
    if (!loaded()) return;
    try {
      const RunMetadata meta =
          run_metadata(scenario, tbb::this_task_arena::max_concurrency(),
                       intervener().log().empty() ? "" : format_interventions(intervener().log()));
      const std::string log_path = log_path_for(path);
      // both files by the rules of every output (results/output_file.h), checked before the replay
      OutputRules rules{.force = replace, .inputs = scenario.files, .create_directory = path == kDefaultSavePath};
      rules.inputs.push_back(scenario.path);
      check_output_target(log_path, rules);
      rules.create_directory = false;  // made now if it was to be
      ResultWriter writer(path, meta, rules);
      RunTotals totals;
      const auto t0 = Clock::now();
      LeveredRun replay(scenario, intervener().log());
      const int weeks = sim().weeks_done();
      arena.execute([&] {
        replay.run(weeks, [&](const WeekReport& r) {
          if (r.state_hash != history.state_hash[static_cast<std::size_t>(r.week)])
            throw std::runtime_error(fmt::format("the replay of the log differs from the visual run at week {}", r.week));
          writer.write_week(r);
          totals.add(r);
        });
      });
      const double wall_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
      writer.finish(wall_seconds, totals);
      write_output_file(log_path, format_interventions(intervener().log()), rules);
      const int years = (sim().weeks_done() + kWeeksPerYear - 1) / kWeeksPerYear;
      say(fmt::format("saved {} weeks to {} and {}; replay: lokalmat run {} --seed {} --years {} --interventions {}",
                      weeks, path, log_path, scenario.path, scenario.params.seed, std::max(years, 1),
                      log_path));
    } catch (const std::exception& e) {
      say(fmt::format("save failed: {}", e.what()));
    }
  }
};

SimRunner::SimRunner(int sim_threads)
    : sim_threads_(sim_threads > 0 ? sim_threads
                                   : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1)) {
  thread_ = std::thread([this] { loop(); });
}

SimRunner::~SimRunner() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void SimRunner::send(Command c) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(c));
    idle_ = false;
  }
  wake_.notify_all();
}

std::shared_ptr<const Snapshot> SimRunner::snapshot() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

std::shared_ptr<const Snapshot> SimRunner::wait_idle() {
  std::unique_lock lock(mutex_);
  idle_cv_.wait(lock, [&] { return idle_ && queue_.empty(); });
  return latest_;
}

void SimRunner::handle(Command& c) {
  Run& r = *run_;
  r.dirty = true;
  std::visit(
      [&](auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, cmd::Load>) {
          r.load(x.path, x.seed);
        } else if constexpr (std::is_same_v<T, cmd::Compare>) {
          r.compare = x.on;
          if (!x.on) {
            r.baseline.reset();
            r.baseline_history = History{};
          } else if (r.loaded() && !r.baseline) {
            r.baseline = std::make_unique<Simulation>(r.scenario.params);  // catches up week by week
          }
        } else if (!r.loaded()) {
          // nothing else means anything before a scenario has loaded
        } else if constexpr (std::is_same_v<T, cmd::Play>) {
          if (r.finished()) r.say(fmt::format("the run has reached its end ({} weeks); reset to run again",
                                              r.world->weeks_planned));
          r.playing = !r.finished();
          r.next_step = Clock::now();
        } else if constexpr (std::is_same_v<T, cmd::Pause>) {
          r.playing = false;
          r.steps_left = 0;
        } else if constexpr (std::is_same_v<T, cmd::Step>) {
          r.playing = false;
          r.steps_left = std::min(x.weeks, r.world->weeks_planned - r.sim().weeks_done());
        } else if constexpr (std::is_same_v<T, cmd::SetSpeed>) {
          r.weeks_per_second = std::max(0.0, x.weeks_per_second);
        } else if constexpr (std::is_same_v<T, cmd::Lever>) {
          r.apply_lever(x.key, x.value);
        } else if constexpr (std::is_same_v<T, cmd::LeverAt>) {
          if (x.week <= r.sim().weeks_done()) r.apply_lever(x.key, x.value);
          else r.run->plan({x.week, x.key, x.value, ""});
        } else if constexpr (std::is_same_v<T, cmd::Save>) {
          r.save(x.path, x.replace, *arena_);
        }
      },
      c);
}

void SimRunner::publish() {
  Run& r = *run_;
  auto s = std::make_shared<Snapshot>();
  s->error = r.error;
  s->messages = r.messages;
  if (r.loaded()) {
    const State& st = r.sim().state();
    s->world = r.world;
    s->week = st.week;
    s->date = st.date;
    s->playing = r.moving();
    s->finished = r.finished();
    s->weeks_per_second = r.moving() ? r.rate : 0;
    s->sim_threads = sim_threads_;
    s->history = r.history;
    s->compare = r.compare;
    s->baseline = r.baseline_history;
    fill_agents(s->agents, st, r.sim().report(), r.scenario.params.n_categories(), r.sim().weeks_done() > 0);
    s->levers = r.levers;
    s->log = r.intervener().log();
  }
  {
    std::lock_guard lock(mutex_);
    latest_ = std::move(s);
  }
  r.last_publish = Clock::now();
  r.dirty = false;
}

void SimRunner::loop() {
#ifdef __linux__
  // the interface comes first: on Linux a thread has its own nice value, and a lower priority
  // here lets the frame loop (and a software renderer's threads) run when the cores are busy
  setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), 10);
#endif
  run_ = std::make_unique<Run>();
  Run& r = *run_;
  // the step's worker threads; the interface thread keeps a core of its own
  tbb::task_arena arena(sim_threads_);
  arena_ = &arena;
  for (;;) {
    // take the commands queued so far; wait when there is nothing to do
    std::deque<Command> todo;
    {
      std::unique_lock lock(mutex_);
      const bool busy = r.moving() || (r.loaded() && r.baseline_behind());
      if (!busy && queue_.empty() && !stop_) {
        if (r.dirty) {
          lock.unlock();
          publish();
          lock.lock();
        }
        if (queue_.empty()) {
          idle_ = true;
          idle_cv_.notify_all();
          wake_.wait(lock, [&] { return stop_ || !queue_.empty(); });
        }
      } else if (r.moving() && r.playing && r.weeks_per_second > 0 && queue_.empty() && !stop_ &&
                 !r.baseline_behind()) {
        // playing at a set speed: sleep until the next week is due, unless a command comes
        wake_.wait_until(lock, r.next_step, [&] { return stop_ || !queue_.empty(); });
      }
      if (stop_) return;
      todo.swap(queue_);
    }
    for (auto& c : todo) handle(c);

    // one unit of work: the baseline catching up, or a week of both runs
    const auto now = Clock::now();
    if (r.loaded() && r.baseline_behind()) {
      r.step_baseline(arena);
    } else if (r.moving() && (r.steps_left > 0 || r.weeks_per_second <= 0 || now >= r.next_step)) {
      r.step(arena);
      if (r.steps_left > 0) --r.steps_left;
      if (r.playing && r.weeks_per_second > 0)
        r.next_step = std::max(r.next_step + std::chrono::duration_cast<Clock::duration>(
                                                 std::chrono::duration<double>(1.0 / r.weeks_per_second)),
                               now - std::chrono::milliseconds(100));
      if (r.finished()) {
        r.playing = false;
        r.steps_left = 0;
        r.say(fmt::format("the run has reached its end ({} weeks)", r.world->weeks_planned));
      }
    }
    // the measured rate, once a second
    if (const double dt = std::chrono::duration<double>(now - r.rate_t0).count(); dt >= 1.0) {
      r.rate = r.rate_weeks / dt;
      r.rate_weeks = 0;
      r.rate_t0 = now;
    }
    if (r.dirty && (!r.moving() || now - r.last_publish >= kPublishInterval)) publish();
  }
}

}  // namespace lokalmat::viz
