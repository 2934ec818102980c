"""Shared by the script tests (tests/*/*_test.py): collect failed assertions, run one
named check, print what failed. A check keeps going after a failed assertion so that
one run reports everything it finds."""
import os
import subprocess
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


# A run long enough to be stopped while it runs: Vestfold for 100 years takes about 7 s
# (Release build, one core; several times that under the sanitizers), its first year about
# 70 ms. Horten runs 100 years in under a second, too fast to be caught by a signal sent a
# moment after its first year.
LONG_RUN = ["run", "scenarios/vestfold.toml", "--years", "100"]
LONG_RUN_WEEKS = 5200


def start_long_run(lokalmat, source_dir, out):
    """Start LONG_RUN writing `out` and return (process, its first progress line) once its
    first year is done (the signal handlers are set by then)."""
    proc = subprocess.Popen([lokalmat, *LONG_RUN, "-o", out], cwd=source_dir, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    return proc, proc.stderr.readline()


def write(path, text):
    """Write `text` to `path`; returns the path."""
    with open(path, "w") as f:
        f.write(text)
    return path


def mpi_env():
    """The environment for a program under Open MPI's mpirun on CI machines: they run as root
    on 2 cores, which Open MPI refuses (root, more ranks than cores) unless told."""
    env = dict(os.environ)
    env.update(OMPI_ALLOW_RUN_AS_ROOT="1", OMPI_ALLOW_RUN_AS_ROOT_CONFIRM="1", OMPI_MCA_rmaps_base_oversubscribe="1")
    return env
