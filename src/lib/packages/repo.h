/* repo — a Debian repository: its configuration, its signed InRelease, and
 * the packages of its Packages indexes.  Prefix: md_repo_.
 *
 * md_repo_load() fetches dists/SUITE/InRelease, verifies it with gpgv
 * against the configured keyring (exit status and [GNUPG:] VALIDSIG), takes
 * the SHA256 list from the signed text only, then fetches each component's
 * binary-ARCH/Packages(.xz|.gz), checks its size and SHA-256 against that
 * list before decompressing or parsing a byte, and parses it.  Indexes are
 * cached in CACHE/indexes (keyed by URL) and reused when their hash still
 * matches the verified InRelease.  The InRelease is fetched every time; only
 * when that fetch fails is the last copy that verified used instead (with a
 * note), and it is verified again, Valid-Until included.  Any failed check
 * is an error naming the file; nothing from a file that failed is used or
 * kept.
 *
 * Ownership: md_repo_new() copies the configuration.  md_repo_pkg records
 * and all their strings belong to the repo and live until md_repo_free().
 */
#ifndef MD_REPO_H
#define MD_REPO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "core/out.h"

typedef struct md_repo md_repo;

#define MD_REPO_DEFAULT_PRIORITY 500

typedef struct md_repo_config {
    const char *name;              /* used by pins and messages */
    const char *url;               /* base holding dists/: http(s):// or file:// */
    const char *suite;             /* e.g. "bookworm", "bookworm-security" */
    const char *const *components; /* NULL-terminated; NULL means { "main" } */
    const char *arch;              /* NULL means "amd64" */
    const char *keyring;           /* gpgv keyring file (binary, as in /usr/share/keyrings) */
    /* Like apt's pin priority: candidates from a higher-priority repository
     * win over higher versions elsewhere.  0 means MD_REPO_DEFAULT_PRIORITY.
     * Give e.g. a trixie repository a lower priority than bookworm to take
     * only pinned packages and what nothing else can satisfy from it. */
    int priority;
} md_repo_config;

/* One binary package from an index.  Read-only; fields absent from the
 * stanza are NULL (strings) or 0. */
typedef struct md_repo_pkg {
    const char *name, *version, *arch;  /* arch is the repo's or "all" */
    const char *depends, *pre_depends, *provides; /* raw field text */
    const char *multi_arch;             /* "same", "foreign", "allowed" */
    const char *priority;               /* "required", "important", ... */
    const char *filename;               /* pool path relative to the repo URL */
    const char *sha256;                 /* 64 lowercase hex digits */
    uint64_t size;                      /* bytes of the .deb */
    uint64_t installed_size;            /* KiB */
    bool essential;
    const md_repo *repo;
    const char *index;                  /* the index file it came from */
    unsigned line;                      /* line of its stanza in that file */
} md_repo_pkg;

md_repo *md_repo_new(const md_repo_config *cfg, md_err *err);
void md_repo_free(md_repo *r);

/* Fetch, verify and parse as described above; cache_dir NULL means
 * md_cache_dir().  Progress and notes (a retry, the offline fallback) go
 * to `out` (borrowed; NULL: none). */
int md_repo_load(md_repo *r, const char *cache_dir, const md_out *out, md_err *err);

/* Parse one Packages index text (already verified by the caller) and add
 * its packages.  Takes ownership of `text` (malloc'd, len bytes, need not be
 * NUL-terminated) whether it succeeds or not.  `label` names the file in
 * errors ("LABEL:LINE: ...").  On error no package of this text is added. */
int md_repo_add_index(md_repo *r, const char *label, char *text, size_t len, md_err *err);

const char *md_repo_name(const md_repo *r);
const char *md_repo_url(const md_repo *r);   /* without trailing '/' */
const char *md_repo_suite(const md_repo *r);
const char *md_repo_arch(const md_repo *r);
const char *md_repo_keyring(const md_repo *r);
const char *const *md_repo_components(const md_repo *r);
int md_repo_priority(const md_repo *r);

size_t md_repo_pkg_count(const md_repo *r);
const md_repo_pkg *md_repo_pkg_at(const md_repo *r, size_t i);

/* The .deb's URL (repo URL + "/" + Filename); caller frees. */
char *md_repo_pkg_url(const md_repo_pkg *p);

#endif
