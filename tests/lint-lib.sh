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

# fake_bzimage RELEASE OUT: the x86 boot header of a bzImage, as lint reads a
# kernel's release (Documentation/arch/x86/boot.rst: 0x55aa at 0x1fe, "HdrS"
# at 0x202, protocol 2.15, kernel_version at 0x20e pointing, less 0x200, to
# the version string)
fake_bzimage() {
    head -c 1024 /dev/zero >"$2"
    printf '\125\252\353\146HdrS\017\002' | dd of="$2" bs=1 seek=$((0x1fe)) conv=notrunc status=none
    printf '\200\000' | dd of="$2" bs=1 seek=$((0x20e)) conv=notrunc status=none
    printf '%s (fake@example.org) #1 SMP\0' "$1" | dd of="$2" bs=1 seek=$((0x280)) conv=notrunc status=none
}
