#include "image/sshkeys.h"
#include "core/mem.h"
#include "core/strv.h"
#include "core/file.h"
#include "core/out.h"
#include "core/run.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/obj_mac.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- recognising keys: sshd(8), AUTHORIZED_KEYS FILE FORMAT ---- */

/* sshd(8): "lines in this file can be several hundred bytes long ... up to
 * a limit of 8 kilobytes, which permits RSA keys up to 16 kilobits". */
#define KEY_LINE_MAX 8192

/* sshd's key options (sshd(8) and auth-options.c, which matches them
 * without regard to case): those that take no value, and those that take
 * a quoted one. */
static const char *const flag_options[] = {
    "agent-forwarding", "cert-authority", "no-agent-forwarding", "no-port-forwarding", "no-pty",
    "no-user-rc", "no-x11-forwarding", "port-forwarding", "pty", "no-touch-required",
    "verify-required", "restrict", "user-rc", "x11-forwarding", "touch-required",
};
static const char *const value_options[] = {
    "command", "environment", "expiry-time", "from", "permitlisten", "permitopen", "principals",
    "tunnel",
};

/* The options field at *s, as sshauthopt_parse reads it: comma-separated,
 * each a name or name="value" (a '\"' in it escaped), ending at a blank.
 * Advances *s past it; false with the reason in why. */
static bool parse_options(const char **s, char *why, size_t wn)
{
    const char *p = *s;
    for (;;) {
        size_t n = strcspn(p, ",= \t\"");
        bool known = false, valued = false;
        for (size_t i = 0; !known && i < sizeof flag_options / sizeof *flag_options; i++)
            known = strlen(flag_options[i]) == n && !strncasecmp(p, flag_options[i], n);
        for (size_t i = 0; !known && i < sizeof value_options / sizeof *value_options; i++)
            known = valued = strlen(value_options[i]) == n && !strncasecmp(p, value_options[i], n);
        /* Never its text: the file may be a secret one named by mistake
         * (trial 9h case 3: a .pgpass's password was printed). */
        if (!known)
            return snprintf(why, wn, "%s", p == *s ? "the first word is neither a key type nor a "
                                                    "key option sshd(8) knows"
                                                  : "a key option sshd(8) does not know (it "
                                                    "ignores the line)"), false;
        const char *name = p;
        p += n;
        if (valued != (*p == '='))
            return snprintf(why, wn, "key option %.*s %s", (int)n, name,
                            valued ? "needs =\"VALUE\"" : "takes no value"), false;
        if (valued) {
            if (p[1] != '"')
                return snprintf(why, wn, "key option %.*s: its value must be in double quotes",
                                (int)n, name), false;
            const char *v = p + 2;
            for (p = v; *p && *p != '"'; p++)
                if (*p == '\\' && p[1] == '"')
                    p++;
            if (!*p)
                return snprintf(why, wn, "key option %.*s: no closing double quote", (int)n,
                                name), false;
            size_t vn = (size_t)(p - v);
            p++;
            bool bad = false;
            if (!strncasecmp(name, "environment", n))
                bad = !vn || !memchr(v, '=', vn) || v[0] == '=';
            else if (!strncasecmp(name, "tunnel", n))
                bad = !vn || strspn(v, "0123456789") != vn;
            else if (!strncasecmp(name, "expiry-time", n)) /* YYYYMMDD[HHMM[SS]][Z] */
                bad = vn - (vn && v[vn - 1] == 'Z') != strspn(v, "0123456789") ||
                      (strspn(v, "0123456789") != 8 && strspn(v, "0123456789") != 12 &&
                       strspn(v, "0123456789") != 14);
            if (bad)
                return snprintf(why, wn, "key option %.*s: its value is not one sshd(8) reads",
                                (int)n, name), false;
        }
        if (*p != ',')
            break;
        p++;
    }
    if (*p != ' ' && *p != '\t')
        return snprintf(why, wn, "bad key options (sshd(8): comma-separated, no blanks outside "
                                 "double quotes)"), false;
    *s = p;
    return true;
}

/* Strict base64 (RFC 4648 4, as OpenSSH's b64_pton reads it: padded to a
 * multiple of 4, unused bits zero).  Returns the decoded length, or
 * (size_t)-1. */
static size_t b64_decode(const char *in, size_t n, unsigned char *out)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    if (n == 0 || n % 4)
        return (size_t)-1;
    size_t pad = in[n - 1] == '=' ? (in[n - 2] == '=' ? 2 : 1) : 0, o = 0;
    uint32_t acc = 0;
    for (size_t i = 0; i < n - pad; i++) {
        const char *c = strchr(abc, in[i]);
        if (!c || !*c)
            return (size_t)-1;
        acc = acc << 6 | (uint32_t)(c - abc);
        if (i % 4 == 3) {
            out[o++] = (unsigned char)(acc >> 16), out[o++] = (unsigned char)(acc >> 8);
            out[o++] = (unsigned char)acc;
            acc = 0;
        }
    }
    if (pad == 2) {
        if (acc & 0xf)
            return (size_t)-1;
        out[o++] = (unsigned char)(acc >> 4);
    } else if (pad == 1) {
        if (acc & 0x3)
            return (size_t)-1;
        out[o++] = (unsigned char)(acc >> 10), out[o++] = (unsigned char)(acc >> 2);
    }
    return o;
}

/* The wire format of a key (RFC 4251 5: uint32-prefixed strings, mpints) */
typedef struct wire {
    const unsigned char *p;
    size_t n;
} wire;

static bool get_string(wire *w, const unsigned char **s, size_t *n)
{
    if (w->n < 4)
        return false;
    uint32_t l = (uint32_t)w->p[0] << 24 | (uint32_t)w->p[1] << 16 | (uint32_t)w->p[2] << 8 | w->p[3];
    if (l > w->n - 4)
        return false;
    *s = w->p + 4, *n = l;
    w->p += 4 + l, w->n -= 4 + l;
    return true;
}

static bool string_is(wire *w, const char *want)
{
    const unsigned char *s;
    size_t n;
    return get_string(w, &s, &n) && n == strlen(want) && !memcmp(s, want, n);
}

/* An mpint that is not negative, its bits (leading zeros skipped, as
 * sshbuf_get_bignum2 does); -1 when it is no such mpint or longer than
 * 16384 bits (OpenSSH's SSHBUF_MAX_BIGNUM). */
static long get_mpint_bits(wire *w, const unsigned char **v, size_t *vn)
{
    const unsigned char *s;
    size_t n;
    if (!get_string(w, &s, &n) || (n && (s[0] & 0x80)))
        return -1;
    while (n && !*s)
        s++, n--;
    if (n > 16384 / 8)
        return -1;
    *v = s, *vn = n;
    if (!n)
        return 0;
    long bits = (long)n * 8;
    for (unsigned c = s[0]; !(c & 0x80); c <<= 1)
        bits--;
    return bits;
}

/* An ECDSA public point Q as sshkey_ec_validate_public takes it: on the
 * curve, and each coordinate more than half the order's bits long. */
static bool ec_point_ok(int nid, const unsigned char *q, size_t qn)
{
    EC_GROUP *g = EC_GROUP_new_by_curve_name(nid);
    EC_POINT *pt = g ? EC_POINT_new(g) : NULL;
    BIGNUM *x = BN_new(), *y = BN_new();
    const BIGNUM *order = g ? EC_GROUP_get0_order(g) : NULL;
    bool ok = pt && x && y && order && qn && q[0] == 4 && /* uncompressed, as OpenSSH writes */
              EC_POINT_oct2point(g, pt, q, qn, NULL) == 1 && EC_POINT_is_on_curve(g, pt, NULL) == 1 &&
              !EC_POINT_is_at_infinity(g, pt) &&
              EC_POINT_get_affine_coordinates(g, pt, x, y, NULL) == 1 &&
              BN_num_bits(x) > BN_num_bits(order) / 2 && BN_num_bits(y) > BN_num_bits(order) / 2;
    BN_free(x), BN_free(y);
    EC_POINT_free(pt);
    EC_GROUP_free(g);
    return ok;
}

/* The key types sshd(8) lists; ECDSA with its curve and OpenSSL's NID. */
static const struct {
    const char *type, *curve;
    int nid;
    bool sk; /* a FIDO key: an application string follows (PROTOCOL.u2f) */
} key_types[] = {
    { "ssh-ed25519", NULL, 0, false },
    { "sk-ssh-ed25519@openssh.com", NULL, 0, true },
    { "ssh-rsa", NULL, 0, false },
    { "ecdsa-sha2-nistp256", "nistp256", NID_X9_62_prime256v1, false },
    { "ecdsa-sha2-nistp384", "nistp384", NID_secp384r1, false },
    { "ecdsa-sha2-nistp521", "nistp521", NID_secp521r1, false },
    { "sk-ecdsa-sha2-nistp256@openssh.com", "nistp256", NID_X9_62_prime256v1, true },
};

/* The key blob of a line whose type word is key_types[k]: its own type
 * string first (which must be the line's), then that type's fields
 * (RFC 4253 6.6, RFC 8709, RFC 5656 3.1, PROTOCOL.u2f), and nothing after
 * them.  False with the reason in why. */
static bool check_blob(size_t k, const unsigned char *b, size_t bn, char *why, size_t wn)
{
    wire w = { b, bn };
    const unsigned char *s, *v;
    size_t n, vn;
    if (!get_string(&w, &s, &n))
        return snprintf(why, wn, "its base64 is no key"), false;
    if (n != strlen(key_types[k].type) || memcmp(s, key_types[k].type, n)) {
        /* named only when it is a type mkdom0 knows: else it is any bytes */
        for (size_t j = 0; j < sizeof key_types / sizeof *key_types; j++)
            if (n == strlen(key_types[j].type) && !memcmp(s, key_types[j].type, n))
                return snprintf(why, wn, "the key is of type %s, but the line says %s",
                                key_types[j].type, key_types[k].type), false;
        return snprintf(why, wn, "its base64 is no %s key", key_types[k].type), false;
    }
    bool ok;
    const char *t = key_types[k].type;
    if (!key_types[k].curve && strstr(t, "ed25519")) {
        ok = get_string(&w, &s, &n) && n == 32;
    } else if (!key_types[k].curve) { /* ssh-rsa: e, n */
        long eb = get_mpint_bits(&w, &v, &vn), nb = eb < 0 ? -1 : get_mpint_bits(&w, &v, &vn);
        if (eb >= 0 && nb >= 0 && nb < 1024)
            return snprintf(why, wn, "an RSA key of %ld bits: sshd takes 1024 or more", nb), false;
        ok = eb > 0 && nb >= 1024;
    } else {
        ok = string_is(&w, key_types[k].curve) && get_string(&w, &s, &n);
        if (ok && !ec_point_ok(key_types[k].nid, s, n))
            return snprintf(why, wn, "its point is not on the curve %s", key_types[k].curve),
                   false;
    }
    if (ok && key_types[k].sk)
        ok = get_string(&w, &s, &n);
    if (!ok)
        return snprintf(why, wn, "its base64 is not a whole %s key", t), false;
    if (w.n)
        return snprintf(why, wn, "%zu bytes after the %s key in its base64", w.n, t), false;
    return true;
}

/* One line of an authorized_keys file as sshd(8) reads it: "[options]
 * keytype base64-key [comment]": the options sshd knows, a key type it
 * lists, base64 that decodes to a well-formed key of that very type.  A
 * line sshd cannot read makes the key the user meant to authorize fail
 * at login, with nothing said at build time (trial 9f case 10: a type that
 * did not match the key, a stray character, 4 MB of random base64 were
 * built in).  False with the reason in why. */
static bool check_pubkey_line(const char *line, char *why, size_t wn)
{
    if (strlen(line) > KEY_LINE_MAX)
        return snprintf(why, wn, "longer than %d bytes (sshd(8): keys up to 8 KiB)",
                        KEY_LINE_MAX), false;
    const char *s = line + strspn(line, " \t");
    size_t k = 0, tn = strcspn(s, " \t");
    for (k = 0; k < sizeof key_types / sizeof *key_types; k++)
        if (strlen(key_types[k].type) == tn && !strncmp(s, key_types[k].type, tn))
            break;
    bool dss = tn == 7 && !strncmp(s, "ssh-dss", 7);
    bool cert = tn > 21 && !strncmp(s + tn - 21, "-cert-v01@openssh.com", 21);
    if (k == sizeof key_types / sizeof *key_types && !dss && !cert) {
        /* sshd reads a key first, options only when that fails */
        if (!parse_options(&s, why, wn))
            return false;
        s += strspn(s, " \t");
        tn = strcspn(s, " \t");
        for (k = 0; k < sizeof key_types / sizeof *key_types; k++)
            if (strlen(key_types[k].type) == tn && !strncmp(s, key_types[k].type, tn))
                break;
    }
    if (k == sizeof key_types / sizeof *key_types) {
        dss = tn == 7 && !strncmp(s, "ssh-dss", 7);
        cert = tn > 21 && !strncmp(s + tn - 21, "-cert-v01@openssh.com", 21);
        if (dss)
            return snprintf(why, wn, "a DSA key (ssh-dss), which OpenSSH's sshd refuses (since "
                                     "7.0; removed in 10.0)"), false;
        if (cert)
            return snprintf(why, wn, "a certificate: authorize its CA's key with "
                                     "cert-authority"), false;
        return snprintf(why, wn, "no key type sshd(8) knows (ssh-ed25519, ssh-rsa, "
                                 "ecdsa-sha2-nistp256/384/521 or their sk- forms)"), false;
    }
    const char *b = s + tn + strspn(s + tn, " \t");
    size_t bn = strcspn(b, " \t");
    if (!bn)
        return snprintf(why, wn, "no base64 key after %s", key_types[k].type), false;
    unsigned char *blob = md_xmalloc(bn / 4 * 3 + 3);
    size_t n = b64_decode(b, bn, blob);
    bool ok = n != (size_t)-1;
    if (!ok)
        snprintf(why, wn, "its key is not base64 (of %zu characters)", bn);
    else
        ok = check_blob(k, blob, n, why, wn);
    free(blob);
    return ok;
}

static bool looks_private(const char *text)
{
    return strstr(text, "-----BEGIN ") && strstr(text, "PRIVATE KEY-----");
}

/* ---- running ssh-keygen ---- */

static const char *keygen_prog(void)
{
    const char *p = getenv("MKDOM0_SSH_KEYGEN");
    return p && *p ? p : "ssh-keygen";
}

/* Run argv with stdin from /dev/null.  Its stdout goes to *out (malloc'd,
 * NUL-terminated) when out is non-NULL, else is dropped; the first line of
 * its stderr goes into the error message.  Returns 0 when it exits 0. */
static int run(const char *const argv[], char **out, md_err *err)
{
    md_run_opts o = { .stderr_apart = true };
    md_run_result r;
    md_err e = MD_ERR_INIT;
    int rc = 0;
    if (md_run(argv, &o, &r, &e) < 0) {
        rc = md_err_set(err, "%s: install openssh-client (or set MKDOM0_SSH_KEYGEN)", e.msg);
    } else if (r.status != 0) {
        r.err[strcspn(r.err, "\n")] = '\0';
        rc = md_err_set(err, "%s failed (exit %d)%s%s", argv[0], r.status, *r.err ? ": " : "",
                        r.err);
    } else if (out) {
        *out = r.out;
        r.out = NULL;
    }
    md_run_result_free(&r);
    return rc;
}

/* ---- md_sshkeys_ensure ---- */

/* A keys directory, or a key in it, that another user may change would
 * let them put their own host key and root login key into the image (as
 * OpenSSH's StrictModes refuses such an authorized_keys): the keys
 * directory and its key files must belong to the caller or root and be
 * writable by no one else; the directories above it may be others'-writable
 * only when sticky (md_path_walk_trusted, the output directory's rule). */
#define KEYS_RISK "who could put their own keys (the image's host key, root's login key) into " \
                  "the image: keep keys in a directory that only you (or root) can change"

static int check_key_file(const char *path, md_err *err)
{
    struct stat st;
    if (lstat(path, &st) < 0 && errno == ENOENT)
        return 0;
    return md_file_check_trusted(path, false, KEYS_RISK, err);
}

/* "keys directory DIR: " before a walk's error, which names the entry it
 * stopped at: DIR once, when that entry is DIR itself. */
static void keys_dir_context(const char *dir, md_err *err)
{
    size_t n = strlen(dir);
    if (!strncmp(err->msg, dir, n) && err->msg[n] == ':')
        md_err_prefix(err, "keys directory");
    else
        md_err_prefix(err, "keys directory %s", dir);
}

static int check_keys_dir(const char *dir, md_err *err)
{
    char *real = md_path_walk_trusted(dir, 0, 0, KEYS_RISK, err);
    if (!real)
        keys_dir_context(dir, err);
    free(real);
    return real ? 0 : -1;
}

/* Where sshd keeps the machine's own host keys (sshd_config(5) HostKey). */
#define SSHD_KEYS_DIR "/etc/ssh"

/* Made (0700) where missing, only after every entry on the way has
 * passed (md_path_walk_trusted), so a refused keys directory leaves
 * nothing behind (trial 9e: root-owned ~/.local/state in another user's
 * home), and a symlink on the way that another user owns is refused, not
 * followed (trial 9e: checked where it led, then read through it).  It
 * is the caller's own (MD_WALK_OWN): keys are written into it. */
static int prepare_keys_dir(const char *dir, md_err *err)
{
    struct stat st;
    bool made = stat(dir, &st) < 0 && errno == ENOENT;
    char *real = md_path_walk_trusted(dir, MD_WALK_CREATE | MD_WALK_OWN, 0700, KEYS_RISK, err);
    if (!real) {
        keys_dir_context(dir, err);
        return -1;
    }
    int rc = 0;
    if (stat(real, &st) < 0)
        rc = md_err_errno(err, "keys directory %s", dir);
    else if (!S_ISDIR(st.st_mode))
        rc = md_err_set(err, "keys directory %s is not a directory", dir);
    /* Keys are written into it and every ssh_host_*_key in it goes into
     * the image: --keys /etc wrote four key files into /etc, and --keys
     * /etc/ssh would give every host booted from the image this machine's
     * own private host keys (trial 9m). */
    else if (!made && md_file_system_dir(real))
        rc = md_err_set(err, "keys directory %s: a system directory (one under /, /usr, /var or "
                             "/home, or your home), and mkdom0 writes private keys into it: "
                             "give --keys (or [SSH] KeysDir=) a directory of its own", dir);
    else if (!made && !strcmp(real, SSHD_KEYS_DIR))
        rc = md_err_set(err, "keys directory %s: " SSHD_KEYS_DIR " holds this machine's own ssh "
                             "host keys, and every ssh_host_*_key of a keys directory goes into "
                             "the image, so each host booted from it would be this machine to "
                             "ssh: give --keys (or [SSH] KeysDir=) a directory of its own (copy "
                             "a key pair there to reuse it on purpose)", dir);
    /* mkdir is subject to the umask; a keys directory is private. */
    else if (made && chmod(real, 0700) < 0)
        rc = md_err_errno(err, "chmod %s", real);
    free(real);
    return rc;
}

static int derive_pub(const char *priv, const char *pub, md_err *err)
{
    const char *argv[] = { keygen_prog(), "-y", "-f", priv, NULL };
    char *out = NULL;
    if (run(argv, &out, err) < 0) {
        md_err_prefix(err, "deriving %s", pub);
        return -1;
    }
    int r = md_write_atomic(pub, out, strlen(out), 0644, err);
    free(out);
    return r;
}

static int generate(const char *dir, const char *name, md_err *err)
{
    char *tmp = md_xasprintf("%s/.%s.tmp.%ld", dir, name, (long)getpid());
    char *tmppub = md_xasprintf("%s.pub", tmp);
    char *priv = md_xasprintf("%s/%s", dir, name);
    char *pub = md_xasprintf("%s.pub", priv);
    unlink(tmp); /* left by an earlier run with our pid: ssh-keygen would ask */
    unlink(tmppub);
    const char *argv[] = { keygen_prog(), "-q", "-t", "ed25519", "-N", "", "-C", "",
                           "-f", tmp, NULL };
    /* Only a regular file is renamed over (core/file.h), and both names
     * are checked before a key is made: a symlink at the .pub was replaced
     * (trial 9x F7), and one at the private key's name must not leave a
     * new .pub beside the old key. */
    int r = md_file_check_replaceable(pub, err) < 0 || md_file_check_replaceable(priv, err) < 0
                ? -1
                : run(argv, NULL, err);
    if (r == 0 && (access(tmp, R_OK) < 0 || access(tmppub, R_OK) < 0))
        r = md_err_set(err, "%s did not write %s and %s.pub", argv[0], tmp, tmp);
    if (r == 0 && chmod(tmp, 0600) < 0)
        r = md_err_errno(err, "chmod %s", tmp);
    /* The .pub first: a private key without its .pub is repaired next time,
     * while a .pub without its private key would be regenerated anyway. */
    if (r == 0)
        r = md_file_rename_over(tmppub, pub, err);
    if (r == 0)
        r = md_file_rename_over(tmp, priv, err);
    if (r < 0) {
        unlink(tmp);
        unlink(tmppub);
        md_err_prefix(err, "making %s", priv);
    }
    free(tmp);
    free(tmppub);
    free(priv);
    free(pub);
    return r;
}

/* "TYPE BASE64" of a public key line (no options, no comment), or NULL.
 * Caller frees. */
static char *pub_identity(const char *line)
{
    const char *t = line + strspn(line, " \t");
    size_t tn = strcspn(t, " \t\r\n");
    const char *b = t + tn + strspn(t + tn, " \t");
    size_t bn = strcspn(b, " \t\r\n");
    if (!tn || !bn)
        return NULL;
    return md_xasprintf("%.*s %.*s", (int)tn, t, (int)bn, b);
}

/* The .pub beside a private key is its public half (ssh-keygen -y): a
 * half-restored backup or a copy slip would put another key into
 * image.ini's HostKey=, which `boot --check` and users compare with what
 * sshd serves (trial 9d case 11). */
static int check_pub_matches(const char *priv, const char *pub, md_err *err)
{
    const char *argv[] = { keygen_prog(), "-y", "-f", priv, NULL };
    char *derived = NULL;
    unsigned char *have = NULL;
    size_t hl;
    if (run(argv, &derived, err) < 0) {
        md_err_prefix(err, "reading the public half of %s", priv);
        return -1;
    }
    int rc = md_read_file(pub, &have, &hl, err);
    char *a = derived ? pub_identity(derived) : NULL;
    char *b = rc == 0 ? pub_identity((char *)have) : NULL;
    if (rc == 0 && (!a || !b || strcmp(a, b)))
        rc = md_err_set(err, "%s is not the public half of %s (ssh-keygen -y -f %s gives another "
                             "key): the image would announce a host key its sshd does not "
                             "serve; restore the pair, or remove %s to have it made again from "
                             "the private key", pub, priv, priv, pub);
    free(a);
    free(b);
    free(derived);
    free(have);
    return rc;
}

/* Temporaries of ssh-keygen runs (generate()'s .NAME.tmp.PID and its .pub)
 * whose run is gone: a build killed while it made keys left a private key
 * there that nothing would remove (trial 9d case 10).  A live run's are
 * kept (two builds may share a keys directory). */
static void remove_stale_tmp(const char *dir, const char *name, const md_out *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    char *prefix = md_xasprintf(".%s.tmp.", name);
    size_t pn = strlen(prefix);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, pn))
            continue;
        char *end;
        long pid = strtol(e->d_name + pn, &end, 10);
        if (pid <= 0 || end == e->d_name + pn || (*end && strcmp(end, ".pub")))
            continue;
        if (pid != (long)getpid() && !(kill((pid_t)pid, 0) < 0 && errno == ESRCH))
            continue;
        char *p = md_xasprintf("%s/%s", dir, e->d_name);
        if (unlinkat(dirfd(d), e->d_name, 0) == 0)
            md_out_say(out, MD_OUT_NOTE, "removed %s, left by a run killed while it made keys", p);
        free(p);
    }
    free(prefix);
    closedir(d);
}

static int ensure_one(const char *dir, const char *name, const md_out *out, md_err *err)
{
    char *priv = md_xasprintf("%s/%s", dir, name);
    char *pub = md_xasprintf("%s.pub", priv);
    struct stat st;
    int r = 0;
    remove_stale_tmp(dir, name, out);
    if (lstat(priv, &st) < 0) {
        struct stat pst;
        if (errno != ENOENT) {
            r = md_err_errno(err, "%s", priv);
        } else if (md_file_check_replaceable(pub, err) < 0) {
            r = -1; /* refused before "making a NEW host key" is said */
        } else {
            /* A .pub without its private key: the key was there and is gone
             * (deleted, a partial restore): the new one is a new identity,
             * which every ssh client that knew the host will refuse. */
            if (lstat(pub, &pst) == 0 && strcmp(name, MD_SSHKEYS_CLIENT_KEY))
                md_out_say(out, MD_OUT_NOTE, "warning: %s is missing but %s is there: making a "
                           "NEW host key, so ssh clients that knew this host will refuse it "
                           "(REMOTE HOST IDENTIFICATION HAS CHANGED); to keep the identity, "
                           "stop and restore the private key from a backup", priv, pub);
            /* the client key is root's login key, no host identity
             * (trial 9e case 7: it was warned about as a host key) */
            else if (lstat(pub, &pst) == 0)
                md_out_say(out, MD_OUT_NOTE, "warning: %s is missing but %s is there: making a "
                           "NEW login key, which the image authorizes for root instead of the "
                           "old one, so the old private key no longer logs in to images built "
                           "from now on; to keep it, stop and restore the private key from a "
                           "backup", priv, pub);
            r = generate(dir, name, err);
        }
    } else if (!S_ISREG(st.st_mode)) {
        r = md_err_set(err, "%s: not a regular file", priv);
    } else if (check_key_file(priv, err) < 0 || check_key_file(pub, err) < 0) {
        r = -1;
    } else {
        if (st.st_mode & 077) {
            md_out_say(out, MD_OUT_NOTE, "%s was readable by others: set to 0600", priv);
            if (chmod(priv, 0600) < 0)
                r = md_err_errno(err, "chmod %s", priv);
        }
        if (r == 0 && access(pub, F_OK) < 0)
            r = derive_pub(priv, pub, err);
        else if (r == 0)
            r = check_pub_matches(priv, pub, err);
    }
    free(priv);
    free(pub);
    return r;
}

int md_sshkeys_ensure(const char *dir, unsigned what, const md_out *out, md_err *err)
{
    if (prepare_keys_dir(dir, err) < 0)
        return -1;
    /* Builds sharing a keys directory make each pair once: without the
     * lock two of them both found a host's pair missing, both made one,
     * and each published an image with its own (trial 9g case 2: one
     * host, three identities, every build "built"; or one's private key
     * beside the other's .pub).  The later one waits, then reuses it.
     * The directory itself is locked: no lock file among the keys. */
    int lock = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), r = 0;
    if (lock < 0)
        r = md_err_errno(err, "keys directory %s", dir);
    while (r == 0 && flock(lock, LOCK_EX) < 0)
        if (errno != EINTR)
            r = md_err_errno(err, "keys directory %s: cannot lock", dir);
    if (r == 0 && (what & MD_SSHKEYS_HOST))
        r = ensure_one(dir, "ssh_host_ed25519_key", out, err);
    if (r == 0 && (what & MD_SSHKEYS_CLIENT))
        r = ensure_one(dir, MD_SSHKEYS_CLIENT_KEY, out, err);
    if (lock >= 0)
        close(lock);
    return r;
}

/* ---- into the tree ---- */

static bool is_host_key_name(const char *n)
{
    return !fnmatch("ssh_host_?*_key", n, 0);
}

static int add_text(md_tree *t, const char *path, unsigned mode, int64_t mtime,
                    unsigned char *data, size_t len, md_err *err)
{
    md_attr a = { mode, 0, 0, mtime };
    return md_tree_add_file(t, path, &a, data, len, "mkdom0", MD_CLASH_REPLACE, err);
}

static int add_pair(md_tree *t, const char *dir, const char *name, int64_t mtime, md_err *err)
{
    char *priv = md_xasprintf("%s/%s", dir, name), *pub = md_xasprintf("%s.pub", priv);
    char *ipriv = md_xasprintf("/etc/ssh/%s", name), *ipub = md_xasprintf("%s.pub", ipriv);
    unsigned char *kd = NULL, *pd = NULL;
    size_t kl, pl;
    int r = -1;
    if (check_key_file(priv, err) < 0 || check_key_file(pub, err) < 0 ||
        md_read_file(priv, &kd, &kl, err) < 0)
        goto out;
    if (md_read_file(pub, &pd, &pl, err) < 0) {
        md_err_prefix(err, "host key %s has no public half (ssh-keygen -y -f %s > %s)", priv,
                      priv, pub);
        goto out;
    }
    if (!looks_private((char *)kd)) {
        md_err_set(err, "%s: not an OpenSSH/PEM private key", priv);
        goto out;
    }
    char *nl = strchr((char *)pd, '\n');
    if (nl)
        *nl = '\0';
    char why[160];
    bool ok = check_pubkey_line((char *)pd, why, sizeof why);
    if (nl)
        *nl = '\n';
    if (!ok) {
        md_err_set(err, "%s: not an OpenSSH public key: %s", pub, why);
        goto out;
    }
    r = add_text(t, ipriv, 0600, mtime, kd, kl, err);
    kd = NULL;
    if (r == 0)
        r = add_text(t, ipub, 0644, mtime, pd, pl, err);
    pd = NULL;
out:
    free(kd);
    free(pd);
    free(priv);
    free(pub);
    free(ipriv);
    free(ipub);
    return r;
}

int md_sshkeys_add_host_keys(md_tree *t, const char *dir, int64_t mtime, md_err *err)
{
    if (check_keys_dir(dir, err) < 0)
        return -1;
    DIR *d = opendir(dir);
    if (!d)
        return md_err_errno(err, "host keys directory %s", dir);
    md_strv names = { 0 };
    for (struct dirent *e; (e = readdir(d));)
        if (is_host_key_name(e->d_name))
            md_strv_push(&names, e->d_name);
    closedir(d);
    if (names.n == 0) {
        md_strv_free(&names);
        return md_err_set(err, "no host keys (ssh_host_*_key) in %s", dir);
    }
    /* Directory order is the file system's; the image's must not be. */
    md_strv_sort(&names);
    int r = 0;
    for (size_t i = 0; i < names.n && r == 0; i++)
        r = add_pair(t, dir, names.v[i], mtime, err);
    md_strv_free(&names);
    return r;
}

/* Append the key lines of one file to buf; error names file and line. */
static int collect_keys(const char *file, char **buf, size_t *len, md_err *err)
{
    unsigned char *data;
    size_t n;
    if (md_read_file(file, &data, &n, err) < 0) {
        md_err_prefix(err, "authorized keys");
        return -1;
    }
    if (memchr(data, '\0', n)) {
        free(data);
        return md_err_set(err, "%s: binary data, not public keys", file);
    }
    if (looks_private((char *)data)) {
        free(data);
        return md_err_set(err, "%s is a private key: give its .pub instead", file);
    }
    unsigned lineno = 0, keys = 0;
    int r = 0;
    for (char *p = (char *)data; p && *p && r == 0;) {
        char *nl = strchr(p, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        size_t l = strlen(p);
        while (l && (p[l - 1] == '\r' || p[l - 1] == ' ' || p[l - 1] == '\t'))
            p[--l] = '\0';
        char *s = p + strspn(p, " \t");
        if (*s && *s != '#') {
            char why[160];
            if (!check_pubkey_line(s, why, sizeof why)) {
                r = md_err_set(err, "%s:%u: not an OpenSSH public key: %s (expected e.g. "
                                    "\"ssh-ed25519 AAAAC3... user@host\", as ssh-keygen writes it)",
                               file, lineno, why);
                break;
            }
            size_t sl = strlen(s);
            *buf = md_xrealloc(*buf, *len + sl + 2);
            memcpy(*buf + *len, s, sl);
            (*buf)[*len + sl] = '\n';
            *len += sl + 1;
            keys++;
        }
        p = nl ? nl + 1 : NULL;
    }
    free(data);
    if (r == 0 && keys == 0)
        r = md_err_set(err, "%s holds no public key", file);
    return r;
}

int md_sshkeys_add_authorized(md_tree *t, const md_strv *files, int64_t mtime, md_err *err)
{
    if (!files || files->n == 0)
        return 0;
    char *buf = NULL;
    size_t len = 0;
    for (size_t i = 0; i < files->n; i++)
        if (collect_keys(files->v[i], &buf, &len, err) < 0) {
            free(buf);
            return -1;
        }
    md_attr dir = { 0700, 0, 0, mtime };
    if (md_tree_add_dir(t, "/root", &dir, "mkdom0", err) < 0 ||
        md_tree_add_dir(t, "/root/.ssh", &dir, "mkdom0", err) < 0) {
        free(buf);
        return -1;
    }
    return add_text(t, "/root/.ssh/authorized_keys", 0600, mtime, (unsigned char *)buf, len,
                    err);
}
