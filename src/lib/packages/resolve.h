/* resolve — from requested package names to the closed set of packages an
 * image needs, their download, and the lock file that records them.
 * Prefix: md_resolve_.
 *
 * Rules (Debian semantics, minus everything an unpacked-only image needs
 * not care about: Recommends, Suggests, Conflicts/Breaks, maintainer
 * scripts):
 *  - Depends and Pre-Depends with version constraints; alternatives "a | b"
 *    take the first that is already selected, else the first satisfiable;
 *    virtual packages through Provides (a versioned dependency needs a
 *    versioned Provides); ":any"/":native"/":ARCH" qualifiers (single-arch).
 *  - Candidate order: pin (package -> repository) first, then repository
 *    priority, then the highest version.  A package is installed in one
 *    version only; when a later constraint rules out the version picked
 *    earlier, resolution restarts with what it learnt.
 *  - A dependency that no allowed version satisfies (a pin forbids the
 *    version asked for, or another request took another one) sets the
 *    asking package's version aside and resolution restarts, so that
 *    another version of it, one whose dependencies fit, is taken (as
 *    apk-tools' solver backtracks): with xen-libs pinned to an older
 *    release, xen-dev comes from that release too, since the newer one's
 *    needs xen-libs=4.20.  When no version of the asker fits, the error
 *    gives the first failure's chain and why each other version failed;
 *    chains name the pin (and its "FILE:LINE") of every pinned package.
 *  - Excludes: names that are never installed.  A dependency on an excluded
 *    name (or one only excluded packages could satisfy) counts as satisfied
 *    and is reported, e.g. "skipped python3 (excluded), wanted by
 *    xen-utils-4.17".  Requesting an excluded name is an error.
 *  - Dependency cycles are legal and resolved once.
 *  - Failure names the chain: "xen-utils-4.17 -> libxenctrl4.17 (= 4.17.7)
 *    -> libfoo (>= 2): no version satisfies (available: ...)".
 *
 * Alpine repositories (repo.h MD_REPO_APK; one format per resolution) take
 * the same rules with apk-tools' where they differ: its version order and
 * atoms (apkver.h); the real package of a name and its providers compete,
 * ranked after pin and repository priority by provided version, package
 * version, provider_priority (k:), repository order (apk-tools'
 * compare_providers); a name provided without a version is taken only
 * from a package with a provider_priority; a provider whose name another
 * version took is learnt and resolution restarts; a name provided with a
 * version has one owner (two packages owning it are refused, as apk's
 * "conflict: same name provided"); a package whose
 * install_if atoms all hold is added; a candidate that would break a
 * "!name" is passed over while another fits, else the conflict is an
 * error naming both chains.
 *
 * Ownership: the result keeps pointers into the repos, which must outlive
 * it.  Strings returned by accessors belong to the result.
 */
#ifndef MD_RESOLVE_H
#define MD_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "core/out.h"
#include "core/strv.h"
#include "packages/repo.h"

typedef struct md_resolve md_resolve;

typedef struct md_resolve_pin {
    const char *package;
    const char *repo;   /* a md_repo_name() */
    const char *origin; /* where the pin was written ("FILE:LINE"), named in errors; may be NULL */
} md_resolve_pin;

typedef struct md_resolve_opts {
    md_repo *const *repos;    /* loaded repositories */
    size_t nrepos;
    const char *const *want;  /* NULL-terminated (or NULL): requested names */
    const char *const *exclude; /* NULL-terminated (or NULL) */
    const md_resolve_pin *pins;
    size_t npins;
    bool essential;           /* also install every Essential: yes package */
    const md_out *out;        /* notes of md_resolve_download() (borrowed); NULL: none */
    bool own_repos;           /* on success the result takes repos[] (md_xmalloc'd, each
                                 md_repo too) and frees them with itself */
} md_resolve_opts;

md_resolve *md_resolve_run(const md_resolve_opts *o, md_err *err);
/* Frees the result and the repositories it owns (own_repos, md_resolve_spec). */
void md_resolve_free(md_resolve *r);

/* The whole step for an image spec: make and load (fetch, verify, parse)
 * its repositories, then resolve its [Packages] (Include, Exclude, Pin,
 * Essential).  The result owns the repositories.  cache_dir NULL:
 * md_cache_dir().  Progress and notes go to `out` (borrowed, kept for
 * md_resolve_download(); NULL: none). */
struct md_spec;
md_resolve *md_resolve_spec(const struct md_spec *spec, const char *cache_dir, const md_out *out,
                            md_err *err);

/* The resolved packages, sorted by name. */
size_t md_resolve_count(const md_resolve *r);
const md_repo_pkg *md_resolve_pkg(const md_resolve *r, size_t i);
/* "requested", "essential" or "dependency of X" (+ " (provides V)"). */
const char *md_resolve_why(const md_resolve *r, size_t i);
/* Local .deb after md_resolve_download(), else NULL. */
const char *md_resolve_path(const md_resolve *r, size_t i);

/* What requested package `name` alone brings in: `name` and every package
 * no other requested (or essential) package reaches through Depends and
 * Pre-Depends, each group taken as the resolver satisfied it.  Appends
 * their names to `out` (the caller frees it), sorted by name.  Error if
 * `name` was not requested.  What an option that adds one package costs. */
int md_resolve_only_for(md_resolve *r, const char *name, md_strv *out, md_err *err);
/* Reports of excluded dependencies, in the order met. */
size_t md_resolve_skipped_count(const md_resolve *r);
const char *md_resolve_skipped(const md_resolve *r, size_t i);

uint64_t md_resolve_total_size(const md_resolve *r);      /* .deb bytes */
uint64_t md_resolve_total_installed(const md_resolve *r); /* KiB, from Installed-Size */

typedef struct md_resolve_stats {
    size_t downloaded, cached;
    uint64_t bytes_downloaded;
} md_resolve_stats;

/* Put every .deb into CACHE/debs (cache_dir NULL: md_cache_dir()), verified
 * by size and SHA-256, under a lock shared with concurrent mkdom0 runs.
 * Alpine: every .apk (URL/ARCH/NAME-VERSION.apk) into CACHE/apks as
 * NAME-VERSION.HASH.apk, kept only when apk.h's md_apk_open verifies it
 * against its index record and its repository's keys.
 * Says "debs: N downloaded (B bytes), M cached" ("apks: ...") as a note to
 * the result's out (see md_resolve_opts), with progress as the downloads
 * go.  stats may be NULL. */
int md_resolve_download(md_resolve *r, const char *cache_dir, md_resolve_stats *stats, md_err *err);

/* Write the lock file (atomically): one "repository NAME URL SUITE" line per
 * repository, then one "package NAME VERSION ARCH REPOSITORY SIZE SHA256"
 * line per package, sorted by name.  Alpine: "repository NAME URL ARCH
 * INDEX" (INDEX: the APKINDEX's DESCRIPTION, "-" when empty or not one
 * word of printable characters) and SHA256's column is the index's C: checksum ("Q1...").  URL is
 * md_url_shown's: the lock travels with the image (its manifest), a
 * password in URL= does not. */
int md_resolve_write_lock(const md_resolve *r, const char *path, md_err *err);
/* The same with `extra` (lines, each ending in '\n'; NULL: none) after the
 * packages: the build's manifest adds the modloop it read there. */
int md_resolve_write_lock_with(const md_resolve *r, const char *path, const char *extra,
                               md_err *err);

#endif
