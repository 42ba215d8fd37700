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
media_setup oddname
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
check_esp "$work/disk.img" "$out"
# The ISO: both El Torito images and the build's grub.cfg.
cp "$out/boot.iso" "$work/boot.iso"
check_iso "$work/boot.iso" "$out"
[ -f "$out/netboot/boot/grub/x86_64-efi/core.efi" ] || fail "netboot/ has no GRUB for UEFI"
echo "ok: disk.img, boot.iso and netboot/ built in $out; nothing beside it changed"
