/* lint: every check with good and bad samples, the rootfs loader, input
 * recognition, and robustness against garbage. */
#include "t.h"
#include "tfiles.h"
#include "boot/bootcfg.h"
#include "core/size.h"
#include "boot/bootfmt.h"
#include "boot/grubcfg.h"
#include "image/kmodidx.h"
#include "lint/lint.h"
#include "lint/lint_int.h" /* md_lint_entry_files: which module is the rootfs */
#include "tlint.h"
#include "image/tree.h"
#include "image/unpack.h"
#include "core/mem.h"
#include "core/strv.h"
#include "core/file.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

static const char *src_dir(void)
{
    const char *s = getenv("MKDOM0_SRC");
    return s && *s ? s : ".";
}

static char *data_file(const char *name, size_t *len)
{
    char *p = md_xasprintf("%s/tests/data/lint/%s", src_dir(), name);
    unsigned char *d = NULL;
    md_err err = MD_ERR_INIT;
    if (md_read_file(p, &d, len, &err) < 0) {
        fprintf(stderr, "cannot read %s: %s\n", p, err.msg);
        free(p);
        *len = 0;
        return md_xstrdup("");
    }
    free(p);
    d = md_xrealloc(d, *len + 1);
    d[*len] = '\0';
    return (char *)d;
}

static void dump(const md_lint *l)
{
    char *findings = md_lint_text(l);
    fputs(findings, stderr);
    free(findings);
}

/* Lint GRUB text; returns the list (caller frees). */
static md_lint *grub(const char *text, const md_tree *rootfs)
{
    md_lint *l = md_lint_new();
    md_lint_grub(l, "grub.cfg", text, strlen(text), rootfs);
    return l;
}

static md_lint *grub_file(const char *name)
{
    size_t len;
    char *t = data_file(name, &len);
    md_lint *l = md_lint_new();
    md_lint_grub(l, name, t, len, NULL);
    free(t);
    return l;
}

#define XEN_OK "multiboot2 /xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256\n"
#define LINUX_OK "module2 /vmlinuz console=ttyS0,115200 console=hvc0 rdinit=/sbin/init\n"
#define ROOTFS_OK "module2 --nounzip /rootfs.cpio.gz\n"

static md_lint *entry(const char *xen, const char *linux_, const char *rootfs)
{
    char *t = md_xasprintf("menuentry 'x' {\n%s%s%s}\n", xen, linux_, rootfs);
    md_lint *l = grub(t, NULL);
    free(t);
    return l;
}

/* Is `l` one trap 4 finding of `sev` that says `says` with the fix `fix`?
 * If not, what it is goes to stderr under `label` (the case's value). */
static bool one_trap4_fix(const md_lint *l, md_lint_sev sev, const char *says, const char *fix,
                          const char *label)
{
    bool ok = t_lint_has(l, sev, 4, says) && md_lint_count(l) == 1 && md_lint_fix_of(l, 0) &&
              !strcmp(md_lint_fix_of(l, 0), fix);
    if (!ok)
        fprintf(stderr, "dom0_mem case %s: %s (fix %s)\n", label,
                md_lint_count(l) ? md_lint_message(l, 0) : "no finding",
                md_lint_count(l) && md_lint_fix_of(l, 0) ? md_lint_fix_of(l, 0) : "none");
    return ok;
}

/* trial10d 21: a '\\' ending the Xen line joins the dom0 module2 line onto
 * it: an error naming the swallowed command, not just warnings */
static void test_grub_swallowed_line(void)
{
    md_lint *l = entry("multiboot2 /xen.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256 \\\n",
                       LINUX_OK, ROOTFS_OK);
    bool found = false;
    for (size_t i = 0; i < md_lint_count(l); i++)
        found |= md_lint_line(l, i) == 2 && md_lint_severity(l, i) == MD_LINT_ERROR &&
                 strstr(md_lint_message(l, i), "holds the word 'module2' before /vmlinuz");
    CHECK(found);
    dump(l);
    md_lint_free(l);
    /* the dom0 kernel line swallowing the rootfs module2 line */
    l = entry(XEN_OK, "module2 /vmlinuz console=ttyS0,115200 console=hvc0 \\\n", ROOTFS_OK);
    found = false;
    for (size_t i = 0; i < md_lint_count(l); i++)
        found |= md_lint_severity(l, i) == MD_LINT_ERROR &&
                 strstr(md_lint_message(l, i), "the dom0 kernel line holds the word 'module2'");
    CHECK(found);
    dump(l);
    md_lint_free(l);
    /* a line without the trailing backslash stays clean */
    l = entry(XEN_OK, LINUX_OK, ROOTFS_OK);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
}

static void test_grub_design_clean(void)
{
    md_lint *l = grub_file("design.cfg");
    CHECK(md_lint_count(l) == 0);
    dump(l);
    md_lint_free(l);
    l = entry(XEN_OK, LINUX_OK, ROOTFS_OK);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
}

/* Files a GRUB config runs, by path: custom.cfg has a Xen entry without
 * dom0_mem, vars.cfg sets $opts, self.cfg sources itself; any other is not
 * there. */
static void other_files(void *ctx, const char *gpath, const char *from, md_grubcfg_text *t)
{
    (void)ctx;
    (void)from;
    static const char *const files[][2] = {
        { "/boot/grub/custom.cfg",
          "menuentry bad {\n multiboot2 /boot/xen.gz\n module2 /boot/vmlinuz\n}\n" },
        { "/boot/grub/vars.cfg", "set opts=dom0_mem=2G,max:2G\n" },
        { "/boot/grub/self.cfg", "source /boot/grub/self.cfg\n" },
        /* what a finder that takes $prefix for the config's directory
         * finds: the stub itself, or any file with a Xen entry */
        { "$prefix/grub.cfg", "menuentry here {\n multiboot2 /xen.gz\n module2 /vmlinuz\n}\n" },
        { "/boot/grub/nested.cfg", "set timeout=1\nsource /boot/grub/gone.cfg\n" },
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        if (!strcmp(gpath, files[i][0])) {
            t->text = md_xstrdup(files[i][1]);
            t->len = strlen(t->text);
            t->name = md_xasprintf("host%s", gpath);
            t->key = md_xstrdup(gpath);
            return;
        }
    t->why = md_xstrdup("it is not there");
}

/* trial10 item 2: source and configfile are run as GRUB runs them, their
 * entries and problems on the other file's lines */
static void test_grub_source_configfile(void)
{
    md_grubcfg_files files = { other_files, NULL, "grub.cfg", "/grub.cfg", NULL };
    const char *top = "menuentry ok {\n multiboot2 /boot/xen.gz dom0_mem=1G,max:1G\n"
                      " module2 /boot/vmlinuz\n}\nsource /boot/grub/custom.cfg\n";
    md_bootcfg_list cfg = { 0 };
    md_grubcfg_read_files(top, strlen(top), &files, &cfg);
    CHECK(cfg.n == 2 && !cfg.include && !cfg.nproblems);
    /* the other file's entry (whichever order): its name and lines */
    const md_bootcfg_entry *o = cfg.n == 2 ? cfg.v[cfg.v[0]->xen.file ? 0 : 1] : NULL;
    CHECK(o && o->xen.file && !strcmp(o->xen.file, "host/boot/grub/custom.cfg"));
    CHECK(o && o->xen.line == 2 && o->kernel.line == 3 && o->kernel.file);
    CHECK(cfg.n == 2 && !cfg.v[o == cfg.v[0] ? 1 : 0]->xen.file);
    md_lint *l = md_lint_new();
    md_lint_entries(l, "grub.cfg", &cfg, NULL);
    bool found = false;
    for (size_t i = 0; i < md_lint_count(l); i++)
        found |= !strcmp(md_lint_file(l, i), "host/boot/grub/custom.cfg") &&
                 strstr(md_lint_message(l, i), "no dom0_mem") != NULL;
    CHECK(found);
    md_lint_free(l);
    md_bootcfg_list_free(&cfg);

    /* source: its variables carry over; configfile: a new context, where an
     * unexported one is not seen */
    const char *vars = "source /boot/grub/vars.cfg\nmenuentry v {\n multiboot2 /xen.gz $opts\n"
                       " module2 /vmlinuz\n}\n";
    cfg = (md_bootcfg_list){ 0 };
    md_grubcfg_read_files(vars, strlen(vars), &files, &cfg);
    CHECK(cfg.n == 1 && md_strv_contains(&cfg.v[0]->xen.args, "dom0_mem=2G,max:2G"));
    md_bootcfg_list_free(&cfg);

    /* not there, beside a Xen entry: cannot check on the line */
    const char *gone = "menuentry ok {\n multiboot2 /xen.gz dom0_mem=1G,max:1G\n module2 /vmlinuz\n}\n"
                       "menuentry m {\n configfile /boot/grub/gone.cfg\n}\n";
    cfg = (md_bootcfg_list){ 0 };
    md_grubcfg_read_files(gone, strlen(gone), &files, &cfg);
    CHECK(cfg.n == 1 && cfg.nproblems == 1 && cfg.problems[0].line == 6 &&
          cfg.problems[0].unchecked && cfg.problems[0].warning &&
          strstr(cfg.problems[0].msg, "cannot check configfile /boot/grub/gone.cfg on line 6"));
    md_bootcfg_list_free(&cfg);
    /* a config with no Xen entry: the line is why (its include), named in
     * a note, no "cannot check" of entries it does not have; without a
     * finder, the line is the include alone, as before */
    const char *gone2 = strstr(gone, "menuentry m");
    cfg = (md_bootcfg_list){ 0 };
    md_grubcfg_read_files(gone2, strlen(gone2), &files, &cfg);
    CHECK(!cfg.n && cfg.nproblems == 1 && cfg.problems[0].note && !cfg.problems[0].unchecked &&
          !cfg.problems[0].warning && cfg.include && cfg.include_line == 2 &&
          strstr(cfg.problems[0].msg, "not read: configfile /boot/grub/gone.cfg on line 2: it "
                                      "is not there; this config's Xen entries may be there"));
    md_bootcfg_list_free(&cfg);
    cfg = (md_bootcfg_list){ 0 };
    md_grubcfg_read(gone2, strlen(gone2), &cfg);
    CHECK(!cfg.nproblems && cfg.include && cfg.include_line == 2);
    md_bootcfg_list_free(&cfg);
    /* in a file the config runs: the config's line that runs it is the
     * include, the note is on the other file's line */
    const char *nested = "source /boot/grub/nested.cfg\n";
    cfg = (md_bootcfg_list){ 0 };
    md_grubcfg_read_files(nested, strlen(nested), &files, &cfg);
    CHECK(!cfg.n && cfg.nproblems == 1 && cfg.problems[0].note && cfg.problems[0].line == 2 &&
          cfg.problems[0].file && !strcmp(cfg.problems[0].file, "host/boot/grub/nested.cfg") &&
          cfg.include && !strcmp(cfg.include, "source /boot/grub/nested.cfg") &&
          cfg.include_line == 1);
    md_bootcfg_list_free(&cfg);

    /* Debian's ESP stub: $prefix set from the device search finds is not
     * the config's directory (the stub found itself, silently) */
    const char *stub = "search.fs_uuid 0a1b2c3d root hd0,gpt2\nset prefix=($root)'/boot/grub'\n"
                       "configfile $prefix/grub.cfg\n";
    cfg = (md_bootcfg_list){ 0 };
    md_grubcfg_read_files(stub, strlen(stub), &files, &cfg);
    CHECK(!cfg.n && cfg.include && cfg.include_line == 3 && cfg.nproblems == 1 &&
          cfg.problems[0].note && cfg.problems[0].line == 3 &&
          strstr(cfg.problems[0].msg, "its path uses $prefix, which the config sets to a value "
                                      "lint does not know"));
    md_bootcfg_list_free(&cfg);
    /* ... set through search --set too; beside a Xen entry, cannot check */
    const char *stub2 = "search --fs-uuid --set=dev 0a1b2c3d\nset prefix=($dev)/grub2\n"
                        "menuentry ok {\n multiboot2 /xen.gz dom0_mem=1G,max:1G\n module2 /vmlinuz\n}\n"
                        "configfile $prefix/grub.cfg\n";
    cfg = (md_bootcfg_list){ 0 };
    md_grubcfg_read_files(stub2, strlen(stub2), &files, &cfg);
    CHECK(cfg.n == 1 && cfg.nproblems == 1 && cfg.problems[0].unchecked &&
          cfg.problems[0].line == 7 && strstr(cfg.problems[0].msg, "cannot check configfile"));
    md_bootcfg_list_free(&cfg);
    /* search.fs_label NAME VARIABLE sets VARIABLE (grub_cmd_do_search()):
     * a device of its own, not the config's */
    const char *label = "search.fs_label BOOT dev\nconfigfile ($dev)/boot/grub/custom.cfg\n";
    cfg = (md_bootcfg_list){ 0 };
    md_grubcfg_read_files(label, strlen(label), &files, &cfg);
    CHECK(!cfg.n && cfg.nproblems == 1 && strstr(cfg.problems[0].msg, "its path uses $dev"));
    md_bootcfg_list_free(&cfg);
    /* $prefix the config does not set is GRUB's own: found */
    const char *own = "configfile $prefix/grub.cfg\n";
    cfg = (md_bootcfg_list){ 0 };
    md_grubcfg_read_files(own, strlen(own), &files, &cfg);
    CHECK(cfg.n == 1 && !cfg.nproblems);
    md_bootcfg_list_free(&cfg);

    /* a file that sources itself: read once, a warning on its line */
    const char *self = "source /boot/grub/self.cfg\n";
    cfg = (md_bootcfg_list){ 0 };
    md_grubcfg_read_files(self, strlen(self), &files, &cfg);
    CHECK(cfg.nproblems == 1 && cfg.problems[0].warning && !cfg.problems[0].unchecked &&
          cfg.problems[0].file && !strcmp(cfg.problems[0].file, "host/boot/grub/self.cfg") &&
          strstr(cfg.problems[0].msg, "(a loop)"));
    md_bootcfg_list_free(&cfg);
}

/* A device's files as a GRUB finder lists them for wildcards: the
 * kernels and Xens of /boot, sorted; "/boot/many*" matches more than
 * MD_GRUBCFG_MAX_GLOB; a device wildcard cannot be listed.  Counts its
 * calls (ctx). */
static long glob_files(void *ctx, const char *pat, md_strv *out, char **why)
{
    ++*(int *)ctx;
    static const char *const files[] = { "/boot/rootfs.cpio.gz", "/boot/vmlinuz",
                                         "/boot/vmlinuz-lts", "/boot/xen-4.19.gz",
                                         "/boot/xen.gz", "/boot/x*y" };
    if (pat[0] == '(' && md_grubcfg_wild_has(pat, strcspn(pat, ")"))) {
        *why = md_xstrdup("a device wildcard");
        return -1;
    }
    const char *p = pat[0] == '(' ? strchr(pat, ')') + 1 : pat;
    if (!strncmp(p, "/boot/many", 10))
        return MD_GRUBCFG_MAX_GLOB + 1;
    long n = 0;
    for (size_t i = 0; i < sizeof files / sizeof *files; i++)
        if (!strncmp(p, "/boot/", 6) &&
            md_grubcfg_wild_match(p + 6, strlen(p + 6), files[i] + 6)) {
            md_strv_pushf(out, "%.*s%s", (int)(p - pat), pat, files[i]);
            n++;
        }
    return n;
}

static bool has_problem(const md_bootcfg_list *c, unsigned line, const char *says, bool warning,
                        bool unchecked)
{
    for (size_t i = 0; i < c->nproblems; i++)
        if (c->problems[i].line == line && strstr(c->problems[i].msg, says) &&
            c->problems[i].warning == warning && c->problems[i].unchecked == unchecked)
            return true;
    return false;
}

/* trial10 item 11: GRUB expands a wildcard word ("for k in /boot/vmlinu*")
 * into the files it matches (grub-core/commands/wildcard.c) while its
 * regexp module is loaded */
/* A GRUB config read with the finder `f` (NULL: md_grubcfg_read). */
static md_bootcfg_list read_cfg(const char *text, const md_grubcfg_files *f)
{
    md_bootcfg_list cfg = { 0 };
    md_grubcfg_read_files(text, strlen(text), f, &cfg);
    return cfg;
}

static void test_grub_wildcards(void)
{
    /* GRUB's pattern components: '*' and '?' only, '\' escapes */
    CHECK(md_grubcfg_wild_match("vmlinu*", 7, "vmlinuz") &&
          md_grubcfg_wild_match("vmlinu*", 7, "vmlinu") &&
          !md_grubcfg_wild_match("vmlinu*", 7, "xvmlinuz") &&
          md_grubcfg_wild_match("*.gz", 4, ".gz") && md_grubcfg_wild_match("*z*z", 4, "azbzcz") &&
          !md_grubcfg_wild_match("*z*z", 4, "azbzc") && md_grubcfg_wild_match("x?", 2, "xy") &&
          !md_grubcfg_wild_match("x?", 2, "x") && md_grubcfg_wild_match("x\\*", 3, "x*") &&
          !md_grubcfg_wild_match("x\\*", 3, "xy") && md_grubcfg_wild_match("[a]", 3, "[a]") &&
          !md_grubcfg_wild_match("[a]", 3, "a"));
    CHECK(md_grubcfg_wild_has("a*", 2) && !md_grubcfg_wild_has("a\\*", 3) &&
          !md_grubcfg_wild_has("[ab]", 4));
    char *u = md_grubcfg_wild_unescape("x\\*\\\\y", 6);
    CHECK(!strcmp(u, "x*\\y"));
    free(u);

    int calls = 0; /* other_files ignores the ctx */
    md_grubcfg_files gf = { other_files, &calls, "grub.cfg", "/grub.cfg", glob_files };
    const char *loop = "insmod regexp\nfor k in /boot/vmlinu*; do\n"
                       "  menuentry \"Xen $k\" \"$k\" {\n"
                       "    multiboot2 /boot/xen.gz dom0_mem=1G,max:1G\n"
                       "    module2 $2 console=hvc0\n  }\ndone\n";
    md_bootcfg_list cfg = read_cfg(loop, &gf);
    /* one entry per kernel, in sorted order, each loading its own */
    CHECK(cfg.n == 2 && !cfg.nproblems);
    CHECK(cfg.n == 2 && !strcmp(cfg.v[0]->title, "Xen /boot/vmlinuz") &&
          !strcmp(cfg.v[0]->kernel.path, "/boot/vmlinuz") && cfg.v[0]->kernel.line == 5 &&
          !strcmp(cfg.v[1]->title, "Xen /boot/vmlinuz-lts") &&
          !strcmp(cfg.v[1]->kernel.path, "/boot/vmlinuz-lts"));
    md_bootcfg_list_free(&cfg);

    /* without insmod regexp: expanded as an image with regexp built in,
     * and a warning on the line that others keep the word */
    const char *noregexp = strchr(loop, '\n') + 1;
    cfg = read_cfg(noregexp, &gf);
    CHECK(cfg.n == 2 && cfg.nproblems == 1 &&
          has_problem(&cfg, 1, "no 'insmod regexp' runs before the line", true, false));
    md_bootcfg_list_free(&cfg);

    /* quoted: no wildcard (GRUB escapes it); "$2" quoted again keeps it */
    const char *quoted = "insmod regexp\nfor k in \"/boot/vmlinu*\"; do\n"
                         "  menuentry \"Xen $k\" \"$k\" {\n"
                         "    multiboot2 /boot/xen.gz dom0_mem=1G,max:1G\n"
                         "    module2 \"$2\" console=hvc0\n  }\ndone\n";
    calls = 0;
    cfg = read_cfg(quoted, &gf);
    CHECK(cfg.n == 1 && !cfg.nproblems && calls == 0 &&
          !strcmp(cfg.v[0]->kernel.path, "/boot/vmlinu*"));
    md_bootcfg_list_free(&cfg);
    /* ... an escaped '*' too; a variable's value unquoted is a wildcard
     * (execute.c does not escape it), quoted it is not */
    const char *esc = "insmod regexp\nset p=/boot/xen-*\nmenuentry a {\n"
                      "  multiboot2 /boot/xen\\*\n  module2 /boot/vmlinuz\n}\n"
                      "menuentry b {\n  multiboot2 $p\n  module2 /boot/vmlinuz\n}\n"
                      "menuentry c {\n  multiboot2 \"$p\"\n  module2 /boot/vmlinuz\n}\n";
    calls = 0;
    cfg = read_cfg(esc, &gf);
    CHECK(cfg.n == 3 && calls == 1 && !cfg.nproblems);
    CHECK(cfg.n == 3 && !strcmp(cfg.v[0]->xen.path, "/boot/xen*") &&
          !strcmp(cfg.v[1]->xen.path, "/boot/xen-4.19.gz") &&
          !strcmp(cfg.v[2]->xen.path, "/boot/xen-*"));
    md_bootcfg_list_free(&cfg);

    /* a loader line's wildcard of several files: the first is loaded,
     * the others are its first parameters (grub_cmd_multiboot: argv[0]) */
    const char *two = "insmod regexp\nmenuentry x {\n"
                      "  multiboot2 (hd0,1)/boot/xen*.gz dom0_mem=1G,max:1G\n"
                      "  module2 /boot/vmlinuz\n}\n";
    cfg = read_cfg(two, &gf);
    CHECK(cfg.n == 1 && cfg.nproblems == 1 &&
          has_problem(&cfg, 3, "matches 2 files, and GRUB passes them all to multiboot2 as its "
                               "words: it loads the first, (hd0,1)/boot/xen-4.19.gz", true,
                      false));
    CHECK(cfg.n == 1 && !strcmp(cfg.v[0]->xen.path, "(hd0,1)/boot/xen-4.19.gz") &&
          cfg.v[0]->xen.args.n == 2 &&
          !strcmp(cfg.v[0]->xen.args.v[0], "(hd0,1)/boot/xen.gz") &&
          !strcmp(cfg.v[0]->xen.args.v[1], "dom0_mem=1G,max:1G"));
    md_bootcfg_list_free(&cfg);

    /* no match: GRUB keeps the word as written (a note says so); a
     * relative word is no pattern (wildcard_expand: '/', '(' or '*') */
    const char *none = "insmod regexp\nmenuentry x {\n  multiboot2 /boot/none*\n"
                       "  module2 vmlinu*\n}\n";
    calls = 0;
    cfg = read_cfg(none, &gf);
    CHECK(cfg.n == 1 && calls == 1 && cfg.nproblems == 1 &&
          has_problem(&cfg, 3, "no file matches the GRUB wildcard /boot/none*", false, false) &&
          !strcmp(cfg.v[0]->xen.path, "/boot/none*") &&
          !strcmp(cfg.v[0]->kernel.path, "vmlinu*"));
    md_bootcfg_list_free(&cfg);

    /* cannot list (too many, a device wildcard, no finder): "cannot
     * check" on the line, the file not taken for one named so */
    const char *many = "insmod regexp\nmenuentry x {\n  multiboot2 /boot/xen.gz\n"
                       "  module2 /boot/many*\n}\n"
                       "menuentry y {\n  multiboot2 (hd*)/boot/xen.gz\n  module2 /boot/vmlinuz\n}\n";
    cfg = read_cfg(many, &gf);
    CHECK(cfg.n == 2 && cfg.nproblems == 2 &&
          has_problem(&cfg, 4, "it matches more than 256 files", true, true) &&
          has_problem(&cfg, 7, "cannot check line 7 fully: GRUB expands the wildcard "
                               "(hd*)/boot/xen.gz", true, true));
    CHECK(cfg.n == 2 && md_strv_contains(&cfg.v[0]->kernel.unset, MD_BOOTCFG_WILDCARD) &&
          md_strv_contains(&cfg.v[1]->xen.unset, MD_BOOTCFG_WILDCARD));
    md_bootcfg_list_free(&cfg);
    /* a config of more wildcard words than lint expands: the rest "cannot
     * check", not a directory read each */
    md_strv big = { 0 };
    md_strv_push(&big, "insmod regexp\nmenuentry x {\n multiboot2 /boot/xen.gz");
    for (int i = 0; i <= MD_GRUBCFG_MAX_GLOBS; i++)
        md_strv_push(&big, "/boot/vmlinuz-l*");
    md_strv_push(&big, "\n}\n");
    char *bt = md_strv_join(&big, " ");
    calls = 0;
    cfg = read_cfg(bt, &gf);
    CHECK(calls == MD_GRUBCFG_MAX_GLOBS &&
          has_problem(&cfg, 3, "the config has more than 16384 wildcard words to expand", true,
                      true));
    md_bootcfg_list_free(&cfg);
    free(bt);
    md_strv_free(&big);
    cfg = read_cfg(loop, NULL);
    CHECK(has_problem(&cfg, 2, "cannot check line 2 fully: GRUB expands the wildcard "
                               "/boot/vmlinu* into the files it matches", true, true));
    md_bootcfg_list_free(&cfg);

    /* lint of the config alone: "cannot check", never a false error nor a
     * silent pass; a loader line's wildcard too */
    const char *direct = "insmod regexp\nmenuentry 'x' {\n"
                         " multiboot2 /xen*.gz dom0_mem=4096M,max:4096M gnttab_max_frames=256\n"
                         LINUX_OK ROOTFS_OK "}\n";
    /* with a root= (trial10y H3: no rootfs and no root= is an error of its own) */
    const char *loop_root = "insmod regexp\nfor k in /boot/vmlinu*; do\n"
                            "  menuentry \"Xen $k\" \"$k\" {\n"
                            "    multiboot2 /boot/xen.gz dom0_mem=1G,max:1G\n"
                            "    module2 $2 console=hvc0 root=/dev/sda1\n  }\ndone\n";
    const char *const alone[][2] = { { loop_root, "cannot check line 2 fully: GRUB expands the "
                                             "wildcard /boot/vmlinu*" },
                                     { direct, "cannot check line 3 fully: GRUB expands the "
                                               "wildcard /xen*.gz" } };
    for (size_t c = 0; c < 2; c++) {
        md_lint *l = grub(alone[c][0], NULL);
        CHECK(t_lint_has(l, MD_LINT_WARNING, 0, alone[c][1]));
        CHECK(md_lint_count_unchecked(l) > 0);
        for (size_t i = 0; i < md_lint_count(l); i++)
            CHECK(md_lint_severity(l, i) != MD_LINT_ERROR);
        dump(l);
        md_lint_free(l);
    }
}

static md_tree *tiny_rootfs(bool with_init, bool with_sbin_init);

/* What `mkdom0 build` writes (bootcfg) is what lint calls clean: the two
 * modules agree on the traps. */
static void test_grub_bootcfg_clean(void)
{
    md_err err = MD_ERR_INIT;
    md_bootcfg c = MD_BOOTCFG_DEFAULTS;
    CHECK(md_size_parse_mib("4096M", &c.dom0_mem_mib, &err) == 0);
    c.xen_extra = "gnttab_max_frames=256 gnttab_max_maptrack_frames=1024";
    md_bootcfg_entry *e = md_bootcfg_make(&c, &err);
    CHECK(e != NULL);
    if (!e)
        return;
    char *text = md_grubcfg_write(e);
    md_tree *t = tiny_rootfs(false, true); /* no /init: rdinit= must be there */
    md_lint *l = grub(text, t);
    CHECK(md_lint_count(l) == 0);
    dump(l);
    md_lint_free(l);
    /* and with the serial port moved, extra kernel args and a console= of its own */
    md_bootcfg_entry_free(e);
    c.serial_port = 2;
    c.linux_extra = "quiet console=tty0";
    e = md_bootcfg_make(&c, &err);
    CHECK(e != NULL);
    if (e) {
        free(text);
        text = md_grubcfg_write(e);
        l = grub(text, t);
        CHECK(md_lint_count(l) == 0);
        dump(l);
        md_lint_free(l);
        md_bootcfg_entry_free(e);
    }
    md_tree_free(t);
    free(text);
}

/* The dom0_mem finding on `value`, its fix, and the fix linted again: a fix
 * must itself be clean (new-user trial D4: "use dom0_mem=16MM,max:16MM"). */
static void dom0_mem_case(const char *value, const char *says, const char *want_fix)
{
    char *x = md_xasprintf("multiboot2 /xen.gz %s gnttab_max_frames=256\n", value);
    md_lint *l = entry(x, LINUX_OK, ROOTFS_OK);
    const char *fix = NULL;
    for (size_t i = 0; i < md_lint_count(l); i++)
        if (md_lint_trap(l, i) == 4 && strstr(md_lint_message(l, i), "dom0_mem"))
            fix = md_lint_fix_of(l, i);
    char *text = md_lint_text(l);
    CHECK(strstr(text, says) != NULL);
    free(text);
    CHECK(fix != NULL);
    if (fix) {
        CHECK_STR(fix, want_fix);
        char *fx = md_xasprintf("multiboot2 /xen.gz %s gnttab_max_frames=256\n", fix);
        md_lint *again = entry(fx, LINUX_OK, ROOTFS_OK);
        CHECK(md_lint_count(again) == 0);
        dump(again);
        md_lint_free(again);
        free(fx);
    }
    dump(l);
    md_lint_free(l);
    free(x);
}

static void test_grub_dom0_mem_trial(void)
{
    /* trial10d 01, 02: a quoted dom0_mem with a space beside its comma:
     * the fix is one word, and lints clean (dom0_mem_case) */
    dom0_mem_case("\"dom0_mem=1024M, max:1024M\"", "has a space", "dom0_mem=1024M,max:1024M");
    dom0_mem_case("\"dom0_mem=1024M ,max:1024M\"", "has a space", "dom0_mem=1024M,max:1024M");
    /* the user's amount, and the other words kept apart */
    dom0_mem_case("\"dom0_mem=2G, max:3G x=1\"", "has a space", "dom0_mem=2G,max:2G x=1");
    /* D4: a unit is there, the amount is just small: no second unit */
    dom0_mem_case("dom0_mem=16M,max:16M", "gives dom0 16384 KiB", "dom0_mem=4096M,max:4096M");
    dom0_mem_case("dom0_mem=0x1000B,max:0x1000B", "a 0x number is hex to Xen",
                  "dom0_mem=4096M,max:4096M");
    /* a forgotten unit: the user's number in MiB */
    dom0_mem_case("dom0_mem=4096,max:4096", "a number without a unit is KiB to Xen",
                  "dom0_mem=4096M,max:4096M");
    /* D10: an amount of 0 is "not given" to Xen; max:0 is a limit of 0 */
    dom0_mem_case("dom0_mem=0,max:0",
                  "max:0 is 0 pages (Xen takes an amount of 0 pages as not given",
                  "dom0_mem=4096M,max:4096M");
    dom0_mem_case("dom0_mem=4G,max:4G dom0_mem=0", "an amount of 0 pages as not given",
                  "dom0_mem=4G,max:4G");
    /* trial10f c18: hex is the user's amount as Xen reads it
     * (parse_size_and_unit: simple_strtoull base 0), kept in the fix */
    dom0_mem_case("dom0_mem=0x800M", "has no max:", "dom0_mem=2048M,max:2048M");
    dom0_mem_case("dom0_mem=0X800m", "has no max:", "dom0_mem=2048M,max:2048M");
    dom0_mem_case("dom0_mem=0x800MB", "stops at 'B'", "dom0_mem=2048M,max:2048M");
    dom0_mem_case("dom0_mem=0x200000", "has no max:", "dom0_mem=2097152,max:2097152");
    dom0_mem_case("dom0_mem=max:0x1G", "no amount", "dom0_mem=1G,max:1G");
    dom0_mem_case("dom0_mem=0x800M,max:0x800M dom0_mem=0x1.8G", "whole numbers only",
                  "dom0_mem=2048M,max:2048M");
    /* D12: octal */
    dom0_mem_case("dom0_mem=010G,max:10G", "010G is 8G to Xen", "dom0_mem=10G,max:10G");
    dom0_mem_case("dom0_mem=08G,max:08G", "'8' is no octal digit", "dom0_mem=8G,max:8G");
    /* D13: the user's own amount, repaired */
    dom0_mem_case("dom0_mem=4G,,max:4G", "Xen applies '4G' and drops ',max:4G'",
                  "dom0_mem=4G,max:4G");
    dom0_mem_case("dom0_mem=4G,max:4G,", "empty amount", "dom0_mem=4G,max:4G");
    /* the repaired 1G+10% still grows with host RAM: a fixed size instead */
    dom0_mem_case("dom0_mem=10%+1G,max:10%+1G", "size must come before",
                  "dom0_mem=4096M,max:4096M");
    dom0_mem_case("dom0_mem=4.5G,max:4.5G", "whole numbers only", "dom0_mem=4608M,max:4608M");
    dom0_mem_case("dom0_mem=4G%,max:4G", "no unit letter", "dom0_mem=4G,max:4G");
    dom0_mem_case("dom0_mem=--1G,max:--1G", "one '-' at most", "dom0_mem=4096M,max:4096M");
    /* trial10 case 5: relative to host RAM.  -128M is Xen's own default on
     * a host over 2 GB (get_memsize(): avail - amount): the same error as
     * no dom0_mem; a percentage grows with the host. */
    dom0_mem_case("dom0_mem=-128M,max:-128M", "the same as no dom0_mem",
                  "dom0_mem=4096M,max:4096M");
    dom0_mem_case("dom0_mem=-1G,max:-1G", "is all host RAM but 1G", "dom0_mem=4096M,max:4096M");
    dom0_mem_case("dom0_mem=10%,max:10%", "grows with host RAM", "dom0_mem=4096M,max:4096M");
    dom0_mem_case("dom0_mem=1G+10%,max:1G+10%", "grows with host RAM",
                  "dom0_mem=4096M,max:4096M");
    dom0_mem_case("dom0_mem=4G,max:4G dom0_mem=", "keeps what the dom0_mem= words before it set",
                  "dom0_mem=4G,max:4G");
    dom0_mem_case("dom0_mem=4096MiB", "stops at 'i'", "dom0_mem=4096M,max:4096M");
    /* D20: overflow wraps, Xen does not refuse it */
    dom0_mem_case("dom0_mem=99999999999999999999G,max:99999999999999999999G",
                  "keeps the value modulo 2^64, so Xen reads 5956960255G",
                  "dom0_mem=4096M,max:4096M");
    /* D13: on the dom0 kernel line */
    md_lint *l = entry("multiboot2 /xen.gz gnttab_max_frames=256\n",
                       "module2 /vmlinuz dom0_mem=2G,max:2G console=ttyS0 console=hvc0\n",
                       ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "is on the dom0 kernel line (line 3), the wrong line"));
    CHECK(md_lint_count(l) == 1 && !strcmp(md_lint_fix_of(l, 0), "dom0_mem=2G,max:2G"));
    dump(l);
    md_lint_free(l);
}

static void test_grub_dom0_mem(void)
{
    md_lint *l = entry("multiboot2 /xen.gz gnttab_max_frames=256\n", LINUX_OK, ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "no dom0_mem"));
    CHECK(md_lint_line(l, 0) == 2);
    md_lint_free(l);

    l = entry("multiboot2 /xen.gz dom0_mem=4096M gnttab_max_frames=256\n", LINUX_OK, ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "has no max:"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "struct-page"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "dom0_mem=4096M,max:4096M"));
    md_lint_free(l);

    /* Equal sizes in other units are fine; Xen's default unit is KiB. */
    l = entry("multiboot2 /xen.gz dom0_mem=4G,max:4096M gnttab_max_frames=256\n", LINUX_OK,
              ROOTFS_OK);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
    l = entry("multiboot2 /xen.gz dom0_mem=1048576,max:1024M gnttab_max_frames=256\n",
              LINUX_OK, ROOTFS_OK);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);

    l = entry("multiboot2 /xen.gz dom0_mem=2G,max:4G gnttab_max_frames=256\n", LINUX_OK,
              ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 4, "differ"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
    md_lint_free(l);

    l = entry("multiboot2 /xen.gz dom0_mem=max:4G gnttab_max_frames=256\n", LINUX_OK, ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 4, "no amount"));
    md_lint_free(l);

    /* Trial10h cases 4-6, each against Xen's dom0_compute_nr_pages()
     * (xen/arch/x86/dom0_build.c, 4.17 and 4.20): the amount raised to
     * min:, lowered to max:; the fix keeps the user's amount. */
    static const struct {
        const char *value;
        md_lint_sev sev; /* MD_LINT_NOTE: no trap 4 finding */
        const char *says, *fix;
    } xen_reads[] = {
        /* a limit spelled with '=' or glued with ':' is refused; the fix keeps its size */
        { "dom0_mem=7680M:max=7680M", MD_LINT_ERROR, "Xen reads '7680M' and stops at ':': min: "
          "and max: are items of their own", "dom0_mem=7680M,max:7680M" },
        { "dom0_mem=1G:max=1G", MD_LINT_ERROR, "stops at ':'", "dom0_mem=1G,max:1G" },
        { "dom0_mem=4G,max=4G", MD_LINT_ERROR, "'max=' is no limit to Xen", "dom0_mem=4G,max:4G" },
        /* a refused or relative amount: the user's max: is the size to keep */
        { "dom0_mem=10%+1G,max:2G", MD_LINT_ERROR, "the size must come before", "dom0_mem=2G,max:2G" },
        { "dom0_mem=10%,max:2G", MD_LINT_WARNING, "10% of host RAM", "dom0_mem=2G,max:2G" },
        /* a negative amount under a fixed max: is capped by it, no "no dom0_mem" */
        { "dom0_mem=-1G,max:2G", MD_LINT_WARNING, "dom0 starts at max: on hosts with about 3G or "
          "more", "dom0_mem=2G,max:2G" },
        { "dom0_mem=max:2G,-1G", MD_LINT_WARNING, "all host RAM but 1G", "dom0_mem=2G,max:2G" },
        { "dom0_mem=1G,max:1G,-1G", MD_LINT_WARNING, "about 2G or more", "dom0_mem=1G,max:1G" },
        { "dom0_mem=-1G,max:-1G", MD_LINT_ERROR, "the same as no dom0_mem", "dom0_mem=4096M,max:4096M" },
        /* a fixed amount under a relative max: (ipxe10 case 2): dom0 starts
         * with the amount, its maximum grows with the host; the fix keeps
         * the user's amount, never REF_AMOUNT.  max:-N is all host RAM
         * but N (get_memsize(): avail - N), an error (trap 4 on a large
         * host); a percentage a warning, as for an amount */
        { "dom0_mem=2G,max:-1G", MD_LINT_ERROR, "max:-1G is all host RAM but 1G (get_memsize() "
          "in xen/arch/x86/dom0_build.c), so max: is not a fixed size: dom0 starts with 2G, but "
          "its maximum grows with host RAM", "dom0_mem=2G,max:2G" },
        { "dom0_mem=max:-1G,2G", MD_LINT_ERROR, "dom0 starts with 2G, but its maximum grows",
          "dom0_mem=2G,max:2G" },
        { "dom0_mem=2G,max:-10%", MD_LINT_ERROR, "max:-10% is all host RAM but 10% of it",
          "dom0_mem=2G,max:2G" },
        { "dom0_mem=2G,max:-1G+10%", MD_LINT_ERROR, "all host RAM but 1G and 10% of it",
          "dom0_mem=2G,max:2G" },
        { "dom0_mem=2G,max:50%", MD_LINT_ERROR, "max:50% is 50% of host RAM (get_memsize() in "
          "xen/arch/x86/dom0_build.c), so max: is not a fixed size: dom0 starts with 2G",
          "dom0_mem=2G,max:2G" },
        { "dom0_mem=2G,max:2G+10%", MD_LINT_ERROR, "max:2G+10% is 2G plus 10% of host RAM",
          "dom0_mem=2G,max:2G" },
        { "dom0_mem=2G dom0_mem=max:-1G", MD_LINT_ERROR, "dom0 starts with 2G",
          "dom0_mem=2G,max:2G" },
        /* a relative amount and no max: the maximum is unlimited, the
         * trap of "2G" alone (fresh-user trial of #10, 2026-12-03, case 1) */
        { "dom0_mem=50%", MD_LINT_ERROR, "dom0_mem=50% has no max:, and 50% grows with host RAM",
          "dom0_mem=4096M,max:4096M" },
        { "dom0_mem=1G+10%", MD_LINT_ERROR, "has no max:, and 1G+10% grows with host RAM",
          "dom0_mem=4096M,max:4096M" },
        /* no fixed amount anywhere: the reference size */
        { "dom0_mem=max:-1G", MD_LINT_ERROR, "the same as no dom0_mem", "dom0_mem=4096M,max:4096M" },
        { "dom0_mem=10%,max:-1G", MD_LINT_ERROR, "dom0 starts with 10% of host RAM",
          "dom0_mem=4096M,max:4096M" },
        /* min: raises the amount: 4G,max:4G to Xen */
        { "dom0_mem=min:4G,1G,max:4G", MD_LINT_NOTE, NULL, NULL },
        { "dom0_mem=min:4G,max:4G", MD_LINT_NOTE, NULL, NULL },
        { "dom0_mem=min:4G,1G,max:8G", MD_LINT_WARNING, "starts with 4G (the amount 1G raised to "
          "min:", "dom0_mem=4G,max:4G" },
        { "dom0_mem=min:1G,max:2G", MD_LINT_WARNING, "min: 1G is below max:", "dom0_mem=2G,max:2G" },
        /* min: above max: is ignored (Xen lowers to max: last) */
        { "dom0_mem=min:8G,2G,max:2G", MD_LINT_NOTE, NULL, NULL },
        /* an amount at a fixed max: ends at max: whatever min: is, a
         * relative one too: min(max(4G, min), 4G) is 4G on every host */
        { "dom0_mem=4G,max:4G,min:-1G", MD_LINT_NOTE, NULL, NULL },
        { "dom0_mem=4G,max:4G,min:50%", MD_LINT_NOTE, NULL, NULL },
        { "dom0_mem=min:-1G,4G,max:4G", MD_LINT_NOTE, NULL, NULL },
        /* a relative min: below max: moves the start with the host */
        { "dom0_mem=2G,max:4G,min:-1G", MD_LINT_WARNING, "min:-1G is all host RAM but 1G "
          "(get_memsize() in xen/arch/x86/dom0_build.c), and Xen raises the amount (2G) to it, "
          "so the size dom0 starts with depends on host RAM, up to max: (4G)",
          "dom0_mem=2G,max:2G" },
        { "dom0_mem=max:4G,min:50%", MD_LINT_WARNING, "Xen raises its own pick of the initial "
          "size to it", "dom0_mem=4G,max:4G" },
        /* an amount whose size part reaches max: is max: on every host */
        { "dom0_mem=1G+99%,max:1G", MD_LINT_NOTE, "Xen lowers the amount (1G+99%, 1G plus 99% of "
          "host RAM) to max: (1G), so dom0 starts with 1G on every host", "dom0_mem=1G,max:1G" },
        { "dom0_mem=2G+10%,max:1G", MD_LINT_NOTE, "starts with 1G on every host",
          "dom0_mem=1G,max:1G" },
        /* below it: the hosts where the start reaches max: */
        { "dom0_mem=1G+10%,max:2G", MD_LINT_WARNING, "dom0 starts at max: on hosts with about "
          "10G or more and below it on smaller ones", "dom0_mem=2G,max:2G" },
        { "dom0_mem=-1G+10%,max:2G", MD_LINT_WARNING, "on hosts with about 3414M or more",
          "dom0_mem=2G,max:2G" },
        /* parse_amt() stops at the '+' after a percentage */
        { "dom0_mem=10%+10%,max:2G", MD_LINT_ERROR, "one percentage at most, and nothing may "
          "follow it", "dom0_mem=2G,max:2G" },
    };
    for (size_t i = 0; i < sizeof xen_reads / sizeof *xen_reads; i++) {
        char *line = md_xasprintf("multiboot2 /xen.gz %s gnttab_max_frames=256\n",
                                  xen_reads[i].value);
        l = entry(line, LINUX_OK, ROOTFS_OK);
        CHECK(xen_reads[i].says ? one_trap4_fix(l, xen_reads[i].sev, xen_reads[i].says,
                                                xen_reads[i].fix, xen_reads[i].value)
                                : md_lint_count(l) == 0);
        md_lint_free(l);
        free(line);
    }

    /* Xen reads a bare number as KiB: a forgotten unit (new-user trial). */
    l = entry("multiboot2 /xen.gz dom0_mem=4096,max:4096 gnttab_max_frames=256\n", LINUX_OK,
              ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "gives dom0 4096 KiB: far too little"));
    md_lint_free(l);
    l = entry("multiboot2 /xen.gz dom0_mem=4194304,max:4194304 gnttab_max_frames=256\n", LINUX_OK,
              ROOTFS_OK); /* 4 GiB in KiB: right */
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);

    /* Xen applied 4G and max:4G before it refused 'max' (parse_dom0_mem()):
     * what it keeps decides, a warning (trial10g 13) */
    l = entry("multiboot2 /xen.gz dom0_mem=4G,max:4G,max gnttab_max_frames=256\n", LINUX_OK,
              ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 4, "'max' is not an amount"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
    md_lint_free(l);
    /* trial10 case 5: a refused part after a complete amount and max: is
     * judged by what Xen ends with (4G,max:4G in each), one rule: a warning
     * naming the refused part, whatever it asks for; the fix keeps the
     * user's amount, the refused part's own size repaired ("max:2GB") */
    static const struct {
        const char *value, *says, *fix;
    } refused_after[] = {
        { "dom0_mem=4G,max:4G,max:4GB", "Xen applies '4G,max:4G' and drops 'max:4GB', which "
          "still leaves an amount and max: ('max:4GB' changes nothing), and Xen warns of the "
          "refused item at boot", "dom0_mem=4G,max:4G" },
        { "dom0_mem=4G,max:4G,foo", "Xen applies '4G,max:4G' and drops 'foo', which still "
          "leaves an amount and max: ('foo' changes nothing)", "dom0_mem=4G,max:4G" },
        { "dom0_mem=4G,max:4G,max:", "Xen applies '4G,max:4G' and drops 'max:', which still "
          "leaves an amount and max: ('max:' changes nothing)", "dom0_mem=4G,max:4G" },
        { "dom0_mem=4096M,max:4096M dom0_mem=4096MB", "dom0_mem=4096MB: '4096MB' is not an "
          "amount Xen understands: Xen reads '4096M' and stops at 'B'", "dom0_mem=4096M,max:4096M" },
        { "dom0_mem=4096M,max:4096M dom0_mem=4096MB", "Xen refuses this dom0_mem= word and keeps "
          "what the dom0_mem= words before it set, which still leaves an amount and max: "
          "('4096MB' changes nothing)", "dom0_mem=4096M,max:4096M" },
        { "dom0_mem=4G,max:4G dom0_mem=", "Xen refuses this dom0_mem= word and keeps what the "
          "dom0_mem= words before it set, which still leaves an amount and max:, and Xen warns",
          "dom0_mem=4G,max:4G" },
        { "dom0_mem=4G,max:4G,4G,max:4GB", "drops 'max:4GB', which still leaves an amount and "
          "max:", "dom0_mem=4G,max:4G" },
        { "dom0_mem=4G,max:4G,max:2GB", "drops 'max:2GB', which still leaves an amount and max: "
          "('max:2GB' changes nothing)", "dom0_mem=2G,max:2G" },
        { "dom0_mem=4G,max:4G,foo,max:1M", "drops 'foo,max:1M', which still leaves an amount and "
          "max: ('foo,max:1M' changes nothing)", "dom0_mem=4G,max:4G" },
    };
    for (size_t i = 0; i < sizeof refused_after / sizeof *refused_after; i++) {
        char *line = md_xasprintf("multiboot2 /xen.gz %s gnttab_max_frames=256\n",
                                  refused_after[i].value);
        l = entry(line, LINUX_OK, ROOTFS_OK);
        CHECK(one_trap4_fix(l, MD_LINT_WARNING, refused_after[i].says, refused_after[i].fix,
                            refused_after[i].value));
        CHECK(md_lint_line(l, 0) == 2);
        md_lint_free(l);
        free(line);
    }
    /* ... and an error when what Xen ends with lacks max: (the refusal
     * drops it) */
    l = entry("multiboot2 /xen.gz dom0_mem=4G,foo,max:4G gnttab_max_frames=256\n", LINUX_OK,
              ROOTFS_OK);
    CHECK(one_trap4_fix(l, MD_LINT_ERROR, "Xen applies '4G' and drops 'foo,max:4G', so Xen has "
                        "no max:", "dom0_mem=4G,max:4G", "4G,foo,max:4G"));
    md_lint_free(l);
    /* a space after the comma: Xen keeps 4096M, 'max:4096M' is an unknown
     * option of its own, so there is no max: (trial10g 13, b16) */
    l = entry("multiboot2 /xen.gz dom0_mem=4096M, max:4096M gnttab_max_frames=256\n", LINUX_OK,
              ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "so Xen has no max:"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "'max:4096M' is a word of its own"));
    md_lint_free(l);
    l = entry("multiboot2 /xen.gz dom0_mem=4096M, gnttab_max_frames=256\n", LINUX_OK, ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "so Xen has no max:"));
    md_lint_free(l);
    /* a later word brings max: back: only the boot log's "invalid" */
    l = entry("multiboot2 /xen.gz dom0_mem=4096M, dom0_mem=max:4096M gnttab_max_frames=256\n",
              LINUX_OK, ROOTFS_OK);
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 4, "which still leaves an amount and max:"));
    md_lint_free(l);
    /* Xen keeps 127 bytes of each option word (MAX_PARAM_SIZE 128) */
    l = entry("multiboot2 /xen.gz dom0_mem=4096M,min:1M,max:4096M,min:1M,min:1M,min:1M,min:1M,"
              "min:1M,min:1M,min:1M,min:1M,min:1M,min:1M,min:1M,min:1M,min:1M,max:4096M "
              "gnttab_max_frames=256\n", LINUX_OK, ROOTFS_OK);
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
    md_lint_free(l);
    l = entry("multiboot2 /xen.gz dom0_mem=4096M,min:1M,min:1M,min:1M,min:1M,min:1M,min:1M,"
              "min:1M,min:1M,min:1M,min:1M,min:1M,min:1M,min:1M,min:1M,min:1M,min:1M,max:4096M "
              "gnttab_max_frames=256\n", LINUX_OK, ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "never reaches dom0_mem"));
    md_lint_free(l);

    l = entry("multiboot2 /xen.gz dom0_mem=min:1G,4G,max:4G gnttab_max_frames=256\n", LINUX_OK,
              ROOTFS_OK);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);

    /* Each occurrence sets only the fields it names, as Xen's parse_dom0_mem
     * (its amounts are globals): an earlier max: still holds, and so does
     * a later one. */
    l = entry("multiboot2 /xen.gz dom0_mem=4G,max:4G dom0_mem=4G gnttab_max_frames=256\n",
              LINUX_OK, ROOTFS_OK);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
    l = entry("multiboot2 /xen.gz dom0_mem=4G dom0_mem=max:4G gnttab_max_frames=256\n",
              LINUX_OK, ROOTFS_OK);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);

    /* A parameter in a comment does not count. */
    l = entry("multiboot2 /xen.gz gnttab_max_frames=256 # dom0_mem=4G,max:4G\n", LINUX_OK,
              ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "no dom0_mem"));
    md_lint_free(l);
}

static void test_grub_gnttab(void)
{
    md_lint *l = entry("multiboot2 /xen.gz dom0_mem=4G,max:4G\n", LINUX_OK, ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 4, "gnttab_max_frames"));
    CHECK(md_lint_count(l) == 1);
    md_lint_free(l);
    /* Xen matches option names with strcmp() (parse_params() in
     * xen/common/kernel.c, 4.17 to 4.20): '-' is not '_', so both words are
     * unknown options to Xen (trial10 case 1). */
    l = entry("multiboot2 /xen.gz dom0-mem=4G,max:4G gnttab-max-frames=256\n", LINUX_OK,
              ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "no dom0_mem: Xen ignores 'dom0-mem=4G,max:4G': "
                                          "parameter names are matched exactly, and to Xen, "
                                          "unlike Linux, '-' is not '_'"));
    CHECK(t_lint_has(l, MD_LINT_WARNING, 4, "no gnttab_max_frames"));
    CHECK(md_lint_count(l) == 2);
    md_lint_free(l);

    /* A dom0_mem Xen does not read as one (ipxe10 case 3): a name in other
     * case (strcmp(): "parameter \"Dom0_mem\" unknown!"), or a space
     * beside the '=', which leaves "dom0_mem" with no value (refused) and
     * the amount an unknown option of its own.  The finding names the
     * word(s) as written; the fix keeps the user's amount. */
    static const struct {
        const char *words, *says;
    } typos[] = {
        { "Dom0_mem=2G,max:2G", "the Xen line has no dom0_mem: Xen ignores 'Dom0_mem=2G,max:2G': "
          "parameter names are case-sensitive (strcmp() in parse_params(), xen/common/kernel.c; "
          "its boot log says: parameter \"Dom0_mem\" unknown!), so dom0 starts with nearly all "
          "host RAM" },
        { "DOM0_MEM=2G,max:2G", "Xen ignores 'DOM0_MEM=2G,max:2G': parameter names are "
          "case-sensitive" },
        { "Dom0-mem=2G,max:2G", "Xen ignores 'Dom0-mem=2G,max:2G': parameter names are matched "
          "exactly: they are case-sensitive, and to Xen, unlike Linux, '-' is not '_'" },
        { "dom0_mem =2G,max:2G", "the Xen line has no dom0_mem: Xen does not read 'dom0_mem "
          "=2G,max:2G' as dom0_mem: it splits its line at spaces (parse_params(), "
          "xen/common/kernel.c), so the space beside the '=' leaves 'dom0_mem' with no value, "
          "which it refuses (parse_dom0_mem(): no amount), and '=2G,max:2G' a word of its own, "
          "an unknown option" },
        { "dom0_mem= 2G,max:2G", "Xen does not read 'dom0_mem= 2G,max:2G' as dom0_mem: it splits "
          "its line at spaces (parse_params(), xen/common/kernel.c), so the space beside the '=' "
          "leaves 'dom0_mem=' with no value" },
        { "dom0_mem = 2G,max:2G", "leaves 'dom0_mem' with no value, which it refuses "
          "(parse_dom0_mem(): no amount), and '=' and '2G,max:2G' words of their own, unknown "
          "options" },
        { "dom0_mem 2G,max:2G", "the space in place of the '=' leaves 'dom0_mem' with no value" },
    };
    for (size_t i = 0; i < sizeof typos / sizeof *typos; i++) {
        char *line = md_xasprintf("multiboot2 /xen.gz %s gnttab_max_frames=256\n", typos[i].words);
        l = entry(line, LINUX_OK, ROOTFS_OK);
        CHECK(one_trap4_fix(l, MD_LINT_ERROR, typos[i].says, "dom0_mem=2G,max:2G",
                            typos[i].words) &&
              md_lint_line(l, 0) == 2);
        md_lint_free(l);
        free(line);
    }
    /* an empty dom0_mem= before another option is no split amount */
    l = entry("multiboot2 /xen.gz dom0_mem= console=com1 gnttab_max_frames=256\n", LINUX_OK,
              ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "an empty amount"));
    md_lint_free(l);
    /* a dom0_mem Xen reads: the ignored word changes nothing */
    l = entry("multiboot2 /xen.gz dom0_mem=4G,max:4G Dom0_mem=2G gnttab_max_frames=256\n",
              LINUX_OK, ROOTFS_OK);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
}

/* update-grub's recovery entries (grub's 20_linux_xen) get GRUB_CMDLINE_XEN
 * only: dom0_mem in GRUB_CMDLINE_XEN_DEFAULT alone misses them.  The fix
 * keeps the user's amount, in a line of its own or the existing one; what
 * recovery shares with the normal entry is reported once. */
static md_lint *defaults(const char *text)
{
    md_bootcfg_list cfg = { 0 };
    md_bootfmt_read(MD_BOOTFMT_GRUB_DEFAULT, text, strlen(text), &cfg);
    for (size_t i = 0; i < cfg.n; i++)
        cfg.v[i]->format = MD_BOOTFMT_GRUB_DEFAULT;
    md_lint *l = md_lint_new();
    md_lint_entries(l, "grub", &cfg, NULL);
    md_bootcfg_list_free(&cfg);
    return l;
}

/* trial10 case 7: dash's readonly assigns as export does (dash(1):
 * "readonly name[=value]"); local (only in a function), declare and typeset
 * (not in dash) set nothing in update-grub's /bin/sh */
static void test_grub_defaults_readonly(void)
{
    static const char base[] = "GRUB_CMDLINE_LINUX=\"console=ttyS0,115200 console=hvc0\"\n"
                               "GRUB_CMDLINE_XEN=\"dom0_mem=4096M,max:4096M gnttab_max_frames=256 "
                               "gnttab_max_maptrack_frames=1024\"\n";
    static const char *const sets[] = {
        "readonly GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2G\"\n", /* dg/readonly */
        "export GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2G\"\n",   /* dg/exported */
        "readonly GRUB_CMDLINE_XEN_DEFAULT=dom0_mem=2G\n",
        "readonly\tA=1   GRUB_CMDLINE_XEN_DEFAULT='dom0_mem=2G'\n",
    };
    for (size_t i = 0; i < sizeof sets / sizeof *sets; i++) {
        char *t = md_xasprintf("%s%s", base, sets[i]);
        md_lint *l = defaults(t);
        CHECK(md_lint_count(l) == 1 && md_lint_line(l, 0) == 3 &&
              t_lint_has(l, MD_LINT_WARNING, 4, "dom0_mem=4096M,max:4096M dom0_mem=2G: dom0 "
                         "starts with 2G and max: is 4096M: the two differ"));
        if (md_lint_count(l) != 1)
            fprintf(stderr, "readonly case %zu: %zu findings\n", i, md_lint_count(l));
        md_lint_free(l);
        free(t);
    }
    static const char *const none[] = {
        "local GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2G\"\n",
        "declare GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2G\"\n",
        "typeset GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2G\"\n",
        "readonly GRUB_CMDLINE_XEN_DEFAULT\n",
        "READONLY GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2G\"\n",
    };
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        char *t = md_xasprintf("%s%s", base, none[i]);
        md_lint *l = defaults(t);
        CHECK(md_lint_count(l) == 0);
        dump(l);
        md_lint_free(l);
        free(t);
    }
    /* the recovery fix extends the readonly assignment itself */
    md_lint *l = defaults("readonly GRUB_CMDLINE_XEN='iommu=1'\nGRUB_CMDLINE_XEN_DEFAULT=\""
                          "dom0_mem=1G,max:1G gnttab_max_frames=256\"\n"
                          "GRUB_CMDLINE_LINUX=\"console=tty0 console=hvc0\"\n");
    CHECK(md_lint_count(l) == 1);
    if (md_lint_count(l) == 1)
        CHECK_STR(md_lint_fix_of(l, 0), "readonly GRUB_CMDLINE_XEN='iommu=1 dom0_mem=1G,max:1G'");
    md_lint_free(l);
}

/* A module of another loader's family: GRUB stops the entry.  On Arm the
 * loader is xen_hypervisor and its modules xen_module (trial10 case 9: the
 * message said "module2 after multiboot ... use module"). */
static void test_grub_family(void)
{
    md_lint *l = grub("menuentry 'Xen mix' {\n"
                      "\txen_hypervisor /boot/xen.gz dom0_mem=1G gnttab_max_frames=256\n"
                      "\tmodule2 /boot/vmlinuz rdinit=/sbin/init console=hvc0 earlycon=xenboot\n"
                      "\tmodule2 --nounzip /boot/rootfs.cpio.gz\n}\n", NULL);
    bool found = false;
    for (size_t i = 0; i < md_lint_count(l); i++)
        if (md_lint_trap(l, i) == 0 && strstr(md_lint_message(l, i), "after")) {
            found = true;
            CHECK(md_lint_line(l, i) == 3 && md_lint_severity(l, i) == MD_LINT_ERROR);
            CHECK_STR(md_lint_message(l, i), "menuentry 'Xen mix': module2 after xen_hypervisor "
                      "(line 2): GRUB loads modules only with its own loader's family and stops "
                      "the entry, so dom0 never starts; use xen_module");
            CHECK_STR(md_lint_fix_of(l, i), "xen_module /boot/vmlinuz rdinit=/sbin/init "
                      "console=hvc0 earlycon=xenboot");
        }
    CHECK(found);
    md_lint_free(l);
    /* x86: the families of multiboot2 and multiboot, GRUB's words quoted */
    l = grub("menuentry 'Xen' {\n multiboot2 /xen.gz dom0_mem=1G,max:1G gnttab_max_frames=256\n"
             " module --nounzip /vmlinuz console=ttyS0 console=hvc0\n}\n", NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "module after multiboot2 (line 2): GRUB loads modules "
                     "only with its own loader's family and stops the entry with 'you need to "
                     "load the kernel first', so dom0 never starts; use module2"));
    md_lint_free(l);
}

/* trial10 case 8: Debian's stock grub.d/xen.cfg sets no GRUB_CMDLINE_XEN*:
 * alone, its Xen line is in a file not read, "cannot check" as its dom0
 * kernel line (trap 1); read with /etc/default/grub, which sets none
 * either, it has no dom0_mem */
static void test_grub_defaults_fragment(void)
{
    static const char stock[] =
        "#GRUB_CMDLINE_XEN_DEFAULT=\"\"\n#GRUB_CMDLINE_XEN=\"\"\n"
        "if [ \"$XEN_OVERRIDE_GRUB_DEFAULT\" = \"\" ]; then\n"
        "        XEN_OVERRIDE_GRUB_DEFAULT=1\nfi\n";
    md_lint *l = defaults(stock);
    CHECK(md_lint_count(l) == 2 && md_lint_count_sev(l, MD_LINT_ERROR) == 0);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 4, "cannot check the Xen line: this file does not set "
                     "its parameters (GRUB_CMDLINE_XEN, GRUB_CMDLINE_XEN_DEFAULT); update-grub "
                     "takes them from /etc/default/grub or another file of /etc/default/grub.d: "
                     "lint them together"));
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1, "cannot check the dom0 kernel line"));
    CHECK(md_lint_count_unchecked(l) == 2);
    for (size_t i = 0; i < md_lint_count(l); i++)
        CHECK(md_lint_line(l, i) == 0);
    md_lint_free(l);
    /* one of the two set: the line is judged on what it has */
    l = defaults("GRUB_CMDLINE_XEN=\"gnttab_max_frames=256\"\nXEN_OVERRIDE_GRUB_DEFAULT=1\n");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "the Xen line has no dom0_mem"));
    md_lint_free(l);
    /* with /etc/default/grub: nothing sets them, so the line is empty */
    const char *names[] = { "grub", "grub.d/xen.cfg" };
    const char *texts[] = { "GRUB_DEFAULT=0\nGRUB_CMDLINE_LINUX=\"console=tty0 console=hvc0\"\n",
                            stock };
    size_t lens[] = { strlen(texts[0]), strlen(texts[1]) };
    md_bootcfg_list cfg = { 0 };
    md_bootfmt_read_defaults(names, texts, lens, 2, true, &cfg);
    for (size_t i = 0; i < cfg.n; i++)
        cfg.v[i]->format = MD_BOOTFMT_GRUB_DEFAULT;
    l = md_lint_new();
    md_lint_entries(l, "grub", &cfg, NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "the Xen line has no dom0_mem"));
    CHECK(!t_lint_has(l, MD_LINT_WARNING, 4, "cannot check the Xen line"));
    md_lint_free(l);
    md_bootcfg_list_free(&cfg);
}

static void test_grub_defaults_recovery(void)
{
    /* a grub.d fragment alone (no dom0 kernel variable, no GRUB_CMDLINE_XEN):
     * /etc/default/grub may set GRUB_CMDLINE_XEN, so 'cannot check', as
     * trap 1 is (trial10y M4) */
    md_lint *f = defaults("GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2G,max:2G gnttab_max_frames=256\"\n");
    CHECK(t_lint_has(f, MD_LINT_WARNING, 4, "recovery entries: cannot check dom0_mem"));
    CHECK(t_lint_has(f, MD_LINT_WARNING, 1, "cannot check the dom0 kernel line"));
    CHECK(md_lint_count_sev(f, MD_LINT_ERROR) == 0);
    CHECK(md_lint_count_unchecked(f) >= 1);
    md_lint_free(f);
    md_lint *l = defaults("GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=12G gnttab_max_frames=256\"\n"
                          "GRUB_CMDLINE_LINUX=\"console=ttyS0,115200 console=hvc0\"\n");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "has no max:"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "recovery entries: no dom0_mem: update-grub"));
    CHECK(md_lint_count(l) == 2);
    if (md_lint_count(l) == 2) {
        CHECK(md_lint_line(l, 1) == 1);
        CHECK_STR(md_lint_fix_of(l, 1), "GRUB_CMDLINE_XEN=\"dom0_mem=12G,max:12G\"");
    }
    md_lint_free(l);
    /* set: its own line extended, quoted as it was */
    l = defaults("GRUB_CMDLINE_XEN='iommu=1'\nGRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1G,max:1G "
                 "gnttab_max_frames=256\"\nGRUB_CMDLINE_LINUX=\"console=tty0 console=hvc0\"\n");
    CHECK(md_lint_count(l) == 1);
    if (md_lint_count(l) == 1) {
        CHECK(md_lint_line(l, 0) == 1 && md_lint_severity(l, 0) == MD_LINT_ERROR);
        CHECK_STR(md_lint_fix_of(l, 0), "GRUB_CMDLINE_XEN='iommu=1 dom0_mem=1G,max:1G'");
    }
    md_lint_free(l);
    l = defaults("GRUB_CMDLINE_XEN=\nGRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1G,max:1G "
                 "gnttab_max_frames=256\"\nGRUB_CMDLINE_LINUX=\"console=tty0 console=hvc0\"\n");
    if (md_lint_count(l) == 1)
        CHECK_STR(md_lint_fix_of(l, 0), "GRUB_CMDLINE_XEN=\"dom0_mem=1G,max:1G\"");
    md_lint_free(l);
    /* in both variables, or no recovery entries: nothing to say */
    l = defaults("GRUB_CMDLINE_XEN=\"dom0_mem=1G,max:1G\"\nGRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1G,"
                 "max:1G gnttab_max_frames=256\"\n"
                 "GRUB_CMDLINE_LINUX=\"console=tty0 console=hvc0\"\n");
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
    l = defaults("GRUB_DISABLE_RECOVERY=true\nGRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=1G,max:1G "
                 "gnttab_max_frames=256\"\nGRUB_CMDLINE_LINUX=\"console=tty0 console=hvc0\"\n");
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
    /* the recovery kernel line is "single GRUB_CMDLINE_LINUX": a console in
     * GRUB_CMDLINE_LINUX_DEFAULT alone misses it */
    l = defaults("GRUB_CMDLINE_XEN=\"dom0_mem=1G,max:1G gnttab_max_frames=256\"\n"
                 "GRUB_CMDLINE_LINUX=\"\"\n"
                 "GRUB_CMDLINE_LINUX_DEFAULT=\"console=tty0 console=hvc0\"\n");
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1,
                     "recovery entries: the dom0 kernel line has no console="));
    CHECK(md_lint_count(l) == 1);
    md_lint_free(l);
}

static void test_grub_console(void)
{
    md_lint *l = entry(XEN_OK, "module2 /vmlinuz console=ttyS0,115200\n", ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "no console=hvc0"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "looks frozen"));
    CHECK(md_lint_line(l, 0) == 3);
    md_lint_free(l);

    l = entry(XEN_OK, "module2 /vmlinuz console=tty0\n", ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "add console=hvc0"));
    md_lint_free(l);

    l = entry(XEN_OK, "module2 /vmlinuz root=/dev/sda1 ro quiet\n", ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1, "hvc0 is missing entirely"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
    md_lint_free(l);

    l = entry(XEN_OK, "module2 /vmlinuz console=hvc0\n", ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1, "printk"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
    md_lint_free(l);

    l = entry(XEN_OK, "module2 /vmlinuz console=hvc0 console=ttyS0,115200\n", ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1, "put console=hvc0 last"));
    md_lint_free(l);

    l = entry(XEN_OK, "module2 /vmlinuz console=tty0 console=hvc0\n", ROOTFS_OK);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);

    /* Xen's own early consoles are printk consoles (hvc_xen.c's xenboot);
     * after "--" a word is init's, not the kernel's.  NULL: no finding. */
    static const struct {
        const char *linux_, *says;
    } early[] = {
        { "module2 /vmlinuz console=hvc0 earlyprintk=xen\n", NULL },
        { "module2 /vmlinuz console=hvc0 earlyprintk=xen,keep\n", NULL },
        { "module2 /vmlinuz console=hvc0 earlycon=xenboot\n", NULL },
        { "module2 /vmlinuz console=hvc0 earlyprintk=xenx\n", "no console for kernel printk" },
        { "module2 /vmlinuz console=hvc0 -- earlyprintk=xen\n", "no console for kernel printk" },
        { "module2 /vmlinuz console=hvc0\n",
          "add console=ttyS0,115200 (or console=tty0) before console=hvc0, or earlyprintk=xen" },
    };
    for (size_t i = 0; i < sizeof early / sizeof *early; i++) {
        l = entry(XEN_OK, early[i].linux_, ROOTFS_OK);
        CHECK(early[i].says ? t_lint_has(l, MD_LINT_WARNING, 1, early[i].says)
                            : md_lint_count(l) == 0);
        md_lint_free(l);
    }
    /* Quoted words are still words. */
    l = entry(XEN_OK, "module2 /vmlinuz 'console=ttyS0,115200' \"console=hvc0\"\n", ROOTFS_OK);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
}

#define XEN_ARM "xen_hypervisor /xen dom0_mem=1024M gnttab_max_frames=256\n"
#define ROOTFS_ARM "xen_module --nounzip /rootfs.cpio.gz\ndevicetree /x.dtb\n"

/* Arm: the UART is Xen's, so dom0's printk goes through earlycon=xenboot */
static void test_grub_console_arm(void)
{
    md_lint *l = entry(XEN_ARM, "xen_module /vmlinuz console=hvc0 earlycon=xenboot\n", ROOTFS_ARM);
    CHECK(md_lint_count(l) == 0);
    dump(l);
    md_lint_free(l);

    l = entry(XEN_ARM, "xen_module /vmlinuz console=hvc0\n", ROOTFS_ARM);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1, "on Arm the UART belongs to Xen, so add "
                                              "earlycon=xenboot"));
    CHECK(!t_lint_has(l, MD_LINT_WARNING, 1, "ttyS0"));
    CHECK(md_lint_count(l) == 1);
    md_lint_free(l);

    l = entry(XEN_ARM, "xen_module /vmlinuz console=hvc0 earlyprintk=xen\n", ROOTFS_ARM);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1, "earlyprintk=xen is x86 Linux's"));
    md_lint_free(l);

    l = entry(XEN_ARM, "xen_module /vmlinuz root=/dev/ram0\n", ROOTFS_ARM);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1, "add console=hvc0 for userspace and "
                                              "earlycon=xenboot for printk"));
    CHECK(!t_lint_has(l, MD_LINT_WARNING, 1, "ttyS0,115200"));
    md_lint_free(l);
}

static void test_grub_nounzip(void)
{
    /* trial10 case 13: why it matters, not "Xen must pass" (Linux unpacks a
     * plain cpio too) */
    {
        md_lint *u = entry("multiboot2 /xen.gz dom0_mem=4G,max:4G gnttab_max_frames=256\n",
                           LINUX_OK, " module2 /rootfs.cpio.gz\n");
        CHECK(t_lint_has(u, MD_LINT_WARNING, 0, "the dom0 kernel unpacks that too, but for "
                         "mkdom0's RAM-resident root dom0 holds it in its memory until the root "
                         "is unpacked beside it, so it needs that much more dom0_mem than for "
                         "the compressed file (what Dom0Mem=auto counts)"));
        CHECK(!t_lint_has(u, MD_LINT_WARNING, 0, "Xen must pass"));
        md_lint_free(u);
    }
    md_lint *l = entry(XEN_OK, LINUX_OK, "module2 /rootfs.cpio.gz\n");
    CHECK(t_lint_has(l, MD_LINT_WARNING, 0, "--nounzip"));
    CHECK(t_lint_has(l, MD_LINT_WARNING, 0, "compressed archive"));
    CHECK(md_lint_line(l, 0) == 4);
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
    md_lint_free(l);

    /* neither an initramfs nor root=: Linux panics (trial10y H3) */
    l = entry(XEN_OK, LINUX_OK, "");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "no rootfs module"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "Unable to mount root fs"));
    CHECK(md_lint_count_not_checked(l) == 1);
    md_lint_free(l);

    l = entry(XEN_OK, "", "");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "no module"));
    md_lint_free(l);
}

static md_tree *tiny_rootfs(bool with_init, bool with_sbin_init)
{
    md_tree *t = md_tree_new(false);
    md_err err = MD_ERR_INIT;
    md_attr a = { 0755, 0, 0, 0 };
    if (with_init)
        md_tree_add_file(t, "/init", &a, (unsigned char *)md_xstrdup("#!/bin/sh\n"), 10, "t",
                         MD_CLASH_ERROR, &err);
    md_tree_add_file(t, "/bin/busybox", &a, NULL, 0, "t", MD_CLASH_ERROR, &err);
    if (with_sbin_init)
        md_tree_add_symlink(t, "/sbin/init", &a, "../bin/busybox", "t", MD_CLASH_ERROR, &err);
    CHECK(!err.set);
    return t;
}

static void test_grub_rdinit(void)
{
    md_tree *no_init = tiny_rootfs(false, true), *with_init = tiny_rootfs(true, false);
    const char *no_rd = "menuentry 'x' {\n" XEN_OK
                        "module2 /vmlinuz console=ttyS0,115200 console=hvc0\n" ROOTFS_OK "}\n";
    md_lint *l = grub(no_rd, no_init);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "no /init"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "rdinit=/sbin/init"));
    md_lint_free(l);
    l = grub(no_rd, with_init);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
    l = grub(no_rd, NULL); /* rootfs unknown: nothing to say */
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);

    const char *rd = "menuentry 'x' {\n" XEN_OK LINUX_OK ROOTFS_OK "}\n";
    l = grub(rd, no_init); /* /sbin/init -> ../bin/busybox resolves */
    CHECK(md_lint_count(l) == 0);
    dump(l);
    md_lint_free(l);
    l = grub(rd, with_init);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "rdinit=/sbin/init, but the rootfs has no such file"));
    md_lint_free(l);
    /* Trial 9 case 03: an rdinit= target without an execute bit. */
    md_tree *noexec = md_tree_new(false);
    md_err err = MD_ERR_INIT;
    md_attr a = { 0644, 0, 0, 0 };
    md_tree_add_file(noexec, "/sbin/init", &a, NULL, 0, "t", MD_CLASH_ERROR, &err);
    l = grub(rd, noexec);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "rdinit=/sbin/init, but that file is mode 0644, not executable"));
    md_lint_free(l);
    md_tree_free(noexec);
    md_tree_free(no_init);
    md_tree_free(with_init);
}

/* Trial 9 case 08: a bad entry nested past the depth mkdom0 follows was
 * skipped without a word; now "cannot check" names the block and limit. */
static void test_grub_too_deep(void)
{
    const char *bad = "menuentry bad {\nmultiboot2 /xen.gz dom0_mem=1G\n"
                      "module2 /vmlinuz console=tty0\nmodule2 --nounzip /rootfs.cpio.gz\n}\n";
    for (int n = 31; n <= 40; n += 9) {
        char *text = md_xstrdup("");
        for (int i = 0; i < n; i++) {
            char *t = md_xasprintf("%ssubmenu \"a\" {\n", text);
            free(text), text = t;
        }
        char *t = md_xasprintf("%s%s", text, bad);
        free(text), text = t;
        for (int i = 0; i < n; i++) {
            t = md_xasprintf("%s}\n", text);
            free(text), text = t;
        }
        md_lint *l = grub(text, NULL);
        if (n == 31) {
            CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "dom0_mem=1G has no max:"));
            CHECK(md_lint_count_unchecked(l) == 0);
        } else {
            /* the one entry is in the block not followed: one error that
             * says why there is no entry, not a warning beside it (trial 9) */
            CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "no Xen boot entry found in what lint could "
                                                   "read (line 33: cannot check this 'submenu' "
                                                   "block or anything in it: it is nested more "
                                                   "than 32 deep"));
            CHECK(md_lint_count(l) == 1);
            CHECK(md_lint_count_unchecked(l) >= 1);
        }
        md_lint_free(l);
        /* beside an entry that is read, the block not followed is a warning */
        char *two = md_xasprintf("%s%s", bad, text);
        l = grub(two, NULL);
        CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "dom0_mem=1G has no max:"));
        if (n == 40)
            CHECK(t_lint_has(l, MD_LINT_WARNING, 0, "cannot check this 'submenu' block or "
                                                     "anything in it: it is nested more than 32 "
                                                     "deep"));
        CHECK(!t_lint_has(l, MD_LINT_ERROR, 0, "no Xen boot entry"));
        md_lint_free(l);
        free(two);
        free(text);
    }
}

/* Trial10b case 7: GRUB runs one branch of each if, at any depth, so an
 * entry's paths multiply through nested ifs; three levels deep, the one
 * path without dom0_mem is found and no path reads two Xen lines in a row.
 * Past MAX_PATHS (32) ways the entry is "cannot check", never a sequence
 * read silently. */
/* A variable set to literal values in the branches of an if is read per
 * way, as a Xen line in them is (fresh-user trial of #10, case 1): each
 * value is checked, where "maybe either" was "cannot check".  At the top
 * level, inside the entry, with "set" or bare, and through a value built
 * from it. */
static void test_grub_if_vars(void)
{
    const char *const ifs[] = {
        /* top level */
        "if [ \"$grub_platform\" = efi ]; then\n set m=\"dom0_mem=2G,max:2G\"\nelse\n"
        " set m=\"dom0_mem=2G\"\nfi\nmenuentry 'x' {\n multiboot2 /xen.gz $m "
        "gnttab_max_frames=256\n" LINUX_OK ROOTFS_OK "}\n",
        /* inside the entry, bare assignments */
        "menuentry 'x' {\nif [ \"$grub_platform\" = efi ]; then\n m=\"dom0_mem=2G,max:2G\"\n"
        "else\n m=\"dom0_mem=2G\"\nfi\n multiboot2 /xen.gz $m gnttab_max_frames=256\n"
        LINUX_OK ROOTFS_OK "}\n",
        /* through another variable */
        "if [ \"$grub_platform\" = efi ]; then\n set m=\"dom0_mem=2G,max:2G\"\nelse\n"
        " set m=\"dom0_mem=2G\"\nfi\nset opts=\"$m gnttab_max_frames=256\"\n"
        "menuentry 'x' {\n multiboot2 /xen.gz $opts\n" LINUX_OK ROOTFS_OK "}\n",
    };
    /* the line that writes dom0_mem=2G (issue 10, lint10r), through
     * opts's value too */
    const unsigned line[] = { 4, 5, 4 };
    for (size_t i = 0; i < sizeof ifs / sizeof *ifs; i++) {
        md_lint *l = grub(ifs[i], NULL);
        CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "dom0_mem=2G has no max:"));
        CHECK(md_lint_count(l) == 1);
        CHECK(md_lint_count_unchecked(l) == 0);
        CHECK(md_lint_line(l, 0) == line[i]);
        dump(l);
        md_lint_free(l);
    }
    /* both ways clean: no finding at all */
    md_lint *l = grub("if [ \"$grub_platform\" = efi ]; then\n set m=\"dom0_mem=2G,max:2G\"\n"
                      "else\n set m=\"dom0_mem=4G,max:4G\"\nfi\nmenuentry 'x' {\n"
                      " multiboot2 /xen.gz $m gnttab_max_frames=256\n" LINUX_OK ROOTFS_OK "}\n",
                      NULL);
    CHECK(md_lint_count(l) == 0);
    dump(l);
    md_lint_free(l);
    /* ways of the top level, then an entry with ways of its own: each top
     * way reads the entry's two ways (fuzz_grub on m15: the entry's read
     * left the top level marking its commands outside its array, a heap
     * overflow) */
    l = grub("if [ \"$grub_platform\" = efi ]; then\n set m=\"dom0_mem=2G,max:2G\"\nelse\n"
             " set m=\"dom0_mem=2G\"\nfi\nmenuentry 'x' {\n if a; then\n"
             "  multiboot2 /xen.gz $m gnttab_max_frames=256\n else\n"
             "  multiboot2 /xen.gz $m gnttab_max_frames=256 loglvl=all\n fi\n"
             LINUX_OK ROOTFS_OK "}\n",
             NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "dom0_mem=2G has no max:"));
    CHECK(md_lint_count(l) == 2);
    CHECK(md_lint_count_unchecked(l) == 0);
    CHECK(md_lint_line(l, 0) == 4 && md_lint_line(l, 1) == 4);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "used by the multiboot2 line 8)"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "used by the multiboot2 line 10)"));
    dump(l);
    md_lint_free(l);
    /* an if that sets a variable no loader line uses makes no ways */
    l = grub("if a; then\n set timeout=5\nelse\n set timeout=1\nfi\n"
             "menuentry 'x' {\n" XEN_OK LINUX_OK ROOTFS_OK "}\n", NULL);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
}

static void test_grub_nested_if(void)
{
    const char *deep = "menuentry x {\n"
                       "if a; then\n if b; then\n  if c; then\n" XEN_OK
                       "  else\n   multiboot2 /xen.gz gnttab_max_frames=256\n  fi\n"
                       " else\n" XEN_OK " fi\nelse\n" XEN_OK "fi\n"
                       "module2 /vmlinuz console=ttyS0,115200 console=hvc0\n" ROOTFS_OK "}\n";
    md_lint *l = grub(deep, NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "the Xen line has no dom0_mem"));
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 0, "followed by no module"));
    CHECK(md_lint_count(l) == 1);
    dump(l);
    md_lint_free(l);
    /* 6 ifs of 2 ways each: 64 paths */
    char *text = md_xstrdup("menuentry x {\n");
    for (int i = 0; i < 6; i++) {
        char *t = md_xasprintf("%sif a; then\n module2 /m%d\nfi\n", text, i);
        free(text), text = t;
    }
    char *t = md_xasprintf("%s" XEN_OK LINUX_OK ROOTFS_OK "}\n", text);
    free(text), text = t;
    l = grub(text, NULL);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 0, "give more than 32 ways through it"));
    CHECK(md_lint_count_unchecked(l) >= 1);
    md_lint_free(l);
    free(text);
    /* Past 32 ways the first 32 are read, never every branch as one
     * sequence: if/else of two Xen lines, then of two dom0 kernels, gave
     * "the multiboot2 on line 2 never boots: ... replaces it" and took
     * the else's kernel for the rootfs (no --nounzip).  9 ifs (more than
     * are told apart): one sequence, and still no replacement claimed
     * (its second kernel is still taken for the rootfs there). */
    for (int nif = 6; nif <= 9; nif += 3) {
        text = md_xstrdup("menuentry x {\n"
                          "if a; then\n" XEN_OK "else\n" XEN_OK "fi\n"
                          "if b; then\n" LINUX_OK "else\n" LINUX_OK "fi\n" ROOTFS_OK);
        for (int i = 2; i < nif; i++) {
            t = md_xasprintf("%sif a; then\n module2 /m%d\nelse\n module2 /n%d\nfi\n", text, i, i);
            free(text), text = t;
        }
        t = md_xasprintf("%s}\n", text);
        free(text), text = t;
        l = grub(text, NULL);
        CHECK(t_lint_has(l, MD_LINT_WARNING, 0,
                         nif == 6 ? "it was checked on the first 32 ways only"
                                  : "it was checked as one sequence of its lines"));
        CHECK(!t_lint_has(l, MD_LINT_NOTE, 0, "never boots"));
        CHECK(nif == 9 || !t_lint_has(l, MD_LINT_WARNING, 0, "--nounzip"));
        dump(l);
        md_lint_free(l);
        free(text);
    }
}

/* Trial10b case 5: which module is dom0's initramfs.  Xen's ucode=<index>
 * takes a module out of the initrd choice (microcode_grab_module(), Xen
 * 4.17), ucode=scan does not; a microcode archive handed to dom0 is the
 * module order's fault, and the fix ucode=1 lints clean.  module2 with two
 * files loads the first only. */
static void test_grub_microcode_first(void)
{
    md_tree *uc = md_tree_new(false);
    md_err err = MD_ERR_INIT;
    md_attr a = { 0644, 0, 0, 0 };
    md_tree_add_file(uc, "/kernel/x86/microcode/GenuineIntel.bin", &a, NULL, 0, "t",
                     MD_CLASH_ERROR, &err);
    CHECK(!err.set);
    const char *scan = "menuentry x {\nmultiboot2 /xen.gz dom0_mem=4096M,max:4096M "
                       "gnttab_max_frames=256 ucode=scan\n" LINUX_OK
                       "module2 --nounzip /intel-ucode.img\n" ROOTFS_OK "}\n";
    md_lint *l = grub(scan, uc);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "is /intel-ucode.img (line 4), an early-microcode "
                                          "archive"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "the module order is the fault"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "or add ucode=1 to the Xen line"));
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 0, "add rdinit=/sbin/init"));
    CHECK(md_lint_count(l) == 1 && !strcmp(md_lint_fix_of(l, 0), "ucode=1"));
    md_lint_free(l);
    /* the fix, ucode=1 (and -1 counted from the end: 3 modules, so 2 is
     * the last), makes the module after it dom0's: its rootfs */
    md_tree *root = tiny_rootfs(false, true);
    const char *idx[] = { "ucode=1", "ucode=scan,1", "ucode=-2", "ucode=0x1" };
    for (size_t i = 0; i < sizeof idx / sizeof *idx; i++) {
        char *t = md_xasprintf("menuentry x {\nmultiboot2 /xen.gz dom0_mem=4096M,max:4096M "
                         "gnttab_max_frames=256 %s\n" LINUX_OK
                         "module2 --nounzip /intel-ucode.img\n" ROOTFS_OK "}\n", idx[i]);
        md_bootcfg_list cfg = { 0 };
        md_grubcfg_read(t, strlen(t), &cfg);
        long um;
        CHECK(cfg.n == 1 && md_bootcfg_initrd(cfg.v[0], &um) == 1 && um == 0);
        md_strv xen = { 0 }, rootfs = { 0 };
        md_lint_entry_files(&cfg, &xen, &rootfs);
        CHECK(rootfs.n == 1 && !strcmp(rootfs.v[0], "/rootfs.cpio.gz"));
        md_strv_free(&xen);
        md_strv_free(&rootfs);
        md_bootcfg_list_free(&cfg);
        l = grub(t, root);
        CHECK(md_lint_count(l) == 0);
        dump(l);
        md_lint_free(l);
        free(t);
    }
    /* no ucode=, ucode=0, an index past the modules: the first stays dom0's */
    const char *none[] = { "", "ucode=0", "ucode=3", "ucode=-3", "ucode=scan" };
    for (size_t i = 0; i < sizeof none / sizeof *none; i++) {
        char *t = md_xasprintf("multiboot2 /xen.gz %s\nmodule2 /vmlinuz\nmodule2 /u\n"
                               "module2 /r\n", none[i]);
        md_bootcfg_list cfg = { 0 };
        md_grubcfg_read(t, strlen(t), &cfg);
        long um;
        CHECK(cfg.n == 1 && md_bootcfg_initrd(cfg.v[0], &um) == 0 && um == -1);
        md_bootcfg_list_free(&cfg);
        free(t);
    }
    /* module2 loads one file: the second is text */
    l = grub("menuentry x {\n" XEN_OK LINUX_OK "module2 --nounzip /microcode.cpio "
             "/rootfs.cpio.gz\n}\n", NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "module2 loads one file: it loads /microcode.cpio"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "so /rootfs.cpio.gz is never loaded and dom0's "
                                          "initramfs is /microcode.cpio alone"));
    md_lint_free(l);
    md_tree_free(uc);
    md_tree_free(root);
}

static void test_grub_debian(void)
{
    md_lint *l = grub_file("debian-generated.cfg");
    /* Two Xen entries (the plain Linux one is no Xen boot): each without
     * dom0_mem, gnttab and console=. */
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 2);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "no dom0_mem"));
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1, "hvc0 is missing entirely"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "menuentry 'Debian GNU/Linux, with Xen hypervisor'"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4,
                      "'Advanced options for Debian GNU/Linux (with Xen hypervisor)>Xen "
                      "hypervisor, version 4.17-amd64>Debian GNU/Linux, with Xen 4.17-amd64 "
                      "and Linux 6.1.0-18-amd64'"));
    bool line73 = false, line91 = false;
    for (size_t i = 0; i < md_lint_count(l); i++) {
        line73 |= md_lint_line(l, i) == 73 && md_lint_trap(l, i) == 4;
        line91 |= md_lint_line(l, i) == 91 && md_lint_trap(l, i) == 4;
    }
    CHECK(line73 && line91);
    md_lint_free(l);

    l = grub_file("debian-configured.cfg");
    CHECK(md_lint_count(l) == 0);
    dump(l);
    md_lint_free(l);
}

static void test_grub_alpine_legacy(void)
{
    md_lint *l = grub_file("alpine.cfg");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "dom0_mem=1024M has no max:"));
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1, "printk"));
    CHECK(t_lint_has(l, MD_LINT_WARNING, 0, "--nounzip"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 1);
    md_lint_free(l);

    l = grub_file("alpine-fixed.cfg");
    CHECK(md_lint_count(l) == 0);
    dump(l);
    md_lint_free(l);

    l = grub_file("legacy.cfg");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "no console=hvc0"));
    CHECK(t_lint_has(l, MD_LINT_WARNING, 0, "'module --nounzip /boot/initrd.img'"));
    md_lint_free(l);
}

static void test_grub_syntax(void)
{
    md_lint *l = grub_file("tricky.cfg");
    /* Entry one gets everything through variables and ';'; entry two has a
     * continued Xen line (reported at its first line) without max:. */
    CHECK(md_lint_count(l) == 1);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "dom0_mem=512M has no max:"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "menuentry 'Xen \"RAM\" dom0s>two'"));
    CHECK(md_lint_count(l) == 1 && md_lint_line(l, 0) == 7);
    dump(l);
    md_lint_free(l);

    /* A variable this file never sets may hold the parameter: warn only. */
    l = entry("multiboot2 /xen.gz $xen_extra gnttab_max_frames=256\n", LINUX_OK, ROOTFS_OK);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 4, "$xen_extra"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
    md_lint_free(l);

    /* A variable that is set, to something else, does not excuse it. */
    l = grub("set opts=\"loglvl=all\"\nmenuentry 'x' {\nmultiboot2 /xen.gz ${opts} "
             "gnttab_max_frames=256\n" LINUX_OK ROOTFS_OK "}\n", NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "no dom0_mem"));
    md_lint_free(l);

    /* Escaped quote, backslash-space, CRLF line ends. */
    l = grub("menuentry \"a \\\"b\\\"\" {\r\n multiboot2 /xen.gz dom0_mem=4G,max:4G\\ "
             "gnttab_max_frames=256\r\n" LINUX_OK ROOTFS_OK "}\r\n", NULL);
    /* the escaped space joined two words into one with a space: GRUB hands
     * it to Xen in double quotes, and Xen reads '"dom0_mem' (trial10b case 1) */
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "has a space, so GRUB passes it in double quotes"));
    CHECK(md_lint_count(l) == 1 && !strcmp(md_lint_fix_of(l, 0),
                                           "dom0_mem=4G,max:4G gnttab_max_frames=256"));
    md_lint_free(l);
    l = grub("menuentry \"a \\\"b\\\"\" {\r\n multiboot2 /xen.gz dom0_mem=4G,max:4G "
             "gnttab_max_frames=256\r\n" LINUX_OK ROOTFS_OK "}\r\n", NULL);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);

    l = grub("menuentry 'x {\n" XEN_OK "}\n", NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "unterminated quote"));
    CHECK(md_lint_line(l, 0) == 1);
    md_lint_free(l);

    l = grub("menuentry 'Linux' {\n linux /vmlinuz\n initrd /initrd\n}\n"
             "menuentry 'memtest' { multiboot /memtest86+.bin; }\n", NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "no Xen boot entry found"));
    CHECK(md_lint_count(l) == 1);
    md_lint_free(l);

    /* Commands at top level, outside any menuentry (a generated script). */
    l = grub(XEN_OK "module2 /vmlinuz console=ttyS0\n" ROOTFS_OK "boot\n", NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "no console=hvc0"));
    md_lint_free(l);

    /* Two Xen lines in one entry (if/else on the platform). */
    l = grub("menuentry 'x' {\nif [ $grub_platform = efi ]; then\n" XEN_OK LINUX_OK ROOTFS_OK
             "else\nmultiboot2 /xen.gz\n" LINUX_OK ROOTFS_OK "fi\n}\n", NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "no dom0_mem"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 1);
    CHECK(md_lint_line(l, 0) == 7);
    md_lint_free(l);

    /* tboot: Xen is the first module. */
    l = grub("menuentry 't' {\nmultiboot2 /tboot.gz logging=serial\nmodule2 /xen.gz "
             "dom0_mem=4G,max:4G gnttab_max_frames=256\n" LINUX_OK ROOTFS_OK "}\n", NULL);
    CHECK(md_lint_count(l) == 0);
    dump(l);
    md_lint_free(l);
}

static void test_grub_robust(void)
{
    /* Random bytes and damaged copies of a real config: findings or not,
     * never a crash (ASan watches). */
    size_t len;
    char *base = data_file("debian-generated.cfg", &len);
    srand(42);
    for (int round = 0; round < 400; round++) {
        char *b = md_xmalloc(len + 1);
        memcpy(b, base, len);
        for (int k = 0; k < 20; k++) {
            size_t at = (size_t)rand() % (len ? len : 1);
            const char pick[] = "'\"\\{}$;#\n\0x";
            b[at] = pick[rand() % (int)(sizeof pick - 1)];
        }
        size_t cut = (size_t)rand() % (len + 1);
        md_lint *l = md_lint_new();
        md_lint_grub(l, "fuzz", b, cut, NULL);
        md_lint_inittab(l, "fuzz", b, cut, NULL);
        md_lint_free(l);
        free(b);
    }
    for (int round = 0; round < 200; round++) {
        size_t n = (size_t)rand() % 300;
        char *b = md_xmalloc(n + 1);
        for (size_t i = 0; i < n; i++)
            b[i] = (char)(rand() % 256);
        md_lint *l = md_lint_new();
        md_lint_grub(l, "rand", b, n, NULL);
        md_lint_inittab(l, "rand", b, n, NULL);
        md_lint_free(l);
        free(b);
    }
    md_lint *l = md_lint_new();
    md_lint_grub(l, "empty", "", 0, NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "no Xen boot entry found"));
    md_lint_free(l);
    free(base);
    CHECK(1);
}

/* ---- inittab ---- */

static md_lint *inittab(const char *name, const md_tree *rootfs)
{
    size_t len;
    char *t = data_file(name, &len);
    md_lint *l = md_lint_new();
    md_lint_inittab(l, name, t, len, rootfs);
    free(t);
    return l;
}

static md_lint *inittab_text(const char *text)
{
    md_lint *l = md_lint_new();
    md_lint_inittab(l, "inittab", text, strlen(text), NULL);
    return l;
}

static void test_inittab(void)
{
    /* trial10h case 7: a getty on hvc0 run 'once' is named as the cause,
     * not "none on hvc0" */
    md_lint *lo = inittab_text("::sysinit:/sbin/openrc sysinit\n"
                               "tty1::respawn:/sbin/getty 38400 tty1\n"
                               "hvc0::once:/sbin/getty -L 115200 hvc0 vt100\n");
    CHECK(t_lint_has(lo, MD_LINT_ERROR, 1, "the getty on hvc0 (line 3) runs 'once', not respawn"));
    CHECK(!t_lint_has(lo, MD_LINT_ERROR, 1, "none on hvc0"));
    CHECK(md_lint_count_sev(lo, MD_LINT_ERROR) == 1 && md_lint_line(lo, 0) == 3);
    md_lint_free(lo);
    md_lint *l = inittab("inittab.busybox-good", NULL);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
    /* past MD_BOOTCFG_MAX_TEXT not read, and said (trial 9m: 100 MB of
     * "a a a" aborted lint out of memory) */
    size_t bn = MD_BOOTCFG_MAX_TEXT + 2;
    char *big = md_xmalloc(bn);
    for (size_t i = 0; i < bn; i += 2)
        big[i] = 'a', big[i + 1] = ' ';
    memcpy(big, "::sysinit:/x ", 13);
    l = md_lint_new();
    md_lint_inittab(l, "inittab", big, bn, NULL);
    CHECK(md_lint_count(l) == 1 &&
          t_lint_has(l, MD_LINT_ERROR, 0, "more than the 16 MiB read of an inittab"));
    md_lint_free(l);
    free(big);
    l = inittab("inittab.debian-sysv-hvc0", NULL);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);

    l = inittab("inittab.alpine-default", NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "getty only on tty1, tty2"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "looks frozen"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "hvc0::respawn:/sbin/getty"));
    CHECK(md_lint_line(l, 0) == 8);
    md_lint_free(l);

    l = inittab("inittab.serial-only", NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "getty only on ttyS0, none on hvc0"));
    md_lint_free(l);

    l = inittab("inittab.debian-sysv", NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "line 21 has one commented out"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "'hv0:2345:respawn:/sbin/getty 38400 hvc0'"));
    md_lint_free(l);

    l = inittab("inittab.console-shell", NULL);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1, "/dev/console"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
    md_lint_free(l);

    l = inittab("inittab.none", NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "none at all"));
    md_lint_free(l);

    /* The busybox id names the tty; /dev/ prefixes; agetty; a shell. */
    l = inittab_text("hvc0::respawn:/bin/login -f root\n");
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
    l = inittab_text("h0:2345:respawn:/sbin/agetty -L /dev/hvc0 9600 vt100\n");
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
    l = inittab_text("hvc0::askfirst:-/bin/sh\n");
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
    /* respawn of something that is no login does not count */
    l = inittab_text("::respawn:/sbin/syslogd -n\nttyS0::respawn:/sbin/getty ttyS0 115200\n");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "getty only on ttyS0"));
    md_lint_free(l);
    l = inittab_text("this is no inittab\nhvc0::respawn:/sbin/getty hvc0\nx::bogus:/bin/true\n");
    CHECK(t_lint_has(l, MD_LINT_WARNING, 0, "not an inittab entry"));
    CHECK(t_lint_has(l, MD_LINT_WARNING, 0, "unknown inittab action 'bogus'"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
    md_lint_free(l);

    /* With the rootfs: the getty must exist there, and what init runs at
     * startup: without /sbin/openrc (an Alpine base without openrc) each
     * of its three startup lines is named; its shutdown line is not. */
    md_tree *t = tiny_rootfs(false, true);
    l = inittab("inittab.busybox-good", t);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "/sbin/getty, which the rootfs does not have"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "init runs /sbin/openrc at sysinit, which the rootfs "
                                          "does not have"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "init runs /sbin/openrc at wait"));
    CHECK(md_lint_count(l) == 4);
    md_lint_free(l);
    md_err err = MD_ERR_INIT;
    md_attr a = { 0777, 0, 0, 0 }, x = { 0755, 0, 0, 0 };
    md_tree_add_symlink(t, "/sbin/getty", &a, "/bin/busybox", "t", MD_CLASH_ERROR, &err);
    l = inittab("inittab.busybox-good", t);
    CHECK(md_lint_count(l) == 3);
    md_lint_free(l);
    /* a directory where the program should be is named as one */
    md_tree_add_dir(t, "/sbin/openrc", &x, "t", &err);
    l = inittab("inittab.busybox-good", t);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "init runs /sbin/openrc at sysinit, which is "));
    md_lint_free(l);
    md_tree_free(t);
    t = tiny_rootfs(false, true);
    md_tree_add_symlink(t, "/sbin/getty", &a, "/bin/busybox", "t", MD_CLASH_ERROR, &err);
    md_tree_add_file(t, "/sbin/openrc", &x, NULL, 0, "t", MD_CLASH_ERROR, &err);
    CHECK(!err.set);
    l = inittab("inittab.busybox-good", t);
    CHECK(md_lint_count(l) == 0);
    md_lint_free(l);
    md_tree_free(t);
}

/* ---- rootfs ---- */

/* A minimal ELF64 relocatable file with a .modinfo section: what
 * md_kmodelf_read needs of a .ko. */
static unsigned char *mk_ko(const char *name, const char *depends, const char *kver,
                            size_t *len)
{
    char *mi = md_xasprintf("license=GPL%cdepends=%s%cname=%s%cvermagic=%s SMP mod_unload%c",
                            0, depends, 0, name, 0, kver, 0);
    size_t mil = 11 + 1 + 8 + strlen(depends) + 1 + 5 + strlen(name) + 1 + 9 + strlen(kver) +
                 15 + 1;
    static const char shstr[] = "\0.modinfo\0.shstrtab";
    size_t shl = sizeof shstr;
    size_t off_mi = 64, off_sh = off_mi + mil, off_hdr = (off_sh + shl + 7) & ~(size_t)7;
    *len = off_hdr + 3 * 64;
    unsigned char *d = md_xcalloc(1, *len);
    memcpy(d, "\x7f" "ELF\x02\x01\x01", 7);
    d[16] = 1; /* ET_REL */
    d[18] = 62; /* x86-64 */
    d[20] = 1;
#define PUT(off, v, n) do { uint64_t v_ = (v); for (int i_ = 0; i_ < (n); i_++) d[(off) + i_] = (unsigned char)(v_ >> (8 * i_)); } while (0)
    PUT(0x28, off_hdr, 8);
    PUT(0x34, 64, 2);
    PUT(0x3a, 64, 2);
    PUT(0x3c, 3, 2);
    PUT(0x3e, 2, 2);
    memcpy(d + off_mi, mi, mil);
    memcpy(d + off_sh, shstr, shl);
    unsigned char *s1 = d + off_hdr + 64, *s2 = d + off_hdr + 128;
    size_t b1 = (size_t)(s1 - d), b2 = (size_t)(s2 - d);
    PUT(b1 + 0, 1, 4);          /* ".modinfo" */
    PUT(b1 + 4, 1, 4);          /* SHT_PROGBITS */
    PUT(b1 + 0x18, off_mi, 8);
    PUT(b1 + 0x20, mil, 8);
    PUT(b2 + 0, 10, 4);         /* ".shstrtab" */
    PUT(b2 + 4, 3, 4);          /* SHT_STRTAB */
    PUT(b2 + 0x18, off_sh, 8);
    PUT(b2 + 0x20, shl, 8);
#undef PUT
    free(mi);
    return d;
}

#define KVER "6.1.0-18-amd64"
#define MODDIR "/lib/modules/" KVER

static void add_text(md_tree *t, const char *path, const char *text, unsigned mode)
{
    md_err err = MD_ERR_INIT;
    md_attr a = { mode, 0, 0, 0 };
    md_tree_add_file(t, path, &a, (unsigned char *)md_xstrdup(text), strlen(text), "t",
                     MD_CLASH_REPLACE, &err);
    CHECK(!err.set);
}

static void add_link(md_tree *t, const char *path, const char *target)
{
    md_err err = MD_ERR_INIT;
    md_attr a = { 0777, 0, 0, 0 };
    md_tree_add_symlink(t, path, &a, target, "t", MD_CLASH_REPLACE, &err);
    CHECK(!err.set);
}

static void add_ko(md_tree *t, const char *rel, const char *depends, const char *kver)
{
    char nm[64];
    const char *b = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
    snprintf(nm, sizeof nm, "%.*s", (int)strcspn(b, "."), b);
    size_t len;
    unsigned char *d = mk_ko(nm, depends, kver, &len);
    char *p = md_xasprintf(MODDIR "/%s", rel);
    md_err err = MD_ERR_INIT;
    md_attr a = { 0644, 0, 0, 0 };
    md_tree_add_file(t, p, &a, d, len, "t", MD_CLASH_REPLACE, &err);
    CHECK(!err.set);
    free(p);
}

static const char *const XEN_MODS[] = { "xen-evtchn", "xen-gntdev", "xen-gntalloc",
                                        "xen-privcmd", "xenfs", NULL };

/* The design's dom0, small: busybox init with a getty on hvc0, devtmpfs in
 * rcS, the five Xen modules and an index that matches, Xen 4.17 tools. */
/* A bzImage's boot header with release `rel` (Documentation/arch/x86/boot.rst). */
static void fake_bzimage(unsigned char *k, size_t n, const char *rel)
{
    t_bzimage(k, n, 0x20f, rel);
}

static md_tree *good_rootfs(void)
{
    md_tree *t = md_tree_new(false);
    md_err err = MD_ERR_INIT;
    md_attr a = { 0755, 0, 0, 0 };
    md_tree_add_file(t, "/bin/busybox", &a, NULL, 0, "t", MD_CLASH_ERROR, &err);
    add_link(t, "/sbin/init", "../bin/busybox");
    add_link(t, "/sbin/getty", "../bin/busybox");
    add_link(t, "/sbin/mdev", "../bin/busybox");
    /* the inittab's sysinit lines run OpenRC */
    add_text(t, "/sbin/openrc", "#!/bin/sh\n", 0755);
    size_t len;
    char *it = data_file("inittab.busybox-good", &len);
    add_text(t, "/etc/inittab", it, 0644);
    free(it);
    add_text(t, "/etc/init.d/rcS", "#!/bin/sh\nmount -t proc proc /proc\n"
                                   "mount -t devtmpfs devtmpfs /dev\n", 0755);
    /* what init runs decides trap 3: OpenRC's sysinit runlevel starts it */
    add_link(t, "/etc/runlevels/sysinit/rcS", "/etc/init.d/rcS");
    add_link(t, "/bin/sh", "busybox");
    add_link(t, "/bin/mount", "busybox"); /* what rcS runs, where OpenRC looks for it */
    char *dep = md_xstrdup("");
    for (int i = 0; XEN_MODS[i]; i++) {
        char *rel = md_xasprintf("kernel/drivers/xen/%s%s.ko", i == 4 ? "xenfs/" : "",
                                 XEN_MODS[i]);
        add_ko(t, rel, "", KVER);
        char *nd = md_xasprintf("%s%s:\n", dep, rel);
        free(dep);
        dep = nd;
        free(rel);
    }
    add_ko(t, "kernel/drivers/net/phy/libphy.ko", "mdio", KVER);
    add_ko(t, "kernel/drivers/net/mdio.ko", "", KVER);
    add_ko(t, "kernel/drivers/net/ethernet/intel/ixgbe/ixgbe.ko", "mdio,libphy,dca", KVER);
    char *nd = md_xasprintf("%skernel/drivers/net/phy/libphy.ko: kernel/drivers/net/mdio.ko\n"
                            "kernel/drivers/net/mdio.ko:\n"
                            "kernel/drivers/net/ethernet/intel/ixgbe/ixgbe.ko: "
                            "kernel/drivers/net/phy/libphy.ko kernel/drivers/net/mdio.ko\n", dep);
    add_text(t, MODDIR "/modules.dep", nd, 0644);
    add_text(t, MODDIR "/modules.builtin", "kernel/drivers/dca/dca.ko\n", 0644);
    free(nd);
    free(dep);
    size_t sol;
    unsigned char *so = t_fake_so("libxenctrl.so.4.17", &sol);
    md_tree_add_file(t, "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17.0", &a, so, sol, "t",
                     MD_CLASH_ERROR, &err);
    add_link(t, "/usr/lib/x86_64-linux-gnu/libxenctrl.so.4.17", "libxenctrl.so.4.17.0");
    CHECK(!err.set);
    return t;
}

/* xenver "X.Y": a hypervisor xen.gz of that release; NULL: none known. */
static md_lint *rootfs(const md_tree *t, const char *xenver)
{
    md_lint *l = md_lint_new();
    md_xen_version hv = { .found = xenver != NULL };
    if (xenver)
        CHECK(sscanf(xenver, "%u.%u", &hv.major, &hv.minor) == 2);
    snprintf(hv.path, sizeof hv.path, "xen.gz");
    md_lint_rootfs(l, "rootfs.cpio.gz", t, &hv, 1, false);
    return l;
}

static bool clean(const md_lint *l)
{
    return md_lint_count_sev(l, MD_LINT_ERROR) == 0 && md_lint_count_sev(l, MD_LINT_WARNING) == 0;
}

/* A finding's line and a word of its message. */
typedef struct line_word {
    unsigned line;
    const char *word;
} line_word;

/* How many findings of `l` are on a line of `want` with its word. */
static unsigned found_at(const md_lint *l, const line_word *want, size_t n)
{
    unsigned c = 0;
    for (size_t i = 0; i < md_lint_count(l); i++)
        for (size_t k = 0; k < n; k++)
            c += md_lint_line(l, i) == want[k].line && strstr(md_lint_message(l, i), want[k].word);
    return c;
}

/* Is `t`'s lint clean once it has empty programs at `paths` (NULL-ended):
 * the programs its services run? */
static bool clean_with_programs(md_tree *t, const char *const *paths)
{
    for (size_t i = 0; paths[i]; i++)
        add_text(t, paths[i], "", 0755);
    md_lint *l = rootfs(t, "4.17");
    dump(l);
    bool ok = clean(l);
    md_lint_free(l);
    return ok;
}

/* Trial 9 case 03: /sbin/init a dangling symlink, a loop, or not
 * executable: the kernel panics "No working init found"; lint passed them. */
static void test_rootfs_init_cannot_run(void)
{
    md_err err = MD_ERR_INIT;
    md_attr x = { 0755, 0, 0, 0 }, nx = { 0644, 0, 0, 0 };
    struct {
        const char *target; /* NULL: a regular file of mode 0644 */
        const char *needle;
    } cases[] = {
        { "/bin/nonexistent", "a symlink to /bin/nonexistent, which leads to no file" },
        { "/sbin/init", "a symlink to /sbin/init, which leads to no file (dangling or a loop)" },
        { NULL, "mode 0644, not executable" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        md_tree *t = good_rootfs();
        md_tree_remove(t, "/sbin/init");
        if (cases[i].target)
            md_tree_add_symlink(t, "/sbin/init", &x, cases[i].target, "t", MD_CLASH_ERROR, &err);
        else
            md_tree_add_file(t, "/sbin/init", &nx, NULL, 0, "t", MD_CLASH_ERROR, &err);
        CHECK(!err.set);
        md_lint *l = rootfs(t, "4.17");
        CHECK(t_lint_has(l, MD_LINT_ERROR, 0, cases[i].needle));
        CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "No working init found"));
        md_lint_free(l);
        md_tree_free(t);
    }
}

/* A 64-bit dynamic executable whose PT_INTERP names `interp`. */
static unsigned char *mk_dyn_exe(const char *interp, size_t *len)
{
    size_t il = strlen(interp) + 1, off_i = 64 + 56, off_sh = (off_i + il + 7) & ~(size_t)7;
    *len = off_sh + 64;
    unsigned char *d = md_xcalloc(1, *len);
    memcpy(d, "\x7f" "ELF\x02\x01\x01", 7);
    d[16] = 2; /* ET_EXEC */
    d[18] = 62;
    d[20] = 1;
#define PUT(off, v, n) do { uint64_t v_ = (v); for (int i_ = 0; i_ < (n); i_++) d[(off) + i_] = (unsigned char)(v_ >> (8 * i_)); } while (0)
    PUT(0x20, 64, 8);     /* e_phoff */
    PUT(0x28, off_sh, 8); /* e_shoff */
    PUT(0x36, 56, 2);
    PUT(0x38, 1, 2);
    PUT(0x3a, 64, 2);
    PUT(0x3c, 1, 2);      /* the null section alone */
    PUT(64, 3, 4);        /* PT_INTERP */
    PUT(64 + 8, off_i, 8);
    PUT(64 + 32, il, 8);
#undef PUT
    memcpy(d + off_i, interp, il);
    return d;
}

/* Trial 9h case 2: with /lib64 a file, no dynamic program could start (its
 * loader /lib64/ld-linux-x86-64.so.2 gone), and lint said "no findings". */
static void test_rootfs_interpreter(void)
{
    md_err err = MD_ERR_INIT;
    md_attr x = { 0755, 0, 0, 0 };
    md_tree *t = good_rootfs();
    size_t len;
    unsigned char *d = mk_dyn_exe("/lib64/ld-linux-x86-64.so.2", &len);
    md_tree_add_file(t, "/usr/sbin/sshd", &x, d, len, "t", MD_CLASH_ERROR, &err);
    d = mk_dyn_exe("/lib64/ld-linux-x86-64.so.2", &len);
    md_tree_add_file(t, "/usr/sbin/xenstored", &x, d, len, "t", MD_CLASH_ERROR, &err);
    CHECK(!err.set);
    md_lint *l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "its ELF interpreter /lib64/ld-linux-x86-64.so.2 is "
                                          "not in the rootfs: the kernel cannot start it nor 1 "
                                          "other programs"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 1);
    md_lint_free(l);
    /* the loader there: no finding */
    md_tree_add_file(t, "/usr/lib64/ld-linux-x86-64.so.2", &x, (unsigned char *)md_xstrdup("ld"), 2,
                     "t", MD_CLASH_ERROR, &err);
    add_link(t, "/lib64", "usr/lib64");
    CHECK(!err.set);
    l = rootfs(t, "4.17");
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 0, "ELF interpreter"));
    md_lint_free(l);
    md_tree_free(t);
}

static void test_rootfs_good(void)
{
    md_tree *t = good_rootfs();
    md_lint *l = rootfs(t, "4.17");
    CHECK(clean(l));
    CHECK(md_lint_count(l) == 0);
    dump(l);
    md_lint_free(l);
    l = rootfs(t, NULL);
    CHECK(t_lint_has(l, MD_LINT_NOTE, 2, "--xen"));
    CHECK(clean(l));
    md_lint_free(l);
    md_tree_free(t);
}

/* The services init starts run programs the rootfs must have (#13: the
 * Debian dom0's xenstored script on an Alpine base ran Debian's xen-dir,
 * which Alpine does not have, and Domain-0 was never registered). */
static void test_rootfs_services(void)
{
    /* the Debian dom0's xenstored, enabled in boot, on a rootfs without
     * Debian's xen-dir: the line that runs it is named */
    static const char xenstored[] =
        "#!/sbin/openrc-run\n"
        "# /usr/lib/xen-common/bin/xen-dir in a comment runs nothing\n"
        "command=${XENSTORED:-/usr/sbin/xenstored}\n"
        "start() {\n"
        "\tebegin \"Starting xenstored\"  # /bin/not-run-either\n"
        "\t/sbin/xen-dom0-setup --ready x watch -- \"$command\" --no-fork\n"
        "\tdir=$(/usr/lib/xen-common/bin/xen-dir) || return 1\n"
        "\t\"$dir\"/bin/xen-init-dom0 >/dev/null 2>&1\n"
        "\t[ -x /usr/sbin/optional ] && /usr/sbin/optional\n"
        "\tlist=$(cat <<-EOF\n"
        "\t/usr/bin/in-a-heredoc\n"
        "\tEOF\n"
        "\t)\n"
        "\techo '/usr/bin/quoted'; echo /usr/bin/argument\n"
        "\tif /usr/bin/after-if; then ! /usr/bin/after-bang; fi\n"
        "\t/bin/busybox start-stop-daemon -S -b \\\n"
        "\t\t-x /usr/bin/exec-of-ssd -- -x /usr/bin/its-argument\n"
        "\tcat <<-EOF >/dev/null\n"
        "\t/usr/bin/in-a-second-heredoc\n"
        "\tEOF\n"
        "\tv=$(\"/usr/bin/quoted-in-sub\" -x)\n"
        "}\n";
    md_tree *t = good_rootfs();
    /* the scanner on every cut of the script, and on noise: no crash, no
     * read past the text (ASan), whatever it finds */
    add_link(t, "/etc/runlevels/boot/xenstored", "/etc/init.d/xenstored");
    for (size_t cut = 0; cut <= sizeof xenstored - 1; cut++) {
        char *part = md_xstrndup(xenstored, cut);
        add_text(t, "/etc/init.d/xenstored", part, 0755);
        md_lint_free(rootfs(t, "4.17"));
        free(part);
    }
    unsigned seed = 13;
    for (int i = 0; i < 200; i++) {
        char noise[97];
        for (size_t k = 0; k + 1 < sizeof noise; k++) {
            seed = seed * 1103515245u + 12345u;
            noise[k] = "$(){}\"'`<>|&;!#-\\=/ \n\tabcEOF:"[(seed >> 16) % 29];
        }
        noise[sizeof noise - 1] = '\0';
        add_text(t, "/etc/init.d/xenstored", noise, 0755);
        md_lint_free(rootfs(t, "4.17"));
    }
    add_text(t, "/sbin/openrc-run", "#!/bin/sh\n", 0755);
    add_text(t, "/sbin/xen-dom0-setup", "", 0755);
    add_text(t, "/usr/sbin/xenstored", "", 0755);
    add_text(t, "/etc/init.d/xenstored", xenstored, 0755);
    add_link(t, "/etc/runlevels/boot/xenstored", "/etc/init.d/xenstored");
    md_lint *l = rootfs(t, "4.17");
    dump(l);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "service xenstored runs /usr/lib/xen-common/bin/xen-dir, "
                                          "which the rootfs does not have"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "no Domain-0"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "runs /usr/bin/after-if,"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "runs /usr/bin/after-bang,"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "runs /usr/bin/exec-of-ssd,"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "runs /usr/bin/quoted-in-sub,"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 5); /* nothing else */
    static const line_word at[] = { { 7, "xen-dir" }, { 21, "quoted-in-sub" } };
    CHECK(found_at(l, at, 2) == 2);
    CHECK(!strcmp(md_lint_file(l, 0), "rootfs.cpio.gz(/etc/init.d/xenstored)"));
    md_lint_free(l);

    /* what it runs there: no error (the default ${XENSTORED:-...} too) */
    CHECK(clean_with_programs(t, (const char *const[]){ "/usr/lib/xen-common/bin/xen-dir",
                                                         "/usr/bin/after-if", "/usr/bin/after-bang",
                                                         "/usr/bin/exec-of-ssd",
                                                         "/usr/bin/quoted-in-sub", NULL }));
    md_tree_remove(t, "/usr/sbin/xenstored");
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "service xenstored runs /usr/sbin/xenstored,"));
    md_lint_free(l);
    add_text(t, "/usr/sbin/xenstored", "", 0755);

    /* its interpreter */
    md_tree_remove(t, "/sbin/openrc-run");
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "service xenstored runs /sbin/openrc-run,"));
    md_lint_free(l);
    add_text(t, "/sbin/openrc-run", "#!/bin/sh\n", 0755);

    /* a runlevel that starts a service whose script is missing (the xen
     * package's xenconsoled, left out); a runlevel init never enters
     * (Debian's openrc ships nonetwork/local) is not started */
    add_link(t, "/etc/runlevels/boot/xenconsoled", "/etc/init.d/xenconsoled");
    add_link(t, "/etc/runlevels/nonetwork/local", "/etc/init.d/local");
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "runlevel boot starts service xenconsoled, but "
                                          "/etc/init.d/xenconsoled is not in the rootfs"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 1);
    md_lint_free(l);
    md_tree_remove(t, "/etc/runlevels/boot/xenconsoled");

    /* a script the inittab starts itself, not in any runlevel */
    add_text(t, "/etc/init.d/xen-dom0", "#!/sbin/openrc-run\nstart() { /sbin/gone all; }\n", 0755);
    size_t len;
    char *it = md_tree_text(t, "/etc/inittab", &len);
    char *it2 = md_xasprintf("%s::sysinit:/etc/init.d/xen-dom0 start\n", it);
    add_text(t, "/etc/inittab", it2, 0644);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "service xen-dom0 runs /sbin/gone,"));
    md_lint_free(l);
    free(it);
    free(it2);
    /* a service nothing starts is not checked */
    md_tree_remove(t, "/etc/runlevels/boot/xenstored");
    md_tree_remove(t, "/etc/init.d/xen-dom0");
    l = rootfs(t, "4.17");
    dump(l);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "init runs /etc/init.d/xen-dom0 at sysinit"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 1);
    md_lint_free(l);

    /* an inittab that never runs openrc (busybox init starting the daemons
     * itself, as the bench's minimal image) enters no runlevel: a boot
     * service's missing /sbin/openrc-run is no error there, and is one once
     * the inittab runs `openrc` (alone: the default runlevel) */
    add_link(t, "/etc/runlevels/boot/xenstored", "/etc/init.d/xenstored");
    md_tree_remove(t, "/sbin/openrc-run");
    add_text(t, "/etc/inittab", "::sysinit:/bin/true\nhvc0::respawn:/sbin/getty -L 115200 hvc0 vt100\n", 0644);
    l = rootfs(t, "4.17");
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 0, "service xenstored runs /sbin/openrc-run,"));
    md_lint_free(l);
    add_text(t, "/etc/inittab", "::sysinit:/bin/true\n::wait:/sbin/openrc\nhvc0::respawn:/sbin/getty -L 115200 hvc0 vt100\n", 0644);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "service xenstored runs /sbin/openrc-run,"));
    md_lint_free(l);
    md_tree_free(t);
}

/* Commands by bare name are looked up where openrc-run looks (trial 13 F1:
 * supervise-daemon, start-stop-daemon, checkpath and xl went unchecked). */
static void test_rootfs_services_bare(void)
{
    static const char sshd[] =
        "#!/sbin/openrc-run\n"
        "supervisor=supervise-daemon\n"
        "command=/usr/sbin/sshd\n"
        "depend() {\n"
        "\tneed net\n"
        "\tuse logger\n"
        "}\n"
        "helper() { :; }\n"
        "start_pre() {\n"
        "\tcheckpath --directory /run/sshd\n"
        "\ti=$((i + 1))\n"
        "\tcase \"$x\" in\n"
        "\tfoo|bar) xl list ;;\n"
        "\tbaz)\n"
        "\t\thelper; libfn ;;\n"
        "\tesac\n"
        "\tcommand -v optional-tool >/dev/null && optional-tool\n"
        "\tif [ -x /usr/bin/guarded ]; then guarded; fi\n"
        "\tlocal v; echo x; printf y; ebegin z; eend 0; not-there -x\n"
        "}\n";
    static const char consoled[] =
        "#!/sbin/openrc-run\n"
        "command=/usr/sbin/xenconsoled\n";
    md_tree *t = good_rootfs();
    add_text(t, "/sbin/openrc-run", "#!/bin/sh\n", 0755);
    add_text(t, "/usr/sbin/sshd", "", 0755);
    add_text(t, "/usr/sbin/xenconsoled", "", 0755);
    add_text(t, "/etc/init.d/sshd", sshd, 0755);
    add_text(t, "/etc/init.d/xenconsoled", consoled, 0755);
    add_link(t, "/etc/runlevels/boot/sshd", "/etc/init.d/sshd");
    add_link(t, "/etc/runlevels/boot/xenconsoled", "/etc/init.d/xenconsoled");
    /* without OpenRC's shell library nothing is looked up: which names
     * are its functions is not known */
    md_lint *l = rootfs(t, "4.17");
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 0, "supervise-daemon"));
    md_lint_free(l);
    add_text(t, "/lib/rc/sh/openrc-run.sh", "need() {\n:\n}\nuse() { :; }\ndefault_start()\n{\n:\n}\n", 0644);
    add_text(t, "/lib/rc/sh/functions.sh", "ebegin() { :; }\neend () { :; }\n", 0644);
    l = rootfs(t, "4.17");
    dump(l);
    static const char *const missing[] = { "supervise-daemon", "checkpath", "xl", "libfn",
                                           "not-there", "start-stop-daemon", NULL };
    for (int i = 0; missing[i]; i++) {
        char *m = md_xasprintf("runs %s, which is in none of the directories where OpenRC looks "
                               "(/lib/rc/sbin:/lib/rc/bin:/bin:/sbin:/usr/bin:/usr/sbin", missing[i]);
        CHECK(t_lint_has(l, MD_LINT_ERROR, 0, m));
        free(m);
    }
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 6); /* builtins, functions, guards: none */
    static const line_word at[] = { { 2, "supervise-daemon" }, { 10, "checkpath" },
                                    { 13, "runs xl," }, { 2, "start-stop-daemon" } };
    CHECK(found_at(l, at, 4) == 4);
    md_lint_free(l);
    /* found in each of openrc-run's directories */
    CHECK(clean_with_programs(t, (const char *const[]){ "/sbin/supervise-daemon",
                                                         "/sbin/start-stop-daemon",
                                                         "/lib/rc/bin/checkpath", "/usr/sbin/xl",
                                                         "/lib/rc/sbin/libfn", "/usr/bin/not-there",
                                                         NULL }));
    md_tree_free(t);
}

static void test_rootfs_console(void)
{
    md_tree *t = good_rootfs();
    add_text(t, "/etc/inittab", "::sysinit:/etc/init.d/rcS\nttyS0::respawn:/sbin/getty -L "
                                "115200 ttyS0 vt100\n", 0644);
    md_lint *l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "none on hvc0"));
    CHECK(!strcmp(md_lint_file(l, 0), "rootfs.cpio.gz(/etc/inittab)"));
    CHECK(md_lint_line(l, 0) == 2);
    md_lint_free(l);

    add_text(t, "/etc/securetty", "console\ntty1\nttyS0\n", 0644);
    md_tree_remove(t, "/etc/inittab");
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1, "refuses root"));
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1, "busybox init"));
    md_lint_free(l);

    add_text(t, "/sbin/openrc-init", "", 0755);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "agetty.hvc0"));
    md_lint_free(l);
    add_link(t, "/etc/runlevels/default/agetty.hvc0", "/etc/init.d/agetty.hvc0");
    l = rootfs(t, "4.17");
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 1, "agetty.hvc0"));
    md_lint_free(l);
    md_tree_free(t);

    t = good_rootfs();
    md_tree_remove(t, "/etc/inittab");
    add_text(t, "/lib/systemd/systemd", "", 0755);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_NOTE, 1, "serial-getty@hvc0"));
    CHECK(clean(l));
    md_lint_free(l);
    md_tree_free(t);

    t = good_rootfs();
    md_tree_remove(t, "/etc/inittab");
    md_tree_remove(t, "/sbin/init");
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "No working init found"));
    add_text(t, "/init", "#!/bin/sh\nexec setsid cttyhack sh\n", 0755);
    md_lint_free(l);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_WARNING, 1, "/init never mentions hvc0"));
    md_lint_free(l);
    add_text(t, "/init", "#!/bin/sh\nmount -t devtmpfs d /dev\nexec setsid getty 0 hvc0\n", 0755);
    l = rootfs(t, "4.17");
    CHECK(clean(l));
    dump(l);
    md_lint_free(l);
    md_tree_free(t);
}

static void test_rootfs_devices(void)
{
    md_tree *t = good_rootfs();
    add_text(t, "/etc/init.d/rcS", "#!/bin/sh\nmount -t proc proc /proc\n# mount -t devtmpfs\n",
             0755);
    md_lint *l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 3, "nothing creates /dev/xen/*"));
    md_lint_free(l);

    /* Each of these is enough when something init runs does it; a file
     * that is only there makes nothing (trial10g 2). */
    add_text(t, "/etc/fstab", "devtmpfs /dev devtmpfs mode=0755 0 0\n", 0644);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 3, "an /etc/fstab line needs a 'mount -a' that runs"));
    md_lint_free(l);
    add_text(t, "/etc/init.d/rcS", "#!/bin/sh\nmount -a\n", 0755);
    l = rootfs(t, "4.17");
    CHECK(clean(l));
    md_lint_free(l);
    md_tree_remove(t, "/etc/fstab");

    add_text(t, "/etc/init.d/rcS", "#!/bin/sh\nmdev -s\n", 0755);
    l = rootfs(t, "4.17");
    CHECK(clean(l));
    md_lint_free(l);

    md_tree_remove(t, "/sbin/mdev"); /* mdev named, but not there */
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 3, "nothing creates"));
    md_lint_free(l);

    /* Debian's sysvinit: a helper that a script run at boot sources */
    add_text(t, "/usr/lib/init/mount-functions.sh", "domount mount_noupdate devtmpfs udev /dev\n",
             0644);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 3, "nothing creates"));
    md_lint_free(l);
    add_text(t, "/etc/init.d/rcS", "#!/bin/sh\n. /usr/lib/init/mount-functions.sh\n", 0755);
    l = rootfs(t, "4.17");
    CHECK(clean(l));
    md_lint_free(l);
    md_tree_remove(t, "/usr/lib/init/mount-functions.sh");
    add_text(t, "/etc/init.d/rcS", "#!/bin/sh\nmdev -s\n", 0755);

    add_text(t, "/usr/sbin/xen-dom0-setup", "\x7f" "ELF", 0755);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 3, "/usr/sbin/xen-dom0-setup is in the rootfs, but nothing "
                                          "init runs starts it"));
    md_lint_free(l);
    add_text(t, "/etc/init.d/rcS", "#!/bin/sh\n/usr/sbin/xen-dom0-setup\n", 0755);
    l = rootfs(t, "4.17");
    CHECK(clean(l));
    md_lint_free(l);
    /* Trial10h case 2: only its steps that mount devtmpfs or make nodes
     * count (xen-dom0-setup-main.c run_step); xenstored's "watch", "load",
     * "coldplug", a dry run or a test of its path make none. */
    static const char *const makes[] = {
        "/usr/sbin/xen-dom0-setup early openrc", "/usr/sbin/xen-dom0-setup \"$@\" all dirs coldplug",
        "/usr/sbin/xen-dom0-setup --kver 6.1 devices", "/usr/sbin/xen-dom0-setup mounts 2>/dev/null",
        "/usr/sbin/xen-dom0-setup || exit 1", NULL };
    static const char *const idle[] = {
        "/usr/sbin/xen-dom0-setup --pidfile \"$p\" --ready \"$s\" watch -- /usr/sbin/xenstored",
        "/usr/sbin/xen-dom0-setup load bridge || return 1", "/usr/sbin/xen-dom0-setup coldplug",
        "/usr/sbin/xen-dom0-setup -n all", "[ -x /usr/sbin/xen-dom0-setup ] || exit 0",
        "/usr/sbin/xen-dom0-setup modules xenfs", NULL };
    for (int m = 0; m < 2; m++)
        for (int i = 0; (m ? idle : makes)[i]; i++) {
            const char *line = (m ? idle : makes)[i];
            char *rcs = md_xasprintf("#!/bin/sh\n%s\n", line);
            add_text(t, "/etc/init.d/rcS", rcs, 0755);
            free(rcs);
            l = rootfs(t, "4.17");
            bool none = t_lint_has(l, MD_LINT_ERROR, 3, "nothing creates /dev/xen/*");
            if (none != (m == 1))
                fprintf(stderr, "%s as making nodes: %s\n", m ? "counted" : "not counted", line);
            CHECK(none == (m == 1));
            CHECK(m || !t_lint_has(l, MD_LINT_ERROR, 3, ""));
            md_lint_free(l);
        }
    /* the word devtmpfs is no mount */
    add_text(t, "/etc/init.d/rcS", "#!/bin/sh\ngrep -q devtmpfs /proc/filesystems\n", 0755);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 3, "nothing creates /dev/xen/*"));
    md_lint_free(l);
    add_text(t, "/etc/init.d/rcS", "#!/bin/sh\ngrep -q devtmpfs /proc/filesystems && "
                                   "mount -n -t devtmpfs dev /dev\n", 0755);
    l = rootfs(t, "4.17");
    CHECK(clean(l));
    md_lint_free(l);
    /* mount named by its path, as busybox inittabs write it (fresh-user
     * trial of #10, 2026-12-03, case 2): was "nothing creates" */
    add_text(t, "/etc/init.d/rcS", "#!/bin/sh\n/bin/mount -t devtmpfs devtmpfs /dev\n", 0755);
    l = rootfs(t, "4.17");
    CHECK(clean(l));
    md_lint_free(l);
    add_text(t, "/etc/init.d/rcS", "#!/bin/sh\ntrue\n", 0755);
    size_t itlen;
    char *it = data_file("inittab.busybox-good", &itlen);
    char *it_mount = md_xasprintf("::sysinit:/bin/mount -t devtmpfs devtmpfs /dev\n%s", it);
    add_text(t, "/etc/inittab", it_mount, 0644);
    l = rootfs(t, "4.17");
    CHECK(clean(l));
    md_lint_free(l);
    add_text(t, "/etc/inittab", it, 0644);
    free(it_mount);
    free(it);
    /* a path that only names mounts is no mount command */
    add_text(t, "/etc/init.d/rcS", "#!/bin/sh\ncat /proc/mounts | grep devtmpfs\n", 0755);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 3, "nothing creates /dev/xen/*"));
    md_lint_free(l);
    md_tree_remove(t, "/usr/sbin/xen-dom0-setup");
    add_text(t, "/etc/init.d/rcS", "#!/bin/sh\nmdev -s\n", 0755);

    /* OpenRC's devfs service counts only when a runlevel starts it. */
    add_text(t, "/etc/init.d/devfs", "#!/sbin/openrc-run\nstart() { mount -t devtmpfs "
                                     "devtmpfs /dev; }\n", 0755);
    add_text(t, "/etc/runlevels/boot/.keep", "", 0644);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 3, "nothing init runs starts this script"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 3, "sysinit runlevel"));
    md_lint_free(l);
    add_link(t, "/etc/runlevels/sysinit/devfs", "/etc/init.d/devfs");
    l = rootfs(t, "4.17");
    /* a started script's interpreter must be there too */
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "service devfs runs /sbin/openrc-run, which the rootfs "
                                          "does not have"));
    md_lint_free(l);
    add_text(t, "/sbin/openrc-run", "#!/bin/sh\n", 0755);
    l = rootfs(t, "4.17");
    CHECK(clean(l));
    md_lint_free(l);
    md_tree_free(t);

    /* Static nodes. */
    t = good_rootfs();
    md_err err = MD_ERR_INIT;
    md_attr a600 = { 0600, 0, 0, 0 }, a666 = { 0666, 0, 0, 0 }, a400 = { 0400, 0, 0, 0 }, a640 = { 0640, 0, 0, 0 };
    md_tree_add_device(t, "/dev/xen/evtchn", &a600, MD_NODE_CHAR, 10, 61, "t", &err);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_WARNING, 3, "/proc/misc"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
    md_lint_free(l);
    md_tree_add_device(t, "/dev/xen/privcmd", &a666, MD_NODE_CHAR, 10, 60, "t", &err);
    md_tree_add_device(t, "/dev/xen/gntdev", &a600, MD_NODE_CHAR, 249, 0, "t", &err);
    md_tree_add_device(t, "/dev/xen/gntalloc", &a400, MD_NODE_CHAR, 10, 59, "t", &err);
    md_tree_add_device(t, "/dev/xen/xenbus_backend", &a640, MD_NODE_CHAR, 10, 57, "t", &err);
    md_tree_add_device(t, "/dev/xen/xenbus", &a600, MD_NODE_BLOCK, 10, 58, "t", &err);
    md_tree_add_device(t, "/dev/hvc0", &a600, MD_NODE_CHAR, 4, 64, "t", &err);
    CHECK(!err.set);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 3, "mode 0666"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 3, "device 249:0"));
    CHECK(t_lint_has(l, MD_LINT_WARNING, 3, "mode 0400"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 3, "mode 0640"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 3, "not a character device"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "229:0"));
    md_lint_free(l);
    md_tree_free(t);

    /* trial 9f case 7: a Copy= onto /dev/console made it a regular file
     * and lint said nothing; init then has no console */
    static const char *const console_bad = "not the character device 5:1: the kernel cannot open it";
    t = good_rootfs();
    md_attr a644 = { 0644, 0, 0, 0 };
    CHECK(md_tree_add_device(t, "/dev/console", &a600, MD_NODE_CHAR, 5, 1, "t", &err) == 0);
    l = rootfs(t, "4.17");
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 1, console_bad));
    md_lint_free(l);
    md_tree_remove(t, "/dev/console");
    CHECK(md_tree_add_file(t, "/dev/console", &a644, (unsigned char *)md_xstrdup("x\n"), 2, "t",
                           MD_CLASH_ERROR, &err) == 0);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "a regular file, not the character device 5:1"));
    md_lint_free(l);
    md_tree_remove(t, "/dev/console");
    CHECK(md_tree_add_device(t, "/dev/console", &a600, MD_NODE_CHAR, 4, 1, "t", &err) == 0);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "a character device of another number, not the "
                                          "character device 5:1"));
    md_lint_free(l);
    md_tree_remove(t, "/dev/console");
    CHECK(md_tree_add_device(t, "/dev/console", &a600, MD_NODE_BLOCK, 5, 1, "t", &err) == 0);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, console_bad));
    md_lint_free(l);
    md_tree_free(t);
}

static void test_rootfs_modules(void)
{
    md_tree *t = good_rootfs();
    /* modules.dep names a module that is gone */
    md_tree_remove(t, MODDIR "/kernel/drivers/xen/xen-gntalloc.ko");
    md_lint *l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "names kernel/drivers/xen/xen-gntalloc.ko, which is "
                                           "missing"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "xen-gntalloc is neither a module here nor built in"));
    md_lint_free(l);
    md_tree_free(t);

    /* a dependency is missing (both in modules.dep and by depends=) */
    t = good_rootfs();
    md_tree_remove(t, MODDIR "/kernel/drivers/net/mdio.ko");
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "depends on kernel/drivers/net/mdio.ko, which is "
                                           "missing"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "needs mdio (depends=), which is missing"));
    md_lint_free(l);
    md_tree_free(t);

    /* a module file the index does not know */
    t = good_rootfs();
    add_ko(t, "kernel/drivers/nvme/host/nvme.ko", "", KVER);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "does not list kernel/drivers/nvme/host/nvme.ko"));
    md_lint_free(l);
    md_tree_free(t);

    /* depends= names a module that is neither present nor built in */
    t = good_rootfs();
    add_ko(t, "kernel/drivers/net/ethernet/intel/ice/ice.ko", "gnss", KVER);
    size_t len;
    const md_node *n = md_tree_lookup(t, MODDIR "/modules.dep");
    const unsigned char *d = md_node_data(n, &len);
    char *nd = md_xasprintf("%.*skernel/drivers/net/ethernet/intel/ice/ice.ko:\n", (int)len, d);
    add_text(t, MODDIR "/modules.dep", nd, 0644);
    free(nd);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "needs gnss (depends=)"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "add gnss"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 1);
    md_lint_free(l);
    /* ... and is fine once modules.builtin says gnss is built in */
    add_text(t, MODDIR "/modules.builtin", "kernel/drivers/dca/dca.ko\nkernel/drivers/gnss/gnss.ko\n",
             0644);
    l = rootfs(t, "4.17");
    CHECK(clean(l));
    md_lint_free(l);
    md_tree_free(t);

    /* stale index: the module needs mdio but modules.dep forgot it */
    t = good_rootfs();
    n = md_tree_lookup(t, MODDIR "/modules.dep");
    d = md_node_data(n, &len);
    char *txt = md_xasprintf("%.*s", (int)len, d);
    char *at = strstr(txt, "ixgbe.ko: kernel/drivers/net/phy/libphy.ko kernel/drivers/net/mdio.ko");
    CHECK(at != NULL);
    if (at)
        strcpy(at, "ixgbe.ko: kernel/drivers/net/phy/libphy.ko\n");
    add_text(t, MODDIR "/modules.dep", txt, 0644);
    free(txt);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "needs mdio (depends=), but modules.dep does not say"));
    md_lint_free(l);
    md_tree_free(t);

    /* a stale binary index: modules.dep is right, modules.dep.bin predates ixgbe */
    t = good_rootfs();
    md_kmodidx *x = md_kmodidx_new();
    md_err xe = MD_ERR_INIT;
    static const char *const in_bin[][2] = {
        { "xen_evtchn", "kernel/drivers/xen/xen-evtchn.ko:" },
        { "xen_gntdev", "kernel/drivers/xen/xen-gntdev.ko:" },
        { "xen_gntalloc", "kernel/drivers/xen/xen-gntalloc.ko:" },
        { "xen_privcmd", "kernel/drivers/xen/xen-privcmd.ko:" },
        { "xenfs", "kernel/drivers/xen/xenfs/xenfs.ko:" },
        { "mdio", "kernel/drivers/net/mdio.ko:" },
        { "libphy", "kernel/drivers/net/phy/libphy.ko: kernel/drivers/net/mdio.ko" },
    };
    for (size_t i = 0; i < sizeof in_bin / sizeof *in_bin; i++)
        md_kmodidx_add(x, in_bin[i][0], in_bin[i][1], 0, &xe);
    size_t blen;
    unsigned char *bin = md_kmodidx_write(x, &blen);
    md_attr a644 = { 0644, 0, 0, 0 };
    md_tree_add_file(t, MODDIR "/modules.dep.bin", &a644, bin, blen, "t", MD_CLASH_REPLACE, &xe);
    CHECK(!xe.set);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "does not know kernel/drivers/net/ethernet/intel/ixgbe/"
                                           "ixgbe.ko: it is stale"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 1);
    md_lint_free(l);
    /* ... and with ixgbe in it, clean */
    md_kmodidx_add(x, "ixgbe", "kernel/drivers/net/ethernet/intel/ixgbe/ixgbe.ko: "
                               "kernel/drivers/net/phy/libphy.ko kernel/drivers/net/mdio.ko", 0, &xe);
    bin = md_kmodidx_write(x, &blen);
    md_tree_add_file(t, MODDIR "/modules.dep.bin", &a644, bin, blen, "t", MD_CLASH_REPLACE, &xe);
    l = rootfs(t, "4.17");
    CHECK(clean(l));
    dump(l);
    md_lint_free(l);
    md_kmodidx_free(x);
    md_tree_free(t);

    /* no index at all */
    t = good_rootfs();
    md_tree_remove(t, MODDIR "/modules.dep");
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "no modules.dep"));
    md_lint_free(l);
    md_tree_free(t);

    /* modules.dep alone: enough for busybox's modprobe, nothing for kmod's */
    t = good_rootfs();
    l = rootfs(t, "4.17");
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 5, "modules.dep.bin"));
    md_lint_free(l);
    md_tree_add_file(t, "/bin/kmod", &a644, NULL, 0, "t", MD_CLASH_ERROR, &xe);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "missing: kmod's modprobe (/bin/kmod) reads only"));
    md_lint_free(l);
    md_tree_free(t);

    /* a module of another kernel */
    t = good_rootfs();
    add_ko(t, "kernel/drivers/net/mdio.ko", "", "6.1.0-17-amd64");
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "built for kernel '6.1.0-17-amd64'"));
    md_lint_free(l);
    md_tree_free(t);

    /* a corrupt module */
    t = good_rootfs();
    add_text(t, MODDIR "/kernel/drivers/net/mdio.ko", "garbage", 0644);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "unreadable module"));
    md_lint_free(l);
    md_tree_free(t);

    /* built-in Xen drivers are fine */
    t = good_rootfs();
    md_tree_remove(t, MODDIR "/kernel/drivers/xen/xenfs");
    add_text(t, MODDIR "/modules.builtin", "kernel/drivers/dca/dca.ko\n"
                                           "kernel/drivers/xen/xenfs/xenfs.ko\n", 0644);
    n = md_tree_lookup(t, MODDIR "/modules.dep");
    d = md_node_data(n, &len);
    txt = md_xasprintf("%.*s", (int)len, d);
    at = strstr(txt, "kernel/drivers/xen/xenfs/xenfs.ko:\n");
    CHECK(at != NULL);
    if (at)
        memmove(at, at + strlen("kernel/drivers/xen/xenfs/xenfs.ko:\n"),
                strlen(at + strlen("kernel/drivers/xen/xenfs/xenfs.ko:\n")) + 1);
    add_text(t, MODDIR "/modules.dep", txt, 0644);
    free(txt);
    l = rootfs(t, "4.17");
    CHECK(clean(l));
    dump(l);
    md_lint_free(l);
    md_tree_free(t);

    /* many problems: capped, with a summary */
    t = good_rootfs();
    for (int i = 0; i < 15; i++) {
        char *rel = md_xasprintf("kernel/extra/m%d.ko", i);
        add_ko(t, rel, "", KVER);
        free(rel);
    }
    l = rootfs(t, "4.17");
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 11);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "and 5 more module files missing from modules.dep"));
    md_lint_free(l);
    md_tree_free(t);

    /* no modules at all */
    t = tiny_rootfs(false, true);
    l = rootfs(t, NULL);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 5, "built into the kernel"));
    md_lint_free(l);
    md_tree_free(t);
}

static void test_rootfs_usrmerge(void)
{
    /* /lib -> usr/lib: one module directory, not two. */
    md_tree *g = good_rootfs(), *t = md_tree_new(false);
    md_err err = MD_ERR_INIT;
    add_link(t, "/lib", "usr/lib");
    for (md_node *n = md_tree_first(g); n; n = md_tree_next(g, n)) {
        const char *p = md_node_path(n);
        char *np = !strncmp(p, "/lib/", 5) ? md_xasprintf("/usr%s", p) : md_xstrdup(p);
        if (!strcmp(p, "/lib")) {
            free(np);
            continue;
        }
        switch (md_node_type_of(n)) {
        case MD_NODE_DIR:
            md_tree_add_dir(t, np, md_node_attr(n), "t", &err);
            break;
        case MD_NODE_SYMLINK:
            md_tree_add_symlink(t, np, md_node_attr(n), md_node_link_target(n), "t",
                                MD_CLASH_ERROR, &err);
            break;
        case MD_NODE_FILE: {
            size_t sz;
            const unsigned char *d = md_node_data(n, &sz);
            unsigned char *c = md_xmalloc(sz + 1);
            memcpy(c, d, sz);
            md_tree_add_file(t, np, md_node_attr(n), c, sz, "t", MD_CLASH_ERROR, &err);
            break;
        }
        default:
            break;
        }
        free(np);
    }
    CHECK(!err.set);
    md_lint *l = rootfs(t, "4.17");
    CHECK(clean(l));
    dump(l);
    md_lint_free(l);
    md_tree_free(t);
    md_tree_free(g);
}

static void test_rootfs_toolstack(void)
{
    md_tree *t = good_rootfs();
    md_lint *l = rootfs(t, "4.20");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "the toolstack is Xen 4.17 but the hypervisor xen.gz "
                                           "is Xen 4.20"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "xen-utils-4.20"));
    md_lint_free(l);
    md_err err = MD_ERR_INIT;
    /* A directory named after another release is no toolstack of it: only
     * binaries carry releases. */
    md_tree_add_dir(t, "/usr/lib/xen-4.20", &(md_attr){ 0755, 0, 0, 0 }, "t", &err);
    l = rootfs(t, "4.17");
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 2, ""));
    CHECK(!t_lint_has(l, MD_LINT_WARNING, 2, ""));
    md_lint_free(l);
    md_tree_remove(t, "/usr/lib/xen-4.20");
    /* trixie's xen-utils-4.20 ships a python egg named after Xen 3.0: no release */
    md_tree_add_dir(t, "/usr/lib/xen-4.17", &(md_attr){ 0755, 0, 0, 0 }, "t", &err);
    md_tree_add_dir(t, "/usr/lib/xen-4.17/lib/python/xen-3.0.egg-info", &(md_attr){ 0755, 0, 0, 0 },
                    "t", &err);
    l = rootfs(t, "4.17");
    CHECK(!err.set);
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 2, ""));
    md_lint_free(l);
    md_tree_free(t);
    t = tiny_rootfs(true, true);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_NOTE, 2, "no libxenctrl"));
    md_lint_free(l);
    md_tree_free(t);
}

/* Trial10h case 1: trap 2 reads the release the programs load (their
 * DT_NEEDED, through the Xen libraries), not whichever libxenctrl files lie
 * in the rootfs; a program whose libxenctrl is missing cannot start. */
static void add_elf(md_tree *t, const char *path, const char *soname, const char *const *needed)
{
    size_t n;
    unsigned char *d = t_fake_elf(soname, needed, &n);
    md_err err = MD_ERR_INIT;
    md_tree_add_file(t, path, &(md_attr){ 0755, 0, 0, 0 }, d, n, "t", MD_CLASH_REPLACE, &err);
    CHECK(!err.set);
}

#define NEEDS(...) ((const char *const[]){ __VA_ARGS__, NULL })
#define LIBDIR "/usr/lib/x86_64-linux-gnu/"

static void test_rootfs_toolstack_programs(void)
{
    /* good_rootfs carries libxenctrl 4.17; the programs are 4.20's */
    md_tree *t = good_rootfs();
    add_elf(t, LIBDIR "libxenctrl.so.4.20", "libxenctrl.so.4.20", NULL);
    add_elf(t, "/usr/sbin/xenstored", NULL, NEEDS("libxenctrl.so.4.20", "libc.so.6"));
    add_elf(t, LIBDIR "libxenlight.so.4.20", "libxenlight.so.4.20", NEEDS("libxenctrl.so.4.20"));
    add_elf(t, "/usr/sbin/xl", NULL, NEEDS("libxenlight.so.4.20"));
    md_lint *l = rootfs(t, "4.20");
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 2, ""));
    md_lint_free(l);
    l = rootfs(t, "4.17");
    /* xenstored and xl, not the files: one finding for both, on xl
     * (grub10 3) */
    CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "loads " LIBDIR "libxenctrl.so.4.20 (libxenctrl of Xen "
                                           "4.20, by its DT_SONAME libxenctrl.so.4.20), as does "
                                           "one other program (/usr/sbin/xenstored), but the "
                                           "hypervisor xen.gz is Xen 4.17"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 1);
    for (size_t i = 0; i < md_lint_count(l); i++) /* on the first program */
        if (md_lint_severity(l, i) == MD_LINT_ERROR)
            CHECK_STR(md_lint_file(l, i), "rootfs.cpio.gz(/usr/sbin/xl)");
    md_lint_free(l);
    /* many programs of one release: one error naming how many and a few,
     * the Xen userland's first */
    for (int i = 0; i < 8; i++) {
        char path[64];
        snprintf(path, sizeof path, "/usr/lib/xen-4.20/bin/xen-tool%d", i);
        add_elf(t, path, NULL, NEEDS("libxenctrl.so.4.20"));
    }
    l = rootfs(t, "4.17");
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 1);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "libxenctrl.so.4.20), as do 9 other programs "
                                           "(/usr/sbin/xenstored, /usr/lib/xen-4.20/bin/xen-tool0, "
                                           "/usr/lib/xen-4.20/bin/xen-tool1 and 6 more), but the "
                                           "hypervisor xen.gz is Xen 4.17"));
    for (size_t i = 0; i < md_lint_count(l); i++)
        if (md_lint_severity(l, i) == MD_LINT_ERROR)
            CHECK_STR(md_lint_file(l, i), "rootfs.cpio.gz(/usr/sbin/xl)");
    md_lint_free(l);
    for (int i = 0; i < 8; i++) {
        char path[64];
        snprintf(path, sizeof path, "/usr/lib/xen-4.20/bin/xen-tool%d", i);
        md_tree_remove(t, path);
    }
    /* xenstored of 4.17 with its library beside: an error under 4.20 */
    add_elf(t, "/usr/sbin/xenstored", NULL, NEEDS("libxenctrl.so.4.17"));
    l = rootfs(t, "4.20");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "loads " LIBDIR "libxenctrl.so.4.17 (libxenctrl of Xen "
                                           "4.17"));
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 1);
    md_lint_free(l);
    /* no hypervisor known: two releases among the programs is still an error */
    l = rootfs(t, NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "one image must carry the toolstack of one release"));
    md_lint_free(l);
    /* without its library the loader does not start it */
    add_elf(t, "/usr/sbin/xenstored", NULL, NEEDS("libxenctrl.so.4.19"));
    l = rootfs(t, "4.20");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "needs libxenctrl.so.4.19, which is not in the rootfs: "
                                           "the dynamic loader does not start it"));
    md_lint_free(l);
    /* the same through libxenlight: named with the library that needs it */
    add_elf(t, "/usr/sbin/xenstored", NULL, NEEDS("libxenctrl.so.4.20"));
    add_elf(t, LIBDIR "libxenlight.so.4.20", "libxenlight.so.4.20", NEEDS("libxenctrl.so.4.19"));
    l = rootfs(t, "4.20");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "needs libxenctrl.so.4.19 (named by " LIBDIR
                                           "libxenlight.so.4.20), which is not in the rootfs"));
    md_lint_free(l);
    md_tree_free(t);

    /* Debian's wrapper: /usr/lib/xen-4.20/bin runs only under Xen 4.20, so a
     * 4.17 program there is an error (not "the 4.17 toolstack is not used") */
    t = good_rootfs();
    add_text(t, "/usr/lib/xen-common/bin/xen-utils-wrapper", "#!/bin/sh\n", 0755);
    add_elf(t, LIBDIR "libxenctrl.so.4.20", "libxenctrl.so.4.20", NULL);
    add_elf(t, "/usr/lib/xen-4.20/bin/xenstored", NULL, NEEDS("libxenctrl.so.4.17"));
    add_elf(t, "/usr/lib/xen-4.20/bin/xenconsoled", NULL, NEEDS("libxenctrl.so.4.20"));
    for (int with_hv = 0; with_hv < 2; with_hv++) {
        l = rootfs(t, with_hv ? "4.20" : NULL);
        CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "but Debian's xen-utils-wrapper runs "
                                               "/usr/lib/xen-4.20/bin only under a Xen 4.20"));
        CHECK(!t_lint_has(l, MD_LINT_NOTE, 2, "not used"));
        CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 1);
        md_lint_free(l);
    }
    /* 4.17's directory beside, of its own release: not used under 4.20 */
    add_elf(t, "/usr/lib/xen-4.20/bin/xenstored", NULL, NEEDS("libxenctrl.so.4.20"));
    add_elf(t, "/usr/lib/xen-4.17/bin/xenstored", NULL, NEEDS("libxenctrl.so.4.17"));
    l = rootfs(t, "4.20");
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 2, ""));
    CHECK(t_lint_has(l, MD_LINT_NOTE, 2, "the toolstack in /usr/lib/xen-4.17/bin is not used"));
    md_lint_free(l);
    md_tree_free(t);

    /* no program loads a libxenctrl: the files decide, and the release
     * the wrapper leaves unused gets the same note, on its file */
    t = good_rootfs();
    add_text(t, "/usr/lib/xen-common/bin/xen-utils-wrapper", "#!/bin/sh\n", 0755);
    add_elf(t, LIBDIR "libxenctrl.so.4.20", "libxenctrl.so.4.20", NULL);
    add_text(t, "/usr/lib/xen-4.20/bin/xen-init-name", "#!/bin/sh\n", 0755);
    add_text(t, "/usr/lib/xen-4.17/bin/xen-init-name", "#!/bin/sh\n", 0755);
    l = rootfs(t, "4.20");
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 2, ""));
    CHECK(t_lint_has(l, MD_LINT_NOTE, 2, "the toolstack in /usr/lib/xen-4.17/bin is not used "
                                         "under the hypervisor given"));
    CHECK(md_lint_count_sev(l, MD_LINT_NOTE) == 1);
    md_lint_free(l);
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_NOTE, 2, "the toolstack in /usr/lib/xen-4.20/bin is not used"));
    md_lint_free(l);
    /* without the wrapper, the stray file is an error */
    md_tree_remove(t, "/usr/lib/xen-common/bin/xen-utils-wrapper");
    l = rootfs(t, "4.17");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "toolstack of Xen 4.20 here and of Xen 4.17 in "));
    md_lint_free(l);
    md_tree_free(t);
}

/* ---- loader and input recognition ---- */

static char tmpdir[] = "/tmp/test_lint.XXXXXX";

static char *tmp(const char *name) { return md_xasprintf("%s/%s", tmpdir, name); }

static void write_file(const char *path, const void *d, size_t n)
{
    md_err err = MD_ERR_INIT;
    CHECK(md_write_atomic(path, d, n, 0644, &err) == 0);
}

/* A newc archive of `t`'s files, symlinks, dirs and devices; gzip or none. */
static unsigned char *to_cpio(const md_tree *t, bool gz, size_t *len)
{
    struct archive *a = archive_write_new();
    archive_write_set_format_cpio_newc(a);
    if (gz)
        archive_write_add_filter_gzip(a);
    size_t cap = 1 << 22;
    unsigned char *buf = md_xmalloc(cap);
    archive_write_open_memory(a, buf, cap, len);
    la_int64_t ino = 0;
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        struct archive_entry *e = archive_entry_new();
        archive_entry_set_pathname(e, md_node_path(n) + 1);
        archive_entry_set_perm(e, md_node_attr(n)->mode);
        archive_entry_set_ino(e, ++ino);
        archive_entry_set_size(e, 0);
        size_t sz = 0;
        const unsigned char *d = NULL;
        unsigned maj, min;
        switch (md_node_type_of(n)) {
        case MD_NODE_DIR: archive_entry_set_filetype(e, AE_IFDIR); break;
        case MD_NODE_SYMLINK:
            archive_entry_set_filetype(e, AE_IFLNK);
            archive_entry_set_symlink(e, md_node_link_target(n));
            break;
        case MD_NODE_CHAR:
        case MD_NODE_BLOCK:
            archive_entry_set_filetype(e, md_node_type_of(n) == MD_NODE_CHAR ? AE_IFCHR : AE_IFBLK);
            md_node_rdev(n, &maj, &min);
            archive_entry_set_rdevmajor(e, maj);
            archive_entry_set_rdevminor(e, min);
            break;
        default:
            archive_entry_set_filetype(e, AE_IFREG);
            d = md_node_data(n, &sz);
            archive_entry_set_size(e, (la_int64_t)sz);
        }
        if (strcmp(md_node_path(n), "/"))
            CHECK(archive_write_header(a, e) == ARCHIVE_OK);
        if (sz)
            archive_write_data(a, d, sz);
        archive_entry_free(e);
    }
    archive_write_close(a);
    archive_write_free(a);
    return buf;
}

/* One newc entry, as GNU cpio writes it (a link group's data with its last
 * member). */
static void newc(md_strv *out_unused, unsigned char **buf, size_t *len, unsigned ino,
                 unsigned mode, unsigned nlink, const char *name, const char *data)
{
    (void)out_unused;
    size_t dl = data ? strlen(data) : 0, nl = strlen(name) + 1;
    char hdr[111];
    snprintf(hdr, sizeof hdr, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
             ino, mode, 0u, 0u, nlink, 0u, (unsigned)dl, 0u, 0u, 0u, 0u, (unsigned)nl, 0u);
    size_t need = *len + 110 + nl + 4 + dl + 4;
    *buf = md_xrealloc(*buf, need);
    memcpy(*buf + *len, hdr, 110);
    *len += 110;
    memcpy(*buf + *len, name, nl);
    *len += nl;
    while (*len % 4)
        (*buf)[(*len)++] = 0;
    if (dl)
        memcpy(*buf + *len, data, dl);
    *len += dl;
    while (*len % 4)
        (*buf)[(*len)++] = 0;
}

static void test_loader_hardlinks(void)
{
    unsigned char *b = NULL;
    size_t n = 0;
    newc(NULL, &b, &n, 1, 040755, 2, "bin", NULL);
    newc(NULL, &b, &n, 2, 0100755, 3, "bin/init", NULL);
    newc(NULL, &b, &n, 2, 0100755, 3, "bin/getty", NULL);
    newc(NULL, &b, &n, 2, 0100755, 3, "bin/busybox", "busybox-binary");
    newc(NULL, &b, &n, 4, 040755, 2, "etc", NULL); /* before what it holds, as the kernel needs */
    newc(NULL, &b, &n, 3, 0100644, 1, "etc/inittab", "hvc0::respawn:/bin/getty hvc0\n");
    newc(NULL, &b, &n, 0, 0, 1, "TRAILER!!!", NULL);
    char *p = tmp("links.cpio");
    write_file(p, b, n);
    md_err err = MD_ERR_INIT;
    md_tree *t = md_unpack_rootfs(p, NULL, NULL, NULL, NULL, &err);
    CHECK(t != NULL);
    if (!t)
        fprintf(stderr, "%s\n", err.msg);
    static const char *const names[] = { "/bin/init", "/bin/getty", "/bin/busybox" };
    for (int i = 0; t && i < 3; i++) {
        const md_node *x = md_tree_lookup(t, names[i]);
        size_t sz = 0;
        const unsigned char *d = x ? md_node_data(x, &sz) : NULL;
        CHECK(d && sz == 14 && !memcmp(d, "busybox-binary", 14));
    }
    CHECK(t && md_tree_lookup(t, "/etc/inittab"));
    md_tree_free(t);
    free(p);
    free(b);
}

static void test_loader(void)
{
    md_tree *g = good_rootfs();
    md_err err = MD_ERR_INIT;
    md_tree_add_device(g, "/dev/console", &(md_attr){ 0600, 0, 0, 0 }, MD_NODE_CHAR, 5, 1, "t",
                       &err);
    size_t len;
    unsigned char *cpio = to_cpio(g, true, &len);
    char *p = tmp("rootfs.cpio.gz");
    write_file(p, cpio, len);
    md_tree *t = md_unpack_rootfs(p, NULL, NULL, NULL, NULL, &err);
    CHECK(t != NULL);
    if (t) {
        CHECK(md_tree_count(t) == md_tree_count(g));
        const md_node *c = md_tree_lookup(t, "/dev/console");
        unsigned maj = 0, min = 0;
        if (c)
            md_node_rdev(c, &maj, &min);
        CHECK(c && md_node_type_of(c) == MD_NODE_CHAR && maj == 5 && min == 1);
        const md_node *s = md_tree_lookup(t, "/sbin/getty");
        CHECK(s && !strcmp(md_node_link_target(s), "../bin/busybox"));
        md_lint *l = rootfs(t, "4.17");
        CHECK(clean(l));
        md_lint_free(l);
        md_tree_free(t);
    }

    /* truncated: an error naming the file, no tree */
    char *tp = tmp("truncated.cpio.gz");
    write_file(tp, cpio, len / 2);
    md_err_clear(&err);
    t = md_unpack_rootfs(tp, NULL, NULL, NULL, NULL, &err);
    CHECK(t == NULL);
    CHECK_ERR(&err, "truncated.cpio.gz");
    md_tree_free(t);

    /* early uncompressed cpio + compressed main archive, as initramfs-tools */
    md_tree *early = md_tree_new(false);
    add_text(early, "/kernel/x86/microcode/GenuineIntel.bin", "ucode", 0644);
    size_t elen;
    unsigned char *ecpio = to_cpio(early, false, &elen);
    unsigned char *both = md_xmalloc(elen + 512 + len);
    memcpy(both, ecpio, elen);
    memset(both + elen, 0, 512);
    memcpy(both + elen + 512, cpio, len);
    char *bp = tmp("initrd.img");
    write_file(bp, both, elen + 512 + len);
    md_err_clear(&err);
    t = md_unpack_rootfs(bp, NULL, NULL, NULL, NULL, &err);
    CHECK(t != NULL);
    if (t) {
        CHECK(md_tree_lookup(t, "/kernel/x86/microcode/GenuineIntel.bin") != NULL);
        CHECK(md_tree_lookup(t, "/etc/inittab") != NULL);
        md_tree_free(t);
    }

    /* a directory */
    char *dp = tmp("dir");
    md_err_clear(&err);
    CHECK(md_mkdir_p(dp, 0755, &err) == 0);
    char *ep = tmp("dir/etc");
    md_mkdir_p(ep, 0755, &err);
    char *ip = tmp("dir/etc/inittab");
    write_file(ip, "hvc0::respawn:/sbin/getty hvc0\n", 31);
    char *lp = tmp("dir/init");
    CHECK(symlink("sbin/init", lp) == 0);
    t = md_unpack_rootfs(dp, NULL, NULL, NULL, NULL, &err);
    CHECK(t != NULL);
    if (t) {
        CHECK(md_tree_lookup(t, "/etc/inittab") != NULL);
        CHECK(md_tree_lookup(t, "/init") && md_node_type_of(md_tree_lookup(t, "/init")) ==
                                                MD_NODE_SYMLINK);
        md_tree_free(t);
    }
    free(dp);
    free(ep);
    free(ip);
    free(lp);
    free(ecpio);
    free(both);
    free(bp);
    free(tp);
    free(p);
    free(cpio);
    md_tree_free(early);
    md_tree_free(g);
}

/* What xenver recognizes as a hypervisor of release `ver`: an ELF with
 * Xen's banner and its gzip'd Kconfig, all gzip'd (xen.gz). */
static void write_fake_xen(const char *path, const char *ver)
{
    char *cfg = md_xasprintf("#\n# Automatically generated file; DO NOT EDIT.\n"
                             "# Xen/x86 %s Configuration\n#\nCONFIG_X86_64=y\n", ver);
    size_t cl;
    unsigned char *cz = t_gzip(cfg, strlen(cfg), &cl);
    static const char head[] = "\x7f" "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0Xen version %d.%d%s";
    size_t il = sizeof head + 64 + cl;
    unsigned char *img = md_xcalloc(1, il);
    memcpy(img, head, sizeof head);
    memcpy(img + sizeof head + 64, cz, cl);
    size_t gl;
    unsigned char *g = t_gzip(img, il, &gl);
    write_file(path, g, gl);
    free(g);
    free(img);
    free(cz);
    free(cfg);
}

static int inputs1(const char *path, md_lint_kind kind, md_lint **out, md_err *err)
{
    *out = md_lint_new();
    const char *paths[] = { path };
    md_lint_kind kinds[] = { kind };
    return md_lint_inputs(*out, paths, kinds, 1, err);
}

/* What `mkdom0 lint` exits 3 on (issue 10: exit 0 only when every trap was
 * checked): inputs with a trap not checked are counted, once each, in
 * md_lint_count_not_checked and in --json's summary; a note aside (boot
 * media, an EFI loader that boots nothing) is said the same way but not
 * counted. */
static void test_not_checked_counts(void)
{
    md_lint *l = md_lint_new();
    CHECK(md_lint_count_not_checked(l) == 0);
    md_lint_input(l, "grub.cfg", "GRUB 2 config");
    md_lint_not_checked(l, "grub.cfg", "traps 2, 3 and 5");
    md_lint_not_checked(l, "grub.cfg", "rdinit=");
    md_lint_not_checked_aside(l, "out/boot.iso", "its grub.cfg is not read");
    CHECK(md_lint_count_not_checked(l) == 1);
    md_lint_input(l, "xen.efi", "hypervisor image");
    md_lint_not_checked_aside(l, "xen.efi", "what it boots");
    md_lint_not_checked(l, "rootfs.cpio.gz", "trap 4");   /* not yet an input: added */
    CHECK(md_lint_count_not_checked(l) == 2);
    CHECK(md_lint_count_unchecked(l) == 0);
    char *j = md_lint_json(l);
    CHECK(strstr(j, "{\"file\": \"grub.cfg\", \"format\": \"GRUB 2 config\", \"error\": null, "
                    "\"not_checked\": \"traps 2, 3 and 5; rdinit=\"}") != NULL);
    CHECK(strstr(j, "\"not_checked\": \"its grub.cfg is not read\"}") != NULL);
    CHECK(strstr(j, "\"unchecked\": 0,\n  \"not_checked\": 2\n}\n") != NULL);
    free(j);
    md_lint_free(l);
}

static void test_inputs(void)
{
    md_lint *l;
    md_err err = MD_ERR_INIT;
    char *p = tmp("garbage.bin");
    unsigned char junk[512];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)(i * 7 + 3);
    write_file(p, junk, sizeof junk);
    CHECK(inputs1(p, MD_LINT_AUTO, &l, &err) < 0);
    CHECK_ERR(&err, "garbage.bin");
    /* the hint is one that works: --boot refuses NUL bytes too (trial10
     * case 12: "use --boot" led there) */
    CHECK_ERR(&err, "binary data (a NUL byte on line 2, byte 220) that is neither a cpio/tar "
                    "rootfs, a Xen hypervisor image (xen.gz, xen.efi) nor a text config: lint "
                    "reads no config with NUL bytes; if it is one, remove them (tr -d '\\000') "
                    "and lint it again; if it is a rootfs or a hypervisor, --rootfs or --xen "
                    "says why it cannot be read");
    CHECK(!strstr(err.msg, "use --boot"));
    md_lint_free(l);
    md_err_clear(&err);
    CHECK(inputs1(p, MD_LINT_GRUB, &l, &err) < 0);
    CHECK_ERR(&err, "garbage.bin: binary data (a NUL byte on line 2, byte 220), not a boot "
                    "config: lint reads no config with NUL bytes; if it is one, remove them");
    md_lint_free(l);
    md_err_clear(&err);
    CHECK(inputs1(p, MD_LINT_ROOTFS, &l, &err) < 0);
    CHECK_ERR(&err, "garbage.bin");
    md_lint_free(l);
    free(p);

    p = tmp("empty");
    write_file(p, "", 0);
    md_err_clear(&err);
    CHECK(inputs1(p, MD_LINT_AUTO, &l, &err) < 0);
    CHECK_ERR(&err, "empty: empty file");
    md_lint_free(l);
    free(p);

    p = tmp("notes.txt");
    write_file(p, "hello world\nnothing to see\n", 27);
    md_err_clear(&err);
    CHECK(inputs1(p, MD_LINT_AUTO, &l, &err) < 0);
    CHECK_ERR(&err, "cannot tell what this is");
    md_lint_free(l);
    free(p);

    md_err_clear(&err);
    CHECK(inputs1("/nonexistent/grub.cfg", MD_LINT_AUTO, &l, &err) < 0);
    CHECK_ERR(&err, "/nonexistent/grub.cfg: cannot open");
    md_lint_free(l);
    /* --xen on a device: what it is, not a stray errno (trial 9h case 10) */
    md_err_clear(&err);
    CHECK(inputs1("/dev/zero", MD_LINT_XEN, &l, &err) < 0);
    CHECK_ERR(&err, "/dev/zero: not a regular file (a device or socket)");
    md_lint_free(l);

    /* recognized by content, whatever the name */
    p = tmp("boot.conf");
    size_t len;
    char *txt = data_file("alpine.cfg", &len);
    write_file(p, txt, len);
    free(txt);
    md_err_clear(&err);
    CHECK(inputs1(p, MD_LINT_AUTO, &l, &err) == 0);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 4, "has no max:"));
    md_lint_free(l);
    free(p);
    p = tmp("it");
    txt = data_file("inittab.serial-only", &len);
    write_file(p, txt, len);
    free(txt);
    CHECK(inputs1(p, MD_LINT_AUTO, &l, &err) == 0);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 1, "none on hvc0"));
    md_lint_free(l);
    free(p);

    /* a lone config: the files it loads that are next to it but no
     * regular file are errors, as in an output directory (trial 9h case 4) */
    {
        /* three levels down: near_find looks up to two directories up */
        char *ld = tmp("lone/boot/grub");
        md_mkdir_p(ld, 0755, &err);
        char *lg = tmp("lone/boot/grub/grub.cfg");
        const char *lc = "menuentry 'x' {\n" XEN_OK "module2 /vmlinuz console=ttyS0,115200 "
                         "console=hvc0\n" ROOTFS_OK "}\n";
        write_file(lg, lc, strlen(lc));
        char *lr = tmp("lone/boot/grub/rootfs.cpio.gz"), *lx = tmp("lone/boot/grub/xen.gz");
        CHECK(symlink("/dev/zero", lr) == 0 && symlink("/nonexistent", lx) == 0);
        md_err_clear(&err);
        CHECK(inputs1(lg, MD_LINT_AUTO, &l, &err) == 0);
        CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "rootfs.cpio.gz is a symlink to /dev/zero, a character device, not a regular file"));
        CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "xen.gz is a symlink to /nonexistent, which does not resolve"));
        md_lint_free(l);
        /* nothing there: it may be elsewhere, no error */
        CHECK(unlink(lr) == 0 && unlink(lx) == 0);
        CHECK(inputs1(lg, MD_LINT_AUTO, &l, &err) == 0);
        CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
        md_lint_free(l);
        free(lr);
        free(lx);
        free(lg);
        free(ld);
    }

    /* an output directory: grub.cfg checked against its rootfs (no /init,
     * no rdinit=), the rootfs against xen-4.20.gz */
    char *od = tmp("out");
    md_mkdir_p(od, 0755, &err);
    char *gp = tmp("out/grub.cfg");
    const char *cfg = "menuentry 'x' {\n" XEN_OK
                      "module2 /vmlinuz console=ttyS0,115200 console=hvc0\n" ROOTFS_OK "}\n";
    write_file(gp, cfg, strlen(cfg));
    md_tree *g = good_rootfs();
    unsigned char *cpio = to_cpio(g, true, &len);
    char *rp = tmp("out/rootfs.cpio.gz");
    write_file(rp, cpio, len);
    char *xp = tmp("out/xen.gz");
    write_fake_xen(xp, "4.20.1");
    char *kp = tmp("out/vmlinuz");
    unsigned char kimg[0x800];
    fake_bzimage(kimg, sizeof kimg, KVER); /* the kernel of the rootfs's modules */
    write_file(kp, kimg, sizeof kimg);
    free(kp);
    md_err_clear(&err);
    CHECK(inputs1(od, MD_LINT_AUTO, &l, &err) == 0);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "no /init"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "is Xen 4.20"));
    dump(l);
    md_lint_free(l);
    /* a hypervisor of the toolstack's release: no trap 2 */
    write_fake_xen(xp, "4.17.7");
    CHECK(inputs1(od, MD_LINT_AUTO, &l, &err) == 0);
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 1);
    CHECK(!t_lint_has(l, MD_LINT_ERROR, 2, ""));
    md_lint_free(l);
    /* something named xen*.gz that is no Xen: the input is unreadable */
    write_file(xp, "x", 1);
    CHECK(inputs1(od, MD_LINT_AUTO, &l, &err) < 0);
    CHECK_ERR(&err, "xen.gz: not a Xen hypervisor image");
    md_lint_free(l);
    md_err_clear(&err);
    /* the config alone is paired with the files it loads as the directory
     * is (trial10f case 11): the same unreadable hypervisor is an error,
     * and its rootfs is still checked */
    CHECK(inputs1(gp, MD_LINT_AUTO, &l, &err) < 0);
    CHECK_ERR(&err, "xen.gz: not a Xen hypervisor image");
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "no /init"));
    md_lint_free(l);
    md_err_clear(&err);
    /* and with a hypervisor of another release, the config alone gets the
     * trap 2 error the directory gets */
    write_fake_xen(xp, "4.20.1");
    CHECK(inputs1(gp, MD_LINT_AUTO, &l, &err) == 0);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "no /init"));
    CHECK(t_lint_has(l, MD_LINT_ERROR, 2, "is Xen 4.20"));
    md_lint_free(l);
    CHECK(!err.set);
    unlink(gp);
    unlink(rp);
    unlink(xp);
    free(gp);
    free(rp);
    free(xp);
    free(od);
    free(cpio);
    md_tree_free(g);
}

/* A finding quoting a name from the input (a modloop's kernel directory
 * "6.1.0-57-amd64<LF>Toolstack=9.9", trial 9e case 5) stays one line of
 * the report, its control characters escaped. */
static void test_text_escaped(void)
{
    md_lint *l = md_lint_new();
    md_lint_add(l, "modloop\x1b[2K", 0, MD_LINT_ERROR, 5, "no modules.dep in /lib/modules/%s",
                "6.1.0-57-amd64\nToolstack=9.9");
    char *text = md_lint_text(l);
    CHECK_STR(text, "modloop\\x1b[2K: error: [trap5] no modules.dep in "
                    "/lib/modules/6.1.0-57-amd64\\x0aToolstack=9.9\n");
    free(text);
    md_lint_free(l);
}


/* Trap 5 across kernel and rootfs: the kernel that boots needs
 * /lib/modules/<its release> in the rootfs (either module root); what Xen
 * cannot start as dom0 in the kernel's place is an error (a Xen image, an
 * archive, a stand-in file, the other architecture's kernel); a kernel
 * whose release is not in it is "cannot check" with a rootfs (issue 10:
 * never a silent pass, never a note that exits 0). */
static void test_kernel_modules(void)
{
    unsigned char k[0x800];
    md_err err = MD_ERR_INIT;
    md_attr a = { 0755, 0, 0, 0 };
    md_tree *t = md_tree_new(false);
    md_tree_add_dir(t, "/lib/modules/6.1.0-57-amd64", &a, "t", &err);
    md_tree_add_dir(t, "/usr/lib/modules/6.1.0-58-amd64", &a, "t", &err);
    CHECK(!err.set);

    fake_bzimage(k, sizeof k, "6.1.0-57-amd64");
    md_lint *l = md_lint_new();
    md_lint_kernel_modules(l, "grub.cfg", 3, "vmlinuz", k, sizeof k, false, "r", t);
    CHECK(md_lint_count(l) == 0);
    fake_bzimage(k, sizeof k, "6.1.0-58-amd64"); /* merged /usr holds it */
    md_lint_kernel_modules(l, "grub.cfg", 3, "vmlinuz", k, sizeof k, false, "r", t);
    CHECK(md_lint_count(l) == 0);
    fake_bzimage(k, sizeof k, "6.12.41+deb13-amd64");
    md_lint_kernel_modules(l, "grub.cfg", 3, "vmlinuz", k, sizeof k, false, "r", t);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "release 6.12.41+deb13-amd64 (its bzImage header), "
                     "but the rootfs r has no /lib/modules/6.12.41+deb13-amd64 (it holds modules "
                     "for 6.1.0-57-amd64, 6.1.0-58-amd64)"));
    CHECK(md_lint_count(l) == 1 && md_lint_line(l, 0) == 3 &&
          !strcmp(md_lint_file(l, 0), "grub.cfg"));
    md_lint_free(l);

    md_tree *none = md_tree_new(false);
    l = md_lint_new();
    md_lint_kernel_modules(l, "grub.cfg", 3, "vmlinuz", k, sizeof k, false, "r", none);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "it holds no modules at all"));
    md_lint_free(l);

    /* by content, whatever the name: a cut-off gzip, a cpio, a stand-in */
    l = md_lint_new();
    static const unsigned char gz[] = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3 };
    md_lint_kernel_modules(l, "grub.cfg", 3, "vmlinuz", gz, sizeof gz, false, "r", t);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "the dom0 kernel vmlinuz is gzip data, not a Linux kernel"));
    md_lint_free(l);
    l = md_lint_new();
    md_lint_kernel_modules(l, "grub.cfg", 3, "vmlinuz", (const unsigned char *)"07070100", 8,
                           false, "r", NULL);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "is a cpio archive (an initramfs or rootfs), not a "
                                          "Linux kernel"));
    md_lint_free(l);
    /* a stand-in file: an error naming it, with or without a rootfs
     * (before issue 10: a "not checked" note with a rootfs, and nothing at
     * all without one) */
    for (int with = 0; with < 2; with++) {
        l = md_lint_new();
        md_lint_kernel_modules(l, "grub.cfg", 3, "/b/vmlinuz",
                               (const unsigned char *)"stand-in kernel\n", 16, false, "r",
                               with ? t : NULL);
        CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "the dom0 kernel /b/vmlinuz is no Linux kernel "
                                              "(it is text: 'stand-in kernel'): Xen on x86 "
                                              "starts a bzImage or an ELF kernel"));
        CHECK(md_lint_count(l) == 1 && md_lint_line(l, 0) == 3);
        md_lint_free(l);
    }
    /* an ELF vmlinux, gzip'd: its release from its banner */
    size_t vn = 0x2000, zn;
    unsigned char *v = md_xcalloc(1, vn);
    memcpy(v, "\177ELF\2\1\1", 7);
    snprintf((char *)v + 0x1000, 0x200, "Linux version 6.1.0-9-amd64 (x@y) (gcc) #1 SMP\n");
    unsigned char *vz = t_gzip(v, vn, &zn);
    l = md_lint_new();
    md_lint_kernel_modules(l, "grub.cfg", 3, "vmlinux.gz", vz, zn, false, "r", t);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 5, "the dom0 kernel vmlinux.gz is release 6.1.0-9-amd64 "
                                          "(its 'Linux version' banner), but the rootfs r has no "
                                          "/lib/modules/6.1.0-9-amd64"));
    md_lint_free(l);
    free(vz);
    /* ... without one: cannot check, with a rootfs; nothing to say without */
    memset(v + 0x1000, 0, 0x200);
    l = md_lint_new();
    md_lint_kernel_modules(l, "grub.cfg", 3, "vmlinux", v, vn, false, "r", t);
    CHECK(t_lint_has(l, MD_LINT_WARNING, 5, "cannot check trap 5 for the dom0 kernel vmlinux: it "
                                            "is an ELF kernel (vmlinux) with no kernel release"));
    CHECK(md_lint_count_unchecked(l) == 1);
    md_lint_kernel_modules(l, "grub.cfg", 4, "vmlinux", v, vn, false, "r", NULL);
    CHECK(md_lint_count(l) == 1);
    md_lint_free(l);
    /* the other architecture's kernel: an error either way round */
    l = md_lint_new();
    md_lint_kernel_modules(l, "xen.cfg", 5, "vmlinuz", k, sizeof k, true, "r", t);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "the dom0 kernel vmlinuz is an x86 bzImage, which Xen "
                                          "on Arm cannot start as dom0"));
    md_lint_free(l);
    unsigned char img[0x400] = { 0 };
    memcpy(img + 0x38, "ARM\x64", 4);
    snprintf((char *)img + 0x100, 0x100, "Linux version 6.1.0-57-amd64 (x@y) #1 SMP");
    l = md_lint_new();
    md_lint_kernel_modules(l, "grub.cfg", 3, "Image", img, sizeof img, false, "r", t);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "is an arm64 Image, which Xen on x86 cannot start"));
    md_lint_free(l);
    /* Arm's Image.gz: gzip'd, read through to its release */
    vz = t_gzip(img, sizeof img, &zn);
    l = md_lint_new();
    md_lint_kernel_modules(l, "grub.cfg", 3, "Image.gz", vz, zn, true, "r", t);
    CHECK(md_lint_count(l) == 0);
    free(vz);
    /* ... but xz is not for Xen on Arm (gzip only), and a bzImage of the
     * 2.6.18 era is refused by Xen on x86 */
    vz = t_xz(img, sizeof img, &zn);
    md_lint_kernel_modules(l, "grub.cfg", 3, "Image.xz", vz, zn, true, "r", t);
    free(vz);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "the dom0 kernel Image.xz is an arm64 Image inside xz "
                                          "data, a compression Xen on Arm does not undo"));
    k[0x206] = 0x04; /* protocol 2.04 */
    md_lint_kernel_modules(l, "grub.cfg", 3, "vmlinuz-2.6.18", k, sizeof k, false, "r", t);
    CHECK(t_lint_has(l, MD_LINT_ERROR, 0, "is a bzImage of boot protocol 2.04: Xen needs 2.08"));
    md_lint_free(l);
    free(v);
    md_tree_free(none);
    md_tree_free(t);
}

/* Issue 10: dom0_mem text a variable or a call brings to the Xen line is
 * found on the line that writes it; a file's findings are reported in line
 * order; a finding of no trap is "trap": null in --json. */
static void test_issue10_location(void)
{
    static const struct {
        const char *cfg;
        unsigned line;  /* of the dom0_mem finding */
        const char *note;
    } cases[] = {
        { "set opts=\"dom0_mem=4G\"\nmenuentry X {\n multiboot2 /xen.gz $opts\n"
          " module2 /vmlinuz console=ttyS0 console=hvc0\n module2 --nounzip /r.gz\n}\n",
          1, "(the value is written here and used by the multiboot2 line 3)" },
        { "function f {\n multiboot2 /xen.gz $1\n module2 /vmlinuz console=ttyS0 console=hvc0\n"
          " module2 --nounzip /r.gz\n}\nmenuentry X {\n f dom0_mem=4G\n}\n",
          7, "(the value is written here, in the call of a function, and used by the "
             "multiboot2 line 2 of that function)" },
        { "set m=dom0_mem=4G\nfunction f {\n multiboot2 /xen.gz $1\n"
          " module2 /vmlinuz console=ttyS0 console=hvc0\n module2 --nounzip /r.gz\n}\n"
          "menuentry X {\n f $m\n}\n",
          1, "(the value is written here and used by the multiboot2 line 3 of the function "
             "called on line 8)" },
        /* through a second variable's value (quoted, with its own text):
         * still line 1, where dom0_mem=4G is written */
        { "set m=dom0_mem=4G\nset opts=\"$m gnttab_max_frames=256\"\nfunction f {\n"
          " multiboot2 /xen.gz $1\n module2 /vmlinuz console=ttyS0 console=hvc0\n"
          " module2 --nounzip /r.gz\n}\nmenuentry X {\n f $opts\n}\n",
          1, "(the value is written here and used by the multiboot2 line 4 of the function "
             "called on line 9)" },
        { "menuentry X dom0_mem=4G {\n multiboot2 /xen.gz $2\n"
          " module2 /vmlinuz console=ttyS0 console=hvc0\n module2 --nounzip /r.gz\n}\n",
          1, "(the value is written here and used by the multiboot2 line 2)" },
        { "menuentry X {\n multiboot2 /xen.gz dom0_mem=4G\n"
          " module2 /vmlinuz console=ttyS0 console=hvc0\n module2 --nounzip /r.gz\n}\n",
          2, NULL },
    };
    for (size_t c = 0; c < sizeof cases / sizeof *cases; c++) {
        md_lint *l = md_lint_new();
        md_lint_grub(l, "g.cfg", cases[c].cfg, strlen(cases[c].cfg), NULL);
        size_t hit = SIZE_MAX;
        for (size_t i = 0; i < md_lint_count(l); i++)
            if (md_lint_fix_of(l, i) && !strcmp(md_lint_fix_of(l, i), "dom0_mem=4G,max:4G"))
                hit = i;
        CHECK(hit != SIZE_MAX);
        if (hit != SIZE_MAX) {
            CHECK(md_lint_line(l, hit) == cases[c].line);
            CHECK(cases[c].note ? strstr(md_lint_message(l, hit), cases[c].note) != NULL
                                : !strstr(md_lint_message(l, hit), "written here"));
        }
        md_lint_free(l);
    }

    md_lint *l = md_lint_new();
    md_lint_add(l, "a", 7, MD_LINT_ERROR, 4, "seven");
    md_lint_add(l, "b", 1, MD_LINT_ERROR, 0, "b one");
    md_lint_add(l, "a", 2, MD_LINT_WARNING, 0, "two");
    md_lint_add(l, "a", 2, MD_LINT_WARNING, 1, "two again");
    md_lint_add(l, "a", 0, MD_LINT_NOTE, 0, "whole");
    char *text = md_lint_text(l);
    CHECK_STR(text, "a: note: [boot] whole\n"
                    "a:2: warning: [boot] two\n"
                    "a:2: warning: [trap1] two again\n"
                    "a:7: error: [trap4] seven\n"
                    "b:1: error: [boot] b one\n");
    free(text);
    char *j = md_lint_json(l);
    const char *p7 = strstr(j, "\"seven\""), *p2 = strstr(j, "\"two\"");
    CHECK(p7 && p2 && p2 < p7);
    CHECK(strstr(j, "\"line\": 2, \"trap\": null,") != NULL);
    CHECK(strstr(j, "\"line\": 7, \"trap\": 4,") != NULL);
    CHECK(!strstr(j, "\"trap\": 0"));
    free(j);
    md_lint_free(l);

    /* a no-break space is named as one, not a comma's glued parameter */
    const char *nb = "menuentry X {\n multiboot2 /xen.gz dom0_mem=4G,max:4G\xc2\xa0x=1\n"
                     " module2 /vmlinuz console=ttyS0 console=hvc0\n module2 --nounzip /r.gz\n}\n";
    l = md_lint_new();
    md_lint_grub(l, "g.cfg", nb, strlen(nb), NULL);
    bool named = false, glued = false;
    for (size_t i = 0; i < md_lint_count(l); i++) {
        named |= md_lint_trap(l, i) == 4 && md_lint_line(l, i) == 2 &&
                 strstr(md_lint_message(l, i), "a no-break space (U+00A0, bytes C2 A0), which "
                                                "Xen does not treat as a separator");
        glued |= strstr(md_lint_message(l, i), "glued on with a comma") != NULL;
    }
    CHECK(named);
    CHECK(!glued);
    md_lint_free(l);
}

int main(void)
{
    test_issue10_location();
    test_text_escaped();
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_grub_design_clean();
    test_grub_source_configfile();
    test_grub_wildcards();
    test_grub_swallowed_line();
    test_grub_bootcfg_clean();
    test_grub_dom0_mem();
    test_grub_dom0_mem_trial();
    test_grub_gnttab();
    test_grub_defaults_recovery();
    test_grub_defaults_readonly();
    test_grub_defaults_fragment();
    test_grub_family();
    test_grub_console();
    test_grub_console_arm();
    test_grub_nounzip();
    test_grub_rdinit();
    test_grub_debian();
    test_grub_alpine_legacy();
    test_grub_syntax();
    test_grub_robust();
    test_inittab();
    test_rootfs_good();
    test_rootfs_interpreter();
    test_rootfs_init_cannot_run();
    test_grub_too_deep();
    test_grub_nested_if();
    test_grub_if_vars();
    test_grub_microcode_first();
    test_rootfs_console();
    test_rootfs_devices();
    test_rootfs_modules();
    test_kernel_modules();
    test_rootfs_usrmerge();
    test_rootfs_toolstack();
    test_rootfs_toolstack_programs();
    test_rootfs_services();
    test_rootfs_services_bare();
    test_loader();
    test_loader_hardlinks();
    test_inputs();
    test_not_checked_counts();
    char *cmd = md_xasprintf("rm -rf '%s'", tmpdir);
    if (system(cmd) != 0)
        fprintf(stderr, "could not remove %s\n", tmpdir);
    free(cmd);
    return t_done("test_lint");
}
