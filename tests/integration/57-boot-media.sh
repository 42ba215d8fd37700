#!/usr/bin/env bash
# slow
# The build's own boot media, booted as built (mkdom0 build --media iso,disk):
# each to the login prompt, ssh and `xl list`, with no guest storage disk:
# boot.iso under OVMF (UEFI from the hybrid ISO), disk.img under SeaBIOS
# (BIOS boot partition + boot.img in the MBR) as host web1, from web1's own
# disk.img (hosts/web1/, [Host web1] with Media=disk; no netboot tree), on
# a VM whose first NIC is not web1's: web1's host name, its ssh host key,
# its network on the NIC with its MAC.  The quick proof here, the full one
# (guests, storage, daemon kills) where the same Xen entry is reached: the
# hybrid ISO under SeaBIOS (GRUB i386-pc, multiboot2 without EFI) in test
# 50, GRUB x86_64-efi's multiboot2 under OVMF from a disk in test 56.
# Dom0Mem=1024M fits the 2048M VM, so mkdom0 boot uses the files as they
# are instead of making its own.
set -euo pipefail
. "$MKDOM0_SRC/tests/boot-lib.sh"
work=$(mktemp -d /tmp/mkdom0-media-boot.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '[Image]\nBase=default\n\n[Xen]\nDom0Mem=1024M\n\n[Boot]\nMedia=iso disk\n\n[Host web1]\nMAC=52:54:00:00:11:01\n' \
    > "$work/media.ini"
build_or_skip --keys "$work/keys" -o "$work/img" "$work/media.ini" > "$work/build.log"
[ -f "$work/img/boot.iso" ] && [ -f "$work/img/disk.img" ] && [ -f "$work/img/hosts/web1/disk.img" ] ||
    fail "the build wrote no boot.iso/disk.img/hosts/web1/disk.img"
sha_iso=$(sha256sum < "$work/img/boot.iso") sha_disk=$(sha256sum < "$work/img/hosts/web1/disk.img")
fp=$(ssh-keygen -lf "$work/keys/hosts/web1/ssh_host_ed25519_key.pub" | cut -d' ' -f2 | sed 's/[+.]/\\&/g')

# Each medium gets the quick proof (boot_quick): what the loader decides.
boot_quick "$work/img" "$work" iso-uefi --path iso-uefi
grep -q 'booting one made now' "$work/iso-uefi.log" && fail "iso-uefi did not boot the build's boot.iso"
boot_quick "$work/img" "$work" disk-bios \
    --want "^ok   host web1: host name web1, DHCP, ssh host key 256 $fp " \
    --path disk --firmware bios --host web1 --other-nic
grep -q 'booting one made now' "$work/disk-bios.log" && fail "disk did not boot the build's disk.img"
grep -q "disk (the host's hosts/web1/disk.img), host web1 (52:54:00:00:11:01), behind a NIC 52:54:00:12:34:57" \
    "$work/disk-bios.log" || fail "disk did not boot web1's own disk.img, its NIC second"

# Booting left the build's media as they were (the disk is attached with
# snapshot=on).
[ "$(sha256sum < "$work/img/boot.iso")" = "$sha_iso" ] || fail "booting changed boot.iso"
[ "$(sha256sum < "$work/img/hosts/web1/disk.img")" = "$sha_disk" ] || fail "booting changed hosts/web1/disk.img"
