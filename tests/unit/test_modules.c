/* modules, kmodelf, kmodidx: closure rules on synthetic modules, the index
 * read back by the host's real kmod tools (modprobe -d, modinfo -b,
 * depmod -n), and the binary trie on its own.
 *
 * With arguments it is the driver of tests/integration/3*-modules-*.sh:
 *   test_modules --real ROOTDIR KVER OUTDIR [NAME...]
 * loads ROOTDIR (an extracted kernel package) into a usrmerge tree, keeps the
 * closure of NAMEs (default: the default spec's [Modules] Include), prints the
 * report and writes the resulting /lib/modules/KVER below OUTDIR. */
#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "image/kmodelf.h"
#include "image/kmodidx.h"
#include "image/modindex.h"
#include "image/modules.h"
#include "lint/lint.h"
#include "tlint.h"
#include "spec/spec.h"
#include "t.h"
#include "tfiles.h"
#include "image/tree.h"
#include "core/mem.h"
#include "core/strv.h"
#include "core/file.h"

#define KVER "6.1.0-99-amd64"

/* ---- a minimal ELF64 relocatable with .modinfo and __crc_ symbols ---- */

typedef struct blob {
    unsigned char *p;
    size_t n;
} blob;

static void b_put(blob *b, const void *d, size_t n)
{
    b->p = md_xrealloc(b->p, b->n + n);
    memcpy(b->p + b->n, d, n);
    b->n += n;
}

static void b_le(blob *b, uint64_t v, int n)
{
    unsigned char c[8];
    for (int i = 0; i < n; i++)
        c[i] = (unsigned char)(v >> (8 * i));
    b_put(b, c, (size_t)n);
}

static void b_align(blob *b, size_t a)
{
    while (b->n % a)
        b_put(b, "", 1);
}

/* info: NULL-terminated "key=value"; syms: exports; needs: undefined
 * symbols (what depmod resolves to dependencies). */
static unsigned char *mk_ko3(const char *const *info, const char *const *syms,
                             const char *const *needs, size_t *len)
{
    blob modinfo = { 0 }, strtab = { 0 }, symtab = { 0 }, shstr = { 0 };
    for (size_t i = 0; info && info[i]; i++)
        b_put(&modinfo, info[i], strlen(info[i]) + 1);
    b_put(&strtab, "", 1);
    b_put(&shstr, "\0.modinfo\0.symtab\0.strtab\0.shstrtab\0", 37);
    for (int i = 0; i < 24; i++)
        b_put(&symtab, "", 1);
    for (size_t i = 0; syms && syms[i]; i++) {
        uint32_t off = (uint32_t)strtab.n;
        char *nm = md_xasprintf("__crc_%s", syms[i]);
        b_put(&strtab, nm, strlen(nm) + 1);
        free(nm);
        b_le(&symtab, off, 4);
        b_le(&symtab, 0, 1);  /* LOCAL NOTYPE */
        b_le(&symtab, 0, 1);
        b_le(&symtab, 1, 2);  /* shndx: .modinfo, any defined section */
        b_le(&symtab, 0, 8);
        b_le(&symtab, 0, 8);
    }
    size_t nlocal = symtab.n / 24;
    for (size_t i = 0; needs && needs[i]; i++) {
        uint32_t off = (uint32_t)strtab.n;
        b_put(&strtab, needs[i], strlen(needs[i]) + 1);
        b_le(&symtab, off, 4);
        b_le(&symtab, 0x10, 1); /* GLOBAL NOTYPE */
        b_le(&symtab, 0, 1);
        b_le(&symtab, 0, 2);    /* SHN_UNDEF */
        b_le(&symtab, 0, 8);
        b_le(&symtab, 0, 8);
    }
    blob f = { 0 };
    for (int i = 0; i < 64; i++)
        b_put(&f, "", 1);
    size_t off[5] = { 0 };
    blob *secs[5] = { NULL, &modinfo, &symtab, &strtab, &shstr };
    for (int s = 1; s < 5; s++) {
        b_align(&f, 8);
        off[s] = f.n;
        if (secs[s]->n)
            b_put(&f, secs[s]->p, secs[s]->n);
    }
    b_align(&f, 8);
    size_t shoff = f.n;
    static const uint32_t names[5] = { 0, 1, 10, 18, 26 };
    static const uint32_t types[5] = { 0, 1, 2, 3, 3 };
    for (int s = 0; s < 5; s++) {
        b_le(&f, names[s], 4);
        b_le(&f, types[s], 4);
        b_le(&f, s == 1 ? 2 : 0, 8); /* flags: .modinfo SHF_ALLOC */
        b_le(&f, 0, 8);
        b_le(&f, off[s], 8);
        b_le(&f, s ? secs[s]->n : 0, 8);
        b_le(&f, s == 2 ? 3 : 0, 4); /* link: .symtab -> .strtab */
        b_le(&f, s == 2 ? nlocal : 0, 4); /* info: first global */
        b_le(&f, s == 2 ? 8 : 1, 8);
        b_le(&f, s == 2 ? 24 : 0, 8);
    }
    unsigned char *h = f.p;
    memcpy(h, "\x7f" "ELF\x02\x01\x01", 7);
    h[16] = 1;  /* ET_REL */
    h[18] = 62; /* EM_X86_64 */
    h[20] = 1;
    for (int i = 0; i < 8; i++)
        h[0x28 + i] = (unsigned char)(shoff >> (8 * i));
    h[0x34] = 64;
    h[0x3a] = 64;
    h[0x3c] = 5;
    h[0x3e] = 4;
    free(modinfo.p);
    free(strtab.p);
    free(symtab.p);
    free(shstr.p);
    *len = f.n;
    return f.p;
}

static unsigned char *mk_ko(const char *const *info, const char *const *syms, size_t *len)
{
    return mk_ko3(info, syms, NULL, len);
}

static unsigned char *compress_with(int filter, const unsigned char *d, size_t n, size_t *out)
{
    struct archive *a = archive_write_new();
    archive_write_add_filter(a, filter);
    archive_write_set_format_raw(a);
    size_t cap = n + 65536, used = 0;
    unsigned char *buf = md_xmalloc(cap);
    archive_write_open_memory(a, buf, cap, &used);
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_pathname(e, "x");
    archive_write_header(a, e);
    archive_write_data(a, d, n);
    archive_entry_free(e);
    archive_write_close(a);
    archive_write_free(a);
    *out = used;
    return buf;
}

static unsigned char *compress_xz(const unsigned char *d, size_t n, size_t *out)
{
    return compress_with(ARCHIVE_FILTER_XZ, d, n, out);
}

static const md_attr A644 = { 0644, 0, 0, 1700000000 };
static const md_attr A755 = { 0755, 0, 0, 1700000000 };

static void add_file(md_tree *t, const char *path, const void *d, size_t n)
{
    md_err err = MD_ERR_INIT;
    unsigned char *c = md_xmalloc(n ? n : 1);
    memcpy(c, d, n);
    if (md_tree_add_file(t, path, &A644, c, n, "linux-image-test", MD_CLASH_REPLACE, &err) < 0)
        fprintf(stderr, "add %s: %s\n", path, err.msg);
}

static void add_text(md_tree *t, const char *path, const char *s)
{
    add_file(t, path, s, strlen(s));
}

/* A module at kernel/REL with modinfo `info` (name= added) and exports. */
static void add_ko(md_tree *t, const char *rel, const char *const *info, const char *const *syms,
                   bool xz)
{
    md_strv v = { 0 };
    const char *b = strrchr(rel, '/');
    b = b ? b + 1 : rel;
    char *name = md_modules_normalize(b);
    *strchr(name, '.') = '\0';
    for (size_t i = 0; info && info[i]; i++)
        md_strv_push(&v, info[i]);
    md_strv_push_own(&v, md_xasprintf("name=%s", name));
    md_strv_push_own(&v, md_xasprintf("vermagic=%s SMP mod_unload", KVER));
    /* Each depends= module D exports D_fn (see synthetic()); reference it so
     * that depmod, which works from symbols, sees the same dependency. */
    md_strv needs = { 0 };
    for (size_t i = 0; info && info[i]; i++)
        if (strncmp(info[i], "depends=", 8) == 0) {
            md_strv deps = { 0 };
            md_strv_split(&deps, info[i] + 8, true);
            for (size_t k = 0; k < deps.n; k++)
                md_strv_push_own(&needs, md_xasprintf("%s_fn", deps.v[k]));
            md_strv_free(&deps);
        }
    size_t n;
    unsigned char *ko = mk_ko3((const char *const *)v.v, syms, (const char *const *)needs.v, &n);
    md_strv_free(&needs);
    char *path = md_xasprintf("/lib/modules/%s/kernel/%s%s", KVER, rel, xz ? ".xz" : "");
    if (xz) {
        size_t zn;
        unsigned char *z = compress_xz(ko, n, &zn);
        add_file(t, path, z, zn);
        free(z);
    } else {
        add_file(t, path, ko, n);
    }
    free(path);
    free(ko);
    free(name);
    md_strv_free(&v);
}

#define L(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* The synthetic kernel:
 *   top -> mid -> leaf;  top softdep pre: crypto-crc99 (alias of crc99_generic)
 *   xen-gntdev (file name with '-'), softdep post: postmod
 *   netdrv -> leaf, softdep pre: builtin_thing, pre: nothing_at_all
 *   lonely (never selected), other/dir/only.ko (dir must vanish)
 *   fw: firmware=foo/bar.bin (missing in the tree) */
static md_tree *synthetic(bool xz_some)
{
    md_tree *t = md_tree_new(true);
    md_err err = MD_ERR_INIT;
    md_tree_add_dir(t, "/lib/modules", &A755, "linux-image-test", &err);
    add_ko(t, "drivers/top.ko", L("alias=pci:v00008086d0000AAAA*", "depends=mid",
                                  "softdep=pre: crypto-crc99", "license=GPL"), L("top_fn"), false);
    add_ko(t, "drivers/mid.ko", L("depends=leaf", "alias=char-major-10-99", "alias=devname:midnode"),
           L("mid_fn", "mid_fn2"), xz_some);
    add_ko(t, "lib/leaf.ko", L("depends="), L("leaf_fn"), false);
    add_ko(t, "crypto/crc99_generic.ko", L("alias=crypto-crc99", "alias=crc99", "depends="), NULL,
           false);
    add_ko(t, "drivers/xen/xen-gntdev.ko", L("depends=", "softdep=post: postmod", "alias=devname:xen/gntdev",
                                             "alias=char-major-10-201"), L("gnt_fn"), false);
    add_ko(t, "drivers/xen/postmod.ko", L("depends="), NULL, false);
    add_ko(t, "drivers/net/netdrv.ko", L("depends=leaf", "softdep=pre: builtin-thing nothing_at_all",
                                         "firmware=foo/bar.bin", "alias=pci:v00001234d*"),
           NULL, xz_some);
    add_ko(t, "drivers/lonely.ko", L("depends="), L("lonely_fn"), false);
    add_ko(t, "other/dir/only.ko", L("depends="), NULL, false);
    char *p = md_xasprintf("/lib/modules/%s/modules.builtin", KVER);
    add_text(t, p, "kernel/drivers/base/builtin-thing.ko\nkernel/drivers/virtio/virtio_anchor.ko\n");
    free(p);
    p = md_xasprintf("/lib/modules/%s/modules.builtin.modinfo", KVER);
    add_file(t, p, "builtin_thing.alias=bt-alias\0builtin_thing.license=GPL\0", 52);
    free(p);
    p = md_xasprintf("/lib/modules/%s/modules.order", KVER);
    add_text(t, p, "kernel/lib/leaf.ko\nkernel/drivers/mid.ko\nkernel/drivers/top.ko\n"
                   "kernel/crypto/crc99_generic.ko\nkernel/drivers/xen/xen-gntdev.ko\n"
                   "kernel/drivers/xen/postmod.ko\nkernel/drivers/net/netdrv.ko\n"
                   "kernel/drivers/lonely.ko\nkernel/other/dir/only.ko\n");
    free(p);
    return t;
}

static long find_kept(const md_modules *m, const char *name)
{
    for (size_t i = 0; i < md_modules_count(m); i++)
        if (strcmp(md_modules_name(m, i), name) == 0)
            return (long)i;
    return -1;
}

static const char *reason_of(const md_modules *m, const char *name)
{
    long i = find_kept(m, name);
    return i < 0 ? "(not kept)" : md_modules_reason(m, (size_t)i);
}

static bool strv_has_sub(const md_strv *v, const char *needle)
{
    for (size_t i = 0; i < v->n; i++)
        if (strstr(v->v[i], needle))
            return true;
    return false;
}

/* ---- tree <-> directory ---- */

static int export_dir(const md_tree *t, const char *from, const char *to)
{
    size_t fl = strlen(from);
    md_err err = MD_ERR_INIT;
    if (md_mkdir_p(to, 0755, &err) < 0)
        return -1;
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        const char *p = md_node_path(n);
        if (strncmp(p, from, fl) != 0 || p[fl] != '/')
            continue;
        char *dst = md_xasprintf("%s%s", to, p + fl);
        if (md_node_type_of(n) == MD_NODE_DIR) {
            md_mkdir_p(dst, 0755, &err);
        } else if (md_node_type_of(n) == MD_NODE_FILE || md_node_type_of(n) == MD_NODE_HARDLINK) {
            size_t len;
            const unsigned char *d = md_node_data(n, &len);
            char *dir = md_xstrdup(dst);
            *strrchr(dir, '/') = '\0';
            md_mkdir_p(dir, 0755, &err);
            free(dir);
            FILE *f = fopen(dst, "wb");
            if (!f || fwrite(d, 1, len, f) != len) {
                fprintf(stderr, "write %s failed\n", dst);
                if (f)
                    fclose(f);
                free(dst);
                return -1;
            }
            fclose(f);
        }
        free(dst);
    }
    return err.set ? -1 : 0;
}

static int real_mode(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: test_modules --real ROOTDIR KVER OUTDIR [NAME...]\n");
        return 2;
    }
    md_tree *load_tree = md_tree_new(true);
    t_load_dir(load_tree, argv[2], "linux-image");
    md_err err = MD_ERR_INIT;
    md_spec *spec = md_spec_load(NULL, &err);
    if (!spec) {
        fprintf(stderr, "error: %s\n", err.msg);
        return 1;
    }
    const char *const *allow = argc > 5 ? (const char *const *)argv + 5
                                        : (const char *const *)md_spec_modules(spec)->v;
    md_modules *m = md_modules_resolve(load_tree, strcmp(argv[3], "-") ? argv[3] : NULL, allow, &err);
    if (!m || md_modindex_write(m, load_tree, &err) < 0) {
        fprintf(stderr, "error: %s\n", err.msg);
        md_modules_free(m);
        md_tree_free(load_tree);
        md_spec_free(spec);
        return 1;
    }
    md_modules_trim(m, load_tree);
    char *report = md_modules_report_text(m);
    fputs(report, stdout);
    free(report);
    char *to = md_xasprintf("%s/lib/modules/%s", argv[4], md_modules_kver(m));
    int rc = export_dir(load_tree, md_modules_dir(m), to);
    /* The trimmed tree passes lint's trap-5 check, with nothing to say. */
    md_lint *l = md_lint_new();
    md_lint_modules(l, "tree/", load_tree);
    char *findings = md_lint_text(l);
    fputs(findings, stdout);
    free(findings);
    if (md_lint_count(l))
        rc = -1;
    md_lint_free(l);
    free(to);
    md_modules_free(m);
    md_tree_free(load_tree);
    md_spec_free(spec);
    return rc ? 1 : 0;
}

/* ---- helpers for the kmod tools ---- */

static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    if (!p)
        return md_xstrdup("");
    char *out = NULL;
    size_t n = 0, cap = 0;
    char buf[4096];
    size_t r;
    while ((r = fread(buf, 1, sizeof buf, p)) > 0) {
        if (n + r + 1 > cap) {
            cap = (n + r + 1) * 2;
            out = md_xrealloc(out, cap);
        }
        memcpy(out + n, buf, r);
        n += r;
    }
    pclose(p);
    if (!out)
        return md_xstrdup("");
    out[n] = '\0';
    return out;
}

static bool have_tool(const char *name)
{
    char *cmd = md_xasprintf("command -v %s >/dev/null 2>&1 || test -x /sbin/%s", name, name);
    int rc = system(cmd);
    free(cmd);
    return rc == 0;
}

/* ---- tests ---- */

static void test_normalize(void)
{
    char *n = md_modules_normalize("xen-gntdev");
    CHECK_STR(n, "xen_gntdev");
    free(n);
}

static void test_kmodelf(void)
{
    size_t n;
    unsigned char *ko = mk_ko(L("alias=foo", "depends=a,b", "softdep=pre: x"), L("s1", "s2"), &n);
    md_kmodinfo mi;
    md_err err = MD_ERR_INIT;
    CHECK(md_kmodelf_read("t.ko", ko, n, &mi, &err) == 0);
    CHECK_STR(md_kmodinfo_get(&mi, "depends"), "a,b");
    CHECK_STR(md_kmodinfo_get(&mi, "softdep"), "pre: x");
    CHECK(md_kmodinfo_get(&mi, "nope") == NULL);
    CHECK(mi.symbols.n == 2 && strcmp(mi.symbols.v[1], "s2") == 0);
    md_kmodinfo_free(&mi);

    size_t zn;
    unsigned char *z = compress_xz(ko, n, &zn);
    CHECK(md_kmodelf_read("t.ko.xz", z, zn, &mi, &err) == 0);
    CHECK_STR(md_kmodinfo_get(&mi, "alias"), "foo");
    md_kmodinfo_free(&mi);

    static const int filters[] = { ARCHIVE_FILTER_ZSTD, ARCHIVE_FILTER_GZIP };
    for (int f = 0; f < 2; f++) {
        size_t cn;
        unsigned char *c = compress_with(filters[f], ko, n, &cn);
        CHECK(md_kmodelf_read("t.ko.zst-or-gz", c, cn, &mi, &err) == 0);
        CHECK_STR(md_kmodinfo_get(&mi, "depends"), "a,b");
        md_kmodinfo_free(&mi);
        free(c);
    }

    /* Truncated compressed data and garbage: errors naming the file. */
    md_err e2 = MD_ERR_INIT;
    CHECK(md_kmodelf_read("bad.ko.xz", z, zn / 2, &mi, &e2) < 0);
    CHECK_ERR(&e2, "bad.ko.xz");
    md_err e3 = MD_ERR_INIT;
    CHECK(md_kmodelf_read("junk.ko", (const unsigned char *)"hello world", 11, &mi, &e3) < 0);
    CHECK_ERR(&e3, "junk.ko");
    /* Section table pointing past the end. */
    unsigned char *trunc = md_xmalloc(n);
    memcpy(trunc, ko, n);
    md_err e4 = MD_ERR_INIT;
    CHECK(md_kmodelf_read("short.ko", trunc, 100, &mi, &e4) < 0);
    CHECK_ERR(&e4, "short.ko");
    free(trunc);
    free(z);
    free(ko);
}

/* A tiny reader for the trie, independent of the writer: exact lookup. */
static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static bool idx_lookup(const unsigned char *d, size_t len, const char *key, md_strv *vals,
                       md_strv *prios)
{
    if (len < 12 || be32(d) != 0xB007F457u || be32(d + 4) != 0x00020001u)
        return false;
    uint32_t off = be32(d + 8);
    size_t i = 0;
    for (;;) {
        const unsigned char *p = d + (off & 0x0FFFFFFFu);
        if (off & 0x80000000u) {
            size_t pl = strlen((const char *)p);
            if (strncmp((const char *)p, key + i, pl) != 0)
                return false;
            i += pl;
            p += pl + 1;
        }
        unsigned first = 0, last = 0;
        const unsigned char *kids = NULL;
        if (off & 0x20000000u) {
            first = p[0];
            last = p[1];
            kids = p + 2;
            p += 2 + 4 * (last - first + 1);
        }
        if (!key[i]) {
            if (!(off & 0x40000000u))
                return false;
            uint32_t n = be32(p);
            p += 4;
            for (uint32_t k = 0; k < n; k++) {
                md_strv_push_own(prios, md_xasprintf("%u", be32(p)));
                md_strv_push(vals, (const char *)p + 4);
                p += 4 + strlen((const char *)p + 4) + 1;
            }
            return true;
        }
        unsigned c = (unsigned char)key[i];
        if (!kids || c < first || c > last)
            return false;
        off = be32(kids + 4 * (c - first));
        if (!(off & 0x0FFFFFFFu))
            return false;
        i++;
    }
}

static void test_kmodidx(void)
{
    md_kmodidx *x = md_kmodidx_new();
    md_err err = MD_ERR_INIT;
    const char *keys[] = { "ask", "ate", "on", "once", "one", "o", "a", "pci:v*d*" };
    for (size_t i = 0; i < 8; i++)
        CHECK(md_kmodidx_add(x, keys[i], keys[i], (unsigned)i, &err) == 0);
    CHECK(md_kmodidx_add(x, "on", "second-on", 1, &err) == 0);
    CHECK(md_kmodidx_add(x, "on", "first-on-prio0", 0, &err) == 0);
    CHECK(md_kmodidx_add(x, "on", "also-prio1", 1, &err) == 0);
    md_err e2 = MD_ERR_INIT;
    CHECK(md_kmodidx_add(x, "caf\xc3\xa9", "x", 0, &e2) < 0);
    CHECK_ERR(&e2, "ASCII");
    size_t len;
    unsigned char *d = md_kmodidx_write(x, &len);
    for (size_t i = 0; i < 8; i++) {
        md_strv v = { 0 }, p = { 0 };
        CHECK(idx_lookup(d, len, keys[i], &v, &p));
        CHECK(v.n >= 1);
        md_strv_free(&v);
        md_strv_free(&p);
    }
    md_strv v = { 0 }, p = { 0 };
    CHECK(idx_lookup(d, len, "on", &v, &p));
    /* priority order; equal priorities: last added first (depmod) */
    CHECK(v.n == 4);
    if (v.n == 4) {
        CHECK_STR(v.v[0], "first-on-prio0");
        CHECK_STR(v.v[1], "also-prio1");
        CHECK_STR(v.v[2], "second-on");
        CHECK_STR(v.v[3], "on");
    }
    md_strv_free(&v);
    md_strv_free(&p);
    CHECK(!idx_lookup(d, len, "onc", &v, &p));
    CHECK(!idx_lookup(d, len, "zzz", &v, &p));
    /* Same entries, same bytes. */
    size_t len2;
    unsigned char *d2 = md_kmodidx_write(x, &len2);
    CHECK(len == len2 && memcmp(d, d2, len) == 0);
    free(d);
    free(d2);
    md_kmodidx_free(x);
    /* Empty index: a valid header and an empty root. */
    x = md_kmodidx_new();
    d = md_kmodidx_write(x, &len);
    CHECK(len == 12 && be32(d + 8) == 12);
    free(d);
    md_kmodidx_free(x);
}

static void test_closure(void)
{
    md_tree *t = synthetic(true);
    md_err err = MD_ERR_INIT;
    char *kv = md_modules_detect_kver(t, &err);
    CHECK_STR(kv, KVER);
    free(kv);

    /* Unknown names: one error naming all of them, the kernel, near matches. */
    md_modules *m = md_modules_resolve(t, NULL, L("top", "xen_gntdev", "net-drv", "nosuchthing"), &err);
    CHECK(m == NULL);
    CHECK_ERR(&err, "net-drv (did you mean netdrv?)");
    CHECK_ERR(&err, "nosuchthing");
    CHECK_ERR(&err, KVER);

    md_err e2 = MD_ERR_INIT;
    m = md_modules_resolve(t, KVER, L("top", "xen-gntdev", "netdrv", "builtin-thing", "bt-alias"), &e2);
    CHECK(m != NULL);
    if (!m) {
        fprintf(stderr, "resolve: %s\n", e2.msg);
        md_tree_free(t);
        return;
    }
    CHECK(md_modules_available(m) == 9);
    CHECK(md_modules_count(m) == 7);
    CHECK_STR(reason_of(m, "top"), "allowlist");
    CHECK_STR(reason_of(m, "mid"), "dependency of top");
    /* breadth first: netdrv (allowlist) is looked at before mid */
    CHECK_STR(reason_of(m, "leaf"), "dependency of netdrv");
    CHECK_STR(reason_of(m, "crc99_generic"), "softdep (pre) of top via crypto-crc99");
    CHECK_STR(reason_of(m, "xen_gntdev"), "allowlist");
    CHECK_STR(reason_of(m, "postmod"), "softdep (post) of xen_gntdev");
    CHECK_STR(reason_of(m, "netdrv"), "allowlist");
    CHECK(find_kept(m, "lonely") < 0);
    CHECK_STR(md_modules_dir(m), "/usr/lib/modules/" KVER);
    CHECK(strv_has_sub(md_modules_builtin(m), "builtin_thing (allowlist)"));
    CHECK(strv_has_sub(md_modules_builtin(m), "builtin_thing (softdep of netdrv)"));
    CHECK(strv_has_sub(md_modules_builtin(m), "bt_alias (allowlist)"));
    CHECK(strv_has_sub(md_modules_notes(m), "nothing_at_all"));
    CHECK(strv_has_sub(md_modules_notes(m), "firmware foo/bar.bin"));
    CHECK(md_modules_bytes(m) > 0);

    CHECK(md_modindex_write(m, t, &e2) == 0);
    /* what a kernel package or modloop holds beside modules and index
     * files goes (trial 13 F15): a program, a stray file, a link */
    const char *base = "/lib/modules/" KVER;
    char p[512];
    snprintf(p, sizeof p, "%s/suidbin", base);
    add_text(t, p, "#!/bin/sh\n");
    snprintf(p, sizeof p, "%s/kernel/junk/big.bin", base);
    add_text(t, p, "junk");
    snprintf(p, sizeof p, "%s/modules.junk", base);
    add_text(t, p, "junk");
    snprintf(p, sizeof p, "%s/evil", base);
    md_attr la = { 0777, 0, 0, 0 };
    CHECK(md_tree_add_symlink(t, p, &la, "../../../../etc", "x", MD_CLASH_ERROR, &e2) == 0);
    md_modules_trim(m, t);
    static const char *const gone[] = { "suidbin", "kernel/junk", "modules.junk", "evil", NULL };
    for (int i = 0; gone[i]; i++) {
        snprintf(p, sizeof p, "%s/%s", base, gone[i]);
        CHECK(md_tree_lookup(t, p) == NULL);
    }
    snprintf(p, sizeof p, "%s/modules.builtin.modinfo", base);
    CHECK(md_tree_resolve(t, p) != NULL);
    snprintf(p, sizeof p, "%s/kernel/drivers/lonely.ko", base);
    CHECK(md_tree_resolve(t, p) == NULL);
    snprintf(p, sizeof p, "%s/kernel/other", base);
    CHECK(md_tree_resolve(t, p) == NULL); /* emptied directories go */
    snprintf(p, sizeof p, "%s/kernel/drivers/mid.ko.xz", base);
    CHECK(md_tree_resolve(t, p) != NULL);
    static const char *const files[] = { "modules.dep", "modules.dep.bin", "modules.alias",
                                         "modules.alias.bin", "modules.softdep", "modules.symbols",
                                         "modules.symbols.bin", "modules.builtin.bin",
                                         "modules.builtin.alias.bin", "modules.devname", NULL };
    for (int i = 0; files[i]; i++) {
        snprintf(p, sizeof p, "%s/%s", base, files[i]);
        md_node *n = md_tree_resolve(t, p);
        CHECK(n != NULL);
        if (n)
            CHECK_STR(md_node_origin(n), "mkdom0");
    }
    size_t len;
    snprintf(p, sizeof p, "%s/modules.dep", base);
    md_node *dep = md_tree_resolve(t, p);
    const char *dtxt = dep ? (const char *)md_node_data(dep, &len) : "";
    char *dcopy = dep ? strndup(dtxt, len) : md_xstrdup("");
    CHECK(strstr(dcopy, "kernel/drivers/top.ko: kernel/drivers/mid.ko.xz kernel/lib/leaf.ko\n") != NULL);
    CHECK(strstr(dcopy, "kernel/lib/leaf.ko:\n") != NULL);
    CHECK(strstr(dcopy, "lonely") == NULL);
    /* modules.order order: leaf first */
    CHECK(strncmp(dcopy, "kernel/lib/leaf.ko:", 19) == 0);
    free(dcopy);
    snprintf(p, sizeof p, "%s/modules.order", base);
    md_node *ord = md_tree_resolve(t, p);
    CHECK(ord && (md_node_data(ord, &len), len > 0) &&
          !memmem(md_node_data(ord, &len), len, "lonely", 6));
    snprintf(p, sizeof p, "%s/modules.devname", base);
    md_node *dn = md_tree_resolve(t, p);
    char *dntxt = dn ? strndup((const char *)md_node_data(dn, &len), len) : md_xstrdup("");
    CHECK(strstr(dntxt, "mid midnode c10:99\n") != NULL);
    CHECK(strstr(dntxt, "xen_gntdev xen/gntdev c10:201\n") != NULL);
    free(dntxt);

    /* The finished tree passes lint's trap-5 check, but for the Xen modules
     * this synthetic kernel does not have (only xen-gntdev). */
    md_lint *l = md_lint_new();
    md_lint_modules(l, "tree/", t);
    CHECK(md_lint_count(l) == 4);
    for (size_t i = 0; i < md_lint_count(l); i++) {
        bool xen = md_lint_severity(l, i) == MD_LINT_ERROR && md_lint_trap(l, i) == 5 &&
                   strstr(md_lint_message(l, i), "is neither a module here nor built in");
        CHECK(xen);
        if (!xen)
            fprintf(stderr, "unexpected finding: %s\n", md_lint_message(l, i));
    }
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 5, "xen-gntdev"));
    md_lint_free(l);

    /* Readback with the host's kmod. */
    char tmpl[] = "/tmp/test_modules.XXXXXX";
    char *tmp = mkdtemp(tmpl);
    CHECK(tmp != NULL);
    if (tmp && have_tool("modprobe")) {
        char *to = md_xasprintf("%s/lib/modules/%s", tmp, KVER);
        CHECK(export_dir(t, md_modules_dir(m), to) == 0);
        char *cmd = md_xasprintf("PATH=$PATH:/sbin modprobe -d %s -S %s --show-depends top 2>&1", tmp, KVER);
        char *out = run(cmd);
        /* leaf, then mid, then crc99 softdep, then top */
        char *a = strstr(out, "lib/leaf.ko"), *b = strstr(out, "drivers/mid.ko.xz"),
             *c = strstr(out, "crypto/crc99_generic.ko"), *d = strstr(out, "drivers/top.ko");
        CHECK(a && b && c && d && a < b && b < d && c < d);
        if (!(a && b && c && d))
            fprintf(stderr, "modprobe said:\n%s\n", out);
        free(out);
        free(cmd);
        cmd = md_xasprintf("PATH=$PATH:/sbin modprobe -d %s -S %s --show-depends xen-gntdev 2>&1", tmp, KVER);
        out = run(cmd);
        char *g = strstr(out, "xen-gntdev.ko"), *pm = strstr(out, "postmod.ko");
        CHECK(g && pm && g < pm);
        free(out);
        free(cmd);
        /* aliases through modules.alias.bin, devname through the alias too */
        cmd = md_xasprintf("PATH=$PATH:/sbin modprobe -d %s -S %s -R pci:v00008086d0000AAAAsv0 2>&1; "
                           "PATH=$PATH:/sbin modprobe -d %s -S %s -R crypto-crc99 2>&1; "
                           "PATH=$PATH:/sbin modprobe -d %s -S %s -R symbol:mid_fn2 2>&1",
                           tmp, KVER, tmp, KVER, tmp, KVER);
        out = run(cmd);
        CHECK(strstr(out, "top\n") && strstr(out, "crc99_generic\n") && strstr(out, "mid\n"));
        if (!(strstr(out, "top\n") && strstr(out, "crc99_generic\n") && strstr(out, "mid\n")))
            fprintf(stderr, "modprobe -R said:\n%s\n", out);
        free(out);
        free(cmd);
        /* built-in module: modprobe knows it from modules.builtin.bin */
        cmd = md_xasprintf("PATH=$PATH:/sbin modprobe -d %s -S %s --show-depends builtin-thing 2>&1", tmp, KVER);
        out = run(cmd);
        CHECK(strstr(out, "builtin builtin_thing") != NULL);
        free(out);
        free(cmd);
        /* an unkept module is unknown to modprobe */
        cmd = md_xasprintf("PATH=$PATH:/sbin modprobe -d %s -S %s --show-depends lonely 2>&1", tmp, KVER);
        out = run(cmd);
        CHECK(strstr(out, "not found") != NULL);
        free(out);
        free(cmd);
        /* modinfo reads our modules by name through the index */
        cmd = md_xasprintf("PATH=$PATH:/sbin modinfo -b %s -k %s -F depends xen_gntdev mid 2>&1", tmp, KVER);
        out = run(cmd);
        CHECK(strcmp(out, "\nleaf\n") == 0);
        free(out);
        free(cmd);
        /* depmod on the same files writes the same index (text order-insensitive,
         * the tries byte for byte except modules.dep.bin whose values are lines) */
        cmd = md_xasprintf("cd %s/lib/modules/%s && mkdir -p ../../../ours && cp modules.* ../../../ours/ && "
                           "PATH=$PATH:/sbin depmod -b %s %s 2>&1 && echo DEPMOD_RAN && "
                           "for f in modules.alias.bin modules.symbols.bin modules.builtin.bin modules.builtin.alias.bin "
                           "modules.alias modules.softdep modules.devname; do cmp -s $f ../../../ours/$f || echo DIFF $f; done; "
                           "diff <(sort modules.dep) <(sort ../../../ours/modules.dep) >/dev/null || echo DIFF modules.dep; "
                           "diff <(sort modules.symbols) <(sort ../../../ours/modules.symbols) >/dev/null || echo DIFF modules.symbols",
                           tmp, KVER, tmp, KVER);
        char *bcmd = md_xasprintf("bash -c '%s'", cmd);
        out = run(bcmd);
        CHECK(strstr(out, "DIFF") == NULL && strstr(out, "DEPMOD_RAN") != NULL);
        if (strstr(out, "DIFF") || !strstr(out, "DEPMOD_RAN"))
            fprintf(stderr, "depmod comparison:\n%s\n", out);
        free(out);
        free(bcmd);
        free(cmd);
        cmd = md_xasprintf("rm -rf %s", tmp);
        if (!getenv("KEEP_TMP"))
            system(cmd);
        else
            fprintf(stderr, "kept %s\n", tmp);
        free(cmd);
        free(to);
    } else {
        /* kmod is one of make deps' packages: its absence is a broken
         * machine, not a reason to pass without the readback */
        CHECK(!"modprobe not found: make deps installs kmod");
    }
    md_modules_free(m);
    md_tree_free(t);
}

static void test_errors(void)
{
    /* A depends= module missing from the tree (e.g. dropped by a filter). */
    md_tree *t = synthetic(false);
    md_tree_remove(t, "/lib/modules/" KVER "/kernel/lib/leaf.ko");
    md_err err = MD_ERR_INIT;
    md_modules *m = md_modules_resolve(t, NULL, L("top"), &err);
    CHECK(m == NULL);
    CHECK_ERR(&err, "mid needs leaf");
    /* lint sees the same from the other side, and the missing index */
    md_lint *l = md_lint_new();
    md_lint_modules(l, "tree/", t);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "module files but no modules.dep"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "needs leaf (depends=), which is missing"));
    md_lint_free(l);
    md_tree_free(t);

    /* Wrong kernel version, and two kernels. */
    t = synthetic(false);
    md_err e3 = MD_ERR_INIT;
    CHECK(md_modules_resolve(t, "5.10.0-1-amd64", L("top"), &e3) == NULL);
    CHECK_ERR(&e3, "5.10.0-1-amd64");
    CHECK_ERR(&e3, KVER);
    md_err e4 = MD_ERR_INIT;
    md_tree_add_dir(t, "/lib/modules/6.12.0-1-amd64", &A755, "x", &e4);
    CHECK(md_modules_resolve(t, NULL, L("top"), &e4) == NULL);
    CHECK_ERR(&e4, "several kernels");
    CHECK_ERR(&e4, "6.12.0-1-amd64");
    CHECK_ERR(&e4, "one kernel package in [Packages], or only [Kernel] Modloop=");
    md_tree_free(t);
    /* a kernel directory named with ESC and a newline (a modloop's, trial
     * 9e case 5): shown escaped, the message one line */
    t = synthetic(false);
    md_err ek = MD_ERR_INIT;
    md_tree_add_dir(t, "/lib/modules/x\x1b]0;PWNED\x07\rmkdom0: built OK\nKernel=pwned", &A755,
                    "x", &ek);
    CHECK(md_modules_resolve(t, NULL, L("top"), &ek) == NULL);
    CHECK_ERR(&ek, "x\\x1b]0;PWNED\\x07\\x0dmkdom0: built OK\\x0aKernel=pwned");
    CHECK(!strchr(ek.msg, '\n') && !strchr(ek.msg, '\x1b'));
    md_tree_free(t);

    /* No kernel at all. */
    t = md_tree_new(true);
    md_err e5 = MD_ERR_INIT;
    CHECK(md_modules_resolve(t, NULL, L("top"), &e5) == NULL);
    CHECK_ERR(&e5, "/lib/modules");
    md_tree_free(t);

    /* A module that is no ELF: the error names the file. */
    t = synthetic(false);
    add_text(t, "/lib/modules/" KVER "/kernel/drivers/broken.ko", "not an elf");
    md_err e6 = MD_ERR_INIT;
    CHECK(md_modules_resolve(t, NULL, L("broken"), &e6) == NULL);
    CHECK_ERR(&e6, "broken.ko");
    md_tree_free(t);

    /* Dependency cycle. */
    t = md_tree_new(true);
    add_ko(t, "a.ko", L("depends=b"), L("a_fn"), false);
    add_ko(t, "b.ko", L("depends=a"), L("b_fn"), false);
    md_err e7 = MD_ERR_INIT;
    m = md_modules_resolve(t, NULL, L("a"), &e7);
    CHECK(m != NULL);
    CHECK(m && md_modindex_write(m, t, &e7) < 0);
    CHECK_ERR(&e7, "cycle");
    md_modules_free(m);
    md_tree_free(t);
}

/* The release from an x86 boot header (Documentation/arch/x86/boot.rst):
 * kernel_version at 0x20e points, less 0x200, to the version string. */
static void test_image_release(void)
{
    unsigned char k[0x400] = { 0 };
    k[0x1fe] = 0x55;
    k[0x1ff] = 0xaa;
    memcpy(k + 0x202, "HdrS", 4);
    k[0x206] = 0x0f; /* protocol 2.15 */
    k[0x207] = 0x02;
    k[0x20e] = 0x80; /* string at 0x280 */
    k[0x20f] = 0x00;
    strcpy((char *)k + 0x280, "6.1.0-57-amd64 (debian-kernel@lists.debian.org) #1 SMP");
    char *r = md_modules_image_release(k, sizeof k);
    CHECK_STR(r, "6.1.0-57-amd64");
    free(r);
    r = md_modules_image_release(k, 0x300);
    CHECK_STR(r, "6.1.0-57-amd64");
    free(r);
    k[0x20e] = 0xff; /* points past the end */
    k[0x20f] = 0x01;
    CHECK(md_modules_image_release(k, sizeof k) == NULL);
    k[0x20e] = 0x80;
    k[0x20f] = 0x00;
    memcpy(k + 0x280, "../etc x", 8); /* no directory name */
    CHECK(md_modules_image_release(k, sizeof k) == NULL);
    k[0x202] = 'X'; /* no bzImage */
    CHECK(md_modules_image_release(k, sizeof k) == NULL);
    CHECK(md_modules_image_release(k, 10) == NULL);
}

/* The one modules.builtin reader (closure, index writer and lint alike)
 * reads as kmod's depmod does: a line that does not start with a letter is
 * no module, a compressed module's name loses every suffix. */
static void test_read_builtin(void)
{
    md_tree *t = md_tree_new(false);
    md_strv names = { 0 };
    CHECK(!md_modules_read_builtin(t, "/lib/modules/" KVER, &names) && names.n == 0);
    add_text(t, "/lib/modules/" KVER "/modules.builtin",
             "kernel/drivers/xen/xen-evtchn.ko\n# kernel/a.ko\n\n /kernel/b.ko\n"
             "kernel/drivers/xen/xen-gntdev.ko.xz\n");
    CHECK(md_modules_read_builtin(t, "/lib/modules/" KVER, &names));
    CHECK(names.n == 2);
    if (names.n == 2) {
        CHECK_STR(names.v[0], "xen_evtchn");
        CHECK_STR(names.v[1], "xen_gntdev");
    }
    md_strv_free(&names);
    md_tree_free(t);
}

int main(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--real") == 0)
        return real_mode(argc, argv);
    test_normalize();
    test_kmodelf();
    test_kmodidx();
    test_closure();
    test_errors();
    test_image_release();
    test_read_builtin();
    return t_done("test_modules");
}
