#!/usr/bin/env bash
# mkdom0's image writer against the shell pipeline of the original build,
#   find . | sort | cpio -o -H newc | gzip -9
# on the same unpacked tree: wall time, output size, and the ratios.
#
# usage: bench/build-vs-shell.sh [BUILD] [TREE]
#   BUILD  build directory with tests/test_image (default: build)
#   TREE   an unpacked root directory; without it one is made from Debian's
#          busybox-static, libc6 and the linux-image-6.1 package (modules
#          outside $BENCH_KEEP_MODULES dropped: ~100 MB), cached in
#          $MKDOM0_BENCH_CACHE (default ~/.cache/mkdom0/bench).
# Env: MKDOM0_THREADS (writer threads), BENCH_LEVEL (gzip level, default 9).
#
# To bench `mkdom0 build` instead of the driver, change run_mkdom0 only.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$SRC" && cd "${1:-build}" && pwd)
TREE=${2:-}
LEVEL=${BENCH_LEVEL:-9}
KEEP=${BENCH_KEEP_MODULES:-kernel/drivers/net}

# (a) mkdom0: load TREE into a md_tree and write cpio.gz.
run_mkdom0() {  # OUT TREE
    "$BUILD/tests/test_image" build "$1" gzip --level "$LEVEL" --sde 0 --dir "$2"
}

# (b) the shell pipeline of the design notes.
run_shell() {  # OUT TREE
    (cd "$2" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -"$LEVEL" -n) > "$1"
}

make_tree() {  # DIR
    local cache=${MKDOM0_BENCH_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mkdom0/bench}
    mkdir -p "$cache"
    local kpkg
    kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-6\.1/ {print $2; exit}')
    [ -n "$kpkg" ] || { echo "no linux-image-6.1 known to apt" >&2; exit 1; }
    # mkdom0's own verified download cache first: no network needed after a build.
    local debs=${MKDOM0_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mkdom0}/debs
    for p in busybox-static libc6 "$kpkg"; do
        ls "$cache/${p}"_*.deb >/dev/null 2>&1 && continue
        local have; have=$(ls "$debs/${p}"_*.deb 2>/dev/null | tail -n1 || true)
        if [ -n "$have" ]; then cp "$have" "$cache/"; else (cd "$cache" && apt-get download "$p" >/dev/null); fi
    done
    mkdir -p "$1"
    for d in "$cache"/busybox-static_*.deb "$cache"/libc6_*.deb "$cache/${kpkg}"_*.deb; do
        dpkg-deb -x "$d" "$1"
    done
    local kdir; kdir=$(ls -d "$1"/lib/modules/*)
    find "$kdir/kernel" -name '*.ko*' | grep -v "^$kdir/\($(echo $KEEP | sed 's/ /\\|/g')\)/" | xargs rm -f
    find "$kdir/kernel" -type d -empty -delete
}

[ -x "$BUILD/tests/test_image" ] || { echo "build first: make bench (or make $BUILD/tests/test_image)" >&2; exit 1; }
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
if [ -z "$TREE" ]; then
    TREE="$work/tree"
    make_tree "$TREE"
fi
TREE=$(cd "$TREE" && pwd)
mb=$(du -sm --apparent-size "$TREE" | cut -f1)
files=$(find "$TREE" | wc -l)

calc() { awk "BEGIN { print $* }"; }

# timed NAME FUNC: runs FUNC OUT TREE (its output in $work/NAME.log, shown
# if it fails, which ends the benchmark) and sets WALL and CPU in seconds
# (cpu = user + sys of all processes: on a loaded machine wall time says
# little, cpu time says what it costs).
timed() {
    local TIMEFORMAT='%R %U %S' rc=0
    sync
    { time "$2" "$work/$1.cpio.gz" "$TREE" > "$work/$1.log" 2>&1 || rc=$?; } 2> "$work/$1.time"
    [ $rc = 0 ] || { tail -n 20 "$work/$1.log"; echo "$1: $2 failed (exit $rc)" >&2; exit 1; }
    read -r WALL user sys < "$work/$1.time"
    CPU=$(calc "$user + $sys")
}
# Warm the page cache so both sides read from memory.
find "$TREE" -type f -exec cat {} + > /dev/null
load=$(cut -d' ' -f1 /proc/loadavg)
timed mkdom0 run_mkdom0
ta=$WALL ca=$CPU
timed shell run_shell
tb=$WALL cb=$CPU
sa=$(stat -c %s "$work/mkdom0.cpio.gz")
sb=$(stat -c %s "$work/shell.cpio.gz")
# Same content?  Both archives list the same names.
same=$( [ "$(zcat "$work/mkdom0.cpio.gz" | cpio -t --quiet | sort)" = \
          "$(zcat "$work/shell.cpio.gz" | cpio -t --quiet | sort)" ] && echo yes || echo NO)

printf '\ntree: %s (%s MB, %s entries), gzip -%s, %s cores, load average %s at start\n' \
    "$TREE" "$mb" "$files" "$LEVEL" "$(nproc)" "$load"
printf '%-30s %9s %9s %12s %7s\n' method wall-s cpu-s bytes ratio
printf '%-30s %9.2f %9.2f %12d %7.4f\n' "mkdom0 writer" "$ta" "$ca" "$sa" "$(calc "$sa / ($mb * 1048576)")"
printf '%-30s %9.2f %9.2f %12d %7.4f\n' "find|sort|cpio|gzip -$LEVEL" "$tb" "$cb" "$sb" "$(calc "$sb / ($mb * 1048576)")"
printf 'wall speedup %.2fx, cpu mkdom0/shell %.2f, size mkdom0/shell %.4f, same names: %s\n' \
    "$(calc "$tb / $ta")" "$(calc "$ca / $cb")" "$(calc "$sa / $sb")" "$same"
[ "$same" = yes ] || { echo "the two archives do not list the same names" >&2; exit 1; }
