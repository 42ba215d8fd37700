#!/usr/bin/env bash
# The package layer against a file:// repository this script builds and signs
# itself: good repo, tampered index, bad signatures, wrong .deb, missing and
# unsatisfiable packages, a dependency loop, a malformed index, excludes,
# the cache on a second run, and all of it as an unprivileged user.
set -euo pipefail
MKDOM0=${MKDOM0:-$(cd "$(dirname "$0")/../.." && pwd)/build/mkdom0}
. "$(cd "$(dirname "$0")/.." && pwd)/lib.sh"
. "$(cd "$(dirname "$0")/.." && pwd)/lib-repo.sh"
need gpg gpgv dpkg-deb xz

T=$(mktemp -d /tmp/mkdom0-repo-test.XXXXXX)
trap 'kill_keys; rm -rf "$T"' EXIT
chmod 755 "$T"

# ---- a throwaway signing key ($T/keyring.gpg), and a second one nobody trusts ----
make_key "$T/evilkey" "mkdom0 evil <evil@invalid>"
make_key "$T" "mkdom0 test <good@invalid>"

# ---- tiny .debs ----
mkdeb() { # name version [Depends] [extra control lines]
    local d=$T/src/$1_$2
    mkdir -p "$d/DEBIAN" "$d/usr/share/mkdom0-test"
    echo "$1 $2" >"$d/usr/share/mkdom0-test/$1"
    {
        echo "Package: $1"; echo "Version: $2"; echo "Architecture: amd64"
        echo "Maintainer: mkdom0 tests <t@invalid>"
        [ -n "${3:-}" ] && echo "Depends: $3"
        [ -n "${4:-}" ] && printf '%s\n' "$4"
        echo "Description: mkdom0 test package $1"
    } >"$d/DEBIAN/control"
    mkdir -p "$T/pool"
    dpkg-deb --root-owner-group -Zgzip --build "$d" "$T/pool/$1_$2_amd64.deb" >/dev/null
}
mkdeb top 1.0 "liba (>= 1.0), virt, excl-me | not-there, loop1, python3"
mkdeb liba 1.0
mkdeb liba 1.1
mkdeb provider 1 "" "Provides: virt"
mkdeb loop1 1 "loop2"
mkdeb loop2 1 "loop1 (>= 1)"
mkdeb excl-me 1
mkdeb needs-new 1 "liba (>= 2)"
mkdeb chain 1 "needs-new"

# ---- a repository over $T/pool: Packages, Packages.xz, Release, InRelease ----
# (tests/lib-repo.sh; signed with the good key, $T/keyring.gpg)
spec() { # DIR REPO INCLUDE... -> spec file path
    local f=$1/spec.ini repo=$2; shift 2
    cat >"$f" <<EOF
[Repository local]
URL=file://$repo
Suite=test
Components=main
Keyring=$T/keyring.gpg

[Packages]
Include=$*
Exclude=python3 excl-me

[Xen]
Dom0Mem=1024M
EOF
    echo "$f"
}
# No partial or unverified file may be left in a cache.
clean_cache() { # CACHE
    if find "$1" -name '.partial.*' -o -name '*.tmp.*' | matches .; then
        find "$1" -ls; fail "temporary files left in $1"
    fi
}
expect_fail() { # NAME NEEDLE CMD... : must fail, stderr must mention NEEDLE
    local name=$1 needle=$2; shift 2
    if "$@" >"$T/out" 2>"$T/err"; then cat "$T/out"; fail "$name: succeeded"; fi
    grep -qF -- "$needle" "$T/err" || { cat "$T/err"; fail "$name: error does not mention '$needle'"; }
    ! grep -q 'Sanitizer' "$T/err" || { cat "$T/err"; fail "$name: sanitizer report on the error path"; }
    echo "ok: $name: $(head -c 300 "$T/err")"
}

make_repo "$T/good" "$T"/pool/*.deb >/dev/null
mkdir -p "$T/w"
S=$(spec "$T/w" "$T/good" top)

# ---- 1. good repository: resolve, download, lock ----
C=$T/cache1
"$MKDOM0" resolve "$S" --cache "$C" --download --lock "$T/w/mkdom0.lock" >"$T/out" 2>"$T/err" ||
    { cat "$T/out" "$T/err"; fail "good repository"; }
cat "$T/out"
grep -q '^top  *1\.0  *local .*requested$' "$T/out" || fail "top not requested"
grep -q '^liba  *1\.1 ' "$T/out" || fail "liba 1.1 (highest) not chosen"
grep -q '^provider .*dependency of top (provides virt)$' "$T/out" || fail "virtual virt not via provider"
grep -q '^loop1 ' "$T/out" && grep -q '^loop2 ' "$T/out" || fail "loop not resolved"
grep -q '^skipped python3 (excluded), wanted by top$' "$T/out" || fail "python3 skip not reported"
# --lock replaces a regular file only: a symlink (or device) there stays.
echo keep > "$T/w/victim"; ln -s "$T/w/victim" "$T/w/link.lock"
"$MKDOM0" resolve "$S" --cache "$C" --lock "$T/w/link.lock" >/dev/null 2>"$T/err.lock" &&
    fail "--lock through a symlink succeeded"
grep -q "link.lock: exists and is not a regular file (a symlink): not replaced" "$T/err.lock" ||
    { cat "$T/err.lock"; fail "--lock onto a symlink: no clear error"; }
[ -L "$T/w/link.lock" ] && [ "$(cat "$T/w/victim")" = keep ] || fail "--lock changed the symlink or its target"
"$MKDOM0" resolve "$S" --cache "$C" --lock /dev/null >/dev/null 2>"$T/err.lock" && fail "--lock /dev/null succeeded"
[ -c /dev/null ] || fail "--lock /dev/null replaced the device"
# ... and every refusal comes before any work (trial 9k: after the fetch),
# by the rule of every file mkdom0 writes: a FIFO, a directory, a name
# that is no file name, a directory others may write (not sticky)
cp "$T/out" "$T/out.first"; cp "$T/err" "$T/err.first" # expect_fail writes both; the checks below read the first run's
mkfifo "$T/w/fifo.lock"; mkdir -p "$T/w/dir.lock" "$T/gw"; chmod 0775 "$T/gw"
expect_fail "--lock onto a FIFO" "--lock: $T/w/fifo.lock: exists and is not a regular file (a device, FIFO or socket): not replaced" \
    "$MKDOM0" resolve "$S" --cache "$T/cache-lock" --lock "$T/w/fifo.lock"
expect_fail "--lock onto a directory" "$T/w/dir.lock: exists and is not a regular file (a directory)" \
    "$MKDOM0" resolve "$S" --cache "$T/cache-lock" --lock "$T/w/dir.lock"
expect_fail "--lock DIR/" "--lock: $T/w/: not a file name" \
    "$MKDOM0" resolve "$S" --cache "$T/cache-lock" --lock "$T/w/"
expect_fail "--lock in a group-writable directory" "--lock: $T/gw is writable by its group and not sticky, who could change the lock file" \
    "$MKDOM0" resolve "$S" --cache "$T/cache-lock" --lock "$T/gw/mkdom0.lock"
[ ! -e "$T/cache-lock" ] || fail "a refused --lock fetched first: $T/cache-lock was made"
[ -p "$T/w/fifo.lock" ] && [ -z "$(ls -A "$T/gw")" ] || fail "a refused --lock changed what was there"
if [ "$(id -u)" = 0 ]; then
    chown nobody "$T/w/link.lock" 2>/dev/null || true
    echo theirs >"$T/w/their.lock"; chown nobody "$T/w/their.lock"
    expect_fail "--lock onto another user's file" "$T/w/their.lock belongs to user $(id -u nobody) (nobody), not to you (root)" \
        "$MKDOM0" resolve "$S" --cache "$T/cache-lock" --lock "$T/w/their.lock"
    [ "$(cat "$T/w/their.lock")" = theirs ] || fail "another user's lock file was replaced"
    [ ! -e "$T/cache-lock" ] || fail "a refused --lock fetched first: $T/cache-lock was made"
    # a sticky directory (/tmp): only we may rename what is ours there
    mkdir -m 1777 "$T/sticky"
    "$MKDOM0" resolve "$S" --cache "$C" --lock "$T/sticky/mkdom0.lock" >/dev/null 2>"$T/err.lock" ||
        { cat "$T/err.lock"; fail "--lock into a sticky directory"; }
    [ -f "$T/sticky/mkdom0.lock" ] && [ "$(ls -A "$T/sticky")" = mkdom0.lock ] ||
        fail "--lock into a sticky directory: not one regular file: $(ls -A "$T/sticky")"
fi
mv "$T/out.first" "$T/out"; mv "$T/err.first" "$T/err"
grep -q '^skipped excl-me (excluded), wanted by top$' "$T/out" || fail "excl-me skip not reported"
grep -q '^excl-me ' "$T/out" && fail "excluded package installed"
grep -q '^5 packages' "$T/out" || fail "expected 5 packages"
grep -q 'mkdom0: debs: 5 downloaded' "$T/err" || { cat "$T/err"; fail "first run did not download 5"; }
[ "$(ls "$C/debs"/*.deb | wc -l)" = 5 ] || fail "cache does not hold 5 debs"
# each under apt's name with the SHA-256 of the signed index (trial 9f case 9)
for f in "$C"/debs/*.deb; do
    b=$(basename "$f") apt=$(basename "$f" | sed -E 's/\.[0-9a-f]{64}\.deb$/.deb/')
    [ "$b" = "${apt%.deb}.$(sha256sum "$f" | cut -d' ' -f1).deb" ] || fail "$b: not NAME_VERSION_ARCH.SHA256.deb"
    cmp -s "$f" "$T/good/pool/main/$apt" || fail "$b differs from the repository"
done
LIBA_C=liba_1.1_amd64.$(sha256sum "$T/pool/liba_1.1_amd64.deb" | cut -d' ' -f1).deb
grep -q "^package liba 1.1 amd64 local $(stat -c %s "$T/pool/liba_1.1_amd64.deb") $(sha256sum "$T/pool/liba_1.1_amd64.deb" | cut -d' ' -f1)$" \
    "$T/w/mkdom0.lock" || { cat "$T/w/mkdom0.lock"; fail "lock file lacks liba"; }
grep -q "^repository local file://$T/good test$" "$T/w/mkdom0.lock" || fail "lock file lacks the repository"
clean_cache "$C"

# ---- 2. second run: only the cache ----
"$MKDOM0" resolve "$S" --cache "$C" --download >/dev/null 2>"$T/err" || { cat "$T/err"; fail "second run"; }
grep -q 'mkdom0: debs: 0 downloaded (0 bytes), 5 cached' "$T/err" || { cat "$T/err"; fail "second run downloaded"; }
# ...even with the .debs gone from the repository
mv "$T/good/pool" "$T/good/pool.away"
"$MKDOM0" resolve "$S" --cache "$C" --download >/dev/null 2>"$T/err" || { cat "$T/err"; fail "offline debs"; }
mv "$T/good/pool.away" "$T/good/pool"
# ...and with the repository unreachable: the cached InRelease is verified
# again and the cached indexes and .debs are used.
mv "$T/good" "$T/good.away"
"$MKDOM0" resolve "$S" --cache "$C" --download >/dev/null 2>"$T/err" || { cat "$T/err"; fail "offline run"; }
grep -q 'using the InRelease verified at' "$T/err" || { cat "$T/err"; fail "offline run did not say so"; }
cached_ir=$(ls "$C"/indexes/*_InRelease)
cp "$cached_ir" "$T/ir.saved"
sed -i 's/^Codename: test$/Codename: tesT/' "$cached_ir"
expect_fail "offline, cached InRelease altered" "FAILED (bad signature)" "$MKDOM0" resolve "$S" --cache "$C"
cp "$T/ir.saved" "$cached_ir"
mv "$T/good.away" "$T/good"
# A damaged cached .deb is replaced, not used.
echo garbage >"$C/debs/$LIBA_C"
"$MKDOM0" resolve "$S" --cache "$C" --download >/dev/null 2>"$T/err" || { cat "$T/err"; fail "repair"; }
grep -q 'mkdom0: debs: 1 downloaded' "$T/err" || { cat "$T/err"; fail "damaged cache entry not re-fetched"; }
cmp -s "$C/debs/$LIBA_C" "$T/pool/liba_1.1_amd64.deb" || fail "damaged cache entry not repaired"

# ---- 3. two runs at once share the cache safely ----
C2=$T/cache-par
"$MKDOM0" resolve "$S" --cache "$C2" --download >"$T/p1" 2>&1 & p1=$!
"$MKDOM0" resolve "$S" --cache "$C2" --download >"$T/p2" 2>&1 & p2=$!
wait $p1 || { cat "$T/p1"; fail "parallel run 1"; }
wait $p2 || { cat "$T/p2"; fail "parallel run 2"; }
[ "$(ls "$C2/debs"/*.deb | wc -l)" = 5 ] || fail "parallel cache incomplete"
[ "$(cat "$T/p1" "$T/p2" | grep -o 'debs: [0-9]* downloaded' | awk '{s+=$2} END {print s}')" = 5 ] ||
    { cat "$T/p1" "$T/p2"; fail "parallel runs downloaded a .deb twice"; }
clean_cache "$C2"

# ---- 3b. another repository with other bytes under the same
# NAME_VERSION_ARCH.deb (a local rebuild, a vendor's copy of one version),
# into the same cache (trial 9f case 9: under apt's name each download
# replaced the other's copy, and a build sharing the cache then refused its
# own package as changed after its check): each keeps its own file ----
cp -a "$T/src/liba_1.1" "$T/src/liba_1.1r"
echo rebuilt >>"$T/src/liba_1.1r/usr/share/mkdom0-test/liba"
mkdir -p "$T/pool2" && cp "$T"/pool/*.deb "$T/pool2/"
dpkg-deb --root-owner-group -Zgzip --build "$T/src/liba_1.1r" "$T/pool2/liba_1.1_amd64.deb" >/dev/null
make_repo "$T/rebuild" "$T"/pool2/*.deb >/dev/null
S3b=$(mkdir -p "$T/w3b" && spec "$T/w3b" "$T/rebuild" top)
C3=$T/cache-two
"$MKDOM0" resolve "$S" --cache "$C3" --download >"$T/q1" 2>&1 & q1=$!
"$MKDOM0" resolve "$S3b" --cache "$C3" --download >"$T/q2" 2>&1 & q2=$!
wait $q1 || { cat "$T/q1"; fail "3b: the first repository's run"; }
wait $q2 || { cat "$T/q2"; fail "3b: the rebuild's run"; }
for deb in "$T/pool/liba_1.1_amd64.deb" "$T/pool2/liba_1.1_amd64.deb"; do
    cmp -s "$deb" "$C3/debs/liba_1.1_amd64.$(sha256sum "$deb" | cut -d' ' -f1).deb" ||
        { ls -l "$C3/debs"; fail "3b: the cache does not keep $deb under its own name"; }
done
clean_cache "$C3"

# ---- 4. tampered Packages.xz (InRelease unchanged) ----
cp -a "$T/good" "$T/tampered"
idx=$T/tampered/dists/test/main/binary-amd64
sed -i 's/^Version: 1.1$/Version: 9.9/' "$idx/Packages"
xz -kf "$idx/Packages"
S4=$(mkdir -p "$T/w4" && spec "$T/w4" "$T/tampered" top)
expect_fail "tampered index" "Packages.xz: does not match the signed InRelease" \
    "$MKDOM0" resolve "$S4" --cache "$T/cache4" --download
! ls -A "$T/cache4/indexes" | grep -v '_InRelease$' | matches . || { ls -la "$T/cache4/indexes"; fail "tampered index kept"; }
[ ! -e "$T/cache4/debs" ] || [ -z "$(ls "$T/cache4/debs"/*.deb 2>/dev/null)" ] || fail "debs fetched from a tampered repo"

# ---- 4b. a signed index whose Size overflows 64 bits (issue 9: strtoull
# saturated it and the index was taken): refused when the index is read,
# naming the index, its line and the package ----
cp -a "$T/good" "$T/bigsize"
idx=$T/bigsize/dists/test/main/binary-amd64
awk '/^Package: liba$/ {p=1} p && /^Size:/ {print "Size: 18446744073709551616"; p=0; next} {print}' \
    "$idx/Packages" >"$idx/Packages.new" && mv "$idx/Packages.new" "$idx/Packages"
grep -q '^Size: 18446744073709551616$' "$idx/Packages" || fail "bigsize index"
line=$(grep -n '^Size: 18446744073709551616$' "$idx/Packages" | cut -d: -f1)
xz -kf "$idx/Packages"
sign_repo "$T/bigsize" "$T"
S4b=$(mkdir -p "$T/w4b" && spec "$T/w4b" "$T/bigsize" top)
expect_fail "Size past 64 bits" "Packages.xz:$line: package liba: Size 18446744073709551616 out of range" \
    "$MKDOM0" resolve "$S4b" --cache "$T/cache4b"
# ... and in InRelease's own list of index sizes (sscanf's %llu wrapped -1)
cp -a "$T/good" "$T/negsize"
sign_repo "$T/negsize" "$T"
sed -i 's#^\( [0-9a-f]\{64\}\) *[0-9]* \(main/binary-amd64/Packages.xz\)$#\1 -1 \2#' "$T/negsize/dists/test/Release"
grep -q ' -1 main/binary-amd64/Packages.xz$' "$T/negsize/dists/test/Release" || fail "negsize Release"
gpg --homedir "$T/gnupg" --batch --yes --quiet --clearsign -o "$T/negsize/dists/test/InRelease" \
    "$T/negsize/dists/test/Release" || fail "sign negsize"
S4c=$(mkdir -p "$T/w4c" && spec "$T/w4c" "$T/negsize" top)
expect_fail "Release size -1" "SHA256 entry for main/binary-amd64/Packages.xz: size -1 is not a byte count" \
    "$MKDOM0" resolve "$S4c" --cache "$T/cache4c"

# ---- 5. signatures: other key; altered signed text; unsigned ----
cp -a "$T/good" "$T/evil"
sign_repo "$T/evil" "$T/evilkey"
S5=$(mkdir -p "$T/w5" && spec "$T/w5" "$T/evil" top)
expect_fail "signed by an untrusted key" "InRelease: signature verification against $T/keyring.gpg FAILED" \
    "$MKDOM0" resolve "$S5" --cache "$T/cache5"
cp -a "$T/good" "$T/altered"
sed -i 's/^Codename: test$/Codename: tesT/' "$T/altered/dists/test/InRelease"
S5b=$(mkdir -p "$T/w5b" && spec "$T/w5b" "$T/altered" top)
expect_fail "altered signed text" "FAILED (bad signature)" "$MKDOM0" resolve "$S5b" --cache "$T/cache5"
cp "$T/good/dists/test/Release" "$T/altered/dists/test/InRelease"
expect_fail "unsigned InRelease" "InRelease: signature verification against $T/keyring.gpg FAILED (not signed)" "$MKDOM0" resolve "$S5b" --cache "$T/cache5"
[ -z "$(ls -A "$T/cache5/indexes" 2>/dev/null)" ] || fail "index kept from an unverified repository"
# A key that expired (made and used in 2020, valid one day): apt refuses
# its signatures, gpgv still exits 0 with VALIDSIG, so the exit code is not
# enough.  gpg's own faked clock keeps the host's untouched.
mkdir -p -m 700 "$T/expkey/gnupg"
LIB_REPO_KEYS+=("$T/expkey")
gpg --homedir "$T/expkey/gnupg" --batch --quiet --passphrase '' --faked-system-time 20200101T000000 \
    --quick-gen-key 'expired <expired@invalid>' ed25519 sign 1d || fail "expired key"
gpg --homedir "$T/expkey/gnupg" --batch --export >"$T/expkey/keyring.gpg" || fail "export expired key"
cp -a "$T/good" "$T/expired"
gpg --homedir "$T/expkey/gnupg" --batch --yes --quiet --faked-system-time 20200101T120000 --clearsign \
    -o "$T/expired/dists/test/InRelease" "$T/expired/dists/test/Release" || fail "sign with the expired key"
S5c=$(mkdir -p "$T/w5c" && spec "$T/w5c" "$T/expired" top)
sed -i "s#^Keyring=.*#Keyring=$T/expkey/keyring.gpg#" "$S5c"
grep -q "^Keyring=$T/expkey/keyring.gpg$" "$S5c" || fail "spec for the expired key"
expect_fail "signed by an expired key" "FAILED (signed by an expired or revoked key)" \
    "$MKDOM0" resolve "$S5c" --cache "$T/cache5c"

# ---- 6. a .deb that does not match its index entry ----
cp -a "$T/good" "$T/baddeb"
f=$T/baddeb/pool/main/liba_1.1_amd64.deb
cp "$T/pool/liba_1.0_amd64.deb" "$f"
truncate -s "$(stat -c %s "$T/pool/liba_1.1_amd64.deb")" "$f"   # same size, other bytes
S6=$(mkdir -p "$T/w6" && spec "$T/w6" "$T/baddeb" top)
expect_fail "wrong .deb hash" "liba_1.1_amd64.deb: package liba: SHA256 mismatch" \
    "$MKDOM0" resolve "$S6" --cache "$T/cache6" --download
! ls "$T/cache6/debs" | matches '^liba_1.1_amd64' || fail "bad .deb kept in the cache"
clean_cache "$T/cache6"
rm "$f"
expect_fail "missing .deb" "liba_1.1_amd64.deb: download failed" \
    "$MKDOM0" resolve "$S6" --cache "$T/cache6" --download
clean_cache "$T/cache6"

# ---- 7. resolution errors ----
S7=$(mkdir -p "$T/w7" && spec "$T/w7" "$T/good" top no-such-package)
expect_fail "missing package" "no-such-package: no such package in any repository" \
    "$MKDOM0" resolve "$S7" --cache "$C"
S7=$(spec "$T/w7" "$T/good" chain)
expect_fail "unsatisfiable version" "chain -> needs-new -> liba (>= 2): no version satisfies (available: 1.0 in local, 1.1 in local)" \
    "$MKDOM0" resolve "$S7" --cache "$C"
S7=$(spec "$T/w7" "$T/good" top excl-me)
expect_fail "requested and excluded" "excl-me is both requested and excluded" "$MKDOM0" resolve "$S7" --cache "$C"

# ---- 8. malformed index line (correctly signed) ----
cp -a "$T/good" "$T/malformed"
idx=$T/malformed/dists/test/main/binary-amd64
line=$(( $(grep -n '^Package: liba$' "$idx/Packages" | head -1 | cut -d: -f1) + 1 ))
sed -i "${line}i this line is not a field" "$idx/Packages"
xz -kf "$idx/Packages"
sign_repo "$T/malformed" "$T"
S8=$(mkdir -p "$T/w8" && spec "$T/w8" "$T/malformed" top)
expect_fail "malformed index" "binary-amd64/Packages.xz:$line: malformed line" \
    "$MKDOM0" resolve "$S8" --cache "$T/cache8"

# ---- 9. no root needed: everything again as nobody ----
if [ "$(id -u)" = 0 ]; then
    need setpriv
    U=$T/nobody
    mkdir -p "$U"
    chown nobody:nogroup "$U"
    chmod -R a+rX "$T/good" "$T/w"
    env -i PATH="$PATH" HOME=/nonexistent \
        setpriv --reuid=nobody --regid=nogroup --clear-groups \
        "$MKDOM0" resolve "$S" --cache "$U/cache" --download --lock "$U/mkdom0.lock" >"$T/out" 2>"$T/err" ||
        { cat "$T/out" "$T/err"; fail "unprivileged run"; }
    grep -q 'mkdom0: debs: 5 downloaded' "$T/err" || { cat "$T/err"; fail "unprivileged run did not download"; }
    [ "$(stat -c %U "$U/cache/debs/$LIBA_C")" = nobody ] || fail "cache not owned by nobody"
    grep -q '^package top ' "$U/mkdom0.lock" || fail "unprivileged lock file"
    echo "ok: unprivileged run as nobody"
else
    echo "note: not root, the whole test already ran unprivileged"
fi
echo "all repository cases passed"
