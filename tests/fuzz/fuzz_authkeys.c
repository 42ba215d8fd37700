/* An authorized_keys file (image/sshkeys.h md_sshkeys_add_authorized: each
 * line checked as sshd(8) reads it: options, key type, base64 key blob).
 * The reader wants a path: one temporary file per process, rewritten for
 * each input. */
#include <stdio.h>
#include <unistd.h>
#include "fuzz.h"
#include "core/strv.h"
#include "image/sshkeys.h"

static char path[] = "/tmp/mkdom0-fuzz-authkeys.XXXXXX";
static int fd = -1;

static void cleanup(void)
{
    unlink(path);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (fd < 0) {
        if ((fd = mkstemp(path)) < 0)
            abort();
        atexit(cleanup);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    md_strv files = { 0 };
    md_strv_push(&files, path);
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    (void)md_sshkeys_add_authorized(t, &files, 0, &e);
    md_tree_free(t);
    md_strv_free(&files);
    return 0;
}
