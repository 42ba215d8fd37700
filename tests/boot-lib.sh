# Helpers for the boot integration tests (sourced after nothing else).
. "$MKDOM0_SRC/tests/lib.sh"

# Timings TSV: each of the named events has a number, in increasing order.
check_timings() {  # file event...
    local f=$1 prev=0 v; shift
    for e in "$@"; do
        v=$(awk -F'\t' -v e="$e" '$1 == e { print $2 }' "$f")
        [[ $v =~ ^[0-9]+(\.[0-9]+)?$ ]] || fail "timing '$e' missing in $f: '$v'"
        awk -v a="$prev" -v b="$v" 'BEGIN { exit !(b + 0 >= a + 0) }' || fail "timing '$e' ($v s) before the previous event ($prev s)"
        prev=$v
    done
}

# The --check's own failure message (up to 40 lines), repeated last so that
# a log shortened in its middle (CI's report keeps the head and the tail)
# still says which check failed and what the guest or dom0 said.
check_failure() {  # check-log
    sed -n '/FAIL: /,$p' "$1" | head -40
}

# Boot the default image via PATH with --check and verify every step's line.
# With --no-storage the VM gets no guest storage disk, and the dom0's
# console must say so; else the storage, autostart and lifecycle rows.
# Other options (--dom0-mem SIZE) go to `mkdom0 boot` as they are.
boot_check() {  # path [--no-storage] [mkdom0 boot options...]
    # default_image skips only when the archive is out of reach and the cache
    # cannot serve; any other build failure (a missing or crashing mkdom0
    # too) fails the test.
    local dir
    dir=$(default_image)
    boot_check_dir "$dir" "$@"
}

# boot_check for the image in DIR; the console log is kept as $out/console.log,
# the --check output as $out/check.log.
boot_check_dir() {  # dir path [--no-storage] [mkdom0 boot options...]
    local dir=$1 path=$2 storage= do_reset=yes a
    shift 2
    [ "${1:-}" = --no-storage ] && storage=--no-storage
    # --no-reset (passed on to mkdom0 boot): no second boot, so no
    # statelessness or storage-after-reset rows
    for a in "$@"; do [ "$a" = --no-reset ] && do_reset=; done
    # Global: the EXIT trap runs after this function has returned; it
    # removes the caller's $work too (the trap it replaces).
    out=$(mktemp -d /tmp/mkdom0-boot-test.XXXXXX)
    trap 'rm -rf "$out" ${work:+"$work"}' EXIT
    "$MKDOM0" boot --check --path "$path" "$@" --timings "$out/t.tsv" --log "$out/console.log" \
        "$dir" > "$out/check.log" 2>&1 \
        || { tail -30 "$out/console.log"; cat "$out/check.log"
             fail "boot --check of $dir via $path failed: $(check_failure "$out/check.log")"; }
    cat "$out/check.log"
    local want=(
        "^ok   Xen banner"
        "^ok   dom0 kernel"
        "^ok   login prompt on hvc0"
        "^ok   sshd answers"
        "^ok   xl list: Domain-0"
        "^ok   xl info virt_caps:.* hvm( |$)"
        "^ok   xl info virt_caps:.* hap( |$)"
        "^ok   xl info virt_caps:.* hvm_directio( |$)"
        "^ok   dom0 memory +[0-9.]+ s  \(after boot: [0-9]+ MiB used, [0-9]+ MiB free of [0-9]+; "
        "^ok   dom0 memory +[0-9.]+ s  \(after the guests: [0-9]+ MiB used, [0-9]+ MiB free of [0-9]+; "
        "^ok   PV   guest: MKDOM0-GUEST-PV-OK"
        "^ok   PVH  guest: MKDOM0-GUEST-PVH-OK"
        "^ok   xl reboot: domain [0-9]+ restarted as [0-9]+, then xl shutdown ended it"
        "^ok   I/O  guest: PV, vif on xenbr0, xvda a file on a loop device, xvdb phy:/dev/loop[0-9]+ "
        "^ok   guest -> dom0 ping "
        "^ok   dom0 -> guest ping "
        "^ok   guest read dom0's disk marker "
        "^ok   dom0 read guest's disk marker "
        "^ok   phy: disk read back .*vbd detached, loop freed"
        "^ok   vifs, loop devices gone "
        "^n/a  HVM  guest: the image has no device model \\(\\[Xen\\] HVM=no\\)"
        "^ok   xenconsoled restarted +[0-9.]+ s  \([0-9.]+ s after kill -9; pid [0-9]+ -> [0-9]+"
        "^ok   sshd restarted +[0-9.]+ s  \(answers [0-9.]+ s after kill -9 of the listener"
        "^ok   xenstored death alarm +[0-9.]+ s  \(on hvc0 at most [0-9.]+ s after kill -9; not respawned"
        "^PASS: "
    )
    [ -n "$do_reset" ] && want+=("^ok   stateless: /root/stateless-probe gone after system_reset")
    if [ "$storage" = --no-storage ]; then
        want+=("^ok   no guest storage disk: the dom0 runs on; console: Guest storage LABEL=xenguests: no disk has it")
    else
        want+=(
            "^ok   guest storage LABEL=xenguests mounted at /var/lib/xen/storage at boot \(/dev/vd[a-z] ext4\)"
            "^ok   autostart guest up: mkdom0-auto from the storage's auto/, no command; wrote its disk on the storage"
            "^ok   host shutdown path: rc-service xendomains stop shut mkdom0-auto down by xl shutdown, no destroy"
        )
        [ -n "$do_reset" ] && want+=(
            "^ok   guest storage LABEL=xenguests mounted at /var/lib/xen/storage after the reset"
            "^ok   guest data kept across the reset: mkdom0-auto, autostarted again, read what it wrote before \(mkdom0-guest-wrote-"
        )
    fi
    if [ "$path" = multiboot ] || [ "$path" = pxe ]; then
        want+=("^n/a  boot medium reads: $path has no disk")
    else
        want+=("^ok   boot medium not read after the login prompt \(rd_operations [1-9]")
    fi
    for w in "${want[@]}"; do
        grep -Eq "$w" "$out/check.log" || fail "no line matching '$w' in the --check output"
    done
    # xenstored dies last: the steps after it need no toolstack
    local dead reset
    dead=$(grep -n '^ok   xenstored death alarm' "$out/check.log" | cut -d: -f1)
    # without a reset, up to the end
    reset=$(grep -n '^ok   stateless:' "$out/check.log" | cut -d: -f1) || reset='$'
    grep -n '^ok   ' "$out/check.log" | sed -n "/^$dead:/,/^$reset:/p" | matches -Ev \
        '^[0-9]+:ok   (xenstored death|boot medium|stateless)' && fail "a check ran after xenstored's death"
    check_timings "$out/t.tsv" xen linux init login sshd xl_list
}

# The quick proof of one boot of the image in DIR: boot --check without the
# guests, daemon kills or storage disk (past the loader the dom0 is the same
# on every path; the full check, guests and services, runs once for each
# way Xen is entered: multiboot2 from GRUB under BIOS in test 50, under
# UEFI in 56, Xen's own EFI loader in 58; QEMU's and iPXE's multiboot v1
# runs guests in 53), and the lines every boot must show: Xen, the login prompt, sshd,
# xl list, the boot medium left alone after the login prompt (n/a for pxe
# and multiboot, which have no disk), PASS, and each ERE of --want.  With
# --reset the path is also booted a second time through its firmware and
# loader by system_reset, and the host must come back stateless; without
# it there is no reset.  The output is LOGDIR/NAME.log, the console
# LOGDIR/NAME-console.log; the time it took is printed.
boot_quick() {  # dir logdir name [--reset] [--want ERE]... mkdom0-boot-options...
    local dir=$1 logdir=$2 name=$3 t0 path=multiboot a prev= reset=--no-reset
    shift 3
    local want=("^ok   Xen banner" "^ok   login prompt on hvc0" "^ok   sshd answers"
                "^ok   xl list: Domain-0" "^PASS: ")
    if [ "${1:-}" = --reset ]; then
        reset= want+=("^ok   stateless: /root/stateless-probe gone after system_reset")
        shift
    fi
    while [ "${1:-}" = --want ]; do want+=("$2"); shift 2; done
    for a in "$@"; do [ "$prev" = --path ] && path=$a; prev=$a; done
    case $path in
        pxe|multiboot) want+=("^n/a  boot medium reads: $path has no disk") ;;
        *) want+=("^ok   boot medium not read after the login prompt") ;;
    esac
    t0=$(date +%s)
    "$MKDOM0" boot --check "$@" --no-guests $reset --no-services --no-storage \
        --log "$logdir/$name-console.log" "$dir" > "$logdir/$name.log" 2>&1 ||
        { tail -30 "$logdir/$name-console.log"; cat "$logdir/$name.log"
          fail "boot --check $* failed: $(check_failure "$logdir/$name.log")"; }
    cat "$logdir/$name.log"
    for a in "${want[@]}"; do
        grep -Eq "$a" "$logdir/$name.log" || fail "no line matching '$a' in the $name --check output"
    done
    echo "$name --check: $(( $(date +%s) - t0 )) s"
}
