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
set -u
BUILD=${1:-build}
export MKDOM0="$(cd "$(dirname "$0")/.." && pwd)/$BUILD/mkdom0"
export MKDOM0_SRC="$(cd "$(dirname "$0")/.." && pwd)"
export MKDOM0_BUILD="$MKDOM0_SRC/$BUILD"
# The real Alpine data (tests/lib.sh alpine_data, tests/unit/talpine.h) is
# ../shared/alpine beside the source tree; from a git worktree placed
# elsewhere, beside the main checkout whose repository it shares.
if [ -z "${MKDOM0_ALPINE_DATA:-}" ]; then
    MKDOM0_ALPINE_DATA=$MKDOM0_SRC/../shared/alpine
    common=$(git -C "$MKDOM0_SRC" rev-parse --path-format=absolute --git-common-dir 2>/dev/null) &&
        [ ! -d "$MKDOM0_ALPINE_DATA" ] && MKDOM0_ALPINE_DATA=$(dirname "$common")/../shared/alpine
fi
export MKDOM0_ALPINE_DATA
pass=0 fail=0 skip=0 failed=() notrun=() ownbuild=()
logdir="$MKDOM0_BUILD/test-logs"; mkdir -p "$logdir/unit" "$logdir/integration"
# Tests share one default image per run (tests/lib.sh); never
# one from an earlier run, built by other code.
rm -rf "$MKDOM0_BUILD/test-image" "$MKDOM0_BUILD/test-image.complete"

run_one() {  # name, command...
    local name=$1; shift
    [ -n "${TESTS:-}" ] && ! [[ $name =~ $TESTS ]] && return
    local start=$SECONDS
    if "$@" >"$logdir/$name.log" 2>&1; then
        pass=$((pass + 1)); echo "PASS $name ($((SECONDS - start))s)"
    else
        local rc=$?
        if [ $rc = 77 ]; then
            skip=$((skip + 1)); echo "SKIP $name: $(tail -n1 "$logdir/$name.log")"
        else
            fail=$((fail + 1)); failed+=("$name"); echo "FAIL $name (exit $rc, $((SECONDS - start))s)"
            tail -n 40 "$logdir/$name.log" | sed 's/^/    | /'
        fi
    fi
}

for src in "$MKDOM0_SRC"/tests/unit/test_*.c; do
    t=$(basename "$src" .c)
    run_one "unit/$t" "$MKDOM0_BUILD/tests/$t"
done
for t in "$MKDOM0_SRC"/tests/integration/*.sh; do
    if [ -n "${MKDOM0_QUICK:-}" ] && sed -n 2p "$t" | grep -q '# slow'; then
        name=integration/$(basename "$t" .sh)
        [ -n "${TESTS:-}" ] && ! [[ $name =~ $TESTS ]] || notrun+=("$name")
        continue
    fi
    if [ -n "${MKDOM0_SANITIZED:-}" ] && sed -n 2p "$t" | grep -Eq '^# (own build|dom0 only)'; then
        name=integration/$(basename "$t" .sh)
        [ -n "${TESTS:-}" ] && ! [[ $name =~ $TESTS ]] || ownbuild+=("$name")
        continue
    fi
    run_one "integration/$(basename "$t" .sh)" bash "$t"
done
echo
[ ${#notrun[@]} -gt 0 ] && echo "not run (slow; MKDOM0_QUICK): ${notrun[*]}"
[ ${#ownbuild[@]} -gt 0 ] && echo "not run (own sanitized build, or nothing sanitized; run by make check; MKDOM0_SANITIZED): ${ownbuild[*]}"
[ ${#failed[@]} -gt 0 ] && printf 'failed: %s\n' "${failed[@]}"
echo "$pass passed, $fail failed, $skip skipped"
[ $fail = 0 ]
