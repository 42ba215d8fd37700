#include "image/imgdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <ftw.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/dirs.h"
#include "core/file.h"
#include "core/hindex.h"
#include "core/mem.h"
#include "core/sha256.h"
#include "image/sshkeys.h"

static const char *const names[MD_IMGDIR_NALL] = {
    [MD_IMGDIR_XEN] = "xen.gz",
    [MD_IMGDIR_KERNEL] = "vmlinuz",
    [MD_IMGDIR_GRUB_CFG] = "grub.cfg",
    [MD_IMGDIR_MANIFEST] = "manifest",
    [MD_IMGDIR_INI] = "image.ini",
    [MD_IMGDIR_SIZE_REPORT] = "size-report.txt",
    [MD_IMGDIR_ROOTFS] = "rootfs.cpio.gz",
    [MD_IMGDIR_ISO] = "boot.iso",
    [MD_IMGDIR_DISK] = "disk.img",
    [MD_IMGDIR_NETBOOT] = "netboot",
    [MD_IMGDIR_EFI] = "efi",
    [MD_IMGDIR_UNIFIED] = "xen-unified.efi",
    [MD_IMGDIR_HOSTS] = "hosts",
};

bool md_imgdir_is_dir(md_imgdir_file f)
{
    return f == MD_IMGDIR_NETBOOT || f == MD_IMGDIR_EFI || f == MD_IMGDIR_HOSTS;
}

const char *md_imgdir_name(md_imgdir_file f)
{
    return names[f];
}

char *md_imgdir_rootfs_name(md_codec codec)
{
    return md_xasprintf("rootfs.cpio%s", md_codec_suffix(codec));
}

/* ---- reading ---- */

/* image.ini's string values, by index into struct ini's str[]. */
enum { S_NAME, S_SPEC, S_XEN, S_TOOLSTACK, S_KERNEL, S_ROOTFS, S_SHA, S_KEYS, S_CLIENT, S_COUNT };

/* image.ini as read: the public view points into the owned strings. */
struct ini {
    md_imgdir_info view;
    char *str[S_COUNT];
    bool have_sde, have_modules;
    int line;       /* the line inih is at */
    char *sec;      /* the current section's whole name: inih's stops at 49 bytes,
                     * a [Host NAME]'s may have 63 (trial 9h case 1) */
    char bad[256];  /* the first value that did not parse, "" if none */
    int bad_line;
    int status;     /* inih's: 0, -1 cannot open, -2 no memory, > 0 first bad line */
    int open_errno; /* why it could not be opened */
    char open_msg[sizeof ((md_err *)0)->msg]; /* or the whole reason, "" if none */
    FILE *f;
    /* [Host NAME] sections: their fields, malloc'd, "" when not given */
    struct ini_host { char *f[5]; } *hosts;
    size_t nhosts, caphosts;
    md_hindex host_ix; /* hosts by name: 300k of them looked up one by one
                        * took minutes (trial 9x F5) */
    size_t bytes;      /* read so far, against MD_IMGDIR_INI_MAX */
    md_imgdir_host *hostv; /* view.hosts: the same strings */
};

struct md_imgdir {
    char *dir;
    bool ini_read;
    struct ini ini;
};

md_imgdir *md_imgdir_open(const char *dir, md_err *err)
{
    struct stat st;
    int r = stat(dir, &st);
    if (r == 0 && !S_ISDIR(st.st_mode)) {
        errno = ENOTDIR;
        r = -1;
    }
    if (r < 0) {
        md_err_errno(err, "%s: not an image directory", dir);
        return NULL;
    }
    md_imgdir *d = md_xcalloc(1, sizeof *d);
    d->dir = md_xstrdup(dir);
    return d;
}

void md_imgdir_free(md_imgdir *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < S_COUNT; i++)
        free(d->ini.str[i]);
    for (size_t i = 0; i < d->ini.nhosts; i++)
        for (int k = 0; k < 5; k++)
            free(d->ini.hosts[i].f[k]);
    free(d->ini.hosts);
    md_hindex_free(&d->ini.host_ix);
    free(d->ini.hostv);
    free(d->dir);
    free(d);
}

char *md_imgdir_path(const md_imgdir *d, md_imgdir_file f)
{
    return md_xasprintf("%s/%s", d->dir, names[f]);
}

int md_imgdir_read(const md_imgdir *d, md_imgdir_file f, unsigned char **data, size_t *len,
                   md_err *err)
{
    char *p = md_imgdir_path(d, f);
    md_err why = MD_ERR_INIT;
    int r = md_read_file_flags(p, MD_FILE_NOFOLLOW, data, len, &why);
    free(p);
    if (r < 0)
        md_err_set(err, "%s (is %s an image directory from mkdom0 build?)", why.msg, d->dir);
    return r;
}

char *md_imgdir_loaded_file(const md_imgdir *d, const char *grub_path, md_err *err)
{
    char *p = md_xasprintf("%s/%s", d->dir, basename(grub_path));
    char *abs = realpath(p, NULL);
    if (!abs || access(abs, R_OK) < 0) {
        md_err_errno(err, "%s (named by %s/%s as %s)", p, d->dir, names[MD_IMGDIR_GRUB_CFG],
                     grub_path);
        free(abs);
        abs = NULL;
    }
    free(p);
    return abs;
}

/* First regular file of `dir` matching `pat`, in name order; a bare name
 * for ".", as the user typed nothing else.  Caller frees. */
static char *find_in(const char *dir, const char *pat)
{
    struct dirent **ents;
    int n = scandir(dir, &ents, NULL, alphasort);
    char *hit = NULL;
    for (int i = 0; i < n; i++) {
        if (!hit && !fnmatch(pat, ents[i]->d_name, 0)) {
            char *p = strcmp(dir, ".") ? md_xasprintf("%s/%s", dir, ents[i]->d_name)
                                       : md_xstrdup(ents[i]->d_name);
            if (md_is_file(p))
                hit = p;
            else
                free(p);
        }
        free(ents[i]);
    }
    if (n >= 0)
        free(ents);
    return hit;
}

/* p if `ok`, else NULL (p freed). */
static char *kept_if(char *p, bool ok)
{
    if (ok)
        return p;
    free(p);
    return NULL;
}

static char *regular_or_null(char *p) { return kept_if(p, md_is_file(p)); }

char *md_imgdir_find(const md_imgdir *d, md_imgdir_file f)
{
    char *p;
    switch (f) {
    case MD_IMGDIR_GRUB_CFG:
        if ((p = regular_or_null(md_imgdir_path(d, f))))
            return p;
        /* A copy of a host's /boot keeps it under grub/. */
        return regular_or_null(md_xasprintf("%s/boot/grub/%s", d->dir, names[f]));
    case MD_IMGDIR_ROOTFS:
        p = find_in(d->dir, "rootfs.cpio*");
        return p ? p : find_in(d->dir, "*.cpio*");
    case MD_IMGDIR_XEN:
        return find_in(d->dir, MD_IMGDIR_XEN_GLOB);
    default:
        return regular_or_null(md_imgdir_path(d, f));
    }
}


static const struct ini_key {
    const char *section, *key;
    int str; /* S_*, or -1 for the numbers */
} ini_keys[] = {
    { "Image", "Name", S_NAME },       { "Image", "Spec", S_SPEC },
    { "Image", "Xen", S_XEN },         { "Image", "Toolstack", S_TOOLSTACK },
    { "Image", "Kernel", S_KERNEL },   { "Image", "SourceDateEpoch", -1 },
    { "Image", "Rootfs", S_ROOTFS },   { "Image", "RootfsSHA256", S_SHA },
    { "Image", "Modules", -1 },        { "SSH", "KeysDir", S_KEYS },
    { "SSH", "ClientKey", S_CLIENT },
};

static bool parse_number(const char *v, long long *out)
{
    char *end;
    errno = 0;
    long long x = strtoll(v, &end, 10);
    if (!*v || *end || errno || x < 0)
        return false;
    *out = x;
    return true;
}

/* inih's handler.  Keys we do not know are left alone (a newer mkdom0 may
 * write more); a key given twice keeps its first (non-empty) value. */
/* image.ini's [Host NAME] keys, in md_imgdir_host's order after name. */
static const char *const host_keys[] = { "MAC", "Hostname", "Address", "HostKey" };

/* Host `name`'s position in ini->hosts, or SIZE_MAX. */
static size_t host_index(const struct ini *ini, const char *name)
{
    uint64_t h = md_hindex_hash(name, strlen(name));
    for (size_t it = 0, at; (at = md_hindex_next(&ini->host_ix, h, &it)) != SIZE_MAX;)
        if (!strcmp(ini->hosts[at].f[0], name))
            return at;
    return SIZE_MAX;
}

static void on_host_key(struct ini *ini, const char *name, const char *key, const char *value)
{
    int k = 0;
    while (k < 4 && strcmp(key, host_keys[k]))
        k++;
    if (k == 4)
        return;
    size_t i = host_index(ini, name);
    if (i == SIZE_MAX) {
        i = ini->nhosts++;
        ini->hosts = md_xgrow(ini->hosts, &ini->caphosts, ini->nhosts, sizeof *ini->hosts);
        ini->hosts[i].f[0] = md_xstrdup(name);
        for (int j = 1; j < 5; j++)
            ini->hosts[i].f[j] = md_xstrdup("");
        md_hindex_add(&ini->host_ix, md_hindex_hash(name, strlen(name)), i);
    }
    free(ini->hosts[i].f[k + 1]);
    ini->hosts[i].f[k + 1] = md_xstrdup(value);
}

static int on_ini_key(void *user, const char *section, const char *key, const char *value)
{
    struct ini *ini = user;
    if (ini->sec)
        section = ini->sec;
    if (!strncmp(section, "Host ", 5)) {
        on_host_key(ini, section + 5, key, value);
        return 1;
    }
    for (size_t i = 0; i < sizeof ini_keys / sizeof *ini_keys; i++) {
        const struct ini_key *k = &ini_keys[i];
        if (strcmp(section, k->section) || strcmp(key, k->key))
            continue;
        if (k->str >= 0) {
            if (!ini->str[k->str] || !*ini->str[k->str]) {
                free(ini->str[k->str]);
                ini->str[k->str] = md_xstrdup(value);
            }
            return 1;
        }
        long long x;
        if (!parse_number(value, &x)) {
            if (!ini->bad[0]) {
                snprintf(ini->bad, sizeof ini->bad, "%s=%s is not a number", key, value);
                ini->bad_line = ini->line;
            }
            return 0;
        }
        bool modules = !strcmp(key, "Modules");
        bool *have = modules ? &ini->have_modules : &ini->have_sde;
        if (!*have) {
            if (modules)
                ini->view.modules = (size_t)x;
            else
                ini->view.source_date_epoch = x;
        }
        *have = true;
        return 1;
    }
    return 1;
}

/* inih's line reader, counting lines as inih does (inih does not tell
 * the handler the line in the build Debian ships). */
static char *next_line(char *buf, int size, void *user)
{
    struct ini *ini = user;
    char *r = fgets(buf, size, ini->f);
    ini->line += r != NULL;
    /* A file that grew past the cap while read stops here too. */
    if (r && (ini->bytes += strlen(r)) > MD_IMGDIR_INI_MAX && !ini->bad_line) {
        snprintf(ini->bad, sizeof ini->bad, "more than the %zu MiB mkdom0 reads of an image.ini",
                 MD_IMGDIR_INI_MAX >> 20);
        ini->bad_line = ini->line;
        ini->status = ini->line;
        return NULL;
    }
    /* inih's buffer is fixed (INI_MAX_LINE in Debian's build): the rest of
     * a longer line would come back as a line of its own, a "syntax error"
     * that names nothing (trial 9e); say what it is and stop. */
    if (r && !strchr(r, '\n') && !feof(ini->f) && !ini->bad_line) {
        snprintf(ini->bad, sizeof ini->bad, "a line longer than the %d bytes mkdom0 reads", size - 2);
        ini->bad_line = ini->line;
        ini->status = ini->line;
        return NULL;
    }
    const char *end;
    if (r && r[0] == '[' && (end = strchr(r, ']'))) {
        free(ini->sec);
        ini->sec = md_xstrndup(r + 1, (size_t)(end - r - 1));
    }
    return r;
}

static void read_ini(md_imgdir *d)
{
    if (d->ini_read)
        return;
    d->ini_read = true;
    struct ini *ini = &d->ini;
    char *p = md_imgdir_path(d, MD_IMGDIR_INI);
    /* Never through a symbolic link, never a FIFO or device: the directory
     * may be someone else's (trial 9c case 7). */
    struct stat st;
    md_err why = MD_ERR_INIT;
    int fd = -1;
    if (lstat(p, &st) < 0)
        ini->open_errno = errno;
    else if ((fd = md_open_file_flags(p, MD_FILE_NOFOLLOW, &st, &why)) < 0)
        snprintf(ini->open_msg, sizeof ini->open_msg, "%s", why.msg);
    else if ((uint64_t)st.st_size > MD_IMGDIR_INI_MAX) {
        snprintf(ini->open_msg, sizeof ini->open_msg, "%s: %lld bytes, more than the %zu MiB "
                 "mkdom0 reads of an image.ini (mkdom0 build writes some 300 bytes a host)",
                 p, (long long)st.st_size, MD_IMGDIR_INI_MAX >> 20);
        close(fd);
    } else if (!(ini->f = fdopen(fd, "r"))) {
        ini->open_errno = errno;
        close(fd);
    }
    free(p);
    if (!ini->f) {
        ini->status = -1;
    } else {
        /* The reader and the handler share `ini`: one user pointer. */
        int parsed = ini_parse_stream(next_line, ini, on_ini_key, ini);
        ini->status = ini->status > 0 ? ini->status : parsed; /* a long line stopped it */
        free(ini->sec);
        ini->sec = NULL;
        ini->open_errno = ENOMEM; /* inih's -2 */
        fclose(ini->f);
        ini->f = NULL;
    }
    const char **view[S_COUNT] = {
        [S_NAME] = &ini->view.name,         [S_SPEC] = &ini->view.spec,
        [S_XEN] = &ini->view.xen,           [S_TOOLSTACK] = &ini->view.toolstack,
        [S_KERNEL] = &ini->view.kernel,     [S_ROOTFS] = &ini->view.rootfs,
        [S_SHA] = &ini->view.rootfs_sha256, [S_KEYS] = &ini->view.keys_dir,
        [S_CLIENT] = &ini->view.client_key,
    };
    for (size_t i = 0; i < S_COUNT; i++)
        *view[i] = ini->str[i] ? ini->str[i] : "";
}

int md_imgdir_find_host(md_imgdir *d, const char *name, md_imgdir_host *out, md_err *err)
{
    if (!md_imgdir_ini(d, err))
        return -1;
    size_t at = host_index(&d->ini, name);
    if (at != SIZE_MAX) {
        char **f = d->ini.hosts[at].f;
        *out = (md_imgdir_host){ f[0], f[1], f[2], f[3], f[4] };
        if (!*out->mac || !*out->hostname || !*out->host_key)
            return md_err_set(err, "%s/%s: [Host %s] lacks MAC=, Hostname= or HostKey=",
                              d->dir, names[MD_IMGDIR_INI], name);
        return 0;
    }
    md_strv known = { 0 };
    for (size_t i = 0; i < d->ini.nhosts; i++)
        md_strv_push(&known, d->ini.hosts[i].f[0]);
    char *list = known.n ? md_strv_join(&known, ", ") : md_xstrdup("none: the spec has no [Host NAME]");
    md_err_set(err, "%s: no host %s in %s (its hosts: %s)", d->dir, name, names[MD_IMGDIR_INI], list);
    free(list);
    md_strv_free(&known);
    return -1;
}

const md_imgdir_info *md_imgdir_ini(md_imgdir *d, md_err *err)
{
    read_ini(d);
    const struct ini *ini = &d->ini;
    if (ini->status < 0 && ini->open_msg[0]) {
        md_err_set(err, "%s", ini->open_msg);
        return NULL;
    }
    if (ini->status < 0) {
        errno = ini->open_errno;
        md_err_errno(err, "%s/%s", d->dir, names[MD_IMGDIR_INI]);
        return NULL;
    }
    if (ini->status > 0) {
        md_err_set(err, "%s/%s:%d: %s", d->dir, names[MD_IMGDIR_INI], ini->status,
                   ini->bad_line == ini->status ? ini->bad
                                                : "syntax error (expected [Section] or Key=Value)");
        return NULL;
    }
    if (ini->nhosts && !ini->hostv) {
        d->ini.hostv = md_xcalloc(ini->nhosts, sizeof *ini->hostv);
        for (size_t i = 0; i < ini->nhosts; i++) {
            char **f = ini->hosts[i].f;
            d->ini.hostv[i] = (md_imgdir_host){ f[0], f[1], f[2], f[3], f[4] };
        }
        d->ini.view.hosts = d->ini.hostv;
        d->ini.view.nhosts = ini->nhosts;
    }
    return &ini->view;
}

int md_imgdir_verify(md_imgdir *d, md_err *err)
{
    const md_imgdir_info *i = md_imgdir_ini(d, err);
    if (!i)
        return -1;
    if (strchr(i->rootfs, '/') || !strcmp(i->rootfs, "..") || !strcmp(i->rootfs, "."))
        return md_err_set(err, "%s/%s: Rootfs=%s is not a file name in %s: not written by "
                               "mkdom0 build", d->dir, names[MD_IMGDIR_INI], i->rootfs, d->dir);
    if (!*i->rootfs || strlen(i->rootfs_sha256) != 64)
        return md_err_set(err, "%s/%s: no Rootfs= file name and RootfsSHA256= digest: not "
                               "written by mkdom0 build", d->dir, names[MD_IMGDIR_INI]);
    char *path = md_xasprintf("%s/%s", d->dir, i->rootfs), hex[65];
    /* At most what mkdom0 reads whole (lint's rootfs limit): a 50 GB
     * sparse rootfs was hashed for minutes (trial 9c case 10). */
    int fd = md_open_file_flags(path, MD_FILE_NOFOLLOW, NULL, err);
    int rc = fd < 0 ? -1 : md_sha256_fd(fd, path, hex, err);
    if (fd >= 0)
        close(fd);
    if (rc == 0 && strcasecmp(hex, i->rootfs_sha256) != 0)
        rc = md_err_set(err, "%s: SHA-256 %s, but %s/%s records %s: the rootfs was changed or "
                             "cut short after the build", path, hex, d->dir,
                        names[MD_IMGDIR_INI], i->rootfs_sha256);
    free(path);
    return rc;
}

char *md_imgdir_keys_dir(const char *given)
{
    if (given)
        return md_xstrdup(given);
    const char *e = getenv("XDG_STATE_HOME");
    if (e && *e == '/') /* a relative one is ignored, as md_cache_dir's XDG_CACHE_HOME */
        return md_xasprintf("%s/mkdom0/keys", e);
    return md_xasprintf("%s/.local/state/mkdom0/keys", md_home_dir());
}

static char *readable_or_null(char *p) { return kept_if(p, access(p, R_OK) == 0); }

char *md_imgdir_client_key(const char *dir)
{
    md_imgdir *d = md_imgdir_open(dir, NULL);
    char *p = NULL;
    if (d) {
        /* What image.ini could tell, even when a later line is broken. */
        read_ini(d);
        const char *named = d->ini.str[S_CLIENT];
        if (named && *named)
            p = readable_or_null(md_xstrdup(named));
        if (!p)
            p = readable_or_null(md_xasprintf("%s/ssh/%s", dir, MD_SSHKEYS_CLIENT_KEY));
        md_imgdir_free(d);
    }
    if (!p) {
        char *keys = md_imgdir_keys_dir(NULL);
        p = readable_or_null(md_xasprintf("%s/%s", keys, MD_SSHKEYS_CLIENT_KEY));
        free(keys);
    }
    return p;
}

/* ---- writing ---- */

/* The output directory changes all at once: the new output is made in a
 * fresh sibling directory and swapped with the old one by a single
 * renameat2(RENAME_EXCHANGE) (rename(2), Linux 3.15+), so a reader or a
 * killed build only ever sees the old output or the new one.  A lock file
 * beside it serialises builds into the same directory; leftovers of killed
 * builds are removed under that lock, and only entries this scheme names. */

struct md_imgdir_stage {
    char *outdir;   /* the output directory, symlinks resolved */
    char *parent;   /* its directory, where staging and the lock live */
    char *base;     /* its name */
    char *staging;  /* PARENT/.BASE.mkdom0-staging-XXXXXX */
    char *rootfs_name;
    md_codec codec;
    bool replace_foreign; /* --force: files mkdom0 did not write go too */
    int lock_fd;
    int parent_fd;  /* PARENT, opened once checked: the lock, the staging
                       directory and the swap are made relative to it */
    int staging_fd; /* the staging directory as made: what is published */
    char *staging_name; /* its name in PARENT */
    char *path[MD_IMGDIR_NALL];
    bool wanted[MD_IMGDIR_NALL]; /* publish requires it */
};

/* The names a build makes beside OUTDIR: PARENT/.BASE + one of these (the
 * staging one with mkdtemp's six characters after it).  Every name is made
 * from these, so check_names() covers each. */
#define LOCK_SUFFIX ".mkdom0-lock"
#define STAGING_SUFFIX ".mkdom0-staging-"
#define STAGING_RANDOM 6
/* The longest path a build writes inside its output, in bytes: a host's
 * netboot/hosts/NAME/rootfs.cpio.zst or hosts/NAME/disk.img (NAME up to 63
 * bytes, one RFC 1123 label) and md_file_create_tmp's ".mkdom0-XXXXXX",
 * with room to spare. */
#define DEEPEST_INSIDE 128

/* Every name a build derives from OUTDIR must fit: a file name NAME_MAX
 * bytes (the directory's own limit, pathconf(3), when `parent` exists), a
 * path PATH_MAX.  Checked before anything is made, so a name too long
 * leaves no lock and no staging directory behind (trial 9: a 240-byte -o
 * left .NAME.mkdom0-lock and said "PARENT: cannot make a staging
 * directory: File name too long").  `given` is -o as the user wrote it. */
static int check_names(const char *given, const char *parent, const char *base, md_err *err)
{
    long name_max = parent ? pathconf(parent, _PC_NAME_MAX) : -1;
    if (name_max <= 0)
        name_max = NAME_MAX;
    size_t bl = strlen(base), extra = 1 + strlen(STAGING_SUFFIX) + STAGING_RANDOM;
    if (bl + extra > (size_t)name_max)
        return md_err_set(err, "%s: the output's name is %zu bytes, too long: the build makes "
                               "'.NAME%sXXXXXX' beside it, and a file name may have at most %ld "
                               "bytes (NAME_MAX); give -o a name of at most %zu bytes", given,
                          bl, STAGING_SUFFIX, name_max, (size_t)name_max - extra);
    size_t deepest = (parent ? strlen(parent) : 0) + 1 + bl + extra + 1 + DEEPEST_INSIDE;
    if (deepest >= PATH_MAX)
        return md_err_set(err, "%s: the output's path is too long: the files the build writes "
                               "in and beside it would have paths of up to %zu bytes, more than "
                               "PATH_MAX (%d); give -o a shorter path", given, deepest, PATH_MAX);
    return 0;
}

static const char *stage_name(const md_imgdir_stage *s, md_imgdir_file f)
{
    return f == MD_IMGDIR_ROOTFS ? s->rootfs_name : names[f];
}

/* Remove a directory tree this scheme made in PARENT, never following a
 * symlink: a name that is not a real directory of ours is left alone. */
static void remove_ours(const md_imgdir_stage *s, const char *name)
{
    struct stat st;
    if (fstatat(s->parent_fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode) &&
        st.st_uid == geteuid()) {
        /* through the fd too, so that a PARENT path that now names another
         * directory cannot have that one's entry removed */
        char *p = md_xasprintf("/proc/self/fd/%d/%s", s->parent_fd, name);
        struct stat via;
        if (lstat(p, &via) < 0 || via.st_dev != st.st_dev || via.st_ino != st.st_ino) {
            free(p); /* no /proc: the path, as checked above */
            p = md_xasprintf("%s/%s", s->parent, name);
        }
        md_remove_tree(p, NULL);
        free(p);
    }
}

/* mkdtemp(3) in directory `dirfd`, which mkdtemp cannot do: PREFIX and
 * STAGING_RANDOM random letters, made by mkdirat(2) with mode 0700, so
 * never an existing path.  The name (caller frees), or NULL with errno. */
static char *mkdtemp_at(int dirfd, const char *prefix)
{
    static const char abc[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    for (int tries = 0; tries < 100; tries++) {
        unsigned char r[STAGING_RANDOM];
        if (getrandom(r, sizeof r, 0) != (ssize_t)sizeof r)
            return NULL;
        char tail[STAGING_RANDOM + 1];
        for (int i = 0; i < STAGING_RANDOM; i++)
            tail[i] = abc[r[i] % (sizeof abc - 1)];
        tail[STAGING_RANDOM] = '\0';
        char *name = md_xasprintf("%s%s", prefix, tail);
        if (mkdirat(dirfd, name, 0700) == 0)
            return name;
        int e = errno;
        free(name);
        if (e != EEXIST) {
            errno = e;
            return NULL;
        }
    }
    errno = EEXIST;
    return NULL;
}

/* A name a previous build of this output may have left in it. */
/* Only a regular file with one of the names a build writes (the rootfs
 * under any codec's name) counts as mkdom0's: a directory, symlink or any
 * other name there may be someone's data, which only --force replaces. */
/* nftw callback: anything but a directory or regular file of ours ends the
 * walk (non-zero). */
static int plain_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void)path;
    (void)ftw;
    return !((type == FTW_F && S_ISREG(st->st_mode)) || type == FTW_D || type == FTW_DP) ||
           st->st_uid != geteuid();
}

static bool ours_in_output(int dirfd, const char *name)
{
    struct stat st;
    if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
        return false;
    /* The netboot, EFI and hosts trees: a directory that holds nothing but
     * directories and regular files of ours, as a build makes it. */
    if (S_ISDIR(st.st_mode) && (!strcmp(name, names[MD_IMGDIR_NETBOOT]) ||
                                !strcmp(name, names[MD_IMGDIR_EFI]) ||
                                !strcmp(name, names[MD_IMGDIR_HOSTS]))) {
        char *p = md_xasprintf("/proc/self/fd/%d/%s", dirfd, name);
        bool plain = st.st_uid == geteuid() && nftw(p, plain_entry, 16, FTW_PHYS) == 0;
        free(p);
        return plain;
    }
    if (!S_ISREG(st.st_mode))
        return false;
    for (int f = 0; f < MD_IMGDIR_NALL; f++)
        if (!md_imgdir_is_dir((md_imgdir_file)f) && !strcmp(name, names[f]))
            return true;
    for (md_codec c = MD_CODEC_NONE; c <= MD_CODEC_LZ4; c++) {
        char *r = md_imgdir_rootfs_name(c);
        bool same = !strcmp(name, r);
        free(r);
        if (same)
            return true;
    }
    return false;
}

/* The first entry of `dir` that mkdom0 did not write, or NULL. */
static char *foreign_entry(const char *dir)
{
    DIR *d = opendir(dir);
    char *found = NULL;
    for (struct dirent *e; d && !found && (e = readdir(d));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
            !ours_in_output(dirfd(d), e->d_name))
            found = md_xstrdup(e->d_name);
    if (d)
        closedir(d);
    return found;
}

/* Under the lock: staging and replaced outputs of builds that were killed:
 * exactly .BASE.mkdom0-staging-XXXXXX (mkdtemp's six characters), matched
 * as a string.  Never as a pattern: an output named 'out[1]' or '*' would
 * match another output's staging and delete a concurrent build's files
 * (trial 9). */
static void remove_leftovers(const md_imgdir_stage *s)
{
    char *prefix = md_xasprintf(".%s" STAGING_SUFFIX, s->base);
    size_t n = strlen(prefix);
    int fd = dup(s->parent_fd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d && fd >= 0)
        close(fd);
    for (struct dirent *e; d && (e = readdir(d));)
        if (!strncmp(e->d_name, prefix, n) && strlen(e->d_name + n) == STAGING_RANDOM)
            remove_ours(s, e->d_name);
    if (d)
        closedir(d);
    free(prefix);
}

/* Resolve `outdir` (it may be a symlink to the real output) and split it. */
/* Resolve `outdir` to an absolute path with no symlink in it (it may be a
 * symlink to the real output, or not exist yet) and split it.  Refused:
 * not a directory; a symlink to nothing (replacing the link would leave its
 * target's name pointing nowhere); the current directory or one above it
 * (the swap would leave the shell in a deleted directory). */
/* A symlink in `outdir` as given (its last name or one on the way) that
 * another user owns could point the build at any directory: another user's
 * `ln -s /root/victim /tmp/out` had root's directory replaced by the image
 * (trial 9).  As fs.protected_symlinks would, such a symlink is not
 * followed: it must belong to root or the caller.  Checked before anything
 * (parents, lock, staging) is made. */
static int check_symlinks(const char *outdir, md_err *err)
{
    char *p = md_xstrdup(outdir);
    int rc = 0;
    for (char *end = p + 1; rc == 0 && end;) {
        end = strchr(end, '/');
        if (end)
            *end = '\0';
        struct stat st;
        if (*p && lstat(p, &st) == 0 && S_ISLNK(st.st_mode) && st.st_uid != 0 &&
            st.st_uid != geteuid())
            rc = md_err_set(err, "%s: a symlink that belongs to user %u, who could point it at "
                                 "any directory and have it replaced by the image; it is not "
                                 "followed: give -o a path without it", p, (unsigned)st.st_uid);
        if (end)
            *end++ = '/';
    }
    free(p);
    return rc;
}

/* check_parent_safe's words: what another user who may change a directory
 * on the way to the output could do. */
static char *parent_risk(void)
{
    char *me = md_file_owner_shown((unsigned)geteuid());
    char *r = md_xasprintf("who could swap the build's staging directory for a symlink while it "
                           "runs and have the outputs written elsewhere as %s: build into a "
                           "directory that only you (or root) can change, and hand the files "
                           "over after, or run mkdom0 as that user", me);
    free(me);
    return r;
}

static int locate_output(md_imgdir_stage *s, const char *outdir, bool *exists, md_err *err)
{
    struct stat st, lst;
    if (!*outdir)
        return md_err_set(err, "the output directory's name is empty");
    if (check_symlinks(outdir, err) < 0)
        return -1;
    *exists = stat(outdir, &st) == 0;
    if (!*exists && lstat(outdir, &lst) == 0)
        return md_err_set(err, "%s: a symlink to something that does not exist; make its "
                               "target directory or give -o another name", outdir);
    if (*exists && !S_ISDIR(st.st_mode))
        return md_err_set(err, "%s: exists and is not a directory", outdir);
    char *copy = md_xstrdup(outdir);
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/')
        copy[--n] = '\0';
    char *slash = strrchr(copy, '/');
    char *base = md_xstrdup(slash ? slash + 1 : copy);
    char *parent = !slash ? md_xstrdup(".") : slash == copy ? md_xstrdup("/")
                                                            : md_xasprintf("%.*s", (int)(slash - copy), copy);
    free(copy);
    char *real = NULL;
    int rc = 0;
    if (!*exists && check_names(outdir, NULL, base, err) < 0) {
        rc = -1; /* before its parents are made */
    } else if (*exists) {
        real = realpath(outdir, NULL);
    } else if (!strcmp(base, ".") || !strcmp(base, "..")) {
        rc = md_err_set(err, "%s: give the output directory by a name", outdir);
    } else {
        /* Its parents are made only once everything above them has passed
         * check_parent_safe's rule: a refused -o leaves nothing (trial 9e:
         * -o /tmp/nobodys/a/b/out left root's a/ and a/b/ there). */
        char *risk = parent_risk();
        char *rp = md_path_walk_trusted(parent, MD_WALK_CREATE | MD_WALK_STICKY_OK, 0755, risk,
                                        err);
        free(risk);
        real = rp ? md_xasprintf("%s/%s", strcmp(rp, "/") ? rp : "", base) : NULL;
        rc = rp ? 0 : -1;
        free(rp);
    }
    free(base);
    free(parent);
    if (rc < 0)
        return -1;
    if (!real)
        return md_err_errno(err, "%s", outdir);
    s->outdir = real;
    if (!strcmp(real, "/"))
        return md_err_set(err, "%s: the root directory cannot be an output directory", outdir);
    char *cwd = getcwd(NULL, 0);
    size_t rl = strlen(real);
    bool holds_cwd = cwd && !strncmp(cwd, real, rl) && (cwd[rl] == '/' || cwd[rl] == '\0');
    free(cwd);
    if (holds_cwd)
        return md_err_set(err, "%s: is the current directory or holds it, and a build replaces "
                               "its output directory as a whole; give -o a directory below the "
                               "current one (e.g. -o out)", outdir);
    if (*exists && md_file_system_dir(real))
        return md_err_set(err, "%s: a system directory (one under /, /usr, /var or /home, or "
                               "your home), and a build replaces its output directory as a whole, "
                               "--force or not; give -o a directory of its own", outdir);
    char *last = strrchr(real, '/');
    s->parent = last == real ? md_xstrdup("/") : md_xasprintf("%.*s", (int)(last - real), real);
    s->base = md_xstrdup(last + 1);
    return check_names(outdir, s->parent, s->base, err);
}

static int take_lock(md_imgdir_stage *s, md_err *err)
{
    char *lock = md_xasprintf("%s/.%s" LOCK_SUFFIX, s->parent, s->base);
    int rc = 0;
    s->lock_fd = md_file_open_lock(s->parent_fd, strrchr(lock, '/') + 1, lock, err);
    if (s->lock_fd < 0)
        rc = -1;
    else if (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0)
        rc = errno == EWOULDBLOCK
                 ? md_err_set(err, "%s: another mkdom0 build is writing this output (lock %s); "
                                   "wait for it or choose another -o", s->outdir, lock)
                 : md_err_errno(err, "%s: cannot lock", lock);
    free(lock);
    return rc;
}

/* The build writes its outputs by path, as the caller (often root): a
 * directory on the way to the output that someone else may change would
 * let them swap the staging directory for a symlink while the build runs,
 * and the outputs would land wherever it points.  So every directory from
 * / to `parent` (already resolved, no symlinks) must be trusted
 * (md_path_walk_trusted: root's or the caller's, sticky if others may
 * write it). */
static int check_parent_safe(const char *parent, md_err *err)
{
    char *risk = parent_risk();
    char *real = md_path_walk_trusted(parent, MD_WALK_STICKY_OK, 0, risk, err);
    int rc = real ? 0 : -1;
    free(risk);
    free(real);
    return rc;
}

/* An existing output directory another user owns or may write (trial 9:
 * one made 0777 by another user was published with its mode, and they
 * replaced grub.cfg in root's image) is refused before any work: it must
 * be root's or the caller's and writable by no one else, sticky or not. */
/* The existing output, before the build and again before it is replaced:
 * trusted, and no mount in it or on it.  Replacing it deletes it as a
 * whole, and a file system (or a bind mount, trial 9f case 1) mounted
 * there would have its files deleted, or, kept, would leave the old
 * output's staging name behind: refused, naming the mount point. */
/* It must be the caller's own (md_file_check_own), root's only to root:
 * root's build into a user's directory wrote the ssh host private keys
 * where that user could take them, and another caller could not rename
 * root's directory at the end of the build. */
static int check_output_safe(const md_imgdir_stage *s, md_err *err)
{
    if (md_file_check_own(s->outdir,
                          "who could change the image after the build (replace its grub.cfg, "
                          "xen.gz, vmlinuz or rootfs) or read its ssh host keys: choose an -o of "
                          "your own (one you make, or one that does not exist yet), and hand the "
                          "files over after, or run mkdom0 as that user", err) < 0)
        return -1;
    char *m = md_file_same_mount(s->outdir, s->parent) ? md_file_mount_in(s->outdir)
                                                         : md_xstrdup(s->outdir);
    if (!m)
        return 0;
    md_err_set(err, "%s: a mount point (another file system or a bind mount is mounted there), "
                    "and a build replaces its output directory as a whole, --force or not, "
                    "which would delete what is mounted: unmount it or choose another -o", m);
    free(m);
    return -1;
}

md_imgdir_stage *md_imgdir_stage_new(const char *outdir, md_codec codec, bool replace_foreign,
                                     md_err *err)
{
    md_imgdir_stage *s = md_xcalloc(1, sizeof *s);
    s->lock_fd = s->parent_fd = s->staging_fd = -1;
    s->codec = codec;
    s->replace_foreign = replace_foreign;
    s->rootfs_name = md_imgdir_rootfs_name(codec);
    bool exists;
    if (md_path_printable("output directory", outdir, err) < 0 ||
        locate_output(s, outdir, &exists, err) < 0 || check_parent_safe(s->parent, err) < 0)
        goto fail;
    /* From here on PARENT is this directory, whatever its path comes to
     * name: the lock, the staging directory and the swap are made in it. */
    s->parent_fd = open(s->parent, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (s->parent_fd < 0) {
        md_err_errno(err, "%s: cannot open", s->parent);
        goto fail;
    }
    if ((exists && check_output_safe(s, err) < 0) || take_lock(s, err) < 0)
        goto fail;
    char *foreign = exists && !replace_foreign ? foreign_entry(s->outdir) : NULL;
    if (foreign) {
        md_err_set(err, "%s holds '%s', which mkdom0 build did not write; the build replaces the "
                        "whole directory: choose another -o, or give --force to replace it and "
                        "everything in it", outdir, foreign);
        free(foreign);
        goto fail;
    }
    remove_leftovers(s);
    char *prefix = md_xasprintf(".%s" STAGING_SUFFIX, s->base);
    s->staging_name = mkdtemp_at(s->parent_fd, prefix);
    free(prefix);
    if (!s->staging_name) {
        md_err_errno(err, "%s: cannot make a staging directory", s->parent);
        goto fail;
    }
    s->staging = md_xasprintf("%s/%s", s->parent, s->staging_name);
    s->staging_fd = openat(s->parent_fd, s->staging_name,
                           O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (s->staging_fd < 0) {
        md_err_errno(err, "%s: cannot open the staging directory", s->staging);
        goto fail;
    }
    for (int f = 0; f < MD_IMGDIR_NALL; f++) {
        s->path[f] = md_xasprintf("%s/%s", s->staging, stage_name(s, (md_imgdir_file)f));
        s->wanted[f] = f < MD_IMGDIR_NFILES;
    }
    return s;
fail:
    md_imgdir_stage_free(s);
    return NULL;
}

bool md_imgdir_stage_holds(const md_imgdir_stage *s, const char *path)
{
    /* The longest existing prefix resolved, the rest as written. */
    char *p = md_xstrdup(path), *tail = NULL, *real = NULL;
    for (;;) {
        if ((real = realpath(p, NULL)))
            break;
        char *slash = strrchr(p, '/');
        if (!slash || slash == p) {
            real = slash ? md_xstrdup("") : getcwd(NULL, 0);
            tail = slash ? p + 1 : p;
            break;
        }
        *slash = '\0';
        tail = slash + 1;
    }
    if (!real)
        real = md_xstrdup("");
    char *full = tail ? md_xasprintf("%s/%s", real, path + (tail - p)) : md_xstrdup(real);
    size_t n = strlen(s->outdir);
    bool inside = !strncmp(full, s->outdir, n) && (full[n] == '/' || full[n] == '\0');
    free(full);
    free(real);
    free(p);
    return inside;
}

void md_imgdir_stage_add(md_imgdir_stage *s, md_imgdir_file f)
{
    if (f >= MD_IMGDIR_NFILES && f < MD_IMGDIR_NALL)
        s->wanted[f] = true;
}

const char *md_imgdir_stage_path(const md_imgdir_stage *s, md_imgdir_file f)
{
    return s->path[f];
}

int md_imgdir_stage_write(md_imgdir_stage *s, md_imgdir_file f, const void *data, size_t len,
                          md_err *err)
{
    return md_write_atomic(s->path[f], data, len, 0644, err);
}

/* image.ini is read line by line (inih), so a value with a newline would
 * write keys and sections of its own there: a spec file or keys directory
 * whose name another user chose must not add a [Host] that inspect then
 * calls verified (trial 9d case 07).  Any control character is refused. */
/* The longest line image.ini's reader takes: inih's INI_MAX_LINE (200 in
 * Debian's build) less the newline and the NUL. */
#define INI_LINE_MAX 198

static int ini_value_ok(const char *key, const char *v, md_err *err)
{
    /* "ClientKey=" KEYSDIR "/" the client key is the longest line a value
     * makes; every value is held to it, so that boot and inspect can read
     * what build wrote (trial 9e: a 200-byte spec path made image.ini
     * unreadable) */
    size_t line = strlen("ClientKey=/") + strlen(MD_SSHKEYS_CLIENT_KEY) + strlen(v);
    if (line > INI_LINE_MAX)
        return md_err_set(err, "image.ini: %s=%.40s... would make a line of %zu bytes, over the %d "
                               "bytes image.ini's reader takes: use a shorter path",
                          key, v, line, INI_LINE_MAX);
    for (const unsigned char *p = (const unsigned char *)v; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return md_err_set(err, "image.ini: %s= would hold a control character (byte 0x%02x at "
                                   "%zu): a name with a newline or other control character cannot "
                                   "be written there; rename it",
                              key, *p, (size_t)(p - (const unsigned char *)v));
    return 0;
}

static int ini_values_ok(const md_imgdir_info *i, md_err *err)
{
    const struct { const char *key, *v; } top[] = {
        { "Name", i->name }, { "Spec", i->spec }, { "Xen", i->xen }, { "Toolstack", i->toolstack },
        { "Kernel", i->kernel }, { "KeysDir", i->keys_dir },
    };
    for (size_t k = 0; k < sizeof top / sizeof *top; k++)
        if (ini_value_ok(top[k].key, top[k].v, err) < 0)
            return -1;
    for (size_t h = 0; h < i->nhosts; h++) {
        const md_imgdir_host *x = &i->hosts[h];
        const char *hv[] = { x->name, x->mac, x->hostname, x->address, x->host_key };
        for (size_t k = 0; k < sizeof hv / sizeof *hv; k++)
            if (ini_value_ok("[Host]", hv[k], err) < 0)
                return -1;
    }
    return 0;
}

int md_imgdir_stage_write_ini(md_imgdir_stage *s, const md_imgdir_info *i, md_err *err)
{
    if (ini_values_ok(i, err) < 0)
        return -1;
    char sha[65];
    if (md_sha256_file(s->path[MD_IMGDIR_ROOTFS], sha, err) < 0)
        return -1;
    md_strv text = { 0 };
    md_strv_pushf(&text,
        "# Written by mkdom0 build; read by mkdom0 boot and inspect.\n"
        "[Image]\nName=%s\nSpec=%s\nXen=%s\nToolstack=%s\nKernel=%s\n"
        "SourceDateEpoch=%lld\nRootfs=%s\nRootfsSHA256=%s\nModules=%zu\n\n"
        "[SSH]\nKeysDir=%s\nClientKey=%s/%s\n",
        i->name, i->spec, i->xen, i->toolstack, i->kernel, i->source_date_epoch, s->rootfs_name,
        sha, i->modules, i->keys_dir, i->keys_dir, MD_SSHKEYS_CLIENT_KEY);
    /* Appended, not copied whole at each host: that made a build quadratic
     * in its hosts. */
    for (size_t h = 0; h < i->nhosts; h++) {
        const md_imgdir_host *x = &i->hosts[h];
        md_strv_pushf(&text, "\n[Host %s]\nMAC=%s\nHostname=%s\nAddress=%s\nHostKey=%s\n", x->name,
                      x->mac, x->hostname, x->address, x->host_key);
    }
    char *all = md_strv_join(&text, "");
    md_strv_free(&text);
    size_t len = strlen(all);
    int r = len > MD_IMGDIR_INI_MAX
                ? md_err_set(err, "image.ini: %zu hosts make %zu bytes, more than the %zu MiB "
                                  "mkdom0 boot and inspect read of it: split the spec's hosts "
                                  "between images", i->nhosts, len, MD_IMGDIR_INI_MAX >> 20)
                : md_imgdir_stage_write(s, MD_IMGDIR_INI, all, len, err);
    free(all);
    return r;
}

int md_imgdir_publish(md_imgdir_stage *s, md_err *err)
{
    /* The directory published is the one made: a staging name that now
     * holds another directory (or a symlink) is refused. */
    struct stat made, now;
    if (fstat(s->staging_fd, &made) < 0 ||
        fstatat(s->parent_fd, s->staging_name, &now, AT_SYMLINK_NOFOLLOW) < 0 ||
        made.st_dev != now.st_dev || made.st_ino != now.st_ino)
        return md_err_set(err, "%s: no longer the staging directory this build made (replaced "
                               "while it ran); the output is left as it was", s->staging);
    for (int f = 0; f < MD_IMGDIR_NALL; f++) {
        struct stat st;
        bool dir = md_imgdir_is_dir((md_imgdir_file)f);
        /* looked at in the directory made, not at the path: a file written
         * elsewhere is not written */
        if (s->wanted[f] && (fstatat(s->staging_fd, stage_name(s, (md_imgdir_file)f), &st,
                                     AT_SYMLINK_NOFOLLOW) < 0 ||
                             (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))))
            return md_err_set(err, "%s: not written; the output is left as it was", s->path[f]);
    }
    struct stat old;
    bool replace = fstatat(s->parent_fd, s->base, &old, AT_SYMLINK_NOFOLLOW) == 0;
    if (replace && !S_ISDIR(old.st_mode))
        return md_err_set(err, "%s: no longer a directory; the output is left as it was",
                          s->outdir);
    /* What stage_new checked may have changed while the build ran (trial 9:
     * files the user saved into the output were deleted with it). */
    if (replace && check_output_safe(s, err) < 0) {
        md_err_prefix(err, "not published (the new output is removed, the old one left as it was)");
        return -1;
    }
    char *foreign = replace && !s->replace_foreign ? foreign_entry(s->outdir) : NULL;
    if (foreign) {
        md_err_set(err, "%s now holds '%s', which mkdom0 build did not write (added while the "
                        "build ran); the new output is removed and the old one left as it was: "
                        "move that file out and build again, or give --force to replace it",
                   s->outdir, foreign);
        free(foreign);
        return -1;
    }
    mode_t um = umask(0);
    umask(um);
    /* Never a mode that lets group or others write: they could change the
     * image (stage_new refused such an output; a new one would be refused
     * by the next build).  Nor one that lets others in: the rootfs and
     * every medium carry the dom0's and each [Host]'s ssh host private key
     * (trial 9d case 06), so the output is the owner's and its group's
     * (0750 under umask 022): a TFTP server that runs as its own user
     * reads it through the group, which a setgid parent directory gives
     * the output (kept here, as the kernel set it on the staging). */
    struct stat sst;
    if (fstat(s->staging_fd, &sst) < 0)
        return md_err_errno(err, "%s", s->staging);
    mode_t mode = (replace ? old.st_mode & 07777 : (0777 & ~um) | (sst.st_mode & S_ISGID)) &
                  ~(mode_t)(S_IWGRP | S_IRWXO);
    if (fchmod(s->staging_fd, mode) < 0)
        return md_err_errno(err, "%s", s->staging);
    if (renameat2(s->parent_fd, s->staging_name, s->parent_fd, s->base,
                  replace ? RENAME_EXCHANGE : RENAME_NOREPLACE) < 0)
        return md_err_errno(err, "%s: cannot %s (renameat2 in %s; the output must not be a "
                                 "mount point, on a filesystem that can swap directories)",
                            s->outdir, replace ? "swap in the new output" : "move the new output into place",
                            s->parent);
    /* The staging name now holds the previous output (or nothing). */
    if (replace)
        remove_ours(s, s->staging_name);
    return 0;
}

void md_imgdir_stage_free(md_imgdir_stage *s)
{
    if (!s)
        return;
    if (s->staging_name)
        remove_ours(s, s->staging_name);
    if (s->lock_fd >= 0)
        close(s->lock_fd); /* the lock file stays: unlinking it would let two builds lock two files */
    if (s->staging_fd >= 0)
        close(s->staging_fd);
    if (s->parent_fd >= 0)
        close(s->parent_fd);
    free(s->staging_name);
    for (int f = 0; f < MD_IMGDIR_NALL; f++)
        free(s->path[f]);
    free(s->staging);
    free(s->rootfs_name);
    free(s->outdir);
    free(s->parent);
    free(s->base);
    free(s);
}
