# Shared helpers for integration tests (sourced).
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "$*"; exit 77; }

# The download cache the tests share, so the suite downloads each .deb once.
cache_dir() { echo "${MKDOM0_CACHE:-$MKDOM0_BUILD/test-cache}"; }
export MKDOM0_CACHE="${MKDOM0_CACHE:-$MKDOM0_BUILD/test-cache}"

need_network() {
    curl -fsS -m 20 -o /dev/null http://deb.debian.org/debian/dists/bookworm/InRelease \
        || skip "Debian's repositories are not reachable"
}

# Build the default image once per test run into $MKDOM0_BUILD/test-image
# and print its directory.  Keys live beside it so every test logs in with them.
default_image() {
    local dir="$MKDOM0_BUILD/test-image"
    if [ ! -e "$dir/.complete" ]; then
        "$MKDOM0" build --keys "$MKDOM0_BUILD/test-keys" -o "$dir" >&2 || return 1
        touch "$dir/.complete"
    fi
    echo "$dir"
}
