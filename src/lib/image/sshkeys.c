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
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- recognising keys ---- */

static bool is_key_type(const char *w, size_t n)
{
    static const char *const prefixes[] = { "ssh-", "ecdsa-sha2-", "sk-ssh-", "sk-ecdsa-sha2-" };
    for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
        size_t m = strlen(prefixes[i]);
        if (n > m && !strncmp(w, prefixes[i], m))
            return true;
    }
    return false;
}

static bool is_base64(const char *w, size_t n)
{
    if (n < 16)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", w[i]))
            return false;
    return true;
}

/* "[options] type base64 [comment]": options may hold quoted spaces. */
static bool is_pubkey_line(const char *s)
{
    const char *prev = NULL;
    size_t prevn = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s)
            break;
        const char *w = s;
        bool quoted = false;
        while (*s && (quoted || (*s != ' ' && *s != '\t'))) {
            if (*s == '"')
                quoted = !quoted;
            else if (*s == '\\' && quoted && s[1])
                s++;
            s++;
        }
        size_t n = (size_t)(s - w);
        if (prev && is_key_type(prev, prevn) && is_base64(w, n))
            return true;
        prev = w;
        prevn = n;
    }
    return false;
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

/* Made (0700) where missing, only after every entry on the way has
 * passed (md_path_walk_trusted), so a refused keys directory leaves
 * nothing behind (trial 9e: root-owned ~/.local/state in another user's
 * home), and a symlink on the way that another user owns is refused, not
 * followed (trial 9e: checked where it led, then read through it). */
static int prepare_keys_dir(const char *dir, md_err *err)
{
    struct stat st;
    bool made = stat(dir, &st) < 0 && errno == ENOENT;
    char *real = md_path_walk_trusted(dir, MD_WALK_CREATE, 0700, KEYS_RISK, err);
    if (!real) {
        keys_dir_context(dir, err);
        return -1;
    }
    int rc = 0;
    if (stat(real, &st) < 0)
        rc = md_err_errno(err, "keys directory %s", dir);
    else if (!S_ISDIR(st.st_mode))
        rc = md_err_set(err, "keys directory %s is not a directory", dir);
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
    int r = run(argv, NULL, err);
    if (r == 0 && (access(tmp, R_OK) < 0 || access(tmppub, R_OK) < 0))
        r = md_err_set(err, "%s did not write %s and %s.pub", argv[0], tmp, tmp);
    if (r == 0 && chmod(tmp, 0600) < 0)
        r = md_err_errno(err, "chmod %s", tmp);
    /* The .pub first: a private key without its .pub is repaired next time,
     * while a .pub without its private key would be regenerated anyway. */
    if (r == 0 && rename(tmppub, pub) < 0)
        r = md_err_errno(err, "rename %s to %s", tmppub, pub);
    if (r == 0 && rename(tmp, priv) < 0)
        r = md_err_errno(err, "rename %s to %s", tmp, priv);
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
    bool ok = is_pubkey_line((char *)pd);
    if (nl)
        *nl = '\n';
    if (!ok) {
        md_err_set(err, "%s: not an OpenSSH public key", pub);
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
            if (!is_pubkey_line(s)) {
                r = md_err_set(err, "%s:%u: not an OpenSSH public key "
                                    "(expected e.g. \"ssh-ed25519 AAAAC3... user@host\")",
                               file, lineno);
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
