#!/usr/bin/env python3
"""Tests of the viewer `lokalmat-view` in its headless mode, driven by ctest under Xvfb
(xvfb-run -a -s "-screen 0 1280x800x24").

    viz_test.py CHECK --view BIN --lokalmat BIN --source-dir DIR

CHECK is one of
  screenshot      --screenshot writes a PNG of the window's size that is not blank: its pixels vary
                  and include the map's colours (kitchens, hub, local and wholesale flows) and the
                  charts' series colours
  panels          every panel drawn for several frames on each inspector tab, with the baseline run
                  (--compare) and a lever moved: exit 0, the run at the week asked for
  panels_norway   the same on the national scenario (357 municipalities) after a few weeks, zoomed
                  out (flows summed per municipality) and in on Horten (flows per kitchen)
  same_as_run     a viewer run without levers saved with --save gives the /state_hash of
                  `lokalmat run` with the same seed and weeks, and the same weekly metrics
  replay          levers moved in the viewer (--intervene), saved with their log, replayed by
                  `lokalmat run --interventions LOG`: the viewer's /state_hash, week for week; a
                  refused lever is reported and the run goes on
  bad_input       a malformed --intervene or a missing scenario: exit 2; --save refuses to replace
                  an existing file without --replace (exit 1, the file kept)
Exit status 0 when every assertion holds; otherwise each failure is printed.
"""
import argparse
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from script_checks import check, describe, failures, run_check  # noqa: E402

try:
    import h5py
    import numpy as np
    from PIL import Image
except ImportError as e:
    sys.exit(f"viz_test.py: {e}; run with a Python that has h5py, numpy and PIL (python3-h5py, python3-pil)")

ARGS = None
HORTEN = os.path.join("scenarios", "horten.toml")
NORWAY = os.path.join("scenarios", "norway.toml")
INCENTIVE = "municipalities.horten.policy.local_incentive_nok_per_kg"


def view(*args, timeout=300):
    return subprocess.run([ARGS.view, *args], cwd=ARGS.source_dir, capture_output=True, text=True, timeout=timeout)


def lokalmat(*args, timeout=300):
    return subprocess.run([ARGS.lokalmat, *args], cwd=ARGS.source_dir, capture_output=True, text=True,
                          timeout=timeout)


def state_hash(path):
    with h5py.File(path, "r") as f:
        return f["state_hash"][:]


def near(pixels, rgb, tol=12):
    """How many pixels lie within `tol` of the colour on every channel."""
    return int(np.all(np.abs(pixels.astype(int) - np.array(rgb)) <= tol, axis=-1).sum())


def screenshot(tmp):
    png = os.path.join(tmp, "shot.png")
    p = view("--screenshot", png, "--weeks", "60", "--width", "1100", "--height", "700", HORTEN)
    if not check(p.returncode == 0 and os.path.exists(png), "screenshot not written:\n" + describe(p)):
        return
    img = Image.open(png)
    check(img.size == (1100, 700), f"screenshot is {img.size}, the window is 1100 x 700")
    px = np.asarray(img.convert("RGB"))
    check(px.std() > 10, f"screenshot looks blank (pixel sd {px.std():.1f})")
    check(len(np.unique(px.reshape(-1, 3), axis=0)) > 50, "screenshot has fewer than 50 distinct colours")
    # the map: kindergartens and SFOs (kitchen colours), the hub, both kinds of flow
    for name, rgb, least in [("kindergarten", (250, 200, 40), 20), ("sfo", (80, 160, 250), 20),
                             ("hub", (255, 80, 80), 10), ("wholesale flow", (230, 120, 30), 50),
                             ("active farm", (60, 200, 70), 10),
                             # the charts: work hours and political backing series
                             ("work-hours series", (120, 220, 110), 20), ("backing series", (240, 100, 140), 20)]:
        n = near(px, rgb)
        check(n >= least, f"{name} colour {rgb}: {n} pixels, expected at least {least}")


def panels(tmp):
    for tab in ["farms", "kitchens", "participants"]:
        p = view("--frames", "6", "--weeks", "15", "--compare", "--inspector", tab,
                 "--intervene", f"5:{INCENTIVE}=5.0", HORTEN)
        check(p.returncode == 0, f"panels with inspector tab {tab}:\n" + describe(p))
        check("week 15: state hash" in p.stdout, f"tab {tab}: the run did not reach week 15:\n" + describe(p))
        check(f"week 5: {INCENTIVE} = 5.0" in p.stdout, f"tab {tab}: the lever was not applied:\n" + describe(p))


def panels_norway(tmp):
    png = os.path.join(tmp, "norway.png")
    p = view("--frames", "4", "--weeks", "2", "--compare", "--inspector", "kitchens", "--screenshot", png, NORWAY,
             timeout=600)
    check(p.returncode == 0, "norway panels:\n" + describe(p))
    check("357 municipalities" in p.stdout and "week 2: state hash" in p.stdout,
          "norway: not loaded or not at week 2:\n" + describe(p))
    if os.path.exists(png):
        px = np.asarray(Image.open(png).convert("RGB"))
        check(px.std() > 10, "norway screenshot looks blank")
    # zoomed in on Horten: kitchens and their flows one by one, not summed per municipality
    p = view("--frames", "4", "--weeks", "2", "--focus", "Horten", "--inspector", "participants", NORWAY, timeout=600)
    check(p.returncode == 0 and "week 2: state hash" in p.stdout, "norway zoomed in on Horten:\n" + describe(p))


def same_as_run(tmp):
    out = os.path.join(tmp, "view.h5")
    p = view("--weeks", "52", "--seed", "3", "--save", out, HORTEN)
    if not check(p.returncode == 0 and os.path.exists(out), "viewer save failed:\n" + describe(p)):
        return
    log = os.path.join(tmp, "view.interventions.toml")
    check(os.path.exists(log), "no intervention log beside the results")
    ref = os.path.join(tmp, "run.h5")
    r = lokalmat("run", HORTEN, "--seed", "3", "--years", "1", "-o", ref, "-q")
    if not check(r.returncode == 0, "lokalmat run failed:\n" + describe(r)):
        return
    a, b = state_hash(out), state_hash(ref)
    check(len(a) == 52 and np.array_equal(a, b), f"state hashes differ: viewer {len(a)} weeks, run {len(b)}")
    with h5py.File(out, "r") as f, h5py.File(ref, "r") as g:
        check(int(f.attrs["seed"]) == 3 and int(f.attrs["complete"]) == 1, "viewer file: seed or complete wrong")
        for name in ["local_share_value", "work_hours", "cost_per_meal_nok", "co2e_kg"]:
            check(np.array_equal(f["weekly"][name][:], g["weekly"][name][:], equal_nan=True),
                  f"weekly/{name} differs between the viewer and lokalmat run")


def replay(tmp):
    out = os.path.join(tmp, "levers.h5")
    p = view("--weeks", "52", "--seed", "5", "--save", out,
             "--intervene", f"8:{INCENTIVE}=12.0",
             "--intervene", "20:municipalities.horten.rules=[\"framework_exception\", \"season_requirement\"]",
             "--intervene", "26:municipalities.horten.rules=[\"lots\"]",  # refused: lots need a tender at the start
             "--intervene", "30:municipalities.horten.hub.fee_nok_per_kg=0.5", HORTEN)
    if not check(p.returncode == 0 and os.path.exists(out), "viewer run with levers failed:\n" + describe(p)):
        return
    check("refused: intervention 'municipalities.horten.rules'" in p.stdout,
          "the refused lever was not reported:\n" + describe(p))
    log = os.path.join(tmp, "levers.interventions.toml")
    text = open(log).read() if os.path.exists(log) else ""
    check(text.count("[[intervention]]") == 3, f"log should hold the 3 accepted levers:\n{text}")
    with h5py.File(out, "r") as f:
        stored = f.attrs["interventions"]
        stored = stored.decode() if isinstance(stored, bytes) else stored
    check(stored == text, "the results' interventions attribute differs from the log file")
    ref = os.path.join(tmp, "replayed.h5")
    r = lokalmat("run", HORTEN, "--seed", "5", "--years", "1", "--interventions", log, "-o", ref, "-q")
    if not check(r.returncode == 0, "replay failed:\n" + describe(r)):
        return
    a, b = state_hash(out), state_hash(ref)
    check(np.array_equal(a, b), "replayed state hashes differ from the viewer's")
    plain = os.path.join(tmp, "plain.h5")
    lokalmat("run", HORTEN, "--seed", "5", "--years", "1", "-o", plain, "-q")
    c = state_hash(plain)
    check(np.array_equal(a[:8], c[:8]), "weeks before the first lever differ from a run without levers")
    check(not np.array_equal(a[8:], c[8:]), "the levers changed nothing")


def bad_input(tmp):
    p = view("--weeks", "2", "--frames", "1", "--intervene", "nonsense", HORTEN)
    check(p.returncode == 2 and "WEEK:KEY=VALUE" in p.stderr, "malformed --intervene:\n" + describe(p))
    p = view("--frames", "1", os.path.join(tmp, "missing.toml"))
    check(p.returncode == 2 and "missing.toml" in p.stderr, "missing scenario:\n" + describe(p))
    out = os.path.join(tmp, "kept.h5")
    with open(out, "w") as f:
        f.write("keep me")
    p = view("--weeks", "2", "--save", out, HORTEN)
    check(p.returncode == 1 and "save failed" in p.stdout, "--save over an existing file:\n" + describe(p))
    check(open(out).read() == "keep me", "an existing file was replaced without --replace")
    p = view("--weeks", "2", "--save", out, "--replace", HORTEN)
    check(p.returncode == 0 and h5py.is_hdf5(out), "--save --replace:\n" + describe(p))


CHECKS = {"screenshot": screenshot, "panels": panels, "panels_norway": panels_norway, "same_as_run": same_as_run,
          "replay": replay, "bad_input": bad_input}


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("check", choices=sorted(CHECKS))
    ap.add_argument("--view", required=True)
    ap.add_argument("--lokalmat", required=True)
    ap.add_argument("--source-dir", required=True)
    ARGS = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        return run_check(ARGS.check, CHECKS[ARGS.check], tmp)


if __name__ == "__main__":
    sys.exit(main())
