# Shared helpers for integration tests (sourced).
#
# Exit statuses (tests/run.sh): 0 pass, 77 skip, anything else a failure.
# A test skips only when Debian's archive is really out of reach and what it
# needs is not cached; a missing tool, a missing binary, a crash or a build
# that fails for any other reason is a failure.
# The tools `make deps` installs, Debian's, before any a user's profile puts
# first: pyenv's python3 shim (first in root's PATH on the CI machines) takes
# 1.5 s a call under load against 0.2 s for /usr/bin/python3, and test 63
# calls python3 some 200 times: 5 of its 6 minutes.
export PATH=/usr/sbin:/usr/bin:/sbin:/bin${PATH:+:$PATH}
fail() { echo "FAIL: $*" >&2; exit 1; }
# `producer | matches [GREP-OPTIONS] PATTERN`: is there a matching line?  Not
# `grep -q`: it exits at the first match, the producer's next write then
# dies of SIGPIPE, and under pipefail the pipeline fails although the line
# was there (test 42's "logread shows no syslog" under load).  -c reads to
# the end.
matches() { grep -c "$@" > /dev/null; }
# Is $MKDOM0 the ASan/UBSan build (make check-asan)?  Tests scale their
# hostile inputs down there.  Read from all of ldd's output: `ldd | grep -q`
# under pipefail failed now and then (ldd killed by SIGPIPE after the match),
# so check-asan ran the plain build's sizes under ASan and timed out.
asan_build() { case $(ldd "$MKDOM0" 2>/dev/null) in *libasan*) return 0 ;; esac; return 1; }
skip() { echo "$*" >&2; exit 77; }

# memcap KB CMD...: CMD under `ulimit -v KB`, so a regression cannot take the
# machine; not under ASan, whose shadow memory reserves terabytes of address
# space (the sanitizer then watches every allocation itself).
memcap() {
    local kb=$1; shift
    if [ -n "${ASAN_OPTIONS:-}" ]; then "$@"; else ( ulimit -v "$kb"; "$@" ); fi
}

# The download cache the tests share, so the suite downloads each .deb once.
cache_dir() { echo "${MKDOM0_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/mkdom0}"; }
# Default: the user's cache (verified and locked, so sharing it is safe; a
# warm one lets the suite build offline).

# Does Debian's archive answer?  Asked explicitly each time, never inferred
# from some other failure.
ARCHIVE_PROBE=http://deb.debian.org/debian/dists/bookworm/InRelease
archive_reachable() {
    curl -fsS -m 20 -o /dev/null "$ARCHIVE_PROBE" 2>/dev/null
}
need_network() {
    archive_reachable || skip "Debian's archive is not reachable ($ARCHIVE_PROBE does not answer)"
}

# alpine_data [REL]: the real Alpine data (keys, signed indexes and .apk
# files, apk-tools' vectors; its README says what is there) that tests read
# at run time from ../shared/alpine beside the source tree (tests/run.sh
# sets MKDOM0_ALPINE_DATA to it), never copied in.
# Missing, the test fails: it has no other input, and a skip would hide that
# nothing was checked.
alpine_data() {
    local p="${MKDOM0_ALPINE_DATA:-${MKDOM0_SRC:?}/../shared/alpine}${1:+/$1}"
    [ -e "$p" ] || fail "the real Alpine test data is missing: $p (../shared/alpine beside the source tree, a worktree's main checkout or a local clone's origin${MKDOM0_ALPINE_LOOKED:+; looked at $MKDOM0_ALPINE_LOOKED}; else set MKDOM0_ALPINE_DATA)"
    echo "$p"
}

# need TOOL...: each must be installed (scripts/install-deps installs them).
need() {
    local t
    for t in "$@"; do
        command -v "$t" >/dev/null || fail "$t is not installed (make deps)"
    done
}

# need_unit NAME...: the unit-test drivers the test runs ($MKDOM0_BUILD/tests/NAME),
# built, or the test fails.
need_unit() {
    local d
    for d in "$@"; do
        [ -x "$MKDOM0_BUILD/tests/$d" ] || fail "$MKDOM0_BUILD/tests/$d is not built (make unit)"
    done
}

# skip_if_offline LOG: when a `mkdom0 build` whose output is LOG failed on a
# download and the archive does not answer, skip saying so; return
# otherwise (the caller then fails: any other failure is a regression).
skip_if_offline() {
    local line
    line=$(grep -m1 '^mkdom0 build: .*download failed' "$1") || return 0
    archive_reachable && return 0
    skip "Debian's archive is not reachable and the cache cannot serve this build offline: $line"
}

# mkdom0 build ARGS...: output on stdout; skipped only per skip_if_offline,
# any other failure (a crash, another error) fails the test.
build_or_skip() {
    local log rc=0; log=$(mktemp)
    "$MKDOM0" build "$@" > "$log" 2>&1 || rc=$?
    if [ $rc = 0 ]; then cat "$log"; rm -f "$log"; return 0; fi
    cat "$log" >&2
    [ $rc = 1 ] && skip_if_offline "$log"
    rm -f "$log"
    fail "mkdom0 build $* failed (exit $rc)"
}

# build_must_refuse LOG WHAT ARGS...: `mkdom0 build ARGS` (its output into
# LOG, then shown) must be refused: exit 1 with a "mkdom0 build:" error
# line, which is left in $msg.  Accepted, it fails "WHAT was accepted"; a
# download that failed while Debian's archive is unreachable skips
# (skip_if_offline), any other failure fails.
build_must_refuse() {
    local log=$1 what=$2 rc=0; shift 2
    "$MKDOM0" build "$@" >"$log" 2>&1 || rc=$?
    cat "$log"
    [ $rc != 0 ] || fail "$what was accepted"
    skip_if_offline "$log"
    [ $rc = 1 ] || fail "mkdom0 build exited $rc, expected 1"
    msg=$(grep '^mkdom0 build:' "$log") || fail "no 'mkdom0 build:' error line"
}

# media_setup NAME: what the tests that read boot media back start with:
# their tools, $work (a scratch directory removed at exit) and $keys in it.
media_setup() {
    need xorriso mdir mtype
    work=$(mktemp -d "/tmp/mkdom0-$1.XXXXXX")
    trap 'rm -rf "$work"' EXIT
    keys="$work/keys"
}

# check_esp DISK OUT: DISK's EFI system partition holds GRUB for UEFI and
# output OUT's grub.cfg, xen.gz, vmlinuz and rootfs.cpio.gz byte for byte.
check_esp() {
    local esp img f
    esp=$(/usr/sbin/sfdisk -d "$1" | awk -F'[=,]' '/C12A7328-F81F-11D2-BA4B-00A0C93EC93B/ {gsub(/ /,"",$2); print $2}')
    [ -n "$esp" ] || fail "$(basename "$1") has no EFI system partition"
    img="$1@@$((esp * 512))"
    mdir -i "$img" ::/EFI/BOOT | matches BOOTX64 || fail "no EFI/BOOT/BOOTX64.EFI on the ESP"
    cmp <(mtype -i "$img" ::/EFI/BOOT/grub.cfg) "$2/grub.cfg" || fail "the ESP's grub.cfg is not the build's"
    for f in xen.gz vmlinuz rootfs.cpio.gz; do
        cmp <(mtype -i "$img" "::/$f") "$2/$f" || fail "$f on the ESP differs from the build's"
    done
}

# check_iso ISO OUT: ISO has El Torito images for BIOS and UEFI (the report
# goes to stdout) and output OUT's grub.cfg; $work holds the scratch.
check_iso() {
    xorriso -indev "$1" -report_el_torito plain 2>/dev/null | tee "$work/eltorito"
    grep -q 'El Torito boot img :   1  BIOS' "$work/eltorito" || fail "the ISO has no BIOS El Torito image"
    grep -q 'El Torito boot img :   2  UEFI' "$work/eltorito" || fail "the ISO has no UEFI El Torito image"
    xorriso -osirrox on -indev "$1" -extract /boot/grub/grub.cfg "$work/iso-grub.cfg" >/dev/null 2>&1
    cmp "$work/iso-grub.cfg" "$2/grub.cfg" || fail "the ISO's grub.cfg is not the build's"
}

# Build the default image once per test run into $MKDOM0_BUILD/test-image
# and print its directory.  Keys live beside it so every test logs in with them.
# tests/run.sh runs tests side by side: the first caller builds, the others
# wait on the lock and then find the marker.
default_image() {
    local dir="$MKDOM0_BUILD/test-image"
    # The marker lives beside the image: a build refuses an output
    # directory holding files it did not write.
    (
        flock 9
        if [ ! -e "$dir.complete" ]; then
            build_or_skip --keys "$MKDOM0_BUILD/test-keys" -o "$dir" >&2
            touch "$dir.complete"
        fi
    ) 9>"$MKDOM0_BUILD/test-image.lock" || exit
    echo "$dir"
}

# ---- Debian packages for tests that take real files apart ----
# Cached in $MKDOM0_TEST_DEBS (default: test-debs beside the download cache),
# fetched once with apt-get.  Both helpers print a path and return 0, or
# explain on stderr and return 77 (archive unreachable: skip) or 1 (fail);
# they run in $(...), so call them as  x=$(test_deb NAME) || exit
test_debs_dir() { echo "${MKDOM0_TEST_DEBS:-$(cache_dir)/test-debs}"; }

# test_deb [--trixie] PACKAGE: bookworm's through the host's apt sources;
# --trixie through a private apt state below the cache (the machine's apt
# configuration stays untouched).
test_deb() {
    local dir opts=() deb
    dir=$(test_debs_dir)
    if [ "$1" = --trixie ]; then
        shift
        local ta="$dir/apt-trixie"
        opts=(-o Dir::Etc::sourcelist="$ta/sources.list" -o Dir::Etc::sourceparts=/nonexistent
              -o Dir::State::lists="$ta/lists" -o Dir::Cache="$ta/cache" -o Dir::State::status=/dev/null
              -o Debug::NoLocking=1)
    fi
    mkdir -p "$dir" || return 1
    # tests run side by side (tests/run.sh): one apt-get in DIR at a time
    exec 8>"$dir/.lock" && flock 8 || return 1
    deb=$(ls "$dir/$1"_*.deb 2>/dev/null | head -n1)
    if [ -z "$deb" ]; then
        if [ ${#opts[@]} -gt 0 ]; then
            mkdir -p "$ta/lists/partial" "$ta/cache/archives/partial" || return 1
            echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" \
                > "$ta/sources.list"
            _apt "$dir" "${opts[@]}" update || return
        fi
        _apt "$dir" "${opts[@]}" download "$1" || return
        deb=$(ls "$dir/$1"_*.deb 2>/dev/null | head -n1)
        [ -n "$deb" ] || { echo "apt-get download $1 left no $dir/$1_*.deb" >&2; return 1; }
    fi
    echo "$deb"
}
_apt() {  # DIR APT-ARGS...: apt-get in DIR; on failure 77 when offline, else 1
    local dir=$1 log; shift
    log=$(mktemp)
    if (cd "$dir" && timeout 300 apt-get "$@") > "$log" 2>&1; then rm -f "$log"; return 0; fi
    cat "$log" >&2; rm -f "$log"
    if ! archive_reachable; then
        echo "Debian's archive is not reachable: cannot apt-get $* (not cached in $dir)" >&2
        return 77
    fi
    echo "apt-get $* failed although the archive answers" >&2
    return 1
}

# kernel_deb: Debian's 6.1 kernel package (the one linux-image-amd64 depends on).
kernel_deb() {
    local kpkg
    kpkg=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-6\.1/ {print $2; exit}')
    if [ -z "$kpkg" ]; then
        archive_reachable || { echo "apt knows no linux-image-6.1 and the archive is not reachable" >&2; return 77; }
        echo "apt knows no linux-image-6.1 package: run apt-get update" >&2
        return 1
    fi
    test_deb "$kpkg"
}

# stub_deb ROOT NAME DEBS: DEBS/NAME_1.0_amd64.deb, made by dpkg-deb from the
# tree ROOT/NAME (its DEBIAN/control written here: version 1.0, amd64).
stub_deb() {
    mkdir -p "$1/$2/DEBIAN" "$3"
    printf 'Package: %s\nVersion: 1.0\nArchitecture: amd64\nMaintainer: mkdom0 tests <t@invalid>\nDescription: stand-in\n' \
        "$2" >"$1/$2/DEBIAN/control"
    dpkg-deb --root-owner-group -Zxz --build "$1/$2" "$3/$2_1.0_amd64.deb" >/dev/null
}

# stub_dom0_debs ROOT DEBS: stand-ins for a dom0, with which alone a spec
# builds a whole image: stub-xen (a hypervisor of Xen 4.17), stub-kernel
# (6.1.0-9-amd64, with the modules a dom0 cannot do without built in, so
# no .ko is needed) and stub-busybox (stub_dom0_userland), as stub_deb
# makes them from trees under ROOT.
stub_dom0_debs() {
    local r=$1 s
    mkdir -p "$r/stub-xen/boot" "$r/stub-kernel/boot" "$r/stub-kernel/usr/lib/modules/6.1.0-9-amd64"
    # a hypervisor's release is its embedded Kconfig's, never its file name's
    { printf '\177ELF stand-in hypervisor: Xen version %%d.%%d%%s\n'
      printf '#\n# Automatically generated file; DO NOT EDIT.\n# Xen/x86 4.17.0 Configuration\n#\n' | gzip -n
    } | gzip -n >"$r/stub-xen/boot/xen-4.17-amd64.gz"
    echo 'stand-in kernel' >"$r/stub-kernel/boot/vmlinuz-6.1.0-9-amd64"
    printf 'kernel/drivers/xen/%s.ko\n' xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs/xenfs \
        >"$r/stub-kernel/usr/lib/modules/6.1.0-9-amd64/modules.builtin"
    stub_dom0_userland "$r/stub-busybox"
    for s in stub-xen stub-kernel stub-busybox; do stub_deb "$r" $s "$2"; done
}

# stub_dom0_userland DIR: a stand-in busybox package's tree in DIR: busybox,
# the OpenRC the overlay's inittab runs at startup and what its services
# run (the self-lint refuses an image without them), and, as xenconsoled
# is Xen userland whose release the build checks by libxenctrl's soname
# (trap 2), a stand-in libxenctrl of the hypervisor's 4.17.
stub_dom0_userland() {
    local d=$1 p
    mkdir -p "$d/usr/bin" "$d/usr/sbin" "$d/usr/lib/xen-common/bin"
    for p in usr/bin/busybox usr/sbin/openrc usr/sbin/openrc-run usr/sbin/sshd \
             usr/sbin/xenconsoled usr/lib/xen-common/bin/xen-dir; do
        printf '#!/bin/sh\n' >"$d/$p"
        chmod 755 "$d/$p"
    done
    echo 'int xc_interface_open(void) { return 0; }' | gcc -shared -nostdlib -fPIC -x c - \
        -Wl,-soname,libxenctrl.so.4.17 -o "$d/usr/lib/libxenctrl.so.4.17.0"
}
