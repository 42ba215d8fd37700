#!/usr/bin/env bash
# mkdom0 lint on Debian's real files: the kernel package's 4000 modules with
# the index depmod writes for them, Xen 4.17's hypervisor image and
# libxenctrl.  The untouched set is clean; a dependency removed after depmod
# (the allowlist trap), an index written before trimming, and a toolstack of
# another release (4.20 from trixie, when a cache has it) are each reported.
set -uo pipefail
PATH=$PATH:/sbin:/usr/sbin
MKDOM0=${MKDOM0:-$(cd "$(dirname "$0")/../.." && pwd)/build/mkdom0}
for t in depmod dpkg-deb apt-get bsdtar zstd; do
    command -v $t >/dev/null || { echo "skip: $t not installed"; exit 77; }
done
. "$(cd "$(dirname "$0")/.." && pwd)/lint-lib.sh"

cache="${MKDOM0_TEST_DEBS:-${XDG_CACHE_HOME:-$HOME/.cache}/mkdom0/test-debs}"
mkdir -p "$cache"
# deb PACKAGE-GLOB [apt name]: a cached .deb, downloaded once if apt knows it
deb() {
    local f
    f=$(ls "$cache"/$1_*.deb 2>/dev/null | head -n1)
    if [ -z "$f" ] && [ -n "${2:-}" ]; then
        (cd "$cache" && apt-get download "$2" >/dev/null 2>&1) || return 1
        f=$(ls "$cache"/$1_*.deb 2>/dev/null | head -n1)
    fi
    [ -n "$f" ] && echo "$f"
}
kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-6\.1/ {print $2; exit}')
kdeb=$(deb "linux-image-6.1*-amd64" "$kpkg") || { echo "skip: no Debian 6.1 kernel package (network?)"; exit 77; }
xdeb=$(deb xen-hypervisor-4.17-amd64 xen-hypervisor-4.17-amd64) || { echo "skip: no xen-hypervisor-4.17-amd64"; exit 77; }
ldeb=$(deb libxenmisc4.17 libxenmisc4.17) || { echo "skip: no libxenmisc4.17"; exit 77; }

T=$(mktemp -d /tmp/mkdom0-lint-real.XXXXXX)
trap 'rm -rf "$T"' EXIT
# lint-lib's run, but the output of thousands of real modules is shown cut
run() {
    local want=$1; shift
    "$MKDOM0" lint "$@" >"$T/out" 2>&1
    local rc=$?
    head -n 30 "$T/out" | cut -c1-240 | sed 's/^/    /'
    [ $rc = "$want" ] || fail "mkdom0 lint $* exited $rc, expected $want"
    return 0
}

R=$T/root
dpkg-deb -x "$kdeb" "$R"
dpkg-deb -x "$ldeb" "$R"
dpkg-deb -x "$xdeb" "$T/xen"
kver=$(ls "$R/lib/modules")
depmod -b "$R" "$kver" || fail "depmod"
cp "$T/xen/boot/xen-4.17-amd64.gz" "$T/xen.gz" # no version in the name: read from the image
mkdir -p "$R/etc/init.d" "$R/sbin" "$R/bin"
printf '::sysinit:/etc/init.d/rcS\nhvc0::respawn:/sbin/getty -L 115200 hvc0 vt100\n' >"$R/etc/inittab"
printf '#!/bin/sh\nmount -t devtmpfs devtmpfs /dev\n' >"$R/etc/init.d/rcS"
: >"$R/bin/busybox"
ln -s ../bin/busybox "$R/sbin/init"
ln -s ../bin/busybox "$R/sbin/getty"
echo "kernel $kver ($(find "$R/lib/modules" -name '*.ko*' | wc -l) modules), $(basename "$xdeb"), $(basename "$ldeb")"

echo "== Debian's files as they are: clean, as a directory and as a cpio archive"
run 0 --strict "$R" --xen "$T/xen.gz"
hasnt "[trap"
(cd "$R" && bsdtar -cf - --format newc . | zstd -1 -q) >"$T/rootfs.cpio.zst"
run 0 --strict "$T/rootfs.cpio.zst" --xen "$T/xen.gz"

echo "== libphy removed after depmod: the index names it, and its users need it"
mv "$R/lib/modules/$kver/kernel/drivers/net/phy/libphy.ko" "$T/"
run 1 "$R"
has "names kernel/drivers/net/phy/libphy.ko, which is missing from the rootfs"
has "ixgbe.ko: error: [trap5] needs libphy (depends=), which is missing"

echo "== the allowlist trap: index regenerated without libphy — depends= still tells"
depmod -b "$R" "$kver" 2>/dev/null
run 1 "$R"
hasnt "modules.dep:"
has "ixgbe.ko: error: [trap5] needs libphy (depends=)"
mv "$T/libphy.ko" "$R/lib/modules/$kver/kernel/drivers/net/phy/"

echo "== a module added after depmod"
cp "$R/lib/modules/$kver/kernel/drivers/xen/xen-gntalloc.ko" "$R/lib/modules/$kver/kernel/drivers/xen/xen-extra.ko"
depmod -b "$R" "$kver"
run 0 "$R"
rm "$R/lib/modules/$kver/kernel/drivers/xen/xen-extra.ko"
cp "$R/lib/modules/$kver/kernel/drivers/xen/xen-gntalloc.ko" "$R/lib/modules/$kver/kernel/drivers/xen/xen-late.ko"
run 1 "$R"
has "does not list kernel/drivers/xen/xen-late.ko"
has "modules.dep.bin: error: [trap5] the binary index (which modprobe reads before modules.dep) does not know kernel/drivers/xen/xen-late.ko"
echo "== ... and listed in modules.dep by hand: the binary index is still stale"
echo "kernel/drivers/xen/xen-late.ko:" >>"$R/lib/modules/$kver/modules.dep"
run 1 "$R"
hasnt "modules.dep: error"
has "does not know kernel/drivers/xen/xen-late.ko: it is stale"
rm "$R/lib/modules/$kver/kernel/drivers/xen/xen-late.ko"
depmod -b "$R" "$kver"

echo "== the Xen modules missing"
rm "$R/lib/modules/$kver/kernel/drivers/xen/xen-privcmd.ko"
depmod -b "$R" "$kver"
run 1 "$R"
has "xen-privcmd is neither a module here nor built in"

echo "== trap 2 with real files"
if ldeb20=$(deb libxenmisc4.20); then
    rm -f "$R"/usr/lib/x86_64-linux-gnu/libxen*
    dpkg-deb -x "$ldeb20" "$R"
    run 1 "$R" --xen "$T/xen.gz"
    has "the toolstack is Xen 4.20 but the hypervisor $T/xen.gz is Xen 4.17"
    has "xen-utils-4.17"
else
    echo "    (no libxenmisc4.20 in $cache: the mismatch is covered by 61-lint-rootfs)"
fi
echo "all real-package lint checks passed"
