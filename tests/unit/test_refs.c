/* refs: which large files of an image nothing in it refers to (refs.h). */
#include "t.h"
#include "image/refs.h"
#include "core/mem.h"

#include <stdlib.h>

static const md_attr A644 = { 0644, 0, 0, 100 };
static const md_attr A755 = { 0755, 0, 0, 100 };

/* A file of `size` bytes of "\x7f" filler with `text` at its start. */
static void add(md_tree *t, const char *path, const char *text, size_t size)
{
    md_err e = MD_ERR_INIT;
    size_t tl = strlen(text);
    unsigned char *d = md_xmalloc(size > tl ? size : tl);
    memset(d, 0x7f, size > tl ? size : tl);
    memcpy(d, text, tl);
    CHECK(md_tree_add_file(t, path, strchr(text, '\n') ? &A755 : &A644, d, size > tl ? size : tl,
                           "p", MD_CLASH_ERROR, &e) == 0);
    CHECK(!e.set);
}

static void link_to(md_tree *t, const char *path, const char *target)
{
    md_err e = MD_ERR_INIT;
    CHECK(md_tree_add_symlink(t, path, &A755, target, "p", MD_CLASH_ERROR, &e) == 0);
}

static char *unreferenced(const md_tree *t, const char *const *entry)
{
    md_strv out = { 0 };
    md_refs_unreferenced(t, 1000, entry, &out);
    char *s = md_strv_join(&out, " ");
    md_strv_free(&out);
    return s;
}

static void test_elf_and_links(void)
{
    md_tree *t = md_tree_new(true);
    /* an ELF-like program whose DT_NEEDED strings sit between NUL bytes */
    md_err e = MD_ERR_INIT;
    static const char prog[] = "\x7f" "ELF\0libc.so.6\0libfoo.so.1\0/usr/libexec/helper\0";
    unsigned char *d = md_xmalloc(sizeof prog);
    memcpy(d, prog, sizeof prog);
    CHECK(md_tree_add_file(t, "/usr/bin/prog", &A755, d, sizeof prog, "p", MD_CLASH_ERROR, &e) == 0);
    add(t, "/usr/lib/x86_64-linux-gnu/libfoo.so.1.2.3", "\x7f" "ELF\0libfoo.so.1\0", 5000);
    link_to(t, "/usr/lib/x86_64-linux-gnu/libfoo.so.1", "libfoo.so.1.2.3");
    add(t, "/usr/lib/x86_64-linux-gnu/libc.so.6", "\x7f" "ELF\0", 5000);
    add(t, "/usr/libexec/helper", "\x7f" "ELF\0", 5000);
    /* names only itself (its own SONAME): that is no reference */
    add(t, "/usr/lib/x86_64-linux-gnu/libvec.so.1", "\x7f" "ELF\0libvec.so.1\0", 5000);
    /* under the size limit: never reported */
    add(t, "/usr/lib/x86_64-linux-gnu/libsmall.so.1", "\x7f" "ELF\0", 500);
    char *u = unreferenced(t, NULL);
    CHECK_STR(u, "/usr/lib/x86_64-linux-gnu/libvec.so.1");
    free(u);
    md_tree_free(t);
}

static void test_scripts(void)
{
    md_tree *t = md_tree_new(true);
    add(t, "/usr/bin/bash", "\x7f" "ELF\0", 5000);
    add(t, "/usr/bin/busybox", "\x7f" "ELF\0", 5000);
    link_to(t, "/bin/sh", "busybox");
    add(t, "/usr/sbin/daemon", "\x7f" "ELF\0", 5000);
    add(t, "/usr/sbin/old-daemon", "\x7f" "ELF\0", 5000);
    add(t, "/usr/lib/modules/6.1/kernel/fs/ext4/ext4.ko", "\x7f" "ELF\0", 5000);
    add(t, "/usr/lib/modules/6.1/kernel/drivers/x/unused.ko", "\x7f" "ELF\0", 5000);
    /* a script: the interpreter on "#!", a command in its code; a name in a
     * comment is no reference */
    add(t, "/etc/xen/scripts/vif", "#!/bin/bash\n# old-daemon did this once\n  daemon --fg\n", 0);
    add(t, "/usr/lib/modules/6.1/modules.dep", "kernel/fs/ext4/ext4.ko:\n", 0);
    char *u = unreferenced(t, NULL);
    CHECK_STR(u, "/usr/bin/busybox /usr/lib/modules/6.1/kernel/drivers/x/unused.ko "
                 "/usr/sbin/old-daemon");
    free(u);
    /* the kernel's rdinit= names /sbin/init, which no file does */
    link_to(t, "/sbin/init", "/bin/busybox");
    static const char *const entry[] = { "/sbin/init", NULL };
    u = unreferenced(t, entry);
    CHECK_STR(u, "/usr/lib/modules/6.1/kernel/drivers/x/unused.ko /usr/sbin/old-daemon");
    free(u);
    /* /bin/sh in a shebang names busybox through its link */
    add(t, "/etc/init.d/x", "#!/bin/sh\n/usr/sbin/old-daemon &\n", 0);
    u = unreferenced(t, NULL);
    CHECK_STR(u, "/usr/lib/modules/6.1/kernel/drivers/x/unused.ko");
    free(u);
    md_tree_free(t);
}

static void test_hardlinks(void)
{
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    add(t, "/usr/bin/tool", "\x7f" "ELF\0", 5000);
    CHECK(md_tree_add_hardlink(t, "/usr/bin/tool-alias", "/usr/bin/tool", "p", &e) == 0);
    add(t, "/etc/conf", "run=tool-alias\n", 0);
    char *u = unreferenced(t, NULL);
    CHECK_STR(u, "");
    free(u);
    md_tree_free(t);
}

int main(void)
{
    test_elf_and_links();
    test_scripts();
    test_hardlinks();
    return t_done("test_refs");
}
