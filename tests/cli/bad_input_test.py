#!/usr/bin/env python3
"""Bad input to the real `lokalmat` program: every case is refused before anything runs,
with exit 2 and one message in the one wording ("FILE:LINE: key 'KEY': MESSAGE", or the
option) that gives the allowed range, and nothing is written. Driven by ctest:

    bad_input_test.py CHECK --lokalmat BIN --source-dir DIR

CHECK is one of
  table_ids      a table id (file or --set) that names nothing in the base files or the region:
                 "did you mean"; entries added on purpose (with their place or municipality) still load
  sweep_seed     run.seed as a sweep parameter, in a sweep's [set], or --set run.seed on a sweep,
                 ensemble or compare: refused, saying the seeds are the replicates
  set_applied    --set base=... is refused; so is --set on a switched-off category
  input_files    base, scenario, sweep and intervention files must be regular files within 16 MiB
                 (a directory, /dev/zero, a larger file, a name over 255 characters)
  interventions  weeks beyond 32 bits or after the run's end, a bad key or value at a late week:
                 refused before the run starts, with the log's file and line
  sweep_limits   an integer beyond 2^53 in a sweep number; samples, points, runs over the limits
                 (also under --dry-run); an output named '.' or a directory (also under --dry-run)
  messages       --seed -1 gives the range in plain digits; validate A B C checks every file and
                 prints every error; a missing required key names the table's line; a check across
                 keys failing on a default names the scenario file
Exit status 0 when every assertion holds; otherwise each failure is printed.
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from script_checks import check, describe, run_check, write  # noqa: E402

ARGS = None


def lokalmat(*args, cwd=None, timeout=300):
    return subprocess.run([ARGS.lokalmat, *args], cwd=cwd or ARGS.source_dir, capture_output=True, text=True,
                          timeout=timeout)


def scenario(name):
    return os.path.join(ARGS.source_dir, "scenarios", name)


def refused(p, what, *needles):
    """Exit 2, one message line on stderr holding every needle, nothing on stdout."""
    lines = [l for l in p.stderr.splitlines() if l.strip()]
    ok = check(p.returncode == 2, f"{what}: expected exit 2: {describe(p)}")
    ok = check(len(lines) == 1, f"{what}: expected one message, got {lines}") and ok
    msg = lines[0] if lines else ""
    for n in needles:
        ok = check(n in msg, f"{what}: message lacks {n!r}: {msg!r}") and ok
    check("what()" not in msg and "bad optional" not in msg and "filesystem error" not in msg,
          f"{what}: an internal message: {msg!r}")
    return msg


def only(tmp, names, what):
    """The directory holds exactly `names`: a refusal wrote nothing."""
    check(sorted(os.listdir(tmp)) == sorted(names), f"{what}: files written: {sorted(os.listdir(tmp))}")


SWEEP_HEAD = """scenario = "{scenario}"
[set]
"run.years" = 1
[design]
kind = "lhs"
samples = 2
"""

PARAM = """[[parameter]]
key = "municipalities.horten.hub.fee_nok_per_kg"
min = 1.0
max = 3.0
"""


# ---------------------------------------------------------------- checks

def check_table_ids():
    horten = scenario("horten.toml")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "x.h5")
        # a misspelt municipality in a file over a base: validate and run refuse it, at its line
        path = write(os.path.join(tmp, "hortn.toml"),
                     f'base = "{horten}"\ntitle = "slip"\n\n[municipalities.hortn.policy]\nbacking_initial = 0.2\n')
        for args in (["validate", path], ["run", path, "-o", out]):
            refused(lokalmat(*args), f"{args[0]} misspelt municipality",
                    f"{path}:4: key 'municipalities.hortn': no municipality 'hortn' in the base files; "
                    "did you mean 'horten'?")
        # ... and given a policy key of its own, not a place: still a slip
        path = write(os.path.join(tmp, "rules.toml"), f'base = "{horten}"\n[municipalities.Horten]\nrules = ["lots"]\n')
        refused(lokalmat("validate", path), "misspelt municipality with rules", f"{path}:2:", "did you mean 'horten'?")
        # the same by --set, on validate, run and a sweep
        key = "municipalities.hortn.hub.fee_nok_per_kg"
        for args in (["validate", horten], ["run", horten, "-o", out]):
            refused(lokalmat(*args, "--set", f"{key}=5"), f"{args[0]} --set misspelt id",
                    f"<override {key}>:1: key '{key}': no municipality 'hortn' in the scenario; did you mean 'horten'?")
        sweep = write(os.path.join(tmp, "sw.toml"), SWEEP_HEAD.format(scenario=horten) + PARAM)
        refused(lokalmat("sweep", sweep, "--dry-run", "--set", f"{key}=5"), "sweep --set misspelt id",
                "did you mean 'horten'?")
        # a misspelt farm, kitchen and category
        for table, near in (("producers.farm_aa", "farm_a"), ("buyers.sfoo", "sfo"),
                            ("categories.fresh_vegtables", "fresh_vegetables")):
            path = write(os.path.join(tmp, "typo.toml"), f'base = "{horten}"\n\n[{table}]\nenabled = false\n'
                         if table.startswith("categories") else f'base = "{horten}"\n\n[{table}]\ncount = 2\n')
            refused(lokalmat("validate", path), f"misspelt {table}", f"{path}:3: key '{table}':",
                    f"did you mean '{near}'?")
        # over a region: an id the region does not generate
        path = write(os.path.join(tmp, "region.toml"),
                     f'base = "{scenario("vestfold.toml")}"\n[municipalities.horten.hub]\nenabled = true\n')
        refused(lokalmat("validate", path), "id over a region", f"{path}:2: key 'municipalities.horten':",
                "in the base files or its region")
        only(tmp, ["hortn.toml", "rules.toml", "sw.toml", "typo.toml", "region.toml"], "table_ids")

        # entries added on purpose keep loading: a municipality with its place, a farm and a kitchen in it
        path = write(os.path.join(tmp, "added.toml"), f'''base = "{horten}"
[municipalities.holmestrand]
name = "Holmestrand"
centre_km = [-15.0, 10.0]
[producers.new_farm]
municipality = "holmestrand"
[buyers.new_kindergarten]
type = "kindergarten"
municipality = "holmestrand"
eaters = 40
[categories.fish]
wholesale_price_nok_per_kg = 120.0
''')
        p = lokalmat("validate", path)
        check(p.returncode == 0 and "ok (2 municipalities, 44 producers, 27 buyers" in p.stdout,
              f"entries added on purpose: {describe(p)}")
        p = lokalmat("validate", horten, "--set", 'municipalities.holmestrand.name="Holmestrand"')
        check(p.returncode == 0 and "ok (2 municipalities" in p.stdout, f"--set adding a municipality: {describe(p)}")
        # the shipped scenario that adds candidate farms over its base
        p = lokalmat("validate", scenario("horten/dps.toml"))
        check(p.returncode == 0 and "9 producers" in p.stdout, f"dps.toml: {describe(p)}")


def check_sweep_seed():
    horten = scenario("horten.toml")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "s.h5")
        param = write(os.path.join(tmp, "param.toml"), SWEEP_HEAD.format(scenario=horten)
                      + '[[parameter]]\nkey = "run.seed"\nmin = 1\nmax = 9\n')
        for extra in ([], ["--dry-run"]):
            refused(lokalmat("sweep", param, "-o", out, *extra), f"run.seed as a parameter {extra}",
                    f"{param}:8: key 'parameter[1].key': run.seed cannot be a parameter:",
                    "seeds are its replicates", "first_seed and replicates")
        in_set = write(os.path.join(tmp, "set.toml"),
                       SWEEP_HEAD.format(scenario=horten).replace('"run.years" = 1', '"run.years" = 1\n"run.seed" = 7')
                       + PARAM)
        refused(lokalmat("sweep", in_set, "-o", out), "run.seed in [set]",
                f"{in_set}:4: key 'set.run.seed':", "seeds are its replicates", "first_seed and replicates")
        ok = write(os.path.join(tmp, "ok.toml"), SWEEP_HEAD.format(scenario=horten) + PARAM)
        refused(lokalmat("sweep", ok, "-o", out, "--set", "run.seed=7"), "sweep --set run.seed",
                "--set run.seed=7:", "seeds are its replicates", "first_seed and replicates")
        refused(lokalmat("ensemble", horten, "--seeds", "2", "--set", "run.seed=7"), "ensemble --set run.seed",
                "--set run.seed=7:", "--first-seed and --seeds")
        refused(lokalmat("compare", horten, horten, "--replicates", "2", "--set", "run.seed=7",
                         "-o", os.path.join(tmp, "r.html")), "compare --set run.seed",
                "--set run.seed=7:", "--first-seed and --replicates")
        only(tmp, ["param.toml", "set.toml", "ok.toml"], "sweep_seed")


def check_set_applied():
    horten = scenario("horten.toml")
    with tempfile.TemporaryDirectory() as tmp:
        write(os.path.join(tmp, "other.toml"), 'title = "other"\n')
        refused(lokalmat("validate", horten, "--set", f'base="{tmp}/other.toml"'), "--set base",
                "<override base>:1: key 'base':", "write base = ")
        refused(lokalmat("run", horten, "-o", os.path.join(tmp, "x.h5"), "--set", "base=\"other.toml\""),
                "run --set base", "key 'base'")
        off = write(os.path.join(tmp, "off.toml"), f'base = "{horten}"\n[categories.meat]\nenabled = false\n')
        key = "categories.meat.wholesale_price_nok_per_kg"
        refused(lokalmat("validate", off, "--set", f"{key}=100.0"), "--set on a switched-off category",
                f"<override {key}>:1: key '{key}':", "switched off")
        p = lokalmat("validate", off, "--set", "categories.meat.enabled=true", "--set", f"{key}=100.0")
        check(p.returncode == 0, f"--set switching a category back on: {describe(p)}")
        only(tmp, ["other.toml", "off.toml"], "set_applied")


def check_input_files():
    horten = scenario("horten.toml")
    with tempfile.TemporaryDirectory() as tmp:
        os.mkdir(os.path.join(tmp, "somedir"))
        big = os.path.join(tmp, "big.toml")
        with open(big, "w") as f:
            f.truncate(16 * 1024 * 1024 + 1)  # sparse: a byte over the limit
        for base, why in (("somedir", "it is a directory, not a file"),
                          ("/dev/zero", "not a regular file"),
                          ("big.toml", "more than the limit of 16777216 bytes (16 MiB)"),
                          ("a" * 300 + ".toml", "the path is too long")):
            path = write(os.path.join(tmp, "child.toml"), f'base = "{base}"\n')
            refused(lokalmat("validate", path), f"base = {base[:20]}", f"{path}:1: key 'base':", why)
        for path, why in ((os.path.join(tmp, "somedir"), "it is a directory"), ("/dev/zero", "not a regular file"),
                          (big, "16 MiB"), (os.path.join(tmp, "b" * 300 + ".toml"), "the path is too long")):
            refused(lokalmat("validate", path), f"validate {path[-20:]}", f"{path}: cannot read scenario file:", why)
            refused(lokalmat("sweep", path, "--dry-run"), f"sweep {path[-20:]}", f"{path}: cannot read sweep file:", why)
        for path, why in (("/dev/zero", "not a regular file"), (big, "16 MiB")):
            refused(lokalmat("run", horten, "-o", os.path.join(tmp, "x.h5"), "--interventions", path),
                    f"--interventions {path[-20:]}", f"{path}: cannot read intervention log:", why)
        sweep = write(os.path.join(tmp, "sw.toml"), SWEEP_HEAD.format(scenario="somedir") + PARAM)
        refused(lokalmat("sweep", sweep, "--dry-run"), "sweep scenario = a directory",
                f"{sweep}:1: key 'scenario':", "it is a directory")
        only(tmp, ["somedir", "big.toml", "child.toml", "sw.toml"], "input_files")


def check_interventions():
    horten = scenario("horten.toml")
    key = "municipalities.horten.policy.local_incentive_nok_per_kg"
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "x.h5")
        cases = [
            (4294967299, key, "10.0", ":2: key 'intervention.week': 4294967299 is out of range; allowed 0 to 2147483647"),
            (2147483648, key, "10.0", ":2: key 'intervention.week': 2147483648 is out of range"),
            (520, key, "10.0", ":1: key 'intervention.week': week 520 is not in the run; allowed 0 to 519"),
            (500, "municipalities.hortn.policy.local_incentive_nok_per_kg", "10.0",
             f":1: key 'municipalities.hortn.policy.local_incentive_nok_per_kg': the scenario has no municipality "
             "'hortn'; did you mean 'horten'?"),
            (500, "municipalities.horten.hub.fee_nok_per_kgg", "1.0",
             ":1: key 'municipalities.horten.hub.fee_nok_per_kgg': not a lever that can change during a run; "
             "did you mean 'municipalities.horten.hub.fee_nok_per_kg'?"),
            (500, "municipalities.horten.exception_cap_share", "1.5",
             ":1: key 'municipalities.horten.exception_cap_share': 1.5 is out of range; allowed 0 to 1 (share)"),
            (500, "municipalities.horten.rules", '["lots"]',
             ":1: key 'municipalities.horten.rules': lots cannot be switched during a run"),
        ]
        for week, k, value, expected in cases:
            log = write(os.path.join(tmp, "log.toml"),
                        f'[[intervention]]\nweek = {week}\nkey = "{k}"\nvalue = {value}\n')
            p = lokalmat("run", horten, "-o", out, "--interventions", log, "-q", timeout=60)
            refused(p, f"intervention week {week} key {k}", log + expected)
            check("year" not in p.stderr, f"the run started before the log was refused: {p.stderr!r}")
        # a bad entry after good ones is found before the run, at its own line
        log = write(os.path.join(tmp, "log.toml"), f'[[intervention]]\nweek = 3\nkey = "{key}"\nvalue = 10.0\n\n'
                    f'[[intervention]]\nweek = 400\nkey = "{key}"\nvalue = "ten"\n')
        refused(lokalmat("run", horten, "-o", out, "--interventions", log), "a bad value at week 400",
                f"{log}:6: key '{key}':", "expected a number")
        # --years shortens the run: a week after its end is refused
        log = write(os.path.join(tmp, "log.toml"), f'[[intervention]]\nweek = 60\nkey = "{key}"\nvalue = 10.0\n')
        refused(lokalmat("run", horten, "-o", out, "--years", "1", "--interventions", log), "a week after --years",
                "week 60 is not in the run; allowed 0 to 51")
        only(tmp, ["log.toml"], "interventions")


def check_sweep_limits():
    horten = scenario("horten.toml")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "s.h5")
        head = SWEEP_HEAD.format(scenario=horten)
        cases = [
            (head + PARAM.replace("max = 3.0", "max = 9007199254740993"), ":10: key 'parameter[1].max': "
             "9007199254740993 cannot be held exactly as a number; allowed -9007199254740992 to 9007199254740992"),
            (head.replace('kind = "lhs"\nsamples = 2', 'kind = "factorial"')
             + '[[parameter]]\nkey = "municipalities.horten.hub.fee_nok_per_kg"\nvalues = [1.0, 9007199254740993]\n',
             ":8: key 'parameter[1].values': 9007199254740993 cannot be held exactly as a number"),
            (head.replace("samples = 2", "samples = 10000000") + PARAM,
             ":6: key 'design.samples': 1e+07 is out of range; allowed 1 to 1e+06"),
            (head.replace('kind = "lhs"\nsamples = 2', 'kind = "sobol"\nsamples = 500000') + PARAM + PARAM.replace(
                "hub.fee_nok_per_kg", "policy.local_incentive_nok_per_kg"),
             ":6: key 'design.samples': 500000 base points x (2 parameters + 2) = 2000000 points, more than the "
             "limit of 1000000 points"),
            ("replicates = 1000\n" + head.replace("samples = 2", "samples = 2000") + PARAM,
             ":1: key 'replicates': 2000 points x 1000 replicates = 2000000 runs, more than the limit of 1000000 runs"),
        ]
        for text, expected in cases:
            path = write(os.path.join(tmp, "sw.toml"), text)
            for extra in (["--dry-run"], []):
                refused(lokalmat("sweep", path, "-o", out, *extra, timeout=60), f"sweep {expected[:40]} {extra}",
                        path + expected)
        # an output that is a directory is refused before any run, and by --dry-run as by the run
        path = write(os.path.join(tmp, "sw.toml"), head + PARAM)
        os.mkdir(os.path.join(tmp, "d"))
        for o in (".", os.path.join(tmp, "d"), tmp + "/", os.path.join(tmp, "c" * 300 + ".h5")):
            for extra in (["--dry-run"], []):
                p = lokalmat("sweep", path, "-o", o, "-q", *extra, cwd=tmp, timeout=60)
                refused(p, f"sweep -o {o[-20:]} {extra}", f"-o {o}:")
        only(tmp, ["sw.toml", "d"], "sweep_limits")
        check(os.listdir(os.path.join(tmp, "d")) == [], "sweep -o DIR wrote into it")


def check_messages():
    horten = scenario("horten.toml")
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "x.h5")
        for bad in ("-1", "9300000000000000000", "1.5"):
            p = lokalmat("run", horten, "-o", out, "--seed", bad)
            check(p.returncode == 2, f"--seed {bad}: {describe(p)}")
            check("allowed a whole number 0 to 9200000000000000000" in p.stderr, f"--seed {bad}: {p.stderr!r}")
            check(len(p.stderr) < 300, f"--seed {bad}: a long message: {p.stderr!r}")
        # validate A B C: every file checked, every error printed
        bad1 = write(os.path.join(tmp, "bad1.toml"), f'base = "{horten}"\n[run]\nyeers = 3\n')
        bad2 = write(os.path.join(tmp, "bad2.toml"), f'base = "{horten}"\n[run]\nyears = 0\n')
        p = lokalmat("validate", bad1, horten, bad2, os.path.join(tmp, "missing.toml"))
        check(p.returncode == 2, f"validate A B C: {describe(p)}")
        check(p.stdout == f"{horten}: ok (1 municipalities, 43 producers, 26 buyers, 520 weeks)\n",
              f"validate A B C: the good file: {p.stdout!r}")
        for n in (f"{bad1}:3: key 'run.yeers'", f"{bad2}:3: key 'run.years': 0 is out of range",
                  "missing.toml: cannot read scenario file: no such file", "3 of 4 files refused"):
            check(n in p.stderr, f"validate A B C: stderr lacks {n!r}: {p.stderr!r}")
        # a missing required key names the table's line
        path = write(os.path.join(tmp, "req.toml"), f'base = "{horten}"\n\n[buyers.new_unit]\nmunicipality = "horten"\n'
                     'eaters = 5\n')
        refused(lokalmat("validate", path), "missing type", f"{path}:3: key 'buyers.new_unit.type': required key is missing")
        path = write(os.path.join(tmp, "eaters.toml"), f'base = "{horten}"\n\n[buyers.new_unit]\nmunicipality = "horten"\n'
                     'type = "sfo"\n')
        refused(lokalmat("validate", path), "missing eaters", f"{path}:3: key 'buyers.new_unit.eaters':",
                "give exactly one of eaters")
        # a check across keys failing on a default names the line of the key the user wrote, not a default's place
        path = write(os.path.join(tmp, "cross.toml"), f'base = "{horten}"\n[procurement]\nweight_price = 0.9\n')
        msg = refused(lokalmat("validate", path), "award weights",
                      f"{path}:3: key 'procurement.weight_price': award weights price 0.9")
        check("<" not in msg, f"a check across keys names a place that is no file: {msg!r}")
        only(tmp, ["bad1.toml", "bad2.toml", "req.toml", "eaters.toml", "cross.toml"], "messages")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("check")
    ap.add_argument("--lokalmat", required=True)
    ap.add_argument("--source-dir", required=True)
    ARGS = ap.parse_args()
    checks = {name[len("check_"):]: fn for name, fn in globals().items() if name.startswith("check_")}
    if ARGS.check not in checks:
        sys.exit(f"unknown check {ARGS.check}; known: {', '.join(checks)}")
    return run_check(ARGS.check, checks[ARGS.check])


if __name__ == "__main__":
    sys.exit(main())
