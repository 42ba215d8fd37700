#!/usr/bin/env bash
# trial 9c case 2: the output's path (and TMPDIR) are the user's bytes, and
# the media tools read meaning into bytes of a path: mtools cuts an image
# name at its first "@@" (an offset) and takes "NAME:" as a drive, xorriso's
# -graft-points cuts at '=', getopt takes a leading '-' as an option.  With
# -o naming such bytes, every medium is built complete, in the output, and
# nothing beside it is touched (before the fix the ESP's FAT was written
# over PARENT/.NAME, the part before the "@@", and the build said "built").
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
need xorriso mdir mtype
work=$(mktemp -d /tmp/mkdom0-oddname.XXXXXX)
trap 'rm -rf "$work"' EXIT
keys="$work/keys"
parent="$work/p@@2=b"
mkdir -p "$parent" "$work/t@@3=-x:y"
# Files where a tool cutting at "@@" would write: the part before the first
# "@@" of the parent, of the output's base name and of TMPDIR, dotted or not
# (mformat overwrites one only when it is big enough to hold the FAT).
for f in "$work/p" "$work/.p" "$parent/.-vm" "$parent/-vm" "$work/t"; do
    head -c 80M /dev/zero | tr '\0' 'A' > "$f"
done
# Every file under $work but the keys, the output and mkdom0's own lock
# beside it: names, sizes, times, modes, and the planted files' hashes.
snap() { (cd "$work" && find . -path ./keys -prune -o -path ./s -prune \
              -o -path './p@@2=b/-vm@@x=y:z' -prune -o -name '.-vm@@x=y:z.mkdom0-lock' -prune \
              -o -type d -o -print0 |
          sort -z | xargs -0 -r stat -c '%n %s %Y %a' && sha256sum p .p "p@@2=b/.-vm" "p@@2=b/-vm" t); }
mkdir "$work/s"
snap > "$work/s/before"
out="$parent/-vm@@x=y:z"
TMPDIR="$work/t@@3=-x:y" build_or_skip --keys "$keys" --media disk,iso,netboot -o "$out" > "$work/s/log"
snap > "$work/s/after"
diff "$work/s/before" "$work/s/after" || fail "the build touched files beside its output"
[ -z "$(ls -A "$work/t@@3=-x:y")" ] || fail "scratch left in TMPDIR: $(ls -A "$work/t@@3=-x:y")"

# The disk: its ESP is a FAT holding the build's files (mtools reads it here
# from a directory of plain bytes, as the test must not trust the name either).
cp "$out/disk.img" "$work/disk.img"
esp=$(/usr/sbin/sfdisk -d "$work/disk.img" | awk -F'[=,]' '/C12A7328-F81F-11D2-BA4B-00A0C93EC93B/ {gsub(/ /,"",$2); print $2}')
[ -n "$esp" ] || fail "disk.img has no EFI system partition"
img="$work/disk.img@@$((esp * 512))"
mdir -i "$img" ::/EFI/BOOT | grep -q BOOTX64 || fail "no EFI/BOOT/BOOTX64.EFI on the ESP"
cmp <(mtype -i "$img" ::/EFI/BOOT/grub.cfg) "$out/grub.cfg" || fail "the ESP's grub.cfg is not the build's"
for f in xen.gz vmlinuz rootfs.cpio.gz; do
    cmp <(mtype -i "$img" "::/$f") "$out/$f" || fail "$f on the ESP differs from the build's"
done
# The ISO: both El Torito images and the build's grub.cfg.
cp "$out/boot.iso" "$work/boot.iso"
xorriso -indev "$work/boot.iso" -report_el_torito plain 2>/dev/null > "$work/eltorito"
grep -q 'El Torito boot img :   2  UEFI' "$work/eltorito" || fail "the ISO has no UEFI El Torito image"
xorriso -osirrox on -indev "$work/boot.iso" -extract /boot/grub/grub.cfg "$work/iso-grub.cfg" >/dev/null 2>&1
cmp "$work/iso-grub.cfg" "$out/grub.cfg" || fail "the ISO's grub.cfg is not the build's"
[ -f "$out/netboot/boot/grub/x86_64-efi/core.efi" ] || fail "netboot/ has no GRUB for UEFI"
echo "ok: disk.img, boot.iso and netboot/ built in $out; nothing beside it changed"
