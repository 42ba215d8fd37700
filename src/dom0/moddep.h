/* moddep — the kernel module index (modules.dep, modules.builtin) and the
 * load order it implies.
 *
 * modules.dep lines are "PATH: DEP DEP ...", PATH relative to
 * /lib/modules/KVER (absolute in very old indexes), each DEP itself a PATH
 * with its own line.  A module's name is its file name without ".ko" (and a
 * compression suffix) with '-' read as '_', as the kernel and kmod do.
 * Loading a module means loading its dependencies first, each once.
 *
 * Hand-rolled rather than libkmod: the dom0 helpers are static plain-libc
 * programs that must work before (and without) any shared library.
 * Prefix d0_moddep_.
 */
#ifndef D0_MODDEP_H
#define D0_MODDEP_H

#include <stddef.h>
#include "d0.h"

typedef struct d0_moddep d0_moddep;

/* Parse modules.dep text (NUL-terminated); `builtin` is modules.builtin text
 * or NULL.  `origin` names the file in errors.  Malformed lines are errors
 * naming origin and line: a broken index must not load half a closure. */
d0_moddep *d0_moddep_parse(const char *dep, const char *builtin, const char *origin, d0_err *e);
void d0_moddep_free(d0_moddep *d);

/* Normalized module name of a path or name ("kernel/x/xen-evtchn.ko.xz" ->
 * "xen_evtchn") into buf.  Returns buf. */
char *d0_moddep_name(const char *path_or_name, char *buf, size_t size);

/* Whether the index has the module (by any spelling of its name). */
int d0_moddep_has(const d0_moddep *d, const char *name);
/* Whether modules.builtin lists it: nothing to load. */
int d0_moddep_builtin(const d0_moddep *d, const char *name);

/* Append the load order for `name` to *paths (index paths, dependencies
 * first, nothing twice even across calls with the same vector).  *paths is
 * a malloc'd vector of pointers into the index, *n its length.  Errors: the
 * module or one of its dependencies missing from the index, a cycle. */
int d0_moddep_order(const d0_moddep *d, const char *name, const char ***paths, size_t *n,
                    d0_err *e);

/* Whether a path names a compressed module (.ko.xz, .ko.zst, .ko.gz). */
int d0_moddep_compressed(const char *path);

#endif
