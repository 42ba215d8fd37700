#!/usr/bin/env bash
# mkdom0 lint on a corpus of published boot configs in every format it reads
# (tests/data/lint/corpus, sources in its README): each file is recognised by
# its content, and gives exactly the findings in expected.txt (line, trap,
# severity, and whether it could be checked); files without a Xen entry exit
# 2.  Then the six failing lint inputs of issue 10, each with the finding a
# user looks for, and --json.
set -uo pipefail
MKDOM0=${MKDOM0:-$(cd "$(dirname "$0")/../.." && pwd)/build/mkdom0}
C=${MKDOM0_SRC:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/data/lint/corpus
T=$(mktemp -d /tmp/mkdom0-lint-corpus.XXXXXX)
trap 'rm -rf "$T"' EXIT
. "$(cd "$(dirname "$0")/.." && pwd)/lib.sh"
. "$(cd "$(dirname "$0")/.." && pwd)/lint-lib.sh"
need python3

echo "== every corpus file: its findings exactly as expected.txt says"
listed=$(grep -v '^#' "$C/expected.txt" | awk '{print $1}' | sort -u)
for f in $(cd "$C" && ls | grep -v -e '^README$' -e '^expected.txt$'); do
    echo "$listed" | matches -x -- "$f" || fail "$f has no line in expected.txt"
done
for f in $listed; do
    [ -f "$C/$f" ] || fail "expected.txt names $f, which is not in the corpus"
    "$MKDOM0" lint --json "$C/$f" >"$T/json" 2>"$T/err"
    rc=$?
    grep -q -i 'sanitizer\|segmentation' "$T/err" && { cat "$T/err"; fail "crash on $f"; }
    python3 - "$f" "$rc" "$T/json" "$C/expected.txt" <<'PY' || exit 1
import json, sys
name, rc, out, exp = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
want, mode = [], "findings"
for l in open(exp):
    w = l.split()
    if not w or w[0].startswith('#') or w[0] != name:
        continue
    if w[1] in ("clean", "no-entry"):
        mode = w[1]
    else:
        want.append((int(w[1]), int(w[2]), w[3], len(w) > 4 and w[4] == "unchecked"))
d = json.load(open(out))
# expected.txt writes 0 for a finding of no trap, which --json gives as null
assert all(x["trap"] is None or 1 <= x["trap"] <= 5 for x in d["findings"]), d["findings"]
got = [(x["line"], x["trap"] or 0, x["severity"], not x["checked"]) for x in d["findings"]]
fmt = d["inputs"][0]["format"] if d["inputs"] else "-"
if mode == "no-entry":
    # reported once: the input's error, counted once (trial10 case 10)
    ok = rc == 2 and "no Xen boot entry found" in (d["inputs"][0]["error"] or "") and \
        not any("no Xen boot entry" in x["message"] for x in d["findings"]) and \
        d["errors"] == 1 + sum(x["severity"] == "error" for x in d["findings"])
else:
    ok = sorted(got) == sorted(want)
    errs = any(s == "error" for _, _, s, _ in got) or any(u for *_, u in got)
    # a config alone: its rootfs traps are not checked, so no pass but 3
    ok = ok and rc == (1 if errs else 3) and (errs or d["not_checked"] >= 1)
print("  %-34s %-34s exit %d %s" % (name, fmt, rc, "ok" if ok else "MISMATCH"))
if not ok:
    print("    got ", sorted(got), "\n    want", sorted(want), "mode", mode)
    for x in d["findings"]:
        print("    ", x["line"], x["trap"], x["severity"], x["message"])
    sys.exit(1)
PY
done

echo "== formats are told by content, whatever the file is called"
for pair in "xen-ci-qubes.ipxe:iPXE script" "issue10-2.pxe:syslinux/pxelinux config" \
            "xen-efi-doc.cfg:Xen EFI xen.cfg" "BOOTX64.CFG:Xen EFI xen.cfg" \
            "centos5-menu.lst:GRUB legacy menu.lst" "alpine-default-grub:GRUB defaults" \
            "xen-ci-arm64-grub.cfg:GRUB 2 config"; do
    f=${pair%%:*}
    cp "$C/$f" "$T/config"
    "$MKDOM0" lint "$T/config" >"$T/out" 2>&1
    has "config: read as ${pair#*:}"
done

echo "== /etc/default/grub doubling X=\"\$X \$X\" 60 times: 'cannot check' in seconds, not 2^60 bytes (trial10b case 12)"
{ echo 'GRUB_CMDLINE_XEN="dom0_mem=1G,max:1G"'
  for i in $(seq 60); do echo 'GRUB_CMDLINE_XEN="$GRUB_CMDLINE_XEN $GRUB_CMDLINE_XEN"'; done; } >"$T/doubling"
rc=0; memcap 500000 timeout 20 "$MKDOM0" lint "$T/doubling" >"$T/out" 2>&1 || rc=$?
[ "$rc" = 1 ] || { cat "$T/out"; fail "60 doublings: exit $rc, want 1 (cannot check) within 20 s and 500 MB"; }
has "doubling:61: warning: [boot] cannot check line 61 (the Xen line) fully: it uses \$GRUB_CMDLINE_XEN"

echo "== issue 10, input 1: iPXE (Xen's CI): trap 4 on the kernel line, also with --boot/--grub"
run 1 "$C/issue10-1.ipxe"
has "issue10-1.ipxe:2: error: [trap4] dom0_mem=4G has no max:"
has "use dom0_mem=4G,max:4G"
run 1 --grub "$C/issue10-1.ipxe"
has "read as iPXE script"
has "issue10-1.ipxe:2: error: [trap4]"

echo "== input 2: pxelinux mboot.c32: Xen and dom0 arguments split at ---"
run 3 "$C/issue10-2.pxe"
has "issue10-2.pxe:4: warning: [trap1] label 'xen': console=tty0 comes after console=hvc0"
hasnt "has no max:"
hasnt "no dom0_mem"

echo "== input 3: xen.cfg: both dom0_mem= words applied (min: then max:)"
run 3 "$C/issue10-3-xen.cfg"
has "read as Xen EFI xen.cfg"
has "issue10-3-xen.cfg:5: warning: [trap4] section 'host': dom0_mem=min:1024M dom0_mem=max:4096M has max: but no amount"
has "use dom0_mem=4096M,max:4096M"

# 'default = good': no default= to Xen, which boots the file's first
# kernel= and options= (grub10 4: said nowhere)
run 1 "$C/grub10-04-xencfg-default-spaced.cfg"
has "grub10-04-xencfg-default-spaced.cfg:2: error: [boot] section 'global': line 2 ('default = good') is ignored by Xen: the space before '='"
has "Xen has no default= and boots the first kernel= of the whole file (line 6) with its first options= (options= of line 5)"
has "not section [good]; write it as default=good"
has "grub10-04-xencfg-default-spaced.cfg:5: error: [trap4] dom0_mem=4G has no max:"

echo "== input 4: grub.d/xen.cfg: a parameter glued into dom0_mem's value: Xen still ends with 10794M,max:10794M, so a warning (trial10 case 5)"
run 1 "$C/issue10-4-grub.d-xen.cfg"
has "issue10-4-grub.d-xen.cfg:1: warning: [trap4] dom0_mem=10794M,max:10794M,max_loops=255: 'max_loops=255'"
has "Xen applies '10794M,max:10794M' and drops 'max_loops=255', which still leaves an amount and max: ('max_loops=255' changes nothing)"
has "use dom0_mem=10794M,max:10794M max_loops=255"

echo "== trial10g 13: a space after dom0_mem's comma: Xen keeps the amount, 'max:' is an option of its own; severity by what Xen keeps"
run 1 "$C/trial10g-b16-space-after-comma-unquoted.cfg"
has "Xen applies '4096M' and drops '', so Xen has no max:"
has "'max:4096M' is a word of its own, after a space: Xen reads it as an option named 'max:4096M'"
run 3 "$C/trial10g-m26-trailing-min-empty.cfg"
has "drops 'min:', which still leaves an amount and max:"

echo "== trial10g 9: Xen keeps 127 bytes of an option word (MAX_PARAM_SIZE): a max: past them is lost"
run 1 "$C/trial10g-m18-long-opt.cfg"
has "the word dom0_mem=... is 141 bytes long"
has "'001M,max:4096M' never reaches dom0_mem"

echo "== trial10g 5: iPXE has no --nounzip: 'Unrecognised option', the command fails"
run 1 "$C/trial10g-i09-nounzip-option.ipxe"
has "trial10g-i09-nounzip-option.ipxe:4: error: [boot] iPXE's 'module' has no option '--nounzip'"

echo "== input 5: 4096MB: the size parser stops at B, max: is lost with it"
run 1 "$C/issue10-5-grub.cfg"
has "issue10-5-grub.cfg:2: error: [trap4]"
has "Xen reads '4096M' and stops at 'B'"
has "use dom0_mem=4096M,max:4096M"

echo "== input 6: dom0_mem=4096M dom0_mem=max:4096M: Xen applies both"
run 3 "$C/issue10-6-grub.cfg"
hasnt "no amount"
hasnt "trap4"

echo "== fixes keep the user's amount, never a fixed 4096M"
printf 'multiboot2 /xen.gz dom0_mem=12G gnttab_max_frames=256\nmodule2 /vmlinuz console=ttyS0,115200 console=hvc0\nmodule2 --nounzip /r.gz\n' >"$T/own.cfg"
run 1 "$T/own.cfg"
has "use dom0_mem=12G,max:12G"
hasnt "4096M"
sed 's/dom0_mem=12G/dom0_mem=12GiB,max:12GiB/' "$T/own.cfg" >"$T/own2.cfg"
run 1 "$T/own2.cfg"
has "use dom0_mem=12G,max:12G"

echo "== never a silent pass: no Xen entry is exit 2; unknown values are 'cannot check', exit 1"
run 2 "$C/trial10g-08-debian12-default-grub"
has "no Xen boot entry found"
# Debian 12's stock grub.d/xen.cfg (xen-hypervisor-common), alone and with
# the stock /etc/default/grub: update-grub's 20_linux_xen writes a Xen entry
# for every /boot/xen* whatever the variables, and this file makes it the
# default; none of them set: no dom0_mem (trial10g 8) with /etc/default/grub,
# which sets none either; alone, the file leaves them to files not read, so
# its Xen line cannot be checked, as its dom0 kernel line (trial10 case 8)
run 1 "$C/debian-grub.d-xen.cfg"
has "debian-grub.d-xen.cfg: warning: [trap4] cannot check the Xen line: this file does not set its parameters (GRUB_CMDLINE_XEN, GRUB_CMDLINE_XEN_DEFAULT); update-grub takes them from /etc/default/grub or another file of /etc/default/grub.d: lint them together"
has "debian-grub.d-xen.cfg: warning: [trap1] cannot check the dom0 kernel line: this file does not set its parameters (GRUB_CMDLINE_LINUX)"
has "0 errors, 2 warnings, some lines could not be checked"
hasnt "no dom0_mem"
hasnt "gnttab_max_frames"
mkdir -p "$T/stock/grub.d"
cp "$C/trial10g-08-debian12-default-grub" "$T/stock/grub"
cp "$C/debian-grub.d-xen.cfg" "$T/stock/grub.d/xen.cfg"
run 1 "$T/stock"
has "sourced 2 of 2 as update-grub does"
has "stock/grub: error: [trap4] the Xen line has no dom0_mem"
has "stock/grub:9: warning: [trap1] the dom0 kernel line has no console="
run 2 "$C/trial10-10-json-error-count-no-entry.cfg"
[ "$(grep -c 'no Xen boot entry found' "$T/out")" = 1 ] || fail "no Xen boot entry reported more than once"
has "line 1 ('source /boot/grub/custom.cfg') reads another file"
hasnt "1 error"
printf 'menuentry "Linux" {\n linux /vmlinuz root=/dev/sda1\n initrd /initrd.img\n}\n' >"$T/linux.cfg"
run 2 "$T/linux.cfg"
has "no Xen boot entry found"
run 1 "$C/grubenv-vars.cfg"
has "grubenv-vars.cfg:4: warning: [boot] menuentry 'Xen': cannot check line 4"
has "some lines could not be checked"

echo "== a variable only in a file's path (trial10b case 10): the parameters are checked, the rootfs is named as unresolved"
printf 'menuentry X {\n multiboot2 ($root)/xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256\n module2 /vmlinuz console=ttyS0,115200 console=hvc0\n module2 --nounzip ${prefix}/rootfs.cpio.gz\n}\n' >"$T/varpath.cfg"
run 3 "$T/varpath.cfg"
hasnt "cannot check line"
has "the rootfs '\${prefix}/rootfs.cpio.gz' was not given and its path uses a variable lint cannot resolve"
sed 's/dom0_mem=4096M,max:4096M //' "$T/varpath.cfg" >"$T/varpath2.cfg"
run 1 "$T/varpath2.cfg"
has "varpath2.cfg:2: error: [trap4] menuentry 'X': the Xen line has no dom0_mem"

echo "== loader/module family mismatch is an error"
run 1 "$C/family-mismatch.cfg"
has "family-mismatch.cfg:4: error: [boot] menuentry 'Xen': module after multiboot2 (line 3)"
has "use module2"

echo "== --json: file, line, trap, severity, message, fix"
"$MKDOM0" lint --json "$C/issue10-5-grub.cfg" "$C/family-mismatch.cfg" >"$T/json" 2>/dev/null
[ $? = 1 ] || fail "--json: exit status"
python3 - "$T/json" <<'PY' || fail "--json output"
import json, sys
d = json.load(open(sys.argv[1]))
assert [i["format"] for i in d["inputs"]] == ["GRUB 2 config", "GRUB 2 config"], d["inputs"]
f = d["findings"]
assert f[0]["file"].endswith("issue10-5-grub.cfg") and f[0]["line"] == 2 and f[0]["trap"] == 4
assert f[0]["severity"] == "error" and f[0]["fix"] == "dom0_mem=4096M,max:4096M", f[0]
assert "stops at 'B'" in f[0]["message"]
# the whole line again, its parameters kept (trial 10: a fix that dropped
# console=hvc0 made trap 1)
assert any(x["fix"] == "module2 /boot/vmlinuz console=ttyS0,115200 console=hvc0" for x in f), f
assert d["errors"] == 2, d
PY
# linux/initrd after multiboot2: the fix is the line as module2 (grub10 2:
# it was null)
"$MKDOM0" lint --json "$C/grub10-02-linux-after-multiboot2.cfg" >"$T/json" 2>/dev/null
python3 - "$T/json" <<'PY' || fail "--json fix of linux/initrd after multiboot2"
import json, sys
f = {x["line"]: x for x in json.load(open(sys.argv[1]))["findings"] if x["severity"] == "error"}
assert f[5]["fix"] == "module2 --nounzip /boot/ucode.img; module2 --nounzip /boot/rootfs.cpio.gz", f
assert "initrd after multiboot2 (line 3)" in f[5]["message"], f
assert f[9]["fix"] == "module2 /boot/vmlinuz console=ttyS0,115200 console=hvc0 rdinit=/sbin/init", f
assert "linux after multiboot2 (line 8)" in f[9]["message"], f
PY
echo "== new-user trial: dom0_mem explained as Xen 4.17 reads it, fixes keep the user's amount"
run 1 "$C/trial-c-dom0-mem.cfg"
hasnt "MM"
hasnt "0M,max:0M"
hasnt "gives dom0 0 KiB"
has "trial-c-dom0-mem.cfg:2: error: [trap4] menuentry '16M: a unit, just too small': dom0_mem=16M,max:16M gives dom0 16384 KiB"
has "Xen takes an amount of 0 pages as not given"
has "so 010G is 8G to Xen"
has "'8' is no octal digit"
has "use dom0_mem=8G,max:8G"
has "size must come before"
hasnt "use dom0_mem=1G+10%,max:1G+10%"  # grows with host RAM: no fix (trial10 case 5)
has "use dom0_mem=4608M,max:4608M"
has "keeps the value modulo 2^64"
hasnt "Xen drops the whole value"
has "Xen refuses this dom0_mem= word and keeps what the dom0_mem= words before it set, which still leaves an amount and max:, and Xen warns of the refused item at boot; use dom0_mem=4G,max:4G"
# trial10f c18: a hex amount is the user's amount too (simple_strtoull base 0)
run 1 --json "$C/trial10f-c18-hex-amount.ipxe"
has '"fix": "dom0_mem=2048M,max:2048M"'
run 1 --json "$C/trial10f-c18-hex-forms.cfg"
has "menuentry 'hex, capital X': dom0_mem=0X800M has no max:"
has '"fix": "dom0_mem=2048M,max:2048M"'
has '"fix": "dom0_mem=2097152,max:2097152"'
has '"fix": "dom0_mem=1G,max:1G"'
has "dom0_mem=0x1BM gives dom0 27648 KiB"
run 1 "$C/trial-c-dom0mem-on-linux.cfg"
has "is on the dom0 kernel line (line 3), the wrong line"
has "move it to the Xen line as dom0_mem=2G,max:2G"

echo "== fixes in the syntax of the config's own format"
run 3 "$C/trial-c-legacy-nounzip.lst"
has "use 'modulenounzip /boot/initrd.img'"
hasnt "module --nounzip"
run 1 "$C/trial-c-ipxe-norootfs.ipxe"  # no rootfs, no root=: an error (trial10y H3)
has "add module /rootfs.cpio.gz"
hasnt "module2"

echo "== every dom0_mem, gnttab, rootfs-module and GRUB_CMDLINE_XEN fix of the corpus, applied, lints clean"
for f in $listed; do
    "$MKDOM0" lint --json "$C/$f" >"$T/json" 2>/dev/null
    python3 - "$C/$f" "$T/json" "$T" "$MKDOM0" <<'PY' || fail "a fix of $f does not lint clean"
import json, re, subprocess, sys
cfg, out, tmp, mkdom0 = sys.argv[1:5]
lines = open(cfg, encoding="latin-1").read().split("\n")
d = json.load(open(out))
n = 0
for x in d["findings"]:
    fix, ln = x["fix"], x["line"]
    if not fix or not ln or "wrong line" in x["message"]:
        continue
    if x["file"] != cfg and any(i["file"] == x["file"] and "chained by" in (i["format"] or "")
                                for i in d["inputs"]):
        continue  # the file a chain= names, followed: fixed in its own turn
    new = list(lines)
    l = new[ln - 1]
    anywhere = False  # a fix that adds a line moves the finding: look at every line
    # "no dom0_mem", or "cannot check dom0_mem" of a grub.d file alone (trial10y M4)
    recovery = lambda y: y["message"].startswith("recovery entries: ") and "dom0_mem" in y["message"]
    if fix.startswith("GRUB_CMDLINE_XEN="):
        # update-grub's recovery entries: GRUB_CMDLINE_XEN extended, or added after the line
        kind, anywhere = recovery, True
        if re.match(r'\s*(export\s+)?GRUB_CMDLINE_XEN=', l):
            new[ln - 1] = fix
        else:
            new.insert(ln, fix)
    elif fix.startswith("dom0_mem=") and " -- " in l and "after ' -- '" in x["message"]:
        # x86 Xen keeps only the words before " -- ": the fix goes there
        kind = lambda y: y["trap"] == 4 and "dom0_mem" in y["message"] and not recovery(y)
        head, tail = l.split(" -- ", 1)
        tail = " ".join(w for w in tail.split(" ") if not w.startswith("dom0_mem="))
        new[ln - 1] = head + " " + fix + " -- " + tail
    elif fix.startswith("dom0_mem=") and "first on the Xen line" in x["message"]:
        # past iPXE's 512-byte buffer: the fix goes right after the file name
        kind = lambda y: y["trap"] == 4 and "dom0_mem" in y["message"] and not recovery(y)
        w = [v for v in l.split(" ") if not v.startswith("dom0_mem=")]
        at = next(i for i, v in enumerate(w) if v and v not in ("kernel", "chain", "boot", "imgexec"))
        new[ln - 1] = " ".join(w[:at + 1] + [fix] + w[at + 1:])
    elif fix.startswith("dom0_mem=") and "without quotes or escaped spaces" in x["message"] and \
            re.search(r'"dom0_mem=[^"]*"|dom0_mem=(\\ |\S)*', l):
        # GRUB quotes an argument with a space (written in quotes or with
        # a backslash) and Xen reads no dom0_mem: the fix is its words apart
        kind = lambda y: y["trap"] == 4 and "dom0_mem" in y["message"] and not recovery(y)
        new[ln - 1] = re.sub(r'"dom0_mem=[^"]*"|dom0_mem=(\\ |\S)*', lambda m: fix, l, 1)
    elif fix.startswith("dom0_mem=") and cfg.endswith(".ipxe") and " ; " in l:
        # iPXE runs a line's commands in turn: the last one (imgargs) set
        # the Xen arguments Xen gets, so the fix goes into it
        kind = lambda y: y["trap"] == 4 and "dom0_mem" in y["message"] and not recovery(y)
        head, tail = l.rsplit(" ; ", 1)
        tail = " ".join(w for w in tail.split(" ") if not w.startswith("dom0_mem="))
        new[ln - 1] = head + " ; " + tail + " " + fix
    elif fix.startswith("dom0_mem=") and re.search(r'dom0[-_]mem=', l):
        kind = lambda y: y["trap"] == 4 and "dom0_mem" in y["message"] and not recovery(y)
        # a word GRUB reads with quotes in it (dom0_mem='1024M', trial10d 20)
        words = re.findall(r'dom0[-_]mem=(?:\'[^\']*\'|[^\s"\'])*', l)
        l = l.replace(words[0], "\x00", 1)
        for w in words[1:]:
            l = l.replace(" " + w, "", 1)
        new[ln - 1] = l.replace("\x00", fix)
    elif fix.startswith("gnttab_max_frames="):
        kind = lambda y: "gnttab_max_frames" in y["message"]
        if " -- " in l:  # Xen's own words end at " -- "
            new[ln - 1] = l.replace(" -- ", " " + fix + " -- ", 1)
        else:
            # after a dom0_mem word, not inside a quoted one (trial10g 10:
            # the dom0_mem fix takes the quotes away first)
            new[ln - 1] = re.sub(r'(?<!["\'])(dom0_mem=[^\s"\'#]*)', r'\1 ' + fix, l, 1) if "dom0_mem=" in l else l
            # update-extlinux settings are sh: more than one word needs quotes
            m = re.match(r'(\s*xen_opts=)([^"\'].*)$', new[ln - 1])
            if m and new[ln - 1] != l:
                new[ln - 1] = m.group(1) + '"' + m.group(2) + '"'
        if new[ln - 1] == l:
            continue
    elif re.match(r'(options|kernel|ramdisk)=', fix) and \
            ("is ignored by Xen" in x["message"] or "the tab after" in x["message"]):
        # xen.cfg: the line as Xen's get_value()/pre_parse() read it
        # (trial10b case 9): what was said of it, and what it lost, is gone
        kind = lambda y: "is ignored by Xen" in y["message"] or "the tab after" in y["message"] \
            or "no dom0_mem" in y["message"] or "no console=hvc0" in y["message"] \
            or "nothing to run" in y["message"]
        new[ln - 1] = re.match(r'\s*', l).group(0) + fix
    elif re.match(r'(modulenounzip|module2? --nounzip|xen_module --nounzip) ', fix):
        kind = lambda y: "nounzip" in y["message"]
        new[ln - 1] = re.match(r'\s*', l).group(0) + fix
    else:
        continue
    p = tmp + "/fixed"
    open(p, "w", encoding="latin-1").write("\n".join(new))
    r = subprocess.run([mkdom0, "lint", "--json", p], capture_output=True, text=True)
    again = [y for y in json.loads(r.stdout)["findings"] if (anywhere or y["line"] == ln) and kind(y)]
    if again:
        print("  %s:%d: fix '%s' gives: %s" % (cfg, ln, fix, again[0]["message"]))
        sys.exit(1)
    n += 1
if n:
    print("  %-34s %d fix(es) applied, clean" % (cfg.split("/")[-1], n))
PY
done

echo "== update-grub's recovery entries get GRUB_CMDLINE_XEN only (grub's 20_linux_xen)"
run 1 "$C/alpine-default-grub"
has "alpine-default-grub:1: error: [trap4] recovery entries: no dom0_mem"
has "builds the recovery (single-user) entries from GRUB_CMDLINE_XEN only, not GRUB_CMDLINE_XEN_DEFAULT"
has "dom0_mem=1024M,max:1024M (line 1)"
has 'add the line GRUB_CMDLINE_XEN="dom0_mem=1024M,max:1024M" after line 1'
# the fix, applied as it says, leaves no trap 4 error: the file is clean of errors
sed '1a GRUB_CMDLINE_XEN="dom0_mem=1024M,max:1024M"' "$C/alpine-default-grub" >"$T/alpine-fixed"
run 3 "$T/alpine-fixed"
hasnt "recovery entries"
hasnt "error:"
# GRUB_DISABLE_RECOVERY=true: update-grub writes no recovery entry; any other value does
{ cat "$C/alpine-default-grub"; echo 'GRUB_DISABLE_RECOVERY="true"'; } >"$T/norec"
run 3 "$T/norec"
hasnt "recovery entries"
{ cat "$C/alpine-default-grub"; echo 'GRUB_DISABLE_RECOVERY=yes'; } >"$T/norec-yes"
run 1 "$T/norec-yes"
has "recovery entries: no dom0_mem"
# GRUB_CMDLINE_XEN set without dom0_mem: the fix extends its own line, with the user's amount
printf 'GRUB_CMDLINE_XEN="iommu=1"\nGRUB_CMDLINE_XEN_DEFAULT="dom0_mem=6G,max:6G gnttab_max_frames=256"\nGRUB_CMDLINE_LINUX="console=ttyS0,115200 console=hvc0"\n' >"$T/xenset"
run 1 "$T/xenset"
has 'xenset:1: error: [trap4] recovery entries: no dom0_mem'
has 'make line 1 read GRUB_CMDLINE_XEN="iommu=1 dom0_mem=6G,max:6G"'
sed -i '1s/.*/GRUB_CMDLINE_XEN="iommu=1 dom0_mem=6G,max:6G"/' "$T/xenset"
run 3 "$T/xenset"
hasnt "error:"
# a dom0 kernel line the recovery entry changes is checked too ("single GRUB_CMDLINE_LINUX")
run 1 "$C/ubuntu-default-grub-replace"
has "ubuntu-default-grub-replace:5: warning: [trap1] recovery entries: the dom0 kernel line has no console="
# what the recovery entry shares with the normal one is said once
hasnt "recovery entries: no gnttab"

echo "== /etc/default/grub and grub.d/*.cfg together: one shell, in update-grub's order"
mkdir -p "$T/etc/default/grub.d"
printf 'GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX="console=ttyS0,115200 console=hvc0"\nGRUB_CMDLINE_XEN_DEFAULT="dom0_mem=1G"\nGRUB_CMDLINE_XEN="iommu=1"\n' >"$T/etc/default/grub"
cp "$C/debian-grub.d-xen-configured.cfg" "$T/etc/default/grub.d/xen.cfg"
# alone, each file misses what the other sets
run 1 "$T/etc/default/grub.d/xen.cfg"
has "cannot check line 8 (the Xen line) fully: it uses \$GRUB_CMDLINE_XEN"
# together (grub.d named first: update-grub still reads /etc/default/grub first);
# each finding names the file and line that set the value
run 1 "$T/etc/default/grub.d/xen.cfg" "$T/etc/default/grub"
has "etc/default/grub: read as GRUB defaults (/etc/default/grub), sourced 1 of 2 as update-grub does"
has "etc/default/grub.d/xen.cfg: read as GRUB defaults (/etc/default/grub), sourced 2 of 2"
hasnt "cannot check"
hasnt "has no max:" # grub's dom0_mem=1G is overridden by xen.cfg's 2048M,max:2048M
has "etc/default/grub.d/xen.cfg:9: error: [trap4] recovery entries: no dom0_mem"
has "dom0_mem=2048M,max:2048M ($T/etc/default/grub.d/xen.cfg:8)"
has 'make line 9 read GRUB_CMDLINE_XEN="$GRUB_CMDLINE_XEN gnttab_max_frames=256 dom0_mem=2048M,max:2048M"'
grep -c "error:\|warning:" "$T/out" | matches -x 1 || fail "combined GRUB defaults: more than the recovery finding"
sed -i '9s/.*/GRUB_CMDLINE_XEN="$GRUB_CMDLINE_XEN gnttab_max_frames=256 dom0_mem=2048M,max:2048M"/' "$T/etc/default/grub.d/xen.cfg"
# a value of /etc/default/grub is named there; a later grub.d file overrides an earlier one
sed -i '2s/.*/GRUB_CMDLINE_LINUX="console=ttyS0,115200"/' "$T/etc/default/grub"
printf 'GRUB_CMDLINE_XEN_DEFAULT="dom0_mem=3G"\n' >"$T/etc/default/grub.d/a.cfg"
run 1 "$T/etc/default/grub" "$T/etc/default/grub.d/xen.cfg" "$T/etc/default/grub.d/a.cfg"
has "etc/default/grub:2: error: [trap1] the dom0 kernel line has console=ttyS0,115200 but no console=hvc0"
hasnt "dom0_mem=3G" # a.cfg comes before xen.cfg in glob order: xen.cfg's value wins
hasnt "[trap4]"
# the directory they lie in (as /etc/default) is read the same way
"$MKDOM0" lint "$T/etc/default" >"$T/out" 2>&1
[ $? = 1 ] || fail "lint of a directory of GRUB defaults: exit status"
has "sourced 3 of 3 as update-grub does"
has "etc/default/grub:2: error: [trap1]"
sed -i '2s/.*/GRUB_CMDLINE_LINUX="console=ttyS0,115200 console=hvc0"/' "$T/etc/default/grub"
run 3 "$T/etc/default"
hasnt "error:"

echo "== xen.cfg whose last line has no newline: Xen says it ignores the line"
run 1 "$C/trial-r-xencfg-no-newline.cfg"
has "trial-r-xencfg-no-newline.cfg:6: error: [trap4] line 6 ('options=dom0_mem=2G,max:2G gnttab_max_frames=256') has no newline after it"
has "section 'xen' loses its Xen options: no dom0_mem, so dom0 starts with nearly all host RAM"
has "some lines could not be checked"
hasnt "add dom0_mem=4096M" # the user's line is read as written, not replaced by a reference size
printf '\n' | cat "$C/trial-r-xencfg-no-newline.cfg" - >"$T/nl.cfg"
run 3 "$T/nl.cfg"
hasnt "newline"
# a last line Xen uses nothing of (a second options=: the first one wins) is a warning
printf '[global]\ndefault=x\n[x]\noptions=dom0_mem=2G,max:2G gnttab_max_frames=256\nkernel=vmlinuz console=ttyS0 console=hvc0\nramdisk=initrd.img\noptions=dom0_mem=1G' >"$T/dup.cfg"
run 3 "$T/dup.cfg"
has "dup.cfg:7: warning: [boot] line 7 ('options=dom0_mem=1G') has no newline after it"

echo "== trial10g 1, 6: GRUB 2 submenu contexts and commands named by variables, each said on its line"
run 1 "$C/trial10g-01-grub-submenu-unexported-var.cfg"
has "trial10g-01-grub-submenu-unexported-var.cfg:6: warning: [boot] menuentry 'Xen hypervisor>Debian GNU/Linux, with Xen': line 6 uses \$xen_opts (set on line 2), which is not exported"
has "add 'export xen_opts' after line 2"
has "trial10g-01-grub-submenu-unexported-var.cfg:6: error: [trap4]"
run 1 "$C/trial10g-06-grub-loader-var.cfg"
has "trial10g-06-grub-loader-var.cfg:4: error: [trap4] menuentry 'Xen': dom0_mem=4096M has no max:"
# set through a function's 'set $1=...', or in an if: the loader is not known
run 2 "$C/trial10g-06b-grub-loader-func-var.cfg"
has "line 8: menuentry 'Xen': cannot check line 8: its command is named by \$load_hv_cmd"
has "trial10g-06b-grub-loader-func-var.cfg:9: warning: [boot] menuentry 'Xen': cannot check line 9"
run 2 "$C/trial10g-06d-grub-loader-var-in-if.cfg"
has "line 3: menuentry 'Xen': cannot check line 3: its command is named by \$hv"
# EVE-OS's rootfs.cfg: its Xen entry (lines 527-532), not only the configfile line
run 2 "$C/trial10g-06c-eve-rootfs.cfg"
has "line 527: menuentry 'Boot \${rootfs_title}\${rootfs_title_suffix}': cannot check line 527: its command is named by \$load_hv_cmd"
has "trial10g-06c-eve-rootfs.cfg:528: warning: [boot]"

echo "== trial10g 10: a quote the loader passes as it is is said to be that loader's, not GRUB's"
for pair in "trial10g-10-quoted-dom0mem.ipxe:iPXE" "trial10g-10b-quoted-options-xen.cfg:Xen's EFI loader" \
            "trial10g-10c-quoted-pxelinux.cfg:mboot.c32" "trial10g-10d-quoted-menu.lst:GRUB legacy"; do
    run 1 "$C/${pair%%:*}"
    has "is written in double quotes, and ${pair#*:} has no quoting: it passes the '\"' characters to Xen as they are"
    hasnt "GRUB passes it in double quotes"
done

echo "== trial10g 11, 12: a config that hands over to another file names it or follows it"
# followed as Xen does (fresh-user trial of #10, case 2): the chained file
# beside it, read as its own input, named on both "read as" lines
run 1 "$C/trial10g-11-xencfg-chain-only.cfg"
has "trial10g-11-xencfg-chain-only.cfg: read as Xen EFI xen.cfg; its chain= on line 2 followed to"
has "trial10g-11-xencfg-chained.cfg: read as Xen EFI xen.cfg, chained by"
has "trial10g-11-xencfg-chained.cfg:5: error: [trap4] section 'xen': dom0_mem=4096M has no max:"
hasnt "no Xen boot entry"
# not there: Xen stops; an error on the chain= line, naming the file
cp "$C/trial10g-11-xencfg-chain-only.cfg" "$T/chain-only.cfg"
run 1 "$T/chain-only.cfg"
has "chain-only.cfg:2: error: [boot] no kernel= in this file, and chain=trial10g-11-xencfg-chained.cfg on line 2 names no file there"
has "Chained configuration file 'trial10g-11-xencfg-chained.cfg' not found."
# a section without kernel= with default=: Xen boots that section of the chained file
printf '[global]\ndefault=xen\nchain=other.cfg\n[xen]\noptions=dom0_mem=1G\n' >"$T/x11.cfg"
printf '[global]\ndefault=xen\n[xen]\noptions=dom0_mem=2G gnttab_max_frames=256\nkernel=vmlinuz console=ttyS0 console=hvc0\nramdisk=initrd.gz\n' >"$T/other.cfg"
run 1 "$T/x11.cfg"
has "x11.cfg: read as Xen EFI xen.cfg; its chain= on line 3 followed to"
has "other.cfg: read as Xen EFI xen.cfg, chained by"
has "other.cfg:4: error: [trap4] section 'xen': dom0_mem=2G has no max:"
hasnt "dom0_mem=1G"
hasnt "lint it as well"
# the summary counts the files read, the chained one too
sed -i 's/dom0_mem=2G /dom0_mem=2G,max:2G /' "$T/other.cfg"
run 3 "$T/x11.cfg"
has "no findings in what was checked (2 inputs)"
run 1 "$C/trial10g-12-syslinux-config.cfg"
has "trial10g-12-syslinux-config-xen.cfg: read as syslinux/pxelinux config"
has "trial10g-12-syslinux-config-xen.cfg:4: error: [trap4] label 'xen': dom0_mem=4096M has no max:"
cp "$C/trial10g-12-syslinux-config.cfg" "$T/lone-config.cfg"
run 2 "$T/lone-config.cfg"
has "lone-config.cfg:5: warning: [boot] cannot check CONFIG trial10g-12-syslinux-config-xen.cfg on line 5: it is not next to this file"

echo "== --json: every input listed with its error; always valid UTF-8 JSON"
: >"$T/empty.cfg"
mkdir "$T/adir"
printf '\x00\x01\x02binary' >"$T/binary.bin"
"$MKDOM0" lint --json "$C/issue10-1.ipxe" "$T/nonexist.cfg" "$T/empty.cfg" "$T/adir" "$T/binary.bin" >"$T/json" 2>/dev/null
rc=$?
"$MKDOM0" lint "$C/issue10-1.ipxe" "$T/nonexist.cfg" "$T/empty.cfg" "$T/adir" "$T/binary.bin" >/dev/null 2>&1
[ $rc = $? ] && [ $rc = 2 ] || fail "--json exit $rc differs from text mode or is not 2"
python3 - "$T/json" "$T" <<'PY' || fail "--json with inputs that fail"
import json, sys
d = json.load(open(sys.argv[1]))
t = sys.argv[2]
ins = {i["file"]: i for i in d["inputs"]}
for f, why in (("/nonexist.cfg", "cannot open"), ("/empty.cfg", "empty file"),
               ("/adir", "a directory with nothing lint reads"), ("/binary.bin", "binary data")):
    assert t + f in ins and why in ins[t + f]["error"], (f, d["inputs"])
ok = [i for i in d["inputs"] if i["file"].endswith("issue10-1.ipxe")]
assert ok and ok[0]["error"] is None and ok[0]["format"] == "iPXE script", d["inputs"]
assert d["errors"] == 4 + sum(x["severity"] == "error" for x in d["findings"]), d
PY
latin=$(printf 'latin\xe9\xff.cfg')
printf 'menuentry "caf\xe9 \xff\xfe" {\n multiboot2 /xen\xe9.gz dom0_mem=4G\xe9 gnttab_max_frames=256\n module2 /vmlinuz console=hvc0 \xc3\x28\n module2 /r.gz\n}\n' >"$T/$latin"
"$MKDOM0" lint --json "$T/$latin" "$T/nope-$latin" >"$T/json" 2>/dev/null
python3 -m json.tool "$T/json" >/dev/null || fail "--json with Latin-1 names and content is not valid JSON"
python3 -c 'import sys; open(sys.argv[1], "rb").read().decode("utf-8")' "$T/json" || fail "--json output is not UTF-8"
grep -q 'latin\\ufffd\\ufffd.cfg' "$T/json" || fail "--json: an invalid byte is not U+FFFD"
echo "all lint corpus checks passed"
