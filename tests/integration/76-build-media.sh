#!/usr/bin/env bash
# mkdom0 build --media iso,disk,netboot: the boot media are made, under their
# fixed names, twice with the same bytes, and every config on them carries
# the grub.cfg's arguments and lints clean.  Read back with independent
# tools (sfdisk, mtools, xorriso), no boot (test 57 boots them).
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
media_setup media

build_or_skip --keys "$keys" --media iso,disk,netboot -o "$work/a" > "$work/a.log"
grep -q 'boot.iso,disk.img,netboot/}' "$work/a.log" || { cat "$work/a.log"; fail "the summary does not name the media"; }
for f in boot.iso disk.img netboot/boot/grub/grub.cfg netboot/boot/grub/i386-pc/core.0 \
         netboot/boot/grub/x86_64-efi/core.efi netboot/boot.ipxe netboot/pxelinux.0 \
         netboot/pxelinux.cfg/default netboot/mboot.c32 netboot/ldlinux.c32 netboot/libcom32.c32 \
         netboot/xen netboot/xen.gz netboot/vmlinuz netboot/rootfs.cpio.gz netboot/README; do
    [ -f "$work/a/$f" ] || fail "$f missing from the output"
done
grep -q 'dhcp-boot=tag:efi64' "$work/a/netboot/README" || fail "README has no dnsmasq settings"
# The netboot tree's files are its own, not links to the system's.
[ "$(stat -c %h "$work/a/netboot/mboot.c32")" = 1 ] || fail "mboot.c32 is a hard link to the system's file"

# Same inputs, same bytes: a second build into another directory.
"$MKDOM0" build --keys "$keys" --media iso,disk,netboot -o "$work/b" > "$work/b.log" 2>&1 ||
    { cat "$work/b.log"; fail "the second build failed"; }
cmp "$work/a/boot.iso" "$work/b/boot.iso" || fail "boot.iso differs between two builds"
cmp "$work/a/disk.img" "$work/b/disk.img" || fail "disk.img differs between two builds"
diff -r "$work/a/netboot" "$work/b/netboot" || fail "netboot/ differs between two builds"
echo "deterministic: boot.iso $(sha256sum < "$work/a/boot.iso" | cut -c1-16), disk.img $(sha256sum < "$work/a/disk.img" | cut -c1-16)"

# The disk: GPT with a BIOS boot partition and an ESP; GRUB's boot.img in the
# MBR pointing at core.img in the BIOS boot partition; the ESP holds GRUB,
# the build's grub.cfg byte for byte and the three files.
table=$(/usr/sbin/sfdisk -d "$work/a/disk.img")
echo "$table"
echo "$table" | grep -q 'start=        2048, size=        2048, type=21686148-6E69-6F6E-744E-656564454649' ||
    fail "no BIOS boot partition at LBA 2048"
check_esp "$work/a/disk.img" "$work/a"
[ "$(od -An -tx1 -j 0x5c -N 8 "$work/a/disk.img" | tr -d ' ')" = 0008000000000000 ] ||
    fail "the MBR's boot code does not point at core.img (LBA 2048)"
cmp -n 0x5c "$work/a/disk.img" /usr/lib/grub/i386-pc/boot.img || fail "the MBR does not start with GRUB's boot.img"
[ "$(od -An -tx1 -j 0x1fe -N 2 "$work/a/disk.img" | tr -d ' ')" = 55aa ] || fail "no MBR signature"

# The ISO: El Torito entries for BIOS and UEFI, the build's grub.cfg.
check_iso "$work/a/boot.iso" "$work/a"

# Every config lints clean and carries the same arguments.
"$MKDOM0" lint "$work/a/netboot/boot.ipxe" "$work/a/netboot/pxelinux.cfg/default" \
    "$work/a/netboot/boot/grub/grub.cfg" || fail "a netboot config does not lint clean"
cmp "$work/a/netboot/boot/grub/grub.cfg" "$work/a/grub.cfg" || fail "the netboot grub.cfg is not the build's"
xen_args=$(sed -n 's/^\tmultiboot2 \/xen.gz //p' "$work/a/grub.cfg")
dom0_args=$(sed -n 's/^\tmodule2 \/vmlinuz //p' "$work/a/grub.cfg")
[ -n "$xen_args" ] && [ -n "$dom0_args" ] || fail "cannot read the arguments from grub.cfg"
grep -qxF "kernel xen $xen_args || goto failed" "$work/a/netboot/boot.ipxe" || fail "iPXE's Xen arguments differ"
grep -qxF "module vmlinuz $dom0_args || goto failed" "$work/a/netboot/boot.ipxe" || fail "iPXE's dom0 arguments differ"
grep -qF "append xen $xen_args --- vmlinuz $dom0_args --- rootfs.cpio.gz" "$work/a/netboot/pxelinux.cfg/default" ||
    fail "pxelinux's arguments differ"

# The spec asks, the command line overrides; without either no media.
printf '[Image]\nBase=default\n\n[Boot]\nMedia=netboot\n' > "$work/media.ini"
"$MKDOM0" build --keys "$keys" --media none -o "$work/c" "$work/media.ini" > "$work/c.log" 2>&1 ||
    { cat "$work/c.log"; fail "the build with --media none failed"; }
[ "$(ls "$work/c" | sort | tr '\n' ' ')" = "grub.cfg image.ini manifest rootfs.cpio.gz size-report.txt vmlinuz xen.gz " ] ||
    fail "--media none still wrote media: $(ls "$work/c")"
cmp "$work/a/rootfs.cpio.gz" "$work/c/rootfs.cpio.gz" || fail "the media changed the rootfs"
printf '[Boot]\nMedia=iso floppy\n' > "$work/bad.ini"
out=$("$MKDOM0" build -o "$work/d" "$work/bad.ini" 2>&1) && fail "Media=floppy was accepted"
echo "$out" | grep -q "bad.ini:2: Media=iso floppy: unknown boot medium 'floppy'" || fail "wrong error: $out"
out=$("$MKDOM0" build --media cdrom -o "$work/d" 2>&1) && fail "--media cdrom was accepted"
echo "$out" | grep -q "unknown boot medium 'cdrom'" || fail "wrong error: $out"

# A netboot/ in the output that mkdom0 did not make (a symlink inside) is
# someone's data: refused without --force, before any work.
mkdir -p "$work/e/netboot" && ln -s /etc/passwd "$work/e/netboot/link"
out=$("$MKDOM0" build --media netboot -o "$work/e" 2>&1) && fail "a foreign netboot/ was replaced"
echo "$out" | grep -q "holds 'netboot', which mkdom0 build did not write" || fail "wrong error: $out"
[ -L "$work/e/netboot/link" ] || fail "the foreign netboot/ was touched"
echo "media: boot.iso, disk.img, netboot/ made, deterministic, lint clean"
