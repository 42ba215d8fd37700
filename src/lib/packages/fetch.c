#include "packages/fetch.h"

#include <curl/curl.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#include "core/mem.h"
#include "core/size.h"
#include "core/file.h"
#include "core/sha256.h"
#include "core/url.h"

#define TMP_PREFIX ".partial."

static void curl_init_once(void)
{
    static bool done;
    if (!done) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        done = true;
    }
}

/* Where the bytes of a transfer go: memory or a file being hashed. */
typedef struct sink {
    unsigned char *buf;
    size_t len, cap;
    FILE *f;
    EVP_MD_CTX *sha;
    uint64_t max, got, next_note;
    const char *label;
    const md_out *out;
    bool too_big;
    const char *path; /* the file written, for its write errors */
    const char *shown; /* the URL as messages write it (md_url_shown) */
    int write_errno;  /* why writing it failed (curl says only "Failure writing output") */
} sink;

static size_t on_data(char *p, size_t sz, size_t nm, void *ud)
{
    sink *s = ud;
    size_t n = sz * nm;
    if (s->got + n > s->max) {
        s->too_big = true;
        return 0; /* abort the transfer */
    }
    s->got += n;
    if (s->f) {
        if (fwrite(p, 1, n, s->f) != n) {
            s->write_errno = errno ? errno : EIO;
            return 0;
        }
        EVP_DigestUpdate(s->sha, p, n);
    } else {
        s->buf = md_xgrow(s->buf, &s->cap, s->len + n + 1, 1);
        memcpy(s->buf + s->len, p, n);
        s->len += n;
    }
    if (s->label && s->got >= s->next_note) {
        md_out_say(s->out, MD_OUT_PROGRESS, "%s: %llu of %llu bytes", s->label,
                   (unsigned long long)s->got, (unsigned long long)s->max);
        s->next_note = s->got + (8u << 20);
    }
    return n;
}

/* Seconds a transfer may go without receiving MD_FETCH_STALL_BYTES per
 * second before it is given up as stalled (a mirror that accepted the
 * connection and then sends nothing, or sends headers and then stops);
 * MKDOM0_STALL_TIMEOUT overrides it (1 to 3600), for slow links and for
 * the tests, which do not wait a minute per try. */
int md_fetch_stall_seconds(long *out, md_err *err)
{
    uint64_t v;
    int rc = md_size_env("MKDOM0_STALL_TIMEOUT", 1, 3600, MD_FETCH_STALL_SECONDS, &v, err);
    *out = (long)v;
    return rc;
}

/* Set by md_fetch_set_cancel: non-zero stops a transfer under way. */
static const volatile sig_atomic_t *fetch_cancel;

void md_fetch_set_cancel(const volatile sig_atomic_t *cancel)
{
    fetch_cancel = cancel;
}

static bool cancelled(void)
{
    return fetch_cancel && *fetch_cancel;
}

/* libcurl calls this about once a second even when nothing arrives. */
static int on_progress(void *ud, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
    (void)ud, (void)dt, (void)dn, (void)ut, (void)un;
    return cancelled(); /* non-zero aborts the transfer */
}

/* A file:// URL, read here rather than by libcurl: libcurl open(2)s the
 * path as it is, and a FIFO (or a device) there blocked the open, or the
 * reads, for ever, past the stall limit and past the first SIGTERM, whose
 * handler returns into the restarted open (trial 9f case 3).  Opened as
 * every other file mkdom0 reads (md_open_regular_flags: a mirror holds
 * regular files; a FIFO's open is not waited on).  The path is the
 * URL's, %-decoded as libcurl does (case 5's %2e%2e is refused where
 * file names are read, before a URL is made). */
static int read_file_url(const char *url, sink *s, md_err *err)
{
    CURLU *u = curl_url();
    char *host = NULL, *path = NULL;
    bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_PATH, &path, CURLU_URLDECODE) == CURLUE_OK;
    if (ok && curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && *host &&
        strcmp(host, "localhost"))
        ok = false; /* file://HOST/ names another machine: libcurl refuses it too */
    curl_free(host);
    curl_url_cleanup(u);
    if (!ok || !path) { /* libcurl refuses a path that decodes to control bytes (%00) */
        curl_free(path);
        return md_err_set(err, "%s: download failed: not a local file:// URL", s->shown);
    }
    int fd = md_open_regular_flags(path, 0, NULL, err);
    int rc = 0;
    if (fd < 0) {
        md_err_prefix(err, "%s: download failed", s->shown);
        rc = -1;
    } else {
        char buf[1 << 16];
        for (;;) {
            if (cancelled()) {
                rc = md_err_set(err, "%s: download stopped (interrupted)", s->shown);
                break;
            }
            ssize_t n = read(fd, buf, sizeof buf);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                rc = md_err_set(err, "%s: download failed: %s: %s", s->shown, path, strerror(errno));
                break;
            }
            if (n == 0)
                break;
            if (on_data(buf, 1, (size_t)n, s) != (size_t)n) {
                rc = -1;
                break;
            }
        }
    }
    if (fd >= 0)
        close(fd);
    curl_free(path);
    if (rc < 0 && s->too_big)
        return md_err_set(err, "%s: larger than the expected %llu bytes", s->shown,
                          (unsigned long long)s->max);
    if (rc < 0 && s->write_errno)
        return md_err_set(err, "%s: download failed: cannot write %s: %s", s->shown, s->path,
                          strerror(s->write_errno));
    return rc;
}

/* One attempt; *retry tells whether a failure looks transient. */
static int transfer_once(const char *url, sink *s, bool *retry, md_err *err)
{
    *retry = false;
    if (!strncasecmp(url, "file:", 5))
        return read_file_url(url, s, err);
    curl_init_once();
    long stall;
    if (md_fetch_stall_seconds(&stall, err) < 0)
        return -1;
    CURL *c = curl_easy_init();
    if (!c)
        return md_err_set(err, "%s: cannot initialise libcurl", s->shown);
    char ebuf[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, s);
    curl_easy_setopt(c, CURLOPT_ERRORBUFFER, ebuf);
    curl_easy_setopt(c, CURLOPT_FAILONERROR, 1L);
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https,file");
    curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, 30L);
    /* A stalled mirror must not hang a build forever: libcurl's speed
     * check runs from the request on, so it also catches a server that
     * never answers. */
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, (long)MD_FETCH_STALL_BYTES);
    curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, stall);
    curl_easy_setopt(c, CURLOPT_USERAGENT, "mkdom0/0.1");
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    /* a stop asked for (Ctrl-C, SIGTERM) ends the transfer within a second */
    curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
    curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
    CURLcode rc = curl_easy_perform(c);
    long status = 0;
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_cleanup(c);
    *retry = rc == CURLE_COULDNT_RESOLVE_HOST || rc == CURLE_COULDNT_CONNECT ||
             rc == CURLE_OPERATION_TIMEDOUT || rc == CURLE_RECV_ERROR || rc == CURLE_SEND_ERROR ||
             rc == CURLE_PARTIAL_FILE || rc == CURLE_GOT_NOTHING ||
             (rc == CURLE_HTTP_RETURNED_ERROR && status >= 500);
    if (s->too_big)
        return md_err_set(err, "%s: larger than the expected %llu bytes", s->shown,
                          (unsigned long long)s->max);
    if (s->write_errno) /* e.g. the cache's file system full (trial 9c case 13) */
        return md_err_set(err, "%s: download failed: cannot write %s: %s", s->shown, s->path,
                          strerror(s->write_errno));
    if (rc == CURLE_ABORTED_BY_CALLBACK) {
        *retry = false;
        return md_err_set(err, "%s: download stopped (interrupted)", s->shown);
    }
    if (rc != CURLE_OK)
        return md_err_set(err, "%s: download failed: %s", s->shown, ebuf[0] ? ebuf : curl_easy_strerror(rc));
    return 0;
}

/* Hosts that failed every try in this process: an archive that is down
 * (the offline fallback then takes over) should cost one timeout per
 * request, not three with backoff. */
static char down_hosts[8][256];
static size_t ndown;

static bool host_of(const char *url, char *host, size_t n)
{
    CURLU *u = curl_url();
    char *h = NULL;
    bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
              curl_url_get(u, CURLUPART_HOST, &h, 0) == CURLUE_OK && strlen(h) < n;
    if (ok)
        strcpy(host, h);
    curl_free(h);
    curl_url_cleanup(u);
    return ok;
}

static bool host_is_down(const char *host)
{
    for (size_t i = 0; i < ndown; i++)
        if (!strcmp(down_hosts[i], host))
            return true;
    return false;
}

/* Mirrors and DNS fail transiently; three tries with a short backoff
 * keep a build from dying on a blip.  Each retry starts the sink over. */
static int transfer(const char *url, sink *s, md_err *err)
{
    char host[256] = "";
    bool known_down = host_of(url, host, sizeof host) && host_is_down(host);
    for (int attempt = 1;; attempt++) {
        md_err e = MD_ERR_INIT;
        bool retry;
        if (transfer_once(url, s, &retry, &e) == 0)
            return 0;
        if (retry && attempt == 3 && host[0] && !known_down && ndown < 8)
            snprintf(down_hosts[ndown++], sizeof down_hosts[0], "%s", host);
        if (!retry || attempt == 3 || known_down)
            return md_err_set(err, "%s", e.msg);
        md_out_say(s->out, MD_OUT_NOTE, "%s (retrying)", e.msg);
        sleep((unsigned)attempt * 2);
        s->len = 0;
        s->got = 0;
        s->next_note = 0;
        if (s->f) {
            fflush(s->f);
            if (ftruncate(fileno(s->f), 0) < 0 || fseek(s->f, 0, SEEK_SET) < 0)
                return md_err_errno(err, "%s: cannot restart the download", s->shown);
            EVP_DigestInit_ex(s->sha, EVP_sha256(), NULL);
        }
    }
}

int md_fetch_mem(const char *url, size_t max, const md_out *out, unsigned char **data, size_t *len,
                 md_err *err)
{
    char *shown = md_url_shown(url);
    sink s = { .max = max, .out = out, .shown = shown };
    int r = transfer(url, &s, err);
    free(shown);
    if (r < 0) {
        free(s.buf);
        return -1;
    }
    if (!s.buf)
        s.buf = md_xmalloc(1);
    s.buf[s.len] = '\0';
    *data = s.buf;
    *len = s.len;
    return 0;
}

/* Is the file at path the one wanted?  When not, *why says why (NULL:
 * there is none). */
static bool matches(const char *path, const md_fetch_item *it, md_err *why)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return false;
    if (!S_ISREG(st.st_mode))
        return md_err_set(why, "not a regular file"), false;
    if ((uint64_t)st.st_size != it->size)
        return md_err_set(why, "%llu bytes, the index says %llu", (unsigned long long)st.st_size,
                          (unsigned long long)it->size), false;
    char hex[65];
    if (!it->sha256)
        return it->check(path, it->ctx, why) == 0;
    if (md_sha256_file(path, hex, why) < 0)
        return false;
    if (strcmp(hex, it->sha256))
        return md_err_set(why, "SHA256 %s, the index says %s", hex, it->sha256), false;
    return true;
}

/* Download into tmp, hashing on the way; verify; rename to final. */
static int download(const md_fetch_item *it, const char *tmp, const char *final, const md_out *out,
                    md_err *err)
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return md_err_errno(err, "%s: cannot create", tmp);
    char *shown = md_url_shown(it->url);
    sink s = { .f = fdopen(fd, "wb"), .sha = EVP_MD_CTX_new(), .max = it->size,
               .label = it->label, .out = out, .path = tmp, .shown = shown };
    EVP_DigestInit_ex(s.sha, EVP_sha256(), NULL);
    md_out_say(out, MD_OUT_PROGRESS, "fetching %s (%llu bytes)", it->label,
               (unsigned long long)it->size);
    s.next_note = 8u << 20;
    int r = transfer(it->url, &s, err);
    if (fclose(s.f) != 0 && r == 0)
        r = md_err_errno(err, "%s: write error", tmp);
    unsigned char d[32];
    EVP_DigestFinal_ex(s.sha, d, NULL);
    EVP_MD_CTX_free(s.sha);
    char hex[65];
    md_sha256_digest_hex(d, sizeof d, hex);
    if (r == 0 && s.got != it->size)
        r = md_err_set(err, "%s: package %s: size mismatch: got %llu bytes, index says %llu; file deleted",
                       shown, it->label, (unsigned long long)s.got, (unsigned long long)it->size);
    if (r == 0 && it->sha256 && strcmp(hex, it->sha256) != 0)
        r = md_err_set(err, "%s: package %s: SHA256 mismatch: got %s, index says %s; file deleted",
                       shown, it->label, hex, it->sha256);
    md_err ce = MD_ERR_INIT;
    if (r == 0 && !it->sha256 && it->check(tmp, it->ctx, &ce) < 0)
        r = md_err_set(err, "%s: package %s: %s; file deleted", shown, it->label, ce.msg);
    if (r == 0)
        r = md_file_rename_over(tmp, final, err);
    if (r < 0)
        unlink(tmp);
    free(shown);
    return r;
}

int md_fetch_verified(const md_fetch_item *it, const char *dir, const md_out *out, char **path,
                      bool *cached, md_err *err)
{
    if (!it->sha256 && !it->check)
        return md_err_set(err, "package %s: neither a SHA-256 nor a check to verify it", it->label);
    if (!it->name[0] || strchr(it->name, '/') || it->name[0] == '.')
        return md_err_set(err, "package %s: bad cache file name '%s'", it->label, it->name);
    char *final = md_xasprintf("%s/%s", dir, it->name);
    md_err why = MD_ERR_INIT;
    bool ok = matches(final, it, &why);
    if (!ok && it->old_name && it->old_name[0] && !strchr(it->old_name, '/') &&
        it->old_name[0] != '.') {
        /* checked, then linked, under the cache lock: no other mkdom0
         * writes either name meanwhile.  A link, not a rename: an older
         * mkdom0 sharing the cache still finds its copy, at no cost in
         * space */
        char *old = md_xasprintf("%s/%s", dir, it->old_name);
        md_err ignored = MD_ERR_INIT;
        ok = matches(old, it, &ignored) && link(old, final) == 0;
        free(old);
    }
    if (ok) {
        *path = final;
        *cached = true;
        return 0;
    }
    /* a symlink or other non-file at the name is the user's, not ours to
     * replace (issue 9): refused before the download, not after */
    if (md_file_check_replaceable(final, err) < 0) {
        free(final);
        return -1;
    }
    if (access(final, F_OK) == 0) {
        /* the reason: another index's copy may be the same bytes, but
         * signed by a key this repository does not trust (trial 13h case
         * 6: "does not match the index" when the index matched) */
        md_out_say(out, MD_OUT_NOTE, "%s/%s: cached copy refused (%s), fetching it again",
                   dir, it->name, why.set ? why.msg : "unreadable");
        unlink(final);
    }
    char *tmp = md_xasprintf("%s/" TMP_PREFIX "%s.%ld", dir, it->name, (long)getpid());
    int r = download(it, tmp, final, out, err);
    free(tmp);
    if (r < 0) {
        free(final);
        return -1;
    }
    *path = final;
    *cached = false;
    return 0;
}

int md_fetch_lock(const char *dir, const md_out *out, md_err *err)
{
    char *lp = md_xasprintf("%s/.lock", dir);
    int fd = md_file_open_lock(AT_FDCWD, lp, lp, err);
    if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
        md_out_say(out, MD_OUT_NOTE, "waiting for another mkdom0 that holds %s", lp);
        while (fd >= 0 && flock(fd, LOCK_EX) < 0)
            if (errno != EINTR) {
                md_err_errno(err, "%s: cannot lock", lp);
                close(fd);
                fd = -1;
            }
    }
    free(lp);
    if (fd < 0)
        return -1;
    /* Holding the lock, no other writer is active: anything partial is
     * from a run that died. */
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d)))
            if (!strncmp(e->d_name, TMP_PREFIX, strlen(TMP_PREFIX)))
                unlinkat(dirfd(d), e->d_name, 0);
        closedir(d);
    }
    return fd;
}

void md_fetch_unlock(int fd)
{
    if (fd >= 0)
        close(fd);
}
