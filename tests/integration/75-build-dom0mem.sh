#!/usr/bin/env bash
# dom0_mem sized for the host (issue 11): [Xen] Dom0Mem=auto with HostMemory=
# writes the computed dom0_mem=X,max:X into grub.cfg, room for the rootfs it
# was computed from, and `mkdom0 lint` passes it; a Dom0Mem= too small to
# unpack that rootfs, or a host too small for the dom0, is refused naming the
# sizes, and the output directory keeps the previous build.
set -euo pipefail
. "$MKDOM0_SRC/tests/lib.sh"
need gzip
work=$(mktemp -d /tmp/mkdom0-dom0mem.XXXXXX)
trap 'rm -rf "$work"' EXIT
out="$work/out"

printf '[Image]\nBase=default\n[Xen]\nDom0Mem=auto\nHostMemory=128G 16G\n' > "$work/auto.ini"
build_or_skip --keys "$MKDOM0_BUILD/test-keys" -o "$out" "$work/auto.ini" > "$work/auto.log"
cat "$work/auto.log"

# What the build said, and what it wrote.
said=$(sed -n 's/^dom0 memory: dom0_mem=\([0-9]*\)M,max:\1M (Dom0Mem=auto)$/\1/p' "$work/auto.log")
[ -n "$said" ] || fail "the build does not say which dom0_mem it computed"
grep -q "^[[:space:]]*multiboot2 /xen.gz .*dom0_mem=${said}M,max:${said}M " "$out/grub.cfg" \
    || fail "grub.cfg lacks the computed dom0_mem=${said}M,max:${said}M: $(grep multiboot2 "$out/grub.cfg")"
[ "$(grep -c 'dom0_mem=' "$out/grub.cfg")" = 1 ] || fail "grub.cfg has more than one dom0_mem="
grep -q "^  host 128G: max: keeps the struct pages at $(( (said + 63) / 64 )) MiB (without it Linux sizes them for all host RAM: 2048 MiB)" "$work/auto.log" \
    || fail "the build does not give the 128G host's struct pages with and without max:"
grep -q '^  host 16G: ' "$work/auto.log" || fail "the build says nothing of the 16G host"
grep -q '^  one value for all 2 hosts' "$work/auto.log" || fail "the build does not say why one value serves both hosts"

# Room for what the kernel holds at once while it unpacks: the archive, the
# rootfs unpacked, the kernel's own 128 MiB, and 1/64 of max: for struct pages.
unpacked=$(gzip -dc "$out/rootfs.cpio.gz" | wc -c)
packed=$(stat -c %s "$out/rootfs.cpio.gz")
awk -v x="$said" -v u="$unpacked" -v c="$packed" 'BEGIN {
    m = 1048576; need = 128 * m + u + c + x * m / 64
    exit !(x * m >= need + 256 * m / 2 && x % 128 == 0 && x <= 16384 - 1024) }' \
    || fail "dom0_mem=${said}M is not room for a ${unpacked}-byte rootfs (${packed} compressed) with a working set, in 128M steps, well inside 16G"
echo "computed dom0_mem=${said}M for a rootfs of $unpacked bytes ($packed gzip)"

# mkdom0 lint reads the result as Xen would (trap 4 included) and passes it.
"$MKDOM0" lint "$out/grub.cfg" "$out/rootfs.cpio.gz" > "$work/lint.log" 2>&1 \
    || { cat "$work/lint.log"; fail "mkdom0 lint refuses the computed grub.cfg"; }
echo "lint: $(tail -n1 "$work/lint.log")"

refused() {  # NAME EXPECTED-TEXT SPEC-BODY: refused, and $out left as it was
    local name=$1 want=$2 rc=0 before
    before=$(cd "$out" && sha256sum grub.cfg rootfs.cpio.gz)
    printf '[Image]\nBase=default\n[Xen]\n%s\n' "$3" > "$work/$name.ini"
    "$MKDOM0" build --keys "$MKDOM0_BUILD/test-keys" -o "$out" "$work/$name.ini" > "$work/$name.log" 2>&1 || rc=$?
    if [ $rc != 1 ] || ! grep -qF -- "$want" "$work/$name.log"; then
        cat "$work/$name.log"
        [ $rc != 1 ] || skip_if_offline "$work/$name.log"
        fail "$name: exit $rc (expected 1) or no '$want' in the error"
    fi
    [ "$(cd "$out" && sha256sum grub.cfg rootfs.cpio.gz)" = "$before" ] \
        || fail "$name: the refused build changed $out"
    echo "$name: refused: $(grep -m1 -F -- "$want" "$work/$name.log")"
}

# Same rootfs (Dom0Mem does not change it): the message names its size.
mib=$(awk -v u="$unpacked" 'BEGIN { printf "%.1f", u / 1048576 }')
refused too-small "rootfs is $mib MiB unpacked" "Dom0Mem=160M"
grep -q "Dom0Mem=160M is too small for this image: .* needs at least [0-9]*M to unpack it" "$work/too-small.log" \
    || fail "the refusal does not give the minimum"
refused host-too-small "HostMemory=512M: dom0_mem=${said}M leaves the host less than Xen's own reserve" \
    "Dom0Mem=auto
HostMemory=128G 512M"
