/* apkver — Alpine's package versions and dependency atoms, as apk-tools
 * compares and matches them.  Prefix: md_apkver_.
 *
 * Versions (apk-package(5), "version"):
 *     number{.number}...{letter}{_suffix{number}}...{~hash}{-r#}
 * compared part by part: numbers numerically (a later number with a
 * leading zero, "1.01", byte-wise as Gentoo does), the letter by its
 * character, suffixes by rank _alpha < _beta < _pre < _rc < (none) < _cvs <
 * _svn < _git < _hg < _p, the hash byte-wise, the revision numerically.
 * When one version runs out first it is the greater, unless the other goes
 * on with a pre-release suffix; a suffix ranks above a revision
 * (1.0_rc1 < 1.0 < 1.0-r1 < 1.0_p1: apk-tools' token order).  An
 * invalid tail compares below anything valid, so the order is total.
 * This is apk-tools 3's order (src/version.c on master; Alpine 3.23, the
 * design's base, ships apk-tools 3), checked against apk-tools' own
 * vectors (tests/unit test_apkver reads
 * ../shared/alpine/reference/version.data.2.14-stable, which 3 passes
 * too).  apk-tools 2.14's version.c differs on versions the strict
 * grammar calls invalid: 3 stops comparing where a version stops being
 * valid (a digit after a letter, "6.8.0p2"), 2.14 reads on, so
 * "6.8.0p2-r0" and "6.8.0p2-r4" are equal here and in 3, ordered in 2.14
 * (trial 13x F1: 2 such pairs in 31,827 of the real indexes); the
 * resolver says in a note which it took when it meets such a tie.
 *
 * Atoms (apk-package(5) "depends", "provides", "install-if"; apk-tools'
 * apk_blob_pull_dep): "[!]name[@tag][op version]", op one of < <= = >= >
 * ~ (fuzzy: "~1.2" is any 1.2.x) <~ >~ and >< (the version is a package
 * checksum "Q1..."); "!" makes it a conflict.  Names may carry a namespace
 * ("so:libc.musl-x86_64.so.1", "cmd:sh", "pc:zlib") and are otherwise
 * opaque here: which package provides which name is the resolver's.
 *
 * Ownership: md_apkver_dep_parse() works in place (NULs written into the
 * caller's atom, which an error leaves as it was; the dep points into it).
 * Lists of atoms (D:, p:, i:, r:) are split by their one reader, the index
 * parser (apkindex.h), which keeps every atom of an index in one array.
 */
#ifndef MD_APKVER_H
#define MD_APKVER_H

#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"

/* True if v is a well-formed Alpine version ("1.2.3_rc1-r0"). */
bool md_apkver_valid(const char *v);

/* True if v is a version as Alpine's signed indexes write V: -- the
 * grammar above as its characters go: a digit first, then digits, lower
 * case letters, '.', '_' and '~', and at most one "-r" with digits at the
 * end.  Looser than md_apkver_valid because Alpine's own indexes hold
 * versions its rules call invalid (12 of 6609 in ../shared/alpine's:
 * "0.99f7-r0", "1.0.0b1-r5", "3.2p4-r0"), but never a '/', a blank, a
 * control character or a second "-r" (trial 9e: "1.0-r0<ESC>[2J" reached
 * the resolve table, "1.0-r0/../../x" a cache file name). */
bool md_apkver_valid_indexed(const char *v);

/* <0, 0, >0 like strcmp, by apk-tools' ordering (above).  Any strings. */
int md_apkver_cmp(const char *a, const char *b);

/* Operators as bit masks, apk-tools' own encoding: the comparison result
 * must be one of the set bits.  0 (MD_APKVER_ANY): no constraint. */
enum {
    MD_APKVER_ANY = 0,
    MD_APKVER_LESS = 1,
    MD_APKVER_EQUAL = 2,
    MD_APKVER_GREATER = 4,
    MD_APKVER_FUZZY = 8, /* "~": the reference is a prefix of the version */
    MD_APKVER_CHECKSUM = MD_APKVER_LESS | MD_APKVER_GREATER, /* "><" */
};

/* "<", "<=", "~", ... for a mask ("" for MD_APKVER_ANY, "?" otherwise). */
const char *md_apkver_op_str(unsigned op);

/* Does version `v` satisfy "op ref"?  MD_APKVER_ANY is always true; a NULL
 * `v` (a name provided without a version) satisfies only MD_APKVER_ANY;
 * MD_APKVER_CHECKSUM is false here (see md_apkver_dep_match). */
bool md_apkver_satisfies(const char *v, unsigned op, const char *ref);

typedef struct md_apkver_dep {
    const char *name;    /* "musl", "so:libc.musl-x86_64.so.1", "cmd:sh" */
    const char *version; /* NULL when op is MD_APKVER_ANY */
    const char *tag;     /* "edge" of "name@edge" (a pinned repository), or NULL */
    unsigned op;
    bool conflict;       /* "!name...": what matches must not be installed */
} md_apkver_dep;

/* How strictly md_apkver_dep_parse takes a version. */
typedef enum md_apkver_strict {
    /* a version must be md_apkver_valid, as apk-tools asks of what a user
     * writes */
    MD_APKVER_STRICT,
    /* any version without blanks and any name, as written: Alpine's own
     * indexes hold versions today's rules call invalid ("0.99f7-r0",
     * "5.3.0_", "0.103.o"), which still compare (an invalid part below a
     * valid one), and names outside the documented set ("cmd:kdevelop!") */
    MD_APKVER_AS_WRITTEN,
} md_apkver_strict;

/* Parse one atom in place ("so:libfoo.so.1", "!busybox<1.2", "xen=4.17.0-r0").
 * Refused: an empty name or one with characters apk does not allow, an
 * unknown operator, an operator without a version, a version that is not
 * valid per `strict` (for "><" always a checksum of Q1/Q2 + base64), a tag
 * that is empty. */
int md_apkver_dep_parse(char *atom, md_apkver_strict strict, md_apkver_dep *out, md_err *err);

/* Does a candidate of version `version` (NULL: provided without one) and
 * index checksum `checksum` ("Q1...", may be NULL) satisfy d's name-less
 * constraint?  The conflict flag is not applied: for "!x<2" the candidate
 * is forbidden exactly when this is true.  Names are the caller's. */
bool md_apkver_dep_match(const md_apkver_dep *d, const char *version, const char *checksum);

/* A package checksum as an index's C: and a "><" atom write it: "Q1" +
 * base64 of a SHA-1 digest, or "Q2" + base64 of a SHA-256 one.  0 with
 * the digest in `digest` and its length (20 or 32) in *len; -1 if `s` is
 * not one. */
int md_apkver_checksum_parse(const char *s, unsigned char digest[32], size_t *len);

/* "!name@tag>=1.2" as text; caller frees. */
char *md_apkver_dep_str(const md_apkver_dep *d);

#endif
