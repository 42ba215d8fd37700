#!/usr/bin/env bash
# The default image, built twice by different users, from different
# directories, with different umasks, time zones and clocks, is byte-identical;
# read back with independent tools it holds what a dom0 needs.
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"

work=$(mktemp -d /tmp/mkdom0-repro.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
keys="$work/keys"

# First build: root, umask 022, UTC, the real clock, the shared warm cache.
mkdir -p "$work/a"
( cd "$work/a" && umask 022 && TZ=UTC build_or_skip --keys "$keys" -o out ) > "$work/a.log"
cat "$work/a.log"

# faketime (libfaketime) moves the clock; without it the test still varies
# everything else and says so.
if command -v faketime >/dev/null; then shift_clock="faketime -f +3d"
else shift_clock=""; echo "note: faketime not installed: the clock is not shifted"; fi

# Second build: user nobody, umask 077, another zone, the clock 3 days ahead,
# its own copy of the cache, another directory.  The keys are handed over
# (the host keys are part of the image: same keys, same image).
mkdir -p "$work/b/home" "$work/b/cache"
cp -a "$(cache_dir)/." "$work/b/cache/"
chown -R nobody:nogroup "$work/b" "$keys"
( cd "$work/b" && umask 077 && setpriv --reuid=nobody --regid=nogroup --clear-groups \
    env HOME="$work/b/home" TZ=Asia/Tokyo MKDOM0_CACHE="$work/b/cache" \
    $shift_clock "$MKDOM0" build --keys "$keys" -o out ) > "$work/b.log" 2>&1 \
    || { cat "$work/b.log"; fail "the second build (user nobody) failed"; }

for f in rootfs.cpio.gz xen.gz vmlinuz grub.cfg manifest; do
    cmp "$work/a/out/$f" "$work/b/out/$f" || fail "$f differs between the two builds"
done
echo "identical: rootfs.cpio.gz xen.gz vmlinuz grub.cfg manifest"

# Size budget of the design: 34 MB gzip at most.
size=$(stat -c %s "$work/a/out/rootfs.cpio.gz")
echo "rootfs.cpio.gz: $size bytes"
[ "$size" -le 34000000 ] || fail "rootfs.cpio.gz is $size bytes, over the 34 MB budget"

# Read back with independent tools.
x="$work/x"; mkdir -p "$x"
gzip -t "$work/a/out/rootfs.cpio.gz"
(cd "$x" && gzip -dc "$work/a/out/rootfs.cpio.gz" | cpio -id --quiet --no-absolute-filenames 2>/dev/null) \
    || fail "cpio cannot unpack the image"
for f in usr/lib/xen-4.17/bin/xl usr/lib/xen-4.17/bin/xenstored usr/lib/xen-4.17/bin/xenconsoled \
         usr/sbin/sshd usr/sbin/openrc usr/bin/busybox sbin/init etc/inittab; do
    [ -e "$x/$f" ] || [ -L "$x/$f" ] || fail "$f is missing from the image"
done
grep -q '^hvc0:.*getty' "$x/etc/inittab" || fail "no getty on hvc0 in /etc/inittab"

# Shared-library closure from the extracted tree alone (what ldd would do
# inside the dom0): every DT_NEEDED of every ELF file is in the image.
libdirs=("$x/usr/lib/x86_64-linux-gnu" "$x/usr/lib" "$x/usr/lib64")
missing=0 checked=0
while IFS= read -r -d '' f; do
    readelf -h "$f" >/dev/null 2>&1 || continue
    checked=$((checked + 1))
    for lib in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        found=
        for d in "${libdirs[@]}"; do [ -e "$d/$lib" ] && found=1 && break; done
        [ -n "$found" ] || { echo "missing $lib needed by ${f#$x}"; missing=$((missing + 1)); }
    done
done < <(find "$x/usr/bin" "$x/usr/sbin" "$x/usr/lib/xen-4.17/bin" "$x/usr/lib/x86_64-linux-gnu" \
          -type f -print0)
echo "ELF files checked: $checked, missing libraries: $missing"
[ "$checked" -gt 50 ] || fail "only $checked ELF files found: extraction went wrong"
[ "$missing" = 0 ] || fail "$missing shared libraries missing"

# Modules: the image's index resolves every allowlisted module's
# dependencies, checked by the host's real kmod.
kver=$(ls "$x/usr/lib/modules")
for m in xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-netback xen-blkback nvme ice ixgbe \
         e1000e xhci-pci usb-storage sd_mod virtio_net virtio_blk virtio_pci; do
    deps=$(modprobe -d "$x" -S "$kver" --show-depends "$m") || fail "modprobe cannot resolve $m"
    while read -r _ path _; do
        [ -e "$path" ] || fail "$m needs $path, which is not in the image"
    done <<< "$(grep '^insmod' <<< "$deps")"
done
for ko in $(find "$x/usr/lib/modules" -name '*.ko'); do
    for d in $(modinfo -F depends "$ko" | tr ',' ' '); do
        find "$x/usr/lib/modules" -name "$d.ko" -o -name "${d//_/-}.ko" | grep -q . \
            || fail "$(basename "$ko") depends on $d, which is not in the image"
    done
done
echo "modules: every dependency present and resolved by modprobe"
