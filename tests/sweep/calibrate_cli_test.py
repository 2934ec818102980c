#!/usr/bin/env python3
"""Tests of `lokalmat calibrate` and `lokalmat analyze` on calibration files, as a researcher runs them.

    calibrate_cli_test.py CHECK --lokalmat BIN --source-dir DIR [--mpirun MPIRUN]

CHECK is one of
  known_posterior  the normal mean with a conjugate prior (scenarios/calibration/normal-mean.toml):
                   the posterior's mean and spread against the closed form, the file read with
                   pandas as the README shows, analyze's table and predictive check
  same_everywhere  the same calibration at 1 and 2 threads and under mpirun -n 2 and -n 3:
                   bit-identical particles, generations and predictive runs, and analyze's tables
  kill_resume      a Horten calibration killed with SIGKILL mid-way, then --resume: the same file
                   as an uninterrupted run
  bad_input        a misspelt key, a prior outside the key's range, a target without its observed
                   value, an existing file: exit 2 naming the file, line and key
  shipped          scenarios/calibration/*.toml are accepted (--dry-run) with their priors and targets
Exit status 0 when every assertion holds; otherwise each failure is printed.
"""
import argparse
import os
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
    import pandas as pd
except ImportError as e:
    sys.exit(f"calibrate_cli_test.py: {e}; run with a Python that has h5py, numpy and pandas")

ARGS = None


def lokalmat(*args, launcher=(), timeout=900):
    return subprocess.run([*launcher, ARGS.lokalmat, *args], cwd=ARGS.source_dir, capture_output=True, text=True,
                          timeout=timeout, env=mpi_env())


def particles(path):
    """/particles as a DataFrame, as the README shows."""
    with h5py.File(path, "r") as f:
        p = f["particles"]
        df = pd.DataFrame({k: p[k][()] for k in ("generation", "weight", "distance")})
        for group in ("param", "target"):
            for name in p[group].attrs["names"]:
                df[f"{group}/{name}"] = p[group][name][()]
    return df


def datasets(path):
    """Every dataset of the file but /analysis, as bytes, and the root attributes but wall_seconds."""
    out = {}
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset) and not name.startswith("analysis"):
                out[name] = obj[()].tobytes()
        f.visititems(visit)
        out["attrs"] = {k: str(f.attrs[k]) for k in f.attrs if k != "wall_seconds"}
    return out


def analysis_datasets(path):
    """The datasets under /analysis, as bytes."""
    out = {}
    with h5py.File(path, "r") as f:
        f["analysis"].visititems(lambda name, obj: out.__setitem__(name, obj[()].tobytes())
                                 if isinstance(obj, h5py.Dataset) else None)
    return out


NORMAL = os.path.join("scenarios", "calibration", "normal-mean.toml")


def check_known_posterior():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "nm.h5")
        p = lokalmat("calibrate", NORMAL, "-o", out)
        if not check(p.returncode == 0, f"calibrate: {describe(p)}"):
            return
        check("generation 0: tolerance inf" in p.stderr and "ESS" in p.stderr, f"no generation lines: {p.stderr}")
        df = particles(out)
        last = df[df.generation == df.generation.max()]
        check(len(last) == 500 and abs(last.weight.sum() - 1) < 1e-9, "the last generation is not 500 weighted particles")
        # prior N(0, 2^2), n = 10, sigma = 1, observed mean 1.3
        v = 1 / (1 / 4 + 10)
        mean, sd = v * 13, v ** 0.5
        m = np.average(last["param/x1"], weights=last.weight)
        s = np.sqrt(np.average((last["param/x1"] - m) ** 2, weights=last.weight))
        check(abs(m - mean) < 0.06, f"posterior mean {m:.4f}, exact {mean:.4f}")
        check(0.9 * sd < s < 1.25 * sd, f"posterior sd {s:.4f}, exact {sd:.4f}")
        with h5py.File(out, "r") as f:
            tol = f["generations/tolerance"][()]
            check(np.isinf(tol[0]) and np.all(np.diff(tol[1:]) < 0), f"tolerances {tol}")
            check(int(f.attrs["complete"]) == 1, "not complete")
            check(len(f["predictive/target/y"][()]) == 500, "predictive runs missing")
        check(not os.path.exists(out + ".journal"), "the journal is left after a finished calibration")
        p = lokalmat("analyze", out)
        if not check(p.returncode == 0, f"analyze: {describe(p)}"):
            return
        check("identified" in p.stdout and "posterior-predictive check" in p.stdout, f"analyze output: {p.stdout}")
        with h5py.File(out, "r") as f:
            a = f["analysis/posterior/parameters"]
            check(abs(a["mean"][0] - m) < 1e-9 and a["lo"][0] < mean < a["hi"][0], "stored posterior summary")
            check(a["sd_ratio"][0] < 0.5, f"sd ratio {a['sd_ratio'][0]}")
            q = f["analysis/predictive/targets/observed_quantile"][0]
            check(0.1 < q < 0.9, f"the observed value's predictive quantile {q}")


def small_calibration(tmp, particles_n=40, generations=3, model="normal"):
    if model == "normal":
        return write(os.path.join(tmp, "small.toml"), f"""
[model]
name = "normal_mean"
coefficients = [1.0, 10.0]
[abc]
particles = {particles_n}
generations = {generations}
seed = 7
[[prior]]
key = "x1"
distribution = "uniform"
min = -3.0
max = 3.0
[[target]]
observed = 0.4
sd = 0.3
""")
    scenario = os.path.join(ARGS.source_dir, "scenarios", "horten.toml")
    return write(os.path.join(tmp, "horten.toml"), f"""
scenario = "{scenario}"
[set]
"run.years" = 1
[abc]
particles = {particles_n}
generations = {generations}
seed = 3
[[prior]]
key = "categories.fresh_vegetables.wholesaler_norwegian_share_in_season"
min = 0.2
max = 0.8
[[prior]]
key = "buyer_types.kindergarten.waste_g_per_eater_day"
distribution = "log_uniform"
min = 20.0
max = 80.0
[[target]]
metric = "norwegian_share_volume"
category = "fresh_vegetables"
buyer_type = "nursing_home"
observed = 0.25
sd = 0.05
[[target]]
metric = "food_spend_nok"
reduce = "sum"
buyer_type = "kindergarten"
observed = 5000000.0
sd = 500000.0
""")


def check_same_everywhere():
    with tempfile.TemporaryDirectory() as tmp:
        d = small_calibration(tmp, 60, 4, "horten")
        ref = os.path.join(tmp, "t1.h5")
        p = lokalmat("calibrate", d, "-o", ref, "--threads", "1", "-q")
        if not check(p.returncode == 0, f"calibrate --threads 1: {describe(p)}"):
            return
        want = datasets(ref)
        check(lokalmat("analyze", ref).returncode == 0, "analyze of the 1-thread file failed")
        want_analysis = analysis_datasets(ref)
        runs = [("t2", ("--threads", "2"), ())]
        if ARGS.mpirun:
            runs += [(f"mpi{n}", ("--threads", "1"), (ARGS.mpirun, "-n", str(n))) for n in (2, 3)]
        else:
            failures.append("no mpirun given (install openmpi-bin)")
        for name, extra, launcher in runs:
            out = os.path.join(tmp, name + ".h5")
            p = lokalmat("calibrate", d, "-o", out, "-q", *extra, launcher=launcher)
            if not check(p.returncode == 0, f"calibrate {name}: {describe(p)}"):
                continue
            got = datasets(out)
            check(sorted(got) == sorted(want), f"{name}: datasets differ: {sorted(set(got) ^ set(want))}")
            for k in want:
                check(got.get(k) == want[k], f"{name}: {k} is not bit-identical to --threads 1")
            check(lokalmat("analyze", out).returncode == 0, f"{name}: analyze failed")
            check(analysis_datasets(out) == want_analysis, f"{name}: /analysis differs from --threads 1")


def check_kill_resume():
    with tempfile.TemporaryDirectory() as tmp:
        d = small_calibration(tmp, 80, 4, "horten")
        ref = os.path.join(tmp, "ref.h5")
        p = lokalmat("calibrate", d, "-o", ref, "-q")
        if not check(p.returncode == 0, f"uninterrupted: {describe(p)}"):
            return
        out = os.path.join(tmp, "killed.h5")
        proc = subprocess.Popen([ARGS.lokalmat, "calibrate", d, "-o", out, "-q"], cwd=ARGS.source_dir, env=mpi_env())
        # wait until the journal holds runs of generation 1 or later, then kill -9
        journal = out + ".journal"
        deadline = time.time() + 300
        while time.time() < deadline and proc.poll() is None:
            if os.path.exists(out) and os.path.exists(journal):
                break
            time.sleep(0.05)
        time.sleep(0.3)
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        proc.wait()
        check(killed, "the calibration finished before it could be killed; make it longer")
        check(os.path.exists(journal), "no journal after kill -9")
        with h5py.File(out, "r") as f:
            check(int(f.attrs["complete"]) == 0, "the killed run's file says complete")
        p = lokalmat("calibrate", d, "-o", out, "-q")
        check(p.returncode == 2 and "--resume" in p.stderr, f"rerun without --resume: {describe(p)}")
        p = lokalmat("calibrate", d, "-o", out, "--resume")
        if not check(p.returncode == 0, f"--resume: {describe(p)}"):
            return
        check("resuming" in p.stderr, f"no word of resuming: {p.stderr}")
        want, got = datasets(ref), datasets(out)
        for k in want:
            check(got.get(k) == want[k], f"resumed: {k} differs from the uninterrupted run")
        check(not os.path.exists(journal), "journal left after the resumed calibration finished")


def check_bad_input():
    with tempfile.TemporaryDirectory() as tmp:
        good = open(small_calibration(tmp, 40, 2, "horten")).read()
        cases = [
            ("misspelt key", good.replace("particles =", "particels ="), "abc.particels"),
            ("prior outside the key", good.replace("min = 0.2", "min = -0.5"), "prior[1].min"),
            ("no observed", good.replace("observed = 0.25\n", ""), "target[1].observed"),
            ("unknown key", good.replace("buyer_types.kindergarten.waste_g_per_eater_day", "buyer_types.kindergarten.wast"),
             "prior[2].key"),
            ("normal with bounds", good.replace('distribution = "log_uniform"', 'distribution = "normal"'), "prior[2]"),
        ]
        for name, text, key in cases:
            path = write(os.path.join(tmp, "bad.toml"), text)
            p = lokalmat("calibrate", path, "-o", os.path.join(tmp, "bad.h5"))
            check(p.returncode == 2 and "bad.toml:" in p.stderr and key in p.stderr, f"{name}: {describe(p)}")
            check(not os.path.exists(os.path.join(tmp, "bad.h5")), f"{name}: a file was written")
        d = small_calibration(tmp, 20, 1)
        out = os.path.join(tmp, "x.h5")
        check(lokalmat("calibrate", d, "-o", out, "-q").returncode == 0, "a small calibration failed")
        before = open(out, "rb").read()
        p = lokalmat("calibrate", d, "-o", out)
        check(p.returncode == 2 and "already exists" in p.stderr, f"existing file: {describe(p)}")
        check(open(out, "rb").read() == before, "the existing file changed")


def check_shipped():
    import glob
    files = sorted(glob.glob(os.path.join(ARGS.source_dir, "scenarios", "calibration", "*.toml")))
    check(len(files) >= 2, f"only {len(files)} shipped calibrations")
    for f in files:
        p = lokalmat("calibrate", f, "--dry-run")
        if check(p.returncode == 0, f"{f}: {describe(p)}"):
            check("priors" in p.stdout and "targets" in p.stdout, f"{f}: --dry-run plan: {p.stdout}")


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    checks = {"known_posterior": check_known_posterior, "same_everywhere": check_same_everywhere,
              "kill_resume": check_kill_resume, "bad_input": check_bad_input, "shipped": check_shipped}
    ap.add_argument("check", choices=sorted(checks))
    ap.add_argument("--lokalmat", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--mpirun", default="")
    ARGS = ap.parse_args()
    ARGS.lokalmat = os.path.abspath(ARGS.lokalmat)
    return run_check(ARGS.check, checks[ARGS.check])


if __name__ == "__main__":
    sys.exit(main())
