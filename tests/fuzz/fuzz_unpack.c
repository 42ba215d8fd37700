/* The archive-to-tree reader (image/unpack.h md_unpack_archive) over a
 * libarchive memory reader set up as md_unpack_rootfs does (any filter, cpio
 * and tar), with small limits so that an input cannot ask for more than the
 * fuzzer's memory; then lint's rootfs checks (lint/lint.h md_lint_rootfs:
 * inittab, /dev/xen, module indexes and files, Xen versions) on the tree. */
#include <archive.h>
#include <string.h>
#include "fuzz.h"
#include "image/unpack.h"
#include "lint/lint.h"

/* Half the inputs are read as lint reads a rootfs: only some files' content
 * held, the rest read past (md_unpack_keep_fn), which lint's checks must take. */
static bool keep_etc(const char *path, uint64_t size)
{
    return size <= 4096 || !strncmp(path, "/etc/", 5);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct archive *a = archive_read_new();
    archive_read_support_filter_all(a);
    archive_read_support_format_cpio(a);
    archive_read_support_format_tar(a);
    archive_read_open_memory(a, data, size);
    md_unpack_opts o = {
        .origin = "fuzz", .label = "rootfs.cpio", .clash = MD_CLASH_REPLACE, .lenient = true,
        .limits = { .entry_bytes = 4u << 20, .total_bytes = 16u << 20, .entries = 20000,
                    .path_bytes = 4096, .path_depth = 256, .stream_bytes = 32u << 20,
                    .ratio = MD_UNPACK_PACKAGE_RATIO },
        .keep = size && (data[size - 1] & 1) ? keep_etc : NULL,
    };
    md_tree *t = md_tree_new(false);
    md_unpack_stats st = { 0 }; /* accumulates */
    md_err e = MD_ERR_INIT;
    if (md_unpack_archive(t, a, &o, &st, &e) == 0) {
        md_lint *l = md_lint_new();
        md_lint_rootfs(l, "rootfs.cpio", t, NULL);
        free(md_lint_text(l));
        md_lint_free(l);
    }
    archive_read_free(a);
    md_tree_free(t);
    return 0;
}
