#!/usr/bin/env bash
# slow
# Xen's own EFI boot, no GRUB: the build's xen-unified.efi (xen.efi with its
# xen.cfg, the dom0 kernel and the rootfs inside; mkdom0 build --media
# unified), signed with the test's own Secure Boot key, booted by OVMF as
# \EFI\BOOT\BOOTX64.EFI (mkdom0 boot --path xen-efi), with every check
# (boot_check_dir: login, ssh, xl list, the guests, the guest storage and
# its autostart guest, daemon kills, the boot medium not read, and
# statelessness across a system_reset that boots xen.efi again): the one
# full check of Xen's own EFI entry, where Xen, not GRUB, reads the
# firmware's memory map and boot services;
# and the efi/ tree of the same build (--media efi: xen.efi, xen.cfg, the
# kernel and the rootfs as files) on an ESP, xen.efi as BOOTX64.EFI reading
# xen.cfg as BOOTX64.cfg (--path efi), with the quick proof (boot_quick).
# The image carries early microcode ([Xen] Microcode=amd; test 76 checks the
# layout with Intel's 21 MB too, which only slows the emulated boot): Xen
# gets ucode=scan and the rootfs starts with the microcode cpio; QEMU's CPU
# takes no microcode, so Xen must say so and boot on, and dom0 must still
# unpack the rootfs behind it.  Dom0Mem=1024M fits the 2048M VM, so the build's
# file is booted as it is.
set -euo pipefail
. "$MKDOM0_SRC/tests/boot-lib.sh"
need sbverify openssl
work=$(mktemp -d /tmp/mkdom0-xen-efi-boot.XXXXXX)
trap 'rm -rf "$work"' EXIT
openssl req -new -x509 -newkey rsa:2048 -nodes -keyout "$work/db.key" -out "$work/db.crt" \
    -days 3650 -subj "/CN=mkdom0 boot test db/" 2>/dev/null || fail "openssl could not make a test certificate"
printf '[Image]\nBase=default\n\n[Repository bookworm]\nComponents=main non-free-firmware\n\n[Xen]\nDom0Mem=1024M\nMicrocode=amd\n\n[Boot]\nMedia=unified efi\nSecureBootKey=db.key\nSecureBootCert=db.crt\n' > "$work/efi.ini"
build_or_skip --keys "$work/keys" -o "$work/img" "$work/efi.ini" > "$work/build.log"
sbverify --cert "$work/db.crt" "$work/img/xen-unified.efi" || fail "xen-unified.efi is not signed with the test's key"
sha=$(sha256sum < "$work/img/xen-unified.efi")
sha_tree=$(cd "$work/img/efi" && sha256sum ./* | sha256sum)

boot_check_dir "$work/img" xen-efi
cp "$out/check.log" "$work/xen-efi.log"
cp "$out/console.log" "$work/xen-efi-console.log"
grep -q 'booting one made now' "$work/xen-efi.log" && fail "xen-efi did not boot the build's xen-unified.efi"
head -c 6 "$work/img/rootfs.cpio.gz" | matches 070701 || fail "the booted rootfs does not start with the microcode cpio"
# Xen's EFI loader, not GRUB, with the built-in config; its command line
# is the image's (grub.cfg's), ucode=scan included.
con="$work/xen-efi-console.log"
grep -q 'Xen 4.17.* EFI loader' "$con" || fail "no 'Xen ... EFI loader' line: not booted by xen.efi"
grep -q 'Using builtin config file' "$con" || fail "xen.efi did not use the .config section"
grep -q '(XEN) Bootloader: EFI' "$con" || fail "Xen was not started by its EFI loader"
grep -q 'GRUB' "$con" && fail "GRUB ran on the xen-efi path"
xen_args=$(sed -n 's/^\tmultiboot2 \/xen.gz //p' "$work/img/grub.cfg")
grep -qF "(XEN) Command line: $xen_args" "$con" || fail "Xen's command line is not the image's: $(grep -a 'Command line' "$con" | head -1)"
# Microcode: QEMU's CPU model offers no loading; Xen says so and goes on.
grep -Ea '\(XEN\) .*([Mm]icrocode|ucode)' "$con" | tee "$work/ucode-lines"
grep -q 'Microcode loading not available' "$work/ucode-lines" ||
    fail "no Xen microcode line on the console"
[ "$(sha256sum < "$work/img/xen-unified.efi")" = "$sha" ] || fail "booting changed xen-unified.efi"

# The efi/ tree: xen.efi read its config from the file beside it, the
# tree's xen.cfg, and loaded the kernel and rootfs named there.
boot_quick "$work/img" "$work" efi-tree --path efi
grep -q 'booting one made now' "$work/efi-tree.log" && fail "efi did not boot the build's efi/ tree"
con="$work/efi-tree-console.log"
grep -q 'Xen 4.17.* EFI loader' "$con" || fail "efi: no 'Xen ... EFI loader' line: not booted by xen.efi"
grep -q "Using configuration file 'BOOTX64.cfg'" "$con" || fail "efi: xen.efi did not read BOOTX64.cfg (the tree's xen.cfg)"
grep -q 'Using builtin config file' "$con" && fail "efi: booted a unified image, not the tree's xen.efi"
grep -q '(XEN) Bootloader: EFI' "$con" || fail "efi: Xen was not started by its EFI loader"
grep -q 'GRUB' "$con" && fail "GRUB ran on the efi path"
grep -qF "(XEN) Command line: $xen_args" "$con" || fail "efi: Xen's command line is not the image's: $(grep -a 'Command line' "$con" | head -1)"
[ "$(cd "$work/img/efi" && sha256sum ./* | sha256sum)" = "$sha_tree" ] || fail "booting changed efi/"
