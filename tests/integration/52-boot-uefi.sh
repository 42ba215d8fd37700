#!/usr/bin/env bash
# slow
# `mkdom0 boot --check` on the default image from a UEFI NVMe disk (OVMF + GRUB x86_64-efi on the ESP):
# login on hvc0, ssh, xl list/info, PV and PVH guests, statelessness.
set -euo pipefail
. "$MKDOM0_SRC/tests/boot-lib.sh"
boot_check uefi
