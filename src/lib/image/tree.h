/* tree — the root filesystem as an in-memory model.
 *
 * Every entry has a type, mode, owner, mtime, and for files its content held
 * in memory; nothing is written to disk and nothing needs root, so owners and
 * modes are whatever the package archives say.  Iteration is in byte order of
 * the path, which is what makes the image deterministic.
 *
 * Paths are absolute ("/usr/bin/xl"); "//", "/./" and a trailing "/" are
 * normalised away.  Adding a path whose parent directories are missing
 * creates them (0755 root:root, mtime 0); a later md_tree_add_dir() of such
 * an implicit directory gives it that call's attributes and origin.  A path
 * that contains "..", or whose parent is a symlink (a write through a
 * symlink), is refused; so is one longer than MD_TREE_PATH_MAX bytes or
 * deeper than MD_TREE_DEPTH_MAX levels, whatever reader it comes from.
 *
 * The root "/" is always present (0755 root:root; md_tree_add_dir("/", ...)
 * sets its attributes once): it is the first node of the iteration and is
 * included in md_tree_count(); the image writer emits it as ".".
 *
 * usrmerge: when enabled (md_tree_new(true)), /bin /sbin /lib /lib32 /lib64
 * /libx32 are symlinks into /usr and entries added under them are stored
 * under /usr instead, as dpkg does on a merged-/usr Debian system.  /bin,
 * /sbin and /lib exist from the start, /lib32 /lib64 /libx32 once something
 * is added below them or below their /usr directory (trixie's libc6 ships
 * the ELF interpreter as /usr/lib64/ld-linux-x86-64.so.2 only, and base-files,
 * which a dom0 leaves out, the /lib64 link; Debian's usrmerge makes the link
 * whenever the directory exists).  The mapping applies to every path argument (lookup
 * and remove too) except the top-level names themselves: lookup("/bin") is
 * the symlink, add_dir("/bin") merges into /usr/bin, and a package's own
 * "/bin -> usr/bin" symlink is accepted as already present.
 *
 * Layout links generalise this: md_tree_add_layout_link("/var/run", "/run")
 * makes /var/run a symlink that wins over whatever is added later, as the
 * merged-/usr links do: a package's "/var/run/foo/" directories land under
 * /run/foo and its own "/var/run -> /run" link is accepted.  Some packages
 * ship /var/run as a directory; had it beaten the image's link, daemons
 * would put their sockets where others never look (design notes).
 *
 * Ownership: the tree owns its nodes; md_node pointers stay valid until the
 * node is removed or the tree freed.  md_tree_add_file() takes `data`
 * (malloc'd) whether it succeeds or not; `data` NULL with a `size` above 0
 * is a file whose content the tree does not hold (a reader that only needs
 * some files' content, image/unpack.h keep): it has its size and
 * attributes, md_node_data gives NULL, and it is never identical to
 * another file.
 */
#ifndef MD_TREE_H
#define MD_TREE_H

/* Paths the tree holds, normalised: at most PATH_MAX bytes (Linux's
 * include/uapi/linux/limits.h: the kernel's initramfs unpacker and the
 * path walk refuse longer names) and 256 levels, far deeper than any root
 * filesystem, so a hostile archive or directory of 100,000 levels costs an
 * error, not gigabytes or the stack. */
#define MD_TREE_PATH_MAX 4096
#define MD_TREE_DEPTH_MAX 256

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

typedef struct md_tree md_tree;
typedef struct md_node md_node;

typedef enum md_node_type {
    MD_NODE_DIR,
    MD_NODE_FILE,
    MD_NODE_SYMLINK,
    MD_NODE_HARDLINK, /* another name for a MD_NODE_FILE; see md_node_link_target */
    MD_NODE_CHAR,
    MD_NODE_BLOCK,
    MD_NODE_FIFO,
} md_node_type;

typedef struct md_attr {
    unsigned mode; /* permission bits incl. setuid/setgid/sticky, no type bits */
    unsigned uid, gid;
    int64_t mtime;
} md_attr;

/* What to do when the path exists already. */
typedef enum md_tree_clash {
    MD_CLASH_ERROR,   /* error naming both origins; identical entries are accepted
                       * (files: same content, mode, owner; symlinks: same target;
                       * devices: same type, numbers, mode; a directory twice) */
    MD_CLASH_REPLACE, /* overlays: the new entry wins */
} md_tree_clash;

md_tree *md_tree_new(bool usrmerge);
void md_tree_free(md_tree *t);

/* Make `link` (absolute) a layout link: a symlink with text `target`
 * (absolute or relative to the link's directory, e.g. "/run" or "usr/bin"),
 * whose target directory is created if missing (0755 root:root).  From then
 * on every path below `link` is stored below the target, adding `link` as a
 * directory merges into the target, and adding `link` as a symlink to the
 * same directory is a no-op.  Must come before anything is added at or
 * below `link`; errors if the target is "/", leaves the root, or goes
 * through another layout link. */
int md_tree_add_layout_link(md_tree *t, const char *link, const char *target, md_err *err);

/* `origin` names who added the entry (a package name, "overlay", "mkdom0")
 * and is used in conflict messages and size reports.  The tree copies it.
 * A symlink with a relative target that a layout link moves (an Alpine
 * package's /sbin/x -> ../usr/bin/y stored at /usr/sbin/x) gets the
 * target that leads where it led from its own place (../bin/y), when the
 * one it has would lead elsewhere (/usr/usr/bin/y: trial 13 F11). */
int md_tree_add_dir(md_tree *t, const char *path, const md_attr *a,
                    const char *origin, md_err *err);
int md_tree_add_file(md_tree *t, const char *path, const md_attr *a,
                     unsigned char *data, size_t size, const char *origin,
                     md_tree_clash clash, md_err *err);
int md_tree_add_symlink(md_tree *t, const char *path, const md_attr *a,
                        const char *target, const char *origin,
                        md_tree_clash clash, md_err *err);
/* `existing` must name a MD_NODE_FILE already in the tree (or a hardlink,
 * meaning its file).  A hardlink shares its file's attributes and content.
 * Removing the file turns the hardlink with the smallest path into the file. */
int md_tree_add_hardlink(md_tree *t, const char *path, const char *existing,
                         const char *origin, md_err *err);
int md_tree_add_device(md_tree *t, const char *path, const md_attr *a,
                       md_node_type type, unsigned major, unsigned minor,
                       const char *origin, md_err *err);

/* Remove a path and everything below it.  Returns the number removed. */
size_t md_tree_remove(md_tree *t, const char *path);
/* Remove every entry whose path matches the fnmatch(3) pattern (without
 * FNM_PATHNAME, so "*" crosses "/") unless it also matches one of `keep`.
 * Returns the number removed.  Directories are removed only if they end
 * up empty and match. */
size_t md_tree_filter(md_tree *t, const char *pattern, const char *const *keep);

/* Make every regular file whose bytes, mode, owner and mtime equal those
 * of another a hardlink to the one with the smallest path, so the archive
 * holds the bytes once (Debian ships the same license text in each of a
 * source package's binaries, OpenRC and xenstore-utils one program under
 * many names).  Files under /etc, /var, /root, /home, /run, /tmp and /srv,
 * which the running dom0 may change in place, and empty files stay apart.
 * Returns the number of files turned into hardlinks. */
size_t md_tree_link_duplicates(md_tree *t);

/* Exact lookup; symlinks are not followed.  NULL if absent. */
md_node *md_tree_lookup(const md_tree *t, const char *path);
/* Lookup following symlinks in every component (relative and absolute
 * targets, at most 40 hops).  NULL if absent or dangling. */
md_node *md_tree_resolve(const md_tree *t, const char *path);
/* md_tree_resolve, then a hardlink's target: the regular file at `path`;
 * NULL when absent, dangling or not a regular file. */
const md_node *md_tree_resolve_file(const md_tree *t, const char *path);
/* The content of md_tree_resolve_file(t, path) as a NUL-terminated copy
 * the caller frees (*len its size; len may be NULL), or NULL.  A file whose
 * content the tree does not hold (read past by md_unpack_keep_fn) reads as
 * empty text. */
char *md_tree_text(const md_tree *t, const char *path, size_t *len);

size_t md_tree_count(const md_tree *t);
/* In-order iteration: md_tree_first, then md_tree_next until NULL.  The tree
 * must not be modified while iterating. */
md_node *md_tree_first(const md_tree *t);
md_node *md_tree_next(const md_tree *t, const md_node *n);

const char *md_node_path(const md_node *n);
md_node_type md_node_type_of(const md_node *n);
/* Directories: the number of entries directly in it; others: 0. */
size_t md_node_children(const md_node *n);
const md_attr *md_node_attr(const md_node *n);
/* A directory's mode, owner and mtime, as chmod, chown and utime set them
 * on one that exists (the kernel's do_name for a directory entry already
 * there). */
void md_node_set_attr(md_node *n, const md_attr *a);
const char *md_node_origin(const md_node *n);
/* Files: content and size (for a hardlink, those of its target); NULL,
 * with the size, when the content is not held (see md_tree_add_file). */
const unsigned char *md_node_data(const md_node *n, size_t *size);
/* Symlinks: the target; hardlinks: path of the file they name. */
const char *md_node_link_target(const md_node *n);
void md_node_rdev(const md_node *n, unsigned *major, unsigned *minor);

#endif
