#!/usr/bin/env python3
"""`make bench`: the speed and memory figures users wait for, each beside its target.

    tools/bench.py [--build build] [--quick]

Runs the Google Benchmark targets (tests/bench/) and the whole program as a user runs it, and
prints one line per figure: what was measured, the target, and whether it is met. Measure with
the machine otherwise idle (2 cores); the whole-program figures are the median of a few runs.
--quick skips the 10-year national runs and the 1,000-run sweep.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def benchmark(binary, pattern):
    """{name: result} of a Google Benchmark binary's JSON output for the benchmarks matching pattern."""
    p = subprocess.run([binary, f"--benchmark_filter={pattern}", "--benchmark_format=json"], capture_output=True,
                       text=True, check=True, cwd=ROOT)
    return {b["name"]: b for b in json.loads(p.stdout)["benchmarks"]}


def whole(args, repeats=3):
    """Median wall seconds and the largest peak RSS (KB) of a command, run `repeats` times."""
    walls, rss = [], 0
    for _ in range(repeats):
        with tempfile.NamedTemporaryFile(suffix=".time") as t:
            start = time.perf_counter()
            subprocess.run(["/usr/bin/time", "-f", "%M", "-o", t.name, *args], cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            walls.append(time.perf_counter() - start)
            rss = max(rss, int(open(t.name).read().split()[-1]))
    return statistics.median(walls), rss


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--quick", action="store_true")
    a = ap.parse_args()
    bin_ = os.path.join(a.build, "bin")
    lokalmat = os.path.join(bin_, "lokalmat")
    rows = []  # (figure, measured text, target text, met)

    def add(figure, value, target, unit, lower_is_better=True, fmt="{:.3g}"):
        met = value <= target if lower_is_better else value >= target
        rows.append((figure, (fmt + " {}").format(value, unit), ("<= " if lower_is_better else ">= ") +
                     (fmt + " {}").format(target, unit), "yes" if met else "NO"))

    step = benchmark(os.path.join(bin_, "step_benchmark"), "HortenTenYears|NorwayYear/|NorwayStateHash")
    horten1 = step["BM_HortenTenYears/1/real_time"]["real_time"]
    add("Horten 10 years, simulation (as in an ensemble or sweep), 1 thread", horten1, 8, "ms")
    n1 = step["BM_NorwayYear/1/iterations:2/real_time"]["real_time"]
    n2 = step["BM_NorwayYear/2/iterations:2/real_time"]["real_time"]
    add("Norway 1 year, speed-up at 2 threads", n1 / n2, 1.7, "x", lower_is_better=False)
    hash1 = step["BM_NorwayStateHash/1/real_time"]["real_time"]
    add("Norway state hash, share of a week's step at 1 thread", hash1 / (n1 / 52), 0.25, "", fmt="{:.2f}")

    out = benchmark(os.path.join(bin_, "output_benchmark"), ".")
    add("result file's cost / simulation's, Horten 10 years", out["BM_HortenTenYearsFile/1/real_time"]["file_share"], 1.0,
        "", fmt="{:.2f}")
    add("result file's cost / simulation's, Norway 1 year, 2 threads",
        out["BM_NorwayYearFile/2/iterations:3/real_time"]["file_share"], 0.2, "", fmt="{:.2f}")

    with tempfile.TemporaryDirectory() as tmp:
        o = os.path.join(tmp, "r.h5")
        wall, _ = whole([lokalmat, "run", "scenarios/horten.toml", "-o", o, "--force", "-q", "--threads", "1"], 5)
        add("whole `lokalmat run` of Horten (10 years), 1 thread", wall * 1e3, 50, "ms")
        wall, rss1 = whole([lokalmat, "run", "scenarios/norway.toml", "--years", "1", "-o", o, "--force", "-q",
                            "--threads", "2"])
        add("Norway 1 year, whole process, 2 threads", wall, 0.5, "s")
        agents = 46439
        add("memory per agent, Norway 1 year (peak RSS / agents)", rss1 * 1024 / agents / 1024, 1.0, "KB")
        if not a.quick:
            wall, rss10 = whole([lokalmat, "run", "scenarios/norway.toml", "-o", o, "--force", "-q", "--threads", "2"], 1)
            add("Norway 10 years, whole process, 2 threads", wall, 3, "s")
            add("memory per agent, Norway 10 years (flat in weeks)", rss10 * 1024 / agents / 1024, 1.0, "KB")
            wall, _ = whole([lokalmat, "run", "scenarios/norway-adoption.toml", "-o", o, "--force", "-q",
                             "--threads", "2"], 1)
            add("national adoption (norway-adoption.toml) 10 years, whole process, 2 threads", wall, 6, "s")
            s = os.path.join(tmp, "s.h5")
            wall, _ = whole([lokalmat, "sweep", "scenarios/sweeps/horten-lhs-1000.toml", "-o", s, "--force", "-q",
                             "--threads", "2"], 1)
            add("1,000-run Horten sweep (horten-lhs-1000.toml), 2 threads", wall, 10, "s")

    width = max(len(r[0]) for r in rows)
    print(f"{'figure':<{width}}  {'measured':>14}  {'target':>16}  met")
    for f, m, t, ok in rows:
        print(f"{f:<{width}}  {m:>14}  {t:>16}  {ok}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
