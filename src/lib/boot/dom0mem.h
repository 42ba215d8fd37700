/* dom0mem — how much memory the dom0 gets: the X of dom0_mem=X,max:X,
 * computed from the image for the spec's Dom0Mem=auto, or a given X checked
 * against it.  Prefix md_dom0mem_.
 *
 * The dom0's root file system lives in RAM, so its memory holds, besides
 * the kernel, the whole rootfs unpacked; while the kernel unpacks it, the
 * compressed archive Xen handed over is held too (Linux frees it after:
 * "Freeing initrd memory").  Linux also keeps a struct page (64 bytes on
 * x86-64) for every 4 KiB page up to the domain's maximum: 1/64 of max,
 * taken out of the dom0's own memory.  That is why max: matters (design
 * trap 4): Xen 4.17's docs/misc/xen-command-line.pandoc, "dom0_mem (x86)":
 * "If this is omitted then the maximum reservation is unlimited", and Linux
 * then sizes the array for all host RAM (a 128 GB host: 2 GiB of struct
 * pages before the dom0 has run anything).  With max:X it is X/64 (4096M:
 * 64 MiB) whatever the host.
 *
 * The figures (MiB), and where they come from:
 *   MD_DOM0MEM_KERNEL_MIB  the Debian 6.1 dom0 kernel's own memory: its
 *       boot line "Memory: 188704K/1048572K available (14343K kernel code,
 *       ... 163788K reserved ...)" at dom0_mem=1024M,max:1024M (this
 *       project's `mkdom0 boot --check` console logs), less the 16 MiB of
 *       struct pages and the 19252K initrd inside that figure: 125 MiB,
 *       rounded up.
 *       At dom0_mem=512M the kernel leaves MemTotal 389 MiB: 123 MiB,
 *       struct pages included, under the 128 + 8 counted here.
 *   MD_DOM0MEM_WORKING_MIB  the running dom0's processes and the kernel
 *       memory they make it use.  Measured by `mkdom0 boot --check` ("dom0
 *       memory" row) on the default image at dom0_mem=512M, no guests run:
 *       90 MiB in use (MemTotal - MemAvailable), 54 MiB of it the rootfs in
 *       tmpfs, so 36 MiB for xenstored, xenconsoled, sshd, OpenRC, syslog
 *       and their kernel allocations.  256 MiB is that several times over,
 *       for what guests add: xl, the bash hotplug scripts while they start,
 *       the backends, logs in tmpfs.  A full --check at 512M ran the PV, PVH,
 *       xl reboot and vif + disk guests.  It does not cover one device model
 *       (qemu-system-xen) per running HVM guest.
 *   MD_DOM0MEM_ROUND_MIB   a computed value is rounded up to a multiple
 *       of this: sizes people recognise, and slack for the estimate.
 *
 * Ownership: the caller owns both structs; md_dom0mem_plan() allocates
 * out->text, which the caller frees (md_dom0mem_result_free).
 */
#ifndef MD_BOOT_DOM0MEM_H
#define MD_BOOT_DOM0MEM_H

#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

#define MD_DOM0MEM_KERNEL_MIB 128u
#define MD_DOM0MEM_WORKING_MIB 256u
#define MD_DOM0MEM_ROUND_MIB 128u

typedef struct md_dom0mem_input {
    uint64_t unpacked_bytes;   /* the rootfs archive uncompressed (cpio bytes) */
    uint64_t compressed_bytes; /* the rootfs file as Xen loads it */
    const char *codec;         /* its compression, for the text ("gzip") */
    uint64_t given_mib;        /* Dom0Mem=: check this one; 0: compute */
    const uint64_t *hosts_mib; /* HostMemory=, any order; may be NULL */
    size_t nhosts;
} md_dom0mem_input;

typedef struct md_dom0mem_result {
    uint64_t mib;         /* dom0_mem=MIB,max:MIB for the boot entry */
    uint64_t minimum_mib; /* the least that unpacks the rootfs */
    char *text;           /* the reasoning, lines ending in '\n' */
} md_dom0mem_result;

/* Struct pages Linux keeps for `mib` of memory, in MiB (mib/64, rounded
 * up): 4096 -> 64, 131072 (128G) -> 2048. */
uint64_t md_dom0mem_struct_pages_mib(uint64_t mib);

/* The smallest X (MiB) that holds X's own struct pages, the kernel, the
 * compressed archive and the rootfs unpacked: below it the dom0 cannot
 * unpack its root. */
uint64_t md_dom0mem_minimum_mib(uint64_t unpacked_bytes, uint64_t compressed_bytes);

/* The value for Dom0Mem=auto: X with room for X's struct pages, the kernel,
 * the rootfs unpacked and, the larger of the archive (while it unpacks) and
 * the working set (once it runs), rounded up to MD_DOM0MEM_ROUND_MIB. */
uint64_t md_dom0mem_compute_mib(uint64_t unpacked_bytes, uint64_t compressed_bytes);

/* Xen's own reserve on a host of `host_mib`, as Xen sizes dom0 when
 * dom0_mem gives no amount (xen-command-line.pandoc "dom0_mem (x86)":
 * "1/16 of the available memory or 128 MB (whichever is smaller)"). */
uint64_t md_dom0mem_xen_reserve_mib(uint64_t host_mib);

/* Decide the dom0 memory for `in` (the given one, or computed) and explain
 * it in out->text: the rootfs, the parts, the struct pages of max: and, per
 * host, what they would be without max: and what is left for Xen and
 * guests.  One value serves every host: with max: nothing in it depends on
 * the host's size, so it is checked against the smallest.  Fails (-1, err)
 * when the given value is below the minimum (the message names the rootfs
 * size and the minimum) or when the value leaves a host less than Xen's
 * reserve (the message names the host); then *out is empty. */
int md_dom0mem_plan(const md_dom0mem_input *in, md_dom0mem_result *out, md_err *err);
void md_dom0mem_result_free(md_dom0mem_result *r);

#endif
