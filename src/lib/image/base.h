/* base — what the kernel and a login need before any package file: device
 * nodes the kernel opens before init, mount points, users and groups, the
 * host name; and busybox applet links.  Prefix md_base_. */
#ifndef MD_BASE_H
#define MD_BASE_H

#include "core/err.h"
#include "image/tree.h"
#include "core/strv.h"

typedef struct md_base_opts {
    const char *hostname;       /* required */
    const char *root_hash;      /* crypt(3) hash, or NULL: no password login for root */
    int64_t mtime;              /* for every entry made here */
} md_base_opts;

/* The image's own layout links, /var/run -> /run and /var/lock -> /run/lock
 * (md_tree_new(true) makes the merged-/usr ones): call it on a new tree,
 * before any package, so they win over what the packages ship (see tree.h). */
int md_base_layout(md_tree *t, md_err *err);

/* Directories, /dev/console and /dev/null, /etc/passwd, group, shadow,
 * hostname and hosts.  Files the packages already put there are replaced
 * (no maintainer script ever ran to fill them in). */
int md_base_populate(md_tree *t, const md_base_opts *o, md_err *err);

/* /etc/hostname and /etc/hosts (127.0.1.1 is the host name) for `hostname`:
 * what md_base_populate writes, and a host's identity ([Host NAME]). */
int md_base_add_hostname(md_tree *t, const char *hostname, int64_t mtime, md_err *err);

/* Add (or replace) a root-owned text file made by mkdom0; copies `text`. */
int md_base_add_text(md_tree *t, const char *path, unsigned mode, int64_t mtime,
                     const char *text, md_err *err);

/* For every path in `applets` (absolute, e.g. "/sbin/init") that no package
 * provides, a symlink to /bin/busybox.  Needs /bin/busybox in the tree.
 * Returns the number of links made, -1 on error. */
int md_base_busybox_links(md_tree *t, const md_strv *applets, int64_t mtime, md_err *err);

/* Read an applet list file: one absolute path per line, '#' comments.
 * The paths are pushed (copied) onto the caller's `out`, which the caller
 * frees with md_strv_free. */
int md_base_read_applets(const char *path, md_strv *out, md_err *err);

#endif
