#!/usr/bin/env bash
# slow
# The real consumer: Debian's 6.1 kernel unpacks our images (gzip from
# parallel blocks, zstd, xz, lz4, plain) under QEMU and runs /init from them,
# which checks what only the kernel's unpacker can tell: hardlinks recreated
# with their content, the root directory's mode from the "." entry, device
# nodes, symlinks through the usrmerge links.
set -euo pipefail
. "${MKDOM0_SRC:?}/tests/lib.sh"
B=${MKDOM0_BUILD:?}
need_unit test_deb test_image
need qemu-system-x86_64 apt-get dpkg-deb
kdeb=$(kernel_deb) || exit
bdeb=$(test_deb busybox-static) || exit

W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
cd "$W"
dpkg-deb --fsys-tarfile "$kdeb" | tar -x --wildcards './boot/vmlinuz-*'
kernel=$(ls boot/vmlinuz-*)

init='#!/bin/busybox sh
b=/bin/busybox
set -- $($b stat -c "%h %i" /data/a) $($b stat -c "%i" /data/c)
echo "MKDOM0-CHECK links=$1 same=$([ "$2" = "$3" ] && echo yes || echo no) data=$($b cat /data/c)/$($b cat /data/a) root=$($b stat -c %a /) hvc=$($b stat -c %t:%T /dev/hvc0) sh=$($b readlink /usr/sbin/xsh)"
$b poweroff -f'
# /data/aa (5 MiB) ends the gzip writer's first block of whole entries
# (4 MiB or more), so /data/b and /data/c, the rest of /data/a's hardlink
# group and its content, come in the next gzip member: the kernel must carry
# its cpio state and hardlink table from one member to the next.
"$B/tests/test_deb" mkdeb t.deb kcheck gz "f ./init 0755 $init" \
    'f ./data/a 0644 PAYLOAD' 'z ./data/aa 5' 'h ./data/b ./data/a' 'h ./data/c ./data/a' \
    'c ./dev/hvc0 229 0' 'l ./usr/sbin/xsh /bin/busybox'

accel=tcg
# no_timer_check: on a loaded host TCG can be too slow for the kernel's
# IO-APIC timer probe, which then panics before the initramfs is unpacked.
fails=0
for codec in gzip zstd xz lz4 none; do
    "$B/tests/test_image" build "img.$codec" "$codec" --sde 1700000000 "$bdeb" t.deb >/dev/null
    if [ $codec = gzip ]; then
        members=$(python3 -c 'import sys, zlib
d = open(sys.argv[1], "rb").read(); n = 0
while d:
    z = zlib.decompressobj(31); z.decompress(d); d = z.unused_data; n += 1
print(n)' img.gzip)
        [ "$members" -ge 2 ] || { echo "FAIL gzip: $members member, the test needs more"; fails=$((fails + 1)); }
    fi
    timeout 180 qemu-system-x86_64 -accel $accel -cpu qemu64 -m 512 -nographic -no-reboot \
        -kernel "$kernel" -initrd "img.$codec" \
        -append "console=ttyS0 rdinit=/init panic=-1 quiet no_timer_check" > "boot.$codec" 2>&1 || true
    line=$(tr -d '\r' < "boot.$codec" | grep -ao 'MKDOM0-CHECK.*' | head -n1 || true)
    want='MKDOM0-CHECK links=3 same=yes data=PAYLOAD/PAYLOAD root=755 hvc=e5:0 sh=/bin/busybox'
    if [ "$line" = "$want" ]; then
        echo "ok   $codec: $line"
    else
        echo "FAIL $codec: got '${line:-nothing}'"; tail -n 20 "boot.$codec"; fails=$((fails + 1))
    fi
done
[ $fails = 0 ]
