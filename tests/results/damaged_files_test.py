#!/usr/bin/env python3
"""Readers against damaged, foreign and unfinished result files (results/README.md "What
readers refuse"), as a user meets them on the command line.

    damaged_files_test.py CHECK --lokalmat BIN --source-dir DIR

CHECK is one of
  flips     sealed run and sweep files with a byte flipped at many offsets (the seal, the
            superblock, object headers, B-trees, chunks, and every global heap, where the
            variable-length strings live), truncated, extended, or edited with h5py: report,
            export, analyze and sweep --resume exit 2 with "damaged or changed after lokalmat
            wrote it", the file and its byte count, never a signal, and write nothing
  crafted   run files made with h5py (no seal): a copy of a good file is read; a `names`
            attribute longer than its columns, a 1-D breakdown, a series of the wrong type, a
            missing dataset, text where a number belongs, a list where one number belongs: report
            and export exit 2 naming the file and the object, and write nothing; sweep files with a
            run outside the design or a negative point count: analyze exits 2, the file unchanged
  partial   an interrupted run's .partial and an unfinished sweep file: report, export and
            analyze refuse them (exit 2, weeks or runs done of planned, "--partial"); with
            --partial they are read (export without summary.csv)
  seal      h5py reads sealed files (a 512-byte userblock); the seal's length and CRC-64/XZ,
            computed here independently, match the file
Exit status 0 when every assertion holds; otherwise each failure is printed.
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "support"))
from script_checks import LONG_RUN_WEEKS, check, describe, failures, run_check, start_long_run  # noqa: E402

try:
    import h5py
    import numpy as np
except ImportError as e:
    sys.exit(f"damaged_files_test.py: {e}; run with a Python that has h5py and numpy (python3-h5py)")

ARGS = None
HORTEN = os.path.join("scenarios", "horten.toml")
MORRIS = os.path.join("scenarios", "sweeps", "linear-morris.toml")
DAMAGED = "damaged or changed after lokalmat wrote it"


def lokalmat(*args, timeout=300):
    return subprocess.run([ARGS.lokalmat, *args], cwd=ARGS.source_dir, capture_output=True, text=True,
                          timeout=timeout)


def make_run(tmp, name="run.h5", years=1):
    out = os.path.join(tmp, name)
    p = lokalmat("run", HORTEN, "--years", str(years), "-o", out, "-q")
    if not check(p.returncode == 0, f"lokalmat run: {describe(p)}"):
        raise RuntimeError("no run file")
    return out


def make_sweep(tmp, name="sweep.h5"):
    out = os.path.join(tmp, name)
    p = lokalmat("sweep", MORRIS, "-o", out, "-q")
    if not check(p.returncode == 0, f"lokalmat sweep: {describe(p)}"):
        raise RuntimeError("no sweep file")
    return out


def read_bytes(path):
    with open(path, "rb") as f:
        return f.read()


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def flip_offsets(data):
    """About 120 offsets to damage: the seal, the superblock, 40 spread over the file, and inside
    the global heap collections (signature GCOL, where the variable-length strings are) and a
    sample of object headers and B-tree and heap nodes."""
    n = len(data)
    offsets = {0, 20, 40, 60, 511, 512, 520, 540, 560, n - 1}
    offsets.update(range(600, n, max(1, n // 40)))
    for m in list(re.finditer(b"GCOL", data))[:4]:
        offsets.update(range(m.start(), min(n, m.start() + 200), 17))
    nodes = list(re.finditer(b"OHDR|TREE|HEAP|SNOD|BTHD|BTLF|FRHP|FHDB", data))
    for m in nodes[:: max(1, len(nodes) // 15)]:
        offsets.update(range(m.start(), min(n, m.start() + 24), 11))
    return sorted(o for o in offsets if 0 <= o < n)


def expect_refused(p, path, what, nothing_written):
    ok = check(p.returncode == 2, f"{what}: exit {p.returncode} (a negative code is a signal), expected 2: "
                                  f"{p.stderr[-400:]}")
    ok = check(DAMAGED in p.stderr and path in p.stderr and re.search(r"\d+ bytes", p.stderr),
               f"{what}: the message should name the file, say '{DAMAGED}' and give the byte count: "
               f"{p.stderr[-400:]}") and ok
    ok = check(nothing_written(), f"{what}: something was written") and ok
    return ok


def run_readers_refuse(damaged, tmp, what):
    html, csv = os.path.join(tmp, "r.html"), os.path.join(tmp, "csv")
    p = lokalmat("report", damaged, "-o", html)
    ok = expect_refused(p, damaged, f"report, {what}", lambda: not os.path.exists(html))
    p = lokalmat("export", damaged, "--csv", csv)
    return expect_refused(p, damaged, f"export, {what}", lambda: not os.path.exists(csv)) and ok


def sweep_readers_refuse(damaged, tmp, what):
    before = read_bytes(damaged)
    p = lokalmat("analyze", damaged)
    ok = expect_refused(p, damaged, f"analyze, {what}",
                        lambda: read_bytes(damaged) == before and not os.path.exists(damaged + ".tmp"))
    # the sweep's own resume: its journal is gone, so it reads the file to see whether it is complete
    p = lokalmat("sweep", MORRIS, "-o", damaged, "--resume", "-q")
    return expect_refused(p, damaged, f"sweep --resume, {what}",
                          lambda: read_bytes(damaged) == before and not os.path.exists(damaged + ".journal")) and ok


def check_flips():
    with tempfile.TemporaryDirectory() as tmp:
        for kind, good, readers in (("run", make_run(tmp), run_readers_refuse),
                                    ("sweep", make_sweep(tmp), sweep_readers_refuse)):
            data = read_bytes(good)
            damaged = os.path.join(tmp, f"damaged-{kind}.h5")
            offsets = flip_offsets(data)
            check(len(offsets) > 60, f"{kind}: only {len(offsets)} offsets to flip")
            print(f"{kind}: {len(offsets)} offsets of {len(data)} bytes flipped")
            check(b"GCOL" in data, f"{kind}: the file has no global heap to damage")
            refused = 0
            for off in offsets:
                bad = bytearray(data)
                bad[off] ^= 0xFF
                write_bytes(damaged, bad)
                refused += readers(damaged, tmp, f"{kind} file with byte {off} of {len(data)} flipped")
            check(refused == len(offsets), f"{kind}: {len(offsets) - refused} of {len(offsets)} flips not refused")
            # cut short, one byte more
            write_bytes(damaged, data[: len(data) // 2])
            readers(damaged, tmp, f"{kind} file cut to half")
            p = lokalmat("report" if kind == "run" else "analyze", damaged)
            check(f"sealed as {len(data)} bytes" in p.stderr, f"{kind} cut short: say the sealed length: {p.stderr}")
            write_bytes(damaged, data + b"\0")
            readers(damaged, tmp, f"{kind} file with a byte appended")
            # changed with h5py after lokalmat wrote it (h5py keeps the userblock as it is)
            write_bytes(damaged, data)
            with h5py.File(damaged, "r+") as f:
                f.attrs["title"] = "edited"
            readers(damaged, tmp, f"{kind} file edited with h5py")
        # the good files are read
        good_run = os.path.join(tmp, "run.h5")
        p = lokalmat("report", good_run, "-o", os.path.join(tmp, "ok.html"))
        check(p.returncode == 0, f"report of the undamaged run: {describe(p)}")
        p = lokalmat("analyze", os.path.join(tmp, "sweep.h5"))
        check(p.returncode == 0, f"analyze of the undamaged sweep: {describe(p)}")
        # analyze rewrote the sweep file: it is sealed again
        p = lokalmat("analyze", os.path.join(tmp, "sweep.h5"))
        check(p.returncode == 0, f"analyze of an analysed sweep: {describe(p)}")


# ---- crafted files ----------------------------------------------------------------------

def unsealed_copy(src, dst, mutate=None):
    """The file's content written again by h5py: HDF5 at byte 0, no seal (as a foreign tool makes)."""
    with h5py.File(src, "r") as a, h5py.File(dst, "w") as b:
        for k, v in a.attrs.items():
            b.attrs[k] = v
        for name in a:
            a.copy(a[name], b, name=name)
        if mutate:
            mutate(b)
    return dst


def longer_names(f):
    g = f["weekly/by_category"]
    names = [str(n) for n in g.attrs["names"]] + ["invented_category"]
    g.attrs["names"] = names
    for d in g.values():
        d.attrs["names"] = names


def one_dimensional(f):
    g = f["weekly/by_category"]
    rows = g["local_share_value"][()][:, 0]
    del g["local_share_value"]
    g["local_share_value"] = rows


def series_as_text(f):
    w = f["weekly"]
    n = w["local_share_value"].shape[0]
    del w["local_share_value"]
    w.create_dataset("local_share_value", data=np.array(["0.5"] * n, dtype=object), dtype=h5py.string_dtype())


def series_as_integers(f):
    w = f["weekly"]
    n = w["iso_week"].shape[0]
    del w["iso_week"]
    w["iso_week"] = np.arange(n, dtype=np.float64)


def missing_dataset(f):
    del f["weekly/iso_week"]


def names_as_numbers(f):
    f["weekly/by_category"].attrs["names"] = np.arange(8, dtype=np.int64)


def complete_as_list(f):
    f.attrs["complete"] = np.array([1, 1, 1, 1], dtype=np.int32)


CRAFTED = [
    # (name, mutation, what the message must say)
    ("names longer than columns", longer_names, "/weekly/by_category/local_share_value is ["),
    ("1-D breakdown", one_dimensional, "/weekly/by_category/local_share_value is ["),
    ("series as text", series_as_text, "/weekly/local_share_value is not a number"),
    ("iso_week as float", series_as_integers, "/weekly/iso_week is not of the integer type"),
    ("missing dataset", missing_dataset, "/weekly/iso_week is missing"),
    ("names as numbers", names_as_numbers, "attribute 'names' of /weekly/by_category is not text"),
    ("complete as a list", complete_as_list, "attribute 'complete' of / is not a single number"),
]


def check_crafted():
    with tempfile.TemporaryDirectory() as tmp:
        good = make_run(tmp)
        copy = unsealed_copy(good, os.path.join(tmp, "copy.h5"))
        html, csv = os.path.join(tmp, "r.html"), os.path.join(tmp, "csv")
        # a file without a seal (an older lokalmat, or h5py) is read with the structural checks
        p = lokalmat("report", copy, "-o", html)
        check(p.returncode == 0, f"report of an unsealed but sound copy: {describe(p)}")
        p = lokalmat("export", copy, "--csv", csv)
        check(p.returncode == 0, f"export of an unsealed but sound copy: {describe(p)}")
        shutil.rmtree(csv, ignore_errors=True)
        if os.path.exists(html):
            os.remove(html)
        for name, mutate, message in CRAFTED:
            path = unsealed_copy(good, os.path.join(tmp, name.replace(" ", "_") + ".h5"), mutate)
            for cmd in (["report", path, "-o", html], ["export", path, "--csv", csv]):
                p = lokalmat(*cmd)
                check(p.returncode == 2, f"{cmd[0]}, {name}: exit {p.returncode}, expected 2: {p.stderr[-400:]}")
                check(path in p.stderr and message in p.stderr,
                      f"{cmd[0]}, {name}: the message should name the file and say '{message}': {p.stderr[-400:]}")
                check("heap" not in p.stdout and not os.path.exists(html) and not os.path.exists(csv),
                      f"{cmd[0]}, {name}: something was written")
        # a sweep file whose run names a design point that is not there, or with a negative point count
        sweep = make_sweep(tmp)

        def point_outside(f):
            points = f["runs/point"][()]
            points[4] = 99
            del f["runs/point"]
            f["runs/point"] = points

        for name, mutate, message in (
                ("point outside", point_outside, "/runs/point[4] is 99, outside the 50 design points"),
                ("negative points", lambda f: f.attrs.__setitem__("n_points", np.int64(-1)),
                 "attribute 'n_points' of / is -1")):
            path = unsealed_copy(sweep, os.path.join(tmp, name.replace(" ", "_") + ".h5"), mutate)
            before = read_bytes(path)
            p = lokalmat("analyze", path)
            check(p.returncode == 2 and path in p.stderr and message in p.stderr,
                  f"analyze, {name}: exit 2 and '{message}': {describe(p)}")
            check(read_bytes(path) == before, f"analyze, {name}: the file was changed")
        # names longer than columns: the message gives both shapes
        p = lokalmat("report", os.path.join(tmp, "names_longer_than_columns.h5"), "-o", html)
        check(re.search(r"is \[52 x 9\], expected \[52 x 10\]", p.stderr), f"shapes in the message: {p.stderr}")


# ---- unfinished files -------------------------------------------------------------------

def interrupted_run(tmp):
    """A 100-year run stopped by SIGINT 0.5 s after its first year: its .partial file (complete = 0)."""
    out = os.path.join(tmp, "X.h5")
    proc, _ = start_long_run(ARGS.lokalmat, ARGS.source_dir, out)
    time.sleep(0.5)
    proc.send_signal(signal.SIGINT)
    proc.communicate(timeout=60)
    check(proc.returncode == 130, f"the interrupted run: exit {proc.returncode}")
    return out + ".partial"


def check_partial():
    with tempfile.TemporaryDirectory() as tmp:
        partial = interrupted_run(tmp)
        with h5py.File(partial, "r") as f:
            weeks, planned = f["weekly/week_start"].shape[0], int(f.attrs["weeks_planned"])
        check(0 < weeks < planned == LONG_RUN_WEEKS, f"the .partial holds {weeks} of {planned} weeks")
        how_far = f"{weeks} of {planned} weeks written"
        html, csv = os.path.join(tmp, "r.html"), os.path.join(tmp, "csv")
        for cmd, out in ((["report", partial, "-o", html], html), (["export", partial, "--csv", csv], csv)):
            p = lokalmat(*cmd)
            check(p.returncode == 2, f"{cmd[0]} of a .partial: exit {p.returncode}, expected 2: {describe(p)}")
            check(partial in p.stderr and how_far in p.stderr and "--partial" in p.stderr,
                  f"{cmd[0]} of a .partial: name the file, say '{how_far}' and the option: {p.stderr}")
            check(not os.path.exists(out), f"{cmd[0]} of a .partial wrote {out}")
        # asked for explicitly, it is read
        p = lokalmat("report", partial, "-o", html, "--partial")
        check(p.returncode == 0 and os.path.exists(html), f"report --partial: {describe(p)}")
        check(f"unfinished: {weeks} of {planned} weeks" in p.stdout, f"report --partial says how far: {p.stdout}")
        if os.path.exists(html):
            with open(html, encoding="utf-8") as f:
                page = f.read()
            check(f"stoppet etter {weeks} av {planned} uker" in page, "the page does not say the runs are unfinished")
        p = lokalmat("export", partial, "--csv", csv, "--partial")
        check(p.returncode == 0, f"export --partial: {describe(p)}")
        if os.path.exists(csv):
            check(not os.path.exists(os.path.join(csv, "summary.csv")), "export --partial wrote summary.csv")
            with open(os.path.join(csv, "weekly.csv"), encoding="utf-8") as f:
                check(len(f.readlines()) == weeks + 1, f"weekly.csv of the .partial has not {weeks} weeks")
        # replicates of unequal length cannot share a page: the same run as seed 2, one week shorter
        def shorter_replicate(f):
            f.attrs["seed"] = np.uint64(2)
            # every weekly table one week shorter (written anew: the tables are contiguous, not resizable)
            names = []
            f.visititems(lambda k, o: names.append(k)
                         if isinstance(o, h5py.Dataset) and o.shape and o.shape[0] == weeks else None)
            for k in names:
                data, attrs, dtype = f[k][()][: weeks - 1], dict(f[k].attrs), f[k].dtype
                del f[k]
                d = f.create_dataset(k, data=data, dtype=dtype)
                for a, v in attrs.items():
                    d.attrs[a] = v
        other = unsealed_copy(partial, os.path.join(tmp, "seed2.h5.partial"), shorter_replicate)
        os.remove(html)
        p = lokalmat("report", partial, other, "-o", html, "--partial")
        check(p.returncode == 2 and f"has {weeks} weeks, seed 2 has {weeks - 1}" in p.stderr,
              f"report --partial of replicates of unequal length: {describe(p)}")
        check(not os.path.exists(html), "report of replicates of unequal length wrote the page")

        # an unfinished sweep (complete = 0), as a snapshot of an interrupted sweep
        sweep = make_sweep(tmp)
        unfinished = unsealed_copy(sweep, os.path.join(tmp, "unfinished.h5"),
                                   lambda f: f.attrs.__setitem__("complete", np.int32(0)))
        before = read_bytes(unfinished)
        p = lokalmat("analyze", unfinished)
        check(p.returncode == 2, f"analyze of an unfinished sweep: exit {p.returncode}, expected 2: {describe(p)}")
        check(unfinished in p.stderr and "of 50 runs done" in p.stderr and "--partial" in p.stderr,
              f"analyze of an unfinished sweep: name the file, runs done of planned, the option: {p.stderr}")
        check(read_bytes(unfinished) == before, "analyze changed the unfinished sweep it refused")
        p = lokalmat("analyze", unfinished, "--partial")
        check(p.returncode == 0 and "incomplete" in p.stderr, f"analyze --partial: {describe(p)}")


# ---- the seal as h5py and a reader of the format see it ----------------------------------

def crc64_xz(data):
    """CRC-64/XZ (ECMA-182 polynomial, reflected, initial and final value all ones), bytewise."""
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0xC96C5795D7870F42 if c & 1 else c >> 1
        table.append(c)
    crc = 0xFFFFFFFFFFFFFFFF
    for b in data:
        crc = table[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFFFFFFFFFF


def check_seal():
    check(crc64_xz(b"123456789") == 0x995DC9BBDF1939FA, "the test's CRC-64/XZ is wrong")
    with tempfile.TemporaryDirectory() as tmp:
        for path in (make_run(tmp), make_sweep(tmp)):
            data = read_bytes(path)
            m = re.match(rb"lokalmat-seal\nversion 1\nbytes (\d{20})\ncrc64-xz ([0-9a-f]{16})\n\0+$", data[:512])
            if not check(m, f"{path}: no seal in the first 512 bytes: {data[:80]!r}"):
                continue
            check(int(m.group(1)) == len(data), f"{path}: sealed length {m.group(1)} for {len(data)} bytes")
            check(int(m.group(2), 16) == crc64_xz(data[512:]), f"{path}: the seal's CRC-64 does not match")
            check(data[512:520] == b"\x89HDF\r\n\x1a\n", f"{path}: no HDF5 superblock at byte 512")
            with h5py.File(path, "r") as f:
                check(f.userblock_size == 512, f"{path}: h5py sees a userblock of {f.userblock_size} bytes")
                check(int(f.attrs["complete"]) == 1, f"{path}: complete != 1")
                if "weekly" in f and "local_share_value" in f["weekly"]:
                    check(f["weekly/local_share_value"].shape == (52,), f"{path}: h5py reads the wrong shape")
                else:
                    check(f["runs/run_id"].shape == (50,), f"{path}: h5py reads the wrong number of runs")


def main():
    global ARGS
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("check", choices=["flips", "crafted", "partial", "seal"])
    ap.add_argument("--lokalmat", required=True)
    ap.add_argument("--source-dir", required=True)
    ARGS = ap.parse_args()
    checks = {"flips": check_flips, "crafted": check_crafted, "partial": check_partial, "seal": check_seal}
    sys.exit(run_check(ARGS.check, checks[ARGS.check]))


if __name__ == "__main__":
    main()
