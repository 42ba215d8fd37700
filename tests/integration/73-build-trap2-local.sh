#!/usr/bin/env bash
# Trap 2 through `mkdom0 build`, offline: the real libxenctrl 4.20 of Debian
# trixie (from libxenmisc4.20, repackaged without its trixie-only Depends so
# it installs beside bookworm) joins the default 4.17 image through a signed
# file:// repository.  The build must refuse, naming both releases, and
# write nothing.  (71-build-trap2 does the same with trixie's own archive.)
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
. "$MKDOM0_SRC/tests/lib-repo.sh"

work=$(mktemp -d /tmp/mkdom0-trap2l.XXXXXX)
trap 'kill_keys; rm -rf "$work"' EXIT
tdebs="$(cache_dir)/test-debs"
deb=$(ls "$tdebs"/libxenmisc4.20_*.deb 2>/dev/null | head -n1 || true)
# 31-modules-xenver-real, earlier in the suite, downloads it.
[ -n "$deb" ] || skip "trixie's libxenmisc4.20 .deb is not in $tdebs (31-modules-xenver-real fetches it)"

# Repackage: the real files, a control file without the Depends that only
# trixie satisfies.
mkdir -p "$work/pkg/DEBIAN"
dpkg-deb -x "$deb" "$work/pkg"
cat > "$work/pkg/DEBIAN/control" <<CTRL
Package: libxenctrl420-test
Version: 4.20-1
Architecture: amd64
Maintainer: mkdom0 tests <test@invalid>
Description: trixie's libxenctrl 4.20 for the trap 2 test
CTRL
dpkg-deb --root-owner-group -b "$work/pkg" "$work/libxenctrl420-test_4.20-1_amd64.deb" >/dev/null
make_key "$work/key" >/dev/null
keyring=$(make_repo "$work/repo" "$work/libxenctrl420-test_4.20-1_amd64.deb")
{
    printf '[Image]\nBase=default\n\n'
    repo_spec trixie-bits "$work/repo" "$keyring"
    printf '\n[Packages]\nInclude=libxenctrl420-test\n'
} > "$work/mixed.ini"

mkdir -p "$work/out"
echo previous > "$work/out/rootfs.cpio.gz"
if "$MKDOM0" build --keys "$work/keys" -o "$work/out" "$work/mixed.ini" > "$work/log" 2>&1; then
    cat "$work/log"; fail "a 4.20 libxenctrl beside the 4.17 hypervisor was accepted"
fi
cat "$work/log"
msg=$(grep '^mkdom0 build:' "$work/log" || true)
[ -n "$msg" ] || { curl -fsS -m 20 -o /dev/null http://deb.debian.org/debian/dists/bookworm/InRelease \
    || skip "Debian's repositories are not reachable and the cache cannot build offline"; fail "no error line"; }
grep -q '4\.17' <<< "$msg" || fail "the error does not name 4.17"
grep -q '4\.20' <<< "$msg" || fail "the error does not name 4.20"
grep -q 'libxenctrl420-test' <<< "$msg" || fail "the error does not name the package that brings 4.20"
[ "$(cat "$work/out/rootfs.cpio.gz")" = previous ] || fail "the previous output was touched"
[ "$(ls -A "$work/out")" = rootfs.cpio.gz ] || fail "a refused build left files: $(ls -A "$work/out")"
echo "refused: $msg"
