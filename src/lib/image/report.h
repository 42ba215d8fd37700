/* report — where the bytes of an image go: by package (origin) and by
 * category (modules, libraries, binaries, config, other).  Prefix md_report_. */
#ifndef MD_REPORT_H
#define MD_REPORT_H

#include <stddef.h>
#include "image/tree.h"

typedef struct md_report md_report;

/* Caller frees with md_report_free(). */
md_report *md_report_new(const md_tree *t);
void md_report_free(md_report *r);
/* Human-readable tables, one line each ending in '\n': categories, then the
 * `top` largest origins (0: all).  Caller frees. */
char *md_report_text(const md_report *r, size_t top);

/* What a group of origins (packages) costs, for an option that adds them:
 * "LABEL: X MiB uncompressed in F files (P% of the image), N packages:"
 * then the origins, largest first, one indented line each as in
 * md_report_text().  Origins the image has no file of count as 0.
 * `origins` is NULL-terminated.  Caller frees. */
char *md_report_cost_text(const md_report *r, const char *label, const char *const *origins);

#endif
