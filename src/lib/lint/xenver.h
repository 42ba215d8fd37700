/* xenver — the Xen release of the hypervisor and of the toolstack in an
 * image, and the check that they are the same (design trap 2: libxenctrl
 * speaks the domctl/sysctl interface of its own release only; a 4.20
 * toolstack on a 4.17 hypervisor fails when xenstored starts).
 * Prefix md_xenver_.
 *
 * Every version comes from a binary, never from a path name (a directory
 * /usr/lib/xen-4.20 or trixie's python egg xen-3.0.egg-info names no
 * release, and a file name is whatever someone called the file):
 * Hypervisor: Xen embeds its Kconfig, gzip-compressed, for hypfs
 * (/buildinfo/config, CONFIG_HYPFS_CONFIG, on by default and in Debian's
 * and Alpine's builds); its header line reads "# Xen/x86 4.17.7
 * Configuration", written by the same build from the same
 * XEN_VERSION/XEN_SUBVERSION that the hypercall returns.  The banner
 * ("Xen version %d.%d%s") cannot be used: major and minor are compiled-in
 * immediates.  An image without an embedded config has no readable release.
 * Toolstack: libxenctrl's DT_SONAME (libxenctrl.so.4.17), which the
 * dynamic linker matches against every program's DT_NEEDED.
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
    char version[64];  /* as carried: "4.17.7", "4.20.5-pre"; "4.17" from a DT_SONAME */
    char path[512];    /* in the tree; the name given for buffers */
    char origin[256];  /* package that ships it ("" for buffers) */
    char source[512];  /* how it was read: "embedded Kconfig", "DT_SONAME libxenctrl.so.4.17";
                        * in md_xenver_survey's bad_* lists: why it could not be */
} md_xen_version;

/* A Xen image, compressed (xen.gz; xz and zstd too) or plain.  `name` is the
 * file name, used in messages.  Error: not a Xen image, or no embedded
 * Kconfig to read the release from. */
int md_xenver_hypervisor_image(const unsigned char *data, size_t len, const char *name,
                               md_xen_version *out, md_err *err);

/* md_xenver_hypervisor_image of the file at `path` (read whole). */
int md_xenver_hypervisor_file(const char *path, md_xen_version *out, md_err *err);

/* A libxenctrl shared object: its DT_SONAME.  Error: not a 64-bit
 * little-endian ELF with a DT_SONAME, or one that is not libxenctrl's. */
int md_xenver_libxenctrl(const unsigned char *data, size_t len, const char *name,
                         md_xen_version *out, md_err *err);

/* What a tree shows of Xen, read from its binaries: the one reader behind
 * the build's refusal (md_xenver_check) and lint's trap 2 findings.
 * Arrays are malloc'd; free with md_xenver_survey_free. */
typedef struct md_xenver_survey {
    md_xen_version *hv;     /* every hypervisor image in /boot (xen*.gz, plain xen-* ELF) */
    size_t nhv;
    md_xen_version *ts;     /* one per libxenctrl release, the first file that showed it */
    size_t nts;
    /* Files of either kind whose release cannot be read: found is false,
     * `source` says why (without the path, which is in `path`). */
    md_xen_version *bad_hv, *bad_ts;
    size_t nbad_hv, nbad_ts;
    /* When no libxenctrl release was read: the first Xen userland program
     * (xl, xenstored, xenconsoled, ...) and its package; "" otherwise. */
    char userland[512];
    char userland_origin[256];
} md_xenver_survey;

/* Survey `t`: regular files and hardlinks only (a symlink's or a
 * directory's name is no release). */
void md_xenver_survey_tree(const md_tree *t, md_xenver_survey *s);
void md_xenver_survey_free(md_xenver_survey *s);

/* Is `path` (absolute, in a tree) a libxenctrl whose release the survey
 * reads: libxenctrl.so.* or libxenctrl-*.so*? */
bool md_xenver_is_libxenctrl(const char *path);

/* Survey a tree for the build: the release of its hypervisor and of its
 * toolstack (absent ones have found == false).  Error: an unreadable one
 * (named with its package), or two of the same kind from different
 * releases (both named). */
int md_xenver_scan(const md_tree *t, md_xen_version *hv, md_xen_version *ts, md_err *err);

/* Same major.minor, or an error naming both versions, files and packages.
 * Passes when either is not found (nothing to compare). */
int md_xenver_compare(const md_xen_version *hv, const md_xen_version *ts, md_err *err);

/* md_xenver_scan, then md_xenver_compare for every libxenctrl in the tree;
 * also an error when the tree has Xen userland but no libxenctrl to read. */
int md_xenver_check(const md_tree *t, md_xen_version *hv, md_xen_version *ts, md_err *err);

#endif
