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

# le32 N: N as 4 little-endian bytes, written as printf escapes (a shell
# variable holds no NUL byte)
le32() { printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $(($1 >> 8 & 255)) \
    $(($1 >> 16 & 255)) $(($1 >> 24 & 255)); }

# fake_bzimage RELEASE OUT: a whole bzImage, as lint reads a kernel's release
# and checks it is whole (Documentation/arch/x86/boot.rst: 0x55aa at 0x1fe,
# "HdrS" at 0x202, protocol 2.15, kernel_version at 0x20e pointing, less
# 0x200, to the version string; setup_sects 1 at 0x1f1, syssize at 0x1f4,
# payload_offset 0 and payload_length at 0x248: the payload a gzip'd ELF
# header, which Xen decompresses)
fake_bzimage() {
    local z n
    z=$( { printf '\177ELF\002\001\001'; head -c 11 /dev/zero; printf '\076\000\001'
           head -c 43 /dev/zero; } | gzip -9n | od -An -v -tx1 | tr -d ' \n')
    n=$(( ${#z} / 2 ))
    head -c $((1024 + (n + 15) / 16 * 16)) /dev/zero >"$2"
    printf "\\001\\000\\000$(le32 $(((n + 15) / 16)))" | dd of="$2" bs=1 seek=$((0x1f1)) conv=notrunc status=none
    printf '\125\252\353\146HdrS\017\002' | dd of="$2" bs=1 seek=$((0x1fe)) conv=notrunc status=none
    printf '\200\000' | dd of="$2" bs=1 seek=$((0x20e)) conv=notrunc status=none
    printf "$(le32 0)$(le32 "$n")" | dd of="$2" bs=1 seek=$((0x248)) conv=notrunc status=none
    printf '%s (fake@example.org) #1 SMP\0' "$1" | dd of="$2" bs=1 seek=$((0x280)) conv=notrunc status=none
    printf "$(printf '%s' "$z" | sed 's/../\\x&/g')" | dd of="$2" bs=1 seek=1024 conv=notrunc status=none
}
