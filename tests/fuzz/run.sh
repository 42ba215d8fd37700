#!/usr/bin/env bash
# Runs each libFuzzer target of BUILD (made by `make fuzz-build`) for SECONDS
# over its seed corpus tests/fuzz/corpus/NAME, and prints one line per target
# with its executions.  Exit status 1 when any target finds something: a
# crash, a sanitizer report, a leak, an input slower than FUZZ_TIMEOUT
# seconds or one that takes more than FUZZ_RSS_MB of memory.  The reproducer
# is kept as BUILD/artifacts/NAME-*; the log as BUILD/logs/NAME.log.
#
#   tests/fuzz/run.sh BUILD SECONDS
# FUZZ=regex: only the targets whose name matches.
# FUZZ_WORK=DIR: where new inputs go (DIR/NAME); default BUILD/corpus, kept
# between runs so that each `make fuzz` starts where the last one stopped.
# The seed corpus in the repository is only read.
set -u
BUILD=${1:?usage: run.sh BUILD SECONDS}
SECONDS_EACH=${2:?usage: run.sh BUILD SECONDS}
SRC=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${FUZZ_WORK:-$BUILD/corpus}
TIMEOUT=${FUZZ_TIMEOUT:-10}
RSS=${FUZZ_RSS_MB:-2048}
mkdir -p "$BUILD/artifacts" "$BUILD/logs"
found=() ran=0
for src in "$SRC"/tests/fuzz/fuzz_*.c; do
    name=$(basename "$src" .c); name=${name#fuzz_}
    [ -n "${FUZZ:-}" ] && ! [[ $name =~ $FUZZ ]] && continue
    bin=$BUILD/fuzz_$name
    seeds=$SRC/tests/fuzz/corpus/$name
    [ -x "$bin" ] || { echo "fuzz: $bin is not built (make fuzz-build)" >&2; exit 2; }
    [ -d "$seeds" ] && [ -n "$(ls -A "$seeds")" ] || { echo "fuzz: no seed corpus $seeds" >&2; exit 2; }
    mkdir -p "$WORK/$name"
    log=$BUILD/logs/$name.log
    # tests/fuzz/fuzz_NAME.flags: libFuzzer flags of one target, one a
    # line, each with the reason in a comment above it.
    flags=()
    [ -f "$SRC/tests/fuzz/fuzz_$name.flags" ] && mapfile -t flags < <(grep -v '^#' "$SRC/tests/fuzz/fuzz_$name.flags")
    rc=0
    "$bin" -max_total_time="$SECONDS_EACH" -timeout="$TIMEOUT" -rss_limit_mb="$RSS" \
        -malloc_limit_mb="$RSS" -print_final_stats=1 -artifact_prefix="$BUILD/artifacts/$name-" \
        "${flags[@]}" "$WORK/$name" "$seeds" >"$log" 2>&1 || rc=$?
    ran=$((ran + 1))
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n1)
    if [ $rc = 0 ]; then
        printf 'fuzz %-9s ok     %9s execs %6s/s  %s  corpus %s\n' "$name" "${runs:-?}" "${rate:-?}" \
            "${cov:-cov: ?}" "$(ls "$WORK/$name" | wc -l)+$(ls "$seeds" | wc -l)"
    else
        found+=("$name")
        printf 'fuzz %-9s FOUND  (exit %s) after %s execs: %s\n' "$name" "$rc" "${runs:-?}" \
            "$(grep -m1 -E '^==[0-9]+==ERROR|^SUMMARY|runtime error|ERROR: libFuzzer' "$log")"
        grep -o "Test unit written to .*" "$log" | sed 's/^/    /'
        grep -E -A12 '^==[0-9]+==ERROR|runtime error' "$log" | head -n 30 | sed 's/^/    | /'
    fi
done
[ $ran -gt 0 ] || { echo "fuzz: no target matches FUZZ=${FUZZ:-}" >&2; exit 2; }
if [ ${#found[@]} -gt 0 ]; then
    echo "fuzz: findings in ${#found[@]} of $ran targets: ${found[*]} (logs in $BUILD/logs)"
    exit 1
fi
echo "fuzz: $ran targets, ${SECONDS_EACH}s each, no finding"
