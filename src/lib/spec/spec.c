#include "spec/spec.h"

#include <arpa/inet.h>
#include <ini.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>

#include "spec/spec_default.h"
#include "core/dirs.h"
#include "core/mem.h"
#include "core/size.h"
#include "core/hindex.h"
#include "core/strv.h"
#include "core/file.h"
#include "core/url.h"
#include "image/image.h"

struct repo {
    char *name; /* first: ix_find reads it there */
    char *url, *suite, *arch, *keyring, *keys;
    char *at; /* "FILE:LINE" of its first key, for what validate() finds missing */
    unsigned file, sec_line; /* the spec file (md_spec's nfiles then) and line of its
                                latest section header */
    md_strv components;
    int priority;
    md_spec_repo_type type;
    md_spec_repo view; /* filled once parsing is complete */
};

/* A [Host NAME] section. */
struct host {
    char *name;               /* first: ix_find reads it there */
    char *at;                 /* "FILE:LINE" of its first key */
    unsigned file, sec_line;  /* as struct repo's */
    bool listed;              /* from a hosts file ([Image] Hosts=) */
    char *mac, *mac_at, *hostname, *hostname_at, *address, *address_at, *gateway, *gateway_at;
    md_strv authorized_keys;
    md_spec_host view;        /* filled once parsing is complete */
};

struct md_spec {
    char *origin, *basedir;
    char *name, *compression;
    int compression_level;
    char *level_at; /* "FILE:LINE" of CompressionLevel=, for the codec's range */
    char *gateway_at; /* "FILE:LINE" of Gateway=, checked against Address= */
    int64_t sde;
    struct repo *repos;
    size_t nrepos, caprepos;
    md_strv packages, excludes, drop, keep, overlays, modules, authorized_keys, autostart;
    md_spec_pin *pins;
    size_t npins;
    md_strv pin_at; /* per pin: "FILE:LINE" of its Pin= */
    md_spec_copy *copies;
    size_t ncopies;
    bool essential, hvm;
    uint64_t *host_mib; /* [Xen] HostMemory=, MiB, as given */
    size_t nhosts;
    char *dom0_mem, *xen_args, *kernel_args, *hostname, *root_hash, *bridge, *keys_dir;
    char *address, *gateway;
    bool routed; /* GuestNetwork=route */
    char *storage;
    int shutdown_timeout;
    unsigned media; /* MD_SPEC_MEDIA_* bits */
    char *sb_key, *sb_cert; /* [Boot] SecureBootKey=, SecureBootCert= */
    char *modloop;          /* [Kernel] Modloop=, absolute */
    unsigned ucode; /* [Xen] Microcode=: MD_SPEC_UCODE_* bits */
    struct host *hosts;
    size_t nhostsecs, caphosts;
    md_strv at_keys, at_lines; /* "Section/Key" and the "FILE:LINE" that last set it */
    /* Indexes, so a spec is read in time linear in its length (trial 9c
     * case 12): repos[] and hosts[] by name, at_keys[] by "Section/Key". */
    md_hindex repo_ix, host_ix, at_ix;
    unsigned nfiles, cur_file; /* files read so far; the one being read (from 1) */

    /* parse state */
    const char *cur_origin;
    const char *cur_basedir;
    unsigned line;
    unsigned sec_line; /* a section header's line, until its first key */
    unsigned cur_sec_line; /* the current section's header line (0: none) */
    bool cont; /* the line being handled continues the previous key's value */
    char *const *sec_name; /* the reader's whole name of the current section */
    bool any_key;
    bool in_hosts; /* reading a hosts file ([Image] Hosts=) */
    md_err *err;
};

/* inih does not tell the handler the line number in the build Debian
 * ships, so the reader counts lines as it hands them over.  It also looks
 * at each whole line before inih does, for what inih would otherwise cut
 * or drop without a word (trial 9h cases 1, 5, 6, 9): inih keeps 49 bytes
 * of a section's name (INI_MAX_SECTION, fixed in its build), takes " ;"
 * in a value as a comment (INI_ALLOW_INLINE_COMMENTS) and "Key: value" as
 * "Key=value", ignores what follows a header's ']', and calls no handler
 * for a section with no keys. */
struct reader {
    const char *p;
    unsigned *line;
    unsigned *sec_line; /* set at a section header */
    bool *cont;        /* set per line: inih takes it as a continuation */
    bool have_prev;    /* a key came before in this section */
    unsigned too_long; /* the first line longer than inih's buffer, 0 if none */
    unsigned empty_sec; /* the line of a "[]" header, 0 if none */
    int max;           /* that buffer's size less its NUL, in bytes */
    char *sec;         /* the current section's whole name (inih's is cut) */
    unsigned sec_at;   /* its header's line */
    unsigned bad;      /* the first line refused here, 0 if none */
    char *why;         /* and why (allocated) */
};

/* The first refusal stands: inih may ask for a line again after one. */
static char *refuse_line(struct reader *r, char *why)
{
    if (r->why) {
        free(why);
        return NULL;
    }
    r->bad = *r->line;
    r->why = why;
    return NULL;
}

/* A [Host NAME] or [Repository NAME] with no keys at all: inih never
 * calls the handler for it, so the host or repository vanished unseen. */
static char *check_empty_section(struct reader *r)
{
    if (r->sec && !r->have_prev &&
        (!strncmp(r->sec, "Host ", 5) || !strncmp(r->sec, "Repository ", 11))) {
        *r->line = r->sec_at;
        return refuse_line(r, md_xasprintf("[%s] has no keys: %s", r->sec,
                                           r->sec[0] == 'H' ? "a host needs MAC= (required)"
                                                            : "a repository needs URL= and "
                                                              "Suite="));
    }
    return NULL;
}

static char *read_line(char *buf, int size, void *stream)
{
    struct reader *r = stream;
    if (!*r->p)
        return check_empty_section(r);
    size_t n = strcspn(r->p, "\n");
    (*r->line)++;
    /* inih's line buffer is fixed (INI_MAX_LINE in Debian's build): a longer
     * line would be cut and its tail silently dropped, so it ends the parse
     * and becomes an error instead. */
    if (n >= (size_t)size - 1) {
        r->too_long = *r->line;
        r->max = size - 2;
        return NULL;
    }
    memcpy(buf, r->p, n);
    buf[n] = '\0';
    r->p += n + (r->p[n] == '\n');
    const char *t = buf;
    if (*r->line == 1 && !strncmp(t, "\xef\xbb\xbf", 3)) /* inih skips a UTF-8 BOM */
        t += 3;
    const char *line = t;
    t += strspn(t, " \t\r");
    bool blank = !*t || *t == '#' || *t == ';';
    /* inih (INI_ALLOW_MULTILINE) hands an indented non-blank, non-comment
     * line after a key of the same section to the handler as that key
     * again, with the line as its value; a section header forgets the key. */
    *r->cont = !blank && t > line && r->have_prev;
    if (blank)
        return buf;
    /* ';' after a blank starts a comment for inih, anywhere on a line:
     * "Include=vim ;nano" installed vim alone. */
    for (const char *c = t + 1; *c; c++)
        if (*c == ';' && (c[-1] == ' ' || c[-1] == '\t'))
            return refuse_line(r, md_xstrdup("';' after a blank: the INI reader would take the "
                                             "rest of the line as a comment and drop it; a "
                                             "comment goes on a line of its own, starting with "
                                             "'#' or ';'"));
    if (*t == '[' && !*r->cont) {
        const char *end = strchr(t, ']');
        if (end) {
            /* "[Kernel] Args=x" was the header alone */
            if (end[1 + strspn(end + 1, " \t\r")])
                return refuse_line(r, md_xasprintf("text after the section header's ']': a "
                                                   "header stands alone on its line"));
            if (check_empty_section(r))
                return NULL;
            free(r->sec);
            r->sec = md_xstrndup(t + 1, (size_t)(end - t - 1));
            r->sec_at = *r->line;
        }
        r->have_prev = false;
        *r->sec_line = *r->line;
        /* "[]": its keys were said to be "outside of any [Section]" and
         * the header alone passed (trial 9c case 13) */
        if (t[1 + strspn(t + 1, " \t")] == ']') {
            r->empty_sec = *r->line;
            return NULL;
        }
        return buf;
    }
    /* inih splits a key line at its first '=' or ':': "Hostname: evil"
     * set the host name. */
    if (!*r->cont && t[strcspn(t, "=:")] == ':')
        return refuse_line(r, md_xstrdup("expected Key=Value: ':' is not a separator in a spec"));
    r->have_prev = true;
    return buf;
}

/* crypt(5)'s itoa64 alphabet, that salts and hashes are written in. */
#define ITOA64 "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789./"

/* Is [p, p+n) n bytes of itoa64, n in [min, max]? */
static bool itoa64_span(const char *p, size_t n, size_t min, size_t max)
{
    return n >= min && n <= max && strspn(p, ITOA64) >= n;
}

/* NULL when `v` is a crypt(5) hash of a kind libxcrypt and busybox read
 * (yescrypt $y$, gost-yescrypt $gy$, scrypt $7$, bcrypt $2b$/$2a$/$2y$,
 * SHA-512 $6$ and SHA-256 $5$, with salt and hash of their lengths),
 * "!" or "*" (no password login), or "!" before a hash (locked); else why
 * not.  "$6$$" or "$1$" went into /etc/shadow as such and no password
 * matched it (trial 9h case 8). */
static const char *crypt_form(const char *v)
{
    if (!strcmp(v, "!") || !strcmp(v, "*"))
        return NULL;
    if (v[0] == '!')
        v++;
    if (v[0] != '$')
        return "it does not start with $ID$";
    const char *id = v + 1, *f[4] = { 0 };
    size_t nf = 0;
    for (const char *p = strchr(id, '$'); p && nf < 4; p = strchr(p + 1, '$'))
        f[nf++] = p + 1;
    size_t idn = f[0] ? (size_t)(f[0] - 1 - id) : strlen(id);
    size_t last = nf ? strlen(f[nf - 1]) : 0;
#define FLEN(i) ((i) + 1 < nf ? (size_t)(f[(i) + 1] - 1 - f[i]) : strlen(f[i]))
    if ((idn == 1 && (*id == '6' || *id == '5'))) {
        size_t hash = *id == '6' ? 86 : 43;
        size_t k = nf == 3 && !strncmp(f[0], "rounds=", 7) ? 1 : 0;
        if (k && (FLEN(0) < 8 || strspn(f[0] + 7, "0123456789") != FLEN(0) - 7))
            return "its rounds= is not a number";
        if (nf != 2 + k || !itoa64_span(f[k], FLEN(k), 1, 16) ||
            !itoa64_span(f[k + 1], last, hash, hash))
            return *id == '6' ? "a $6$ (SHA-512) hash is $6$[rounds=N$]SALT$HASH: a salt of 1 to "
                                "16 and a hash of 86 characters of ./0-9A-Za-z"
                              : "a $5$ (SHA-256) hash is $5$[rounds=N$]SALT$HASH: a salt of 1 to "
                                "16 and a hash of 43 characters of ./0-9A-Za-z";
        return NULL;
    }
    if ((idn == 1 && (*id == 'y' || *id == '7')) || (idn == 2 && !strncmp(id, "gy", 2))) {
        if (nf != 3 || !itoa64_span(f[0], FLEN(0), 1, 64) || !itoa64_span(f[1], FLEN(1), 1, 128) ||
            !itoa64_span(f[2], last, 43, 43))
            return "a yescrypt or scrypt hash is $ID$PARAMS$SALT$HASH, each of ./0-9A-Za-z, "
                   "the hash 43 characters";
        return NULL;
    }
    if (idn == 2 && id[0] == '2' && strchr("aby", id[1]) && id[1]) {
        if (nf != 2 || FLEN(0) != 2 || strspn(f[0], "0123456789") != 2 ||
            !itoa64_span(f[1], last, 53, 53))
            return "a bcrypt hash is $2b$NN$ and 53 characters of ./0-9A-Za-z";
        return NULL;
    }
#undef FLEN
    return "not a hash kind the image's login reads securely: yescrypt ($y$), SHA-512 ($6$), "
           "SHA-256 ($5$), bcrypt ($2b$) or scrypt ($7$)";
}

/* Why `v` is no host name, or NULL when it is one.  RFC 1123 section 2.1
 * (after RFC 952): dot-separated labels of 1..63 letters, digits and
 * hyphens, not starting or ending with a hyphen; 253 characters at most
 * (RFC 1035's 255 octets on the wire).  And Linux's own limit, which is
 * lower and is the one that bites: the kernel keeps a host name in
 * utsname's nodename, __NEW_UTS_LEN (64) bytes, and sethostname(2)
 * refuses a longer one with EINVAL (kernel/sys.c), as does `hostname -F
 * /etc/hostname` at the dom0's boot (HOST_NAME_MAX, 64, in POSIX's
 * <limits.h> for Linux).  A 151-character dotted name passed RFC 1123
 * and left the dom0 named "(none)" (trial 9x F6).  `one_label`: a
 * [Host NAME]'s NAME, which names files and is one label. */
#define HOSTNAME_LINUX_MAX 64
const char *md_spec_hostname_problem(const char *v, bool one_label)
{
    size_t len = strlen(v);
    if (len > HOSTNAME_LINUX_MAX)
        return "longer than 64 characters, the most Linux keeps (HOST_NAME_MAX: "
               "sethostname(2) refuses it, and the dom0 would boot without its name)";
    for (const char *p = v;;) {
        size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
        if (n == 0 && (p[0] == '.' || !p[0]))
            return "an empty label (RFC 1123: labels of 1 to 63 letters, digits and inner "
                   "hyphens, joined by dots)";
        if (n > 63)
            return "a label longer than 63 characters (RFC 1123)";
        if (n == 0 || (p[n] && p[n] != '.'))
            return "a character other than a letter, a digit, a hyphen or a dot (RFC 1123)";
        if (p[0] == '-' || p[n - 1] == '-')
            return "a label that starts or ends with a hyphen (RFC 1123)";
        if (!p[n])
            return NULL;
        if (one_label)
            return "more than one label: a host's NAME is one label of 1 to 63 letters, "
                   "digits and inner hyphens (RFC 1123; it names the host's files)";
        p += n + 1;
    }
}

/* [Image] Name=: it is written to image.ini and printed to the terminal,
 * and tools name files after it, so it is a plain word: 1 to 64 ASCII
 * letters, digits, '.', '_', '-' and '+', starting with a letter or digit
 * (so never "..", a path, an option or an escape sequence). */
#define NAME_MAX_LEN 64
static bool valid_image_name(const char *v)
{
    size_t n = strlen(v);
    if (n == 0 || n > NAME_MAX_LEN || !isalnum((unsigned char)v[0]))
        return false;
    for (const char *p = v; *p; p++)
        if (!(isascii((unsigned char)*p) && isalnum((unsigned char)*p)) && !strchr("._-+", *p))
            return false;
    return true;
}

static void set_str(char **dst, const char *v)
{
    free(*dst);
    *dst = *v ? md_xstrdup(v) : NULL;
}

static void set_list(md_strv *sv, const char *v)
{
    if (!*v) {
        md_strv_free(sv);
        return;
    }
    md_strv_split(sv, v, false);
}

static char *abs_path(const md_spec *s, const char *p)
{
    if (p[0] == '~' && p[1] == '/')
        return md_xasprintf("%s%s", md_home_dir(), p + 1);
    if (p[0] == '/' || !s->cur_basedir)
        return md_xstrdup(p);
    return md_xasprintf("%s/%s", s->cur_basedir, p);
}

static int fail(md_spec *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(md_spec *s, const char *fmt, ...)
{
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    md_err_set(s->err, "%s:%u: %s", s->cur_origin, s->line, msg);
    return 0;
}

/* *at (freed first) becomes where the current key is: "FILE:LINE". */
static void set_at(md_spec *s, char **at)
{
    free(*at);
    *at = md_xasprintf("%s:%u", s->cur_origin, s->line);
}

/* A host file the build will read whole (Copy=, AuthorizedKeys=): named
 * now, with this line, not after minutes of package work; by the rules the
 * build reads it with (core/file.h md_open_file: a regular file, readable,
 * at most MD_READ_FILE_MAX bytes). */
static int check_host_file(md_spec *s, const char *key, const char *path)
{
    md_err e = MD_ERR_INIT;
    int fd = md_open_file(path, NULL, &e);
    if (fd < 0)
        return fail(s, "%s=: %.500s", key, e.msg);
    close(fd);
    return 1;
}

/* A host directory the build reads (Overlay=) or makes if missing
 * (KeysDir=, `missing_ok`): anything else there is named now, with this
 * line (trial 9: /dev/zero and /dev/null were refused after the package
 * work, with no line). */
static int check_host_dir(md_spec *s, const char *key, const char *path, bool missing_ok)
{
    md_err e = MD_ERR_INIT;
    if (md_check_dir(path, missing_ok, &e) < 0)
        return fail(s, "%s=: %.500s", key, e.msg);
    return 1;
}

/* Who may change a host input decides what the image holds or trusts
 * (trial 9c: an Overlay= directory, an AuthorizedKeys= file and a
 * Keyring= that user nobody could rewrite were used as they were): by the
 * rule of --keys and -o (core/file.h md_file_check_trusted_input), named
 * at this line. */
#define RISK_FILES "who could put their own files into the image: keep the files a spec copies " \
                   "where only you (or root) can change them"
#define RISK_LOGIN "who could add their own key to root's logins in the image: keep keys where " \
                   "only you (or root) can change them"
#define RISK_TRUST "who could sign packages of their own for the image: keep trusted keys " \
                   "where only you (or root) can change them (Debian's are in /usr/share/keyrings)"
#define RISK_BOOT "who could choose what runs as root in the dom0 at every boot (xl create " \
                  "runs a guest config's bootloader=): keep guest configs where only you " \
                  "(or root) can change them"
#define RISK_HOSTS "who could give a host's identity (its ssh host keys) to a MAC of their " \
                   "choosing, or add their own key to root's logins: keep hosts files where " \
                   "only you (or root) can change them"
#define RISK_SIGN "who could choose what the image's xen.efi is signed with: keep the Secure " \
                  "Boot key and certificate where only you (or root) can change them"
#define RISK_SPEC "who could choose what the build fetches and trusts, and which of this " \
                  "host's files it copies into the image: keep specs where only you (or " \
                  "root) can change them"
static int check_trusted(md_spec *s, const char *key, const char *path, const char *risk)
{
    md_err e = MD_ERR_INIT;
    if (md_file_check_trusted_input(path, risk, &e) < 0)
        return fail(s, "%s=: %.500s", key, e.msg);
    return 1;
}

/* A list of host paths (Overlay=, AuthorizedKeys=), each checked as it is
 * added: a file the build reads, or with `dirs` a directory; and trusted,
 * with `risk` said when it is not. */
static int set_path_list(md_spec *s, md_strv *sv, const char *key, const char *v, bool dirs,
                         const char *risk)
{
    if (!*v) {
        md_strv_free(sv);
        return 1;
    }
    md_strv words = { 0 };
    md_strv_split(&words, v, false);
    int r = 1;
    for (size_t i = 0; r && i < words.n; i++) {
        md_strv_push_own(sv, abs_path(s, words.v[i]));
        r = dirs ? check_host_dir(s, key, sv->v[sv->n - 1], false)
                 : check_host_file(s, key, sv->v[sv->n - 1]);
        r = r && check_trusted(s, key, sv->v[sv->n - 1], risk);
    }
    md_strv_free(&words);
    return r;
}


bool md_spec_repo_name_ok(const char *name)
{
    if (!name || !*name)
        return false;
    for (const char *p = name; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr(".+-_~", *p))
            return false;
    return strcmp(name, ".") && strcmp(name, "..");
}

/* The position of `key` among records of `size` bytes at `v`, each of
 * which starts with its name (a char *: struct repo, struct host, an
 * md_strv's strings), through their index `ix`; SIZE_MAX if none. */
static size_t ix_find(const md_hindex *ix, const void *v, size_t size, const char *key,
                      uint64_t h)
{
    for (size_t it = 0, i; (i = md_hindex_next(ix, h, &it)) != SIZE_MAX;)
        if (!strcmp(*(char *const *)((const char *)v + i * size), key))
            return i;
    return SIZE_MAX;
}

static struct repo *repo_find(const md_spec *s, const char *name, uint64_t h)
{
    size_t i = ix_find(&s->repo_ix, s->repos, sizeof *s->repos, name, h);
    return i == SIZE_MAX ? NULL : &s->repos[i];
}

static size_t at_find(const md_spec *s, const char *key, uint64_t h)
{
    return ix_find(&s->at_ix, s->at_keys.v, sizeof *s->at_keys.v, key, h);
}

static struct repo *repo_get(md_spec *s, const char *name)
{
    uint64_t h = md_hindex_hash(name, strlen(name));
    struct repo *r = repo_find(s, name, h);
    if (r)
        return r;
    md_hindex_add(&s->repo_ix, h, s->nrepos);
    s->repos = md_xgrow(s->repos, &s->caprepos, s->nrepos + 1, sizeof *s->repos);
    r = &s->repos[s->nrepos++];
    memset(r, 0, sizeof *r);
    r->name = md_xstrdup(name);
    set_at(s, &r->at);
    return r;
}

/* docs/spec.md names yes and no (in any case, as for Bridge=); 1 and true
 * were taken too, unsaid, while on and YES were refused (trial 9c case
 * 13): one documented set. */
static int parse_bool(md_spec *s, const char *key, const char *v, bool *out)
{
    if (!strcasecmp(v, "yes") || !strcasecmp(v, "no")) {
        *out = !strcasecmp(v, "yes");
        return 1;
    }
    return fail(s, "%s=%s: expected yes or no", key, v);
}

static int parse_int(md_spec *s, const char *key, const char *v, long long lo, long long hi,
                     long long *out)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    /* decimal digits only: strtoll also takes leading blanks and a '+'
     * (trial 9c case 13: "+10") */
    bool digits = isdigit((unsigned char)v[0]) || (v[0] == '-' && lo < 0 && isdigit((unsigned char)v[1]));
    if (!digits || *end || errno || x < lo || x > hi)
        return fail(s, "%s=%s: expected a whole number from %lld to %lld", key, v, lo, hi);
    *out = x;
    return 1;
}

static int load_into(md_spec *s, const char *text, const char *origin, const char *basedir);

static void clear_pins(md_spec *s)
{
    for (size_t i = 0; i < s->npins; i++) {
        free((char *)s->pins[i].package);
        free((char *)s->pins[i].repo);
    }
    s->npins = 0;
    md_strv_free(&s->pin_at);
}

static int load_into(md_spec *s, const char *text, const char *origin, const char *basedir);

/* [Image] Hosts=FILE: FILE's [Host NAME] sections, read as if they stood in
 * the spec (the same keys, checks and FILE:LINE in errors; relative paths
 * from FILE's directory).  A fleet's list of hosts can then be kept, and
 * changed, apart from the image's spec. */
static int hosts_file(md_spec *s, const char *v)
{
    if (!*v)
        return fail(s, "Hosts= names no file (a file of [Host NAME] sections)");
    char *path = abs_path(s, v);
    int r = check_host_file(s, "Hosts", path) && check_trusted(s, "Hosts", path, RISK_HOSTS);
    unsigned char *data = NULL;
    size_t len = 0;
    md_err e = MD_ERR_INIT;
    if (r && md_read_file(path, &data, &len, &e) < 0)
        r = fail(s, "Hosts=: %.500s", e.msg);
    if (r && memchr(data, '\0', len))
        r = fail(s, "Hosts=%s: binary data, not a hosts file", v);
    if (r) {
        const char *o = s->cur_origin, *b = s->cur_basedir;
        unsigned line = s->line;
        bool any = s->any_key;
        char *dir = md_xstrdup(path), *slash = strrchr(dir, '/');
        if (slash)
            *slash = '\0';
        s->in_hosts = true;
        r = load_into(s, (char *)data, path, !slash ? "." : *dir ? dir : "/") == 0;
        s->in_hosts = false;
        free(dir);
        s->cur_origin = o, s->cur_basedir = b, s->line = line, s->any_key = any;
        /* its errors are already set, with FILE:LINE; 0 stops the parse */
    }
    free(data);
    free(path);
    return r;
}

static int image_key(md_spec *s, const char *k, const char *v)
{
    if (!strcmp(k, "Hosts"))
        return hosts_file(s, v);
    long long x;
    if (!strcmp(k, "Base")) {
        const md_spec_base *base = md_spec_base_find(v);
        if (!base) {
            char known[256] = "default";
            for (size_t i = 0; i < md_spec_base_count(); i++)
                snprintf(known + strlen(known), sizeof known - strlen(known), ", %s",
                         md_spec_base_at(i)->name);
            return fail(s, "Base=%s: no such base (known: %s; `mkdom0 inspect --bases` lists "
                           "them)", v, known);
        }
        if (s->any_key)
            return fail(s, "Base= must come before any other setting");
        const char *o = s->cur_origin, *b = s->cur_basedir;
        unsigned line = s->line;
        /* Messages about the base's own lines name it: "<debian-13>:12". */
        char *origin = base == md_spec_base_at(0) ? md_xstrdup("<default>")
                                                   : md_xasprintf("<%s>", base->name);
        int r = load_into(s, base->text, origin, NULL);
        free(origin);
        if (r < 0)
            return 0;
        s->cur_origin = o, s->cur_basedir = b, s->line = line;
        return 1;
    }
    if (!strcmp(k, "Name")) {
        /* md_err_set shows the value's control characters as \xNN */
        if (*v && !valid_image_name(v))
            return fail(s, "Name=%.*s%s: not an image name (1 to 64 characters of A-Z a-z 0-9 . "
                           "_ - +, starting with a letter or digit)", NAME_MAX_LEN, v,
                        strlen(v) > NAME_MAX_LEN ? "..." : "");
        return set_str(&s->name, v), 1;
    }
    if (!strcmp(k, "Compression")) {
        md_codec c;
        if (md_codec_from_name(v, &c, NULL) == 0)
            return set_str(&s->compression, v), 1;
        return fail(s, "Compression=%s: expected gzip, zstd, xz, lz4 or none", v);
    }
    if (!strcmp(k, "CompressionLevel")) {
        if (!parse_int(s, k, v, 1, 22, &x))
            return 0;
        s->compression_level = (int)x;
        set_at(s, &s->level_at);
        return 1;
    }
    if (!strcmp(k, "SourceDateEpoch")) {
        if (!*v) {
            s->sde = -1;
            return 1;
        }
        if (!md_spec_epoch_parse(v, &s->sde))
            return fail(s, "SourceDateEpoch=%s: expected seconds since 1970, from 0 to "
                           "4294967295 (2106-02-07): a newc cpio keeps mtimes in 8 hex "
                           "digits", v);
        return 1;
    }
    return fail(s, "unknown key %s in [Image]", k);
}

/* Alpine's architectures (apk-tools' APK_DEFAULT_ARCH list, arch.h). */
static bool alpine_arch(const char *a)
{
    static const char *const known[] = { "x86_64", "x86", "aarch64", "armhf", "armv7", "ppc64le",
                                         "s390x", "riscv64", "loongarch64", "mips64" };
    for (size_t i = 0; i < sizeof known / sizeof *known; i++)
        if (!strcmp(a, known[i]))
            return true;
    return false;
}

static int repo_key(md_spec *s, const char *name, const char *k, const char *v)
{
    if (!md_spec_repo_name_ok(name))
        return fail(s, "[Repository %s]: a repository name is one word of A-Z a-z 0-9 . + - _ ~ "
                       "(it names the repository's files in the cache)", name);
    struct repo *r = repo_get(s, name);
    if (!strcmp(k, "Type")) {
        if (!strcmp(v, "deb") || !*v)
            r->type = MD_SPEC_REPO_DEB;
        else if (!strcmp(v, "apk"))
            r->type = MD_SPEC_REPO_APK;
        else
            return fail(s, "Type=%s: expected deb (a Debian archive) or apk (an Alpine "
                           "repository)", v);
        return 1;
    }
    if (!strcmp(k, "Keys")) {
        free(r->keys);
        r->keys = *v ? abs_path(s, v) : NULL;
        /* as Keyring=: missing is for the fetch to say, another kind now */
        struct stat st;
        return !r->keys || (check_host_dir(s, "Keys", r->keys, true) &&
                            (stat(r->keys, &st) < 0 || check_trusted(s, "Keys", r->keys, RISK_TRUST)));
    }
    if (!strcmp(k, "URL")) {
        /* docs/spec.md: http://, https:// or file://; a character RFC 3986
         * never has in a URL (a blank, a control, " < > \ ^ ` { | }) made
         * curl's "bad/illegal format" at the download, with no line
         * (trial 9e case 8) */
        size_t bad = strcspn(v, " \t\"<>\\^`{|}");
        for (const unsigned char *p = (const unsigned char *)v; *p; p++)
            if (*p < 0x20 || *p == 0x7f) {
                bad = (size_t)((const char *)p - v);
                break;
            }
        /* mkdom0 appends paths (dists/..., pool/...) to a mirror's URL: a
         * query or fragment would swallow them, and a query is where
         * tokens hide, which messages would then print */
        size_t q = strcspn(v, "?#");
        /* messages write the URL as core/url does: without credentials */
        char *shown = md_url_shown(v);
        int ok = 1;
        if (*v && v[bad])
            ok = fail(s, "URL=%s: a URL holds no '%c' (byte %zu)%s", shown, v[bad], bad + 1,
                      v[bad] == ' ' ? ": write a space in a path as %20" : "");
        else if (v[q])
            ok = fail(s, "URL=%.*s...: a mirror's URL has no %s ('%c'): mkdom0 appends paths to it",
                      (int)strcspn(shown, "?#"), shown, v[q] == '?' ? "query" : "fragment", v[q]);
        else if (*v && strncmp(v, "http://", 7) && strncmp(v, "https://", 8) &&
                 strncmp(v, "file://", 7))
            ok = fail(s, "URL=%s: expected http://, https:// or file://", shown);
        free(shown);
        if (!ok)
            return 0;
        set_str(&r->url, v);
        size_t n = r->url ? strlen(r->url) : 0;
        while (n > 1 && r->url[n - 1] == '/')
            r->url[--n] = '\0';
        return 1;
    }
    if (!strcmp(k, "Suite"))
        return set_str(&r->suite, v), 1;
    if (!strcmp(k, "Components"))
        return set_list(&r->components, v), 1;
    if (!strcmp(k, "Architecture"))
        return set_str(&r->arch, v), 1;
    if (!strcmp(k, "Priority")) {
        long long x;
        if (!parse_int(s, k, v, 1, 100000, &x))
            return 0;
        r->priority = (int)x;
        return 1;
    }
    if (!strcmp(k, "Keyring")) {
        free(r->keyring);
        r->keyring = *v ? abs_path(s, v) : NULL;
        /* missing: the fetch says so; a directory, device or FIFO: now */
        struct stat st;
        if (r->keyring && stat(r->keyring, &st) == 0 &&
            (!check_host_file(s, "Keyring", r->keyring) ||
             !check_trusted(s, "Keyring", r->keyring, RISK_TRUST)))
            return 0;
        return 1;
    }
    return fail(s, "unknown key %s in [Repository %s]", k, name);
}

static int packages_key(md_spec *s, const char *k, const char *v)
{
    if (!strcmp(k, "Include") || !strcmp(k, "Exclude")) {
        /* names, not apk's atoms (`apk add 'xen<4.19'`, xen=4.18.3-r0,
         * xen~4.18, xen@v320) nor apt's (xen=4.17.5-1): read as a name
         * they were "no such package" (trial 13 F12) */
        md_strv words = { 0 };
        md_strv_split(&words, v, false);
        int r = 1;
        for (size_t i = 0; r && i < words.n; i++)
            if (strpbrk(words.v[i], "<>=~@!"))
                r = fail(s, "%s=%s: a package name, not a version constraint or repository "
                            "tag (apk's atoms are not read here): take a release's version "
                            "with Pin=NAME=REPOSITORY", k, words.v[i]);
        md_strv_free(&words);
        if (!r)
            return 0;
        return set_list(!strcmp(k, "Include") ? &s->packages : &s->excludes, v), 1;
    }
    if (!strcmp(k, "Essential"))
        return parse_bool(s, k, v, &s->essential);
    if (!strcmp(k, "Pin")) {
        if (!*v)
            return clear_pins(s), 1;
        md_strv words = { 0 };
        md_strv_split(&words, v, false);
        int r = 1;
        for (size_t i = 0; r && i < words.n; i++) {
            char *eq = strchr(words.v[i], '=');
            if (!eq || eq == words.v[i] || !eq[1]) {
                r = fail(s, "Pin=%s: expected PACKAGE=REPOSITORY", words.v[i]);
                break;
            }
            *eq = '\0';
            /* a second pin of one package: the last would win unseen
             * (trial 13 F4) */
            for (size_t j = 0; r && j < s->npins; j++)
                if (!strcmp(s->pins[j].package, words.v[i]))
                    r = fail(s, "Pin=%s=%s: %s is already pinned (to %s, at %s): one pin per "
                                "package", words.v[i], eq + 1, words.v[i], s->pins[j].repo,
                             s->pin_at.v[j]);
            if (!r)
                break;
            s->pins = md_xrealloc(s->pins, (s->npins + 1) * sizeof *s->pins);
            s->pins[s->npins].package = md_xstrdup(words.v[i]);
            s->pins[s->npins].repo = md_xstrdup(eq + 1);
            s->npins++;
            md_strv_pushf(&s->pin_at, "%s:%u", s->cur_origin, s->line);
        }
        md_strv_free(&words);
        return r;
    }
    return fail(s, "unknown key %s in [Packages]", k);
}

#define MD_SPEC_MAX_PATTERNS 4096

static int files_key(md_spec *s, const char *k, const char *v)
{
    if (!strcmp(k, "Drop") || !strcmp(k, "Keep")) {
        md_strv *l = k[0] == 'D' ? &s->drop : &s->keep;
        set_list(l, v);
        /* every file of the image is matched against every pattern:
         * 200,000 Drop= took a build from 8 s to 268 s (trial 9h case 16) */
        if (l->n > MD_SPEC_MAX_PATTERNS)
            return fail(s, "%s=: more than %d patterns: each file of the image is matched "
                           "against each; use fewer, wider ones (a directory's * matches its "
                           "whole tree)", k, MD_SPEC_MAX_PATTERNS);
        return 1;
    }
    if (!strcmp(k, "Overlay"))
        return set_path_list(s, &s->overlays, k, v, true, RISK_FILES);
    if (!strcmp(k, "Copy")) {
        md_strv words = { 0 };
        md_strv_split(&words, v, false);
        int r = 1;
        for (size_t i = 0; r && i < words.n; i++) {
            char *colon = strrchr(words.v[i], ':');
            if (!colon || colon == words.v[i] || colon[1] != '/') {
                r = fail(s, "Copy=%s: expected HOSTFILE:/ABSOLUTE/IMAGE/PATH", words.v[i]);
                break;
            }
            *colon = '\0';
            /* the tree refuses a ".." component (image/tree.c: it could
             * leave the image's root); said here, with the line, not
             * after the package work */
            if (md_path_has_dotdot(colon + 1)) {
                r = fail(s, "Copy=%s:%s: the image path has a '..' component (refused: it could "
                            "leave the image's root)", words.v[i], colon + 1);
                break;
            }
            char *src = abs_path(s, words.v[i]);
            if (!(r = check_host_file(s, "Copy", src) && check_trusted(s, "Copy", src, RISK_FILES))) {
                free(src);
                break;
            }
            s->copies = md_xrealloc(s->copies, (s->ncopies + 1) * sizeof *s->copies);
            s->copies[s->ncopies].src = src;
            s->copies[s->ncopies].dest = md_xstrdup(colon + 1);
            s->ncopies++;
        }
        md_strv_free(&words);
        return r;
    }
    return fail(s, "unknown key %s in [Files]", k);
}

/* "A.B.C.D", or with `prefix` "A.B.C.D/N" (N 1..32). */
static bool valid_ipv4(const char *v, bool prefix)
{
    struct in_addr a;
    size_t n = strcspn(v, "/");
    if (n >= INET_ADDRSTRLEN || (prefix != (v[n] == '/')))
        return false;
    char buf[INET_ADDRSTRLEN];
    memcpy(buf, v, n);
    buf[n] = '\0';
    if (inet_pton(AF_INET, buf, &a) != 1)
        return false;
    if (!prefix)
        return true;
    char *end;
    long len = strtol(v + n + 1, &end, 10);
    return v[n + 1] >= '0' && v[n + 1] <= '9' && !*end && len >= 1 && len <= 32;
}

/* Not the network or broadcast address of its own prefix (a /31 or /32
 * has neither, RFC 3021). */
/* "A.B.C.D/N", already accepted by valid_ipv4(): the address in host byte
 * order, the prefix length, and the mask of the host part. */
static void split_cidr(const char *v, uint32_t *addr, int *len, uint32_t *hostmask)
{
    char ip[INET_ADDRSTRLEN];
    size_t n = strcspn(v, "/");
    snprintf(ip, sizeof ip, "%.*s", (int)n, v);
    struct in_addr a = { 0 };
    inet_pton(AF_INET, ip, &a);
    *addr = ntohl(a.s_addr);
    *len = atoi(v + n + 1);
    *hostmask = *len >= 32 ? 0 : ~0u >> *len;
}

/* Why "A.B.C.D/N" can be no host's unicast address on a link, or NULL:
 * the ranges of RFC 1122 3.2.1.3 (0/8 "this network", 127/8 loopback),
 * RFC 5771 (224/4 multicast) and RFC 1112 4 (240/4 reserved; its last,
 * 255.255.255.255, the limited broadcast, RFC 919). */
static const char *not_unicast(const char *v)
{
    uint32_t a, hm;
    int len;
    split_cidr(v, &a, &len, &hm);
    if (a >> 24 == 0)
        return "in 0.0.0.0/8, 'this network' (RFC 1122), which no host may have";
    if (a >> 24 == 127)
        return "a loopback address (127.0.0.0/8, RFC 1122), which never leaves the host";
    if (a >> 28 == 0xe)
        return "a multicast address (224.0.0.0/4, RFC 5771), which no host may have";
    if (a == 0xffffffffu)
        return "the limited broadcast address (RFC 919), which no host may have";
    if (a >> 28 == 0xf)
        return "in 240.0.0.0/4, reserved (RFC 1112), which Linux will not route";
    return NULL;
}

static bool host_address(const char *v)
{
    uint32_t a, hm;
    int len;
    split_cidr(v, &a, &len, &hm);
    return len >= 31 || ((a & hm) != 0 && (a & hm) != hm);
}

/* [System] and [Host] Address=: empty, or a host's own unicast IPv4 address
 * with its prefix length.  `empty_means` names what gives DHCP there.
 * 1, or 0 with the error at the spec line. */
static int address_ok(md_spec *s, const char *v, const char *empty_means)
{
    if (!*v)
        return 1;
    if (!valid_ipv4(v, true))
        return fail(s, "Address=%s: expected an IPv4 address with its prefix length, such "
                       "as 192.0.2.10/24 (%s: DHCP)", v, empty_means);
    if (not_unicast(v))
        return fail(s, "Address=%s: %s: give the host's own unicast address", v, not_unicast(v));
    if (!host_address(v))
        return fail(s, "Address=%s: the network's or its broadcast address, not a host's", v);
    return 1;
}

/* A Linux interface name (net/core/dev.c dev_valid_name: under IFNAMSIZ, i.e.
 * at most 15 bytes, not "." or "..", no '/', ':' or white space), narrowed to
 * characters that need no quoting, since the name reaches the network
 * service's shell-sourced conf.d file. */
static bool valid_ifname(const char *v)
{
    size_t n = strlen(v);
    /* a leading '-' would be an option to ip(8) and brctl (trial 9c
     * case 13), as for host names */
    if (n == 0 || n > 15 || !strcmp(v, ".") || !strcmp(v, "..") || v[0] == '-')
        return false;
    for (const char *p = v; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
            return false;
    return true;
}

/* A name the kernel or udev gives a network device that is not a bridge:
 * lo, ethN and wlanN, and systemd's predictable names (udev's
 * net_id: en/wl/ww, then o<index>, s<slot>, p<bus>, x<MAC>, i, v, b).
 * The network service makes the bridge only when no interface of that
 * name exists, then adds the NIC to it: Bridge=eth0 has brctl add eth0
 * to eth0, which fails, and the host comes up unreachable (trial 9e). */
static bool nic_name(const char *v)
{
    if (!strcmp(v, "lo"))
        return true;
    for (const char *const *pre = (const char *const[]){ "eth", "wlan", "usb", NULL }; *pre; pre++) {
        size_t n = strlen(*pre);
        if (!strncmp(v, *pre, n) && v[n] && strspn(v + n, "0123456789") == strlen(v + n))
            return true;
    }
    return (!strncmp(v, "en", 2) || !strncmp(v, "wl", 2) || !strncmp(v, "ww", 2)) &&
           v[2] && strchr("opsxivb", v[2]) && v[3] && isxdigit((unsigned char)v[3]);
}

/* HostMemory=: a list of host RAM sizes, each as Dom0Mem= takes one; it
 * appends, and an empty value clears it, as every list does. */
static int set_host_memory(md_spec *s, const char *v)
{
    if (!*v) {
        free(s->host_mib);
        s->host_mib = NULL;
        s->nhosts = 0;
        return 1;
    }
    /* "16G,128G" is a list too, as Media= takes one (trial 9: it was
     * refused as one size, with a message about dom0_mem's max:) */
    md_strv words = { 0 };
    md_strv_split(&words, v, true);
    int r = 1;
    for (size_t i = 0; r && i < words.n; i++) {
        uint64_t mib;
        md_err e = MD_ERR_INIT;
        if (md_size_parse_mib(words.v[i], &mib, &e) < 0) {
            r = fail(s, "HostMemory=%.400s%s: expected the host's RAM, e.g. 128G", e.msg, "");
            break;
        }
        s->host_mib = md_xrealloc(s->host_mib, (s->nhosts + 1) * sizeof *s->host_mib);
        s->host_mib[s->nhosts++] = mib;
    }
    md_strv_free(&words);
    return r;
}

/* Microcode=: amd, intel (one or both, separated by spaces or commas),
 * yes (both) or no; an empty value is no. */
static int set_microcode(md_spec *s, const char *v)
{
    md_strv w = { 0 };
    md_strv_split(&w, v, true);
    unsigned bits = 0;
    int r = 1;
    for (size_t i = 0; r && i < w.n; i++) {
        if (!strcmp(w.v[i], "amd"))
            bits |= MD_SPEC_UCODE_AMD;
        else if (!strcmp(w.v[i], "intel"))
            bits |= MD_SPEC_UCODE_INTEL;
        else if (!strcasecmp(w.v[i], "yes") && w.n == 1)
            bits = MD_SPEC_UCODE_AMD | MD_SPEC_UCODE_INTEL;
        else if (!strcasecmp(w.v[i], "no") && w.n == 1)
            bits = 0;
        else
            r = fail(s, "Microcode=%s: expected amd, intel, amd intel, yes (both) or no", v);
    }
    md_strv_free(&w);
    if (r)
        s->ucode = bits;
    return r;
}

/* [Kernel] Modloop=: an Alpine modloop squashfs whose modules the image
 * takes (image/modloop.h).  A regular file, named now with this line, that
 * only the user (or root) may change: its modules run in the dom0's
 * kernel.  Its size is the modloop reader's to bound (a modloop is often
 * larger than the files check_host_file reads whole). */
static int set_modloop(md_spec *s, const char *v)
{
    free(s->modloop);
    s->modloop = NULL;
    if (!*v)
        return 1;
    char *p = abs_path(s, v);
    struct stat st;
    if (stat(p, &st) < 0 || !S_ISREG(st.st_mode)) {
        int r = fail(s, "Modloop=: %.400s: %s", p,
                     stat(p, &st) < 0 ? strerror(errno) : "not a regular file (a modloop "
                                                          "squashfs, e.g. Alpine's modloop-lts)");
        free(p);
        return r;
    }
    if (!check_trusted(s, "Modloop", p, RISK_FILES)) {
        free(p);
        return 0;
    }
    s->modloop = p;
    return 1;
}

static int system_key(md_spec *s, const char *sec, const char *k, const char *v)
{
    if (!strcmp(sec, "Modules") && !strcmp(k, "Include"))
        return set_list(&s->modules, v), 1;
    if (!strcmp(sec, "Xen") && !strcmp(k, "Dom0Mem")) {
        uint64_t mib;
        md_err e = MD_ERR_INIT;
        if (strcmp(v, "auto") && md_size_parse_mib(v, &mib, &e) < 0)
            return fail(s, "Dom0Mem=%.400s%s (or auto: computed from the image)", e.msg, "");
        return set_str(&s->dom0_mem, v), 1;
    }
    if (!strcmp(sec, "Xen") && !strcmp(k, "HostMemory"))
        return set_host_memory(s, v);
    if (!strcmp(sec, "Xen") && !strcmp(k, "Args"))
        return set_str(&s->xen_args, v), 1;
    if (!strcmp(sec, "Xen") && !strcmp(k, "HVM"))
        return parse_bool(s, k, v, &s->hvm);
    if (!strcmp(sec, "Xen") && !strcmp(k, "Microcode"))
        return set_microcode(s, v);
    if (!strcmp(sec, "Kernel") && !strcmp(k, "Args"))
        return set_str(&s->kernel_args, v), 1;
    if (!strcmp(sec, "Kernel") && !strcmp(k, "Modloop"))
        return set_modloop(s, v);
    if (!strcmp(sec, "System") && !strcmp(k, "Hostname")) {
        const char *why = *v ? md_spec_hostname_problem(v, false) : NULL;
        if (why)
            return fail(s, "Hostname=%s: not a host name: %s", v, why);
        return set_str(&s->hostname, v), 1;
    }
    if (!strcmp(sec, "System") && !strcmp(k, "RootPasswordHash")) {
        /* It becomes /etc/shadow's second field: a ':' or newline would make
         * fields or lines of its own. */
        const char *why = *v ? crypt_form(v) : NULL;
        if (why) /* the value is not shown: it may be a password written by mistake */
            return fail(s, "RootPasswordHash: expected a crypt(3) hash such as $6$SALT$HASH: "
                           "%s; generate one with 'openssl passwd -6' or mkpasswd", why);
        return set_str(&s->root_hash, v), 1;
    }
    if (!strcmp(sec, "System") && !strcmp(k, "Bridge")) {
        if (!strcasecmp(v, "no"))
            v = "";
        else if (!strcasecmp(v, "yes"))
            v = "xenbr0";
        else if (*v && !valid_ifname(v))
            return fail(s, "Bridge=%s: not a bridge name: 1 to 15 characters of A-Z a-z 0-9 _ . -, "
                           "not starting with -, not . or .. (or yes for xenbr0, no for none)", v);
        else if (*v && nic_name(v))
            return fail(s, "Bridge=%s: the name of a network device (%s), not of a bridge: the "
                           "dom0 makes the bridge and puts the NIC on it, so the bridge needs a "
                           "name of its own (e.g. xenbr0, or yes for xenbr0)",
                        v, !strcmp(v, "lo") ? "the loopback device" : "a NIC's kernel name");
        return set_str(&s->bridge, v), 1;
    }
    if (!strcmp(sec, "System") && !strcmp(k, "GuestNetwork")) {
        if (strcmp(v, "bridge") && strcmp(v, "route"))
            return fail(s, "GuestNetwork=%s: expected bridge (guests' vifs on Bridge=) or route "
                           "(Xen's vif-route: no bridge, one routed address per guest)", v);
        s->routed = !strcmp(v, "route");
        return 1;
    }
    if (!strcmp(sec, "System") && !strcmp(k, "Address")) {
        if (!address_ok(s, v, "empty"))
            return 0;
        return set_str(&s->address, v), 1;
    }
    if (!strcmp(sec, "System") && !strcmp(k, "Gateway")) {
        if (*v && !valid_ipv4(v, false))
            return fail(s, "Gateway=%s: expected an IPv4 address such as 192.0.2.1", v);
        set_at(s, &s->gateway_at);
        return set_str(&s->gateway, v), 1;
    }
    if (!strcmp(sec, "SSH") && !strcmp(k, "AuthorizedKeys"))
        return set_path_list(s, &s->authorized_keys, k, v, false, RISK_LOGIN);
    if (!strcmp(sec, "SSH") && !strcmp(k, "KeysDir")) {
        free(s->keys_dir);
        s->keys_dir = *v ? abs_path(s, v) : NULL;
        /* made by the build when missing; anything but a directory: now */
        return !s->keys_dir || check_host_dir(s, "KeysDir", s->keys_dir, true);
    }
    return fail(s, "unknown key %s in [%s]", k, sec);
}

/* LABEL=NAME: what e2label/mkfs.ext4 -L accept (ext4's 16 bytes, the file
 * system the image carries), narrowed to characters that need no quoting in
 * the shell-sourced conf.d file.  UUID=: the 8-4-4-4-12 hex form of ext4,
 * xfs and btrfs, or FAT's XXXX-XXXX (blkid's spellings). */
static bool valid_storage(const char *v)
{
    if (!strncmp(v, "LABEL=", 6)) {
        size_t n = strlen(v + 6);
        if (n == 0 || n > 16)
            return false;
        for (const char *p = v + 6; *p; p++)
            if (!isalnum((unsigned char)*p) && *p != '_' && *p != '.' && *p != '-')
                return false;
        return true;
    }
    if (strncmp(v, "UUID=", 5))
        return false;
    const char *u = v + 5, *shape = strlen(u) == 9 ? "xxxx-xxxx" : "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx";
    if (strlen(u) != strlen(shape))
        return false;
    for (size_t i = 0; shape[i]; i++)
        if (shape[i] == '-' ? u[i] != '-' : !isxdigit((unsigned char)u[i]))
            return false;
    return true;
}

/* Autostart= files land in /etc/xen/auto under their own names: two with
 * the same name would silently replace each other. */
static int add_autostart(md_spec *s, const char *v)
{
    if (!*v) {
        md_strv_free(&s->autostart);
        return 1;
    }
    md_strv words = { 0 };
    md_strv_split(&words, v, false);
    int r = 1;
    for (size_t i = 0; r && i < words.n; i++) {
        const char *base = basename(words.v[i]);
        if (!*base || *base == '.') {
            r = fail(s, "Autostart=%s: expected a guest config file (not a directory or a "
                        "hidden file)", words.v[i]);
            break;
        }
        for (size_t j = 0; r && j < s->autostart.n; j++)
            if (!strcmp(basename(s->autostart.v[j]), base))
                r = fail(s, "Autostart=%s: another config is named %s too (both would go to "
                            "/etc/xen/auto)", words.v[i], base);
        char *path = r ? abs_path(s, words.v[i]) : NULL;
        /* Named now, with this line, not after minutes of package work;
         * one that is there but no regular file says what it is. */
        struct stat st;
        if (path && stat(path, &st) < 0 && errno == ENOENT) {
            r = fail(s, "Autostart=%s: no such guest config file (%s)", words.v[i], path);
            free(path);
        } else if (path && !(check_host_file(s, "Autostart", path) &&
                               check_trusted(s, "Autostart", path, RISK_BOOT))) {
            r = 0;
            free(path);
        } else if (path) {
            md_strv_push_own(&s->autostart, path);
        }
    }
    md_strv_free(&words);
    return r;
}

static int guests_key(md_spec *s, const char *k, const char *v)
{
    if (!strcmp(k, "Storage")) {
        if (!strcasecmp(v, "no"))
            v = "";
        if (*v && !valid_storage(v))
            return fail(s, "Storage=%s: expected LABEL=NAME (1 to 16 characters of A-Z a-z "
                           "0-9 _ . -), UUID=xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx or "
                           "UUID=XXXX-XXXX, or no", v);
        free(s->storage);
        s->storage = NULL;
        if (*v) {
            s->storage = md_xstrdup(v);
            if (!strncmp(v, "UUID=", 5)) /* blkid prints UUIDs in lower case */
                for (char *p = s->storage + 5; *p; p++)
                    *p = (char)tolower((unsigned char)*p);
        }
        return 1;
    }
    if (!strcmp(k, "Autostart"))
        return add_autostart(s, v);
    if (!strcmp(k, "ShutdownTimeout")) {
        long long x;
        if (!parse_int(s, k, v, 1, 3600, &x))
            return 0;
        s->shutdown_timeout = (int)x;
        return 1;
    }
    return fail(s, "unknown key %s in [Guests]", k);
}

/* Keys whose value is a list: an indented line adds to it, as another
 * assignment would (docs/spec.md).  Every other key takes one value, and
 * inih would let an indented line replace it unseen. */
static bool is_list_key(const char *sec, const char *k)
{
    static const char *const lists[] = { "Packages/Include", "Packages/Exclude", "Packages/Pin",
                                         "Files/Drop", "Files/Keep", "Files/Overlay",
                                         "Files/Copy", "Modules/Include", "SSH/AuthorizedKeys",
                                         "Guests/Autostart", "Repository/Components", "Boot/Media",
                                         "Xen/HostMemory", "Host/AuthorizedKeys", NULL };
    size_t sl = !strncmp(sec, "Repository ", 11) ? 10 : !strncmp(sec, "Host ", 5) ? 4 : strlen(sec);
    for (int i = 0; lists[i]; i++)
        if (!strncmp(lists[i], sec, sl) && lists[i][sl] == '/' && !strcmp(lists[i] + sl + 1, k))
            return true;
    return false;
}

static const char *const media_names[] = { "iso", "disk", "netboot", "efi", "unified" };
#define NMEDIA (sizeof media_names / sizeof *media_names)

int md_spec_media_parse(const char *list, unsigned *bits, md_err *err)
{
    md_strv w = { 0 };
    md_strv_split(&w, list, true);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < w.n; i++) {
        size_t k = 0;
        while (k < NMEDIA && strcmp(w.v[i], media_names[k]))
            k++;
        if (k < NMEDIA)
            *bits |= 1u << k;
        else if (!strcmp(w.v[i], "none"))
            *bits = 0;
        else
            rc = md_err_set(err, "unknown boot medium '%s' (choose iso, disk, netboot, efi, "
                                 "unified or none)",
                            w.v[i]);
    }
    md_strv_free(&w);
    return rc;
}

const char *md_spec_media_name(unsigned bit)
{
    for (unsigned k = 0; k < NMEDIA; k++)
        if (bit == 1u << k)
            return media_names[k];
    return "?";
}

/* SecureBootKey=, SecureBootCert=: a PEM file sbsign reads; checked here
 * so the error names this line, not a build step minutes later.  Both
 * decide what the hosts' firmware accepts as signed by you, so another
 * user may not change them (check_trusted, as Keyring=).  The key is also
 * refused when its group or others may read it: whoever reads it can sign
 * EFI programs those hosts boot.  That is OpenSSH's rule for private keys
 * ("UNPROTECTED PRIVATE KEY FILE"), and OpenSSL 3 writes -keyout 0600, so
 * a key made the usual way passes; sbsign itself does not check. */
static int set_sb_file(md_spec *s, const char *k, const char *v, char **dst)
{
    free(*dst);
    *dst = NULL;
    if (!*v)
        return 1;
    char *p = abs_path(s, v);
    struct stat st;
    int r = check_host_file(s, k, p) && check_trusted(s, k, p, RISK_SIGN);
    if (r && !strcmp(k, "SecureBootKey") && stat(p, &st) == 0 && (st.st_mode & (S_IRGRP | S_IROTH)))
        r = fail(s, "%s=: %.400s is readable by %s, who could sign EFI programs your hosts "
                    "boot: chmod go-r it (OpenSSL writes keys 0600)",
                 k, p, st.st_mode & S_IROTH ? "everyone" : "its group");
    if (!r) {
        free(p);
        return 0;
    }
    *dst = p;
    return 1;
}

static int boot_key(md_spec *s, const char *k, const char *v)
{
    if (!strcmp(k, "SecureBootKey"))
        return set_sb_file(s, k, v, &s->sb_key);
    if (!strcmp(k, "SecureBootCert"))
        return set_sb_file(s, k, v, &s->sb_cert);
    if (strcmp(k, "Media"))
        return fail(s, "unknown key %s in [Boot]", k);
    if (!*v) { /* an empty assignment clears the list, as for every list */
        s->media = 0;
        return 1;
    }
    md_err e = MD_ERR_INIT;
    if (md_spec_media_parse(v, &s->media, &e) < 0) {
        md_err_set(s->err, "%s:%u: Media=%s: %s", s->cur_origin, s->line, v, e.msg);
        return 0;
    }
    return 1;
}

/* "52:54:00:12:34:56" or with '-': six hex octets; written back lower
 * case with ':' (iPXE's ${netX/mac} form).  A group (multicast) address or
 * all zeros is no NIC's. */
static bool parse_mac(const char *v, char out[18])
{
    unsigned char o[6];
    if (strlen(v) != 17)
        return false;
    for (int i = 0; i < 6; i++) {
        const char *p = v + 3 * i;
        if (!isxdigit((unsigned char)p[0]) || !isxdigit((unsigned char)p[1]) ||
            (i < 5 && p[2] != ':' && p[2] != '-') || (i > 0 && p[-1] != v[2]))
            return false;
        char hex[3] = { p[0], p[1], 0 };
        o[i] = (unsigned char)strtoul(hex, NULL, 16);
    }
    if ((o[0] & 1) || !(o[0] | o[1] | o[2] | o[3] | o[4] | o[5]))
        return false;
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", o[0], o[1], o[2], o[3], o[4], o[5]);
    return true;
}

static struct host *host_get(md_spec *s, const char *name)
{
    uint64_t hash = md_hindex_hash(name, strlen(name));
    size_t i = ix_find(&s->host_ix, s->hosts, sizeof *s->hosts, name, hash);
    if (i != SIZE_MAX)
        return &s->hosts[i];
    md_hindex_add(&s->host_ix, hash, s->nhostsecs);
    s->hosts = md_xgrow(s->hosts, &s->caphosts, s->nhostsecs + 1, sizeof *s->hosts);
    struct host *h = &s->hosts[s->nhostsecs++];
    memset(h, 0, sizeof *h);
    h->name = md_xstrdup(name);
    set_at(s, &h->at);
    return h;
}

static int host_key(md_spec *s, const char *name, const char *k, const char *v)
{
    /* NAME names the host's keys directory and files in the netboot tree,
     * and is its host name unless Hostname= says otherwise. */
    const char *why = md_spec_hostname_problem(name, true);
    if (why) {
        s->line = s->cur_sec_line ? s->cur_sec_line : s->line; /* at the header */
        return fail(s, "[Host %s]: not a host's name: %s", name, why);
    }
    struct host *h = host_get(s, name);
    if (!strcmp(k, "MAC")) {
        char mac[18];
        if (!parse_mac(v, mac))
            return fail(s, "MAC=%s: expected a NIC's MAC address, six hex octets such as "
                           "52:54:00:12:34:56 (not a group address, not all zeros)", v);
        set_at(s, &h->mac_at);
        return set_str(&h->mac, mac), 1;
    }
    if (!strcmp(k, "Hostname")) {
        const char *bad = md_spec_hostname_problem(v, false);
        if (bad)
            return fail(s, "Hostname=%s: not a host name: %s", v, bad);
        set_at(s, &h->hostname_at);
        return set_str(&h->hostname, v), 1;
    }
    if (!strcmp(k, "Address")) {
        if (!strcasecmp(v, "dhcp"))
            v = "";
        if (!address_ok(s, v, "dhcp or empty"))
            return 0;
        set_at(s, &h->address_at);
        return set_str(&h->address, v), 1;
    }
    if (!strcmp(k, "Gateway")) {
        if (*v && !valid_ipv4(v, false))
            return fail(s, "Gateway=%s: expected an IPv4 address such as 192.0.2.1", v);
        set_at(s, &h->gateway_at);
        return set_str(&h->gateway, v), 1;
    }
    if (!strcmp(k, "AuthorizedKeys"))
        return set_path_list(s, &h->authorized_keys, k, v, false, RISK_LOGIN);
    return fail(s, "unknown key %s in [Host %s] (MAC, Hostname, Address, Gateway, "
                   "AuthorizedKeys)", k, name);
}

static int on_key(void *user, const char *sec, const char *k, const char *v)
{
    md_spec *s = user;
    if (s->err->set)
        return 0;
    if (s->sec_name && *s->sec_name)
        sec = *s->sec_name; /* inih's copy stops at 49 bytes */
    if (s->cont && !is_list_key(sec, k))
        return fail(s, "indented line: it would continue %s=, which takes one value (only list "
                       "keys continue on indented lines); write it unindented as a key of its "
                       "own, or as the one value of %s=", k, k);
    if (s->sec_line) { /* the first key of a section header */
        unsigned at = s->sec_line;
        s->sec_line = 0;
        s->cur_sec_line = at;
        /* Two [Repository NAME] of one name in one file were merged
         * silently (trial 9c case 13), the second's keys over the
         * first's: two repositories meant, one got.  (A spec's Base= is
         * another file, whose sections a spec changes on purpose.)  So
         * were two [Host NAME]: two hosts meant, one got. */
        unsigned *file = NULL, *first = NULL;
        if (!strncmp(sec, "Repository ", 11) && md_spec_repo_name_ok(sec + 11)) {
            struct repo *r = repo_get(s, sec + 11);
            file = &r->file, first = &r->sec_line;
        } else if (!strncmp(sec, "Host ", 5) && !md_spec_hostname_problem(sec + 5, true)) {
            struct host *h = host_get(s, sec + 5);
            /* A spec's Base= may change a host of its base; a host in a
             * hosts file is only there, or two descriptions would merge. */
            if (h->file && h->file != s->cur_file && (h->listed || s->in_hosts)) {
                s->line = at;
                return fail(s, "[%s] is also at %s: describe a host once, in the spec or in "
                               "a hosts file (Hosts=)", sec, h->at);
            }
            h->listed |= s->in_hosts;
            file = &h->file, first = &h->sec_line;
        }
        if (file) {
            if (*file == s->cur_file) {
                s->line = at;
                return fail(s, "[%s] again: the section began at line %u already; give each "
                               "%s one section with a name of its own", sec, *first,
                            sec[0] == 'H' ? "host" : "repository");
            }
            *file = s->cur_file, *first = at;
        }
    }
    int r;
    if (s->in_hosts && strncmp(sec, "Host ", 5))
        /* without the section's or key's text: a file named by mistake
         * may be a secret one (trial 9h case 3) */
        r = *sec ? fail(s, "a section other than [Host NAME] in a hosts file: it holds [Host NAME] "
                           "sections only (Hosts=)")
                 : fail(s, "a key outside of any [Host NAME] section: a hosts file holds [Host "
                           "NAME] sections only (Hosts=)");
    else if (!strcmp(sec, "Image"))
        r = image_key(s, k, v);
    else if (!strncmp(sec, "Repository ", 11))
        r = repo_key(s, sec + 11, k, v);
    else if (!strcmp(sec, "Packages"))
        r = packages_key(s, k, v);
    else if (!strcmp(sec, "Files"))
        r = files_key(s, k, v);
    else if (!strcmp(sec, "Guests"))
        r = guests_key(s, k, v);
    else if (!strcmp(sec, "Boot"))
        r = boot_key(s, k, v);
    else if (!strncmp(sec, "Host ", 5))
        r = host_key(s, sec + 5, k, v);
    else if (!strcmp(sec, "Modules") || !strcmp(sec, "Xen") || !strcmp(sec, "Kernel") ||
             !strcmp(sec, "System") || !strcmp(sec, "SSH"))
        r = system_key(s, sec, k, v);
    else if (!*sec)
        r = fail(s, "%s= outside of any [Section]", k);
    else {
        /* at the header, not at its first key (trial 9d: [Host\tweb]) */
        s->line = s->cur_sec_line ? s->cur_sec_line : s->line;
        char *shown = md_xstrdup(sec);
        bool ctl = false;
        for (char *c = shown; *c; c++)
            if ((unsigned char)*c < 0x20 || *c == 0x7f)
                *c = '?', ctl = true;
        r = fail(s, "unknown section [%s]%s", shown,
                 ctl ? " (a control character, shown as '?', in its name: sections are "
                       "[Name] or [Host NAME] with one space)" : "");
        free(shown);
    }
    s->any_key = true;
    if (r) {
        char *key = md_xasprintf("%s/%s", sec, k);
        uint64_t h = md_hindex_hash(key, strlen(key));
        size_t i = at_find(s, key, h);
        if (i == SIZE_MAX) {
            i = s->at_keys.n;
            md_hindex_add(&s->at_ix, h, i);
            md_strv_push(&s->at_keys, key);
            md_strv_push(&s->at_lines, "");
        }
        set_at(s, &s->at_lines.v[i]);
        free(key);
    }
    return r;
}

static int load_into(md_spec *s, const char *text, const char *origin, const char *basedir)
{
    s->cur_origin = origin;
    s->cur_basedir = basedir;
    s->line = 0;
    s->sec_line = 0;
    unsigned outer_sec = s->cur_sec_line;
    s->cur_sec_line = 0;
    unsigned outer = s->cur_file; /* a Base='s text is read in the middle of a file */
    s->cur_file = ++s->nfiles;
    char *const *outer_name = s->sec_name;
    struct reader rd = { .p = text, .line = &s->line, .sec_line = &s->sec_line, .cont = &s->cont };
    s->sec_name = &rd.sec;
    int r = ini_parse_stream(read_line, &rd, on_key, s);
    s->cur_file = outer;
    s->cur_sec_line = outer_sec;
    s->sec_name = outer_name;
    free(rd.sec);
    if (s->err->set) {
        free(rd.why);
        return -1;
    }
    if (rd.bad) {
        md_err_set(s->err, "%s:%u: %s", origin, rd.bad, rd.why);
        free(rd.why);
        return -1;
    }
    if (rd.empty_sec)
        return md_err_set(s->err, "%s:%u: [] names no section", origin, rd.empty_sec);
    if (rd.too_long)
        return md_err_set(s->err, "%s:%u: line longer than %d bytes, the most a spec line may "
                                  "hold; split a long list over several lines of the same key "
                                  "(they add up)", origin, rd.too_long, rd.max);
    if (r > 0)
        return md_err_set(s->err, "%s:%d: syntax error (expected [Section] or Key=Value)",
                          origin, r);
    if (r < 0)
        return md_err_set(s->err, "%s: cannot parse", origin);
    return 0;
}

/* [Xen] HVM=yes.  libxl starts Debian's device model for every HVM guest
 * (/usr/libexec/xen-qemu-system-i386, from qemu-system-xen); hvmloader
 * (xen-utils-4.17) loads SeaBIOS (seabios) into the guest, and QEMU takes
 * its NICs' option ROMs from ipxe-qemu.  Debian's build links the binary
 * against libspice-server1 and so, through it, GStreamer, Opus and SASL:
 * those stay, or the binary does not start.  What no link and no guest
 * needs goes. */
static const char *const hvm_include[] = { MD_SPEC_DEVICE_MODEL, NULL };
/* iso-codes: GStreamer's language and country tables; libcap2-bin: setcap
 * for gst-ptp-helper; libsasl2-modules-db: the sasldb store (with
 * libdb5.3) for VNC SASL logins nobody configured; libmount1, libblkid1:
 * only libgio links them, and libgio goes (below). */
static const char *const hvm_exclude[] = { "iso-codes", "libcap2-bin", "libsasl2-modules-db",
                                           "libmount1", "libblkid1", NULL };
/* Firmware of QEMU's other targets (POWER, SPARC, PA-RISC, RISC-V, Alpha,
 * s390, ARM boards), GStreamer's plugins and helper programs (QEMU only
 * links the core, base and app libraries), the GStreamer and GLib
 * libraries nothing links, and libstdc++'s gdb printers. */
static const char *const hvm_drop[] = {
    "/usr/share/qemu/skiboot.lid", "/usr/share/qemu/slof.bin", "/usr/share/qemu/vof.bin",
    "/usr/share/qemu/openbios-*", "/usr/share/qemu/hppa-firmware.img",
    "/usr/share/qemu/opensbi-*", "/usr/share/qemu/palcode-*", "/usr/share/qemu/s390-*",
    "/usr/share/qemu/*.dtb", "/usr/share/qemu/npcm7xx_bootrom.bin",
    "/usr/share/qemu/QEMU,tcx.bin", "/usr/share/qemu/QEMU,cgthree.bin",
    "/usr/lib/x86_64-linux-gnu/gstreamer-1.0/*", "/usr/lib/x86_64-linux-gnu/gstreamer1.0/*",
    "/usr/share/gst-plugins-base/*",
    "/usr/lib/x86_64-linux-gnu/libgst[a-z]*-1.0.so*",
    "/usr/lib/x86_64-linux-gnu/libgio-2.0.so*", "/usr/lib/x86_64-linux-gnu/glib-2.0/*",
    "/usr/lib/x86_64-linux-gnu/liborc-test-*", "/usr/share/gcc/*", NULL };
/* Exceptions to hvm_drop's libgst pattern: what QEMU links (via spice);
 * and what the default drops since only HVM guests need it: hvmloader,
 * and libssl, which nothing but spice links. */
static const char *const hvm_keep[] = {
    "/usr/lib/xen-*/boot/hvmloader", "/usr/lib/*/libssl.so.*",
    "/usr/lib/x86_64-linux-gnu/libgstreamer-1.0.so*", "/usr/lib/x86_64-linux-gnu/libgstbase-1.0.so*",
    "/usr/lib/x86_64-linux-gnu/libgstapp-1.0.so*", NULL };

static void strv_remove(md_strv *sv, const char *s)
{
    size_t j = 0;
    for (size_t i = 0; i < sv->n; i++) {
        if (!strcmp(sv->v[i], s))
            free(sv->v[i]);
        else
            sv->v[j++] = sv->v[i];
    }
    sv->n = j;
    if (sv->v)
        sv->v[j] = NULL;
}

static void push_new(md_strv *sv, const char *const *add, const md_strv *unless)
{
    for (; *add; add++)
        if (!md_strv_contains(sv, *add) && !(unless && md_strv_contains(unless, *add)))
            md_strv_push(sv, *add);
}

/* HVM=yes wins over an Exclude= of the device model (the embedded default
 * excludes it, since xen-utils-4.17 recommends it); an Include= of one of
 * hvm_exclude wins over HVM=yes's exclusion. */
/* What an option adds to the spec: packages included (and so taken out of
 * Exclude=), excluded (unless Include= names them), files dropped and kept. */
struct pkgset {
    const char *const *include, *const *exclude, *const *drop, *const *keep;
};

static void apply_set(md_spec *s, const struct pkgset *set)
{
    for (const char *const *p = set->include; *p; p++)
        strv_remove(&s->excludes, *p);
    push_new(&s->packages, set->include, NULL);
    push_new(&s->excludes, set->exclude, &s->packages);
    push_new(&s->drop, set->drop, NULL);
    if (set->keep)
        push_new(&s->keep, set->keep, NULL);
}

static void apply_hvm(md_spec *s)
{
    static const struct pkgset hvm = { hvm_include, hvm_exclude, hvm_drop, hvm_keep };
    if (s->hvm)
        apply_set(s, &hvm);
}

/* Xen's vif-route learns the dom0's address with `ip -4 -o addr show
 * primary dev NIC` (vif-common.sh dom0_ip), which busybox's ip cannot parse:
 * a routed host needs iproute2's ip, whatever Exclude= inherited.  Of
 * iproute2's dependencies, ip links none of these (arpd, tc's xtables
 * module and the setcap tools do): they stay out, and so do iproute2's other
 * tools (2.2 MB in bookworm's 6.1), of which a dom0 needs none. */
static const char *const route_include[] = { "iproute2", NULL };
static const char *const route_exclude[] = { "libdb5.3", "libxtables12", "libcap2-bin", NULL };
static const char *const route_drop[] = {
    "/usr/bin/ctstat", "/usr/bin/lnstat", "/usr/bin/nstat", "/usr/bin/rdma",
    "/usr/bin/routel", "/usr/bin/rtstat", "/usr/bin/ss", "/usr/sbin/arpd", "/usr/sbin/bridge",
    "/usr/sbin/dcb", "/usr/sbin/devlink", "/usr/sbin/genl", "/usr/sbin/rtacct",
    "/usr/sbin/rtmon", "/usr/sbin/tc", "/usr/sbin/tipc", "/usr/sbin/vdpa",
    "/usr/lib/*/tc/*", NULL };

static void apply_route(md_spec *s)
{
    static const struct pkgset route = { route_include, route_exclude, route_drop, NULL };
    if (!s->routed)
        return;
    apply_set(s, &route);
    free(s->bridge); /* routed guests need no bridge: Bridge= does not apply */
    s->bridge = NULL;
}

/* The levels each codec's library or program takes (md_codec_max_level),
 * said at the spec's line rather than when the image is written. */
static int check_level(const md_spec *s)
{
    md_codec c = MD_CODEC_GZIP; /* Compression= was checked when it was read */
    if (s->compression)
        md_codec_from_name(s->compression, &c, NULL);
    int max = md_codec_max_level(c);
    if (s->compression_level <= 0 || c == MD_CODEC_NONE || s->compression_level <= max)
        return 0;
    return md_err_set(s->err, "%s: CompressionLevel=%d: %s takes levels 1 to %d", s->level_at,
                      s->compression_level, md_codec_name(c), max);
}

/* Gateway= must be on the link Address= makes, and neither may be that
 * link's network or broadcast address: `ip route add default via GW` fails
 * at boot otherwise (or routes into nothing).  A DHCP lease brings its own
 * router, so Gateway= needs Address=. */
static int gateway_ok(const md_spec *s, const char *at, const char *address,
                      const char *gateway)
{
    if (!gateway)
        return 0;
    if (!address)
        return md_err_set(s->err, "%s: Gateway=%s without Address=: a DHCP lease brings its "
                                  "own router", at, gateway);
    uint32_t a, hm;
    int len;
    split_cidr(address, &a, &len, &hm);
    struct in_addr gw = { 0 };
    inet_pton(AF_INET, gateway, &gw);
    uint32_t g = ntohl(gw.s_addr);
    if ((a & ~hm) != (g & ~hm))
        return md_err_set(s->err, "%s: Gateway=%s is not in Address=%s's network: the dom0 "
                                  "could not reach it", at, gateway, address);
    if (g == a)
        return md_err_set(s->err, "%s: Gateway=%s is the dom0's own Address=", at, gateway);
    if (len <= 30 && ((g & hm) == 0 || (g & hm) == hm))
        return md_err_set(s->err, "%s: Gateway=%s is the network or broadcast address of %s",
                          at, gateway, address);
    return 0;
}

static int check_gateway(const md_spec *s)
{
    return gateway_ok(s, s->gateway_at, s->address, s->gateway);
}

/* The hash of the first `n` bytes of `v` in lower case: the keys of
 * check_hosts, which compares them ignoring case. */
static uint64_t lower_hash(const char *v, size_t n)
{
    char *l = md_xstrndup(v, n);
    for (char *c = l; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    uint64_t h = md_hindex_hash(l, n);
    free(l);
    return h;
}

/* The fields no two hosts share: a host's value of field `k` (NULL when
 * it has none), `*n` its bytes compared (an address without its prefix). */
enum { HK_MAC, HK_NAME, HK_HOSTNAME, HK_ADDRESS, HK_N };
static const char *host_field(const struct host *h, int k, size_t *n)
{
    const char *v = k == HK_MAC ? h->mac : k == HK_NAME ? h->name
                  : k == HK_HOSTNAME ? (h->hostname ? h->hostname : h->name)
                  : h->address && *h->address ? h->address : NULL;
    *n = !v ? 0 : k == HK_ADDRESS ? strcspn(v, "/") : strlen(v);
    return v;
}

/* The earliest host before `i` whose field `k` equals host i's, ignoring
 * case; SIZE_MAX when none.  Adds host i to `ix`, the index of field k. */
static size_t host_clash(md_hindex *ix, const struct host *hosts, size_t i, int k)
{
    size_t n, on, best = SIZE_MAX;
    const char *v = host_field(&hosts[i], k, &n);
    if (!v)
        return SIZE_MAX;
    uint64_t h = lower_hash(v, n);
    for (size_t it = 0, j; (j = md_hindex_next(ix, h, &it)) != SIZE_MAX;) {
        const char *o = host_field(&hosts[j], k, &on);
        if (on == n && !strncasecmp(o, v, n) && j < best)
            best = j;
    }
    md_hindex_add(ix, h, i);
    return best;
}

/* [Host NAME]s: each has a MAC; no two share a MAC, a host name or a
 * static address (the netboot tree picks a host's config by its MAC, two
 * hosts answering to one name could not be told apart over ssh, and two
 * with one IPv4 address would take it from each other).  Looked up by a
 * hash, not against every host before: 50,000 hosts took 75 s (trial 9m). */
static int check_hosts(md_spec *s)
{
    md_hindex ix[HK_N] = { { 0 } };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < s->nhostsecs; i++) {
        struct host *h = &s->hosts[i];
        if (!h->mac) {
            rc = md_err_set(s->err, "%s: [Host %s] has no MAC=: the netboot tree finds a host's "
                                    "config by the MAC address it boots from", h->at, h->name);
            break;
        }
        if (gateway_ok(s, h->gateway_at, h->address, h->gateway) < 0) {
            rc = -1;
            break;
        }
        const char *hn = h->hostname ? h->hostname : h->name;
        size_t j;
        /* MACs are stored in one spelling (lower case, ':'), so case does
         * not matter there either. */
        if ((j = host_clash(&ix[HK_MAC], s->hosts, i, HK_MAC)) != SIZE_MAX)
            rc = md_err_set(s->err, "%s: [Host %s] MAC=%s is also [Host %s]'s (%s): each "
                                    "host boots its own config by its MAC", h->mac_at,
                            h->name, h->mac, s->hosts[j].name, s->hosts[j].mac_at);
        /* A host's name names its files (netboot/hosts/NAME, KeysDir/hosts/NAME),
         * which one name in two cases would share on a FAT ESP or a
         * case-insensitive TFTP root; and DNS names ignore case (RFC 4343). */
        else if ((j = host_clash(&ix[HK_NAME], s->hosts, i, HK_NAME)) != SIZE_MAX)
            rc = md_err_set(s->err, "%s: [Host %s] and [Host %s] (%s) differ only in case: "
                                    "their files would be one on a FAT ESP or TFTP root "
                                    "that ignores case; give each host its own name",
                            h->at, h->name, s->hosts[j].name, s->hosts[j].at);
        else if ((j = host_clash(&ix[HK_HOSTNAME], s->hosts, i, HK_HOSTNAME)) != SIZE_MAX) {
            const struct host *o = &s->hosts[j];
            rc = md_err_set(s->err, "%s: [Host %s] has the host name %s, as [Host %s] (%s): "
                                    "give each host its own Hostname=",
                            h->hostname_at ? h->hostname_at : h->at, h->name, hn, o->name,
                            o->hostname_at ? o->hostname_at : o->at);
        } else if ((j = host_clash(&ix[HK_ADDRESS], s->hosts, i, HK_ADDRESS)) != SIZE_MAX)
            rc = md_err_set(s->err, "%s: [Host %s] Address=%s is also [Host %s]'s (%s): give "
                                    "each host its own address", h->address_at, h->name,
                            h->address, s->hosts[j].name, s->hosts[j].address_at);
        h->view = (md_spec_host){ h->name, h->mac, hn, h->address, h->gateway,
                                  &h->authorized_keys, h->at };
    }
    for (int k = 0; k < HK_N; k++)
        md_hindex_free(&ix[k]);
    return rc;
}

/* The line that last set `key` in [Repository NAME] (md_spec_key_at). */
static const char *repo_key_at(const md_spec *s, const struct repo *r, const char *key)
{
    char *sec = md_xasprintf("Repository %s", r->name);
    const char *at = md_spec_key_at(s, sec, key);
    free(sec);
    return at;
}

/* A repository's keys must fit its Type=, and one image takes its packages
 * from one format; a key that does not fit is named at its line. */
static int check_repo_type(md_spec *s, struct repo *r, const struct repo *first)
{
    bool apk = r->type == MD_SPEC_REPO_APK;
    if (r->type != first->type)
        return md_err_set(s->err, "%s: [Repository %s] is Type=%s but [Repository %s] is Type=%s: "
                          "an image's packages come from one format",
                          apk ? repo_key_at(s, r, "Type") : r->at, r->name, apk ? "apk" : "deb",
                          first->name, apk ? "deb" : "apk");
    const char *deb_only = !apk ? NULL : r->suite ? "Suite" : r->components.n ? "Components"
                         : r->keyring ? "Keyring" : NULL;
    if (deb_only)
        return md_err_set(s->err, "%s: %s= is for Type=deb; [Repository %s] is Type=apk, whose "
                          "URL names the release and repository (.../alpine/v3.22/main) and "
                          "whose Keys= names the trusted keys directory",
                          repo_key_at(s, r, deb_only), deb_only, r->name);
    if (!apk && r->keys)
        return md_err_set(s->err, "%s: Keys= is for Type=apk; [Repository %s] is Type=deb (its "
                          "Keyring= names the gpgv keyring)", repo_key_at(s, r, "Keys"), r->name);
    if (apk && r->arch && !alpine_arch(r->arch))
        return md_err_set(s->err, "%s: Architecture=%s is not one of Alpine's (x86_64, aarch64, "
                          "armv7, ...)%s", repo_key_at(s, r, "Architecture"), r->arch,
                          !strcmp(r->arch, "amd64") ? "; Debian's amd64 is Alpine's x86_64"
                          : !strcmp(r->arch, "arm64") ? "; Debian's arm64 is Alpine's aarch64" : "");
    const char *missing = !apk ? NULL : !r->url ? "URL" : !r->keys ? "Keys" : NULL;
    if (missing)
        return md_err_set(s->err, "%s: [Repository %s] has no %s=", r->at, r->name, missing);
    return 0;
}

/* PEM's passphrase callback: a key that asks is one sbsign would ask for
 * too, with no terminal to answer in a build. */
static int sb_no_passphrase(char *buf, int size, int rwflag, void *asked)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    *(bool *)asked = true;
    return -1;
}

/* OpenSSL's reason for the last failure, or `dflt`. */
static const char *ssl_reason(const char *dflt)
{
    unsigned long e = ERR_peek_last_error();
    const char *r = e ? ERR_reason_error_string(e) : NULL;
    return r ? r : dflt;
}

/* SecureBootKey= and SecureBootCert= as sbsign will read them (PEM, with
 * OpenSSL): a certificate, an unencrypted private key, and the key the
 * certificate's public key belongs to (X509_check_private_key).  Checked
 * when the spec is read, naming its lines, not after the package work with
 * sbsign's OpenSSL dump (trial 9d case 08: a mismatched or swapped pair,
 * a key that wants a passphrase). */
static int check_sb_pair(md_spec *s)
{
    const char *kat = md_spec_key_at(s, "Boot", "SecureBootKey");
    const char *cat = md_spec_key_at(s, "Boot", "SecureBootCert");
    ERR_clear_error();
    FILE *f = fopen(s->sb_cert, "re");
    if (!f)
        return md_err_errno(s->err, "%s: SecureBootCert=%s", cat, s->sb_cert);
    X509 *x = PEM_read_X509(f, NULL, NULL, NULL);
    fclose(f);
    if (!x) {
        md_err_set(s->err, "%s: SecureBootCert=%s: not a PEM certificate (%s)%s", cat, s->sb_cert,
                   ssl_reason("no certificate"),
                   !strcmp(s->sb_cert, s->sb_key) ? "" : "; are the key and certificate swapped?");
        ERR_clear_error();
        return -1;
    }
    f = fopen(s->sb_key, "re");
    if (!f) {
        X509_free(x);
        return md_err_errno(s->err, "%s: SecureBootKey=%s", kat, s->sb_key);
    }
    bool asked = false;
    EVP_PKEY *k = PEM_read_PrivateKey(f, NULL, sb_no_passphrase, &asked);
    fclose(f);
    int rc = 0;
    if (!k && asked)
        rc = md_err_set(s->err, "%s: SecureBootKey=%s is encrypted: sbsign would ask for its "
                                "passphrase, which a build cannot give; give the key unencrypted "
                                "(openssl pkey -in KEY -out NEW, kept 0600)", kat, s->sb_key);
    else if (!k)
        rc = md_err_set(s->err, "%s: SecureBootKey=%s: not a PEM private key (%s); are the key and "
                                "certificate swapped?", kat, s->sb_key, ssl_reason("no key"));
    else if (X509_check_private_key(x, k) != 1)
        rc = md_err_set(s->err, "%s: SecureBootKey=%s is not the private key of SecureBootCert=%s "
                                "(%s): xen-unified.efi would be signed with a key the firmware's "
                                "db entry for that certificate does not verify", kat, s->sb_key,
                        s->sb_cert, cat);
    ERR_clear_error();
    EVP_PKEY_free(k);
    X509_free(x);
    return rc;
}

/* Microcode=: Debian ships amd64-microcode and intel-microcode in its
 * non-free-firmware component (bookworm and later): a spec whose Debian
 * repositories all lack it would fail in the resolver with "no package". */
static int check_microcode(md_spec *s)
{
    if (!s->ucode)
        return 0;
    for (size_t i = 0; i < s->nrepos; i++)
        if (s->repos[i].type == MD_SPEC_REPO_APK ||
            md_strv_contains(&s->repos[i].components, "non-free-firmware") ||
            md_strv_contains(&s->repos[i].components, "non-free"))
            return 0;
    return md_err_set(s->err, "%s: [Xen] Microcode= needs Debian's %s%s%s, which are in the "
                      "non-free-firmware component: add it to a [Repository NAME] Components= "
                      "(e.g. Components=main non-free-firmware)", md_spec_key_at(s, "Xen", "Microcode"),
                      s->ucode & MD_SPEC_UCODE_AMD ? "amd64-microcode" : "",
                      s->ucode == (MD_SPEC_UCODE_AMD | MD_SPEC_UCODE_INTEL) ? " and " : "",
                      s->ucode & MD_SPEC_UCODE_INTEL ? "intel-microcode" : "");
}

/* Microcode= with a ucode= of the user's own in [Xen] Args=: the build
 * appends ucode=scan after Args=, and Xen reads every ucode= in turn, the
 * last <integer> or scan= winning; the two are exclusive ways of finding
 * early microcode (xen-command-line.pandoc "ucode"; parse_ucode() in
 * xen/arch/x86/cpu/microcode/core.c).  So a ucode=<integer> or
 * ucode=scan=... in Args= is silently undone; refused, naming both lines.
 * ucode=nmi=<bool> only chooses how late loading runs, and stays. */
static int check_ucode_args(md_spec *s)
{
    if (!s->ucode || !s->xen_args)
        return 0;
    md_strv w = { 0 }, el = { 0 };
    md_strv_split(&w, s->xen_args, false);
    const char *clash = NULL;
    for (size_t i = 0; !clash && i < w.n; i++) {
        if (strncmp(w.v[i], "ucode", 5) || (w.v[i][5] && w.v[i][5] != '='))
            continue;
        md_strv_free(&el);
        md_strv_split(&el, w.v[i][5] ? w.v[i] + 6 : "", true);
        for (size_t j = 0; !clash && j < el.n; j++)
            if (strcmp(el.v[j], "nmi") && strncmp(el.v[j], "nmi=", 4) && strcmp(el.v[j], "no-nmi"))
                clash = w.v[i];
        if (!el.n)
            clash = w.v[i];
    }
    int rc = 0;
    if (clash)
        rc = md_err_set(s->err, "%s: [Xen] Args= has '%.200s', and [Xen] Microcode= (%s) adds "
                        "ucode=scan after it: Xen takes the last ucode= <integer> or scan= it "
                        "reads, so yours would be undone; drop it from Args= or set Microcode=no",
                        md_spec_key_at(s, "Xen", "Args"), clash, md_spec_key_at(s, "Xen", "Microcode"));
    md_strv_free(&el);
    md_strv_free(&w);
    return rc;
}

/* The microcode packages; intel-microcode's iucode-tool (a program that
 * makes initramfs microcode) is not needed: the build concatenates the
 * blobs itself (build.c). */
static void apply_microcode(md_spec *s)
{
    static const char *const amd[] = { "amd64-microcode", NULL }, *const intel[] = { "intel-microcode", NULL },
                             *const intel_ex[] = { "iucode-tool", NULL }, *const none[] = { NULL };
    if (s->ucode & MD_SPEC_UCODE_AMD)
        apply_set(s, &(struct pkgset){ amd, none, none, NULL });
    if (s->ucode & MD_SPEC_UCODE_INTEL)
        apply_set(s, &(struct pkgset){ intel, intel_ex, none, NULL });
}

/* Keys whose work is Debian's packages and layout, on a Type=apk spec:
 * they would ask the resolver for Debian's names (qemu-system-xen,
 * amd64-microcode: "no such package", without the line; trial 13h case 3)
 * or, Essential=yes, do nothing (Alpine's indexes have no Essential field:
 * case 5).  Refused at their line with Alpine's way, as the Debian-only
 * repository keys are (check_repo_type). */
static int check_alpine_keys(md_spec *s)
{
    if (s->repos[0].type != MD_SPEC_REPO_APK)
        return 0;
    if (s->hvm)
        return md_err_set(s->err, "%s: [Xen] HVM=yes is for Debian specs (it adds "
                          "Debian's device model packages and trims them); on Type=apk "
                          "add Alpine's device model to [Packages] Include= instead: xen-qemu "
                          "(\"QEMU for XEN\", which brings seabios-bin), from the release "
                          "of your xen package", md_spec_key_at(s, "Xen", "HVM"));
    if (s->ucode)
        return md_err_set(s->err, "%s: [Xen] Microcode= is for Debian specs: it adds "
                          "Debian's microcode packages and takes their blobs from "
                          "/usr/lib/firmware/*-ucode; Alpine's amd-ucode and intel-ucode are "
                          "not read by mkdom0; leave Microcode= out on Type=apk",
                          md_spec_key_at(s, "Xen", "Microcode"));
    if (s->essential)
        return md_err_set(s->err, "%s: [Packages] Essential=yes is for Debian specs: Alpine's "
                          "indexes mark no package essential, so it would add nothing; name "
                          "the packages in Include=", md_spec_key_at(s, "Packages", "Essential"));
    return 0;
}

static int validate(md_spec *s)
{
    if (check_level(s) < 0 || check_gateway(s) < 0 || check_hosts(s) < 0)
        return -1;
    if (s->nrepos == 0)
        return md_err_set(s->err, "%s: no [Repository NAME] section", s->origin);
    for (size_t i = 0; i < s->nrepos; i++)
        if (check_repo_type(s, &s->repos[i], &s->repos[0]) < 0)
            return -1;
    for (size_t i = 0; i < s->nrepos; i++) {
        struct repo *r = &s->repos[i];
        if (r->type == MD_SPEC_REPO_APK) {
            if (!r->arch)
                r->arch = md_xstrdup("x86_64");
            r->view = (md_spec_repo){ r->name, r->url, NULL, &r->components, r->arch, NULL,
                                      r->priority, r->type, r->keys };
            continue;
        }
        const char *missing = !r->url ? "URL" : !r->suite ? "Suite" : !r->keyring ? "Keyring" : NULL;
        if (missing)
            return md_err_set(s->err, "%s: [Repository %s] has no %s=", r->at, r->name, missing);
        if (!r->components.n)
            md_strv_push(&r->components, "main");
        if (!r->arch)
            r->arch = md_xstrdup("amd64");
        r->view = (md_spec_repo){ r->name, r->url, r->suite, &r->components, r->arch, r->keyring,
                                  r->priority, r->type, NULL };
    }
    for (size_t i = 0; i < s->npins; i++) {
        const char *n = s->pins[i].repo;
        if (!repo_find(s, n, md_hindex_hash(n, strlen(n))))
            return md_err_set(s->err, "%s: Pin=%s=%s names no [Repository %s]", s->pin_at.v[i],
                              s->pins[i].package, s->pins[i].repo, s->pins[i].repo);
    }
    if (!s->packages.n)
        return md_err_set(s->err, "%s: [Packages] Include= is empty: nothing to build",
                          md_spec_key_at(s, "Packages", "Include"));
    if (!s->dom0_mem)
        return md_err_set(s->err, "%s: [Xen] Dom0Mem= is required (design trap 4)", s->origin);
    if (!s->sb_key != !s->sb_cert) {
        const char *has = s->sb_key ? "SecureBootKey" : "SecureBootCert";
        return md_err_set(s->err, "%s: [Boot] %s= without %s=: sbsign needs the private key and "
                          "its certificate", md_spec_key_at(s, "Boot", has), has,
                          s->sb_key ? "SecureBootCert" : "SecureBootKey");
    }
    if (s->sb_key && check_sb_pair(s) < 0)
        return -1;
    if (check_alpine_keys(s) < 0 || check_microcode(s) < 0 || check_ucode_args(s) < 0)
        return -1;
    apply_hvm(s);
    apply_route(s);
    apply_microcode(s);
    return 0;
}

md_spec *md_spec_parse(const char *text, const char *origin, const char *basedir, md_err *err)
{
    md_spec *s = md_xcalloc(1, sizeof *s);
    s->err = err;
    s->origin = md_xstrdup(origin);
    s->basedir = md_xstrdup_or_null(basedir);
    s->compression = md_xstrdup("gzip");
    s->compression_level = -1;
    s->sde = -1;
    if (load_into(s, text, s->origin, s->basedir) < 0 || validate(s) < 0) {
        md_spec_free(s);
        return NULL;
    }
    s->err = NULL;
    return s;
}

md_spec *md_spec_load(const char *path, md_err *err)
{
    if (!path)
        return md_spec_parse(md_spec_default_text(), "<default>", NULL, err);
    unsigned char *data;
    size_t len;
    /* Its name goes into image.ini's Spec= and every error's "FILE:LINE". */
    if (md_path_printable("spec", path, err) < 0 || md_read_file(path, &data, &len, err) < 0)
        return NULL;
    if (memchr(data, '\0', len)) {
        free(data);
        md_err_set(err, "%s: binary data, not a spec", path);
        return NULL;
    }
    /* The spec names every other input the build trusts (repositories,
     * keys, Copy= sources, AuthorizedKeys=): whoever may change it decides
     * them all, with the caller's rights (trial 9f case 2: root built
     * nobody's spec, which copied /etc/shadow into the image).  So it is
     * held to the rule of Copy= sources, as written and resolved. */
    char *cwd = path[0] == '/' ? NULL : getcwd(NULL, 0);
    char *abs = path[0] == '/' ? md_xstrdup(path) : cwd ? md_xasprintf("%s/%s", cwd, path) : NULL;
    int trusted = abs ? md_file_check_trusted_input(abs, RISK_SPEC, err)
                      : md_err_errno(err, "%s: cannot resolve the current directory", path);
    free(cwd);
    free(abs);
    if (trusted < 0) {
        free(data);
        md_err_prefix(err, "spec %s", path);
        return NULL;
    }
    char *dir = md_xstrdup(path), *slash = strrchr(dir, '/');
    char *base;
    if (slash) {
        *slash = '\0';
        base = realpath(*dir ? dir : "/", NULL);
    } else {
        base = realpath(".", NULL);
    }
    free(dir);
    md_spec *s = md_spec_parse((char *)data, path, base, err);
    free(base);
    free(data);
    return s;
}

void md_spec_free(md_spec *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nrepos; i++) {
        struct repo *r = &s->repos[i];
        free(r->name), free(r->url), free(r->suite), free(r->arch), free(r->keyring), free(r->at);
        free(r->keys);
        md_strv_free(&r->components);
    }
    free(s->repos);
    clear_pins(s);
    free(s->pins);
    for (size_t i = 0; i < s->ncopies; i++) {
        free((char *)s->copies[i].src);
        free((char *)s->copies[i].dest);
    }
    free(s->copies);
    free(s->host_mib);
    for (size_t i = 0; i < s->nhostsecs; i++) {
        struct host *h = &s->hosts[i];
        char *hs[] = { h->name, h->at, h->mac, h->mac_at, h->hostname, h->hostname_at,
                       h->address, h->address_at, h->gateway, h->gateway_at };
        for (size_t k = 0; k < sizeof hs / sizeof *hs; k++)
            free(hs[k]);
        md_strv_free(&h->authorized_keys);
    }
    free(s->hosts);
    md_strv *lists[] = { &s->packages, &s->excludes, &s->drop, &s->keep, &s->overlays,
                         &s->modules, &s->authorized_keys, &s->autostart, &s->at_keys,
                         &s->at_lines };
    for (size_t i = 0; i < sizeof lists / sizeof *lists; i++)
        md_strv_free(lists[i]);
    char *strs[] = { s->origin, s->basedir, s->name, s->compression, s->dom0_mem, s->xen_args,
                     s->kernel_args, s->hostname, s->root_hash, s->bridge, s->keys_dir,
                     s->address, s->gateway, s->storage, s->level_at, s->gateway_at,
                     s->sb_key, s->sb_cert, s->modloop };
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        free(strs[i]);
    md_hindex_free(&s->repo_ix);
    md_hindex_free(&s->host_ix);
    md_hindex_free(&s->at_ix);
    free(s);
}

static const md_strv empty_strv;

#define STR_OR(x, dflt) ((x) ? (x) : (dflt))
const char *md_spec_origin(const md_spec *s) { return s->origin; }
const char *md_spec_name(const md_spec *s) { return STR_OR(s->name, "dom0"); }
const char *md_spec_compression(const md_spec *s) { return s->compression; }
int md_spec_compression_level(const md_spec *s) { return s->compression_level; }
int64_t md_spec_source_date_epoch(const md_spec *s) { return s->sde; }

bool md_spec_epoch_parse(const char *v, int64_t *out)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (!isdigit((unsigned char)*v) || *end || errno || x < 0 || x > MD_SPEC_SOURCE_DATE_EPOCH_MAX)
        return false;
    *out = x;
    return true;
}
size_t md_spec_repo_count(const md_spec *s) { return s->nrepos; }

const md_spec_repo *md_spec_repo_at(const md_spec *s, size_t i) { return &s->repos[i].view; }

/* validate() refuses a spec without repositories or with mixed types. */
md_spec_repo_type md_spec_distribution(const md_spec *s) { return s->repos[0].type; }

const md_strv *md_spec_packages(const md_spec *s) { return &s->packages; }
const md_strv *md_spec_excludes(const md_spec *s) { return &s->excludes; }
size_t md_spec_pin_count(const md_spec *s) { return s->npins; }
const md_spec_pin *md_spec_pin_at(const md_spec *s, size_t i) { return &s->pins[i]; }
const char *md_spec_pin_origin(const md_spec *s, size_t i) { return s->pin_at.v[i]; }
bool md_spec_essential(const md_spec *s) { return s->essential; }
bool md_spec_hvm(const md_spec *s) { return s->hvm; }
const md_strv *md_spec_drop(const md_spec *s) { return &s->drop; }
const md_strv *md_spec_keep(const md_spec *s) { return &s->keep; }
const md_strv *md_spec_overlays(const md_spec *s) { return &s->overlays; }
size_t md_spec_copy_count(const md_spec *s) { return s->ncopies; }
const md_spec_copy *md_spec_copy_at(const md_spec *s, size_t i) { return &s->copies[i]; }
const md_strv *md_spec_modules(const md_spec *s) { return s->modules.n ? &s->modules : &empty_strv; }
const char *md_spec_dom0_mem(const md_spec *s) { return s->dom0_mem; }
bool md_spec_dom0_mem_auto(const md_spec *s) { return !strcmp(s->dom0_mem, "auto"); }
const uint64_t *md_spec_host_memory(const md_spec *s, size_t *n)
{
    *n = s->nhosts;
    return s->host_mib;
}
const char *md_spec_xen_args(const md_spec *s) { return STR_OR(s->xen_args, ""); }
const char *md_spec_kernel_args(const md_spec *s) { return STR_OR(s->kernel_args, ""); }
const char *md_spec_modloop(const md_spec *s) { return s->modloop; }
const char *md_spec_hostname(const md_spec *s) { return STR_OR(s->hostname, "dom0"); }
const char *md_spec_root_password_hash(const md_spec *s) { return s->root_hash; }
const char *md_spec_bridge(const md_spec *s) { return s->bridge; }
bool md_spec_routed(const md_spec *s) { return s->routed; }
const char *md_spec_address(const md_spec *s) { return s->address; }
const char *md_spec_gateway(const md_spec *s) { return s->gateway; }
const char *md_spec_guest_storage(const md_spec *s) { return s->storage; }
const md_strv *md_spec_autostart(const md_spec *s) { return &s->autostart; }
unsigned md_spec_media(const md_spec *s) { return s->media; }
const char *md_spec_secure_boot_key(const md_spec *s) { return s->sb_key; }
const char *md_spec_secure_boot_cert(const md_spec *s) { return s->sb_cert; }
unsigned md_spec_microcode(const md_spec *s) { return s->ucode; }
int md_spec_shutdown_timeout(const md_spec *s) { return s->shutdown_timeout ? s->shutdown_timeout : 120; }
const md_strv *md_spec_authorized_keys(const md_spec *s) { return &s->authorized_keys; }
const char *md_spec_keys_dir(const md_spec *s) { return s->keys_dir; }
size_t md_spec_host_count(const md_spec *s) { return s->nhostsecs; }
const md_spec_host *md_spec_host_at(const md_spec *s, size_t i) { return &s->hosts[i].view; }

const char *md_spec_key_at(const md_spec *s, const char *section, const char *key)
{
    char *k = md_xasprintf("%s/%s", section, key);
    size_t i = at_find(s, k, md_hindex_hash(k, strlen(k)));
    free(k);
    return i != SIZE_MAX ? s->at_lines.v[i] : s->origin;
}
