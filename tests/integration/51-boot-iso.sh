#!/usr/bin/env bash
# slow
# `mkdom0 boot --check` on the default image from a BIOS ISO (SeaBIOS + GRUB i386-pc):
# login on hvc0, ssh, xl list/info, PV and PVH guests, statelessness; without a
# guest storage disk (--no-storage): the dom0 boots on and its console says so.
set -euo pipefail
. "$MKDOM0_SRC/tests/boot-lib.sh"
boot_check iso --no-storage
