/* core/file: the one way mkdom0 replaces a file (issue 9: --lock through a
 * symlink or onto a device must not turn it into a regular file). */
#include <dirent.h>
#include <fcntl.h>
#include <malloc.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "core/file.h"
#include "core/mem.h"
#include "t.h"
#include "tfiles.h"

static char dir[] = "/tmp/mkdom0-test-file.XXXXXX";

static char *at(const char *name) { return md_xasprintf("%s/%s", dir, name); }

/* No file but the expected ones: a failed write leaves no temporary. */
static size_t entries(void)
{
    size_t n = 0;
    DIR *d = opendir(dir);
    for (struct dirent *e; d && (e = readdir(d));)
        n += e->d_name[0] != '.';
    if (d)
        closedir(d);
    return n;
}

static void test_replaces_regular_only(void)
{
    md_err err = MD_ERR_INIT;
    char *f = at("f"), *victim = at("victim"), *link = at("link"), *sub = at("sub"),
         *fifo = at("fifo");
    CHECK(md_write_atomic(f, "one\n", 4, 0640, &err) == 0);
    CHECK(md_write_atomic(f, "two\n", 4, 0644, &err) == 0);
    char *t = t_slurp(f);
    CHECK_STR(t, "two\n");
    free(t);
    struct stat st;
    CHECK(stat(f, &st) == 0 && (st.st_mode & 07777) == 0644);

    t_spit(victim, "keep\n");
    CHECK(symlink(victim, link) == 0);
    CHECK(md_write_atomic(link, "x", 1, 0644, &err) == -1);
    CHECK_ERR(&err, "is not a regular file (a symlink): not replaced");
    md_err_clear(&err);
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode));
    t = t_slurp(victim);
    CHECK_STR(t, "keep\n");
    free(t);

    CHECK(mkdir(sub, 0755) == 0);
    CHECK(md_write_atomic(sub, "x", 1, 0644, &err) == -1);
    CHECK_ERR(&err, "(a directory)");
    md_err_clear(&err);
    CHECK(mkfifo(fifo, 0644) == 0);
    CHECK(md_write_atomic(fifo, "x", 1, 0644, &err) == -1);
    CHECK_ERR(&err, "(a device, FIFO or socket)");
    md_err_clear(&err);
    CHECK(lstat(fifo, &st) == 0 && S_ISFIFO(st.st_mode));
    CHECK(entries() == 5); /* f victim link sub fifo: no temporaries left */

    /* md_file_rename_over, for a file another program wrote (ssh-keygen's
     * key, a download): the same rule, and the temporary left to its
     * caller when refused (trial 9x F7) */
    char *tmpf = at("tmpf");
    t_spit(tmpf, "new\n");
    CHECK(md_file_rename_over(tmpf, link, &err) == -1);
    CHECK_ERR(&err, "link: exists and is not a regular file (a symlink): not replaced");
    md_err_clear(&err);
    CHECK(md_file_rename_over(tmpf, sub, &err) == -1);
    CHECK_ERR(&err, "sub: exists and is not a regular file (a directory): not replaced");
    md_err_clear(&err);
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode) && access(tmpf, F_OK) == 0);
    CHECK(md_file_rename_over(tmpf, f, &err) == 0 && access(tmpf, F_OK) < 0);
    t = t_slurp(f);
    CHECK_STR(t, "new\n");
    free(t);
    free(tmpf);

    /* A directory that is not there: the error names the file. */
    char *missing = at("no/such");
    CHECK(md_write_atomic(missing, "x", 1, 0644, &err) == -1);
    CHECK_ERR(&err, "no/such: cannot create a temporary file beside it");
    free(missing);
    free(f), free(victim), free(link), free(sub), free(fifo);
}

/* Issue 9: /dev/zero ran lint out of memory, a FIFO hung it. */
static void test_reads_regular_only(void)
{
    md_err err = MD_ERR_INIT;
    unsigned char *d;
    size_t n;
    CHECK(md_read_file("/dev/zero", &d, &n, &err) == -1);
    CHECK_ERR(&err, "/dev/zero: not a regular file (a device or socket)");
    md_err_clear(&err);
    char *fifo = at("fifo"); /* made by the test above */
    CHECK(md_read_file(fifo, &d, &n, &err) == -1); /* returns at once: no writer waited for */
    CHECK_ERR(&err, "not a regular file (a FIFO)");
    md_err_clear(&err);
    CHECK(md_read_file(dir, &d, &n, &err) == -1);
    CHECK_ERR(&err, "not a regular file (a directory)");
    md_err_clear(&err);
    /* the kernel's pseudo files: made at each read, sized 0 (trial 9h case 13) */
    CHECK(md_read_file("/proc/self/environ", &d, &n, &err) == -1);
    CHECK_ERR(&err, "/proc/self/environ: a file of the kernel's procfs, not of a disk");
    md_err_clear(&err);
    CHECK(md_read_file("/sys/kernel/profiling", &d, &n, &err) == -1);
    CHECK_ERR(&err, "a file of the kernel's sysfs");
    md_err_clear(&err);
    char *f = at("f");
    CHECK(md_read_file(f, &d, &n, &err) == 0 && n == 4);
    if (!err.set)
        free(d);
    free(f);
    /* what the caller keeps is the size of the file, not of the buffer it
     * was read with: an empty file held 4 KiB (trial 9m: an overlay of
     * 300,000 empty files took 1.2 GB) */
    char *e = at("empty");
    t_spit(e, "");
    CHECK(md_read_file(e, &d, &n, &err) == 0 && n == 0);
    if (!err.set) {
        CHECK(malloc_usable_size(d) < 64);
        free(d);
    }
    unlink(e);
    free(e);
    free(fifo);
}

/* md_check_dir: what a spec's Overlay= and KeysDir= are checked with */
static void test_check_dir(void)
{
    md_err err = MD_ERR_INIT;
    CHECK(md_check_dir(dir, false, &err) == 0);
    char *f = at("f"), *fifo = at("fifo"), *none = at("none"), *under = at("f/x");
    const char *const cases[][2] = { { f, "not a directory (a regular file)" },
                                     { fifo, "not a directory (a FIFO)" },
                                     { "/dev/null", "/dev/null: not a directory (a device or socket)" },
                                     { none, "none: cannot open: No such file" },
                                     { under, "f/x: cannot open: Not a directory" } };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        md_err_clear(&err);
        CHECK(md_check_dir(cases[i][0], false, &err) == -1);
        CHECK_ERR(&err, cases[i][1]);
    }
    md_err_clear(&err);
    CHECK(md_check_dir(none, true, &err) == 0 && !err.set); /* missing is fine when asked */
    CHECK(md_check_dir(under, true, &err) == -1);           /* not under a file */
    CHECK(md_check_dir(f, true, &err) == -1);
    /* trial 9c case 13: md_mkdir_p through what is not a directory names it */
    char *dev = md_xstrdup("/dev/null/x"), *dangling = at("dangling"), *nothing = at("nothing");
    CHECK(symlink(nothing, dangling) == 0);
    md_err_clear(&err);
    CHECK(md_mkdir_p(dev, 0755, &err) == -1);
    CHECK_ERR(&err, "/dev/null: not a directory (a device or socket)");
    md_err_clear(&err);
    CHECK(md_mkdir_p(dangling, 0755, &err) == -1);
    CHECK_ERR(&err, "/dangling: a symbolic link to something that does not exist");
    md_err_clear(&err);
    unlink(dangling);
    free(dev), free(dangling), free(nothing);
    free(f), free(fifo), free(none), free(under);
}

/* Trial 9: the temporary name beside a long one is what is too long */
static void test_tmp_name_too_long(void)
{
    md_err err = MD_ERR_INIT;
    char name[246];
    memset(name, 'l', sizeof name - 1);
    name[sizeof name - 1] = '\0';
    char *p = at(name), *tmp = NULL;
    CHECK(md_file_create_tmp(p, &tmp, &err) == -1 && !tmp);
    CHECK_ERR(&err, "cannot create a temporary file beside it: its name (this one and "
                    "'.mkdom0-XXXXXX', 259 bytes) is too long: a file name may have at most 255");
    md_err_clear(&err);
    CHECK(md_write_atomic(p, "x", 1, 0644, &err) == -1);
    CHECK_ERR(&err, "(NAME_MAX)");
    CHECK(access(p, F_OK) == -1);
    free(p);
}

/* A scratch directory made in a child that then acts as told: 'k'
 * (killed by SIGKILL, as trial 9c case 8's build), 'l' (stays alive,
 * holding it, until *fd's other end closes), 'K' (md_scratch_keep, exits).
 * Its path goes in `path`. */
static pid_t scratch_child(char how, char *path, size_t size, int *hold)
{
    int p[2], h[2];
    if (pipe(p) < 0 || pipe(h) < 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        close(p[0]), close(h[1]);
        md_err err = MD_ERR_INIT;
        char *d = md_scratch_dir("t", &err);
        char *f = d ? md_xasprintf("%s/big", d) : NULL;
        if (!d || md_write_atomic(f, "x", 1, 0644, &err) < 0)
            _exit(1);
        if (write(p[1], d, strlen(d)) < 0)
            _exit(1);
        close(p[1]);
        if (how == 'k')
            raise(SIGKILL);
        if (how == 'K')
            md_scratch_keep(d);
        char c;
        if (how == 'l')
            while (read(h[0], &c, 1) > 0) {}
        _exit(0);
    }
    close(p[1]), close(h[0]);
    ssize_t n = read(p[0], path, size - 1);
    path[n > 0 ? n : 0] = '\0';
    close(p[0]);
    *hold = h[1];
    return pid;
}

/* Trial 9c case 8: a build killed with SIGKILL left its scratch in /tmp
 * forever.  The next run's first scratch directory removes a dead run's,
 * and nothing else: not a live run's, not one left to the user, not one
 * mkdom0 did not mark (an older mkdom0's, a test's), not another user's
 * (the root-only part). */
static void test_scratch_sweep(void)
{
    char *tmp = at("tmpdir");
    CHECK(mkdir(tmp, 0700) == 0);
    setenv("TMPDIR", tmp, 1);
    char dead[512], live[512], kept[512];
    int hd, hl, hk, st;
    /* each child is a run of its own, which sweeps before it makes its
     * directory: the one killed comes last */
    pid_t pk = scratch_child('K', kept, sizeof kept, &hk);
    waitpid(pk, &st, 0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    pid_t pl = scratch_child('l', live, sizeof live, &hl);
    pid_t pd = scratch_child('k', dead, sizeof dead, &hd);
    waitpid(pd, &st, 0);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGKILL);
    char *unmarked = md_xasprintf("%s/mkdom0-old.AbCdEf", tmp);
    CHECK(mkdir(unmarked, 0700) == 0);
    char *foreign = NULL;
    if (geteuid() == 0) { /* another user's, marked and unlocked */
        foreign = md_xasprintf("%s/mkdom0-nob.AbCdEf", tmp);
        char *m = md_xasprintf("%s/.mkdom0-scratch-lock", foreign);
        CHECK(mkdir(foreign, 0700) == 0 && close(open(m, O_CREAT | O_WRONLY, 0600)) == 0);
        CHECK(chown(m, 65534, 65534) == 0 && chown(foreign, 65534, 65534) == 0);
        free(m);
    }
    CHECK(access(dead, F_OK) == 0); /* what the kill left */

    md_err err = MD_ERR_INIT;
    char *mine = md_scratch_dir("t", &err);
    CHECK(mine != NULL);
    CHECK(access(dead, F_OK) == -1);   /* the dead run's: gone */
    CHECK(access(live, F_OK) == 0);    /* the live one's: there, whole */
    char *lb = md_xasprintf("%s/big", live), *kb = md_xasprintf("%s/big", kept);
    CHECK(access(lb, F_OK) == 0);
    CHECK(access(kb, F_OK) == 0);      /* left to the user */
    CHECK(access(unmarked, F_OK) == 0);
    if (foreign)
        CHECK(access(foreign, F_OK) == 0);
    close(hl);
    waitpid(pl, &st, 0);
    /* its own: locked while in use, unlocked and gone with md_remove_tree */
    int fd = open(mine, O_RDONLY | O_DIRECTORY);
    CHECK(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == -1);
    md_remove_tree(mine, NULL);
    CHECK(access(mine, F_OK) == -1);
    close(fd);
    close(hd), close(hk);
    unsetenv("TMPDIR");
    free(mine), free(lb), free(kb), free(unmarked), free(foreign), free(tmp);
}

/* A boot medium's image is made blank at its size, never over a file that
 * is there; a size read names the missing file. */
static void test_blank_and_size(void)
{
    char *p = at("blank.img"), *q = at("missing");
    md_err err = MD_ERR_INIT;
    uint64_t size = 1;
    CHECK(md_file_blank(p, 3 * 1024 * 1024 + 512, &err) == 0);
    CHECK(md_file_size(p, &size, &err) == 0 && size == 3 * 1024 * 1024 + 512);
    md_err again = MD_ERR_INIT;
    CHECK(md_file_blank(p, 512, &again) < 0);
    CHECK_ERR(&again, "blank.img");
    CHECK(md_file_size(p, &size, &err) == 0 && size == 3 * 1024 * 1024 + 512);
    md_err none = MD_ERR_INIT;
    CHECK(md_file_size(q, &size, &none) < 0);
    CHECK_ERR(&none, "missing");
    unlink(p);
    free(p), free(q);
}

/* md_path_walk_trusted walks as the kernel does (links, "..", relative
 * paths) and makes directories only once the way to them passed; whose
 * entries are refused is test 20's (it needs another user). */
static void test_walk(void)
{
    md_err err = MD_ERR_INIT;
    char *made = at("w/a/b"), *link = at("w/l"), *loop = at("w/loop"), *dang = at("w/dang");
    char *file = at("w/f");
    char *r = md_path_walk_trusted(made, MD_WALK_CREATE, 0700, "RISK", &err);
    CHECK(r && md_check_dir(made, false, &err) == 0);
    char *real = realpath(made, NULL);
    CHECK(r && real && !strcmp(r, real));
    free(r);
    CHECK(symlink("a", link) == 0 && symlink("loop", loop) == 0 &&
          symlink("nowhere", dang) == 0 && md_write_atomic(file, "x", 1, 0644, &err) == 0);
    /* through a link and back up with "..": where it leads, resolved */
    char *via = at("w/l/../l/./b/");
    r = md_path_walk_trusted(via, 0, 0, "RISK", &err);
    CHECK(r && real && !strcmp(r, real));
    free(r);
    free(via);
    /* relative to the working directory */
    char *cwd = getcwd(NULL, 0);
    CHECK(chdir(dir) == 0);
    r = md_path_walk_trusted("w/l/b", 0, 0, "RISK", &err);
    CHECK(r && real && !strcmp(r, real));
    free(r);
    CHECK(cwd && chdir(cwd) == 0);
    free(cwd);
    CHECK(!err.set);
    /* missing without MD_WALK_CREATE, a loop, a dangling link, a file on
     * the way: errors naming the entry, nothing made */
    char *miss = at("w/a/missing/x");
    CHECK(!md_path_walk_trusted(miss, 0, 0, "RISK", &err));
    CHECK_ERR(&err, "missing: No such file");
    md_err_clear(&err);
    char *deep = at("w/loop/x");
    CHECK(!md_path_walk_trusted(deep, MD_WALK_CREATE, 0700, "RISK", &err));
    CHECK_ERR(&err, "more than 40 symbolic links");
    md_err_clear(&err);
    char *under = at("w/dang/x");
    CHECK(!md_path_walk_trusted(under, MD_WALK_CREATE, 0700, "RISK", &err));
    CHECK_ERR(&err, "w/dang: a symbolic link to something that does not exist");
    char *nowhere = at("w/nowhere");
    CHECK(access(nowhere, F_OK) < 0);
    free(nowhere);
    md_err_clear(&err);
    char *through = at("w/f/x");
    CHECK(!md_path_walk_trusted(through, MD_WALK_CREATE, 0700, "RISK", &err));
    CHECK_ERR(&err, "w/f: not a directory (a regular file)");
    md_err_clear(&err);
    free(real), free(made), free(link), free(loop), free(dang), free(file);
    free(miss), free(deep), free(under), free(through);
}

/* Trial 9k: every file mkdom0 writes where the user says (--lock, boot's
 * --log and --timings) is checked before any work by one rule: a name, in
 * a directory no one else may change, nothing there but a regular file of
 * the caller's. */
static void test_check_output(void)
{
    md_err err = MD_ERR_INIT;
    char *d = at("o"), *f = at("o/f.lock"), *link = at("o/link"), *fifo = at("o/fifo");
    char *victim = at("o/victim"), *ld = at("ol"), *vial = at("ol/new");
    CHECK(mkdir(d, 0755) == 0 && symlink("o", ld) == 0);
    char *r = md_file_check_output(f, "RISK", &err);
    CHECK(r && !strcmp(r, f)); /* not there yet: fine */
    free(r);
    CHECK(md_write_atomic(f, "x", 1, 0644, &err) == 0);
    r = md_file_check_output(f, "RISK", &err); /* a regular file of ours */
    CHECK(r && !strcmp(r, f));
    free(r);
    r = md_file_check_output(vial, "RISK", &err); /* the directory resolved */
    char *want = at("o/new");
    CHECK(r && !strcmp(r, want));
    free(r), free(want);
    CHECK(!err.set);

    t_spit(victim, "keep\n");
    CHECK(symlink(victim, link) == 0 && mkfifo(fifo, 0644) == 0);
    CHECK(!md_file_check_output(link, "RISK", &err));
    CHECK_ERR(&err, "o/link: exists and is not a regular file (a symlink): not replaced");
    md_err_clear(&err);
    CHECK(!md_file_check_output(fifo, "RISK", &err));
    CHECK_ERR(&err, "o/fifo: exists and is not a regular file (a device, FIFO or socket)");
    md_err_clear(&err);
    CHECK(!md_file_check_output("/dev/null", "RISK", &err));
    CHECK_ERR(&err, "/dev/null: exists and is not a regular file (a device");
    md_err_clear(&err);
    CHECK(!md_file_check_output(d, "RISK", &err));
    CHECK_ERR(&err, "(a directory): not replaced");
    md_err_clear(&err);
    char *slash = md_xasprintf("%s/", d), *dots = at("o/.."), *nl = at("o/a\nb");
    CHECK(!md_file_check_output(slash, "RISK", &err));
    CHECK_ERR(&err, "not a file name");
    md_err_clear(&err);
    CHECK(!md_file_check_output(dots, "RISK", &err));
    CHECK_ERR(&err, "not a file name");
    md_err_clear(&err);
    CHECK(!md_file_check_output(nl, "RISK", &err));
    CHECK_ERR(&err, "a newline or other control character");
    md_err_clear(&err);
    char *miss = at("o/no/x");
    CHECK(!md_file_check_output(miss, "RISK", &err));
    CHECK_ERR(&err, "o/no: No such file");
    md_err_clear(&err);
    /* a directory others may write: they could swap the name; sticky (as
     * /tmp) keeps them from renaming what is ours */
    CHECK(chmod(d, 0775) == 0);
    CHECK(!md_file_check_output(f, "RISK", &err));
    CHECK_ERR(&err, "/o is writable by its group and not sticky, RISK");
    md_err_clear(&err);
    CHECK(chmod(d, 01777) == 0);
    r = md_file_check_output(f, "RISK", &err);
    CHECK(r != NULL);
    free(r);
    CHECK(chmod(d, 0755) == 0);
    char *t = t_slurp(victim);
    CHECK_STR(t, "keep\n");
    free(t);
    struct stat st;
    CHECK(lstat(link, &st) == 0 && S_ISLNK(st.st_mode) && lstat(fifo, &st) == 0 &&
          S_ISFIFO(st.st_mode));

    char *me = md_file_owner_shown(0);
    CHECK_STR(me, "user 0 (root)");
    free(me);
    me = md_file_owner_shown(4000000000u); /* no such user: the number alone */
    CHECK_STR(me, "user 4000000000");
    free(me);

    if (geteuid() == 0) {
        /* another user's file there, or their directory: refused, named */
        CHECK(chown(f, 65534, 65534) == 0);
        CHECK(!md_file_check_output(f, "who could RISK", &err));
        CHECK_ERR(&err, "o/f.lock belongs to user 65534 (nobody), not to you (root): they could RISK");
        md_err_clear(&err);
        CHECK(chown(f, 0, 0) == 0 && chown(d, 65534, 65534) == 0);
        CHECK(!md_file_check_output(f, "who could RISK", &err));
        CHECK_ERR(&err, "/o belongs to user 65534 (nobody), not to you (root): they could RISK");
        md_err_clear(&err);
        /* what mkdom0 writes into must be the caller's (MD_WALK_OWN) */
        CHECK(!md_path_walk_trusted(d, MD_WALK_OWN, 0, "RISK", &err));
        CHECK_ERR(&err, "/o belongs to user 65534 (nobody), not to you (root): RISK");
        md_err_clear(&err);
        CHECK(md_file_check_own(d, "RISK", &err) == -1);
        md_err_clear(&err);
        CHECK(chown(d, 0, 0) == 0);
        /* another caller: root's directory is trusted to read from, but
         * is not theirs to write into (exit codes say which check failed) */
        CHECK(chmod(dir, 0755) == 0); /* mkdtemp's 0700: nobody could not look in */
        pid_t pid = fork();
        if (pid == 0) {
            if (setresgid(65534, 65534, 65534) < 0 || setresuid(65534, 65534, 65534) < 0)
                _exit(10);
            md_err e = MD_ERR_INIT;
            char *rr = md_path_walk_trusted(d, 0, 0, "RISK", &e);
            if (!rr)
                _exit(11);
            free(rr);
            if (md_path_walk_trusted(d, MD_WALK_OWN, 0, "RISK", &e) ||
                !strstr(e.msg, "/o belongs to user 0 (root), not to you: mkdom0 would replace it"))
                _exit(12);
            md_err_clear(&e);
            if (md_file_check_own(d, "RISK", &e) == 0 || md_file_check_trusted(d, false, "", &e) < 0)
                _exit(13);
            _exit(0);
        }
        int ws = -1;
        CHECK(pid > 0 && waitpid(pid, &ws, 0) == pid);
        CHECK(WIFEXITED(ws) && WEXITSTATUS(ws) == 0);
        CHECK(chmod(dir, 0700) == 0);
    }
    free(d), free(f), free(link), free(fifo), free(victim), free(ld), free(vial);
    free(slash), free(dots), free(nl), free(miss);
}

int main(void)
{
    if (!mkdtemp(dir))
        return 1;
    test_replaces_regular_only();
    test_reads_regular_only();
    test_check_dir();
    test_tmp_name_too_long();
    test_scratch_sweep();
    test_blank_and_size();
    test_check_output();
    test_walk(); /* last: it leaves w/ in dir */
    t_rm_tree(dir);
    return t_done("test_file");
}
