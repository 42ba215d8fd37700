#!/usr/bin/env bash
# Boot timing: the default image (OpenRC, sshd, the Xen services, and the
# guest bridge xenbr0 carrying the first NIC, DHCP on the bridge) beside a
# minimal image of the same packages minus OpenRC (busybox init runs
# xen-dom0-setup, xenstored, xenconsoled, udhcpc on the NIC itself (no
# bridge) and sshd from one script),
# both built by `mkdom0 build` and booted one after the other in this run
# with `mkdom0 boot --check` under QEMU TCG.  Seconds since QEMU start.
#
# usage: bench/boot-timing.sh [BUILD] [PATH]   (PATH: multiboot (default), iso, uefi)
# BOOT_BENCH_FULL=1 also runs the guests and the reset (slower).
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
cat /sys/bus/*/devices/*/modalias 2>/dev/null | sort -u | xargs modprobe -q -a -b
ip link set lo up
sleep 1
for d in /sys/class/net/*; do
    n=${d##*/}
    [ "$n" = lo ] || [ ! -e "$d/device" ] && continue
    ip link set "$n" up
    udhcpc -b -S -i "$n" -s /etc/udhcpc/default.script -t 5 -T 3 -A 10
    break
done
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
EOF

keys="$work/keys"
echo "building the default and the minimal image..."
"$MKDOM0" build --keys "$keys" -o "$work/default" > "$work/build-default.log" 2>&1 \
    || { tail -20 "$work/build-default.log"; exit 1; }
"$MKDOM0" build --keys "$keys" -o "$work/minimal" "$work/minimal.ini" > "$work/build-minimal.log" 2>&1 \
    || { tail -20 "$work/build-minimal.log"; exit 1; }

extra=(--no-guests --no-reset --no-services)
[ -n "${BOOT_BENCH_FULL:-}" ] && extra=()
failed=()
for img in default minimal; do
    echo "booting $img via $path (QEMU TCG)..."
    more=()
    # Nothing supervises the minimal image's daemons: no restart to prove.
    [ $img = minimal ] && [ -n "${BOOT_BENCH_FULL:-}" ] && more=(--no-services)
    if ! "$MKDOM0" boot --check --path "$path" "${extra[@]}" "${more[@]}" \
            --timings "$work/$img.tsv" --log "$work/$img.console" \
            "$work/$img" > "$work/$img.log" 2>&1; then
        tail -25 "$work/$img.log"
        echo "($img: boot --check failed; partial timings below)"
        failed+=("$img")
    fi
done

size() { stat -c %s "$work/$1/$(awk -F= '$1 == "Rootfs" { print $2 }' "$work/$1/image.ini")"; }
printf '\nboot timing via %s, seconds since QEMU start (TCG; load %s)\n\n' "$path" \
    "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-20s %10s %10s\n' "" "default" "minimal"
printf '%-20s %10s %10s\n' "rootfs bytes" "$(size default)" "$(size minimal)"
# The bridge as the dom0 made it (its network service's console line).
bridge() { tr -d '\r' < "$work/$1.console" 2>/dev/null |
           sed -n 's/.* on \([A-Za-z0-9_.-]*\) (bridge with .*/\1/p' | head -n1; }
b1=$(bridge default) b2=$(bridge minimal)
printf '%-20s %10s %10s\n' "guest bridge" "${b1:-none}" "${b2:-none}"
for e in qemu:"QEMU start" xen:"Xen banner" linux:"dom0 kernel" init:"init" openrc:"OpenRC" \
         login:"login prompt" sshd:"sshd ready" xl_list:"xl list answered" \
         reboot_to_ssh:"reset to ssh"; do
    k=${e%%:*} label=${e#*:}
    a=$(awk -F'\t' -v k="$k" '$1 == k { print $2 }' "$work/default.tsv" 2>/dev/null)
    b=$(awk -F'\t' -v k="$k" '$1 == k { print $2 }' "$work/minimal.tsv" 2>/dev/null)
    [ -z "$a$b" ] && continue
    printf '%-20s %10s %10s\n' "$label" "${a:--}" "${b:--}"
done
[ ${#failed[@]} = 0 ] || { echo "boot --check failed for: ${failed[*]}" >&2; exit 1; }
