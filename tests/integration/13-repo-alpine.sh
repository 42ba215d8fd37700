#!/usr/bin/env bash
# `mkdom0 resolve` on an Alpine spec: two file:// repositories laid out as
# Alpine's mirrors are (URL/x86_64/APKINDEX.tar.gz), holding the REAL signed
# v3.22.2 and v3.20.3 main indexes (copied at run time from ../shared/alpine,
# never into the project), the original dom0's base set with xen pinned to
# the older release: the table, the lock file, the cache used when the
# repository is gone, and the refusals a user would meet (an unknown key, a
# byte flipped in the index, another release's index at a release's URL, a
# conflict, an unsatisfiable pin, a pin that cannot be honoured, a spec key
# that does not fit Type=apk); a package of the newer release that needs
# the pinned toolstack's version gives way to the pinned release's.
set -euo pipefail
MKDOM0=${MKDOM0:-$(cd "$(dirname "$0")/../.." && pwd)/build/mkdom0}
. "$(cd "$(dirname "$0")/.." && pwd)/lib.sh"

T=$(mktemp -d /tmp/mkdom0-alpine-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
keys=$(alpine_data keys)
for r in v3.22:v3.22.2-206 v3.20:v3.20.3-38; do
    mkdir -p "$T/mirror/${r%%:*}/main/x86_64"
    cp "$(alpine_data "apkindex/${r#*:}-main-x86_64.APKINDEX.tar.gz")" \
        "$T/mirror/${r%%:*}/main/x86_64/APKINDEX.tar.gz"
done

spec() { # FILE KEYSDIR [extra [Packages] lines]
    cat >"$1" <<EOF
[Image]
Name=alpine-dom0

[Repository v322]
Type=apk
URL=file://$T/mirror/v3.22/main
Architecture=x86_64
Keys=$2

# Only what is pinned here, or what nothing newer satisfies, comes from 3.20.
[Repository v320]
Type=apk
URL=file://$T/mirror/v3.20/main
Keys=$2
Priority=100

[Packages]
Include=openrc openssh-server dhcpcd busybox xen
Pin=xen=v320
${3:-}

[Xen]
Dom0Mem=1024M
EOF
}

spec "$T/alpine.ini" "$keys"
"$MKDOM0" resolve "$T/alpine.ini" --cache "$T/cache" --lock "$T/lock" >"$T/out" 2>"$T/err" ||
    fail "resolve failed: $(cat "$T/err")"
cat "$T/out"
# The table: xen and its libraries from 3.20, the base from 3.22.
matches -E '^xen +4\.18\.3-r0 +v320 ' "$T/out" || fail "xen 4.18.3-r0 from v320 not in the table"
matches -E '^xen-libs +4\.18\.3-r0 +v320 ' "$T/out" || fail "xen-libs 4.18 from v320 not in the table"
for p in openrc openssh-server dhcpcd busybox musl; do
    matches -E "^$p +[^ ]+ +v322 " "$T/out" || fail "$p from v322 not in the table"
done
matches -E '^busybox-binsh .* dependency of openrc \(provides /bin/sh\)' "$T/out" ||
    fail "/bin/sh not provided by busybox-binsh (provider_priority 100)"
matches -E '^dhcpcd-openrc .* install_if openrc dhcpcd=' "$T/out" || fail "install_if not applied"
# xen-pyc too: its install_if (xen=4.18.3-r0 pyc) holds for v3.20's only
# (trial 13h case 2: only v3.22's 4.20 was looked at, and it was missing).
matches -E '^xen-pyc +4\.18\.3-r0 +v320 .*install_if xen=4\.18\.3-r0 pyc' "$T/out" ||
    fail "xen-pyc of the pinned release not added by its install_if"
[ "$(grep -c ' v320 ' "$T/out")" = 3 ] || fail "more than xen, xen-libs and xen-pyc came from v320"
matches -E '^[0-9]+ packages, [0-9]+ bytes to download, [0-9]+ KiB installed$' "$T/out" ||
    fail "no summary line"
# The lock file: each repository by its index's DESCRIPTION, each package
# by the checksum its index gives it.
matches -x "repository v320 file://$T/mirror/v3.20/main x86_64 v3.20.3-38-g5b99a0b2f22" "$T/lock" ||
    fail "lock: v320 line"
xen_c=$(tar -xzOf "$T/mirror/v3.20/main/x86_64/APKINDEX.tar.gz" APKINDEX 2>/dev/null |
        awk -v RS= '/(^|\n)P:xen\n/' | sed -n 's/^C://p')
[ -n "$xen_c" ] || fail "no C: for xen in the v3.20 index"
matches -xF "package xen 4.18.3-r0 x86_64 v320 4611258 $xen_c" "$T/lock" || fail "lock: xen line"
[ "$(grep -c '^package ' "$T/lock")" = "$(grep -cE '^[^ ]+ +[^ ]+ +v32[02] ' "$T/out")" ] ||
    fail "lock and table list different packages"
# The same again from the cache when the mirror is gone (the indexes
# verified again, with a note).
mv "$T/mirror" "$T/gone"
"$MKDOM0" resolve "$T/alpine.ini" --cache "$T/cache" --lock "$T/lock2" >"$T/out2" 2>"$T/err2" ||
    fail "offline resolve failed: $(cat "$T/err2")"
cmp "$T/lock" "$T/lock2" || fail "offline lock differs"
matches 'using the APKINDEX verified at' "$T/err2" || fail "no note about the cached index"
mv "$T/gone" "$T/mirror"

refused() { # WHAT PATTERN SPEC [ARGS]
    local what=$1 pat=$2 f=$3; shift 3
    if "$MKDOM0" resolve "$f" --cache "$T/cache2" "$@" >"$T/o" 2>"$T/e"; then
        fail "$what: accepted"
    fi
    matches -F -- "$pat" "$T/e" || fail "$what: expected '$pat', got: $(cat "$T/e")"
    echo "refused ($what): $(cat "$T/e")"
}
# A keys directory without the key that signed the index.
mkdir "$T/otherkeys"
cp "$keys/alpine-devel@lists.alpinelinux.org-58199dcc.rsa.pub" "$T/otherkeys/"
spec "$T/nokey.ini" "$T/otherkeys"
refused "unknown key" "which is not in $T/otherkeys" "$T/nokey.ini"
# A byte flipped in the signed part of the index.
cp -r "$T/mirror" "$T/mirror.good"
f=$T/mirror/v3.22/main/x86_64/APKINDEX.tar.gz
size=$(stat -c %s "$f")
printf '\x55' | dd of="$f" bs=1 seek=$((size - 100)) conv=notrunc status=none
refused "altered index" "APKINDEX.tar.gz" "$T/alpine.ini"
matches -i 'does not verify\|corrupt\|crc' "$T/e" || fail "altered index: no reason given: $(cat "$T/e")"
[ ! -e "$T/cache2/indexes" ] || ! ls "$T/cache2/indexes" | matches . ||
    fail "an index that did not verify was kept in the cache"
rm -rf "$T/mirror" && mv "$T/mirror.good" "$T/mirror"
# Another release's index at a release's URL (v3.20's, signed and
# verifying, at .../v3.22/main): refused naming both, not cached.
mkdir -p "$T/swap/v3.22/main/x86_64"
cp "$T/mirror/v3.20/main/x86_64/APKINDEX.tar.gz" "$T/swap/v3.22/main/x86_64/"
spec "$T/swap.ini" "$keys"
sed -i "s|file://$T/mirror/v3.22/main|file://$T/swap/v3.22/main|" "$T/swap.ini"
refused "another release's index" \
    "repository v322: file://$T/swap/v3.22/main/x86_64/APKINDEX.tar.gz: the index is of release v3.20 (its DESCRIPTION is 'v3.20.3-38-g5b99a0b2f22'), but the URL names release v3.22" \
    "$T/swap.ini"
! ls "$T/cache2/indexes" 2>/dev/null | matches swap || fail "another release's index was cached"
# A conflict: openrc's ifupdown-any is best provided by ifupdown-ng, which
# refuses vlan; with vlan asked for, busybox-ifupdown is taken instead (as
# apk-tools does), and without that one the conflict is refused.
spec "$T/vlan.ini" "$keys" "Include=vlan"
"$MKDOM0" resolve "$T/vlan.ini" --cache "$T/cache" >"$T/o" 2>"$T/e" || fail "vlan: $(cat "$T/e")"
matches -E '^busybox-ifupdown .* dependency of openrc \(provides ifupdown-any\)' "$T/o" ||
    fail "vlan: busybox-ifupdown not taken"
! matches -E '^ifupdown-ng ' "$T/o" || fail "vlan: ifupdown-ng taken beside vlan"
matches -E '^ifupdown-ng ' "$T/out" || fail "ifupdown-ng not the provider without vlan"
spec "$T/conflict.ini" "$keys" "Include=vlan
Exclude=busybox-ifupdown"
refused "conflict" "openrc -> ifupdown-any -> !vlan: ifupdown-ng 0.12.1-r7 conflicts with vlan" \
    "$T/conflict.ini"
# Unsatisfiable: xen 4.18's libraries pinned to the release that has 4.20;
# the chain names both pins and their lines.
spec "$T/unsat.ini" "$keys" "Pin=xen-libs=v322"
refused "unsatisfiable" "xen (pinned to v320 by $T/unsat.ini:19) -> so:libxenctrl.so.4.18: no version satisfies (available: provided by xen-libs 4.18.3-r0 in v320 (pinned to v322 by $T/unsat.ini:20))" "$T/unsat.ini"
# A package from the newer release that needs an exact version of a pinned
# one: another version of it is taken, whose dependency the pin meets
# (xen-dev 4.20 needs xen-libs=4.20.2-r0; xen-qemu 4.20 needs
# so:libxenctrl.so.4.20, and xen-libs 4.18 is the pinned xen's), with a
# note; with xen-dev pinned to the newer release, refused with the chain.
spec "$T/dev.ini" "$keys" "Include=xen-dev xen-qemu
Pin=xen-libs=v320"
"$MKDOM0" resolve "$T/dev.ini" --cache "$T/cache" >"$T/o" 2>"$T/e" || fail "xen-dev: $(cat "$T/e")"
for p in xen xen-libs xen-dev xen-qemu; do
    matches -E "^$p +4\.18\.3-r0 +v320 " "$T/o" || fail "xen-dev: $p not 4.18.3-r0 from v320: $(cat "$T/o")"
done
matches -F "xen-dev 4.20.2-r0 in v322 set aside (took 4.18.3-r0 from v320 instead): xen-dev -> xen-libs=4.20.2-r0: conflicts with xen-libs 4.18.3-r0" "$T/e" ||
    fail "xen-dev: no note of what was set aside: $(cat "$T/e")"
spec "$T/devpin.ini" "$keys" "Include=xen-dev
Pin=xen-libs=v320 xen-dev=v322"
refused "a pinned package needing a version its dependency's pin forbids" \
    "xen-dev (pinned to v322 by $T/devpin.ini:21) -> xen-libs=4.20.2-r0: conflicts with xen-libs 4.18.3-r0 (selected for xen (pinned to v320 by $T/devpin.ini:19) -> so:libxencall.so.1 (xen-libs, pinned to v320 by $T/devpin.ini:21)); no single version satisfies both and the pin (pinned to v320 by $T/devpin.ini:21)" \
    "$T/devpin.ini"
# A pin that cannot be honoured is refused at its line: a name no
# repository has (trial 13 F3: a typo was silently ignored), a provided
# name, a repository without the package; a pin of a package nothing takes
# is a note at its line; a second pin of one package, which would have won
# unseen (F4), is refused too.
spec "$T/pintypo.ini" "$keys" "Pin=xen-lib=v320"
refused "pin of a name no repository has" \
    "pintypo.ini:20: Pin=xen-lib=v320: no repository has a package named xen-lib; check the name" \
    "$T/pintypo.ini"
spec "$T/pinso.ini" "$keys" "Pin=so:libxenctrl.so.4.18=v320"
refused "pin of a provided name" \
    "pinso.ini:20: Pin=so:libxenctrl.so.4.18=v320: no repository has a package named so:libxenctrl.so.4.18; it is a name provided by xen-libs (in v320), and a pin applies to a package's own name: pin the provider (Pin=xen-libs=v320)" \
    "$T/pinso.ini"
mkdir -p "$T/mirror/v3.16/main/x86_64"
cp "$(alpine_data apkindex/v3.16.3-13-main-x86_64.APKINDEX.tar.gz)" "$T/mirror/v3.16/main/x86_64/APKINDEX.tar.gz"
spec "$T/pinrepo.ini" "$keys" "Pin=busybox-binsh=v316"
printf '[Repository v316]\nType=apk\nURL=file://%s/mirror/v3.16/main\nKeys=%s\nPriority=50\n' "$T" "$keys" >>"$T/pinrepo.ini"
refused "pin to a repository without the package" \
    "pinrepo.ini:20: Pin=busybox-binsh=v316: repository v316 has no package busybox-binsh (busybox-binsh: 1.37.0-r19 in v322; 1.36.1-r29 in v320), so the pin cannot be honoured" \
    "$T/pinrepo.ini"
spec "$T/pinunused.ini" "$keys" "Pin=strace=v320"
"$MKDOM0" resolve "$T/pinunused.ini" --cache "$T/cache" >"$T/o" 2>"$T/e" || fail "unused pin: $(cat "$T/e")"
matches -F "pinunused.ini:20: Pin=strace=v320 takes nothing: nothing in the image needs the package" "$T/e" ||
    fail "unused pin: no note at its line: $(cat "$T/e")"
! matches -E '^strace ' "$T/o" || fail "unused pin: strace taken"
spec "$T/pintwice.ini" "$keys" "Pin=xen=v322"
refused "a package pinned twice" \
    "pintwice.ini:20: Pin=xen=v322: xen is already pinned (to v320, at $T/pintwice.ini:19): one pin per package" \
    "$T/pintwice.ini"
# An apk atom in Include= is refused as what it is, not "no such package"
# (trial 13 F12).
spec "$T/atom.ini" "$keys" "Include=xen<4.19"
refused "an apk atom in Include=" \
    "atom.ini:20: Include=xen<4.19: a package name, not a version constraint or repository tag" \
    "$T/atom.ini"
# The index of another architecture at the URL: said so, naming the index,
# not "busybox: no such package" (trial 13 F10).
mkdir -p "$T/armmirror/x86_64"
cp "$(alpine_data apkindex/v3.17.3-216-main-aarch64.APKINDEX.tar.gz)" "$T/armmirror/x86_64/APKINDEX.tar.gz"
spec "$T/arm.ini" "$keys"
sed -i "s|URL=file://$T/mirror/v3.22/main|URL=file://$T/armmirror|" "$T/arm.ini"
refused "an index of another architecture" \
    "file://$T/armmirror/x86_64/APKINDEX.tar.gz: none of its 5004 packages is for x86_64 (all aarch64): the index of another architecture" \
    "$T/arm.ini"
spec "$T/suite.ini" "$keys"
sed -i 's/^Keys=\(.*\)/Keys=\1\nSuite=v3.22/' "$T/suite.ini"
refused "Suite= in Type=apk" "suite.ini:9: Suite= is for Type=deb; [Repository v322] is Type=apk" \
    "$T/suite.ini"
# Keys whose work is Debian's packages are refused at their line with
# Alpine's way, not "qemu-system-xen: no such package" (trial 13h cases 3, 5).
spec "$T/hvm.ini" "$keys"
sed -i 's/^\[Xen\]/[Xen]\nHVM=yes/' "$T/hvm.ini"
refused "HVM=yes in an Alpine spec" \
    "hvm.ini:23: [Xen] HVM=yes is for Debian specs (it adds Debian's device model packages and trims them); on Type=apk add Alpine's device model to [Packages] Include= instead: xen-qemu" \
    "$T/hvm.ini"
spec "$T/ucode.ini" "$keys"
sed -i 's/^\[Xen\]/[Xen]\nMicrocode=amd/' "$T/ucode.ini"
refused "Microcode= in an Alpine spec" \
    "ucode.ini:23: [Xen] Microcode= is for Debian specs" "$T/ucode.ini"
spec "$T/ess.ini" "$keys" "Essential=yes"
refused "Essential=yes in an Alpine spec" \
    "ess.ini:20: [Packages] Essential=yes is for Debian specs: Alpine's indexes mark no package essential" \
    "$T/ess.ini"
for f in hvm ucode ess; do
    "$MKDOM0" resolve "$T/$f.ini" --cache "$T/cache2" >/dev/null 2>"$T/e" && fail "$f: accepted"
    ! grep -E 'qemu-system-xen|amd64-microcode|intel-microcode' "$T/e" || fail "$f: a Debian package name"
done
# --download fetches URL/ARCH/NAME-VERSION.apk (none are in these mirrors:
# the first is named, and nothing is kept).
refused "--download" "file://$T/mirror/v3.22/main/x86_64/acl-libs-2.3.2-r1.apk: download failed" \
    "$T/alpine.ini" --download
! ls -A "$T/cache2/apks" 2>/dev/null | grep -v '^\.lock$' | matches . || fail "--download kept a file"
# `mkdom0 build` takes the same steps (79-build-alpine builds an image from
# repositories it signs itself): here, with indexes but no .apk files, it
# stops at the first download, naming it, and writes nothing.
if "$MKDOM0" build "$T/alpine.ini" -o "$T/image" --keys "$T/sshkeys" --cache "$T/cache2" \
        >"$T/o" 2>"$T/e"; then
    fail "build without the .apk files: accepted"
fi
matches -F "file://$T/mirror/v3.22/main/x86_64/acl-libs-2.3.2-r1.apk: download failed" "$T/e" ||
    fail "build: $(cat "$T/e")"
[ ! -e "$T/image" ] || fail "build left $T/image"
# The example spec of the original dom0 (examples/alpine-dom0.ini) against
# the real indexes, v3.22 standing in for its 3.23 and v3.20 (Xen 4.18)
# for its 3.18 (Xen 4.17), whose main index we do not have: the toolstack,
# its libraries and the hypervisor from the pinned release, the base from
# the other, python3 and the initramfs machinery left out.
sed -e "s|https://dl-cdn.alpinelinux.org/alpine/v3.23/main|file://$T/mirror/v3.22/main|" \
    -e "s|https://dl-cdn.alpinelinux.org/alpine/v3.18/main|file://$T/mirror/v3.20/main|" \
    -e "s|^Keys=/etc/apk/keys|Keys=$keys|" \
    "$MKDOM0_SRC/examples/alpine-dom0.ini" > "$T/example.ini"
grep -q "file://$T/mirror/v3.20/main" "$T/example.ini" || fail "the example's v3.18 URL was not replaced"
# linux-lts ships its modules: no modloop to fetch (trial 13h case 13)
! grep -q '^Modloop=' "$T/example.ini" || fail "the example still takes a modloop beside linux-lts"
"$MKDOM0" resolve "$T/example.ini" --cache "$T/cache" >"$T/o" 2>"$T/e" || fail "example: $(cat "$T/e")"
for p in xen xen-libs xen-hypervisor; do
    matches -E "^$p +4\.18\.3-r0 +v318 " "$T/o" || fail "example: $p not from the pinned release"
done
[ "$(grep -c ' v318 ' "$T/o")" = 3 ] || fail "example: more than the toolstack came from v318"
for p in alpine-baselayout busybox busybox-binsh openrc openssh-server dhcpcd linux-lts musl; do
    matches -E "^$p +[^ ]+ +v323 " "$T/o" || fail "example: $p not from v323"
done
! matches -E '^(python3|mkinitfs|linux-firmware[^ ]*) ' "$T/o" || fail "example: an excluded package came in"
echo "example spec: $(tail -n1 "$T/o")"
# Where tests/run.sh finds this data (trial 13x F3: from a plain clone of
# a local repository, git clone /work/main X, only X/../shared/alpine was
# looked at): beside the source tree, and beside a local clone's origin.
need git
w=$T/f3
mkdir -p "$w/top/shared" "$w/elsewhere"
ln -s "$(alpine_data)" "$w/top/shared/alpine"
git init -q "$w/top/main"
git -C "$w/top/main" -c user.name=t -c user.email=t@t commit -q --allow-empty -m t
git clone -q "$w/top/main" "$w/elsewhere/clone"
git clone -q "file://$w/top/main" "$w/elsewhere/fileclone"
for c in "$w/top/main" "$w/elsewhere/clone" "$w/elsewhere/fileclone"; do
    "$MKDOM0_SRC/tests/alpine-data.sh" "$c" > "$T/where"
    matches -x "$w/top/main/../shared/alpine" "$T/where" || fail "data for $c: $(cat "$T/where")"
    [ "$(wc -l < "$T/where")" = 1 ] || fail "data for $c: $(cat "$T/where")"
done
# nowhere: the first place, then every place looked at, for the message
rm "$w/top/shared/alpine"
"$MKDOM0_SRC/tests/alpine-data.sh" "$w/elsewhere/clone" > "$T/where"
matches -x "$w/elsewhere/clone/../shared/alpine" "$T/where" || fail "no data: $(cat "$T/where")"
matches -x "$w/elsewhere/clone/../shared/alpine .*$w/top/main/../shared/alpine.*" "$T/where" ||
    fail "no data: the places looked at are not listed: $(cat "$T/where")"
echo "the test data is found beside a local clone's origin"
echo "alpine repositories: OK"
