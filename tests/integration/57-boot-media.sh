#!/usr/bin/env bash
# slow
# The build's own boot media, booted as built (mkdom0 build --media iso,disk):
# each to the login prompt, ssh and `xl list`, with no guest storage disk:
# boot.iso under OVMF (UEFI from the hybrid ISO), disk.img under SeaBIOS
# (BIOS boot partition + boot.img in the MBR) and the hybrid ISO under
# SeaBIOS (El Torito, GRUB i386-pc; `--path iso` makes it with the same
# code).  No full check here: past the loader the dom0 is the same on every
# path, and its full check runs in tests 50, 52 and 58.  Dom0Mem=1024M fits
# the 2048M VM, so mkdom0 boot uses the files as they are instead of making
# its own.
set -euo pipefail
. "$MKDOM0_SRC/tests/boot-lib.sh"
work=$(mktemp -d /tmp/mkdom0-media-boot.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '[Image]\nBase=default\n\n[Xen]\nDom0Mem=1024M\n\n[Boot]\nMedia=iso disk\n' > "$work/media.ini"
build_or_skip --keys "$work/keys" -o "$work/img" "$work/media.ini" > "$work/build.log"
[ -f "$work/img/boot.iso" ] && [ -f "$work/img/disk.img" ] || fail "the build wrote no boot.iso/disk.img"
sha_iso=$(sha256sum < "$work/img/boot.iso") sha_disk=$(sha256sum < "$work/img/disk.img")

# Each medium gets the quick proof (no guests, reset, daemon kills or
# storage disk): past the loader the dom0 is the same on every path, and
# its full --check runs under OVMF in tests 52 and 58 and under SeaBIOS in 50.
quick() {  # name boot-options...
    local name=$1 t0; shift
    t0=$(date +%s)
    "$MKDOM0" boot --check "$@" --no-guests --no-reset --no-services --no-storage \
        --log "$work/$name-console.log" "$work/img" > "$work/$name.log" 2>&1 ||
        { cat "$work/$name.log"; tail -40 "$work/$name-console.log"; fail "boot --check $* failed"; }
    cat "$work/$name.log"
    for w in "^ok   Xen banner" "^ok   login prompt on hvc0" "^ok   sshd answers" "^ok   xl list: Domain-0" \
             "^ok   boot medium not read after the login prompt" "^PASS: "; do
        grep -Eq "$w" "$work/$name.log" || fail "no line matching '$w' in the $name --check output"
    done
    echo "$name --check: $(( $(date +%s) - t0 )) s"
}
quick iso-uefi --path iso-uefi
grep -q 'booting one made now' "$work/iso-uefi.log" && fail "iso-uefi did not boot the build's boot.iso"
quick disk-bios --path disk --firmware bios
grep -q 'booting one made now' "$work/disk-bios.log" && fail "disk did not boot the build's disk.img"
quick iso-bios --path iso

# Booting left the build's media as they were (the disk is attached with
# snapshot=on).
[ "$(sha256sum < "$work/img/boot.iso")" = "$sha_iso" ] || fail "booting changed boot.iso"
[ "$(sha256sum < "$work/img/disk.img")" = "$sha_disk" ] || fail "booting changed disk.img"
