#!/usr/bin/env bash
# Hostile .debs (built here) must be refused with an error that names the
# .deb, the member and the cause, and must leave no image behind.
# Driven through the unit-test drivers (test_deb mkdeb, test_image build)
# until `mkdom0 build` exists; set MKDOM0_IMAGE_VIA_CLI=1 to go through
# `mkdom0 build` with a spec naming the local .debs instead.
set -euo pipefail
B=${MKDOM0_BUILD:?}
MKDEB="$B/tests/test_deb mkdeb"
[ -x "$B/tests/test_deb" ] && [ -x "$B/tests/test_image" ] || { echo "unit drivers not built"; exit 77; }
W=$(mktemp -d); trap 'rm -rf "$W"' EXIT
cd "$W"

# build_image OUT DEB... -> runs the builder, stderr in $W/err
build_image() {
    local out=$1; shift
    if [ -n "${MKDOM0_IMAGE_VIA_CLI:-}" ]; then
        # placeholder spec: the integrator adapts these lines to the spec format
        { echo "[Image]"; echo "Output=$out"; echo "[Packages]"; for d in "$@"; do echo "Deb=$d"; done; } > spec.ini
        "$MKDOM0" build spec.ini 2>err
    else
        "$B/tests/test_image" build "$out" gzip "$@" 2>err
    fi
}

fails=0
refused() {  # name, needle..., -- deb...
    local name=$1; shift
    local needles=()
    while [ "$1" != -- ]; do needles+=("$1"); shift; done; shift
    rm -f out.cpio.gz
    if build_image "$W/out.cpio.gz" "$@" >/dev/null; then
        echo "FAIL $name: accepted"; fails=$((fails + 1)); return
    fi
    local msg; msg=$(cat err)
    for n in "${needles[@]}"; do
        if ! grep -qF -- "$n" err; then
            echo "FAIL $name: error does not mention '$n': $msg"; fails=$((fails + 1)); return
        fi
    done
    if ls | grep -q 'out.cpio.gz'; then
        echo "FAIL $name: left an output file behind"; fails=$((fails + 1)); return
    fi
    echo "ok   $name: $msg"
}

$MKDEB trav.deb evil-trav xz 'd ./etc/ 0755' 'f ./../../etc/x 0644 pwned'
refused traversal trav.deb ./../../etc/x '..' -- trav.deb

$MKDEB symdir.deb evil-symdir xz 'l ./etc2 /etc' 'f ./etc2/passwd 0644 pwned'
refused symlink-dir symdir.deb ./etc2/passwd symlink -- symdir.deb

$MKDEB symup.deb evil-symup gz 'l ./up ../../..' 'f ./up/etc/shadow 0644 pwned'
refused symlink-up symup.deb ./up/etc/shadow symlink -- symup.deb

# the escape split over two packages: the symlink from one, the write from the other
$MKDEB half1.deb half-one xz 'l ./opt /etc'
$MKDEB half2.deb half-two xz 'f ./opt/passwd 0644 pwned'
refused symlink-across half2.deb half-one ./opt/passwd -- half1.deb half2.deb

$MKDEB dup1.deb pkg-alpha xz 'f ./usr/bin/tool 0755 AAA'
$MKDEB dup2.deb pkg-beta zst 'f ./usr/bin/tool 0755 BBB'
refused duplicate pkg-alpha pkg-beta /usr/bin/tool -- dup1.deb dup2.deb

head -c 60000 /dev/urandom | base64 -w0 > big.txt
$MKDEB full.deb pkg-cut xz "f ./usr/lib/big 0644 $(cat big.txt)" 'f ./usr/lib/after 0644 x'
head -c $(( $(stat -c %s full.deb) * 2 / 3 )) full.deb > cut.deb
refused truncated cut.deb data.tar -- cut.deb
grep -qi 'truncat' err || { echo "FAIL truncated: no 'truncated' in: $(cat err)"; fails=$((fails + 1)); }

printf 'not an archive\n' > junk.deb
refused not-a-deb junk.deb -- junk.deb

# a previous image survives a failed build
echo previous > out.cpio.gz
build_image "$W/out.cpio.gz" dup1.deb dup2.deb >/dev/null && { echo "FAIL: duplicate accepted"; fails=$((fails + 1)); }
[ "$(cat out.cpio.gz)" = previous ] || { echo "FAIL: previous output clobbered"; fails=$((fails + 1)); }

[ $fails = 0 ]
