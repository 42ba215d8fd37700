#!/usr/bin/env bash
# Trap 5 on Debian's real kernel package: the default allowlist's closure has
# every dependency, the host's kmod (modprobe -d, modinfo -b) resolves it from
# our index, and depmod on the same files writes the same index.
set -euo pipefail
PATH=$PATH:/sbin:/usr/sbin
. "${MKDOM0_SRC:?}/tests/lib.sh"
drv="$MKDOM0_BUILD/tests/test_modules"
need_unit test_modules
need modprobe modinfo depmod dpkg-deb apt-get xz zstd
deb=$(kernel_deb) || exit

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dpkg-deb -x "$deb" "$tmp/root"
kver=$(ls "$tmp/root/lib/modules")
echo "kernel $kver from $(basename "$deb")"

# 1. the default allowlist and the USB stack a spec adds for USB disks
#    (xhci-pci usb-storage sd_mod; the default leaves it out for size)
allow=(xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-netback xen-blkback loop
       xen-netfront xen-blkfront nvme ice ixgbe e1000e virtio_net virtio_blk virtio_pci
       xhci-pci usb-storage sd_mod)
"$drv" --real "$tmp/root" - "$tmp/out" "${allow[@]}" > "$tmp/report"
cat "$tmp/report"
mods="$tmp/out/lib/modules/$kver"
grep -Eq '^  ice +allowlist$' "$tmp/report"
grep -Eq '^  libphy +dependency of ixgbe$' "$tmp/report"
grep -Eq '^  usbcore +dependency of xhci_pci$' "$tmp/report"
grep -Eq '^  usb_common +dependency of xhci_hcd$' "$tmp/report"
grep -Eq '^  xen_privcmd +allowlist$' "$tmp/report"
kept=$(sed -n 's/.*: \([0-9]*\) of [0-9]* modules kept.*/\1/p' "$tmp/report")
nfiles=$(find "$mods/kernel" -name '*.ko*' | wc -l)
ndep=$(grep -c . "$mods/modules.dep")
echo "kept $kept, files $nfiles, modules.dep lines $ndep"
# (one test a line: set -e does not stop at the left side of an &&)
[ "$kept" = "$nfiles" ] || fail "the report keeps $kept modules, the tree has $nfiles"
[ "$nfiles" = "$ndep" ] || fail "the tree has $nfiles modules, modules.dep lists $ndep"
[ "$nfiles" -gt 20 ] && [ "$nfiles" -lt 100 ] || fail "$nfiles modules kept: not a closure of the allowlist"
[ -z "$(find "$mods/kernel" -type d -empty)" ] || { echo "empty directories left"; exit 1; }

# Every file modules.dep names exists (order-insensitive closure check).
missing=0
while IFS= read -r line; do
    for f in ${line/:/ }; do
        [ -f "$mods/$f" ] || { echo "modules.dep names missing $f"; missing=1; }
    done
done < "$mods/modules.dep"
[ $missing = 0 ]

# modprobe resolves every allowlisted module to files that exist.
for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-netback xen-blkback \
         nvme ice ixgbe e1000e xhci-pci usb-storage sd_mod virtio_net virtio_blk virtio_pci; do
    out=$(modprobe -d "$tmp/out" -S "$kver" --show-depends "$m")
    [ -n "$out" ] || { echo "modprobe: nothing for $m"; exit 1; }
    while read -r verb path _; do
        [ "$verb" = insmod ] || { echo "modprobe $m: unexpected '$verb $path'"; exit 1; }
        [ -f "$path" ] || { echo "modprobe $m: $path missing"; exit 1; }
    done <<< "$out"
done
modprobe -d "$tmp/out" -S "$kver" --show-depends ixgbe | matches 'libphy.ko'
modprobe -d "$tmp/out" -S "$kver" --show-depends xhci-pci | matches 'usb-common.ko'
# A module outside the closure is unknown to the image's modprobe.
# (`! cmd` alone never stops set -e: hence the if)
if modprobe -d "$tmp/out" -S "$kver" --show-depends btrfs >/dev/null 2>&1; then
    fail "modprobe resolves btrfs, which is outside the closure"
fi
[ "$(modinfo -b "$tmp/out" -k "$kver" -F name xen-gntdev)" = xen_gntdev ]

# depmod on the same files: same index (modules.symbols is in hash order there).
mkdir "$tmp/ours" && cp "$mods"/modules.* "$tmp/ours/"
depmod -b "$tmp/out" "$kver"
for f in modules.dep modules.dep.bin modules.alias modules.alias.bin modules.softdep \
         modules.symbols.bin modules.builtin.bin modules.builtin.alias.bin modules.devname; do
    cmp "$mods/$f" "$tmp/ours/$f"
done
diff <(sort "$mods/modules.symbols") <(sort "$tmp/ours/modules.symbols")

# 2. the whole kernel: the index of 4000 modules is depmod's, byte for byte.
all=$(find "$tmp/root/lib/modules" -name '*.ko*' | sed 's|.*/||; s|\.ko.*$||' | sort -u)
# shellcheck disable=SC2086
"$drv" --real "$tmp/root" - "$tmp/all" $all > "$tmp/report-all"
head -n1 "$tmp/report-all"
amods="$tmp/all/lib/modules/$kver"
mkdir "$tmp/ours-all" && cp "$amods"/modules.* "$tmp/ours-all/"
depmod -b "$tmp/all" "$kver"
for f in modules.dep modules.dep.bin modules.alias.bin modules.symbols.bin modules.devname; do
    cmp "$amods/$f" "$tmp/ours-all/$f"
done

# 3. compressed modules (trixie ships .ko.xz): the closure's modules as
# .ko.xz and .ko.zst give the same closure, and depmod agrees with our index.
mkdir -p "$tmp/zroot/lib/modules/$kver"
cp "$tmp/root/lib/modules/$kver"/modules.{order,builtin,builtin.modinfo} "$tmp/zroot/lib/modules/$kver/"
i=0
while IFS= read -r rel; do
    mkdir -p "$tmp/zroot/lib/modules/$kver/$(dirname "$rel")"
    if [ $((i % 2)) = 0 ]; then
        xz --check=crc32 -c "$mods/$rel" > "$tmp/zroot/lib/modules/$kver/$rel.xz"
    else
        zstd -q -c "$mods/$rel" > "$tmp/zroot/lib/modules/$kver/$rel.zst"
    fi
    i=$((i + 1))
done < <(cd "$mods" && find kernel -name '*.ko' | sort)
"$drv" --real "$tmp/zroot" - "$tmp/zout" "${allow[@]}" > "$tmp/zreport"
zmods="$tmp/zout/lib/modules/$kver"
diff <(grep '^  [a-z]' "$tmp/report" | grep -v note) <(grep '^  [a-z]' "$tmp/zreport" | grep -v note)
grep -q '\.ko\.xz' "$zmods/modules.dep" || fail "no .ko.xz in modules.dep"
grep -q '\.ko\.zst' "$zmods/modules.dep" || fail "no .ko.zst in modules.dep"
mkdir "$tmp/zours" && cp "$zmods"/modules.* "$tmp/zours/"
depmod -b "$tmp/zout" "$kver"
for f in modules.dep modules.dep.bin modules.alias.bin modules.symbols.bin modules.softdep; do
    cmp "$zmods/$f" "$tmp/zours/$f"
done
modprobe -d "$tmp/zout" -S "$kver" --show-depends ixgbe | matches -E 'libphy\.ko\.(xz|zst)'
[ "$(modinfo -b "$tmp/zout" -k "$kver" -F depends xenfs)" = xen-privcmd ]

# 4. an unknown name fails, naming it and the kernel, with a near match.
if "$drv" --real "$tmp/root" - "$tmp/bad" ice ixgbee 2> "$tmp/err" >/dev/null; then
    echo "unknown module accepted"; exit 1
fi
cat "$tmp/err"
grep -q "ixgbee" "$tmp/err" || fail "the error does not name ixgbee"
grep -q "$kver" "$tmp/err" || fail "the error does not name the kernel $kver"
grep -q "did you mean ixgbe" "$tmp/err" || fail "the error suggests no near match"
echo "ok"
