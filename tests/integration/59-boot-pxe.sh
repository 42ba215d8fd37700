#!/usr/bin/env bash
# slow
# PXE and one image, many hosts (#11): the build's netboot tree served by
# QEMU's user network (its DHCP and TFTP server, restrict=on, as Xen's CI
# boots), two hosts in the spec.
#  1. GRUB's netboot image under SeaBIOS (the NIC's iPXE ROM loads core.0),
#     as host web2 with its NIC second (--other-nic): login, ssh, xl list
#     and the host's identity: GRUB read grub.cfg-01-<web2's MAC>, so the
#     dom0 is db.example.org with web2's static address (on the NIC with
#     web2's MAC: ssh reaches no other) and ssh host key (ssh-keyscan), not
#     the image's;
#  2. iPXE itself running boot.ipxe, as host web1 (DHCP): login, ssh, xl
#     list, web1's name and key, picked by ${netX/mac};
#  3. GRUB's netboot image under OVMF, with QEMU's default MAC (no host):
#     the image's own name and key.
# Dom0Mem=1024M fits the 2048M VM, so the build's tree is served as it is.
set -euo pipefail
. "$MKDOM0_SRC/tests/boot-lib.sh"
work=$(mktemp -d /tmp/mkdom0-pxe-boot.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '%s\n' '[Image]' 'Base=default' '' '[Xen]' 'Dom0Mem=1024M' '' '[Boot]' 'Media=netboot' '' \
    '[Host web1]' 'MAC=52:54:00:00:11:01' '' \
    '[Host web2]' 'MAC=52:54:00:00:11:02' 'Hostname=db.example.org' \
    "# QEMU's user network: 10.0.2.0/24, its router 10.0.2.2" 'Address=10.0.2.15/24' 'Gateway=10.0.2.2' \
    > "$work/pxe.ini"
build_or_skip --keys "$work/keys" -o "$work/img" "$work/pxe.ini" > "$work/build.log"
sha_tree=$(cd "$work/img/netboot" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)
# A key's fingerprint as an ERE (base64 has '+' and '/').
fp() { ssh-keygen -lf "$1" | cut -d' ' -f2 | sed 's/[+.]/\\&/g'; }

# Each boot proves login, ssh, xl list and the identity (boot_quick); the
# guests, daemons and reset are the same dom0 past the loader, and the
# full check proves them where Xen is entered the same way: GRUB's
# multiboot2 under BIOS in test 50, under UEFI in 56, and the multiboot
# (v1) that iPXE uses, QEMU's own loader's, in 53.
# web2 boots as a server with two ports, its own NIC second: the dom0's
# address and sshd must be on the NIC with its MAC (ssh reaches only that one).
boot_quick "$work/img" "$work" grub-bios \
    --want "^ok   host web2: host name db.example.org, address 10.0.2.15/24, ssh host key 256 $(fp "$work/keys/hosts/web2/ssh_host_ed25519_key.pub") " \
    --path pxe --host web2 --other-nic
grep -q 'serving one made now' "$work/grub-bios.log" && fail "pxe did not serve the build's netboot/"
grep -q 'pxe (SeaBIOS, boot/grub/i386-pc/core.0), host web2 (52:54:00:00:11:02), behind a NIC 52:54:00:12:34:57' \
    "$work/grub-bios.log" || fail "the check does not say it booted GRUB's BIOS netboot image as web2, its second NIC"
boot_quick "$work/img" "$work" ipxe \
    --want "^ok   host web1: host name web1, DHCP, ssh host key 256 $(fp "$work/keys/hosts/web1/ssh_host_ed25519_key.pub") " \
    --path pxe --netboot ipxe --host web1
grep -q 'pxe (SeaBIOS, boot.ipxe)' "$work/ipxe.log" || fail "the iPXE boot did not run boot.ipxe"
# No host: the image's own identity (the dom0 says its name on the login prompt).
boot_quick "$work/img" "$work" grub-uefi --path pxe --firmware uefi
grep -q 'pxe (OVMF, boot/grub/x86_64-efi/core.efi)' "$work/grub-uefi.log" || fail "not GRUB's UEFI netboot image"
grep -Eq '(^|[^.a-z])dom0 login:' "$work/grub-uefi-console.log" || fail "without a host's MAC the dom0 is not the image's 'dom0'"
grep -q 'db.example.org login:\|web1 login:' "$work/grub-uefi-console.log" && fail "QEMU's own MAC booted a host's identity"

# Booting served the tree; it did not change it.
[ "$(cd "$work/img/netboot" && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)" = "$sha_tree" ] ||
    fail "booting changed netboot/"
