#!/usr/bin/env bash
# Size (#12): the default rootfs is under 13 MB gzip and holds what the
# dom0 runs, and nothing the issue rules out (a second xenstored, test
# binaries, an interpreter or library nothing uses, the ssh client); equal
# files are stored once.  A large file nothing refers to is warned about,
# by name, on the terminal and in the size report; a spec that drops a
# library a program links is refused, naming both.
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
need cpio gzip

img=$(default_image)
work=$(mktemp -d /tmp/mkdom0-size.XXXXXX)
trap 'rm -rf "$work"' EXIT

# 1. the default: its size, read from the file
bytes=$(stat -c %s "$img/rootfs.cpio.gz")
echo "default rootfs.cpio.gz: $bytes bytes"
[ "$bytes" -lt 13000000 ] || fail "the default rootfs is $bytes bytes of gzip, not under 13,000,000"
grep -qx 'Files over 1 MB that nothing in the image refers to: none' "$img/size-report.txt" ||
    fail "the size report does not say that no large file is unreferenced: $(grep -A3 'refers to' "$img/size-report.txt")"

mkdir "$work/root"
(cd "$work/root" && gzip -dc "$img/rootfs.cpio.gz" | cpio -id --quiet 2>/dev/null)
R=$work/root
# what the boot tests use is there
for p in usr/sbin/sshd usr/bin/bash usr/bin/busybox usr/lib/xen-4.17/bin/xl \
         usr/lib/xen-4.17/bin/xenstored usr/lib/xen-4.17/bin/xenconsoled \
         usr/lib/xen-4.17/bin/xentop etc/xen/scripts/vif-bridge etc/xen/scripts/vif-route \
         etc/xen/scripts/block usr/bin/xenstore-read usr/sbin/flock usr/sbin/xen-dom0-setup; do
    [ -e "$R/$p" ] || fail "/$p is not in the default image"
done
# ... and what the issue rules out is not
for p in usr/lib/xen-4.17/bin/oxenstored usr/bin/ssh usr/bin/scp usr/bin/ssh-agent \
         usr/bin/ssh-keygen usr/sbin/useradd usr/bin/xenalyze usr/lib/x86_64-linux-gnu/libmvec.so.1 \
         usr/lib/x86_64-linux-gnu/libssl.so.3 usr/lib/xen-4.17/bin/pygrub; do
    [ ! -e "$R/$p" ] || fail "/$p is in the default image"
done
found=$(find "$R" \( -path '*/bin/test-*' -o -name 'python3*' \) ! -type d | sed "s|^$R||")
[ -z "$found" ] || fail "test binaries or Python in the default image: $found"
# equal files are stored once: the 14 copies of Xen's license are one inode
links=$(stat -c %h "$R/usr/share/doc/xen-utils-4.17/copyright")
[ "$links" -gt 1 ] || fail "Xen's license text is stored once per package (link count $links)"
echo "default: under 13 MB, what the dom0 runs and nothing the issue rules out; license texts $links names of one file"

# 2. a large file nothing refers to: glibc's vector math library, kept
printf '[Image]\nBase=default\n\n[Files]\nKeep=/usr/lib/*/libmvec.so.*\n' > "$work/mvec.ini"
build_or_skip --keys "$MKDOM0_BUILD/test-keys" -o "$work/mvec" "$work/mvec.ini" > "$work/mvec.log"
grep 'warning:' "$work/mvec.log" || true
grep -q '^rootfs.cpio.gz: warning: /usr/lib/x86_64-linux-gnu/libmvec.so.1 (1.0 MB, from libc6): nothing in the image refers to it' \
    "$work/mvec.log" || fail "the build does not warn about libmvec.so.1, which nothing links"
[ "$(grep -c 'warning: .*nothing in the image refers to it' "$work/mvec.log")" = 1 ] ||
    fail "the build warns about more than libmvec.so.1"
grep -A1 'refers to:$' "$work/mvec/size-report.txt" | matches -x '  /usr/lib/x86_64-linux-gnu/libmvec.so.1' ||
    fail "the size report does not name libmvec.so.1"

# 3. a library a program links, dropped: refused before anything is written
printf '[Image]\nBase=default\n\n[Files]\nDrop=/usr/lib/*/libpcre2-8.so.*\n' > "$work/pcre.ini"
rc=0
"$MKDOM0" build --keys "$MKDOM0_BUILD/test-keys" -o "$work/pcre" "$work/pcre.ini" > "$work/pcre.log" 2>&1 || rc=$?
cat "$work/pcre.log" | tail -n 4
[ $rc = 1 ] || fail "a build without libpcre2-8, which libselinux links, exits $rc"
grep -q '/usr/lib/x86_64-linux-gnu/libselinux.so.1: needs libpcre2-8.so.0, which is not in the image' \
    "$work/pcre.log" || fail "the refusal does not name libselinux.so.1 and libpcre2-8.so.0"
[ ! -e "$work/pcre" ] || fail "the refused build left $work/pcre"
echo "ok"
