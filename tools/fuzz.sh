#!/usr/bin/env bash
# Runs the libFuzzer targets over the file readers (tests/fuzz/, built by the CMake preset
# `fuzz` into build-fuzz/bin) for a bounded time each, and fails when one finds something.
#   usage: tools/fuzz.sh [SECONDS_PER_TARGET]        (default 40; `make fuzz` passes FUZZ_SECONDS)
# Each target starts from a corpus made at run time in a temporary directory (removed at the
# end): the shipped files of its kind under scenarios/ and the reproducers in
# tests/fuzz/corpus/<kind>/. A finding (a crash, a sanitizer report, an exception other than
# the bad-input error, a timeout over 10 s, memory over 2048 MB) is kept in
# build-fuzz/fuzz-findings/<kind>/; the figures are printed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-40}
bin=build-fuzz/bin
findings=build-fuzz/fuzz-findings
work=$(mktemp -d "${TMPDIR:-/tmp}/lokalmat-fuzz-run.XXXXXX")
trap 'rm -rf "$work"' EXIT
rm -rf "$findings"

# the seeds of one kind, each under its path with '/' as '_' (names stay distinct)
seed() {  # seed DIR FILE...
  local dir=$1
  shift
  mkdir -p "$dir"
  for f in "$@"; do cp "$f" "$dir/$(echo "$f" | tr / _)"; done
}

rows=()
status=0
for kind in scenario sweep interventions; do
  corpus="$work/corpus-$kind"
  case $kind in
    scenario) seed "$corpus" $(find scenarios -name '*.toml' -not -path 'scenarios/sweeps/*' | sort) ;;
    sweep) seed "$corpus" scenarios/sweeps/*.toml ;;
    interventions) seed "$corpus" ;;
  esac
  seed "$corpus" tests/fuzz/corpus/$kind/*
  mkdir -p "$findings/$kind"
  log="$work/$kind.log"
  echo "fuzz: $kind reader, $seconds s from $(ls "$corpus" | wc -l) seeds"
  start=$(date +%s)
  rc=0
  # the workspace each target makes goes to $work too (TMPDIR), so nothing is left behind
  TMPDIR="$work" "$bin/fuzz_$kind" "$corpus" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=16384 \
      -dict=tests/fuzz/toml.dict -entropic_scale_per_exec_time=1 -artifact_prefix="$findings/$kind/" -print_final_stats=1 \
      >"$log" 2>&1 || rc=$?
  secs=$(( $(date +%s) - start ))
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  found=$(find "$findings/$kind" -type f | wc -l)
  if [ "$rc" -ne 0 ] || [ "$found" -ne 0 ]; then
    status=1
    echo "fuzz: $kind reader FOUND SOMETHING (exit $rc); the end of its log:"
    tail -n 40 "$log"
    for f in "$findings/$kind"/*; do
      [ -e "$f" ] && echo "fuzz: input kept: $f (replay: $bin/fuzz_$kind $f)"
    done
  fi
  rows+=("$(printf '%-14s %12s %8s %9s' "$kind" "${runs:-?}" "$secs" "$found")")
done

echo
echo "fuzz figures (FUZZ_SECONDS=$seconds per target)"
printf '%-14s %12s %8s %9s\n' reader executions seconds findings
printf '%s\n' "${rows[@]}"
if [ "$status" -ne 0 ]; then
  echo "fuzz: FAILED: reproduce an input kept above with its target, fix the reader, and add the input to tests/fuzz/corpus/<kind>/"
fi
exit "$status"
