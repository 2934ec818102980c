#!/usr/bin/env python3
"""Read a lokalmat sweep file into a pandas DataFrame, one row per run.

    python3 results/read_sweep.py out/sweep.h5 [--csv out/runs.csv]

Prints what was swept and how many runs are in the file (ok, failed), each output's
mean and standard deviation over the replicates of every design point, the commonest
errors of failed runs, and, when `lokalmat analyze` has added them, the sensitivity
tables under /analysis. Needs h5py, numpy and pandas (Debian: python3-h5py
python3-pandas). The file layout is described in results/sweep_store.h.
"""
import argparse
import os
import sys

import h5py
import pandas as pd


def read_runs(f):
    """/runs as a DataFrame: run_id, point, replicate, seed, status, message, wall_seconds,
    then one column per parameter and one per output (NaN for a failed run).
    Returns (frame, parameter names, output names)."""
    runs = f["runs"]
    table = {name: runs[name][()] for name in ("run_id", "point", "replicate", "seed")}
    # variable-length UTF-8 strings: h5py gives bytes for dataset elements unless asked for str
    table["status"] = runs["status"].asstr()[()]
    table["message"] = runs["message"].asstr()[()]
    table["wall_seconds"] = runs["wall_seconds"][()]
    # the groups' `names` attribute keeps the sweep's order (HDF5 lists members alphabetically);
    # parameter names are scenario key paths such as "municipalities.horten.hub.fee_nok_per_kg"
    params = [str(n) for n in runs["param"].attrs["names"]]
    outputs = [str(n) for n in runs["output"].attrs["names"]]
    for name in params:
        table[name] = runs["param"][name][()]
    for name in outputs:
        table[name] = runs["output"][name][()]
    return pd.DataFrame(table), params, outputs


def read_analysis(f):
    """/analysis/<method>/<output>: a list of (method, output, attrs, frame, s2), where frame has
    one row per parameter and one column per value (S1, S1_lo, ... or mu, mu_star, ..., or PAWN's
    median, ... or SRRC), attrs the group's attributes (runs_used, seed_variance_share, warnings,
    ...), and s2 the second-order Sobol indices as a parameter x parameter frame (or None)."""
    tables = []
    for method, group in f["analysis"].items():
        for output, t in group.items():
            columns = [str(c) for c in t.attrs["columns"]]
            parameters = [str(p) for p in t.attrs["parameters"]]
            frame = pd.DataFrame({c: t[c][()] for c in columns}, index=parameters)
            s2 = pd.DataFrame(t["S2"][()], index=parameters, columns=parameters) if "S2" in t else None
            attrs = {k: (v.item() if hasattr(v, "item") else v) for k, v in t.attrs.items()
                     if k not in ("columns", "parameters")}
            tables.append((method, output, attrs, frame, s2))
    return tables


def main():
    ap = argparse.ArgumentParser(description="Summarise a lokalmat sweep file with pandas.")
    ap.add_argument("sweep", help="a sweep file written by `lokalmat sweep` (SWEEP.h5)")
    ap.add_argument("--csv", help="also write the per-run table to this CSV file")
    ap.add_argument("--points", type=int, default=10, help="design points shown in the summary (default 10)")
    args = ap.parse_args()
    if not os.path.exists(args.sweep):
        sys.exit(f"read_sweep.py: {args.sweep}: no such file")
    pd.set_option("display.width", 160)

    with h5py.File(args.sweep, "r") as f:
        # root attributes: what was swept (string attributes read as str, numbers as numpy scalars)
        a = f.attrs
        print(args.sweep)
        print(f"  {a['title'] or '(untitled)'}: {a['design']} design, {int(a['n_points'])} points x "
              f"{int(a['replicates'])} replicates = {int(a['n_runs'])} runs of model '{a['model']}', "
              f"seeds from {int(a['first_seed'])}")
        complete = int(a["complete"]) == 1
        n_runs = int(a["n_runs"])
        runs, params, outputs = read_runs(f)
        analysis = read_analysis(f) if "analysis" in f else []

    ok = runs[runs["status"] == "ok"]
    failed = runs[runs["status"] == "failed"]
    print(f"  runs in the file: {len(runs)} of {n_runs} (ok {len(ok)}, failed {len(failed)})"
          + ("" if complete else "; complete = 0: the sweep was interrupted or is still running"))
    print(f"  parameters: {', '.join(params)}")
    print(f"  outputs: {', '.join(outputs)}")

    # each output over the replicates of a design point (failed runs left out)
    if len(ok) and outputs:
        summary = ok.groupby("point")[outputs].agg(["mean", "std"])
        print(f"\nOutputs by design point, mean and std over replicates (first {args.points} of {len(summary)}):")
        print(summary.head(args.points).to_string(float_format=lambda x: f"{x:.4g}"))
    if len(failed):
        print("\nCommonest errors of failed runs:")
        for message, n in failed["message"].value_counts().head(5).items():
            print(f"  {n:6d}  {message}")

    units = {"sobol": "base points", "morris": "trajectories"}
    for method, output, attrs, frame, s2 in analysis:
        print(f"\n{method} indices of {output} ({attrs['used']} {units.get(method, 'points')} used"
              + (f", {attrs['runs_used']:.0f} of {attrs['runs']:.0f} runs" if "runs" in attrs else "") + "):")
        print(frame.to_string(float_format=lambda x: f"{x:.3f}"))
        if s2 is not None:
            print("second-order indices S2:")
            print(s2.to_string(float_format=lambda x: f"{x:.3f}"))
        if attrs.get("warnings"):
            print("warning: " + str(attrs["warnings"]))

    if args.csv:
        if os.path.dirname(args.csv):
            os.makedirs(os.path.dirname(args.csv), exist_ok=True)
        runs.to_csv(args.csv, index=False)
        print(f"\nper-run table: {args.csv}")


if __name__ == "__main__":
    main()
