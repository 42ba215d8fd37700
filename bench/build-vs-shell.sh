#!/usr/bin/env bash
# mkdom0's image writer against the shell pipeline of the original build,
#   find . | sort | cpio -o -H newc | gzip -9
# on the same unpacked tree, for each codec: gzip (the pipeline above),
# zstd and xz (the same pipeline ending in `zstd -19` / `xz -6 --check=crc32`,
# the levels mkdom0 takes by default): wall and CPU time, output size, the
# ratios, and each size against the gzip -9 pipeline's.
#
# usage: bench/build-vs-shell.sh [BUILD] [TREE]
#   BUILD  build directory with tests/test_image (default: build)
#   TREE   an unpacked root directory; without it one is made from Debian's
#          busybox-static, libc6 and the linux-image-6.1 package (modules
#          outside $BENCH_KEEP_MODULES dropped: ~100 MB), cached in
#          $MKDOM0_BENCH_CACHE (default ~/.cache/mkdom0/bench).
# Env: MKDOM0_THREADS (writer threads), BENCH_CODECS (default "gzip zstd xz").
# Fails (non-zero) when the two archives of a codec do not list the same
# names, when mkdom0's gzip is larger than gzip -9's, or when its zstd or xz
# is not at least 25% smaller than gzip -9's; times are only reported.
#
# To bench `mkdom0 build` instead of the driver, change run_mkdom0 only.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=$(cd "$SRC" && cd "${1:-build}" && pwd)
TREE=${2:-}
CODECS=${BENCH_CODECS:-gzip zstd xz}
KEEP=${BENCH_KEEP_MODULES:-kernel/drivers/net}

# (a) mkdom0: load TREE into a md_tree and write it with CODEC at its
# default level.
run_mkdom0() {  # OUT TREE
    "$BUILD/tests/test_image" build "$1" "$CODEC" --sde 0 --dir "$2"
}

# (b) the shell pipeline of the design notes, ending in the codec's tool.
run_shell() {  # OUT TREE
    (cd "$2" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | $TOOL) > "$1"
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
printf '\ntree: %s (%s MB, %s entries), %s cores, load average %s at start\n' \
    "$TREE" "$mb" "$files" "$(nproc)" "$load"
printf '%-34s %9s %9s %12s %7s %9s\n' method wall-s cpu-s bytes ratio vs-gzip9
bad=()
gzip9=
for CODEC in $CODECS; do
    case $CODEC in
    gzip) TOOL="gzip -9 -n" ;;
    zstd) TOOL="zstd -19 -q -T1" ;;
    xz) TOOL="xz -6 --check=crc32 -T1" ;;
    *) echo "unknown codec $CODEC" >&2; exit 2 ;;
    esac
    timed "mkdom0-$CODEC" run_mkdom0
    ta=$WALL ca=$CPU
    timed "shell-$CODEC" run_shell
    tb=$WALL cb=$CPU
    sa=$(stat -c %s "$work/mkdom0-$CODEC.cpio.gz")
    sb=$(stat -c %s "$work/shell-$CODEC.cpio.gz")
    # The baseline of every size: the original's gzip -9 pipeline.
    if [ -z "$gzip9" ]; then
        if [ "$CODEC" = gzip ]; then gzip9=$sb; else
            run_shell_gzip() { (cd "$2" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -9 -n) > "$1"; }
            timed shell-gzip run_shell_gzip
            gzip9=$(stat -c %s "$work/shell-gzip.cpio.gz")
        fi
    fi
    dc=$(case $CODEC in gzip) echo "gzip -dc";; zstd) echo "zstd -qdc";; xz) echo "xz -dc";; esac)
    same=$( [ "$($dc "$work/mkdom0-$CODEC.cpio.gz" | cpio -t --quiet | sort)" = \
              "$($dc "$work/shell-$CODEC.cpio.gz" | cpio -t --quiet | sort)" ] && echo yes || echo NO)
    printf '%-34s %9.2f %9.2f %12d %7.4f %9.4f\n' "mkdom0 writer, $CODEC" "$ta" "$ca" "$sa" \
        "$(calc "$sa / ($mb * 1048576)")" "$(calc "$sa / $gzip9")"
    printf '%-34s %9.2f %9.2f %12d %7.4f %9.4f\n' "find|sort|cpio|${TOOL%% -n}" "$tb" "$cb" "$sb" \
        "$(calc "$sb / ($mb * 1048576)")" "$(calc "$sb / $gzip9")"
    printf '  %s: wall speedup %.2fx, cpu mkdom0/shell %.2f, size mkdom0/shell %.4f, same names: %s\n' \
        "$CODEC" "$(calc "$tb / $ta")" "$(calc "$ca / $cb")" "$(calc "$sa / $sb")" "$same"
    [ "$same" = yes ] || bad+=("$CODEC: the two archives do not list the same names")
    case $CODEC in
    gzip) [ "$sa" -le "$gzip9" ] || bad+=("gzip: mkdom0's $sa bytes are more than gzip -9's $gzip9") ;;
    *) [ "$(calc "($sa <= 0.75 * $gzip9) ? 1 : 0")" = 1 ] ||
           bad+=("$CODEC: mkdom0's $sa bytes are not 25% under gzip -9's $gzip9") ;;
    esac
done
[ ${#bad[@]} = 0 ] || { printf '%s\n' "${bad[@]}" >&2; exit 1; }
