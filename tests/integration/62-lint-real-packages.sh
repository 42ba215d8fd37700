#!/usr/bin/env bash
# mkdom0 lint on Debian's real files: the kernel package's 4000 modules with
# the index depmod writes for them, Xen 4.17's hypervisor image and
# libxenctrl.  The untouched set is clean; a dependency removed after depmod
# (the allowlist trap), an index written before trimming, and a toolstack of
# another release (4.20 from trixie) are each reported.
set -uo pipefail
PATH=$PATH:/sbin:/usr/sbin
MKDOM0=${MKDOM0:-$(cd "$(dirname "$0")/../.." && pwd)/build/mkdom0}
. "$(cd "$(dirname "$0")/.." && pwd)/lib.sh"
. "$(cd "$(dirname "$0")/.." && pwd)/lint-lib.sh"
need depmod dpkg-deb apt-get bsdtar zstd
kdeb=$(kernel_deb) || exit
xdeb=$(test_deb xen-hypervisor-4.17-amd64) || exit
ldeb=$(test_deb libxenmisc4.17) || exit
ldeb20=$(test_deb --trixie libxenmisc4.20) || exit

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

# (no set -e here, for run's status checks: every step says when it fails)
R=$T/root
dpkg-deb -x "$kdeb" "$R" || fail "dpkg-deb -x $kdeb"
dpkg-deb -x "$ldeb" "$R" || fail "dpkg-deb -x $ldeb"
dpkg-deb -x "$xdeb" "$T/xen" || fail "dpkg-deb -x $xdeb"
kver=$(ls "$R/lib/modules")
depmod -b "$R" "$kver" || fail "depmod"
cp "$T/xen/boot/xen-4.17-amd64.gz" "$T/xen.gz" || fail "no xen-4.17-amd64.gz in $xdeb" # no version in the name: read from the image
mkdir -p "$R/etc/init.d" "$R/sbin" "$R/bin"
printf '::sysinit:/etc/init.d/rcS\nhvc0::respawn:/sbin/getty -L 115200 hvc0 vt100\n' >"$R/etc/inittab"
printf '#!/bin/sh\nmount -t devtmpfs devtmpfs /dev\n' >"$R/etc/init.d/rcS"
: >"$R/bin/busybox"
chmod 0755 "$R/bin/busybox"  # init must be executable (lint checks it, as the kernel does)
ln -s ../bin/busybox "$R/sbin/init"
ln -s busybox "$R/bin/sh"  # rcS's interpreter (lint checks what init starts runs)
ln -s ../bin/busybox "$R/sbin/getty"
echo "kernel $kver ($(find "$R/lib/modules" -name '*.ko*' | wc -l) modules), $(basename "$xdeb"), $(basename "$ldeb")"

echo "== Debian's files as they are: no finding, as a directory and as a cpio archive (no boot config: exit 3)"
run 3 --strict "$R" --xen "$T/xen.gz"
hasnt "[trap"
(cd "$R" && bsdtar -cf - --format newc . | zstd -1 -q) >"$T/rootfs.cpio.zst"
run 3 --strict "$T/rootfs.cpio.zst" --xen "$T/xen.gz"

echo "== libphy removed after depmod: the index names it, and its users need it"
mv "$R/lib/modules/$kver/kernel/drivers/net/phy/libphy.ko" "$T/" || fail "no libphy.ko"
run 1 "$R"
has "names kernel/drivers/net/phy/libphy.ko, which is missing from the rootfs"
has "ixgbe.ko: error: [trap5] needs libphy (depends=), which is missing"

echo "== the allowlist trap: index regenerated without libphy — depends= still tells"
depmod -b "$R" "$kver" || fail "depmod without libphy"
run 1 "$R"
hasnt "modules.dep:"
has "ixgbe.ko: error: [trap5] needs libphy (depends=)"
mv "$T/libphy.ko" "$R/lib/modules/$kver/kernel/drivers/net/phy/" || fail "mv libphy.ko back"

echo "== a module added after depmod"
cp "$R/lib/modules/$kver/kernel/drivers/xen/xen-gntalloc.ko" "$R/lib/modules/$kver/kernel/drivers/xen/xen-extra.ko" || fail "cp"
depmod -b "$R" "$kver" || fail "depmod with xen-extra"
run 3 "$R"
rm "$R/lib/modules/$kver/kernel/drivers/xen/xen-extra.ko" || fail "rm"
cp "$R/lib/modules/$kver/kernel/drivers/xen/xen-gntalloc.ko" "$R/lib/modules/$kver/kernel/drivers/xen/xen-late.ko" || fail "cp"
run 1 "$R"
has "does not list kernel/drivers/xen/xen-late.ko"
has "modules.dep.bin: error: [trap5] the binary index (which modprobe reads before modules.dep) does not know kernel/drivers/xen/xen-late.ko"
echo "== ... and listed in modules.dep by hand: the binary index is still stale"
echo "kernel/drivers/xen/xen-late.ko:" >>"$R/lib/modules/$kver/modules.dep"
run 1 "$R"
hasnt "modules.dep: error"
has "does not know kernel/drivers/xen/xen-late.ko: it is stale"
rm "$R/lib/modules/$kver/kernel/drivers/xen/xen-late.ko" || fail "rm"
depmod -b "$R" "$kver" || fail "depmod"

echo "== the Xen modules missing"
rm "$R/lib/modules/$kver/kernel/drivers/xen/xen-privcmd.ko" || fail "rm"
depmod -b "$R" "$kver" || fail "depmod without xen-privcmd"
run 1 "$R"
has "xen-privcmd is neither a module here nor built in"

echo "== trap 2 with real files"
rm -f "$R"/usr/lib/x86_64-linux-gnu/libxen*
dpkg-deb -x "$ldeb20" "$R" || fail "dpkg-deb -x $ldeb20"
run 1 "$R" --xen "$T/xen.gz"
has "the toolstack is Xen 4.20 but the hypervisor $T/xen.gz is Xen 4.17"
has "xen-utils-4.17"
echo "all real-package lint checks passed"
