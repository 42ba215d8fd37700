/* apkver — see apkver.h.  Written from the rules in apk-package(5) and the
 * behaviour apk-tools' version vectors pin down; a version is read as a
 * sequence of typed parts, and two versions are compared part by part
 * while their parts are of the same type. */
#include "packages/apkver.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include "core/mem.h"

/* Part types, in the order they may follow one another: a later type may
 * follow an earlier one, and when one version stops or turns to another
 * type first, the type that comes later in this list is the smaller
 * version (1.0 > 1.0-r1 is false: END > REVISION, so 1.0 is less). */
typedef enum part_type {
    P_FIRST,    /* the leading number */
    P_NUMBER,   /* ".N" */
    P_LETTER,   /* one lower-case letter after the numbers */
    P_SUFFIX,   /* "_rc" */
    P_SUFFIX_N, /* the number after a suffix */
    P_HASH,     /* "~" and lower-case hex */
    P_REVISION, /* "-rN" */
    P_END,
    P_INVALID,
} part_type;

/* Suffix ranks: below NONE sorts before the release. */
enum { S_ALPHA, S_BETA, S_PRE, S_RC, S_NONE, S_CVS, S_SVN, S_GIT, S_HG, S_P, S_UNKNOWN };
static const char *const suffixes[] = { "alpha", "beta", "pre", "rc", "", "cvs", "svn",
                                        "git", "hg", "p" };

typedef struct part {
    part_type type;
    const char *s; /* the part's characters (digits, letter, suffix, hex) */
    size_t n;
    int suffix;
} part;

typedef struct cursor {
    const char *p;
} cursor;

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }

static void take_digits(part *t, cursor *c)
{
    t->s = c->p;
    while (is_digit(*c->p))
        c->p++;
    t->n = (size_t)(c->p - t->s);
    if (!t->n)
        t->type = P_INVALID;
}

static void first_part(part *t, cursor *c)
{
    t->type = P_FIRST;
    take_digits(t, c);
}

/* The part after t (t is updated in place): its type must be allowed
 * after the current one. */
static void next_part(part *t, cursor *c)
{
    char ch = *c->p;
    part_type prev = t->type;
    if (!ch) {
        t->type = P_END;
        return;
    }
    if (is_lower(ch)) {
        if (prev > P_NUMBER)
            goto invalid;
        t->type = P_LETTER;
        t->s = c->p++;
        t->n = 1;
    } else if (ch == '.' || is_digit(ch)) {
        if (ch == '.') {
            if (prev > P_NUMBER)
                goto invalid;
            c->p++;
        }
        if (prev == P_FIRST || prev == P_NUMBER)
            t->type = P_NUMBER;
        else if (prev == P_SUFFIX && ch != '.')
            t->type = P_SUFFIX_N;
        else
            goto invalid;
        take_digits(t, c);
    } else if (ch == '_') {
        if (prev > P_SUFFIX_N)
            goto invalid;
        t->s = ++c->p;
        while (is_lower(*c->p))
            c->p++;
        t->n = (size_t)(c->p - t->s);
        t->suffix = S_UNKNOWN;
        for (int i = 0; i < S_UNKNOWN; i++)
            if (i != S_NONE && strlen(suffixes[i]) == t->n && !memcmp(suffixes[i], t->s, t->n))
                t->suffix = i;
        if (t->suffix == S_UNKNOWN)
            goto invalid;
        t->type = P_SUFFIX;
    } else if (ch == '~') {
        if (prev >= P_HASH)
            goto invalid;
        t->s = ++c->p;
        while (is_hex(*c->p))
            c->p++;
        t->n = (size_t)(c->p - t->s);
        if (!t->n)
            goto invalid;
        t->type = P_HASH;
    } else if (ch == '-') {
        if (prev >= P_REVISION || c->p[1] != 'r')
            goto invalid;
        c->p += 2;
        t->type = P_REVISION;
        take_digits(t, c);
    } else {
        goto invalid;
    }
    return;
invalid:
    t->type = P_INVALID;
}

bool md_apkver_valid(const char *v)
{
    if (!v)
        return false;
    cursor c = { v };
    part t;
    for (first_part(&t, &c); t.type < P_END; next_part(&t, &c))
        ;
    return t.type == P_END;
}

bool md_apkver_valid_indexed(const char *v)
{
    if (!v || !isdigit((unsigned char)*v))
        return false;
    size_t n = strspn(v, "0123456789abcdefghijklmnopqrstuvwxyz._~");
    if (!v[n])
        return true;
    return v[n] == '-' && v[n + 1] == 'r' && isdigit((unsigned char)v[n + 2]) &&
           !v[n + 2 + strspn(v + n + 2, "0123456789")];
}

/* Byte-wise, a shorter prefix first. */
static int bytes_cmp(const part *a, const part *b)
{
    size_t n = a->n < b->n ? a->n : b->n;
    int r = memcmp(a->s, b->s, n);
    if (r)
        return r;
    return a->n < b->n ? -1 : a->n > b->n;
}

/* Digit strings by value, of any length (no overflow). */
static int number_cmp(const part *a, const part *b)
{
    part x = *a, y = *b;
    while (x.n > 1 && *x.s == '0')
        x.s++, x.n--;
    while (y.n > 1 && *y.s == '0')
        y.s++, y.n--;
    if (x.n != y.n)
        return x.n < y.n ? -1 : 1;
    return memcmp(x.s, y.s, x.n);
}

static int part_cmp(const part *a, const part *b)
{
    switch (a->type) {
    case P_NUMBER:
        /* "1.01" against "1.1": a leading zero makes it a decimal
         * fraction, Gentoo's rule: compare the digits as bytes */
        if (a->s[0] == '0' || b->s[0] == '0')
            return bytes_cmp(a, b);
        return number_cmp(a, b);
    case P_FIRST:
    case P_SUFFIX_N:
    case P_REVISION:
        return number_cmp(a, b);
    case P_LETTER:
        return (unsigned char)a->s[0] - (unsigned char)b->s[0];
    case P_SUFFIX:
        return a->suffix - b->suffix;
    default:
        return bytes_cmp(a, b);
    }
}

static int sign(int r) { return (r > 0) - (r < 0); }

/* -1, 0, 1; `fuzzy`: b is a prefix of a by parts ("3.6.9" ~ "3.6"). */
static int compare(const char *a, const char *b, bool fuzzy)
{
    cursor ca = { a }, cb = { b };
    part ta, tb;
    first_part(&ta, &ca);
    first_part(&tb, &cb);
    for (; ta.type == tb.type && ta.type < P_END; next_part(&ta, &ca), next_part(&tb, &cb)) {
        int r = part_cmp(&ta, &tb);
        if (r)
            return sign(r);
    }
    if (ta.type == tb.type || (fuzzy && tb.type == P_END))
        return 0;
    /* The parts so far are equal and one version goes on: it is the
     * greater, unless what follows is a pre-release suffix. */
    if (ta.type == P_SUFFIX && ta.suffix < S_NONE)
        return -1;
    if (tb.type == P_SUFFIX && tb.suffix < S_NONE)
        return 1;
    return ta.type > tb.type ? -1 : 1;
}

int md_apkver_cmp(const char *a, const char *b)
{
    return compare(a, b, false);
}

/* The operator at s[0..n) ("<", ">=", "~", "><", ...) as a mask; -1 if
 * it is not one. */
static int op_parse(const char *s, size_t n, unsigned *op)
{
    unsigned m = 0;
    if (n == 0 || n > 2)
        return -1;
    for (size_t i = 0; i < n; i++) {
        unsigned bit = s[i] == '<' ? MD_APKVER_LESS
                       : s[i] == '>' ? MD_APKVER_GREATER
                       : s[i] == '=' ? MD_APKVER_EQUAL
                       : s[i] == '~' ? MD_APKVER_FUZZY | MD_APKVER_EQUAL : 0;
        if (!bit || (m & bit & ~MD_APKVER_EQUAL))
            return -1;
        m |= bit;
    }
    /* the combinations apk-tools writes, and no others ("=<", "~~"); "=~"
     * is "~" (apk_blob_pull_dep ORs each character's bits, and '~' is
     * FUZZY|EQUAL: apk-tools reads "=~" and prints it "~"; trial 13h
     * case 4) */
    static const char *const ok[] = { "<", "<=", "=", ">=", ">", "~", "=~", "<~", ">~", "><" };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strlen(ok[i]) == n && !memcmp(ok[i], s, n)) {
            *op = m;
            return 0;
        }
    return -1;
}

const char *md_apkver_op_str(unsigned op)
{
    switch (op) {
    case MD_APKVER_ANY: return "";
    case MD_APKVER_LESS: return "<";
    case MD_APKVER_LESS | MD_APKVER_EQUAL: return "<=";
    case MD_APKVER_EQUAL: return "=";
    case MD_APKVER_GREATER | MD_APKVER_EQUAL: return ">=";
    case MD_APKVER_GREATER: return ">";
    case MD_APKVER_FUZZY | MD_APKVER_EQUAL: return "~";
    case MD_APKVER_LESS | MD_APKVER_EQUAL | MD_APKVER_FUZZY: return "<~";
    case MD_APKVER_GREATER | MD_APKVER_EQUAL | MD_APKVER_FUZZY: return ">~";
    case MD_APKVER_CHECKSUM: return "><";
    default: return "?";
    }
}

bool md_apkver_satisfies(const char *v, unsigned op, const char *ref)
{
    if (op == MD_APKVER_ANY)
        return true;
    if (!v || !ref || op == MD_APKVER_CHECKSUM)
        return false;
    int r = compare(v, ref, (op & MD_APKVER_FUZZY) != 0);
    unsigned got = r < 0 ? MD_APKVER_LESS : r > 0 ? MD_APKVER_GREATER : MD_APKVER_EQUAL;
    return (got & op) != 0;
}

bool md_apkver_dep_match(const md_apkver_dep *d, const char *version, const char *checksum)
{
    if (d->op == MD_APKVER_CHECKSUM)
        return checksum && d->version && !strcmp(checksum, d->version);
    return md_apkver_satisfies(version, d->op, d->version);
}

int md_apkver_checksum_parse(const char *s, unsigned char digest[32], size_t *len)
{
    size_t n = strlen(s), want;
    if (n < 2 || s[0] != 'Q' || (s[1] != '1' && s[1] != '2'))
        return -1;
    want = s[1] == '1' ? 20 : 32;
    /* base64 of 20 bytes is 28 characters, of 32 bytes 44 (padded) */
    if (n - 2 != (want + 2) / 3 * 4)
        return -1;
    unsigned char out[48];
    int got = EVP_DecodeBlock(out, (const unsigned char *)s + 2, (int)(n - 2));
    size_t pad = (s[n - 1] == '=') + (s[n - 2] == '=');
    if (got < 0 || (size_t)got - pad != want || pad != (3 - want % 3) % 3)
        return -1;
    memcpy(digest, out, want);
    *len = want;
    return 0;
}

static bool checksum_text(const char *s)
{
    unsigned char d[32];
    size_t n;
    return md_apkver_checksum_parse(s, d, &n) == 0;
}

/* apk-package(5): names [a-zA-Z0-9._+-], and in provides also ",[]:/"
 * for namespaces ("so:", "cmd:", "pc:"); they start alphanumeric or, for
 * a provided path ("/bin/sh"), with '/'. */
static bool name_ok(const char *s, size_t n)
{
    if (!n || !(is_digit(*s) || is_lower(*s) || (*s >= 'A' && *s <= 'Z') || *s == '/'))
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(is_digit(s[i]) || is_lower(s[i]) || (s[i] >= 'A' && s[i] <= 'Z') ||
              strchr("._+-,[]:/", s[i])))
            return false;
    return true;
}

int md_apkver_dep_parse(char *atom, md_apkver_strict strict, md_apkver_dep *out, md_err *err)
{
    /* "[!]name[@tag][op version]": the parts are found and checked on the
     * atom as written (errors quote it whole), then cut in place */
    md_apkver_dep d = { 0 };
    char *name = atom + (atom[0] == '!');
    size_t nlen = strcspn(name, "<>=~@"), taglen = 0;
    char *tag = name[nlen] == '@' ? name + nlen + 1 : NULL;
    if (tag)
        taglen = strcspn(tag, "<>=~");
    char *op = tag ? tag + taglen : name + nlen;
    size_t on = strspn(op, "<>=~");
    char *ver = op + on;
    d.conflict = atom[0] == '!';
    if (*op) {
        if (op_parse(op, on, &d.op) < 0)
            return md_err_set(err, "atom '%s': unknown operator '%.*s'", atom, (int)on, op);
        if (!*ver)
            return md_err_set(err, "atom '%s': no version after '%.*s'", atom, (int)on, op);
        if (d.op == MD_APKVER_CHECKSUM ? !checksum_text(ver)
            : strict == MD_APKVER_STRICT ? !md_apkver_valid(ver)
                                         : !*ver || strpbrk(ver, " \t\n"))
            return md_err_set(err, "atom '%s': bad version '%s'", atom, ver);
        d.version = ver;
    }
    if (strict == MD_APKVER_STRICT ? !name_ok(name, nlen) : !nlen)
        return md_err_set(err, "atom '%s': bad name '%.*s'", atom, (int)nlen, name);
    if (tag && !taglen)
        return md_err_set(err, "atom '%s': empty repository tag after '@'", atom);
    name[nlen] = '\0';
    if (tag) {
        tag[taglen] = '\0';
        d.tag = tag;
    }
    d.name = name;
    *out = d;
    return 0;
}

char *md_apkver_dep_str(const md_apkver_dep *d)
{
    return md_xasprintf("%s%s%s%s%s%s", d->conflict ? "!" : "", d->name, d->tag ? "@" : "",
                        d->tag ? d->tag : "", md_apkver_op_str(d->op),
                        d->version ? d->version : "");
}
