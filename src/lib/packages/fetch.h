/* fetch — downloads with libcurl (http://, https://, file://) and the
 * verified file cache they land in.  Prefix: md_fetch_.
 *
 * Nothing unverified is ever left under its final name: files are written
 * to a hidden temporary name in the same directory, checked against the
 * expected size and SHA-256, and only then renamed into place.
 *
 * Progress (bytes so far), retries and waits for the cache lock go to the
 * `out` each call is given (borrowed; NULL: none).
 *
 * A URL is written into messages only as md_url_shown() gives it (no
 * credentials); libcurl gets it whole.
 *
 * Ownership: buffers and paths returned through out-parameters are
 * malloc'd and belong to the caller.
 */
#ifndef MD_FETCH_H
#define MD_FETCH_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"
#include "core/out.h"

/* A transfer that receives less than MD_FETCH_STALL_BYTES a second for
 * MD_FETCH_STALL_SECONDS (environment: MKDOM0_STALL_TIMEOUT, 1 to 3600
 * seconds) has stalled: it fails (and is retried, 3 tries in all) with an
 * error naming the URL, and nothing of it is kept. */
#define MD_FETCH_STALL_BYTES 1024
#define MD_FETCH_STALL_SECONDS 60
/* The stall time in seconds: MKDOM0_STALL_TIMEOUT (md_size_env: a bad
 * value is an error), else MD_FETCH_STALL_SECONDS.  The CLI asks it once
 * before any command runs, so a bad value is refused even when nothing is
 * downloaded. */
int md_fetch_stall_seconds(long *out, md_err *err);

/* While `cancel` (may be NULL: never) points at non-zero, every transfer
 * stops within about a second and fails with "URL: download stopped
 * (interrupted)": the build's stop flag (md_build_opts.cancel), set by a
 * signal handler.  One per process; the caller resets it to NULL. */
void md_fetch_set_cancel(const volatile sig_atomic_t *cancel);

/* file:// URLs are read without libcurl and only when they name a regular
 * file (opened without waiting, so a FIFO is refused at once, not read
 * for ever); http:// and https:// by libcurl. */

/* Fetch url into memory, failing if it is larger than `max` bytes.  The
 * buffer gets a terminating NUL that `len` does not count. */
int md_fetch_mem(const char *url, size_t max, const md_out *out, unsigned char **data, size_t *len,
                 md_err *err);

/* One file whose size and SHA-256 are known in advance (a .deb), or whose
 * size is and whose content a check vouches for (an .apk, which its index
 * names by the checksum of one of its parts: apk.h). */
typedef struct md_fetch_item {
    const char *url;
    const char *name;   /* file name inside the cache directory */
    const char *label;  /* for messages and progress, e.g. the package name */
    uint64_t size;
    const char *sha256; /* 64 lowercase hex digits; NULL: `check` decides */
    /* With sha256 NULL: 0 if the file at `path` (the right size) is the
     * one wanted, else -1 with the reason in err */
    int (*check)(const char *path, void *ctx, md_err *err);
    void *ctx;
    /* NULL, or the name an older mkdom0 gave this file in the cache: a
     * copy there that is the one wanted is linked to `name` rather than
     * fetched again (a warm cache stays warm, and offline builds work) */
    const char *old_name;
} md_fetch_item;

/* Make `dir`/`name` hold the verified file: reuse it if it is there and
 * matches (a cached copy that does not match is replaced), or link
 * `old_name`'s copy if that matches, else download
 * it.  A download that does not match is deleted and is an error naming
 * the URL and the label.  *path (malloc'd) is the final path; *cached tells
 * whether the network was skipped.  Call with md_fetch_lock() held. */
int md_fetch_verified(const md_fetch_item *it, const char *dir, const md_out *out, char **path,
                      bool *cached, md_err *err);

/* Take an exclusive flock on dir/.lock (dir exists and was checked:
 * md_cache_prepare), waiting for another
 * mkdom0 that holds it, and remove temporaries a crashed run left behind.
 * Returns the lock's fd for md_fetch_unlock(), or -1. */
int md_fetch_lock(const char *dir, const md_out *out, md_err *err);
void md_fetch_unlock(int fd);

#endif
