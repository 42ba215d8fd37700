#!/usr/bin/env bash
# `mkdom0 build` from Alpine repositories (#13, "Built repositories"): two
# file:// repositories laid out as Alpine's mirrors are (URL/x86_64/
# APKINDEX.tar.gz), in the exact v2 formats (tests/apk-repo.py: abuild's
# .apk, `apk index`'s APKINDEX), signed with a test RSA key made here with
# openssl, holding packages made from the test's own files: Debian's real
# Xen 4.17 hypervisor, kernel and static busybox repackaged, and small
# packages of its own for provides and install scripts.  The kernel's
# modules come from a modloop squashfs (mksquashfs) in Alpine's layout.
# The build must pass with the pins honoured (xen-hypervisor and xen-libs
# from the older release although the newer one has higher versions; without
# the xen-libs pin, trap 2 refuses the build), /bin/sh and so:
# provides resolved, the modloop's modules closed over the allowlist, the
# archive's owners and modes kept, the image written, the same bytes twice.
# The dom0's services are Alpine's where they fit (its xenconsoled) and
# mkdom0's at Alpine's paths where not (xenstored registers Domain-0 with
# /usr/lib/xen/bin/xen-init-dom0); every program they run is in the image,
# and a xen package without xen-init-dom0, xenstored or the xenconsoled
# script is refused by the self-lint.  No Alpine dom0 boots here (no Alpine
# xen or kernel).
# Then a bad signature, a wrong checksum, an unknown key, a truncated
# stream and a malformed .PKGINFO are each refused with an error naming
# the package, keeping nothing: not in -o, not in the cache.
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
need openssl python3 mksquashfs dpkg-deb cpio gzip gcc
MAKER="$MKDOM0_SRC/tests/apk-repo.py"

T=$(mktemp -d /tmp/mkdom0-alpine-build.XXXXXX)
trap '[ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
chmod 755 "$T"

kdeb=$(kernel_deb) || exit
xdeb=$(test_deb xen-hypervisor-4.17-amd64) || exit
bdeb=$(test_deb busybox-static) || exit
odeb=$(test_deb openrc) || exit
for d in "$kdeb" "$xdeb" "$bdeb" "$odeb"; do dpkg-deb -x "$d" "$T/deb"; done
kver=$(ls "$T/deb/lib/modules")
xengz=$(ls "$T/deb/boot/"xen-4.17*.gz | head -n1)
echo "kernel $kver, $(basename "$xengz"), busybox from $(basename "$bdeb")"

# The test's signing key (abuild-keygen makes the same: an RSA key whose
# public half is NAME.rsa.pub in /etc/apk/keys) and one nobody trusts.
mkdir -p "$T/keys" "$T/other"
openssl genrsa -out "$T/test.pem" 2048 2>/dev/null
openssl rsa -in "$T/test.pem" -pubout -out "$T/keys/mkdom0-test-1.rsa.pub" 2>/dev/null
openssl genrsa -out "$T/other.pem" 2048 2>/dev/null
KEY=(--key "$T/test.pem" --keyname mkdom0-test-1.rsa.pub)

# pkg REPO NAME VERSION [maker options]: the files below $T/src/NAME-VERSION
pkg() {
    local repo=$1 name=$2 ver=$3; shift 3
    mkdir -p "$T/mirror/$repo/x86_64" "$T/src/$name-$ver"
    python3 "$MAKER" apk "$T/mirror/$repo/x86_64/$name-$ver.apk" "${KEY[@]}" \
        --root "$T/src/$name-$ver" --name "$name" --version "$ver" "$@"
}
index() { # REPO
    python3 "$MAKER" index "$T/mirror/$1/x86_64/APKINDEX.tar.gz" "${KEY[@]}" \
        --description "$1-test" "$T/mirror/$1/x86_64/"*.apk
}

# v318: the toolstack's release (the design's Xen 4.17, trap 2).
mkdir -p "$T/src/xen-hypervisor-4.17.5-r0/boot"
cp "$xengz" "$T/src/xen-hypervisor-4.17.5-r0/boot/xen-4.17.5.gz"
pkg v318 xen-hypervisor 4.17.5-r0
# libxenctrl of each release: a shared object with Xen's DT_SONAME (what
# trap 2's check reads) and no DT_NEEDED, so the image needs no libc for it.
xenctrl() { # VERSION X.Y
    mkdir -p "$T/src/xen-libs-$1/usr/lib"
    echo 'int xc_interface_open(void) { return 0; }' > "$T/xc.c"
    gcc -shared -nostdlib -fPIC -Wl,-soname,libxenctrl.so.$2 -o "$T/src/xen-libs-$1/usr/lib/libxenctrl.so.$2.0" "$T/xc.c"
}
xenctrl 4.17.5-r0 4.17
pkg v318 xen-libs 4.17.5-r0 --provides so:libxenctrl.so.4.17=4.17.0
# The toolstack, laid out as Alpine's xen package is (aports main/xen:
# upstream's install-tools with prefix /usr, so the daemons in /usr/sbin,
# xenstore-* in /usr/bin, Xen's helpers in /usr/lib/xen/bin; and Alpine's
# own OpenRC scripts in /etc/init.d).  Its programs are stand-ins (scripts:
# the image has no musl), its scripts the test's own with the interface of
# Alpine's: xenconsoled starts /usr/sbin/xenconsoled with
# start-stop-daemon and needs xenstored; xenstored writes Domain-0 with
# xenstore-write.  xen_pkg NAME-OF-SRC [LEAVE-OUT...]: made from that
# tree, less the paths given (for the refusals below).
xen_src() { # DIR
    local d=$1
    mkdir -p "$d/usr/sbin" "$d/usr/bin" "$d/usr/lib/xen/bin" "$d/etc/init.d" "$d/etc/conf.d"
    for p in usr/sbin/xenstored usr/sbin/xenconsoled usr/sbin/xl usr/bin/xenstore-write \
             usr/bin/xenstore-read usr/lib/xen/bin/xen-init-dom0; do
        printf '#!/bin/sh\necho "%s: a test stand-in"\n' "${p##*/}" > "$d/$p"
        chmod 755 "$d/$p"
    done
    cat > "$d/etc/init.d/xenconsoled" <<'EOS'
#!/sbin/openrc-run
# a test stand-in for Alpine's xen package's xenconsoled script
depend() {
	need xenstored
}
start() {
	ebegin "Starting xenconsoled"
	start-stop-daemon --start --exec /usr/sbin/xenconsoled --pidfile /run/xenconsoled.pid \
		-- --pid-file=/run/xenconsoled.pid ${XENCONSOLED_OPTS}
	eend $?
}
EOS
    cat > "$d/etc/init.d/xenstored" <<'EOS'
#!/sbin/openrc-run
# a test stand-in for Alpine's xen package's xenstored script
start() {
	start-stop-daemon --start --exec /usr/sbin/xenstored --pidfile /run/xenstored.pid \
		-- --pid-file=/run/xenstored.pid
	/usr/bin/xenstore-write /local/domain/0/name Domain-0
}
EOS
    cat > "$d/etc/init.d/xendomains" <<'EOS'
#!/sbin/openrc-run
# a test stand-in for Alpine's xen package's xendomains script
depend() {
	need xenstored
}
EOS
    chmod 755 "$d"/etc/init.d/*
    echo 'XENCONSOLED_OPTS=""' > "$d/etc/conf.d/xenconsoled"
}
xen_src "$T/src/xen-4.17.5-r0"
pkg v318 xen 4.17.5-r0 --depend xen-libs --provides cmd:xenstored=4.17.5-r0 --provides cmd:xl=4.17.5-r0
index v318
# v323: the base.  A newer xen-hypervisor that only the pin keeps out.
mkdir -p "$T/src/xen-hypervisor-4.20.1-r0/boot"
echo "not the pinned hypervisor" | gzip -n > "$T/src/xen-hypervisor-4.20.1-r0/boot/xen-4.20.1.gz"
pkg v323 xen-hypervisor 4.20.1-r0
xenctrl 4.20.1-r0 4.20
pkg v323 xen-libs 4.20.1-r0 --provides so:libxenctrl.so.4.20=4.20.0
mkdir -p "$T/src/linux-lts-6.1.0-r0/boot"
cp "$T/deb/boot/vmlinuz-$kver" "$T/src/linux-lts-6.1.0-r0/boot/vmlinuz-lts"
pkg v323 linux-lts 6.1.0-r0
mkdir -p "$T/src/busybox-1.36.1-r0/bin" "$T/scripts"
cp "$T/deb/bin/busybox" "$T/src/busybox-1.36.1-r0/bin/busybox"
printf '#!/bin/sh\ntouch /tmp/ran-post-install\n' > "$T/scripts/post"
pkg v323 busybox 1.36.1-r0 --provides cmd:busybox=1.36.1-r0 \
    --script .post-install="$T/scripts/post" --script .trigger="$T/scripts/post"
# /bin/sh from its provider with a provider_priority, as Alpine's
# busybox-binsh (a name provided without a version is taken only so).
mkdir -p "$T/src/busybox-binsh-1.36.1-r0/bin"
ln -s busybox "$T/src/busybox-binsh-1.36.1-r0/bin/sh"
pkg v323 busybox-binsh 1.36.1-r0 --depend busybox --provides /bin/sh --priority 100
# OpenRC at the paths Alpine's openrc package uses (/sbin/openrc,
# /sbin/openrc-run, its libexec /lib/rc): OpenRC's real shell library
# (Debian's build of it) and scripts standing in for its glibc programs,
# which the image's ELF check would rightly refuse on this libc-less base.
# The programs the services run by bare name, found through openrc-run's
# PATH (/lib/rc/sbin:/lib/rc/bin:/bin:/sbin:...), are stand-ins too: its
# supervise-daemon and start-stop-daemon in /sbin, its helpers (checkpath,
# ebegin, einfo, service_started, ...: Debian's build's list) in /lib/rc/bin.
mkdir -p "$T/src/openrc-0.45.2-r0/sbin" "$T/src/openrc-0.45.2-r0/lib/rc/bin"
standin() { # PATH
    printf '#!/bin/sh\necho "%s: a test stand-in"\n' "${1##*/}" > "$1"
    chmod 755 "$1"
}
for p in openrc openrc-run supervise-daemon start-stop-daemon; do
    standin "$T/src/openrc-0.45.2-r0/sbin/$p"
done
for p in "$T/deb/lib/rc/bin/"*; do
    standin "$T/src/openrc-0.45.2-r0/lib/rc/bin/${p##*/}"
done
cp -a "$T/deb/lib/rc/sh" "$T/src/openrc-0.45.2-r0/lib/rc/sh"
pkg v323 openrc 0.45.2-r0 --provides cmd:openrc=0.45.2-r0
# sshd where Alpine's openssh-server has it, and the sshd script of
# Alpine's openssh-server-common-openrc (which makes host keys at start)
mkdir -p "$T/src/openssh-server-9.3_p2-r0/usr/sbin" "$T/src/openssh-server-9.3_p2-r0/etc/init.d"
printf '#!/bin/sh\necho "sshd: a test stand-in"\n' > "$T/src/openssh-server-9.3_p2-r0/usr/sbin/sshd"
printf '#!/sbin/openrc-run\nstart_pre() {\n\tssh-keygen -A\n}\n' > "$T/src/openssh-server-9.3_p2-r0/etc/init.d/sshd"
chmod 755 "$T/src/openssh-server-9.3_p2-r0/usr/sbin/sshd" "$T/src/openssh-server-9.3_p2-r0/etc/init.d/sshd"
pkg v323 openssh-server 9.3_p2-r0
# a library by its so: name, and a setgid file owned by group 42 (shadow)
# whose owner and mode must come from the archive
mkdir -p "$T/src/libdom0test-1.2-r0/usr/lib"
echo "a test library's configuration" > "$T/src/libdom0test-1.2-r0/usr/lib/dom0test.conf"
pkg v323 libdom0test 1.2-r0 --provides so:libdom0test.so.1=1.2
mkdir -p "$T/src/dom0-base-1.0-r0/usr/sbin"
printf '#!/bin/sh\necho dom0\n' > "$T/src/dom0-base-1.0-r0/usr/sbin/dom0-hello"
chmod 755 "$T/src/dom0-base-1.0-r0/usr/sbin/dom0-hello"
# a .PKGINFO in the data stream too, which apk-tools takes for metadata and
# never installs (trial 13x F6: it landed as /.PKGINFO)
printf 'pkgname = evil\n' > "$T/src/dom0-base-1.0-r0/.PKGINFO"
pkg v323 dom0-base 1.0-r0 --depend /bin/sh --depend so:libdom0test.so.1 \
    --depend xen-hypervisor --depend xen-libs --depend linux-lts --attr usr/sbin/dom0-hello=0:42:2750
index v323

# The modloop, as Alpine's mkinitfs makes it: modules/KVER with the
# modules the allowlist needs (and more it does not), modules/firmware.
ml="$T/modloop-root/modules/$kver"
mkdir -p "$ml" "$T/modloop-root/modules/firmware"
for d in kernel/drivers/xen kernel/drivers/net/xen-netback kernel/drivers/block kernel/net/bridge \
         kernel/net/802 kernel/net/llc kernel/fs/ext4 kernel/fs/jbd2 kernel/fs/mbcache.ko \
         kernel/fs/btrfs kernel/lib kernel/crypto modules.order modules.builtin \
         modules.builtin.modinfo; do
    [ -e "$T/deb/lib/modules/$kver/$d" ] || continue
    mkdir -p "$ml/$(dirname "$d")"
    cp -a "$T/deb/lib/modules/$kver/$d" "$ml/$d"
done
echo firmware > "$T/modloop-root/modules/firmware/test.bin"
mksquashfs "$T/modloop-root" "$T/modloop-lts" -comp gzip -all-root -no-progress -quiet >/dev/null
echo "modloop: $(find "$ml" -name '*.ko*' | wc -l) modules, $(stat -c %s "$T/modloop-lts") bytes"
# Signed as alpine-conf's `update-kernel --modloopsign` signs it (its
# sign_modloop: openssl dgst -sha1 -sign over the whole squashfs, written
# to MODLOOP.SIGN.RSA.<public key's file name>), kept beside it.
openssl dgst -sha1 -sign "$T/test.pem" -out "$T/modloop-lts.SIGN.RSA.mkdom0-test-1.rsa.pub" \
    "$T/modloop-lts"

spec() { # FILE MIRROR [PINS]
    cat >"$1" <<EOF
[Image]
Name=alpine-test

[Repository v323]
Type=apk
URL=file://$2/v323
Architecture=x86_64
Keys=$T/keys

[Repository v318]
Type=apk
URL=file://$2/v318
Keys=$T/keys
Priority=100

[Packages]
Include=dom0-base xen openssh-server ${5-openrc}
Pin=${3-xen-hypervisor=v318 xen-libs=v318}

[Modules]
Include=xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-netback xen-blkback loop bridge

[Kernel]
Modloop=${4-$T/modloop-lts}

[Xen]
Dom0Mem=1024M
EOF
}
spec "$T/alpine.ini" "$T/mirror"

"$MKDOM0" build --keys "$T/sshkeys" --cache "$T/cache" -o "$T/out" "$T/alpine.ini" >"$T/log" 2>&1 ||
    { cat "$T/log"; fail "the Alpine build failed"; }
cat "$T/log"
grep -q "modloop $T/modloop-lts: signature by mkdom0-test-1.rsa.pub verified" "$T/log" ||
    fail "the modloop's signature is not reported verified"
# the manifest records the modloop (trial 13h case 8: nowhere)
matches -x "modloop $T/modloop-lts $(stat -c %s "$T/modloop-lts") $(sha256sum < "$T/modloop-lts" | cut -d' ' -f1) mkdom0-test-1.rsa.pub" \
    "$T/out/manifest" || fail "the manifest does not record the modloop: $(grep modloop "$T/out/manifest")"
out=$T/out
for f in xen.gz vmlinuz rootfs.cpio.gz grub.cfg manifest image.ini; do
    [ -s "$out/$f" ] || fail "no $f written"
done
cmp "$out/xen.gz" "$xengz" || fail "xen.gz is not the pinned package's hypervisor"
cmp "$out/vmlinuz" "$T/deb/boot/vmlinuz-$kver" || fail "vmlinuz is not linux-lts's kernel"
# The pin: xen-hypervisor 4.17.5 from v318 beside 4.20.1 in v323; the rest
# from v323; the provides brought busybox-binsh and libdom0test.
for p in xen-hypervisor xen-libs; do
    matches -E "^package $p 4\.17\.5-r0 x86_64 v318 " "$out/manifest" ||
        fail "$p not taken from v318 (pin): $(grep "$p" "$out/manifest")"
done
matches -x "Toolstack=4.17" "$out/image.ini" || fail "image.ini does not name the toolstack 4.17"
for p in busybox busybox-binsh libdom0test linux-lts dom0-base openrc openssh-server; do
    matches -E "^package $p [^ ]+ x86_64 v323 [0-9]+ Q1" "$out/manifest" || fail "$p not in the manifest from v323"
done
matches -E "^package xen 4\.17\.5-r0 x86_64 v318 " "$out/manifest" || fail "xen not taken from v318"
[ "$(grep -c '^package ' "$out/manifest")" = 10 ] || fail "not 10 packages: $(grep '^package ' "$out/manifest")"
grep -q 'install scripts not run.*busybox (\.post-install \.trigger)' "$T/log" ||
    fail "busybox's install scripts are not reported"
matches -x "mkdom0: dom0-base: 1 entry of its data member left out, as apk leaves them (a name starting with '.' is package metadata to apk-tools): .PKGINFO" \
    "$T/log" || fail "dom0-base's .PKGINFO in its data is not reported left out"

zcat "$out/rootfs.cpio.gz" | cpio -itv --quiet --numeric-uid-gid > "$T/list" 2>/dev/null
zcat "$out/rootfs.cpio.gz" | (mkdir "$T/root" && cd "$T/root" && cpio -id --quiet --no-absolute-filenames) ||
    fail "the rootfs does not unpack with cpio"
matches -E '^-rwxr-s--- +[0-9]+ +0 +42 .* usr/sbin/dom0-hello$' "$T/list" ||
    fail "dom0-hello lost the archive's mode 2750 or group 42: $(grep dom0-hello "$T/list")"
matches -E '^l.* (usr/)?bin/sh -> busybox$' "$T/list" || fail "/bin/sh is not busybox-binsh's link"
[ ! -e "$T/root/tmp/ran-post-install" ] || fail "an install script ran"
[ ! -e "$T/root/.PKGINFO" ] || fail "a .PKGINFO of a data member is in the image"
mods="$T/root/usr/lib/modules/$kver"
[ -s "$mods/modules.dep" ] || fail "no modules.dep for the modloop's kernel"
for m in xen-evtchn xen-netback bridge stp llc loop; do
    [ -n "$(find "$mods" -name "$m.ko*")" ] || fail "$m.ko not kept (allowlist or closure)"
done
[ -z "$(find "$mods" -name 'btrfs.ko*')" ] || fail "btrfs kept: the closure did not trim the modloop"
nfiles=$(find "$mods" -name '*.ko*' | wc -l)
[ "$nfiles" = "$(grep -c . "$mods/modules.dep")" ] || fail "$nfiles modules, modules.dep lists others"
[ ! -e "$T/root/lib/firmware/test.bin" ] && [ ! -e "$T/root/usr/lib/firmware/test.bin" ] ||
    fail "the modloop's firmware was copied"
matches -x "Kernel=$kver" "$out/image.ini" || fail "image.ini does not name kernel $kver"
echo "built: $(grep -c . "$T/list") entries, $nfiles modules of the modloop kept"

# What the dom0 runs from boot, on this Alpine base: busybox's init reads
# the overlay's inittab, which first makes /dev/xen with mkdom0's (static)
# helper, then runs Alpine's OpenRC, then a getty on hvc0 (trap 1).
link_to() { [ "$(readlink "$T/root$1")" = "$2" ] || fail "$1 is not a link to $2: $(ls -l "$T/root$1" 2>&1)"; }
link_to /usr/sbin/init /bin/busybox
link_to /usr/sbin/getty /bin/busybox
matches -x 'hvc0::respawn:/sbin/getty -L 115200 hvc0 vt100' "$T/root/etc/inittab" ||
    fail "the inittab has no getty on hvc0"
# (xen-dom0-setup's xen-dom0 step does the xen-dom0 service's start and
# marks it started; on a failure `openrc boot` starts the service)
for l in '::sysinit:/sbin/xen-dom0-setup early openrc xen-dom0' \
         '::sysinit:/sbin/openrc boot' '::once:/sbin/openrc default'; do
    matches -x "$l" "$T/root/etc/inittab" || fail "the inittab lacks '$l'"
done
for f in /sbin/openrc /sbin/openrc-run /lib/rc/sh/functions.sh /lib/rc/sh/openrc-run.sh \
         /sbin/xen-dom0-setup /etc/init.d/xen-dom0 /etc/init.d/xenstored; do
    [ -f "$T/root$f" ] || fail "$f is not in the image (through the /lib, /sbin links)"
done
file -L "$T/root/sbin/xen-dom0-setup" | matches 'statically linked' ||
    fail "xen-dom0-setup is not static: it would need glibc on a musl base"
head -n1 "$T/root/etc/init.d/xenstored" | matches -x '#!/sbin/openrc-run' || fail "xenstored's script is not openrc-run's"
link_to /etc/runlevels/sysinit/xen-dom0 /etc/init.d/xen-dom0
link_to /etc/runlevels/boot/xenstored /etc/init.d/xenstored
echo "boot path: busybox init, inittab (xen-dom0-setup with OpenRC's sysinit step, xen-dom0, openrc boot/default, hvc0 getty), OpenRC at /lib/rc"

# Alpine's way of bringing the dom0 up (#13).  Not booted: there is no
# Alpine xen or kernel here; what is checked is what the image holds.
# 1. The runlevels, as the Debian dom0's but with Alpine's service names:
#    each entry leads to a script in the image.
for s in xen-dom0:sysinit xenstored:boot xenconsoled:boot sshd:boot network:boot syslog:boot \
         guest-storage:boot xendomains:default; do
    link_to "/etc/runlevels/${s#*:}/${s%%:*}" "/etc/init.d/${s%%:*}"
    [ -x "$T/root/etc/init.d/${s%%:*}" ] || fail "/etc/init.d/${s%%:*} is not in the image"
done
[ "$(ls "$T/root/etc/runlevels/boot" "$T/root/etc/runlevels/default" "$T/root/etc/runlevels/sysinit" | grep -vc ':$\|^$')" = 8 ] ||
    fail "other runlevel entries: $(ls -R "$T/root/etc/runlevels")"
[ ! -e "$T/root/etc/init.d/ssh" ] || fail "Debian's ssh service is in the Alpine image (a second sshd for OpenRC)"
# 2. Alpine's own xenconsoled script is the one used; its xenstored,
#    xendomains and openssh's sshd are replaced by mkdom0's (the reasons
#    are in data/overlay-alpine.list and the scripts' headers).
cmp "$T/root/etc/init.d/xenconsoled" "$T/src/xen-4.17.5-r0/etc/init.d/xenconsoled" ||
    fail "xenconsoled is not the xen package's script"
cmp "$T/root/etc/init.d/xenstored" "$MKDOM0_SRC/data/overlay-alpine/etc/init.d/xenstored" ||
    fail "xenstored is not mkdom0's Alpine script"
cmp "$T/root/etc/init.d/sshd" "$MKDOM0_SRC/data/overlay-alpine/etc/init.d/sshd" ||
    fail "sshd is not mkdom0's (Alpine's makes new host keys at every boot)"
grep -v '^[[:space:]]*#' "$T/root/etc/init.d/sshd" | matches ssh-keygen && fail "the image's sshd script runs ssh-keygen"
# 3. Domain-0's registration: xenstored's start runs Xen's xen-init-dom0
#    where Alpine's xen package has it, and the daemon at its path; no
#    Debian path (xen-dir, /usr/lib/xen-X.Y).
grep -Eq '^	/usr/lib/xen/bin/xen-init-dom0( |$)' "$T/root/etc/init.d/xenstored" ||
    fail "xenstored's start does not run /usr/lib/xen/bin/xen-init-dom0"
[ -x "$T/root/usr/lib/xen/bin/xen-init-dom0" ] || fail "no /usr/lib/xen/bin/xen-init-dom0 in the image"
[ -x "$T/root/usr/sbin/xenstored" ] && [ -x "$T/root/usr/sbin/xenconsoled" ] || fail "no xenstored or xenconsoled"
grep -Eq 'xen-common|xen-dir|/usr/lib/xen-4' "$T/root/etc/init.d/"* && fail "a service names a Debian path"
# 4. Every program the started services run is in the image: the build's
#    self-lint passed, and lint of the unpacked tree says so again; with
#    Debian's xenstored script put back in, it names Debian's xen-dir,
#    the fault of #13 (Domain-0 never registered on Alpine).
# (a tree alone: no error, but exit 3 for the traps on the boot lines)
rc=0; "$MKDOM0" lint "$T/root/" >"$T/lint.log" 2>&1 || rc=$?
[ $rc = 3 ] || { cat "$T/lint.log"; fail "lint of the built Alpine root exited $rc, expected 3 (no error)"; }
cp -a "$T/root" "$T/root-debian-xenstored"
cp "$MKDOM0_SRC/data/overlay-debian/etc/init.d/xenstored" "$T/root-debian-xenstored/etc/init.d/xenstored"
rc=0
"$MKDOM0" lint "$T/root-debian-xenstored/" >"$T/lint-deb.log" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q 'etc/init.d/xenstored:[0-9]*: error: .*service xenstored runs /usr/lib/xen-common/bin/xen-dir, which the rootfs does not have' "$T/lint-deb.log" ||
    { cat "$T/lint-deb.log"; fail "Debian's xenstored on the Alpine root: lint does not name xen-dir (exit $rc)"; }
rm -rf "$T/root-debian-xenstored"
echo "Alpine dom0: runlevels sysinit/xen-dom0, boot/{xenstored,xenconsoled,sshd,network,syslog,guest-storage}, default/xendomains; Alpine's xenconsoled, Domain-0 by /usr/lib/xen/bin/xen-init-dom0; every program the services run is in the image"

# The self-lint refuses a xen package that lacks what the services run:
# the xen-init-dom0 that registers Domain-0, or the xenconsoled script the
# boot runlevel names.  xen_refused CASE PATH REGEX: v318's xen without PATH.
xen_refused() {
    local c=$1 path=$2 re=$3
    cp -a "$T/mirror" "$T/$c"
    rm -rf "$T/src/xen-$c"
    cp -a "$T/src/xen-4.17.5-r0" "$T/src/xen-$c"
    rm "$T/src/xen-$c/$path"
    python3 "$MAKER" apk "$T/$c/v318/x86_64/xen-4.17.5-r0.apk" "${KEY[@]}" --root "$T/src/xen-$c" \
        --name xen --version 4.17.5-r0 --depend xen-libs --provides cmd:xenstored=4.17.5-r0 \
        --provides cmd:xl=4.17.5-r0
    python3 "$MAKER" index "$T/$c/v318/x86_64/APKINDEX.tar.gz" "${KEY[@]}" --description v318 \
        "$T/$c/v318/x86_64/"*.apk
    spec "$T/$c.ini" "$T/$c"
    mkdir -p "$T/$c-out"
    echo previous > "$T/$c-out/rootfs.cpio.gz"
    rc=0
    "$MKDOM0" build --keys "$T/sshkeys" --cache "$T/$c-cache" -o "$T/$c-out" "$T/$c.ini" >"$T/$c.log" 2>&1 || rc=$?
    [ $rc = 1 ] || { cat "$T/$c.log"; fail "xen without $path: exit $rc, expected the self-lint's refusal"; }
    grep -Eq "$re" "$T/$c.log" || { cat "$T/$c.log"; fail "xen without $path: no finding /$re/"; }
    [ "$(cat "$T/$c-out/rootfs.cpio.gz")" = previous ] || fail "xen without $path: -o changed"
    echo "xen without /$path: refused: $(grep -E "$re" "$T/$c.log" | head -n1 | cut -c1-160)..."
}
xen_refused noinitdom0 usr/lib/xen/bin/xen-init-dom0 \
    'etc/init.d/xenstored\):[0-9]+: error: .*service xenstored runs /usr/lib/xen/bin/xen-init-dom0, which the rootfs does not have'
xen_refused noconsoled etc/init.d/xenconsoled \
    'etc/runlevels/boot/xenconsoled\): error: .*runlevel boot starts service xenconsoled, but /etc/init.d/xenconsoled is not in the rootfs'
xen_refused noxenstored usr/sbin/xenstored \
    'etc/init.d/xenstored\):[0-9]+: error: .*service xenstored runs /usr/sbin/xenstored,'


# Without openrc the inittab's sysinit lines run nothing: the self-lint
# refuses the image, naming /sbin/openrc.
spec "$T/noopenrc.ini" "$T/mirror" "xen-hypervisor=v318 xen-libs=v318" "$T/modloop-lts" ""
rc=0
"$MKDOM0" build --keys "$T/sshkeys" --cache "$T/cache" -o "$T/noopenrc-out" "$T/noopenrc.ini" \
    >"$T/noopenrc.log" 2>&1 || rc=$?
[ $rc = 1 ] || { cat "$T/noopenrc.log"; fail "no openrc: exit $rc, expected the self-lint's refusal"; }
grep -q 'etc/inittab):[0-9]*: error: .*init runs /sbin/openrc at sysinit, which the rootfs does not have' \
    "$T/noopenrc.log" || { cat "$T/noopenrc.log"; fail "no openrc: the lint does not name /sbin/openrc"; }
echo "no openrc: refused by the self-lint"

# The same inputs, the same bytes: a second build from another cache.
"$MKDOM0" build --keys "$T/sshkeys" --cache "$T/cache2" -o "$T/out2" "$T/alpine.ini" >"$T/log2" 2>&1 ||
    { cat "$T/log2"; fail "the second Alpine build failed"; }
for f in rootfs.cpio.gz xen.gz vmlinuz grub.cfg; do
    cmp "$out/$f" "$T/out2/$f" || fail "$f differs between two builds"
done
diff <(grep '^package ' "$out/manifest") <(grep '^package ' "$T/out2/manifest") || fail "manifests differ"
echo "reproducible: rootfs sha256 $(sha256sum < "$out/rootfs.cpio.gz" | cut -d' ' -f1)"

# ---- refusals: each a copy of the mirror with one package damaged ----
# refuse CASE REGEX: build the case's mirror; it must fail with REGEX in
# its error line, leave -o as it was and keep no .apk of dom0-base.
# build_refused LABEL NAME CACHE REGEX: build $T/NAME.ini into $T/NAME-out,
# which holds a previous rootfs.cpio.gz; exit 1 with REGEX in the error
# line, which is left in $msg.
build_refused() {
    local what=$1 n=$2 cache=$3 re=$4 rc=0
    mkdir -p "$T/$n-out"
    echo previous > "$T/$n-out/rootfs.cpio.gz"
    "$MKDOM0" build --keys "$T/sshkeys" --cache "$cache" -o "$T/$n-out" "$T/$n.ini" \
        >"$T/$n.log" 2>&1 || rc=$?
    [ $rc = 1 ] || { cat "$T/$n.log"; fail "$what: exit $rc, expected a refusal (1)"; }
    msg=$(grep '^mkdom0 build:' "$T/$n.log") || { cat "$T/$n.log"; fail "$what: no error line"; }
    grep -Eq "$re" <<< "$msg" || fail "$what: the error does not say /$re/: $msg"
}
refuse() {
    local c=$1 re=$2
    spec "$T/$c.ini" "$T/$c"
    build_refused "$c" "$c" "$T/$c-cache" "$re"
    [ "$(cat "$T/$c-out/rootfs.cpio.gz")" = previous ] && [ "$(ls -A "$T/$c-out")" = rootfs.cpio.gz ] ||
        fail "$c: -o changed: $(ls -A "$T/$c-out")"
    [ -z "$(find "$T/$c-cache" -name 'dom0-base-*' 2>/dev/null)" ] || fail "$c: the bad .apk was kept in the cache"
    echo "$c refused: $msg"
}
# Trap 2: without the xen-libs pin, the newer release's libxenctrl 4.20
# beside the 4.17 hypervisor: refused naming both, nothing written.
cp -a "$T/mirror" "$T/trap2"
spec "$T/trap2.ini" "$T/trap2" "xen-hypervisor=v318"
mkdir -p "$T/trap2-out"
echo previous > "$T/trap2-out/rootfs.cpio.gz"
rc=0
"$MKDOM0" build --keys "$T/sshkeys" --cache "$T/cache" -o "$T/trap2-out" "$T/trap2.ini" >"$T/trap2.log" 2>&1 || rc=$?
[ $rc = 1 ] || { cat "$T/trap2.log"; fail "trap 2: a 4.20 toolstack beside Xen 4.17: exit $rc"; }
msg=$(grep '^mkdom0 build:' "$T/trap2.log") || fail "trap 2: no error line"
grep -q '4\.17' <<< "$msg" && grep -q '4\.20' <<< "$msg" || fail "trap 2: not both releases named: $msg"
[ "$(ls -A "$T/trap2-out")" = rootfs.cpio.gz ] || fail "trap 2: -o changed"
echo "trap 2 refused: $msg"

# damaged CASE [maker options for dom0-base]: the mirror with dom0-base
# remade, and the v323 index made again over it, signed by the test key
# (INDEX_OPTS: more options for the index).
damaged() {
    local c=$1; shift
    cp -a "$T/mirror" "$T/$c"
    local d="$T/$c/v323/x86_64"
    python3 "$MAKER" apk "$d/dom0-base-1.0-r0.apk" --root "$T/src/dom0-base-1.0-r0" --name dom0-base \
        --version 1.0-r0 --depend /bin/sh --depend so:libdom0test.so.1 --depend xen-hypervisor \
        --depend xen-libs --depend linux-lts "$@"
    python3 "$MAKER" index "$d/APKINDEX.tar.gz" "${KEY[@]}" --description v323 ${INDEX_OPTS:-} "$d/"*.apk
}
base="dom0-base-1\.0-r0\.apk"
# 1. signed by a key other than the one it names (the test key)
damaged badsig --key "$T/other.pem" --keyname mkdom0-test-1.rsa.pub
refuse badsig "$base.*signature"
# 2. the index's C: is not the control member's (another package's)
other_c=$(sed -n 's/^package libdom0test .* //p' "$out/manifest")
INDEX_OPTS="--override dom0-base:C=$other_c" damaged checksum "${KEY[@]}"
refuse checksum "$base.*checksum.*C:"
# 3. signed by a key the keys directory does not hold
damaged unknownkey --key "$T/other.pem" --keyname mkdom0-other-1.rsa.pub
refuse unknownkey "$base.*mkdom0-other-1\.rsa\.pub"
# 4. truncated in its data stream, indexed as it is (size and control
#    checksum agree with the index: only the stream itself is short)
cp -a "$T/mirror" "$T/truncated"
a="$T/truncated/v323/x86_64/dom0-base-1.0-r0.apk"
truncate -s $(( $(stat -c %s "$a") - 40 )) "$a"
python3 "$MAKER" index "$T/truncated/v323/x86_64/APKINDEX.tar.gz" "${KEY[@]}" --description v323 \
    "$T/truncated/v323/x86_64/"*.apk
refuse truncated "$base.*(truncat|datahash|unexpected end|EOF)"
# 5. a .PKGINFO line that is not `key = value`
damaged pkginfo "${KEY[@]}" --pkginfo-line "this line has no equals sign"
refuse pkginfo "$base.*\.PKGINFO.*malformed"
echo "all five damaged packages refused, nothing kept"

# dom0-base also provides busybox (version 99, above the real one's): the
# resolver gives it the name, and the image has no /bin/busybox.  The
# error names that package, in Alpine's words: it advised Debian's
# busybox-static (trial 9e case 9).
cp -a "$T/mirror" "$T/bbprov"
python3 "$MAKER" index "$T/bbprov/v323/x86_64/APKINDEX.tar.gz" "${KEY[@]}" --description v323 \
    --override "dom0-base:p=busybox=99 cmd:sh" "$T/bbprov/v323/x86_64/"*.apk
spec "$T/bbprov.ini" "$T/bbprov" "xen-hypervisor=v318 xen-libs=v318"
build_refused "busybox provided by dom0-base" bbprov "$T/cache" \
    "/bin/busybox is not in the image: the name busybox was given to dom0-base 1\.0-r0 \(.*APKINDEX.*:[0-9]+\), which provides it"
! grep -q busybox-static <<< "$msg" || fail "busybox provided by dom0-base: Debian's advice in an Alpine build: $msg"
echo "busybox provided by another package: $msg"

# A package overwriting dom0-base's file under 'replaces = dom0-base'
# (apk-package(5): apk lets it): refused, the error saying that apk would
# take it and mkdom0 does not (trial 13h case 12).
cp -a "$T/mirror" "$T/replaces"
mkdir -p "$T/src/victim/usr/sbin"
printf '#!/bin/sh\necho victim\n' > "$T/src/victim/usr/sbin/dom0-hello"
python3 "$MAKER" apk "$T/replaces/v323/x86_64/victim-1.0-r0.apk" "${KEY[@]}" --root "$T/src/victim" \
    --name victim --version 1.0-r0 --pkginfo-line 'replaces = dom0-base'
python3 "$MAKER" index "$T/replaces/v323/x86_64/APKINDEX.tar.gz" "${KEY[@]}" --description v323 \
    "$T/replaces/v323/x86_64/"*.apk
spec "$T/replaces.ini" "$T/replaces" "xen-hypervisor=v318 xen-libs=v318" "$T/modloop-lts" "openrc victim"
build_refused "a file overwritten under replaces" replaces "$T/cache" \
    "usr/sbin/dom0-hello: conflict: file from dom0-base and file from victim \(victim declares 'replaces = dom0-base': apk would let it overwrite those packages' files; mkdom0 does not"
echo "replaces: $msg"

# A key file in Keys= that cannot be used is named at the Keys= line (line
# 8 of spec()'s file), as what it is: a dangling symlink was "not a regular
# file (a directory)", and the message named the spec without its line
# (trial 9e case 8).
for c in dangling garbage; do
    rm -rf "$T/k-$c"; cp -a "$T/keys" "$T/k-$c"
    case $c in
        dangling) ln -s "$T/no-such-key" "$T/k-$c/a.rsa.pub"
                  re="^mkdom0 build: $T/keys-$c\.ini:8: .*$T/k-$c/a\.rsa\.pub: a symbolic link to something that does not exist" ;;
        garbage) echo garbage > "$T/k-$c/a.rsa.pub"
                 re="^mkdom0 build: $T/keys-$c\.ini:8: .*$T/k-$c/a\.rsa\.pub: not a PEM public key" ;;
    esac
    spec "$T/keys-$c.ini" "$T/mirror"
    sed -i "8s|^Keys=.*|Keys=$T/k-$c|" "$T/keys-$c.ini"
    build_refused "Keys= with a $c key file" "keys-$c" "$T/keys-$c-cache" "$re"
    grep -q "directory" <<< "$msg" && fail "Keys= with a $c key file: called a directory: $msg"
    echo "Keys= with a $c key file: $msg"
done

# ---- the modloop's signature (update-kernel's, beside it) ----
# modloop_case CASE: a copy of the signed modloop in its own directory, for
# the caller to damage; its spec names it.
modloop_case() {
    mkdir -p "$T/ml-$1"
    cp "$T/modloop-lts" "$T/ml-$1/modloop-lts"
    spec "$T/ml-$1.ini" "$T/mirror" "xen-hypervisor=v318 xen-libs=v318" "$T/ml-$1/modloop-lts"
}
# modloop_refused CASE REGEX: the build fails naming the modloop and REGEX,
# -o left as it was.
modloop_refused() {
    local c=$1 re=$2
    build_refused "modloop $c" "ml-$c" "$T/cache" "$re"
    grep -q "modloop $T/ml-$c/modloop-lts" <<< "$msg" || fail "modloop $c: the error does not name the modloop: $msg"
    [ "$(ls -A "$T/ml-$c-out")" = rootfs.cpio.gz ] || fail "modloop $c: -o changed"
    echo "modloop $c refused: $msg"
}
# 1. one byte of the signed squashfs flipped
modloop_case flipped
f="$T/ml-flipped/modloop-lts"
cp "$T/modloop-lts.SIGN.RSA.mkdom0-test-1.rsa.pub" "$T/ml-flipped/"
off=$(( $(stat -c %s "$f") / 2 ))
b=$(od -An -tu1 -j $off -N1 "$f" | tr -d ' ')
printf "$(printf '\\%03o' $(( b ^ 1 )))" | dd of="$f" bs=1 seek=$off conv=notrunc status=none
cmp -s "$f" "$T/modloop-lts" && fail "the byte was not flipped"
modloop_refused flipped "mkdom0-test-1\.rsa\.pub does not verify"
# 2. signed by a key the repositories' keys directory does not hold
modloop_case unknown
openssl dgst -sha1 -sign "$T/other.pem" -out "$T/ml-unknown/modloop-lts.SIGN.RSA.mkdom0-other-1.rsa.pub" \
    "$T/ml-unknown/modloop-lts"
modloop_refused unknown "signed by mkdom0-other-1\.rsa\.pub, which is not in $T/keys"
# 3. signed by another key under the trusted key's name
modloop_case wrongkey
openssl dgst -sha1 -sign "$T/other.pem" -out "$T/ml-wrongkey/modloop-lts.SIGN.RSA.mkdom0-test-1.rsa.pub" \
    "$T/ml-wrongkey/modloop-lts"
modloop_refused wrongkey "mkdom0-test-1\.rsa\.pub does not verify"
# 4. unsigned: taken, as Alpine's initramfs takes a modloop it has no
#    signature for, with a note; the image is the signed build's.
modloop_case unsigned
"$MKDOM0" build --keys "$T/sshkeys" --cache "$T/cache" -o "$T/ml-unsigned-out" "$T/ml-unsigned.ini" \
    >"$T/ml-unsigned.log" 2>&1 || { cat "$T/ml-unsigned.log"; fail "the unsigned modloop's build failed"; }
grep -q "modloop $T/ml-unsigned/modloop-lts is not signed" "$T/ml-unsigned.log" ||
    { cat "$T/ml-unsigned.log"; fail "no note that the modloop is unsigned"; }
cmp "$out/rootfs.cpio.gz" "$T/ml-unsigned-out/rootfs.cpio.gz" || fail "the unsigned modloop's image differs"
# 5. given through a symlink (trial 13h case 7: looked for beside the link,
#    taken as unsigned): the signature beside the file it leads to is
#    checked, and a flipped byte there refused
mkdir -p "$T/ml-link"
ln -s "$T/modloop-lts" "$T/ml-link/modloop-lts"
spec "$T/ml-link.ini" "$T/mirror" "xen-hypervisor=v318 xen-libs=v318" "$T/ml-link/modloop-lts"
"$MKDOM0" build --keys "$T/sshkeys" --cache "$T/cache" -o "$T/ml-link-out" "$T/ml-link.ini" \
    >"$T/ml-link.log" 2>&1 || { cat "$T/ml-link.log"; fail "the linked modloop's build failed"; }
grep -qF "modloop $T/ml-link/modloop-lts (-> $T/modloop-lts): signature by mkdom0-test-1.rsa.pub verified" \
    "$T/ml-link.log" || { cat "$T/ml-link.log"; fail "the linked modloop's signature was not checked"; }
rm "$T/ml-link/modloop-lts"
ln -s "$T/ml-flipped/modloop-lts" "$T/ml-link/modloop-lts"
build_refused "modloop through a link" ml-link "$T/cache" "mkdom0-test-1\.rsa\.pub does not verify"
echo "modloop: signed verified; flipped, unknown key, wrong key refused; unsigned taken with a note; a link followed"

# ---- the modloop's contents (#13's trial, F14 and F15) ----
# modloop_from CASE: $T/mlsrc-CASE (a copy of the modloop's tree, for the
# caller to change first) made into $T/ml-CASE/modloop-lts, unsigned.
modloop_from() { # CASE [COMPRESSOR]
    mkdir -p "$T/ml-$1"
    mksquashfs "$T/mlsrc-$1" "$T/ml-$1/modloop-lts" -comp "${2:-gzip}" -noappend -no-progress -quiet >/dev/null
    spec "$T/ml-$1.ini" "$T/mirror" "xen-hypervisor=v318 xen-libs=v318" "$T/ml-$1/modloop-lts"
}
# F14: a modloop of another kernel build.  linux-lts ships no modules, so
# only the kernel's own release (its boot header) tells which modloop fits;
# this one's modules/KVER and every module's vermagic say another release
# (same length), so nothing else in the build notices.  It must be refused
# naming both releases, not taken into an image.ini naming the wrong kernel.
other=$(tr '0-9' '1-90' <<< "$kver")
cp -a "$T/modloop-root" "$T/mlsrc-otherkernel"
mv "$T/mlsrc-otherkernel/modules/$kver" "$T/mlsrc-otherkernel/modules/$other"
find "$T/mlsrc-otherkernel" -name '*.ko' -exec python3 -c '
import sys
a, b = sys.argv[1].encode(), sys.argv[2].encode()
for f in sys.argv[3:]:
    d = open(f, "rb").read()
    open(f, "wb").write(d.replace(a, b))' "$kver" "$other" {} +
modloop_from otherkernel
build_refused "a modloop of kernel $other" ml-otherkernel "$T/cache" \
    "modloop-lts: holds the modules of kernel $other, not of the image's kernel $kver"
[ "$(ls -A "$T/ml-otherkernel-out")" = rootfs.cpio.gz ] || fail "modloop of another kernel: -o changed"
echo "modloop of another kernel refused: $msg"
# ... and one holding both kernels' modules: the kernel's own are taken,
# the other's left out.
cp -a "$T/mlsrc-otherkernel" "$T/mlsrc-both"
cp -a "$T/modloop-root/modules/$kver" "$T/mlsrc-both/modules/"
modloop_from both
"$MKDOM0" build --keys "$T/sshkeys" --cache "$T/cache" -o "$T/ml-both-out" "$T/ml-both.ini" \
    >"$T/ml-both.log" 2>&1 || { cat "$T/ml-both.log"; fail "a modloop of two kernels: the build failed"; }
matches -x "Kernel=$kver" "$T/ml-both-out/image.ini" || fail "modloop of two kernels: image.ini does not name $kver"
zcat "$T/ml-both-out/rootfs.cpio.gz" | cpio -it --quiet 2>/dev/null | matches "modules/$other" &&
    fail "modloop of two kernels: the other kernel's modules are in the image"
echo "modloop of two kernels: only $kver's modules taken"
# F15: what the modloop holds beside the modules (often unsigned: README's
# recipe fetches it with curl) stays out of the image: a setuid program,
# a large stray file, a symlink out of the tree; and an allowlisted
# module's setuid bit is not carried.
cp -a "$T/modloop-root" "$T/mlsrc-extra"
x="$T/mlsrc-extra/modules/$kver"
printf '#!/bin/sh\nexec /bin/sh\n' > "$x/suidbin"
chmod 4755 "$x/suidbin"
mkdir -p "$x/kernel/junk"
head -c 3000000 /dev/zero > "$x/kernel/junk/big.bin"
ln -s ../../../../etc "$x/evil"
evtchn=$(cd "$x" && find kernel -name 'xen-evtchn.ko*')
chmod 6755 "$x/$evtchn"
modloop_from extra
"$MKDOM0" build --keys "$T/sshkeys" --cache "$T/cache" -o "$T/ml-extra-out" "$T/ml-extra.ini" \
    >"$T/ml-extra.log" 2>&1 || { cat "$T/ml-extra.log"; fail "a modloop with extra files: the build failed"; }
zcat "$T/ml-extra-out/rootfs.cpio.gz" | cpio -itv --quiet --numeric-uid-gid 2>/dev/null > "$T/ml-extra.list"
for p in suidbin kernel/junk evil; do
    grep -q "modules/$kver/$p" "$T/ml-extra.list" && fail "the modloop's $p is in the image"
done
matches -E "^-rwxr-xr-x .* usr/lib/modules/$kver/$evtchn\$" "$T/ml-extra.list" ||
    fail "xen-evtchn kept with another mode than 0755: $(grep "$evtchn" "$T/ml-extra.list")"
left=$(grep " usr/lib/modules/$kver/" "$T/ml-extra.list" | grep -v '^d' |
       grep -Ev " usr/lib/modules/$kver/(kernel/.*\.ko|modules\.[a-z.]*)\$") &&
    fail "the image's modules directory holds more than modules and index files: $left"
grep -Eq '^-..[sS]|^-.....[sS]' "$T/ml-extra.list" && grep -E '^-..[sS]|^-.....[sS]' "$T/ml-extra.list" | matches "usr/lib/modules" &&
    fail "a setuid or setgid file under the modules directory"
echo "modloop with a setuid program, a stray file and a link out: none taken, modules without setuid"
# Said as what they are (trial 13x F8): an allowlisted module that is a
# symlink ("has no module loop" read as missing), a compressor libsquashfs
# does not read ("squashfs compressor 3").
cp -a "$T/modloop-root" "$T/mlsrc-symko"
loopko=$(cd "$T/mlsrc-symko/modules/$kver" && find kernel -name 'loop.ko*')
rm "$T/mlsrc-symko/modules/$kver/$loopko"
ln -s /etc/shadow "$T/mlsrc-symko/modules/$kver/$loopko"
modloop_from symko
build_refused "an allowlisted module that is a symlink" ml-symko "$T/cache" \
    "has no module loop \(/usr/lib/modules/$kver/$loopko is a symlink to /etc/shadow, left out: a module must be a file\)"
cp -a "$T/modloop-root" "$T/mlsrc-lzo"
modloop_from lzo lzo
build_refused "a modloop in lzo" ml-lzo "$T/cache" "modloop-lts: squashfs compressor lzo \(3\): unsupported"
echo "modloop: a symlinked module and lzo said as such"

# What the services run by bare name is looked up where openrc-run looks
# (#13's trial F1: supervisor=supervise-daemon, start-stop-daemon, checkpath
# and xl were never checked): an openrc without its supervise-daemon,
# start-stop-daemon and checkpath, and a xen without xl, are refused.
cp -a "$T/mirror" "$T/nohelpers"
rm -rf "$T/src/openrc-nohelpers"
cp -a "$T/src/openrc-0.45.2-r0" "$T/src/openrc-nohelpers"
rm "$T/src/openrc-nohelpers/sbin/supervise-daemon" "$T/src/openrc-nohelpers/sbin/start-stop-daemon" \
    "$T/src/openrc-nohelpers/lib/rc/bin/checkpath"
python3 "$MAKER" apk "$T/nohelpers/v323/x86_64/openrc-0.45.2-r0.apk" "${KEY[@]}" \
    --root "$T/src/openrc-nohelpers" --name openrc --version 0.45.2-r0 --provides cmd:openrc=0.45.2-r0
index_of() { python3 "$MAKER" index "$T/$1/$2/x86_64/APKINDEX.tar.gz" "${KEY[@]}" --description "$2" "$T/$1/$2/x86_64/"*.apk; }
index_of nohelpers v323
spec "$T/nohelpers.ini" "$T/nohelpers"
build_refused "openrc without its helpers" nohelpers "$T/nohelpers-cache" "the design.s traps"
for re in 'etc/init.d/sshd\):[0-9]+: error: .*service sshd runs supervise-daemon, which is in none of the directories where OpenRC looks \(/lib/rc/sbin:/lib/rc/bin:/bin:/sbin:/usr/bin:/usr/sbin' \
          'etc/init.d/xenconsoled\):[0-9]+: error: .*service xenconsoled runs start-stop-daemon, which is in none' \
          'etc/init.d/xendomains\):[0-9]+: error: .*service xendomains runs checkpath, which is in none'; do
    grep -Eq "$re" "$T/nohelpers.log" || { cat "$T/nohelpers.log"; fail "openrc without its helpers: no finding /$re/"; }
done
[ "$(ls -A "$T/nohelpers-out")" = rootfs.cpio.gz ] || fail "openrc without its helpers: -o changed"
echo "openrc without supervise-daemon, start-stop-daemon, checkpath: refused by the self-lint naming each"
xen_refused noxl usr/sbin/xl \
    'etc/init.d/xendomains\):[0-9]+: error: .*service xendomains runs xl, which is in none of the directories where OpenRC looks'
