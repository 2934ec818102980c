#!/usr/bin/env python3
"""Tests of the real `lokalmat` program, driven by ctest.

    cli_test.py CHECK --lokalmat BIN --source-dir DIR

CHECK is one of
  validate_shipped        `validate` accepts every scenarios/**/*.toml (exit 0)
  misspelt_key            a misspelt key: exit 2, one message with file, line, key, suggestion
  bad_input_exit_codes    other bad input (missing file, bad option, bad --set): exit 2
  no_overwrite            an existing output is kept without --force, replaced with it
  interrupt               SIGINT/SIGTERM: exit 130, no OUT.h5, a readable OUT.h5.partial (complete = 0)
  resolved_reproduces_run the scenario_toml stored in a run file re-runs to the same state hashes
  resolved_end_date       ... also when --years overrides a scenario's run.end_date
  keys                    `keys` documents every section and every key the shipped files use
  phases                  `phases` prints the phase table in order, calendar first and the state hash last; the README shows it
  interventions           `run --interventions LOG` applies the log from its weeks on, stores it in the file;
                          a bad log or a refused lever: exit 2 naming the file, line or key
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
import tomllib

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from script_checks import LONG_RUN, LONG_RUN_WEEKS, check, describe, failures, run_check, start_long_run  # noqa: E402

try:
    import h5py
    import numpy as np
except ImportError as e:
    sys.exit(f"cli_test.py: {e}; run with a Python that has h5py and numpy (python3-h5py)")

SECTIONS = ["(top level)", "run", "behaviour", "procurement", "network", "wholesaler", "categories.<name>", "buyer_types.<type>",
            "municipalities.<id>", "municipalities.<id>.policy", "municipalities.<id>.hub",
            "municipalities.<id>.day_centre", "producers.<id>", "buyers.<id>"]

ARGS = None


def lokalmat(*args, timeout=300):
    """Run the program; returns the CompletedProcess (text output)."""
    return subprocess.run([ARGS.lokalmat, *args], cwd=ARGS.source_dir, capture_output=True, text=True,
                          timeout=timeout)



def shipped():
    files = sorted(f for f in glob.glob(os.path.join(ARGS.source_dir, "scenarios", "**", "*.toml"), recursive=True)
                   # sweep and calibration definitions: tests/sweep
                   if os.path.basename(os.path.dirname(f)) not in ("sweeps", "calibration"))
    check(len(files) >= 2, f"only {len(files)} shipped scenarios found")
    return files


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


# ---------------------------------------------------------------- checks

def check_validate_shipped():
    files = shipped()
    for path in files:
        p = lokalmat("validate", path)
        check(p.returncode == 0, f"validate {path}: {describe(p)}")
        check(p.stdout.startswith(f"{path}: ok ("), f"validate {path} printed {p.stdout!r}")
        check(p.stderr == "", f"validate {path} wrote to stderr: {p.stderr!r}")
    # several files at once: one line each
    p = lokalmat("validate", *files)
    check(p.returncode == 0, f"validate (all files): {describe(p)}")
    check(len(p.stdout.splitlines()) == len(files), f"validate (all files) printed {p.stdout!r}")
    # --print gives the resolved scenario, which parses as TOML
    p = lokalmat("validate", "--print", os.path.join(ARGS.source_dir, "scenarios", "horten.toml"))
    check(p.returncode == 0, f"validate --print: {describe(p)}")
    try:
        sc = tomllib.loads(p.stdout)
        check("horten" in sc.get("municipalities", {}), "validate --print: no municipalities.horten")
    except tomllib.TOMLDecodeError as e:
        check(False, f"validate --print output is not TOML: {e}")


def check_misspelt_key():
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "my.toml")
        horten = os.path.join(ARGS.source_dir, "scenarios", "horten.toml")
        with open(path, "w") as f:
            f.write(f'base = "{horten}"\ntitle = "misspelt"\n\n[run]\nyeers = 3\n')
        for args in (["validate", path], ["run", path, "-o", os.path.join(tmp, "x.h5")]):
            p = lokalmat(*args)
            check(p.returncode == 2, f"{' '.join(args[:1])} with a misspelt key: {describe(p)}")
            lines = [l for l in p.stderr.splitlines() if l.strip()]
            check(len(lines) == 1, f"expected one error message, got {lines}")
            msg = lines[0] if lines else ""
            # the one wording: "FILE:LINE: key 'KEY': MESSAGE", the nearest key for an unknown one
            expected = f"{path}:5: key 'run.yeers': unknown key; did you mean 'run.years'?"
            check(msg.endswith(expected), f"message is not {expected!r}: {msg!r}")
            check(p.stdout == "", f"stdout is not empty: {p.stdout!r}")
        check(os.listdir(tmp) == ["my.toml"], f"a refused run left files: {os.listdir(tmp)}")


def check_bad_input_exit_codes():
    horten = "scenarios/horten.toml"
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "x.h5")
        cases = [
            (["validate", os.path.join(tmp, "missing.toml")], "missing.toml"),
            (["run", horten, "-o", out, "--threads", "0"], "threads"),
            (["run", horten, "-o", out, "--years", "abc"], "years"),
            (["run", horten, "-o", out, "--set", "run.years=0"],
             "<override run.years>:1: key 'run.years': 0 is out of range; allowed 1 to 100 (years)"),
            (["run", horten, "-o", out, "--set", "no_equals_sign"], "key=value"),
            (["run", horten, "-o", out, "--set", "municipalities.horten.hub.vehicle_capacity_kg=-5"],
             "key 'municipalities.horten.hub.vehicle_capacity_kg': -5 is out of range; allowed 0 to 1e+06 (kg per trip)"),
            (["frobnicate"], ""),
            ([], ""),
        ]
        for args, word in cases:
            p = lokalmat(*args)
            check(p.returncode == 2, f"`lokalmat {' '.join(args)}`: expected exit 2, {describe(p)}")
            check(word in p.stderr + p.stdout, f"`lokalmat {' '.join(args)}` does not mention {word!r}: {p.stderr!r}")
        check(not os.listdir(tmp), f"bad input left files: {os.listdir(tmp)}")
        p = lokalmat("--version")
        check(p.returncode == 0 and re.search(r"\d+\.\d+\.\d+", p.stdout), f"--version: {describe(p)}")


def check_no_overwrite():
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.h5")
        junk = b"not a result file\n" * 100
        with open(out, "wb") as f:
            f.write(junk)
        p = lokalmat("run", "scenarios/horten.toml", "--years", "1", "-o", out, "-q")
        check(p.returncode != 0, f"an existing output was not refused: {describe(p)}")
        check("--force" in p.stderr, f"the refusal does not mention --force: {p.stderr!r}")
        check(read_bytes(out) == junk, "the existing output file was changed")
        check(not os.path.exists(out + ".partial"), "a refused run left a .partial file")
        # --force replaces it with a finished run
        p = lokalmat("run", "scenarios/horten.toml", "--years", "1", "-o", out, "-q", "--force")
        check(p.returncode == 0, f"--force: {describe(p)}")
        check(not os.path.exists(out + ".partial"), "the forced run left a .partial file")
        with h5py.File(out, "r") as f:
            check(int(f.attrs["complete"]) == 1, "the forced run is not complete")
            check(f["state_hash"].shape == (52,), f"the forced run has {f['state_hash'].shape} weeks")
        # a real result file is protected just the same
        before = read_bytes(out)
        p = lokalmat("run", "scenarios/horten.toml", "--years", "2", "-o", out, "-q")
        check(p.returncode != 0, f"an existing result file was not refused: {describe(p)}")
        check(read_bytes(out) == before, "the existing result file was changed")


def interrupt(sig, tmp):
    """Start a 100-year run, send `sig` 0.5 s after its first year is done; returns (process, out path)."""
    out = os.path.join(tmp, "X.h5")
    # the first progress line ("year 1 done") comes after the signal handler is set (the file
    # itself is written only at the end, or as the .partial on the signal)
    proc, first = start_long_run(ARGS.lokalmat, ARGS.source_dir, out)
    time.sleep(0.5)
    proc.send_signal(sig)
    try:
        stdout, stderr = proc.communicate(timeout=60)
        stderr = first + stderr
    except subprocess.TimeoutExpired:
        proc.kill()
        stdout, stderr = proc.communicate()
        check(False, f"lokalmat did not stop within 60 s of signal {sig}")
    return proc.returncode, stdout, stderr, out


def check_interrupt():
    for sig in (signal.SIGINT, signal.SIGTERM):
        name = signal.Signals(sig).name
        with tempfile.TemporaryDirectory() as tmp:
            rc, stdout, stderr, out = interrupt(sig, tmp)
            check(rc == 130, f"{name}: exit {rc}, expected 130; stderr {stderr!r}")
            check(not os.path.exists(out), f"{name}: {out} exists after an interrupted run")
            partial = out + ".partial"
            if not check(os.path.exists(partial), f"{name}: no {partial}"):
                continue
            check("interrupted" in stderr and partial in stderr, f"{name}: stderr {stderr!r}")
            with h5py.File(partial, "r") as f:
                check(int(f.attrs["complete"]) == 0, f"{name}: complete is {f.attrs['complete']}, expected 0")
                check("weeks" not in f.attrs, f"{name}: a .partial file has a 'weeks' attribute")
                hashes = f["state_hash"][()]
                n = len(hashes)
                check(0 < n < LONG_RUN_WEEKS, f"{name}: {n} weeks written before the signal")
                # every dataset holds the same whole weeks
                lengths = {}
                f.visititems(lambda k, o: lengths.__setitem__(k, o.shape[0]) if isinstance(o, h5py.Dataset) else None)
                bad = {k: v for k, v in lengths.items() if v != n}
                check(not bad, f"{name}: datasets with a different number of weeks than state_hash ({n}): {bad}")
                check(np.all(np.isfinite(f["weekly/food_spend_nok"][()])), f"{name}: food_spend_nok not finite")
                if sig == signal.SIGINT and n > 0:
                    # the weeks written are the weeks of an uninterrupted run
                    ref = os.path.join(tmp, "ref.h5")
                    p = lokalmat(*LONG_RUN[:2], "--years", "2", "-o", ref, "-q")
                    if check(p.returncode == 0, f"reference run: {describe(p)}"):
                        with h5py.File(ref, "r") as g:
                            k = min(n, 104)
                            check(np.array_equal(hashes[:k], g["state_hash"][:k]),
                                  "the interrupted run's state hashes differ from an uninterrupted run's")


def resolved_rerun(tmp, scenario, *extra):
    """Run `scenario`, then re-run the scenario_toml stored in its file; returns both files' hashes."""
    first = os.path.join(tmp, "first.h5")
    p = lokalmat("run", scenario, "-o", first, "-q", *extra)
    if not check(p.returncode == 0, f"run {scenario}: {describe(p)}"):
        return None
    with h5py.File(first, "r") as f:
        text = f.attrs["scenario_toml"]
        h1, planned = f["state_hash"][()], int(f.attrs["weeks_planned"])
    resolved = os.path.join(tmp, "resolved.toml")
    with open(resolved, "w") as out:
        out.write(text)
    again = os.path.join(tmp, "again.h5")
    p = lokalmat("run", resolved, "-o", again, "-q")
    if not check(p.returncode == 0, f"re-run of the resolved scenario: {describe(p)}"):
        return None
    with h5py.File(again, "r") as f:
        h2 = f["state_hash"][()]
        check(f.attrs["scenario_toml"] == text, "the re-run's scenario_toml differs from the original's")
        check(int(f.attrs["weeks_planned"]) == planned,
              f"the run was {planned} weeks; its stored scenario_toml runs {int(f.attrs['weeks_planned'])} weeks")
    check(len(h1) == len(h2) and np.array_equal(h1, h2), "the re-run's state hashes differ")
    return h1, h2


def check_resolved_reproduces_run():
    with tempfile.TemporaryDirectory() as tmp:
        resolved_rerun(tmp, "scenarios/horten.toml", "--years", "2", "--seed", "5",
                       "--set", "municipalities.horten.hub.fee_nok_per_kg=3")


def check_resolved_end_date():
    # a scenario that ends by date, run with --years (which the program lets win)
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "dated.toml")
        horten = os.path.join(ARGS.source_dir, "scenarios", "horten.toml")
        with open(path, "w") as f:
            f.write(f'base = "{horten}"\n[run]\nend_date = "2025-06-29"\n')  # 25 weeks
        resolved_rerun(tmp, path, "--years", "1")


def keys_sections(text):
    """`lokalmat keys` output -> {section: [key, ...]}."""
    out, current = {}, None
    for line in text.splitlines():
        m = re.match(r"^#+ `([^`]+)`", line)
        if m:
            current = out.setdefault(m.group(1), [])
            continue
        m = re.match(r"^\| `([^`]+)` \|", line)
        if m and current is not None:
            current.append(m.group(1))
    return out


def check_keys():
    p = lokalmat("keys")
    check(p.returncode == 0, f"keys: {describe(p)}")
    sections = keys_sections(p.stdout)
    for s in SECTIONS:
        if check(s in sections, f"`lokalmat keys` has no section `{s}`"):
            check(len(sections[s]) > 0, f"section `{s}` lists no keys")
    # the core sections are all there; newer ones (e.g. region.*) may follow
    check(set(SECTIONS) <= set(sections), f"sections in `lokalmat keys`: {sorted(sections)}")
    # every header row has the unit, default and range columns
    check("| key | type | unit | default | range | meaning |" in p.stdout, "keys: table header")
    patterns = [(re.compile("^" + re.sub(r"<[a-z]+>", "[^.]+", re.escape(s).replace(r"\<", "<").replace(r"\>", ">"))
                            + "$"), s) for s in sections if s != "(top level)"]

    # region templates hold the keys of the tables they generate
    templates = {"region.municipality_defaults": "municipalities.m0000", "region.producer_defaults": "producers.p"}

    def section_of(prefix):
        if prefix == "":
            return "(top level)"
        for t, stands_for in templates.items():
            if prefix == t or prefix.startswith(t + "."):
                prefix = stands_for + prefix[len(t):]
        for rx, s in patterns:
            if rx.match(prefix):
                return s
        return None

    # every key the shipped scenarios and the built-in defaults use is documented
    def walk(table, prefix, origin):
        for k, v in table.items():
            path = f"{prefix}.{k}" if prefix else k
            sec = section_of(prefix)
            if sec is not None and k in sections.get(sec, []):
                continue  # a documented key (a table-valued key such as area_daa included)
            if isinstance(v, dict):
                walk(v, path, origin)
            else:
                check(False, f"{origin}: key '{path}' is not documented by `lokalmat keys`")

    files = shipped() + [os.path.join(ARGS.source_dir, "sim", "defaults.toml")]
    for path in files:
        with open(path, "rb") as f:
            walk(tomllib.load(f), "", os.path.relpath(path, ARGS.source_dir))

    # the key tables of scenarios/README.md are this output and that of `keys --sweep`, as
    # tools/update-docs.sh writes them: a range or default changed in the schema shows in the docs
    with open(os.path.join(ARGS.source_dir, "scenarios", "README.md"), encoding="utf-8") as f:
        doc = f.read()
    check(p.stdout in doc, "scenarios/README.md's key tables are not `lokalmat keys` (run tools/update-docs.sh)")
    ps = lokalmat("keys", "--sweep")
    check(ps.returncode == 0 and ps.stdout in doc,
          "scenarios/README.md's sweep-key table is not `lokalmat keys --sweep` (run tools/update-docs.sh)")


def check_ensemble():
    """`lokalmat ensemble`: a table with every scenario, the not-lawful label, and CSV figures equal to the
    /run figures of single runs with the same seeds (seeds are independent of the parallel schedule)."""
    import csv
    import h5py
    with tempfile.TemporaryDirectory() as tmp:
        out_csv = os.path.join(tmp, "ens.csv")
        files = ["scenarios/horten/exception.toml", "scenarios/horten/quota-30.toml"]
        p = lokalmat("ensemble", *files, "--seeds", "3", "--first-seed", "4", "--years", "1", "--csv", out_csv)
        if not check(p.returncode == 0, f"ensemble: {describe(p)}"):
            return
        for f in files:
            check(f in p.stdout, f"ensemble table lacks {f}:\n{p.stdout}")
        check("quota-30.toml (NOT LAWFUL)" in p.stdout, "the quota scenario is not labelled NOT LAWFUL")
        check("mean [5%, 95%]" in p.stdout, "the table does not say what its columns are")
        with open(out_csv, newline="") as fh:
            rows = list(csv.DictReader(fh))
        check(len(rows) == 6, f"{len(rows)} CSV rows, expected 2 scenarios x 3 seeds")
        check(sorted({int(r["seed"]) for r in rows}) == [4, 5, 6], "CSV seeds are not 4..6")
        # a single run with the same seed gives the same figures
        one = os.path.join(tmp, "one.h5")
        q = lokalmat("run", files[0], "--seed", "5", "--years", "1", "-o", one, "-q")
        if not check(q.returncode == 0, f"run: {describe(q)}"):
            return
        row = next(r for r in rows if r["scenario"] == files[0] and int(r["seed"]) == 5)
        with h5py.File(one, "r") as h:
            for key, value in row.items():
                if key in ("scenario", "seed"):
                    continue
                name = key.split(" (")[0]
                if check(name in h["run"], f"/run/{name} missing in a run file"):
                    a, b = float(value), float(h["run"][name][()])
                    check(a == b or (a != a and b != b), f"{name}: ensemble {a} != run {b}")


def check_interventions():
    with tempfile.TemporaryDirectory() as tmp:
        log = os.path.join(tmp, "log.toml")
        with open(log, "w") as f:
            f.write('[[intervention]]\nweek = 30\nkey = "municipalities.horten.policy.local_incentive_nok_per_kg"\n'
                    'value = 10.0\n')
        base, moved = os.path.join(tmp, "base.h5"), os.path.join(tmp, "moved.h5")
        p = lokalmat("run", "scenarios/horten.toml", "--years", "1", "-o", base, "-q")
        check(p.returncode == 0, f"run: {describe(p)}")
        p = lokalmat("run", "scenarios/horten.toml", "--years", "1", "-o", moved, "-q", "--interventions", log)
        if not check(p.returncode == 0, f"run --interventions: {describe(p)}"):
            return
        with h5py.File(base, "r") as a, h5py.File(moved, "r") as b:
            ha, hb = a["state_hash"][()], b["state_hash"][()]
            check(np.array_equal(ha[:30], hb[:30]), "weeks before the intervention differ")
            check(not np.array_equal(ha[30:], hb[30:]), "the intervention changed nothing")
            inc = b["weekly/incentive_nok_per_kg"][()]
            check(np.all(inc[:30] == 0) and np.all(inc[30:] == 10.0), f"incentive in force by week: {inc}")
            check("local_incentive_nok_per_kg" in b.attrs["interventions"], "the log is not stored in the file")
            check(a.attrs["interventions"] == "", "a run without a log stores one")
        with open(log, "w") as f:
            f.write('[[intervention]]\nweek = 3\nkey = "municipalities.horten.hub.fee"\nvalue = 1.0\n')
        p = lokalmat("run", "scenarios/horten.toml", "--years", "1", "-o", os.path.join(tmp, "x.h5"),
                     "--interventions", log)
        check(p.returncode == 2 and "not a lever" in p.stderr and "fee_nok_per_kg" in p.stderr,
              f"a log with a wrong key: {describe(p)}")
        with open(log, "w") as f:
            f.write('[[intervention]]\nweek = 3\nkey = "municipalities.horten.hub.fee_nok_per_kg"\nvalu = 1.0\n')
        p = lokalmat("run", "scenarios/horten.toml", "--years", "1", "-o", os.path.join(tmp, "y.h5"),
                     "--interventions", log)
        check(p.returncode == 2 and "log.toml:4:" in p.stderr and "valu" in p.stderr, f"a log with a typo: {describe(p)}")


PHASES_BEGIN = "<!-- phase table: begin (generated by `lokalmat phases`; do not edit by hand) -->"
PHASES_END = "<!-- phase table: end -->"


def check_phases():
    p = lokalmat("phases")
    check(p.returncode == 0, f"phases: {describe(p)}")
    rows = [re.match(r"^\| (\d+) \| ([a-z_]+) \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$", l) for l in p.stdout.splitlines()]
    rows = [r for r in rows if r]
    check(len(rows) >= 10, f"`lokalmat phases` prints {len(rows)} phases:\n{p.stdout}")
    check([int(r.group(1)) for r in rows] == list(range(1, len(rows) + 1)), "phases are not numbered 1..n")
    names = [r.group(2) for r in rows]
    check(len(set(names)) == len(names), f"phase names repeat: {names}")
    for r in rows:
        check(all(r.group(i).strip() for i in (3, 4, 5)), f"phase {r.group(2)}: empty column")
    check(names[:1] == ["calendar"], f"the first phase is {names[:1]}, expected calendar")
    check(names[-1:] == ["state_hash"], f"the last phase is {names[-1:]}, expected state_hash")
    # the metrics phase observes: it writes only the report; feedback comes after it, before the hash
    if "metrics" in names and "feedback" in names:
        check(names.index("metrics") < names.index("feedback"), "feedback runs before metrics")
        check("reads State only" in rows[names.index("metrics")].group(4), "metrics is not marked a pure observer")
    # the README's phase table is this output
    with open(os.path.join(ARGS.source_dir, "README.md"), encoding="utf-8") as f:
        readme = f.read()
    if check(PHASES_BEGIN in readme and PHASES_END in readme, "README.md has no generated phase table"):
        table = readme.split(PHASES_BEGIN, 1)[1].split(PHASES_END, 1)[0].strip("\n") + "\n"
        check(table == p.stdout, f"README.md's phase table differs from `lokalmat phases`:\n{p.stdout}")


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    checks = {"validate_shipped": check_validate_shipped, "misspelt_key": check_misspelt_key,
              "bad_input_exit_codes": check_bad_input_exit_codes, "no_overwrite": check_no_overwrite,
              "interrupt": check_interrupt, "resolved_reproduces_run": check_resolved_reproduces_run,
              "resolved_end_date": check_resolved_end_date, "keys": check_keys, "phases": check_phases,
              "interventions": check_interventions,
              "ensemble": check_ensemble}
    ap.add_argument("check", choices=sorted(checks))
    ap.add_argument("--lokalmat", required=True)
    ap.add_argument("--source-dir", required=True)
    ARGS = ap.parse_args()
    ARGS.lokalmat = os.path.abspath(ARGS.lokalmat)
    return run_check(ARGS.check, checks[ARGS.check])


if __name__ == "__main__":
    sys.exit(main())
