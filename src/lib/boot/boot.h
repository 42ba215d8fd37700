/* boot — an image directory made ready to run in QEMU: its grub.cfg read
 * back, dom0_mem fitted to the VM, the boot medium for the chosen path made
 * in a scratch directory, the QEMU command line built.  Prefix md_boot_.
 *
 * The image directory (`mkdom0 build -o DIR`) holds xen.gz, vmlinuz, the
 * rootfs named by grub.cfg's `module2 --nounzip` line, and grub.cfg.  The
 * Xen and kernel arguments come from that grub.cfg, so what QEMU boots is
 * what the image says, except dom0_mem when it does not fit the VM
 * (md_boot_note() then says what changed).  The paths iso-uefi and disk
 * boot the build's own boot.iso and disk.img (`mkdom0 build --media`) as
 * they are, when the image's dom0_mem fits the VM; else one made here by
 * the same code with the fitted entry (the note says so).  The path pxe
 * serves DIR/netboot (build --media netboot) the same way.
 *
 * Ownership: md_boot owns its scratch directory and QEMU process;
 * md_boot_free() stops QEMU and removes the scratch directory, keeping the
 * console log when asked.
 */
#ifndef MD_BOOT_H
#define MD_BOOT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "boot/bootcfg.h"
#include "core/err.h"
#include "core/out.h"
#include "boot/qemu.h"
#include "image/imgdir.h"

typedef struct md_boot_opts {
    const char *dir;          /* the image directory */
    md_qemu_path path;
    const char *qemu, *accel, *machine, *cpu, *nic, *ovmf;
    bool seabios;             /* MD_QEMU_DISK, MD_QEMU_PXE: SeaBIOS, not OVMF */
    /* MD_QEMU_PXE: what the NIC's iPXE boots from DIR/netboot: "grub" (NULL;
     * GRUB's netboot image for the firmware) or "ipxe" (boot.ipxe; SeaBIOS
     * only: iPXE loads multiboot images only on BIOS) */
    const char *netboot;
    /* Boot as the image's host NAME (image.ini [Host NAME], the spec's):
     * the NIC gets its MAC, the rootfs is its own (DIR/netboot/hosts/NAME/). */
    const char *host;
    /* The NIC on this tap interface instead of QEMU's user network (no ssh
     * forward; PXE boots what the tap's DHCP server names).  Not for --check. */
    const char *tap;
    /* A NIC ahead of the host's, with another MAC (md_qemu_opts.other_nic):
     * the dom0's first NIC is not the host's.  Only with `host`. */
    bool other_nic;
    bool no_iommu;
    unsigned mem_mib;         /* VM memory; 0: 2048 */
    unsigned smp;             /* 0: 2 */
    uint64_t dom0_mem_mib;    /* 0: the image's, fitted to the VM */
    bool interactive;         /* serial on the terminal (else to the console log) */
    bool ssh;                 /* forward a free host port to the guest's :22 */
    bool qmp;                 /* QMP socket in the scratch directory */
    const char *console_log;  /* non-interactive: where the serial goes; NULL: scratch dir */
    const md_out *out;        /* progress (making the boot medium); borrowed; NULL: none */
} md_boot_opts;

typedef struct md_boot md_boot;

md_boot *md_boot_prepare(const md_boot_opts *o, md_err *err);
/* Stop QEMU (if running), remove the scratch directory; the console log is
 * kept when `keep_log` (and always when it lives outside the scratch dir). */
void md_boot_free(md_boot *b, bool keep_log);
/* Let md_boot_free() leave the scratch directory whole, for a QEMU command
 * line that is printed to run later (it names files there: the Xen ELF, the
 * ISO, the disk image).  The caller tells the user to remove it. */
void md_boot_keep_workdir(md_boot *b);

/* Attach raw image `path` (borrowed; it must outlive QEMU) as a further
 * virtio disk with -drive id `id`, e.g. guest storage.  Before md_boot_start;
 * the boot medium stays md_boot_disk_id(). */
int md_boot_add_disk(md_boot *b, const char *id, const char *path, md_err *err);

/* Start QEMU; returns its pid, or -1 with the error. */
pid_t md_boot_start(md_boot *b, md_err *err);
/* Wait for QEMU to end; returns its status (exit status, or 128+signal). */
int md_boot_wait(md_boot *b);
/* Has QEMU ended?  Does not block; *status (may be NULL) as md_boot_wait's. */
bool md_boot_exited(md_boot *b, int *status);
/* For a signal handler that passes a signal on; -1 before md_boot_start. */
pid_t md_boot_pid(const md_boot *b);

const md_strv *md_boot_argv(const md_boot *b);
const md_bootcfg_entry *md_boot_entry(const md_boot *b); /* as booted */
const char *md_boot_note(const md_boot *b);      /* what was changed, or NULL */
const char *md_boot_workdir(const md_boot *b);
const char *md_boot_console_log(const md_boot *b);
const char *md_boot_qmp_socket(const md_boot *b); /* NULL without qmp */
const char *md_boot_qemu_errlog(const md_boot *b); /* QEMU's own stderr */
unsigned md_boot_ssh_port(const md_boot *b);
/* The -drive id of the boot medium, NULL for multiboot (no disk). */
const char *md_boot_disk_id(const md_boot *b);
/* Host paths of the image's files (the image's rootfs, without a host's
 * identity appended). */
const char *md_boot_kernel_path(const md_boot *b);
const char *md_boot_rootfs_path(const md_boot *b);
/* With md_boot_opts.host: the host as image.ini describes it (strings
 * belong to `b`); NULL otherwise. */
const md_imgdir_host *md_boot_host(const md_boot *b);
/* One line describing the machine: "multiboot, TCG, q35, qemu64,+svm,+npt, 2048M, 2 vCPUs". */
const char *md_boot_summary(const md_boot *b);

#endif
