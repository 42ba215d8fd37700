#include "core/file.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <pthread.h>
#include <pwd.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <unistd.h>

static const char *kind_of(mode_t m)
{
    return S_ISDIR(m) ? "a directory" : S_ISREG(m) ? "a regular file"
                      : S_ISFIFO(m) ? "a FIFO" : "a device or socket";
}

/* The name of the pseudo filesystem the open `fd` lies on, or NULL: its
 * "regular files" are made by the kernel at each read (trial 9h case 13:
 * Copy=/proc/self/environ copied mkdom0's environment, tokens and all,
 * into the image).  Magic numbers from linux/magic.h. */
static const char *pseudo_fs(int fd)
{
    static const struct {
        unsigned long magic;
        const char *name;
    } fs[] = {
        { 0x9fa0, "procfs" },          { 0x62656572, "sysfs" },     { 0x64626720, "debugfs" },
        { 0x74726163, "tracefs" },     { 0x73636673, "securityfs" }, { 0x27e0eb, "cgroupfs" },
        { 0x63677270, "cgroup2fs" },   { 0x62656570, "configfs" },  { 0xde5e81e4, "efivarfs" },
        { 0xcafe4a11, "bpffs" },
    };
    struct statfs sf;
    if (fstatfs(fd, &sf) < 0)
        return NULL;
    for (size_t i = 0; i < sizeof fs / sizeof *fs; i++)
        if ((unsigned long)sf.f_type == fs[i].magic)
            return fs[i].name;
    return NULL;
}

static int not_regular(const char *path, mode_t m, md_err *err)
{
    return md_err_set(err, "%s: not a regular file (%s); mkdom0 reads files, not devices "
                           "or pipes", path, kind_of(m));
}


int md_check_dir(const char *path, bool missing_ok, md_err *err)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return missing_ok && errno == ENOENT ? 0 : md_err_errno(err, "%s: cannot open", path);
    if (!S_ISDIR(st.st_mode))
        return md_err_set(err, "%s: not a directory (%s)", path, kind_of(st.st_mode));
    return 0;
}

int md_open_file(const char *path, struct stat *stp, md_err *err)
{
    return md_open_file_flags(path, 0, stp, err);
}

int md_open_file_flags(const char *path, unsigned flags, struct stat *stp, md_err *err)
{
    struct stat st;
    int fd = md_open_regular_flags(path, flags, &st, err);
    if (fd < 0)
        return -1;
    if ((uint64_t)st.st_size > MD_READ_FILE_MAX) {
        close(fd);
        return md_err_set(err, "%s: %lld bytes, more than the %llu MiB mkdom0 reads whole", path,
                          (long long)st.st_size, (unsigned long long)(MD_READ_FILE_MAX >> 20));
    }
    if (stp)
        *stp = st;
    return fd;
}

static int a_symlink(const char *path, md_err *err)
{
    return md_err_set(err, "%s: a symbolic link; mkdom0 reads this file only as a file of its "
                           "own, never through a link", path);
}

int md_open_regular_flags(const char *path, unsigned flags, struct stat *stp, md_err *err)
{
    bool nofollow = flags & MD_FILE_NOFOLLOW;
    /* Looked at before it is opened: opening some devices acts (a watchdog
     * starts counting, a tape rewinds).  The fstat below is what counts. */
    struct stat st;
    if ((nofollow ? lstat(path, &st) : stat(path, &st)) == 0) {
        if (S_ISLNK(st.st_mode))
            return a_symlink(path, err);
        if (!S_ISREG(st.st_mode))
            return not_regular(path, st.st_mode, err);
    }
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));
    if (fd < 0 && nofollow && errno == ELOOP)
        return a_symlink(path, err); /* made one since the lstat */
    if (fd < 0)
        return md_err_errno(err, "%s: cannot open", path);
    if (fstat(fd, &st) < 0) {
        md_err_errno(err, "%s: cannot stat", path);
        close(fd);
        return -1;
    }
    if (!S_ISREG(st.st_mode)) {
        close(fd);
        return not_regular(path, st.st_mode, err);
    }
    const char *pseudo = pseudo_fs(fd);
    if (pseudo) {
        close(fd);
        return md_err_set(err, "%s: a file of the kernel's %s, not of a disk: its contents are "
                               "made as it is read (its size says 0 or 4096), and may be "
                               "mkdom0's own environment or the host's state", path, pseudo);
    }
    if (stp)
        *stp = st;
    return fd;
}

int md_read_file(const char *path, unsigned char **data, size_t *len, md_err *err)
{
    return md_read_file_flags(path, 0, data, len, err);
}

/* Up to `want` bytes of fd into a new buffer (the caller's), from room for
 * `cap` doubled as needed, never past want + 1 bytes: *n what was read. */
static int read_upto(int fd, const char *path, size_t cap, size_t want, unsigned char **out,
                     size_t *n, md_err *err)
{
    cap = cap < want ? cap : want;
    unsigned char *buf = md_xmalloc(cap + 1);
    size_t got = 0;
    while (got < want) {
        if (got == cap)
            buf = md_xrealloc(buf, (cap = cap * 2 < want ? cap * 2 : want) + 1);
        ssize_t r = read(fd, buf + got, cap - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            free(buf);
            return md_err_errno(err, "%s: read error", path);
        }
        if (r == 0)
            break;
        got += (size_t)r;
    }
    *out = buf;
    *n = got;
    return 0;
}

/* The read buffer, cut to `n` bytes and a NUL, as the caller's to keep. */
static void hand_over(unsigned char *buf, size_t n, unsigned char **data, size_t *len)
{
    /* An overlay file stays in the tree until the image is written: one
     * whose buffer grew, or had the 4 KiB guessed for a file sized 0, is
     * cut to what was read.  An overlay of 300,000 empty files took 1.2 GB
     * more than one of 1-byte files (trial 9m). */
    buf = md_xrealloc(buf, n + 1);
    buf[n] = '\0';
    *data = buf;
    *len = n;
}

int md_read_file_flags(const char *path, unsigned flags, unsigned char **data, size_t *len,
                       md_err *err)
{
    struct stat st;
    int fd = md_open_file_flags(path, flags, &st, err);
    if (fd < 0)
        return -1;
    unsigned char *buf;
    size_t n;
    int r = read_upto(fd, path, st.st_size > 0 ? (size_t)st.st_size + 1 : 4096,
                      MD_READ_FILE_MAX + 1, &buf, &n, err);
    close(fd);
    if (r < 0)
        return -1;
    if (n > MD_READ_FILE_MAX) { /* it grew while we read */
        free(buf);
        return md_err_set(err, "%s: more than the %llu MiB mkdom0 reads whole", path,
                          (unsigned long long)(MD_READ_FILE_MAX >> 20));
    }
    hand_over(buf, n, data, len);
    return 0;
}

int md_read_file_capped(const char *path, size_t max, size_t head, unsigned char **data,
                        size_t *len, uint64_t *size, md_err *err)
{
    struct stat st;
    int fd = md_open_file_flags(path, 0, &st, err);
    if (fd < 0)
        return -1;
    bool big = st.st_size > 0 && (uint64_t)st.st_size > max;
    unsigned char *buf;
    size_t n;
    /* one byte past what is kept: a file that grew past `max` is seen */
    int r = read_upto(fd, path, big ? head : st.st_size > 0 ? (size_t)st.st_size + 1 : 4096,
                      big ? head : max + 1, &buf, &n, err);
    close(fd);
    if (r < 0)
        return -1;
    *size = big ? (uint64_t)st.st_size : n;
    if (!big && n > max)
        n = head < n ? head : n;
    hand_over(buf, n, data, len);
    return 0;
}

int md_file_create_tmp(const char *path, char **tmp, md_err *err)
{
    char *t = md_xasprintf("%s.mkdom0-XXXXXX", path);
    int fd = mkostemp(t, O_CLOEXEC);
    if (fd < 0 && errno == ENAMETOOLONG) {
        /* the name derived from it, not the one given, is too long (trial 9) */
        const char *b = strrchr(path, '/');
        md_err_set(err, "%s: cannot create a temporary file beside it: its name (this one and "
                        "'.mkdom0-XXXXXX', %zu bytes) is too long: a file name may have at most "
                        "%d bytes (NAME_MAX), a path %d (PATH_MAX); give a shorter name", path,
                   strlen(b ? b + 1 : path) + 14, NAME_MAX, PATH_MAX);
        free(t);
        return -1;
    }
    if (fd < 0) {
        md_err_errno(err, "%s: cannot create a temporary file beside it", path);
        free(t);
        return -1;
    }
    *tmp = t;
    return fd;
}

static int not_replaced(const char *path, mode_t m, md_err *err)
{
    return md_err_set(err, "%s: exists and is not a regular file (%s): not replaced", path,
                      S_ISLNK(m) ? "a symlink" : S_ISDIR(m) ? "a directory"
                                                           : "a device, FIFO or socket");
}

int md_file_check_replaceable(const char *path, md_err *err)
{
    struct stat st;
    if (lstat(path, &st) == 0 && !S_ISREG(st.st_mode))
        return not_replaced(path, st.st_mode, err);
    return 0;
}

int md_file_rename_over(const char *tmp, const char *path, md_err *err)
{
    if (md_file_check_replaceable(path, err) < 0)
        return -1;
    if (rename(tmp, path) < 0)
        return md_err_errno(err, "%s: cannot rename into place", path);
    return 0;
}

int md_file_commit(int fd, const char *tmp, const char *path, unsigned mode, md_err *err)
{
    int rc = 0;
    if (fchmod(fd, mode) < 0)
        rc = md_err_errno(err, "%s: cannot set its mode", tmp);
    if (close(fd) < 0 && rc == 0)
        rc = md_err_errno(err, "%s: cannot finish", tmp);
    if (rc == 0)
        rc = md_file_rename_over(tmp, path, err);
    if (rc < 0)
        unlink(tmp);
    return rc;
}

int md_copy_file(const char *src, const char *dst, md_err *err)
{
    if (link(src, dst) == 0)
        return 0;
    return md_copy_contents(src, dst, err);
}

int md_copy_contents(const char *src, const char *dst, md_err *err)
{
    unsigned char *data;
    size_t len;
    if (md_read_file(src, &data, &len, err) < 0)
        return -1;
    int rc = md_write_atomic(dst, data, len, 0644, err);
    free(data);
    return rc;
}

int md_write_fd(int fd, const void *data, size_t len, const char *label, md_err *err)
{
    const unsigned char *p = data;
    while (len) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w < 0)
            return md_err_errno(err, "%s: write error", label);
        p += w;
        len -= (size_t)w;
    }
    return 0;
}

int md_write_atomic(const char *path, const void *data, size_t len, unsigned mode, md_err *err)
{
    char *tmp;
    int fd = md_file_create_tmp(path, &tmp, err);
    if (fd < 0)
        return -1;
    if (md_write_fd(fd, data, len, tmp, err) < 0) {
        close(fd);
        unlink(tmp);
        free(tmp);
        return -1;
    }
    int rc = md_file_commit(fd, tmp, path, mode, err);
    free(tmp);
    return rc;
}

/* mkdir(2) of one directory; one that exists must be a directory (links
 * followed): -o /dev/null/x was told "/dev/null is writable by everyone"
 * (trial 9c). */
static int mkdir_one(const char *p, unsigned mode, md_err *err)
{
    if (mkdir(p, mode) == 0)
        return 0;
    if (errno != EEXIST)
        return md_err_errno(err, "%s: cannot create directory", p);
    struct stat st;
    if (stat(p, &st) == 0 && !S_ISDIR(st.st_mode))
        return md_err_set(err, "%s: not a directory (%s)", p, kind_of(st.st_mode));
    if (stat(p, &st) < 0 && lstat(p, &st) == 0 && S_ISLNK(st.st_mode))
        return md_err_set(err, "%s: a symbolic link to something that does not exist", p);
    return 0;
}

int md_mkdir_p(const char *path, unsigned mode, md_err *err)
{
    char *p = md_xstrdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir_one(p, mode, err) < 0) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    int r = mkdir_one(p, mode, err);
    free(p);
    return r;
}

bool md_is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int md_file_size(const char *path, uint64_t *size, md_err *err)
{
    struct stat st;
    if (stat(path, &st) < 0)
        return md_err_errno(err, "%s", path);
    *size = (uint64_t)st.st_size;
    return 0;
}

int md_file_blank(const char *path, uint64_t bytes, md_err *err)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0)
        return md_err_errno(err, "%s", path);
    int rc = ftruncate(fd, (off_t)bytes) < 0
                 ? md_err_errno(err, "%s: cannot make it %llu bytes", path,
                                (unsigned long long)bytes)
                 : 0;
    close(fd);
    return rc;
}

/* ---- scratch directories ----
 *
 * A scratch directory outlives a process killed with SIGKILL (trial 9c
 * case 8: 88 of them, 1.5 GB, in one shared /tmp).  So each is locked by
 * the process that made it, for as long as it lives: flock(2) on the
 * directory itself, which the kernel drops when the process dies, however
 * it dies.  SCRATCH_MARK, made inside once the lock is held, says "made by
 * mkdom0 and locked by its owner": the next mkdom0 that makes a scratch
 * directory removes every directory of the same user in the same TMPDIR
 * that has the mark and whose lock it can take (its owner is dead).  One
 * without the mark is left: its owner is between mkdtemp(3) and the lock,
 * or an older mkdom0 made it, or mkdom0 left it to the user on purpose
 * (md_scratch_keep), or it is not mkdom0's at all.  Another user's is never
 * looked into. */
#define SCRATCH_MARK ".mkdom0-scratch-lock"

static pthread_mutex_t held_mu = PTHREAD_MUTEX_INITIALIZER;
static struct held { char *path; int fd; } *held;
static size_t nheld;
static bool swept;

/* Remove $tmp/mkdom0-*.XXXXXX that belong to us and whose owner is dead. */
static void sweep_dead(const char *tmp)
{
    int dfd = open(tmp, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    DIR *d = dfd < 0 ? NULL : fdopendir(dfd);
    if (!d) {
        if (dfd >= 0)
            close(dfd);
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t n = strlen(e->d_name);
        /* mkdom0-TAG.XXXXXX: mkdtemp's six characters after a dot */
        if (strncmp(e->d_name, "mkdom0-", 7) || n < 15 || e->d_name[n - 7] != '.')
            continue;
        struct stat st;
        if (fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 || !S_ISDIR(st.st_mode) ||
            st.st_uid != geteuid())
            continue;
        int fd = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0)
            continue;
        struct stat fst, mst;
        /* the lock taken means its owner is gone; the mark, that the owner
         * was an mkdom0 that took the lock first (see above) */
        if (fstat(fd, &fst) == 0 && fst.st_dev == st.st_dev && fst.st_ino == st.st_ino &&
            fst.st_uid == geteuid() && flock(fd, LOCK_EX | LOCK_NB) == 0 &&
            fstatat(fd, SCRATCH_MARK, &mst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(mst.st_mode)) {
            char *p = md_xasprintf("%s/%s", tmp, e->d_name);
            md_remove_tree(p, NULL);
            free(p);
        }
        close(fd);
    }
    closedir(d);
}

char *md_scratch_dir(const char *tag, md_err *err)
{
    const char *tmp = getenv("TMPDIR");
    tmp = tmp && *tmp ? tmp : "/tmp";
    /* The directory is private, but whoever may change TMPDIR itself (or a
     * directory above it) could rename it away and put their own in its
     * place while it is used (trial 9c: gpgv's output read back from it). */
    /* Walked as written too, and used resolved from then on: a symlink
     * on the way that another user owns could be pointed elsewhere after
     * the check (trial 9e case 4, as --keys and --cache). */
    char *risk = md_xasprintf("who could replace mkdom0's scratch directories there: set TMPDIR to "
                              "a directory only user %u (or root) can change, or unset it",
                              (unsigned)geteuid());
    char *real = md_path_walk_trusted(tmp, MD_WALK_STICKY_OK, 0, risk, err);
    free(risk);
    if (!real) {
        md_err_prefix(err, "TMPDIR %s", tmp);
        return NULL;
    }
    pthread_mutex_lock(&held_mu);
    bool sweep = !swept; /* once a run: what died before this run started */
    swept = true;
    pthread_mutex_unlock(&held_mu);
    if (sweep)
        sweep_dead(real);
    char *dir = md_xasprintf("%s/mkdom0-%s.XXXXXX", strcmp(real, "/") ? real : "", tag);
    free(real);
    if (!mkdtemp(dir)) {
        md_err_errno(err, "%s: cannot create a scratch directory", dir);
        free(dir);
        return NULL;
    }
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC), mfd = -1;
    if (fd < 0 || flock(fd, LOCK_EX) < 0 ||
        (mfd = openat(fd, SCRATCH_MARK, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      0600)) < 0) {
        md_err_errno(err, "%s: cannot lock the scratch directory", dir);
        if (fd >= 0)
            close(fd);
        rmdir(dir);
        free(dir);
        return NULL;
    }
    close(mfd);
    pthread_mutex_lock(&held_mu);
    held = md_xrealloc(held, (nheld + 1) * sizeof *held);
    held[nheld++] = (struct held){ md_xstrdup(dir), fd };
    pthread_mutex_unlock(&held_mu);
    return dir;
}

/* Drop `dir`'s lock if it is one of ours; with `unmark`, first its mark,
 * so no later run takes the directory for a dead build's. */
static void scratch_release(const char *dir, bool unmark)
{
    pthread_mutex_lock(&held_mu);
    for (size_t i = 0; i < nheld; i++) {
        if (strcmp(held[i].path, dir))
            continue;
        if (unmark)
            unlinkat(held[i].fd, SCRATCH_MARK, 0);
        close(held[i].fd);
        free(held[i].path);
        held[i] = held[--nheld];
        break;
    }
    pthread_mutex_unlock(&held_mu);
}

void md_scratch_keep(const char *dir)
{
    scratch_release(dir, true);
}

/* The mount `path` (not followed) is on, as the kernel numbers mounts
 * (statx(2) STATX_MNT_ID, Linux 5.8), with its device as a fallback: a
 * bind mount of a directory of the same file system has the same st_dev
 * but its own mount id (trial 9f case 1: --force deleted through one).
 * false when `path` cannot be looked at. */
struct mount_of {
    uint64_t id;
    dev_t dev;
    bool by_id;
};
static bool mount_of(const char *path, struct mount_of *m)
{
    struct statx sx;
    if (statx(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &sx) < 0)
        return false;
    m->by_id = sx.stx_mask & STATX_MNT_ID;
    m->id = sx.stx_mnt_id;
    m->dev = makedev(sx.stx_dev_major, sx.stx_dev_minor);
    return true;
}

static bool same_mount(const struct mount_of *a, const struct mount_of *b)
{
    return a->by_id && b->by_id ? a->id == b->id : a->dev == b->dev;
}

/* nftw(3) passes no user pointer: the state of the one walk running. */
static _Thread_local const char *const *remove_keep;
static _Thread_local struct mount_of walk_root;
static _Thread_local char *walk_found;

static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st;
    for (const char *const *k = remove_keep; flag == FTW_F && k && *k; k++)
        if (!strcmp(p + ftw->base, *k))
            return 0;
    struct mount_of m;
    if (!mount_of(p, &m) || !same_mount(&m, &walk_root))
        return 0; /* on another mount (or gone): not ours to delete */
    remove(p); /* a directory still holding a kept file stays */
    return 0;
}

void md_remove_tree(const char *path, const char *const *keep)
{
    remove_keep = keep;
    /* What another file system mounted in the tree holds is not ours to
     * delete (trial 9c: --force emptied a tmpfs in -o; trial 9f: a bind
     * mount, same device): each entry's mount is compared with the root's
     * (remove_entry), as FTW_MOUNT's st_dev test cannot see bind mounts. */
    if (mount_of(path, &walk_root))
        nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
    remove_keep = NULL;
    /* a scratch directory's lock goes last: its mark is gone with the
     * rest (or the directory stays, holding what `keep` kept, unmarked) */
    scratch_release(path, true);
}

static int other_mount(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)st, (void)type, (void)ftw;
    struct mount_of m;
    if (!mount_of(path, &m) || same_mount(&m, &walk_root))
        return FTW_CONTINUE;
    walk_found = md_xstrdup(path);
    return FTW_STOP;
}

bool md_file_same_mount(const char *a, const char *b)
{
    struct mount_of ma, mb;
    return mount_of(a, &ma) && mount_of(b, &mb) && same_mount(&ma, &mb);
}

char *md_file_mount_in(const char *dir)
{
    if (!mount_of(dir, &walk_root))
        return NULL;
    walk_found = NULL;
    nftw(dir, other_mount, 16, FTW_PHYS | FTW_ACTIONRETVAL);
    char *f = walk_found;
    walk_found = NULL;
    return f;
}

char *md_file_owner_shown(unsigned uid)
{
    /* the name from the password database, when it has one: a bare number
     * leaves the user to look it up (trial 9k: "belongs to user 1001") */
    struct passwd pw, *found = NULL;
    char buf[1024];
    if (getpwuid_r((uid_t)uid, &pw, buf, sizeof buf, &found) == 0 && found && found->pw_name &&
        *found->pw_name)
        return md_xasprintf("user %u (%s)", uid, found->pw_name);
    return md_xasprintf("user %u", uid);
}

/* "PATH belongs to user N (NAME), not to you[ or root]: they could ...". */
static int not_yours(const char *path, uid_t uid, bool own, const char *risk, md_err *err)
{
    if (uid == 0) /* own: root's, to another caller: no attacker, a late failure */
        return md_err_set(err, "%s belongs to user 0 (root), not to you: mkdom0 would replace "
                               "it or what it holds, which only root may do; give a path of your own (one you make, or one that does "
                               "not exist yet in a directory of yours)", path);
    char *who = md_file_owner_shown(uid);
    /* "who could ..." reads as "they could ..." after "not to you" */
    bool who_risk = !strncmp(risk, "who ", 4);
    int rc = md_err_set(err, "%s belongs to %s, not to you%s%s%s%s", path, who,
                        geteuid() == 0 ? " (root)" : own ? "" : " or root", *risk ? ": " : "",
                        who_risk ? "they " : "", risk + (who_risk ? 4 : 0));
    free(who);
    return rc;
}

/* md_file_check_trusted's and md_file_check_own's rule; `own`: the owner
 * must be the caller, root's is not enough (what mkdom0 writes). */
static int check_entry(const char *path, bool sticky_ok, bool own, const char *risk, md_err *err)
{
    struct stat st;
    if (lstat(path, &st) < 0)
        return md_err_errno(err, "%s", path);
    /* a symlink is judged by its owner only: it is followed, never
     * written through, so whose it is decides where it leads */
    if (st.st_uid != geteuid() &&
        (st.st_uid != 0 || (own && !S_ISLNK(st.st_mode))))
        return not_yours(path, st.st_uid, own, risk, err);
    if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !S_ISLNK(st.st_mode) &&
        !(sticky_ok && S_ISDIR(st.st_mode) && (st.st_mode & S_ISVTX)))
        return md_err_set(err, "%s is writable by %s%s, %s", path,
                          st.st_mode & S_IWOTH ? "everyone" : "its group",
                          sticky_ok && S_ISDIR(st.st_mode) ? " and not sticky" : "", risk);
    return 0;
}

int md_file_check_trusted(const char *path, bool sticky_ok, const char *risk, md_err *err)
{
    return check_entry(path, sticky_ok, false, risk, err);
}

int md_file_check_own(const char *path, const char *risk, md_err *err)
{
    return check_entry(path, false, true, risk, err);
}

int md_file_check_trusted_input(const char *path, const char *risk, md_err *err)
{
    char *real = md_path_walk_trusted(path, 0, 0, risk, err);
    free(real);
    return real ? 0 : -1;
}

char *md_file_check_output(const char *path, const char *risk, md_err *err)
{
    if (md_path_printable("file", path, err) < 0)
        return NULL;
    const char *slash = strrchr(path, '/');
    const char *base = slash ? slash + 1 : path;
    if (!*base || !strcmp(base, ".") || !strcmp(base, ".."))
        return md_err_set(err, "%s: not a file name (mkdom0 writes a file there)", path), NULL;
    char *dir = !slash ? md_xstrdup(".") : slash == path ? md_xstrdup("/")
                                                         : md_xstrndup(path, (size_t)(slash - path));
    /* the directory is where the temporary is made and renamed: nobody
     * else may change it, or rename in it (sticky) */
    char *rdir = md_path_walk_trusted(dir, MD_WALK_STICKY_OK, 0, risk, err);
    free(dir);
    if (!rdir)
        return NULL;
    char *real = md_xasprintf("%s/%s", strcmp(rdir, "/") ? rdir : "", base);
    free(rdir);
    struct stat st;
    int rc = 0;
    if (lstat(real, &st) < 0) {
        if (errno != ENOENT)
            rc = md_err_errno(err, "%s", path);
    } else if (!S_ISREG(st.st_mode)) {
        rc = not_replaced(path, st.st_mode, err);
    } else if (st.st_uid != geteuid()) {
        /* replaced by a file of the caller's: whose it was is not ours to
         * decide (root's rename in a sticky /tmp would take it from them) */
        rc = not_yours(path, st.st_uid, true, risk, err);
    }
    if (rc < 0) {
        free(real);
        return NULL;
    }
    return real;
}

/* ---- walking a path as the kernel does, checking whom each step trusts ---- */

/* Follows at most this many symbolic links, as Linux's path walk
 * (MAXSYMLINKS, namei.c), then gives ELOOP. */
#define WALK_MAX_LINKS 40

char *md_path_walk_trusted(const char *path, unsigned flags, unsigned mode, const char *risk,
                           md_err *err)
{
    if (!*path)
        return md_err_set(err, "an empty path"), NULL;
    /* `rest` is what is left to walk; `done` the part walked, absolute, with
     * no symlink and no "." or "..", every entry of it checked. */
    char *rest = md_path_abs(path);
    char *done = md_xstrdup("");
    int links = 0, rc = md_file_check_trusted("/", true, risk, err);
    size_t at = 0;
    while (rc == 0) {
        while (rest[at] == '/')
            at++;
        if (!rest[at])
            break;
        size_t n = strcspn(rest + at, "/");
        char *name = md_xstrndup(rest + at, n);
        at += n;
        bool last = !rest[at + strspn(rest + at, "/")];
        if (!strcmp(name, ".")) {
            free(name);
            continue;
        }
        if (!strcmp(name, "..")) {
            char *s = strrchr(done, '/');
            if (s)
                *s = '\0';
            free(name);
            continue;
        }
        char *p = md_xasprintf("%s/%s", done, name);
        free(name);
        struct stat st;
        /* made here, in a directory found trusted: ours */
        if (lstat(p, &st) < 0 && errno == ENOENT && (flags & MD_WALK_CREATE) &&
            mkdir(p, mode) < 0 && errno != EEXIST)
            rc = md_err_errno(err, "%s: cannot create directory", p);
        if (rc == 0 && lstat(p, &st) < 0)
            rc = md_err_errno(err, "%s", p);
        /* what cannot be walked into (or made into) is named for what it is */
        if (rc == 0 && (!last || (flags & MD_WALK_CREATE)) && !S_ISDIR(st.st_mode) &&
            !S_ISLNK(st.st_mode))
            rc = md_err_set(err, "%s: not a directory (%s)", p, kind_of(st.st_mode));
        /* a symlink is judged by its owner (who may point it elsewhere)
         * and then walked; a directory above the last entry may be others'
         * when sticky (/tmp), the last only with MD_WALK_STICKY_OK */
        if (rc == 0)
            rc = check_entry(p, S_ISLNK(st.st_mode) || !last || (flags & MD_WALK_STICKY_OK),
                             last && (flags & MD_WALK_OWN), risk, err);
        if (rc == 0 && S_ISLNK(st.st_mode)) {
            char target[PATH_MAX];
            ssize_t tl = readlink(p, target, sizeof target - 1);
            if (tl < 0)
                rc = md_err_errno(err, "%s", p);
            else if ((size_t)tl >= sizeof target - 1)
                rc = md_err_set(err, "%s: a symbolic link of %zd bytes or more (limit %d)", p, tl,
                                PATH_MAX - 2);
            else if (++links > WALK_MAX_LINKS)
                rc = md_err_set(err, "%s: more than %d symbolic links on the way", path,
                                WALK_MAX_LINKS);
            /* never made where a link leads: a dangling one is a mistake */
            else if (stat(p, &st) < 0 && errno == ENOENT)
                rc = md_err_set(err, "%s: a symbolic link to something that does not exist", p);
            if (rc == 0) {
                target[tl] = '\0';
                char *nr = md_xasprintf("%s/%s", target, rest + at);
                free(rest);
                rest = nr;
                at = 0;
                if (target[0] == '/')
                    done[0] = '\0';
            }
            free(p);
            continue;
        }
        free(done);
        done = p;
    }
    free(rest);
    if (rc < 0) {
        free(done);
        return NULL;
    }
    if (!*done) {
        free(done);
        return md_xstrdup("/");
    }
    return done;
}

/* Its owner may unlink it while a build holds it (even in a sticky
 * directory), and the next build locks a new file: two builds run at once;
 * or hold it forever and block every build. */
static int foreign_lock(const char *shown, uid_t uid, md_err *err)
{
    return md_err_set(err, "%s: the lock file belongs to user %u, who could remove it while a "
                           "build holds it (two builds would then write at once) or hold it "
                           "forever: remove it as user %u or root",
                      shown, (unsigned)uid, (unsigned)geteuid());
}

int md_file_open_lock(int dirfd, const char *name, const char *shown, md_err *err)
{
    /* O_NOFOLLOW: a symlink planted at the name would have the caller (often
     * root) create a file wherever it points (trial 9c: /etc/nologin). */
    int fd = openat(dirfd, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY,
                    0644);
    if (fd < 0) {
        /* The kernel's protected_symlinks/protected_regular give EACCES for
         * another user's symlink or file in a sticky directory: say what is
         * there, not only "Permission denied" (trial 9d). */
        int e = errno;
        struct stat ls;
        if (fstatat(dirfd, name, &ls, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(ls.st_mode)) {
            char who[48];
            snprintf(who, sizeof who, ls.st_uid == geteuid() ? "yours" : "user %u's",
                     (unsigned)ls.st_uid);
            return md_err_set(err, "%s: is a symlink, refused as a lock file (%s%s%s): remove it "
                                   "as its owner or root", shown, who,
                              e == ELOOP ? "" : "; ", e == ELOOP ? "" : strerror(e));
        }
        if (fstatat(dirfd, name, &ls, AT_SYMLINK_NOFOLLOW) == 0 && ls.st_uid != geteuid())
            return foreign_lock(shown, ls.st_uid, err);
        errno = e;
        return md_err_errno(err, "%s: cannot open lock file", shown);
    }
    struct stat st;
    int rc = 0;
    if (fstat(fd, &st) < 0)
        rc = md_err_errno(err, "%s: cannot stat", shown);
    else if (!S_ISREG(st.st_mode))
        rc = md_err_set(err, "%s: not a regular file, refused as a lock file: remove it", shown);
    else if (st.st_uid != geteuid())
        rc = foreign_lock(shown, st.st_uid, err);
    if (rc < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

bool md_path_has_dotdot(const char *path)
{
    for (const char *q = path; (q = strstr(q, "..")); q += 2)
        if ((q == path || q[-1] == '/') && (q[2] == '/' || q[2] == '\0'))
            return true;
    return false;
}

char *md_path_abs(const char *path)
{
    if (path[0] == '/')
        return md_xstrdup(path);
    char *cwd = getcwd(NULL, 0);
    char *r = md_xasprintf("%s/%s", cwd ? cwd : ".", path);
    free(cwd);
    return r;
}

int md_path_printable(const char *what, const char *path, md_err *err)
{
    const unsigned char *p = (const unsigned char *)path;
    while (*p && *p >= 0x20 && *p != 0x7f)
        p++;
    if (!*p)
        return 0;
    /* its first 300 bytes: md_err_set writes each control character as
     * \xNN (core/err.h md_err_shown), so the message stays on one line */
    return md_err_set(err, "%s '%.300s': a newline or other control character (byte 0x%02x) in "
                           "the name, which would split the lines of image.ini and the "
                           "reports: rename it", what, path, *p);
}

bool md_file_system_dir(const char *real)
{
    const char *second = strchr(real + 1, '/');
    if (!second)
        return true;
    static const char *const roots[] = { "/usr/", "/var/", "/home/", NULL };
    for (const char *const *r = roots; *r; r++)
        if (!strncmp(real, *r, strlen(*r)) && !strchr(real + strlen(*r), '/'))
            return true;
    const char *h = getenv("HOME");
    char *home = h && *h ? realpath(h, NULL) : NULL;
    bool is_home = home && !strcmp(home, real);
    free(home);
    return is_home;
}
