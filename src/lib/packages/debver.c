/* Hand-written rather than linked from libapt-pkg/libdpkg: neither is a
 * dependency we want for a few dozen lines, and the algorithm is fixed by
 * Debian Policy 5.6.12. */
#include "packages/debver.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "core/mem.h"

/* Split v into epoch digits [v, colon), upstream and revision ranges. */
typedef struct parts {
    const char *ep, *up, *rev;
    size_t epn, upn, revn;
} parts;

static void split(const char *v, parts *p)
{
    const char *colon = strchr(v, ':');
    const char *end = v + strlen(v);
    if (colon) {
        p->ep = v;
        p->epn = (size_t)(colon - v);
        p->up = colon + 1;
    } else {
        p->ep = "0";
        p->epn = 1;
        p->up = v;
    }
    const char *dash = strrchr(p->up, '-');
    if (dash) {
        p->upn = (size_t)(dash - p->up);
        p->rev = dash + 1;
        p->revn = (size_t)(end - p->rev);
    } else {
        p->upn = (size_t)(end - p->up);
        p->rev = "";
        p->revn = 0;
    }
}

bool md_debver_valid(const char *v)
{
    if (!v || !*v)
        return false;
    for (const char *s = v; *s; s++)
        if (isspace((unsigned char)*s))
            return false;
    parts p;
    split(v, &p);
    if (strchr(v, ':')) {
        if (p.epn == 0)
            return false;
        for (size_t i = 0; i < p.epn; i++)
            if (!isdigit((unsigned char)p.ep[i]))
                return false;
        /* dpkg's parseversion: "epoch in version is too big" past INT_MAX
         * (trial 9g case 7: 2147483648:1.0 won over every real version) */
        size_t z = 0;
        while (z + 1 < p.epn && p.ep[z] == '0')
            z++;
        if (p.epn - z > 10 || (p.epn - z == 10 && memcmp(p.ep + z, "2147483647", 10) > 0))
            return false;
    }
    /* Policy wants upstream to start with a digit; dpkg only warns, and
     * real archives hold a few that do not, so accept any allowed char. */
    if (p.upn == 0)
        return false;
    for (size_t i = 0; i < p.upn; i++) {
        unsigned char c = (unsigned char)p.up[i];
        if (!isalnum(c) && !strchr(".+~-:", c))
            return false;
    }
    if (strrchr(p.up, '-') && p.revn == 0)
        return false;
    for (size_t i = 0; i < p.revn; i++) {
        unsigned char c = (unsigned char)p.rev[i];
        if (!isalnum(c) && !strchr(".+~", c))
            return false;
    }
    return true;
}

/* Weight of a non-digit character: '~' before the end of the string, the
 * end before letters, letters before everything else. */
static int order(int c)
{
    if (isdigit(c))
        return 0;
    if (isalpha(c))
        return c;
    if (c == '~')
        return -1;
    if (c)
        return c + 256;
    return 0;
}

static int verrevcmp(const char *a, size_t an, const char *b, size_t bn)
{
    const char *ae = a + an, *be = b + bn;
    while (a < ae || b < be) {
        int first_diff = 0;
        while ((a < ae && !isdigit((unsigned char)*a)) || (b < be && !isdigit((unsigned char)*b))) {
            int ac = a < ae ? order((unsigned char)*a) : 0;
            int bc = b < be ? order((unsigned char)*b) : 0;
            if (ac != bc)
                return ac - bc;
            if (a < ae)
                a++;
            if (b < be)
                b++;
        }
        while (a < ae && *a == '0')
            a++;
        while (b < be && *b == '0')
            b++;
        while (a < ae && b < be && isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
            if (!first_diff)
                first_diff = *a - *b;
            a++;
            b++;
        }
        if (a < ae && isdigit((unsigned char)*a))
            return 1;
        if (b < be && isdigit((unsigned char)*b))
            return -1;
        if (first_diff)
            return first_diff;
    }
    return 0;
}

/* Epochs compare as numbers of any length: strip zeros, longer is larger. */
static int epochcmp(const char *a, size_t an, const char *b, size_t bn)
{
    while (an > 1 && *a == '0')
        a++, an--;
    while (bn > 1 && *b == '0')
        b++, bn--;
    if (an != bn)
        return an < bn ? -1 : 1;
    return memcmp(a, b, an);
}

static int sign(int x) { return (x > 0) - (x < 0); }

int md_debver_cmp(const char *a, const char *b)
{
    parts pa, pb;
    split(a, &pa);
    split(b, &pb);
    int r = epochcmp(pa.ep, pa.epn, pb.ep, pb.epn);
    if (!r)
        r = verrevcmp(pa.up, pa.upn, pb.up, pb.upn);
    if (!r)
        r = verrevcmp(pa.rev, pa.revn, pb.rev, pb.revn);
    return sign(r);
}

/* Each operator's spelling; the first one of an operator is how we write it. */
static const struct { const char *s; md_debver_op op; } ops[] = {
    { "<<", MD_DEBVER_LT }, { "<=", MD_DEBVER_LE }, { "=", MD_DEBVER_EQ },
    { ">=", MD_DEBVER_GE }, { ">>", MD_DEBVER_GT },
    { "<", MD_DEBVER_LE }, { ">", MD_DEBVER_GE }, /* obsolete forms */
};

int md_debver_op_parse(const char *s, md_debver_op *op)
{
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (!strcmp(s, ops[i].s)) {
            *op = ops[i].op;
            return 0;
        }
    return -1;
}

/* "" for MD_DEBVER_ANY. */
static const char *op_str(md_debver_op op)
{
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (ops[i].op == op)
            return ops[i].s;
    return "";
}

bool md_debver_satisfies(const char *v, md_debver_op op, const char *ref)
{
    if (op == MD_DEBVER_ANY)
        return true;
    int c = md_debver_cmp(v, ref);
    switch (op) {
    case MD_DEBVER_LT: return c < 0;
    case MD_DEBVER_LE: return c <= 0;
    case MD_DEBVER_EQ: return c == 0;
    case MD_DEBVER_GE: return c >= 0;
    case MD_DEBVER_GT: return c > 0;
    default: return false;
    }
}

static bool name_char(int c)
{
    return isalnum(c) || c == '.' || c == '+' || c == '-' || c == '_';
}

static void rel_free(md_debver_rel *r)
{
    free(r->name);
    free(r->archq);
    free(r->version);
}

static void skip_ws(const char **s, const char *end)
{
    while (*s < end && isspace((unsigned char)**s))
        (*s)++;
}

/* Parse one relation from [s, end), which holds no ',' or '|'. */
static int parse_rel(const char *s, const char *end, md_debver_rel *r, md_err *err)
{
    const char *start = s;
    int len = (int)(end - start);
    memset(r, 0, sizeof *r);
    skip_ws(&s, end);
    const char *n0 = s;
    while (s < end && name_char((unsigned char)*s))
        s++;
    if (s == n0 || !isalnum((unsigned char)*n0))
        return md_err_set(err, "bad relation '%.*s': missing package name", len, start);
    r->name = md_xstrndup(n0, (size_t)(s - n0));
    if (s < end && *s == ':') {
        const char *a0 = ++s;
        while (s < end && name_char((unsigned char)*s))
            s++;
        if (s == a0) {
            rel_free(r);
            return md_err_set(err, "bad relation '%.*s': empty architecture qualifier", len, start);
        }
        r->archq = md_xstrndup(a0, (size_t)(s - a0));
    }
    skip_ws(&s, end);
    if (s < end && *s == '(') {
        s++;
        skip_ws(&s, end);
        const char *o0 = s;
        while (s < end && strchr("<=>", *s))
            s++;
        char opbuf[4] = "";
        if (s - o0 < (long)sizeof opbuf)
            memcpy(opbuf, o0, (size_t)(s - o0)), opbuf[s - o0] = '\0';
        if (md_debver_op_parse(opbuf, &r->op) < 0) {
            rel_free(r);
            return md_err_set(err, "bad relation '%.*s': bad version operator", len, start);
        }
        skip_ws(&s, end);
        const char *v0 = s;
        while (s < end && *s != ')' && !isspace((unsigned char)*s))
            s++;
        char *v = md_xstrndup(v0, (size_t)(s - v0));
        skip_ws(&s, end);
        if (s >= end || *s != ')' || !md_debver_valid(v)) {
            free(v);
            rel_free(r);
            return md_err_set(err, "bad relation '%.*s': bad version", len, start);
        }
        r->version = v;
        s++;
        skip_ws(&s, end);
    }
    if (s != end) {
        rel_free(r);
        return md_err_set(err, "bad relation '%.*s': unexpected '%c'", len, start, *s);
    }
    return 0;
}

int md_debver_deps_parse(const char *text, md_debver_deps *out, md_err *err)
{
    memset(out, 0, sizeof *out);
    const char *s = text;
    size_t cap = 0;
    for (;;) {
        const char *comma = strchr(s, ',');
        const char *gend = comma ? comma : s + strlen(s);
        /* An empty field, or a trailing comma, adds nothing. */
        if (!comma && strspn(s, " \t\n") == (size_t)(gend - s))
            break;
        md_debver_alt alt = { NULL, 0 };
        size_t acap = 0;
        const char *p = s;
        for (;;) {
            const char *bar = memchr(p, '|', (size_t)(gend - p));
            const char *rend = bar ? bar : gend;
            md_debver_rel r;
            if (parse_rel(p, rend, &r, err) < 0) {
                for (size_t j = 0; j < alt.n; j++)
                    rel_free(&alt.rels[j]);
                free(alt.rels);
                md_debver_deps_free(out);
                return -1;
            }
            alt.rels = md_xgrow(alt.rels, &acap, alt.n + 1, sizeof *alt.rels);
            alt.rels[alt.n++] = r;
            if (!bar)
                break;
            p = bar + 1;
        }
        out->alts = md_xgrow(out->alts, &cap, out->n + 1, sizeof *out->alts);
        out->alts[out->n++] = alt;
        if (!comma)
            break;
        s = comma + 1;
    }
    return 0;
}

void md_debver_deps_free(md_debver_deps *d)
{
    for (size_t i = 0; i < d->n; i++) {
        for (size_t j = 0; j < d->alts[i].n; j++)
            rel_free(&d->alts[i].rels[j]);
        free(d->alts[i].rels);
    }
    free(d->alts);
    d->alts = NULL;
    d->n = 0;
}

char *md_debver_rel_str(const md_debver_rel *r)
{
    return md_xasprintf("%s%s%s%s%s%s%s%s", r->name, r->archq ? ":" : "", r->archq ? r->archq : "",
                        r->version ? " (" : "", op_str(r->op),
                        r->version ? " " : "", r->version ? r->version : "", r->version ? ")" : "");
}

char *md_debver_alt_str(const md_debver_alt *a)
{
    char *s = md_xstrdup("");
    for (size_t i = 0; i < a->n; i++) {
        char *r = md_debver_rel_str(&a->rels[i]);
        char *t = md_xasprintf("%s%s%s", s, i ? " | " : "", r);
        free(r);
        free(s);
        s = t;
    }
    return s;
}
