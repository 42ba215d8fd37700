#include "build/build.h"
#include "core/size.h"

#include <dirent.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/base.h"
#include "boot/bootcfg.h"
#include "boot/bootfmt.h"
#include "boot/bootmedia.h"
#include "boot/xenefi.h"
#include "boot/dom0mem.h"
#include "core/file.h"
#include "boot/grubcfg.h"
#include "packages/apk.h"
#include "packages/deb.h"
#include "packages/fetch.h"
#include "image/image.h"
#include "image/imgdir.h"
#include "lint/lint.h"
#include "image/modindex.h"
#include "image/modloop.h"
#include "core/sha256.h"
#include "image/modules.h"
#include "image/overlay.h"
#include "image/rccache.h"
#include "image/refs.h"
#include "image/report.h"
#include "packages/resolve.h"
#include "image/sshkeys.h"
#include "image/tree.h"
#include "core/dirs.h"
#include "core/mem.h"
#include "core/run.h"
#include "core/strv.h"
#include "lint/xenver.h"

struct blob {
    unsigned char *data;
    size_t len;
};

struct build {
    const md_spec *spec;
    const md_build_opts *o;
    md_err *err;
    md_resolve *res;
    md_tree *tree;
    md_modules *mods;
    int64_t sde;
    struct blob xen, kernel;
    struct blob xen_efi;  /* Debian's xen.efi, for the efi and unified media */
    md_tree *ucode_tree;  /* [Xen] Microcode=: the early cpio put in front of the rootfs */
    char *modloop_line;   /* [Kernel] Modloop=: its manifest line, or NULL */
    md_imgdir_stage *stage;
    char *keys_dir, *rootfs_name;
    md_bootcfg_entry *entry; /* the boot entry: every config is written from it */
    char *grub_cfg; /* the boot entry's grub.cfg text: linted, then written */
    unsigned media; /* MD_SPEC_MEDIA_* */
    md_codec codec;
    md_image_stats image;
    md_xen_version hv, ts;
    md_strv unreferenced; /* files over MD_BUILD_UNREFERENCED bytes nothing refers to */
    /* [Host NAME]s: per host its rootfs (the image's with its identity
     * appended) in `hosts_work`, and what image.ini says of it */
    char *hosts_work;
    md_bootmedia_host *mhosts;
    md_imgdir_host *ihosts;
    size_t nhosts;
    double t0;
};

/* What differs between a dom0 of Debian packages and one of Alpine's, by
 * the spec's one distribution (md_spec_distribution): the directory of
 * service scripts data/overlay-NAME that goes over data/overlay, and the
 * packages that messages tell the user to add. */
typedef struct flavour {
    const char *overlay;    /* data/overlay-NAME, listed in data/overlay-NAME.list */
    const char *hypervisor; /* the package of /boot/xen-*.gz */
    const char *kernel;     /* the package of /boot/vmlinuz-* */
    const char *efi;        /* the package of /boot/xen-*.efi (--media efi, unified) */
} flavour;

static const flavour *flavour_of(const md_spec *s)
{
    static const flavour debian = { "debian", "the xen-hypervisor-X.Y-amd64 of your xen-utils-X.Y",
                                    "linux-image-amd64",
                                    "the xen-hypervisor-X.Y-amd64 that ships it" };
    /* Alpine's xen-hypervisor: whether a release ships xen.efi, and where,
     * could not be checked (no Alpine xen .apk at hand; a recent APKBUILD
     * installs it under /usr/lib/efi, which is not read): say what is
     * looked for and what else works, in Alpine's names (trial 13h case 3). */
    static const flavour alpine = { "alpine", "xen-hypervisor (from the release of your xen package)",
                                    "linux-lts",
                                    "a xen-hypervisor that ships it at /boot (Alpine's may not: "
                                    "then build --media bios, iso or netboot)" };
    return md_spec_distribution(s) == MD_SPEC_REPO_APK ? &alpine : &debian;
}

/* The "over 1 MB" (#12), in the decimal megabytes of the size goals. */
#define MD_BUILD_UNREFERENCED 1000000

static int step_resolve(struct build *b)
{
    md_out_say(b->o->out, MD_OUT_PROGRESS, "resolving packages of %s", md_spec_origin(b->spec));
    b->res = md_resolve_spec(b->spec, b->o->cache_dir, b->o->out, b->err);
    if (!b->res)
        return -1;
    /* Exclude= is deliberate: one line says how many, --verbose names each. */
    size_t skipped = md_resolve_skipped_count(b->res);
    for (size_t i = 0; b->o->verbose && i < skipped; i++)
        md_out_say(b->o->out, MD_OUT_NOTE, "%s", md_resolve_skipped(b->res, i));
    if (skipped && !b->o->verbose)
        md_out_say(b->o->out, MD_OUT_NOTE, "left out %zu dependenc%s that Exclude= names "
                                           "(--verbose or `mkdom0 resolve` lists them)",
                   skipped, skipped == 1 ? "y" : "ies");
    return md_resolve_download(b->res, b->o->cache_dir, NULL, b->err);
}

/* Asked to stop (md_build_opts.cancel)?  Then fail, so that the caller's
 * clean-up runs as after any error. */
static int interrupted(const struct build *b)
{
    if (!b->o->cancel || !*b->o->cancel)
        return 0;
    return md_err_set(b->err, "interrupted; %s is left as it was", b->o->outdir);
}

/* An .apk into the tree: its whole chain (apk.h: signature by a key of
 * its repository's, the index's C: and S:, datahash, per-file checksums)
 * checked again on the very bytes extracted, as the download's check was
 * of another read of the cache.  Its install scripts are listed in `scripts`, never run: an
 * image is unpacked, not installed (as a .deb's maintainer scripts). */
static int extract_apk(struct build *b, size_t i, md_strv *scripts)
{
    const md_repo_pkg *p = md_resolve_pkg(b->res, i);
    const md_apksign_keys *keys = md_repo_apk_keys(p->repo, b->err);
    md_apk *a = keys ? md_apk_open(md_resolve_path(b->res, i), keys, p->apk, b->err) : NULL;
    if (!a)
        return -1;
    int r = md_apk_extract(a, b->tree, p->name, MD_CLASH_ERROR, NULL, b->err);
    if (r < 0 && md_apk_pkginfo(a, "replaces", 0) && strstr(b->err->msg, ": conflict: ")) {
        /* apk-package(5): "replaces" lets a package overwrite the listed
         * packages' files, which apk does silently; mkdom0 keeps every
         * file of one owner (the image's files are the packages' as
         * unpacked), so it refuses, and says why it differs from apk
         * (trial 13h case 12) */
        md_strv rep = { 0 };
        for (size_t k = 0; md_apk_pkginfo(a, "replaces", k); k++)
            md_strv_push(&rep, md_apk_pkginfo(a, "replaces", k));
        char *list = md_strv_join(&rep, " "), *msg = md_xstrdup(b->err->msg);
        md_err_clear(b->err); /* the same error, said whole: md_err_set keeps the first */
        md_err_set(b->err, "%s (%s declares 'replaces = %s': apk would let it overwrite those "
                           "packages' files; mkdom0 does not: Exclude= one of the two, or "
                           "Drop= the path)", msg, p->name, list);
        free(list), free(msg);
        md_strv_free(&rep);
    }
    if (r == 0 && md_apk_dropped_count(a)) {
        md_strv names = { 0 };
        for (size_t k = 0; md_apk_dropped(a, k); k++)
            md_strv_push(&names, md_apk_dropped(a, k));
        char *list = md_strv_join(&names, " ");
        size_t more = md_apk_dropped_count(a) - names.n;
        md_out_say(b->o->out, MD_OUT_NOTE, "%s: %zu entr%s of its data member left out, as apk "
                   "leaves them (a name starting with '.' is package metadata to apk-tools): "
                   "%s%s", p->name, md_apk_dropped_count(a),
                   md_apk_dropped_count(a) == 1 ? "y" : "ies", list, more ? " ..." : "");
        free(list);
        md_strv_free(&names);
    }
    if (r == 0 && md_apk_script(a, 0)) {
        md_strv names = { 0 };
        for (size_t k = 0; md_apk_script(a, k); k++)
            md_strv_push(&names, md_apk_script(a, k));
        char *list = md_strv_join(&names, " ");
        md_strv_pushf(scripts, "%s (%s)", p->name, list);
        free(list);
        md_strv_free(&names);
    }
    md_apk_free(a);
    return r;
}

/* The one kernel image the packages put at /boot/vmlinuz-*, NULL when
 * there is none or several (take_one names those later). */
static md_node *kernel_node(const struct build *b)
{
    md_node *found = NULL;
    for (md_node *n = md_tree_first(b->tree); n; n = md_tree_next(b->tree, n)) {
        if (md_node_type_of(n) != MD_NODE_FILE || fnmatch("/boot/vmlinuz-*", md_node_path(n), 0))
            continue;
        if (found)
            return NULL;
        found = n;
    }
    return found;
}

/* [Kernel] Modloop=: the kernel's modules from Alpine's squashfs, into
 * /lib/modules beside what the packages hold, for step_modules' closure. */
static int add_modloop(struct build *b)
{
    const char *path = md_spec_modloop(b->spec);
    if (!path)
        return 0;
    /* its signature, by the keys of the image's Alpine repositories
     * (each read once, md_repo_apk_keys) */
    const md_apksign_keys **sets = NULL;
    size_t nsets = 0;
    const md_repo **seen = NULL;
    for (size_t i = 0; i < md_resolve_count(b->res); i++) {
        const md_repo *repo = md_resolve_pkg(b->res, i)->repo;
        size_t j = 0;
        while (j < nsets && seen[j] != repo)
            j++;
        if (j < nsets || md_repo_format_of(repo) != MD_REPO_APK)
            continue;
        const md_apksign_keys *k = md_repo_apk_keys(repo, b->err);
        if (!k) {
            free(sets);
            free(seen);
            return -1;
        }
        sets = md_xrealloc(sets, (nsets + 1) * sizeof *sets);
        seen = md_xrealloc(seen, (nsets + 1) * sizeof *seen);
        sets[nsets] = k;
        seen[nsets++] = repo;
    }
    md_strv signers = { 0 };
    char *file = NULL; /* the file verified, a link resolved: what is read below */
    int v = md_apksign_verify_beside(path, sets, nsets, &signers, &file, b->err);
    free(sets);
    free(seen);
    if (v < 0) {
        md_strv_free(&signers);
        return -1;
    }
    char *shown = strcmp(file, path) ? md_xasprintf("%s (-> %s)", path, file) : md_xstrdup(path);
    if (v == 0) {
        md_out_say(b->o->out, MD_OUT_NOTE, "modloop %s is not signed (no %s.SIGN.RSA.* beside "
                   "it): taken unverified, as Alpine's initramfs takes one", shown,
                   basename(file));
    } else {
        char *list = md_strv_join(&signers, " ");
        md_out_say(b->o->out, MD_OUT_NOTE, "modloop %s: signature by %s verified", shown, list);
        free(list);
    }
    free(shown);
    /* The kernel's own release picks modules/KVER (F14 of #13's trial: a
     * modloop of another build was taken when the kernel package shipped
     * no modules, and image.ini named its release). */
    md_node *k = kernel_node(b);
    char *want = NULL;
    if (k) {
        size_t klen;
        const unsigned char *kd = md_node_data(k, &klen);
        want = md_modules_image_release(kd, klen);
        if (!want)
            md_out_say(b->o->out, MD_OUT_NOTE, "the kernel %s (%s) has no x86 boot header with "
                       "its release: the modloop's modules are not matched against it",
                       md_node_path(k), md_node_origin(k));
    }
    md_strv kvers = { 0 };
    md_out_say(b->o->out, MD_OUT_PROGRESS, "reading the modloop %s", file);
    int r = md_modloop_read(b->tree, file, "modloop", want, &kvers, b->err);
    free(want);
    /* The manifest records it: it supplies every module of the image, and
     * two builds from different modloops had the same manifest (trial 13h
     * case 8). */
    char hex[65];
    struct stat st;
    if (r == 0 && stat(file, &st) < 0)
        r = md_err_errno(b->err, "modloop %s", file);
    if (r == 0 && md_sha256_file(file, hex, b->err) < 0)
        r = -1;
    if (r == 0) {
        char *who = signers.n ? md_strv_join(&signers, ",") : md_xstrdup("-");
        free(b->modloop_line);
        b->modloop_line = md_xasprintf("# modloop FILE SIZE SHA256 SIGNERS\nmodloop %s %llu %s %s\n",
                                       file, (unsigned long long)st.st_size, hex, who);
        free(who);
    }
    free(file);
    if (r == 0) {
        char *list = md_strv_join(&kvers, " ");
        md_out_say(b->o->out, MD_OUT_PROGRESS, "modloop: modules of kernel %s", list);
        free(list);
    } else {
        md_err_prefix(b->err, "%s: [Kernel] Modloop=", md_spec_key_at(b->spec, "Kernel", "Modloop"));
    }
    md_strv_free(&kvers);
    md_strv_free(&signers);
    return r;
}

/* Every package into a new b->tree; MD_DEB_CACHE_DROPPED as from
 * md_deb_extract_cached. */
static int extract_all(struct build *b, md_strv *scripts)
{
    md_tree_free(b->tree);
    b->tree = md_tree_new(true);
    if (md_base_layout(b->tree, b->err) < 0)
        return -1;
    size_t n = md_resolve_count(b->res);
    int r = 0;
    for (size_t i = 0; r == 0 && i < n; i++) {
        const md_repo_pkg *p = md_resolve_pkg(b->res, i);
        md_out_say(b->o->out, MD_OUT_PROGRESS, "[%zu/%zu] unpacking %s %s", i + 1, n, p->name,
                   p->version);
        if (interrupted(b) < 0)
            r = -1;
        else if (p->apk)
            r = extract_apk(b, i, scripts);
        else
            r = md_deb_extract_cached(b->tree, md_resolve_path(b->res, i), p->sha256,
                                      b->o->cache_dir, p->name, MD_CLASH_ERROR, NULL, b->err);
    }
    return r;
}

static int step_extract(struct build *b)
{
    md_deb_cache_clean(b->o->cache_dir);
    md_strv scripts = { 0 };
    int r;
    /* each round removes one damaged cache entry, so this ends */
    while ((r = extract_all(b, &scripts)) == MD_DEB_CACHE_DROPPED) {
        md_out_say(b->o->out, MD_OUT_NOTE, "%s; unpacking again, that package from its "
                                           "verified .deb", b->err->msg);
        md_err_clear(b->err);
        md_strv_free(&scripts);
    }
    if (r == 0 && scripts.n) {
        char *list = md_strv_join(&scripts, ", ");
        md_out_say(b->o->out, MD_OUT_NOTE, "install scripts not run (the image is unpacked, "
                                           "never installed): %s", list);
        free(list);
    }
    md_strv_free(&scripts);
    return r < 0 ? -1 : add_modloop(b);
}

/* SOURCE_DATE_EPOCH: the environment, else the spec, else the newest mtime
 * in the packages — a property of the inputs, never of the clock. */
static int step_epoch(struct build *b)
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    if (env && *env) {
        if (!md_spec_epoch_parse(env, &b->sde))
            return md_err_set(b->err, "SOURCE_DATE_EPOCH=%s: expected seconds since 1970, from "
                                      "0 to 4294967295 (a newc cpio keeps mtimes in 8 hex "
                                      "digits)", env);
        return 0;
    }
    if (md_spec_source_date_epoch(b->spec) >= 0) {
        b->sde = md_spec_source_date_epoch(b->spec);
        return 0;
    }
    b->sde = 0;
    for (md_node *n = md_tree_first(b->tree); n; n = md_tree_next(b->tree, n))
        if (md_node_attr(n)->mtime > b->sde)
            b->sde = md_node_attr(n)->mtime;
    return 0;
}

static int take_one(struct build *b, const char *pattern, const char *what, const char *pkg,
                    struct blob *out)
{
    md_node *found = NULL;
    for (md_node *n = md_tree_first(b->tree); n; n = md_tree_next(b->tree, n)) {
        if (md_node_type_of(n) != MD_NODE_FILE || fnmatch(pattern, md_node_path(n), 0))
            continue;
        if (found)
            return md_err_set(b->err, "two %ss in the packages: %s (%s) and %s (%s); "
                                      "include only one", what, md_node_path(found),
                              md_node_origin(found), md_node_path(n), md_node_origin(n));
        found = n;
    }
    if (!found)
        return md_err_set(b->err, "no %s in the packages (looked for %s): add %s to [Packages] "
                                  "Include= in %s", what, pattern, pkg, md_spec_origin(b->spec));
    const unsigned char *data = md_node_data(found, &out->len);
    out->data = md_xmalloc(out->len);
    memcpy(out->data, data, out->len);
    return 0;
}

/* The files matching `pattern` in tree order (by path) concatenated onto
 * `out`, as the loaders want one blob per vendor; their count. */
static size_t concat_files(struct build *b, const char *pattern, struct blob *out)
{
    size_t n = 0;
    for (md_node *nd = md_tree_first(b->tree); nd; nd = md_tree_next(b->tree, nd)) {
        if (md_node_type_of(nd) != MD_NODE_FILE || fnmatch(pattern, md_node_path(nd), 0))
            continue;
        size_t len;
        const unsigned char *data = md_node_data(nd, &len);
        out->data = md_xrealloc(out->data, out->len + len + 1);
        memcpy(out->data + out->len, data, len);
        out->len += len;
        n++;
    }
    return n;
}

/* [Xen] Microcode=: the early microcode cpio Xen's ucode=scan finds in
 * front of the rootfs (docs/misc/xen-command-line.pandoc, ucode=: an
 * uncompressed cpio at the start of a module, holding
 * kernel/x86/microcode/AuthenticAMD.bin or GenuineIntel.bin).  Each is the
 * vendor's blobs concatenated, as Debian's initramfs hooks make them
 * (AMD: the per-family containers; Intel: every FF-MM-SS file, the
 * .initramfs ones that are for early loading only too).  The blobs then
 * leave the rootfs: a PV dom0 loads no microcode. */
static int take_microcode(struct build *b)
{
    unsigned uc = md_spec_microcode(b->spec);
    if (!uc)
        return 0;
    static const struct {
        unsigned bit;
        const char *pattern, *dir, *name, *pkg;
    } v[] = {
        { MD_SPEC_UCODE_AMD, "/usr/lib/firmware/amd-ucode/microcode_amd*.bin",
          "/usr/lib/firmware/amd-ucode", "kernel/x86/microcode/AuthenticAMD.bin", "amd64-microcode" },
        { MD_SPEC_UCODE_INTEL, "/usr/lib/firmware/intel-ucode/[0-9a-f]*",
          "/usr/lib/firmware/intel-ucode", "kernel/x86/microcode/GenuineIntel.bin", "intel-microcode" },
    };
    md_tree *t = md_tree_new(false);
    md_attr dir = { 0755, 0, 0, b->sde }, file = { 0644, 0, 0, b->sde };
    int r = 0;
    static const char *const dirs[] = { "/kernel", "/kernel/x86", "/kernel/x86/microcode" };
    for (int i = 0; r == 0 && i < 3; i++)
        r = md_tree_add_dir(t, dirs[i], &dir, "mkdom0", b->err);
    for (size_t i = 0; r == 0 && i < sizeof v / sizeof *v; i++) {
        if (!(uc & v[i].bit))
            continue;
        struct blob blob = { 0 };
        if (!concat_files(b, v[i].pattern, &blob)) {
            free(blob.data);
            r = md_err_set(b->err, "%s: [Xen] Microcode=: no microcode in %s (looked for %s)",
                           md_spec_origin(b->spec), v[i].pkg, v[i].pattern);
            break;
        }
        char *path = md_xasprintf("/%s", v[i].name);
        r = md_tree_add_file(t, path, &file, blob.data, blob.len, "mkdom0", MD_CLASH_ERROR, b->err);
        free(path);
        md_tree_remove(b->tree, v[i].dir);
    }
    b->ucode_tree = r == 0 ? t : NULL;
    if (r < 0)
        md_tree_free(t);
    return r;
}

/* The hypervisor and kernel are boot files, not part of the rootfs: take
 * them out of /boot, which the dom0 never reads.  Before they go, trap 2
 * against the one hypervisor: the self-lint's checker, refused on its
 * first error (its notes are the self-lint's to say). */
static int step_boot_files(struct build *b)
{
    /* The package to name in "add ... to Include=", in the spec's own
     * distribution. */
    const flavour *f = flavour_of(b->spec);
    if (take_one(b, "/boot/xen-*.gz", "Xen hypervisor", f->hypervisor, &b->xen) < 0)
        return -1;
    if (md_xenver_check(b->tree, &b->hv, &b->ts, b->err) < 0) {
        md_err_prefix(b->err, "%s", md_spec_origin(b->spec));
        return -1;
    }
    if (take_one(b, "/boot/vmlinuz-*", "kernel", f->kernel, &b->kernel) < 0)
        return -1;
    /* Debian's xen-hypervisor-X.Y-amd64 ships the EFI program beside
     * xen.gz (/boot/xen-X.Y-amd64.efi). */
    if ((b->media & (MD_SPEC_MEDIA_EFI | MD_SPEC_MEDIA_UNIFIED)) &&
        take_one(b, "/boot/xen-*.efi", "Xen EFI program (xen.efi)", f->efi, &b->xen_efi) < 0)
        return -1;
    return take_microcode(b);
}

static int step_filter(struct build *b)
{
    const md_strv *drop = md_spec_drop(b->spec);
    size_t removed = 0;
    for (size_t i = 0; i < drop->n; i++)
        removed += md_tree_filter(b->tree, drop->v[i], (const char *const *)md_spec_keep(b->spec)->v);
    removed += md_tree_remove(b->tree, "/boot");
    md_out_say(b->o->out, MD_OUT_PROGRESS, "path filters removed %zu entries", removed);
    return 0;
}

static int step_modules(struct build *b)
{
    md_strv allow = { 0 };
    const md_strv *listed = md_spec_modules(b->spec);
    for (size_t i = 0; i < listed->n; i++)
        md_strv_push(&allow, listed->v[i]);
    /* Bridge= makes the network service create a bridge: its module (stp
     * and llc come with the closure) must be in the image. */
    if (md_spec_bridge(b->spec) && !md_strv_contains(&allow, "bridge"))
        md_strv_push(&allow, "bridge");
    /* Storage= makes the guest-storage service mount a disk: ext4, the file
     * system `mkfs.ext4 -L` makes, must be there (jbd2, mbcache and the
     * checksums come with the closure). */
    if (md_spec_guest_storage(b->spec) && !md_strv_contains(&allow, "ext4"))
        md_strv_push(&allow, "ext4");
    md_out_say(b->o->out, MD_OUT_PROGRESS, "kernel modules: closure of %zu allowlisted", allow.n);
    b->mods = md_modules_resolve(b->tree, NULL, (const char *const *)allow.v, b->err);
    md_strv_free(&allow);
    if (!b->mods || md_modindex_write(b->mods, b->tree, b->err) < 0) {
        md_err_prefix(b->err, "kernel modules");
        return -1;
    }
    /* The modules must be the kernel's own: `uname -r` is the directory
     * modprobe reads.  A kernel without a readable release (no x86 boot
     * header) is not checked here; add_modloop said so. */
    char *rel = md_modules_image_release(b->kernel.data, b->kernel.len);
    if (rel && strcmp(rel, md_modules_kver(b->mods))) {
        char *a = md_err_shown(rel), *m = md_err_shown(md_modules_kver(b->mods));
        md_err_set(b->err, "%s: the kernel is release %s, but the image's modules are of kernel %s "
                           "(%s): that kernel loads none of them; take the kernel and its modules "
                           "from one kernel build", md_spec_origin(b->spec), a, m,
                   md_modules_dir(b->mods));
        free(a);
        free(m);
        free(rel);
        return -1;
    }
    free(rel);
    md_modules_trim(b->mods, b->tree);
    return 0;
}

static int add_dom0_helpers(struct build *b)
{
    struct dirent **names;
    int n = scandir(b->o->dom0_dir, &names, NULL, alphasort);
    if (n < 0)
        return md_err_errno(b->err, "%s: cannot read the dom0 helpers (run make?)", b->o->dom0_dir);
    int r = 0, found = 0;
    for (int i = 0; i < n; i++) {
        if (r == 0 && names[i]->d_name[0] != '.') {
            char *src = md_xasprintf("%s/%s", b->o->dom0_dir, names[i]->d_name);
            char *dest = md_xasprintf("/sbin/%s", names[i]->d_name);
            r = md_overlay_add_file(b->tree, src, dest, 0755, b->sde, "mkdom0", b->err);
            found++;
            free(src);
            free(dest);
        }
        free(names[i]);
    }
    free(names);
    if (r == 0 && !found)
        return md_err_set(b->err, "%s: no dom0 helper programs (run make?)", b->o->dom0_dir);
    return r;
}

/* Does `p` provide the name `name` (Alpine's p:, Debian's Provides:)? */
static bool provides_name(const md_repo_pkg *p, const char *name)
{
    if (p->apk) {
        for (size_t i = 0; i < p->apk->nprovides; i++)
            if (!strcmp(p->apk->provides[i].name, name))
                return true;
        return false;
    }
    for (const char *s = p->provides; s && (s = strstr(s, name)); s += strlen(name))
        if ((s == p->provides || strchr(" ,|", s[-1])) && strchr(" ,(|", s[strlen(name)]))
            return true;
    return false;
}

/* The image has no /bin/busybox: say which package answered to the name
 * busybox, in the words of the image's package format (trial 9e case 9:
 * an Alpine build advised Debian's busybox-static, while the index's
 * dom0-base had taken the name busybox by providing it). */
static int no_busybox(struct build *b)
{
    bool apk = md_resolve_count(b->res) &&
               md_repo_format_of(md_resolve_pkg(b->res, 0)->repo) == MD_REPO_APK;
    const char *want = apk ? "busybox" : "busybox-static";
    for (size_t i = 0; i < md_resolve_count(b->res); i++) {
        const md_repo_pkg *p = md_resolve_pkg(b->res, i);
        if (!strcmp(p->name, want))
            return md_err_set(b->err, "busybox applets: /bin/busybox is not in the image, "
                                      "although %s %s is (%s:%u): a [Files] Drop= pattern may "
                                      "have taken it", p->name, p->version, p->index, p->line);
    }
    for (size_t i = 0; i < md_resolve_count(b->res); i++) {
        const md_repo_pkg *p = md_resolve_pkg(b->res, i);
        if (provides_name(p, "busybox") || provides_name(p, want))
            return md_err_set(b->err, "busybox applets: /bin/busybox is not in the image: the "
                                      "name %s was given to %s %s (%s:%u), which provides it but "
                                      "holds no /bin/busybox: its index entry claims a name "
                                      "it does not carry (or the real %s is not in the "
                                      "repositories)", want, p->name, p->version, p->index,
                              p->line, want);
    }
    return md_err_set(b->err, "busybox applets: /bin/busybox is not in the image (add %s to "
                              "[Packages] Include=)", want);
}

static int step_files(struct build *b)
{
    md_base_opts bo = { md_spec_hostname(b->spec), md_spec_root_password_hash(b->spec), b->sde };
    if (md_base_populate(b->tree, &bo, b->err) < 0)
        return -1;
    /* data/overlay, then the distribution's own service scripts over it */
    int r = 0;
    for (int i = 0; r == 0 && i < 2; i++) {
        const char *suffix = i ? flavour_of(b->spec)->overlay : NULL;
        char *overlay = md_xasprintf("%s/overlay%s%s", b->o->data_dir, suffix ? "-" : "",
                                     suffix ? suffix : "");
        char *manifest = md_xasprintf("%s.list", overlay);
        r = md_overlay_add_dir(b->tree, overlay, "/", manifest, b->sde, "mkdom0", b->err);
        free(overlay);
        free(manifest);
    }
    if (r < 0 || add_dom0_helpers(b) < 0)
        return -1;
    const md_strv *ov = md_spec_overlays(b->spec);
    for (size_t i = 0; i < ov->n; i++)
        if (md_overlay_add_dir(b->tree, ov->v[i], "/", NULL, b->sde, "overlay", b->err) < 0)
            return -1;
    for (size_t i = 0; i < md_spec_copy_count(b->spec); i++) {
        const md_spec_copy *c = md_spec_copy_at(b->spec, i);
        /* What DEST is in the image is known only now: a clash is named
         * at the spec's line, as Copy= (trial 9c case 13: "file from
         * overlay", no line) */
        if (md_overlay_add_file(b->tree, c->src, c->dest, -1, b->sde, "Copy=", b->err) < 0) {
            md_err_prefix(b->err, "%s: Copy=%s:%s", md_spec_key_at(b->spec, "Files", "Copy"),
                          c->src, c->dest);
            return -1;
        }
    }
    if (!md_tree_resolve(b->tree, "/bin/busybox"))
        return no_busybox(b);
    md_strv applets = { 0 };
    char *list = md_xasprintf("%s/busybox-applets.txt", b->o->data_dir);
    r = md_base_read_applets(list, &applets, b->err);
    if (r == 0)
        r = md_base_busybox_links(b->tree, &applets, b->sde, b->err) < 0 ? -1 : 0;
    free(list);
    md_strv_free(&applets);
    return r;
}

/* Root's authorized_keys in `t`, from the spec's keys, the keys
 * directory's client key (which `mkdom0 boot --check` uses) and then
 * `more` (a host's own keys; NULL for none): one list for the image and
 * for every host. */
static int add_authorized(struct build *b, md_tree *t, const md_strv *more)
{
    md_strv keys = { 0 };
    const md_strv *spec_keys = md_spec_authorized_keys(b->spec);
    for (size_t i = 0; i < spec_keys->n; i++)
        md_strv_push(&keys, spec_keys->v[i]);
    md_strv_pushf(&keys, "%s/id_ed25519.pub", b->keys_dir);
    for (size_t i = 0; more && i < more->n; i++)
        md_strv_push(&keys, more->v[i]);
    int r = md_sshkeys_add_authorized(t, &keys, b->sde, b->err);
    md_strv_free(&keys);
    return r;
}

/* Host keys from the keys directory (made once, then reused: the same keys
 * give the same image); root may log in with the spec's keys and with the
 * keys directory's client key. */
static int step_ssh(struct build *b)
{
    if (md_sshkeys_ensure(b->keys_dir, MD_SSHKEYS_HOST | MD_SSHKEYS_CLIENT, b->o->out, b->err) < 0 ||
        md_sshkeys_add_host_keys(b->tree, b->keys_dir, b->sde, b->err) < 0)
        return -1;
    return add_authorized(b, b->tree, NULL);
}

/* GuestNetwork=route: `vif=['ip=A.B.C.D']` with no script= runs Xen's
 * vif-route (xl.conf(5) vif.default.script).  The package's xl.conf stays,
 * with the setting after it; the network service adds the NIC
 * (vif.default.gatewaydev) at boot, when it knows which one it took. */
static int route_xl_conf(struct build *b)
{
    static const char path[] = "/etc/xen/xl.conf";
    const md_node *n = md_tree_resolve(b->tree, path);
    size_t len = 0;
    const unsigned char *old = n && md_node_type_of(n) == MD_NODE_FILE ? md_node_data(n, &len) : NULL;
    char *text = md_xasprintf("%.*s%s# mkdom0 build, [System] GuestNetwork=route:\n"
                              "vif.default.script=\"vif-route\"\n",
                              (int)len, old ? (const char *)old : "",
                              len && old[len - 1] != '\n' ? "\n" : "");
    int r = md_base_add_text(b->tree, path, 0644, b->sde, text, b->err);
    free(text);
    return r;
}

/* [Guests]: the storage the guest-storage service mounts, the shutdown
 * time xendomains gives guests, and the image's autostart configs. */
static int guest_settings(struct build *b)
{
    const char *storage = md_spec_guest_storage(b->spec);
    char *text = md_xasprintf("# Written by mkdom0 build from [Guests] Storage=.\n"
                              "storage=\"%s\"\nwait=5\n", storage ? storage : "");
    int r = md_base_add_text(b->tree, "/etc/conf.d/guest-storage", 0644, b->sde, text, b->err);
    free(text);
    if (r < 0)
        return -1;
    text = md_xasprintf("# Written by mkdom0 build from [Guests] ShutdownTimeout=.\n"
                        "shutdown_timeout=%d\n", md_spec_shutdown_timeout(b->spec));
    r = md_base_add_text(b->tree, "/etc/conf.d/xendomains", 0644, b->sde, text, b->err);
    free(text);
    const md_strv *auto_cfgs = md_spec_autostart(b->spec);
    for (size_t i = 0; r == 0 && i < auto_cfgs->n; i++) {
        const char *slash = strrchr(auto_cfgs->v[i], '/');
        char *dest = md_xasprintf("/etc/xen/auto/%s", slash ? slash + 1 : auto_cfgs->v[i]);
        /* its own mode, as Copy=: an xl config may hold vncpasswd= (trial
         * 9h case 14: a 0600 config became 0644) */
        r = md_overlay_add_file(b->tree, auto_cfgs->v[i], dest, -1, b->sde, "autostart", b->err);
        free(dest);
    }
    if (r < 0)
        md_err_prefix(b->err, "%s: [Guests]", md_spec_origin(b->spec));
    return r;
}

/* /etc/conf.d/network, which the network service reads: the spec's
 * [System] settings with `address` and `gateway` (NULL: DHCP), on the NIC
 * whose MAC is `mac` (a host's; NULL: the first NIC). */
static char *network_conf(const struct build *b, const char *address, const char *gateway,
                          const char *mac)
{
    const char *bridge = md_spec_bridge(b->spec);
    return md_xasprintf("# Written by mkdom0 build from [System] GuestNetwork=, Bridge=, "
                        "Address=, Gateway=%s.\n"
                        "guest_network=\"%s\"\n"
                        "bridge=\"%s\"\ninterface=\"\"\n%s%s%saddress=\"%s\"\ngateway=\"%s\"\n"
                        "udhcpc_args=\"\"\n",
                        mac ? " and [Host] MAC=" : "",
                        md_spec_routed(b->spec) ? "route" : "bridge", bridge ? bridge : "",
                        mac ? "mac=\"" : "", mac ? mac : "", mac ? "\"\n" : "",
                        address ? address : "", gateway ? gateway : "");
}

/* Spec settings that the dom0's services read from /etc/conf.d. */
static int step_settings(struct build *b)
{
    if (guest_settings(b) < 0)
        return -1;
    const char *bridge = md_spec_bridge(b->spec), *address = md_spec_address(b->spec),
               *gateway = md_spec_gateway(b->spec);
    bool routed = md_spec_routed(b->spec);
    if (routed && route_xl_conf(b) < 0)
        return -1;
    if (!bridge && !address && !routed)
        return 0;
    char *text = network_conf(b, address, gateway, NULL);
    int r = md_base_add_text(b->tree, "/etc/conf.d/network", 0644, b->sde, text, b->err);
    free(text);
    return r;
}

/* OpenRC's dependency cache, made once from the default image's services
 * (image/rccache.h), when this tree has exactly those: it saves the dom0
 * seconds of shell at each boot. */
static int step_rccache(struct build *b)
{
    if (!md_tree_resolve(b->tree, "/sbin/openrc"))
        return 0;
    char *dir = md_xasprintf("%s/openrc-cache", b->o->data_dir), why[512];
    bool added;
    int r = md_rccache_add(b->tree, dir, b->sde, &added, why, sizeof why, b->err);
    free(dir);
    if (r == 0)
        md_out_say(b->o->out, MD_OUT_PROGRESS, "OpenRC dependency cache: %s%s",
                   added ? "prebuilt (the default image's services)" : "made at boot: ",
                   added ? "" : why);
    return r;
}

/* The tree is complete: duplicate files become hardlinks, so the rootfs
 * holds their bytes once (see md_tree_link_duplicates). */
static int step_dedupe(struct build *b)
{
    size_t n = md_tree_link_duplicates(b->tree);
    md_out_say(b->o->out, MD_OUT_PROGRESS, "%zu duplicate files made hardlinks", n);
    return 0;
}

/* A large file that nothing in the image refers to (refs.h says what
 * counts) is most likely dead weight: say so, once per file, with what it
 * costs and where it came from. */
static int step_refs(struct build *b)
{
    /* A dropped library (or an excluded package) that a program links
     * would make that program fail to start on the dom0: refuse it here. */
    md_strv missing = { 0 };
    if (md_refs_missing_libraries(b->tree, &missing)) {
        char *list = md_strv_join(&missing, "\n  ");
        md_err_set(b->err, "%s: programs of the image would not start:\n  %s\n(a [Files] Drop= "
                           "pattern or an [Packages] Exclude= of the spec took what they link; "
                           "Keep= or Include= brings it back)", md_spec_origin(b->spec), list);
        free(list);
        md_strv_free(&missing);
        return -1;
    }
    static const char *const entry[] = { MD_BOOTCFG_RDINIT, NULL };
    md_refs_unreferenced(b->tree, MD_BUILD_UNREFERENCED, entry, &b->unreferenced);
    for (size_t i = 0; i < b->unreferenced.n; i++) {
        const md_node *n = md_tree_lookup(b->tree, b->unreferenced.v[i]);
        size_t size = 0;
        md_node_data(n, &size);
        md_out_say(b->o->out, MD_OUT_FINDING,
                   "%s: warning: %s (%.1f MB, from %s): nothing in the image refers to it (no "
                   "program links it, no program, script or config names it); leave it out "
                   "with [Files] Drop= unless something outside the image uses it",
                   b->rootfs_name, b->unreferenced.v[i], size / 1e6, md_node_origin(n));
    }
    return 0;
}

/* Host keys of [Host NAME]: KeysDir/hosts/NAME, made once and reused, as
 * the image's own are in KeysDir. */
static char *host_keys_dir(const struct build *b, const md_spec_host *h)
{
    return md_xasprintf("%s/hosts/%s", b->keys_dir, h->name);
}

/* The first line of `path` (a .pub), malloc'd, or NULL with the error. */
static char *first_line(const char *path, md_err *err)
{
    unsigned char *d;
    size_t n;
    if (md_read_file(path, &d, &n, err) < 0)
        return NULL;
    size_t len = strcspn((char *)d, "\r\n");
    while (len && (d[len - 1] == ' ' || d[len - 1] == '\t'))
        len--; /* ssh-keygen -C "" leaves a space for the comment */
    char *l = md_xstrndup((char *)d, len);
    free(d);
    return l;
}

/* One host's identity, as an archive of the image's codec: its host name,
 * ssh host keys, network settings (its NIC by its MAC, its address),
 * and root's authorized_keys when it adds keys.  The kernel unpacks it
 * after the image's rootfs (concatenated archives: Linux's
 * Documentation/driver-api/early-userspace/buffer-format.rst), so its
 * files replace the image's; the rootfs bytes themselves stay the same. */
static int host_identity(struct build *b, const md_spec_host *h, const char *path)
{
    char *dir = host_keys_dir(b, h);
    md_tree *t = md_tree_new(false);
    int r = -1;
    /* The directories as the image has them: unpacking sets their
     * attributes again. */
    md_attr da = { 0755, 0, 0, b->sde };
    static const char *const dirs[] = { "/", "/etc", "/etc/ssh", "/etc/conf.d" };
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
        if (md_tree_add_dir(t, dirs[i], &da, "mkdom0", b->err) < 0)
            goto out;
    if (md_sshkeys_ensure(dir, MD_SSHKEYS_HOST, b->o->out, b->err) < 0 ||
        md_base_add_hostname(t, h->hostname, b->sde, b->err) < 0 ||
        md_sshkeys_add_host_keys(t, dir, b->sde, b->err) < 0)
        goto out;
    /* Always: the host's network is on the NIC with its MAC, which need
     * not be the first (a server with several ports). */
    char *text = network_conf(b, h->address, h->gateway, h->mac);
    int w = md_base_add_text(t, "/etc/conf.d/network", 0644, b->sde, text, b->err);
    free(text);
    if (w < 0)
        goto out;
    if (h->authorized_keys->n && add_authorized(b, t, h->authorized_keys) < 0)
        goto out;
    md_image_stats st;
    r = md_image_write(t, path, b->codec, md_spec_compression_level(b->spec), b->sde, &st, b->err);
out:
    if (r < 0)
        md_err_prefix(b->err, "%s: [Host %s]", h->at, h->name);
    md_tree_free(t);
    free(dir);
    return r;
}

/* Every [Host NAME]: its identity archive, and its rootfs: the image's
 * rootfs, byte for byte, with that archive appended. */
static int step_hosts(struct build *b)
{
    size_t n = md_spec_host_count(b->spec);
    if (!n)
        return 0;
    if (!(b->hosts_work = md_scratch_dir("hosts", b->err)))
        return -1;
    b->mhosts = md_xcalloc(n, sizeof *b->mhosts);
    b->ihosts = md_xcalloc(n, sizeof *b->ihosts);
    const char *base = md_imgdir_stage_path(b->stage, MD_IMGDIR_ROOTFS);
    for (size_t i = 0; i < n; i++, b->nhosts++) {
        const md_spec_host *h = md_spec_host_at(b->spec, i);
        md_out_say(b->o->out, MD_OUT_PROGRESS, "host %s (%s): its identity", h->name, h->mac);
        char *id = md_xasprintf("%s/%s.identity", b->hosts_work, h->name);
        char *rootfs = md_xasprintf("%s/%s.rootfs", b->hosts_work, h->name);
        char *dir = host_keys_dir(b, h);
        char *pubpath = md_xasprintf("%s/ssh_host_ed25519_key.pub", dir);
        b->mhosts[i] = (md_bootmedia_host){ h->name, h->mac, rootfs };
        b->ihosts[i] = (md_imgdir_host){ h->name, h->mac, h->hostname,
                                         h->address ? h->address : "", NULL };
        int r = host_identity(b, h, id);
        if (r == 0 && !(b->ihosts[i].host_key = first_line(pubpath, b->err)))
            r = -1;
        unsigned char *bd = NULL, *idd = NULL;
        size_t bl = 0, il = 0;
        if (r == 0 && (md_read_file(base, &bd, &bl, b->err) < 0 ||
                       md_read_file(id, &idd, &il, b->err) < 0))
            r = -1;
        if (r == 0) {
            bd = md_xrealloc(bd, bl + il);
            memcpy(bd + bl, idd, il);
            r = md_write_atomic(rootfs, bd, bl + il, 0644, b->err);
        }
        free(bd);
        free(idd);
        free(id);
        free(dir);
        free(pubpath);
        if (r < 0) {
            b->nhosts++;
            return -1;
        }
    }
    return 0;
}

static int write_blob(struct build *b, md_imgdir_file f, const struct blob *bl)
{
    return md_imgdir_stage_write(b->stage, f, bl->data, bl->len, b->err);
}

/* The boot entry for a dom0 of `mib`; the rest of it comes from the spec. */
static int make_grub_cfg(struct build *b, uint64_t mib)
{
    md_bootcfg c = MD_BOOTCFG_DEFAULTS;
    c.dom0_mem_mib = mib;
    /* Microcode=: Xen scans its modules for the early cpio (ucode=scan;
     * xen-command-line.pandoc): the rootfs module starts with it. */
    const char *args = md_spec_xen_args(b->spec);
    char *xen_extra = md_spec_microcode(b->spec)
                          ? md_xasprintf("%s%sucode=scan", args, *args ? " " : "")
                          : md_xstrdup(args);
    c.xen_extra = xen_extra;
    c.linux_extra = md_spec_kernel_args(b->spec);
    c.rootfs_name = b->rootfs_name;
    md_bootcfg_entry *e = md_bootcfg_make(&c, b->err);
    free(xen_extra);
    if (!e) {
        md_err_prefix(b->err, "%s", md_spec_origin(b->spec));
        return -1;
    }
    free(b->grub_cfg);
    b->grub_cfg = md_grubcfg_write(e);
    md_bootcfg_entry_free(b->entry); /* the one made before dom0_mem was known */
    b->entry = e;
    return 0;
}

/* The boot entry's arguments depend on the spec alone: a bad Dom0Mem or
 * argument fails here, before any download.  Dom0Mem=auto is known only
 * once the rootfs is written (step_dom0_mem); until then the entry is made
 * with the smallest size, to check the rest. */
static int check_boot_entry(struct build *b)
{
    /* the extra arguments first, each named by its spec line (trial 9:
     * "spec.ini: extra Xen arguments ..." did not say which line) */
    static const char *const args[][2] = { { "Xen", "Args" }, { "Kernel", "Args" } };
    for (int i = 0; i < 2; i++)
        if (md_bootcfg_check_args(i ? md_spec_kernel_args(b->spec) : md_spec_xen_args(b->spec),
                                  i == 1, b->err) < 0) {
            md_err_prefix(b->err, "%s: [%s] %s=", md_spec_key_at(b->spec, args[i][0], args[i][1]),
                          args[i][0], args[i][1]);
            return -1;
        }
    uint64_t mib = MD_SIZE_MIB_MIN;
    if (!md_spec_dom0_mem_auto(b->spec) &&
        md_size_parse_mib(md_spec_dom0_mem(b->spec), &mib, b->err) < 0) {
        md_err_prefix(b->err, "%s: [Xen] Dom0Mem", md_spec_origin(b->spec));
        return -1;
    }
    return make_grub_cfg(b, mib);
}

/* Hand a report's lines to the caller's sink; takes `text`. */
static void say_text(struct build *b, md_out_level level, char *text)
{
    md_out_lines(b->o->out, level, text);
    free(text);
}

static int write_text(struct build *b, md_imgdir_file f, char *text)
{
    int r = md_imgdir_stage_write(b->stage, f, text, strlen(text), b->err);
    free(text);
    return r;
}

/* The finished image, checked by the same code as `mkdom0 lint`: a spec or
 * overlay that reintroduces a trap (an inittab without hvc0, a dropped Xen
 * module, a static /dev/xen node) fails the build instead of the boot. */
static int step_self_lint(struct build *b)
{
    md_lint *l = md_lint_new();
    md_lint_grub(l, md_imgdir_name(MD_IMGDIR_GRUB_CFG), b->grub_cfg, strlen(b->grub_cfg),
                 b->tree);
    /* The netboot tree's other configs come from the same entry; they are
     * read back by `mkdom0 lint`'s readers, so all carry the same args. */
    if (b->media & MD_SPEC_MEDIA_NETBOOT) {
        md_bootmedia_files f = { .hosts = b->mhosts, .nhosts = b->nhosts };
        md_bootmedia_netcfg *nc;
        size_t n = md_bootmedia_netboot_all_configs(b->entry, &f, &nc);
        /* [0] is GRUB's boot/grub/grub.cfg, grub.cfg linted above */
        for (size_t i = 1; i < n; i++) {
            md_bootcfg_list list = { 0 };
            md_bootfmt_read((md_bootfmt)nc[i].format, nc[i].text, strlen(nc[i].text), &list);
            char *name = md_xasprintf("%s/%s", md_imgdir_name(MD_IMGDIR_NETBOOT), nc[i].path);
            md_lint_entries(l, name, &list, b->tree);
            free(name);
            md_bootcfg_list_free(&list);
        }
        md_bootmedia_netcfgs_free(nc, n);
    }
    /* Xen's EFI xen.cfg (the efi/ tree's and the one inside
     * xen-unified.efi) read back by lint's xen.cfg reader. */
    if (b->media & (MD_SPEC_MEDIA_EFI | MD_SPEC_MEDIA_UNIFIED)) {
        char *cfg = md_xenefi_cfg(b->entry);
        md_bootcfg_list list = { 0 };
        md_bootfmt_read(MD_BOOTFMT_XEN_EFI, cfg, strlen(cfg), &list);
        char *name = md_xasprintf("%s/xen.cfg", b->media & MD_SPEC_MEDIA_EFI
                                                     ? md_imgdir_name(MD_IMGDIR_EFI)
                                                     : md_imgdir_name(MD_IMGDIR_UNIFIED));
        md_lint_entries(l, name, &list, b->tree);
        free(name);
        md_bootcfg_list_free(&list);
        free(cfg);
    }
    md_lint_rootfs(l, b->rootfs_name, b->tree, &b->hv, 1, true);
    size_t errors = md_lint_count_sev(l, MD_LINT_ERROR);
    say_text(b, MD_OUT_FINDING, md_lint_text(l));
    md_lint_free(l);
    if (errors)
        return md_err_set(b->err, "the image would hit %zu of the design's traps (listed above); "
                                  "fix the spec or its overlays", errors);
    return 0;
}

static int write_image_ini(struct build *b)
{
    md_imgdir_info info = {
        .name = md_spec_name(b->spec), .spec = md_spec_origin(b->spec),
        .xen = b->hv.found ? b->hv.version : "", .toolstack = b->ts.found ? b->ts.version : "",
        .kernel = md_modules_kver(b->mods), .source_date_epoch = b->sde,
        .modules = md_modules_count(b->mods), .keys_dir = b->keys_dir,
        .hosts = b->ihosts, .nhosts = b->nhosts,
    };
    return md_imgdir_stage_write_ini(b->stage, &info, b->err);
}

/* [Xen] HVM=yes: what the device model costs: the packages that only it
 * brings in (what the image would lose without HVM=yes).  *text stays
 * NULL without HVM. */
static int device_model_cost(struct build *b, const md_report *rep, char **text)
{
    *text = NULL;
    if (!md_spec_hvm(b->spec))
        return 0;
    md_strv only = { 0 };
    if (md_resolve_only_for(b->res, MD_SPEC_DEVICE_MODEL, &only, b->err) < 0) {
        md_err_prefix(b->err, "%s: [Xen] HVM=yes", md_spec_origin(b->spec));
        md_strv_free(&only);
        return -1;
    }
    *text = md_report_cost_text(rep, "HVM device model ([Xen] HVM=yes: " MD_SPEC_DEVICE_MODEL
                                     " and what only it needs)", (const char *const *)only.v);
    md_strv_free(&only);
    return 0;
}

static int write_size_report(struct build *b, md_report *rep, const char *dm)
{
    char *sizes = md_report_text(rep, 0), *mods = md_modules_report_text(b->mods);
    /* a package's file names, escaped as the build's warnings escape them:
     * a newline or ESC in one forged lines of the report and ran terminal
     * escapes at `cat` (trial 9h case 11) */
    md_strv shown = { 0 };
    for (size_t i = 0; i < b->unreferenced.n; i++) {
        char *one = md_err_shown(b->unreferenced.v[i]);
        md_strv_push(&shown, one);
        free(one);
    }
    char *unref = shown.n ? md_strv_join(&shown, "\n  ") : md_xstrdup("none");
    md_strv_free(&shown);
    char *text = md_xasprintf("rootfs: %zu entries, %.2f MiB cpio, %.2f MiB %s\n%s"
                              "Files over 1 MB that nothing in the image refers to:%s%s\n%s\n%s",
                              b->image.entries, b->image.cpio_bytes / 1048576.0,
                              b->image.out_bytes / 1048576.0, md_codec_name(b->codec), sizes,
                              b->unreferenced.n ? "\n  " : " ", unref, dm ? dm : "", mods);
    free(unref);
    free(sizes);
    free(mods);
    return write_text(b, MD_IMGDIR_SIZE_REPORT, text);
}

/* The early microcode cpio in front of the rootfs: an uncompressed newc
 * archive padded to 512 bytes (as cpio(1) writes one, and as Linux's
 * initramfs unpacker skips the zero padding to the next archive, the
 * compressed rootfs: the "early microcode + main archive" layout that
 * mkinitramfs writes too).  Linux unpacks it into the rootfs as well, so
 * its bytes count in what dom0 holds in RAM. */
static int prepend_microcode(struct build *b)
{
    const char *rootfs = md_imgdir_stage_path(b->stage, MD_IMGDIR_ROOTFS);
    char *early = md_xasprintf("%s.ucode", rootfs);
    md_image_stats st;
    unsigned char *cpio = NULL, *main = NULL;
    size_t clen = 0, mlen = 0;
    int r = md_image_write(b->ucode_tree, early, MD_CODEC_NONE, 0, b->sde, &st, b->err);
    if (r == 0)
        r = md_read_file(early, &cpio, &clen, b->err);
    unlink(early);
    free(early);
    if (r == 0)
        r = md_read_file(rootfs, &main, &mlen, b->err);
    if (r == 0) {
        size_t padded = (clen + 511) / 512 * 512;
        unsigned char *all = md_xmalloc(padded + mlen);
        memcpy(all, cpio, clen);
        memset(all + clen, 0, padded - clen);
        memcpy(all + padded, main, mlen);
        r = md_write_atomic(rootfs, all, padded + mlen, 0644, b->err);
        free(all);
        b->image.cpio_bytes += padded;
        b->image.out_bytes += padded;
        md_out_say(b->o->out, MD_OUT_PROGRESS, "early microcode for Xen: %.1f MiB uncompressed "
                                               "cpio in front of %s (ucode=scan)",
                   padded / 1048576.0, b->rootfs_name);
    }
    free(cpio);
    free(main);
    return r;
}

static int step_rootfs(struct build *b)
{
    md_out_say(b->o->out, MD_OUT_PROGRESS, "writing %s (%s)", b->rootfs_name, md_codec_name(b->codec));
    if (md_image_write(b->tree, md_imgdir_stage_path(b->stage, MD_IMGDIR_ROOTFS), b->codec,
                       md_spec_compression_level(b->spec), b->sde, &b->image, b->err) < 0)
        return -1;
    return b->ucode_tree ? prepend_microcode(b) : 0;
}

/* dom0_mem from the written rootfs (trap 4's X): Dom0Mem=auto computes it,
 * a given Dom0Mem= too small to unpack the rootfs is refused here, before
 * anything is published; HostMemory= checks it fits each host.  The
 * reasoning goes to the caller's sink. */
static int step_dom0_mem(struct build *b)
{
    size_t nhosts;
    const uint64_t *hosts = md_spec_host_memory(b->spec, &nhosts);
    md_dom0mem_input in = { .unpacked_bytes = b->image.cpio_bytes,
                            .compressed_bytes = b->image.out_bytes,
                            .codec = md_codec_name(b->codec), .hosts_mib = hosts,
                            .nhosts = nhosts };
    if (!md_spec_dom0_mem_auto(b->spec) &&
        md_size_parse_mib(md_spec_dom0_mem(b->spec), &in.given_mib, b->err) < 0)
        return -1; /* checked before: cannot happen */
    md_dom0mem_result res;
    if (md_dom0mem_plan(&in, &res, b->err) < 0) {
        md_err_prefix(b->err, "%s: [Xen]", md_spec_origin(b->spec));
        return -1;
    }
    say_text(b, MD_OUT_RESULT, res.text);
    return make_grub_cfg(b, res.mib);
}

static int step_write(struct build *b)
{
    int r = md_resolve_write_lock_with(b->res, md_imgdir_stage_path(b->stage, MD_IMGDIR_MANIFEST),
                                       b->modloop_line, b->err);
    md_report *rep = md_report_new(b->tree);
    char *dm = NULL;
    if (r == 0)
        r = device_model_cost(b, rep, &dm);
    if (r == 0)
        r = write_blob(b, MD_IMGDIR_XEN, &b->xen);
    if (r == 0)
        r = write_blob(b, MD_IMGDIR_KERNEL, &b->kernel);
    if (r == 0)
        r = write_text(b, MD_IMGDIR_GRUB_CFG, md_xstrdup(b->grub_cfg));
    if (r == 0)
        r = write_image_ini(b);
    if (r == 0)
        r = write_size_report(b, rep, dm);
    if (r == 0) {
        md_out_say(b->o->out, MD_OUT_RESULT, "rootfs: %zu entries, %.1f MiB uncompressed, %.1f MiB %s",
                   b->image.entries, b->image.cpio_bytes / 1048576.0,
                   b->image.out_bytes / 1048576.0, md_codec_name(b->codec));
        say_text(b, MD_OUT_RESULT, md_report_text(rep, b->o->verbose ? 0 : 10));
        if (dm)
            say_text(b, MD_OUT_RESULT, md_xstrdup(dm));
        if (b->o->verbose)
            say_text(b, MD_OUT_RESULT, md_modules_report_text(b->mods));
    }
    md_report_free(rep);
    free(dm);
    return r;
}

/* The efi/ tree or xen-unified.efi from Debian's xen.efi (written to the
 * scratch directory `work` for the tools), signed when the spec gives
 * SecureBootKey= and SecureBootCert=. */
static int xen_efi_medium(struct build *b, unsigned bit, const char *out, const char *work)
{
    char *xen_efi = md_xasprintf("%s/xen.efi", work);
    md_xenefi_files xf = {
        xen_efi, md_imgdir_stage_path(b->stage, MD_IMGDIR_KERNEL),
        md_imgdir_stage_path(b->stage, MD_IMGDIR_ROOTFS),
        md_spec_secure_boot_key(b->spec), md_spec_secure_boot_cert(b->spec), b->sde,
    };
    int rc = md_write_atomic(xen_efi, b->xen_efi.data, b->xen_efi.len, 0644, b->err);
    if (rc == 0)
        rc = bit == MD_SPEC_MEDIA_EFI ? md_xenefi_tree(b->entry, &xf, out, b->err)
                                      : md_xenefi_unified(b->entry, &xf, out, work, b->err);
    if (rc < 0 && bit == MD_SPEC_MEDIA_UNIFIED && xf.sb_key)
        md_err_prefix(b->err, "%s: [Boot] SecureBootKey=",
                      md_spec_key_at(b->spec, "Boot", "SecureBootKey"));
    free(xen_efi);
    return rc;
}

/* The hybrid ISO and the raw disk per host ([Host NAME] with Media=iso or
 * disk): hosts/NAME/boot.iso and hosts/NAME/disk.img, the image's medium
 * made by the same code from the same entry, with the host's rootfs (the
 * image's, byte for byte, with the host's identity appended) in place of
 * the image's.  A USB stick or an NVMe written with it boots that host on
 * whatever NIC it has; the network is on the NIC with the host's MAC. */
static int step_host_media(struct build *b, const md_bootmedia_files *image)
{
    unsigned want = b->media & (MD_SPEC_MEDIA_ISO | MD_SPEC_MEDIA_DISK);
    if (!want || !b->nhosts)
        return 0;
    const char *dir = md_imgdir_stage_path(b->stage, MD_IMGDIR_HOSTS);
    md_imgdir_stage_add(b->stage, MD_IMGDIR_HOSTS);
    if (md_mkdir_p(dir, 0755, b->err) < 0)
        return -1;
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < b->nhosts; i++) {
        md_bootmedia_files f = *image;
        f.rootfs = b->mhosts[i].rootfs;
        f.hosts = NULL;
        f.nhosts = 0;
        char *hd = md_xasprintf("%s/%s", dir, b->mhosts[i].name);
        if (md_mkdir_p(hd, 0755, b->err) < 0) {
            free(hd);
            return -1;
        }
        for (unsigned bit = MD_SPEC_MEDIA_ISO; rc == 0 && bit <= MD_SPEC_MEDIA_DISK; bit <<= 1) {
            if (!(want & bit))
                continue;
            if (interrupted(b) < 0) {
                rc = -1;
                break;
            }
            md_imgdir_file mf = bit == MD_SPEC_MEDIA_ISO ? MD_IMGDIR_ISO : MD_IMGDIR_DISK;
            md_out_say(b->o->out, MD_OUT_PROGRESS, "writing %s/%s/%s: host %s's",
                       md_imgdir_name(MD_IMGDIR_HOSTS), b->mhosts[i].name, md_imgdir_name(mf),
                       b->mhosts[i].name);
            char *work = md_scratch_dir("media", b->err);
            if (!work) {
                rc = -1;
                break;
            }
            char *out = md_xasprintf("%s/%s", hd, md_imgdir_name(mf));
            rc = bit == MD_SPEC_MEDIA_ISO ? md_bootmedia_iso(b->entry, &f, out, work, b->err)
                                          : md_bootmedia_disk(b->entry, &f, out, work, b->err);
            if (rc < 0)
                md_err_prefix(b->err, "host %s", b->mhosts[i].name);
            md_remove_tree(work, NULL);
            free(work);
            free(out);
        }
        free(hd);
    }
    return rc;
}

/* The boot media asked for, from the staged files and the one entry. */
static int step_media(struct build *b)
{
    if (!b->media)
        return 0;
    md_bootmedia_files f = {
        md_imgdir_stage_path(b->stage, MD_IMGDIR_XEN),
        md_imgdir_stage_path(b->stage, MD_IMGDIR_KERNEL),
        md_imgdir_stage_path(b->stage, MD_IMGDIR_ROOTFS),
        b->sde, b->mhosts, b->nhosts,
    };
    static const struct { unsigned bit; md_imgdir_file file; const char *what; } media[] = {
        { MD_SPEC_MEDIA_ISO, MD_IMGDIR_ISO, "hybrid BIOS/UEFI ISO" },
        { MD_SPEC_MEDIA_DISK, MD_IMGDIR_DISK, "raw GPT disk image (BIOS boot partition + ESP)" },
        { MD_SPEC_MEDIA_NETBOOT, MD_IMGDIR_NETBOOT, "netboot tree (GRUB, iPXE, pxelinux)" },
        { MD_SPEC_MEDIA_EFI, MD_IMGDIR_EFI, "Xen's EFI boot (xen.efi, xen.cfg, the files)" },
        { MD_SPEC_MEDIA_UNIFIED, MD_IMGDIR_UNIFIED, "unified xen.efi (config, kernel, rootfs inside)" },
    };
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < sizeof media / sizeof *media; i++) {
        if (!(b->media & media[i].bit))
            continue;
        if (interrupted(b) < 0)
            return -1;
        md_out_say(b->o->out, MD_OUT_PROGRESS, "writing %s: %s", md_imgdir_name(media[i].file),
                   media[i].what);
        char *work = md_scratch_dir("media", b->err);
        if (!work)
            return -1;
        const char *out = md_imgdir_stage_path(b->stage, media[i].file);
        md_imgdir_stage_add(b->stage, media[i].file);
        if (media[i].bit & (MD_SPEC_MEDIA_EFI | MD_SPEC_MEDIA_UNIFIED))
            rc = xen_efi_medium(b, media[i].bit, out, work);
        else if (media[i].bit == MD_SPEC_MEDIA_ISO)
            rc = md_bootmedia_iso(b->entry, &f, out, work, b->err);
        else if (media[i].bit == MD_SPEC_MEDIA_DISK)
            rc = md_bootmedia_disk(b->entry, &f, out, work, b->err);
        else
            rc = md_bootmedia_netboot(b->entry, &f, out, work, b->err);
        md_remove_tree(work, NULL);
        free(work);
    }
    return rc < 0 ? rc : step_host_media(b, &f);
}

/* Every output is complete in the staging directory: move them in. */
static int step_publish(struct build *b)
{
    return md_imgdir_publish(b->stage, b->err);
}

/* The keys and the download cache outlive builds: inside the output,
 * which each build replaces as a whole, they would be lost every time.
 * Refused before any work: a cache there was filled (minutes of
 * downloads), then the build failed calling it "added while the build
 * ran", and with --force each build deleted it (trial 9x F8). */
static int refuse_inside_output(struct build *b)
{
    char *cache = md_cache_path(b->o->cache_dir, NULL);
    const struct {
        const char *what, *dir, *lost, *options;
    } kept[] = {
        { "the ssh keys directory", b->keys_dir, "the host keys would change every build",
          "--keys, [SSH] KeysDir=" },
        { "the download cache", cache, "the cache would be lost every build",
          "--cache, $MKDOM0_CACHE" },
    };
    int r = 0;
    for (size_t i = 0; r == 0 && i < sizeof kept / sizeof *kept; i++)
        if (md_imgdir_stage_holds(b->stage, kept[i].dir))
            r = md_err_set(b->err, "%s %s is inside the output directory %s, which each build "
                                   "replaces as a whole: %s; keep it elsewhere (%s)",
                           kept[i].what, kept[i].dir, b->o->outdir, kept[i].lost,
                           kept[i].options);
    free(cache);
    return r;
}

int md_build_run(const md_spec *spec, const md_build_opts *o, md_err *err)
{
    struct build b = { .spec = spec, .o = o, .err = err, .t0 = md_run_now() };
    /* --keys, else the spec's KeysDir, else the user's default */
    b.keys_dir = md_imgdir_keys_dir(o->keys_dir ? o->keys_dir : md_spec_keys_dir(spec));
    int r = -1;
    /* a download under way stops too, not only the next step (trial 9f
     * case 3: one that never ended kept the build from ever stopping) */
    md_fetch_set_cancel(o->cancel);
    /* KeysDir= and ClientKey= of image.ini: refused now, not after the work */
    if (md_path_printable("keys directory", b.keys_dir, err) < 0)
        goto out;
    if (md_codec_from_name(md_spec_compression(spec), &b.codec, err) < 0)
        goto out;
    b.rootfs_name = md_imgdir_rootfs_name(b.codec);
    b.media = o->media >= 0 ? (unsigned)o->media : md_spec_media(spec);
    if (check_boot_entry(&b) < 0)
        goto out;
    /* A host's rootfs is on its own media or in the netboot tree (which
     * picks its config by its MAC). */
    if (md_spec_host_count(spec) &&
        !(b.media & (MD_SPEC_MEDIA_NETBOOT | MD_SPEC_MEDIA_ISO | MD_SPEC_MEDIA_DISK))) {
        const md_spec_host *h = md_spec_host_at(spec, 0);
        md_err_set(err, "%s: [Host %s]: hosts boot from the netboot tree, which picks each "
                        "host's config by its MAC, or from media of their own: add netboot, "
                        "iso or disk to [Boot] Media= (or --media)", h->at, h->name);
        goto out;
    }
    /* The keys sign xen-unified.efi alone: without it the user would take
     * the output for signed (trial 9d case 08). */
    if (md_spec_secure_boot_key(spec) && !(b.media & MD_SPEC_MEDIA_UNIFIED))
        md_out_say(o->out, MD_OUT_NOTE, "warning: %s: [Boot] SecureBootKey= signs only "
                   "xen-unified.efi, which this build does not write: nothing is signed (add "
                   "unified to Media= or --media)", md_spec_key_at(spec, "Boot", "SecureBootKey"));
    /* First: a second build into the same output, or an output directory
     * that is not ours, is refused before minutes of work. */
    if (!(b.stage = md_imgdir_stage_new(o->outdir, b.codec, o->force, err)))
        goto out;
    if (refuse_inside_output(&b) < 0)
        goto out;
    /* The keys directory made or checked now, not after the package work
     * (trial 9c: a dangling --keys symlink failed at the end, "chmod"). */
    if (md_sshkeys_ensure(b.keys_dir, MD_SSHKEYS_HOST | MD_SSHKEYS_CLIENT, o->out, err) < 0)
        goto out;
    /* The cache too, before anything is fetched (trial 9k); after the keys,
     * so a refused keys directory leaves no cache made */
    if (md_cache_prepare(o->cache_dir, NULL, err) < 0)
        goto out;
    /* Each step is timed into its phase: --verbose prints where a build's
     * time went (the benchmark reads that line). */
    enum { P_RESOLVE, P_EXTRACT, P_MODULES, P_FILES, P_COMPRESS, P_LINT, P_WRITE, P_N };
    static const char *const phase_name[P_N] = { "resolve", "extract", "modules", "files",
                                                 "compress", "lint", "write" };
    static const struct {
        int (*fn)(struct build *);
        int phase;
    } steps[] = {
        { step_resolve, P_RESOLVE },   { step_extract, P_EXTRACT },  { step_epoch, P_EXTRACT },
        { step_boot_files, P_EXTRACT }, { step_filter, P_EXTRACT },  { step_modules, P_MODULES },
        { step_files, P_FILES },       { step_ssh, P_FILES },        { step_settings, P_FILES },
        { step_rccache, P_FILES },     { step_dedupe, P_FILES },     { step_refs, P_FILES },
        { step_rootfs, P_COMPRESS },   { step_hosts, P_COMPRESS },   { step_dom0_mem, P_WRITE },   { step_self_lint, P_LINT },
        { step_write, P_WRITE },       { step_media, P_WRITE },      { step_publish, P_WRITE },
    };
    double spent[P_N] = { 0 };
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        double t = md_run_now();
        if (interrupted(&b) < 0 || steps[i].fn(&b) < 0)
            goto out;
        spent[steps[i].phase] += md_run_now() - t;
    }
    if (o->verbose) {
        char line[256];
        int len = snprintf(line, sizeof line, "phases (wall s):");
        for (int p = 0; p < P_N; p++)
            len += snprintf(line + len, sizeof line - (size_t)len, " %s %.2f", phase_name[p],
                            spent[p]);
        md_out_say(o->out, MD_OUT_RESULT, "%s", line);
    }
    char *media = md_xstrdup("");
    for (md_imgdir_file f = MD_IMGDIR_ISO; f < MD_IMGDIR_NALL; f++)
        if (b.media & (1u << (f - MD_IMGDIR_ISO))) {
            char *m = md_xasprintf("%s,%s%s", media, md_imgdir_name(f),
                                   md_imgdir_is_dir(f) ? "/" : "");
            free(media);
            media = m;
        }
    if (b.nhosts && (b.media & (MD_SPEC_MEDIA_ISO | MD_SPEC_MEDIA_DISK))) {
        char *m = md_xasprintf("%s,%s/", media, md_imgdir_name(MD_IMGDIR_HOSTS));
        free(media);
        media = m;
    }
    md_out_say(o->out, MD_OUT_RESULT, "built %s in %.1f s: %s/{xen.gz,vmlinuz,%s,grub.cfg%s}",
               md_spec_name(spec), md_run_now() - b.t0, o->outdir, b.rootfs_name, media);
    free(media);
    r = 0;
out:
    md_fetch_set_cancel(NULL);
    md_imgdir_stage_free(b.stage);
    free(b.keys_dir);
    free(b.rootfs_name);
    free(b.grub_cfg);
    md_bootcfg_entry_free(b.entry);
    free(b.xen.data);
    free(b.xen_efi.data);
    md_tree_free(b.ucode_tree);
    free(b.modloop_line);
    free(b.kernel.data);
    md_modules_free(b.mods);
    md_strv_free(&b.unreferenced);
    for (size_t i = 0; i < b.nhosts; i++) {
        free((char *)b.mhosts[i].rootfs);
        free((char *)b.ihosts[i].host_key);
    }
    free(b.mhosts);
    free(b.ihosts);
    if (b.hosts_work) {
        md_remove_tree(b.hosts_work, NULL);
        free(b.hosts_work);
    }
    md_tree_free(b.tree);
    md_resolve_free(b.res);
    return r;
}
