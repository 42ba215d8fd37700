/* The archive-to-tree reader (image/unpack.h md_unpack_archive) over a
 * libarchive memory reader set up as md_unpack_rootfs does (any filter, cpio
 * and tar), with small limits so that an input cannot ask for more than the
 * fuzzer's memory, applying entries as the kernel does (opts.kernel) for
 * half of them, a caller's check that leaves entries out for half; or, for inputs of 4n+3 bytes, md_unpack_rootfs itself on the input as a
 * file (segments, padding, several archives in one compressed stream).
 * Then lint's rootfs checks (lint/lint.h md_lint_rootfs: inittab, /dev/xen,
 * module indexes and files, Xen versions) on the tree. */
#include <archive.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "fuzz.h"
#include "image/unpack.h"
#include "lint/lint.h"

/* Half the inputs are read as lint reads a rootfs: only some files' content
 * held, the rest read past (md_unpack_keep_fn), which lint's checks must take. */
static bool keep_etc(const char *path, uint64_t size)
{
    return size <= 4096 || !strncmp(path, "/etc/", 5);
}

static void lint(const md_tree *t)
{
    md_lint *l = md_lint_new();
    md_lint_rootfs(l, "rootfs.cpio", t, NULL, 0, false);
    free(md_lint_text(l));
    md_lint_free(l);
}

/* A caller's check that leaves entries out (md_unpack_check_fn > 0), as
 * an .apk's leaves its data stream's dot-files (packages/apk.c), and
 * refuses one kind: the reader must go on, or stop, cleanly. */
static int leave_dotfiles(void *ctx, struct archive *a, struct archive_entry *e, const char *name,
                          const unsigned char *data, size_t len, md_err *err)
{
    (void)ctx, (void)a, (void)e, (void)data, (void)len;
    if (!strcmp(name, ".refuse"))
        return md_err_set(err, "refused");
    return name[0] == '.' && name[1] && name[1] != '/' && name[1] != '.';
}

/* md_unpack_rootfs on the input as a file (a memfd, nothing on disk). */
static void whole(const uint8_t *data, size_t size, md_unpack_keep_fn keep)
{
    int fd = memfd_create("rootfs", 0);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
        if (fd >= 0)
            close(fd);
        return;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    md_unpack_limits lim = { .entry_bytes = 4u << 20, .total_bytes = 16u << 20,
                             .entries = 20000, .stream_bytes = 32u << 20 };
    md_unpack_notes n;
    md_err e = MD_ERR_INIT;
    md_tree *t = md_unpack_rootfs(path, &lim, keep, NULL, &n, &e);
    if (t)
        lint(t);
    md_tree_free(t);
    md_unpack_notes_free(&n);
    close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size % 4 == 3) { /* seeds end in zero padding to choose this */
        whole(data, size, data[size - 1] & 1 ? keep_etc : NULL);
        return 0;
    }
    md_unpack_notes n = { 0 };
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
        .kernel = size && (data[size - 1] & 2) ? &n : NULL,
        .check = size && (data[size - 1] & 4) ? leave_dotfiles : NULL,
    };
    md_tree *t = md_tree_new(false);
    md_unpack_stats st = { 0 }; /* accumulates */
    md_err e = MD_ERR_INIT;
    if (md_unpack_archive(t, a, &o, &st, &e) == 0)
        lint(t);
    archive_read_free(a);
    md_tree_free(t);
    md_unpack_notes_free(&n);
    return 0;
}
