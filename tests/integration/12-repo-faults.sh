#!/usr/bin/env bash
# Network faults while downloading (issue 9): a repository served over HTTP
# by a local server (tests/http-faults.py) that cuts the connection in the
# middle of a .deb (FIN or RST), serves half of it as if whole, or changes a
# byte, as a flaky mirror or a broken proxy does.  `mkdom0 build` must retry
# a transient loss a bounded number of times (3 attempts), then fail with one
# error that names the URL; a file that did not arrive whole is never left in
# the cache (under its name or as a partial), the output is not touched, and
# the next build against the healthy server succeeds.  A mirror that stalls
# (answers nothing, or stops after the headers) is given up on by the stall
# timeout in the same way.
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
. "$MKDOM0_SRC/tests/lib-repo.sh"
need gpg gpgv dpkg-deb xz python3 bsdtar gcc

W=$(mktemp -d /tmp/mkdom0-faults.XXXXXX)
srv=
trap '[ -n "$srv" ] && kill $srv 2>/dev/null; kill_keys; rm -rf "$W"' EXIT
cd "$W"
make_key "$W/key"

# ---- stand-ins for a dom0 (stub_dom0_debs) and a package with 2 MB of
# incompressible content, so that a cut falls inside its data ----
stub_dom0_debs src debs
mkdir -p src/payload/usr/share/payload
head -c 2000000 /dev/urandom >src/payload/usr/share/payload/blob
stub_deb src payload debs
KR=$(make_repo "$W/repo" debs/*.deb)
PAYLOAD=debs/payload_1.0_amd64.deb
# its name in the cache: apt's with the SHA-256 of the signed index
PAYLOAD_C=payload_1.0_amd64.$(sha256sum $PAYLOAD | cut -d' ' -f1).deb

# ---- the server ----
: >faults
python3 "$MKDOM0_SRC/tests/http-faults.py" "$W/repo" port faults requests 2>server.err & srv=$!
for _ in $(seq 100); do [ -s port ] && break; sleep 0.1; done
[ -s port ] || { cat server.err; fail "the fault server did not start"; }
URL=http://127.0.0.1:$(cat port)
DEB_URL=$URL/pool/main/payload_1.0_amd64.deb
cat >spec.ini <<EOF
[Repository test]
URL=$URL
Suite=test
Components=main
Keyring=$KR

[Packages]
Include=stub-xen stub-kernel stub-busybox payload

[Xen]
Dom0Mem=1024M
EOF

CACHE=$W/cache
IN_FULL=() # a command prefix for what must see the disk-full case's tmpfs (10.)
fails=0
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
# fault SUFFIX MODE COUNT: the server's next COUNT answers for SUFFIX
fault() { echo "$1 $2 $3" >faults; : >requests; }
asked() { grep -c "^/pool/main/payload_1.0_amd64.deb " requests || true; }
build() { # NAME: build into $W/out-NAME; exit status in $rc
    rc=0
    "${IN_FULL[@]}" timeout 300 "$MKDOM0" build --cache "$CACHE" --keys "$W/keys" -o "$W/out-$1" "${SPEC:-spec.ini}" >"$1.out" 2>"$1.err" || rc=$?
}
# Nothing unverified in the cache: no payload under its name, no partial file.
cache_clean() { # NAME
    if "${IN_FULL[@]}" test -e "$CACHE/debs/$PAYLOAD_C"; then bad "$1: the payload is in the cache"; return 1; fi
    local left; left=$("${IN_FULL[@]}" find "$CACHE" -name '.partial.*' -o -name '*.tmp*' | head -n3)
    if [ -n "$left" ]; then bad "$1: partial files in the cache: $left"; return 1; fi
}
# failed NAME ATTEMPTS NEEDLE...: the build failed with one error line that
# holds every NEEDLE, after ATTEMPTS requests for the payload; no output.
failed() {
    local name=$1 attempts=$2 n; shift 2
    build "$name"
    local line; line=$(grep '^mkdom0 build:' "$name.err" || true)
    [ $rc = 1 ] || { bad "$name: exit $rc, not 1: $(tail -n3 "$name.err")"; return; }
    [ "$(grep -c '^mkdom0 build:' "$name.err")" = 1 ] || { bad "$name: not one error line:"; cat "$name.err"; return; }
    for n in "$@"; do
        grep -qF -- "$n" <<<"$line" || { bad "$name: error does not mention '$n': $line"; return; }
    done
    [ "$(asked)" = "$attempts" ] || { bad "$name: $(asked) requests for the payload, expected $attempts"; cat requests; return; }
    [ "$(grep -c 'retrying' "$name.err")" = $((attempts - 1)) ] ||
        { bad "$name: not $((attempts - 1)) retries announced:"; cat "$name.err"; return; }
    [ ! -e "$W/out-$name" ] || { bad "$name: an output appeared"; return; }
    cache_clean "$name" || return
    echo "ok   $name ($attempts requests): $line"
}

# 1. the connection closed (FIN) half-way through the .deb, every time:
#    three attempts, then the URL and curl's reason
fault payload_1.0_amd64.deb cut -1
failed cut-always 3 "mkdom0 build: $DEB_URL: download failed: " "bytes remaining"
# 2. the same with the connection reset (RST)
fault payload_1.0_amd64.deb reset -1
failed reset-always 3 "mkdom0 build: $DEB_URL: download failed: "
# 3. half the file answered as if whole (a clean end): not retried, the
#    size is checked against the signed index
fault payload_1.0_amd64.deb short -1
failed short-answer 1 "mkdom0 build: $DEB_URL: package payload: size mismatch: got 1" \
    "index says $(stat -c %s $PAYLOAD); file deleted"
# 4. one byte changed in transit: the SHA-256 of the signed index refuses it
fault payload_1.0_amd64.deb corrupt -1
failed corrupt 1 "mkdom0 build: $DEB_URL: package payload: SHA256 mismatch: got " \
    "index says $(sha256sum $PAYLOAD | cut -d' ' -f1); file deleted"
# 5. the connection lost once, then back: the retry completes the build
fault payload_1.0_amd64.deb cut 1
build cut-once
if [ $rc != 0 ]; then bad "cut-once: the retry did not save the build: $(tail -n3 cut-once.err)"
elif [ "$(asked)" != 2 ]; then bad "cut-once: $(asked) requests, expected 2"
elif ! grep -q "$DEB_URL: download failed: .*(retrying)" cut-once.err; then bad "cut-once: the retry was not announced"
elif ! cmp -s "$CACHE/debs/$PAYLOAD_C" $PAYLOAD; then bad "cut-once: the cached .deb is not the repository's"
else echo "ok   cut-once: retried once and built"; fi
rm -rf "$W/out-cut-once" "$CACHE/debs/$PAYLOAD_C"
# 6. a partial file a killed run left, and a cut copy under the final name
#    (from some other tool): neither is trusted
head -c 1000000 $PAYLOAD >"$CACHE/debs/.partial.payload_1.0_amd64.deb.99999"
head -c 1000000 $PAYLOAD >"$CACHE/debs/$PAYLOAD_C"
head -c 1000000 $PAYLOAD >"$CACHE/debs/payload_1.0_amd64.deb" # apt's name, an older mkdom0's
fault payload_1.0_amd64.deb ok -1
build healthy
if [ $rc != 0 ]; then bad "healthy: the build failed: $(tail -n3 healthy.err)"
elif [ "$(asked)" != 1 ]; then bad "healthy: $(asked) requests for the payload, expected 1 (the cut copy re-fetched)"
elif ! grep -qF "$PAYLOAD_C: cached copy refused (1000000 bytes, the index says" healthy.err; then
    bad "healthy: the cut copy in the cache was not named"
elif [ -e "$CACHE/debs/.partial.payload_1.0_amd64.deb.99999" ]; then bad "healthy: the old partial file is still there"
elif ! cmp -s "$CACHE/debs/payload_1.0_amd64.deb" <(head -c 1000000 $PAYLOAD); then bad "healthy: the cut copy under apt's name was touched"
elif ! cmp -s "$CACHE/debs/$PAYLOAD_C" $PAYLOAD; then bad "healthy: the cached .deb is not the repository's"
elif ! bsdtar -xOf "$W/out-healthy/rootfs.cpio.gz" usr/share/payload/blob | cmp -s - src/payload/usr/share/payload/blob; then
    bad "healthy: the image does not hold the payload whole"
else echo "ok   healthy server: the cut copy re-fetched, the partial removed, the image holds the payload"; fi
# 6b. the unpacked copy of the payload in the cache damaged (a byte of the
#     zstd frame changed: a disk error, trial 9g case 1), then one stored
#     without a content checksum (by hand, or an older mkdom0): the first is
#     found, removed and the package unpacked again from its verified .deb,
#     the second never read; the image is the healthy one, byte for byte
z=$(ls "$CACHE"/unpacked/"$(sha256sum $PAYLOAD | cut -d' ' -f1)".data.tar*.zst)
n=$(stat -c %s "$z")
# flip every bit of the byte: writing a fixed value left the file as it
# was whenever the random blob had put that value there (1 run in 256)
b=$(od -An -tu1 -j $((n / 2)) -N1 "$z" | tr -d ' ')
printf "\\$(printf %o $((b ^ 255)))" | dd of="$z" bs=1 seek=$((n / 2)) conv=notrunc status=none
build damaged
if [ $rc != 0 ]; then bad "damaged: the build failed: $(tail -n3 damaged.err)"
elif ! grep -qF "$z: the unpacked copy of $CACHE/debs/$PAYLOAD_C (package payload) is damaged, and was removed" damaged.err; then
    bad "damaged: the damaged copy was not named: $(cat damaged.err)"
elif ! grep -qF "unpacking again, that package from its verified .deb" damaged.err; then bad "damaged: the new start was not said"
elif ! cmp -s "$W/out-healthy/rootfs.cpio.gz" "$W/out-damaged/rootfs.cpio.gz"; then bad "damaged: the rootfs differs from the healthy build's"
elif ! zstd -lv "$z" 2>/dev/null | matches "Check: XXH64"; then bad "damaged: the copy stored again has no checksum"
else echo "ok   damaged unpacked copy: removed, unpacked again from the .deb, the same rootfs"; fi
zstd -qdc "$z" | zstd -q --no-check -o "$z.new" && mv "$z.new" "$z"
build nocheck
if [ $rc != 0 ]; then bad "nocheck: the build failed: $(tail -n3 nocheck.err)"
elif ! cmp -s "$W/out-healthy/rootfs.cpio.gz" "$W/out-nocheck/rootfs.cpio.gz"; then bad "nocheck: the rootfs differs from the healthy build's"
elif ! zstd -lv "$z" 2>/dev/null | matches "Check: XXH64"; then bad "nocheck: the copy without a checksum was kept"
else echo "ok   unpacked copy without a checksum: not read, stored again with one"; fi
# 6c. a killed store's temporary in unpacked/ goes with the next build
touch "$z.mkdom0-Kill3d"
build leftover
if [ $rc != 0 ] || [ -e "$z.mkdom0-Kill3d" ]; then bad "leftover: the killed store's temporary is still there (exit $rc)"
else echo "ok   a killed store's temporary removed"; fi
rm -rf "$W/out-damaged" "$W/out-nocheck" "$W/out-leftover"
# 7. the index cut on every try, in each form InRelease lists (.xz, then
#    plain), on a fresh cache: the build fails naming the index's URL (no
#    verified copy to fall back on), after at most 3 tries of the host
printf '%s\n' 'binary-amd64/Packages.xz cut -1' 'binary-amd64/Packages cut -1' >faults; : >requests
CACHE=$W/cache2
build index-cut
line=$(grep '^mkdom0 build:' index-cut.err || true)
idx=$(grep -c '/binary-amd64/Packages' requests || true)
if [ $rc != 1 ]; then bad "index-cut: exit $rc: $(tail -n3 index-cut.err)"
elif ! grep -qF "mkdom0 build: spec.ini: repository test: $URL/dists/test/main/binary-amd64/Packages: download failed: " <<<"$line"; then bad "index-cut: error does not name the index: $line"
elif [ "$idx" -gt 4 ]; then bad "index-cut: $idx requests for the index (3 tries, then the host counts as down)"; cat requests
elif [ -n "$(ls -A "$CACHE/indexes" 2>/dev/null | grep -v '_InRelease$')" ]; then bad "index-cut: an index was kept: $(ls "$CACHE/indexes")"
else echo "ok   index-cut ($idx requests): $line"; fi

# 8. a stalled mirror: it accepts the connection and never answers, or
#    sends the headers and the first bytes and then nothing.  The fetcher's
#    stall timeout (MKDOM0_STALL_TIMEOUT, 60 s by default; 2 s here) gives up
#    on each of the 3 tries: one error naming the URL, nothing partial in the
#    cache, and all of it in bounded time (3 x 2 s, and 2 + 4 s of backoff)
CACHE=$W/cache
rm -f "$CACHE/debs/$PAYLOAD_C"
export MKDOM0_STALL_TIMEOUT=2
for mode in stall stall-body; do
    fault payload_1.0_amd64.deb $mode -1
    t0=$SECONDS
    failed $mode 3 "mkdom0 build: $DEB_URL: download failed: " "Operation too slow"
    [ $((SECONDS - t0)) -le 40 ] || bad "$mode: took $((SECONDS - t0)) s (stall timeout 2 s, 3 tries)"
done
unset MKDOM0_STALL_TIMEOUT
# A bad value of one of mkdom0's numeric variables was taken as the default
# without a word (trial 9e case 8), even on a build that downloads: now
# refused before anything runs, naming the variable, its value and range.
for ev in MKDOM0_STALL_TIMEOUT=abc MKDOM0_STALL_TIMEOUT=0 MKDOM0_STALL_TIMEOUT=-1 \
          MKDOM0_STALL_TIMEOUT=99999 MKDOM0_THREADS=x MKDOM0_PROGRESS=yes; do
    : >requests; rc=0
    env "$ev" "$MKDOM0" build --cache "$W/cache-env" --keys "$W/keys" -o "$W/out-env" spec.ini \
        >env.out 2>env.err || rc=$?
    if [ $rc != 2 ] || ! grep -qx "mkdom0: ${ev//[/\\[}: expected a whole number from .*" env.err; then
        bad "$ev: exit $rc: $(cat env.err)"
    elif [ -s requests ] || [ -e "$W/cache-env" ] || [ -e "$W/out-env" ]; then bad "$ev: refused only after work was done"
    else echo "ok   $ev: $(cat env.err)"; fi
done

# 9. credentials in URL= (trial 9f case 6): user:password went into the
#    manifest, the cache's file names and every message.  libcurl still
#    sends them (the server logs what arrived), but every message, progress
#    line, output file and cache name writes the URL as "http://***@...".
SHOWN="http://***@127.0.0.1:$(cat port)"
sed "s|^URL=.*|URL=http://user:s3cret@127.0.0.1:$(cat port)|" spec.ini >spec-cred.ini
SPEC=spec-cred.ini CACHE=$W/cache-cred
no_secret() { # NAME FILE...: none of FILE holds the password, no cache name does
    local n=$1 hit; shift
    hit=$( { grep -rl s3cret "$@" 2>/dev/null; find "$CACHE" 2>/dev/null | grep s3cret; } | head -n3) || true
    [ -z "$hit" ] || { bad "$n: the password is in: $hit"; return 1; }
}
fault payload_1.0_amd64.deb cut -1
MKDOM0_PROGRESS=1 build cred-cut
line=$(grep '^mkdom0 build:' cred-cut.err || true)
if [ $rc != 1 ]; then bad "cred-cut: exit $rc: $(tail -n3 cred-cut.err)"
elif ! grep -qF "mkdom0 build: $SHOWN/pool/main/payload_1.0_amd64.deb: download failed: " <<<"$line"; then
    bad "cred-cut: the error does not name the URL without its password: $line"
elif [ "$(grep -cF "$SHOWN/pool/main/payload_1.0_amd64.deb: download failed: " cred-cut.err)" != 3 ]; then
    bad "cred-cut: not 2 retries and the error, each naming the URL as $SHOWN:"; cat cred-cut.err
elif no_secret cred-cut cred-cut.out cred-cut.err; then echo "ok   cred-cut: $line"; fi
fault payload_1.0_amd64.deb ok -1
MKDOM0_PROGRESS=1 build cred
if [ $rc != 0 ]; then bad "cred: the build failed: $(tail -n3 cred.err)"
elif ! grep -q "^/pool/main/payload_1.0_amd64.deb ok auth=user:s3cret$" requests; then
    bad "cred: libcurl did not send the credentials:"; cat requests
elif ! grep -qxF "repository test $SHOWN test" "$W/out-cred/manifest"; then
    bad "cred: the manifest does not name the URL as $SHOWN: $(grep ^repository "$W/out-cred/manifest")"
elif ! grep -qF "fetching $SHOWN/dists/test/InRelease" cred.err; then bad "cred: no progress naming the URL:"; cat cred.err
elif no_secret cred cred.out cred.err "$W/out-cred"; then
    echo "ok   cred: sent to the server; manifest, messages and cache names say $SHOWN"; fi
SPEC= CACHE=$W/cache
rm -rf "$W/out-cred" "$W/out-cred-cut"

# 10. the cache's file system full (trial 9c case 13): curl's own words were
#    "Failure writing output to destination", with no file and no reason.
#    A healthy server; the cache on a 1 MiB tmpfs holds the indexes and the
#    stand-ins, not the 2 MB payload: one try (a full disk is not
#    transient), the file and ENOSPC named, nothing partial left.
: >faults
mkdir -p "$W/full"
# The tmpfs needs root, or (not root) a user and mount namespace of our
# own (unshare --user --map-root-user --mount), held open by a process
# whose namespaces the build and the checks of the cache enter; without
# either the case cannot be proven, and that is a failure, not a note.
IN_FULL=()
if [ "$(id -u)" = 0 ]; then
    mount -t tmpfs -o size=1m tmpfs "$W/full" ||
        fail "disk-full: cannot mount a tmpfs on $W/full although root"
    trap 'umount "$W/full" 2>/dev/null || true; [ -n "$srv" ] && kill $srv 2>/dev/null; kill_keys; rm -rf "$W"' EXIT
else
    need unshare nsenter
    unshare --user --map-root-user --mount sh -c \
        'mount -t tmpfs -o size=1m tmpfs "$0" && : >"$1" && exec sleep 600' "$W/full" "$W/ns-ready" \
        2>ns.err & holder=$!
    trap '[ -n "$srv" ] && kill $srv 2>/dev/null; kill $holder 2>/dev/null; kill_keys; rm -rf "$W"' EXIT
    for _ in $(seq 100); do [ -e "$W/ns-ready" ] || ! kill -0 $holder 2>/dev/null || sleep 0.1; done
    [ -e "$W/ns-ready" ] || fail "disk-full needs a 1 MiB tmpfs: not root, and no user namespace" \
        "to mount one in (unshare --user --map-root-user --mount: $(cat ns.err)); run as root or" \
        "allow unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1)"
    IN_FULL=(nsenter --preserve-credentials -U -m -t "$holder")
fi
CACHE=$W/full/cache
"${IN_FULL[@]}" sh -c 'test "$(stat -f -c %T "$0")" = tmpfs' "$W/full" ||
    fail "disk-full: $W/full is not the tmpfs"
: >requests
failed disk-full 1 "mkdom0 build: $DEB_URL: download failed: cannot write $CACHE/debs/" \
    "$PAYLOAD_C" ": No space left on device"
if [ ${#IN_FULL[@]} = 0 ]; then umount "$W/full"; else kill $holder; wait $holder 2>/dev/null || true; fi
IN_FULL=()

kill $srv 2>/dev/null; wait $srv 2>/dev/null || true; srv=
[ $fails = 0 ] || fail "$fails download fault case(s)"
echo "all download fault cases passed"
