#!/usr/bin/env bash
# All benchmarks, each printing its figures beside its baseline from the same
# run.  Every one runs; the exit status is non-zero when any of them failed.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
failed=()
for b in "$SRC"/bench/*.sh; do
    [ "$(basename "$b")" = run.sh ] && continue
    echo "=== $(basename "$b" .sh)"
    bash "$b" "$BUILD" || { rc=$?; failed+=("$(basename "$b" .sh) (exit $rc)"); }
    echo
done
[ ${#failed[@]} = 0 ] || { printf 'benchmark failed: %s\n' "${failed[@]}" >&2; exit 1; }
