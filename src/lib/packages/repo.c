/* The repository object and the Packages index parser.  Fetching and
 * verification (md_repo_load) live in repo_load.c.
 *
 * The parser works in place: the index text is kept for the repo's lifetime
 * and every string of a md_repo_pkg points into it, so a 50 MB index costs
 * one buffer plus a small record per package and no per-field allocation. */
#include "packages/repo.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "packages/apkindex.h"
#include "packages/apksign.h"
#include "packages/debver.h"
#include "spec/spec.h"
#include "core/mem.h"
#include "core/size.h"
#include "core/strv.h"
#include "core/url.h"

/* One parsed index: its text and the packages pointing into it. */
typedef struct chunk {
    char *text;
    char *label;
    md_repo_pkg *pkgs;
    size_t n;
    md_apkindex *apk; /* Alpine: the index the packages point into */
} chunk;

struct md_repo {
    md_repo_format format;
    char *name, *url, *suite, *arch, *keyring, *keys;
    char *shown; /* url as text writes it (md_url_shown) */
    md_apksign_keys *apk_keys; /* Alpine: `keys` read once (md_repo_apk_keys) */
    md_strv components;
    int priority;
    chunk *chunks;
    size_t nchunks;
    size_t npkgs;
};

/* A repository or architecture name names files in the cache: the spec's
 * rule, one word and never a path. */
static bool valid_name(const char *s)
{
    return md_spec_repo_name_ok(s);
}

md_repo *md_repo_new(const md_repo_config *cfg, md_err *err)
{
    if (!valid_name(cfg->name))
        return md_err_set(err, "repository name '%s' is empty or has odd characters",
                          cfg->name ? cfg->name : ""), NULL;
    if (!cfg->url || (strncmp(cfg->url, "http://", 7) && strncmp(cfg->url, "https://", 8) &&
                      strncmp(cfg->url, "file://", 7))) {
        char *shown = md_url_shown(cfg->url ? cfg->url : "");
        md_err_set(err, "repository %s: URL '%s' is not http://, https:// or file://", cfg->name,
                   shown);
        free(shown);
        return NULL;
    }
    bool apk = cfg->format == MD_REPO_APK;
    if (cfg->format != MD_REPO_DEB && !apk)
        return md_err_set(err, "repository %s: unknown format %d", cfg->name, (int)cfg->format), NULL;
    if (apk && (cfg->suite || cfg->components || cfg->keyring))
        return md_err_set(err, "repository %s: an Alpine repository has no suite, components or "
                          "keyring (its URL names the release and repository; keys: a directory)",
                          cfg->name), NULL;
    if (apk && (!cfg->keys || !*cfg->keys))
        return md_err_set(err, "repository %s: no keys directory given; unsigned repositories are "
                          "refused", cfg->name), NULL;
    if (!apk && (!cfg->suite || !*cfg->suite || strchr(cfg->suite, ' ')))
        return md_err_set(err, "repository %s: missing or bad suite", cfg->name), NULL;
    if (cfg->arch && !valid_name(cfg->arch))
        return md_err_set(err, "repository %s: bad architecture '%s'", cfg->name, cfg->arch), NULL;
    md_repo *r = md_xcalloc(1, sizeof *r);
    r->format = cfg->format;
    r->name = md_xstrdup(cfg->name);
    r->url = md_xstrdup(cfg->url);
    for (size_t n = strlen(r->url); n > 0 && r->url[n - 1] == '/'; n--)
        r->url[n - 1] = '\0';
    r->shown = md_url_shown(r->url);
    r->arch = md_xstrdup(cfg->arch ? cfg->arch : apk ? "x86_64" : "amd64");
    r->priority = cfg->priority ? cfg->priority : MD_REPO_DEFAULT_PRIORITY;
    if (apk) {
        r->keys = md_xstrdup(cfg->keys);
        return r;
    }
    r->suite = md_xstrdup(cfg->suite);
    r->keyring = md_xstrdup_or_null(cfg->keyring);
    if (cfg->components && cfg->components[0])
        for (const char *const *c = cfg->components; *c; c++)
            md_strv_push(&r->components, *c);
    else
        md_strv_push(&r->components, "main");
    for (size_t i = 0; i < r->components.n; i++)
        if (!valid_name(r->components.v[i]) && !strchr(r->components.v[i], '/')) {
            md_err_set(err, "repository %s: bad component '%s'", r->name, r->components.v[i]);
            md_repo_free(r);
            return NULL;
        }
    return r;
}

void md_repo_free(md_repo *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->nchunks; i++) {
        free(r->chunks[i].text);
        free(r->chunks[i].label);
        free(r->chunks[i].pkgs);
        md_apkindex_free(r->chunks[i].apk);
    }
    free(r->chunks);
    md_strv_free(&r->components);
    free(r->name);
    free(r->url);
    free(r->shown);
    free(r->suite);
    free(r->arch);
    free(r->keyring);
    free(r->keys);
    md_apksign_keys_free(r->apk_keys);
    free(r);
}

const md_apksign_keys *md_repo_apk_keys(const md_repo *cr, md_err *err)
{
    md_repo *r = (md_repo *)cr; /* a cache: every md_repo is md_repo_new's */
    if (!r->keys)
        return md_err_set(err, "repository %s: not an Alpine repository (no Keys=)", r->name), NULL;
    if (!r->apk_keys)
        r->apk_keys = md_apksign_keys_load(r->keys, err);
    return r->apk_keys;
}

md_repo_format md_repo_format_of(const md_repo *r) { return r->format; }
const char *md_repo_format_name(md_repo_format f) { return f == MD_REPO_APK ? "apk" : "deb"; }

const char *md_repo_description(const md_repo *r)
{
    for (size_t i = 0; i < r->nchunks; i++)
        if (r->chunks[i].apk)
            return md_apkindex_description(r->chunks[i].apk);
    return NULL;
}

const char *md_repo_name(const md_repo *r) { return r->name; }
const char *md_repo_url(const md_repo *r) { return r->url; }
const char *md_repo_url_shown(const md_repo *r) { return r->shown; }
const char *md_repo_suite(const md_repo *r) { return r->suite; }
const char *md_repo_arch(const md_repo *r) { return r->arch; }
const char *md_repo_keyring(const md_repo *r) { return r->keyring; }
const char *const *md_repo_components(const md_repo *r) { return (const char *const *)r->components.v; }
int md_repo_priority(const md_repo *r) { return r->priority; }
size_t md_repo_pkg_count(const md_repo *r) { return r->npkgs; }

const md_repo_pkg *md_repo_pkg_at(const md_repo *r, size_t i)
{
    for (size_t c = 0; c < r->nchunks; c++) {
        if (i < r->chunks[c].n)
            return &r->chunks[c].pkgs[i];
        i -= r->chunks[c].n;
    }
    return NULL;
}

char *md_repo_pkg_url(const md_repo_pkg *p)
{
    const char *f = p->filename;
    while (*f == '/')
        f++;
    return md_xasprintf("%s/%s", p->repo->url, f);
}

/* ---- the Packages parser ---- */

enum {
    F_PACKAGE, F_VERSION, F_ARCH, F_DEPENDS, F_PREDEPENDS, F_PROVIDES, F_MULTIARCH,
    F_PRIORITY, F_FILENAME, F_SIZE, F_SHA256, F_INSTSIZE, F_ESSENTIAL, F_COUNT
};

static const struct { const char *name; size_t len; } fields[F_COUNT] = {
#define F(s) { s, sizeof s - 1 }
    [F_PACKAGE] = F("Package"), [F_VERSION] = F("Version"), [F_ARCH] = F("Architecture"),
    [F_DEPENDS] = F("Depends"), [F_PREDEPENDS] = F("Pre-Depends"), [F_PROVIDES] = F("Provides"),
    [F_MULTIARCH] = F("Multi-Arch"), [F_PRIORITY] = F("Priority"), [F_FILENAME] = F("Filename"),
    [F_SIZE] = F("Size"), [F_SHA256] = F("SHA256"), [F_INSTSIZE] = F("Installed-Size"),
    [F_ESSENTIAL] = F("Essential"),
#undef F
};

/* A field of the stanza being read: [val, end) spans its value, possibly
 * over several lines. */
typedef struct fspan {
    char *val, *end;
    unsigned line;
} fspan;

typedef struct parser {
    md_repo *r;
    const char *label;
    chunk *out;
    size_t cap;
    fspan f[F_COUNT];
    int last;          /* index of the last field seen, -1 for one we skip, -2 none */
    unsigned start;    /* line of the stanza's first field */
    bool in_stanza;
} parser;

/* Terminate a field value in place: trim, and fold continuation lines into
 * single spaces so relationship fields read as one line. */
static char *value(fspan *s)
{
    if (!s->val)
        return NULL;
    char *a = s->val, *b = s->end;
    while (a < b && isspace((unsigned char)*a))
        a++;
    while (b > a && isspace((unsigned char)b[-1]))
        b--;
    *b = '\0';
    for (char *c = a; c < b; c++)
        if (*c == '\n' || *c == '\r' || *c == '\t')
            *c = ' ';
    return a;
}

static bool all_digits(const char *s)
{
    if (!s || !*s)
        return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s))
            return false;
    return true;
}

static int finish_stanza(parser *p, md_err *err)
{
    p->in_stanza = false;
    p->last = -2;
    fspan *f = p->f;
    const char *L = p->label;
    char *name = value(&f[F_PACKAGE]);
    if (!name)
        return md_err_set(err, "%s:%u: stanza without a Package field", L, p->start);
    if (!valid_name(name))
        return md_err_set(err, "%s:%u: bad package name '%s'", L, f[F_PACKAGE].line, name);
    char *ver = value(&f[F_VERSION]);
    if (!ver || !md_debver_valid(ver))
        return md_err_set(err, "%s:%u: package %s: %s Version '%s'", L,
                          ver ? f[F_VERSION].line : p->start, name, ver ? "bad" : "missing",
                          ver ? ver : "");
    char *arch = value(&f[F_ARCH]);
    if (!arch)
        return md_err_set(err, "%s:%u: package %s: missing Architecture", L, p->start, name);
    md_repo_pkg pk = {
        .name = name, .version = ver, .arch = arch, .repo = p->r, .line = p->start,
        .depends = value(&f[F_DEPENDS]), .pre_depends = value(&f[F_PREDEPENDS]),
        .provides = value(&f[F_PROVIDES]), .multi_arch = value(&f[F_MULTIARCH]),
        .priority = value(&f[F_PRIORITY]), .filename = value(&f[F_FILENAME]),
        .sha256 = value(&f[F_SHA256]),
    };
    char *size = value(&f[F_SIZE]), *isize = value(&f[F_INSTSIZE]), *ess = value(&f[F_ESSENTIAL]);
    unsigned size_line = f[F_SIZE].line, isize_line = f[F_INSTSIZE].line;
    memset(p->f, 0, sizeof p->f);
    /* The Filename becomes part of a URL: a % escape there is decoded
     * after this check (trial 9f case 5: %2e%2e read host files outside a
     * file:// mirror), and ? or # would cut the path short.  Real archives
     * use none of them. */
    if (!pk.filename || !*pk.filename || strstr(pk.filename, ".."))
        return md_err_set(err, "%s:%u: package %s: missing or bad Filename", L, p->start, name);
    if (strpbrk(pk.filename, "%?#\\"))
        return md_err_set(err, "%s:%u: package %s: bad Filename '%s': %%, ?, # and \\ are not "
                               "allowed (a URL would read them otherwise than this check)",
                          L, p->start, name, pk.filename);
    if (!all_digits(size))
        return md_err_set(err, "%s:%u: package %s: missing or bad Size", L, p->start, name);
    /* Sizes are compared with file offsets (off_t): past INT64_MAX, or past
     * 64 bits where strtoull would give ULLONG_MAX, a number is corrupt. */
    if (md_size_parse_u64(size, INT64_MAX, &pk.size) < 0)
        return md_err_set(err, "%s:%u: package %s: Size %.40s%s out of range (at most %lld)", L,
                          size_line, name, size, strlen(size) > 40 ? "..." : "",
                          (long long)INT64_MAX);
    if (isize) {
        if (!all_digits(isize))
            return md_err_set(err, "%s:%u: package %s: bad Installed-Size '%s'", L, p->start, name, isize);
        if (md_size_parse_u64(isize, INT64_MAX, &pk.installed_size) < 0)
            return md_err_set(err, "%s:%u: package %s: Installed-Size %.40s%s out of range (at "
                                   "most %lld)", L, isize_line, name, isize,
                              strlen(isize) > 40 ? "..." : "", (long long)INT64_MAX);
    }
    if (!pk.sha256 || strlen(pk.sha256) != 64 ||
        strspn(pk.sha256, "0123456789abcdefABCDEF") != 64)
        return md_err_set(err, "%s:%u: package %s: missing or bad SHA256", L, p->start, name);
    for (char *c = (char *)pk.sha256; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    if (ess && strcmp(ess, "yes") && strcmp(ess, "no"))
        return md_err_set(err, "%s:%u: package %s: bad Essential '%s'", L, p->start, name, ess);
    pk.essential = ess && !strcmp(ess, "yes");
    /* A binary-ARCH index holds ARCH and all; anything else is not for us. */
    if (strcmp(arch, "all") && strcmp(arch, p->r->arch))
        return 0;
    p->out->pkgs = md_xgrow(p->out->pkgs, &p->cap, p->out->n + 1, sizeof pk);
    p->out->pkgs[p->out->n++] = pk;
    return 0;
}

static int field_line(parser *p, char *line, char *le, unsigned lineno, md_err *err)
{
    char *colon = memchr(line, ':', (size_t)(le - line));
    if (!colon || colon == line)
        return md_err_set(err, "%s:%u: malformed line (expected 'Field: value'): '%.*s'", p->label,
                          lineno, (int)(le - line > 60 ? 60 : le - line), line);
    for (char *c = line; c < colon; c++)
        if ((unsigned char)*c <= ' ' || (unsigned char)*c > '~')
            return md_err_set(err, "%s:%u: malformed line (bad field name): '%.*s'", p->label,
                              lineno, (int)(le - line > 60 ? 60 : le - line), line);
    if (!p->in_stanza) {
        p->in_stanza = true;
        p->start = lineno;
    }
    size_t n = (size_t)(colon - line);
    p->last = -1;
    for (int i = 0; i < F_COUNT; i++)
        if (fields[i].len == n && !strncasecmp(fields[i].name, line, n)) {
            if (p->f[i].val)
                return md_err_set(err, "%s:%u: duplicate field %s", p->label, lineno, fields[i].name);
            p->f[i] = (fspan){ colon + 1, le, lineno };
            p->last = i;
            break;
        }
    return 0;
}

static int parse(parser *p, char *text, size_t len, md_err *err)
{
    char *s = text, *end = text + len;
    unsigned lineno = 0;
    p->last = -2;
    while (s < end) {
        char *nl = memchr(s, '\n', (size_t)(end - s));
        char *le = nl ? nl : end;
        lineno++;
        char *t = s;
        while (t < le && (*t == ' ' || *t == '\t' || *t == '\r'))
            t++;
        if (t == le) {
            if (p->in_stanza && finish_stanza(p, err) < 0)
                return -1;
        } else if (*s == ' ' || *s == '\t') {
            if (p->last == -2)
                return md_err_set(err, "%s:%u: continuation line outside a field", p->label, lineno);
            if (p->last >= 0)
                p->f[p->last].end = le;
        } else if (field_line(p, s, le, lineno, err) < 0) {
            return -1;
        }
        s = nl ? nl + 1 : end;
    }
    if (p->in_stanza && finish_stanza(p, err) < 0)
        return -1;
    return 0;
}

int md_repo_add_index(md_repo *r, const char *label, char *text, size_t len, md_err *err)
{
    text = md_xrealloc(text, len + 1);
    text[len] = '\0';
    if (memchr(text, '\0', len)) {
        free(text);
        return md_err_set(err, "%s: index contains a NUL byte", label);
    }
    chunk c = { .text = text, .label = md_xstrdup(label) };
    parser p = { .r = r, .label = c.label, .out = &c };
    if (parse(&p, text, len, err) < 0) {
        free(c.text);
        free(c.label);
        free(c.pkgs);
        return -1;
    }
    r->chunks = md_xrealloc(r->chunks, (r->nchunks + 1) * sizeof *r->chunks);
    r->chunks[r->nchunks++] = c;
    for (size_t i = 0; i < c.n; i++)
        c.pkgs[i].index = c.label;
    r->npkgs += c.n;
    return 0;
}

/* ---- Alpine's index ---- */

const char *md_repo_apk_other_arch(const md_repo *r, const char *name)
{
    for (size_t i = 0; i < r->nchunks; i++) {
        const md_apkindex *x = r->chunks[i].apk;
        for (size_t k = 0, n = x ? md_apkindex_count(x) : 0; k < n; k++) {
            const md_apkindex_pkg *a = md_apkindex_pkg_at(x, k);
            if (!strcmp(a->name, name) && strcmp(a->arch, r->arch) && strcmp(a->arch, "noarch"))
                return a->arch;
        }
    }
    return NULL;
}

int md_repo_add_apkindex(md_repo *r, md_apkindex *x, md_err *err)
{
    if (r->format != MD_REPO_APK) {
        md_apkindex_free(x);
        return md_err_set(err, "repository %s: an APKINDEX for a Debian repository", r->name);
    }
    chunk c = { .label = md_xstrdup(md_apkindex_label(x)), .apk = x };
    size_t cap = 0, other = 0;
    const char *other_arch = NULL;
    bool mixed = false;
    for (size_t i = 0, n = md_apkindex_count(x); i < n; i++) {
        const md_apkindex_pkg *a = md_apkindex_pkg_at(x, i);
        /* An index is per architecture; "noarch" packages are in each. */
        if (!a->uninstallable && strcmp(a->arch, r->arch) && strcmp(a->arch, "noarch")) {
            mixed |= other_arch && strcmp(other_arch, a->arch);
            other++;
            other_arch = a->arch;
        }
        if (a->uninstallable || (strcmp(a->arch, r->arch) && strcmp(a->arch, "noarch")))
            continue;
        md_repo_pkg pk = {
            .name = a->name, .version = a->version, .arch = a->arch, .repo = r,
            .index = c.label, .line = a->line, .size = a->size,
            .installed_size = a->installed_size / 1024 + (a->installed_size % 1024 != 0),
            .apk = a,
        };
        c.pkgs = md_xgrow(c.pkgs, &cap, c.n + 1, sizeof pk);
        c.pkgs[c.n++] = pk;
    }
    /* Every package of another architecture: the index of another one at
     * this URL, whose names would all read as "no such package" (trial 13
     * F10). */
    if (!c.n && other) {
        char *shown = md_err_shown(other_arch);
        md_err_set(err, "%s: none of its %zu packages is for %s (%s %s): the index of another "
                        "architecture; check the URL and Architecture=", c.label, other, r->arch,
                   mixed ? "among others" : "all", shown);
        free(shown);
        free(c.pkgs);
        free(c.label);
        md_apkindex_free(x);
        return -1;
    }
    /* Filenames after the array stops moving: they live in the chunk's text. */
    md_strv names = { 0 };
    for (size_t i = 0; i < c.n; i++) {
        char *f = md_apkindex_pkg_filename(c.pkgs[i].apk);
        md_strv_push_own(&names, md_xasprintf("%s/%s", r->arch, f));
        free(f);
    }
    size_t total = 0;
    for (size_t i = 0; i < names.n; i++)
        total += strlen(names.v[i]) + 1;
    c.text = md_xmalloc(total + 1);
    char *o = c.text;
    for (size_t i = 0; i < names.n; i++) {
        size_t l = strlen(names.v[i]) + 1;
        memcpy(o, names.v[i], l);
        c.pkgs[i].filename = o;
        o += l;
    }
    md_strv_free(&names);
    r->chunks = md_xrealloc(r->chunks, (r->nchunks + 1) * sizeof *r->chunks);
    r->chunks[r->nchunks++] = c;
    r->npkgs += c.n;
    return 0;
}
