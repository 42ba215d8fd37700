#!/usr/bin/env bash
# dom0 only
# xen-dom0-setup as built: a static program (it runs before any library
# could be found), whose dry run against a prepared root prints exactly the
# actions a boot needs, and which (as root) makes the nodes for real in a
# temporary root, fixes wrong ones, and finds nothing to do the second time.
set -euo pipefail
. "${MKDOM0_SRC:?}/tests/lib.sh"
bin="${MKDOM0_BUILD:?}/dom0/xen-dom0-setup"
data="$MKDOM0_SRC/tests/data/procmisc"
[ -x "$bin" ] || fail "$bin is not built (make)"
need file readelf ldd
[ "$(id -u)" = 0 ] || fail "needs root (mknod in a temporary root)"
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# 1. static: no interpreter, no shared libraries
file -L "$bin" | matches 'statically linked' || fail "file: $(file -L "$bin")"
readelf -l "$bin" > "$tmp/phdrs" || fail "readelf -l cannot read $bin"
grep -q 'LOAD' "$tmp/phdrs" || fail "readelf -l: no LOAD segment"
grep -q 'INTERP' "$tmp/phdrs" && fail "has a program interpreter"
readelf -d "$bin" 2>/dev/null | matches NEEDED && fail "needs shared libraries"
out=$(ldd "$bin" 2>&1 || true)
grep -Eq 'not a dynamic executable|statically linked' <<<"$out" || fail "ldd: $out"

# 2. usage errors are exit 2 and change nothing
mkdir "$tmp/untouched"
set +e
"$bin" --root "$tmp/untouched" frobnicate >/dev/null 2>&1; [ $? = 2 ] || fail "unknown step: not exit 2"
"$bin" --root "$tmp/untouched" devices frobnicate >/dev/null 2>&1; [ $? = 2 ] || fail "typo after a step: not exit 2"
"$bin" --bogus >/dev/null 2>&1; [ $? = 2 ] || fail "unknown option: not exit 2"
"$bin" --root >/dev/null 2>&1; [ $? = 2 ] || fail "--root without value: not exit 2"
"$bin" load >/dev/null 2>&1; [ $? = 2 ] || fail "load without modules: not exit 2"
"$bin" --help | matches 'hvc0' || fail "--help"
set -e
[ -z "$(ls -A "$tmp/untouched")" ] || fail "a usage error changed the root"

# 3. the whole boot, dry, on an empty root with Debian 6.1's Xen module index
root="$tmp/root"
k=6.1.0-56-amd64
mkdir -p "$root/lib/modules/$k"
cat > "$root/lib/modules/$k/modules.dep" <<'DEP'
kernel/drivers/xen/xen-pciback/xen-pciback.ko:
kernel/drivers/xen/xen-evtchn.ko:
kernel/drivers/xen/xen-gntdev.ko:
kernel/drivers/xen/xen-gntalloc.ko:
kernel/drivers/xen/xenfs/xenfs.ko: kernel/drivers/xen/xen-privcmd.ko
kernel/drivers/xen/xen-privcmd.ko:
kernel/drivers/xen/xen-acpi-processor.ko:
kernel/drivers/block/xen-blkback/xen-blkback.ko:
kernel/drivers/net/xen-netback/xen-netback.ko:
kernel/drivers/block/loop.ko:
kernel/net/802/stp.ko: kernel/net/llc/llc.ko
kernel/net/llc/llc.ko:
kernel/net/bridge/bridge.ko: kernel/net/802/stp.ko kernel/net/llc/llc.ko
DEP
set +e
"$bin" --root "$root" --kver $k --proc-misc "$data/normal.txt" --dry-run all > "$tmp/plan" 2> "$tmp/log"
rc=$?
set -e
[ $rc = 0 ] || { cat "$tmp/log"; fail "dry run all: exit $rc (log above)"; }
m=/lib/modules/$k/kernel
cat > "$tmp/want" <<PLAN
mkdir /proc 0555
mount proc proc /proc -
mkdir /sys 0555
mount sysfs sysfs /sys -
mkdir /dev 0755
mount devtmpfs devtmpfs /dev mode=0755
mkdir /dev/pts 0755
mount devpts devpts /dev/pts gid=5,mode=0620,ptmxmode=0666
mkdir /dev/shm 1777
mount tmpfs tmpfs /dev/shm mode=1777
load $m/drivers/xen/xen-evtchn.ko
load $m/drivers/xen/xen-gntdev.ko
load $m/drivers/xen/xen-gntalloc.ko
load $m/drivers/xen/xen-privcmd.ko
load $m/drivers/xen/xenfs/xenfs.ko
load $m/drivers/net/xen-netback/xen-netback.ko
load $m/drivers/block/xen-blkback/xen-blkback.ko
load $m/drivers/block/loop.ko
mkdir /dev 0755
mknod /dev/console c 5 1 0600
mknod /dev/null c 1 3 0666
mknod /dev/zero c 1 5 0666
mknod /dev/full c 1 7 0666
mknod /dev/random c 1 8 0666
mknod /dev/urandom c 1 9 0666
mknod /dev/kmsg c 1 11 0644
mknod /dev/tty c 5 0 0666
mknod /dev/ptmx c 5 2 0666
mknod /dev/hvc0 c 229 0 0600
symlink /dev/fd -> /proc/self/fd
symlink /dev/stdin -> /proc/self/fd/0
symlink /dev/stdout -> /proc/self/fd/1
symlink /dev/stderr -> /proc/self/fd/2
mkdir /dev/xen 0755
mknod /dev/xen/hypercall c 10 121 0600
mknod /dev/xen/privcmd c 10 122 0600
mknod /dev/xen/gntalloc c 10 123 0600
mknod /dev/xen/gntdev c 10 124 0600
mknod /dev/xen/evtchn c 10 125 0600
mknod /dev/xen/xenbus_backend c 10 126 0600
mknod /dev/xen/xenbus c 10 127 0600
mount xenfs xenfs /proc/xen -
PLAN
diff -u "$tmp/want" "$tmp/plan" || fail "dry run plan differs"

# inittab's early step: no modules yet, so nothing about /dev/xen, and no error
out=$("$bin" --root "$tmp/early" --proc-misc /nonexistent --dry-run early 2>&1) || fail "early: $out"
grep -q 'mknod /dev/hvc0 c 229 0 0600' <<<"$out" || fail "early: no hvc0"
grep -q 'xen' <<<"$out" && fail "early touches Xen: $out"

# extra modules, and `load` alone
# (required modules, --module ones included, come before the optional backends)
"$bin" --root "$root" --kver $k --dry-run --module bridge modules > "$tmp/plan2"
sed -n 6,11p "$tmp/plan2" | diff -u - <(printf 'load %s\n' $m/net/llc/llc.ko $m/net/802/stp.ko $m/net/bridge/bridge.ko \
    $m/drivers/net/xen-netback/xen-netback.ko $m/drivers/block/xen-blkback/xen-blkback.ko \
    $m/drivers/block/loop.ko) ||
    fail "--module bridge: not llc, stp, bridge after the Xen modules"
"$bin" --root "$root" --kver $k --dry-run load bridge xenfs | diff -u - \
    <(printf 'load %s\n' $m/net/llc/llc.ko $m/net/802/stp.ko $m/net/bridge/bridge.ko \
        $m/drivers/xen/xen-privcmd.ko $m/drivers/xen/xenfs/xenfs.ko) || fail "load bridge xenfs"

# a module the image lacks, and a broken /proc/misc: exit 1, reasons given
set +e
"$bin" --root "$root" --kver $k --dry-run load xen-scsiback >/dev/null 2>"$tmp/log"; rc=$?
set -e
[ $rc = 1 ] && grep -q 'xen-scsiback is not in /lib/modules' "$tmp/log" || fail "missing module: rc $rc, $(cat "$tmp/log")"
set +e
"$bin" --root "$root" --proc-misc "$data/missing.txt" --dry-run devices >/dev/null 2>"$tmp/log"; rc=$?
set -e
[ $rc = 1 ] && grep -q 'xen/privcmd: module xen-privcmd is not loaded' "$tmp/log" || fail "missing privcmd: rc $rc, $(cat "$tmp/log")"

# 4. for real, as root, in a temporary root (mknod needs root)
r2="$tmp/real"
mkdir -p "$r2/dev/xen"
echo junk > "$r2/dev/xen/evtchn"
mknod "$r2/dev/hvc0" c 4 64
"$bin" --root "$r2" --proc-misc "$data/normal.txt" devices 2>"$tmp/log" || { cat "$tmp/log"; fail "real devices run (log above)"; }
[ "$(stat -c '%F %t:%T %a' "$r2/dev/xen/evtchn")" = "character special file a:7d 600" ] ||
    fail "/dev/xen/evtchn: $(stat -c '%F %t:%T %a' "$r2/dev/xen/evtchn")"
[ "$(stat -c '%F %t:%T %a' "$r2/dev/hvc0")" = "character special file e5:0 600" ] ||
    fail "/dev/hvc0: $(stat -c '%F %t:%T %a' "$r2/dev/hvc0")"
grep -q 'replacing /dev/hvc0: char 4:64 instead of 229:0' "$tmp/log" || fail "no note on the replaced hvc0"
[ "$(readlink "$r2/dev/fd")" = /proc/self/fd ] || fail "/dev/fd"
out=$("$bin" --root "$r2" --proc-misc "$data/normal.txt" --dry-run devices 2>&1)
[ -z "$out" ] || fail "second run still has work: $out"

# 5. watch, as the xenstored service runs it: in the background with a pid
# file; the child killed -> the alarm on the "console"; the watcher stopped
# -> the child stopped too, and no alarm
con="$tmp/console"
: > "$con"
"$bin" --console "$con" --pidfile "$tmp/watch.pid" watch -- sleep 300 || fail "watch did not start"
w=$(cat "$tmp/watch.pid")
for _ in $(seq 50); do c=$(pgrep -P "$w" -x sleep || true); [ -n "$c" ] && break; sleep 0.1; done
[ -n "$c" ] || fail "watch: no child sleep under pid $w"
kill -9 "$c"
for _ in $(seq 50); do kill -0 "$w" 2>/dev/null || break; sleep 0.1; done
kill -0 "$w" 2>/dev/null && fail "watch: still running after its child died"
grep -qx '\*\*\* sleep died: the toolstack cannot work until reboot' "$con" ||
    fail "watch: no alarm on the console: $(cat "$con")"
grep -q 'sleep was killed by signal 9 (SIGKILL)' "$con" || fail "watch: the alarm does not say how: $(cat "$con")"
: > "$con"
"$bin" --console "$con" --pidfile "$tmp/watch.pid" watch sleep 301 || fail "watch did not start"
w=$(cat "$tmp/watch.pid")
sleep 0.3
kill "$w"
for _ in $(seq 50); do kill -0 "$w" 2>/dev/null || break; sleep 0.1; done
kill -0 "$w" 2>/dev/null && fail "watch: SIGTERM did not stop it"
left=$(pgrep -f 'sleep 301' || true)
[ -n "$left" ] && { kill $left; fail "watch: its child outlived the stop"; }
[ -s "$con" ] && fail "watch: an alarm for a stop on request: $(cat "$con")"
# --ready: the caller comes back once the child made the path (the store's
# socket), not before; exit 1 at once, saying so, when the child ends first.
: > "$con"
"$bin" --console "$con" --pidfile "$tmp/watch.pid" --ready "$tmp/ready" watch -- \
    sh -c "sleep 1; echo > '$tmp/ready'; exec sleep 302" || fail "watch --ready: not exit 0"
[ -e "$tmp/ready" ] || fail "watch --ready returned before the child made its path"
w=$(cat "$tmp/watch.pid")
kill "$w"
for _ in $(seq 50); do kill -0 "$w" 2>/dev/null || break; sleep 0.1; done
set +e
start=$SECONDS
"$bin" --console "$con" --pidfile "$tmp/watch.pid" --ready "$tmp/never" watch -- false 2> "$tmp/err"
rc=$?
[ $rc = 1 ] || fail "watch --ready with a child that ends first: exit $rc, not 1"
[ $((SECONDS - start)) -lt 30 ] || fail "watch --ready waited out its time for a child that had ended"
grep -q "false ended before it made $tmp/never" "$tmp/err" || fail "watch --ready does not say the child ended: $(cat "$tmp/err")"
"$bin" --ready "$tmp/never" watch sleep 1 >/dev/null 2>&1; [ $? = 2 ] || fail "watch --ready without --pidfile: not exit 2"
"$bin" watch >/dev/null 2>&1; [ $? = 2 ] || fail "watch without a command: not exit 2"
set -e

[ $fails = 0 ] || { echo "$fails problem(s)"; exit 1; }
echo "xen-dom0-setup: static, plans the boot, idempotent; watch alarms on a death, not on a stop"
