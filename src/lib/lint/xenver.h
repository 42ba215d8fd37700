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
 * Toolstack: the DT_SONAME (libxenctrl.so.4.17) of the libxenctrl that
 * the programs load, found by their DT_NEEDED as the dynamic loader finds
 * it (md_xenver_prog).
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
    /* Hypervisor: the architecture it runs on, "x86", "arm64", "arm32" or
     * "arm" (Kconfig: one of the two), read with or without a release;
     * "" unknown.  arch_from: what says so ("ELF e_machine"). */
    char arch[8];
    char arch_from[24];
    /* Hypervisor: Xen's EFI binary (xen.efi: a PE image, "MZ"), not its
     * ELF (xen.gz, xen-syms); set with `arch`, read with or without a
     * release. */
    bool pe;
    /* Hypervisor: a Xen image that is not whole (md_xenver_hypervisor_image
     * failed saying how), so that a caller still tells it by content. */
    bool damaged;
    /* Hypervisor: CONFIG_DOM0_MEM of its embedded Kconfig, the dom0_mem
     * value Xen parses when its command line has no dom0_mem= word
     * (xen/common/Kconfig, Xen 4.12 and later; dom0_compute_nr_pages() in
     * xen/arch/x86/dom0_build.c, construct_dom0() in
     * xen/arch/arm/domain_build.c); "" when empty (the default: Xen's own
     * sizing) or no Kconfig was read. */
    char dom0_mem[256];
} md_xen_version;

/* A Xen image, compressed (xen.gz; xz and zstd too) or plain.  `name` is the
 * file name, used in messages.  Error: not a Xen image; a damaged one
 * (out->damaged): compressed data that fails its own check (gzip CRC-32 and
 * ISIZE, xz check, zstd checksum, cut short), an ELF whose program headers,
 * segments or section table run past its end (core/elf
 * md_elf_check_whole; xen.efi's PE sections are lint's efi_sections'
 * to check); or no embedded Kconfig to read the release from
 * (out->arch is still set when the image's ELF e_machine or PE Machine,
 * else its Kconfig's "# Xen/ARCH" line, says it). */
int md_xenver_hypervisor_image(const unsigned char *data, size_t len, const char *name,
                               md_xen_version *out, md_err *err);

/* md_xenver_hypervisor_image of the file at `path` (read whole). */
int md_xenver_hypervisor_file(const char *path, md_xen_version *out, md_err *err);

/* A libxenctrl shared object: its DT_SONAME.  Error: not a 64-bit
 * little-endian ELF with a DT_SONAME, or one that is not libxenctrl's. */
int md_xenver_libxenctrl(const unsigned char *data, size_t len, const char *name,
                         md_xen_version *out, md_err *err);

/* A toolstack program and the libxenctrl it runs with: what the dynamic
 * loader loads for it, by its DT_NEEDED and those of the Xen libraries it
 * links (xl links libxenlight, which links libxenctrl), looked up in the
 * tree as image/refs.h md_refs_find_library does.  That file's DT_SONAME is
 * the release the program speaks; which libxenctrl files merely lie in the
 * tree does not decide it (trial10h case 1). */
typedef struct md_xenver_prog {
    char path[512];     /* the program (a regular file) */
    char origin[256];   /* its package */
    /* A Xen library in its DT_NEEDED chain that the tree lacks (the loader
     * does not start it), and the file whose DT_NEEDED names it; "" none. */
    char missing[128];
    char missing_by[512];
    /* The libxenctrl it loads: ctrl.path is the file as found (the name the
     * loader opens), ctrl.found its release; when ctrl.path is set and
     * found is false, ctrl.source says why the release cannot be read.
     * ctrl.path "": it links no libxenctrl (or a missing library hides it). */
    md_xen_version ctrl;
    char ctrl_needed[128]; /* the DT_NEEDED name: "libxenctrl.so.4.17" */
} md_xenver_prog;

/* What a tree shows of Xen, read from its binaries: what md_xenver_lint
 * reads.
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
    /* Every program (a dynamically linked ELF file that is no shared
     * object, outside /boot and the module trees) that links a Xen library
     * (DT_NEEDED libxen*) or is named as Xen userland (xl, xenstored, ...),
     * in path order. */
    md_xenver_prog *progs;
    size_t nprogs;
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

/* A stray libxenctrl: one of another release than `used` (the one the
 * programs load; NULL or not found: the first file's, s->ts[0]) lying in
 * the tree beside it (md_xenver_lint's mixed tree).  NULL: none; else a
 * member of s->ts. */
const md_xen_version *md_xenver_stray(const md_xenver_survey *s, const md_xen_version *used);

struct md_lint;

/* Trap 2, the one checker of the build (md_xenver_check, the self-lint) and
 * `mkdom0 lint` (md_lint_rootfs): findings (trap 2, the message ending in
 * "; FIX", the fix also on its own) added to `l` for the tree `t` (`label`
 * as md_lint_rootfs's), whose survey is `sv`, against each of the `nhv`
 * hypervisors `hv` (all found) that may boot it.  Each program's libxenctrl
 * against each hypervisor (a missing one, or two releases, an error); with
 * no program, each libxenctrl file, and one of another release than the
 * first is an error.  Debian's xen-utils-wrapper lets the toolstacks of
 * several releases lie side by side (each hypervisor needs its
 * /usr/lib/xen-X.Y/bin and each program there that release; the others are
 * noted).  `image`: `t` is an image mkdom0 builds, which boots one
 * hypervisor, its own: a second release is an error even beside the
 * wrapper, so is a libxenctrl no program loads, and what cannot be read is
 * an error, not a warning.  Returns the toolstack's release (in `sv`): the
 * libxenctrl the programs load (one of the first hypervisor's release,
 * else the first program's), else the first libxenctrl file; NULL: none. */
const md_xen_version *md_xenver_lint(struct md_lint *l, const char *label, const md_tree *t,
                                     const md_xenver_survey *sv, const md_xen_version *hv,
                                     size_t nhv, bool image);

/* Same major.minor, or the error trap 2 gives the toolstack `ts` (it is not
 * named: the finding is on it), naming its release and the hypervisor's
 * file, package and release.  Passes when either is not found. */
int md_xenver_compare(const md_xen_version *hv, const md_xen_version *ts, md_err *err);

/* The build's trap 2: surveys `t` (error: a hypervisor whose release
 * cannot be read, named with its package), then md_xenver_lint's first
 * error for an image against its hypervisors, as
 * "PATH (from PACKAGE): [trap2] MESSAGE".  *hv and *ts are set either way
 * (found false when absent): the first hypervisor and md_xenver_lint's
 * release.  The build holds one hypervisor (it refuses a second). */
int md_xenver_check(const md_tree *t, md_xen_version *hv, md_xen_version *ts, md_err *err);

#endif
