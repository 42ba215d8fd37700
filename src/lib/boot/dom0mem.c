#include "boot/dom0mem.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/mem.h"

#define MIB (1024ull * 1024ull)

uint64_t md_dom0mem_struct_pages_mib(uint64_t mib)
{
    /* One 64-byte struct page per 4 KiB page: 1/64 of the memory. */
    return (mib + 63) / 64;
}

/* The least X (MiB) whose memory, less X's own struct pages, holds `need`
 * bytes.  X - X/64 grows by at least 62 MiB per 64 MiB of X, so the loop
 * runs a few steps past the estimate at most. */
static uint64_t fit_mib(uint64_t need)
{
    uint64_t x = (need + MIB - 1) / MIB;
    x += md_dom0mem_struct_pages_mib(x);
    while (x > md_dom0mem_struct_pages_mib(x) && (x - md_dom0mem_struct_pages_mib(x)) * MIB < need)
        x++;
    while (x > 1 && (x - 1 - md_dom0mem_struct_pages_mib(x - 1)) * MIB >= need)
        x--;
    return x;
}

uint64_t md_dom0mem_minimum_mib(uint64_t unpacked_bytes, uint64_t compressed_bytes)
{
    return fit_mib(MD_DOM0MEM_KERNEL_MIB * MIB + unpacked_bytes + compressed_bytes);
}

uint64_t md_dom0mem_compute_mib(uint64_t unpacked_bytes, uint64_t compressed_bytes)
{
    uint64_t working = MD_DOM0MEM_WORKING_MIB * MIB;
    uint64_t x = fit_mib(MD_DOM0MEM_KERNEL_MIB * MIB + unpacked_bytes +
                         (compressed_bytes > working ? compressed_bytes : working));
    return (x + MD_DOM0MEM_ROUND_MIB - 1) / MD_DOM0MEM_ROUND_MIB * MD_DOM0MEM_ROUND_MIB;
}

uint64_t md_dom0mem_xen_reserve_mib(uint64_t host_mib)
{
    return host_mib / 16 < 128 ? host_mib / 16 : 128;
}

/* "128G" for whole GiB, else "1536M": as the spec would write it. */
static void put_size(FILE *f, uint64_t mib)
{
    if (mib >= 1024 && mib % 1024 == 0)
        fprintf(f, "%lluG", (unsigned long long)(mib / 1024));
    else
        fprintf(f, "%lluM", (unsigned long long)mib);
}

static void put_hosts(FILE *f, const md_dom0mem_input *in, uint64_t x)
{
    uint64_t sp = md_dom0mem_struct_pages_mib(x);
    for (size_t i = 0; i < in->nhosts; i++) {
        uint64_t h = in->hosts_mib[i], xen = md_dom0mem_xen_reserve_mib(h);
        fprintf(f, "  host ");
        put_size(f, h);
        fprintf(f, ": max: keeps the struct pages at %llu MiB (without it Linux sizes them "
                   "for all host RAM: %llu MiB); dom0 %.1f%% of RAM, %.1f GiB left for Xen "
                   "(%llu MiB reserve) and guests\n",
                (unsigned long long)sp, (unsigned long long)md_dom0mem_struct_pages_mib(h),
                100.0 * (double)x / (double)h, (double)(h - x) / 1024.0,
                (unsigned long long)xen);
    }
    if (in->nhosts > 1)
        fprintf(f, "  one value for all %zu hosts: with max: nothing above depends on the "
                   "host's size; it is checked against the smallest\n", in->nhosts);
}

int md_dom0mem_plan(const md_dom0mem_input *in, md_dom0mem_result *out, md_err *err)
{
    *out = (md_dom0mem_result){ 0 };
    double un = (double)in->unpacked_bytes / MIB, cz = (double)in->compressed_bytes / MIB;
    const char *codec = in->codec ? in->codec : "compressed";
    uint64_t min = md_dom0mem_minimum_mib(in->unpacked_bytes, in->compressed_bytes);
    uint64_t auto_mib = md_dom0mem_compute_mib(in->unpacked_bytes, in->compressed_bytes);
    uint64_t x = in->given_mib ? in->given_mib : auto_mib;
    if (in->given_mib && in->given_mib < min)
        return md_err_set(err, "Dom0Mem=%lluM is too small for this image: its rootfs is "
                               "%.1f MiB unpacked (%.1f MiB %s, held while the kernel unpacks "
                               "it), and with the kernel (%u MiB) and the struct pages the dom0 "
                               "needs at least %lluM to unpack it; %lluM leaves room to run "
                               "(Dom0Mem=auto computes it)",
                          (unsigned long long)in->given_mib, un, cz, codec,
                          MD_DOM0MEM_KERNEL_MIB, (unsigned long long)min,
                          (unsigned long long)auto_mib);
    for (size_t i = 0; i < in->nhosts; i++) {
        uint64_t h = in->hosts_mib[i], xen = md_dom0mem_xen_reserve_mib(h);
        /* The least host that holds x and its reserve (at most 128 steps). */
        uint64_t least = x;
        while (least - md_dom0mem_xen_reserve_mib(least) < x)
            least++;
        if (x + xen > h)
            return md_err_set(err, "HostMemory=%lluM: dom0_mem=%lluM leaves the host less "
                                   "than Xen's own reserve of %lluM (1/16 of RAM, at most "
                                   "128M), nothing for guests; a host for it has at least "
                                   "%lluM",
                              (unsigned long long)h, (unsigned long long)x,
                              (unsigned long long)xen, (unsigned long long)least);
    }
    char *text = NULL;
    size_t len = 0;
    FILE *f = md_xmemstream(&text, &len);
    fprintf(f, "dom0 memory: dom0_mem=%lluM,max:%lluM (%s)\n", (unsigned long long)x,
            (unsigned long long)x, in->given_mib ? "as Dom0Mem= gives it" : "Dom0Mem=auto");
    fprintf(f, "  rootfs unpacked   %8.1f MiB  in RAM for the dom0's life\n", un);
    fprintf(f, "  rootfs %-10s %8.1f MiB  held while the kernel unpacks it\n", codec, cz);
    /* measured on Debian's 6.1 kernel; said as an estimate, since the
     * image's kernel may be another (Alpine's linux-lts: trial 13h
     * case 11) */
    fprintf(f, "  kernel            %6u   MiB  estimate (measured: Debian's 6.1 dom0 kernel, "
               "its boot log)\n",
            MD_DOM0MEM_KERNEL_MIB);
    fprintf(f, "  working set       %6u   MiB  allowance for the daemons and guests' backends "
               "(none for HVM device models)\n", MD_DOM0MEM_WORKING_MIB);
    fprintf(f, "  struct pages      %6llu   MiB  1/64 of max:%lluM\n",
            (unsigned long long)md_dom0mem_struct_pages_mib(x), (unsigned long long)x);
    fprintf(f, "  least that unpacks the rootfs: %lluM; Dom0Mem=auto: %lluM (rounded up to "
               "%u MiB)\n", (unsigned long long)min, (unsigned long long)auto_mib,
            MD_DOM0MEM_ROUND_MIB);
    if (in->given_mib && in->given_mib < auto_mib)
        fprintf(f, "  Dom0Mem= is below Dom0Mem=auto's %lluM: the rootfs unpacks, but less "
                   "than the allowance is left for the working set\n",
                (unsigned long long)auto_mib);
    put_hosts(f, in, x);
    out->mib = x;
    out->minimum_mib = min;
    out->text = md_xmemstream_close(f, &text);
    return 0;
}

void md_dom0mem_result_free(md_dom0mem_result *r)
{
    free(r->text);
    r->text = NULL;
}
