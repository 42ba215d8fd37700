/* Files for unit tests: a scratch directory under /tmp, whole files in and
 * out.  Static inline, so a test that uses some of them compiles cleanly. */
#ifndef T_FILES_H
#define T_FILES_H
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include "core/file.h"

static inline int t_rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st; (void)flag; (void)f;
    return remove(p);
}

/* Remove `dir` and everything under it, symlinks not followed. */
static inline void t_rm_tree(const char *dir)
{
    nftw(dir, t_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The whole file, NUL-terminated, or NULL; caller frees. */
static inline char *t_slurp(const char *path)
{
    unsigned char *d;
    size_t n;
    md_err e = MD_ERR_INIT;
    if (md_read_file(path, &d, &n, &e) < 0)
        return NULL;
    d[n] = '\0';
    return (char *)d;
}

/* Write `text` as the whole file (best effort: a check reading it fails). */
static inline void t_spit(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}
#endif
