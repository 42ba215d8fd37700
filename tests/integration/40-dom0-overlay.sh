#!/usr/bin/env bash
# The dom0 overlay is consistent without booting it: OpenRC scripts parse
# (also with the sh of Debian's busybox-static), depend on
# services that exist, runlevel links resolve, inittab keeps a getty on hvc0,
# each overlay*.list describes exactly its directory, every applet exists in
# Debian's busybox, the udhcpc script configures what a lease says, and
# Debian's own sshd accepts sshd_config.
set -euo pipefail
PATH=$PATH:/sbin:/usr/sbin
. "${MKDOM0_SRC:?}/tests/lib.sh"
src=$MKDOM0_SRC
need dpkg-deb ssh-keygen unshare
[ "$(id -u)" = 0 ] || fail "needs root (sshd -T runs in a private mount namespace)"
# Debian's busybox-static and sshd (cached like the other tests; the test
# skips only when the archive is out of reach and they are not cached).
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() {  # package -> extracted into $tmp/pkg/<package>
    mkdir -p "$tmp/pkg/$1"
    dpkg-deb -x "$2" "$tmp/pkg/$1"
}
deb=$(test_deb busybox-static) || exit
fetch busybox-static "$deb"
busybox="$tmp/pkg/busybox-static/bin/busybox"
# sshd: MKDOM0_SSHD, else the host's (Debian's too), else Debian's package.
sshd=${MKDOM0_SSHD:-$(command -v sshd || true)}
if [ -z "$sshd" ]; then
    deb=$(test_deb openssh-server) || exit
    fetch openssh-server "$deb"
    sshd="$tmp/pkg/openssh-server/usr/sbin/sshd"
fi

# From here on a problem is counted, and all of them are shown.
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# The Debian dom0's files as the build puts them: data/overlay, then
# data/overlay-debian over it (the Alpine one is checked in 8).
ov="$tmp/overlay-debian"
mkdir -p "$ov"
cp -a "$src/data/overlay/." "$src/data/overlay-debian/." "$ov/"

# 1. init.d scripts
services=()
for f in "$ov"/etc/init.d/*; do
    n=$(basename "$f")
    services+=("$n")
    [ -x "$f" ] || fail "init.d/$n is not executable"
    [ "$(head -n1 "$f")" = "#!/sbin/openrc-run" ] || fail "init.d/$n does not start with #!/sbin/openrc-run"
    sh -n "$f" || fail "init.d/$n: sh -n"
    "$busybox" sh -n "$f" || fail "init.d/$n: busybox sh -n"
done
[ ${#services[@]} -ge 8 ] || fail "only ${#services[@]} services in init.d"

# 2. their dependencies name services (or what one provides) that exist
provided=$(for f in "$ov"/etc/init.d/*; do
    bash -c 'provide() { echo "$@"; }; need() { :; }; use() { :; }; after() { :; };
             before() { :; }; want() { :; }; keyword() { :; }; config() { :; }
             . "$1"; depend' _ "$f"
done | tr ' ' '\n' | sort -u)
for f in "$ov"/etc/init.d/*; do
    n=$(basename "$f")
    deps=$(bash -c 'provide() { :; }; keyword() { :; }; config() { :; }
                    need() { echo "$@"; }; use() { echo "$@"; }; after() { echo "$@"; };
                    before() { echo "$@"; }; want() { echo "$@"; }
                    . "$1"; depend' _ "$f" | tr ' ' '\n' | sort -u)
    for d in $deps; do
        [ -e "$ov/etc/init.d/$d" ] || matches -x "$d" <<<"$provided" ||
            fail "init.d/$n depends on '$d', which no service of the overlay is or provides"
    done
done
# the order the Xen daemons need
grep -q 'need xen-dom0' "$ov/etc/init.d/xenstored" || fail "xenstored does not need xen-dom0"
# Domain-0 goes into the store once it answers, in xenstored's own start
grep -Eq '^	"\$dir"/bin/xen-init-dom0' "$ov/etc/init.d/xenstored" || fail "xenstored's start does not register Domain-0 (xen-init-dom0)"
grep -q 'need xenstored' "$ov/etc/init.d/xenconsoled" || fail "xenconsoled does not need xenstored"
for s in xenconsoled ssh syslog; do
    grep -q '^supervisor=supervise-daemon' "$ov/etc/init.d/$s" || fail "$s is not supervised"
done
# xenstored is not respawned (a new one knows no domain) but watched: its
# death is an alarm on the console
grep -q '^supervisor=' "$ov/etc/init.d/xenstored" && fail "xenstored is respawned by a supervisor"
grep -q '/sbin/xen-dom0-setup --pidfile "$pidfile" --ready "$socket" watch --' "$ov/etc/init.d/xenstored" ||
    fail "xenstored does not run under xen-dom0-setup's watcher, started once its socket answers"

# 3. runlevels
for rl in sysinit boot default; do
    [ -d "$ov/etc/runlevels/$rl" ] || { fail "no runlevel $rl"; continue; }
done
links=0
for l in "$ov"/etc/runlevels/*/*; do
    links=$((links + 1))
    [ -L "$l" ] || { fail "${l#$ov}: not a symlink"; continue; }
    t=$(readlink "$l")
    case "$t" in
        /etc/init.d/*) [ -x "$ov$t" ] || fail "${l#$ov} -> $t: no such executable script" ;;
        *) fail "${l#$ov} -> $t: not /etc/init.d/NAME" ;;
    esac
    [ "$(basename "$l")" = "$(basename "$t")" ] || fail "${l#$ov}: name differs from its script"
done
# sshd, the network, syslog and the guest storage (one look for its disk,
# a wait only where a USB disk can come late) start in "boot" beside the
# Xen daemons, which the prompt waits for (inittab, below: no disk is read
# once the dom0 is up), so sshd answers about when the login prompt comes
# (issue 12); the autostart guests are in "default", beside the getty.
for s in xen-dom0:sysinit xenstored:boot xenconsoled:boot syslog:boot ssh:boot network:boot \
         guest-storage:boot xendomains:default; do
    [ -L "$ov/etc/runlevels/${s#*:}/${s%%:*}" ] || fail "${s%%:*} is not in runlevel ${s#*:}"
done
[ $links -ge 8 ] || fail "only $links runlevel links"
# The login prompt comes after "boot" (inittab, below) and must not
# wait for DHCP: the network service leaves udhcpc to supervise-daemon in
# the foreground (-f: its start returns before any lease), sshd does not
# wait for the network, and OpenRC starts services side by side.
grep -q '^supervisor=supervise-daemon' "$ov/etc/init.d/network" || fail "network does not leave udhcpc to supervise-daemon"
grep -q 'command_args="-f ' "$ov/etc/init.d/network" || fail "network's udhcpc is not in the foreground of its supervisor"
sshdeps=$(bash -c 'provide() { :; }; keyword() { :; }; config() { :; }; before() { :; }
                   need() { echo "$@"; }; use() { echo "$@"; }; after() { echo "$@"; }; want() { echo "$@"; }
                   . "$1"; depend' _ "$ov/etc/init.d/ssh" | tr ' ' '\n')
matches -Ex 'net|network' <<<"$sshdeps" && fail "ssh waits for the network (its depend: $(echo $sshdeps))"
grep -qx 'rc_parallel="YES"' "$ov/etc/rc.conf" || fail "rc.conf does not start services in parallel"

# 4. inittab
it="$ov/etc/inittab"
grep -Eq '^hvc0::respawn:/sbin/getty( -L)? [0-9]+ hvc0( |$)' "$it" || fail "inittab: no respawning getty on hvc0"
grep -Eq '^[^#]*ttyS[0-9]' "$it" && fail "inittab: a getty on the UART (it belongs to Xen)"
grep -q '^::sysinit:/bin/hostname -F /etc/hostname$' "$it" || fail "inittab: no hostname -F /etc/hostname"
# OpenRC's sysinit step (/run, /run/openrc and its cache) by xen-dom0-setup,
# not `openrc sysinit`: that rescans every service for the dependency cache
# at each boot even when the image brings it (issue 12).
grep -q '^[^#]*openrc sysinit' "$it" && fail "inittab: openrc sysinit rescans every service at each boot"
# xen-dom0 (the drivers) before "boot", "boot" before "default": OpenRC
# orders a service only after those of its own runlevel.
# xen-dom0's start by xen-dom0-setup itself, right after OpenRC's sysinit
# step (its service's openrc-run and shell were seconds under emulation).
grep -q '^::sysinit:/sbin/openrc boot$' "$it" || fail "inittab: no openrc boot"
# "sysinit": the getty waits for the boot runlevel, the guest storage's
# disk probe among it (busybox init starts respawn actions after every
# sysinit and wait action is done); "default" (xendomains) runs beside the
# getty ("once"), after "boot".
grep -q '^::once:/sbin/openrc default$' "$it" || fail "inittab: no openrc default beside the getty"
grep -q '^[^#]*::wait:.*openrc default' "$it" && fail "inittab: the prompt waits for the default runlevel"
grep -q '^::shutdown:/sbin/openrc shutdown$' "$it" || fail "inittab: no openrc shutdown"
[ "$(grep -m1 '^::sysinit:' "$it")" = "::sysinit:/sbin/xen-dom0-setup early openrc xen-dom0" ] ||
    fail "inittab: xen-dom0-setup early openrc xen-dom0 is not the first sysinit action (xen-dom0 before the boot runlevel)"
while IFS= read -r line; do
    case "$line" in ''|'#'*) continue ;; esac
    [ "$(tr -cd ':' <<<"$line" | wc -c)" -ge 3 ] || fail "inittab: malformed line: $line"
done < "$it"

# 5. each overlay*.list describes exactly its data/overlay* directory
for d in overlay overlay-debian overlay-alpine; do
    dir="$src/data/$d" list="$src/data/$d.list"
    (cd "$dir" && find . -mindepth 1 | sed 's|^\.||' | sort) > "$tmp/tree"
    grep -v '^#' "$list" | grep -v '^$' | awk '{print $4}' | sort > "$tmp/list"
    diff "$tmp/tree" "$tmp/list" > "$tmp/diff" || { cat "$tmp/diff"; fail "$d.list and data/$d differ (above)"; }
    while read -r mode uid gid path; do
        case "$mode" in '#'*|'') continue ;; esac
        p="$dir$path"
        [ "$uid" = 0 ] && [ "$gid" = 0 ] || fail "$d.list: $path is not root:root"
        if [ -L "$p" ]; then
            [ "$mode" = - ] || fail "$d.list: symlink $path has mode $mode"
        elif [ -d "$p" ] || [ -x "$p" ]; then
            [ "$mode" = 0755 ] || fail "$d.list: $path has mode $mode, checkout says executable"
        elif [ -f "$p" ]; then
            [ "$mode" = 0644 ] || fail "$d.list: $path has mode $mode"
        fi
    done < "$list"
done

# 6. applets
al="$src/data/busybox-applets.txt"
grep -v '^#' "$al" | grep -v '^$' | grep -v '^/' && fail "busybox-applets.txt: relative path"
for need in /bin/sh /sbin/init /sbin/getty /bin/login /sbin/udhcpc /sbin/ip /usr/sbin/brctl \
            /sbin/syslogd /usr/bin/md5sum /usr/sbin/nologin /sbin/reboot /sbin/poweroff \
            /usr/bin/xargs /usr/bin/sort /bin/sleep /bin/hostname /usr/bin/logger /usr/bin/which \
            /sbin/findfs /bin/mount /bin/umount /usr/bin/timeout; do
    grep -qx "$need" "$al" || fail "busybox-applets.txt lacks $need"
done
"$busybox" --list-full | sed 's|^|/|' | sort > "$tmp/bb"
[ "$(wc -l < "$tmp/bb")" -gt 100 ] || fail "Debian's busybox lists only $(wc -l < "$tmp/bb") applets"
grep -v '^#' "$al" | grep -v '^$' | sort > "$tmp/al"
comm -23 "$tmp/al" "$tmp/bb" > "$tmp/missing"
if [ -s "$tmp/missing" ]; then
    cat "$tmp/missing"
    fail "busybox-applets.txt names the paths above, which are not applets of Debian's busybox"
fi

# 7. the udhcpc event script, with a fake `ip` that records its calls (run by
# the host's sh: Debian's busybox sh runs its own applets before PATH)
mkdir -p "$tmp/bin"
cat > "$tmp/bin/ip" <<'EOF'
#!/bin/sh
echo "ip $*" >> "$IPLOG"
[ "$1 $2 $3" = "-4 addr show" ] && [ -n "$FAKE_ADDR" ] && echo "    inet $FAKE_ADDR scope global"
[ "$1 $2" = "route del" ] && exit 2   # no default route yet
exit 0
EOF
printf '#!/bin/sh\nexit 0\n' > "$tmp/bin/logger"
chmod +x "$tmp/bin/ip" "$tmp/bin/logger"
script="$ov/etc/udhcpc/default.script"
[ -x "$script" ] || fail "udhcpc default.script is not executable"
runscript() {
    timeout 10 env -i PATH="$tmp/bin:/usr/bin:/bin" IPLOG="$tmp/iplog" RESOLV_CONF="$tmp/resolv.conf" \
        interface=eth0 ip=192.0.2.10 mask=24 broadcast=192.0.2.255 router="192.0.2.1 192.0.2.2" \
        dns="192.0.2.53 192.0.2.54" domain=example.test FAKE_ADDR="${FAKE_ADDR:-}" \
        sh "$script" "$1" || fail "udhcpc $1: the script exited $?"
}
: > "$tmp/iplog"
runscript bound
grep -q '^ip addr add 192.0.2.10/24 broadcast 192.0.2.255 dev eth0$' "$tmp/iplog" || fail "udhcpc bound: address not set"
grep -q '^ip route add default via 192.0.2.1 dev eth0$' "$tmp/iplog" || fail "udhcpc bound: no default route"
grep -q 'via 192.0.2.2' "$tmp/iplog" && fail "udhcpc bound: second router added although the first worked"
[ "$(cat "$tmp/resolv.conf" 2>/dev/null)" = "$(printf 'search example.test\nnameserver 192.0.2.53\nnameserver 192.0.2.54')" ] ||
    fail "udhcpc bound: resolv.conf is: $(cat "$tmp/resolv.conf" 2>/dev/null)"
: > "$tmp/iplog"
FAKE_ADDR=192.0.2.10/24 runscript renew
grep -q 'addr flush' "$tmp/iplog" && fail "udhcpc renew of the same address flushed it"
: > "$tmp/iplog"
runscript deconfig
grep -q '^ip -4 addr flush dev eth0$' "$tmp/iplog" || fail "udhcpc deconfig: address not flushed"

# 8. sshd_config: the settings, then Debian's sshd itself (-t)
cfg="$ov/etc/ssh/sshd_config"
for kv in "PermitRootLogin prohibit-password" "PasswordAuthentication no" \
          "KbdInteractiveAuthentication no" "UsePAM no" "PubkeyAuthentication yes"; do
    grep -qx "$kv" "$cfg" || fail "sshd_config lacks '$kv'"
done
"$sshd" -V 2>&1 | matches OpenSSH || fail "$sshd does not run here: $("$sshd" -V 2>&1 | head -n3)"
ssh-keygen -q -t ed25519 -N '' -C '' -f "$tmp/hostkey"
# sshd wants its privilege separation user and /run/sshd, as in the image
# (base and the sshd service make them); this host may have neither: lend
# them in a private mount namespace.
{ cat /etc/passwd; getent passwd sshd >/dev/null || echo 'sshd:x:100:65534::/run/sshd:/usr/sbin/nologin'; } > "$tmp/passwd"
in_ns() {  # config, sshd args...
    unshare -m sh -c 'mount --make-rprivate / && mount --bind "$1" /etc/passwd &&
                      mount -t tmpfs tmpfs /run && mkdir /run/sshd && shift && exec "$@"' \
        _ "$tmp/passwd" "$sshd" "$@"
}
before=$fails
if out=$(in_ns -T -f "$cfg" -h "$tmp/hostkey" 2>&1); then
    # -T prints the settings sshd will use (the first of repeated keywords wins)
    for kv in "permitrootlogin without-password" "passwordauthentication no" \
              "kbdinteractiveauthentication no" "usepam no" "pubkeyauthentication yes" \
              "permitemptypasswords no"; do
        grep -qx "$kv" <<<"$out" || fail "sshd -T: not '$kv'"
    done
    [ $fails -gt $before ] || echo "sshd -T accepts sshd_config"
else
    fail "sshd -T: $out"
fi
# and it rejects a bad one, or the check above proves nothing
{ cat "$cfg"; echo "NoSuchOption yes"; } > "$tmp/bad_config"
in_ns -t -f "$tmp/bad_config" -h "$tmp/hostkey" >/dev/null 2>&1 &&
    fail "sshd -t accepted an unknown option"

# 9. rc.conf says what this system is
grep -qx 'rc_sys="xen0"' "$ov/etc/rc.conf" || fail 'rc.conf: rc_sys is not "xen0"'
sh -n "$ov/etc/rc.conf" || fail "rc.conf: sh -n"
for f in "$ov"/etc/conf.d/*; do sh -n "$f" || fail "conf.d/$(basename "$f"): sh -n"; done

# 10. the Alpine dom0's files: data/overlay with data/overlay-alpine over
# it.  Its scripts parse; every runlevel link leads to a script of it, but
# xenconsoled, which is Alpine's xen package's own (test 79 builds an image
# with that package); sshd is named as Alpine's so that OpenRC has one
# sshd; xenstored runs the daemon and xen-init-dom0 at Alpine's paths, and
# none of Debian's (xen-dir, the xen-X.Y directories).
al="$tmp/overlay-alpine"
mkdir -p "$al"
cp -a "$src/data/overlay/." "$src/data/overlay-alpine/." "$al/"
for f in "$al"/etc/init.d/*; do
    n=$(basename "$f")
    [ "$(head -n1 "$f")" = "#!/sbin/openrc-run" ] || fail "alpine init.d/$n does not start with #!/sbin/openrc-run"
    sh -n "$f" || fail "alpine init.d/$n: sh -n"
    "$busybox" sh -n "$f" || fail "alpine init.d/$n: busybox sh -n"
done
for l in "$al"/etc/runlevels/*/*; do
    t=$(readlink "$l")
    [ -x "$al$t" ] || [ "$t" = /etc/init.d/xenconsoled ] || fail "alpine ${l#$al} -> $t: no such script"
done
for s in xen-dom0:sysinit xenstored:boot xenconsoled:boot sshd:boot network:boot syslog:boot \
         guest-storage:boot xendomains:default; do
    [ -L "$al/etc/runlevels/${s#*:}/${s%%:*}" ] || fail "alpine: ${s%%:*} is not in runlevel ${s#*:}"
done
[ ! -e "$al/etc/runlevels/boot/ssh" ] && [ ! -e "$al/etc/init.d/ssh" ] || fail "alpine: Debian's ssh service is there"
grep -q 'provide sshd' "$al/etc/init.d/sshd" && fail "alpine sshd provides its own name"
grep -q '^command=${XENSTORED:-/usr/sbin/xenstored}$' "$al/etc/init.d/xenstored" || fail "alpine xenstored: not /usr/sbin/xenstored"
grep -Eq '^	/usr/lib/xen/bin/xen-init-dom0( |$)' "$al/etc/init.d/xenstored" ||
    fail "alpine xenstored: Domain-0 is not registered by /usr/lib/xen/bin/xen-init-dom0"
grep -Eq 'xen-common|xen-dir|xen-4\.' "$al/etc/init.d/xenstored" && fail "alpine xenstored names Debian's paths"
[ ! -e "$al/etc/init.d/xenconsoled" ] || fail "alpine: the overlay replaces the xen package's xenconsoled"

if [ $fails -gt 0 ]; then
    echo "$fails problem(s)"
    exit 1
fi
echo "overlay consistent: ${#services[@]} services, $links runlevel links"
