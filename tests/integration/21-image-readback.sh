#!/usr/bin/env bash
# Images read back by independent tools: gzip -t, GNU cpio -t/-i, bsdtar -tv,
# zstd/xz/lz4 -d; the same input gives the same bytes (also across thread
# counts); mtimes are clamped to SOURCE_DATE_EPOCH; hardlinks come back linked.
# Driven through the unit-test drivers (tests/unit/test_deb.c makes .debs no
# packaging tool would, test_image.c writes them with the image writer).
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
B=${MKDOM0_BUILD:?}
need_unit test_deb test_image
need cpio bsdtar gzip zstd xz lz4
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
cd "$W"
MKDEB="$B/tests/test_deb mkdeb"
SDE=1600000000

build_image() {  # OUT CODEC DEB...
    local out=$1 codec=$2; shift 2
    "$B/tests/test_image" build "$out" "$codec" --sde $SDE "$@"
}

# the packages' mtimes (1700000000) are newer than SDE: all get clamped
$MKDEB base.deb base-files xz 'd ./ 0755' 'd ./etc/ 0755' 'f ./etc/hostname 0644 dom0' \
    'f ./etc/shadow 0640 root:*:' 'd ./bin/ 0755' 'f ./bin/busybox 04755 ELF-BUSYBOX' \
    'h ./bin/sh ./bin/busybox' 'h ./bin/init ./bin/busybox' 'l ./sbin/getty ../bin/busybox' \
    'c ./dev/hvc0 229 0' 'd ./usr/share/doc/base-files/ 0755'
$MKDEB xen.deb xen-utils zst 'f ./usr/lib/xen-4.17/bin/xl 0755 ELF-XL' 'l ./usr/sbin/xl /usr/lib/xen-4.17/bin/xl'

build_image a.cpio.gz gzip base.deb xen.deb
MKDOM0_THREADS=1 build_image b.cpio.gz gzip base.deb xen.deb
cmp a.cpio.gz b.cpio.gz
gzip -t a.cpio.gz
build_image a.cpio none base.deb xen.deb
zcat a.cpio.gz | cmp - a.cpio

# GNU cpio lists it; "." first, no absolute names, directories before contents
cpio -t --quiet < a.cpio > list
head -1 list | matches -x '\.'
if grep -q '^/' list; then echo 'absolute names in archive'; exit 1; fi
grep -qx 'usr/bin/sh' list
grep -qx 'usr/sbin/xl' list
[ "$(grep -n '^usr/lib/xen-4.17$' list | cut -d: -f1)" -lt "$(grep -n '^usr/lib/xen-4.17/bin/xl$' list | cut -d: -f1)" ]

# bsdtar: modes, owners, device, symlinks, clamped times
bsdtar -tvf a.cpio.gz > long
grep -E '^-rwsr-xr-x .* usr/bin/busybox' long >/dev/null
grep -E '^crw------- .* 229, *0 .* dev/hvc0' long >/dev/null
grep -E 'usr/sbin/xl -> /usr/lib/xen-4.17/bin/xl' long >/dev/null
grep -E '^lrwxrwxrwx .* bin -> usr/bin' long >/dev/null
# every entry owned by root:root, no mtime after SDE (2020-09-13): the
# packages' own (1700000000) are clamped to it
bsdtar -cf - --format mtree --options '!all,time,uid,gid' @a.cpio.gz > mtree
awk -v sde=$SDE 'NR > 1 { n++
        for (i = 2; i <= NF; i++) {
            split($i, kv, "=")
            if ((kv[1] == "uid" || kv[1] == "gid") && kv[2] != "0") bad = bad " " $1 " " $i
            if (kv[1] == "time" && kv[2] + 0 > sde) bad = bad " " $1 " " $i
        } }
    END { if (bad != "" || n < 15) { print "owner or mtime wrong:" bad " (" n " entries)"; exit 1 } }' mtree
grep -qx "./etc/hostname time=$SDE.0 gid=0 uid=0" mtree

# unpack with GNU cpio: hardlinks linked, content on the group (the device
# node, checked above, is left out: mknod would need root)
mkdir x && (cd x && cpio -idm --quiet --nonmatching 'dev/*' < ../a.cpio)
[ "$(stat -c %h x/usr/bin/sh)" = 3 ]
[ x/usr/bin/sh -ef x/usr/bin/init ]
[ "$(cat x/usr/bin/init)" = ELF-BUSYBOX ]
[ "$(stat -c %Y x/etc/hostname)" = $SDE ]

# the other codecs decompress to the same archive with the stock tools
# (one command a line: set -e does not stop at the left side of an &&)
build_image a.cpio.zst zstd base.deb xen.deb
zstd -qdc a.cpio.zst | cmp - a.cpio
build_image a.cpio.xz xz base.deb xen.deb
xz -dc a.cpio.xz | cmp - a.cpio
xz --robot -lv a.cpio.xz | matches CRC32
build_image a.cpio.lz4 lz4 base.deb xen.deb
lz4 -dc a.cpio.lz4 | cmp - a.cpio
echo "all read-backs agree"
