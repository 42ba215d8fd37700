#!/usr/bin/env bash
# mkdom0 lint on rootfs archives this script generates without root (bsdtar
# reading mtree specs, so device nodes need no mknod; modules compiled with
# cc as ELF objects with a .modinfo section, as a .ko is): a good one, one
# whose inittab lacks hvc0, one whose modules.dep names a missing module, one
# with a module whose dependency is missing, static /dev/xen nodes, every
# compression, a directory, a concatenated initramfs, an mkdom0-style output
# directory with a mismatched hypervisor, and damaged archives (exit 2).
set -uo pipefail
MKDOM0=${MKDOM0:-$(cd "$(dirname "$0")/../.." && pwd)/build/mkdom0}
. "$(cd "$(dirname "$0")/.." && pwd)/lib.sh"
. "$(cd "$(dirname "$0")/.." && pwd)/lint-lib.sh"
need bsdtar cc gzip xz zstd bzip2 lz4
T=$(mktemp -d /tmp/mkdom0-lint-rootfs.XXXXXX)
trap 'rm -rf "$T"' EXIT

KVER=6.1.0-18-amd64
M=lib/modules/$KVER

# mkko NAME DEPENDS [KVER] -> $T/ko/NAME.ko
mkdir -p "$T/ko" "$T/files"
mkko() {
    printf 'const char m[] __attribute__((section(".modinfo"), used, aligned(1))) =\n"license=GPL\\0depends=%s\\0name=%s\\0vermagic=%s SMP preempt mod_unload modversions \\0";\n' \
        "$2" "$1" "${3:-$KVER}" >"$T/ko/$1.c"
    cc -c -o "$T/ko/$1.ko" "$T/ko/$1.c" || fail "cc $1"
}
for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs mdio; do mkko $m ""; done
mkko libphy mdio
mkko ixgbe mdio,libphy,dca

cat >"$T/files/inittab.good" <<'EOF'
::sysinit:/etc/init.d/rcS
hvc0::respawn:/sbin/getty -L 115200 hvc0 vt100
::shutdown:/bin/umount -a -r
EOF
cat >"$T/files/inittab.serial" <<'EOF'
::sysinit:/etc/init.d/rcS
ttyS0::respawn:/sbin/getty -L 115200 ttyS0 vt100
EOF
printf '#!/bin/sh\nmount -t proc proc /proc\nmount -t devtmpfs devtmpfs /dev\nmodprobe -a xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs\n' >"$T/files/rcS"
printf '#!/bin/sh\nmount -t proc proc /proc\n' >"$T/files/rcS.nodev"
cat >"$T/files/modules.dep" <<'EOF'
kernel/drivers/xen/xen-evtchn.ko:
kernel/drivers/xen/xen-gntdev.ko:
kernel/drivers/xen/xen-gntalloc.ko:
kernel/drivers/xen/xen-privcmd.ko:
kernel/drivers/xen/xenfs/xenfs.ko:
kernel/drivers/net/mdio.ko:
kernel/drivers/net/phy/libphy.ko: kernel/drivers/net/mdio.ko
kernel/drivers/net/ethernet/intel/ixgbe/ixgbe.ko: kernel/drivers/net/phy/libphy.ko kernel/drivers/net/mdio.ko
EOF
echo "kernel/drivers/dca/dca.ko" >"$T/files/modules.builtin"
: >"$T/files/empty"
# libxenctrl as the linker makes it: a shared object whose DT_SONAME carries
# the release (lint reads releases from binaries only)
cc -shared -fPIC -nostdlib -Wl,-soname,libxenctrl.so.4.17 -o "$T/files/libxenctrl.so.4.17.0" \
    -x c /dev/null || fail "cc libxenctrl"
printf '\177ELF\2\1\1\0' >"$T/files/xl"

# spec NAME [overrides...] : an mtree spec for the good rootfs, where an
# override "path=SPEC" replaces (or with SPEC "-" drops) that line
spec() {
    local out=$T/$1.mtree; shift
    {
        echo "#mtree"
        cat <<EOF
./bin type=dir mode=0755
./bin/busybox type=file mode=0755 contents=$T/files/empty
./bin/sh type=link link=busybox
./sbin type=dir mode=0755
./sbin/init type=link link=../bin/busybox
./sbin/getty type=link link=../bin/busybox
./etc type=dir mode=0755
./etc/inittab type=file mode=0644 contents=$T/files/inittab.good
./etc/init.d type=dir mode=0755
./etc/init.d/rcS type=file mode=0755 contents=$T/files/rcS
./lib type=dir mode=0755
./$M/modules.dep type=file mode=0644 contents=$T/files/modules.dep
./$M/modules.builtin type=file mode=0644 contents=$T/files/modules.builtin
./$M/kernel/drivers/xen/xen-evtchn.ko type=file mode=0644 contents=$T/ko/xen-evtchn.ko
./$M/kernel/drivers/xen/xen-gntdev.ko type=file mode=0644 contents=$T/ko/xen-gntdev.ko
./$M/kernel/drivers/xen/xen-gntalloc.ko type=file mode=0644 contents=$T/ko/xen-gntalloc.ko
./$M/kernel/drivers/xen/xen-privcmd.ko type=file mode=0644 contents=$T/ko/xen-privcmd.ko
./$M/kernel/drivers/xen/xenfs/xenfs.ko type=file mode=0644 contents=$T/ko/xenfs.ko
./$M/kernel/drivers/net/mdio.ko type=file mode=0644 contents=$T/ko/mdio.ko
./$M/kernel/drivers/net/phy/libphy.ko type=file mode=0644 contents=$T/ko/libphy.ko
./$M/kernel/drivers/net/ethernet/intel/ixgbe/ixgbe.ko type=file mode=0644 contents=$T/ko/ixgbe.ko
./usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17.0 type=file mode=0644 contents=$T/files/libxenctrl.so.4.17.0
./usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17 type=link link=libxenctrl.so.4.17.0
EOF
    } >"$out.base"
    cp "$out.base" "$out"
    for o in "$@"; do
        local p=${o%%=*} s=${o#*=}
        grep -v "^$p " "$out" >"$out.tmp"; mv "$out.tmp" "$out"
        [ "$s" = "-" ] || echo "$p $s" >>"$out"
    done
    # every directory before what it holds, as the kernel needs (it makes
    # no missing parent: init/initramfs.c); bsdtar writes the spec's order
    awk 'NR == 1 { print; next }
         { n = split($1, a, "/"); d = a[1]
           for (i = 2; i < n; i++) { d = d "/" a[i]; if (!(d in seen)) { seen[d] = 1; print d " type=dir mode=0755" } }
           if ($2 == "type=dir" && ($1 in seen)) next
           seen[$1] = 1; print }' "$out" >"$out.tmp" && mv "$out.tmp" "$out"
}
# mkcpio NAME FILTER [overrides...] -> $T/NAME
mkcpio() {
    local name=$1 filter=$2; shift 2
    spec "$name" "$@"
    local f=()
    [ "$filter" = none ] || f=(--"$filter")
    (cd "$T" && bsdtar -cf "$T/$name" --format newc "${f[@]}" "@$T/$name.mtree") || fail "bsdtar $name"
}

echo "== a good rootfs, gzip"
mkcpio good.cpio.gz gzip
run 3 "$T/good.cpio.gz"
hasnt "error:"
hasnt "warning:"
has "the toolstack is Xen 4.17"
# alone, trap 2 (no hypervisor) and trap 4 (no boot config) are not checked,
# and the summary does not say "no findings" as if they were (trial10b case 6)
has "good.cpio.gz: not checked: trap 2 (the toolstack's Xen release against the hypervisor's): no hypervisor was given"
has "trap 4 and trap 1's console= (they are on the boot lines): no boot config was given"
has "no findings in what was checked (1 input); not all traps were checked"
run 3 --strict --rootfs "$T/good.cpio.gz"

echo "== dom0's initramfs is the module Xen picks: ucode=<index>, microcode first (trial10b case 5)"
mkdir -p "$T/uc/kernel/x86/microcode"
echo microcode >"$T/uc/kernel/x86/microcode/GenuineIntel.bin"
(cd "$T/uc" && bsdtar -cf "$T/uc/intel-ucode.img" --format newc kernel) || fail "bsdtar ucode"
cp "$T/good.cpio.gz" "$T/uc/rootfs.cpio.gz"
ucfg() { # ucfg XEN-EXTRA -> $T/uc/grub.cfg: microcode first, as 20_linux_xen writes it
    printf 'menuentry Xen {\n multiboot2 /xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256 gnttab_max_maptrack_frames=1024 console=com1 %s\n module2 /vmlinuz console=ttyS0,115200 console=hvc0 rdinit=/sbin/init\n module2 --nounzip /intel-ucode.img\n module2 --nounzip /rootfs.cpio.gz\n}\n' "$1" >"$T/uc/grub.cfg"
}
for u in "" ucode=scan; do
    ucfg "$u"
    run 1 "$T/uc/grub.cfg"
    has "grub.cfg:2: error: [boot] menuentry 'Xen': the module Xen hands dom0 as its initramfs is /intel-ucode.img (line 4), an early-microcode archive"
    has "the module order is the fault"
    has "or add ucode=1 to the Xen line"
    hasnt "add rdinit=/sbin/init"
done
# the fix, applied: Xen takes module 1 as microcode and hands dom0 the rootfs
for u in "ucode=scan ucode=1" ucode=1 ucode=-2; do
    ucfg "$u"
    run 3 "$T/uc/grub.cfg"
    hasnt "error:"
    hasnt "microcode"
done
# the rootfs first needs no ucode=
sed -i -e '4s/intel-ucode.img/TMP/' -e '5s/rootfs.cpio.gz/intel-ucode.img/' -e '4s/TMP/rootfs.cpio.gz/' "$T/uc/grub.cfg"
sed -i 's/ ucode=-2//' "$T/uc/grub.cfg"
run 3 "$T/uc/grub.cfg"
hasnt "error:"

echo "== every compression the kernel takes, and none"
for f in xz zstd none bzip2 lz4; do
    mkcpio good.$f.cpio $f
    run 3 --strict "$T/good.$f.cpio"
done

echo "== compressed modules (.ko.xz, .ko.zst, .ko.gz) read through their compression"
xz --check=crc32 -c "$T/ko/ixgbe.ko" >"$T/ko/ixgbe.ko.xz" || fail "xz"
zstd -q -c "$T/ko/libphy.ko" >"$T/ko/libphy.ko.zst" || fail "zstd"
gzip -n -c "$T/ko/mdio.ko" >"$T/ko/mdio.ko.gz" || fail "gzip"
sed -e 's|ixgbe.ko|ixgbe.ko.xz|g' -e 's|libphy.ko|libphy.ko.zst|g' -e 's|mdio.ko|mdio.ko.gz|g' \
    "$T/files/modules.dep" >"$T/files/modules.dep.comp"
comp=("./$M/kernel/drivers/net/mdio.ko=-" "./$M/kernel/drivers/net/phy/libphy.ko=-"
      "./$M/kernel/drivers/net/ethernet/intel/ixgbe/ixgbe.ko=-"
      "./$M/kernel/drivers/net/mdio.ko.gz=type=file mode=0644 contents=$T/ko/mdio.ko.gz"
      "./$M/kernel/drivers/net/phy/libphy.ko.zst=type=file mode=0644 contents=$T/ko/libphy.ko.zst"
      "./$M/kernel/drivers/net/ethernet/intel/ixgbe/ixgbe.ko.xz=type=file mode=0644 contents=$T/ko/ixgbe.ko.xz")
mkcpio comp.cpio.gz gzip "${comp[@]}" "./$M/modules.dep=type=file mode=0644 contents=$T/files/modules.dep.comp"
run 3 --strict "$T/comp.cpio.gz"
# ... and their depends= still count: the compressed mdio gone
mkcpio comp2.cpio.gz gzip "${comp[@]}" "./$M/kernel/drivers/net/mdio.ko.gz=-" \
    "./$M/modules.dep=type=file mode=0644 contents=$T/files/modules.dep.comp"
run 1 "$T/comp2.cpio.gz"
has "ixgbe.ko.xz): error: [trap5] needs mdio (depends=), which is missing"
has "libphy.ko.zst): error: [trap5] needs mdio (depends=), which is missing"

echo "== inittab without hvc0"
mkcpio nohvc.cpio.gz gzip "./etc/inittab=type=file mode=0644 contents=$T/files/inittab.serial"
run 1 "$T/nohvc.cpio.gz"
has "nohvc.cpio.gz(/etc/inittab):2: error: [trap1] getty only on ttyS0, none on hvc0"
has "looks frozen"

echo "== /dev/console a regular file (trial 9f case 7: init gets no console), and the device"
mkcpio console.cpio.gz gzip "./dev/console=type=file mode=0644 contents=$T/files/empty"
run 1 "$T/console.cpio.gz"
has "console.cpio.gz(/dev/console): error: [trap1] a regular file, not the character device 5:1"
mkcpio console2.cpio.gz gzip "./dev/console=type=char mode=0600 device=native,5,1"
run 3 --strict "$T/console2.cpio.gz"
hasnt "/dev/console"
mkcpio console3.cpio.gz gzip "./dev/console=type=char mode=0600 device=native,4,1"
run 1 "$T/console3.cpio.gz"
has "console3.cpio.gz(/dev/console): error: [trap1] a character device of another number, not the character device 5:1"

echo "== no inittab: busybox defaults"
mkcpio noinittab.cpio.gz gzip "./etc/inittab=-"
run 3 "$T/noinittab.cpio.gz"
has "warning: [trap1] no /etc/inittab"

echo "== modules.dep names a module that is missing"
mkcpio nomod.cpio.gz gzip "./$M/kernel/drivers/xen/xen-gntalloc.ko=-"
run 1 "$T/nomod.cpio.gz"
has "nomod.cpio.gz(/$M/modules.dep):3: error: [trap5] names kernel/drivers/xen/xen-gntalloc.ko, which is missing from the rootfs"
has "xen-gntalloc is neither a module here nor built in"

echo "== a module whose dependency is missing"
mkcpio nodep.cpio.gz gzip "./$M/kernel/drivers/net/mdio.ko=-"
run 1 "$T/nodep.cpio.gz"
has "error: [trap5] kernel/drivers/net/phy/libphy.ko depends on kernel/drivers/net/mdio.ko, which is missing"
has "ixgbe.ko): error: [trap5] needs mdio (depends=), which is missing"
# the same with an index regenerated for the files present: depends= still knows
grep -v '^kernel/drivers/net/mdio.ko:' "$T/files/modules.dep" | sed 's| kernel/drivers/net/mdio.ko||' >"$T/files/modules.dep.trimmed"
mkcpio nodep2.cpio.gz gzip "./$M/kernel/drivers/net/mdio.ko=-" \
    "./$M/modules.dep=type=file mode=0644 contents=$T/files/modules.dep.trimmed"
run 1 "$T/nodep2.cpio.gz"
has "libphy.ko): error: [trap5] needs mdio (depends=), which is missing"
hasnt "modules.dep):"

echo "== a module the index does not list"
mkko nvme ""
mkcpio unlisted.cpio.gz gzip "./$M/kernel/drivers/nvme/host/nvme.ko=type=file mode=0644 contents=$T/ko/nvme.ko"
run 1 "$T/unlisted.cpio.gz"
has "does not list kernel/drivers/nvme/host/nvme.ko"

echo "== nothing creates /dev/xen, and static nodes"
mkcpio nodev.cpio.gz gzip "./etc/init.d/rcS=type=file mode=0755 contents=$T/files/rcS.nodev"
run 1 "$T/nodev.cpio.gz"
has "error: [trap3] nothing creates /dev/xen/*"
# trap 3 follows what init runs, not what lies in the tree (trial10g 2):
# each helper below is present, and nothing init runs starts it
ND="./etc/init.d/rcS=type=file mode=0755 contents=$T/files/rcS.nodev"
for extra in "./lib/systemd/systemd-udevd=type=file mode=0755 contents=$T/files/xl" \
             "./usr/share/doc/xen-dom0-setup=type=dir mode=0755" \
             "./usr/sbin/xen-dom0-setup=type=file mode=0755 contents=$T/files/rcS" \
             "./lib/systemd/systemd=type=file mode=0755 contents=$T/files/xl" \
             "./etc/fstab=type=file mode=0644 contents=$T/files/fstab.dev"; do
    printf 'devtmpfs /dev devtmpfs defaults 0 0\n' >"$T/files/fstab.dev"
    mkcpio present.cpio.gz gzip "$ND" "$extra"
    run 1 "$T/present.cpio.gz"
    has "error: [trap3] nothing creates /dev/xen/*: nothing init runs"
done
has "an /etc/fstab line needs a 'mount -a' that runs"
# the fstab line counts once a script init runs does mount -a
printf '#!/bin/sh\nmount -t proc proc /proc\nmount -a\n' >"$T/files/rcS.mounta"
mkcpio mounta.cpio.gz gzip "./etc/init.d/rcS=type=file mode=0755 contents=$T/files/rcS.mounta" \
    "./etc/fstab=type=file mode=0644 contents=$T/files/fstab.dev"
run 3 "$T/mounta.cpio.gz"
hasnt "[trap3]"
# xen-dom0-setup counts when the inittab runs it (mkdom0's own image)
printf '::sysinit:/usr/sbin/xen-dom0-setup early\n::sysinit:/etc/init.d/rcS\nhvc0::respawn:/sbin/getty -L 115200 hvc0 vt100\n' >"$T/files/inittab.setup"
mkcpio setup.cpio.gz gzip "$ND" "./usr/sbin/xen-dom0-setup=type=file mode=0755 contents=$T/files/rcS" \
    "./etc/inittab=type=file mode=0644 contents=$T/files/inittab.setup"
run 3 "$T/setup.cpio.gz"
hasnt "[trap3]"
# order (trial10g 15): busybox runs sysinit entries one after the other, so
# a xenstored started by the first finds no /dev/xen/evtchn
printf '#!/bin/sh\n/usr/sbin/xenstored --pid-file /run/xenstored.pid\n' >"$T/files/xs"
printf '::sysinit:/etc/init.d/xs\n::sysinit:/etc/init.d/rcS\nhvc0::respawn:/sbin/getty -L 115200 hvc0 vt100\n' >"$T/files/inittab.xsfirst"
mkcpio xsfirst.cpio.gz gzip "./etc/init.d/xs=type=file mode=0755 contents=$T/files/xs" \
    "./usr/sbin/xenstored=type=file mode=0755 contents=$T/files/xl" \
    "./etc/inittab=type=file mode=0644 contents=$T/files/inittab.xsfirst"
run 1 "$T/xsfirst.cpio.gz"
has "error: [trap3] xenstored starts (/etc/init.d/xs:2) before anything creates /dev/xen/* (/etc/init.d/rcS:3)"
printf '::sysinit:/etc/init.d/rcS\n::sysinit:/etc/init.d/xs\nhvc0::respawn:/sbin/getty -L 115200 hvc0 vt100\n' >"$T/files/inittab.xslast"
mkcpio xslast.cpio.gz gzip "./etc/init.d/xs=type=file mode=0755 contents=$T/files/xs" \
    "./usr/sbin/xenstored=type=file mode=0755 contents=$T/files/xl" \
    "./etc/inittab=type=file mode=0644 contents=$T/files/inittab.xslast"
run 3 "$T/xslast.cpio.gz"
hasnt "[trap3]"
mkcpio static.cpio.gz gzip \
    "./dev/xen/evtchn=type=char mode=0666 device=native,10,61" \
    "./dev/xen/privcmd=type=char mode=0600 device=native,249,0" \
    "./dev/xen/gntdev=type=char mode=0600 device=native,10,60"
run 1 "$T/static.cpio.gz"
has "static.cpio.gz(/dev/xen/evtchn): error: [trap3] mode 0666"
has "static.cpio.gz(/dev/xen/privcmd): error: [trap3] device 249:0"
has "misc minors are dynamic"
hasnt "(/dev/xen/gntdev): error"

echo "== a directory"
mkdir -p "$T/dir"
(cd "$T/dir" && bsdtar -xf "$T/good.cpio.gz") || fail "extract"
run 3 --strict "$T/dir"
# a root tree's boot configs wherever its loaders read them under /boot (issue 10)
R=$T/rootboot
cp -a "$T/dir" "$R"
mkdir -p "$R/boot/extlinux" "$R/boot/grub"
printf 'DEFAULT xen\nLABEL xen\n KERNEL mboot.c32\n APPEND xen.gz dom0_mem=1G gnttab_max_frames=256 console=com1 --- vmlinuz console=ttyS0 console=hvc0 --- initrd.img\n' >"$R/boot/extlinux/extlinux.conf"
run 1 "$R"
has "$R/boot/extlinux/extlinux.conf: read as syslinux/pxelinux config"
has "$R/boot/extlinux/extlinux.conf:4: error: [trap4] label 'xen': dom0_mem=1G has no max:"
printf 'title Xen\n\tkernel /boot/xen.gz dom0_mem=2G gnttab_max_frames=256 console=com1\n\tmodule /boot/vmlinuz console=ttyS0 console=hvc0\n\tmodulenounzip /boot/initrd.img\n' >"$R/boot/grub/menu.lst"
run 1 "$R"
has "$R/boot/grub/menu.lst: read as GRUB legacy menu.lst"
has "$R/boot/grub/menu.lst:2: error: [trap4] title 'Xen': dom0_mem=2G has no max:"
# one with no Xen entry is named, and a root tree needs none: its rootfs is checked
printf 'DEFAULT linux\nLABEL linux\n KERNEL /boot/vmlinuz\n' >"$R/boot/extlinux/extlinux.conf"
rm "$R/boot/grub/menu.lst"
run 3 "$R"
has "$R/boot/extlinux/extlinux.conf: not checked: trap 4 and trap 1's console= (on Xen's boot lines): no Xen boot entry found"
hasnt "no Xen boot entry found in this"
cp "$T/files/inittab.serial" "$T/dir/etc/inittab"
run 1 "$T/dir"
has "$T/dir/etc/inittab:2: error: [trap1]"

echo "== a directory whose inittab is a FIFO and whose /sbin/init names a device (issue 9)"
# (reported as what they are, not as missing files or no problem; the FIFO
# is never opened, so lint cannot hang on it)
mkdir -p "$T/fifo-dir"
(cd "$T/fifo-dir" && bsdtar -xf "$T/good.cpio.gz") || fail "extract"
rm "$T/fifo-dir/etc/inittab" && mkfifo "$T/fifo-dir/etc/inittab" || fail "mkfifo"
rc=0; timeout 20 "$MKDOM0" lint "$T/fifo-dir" >"$T/out" 2>&1 || rc=$?
sed 's/^/    /' "$T/out"
[ $rc = 1 ] || fail "lint of a rootfs with a FIFO inittab exited $rc, expected 1"
has "fifo-dir/etc/inittab: error: [trap1] a FIFO, not a regular file: init reads it"
hasnt "no /etc/inittab"
# the same in an archive, with /sbin/init a symlink to a character device
mkcpio devinit.cpio.gz gzip "./sbin/init=type=link link=/dev/zero" \
    "./dev=type=dir mode=0755" "./dev/zero=type=char mode=0666 device=native,1,5" \
    "./etc/inittab=type=fifo mode=0644"
run 1 "$T/devinit.cpio.gz"
has "devinit.cpio.gz(/sbin/init): error: [trap1] a symlink to /dev/zero (a character device), not to a regular file: the kernel runs it as init"
has "devinit.cpio.gz(/etc/inittab): error: [trap1] a FIFO, not a regular file"

echo "== a concatenated initramfs (early cpio + compressed main archive)"
printf '#mtree\n./kernel/x86/microcode/GenuineIntel.bin type=file mode=0644 contents=%s\n' "$T/files/rcS" >"$T/early.mtree"
bsdtar -cf "$T/early.cpio" --format newc "@$T/early.mtree" || fail "bsdtar early.cpio"
cat "$T/early.cpio" "$T/nohvc.cpio.gz" >"$T/initrd.img" || fail "cat initrd.img"
run 1 "$T/initrd.img"
has "initrd.img(/etc/inittab):2: error: [trap1]"
# its microcode has no directory entries: the kernel does not put it in the
# rootfs, but its early loader reads it from the archive, so that is fine
hasnt "does not create"

echo "== after a compressed stream, as the kernel's unpack_to_rootfs reads on (issue 9)"
# zero padding is skipped; a further compressed archive is read (its
# inittab replaces the first one's, as the kernel's would)
cp "$T/good.cpio.gz" "$T/padded.cpio.gz" && head -c 4096 /dev/zero >>"$T/padded.cpio.gz"
run 3 --strict "$T/padded.cpio.gz"
printf '#mtree\n./etc/inittab type=file mode=0644 contents=%s\n' "$T/files/inittab.serial" >"$T/late.mtree"
bsdtar -cf - --format newc "@$T/late.mtree" | gzip -n >"$T/late.cpio.gz" || fail "late.cpio.gz"
cat "$T/good.cpio.gz" "$T/late.cpio.gz" >"$T/two.cpio.gz"
run 1 "$T/two.cpio.gz"
has "two.cpio.gz(/etc/inittab):2: error: [trap1] getty only on ttyS0"
# junk after the stream stops the kernel's unpacking there ("invalid magic
# at start of compressed archive"; it boots on with what came before): a
# finding naming where the junk starts, with or without zero padding
# before it, and the rest of the image is still checked
size=$(stat -c %s "$T/good.cpio.gz")
{ cat "$T/good.cpio.gz"; printf 'JUNK'; } >"$T/junk.cpio.gz"
run 1 "$T/junk.cpio.gz"
has "junk.cpio.gz: error: [boot] the kernel's unpacking of this initramfs fails at byte $size: \"invalid magic at start of compressed archive\" (junk: not zero padding, a cpio archive or a compressed stream; the archive before it ends at byte $size)"
has "junk.cpio.gz(/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17.0): note: [trap2]"
{ cat "$T/good.cpio.gz"; head -c 100 /dev/zero; printf 'JUNK'; } >"$T/junk2.cpio.gz"
run 1 "$T/junk2.cpio.gz"
has "fails at byte $((size + 100)): \"invalid magic at start of compressed archive\" (junk: not zero padding, a cpio archive or a compressed stream; the archive before it ends at byte $size, zero padding follows)"
# after an xz or a zstd stream the same: core/decomp decodes all three and
# says where each stream ends
for c in xz zstd; do
    { cat "$T/good.$c.cpio"; printf 'JUNK'; } >"$T/junk.$c.cpio"
    run 1 "$T/junk.$c.cpio"
    n=$(stat -c %s "$T/good.$c.cpio")
    has "junk.$c.cpio: error: [boot] the kernel's unpacking of this initramfs fails at byte $n: \"invalid magic"
done
# junk inside the stream after the archive's trailer: the kernel's
# flush_buffer stops there ("junk within compressed archive")
{ gzip -dc "$T/good.cpio.gz"; printf 'JUNK'; } | gzip -n >"$T/injunk.cpio.gz"
run 1 "$T/injunk.cpio.gz"
has "injunk.cpio.gz: error: [boot] the kernel's unpacking of this initramfs fails at byte 0, the gzip stream's decompressed byte $(gzip -dc "$T/good.cpio.gz" | wc -c): \"junk within compressed archive\""
# a gzip member whose CRC-32 is wrong (libarchive does not check it; the
# kernel's gunzip does)
cp "$T/good.cpio.gz" "$T/badcrc.cpio.gz"
printf '\x00\x00\x00\x00' | dd of="$T/badcrc.cpio.gz" bs=1 seek=$((size - 8)) conv=notrunc status=none
run 2 "$T/badcrc.cpio.gz"
has "badcrc.cpio.gz: corrupt gzip data"

echo "== an mkdom0 output directory: grub.cfg + rootfs + a hypervisor of another release"
mkdir -p "$T/out-dir"
cp "$T/good.cpio.gz" "$T/out-dir/rootfs.cpio.gz"
fake_bzimage "$KVER" "$T/out-dir/vmlinuz"   # the release of the good rootfs's modules
cat >"$T/out-dir/grub.cfg" <<'EOF'
menuentry 'dom0' {
    multiboot2 /xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256
    module2 /vmlinuz console=ttyS0,115200 console=hvc0
    module2 --nounzip /rootfs.cpio.gz
}
EOF
# what a hypervisor carries for its version: Xen's banner and its gzip'd Kconfig
fakexen() { # VERSION OUT
    { printf '\177ELF\2\1\1\0\0\0\0\0\0\0\0\0Xen version %%d.%%d%%s\0'
      printf '#\n# Automatically generated file; DO NOT EDIT.\n# Xen/x86 %s Configuration\n#\n' "$1" | gzip -n
    } | gzip -n >"$2"
}
fakexen 4.20.1 "$T/out-dir/xen.gz"
run 1 "$T/out-dir"
has "grub.cfg:3: error: [boot] menuentry 'dom0': the rootfs /rootfs.cpio.gz has no /init and the dom0 kernel line has no rdinit="
has "error: [trap2] the toolstack is Xen 4.17 but the hypervisor"
has "is Xen 4.20"
# the same files, named one by one; and the hypervisor given explicitly
run 1 "$T/out-dir/grub.cfg" "$T/out-dir/rootfs.cpio.gz" --xen "$T/out-dir/xen.gz"
has "is Xen 4.20"
has "has no rdinit="
# the hypervisor of the toolstack's release, and rdinit= set: clean
fakexen 4.17.7 "$T/out-dir/xen.gz"
sed -i 's|console=hvc0$|console=hvc0 rdinit=/sbin/init|' "$T/out-dir/grub.cfg"
run 0 --strict "$T/out-dir"
hasnt "[trap2]"
# config, rootfs and hypervisor together: everything checked, and said so;
# the summary counts the files read, not the one directory named (fresh-user
# trial of #10, case 3)
hasnt "not checked"
has "mkdom0 lint: no findings in 3 inputs (exit status 0: every trap was checked)"
run 0 --json "$T/out-dir"
sed -n '/^{/,/^}/p' "$T/out" | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["not_checked"] == 0 and d["errors"] == 0 and d["unchecked"] == 0, d' ||
    fail "--json of an output directory counts something not checked"
# trap 5 across kernel and rootfs: the kernel that boots (its bzImage
# header's release, whatever the file is called) needs its own modules
cp "$T/out-dir/vmlinuz" "$T/out-dir/vmlinuz.keep"
fake_bzimage 6.12.0-9-amd64 "$T/out-dir/vmlinuz"
run 1 "$T/out-dir"
has "grub.cfg:3: error: [trap5] the dom0 kernel $T/out-dir/vmlinuz is release 6.12.0-9-amd64 (its bzImage header), but the rootfs $T/out-dir/rootfs.cpio.gz has no /lib/modules/6.12.0-9-amd64 (it holds modules for $KVER)"
# a stand-in kernel is no kernel Xen starts: an error naming it (issue 10:
# it was a 'not checked' note, exit 0), with or without its rootfs (alone
# nothing at all was said)
echo "stand-in kernel" >"$T/out-dir/vmlinuz"
run 1 "$T/out-dir"
has "grub.cfg:3: error: [boot] the dom0 kernel $T/out-dir/vmlinuz is no Linux kernel (it is text: 'stand-in kernel'): Xen on x86 starts a bzImage or an ELF kernel (vmlinux), plain or compressed, and nothing else"
hasnt "not checked"
mkdir -p "$T/lone-kernel"
cp "$T/out-dir/grub.cfg" "$T/out-dir/vmlinuz" "$T/lone-kernel/"
run 1 "$T/lone-kernel/grub.cfg"
has "grub.cfg:3: error: [boot] the dom0 kernel $T/lone-kernel/vmlinuz is no Linux kernel (it is text: 'stand-in kernel')"
# a vmlinux (ELF), gzip'd: its release from its 'Linux version' banner,
# against the rootfs's modules (clean: they are its own) ...
vmlinux() { # RELEASE OUT: an ELF image with the kernel's banner (none: "")
    { printf '\177ELF\2\1\1\0'; head -c 5000 /dev/zero
      [ -z "$1" ] || printf 'Linux version %s (debian-kernel@lists.debian.org) (gcc-12) #1 SMP\n' "$1"
      head -c 5000 /dev/zero; } >"$2"
}
vmlinux "$KVER" "$T/vmlinux" && gzip -9n <"$T/vmlinux" >"$T/out-dir/vmlinuz"
run 0 --strict "$T/out-dir"
hasnt "not checked"
vmlinux 6.12.0-9-amd64 "$T/vmlinux" && xz <"$T/vmlinux" >"$T/out-dir/vmlinuz"
run 1 "$T/out-dir"
has "grub.cfg:3: error: [trap5] the dom0 kernel $T/out-dir/vmlinuz is release 6.12.0-9-amd64 (its 'Linux version' banner), but the rootfs $T/out-dir/rootfs.cpio.gz has no /lib/modules/6.12.0-9-amd64"
# ... and without a banner: trap 5 cannot be checked, never a pass
vmlinux "" "$T/out-dir/vmlinuz"
run 1 "$T/out-dir"
has "grub.cfg:3: warning: [trap5] cannot check trap 5 for the dom0 kernel $T/out-dir/vmlinuz: it is an ELF kernel (vmlinux) with no kernel release in it"
has "some lines could not be checked"
# the rootfs where the dom0 kernel belongs: an error by content
sed -i 's|module2 /vmlinuz|module2 /rootfs.cpio.gz|' "$T/out-dir/grub.cfg"
run 1 "$T/out-dir/grub.cfg" "$T/out-dir/rootfs.cpio.gz"
has "grub.cfg:3: error: [boot] the dom0 kernel $T/out-dir/rootfs.cpio.gz is a cpio archive inside gzip data (an initramfs or rootfs), not a Linux kernel"
sed -i 's|module2 /rootfs.cpio.gz console|module2 /vmlinuz console|' "$T/out-dir/grub.cfg"
mv "$T/out-dir/vmlinuz.keep" "$T/out-dir/vmlinuz"
# a damaged dom0 kernel is an error naming it and what is wrong, not a pass
# (trial9x F3: a vmlinuz cut to 100000 bytes, or with 100 KB of its xz
# payload zeroed, passed --strict with exit 0); the whole one is clean
cp "$T/out-dir/vmlinuz" "$T/out-dir/vmlinuz.keep"
run 0 --strict "$T/out-dir"
head -c 1060 "$T/out-dir/vmlinuz.keep" >"$T/out-dir/vmlinuz"
run 1 --strict "$T/out-dir"
has "grub.cfg:3: error: [boot] the dom0 kernel $T/out-dir/vmlinuz is an x86 bzImage, but damaged: cut short: its boot header gives 1024 bytes of setup (setup_sects 1) and "
has "but the file has 1060; Xen cannot start it as dom0 and nothing boots; copy the kernel again"
hasnt "not checked"
cp "$T/out-dir/vmlinuz.keep" "$T/out-dir/vmlinuz"
printf '\0\0\0\0\0\0\0\0' | dd of="$T/out-dir/vmlinuz" bs=1 seek=1034 conv=notrunc status=none
run 1 --strict "$T/out-dir"
has "grub.cfg:3: error: [boot] the dom0 kernel $T/out-dir/vmlinuz is an x86 bzImage, but damaged: its payload ("
has "bytes at offset 1024): its gzip data does not decompress"
# a payload_length past the end of the file
cp "$T/out-dir/vmlinuz.keep" "$T/out-dir/vmlinuz"
printf '\377\377' | dd of="$T/out-dir/vmlinuz" bs=1 seek=$((0x24c)) conv=notrunc status=none
run 1 "$T/out-dir"
has "its boot header puts the payload Xen decompresses (payload_length 65535 bytes at 1024) past the end of the file"
mv "$T/out-dir/vmlinuz.keep" "$T/out-dir/vmlinuz"

# a damaged hypervisor: an error naming it (trial9x F4: a xen.gz whose ELF
# was cut, its LOAD segment running past the end, passed --strict)
xenelf() { # VERSION CUT OUT: an ELF32 Xen, one PT_LOAD of all of it, CUT bytes cut off, gzip'd
    python3 - "$1" "$2" "$3" <<'PY'
import gzip, struct, sys
cfg = gzip.compress(("#\n# Automatically generated file; DO NOT EDIT.\n# Xen/x86 %s Configuration\n#\n" % sys.argv[1]).encode(), mtime=0)
body = b"Xen version %d.%d%s\0" + cfg + bytes(1000)
n = 52 + 32 + len(body)
hdr = b"\x7fELF\x01\x01\x01" + bytes(9) + struct.pack("<HHIIIIIHHHHHH", 2, 3, 1, 0x100000, 52, 0, 0, 52, 32, 1, 0, 0, 0)
ph = struct.pack("<IIIIIIII", 1, 0, 0x100000, 0x100000, n, n, 7, 4)
img = (hdr + ph + body)[:n - int(sys.argv[2])]
open(sys.argv[3], "wb").write(gzip.compress(img, mtime=0))
PY
}
mkdir -p "$T/xen-tmp" # not next to the rootfs archives below: lint reads xen*.gz there
cp "$T/out-dir/xen.gz" "$T/xen-tmp/keep"
xenelf 4.17.7 0 "$T/out-dir/xen.gz"
run 0 --strict "$T/out-dir"
xenelf 4.17.7 100 "$T/out-dir/xen.gz"
run 2 --strict "$T/out-dir"
has "mkdom0 lint: error: $T/out-dir/xen.gz (the ELF it decompresses to): its segment 0 (type 1, "
has "runs 100 bytes past its end ("
has "a damaged Xen image (cut short or overwritten): copy it again"
# the gzip around it cut: its own check says so
xenelf 4.17.7 0 "$T/xen-tmp/whole"
head -c $(( $(stat -c %s "$T/xen-tmp/whole") - 6 )) "$T/xen-tmp/whole" >"$T/out-dir/xen.gz"
run 2 --strict "$T/out-dir"
has "mkdom0 lint: error: $T/out-dir/xen.gz: truncated gzip data"
cp "$T/xen-tmp/keep" "$T/out-dir/xen.gz"
rm -r "$T/xen-tmp"

# lint DIR reads no file a symlink leads out of DIR to: a loader resolves
# it on its own partition, not on this host (trial9x F9: a grub.cfg ->
# /elsewhere/grub.cfg was read and reported as the directory's config)
mkdir -p "$T/abs-dir/boot/grub" "$T/elsewhere"
cp "$T/out-dir/grub.cfg" "$T/elsewhere/grub.cfg"
ln -s "$T/elsewhere/grub.cfg" "$T/abs-dir/boot/grub/grub.cfg"
run 2 "$T/abs-dir"
has "mkdom0 lint: error: $T/abs-dir/boot/grub/grub.cfg leads out of $T/abs-dir (to $T/elsewhere/grub.cfg, through a symlink): a loader resolves a symlink on its own partition, not on this host, so lint does not read it"
hasnt "read as GRUB 2 config"
# a relative one inside it is read
rm "$T/abs-dir/boot/grub/grub.cfg"
cp "$T/out-dir/grub.cfg" "$T/abs-dir/boot/grub/real.cfg"
ln -s real.cfg "$T/abs-dir/boot/grub/grub.cfg"
run 1 "$T/abs-dir"
has "read as GRUB 2 config"
# and a file an entry loads: not read from the host either
cp -r "$T/out-dir" "$T/abs-out"
mv "$T/abs-out/xen.gz" "$T/elsewhere/xen.gz"
ln -s "$T/elsewhere/xen.gz" "$T/abs-out/xen.gz"
run 1 "$T/abs-out"
has "grub.cfg:2: error: [boot] menuentry 'dom0' loads /xen.gz, but $T/abs-out/xen.gz leads out of $T/abs-out (to $T/elsewhere/xen.gz, through a symlink)"
hasnt "xen.gz: read as hypervisor image"
rm -rf "$T/abs-out" "$T/abs-dir" "$T/elsewhere"
# trial 9: the rootfs and hypervisor checked are the ones the entry loads,
# not the first rootfs.cpio* and xen*.gz by name (rootfs.cpio.bak and
# xen-4.20.gz sort first), and lint says which rootfs it read
cp "$T/nohvc.cpio.gz" "$T/out-dir/rootfs.cpio.bak"
fakexen 4.20.1 "$T/out-dir/xen-4.20.gz"
run 0 --strict "$T/out-dir"
has "out-dir/rootfs.cpio.gz: read as rootfs archive, the one grub.cfg:4 loads"
hasnt "rootfs.cpio.bak"
hasnt "[trap2]"
# ... and when the entry loads the other one, that one is checked
sed -i 's|--nounzip /rootfs.cpio.gz|--nounzip /rootfs.cpio.bak|; s|multiboot2 /xen.gz|multiboot2 /xen-4.20.gz|' "$T/out-dir/grub.cfg"
run 1 "$T/out-dir"
has "out-dir/rootfs.cpio.bak: read as rootfs archive, the one grub.cfg:4 loads"
has "rootfs.cpio.bak(/etc/inittab):2: error: [trap1] getty only on ttyS0"
has "is Xen 4.20"
sed -i 's|--nounzip /rootfs.cpio.bak|--nounzip /rootfs.cpio.gz|; s|multiboot2 /xen-4.20.gz|multiboot2 /xen.gz|' "$T/out-dir/grub.cfg"
rm "$T/out-dir/rootfs.cpio.bak" "$T/out-dir/xen-4.20.gz"
# something called xen.gz that is no hypervisor: exit 2, naming it
echo "not xen" | gzip >"$T/out-dir/xen.gz"
run 2 "$T/out-dir"
has "xen.gz: not a Xen hypervisor image"
# ... also when it is the only input (issue 9: it passed silently)
run 2 "$T/out-dir/xen.gz"
has "xen.gz: not a Xen hypervisor image"
# a hypervisor alone: every trap it cannot show is named, no clean pass (trial10g 7)
fakexen 4.17.7 "$T/alone-xen.gz"
run 3 "$T/alone-xen.gz"
has "alone-xen.gz: not checked: traps 1, 3 and 5 and trap 2's toolstack"
has "not all traps were checked"
hasnt "no findings in 1 input"
# a grub.cfg that loads a rootfs the output directory does not hold: not a pass
fakexen 4.17.7 "$T/out-dir/xen.gz"
mv "$T/out-dir/rootfs.cpio.gz" "$T/rootfs-away.cpio.gz"
run 1 --strict "$T/out-dir"
has "grub.cfg:4: error: [boot] menuentry 'dom0' loads /rootfs.cpio.gz, which is not in this directory"
# a FIFO or a symlink to /dev/zero there: named as what it is, not as missing (trial 9d)
mkfifo "$T/out-dir/rootfs.cpio.gz"
run 1 --strict "$T/out-dir"
has "loads /rootfs.cpio.gz, but $T/out-dir/rootfs.cpio.gz is a FIFO, not a regular file"
rm "$T/out-dir/rootfs.cpio.gz"; ln -s /dev/zero "$T/out-dir/rootfs.cpio.gz"
run 1 --strict "$T/out-dir"
has "loads /rootfs.cpio.gz, but $T/out-dir/rootfs.cpio.gz is a symlink to /dev/zero, a character device, not a regular file"
rm "$T/out-dir/rootfs.cpio.gz"
mv "$T/rootfs-away.cpio.gz" "$T/out-dir/rootfs.cpio.gz"
# trial 9 case 05: a path that climbs out of the directory is not "in it"
# (joined to DIR it was the host's /etc/hostname), and a path from a variable
# never set is "could not check", not a pass
cp "$T/out-dir/grub.cfg" "$T/grub.keep"
sed -i 's|--nounzip /rootfs.cpio.gz|--nounzip /../../../../../../etc/hostname|' "$T/out-dir/grub.cfg"
run 1 --strict "$T/out-dir"
has "loads /../../../../../../etc/hostname, which is not in this directory"
cp "$T/grub.keep" "$T/out-dir/grub.cfg"
sed -i 's|--nounzip /rootfs.cpio.gz|--nounzip /${rootfs}|' "$T/out-dir/grub.cfg"
run 1 --strict "$T/out-dir"
has "loads /\${rootfs}: lint could not check that file"
has "some lines could not be checked"
cp "$T/grub.keep" "$T/out-dir/grub.cfg"

echo "== names are no releases: only binaries say which Xen a toolstack is (issue 10)"
# trixie's xen-utils-4.20 ships /usr/lib/xen-4.20/lib/python/xen-3.0.egg-info:
# with the 4.20 hypervisor and a libxenctrl of 4.17, the one finding is the
# library's 4.17; neither 3.0 nor the directory's 4.20 is a toolstack
mkdir -p "$T/names"
mkcpio names.cpio.gz gzip "./usr/lib/xen-4.20=type=dir mode=0755" \
    "./usr/lib/xen-4.20/lib/python/xen-3.0.egg-info=type=dir mode=0755"
fakexen 4.20.1 "$T/names/xen.gz"
run 1 "$T/names.cpio.gz" --xen "$T/names/xen.gz"
has "error: [trap2] the toolstack is Xen 4.17 but the hypervisor"
hasnt "3.0"
hasnt "toolstack of Xen 4.20"
# the same with no libxenctrl at all: Xen userland whose release cannot be
# read is said, never guessed from /usr/lib/xen-4.20
mkcpio userland.cpio.gz gzip "./usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17.0=-" \
    "./usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17=-" "./usr/lib/xen-4.20=type=dir mode=0755" \
    "./usr/lib/xen-4.20/lib/python/xen-3.0.egg-info=type=dir mode=0755" \
    "./usr/lib/xen-4.20/bin/xl=type=file mode=0755 contents=$T/files/xl"
# xl does not start without libxenctrl (ld.so): an error, and never exit 0
# with "cannot check" (trial10g 14)
run 1 "$T/userland.cpio.gz" --xen "$T/names/xen.gz"
has "userland.cpio.gz(/usr/lib/xen-4.20/bin/xl): error: [trap2] Xen userland"
has "the dynamic loader does not start them"
hasnt "[trap2] the toolstack"
"$MKDOM0" lint --json "$T/userland.cpio.gz" --xen "$T/names/xen.gz" >"$T/json" 2>/dev/null
python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))
f = [x for x in d["findings"] if x["trap"] == 2]
assert f and not f[0]["checked"] and d["unchecked"] >= 1, d' "$T/json" || fail "--json says trap 2 was checked with no libxenctrl"
# what a hand-trimmed rootfs leaves: the soname link dangling (trial10g r22)
mkcpio dangling.cpio.gz gzip "./usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17.0=-" \
    "./usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17=type=link link=libxenctrl.so.4.17.0" \
    "./usr/sbin/xenstored=type=file mode=0755 contents=$T/files/xl"
run 1 "$T/dangling.cpio.gz" --xen "$T/names/xen.gz"
has "dangling.cpio.gz(/usr/sbin/xenstored): error: [trap2] Xen userland"
has "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17 is a link to libxenctrl.so.4.17.0, which is not in the rootfs"
# a directory alone is no toolstack at all
mkcpio dironly.cpio.gz gzip "./usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17.0=-" \
    "./usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17=-" "./usr/lib/xen-4.20=type=dir mode=0755"
run 3 "$T/dironly.cpio.gz" --xen "$T/names/xen.gz"
has "no libxenctrl in the rootfs"
hasnt "[trap2] the toolstack"
# a file named libxenctrl.so.4.17.0 that is no shared object: not read by its name
mkcpio noelf.cpio.gz gzip \
    "./usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17.0=type=file mode=0644 contents=$T/files/empty"
run 1 "$T/noelf.cpio.gz" --xen "$T/names/xen.gz"
has "warning: [trap2] cannot check: the release of this libxenctrl"
has "some lines could not be checked"   # never exit 0 on "cannot check" (trial10g 14)
hasnt "error: [trap2]"

echo "== a xen*.gz that only lies next to the rootfs and is no hypervisor: a warning"
mkdir -p "$T/near"
cp "$T/good.cpio.gz" "$T/near/"
echo junk | gzip >"$T/near/xen-4.17-amd64.gz"
run 3 "$T/near/good.cpio.gz"
has "warning: [trap2] found next to"
has "name the hypervisor with --xen"
run 2 "$T/near/good.cpio.gz" --xen "$T/near/xen-4.17-amd64.gz"
has "xen-4.17-amd64.gz: not a Xen hypervisor image"

echo "== damaged archives: exit 2 naming the file"
head -c $(( $(stat -c %s "$T/good.cpio.gz") / 2 )) "$T/good.cpio.gz" >"$T/truncated.cpio.gz"
run 2 "$T/truncated.cpio.gz"
has "truncated.cpio.gz"
head -c $(( $(stat -c %s "$T/good.none.cpio") / 2 )) "$T/good.none.cpio" >"$T/truncated.cpio"
run 2 --rootfs "$T/truncated.cpio"
has "truncated.cpio"
: >"$T/empty.cpio.gz"
run 2 "$T/empty.cpio.gz"
has "empty.cpio.gz: empty file"
head -c 2000 /dev/urandom | gzip >"$T/random.cpio.gz"
run 2 "$T/random.cpio.gz"
has "random.cpio.gz"
run 2 --rootfs "$T/out-dir/grub.cfg"
has "grub.cfg"

echo "== hostile inputs (issue 9): refused within 2.5 GB (bombs: 1 GB) of memory and 2 minutes, naming the limit"
python3 - "$T" <<'PY'
import gzip, sys
t = sys.argv[1]
def newc(name, mode, data=b''):
    nb = name.encode() + b'\0'
    h = '070701' + ''.join('%08X' % v for v in [0, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0])
    o = h.encode() + nb
    o += b'\0' * ((4 - len(o) % 4) % 4)
    return o + data + b'\0' * ((4 - len(data) % 4) % 4)
# one entry 100,000 levels deep: 296 bytes of gzip
open(t + '/deep.cpio.gz', 'wb').write(gzip.compress(newc('/'.join(['a'] * 100000), 0o100644, b'x') + newc('TRAILER!!!', 0)))
# 1.2 GiB of zero-filled files in 1.2 MB of gzip
with gzip.open(t + '/zeros.cpio.gz', 'wb', compresslevel=9) as f:
    z = b'\0' * (1 << 20)
    for i in range(1200):
        f.write(newc('z%04d' % i, 0o100644, z))
    f.write(newc('TRAILER!!!', 0))
PY
# (made in python: bash's cd checks every component of the path it enters,
# so 2,000 cd's into ever deeper directories took two minutes)
mkdir -p "$T/deepdir"
python3 -c 'import os, sys
os.chdir(sys.argv[1])
for _ in range(2000):
    os.mkdir("a"); os.chdir("a")
open("f", "w").write("x\n")' "$T/deepdir" || fail "cannot make the deep directory"
capped() { memcap 2500000 timeout 120 "$@"; }
for a in "$T/deepdir" "$T/zeros.cpio.gz"; do
    rc=0; capped "$MKDOM0" lint --rootfs "$a" >"$T/out" 2>&1 || rc=$?
    sed 's/^/    /' "$T/out" | cut -c1-240
    [ $rc = 2 ] || fail "lint --rootfs $a exited $rc, expected 2 (refused)"
done
# the kernel skips a name longer than PATH_MAX (do_header), so lint names
# the entry it drops and checks the rest, within the same bounds
rc=0; capped "$MKDOM0" lint --rootfs "$T/deep.cpio.gz" >"$T/out" 2>&1 || rc=$?
[ $rc = 1 ] || fail "lint --rootfs deep.cpio.gz exited $rc, expected 1 (findings)"
has "the kernel does not create 1 entry of this initramfs"
has "$(printf 'a/%.0s' $(seq 60))...: its name is longer than PATH_MAX (4096 bytes with its NUL)"
rc=0; capped "$MKDOM0" lint --rootfs "$T/deepdir" >"$T/out" 2>&1 || rc=$?; has "path more than 256 levels deep (the limit)"
# (1.2 GiB from 1.2 MB: refused at the cap on content in all, 1 GiB; an
# image is not held to a compression ratio, as a real one may hold a file of
# zeros: trial 9d case 09, test 72)
rc=0; capped "$MKDOM0" lint --rootfs "$T/zeros.cpio.gz" >"$T/out" 2>&1 || rc=$?
has "zeros.cpio.gz member z1"
has "content beyond the limit of 1073741824 bytes in all"
# the same kind of bomb through xz and zstd, whose ratios go far beyond
# gzip's: 1040 MiB of zeros in 2 MiB files (which lint reads past) in a few
# hundred KB, under a memory cap far below what it unpacks: read to the
# total cap, holding none of it
for c in xz zstd; do
    python3 - "$T/zeros.cpio.$c" "$c" <<'PY' || fail "$c bomb"
import subprocess, sys
def newc(name, mode, data=b''):
    nb = name.encode() + b'\0'
    h = '070701' + ''.join('%08X' % v for v in [0, mode, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(nb), 0])
    o = h.encode() + nb
    o += b'\0' * ((4 - len(o) % 4) % 4)
    return o + data + b'\0' * ((4 - len(data) % 4) % 4)
with open(sys.argv[1], 'wb') as out:
    p = subprocess.Popen([sys.argv[2], '-1', '-q', '-c'], stdin=subprocess.PIPE, stdout=out)
    z = b'\0' * (2 << 20)
    for i in range(520):
        p.stdin.write(newc('z%04d' % i, 0o100644, z))
    p.stdin.write(newc('TRAILER!!!', 0))
    p.stdin.close()
    sys.exit(p.wait())
PY
    rc=0; memcap 250000 timeout 120 "$MKDOM0" lint --rootfs "$T/zeros.cpio.$c" >"$T/out" 2>&1 || rc=$?
    sed 's/^/    /' "$T/out" | cut -c1-240
    [ $rc = 2 ] || fail "lint --rootfs zeros.cpio.$c exited $rc, expected 2 (refused)"
    has "zeros.cpio.$c member z05"
    has "content beyond the limit of 1073741824 bytes in all"
done
printf '[Image]\nBase=default\n\n[Files]\nOverlay=%s\n' "$T/deepdir" >"$T/deep-overlay.ini"
rc=0; capped "$MKDOM0" build -o "$T/deep-out" "$T/deep-overlay.ini" >"$T/out" 2>&1 || rc=$?
[ $rc = 1 ] || { cat "$T/out"; fail "a build with a 2000-level overlay exited $rc, expected 1"; }
has "overlay $T/deepdir: "
has "path more than 256 levels deep"
echo "== a rootfs holding a file of almost 1 GiB (issue 9): lint holds only the files it reads"
# 12 MiB of random data beside the zeros, as a real
# rootfs's binaries; the zeros are one member of 1008 MiB (the total of
# content may not pass 1 GiB, so it could be held whole,
# at 1 GiB of memory and more)
python3 - "$T/big.cpio.gz" "$T/files/libxenctrl.so.4.17.0" <<'PY' || fail "big rootfs"
import os, sys, zlib
out, ctrl = sys.argv[1], open(sys.argv[2], 'rb').read()
def hdr(name, mode, size):
    nb = name.encode() + b'\0'
    h = '070701' + ''.join('%08X' % v for v in [0, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, len(nb), 0])
    o = h.encode() + nb
    return o + b'\0' * ((4 - len(o) % 4) % 4)
pad = lambda n: b'\0' * ((4 - n % 4) % 4)
c = zlib.compressobj(1, zlib.DEFLATED, 16 + 15)
with open(out, 'wb') as f:
    w = lambda b: f.write(c.compress(b))
    for name, mode, data in [('etc', 0o40755, b''),
                             ('etc/inittab', 0o100644, b'hvc0::respawn:/sbin/getty -L 115200 hvc0 vt100\n'),
                             ('bin', 0o40755, b''), ('bin/busybox', 0o100755, b'\x7fELF'),
                             ('sbin', 0o40755, b''), ('sbin/init', 0o120777, b'../bin/busybox'),
                             ('usr', 0o40755, b''), ('usr/lib', 0o40755, b''),
                             ('usr/lib/libxenctrl.so.4.17.0', 0o100644, ctrl),
                             ('var', 0o40755, b''), ('var/random', 0o100644, os.urandom(12 << 20))]:
        w(hdr(name, mode, len(data)) + data + pad(len(data)))
    size = 1008 << 20
    w(hdr('var/zero', 0o100644, size))
    z = b'\0' * (1 << 20)
    for i in range(size >> 20):
        w(z)
    w(hdr('TRAILER!!!', 0, 0))
    f.write(c.flush())
PY
# RSS as /usr/bin/time measures it, and under ulimit -v (memcap) so that a
# regression cannot take the machine; under ASan (check-asan) the sanitizer's
# shadow memory makes both meaningless, so only the outcome is checked there
rc=0; memcap 600000 timeout 120 /usr/bin/time -f 'maxrss %M' -o "$T/rss" \
    "$MKDOM0" lint --rootfs "$T/big.cpio.gz" >"$T/out" 2>&1 || rc=$?
sed 's/^/    /' "$T/out"; cat "$T/rss"
[ $rc = 1 ] || fail "lint of the rootfs with a 1008 MiB file exited $rc, expected 1 (its findings)"
has "the toolstack is Xen 4.17"    # the files lint reads are still read
has "nothing creates /dev/xen/*"
hasnt "limit"
rss=$(sed -n 's/^maxrss //p' "$T/rss")
if [ -z "${ASAN_OPTIONS:-}" ]; then
    [ "${rss:-999999}" -lt 150000 ] || fail "lint held ${rss} KB for a rootfs whose files it reads are a few KB"
else
    echo "    (under ASan: the 150 MB RSS bound is not checked)"
fi
echo "== trial 10f: an archive is applied as the kernel unpacks an initramfs (init/initramfs.c)"
F=$(cd "$(dirname "$0")/../data/lint/trial10f" && pwd)
# entries before their directory (find -depth): dropped, no parent made
run 1 "$F/c6-find-depth-order.cpio.gz"
has "the kernel does not create 7 entries of this initramfs"
has "/etc/inittab: its directory /etc is not there yet"
has "neither /init nor /sbin/init exists"
# several cpio archives in one compressed stream: all are unpacked (flush_buffer)
for f in c9-two-cpios-one-gzip.cpio.gz c9b-two-cpios-one-zstd.cpio.zst; do
    run 1 "$F/$f"
    has "$f(/etc/inittab):2: error: [trap1] getty only on ttyS0"
done
run 3 "$F/c9d-two-cpios-one-gzip-good.cpio.gz"
hasnt "[trap1]"
# odc, bin and tar: the kernel's do_header refuses them, nothing is unpacked
run 1 "$F/c7-odc-cpio.cpio.gz"
has '"incorrect cpio method used: use -H newc option" (an odc cpio'
has "neither /init nor /sbin/init exists"
run 1 "$F/c7d-bin.cpio.gz"
has '"no cpio magic" (not a newc cpio'
hasnt "hardlink target"
run 1 "$F/c7c-rootfs.tar.gz"
has '"no cpio magic" (a tar archive'
# ... and so when a boot entry loads them (found next to the config)
run 1 "$F/c8/boot/grub/grub.cfg"
has 'rootfs.cpio.gz: error: [boot] the kernel'"'"'s unpacking of this initramfs fails'
has "incorrect cpio method used"
run 1 "$F/c8/boot/grub/tar.cfg"
has 'rootfs.tar.gz: error: [boot] the kernel'"'"'s unpacking of this initramfs fails'
has '"no cpio magic" (a tar archive'
# an uncompressed cpio at an offset not a multiple of 4 stops the kernel
run 1 "$F/c2-unaligned-plain-cpio-after-gzip.cpio"
has 'byte 406: "invalid magic at start of compressed archive"'
has "c2-unaligned-plain-cpio-after-gzip.cpio(/etc/inittab):2: error: [trap1] getty only on ttyS0"
# zero padding before the first segment is skipped
run 1 "$F/c3-leading-zero-padding.cpio.gz"
has "c3-leading-zero-padding.cpio.gz(/etc/inittab):2: error: [trap1] getty only on ttyS0"
hasnt "neither /init nor /sbin/init"
# a directory replaces a merged-/usr symlink (clean_path), and the cost is named
run 1 "$F/c1-mergedusr-overlay-dir.cpio.gz"
has "/sbin: the symlink to usr/sbin is replaced by a directory"
has "init runs /sbin/openrc at sysinit, which the rootfs does not have"
hasnt "conflict"
# a file written through a symlinked parent lands where the symlink points
# (its inittab mounts devtmpfs at sysinit through sh -c, which trap 3 now
# follows: no finding is left but the warning that no modules are there)
run 3 "$F/c17-write-through-symlinked-dir.cpio"
hasnt "[trap1]"
hasnt "writing through a symlink"
echo "all lint rootfs checks passed"
