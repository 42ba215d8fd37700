#!/usr/bin/env bash
# dom0 only
# The dom0's userland booted for real, without Xen and without QEMU: Debian's
# openrc, busybox-static and openssh-server plus data/overlay,
# data/overlay-debian and xen-dom0-setup in a chroot, inside fresh mount, pid, uts and network
# namespaces.  Runs inittab's sysinit, wait and once lines (xen-dom0-setup
# early openrc, xen-dom0, `openrc boot/default`)
# as busybox init would, then checks what a person would: the Xen services
# refuse to start with the reason (this host is no dom0), the host name, the
# log, DHCP running on the NIC, root logging in over ssh with a key and not
# with a password, and `openrc shutdown` stopping everything.
set -euo pipefail
PATH=$PATH:/sbin:/usr/sbin
. "${MKDOM0_SRC:?}/tests/lib.sh"
src=$MKDOM0_SRC
setup_bin="${MKDOM0_BUILD:?}/dom0/xen-dom0-setup"
[ -x "$setup_bin" ] || fail "$setup_bin is not built (make)"
[ "$(id -u)" = 0 ] || fail "needs root (chroot, namespaces)"
need unshare chroot dpkg-deb ldd ssh ssh-keygen
unshare -mipf --mount-proc true || fail "cannot make mount, IPC and pid namespaces here"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
R="$tmp/root"

# 1. the root: merged /usr, the packages, the libraries their ELF files need
mkdir -p "$R"/usr/{bin,sbin,lib,lib64} "$R"/{run,proc,sys,dev,tmp,etc,root,var/log,var/lib}
ln -s usr/bin "$R/bin"; ln -s usr/sbin "$R/sbin"; ln -s usr/lib "$R/lib"; ln -s usr/lib64 "$R/lib64"
ln -s /run "$R/var/run"; ln -s /run/lock "$R/var/lock"
chmod 1777 "$R/tmp"; chmod 0700 "$R/root"
for p in openrc librc1 libeinfo1 busybox-static openssh-server; do
    deb=$(test_deb $p) || exit
    dpkg-deb --fsys-tarfile "$deb" | tar x --keep-directory-symlink -C "$R"
done
ldlib="$R/usr/lib/x86_64-linux-gnu"
for f in "$R"/usr/sbin/* "$R"/usr/bin/* "$R"/usr/lib/rc/bin/* "$R"/usr/lib/rc/sbin/*; do
    [ -f "$f" ] && [ ! -L "$f" ] && head -c4 "$f" | matches ELF || continue
    { LD_LIBRARY_PATH="$ldlib" ldd "$f" 2>/dev/null || true; } |
        awk '/=> \// {print $3} /^\t\/lib64/ {print $1}'
done | sort -u | while read -r lib; do
    case "$lib" in "$R"/*) continue ;; esac
    [ -e "$R$lib" ] || { mkdir -p "$R$(dirname "$lib")"; cp -L "$lib" "$R$lib"; }
done
# The libraries come from this host (Debian 12 too): one it lacks makes the
# sandbox unlike an image, so say so instead of failing on it later.
for f in "$R"/usr/sbin/sshd "$R"/usr/sbin/openrc; do
    missing=$(LD_LIBRARY_PATH="$ldlib" ldd "$f" 2>/dev/null | awk '/not found/ {print $1}' | tr '\n' ' ')
    [ -z "$missing" ] || fail "this host lacks libraries of ${f#$R}: $missing (install them)"
done
grep '^/' "$src/data/busybox-applets.txt" | while read -r p; do
    [ -e "$R$p" ] || [ -L "$R$p" ] || { mkdir -p "$R$(dirname "$p")"; ln -s /bin/busybox "$R$p"; }
done
cp -a "$src/data/overlay/." "$src/data/overlay-debian/." "$R/"
install -m 0755 "$setup_bin" "$R/usr/sbin/xen-dom0-setup"
# what mkdom0's base and sshkeys modules write
cat > "$R/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/ash
sshd:x:100:65534::/run/sshd:/usr/sbin/nologin
nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin
EOF
printf 'root:x:0:\ntty:x:5:\nuucp:x:10:\nshadow:x:42:\nutmp:x:43:\nnogroup:x:65534:\n' > "$R/etc/group"
printf 'root:*:19000:0:99999:7:::\nsshd:*:19000:0:99999:7:::\nnobody:*:19000:0:99999:7:::\n' > "$R/etc/shadow"
chmod 0600 "$R/etc/shadow"
echo sandbox-dom0 > "$R/etc/hostname"
ssh-keygen -q -t ed25519 -N '' -C '' -f "$R/etc/ssh/ssh_host_ed25519_key"
ssh-keygen -q -t ed25519 -N '' -C 'test' -f "$tmp/id"
mkdir -m 0700 "$R/root/.ssh"
install -m 0600 "$tmp/id.pub" "$R/root/.ssh/authorized_keys"

# 2. boot it.  The pid namespace ends with the outer shell, taking every
# daemon with it.
cat > "$tmp/boot.sh" <<'EOF'
set -u  # no pipefail: grep -q below cannot fail a pipeline (lib.sh is not sourced here)
R=$1 tmp=$2
mount --make-rprivate /
mount -t tmpfs tmpfs "$R/run"
bb="$R/bin/busybox"
# The NIC (with $tmp/host-mac: eth1, with that MAC, behind a NIC eth0 on
# no network, a dummy, which the network service would take first without
# mac=: as a server with several ports whose first is not its own)
if [ -s "$tmp/host-mac" ]; then
    "$bb" ip link add eth0 type dummy
    "$bb" ip link add eth1 address "$(cat "$tmp/host-mac")" type veth peer name veth0
else
    "$bb" ip link add eth0 type veth peer name veth0
fi
# A DHCP server on the other end of the NIC's cable (outside the chroot)
"$bb" ip addr add 192.0.2.1/24 dev veth0
"$bb" ip link set veth0 up
mkdir -p "$tmp/dhcp"
cat > "$tmp/dhcp/udhcpd.conf" <<CONF
start 192.0.2.100
end 192.0.2.110
interface veth0
lease_file $tmp/dhcp/leases
pidfile $tmp/dhcp/pid
option subnet 255.255.255.0
option router 192.0.2.1
option dns 192.0.2.53
option domain example.test
CONF
: > "$tmp/dhcp/leases"
"$bb" udhcpd "$tmp/dhcp/udhcpd.conf"
in_root() { chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin TERM=dumb "$@"; }
# inittab's sysinit, wait and once actions, in its order, as busybox init
# runs them (a "once" one in the background, beside the getty: here in
# turn), a command with shell characters through `sh -c "exec ..."`.
grep -E '^[^#]*::(sysinit|wait|once):' "$R/etc/inittab" | sed 's/^[^:]*::[a-z]*://' > "$tmp/actions"
while IFS= read -r cmd; do
    echo "== inittab $cmd"
    case "$cmd" in
        *[\~\`!\$^\&*\(\)=\|\\{}\[\]\;\"\'\<\>?]*) in_root /bin/sh -c "exec $cmd" ;;
        *) in_root $cmd ;;
    esac
    echo "inittab exit $? $cmd"
done < "$tmp/actions"
echo "rc_sys: $(in_root /sbin/openrc --sys)"
# What OpenRC's init.sh makes (xen-dom0-setup's openrc step now).
echo "run/lock: $(stat -c '%u:%g %a' "$R/run/lock") run/openrc: $(cat "$R/run/openrc/softlevel")"
echo "== state"
in_root /bin/rc-status -a -C
echo "hostname: $(in_root /bin/hostname)"
# supervise-daemon starts its daemon after `openrc` returns: give a busy
# machine up to 10 s before the snapshot.
for i in $(seq 50); do
    in_root /bin/ps -o args | grep -q '^/usr/sbin/sshd -D' && break
    sleep 0.2
done
in_root /bin/ps -o pid,args | grep -E 'supervise-daemon|udhcpc|sshd|syslogd' | grep -v grep
echo "== lease"
for i in $(seq 50); do
    "$bb" ip -4 addr show | grep -q 'inet 192.0.2.1[01][0-9]/24' && break
    sleep 0.2
done
"$bb" ip -4 addr show | grep 'inet 192.0.2' | grep -v veth0
"$bb" ip route | grep default
cat "$R/etc/resolv.conf" 2>&1
echo "== bridges"
for b in "$R"/sys/class/net/*/brif; do
    [ -d "$b" ] || continue
    d=${b%/brif}
    echo "${d##*/} ports: $(ls "$b" | tr '\n' ' ')stp $(cat "$d/bridge/stp_state") delay $(cat "$d/bridge/forward_delay")"
done
echo "== logread"
# syslogd makes its shared-memory buffer after start-stop-daemon returns:
# give a busy machine up to 10 s, as for sshd above.
for i in $(seq 50); do
    in_root /sbin/logread >/dev/null 2>&1 && break
    sleep 0.2
done
in_root /sbin/logread
echo "== ssh with key"
ssh -i "$tmp/id" -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null \
    -o ConnectTimeout=10 root@127.0.0.1 'echo "logged in as $(id -u) on $(hostname)"' 2>&1
echo "== ssh with password"
ssh -o BatchMode=yes -o PreferredAuthentications=password,keyboard-interactive -o PubkeyAuthentication=no \
    -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null -o ConnectTimeout=10 \
    root@127.0.0.1 true 2>&1; echo "password ssh exit $?"
echo "== xendomains"
if [ -x "$R/usr/sbin/xl" ]; then
    # No xenstored here: start it alone, as `openrc default` would after it.
    in_root /etc/init.d/xendomains --nodeps start; echo "xendomains start exit $?"
    for i in $(seq 150); do [ -e "$R/run/xendomains/runner.pid" ] || break; sleep 0.2; done
    echo "-- xl calls"; cat "$R/run/fakexl/calls"
    echo "-- report"; cat "$R/run/xendomains.report"
    in_root /etc/init.d/xendomains --nodeps stop; echo "xendomains stop exit $?"
    echo "-- xl calls after stop"; cat "$R/run/fakexl/calls"
fi
echo "== openrc shutdown"
in_root /sbin/openrc shutdown; echo "openrc shutdown exit $?"
sleep 1
echo "== left running"
in_root /bin/ps -o pid,args | grep -E 'supervise-daemon|udhcpc|sshd|syslogd' | grep -v grep
echo "== storage mounts"
in_root /bin/cat /proc/mounts | grep ' /var/lib/xen/storage ' || echo "no storage mount"
echo "== end"
EOF
fails=0
fail() { echo "FAIL ($shell): $*"; fails=$((fails + 1)); }
has() { grep -q -- "$1" "$tmp/log"; }
section() { sed -n "/^== $1/,/^== /p" "$tmp/log"; }

# /bin/sh is busybox's unless the image has dash (which ships /bin/sh).
# Both must boot; only a POSIX shell that execs commands lets OpenRC's
# init.sh tell a mounted /proc (busybox runs md5sum in-process).
# Last, the bridge for guests (conf.d/network bridge=xenbr0, what the spec's
# Bridge=yes writes), with this kernel's bridge module: the sandbox has no
# module index, so xen-dom0-setup must find it in /sys/module.
# That bridge on the NIC with the host's MAC (conf.d/network mac=, as a
# host's identity writes it), which is not the first.
# And a static address (the spec's Address= and Gateway=): no udhcpc.
[ -x /bin/dash ] || { echo "FAIL: no /bin/dash (Debian's dash package)"; exit 1; }
[ -d /sys/module/bridge ] || modprobe bridge ||
    { echo "FAIL: this kernel has no bridge module (modprobe bridge failed)"; exit 1; }
# xendomains with dash+bridge, against a fake xl: the configs of
# /etc/xen/auto and of the storage's auto/ (g.cfg) start in name order, the
# one xl refuses is reported and the next ones start, and at stop every
# guest gets `xl shutdown`; the one that ignores it is destroyed.
cat > "$tmp/fakexl" <<'XL'
#!/bin/sh
S=/run/fakexl
mkdir -p $S && touch $S/domains
echo "xl $*" >> $S/calls
case "$1" in
create) cfg=$3
        grep -q refuse "$cfg" && { echo "Parsing config from $cfg"; echo "libxl: error: libxl_create.c:1200:initiate_domain_create: Domain 9:cannot make domain: -3"; exit 3; } >&2
        sed -n 's/^name="\(.*\)"$/\1/p' "$cfg" >> $S/domains ;;
list)   echo "Name                                        ID   Mem VCPUs      State   Time(s)"
        echo "Domain-0                                     0  1024     2     r-----       1.0"
        n=1; while read -r d; do echo "$d $n 128 1 -b---- 0.1"; n=$((n + 1)); done < $S/domains ;;
shutdown) grep -x stuck $S/domains > $S/left; mv $S/left $S/domains ;;
destroy) grep -vx "$2" $S/domains > $S/left; mv $S/left $S/domains ;;
esac
XL
# Guest storage: with dash+bridge a disk labelled as conf.d/guest-storage
# says (an ext4 image on a loop device), with dash+static a label no disk
# has: mounted and unmounted at shutdown, or one console line and no mount.
need mkfs.ext4 losetup
label="mkdom0t$$"
mkdir -p "$tmp/gs/auto" && echo 'name="g"' > "$tmp/gs/auto/g.cfg"
mkfs.ext4 -q -F -L "$label" -d "$tmp/gs" "$tmp/guests.img" 16M
loopdev=$(losetup -f --show "$tmp/guests.img") || { echo "FAIL: losetup of the guest storage image"; exit 1; }
trap 'losetup -d "$loopdev" 2>/dev/null; rm -rf "$tmp"' EXIT
shells="busybox dash dash+bridge dash+static"
cp "$R/etc/conf.d/network" "$tmp/network.conf"
cp "$R/etc/conf.d/guest-storage" "$tmp/guest-storage.conf"
cp "$R/etc/conf.d/xendomains" "$tmp/xendomains.conf"
for shell in $shells; do
rm -f "$R/usr/bin/sh"
case $shell in
    dash*) cp -L /bin/dash "$R/usr/bin/sh" ;;
    *) ln -s /bin/busybox "$R/usr/bin/sh" ;;
esac
nic=eth0
cp "$tmp/network.conf" "$R/etc/conf.d/network"
cp "$tmp/guest-storage.conf" "$R/etc/conf.d/guest-storage"
cp "$tmp/xendomains.conf" "$R/etc/conf.d/xendomains"
rm -rf "$R/usr/sbin/xl" "$R/etc/xen/auto"
cp "$tmp/xendomains.conf" "$R/etc/conf.d/xendomains"
rm -rf "$R/usr/sbin/xl" "$R/etc/xen/auto"
if [ $shell = dash+bridge ]; then
    install -m 0755 "$tmp/fakexl" "$R/usr/sbin/xl"
    mkdir -p "$R/etc/xen/auto"
    echo 'name="web"' > "$R/etc/xen/auto/20-web.cfg"
    echo 'name="bad" # refuse' > "$R/etc/xen/auto/05-bad.cfg"
    echo 'name="stuck"' > "$R/etc/xen/auto/30-stuck.cfg"
    echo 'name="backup"' > "$R/etc/xen/auto/20-web.cfg~"
    sed 's|^report=.*|report=/run/xendomains.report|' "$tmp/xendomains.conf" > "$R/etc/conf.d/xendomains"
    sed -i 's/^shutdown_timeout=.*/shutdown_timeout=3/' "$R/etc/conf.d/xendomains"
    sed "s/^storage=\"\"/storage=\"LABEL=$label\"/" "$tmp/guest-storage.conf" > "$R/etc/conf.d/guest-storage"
    # as a host's identity writes it ([Host NAME] MAC=): its NIC is eth1
    sed -e 's/^bridge=""/bridge="xenbr0"/' -e 's/^mac=""/mac="52:54:00:00:11:01"/' \
        "$tmp/network.conf" > "$R/etc/conf.d/network"
    echo 52:54:00:00:11:01 > "$tmp/host-mac"
    nic=xenbr0
else
    rm -f "$tmp/host-mac"
fi
if [ $shell = dash+static ]; then
    sed 's/^storage=""/storage="LABEL=mkdom0-absent"/' "$tmp/guest-storage.conf" > "$R/etc/conf.d/guest-storage"
    sed -e 's|^address=""|address="192.0.2.77/24"|' -e 's|^gateway=""|gateway="192.0.2.1"|' \
        "$tmp/network.conf" > "$R/etc/conf.d/network"
fi
rm -f "$R/etc/resolv.conf"   # from the previous run's lease
echo "######## /bin/sh = $shell"
timeout 180 unshare -miupfn --mount-proc bash "$tmp/boot.sh" "$R" "$tmp" > "$tmp/log" 2>&1 || true
cat "$tmp/log"

has '== end' || fail "the sandbox boot did not finish"
# xen-dom0's own start fails here (no dom0: checked below); the rest must not.
first='/sbin/xen-dom0-setup early openrc xen-dom0'
while IFS= read -r cmd; do
    [ "$cmd" = "$first" ] && continue
    grep -qxF "inittab exit 0 $cmd" "$tmp/log" || fail "inittab's $cmd did not exit 0"
done < "$tmp/actions"
grep -qxF "inittab exit 1 $first" "$tmp/log" || fail "$first did not fail outside a dom0"
# Its xen-dom0 step failed: the service is left to `openrc boot`, which
# starts it (and fails: below), not marked started over a broken setup.
has 'xen-dom0 not marked started' || fail "xen-dom0-setup did not leave xen-dom0 to OpenRC after failing"
for a in "$first" '/sbin/openrc boot' '/sbin/openrc default'; do
    grep -qxF "$a" "$tmp/actions" || fail "inittab does not run $a"
done
has 'rc_sys: XEN0' || fail "OpenRC did not take rc_sys=xen0"
has 'run/lock: 0:10 775 run/openrc: default' || fail "/run/lock is not root:uucp 0775, or OpenRC's state is not in /run/openrc: $(grep '^run/lock' "$tmp/log")"
# noise that would show on every real boot
for bad in 'scandir' 'insserv' 'not found' 'command not found' 'No such file or directory: /etc' \
           'unknown step' 'usage:' 'real and virtual'; do
    has "$bad" && fail "boot output has '$bad'"
done
# not a dom0: refused, with the reason, and nothing that needs it started
has 'no module index for kernel' || fail "xen-dom0-setup did not say why the modules cannot load"
has 'ERROR: xen-dom0 failed to start' || fail "xen-dom0 did not fail"
for s in xenstored xenconsoled; do
    has "cannot start $s as xen-dom0 would not start" || fail "$s was not held back by xen-dom0"
done
section state | matches 'hostname: sandbox-dom0' || fail "host name not set from /etc/hostname"
grep -qxF '/bin/hostname -F /etc/hostname' "$tmp/actions" || fail "inittab does not set the host name"
for s in syslog network ssh; do
    section state | matches -E "^ *$s .*started" || fail "$s is not started"
done
if [ $shell = dash+static ]; then
    section state | matches "udhcpc" && fail "udhcpc runs although the address is static"
    section lease | matches -E "inet 192\.0\.2\.77/24 .*$nic" || fail "$nic has not the static address"
    section lease | matches "default via 192.0.2.1 dev $nic" || fail "no default route via the static gateway"
else
section state | matches "udhcpc -f -S -i $nic " || fail "udhcpc is not running on $nic"
section lease | matches -E "inet 192\.0\.2\.1[01][0-9]/24 .*$nic" || fail "$nic got no DHCP address"
section lease | matches "default via 192.0.2.1 dev $nic" || fail "no default route via the DHCP router"
section lease | matches 'nameserver 192.0.2.53' || fail "resolv.conf not written from the lease"
fi
if [ $nic = xenbr0 ]; then
    section bridges | matches '^xenbr0 ports: eth1 stp 0 delay 0$' ||
        fail "xenbr0 is not the bridge of eth1 (the host's MAC; eth0 comes first) without stp and delay"
fi
section state | matches '/usr/sbin/sshd -D' || fail "sshd is not running"
section logread | matches 'syslogd started' || fail "logread shows no syslog"
section 'ssh with key' | matches 'logged in as 0 on sandbox-dom0' || fail "root could not log in with its key"
section 'ssh with password' | matches 'Permission denied (publickey)' || fail "sshd offers more than publickey"
has 'password ssh exit 0' && fail "password login worked"
has 'openrc shutdown exit 0' || fail "openrc shutdown did not exit 0"
section 'left running' | matches -E 'sshd|udhcpc|syslogd' && fail "daemons left after openrc shutdown"
[ $shell != busybox ] && has 'cruft in /proc' && fail "init.sh thinks /proc is not mounted"
section state | matches -E "^ *guest-storage .*started" || fail "guest-storage is not started"
case $shell in
dash+bridge)
    has "Guest storage LABEL=$label ($loopdev, ext4) mounted at /var/lib/xen/storage" ||
        fail "guest-storage did not mount the disk labelled $label ($loopdev) and say so"
    has 'Unmounting guest storage from /var/lib/xen/storage' || fail "openrc shutdown did not unmount the guest storage"
    section 'storage mounts' | matches 'no storage mount' || fail "the guest storage is still mounted after openrc shutdown"
    has 'xendomains start exit 0' || fail "xendomains did not start"
    [ "$(section xendomains | sed -n '/^-- xl calls$/,/^-- report/p' | grep '^xl create')" = "$(printf '%s\n' \
        'xl create -q /etc/xen/auto/05-bad.cfg' 'xl create -q /etc/xen/auto/20-web.cfg' \
        'xl create -q /etc/xen/auto/30-stuck.cfg' 'xl create -q /var/lib/xen/storage/auto/g.cfg')" ] ||
        fail "xendomains did not create the autostart guests of /etc/xen/auto and the storage in name order"
    section xendomains | matches '^ \* Guest 05-bad.cfg failed to start: libxl: error: .*cannot make domain: -3 (/etc/xen/auto/05-bad.cfg)$' ||
        fail "xendomains did not report the guest xl refused, with xl's error"
    for g in 20-web.cfg 30-stuck.cfg g.cfg; do
        section xendomains | matches "^ \* Guest $g started" || fail "xendomains did not report $g started"
    done
    section xendomains | matches '^xl shutdown -a -F$' || fail "xendomains stop did not run xl shutdown -a -F"
    section xendomains | matches 'Guest stuck did not shut down within 3 s: destroying it' ||
        fail "xendomains stop did not say it destroys the guest that ignored xl shutdown"
    section xendomains | matches '^xl destroy stuck$' || fail "xendomains stop did not destroy the guest that ignored xl shutdown"
    section xendomains | matches '^xl destroy web$' && fail "xendomains stop destroyed a guest that shut down"
    has 'xendomains stop exit 0' || fail "xendomains stop failed" ;;
dash+static)
    # Not at the start of the line: the services of "boot" start side by
    # side, and here (no pty per service) their lines can run together.
    [ "$(grep -c ' \* Guest storage LABEL=mkdom0-absent: no disk has it (none attached, or not formatted): /var/lib/xen/storage is not mounted' "$tmp/log")" = 1 ] ||
        fail "guest-storage did not say in one line that no disk has LABEL=mkdom0-absent"
    section 'storage mounts' | matches 'no storage mount' || fail "something is mounted at /var/lib/xen/storage without a disk" ;;
*)
    has 'No guest storage configured' || fail "guest-storage without a storage did not say so" ;;
esac
done
cp "$tmp/network.conf" "$R/etc/conf.d/network"
cp "$tmp/guest-storage.conf" "$R/etc/conf.d/guest-storage"
cp "$tmp/xendomains.conf" "$R/etc/conf.d/xendomains"
rm -rf "$R/usr/sbin/xl" "$R/etc/xen/auto"

[ $fails = 0 ] || { echo "$fails problem(s)"; exit 1; }
echo "sandbox boot: services, ssh key login, clean shutdown"
