/* dom0mem: the dom0's memory against the design's figures (trap 4) and the
 * default image's measured rootfs. */
#include <stdlib.h>
#include "boot/dom0mem.h"
#include "t.h"

#define MIB (1024ull * 1024ull)
/* The default image as `mkdom0 build` reports it (tests 50, 70): 52.6 MiB
 * cpio, 18.7 MiB gzip. */
#define DEF_UNPACKED (uint64_t)(52.6 * MIB)
#define DEF_GZ (uint64_t)(18.7 * MIB)

static void test_struct_pages(void)
{
    /* Design trap 4: a 128 GB host has ~33.5 M pages x 64 B ~ 2 GB of
     * struct pages without max:; with max:4096M, 64 MiB. */
    CHECK(md_dom0mem_struct_pages_mib(128 * 1024) == 2048);
    CHECK(md_dom0mem_struct_pages_mib(4096) == 64);
    CHECK(md_dom0mem_struct_pages_mib(1024) == 16);
    CHECK(md_dom0mem_struct_pages_mib(1) == 1); /* rounded up, never 0 */
}

static void test_xen_reserve(void)
{
    /* pandoc: 1/16 of the available memory or 128 MB, whichever is smaller. */
    CHECK(md_dom0mem_xen_reserve_mib(128 * 1024) == 128);
    CHECK(md_dom0mem_xen_reserve_mib(2048) == 128);
    CHECK(md_dom0mem_xen_reserve_mib(1024) == 64);
}

static void test_minimum(void)
{
    /* Kernel 128 + 52.6 + 18.7 = 199.3 MiB, plus its own struct pages
     * (1/64, rounded up): 204 MiB holds 204 - 4 = 200; 203 only 199. */
    uint64_t min = md_dom0mem_minimum_mib(DEF_UNPACKED, DEF_GZ);
    CHECK(min == 204);
    CHECK((min - md_dom0mem_struct_pages_mib(min)) * MIB >=
          MD_DOM0MEM_KERNEL_MIB * MIB + DEF_UNPACKED + DEF_GZ);
    CHECK((min - 1 - md_dom0mem_struct_pages_mib(min - 1)) * MIB <
          MD_DOM0MEM_KERNEL_MIB * MIB + DEF_UNPACKED + DEF_GZ);
    /* An empty rootfs still needs the kernel and its struct pages. */
    CHECK(md_dom0mem_minimum_mib(0, 0) == 131);
}

static void test_compute(void)
{
    /* 128 + 52.6 + max(18.7, 256) = 436.6 MiB, / (63/64) = 443.5: 512M
     * after rounding to 128 MiB. */
    CHECK(md_dom0mem_compute_mib(DEF_UNPACKED, DEF_GZ) == 512);
    /* A 1 GiB rootfs, 400 MiB compressed: 128 + 1024 + 400 = 1552 MiB
     * needs 1577 with its struct pages (1577 - 25), 1664 rounded. */
    uint64_t big = md_dom0mem_compute_mib(1024 * MIB, 400 * MIB);
    CHECK(big == 1664);
    CHECK(big % MD_DOM0MEM_ROUND_MIB == 0);
    CHECK(big >= md_dom0mem_minimum_mib(1024 * MIB, 400 * MIB));
    /* 128 + 1024 + 1024 = 2176: 2211 - 35, rounded to 2304. */
    CHECK(md_dom0mem_compute_mib(1024 * MIB, 1024 * MIB) == 2304);
}

static void test_plan_design_host(void)
{
    /* The design's host: 128 GB, Dom0Mem=4096M. */
    uint64_t host = 128 * 1024;
    md_dom0mem_input in = { .unpacked_bytes = DEF_UNPACKED, .compressed_bytes = DEF_GZ,
                            .codec = "gzip", .given_mib = 4096, .hosts_mib = &host,
                            .nhosts = 1 };
    md_dom0mem_result r;
    md_err err = MD_ERR_INIT;
    CHECK(md_dom0mem_plan(&in, &r, &err) == 0);
    CHECK(r.mib == 4096);
    CHECK(r.minimum_mib == 204);
    CHECK(r.text && strstr(r.text, "dom0_mem=4096M,max:4096M"));
    CHECK(r.text && strstr(r.text, "struct pages at 64 MiB"));
    CHECK(r.text && strstr(r.text, "for all host RAM: 2048 MiB"));
    CHECK(r.text && strstr(r.text, "host 128G"));
    CHECK(r.text && strstr(r.text, "52.6 MiB"));
    md_dom0mem_result_free(&r);

    /* Computed for the same host. */
    in.given_mib = 0;
    CHECK(md_dom0mem_plan(&in, &r, &err) == 0);
    CHECK(r.mib == 512);
    CHECK(r.text && strstr(r.text, "Dom0Mem=auto"));
    CHECK(r.text && strstr(r.text, "struct pages at 8 MiB"));
    md_dom0mem_result_free(&r);
}

static void test_plan_refuses(void)
{
    md_dom0mem_input in = { .unpacked_bytes = DEF_UNPACKED, .compressed_bytes = DEF_GZ,
                            .codec = "gzip", .given_mib = 203 };
    md_dom0mem_result r;
    md_err err = MD_ERR_INIT;
    CHECK(md_dom0mem_plan(&in, &r, &err) < 0);
    CHECK_ERR(&err, "52.6 MiB unpacked");
    CHECK_ERR(&err, "at least 204M");
    CHECK_ERR(&err, "Dom0Mem=203M");
    CHECK(r.text == NULL);
    md_err_clear(&err);

    /* The least value passes, with a note that it leaves no working set. */
    in.given_mib = 204;
    CHECK(md_dom0mem_plan(&in, &r, &err) == 0);
    CHECK(r.text && strstr(r.text, "below Dom0Mem=auto's 512M"));
    md_dom0mem_result_free(&r);

    /* Hosts: one value for all, checked against the smallest; a host that
     * cannot hold dom0 and Xen's reserve is named. */
    uint64_t hosts[] = { 128 * 1024, 16 * 1024 };
    in.given_mib = 0;
    in.hosts_mib = hosts;
    in.nhosts = 2;
    CHECK(md_dom0mem_plan(&in, &r, &err) == 0);
    CHECK(r.mib == 512);
    CHECK(r.text && strstr(r.text, "host 16G"));
    CHECK(r.text && strstr(r.text, "one value for all 2 hosts"));
    md_dom0mem_result_free(&r);
    uint64_t tiny[] = { 16 * 1024, 512 };
    in.hosts_mib = tiny;
    CHECK(md_dom0mem_plan(&in, &r, &err) < 0);
    CHECK_ERR(&err, "HostMemory=512M");
    CHECK_ERR(&err, "at least 546M"); /* 546 - 546/16 (34) = 512 */
    md_err_clear(&err);
    in.given_mib = 4096;
    uint64_t four[] = { 4096 };
    in.hosts_mib = four;
    in.nhosts = 1;
    CHECK(md_dom0mem_plan(&in, &r, &err) < 0);
    CHECK_ERR(&err, "at least 4224M");
    md_err_clear(&err);
}

int main(void)
{
    test_struct_pages();
    test_xen_reserve();
    test_minimum();
    test_compute();
    test_plan_design_host();
    test_plan_refuses();
    return t_done("test_dom0mem");
}
