/* apkindex — an Alpine repository index (APKINDEX.tar.gz, apk v2 format):
 * its signature verified, then its DESCRIPTION and the package records of
 * its APKINDEX read for a resolver.  Prefix: md_apkindex_.
 *
 * The file is gzip members: the first holds the signatures (apksign.h),
 * which cover the compressed bytes of all the others; those are one tar
 * holding DESCRIPTION (the repository's version, "v3.20.3-38-g...") and
 * APKINDEX.  Nothing is parsed before the signature verified.
 *
 * APKINDEX is records separated by blank lines, one "X:value" field a
 * line (apk-package(5) gives the letters): P name, V version, A arch,
 * C checksum of the package's control member (apk.h), S .apk size,
 * I installed size, T description, U url, L licence, o origin,
 * m maintainer, t build time, c repository commit, k provider priority,
 * D depends, p provides, i install-if, r replaces, q replaces priority.
 * As apk does, another lower-case letter is ignored and another upper-case
 * one marks the package as one this reader cannot install (`uninstallable`).
 * Refused with "FILE:LINE: reason" (FILE the index's path): a line that is
 * not "X:value", a field twice in a record, a record without P, V, A, C or
 * S, a bad name, checksum, number or atom, an empty version, a provides
 * with an operator other than "=", and inputs past the limits below.
 * Versions are kept as written, in V: and in atoms (MD_APKVER_AS_WRITTEN):
 * Alpine's own indexes hold a few that apk-tools' rules call invalid.
 *
 * Ownership: the index owns its text and its records; every string and
 * md_apkver_dep of a record points into it and lives until
 * md_apkindex_free().  Errors are status + md_err; nothing is printed.
 */
#ifndef MD_APKINDEX_H
#define MD_APKINDEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "packages/apksign.h"
#include "packages/apkver.h"

/* Limits: the file (Alpine's largest, edge community, is about 2.5 MiB),
 * the tar inside it decompressed (that one about 10 MiB; v3.18 community
 * 6.2 MiB) and its members (apk writes two, DESCRIPTION and APKINDEX),
 * DESCRIPTION, one line, the records and the atoms of one field.  The tar
 * is held three times while it is read (decompressed, in the tree, the
 * APKINDEX text), so 64 MiB costs at most about 200 MB: trial 13x F2, a
 * signed 3 MB index of 3 GiB of newlines, read to a 1 GiB cap and ran
 * out of memory. */
#define MD_APKINDEX_MAX_FILE ((size_t)256 << 20)
#define MD_APKINDEX_MAX_TEXT ((size_t)64 << 20)
#define MD_APKINDEX_MAX_MEMBERS 64u
#define MD_APKINDEX_MAX_DESCRIPTION 4096u
#define MD_APKINDEX_MAX_LINE ((size_t)1 << 20)
#define MD_APKINDEX_MAX_PKGS ((size_t)1 << 20)
#define MD_APKINDEX_MAX_ATOMS 65536u

typedef struct md_apkindex md_apkindex;

/* One record.  Strings absent from it are NULL, numbers 0. */
typedef struct md_apkindex_pkg {
    const char *name, *version, *arch;        /* P V A */
    const char *checksum;                     /* C: "Q1" + base64(SHA-1), as written */
    uint64_t size;                            /* S: bytes of the .apk */
    uint64_t installed_size;                  /* I: bytes */
    const char *description, *url, *license;  /* T U L */
    const char *origin, *maintainer, *commit; /* o m c */
    int64_t build_time;                       /* t: seconds since the epoch */
    /* k: present (has_provider_priority) lets a resolver pick this package
     * for a name it provides without a version (apk-package(5)) */
    bool has_provider_priority;
    unsigned provider_priority;
    unsigned replaces_priority;               /* q */
    const md_apkver_dep *depends;    size_t ndepends;    /* D */
    const md_apkver_dep *provides;   size_t nprovides;   /* p: op ANY or EQUAL */
    const md_apkver_dep *install_if; size_t ninstall_if; /* i */
    const md_apkver_dep *replaces;   size_t nreplaces;   /* r */
    bool uninstallable; /* an upper-case field this reader does not know */
    const md_apkindex *index;
    unsigned line;      /* of the record's first field in APKINDEX */
} md_apkindex_pkg;

/* Read the APKINDEX.tar.gz at `path`, verify it against `keys`, parse it.
 * Refused (nothing returned): an unreadable, truncated or corrupt file, a
 * signature that does not hold (apksign.h), members after the signature
 * that are not gzip (apk-v2(5)), a tar past the limits above (the error
 * names the file and the limit), no APKINDEX in the tar, a parse error.
 * Caller frees. */
md_apkindex *md_apkindex_load(const char *path, const md_apksign_keys *keys, md_err *err);
/* The same for the file's bytes already in memory (a download: nothing
 * reaches the cache before it verified); `label` (its URL) names it in
 * errors and becomes md_apkindex_label().  `data` stays the caller's. */
md_apkindex *md_apkindex_load_mem(const char *label, const unsigned char *data, size_t len,
                                  const md_apksign_keys *keys, md_err *err);

/* Parse APKINDEX text the caller has verified (or a test's own): takes
 * `text` (malloc'd, `len` bytes, need not be NUL-terminated) whether it
 * succeeds or not; `label` names it in errors.  Caller frees. */
md_apkindex *md_apkindex_parse(const char *label, char *text, size_t len, md_err *err);

void md_apkindex_free(md_apkindex *x);

const char *md_apkindex_label(const md_apkindex *x);       /* the path, or parse's label */
const char *md_apkindex_description(const md_apkindex *x); /* DESCRIPTION, or "" */
const char *md_apkindex_signer(const md_apkindex *x);      /* the trusting key's name, or NULL */
size_t md_apkindex_count(const md_apkindex *x);
const md_apkindex_pkg *md_apkindex_pkg_at(const md_apkindex *x, size_t i);
/* The first record named `name` (records keep the file's order), or NULL. */
const md_apkindex_pkg *md_apkindex_find(const md_apkindex *x, const char *name);

/* The package's file name in its repository, "NAME-VERSION.apk"
 * (apk-repositories(5)); caller frees. */
char *md_apkindex_pkg_filename(const md_apkindex_pkg *p);

#endif
