#!/usr/bin/env bash
# own build
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

echo "== each seed corpus replays within a memory bound (work, not the clock)"
# A seed slow under load is one that does much work: peak memory says so
# whatever the load is, a timeout only on a quiet machine.  The 4 GiB cpio
# name reservation (unpack/cpio-namesize-4g.gz) took 555 MB of ASan shadow
# and timed out at load 7 (trial 9); refused by fuzz.h's allocation cap it
# takes 44 MB.
for b in "$SRC"/build/fuzz/fuzz_*; do
    name=${b##*/fuzz_}
    "$b" -runs=0 "$SRC/tests/fuzz/corpus/$name" >"$T/seeds-$name.log" 2>&1 ||
        { tail -n 20 "$T/seeds-$name.log"; fail "$name: a seed fails on replay"; }
    rss=$(sed -n 's/.*DONE .* rss: \([0-9]*\)Mb.*/\1/p' "$T/seeds-$name.log")
    [ -n "$rss" ] || { tail -n 5 "$T/seeds-$name.log"; fail "$name: no DONE line from the replay"; }
    [ "$rss" -le 256 ] || fail "$name: replaying its seeds took ${rss} MB (at most 256): a seed does more work than the parser should"
done
echo "   every seed corpus replays in at most 256 MB"

echo "== $n targets, ${FUZZ_SECONDS:-3}s each over their seed corpora"
FUZZ_WORK=$T/corpus bash "$SRC/tests/fuzz/run.sh" "$SRC/build/fuzz" "${FUZZ_SECONDS:-3}" ||
    fail "a fuzz target found something (reproducer in build/fuzz/artifacts)"
