#!/usr/bin/env python3
"""Read a lokalmat run file and plot the weekly local share.

    python3 results/read_run.py out/horten.h5 --png out/local_share.png

Prints the run's attributes (version, seed, rules, ...) and a yearly summary, and
with --png draws the weekly local share by value: all food, and fresh vegetables.
Needs h5py, numpy and matplotlib (Debian: python3-h5py python3-matplotlib). The
file layout is described in results/README.md.
"""
import argparse
import datetime
import os
import sys

import h5py
import numpy as np


def main():
    ap = argparse.ArgumentParser(description="Print a lokalmat run file's attributes and plot its local share.")
    ap.add_argument("run", help="a run file written by `lokalmat run` (OUT.h5, or OUT.h5.partial)")
    ap.add_argument("--png", help="write the plot of the weekly local share to this PNG file")
    ap.add_argument("--category", default="fresh_vegetables", help="the category plotted next to the total")
    args = ap.parse_args()
    if not os.path.exists(args.run):
        sys.exit(f"read_run.py: {args.run}: no such file")

    with h5py.File(args.run, "r") as f:
        # root attributes: what was run, with which seed and rules, and whether it finished
        print(f"{args.run}")
        for name, value in sorted(f.attrs.items()):
            if name == "scenario_toml":  # the fully resolved scenario: long, show its size only
                value = f"({len(value.splitlines())} lines of TOML; load it with tomllib.loads)"
            elif isinstance(value, np.ndarray):  # string lists such as `rules`
                value = ", ".join(str(v) for v in value)
            print(f"  {name:18} {value}")
        if int(f.attrs["complete"]) != 1:
            print("  note: complete = 0, the run was interrupted; the weeks written so far are all valid")

        # the calendar: one row per week, starting on the week's Monday (ISO dates as bytes)
        weeks = [datetime.date.fromisoformat(d.decode()) for d in f["weekly/week_start"][()]]
        # total series are 1-D [weeks]; NaN marks a week where the share is undefined
        share = f["weekly/local_share_value"][()]
        # breakdowns are 2-D [weeks x groups]; the group's `names` attribute labels the columns
        by_cat = f["weekly/by_category/local_share_value"]
        names = [str(n) for n in by_cat.attrs["names"]]
        if args.category not in names:
            sys.exit(f"read_run.py: no category '{args.category}'; the categories are {', '.join(names)}")
        cat_share = by_cat[:, names.index(args.category)]
        # money-weighted yearly share = local spend / all spend (a mean of weekly shares would weight weeks equally)
        local = f["weekly/local_spend_nok"][()]
        spend = f["weekly/food_spend_nok"][()]
        title = f.attrs.get("title", "")

    print(f"  {len(weeks)} weeks from {weeks[0]} to {weeks[-1]}" if weeks else "  no weeks written")
    for y in range(0, len(weeks), 52):
        s = slice(y, y + 52)
        print(f"  year {y // 52 + 1}: local channel {100 * local[s].sum() / spend[s].sum():5.2f}% of food spend; "
              f"weekly local share (incl. the wholesaler's regional food) {100 * np.nanmin(share[s]):.1f}"
              f"-{100 * np.nanmax(share[s]):.1f}%")

    if args.png:
        import matplotlib
        matplotlib.use("Agg")  # files only: no display needed
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(9, 4.5), dpi=100)
        ax.plot(weeks, 100 * share, label="all food", color="black")
        ax.plot(weeks, 100 * cat_share, label=args.category.replace("_", " "), color="tab:green")
        ax.set_ylabel("local share by value, %")
        ax.set_title(title or args.run)
        ax.grid(alpha=0.3)
        ax.legend()
        fig.autofmt_xdate()
        if os.path.dirname(args.png):
            os.makedirs(os.path.dirname(args.png), exist_ok=True)
        fig.savefig(args.png)
        print(f"plot: {args.png}")


if __name__ == "__main__":
    main()
