/* Real Alpine data for unit tests: ../shared/alpine beside the source tree
 * (its README says what each file is).  Read at run time, never copied into
 * the project.  A missing directory or file fails the test loudly: these
 * tests have no other input, and a skip would hide that they did not run. */
#ifndef T_ALPINE_H
#define T_ALPINE_H
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "core/file.h"
#include "core/mem.h"
#include "packages/apksign.h"

/* $MKDOM0_ALPINE_DATA (tests/run.sh finds it), else
 * $MKDOM0_SRC/../shared/alpine, else ./../shared/alpine (run by hand from
 * the source tree). */
static inline const char *t_alpine_dir(void)
{
    static char *dir;
    if (dir)
        return dir;
    const char *src = getenv("MKDOM0_SRC"), *data = getenv("MKDOM0_ALPINE_DATA");
    if (data && *data)
        dir = md_xstrdup(data);
    else
        dir = md_xasprintf("%s/../shared/alpine", src && *src ? src : ".");
    struct stat st;
    if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
        const char *looked = getenv("MKDOM0_ALPINE_LOOKED");
        fprintf(stderr, "FAIL: the real Alpine test data is missing: %s is not a directory "
                        "(tests/run.sh looks for ../shared/alpine beside the source tree, a "
                        "worktree's main checkout, a local clone's origin%s%s; else set "
                        "MKDOM0_ALPINE_DATA)\n", dir, looked && *looked ? ": looked at " : "",
                looked && *looked ? looked : "");
        exit(1);
    }
    return dir;
}

/* t_alpine_dir()/rel, which must exist; caller frees. */
static inline char *t_alpine(const char *rel)
{
    char *p = md_xasprintf("%s/%s", t_alpine_dir(), rel);
    struct stat st;
    if (stat(p, &st) < 0) {
        fprintf(stderr, "FAIL: the real Alpine test data is missing: %s\n", p);
        exit(1);
    }
    return p;
}

/* The trusted keys in directory `dir` (CHECKed: include t.h first). */
static inline md_apksign_keys *t_alpine_keys_at(const char *dir)
{
    md_err e = MD_ERR_INIT;
    md_apksign_keys *k = md_apksign_keys_load(dir, &e);
    if (!k)
        fprintf(stderr, "keys %s: %s\n", dir, e.msg);
    CHECK(k != NULL);
    return k;
}

/* The trusted keys in t_alpine(rel). */
static inline md_apksign_keys *t_alpine_keys(const char *rel)
{
    char *d = t_alpine(rel);
    md_apksign_keys *k = t_alpine_keys_at(d);
    free(d);
    return k;
}

/* A copy of `src` in `dir`/`name`, cut to `len` bytes (0: all), with the
 * byte at `flip` (SIZE_MAX: none) XORed with `mask`; caller frees the path. */
static inline char *t_damaged(const char *dir, const char *src, const char *name, size_t len,
                              size_t flip, unsigned char mask)
{
    unsigned char *d;
    size_t n;
    md_err e = MD_ERR_INIT;
    CHECK(md_read_file(src, &d, &n, &e) == 0);
    if (len && len < n)
        n = len;
    if (flip != SIZE_MAX && flip < n)
        d[flip] ^= mask;
    char *p = md_xasprintf("%s/%s", dir, name);
    CHECK(md_write_atomic(p, d, n, 0644, &e) == 0);
    free(d);
    return p;
}
#endif
