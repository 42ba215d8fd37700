/* imgdir against temporary directories: staging and publishing, image.ini
 * written and read back, the errors for broken directories, and the state
 * and keys directories' defaults (core/dirs). */
#define _XOPEN_SOURCE 700
#include <dirent.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>
#include "image/imgdir.h"
#include "t.h"
#include "tfiles.h"
#include "core/dirs.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/sha256.h"

static bool exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

/* Entries of `dir` other than . and .. */
static int count_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

/* Entries of `dir` whose names start with `prefix`. */
static int count_prefixed(const char *dir, const char *prefix)
{
    DIR *d = opendir(dir);
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));)
        n += !strncmp(e->d_name, prefix, strlen(prefix));
    if (d)
        closedir(d);
    return n;
}

static void test_names(void)
{
    CHECK_STR(md_imgdir_name(MD_IMGDIR_XEN), "xen.gz");
    CHECK_STR(md_imgdir_name(MD_IMGDIR_KERNEL), "vmlinuz");
    CHECK_STR(md_imgdir_name(MD_IMGDIR_GRUB_CFG), "grub.cfg");
    CHECK_STR(md_imgdir_name(MD_IMGDIR_MANIFEST), "manifest");
    CHECK_STR(md_imgdir_name(MD_IMGDIR_INI), "image.ini");
    CHECK_STR(md_imgdir_name(MD_IMGDIR_SIZE_REPORT), "size-report.txt");
    CHECK_STR(md_imgdir_name(MD_IMGDIR_ROOTFS), "rootfs.cpio.gz");
    char *n = md_imgdir_rootfs_name(MD_CODEC_ZSTD);
    CHECK_STR(n, "rootfs.cpio.zst");
    free(n);
    n = md_imgdir_rootfs_name(MD_CODEC_NONE);
    CHECK_STR(n, "rootfs.cpio");
    free(n);
}

/* Write every file of an output, the rootfs holding `rootfs`. */
static int stage_all(md_imgdir_stage *s, const char *rootfs, const md_imgdir_info *info,
                     md_err *err)
{
    t_spit(md_imgdir_stage_path(s, MD_IMGDIR_ROOTFS), rootfs);
    for (int f = 0; f < MD_IMGDIR_NFILES; f++) {
        if (f == MD_IMGDIR_ROOTFS || f == MD_IMGDIR_INI)
            continue;
        const char *name = md_imgdir_name((md_imgdir_file)f);
        if (md_imgdir_stage_write(s, (md_imgdir_file)f, name, strlen(name), err) < 0)
            return -1;
    }
    return md_imgdir_stage_write_ini(s, info, err);
}

static void test_round_trip(const char *tmp)
{
    char *out = md_xasprintf("%s/rt/out", tmp);
    md_err err = MD_ERR_INIT;
    char *old = md_xasprintf("%s/rootfs.cpio.gz", out);
    md_mkdir_p(out, 0750, &err);
    t_spit(old, "old");
    md_imgdir_stage *s = md_imgdir_stage_new(out, MD_CODEC_ZSTD, false, &err);
    CHECK(s != NULL);
    if (!s) {
        free(out);
        free(old);
        return;
    }
    /* Staging is a fresh directory beside the output, not inside it. */
    char *staging = md_xstrdup(md_imgdir_stage_path(s, MD_IMGDIR_ROOTFS));
    *strrchr(staging, '/') = '\0';
    char *want = md_xasprintf("%s/rt/.out.mkdom0-staging-", tmp);
    CHECK(!strncmp(staging, want, strlen(want)) && exists(staging));
    free(want);
    CHECK(strstr(md_imgdir_stage_path(s, MD_IMGDIR_ROOTFS), "/rootfs.cpio.zst"));
    /* A second build into the same output is refused while this one runs. */
    CHECK(md_imgdir_stage_new(out, MD_CODEC_ZSTD, false, &err) == NULL);
    CHECK_ERR(&err, "another mkdom0 build is writing this output");
    md_err_clear(&err);
    md_imgdir_info in = {
        .name = "dom0", .spec = "/specs/dom0.ini", .xen = "4.17.5", .toolstack = "",
        .kernel = "6.1.0-37-amd64", .source_date_epoch = 1700000000, .modules = 63,
        .keys_dir = "/keys dir",
    };
    /* [Host NAME]s (#11): what `mkdom0 boot --host` reads back */
    const md_imgdir_host hosts[] = {
        { "web1", "52:54:00:00:11:01", "web1", "", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA1" },
        { "web2", "52:54:00:00:11:02", "db.example.org", "192.0.2.10/24",
          "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA2" },
        /* 63 letters, past inih's 49-byte section name (trial 9h case 1) */
        { "wxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "52:54:00:00:11:03", "wxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA3" },
    };
    in.hosts = hosts;
    in.nhosts = 3;
    CHECK(stage_all(s, "rootfs bytes", &in, &err) == 0);
    CHECK(md_imgdir_publish(s, &err) == 0);
    md_imgdir_stage_free(s);
    CHECK(!exists(staging));
    CHECK(!exists(old)); /* the old output went as a whole, its other codec's rootfs too */
    CHECK(!err.set);
    struct stat st;
    CHECK(stat(out, &st) == 0 && (st.st_mode & 07777) == 0750); /* the directory's mode kept */
    char *parent = md_xasprintf("%s/rt", tmp);
    CHECK(count_entries(parent) == 2); /* out and its lock file */
    free(parent);

    md_imgdir *d = md_imgdir_open(out, &err);
    CHECK(d != NULL);
    if (d) {
        for (int f = 0; f < MD_IMGDIR_ROOTFS; f++) {
            char *p = md_imgdir_path(d, (md_imgdir_file)f);
            CHECK(exists(p));
            free(p);
        }
        char *rootfs = md_imgdir_find(d, MD_IMGDIR_ROOTFS);
        CHECK(rootfs && strstr(rootfs, "/rootfs.cpio.zst"));
        free(rootfs);
        const md_imgdir_info *i = md_imgdir_ini(d, &err);
        CHECK(i != NULL);
        if (i) {
            char sha[65];
            md_sha256_hex("rootfs bytes", 12, sha);
            CHECK_STR(i->name, "dom0");
            CHECK_STR(i->spec, "/specs/dom0.ini");
            CHECK_STR(i->xen, "4.17.5");
            CHECK_STR(i->toolstack, "");
            CHECK_STR(i->kernel, "6.1.0-37-amd64");
            CHECK(i->source_date_epoch == 1700000000);
            CHECK_STR(i->rootfs, "rootfs.cpio.zst");
            CHECK_STR(i->rootfs_sha256, sha);
            CHECK(i->modules == 63);
            CHECK_STR(i->keys_dir, "/keys dir");
            CHECK_STR(i->client_key, "/keys dir/id_ed25519");
        }
        md_imgdir_host h;
        CHECK(md_imgdir_find_host(d, "web2", &h, &err) == 0);
        if (!err.set) {
            CHECK_STR(h.name, "web2");
            CHECK_STR(h.mac, "52:54:00:00:11:02");
            CHECK_STR(h.hostname, "db.example.org");
            CHECK_STR(h.address, "192.0.2.10/24");
            CHECK_STR(h.host_key, "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA2");
        }
        CHECK(md_imgdir_find_host(d, "web1", &h, &err) == 0 && !strcmp(h.address, ""));
        CHECK(md_imgdir_find_host(d, "wxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", &h, &err) == 0 && !strcmp(h.mac, "52:54:00:00:11:03"));
        CHECK(md_imgdir_find_host(d, "web3", &h, &err) == -1);
        CHECK_ERR(&err, "no host web3 in image.ini (its hosts: web1, web2, wxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx)");
        md_err_clear(&err);
        unsigned char *data;
        size_t len;
        CHECK(md_imgdir_read(d, MD_IMGDIR_MANIFEST, &data, &len, &err) == 0);
        if (!err.set) {
            CHECK(len == 8 && !memcmp(data, "manifest", 8));
            free(data);
        }
        md_imgdir_free(d);
    }
    free(old);
    free(staging);
    free(out);
}

/* A build that fails leaves the previous output as it was and no staging. */
static void test_cleanup(const char *tmp)
{
    char *out = md_xasprintf("%s/fail", tmp);
    md_err err = MD_ERR_INIT;
    mkdir(out, 0755);
    char *prev = md_xasprintf("%s/vmlinuz", out);
    t_spit(prev, "previous kernel");

    /* Failure before publishing: some files written, one half-written. */
    md_imgdir_stage *s = md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err);
    CHECK(s != NULL);
    if (!s)
        goto done;
    CHECK(md_imgdir_stage_write(s, MD_IMGDIR_KERNEL, "new", 3, &err) == 0);
    char *tmpfile = md_xasprintf("%s.mkdom0-XXXXXX", md_imgdir_stage_path(s, MD_IMGDIR_ROOTFS));
    t_spit(tmpfile, "half");
    free(tmpfile);
    md_imgdir_stage_free(s);
    CHECK(count_entries(out) == 1);
    char *k = t_slurp(prev);
    CHECK_STR(k, "previous kernel");
    free(k);

    /* Publishing an incomplete output names the missing file. */
    s = md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err);
    CHECK(s != NULL);
    if (!s)
        goto done;
    CHECK(md_imgdir_stage_write(s, MD_IMGDIR_XEN, "xen", 3, &err) == 0);
    CHECK(md_imgdir_publish(s, &err) < 0);
    CHECK_ERR(&err, "/vmlinuz: not written; the output is left as it was");
    md_imgdir_stage_free(s);
    CHECK(count_prefixed(tmp, ".fail.mkdom0-staging-") == 0); /* no staging left */
    k = t_slurp(prev);
    CHECK_STR(k, "previous kernel");
    free(k);

    /* An output directory that cannot be made. */
    md_err_clear(&err);
    char *blocked = md_xasprintf("%s/vmlinuz/sub", out);
    CHECK(md_imgdir_stage_new(blocked, MD_CODEC_GZIP, false, &err) == NULL);
    CHECK_ERR(&err, "vmlinuz");
    free(blocked);
done:
    free(prev);
    free(out);
}

/* Issue 9: the output directory cannot be turned against its owner. */
static void test_hostile(const char *tmp)
{
    md_err err = MD_ERR_INIT;
    char *base = md_xasprintf("%s/hostile", tmp), *out = md_xasprintf("%s/out", base),
         *victim = md_xasprintf("%s/victim", base), *keep = md_xasprintf("%s/victim/keep", base);
    md_mkdir_p(victim, 0755, &err);
    t_spit(keep, "keep");
    md_mkdir_p(out, 0755, &err);
    /* Planted where staging went before and where it goes now: symlinks to
     * a directory full of someone's files.  Neither is followed; the one
     * inside the output is not mkdom0's (not a regular file of its names),
     * so the build refuses the output until it is gone. */
    char *in_out = md_xasprintf("%s/.mkdom0-staging-%ld", out, (long)getpid());
    char *beside = md_xasprintf("%s/.out.mkdom0-staging-AAAAAA", base);
    CHECK(symlink(victim, in_out) == 0 && symlink(victim, beside) == 0);
    CHECK(md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err) == NULL);
    CHECK_ERR(&err, "which mkdom0 build did not write");
    md_err_clear(&err);
    CHECK(unlink(in_out) == 0);
    /* Nor is a directory or another file that merely has a build's name. */
    char *lookalike = md_xasprintf("%s/rootfs.cpio.precious", out);
    md_mkdir_p(lookalike, 0755, &err);
    CHECK(md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err) == NULL);
    CHECK_ERR(&err, "rootfs.cpio.precious");
    md_err_clear(&err);
    CHECK(rmdir(lookalike) == 0);
    free(lookalike);
    md_imgdir_stage *s = md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err);
    CHECK(s != NULL);
    md_imgdir_info in = { .name = "x", .spec = "default", .xen = "", .toolstack = "",
                          .kernel = "k", .keys_dir = "/k" };
    CHECK(s && stage_all(s, "new", &in, &err) == 0 && md_imgdir_publish(s, &err) == 0);
    md_imgdir_stage_free(s);
    char *k = t_slurp(keep);
    CHECK_STR(k, "keep");
    free(k);
    CHECK(exists(beside)); /* not a directory of ours: left for its owner */

    /* A file the build does not write: refused, unless forced. */
    char *notes = md_xasprintf("%s/notes.txt", out);
    t_spit(notes, "mine");
    md_err_clear(&err);
    CHECK(md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err) == NULL);
    CHECK_ERR(&err, "holds 'notes.txt', which mkdom0 build did not write");
    CHECK_ERR(&err, "--force");
    md_err_clear(&err);
    s = md_imgdir_stage_new(out, MD_CODEC_GZIP, true, &err);
    CHECK(s && stage_all(s, "forced", &in, &err) == 0 && md_imgdir_publish(s, &err) == 0);
    md_imgdir_stage_free(s);
    CHECK(!exists(notes));

    /* An output given as a symlink: the link stays, its directory is replaced. */
    char *link = md_xasprintf("%s/link", base);
    CHECK(symlink("out", link) == 0);
    s = md_imgdir_stage_new(link, MD_CODEC_GZIP, false, &err);
    CHECK(s && stage_all(s, "via link", &in, &err) == 0 && md_imgdir_publish(s, &err) == 0);
    md_imgdir_stage_free(s);
    struct stat st;
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    char *r = md_xasprintf("%s/rootfs.cpio.gz", out);
    k = t_slurp(r);
    CHECK_STR(k, "via link");
    free(k);
    free(r);

    /* What publishing would replace. */
    s = md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err);
    CHECK(s != NULL);
    if (s) {
        char *inside = md_xasprintf("%s/keys/new", out), *outside = md_xasprintf("%s/outkeys", base);
        CHECK(md_imgdir_stage_holds(s, inside));
        CHECK(md_imgdir_stage_holds(s, out));
        CHECK(!md_imgdir_stage_holds(s, outside));
        CHECK(!md_imgdir_stage_holds(s, "relative/keys"));
        CHECK(md_imgdir_stage_holds(s, link)); /* the symlink to it */
        free(inside), free(outside);
        md_imgdir_stage_free(s);
    }

    /* Not a directory. */
    md_err_clear(&err);
    CHECK(md_imgdir_stage_new(keep, MD_CODEC_GZIP, false, &err) == NULL);
    CHECK_ERR(&err, "keep: exists and is not a directory");
    free(link), free(notes), free(in_out), free(beside), free(keep), free(victim), free(out);
    free(base);
}

/* Trial 9 case 01: an output directory another user made 0777 was
 * published with its mode, and they replaced grub.cfg in root's image.
 * Refused before anything is written; a published output is never
 * writable by group or others. */
static void test_foreign_output(const char *tmp)
{
    md_err err = MD_ERR_INIT;
    char *base = md_xasprintf("%s/fo", tmp), *out = md_xasprintf("%s/out", base);
    md_mkdir_p(out, 0755, &err);
    chmod(out, 0777);
    CHECK(md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err) == NULL);
    CHECK_ERR(&err, "/fo/out is writable by everyone, who could change the image");
    CHECK(count_prefixed(base, ".out.mkdom0-") == 0); /* no lock, no staging */
    md_err_clear(&err);
    chmod(out, 0775);
    CHECK(md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err) == NULL);
    CHECK_ERR(&err, "/fo/out is writable by its group");
    md_err_clear(&err);
    if (geteuid() == 0) {
        chmod(out, 0755);
        CHECK(chown(out, 65534, 65534) == 0);
        CHECK(md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err) == NULL);
        CHECK_ERR(&err, "/fo/out belongs to user 65534 (nobody), not to you (root): they could change the image");
        CHECK(count_prefixed(base, ".out.mkdom0-") == 0);
        md_err_clear(&err);
    }
    /* Trial 9 case 02: another user's symlink as -o (or on the way to it)
     * is not followed, and nothing is made, not even the lock. */
    if (geteuid() == 0) {
        char *victim = md_xasprintf("%s/victim", base), *keep = md_xasprintf("%s/keep", victim);
        char *link = md_xasprintf("%s/t9out", base), *via = md_xasprintf("%s/sub/out", link);
        md_mkdir_p(victim, 0755, &err);
        t_spit(keep, "keep");
        CHECK(symlink(victim, link) == 0 && lchown(link, 65534, 65534) == 0);
        CHECK(md_imgdir_stage_new(link, MD_CODEC_GZIP, true, &err) == NULL);
        CHECK_ERR(&err, "/fo/t9out: a symlink that belongs to user 65534");
        md_err_clear(&err);
        CHECK(md_imgdir_stage_new(via, MD_CODEC_GZIP, true, &err) == NULL);
        CHECK_ERR(&err, "/fo/t9out: a symlink that belongs to user 65534");
        md_err_clear(&err);
        CHECK(count_prefixed(base, ".t9out.") == 0 && count_entries(victim) == 1 && !exists(via));
        /* root's own symlink is followed as before */
        CHECK(lchown(link, 0, 0) == 0);
        md_imgdir_stage *s2 = md_imgdir_stage_new(link, MD_CODEC_GZIP, true, &err);
        CHECK(s2 != NULL);
        md_imgdir_stage_free(s2);
        free(victim), free(keep), free(link), free(via);
    }
    /* Trial 9 case 07: glob characters in an output's name do not make its
     * leftover cleaning match another output's staging (a concurrent build
     * lost its files); its own leftovers are still removed. */
    {
        char *o1 = md_xasprintf("%s/out1", base), *o2 = md_xasprintf("%s/out[1]", base),
             *o3 = md_xasprintf("%s/*", base);
        char *left = md_xasprintf("%s/.out[1].mkdom0-staging-AbCdEf", base);
        md_mkdir_p(left, 0700, &err);
        md_imgdir_stage *s1 = md_imgdir_stage_new(o1, MD_CODEC_GZIP, false, &err);
        CHECK(s1 != NULL);
        CHECK(s1 && md_imgdir_stage_write(s1, MD_IMGDIR_KERNEL, "k", 1, &err) == 0);
        md_imgdir_stage *s2 = md_imgdir_stage_new(o2, MD_CODEC_GZIP, false, &err);
        md_imgdir_stage *s3 = md_imgdir_stage_new(o3, MD_CODEC_GZIP, false, &err);
        CHECK(s2 != NULL && s3 != NULL);
        CHECK(s1 && exists(md_imgdir_stage_path(s1, MD_IMGDIR_KERNEL)));
        CHECK(!exists(left));
        md_imgdir_stage_free(s1), md_imgdir_stage_free(s2), md_imgdir_stage_free(s3);
        free(o1), free(o2), free(o3), free(left);
    }
    /* Trial 9 case 09: a file saved into the output while the build ran is
     * not deleted with the old output: publishing is refused, the output
     * kept, and the new one removed (with stage_free); --force replaces. */
    {
        char *o = md_xasprintf("%s/o9", base), *notes = md_xasprintf("%s/notes.txt", o);
        md_imgdir_info in9 = { .name = "x", .spec = "default", .xen = "", .toolstack = "",
                               .kernel = "k", .keys_dir = "/k" };
        md_imgdir_stage *s9 = md_imgdir_stage_new(o, MD_CODEC_GZIP, false, &err);
        CHECK(s9 && stage_all(s9, "old", &in9, &err) == 0 && md_imgdir_publish(s9, &err) == 0);
        md_imgdir_stage_free(s9);
        s9 = md_imgdir_stage_new(o, MD_CODEC_GZIP, false, &err);
        CHECK(s9 && stage_all(s9, "new", &in9, &err) == 0);
        t_spit(notes, "mine");
        CHECK(s9 && md_imgdir_publish(s9, &err) < 0);
        CHECK_ERR(&err, "/o9 now holds 'notes.txt', which mkdom0 build did not write");
        CHECK_ERR(&err, "the new output is removed");
        md_err_clear(&err);
        md_imgdir_stage_free(s9);
        char *r = md_xasprintf("%s/rootfs.cpio.gz", o), *k = t_slurp(r), *n = t_slurp(notes);
        CHECK_STR(k, "old");
        CHECK_STR(n, "mine");
        CHECK(count_prefixed(base, ".o9.mkdom0-staging-") == 0);
        free(k), free(n);
        s9 = md_imgdir_stage_new(o, MD_CODEC_GZIP, true, &err);
        CHECK(s9 && stage_all(s9, "forced", &in9, &err) == 0);
        t_spit(notes, "mine again");
        CHECK(s9 && md_imgdir_publish(s9, &err) == 0);
        md_imgdir_stage_free(s9);
        k = t_slurp(r);
        CHECK_STR(k, "forced");
        CHECK(!exists(notes));
        /* Trial 9 case 06: a FIFO as the rootfs hung `inspect` (verify). */
        CHECK(unlink(r) == 0 && mkfifo(r, 0644) == 0);
        md_imgdir *d = md_imgdir_open(o, &err);
        CHECK(d && md_imgdir_verify(d, &err) < 0);
        CHECK_ERR(&err, "rootfs.cpio.gz: not a regular file (a FIFO)");
        md_err_clear(&err);
        md_imgdir_free(d);
        /* Trial 9c case 10: a 50 GB sparse rootfs was hashed for minutes;
         * more than mkdom0 reads whole is refused at once, naming it. */
        CHECK(unlink(r) == 0 && close(open(r, O_CREAT | O_WRONLY, 0644)) == 0 &&
              truncate(r, (off_t)50 << 30) == 0);
        d = md_imgdir_open(o, &err);
        time_t t0 = time(NULL);
        CHECK(d && md_imgdir_verify(d, &err) < 0);
        CHECK(time(NULL) - t0 < 5);
        CHECK_ERR(&err, "rootfs.cpio.gz: 53687091200 bytes, more than the 1024 MiB mkdom0 reads whole");
        md_err_clear(&err);
        md_imgdir_free(d);
        /* A Rootfs= that is a path is named as such. */
        char *ini = md_xasprintf("%s/image.ini", o);
        char *cmd = md_xasprintf("sed -i 's|^Rootfs=.*|Rootfs=../../etc/shadow|' '%s'", ini);
        CHECK(system(cmd) == 0);
        d = md_imgdir_open(o, &err);
        CHECK(d && md_imgdir_verify(d, &err) < 0);
        CHECK_ERR(&err, "Rootfs=../../etc/shadow is not a file name in");
        md_err_clear(&err);
        md_imgdir_free(d);
        free(ini), free(cmd);
        free(k), free(r), free(o), free(notes);
    }
    /* A new output under a permissive umask is still not others'-writable,
     * nor open to others at all: it carries ssh host private keys (trial
     * 9d case 06). */
    CHECK(rmdir(out) == 0);
    mode_t um = umask(0);
    md_imgdir_stage *s = md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err);
    md_imgdir_info in = { .name = "x", .spec = "default", .xen = "", .toolstack = "",
                          .kernel = "k", .keys_dir = "/k" };
    CHECK(s && stage_all(s, "new", &in, &err) == 0 && md_imgdir_publish(s, &err) == 0);
    md_imgdir_stage_free(s);
    umask(um);
    struct stat st;
    CHECK(stat(out, &st) == 0 && (st.st_mode & 07777) == 0750);
    /* replaced: its mode kept, less any access for others (an output
     * made 0755 by an earlier mkdom0) */
    CHECK(chmod(out, 0755) == 0);
    s = md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err);
    CHECK(s && stage_all(s, "again", &in, &err) == 0 && md_imgdir_publish(s, &err) == 0);
    md_imgdir_stage_free(s);
    CHECK(stat(out, &st) == 0 && (st.st_mode & 07777) == 0750);
    free(out);
    free(base);
}

static void test_open_errors(const char *tmp)
{
    md_err err = MD_ERR_INIT;
    char *none = md_xasprintf("%s/none", tmp);
    CHECK(md_imgdir_open(none, &err) == NULL);
    CHECK_ERR(&err, "/none: not an image directory: No such file or directory");
    free(none);

    char *file = md_xasprintf("%s/plain", tmp);
    t_spit(file, "x");
    md_err_clear(&err);
    CHECK(md_imgdir_open(file, &err) == NULL);
    CHECK_ERR(&err, "/plain: not an image directory: Not a directory");
    free(file);

    char *dir = md_xasprintf("%s/partial", tmp);
    mkdir(dir, 0755);
    char *ini = md_xasprintf("%s/image.ini", dir);
    md_imgdir *d = md_imgdir_open(dir, &err);
    CHECK(d != NULL);
    if (!d)
        goto done;
    unsigned char *data;
    size_t len;
    md_err_clear(&err);
    CHECK(md_imgdir_read(d, MD_IMGDIR_MANIFEST, &data, &len, &err) < 0);
    char *want = md_xasprintf("%s/manifest: cannot open: No such file or directory (is %s an image "
                              "directory from mkdom0 build?)", dir, dir);
    CHECK_ERR(&err, want);
    free(want);

    md_err_clear(&err);
    char *p = md_imgdir_loaded_file(d, "(hd0,msdos1)/boot/vmlinuz", &err);
    CHECK(p == NULL);
    want = md_xasprintf("%s/vmlinuz (named by %s/grub.cfg as (hd0,msdos1)/boot/vmlinuz): No such",
                        dir, dir);
    CHECK_ERR(&err, want);
    free(want);
    char *kernel = md_xasprintf("%s/vmlinuz", dir);
    t_spit(kernel, "k");
    md_err_clear(&err);
    p = md_imgdir_loaded_file(d, "/vmlinuz", &err);
    CHECK(p && p[0] == '/' && strstr(p, "/partial/vmlinuz"));
    free(p);
    free(kernel);

    md_err_clear(&err);
    CHECK(md_imgdir_ini(d, &err) == NULL);
    CHECK_ERR(&err, "/partial/image.ini: No such file or directory");
    md_imgdir_free(d);

    /* A broken image.ini names its line; what came before still counts
     * for the client key. */
    char *key = md_xasprintf("%s/my_key", dir);
    t_spit(key, "private");
    char *text = md_xasprintf("[Image]\nName=x\n[SSH]\nClientKey=%s\n[Image]\nModules=many\n", key);
    t_spit(ini, text);
    free(text);
    d = md_imgdir_open(dir, &err);
    md_err_clear(&err);
    CHECK(d && md_imgdir_ini(d, &err) == NULL);
    CHECK_ERR(&err, "/partial/image.ini:6: Modules=many is not a number");
    md_imgdir_free(d);
    p = md_imgdir_client_key(dir);
    CHECK_STR(p, key);
    free(p);
    /* The first error is the one named, whichever kind it is. */
    t_spit(ini, "[Image]\nthis is no ini line\nModules=x\n");
    d = md_imgdir_open(dir, &err);
    md_err_clear(&err);
    CHECK(d && md_imgdir_ini(d, &err) == NULL);
    CHECK_ERR(&err, "/partial/image.ini:2: syntax error");
    md_imgdir_free(d);
    /* A key given twice: the first value counts. */
    t_spit(ini, "[Image]\nModules=3\nName=a\nModules=4\nName=b\n");
    d = md_imgdir_open(dir, &err);
    md_err_clear(&err);
    const md_imgdir_info *i = d ? md_imgdir_ini(d, &err) : NULL;
    CHECK(i && i->modules == 3 && !strcmp(i->name, "a") && !strcmp(i->rootfs, ""));
    md_imgdir_free(d);
    free(key);
done:
    free(ini);
    free(dir);
}

/* lint's look at a directory: an mkdom0 output or a copy of /boot. */
static void test_find(const char *tmp)
{
    char *dir = md_xasprintf("%s/boot", tmp);
    char *grubdir = md_xasprintf("%s/boot/grub", dir);
    char *cmd = md_xasprintf("mkdir -p '%s' && cd '%s' && touch xen-4.17-amd64.gz initrd.cpio "
                             "b.cpio.gz boot/grub/grub.cfg && mkdir xen.gz.d", grubdir, dir);
    CHECK(system(cmd) == 0);
    md_err err = MD_ERR_INIT;
    md_imgdir *d = md_imgdir_open(dir, &err);
    CHECK(d != NULL);
    if (d) {
        char *p = md_imgdir_find(d, MD_IMGDIR_GRUB_CFG);
        CHECK(p && strstr(p, "/boot/boot/grub/grub.cfg"));
        free(p);
        p = md_imgdir_find(d, MD_IMGDIR_ROOTFS);
        CHECK(p && strstr(p, "/boot/b.cpio.gz"));
        free(p);
        p = md_imgdir_find(d, MD_IMGDIR_XEN);
        CHECK(p && strstr(p, "/boot/xen-4.17-amd64.gz"));
        free(p);
        CHECK(md_imgdir_find(d, MD_IMGDIR_MANIFEST) == NULL);
        md_imgdir_free(d);
    }
    free(cmd);
    /* An mkdom0 rootfs wins over other archives; grub.cfg at the top wins. */
    cmd = md_xasprintf("cd '%s' && touch rootfs.cpio.zst grub.cfg", dir);
    CHECK(system(cmd) == 0);
    d = md_imgdir_open(dir, &err);
    if (d) {
        char *p = md_imgdir_find(d, MD_IMGDIR_ROOTFS);
        CHECK(p && strstr(p, "/boot/rootfs.cpio.zst"));
        free(p);
        p = md_imgdir_find(d, MD_IMGDIR_GRUB_CFG);
        char *want = md_xasprintf("%s/grub.cfg", dir);
        CHECK_STR(p, want);
        free(want);
        free(p);
        md_imgdir_free(d);
    }
    free(cmd);
    free(grubdir);
    free(dir);
}

static void test_dirs_and_client_key(const char *tmp)
{
    setenv("HOME", "/home/u", 1);
    unsetenv("XDG_STATE_HOME");
    unsetenv("XDG_CACHE_HOME");
    unsetenv("MKDOM0_CACHE");
    char *p = md_imgdir_keys_dir(NULL);
    CHECK_STR(p, "/home/u/.local/state/mkdom0/keys");
    free(p);
    p = md_imgdir_keys_dir("/given/keys"); /* --keys or KeysDir */
    CHECK_STR(p, "/given/keys");
    free(p);
    p = md_cache_dir();
    CHECK_STR(p, "/home/u/.cache/mkdom0");
    free(p);
    /* relative: ignored, as the XDG Base Directory spec says (trial 9h case 15) */
    setenv("XDG_CACHE_HOME", "relcache", 1);
    setenv("XDG_STATE_HOME", "relstate", 1);
    p = md_cache_dir();
    CHECK_STR(p, "/home/u/.cache/mkdom0");
    free(p);
    p = md_imgdir_keys_dir(NULL);
    CHECK_STR(p, "/home/u/.local/state/mkdom0/keys");
    free(p);
    setenv("XDG_CACHE_HOME", "/c", 1);
    p = md_cache_dir();
    CHECK_STR(p, "/c/mkdom0");
    free(p);
    /* a place in it: under --cache when given, else under the default */
    p = md_cache_path(NULL, "debs");
    CHECK_STR(p, "/c/mkdom0/debs");
    free(p);
    p = md_cache_path("/given", "indexes");
    CHECK_STR(p, "/given/indexes");
    free(p);
    p = md_cache_path("/given", NULL);
    CHECK_STR(p, "/given");
    free(p);
    unsetenv("XDG_CACHE_HOME");
    unsetenv("XDG_STATE_HOME");
    /* No HOME: the same fallback for every directory. */
    setenv("HOME", "", 1);
    CHECK_STR(md_home_dir(), "/tmp");
    p = md_imgdir_keys_dir(NULL);
    CHECK_STR(p, "/tmp/.local/state/mkdom0/keys");
    free(p);
    p = md_cache_dir();
    CHECK_STR(p, "/tmp/.cache/mkdom0");
    free(p);
    unsetenv("HOME");
    CHECK_STR(md_home_dir(), "/tmp");
    setenv("XDG_STATE_HOME", "/st", 1);
    p = md_imgdir_keys_dir(NULL);
    CHECK_STR(p, "/st/mkdom0/keys");
    free(p);

    /* The client key: image.ini's, else DIR/ssh's, else the keys dir's. */
    char *state = md_xasprintf("%s/state", tmp);
    setenv("XDG_STATE_HOME", state, 1);
    char *dir = md_xasprintf("%s/ck", tmp);
    char *cmd = md_xasprintf("mkdir -p '%s/ssh' '%s/mkdom0/keys'", dir, state);
    CHECK(system(cmd) == 0);
    free(cmd);
    CHECK(md_imgdir_client_key(dir) == NULL);
    char *keys_key = md_xasprintf("%s/mkdom0/keys/id_ed25519", state);
    t_spit(keys_key, "k");
    p = md_imgdir_client_key(dir);
    CHECK_STR(p, keys_key);
    free(p);
    char *none = md_xasprintf("%s/none", tmp);
    p = md_imgdir_client_key(none);
    CHECK_STR(p, keys_key);
    free(p);
    free(none);
    char *dir_key = md_xasprintf("%s/ssh/id_ed25519", dir);
    t_spit(dir_key, "k");
    p = md_imgdir_client_key(dir);
    CHECK_STR(p, dir_key);
    free(p);
    /* An image.ini naming a key that is gone does not hide the others. */
    char *ini = md_xasprintf("%s/image.ini", dir);
    t_spit(ini, "[SSH]\nClientKey=/nonexistent/id_ed25519\n");
    p = md_imgdir_client_key(dir);
    CHECK_STR(p, dir_key);
    free(p);
    char *text = md_xasprintf("[SSH]\nClientKey=%s\n", keys_key);
    t_spit(ini, text);
    free(text);
    p = md_imgdir_client_key(dir);
    CHECK_STR(p, keys_key);
    free(p);
    free(ini);
    free(dir_key);
    free(keys_key);
    free(dir);
    free(state);
}

/* Boot media: published only when added and written; a netboot/ holding
 * nothing but directories and regular files is the build's own (a rebuild
 * replaces it), one with a symlink inside is someone's. */
static void test_media(const char *tmp)
{
    md_err err = MD_ERR_INIT;
    char *out = md_xasprintf("%s/media/out", tmp);
    md_imgdir_info in = { .name = "x", .spec = "default", .xen = "", .toolstack = "",
                          .kernel = "k", .keys_dir = "/k" };
    CHECK_STR(md_imgdir_name(MD_IMGDIR_ISO), "boot.iso");
    CHECK_STR(md_imgdir_name(MD_IMGDIR_DISK), "disk.img");
    CHECK_STR(md_imgdir_name(MD_IMGDIR_NETBOOT), "netboot");
    md_imgdir_stage *s = md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err);
    CHECK(s && stage_all(s, "r", &in, &err) == 0);
    md_imgdir_stage_add(s, MD_IMGDIR_ISO);
    md_imgdir_stage_add(s, MD_IMGDIR_NETBOOT);
    CHECK(md_imgdir_publish(s, &err) < 0); /* boot.iso not written */
    CHECK_ERR(&err, "boot.iso: not written");
    md_err_clear(&err);
    t_spit(md_imgdir_stage_path(s, MD_IMGDIR_ISO), "iso");
    CHECK(md_imgdir_publish(s, &err) < 0); /* netboot/ not made */
    CHECK_ERR(&err, "netboot: not written");
    md_err_clear(&err);
    char *sub = md_xasprintf("%s/boot/grub", md_imgdir_stage_path(s, MD_IMGDIR_NETBOOT));
    md_mkdir_p(sub, 0755, &err);
    char *f = md_xasprintf("%s/grub.cfg", sub);
    t_spit(f, "cfg");
    CHECK(md_imgdir_publish(s, &err) == 0);
    md_imgdir_stage_free(s);
    char *pub = md_xasprintf("%s/netboot/boot/grub/grub.cfg", out);
    CHECK(exists(pub));
    /* The next build into it: the tree is ours, replaced whole. */
    s = md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err);
    CHECK(s && stage_all(s, "r2", &in, &err) == 0 && md_imgdir_publish(s, &err) == 0);
    md_imgdir_stage_free(s);
    CHECK(!exists(pub));
    /* A netboot/ with a symlink inside is not. */
    char *nb = md_xasprintf("%s/netboot", out), *ln = md_xasprintf("%s/netboot/passwd", out);
    md_mkdir_p(nb, 0755, &err);
    CHECK(symlink("/etc/passwd", ln) == 0);
    CHECK(md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err) == NULL);
    CHECK_ERR(&err, "holds 'netboot', which mkdom0 build did not write");
    md_err_clear(&err);
    CHECK(exists(ln));
    free(out), free(sub), free(f), free(pub), free(nb), free(ln);
}

/* Trial 9: a 240-byte -o left .NAME.mkdom0-lock behind and said only
 * "PARENT: cannot make a staging directory: File name too long".  Every
 * name derived from the output is checked first: nothing is made, and the
 * error names the output and the limit.  232 bytes is the most that leaves
 * room for ".NAME.mkdom0-staging-XXXXXX" in 255. */
static void test_long_name(const char *tmp)
{
    md_err err = MD_ERR_INIT;
    char *base = md_xasprintf("%s/long", tmp);
    for (int n = 232; n <= 256; n += 8) {
        char *name = md_xmalloc((size_t)n + 1);
        memset(name, 'o', (size_t)n);
        name[n] = '\0';
        for (int exists = 0; exists < 2; exists++) {
            char *out = md_xasprintf("%s/%s", base, name);
            if (exists && n <= 255)
                md_mkdir_p(out, 0755, &err);
            md_err_clear(&err);
            md_imgdir_stage *s = md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err);
            if (n == 232) {
                CHECK(s != NULL);
            } else {
                CHECK(s == NULL);
                CHECK_ERR(&err, "ooo: the output's name is");
                CHECK_ERR(&err, "bytes, too long: the build makes '.NAME.mkdom0-staging-XXXXXX' "
                                "beside it, and a file name may have at most 255 bytes "
                                "(NAME_MAX); give -o a name of at most 232 bytes");
                char *mine = md_xasprintf(".%s", name);
                CHECK(count_prefixed(base, mine) == 0); /* no lock, no staging */
                free(mine);
            }
            md_imgdir_stage_free(s);
            free(out);
        }
        free(name);
    }
    free(base);
}

/* Trial 9e: a 200-byte spec path made an image.ini that boot and inspect
 * could not read ("syntax error").  The writer refuses a value whose line
 * would not be read back, and the reader names a long line for what it is. */
static void test_long_ini_line(const char *tmp)
{
    md_err err = MD_ERR_INIT;
    char *out = md_xasprintf("%s/longini", tmp);
    char spec[220];
    memset(spec, 's', sizeof spec - 1);
    spec[0] = '/';
    spec[sizeof spec - 1] = '\0';
    md_imgdir_info in = { .name = "x", .spec = spec, .xen = "", .toolstack = "",
                          .kernel = "k", .keys_dir = "/k" };
    md_imgdir_stage *s = md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err);
    CHECK(s != NULL);
    CHECK(s && stage_all(s, "new", &in, &err) < 0);
    CHECK_ERR(&err, "image.ini: Spec=/sss");
    CHECK_ERR(&err, "over the 198 bytes image.ini's reader takes");
    md_imgdir_stage_free(s);
    md_err_clear(&err);
    CHECK(!exists(out)); /* nothing published */

    /* one image.ini written by an older mkdom0 (or by hand) */
    in.spec = "default";
    s = md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err);
    CHECK(s && stage_all(s, "new", &in, &err) == 0 && md_imgdir_publish(s, &err) == 0);
    md_imgdir_stage_free(s);
    char *ini = md_xasprintf("%s/image.ini", out);
    char *text = t_slurp(ini);
    char *longer = md_xasprintf("%s\n# %s\nExtra=1\n", text, spec);
    t_spit(ini, longer);
    md_imgdir *d = md_imgdir_open(out, &err);
    CHECK(d != NULL);
    CHECK(d && md_imgdir_ini(d, &err) == NULL);
    CHECK_ERR(&err, "image.ini:");
    CHECK_ERR(&err, "a line longer than the");
    md_imgdir_free(d);
    free(longer), free(text), free(ini), free(out);
}

/* Writes redirected by a directory swapped under the build never become
 * the output: the staging directory published is the one made (by fd), and
 * the swap happens in the parent opened when the stage was made. */
static void test_swapped(const char *tmp)
{
    md_err err = MD_ERR_INIT;
    md_imgdir_info in = { .name = "dom0", .spec = "s", .xen = "", .toolstack = "", .kernel = "k",
                          .keys_dir = "/k" };
    /* 1. the staging directory moved away and another made at its name:
     * the files written by path land in that other one; refused */
    char *out = md_xasprintf("%s/sw/out", tmp);
    md_mkdir_p(out, 0755, &err);
    md_imgdir_stage *s = md_imgdir_stage_new(out, MD_CODEC_GZIP, false, &err);
    CHECK(s != NULL);
    if (s) {
        char *staging = md_xstrdup(md_imgdir_stage_path(s, MD_IMGDIR_ROOTFS));
        *strrchr(staging, '/') = '\0';
        char *moved = md_xasprintf("%s/sw/moved", tmp);
        CHECK(rename(staging, moved) == 0 && mkdir(staging, 0700) == 0);
        CHECK(stage_all(s, "redirected", &in, &err) == 0); /* by path: into the new one */
        CHECK(md_imgdir_publish(s, &err) == -1);
        CHECK_ERR(&err, "no longer the staging directory this build made");
        char *leak = md_xasprintf("%s/grub.cfg", out);
        CHECK(!exists(leak)); /* the old (empty) output is left as it was */
        free(leak);
        md_imgdir_stage_free(s);
        md_remove_tree(moved, NULL);
        md_remove_tree(staging, NULL);
        free(moved);
        free(staging);
    }
    md_err_clear(&err);
    /* 2. the parent renamed and another put at its path: the output is
     * published where the stage was made, not through the new path */
    char *par = md_xasprintf("%s/sw2", tmp), *par_moved = md_xasprintf("%s/sw2-moved", tmp);
    char *out2 = md_xasprintf("%s/out", par);
    s = md_imgdir_stage_new(out2, MD_CODEC_GZIP, false, &err);
    CHECK(s != NULL);
    if (s) {
        CHECK(stage_all(s, "rootfs", &in, &err) == 0);
        CHECK(rename(par, par_moved) == 0 && mkdir(par, 0755) == 0);
        /* the stage's own files are reached through its directory: publish
         * checks them by fd, and they are there */
        CHECK(md_imgdir_publish(s, &err) == 0);
        char *there = md_xasprintf("%s/out/grub.cfg", par_moved), *not = md_xasprintf("%s/out", par);
        CHECK(exists(there) && !exists(not));
        free(there);
        free(not);
        md_imgdir_stage_free(s);
    }
    free(par), free(par_moved), free(out2), free(out);
}

/* Trial 9c case 13: outputs a build must never replace, --force or not,
 * and a parent that is not a directory named as such. */
static void test_never_replaced(const char *tmp)
{
    md_err err = MD_ERR_INIT;
    const char *sys[] = { "/etc", "/boot", "/usr/lib", "/var/lib", "/tmp", NULL };
    /* From / : run in a clone below /tmp, "-o /tmp" is first refused as
     * holding the current directory, and the rule asked of here is the
     * system directory's. */
    int here = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    CHECK(here >= 0 && chdir("/") == 0);
    for (const char *const *d = sys; *d; d++) {
        struct stat st;
        if (stat(*d, &st) < 0)
            continue;
        CHECK(md_imgdir_stage_new(*d, MD_CODEC_GZIP, true, &err) == NULL);
        CHECK_ERR(&err, "a system directory");
        md_err_clear(&err);
    }
    CHECK(fchdir(here) == 0);
    close(here);
    char *home = md_xasprintf("%s/home", tmp), *old = getenv("HOME") ? md_xstrdup(getenv("HOME")) : NULL;
    CHECK(mkdir(home, 0755) == 0);
    setenv("HOME", home, 1);
    CHECK(md_imgdir_stage_new(home, MD_CODEC_GZIP, true, &err) == NULL);
    CHECK_ERR(&err, "your home");
    md_err_clear(&err);
    old ? setenv("HOME", old, 1) : unsetenv("HOME");
    CHECK(md_imgdir_stage_new("/dev/null/x", MD_CODEC_GZIP, true, &err) == NULL);
    CHECK_ERR(&err, "/dev/null: not a directory (a device or socket)");
    md_err_clear(&err);
    /* a file system mounted in the output: --force deleted its files */
    char *out = md_xasprintf("%s/fm", tmp), *mnt = md_xasprintf("%s/fm/mnt", tmp),
         *f = md_xasprintf("%s/fm/mnt/file", tmp);
    CHECK(md_mkdir_p(mnt, 0755, &err) == 0);
    if (geteuid() == 0 && mount("tmpfs", mnt, "tmpfs", 0, NULL) == 0) {
        t_spit(f, "theirs");
        CHECK(md_imgdir_stage_new(out, MD_CODEC_GZIP, true, &err) == NULL);
        CHECK_ERR(&err, "/fm/mnt: a mount point");
        CHECK(count_prefixed(tmp, ".fm.mkdom0-staging") == 0);
        md_err_clear(&err);
        md_remove_tree(out, NULL); /* never into another file system */
        CHECK(access(f, F_OK) == 0);
        CHECK(umount(mnt) == 0);
    }
    /* Trial 9f case 1: a bind mount of a directory of the same file system
     * (same st_dev) below the output, on it, or made while the build ran */
    char *victim = md_xasprintf("%s/victim", tmp), *vf = md_xasprintf("%s/victim/keep", tmp);
    CHECK(md_mkdir_p(victim, 0755, &err) == 0);
    t_spit(vf, "precious");
    if (geteuid() == 0 && mount(victim, mnt, NULL, MS_BIND, NULL) == 0) {
        CHECK(md_imgdir_stage_new(out, MD_CODEC_GZIP, true, &err) == NULL);
        CHECK_ERR(&err, "/fm/mnt: a mount point");
        CHECK(count_prefixed(tmp, ".fm.mkdom0-staging") == 0);
        md_err_clear(&err);
        md_remove_tree(out, NULL);
        CHECK(access(vf, F_OK) == 0);
        CHECK(umount(mnt) == 0);
        CHECK(mount(victim, out, NULL, MS_BIND, NULL) == 0);
        CHECK(md_imgdir_stage_new(out, MD_CODEC_GZIP, true, &err) == NULL);
        CHECK_ERR(&err, "/fm: a mount point");
        md_err_clear(&err);
        CHECK(umount(out) == 0);
        md_imgdir_stage *s = md_imgdir_stage_new(out, MD_CODEC_GZIP, true, &err);
        CHECK(s != NULL);
        if (s) {
            CHECK(md_mkdir_p(mnt, 0755, &err) == 0);
            CHECK(mount(victim, mnt, NULL, MS_BIND, NULL) == 0);
            md_imgdir_info in = { .name = "x", .spec = "default", .xen = "", .toolstack = "",
                                  .kernel = "k", .keys_dir = "/k" };
            CHECK(stage_all(s, "new", &in, &err) == 0);
            CHECK(md_imgdir_publish(s, &err) < 0);
            CHECK_ERR(&err, "/fm/mnt: a mount point");
            md_err_clear(&err);
            md_imgdir_stage_free(s);
            CHECK(count_prefixed(tmp, ".fm.mkdom0-staging") == 0);
            CHECK(access(vf, F_OK) == 0);
            CHECK(umount(mnt) == 0);
        }
    }
    free(victim), free(vf);
    free(home), free(old), free(out), free(mnt), free(f);
}

/* image.ini: many hosts are read in linear time (each was looked up
 * against every host before it: 20,000 took 4.4 s, 300,000 minutes, trial
 * 9x F5), and a file past MD_IMGDIR_INI_MAX is refused unread, naming
 * itself and the limit. */
static void test_many_hosts(const char *tmp)
{
    char *dir = md_xasprintf("%s/many", tmp), *ini = md_xasprintf("%s/image.ini", dir);
    mkdir(dir, 0755);
    enum { HOSTS = 60000 };
    FILE *f = fopen(ini, "w");
    CHECK(f != NULL);
    if (!f)
        return;
    fputs("[Image]\nName=x\n", f);
    for (int h = 0; h < HOSTS; h++)
        fprintf(f, "[Host h%d]\nMAC=52:54:00:00:00:01\nHostname=h%d\nHostKey=ssh-ed25519 AAAA\n", h, h);
    fclose(f);
    pid_t pid = fork();
    if (pid == 0) { /* CPU-bound in a child: the quadratic read took ~40 s */
        struct rlimit cpu = { 3, 3 };
        setrlimit(RLIMIT_CPU, &cpu);
        md_err err = MD_ERR_INIT;
        md_imgdir *d = md_imgdir_open(dir, &err);
        const md_imgdir_info *i = d ? md_imgdir_ini(d, &err) : NULL;
        md_imgdir_host h;
        bool ok = i && i->nhosts == HOSTS && md_imgdir_find_host(d, "h59999", &h, &err) == 0 &&
                  !strcmp(h.hostname, "h59999") && !strcmp(i->hosts[HOSTS - 1].name, "h59999");
        md_imgdir_free(d);
        _exit(ok ? 0 : 1);
    }
    int st = 0;
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);

    /* one byte past the limit (sparse: refused by its size, never read) */
    CHECK(truncate(ini, (off_t)MD_IMGDIR_INI_MAX + 1) == 0);
    md_err err = MD_ERR_INIT;
    md_imgdir *d = md_imgdir_open(dir, &err);
    CHECK(d && md_imgdir_ini(d, &err) == NULL);
    char *want = md_xasprintf("%s: 16777217 bytes, more than the 16 MiB mkdom0 reads of an "
                              "image.ini", ini);
    CHECK_ERR(&err, want);
    free(want);
    md_imgdir_free(d);
    free(ini);
    free(dir);
}

int main(void)
{
    char tmpl[] = "/tmp/mkdom0-test-imgdir.XXXXXX";
    char *tmp = mkdtemp(tmpl);
    if (!tmp) {
        perror("mkdtemp");
        return 1;
    }
    test_names();
    test_round_trip(tmp);
    test_cleanup(tmp);
    test_hostile(tmp);
    test_foreign_output(tmp);
    test_open_errors(tmp);
    test_find(tmp);
    test_dirs_and_client_key(tmp);
    test_media(tmp);
    test_long_name(tmp);
    test_long_ini_line(tmp);
    test_swapped(tmp);
    test_never_replaced(tmp);
    test_many_hosts(tmp);
    t_rm_tree(tmp);
    return t_done("imgdir");
}
