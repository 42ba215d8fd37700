#include "image/base.h"
#include "core/mem.h"
#include "core/strv.h"
#include "core/file.h"

#include <stdlib.h>
#include <string.h>

int md_base_add_text(md_tree *t, const char *path, unsigned mode, int64_t mtime,
                     const char *text, md_err *err)
{
    md_attr a = { mode, 0, 0, mtime };
    return md_tree_add_file(t, path, &a, (unsigned char *)md_xstrdup(text), strlen(text), "mkdom0",
                            MD_CLASH_REPLACE, err);
}

static int add_dirs(md_tree *t, int64_t mtime, md_err *err)
{
    static const struct { const char *path; unsigned mode; } dirs[] = {
        { "/dev", 0755 },  { "/proc", 0555 },    { "/sys", 0555 },     { "/run", 0755 },
        { "/tmp", 01777 }, { "/root", 0700 },    { "/etc", 0755 },     { "/var", 0755 },
        { "/var/log", 0755 }, { "/var/tmp", 01777 }, { "/var/lib", 0755 }, { "/mnt", 0755 },
        { "/home", 0755 },
    };
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        md_attr a = { dirs[i].mode, 0, 0, mtime };
        if (md_tree_add_dir(t, dirs[i].path, &a, "mkdom0", err) < 0)
            return -1;
    }
    return 0;
}

int md_base_layout(md_tree *t, md_err *err)
{
    /* /var/run and /var/lock point into /run as on Debian, so daemons that
     * still use the old paths (xenstored's socket, the hotplug scripts'
     * locks) meet the ones that use /run. */
    if (md_tree_add_layout_link(t, "/var/run", "/run", err) < 0 ||
        md_tree_add_layout_link(t, "/var/lock", "/run/lock", err) < 0) {
        md_err_prefix(err, "image layout");
        return -1;
    }
    return 0;
}

/* The kernel opens /dev/console before init runs and before anything can
 * mount devtmpfs; without the node init starts with no stdin/stdout. */
static int add_nodes(md_tree *t, int64_t mtime, md_err *err)
{
    md_attr console = { 0600, 0, 0, mtime }, null = { 0666, 0, 0, mtime };
    if (md_tree_add_device(t, "/dev/console", &console, MD_NODE_CHAR, 5, 1, "mkdom0", err) < 0)
        return -1;
    return md_tree_add_device(t, "/dev/null", &null, MD_NODE_CHAR, 1, 3, "mkdom0", err);
}

static int add_users(md_tree *t, const md_base_opts *o, md_err *err)
{
    /* sshd's privilege separation needs its user; nobody/nogroup own what
     * daemons drop to.  No maintainer script ran adduser for us. */
    const char *passwd =
        "root:x:0:0:root:/root:/bin/ash\n"
        "sshd:x:100:65534::/run/sshd:/usr/sbin/nologin\n"
        "nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n";
    const char *group =
        "root:x:0:\n"
        "tty:x:5:\n"
        "shadow:x:42:\n"
        "uucp:x:10:\n"
        "utmp:x:43:\n"
        "nogroup:x:65534:\n";
    /* "*" (not "!") keeps password logins impossible while OpenSSH still
     * accepts keys: it treats a leading "!" as a locked account. */
    char *shadow = md_xasprintf("root:%s:19000:0:99999:7:::\n"
                                "sshd:*:19000:0:99999:7:::\n"
                                "nobody:*:19000:0:99999:7:::\n",
                                o->root_hash ? o->root_hash : "*");
    int r = 0;
    if (md_base_add_text(t, "/etc/passwd", 0644, o->mtime, passwd, err) < 0 ||
        md_base_add_text(t, "/etc/group", 0644, o->mtime, group, err) < 0 ||
        md_base_add_text(t, "/etc/shadow", 0600, o->mtime, shadow, err) < 0)
        r = -1;
    free(shadow);
    return r;
}

int md_base_add_hostname(md_tree *t, const char *hostname, int64_t mtime, md_err *err)
{
    char *name = md_xasprintf("%s\n", hostname);
    char *hosts = md_xasprintf("127.0.0.1\tlocalhost\n127.0.1.1\t%s\n::1\tlocalhost\n",
                               hostname);
    int r = 0;
    if (md_base_add_text(t, "/etc/hostname", 0644, mtime, name, err) < 0 ||
        md_base_add_text(t, "/etc/hosts", 0644, mtime, hosts, err) < 0)
        r = -1;
    free(name);
    free(hosts);
    return r;
}

static int add_host(md_tree *t, const md_base_opts *o, md_err *err)
{
    return md_base_add_hostname(t, o->hostname, o->mtime, err);
}

int md_base_populate(md_tree *t, const md_base_opts *o, md_err *err)
{
    if (add_dirs(t, o->mtime, err) < 0 || add_nodes(t, o->mtime, err) < 0 ||
        add_users(t, o, err) < 0 || add_host(t, o, err) < 0) {
        md_err_prefix(err, "base filesystem");
        return -1;
    }
    return 0;
}

int md_base_busybox_links(md_tree *t, const md_strv *applets, int64_t mtime, md_err *err)
{
    if (!md_tree_resolve(t, "/bin/busybox"))
        return md_err_set(err, "busybox applets: /bin/busybox is not in the image");
    md_attr a = { 0777, 0, 0, mtime };
    int made = 0;
    for (size_t i = 0; i < applets->n; i++) {
        const char *p = applets->v[i];
        /* A real binary from a package (kmod's modprobe, sshd...) wins. */
        if (md_tree_resolve(t, p) || md_tree_lookup(t, p))
            continue;
        if (md_tree_add_symlink(t, p, &a, "/bin/busybox", "busybox-static", MD_CLASH_ERROR, err) < 0)
            return -1;
        made++;
    }
    return made;
}

int md_base_read_applets(const char *path, md_strv *out, md_err *err)
{
    unsigned char *data;
    size_t len;
    if (md_read_file(path, &data, &len, err) < 0)
        return -1;
    for (char *save = NULL, *line = strtok_r((char *)data, "\n", &save); line;
         line = strtok_r(NULL, "\n", &save)) {
        line += strspn(line, " \t");
        if (!*line || *line == '#')
            continue;
        line[strcspn(line, " \t\r#")] = '\0';
        if (line[0] != '/') {
            free(data);
            return md_err_set(err, "%s: applet '%s' is not an absolute path", path, line);
        }
        md_strv_push(out, line);
    }
    free(data);
    return 0;
}
