# Helpers for the mkdom0 lint integration tests (sourced; they set $T, the
# scratch directory, before calling these).
fail() { echo "FAIL: $*"; exit 1; }

# run EXPECTED_STATUS ARGS...: output in $T/out (stdout+stderr)
run() {
    local want=$1; shift
    "$MKDOM0" lint "$@" >"$T/out" 2>&1
    local rc=$?
    sed 's/^/    /' "$T/out"
    [ $rc = "$want" ] || fail "mkdom0 lint $* exited $rc, expected $want"
    # whatever happened, it was not a crash
    grep -q -i 'sanitizer\|segmentation\|core dumped' "$T/out" && fail "crash in lint $*"
    return 0
}
has() { grep -qF -- "$1" "$T/out" || fail "expected '$1' in the output"; }
hasnt() { ! grep -qF -- "$1" "$T/out" || fail "did not expect '$1' in the output"; }
