#!/usr/bin/env bash
# Trap 2 on real packages: bookworm's Xen 4.17 hypervisor with bookworm's
# libxenctrl 4.17 is accepted; with trixie's libxenctrl 4.20 it is refused,
# naming both versions and both packages.
set -euo pipefail
drv="$MKDOM0_BUILD/tests/test_xenver"
[ -x "$drv" ] || { echo "test_xenver not built"; exit 1; }
for t in dpkg-deb apt-get; do
    command -v $t >/dev/null || { echo "skip: $t not installed"; exit 77; }
done
cache="${MKDOM0_TEST_DEBS:-${XDG_CACHE_HOME:-$HOME/.cache}/mkdom0/test-debs}"
mkdir -p "$cache"

# bookworm (the host's own apt sources)
get() {  # package -> path of its .deb in the cache
    local f
    f=$(ls "$cache"/"$1"_*.deb 2>/dev/null | head -n1 || true)
    if [ -z "$f" ]; then
        (cd "$cache" && apt-get "${@:2}" download "$1" >/dev/null 2>&1) || return 1
        f=$(ls "$cache"/"$1"_*.deb | head -n1)
    fi
    echo "$f"
}
hv=$(get xen-hypervisor-4.17-amd64) || { echo "skip: cannot download xen-hypervisor-4.17-amd64 (network?)"; exit 77; }
ts17=$(get libxenmisc4.17) || { echo "skip: cannot download libxenmisc4.17 (network?)"; exit 77; }

# trixie, through a private apt state below the cache (the machine's apt
# configuration stays untouched)
ta="$cache/apt-trixie"
mkdir -p "$ta/lists/partial" "$ta/cache/archives/partial"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" > "$ta/sources.list"
aptopt=(-o Dir::Etc::sourcelist="$ta/sources.list" -o Dir::Etc::sourceparts=/nonexistent
        -o Dir::State::lists="$ta/lists" -o Dir::Cache="$ta/cache" -o Dir::State::status=/dev/null
        -o Debug::NoLocking=1)
if ! ls "$cache"/libxenmisc4.20_*.deb >/dev/null 2>&1; then
    apt-get "${aptopt[@]}" update >/dev/null 2>&1 || { echo "skip: trixie index unreachable (network?)"; exit 77; }
fi
ts20=$(get libxenmisc4.20 "${aptopt[@]}") || { echo "skip: cannot download libxenmisc4.20 (network?)"; exit 77; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for d in "$hv" "$ts17" "$ts20"; do
    n=$(basename "$d" .deb)
    dpkg-deb -x "$d" "$tmp/$n"
done
dir() { echo "$tmp/$(basename "$1" .deb)"; }

"$drv" --tree "$(dir "$hv")" "$(dir "$ts17")" | tee "$tmp/ok"
grep -q 'hypervisor: Xen 4.17 (4.17' "$tmp/ok"
grep -q 'embedded Kconfig' "$tmp/ok"
grep -q 'toolstack: libxenctrl 4.17 .* from libxenmisc4.17' "$tmp/ok"

if "$drv" --tree "$(dir "$hv")" "$(dir "$ts20")" > "$tmp/bad"; then
    cat "$tmp/bad"; echo "4.17 hypervisor with libxenctrl 4.20 accepted"; exit 1
fi
cat "$tmp/bad"
grep -q 'error: toolstack/hypervisor mismatch' "$tmp/bad"
grep -q 'xen-hypervisor-4.17-amd64 ships Xen 4.17' "$tmp/bad"
grep -q 'libxenctrl 4.20 comes from libxenmisc4.20' "$tmp/bad"
grep -q 'trap 2' "$tmp/bad"
echo "ok"
