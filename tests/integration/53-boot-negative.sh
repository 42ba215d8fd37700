#!/usr/bin/env bash
# slow
# `mkdom0 boot --check` fails, naming the cause, on three broken variants of
# the default image: an inittab without a getty on hvc0 (trap 1), a rootfs
# without the Xen kernel modules (trap 5), and one without bash, so that Xen's
# hotplug scripts cannot run and guests get no vif or disk.  The variants are made by
# rewriting rootfs.cpio.gz with bsdtar.  Then the one built variant that must
# pass: [System] GuestNetwork=route, whose guest is routed by vif-route (no
# bridge) and pings the dom0 and back, built with [Xen] HVM=yes too, so the
# same boot runs an HVM guest under TCG's nested SVM: a disk through
# hvmloader, SeaBIOS and the device model, its marker over the emulated COM1.
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
! bsdtar -tf "$v/rootfs.cpio.gz" | matches 'drivers/xen/xen-privcmd' || fail "variant still has xen-privcmd"
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
! bsdtar -tf "$v/rootfs.cpio.gz" | matches -x 'usr/bin/bash' || fail "variant still has bash"
set +e
# No guest storage disk: its autostart guest needs the same hotplug scripts,
# and the step under test is the check's own I/O guest.  Only the PVH guest
# beside it (no vif, no disk: it must pass) and that one: test 50 runs the rest.
"$MKDOM0" boot --check --no-reset --no-storage --guests pvh,io "$v" > "$work/nobash.log" 2>&1
rc=$?
set -e
cat "$work/nobash.log"
[ $rc = 1 ] || fail "--check on an image without bash exited $rc, expected 1"
grep -q "^ok   PVH  guest" "$work/nobash.log" || fail "the guests without vif or disk did not pass first"
! grep -Eq "^ok   (PV   guest|xl reboot)" "$work/nobash.log" || fail "--guests pvh,io ran other guests"
grep -q "guest network and disk: .*the image has no /bin/bash, the interpreter of Xen's hotplug script" \
    "$work/nobash.log" || fail "the failure does not name the missing hotplug interpreter"
echo "all three broken images were refused with the cause named"

# 4. Routed guest networking: built from a spec (the whole path: iproute2,
#    xl.conf, conf.d), booted without the reset (the default image proves it).
printf '[Image]\nBase=default\n\n[System]\nGuestNetwork=route\n\n[Xen]\nHVM=yes\n' > "$work/routed.ini"
build_or_skip --keys "$MKDOM0_BUILD/test-keys" -o "$work/routed" "$work/routed.ini" \
    > "$work/routed-build.log"
grep '^HVM device model' "$work/routed-build.log" || fail "the HVM=yes build does not report its device model"
r=$work/routed/rootfs.cpio.gz
bsdtar -xOf "$r" etc/xen/xl.conf | matches -x 'vif.default.script="vif-route"' \
    || fail "the routed image's xl.conf does not make vif-route the default vif script"
bsdtar -xOf "$r" etc/conf.d/network | matches -x 'guest_network="route"' \
    || fail "the routed image's conf.d/network does not say guest_network=route"
bsdtar -xOf "$r" etc/conf.d/network | matches -x 'bridge=""' || fail "the routed image has a bridge"
bsdtar -tf "$r" | matches -x usr/bin/ip || fail "the routed image has no iproute2 ip"
! bsdtar -tf "$r" | matches -E '^usr/sbin/tc$|/bridge/bridge\.ko$' \
    || fail "the routed image has tc or the bridge module, which it does not need"
echo "routed image: $(stat -c %s "$r") bytes gzip, default: $(stat -c %s "$dir/rootfs.cpio.gz")"
# Only the guests this image changes (the routed one, HVM), and no daemon
# kills: tests 50 and 56 prove the rest on every image alike.
set +e
"$MKDOM0" boot --check --no-reset --no-storage --no-services --guests io,hvm "$work/routed" \
    > "$work/routed.log" 2>&1
rc=$?
set -e
cat "$work/routed.log"
[ $rc = 0 ] || fail "--check on the routed image (GuestNetwork=route) exited $rc"
for w in "^ok   I/O  guest: PV, vif routed 10\.0\.2\.22[23]/32, xvda a file on a loop device, xvdb phy:/dev/loop[0-9]+ " \
         "^ok   guest -> dom0 ping .*10\.0\.2\.22[23]/32 -> 10\.0\.2\.15" \
         "^ok   dom0 -> guest ping " \
         "^ok   routed: 10\.0\.2\.22[23] via vif[0-9]+\.0 .*no bridge, forwarding and proxy ARP on eth0" \
         "^ok   phy: disk read back .*vbd detached, loop freed" \
         "^ok   vifs, loop devices gone " \
         "^ok   HVM  guest: its boot sector's marker over the emulated COM1 \([0-9.]+ s\)" "^PASS: "; do
    grep -Eq "$w" "$work/routed.log" || fail "no line matching '$w' in the routed --check output"
done
! grep -Eq "^ok   (PV   guest|PVH  guest|xl reboot|xenconsoled restarted)" "$work/routed.log" \
    || fail "--guests io,hvm --no-services ran other guests or killed daemons"
echo "the routed HVM=yes image passed: its guest pinged the dom0 and back without a bridge, and an HVM guest ran"
