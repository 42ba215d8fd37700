#include "setup.h"

#include <dirent.h>
#include <errno.h>
#include <fnmatch.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "moddep.h"
#include "procmisc.h"

/* statfs f_type values (linux/magic.h), spelled out so the static build
 * needs no kernel headers beyond libc's. */
#define MAGIC_PROC   0x9fa0UL
#define MAGIC_SYSFS  0x62656572UL
#define MAGIC_DEVPTS 0x1cd1UL
#define MAGIC_XENFS  0xabba1974UL

#ifndef MODULE_INIT_COMPRESSED_FILE
#define MODULE_INIT_COMPRESSED_FILE 4
#endif

const char *const d0_setup_xen_modules[] = {
    "xen-evtchn", "xen-gntdev", "xen-gntalloc", "xen-privcmd", "xenfs",
};
const size_t d0_setup_xen_modules_n = sizeof d0_setup_xen_modules / sizeof *d0_setup_xen_modules;
/* The guests' backends: vifs, vbds, and loop for file-backed disks (Xen's
 * block hotplug script attaches them with losetup). */
const char *const d0_setup_xen_optional[] = { "xen-netback", "xen-blkback", "loop" };
const size_t d0_setup_xen_optional_n = sizeof d0_setup_xen_optional / sizeof *d0_setup_xen_optional;

/* ---- device nodes ---- */

d0_node_act d0_setup_node_decide(const struct stat *st, unsigned maj, unsigned min,
                                 char *why, size_t whylen)
{
    if (whylen)
        why[0] = '\0';
    if (!st)
        return D0_NODE_CREATE;
    if (S_ISCHR(st->st_mode)) {
        if (major(st->st_rdev) == maj && minor(st->st_rdev) == min)
            return D0_NODE_OK;
        snprintf(why, whylen, "char %u:%u instead of %u:%u", major(st->st_rdev),
                 minor(st->st_rdev), maj, min);
        return D0_NODE_REPLACE;
    }
    if (S_ISDIR(st->st_mode)) {
        snprintf(why, whylen, "a directory is in the way");
        return D0_NODE_CONFLICT;
    }
    const char *what = S_ISREG(st->st_mode)    ? "a regular file"
                       : S_ISLNK(st->st_mode)  ? "a symlink"
                       : S_ISBLK(st->st_mode)  ? "a block device"
                       : S_ISFIFO(st->st_mode) ? "a fifo"
                       : S_ISSOCK(st->st_mode) ? "a socket"
                                               : "not a device";
    snprintf(why, whylen, "%s instead of char %u:%u", what, maj, min);
    return D0_NODE_REPLACE;
}

int d0_setup_node(d0_ctx *c, const char *path, unsigned maj, unsigned min, mode_t mode)
{
    struct stat st;
    char why[128];
    int have = d0_lstat(c, path, &st) == 0;
    if (!have && errno != ENOENT) {
        d0_fail(c, "cannot inspect %s: %s", path, strerror(errno));
        return -1;
    }
    switch (d0_setup_node_decide(have ? &st : NULL, maj, min, why, sizeof why)) {
    case D0_NODE_OK:
        return 0;
    case D0_NODE_CONFLICT:
        d0_fail(c, "cannot create %s (char %u:%u): %s", path, maj, min, why);
        return -1;
    case D0_NODE_REPLACE:
        if (d0_unlink(c, path, why) < 0)
            return -1;
        /* fall through */
    case D0_NODE_CREATE:
        break;
    }
    return d0_mknod_chr(c, path, maj, min, mode);
}

/* ---- mounts ---- */

static int mount_magic(d0_ctx *c, const char *fstype, const char *path, mode_t dirmode,
                       unsigned long magic, unsigned long flags, const char *data)
{
    if (d0_mkdir(c, path, dirmode) < 0)
        return -1;
    if (d0_fs_magic(c, path) == magic)
        return 0;
    return d0_mount(c, fstype, path, fstype, flags, data);
}

int d0_setup_mounts(d0_ctx *c)
{
    int before = c->failures;
    mount_magic(c, "proc", "/proc", 0555, MAGIC_PROC, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    mount_magic(c, "sysfs", "/sys", 0555, MAGIC_SYSFS, MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);

    if (d0_mkdir(c, "/dev", 0755) == 0 && !d0_is_mountpoint(c, "/dev")) {
        /* devtmpfs makes every node (Xen ones included) by itself; a kernel
         * without it gets a tmpfs and the nodes d0_setup_devices makes. */
        int r = d0_mount_try(c, "devtmpfs", "/dev", "devtmpfs", MS_NOSUID, "mode=0755");
        if (r == -2) {
            d0_info(c, "kernel has no devtmpfs: /dev is a tmpfs, nodes made by hand");
            d0_mount(c, "tmpfs", "/dev", "tmpfs", MS_NOSUID, "mode=0755");
        }
    }
    /* sshd and every login need ptys. */
    mount_magic(c, "devpts", "/dev/pts", 0755, MAGIC_DEVPTS, MS_NOSUID | MS_NOEXEC,
                "gid=5,mode=0620,ptmxmode=0666");
    if (d0_mkdir(c, "/dev/shm", 01777) == 0 && !d0_is_mountpoint(c, "/dev/shm"))
        d0_mount(c, "tmpfs", "/dev/shm", "tmpfs", MS_NOSUID | MS_NODEV, "mode=1777");
    return c->failures == before ? 0 : -1;
}

/* ---- /dev ---- */

static const struct {
    const char *path;
    unsigned maj, min;
    mode_t mode;
} base_nodes[] = {
    { "/dev/console", 5, 1, 0600 }, { "/dev/null", 1, 3, 0666 },
    { "/dev/zero", 1, 5, 0666 },    { "/dev/full", 1, 7, 0666 },
    { "/dev/random", 1, 8, 0666 },  { "/dev/urandom", 1, 9, 0666 },
    { "/dev/kmsg", 1, 11, 0644 },   { "/dev/tty", 5, 0, 0666 },
    { "/dev/ptmx", 5, 2, 0666 },
    /* The dom0's console under Xen PV (trap 1).  0600 root like devtmpfs
     * makes it, so both paths give the same node; login(1) hands the tty
     * to whoever logs in, and only root does here. */
    { "/dev/hvc0", 229, 0, 0600 },
};

static const struct {
    const char *path, *target;
} base_links[] = {
    { "/dev/fd", "/proc/self/fd" },
    { "/dev/stdin", "/proc/self/fd/0" },
    { "/dev/stdout", "/proc/self/fd/1" },
    { "/dev/stderr", "/proc/self/fd/2" },
};

/* The Xen devices xenstored, xenconsoled and xl cannot work without, and the
 * module that provides each. */
static const struct {
    const char *name, *module;
} xen_needed[] = {
    { "evtchn", "xen-evtchn" },
    { "gntdev", "xen-gntdev" },
    { "privcmd", "xen-privcmd" },
};

static int xen_nodes(d0_ctx *c, const char *proc_misc)
{
    char pbuf[4096];
    const char *path = proc_misc;
    if (!path && !(path = d0_path(c, "/proc/misc", pbuf, sizeof pbuf)))
        return -1;
    d0_err e = { 0 };
    char *text;
    if (d0_read_file(path, &text, NULL, &e) < 0) {
        d0_fail(c, "%s (is /proc mounted?); /dev/xen not created", e.msg);
        return -1;
    }
    d0_misc m;
    d0_misc_parse(text, &m);
    free(text);
    if (m.bad)
        d0_warn(c, "%s: %zu malformed line%s ignored (first at line %u)", path, m.bad,
                m.bad == 1 ? "" : "s", m.first_bad_line);
    int r = 0;
    if (m.n == 0) {
        d0_fail(c, "%s lists no xen/* devices: the Xen modules are not loaded "
                   "or this kernel is not running as a Xen dom0", path);
        d0_misc_free(&m);
        return -1;
    }
    if (d0_mkdir(c, "/dev/xen", 0755) < 0) {
        d0_misc_free(&m);
        return -1;
    }
    for (size_t i = 0; i < m.n; i++) {
        char node[128];
        snprintf(node, sizeof node, "/dev/xen/%s", m.devs[i].name);
        if (d0_setup_node(c, node, D0_MISC_MAJOR, m.devs[i].minor, 0600) < 0)
            r = -1;
    }
    for (size_t i = 0; i < sizeof xen_needed / sizeof *xen_needed; i++)
        if (!d0_misc_find(&m, xen_needed[i].name)) {
            d0_fail(c, "%s has no xen/%s: module %s is not loaded; xenstored will fail",
                    path, xen_needed[i].name, xen_needed[i].module);
            r = -1;
        }
    d0_misc_free(&m);
    return r;
}

int d0_setup_base_devices(d0_ctx *c)
{
    int before = c->failures;
    if (d0_mkdir(c, "/dev", 0755) == 0) {
        for (size_t i = 0; i < sizeof base_nodes / sizeof *base_nodes; i++)
            d0_setup_node(c, base_nodes[i].path, base_nodes[i].maj, base_nodes[i].min,
                          base_nodes[i].mode);
        for (size_t i = 0; i < sizeof base_links / sizeof *base_links; i++) {
            struct stat st;
            if (d0_lstat(c, base_links[i].path, &st) < 0)
                d0_symlink(c, base_links[i].target, base_links[i].path);
        }
    }
    return c->failures == before ? 0 : -1;
}

int d0_setup_xen_devices(d0_ctx *c, const char *proc_misc)
{
    int before = c->failures;
    xen_nodes(c, proc_misc);
    return c->failures == before ? 0 : -1;
}

int d0_setup_devices(d0_ctx *c, const char *proc_misc)
{
    int before = c->failures;
    d0_setup_base_devices(c);
    d0_setup_xen_devices(c, proc_misc);
    return c->failures == before ? 0 : -1;
}

/* ---- modules ---- */

static const char *load_hint(int err, int compressed)
{
    if ((err == EINVAL || err == EOPNOTSUPP) && !compressed)
        return " (the kernel rejects this module file)";
    switch (err) {
    case ENOEXEC: return " (not a module for this kernel: index and kernel from different builds?)";
    case ENOENT: return " (the index names a file the image does not have: trap 5)";
    case EKEYREJECTED:
    case EBADMSG: return " (signature rejected: module.sig_enforce with a foreign module)";
    case EPERM: return " (not permitted: not root, or module loading disabled)";
    case EOPNOTSUPP:
    case EINVAL: return " (the kernel cannot load this file; compressed modules need "
                        "CONFIG_MODULE_DECOMPRESS, so store them uncompressed)";
    default: return " (the module's init failed: see dmesg)";
    }
}

static int module_loaded(d0_ctx *c, const char *path)
{
    char name[128], sys[256];
    struct stat st;
    snprintf(sys, sizeof sys, "/sys/module/%s", d0_moddep_name(path, name, sizeof name));
    return d0_lstat(c, sys, &st) == 0;
}

/* Returns 0 or the errno of the failed load (reported by the caller). */
static int load_one(d0_ctx *c, const char *moddir, const char *path, char *msg, size_t msglen)
{
    char img[4096], host[4096];
    if (path[0] == '/')
        snprintf(img, sizeof img, "%s", path);
    else
        snprintf(img, sizeof img, "%s/%s", moddir, path);
    if (!d0_path(c, img, host, sizeof host))
        return ENAMETOOLONG;
    if (c->dry_run) {
        fprintf(c->plan ? c->plan : stdout, "load %s\n", img);
        return 0;
    }
    int fd = open(host, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int err = errno;
        snprintf(msg, msglen, "cannot open %.900s: %s%s", img, strerror(err), load_hint(err, d0_moddep_compressed(path)));
        return err;
    }
    int flags = d0_moddep_compressed(path) ? MODULE_INIT_COMPRESSED_FILE : 0;
    long r = syscall(SYS_finit_module, fd, "", flags);
    int err = r < 0 ? errno : 0;
    close(fd);
    if (err == EEXIST)
        return 0; /* loaded meanwhile, or by another name: what we wanted */
    if (err)
        snprintf(msg, msglen, "cannot load %.900s: %s%s", img, strerror(err), load_hint(err, flags != 0));
    return err;
}

static void load_module(d0_ctx *c, const d0_moddep *idx, const char *moddir, const char *name,
                        int required, const char ***done, size_t *ndone)
{
    if (d0_moddep_builtin(idx, name))
        return;
    if (!d0_moddep_has(idx, name)) {
        if (module_loaded(c, name))
            return; /* built in without an index line, or loaded by hand */
        if (required)
            d0_fail(c, "module %s is not in %s/modules.dep: the image lacks it", name, moddir);
        return;
    }
    const char **order = NULL;
    size_t n = 0;
    d0_err e = { 0 };
    if (d0_moddep_order(idx, name, &order, &n, &e) < 0) {
        if (required)
            d0_fail(c, "%s", e.msg);
        else
            d0_warn(c, "%s", e.msg);
        free(order);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        int seen = 0;
        for (size_t k = 0; k < *ndone && !seen; k++)
            seen = strcmp((*done)[k], order[i]) == 0;
        if (seen || module_loaded(c, order[i]))
            continue;
        char msg[1024];
        if (load_one(c, moddir, order[i], msg, sizeof msg) != 0) {
            if (required)
                d0_fail(c, "%s (needed for %s)", msg, name);
            else
                d0_warn(c, "%s (optional %s not loaded)", msg, name);
            break; /* what depends on it cannot load either */
        }
        const char **nd = realloc(*done, (*ndone + 1) * sizeof *nd);
        if (!nd)
            abort();
        *done = nd;
        (*done)[(*ndone)++] = order[i];
    }
    free(order);
}

/* The index of kernel `kver` (NULL: the running one): modules.dep and
 * modules.builtin under <root>/lib/modules/KVER, whose image path goes to
 * moddir.  NULL with the reason in *e (e->set) when the index is damaged;
 * NULL with e->set clear and *absent set when there is no modules.dep. */
static d0_moddep *open_index(d0_ctx *c, const char *kver, char *moddir, size_t size,
                             int *absent, d0_err *e)
{
    struct utsname u;
    *absent = 0;
    if (!kver) {
        if (uname(&u) < 0)
            return d0_err_set(e, "uname: %s", strerror(errno)), NULL;
        kver = u.release;
    }
    char dep_img[600], builtin_img[600], dep_host[4096], builtin_host[4096];
    snprintf(moddir, size, "/lib/modules/%s", kver);
    snprintf(dep_img, sizeof dep_img, "%s/modules.dep", moddir);
    snprintf(builtin_img, sizeof builtin_img, "%s/modules.builtin", moddir);
    if (!d0_path(c, dep_img, dep_host, sizeof dep_host) ||
        !d0_path(c, builtin_img, builtin_host, sizeof builtin_host))
        return d0_err_set(e, "%s: path too long", dep_img), NULL;
    char *dep = NULL, *builtin = NULL;
    if (d0_read_file(dep_host, &dep, NULL, e) < 0) {
        *absent = 1;
        return NULL;
    }
    d0_err ignore = { 0 };
    if (d0_read_file(builtin_host, &builtin, NULL, &ignore) < 0)
        builtin = NULL; /* optional: without it built-ins are found in /sys/module */
    d0_moddep *idx = d0_moddep_parse(dep, builtin, dep_img, e);
    free(dep);
    free(builtin);
    return idx;
}

int d0_setup_modules(d0_ctx *c, const char *kver, const char *const *required, size_t nreq,
                     const char *const *optional, size_t nopt)
{
    int before = c->failures, absent;
    char moddir[512];
    d0_err e = { 0 };
    d0_moddep *idx = open_index(c, kver, moddir, sizeof moddir, &absent, &e);
    if (!idx && absent) {
        /* A kernel with everything built in needs no index: only a module
         * that is not there yet makes the missing index an error. */
        size_t missing = 0;
        for (size_t i = 0; i < nreq; i++)
            missing += !module_loaded(c, required[i]);
        if (missing)
            d0_fail(c, "%s: the image has no module index for kernel %s (it must be "
                       "built for the kernel it boots)", e.msg, moddir + strlen("/lib/modules/"));
        return missing ? -1 : 0;
    }
    if (!idx) {
        d0_fail(c, "%s", e.msg);
        return -1;
    }
    const char **done = NULL;
    size_t ndone = 0;
    for (size_t i = 0; i < nreq; i++)
        load_module(c, idx, moddir, required[i], 1, &done, &ndone);
    for (size_t i = 0; i < nopt; i++)
        load_module(c, idx, moddir, optional[i], 0, &done, &ndone);
    free(done);
    d0_moddep_free(idx);
    return c->failures == before ? 0 : -1;
}

/* ---- directories ---- */

int d0_setup_dirs(d0_ctx *c)
{
    static const struct { const char *path; mode_t mode; } dirs[] = {
        { "/run/xenstored", 0755 }, { "/var/lib/xen", 0755 }, { "/run/xen", 0700 },
        { "/var/lib/xen/dump", 0700 }, { "/var/log/xen", 0750 },
    };
    int before = c->failures;
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
        d0_mkdir(c, dirs[i].path, dirs[i].mode);
    return c->failures == before ? 0 : -1;
}

/* ---- OpenRC ---- */

/* The id of group `name` in <root>/etc/group ("name:x:GID:members"), or
 * `fallback` when it has none: the dom0 has no NSS to ask. */
static gid_t group_id(d0_ctx *c, const char *name, gid_t fallback)
{
    char path[4096];
    char *text = NULL;
    d0_err e = { 0 };
    if (!d0_path(c, "/etc/group", path, sizeof path) || d0_read_file(path, &text, NULL, &e) < 0)
        return fallback;
    gid_t gid = fallback;
    size_t n = strlen(name);
    for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, name, n) || line[n] != ':')
            continue;
        const char *f = strchr(line + n + 1, ':');
        char *end;
        unsigned long v = f ? strtoul(f + 1, &end, 10) : 0;
        if (f && end != f + 1 && *end == ':')
            gid = (gid_t)v;
        break;
    }
    free(text);
    return gid;
}

int d0_setup_openrc(d0_ctx *c)
{
    int before = c->failures;
    /* init.sh: mode=0755,nosuid,nodev,nr_inodes=800k,size=20%,strictatime */
    if (d0_mkdir(c, "/run", 0755) == 0 && !d0_is_mountpoint(c, "/run"))
        d0_mount(c, "tmpfs", "/run", "tmpfs", MS_NOSUID | MS_NODEV | MS_STRICTATIME,
                 "mode=0755,nr_inodes=800k,size=20%");
    if (d0_mkdir(c, "/run/openrc", 0755) < 0)
        return -1;
    /* The state directories every OpenRC command makes before it looks at
     * the dependency tree (librc-depend.c depdirs): a service started by
     * itself, before any `openrc`, needs them for its lock. */
    static const char *const state[] = { "starting", "started", "stopping", "inactive",
                                         "wasinactive", "failed", "hotplugged", "daemons",
                                         "options", "exclusive", "scheduled", "tmp" };
    for (size_t i = 0; i < sizeof state / sizeof *state; i++) {
        char dir[64];
        snprintf(dir, sizeof dir, "/run/openrc/%s", state[i]);
        d0_mkdir(c, dir, 0755);
    }
    if (d0_mkdir(c, "/run/lock", 0775) == 0)
        d0_chown(c, "/run/lock", 0, group_id(c, "uucp", 0));
    struct stat st;
    char dir[4096];
    struct dirent **ents = NULL;
    int n = -1;
    if (d0_lstat(c, "/lib/rc/cache/softlevel", &st) == 0 && d0_path(c, "/lib/rc/cache", dir, sizeof dir))
        n = scandir(dir, &ents, NULL, alphasort);
    for (int i = 0; i < n; i++) {
        const char *name = ents[i]->d_name;
        char src[4096 + 300], img[300];
        snprintf(src, sizeof src, "%s/%s", dir, name);
        char *data = NULL;
        size_t len = 0;
        d0_err e = { 0 };
        if (name[0] == '.' || strlen(name) > 200 || lstat(src, &st) < 0 || !S_ISREG(st.st_mode))
            ;
        else if (d0_read_file(src, &data, &len, &e) < 0)
            d0_fail(c, "%s: OpenRC will make its dependency cache itself", e.msg);
        else {
            snprintf(img, sizeof img, "/run/openrc/%s", name);
            d0_write_file(c, img, data, len, st.st_mode & 07777, (long long)st.st_mtime);
        }
        free(data);
        free(ents[i]);
    }
    free(ents);
    d0_write_file(c, "/run/openrc/softlevel", "sysinit\n", 8, 0644, -1);
    return c->failures == before ? 0 : -1;
}

int d0_setup_conf_words(d0_ctx *c, const char *file, const char *var, char **text,
                        const char **words, size_t max, size_t *n)
{
    char path[4096];
    struct stat st;
    d0_err e = { 0 };
    *text = NULL;
    *n = 0;
    if (!d0_path(c, file, path, sizeof path))
        return -1;
    if (d0_lstat(c, file, &st) < 0)
        return 0;
    if (d0_read_file(path, text, NULL, &e) < 0) {
        d0_fail(c, "%s", e.msg);
        return -1;
    }
    /* The last assignment wins, as when the shell sources the file. */
    char *val = NULL;
    int lineno = 0, at = 0;
    size_t vl = strlen(var);
    for (char *line = *text; line; ) {
        char *next = strchr(line, '\n');
        if (next)
            *next++ = '\0';
        lineno++;
        while (*line == ' ' || *line == '\t')
            line++;
        if (!strncmp(line, var, vl) && line[vl] == '=')
            val = line + vl + 1, at = lineno;
        line = next;
    }
    if (!val)
        return 0;
    char q = (*val == '"' || *val == '\'') ? *val++ : 0;
    char *end = q ? strchr(val, q) : val + strcspn(val, " \t#");
    const char *rest = end && q ? end + 1 : end;
    if (!end || strpbrk(val, "$`\\;") || (rest && rest[strspn(rest, " \t")] &&
                                           rest[strspn(rest, " \t")] != '#')) {
        d0_fail(c, "%s:%d: %s= needs a shell to read: left to the OpenRC service", file, at, var);
        return -1;
    }
    *end = '\0';
    for (char *w = strtok(val, " \t"); w; w = strtok(NULL, " \t")) {
        if (*n == max) {
            d0_fail(c, "%s:%d: more than %zu words in %s=", file, at, max, var);
            return -1;
        }
        words[(*n)++] = w;
    }
    return 0;
}

int d0_setup_rc_xen_dom0(d0_ctx *c, const char *proc_misc, const char *kver)
{
    enum { MAX_EXTRA = 64 };
    const char *req[MAX_EXTRA + 16], *extra[MAX_EXTRA];
    size_t n = 0, nextra = 0;
    char *text = NULL;
    int before = c->failures;
    /* The OpenRC service's ebegin line, on the console before the kernel's. */
    printf(" * xen-dom0: loading Xen modules and drivers for present hardware, creating "
           "/dev/xen, mounting xenfs\n");
    fflush(stdout);
    if (d0_setup_conf_words(c, "/etc/conf.d/xen-dom0", "modules", &text, extra, MAX_EXTRA,
                            &nextra) < 0) {
        free(text);
        return -1;
    }
    for (size_t i = 0; i < d0_setup_xen_modules_n; i++)
        req[n++] = d0_setup_xen_modules[i];
    for (size_t i = 0; i < nextra; i++)
        req[n++] = extra[i];
    d0_setup_mounts(c);
    d0_setup_modules(c, kver, req, n, d0_setup_xen_optional, d0_setup_xen_optional_n);
    d0_setup_devices(c, proc_misc);
    d0_setup_xenfs(c);
    d0_setup_dirs(c);
    d0_setup_coldplug(c, kver);
    free(text);
    if (c->failures != before) {
        d0_warn(c, "xen-dom0 not marked started: OpenRC starts it again with \"boot\"");
        return -1;
    }
    return d0_symlink(c, "/etc/init.d/xen-dom0", "/run/openrc/started/xen-dom0");
}

/* ---- coldplug ---- */

/* A growing list of malloc'd strings. */
struct strs {
    char **v;
    size_t n;
};

static int strs_has(const struct strs *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], s))
            return 1;
    return 0;
}

static void strs_add(struct strs *l, const char *s)
{
    char **nv = realloc(l->v, (l->n + 1) * sizeof *nv);
    char *d = strdup(s);
    if (!nv || !d)
        abort();
    l->v = nv;
    l->v[l->n++] = d;
}

static void strs_free(struct strs *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

/* The modalias of every device under <root>/sys/bus/BUS/devices/DEV that
 * is not in `seen` yet, into `fresh` (and `seen`). */
static void scan_aliases(d0_ctx *c, struct strs *seen, struct strs *fresh)
{
    char bus_dir[4096];
    if (!d0_path(c, "/sys/bus", bus_dir, sizeof bus_dir))
        return;
    DIR *buses = opendir(bus_dir);
    if (!buses)
        return;
    struct dirent *b;
    while ((b = readdir(buses))) {
        if (b->d_name[0] == '.')
            continue;
        char dev_dir[4096 + 300];
        snprintf(dev_dir, sizeof dev_dir, "%s/%s/devices", bus_dir, b->d_name);
        DIR *devs = opendir(dev_dir);
        if (!devs)
            continue;
        struct dirent *d;
        while ((d = readdir(devs))) {
            if (d->d_name[0] == '.')
                continue;
            char path[sizeof dev_dir + 300], *text = NULL;
            snprintf(path, sizeof path, "%s/%s/modalias", dev_dir, d->d_name);
            d0_err e = { 0 };
            if (d0_read_file(path, &text, NULL, &e) < 0)
                continue; /* most devices have none */
            text[strcspn(text, "\n")] = '\0';
            if (text[0] && !strs_has(seen, text)) {
                strs_add(seen, text);
                strs_add(fresh, text);
            }
            free(text);
        }
        closedir(devs);
    }
    closedir(buses);
}

int d0_setup_coldplug(d0_ctx *c, const char *kver)
{
    int before = c->failures, absent;
    char moddir[512], alias_img[600], alias_host[4096];
    d0_err e = { 0 };
    d0_moddep *idx = open_index(c, kver, moddir, sizeof moddir, &absent, &e);
    if (!idx) {
        /* No index: no modules to load (the modules step says why, if
         * the Xen modules needed one). */
        if (!absent)
            d0_fail(c, "%s", e.msg);
        return absent ? 0 : -1;
    }
    snprintf(alias_img, sizeof alias_img, "%s/modules.alias", moddir);
    char *aliases = NULL;
    if (!d0_path(c, alias_img, alias_host, sizeof alias_host) ||
        d0_read_file(alias_host, &aliases, NULL, &e) < 0) {
        d0_moddep_free(idx);
        return 0; /* no module has an alias: nothing a device would load */
    }
    /* "alias PATTERN MODULE" lines (kmod's depmod writes them; '#' comments). */
    struct { const char *pattern, *module; } *tab = NULL;
    size_t ntab = 0;
    for (char *save = NULL, *line = strtok_r(aliases, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        char *ws = NULL, *kw = strtok_r(line, " \t", &ws), *pat = strtok_r(NULL, " \t", &ws),
             *mod = strtok_r(NULL, " \t", &ws);
        if (!kw || strcmp(kw, "alias") || !pat || !mod)
            continue;
        void *nt = realloc(tab, (ntab + 1) * sizeof *tab);
        if (!nt)
            abort();
        tab = nt;
        tab[ntab].pattern = pat;
        tab[ntab++].module = mod;
    }
    /* A bus driver loaded in one pass (virtio_pci) adds its devices
     * (virtio-rng, -net, -blk) as it probes, and only the next pass sees
     * their aliases: passes until none is new, three at most (udev loads
     * on each device's uevent instead).  Most aliases (CPU features, ACPI
     * ids) match no module of the image, which keeps only an allowlist. */
    struct strs seen = { 0 };
    const char **done = NULL;
    size_t ndone = 0;
    for (int pass = 0; pass < 3; pass++) {
        struct strs fresh = { 0 };
        scan_aliases(c, &seen, &fresh);
        size_t loaded = ndone;
        for (size_t i = 0; i < fresh.n; i++)
            for (size_t k = 0; k < ntab; k++)
                if (!fnmatch(tab[k].pattern, fresh.v[i], 0))
                    load_module(c, idx, moddir, tab[k].module, 0, &done, &ndone);
        size_t nfresh = fresh.n;
        strs_free(&fresh);
        /* Nothing new loaded: no driver can have added a device. */
        if (!nfresh || ndone == loaded)
            break;
    }
    strs_free(&seen);
    free(done);
    free(tab);
    free(aliases);
    d0_moddep_free(idx);
    return c->failures == before ? 0 : -1;
}

/* ---- xenfs ---- */

int d0_setup_xenfs(d0_ctx *c)
{
    struct stat st;
    /* In a dry run the modules step only printed its loads, so xenfs has
     * not made /proc/xen yet: show the mount that would follow. */
    if (d0_lstat(c, "/proc/xen", &st) < 0 && !c->dry_run) {
        d0_fail(c, "/proc/xen does not exist: the xenfs module is not loaded "
                   "(or this kernel is not running under Xen)");
        return -1;
    }
    if (d0_fs_magic(c, "/proc/xen") != MAGIC_XENFS &&
        d0_mount(c, "xenfs", "/proc/xen", "xenfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
        return -1;
    if (c->dry_run)
        return 0;
    char path[4096], *caps;
    d0_err e = { 0 };
    if (!d0_path(c, "/proc/xen/capabilities", path, sizeof path))
        return -1;
    if (d0_read_file(path, &caps, NULL, &e) < 0) {
        d0_fail(c, "%s", e.msg);
        return -1;
    }
    int dom0 = strstr(caps, "control_d") != NULL;
    free(caps);
    if (!dom0) {
        d0_fail(c, "/proc/xen/capabilities lacks control_d: this kernel runs as a Xen "
                   "guest, not as the dom0 (check the boot loader entry: multiboot2 xen.gz, "
                   "module2 vmlinuz)");
        return -1;
    }
    return 0;
}
