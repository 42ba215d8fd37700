/* sha256 — SHA-256 digests (OpenSSL EVP) as lowercase hex.  Prefix md_sha256_. */
#ifndef MD_CORE_SHA256_H
#define MD_CORE_SHA256_H

#include <stddef.h>
#include "core/err.h"

/* 64 lowercase hex chars + NUL into out (caller's buffer). */
void md_sha256_hex(const void *data, size_t len, char out[65]);
/* The `n` bytes of a digest `d` (a caller's own EVP stream, or another
 * algorithm's: apk's SHA-1 and MD5) as lowercase hex: 2n chars + NUL. */
void md_sha256_digest_hex(const unsigned char *d, size_t n, char *out);
/* Of the regular file at `path` (never a FIFO or device); errors name it. */
int md_sha256_file(const char *path, char out[65], md_err *err);
/* The digest of what `fd` holds from its offset to its end (the offset is
 * left at the end).  For checking and then reading the very bytes checked,
 * with no second open by path.  `label` names the file in "LABEL: read
 * error: REASON". */
int md_sha256_fd(int fd, const char *label, char out[65], md_err *err);

#endif
