#!/usr/bin/env bash
# Makes data/openrc-cache/{deptree,inputs}: OpenRC's dependency cache of
# the default image, made by the image's own OpenRC (rc-depend -u in a
# chroot of its rootfs, /run a private tmpfs), and the list of the files it
# was made from ("SHA256  PATH").  `mkdom0 build` puts the cache in an
# image whose files match that list exactly (src/lib/image/rccache.h), so
# its dom0 skips OpenRC's dependency scan at boot.  Run it after changing a
# service, a conf.d file or rc.conf in data/overlay or data/overlay-debian,
# or the packages' OpenRC; test 70 fails while the cache is stale (the
# default image then boots without it).
#
# usage: scripts/openrc-deptree.sh [BUILD]   (root: chroot, mount namespace)
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
MKDOM0="$SRC/${1:-build}/mkdom0"
[ -x "$MKDOM0" ] || { echo "build first: make" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (chroot, mount namespace)" >&2; exit 1; }
out="$SRC/data/openrc-cache"
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

"$MKDOM0" build --keys "$work/keys" -o "$work/img" > "$work/build.log" 2>&1 ||
    { tail -20 "$work/build.log"; exit 1; }
root="$work/root"
mkdir "$root"
rootfs=$(awk -F= '$1 == "Rootfs" { print $2 }' "$work/img/image.ini")
case "$rootfs" in
    *.gz) dec=(gzip -dc) ;; *.zst) dec=(zstd -dc) ;; *.xz) dec=(xz -dc) ;; *) dec=(cat) ;;
esac
"${dec[@]}" "$work/img/$rootfs" | (cd "$root" && cpio -idm --quiet --no-absolute-filenames)
# The cache the build may have put in is not an input.
rm -rf "$root/lib/rc/cache"

# What OpenRC reads for the dependencies (watched_dirs in src/lib/image/rccache.c), then
# OpenRC's own generator: its scripts, lsb2rcconf and shell_var (Debian),
# librc (the C side that writes the cache) and its version.
(
    cd "$root"
    for p in etc/init.d etc/conf.d etc/rc.conf etc/rc.conf.d usr/etc/init.d usr/local/etc/init.d \
             etc/insserv.conf etc/insserv.conf.d; do
        [ -e "$p" ] && find "$p" ! -type d
    done
    for p in lib/rc/sh/gendepends.sh lib/rc/sh/functions.sh lib/rc/sh/rc-functions.sh \
             lib/rc/bin/lsb2rcconf lib/rc/bin/shell_var lib/rc/version; do
        [ -e "$p" ] || { echo "no /$p in the image" >&2; exit 1; }
        echo "$p"
    done
    find usr/lib -name 'librc.so.*' -type f
) | LC_ALL=C sort -u | while read -r p; do
    printf '%s  /%s\n' "$(sha256sum < "$root/$p" | cut -d' ' -f1)" "$p"
done > "$work/inputs"

unshare -m sh -c '
    set -e
    mount --make-rprivate /
    mount -t tmpfs tmpfs "$1/run"
    chroot "$1" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C /lib/rc/bin/rc-depend -u
    cp "$1/run/openrc/deptree" "$2/deptree"
' _ "$root" "$work" > "$work/rc-depend.log" 2>&1 || { cat "$work/rc-depend.log"; exit 1; }
[ -s "$work/deptree" ] || { echo "rc-depend made no deptree" >&2; exit 1; }
mkdir -p "$out"
{
    echo "# The files data/openrc-cache/deptree was made from (scripts/openrc-deptree.sh)."
    cat "$work/inputs"
} > "$out/inputs"
cp "$work/deptree" "$out/deptree"
echo "wrote $out/deptree ($(grep -c '_service=' "$out/deptree") services) and $out/inputs ($(grep -vc '^#' "$out/inputs") files)"
