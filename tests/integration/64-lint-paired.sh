#!/usr/bin/env bash
# mkdom0 lint on a boot config given alone, with the files it loads lying
# next to it (a copy of /boot, one config out of an output directory): the
# rootfs and hypervisor its entry loads are checked for every trap, as
# `mkdom0 lint DIR` checks them (trial10f cases 11 and 21); a rootfs with two
# hypervisors next to it (14); Debian's multi-release toolstack layout (12);
# xen.efi as an input (13).  With Debian's real hypervisors (12 and 13) and
# libxenctrl, Xen's EFI binaries and xen-utils-common's wrapper.
set -uo pipefail
MKDOM0=${MKDOM0:-$(cd "$(dirname "$0")/../.." && pwd)/build/mkdom0}
. "$(cd "$(dirname "$0")/.." && pwd)/lib.sh"
. "$(cd "$(dirname "$0")/.." && pwd)/lint-lib.sh"
need dpkg-deb apt-get bsdtar gzip python3 objcopy
x17=$(test_deb xen-hypervisor-4.17-amd64) || exit
x20=$(test_deb --trixie xen-hypervisor-4.20-amd64) || exit
l17=$(test_deb libxenmisc4.17) || exit
l20=$(test_deb --trixie libxenmisc4.20) || exit
u17=$(test_deb xen-utils-4.17) || exit
u20=$(test_deb --trixie xen-utils-4.20) || exit
# the wrapper is the same file in 4.17's and 4.20's xen-utils-common
uc=$(test_deb xen-utils-common) || exit

T=$(mktemp -d /tmp/mkdom0-lint-paired.XXXXXX)
trap 'rm -rf "$T"' EXIT
for d in "$x17" "$x20"; do dpkg-deb -x "$d" "$T/xen" || fail "dpkg-deb -x $d"; done

# mkroot DIR INITTAB [DEB...]: a busybox-style root (init and getty links,
# devtmpfs mounted by inittab) with the files of each DEB
mkroot() {
    local r=$1 tab=$2; shift 2
    mkdir -p "$r/bin" "$r/sbin" "$r/etc" "$r/dev" "$r/proc" "$r/sys" "$r/lib/modules"
    printf '#!/bin/sh\nexit 0\n' >"$r/bin/busybox"
    chmod 0755 "$r/bin/busybox"
    ln -sf busybox "$r/bin/sh"
    ln -sf ../bin/busybox "$r/sbin/init"
    ln -sf ../bin/busybox "$r/sbin/getty"
    printf '::sysinit:/bin/sh -c "mount -t devtmpfs dev /dev"\n%s::respawn:/sbin/getty -L 115200 %s vt100\n' \
        "$tab" "$tab" >"$r/etc/inittab"
    for d in "$@"; do dpkg-deb -x "$d" "$r" || fail "dpkg-deb -x $d"; done
    # the ELF interpreter the packages' programs name (libc6 is not
    # unpacked here; lint reports a program whose loader is missing)
    mkdir -p "$r/lib64" && : >"$r/lib64/ld-linux-x86-64.so.2"
}
cpio_gz() { (cd "$1" && bsdtar -cf - --format newc .) | gzip -9n >"$2" || fail "cpio $2"; }
# builtin_xen ROOT: /lib/modules/$KREL of a kernel with the Xen drivers
# built in (modules.builtin), as the dom0 kernel $KREL these tests boot
# (fake_bzimage) needs: lint compares the kernel's release with the rootfs
KREL=6.1.0-57-amd64
builtin_xen() {
    mkdir -p "$1/lib/modules/$KREL"
    printf 'kernel/drivers/xen/%s.ko\n' xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs/xenfs \
        >"$1/lib/modules/$KREL/modules.builtin"
    : >"$1/lib/modules/$KREL/modules.dep"
}

echo "== trial10f c11: mkdom0's own layout; each config alone checks its rootfs as 'lint DIR' does"
O=$T/c15
mkdir -p "$O"
mkroot "$T/rfb" ttyS0
cpio_gz "$T/rfb" "$O/rootfs.cpio.gz"
cp "$T/xen/boot/xen-4.17-amd64.gz" "$O/xen.gz"
fake_bzimage $KREL "$O/vmlinuz"
cat >"$O/grub.cfg" <<'EOF'
menuentry 'Xen' {
	multiboot2 /xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256 console=com1
	module2 /vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init
	module2 --nounzip /rootfs.cpio.gz
}
EOF
cat >"$O/xen.cfg" <<'EOF'
[global]
default=xen
[xen]
options=console=com1 dom0_mem=4096M,max:4096M gnttab_max_frames=256
kernel=vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init
ramdisk=rootfs.cpio.gz
EOF
cat >"$O/pxe.cfg" <<'EOF'
DEFAULT xen
LABEL xen
 KERNEL mboot.c32
 APPEND xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256 --- vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init --- rootfs.cpio.gz
EOF
run 1 "$O"
has "$O/rootfs.cpio.gz(/etc/inittab):2: error: [trap1] getty only on ttyS0, none on hvc0"
for c in grub.cfg xen.cfg pxe.cfg; do
    run 1 "$O/$c"
    has "$O/rootfs.cpio.gz: read as rootfs archive, the one $c:"
    has "$O/rootfs.cpio.gz(/etc/inittab):2: error: [trap1] getty only on ttyS0, none on hvc0"
    has "$O/rootfs.cpio.gz: warning: [trap5] no /lib/modules/VERSION"
    hasnt "not checked: traps 2, 3 and 5"
    "$MKDOM0" lint --json "$O/$c" >"$T/json" 2>/dev/null
    python3 - "$T/json" <<'PY' || fail "--json of $c lacks the rootfs trap 1 error"
import json, sys
d = json.load(open(sys.argv[1]))
assert any(f["trap"] == 1 and f["severity"] == "error" and "rootfs.cpio.gz" in f["file"]
           for f in d["findings"]), d
assert d["errors"] >= 1, d
PY
done

echo "== trial10f c11: a copy of /boot with the real hypervisors of Debian 12 and 13"
B=$T/c10/boot
mkdir -p "$B/grub"
cp "$T/xen/boot/xen-4.17-amd64.gz" "$T/xen/boot/xen-4.20-amd64.gz" "$O/vmlinuz" "$B/"
mkroot "$T/rf20" hvc0 "$l20"
builtin_xen "$T/rf20"
mkdir -p "$T/rf20/usr/lib/xen-4.20/bin"
dpkg-deb --fsys-tarfile "$u20" | bsdtar -xf - -C "$T/rf20" ./usr/lib/xen-4.20/bin/xl || fail "xl 4.20"
cpio_gz "$T/rf20" "$B/rootfs.cpio.gz"
cpio_gz "$T/rfb" "$B/rootfs-bad.cpio.gz"
entry() { # TITLE XEN ROOTFS
    printf "menuentry '%s' {\n\tmultiboot2 /boot/%s dom0_mem=4096M,max:4096M gnttab_max_frames=256 console=com1\n\tmodule2 /boot/vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init\n\tmodule2 --nounzip /boot/%s\n}\n" "$@"
}
entry 'Xen 4.17' xen-4.17-amd64.gz rootfs-bad.cpio.gz >"$B/grub/bad.cfg"
entry 'Xen 4.17' xen-4.17-amd64.gz rootfs.cpio.gz >"$B/grub/only417.cfg"
entry 'Xen 4.20' xen-4.20-amd64.gz rootfs.cpio.gz >"$B/grub/only420.cfg"
{ entry 'Xen 4.20' xen-4.20-amd64.gz rootfs.cpio.gz; entry 'Xen 4.17' xen-4.17-amd64.gz rootfs.cpio.gz; } >"$B/grub/grub.cfg"
run 1 "$B/grub/bad.cfg"
has "$B/rootfs-bad.cpio.gz(/etc/inittab):2: error: [trap1] getty only on ttyS0, none on hvc0"
run 1 "$B/grub/only417.cfg"
has "$B/xen-4.17-amd64.gz: read as hypervisor image"
has "libxenctrl of Xen 4.20, by its DT_SONAME libxenctrl.so.4.20) but the hypervisor $B/xen-4.17-amd64.gz is Xen 4.17"
hasnt "xen-4.20-amd64.gz"
run 0 "$B/grub/only420.cfg"
hasnt "[trap2] the toolstack is"
hasnt "not checked: traps 2"
# one rootfs loaded by two entries: checked against each entry's hypervisor
run 1 "$B/grub/grub.cfg"
has "libxenctrl of Xen 4.20, by its DT_SONAME libxenctrl.so.4.20) but the hypervisor $B/xen-4.17-amd64.gz is Xen 4.17"
hasnt "hypervisor $B/xen-4.20-amd64.gz is Xen"
# given explicitly, as before
run 1 --rootfs "$B/rootfs.cpio.gz" --xen "$B/xen-4.17-amd64.gz" "$B/grub/only417.cfg"
has "libxenctrl of Xen 4.20, by its DT_SONAME libxenctrl.so.4.20) but the hypervisor $B/xen-4.17-amd64.gz is Xen 4.17"

echo "== trial10 item 1: the hypervisor an entry loads is missing: said, never a stand-in"
# the entry loads xen-4.19 (not there); xen-4.17 lies beside it, and the
# rootfs's toolstack is 4.20: 4.17 must not be judged in its place
S=$T/stale/boot
mkdir -p "$S/grub"
cp "$B/xen-4.17-amd64.gz" "$B/rootfs.cpio.gz" "$B/vmlinuz" "$S/"
entry 'Xen 4.19' xen-4.19-amd64.gz rootfs.cpio.gz >"$S/grub/grub.cfg"
run 3 "$S/grub/grub.cfg"    # alone: it may be elsewhere, not checked
has "$S/rootfs.cpio.gz: not checked: trap 2 (the toolstack's Xen release against the hypervisor's): the hypervisor /boot/xen-4.19-amd64.gz (grub.cfg:2) that its entry loads is not there"
hasnt "xen-4.17-amd64.gz"
hasnt "error:"
for d in "$S" "$T/stale"; do  # the directory that should hold it: an error on its line
    run 1 "$d"
    has "$S/grub/grub.cfg:2: error: [boot] menuentry 'Xen 4.19' loads /boot/xen-4.19-amd64.gz, which is not in this directory: the entry cannot boot"
    has "the hypervisor /boot/xen-4.19-amd64.gz (grub.cfg:2) that its entry loads is not there"
    hasnt "xen-4.17-amd64.gz"
done

echo "== trial10 item 3: Xen's EFI binary in a multiboot entry is an error (GRUB 2, legacy, mboot.c32)"
M=$T/mb2efi
mkdir -p "$M"
cp "$T/xen/boot/xen-4.17-amd64.efi" "$B/vmlinuz" "$B/rootfs.cpio.gz" "$M/"
printf "menuentry 'Xen' {\n\tmultiboot2 /xen-4.17-amd64.efi dom0_mem=4096M,max:4096M gnttab_max_frames=256 console=com1\n\tmodule2 /vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init\n\tmodule2 --nounzip /rootfs.cpio.gz\n}\n" >"$M/grub.cfg"
printf 'title Xen\n\tkernel /xen-4.17-amd64.efi dom0_mem=4096M,max:4096M gnttab_max_frames=256 console=com1\n\tmodule /vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init\n\tmodulenounzip /rootfs.cpio.gz\n' >"$M/menu.lst"
printf 'DEFAULT xen\nLABEL xen\n KERNEL mboot.c32\n APPEND xen-4.17-amd64.efi dom0_mem=4096M,max:4096M gnttab_max_frames=256 console=com1 --- vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init --- rootfs.cpio.gz\n' >"$M/syslinux.cfg"
for c in grub.cfg:2:multiboot2 menu.lst:2:multiboot syslinux.cfg:4:multiboot; do
    f=${c%%:*} l=${c#*:} l=${l%%:*} p=${c##*:}
    run 1 "$M/$f"
    has "$f:$l: error: [boot] "
    has "the hypervisor $M/xen-4.17-amd64.efi is Xen's EFI binary (xen.efi, a PE image), but this entry boots it with $p (x86 only): Xen starts xen.efi as an EFI program only"
    has "docs/hypervisor-guide/x86/how-xen-boots.rst"
done
cp "$T/xen/boot/xen-4.17-amd64.gz" "$M/"
sed 's/amd64.efi/amd64.gz/' "$M/grub.cfg" >"$M/ok.cfg"   # its xen.gz: no such error
run 1 "$M/ok.cfg"
hasnt "EFI binary"

echo "== trial10f c21: the rootfs next to the config is truncated: an error naming it"
C=$T/c21
mkdir -p "$C"
cp "$O/grub.cfg" "$O/xen.gz" "$O/vmlinuz" "$C/"
head -c 300 "$O/rootfs.cpio.gz" >"$C/rootfs.cpio.gz"
run 2 "$C/grub.cfg"
has "error: $C/rootfs.cpio.gz: truncated gzip data"
has "the rootfs $C/rootfs.cpio.gz that its entry loads cannot be read"
hasnt "is not next to this file"
run 2 "$C"
has "error: $C/rootfs.cpio.gz: truncated gzip data"

echo "== trial10y M3: the rootfs module before the kernel: findings, not an unreadable input"
C=$T/m3
mkdir -p "$C"
cp "$O/xen.gz" "$O/vmlinuz" "$O/rootfs.cpio.gz" "$C/"
printf "menuentry 'Xen' {\n\tmultiboot2 /xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256\n\tmodule2 --nounzip /rootfs.cpio.gz\n\tmodule2 /vmlinuz console=ttyS0,115200 console=hvc0\n}\n" >"$C/grub.cfg"
for a in "$C/grub.cfg" "$C"; do
    run 1 "$a"
    has "grub.cfg:3: error: [boot] the dom0 kernel $C/rootfs.cpio.gz is a cpio archive inside gzip data"
    has "grub.cfg:4: error: [boot] the rootfs module $C/vmlinuz is an x86 bzImage, a kernel, not an archive"
    has "(exit status 1: errors)"
    hasnt "lint: error:"
done

echo "== trial10f c14: two hypervisors next to a rootfs: each is named and checked"
run 1 "$B/rootfs.cpio.gz"
has "2 hypervisors lie next to it: $B/xen-4.17-amd64.gz (Xen 4.17"
has "$B/xen-4.20-amd64.gz (Xen 4.20"
has "libxenctrl of Xen 4.20, by its DT_SONAME libxenctrl.so.4.20) but the hypervisor $B/xen-4.17-amd64.gz is Xen 4.17"
rm "$B/xen-4.17-amd64.gz"
run 3 "$B/rootfs.cpio.gz"
hasnt "hypervisors lie next to it"
hasnt "not checked: trap 2"

echo "== trial10f c13: xen.efi is a hypervisor input, recognised by content"
E=$T/efi
mkdir -p "$E"
cp "$T/xen/boot/xen-4.20-amd64.efi" "$E/hv-4.20"   # no name to go by
cp "$T/xen/boot/xen-4.17-amd64.efi" "$E/"
run 3 "$E/hv-4.20"
has "$E/hv-4.20: read as hypervisor image"
run 3 "$B/rootfs.cpio.gz" "$E/hv-4.20"
hasnt "[trap2] the toolstack is"
run 1 "$B/rootfs.cpio.gz" "$E/xen-4.17-amd64.efi"
has "libxenctrl of Xen 4.20, by its DT_SONAME libxenctrl.so.4.20) but the hypervisor $E/xen-4.17-amd64.efi is Xen 4.17"
printf 'MZ\220\0not xen at all' >"$E/other.efi"
run 2 "$E/other.efi"
has "neither a cpio/tar rootfs, a Xen hypervisor image (xen.gz, xen.efi) nor a text config"

echo "== GRUB chainloading Xen's EFI loader: the xen.cfg Xen reads is followed, as Xen finds it"
S=$T/esp
mkdir -p "$S/EFI/debian"
cp "$T/xen/boot/xen-4.20-amd64.efi" "$B/rootfs.cpio.gz" "$S/EFI/debian/"
fake_bzimage $KREL "$S/EFI/debian/vmlinuz"
cat >"$S/EFI/debian/xen-4.20.cfg" <<'EOF'
[global]
default=xen
[xen]
options=console=com1 dom0_mem=4096M gnttab_max_frames=256
kernel=vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init
ramdisk=rootfs.cpio.gz
EOF
cat >"$S/EFI/debian/grub.cfg" <<'EOF'
menuentry 'Xen (EFI)' {
	search --no-floppy --fs-uuid --set=root 1A2B-3C4D
	chainloader ($root)/EFI/debian/xen-4.20-amd64.efi
}
EOF
for input in "$S/EFI/debian/grub.cfg" "$S"; do
    # the ESP itself is an input too: its grub.cfg and Xen's loaders
    run 1 "$input"
    has "$S/EFI/debian/xen-4.20.cfg: read as Xen EFI xen.cfg, the one grub.cfg:3 chainloads with (\$root)/EFI/debian/xen-4.20-amd64.efi"
    has "$S/EFI/debian/xen-4.20.cfg:4: error: [trap4] section 'xen': dom0_mem=4096M has no max:"
    has "$S/EFI/debian/rootfs.cpio.gz: read as rootfs archive, the one xen-4.20.cfg:6 loads"
    hasnt "not checked: trap 2"   # checked against the loader that boots it
done
# Xen's options after '--' come after options= (and Xen skips the first
# word, its own name, which GRUB does not pass)
sed -i 's|xen-4.20-amd64.efi$|xen-4.20-amd64.efi xen.efi -- dom0_mem=max:4096M|' "$S/EFI/debian/grub.cfg"
run 0 "$S/EFI/debian/grub.cfg"
# a section the xen.cfg does not have, named on the command line (Xen
# options written without '--'): Xen stops, said on the chainloader's line
sed -i 's|xen.efi -- dom0_mem=max:4096M|xen.efi dom0_mem=max:4096M|' "$S/EFI/debian/grub.cfg"
run 1 "$S/EFI/debian/grub.cfg"
has "grub.cfg:3: error: [boot] section 'dom0_mem=max:4096M', which Xen's EFI loader is told to boot on its command line ($S/EFI/debian/grub.cfg:3): no section is headed exactly [dom0_mem=max:4096M]"
has "so Xen's EFI loader stops with 'No initial domain kernel specified.'"
sed -i 's|xen.efi dom0_mem=max:4096M|xen.efi -- dom0_mem=max:4096M|' "$S/EFI/debian/grub.cfg"
sed -i 's|xen.efi -- dom0_mem=max:4096M|-cfg=other.cfg|' "$S/EFI/debian/grub.cfg"
run 1 "$S/EFI/debian/grub.cfg"
has "grub.cfg:3: warning: [boot] menuentry 'Xen (EFI)': chainloader (\$root)/EFI/debian/xen-4.20-amd64.efi -cfg=other.cfg: Xen's EFI loader takes the first word of its command line for its own name"
# a file named as Xen that lint cannot read as Xen: not passed as checked
cp "$S/EFI/debian/grub.cfg" "$T/grub.cfg.keep"
printf 'MZ\220\0not xen at all' >"$S/EFI/debian/xen-broken.efi"
sed -i 's|chainloader .*|chainloader /EFI/debian/xen-broken.efi|' "$S/EFI/debian/grub.cfg"
run 1 "$S/EFI/debian/grub.cfg"
has "grub.cfg:3: warning: [boot] cannot check menuentry 'Xen (EFI)': chainloader /EFI/debian/xen-broken.efi: $S/EFI/debian/xen-broken.efi: not a Xen hypervisor image"
rm "$S/EFI/debian/xen-broken.efi"
cp "$T/grub.cfg.keep" "$S/EFI/debian/grub.cfg"
# no config where Xen looks: 'cannot check' on the line, never a pass or 'no Xen entry'
mv "$S/EFI/debian/xen-4.20.cfg" "$S/EFI/debian/elsewhere.cfg"
sed -i 's|-cfg=other.cfg|x -cfg=other.cfg|' "$S/EFI/debian/grub.cfg"
run 1 "$S/EFI/debian/grub.cfg"
has "grub.cfg:3: warning: [boot] cannot check menuentry 'Xen (EFI)': chainloader (\$root)/EFI/debian/xen-4.20-amd64.efi (Xen 4.20"
has "from the config its -cfg= option names, and other.cfg is not in $S/EFI/debian"
sed -i 's| x -cfg=other.cfg||' "$S/EFI/debian/grub.cfg"
run 1 "$S"
has "cannot check menuentry 'Xen (EFI)': chainloader (\$root)/EFI/debian/xen-4.20-amd64.efi (Xen 4.20"
has "and none of the names Xen tries (xen-4.20-amd64.cfg, xen-4.20.cfg, xen-4.cfg, xen.cfg) is in $S/EFI/debian"
# an ESP without GRUB: the firmware starts xen.efi, which reads xen.cfg (any case, as on FAT)
rm "$S/EFI/debian/grub.cfg"
mv "$S/EFI/debian/elsewhere.cfg" "$S/EFI/debian/XEN.CFG"
run 1 "$S"
has "$S/EFI/debian/XEN.CFG: read as Xen EFI xen.cfg, the one the EFI loader xen-4.20-amd64.efi reads"
has "$S/EFI/debian/XEN.CFG:4: error: [trap4] section 'xen': dom0_mem=4096M has no max:"
# Debian's ESP stub grub.cfg reads /boot/grub/grub.cfg of the partition
# search finds at boot: said as not checked, naming the line and why it
# was not read, no error of its own.  Never taken for the stub's own
# directory (the merge of source/configfile following found the stub itself
# as $prefix/grub.cfg, and the line was no longer named)
printf "search.fs_uuid 0a1b2c3d root hd0,gpt2\nset prefix=(\$root)'/boot/grub'\nconfigfile \$prefix/grub.cfg\n" >"$S/EFI/debian/grub.cfg"
run 1 "$S"
has "$S/EFI/debian/grub.cfg: not checked: trap 4 and trap 1's console= (on Xen's boot lines): no Xen boot entry found (read as GRUB 2 config): nothing was checked; line 3 ('configfile \$prefix/grub.cfg') reads another file, where the entries may be: lint that file too"
has "$S/EFI/debian/grub.cfg:3: note: [boot] not read: configfile \$prefix/grub.cfg on line 3: its path uses \$prefix, which the config sets to a value lint does not know, such as a device that search finds at boot"
has "$S/EFI/debian/XEN.CFG:4: error: [trap4]"
[ "$(grep -c ': error: ' "$T/out")" = 1 ] || fail "the stub: an error of its own"
hasnt "cannot check"
hasnt "grub.cfg: note: [boot] no Xen boot entry"
hasnt "being read already"
# ... with the xen.cfg clean: exit 3, not a pass (the menu on /boot is not read)
sed -i 's/dom0_mem=4096M /dom0_mem=4096M,max:4096M /' "$S/EFI/debian/XEN.CFG"
run 3 "$S"
has "$S/EFI/debian/grub.cfg: not checked: trap 4"
hasnt ": error: "
# ... given alone: no Xen entry (exit 2), the line named
run 2 "$S/EFI/debian/grub.cfg"
has "mkdom0 lint: error: $S/EFI/debian/grub.cfg: no Xen boot entry found (read as GRUB 2 config): nothing was checked; line 3 ('configfile \$prefix/grub.cfg') reads another file"
has "$S/EFI/debian/grub.cfg:3: note: [boot] not read: configfile \$prefix/grub.cfg on line 3: its path uses \$prefix"
# an ESP with nothing that boots Xen is no pass
rm "$S/EFI/debian/xen-4.20-amd64.efi"
run 2 "$S"
has "$S: no Xen boot entry found in this ESP: looked at"
has "$S/EFI/debian/XEN.CFG: warning: [boot] no Xen EFI loader reads this xen.cfg"

echo "== xen.cfg's dtb= with x86 Xen: ignored by Xen, a warning on its line (issue 10, H5)"
X=$T/dtb/EFI/xen
mkdir -p "$X"
cp "$T/xen/boot/xen-4.20-amd64.efi" "$X/xen.efi"
cp "$B/rootfs.cpio.gz" "$O/vmlinuz" "$X/"
printf '%s\n' '[global]' 'default=xen' '[xen]' 'options=console=com1 dom0_mem=4096M,max:4096M gnttab_max_frames=256' \
    'kernel=vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init' 'ramdisk=rootfs.cpio.gz' 'dtb=board.dtb' >"$X/xen.cfg"
run 0 "$T/dtb"
has "$X/xen.cfg:7: warning: [boot] dtb= is ignored: the Xen EFI loader that reads this file, $X/xen.efi, is x86 Xen"
hasnt ": error:"
hasnt "has no max:"   # dom0_mem read as x86 Xen reads it, not as Arm's one size
# in [global] too (Arm's loader falls back to it)
sed -i '/^dtb=/d; 2a dtb=board.dtb' "$X/xen.cfg"
run 0 "$T/dtb"
has "$X/xen.cfg:3: warning: [boot] dtb= is ignored"
hasnt ": error:"

echo "== GRUB's chainloader words are unquoted as GRUB does (issue 10, H6)"
sed -i '/^dtb=/d; s/^\[xen\]/[fast]/; s/^default=xen/default=none/' "$X/xen.cfg"
printf "menuentry 'Xen' {\n\tchainloader /EFI/xen/xen.efi \"xen.efi fast\"\n}\n" >"$X/grub.cfg"
run 0 "$X/grub.cfg"
has "$X/xen.cfg: read as Xen EFI xen.cfg, the one grub.cfg:2 chainloads with /EFI/xen/xen.efi, booting its section 'fast'"
hasnt 'fast"'
# a second chainloader line with the same command line is named too (issue 10, L3)
printf "menuentry 'Other' {\n\tchainloader /EFI/xen/xen.efi xen.efi fast\n}\n" >>"$X/grub.cfg"
run 0 "$X/grub.cfg"
has "$X/xen.cfg: read as Xen EFI xen.cfg, the one grub.cfg:2 chainloads with /EFI/xen/xen.efi, booting its section 'fast'; also grub.cfg:5, with the same command line"

echo "== a directory is read for every kind of content it holds, by content (issue 10, H1, H2)"
# H2: a copy of an output's efi/ under another name: its Xen EFI loader at
# the top is read as on an ESP, and the xen.cfg it reads with it
K=$T/efi-copy
mkdir -p "$K"
cp "$T/xen/boot/xen-4.20-amd64.efi" "$K/xen.efi"
cp "$B/rootfs.cpio.gz" "$O/vmlinuz" "$K/"
printf '%s\n' '[global]' 'default=xen' '[xen]' 'options=console=com1 dom0_mem=4096M gnttab_max_frames=256' \
    'kernel=vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init' 'ramdisk=rootfs.cpio.gz' >"$K/xen.cfg"
run 1 "$K"
has "$K/xen.cfg: read as Xen EFI xen.cfg, the one the EFI loader xen.efi reads"
has "$K/xen.efi: read as hypervisor image"
has "$K/rootfs.cpio.gz: read as rootfs archive, the one xen.cfg:6 loads"
has "$K/xen.cfg:4: error: [trap4] section 'xen': dom0_mem=4096M has no max:"
sed -i 's/dom0_mem=4096M/dom0_mem=4096M,max:4096M/' "$K/xen.cfg"
run 0 "$K"
hasnt "not checked"
sed -i 's/dom0_mem=4096M,max:4096M/dom0_mem=4096M/' "$K/xen.cfg"
# ... but a loader nothing starts beside the xen.gz GRUB boots (Debian's
# /boot) is said as not checked, not a line that cannot be checked
D=$T/boot-copy
mkdir -p "$D"
cp "$T/xen/boot/xen-4.20-amd64.efi" "$T/xen/boot/xen-4.20-amd64.gz" "$B/rootfs.cpio.gz" "$O/vmlinuz" "$D/"
printf "menuentry 'Xen' {\n\tmultiboot2 /xen-4.20-amd64.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256 console=com1\n\tmodule2 /vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init\n\tmodule2 --nounzip /rootfs.cpio.gz\n}\n" >"$D/grub.cfg"
run 0 "$D"
has "$D/xen-4.20-amd64.efi: not checked: what this Xen EFI loader boots: no config lies beside it (Xen tries xen-4.20-amd64.cfg, xen-4.20.cfg, xen-4.cfg, xen.cfg)"
has "(exit status 0: every trap was checked)"   # it boots nothing: no trap is left unchecked
hasnt "cannot check"
# H1: a rootfs (or a grub.cfg) at the top made any directory "an output
# directory" and an ESP copied beside it (mcopy out of disk.img) was skipped
for top in rootfs grub; do
    H=$T/esp-beside-$top
    mkdir -p "$H/EFI"
    cp -r "$K" "$H/EFI/xen"
    if [ $top = rootfs ]; then
        cp "$B/rootfs.cpio.gz" "$H/"
    else
        cp "$O/vmlinuz" "$B/rootfs.cpio.gz" "$H/"
        cp "$T/xen/boot/xen-4.20-amd64.gz" "$H/xen.gz"
        printf "menuentry 'Xen' {\n\tmultiboot2 /xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256 console=com1\n\tmodule2 /vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init\n\tmodule2 --nounzip /rootfs.cpio.gz\n}\n" >"$H/grub.cfg"
    fi
    run 1 "$H"
    has "$H/EFI/xen/xen.cfg: read as Xen EFI xen.cfg, the one the EFI loader xen.efi reads"
    has "$H/EFI/xen/xen.cfg:4: error: [trap4] section 'xen': dom0_mem=4096M has no max:"
    has "$H/rootfs.cpio.gz: read as rootfs archive"
    [ $top = rootfs ] || has "$H/grub.cfg: read as GRUB 2 config"
done

echo "== an ESP's EFI/BOOT/BOOTX64.EFI (Xen) reads BOOTX64.CFG; a xen.cfg no loader reads is said (issue 10)"
W=$T/esp-boot
mkdir -p "$W/efi/boot"
cp "$T/xen/boot/xen-4.20-amd64.efi" "$W/efi/boot/BOOTX64.EFI"
cp "$B/rootfs.cpio.gz" "$O/vmlinuz" "$W/efi/boot/"
sed 's/dom0_mem=4096M/dom0_mem=2048M/' "$K/xen.cfg" >"$W/efi/boot/BOOTX64.CFG"
run 1 "$W"
has "$W/efi/boot/BOOTX64.CFG: read as Xen EFI xen.cfg, the one the EFI loader BOOTX64.EFI reads"
has "$W/efi/boot/BOOTX64.CFG:4: error: [trap4] section 'xen': dom0_mem=2048M has no max:"
hasnt "no Xen EFI loader reads"
hasnt "output directory"
# the loader under a name that reads another config: its xen.cfg is stray
# (warned, its entries still checked), the loader 'cannot check'
mv "$W/efi/boot/BOOTX64.EFI" "$W/efi/boot/xenboot.efi"
run 1 "$W"
has "$W/efi/boot/BOOTX64.CFG: read as Xen EFI xen.cfg"
has "$W/efi/boot/BOOTX64.CFG: warning: [boot] no Xen EFI loader reads this xen.cfg"
has "$W/efi/boot/BOOTX64.CFG:4: error: [trap4] section 'xen': dom0_mem=2048M has no max:"
has "none of the names Xen tries (xenboot.cfg) is in $W/efi/boot"
# no loader at all: nothing on the ESP boots Xen, exit 2, the stray config named
rm "$W/efi/boot/xenboot.efi"
run 2 "$W"
has "$W/efi/boot/BOOTX64.CFG: warning: [boot] no Xen EFI loader reads this xen.cfg"
has "$W/efi/boot/BOOTX64.CFG:4: error: [trap4]"
has "$W: no Xen boot entry found in this ESP: looked at"
# ... and a xen.cfg alone at a directory's top, where Xen's loader would read it
mkdir -p "$T/stray-top"
cp "$K/xen.cfg" "$T/stray-top/xen.cfg"
run 2 "$T/stray-top"
has "$T/stray-top/xen.cfg: read as Xen EFI xen.cfg"
has "$T/stray-top/xen.cfg: warning: [boot] no Xen EFI loader reads this xen.cfg"
has "$T/stray-top/xen.cfg:4: error: [trap4] section 'xen': dom0_mem=4096M has no max:"
has "$T/stray-top: no Xen boot entry found in this directory: looked at"
hasnt "output directory"

echo "== a directory holding a xen.cfg and the file its chain= names: that file is read as the chain's only (trial10 item 4)"
# Xen reads chain=host.cfg with the first file's section (efi_start()), so
# host.cfg's own default=other is no error; read alone too, it gave false
# findings, and xen.cfg "not checked", so a correct ESP never reached 0
for top in esp top; do
    [ $top = esp ] && Z=$T/chain-esp/EFI/xen || Z=$T/chain-top
    [ $top = esp ] && G=$T/chain-esp || G=$Z
    mkdir -p "$Z"
    cp "$T/xen/boot/xen-4.20-amd64.efi" "$Z/xen.efi"
    cp "$B/rootfs.cpio.gz" "$O/vmlinuz" "$Z/"
    printf '%s\n' '[global]' 'default=xen' 'chain=host.cfg' '' '[xen]' \
        'options=console=vga,com1 com1=115200,8n1 dom0_mem=2G,max:2G' >"$Z/xen.cfg"
    printf '%s\n' '[global]' 'default=other' '' '[xen]' \
        'kernel=vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init' 'ramdisk=rootfs.cpio.gz' >"$Z/host.cfg"
    for input in "$G" "$Z/xen.cfg"; do
        run 1 "$input"
        has "$Z/xen.cfg: read as Xen EFI xen.cfg"
        has "its chain= on line 3 followed to $Z/host.cfg"
        has "$Z/host.cfg: read as Xen EFI xen.cfg, chained by $Z/xen.cfg:3 (chain=host.cfg), section [xen]"
        has "$Z/host.cfg:4: error: [trap4] section 'xen': the Xen line has no dom0_mem"
        hasnt "default=other"
        hasnt "no Xen EFI loader reads this xen.cfg"
        hasnt "not checked"
        hasnt "read as its own input"
    done
    printf '%s\n' '[global]' 'default=xen' '' '[xen]' 'options=dom0_mem=2G,max:2G gnttab_max_frames=256 console=com1' \
        'kernel=vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init' 'ramdisk=rootfs.cpio.gz' >"$Z/host.cfg"
    for input in "$G" "$Z/xen.cfg"; do
        run 0 "$input"
        has "(exit status 0: every trap was checked)"
        hasnt "no Xen boot entry"
    done
    sed -i 's/dom0_mem=2G,max:2G/dom0_mem=2G/' "$Z/host.cfg"
    for input in "$G" "$Z/xen.cfg"; do
        run 1 "$input"
        has "$Z/host.cfg:5: error: [trap4] section 'xen': dom0_mem=2G has no max:"
        hasnt "not checked"
    done
done
# no loader reads the xen.cfg (trial10's esp1): nor its chained file; the ESP boots no Xen
rm "$T/chain-esp/EFI/xen/xen.efi"
run 2 "$T/chain-esp"
has "$T/chain-esp/EFI/xen/xen.cfg: warning: [boot] no Xen EFI loader reads this xen.cfg"
has "$T/chain-esp/EFI/xen/host.cfg: read as Xen EFI xen.cfg, chained by $T/chain-esp/EFI/xen/xen.cfg:3"
has "$T/chain-esp: no Xen boot entry found in this ESP"
# the chained file also given on the command line, before its xen.cfg: read as the chain's
run 1 "$Z/host.cfg" "$Z/xen.cfg"
has "$Z/host.cfg: read as Xen EFI xen.cfg, chained by $Z/xen.cfg:3 (chain=host.cfg), section [xen]"
has "$Z/host.cfg:5: error: [trap4] section 'xen': dom0_mem=2G has no max:"

echo "== a directory with a clean Xen config and a config with no Xen entry exits 0 (trial10 item 6)"
# a TFTP root whose default only boots the local disk (tftp2), a /boot
# with an old syslinux.cfg beside grub.cfg (cleanplus): each config without
# Xen is named in a note, and every trap was checked
N=$T/tftp2
mkdir -p "$N/pxelinux.cfg"
cp "$T/xen/boot/xen-4.20-amd64.gz" "$N/xen.gz"
cp "$B/rootfs.cpio.gz" "$O/vmlinuz" "$N/"
printf 'DEFAULT local\nLABEL local\n LOCALBOOT 0\n' >"$N/pxelinux.cfg/default"
printf 'DEFAULT xen\nLABEL xen\n KERNEL mboot.c32\n APPEND xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256 console=com1 --- vmlinuz rdinit=/sbin/init console=ttyS0 console=hvc0 --- rootfs.cpio.gz\n' \
    >"$N/pxelinux.cfg/01-52-54-00-12-34-56"
for strict in "" --strict; do
    run 0 $strict "$N"
    has "$N/pxelinux.cfg/default: note: [boot] no Xen boot entry; not a Xen config (read as syslinux/pxelinux config)"
    has "(exit status 0: every trap was checked)"
    hasnt "not checked"
done
run 2 "$N/pxelinux.cfg/default"
has "$N/pxelinux.cfg/default: no Xen boot entry found"
M=$T/cleanplus
mkdir -p "$M/boot/grub" "$M/boot/syslinux"
cp "$T/xen/boot/xen-4.20-amd64.gz" "$M/boot/xen.gz"
cp "$B/rootfs.cpio.gz" "$O/vmlinuz" "$M/boot/"
printf "menuentry 'Xen' {\n\tmultiboot2 /boot/xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256 console=com1\n\tmodule2 /boot/vmlinuz rdinit=/sbin/init console=ttyS0 console=hvc0\n\tmodule2 --nounzip /boot/rootfs.cpio.gz\n}\n" >"$M/boot/grub/grub.cfg"
printf 'DEFAULT local\nLABEL local\n LOCALBOOT 0\n' >"$M/boot/syslinux/syslinux.cfg"
run 0 "$M"
has "$M/boot/syslinux/syslinux.cfg: note: [boot] no Xen boot entry; not a Xen config (read as syslinux/pxelinux config)"
hasnt "not checked"
# the Xen entry gone: nothing there boots Xen, exit 2
printf "menuentry 'Linux' {\n\tlinux /boot/vmlinuz root=/dev/sda1\n}\n" >"$M/boot/grub/grub.cfg"
run 2 "$M"
has "$M: no Xen boot entry found in this directory"
hasnt "note: [boot] no Xen boot entry"

echo "== iPXE chaining Xen's EFI loader: read as a chainload, not a multiboot load (issue 10, finding G)"
P=$T/ipxe
mkdir -p "$P"
cp "$T/xen/boot/xen-4.20-amd64.efi" "$P/xen.efi"
cp "$B/rootfs.cpio.gz" "$P/"
fake_bzimage $KREL "$P/vmlinuz"
printf '%s\n' '[global]' 'default=xen' '[xen]' 'options=console=com1 dom0_mem=4096M gnttab_max_frames=256' \
    'kernel=vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init' 'ramdisk=rootfs.cpio.gz' >"$P/xen.cfg"
# iPXE passes the image's name first (efi_image_cmdline()), so the words
# after it are read as on GRUB's line after a name: '--' and Xen's options
printf '#!ipxe\ndhcp\nchain http://10.0.0.1/boot/xen.efi -- dom0_mem=max:4096M\n' >"$P/boot.ipxe"
run 0 "$P/boot.ipxe"
has "$P/xen.cfg: read as Xen EFI xen.cfg, the one boot.ipxe:3 chainloads with http://10.0.0.1/boot/xen.efi, with the Xen options after '--': 'dom0_mem=max:4096M'"
has "$P/rootfs.cpio.gz: read as rootfs archive, the one xen.cfg:6 loads"
hasnt "followed by no module"
hasnt "not checked: trap 2"
printf '#!ipxe\nchain xen.efi\n' >"$P/boot.ipxe"
run 1 "$P/boot.ipxe"
has "$P/xen.cfg:4: error: [trap4] section 'xen': dom0_mem=4096M has no max:"
# a plain word after the name names the section, as Xen reads it
printf '#!ipxe\nkernel xen.efi fast\nboot\n' >"$P/boot.ipxe"
run 1 "$P/boot.ipxe"
has "boot.ipxe:2: error: [boot] section 'fast', which Xen's EFI loader is told to boot on its command line ($P/boot.ipxe:2): no section is headed exactly [fast]"
hasnt "for its own name"
# not there: 'cannot check' on its line, never a multiboot entry or a pass
rm "$P/xen.efi"
printf '#!ipxe\nchain http://10.0.0.1/boot/xen.efi\n' >"$P/boot.ipxe"
run 1 "$P/boot.ipxe"
has "boot.ipxe:2: warning: [boot] cannot check chain http://10.0.0.1/boot/xen.efi: the program is not next to this file"
hasnt "followed by no module"

echo "== a unified xen.efi boots its own .kernel and .ramdisk: trap 5 across the two"
U=$T/unified
mkdir -p "$U/r/lib/modules/6.1.0-57-amd64"
mkroot "$U/r" hvc0
(cd "$U/r" && bsdtar -cf - --format newc .) | gzip -9n >"$U/ramdisk" || fail "cpio"
fake_bzimage 6.12.0-1-amd64 "$U/kernel"
printf '[global]\ndefault=x\n[x]\noptions=dom0_mem=4096M,max:4096M gnttab_max_frames=256 console=com1\nkernel=vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init\nramdisk=rootfs.cpio.gz\n' >"$U/xen.cfg"
mkdir -p "$U/esp"
objcopy --add-section .config="$U/xen.cfg" --change-section-vma .config=0xffff82d041000000 \
    --add-section .kernel="$U/kernel" --change-section-vma .kernel=0xffff82d041100000 \
    --add-section .ramdisk="$U/ramdisk" --change-section-vma .ramdisk=0xffff82d042000000 \
    "$T/xen/boot/xen-4.17-amd64.efi" "$U/esp/xen.efi" || fail "objcopy"
# a vmlinuz and rootfs beside it are not what boots: Xen reads the sections
cp "$B/rootfs.cpio.gz" "$U/esp/rootfs.cpio.gz"
fake_bzimage 6.1.0-57-amd64 "$U/esp/vmlinuz"
run 1 "$U/esp/xen.efi"
has "$U/esp/xen.efi(.config):5: error: [trap5] the dom0 kernel $U/esp/xen.efi(.kernel) is release 6.12.0-1-amd64 (its bzImage header), but the rootfs $U/esp/xen.efi(.ramdisk) has no /lib/modules/6.12.0-1-amd64 (it holds modules for 6.1.0-57-amd64)"
hasnt "$U/esp/rootfs.cpio.gz"

# unified OUT CONFIG [KERNEL]: Debian's xen.efi (4.17) with CONFIG as its
# .config, KERNEL (default: $V/kernel) as .kernel and $V/ramdisk as
# .ramdisk, as efi.pandoc's "Unified Xen kernel image" adds them
V=$T/uchain
mkdir -p "$V/esp/EFI/xen"
mkroot "$V/r" hvc0
builtin_xen "$V/r"
cpio_gz "$V/r" "$V/ramdisk"
fake_bzimage $KREL "$V/kernel"
unified() {
    objcopy --add-section .config="$2" --change-section-vma .config=0xffff82d041000000 \
        --add-section .kernel="${3:-$V/kernel}" --change-section-vma .kernel=0xffff82d041100000 \
        --add-section .ramdisk="$V/ramdisk" --change-section-vma .ramdisk=0xffff82d042000000 \
        "$T/xen/boot/xen-4.17-amd64.efi" "$1" || fail "objcopy $1"
}

echo "== GRUB chainloading a unified xen.efi: its command line as efi_start() reads it (issue 10)"
G=$V/esp/EFI/xen/grub.cfg
chain() { printf "menuentry 'Xen' {\n\tchainloader /EFI/xen/xen.efi %s\n}\n" "$1" >"$G"; }
# the default section [safe] has dom0_mem without max:; [fast] is right
printf '%s\n' '[global]' 'default=safe' '[safe]' \
    'options=console=com1 dom0_mem=4096M gnttab_max_frames=256' \
    'kernel=vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init' '[fast]' \
    'options=console=com1 dom0_mem=4096M,max:4096M gnttab_max_frames=256' \
    'kernel=vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init' >"$V/xen.cfg"
unified "$V/esp/EFI/xen/xen.efi" "$V/xen.cfg"
# Xen's options after '--' follow options=: max: comes from the chainloader
# line (before: not applied to a unified image, a false trap 4 error)
chain "xen.efi -- dom0_mem=max:4096M"
run 0 --strict "$G"
has "$V/esp/EFI/xen/xen.efi(.config): read as Xen EFI xen.cfg, the one grub.cfg:2 chainloads with /EFI/xen/xen.efi, with the Xen options after '--': 'dom0_mem=max:4096M'"
hasnt "[trap4]"
# ... without them: the default section's trap 4, on its line
chain "xen.efi"
run 1 "$G"
has "$V/esp/EFI/xen/xen.efi(.config):4: error: [trap4] section 'safe': dom0_mem=4096M has no max:"
# the section named on the command line boots, not default= (before: every
# section was judged, [safe]'s error with it)
chain "xen.efi fast"
run 0 --strict "$G"
has "booting its section 'fast'"
hasnt "section 'safe'"
# ... but not as the first word, which Xen takes for its own name (GRUB
# passes none): it boots default=, said on the line (issue 10, finding D:
# before, nothing said so), and so is an option written first, which Xen drops
chain "fast"
run 1 "$G"
has "$G:2: warning: [boot] 'fast', the first word of Xen's EFI loader's command line, is taken for the loader's own name (get_argv() in xen/common/efi/boot.c: argv[0]), not for a section, so Xen boots section [safe] (default=), not section [fast]"
has "chainloads with /EFI/xen/xen.efi, taking 'fast' for its own name"
has "$V/esp/EFI/xen/xen.efi(.config):4: error: [trap4] section 'safe': dom0_mem=4096M has no max:"
chain "dom0_mem=max:4096M"
run 1 "$G"
has "$G:2: warning: [boot] menuentry 'Xen': chainloader /EFI/xen/xen.efi dom0_mem=max:4096M: Xen's EFI loader takes the first word of its command line, 'dom0_mem=max:4096M', for its own name"
has "so that option never reaches Xen; Xen's options go after '--', after a name: chainloader /EFI/xen/xen.efi xen.efi -- dom0_mem=max:4096M"
chain "xen.efi fast"
run 0 --strict "$G"
hasnt "for its own name"
# a finding only the command line makes, said on its line: a dom0_mem Xen
# refuses after a right options= (before: exit 0); Xen keeps 4096M,max:4096M,
# so it is a warning (trial10 case 5), and --strict fails on it
chain "xen.efi fast -- dom0_mem=2048MB"
run 1 --strict "$G"
has "$G:2: warning: [trap4] section 'fast': dom0_mem=2048MB: '2048MB' is not an amount Xen understands"
has "which still leaves an amount and max: ('2048MB' changes nothing)"
# ... and one that makes max: grow with host RAM is an error there
chain "xen.efi fast -- dom0_mem=max:-1G"
run 1 "$G"
has "$G:2: error: [trap4] section 'fast': dom0_mem="
# Xen options without '--' name a section: none is headed so, and the image
# boots its .kernel with no dom0 parameters and Xen with no options=
# (before: exit 0)
printf '%s\n' '[global]' 'default=fast' '[fast]' \
    'options=console=com1 dom0_mem=4096M,max:4096M gnttab_max_frames=256' \
    'kernel=vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init' >"$V/clean.cfg"
unified "$V/esp/EFI/xen/xen.efi" "$V/clean.cfg"
chain "xen.efi"
run 0 --strict "$G"
chain "xen.efi dom0_mem=4096M,max:4096M"
run 1 "$G"
has "$G:2: error: [boot] section 'dom0_mem=4096M,max:4096M', which Xen's EFI loader is told to boot on its command line ($G:2): no section is headed exactly [dom0_mem=4096M,max:4096M]"
has "it boots the image's own .kernel with an empty dom0 command line, and Xen gets no options="
has "$G:2: error: [trap4] section 'dom0_mem=4096M,max:4096M': the Xen line has no dom0_mem"
# -cfg= is ignored by an image with its own .config; an option Xen does not
# know is ignored; -help stops Xen; '--' first makes Xen 4.17 read unset memory
chain "xen.efi -cfg=other.cfg"
run 1 --strict "$G"
has "$G:2: warning: [boot] menuentry 'Xen': chainloader /EFI/xen/xen.efi (Xen 4.17"
has "-cfg=other.cfg is ignored: this Xen EFI loader has its own .config section"
chain "xen.efi -basevideo -quiet"
run 1 --strict "$G"
has "does not know the option '-quiet' and ignores it"
hasnt "option '-basevideo'"
chain "xen.efi -help"
run 1 "$G"
has "$G:2: error: [boot] menuentry 'Xen': chainloader /EFI/xen/xen.efi xen.efi -help: '-help' makes Xen's EFI loader print its options and return to the firmware"
chain "-- dom0_mem=max:4096M"
run 1 --strict "$G"
has "with '--' there Xen 4.17"
has "reads pointers it never set"

echo "== lint DIR of an output directory reads its xen-unified.efi (issue 10: it was 'not checked')"
D=$T/outdir
mkdir -p "$D"
cp "$V/ramdisk" "$D/rootfs.cpio.gz"
cp "$V/kernel" "$D/vmlinuz"
cp "$T/xen/boot/xen-4.17-amd64.gz" "$D/xen.gz"
printf '[Image]\nBase=default\n' >"$D/image.ini"
printf "menuentry 'mkdom0' {\n\tmultiboot2 /xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256 console=com1\n\tmodule2 /vmlinuz console=ttyS0,115200 console=hvc0 rdinit=/sbin/init\n\tmodule2 --nounzip /rootfs.cpio.gz\n}\n" >"$D/grub.cfg"
printf '%s\n' '[global]' 'default=mkdom0' '[mkdom0]' \
    'options=console=com1 dom0_mem=4096M,max:4096M gnttab_max_frames=256' \
    'kernel=vmlinuz console=ttyS0,115200 console=hvc0 rdinit=/sbin/init' \
    'ramdisk=rootfs.cpio.gz' >"$V/u.cfg"
unified "$D/xen-unified.efi" "$V/u.cfg"
run 0 --strict "$D"
has "$D/xen-unified.efi(.config): read as Xen EFI xen.cfg"
has "$D/xen-unified.efi(.ramdisk): read as rootfs archive, the image's .ramdisk"
hasnt "not checked"
# its .config without max: is found
sed 's/dom0_mem=4096M,max:4096M/dom0_mem=4096M/' "$V/u.cfg" >"$V/u-nomax.cfg"
unified "$D/xen-unified.efi" "$V/u-nomax.cfg"
run 1 "$D"
has "$D/xen-unified.efi(.config):4: error: [trap4] section 'mkdom0': dom0_mem=4096M has no max:"
# its .kernel against its .ramdisk (trap 5), and a stand-in there (an error)
fake_bzimage 6.12.0-1-amd64 "$V/k612"
unified "$D/xen-unified.efi" "$V/u.cfg" "$V/k612"
run 1 "$D"
has "$D/xen-unified.efi(.config):5: error: [trap5] the dom0 kernel $D/xen-unified.efi(.kernel) is release 6.12.0-1-amd64 (its bzImage header), but the rootfs $D/xen-unified.efi(.ramdisk) has no /lib/modules/6.12.0-1-amd64"
echo "stand-in kernel" >"$V/kstub"
unified "$D/xen-unified.efi" "$V/u.cfg" "$V/kstub"
run 1 "$D"
has "$D/xen-unified.efi(.config):5: error: [boot] the dom0 kernel $D/xen-unified.efi(.kernel) is no Linux kernel (it is text: 'stand-in kernel')"
unified "$D/xen-unified.efi" "$V/u.cfg"
# boot.iso and disk.img: their configs are in file systems lint does not
# read: said with what was checked instead and how to check them
: >"$D/boot.iso"
: >"$D/disk.img"
run 0 "$D"
has "$D/boot.iso: not checked: traps 1, 2, 4 and 5 and the rootfs as this image boots them: its /boot/grub/grub.cfg and the files it loads inside its ISO 9660 file system are not read (lint reads no ISO 9660 or FAT file system)"
has "to check it, extract it (bsdtar -xf boot.iso -C DIR2) and lint DIR2/boot/grub/grub.cfg"
has "$D/disk.img: not checked: traps 1, 2, 4 and 5 and the rootfs as this image boots them: its /EFI/BOOT/grub.cfg and the files it loads inside the FAT file system of its EFI system partition are not read"
has "copy them out (mcopy -s -i disk.img@@2097152 :: DIR2) and lint DIR2/EFI/BOOT/grub.cfg"
has "(exit status 0: every trap was checked)"   # in the files the media were made from
hasnt "xen-unified.efi: not checked"
rm "$D/boot.iso" "$D/disk.img"

echo "== a root tree is read with its /boot/grub/grub.cfg; the files it loads, by content"
RT=$T/roottree
mkroot "$RT" hvc0 "$l20" "$u20" "$uc"
mkdir -p "$RT/boot/grub" "$RT/lib/modules/6.12.0-1-amd64"
cp "$T/xen/boot/xen-4.20-amd64.gz" "$RT/boot/hypervisor"   # no name to go by
fake_bzimage 6.12.0-1-amd64 "$RT/boot/kernel"
cat >"$RT/boot/grub/grub.cfg" <<'EOF'
menuentry 'Debian GNU/Linux, with Xen hypervisor' {
	multiboot2 /boot/hypervisor dom0_mem=4096M,max:4096M gnttab_max_frames=256 console=com1
	module2 /boot/kernel root=/dev/sda1 ro console=ttyS0 console=hvc0
}
EOF
run 1 "$RT"
has "$RT/boot/grub/grub.cfg: read as GRUB 2 config"
has "$RT/boot/hypervisor: read as hypervisor image"
hasnt "not checked: trap 4"
hasnt "[trap2] the toolstack is"
hasnt "[trap5] the dom0 kernel"
# the kernel that boots has no modules in the tree: trap 5 across the two
fake_bzimage 6.1.0-9-amd64 "$RT/boot/kernel"
run 1 "$RT"
has "$RT/boot/grub/grub.cfg:3: error: [trap5] the dom0 kernel $RT/boot/kernel is release 6.1.0-9-amd64 (its bzImage header), but the rootfs $RT/ has no /lib/modules/6.1.0-9-amd64 (it holds modules for 6.12.0-1-amd64)"
# the hypervisor it boots is of another release than the tree's toolstack
cp "$T/xen/boot/xen-4.17-amd64.gz" "$RT/boot/hypervisor"
run 1 "$RT"
has "the hypervisor $RT/boot/hypervisor is Xen 4.17, and Debian's xen-utils-wrapper runs the toolstack from /usr/lib/xen-4.17/bin, which is not here"
# a xen.gz that is no Xen is an error, whatever its name says
echo "not xen" >"$RT/boot/xen.gz"
sed -i 's|/boot/hypervisor|/boot/xen.gz|' "$RT/boot/grub/grub.cfg"
run 2 "$RT"
has "$RT/boot/xen.gz: not a Xen hypervisor image"
# no boot config: trap 2 against the Xen images in /boot, found by content
rm "$RT/boot/grub/grub.cfg"
run 1 "$RT"
has "$RT/boot/xen.gz: warning: [trap2] in the root tree's /boot but not usable as the hypervisor"
has "the hypervisor $RT/boot/hypervisor is Xen 4.17, and Debian's xen-utils-wrapper runs the toolstack from /usr/lib/xen-4.17/bin, which is not here"
has "not checked: trap 4 and trap 1's console= (they are on the boot lines): no boot config was given"

echo "== trial10f c12: Debian's xen-utils of two releases side by side (after a 12 -> 13 upgrade)"
R=$T/rf-both
mkroot "$R" hvc0 "$l17" "$l20" "$u17" "$u20" "$uc"
[ -f "$R/usr/lib/xen-common/bin/xen-utils-wrapper" ] || fail "no xen-utils-wrapper in $uc"
[ -e "$R/usr/sbin/xl" ] || ln -s ../lib/xen-common/bin/xen-utils-wrapper "$R/usr/sbin/xl"
run 3 --xen "$T/xen/boot/xen-4.20-amd64.gz" "$R"
hasnt "error: [trap2]"
has "note: [trap2] the toolstack in /usr/lib/xen-4.17/bin is not used under the hypervisor given (Debian's xen-utils-wrapper runs the running hypervisor's release)"
run 3 --xen "$T/xen/boot/xen-4.17-amd64.gz" "$R"
hasnt "error: [trap2]"
has "the toolstack in /usr/lib/xen-4.20/bin is not used under the hypervisor given"
run 3 "$R"
has "and of Xen 4.20 beside it, of which Debian's xen-utils-wrapper runs the running hypervisor's"
# the wrapper bails out when the hypervisor's release has no directory
rm -rf "$R/usr/lib/xen-4.17"
run 1 --xen "$T/xen/boot/xen-4.17-amd64.gz" "$R"
has "runs the toolstack from /usr/lib/xen-4.17/bin, which is not here"
# without Debian's wrapper nothing picks one: one image, one release (both
# releases' programs there again: a library that no program loads decides
# nothing)
R=$T/rf-both-nowrap
mkroot "$R" hvc0 "$l17" "$l20" "$u17" "$u20" "$uc"
rm "$R/usr/lib/xen-common/bin/xen-utils-wrapper"
run 1 --xen "$T/xen/boot/xen-4.20-amd64.gz" "$R"
# xen-utils-4.17's some 46 programs: one finding, on xl, naming how many and
# a few (grub10 3: one identical error each)
has "$R/usr/lib/xen-4.17/bin/xl: error: [trap2] loads /usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17 (libxenctrl of Xen 4.17, by its DT_SONAME libxenctrl.so.4.17), as do "
matches -E "xl: error: \[trap2\] loads .*, as do [1-9][0-9] other programs \(/usr/lib/xen-4\.17/bin/xenstored, /usr/lib/xen-4\.17/bin/[^ ,]+, /usr/lib/xen-4\.17/bin/[^ ,]+ and [1-9][0-9]* more\), but the hypervisor $T/xen/boot/xen-4\.20-amd64\.gz is Xen 4\.20: " "$T/out" ||
    fail "the programs of xen-utils-4.17 are not one grouped finding"
[ "$(grep -c 'error: \[trap2\]' "$T/out")" = 1 ] || fail "one trap 2 error for all the programs of one release"
echo "== trial10y H3: an entry that loads no rootfs (and no root=) beside a rootfs: an error, its rootfs traps not checked"
O=$T/y-norootfs
mkdir -p "$O/pxelinux.cfg"
cp "$T/c15/rootfs.cpio.gz" "$T/c15/xen.gz" "$T/c15/vmlinuz" "$O/"
printf "menuentry 'Xen' {\n\tmultiboot2 /xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256 console=com1\n\tmodule2 /vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init\n}\n" >"$O/grub.cfg"
run 1 "$O"
has "grub.cfg:3: error: [boot] menuentry 'Xen': no rootfs module after the dom0 kernel and no root= either: dom0 has nothing to run (Linux panics 'VFS: Unable to mount root fs')"
has "grub.cfg: not checked: traps 2, 3 and 5 for the entry of line 3"
hasnt "every trap was checked"
# mboot.c32 takes only the files after '---' as modules: INITRD is none of them
rm "$O/grub.cfg"
printf 'DEFAULT xen\nLABEL xen\n  KERNEL mboot.c32\n  APPEND xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256 --- vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init\n  INITRD rootfs.cpio.gz\n' >"$O/pxelinux.cfg/default"
run 1 "$O"
has "default:4: error: [boot] label 'xen': no rootfs module after the dom0 kernel and no root= either"
has "default:5: warning: [boot] label 'xen': INITRD rootfs.cpio.gz: mboot.c32 does not load it: the multiboot modules Xen gets are only the files after '---' on the APPEND line"
hasnt "every trap was checked"

echo "== trial10y H6: iPXE loading a gzip'd Xen: stock iPXE (IMAGE_GZIP off on x86) stops with 'Exec format error'"
O=$T/y-ipxe
mkdir -p "$O"
cp "$T/c15/rootfs.cpio.gz" "$T/c15/xen.gz" "$T/c15/vmlinuz" "$O/"
gzip -dc "$O/xen.gz" >"$O/xen" || fail "gunzip xen.gz"
printf '#!ipxe\nkernel xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256 gnttab_max_maptrack_frames=1024 console=com1\nmodule vmlinuz console=ttyS0 console=hvc0 rdinit=/sbin/init\nmodule rootfs.cpio.gz\nboot\n' >"$O/boot.ipxe"
run 1 "$O"
has "boot.ipxe:2: error: [boot] this entry loads xen.gz, a gzip-compressed image, as the multiboot kernel"
has "stock iPXE builds leave IMAGE_GZIP off on x86 (src/config/general.h), so the boot stops with 'Exec format error'"
# the uncompressed ELF, as mkdom0's own boot.ipxe loads it: no such error
# (the rootfs's own findings stay)
sed -i 's/^kernel xen.gz /kernel xen /' "$O/boot.ipxe"
run 1 "$O"
hasnt "compressed image"
hasnt "boot.ipxe:2: error"
echo "all paired lint checks passed"
