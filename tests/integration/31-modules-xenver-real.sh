#!/usr/bin/env bash
# Trap 2 on real packages: bookworm's Xen 4.17 hypervisor with bookworm's
# libxenctrl 4.17 is accepted; with trixie's libxenctrl 4.20 it is refused,
# naming both versions and both packages.  Trixie's own pair (hypervisor
# 4.20, libxenmisc4.20, and xen-utils-4.20 with its
# /usr/lib/xen-4.20/lib/python/xen-3.0.egg-info) is accepted: releases come
# from the binaries, never from a path (issue 10, failing input 7).
set -euo pipefail
. "${MKDOM0_SRC:?}/tests/lib.sh"
drv="$MKDOM0_BUILD/tests/test_xenver"
need_unit test_xenver
need dpkg-deb apt-get
# bookworm's through the host's apt sources, trixie's through a private apt
# state below the cache (tests/lib.sh)
hv=$(test_deb xen-hypervisor-4.17-amd64) || exit
ts17=$(test_deb libxenmisc4.17) || exit
ts20=$(test_deb --trixie libxenmisc4.20) || exit
hv20=$(test_deb --trixie xen-hypervisor-4.20-amd64) || exit
utils20=$(test_deb --trixie xen-utils-4.20) || exit

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for d in "$hv" "$ts17" "$ts20" "$hv20" "$utils20"; do
    n=$(basename "$d" .deb)
    dpkg-deb -x "$d" "$tmp/$n"
done
dir() { echo "$tmp/$(basename "$1" .deb)"; }

"$drv" --tree "$(dir "$hv")" "$(dir "$ts17")" | tee "$tmp/ok"
grep -q 'hypervisor: Xen 4.17 (4.17' "$tmp/ok"
grep -q 'embedded Kconfig' "$tmp/ok"
grep -q 'toolstack: libxenctrl 4.17 .* from libxenmisc4.17' "$tmp/ok"

if "$drv" --tree "$(dir "$hv")" "$(dir "$ts20")" > "$tmp/bad"; then
    cat "$tmp/bad"; echo "4.17 hypervisor with libxenctrl 4.20 accepted"; exit 1
fi
cat "$tmp/bad"
# lint's trap 2 finding (one checker), its file named with its package
grep -q 'error: /usr/lib/x86_64-linux-gnu/libxenctrl.so.4.20.0 (from libxenmisc4.20): \[trap2\] the toolstack is Xen 4.20' "$tmp/bad"
grep -q 'but the hypervisor /boot/xen-4.17-amd64.gz (from xen-hypervisor-4.17-amd64) is Xen 4.17' "$tmp/bad"
grep -q 'take the toolstack of the hypervisor.s release (xen-utils-4.17)' "$tmp/bad"
# trixie alone: 4.20 on both sides, read from the Kconfig and the DT_SONAME
[ -d "$(dir "$utils20")/usr/lib/xen-4.20/lib/python/xen-3.0.egg-info" ] ||
    fail "xen-utils-4.20 has no xen-3.0.egg-info any more: the case this test covers is gone"
"$drv" --tree "$(dir "$hv20")" "$(dir "$ts20")" "$(dir "$utils20")" | tee "$tmp/trixie" ||
    fail "trixie's own hypervisor and toolstack refused"
grep -q 'hypervisor: Xen 4.20 (4.20.* embedded Kconfig' "$tmp/trixie" || fail "no 4.20 hypervisor read"
grep -q 'toolstack: libxenctrl 4.20 .* from libxenmisc4.20, read from DT_SONAME libxenctrl.so.4.20' \
    "$tmp/trixie" || fail "no 4.20 libxenctrl read from its DT_SONAME"
grep -q '3\.0' "$tmp/trixie" && fail "a 3.0 release was read"
echo "ok"
