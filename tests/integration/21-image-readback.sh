#!/usr/bin/env bash
# Images read back by independent tools: gzip -t, GNU cpio -t/-i, bsdtar -tv,
# zstd/xz/lz4 -d; the same input gives the same bytes (also across thread
# counts); mtimes are clamped to SOURCE_DATE_EPOCH; hardlinks come back linked.
# Driven through the unit-test drivers until `mkdom0 build` exists
# (see build_image; MKDOM0_IMAGE_VIA_CLI=1 switches to the CLI).
set -euo pipefail
B=${MKDOM0_BUILD:?}
[ -x "$B/tests/test_deb" ] && [ -x "$B/tests/test_image" ] || { echo "unit drivers not built"; exit 77; }
for tool in cpio bsdtar gzip zstd xz lz4; do
    command -v $tool >/dev/null || { echo "$tool not installed"; exit 77; }
done
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
cd "$W"
MKDEB="$B/tests/test_deb mkdeb"
SDE=1600000000

build_image() {  # OUT CODEC DEB...
    local out=$1 codec=$2; shift 2
    if [ -n "${MKDOM0_IMAGE_VIA_CLI:-}" ]; then
        # placeholder spec: the integrator adapts these lines to the spec format
        { echo "[Image]"; echo "Output=$out"; echo "Compression=$codec"
          echo "[Packages]"; for d in "$@"; do echo "Deb=$d"; done; } > spec.ini
        SOURCE_DATE_EPOCH=$SDE "$MKDOM0" build spec.ini
    else
        "$B/tests/test_image" build "$out" "$codec" --sde $SDE "$@"
    fi
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
head -1 list | grep -qx '\.'
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
bsdtar -tvf a.cpio.gz --numeric-owner | awk '{print $4}' | sort -u | grep -qx 0
# every mtime <= SDE (2020-09-13)
if bsdtar -tvf a.cpio.gz | grep -E ' (2021|2022|2023|2024|2025) '; then echo 'mtime not clamped'; exit 1; fi

# unpack with GNU cpio: hardlinks linked, content on the group
mkdir x && (cd x && cpio -idm --quiet < ../a.cpio 2>/dev/null || true)
[ "$(stat -c %h x/usr/bin/sh)" = 3 ]
[ x/usr/bin/sh -ef x/usr/bin/init ]
[ "$(cat x/usr/bin/init)" = ELF-BUSYBOX ]
[ "$(stat -c %Y x/etc/hostname)" = $SDE ]

# the other codecs decompress to the same archive with the stock tools
build_image a.cpio.zst zstd base.deb xen.deb && zstd -qdc a.cpio.zst | cmp - a.cpio
build_image a.cpio.xz xz base.deb xen.deb && xz -dc a.cpio.xz | cmp - a.cpio
xz --robot -lv a.cpio.xz | grep -q CRC32
build_image a.cpio.lz4 lz4 base.deb xen.deb && lz4 -dc a.cpio.lz4 | cmp - a.cpio
echo "all read-backs agree"
