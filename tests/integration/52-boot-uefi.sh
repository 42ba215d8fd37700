#!/usr/bin/env bash
# slow
# `mkdom0 boot --check` on the default image from a UEFI NVMe disk (OVMF +
# GRUB x86_64-efi on the ESP): login on hvc0, ssh, xl list, the boot medium
# not read after the login prompt, and statelessness across a system_reset
# that boots the same path again.  The guests and daemon kills are the
# dom0's, the same on every path: the full check runs them where Xen is
# entered the same way, GRUB x86_64-efi's multiboot2 from a UEFI NVMe disk
# (test 56), and on the default image through GRUB under BIOS (test 50).
set -euo pipefail
. "$MKDOM0_SRC/tests/boot-lib.sh"
dir=$(default_image)
work=$(mktemp -d /tmp/mkdom0-uefi-boot.XXXXXX)
trap 'rm -rf "$work"' EXIT
boot_quick "$dir" "$work" uefi --reset --path uefi
