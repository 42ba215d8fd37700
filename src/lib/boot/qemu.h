/* qemu — run a mkdom0 image in QEMU: the command line for each boot path,
 * the QEMU process, its serial console captured to a file and read as it
 * grows, and a QMP client.  Prefix md_qemu_.
 *
 * Defaults emulate the design's host under TCG: q35, `-cpu qemu64,+svm,+npt`
 * and an AMD IOMMU, so that `xl info` shows hvm, hap and hvm_directio.  KVM
 * is not the default: on this project's machines it is present but Xen dom0
 * fails under it (MSR and internal errors), and whether it works cannot be
 * told without booting; `accel = "kvm"` forces it (then `-cpu host`).
 *
 * Ownership: md_qemu_opts is borrowed; md_qemu_argv() fills a caller-owned
 * md_strv; the process of md_qemu_start is the caller's (core/run.h);
 * md_qemu_console and md_qemu_qmp are opaque, freed by their _close
 * functions; returned strings are the caller's.
 */
#ifndef MD_QEMU_H
#define MD_QEMU_H

#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "core/run.h"
#include "core/strv.h"

typedef enum md_qemu_path {
    MD_QEMU_MULTIBOOT, /* -kernel xen ELF, -initrd "vmlinuz ARGS,rootfs" */
    MD_QEMU_ISO,       /* SeaBIOS, GRUB from a hybrid ISO (boot/bootmedia) as a CD-ROM */
    MD_QEMU_UEFI,      /* OVMF, GRUB x86_64-efi on an NVMe disk's ESP */
    MD_QEMU_ISO_UEFI,  /* OVMF, GRUB x86_64-efi from the hybrid ISO as a CD-ROM */
    MD_QEMU_DISK,      /* the raw GPT disk as an NVMe disk: OVMF (its ESP) or,
                          with `seabios`, SeaBIOS (its BIOS boot partition) */
    MD_QEMU_XEN_EFI,   /* OVMF, no GRUB: the unified xen.efi (boot/xenefi) as
                          \EFI\BOOT\BOOTX64.EFI of an ESP image (`disk`) */
    MD_QEMU_PXE,       /* the NIC's boot ROM (QEMU's is iPXE) boots `bootfile` from
                          `tftp_dir` over QEMU's user network (its DHCP and TFTP
                          server, as Xen's own CI boots): SeaBIOS, or OVMF
                          unless `seabios` */
    MD_QEMU_EFI,       /* OVMF, no GRUB: the efi/ tree (boot/xenefi) on an ESP
                          image (`disk`): xen.efi as \EFI\BOOT\BOOTX64.EFI,
                          its xen.cfg as BOOTX64.cfg, the kernel and rootfs */
} md_qemu_path;

/* "multiboot", "iso", "uefi", "iso-uefi", "disk", "xen-efi", "pxe", "efi". */
int md_qemu_path_from_name(const char *name, md_qemu_path *p, md_err *err);
const char *md_qemu_path_name(md_qemu_path p);

#define MD_QEMU_OTHER_MAC "52:54:00:12:34:57"

typedef struct md_qemu_opts {
    const char *qemu;        /* NULL: qemu-system-x86_64 */
    md_qemu_path path;
    const char *accel;       /* "tcg" (NULL) or "kvm" */
    const char *machine;     /* NULL: q35 */
    const char *cpu;         /* NULL: qemu64,+svm,+npt (tcg) / host (kvm) */
    bool no_iommu;           /* leave out -device amd-iommu */
    unsigned mem_mib;        /* 0: 2048 */
    unsigned smp;            /* 0: 2 */
    const char *nic;         /* NULL: e1000e (QEMU's q35 default NIC) */
    const char *mac;         /* the NIC's MAC; NULL: QEMU's 52:54:00:12:34:56 */
    /* The NIC on this existing tap interface (a bridge of the caller's, its
     * own DHCP/TFTP server) instead of QEMU's user network: no ssh_port
     * forward, and MD_QEMU_PXE boots what that server names. */
    const char *tap;
    /* Another NIC ahead of that one (lower PCI slot: the guest's first
     * NIC), on a QEMU user network of its own (restrict=on, its own DHCP),
     * MAC MD_QEMU_OTHER_MAC, no boot ROM: a host with several ports. */
    bool other_nic;
    unsigned ssh_port;       /* host port forwarded to the guest's :22; 0: no NIC */
    const char *serial;      /* QEMU -serial value; NULL: mon:stdio */
    const char *qmp_socket;  /* unix socket for QMP; NULL: none */
    /* MD_QEMU_MULTIBOOT */
    const char *xen_elf;     /* uncompressed hypervisor */
    const char *xen_args;
    const char *initrd;      /* md_bootcfg_qemu_initrd() */
    /* MD_QEMU_ISO, MD_QEMU_ISO_UEFI */
    const char *iso;
    /* MD_QEMU_UEFI, MD_QEMU_DISK, MD_QEMU_XEN_EFI, MD_QEMU_EFI (all but
     * the first attached with snapshot=on: the guest's writes never reach
     * the file, which may be the build's disk.img) */
    const char *disk;        /* raw GPT image */
    bool seabios;            /* MD_QEMU_DISK, MD_QEMU_PXE: SeaBIOS (QEMU's default) instead of OVMF */
    /* MD_QEMU_PXE: the TFTP root and the file DHCP names, relative to it */
    const char *tftp_dir;
    const char *bootfile;
    const char *ovmf;        /* NULL: /usr/share/ovmf/OVMF.fd */
    const char *const *extra; /* more arguments, NULL-terminated; may be NULL */
} md_qemu_opts;

/* The complete argv (argv[0] is the program).  Checks the options (missing
 * files for the path, accel names) and says which is wrong. */
int md_qemu_argv(const md_qemu_opts *o, md_strv *argv, md_err *err);

/* Arguments that attach raw image `path` as a virtio disk with -drive id
 * `id` (virtio_blk in the dom0, /dev/vdX), appended to argv. */
void md_qemu_disk_args(md_strv *argv, const char *id, const char *path);

/* The host memory QEMU mode leaves to the hypervisor and guests: the VM
 * size minus what the dom0 gets must be at least this much. */
#define MD_QEMU_MIN_SPARE_MIB 512u
/* dom0_mem for a VM of `vm_mib`, given the image's `image_mib`: the image's
 * value when it fits with MD_QEMU_MIN_SPARE_MIB to spare, else half the VM. */
uint64_t md_qemu_fit_dom0_mem(uint64_t image_mib, uint64_t vm_mib);

/* A TCP port on 127.0.0.1 that was free a moment ago. */
int md_qemu_free_port(unsigned *port, md_err *err);

/* Start QEMU (argv from md_qemu_argv).  Interactive, it has our terminal;
 * else stdin is /dev/null, its stdout and stderr go to `errlog` (NULL:
 * /dev/null), and it gets its own process group.  The caller owns the
 * process (md_run_proc_free stops it). */
md_run_proc *md_qemu_start(const md_strv *argv, bool interactive, const char *errlog, md_err *err);

/* --- the serial console, captured to a file ------------------------------ */

typedef struct md_qemu_console md_qemu_console;

/* Follow `path` (it may not exist yet).  `t0` is the monotonic time (seconds)
 * that event times are relative to. */
md_qemu_console *md_qemu_console_open(const char *path, double t0);
void md_qemu_console_close(md_qemu_console *c);
/* Read what was appended; each new line is stamped with the time it was
 * read.  Returns the number of new bytes. */
size_t md_qemu_console_poll(md_qemu_console *c);
/* Offset of the first occurrence of `needle` at or after `from`, or -1.
 * A kernel printk record ("[ 12.345678] ...\n") or Xen line ("(XEN) ...\n")
 * printed into the middle of the dom0's own line does not hide it. */
long md_qemu_console_find(const md_qemu_console *c, const char *needle, size_t from);
/* Offset of the first Linux lockup report at or after `from` that another
 * report followed `persist` seconds or more later (0: the first report), or
 * -1.  A report is the soft-lockup watchdog's "BUG: soft lockup"
 * (Documentation/admin-guide/lockup-watchdogs.rst) or an RCU CPU stall
 * warning, "self-detected stall" or "detected stalls on CPUs/tasks"
 * (Documentation/RCU/stallwarn.rst): a CPU stuck for about 20 s, reported
 * again every 20-60 s while it stays stuck. */
long md_qemu_console_find_lockup(const md_qemu_console *c, size_t from, double persist);
/* Seconds since t0 at which the byte at `off` was read. */
double md_qemu_console_time(const md_qemu_console *c, size_t off);
size_t md_qemu_console_size(const md_qemu_console *c);
const char *md_qemu_console_text(const md_qemu_console *c); /* NUL-terminated */

/* --- QMP ---------------------------------------------------------------- */

typedef struct md_qemu_qmp md_qemu_qmp;

/* Connect (retrying for up to `timeout_s` while QEMU creates the socket)
 * and negotiate capabilities. */
md_qemu_qmp *md_qemu_qmp_open(const char *socket_path, double timeout_s, md_err *err);
void md_qemu_qmp_close(md_qemu_qmp *q);
/* Run a command (JSON "arguments" object text or NULL); returns the response
 * line ({"return": ...}) with events skipped, or NULL with the error QEMU
 * gave. */
char *md_qemu_qmp_cmd(md_qemu_qmp *q, const char *command, const char *args_json, md_err *err);
/* Read-side statistics of block device `device` (the -drive id). */
int md_qemu_qmp_blockstats(md_qemu_qmp *q, const char *device, uint64_t *rd_ops,
                           uint64_t *rd_bytes, md_err *err);

/* The emulated CPUs' state, one line each: "CPU#0 RIP=ffff82d0403bd9d8
 * CPL=0 HLT=1 (Xen)", from HMP `info registers -a` (QMP
 * human-monitor-command), for the report of a stalled boot.  The tag says
 * whose code runs: Xen's (RIP in its 0xffff82d0... text) or a domain's; with
 * HLT=1, idle.  Returns a new string (the caller frees), or NULL with the
 * error. */
char *md_qemu_qmp_cpu_state(md_qemu_qmp *q, md_err *err);
/* The same lines from the reply's text (the QMP "return" line). */
char *md_qemu_cpu_state_parse(const char *reply);

#endif
