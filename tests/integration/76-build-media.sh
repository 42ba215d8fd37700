#!/usr/bin/env bash
# mkdom0 build --media iso,disk,netboot: the boot media are made, under their
# fixed names, twice with the same bytes, and every config on them carries
# the grub.cfg's arguments and lints clean.  Read back with independent
# tools (sfdisk, mtools, xorriso), no boot (test 57 boots them).
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
media_setup media

build_or_skip --keys "$keys" --media iso,disk,netboot -o "$work/a" > "$work/a.log"
grep -q 'boot.iso,disk.img,netboot/}' "$work/a.log" || { cat "$work/a.log"; fail "the summary does not name the media"; }
for f in boot.iso disk.img netboot/boot/grub/grub.cfg netboot/boot/grub/i386-pc/core.0 \
         netboot/boot/grub/x86_64-efi/core.efi netboot/boot.ipxe netboot/pxelinux.0 \
         netboot/pxelinux.cfg/default netboot/mboot.c32 netboot/ldlinux.c32 netboot/libcom32.c32 \
         netboot/xen netboot/xen.gz netboot/vmlinuz netboot/rootfs.cpio.gz netboot/README; do
    [ -f "$work/a/$f" ] || fail "$f missing from the output"
done
grep -q 'dhcp-boot=tag:efi64' "$work/a/netboot/README" || fail "README has no dnsmasq settings"
# The netboot tree's files are its own, not links to the system's.
[ "$(stat -c %h "$work/a/netboot/mboot.c32")" = 1 ] || fail "mboot.c32 is a hard link to the system's file"

# Trial 9c case 8: a build killed with SIGKILL while it writes the ISO left
# its scratch directory (the ISO's tree) in TMPDIR forever.  The next run
# removes it.
mkdir -m 0700 "$work/t"
TMPDIR="$work/t" "$MKDOM0" build --keys "$keys" --media iso -o "$work/k" > "$work/k.log" 2>&1 & kpid=$!
dead=
for _ in $(seq 1200); do
    # Marked and locked (core/file.c md_scratch_dir): killed before that,
    # between mkdtemp and the mark, an empty directory is left that no
    # mkdom0 may take for a dead one's (a live one looks the same then).
    dead=$(ls -d "$work"/t/mkdom0-media.* 2>/dev/null | head -n1) && [ -n "$dead" ] &&
        [ -e "$dead/.mkdom0-scratch-lock" ] && break
    kill -0 $kpid 2>/dev/null || break
    sleep 0.05
done
kill -KILL $kpid 2>/dev/null || true; wait $kpid 2>/dev/null || true
[ -n "$dead" ] && [ -d "$dead" ] || { cat "$work/k.log"; fail "killed build: no scratch directory was seen to kill it in"; }

# Same inputs, same bytes: a second build into another directory.
TMPDIR="$work/t" "$MKDOM0" build --keys "$keys" --media iso,disk,netboot -o "$work/b" > "$work/b.log" 2>&1 ||
    { cat "$work/b.log"; fail "the second build failed"; }
[ ! -e "$dead" ] || fail "the killed build's scratch $dead is still there after the next build"
[ -z "$(ls -A "$work/t")" ] || fail "scratch left in TMPDIR: $(ls -A "$work/t")"
cmp "$work/a/boot.iso" "$work/b/boot.iso" || fail "boot.iso differs between two builds"
cmp "$work/a/disk.img" "$work/b/disk.img" || fail "disk.img differs between two builds"
diff -r "$work/a/netboot" "$work/b/netboot" || fail "netboot/ differs between two builds"
echo "deterministic: boot.iso $(sha256sum < "$work/a/boot.iso" | cut -c1-16), disk.img $(sha256sum < "$work/a/disk.img" | cut -c1-16)"

# The disk: GPT with a BIOS boot partition and an ESP; GRUB's boot.img in the
# MBR pointing at core.img in the BIOS boot partition; the ESP holds GRUB,
# the build's grub.cfg byte for byte and the three files.
table=$(/usr/sbin/sfdisk -d "$work/a/disk.img")
echo "$table"
echo "$table" | matches 'start=        2048, size=        2048, type=21686148-6E69-6F6E-744E-656564454649' ||
    fail "no BIOS boot partition at LBA 2048"
check_esp "$work/a/disk.img" "$work/a"
[ "$(od -An -tx1 -j 0x5c -N 8 "$work/a/disk.img" | tr -d ' ')" = 0008000000000000 ] ||
    fail "the MBR's boot code does not point at core.img (LBA 2048)"
cmp -n 0x5c "$work/a/disk.img" /usr/lib/grub/i386-pc/boot.img || fail "the MBR does not start with GRUB's boot.img"
[ "$(od -An -tx1 -j 0x1fe -N 2 "$work/a/disk.img" | tr -d ' ')" = 55aa ] || fail "no MBR signature"

# The ISO: El Torito entries for BIOS and UEFI, the build's grub.cfg.
check_iso "$work/a/boot.iso" "$work/a"

# Every config lints clean and carries the same arguments.
"$MKDOM0" lint "$work/a/netboot/boot.ipxe" "$work/a/netboot/pxelinux.cfg/default" \
    "$work/a/netboot/boot/grub/grub.cfg" || fail "a netboot config does not lint clean"
cmp "$work/a/netboot/boot/grub/grub.cfg" "$work/a/grub.cfg" || fail "the netboot grub.cfg is not the build's"
xen_args=$(sed -n 's/^\tmultiboot2 \/xen.gz //p' "$work/a/grub.cfg")
dom0_args=$(sed -n 's/^\tmodule2 \/vmlinuz //p' "$work/a/grub.cfg")
[ -n "$xen_args" ] && [ -n "$dom0_args" ] || fail "cannot read the arguments from grub.cfg"
grep -qxF "kernel xen $xen_args || goto failed" "$work/a/netboot/boot.ipxe" || fail "iPXE's Xen arguments differ"
grep -qxF "module vmlinuz $dom0_args || goto failed" "$work/a/netboot/boot.ipxe" || fail "iPXE's dom0 arguments differ"
grep -qF "append xen $xen_args --- vmlinuz $dom0_args --- mboot/rootfs.cpio.gz" "$work/a/netboot/pxelinux.cfg/default" ||
    fail "pxelinux's arguments differ"
# pxelinux's rootfs: mboot.c32 gunzips a module that starts with gzip's
# magic, first member only; so its rootfs starts with an empty plain cpio
# (512 bytes, padded), then the image's rootfs byte for byte.
m="$work/a/netboot/mboot/rootfs.cpio.gz"
[ "$(head -c 6 "$m")" = 070701 ] || fail "pxelinux's rootfs does not start with a plain newc cpio"
[ "$(cpio -it < "$m" 2>/dev/null | tr '\n' ' ')" = ". " ] || fail "the cpio in front of pxelinux's rootfs is not empty"
cmp <(tail -c +513 "$m") "$work/a/rootfs.cpio.gz" || fail "pxelinux's rootfs is not the image's after 512 bytes"

# The spec asks, the command line overrides; without either no media.
printf '[Image]\nBase=default\n\n[Boot]\nMedia=netboot\n' > "$work/media.ini"
"$MKDOM0" build --keys "$keys" --media none -o "$work/c" "$work/media.ini" > "$work/c.log" 2>&1 ||
    { cat "$work/c.log"; fail "the build with --media none failed"; }
[ "$(ls "$work/c" | sort | tr '\n' ' ')" = "grub.cfg image.ini manifest rootfs.cpio.gz size-report.txt vmlinuz xen.gz " ] ||
    fail "--media none still wrote media: $(ls "$work/c")"
cmp "$work/a/rootfs.cpio.gz" "$work/c/rootfs.cpio.gz" || fail "the media changed the rootfs"
printf '[Boot]\nMedia=iso floppy\n' > "$work/bad.ini"
out=$("$MKDOM0" build -o "$work/d" "$work/bad.ini" 2>&1) && fail "Media=floppy was accepted"
echo "$out" | matches "bad.ini:2: Media=iso floppy: unknown boot medium 'floppy'" || fail "wrong error: $out"
out=$("$MKDOM0" build --media cdrom -o "$work/d" 2>&1) && fail "--media cdrom was accepted"
echo "$out" | matches "unknown boot medium 'cdrom'" || fail "wrong error: $out"

# One image, many hosts (#11): [Host NAME] sections give each host its own
# identity (host name, ssh host keys made once in KEYS/hosts/NAME, address,
# more root keys) without touching the image's rootfs: its bytes are the
# same as without hosts, and each host's rootfs in the netboot tree is
# those bytes with the host's small archive appended; the tree picks a
# host's config by its MAC (GRUB's grub.cfg-01-MAC, pxelinux's 01-MAC,
# iPXE's ${netX/mac}).  With Media=iso disk each host gets its own boot.iso
# and disk.img too (hosts/NAME/), holding its rootfs.
ssh-keygen -q -t ed25519 -N '' -C 'ops@web2' -f "$work/ops" || fail "ssh-keygen"
printf '%s\n' '[Image]' 'Base=default' '' '[Boot]' 'Media=netboot iso disk' '' '[Host web1]' \
    'MAC=52:54:00:00:11:01' '' '[Host web2]' 'MAC=52-54-00-00-11-02' 'Hostname=db.example.org' \
    'Address=192.0.2.10/24' 'Gateway=192.0.2.1' "AuthorizedKeys=$work/ops.pub" > "$work/hosts.ini"
build_or_skip --keys "$keys" -o "$work/hostsa" "$work/hosts.ini" > "$work/hostsa.log"
cmp "$work/a/rootfs.cpio.gz" "$work/hostsa/rootfs.cpio.gz" || fail "[Host] sections changed the image's rootfs"
cmp "$work/a/rootfs.cpio.gz" "$work/hostsa/netboot/rootfs.cpio.gz" || fail "the netboot tree's rootfs is not the image's"
base_size=$(stat -c %s "$work/hostsa/rootfs.cpio.gz")
for h in web1:01 web2:02; do
    name=${h%%:*} mac=52-54-00-00-11-${h##*:}
    r="$work/hostsa/netboot/hosts/$name/rootfs.cpio.gz"
    [ -f "$r" ] || fail "no rootfs for host $name"
    cmp -n "$base_size" "$r" "$work/hostsa/rootfs.cpio.gz" || fail "host $name's rootfs does not start with the image's bytes"
    [ "$(stat -c %s "$r")" -gt "$base_size" ] || fail "host $name's rootfs has nothing appended"
    tail -c +$((base_size + 1)) "$r" | gzip -dc > "$work/$name.cpio" || fail "host $name's identity is not a gzip member"
    (mkdir -p "$work/$name.id" && cd "$work/$name.id" && cpio -id --quiet < "$work/$name.cpio") ||
        fail "host $name's identity is not a cpio"
    # its own host key, from the keys directory, in the archive and in image.ini
    cmp "$work/$name.id/etc/ssh/ssh_host_ed25519_key" "$keys/hosts/$name/ssh_host_ed25519_key" ||
        fail "host $name's archive does not hold its host key"
    [ "$(stat -c %a "$keys/hosts/$name/ssh_host_ed25519_key")" = 600 ] || fail "host $name's private key is not 0600"
    cmp -s "$keys/hosts/$name/ssh_host_ed25519_key" "$keys/ssh_host_ed25519_key" && fail "host $name has the image's host key"
    grep -qxF "HostKey=$(cut -d' ' -f1,2 "$keys/hosts/$name/ssh_host_ed25519_key.pub")" "$work/hostsa/image.ini" ||
        fail "image.ini has not host $name's HostKey"
    # its configs by MAC, booting its rootfs, lint clean
    g="$work/hostsa/netboot/boot/grub/grub.cfg-01-$mac" p="$work/hostsa/netboot/pxelinux.cfg/01-$mac"
    grep -qxF "	module2 --nounzip /hosts/$name/rootfs.cpio.gz" "$g" || fail "$g does not boot host $name's rootfs"
    diff <(grep -v nounzip "$g") <(grep -v nounzip "$work/hostsa/grub.cfg") || fail "$g differs from grub.cfg beyond the rootfs"
    grep -q -- "--- mboot/hosts/$name/rootfs.cpio.gz\$" "$p" || fail "$p does not boot host $name's rootfs"
    cmp <(tail -c +513 "$work/hostsa/netboot/mboot/hosts/$name/rootfs.cpio.gz") "$r" ||
        fail "pxelinux's rootfs of host $name is not the host's after the empty cpio"
    # its own media: the image's boot.iso and disk.img with the host's rootfs
    mkdir "$work/want-$name"
    for f in grub.cfg xen.gz vmlinuz; do ln -s "$work/hostsa/$f" "$work/want-$name/$f"; done
    ln -s "$r" "$work/want-$name/rootfs.cpio.gz"
    check_esp "$work/hostsa/hosts/$name/disk.img" "$work/want-$name"
    check_iso "$work/hostsa/hosts/$name/boot.iso" "$work/want-$name"
    xorriso -osirrox on -indev "$work/hostsa/hosts/$name/boot.iso" -extract /rootfs.cpio.gz "$work/iso-$name.gz" >/dev/null 2>&1
    cmp "$work/iso-$name.gz" "$r" || fail "host $name's boot.iso does not hold its rootfs"
    cmp -n "$base_size" "$work/iso-$name.gz" "$work/hostsa/rootfs.cpio.gz" || fail "host $name's boot.iso: the rootfs does not start with the image's"
    grep -qxF "iseq \${netX/mac} ${mac//-/:} && set rootfs hosts/$name/rootfs.cpio.gz ||" "$work/hostsa/netboot/boot.ipxe" ||
        fail "boot.ipxe does not pick host $name by its MAC"
    "$MKDOM0" lint "$g" "$p" > "$work/lint-$name.log" 2>&1 || { cat "$work/lint-$name.log"; fail "host $name's configs do not lint clean"; }
done
# its rootfs is ${rootfs}, set by MAC: no error, its rootfs traps not checked (3)
rc=0; "$MKDOM0" lint "$work/hostsa/netboot/boot.ipxe" > "$work/lint-ipxe.log" 2>&1 || rc=$?
[ $rc = 3 ] || { cat "$work/lint-ipxe.log"; fail "boot.ipxe with hosts: lint exited $rc, expected 3 (no error)"; }
[ "$(cat "$work/web1.id/etc/hostname")" = web1 ] || fail "web1's host name is not web1"
[ "$(cat "$work/web2.id/etc/hostname")" = db.example.org ] || fail "web2's Hostname= is not its host name"
grep -q $'127.0.1.1\tdb.example.org' "$work/web2.id/etc/hosts" || fail "web2's /etc/hosts lacks its name"
# every host's network is on the NIC with its MAC (a server's first NIC
# need not be the one it boots from); web1 has DHCP as the image
grep -qx 'mac="52:54:00:00:11:01"' "$work/web1.id/etc/conf.d/network" &&
    grep -qx 'address=""' "$work/web1.id/etc/conf.d/network" ||
    fail "web1's network settings: $(cat "$work/web1.id/etc/conf.d/network")"
grep -qx 'address="192.0.2.10/24"' "$work/web2.id/etc/conf.d/network" &&
    grep -qx 'gateway="192.0.2.1"' "$work/web2.id/etc/conf.d/network" &&
    grep -qx 'bridge="xenbr0"' "$work/web2.id/etc/conf.d/network" &&
    grep -qx 'mac="52:54:00:00:11:02"' "$work/web2.id/etc/conf.d/network" ||
    fail "web2's network settings: $(cat "$work/web2.id/etc/conf.d/network")"
[ ! -e "$work/web1.id/root" ] || fail "web1 (no keys of its own) replaced root's authorized_keys"
grep -qF "$(cut -d' ' -f2 "$work/ops.pub")" "$work/web2.id/root/.ssh/authorized_keys" &&
    grep -qF "$(cut -d' ' -f2 "$keys/id_ed25519.pub")" "$work/web2.id/root/.ssh/authorized_keys" ||
    fail "web2's authorized_keys lacks its own key or the image's"
grep -qx 'MAC=52:54:00:00:11:02' "$work/hostsa/image.ini" && grep -qx 'Address=192.0.2.10/24' "$work/hostsa/image.ini" ||
    fail "image.ini does not describe web2"
# Rebuilt: the hosts' keys are reused, the tree has the same bytes.
sum_keys=$(cat "$keys"/hosts/*/ssh_host_ed25519_key | sha256sum)
"$MKDOM0" build --keys "$keys" -o "$work/hostsb" "$work/hosts.ini" > "$work/hostsb.log" 2>&1 ||
    { cat "$work/hostsb.log"; fail "the second hosts build failed"; }
[ "$(cat "$keys"/hosts/*/ssh_host_ed25519_key | sha256sum)" = "$sum_keys" ] || fail "a rebuild made new host keys"
diff -r "$work/hostsa/netboot" "$work/hostsb/netboot" || fail "netboot/ with hosts differs between two builds"
diff -r "$work/hostsa/hosts" "$work/hostsb/hosts" || fail "the hosts' media differ between two builds"
grep -q 'boot.iso,disk.img,netboot/,hosts/}' "$work/hostsa.log" || { cat "$work/hostsa.log"; fail "the summary does not name hosts/"; }
cmp "$work/hostsa/image.ini" "$work/hostsb/image.ini" || fail "image.ini differs between two builds"
echo "hosts: web1, web2 with their own identity and media; the image's rootfs unchanged; keys reused; deterministic"
# lint DIR reads every boot config the build wrote (trial 9d case 03): the
# per-host grub.cfg-01-MAC and pxelinux.cfg/01-MAC, boot.ipxe and
# pxelinux.cfg/default, for the output directory and its netboot/ alike;
# each loses dom0_mem here, and each is then a trap 4 error
"$MKDOM0" lint --strict "$work/hostsb" > "$work/lintdir.log" 2>&1 || { cat "$work/lintdir.log"; fail "lint of the hosts output is not clean"; }
cfgs="boot.ipxe pxelinux.cfg/default boot/grub/grub.cfg"
for m in 01 02; do cfgs="$cfgs boot/grub/grub.cfg-01-52-54-00-00-11-$m pxelinux.cfg/01-52-54-00-00-11-$m"; done
for c in $cfgs; do
    grep -qF "$work/hostsb/netboot/$c: read as" "$work/lintdir.log" || { cat "$work/lintdir.log"; fail "lint $work/hostsb did not read netboot/$c"; }
    sed -i 's/dom0_mem=[^ ]*//' "$work/hostsb/netboot/$c"
done
for d in "$work/hostsb" "$work/hostsb/netboot" "$work/hostsb/netboot/"; do
    rc=0; "$MKDOM0" lint --strict "$d" > "$work/lintdir.log" 2>&1 || rc=$?
    [ $rc = 1 ] || { cat "$work/lintdir.log"; fail "lint $d with no dom0_mem in its netboot configs exited $rc, expected 1"; }
    for c in $cfgs; do
        grep -q "^$work/hostsb/netboot/${c}:[0-9]*: error: \[trap4\]" "$work/lintdir.log" ||
            { cat "$work/lintdir.log"; fail "lint $d did not find trap 4 in netboot/$c"; }
    done
done
echo "lint DIR: every netboot config read, per host too, from DIR and DIR/netboot"
# Per-host media without the netboot tree: Media=disk alone will do.
printf '%s\n' '[Image]' 'Base=default' '' '[Boot]' 'Media=disk' '' '[Host web1]' 'MAC=52:54:00:00:11:01' > "$work/hostdisk.ini"
"$MKDOM0" build --keys "$keys" -o "$work/hostsd" "$work/hostdisk.ini" > "$work/hostsd.log" 2>&1 ||
    { cat "$work/hostsd.log"; fail "hosts with Media=disk alone were refused"; }
[ "$(cd "$work/hostsd" && find hosts | sort | tr '\n' ' ')" = "hosts hosts/web1 hosts/web1/disk.img " ] ||
    fail "Media=disk with a host: $(cd "$work/hostsd" && find hosts)"
cmp "$work/hostsd/hosts/web1/disk.img" "$work/hostsa/hosts/web1/disk.img" || fail "web1's disk.img differs from the other build's"
# Hosts live in the netboot tree or on their own media: without either, refused at the host's line,
# before any work; a MAC given twice is refused at its second line.
printf '[Image]\nBase=default\n\n[Host web1]\nMAC=52:54:00:00:11:01\n' > "$work/nonet.ini"
out=$("$MKDOM0" build --keys "$keys" -o "$work/hostsn" "$work/nonet.ini" 2>&1) && fail "hosts without netboot were accepted"
echo "$out" | matches "nonet.ini:5: \[Host web1\]: hosts boot from the netboot tree" || fail "wrong error: $out"
printf '[Image]\nBase=default\n[Boot]\nMedia=netboot\n[Host a]\nMAC=52:54:00:00:11:01\n[Host b]\nMAC=52:54:00:00:11:01\n' > "$work/dup.ini"
out=$("$MKDOM0" build --keys "$keys" -o "$work/hostsn" "$work/dup.ini" 2>&1) && fail "a MAC given twice was accepted"
echo "$out" | matches "dup.ini:8: \[Host b\] MAC=52:54:00:00:11:01 is also \[Host a\]'s (.*dup.ini:6)" || fail "wrong error: $out"
[ ! -e "$work/hostsn" ] || fail "a refused spec left an output"

# A netboot/ in the output that mkdom0 did not make (a symlink inside) is
# someone's data: refused without --force, before any work.
mkdir -p "$work/e/netboot" && ln -s /etc/passwd "$work/e/netboot/link"
out=$("$MKDOM0" build --media netboot -o "$work/e" 2>&1) && fail "a foreign netboot/ was replaced"
echo "$out" | matches "holds 'netboot', which mkdom0 build did not write" || fail "wrong error: $out"
[ -L "$work/e/netboot/link" ] || fail "the foreign netboot/ was touched"
echo "media: boot.iso, disk.img, netboot/ made, deterministic, lint clean"

# ---- Xen's own EFI boot: efi/ and xen-unified.efi, signed; early microcode ----
need objdump sbverify openssl cpio
# The test's own Secure Boot key and certificate (and another, which must not verify).
for n in db other; do
    openssl req -new -x509 -newkey rsa:2048 -nodes -keyout "$work/$n.key" -out "$work/$n.crt" \
        -days 3650 -subj "/CN=mkdom0 test $n/" 2>/dev/null || fail "openssl could not make a test certificate"
done
printf '[Image]\nBase=default\n\n[Repository bookworm]\nComponents=main non-free-firmware\n\n[Xen]\nMicrocode=amd intel\n\n[Boot]\nMedia=efi unified\nSecureBootKey=db.key\nSecureBootCert=db.crt\n' > "$work/efi.ini"
build_or_skip --keys "$keys" -o "$work/f" "$work/efi.ini" > "$work/f.log"
grep -q 'grub.cfg,efi/,xen-unified.efi}' "$work/f.log" || { cat "$work/f.log"; fail "the summary does not name efi/ and xen-unified.efi"; }
# efi/: Debian's xen.efi as shipped, xen.cfg, and the image's files.
dpkg-deb --fsys-tarfile "$(ls "${MKDOM0_CACHE:-$HOME/.cache/mkdom0}"/debs/xen-hypervisor-4.17-amd64_*.deb | head -1)" |
    tar -xO ./boot/xen-4.17-amd64.efi > "$work/debian-xen.efi" || fail "cannot read xen.efi from Debian's package"
cmp "$work/f/efi/xen.efi" "$work/debian-xen.efi" || fail "efi/xen.efi is not Debian's"
for f in vmlinuz rootfs.cpio.gz; do cmp "$work/f/efi/$f" "$work/f/$f" || fail "efi/$f is not the build's"; done
xen_args=$(sed -n 's/^\tmultiboot2 \/xen.gz //p' "$work/f/grub.cfg")
dom0_args=$(sed -n 's/^\tmodule2 \/vmlinuz //p' "$work/f/grub.cfg")
echo "$xen_args" | matches ' ucode=scan' || fail "Microcode= did not give Xen ucode=scan: $xen_args"
grep -qxF "options=$xen_args" "$work/f/efi/xen.cfg" || fail "xen.cfg's options= differ from grub.cfg's Xen arguments"
grep -qxF "kernel=vmlinuz $dom0_args" "$work/f/efi/xen.cfg" || fail "xen.cfg's kernel= differs from grub.cfg's"
grep -qxF "ramdisk=rootfs.cpio.gz" "$work/f/efi/xen.cfg" || fail "xen.cfg has no ramdisk=rootfs.cpio.gz"
"$MKDOM0" lint "$work/f/efi/xen.cfg" || fail "efi/xen.cfg does not lint clean"
# lint DIR and DIR/efi read efi/xen.cfg (trial 9d case 03), and lint DIR
# reads the unified image as Xen does: its .config with its own .kernel and
# .ramdisk (issue 10: it was only named as not checked)
"$MKDOM0" lint --strict "$work/f" > "$work/lintefi.log" 2>&1 || { cat "$work/lintefi.log"; fail "lint of the efi output is not clean"; }
grep -qF "$work/f/efi/xen.cfg: read as Xen EFI xen.cfg" "$work/lintefi.log" || { cat "$work/lintefi.log"; fail "lint DIR did not read efi/xen.cfg"; }
for w in "$work/f/xen-unified.efi(.config): read as Xen EFI xen.cfg" \
         "$work/f/xen-unified.efi(.ramdisk): read as rootfs archive, the image's .ramdisk"; do
    grep -qF "$w" "$work/lintefi.log" || { cat "$work/lintefi.log"; fail "lint DIR did not read the unified image: no '$w'"; }
done
! grep -q "not checked" "$work/lintefi.log" || { cat "$work/lintefi.log"; fail "lint DIR of the efi output left something not checked"; }
cp -a "$work/f" "$work/f-nomem"
sed -i 's/dom0_mem=[^ ]*//' "$work/f-nomem/efi/xen.cfg"
for d in "$work/f-nomem" "$work/f-nomem/efi"; do
    rc=0; "$MKDOM0" lint --strict "$d" > "$work/lintefi.log" 2>&1 || rc=$?
    [ $rc = 1 ] && grep -q "^$work/f-nomem/efi/xen.cfg:[0-9]*: error: \[trap4\]" "$work/lintefi.log" ||
        { cat "$work/lintefi.log"; fail "lint $d with no dom0_mem in efi/xen.cfg exited $rc, or without trap 4 there"; }
done
rm -rf "$work/f-nomem"
# ... and its xen-unified.efi's .config without max: fails lint DIR too
cp -a "$work/f" "$work/f-uninomax"
sed 's/dom0_mem=[^ ]*/dom0_mem=4096M/' "$work/f/efi/xen.cfg" > "$work/uninomax.cfg"
objcopy --update-section .config="$work/uninomax.cfg" "$work/f/xen-unified.efi" "$work/f-uninomax/xen-unified.efi" ||
    fail "objcopy --update-section"
rc=0; "$MKDOM0" lint "$work/f-uninomax" > "$work/lintefi.log" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q "^$work/f-uninomax/xen-unified.efi(.config):[0-9]*: error: \[trap4\] .*has no max:" "$work/lintefi.log" ||
    { cat "$work/lintefi.log"; fail "lint DIR whose xen-unified.efi has no max: exited $rc, or without trap 4 there"; }
rm -rf "$work/f-uninomax"
# ... and a truncated copy of it (half: its .ramdisk cut off; the end of a
# signed image is its signature, outside every section) is an error, in lint
# DIR and alone: read as "no such section" it passed with exit 0 (trial 10n)
cp -a "$work/f" "$work/f-cut"
truncate -s $(( $(stat -c %s "$work/f/xen-unified.efi") / 2 )) "$work/f-cut/xen-unified.efi"
for a in "$work/f-cut" "$work/f-cut/xen-unified.efi"; do
    rc=0; "$MKDOM0" lint "$a" > "$work/lintcut.log" 2>&1 || rc=$?
    [ $rc = 1 ] && grep -q "^$work/f-cut/xen-unified.efi: error: \[boot\] not a whole PE32+ image: .*\.ramdisk section lies past the end" \
        "$work/lintcut.log" || { cat "$work/lintcut.log"; fail "lint $a with a truncated xen-unified.efi exited $rc, or without the error"; }
done
rm -rf "$work/f-cut"
# An ESP whose GRUB chainloads the efi/ tree's xen.efi: checked through the
# xen.cfg it reads, so neither "not checked" nor "not all traps" (trial 10n,
# finding C: the grub.cfg, with no Xen entry of its own, was said unchecked)
mkdir -p "$work/esp/EFI/debian" "$work/esp/EFI/xen"
cp "$work/f/efi/"* "$work/esp/EFI/xen/"
printf "menuentry 'Xen' {\n\tchainloader /EFI/xen/xen.efi xen.efi\n}\n" > "$work/esp/EFI/debian/grub.cfg"
rc=0; "$MKDOM0" lint "$work/esp" > "$work/lintesp.log" 2>&1 || rc=$?
grep -q "xen.cfg: read as Xen EFI xen.cfg, the one grub.cfg:2 chainloads" "$work/lintesp.log" && [ $rc = 0 ] &&
    ! grep -q 'not checked\|not all traps' "$work/lintesp.log" ||
    { cat "$work/lintesp.log"; fail "lint of an ESP chainloading xen.efi exited $rc or said something was not checked"; }
# ... named in another case: the ESP is FAT, where names are matched without
# case, so the same files are found and checked (trial 10n, finding E: the
# chainloader line was 'cannot check', kernel= and ramdisk= not found)
printf "menuentry 'Xen' {\n\tchainloader /efi/XEN/Xen.EFI xen.efi\n}\n" > "$work/esp/EFI/debian/grub.cfg"
sed -i -e 's/^kernel=vmlinuz/kernel=VMLinuz/' -e 's/^ramdisk=rootfs.cpio.gz/ramdisk=ROOTFS.CPIO.GZ/' "$work/esp/EFI/xen/xen.cfg"
grep -q '^kernel=VMLinuz' "$work/esp/EFI/xen/xen.cfg" || fail "xen.cfg has no kernel=vmlinuz to rename"
rc=0; "$MKDOM0" lint "$work/esp" > "$work/lintesp.log" 2>&1 || rc=$?
grep -q "xen.cfg: read as Xen EFI xen.cfg, the one grub.cfg:2 chainloads with /efi/XEN/Xen.EFI" "$work/lintesp.log" &&
    grep -qF "$work/esp/EFI/xen/rootfs.cpio.gz: read as rootfs archive, the one xen.cfg:" "$work/lintesp.log" && [ $rc = 0 ] &&
    ! grep -q 'not checked\|not all traps\|cannot check' "$work/lintesp.log" ||
    { cat "$work/lintesp.log"; fail "lint of an ESP whose names differ in case exited $rc or did not find the files"; }
rm -rf "$work/esp"
# lint of the unified image alone reads it as Xen does: .config as xen.cfg,
# .ramdisk as the rootfs (trial10g 3); it lints as its parts, clean, and
# the summary counts the three parts read (the config, Xen, the rootfs)
"$MKDOM0" lint --strict "$work/f/xen-unified.efi" > "$work/lintuni.log" 2>&1 || { cat "$work/lintuni.log"; fail "xen-unified.efi alone does not lint clean"; }
for w in "xen-unified.efi(.config): read as Xen EFI xen.cfg" "xen-unified.efi(.ramdisk): read as rootfs archive" \
         "mkdom0 lint: no findings in 3 inputs"; do
    grep -qF "$w" "$work/lintuni.log" || { cat "$work/lintuni.log"; fail "lint xen-unified.efi: no '$w'"; }
done
sed 's/dom0_mem=[^ ]*/dom0_mem=4096M/' "$work/f/efi/xen.cfg" > "$work/bad.cfg"
objcopy --update-section .config="$work/bad.cfg" "$work/f/xen-unified.efi" "$work/bad-unified.efi" || fail "objcopy --update-section"
rc=0; "$MKDOM0" lint "$work/bad-unified.efi" > "$work/lintuni.log" 2>&1 || rc=$?
[ $rc = 1 ] && grep -q "bad-unified.efi(.config):[0-9]*: error: \[trap4\] .*has no max:" "$work/lintuni.log" ||
    { cat "$work/lintuni.log"; fail "a unified image whose .config has no max: exited $rc, or without trap 4 there"; }
# The unified image: Xen's sections plus .config, .kernel and .ramdisk, after
# .pad, not overlapping; their bytes are xen.cfg, vmlinuz and the rootfs.
objdump -h "$work/f/xen-unified.efi" | tee "$work/sections"
for s in .text .pad .config .kernel .ramdisk; do
    grep -q " $s " "$work/sections" || fail "xen-unified.efi has no $s section"
done
python3 - "$work/f/xen-unified.efi" "$work" <<'PY' || fail "the sections of xen-unified.efi are not what was put in"
import struct, sys
d = open(sys.argv[1], 'rb').read(); w = sys.argv[2]
pe = struct.unpack_from('<I', d, 0x3c)[0]; n = struct.unpack_from('<H', d, pe + 6)[0]
opt = pe + 24; sec = opt + struct.unpack_from('<H', d, pe + 20)[0]
base = struct.unpack_from('<Q', d, opt + 24)[0]
s = {}
for i in range(n):
    o = sec + 40 * i
    name = d[o:o + 8].rstrip(b'\0').decode()
    vsize, va, rsize, roff = struct.unpack_from('<IIII', d, o + 8)
    s[name] = (va, vsize, d[roff:roff + vsize])
pad_end = s['.pad'][0] + s['.pad'][1]
spans = sorted((v[0], v[0] + v[1], k) for k, v in s.items())
for (a, b, k), (c, _, l) in zip(spans, spans[1:]):
    assert b <= c, f'{k} overlaps {l}'
for k, f in (('.config', 'f/efi/xen.cfg'), ('.kernel', 'f/vmlinuz'), ('.ramdisk', 'f/rootfs.cpio.gz')):
    assert s[k][0] >= pad_end, f'{k} before the end of .pad'
    assert s[k][2] == open(f'{w}/{f}', 'rb').read(), f'{k} is not {f}'
# The header as xen.efi's: its time stamp (not objcopy's clock), and a
# PE checksum (imagehlp's CheckSumMappedFile) that matches the file.
x = open(f'{w}/debian-xen.efi', 'rb').read()
assert d[pe + 8:pe + 12] == x[pe + 8:pe + 12], 'TimeDateStamp is not xen.efi\'s'
ck = opt + 64; total = 0
for i in range(0, len(d), 2):
    if ck <= i < ck + 4:
        continue
    total += d[i] | (d[i + 1] << 8 if i + 1 < len(d) else 0)
    total = (total & 0xffff) + (total >> 16)
total = ((total & 0xffff) + (total >> 16)) + len(d)
assert struct.unpack_from('<I', d, ck)[0] == total & 0xffffffff, 'PE checksum does not match'
print('sections ok: .config .kernel .ramdisk after .pad at', hex(base + pad_end), '; header stamp and checksum ok')
PY
# Signed with the spec's key: the test's certificate verifies it, another does not.
sbverify --cert "$work/db.crt" "$work/f/xen-unified.efi" || fail "sbverify with the signing certificate failed"
sbverify --cert "$work/other.crt" "$work/f/xen-unified.efi" 2>/dev/null && fail "sbverify accepted a certificate that did not sign it"
# Microcode: the rootfs starts with an uncompressed newc cpio holding the two
# vendor blobs, then the compressed rootfs.
cpio -it < "$work/f/rootfs.cpio.gz" > "$work/early.list" 2>/dev/null
[ "$(tr '\n' ' ' < "$work/early.list")" = ". kernel kernel/x86 kernel/x86/microcode kernel/x86/microcode/AuthenticAMD.bin kernel/x86/microcode/GenuineIntel.bin " ] ||
    fail "the first cpio is not the microcode: $(cat "$work/early.list")"
head -c 6 "$work/f/rootfs.cpio.gz" | matches 070701 || fail "the rootfs does not start with an uncompressed newc cpio"
amd=$(mktemp -d "$work/amd.XXXXXX")
(cd "$amd" && cpio -id --quiet < "$work/f/rootfs.cpio.gz") || fail "cannot unpack the microcode cpio"
dpkg-deb -x "$(ls "${MKDOM0_CACHE:-$HOME/.cache/mkdom0}"/debs/amd64-microcode_*.deb | head -1)" "$amd/deb"
cmp "$amd/kernel/x86/microcode/AuthenticAMD.bin" <(cat "$amd"/deb/lib/firmware/amd-ucode/microcode_amd*.bin) ||
    fail "AuthenticAMD.bin is not amd64-microcode's blobs"
# The rest is the rootfs as every image has it (lint reads both archives),
# without the microcode files (a PV dom0 loads none).
"$MKDOM0" lint "$work/f" || fail "the image with microcode does not lint clean"
python3 - "$work/f/rootfs.cpio.gz" "$work/rest.gz" <<'PY'
import sys
d = open(sys.argv[1], 'rb').read(); i = d.index(b'TRAILER!!!') + 10
while d[i] == 0:
    i += 1
assert i % 512 == 0 and d[i:i + 2] == b'\x1f\x8b', 'the gzip rootfs does not follow the early cpio at a 512-byte boundary'
open(sys.argv[2], 'wb').write(d[i:])
PY
zcat "$work/rest.gz" | cpio -it > "$work/rest.list" 2>/dev/null
grep -q '^usr/lib/firmware/.*-ucode' "$work/rest.list" && fail "the microcode blobs are still in the rootfs"
grep -qx 'usr/sbin/init' "$work/rest.list" || fail "the compressed rootfs after the microcode is not the rootfs"
# Same bytes twice, signature included.
"$MKDOM0" build --keys "$keys" -o "$work/g" "$work/efi.ini" > "$work/g.log" 2>&1 || { cat "$work/g.log"; fail "the second EFI build failed"; }
cmp "$work/f/xen-unified.efi" "$work/g/xen-unified.efi" || fail "xen-unified.efi differs between two builds"
cmp "$work/f/rootfs.cpio.gz" "$work/g/rootfs.cpio.gz" || fail "the rootfs with microcode differs between two builds"
diff -r "$work/f/efi" "$work/g/efi" || fail "efi/ differs between two builds"
# Spec errors name the line.
printf '[Image]\nBase=default\n\n[Boot]\nMedia=unified\nSecureBootKey=db.key\n' > "$work/half.ini"
out=$("$MKDOM0" build -o "$work/h" "$work/half.ini" 2>&1) && fail "a key without a certificate was accepted"
echo "$out" | matches "half.ini:6: \[Boot\] SecureBootKey= without SecureBootCert=" || fail "wrong error: $out"
printf '[Boot]\nSecureBootCert=missing.crt\n' > "$work/missing.ini"
out=$("$MKDOM0" build -o "$work/h" "$work/missing.ini" 2>&1) && fail "a missing certificate was accepted"
echo "$out" | matches "missing.ini:2: SecureBootCert=" || fail "wrong error: $out"
printf '[Image]\nBase=default\n\n[Xen]\nMicrocode=amd\n' > "$work/nonfree.ini"
out=$("$MKDOM0" build -o "$work/h" "$work/nonfree.ini" 2>&1) && fail "Microcode= without non-free-firmware was accepted"
echo "$out" | matches "nonfree.ini:5: \[Xen\] Microcode= needs Debian's amd64-microcode, which are in the non-free-firmware component" ||
    fail "wrong error: $out"
printf '[Xen]\nMicrocode=arm\n' > "$work/arm.ini"
out=$("$MKDOM0" build -o "$work/h" "$work/arm.ini" 2>&1) && fail "Microcode=arm was accepted"
echo "$out" | matches "arm.ini:2: Microcode=arm: expected amd, intel" || fail "wrong error: $out"
# A key that does not belong to the certificate: refused at its line when
# the spec is read, before any work (trial 9d case 08; sbsign failed at the end)
printf '[Image]\nBase=default\n\n[Boot]\nMedia=unified\nSecureBootKey=other.key\nSecureBootCert=db.crt\n' > "$work/mismatch.ini"
out=$("$MKDOM0" build --keys "$keys" -o "$work/h" "$work/mismatch.ini" 2>&1) && fail "a key that does not match the certificate was accepted"
echo "$out" | matches "mismatch.ini:6: SecureBootKey=.*other.key is not the private key of SecureBootCert=.*db.crt" || fail "wrong error: $out"
echo "$out" | matches "debs:" && fail "the package work ran before the pair was refused: $out"
[ ! -e "$work/h" ] || fail "a failed signing left an output"
echo "efi: efi/ and xen-unified.efi (signed, sections checked), microcode cpio first, deterministic"
