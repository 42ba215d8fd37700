#!/usr/bin/env bash
# A short bounded pass of every libFuzzer target (tests/fuzz): built with
# clang (make fuzz-build), each replays its whole seed corpus — the crashes
# found so far among them — then fuzzes for FUZZ_SECONDS (default 3).  Any
# crash, sanitizer report, leak, timeout or memory over the limit fails.
# `make fuzz` is the long run.
set -uo pipefail
SRC=${MKDOM0_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}
. "$SRC/tests/lib.sh"
need clang make
T=$(mktemp -d /tmp/mkdom0-fuzz.XXXXXX)
trap 'rm -rf "$T"' EXIT

echo "== build (clang, ASan+UBSan, libFuzzer) into build/fuzz"
# The sanitizer options check-asan exports are for its own build.
unset ASAN_OPTIONS UBSAN_OPTIONS
make -C "$SRC" -j"$(nproc)" fuzz-build >"$T/build.log" 2>&1 || { tail -n 30 "$T/build.log"; fail "make fuzz-build failed"; }
n=$(ls "$SRC"/tests/fuzz/fuzz_*.c | wc -l)
[ "$(ls "$SRC"/build/fuzz/fuzz_* | wc -l)" -ge "$n" ] || fail "not every target was built"

echo "== $n targets, ${FUZZ_SECONDS:-3}s each over their seed corpora"
FUZZ_WORK=$T/corpus bash "$SRC/tests/fuzz/run.sh" "$SRC/build/fuzz" "${FUZZ_SECONDS:-3}" ||
    fail "a fuzz target found something (reproducer in build/fuzz/artifacts)"
