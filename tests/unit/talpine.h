/* Real Alpine data for unit tests: ../shared/alpine beside the source tree
 * (its README says what each file is).  Read at run time, never copied into
 * the project.  A missing directory or file fails the test loudly: these
 * tests have no other input, and a skip would hide that they did not run. */
#ifndef T_ALPINE_H
#define T_ALPINE_H
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include "core/mem.h"

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
        fprintf(stderr, "FAIL: the real Alpine test data is missing: %s is not a directory "
                        "(tests/run.sh finds it beside the source tree; else set MKDOM0_ALPINE_DATA)\n", dir);
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
#endif
