#!/usr/bin/env bash
# slow
# The build's own boot media, booted as built (mkdom0 build --media iso,disk):
# boot.iso under OVMF (UEFI from the hybrid ISO) with the full --check, and
# disk.img under SeaBIOS (BIOS boot partition + boot.img in the MBR) to the
# login prompt, ssh and `xl list`.  Dom0Mem=1024M fits the 2048M VM, so
# mkdom0 boot uses the files as they are instead of making its own.
set -euo pipefail
. "$MKDOM0_SRC/tests/boot-lib.sh"
work=$(mktemp -d /tmp/mkdom0-media-boot.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '[Image]\nBase=default\n\n[Xen]\nDom0Mem=1024M\n\n[Boot]\nMedia=iso disk\n' > "$work/media.ini"
build_or_skip --keys "$work/keys" -o "$work/img" "$work/media.ini" > "$work/build.log"
[ -f "$work/img/boot.iso" ] && [ -f "$work/img/disk.img" ] || fail "the build wrote no boot.iso/disk.img"
sha_iso=$(sha256sum < "$work/img/boot.iso") sha_disk=$(sha256sum < "$work/img/disk.img")

t0=$(date +%s)
boot_check_dir "$work/img" iso-uefi
grep -q 'booting one made now' "$out/check.log" && fail "iso-uefi did not boot the build's boot.iso"
grep -q '^ok   Xen banner' "$out/check.log" || fail "no Xen banner"
echo "iso-uefi --check: $(( $(date +%s) - t0 )) s"

# The raw disk through SeaBIOS: the quick proof (no guests, reset, daemon kills
# or storage disk).
t0=$(date +%s)
"$MKDOM0" boot --check --path disk --firmware bios --no-guests --no-reset --no-services --no-storage \
    --log "$work/disk-console.log" "$work/img" > "$work/disk.log" 2>&1 ||
    { cat "$work/disk.log"; tail -40 "$work/disk-console.log"; fail "boot --check --path disk --firmware bios failed"; }
cat "$work/disk.log"
for w in "^ok   Xen banner" "^ok   login prompt on hvc0" "^ok   sshd answers" "^ok   xl list: Domain-0" \
         "^ok   boot medium not read after the login prompt" "^PASS: "; do
    grep -Eq "$w" "$work/disk.log" || fail "no line matching '$w' in the disk --check output"
done
grep -q 'booting one made now' "$work/disk.log" && fail "disk did not boot the build's disk.img"
echo "disk (SeaBIOS) --check: $(( $(date +%s) - t0 )) s"

# Booting left the build's media as they were (the disk is attached with
# snapshot=on).
[ "$(sha256sum < "$work/img/boot.iso")" = "$sha_iso" ] || fail "booting changed boot.iso"
[ "$(sha256sum < "$work/img/disk.img")" = "$sha_disk" ] || fail "booting changed disk.img"
