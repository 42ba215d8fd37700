#!/usr/bin/env bash
# slow
# `mkdom0 boot --check` on the default image through QEMU's multiboot loader:
# login on hvc0, ssh, xl list/info, PV and PVH guests, statelessness, with
# the dom0 at dom0_mem=512M,max:512M (issue 12: the dom0 runs and starts
# guests in 512M; the other boot tests run it at the fitted 1024M).
set -euo pipefail
. "$MKDOM0_SRC/tests/boot-lib.sh"
boot_check multiboot --dom0-mem 512M
grep -q "^mkdom0 boot --check .*(dom0 512M)" "$out/check.log" || fail "the dom0 did not boot with 512M"
grep -q "dom0_mem=512M,max:512M" "$out/console.log" || fail "Xen's command line lacks dom0_mem=512M,max:512M"
# What the dom0 kernel got: less than 512M (Xen's and the kernel's own
# share), but most of it; and it says what is used and free.
total=$(sed -n 's/^ok   dom0 memory .*(after boot: [0-9]* MiB used, [0-9]* MiB free of \([0-9]*\);.*/\1/p' "$out/check.log")
[ -n "$total" ] && [ "$total" -le 512 ] && [ "$total" -ge 300 ] \
    || fail "the dom0's MemTotal after boot is '${total}' MiB, not within 300..512 for dom0_mem=512M"
