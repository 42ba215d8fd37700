#include "spec/spec_default.h"

#include <string.h>

/* One template for both bases, so the text they share is written once;
 * the arguments are what a release changes.  Each expands to one string
 * literal, byte for byte the spec `mkdom0 inspect --base-spec` prints. */
#define DEBIAN_SPEC(HEADER, SUITE, XEN, PYTHON, PERL, BASE_FILES_WHY, HVM_SIZE) \
HEADER \
"\n" \
"[Image]\n" \
"Name=dom0\n" \
"Compression=gzip\n" \
"CompressionLevel=6\n" \
"\n" \
"[Repository " SUITE "]\n" \
"URL=http://deb.debian.org/debian\n" \
"Suite=" SUITE "\n" \
"Components=main\n" \
"Keyring=/usr/share/keyrings/debian-archive-keyring.gpg\n" \
"\n" \
"[Repository " SUITE "-updates]\n" \
"URL=http://deb.debian.org/debian\n" \
"Suite=" SUITE "-updates\n" \
"Components=main\n" \
"Keyring=/usr/share/keyrings/debian-archive-keyring.gpg\n" \
"\n" \
"[Repository " SUITE "-security]\n" \
"URL=http://deb.debian.org/debian-security\n" \
"Suite=" SUITE "-security\n" \
"Components=main\n" \
"Keyring=/usr/share/keyrings/debian-archive-keyring.gpg\n" \
"\n" \
"[Packages]\n" \
"# libxentoolcore1: the Xen binaries need it but xen-utils-" XEN " does not declare it.\n" \
"# bash and xenstore-utils: Xen's hotplug scripts (/etc/xen/scripts/vif-bridge,\n" \
"# block) are bash scripts that call xenstore-read/write; busybox gives them\n" \
"# ip, brctl, losetup, stat and logger, mkdom0 its static flock.\n" \
"Include=xen-hypervisor-" XEN "-amd64 linux-image-amd64 busybox-static openrc\n" \
"        openssh-server xen-utils-" XEN " xen-utils-common libxentoolcore1 kmod\n" \
"        bash xenstore-utils\n" \
"# dash is /bin/sh: OpenRC's init.sh tells a live /proc from a stale one by\n" \
"# reading /proc/self/environ from a child started with a new variable, and\n" \
"# busybox sh runs md5sum without exec, so that check misfires (\"cruft in\n" \
"# /proc\") and /proc is mounted twice.  Busybox's ash stays root's shell.\n" \
"        dash\n" \
"# What a minimal dom0 must not drag in: interpreters, udev, debconf and the\n" \
"# maintainer-script machinery (no maintainer script runs in an mkdom0 build).\n" \
"Exclude=python3 python3-minimal python" PYTHON " python" PYTHON "-minimal udev systemd systemd-sysv\n" \
"        perl perl-base perl-modules-" PERL " debconf debconf-2.0 cdebconf adduser ucf\n" \
"        lsb-base sysvinit-utils init-system-helpers runit-helper insserv procps\n" \
"        libpam-modules libpam-runtime linux-base initramfs-tools\n" \
"        linux-initramfs-tool firmware-linux-free apparmor dmsetup\n" \
"        openssh-sftp-server qemu-system-xen grub-xen-host\n" \
"        bridge-utils iproute2 ifupdown netbase\n" \
"# bash's essentials: busybox has their tools (which, awk); dash's dpkg is\n" \
"# for its maintainer scripts, which never run here." BASE_FILES_WHY "\n" \
"        base-files debianutils mawk dpkg\n" \
"# openssh-client: sshd's package depends on it, but the dom0 runs no ssh\n" \
"# client, and the host keys come with the image (no ssh-keygen at boot);\n" \
"# with it go passwd (the image writes its own /etc/passwd; busybox has\n" \
"# passwd and login), libedit2 and libfido2-1.  libext2fs2: only\n" \
"# libxenfsimage's ext2 plugin links it (dropped below).\n" \
"        openssh-client passwd libext2fs2\n" \
"Essential=no\n" \
"\n" \
"[Files]\n" \
"# Files a dom0 never reads.\n" \
"Drop=/usr/share/doc/* /usr/share/man/* /usr/share/info/* /usr/share/locale/*\n" \
"     /usr/share/lintian/* /usr/share/bug/* /usr/share/bash-completion/*\n" \
"     /usr/share/zsh/* /usr/share/menu/* /usr/share/pixmaps/* /usr/share/icons/*\n" \
"     /usr/share/gdb/* /usr/lib/x86_64-linux-gnu/gconv/* /usr/include/*\n" \
"     /usr/lib/x86_64-linux-gnu/*.a /usr/lib/debug/* /etc/init.d/*.dpkg-*\n" \
"     /usr/lib/linux/* /usr/lib/firmware/*\n" \
"# The PV shim (6 MB) is for running PV guests inside PVH.\n" \
"     /usr/lib/xen-*/boot/xen-shim\n" \
"# Hooks and templates of machinery the image does not have: apport, runit,\n" \
"# ufw, initramfs-tools, Python's runtime updates, debianutils' shell list,\n" \
"# ucf's sshd_config template, libgcrypt's cleanup script, Debian's\n" \
"# /etc/default/xen template.\n" \
"     /usr/share/apport/* /usr/share/runit/* /etc/sv/* /etc/ufw/* /usr/share/initramfs-tools/*\n" \
"     /usr/share/python3/* /usr/share/debianutils/* /usr/share/openssh/* /usr/share/libgcrypt20/*\n" \
"     /usr/share/xen-utils-common/*\n" \
"# Debian's settings for its xendomains script, which mkdom0's own\n" \
"# xendomains service replaces (it reads /etc/conf.d/xendomains).\n" \
"     /etc/default/xendomains\n" \
"# One xenstored: the C daemon (/etc/conf.d/xenstored); the OCaml one is 1.6 MB.\n" \
"     /usr/lib/xen-*/bin/oxenstored /usr/sbin/oxenstored /etc/xen/oxenstored.conf\n" \
"# Python has no interpreter here: pygrub and the other Python tools, the\n" \
"# bindings, and libxenfsimage (pygrub's) with its file system plugins.\n" \
"# (/usr/*bin/NAME: the program in /usr/lib/xen-X.Y/bin and the wrapper\n" \
"# link to it in /usr/sbin or /usr/bin.)\n" \
"     /usr/lib/xen-*/lib/python/*.so /usr/lib/xen-*/lib/python/xen/*\n" \
"     /usr/lib/xen-*/lib/python/grub/* /usr/lib/xen-*/lib/python/pygrub*\n" \
"     /usr/lib/xen-*/lib/x86_64-linux-gnu/* /usr/*bin/pygrub /usr/*bin/xenpvnetboot\n" \
"     /usr/*bin/convert-legacy-stream /usr/*bin/verify-stream-v2 /usr/bin/xencov_split\n" \
"     /usr/bin/xentrace_format\n" \
"# Xen's tests and developer tools: tracing analysis, debugger stubs,\n" \
"# coverage, fault injection, lock and performance counters (debug builds\n" \
"# of Xen only), memory dumps, FLASK policy tools (Debian's Xen is built\n" \
"# without FLASK), the vchan proxy of QEMU stub domains, memory paging and the\n" \
"# laptop battery daemon.  xentop, xenpm, xentrace, xen-ucode, xen-diag,\n" \
"# xen-livepatch, xen-hptool, xen-cpuid and xenwatchdogd stay.\n" \
"     /usr/*bin/test-* /usr/*bin/depriv-fd-checker /usr/*bin/xenalyze /usr/*bin/gdbsx\n" \
"     /usr/*bin/xen-kdd /usr/*bin/xencov /usr/*bin/xen-mceinj /usr/*bin/xen-access\n" \
"     /usr/*bin/xen-memshare /usr/*bin/xen-vmtrace /usr/*bin/xen-hvmcrash\n" \
"     /usr/*bin/xenctx /usr/*bin/xen-hvmctx /usr/*bin/xen-mfndump /usr/*bin/xenlockprof\n" \
"     /usr/*bin/xenperf /usr/*bin/readnotes /usr/*bin/lsevtchn /usr/*bin/flask-*\n" \
"     /usr/*bin/vchan-socket-proxy /usr/lib/*/libxenvchan*.so* /usr/*bin/xenpaging\n" \
"     /usr/*bin/xen-lowmemd /usr/*bin/xenpmd /usr/bin/bashbug\n" \
"# xenstored in a stub domain (needs a xenstore stubdom image, which Debian\n" \
"# does not ship); hvmloader serves HVM guests only, so HVM=yes keeps it.\n" \
"     /usr/*bin/init-xenstore-domain /usr/lib/xen-*/boot/hvmloader\n" \
"# systemd's units and sshd's session clean-up for them.  /usr/lib/openssh\n" \
"# stays: Debian 13's sshd runs sshd-session and sshd-auth from there (the\n" \
"# ssh client's helpers there do not come: openssh-client is excluded).\n" \
"     /usr/lib/openssh/ssh-session-cleanup /usr/lib/systemd/* /usr/lib/tmpfiles.d/*\n" \
"# Libraries nothing links: libssl (sshd and kmod link libcrypto only) and\n" \
"# OpenSSL's loadable engines; glibc's vector math, debugging and legacy\n" \
"# libraries; the ncurses add-ons (xentop links ncurses and tinfo); and\n" \
"# Kerberos's pre-authentication plugin, which only kinit-style logins load.\n" \
"     /usr/lib/*/krb5/plugins/*\n" \
"     /usr/lib/*/libssl.so.* /usr/lib/*/engines-3/* /usr/lib/*/ossl-modules/*\n" \
"     /usr/lib/*/libmvec.so.* /usr/lib/*/libmemusage.so /usr/lib/*/libpcprofile.so\n" \
"     /usr/lib/*/libc_malloc_debug.so.* /usr/lib/*/libthread_db.so.* /usr/lib/*/libBrokenLocale.so.*\n" \
"     /usr/lib/*/libanl.so.* /usr/lib/*/libnsl.so.1 /usr/lib/*/libnss_hesiod.so.* /usr/lib/*/libnss_compat.so.*\n" \
"     /usr/lib/*/libmenu*.so.* /usr/lib/*/libpanel*.so.* /usr/lib/*/libform*.so.* /usr/lib/*/libtic.so.*\n" \
"# kmod's programs carry their own copy of libkmod.\n" \
"     /usr/lib/*/libkmod.so.*\n" \
"# Init scripts that nothing starts (mkdom0's services replace Debian's xen\n" \
"# and kmod; busybox init runs OpenRC itself, no getty service, no sysv rc):\n" \
"# OpenRC reads every script in /etc/init.d for its dependency cache at\n" \
"# each boot, a subshell apiece, slow under emulation.\n" \
"     /etc/init.d/agetty /etc/init.d/cgroups /etc/init.d/kmod /etc/init.d/rc\n" \
"     /etc/init.d/rcS /etc/init.d/savecache /etc/init.d/xen\n" \
"# OpenRC's cgroup functions: no cgroup hierarchy is mounted in the dom0,\n" \
"# and openrc-run.sh sources rc-cgroup.sh only when it is there; with it,\n" \
"# each service's start runs four processes (grep, a subshell, grep again,\n" \
"# mountinfo) to find none, a second or more of a boot under emulation.\n" \
"# (/usr/lib/rc: OpenRC 0.56 of Debian 13.)\n" \
"     /lib/rc/sh/rc-cgroup.sh /lib/rc/sh/cgroup-release-agent.sh\n" \
"     /usr/lib/rc/sh/rc-cgroup.sh /usr/lib/rc/sh/cgroup-release-agent.sh\n" \
"Keep=/usr/share/doc/*/copyright\n" \
"\n" \
"[Modules]\n" \
"# Xen devices, the design's hardware, and what QEMU presents.  mkdom0 adds\n" \
"# every dependency (trap 5).\n" \
"# loop: file-backed guest disks; xen-netfront and xen-blkfront: guests booted\n" \
"# with the dom0's own kernel (mkdom0 boot --check's) take them from here.\n" \
"# virtio_rng: QEMU's entropy source, in place of a real host's RDRAND.\n" \
"Include=xen-evtchn xen-gntdev xen-gntalloc xen-privcmd xenfs xen-netback xen-blkback\n" \
"        loop xen-netfront xen-blkfront\n" \
"# USB disks are not among them: add xhci-pci usb-storage sd_mod (0.6 MB gzip).\n" \
"        nvme ice ixgbe e1000e\n" \
"        virtio_net virtio_blk virtio_pci virtio_rng\n" \
"\n" \
"[Xen]\n" \
"# Always X,max:X (trap 4); the original host used 4096M.\n" \
"Dom0Mem=4096M\n" \
"Args=gnttab_max_frames=256 gnttab_max_maptrack_frames=1024\n" \
"# yes: the device model for HVM guests (qemu-system-xen" HVM_SIZE ").\n" \
"HVM=no\n" \
"\n" \
"[Kernel]\n" \
"Args=\n" \
"\n" \
"[System]\n" \
"Hostname=dom0\n" \
"# Guests' vifs go on xenbr0, which carries the first NIC and the dom0's address.\n" \
"Bridge=yes\n" \
"\n" \
"[Guests]\n" \
"# A disk or partition whose file system is labelled xenguests is mounted at\n" \
"# /var/lib/xen/storage for guest images and configs (its auto/ directory:\n" \
"# guests started at boot); the dom0 itself stays in RAM.  Without such a\n" \
"# disk the dom0 boots on and says so.  Make one with\n" \
"# `mkfs.ext4 -L xenguests /dev/DISK`.\n" \
"Storage=LABEL=xenguests\n" \
"\n" \
"[SSH]\n" \
"# Host keys and the client key that `mkdom0 boot --check` uses are made\n" \
"# once in KeysDir (default: ~/.local/state/mkdom0/keys) and reused.\n" \
"AuthorizedKeys=\n"

static const char debian12[] = DEBIAN_SPEC(
"# mkdom0 default spec: a RAM-resident Xen 4.17 dom0 from Debian bookworm.\n"
"# Print it with `mkdom0 inspect --default-spec`; start your own from it\n"
"# with `[Image] Base=default` and change only what differs.\n",
    "bookworm", "4.17", "3.11", "5.36", "", "; about 10 MB gzip");

/* Debian 13 (trixie): Xen 4.20 and Linux 6.12 from one release, so trap 2
 * holds.  The same image as debian12 in every other respect; what differs
 * is package names (t64 libraries, Python 3.13, Perl 5.40) and the
 * merged-/usr layout, which the image makes itself (tree.h). */
static const char debian13[] = DEBIAN_SPEC(
"# mkdom0 base debian-13: a RAM-resident Xen 4.20 dom0 from Debian trixie.\n"
"# Print it with `mkdom0 inspect --base-spec debian-13`; start your own from\n"
"# it with `[Image] Base=debian-13` and change only what differs.\n",
    "trixie", "4.20", "3.13", "5.40",
    "  base-files: its\n"
    "# merged-/usr links (/bin -> usr/bin, /lib64 -> usr/lib64, ...) are the\n"
    "# image's own, made before any package.",
    "");

/* The first is the default (Base=default, no spec at all). */
static const md_spec_base bases[] = {
    { "debian-12", "Debian 12 (bookworm): Xen 4.17, Linux 6.1 (the default)", debian12 },
    { "debian-13", "Debian 13 (trixie): Xen 4.20, Linux 6.12", debian13 },
};

const char *md_spec_default_text(void) { return bases[0].text; }

size_t md_spec_base_count(void) { return sizeof bases / sizeof *bases; }

const md_spec_base *md_spec_base_at(size_t i)
{
    return i < md_spec_base_count() ? &bases[i] : NULL;
}

const md_spec_base *md_spec_base_find(const char *name)
{
    if (!strcmp(name, "default"))
        return &bases[0];
    for (size_t i = 0; i < md_spec_base_count(); i++)
        if (!strcmp(name, bases[i].name))
            return &bases[i];
    return NULL;
}
