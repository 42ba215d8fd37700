/* modules_int — the closure's data, shared by modules.c, which computes it,
 * and modindex.c, which writes the index for it; not part of the public API.
 * Everything here belongs to the md_modules object. */
#ifndef MD_MODULES_INT_H
#define MD_MODULES_INT_H

#include <stdbool.h>
#include <stdint.h>
#include "image/kmodelf.h"
#include "image/modules.h"
#include "core/strv.h"

typedef struct md_mod {
    char *name;    /* normalized; "\x7f"-prefixed when an updates/ file hides it */
    char *relpath; /* below the modules directory */
    char *path;    /* in the tree */
    uint64_t size;
    long order;    /* line of modules.order, -1 if not listed */
    bool parsed, kept;
    long pos; /* position in the index graph while it is built */
    md_kmodinfo mi;
    char *reason;
} md_mod;

struct md_modules {
    char *kver, *dir;
    int64_t mtime;
    md_mod *m; /* sorted by name */
    size_t n;
    size_t *kept; /* indices into m, closure order */
    size_t nkept;
    md_strv order_lines;     /* modules.order as shipped */
    md_strv builtin_listed;  /* modules.builtin's names, in its order */
    md_strv builtin_names;   /* the same, sorted */
    md_strv balias, balias_mod; /* modules.builtin.modinfo aliases (raw) and owners */
    md_strv builtin_report, notes;
    bool all_parsed;
};

/* The module file named `norm` (normalized), or NULL. */
md_mod *md_modules_find(const md_modules *md, const char *norm);

/* depmod's underscores2() for an alias pattern; NULL for one depmod skips
 * (unmatched bracket).  Caller frees. */
char *md_modules_alias_normalize(const char *alias);

/* "kernel/x.ko.xz" -> "kernel/x.ko" (how modules.order names it).  Caller frees. */
char *md_modules_order_relpath(const char *relpath);

#endif
