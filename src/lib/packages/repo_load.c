/* md_repo_load: InRelease -> gpgv -> SHA256 list -> Packages index.
 *
 * gpgv runs as a subprocess rather than linking GPGME: gpgv is the tool
 * Debian itself trusts for exactly this check, needs no agent or keyring
 * import, and its --output gives us precisely the bytes the signature
 * covers, so nothing outside the signed part can ever be parsed. */
#include "packages/repo.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "packages/apkindex.h"
#include "packages/apksign.h"
#include "packages/fetch.h"
#include "core/mem.h"
#include "core/size.h"
#include "core/file.h"
#include "core/sha256.h"
#include "core/out.h"
#include "core/decomp.h"
#include "core/run.h"
#include "core/dirs.h"
#include "core/url.h"

#define MAX_INRELEASE (64u << 20)
#define MAX_INDEX (512u << 20)
#define MAX_INDEX_TEXT ((size_t)2 << 30)

/* ---- gpgv ---- */

static bool status_has(const char *status, const char *key)
{
    size_t kn = strlen(key);
    /* After a match s points past its tag, which may end the text: no
     * further step (it would pass the NUL). */
    for (const char *s = status; (s = strstr(s, "[GNUPG:] "));) {
        s += 9;
        if (!strncmp(s, key, kn) && (s[kn] == ' ' || s[kn] == '\n' || s[kn] == '\0'))
            return true;
    }
    return false;
}

/* gpgv's last "gpgv: " line in its stderr (its verdict), for the error
 * message; points into log, which it cuts at that line's end. */
static const char *last_verdict(char *log)
{
    const char *res = "";
    for (char *l = log; l && *l;) {
        char *nl = strchr(l, '\n');
        if (nl)
            *nl = '\0';
        if (!strncmp(l, "gpgv: ", 6))
            res = l;
        l = nl ? nl + 1 : NULL;
    }
    return res;
}

/* Run gpgv on dir/InRelease, the signed text to dir/out; its status lines
 * (--status-fd 1) come back in r->out, its messages in r->err.  gpgv runs
 * in `dir` and gets "./InRelease" and "./out": dir is under TMPDIR, the
 * user's bytes, and a relative TMPDIR starting with '-' made the file
 * operand an option (the kind of trial 9c case 2).  `keyring` is absolute
 * (realpath): gpg looks a name without '/' up in its home directory. */
static int run_gpgv(const char *dir, const char *keyring, md_run_result *r, md_err *err)
{
    const char *argv[] = { "gpgv", "--homedir", ".", "--status-fd", "1", "--keyring", keyring,
                           "--output", "./out", "./InRelease", NULL };
    md_run_opts o = { .stderr_apart = true, .cwd = dir };
    md_err e = MD_ERR_INIT;
    int rc = md_run(argv, &o, r, &e);
    if (rc < 0)
        md_err_set(err, "%s (install the gpgv package)", e.msg);
    return rc;
}

/* Verify a clearsigned InRelease; on success *text is the signed content. */
static int gpgv_verify(const char *label, const char *keyring, const unsigned char *data,
                       size_t len, char **text, size_t *tlen, md_err *err)
{
    char kr[PATH_MAX];
    if (!realpath(keyring, kr))
        return md_err_errno(err, "keyring %s", keyring);
    char *dir = md_scratch_dir("gpgv", err);
    if (!dir)
        return -1;
    char *in = md_xasprintf("%s/InRelease", dir);
    int r = md_write_atomic(in, data, len, 0600, err);
    free(in);
    md_run_result g = { 0 };
    if (r == 0)
        r = run_gpgv(dir, kr, &g, err);
    if (r == 0) {
        const char *s = g.out;
        /* gpgv exits 0 and says VALIDSIG for a signature by an expired or
         * revoked key too (EXPKEYSIG, REVKEYSIG, EXPSIG instead of GOODSIG);
         * apt counts those as no signature, and so do we: GOODSIG is what a
         * trusted, current key's good signature says (gpg's doc/DETAILS). */
        bool ok = g.status == 0 && status_has(s, "GOODSIG") && status_has(s, "VALIDSIG") &&
                  !status_has(s, "BADSIG") && !status_has(s, "ERRSIG");
        if (!ok) {
            const char *why = last_verdict(g.err);
            r = md_err_set(err, "%s: signature verification against %s FAILED%s%s%s", label, kr,
                           status_has(s, "BADSIG") ? " (bad signature)"
                           : status_has(s, "NO_PUBKEY") ? " (signed by a key not in the keyring)"
                           : status_has(s, "EXPKEYSIG") || status_has(s, "REVKEYSIG") ||
                                   status_has(s, "EXPSIG")
                               ? " (signed by an expired or revoked key)"
                           : !status_has(s, "NEWSIG") ? " (not signed)" : "",
                           *why ? ": " : "", why);
        }
    }
    md_run_result_free(&g);
    if (r == 0) {
        char *op = md_xasprintf("%s/out", dir);
        unsigned char *d = NULL;
        r = md_read_file(op, &d, tlen, err);
        free(op);
        if (r == 0)
            *text = (char *)d;
    }
    md_remove_tree(dir, NULL);
    free(dir);
    return r;
}

/* ---- the signed Release text ---- */

typedef struct rel_file {
    char sha256[65];
    uint64_t size;
    char *path;
} rel_file;

typedef struct release {
    rel_file *files;
    size_t n;
    bool by_hash;
    char *suite, *codename, *valid_until;
} release;

static void release_free(release *rel)
{
    for (size_t i = 0; i < rel->n; i++)
        free(rel->files[i].path);
    free(rel->files);
    free(rel->suite), free(rel->codename), free(rel->valid_until);
}

static char *field_value(const char *line, size_t n)
{
    const char *c = memchr(line, ':', n);
    c++;
    while (c < line + n && isspace((unsigned char)*c))
        c++;
    const char *e = line + n;
    while (e > c && isspace((unsigned char)e[-1]))
        e--;
    return md_xstrndup(c, (size_t)(e - c));
}

static int parse_release(const char *label, char *text, release *rel, md_err *err)
{
    memset(rel, 0, sizeof *rel);
    bool in_sha = false;
    unsigned lineno = 0;
    size_t cap = 0;
    for (char *s = text; *s;) {
        char *nl = strchr(s, '\n');
        size_t n = nl ? (size_t)(nl - s) : strlen(s);
        lineno++;
        if (*s == ' ' || *s == '\t') {
            if (in_sha) {
                char hash[80], sz[32], path[1024];
                uint64_t size;
                char line[1200];
                snprintf(line, sizeof line, "%.*s", (int)n, s);
                if (sscanf(line, " %79s %31s %1023s", hash, sz, path) != 3 || strlen(hash) != 64)
                    return md_err_set(err, "%s:%u: malformed SHA256 entry", label, lineno);
                /* sscanf's %llu takes "-1" and wraps, and saturates on overflow */
                if (md_size_parse_u64(sz, INT64_MAX, &size) < 0)
                    return md_err_set(err, "%s:%u: SHA256 entry for %s: size %s is not a byte "
                                           "count (digits, at most %lld)", label, lineno, path, sz,
                                      (long long)INT64_MAX);
                rel->files = md_xgrow(rel->files, &cap, rel->n + 1, sizeof *rel->files);
                rel_file *f = &rel->files[rel->n++];
                for (int i = 0; i < 65; i++)
                    f->sha256[i] = (char)tolower((unsigned char)hash[i]);
                f->size = size;
                f->path = md_xstrdup(path);
            }
        } else if (n && memchr(s, ':', n)) {
            in_sha = !strncasecmp(s, "SHA256:", 7);
            if (!strncasecmp(s, "Suite:", 6))
                free(rel->suite), rel->suite = field_value(s, n);
            else if (!strncasecmp(s, "Codename:", 9))
                free(rel->codename), rel->codename = field_value(s, n);
            else if (!strncasecmp(s, "Valid-Until:", 12))
                free(rel->valid_until), rel->valid_until = field_value(s, n);
            else if (!strncasecmp(s, "Acquire-By-Hash:", 16)) {
                char *v = field_value(s, n);
                rel->by_hash = !strcasecmp(v, "yes");
                free(v);
            }
        } else if (n) {
            return md_err_set(err, "%s:%u: malformed line", label, lineno);
        }
        s = nl ? nl + 1 : s + n;
    }
    return 0;
}

/* Refuse a replayed old InRelease (one that still verifies but whose
 * archive has since been fixed) once its Valid-Until has passed. */
static int check_valid_until(const char *label, const release *rel, md_err *err)
{
    if (!rel->valid_until)
        return 0;
    struct tm tm = { 0 };
    const char *e = strptime(rel->valid_until, "%a, %d %b %Y %H:%M:%S", &tm);
    if (!e)
        return md_err_set(err, "%s: cannot parse Valid-Until '%s'", label, rel->valid_until);
    if (timegm(&tm) < time(NULL))
        return md_err_set(err, "%s: expired (Valid-Until %s)", label, rel->valid_until);
    return 0;
}

static const rel_file *release_find(const release *rel, const char *path)
{
    for (size_t i = 0; i < rel->n; i++)
        if (!strcmp(rel->files[i].path, path))
            return &rel->files[i];
    return NULL;
}

/* ---- indexes ---- */

/* Cache file for a URL (as md_url_shown writes it: a password in the URL
 * is no file name's business, and the same mirror serves the same files
 * whoever logs in): readable tail plus a hash of the whole URL, so
 * different repositories never share a name. */
static char *cache_name(const char *url)
{
    char h[65];
    md_sha256_hex(url, strlen(url), h);
    size_t n = strlen(url);
    const char *tail = n > 80 ? url + n - 80 : url;
    char *s = md_xasprintf("%.16s_%s", h, tail);
    for (char *c = s; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '.' && *c != '-' && *c != '_')
            *c = '_';
    return s;
}

/* Get the verified bytes of one index file: from the cache if its hash
 * still matches, else from the network (by-hash first when offered).
 * Returns 0, -1 for "could not fetch" (try another variant) or -2 for a
 * hard failure (mismatch, cache write). */
static int get_index(md_repo *r, const release *rel, const rel_file *f, const char *url,
                     const char *idxdir, const md_out *out, unsigned char **data, size_t *len,
                     md_err *err)
{
    char *shown = md_url_shown(url), *cname = cache_name(shown);
    char *cpath = md_xasprintf("%s/%s", idxdir, cname);
    free(cname);
    char hex[65];
    md_err ce = MD_ERR_INIT;
    if (md_read_file(cpath, data, len, &ce) == 0) {
        md_sha256_hex(*data, *len, hex);
        if (*len == f->size && !strcmp(hex, f->sha256)) {
            free(cpath);
            free(shown);
            return 0;
        }
        free(*data);
        unlink(cpath); /* stale or damaged: InRelease no longer vouches for it */
    }
    md_out_say(out, MD_OUT_PROGRESS, "fetching %s", shown);
    int rc = -1;
    if (rel->by_hash) {
        const char *slash = strrchr(f->path, '/');
        char *bh = md_xasprintf("%s/dists/%s/%.*s/by-hash/SHA256/%s", md_repo_url(r), md_repo_suite(r),
                                (int)(slash - f->path), f->path, f->sha256);
        md_err be = MD_ERR_INIT;
        rc = md_fetch_mem(bh, MAX_INDEX, out, data, len, &be);
        free(bh);
    }
    if (rc < 0 && md_fetch_mem(url, MAX_INDEX, out, data, len, err) < 0) {
        free(cpath);
        free(shown);
        return -1;
    }
    md_sha256_hex(*data, *len, hex);
    if (*len != f->size || strcmp(hex, f->sha256)) {
        md_err_set(err, "%s: does not match the signed InRelease (size %zu, SHA256 %s; expected size "
                   "%llu, SHA256 %s); not used", shown, *len, hex, (unsigned long long)f->size, f->sha256);
        free(*data);
        free(cpath);
        free(shown);
        return -2;
    }
    free(shown);
    int w = md_write_atomic(cpath, *data, *len, 0644, err);
    free(cpath);
    if (w < 0) {
        free(*data);
        return -2;
    }
    return 0;
}

static int load_component(md_repo *r, const release *rel, const char *comp, const char *idxdir,
                          const md_out *out, md_err *err)
{
    static const char *const exts[] = { ".xz", ".gz", "" };
    char last[sizeof err->msg] = "";
    bool listed = false;
    for (size_t i = 0; i < sizeof exts / sizeof *exts; i++) {
        char *path = md_xasprintf("%s/binary-%s/Packages%s", comp, md_repo_arch(r), exts[i]);
        const rel_file *f = release_find(rel, path);
        if (!f) {
            free(path);
            continue;
        }
        listed = true;
        char *url = md_xasprintf("%s/dists/%s/%s", md_repo_url(r), md_repo_suite(r), path);
        free(path);
        unsigned char *data;
        size_t len;
        md_err e = MD_ERR_INIT;
        int rc = get_index(r, rel, f, url, idxdir, out, &data, &len, &e);
        if (rc == -1) {
            snprintf(last, sizeof last, "%s", e.msg);
            free(url);
            continue; /* not on the server (e.g. only .xz is): try the next form */
        }
        if (rc < 0) {
            md_err_set(err, "%s", e.msg);
            free(url);
            return -1;
        }
        unsigned char *text;
        size_t tlen;
        char *shown = md_url_shown(url); /* names the index in its messages */
        rc = md_decomp_buf(shown, data, len, MAX_INDEX_TEXT, &text, &tlen, err);
        free(data);
        if (rc == 0)
            rc = md_repo_add_index(r, shown, (char *)text, tlen, err);
        free(shown);
        free(url);
        return rc;
    }
    if (!listed)
        return md_err_set(err, "InRelease lists no %s/binary-%s/Packages index", comp, md_repo_arch(r));
    return md_err_set(err, "%s", last);
}

static char *cached_inrelease_path(const char *idxdir, const char *url)
{
    char h[65];
    md_sha256_hex(url, strlen(url), h);
    h[16] = '\0';
    return md_xasprintf("%s/%s_InRelease", idxdir, h);
}

/* Fetch `url` (at most `max` bytes).  When the archive cannot be reached,
 * the last InRelease that verified (`cached`) is used instead, like apt's
 * lists (*offline): it is checked again with gpgv and for Valid-Until, so
 * it vouches for nothing it did not vouch for before, and a build from a
 * warm cache works offline.  (The same for an APKINDEX, verified again
 * against the keys.)  Without a cached copy the fetch error stands. */
static int fetch_or_cached(const char *url, const char *shown, size_t max, const char *cached,
                           const char *what, const md_out *out, unsigned char **raw, size_t *rawn,
                           bool *offline, md_err *err)
{
    md_out_say(out, MD_OUT_PROGRESS, "fetching %s", shown);
    if (md_fetch_mem(url, max, out, raw, rawn, err) == 0)
        return 0;
    struct stat st;
    if (stat(cached, &st) < 0)
        return -1;
    md_err none = MD_ERR_INIT;
    if (md_read_file(cached, raw, rawn, &none) < 0)
        return -1;
    *offline = true;
    char when[32];
    strftime(when, sizeof when, "%Y-%m-%d %H:%M UTC", gmtime(&st.st_mtime));
    md_out_say(out, MD_OUT_NOTE, "%s; using the %s verified at %s", err->msg, what, when);
    md_err_clear(err);
    return 0;
}

/* The release "vX.Y" that `s` begins with (Alpine's DESCRIPTION,
 * "v3.22.2-206-g...", or a URL's release directory "v3.22"), its length
 * in *n; NULL when it does not begin with one. */
static const char *apk_release(const char *s, size_t *n)
{
    size_t i = 1, d1, d2;
    if (s[0] != 'v')
        return NULL;
    for (d1 = 0; s[i] >= '0' && s[i] <= '9'; i++, d1++)
        ;
    if (!d1 || s[i++] != '.')
        return NULL;
    for (d2 = 0; s[i] >= '0' && s[i] <= '9'; i++, d2++)
        ;
    if (!d2 || (s[i] && !strchr("._-/", s[i])))
        return NULL;
    *n = i;
    return s;
}

static int hexdig(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
         : c >= 'a' && c <= 'f' ? c - 'a' + 10
         : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The segments of `url`'s path as a server resolves them (RFC 3986 5.2.4
 * remove_dot_segments, percent-escapes decoded), empty ones dropped as
 * a file system and common servers do: ".../v3.22//main",
 * ".../v3.22/./main", ".../v3.22/x/../main" and ".../v3%2e22/main" all
 * name release v3.22's main (trial 13x F5: the double slash passed the
 * release check).  Query and fragment are not the path. */
static void url_segments(const char *url, md_strv *segs)
{
    const char *p = strstr(url, "://");
    p = p ? strchr(p + 3, '/') : url;
    if (!p)
        return;
    size_t n = strcspn(p, "?#");
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && p[j] != '/')
            j++;
        char *seg = md_xstrndup(p + i, j - i), *o = seg;
        for (const char *c = seg; *c; c++) { /* in place: never longer */
            int hi, lo;
            if (c[0] == '%' && (hi = hexdig(c[1])) >= 0 && (lo = hexdig(c[2])) >= 0)
                *o++ = (char)(hi * 16 + lo), c += 2;
            else
                *o++ = *c;
        }
        *o = '\0';
        if (!strcmp(seg, "..")) {
            if (segs->n)
                free(segs->v[--segs->n]);
            free(seg);
        } else if (!*seg || !strcmp(seg, "."))
            free(seg);
        else
            md_strv_push_own(segs, seg);
        i = j + 1;
    }
}

/* An index whose DESCRIPTION names another release than its URL
 * (.../v3.22/main serving "v3.20.3-38-g..."): Alpine's signature covers
 * the index, not where it is served, so an older release's index verifies
 * at a newer release's URL, and every pin and the lock file would then
 * speak of a release the packages are not from.  apk-tools only prints
 * DESCRIPTION ("apk update"); mkdom0 refuses, naming both.  Checked when
 * the URL's release directory (the one before the repository's, as
 * Alpine's mirrors lay them out, in the URL's path as url_segments reads
 * it) reads as "vX.Y": against a DESCRIPTION that reads as "vX.Y" too, or
 * one of edge's ("v20250108-1386-g...": a date for a release, refused at
 * a release's URL as well).  Edge, latest-stable and a repository of
 * one's own, whose URLs name no release, are left alone. */
static int check_apk_release(const md_repo *r, const char *shown, const md_apkindex *x, md_err *err)
{
    md_strv segs = { 0 };
    url_segments(md_repo_url(r), &segs);
    const char *rel = segs.n >= 2 ? segs.v[segs.n - 2] : "";
    size_t un = 0, dn = 0;
    const char *d = md_apkindex_description(x);
    bool edge = d[0] == 'v' && strspn(d + 1, "0123456789") == 8 && d[9] == '-';
    int rc = 0;
    if (apk_release(rel, &un) && un == strlen(rel) &&
        (edge || (apk_release(d, &dn) && (un != dn || memcmp(rel, d, un)))))
        rc = md_err_set(err, "%s: the index is of %s%.*s (its DESCRIPTION is '%s'), but the URL "
                        "names release %s: another release's index at this URL (a mirror's "
                        "mistake, or an old index served as a new one: its signature holds at "
                        "any URL); check the URL", shown, edge ? "edge, snapshot " : "release ",
                        edge ? 9 : (int)dn, d, d, rel);
    md_strv_free(&segs);
    return rc;
}

/* Alpine: URL/ARCH/APKINDEX.tar.gz is signed itself, so it plays both the
 * InRelease's part (fetched every time, the last verified copy kept for
 * when the fetch fails) and the Packages index's. */
static int load_apk(md_repo *r, const char *idxdir, const md_out *out, md_err *err)
{
    const md_apksign_keys *keys = md_repo_apk_keys(r, err);
    if (!keys)
        return -1;
    char *url = md_xasprintf("%s/%s/APKINDEX.tar.gz", md_repo_url(r), md_repo_arch(r));
    char *shown = md_url_shown(url), *cname = cache_name(shown);
    char *cached = md_xasprintf("%s/%s", idxdir, cname);
    free(cname);
    unsigned char *raw = NULL;
    size_t rawn = 0;
    bool offline = false;
    int rc = fetch_or_cached(url, shown, MD_APKINDEX_MAX_FILE, cached, "APKINDEX", out, &raw, &rawn,
                             &offline, err);
    md_apkindex *x = NULL;
    if (rc == 0) {
        x = md_apkindex_load_mem(offline ? cached : shown, raw, rawn, keys, err);
        rc = x ? check_apk_release(r, offline ? cached : shown, x, err) : -1;
    }
    /* Kept only once verified, for the offline fallback above. */
    if (rc == 0 && !offline)
        rc = md_write_atomic(cached, raw, rawn, 0644, err);
    if (rc == 0)
        rc = md_repo_add_apkindex(r, x, err);
    else
        md_apkindex_free(x);
    free(raw);
    free(cached);
    free(shown);
    free(url);
    return rc;
}

/* Debian: InRelease, verified by gpgv and checked, then each component's
 * Packages index it lists. */
static int load_deb(md_repo *r, const char *idxdir, const md_out *out, md_err *err)
{
    char *url = md_xasprintf("%s/dists/%s/InRelease", md_repo_url(r), md_repo_suite(r));
    char *shown = md_url_shown(url), *cached = cached_inrelease_path(idxdir, shown);
    unsigned char *raw = NULL;
    size_t rawn = 0;
    char *text = NULL;
    size_t tlen = 0;
    release rel = { 0 };
    bool offline = false;
    int rc = fetch_or_cached(url, shown, MAX_INRELEASE, cached, "InRelease", out, &raw, &rawn,
                             &offline, err);
    if (rc == 0)
        rc = gpgv_verify(shown, md_repo_keyring(r), raw, rawn, &text, &tlen, err);
    /* Kept only once verified, for the offline fallback above. */
    if (rc == 0 && !offline)
        md_write_atomic(cached, raw, rawn, 0644, NULL);
    if (rc == 0)
        rc = parse_release(shown, text, &rel, err);
    if (rc == 0)
        rc = check_valid_until(shown, &rel, err);
    if (rc == 0 && !(rel.suite && !strcmp(rel.suite, md_repo_suite(r))) &&
        !(rel.codename && !strcmp(rel.codename, md_repo_suite(r))))
        rc = md_err_set(err, "%s: signed for suite '%s' (codename '%s'), not '%s'", shown,
                        rel.suite ? rel.suite : "", rel.codename ? rel.codename : "", md_repo_suite(r));
    for (const char *const *c = md_repo_components(r); rc == 0 && *c; c++)
        rc = load_component(r, &rel, *c, idxdir, out, err);
    release_free(&rel);
    free(raw);
    free(text);
    free(shown);
    free(url);
    free(cached);
    return rc;
}

int md_repo_load(md_repo *r, const char *cache_dir, const md_out *out, md_err *err)
{
    if (md_repo_pkg_count(r))
        return md_err_set(err, "repository %s: already loaded", md_repo_name(r));
    bool apk = md_repo_format_of(r) == MD_REPO_APK;
    if (!apk && !md_repo_keyring(r))
        return md_err_set(err, "repository %s: no keyring given; unsigned repositories are refused",
                          md_repo_name(r));
    char *idxdir = md_cache_path(cache_dir, "indexes");
    int rc = md_cache_prepare(cache_dir, "indexes", err);
    if (rc == 0)
        rc = apk ? load_apk(r, idxdir, out, err) : load_deb(r, idxdir, out, err);
    if (rc < 0)
        md_err_prefix(err, "repository %s", md_repo_name(r));
    free(idxdir);
    return rc;
}
