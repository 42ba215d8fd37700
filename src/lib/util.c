#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void *md_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("mkdom0: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *md_xcalloc(size_t n, size_t m)
{
    void *p = calloc(n ? n : 1, m ? m : 1);
    if (!p) {
        fputs("mkdom0: out of memory\n", stderr);
        abort();
    }
    return p;
}

void *md_xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("mkdom0: out of memory\n", stderr);
        abort();
    }
    return p;
}

char *md_xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(md_xmalloc(n), s, n);
}

char *md_xvasprintf(const char *fmt, va_list ap)
{
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0) {
        fputs("mkdom0: out of memory\n", stderr);
        abort();
    }
    return s;
}

char *md_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = md_xvasprintf(fmt, ap);
    va_end(ap);
    return s;
}

void md_strv_push_own(md_strv *sv, char *s)
{
    if (sv->n + 2 > sv->cap) {
        sv->cap = sv->cap ? sv->cap * 2 : 8;
        sv->v = md_xrealloc(sv->v, sv->cap * sizeof *sv->v);
    }
    sv->v[sv->n++] = s;
    sv->v[sv->n] = NULL;
}

void md_strv_push(md_strv *sv, const char *s) { md_strv_push_own(sv, md_xstrdup(s)); }

bool md_strv_contains(const md_strv *sv, const char *s)
{
    for (size_t i = 0; i < sv->n; i++)
        if (strcmp(sv->v[i], s) == 0)
            return true;
    return false;
}

void md_strv_split(md_strv *sv, const char *s, bool commas)
{
    const char *seps = commas ? " \t\r\n," : " \t\r\n";
    while (*s) {
        s += strspn(s, seps);
        size_t n = strcspn(s, seps);
        if (n) {
            char *w = md_xmalloc(n + 1);
            memcpy(w, s, n);
            w[n] = '\0';
            md_strv_push_own(sv, w);
        }
        s += n;
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

void md_strv_sort(md_strv *sv)
{
    if (sv->n)
        qsort(sv->v, sv->n, sizeof *sv->v, cmp_str);
}

void md_strv_free(md_strv *sv)
{
    for (size_t i = 0; i < sv->n; i++)
        free(sv->v[i]);
    free(sv->v);
    sv->v = NULL;
    sv->n = sv->cap = 0;
}

int md_read_file(const char *path, unsigned char **data, size_t *len, md_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return md_err_errno(err, "%s: cannot open", path);
    struct stat st;
    if (fstat(fd, &st) < 0) {
        close(fd);
        return md_err_errno(err, "%s: cannot stat", path);
    }
    size_t cap = st.st_size > 0 ? (size_t)st.st_size + 1 : 4096, n = 0;
    unsigned char *buf = md_xmalloc(cap);
    for (;;) {
        if (n == cap)
            buf = md_xrealloc(buf, cap *= 2);
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(buf);
            close(fd);
            return md_err_errno(err, "%s: read error", path);
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    close(fd);
    *data = buf;
    *len = n;
    return 0;
}

int md_write_atomic(const char *path, const void *data, size_t len, unsigned mode, md_err *err)
{
    char *tmp = md_xasprintf("%s.tmp.%ld", path, (long)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    if (fd < 0) {
        md_err_errno(err, "%s: cannot create", tmp);
        free(tmp);
        return -1;
    }
    const unsigned char *p = data;
    size_t left = len;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0) {
            md_err_errno(err, "%s: write error", tmp);
            goto fail;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fchmod(fd, mode) < 0 || close(fd) < 0) {
        fd = -1;
        md_err_errno(err, "%s: cannot finish", tmp);
        goto fail;
    }
    fd = -1;
    if (rename(tmp, path) < 0) {
        md_err_errno(err, "%s: cannot rename into place", path);
        goto fail;
    }
    free(tmp);
    return 0;
fail:
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    free(tmp);
    return -1;
}

int md_mkdir_p(const char *path, unsigned mode, md_err *err)
{
    char *p = md_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, mode) < 0 && errno != EEXIST) {
            md_err_errno(err, "%s: cannot create directory", p);
            free(p);
            return -1;
        }
        *s = '/';
    }
    int r = 0;
    if (mkdir(p, mode) < 0 && errno != EEXIST)
        r = md_err_errno(err, "%s: cannot create directory", p);
    free(p);
    return r;
}

static void hex(const unsigned char *d, size_t n, char *out)
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
    hex(d, 32, out);
}

int md_sha256_file(const char *path, char out[65], md_err *err)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return md_err_errno(err, "%s: cannot open", path);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        EVP_DigestUpdate(ctx, buf, n);
    int bad = ferror(f);
    fclose(f);
    unsigned char d[32];
    unsigned int dl = 0;
    EVP_DigestFinal_ex(ctx, d, &dl);
    EVP_MD_CTX_free(ctx);
    if (bad)
        return md_err_set(err, "%s: read error", path);
    hex(d, 32, out);
    return 0;
}

/* One line on stderr, as progress and notes both look. */
static void say(const char *fmt, va_list ap)
{
    fputs("mkdom0: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

static int progress_on = -1;

void md_progress(const char *fmt, ...)
{
    if (progress_on < 0) {
        const char *e = getenv("MKDOM0_PROGRESS");
        progress_on = e ? (e[0] == '1') : isatty(2);
    }
    if (!progress_on)
        return;
    va_list ap;
    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
}

void md_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
}

char *md_cache_dir(void)
{
    const char *e = getenv("MKDOM0_CACHE");
    if (e && *e)
        return md_xstrdup(e);
    e = getenv("XDG_CACHE_HOME");
    if (e && *e)
        return md_xasprintf("%s/mkdom0", e);
    e = getenv("HOME");
    return md_xasprintf("%s/.cache/mkdom0", e && *e ? e : "/tmp");
}
