/* build — `mkdom0 build`: from a spec to the boot files of a dom0.
 *
 *   resolve + download (verified) -> read every .deb (or Alpine .apk,
 *      its chain verified again on the bytes read) into one md_tree, and
 *      the modules of an Alpine modloop ([Kernel] Modloop=) beside them
 *   -> take /boot's hypervisor and kernel out, check they match the
 *      toolstack (trap 2) -> drop filtered paths -> keep the module closure
 *      and write its index (trap 5) -> base files, overlays, dom0 helpers,
 *      ssh keys, busybox links -> rootfs.cpio.gz -> dom0_mem from its size
 *      (boot/dom0mem.h) -> grub.cfg (traps 1, 4), manifest, size report ->
 *      the boot media asked for (boot.iso, disk.img, netboot/:
 *      boot/bootmedia), every config on them made from the one boot entry
 *      and linted with the rest.
 *
 * Outputs are staged and published by image/imgdir (md_imgdir_stage_*):
 * OUTDIR changes only when every one of them is complete, so a failed build
 * leaves the previous outputs untouched.  Prefix md_build_.
 */
#ifndef MD_BUILD_H
#define MD_BUILD_H

#include <signal.h>
#include <stdbool.h>
#include "core/err.h"
#include "core/out.h"
#include "spec/spec.h"

typedef struct md_build_opts {
    const char *outdir;     /* required */
    const char *cache_dir;  /* NULL: md_cache_dir() */
    const char *keys_dir;   /* NULL: the spec's KeysDir, else md_imgdir_keys_dir() */
    const char *data_dir;   /* overlay + applet list; required */
    const char *dom0_dir;   /* the static dom0 helpers; required */
    /* Progress, notes, the self-lint's findings and the summary (sizes,
     * modules) as results; borrowed; NULL: none. */
    const md_out *out;
    bool verbose;           /* full module and size tables, each excluded dependency */
    bool force;             /* replace an outdir that holds files the build did not write */
    /* Boot media to write besides the files (MD_SPEC_MEDIA_* bits: boot.iso,
     * disk.img, netboot/), replacing the spec's [Boot] Media=; -1: the
     * spec's. */
    int media;
    /* The library installs no signal handler.  To stop a build (Ctrl-C,
     * SIGTERM), the caller's handler sets *cancel non-zero: the build stops
     * before its next step or package, removes its staging directory (as
     * after any failure: OUTDIR is left as it was) and fails with
     * "interrupted".  A download under way stops within a second
     * (md_fetch_set_cancel); another step (the compressor) runs to its end
     * first.  NULL: the build cannot be stopped this way; killed,
     * it leaves its staging for the next build into OUTDIR to remove. */
    const volatile sig_atomic_t *cancel;
} md_build_opts;

int md_build_run(const md_spec *spec, const md_build_opts *o, md_err *err);

#endif
