#!/usr/bin/env bash
# slow
# `mkdom0 boot --check` fails, naming the cause, on three broken variants of
# the default image: an inittab without a getty on hvc0 (trap 1), a rootfs
# without the Xen kernel modules (trap 5), and one without bash, so that Xen's
# hotplug scripts cannot run and guests get no vif or disk.  The variants are made by
# rewriting rootfs.cpio.gz with bsdtar.
set -euo pipefail
. "$MKDOM0_SRC/tests/boot-lib.sh"
dir=$(default_image)
work=$(mktemp -d /tmp/mkdom0-boot-neg.XXXXXX)
trap 'rm -rf "$work"' EXIT

variant() {  # name: a copy of the image without its rootfs
    mkdir -p "$work/$1"
    cp "$dir/xen.gz" "$dir/vmlinuz" "$dir/grub.cfg" "$dir/image.ini" "$work/$1/"
    echo "$work/$1"
}

# 1. inittab without hvc0: a later archive entry replaces /etc/inittab (the
#    kernel, like the check's reader, keeps the last entry of a path).
v=$(variant nohvc)
mkdir -p "$work/stage/etc"
bsdtar -xOf "$dir/rootfs.cpio.gz" etc/inittab > "$work/inittab"
grep -q hvc0 "$work/inittab" || fail "the default image's inittab has no hvc0 to remove"
grep -v hvc0 "$work/inittab" > "$work/stage/etc/inittab"
(cd "$work/stage" && bsdtar --format newc -czf "$v/rootfs.cpio.gz" "@$dir/rootfs.cpio.gz" etc/inittab)
set +e
"$MKDOM0" boot --check --no-guests --no-reset --timeout 400 "$v" > "$work/nohvc.log" 2>&1
rc=$?
set -e
cat "$work/nohvc.log"
[ $rc = 1 ] || fail "--check on an image without a getty on hvc0 exited $rc, expected 1"
grep -q "no login prompt on hvc0.*lint finds trap 1 in the image" "$work/nohvc.log" \
    || fail "the failure does not say that lint finds trap 1"
grep -q "lint: rootfs(/etc/inittab).*none on hvc0" "$work/nohvc.log" \
    || fail "the failure does not name the inittab without a getty on hvc0"
grep -q "console log: " "$work/nohvc.log" || fail "no console log path in the failure"

# 2. No Xen modules.
v=$(variant noxen)
bsdtar --format newc -czf "$v/rootfs.cpio.gz" --exclude 'usr/lib/modules/*/drivers/xen/*' \
    "@$dir/rootfs.cpio.gz"
! bsdtar -tf "$v/rootfs.cpio.gz" | grep -q 'drivers/xen/xen-privcmd' || fail "variant still has xen-privcmd"
set +e
"$MKDOM0" boot --check --no-guests --no-reset "$v" > "$work/noxen.log" 2>&1
rc=$?
set -e
cat "$work/noxen.log"
[ $rc = 1 ] || fail "--check on an image without Xen modules exited $rc, expected 1"
grep -q "xl list failed: /dev/xen/privcmd is missing and the image has no xen-privcmd module" \
    "$work/noxen.log" || fail "the failure does not name the missing Xen modules"
# 3. No bash: the interpreter of /etc/xen/scripts/vif-bridge and block.
v=$(variant nobash)
bsdtar --format newc -czf "$v/rootfs.cpio.gz" --exclude 'usr/bin/bash' "@$dir/rootfs.cpio.gz"
! bsdtar -tf "$v/rootfs.cpio.gz" | grep -qx 'usr/bin/bash' || fail "variant still has bash"
set +e
"$MKDOM0" boot --check --no-reset "$v" > "$work/nobash.log" 2>&1
rc=$?
set -e
cat "$work/nobash.log"
[ $rc = 1 ] || fail "--check on an image without bash exited $rc, expected 1"
grep -q "^ok   PVH  guest" "$work/nobash.log" || fail "the guests without vif or disk did not pass first"
grep -q "guest network and disk: .*the image has no /bin/bash, the interpreter of Xen's hotplug script" \
    "$work/nobash.log" || fail "the failure does not name the missing hotplug interpreter"
echo "all three broken images were refused with the cause named"
