/* xenver — the Xen release of the hypervisor and of the toolstack in an
 * image, and the check that they are the same (design trap 2: libxenctrl
 * speaks the domctl/sysctl interface of its own release only; a 4.20
 * toolstack on a 4.17 hypervisor fails when xenstored starts).
 * Prefix md_xenver_.
 *
 * Hypervisor: the version the binary carries.  Xen embeds its Kconfig,
 * gzip-compressed, for hypfs (/buildinfo/config, CONFIG_HYPFS_CONFIG, on by
 * default and in Debian's and Alpine's builds); its header line reads
 * "# Xen/x86 4.17.7 Configuration", written by the same build from the
 * same XEN_VERSION/XEN_SUBVERSION that the hypercall returns.  The banner
 * ("Xen version %d.%d%s") cannot be used: major and minor are compiled-in
 * immediates.  Without an embedded config the file name (xen-4.17-amd64.gz)
 * is used and `source` says so.
 * Toolstack: libxenctrl's DT_SONAME (libxenctrl.so.4.17), else its file name.
 *
 * md_xen_version is a plain value owned by the caller.
 */
#ifndef MD_XENVER_H
#define MD_XENVER_H

#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"
#include "image/tree.h"

typedef struct md_xen_version {
    bool found;
    unsigned major, minor;
    char version[64];  /* as carried: "4.17.7", "4.20.5-pre"; "4.17" from a file name */
    char path[512];    /* in the tree; the name given for buffers */
    char origin[256];  /* package that ships it ("" for buffers) */
    char source[160];  /* how it was read: "embedded Kconfig", "DT_SONAME libxenctrl.so.4.17", ... */
} md_xen_version;

/* A Xen image, compressed (xen.gz; xz and zstd too) or plain.  `name` is the file name:
 * used in messages and as the fallback.  Error: not a Xen image, or no
 * version to be found. */
int md_xenver_hypervisor_image(const unsigned char *data, size_t len, const char *name,
                               md_xen_version *out, md_err *err);

/* md_xenver_hypervisor_image of the file at `path` (read whole). */
int md_xenver_hypervisor_file(const char *path, md_xen_version *out, md_err *err);

/* A libxenctrl shared object (libxenctrl.so.4.17.0): its DT_SONAME, or for
 * an ELF file without one its name.  Error: not ELF, or no version. */
int md_xenver_libxenctrl(const unsigned char *data, size_t len, const char *name,
                         md_xen_version *out, md_err *err);

/* Find both in a tree: hypervisors are /boot/xen*.gz (and plain /boot/xen-*
 * ELF files), toolstacks every regular file named libxenctrl.so.* or
 * libxenctrl-*.so.  Absent ones have found == false.  Error: an unreadable
 * one, or two of the same kind from different releases (both named). */
int md_xenver_scan(const md_tree *t, md_xen_version *hv, md_xen_version *ts, md_err *err);

/* Same major.minor, or an error naming both versions, files and packages.
 * Passes when either is not found (nothing to compare). */
int md_xenver_compare(const md_xen_version *hv, const md_xen_version *ts, md_err *err);

/* md_xenver_scan, then md_xenver_compare for every libxenctrl in the tree. */
int md_xenver_check(const md_tree *t, md_xen_version *hv, md_xen_version *ts, md_err *err);

/* Every toolstack release a tree shows, for lint, which takes any image as
 * it is: libxenctrl files and hardlinks by DT_SONAME (by name when they
 * are no readable ELF), symlinks by name, and Debian's /usr/lib/xen-X.Y
 * directories.  One entry per major.minor, in tree order, with the path that
 * showed it first.  Returns the count; *out is malloc'd (free it), NULL
 * when there is none. */
size_t md_xenver_toolstacks(const md_tree *t, md_xen_version **out);

#endif
