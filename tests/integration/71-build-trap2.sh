#!/usr/bin/env bash
# Trap 2 for real: Xen 4.20's toolstack from trixie with bookworm's 4.17
# hypervisor is refused at build time, naming both versions, and leaves no
# output behind.
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
need_network

work=$(mktemp -d /tmp/mkdom0-trap2.XXXXXX)
trap 'rm -rf "$work"' EXIT
cat > "$work/mixed.ini" <<'INI'
[Image]
Base=default

[Repository trixie]
URL=http://deb.debian.org/debian
Suite=trixie
Keyring=/usr/share/keyrings/debian-archive-keyring.gpg
# Only what is pinned, or what bookworm cannot satisfy, comes from trixie.
Priority=100

[Packages]
Include=
Include=xen-hypervisor-4.17-amd64 linux-image-amd64 busybox-static openrc openssh-server
        xen-utils-4.20 xen-utils-common kmod
Pin=xen-utils-4.20=trixie
INI

build_must_refuse "$work/log" "a 4.20 toolstack with the 4.17 hypervisor" \
    --keys "$work/keys" -o "$work/out" "$work/mixed.ini"
grep -q '\[trap2\] loads .* but the hypervisor' <<< "$msg" || fail "the error does not name the program's libxenctrl against the hypervisor"
grep -q '4\.17' <<< "$msg" || fail "the error does not name the hypervisor's 4.17"
grep -q '4\.20' <<< "$msg" || fail "the error does not name the toolstack's 4.20"
grep -q 'xen-hypervisor-4.17-amd64' <<< "$msg" || fail "the error does not name the hypervisor package"
[ ! -e "$work/out/rootfs.cpio.gz" ] || fail "a refused build left a rootfs behind"
[ -z "$(ls -A "$work/out" 2>/dev/null)" ] || fail "a refused build left files: $(ls -A "$work/out")"
echo "refused as it should be"
