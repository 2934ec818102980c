#!/usr/bin/env python3
"""The golden test: every output of the shipped scenarios, pinned.

    golden_test.py NAME --lokalmat BIN --source-dir DIR [--update]
    golden_test.py --list

NAME is one of the pinned runs (see RUNS below): Horten's default scenario, every
what-if in scenarios/horten/, and two years of the Vestfold county. The run is made
with the real `lokalmat run` at 1, 2 and 4 threads; each result file is read back
with h5py and compared with tests/results/golden/NAME.txt, which pins

  - the state hash of every week (/state_hash), so a divergence names its first week,
  - a digest of every weekly dataset (/weekly/..., all breakdowns), of its dtype,
    shape and every bit of its values,
  - every whole-run figure (/run/...), as its exact value.

A change meant to keep behaviour keeps these bit for bit. A change meant to alter the
model rewrites them with --update, in its own commit that says what changed and why.
Exit status 0 when every assertion holds; otherwise each failure is printed.
"""
import argparse
import hashlib
import os
import subprocess
import sys
import tempfile

try:
    import h5py
    import numpy as np
except ImportError as e:  # the python3 first on PATH may lack them; Debian's /usr/bin/python3 has them
    sys.exit(f"golden_test.py: {e}; run with a Python that has h5py and numpy (python3-h5py)")

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from script_checks import check, run_check  # noqa: E402

# name -> (scenario file, extra arguments of `lokalmat run`)
RUNS = {"horten": ("scenarios/horten.toml", [])}
for _what_if in ["direct-purchase", "dps", "exception-courier", "exception", "lots", "project-ends-2026",
                 "quota-30", "season-requirement", "simple-competition", "status-quo"]:
    RUNS[f"horten.{_what_if}"] = (f"scenarios/horten/{_what_if}.toml", [])
RUNS["vestfold"] = ("scenarios/vestfold.toml", ["--years", "2"])

THREADS = [1, 2, 4]
HASHES_PER_LINE = 8


def digest(dataset):
    """A 64-bit digest (hex) of a dataset's dtype, shape and raw values."""
    v = np.ascontiguousarray(dataset[()])
    h = hashlib.sha256()
    h.update(f"{v.dtype.str}{v.shape}".encode())
    h.update(v.tobytes())
    return h.hexdigest()[:16]


def outputs(path):
    """What a result file pins: {'hash': [...], 'dataset': {path: digest}, 'run': {name: value}}."""
    out = {"hash": [], "dataset": {}, "run": {}}
    with h5py.File(path, "r") as f:
        out["hash"] = [int(x) for x in f["state_hash"][()]]

        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                out["dataset"]["weekly/" + name] = digest(obj)
        f["weekly"].visititems(visit)
        for name, d in f["run"].items():
            out["run"][name] = float(d[()])
    return out


def format_golden(name, scenario, extra, o):
    lines = [f"# Pinned outputs of `lokalmat run {' '.join([scenario, *extra])}` (golden test {name}).",
             "# Regenerate only in a commit that changes the model on purpose and says why:",
             f"#   tests/results/golden_test.py {name} --lokalmat build/bin/lokalmat --source-dir . --update"]
    for k in sorted(o["run"]):
        lines.append(f"run {k} {o['run'][k]!r}")
    for k in sorted(o["dataset"]):
        lines.append(f"dataset {k} {o['dataset'][k]}")
    hashes = o["hash"]
    for i in range(0, len(hashes), HASHES_PER_LINE):
        lines.append(f"state_hash {i} " + " ".join(f"{h:016x}" for h in hashes[i:i + HASHES_PER_LINE]))
    return "\n".join(lines) + "\n"


def parse_golden(text):
    o = {"hash": [], "dataset": {}, "run": {}}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        kind, key, *rest = line.split()
        if kind == "run":
            o["run"][key] = float(rest[0])
        elif kind == "dataset":
            o["dataset"][key] = rest[0]
        elif kind == "state_hash":
            if int(key) != len(o["hash"]):
                raise ValueError(f"state_hash line for week {key} out of order")
            o["hash"].extend(int(h, 16) for h in rest)
    return o


def compare(label, got, want):
    """Record every difference between a run's outputs and the pinned ones."""
    n = min(len(got["hash"]), len(want["hash"]))
    first = next((w for w in range(n) if got["hash"][w] != want["hash"][w]), None)
    check(len(got["hash"]) == len(want["hash"]),
          f"{label}: {len(got['hash'])} weeks, pinned {len(want['hash'])}")
    check(first is None, f"{label}: the state hash first differs in week {first} (0-based)")
    for k in sorted(set(got["dataset"]) | set(want["dataset"])):
        if k not in want["dataset"]:
            check(False, f"{label}: /{k} is not pinned (a new dataset: --update in its own commit)")
        elif k not in got["dataset"]:
            check(False, f"{label}: /{k} is pinned but the file lacks it")
        else:
            check(got["dataset"][k] == want["dataset"][k], f"{label}: /{k} differs from the pinned values")
    for k in sorted(set(got["run"]) | set(want["run"])):
        g, w = got["run"].get(k), want["run"].get(k)
        same = g is not None and w is not None and (g == w or (np.isnan(g) and np.isnan(w)))
        check(same, f"{label}: /run/{k} is {g!r}, pinned {w!r}")


def check_golden(args):
    scenario, extra = RUNS[args.name]
    golden = os.path.join(args.source_dir, "tests", "results", "golden", f"{args.name}.txt")
    runs = {}
    with tempfile.TemporaryDirectory() as tmp:
        for threads in ([1] if args.update else THREADS):
            out = os.path.join(tmp, f"t{threads}.h5")
            cmd = [args.lokalmat, "run", scenario, *extra, "--threads", str(threads), "-o", out, "-q"]
            p = subprocess.run(cmd, cwd=args.source_dir, capture_output=True, text=True, timeout=1200)
            if not check(p.returncode == 0, f"`{' '.join(cmd)}` exited {p.returncode}:\n{p.stderr}"):
                continue
            runs[threads] = outputs(out)
    if args.update:
        if 1 in runs:
            with open(golden, "w", encoding="utf-8") as f:
                f.write(format_golden(args.name, scenario, extra, runs[1]))
            print(f"wrote {golden}")
        return
    if not check(os.path.exists(golden), f"{golden} does not exist (run with --update to pin this run)"):
        return
    with open(golden, encoding="utf-8") as f:
        want = parse_golden(f.read())
    for threads, got in runs.items():
        compare(f"{args.name} at {threads} thread{'s' if threads > 1 else ''}", got, want)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    if sys.argv[1:] == ["--list"]:  # the pinned runs, for tests/results/CMakeLists.txt
        print(";".join(RUNS))
        return
    ap.add_argument("name", choices=sorted(RUNS))
    ap.add_argument("--lokalmat", required=True)
    ap.add_argument("--source-dir", required=True)
    ap.add_argument("--update", action="store_true", help="rewrite the pinned outputs from a run at 1 thread")
    args = ap.parse_args()
    sys.exit(run_check(f"golden {args.name}", check_golden, args))


if __name__ == "__main__":
    main()
