"""Shared by the script tests (tests/*/*_test.py): collect failed assertions, run one
named check, print what failed. A check keeps going after a failed assertion so that
one run reports everything it finds."""
import traceback

failures = []


def check(cond, msg):
    """Record `msg` as a failure unless `cond` holds; returns whether it held."""
    if not cond:
        failures.append(msg)
    return bool(cond)


def describe(p):
    """A finished subprocess as text for a failure message."""
    return f"exit {p.returncode}\nstdout: {p.stdout}\nstderr: {p.stderr}"


def run_check(name, fn, *args):
    """Run one check; returns the exit status (0 when every assertion held)."""
    try:
        fn(*args)
    except Exception:  # a missing file or dataset: report it with the failures so far
        failures.append("stopped by an exception:\n" + traceback.format_exc())
    if failures:
        print(f"{len(failures)} failed assertion(s) in '{name}':")
        for msg in failures:
            print("  FAIL:", msg)
        return 1
    print(f"'{name}': all assertions hold")
    return 0
