/* debver — Debian version numbers and relation syntax (Debian Policy 5.6.12
 * and 7.1): comparing "[epoch:]upstream[-revision]" versions, checking
 * relations (<<, <=, =, >=, >>), and parsing relationship fields such as
 * Depends ("a (>= 1) | b, c:any").  Prefix: md_debver_.
 *
 * Ownership: md_debver_deps_parse() fills a caller-provided md_debver_deps
 * whose strings and arrays it allocates; release them with
 * md_debver_deps_free().  Everything else works on caller strings.
 */
#ifndef MD_DEBVER_H
#define MD_DEBVER_H

#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

/* True if v is a well-formed Debian version. */
bool md_debver_valid(const char *v);

/* <0, 0, >0 like strcmp, by Debian's ordering (epoch numerically, then
 * upstream and revision with '~' sorting before everything, even the end
 * of the string).  Both must be valid versions. */
int md_debver_cmp(const char *a, const char *b);

typedef enum md_debver_op {
    MD_DEBVER_ANY, /* no version constraint */
    MD_DEBVER_LT,  /* << */
    MD_DEBVER_LE,  /* <= (and the obsolete "<") */
    MD_DEBVER_EQ,  /* = */
    MD_DEBVER_GE,  /* >= (and the obsolete ">") */
    MD_DEBVER_GT,  /* >> */
} md_debver_op;

/* Parse an operator token ("<<", "<=", ...).  -1 if not one. */
int md_debver_op_parse(const char *s, md_debver_op *op);

/* Does version `v` satisfy "op ref"?  MD_DEBVER_ANY is always true. */
bool md_debver_satisfies(const char *v, md_debver_op op, const char *ref);

/* One relation: "name[:arch] [(op version)]". */
typedef struct md_debver_rel {
    char *name;
    char *archq;   /* ":any", ":native", ":amd64" qualifier without ':', or NULL */
    md_debver_op op;
    char *version; /* NULL when op == MD_DEBVER_ANY */
} md_debver_rel;

/* Alternatives joined by '|': satisfied by any one of them. */
typedef struct md_debver_alt {
    md_debver_rel *rels;
    size_t n;
} md_debver_alt;

/* A whole field: comma-separated groups, all of which must hold. */
typedef struct md_debver_deps {
    md_debver_alt *alts;
    size_t n;
} md_debver_deps;

/* Parse a relationship field.  Architecture lists ("[amd64]") and build
 * profiles ("<nocheck>") belong to source packages and are rejected.  On
 * error `out` is left empty and the message quotes the bad relation. */
int md_debver_deps_parse(const char *text, md_debver_deps *out, md_err *err);
void md_debver_deps_free(md_debver_deps *d);

/* "name:archq (op version)" as text; caller frees. */
char *md_debver_rel_str(const md_debver_rel *r);
/* "a (>= 1) | b" as text; caller frees. */
char *md_debver_alt_str(const md_debver_alt *a);

#endif
