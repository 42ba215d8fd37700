#!/usr/bin/env bash
# Boot timing: the default image (OpenRC, sshd, the Xen services, and the
# guest bridge xenbr0 carrying the first NIC, DHCP on the bridge) beside a
# minimal image of the same packages minus OpenRC, bash and the guest
# storage (busybox init runs xen-dom0-setup, xenstored, xenconsoled,
# udhcpc on the NIC itself (no bridge), in the background as the default's
# network service does, and sshd from one script, then the getty),
# both built by `mkdom0 build` and booted one after the other in this run
# with `mkdom0 boot --check` under QEMU TCG.  Seconds since QEMU start; the
# last column is default / minimal (issue 12: login within 1.3x, sshd
# within 3 s of the login prompt).
#
# usage: bench/boot-timing.sh [BUILD] [PATH]   (PATH: multiboot (default), iso, uefi)
# BOOT_BENCH_FULL=1 also runs the guests and the reset (slower).
# BOOT_LOCK=FILE holds `flock FILE` over both boots, so that other jobs'
# boots on a shared machine wait (two TCG boots at once slow both and make
# libxl's 40 s hotplug timeout fire) and the two boots run back to back,
# under the same conditions.
# BOOT_BENCH_KEEP=DIR keeps the console logs, --check outputs and timings there.
# BOOT_BENCH_TRACE=1 also records, for each boot, every console line with
# the second it arrived (IMG.console-times, seconds since `mkdom0 boot`
# started) and the NIC's packets (IMG.pcap, QEMU's filter-dump on the user
# network; IMG.net: its DHCP, ARP and ssh packets by bench/net-events.py,
# on the same clock as the console lines), to see when the lease lands and when sshd
# first answers against what the console says (keep them with BOOT_BENCH_KEEP).
set -euo pipefail
SRC=$(cd "$(dirname "$0")/.." && pwd)
MKDOM0="$SRC/${1:-build}/mkdom0"
path=${2:-multiboot}
[ -x "$MKDOM0" ] || { echo "build first: make" >&2; exit 1; }
work=$(mktemp -d /tmp/mkdom0-boot-bench.XXXXXX); trap 'rm -rf "$work"' EXIT

# The minimal image: the default spec without OpenRC, and an overlay whose
# inittab does everything from one shell script.
mkdir -p "$work/minimal-overlay/etc"
cat > "$work/minimal-overlay/etc/inittab" <<'EOF'
# mkdom0 bench: a dom0 without OpenRC.
::sysinit:/sbin/xen-dom0-setup all
::sysinit:/etc/minimal.rc
hvc0::respawn:/sbin/getty -L 115200 hvc0 vt100
::ctrlaltdel:/sbin/reboot
EOF
cat > "$work/minimal-overlay/etc/minimal.rc" <<'EOF'
#!/bin/sh
# Everything OpenRC's services do in the default image, in sequence.
mkdir -p /run/lock /run/xenstored /run/xen /run/sshd /var/log/xen/console /var/lib/xen
[ -r /etc/hostname ] && hostname "$(cat /etc/hostname)"
xen=$(/usr/lib/xen-common/bin/xen-dir)
/usr/sbin/xenstored --pid-file=/run/xenstored.pid
"$xen"/bin/xen-init-dom0 >/dev/null
/usr/sbin/xenconsoled --pid-file=/run/xenconsoled.pid
# Twice, as the default's coldplug: the bus drivers of the first pass
# (virtio_pci) add devices (the entropy source) whose drivers the second loads.
for pass in 1 2; do
    cat /sys/bus/*/devices/*/modalias 2>/dev/null | sort -u | xargs modprobe -q -a -b
done
ip link set lo up
# The NIC's driver is in; its interface appears a moment later.
i=0
while [ $i -lt 50 ]; do
    nic=
    for d in /sys/class/net/*; do
        [ "${d##*/}" != lo ] && [ -e "$d/device" ] && { nic=${d##*/}; break; }
    done
    [ -n "$nic" ] && break
    i=$((i + 1))
    sleep 0.1
done
# DHCP in the background (-f: udhcpc itself never waits for the lease).
if [ -n "$nic" ]; then
    ip link set "$nic" up
    udhcpc -f -S -i "$nic" -s /etc/udhcpc/default.script -t 15 -T 1 -A 10 \
        < /dev/null > /dev/console 2>&1 &
fi
/usr/sbin/sshd
EOF
chmod 755 "$work/minimal-overlay/etc/minimal.rc"
cat > "$work/minimal.ini" <<EOF
[Image]
Base=default
Name=dom0-minimal

[Packages]
Include=
Include=xen-hypervisor-4.17-amd64 linux-image-amd64 busybox-static openssh-server
        xen-utils-4.17 xen-utils-common libxentoolcore1 kmod

[Files]
Overlay=$work/minimal-overlay

[Guests]
# No guest storage: nothing in this image would look for the disk.
Storage=
EOF

keys="$work/keys"
echo "building the default and the minimal image..."
"$MKDOM0" build --keys "$keys" -o "$work/default" > "$work/build-default.log" 2>&1 \
    || { tail -20 "$work/build-default.log"; exit 1; }
"$MKDOM0" build --keys "$keys" -o "$work/minimal" "$work/minimal.ini" > "$work/build-minimal.log" 2>&1 \
    || { tail -20 "$work/build-minimal.log"; exit 1; }

extra=(--no-guests --no-reset --no-services)
[ -n "${BOOT_BENCH_FULL:-}" ] && extra=()
if [ -n "${BOOT_LOCK:-}" ]; then
    echo "waiting for the boot lock $BOOT_LOCK..."
    exec {lockfd}>>"$BOOT_LOCK"
    flock "$lockfd"
fi
declare -A load=()
failed=()
if [ -n "${BOOT_BENCH_TRACE:-}" ]; then
    # QEMU with a packet dump of the user network (netdev n0, the NIC that
    # sshd's forwarded port is on): a wrapper first in PATH, the image and
    # mkdom0 unchanged.
    real_qemu=$(command -v qemu-system-x86_64)
    mkdir -p "$work/trace-bin"
    printf '#!/bin/sh\nexec "%s" "$@" -object filter-dump,id=benchdump,netdev=n0,file="$BENCH_PCAP"\n' \
        "$real_qemu" > "$work/trace-bin/qemu-system-x86_64"
    chmod 755 "$work/trace-bin/qemu-system-x86_64"
fi
# Each line of console log $1 (which mkdom0 boot recreates: tail -F) into
# $2 with the seconds since this call when it arrived; a line shows once
# its newline does.  Sets tailpid (ends the tracing), readpid and t0 (the
# start, seconds since the epoch, for the packet times).
trace_console() {
    t0=$EPOCHREALTIME
    local t0us=${t0/./} fifo=$2.fifo
    rm -f "$fifo" && mkfifo "$fifo"
    (while IFS= read -r line; do
         d=$(( ${EPOCHREALTIME/./} - t0us ))
         printf '%4d.%02d %s\n' $((d / 1000000)) $((d % 1000000 / 10000)) "$line"
     done < "$fifo" > "$2") &
    readpid=$!
    tail -F -s 0.05 -n +1 "$1" > "$fifo" 2>/dev/null &
    tailpid=$!
}
for img in default minimal; do
    echo "booting $img via $path (QEMU TCG)..."
    more=()
    # Nothing supervises the minimal image's daemons: no restart to prove.
    [ $img = minimal ] && [ -n "${BOOT_BENCH_FULL:-}" ] && more=(--no-services)
    [ -n "${BOOT_BENCH_TRACE:-}" ] && trace_console "$work/$img.console" "$work/$img.console-times"
    if ! BENCH_PCAP="$work/$img.pcap" PATH="${BOOT_BENCH_TRACE:+$work/trace-bin:}$PATH" \
            "$MKDOM0" boot --check --path "$path" "${extra[@]}" "${more[@]}" \
            --timings "$work/$img.tsv" --log "$work/$img.console" \
            "$work/$img" > "$work/$img.log" 2>&1; then
        tail -25 "$work/$img.log"
        echo "($img: boot --check failed; partial timings below)"
        failed+=("$img")
    fi
    if [ -n "${BOOT_BENCH_TRACE:-}" ]; then
        sleep 0.3
        kill "$tailpid" 2>/dev/null || true
        wait "$tailpid" "$readpid" 2>/dev/null || true
        rm -f "$work/$img.console-times.fifo"
        [ -s "$work/$img.pcap" ] && python3 "$SRC/bench/net-events.py" "$work/$img.pcap" "$t0" > "$work/$img.net"
    fi
    # The load while it booted: other jobs on the machine slow TCG.
    load[$img]=$(cut -d' ' -f1 /proc/loadavg)
done
[ -n "${BOOT_LOCK:-}" ] && exec {lockfd}>&-
if [ -n "${BOOT_BENCH_KEEP:-}" ]; then
    mkdir -p "$BOOT_BENCH_KEEP"
    cp "$work"/*.console "$work"/*.log "$work"/*.tsv "$BOOT_BENCH_KEEP"/ 2>/dev/null || true
    cp "$work"/*.console-times "$work"/*.pcap "$work"/*.net "$BOOT_BENCH_KEEP"/ 2>/dev/null || true
fi

size() { stat -c %s "$work/$1/$(awk -F= '$1 == "Rootfs" { print $2 }' "$work/$1/image.ini")"; }
t() { awk -F'\t' -v k="$2" '$1 == k && $2 != "-" { print $2 }' "$work/$1.tsv" 2>/dev/null; }
printf '\nboot timing via %s, seconds since QEMU start (TCG; 1-minute load after each boot: default %s, minimal %s)\n\n' \
    "$path" "${load[default]:-?}" "${load[minimal]:-?}"
printf '%-22s %10s %10s %8s\n' "" "default" "minimal" "ratio"
printf '%-22s %10s %10s\n' "rootfs bytes" "$(size default)" "$(size minimal)"
# The bridge as the dom0 made it (its network service's console line).
bridge() { tr -d '\r' < "$work/$1.console" 2>/dev/null |
           sed -n 's/.* on \([A-Za-z0-9_.-]*\) (bridge with .*/\1/p' | head -n1; }
b1=$(bridge default) b2=$(bridge minimal)
printf '%-22s %10s %10s\n' "guest bridge" "${b1:-none}" "${b2:-none}"
for e in qemu:"QEMU start" xen:"Xen banner" linux:"dom0 kernel" init:"init" openrc:"OpenRC" \
         login:"login prompt" sshd:"sshd answering" xl_list:"xl list answering" \
         reboot_to_ssh:"reset to ssh"; do
    k=${e%%:*} label=${e#*:}
    a=$(t default "$k") b=$(t minimal "$k")
    [ -z "$a$b" ] && continue
    r=
    case $k in login|sshd|xl_list)
        [ -n "$a" ] && [ -n "$b" ] && r=$(awk -v a="$a" -v b="$b" 'BEGIN { if (b > 0) printf "%.2fx", a / b }') ;;
    esac
    printf '%-22s %10s %10s %8s\n' "$label" "${a:--}" "${b:--}" "$r"
done
# From the login prompt to sshd answering: --check holds one connection to
# the forwarded port at a time (1 s, then longer) until one carries sshd's
# banner, then runs `ssh echo`; "answering" is when that returned, so a
# login's own second or so under TCG (far more on a loaded host) is in it.
gap() { awk -v l="$(t "$1" login)" -v s="$(t "$1" sshd)" 'BEGIN { if (l != "" && s != "") printf "%.1f", s - l }'; }
printf '%-22s %10s %10s\n' "sshd after the prompt" "$(gap default)" "$(gap minimal)"
[ ${#failed[@]} = 0 ] || { echo "boot --check failed for: ${failed[*]}" >&2; exit 1; }
