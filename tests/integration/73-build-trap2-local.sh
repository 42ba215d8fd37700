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
# The only download: one .deb from trixie, cached (31-modules-xenver-real,
# earlier in the suite, has usually fetched it already).
deb=$(test_deb --trixie libxenmisc4.20) || exit

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
build_must_refuse "$work/log" "a 4.20 libxenctrl beside the 4.17 hypervisor" \
    --keys "$work/keys" -o "$work/out" "$work/mixed.ini"
grep -q '4\.17' <<< "$msg" || fail "the error does not name 4.17"
grep -q '4\.20' <<< "$msg" || fail "the error does not name 4.20"
grep -q 'libxenctrl420-test' <<< "$msg" || fail "the error does not name the package that brings 4.20"
[ "$(cat "$work/out/rootfs.cpio.gz")" = previous ] || fail "the previous output was touched"
[ "$(ls -A "$work/out")" = rootfs.cpio.gz ] || fail "a refused build left files: $(ls -A "$work/out")"
echo "refused: $msg"
