/* xenver — hypervisor and toolstack releases, read from the binaries.
 *
 * DT_SONAME comes from core/elf's bounded reads.
 */
#include "lint/xenver.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decomp.h"
#include "core/elf.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/strv.h"
#include "image/imgdir.h"
#include "image/refs.h"


/* Copy, cut at the field's size (messages are longer than the fields). */
static void set_str(char *dst, size_t cap, const char *src)
{
    size_t n = src ? strnlen(src, cap - 1) : 0;
    memcpy(dst, src ? src : "", n);
    dst[n] = '\0';
}

/* "# Xen/x86 4.17.7 Configuration" in an embedded gzip'd Kconfig. */
static bool kconfig_version(const unsigned char *img, size_t len, char *ver, size_t cap)
{
    static const char head[] = "# Automatically generated file; DO NOT EDIT.\n# Xen/";
    for (size_t i = 0; i + 10 < len; i++) {
        const unsigned char *p = memchr(img + i, 0x1f, len - i);
        if (!p)
            break;
        i = (size_t)(p - img);
        if (p + 3 > img + len || p[1] != 0x8b || p[2] != 8)
            continue;
        size_t n;
        unsigned char *txt;
        md_err ignored = MD_ERR_INIT; /* not a gzip stream after all: look further */
        if (md_decomp_head("embedded Kconfig", p, len - i, 512, &txt, &n, &ignored) < 0)
            continue;
        const char *h = strstr((const char *)txt, head);
        bool ok = false;
        if (h) {
            const char *sp = strchr(h + sizeof head - 1, ' '); /* after "x86" */
            if (sp) {
                size_t vl = strcspn(sp + 1, " \n");
                if (vl && vl < cap && strncmp(sp + 1 + vl, " Configuration", 14) == 0) {
                    memcpy(ver, sp + 1, vl);
                    ver[vl] = '\0';
                    ok = true;
                }
            }
        }
        free(txt);
        if (ok)
            return true;
    }
    return false;
}

static bool parse_mm(const char *s, unsigned *major, unsigned *minor)
{
    char tail;
    return sscanf(s, "%u.%u%c", major, minor, &tail) >= 2;
}

int md_xenver_hypervisor_image(const unsigned char *data, size_t len, const char *name,
                               md_xen_version *out, md_err *err)
{
    memset(out, 0, sizeof *out);
    set_str(out->path, sizeof out->path, name);
    unsigned char *raw = NULL;
    size_t rawlen = len;
    const unsigned char *img = data;
    if (md_decomp_detect(data, len) != MD_DECOMP_NONE) {
        if (md_decomp_buf(name, data, len, MD_IMGDIR_XEN_MAX, &raw, &rawlen, err) < 0)
            return -1;
        img = raw;
    }
    static const char banner[] = "Xen version %d.%d%s";
    bool is_xen = md_elf_is(img, rawlen) &&
                  memmem(img, rawlen, banner, sizeof banner - 1) != NULL;
    /* xen.efi is PE, not ELF, but carries the same banner and config. */
    if (!is_xen && rawlen >= 2 && img[0] == 'M' && img[1] == 'Z')
        is_xen = memmem(img, rawlen, banner, sizeof banner - 1) != NULL;
    int rc = 0;
    if (!is_xen) {
        rc = md_err_set(err, "%s: not a Xen hypervisor image (no ELF with the Xen banner)", name);
    } else if (kconfig_version(img, rawlen, out->version, sizeof out->version) &&
               parse_mm(out->version, &out->major, &out->minor)) {
        set_str(out->source, sizeof out->source, "embedded Kconfig (\"# Xen/x86 ... Configuration\")");
        out->found = true;
    } else {
        /* A file name is whatever someone called the file: no release. */
        rc = md_err_set(err, "%s: a Xen image without an embedded Kconfig (built without "
                             "CONFIG_HYPFS_CONFIG): its release cannot be read from the binary", name);
    }
    free(raw);
    return rc;
}

int md_xenver_hypervisor_file(const char *path, md_xen_version *out, md_err *err)
{
    unsigned char *d;
    size_t len;
    if (md_read_file(path, &d, &len, err) < 0)
        return -1;
    int rc = md_xenver_hypervisor_image(d, len, path, out, err);
    free(d);
    return rc;
}

/* ---- libxenctrl ---- */

/* "libxenctrl.so.4.17" (Debian's and upstream's DT_SONAME) or
 * "libxenctrl-4.17.so" -> 4.17 */
static bool ctrl_soname_version(const char *soname, unsigned *ma, unsigned *mi)
{
    if (strncmp(soname, "libxenctrl.so.", 14) == 0)
        return parse_mm(soname + 14, ma, mi);
    if (strncmp(soname, "libxenctrl-", 11) == 0)
        return parse_mm(soname + 11, ma, mi);
    return false;
}

int md_xenver_libxenctrl(const unsigned char *data, size_t len, const char *name,
                         md_xen_version *out, md_err *err)
{
    memset(out, 0, sizeof *out);
    set_str(out->path, sizeof out->path, name);
    if (!md_elf_is(data, len))
        return md_err_set(err, "%s: not an ELF shared object", name);
    char soname[128];
    md_elf e;
    if (md_elf_open(&e, name, data, len, err) < 0)
        return -1;
    if (!md_elf_soname(&e, soname, sizeof soname))
        return md_err_set(err, "%s: no DT_SONAME readable (a shared object without a dynamic "
                               "section, or a damaged one)", name);
    if (!ctrl_soname_version(soname, &out->major, &out->minor))
        return md_err_set(err, "%s: DT_SONAME \"%s\" is not libxenctrl's", name, soname);
    snprintf(out->version, sizeof out->version, "%u.%u", out->major, out->minor);
    snprintf(out->source, sizeof out->source, "DT_SONAME %s", soname);
    out->found = true;
    return 0;
}

/* ---- trees ---- */

static bool is_hypervisor_name(const char *path)
{
    if (strncmp(path, "/boot/", 6) != 0 || strchr(path + 6, '/'))
        return false;
    const char *b = path + 6;
    if (strncmp(b, "xen", 3) != 0 || (b[3] != '-' && b[3] != '.' && b[3] != '\0'))
        return false;
    if (!fnmatch("*.gz", b, 0))
        return true;
    static const char *const other[] = { "*.config", "*.efi", "*.map", "*.cfg", "*.sig", "*.old",
                                         NULL };
    for (int i = 0; other[i]; i++)
        if (!fnmatch(other[i], b, 0))
            return false;
    return strncmp(b, "xen-syms", 8) != 0;
}

/* Which files to read, not what they say: libxenctrl.so.X.Y[.Z] (Debian,
 * upstream) and libxenctrl-X.Y.so (older upstream installs). */
bool md_xenver_is_libxenctrl(const char *path)
{
    const char *b = basename(path);
    return strncmp(b, "libxenctrl.so.", 14) == 0 ||
           (strncmp(b, "libxenctrl-", 11) == 0 && strstr(b, ".so"));
}

/* Programs of the Xen userland: what shows that the tree has a toolstack
 * whose release matters, even when no libxenctrl can be read. */
static bool is_userland_name(const char *path)
{
    static const char *const progs[] = { "xl", "xenstored", "oxenstored", "xenconsoled",
                                         "xen-init-dom0", NULL };
    const char *b = basename(path);
    /* a program, not its config (/etc/conf.d/xenconsoled) or docs */
    if (!strstr(path, "bin/") && !strstr(path, "/libexec/"))
        return false;
    for (int i = 0; progs[i]; i++)
        if (!strcmp(b, progs[i]))
            return true;
    return false;
}

static void push(md_xen_version **v, size_t *n, const md_xen_version *x)
{
    *v = md_xrealloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = *x;
}

static bool push_str(void *ctx, const char *s)
{
    md_strv_push(ctx, s);
    return true;
}

static bool is_xen_lib(const char *name)
{
    return !strncmp(name, "libxen", 6);
}

/* Where the survey looks for programs: not the hypervisors and kernel in
 * /boot, not the thousands of kernel modules (ELF, but never run). */
static bool program_place(const char *p)
{
    return strncmp(p, "/boot/", 6) && strncmp(p, "/lib/modules/", 13) &&
           strncmp(p, "/usr/lib/modules/", 17) && !strstr(basename(p), ".so");
}

/* The DT_NEEDED names of the ELF file `n`, a dynamically linked program
 * (`program`) or a shared object (no PT_INTERP either); false: not one, or
 * its bytes were not kept. */
static bool needed_of(const md_node *n, const char *path, bool program, md_elf *e, md_strv *out)
{
    size_t len;
    const unsigned char *d = n ? md_node_data(n, &len) : NULL;
    md_err ignored = MD_ERR_INIT; /* not a readable ELF file: not a program */
    if (!d || !md_elf_is(d, len) || md_elf_open(e, path, d, len, &ignored) < 0 ||
        (program && md_elf_is_static(e)))
        return false;
    md_elf_dynamic_strings(e, MD_ELF_DT_NEEDED, push_str, out);
    return true;
}

/* Follow program `pr`'s DT_NEEDED through the Xen libraries (the only ones
 * that link libxenctrl) to the libxenctrl it loads, as the loader would.
 * The walk is breadth first, so the first missing library named is the one
 * nearest the program; it stops at 64 files (Xen's deepest chain is 3). */
static void walk_program(const md_tree *t, md_xenver_prog *pr)
{
    md_strv todo = { 0 }, seen = { 0 };
    md_strv_push(&todo, pr->path);
    for (size_t i = 0; i < todo.n && i < 64; i++) {
        const char *cur = todo.v[i];
        md_elf e;
        md_strv need = { 0 };
        if (!needed_of(md_tree_resolve_file(t, cur), cur, i == 0, &e, &need)) {
            md_strv_free(&need);
            continue;
        }
        for (size_t k = 0; k < need.n; k++) {
            const char *lib = need.v[k];
            if (!is_xen_lib(lib) || md_strv_contains(&seen, lib))
                continue;
            md_strv_push(&seen, lib);
            char *at = md_refs_find_library(t, cur, &e, lib);
            if (!at) {
                if (!pr->missing[0]) {
                    set_str(pr->missing, sizeof pr->missing, lib);
                    set_str(pr->missing_by, sizeof pr->missing_by, cur);
                }
                continue;
            }
            char slashed[160];
            snprintf(slashed, sizeof slashed, "/%s", lib);
            if (md_xenver_is_libxenctrl(slashed)) {
                if (!pr->ctrl.path[0]) {
                    const md_node *f = md_tree_resolve_file(t, at);
                    size_t len = 0;
                    const unsigned char *d = f ? md_node_data(f, &len) : NULL;
                    md_err err = MD_ERR_INIT;
                    if (!d)
                        md_err_set(&err, "content not read (%zu bytes)", len);
                    else if (md_xenver_libxenctrl(d, len, at, &pr->ctrl, &err) == 0)
                        set_str(pr->ctrl.origin, sizeof pr->ctrl.origin, md_node_origin(f));
                    if (err.set) {
                        memset(&pr->ctrl, 0, sizeof pr->ctrl);
                        size_t pl = strlen(at);
                        set_str(pr->ctrl.source, sizeof pr->ctrl.source,
                                !strncmp(err.msg, at, pl) && !strncmp(err.msg + pl, ": ", 2)
                                    ? err.msg + pl + 2 : err.msg);
                        set_str(pr->ctrl.origin, sizeof pr->ctrl.origin,
                                f ? md_node_origin(f) : "");
                    }
                    set_str(pr->ctrl.path, sizeof pr->ctrl.path, at);
                    set_str(pr->ctrl_needed, sizeof pr->ctrl_needed, lib);
                }
            } else {
                md_strv_push(&todo, at);
            }
            free(at);
        }
        md_strv_free(&need);
    }
    md_strv_free(&todo);
    md_strv_free(&seen);
}

/* Is the file at `p` a Xen program (md_xenver_survey's progs)? */
static bool xen_program(const md_node *n, const char *p)
{
    if (!program_place(p))
        return false;
    md_elf e;
    md_strv need = { 0 };
    bool xen = false;
    if (needed_of(n, p, true, &e, &need)) {
        xen = is_userland_name(p);
        for (size_t i = 0; i < need.n && !xen; i++)
            xen = is_xen_lib(need.v[i]);
    }
    md_strv_free(&need);
    return xen;
}

void md_xenver_survey_tree(const md_tree *t, md_xenver_survey *s)
{
    memset(s, 0, sizeof *s);
    const md_node *userland = NULL;
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        md_node_type ty = md_node_type_of(n);
        if (ty != MD_NODE_FILE && ty != MD_NODE_HARDLINK)
            continue; /* a symlink's or a directory's name is no release */
        const char *p = md_node_path(n);
        bool hv = is_hypervisor_name(p), ts = !hv && md_xenver_is_libxenctrl(p);
        if (!hv && !ts) {
            if (!userland && is_userland_name(p))
                userland = n;
            if (xen_program(n, p)) {
                md_xenver_prog pr;
                memset(&pr, 0, sizeof pr);
                set_str(pr.path, sizeof pr.path, p);
                set_str(pr.origin, sizeof pr.origin, md_node_origin(n));
                walk_program(t, &pr);
                s->progs = md_xrealloc(s->progs, (s->nprogs + 1) * sizeof *s->progs);
                s->progs[s->nprogs++] = pr;
            }
            continue;
        }
        size_t len;
        const unsigned char *d = md_node_data(n, &len);
        md_xen_version v;
        md_err e = MD_ERR_INIT;
        int rc = !d ? md_err_set(&e, "%s: content not read (a link to a file of %zu bytes "
                                     "elsewhere)", p, len)
                 : hv ? md_xenver_hypervisor_image(d, len, p, &v, &e)
                      : md_xenver_libxenctrl(d, len, p, &v, &e);
        set_str(v.origin, sizeof v.origin, md_node_origin(n));
        if (rc < 0) {
            memset(&v, 0, sizeof v);
            set_str(v.path, sizeof v.path, p);
            set_str(v.origin, sizeof v.origin, md_node_origin(n));
            /* The reason alone: the path is v.path. */
            size_t pl = strlen(p);
            set_str(v.source, sizeof v.source,
                    !strncmp(e.msg, p, pl) && !strncmp(e.msg + pl, ": ", 2) ? e.msg + pl + 2 : e.msg);
            if (hv)
                push(&s->bad_hv, &s->nbad_hv, &v);
            else
                push(&s->bad_ts, &s->nbad_ts, &v);
            continue;
        }
        if (hv) {
            push(&s->hv, &s->nhv, &v);
            continue;
        }
        bool known = false;
        for (size_t i = 0; i < s->nts && !known; i++)
            known = s->ts[i].major == v.major && s->ts[i].minor == v.minor;
        if (!known)
            push(&s->ts, &s->nts, &v);
    }
    if (userland && !s->nts) {
        set_str(s->userland, sizeof s->userland, md_node_path(userland));
        set_str(s->userland_origin, sizeof s->userland_origin, md_node_origin(userland));
    }
}

void md_xenver_survey_free(md_xenver_survey *s)
{
    free(s->hv);
    free(s->ts);
    free(s->bad_hv);
    free(s->bad_ts);
    free(s->progs);
    memset(s, 0, sizeof *s);
}

const md_xen_version *md_xenver_stray(const md_xenver_survey *s, const md_xen_version *used)
{
    if (!used || !used->found)
        used = s->nts ? &s->ts[0] : NULL;
    for (size_t i = 0; used && i < s->nts; i++)
        if (s->ts[i].major != used->major || s->ts[i].minor != used->minor)
            return &s->ts[i];
    return NULL;
}

static int unreadable(const md_xen_version *v, md_err *err)
{
    md_err_set(err, "%s: %s", v->path, v->source);
    md_err_prefix(err, "%s", v->origin);
    return -1;
}

/* md_xenver_scan, and with `compare` md_xenver_check: one survey, so both
 * report the same versions and the same errors in the same order. */
static int scan(const md_tree *t, bool compare, md_xen_version *hv, md_xen_version *ts,
                md_err *err)
{
    memset(hv, 0, sizeof *hv);
    memset(ts, 0, sizeof *ts);
    md_xenver_survey s;
    md_xenver_survey_tree(t, &s);
    int rc = 0;
    if (s.nbad_hv)
        rc = unreadable(&s.bad_hv[0], err);
    else if (s.nbad_ts)
        rc = unreadable(&s.bad_ts[0], err);
    for (size_t i = 1; rc == 0 && i < s.nhv; i++)
        if (s.hv[i].major != s.hv[0].major || s.hv[i].minor != s.hv[0].minor)
            rc = md_err_set(err, "two Xen hypervisor releases in the image: %u.%u (%s from %s) "
                                 "and %u.%u (%s from %s)", s.hv[0].major, s.hv[0].minor,
                            s.hv[0].path, s.hv[0].origin, s.hv[i].major, s.hv[i].minor,
                            s.hv[i].path, s.hv[i].origin);
    /* The programs decide when there are any (md_xenver_prog): each against
     * the hypervisor first, the message that names the mismatching program
     * and package being the useful one. */
    const md_xenver_prog *ts_prog = NULL;
    for (size_t i = 0; rc == 0 && i < s.nprogs; i++) {
        const md_xenver_prog *p = &s.progs[i];
        /* only a missing libxenctrl is trap 2's to name: any other library
         * a program lacks is the build's "would not start" check's (refs.h),
         * made once Drop= and Copy= are applied */
        char slashed[160];
        snprintf(slashed, sizeof slashed, "/%s", p->missing);
        if (compare && p->missing[0] && md_xenver_is_libxenctrl(slashed))
            rc = md_err_set(err, "%s (from %s) needs %s%s%s, which is not in the image: the "
                                 "dynamic loader does not start it", p->path, p->origin,
                            p->missing, strcmp(p->missing_by, p->path) ? ", named by " : "",
                            strcmp(p->missing_by, p->path) ? p->missing_by : "");
        else if (p->ctrl.path[0] && !p->ctrl.found)
            rc = unreadable(&p->ctrl, err);
        else if (compare && s.nhv && md_xenver_compare(&s.hv[0], &p->ctrl, err) < 0) {
            md_err_prefix(err, "%s (from %s) loads %s", p->path, p->origin, p->ctrl.path);
            rc = -1;
        } else if (p->ctrl.found && ts_prog && (p->ctrl.major != ts_prog->ctrl.major ||
                                              p->ctrl.minor != ts_prog->ctrl.minor))
            rc = md_err_set(err, "toolstack programs of two Xen releases in the image: %s loads "
                                 "libxenctrl %u.%u (%s from %s) and %s loads %u.%u (%s from %s)",
                            ts_prog->path, ts_prog->ctrl.major, ts_prog->ctrl.minor,
                            ts_prog->ctrl.path, ts_prog->ctrl.origin, p->path, p->ctrl.major,
                            p->ctrl.minor, p->ctrl.path, p->ctrl.origin);
        if (p->ctrl.found && (!ts_prog || !strcmp(basename(p->path), "xenstored")))
            ts_prog = p;
    }
    for (size_t i = 0; !ts_prog && compare && rc == 0 && s.nhv && i < s.nts; i++)
        rc = md_xenver_compare(&s.hv[0], &s.ts[i], err);
    /* libxenctrl files of two releases: a mixed image, used or not */
    const md_xen_version *used = ts_prog ? &ts_prog->ctrl : NULL,
                         *stray = rc == 0 ? md_xenver_stray(&s, used) : NULL;
    if (stray) {
        if (!used)
            used = &s.ts[0];
        rc = md_err_set(err, "two libxenctrl releases in the image: %u.%u (%s from %s) and "
                             "%u.%u (%s from %s)", used->major, used->minor, used->path,
                        used->origin, stray->major, stray->minor, stray->path, stray->origin);
    }
    if (rc == 0 && compare && s.userland[0] && !ts_prog)
        rc = md_err_set(err, "%s (from %s) is Xen userland, but the image has no libxenctrl "
                             "to read its release from: trap 2 cannot be checked (the toolstack "
                             "would not run without it either)", s.userland, s.userland_origin);
    if (s.nhv)
        *hv = s.hv[0];
    if (ts_prog)
        *ts = ts_prog->ctrl;
    else if (s.nts)
        *ts = s.ts[0];
    md_xenver_survey_free(&s);
    return rc;
}

int md_xenver_scan(const md_tree *t, md_xen_version *hv, md_xen_version *ts, md_err *err)
{
    return scan(t, false, hv, ts, err);
}

int md_xenver_compare(const md_xen_version *hv, const md_xen_version *ts, md_err *err)
{
    if (!hv->found || !ts->found)
        return 0;
    if (hv->major == ts->major && hv->minor == ts->minor)
        return 0;
    return md_err_set(err,
                      "toolstack/hypervisor mismatch: %s ships Xen %u.%u (%s, version %s) but "
                      "libxenctrl %u.%u comes from %s (%s); libxenctrl only talks to the hypervisor "
                      "of its own Xen release, xenstored would fail at start (design trap 2): "
                      "take the Xen userland from the %u.%u release",
                      hv->origin[0] ? hv->origin : "the image", hv->major, hv->minor, hv->path,
                      hv->version, ts->major, ts->minor, ts->origin[0] ? ts->origin : "the image",
                      ts->path, hv->major, hv->minor);
}

int md_xenver_check(const md_tree *t, md_xen_version *hv, md_xen_version *ts, md_err *err)
{
    return scan(t, true, hv, ts, err);
}
