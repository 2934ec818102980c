#!/usr/bin/env python3
"""How the real `lokalmat` program writes its files (results/output_file.h), driven by ctest.

    output_test.py CHECK --lokalmat BIN --source-dir DIR

CHECK is one of
  symlinks          a symlink planted at a temporary's or the target's name is replaced, never
                    followed: the file it points to is unchanged (run, interrupted run, sweep,
                    compare, report, export --csv, ensemble --csv)
  full_disk         a write that fails (file size limit, EFBIG) gives exit 1, a message naming
                    the file, no signal and no file left behind (run, sweep, compare, report,
                    export, ensemble)
  read_only_dir     the same for a directory without write permission (skipped as root)
  kill9             kill -9 at any moment of a run leaves no file or a .partial that opens
  no_replace        compare -o, report -o, ensemble --csv, export --csv keep an existing file
                    without --force (exit 2) and replace it with it; an input is never replaced,
                    not even with --force; a missing output directory and an empty name: exit 2
  csv_injection     CSV text cells that start with = + - @ are defused with an apostrophe;
                    numbers stay numbers
Exit status 0 when every assertion holds; otherwise each failure is printed.
"""
import argparse
import csv
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from script_checks import LONG_RUN, LONG_RUN_WEEKS, check, describe, failures, run_check, start_long_run  # noqa: E402

try:
    import h5py
except ImportError as e:
    sys.exit(f"output_test.py: {e}; run with a Python that has h5py (python3-h5py)")

ARGS = None
VICTIM = b"the victim's own bytes\n"
SWEEP = """title = "a small sweep"
scenario = "{scenario}"
replicates = 1
first_seed = 1
[design]
kind = "factorial"
[[parameter]]
key = "municipalities.horten.hub.fee_nok_per_kg"
values = [1.0, 2.0]
[[output]]
figure = "cost_per_meal_nok"
[set]
"run.years" = 1
"""
LOG = '[[intervention]]\nweek = 3\nkey = "municipalities.horten.policy.local_incentive_nok_per_kg"\nvalue = 10.0\n'



def lokalmat(*args, timeout=300, cwd=None, preexec_fn=None):
    return subprocess.run([ARGS.lokalmat, *args], cwd=cwd or ARGS.source_dir, capture_output=True, text=True,
                          timeout=timeout, preexec_fn=preexec_fn)


def source(*parts):
    return os.path.join(ARGS.source_dir, *parts)


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def write_sweep(tmp):
    path = os.path.join(tmp, "sweep.toml")
    with open(path, "w") as f:
        f.write(SWEEP.format(scenario=source("scenarios", "horten.toml")))
    return path


def one_run(tmp, name="run.h5"):
    out = os.path.join(tmp, name)
    p = lokalmat("run", "scenarios/horten.toml", "--years", "1", "-q", "-o", out)
    check(p.returncode == 0, f"a run for the test: {describe(p)}")
    return out


def plant(link, victim):
    """A symlink at `link` to a victim file holding VICTIM."""
    with open(victim, "wb") as f:
        f.write(VICTIM)
    os.symlink(victim, link)


def victim_intact(victim, what):
    check(read_bytes(victim) == VICTIM, f"{what}: the symlink's target was written through")


# ---- symlinks -------------------------------------------------------------------------

def check_symlinks():
    with tempfile.TemporaryDirectory() as tmp:
        victim = os.path.join(tmp, "victim.txt")
        # run: every temporary name the old writer used, and the target itself (with --force)
        plant(os.path.join(tmp, "V.h5.partial"), victim)
        p = lokalmat("run", "scenarios/horten.toml", "--years", "1", "-q", "-o", os.path.join(tmp, "V.h5"))
        check(p.returncode == 0, f"run beside a planted V.h5.partial: {describe(p)}")
        victim_intact(victim, "run -o V.h5 with V.h5.partial -> victim")
        with h5py.File(os.path.join(tmp, "V.h5"), "r") as f:
            check(int(f.attrs["complete"]) == 1, "run: V.h5 is not complete")
        os.symlink(victim, os.path.join(tmp, "T.h5"))
        p = lokalmat("run", "scenarios/horten.toml", "--years", "1", "-q", "-o", os.path.join(tmp, "T.h5"))
        check(p.returncode == 2 and "--force" in p.stderr, f"run -o over a symlink without --force: {describe(p)}")
        p = lokalmat("run", "scenarios/horten.toml", "--years", "1", "-q", "-o", os.path.join(tmp, "T.h5"), "--force")
        check(p.returncode == 0, f"run -o over a symlink with --force: {describe(p)}")
        victim_intact(victim, "run -o T.h5 --force, T.h5 -> victim")
        check(not os.path.islink(os.path.join(tmp, "T.h5")), "run --force: T.h5 is still the symlink")

    # an interrupted run writes its .partial through a temporary too
    with tempfile.TemporaryDirectory() as tmp:
        victim = os.path.join(tmp, "victim.txt")
        out = os.path.join(tmp, "I.h5")
        plant(out + ".partial", victim)
        proc, first = start_long_run(ARGS.lokalmat, ARGS.source_dir, out)  # "year 1 done": the run is under way
        proc.send_signal(signal.SIGINT)
        _, rest = proc.communicate(timeout=120)
        check(proc.returncode == 130, f"interrupted run: exit {proc.returncode}; stderr {first + rest!r}")
        victim_intact(victim, "interrupted run, I.h5.partial -> victim")
        check(not os.path.islink(out + ".partial"), "interrupted run: I.h5.partial is still the symlink")
        with h5py.File(out + ".partial", "r") as f:
            check(int(f.attrs["complete"]) == 0, "interrupted run: the .partial is marked complete")

    # sweep: its snapshot's and its journal's temporaries
    with tempfile.TemporaryDirectory() as tmp:
        victim = os.path.join(tmp, "victim.txt")
        sweep = write_sweep(tmp)
        out = os.path.join(tmp, "W.h5")
        plant(out + ".tmp", victim)
        os.symlink(victim, out + ".journal.tmp")
        p = lokalmat("sweep", sweep, "-o", out, "-q", "--threads", "1")
        check(p.returncode == 0, f"sweep beside planted temporaries: {describe(p)}")
        victim_intact(victim, "sweep -o W.h5 with W.h5.tmp, W.h5.journal.tmp -> victim")
        check(h5py.is_hdf5(out), "sweep: W.h5 is not an HDF5 file")

    # compare and report: R.html.tmp
    with tempfile.TemporaryDirectory() as tmp:
        victim = os.path.join(tmp, "victim.txt")
        report = os.path.join(tmp, "R.html")
        plant(report + ".tmp", victim)
        p = lokalmat("compare", "scenarios/horten/status-quo.toml", "scenarios/horten/exception.toml",
                     "--replicates", "1", "--years", "1", "-o", report)
        check(p.returncode == 0, f"compare beside a planted R.html.tmp: {describe(p)}")
        victim_intact(victim, "compare -o R.html with R.html.tmp -> victim")
        run = one_run(tmp)
        p = lokalmat("report", run, "-o", report, "--force")
        check(p.returncode == 0, f"report beside a planted R.html.tmp: {describe(p)}")
        victim_intact(victim, "report -o R.html with R.html.tmp -> victim")
        check(b"<html" in read_bytes(report), "report: R.html is not the page")

        # export --csv and ensemble --csv over symlinks, with --force
        csv_dir = os.path.join(tmp, "csv")
        os.mkdir(csv_dir)
        os.symlink(victim, os.path.join(csv_dir, "weekly.csv"))
        p = lokalmat("export", run, "--csv", csv_dir, "--force")
        check(p.returncode == 0, f"export --csv over a symlink: {describe(p)}")
        victim_intact(victim, "export --csv, weekly.csv -> victim")
        table = os.path.join(tmp, "E.csv")
        os.symlink(victim, table)
        p = lokalmat("ensemble", "scenarios/horten.toml", "--seeds", "2", "--years", "1", "--csv", table, "--force")
        check(p.returncode == 0, f"ensemble --csv over a symlink: {describe(p)}")
        victim_intact(victim, "ensemble --csv E.csv -> victim")
        check(read_bytes(table).startswith(b"scenario,seed"), "ensemble --csv: E.csv is not the table")


# ---- full disk and read-only directory ------------------------------------------------

def file_size_limit(limit):
    """A process whose files cannot grow past `limit` bytes: write() fails with EFBIG."""
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def writing_commands(tmp, run):
    """(name, arguments, the output it names) of every command that writes a file into `out`."""
    out = os.path.join(tmp, "out")
    sweep = write_sweep(tmp)
    return [
        ("run", ["run", "scenarios/horten.toml", "--years", "1", "-q", "-o", os.path.join(out, "x.h5")], "x.h5"),
        ("sweep", ["sweep", sweep, "-q", "--threads", "1", "-o", os.path.join(out, "w.h5")], "w.h5"),
        ("compare", ["compare", "scenarios/horten/status-quo.toml", "scenarios/horten/exception.toml",
                     "--replicates", "1", "--years", "1", "-o", os.path.join(out, "r.html")], "r.html"),
        ("report", ["report", run, "-o", os.path.join(out, "r.html")], "r.html"),
        ("export", ["export", run, "--csv", os.path.join(out, "csv")], "csv"),
        ("ensemble", ["ensemble", "scenarios/horten.toml", "--seeds", "2", "--years", "1",
                      "--csv", os.path.join(out, "e.csv")], "e.csv"),
    ]


def listing(d):
    found = []
    for root, dirs, files in os.walk(d):
        found += [os.path.relpath(os.path.join(root, n), d) for n in dirs + files]
    return sorted(found)


def check_full_disk():
    with tempfile.TemporaryDirectory() as tmp:
        run = one_run(tmp)
        for name, args, target in writing_commands(tmp, run):
            out = os.path.join(tmp, "out")
            shutil.rmtree(out, ignore_errors=True)
            os.mkdir(out)
            # small enough for no output to fit (the smallest, a CSV of two runs, has about 1 kB)
            p = lokalmat(*args, preexec_fn=file_size_limit(600))
            check(p.returncode == 1, f"{name} on a full disk: expected exit 1, {describe(p)}")
            check(p.returncode >= 0, f"{name} on a full disk: killed by signal {-p.returncode}")
            check(target in p.stderr and "File too large" in p.stderr,
                  f"{name} on a full disk: the message does not name {target} and the reason: {p.stderr!r}")
            check("HDF5" not in p.stderr, f"{name} on a full disk: an HDF5 message instead of ours: {p.stderr!r}")
            left = [f for f in listing(out) if f != "csv"]
            left = [f for f in left if not (name == "sweep" and f == "w.h5.journal")]
            check(not left, f"{name} on a full disk left files behind: {left}")


def check_read_only_dir():
    if os.geteuid() == 0:
        print("read_only_dir: skipped (root writes into read-only directories)")
        return
    with tempfile.TemporaryDirectory() as tmp:
        run = one_run(tmp)
        for name, args, target in writing_commands(tmp, run):
            out = os.path.join(tmp, "out")
            shutil.rmtree(out, ignore_errors=True)
            os.mkdir(out)
            os.chmod(out, 0o555)
            try:
                p = lokalmat(*args)
            finally:
                os.chmod(out, 0o755)
            check(p.returncode == 1, f"{name} into a read-only directory: expected exit 1, {describe(p)}")
            check(target in p.stderr and "Permission denied" in p.stderr,
                  f"{name} into a read-only directory: the message does not name {target}: {p.stderr!r}")
            check(not listing(out), f"{name} into a read-only directory left files: {listing(out)}")


# ---- kill -9 --------------------------------------------------------------------------

def check_kill9():
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        for trial in range(10):
            d = os.path.join(tmp, f"t{trial}")
            os.mkdir(d)
            out = os.path.join(d, "K.h5")
            proc, _ = start_long_run(ARGS.lokalmat, ARGS.source_dir, out)  # the first year is done
            time.sleep(rng.uniform(0.0, 1.5))
            proc.kill()
            proc.communicate()
            files = os.listdir(d)
            check(set(files) <= {"K.h5.partial"}, f"kill -9, trial {trial}: files left {files}")
            if "K.h5.partial" in files:
                try:
                    with h5py.File(out + ".partial", "r") as f:
                        check(int(f.attrs["complete"]) == 0, f"kill -9, trial {trial}: .partial marked complete")
                        f["state_hash"][()]
                except OSError as e:
                    check(False, f"kill -9, trial {trial}: the .partial does not open: {e}")


# ---- no silent replacement -----------------------------------------------------------

def check_no_replace():
    with tempfile.TemporaryDirectory() as tmp:
        run = one_run(tmp)
        keep = b"keep me\n"

        def existing(name):
            path = os.path.join(tmp, name)
            with open(path, "wb") as f:
                f.write(keep)
            return path

        cases = [
            ("compare -o", lambda t: ["compare", "scenarios/horten/status-quo.toml", "scenarios/horten/exception.toml",
                                      "--replicates", "1", "--years", "1", "-o", t], "c.html"),
            ("report -o", lambda t: ["report", run, "-o", t], "r.html"),
            ("ensemble --csv", lambda t: ["ensemble", "scenarios/horten.toml", "--seeds", "2", "--years", "1",
                                          "--csv", t], "e.csv"),
            ("run -o", lambda t: ["run", "scenarios/horten.toml", "--years", "1", "-q", "-o", t], "x.h5"),
        ]
        for what, args, name in cases:
            target = existing(name)
            p = lokalmat(*args(target))
            check(p.returncode == 2 and "--force" in p.stderr and target in p.stderr,
                  f"{what} over an existing file without --force: {describe(p)}")
            check(read_bytes(target) == keep, f"{what}: the existing file was changed without --force")
            p = lokalmat(*args(target), "--force")
            check(p.returncode == 0 and read_bytes(target) != keep, f"{what} --force: {describe(p)}")

        # export --csv: every file of the directory is kept, checked before any is written
        csv_dir = os.path.join(tmp, "csv")
        os.mkdir(csv_dir)
        summary = os.path.join(csv_dir, "summary.csv")
        with open(summary, "wb") as f:
            f.write(keep)
        p = lokalmat("export", run, "--csv", csv_dir)
        check(p.returncode == 2 and "--force" in p.stderr and "summary.csv" in p.stderr,
              f"export --csv into a directory with summary.csv: {describe(p)}")
        check(os.listdir(csv_dir) == ["summary.csv"] and read_bytes(summary) == keep,
              f"export --csv refused but wrote: {os.listdir(csv_dir)}")
        p = lokalmat("export", run, "--csv", csv_dir, "--force")
        check(p.returncode == 0 and read_bytes(summary) != keep, f"export --csv --force: {describe(p)}")

        # an input is never the output, not even with --force (nor through another name)
        scen = os.path.join(tmp, "scen")
        os.mkdir(scen)
        shutil.copy(source("scenarios", "horten.toml"), scen)
        os.mkdir(os.path.join(scen, "horten"))
        shutil.copy(source("scenarios", "horten", "exception.toml"), os.path.join(scen, "horten"))
        a = os.path.join(scen, "horten.toml")
        b = os.path.join(scen, "horten", "exception.toml")  # its base is ../horten.toml
        before_a, before_b = read_bytes(a), read_bytes(b)
        os.link(a, os.path.join(scen, "hardlink.h5"))
        log = os.path.join(scen, "log.toml")
        with open(log, "w") as f:
            f.write(LOG)
        before_log = read_bytes(log)
        inputs = [
            ("run a.toml -o a.toml", ["run", a, "--years", "1", "-q", "-o", a, "--force"]),
            ("run b.toml -o its base", ["run", b, "--years", "1", "-q", "-o", a, "--force"]),
            ("run -o a hard link of the scenario", ["run", a, "--years", "1", "-q", "-o",
                                                    os.path.join(scen, "hardlink.h5"), "--force"]),
            ("run -o the intervention log", ["run", a, "--years", "1", "-q", "--interventions", log, "-o", log, "--force"]),
            ("compare -o its scenario", ["compare", a, b, "--replicates", "1", "--years", "1", "-o", b, "--force"]),
            ("ensemble --csv its scenario", ["ensemble", b, "--seeds", "1", "--years", "1", "--csv", a, "--force"]),
            ("report -o its run file", ["report", run, "-o", run, "--force"]),
        ]
        run_before = read_bytes(run)
        for what, args in inputs:
            p = lokalmat(*args)
            check(p.returncode == 2 and "input" in p.stderr, f"{what}: expected exit 2 naming the input, {describe(p)}")
        check(read_bytes(a) == before_a and read_bytes(b) == before_b, "an input scenario was replaced")
        check(read_bytes(log) == before_log, "an input intervention log was replaced")
        check(read_bytes(run) == run_before, "report replaced its input run file")
        sweep = write_sweep(tmp)
        sweep_before = read_bytes(sweep)
        p = lokalmat("sweep", sweep, "-q", "-o", sweep, "--force")
        check(p.returncode == 2 and "input" in p.stderr, f"sweep -o its definition: {describe(p)}")
        check(read_bytes(sweep) == sweep_before, "sweep replaced its definition")

        # a named output's directory must exist; an empty name is an error
        missing = os.path.join(tmp, "missing", "dir")
        named = [
            ("run", ["run", "scenarios/horten.toml", "--years", "1", "-q", "-o"], "x.h5"),
            ("sweep", ["sweep", sweep, "-q", "-o"], "w.h5"),
            ("compare", ["compare", "scenarios/horten/status-quo.toml", "--replicates", "1", "--years", "1", "-o"],
             "c.html"),
            ("report", ["report", run, "-o"], "r.html"),
            ("ensemble", ["ensemble", "scenarios/horten.toml", "--seeds", "1", "--years", "1", "--csv"], "e.csv"),
            ("export", ["export", run, "--csv"], "csv"),
        ]
        for what, args, name in named:
            p = lokalmat(*args, os.path.join(missing, name))
            check(p.returncode == 2 and "does not exist" in p.stderr and "missing" in p.stderr,
                  f"{what} into a missing directory: {describe(p)}")
            check(not os.path.exists(os.path.join(tmp, "missing")), f"{what} created the missing directory")
            empty_dir = os.path.join(tmp, "cwd")
            os.makedirs(empty_dir, exist_ok=True)
            absolute = [source(x) if x.startswith("scenarios/") else x for x in args]
            p = lokalmat(*absolute, "", cwd=empty_dir)
            check(p.returncode == 2 and "empty" in p.stderr, f"{what} with an empty output name: {describe(p)}")
            check(not os.listdir(empty_dir), f"{what} with an empty output name wrote {os.listdir(empty_dir)}")


# ---- CSV injection -------------------------------------------------------------------

def check_csv_injection():
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(source("scenarios", "horten.toml"), tmp)
        scenario = os.path.join(tmp, "horten.toml")
        evil = "=HYPERLINK(\"http://x\";\"y\")"
        # the display name of the municipality, as a scenario key set on the command line
        out = os.path.join(tmp, "evil.h5")
        p = lokalmat("run", scenario, "--years", "1", "-q", "-o", out,
                     "--set", "municipalities.horten.name='" + evil.replace("'", "") + "'")
        if not check(p.returncode == 0, f"run with a formula as the municipality's name: {describe(p)}"):
            return
        csv_dir = os.path.join(tmp, "csv")
        p = lokalmat("export", out, "--csv", csv_dir)
        if not check(p.returncode == 0, f"export: {describe(p)}"):
            return
        raw = read_bytes(os.path.join(csv_dir, "weekly_by_municipality.csv")).decode()
        check("\"'=HYPERLINK(\"\"http://x\"\";\"\"y\"\")\"" in raw, f"the name is not defused: {raw[:400]!r}")
        with open(os.path.join(csv_dir, "weekly_by_municipality.csv"), newline="") as f:
            rows = list(csv.reader(f))
        check(all(r[2] == "'" + evil for r in rows[1:]), f"municipality cells: {set(r[2] for r in rows[1:])}")
        # numbers stay numbers: every value cell parses as a float (or is empty for NaN)
        for name in ("weekly.csv", "weekly_by_municipality.csv", "summary.csv"):
            with open(os.path.join(csv_dir, name), newline="") as f:
                rows = list(csv.reader(f))
            start = {"weekly.csv": 1, "weekly_by_municipality.csv": 3, "summary.csv": 1}[name]
            stop = 2 if name == "summary.csv" else None
            for r in rows[1:]:
                for cell in r[start:stop]:
                    try:
                        cell == "" or float(cell)
                    except ValueError:
                        check(False, f"{name}: a value cell is not a number: {cell!r}")
                        break
        # the ensemble's scenario cell: a file named like a formula, given as it is
        for name in ("=1+2.toml", "-2+3.toml", "+4.toml", "@SUM(A1).toml"):
            shutil.copy(scenario, os.path.join(tmp, name))
            table = os.path.join(tmp, "e.csv")
            p = lokalmat("ensemble", name, "--seeds", "1", "--years", "1", "--csv", table, "--force", cwd=tmp)
            if not check(p.returncode == 0, f"ensemble {name}: {describe(p)}"):
                continue
            with open(table, newline="") as f:
                rows = list(csv.reader(f))
            check(rows[1][0] == "'" + name, f"ensemble {name}: the scenario cell is {rows[1][0]!r}")
            check(rows[1][1] == "1", f"ensemble {name}: the seed cell is {rows[1][1]!r}")
            for cell in rows[1][2:]:
                try:
                    float(cell)
                except ValueError:
                    check(False, f"ensemble {name}: a figure cell is not a number: {cell!r}")


CHECKS = {"symlinks": check_symlinks, "full_disk": check_full_disk, "read_only_dir": check_read_only_dir,
          "kill9": check_kill9, "no_replace": check_no_replace, "csv_injection": check_csv_injection}

if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("check", choices=sorted(CHECKS))
    ap.add_argument("--lokalmat", required=True)
    ap.add_argument("--source-dir", required=True)
    ARGS = ap.parse_args()
    ARGS.lokalmat = os.path.abspath(ARGS.lokalmat)
    sys.exit(run_check(ARGS.check, CHECKS[ARGS.check]))
