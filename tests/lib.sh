# Shared helpers for integration tests (sourced).
fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "$*" >&2; exit 77; }

# The download cache the tests share, so the suite downloads each .deb once.
cache_dir() { echo "${MKDOM0_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mkdom0}"; }
# Default: the user's cache (verified and locked, so sharing it is safe; a
# warm one lets the suite build offline).

need_network() {
    curl -fsS -m 20 -o /dev/null http://deb.debian.org/debian/dists/bookworm/InRelease \
        || skip "Debian's repositories are not reachable"
}

# mkdom0 build ARGS...; a failure is a skip when the repositories are out of
# reach (a warm cache builds offline; a cold one cannot), else a test failure.
build_or_skip() {
    local log; log=$(mktemp)
    if "$MKDOM0" build "$@" > "$log" 2>&1; then cat "$log"; rm -f "$log"; return 0; fi
    cat "$log" >&2; rm -f "$log"
    curl -fsS -m 20 -o /dev/null http://deb.debian.org/debian/dists/bookworm/InRelease \
        || skip "Debian's repositories are not reachable and the cache cannot build offline"
    fail "mkdom0 build $* failed"
}

# Build the default image once per test run into $MKDOM0_BUILD/test-image
# and print its directory.  Keys live beside it so every test logs in with them.
default_image() {
    local dir="$MKDOM0_BUILD/test-image"
    if [ ! -e "$dir/.complete" ]; then
        build_or_skip --keys "$MKDOM0_BUILD/test-keys" -o "$dir" >&2
        touch "$dir/.complete"
    fi
    echo "$dir"
}
