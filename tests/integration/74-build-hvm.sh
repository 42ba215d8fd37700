#!/usr/bin/env bash
# [Xen] HVM=yes: the image carries the device model xl starts for HVM guests,
# where libxl looks for it, with every library it links and the firmware it
# loads; the build says what that costs; lint passes; the default has none.
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
need readelf strings cpio gzip

work=$(mktemp -d /tmp/mkdom0-hvm.XXXXXX)
trap 'rm -rf "$work"' EXIT
printf '[Image]\nBase=default\n\n[Xen]\nHVM=yes\n' > "$work/hvm.ini"
build_or_skip --keys "$MKDOM0_BUILD/test-keys" -o "$work/out" "$work/hvm.ini" > "$work/build.log"
cat "$work/build.log"

# What the user sees: the device model's cost, on the terminal and in the report.
line=$(grep -m1 '^HVM device model (\[Xen\] HVM=yes: qemu-system-xen' "$work/build.log") \
    || fail "the build does not say what the device model costs"
echo "build says: $line"
mib=$(sed -n 's/.*: \([0-9.]*\) MiB uncompressed in [0-9]* files.*/\1/p' <<< "$line")
npkg=$(sed -n 's/.*, \([0-9]*\) packages:$/\1/p' <<< "$line")
[ -n "$mib" ] && [ -n "$npkg" ] || fail "cannot read size and package count from: $line"
awk -v m="$mib" 'BEGIN { exit !(m >= 10 && m <= 60) }' \
    || fail "the device model costs $mib MiB uncompressed: not what QEMU 7.2 and its libraries weigh"
grep -q '^HVM device model' "$work/out/size-report.txt" || fail "size-report.txt lacks the device model's cost"
# The packages listed are the ones only the device model brings in: qemu's
# own libraries, not the dom0's (libc6 is the toolstack's and sshd's too).
rows=$(sed -n '/^HVM device model/,/^$/p' "$work/out/size-report.txt" | sed -n 's/^  \([^ ]*\) .*/\1/p')
for p in qemu-system-xen seabios ipxe-qemu libspice-server1 libglib2.0-0; do
    grep -qx "$p" <<< "$rows" || fail "$p is not in the device model's cost"
done
for p in libc6 xen-utils-4.17 libxenmisc4.17 openssh-server; do
    ! grep -qx "$p" <<< "$rows" || fail "$p (needed without HVM too) counted as the device model's"
done
[ "$(wc -l <<< "$rows")" = "$npkg" ] || fail "the report lists $(wc -l <<< "$rows") packages, says $npkg"

x="$work/x"; mkdir -p "$x"
(cd "$x" && gzip -dc "$work/out/rootfs.cpio.gz" | cpio -id --quiet --no-absolute-filenames)

# Where libxl (the image's own libxenlight) starts the device model and
# finds SeaBIOS; hvmloader is xen-utils-4.17's.
xenlight=$(ls "$x"/usr/lib/x86_64-linux-gnu/libxenlight.so.4.17.* | head -n1)
xlstr=$(strings "$xenlight")
for p in $(grep -E '^/usr/(libexec/xen-qemu-system|share/seabios/)' <<< "$xlstr" | sort -u) \
         /usr/lib/xen-4.17/boot/hvmloader /usr/share/qemu/keymaps/en-us \
         /usr/lib/ipxe/qemu/efi-rtl8139.rom /usr/share/seabios/vgabios-cirrus.bin; do
    [ -f "$x$p" ] || fail "$p (which libxl or QEMU opens for an HVM guest) is not in the image"
    echo "present: $p"
done
grep -qx /usr/libexec/xen-qemu-system-i386 <<< "$xlstr" \
    || fail "libxenlight no longer names /usr/libexec/xen-qemu-system-i386: check where Debian's libxl looks"
[ -x "$x/usr/libexec/xen-qemu-system-i386" ] || fail "the device model is not executable"

# Every library every ELF file links (the device model's and the rest),
# found in the image, as the dom0's loader would.
missing=0 checked=0
while IFS= read -r -d '' f; do
    readelf -h "$f" >/dev/null 2>&1 || continue
    checked=$((checked + 1))
    for lib in $(readelf -d "$f" 2>/dev/null | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
        [ -e "$x/usr/lib/x86_64-linux-gnu/$lib" ] || [ -e "$x/usr/lib/$lib" ] ||
            { echo "missing $lib needed by ${f#$x}"; missing=$((missing + 1)); }
    done
done < <(find "$x/usr/bin" "$x/usr/sbin" "$x/usr/libexec" "$x/usr/lib/xen-4.17/bin" \
              "$x/usr/lib/x86_64-linux-gnu" -type f -print0)
echo "ELF files checked: $checked, missing libraries: $missing"
grep -q 'NEEDED.*libspice-server' <<< "$(readelf -d "$x/usr/libexec/xen-qemu-system-i386")" \
    || fail "the device model no longer links libspice-server: revisit what HVM=yes keeps"
[ "$missing" = 0 ] || fail "$missing shared libraries missing"

# What HVM=yes leaves out (docs/spec.md).
for p in /usr/share/qemu/skiboot.lid /usr/share/qemu/openbios-ppc /usr/lib/x86_64-linux-gnu/libgio-2.0.so.0 \
         /usr/lib/x86_64-linux-gnu/libgstvideo-1.0.so.0 /usr/share/iso-codes /usr/lib/x86_64-linux-gnu/libdb-5.3.so; do
    [ ! -e "$x$p" ] || fail "$p is in the image; HVM=yes leaves it out"
done

"$MKDOM0" lint "$work/out" || fail "mkdom0 lint finds traps in the HVM image"
# without the boot config trap 4 is not checked: no error, but exit 3
rc=0; "$MKDOM0" lint --rootfs "$work/out/rootfs.cpio.gz" --xen "$work/out/xen.gz" || rc=$?
[ $rc = 3 ] || fail "mkdom0 lint --rootfs on the HVM image exited $rc, expected 3"

# Sizes beside the default image; the default has no device model and says so.
def=$(default_image)
[ ! -e "$def/rootfs.cpio.gz" ] && fail "no default image in $def"
deflist=$(gzip -dc "$def/rootfs.cpio.gz" | cpio -t --quiet) && grep -qx 'usr/sbin/xl' <<< "$deflist" ||
    fail "the default image's rootfs cannot be listed (or has no usr/sbin/xl)"
! grep -q 'xen-qemu-system' <<< "$deflist" || fail "the default image carries the device model"
! grep -q '^HVM device model' "$def/size-report.txt" || fail "the default's size report names a device model"
d=$(stat -c %s "$def/rootfs.cpio.gz") h=$(stat -c %s "$work/out/rootfs.cpio.gz")
echo "rootfs.cpio.gz: default $d bytes, HVM=yes $h bytes (+$(( (h - d) / 1024 )) KiB gzip)"
[ "$h" -gt "$d" ] || fail "the HVM image is not larger than the default"
