#!/usr/bin/env bash
# All benchmarks, each printing its figures beside its baseline from the same run.
set -u
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
for b in "$SRC"/bench/*.sh; do
    [ "$(basename "$b")" = run.sh ] && continue
    echo "=== $(basename "$b" .sh)"
    bash "$b" "$BUILD" || echo "(benchmark $(basename "$b") failed)"
    echo
done
