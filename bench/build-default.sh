#!/usr/bin/env bash
# `mkdom0 build` of the default image (warm cache: everything from the .debs
# to rootfs.cpio.gz, modules closure and index included) against the
# design's shell pipeline packing the very same tree, already unpacked:
#   find . | cpio -o -H newc | gzip -9
# Both in one run, on this machine: wall and CPU time, sizes, ratios, and
# where mkdom0's time went (`build -v`'s phases: resolve, extract, modules,
# files, compress, lint, write).  Fails if the rootfs of a second build on
# one thread differs.
#
# usage: bench/build-default.sh [BUILD]     (BUILD: build directory, default build)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
MKDOM0="$SRC/${1:-build}/mkdom0"
[ -x "$MKDOM0" ] || { echo "build first: make" >&2; exit 1; }
work=$(mktemp -d /tmp/mkdom0-bench.XXXXXX); trap 'rm -rf "$work"' EXIT

# timed NAME CMD...: runs CMD (output in $work/NAME.log, shown if it fails,
# which ends the benchmark) and sets WALL and CPU, in seconds (cpu: user +
# sys, children included).
timed() {
    local name=$1 TIMEFORMAT='%R %U %S' t rc=0; shift
    { time "$@" > "$work/$name.log" 2>&1 || rc=$?; } 2> "$work/$name.time"
    [ $rc = 0 ] || { tail -n 20 "$work/$name.log"; echo "$name: $* failed (exit $rc)" >&2; exit 1; }
    read -r WALL CPU < <(awk '{ printf "%.2f %.2f\n", $1, $2 + $3 }' "$work/$name.time")
}

echo "warming the cache (not timed)..."
"$MKDOM0" build --keys "$work/keys" -o "$work/warm" > "$work/warm.log" 2>&1 ||
    { tail -n 20 "$work/warm.log"; echo "mkdom0 build failed" >&2; exit 1; }
timed mkdom0 "$MKDOM0" build -v --keys "$work/keys" -o "$work/out"
m_wall=$WALL m_cpu=$CPU
m_size=$(stat -c %s "$work/out/rootfs.cpio.gz")
phases=$(sed -n 's/^phases (wall s): //p' "$work/mkdom0.log")
[ -n "$phases" ] || { echo "mkdom0 build -v printed no phase times" >&2; exit 1; }
# A second build of the same inputs must give the same bytes, and so must
# one on a single thread (the writer's output may not depend on it).
MKDOM0_THREADS=1 "$MKDOM0" build --keys "$work/keys" -o "$work/out1" > "$work/out1.log" 2>&1 ||
    { tail -n 20 "$work/out1.log"; echo "mkdom0 build (1 thread) failed" >&2; exit 1; }
h0=$(sha256sum < "$work/out/rootfs.cpio.gz") h1=$(sha256sum < "$work/out1/rootfs.cpio.gz")
[ "$h0" = "$h1" ] || { echo "rootfs differs between two builds (2 threads, 1 thread)" >&2; exit 1; }

mkdir "$work/tree"
(cd "$work/tree" && gzip -dc "$work/out/rootfs.cpio.gz" | cpio -id --quiet --no-absolute-filenames)
shell_pack() { (cd "$work/tree" && find . | cpio -o -H newc --quiet | gzip -9 -n) > "$work/shell.cpio.gz"; }
timed shell shell_pack
s_wall=$WALL s_cpu=$CPU
s_size=$(stat -c %s "$work/shell.cpio.gz")
files=$(find "$work/tree" | wc -l)
mb=$(du -sm --apparent-size "$work/tree" | cut -f1)

printf '\ndefault image: %s entries, %s MiB unpacked; load %s\n\n' "$files" "$mb" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-46s %8s %8s %12s\n' "" "wall s" "cpu s" "bytes"
printf '%-46s %8s %8s %12s\n' "mkdom0 build (from .debs, warm cache)" "$m_wall" "$m_cpu" "$m_size"
printf '%-46s %8s %8s %12s\n' "find | cpio -o -H newc | gzip -9 (pack only)" "$s_wall" "$s_cpu" "$s_size"
awk -v a="$m_wall" -v b="$s_wall" -v c="$m_size" -v d="$s_size" 'BEGIN {
    printf "\nratio mkdom0/shell: wall %.2fx, size %.4fx\n", a / b, c / d }'
printf 'mkdom0 build phases (wall s): %s\n' "$phases"
printf 'rootfs sha256 %s: the same in a second build on 1 thread\n' "${h0%% *}"
