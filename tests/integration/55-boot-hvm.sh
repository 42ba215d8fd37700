#!/usr/bin/env bash
# slow
# An image built with [Xen] HVM=yes runs an HVM guest under TCG's nested SVM:
# `mkdom0 boot --check` boots a disk through hvmloader, SeaBIOS and the
# device model, and the guest's marker comes over its emulated COM1.
set -euo pipefail
. "$MKDOM0_SRC/tests/boot-lib.sh"
work=$(mktemp -d /tmp/mkdom0-boot-hvm.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '[Image]\nBase=default\n\n[Xen]\nHVM=yes\n' > "$work/hvm.ini"
build_or_skip --keys "$MKDOM0_BUILD/test-keys" -o "$work/out" "$work/hvm.ini" > "$work/build.log"
grep '^HVM device model' "$work/build.log"
# The reset step is the default image's test (50); this one is about guests.
"$MKDOM0" boot --check --no-reset "$work/out" > "$work/check.log" 2>&1 \
    || { cat "$work/check.log"; fail "boot --check of the HVM=yes image failed"; }
cat "$work/check.log"
for w in "^ok   PVH  guest: MKDOM0-GUEST-PVH-OK" \
         "^ok   HVM  guest: its boot sector's marker over the emulated COM1 \([0-9.]+ s\)" "^PASS: "; do
    grep -Eq "$w" "$work/check.log" || fail "no line matching '$w' in the --check output"
done
