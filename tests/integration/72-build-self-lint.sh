#!/usr/bin/env bash
# mkdom0 build refuses specs that would reintroduce a trap: an inittab
# without a getty on hvc0 (trap 1), the Xen modules left out of the
# allowlist (trap 5), a Dom0Mem it cannot write as X,max:X (trap 4).
# Nothing is written for a refused build.
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
work=$(mktemp -d /tmp/mkdom0-selflint.XXXXXX)
trap 'rm -rf "$work"' EXIT

refused() {  # NAME EXPECTED-TEXT SPEC-BODY
    local name=$1 want=$2
    printf '[Image]\nBase=default\n%s\n' "$3" > "$work/$name.ini"
    local rc=0
    "$MKDOM0" build --keys "$work/keys" -o "$work/out-$name" "$work/$name.ini" > "$work/$name.log" 2>&1 || rc=$?
    [ $rc != 0 ] || { cat "$work/$name.log"; fail "$name: the build was accepted"; }
    if [ $rc != 1 ] || ! grep -q -- "$want" "$work/$name.log"; then
        cat "$work/$name.log"
        [ $rc != 1 ] || skip_if_offline "$work/$name.log"
        fail "$name: exit $rc (expected 1) or no '$want' in the error"
    fi
    [ -z "$(ls -A "$work/out-$name" 2>/dev/null)" ] || fail "$name: a refused build wrote $(ls -A "$work/out-$name")"
    echo "$name: refused: $(grep -m1 -- "$want" "$work/$name.log")"
}

printf '::sysinit:/sbin/openrc sysinit\nttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100\n' > "$work/inittab"
refused no-hvc0 "error: \[trap1\]" "[Files]
Copy=$work/inittab:/etc/inittab"
refused no-xen-modules "error: \[trap5\]" "[Modules]
Include=
Include=nvme e1000e"
refused bare-dom0-mem "max:" "[Xen]
Dom0Mem=4096M,max:8192M"
refused dom0-mem-in-args "dom0_mem" "[Xen]
Args=dom0_mem=2G"

# What the build writes, its lint reads (trial 9d case 09): an overlay file
# of 20,000,000 zero bytes packs more than 1000 to 1 in gzip, and lint held
# the image to a compression ratio of 100 and refused it as a bomb (exit 2,
# no trap checked).  Images are held to caps on what they unpack instead.
mkdir -p "$work/ov/0"
head -c 20000000 /dev/zero > "$work/ov/0/swap.img"
printf '[Image]\nBase=default\n[Files]\nOverlay=%s\n' "$work/ov" > "$work/zeros.ini"
"$MKDOM0" build --keys "$work/keys" -o "$work/out-zeros" "$work/zeros.ini" > "$work/zeros.log" 2>&1 \
    || { cat "$work/zeros.log"; skip_if_offline "$work/zeros.log"; fail "zeros: the build failed"; }
rc=0; "$MKDOM0" lint --strict "$work/out-zeros" > "$work/zeros-lint.log" 2>&1 || rc=$?
cat "$work/zeros-lint.log"
[ $rc = 0 ] || fail "zeros: lint of the build's own output exited $rc, expected 0"
! grep -q "bomb" "$work/zeros-lint.log" || fail "zeros: lint called the build's own output a bomb"
grep -q "rootfs.cpio.gz: read as rootfs archive" "$work/zeros-lint.log" || fail "zeros: lint did not read the rootfs"
echo "zeros: a 20 MB zero-filled overlay file builds and lints clean"
