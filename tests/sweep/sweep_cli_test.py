#!/usr/bin/env python3
"""Tests of `lokalmat sweep` and `lokalmat analyze` as a researcher runs them, driven by ctest.

    sweep_cli_test.py CHECK --lokalmat BIN --source-dir DIR [--mpirun MPIRUN]

CHECK is one of
  threads         the same sweep at 1 and 2 threads: identical rows, outputs and weekly series
  mpi             under `mpirun -n 1`, `-n 2`, `-n 3`: identical to the single-process sweep
  kill_resume     a sweep killed with SIGKILL mid-way, then --resume: exactly the runs of an
                  uninterrupted sweep, none repeated, none lost
  interrupt       SIGINT: exit 130, an incomplete but readable sweep file; --resume finishes it
  failing_point   a point whose value is out of range is recorded as failed; the rest complete
  ishigami        Ishigami through sweep + analyze: known S1 and ST inside the stored intervals
  morris          a linear test function: Morris mu* and sigma exact
  read_sweep      results/read_sweep.py reads a sweep file into pandas
  bad_input       misspelt keys, unknown scenario keys, wrong design keys: exit 2 with file:line and key;
                  an existing sweep file is kept without --resume or --force
  progress        without a terminal: progress lines with runs done, failed, rate and time left
  shipped         every scenarios/sweeps/*.toml is accepted (--dry-run) with the run count it states
  second_order    the G-function on the Saltelli 2002 design: the stored S2 [K x K] holds the analytic values
  sample_analysis PAWN and SRRC of Latin-hypercube and factorial sweeps, in the file and printed, with
                  the runs used and the seed-noise share of a sweep with replicates
  drops           failed runs at one end of a range: counted with their reason, and a warning that they
                  cluster there (printed and in the file's attributes)
  choices         categorical parameters: rule sets and a yes/no key in one factorial sweep, the
                  levels' names in the file and the CSV; scenario files as a parameter give the
                  same outputs as a sweep of each file; a misspelt level is refused as bad input
  discover        PRIM over a sweep: the known box of a linear function found, trajectory and box in the
                  file; a rule set found by name in a sweep over choices
  by_municipality weekly series per municipality ([runs x municipalities x weeks]): additive metrics sum
                  to the total series; exported long; a sweep over the value limit refused
  export          `lokalmat export` of a sweep file: runs.csv, design.csv, weekly_<metric>.csv and the analysis
                  tables, every value as in the HDF5 file; an unfinished sweep only with --partial
  slurm_example   the command line of tools/slurm/sweep.sbatch under `mpirun -n 3`: every rank runs runs;
                  plain srun without an MPI plugin is refused with the fix
Exit status 0 when every assertion holds; otherwise each failure is printed.
"""
import argparse
import glob
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from script_checks import check, describe, failures, run_check, mpi_env, write  # noqa: E402

try:
    import h5py
    import numpy as np
except ImportError as e:
    sys.exit(f"sweep_cli_test.py: {e}; run with a Python that has h5py and numpy (python3-h5py)")

ARGS = None



def lokalmat(*args, timeout=600, launcher=()):
    return subprocess.run([*launcher, ARGS.lokalmat, *args], cwd=ARGS.source_dir, capture_output=True, text=True,
                          timeout=timeout, env=mpi_env())


def small_sweep(tmp, replicates=2, years=1, extra=""):
    """A factorial sweep of Horten: 3 x 2 points, short runs, a weekly series kept."""
    scenario = os.path.join(ARGS.source_dir, "scenarios", "horten.toml")
    return write(os.path.join(tmp, "small.toml"), f"""
title = "test sweep"
scenario = "{scenario}"
replicates = {replicates}
first_seed = 3
[set]
"run.years" = {years}
[design]
kind = "factorial"
[[parameter]]
key = "municipalities.horten.hub.fee_nok_per_kg"
values = [0.0, 2.0, 4.0]
[[parameter]]
key = "municipalities.horten.policy.local_incentive_nok_per_kg"
values = [0.0, 10.0]
[[output]]
metric = "local_share_value"
last_weeks = 26
[[output]]
metric = "work_hours"
reduce = "sum"
[[output]]
figure = "cost_per_meal_nok"
[weekly]
metrics = ["local_share_value", "work_hours"]
{extra}
""")


def read_rows(path):
    """The /runs table as {column: array} plus weekly series and root attributes."""
    with h5py.File(path, "r") as h:
        runs = h["runs"]
        out = {k: runs[k][()] for k in ("run_id", "point", "replicate", "seed", "wall_seconds")}
        out["status"] = [s.decode() if isinstance(s, bytes) else s for s in runs["status"][()]]
        out["message"] = [s.decode() if isinstance(s, bytes) else s for s in runs["message"][()]]
        for group in ("param", "output"):
            for k in runs[group]:
                out[f"{group}/{k}"] = runs[group][k][()]
        if "weekly" in h:
            for k in h["weekly"]:
                out[f"weekly/{k}"] = h["weekly"][k][()]
        attrs = {k: h.attrs[k] for k in h.attrs}
    return out, attrs


def same_results(a, b, what):
    """Every column but wall_seconds bit-identical (NaN equal to NaN)."""
    ra, _ = read_rows(a)
    rb, _ = read_rows(b)
    check(sorted(ra) == sorted(rb), f"{what}: columns differ: {sorted(ra)} vs {sorted(rb)}")
    for k in ra:
        if k == "wall_seconds" or k not in rb:
            continue
        x, y = ra[k], rb[k]
        if isinstance(x, list):
            check(x == y, f"{what}: column {k} differs")
            continue
        ok = x.shape == y.shape and np.array_equal(x.view(np.uint8) if x.dtype.kind == "f" else x,
                                                  y.view(np.uint8) if y.dtype.kind == "f" else y)
        check(ok, f"{what}: column {k} is not bit-identical")


def sweep(tmp, definition, name, *extra, launcher=(), timeout=600):
    out = os.path.join(tmp, name + ".h5")
    p = lokalmat("sweep", definition, "-o", out, *extra, launcher=launcher, timeout=timeout)
    check(p.returncode == 0, f"sweep {name}: {describe(p)}")
    return out


# ---------------------------------------------------------------- checks

def check_threads():
    with tempfile.TemporaryDirectory() as tmp:
        d = small_sweep(tmp)
        one = sweep(tmp, d, "t1", "--threads", "1")
        two = sweep(tmp, d, "t2", "--threads", "2")
        rows, attrs = read_rows(one)
        check(list(rows["run_id"]) == list(range(12)), f"run ids {list(rows['run_id'])}, expected 0..11")
        check(all(s == "ok" for s in rows["status"]), f"statuses {rows['status']}")
        check(int(attrs["complete"]) == 1, "complete != 1")
        check(list(rows["seed"]) == [3, 4] * 6, f"seeds {list(rows['seed'])}: replicate r runs with first_seed + r")
        check(rows["weekly/local_share_value"].shape == (12, 52), f"weekly shape {rows['weekly/local_share_value'].shape}")
        # replicates differ (different seeds) but the same seed at two points is a common random number
        share = rows["output/local_share_value_pooled_last26w"]
        check(np.all(np.isfinite(share)) and np.all((share >= 0) & (share <= 1)), f"local share out of 0..1: {share}")
        check(len(set(share.tolist())) > 1, "every run has the same local share: parameters not applied?")
        # the parameter columns hold the design values, point-major
        fee = rows["param/municipalities.horten.hub.fee_nok_per_kg"]
        check(sorted(set(fee.tolist())) == [0.0, 2.0, 4.0], f"fee values {sorted(set(fee.tolist()))}")
        # the kept sum equals the sum of the kept weekly series
        work = rows["output/work_hours_sum"]
        check(np.allclose(work, rows["weekly/work_hours"].sum(axis=1), rtol=1e-12, atol=1e-9),
              "work_hours sum output != sum of its weekly series")
        same_results(one, two, "1 vs 2 threads")
        # a single run with the same key values and seed gives the same figure
        run_out = os.path.join(tmp, "single.h5")
        p = lokalmat("run", os.path.join(ARGS.source_dir, "scenarios", "horten.toml"), "-o", run_out, "--years", "1",
                     "--seed", "4", "--set", "municipalities.horten.hub.fee_nok_per_kg=2.0",
                     "--set", "municipalities.horten.policy.local_incentive_nok_per_kg=10.0", "-q")
        if check(p.returncode == 0, f"run: {describe(p)}"):
            with h5py.File(run_out, "r") as h:
                cost = float(h["run"]["cost_per_meal_nok"][()])
            i = [k for k in range(12) if fee[k] == 2.0 and
                 rows["param/municipalities.horten.policy.local_incentive_nok_per_kg"][k] == 10.0 and
                 rows["seed"][k] == 4]
            check(len(i) == 1 and rows["output/cost_per_meal_nok"][i[0]] == cost,
                  f"sweep run {i} cost {rows['output/cost_per_meal_nok'][i] if i else None} != single run {cost}")


def check_mpi():
    if not ARGS.mpirun:
        failures.append("no mpirun given (install openmpi-bin)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        d = small_sweep(tmp)
        ref = sweep(tmp, d, "ref", "--threads", "1")
        for n in (1, 2, 3):
            out = sweep(tmp, d, f"mpi{n}", "--threads", "1", launcher=(ARGS.mpirun, "-n", str(n)))
            if os.path.exists(out):
                same_results(ref, out, f"mpirun -n {n} vs one process")
                _, attrs = read_rows(out)
                check(int(attrs["complete"]) == 1, f"mpirun -n {n}: complete != 1")
        check(not glob.glob(os.path.join(tmp, "*.journal")), "a journal is left after complete sweeps")


def journal_bytes(path):
    return os.path.getsize(path) if os.path.exists(path) else 0


def start_long_sweep(tmp):
    d = small_sweep(tmp, replicates=100, years=10)  # 600 runs of 10 years, ~8 kB each in the journal
    out = os.path.join(tmp, "long.h5")
    proc = subprocess.Popen([ARGS.lokalmat, "sweep", d, "-o", out, "--threads", "2", "--checkpoint-seconds", "0.5"],
                            cwd=ARGS.source_dir, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # wait until about 30 runs are in the journal, and the sweep is still going
    t0 = time.time()
    while journal_bytes(out + ".journal") < 30 * 8400 and proc.poll() is None and time.time() - t0 < 120:
        time.sleep(0.05)
    if not check(proc.poll() is None, "the sweep finished before it could be stopped; make it longer"):
        proc.communicate()
        return d, out, None
    return d, out, proc


def resumed_counts(stderr):
    m = re.search(r"\((\d+) done, (\d+) to go\)", stderr)
    return (int(m.group(1)), int(m.group(2))) if m else (None, None)


def check_kill_resume():
    with tempfile.TemporaryDirectory() as tmp:
        d, out, proc = start_long_sweep(tmp)
        if not proc:
            return
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        check(os.path.exists(out + ".journal"), "no journal after kill -9")
        if os.path.exists(out):  # a snapshot may or may not have been written; if so, it opens
            try:
                with h5py.File(out, "r") as h:
                    check(int(h.attrs["complete"]) == 0, "a killed sweep's file says complete = 1")
            except OSError as e:
                failures.append(f"the sweep file after kill -9 does not open: {e}")
        p = lokalmat("sweep", d, "-o", out, "--resume", "--threads", "2")
        if not check(p.returncode == 0, f"resume: {describe(p)}"):
            return
        done, left = resumed_counts(p.stderr)
        check(done is not None and 0 < done < 600 and done + left == 600,
              f"resume should report 0 < done < 600 and done + to go = 600: {p.stderr}")
        ref = sweep(tmp, d, "ref", "--threads", "2")
        same_results(ref, out, "killed + resumed vs uninterrupted")
        rows, attrs = read_rows(out)
        check(len(rows["run_id"]) == 600 and len(set(rows["run_id"].tolist())) == 600, "runs repeated or lost")
        check(int(attrs["complete"]) == 1, "resumed sweep not complete")
        check(not os.path.exists(out + ".journal"), "journal left after the resumed sweep completed")
        # a second resume has nothing to do
        p = lokalmat("sweep", d, "-o", out, "--resume")
        check(p.returncode == 0 and "nothing to resume" in p.stderr, f"resume of a complete sweep: {describe(p)}")


def check_interrupt():
    with tempfile.TemporaryDirectory() as tmp:
        d, out, proc = start_long_sweep(tmp)
        if not proc:
            return
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=120)
        check(proc.returncode == 130, f"SIGINT: exit {proc.returncode}, expected 130; {err}")
        check("--resume" in err, f"the message should say how to resume: {err}")
        if check(os.path.exists(out), "no sweep file after SIGINT"):
            rows, attrs = read_rows(out)
            check(int(attrs["complete"]) == 0 and 0 < len(rows["run_id"]) < 600,
                  f"after SIGINT: complete {attrs['complete']}, {len(rows['run_id'])} rows")
            # early runs cover the design: every point appears among the first runs done
            check(len(set(rows["point"].tolist())) == 6, f"points covered after interrupt: {set(rows['point'].tolist())}")
        p = lokalmat("sweep", d, "-o", out, "--resume")
        check(p.returncode == 0, f"resume after SIGINT: {describe(p)}")
        rows, attrs = read_rows(out)
        check(int(attrs["complete"]) == 1 and list(rows["run_id"]) == list(range(600)), "resume did not complete")


def check_failing_point():
    with tempfile.TemporaryDirectory() as tmp:
        scenario = os.path.join(ARGS.source_dir, "scenarios", "horten.toml")
        d = write(os.path.join(tmp, "fail.toml"), f"""
scenario = "{scenario}"
replicates = 2
[set]
"run.years" = 1
[design]
kind = "factorial"
[[parameter]]
key = "municipalities.horten.exception_cap_share"
values = [0.5, 1.5, 1.0]
""")
        out = os.path.join(tmp, "fail.h5")
        p = lokalmat("sweep", d, "-o", out)
        check(p.returncode == 0, f"a sweep with a failing point should complete (exit 0): {describe(p)}")
        check("warning" in p.stderr and "exception_cap_share" in p.stderr,
              f"no warning that the range exceeds the key's: {p.stderr}")
        rows, attrs = read_rows(out)
        check(int(attrs["complete"]) == 1, "not complete")
        check(int(attrs["runs_failed"]) == 2 and int(attrs["runs_ok"]) == 4,
              f"runs_ok {attrs['runs_ok']}, runs_failed {attrs['runs_failed']}")
        for i, point in enumerate(rows["point"]):
            bad = point == 1
            check(rows["status"][i] == ("failed" if bad else "ok"), f"run {i}: status {rows['status'][i]}")
            if bad:
                check("exception_cap_share" in rows["message"][i] and "0 to 1" in rows["message"][i],
                      f"failed run's message does not name the key and range: {rows['message'][i]}")
                check(np.isnan(rows["output/local_share_value"][i]), "a failed run's outputs are not NaN")
            else:
                check(rows["message"][i] == "" and np.isfinite(rows["output/local_share_value"][i]),
                      f"run {i} should be ok with finite outputs")
        check("2 failed" in p.stdout, f"summary does not count the failures: {p.stdout}")


def analysis(path, method, output):
    with h5py.File(path, "r") as h:
        g = h["analysis"][method][output]
        return {k: g[k][()] for k in g}, dict(g.attrs)


def check_ishigami():
    with tempfile.TemporaryDirectory() as tmp:
        out = sweep(tmp, os.path.join(ARGS.source_dir, "scenarios", "sweeps", "ishigami.toml"), "ishigami")
        p = lokalmat("analyze", out)
        if not check(p.returncode == 0, f"analyze: {describe(p)}"):
            return
        check("S1 (Saltelli 2010)" in p.stdout and "ST (Jansen)" in p.stdout, f"analyze table: {p.stdout}")
        t, attrs = analysis(out, "sobol", "y")
        s1, st = [0.3139, 0.4424, 0.0], [0.5576, 0.4424, 0.2437]
        for i in range(3):
            check(t["S1_lo"][i] <= s1[i] <= t["S1_hi"][i], f"S1[x{i + 1}] = {s1[i]} outside [{t['S1_lo'][i]}, {t['S1_hi'][i]}]")
            check(t["ST_lo"][i] <= st[i] <= t["ST_hi"][i], f"ST[x{i + 1}] = {st[i]} outside [{t['ST_lo'][i]}, {t['ST_hi'][i]}]")
            check(t["S1_hi"][i] - t["S1_lo"][i] < 0.1, f"S1[x{i + 1}] interval too wide to mean anything")
        # analyze is reproducible: a second call writes the same numbers
        lokalmat("analyze", out)
        t2, _ = analysis(out, "sobol", "y")
        check(all(np.array_equal(t[k], t2[k]) for k in t), "analyze twice gives different indices")


def check_morris():
    with tempfile.TemporaryDirectory() as tmp:
        out = sweep(tmp, os.path.join(ARGS.source_dir, "scenarios", "sweeps", "linear-morris.toml"), "linear")
        p = lokalmat("analyze", out)
        if not check(p.returncode == 0, f"analyze: {describe(p)}"):
            return
        t, _ = analysis(out, "morris", "y")
        check(np.allclose(t["mu_star"], [1.0, 2.0, 0.5, 0.0], atol=1e-12), f"mu* {t['mu_star']}")
        check(np.allclose(t["mu"], [1.0, -2.0, 0.5, 0.0], atol=1e-12), f"mu {t['mu']}")
        check(np.allclose(t["sigma"], 0.0, atol=1e-12), f"sigma {t['sigma']}")


def check_read_sweep():
    with tempfile.TemporaryDirectory() as tmp:
        out = sweep(tmp, small_sweep(tmp), "small")
        p = subprocess.run([sys.executable, os.path.join(ARGS.source_dir, "results", "read_sweep.py"), out],
                           capture_output=True, text=True, timeout=300)
        check(p.returncode == 0, f"read_sweep.py: {describe(p)}")
        check("12" in p.stdout and "local_share_value" in p.stdout, f"read_sweep.py output: {p.stdout}")


def check_bad_input():
    with tempfile.TemporaryDirectory() as tmp:
        scenario = os.path.join(ARGS.source_dir, "scenarios", "horten.toml")
        head = f'scenario = "{scenario}"\n[design]\nkind = "factorial"\n'
        cases = [
            ("replicate = 2\n" + head + '[[parameter]]\nkey = "run.seed"\nvalues = [1]\n', 1, "replicate",
             "unknown key; did you mean 'replicates'?"),
            (head + '[[parameter]]\nkey = "municipalities.horten.hub.fee_nok_per_kgg"\nvalues = [1.0]\n', 5,
             "parameter[1].key", "fee_nok_per_kg"),
            (head + '[[parameter]]\nkey = "municipalities.oslo.hub.fee_nok_per_kg"\nvalues = [1.0]\n', 5,
             "parameter[1].key", "oslo"),
            (head + '[[parameter]]\nkey = "municipalities.horten.hub.fee_nok_per_kg"\nmin = 0.0\nmax = 1.0\n', 6,
             "parameter[1].min", "values"),
            (f'scenario = "{scenario}"\n[design]\nkind = "sobl"\n', 3, "design.kind", "sobol"),
            (f'scenario = "{scenario}"\nreplicates = 0\n', 2, "replicates", "allowed 1 to 1e+06 (runs per point)"),
            (head + '[[parameter]]\nkey = "municipalities.horten.hub.fee_nok_per_kg"\nvalues = [1.0]\n'
                    '[[output]]\nmetric = "local_share"\n', 8, "output[1].metric", "local_share_value"),
        ]
        for i, (text, line, key, hint) in enumerate(cases):
            d = write(os.path.join(tmp, f"bad{i}.toml"), text)
            p = lokalmat("sweep", d, "-o", os.path.join(tmp, f"bad{i}.h5"))
            check(p.returncode == 2, f"case {i}: exit {p.returncode}, expected 2; {p.stderr}")
            # the one wording: "FILE:LINE: key 'KEY': MESSAGE"
            check(f"bad{i}.toml:{line}: key '{key}': " in p.stderr and hint in p.stderr,
                  f"case {i}: message should read bad{i}.toml:{line}: key '{key}': ... '{hint}': {p.stderr}")
            check(not os.path.exists(os.path.join(tmp, f"bad{i}.h5")), f"case {i}: a file was written")
        # an existing sweep file is not replaced without --resume or --force
        d = small_sweep(tmp, replicates=1)
        out = sweep(tmp, d, "keep")
        before = os.path.getmtime(out)
        p = lokalmat("sweep", d, "-o", out)
        check(p.returncode == 2 and "--force" in p.stderr, f"existing file: {describe(p)}")
        check(os.path.getmtime(out) == before, "the existing sweep file was touched")
        p = lokalmat("sweep", d, "-o", out, "--force")
        check(p.returncode == 0, f"--force: {describe(p)}")
        # a journal from another definition is refused on resume
        d2 = small_sweep(tmp, replicates=3)
        out2 = os.path.join(tmp, "other.h5")
        write(out2 + ".journal", "")
        p = lokalmat("sweep", d2, "-o", out2, "--resume")
        check(p.returncode in (1, 2) and "journal" in p.stderr, f"resume from a bad journal: {describe(p)}")


def check_progress():
    with tempfile.TemporaryDirectory() as tmp:
        d = small_sweep(tmp, replicates=10, years=3)
        out = os.path.join(tmp, "p.h5")
        p = lokalmat("sweep", d, "-o", out, "--threads", "1", "--progress-seconds", "0.1")
        check(p.returncode == 0, f"sweep: {describe(p)}")
        lines = [l for l in p.stderr.splitlines() if l.startswith("sweep: ") and "runs (" in l]
        check(len(lines) >= 2, f"expected progress lines every 0.1 s: {p.stderr}")
        pat = re.compile(r"^sweep: (\d+)/60 runs \(\d+%\), (\d+) failed, [\d.]+ runs/s, .+ left$")
        check(all(pat.match(l) for l in lines), f"progress line format: {lines}")
        done = [int(pat.match(l).group(1)) for l in lines if pat.match(l)]
        check(done == sorted(done) and done[-1] == 60, f"runs done should rise to 60: {done}")
        check("\r" not in p.stderr, "a redrawn bar (\\r) when stderr is not a terminal")


def check_shipped():
    files = sorted(glob.glob(os.path.join(ARGS.source_dir, "scenarios", "sweeps", "*.toml")))
    check(len(files) >= 4, f"only {len(files)} shipped sweeps")
    for f in files:
        p = lokalmat("sweep", f, "--dry-run")
        if not check(p.returncode == 0, f"{f}: {describe(p)}"):
            continue
        m = re.search(r"= (\d+) runs", p.stdout)
        check(m is not None, f"{f}: --dry-run does not state the run count: {p.stdout}")
        # the run count written in the file's comment, when it gives one ("(896 runs)", "= 180 runs)")
        with open(f) as fh:
            stated = re.search(r"([\d,]+) runs", fh.read())
        if m and stated:
            check(int(stated.group(1).replace(",", "")) == int(m.group(1)),
                  f"{f}: comment says {stated.group(1)} runs, the design has {m.group(1)}")


def output_names(path):
    with h5py.File(path, "r") as h:
        return list(h["runs/output"].attrs["names"])


def check_second_order():
    with tempfile.TemporaryDirectory() as tmp:
        out = sweep(tmp, os.path.join(ARGS.source_dir, "scenarios", "sweeps", "sobol-g-second-order.toml"), "g2")
        p = lokalmat("analyze", out, "--bootstrap", "300")
        if not check(p.returncode == 0, f"analyze: {describe(p)}"):
            return
        check("second-order indices S2" in p.stdout and "x1 x x2" in p.stdout, f"no S2 table printed: {p.stdout}")
        t, attrs = analysis(out, "sobol", "y")
        a = [0.0, 1.0, 4.5, 9.0]
        v = [1 / (3 * (1 + x) ** 2) for x in a]
        total = np.prod([1 + x for x in v]) - 1
        check(t["S2"].shape == (4, 4), f"S2 shape {t['S2'].shape}")
        for i in range(4):
            for j in range(i + 1, 4):
                exact = v[i] * v[j] / total
                check(t["S2_lo"][i, j] <= exact <= t["S2_hi"][i, j],
                      f"S2[x{i + 1},x{j + 1}] = {exact:.4f} outside [{t['S2_lo'][i, j]:.4f}, {t['S2_hi'][i, j]:.4f}]")
                check(abs(t["S2"][i, j] - exact) < 0.03, f"S2[x{i + 1},x{j + 1}] {t['S2'][i, j]:.4f} vs {exact:.4f}")
                check(t["S2"][i, j] == t["S2"][j, i], "S2 not symmetric")
        check(int(attrs["runs_used"]) == int(attrs["runs"]) == 4096 * 10, f"runs used {attrs['runs_used']}")


def linear_lhs(tmp, coefficients, samples=1000):
    """A sweep of the linear test model y = sum c_i x_i on a Latin hypercube, x_i in [0, 1]."""
    params = "".join(f"[[parameter]]\nkey = \"x{i + 1}\"\nmin = 0.0\nmax = 1.0\n" for i in range(len(coefficients)))
    return write(os.path.join(tmp, "lin.toml"), f"""
[model]
name = "linear"
coefficients = {[float(c) for c in coefficients]}
[design]
kind = "lhs"
samples = {samples}
{params}""")


def check_sample_analysis():
    with tempfile.TemporaryDirectory() as tmp:
        # a linear function on a Latin hypercube: x1 decides, x3 does nothing
        d = linear_lhs(tmp, [3.0, 1.0, 0.0])
        out = sweep(tmp, d, "lin")
        p = lokalmat("analyze", out, "--bootstrap", "200")
        if not check(p.returncode == 0, f"analyze of an lhs sweep: {describe(p)}"):
            return
        check("PAWN" in p.stdout and "SRRC" in p.stdout and "runs: 1000 of 1000 used" in p.stdout,
              f"analyze output: {p.stdout}")
        pw, pa = analysis(out, "pawn", "y")
        sr, sa = analysis(out, "srrc", "y")
        check(pw["median"][0] > pw["median"][1] > pa["ks_critical"] > pw["median"][2],
              f"PAWN medians {pw['median']}, critical {pa['ks_critical']}")
        check(abs(sr["SRRC"][0] - 3 / 10 ** 0.5) < 0.05 and abs(sr["SRRC"][1] - 1 / 10 ** 0.5) < 0.05,
              f"SRRC {sr['SRRC']}")
        check(abs(sr["SRRC"][2]) < 0.02, f"SRRC of x3 {sr['SRRC'][2]}, not near 0")
        for i in range(3):
            check(pw["median_lo"][i] <= pw["median"][i] <= pw["median_hi"][i], f"PAWN x{i + 1}: estimate outside its interval")
        check(float(sa["r2"]) > 0.95, f"R2 {sa['r2']}")
        # a factorial Horten sweep with replicates: PAWN and SRRC over its levels, and the seed noise
        d = small_sweep(tmp, replicates=3)
        f = sweep(tmp, d, "fact")
        p = lokalmat("analyze", f, "--bootstrap", "100")
        if not check(p.returncode == 0, f"analyze of a factorial sweep: {describe(p)}"):
            return
        check(re.search(r"seed noise: [\d.]+% of the variance between runs", p.stdout) is not None,
              f"no seed-noise share: {p.stdout}")
        t, attrs = analysis(f, "pawn", output_names(f)[0])
        share = float(attrs["seed_variance_share"])
        check(0 <= share <= 1.5 and int(attrs["seed_points"]) == 6, f"seed share {share}, points {attrs['seed_points']}")
        # the share from the runs themselves
        rows, _ = read_rows(f)
        y, pt = rows["output/" + output_names(f)[0]], rows["point"]
        within = np.mean([np.var(y[pt == q], ddof=1) for q in range(6)])
        check(abs(share - within / np.var(y, ddof=1)) < 1e-9, f"seed share {share} vs {within / np.var(y, ddof=1)}")


def check_drops():
    with tempfile.TemporaryDirectory() as tmp:
        scenario = os.path.join(ARGS.source_dir, "scenarios", "horten.toml")
        # exception_cap_share allows 0 to 1: the top fifth of this range fails
        d = write(os.path.join(tmp, "drops.toml"), f"""
scenario = "{scenario}"
replicates = 2
[set]
"run.years" = 1
[design]
kind = "lhs"
samples = 30
[[parameter]]
key = "municipalities.horten.exception_cap_share"
min = 0.2
max = 1.2
[[parameter]]
key = "municipalities.horten.hub.fee_nok_per_kg"
min = 0.0
max = 6.0
[[output]]
metric = "local_share_value"
""")
        out = sweep(tmp, d, "drops")
        rows, _ = read_rows(out)
        failed = sum(1 for s in rows["status"] if s == "failed")
        check(failed >= 6, f"expected the top of the range to fail, {failed} failed")
        p = lokalmat("analyze", out, "--bootstrap", "100")
        if not check(p.returncode == 0, f"analyze: {describe(p)}"):
            return
        check(f"runs: {60 - failed} of 60 used; {failed} dropped ({failed} failed" in p.stdout,
              f"the runs line does not count the drops: {p.stdout}")
        check(re.search(rf"dropped: {failed} x failed: .*exception_cap_share.*out of range", p.stdout) is not None,
              f"the reason (the key out of range) is not given, counted once: {p.stdout}")
        check(re.search(r"warning: the dropped runs cluster in municipalities\.horten\.exception_cap_share", p.stdout)
              is not None, f"no warning that the drops cluster: {p.stdout}")
        check("cluster in municipalities.horten.hub.fee_nok_per_kg" not in p.stdout, "a false cluster warning")
        _, attrs = analysis(out, "pawn", output_names(out)[0])
        check(int(attrs["runs_failed"]) == failed and "exception_cap_share" in str(attrs["warnings"]),
              f"the file's attributes: {attrs}")


def choices_sweep(tmp, rules, name="choices.toml", extra=""):
    scenario = os.path.join(ARGS.source_dir, "scenarios", "horten.toml")
    return write(os.path.join(tmp, name), f"""
scenario = "{scenario}"
replicates = 2
[set]
"run.years" = 2
[design]
kind = "factorial"
[[parameter]]
key = "municipalities.horten.rules"
choices = {rules}
[[parameter]]
key = "municipalities.horten.hub.enabled"
choices = [true, false]
[[output]]
metric = "local_share_value"
name = "local_share"
{extra}
""")


def check_choices():
    import csv
    with tempfile.TemporaryDirectory() as tmp:
        d = choices_sweep(tmp, '[["framework_only"], "framework_exception", ["framework_exception", "season_requirement"]]')
        f = sweep(tmp, d, "choices")
        rows, _ = read_rows(f)
        with h5py.File(f, "r") as h:
            rules = [c.decode() for c in h["design/choices/municipalities.horten.rules"][()]]
            hub = list(h["runs/param/municipalities.horten.hub.enabled"].attrs["choices"])
        check(rules == ["framework_only", "framework_exception", "framework_exception+season_requirement"],
              f"rule levels: {rules}")
        check(hub == ["true", "false"], f"hub levels: {hub}")
        r = rows["param/municipalities.horten.rules"]
        e = rows["param/municipalities.horten.hub.enabled"]
        share = rows["output/local_share"]
        for i, status in enumerate(rows["status"]):
            # the exception needs a working hub: those runs fail, and only those
            bad = r[i] >= 1 and e[i] == 1
            check((status == "failed") == bad, f"run {i}: rules {rules[int(r[i])]}, hub {hub[int(e[i])]}: {status}")
        # the rules act: the exception with the hub buys more locally than the framework alone
        only = share[(r == 0) & (e == 0)]
        exception = share[(r == 1) & (e == 0)]
        check(np.all(exception > only), f"local share framework_only {only}, framework_exception {exception}")
        p = lokalmat("export", f, "--csv", os.path.join(tmp, "csv"))
        with open(os.path.join(tmp, "csv", "runs.csv")) as fh:
            table = list(csv.DictReader(fh))
        check(table[0]["municipalities.horten.rules [level]"] == "framework_only"
              and table[-1]["municipalities.horten.rules [level]"] == "framework_exception+season_requirement",
              f"runs.csv levels: {table[0]}")
        # a misspelt rule: exit 2 naming the file, the line and the key, before any run
        bad = choices_sweep(tmp, '["framework_only", "framwork_exception"]', "bad.toml")
        p = lokalmat("sweep", bad, "-o", os.path.join(tmp, "bad.h5"))
        check(p.returncode == 2 and "bad.toml:" in p.stderr and "parameter[1].choices" in p.stderr
              and "framwork_exception" in p.stderr, f"a misspelt rule: {describe(p)}")
        check(not os.path.exists(os.path.join(tmp, "bad.h5")), "a refused sweep wrote a file")
        # scenario files as a parameter: the same outputs as a sweep of each file on its own
        horten = os.path.join(ARGS.source_dir, "scenarios", "horten.toml")
        status_quo = os.path.join(ARGS.source_dir, "scenarios", "horten", "status-quo.toml")
        body = """
replicates = 2
[set]
"run.years" = 1
[design]
kind = "factorial"
[[parameter]]
key = "municipalities.horten.hub.fee_nok_per_kg"
values = [0.0, 4.0]
[[output]]
metric = "local_share_value"
name = "local_share"
"""
        both = write(os.path.join(tmp, "both.toml"), f'scenario = "{horten}"\n' + body + f"""
[[parameter]]
key = "scenario"
choices = ["{horten}", "{status_quo}"]
""")
        fb = sweep(tmp, both, "both")
        rb, _ = read_rows(fb)
        for j, path in enumerate((horten, status_quo)):
            one = sweep(tmp, write(os.path.join(tmp, f"one{j}.toml"), f'scenario = "{path}"\n' + body), f"one{j}")
            r1, _ = read_rows(one)
            mine = rb["param/scenario"] == j
            check(np.array_equal(rb["output/local_share"][mine], r1["output/local_share"]),
                  f"scenario {path}: {rb['output/local_share'][mine]} vs {r1['output/local_share']}")


def check_discover():
    with tempfile.TemporaryDirectory() as tmp:
        # y = x1 on a Latin hypercube: y > 0.7 is the box x1 >= 0.7, the others free
        d = linear_lhs(tmp, [1.0, 0.0, 0.0])
        f = sweep(tmp, d, "lin")
        p = lokalmat("discover", f, "--output", "y", "--above", "0.7")
        if not check(p.returncode == 0, f"discover: {describe(p)}"):
            return
        check("300 of 1000 runs are cases" in p.stdout and "coverage" in p.stdout and "<- chosen" in p.stdout,
              f"discover output: {p.stdout}")
        with h5py.File(f, "r") as h:
            g = h["discovery/y_above_0p7"]
            chosen = int(g.attrs["chosen"])
            cov, den, mass = g["coverage"][chosen], g["density"][chosen], g["mass"][chosen]
            lo, hi = g["lo"][chosen], g["hi"][chosen]
            box = list(g.attrs["chosen_box"])
            check(g["coverage"][0] == 1.0 and g["mass"][0] == 1.0 and abs(g["density"][0] - 0.3) < 1e-12,
                  "box 0 is not every run")
            check(np.all(np.diff(g["mass"][: int(g.attrs["peels"]) + 1]) <= 0), "mass grows while peeling")
        check(den == 1.0 and cov > 0.9, f"chosen box density {den}, coverage {cov}")
        check(abs(lo[0] - 0.7) < 0.01, f"x1 lower bound {lo[0]}")
        check(lo[1] < 0.01 and hi[1] > 0.99 and lo[2] < 0.01 and hi[2] > 0.99, f"x2, x3 restricted: {lo}, {hi}")
        check(len(box) == 1 and box[0].startswith("x1 from 0.7"), f"chosen box in words: {box}")
        # the largest coverage at a density of at least 0.9
        p = lokalmat("discover", f, "--output", "y", "--above", "0.7", "--min-density", "0.9", "--name", "loose")
        with h5py.File(f, "r") as h:
            g = h["discovery/loose"]
            c = int(g.attrs["chosen"])
            check(g["density"][c] >= 0.9 and g["coverage"][c] >= cov, "--min-density: not the widest dense box")
            check("y_above_0p7" in h["discovery"], "a second discovery dropped the first")
        # bad input: no such output; both --above and --below
        p = lokalmat("discover", f, "--output", "z", "--above", "1")
        check(p.returncode == 2 and "no output 'z'" in p.stderr, f"unknown output: {describe(p)}")
        p = lokalmat("discover", f, "--output", "y", "--above", "1", "--below", "0")
        check(p.returncode == 2, f"--above with --below: {describe(p)}")
        # choices: which rule sets reach a local share above framework_only's
        c = sweep(tmp, choices_sweep(tmp, '["framework_only", "framework_exception"]'), "rules")
        rows, _ = read_rows(c)
        only = rows["output/local_share"][rows["param/municipalities.horten.rules"] == 0]
        p = lokalmat("discover", c, "--output", "local_share", "--above", str(np.nanmax(only)))
        check(p.returncode == 0 and "municipalities.horten.rules in {framework_exception}" in p.stdout,
              f"discover over choices: {describe(p)}")


def check_by_municipality():
    import csv
    with tempfile.TemporaryDirectory() as tmp:
        scenario = os.path.join(ARGS.source_dir, "scenarios", "vestfold.toml")
        d = write(os.path.join(tmp, "muni.toml"), f"""
scenario = "{scenario}"
replicates = 2
[set]
"run.years" = 1
[design]
kind = "factorial"
[[parameter]]
key = "procurement.direct_limit_nok"
values = [100000.0, 500000.0]
[[output]]
metric = "local_share_value"
[weekly]
metrics = ["work_hours", "local_share_value"]
by_municipality = true
""")
        f = sweep(tmp, d, "muni")
        with h5py.File(f, "r") as h:
            g = h["weekly/by_municipality"]
            names = list(g.attrs["names"])
            each, total = g["work_hours"][()], h["weekly/work_hours"][()]
            share = g["local_share_value"][()]
        check(len(names) >= 2 and each.shape == (4, len(names), total.shape[1]), f"shape {each.shape}, {names}")
        check(np.allclose(each.sum(axis=1), total, rtol=1e-12, atol=1e-9), "municipalities' work hours do not sum to the total")
        check(np.nanmax(share) <= 1 and np.nanmin(share) >= 0, "a municipality's local share outside 0-1")
        out = os.path.join(tmp, "csv")
        p = lokalmat("export", f, "--csv", out)
        check(p.returncode == 0, f"export: {describe(p)}")
        with open(os.path.join(out, "weekly_by_municipality_work_hours.csv")) as fh:
            rows = list(csv.DictReader(fh))
        check(len(rows) == each.size, f"{len(rows)} rows, expected {each.size}")
        r = [x for x in rows if x["run_id"] == "3" and x["municipality"] == names[1]]
        check([float(x["work_hours [hours]"]) for x in r] == list(each[3, 1]), "CSV differs from the file")
        # the limit on kept values
        big = write(os.path.join(tmp, "big.toml"), open(d).read().replace("replicates = 2", "replicates = 400000"))
        p = lokalmat("sweep", big, "--dry-run")
        check(p.returncode == 2 and "weekly values, more than the limit" in p.stderr, f"too many values: {describe(p)}")


def check_export():
    import csv
    with tempfile.TemporaryDirectory() as tmp:
        f = sweep(tmp, small_sweep(tmp, replicates=2), "small")
        check(lokalmat("analyze", f, "--bootstrap", "50").returncode == 0, "analyze failed")
        out = os.path.join(tmp, "csv")
        p = lokalmat("export", f, "--csv", out)
        if not check(p.returncode == 0, f"export of a sweep file: {describe(p)}"):
            return
        names = sorted(os.listdir(out))
        outputs = output_names(f)
        expected = {"runs.csv", "design.csv", "weekly_local_share_value.csv", "weekly_work_hours.csv"}
        expected |= {f"analysis_{m}_{o}.csv" for m in ("pawn", "srrc") for o in outputs}
        check(expected <= set(names), f"files written: {names}, missing {expected - set(names)}")
        check(set(p.stdout.split()) == {os.path.join(out, n) for n in names}, f"printed paths: {p.stdout}")
        rows, attrs = read_rows(f)
        with open(os.path.join(out, "runs.csv")) as fh:
            table = list(csv.DictReader(fh))
        check(len(table) == len(rows["run_id"]) == 12, f"runs.csv has {len(table)} rows")
        fee = "municipalities.horten.hub.fee_nok_per_kg [NOK/kg]"
        check(fee in table[0], f"runs.csv columns: {list(table[0])}")
        for i, row in enumerate(table):
            check(int(row["run_id"]) == rows["run_id"][i] and row["status"] == rows["status"][i], f"row {i}")
            check(float(row[fee]) == rows["param/municipalities.horten.hub.fee_nok_per_kg"][i], f"row {i}: {fee}")
            for o in outputs:
                col = [c for c in row if c == o or c.startswith(o + " [")]
                check(len(col) == 1 and float(row[col[0]]) == rows["output/" + o][i], f"row {i}: output {o}")
        with open(os.path.join(out, "weekly_work_hours.csv")) as fh:
            weekly = list(csv.DictReader(fh))
        W = rows["weekly/work_hours"].shape[1]
        check(len(weekly) == 12 * W, f"weekly rows {len(weekly)}, expected {12 * W}")
        values = [float(r["work_hours [hours]"]) for r in weekly if r["run_id"] == "5"]
        check(np.array_equal(values, rows["weekly/work_hours"][5]), "weekly series of run 5 differs")
        pawn, _ = analysis(f, "pawn", outputs[0])
        with open(os.path.join(out, f"analysis_pawn_{outputs[0]}.csv")) as fh:
            a = list(csv.DictReader(fh))
        check([float(r["median"]) for r in a] == list(pawn["median"]), "analysis CSV differs from /analysis")
        # an existing export is kept without --force
        p = lokalmat("export", f, "--csv", out)
        check(p.returncode == 2 and "exists" in p.stderr, f"export over existing files: {describe(p)}")


def slurm_command():
    """The srun command of tools/slurm/sweep.sbatch, continuation lines joined."""
    with open(os.path.join(ARGS.source_dir, "tools", "slurm", "sweep.sbatch")) as f:
        text = f.read().replace("\\\n", " ")
    lines = [ln.strip() for ln in text.splitlines() if ln.strip().startswith("srun ")]
    return text, lines[0] if lines else ""


def check_slurm_example():
    if not ARGS.mpirun:
        failures.append("no mpirun given (install openmpi-bin)")
        return
    text, srun = slurm_command()
    if not check(srun.startswith("srun --mpi=pmix "), f"the script's srun line does not pass --mpi=pmix: {srun!r}"):
        return
    check("mkdir -p out" in text, "the script does not make out/ before the sweep writes there")
    with tempfile.TemporaryDirectory() as tmp:
        # the project as the job sees it: build/bin/lokalmat and scenarios/ under the working directory
        os.makedirs(os.path.join(tmp, "build", "bin"))
        os.symlink(ARGS.lokalmat, os.path.join(tmp, "build", "bin", "lokalmat"))
        os.symlink(os.path.join(ARGS.source_dir, "scenarios"), os.path.join(tmp, "scenarios"))
        # the script's command as it is, srun --mpi=pmix replaced by mpirun -n 3 and 1 core per task
        command = "mkdir -p out && " + srun.replace("srun --mpi=pmix", f"{ARGS.mpirun} -n 3", 1)
        env = mpi_env()
        env["SLURM_CPUS_PER_TASK"] = "1"
        p = subprocess.run(["bash", "-c", command], cwd=tmp, capture_output=True, text=True, timeout=900, env=env)
        if not check(p.returncode == 0, f"{command}: {describe(p)}"):
            return
        shares = {int(m.group(1)): int(m.group(3)) for m in
                  re.finditer(r"sweep: rank (\d+) of (\d+) ran (\d+) runs", p.stderr)}
        check(sorted(shares) == [0, 1, 2], f"ranks that reported: {sorted(shares)}: {p.stderr}")
        check(all(n > 0 for n in shares.values()), f"a rank ran nothing: {shares}")
        _, attrs = read_rows(os.path.join(tmp, "out", "sobol.h5"))
        check(sum(shares.values()) == int(attrs["n_runs"]) and int(attrs["complete"]) == 1,
              f"runs {sum(shares.values())} of {attrs['n_runs']}, complete {attrs['complete']}")
        # plain srun (no MPI plugin): task 1 of 3 with no rank from a process manager is refused
        env = {k: v for k, v in os.environ.items() if not k.startswith(("PMI", "OMPI_"))}
        env.update(SLURM_STEP_NUM_TASKS="3", SLURM_PROCID="1")
        p = subprocess.run([ARGS.lokalmat, "sweep", "scenarios/sweeps/horten-sobol.toml", "-o", "out/x.h5"], cwd=tmp,
                           capture_output=True, text=True, timeout=60, env=env)
        check(p.returncode == 2 and "--mpi=pmix" in p.stderr and "task 1 of 3" in p.stderr,
              f"plain srun: {describe(p)}")
        check(not os.path.exists(os.path.join(tmp, "out", "x.h5")), "the refused task wrote a file")


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    checks = {"threads": check_threads, "mpi": check_mpi, "kill_resume": check_kill_resume,
              "interrupt": check_interrupt, "failing_point": check_failing_point, "ishigami": check_ishigami,
              "morris": check_morris, "read_sweep": check_read_sweep, "bad_input": check_bad_input,
              "progress": check_progress, "shipped": check_shipped, "second_order": check_second_order,
              "sample_analysis": check_sample_analysis, "drops": check_drops, "export": check_export, "choices": check_choices, "discover": check_discover, "by_municipality": check_by_municipality, "slurm_example": check_slurm_example}
    ap.add_argument("check", choices=sorted(checks))
    ap.add_argument("--lokalmat", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--mpirun", default="")
    ARGS = ap.parse_args()
    ARGS.lokalmat = os.path.abspath(ARGS.lokalmat)
    return run_check(ARGS.check, checks[ARGS.check])


if __name__ == "__main__":
    sys.exit(main())
