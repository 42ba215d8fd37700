#!/usr/bin/env bash
# The package layer against the real Debian archive: the default spec
# resolves and downloads (Xen 4.17.7 comes from bookworm-security), a second
# run downloads nothing, and pinning xen-utils-4.20 to a lower-priority
# trixie repository takes the 4.20 toolstack from trixie and the rest from
# bookworm.  Each run has its own cache, seeded (hard links) from a warm one
# when there is one: MKDOM0_TEST_CACHE, else the suite's shared
# $MKDOM0_BUILD/test-cache, and the tests' download cache (lib.sh
# cache_dir); new downloads are linked back into the first.
set -euo pipefail
MKDOM0=${MKDOM0:-$(cd "$(dirname "$0")/../.." && pwd)/build/mkdom0}
. "$(cd "$(dirname "$0")/.." && pwd)/lib.sh"
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
[ -r $KEYRING ] || fail "$KEYRING missing (debian-archive-keyring; make deps)"
need_network

T=$(mktemp -d /tmp/mkdom0-debian-test.XXXXXX)
trap 'rm -rf "$T"' EXIT
C=$T/cache
mkdir -p "$C/debs"
warm=${MKDOM0_TEST_CACHE:-${MKDOM0_BUILD:+$MKDOM0_BUILD/test-cache}}
# and from the download cache the other tests' builds share (lib.sh), so
# make check-asan's run does not fetch again what make check's fetched
for w in "$warm" "$(cache_dir)"; do
    if [ -n "$w" ] && [ -d "$w/debs" ]; then
        find "$w/debs" -maxdepth 1 -name '*.deb' -exec ln -f -t "$C/debs" {} + 2>/dev/null ||
            find "$w/debs" -maxdepth 1 -name '*.deb' -exec cp -t "$C/debs" {} +
    fi
done
warm_back() { # verified downloads are worth keeping for the next run
    [ -n "$warm" ] || return 0
    mkdir -p "$warm/debs" 2>/dev/null || return 0
    for f in "$C"/debs/*.deb; do
        [ -e "$warm/debs/${f##*/}" ] || ln "$f" "$warm/debs/" 2>/dev/null || cp "$f" "$warm/debs/" || true
    done
}
col() { awk -v p="$1" -v c="$2" '$1 == p { print $c }' "$T/out"; } # package column

# ---- the default spec: resolve, download, lock ----
"$MKDOM0" resolve --cache "$C" --download --lock "$T/mkdom0.lock" >"$T/out" 2>"$T/err" ||
    { cat "$T/out" "$T/err"; fail "default spec"; }
cat "$T/out"
cat "$T/err"
for p in xen-hypervisor-4.17-amd64 linux-image-amd64 busybox-static openrc openssh-server \
         xen-utils-4.17 libxentoolcore1 kmod; do
    [ "$(col $p 5)" = requested ] || fail "$p not in the set as requested"
done
case $(col xen-utils-4.17 2) in 4.17.7*) ;; *) fail "xen-utils-4.17 is $(col xen-utils-4.17 2), want 4.17.7";; esac
[ "$(col xen-utils-4.17 3)" = bookworm-security ] || fail "xen-utils-4.17 not from bookworm-security"
[ "$(col xen-hypervisor-4.17-amd64 2)" = "$(col xen-utils-4.17 2)" ] || fail "hypervisor and toolstack differ"
for p in python3 udev perl-base debconf systemd; do
    [ -z "$(col $p 1)" ] || fail "$p was pulled in"
done
grep -q '^skipped python3 (excluded), wanted by xen-utils-4.17$' "$T/out" || fail "python3 skip not reported"
n=$(sed -n 's/^\([0-9]*\) packages, .*/\1/p' "$T/out")
[ "$n" -gt 20 ] || fail "suspiciously few packages: $n"
[ "$(grep -c '^package ' "$T/mkdom0.lock")" = "$n" ] || fail "lock file does not list $n packages"
grep -q "^package xen-utils-4.17 4.17.7" "$T/mkdom0.lock" || fail "lock file lacks xen-utils-4.17"
grep -qE '^mkdom0: debs: [0-9]+ downloaded \([0-9]+ bytes\), [0-9]+ cached$' "$T/err" || fail "no download summary"
# every .deb in the lock file is in the cache with that hash
while read -r _ name ver arch repo size sha; do
    f=$C/debs/${name}_${ver/:/%3a}_${arch}.$sha.deb # apt's name with the signed index's hash
    [ "$(stat -c %s "$f")" = "$size" ] || fail "$f: wrong size"
    [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$sha" ] || fail "$f: wrong SHA256"
done < <(grep '^package ' "$T/mkdom0.lock")
! find "$C" -name '.partial.*' | matches . || fail "partial files left in the cache"

warm_back

# ---- second run: no .deb downloaded ----
"$MKDOM0" resolve --cache "$C" --download >"$T/out2" 2>"$T/err2" || { cat "$T/err2"; fail "second run"; }
grep -q "^mkdom0: debs: 0 downloaded (0 bytes), $n cached$" "$T/err2" || { cat "$T/err2"; fail "second run downloaded"; }

# ---- trixie's Xen 4.20 toolstack pinned, the rest from bookworm ----
cat >"$T/trixie.ini" <<EOF
[Image]
Base=default

[Repository trixie]
URL=http://deb.debian.org/debian
Suite=trixie
Components=main
Keyring=$KEYRING
Priority=100

[Packages]
Include=
Include=xen-hypervisor-4.17-amd64 linux-image-amd64 busybox-static openrc openssh-server kmod
        xen-utils-4.20
Pin=xen-utils-4.20=trixie
EOF
"$MKDOM0" resolve "$T/trixie.ini" --cache "$C" >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "trixie pin"; }
cat "$T/out"
case $(col xen-utils-4.20 2) in 4.20*) ;; *) fail "xen-utils-4.20 version $(col xen-utils-4.20 2)";; esac
for p in xen-utils-4.20 libxenmisc4.20 xen-utils-common; do
    [ "$(col $p 3)" = trixie ] || fail "$p not from trixie"
done
for p in openssh-server busybox-static openrc kmod; do
    [ "$(col $p 3)" = bookworm ] || fail "$p not from bookworm but $(col $p 3)"
done
case $(col xen-hypervisor-4.17-amd64 3) in bookworm*) ;; *) fail "hypervisor not from bookworm";; esac
[ -z "$(col xen-utils-4.17 1)" ] || fail "both toolstacks"
# Without the pin a lower-priority repository gives nothing that bookworm has.
sed -i '/^Pin=/d; s/xen-utils-4.20/xen-utils-4.17/' "$T/trixie.ini"
"$MKDOM0" resolve "$T/trixie.ini" --cache "$C" >"$T/out" 2>"$T/err" || { cat "$T/err"; fail "trixie unpinned"; }
! awk '$3 == "trixie"' "$T/out" | matches . || { cat "$T/out"; fail "trixie used without a pin"; }
echo "real Debian: $n packages, pins and cache behave"
