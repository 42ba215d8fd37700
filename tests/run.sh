#!/usr/bin/env bash
# Runs the unit test binary of every tests/unit/test_*.c (one not built
# fails) and every tests/integration/*.sh, and closes with one
# "N passed, N failed, N skipped" line.
# Integration scripts: exit 0 = pass, 77 = skipped (reason on stdout), else fail.
# MKDOM0_QUICK=1 skips the scripts that boot QEMU (marked "# slow" on line 2).
# MKDOM0_SANITIZED=1 (make check-asan) skips the scripts that build and test
# their own sanitized programs whatever BUILD is (marked "# own build" on
# line 2), and those that run no program the sanitizers change (marked
# "# dom0 only": the dom0 programs are static and built without them, and
# no mkdom0 runs): make check has run the same thing.
# TESTS=regex limits the run to matching names.
# MKDOM0_JOBS=N (default: the number of CPUs) runs up to N integration
# scripts side by side: most run one mkdom0 at a time and would leave the
# other cores idle.  The "# slow" ones boot QEMU under TCG against timeouts,
# so each of those runs alone, with nothing beside it.
set -u
BUILD=${1:-build}
export MKDOM0="$(cd "$(dirname "$0")/.." && pwd)/$BUILD/mkdom0"
export MKDOM0_SRC="$(cd "$(dirname "$0")/.." && pwd)"
export MKDOM0_BUILD="$MKDOM0_SRC/$BUILD"
# The real Alpine data (tests/lib.sh alpine_data, tests/unit/talpine.h):
# tests/alpine-data.sh says where; MKDOM0_ALPINE_LOOKED: the places it
# looked at when none was there, for the messages.
if [ -z "${MKDOM0_ALPINE_DATA:-}" ]; then
    { read -r MKDOM0_ALPINE_DATA; read -r MKDOM0_ALPINE_LOOKED; } < <("$MKDOM0_SRC/tests/alpine-data.sh" "$MKDOM0_SRC")
    export MKDOM0_ALPINE_LOOKED
fi
export MKDOM0_ALPINE_DATA
pass=0 fail=0 skip=0 failed=() notrun=() ownbuild=()
logdir="$MKDOM0_BUILD/test-logs"; mkdir -p "$logdir/unit" "$logdir/integration"
# Tests share one default image per run (tests/lib.sh); never
# one from an earlier run, built by other code.
rm -rf "$MKDOM0_BUILD/test-image" "$MKDOM0_BUILD/test-image.complete"

selected() { [ -z "${TESTS:-}" ] || [[ $1 =~ $TESTS ]]; }

report() {  # name, exit status, seconds taken
    local name=$1 rc=$2 took=$3
    if [ "$rc" = 0 ]; then
        pass=$((pass + 1)); echo "PASS $name (${took}s)"
    elif [ "$rc" = 77 ]; then
        skip=$((skip + 1)); echo "SKIP $name: $(tail -n1 "$logdir/$name.log")"
    else
        fail=$((fail + 1)); failed+=("$name"); echo "FAIL $name (exit $rc, ${took}s)"
        tail -n 40 "$logdir/$name.log" | sed 's/^/    | /'
    fi
}

run_one() {  # name, command...: in the foreground
    local name=$1 start=$SECONDS rc=0; shift
    "$@" >"$logdir/$name.log" 2>&1 || rc=$?
    report "$name" $rc $((SECONDS - start))
}

declare -A job_name=() job_start=()
reap_one() {  # waits for one side-by-side job and reports it
    local pid rc=0
    wait -n -p pid "${!job_name[@]}" || rc=$?
    report "${job_name[$pid]}" $rc $((SECONDS - ${job_start[$pid]}))
    unset "job_name[$pid]" "job_start[$pid]"
}
reap_all() { while [ ${#job_name[@]} -gt 0 ]; do reap_one; done; }
run_beside() {  # name, command...: once fewer than MKDOM0_JOBS run
    local name=$1; shift
    while [ ${#job_name[@]} -ge "$jobs" ]; do reap_one; done
    "$@" >"$logdir/$name.log" 2>&1 </dev/null &
    job_name[$!]=$name job_start[$!]=$SECONDS
}
jobs=${MKDOM0_JOBS:-$(nproc)}
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "MKDOM0_JOBS=$jobs: expected a whole number from 1" >&2; exit 2; }

for src in "$MKDOM0_SRC"/tests/unit/test_*.c; do
    t=$(basename "$src" .c)
    selected "unit/$t" && run_one "unit/$t" "$MKDOM0_BUILD/tests/$t"
done
slow=()
for t in "$MKDOM0_SRC"/tests/integration/*.sh; do
    name=integration/$(basename "$t" .sh)
    selected "$name" || continue
    line2=$(sed -n 2p "$t")
    if [[ $line2 == '# slow'* ]]; then
        if [ -n "${MKDOM0_QUICK:-}" ]; then notrun+=("$name"); else slow+=("$t"); fi
    elif [ -n "${MKDOM0_SANITIZED:-}" ] && [[ $line2 =~ ^#\ (own\ build|dom0\ only) ]]; then
        ownbuild+=("$name")
    else
        run_beside "$name" bash "$t"
    fi
done
reap_all
for t in ${slow[@]+"${slow[@]}"}; do
    run_one "integration/$(basename "$t" .sh)" bash "$t"
done
echo
[ ${#notrun[@]} -gt 0 ] && echo "not run (slow; MKDOM0_QUICK): ${notrun[*]}"
[ ${#ownbuild[@]} -gt 0 ] && echo "not run (own sanitized build, or nothing sanitized; run by make check; MKDOM0_SANITIZED): ${ownbuild[*]}"
[ ${#failed[@]} -gt 0 ] && printf 'failed: %s\n' "${failed[@]}"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
