#!/usr/bin/env bash
# `mkdom0 boot` refuses broken image directories and bad options with a clear
# message before starting QEMU, and builds the QEMU command line the design
# asks for (no QEMU run: --print-cmdline).
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
work=$(mktemp -d /tmp/mkdom0-boot-refuse.XXXXXX)
trap 'rm -rf "$work"' EXIT
d="$work/img"; mkdir -p "$d"
# A stand-in image: an "ELF" hypervisor (only the magic is checked before
# QEMU runs), a kernel and a rootfs.
printf '\177ELF-not-really-xen' | gzip -n > "$d/xen.gz"
echo kernel > "$d/vmlinuz"
echo rootfs | gzip -n > "$d/rootfs.cpio.gz"
cat > "$d/grub.cfg" <<'G'
menuentry 'mkdom0 Xen dom0' {
	multiboot2 /xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256 com1=115200,8n1 console=com1
	module2 /vmlinuz rdinit=/sbin/init console=ttyS0,115200 console=hvc0
	module2 --nounzip /rootfs.cpio.gz
}
G

expect_fail() {  # rc needle args...
    local rc=$1 needle=$2; shift 2
    set +e
    "$MKDOM0" boot "$@" > "$work/out" 2>&1
    local got=$?
    set -e
    [ $got = "$rc" ] || { cat "$work/out"; fail "mkdom0 boot $* exited $got, expected $rc"; }
    grep -qF -- "$needle" "$work/out" || { cat "$work/out"; fail "mkdom0 boot $*: no '$needle' in the message"; }
}

# The command line: TCG, the design's host, dom0_mem fitted to the VM, commas doubled.
"$MKDOM0" boot --print-cmdline "$d" > "$work/cmd" 2> "$work/note"
cat "$work/cmd" "$work/note"
for w in "'-accel' 'tcg'" "'-cpu' 'qemu64,+svm,+npt'" "'-machine' 'q35'" "'-device' 'amd-iommu'" \
         "'-m' '2048'" "dom0_mem=1024M,max:1024M" "console=ttyS0,,115200 console=hvc0,$d/rootfs.cpio.gz" \
         "'-serial' 'mon:stdio'"; do
    grep -qF -- "$w" "$work/cmd" || fail "command line lacks $w"
done
grep -q "gives dom0_mem=4096M,max:4096M; this 2048M VM boots it with dom0_mem=1024M,max:1024M" "$work/note" \
    || fail "no note about the changed dom0_mem"
# The printed command runs later: the files it names are still there, and it
# has the ssh forward that `mkdom0 boot` prints.
grep -qF "restrict=on,hostfwd=tcp:127.0.0.1:" "$work/cmd" || fail "no ssh forward in the command line"
elf=$(grep -o "'-kernel' '[^']*'" "$work/cmd" | cut -d"'" -f4)
[ -f "$elf" ] || fail "the command line names $elf, which is gone"
scratch=$(sed -n 's/^note: the command line uses files in \(.*\); remove it when done$/\1/p' "$work/note")
[ -n "$scratch" ] && [ "${elf#"$scratch"/}" != "$elf" ] || fail "the note does not name the directory of $elf"
rm -rf "$scratch"
"$MKDOM0" boot --print-cmdline --memory 8G "$d" > "$work/cmd" 2> "$work/note"
grep -qF "dom0_mem=4096M,max:4096M" "$work/cmd" || fail "an 8G VM should keep the image's dom0_mem"
grep -q "dom0_mem" "$work/note" && fail "no dom0_mem note expected when it fits"
rm -rf "$(sed -n 's/^note: the command line uses files in \(.*\); remove it when done$/\1/p' "$work/note")"
ssh-keygen -q -t ed25519 -N "" -C "" -f "$work/id"   # --check needs a client key; any will do here
"$MKDOM0" boot --print-cmdline --check --path uefi --ovmf /dev/null --ssh-key "$work/id" "$d" > "$work/cmd" 2> "$work/note" \
    || { cat "$work/note"; fail "--print-cmdline --path uefi failed (its media need grub-efi-amd64-bin, mtools, fdisk: make deps)"; }
grep -qF "'-device' 'nvme,serial=mkdom0,drive=d0,bootindex=0'" "$work/cmd" || fail "uefi: no NVMe disk"
grep -qF "restrict=on,hostfwd=tcp:127.0.0.1:" "$work/cmd" || fail "--check: no restricted user network"
rm -rf "$(sed -n 's/^note: the command line uses files in \(.*\); remove it when done$/\1/p' "$work/note")"

# Refusals.
expect_fail 2 "no unit" --memory 4096 "$d"
expect_fail 1 "--log /dev/null: exists and is not a regular file (a device, FIFO or socket): not replaced" --check --ssh-key "$work/id" --log /dev/null "$d"
[ -c /dev/null ] || fail "--log /dev/null replaced the device"
expect_fail 2 "unknown boot path 'tftp'" --path tftp "$d"
# PXE (#11): the options that do not go together, and a host the image
# does not have, are refused before QEMU starts.
expect_fail 1 "iPXE loads multiboot images (Xen) only on BIOS" --print-cmdline --path pxe --netboot ipxe --firmware uefi "$d"
expect_fail 2 "--netboot is for --path pxe" --print-cmdline --netboot ipxe "$d"
expect_fail 2 "--firmware is for --path disk and pxe" --print-cmdline --firmware bios --path iso "$d"
expect_fail 2 "--tap is for booting on your own network" --check --ssh-key "$work/id" --path pxe --tap tap0 "$d"
expect_fail 1 "host web1: $d/image.ini" --print-cmdline --path pxe --host web1 "$d"
# Without a netboot/ in the image, pxe serves one made now; QEMU's user
# network is its DHCP and TFTP server, restricted.
"$MKDOM0" boot --print-cmdline --path pxe "$d" > "$work/cmd" 2> "$work/note" || { cat "$work/note"; fail "--path pxe failed"; }
grep -q "netboot/: serving one made now with the same code, since the image has no netboot/" "$work/note" ||
    { cat "$work/note"; fail "no note about the netboot tree made now"; }
tftp=$(grep -o "tftp=[^,']*" "$work/cmd" | cut -d= -f2)
grep -qF "restrict=on,hostfwd=tcp:127.0.0.1:" "$work/cmd" && grep -qF ",bootfile=boot/grub/i386-pc/core.0'" "$work/cmd" &&
    [ -f "$tftp/boot/grub/i386-pc/core.0" ] && [ -f "$tftp/boot/grub/grub.cfg" ] || { cat "$work/cmd"; fail "pxe: no TFTP root with GRUB's BIOS image"; }
grep -qF "'-device' 'e1000e,netdev=n0,bootindex=0'" "$work/cmd" || fail "pxe: the NIC does not boot first"
grep -q -- "-bios" "$work/cmd" && fail "pxe under SeaBIOS (the default) got OVMF"
rm -rf "$(sed -n 's/^note: the command line uses files in \(.*\); remove it when done$/\1/p' "$work/note")"
# --path efi (#11): the efi/ tree on an ESP image, xen.efi as BOOTX64.EFI
# and xen.cfg beside it as BOOTX64.cfg (the name xen.efi reads when started
# as BOOTX64.EFI); the build's bytes as they are when dom0_mem fits the VM,
# else a tree made now from efi/xen.efi with the fitted dom0_mem.
need mdir mtype
expect_fail 1 "--path efi: the image has no efi/, and $d/efi/xen.efi is missing to make another (mkdom0 build --media efi)" \
    --print-cmdline --path efi --ovmf /dev/null "$d"
mkdir "$d/efi"
echo 'MZ not really xen.efi' > "$d/efi/xen.efi"
printf '[global]\ndefault=mkdom0\n\n[mkdom0]\noptions=dom0_mem=4096M,max:4096M\nkernel=vmlinuz console=hvc0\nramdisk=rootfs.cpio.gz\n' > "$d/efi/xen.cfg"
cp "$d/vmlinuz" "$d/rootfs.cpio.gz" "$d/efi/"
esp_of() { sed -n "s/.*'-drive' 'file=\([^,']*\),if=none,id=d0,format=raw,snapshot=on'.*/\1/p" "$1"; }
"$MKDOM0" boot --print-cmdline --path efi --memory 8G --ovmf /dev/null "$d" > "$work/cmd" 2> "$work/note" ||
    { cat "$work/note"; fail "--path efi failed"; }
esp=$(esp_of "$work/cmd")
[ -f "$esp" ] || { cat "$work/cmd"; fail "efi: no ESP image attached with snapshot=on"; }
grep -qF "'-bios' '/dev/null'" "$work/cmd" || fail "efi: not booted by the OVMF given"
grep -q "made now" "$work/note" && fail "efi: an 8G VM should boot the build's efi/ as it is"
mdir -b -i "$esp" ::/EFI/BOOT | sed 's|.*/||' | sort | tr '\n' ' ' > "$work/esp-files"
[ "$(cat "$work/esp-files")" = "BOOTX64.EFI BOOTX64.cfg rootfs.cpio.gz vmlinuz " ] || fail "efi: the ESP holds $(cat "$work/esp-files")"
for f in BOOTX64.EFI:xen.efi BOOTX64.cfg:xen.cfg vmlinuz:vmlinuz rootfs.cpio.gz:rootfs.cpio.gz; do
    cmp -s <(mtype -i "$esp" "::/EFI/BOOT/${f%%:*}") "$d/efi/${f#*:}" || fail "efi: ${f%%:*} on the ESP is not efi/${f#*:}"
done
rm -rf "$(sed -n 's/^note: the command line uses files in \(.*\); remove it when done$/\1/p' "$work/note")"
"$MKDOM0" boot --print-cmdline --path efi --ovmf /dev/null "$d" > "$work/cmd" 2> "$work/note" ||
    { cat "$work/note"; fail "--path efi (dom0_mem fitted) failed"; }
grep -q "efi/: booting one made now with the same code, since its dom0_mem does not fit this VM" "$work/note" ||
    { cat "$work/note"; fail "efi: no note about the tree made now"; }
esp=$(esp_of "$work/cmd")
mtype -i "$esp" ::/EFI/BOOT/BOOTX64.cfg | matches '^options=dom0_mem=1024M,max:1024M ' || fail "efi: the tree made now lacks the fitted dom0_mem"
cmp -s <(mtype -i "$esp" ::/EFI/BOOT/BOOTX64.EFI) "$d/efi/xen.efi" || fail "efi: the tree made now is not from efi/xen.efi"
rm -rf "$(sed -n 's/^note: the command line uses files in \(.*\); remove it when done$/\1/p' "$work/note")"
rm "$d/efi/xen.cfg"
expect_fail 1 "$d/efi: no xen.efi or no xen.cfg in it" --print-cmdline --path efi --memory 8G --ovmf /dev/null "$d"
rm -r "$d/efi"
expect_fail 2 "choose tcg or kvm" --accel hvf "$d"
expect_fail 2 "--guests: 'pvhh' in 'io,pvhh' is no guest step (choose from pv, pvh, reboot, io, hvm" \
    --guests io,pvhh "$d"
expect_fail 2 "--guests: '' in 'io,' is no guest step" --guests io, "$d"
expect_fail 2 "give exactly one image directory" --print-cmdline
expect_fail 1 "not an image directory" --print-cmdline "$work/none"
expect_fail 1 "leaves less than 512M" --print-cmdline --dom0-mem 1800M "$d"
# A grub.cfg past the 16 MiB of a boot config is refused by its size, never
# read whole first (issue 9): under 200 MB of address space, a 300 MB one.
cp "$d/grub.cfg" "$work/grub.cfg.keep"
truncate -s 300M "$d/grub.cfg"
set +e
memcap 200000 "$MKDOM0" boot --print-cmdline "$d" > "$work/out" 2>&1
rc=$?
set -e
[ $rc = 1 ] && grep -qF "$d/grub.cfg: 314572800 bytes, more than the 16 MiB read of a boot config" "$work/out" \
    || { cat "$work/out"; fail "a 300 MB grub.cfg: exit $rc, want 1 naming its size and the limit"; }
cp "$work/grub.cfg.keep" "$d/grub.cfg"
sed -i 's/dom0_mem=4096M,max:4096M/dom0_mem=4096M/' "$d/grub.cfg"
expect_fail 1 "without max: (trap 4" --print-cmdline "$d"
sed -i 's/dom0_mem=4096M /dom0_mem=4096M,max:4096M /; s/--nounzip //' "$d/grub.cfg"
expect_fail 1 "lacks --nounzip" --print-cmdline "$d"
sed -i 's|module2 /rootfs|module2 --nounzip /rootfs|' "$d/grub.cfg"
rm "$d/vmlinuz"
expect_fail 1 "vmlinuz (named by $d/grub.cfg as /vmlinuz)" --print-cmdline "$d"
echo kernel > "$d/vmlinuz"
echo 'not gzip' > "$d/xen.gz"
expect_fail 1 "not a Xen ELF image" --print-cmdline "$d"
printf '\177ELF-not-really-xen' | gzip -n > "$d/xen.gz"
HOME=$work XDG_STATE_HOME= expect_fail 2 "no ssh key for root@dom0" --check "$d"
echo "all refusals name their cause"
