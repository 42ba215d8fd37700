/* sshkeys against temporary directories, with the real ssh-keygen. */
#define _XOPEN_SOURCE 700
#include <openssl/evp.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "image/sshkeys.h"
#include "t.h"
#include "tfiles.h"
#include "core/mem.h"
#include "core/strv.h"
#include "core/file.h"

static unsigned mode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (unsigned)(st.st_mode & 07777) : 0xffff;
}

/* "type base64" of a public key line, without the comment. */
static char *key_part(const char *line)
{
    char *s = strdup(line ? line : "");
    char *sp = strchr(s, ' ');
    if (sp && (sp = strpbrk(sp + 1, " \n")))
        *sp = '\0';
    return s;
}

static int keygen_works(void)
{
    return system("ssh-keygen -? >/dev/null 2>&1; command -v ssh-keygen >/dev/null") == 0;
}

static void test_ensure(const char *tmp)
{
    char *dir = md_xasprintf("%s/state/keys", tmp);
    char *priv = md_xasprintf("%s/ssh_host_ed25519_key", dir);
    char *pub = md_xasprintf("%s.pub", priv);
    md_err e = MD_ERR_INIT;
    mode_t old = umask(022);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e) == 0);
    umask(old);
    if (e.set)
        fprintf(stderr, "%s\n", e.msg);
    CHECK(mode_of(dir) == 0700);
    CHECK(mode_of(priv) == 0600);
    char *k1 = t_slurp(priv), *p1 = t_slurp(pub);
    CHECK(k1 && strstr(k1, "BEGIN OPENSSH PRIVATE KEY"));
    CHECK(p1 && !strncmp(p1, "ssh-ed25519 AAAA", 16));
    char *client = md_xasprintf("%s/id_ed25519", dir);
    CHECK(access(client, F_OK) < 0); /* only what was asked for */

    /* Again: nothing changes. */
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e) == 0);
    char *k2 = t_slurp(priv), *p2 = t_slurp(pub);
    CHECK(k1 && k2 && !strcmp(k1, k2));
    CHECK(p1 && p2 && !strcmp(p1, p2));

    /* A lost .pub is derived again from the private key. */
    unlink(pub);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e) == 0);
    char *p3 = t_slurp(pub);
    char *a = key_part(p1), *b = key_part(p3);
    CHECK_STR(b, a);
    char *k3 = t_slurp(priv);
    CHECK(k1 && k3 && !strcmp(k1, k3));

    /* A private key others can read is closed. */
    chmod(priv, 0644);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST | MD_SSHKEYS_CLIENT, NULL, &e) == 0);
    CHECK(mode_of(priv) == 0600);
    CHECK(mode_of(client) == 0600);
    char *cpub = md_xasprintf("%s.pub", client);
    CHECK(access(cpub, R_OK) == 0);

    /* No temporary files left behind. */
    char *cmd = md_xasprintf("test $(ls -A '%s' | wc -l) = 4", dir);
    CHECK(system(cmd) == 0);

    free(cmd); free(cpub); free(a); free(b); free(k1); free(k2); free(k3); free(p1); free(p2);
    free(p3); free(client); free(dir); free(priv); free(pub);
}

static void collect(void *ctx, md_out_level level, const char *line)
{
    (void)level;
    md_strv_push(ctx, line);
}

static bool said(const md_strv *lines, const char *needle)
{
    for (size_t i = 0; i < lines->n; i++)
        if (strstr(lines->v[i], needle))
            return true;
    return false;
}

/* Trial 9d cases 10 and 11, and a lost private key: the keys directory's
 * faults are found and said, not carried into the image. */
static void test_key_faults(const char *tmp)
{
    char *dir = md_xasprintf("%s/faults", tmp);
    char *priv = md_xasprintf("%s/ssh_host_ed25519_key", dir), *pub = md_xasprintf("%s.pub", priv);
    md_strv lines = { 0 };
    md_out out = { .fn = collect, .ctx = &lines };
    md_err e = MD_ERR_INIT;
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, &out, &e) == 0);
    /* case 10: a run killed while it made a key left its temporaries (a
     * private key); a dead run's go, a live one's (our parent's) stay */
    pid_t dead = fork();
    if (dead == 0)
        _exit(0);
    waitpid(dead, NULL, 0);
    char *st = md_xasprintf("%s/.ssh_host_ed25519_key.tmp.%ld", dir, (long)dead);
    char *stp = md_xasprintf("%s.pub", st);
    char *live = md_xasprintf("%s/.ssh_host_ed25519_key.tmp.%ld", dir, (long)getppid());
    CHECK(md_write_atomic(st, "k", 1, 0600, &e) == 0 && md_write_atomic(stp, "p", 1, 0644, &e) == 0 &&
          md_write_atomic(live, "k", 1, 0600, &e) == 0);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, &out, &e) == 0);
    CHECK(access(st, F_OK) < 0 && access(stp, F_OK) < 0);
    CHECK(access(live, F_OK) == 0);
    CHECK(said(&lines, "left by a run killed while it made keys"));
    unlink(live);
    /* case 11: a .pub that is another key's is refused, naming both */
    char *other = md_xasprintf("%s/other", tmp);
    CHECK(md_sshkeys_ensure(other, MD_SSHKEYS_HOST, NULL, &e) == 0);
    char *opub = md_xasprintf("%s/ssh_host_ed25519_key.pub", other);
    char *cmd = md_xasprintf("cp '%s' '%s'", opub, pub);
    CHECK(system(cmd) == 0);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, &out, &e) < 0);
    char *want = md_xasprintf("%s is not the public half of %s", pub, priv);
    CHECK_ERR(&e, want);
    md_err_clear(&e);
    /* a private key gone with its .pub still there: a new identity, said
     * loudly */
    unlink(priv);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, &out, &e) == 0);
    CHECK(said(&lines, "is missing but"));
    CHECK(said(&lines, "making a NEW host key"));
    CHECK(access(priv, R_OK) == 0);
    /* the same for root's login key (id_ed25519): said as what it is, a
     * new login key, never a host key (trial 9e case 7) */
    md_strv_free(&lines);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_CLIENT, &out, &e) == 0);
    char *cpriv = md_xasprintf("%s/" MD_SSHKEYS_CLIENT_KEY, dir);
    unlink(cpriv);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_CLIENT, &out, &e) == 0);
    CHECK(said(&lines, "id_ed25519 is missing but"));
    CHECK(said(&lines, "making a NEW login key, which the image authorizes for root"));
    CHECK(!said(&lines, "host key") && !said(&lines, "REMOTE HOST IDENTIFICATION"));
    CHECK(access(cpriv, R_OK) == 0);
    free(cpriv);
    md_strv_free(&lines);
    /* trial 9x F7: the .pub a symlink and the private key gone: the new
     * pair was renamed over the symlink.  Only a regular file is replaced:
     * refused, naming it, before the "NEW host key" warning; the symlink,
     * what it points to and the directory are as they were. */
    char *target = md_xasprintf("%s/f7-target", tmp);
    t_spit(target, "keep\n");
    unlink(priv);
    unlink(pub);
    CHECK(symlink(target, pub) == 0);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, &out, &e) < 0);
    char *refused = md_xasprintf("%s: exists and is not a regular file (a symlink): not replaced", pub);
    CHECK_ERR(&e, refused);
    md_err_clear(&e);
    CHECK(!said(&lines, "NEW host key"));
    struct stat lst;
    CHECK(lstat(pub, &lst) == 0 && S_ISLNK(lst.st_mode) && access(priv, F_OK) < 0);
    char *kept = t_slurp(target);
    CHECK_STR(kept, "keep\n");
    free(kept);
    /* a directory at the .pub's name the same */
    unlink(pub);
    CHECK(mkdir(pub, 0700) == 0);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, &out, &e) < 0);
    CHECK_ERR(&e, "ssh_host_ed25519_key.pub: exists and is not a regular file (a directory)");
    md_err_clear(&e);
    CHECK(rmdir(pub) == 0 && access(priv, F_OK) < 0);
    free(refused);
    free(target);
    md_strv_free(&lines);
    free(want); free(cmd); free(opub); free(other); free(st); free(stp); free(live);
    free(dir); free(priv); free(pub);
}

/* Trial 9 case 04: a keys directory another user made (or may write) put
 * that user's login key and host key into root's image.  Refused, naming
 * the path and its owner, as the output directory's parents are. */
static void test_untrusted_keys(const char *tmp)
{
    md_err e = MD_ERR_INIT;
    char *dir = md_xasprintf("%s/tk/keys", tmp);
    char *priv = md_xasprintf("%s/ssh_host_ed25519_key", dir);
    char *pub = md_xasprintf("%s.pub", priv);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e) == 0);

    chmod(dir, 0770);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e) < 0);
    CHECK_ERR(&e, "/tk/keys is writable by its group, who could put their own keys");
    md_err_clear(&e);
    chmod(dir, 01777); /* sticky does not help: others could add ssh_host_rsa_key */
    md_tree *t = md_tree_new(true);
    CHECK(md_sshkeys_add_host_keys(t, dir, 0, &e) < 0);
    CHECK_ERR(&e, "/tk/keys is writable by everyone, who could");
    md_err_clear(&e);
    chmod(dir, 0700);

    chmod(pub, 0646);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e) < 0);
    CHECK_ERR(&e, "ssh_host_ed25519_key.pub is writable by everyone");
    md_err_clear(&e);
    chmod(pub, 0644);

    char *up = md_xasprintf("%s/tk", tmp);
    chmod(up, 0777); /* a parent others may write, not sticky */
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e) < 0);
    CHECK_ERR(&e, "/tk is writable by everyone and not sticky");
    md_err_clear(&e);
    chmod(up, 0755);

    if (geteuid() == 0) {
        CHECK(chown(dir, 65534, 65534) == 0);
        CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e) < 0);
        CHECK_ERR(&e, "/tk/keys belongs to user 65534 (nobody), not to you (root): they could put their own keys");
        md_err_clear(&e);
        CHECK(chown(dir, 0, 0) == 0);
        CHECK(chown(priv, 65534, 65534) == 0);
        CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e) < 0);
        CHECK_ERR(&e, "ssh_host_ed25519_key belongs to user 65534");
        md_err_clear(&e);
        CHECK(md_sshkeys_add_host_keys(t, dir, 0, &e) < 0);
        CHECK_ERR(&e, "ssh_host_ed25519_key belongs to user 65534");
        md_err_clear(&e);
        CHECK(chown(priv, 0, 0) == 0);
    }
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e) == 0);
    CHECK(md_sshkeys_add_host_keys(t, dir, 0, &e) == 0);
    md_tree_free(t);
    free(up);
    free(dir);
    free(priv);
    free(pub);
}

static void test_ensure_errors(const char *tmp)
{
    md_err e = MD_ERR_INIT;
    char *file = md_xasprintf("%s/plainfile", tmp);
    t_spit(file, "x");
    CHECK(md_sshkeys_ensure(file, MD_SSHKEYS_HOST, NULL, &e) < 0);
    CHECK_ERR(&e, "not a directory");

    char *dir = md_xasprintf("%s/nokeygen", tmp);
    setenv("MKDOM0_SSH_KEYGEN", "/nonexistent/ssh-keygen", 1);
    md_err_clear(&e);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e) < 0);
    CHECK_ERR(&e, "cannot run /nonexistent/ssh-keygen: No such file or directory: "
                  "install openssh-client");
    CHECK_ERR(&e, "ssh_host_ed25519_key");
    setenv("MKDOM0_SSH_KEYGEN", "false", 1);
    md_err_clear(&e);
    CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e) < 0);
    CHECK_ERR(&e, "false failed (exit 1)");
    unsetenv("MKDOM0_SSH_KEYGEN");
    char *cmd = md_xasprintf("test -z \"$(ls -A '%s')\"", dir); /* nothing half-made */
    CHECK(system(cmd) == 0);
    free(cmd);
    free(dir);
    free(file);
}

static void test_host_keys_tree(const char *tmp)
{
    char *dir = md_xasprintf("%s/state/keys", tmp);
    md_err e = MD_ERR_INIT;
    md_tree *t1 = md_tree_new(true), *t2 = md_tree_new(true);
    CHECK(md_sshkeys_add_host_keys(t1, dir, 1700000000, &e) == 0);
    CHECK(md_sshkeys_add_host_keys(t2, dir, 1700000000, &e) == 0);
    if (e.set)
        fprintf(stderr, "%s\n", e.msg);
    md_node *k = md_tree_lookup(t1, "/etc/ssh/ssh_host_ed25519_key");
    md_node *p = md_tree_lookup(t1, "/etc/ssh/ssh_host_ed25519_key.pub");
    CHECK(k && p);
    if (k && p) {
        CHECK(md_node_attr(k)->mode == 0600 && md_node_attr(k)->uid == 0 &&
              md_node_attr(k)->gid == 0 && md_node_attr(k)->mtime == 1700000000);
        CHECK(md_node_attr(p)->mode == 0644);
        size_t n;
        const unsigned char *d = md_node_data(k, &n);
        char *file = md_xasprintf("%s/ssh_host_ed25519_key", dir);
        char *want = t_slurp(file);
        CHECK(want && n == strlen(want) && !memcmp(d, want, n));
        free(want);
        free(file);
    }
    /* The client key is not a host key. */
    CHECK(md_tree_lookup(t1, "/etc/ssh/id_ed25519") == NULL);
    /* Same keys, same entries, byte for byte. */
    md_node *a = md_tree_first(t1), *b = md_tree_first(t2);
    int same = 1;
    for (; a && b; a = md_tree_next(t1, a), b = md_tree_next(t2, b)) {
        size_t na = 0, nb = 0;
        const unsigned char *da = md_node_data(a, &na), *db = md_node_data(b, &nb);
        same &= !strcmp(md_node_path(a), md_node_path(b)) && na == nb &&
                (na == 0 || !memcmp(da, db, na)) &&
                md_node_attr(a)->mode == md_node_attr(b)->mode;
    }
    CHECK(same && !a && !b);

    /* A second pair is added too, in name order; one without .pub is refused. */
    char *rsa = md_xasprintf("%s/ssh_host_rsa_key", dir);
    char *src = md_xasprintf("%s/ssh_host_ed25519_key", dir);
    char *cmd = md_xasprintf("cp '%s' '%s' && cp '%s.pub' '%s.pub'", src, rsa, src, rsa);
    CHECK(system(cmd) == 0);
    md_tree *t3 = md_tree_new(true);
    CHECK(md_sshkeys_add_host_keys(t3, dir, 0, &e) == 0);
    CHECK(md_tree_lookup(t3, "/etc/ssh/ssh_host_rsa_key.pub") != NULL);
    char *rsapub = md_xasprintf("%s.pub", rsa);
    unlink(rsapub);
    md_tree *t4 = md_tree_new(true);
    CHECK(md_sshkeys_add_host_keys(t4, dir, 0, &e) < 0);
    CHECK_ERR(&e, "ssh_host_rsa_key.pub");
    /* Not a key at all. */
    t_spit(rsa, "hello\n");
    t_spit(rsapub, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDummyDummyDummy x\n");
    md_err_clear(&e);
    CHECK(md_sshkeys_add_host_keys(t4, dir, 0, &e) < 0);
    CHECK_ERR(&e, "not an OpenSSH/PEM private key");
    unlink(rsa);
    unlink(rsapub);

    char *empty = md_xasprintf("%s/empty", tmp);
    mkdir(empty, 0700);
    md_err_clear(&e);
    CHECK(md_sshkeys_add_host_keys(t4, empty, 0, &e) < 0);
    CHECK_ERR(&e, "no host keys");
    md_err_clear(&e);
    CHECK(md_sshkeys_add_host_keys(t4, "/nonexistent/keys", 0, &e) < 0);
    CHECK_ERR(&e, "/nonexistent/keys");

    md_tree_free(t1); md_tree_free(t2); md_tree_free(t3); md_tree_free(t4);
    free(empty); free(rsapub); free(cmd); free(src); free(rsa); free(dir);
}

static char *keygen_pub(const char *tmp, const char *type, const char *bits);
static size_t unb64(const char *s, unsigned char *out);
static void put_string(unsigned char *b, size_t *n, const void *s, size_t l);
static char *line_of(const char *type, const unsigned char *blob, size_t n);

/* "TYPE BASE64" of a key ssh-keygen makes, and `name` as its comment */
static char *key_named(const char *tmp, const char *type, const char *bits, const char *name)
{
    char *l = keygen_pub(tmp, type, bits);
    CHECK(l != NULL);
    char *sp = l ? strrchr(l, ' ') : NULL;
    if (sp)
        *sp = '\0';
    char *r = md_xasprintf("%s %s", l ? l : "none", name);
    free(l);
    return r;
}

static void test_authorized(const char *tmp)
{
    char *f1 = md_xasprintf("%s/a.pub", tmp), *f2 = md_xasprintf("%s/b.keys", tmp);
    /* real keys: a line is checked as sshd reads it (its base64 decodes
     * to a key of its type) */
    char *alice = key_named(tmp, "ed25519", "", "alice@x"), *bob = key_named(tmp, "rsa", "2048", "bob");
    char *carol = key_named(tmp, "ecdsa", "256", "carol");
    unsigned char eb[128], b[256];
    size_t en = unb64(strchr(alice, ' ') + 1, eb), bn = 0;
    CHECK(en == 51);
    put_string(b, &bn, "sk-ssh-ed25519@openssh.com", 26), put_string(b, &bn, eb + 19, 32);
    put_string(b, &bn, "ssh:", 4);
    char *sk = line_of("sk-ssh-ed25519@openssh.com", b, bn);
    *strrchr(sk, ' ') = '\0';
    char *dave = md_xasprintf("%s dave", sk);
    free(sk);
    char *t1 = md_xasprintf("%s\r\n", alice);
    char *t2 = md_xasprintf("# team keys\n\n  from=\"10.0.0.0/8,host one\",no-pty %s  \n%s\n%s", bob,
                            carol, dave);
    t_spit(f1, t1);
    t_spit(f2, t2);
    md_strv files = { 0 };
    md_strv_push(&files, f1);
    md_strv_push(&files, f2);
    md_err e = MD_ERR_INIT;
    md_tree *t = md_tree_new(true);
    CHECK(md_sshkeys_add_authorized(t, &files, 5, &e) == 0);
    if (e.set)
        fprintf(stderr, "%s\n", e.msg);
    md_node *n = md_tree_lookup(t, "/root/.ssh/authorized_keys");
    CHECK(n != NULL);
    if (n) {
        size_t len;
        const unsigned char *d = md_node_data(n, &len);
        char *s = strndup((const char *)d, len);
        char *want = md_xasprintf("%s\nfrom=\"10.0.0.0/8,host one\",no-pty %s\n%s\n%s\n", alice, bob,
                                  carol, dave);
        CHECK_STR(s, want);
        free(want);
        free(s);
        CHECK(md_node_attr(n)->mode == 0600 && md_node_attr(n)->mtime == 5);
    }
    md_node *sshdir = md_tree_lookup(t, "/root/.ssh"), *root = md_tree_lookup(t, "/root");
    CHECK(sshdir && md_node_attr(sshdir)->mode == 0700);
    CHECK(root && md_node_attr(root)->mode == 0700);
    md_tree_free(t);

    /* Bad inputs, each named. */
    struct { const char *text, *needle; } bad[] = {
        { "-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn\n-----END OPENSSH PRIVATE KEY-----\n",
          "is a private key" },
        { "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAA x\nhello world\n", ":1: not an OpenSSH public key" },
        { NULL, ":2: not an OpenSSH public key" }, /* alice's line, then garbage */
        { "ssh-ed25519\n", ":1: not an OpenSSH public key" },
        { "ssh-ed25519 not*base64*at*all*here x\n", ":1:" },
        { "# only a comment\n\n", "holds no public key" },
        { "", "holds no public key" },
    };
    char *then = md_xasprintf("%s\nhello world\n", alice);
    bad[2].text = then;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        t_spit(f2, bad[i].text);
        md_err_clear(&e);
        t = md_tree_new(true);
        CHECK(md_sshkeys_add_authorized(t, &files, 0, &e) < 0);
        CHECK_ERR(&e, bad[i].needle);
        CHECK_ERR(&e, "b.keys");
        CHECK(md_tree_lookup(t, "/root/.ssh/authorized_keys") == NULL);
        md_tree_free(t);
    }
    md_strv none = { 0 };
    t = md_tree_new(true);
    CHECK(md_sshkeys_add_authorized(t, &none, 0, &e) == 0);
    CHECK(md_tree_lookup(t, "/root/.ssh") == NULL);
    md_tree_free(t);
    md_strv missing = { 0 };
    md_strv_push(&missing, "/nonexistent/key.pub");
    md_err_clear(&e);
    t = md_tree_new(true);
    CHECK(md_sshkeys_add_authorized(t, &missing, 0, &e) < 0);
    CHECK_ERR(&e, "/nonexistent/key.pub");
    md_tree_free(t);
    md_strv_free(&missing);
    md_strv_free(&files);
    free(f1);
    free(f2);
    free(then), free(t1), free(t2), free(alice), free(bob), free(carol), free(dave);
}

/* ---- authorized_keys lines against ssh-keygen (trial 9f case 10) ---- */

static char *b64(const unsigned char *d, size_t n)
{
    char *o = md_xmalloc(4 * ((n + 2) / 3) + 1);
    EVP_EncodeBlock((unsigned char *)o, d, (int)n);
    return o;
}

static size_t unb64(const char *s, unsigned char *out)
{
    size_t n = strcspn(s, " \n");
    int m = EVP_DecodeBlock(out, (const unsigned char *)s, (int)n);
    return m < 0 ? 0 : (size_t)m - (n && s[n - 1] == '=') - (n > 1 && s[n - 2] == '=');
}

static void put_string(unsigned char *b, size_t *n, const void *s, size_t l)
{
    b[(*n)++] = (unsigned char)(l >> 24), b[(*n)++] = (unsigned char)(l >> 16);
    b[(*n)++] = (unsigned char)(l >> 8), b[(*n)++] = (unsigned char)l;
    memcpy(b + *n, s, l);
    *n += l;
}

/* "TYPE BASE64 COMMENT" of a blob */
static char *line_of(const char *type, const unsigned char *blob, size_t n)
{
    char *e = b64(blob, n), *l = md_xasprintf("%s %s t@x", type, e);
    free(e);
    return l;
}

/* What ssh-keygen -l makes of a file holding `line` alone: 1 a key. */
static int keygen_reads(const char *tmp, const char *line)
{
    char *f = md_xasprintf("%s/one.pub", tmp);
    t_spit(f, line);
    char *cmd = md_xasprintf("ssh-keygen -l -f %s >/dev/null 2>&1", f);
    int ok = system(cmd) == 0;
    free(cmd), free(f);
    return ok;
}

/* What mkdom0 makes of it; the error, when refused, names FILE:1. */
static int mkdom0_reads(const char *tmp, const char *line, char *why, size_t wn)
{
    char *f = md_xasprintf("%s/one.keys", tmp);
    t_spit(f, line);
    md_strv files = { 0 };
    md_strv_push(&files, f);
    md_tree *t = md_tree_new(true);
    md_err e = MD_ERR_INIT;
    int ok = md_sshkeys_add_authorized(t, &files, 0, &e) == 0;
    snprintf(why, wn, "%s", e.msg);
    char *at = md_xasprintf("%s:1: not an OpenSSH public key: ", f);
    if (!ok && !strstr(e.msg, at))
        fprintf(stderr, "error does not name %s:1: %s\n", f, e.msg), ok = -1;
    free(at);
    md_tree_free(t);
    md_strv_free(&files);
    free(f);
    return ok;
}

static char *keygen_pub(const char *tmp, const char *type, const char *bits)
{
    char *f = md_xasprintf("%s/k-%s%s", tmp, type, bits);
    char *cmd = md_xasprintf("rm -f %s %s.pub; ssh-keygen -q -t %s %s%s -N '' -C t@x -f %s </dev/null >/dev/null 2>&1",
                             f, f, type, *bits ? "-b " : "", bits, f);
    char *pub = md_xasprintf("%s.pub", f), *line = system(cmd) == 0 ? t_slurp(pub) : NULL;
    if (line)
        line[strcspn(line, "\n")] = '\0';
    free(cmd), free(f), free(pub);
    return line;
}

/* ssh-keygen and mkdom0 both read (`want` 1) or both refuse (0) each of
 * `lines`; a line where they do not is shown with mkdom0's reason. */
static void both_read(const char *tmp, const md_strv *lines, int want, const char *what)
{
    char why[2048];
    for (size_t i = 0; i < lines->n; i++) {
        int k = keygen_reads(tmp, lines->v[i]), m = mkdom0_reads(tmp, lines->v[i], why, sizeof why);
        if (k != want || m != want)
            fprintf(stderr, "%s line %zu: ssh-keygen %d, mkdom0 %d (%s): %.80s\n", what, i, k, m,
                    why, lines->v[i]);
        CHECK(k == want && m == want);
    }
}

static void test_authorized_vs_keygen(const char *tmp)
{
    char *ed = keygen_pub(tmp, "ed25519", ""), *rsa = keygen_pub(tmp, "rsa", "2048");
    char *ec256 = keygen_pub(tmp, "ecdsa", "256"), *ec384 = keygen_pub(tmp, "ecdsa", "384");
    char *ec521 = keygen_pub(tmp, "ecdsa", "521");
    CHECK(ed && rsa && ec256 && ec384 && ec521);
    if (!ed || !rsa || !ec256 || !ec384 || !ec521)
        return;
    unsigned char eb[128], cb[256], b[9000];
    size_t en = unb64(strchr(ed, ' ') + 1, eb), cn = unb64(strchr(ec256, ' ') + 1, cb), n;
    CHECK(en == 51 && cn == 104);
    const unsigned char *q = cb + cn - 65; /* ecdsa-256's point, its last field */
    md_strv good = { 0 }, bad = { 0 };
    md_strv_push(&good, ed), md_strv_push(&good, rsa), md_strv_push(&good, ec256);
    md_strv_push(&good, ec384), md_strv_push(&good, ec521);
    /* FIDO keys, which ssh-keygen cannot make without a token */
    n = 0;
    put_string(b, &n, "sk-ssh-ed25519@openssh.com", 26), put_string(b, &n, eb + 19, 32);
    put_string(b, &n, "ssh:", 4);
    md_strv_push_own(&good, line_of("sk-ssh-ed25519@openssh.com", b, n));
    n = 0;
    put_string(b, &n, "sk-ecdsa-sha2-nistp256@openssh.com", 34), put_string(b, &n, "nistp256", 8);
    put_string(b, &n, q, 65), put_string(b, &n, "ssh:", 4);
    md_strv_push_own(&good, line_of("sk-ecdsa-sha2-nistp256@openssh.com", b, n));

    /* the trial's three */
    md_strv_pushf(&bad, "ssh-rsa %s", strchr(ed, ' ') + 1);              /* type != blob */
    char *stray = md_xstrdup(ed);
    *strrchr(stray, ' ') = '\0';
    md_strv_pushf(&bad, "%sx root@x", stray);                                /* a stray character */
    free(stray);
    size_t big = 3u << 20;
    unsigned char *rnd = md_xmalloc(big);
    for (size_t i = 0; i < big; i++)
        rnd[i] = (unsigned char)(i * 2654435761u >> 13);
    char *rb = b64(rnd, big);
    md_strv_push_own(&bad, md_xasprintf("ssh-ed25519 %s", rb));              /* 4 MB, no key */
    free(rb), free(rnd);
    /* more of the kind */
    char *cut = md_xstrdup(rsa);
    memmove(strrchr(cut, ' ') - 4, strrchr(cut, ' '), strlen(strrchr(cut, ' ')) + 1);
    md_strv_push_own(&bad, cut);                                             /* blob cut short */
    memcpy(b, eb, en), memcpy(b + en, "\0\0\0\0", 4);
    md_strv_push_own(&bad, line_of("ssh-ed25519", b, en + 4));               /* bytes after it */
    memcpy(b, cb, cn), b[cn - 1] ^= 1;
    md_strv_push_own(&bad, line_of("ecdsa-sha2-nistp256", b, cn));          /* off the curve */
    n = 0;
    put_string(b, &n, "ecdsa-sha2-nistp256", 19), put_string(b, &n, "nistp384", 8);
    put_string(b, &n, q, 65);
    md_strv_push_own(&bad, line_of("ecdsa-sha2-nistp256", b, n));           /* wrong curve */
    unsigned char mod[64];
    memset(mod, 0xa5, sizeof mod), mod[0] = 0x00, mod[1] = 0xc3;
    n = 0;
    put_string(b, &n, "ssh-rsa", 7), put_string(b, &n, "\x01\x00\x01", 3);
    put_string(b, &n, mod, sizeof mod);
    md_strv_push_own(&bad, line_of("ssh-rsa", b, n));                       /* 504 bits */
    n = 0;
    put_string(b, &n, "ssh-rsa", 7), put_string(b, &n, "\x81\x00\x01", 3);
    md_strv_push_own(&bad, line_of("ssh-rsa", b, n));                       /* negative e */
    char *nopad = md_xstrdup(ec256);
    char *eq = strchr(nopad, '=');
    CHECK(eq != NULL);
    if (eq)
        memmove(eq, eq + 1, strlen(eq));
    md_strv_push_own(&bad, nopad);                                           /* padding gone */
    char *bits = md_xstrdup(ec256);
    eq = strchr(bits, '=');
    if (eq)
        eq[-1] = eq[-1] == 'A' ? 'B' : eq[-1] == 'Q' ? 'R' : eq[-1] == 'g' ? 'h' : 'x';
    md_strv_push_own(&bad, bits);                                            /* pad bits set */
    md_strv_push(&bad, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA@ x");

    both_read(tmp, &good, 1, "good");
    both_read(tmp, &bad, 0, "bad");
    char why[2048];
    for (size_t i = 0; i < good.n; i++) {
        /* with options sshd reads, and a comment */
        char *opt = md_xasprintf("from=\"10.0.0.0/8,host one\",NO-PTY,command=\"echo \\\"hi\\\"\","
                                 "environment=\"A=b c\",expiry-time=\"20991231\",tunnel=\"4\" %s",
                                 good.v[i]);
        int m = mkdom0_reads(tmp, opt, why, sizeof why);
        if (m != 1)
            fprintf(stderr, "good line %zu with options: %s\n", i, why);
        CHECK(m == 1);
        free(opt);
    }
    /* the reasons, for the trial's lines */
    mkdom0_reads(tmp, bad.v[0], why, sizeof why);
    CHECK(strstr(why, "the key is of type ssh-ed25519, but the line says ssh-rsa") != NULL);
    mkdom0_reads(tmp, bad.v[1], why, sizeof why);
    CHECK(strstr(why, "its key is not base64") != NULL);
    mkdom0_reads(tmp, bad.v[2], why, sizeof why);
    CHECK(strstr(why, "longer than 8192 bytes") != NULL);
    /* options sshd(8) does not read (ssh-keygen -l skips options unread):
     * sshd ignores such a line */
    static const char *const bad_opts[][2] = {
        { "frm=\"10.0.0.1\" ", "the first word is neither a key type nor a key option" },
        { "no-pty=\"x\" ", "key option no-pty takes no value" },
        { "command=echo ", "key option command: its value must be in double quotes" },
        { "command=\"echo ", "no closing double quote" },
        { "environment=\"NOEQUALS\" ", "key option environment: its value is not one sshd(8) reads" },
        { "tunnel=\"x\" ", "key option tunnel: its value is not one sshd(8) reads" },
        { "no-pty,,pty ", "a key option sshd(8) does not know" },
    };
    for (size_t i = 0; i < sizeof bad_opts / sizeof *bad_opts; i++) {
        char *l = md_xasprintf("%s%s", bad_opts[i][0], ed);
        CHECK(mkdom0_reads(tmp, l, why, sizeof why) == 0);
        if (!strstr(why, bad_opts[i][1]))
            fprintf(stderr, "options %s: %s\n", bad_opts[i][0], why);
        CHECK(strstr(why, bad_opts[i][1]) != NULL);
        free(l);
    }
    /* A file named by mistake is never quoted: its line may be a password
     * (trial 9h case 3: a .pgpass line was printed) */
    static const char *const secret[] = {
        "db.example.com:5432:prod:admin:S3cr3tPassw0rd\n",
        "S3cr3tPassw0rd\n",
        "command=\"x\",S3cr3tPassw0rd ssh-ed25519 AAAA\n",
        "tunnel=\"S3cr3tPassw0rd\" ssh-ed25519 AAAA\n",
        "environment=\"S3cr3tPassw0rd\" ssh-ed25519 AAAA\n",
    };
    for (size_t i = 0; i < sizeof secret / sizeof *secret; i++) {
        CHECK(mkdom0_reads(tmp, secret[i], why, sizeof why) == 0);
        CHECK(!strstr(why, "S3cr3t"));
    }
    /* a key blob whose inner type is not a key type is not shown */
    char *blob = md_xasprintf("ssh-ed25519 %s\n", "AAAADlMzY3IzdFBhc3N3MHJkAAAAIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    CHECK(mkdom0_reads(tmp, blob, why, sizeof why) == 0);
    CHECK(strstr(why, "its base64 is no ssh-ed25519 key") && !strstr(why, "S3cr3t"));
    free(blob);
    /* DSA: ssh-keygen still reads it, sshd refuses it: named */
    char *dsa = keygen_pub(tmp, "dsa", "");
    if (dsa) {
        CHECK(mkdom0_reads(tmp, dsa, why, sizeof why) == 0);
        CHECK(strstr(why, "a DSA key (ssh-dss)") != NULL);
    }
    free(dsa);
    md_strv_free(&good), md_strv_free(&bad);
    free(ed), free(rsa), free(ec256), free(ec384), free(ec521);
}

/* trial 9g case 2: builds sharing a fresh keys directory make each pair
 * once and all use it: 8 processes at once, 5 rounds, each reads the .pub
 * right after its md_sshkeys_ensure; all must be the one left on disk, and
 * the private key its pair (each run's check_pub_matches on a second call). */
static void test_ensure_concurrent(const char *tmp)
{
    for (int round = 0; round < 5; round++) {
        char *dir = md_xasprintf("%s/race%d", tmp, round);
        pid_t kids[8];
        for (int k = 0; k < 8; k++) {
            if ((kids[k] = fork()) == 0) {
                md_err e = MD_ERR_INIT;
                int r = md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e);
                char *pub = md_xasprintf("%s/ssh_host_ed25519_key.pub", dir);
                char *seen = r == 0 ? t_slurp(pub) : NULL; /* freed by _exit */
                char *out = md_xasprintf("%s.seen%d", dir, k);
                FILE *f = fopen(out, "w");
                if (f && seen)
                    fputs(seen, f);
                if (f)
                    fclose(f);
                _exit(r == 0 && seen ? 0 : 1);
            }
        }
        for (int k = 0; k < 8; k++) {
            int st = -1;
            waitpid(kids[k], &st, 0);
            CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
        }
        char *pub = md_xasprintf("%s/ssh_host_ed25519_key.pub", dir);
        char *text = t_slurp(pub), *final = key_part(text);
        free(text);
        for (int k = 0; k < 8; k++) {
            char *out = md_xasprintf("%s.seen%d", dir, k);
            char *st = t_slurp(out), *seen = key_part(st);
            CHECK_STR(seen, final);
            free(st);
            free(seen);
            free(out);
        }
        md_err e = MD_ERR_INIT;
        CHECK(md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, NULL, &e) == 0);
        free(final);
        free(pub);
        free(dir);
    }
}

int main(void)
{
    char tmpl[] = "/tmp/test_sshkeys.XXXXXX";
    char *tmp = mkdtemp(tmpl);
    if (!tmp) {
        perror("mkdtemp");
        return 1;
    }
    if (keygen_works()) {
        test_ensure(tmp);
        test_key_faults(tmp);
        test_host_keys_tree(tmp);
        test_untrusted_keys(tmp);
        test_ensure_concurrent(tmp);
        test_authorized_vs_keygen(tmp);
    } else {
        /* openssh-client is one of make deps' packages: failing here says
         * so, where a skip would pass with four groups unrun */
        CHECK(!"ssh-keygen does not run: make deps installs openssh-client");
    }
    test_ensure_errors(tmp);
    test_authorized(tmp);
    t_rm_tree(tmp);
    return t_done("test_sshkeys");
}
