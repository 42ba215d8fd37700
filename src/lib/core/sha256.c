#include "core/sha256.h"
#include "core/file.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <openssl/evp.h>

void md_sha256_digest_hex(const unsigned char *d, size_t n, char *out)
{
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = digits[d[i] >> 4];
        out[2 * i + 1] = digits[d[i] & 15];
    }
    out[2 * n] = '\0';
}

void md_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char d[32];
    unsigned int dl = 0;
    EVP_Digest(data, len, d, &dl, EVP_sha256(), NULL);
    md_sha256_digest_hex(d, sizeof d, out);
}

int md_sha256_fd(int fd, const char *label, char out[65], md_err *err)
{
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    unsigned char buf[1 << 16];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        EVP_DigestUpdate(ctx, buf, (size_t)n);
    }
    int bad = n < 0 ? errno : 0;
    unsigned char d[32];
    unsigned int dl = 0;
    EVP_DigestFinal_ex(ctx, d, &dl);
    EVP_MD_CTX_free(ctx);
    if (bad)
        return md_err_set(err, "%s: read error: %s", label, strerror(bad));
    md_sha256_digest_hex(d, sizeof d, out);
    return 0;
}

int md_sha256_file(const char *path, char out[65], md_err *err)
{
    /* Regular files only: a FIFO in an image directory hung `inspect`
     * (trial 9), and a device would be read forever. */
    int fd = md_open_regular_flags(path, 0, NULL, err);
    if (fd < 0)
        return -1;
    int rc = md_sha256_fd(fd, path, out, err);
    close(fd);
    return rc;
}
