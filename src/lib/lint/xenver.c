/* xenver — hypervisor and toolstack releases, read from the binaries.
 *
 * DT_SONAME comes from core/elf's bounded reads.
 */
#include "lint/xenver.h"

#include <fnmatch.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/decomp.h"
#include "core/elf.h"
#include "core/file.h"
#include "core/mem.h"
#include "image/imgdir.h"


static void set_str(char *dst, size_t cap, const char *src)
{
    snprintf(dst, cap, "%s", src ? src : "");
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

/* "xen-4.17-amd64.gz", "xen-4.17.2.gz" -> 4.17 */
static bool name_version(const char *name, char *ver, size_t cap, unsigned *ma, unsigned *mi)
{
    const char *b = basename(name);
    if (strncmp(b, "xen-", 4) != 0 || !parse_mm(b + 4, ma, mi))
        return false;
    snprintf(ver, cap, "%u.%u", *ma, *mi);
    return true;
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
    } else if (name_version(name, out->version, sizeof out->version, &out->major, &out->minor)) {
        set_str(out->source, sizeof out->source,
                "file name only: the image embeds no Kconfig (built without CONFIG_HYPFS_CONFIG)");
        out->found = true;
    } else {
        rc = md_err_set(err, "%s: Xen image without an embedded Kconfig and no version in its "
                             "name (expected xen-X.Y...)", name);
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

/* "libxenctrl.so.4.17[.0]" or "libxenctrl-4.17.so" -> 4.17 */
static bool ctrl_name_version(const char *name, unsigned *ma, unsigned *mi)
{
    const char *b = basename(name);
    if (strncmp(b, "libxenctrl.so.", 14) == 0)
        return parse_mm(b + 14, ma, mi);
    if (strncmp(b, "libxenctrl-", 11) == 0)
        return parse_mm(b + 11, ma, mi);
    return false;
}

int md_xenver_libxenctrl(const unsigned char *data, size_t len, const char *name,
                         md_xen_version *out, md_err *err)
{
    memset(out, 0, sizeof *out);
    set_str(out->path, sizeof out->path, name);
    char soname[128];
    md_elf e;
    md_err ignored = MD_ERR_INIT; /* not ELF: said below, with the name's version as fallback */
    if (md_elf_open(&e, name, data, len, &ignored) == 0 && md_elf_soname(&e, soname, sizeof soname)) {
        if (!ctrl_name_version(soname, &out->major, &out->minor))
            return md_err_set(err, "%s: DT_SONAME \"%s\" is not libxenctrl's", name, soname);
        snprintf(out->version, sizeof out->version, "%u.%u", out->major, out->minor);
        snprintf(out->source, sizeof out->source, "DT_SONAME %s", soname);
        out->found = true;
        return 0;
    }
    if (!md_elf_is(data, len))
        return md_err_set(err, "%s: not an ELF shared object", name);
    if (ctrl_name_version(name, &out->major, &out->minor)) {
        snprintf(out->version, sizeof out->version, "%u.%u", out->major, out->minor);
        set_str(out->source, sizeof out->source, "file name (no DT_SONAME readable)");
        out->found = true;
        return 0;
    }
    return md_err_set(err, "%s: neither a shared object with a libxenctrl DT_SONAME nor a "
                           "versioned libxenctrl file name", name);
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

static bool is_ctrl_name(const char *path)
{
    const char *b = basename(path);
    return strncmp(b, "libxenctrl.so.", 14) == 0 ||
           (strncmp(b, "libxenctrl-", 11) == 0 && strstr(b, ".so"));
}

typedef struct found_list {
    md_xen_version *v;
    size_t n;
} found_list;

static void push(found_list *l, const md_xen_version *v)
{
    l->v = md_xrealloc(l->v, (l->n + 1) * sizeof *l->v);
    l->v[l->n++] = *v;
}

static int collect(const md_tree *t, found_list *hvs, found_list *tss, md_err *err)
{
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        md_node_type ty = md_node_type_of(n);
        if (ty != MD_NODE_FILE && ty != MD_NODE_HARDLINK)
            continue;
        const char *p = md_node_path(n);
        bool hv = is_hypervisor_name(p), ts = !hv && is_ctrl_name(p);
        if (!hv && !ts)
            continue;
        size_t len;
        const unsigned char *d = md_node_data(n, &len);
        md_xen_version v;
        int rc = hv ? md_xenver_hypervisor_image(d, len, p, &v, err)
                    : md_xenver_libxenctrl(d, len, p, &v, err);
        if (rc < 0) {
            md_err_prefix(err, "%s", md_node_origin(n));
            return -1;
        }
        set_str(v.origin, sizeof v.origin, md_node_origin(n));
        push(hv ? hvs : tss, &v);
    }
    return 0;
}

static int same_kind(const found_list *l, const char *what, md_err *err)
{
    for (size_t i = 1; i < l->n; i++)
        if (l->v[i].major != l->v[0].major || l->v[i].minor != l->v[0].minor)
            return md_err_set(err, "two %s releases in the image: %u.%u (%s from %s) and %u.%u "
                                   "(%s from %s)", what, l->v[0].major, l->v[0].minor, l->v[0].path,
                              l->v[0].origin, l->v[i].major, l->v[i].minor, l->v[i].path,
                              l->v[i].origin);
    return 0;
}

/* md_xenver_scan, and with `compare` md_xenver_check: one walk, so both
 * report the same versions and the same errors in the same order. */
static int scan(const md_tree *t, bool compare, md_xen_version *hv, md_xen_version *ts,
                md_err *err)
{
    memset(hv, 0, sizeof *hv);
    memset(ts, 0, sizeof *ts);
    found_list hvs = { 0 }, tss = { 0 };
    int rc = collect(t, &hvs, &tss, err);
    if (rc == 0)
        rc = same_kind(&hvs, "Xen hypervisor", err);
    /* Each toolstack against the hypervisor first: the message that names
     * the mismatching package is the useful one. */
    for (size_t i = 0; compare && rc == 0 && hvs.n && i < tss.n; i++)
        rc = md_xenver_compare(&hvs.v[0], &tss.v[i], err);
    if (rc == 0)
        rc = same_kind(&tss, "libxenctrl", err);
    if (hvs.n)
        *hv = hvs.v[0];
    if (tss.n)
        *ts = tss.v[0];
    free(hvs.v);
    free(tss.v);
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

/* The toolstack release node `n` shows, if any (md_xenver_toolstacks). */
static bool toolstack_seen(const md_node *n, md_xen_version *v)
{
    const char *p = md_node_path(n);
    md_node_type ty = md_node_type_of(n);
    memset(v, 0, sizeof *v);
    if (ty == MD_NODE_DIR) {
        if (strncmp(p, "/usr/lib/xen-", 13) != 0 || strchr(p + 13, '/') ||
            !parse_mm(p + 13, &v->major, &v->minor))
            return false;
        set_str(v->source, sizeof v->source, "directory name");
    } else if (!is_ctrl_name(p)) {
        return false;
    } else {
        size_t len = 0;
        const unsigned char *d =
            ty == MD_NODE_FILE || ty == MD_NODE_HARDLINK ? md_node_data(n, &len) : NULL;
        md_err e = MD_ERR_INIT;
        if (!d || md_xenver_libxenctrl(d, len, p, v, &e) < 0) {
            memset(v, 0, sizeof *v);
            if (!ctrl_name_version(p, &v->major, &v->minor))
                return false;
            set_str(v->source, sizeof v->source, "file name");
        }
    }
    snprintf(v->version, sizeof v->version, "%u.%u", v->major, v->minor);
    set_str(v->path, sizeof v->path, p);
    set_str(v->origin, sizeof v->origin, md_node_origin(n));
    v->found = true;
    return true;
}

size_t md_xenver_toolstacks(const md_tree *t, md_xen_version **out)
{
    found_list l = { 0 };
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        md_xen_version v;
        if (!toolstack_seen(n, &v))
            continue;
        bool known = false;
        for (size_t i = 0; i < l.n && !known; i++)
            known = l.v[i].major == v.major && l.v[i].minor == v.minor;
        if (!known)
            push(&l, &v);
    }
    *out = l.v;
    return l.n;
}
