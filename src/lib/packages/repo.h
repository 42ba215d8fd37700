/* repo — a package repository, the one package source the resolver reads:
 * its configuration, its signed index, and its packages.  Two formats plug
 * into it (md_repo_format), each with its own index, version order and
 * relation syntax; the resolver sees both through md_repo_pkg and the
 * relation model below.  Prefix: md_repo_.
 *
 * Debian (MD_REPO_DEB): md_repo_load() fetches dists/SUITE/InRelease,
 * verifies it with gpgv
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
 * Alpine (MD_REPO_APK; apk-repositories(5)): the URL names one repository
 * of one release (".../alpine/v3.22/main"); md_repo_load() fetches
 * URL/ARCH/APKINDEX.tar.gz, which is its own signature (apkindex.h), and
 * verifies it against the trusted keys directory before a byte is parsed.
 * As the InRelease, it is fetched every time and kept in CACHE/indexes once
 * verified; when the fetch fails the kept copy is used (with a note) and
 * verified again.
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
struct md_apkindex;
struct md_apkindex_pkg;

typedef enum md_repo_format {
    MD_REPO_DEB, /* a Debian archive (the default) */
    MD_REPO_APK, /* an Alpine repository */
} md_repo_format;

#define MD_REPO_DEFAULT_PRIORITY 500

typedef struct md_repo_config {
    md_repo_format format;         /* 0: MD_REPO_DEB */
    const char *name;              /* used by pins and messages */
    /* http(s):// or file://; Debian: the base holding dists/; Alpine: one
     * repository of a release, the directory holding ARCH/ */
    const char *url;
    /* Debian only (NULL for Alpine): */
    const char *suite;             /* e.g. "bookworm", "bookworm-security" */
    const char *const *components; /* NULL-terminated; NULL means { "main" } */
    const char *keyring;           /* gpgv keyring file (binary, as in /usr/share/keyrings) */
    /* NULL means "amd64" (Debian) or "x86_64" (Alpine) */
    const char *arch;
    /* Alpine only: the trusted keys directory (apksign.h; /etc/apk/keys) */
    const char *keys;
    /* Like apt's pin priority: candidates from a higher-priority repository
     * win over higher versions elsewhere.  0 means MD_REPO_DEFAULT_PRIORITY.
     * Give e.g. a trixie repository a lower priority than bookworm to take
     * only pinned packages and what nothing else can satisfy from it. */
    int priority;
} md_repo_config;

/* One binary package from an index.  Read-only; fields absent from the
 * stanza are NULL (strings) or 0.  Relations are read through
 * md_repo_pkg_rels(), whatever the format. */
typedef struct md_repo_pkg {
    const char *name, *version, *arch;  /* arch is the repo's or "all" (Debian), "noarch" */
    const char *depends, *pre_depends, *provides; /* Debian: raw field text */
    const char *multi_arch;             /* "same", "foreign", "allowed" */
    const char *priority;               /* "required", "important", ... */
    const char *filename;               /* relative to the repo URL: Debian's pool path,
                                           Alpine's "ARCH/NAME-VERSION.apk" */
    const char *sha256;                 /* Debian: 64 lowercase hex digits; Alpine: NULL */
    uint64_t size;                      /* bytes of the .deb or .apk */
    uint64_t installed_size;            /* KiB (Alpine's I: bytes, rounded up) */
    bool essential;
    const md_repo *repo;
    const char *index;                  /* the index file it came from */
    unsigned line;                      /* line of its stanza in that file */
    /* Alpine: the index record (checksum C:, D: p: i:, k:), else NULL */
    const struct md_apkindex_pkg *apk;
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

/* Alpine: add the packages of a verified index (md_apkindex_load*) of
 * this repository's architecture ("noarch" too); takes `x` whether it
 * succeeds or not.  Refused for a Debian repository. */
int md_repo_add_apkindex(md_repo *r, struct md_apkindex *x, md_err *err);

md_repo_format md_repo_format_of(const md_repo *r);
const char *md_repo_format_name(md_repo_format f); /* "deb", "apk" */
/* Alpine: the trusted keys of its keys directory (md_repo_config's
 * `keys`), read on the first call and kept by the repository (freed with
 * it): its index (md_repo_load) and its packages (md_resolve_download, the
 * build's extraction) are verified by one reading of the directory, so a
 * key added or removed during a build cannot make them trust different
 * keys.  NULL with the error when the directory cannot be read or holds no
 * key (apksign.h), or for Debian. */
struct md_apksign_keys;
const struct md_apksign_keys *md_repo_apk_keys(const md_repo *r, md_err *err);
/* Alpine: the architecture of a record named `name` that the repository's
 * index lists for another architecture than the repository's (and not
 * noarch), so none of it was added; NULL if none.  For messages. */
const char *md_repo_apk_other_arch(const md_repo *r, const char *name);
/* Alpine: the loaded index's DESCRIPTION ("v3.22.2-206-g..."), else NULL */
const char *md_repo_description(const md_repo *r);
const char *md_repo_name(const md_repo *r);
/* Without trailing '/'; whole, credentials and all: for libcurl only */
const char *md_repo_url(const md_repo *r);
/* The same as md_url_shown() writes it (no credentials): for any text */
const char *md_repo_url_shown(const md_repo *r);
const char *md_repo_suite(const md_repo *r); /* NULL for Alpine */
const char *md_repo_arch(const md_repo *r);
const char *md_repo_keyring(const md_repo *r);
const char *const *md_repo_components(const md_repo *r);
int md_repo_priority(const md_repo *r);

size_t md_repo_pkg_count(const md_repo *r);
const md_repo_pkg *md_repo_pkg_at(const md_repo *r, size_t i);

/* The .deb's or .apk's URL (repo URL + "/" + filename), whole (text
 * writes it through md_url_shown); caller frees. */
char *md_repo_pkg_url(const md_repo_pkg *p);

/* ---- relations, one model for every format ----
 *
 * A dependency field is groups that must all hold, each satisfied by any
 * one of its alternatives (Debian's "a | b"; an Alpine atom is a group of
 * one).  Versions compare by the format's own rules (debver.h,
 * apkver.h); operators are sets of comparison outcomes in apk-tools'
 * encoding (MD_REPO_LESS|MD_REPO_EQUAL is "<=", Debian's "<<" is
 * MD_REPO_LESS), so one matcher serves both. */
enum {
    MD_REPO_ANY = 0,
    MD_REPO_LESS = 1,
    MD_REPO_EQUAL = 2,
    MD_REPO_GREATER = 4,
    MD_REPO_FUZZY = 8,                          /* Alpine "~" */
    MD_REPO_CHECKSUM = MD_REPO_LESS | MD_REPO_GREATER, /* Alpine "><" */
};

typedef struct md_repo_rel {
    const char *name;
    const char *version; /* NULL when op is MD_REPO_ANY */
    unsigned op;
    const char *archq;   /* Debian ":any", ":native", ":ARCH" without ':', or NULL */
    bool conflict;       /* Alpine "!name": what matches must not be installed */
} md_repo_rel;

typedef struct md_repo_group {
    const md_repo_rel *rels;
    size_t n;
} md_repo_group;

typedef struct md_repo_rels {
    md_repo_format format;
    md_repo_group *groups;
    size_t n;
    void *own;            /* what the strings point into, when not the repo */
} md_repo_rels;

typedef enum md_repo_field {
    MD_REPO_DEPENDS,      /* Debian: Pre-Depends then Depends; Alpine: D: */
    MD_REPO_PROVIDES,     /* Debian: Provides; Alpine: p: (op ANY or EQUAL) */
    MD_REPO_INSTALL_IF,   /* Alpine: i: (all must hold); Debian: none */
} md_repo_field;

/* A package's field in the model above; `out` freed with
 * md_repo_rels_free() (also after an error, which names the index, line,
 * package and field). */
int md_repo_pkg_rels(const md_repo_pkg *p, md_repo_field f, md_repo_rels *out, md_err *err);
void md_repo_rels_free(md_repo_rels *r);

/* The format's version order: <0, 0, >0. */
int md_repo_vercmp(md_repo_format f, const char *a, const char *b);
/* Does a candidate of version `version` (a package's own or a provided
 * one; NULL: provided without a version, which matches only MD_REPO_ANY)
 * satisfy rel's version constraint?  `checksum` (Alpine's C:, or NULL) is
 * for "><".  Names, arch qualifiers and the conflict flag are the caller's. */
bool md_repo_rel_match(md_repo_format f, const md_repo_rel *rel, const char *version,
                       const char *checksum);
/* As the format writes it: "libfoo (>= 2)", "so:libfoo.so.1>=2"; a group
 * "a (>= 1) | b".  Caller frees. */
char *md_repo_rel_str(md_repo_format f, const md_repo_rel *rel);
char *md_repo_group_str(md_repo_format f, const md_repo_group *g);

#endif
