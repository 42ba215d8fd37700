#!/usr/bin/env bash
# slow
# One image, many hosts, as a user's PXE setup has it (#11): the build's
# netboot tree served by dnsmasq (DHCP and TFTP, the settings of
# netboot/README) on a test bridge inside a network namespace this test
# makes (no traffic leaves the machine), and two QEMU hosts with different
# MACs on that bridge, both from one build, booted at the same time:
#  - web1 (DHCP; dnsmasq hands it pxelinux.0, which reads
#    pxelinux.cfg/01-<its MAC> and boots Xen with mboot.c32), a server with
#    two ports: its first NIC (another MAC, on a network of its own with
#    its own DHCP) is not the one it boots from, and its network must be on
#    the NIC with its MAC all the same; and
#  - web2 (a static address; iPXE runs boot.ipxe, which picks its rootfs by
#    ${netX/mac}).
# GRUB's per-MAC config is booted by test 59-boot-pxe.
# Each comes up with its own host name, address and ssh host key, checked
# over ssh against the key the build made for it (image.ini's HostKey, as
# known_hosts with StrictHostKeyChecking=yes); each fetched its own rootfs
# over TFTP (dnsmasq's log), and both start with the same bytes: the
# image's rootfs, whose sha256 image.ini records.
# dnsmasq runs as its own user, as netboot/README sets it up: the output,
# which carries the hosts' ssh host private keys, is readable by no other
# user (trial 9d case 06), and dnsmasq reads it through the group that its
# setgid parent directory gives it.
set -euo pipefail
. "$MKDOM0_SRC/tests/boot-lib.sh"

if [ "${1:-}" != --in-netns ]; then
    need dnsmasq ip unshare ssh ssh-keyscan
    [ "$(id -u)" = 0 ] || fail "the fleet test makes a network namespace, a bridge and tap devices: run it as root"
    work=$(mktemp -d /tmp/mkdom0-fleet.XXXXXX)
    trap 'rm -rf "$work"' EXIT
    chmod 0711 "$work" # dnsmasq's user passes through to the TFTP root
    # netboot/README: build into a setgid directory of the server's group
    install -d -g nogroup -m 2750 "$work/tftp"
    install -d -o nobody -g nogroup -m 0700 "$work/dns" # its lease file and log
    printf '%s\n' '[Image]' 'Base=default' '' '[Xen]' 'Dom0Mem=1024M' '' '[Boot]' 'Media=netboot' '' \
        '[Host web1]' 'MAC=52:54:00:00:11:01' '' \
        '[Host web2]' 'MAC=52:54:00:00:11:02' 'Hostname=db.example.org' 'Address=192.0.2.12/24' \
        'Gateway=192.0.2.1' > "$work/fleet.ini"
    build_or_skip --keys "$work/keys" -o "$work/tftp/img" "$work/fleet.ini" > "$work/build.log"
    img=$work/tftp/img
    [ "$(stat -c %a:%G "$img")" = 2750:nogroup ] || fail "the output is $(stat -c %a:%G "$img"), not 2750 and its parent's group"
    for f in rootfs.cpio.gz netboot/rootfs.cpio.gz netboot/hosts/web1/rootfs.cpio.gz; do
        # another user (not of the group) cannot read the keys; the group can
        setpriv --reuid=54321 --regid=54321 --clear-groups head -c1 "$img/$f" >/dev/null 2>&1 &&
            fail "another user can read $img/$f, which holds ssh host private keys"
        setpriv --reuid=54321 --regid=nogroup --clear-groups head -c1 "$img/$f" >/dev/null ||
            fail "the output's group cannot read $img/$f"
    done
    # Everything else in a network namespace of its own: when it ends, its
    # bridge, taps and dnsmasq's sockets are gone.
    unshare --net --fork bash "$0" --in-netns "$work"
    exit $?
fi

work=$2
img=$work/tftp/img keys=$work/keys
pids=()
cleanup() {
    local p
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT
ip link set lo up
ip link add br0 type bridge
ip addr add 192.0.2.1/24 dev br0
ip link set br0 up
for t in tap1 tap2; do
    ip tuntap add "$t" mode tap
    ip link set "$t" master br0
    ip link set "$t" up
done

# netboot/README's dnsmasq settings, on the test bridge: iPXE clients
# (the NIC's ROM, DHCP option 175) get boot.ipxe, except web1, which this
# test sends to pxelinux (README's other BIOS loader) so that both lookups
# by MAC are used.
dnsmasq --keep-in-foreground --no-resolv --no-hosts --port=0 --user=nobody --group=nogroup \
    --interface=br0 --bind-interfaces --dhcp-range=192.0.2.100,192.0.2.150,255.255.255.0,1h \
    --dhcp-leasefile="$work/dns/leases" --enable-tftp --tftp-root="$img/netboot" \
    --dhcp-host=52:54:00:00:11:01,192.0.2.101,set:pxelinux --dhcp-match=set:ipxe,175 \
    --dhcp-boot=tag:pxelinux,pxelinux.0 --dhcp-boot=tag:!pxelinux,tag:ipxe,boot.ipxe \
    --log-dhcp --log-facility="$work/dns/dnsmasq.log" &
pids+=($!)

t0=$(date +%s)
for h in web1:tap1:--other-nic web2:tap2; do
    IFS=: read -r name tap more <<< "$h"
    "$MKDOM0" boot --path pxe --tap "$tap" --host "$name" $more "$img" < /dev/null \
        > "$work/$name.console" 2>&1 &
    pids+=($!)
done

# prove NAME HOSTNAME ADDRESS: over ssh, with the host's own key as the only
# known one, the dom0 at ADDRESS is HOSTNAME, has ADDRESS, runs Xen.
prove() {
    local name=$1 hostname=$2 addr=$3 deadline=$(( $(date +%s) + 900 ))
    local key; key=$(sed -n "/^\[Host $name\]/,/^\[/s/^HostKey=//p" "$img/image.ini")
    [ -n "$key" ] || fail "image.ini has no HostKey for $name"
    echo "$addr $key" > "$work/known_hosts.$name"
    local ssh=(ssh -F /dev/null -i "$keys/id_ed25519" -o BatchMode=yes -o ConnectTimeout=5
               -o StrictHostKeyChecking=yes -o UserKnownHostsFile="$work/known_hosts.$name"
               -o IdentitiesOnly=yes root@"$addr")
    # One connection for all (on a loaded machine a second one may time out
    # in the banner exchange): the host name, the addresses, the MACs of
    # the guests' bridge's ports, xl list.
    local cmd='hostname; ip -4 -o addr show; echo ==ports; for p in /sys/class/net/xenbr0/brif/*; do cat "/sys/class/net/${p##*/}/address"; done; echo ==xl; xl list'
    until out=$("${ssh[@]}" "$cmd" 2>&1); do
        if [ "$(date +%s)" -gt "$deadline" ]; then
            tail -30 "$work/$name.console"
            fail "$name: no ssh on $addr within 900 s with its own host key: $out"
        fi
        case $out in *"REMOTE HOST IDENTIFICATION HAS CHANGED"*|*"Host key verification failed"*)
            tail -30 "$work/$name.console"; fail "$name on $addr shows another host key: $out";; esac
        sleep 5
    done
    [ "$(echo "$out" | head -1)" = "$hostname" ] || fail "$name: host name '$(echo "$out" | head -1)', not $hostname"
    echo "$out" | matches "inet $addr/24 " || fail "$name: no $addr/24 on the dom0: $out"
    echo "$out" | sed -n '/^==xl$/,$p' | matches '^Domain-0 ' || fail "$name: xl list shows no Domain-0: $out"
    # The guests' bridge holds the NIC with the host's MAC, and only it.
    local mac ports; mac=$(sed -n "/^\[Host $name\]/,/^\[/s/^MAC=//p" "$img/image.ini")
    ports=$(echo "$out" | sed -n '/^==ports$/,/^==xl$/p' | sed '1d;$d')
    [ "$ports" = "$mac" ] || fail "$name: xenbr0 bridges the NIC(s) '$ports', not the host's $mac"
    ssh-keyscan -T 10 -t ed25519 "$addr" 2>/dev/null | matches -F "${key#* }" || fail "$name: ssh-keyscan shows another key"
    echo "ok   $name: $hostname at $addr on its NIC $mac (xenbr0), ssh host key $(ssh-keygen -lf "$work/known_hosts.$name" | cut -d' ' -f2), xl list: Domain-0 ($(( $(date +%s) - t0 )) s)"
}
prove web1 web1 192.0.2.101
prove web2 db.example.org 192.0.2.12

# Each host fetched its own rootfs over TFTP; both begin with the image's
# rootfs, byte for byte (image.ini's RootfsSHA256).
want=$(sed -n 's/^RootfsSHA256=//p' "$img/image.ini")
base=$(stat -c %s "$img/rootfs.cpio.gz")
# web1's pxelinux got the host's rootfs with an empty plain cpio in front
# (mboot/: mboot.c32 would gunzip a gzip module, first member only).
for h in web1:mboot/ web2:; do
    name=${h%%:*} dir=${h#*:}
    # (dnsmasq logs the path under its tftp-root, '//' where the client asked for '/x')
    matches "sent $img/netboot/*${dir}hosts/$name/rootfs.cpio.gz to " "$work/dns/dnsmasq.log" ||
        { grep -i tftp "$work/dns/dnsmasq.log" | tail; fail "dnsmasq did not send $name its rootfs"; }
    # (tail dies of SIGPIPE when head has its bytes)
    got=$({ tail -c +$(( ${dir:+512} + 1 )) "$img/netboot/${dir}hosts/$name/rootfs.cpio.gz" || true; } |
          head -c "$base" | sha256sum | cut -d' ' -f1)
    [ "$got" = "$want" ] || fail "$name's rootfs does not begin with the image's ($got, not $want)"
done
matches "sent $img/netboot/*pxelinux.0 to 192.0.2.101" "$work/dns/dnsmasq.log" || fail "web1 did not boot pxelinux.0"
matches "sent $img/netboot/*pxelinux.cfg/01-52-54-00-00-11-01 to 192.0.2.101" "$work/dns/dnsmasq.log" ||
    fail "web1's pxelinux did not read its config by MAC"
matches "sent $img/netboot/*mboot.c32 to 192.0.2.101" "$work/dns/dnsmasq.log" || fail "web1's pxelinux did not run mboot.c32"
# web1's dom0 is on the NIC with web1's MAC, its second (the first is
# QEMU's 52:54:00:12:34:57): the bridge has it, and DHCP gave it web1's address.
grep -q 'host web1 (52:54:00:00:11:01), behind a NIC 52:54:00:12:34:57' "$work/web1.console" ||
    fail "web1 was not booted with a NIC ahead of its own"
matches "sent $img/netboot/*boot.ipxe to " "$work/dns/dnsmasq.log" || fail "web2's iPXE did not run boot.ipxe"
matches "sent $img/netboot/*boot/grub/grub.cfg-01-52-54-00-00-11-02 " "$work/dns/dnsmasq.log" &&
    fail "web2 (iPXE) was sent a GRUB config"
echo "fleet: web1 (pxelinux, its second NIC) and web2 (iPXE) from one build, each its own identity; rootfs sha256 $want: $(( $(date +%s) - t0 )) s"
