/* procmisc — the Xen device nodes named by /proc/misc.
 *
 * Every Xen device is a misc device (char major 10); the kernel lists each
 * registered one in /proc/misc as "MINOR NAME", and the Xen ones are named
 * "xen/NAME" (xen/evtchn, xen/gntdev, xen/privcmd, xen/xenbus...).  Without
 * devtmpfs nothing creates /dev/xen/NAME, so we read the minors from there.
 * Prefix d0_misc_.
 */
#ifndef D0_PROCMISC_H
#define D0_PROCMISC_H

#include <stddef.h>

#define D0_MISC_MAJOR 10u
/* Linux minors are 20 bits wide; a larger number is not a real device. */
#define D0_MINOR_MAX ((1u << 20) - 1)

typedef struct d0_misc_dev {
    unsigned minor;
    char name[64]; /* the part after "xen/": a single path component */
} d0_misc_dev;

typedef struct d0_misc {
    d0_misc_dev *devs; /* xen/ entries in file order, no duplicate names */
    size_t n;
    size_t ignored;    /* well-formed lines of other devices (not xen/...) */
    size_t bad;        /* lines that are not "MINOR NAME", or a xen/ name that
                          is no single safe path component, or a minor out of
                          range, or a name listed twice */
    unsigned first_bad_line; /* 1-based line number of the first bad line, 0 if none */
} d0_misc;

/* Parse /proc/misc text (NUL-terminated).  Never fails: bad lines are
 * counted, not fatal, because one odd driver must not keep the Xen devices
 * from being created.  Free with d0_misc_free. */
void d0_misc_parse(const char *text, d0_misc *out);
void d0_misc_free(d0_misc *m);

/* The entry named `name` (without "xen/"), or NULL. */
const d0_misc_dev *d0_misc_find(const d0_misc *m, const char *name);

#endif
