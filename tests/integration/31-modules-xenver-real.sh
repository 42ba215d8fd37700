#!/usr/bin/env bash
# Trap 2 on real packages: bookworm's Xen 4.17 hypervisor with bookworm's
# libxenctrl 4.17 is accepted; with trixie's libxenctrl 4.20 it is refused,
# naming both versions and both packages.
set -euo pipefail
. "${MKDOM0_SRC:?}/tests/lib.sh"
drv="$MKDOM0_BUILD/tests/test_xenver"
[ -x "$drv" ] || fail "$drv is not built (make unit)"
need dpkg-deb apt-get
# bookworm's through the host's apt sources, trixie's through a private apt
# state below the cache (tests/lib.sh)
hv=$(test_deb xen-hypervisor-4.17-amd64) || exit
ts17=$(test_deb libxenmisc4.17) || exit
ts20=$(test_deb --trixie libxenmisc4.20) || exit

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for d in "$hv" "$ts17" "$ts20"; do
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
grep -q 'error: toolstack/hypervisor mismatch' "$tmp/bad"
grep -q 'xen-hypervisor-4.17-amd64 ships Xen 4.17' "$tmp/bad"
grep -q 'libxenctrl 4.20 comes from libxenmisc4.20' "$tmp/bad"
grep -q 'trap 2' "$tmp/bad"
echo "ok"
