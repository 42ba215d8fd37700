/* An authorized_keys file (image/sshkeys.h md_sshkeys_add_authorized: each
 * line checked as sshd(8) reads it: options, key type, base64 key blob).
 * The reader wants a path (fz_file). */
#include <stdio.h>
#include "fuzz.h"
#include "core/strv.h"
#include "image/sshkeys.h"

static char tmpl[] = "/tmp/mkdom0-fuzz-authkeys.XXXXXX";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_file(tmpl, data, size);
    md_strv files = { 0 };
    md_strv_push(&files, path);
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    (void)md_sshkeys_add_authorized(t, &files, 0, &e);
    md_tree_free(t);
    md_strv_free(&files);
    return 0;
}
