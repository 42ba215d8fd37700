#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "boot/bootcfg.h"
#include "boot/bootfmt.h"
#include "boot/bootmedia.h"
#include "core/size.h"
#include "boot/grubcfg.h"
#include "core/mem.h"
#include "lint/lint.h"
#include "t.h"

/* A file's parameters as one command line, for comparing. */
#define CHECK_ARGS(file, expected) do { \
    char *t_line = md_strv_join(&(file).args, " "); \
    CHECK_STR(t_line, expected); \
    free(t_line); \
} while (0)

static uint64_t mem_ok(const char *s)
{
    md_err err = MD_ERR_INIT;
    uint64_t m = 0;
    if (md_size_parse_mib(s, &m, &err) < 0) {
        fprintf(stderr, "unexpected error for '%s': %s\n", s, err.msg);
        return 0;
    }
    return m;
}

static void mem_bad(const char *s, const char *needle)
{
    md_err err = MD_ERR_INIT;
    uint64_t m = 77;
    CHECK(md_size_parse_mib(s, &m, &err) == -1);
    CHECK_ERR(&err, needle);
    CHECK(m == 77);
}

static void test_mem(void)
{
    CHECK(mem_ok("4096M") == 4096);
    CHECK(mem_ok("4G") == 4096);
    CHECK(mem_ok("4g") == 4096);
    CHECK(mem_ok("4GiB") == 4096);
    CHECK(mem_ok("512MB") == 512);
    CHECK(mem_ok("1048576K") == 1024);
    CHECK(mem_ok("1T") == 1048576);
    CHECK(mem_ok("128M") == 128);
    mem_bad("4096", "no unit");
    mem_bad("4096M,max:4096M", "max:");
    mem_bad("max:4G", "max:");
    mem_bad("", "empty");
    mem_bad("lots", "not a size");
    mem_bad("-1G", "not a size");
    mem_bad("4X", "unknown unit");
    mem_bad("4Gx", "unexpected");
    mem_bad("1536K", "whole number of MiB");
    mem_bad("0M", "zero");
    mem_bad("64M", "too small");
    mem_bad("100T", "64 TiB");
    mem_bad("99999999999999999999999G", "too large");
    mem_bad("18014398509481984G", "64 TiB"); /* would overflow when shifted */
}

static void test_make_and_grub(void)
{
    md_err err = MD_ERR_INIT;
    md_bootcfg c = MD_BOOTCFG_DEFAULTS;
    c.dom0_mem_mib = 4096;
    c.xen_extra = "gnttab_max_frames=256 gnttab_max_maptrack_frames=1024";
    c.linux_extra = "console=hvc0 loglevel=4";
    md_bootcfg_entry *e = md_bootcfg_make(&c, &err);
    CHECK(e != NULL);
    if (!e)
        return;
    CHECK_ARGS(e->xen, "dom0_mem=4096M,max:4096M gnttab_max_frames=256 "
                           "gnttab_max_maptrack_frames=1024 com1=115200,8n1 console=com1");
    /* console=hvc0 exactly once, and last (trap 1). */
    CHECK_ARGS(e->kernel, "rdinit=/sbin/init console=ttyS0,115200 loglevel=4 console=hvc0");
    CHECK_STR(e->xen.path, "/xen.gz");
    CHECK(e->nmods == 1 && e->mods[0].nounzip);
    CHECK_STR(e->mods[0].path, "/rootfs.cpio.gz");
    char *g = md_grubcfg_write(e);
    CHECK(strstr(g, "\tmultiboot2 /xen.gz dom0_mem=4096M,max:4096M ") != NULL);
    CHECK(strstr(g, "\tmodule2 /vmlinuz rdinit=/sbin/init console=ttyS0,115200 loglevel=4 console=hvc0\n") != NULL);
    CHECK(strstr(g, "\tmodule2 --nounzip /rootfs.cpio.gz\n") != NULL);
    CHECK(strstr(g, "serial --unit=0 --speed=115200\n") != NULL);
    CHECK(strstr(g, "menuentry 'mkdom0 Xen dom0' {") != NULL);

    /* Round trip: what we write, we read back identically. */
    md_bootcfg_entry *r = md_grubcfg_boot_entry(g, "grub.cfg", &err);
    CHECK(r != NULL);
    if (r) {
        char *xa = md_strv_join(&e->xen.args, " "), *ka = md_strv_join(&e->kernel.args, " ");
        CHECK_STR(r->xen.path, e->xen.path);
        CHECK_ARGS(r->xen, xa);
        CHECK_STR(r->kernel.path, e->kernel.path);
        CHECK_ARGS(r->kernel, ka);
        CHECK(r->nmods == 1 && r->mods[0].nounzip);
        CHECK_STR(r->mods[0].path, e->mods[0].path);
        CHECK(r->xen.line == 13 && r->kernel.line == 14 && r->mods[0].line == 16);
        free(xa);
        free(ka);
        CHECK_STR(r->title, e->title);
        CHECK(r->serial_port == 1 && r->serial_baud == 115200 && r->timeout == 3);
        uint64_t m = 0;
        CHECK(md_bootcfg_dom0_mem(r, &m, &err) == 0 && m == 4096);
        md_bootcfg_set_dom0_mem(r, 1024);
        CHECK_ARGS(r->xen, "dom0_mem=1024M,max:1024M gnttab_max_frames=256 "
                               "gnttab_max_maptrack_frames=1024 com1=115200,8n1 console=com1");
        /* QEMU multiboot form: commas doubled inside the module list only. */
        char *ini = md_bootcfg_qemu_initrd(r, "/tmp/x/vmlinuz", "/tmp/x/rootfs.cpio.gz");
        CHECK_STR(ini, "/tmp/x/vmlinuz rdinit=/sbin/init console=ttyS0,,115200 loglevel=4 "
                       "console=hvc0,/tmp/x/rootfs.cpio.gz");
        free(ini);
        md_bootcfg_entry_free(r);
    }
    free(g);
    md_bootcfg_entry_free(e);

    /* Extra arguments override the grant-table defaults in place, once. */
    md_bootcfg c3 = MD_BOOTCFG_DEFAULTS;
    c3.dom0_mem_mib = 1024;
    c3.xen_extra = "loglvl=all gnttab_max_frames=512";
    e = md_bootcfg_make(&c3, &err);
    CHECK(e != NULL);
    if (e)
        CHECK_ARGS(e->xen, "dom0_mem=1024M,max:1024M gnttab_max_frames=512 "
                           "gnttab_max_maptrack_frames=1024 com1=115200,8n1 console=com1 loglvl=all");
    md_bootcfg_entry_free(e);

    /* Serial on com2 at 57600, a prefix and a zstd rootfs. */
    md_bootcfg c2 = MD_BOOTCFG_DEFAULTS;
    c2.dom0_mem_mib = 2048;
    c2.serial_port = 2;
    c2.serial_baud = 57600;
    c2.file_prefix = "/boot/mkdom0";
    c2.rootfs_name = "rootfs.cpio.zst";
    c2.title = "dom0 test";
    e = md_bootcfg_make(&c2, &err);
    CHECK(e != NULL);
    if (e) {
        CHECK_ARGS(e->xen, "dom0_mem=2048M,max:2048M gnttab_max_frames=256 "
                               "gnttab_max_maptrack_frames=1024 com2=57600,8n1 console=com2");
        CHECK_ARGS(e->kernel, "rdinit=/sbin/init console=ttyS1,57600 console=hvc0");
        CHECK_STR(e->mods[0].path, "/boot/mkdom0/rootfs.cpio.zst");
        g = md_grubcfg_write(e);
        CHECK(strstr(g, "serial --unit=1 --speed=57600") != NULL);
        md_bootcfg_entry *r2 = md_grubcfg_boot_entry(g, "g2", &err);
        CHECK(r2 && r2->serial_port == 2 && r2->serial_baud == 57600);
        CHECK(r2 && !strcmp(r2->title, "dom0 test"));
        md_bootcfg_entry_free(r2);
        free(g);
        md_bootcfg_entry_free(e);
    }
}

static void make_bad(md_bootcfg c, const char *needle)
{
    md_err err = MD_ERR_INIT;
    md_bootcfg_entry *e = md_bootcfg_make(&c, &err);
    CHECK(e == NULL);
    CHECK_ERR(&err, needle);
    md_bootcfg_entry_free(e);
}

static void test_make_refuses(void)
{
    md_bootcfg c = MD_BOOTCFG_DEFAULTS;
    make_bad(c, "no dom0 memory");
    c.dom0_mem_mib = 1024;
    c.xen_extra = "dom0_mem=4G";
    make_bad(c, "trap 4");
    c.xen_extra = "loglvl=all;reboot";
    make_bad(c, "';'");
    /* trial 9c cases 6 and 9: "--" hands the rest to dom0's kernel (Xen)
     * or to init (Linux), past these checks; "a--b" is an ordinary word. */
    c.xen_extra = "-- console=tty0 rdinit=/bin/sh";
    make_bad(c, "'--' ends Xen's own options and hands the rest to the dom0 kernel");
    c.xen_extra = "loglvl=all\t--";
    make_bad(c, "'--'");
    c.xen_extra = NULL;
    c.linux_extra = "-- x";
    make_bad(c, "'--' ends the kernel's own options and hands the rest to init");
    c.linux_extra = "x=a--b";
    {
        md_err err = MD_ERR_INIT;
        md_bootcfg_entry *ok = md_bootcfg_make(&c, &err);
        CHECK(ok != NULL);
        md_bootcfg_entry_free(ok);
        md_err_clear(&err);
    }
    c.linux_extra = "rdinit=/init";
    make_bad(c, "rdinit");
    c.linux_extra = "foo=$bar";
    make_bad(c, "'$'");
    c.linux_extra = "a\nb";
    make_bad(c, "control character");
    /* DEL, as 0x01 (trial 9h case 7) */
    c.linux_extra = "a=\x7f";
    make_bad(c, "control character (0x7f)");
    c.linux_extra = NULL;
    c.xen_extra = "a=\x7f";
    make_bad(c, "control character (0x7f)");
    c.xen_extra = NULL;
    c.title = "it's";
    make_bad(c, "title");
    c.title = NULL;
    c.serial_baud = 12345;
    make_bad(c, "standard UART");
    c.serial_baud = 0;
    c.serial_port = 9;
    make_bad(c, "com9");
    c.serial_port = 1;
    c.rootfs_name = "a/b";
    make_bad(c, "plain file name");
}

static void test_parse(void)
{
    md_err err = MD_ERR_INIT;
    /* A hand-written config: first entry is not Xen, quotes, tabs. */
    const char *cfg =
        "set timeout=5\n"
        "menuentry \"Linux\" { linux /vmlinuz root=/dev/sda1\n}\n"
        "menuentry 'Xen dom0' --class xen {\n"
        "    multiboot2 /boot/xen.gz dom0_mem=2G,max:2G   console=com1 com1=115200,8n1\n"
        "\tmodule2 /boot/vmlinuz console=hvc0 'quiet'\n"
        "    module2 --nounzip /boot/initrd.gz\n"
        "}\n"
        "menuentry 'other' { multiboot2 /other.gz\n}\n";
    md_bootcfg_entry *e = md_grubcfg_boot_entry(cfg, "h.cfg", &err);
    CHECK(e != NULL);
    if (e) {
        CHECK_STR(e->title, "Xen dom0");
        CHECK_STR(e->xen.path, "/boot/xen.gz");
        CHECK_ARGS(e->xen, "dom0_mem=2G,max:2G console=com1 com1=115200,8n1");
        CHECK_ARGS(e->kernel, "console=hvc0 quiet");
        CHECK_STR(e->mods[0].path, "/boot/initrd.gz");
        CHECK(e->timeout == 5);
        uint64_t m = 0;
        CHECK(md_bootcfg_dom0_mem(e, &m, &err) == 0 && m == 2048);
        md_strv_free(&e->xen.args);
        md_strv_split(&e->xen.args, "console=com1 dom0_mem=4096M", false);
        CHECK(md_bootcfg_dom0_mem(e, &m, &err) == -1);
        CHECK_ERR(&err, "without max:");
        md_err_clear(&err);
        md_strv_free(&e->xen.args);
        md_strv_push(&e->xen.args, "console=com1");
        CHECK(md_bootcfg_dom0_mem(e, &m, &err) == -1);
        CHECK_ERR(&err, "no dom0_mem=");
        md_err_clear(&err);
        /* min: raises the amount as Xen does (dom0_compute_nr_pages):
         * min:4G,1G,max:4G starts dom0 at 4G = max:, trial10h case 6 */
        static const struct { const char *v; uint64_t mib; } starts[] = {
            { "dom0_mem=min:4G,1G,max:4G", 4096 }, { "dom0_mem=min:4G,max:4G", 4096 },
            { "dom0_mem=min:8G,2G,max:2G", 2048 }, { "dom0_mem=min:4G,1G,max:8G", 0 },
            { "dom0_mem=-1G,max:2G", 0 }, { "dom0_mem=min:1G,max:2G", 0 } };
        for (size_t i = 0; i < sizeof starts / sizeof *starts; i++) {
            md_strv_free(&e->xen.args);
            md_strv_push(&e->xen.args, starts[i].v);
            m = 0;
            md_err e2 = MD_ERR_INIT;
            CHECK((md_bootcfg_dom0_mem(e, &m, &e2) == 0) == (starts[i].mib != 0));
            CHECK(m == starts[i].mib);
        }
        md_bootcfg_set_dom0_mem(e, 512);
        CHECK_ARGS(e->xen, "dom0_mem=512M,max:512M");
        md_bootcfg_entry_free(e);
    }

    e = md_grubcfg_boot_entry("menuentry 'a' {\n linux /vmlinuz\n}\n", "nox.cfg", &err);
    CHECK(e == NULL);
    CHECK_ERR(&err, "nox.cfg: no menuentry with multiboot2");
    md_err_clear(&err);
    e = md_grubcfg_boot_entry("menuentry 'a' {\n multiboot2 /xen.gz\n module2 /vmlinuz\n "
                              "module2 /rootfs.cpio.gz\n}\n", "nz.cfg", &err);
    CHECK(e == NULL);
    CHECK_ERR(&err, "nz.cfg:4: the rootfs module '/rootfs.cpio.gz' lacks --nounzip");
    md_err_clear(&err);
    e = md_grubcfg_boot_entry("menuentry 'a' {\n multiboot2 /xen.gz\n}\n", "nk.cfg", &err);
    CHECK(e == NULL);
    CHECK_ERR(&err, "nk.cfg:2: the Xen entry has no module2");
    md_err_clear(&err);
    e = md_grubcfg_boot_entry("", "empty.cfg", &err);
    CHECK(e == NULL);
    CHECK_ERR(&err, "empty.cfg");
    md_err_clear(&err);
    /* past MD_BOOTCFG_MAX_TEXT the reader reads nothing (its records'
     * offsets are 32-bit), and says so, whoever calls it (mkdom0 boot) */
    const char *good = "menuentry 'a' {\n multiboot2 /xen.gz dom0_mem=1G,max:1G\n module2 "
                       "/vmlinuz\n module2 --nounzip /rootfs.cpio.gz\n}\n";
    size_t big = MD_BOOTCFG_MAX_TEXT + 1;
    char *t = malloc(big + 1);
    memset(t, '#', big);
    memcpy(t, good, strlen(good));
    t[strlen(good)] = '\n';
    t[big] = '\0';
    e = md_grubcfg_boot_entry(t, "big.cfg", &err);
    CHECK(e == NULL);
    CHECK_ERR(&err, "big.cfg: 16777217 bytes, more than the 16 MiB read of a boot config");
    md_err_clear(&err);
    t[big - 1] = '\0'; /* at the cap: read */
    e = md_grubcfg_boot_entry(t, "cap.cfg", &err);
    CHECK(e != NULL);
    md_bootcfg_entry_free(e);
    free(t);
}

/* The reader's entries: menu path, lines, parameters as words, what
 * variables may add, module flags, tboot, and what GRUB would reject. */
static void test_read_entries(void)
{
    const char *cfg =
        /* exported: a submenu sees only those (trial10g 1) */
        "set opts=\"loglvl=all dom0_mem=2G,max:2G\"; export opts\n" /* 1 */
        "submenu 'S' {\n"
        "menuentry 'A' --class xen {\n"
        " multiboot2 /xen.gz $opts ${env}\n"                  /* 4 */
        " module2 /vmlinuz console=hvc0 'a b'\n"
        " module2 --nounzip /rootfs.cpio.gz\n"
        " module2 /extra x=1\n"
        "}\n"
        "}\n"
        "menuentry memtest { multiboot2 /memtest86.bin; module2 /x; }\n"
        "menuentry 't' {\n"
        "multiboot /tboot.gz logging=serial\n"
        "module /xen.gz dom0_mem=1G,max:1G\n"               /* 13 */
        "module /vmlinuz\n"
        "}\n"
        "menuentry 'broken {\n";                            /* 16 */
    md_bootcfg_list l = { 0 };
    md_grubcfg_read(cfg, strlen(cfg), &l);
    CHECK(l.n == 2);
    CHECK(l.nproblems == 1 && l.problems[0].line == 16);
    if (l.n != 2) {
        md_bootcfg_list_free(&l);
        return;
    }
    const md_bootcfg_entry *a = l.v[0], *t = l.v[1];
    CHECK_STR(a->title, "S>A");
    CHECK(a->xen.mb2 && a->xen.line == 4);
    CHECK_ARGS(a->xen, "loglvl=all dom0_mem=2G,max:2G ${env}"); /* $opts as set on line 1 */
    CHECK(a->xen.maybe.n == 0 && a->xen.unset.n == 1);
    CHECK_STR(a->xen.unset.v[0], "env");
    CHECK_STR(md_bootcfg_param(&a->xen, "dom0_mem", false), "2G,max:2G");
    CHECK(md_bootcfg_param(&a->xen, "gnttab_max_frames", false) == NULL);
    CHECK_STR(a->kernel.path, "/vmlinuz");
    CHECK(a->kernel.line == 5 && a->kernel.args.n == 2);
    CHECK_STR(a->kernel.args.v[1], "a b"); /* one parameter, as GRUB passes it */
    CHECK(a->nmods == 2);
    if (a->nmods == 2) {
        CHECK(a->mods[0].nounzip && a->mods[0].mb2 && a->mods[0].line == 6);
        CHECK_STR(a->mods[0].path, "/rootfs.cpio.gz");
        CHECK(!a->mods[1].nounzip);
        CHECK_ARGS(a->mods[1], "x=1");
    }
    /* tboot loads Xen as its first module: that is the hypervisor here. */
    CHECK_STR(t->title, "t");
    CHECK_STR(t->xen.path, "/xen.gz");
    CHECK(!t->xen.mb2 && t->xen.line == 13);
    CHECK_STR(t->kernel.path, "/vmlinuz");
    CHECK(t->nmods == 0);
    /* mkdom0 boot wants multiboot2 with a --nounzip rootfs: the first entry */
    md_err err = MD_ERR_INIT;
    md_bootcfg_entry *b = md_bootcfg_take_bootable(&l, "c.cfg", &err);
    CHECK(b == a && l.n == 1);
    md_bootcfg_entry_free(b);
    b = md_bootcfg_take_bootable(&l, "c.cfg", &err);
    CHECK(b == NULL);
    CHECK_ERR(&err, "c.cfg: no menuentry with multiboot2");
    md_bootcfg_list_free(&l);
}

static void test_escape(void)
{
    char *s = md_bootcfg_qemu_escape("a,b,,c");
    CHECK_STR(s, "a,,b,,,,c");
    free(s);
    s = md_bootcfg_qemu_escape("");
    CHECK_STR(s, "");
    free(s);
}

/* The project's own linter finds nothing wrong with what we generate. */
static void test_lint_clean(void)
{
    md_err err = MD_ERR_INIT;
    md_bootcfg c = MD_BOOTCFG_DEFAULTS;
    c.dom0_mem_mib = 4096;
    md_bootcfg_entry *e = md_bootcfg_make(&c, &err);
    CHECK(e != NULL);
    if (!e)
        return;
    char *g = md_grubcfg_write(e);
    md_lint *l = md_lint_new();
    md_lint_grub(l, "grub.cfg", g, strlen(g), NULL);
    CHECK(md_lint_count_sev(l, MD_LINT_ERROR) == 0);
    CHECK(md_lint_count_sev(l, MD_LINT_WARNING) == 0);
    char *findings = md_lint_text(l);
    fputs(findings, stderr);
    free(findings);
    md_lint_free(l);
    free(g);
    md_bootcfg_entry_free(e);
}

/* dom0_mem's value as Xen 4.17's parse_dom0_mem() reads it. */
static void test_dom0_mem_syntax(void)
{
    md_err err = MD_ERR_INIT;
    md_bootcfg_dom0mem m;
    CHECK(md_bootcfg_parse_dom0_mem("4096M,max:4G", &m, &err) == 0);
    CHECK(m.amount.set && m.max.set && !m.min.set);
    CHECK(md_bootcfg_amount_same(&m.amount, &m.max) && m.amount.bytes == 4ULL << 30);
    CHECK(md_bootcfg_parse_dom0_mem("1048576", &m, &err) == 0 && m.amount.bytes == 1ULL << 30);
    CHECK(md_bootcfg_parse_dom0_mem("min:1G,max:-512M,1G+10%", &m, &err) == 0);
    CHECK(m.min.bytes == 1ULL << 30 && m.max.minus && m.max.bytes == 512ULL << 20);
    CHECK(m.amount.bytes == 1ULL << 30 && m.amount.percent == 10);
    CHECK(md_bootcfg_parse_dom0_mem("10%,max:10%", &m, &err) == 0);
    CHECK(m.amount.percent == 10 && m.amount.bytes == 0 && md_bootcfg_amount_same(&m.amount, &m.max));
    CHECK(md_bootcfg_parse_dom0_mem("2G,max:4G,4G", &m, &err) == 0); /* the later amount wins */
    CHECK(md_bootcfg_amount_same(&m.amount, &m.max));
    static const char *const bad[][2] = {
        { "", "''" }, { "4X", "'4X'" }, { "4G,", "''" }, { "10%+1G", "'10%+1G'" },
        { "100%", "'100%'" }, { "1G+2G", "'1G+2G'" }, { "max:", "'max:'" }, { "-", "'-'" },
        { "4G,max:4G junk", "'max:4G junk'" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        md_err_clear(&err);
        CHECK(md_bootcfg_parse_dom0_mem(bad[i][0], &m, &err) == -1);
        CHECK_ERR(&err, bad[i][1]);
        CHECK_ERR(&err, "not an amount Xen understands");
    }
}

/* The trial's refused amounts: each error says the rule Xen applied (new-user
 * trial, defects D12, D13, D20). */
static void test_dom0_mem_trial(void)
{
    md_err err = MD_ERR_INIT;
    md_bootcfg_dom0mem m;
    static const char *const why[][2] = {
        { "08G,max:08G", "octal" }, { "4.5G", "whole numbers only" },
        { "10%+1G", "size must come before the percentage" },
        { "10%+10%", "one percentage at most" }, { "100%", "below 100" },
        { "4G%", "no unit letter" }, { "--1G", "one '-' at most" },
        { "0x,max:0x", "no hex digit" }, { "+4G", "no '+'" },
        { "1G+10%+5%", "nothing may follow the percentage" }, { "4G,,max:4G", "empty amount" }, { "", "empty" },
    };
    for (size_t i = 0; i < sizeof why / sizeof *why; i++) {
        md_err_clear(&err);
        CHECK(md_bootcfg_parse_dom0_mem(why[i][0], &m, &err) == -1);
        CHECK_ERR(&err, why[i][1]);
    }
    /* simple_strtoull has no overflow check: Xen takes the value modulo 2^64,
     * shifted by the unit modulo 2^64 too; nothing is refused. */
    CHECK(md_bootcfg_parse_dom0_mem("99999999999999999999G", &m, &err) == 0);
    CHECK(m.amount.wrapped && m.amount.bytes == 6396237369699205120ULL);
    CHECK(md_bootcfg_parse_dom0_mem("18446744073709551615T", &m, &err) == 0);
    CHECK(m.amount.wrapped && m.amount.bytes == (UINT64_MAX << 40));
    CHECK(md_bootcfg_parse_dom0_mem("4096G", &m, &err) == 0 && !m.amount.wrapped);
    /* a leading 0 is octal: 010G is 8G */
    CHECK(md_bootcfg_parse_dom0_mem("010G", &m, &err) == 0);
    CHECK(m.amount.octal && m.amount.bytes == 8ULL << 30);
    CHECK(md_bootcfg_parse_dom0_mem("0", &m, &err) == 0 && !m.amount.octal && !m.amount.bytes);
    /* after 0x, B is a hex digit, not the byte unit: 0x1000B KiB */
    CHECK(md_bootcfg_parse_dom0_mem("0x1000B", &m, &err) == 0);
    CHECK(m.amount.bytes == 0x1000BULL << 10);
}

/* One test per rule of Xen 4.17's dom0_mem parsing, with the examples of
 * docs/misc/xen-command-line.pandoc and the parse code (parse_dom0_mem,
 * parse_amt in xen/arch/x86/dom0_build.c; parse_size_and_unit in
 * xen/lib/parse-size.c; simple_strtoull in xen/common/vsprintf.c). */
static void test_dom0_mem_rules(void)
{
    md_err err = MD_ERR_INIT;
    md_bootcfg_dom0mem m;
    size_t bad = 0;
    /* pandoc: "dom0_mem=512M,max:1G": initial 512MB, balloon up to 1GB */
    CHECK(md_bootcfg_parse_dom0_mem("512M,max:1G", &m, &err) == 0);
    CHECK(m.amount.bytes == 512ULL << 20 && m.max.bytes == 1ULL << 30);
    CHECK_STR(m.amount.text, "512M");
    CHECK_STR(m.max.text, "1G");
    /* pandoc: "1G+25%": a size plus a fraction of host memory */
    CHECK(md_bootcfg_parse_dom0_mem("1G+25%", &m, &err) == 0);
    CHECK(m.amount.bytes == 1ULL << 30 && m.amount.percent == 25);
    /* pandoc: <frac> is an integer < 100 */
    CHECK(md_bootcfg_parse_dom0_mem("100%", &m, &err) == -1);
    CHECK(md_bootcfg_parse_dom0_mem("99%", &m, &err) == 0 && m.amount.percent == 99);
    /* pandoc: a negative size is subtracted from all available memory */
    CHECK(md_bootcfg_parse_dom0_mem("-1G", &m, &err) == 0 && m.amount.minus &&
          m.amount.bytes == 1ULL << 30);
    /* pandoc: min:<sz>, max:<sz> */
    CHECK(md_bootcfg_parse_dom0_mem("min:1024M,max:4096M", &m, &err) == 0);
    CHECK(!m.amount.set && m.min.bytes == 1ULL << 30 && m.max.bytes == 4ULL << 30);
    /* units: T G M K B, either case; none is KiB */
    static const struct { const char *v; uint64_t bytes; } units[] = {
        { "1T", 1ULL << 40 }, { "2g", 2ULL << 30 }, { "3M", 3ULL << 20 }, { "4k", 4ULL << 10 },
        { "4096B", 4096 }, { "4096", 4096ULL << 10 },
        /* simple_strtoull(s, 0): hex after 0x, a leading 0 is octal */
        { "0x100M", 256ULL << 20 }, { "010M", 8ULL << 20 },
    };
    for (size_t i = 0; i < sizeof units / sizeof *units; i++) {
        CHECK(md_bootcfg_parse_dom0_mem(units[i].v, &m, &err) == 0);
        CHECK(m.amount.bytes == units[i].bytes);
    }
    /* one unit letter: "4096MB" reads 4096M and stops at 'B', which Xen
     * refuses, so nothing of the value is applied (issue 10, input 5) */
    m = (md_bootcfg_dom0mem){ 0 };
    md_err_clear(&err);
    CHECK(md_bootcfg_dom0_mem_apply(&m, "4096MB,max:4096MB", false, &bad, &err) == -1);
    CHECK(bad == 0 && !m.amount.set && !m.max.set);
    CHECK_ERR(&err, "Xen reads '4096M' and stops at 'B'");
    /* the first refused part ends the list; the parts before it stay applied
     * (issue 10, input 4: a parameter glued on with a comma) */
    m = (md_bootcfg_dom0mem){ 0 };
    md_err_clear(&err);
    CHECK(md_bootcfg_dom0_mem_apply(&m, "10794M,max:10794M,max_loops=255", false, &bad,
                                    &err) == -1);
    CHECK(bad == strlen("10794M,max:10794M,") && m.amount.set && m.max.set);
    CHECK_ERR(&err, "glued on with a comma");
    m = (md_bootcfg_dom0mem){ 0 };
    CHECK(md_bootcfg_dom0_mem_apply(&m, "1G,max:2X,max:3G", false, &bad, &err) == -1);
    CHECK(m.amount.bytes == 1ULL << 30 && !m.max.set);
    /* every dom0_mem= word is applied in order, each overriding its own field
     * (issue 10, input 6: "dom0_mem=4096M dom0_mem=max:4096M" sets both) */
    m = (md_bootcfg_dom0mem){ 0 };
    CHECK(md_bootcfg_dom0_mem_apply(&m, "4096M", false, NULL, &err) == 0);
    CHECK(md_bootcfg_dom0_mem_apply(&m, "max:4096M", false, NULL, &err) == 0);
    CHECK(m.amount.bytes == 4ULL << 30 && m.max.bytes == 4ULL << 30);
    CHECK(md_bootcfg_dom0_mem_apply(&m, "2G", false, NULL, &err) == 0);
    CHECK(m.amount.bytes == 2ULL << 30 && m.max.bytes == 4ULL << 30);
    /* the boot reads all words the same way */
    {
        md_bootcfg_entry e = { 0 };
        md_strv_split(&e.xen.args, "dom0_mem=1024M console=com1 dom0_mem=max:1024M", false);
        uint64_t mib = 0;
        CHECK(md_bootcfg_dom0_mem(&e, &mib, &err) == 0 && mib == 1024);
        md_bootcfg_file_free(&e.xen);
    }
    /* Arm: one <size> (pandoc "dom0_mem (ARM)"); the size is applied even
     * when text follows it, which Xen reports as invalid */
    m = (md_bootcfg_dom0mem){ 0 };
    CHECK(md_bootcfg_dom0_mem_apply(&m, "1024M", true, NULL, &err) == 0);
    CHECK(m.amount.bytes == 1ULL << 30);
    md_err_clear(&err);
    CHECK(md_bootcfg_dom0_mem_apply(&m, "2G,max:2G", true, &bad, &err) == -1);
    CHECK(m.amount.bytes == 2ULL << 30 && bad == 2);
    CHECK_ERR(&err, "dom0_mem=2G,max:2G: on Arm dom0_mem is one size, like 1024M (no max:, min:, "
                    "list or percentage: parse_dom0_mem() in xen/arch/arm/domain_build.c): Xen "
                    "reads '2G' and rejects the rest, ',max:2G' (Xen's boot log: parameter "
                    "\"dom0_mem\" has invalid value \"2G,max:2G\")");
    /* "max:" has no digit: the 'm' is read as the unit of 0, which is set
     * (fresh-user trial of #10: "'ax:1G' is not an amount" said nothing) */
    md_err_clear(&err);
    CHECK(md_bootcfg_dom0_mem_apply(&m, "max:1G", true, &bad, &err) == -1);
    CHECK(m.amount.set && m.amount.bytes == 0 && bad == 1);
    CHECK_ERR(&err, "Xen finds no digit, reads the 'm' as the unit of the number 0, and rejects "
                    "the rest, 'ax:1G'");
    md_err_clear(&err);
    CHECK(md_bootcfg_dom0_mem_apply(&m, "08G", true, &bad, &err) == -1);
    CHECK(m.amount.bytes == 0 && bad == 1);
    CHECK_ERR(&err, "a leading 0 makes Xen read the number as octal (simple_strtoull with base 0), "
                    "and '8' is no octal digit, so Xen reads 0 and rejects the rest, '8G'");
    md_err_clear(&err);
    CHECK(md_bootcfg_dom0_mem_apply(&m, "10%", true, &bad, &err) == -1);
    CHECK(m.amount.bytes == 10 && bad == 2);
    CHECK_ERR(&err, "Xen reads '10' as 10 bytes (no unit applies before a '%')");
}

/* `text` read as its format is detected; the list is the caller's. */
static md_bootcfg_list read_fmt(const char *text, md_bootfmt want)
{
    md_bootcfg_list l = { 0 };
    md_bootfmt f = md_bootfmt_detect(text, strlen(text));
    CHECK(f == want);
    md_bootfmt_read(f, text, strlen(text), &l);
    return l;
}

static bool has_problem(const md_bootcfg_list *l, unsigned line, const char *needle)
{
    for (size_t i = 0; i < l->nproblems; i++)
        if (l->problems[i].line == line && strstr(l->problems[i].msg, needle))
            return true;
    return false;
}

/* GRUB's defaults as grub-mkconfig sources them and 20_linux_xen (Debian's
 * grub-common 2.06) turns them into entries: the normal one, then recovery
 * from GRUB_CMDLINE_XEN and "single GRUB_CMDLINE_LINUX" alone. */
static void test_read_grub_defaults(void)
{
    md_bootcfg_list l = read_fmt("GRUB_CMDLINE_XEN=\"iommu=1\"\n"
                                 "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2G,max:2G\"\n"
                                 "GRUB_CMDLINE_LINUX=\"console=hvc0\"\n"
                                 "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n",
                                 MD_BOOTFMT_GRUB_DEFAULT);
    CHECK(l.n == 2);
    if (l.n == 2) {
        const md_bootcfg_entry *e = l.v[0], *r = l.v[1];
        CHECK(!e->recovery && r->recovery && r->xen_var_set);
        CHECK_ARGS(e->xen, "iommu=1 dom0_mem=2G,max:2G");
        CHECK(e->xen.line == 2 && !e->xen.file); /* where dom0_mem is */
        CHECK_ARGS(e->kernel, "console=hvc0 quiet");
        CHECK_ARGS(r->xen, "iommu=1");
        CHECK(r->xen.line == 1);
        CHECK_STR(r->xen_var, "GRUB_CMDLINE_XEN=\"iommu=1\"");
        CHECK_ARGS(r->kernel, "single console=hvc0");
        CHECK(r->kernel.line == 3);
        CHECK(r->nmods == 1 && r->mods[0].nounzip);
    }
    md_bootcfg_list_free(&l);
    /* GRUB_DISABLE_RECOVERY=true: no recovery entry; an empty REPLACE
     * variable replaces nothing ([ "$GRUB_CMDLINE_LINUX_XEN_REPLACE" ]) */
    l = read_fmt("GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2G,max:2G\"\nGRUB_DISABLE_RECOVERY=\"true\"\n"
                 "GRUB_CMDLINE_LINUX=\"console=hvc0\"\nGRUB_CMDLINE_LINUX_XEN_REPLACE=\n",
                 MD_BOOTFMT_GRUB_DEFAULT);
    CHECK(l.n == 1);
    if (l.n == 1)
        CHECK_ARGS(l.v[0]->kernel, "console=hvc0");
    md_bootcfg_list_free(&l);
    /* a GRUB_CMDLINE_LINUX_XEN_REPLACE replaces the dom0 kernel's
     * parameters: its line is the line's, with console= (grub10 5) */
    l = read_fmt("GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\nGRUB_TIMEOUT=5\n"
                 "GRUB_CMDLINE_LINUX_XEN_REPLACE=\"console=hvc0\"\n", MD_BOOTFMT_GRUB_DEFAULT);
    CHECK(l.n == 2);
    if (l.n == 2) {
        CHECK_ARGS(l.v[0]->kernel, "console=hvc0 quiet");
        CHECK(l.v[0]->kernel.line == 3);
    }
    md_bootcfg_list_free(&l);
    /* GRUB_CMDLINE_XEN unset: the recovery Xen line is placed where the
     * normal one is, and has nothing */
    l = read_fmt("GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=2G,max:2G\"\n", MD_BOOTFMT_GRUB_DEFAULT);
    CHECK(l.n == 2);
    if (l.n == 2) {
        CHECK(!l.v[1]->xen_var_set && !l.v[1]->xen_var && l.v[1]->xen.line == 1);
        CHECK(l.v[1]->xen.args.n == 0);
    }
    md_bootcfg_list_free(&l);

    /* several files in one shell, later ones override, $VAR is the value so
     * far; each line names the file that set it */
    const char *names[] = { "/etc/default/grub", "/etc/default/grub.d/xen.cfg" };
    const char *texts[] = { "GRUB_CMDLINE_XEN=\"iommu=1\"\nGRUB_CMDLINE_XEN_DEFAULT=dom0_mem=1G\n"
                            "GRUB_CMDLINE_LINUX=\"console=hvc0\"\n",
                            "\nGRUB_CMDLINE_XEN=\"$GRUB_CMDLINE_XEN $NOT_SET "
                            "gnttab_max_frames=256\"\n"
                            "GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem=4G,max:4G\"\n" };
    size_t lens[] = { strlen(texts[0]), strlen(texts[1]) };
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_defaults(names, texts, lens, 2, true, &l);
    CHECK(l.n == 2);
    if (l.n == 2) {
        const md_bootcfg_entry *e = l.v[0], *r = l.v[1];
        CHECK_ARGS(e->xen, "iommu=1 gnttab_max_frames=256 dom0_mem=4G,max:4G");
        CHECK(e->xen.line == 3 && e->xen.file && !strcmp(e->xen.file, names[1]));
        CHECK(e->kernel.line == 3 && e->kernel.file && !strcmp(e->kernel.file, names[0]));
        CHECK(!e->xen.unset.n); /* /etc/default/grub given: $NOT_SET is empty */
        CHECK_ARGS(r->xen, "iommu=1 gnttab_max_frames=256");
        CHECK(r->xen.line == 2 && r->xen.file && !strcmp(r->xen.file, names[1]));
    }
    md_bootcfg_list_free(&l);
    /* grub.d files alone: a variable none sets may be set elsewhere */
    md_bootfmt_read_defaults(names + 1, texts + 1, lens + 1, 1, false, &l);
    if (l.n >= 1)
        CHECK(l.v[0]->xen.unset.n == 2);
    md_bootcfg_list_free(&l);
}

/* The readers read as the loaders do (the trial-lint report's reader
 * defects): GRUB 2 variables in order, xen.cfg as Xen's EFI loader, a
 * byte order mark, iPXE's image list, mboot.c32's '---'. */
/* Trial 10d: loader semantics the readers follow.  20: a value of
 * /etc/default/grub goes into grub.cfg as it is, where GRUB's lexer removes
 * the quotes; 17: a menuentry's extra words are $2.., a function call's
 * words its $1..; 07: an iPXE goto to the shared modules is followed with
 * the images loaded so far; 03: INCLUDE files are listed. */
static void test_read_trial10d(void)
{
    md_strv w = { 0 };
    md_grubcfg_args("dom0_mem='1024M,max:1024M' \"a b\" x\\ y #c", true, &w);
    CHECK(w.n == 5);
    if (w.n == 5) {
        CHECK_STR(w.v[0], "dom0_mem=1024M,max:1024M");
        CHECK_STR(w.v[1], "\"a");   /* Xen: a quoted space splits */
        CHECK_STR(w.v[2], "b\"");
        CHECK_STR(w.v[3], "\"x");
        CHECK_STR(w.v[4], "y\"");
    }
    md_strv_free(&w);
    md_grubcfg_args("console=ttyS0 'console=hvc0' \"a b\"", false, &w);
    CHECK(w.n == 3);
    if (w.n == 3) {
        CHECK_STR(w.v[1], "console=hvc0");
        CHECK_STR(w.v[2], "a b");   /* Linux: one word, GRUB quotes it */
    }
    md_strv_free(&w);

    md_bootcfg_list l = read_fmt("GRUB_CMDLINE_XEN_DEFAULT=\"dom0_mem='1G,max:1G' x=1\"\n",
                                 MD_BOOTFMT_GRUB_DEFAULT);
    CHECK(l.n >= 1);
    if (l.n)
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "dom0_mem", false), "1G,max:1G");
    md_bootcfg_list_free(&l);

    l = read_fmt("menuentry 'X' --class xen 'dom0_mem=8G' {\nmultiboot2 /xen.gz $2 t=$1 u=$3\n"
                 "module2 /vmlinuz\n}\n", MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1);
    if (l.n == 1) {
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "dom0_mem", false), "8G");
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "t", false), "X");
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "u", false), "");
        CHECK(l.v[0]->xen.unset.n == 0);
    }
    md_bootcfg_list_free(&l);
    /* expanded when the menuentry is defined: in a for loop once per
     * value, the title too (issue 10, grub10 1); the words from one with a
     * value the file does not fix on are unknown, a quoted '$' is text */
    l = read_fmt("for mem in 1G 2G; do\nmenuentry \"Xen $mem\" \"$mem\" {\n"
                 "multiboot2 /xen.gz dom0_mem=$2 n=$#\nmodule2 /vmlinuz\n}\ndone\n",
                 MD_BOOTFMT_GRUB2);
    CHECK(l.n == 2);
    for (size_t i = 0; l.n == 2 && i < 2; i++) {
        CHECK_STR(l.v[i]->title, i ? "Xen 2G" : "Xen 1G");
        CHECK_STR(md_bootcfg_param(&l.v[i]->xen, "dom0_mem", false), i ? "2G" : "1G");
        CHECK_STR(md_bootcfg_param(&l.v[i]->xen, "n", false), "2");
        CHECK(l.v[i]->xen.unset.n == 0 && l.v[i]->xen.line == 3);
    }
    md_bootcfg_list_free(&l);
    l = read_fmt("if [ a = b ]; then set m=1G; else set m=2G; fi\n"
                 "menuentry X a$u $m '$m' {\nmultiboot2 /xen.gz t=$1 x=$2 y=$3 z=$4\n"
                 "module2 /vmlinuz\n}\n", MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1);
    if (l.n == 1) {
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "t", false), "X");
        CHECK(l.v[0]->xen.unset.n == 3);
    }
    md_bootcfg_list_free(&l);
    l = read_fmt("menuentry X '$m' {\nmultiboot2 /xen.gz x=$2\nmodule2 /vmlinuz\n}\n",
                 MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1);
    if (l.n == 1)
        CHECK(!l.v[0]->xen.unset.n &&
              !strcmp(md_bootcfg_param(&l.v[0]->xen, "x", false), "$m"));
    md_bootcfg_list_free(&l);
    /* more ways than MAX_PATHS (32): not followed one by one, unknown */
    md_strv big = { 0 };
    for (int i = 0; i < 40; i++)
        md_strv_pushf(&big, "%dG", i + 1);
    char *vals = md_strv_join(&big, " ");
    char *cfg = md_xasprintf("for m in %s; do\nmenuentry \"Xen $m\" $m {\n"
                             "multiboot2 /xen.gz dom0_mem=$2\nmodule2 /vmlinuz\n}\ndone\n", vals);
    l = read_fmt(cfg, MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1);
    if (l.n == 1)
        CHECK(l.v[0]->xen.unset.n == 1 && !strcmp(l.v[0]->title, "Xen $m"));
    md_bootcfg_list_free(&l);
    free(cfg);
    free(vals);
    md_strv_free(&big);
    l = read_fmt("function f {\nmultiboot2 /xen.gz dom0_mem=$1\nmodule2 /vmlinuz\n}\n"
                 "menuentry 'X' 'dom0_mem=8G' {\nf 2G\nmodule2 /i.gz a=$1\n}\n", MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1);
    if (l.n == 1) {
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "dom0_mem", false), "2G");
        CHECK(l.v[0]->nmods == 1);
        if (l.v[0]->nmods == 1) /* the caller's $1 again after the call */
            CHECK_STR(md_bootcfg_param(&l.v[0]->mods[0], "a", false), "X");
    }
    md_bootcfg_list_free(&l);

    /* a call's words with variables: GRUB expands them before the call,
     * so $1 is the value of $mem, not a "$1" lint cannot check (issue 10,
     * L2); split at white space unless quoted; a function's own $2 passed
     * on to another */
    l = read_fmt("set mem=dom0_mem=4G\nset two='a=1 b=2'\nfunction f {\n"
                 "multiboot2 /xen.gz $1 x=$3\nmodule2 /vmlinuz\n}\n"
                 "menuentry X {\nf $mem $two\n}\n", MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1);
    if (l.n == 1) {
        CHECK(l.v[0]->xen.unset.n == 0 && l.v[0]->xen.line == 4);
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "dom0_mem", false), "4G");
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "x", false), "b=2");
    }
    md_bootcfg_list_free(&l);
    l = read_fmt("function g {\nmultiboot2 /xen.gz $1\nmodule2 /vmlinuz\n}\n"
                 "function f {\ng \"$2\"\n}\nmenuentry X {\nf a dom0_mem=2G\n}\n",
                 MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1);
    if (l.n == 1) {
        CHECK(l.v[0]->xen.unset.n == 0);
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "dom0_mem", false), "2G");
    }
    md_bootcfg_list_free(&l);
    /* one it cannot follow: that word and the ones after it unknown */
    l = read_fmt("function f {\nmultiboot2 /xen.gz $2 y=$1\nmodule2 /vmlinuz\n}\n"
                 "menuentry X {\nf a$u dom0_mem=1G\n}\n", MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1);
    if (l.n == 1)
        CHECK(l.v[0]->xen.unset.n == 2);
    md_bootcfg_list_free(&l);

    l = read_fmt("#!ipxe\niseq ${platform} efi && goto efi || goto bios\n:efi\n"
                 "kernel /xen.efi dom0_mem=1G,max:1G\ngoto common\n:bios\nkernel /xen.gz\n"
                 ":common\nmodule /vmlinuz console=hvc0\nmodule /initrd.gz\nboot\n",
                 MD_BOOTFMT_IPXE);
    CHECK(l.n == 2 && l.nproblems == 0);
    for (size_t i = 0; i < l.n; i++) {
        CHECK(l.v[i]->xen.line == 4 || l.v[i]->xen.line == 7);
        CHECK(l.v[i]->kernel.path && l.v[i]->kernel.line == 9 && l.v[i]->nmods == 1);
    }
    md_bootcfg_list_free(&l);
    /* a loop, a label from a setting: "cannot check", no entry */
    l = read_fmt("#!ipxe\n:retry\nkernel /xen.gz dom0_mem=1G,max:1G\ngoto retry\n", MD_BOOTFMT_IPXE);
    CHECK(l.n == 0 && has_problem(&l, 3, "cannot check the Xen line on line 3"));
    md_bootcfg_list_free(&l);
    l = read_fmt("#!ipxe\nkernel /xen.gz\ngoto ${t}\n:a\nmodule /vmlinuz\nboot\n", MD_BOOTFMT_IPXE);
    CHECK(l.n == 0 && has_problem(&l, 2, "its label comes from a setting"));
    md_bootcfg_list_free(&l);

    /* every value a setting may hold, read in an entry each (trial10d 04, 10) */
    l = read_fmt("#!ipxe\nset m A\niseq ${platform} efi && set m B || echo bios\n"
                 "kernel /xen.gz x=${m}\nmodule /vmlinuz\nboot\n", MD_BOOTFMT_IPXE);
    CHECK(l.n == 2);
    if (l.n == 2) {
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "x", false), "B");
        CHECK_STR(l.v[0]->title, "${m} = B");
        CHECK_STR(md_bootcfg_param(&l.v[1]->xen, "x", false), "A");
        CHECK_STR(l.v[1]->title, "${m} = A");
        CHECK(l.v[1]->xen.unset.n == 0);
    }
    md_bootcfg_list_free(&l);
    l = read_fmt("#!ipxe\nset m A\niseq a b && set m B || set m C\nkernel /xen.gz x=${m}\n"
                 "module /vmlinuz\nboot\n", MD_BOOTFMT_IPXE);
    CHECK(l.n == 2); /* B or C: A is gone */
    for (size_t i = 0; i < l.n; i++)
        CHECK(strcmp(md_bootcfg_param(&l.v[i]->xen, "x", false), "A"));
    md_bootcfg_list_free(&l);
    l = read_fmt("#!ipxe\nmenu m\nitem --key s one S\nitem --gap\nitem two T\nchoose v\n"
                 "kernel /xen.gz x=${v}\nmodule /vmlinuz\nboot\n", MD_BOOTFMT_IPXE);
    CHECK(l.n == 2);
    if (l.n == 2) {
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "x", false), "one");
        CHECK_STR(md_bootcfg_param(&l.v[1]->xen, "x", false), "two");
    }
    md_bootcfg_list_free(&l);
    /* read: unknown as before */
    l = read_fmt("#!ipxe\nset m A\nread m\nkernel /xen.gz x=${m}\nmodule /vmlinuz\nboot\n",
                 MD_BOOTFMT_IPXE);
    CHECK(l.n == 1 && l.v[0]->xen.unset.n == 1);
    md_bootcfg_list_free(&l);
    /* the image's own path from a setting never set: as unknown as an
     * argument's, first (issue 10, H4) */
    l = read_fmt("#!ipxe\nkernel ${xen} dom0_mem=1G,max:1G\nmodule /vmlinuz\nboot\n",
                 MD_BOOTFMT_IPXE);
    CHECK(l.n == 1 && l.v[0]->xen.unset.n == 1 && !strcmp(l.v[0]->xen.unset.v[0], "xen"));
    md_bootcfg_list_free(&l);
    l = read_fmt("#!ipxe\nkernel ${base}/xen.gz x=${m}\nimgargs xen.gz y=${n}\nmodule /vmlinuz\n"
                 "boot\n", MD_BOOTFMT_IPXE);
    CHECK(l.n == 1 && l.v[0]->xen.unset.n == 2 && !strcmp(l.v[0]->xen.unset.v[0], "base") &&
          !strcmp(l.v[0]->xen.unset.v[1], "n"));
    md_bootcfg_list_free(&l);

    const char *sys = "DEFAULT xen\nINCLUDE pxelinux.cfg/xen.menu\n  menu include b.cfg tag\n"
                      "LABEL other\n  CONFIG other.cfg /boot/\n";
    CHECK(md_bootfmt_detect(sys, strlen(sys)) == MD_BOOTFMT_SYSLINUX);
    unsigned *lines = NULL;
    md_strv what = { 0 };
    CHECK(md_bootfmt_includes(sys, strlen(sys), &w, &lines, &what) == 3);
    if (w.n == 3 && lines && what.n == 3) {
        CHECK_STR(w.v[0], "pxelinux.cfg/xen.menu");
        CHECK_STR(w.v[1], "b.cfg");
        /* trial10g 12: a CONFIG label restarts syslinux with that file */
        CHECK_STR(w.v[2], "other.cfg");
        CHECK(lines[0] == 2 && lines[1] == 3 && lines[2] == 5);
        CHECK_STR(what.v[0], "INCLUDE");
        CHECK_STR(what.v[2], "CONFIG");
    }
    free(lines);
    md_strv_free(&w);
    md_strv_free(&what);
}

/* GRUB 2 environment contexts and command names (trial10g 1, 6). */
static void test_read_grub_contexts(void)
{
    /* a submenu copies only exported variables (grub_env_new_context()):
     * an unexported one is empty inside, said on the line; a plain
     * menuentry sees it; root is exported by GRUB itself */
    const char *cfg = "set o=\"dom0_mem=2G,max:2G\"\nset root=hd0,1\n"
                      "menuentry A {\nmultiboot2 /xen.gz $o\nmodule2 /vmlinuz\n}\n"
                      "submenu S {\nmenuentry B {\nmultiboot2 ($root)/xen.gz $o\nmodule2 /vmlinuz\n}\n}\n";
    md_bootcfg_list l = read_fmt(cfg, MD_BOOTFMT_GRUB2);
    CHECK(l.n == 2);
    if (l.n == 2) {
        CHECK_ARGS(l.v[0]->xen, "dom0_mem=2G,max:2G");
        CHECK(!l.v[1]->xen.args.n && !l.v[1]->xen.unset.n);
        CHECK_STR(l.v[1]->xen.path, "(hd0,1)/xen.gz");
        CHECK_STR(l.v[1]->title, "S>B");
    }
    CHECK(l.nproblems == 1 && l.problems && l.problems[0].line == 9 && l.problems[0].warning &&
          strstr(l.problems[0].msg, "uses $o (set on line 1), which is not exported") &&
          strstr(l.problems[0].msg, "add 'export o' after line 1"));
    md_bootcfg_list_free(&l);
    /* exported (before or after the set): copied, into nested submenus too;
     * a variable set inside a submenu reaches its entries, not a nested
     * submenu's; exported inside an if: not known */
    l = read_fmt("export o\nset o=\"dom0_mem=2G,max:2G\"\nsubmenu S {\nset k=console=hvc0\n"
                 "menuentry B {\nmultiboot2 /xen.gz $o\nmodule2 /vmlinuz $k\n}\n"
                 "submenu T {\nmenuentry C {\nmultiboot2 /xen.gz $o\nmodule2 /vmlinuz $k\n}\n}\n}\n",
                 MD_BOOTFMT_GRUB2);
    CHECK(l.n == 2);
    if (l.n == 2) {
        CHECK_ARGS(l.v[0]->xen, "dom0_mem=2G,max:2G");
        CHECK_ARGS(l.v[0]->kernel, "console=hvc0");
        CHECK_ARGS(l.v[1]->xen, "dom0_mem=2G,max:2G");
        CHECK(!l.v[1]->kernel.args.n);
    }
    md_bootcfg_list_free(&l);
    l = read_fmt("set o=\"dom0_mem=2G,max:2G\"\nif [ a = b ]; then export o; fi\n"
                 "submenu S {\nmenuentry B {\nmultiboot2 /xen.gz $o\nmodule2 /vmlinuz\n}\n}\n",
                 MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1 && l.v[0]->xen.unset.n == 1);
    md_bootcfg_list_free(&l);
    /* the command name is expanded: a plain set is followed; one set in
     * an if or never set makes the line "cannot check", naming it */
    l = read_fmt("set hv=multiboot2\nset m=module2\nmenuentry X {\n$hv /xen.gz dom0_mem=1G\n"
                 "${m} /vmlinuz console=hvc0\n}\n", MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1 && !l.unread);
    if (l.n == 1) {
        CHECK(l.v[0]->xen.mb2 && l.v[0]->xen.line == 4);
        CHECK_ARGS(l.v[0]->xen, "dom0_mem=1G");
        CHECK_ARGS(l.v[0]->kernel, "console=hvc0");
    }
    md_bootcfg_list_free(&l);
    l = read_fmt("if [ a = b ]; then set hv=multiboot2; fi\nmenuentry X {\n$hv /xen.gz dom0_mem=1G\n"
                 "module2 /vmlinuz console=hvc0\n$nothing\n}\n", MD_BOOTFMT_GRUB2);
    CHECK(l.n == 0 && l.unread && l.unread_line == 3 &&
          strstr(l.unread, "cannot check line 3: its command is named by $hv"));
    md_bootcfg_list_free(&l);
}

static void test_read_like_loaders(void)
{
    /* GRUB 2: the value current when the line runs; the second set wins */
    md_bootcfg_list l = read_fmt("set o=\"dom0_mem=2G,max:2G\"\nset o=\"dom0_mem=2G\"\n"
                                 "menuentry X {\nmultiboot2 /xen.gz $o\nmodule2 /vmlinuz\n}\n",
                                 MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1);
    if (l.n) {
        CHECK_ARGS(l.v[0]->xen, "dom0_mem=2G");
        CHECK(!l.v[0]->xen.unset.n && !l.v[0]->xen.maybe.n);
    }
    md_bootcfg_list_free(&l);
    /* a body runs after the whole top level; inside it, in order; a value
     * quoted stays one GRUB word, unquoted it splits; on the Xen line a word
     * with a space reaches Xen as GRUB passes it, in double quotes
     * (grub_create_loader_cmdline()), split at the space by Xen */
    l = read_fmt("set m=1G\nset c=\"a b\"\nmenuentry X {\nset m=2G\n"
                 "multiboot2 /xen.gz dom0_mem=${m},max:$m \"$c\" $c\nmodule2 /vmlinuz\n}\n"
                 "set m=3G\n", MD_BOOTFMT_GRUB2);
    if (l.n == 1) {
        CHECK_ARGS(l.v[0]->xen, "dom0_mem=2G,max:2G \"a b\" a b");
        CHECK(l.v[0]->xen.args.n == 5);
        CHECK_STR(l.v[0]->xen.args.v[1], "\"a");
    }
    md_bootcfg_list_free(&l);
    l = read_fmt("menuentry X {\nmultiboot2 /xen.gz dom0_mem=$m,max:$m\nmodule2 /vmlinuz\n}\n"
                 "set m=3G\n", MD_BOOTFMT_GRUB2);
    if (l.n == 1)
        CHECK_ARGS(l.v[0]->xen, "dom0_mem=3G,max:3G");
    md_bootcfg_list_free(&l);
    /* set inside an if: uncertain, so the line cannot be checked */
    l = read_fmt("set o=\"dom0_mem=2G,max:2G\"\nif [ x = y ]; then\nset o=\"dom0_mem=2G\"\nfi\n"
                 "menuentry X {\nmultiboot2 /xen.gz $o\nmodule2 /vmlinuz\n}\n",
                 MD_BOOTFMT_GRUB2);
    if (l.n == 1) {
        CHECK(l.v[0]->xen.unset.n == 1);
        CHECK_STR(l.v[0]->xen.unset.v[0], "o");
        CHECK(l.v[0]->xen.maybe.n == 2);
    }
    md_bootcfg_list_free(&l);
    /* ... unless no checked parameter depends on it (Debian's xen_rm_opts) */
    l = read_fmt("menuentry X {\nif [ x = y ]; then\nr=\nelse\nr=\"no-real-mode edd=off\"\nfi\n"
                 "multiboot2 /xen.gz dom0_mem=1G,max:1G $r\nmodule2 /vmlinuz\n}\n",
                 MD_BOOTFMT_GRUB2);
    if (l.n == 1)
        CHECK(l.v[0]->xen.unset.n == 0);
    md_bootcfg_list_free(&l);
    /* a function runs where it is called: its set, then the caller's
     * lines (trial10c case 7) */
    l = read_fmt("set o=dom0_mem=1G,max:1G\nfunction f { set o=dom0_mem=1G; }\n"
                 "menuentry X {\nf\nmultiboot2 /xen.gz $o\nmodule2 /vmlinuz\n}\n",
                 MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1);
    if (l.n == 1)
        CHECK(l.v[0]->xen.unset.n == 0 && l.v[0]->xen.args.n == 1 &&
              !strcmp(l.v[0]->xen.args.v[0], "dom0_mem=1G"));
    md_bootcfg_list_free(&l);
    /* its multiboot2 and the caller's module2 lines are one entry */
    l = read_fmt("function load_xen {\n multiboot2 /xen.gz dom0_mem=1G,max:1G\n}\n"
                 "menuentry 'Xen' {\n load_xen\n module2 /vmlinuz console=hvc0\n"
                 " module2 --nounzip /rootfs.cpio.gz\n}\n", MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1);
    if (l.n == 1) {
        CHECK_STR(l.v[0]->title, "Xen");
        CHECK(l.v[0]->xen.line == 2 && l.v[0]->nmods == 1);
        CHECK_STR(l.v[0]->kernel.path, "/vmlinuz");
    }
    md_bootcfg_list_free(&l);
    /* a function that calls itself twice would run 2^32 times: calls stop
     * at 65,536 commands in all, said on the first call not followed.
     * 1,048,576 took 2 to 3 s of CPU in the sanitized builds, past the
     * fuzz pass's 10 s limit on a loaded machine (trial 9m) */
    clock_t t0 = clock();
    l = read_fmt("function f {\n f\n f\n}\nfunction g {\n multiboot2 /xen.gz $1\n}\n"
                 "menuentry a {\n f\n g dom0_mem=1G\n module2 /vmlinuz console=hvc0\n}\n",
                 MD_BOOTFMT_GRUB2);
    double cpu = (double)(clock() - t0) / CLOCKS_PER_SEC;
    CHECK(cpu < 1.0);
    CHECK(l.unread && l.unread_line == 2 && strstr(l.unread, "function 'f'") &&
          strstr(l.unread, "more than 65536 commands in all"));
    md_bootcfg_list_free(&l);
    /* never called: never run */
    l = read_fmt("function f {\n multiboot2 /xen.gz\n}\n", MD_BOOTFMT_GRUB2);
    CHECK(l.n == 0 && l.nproblems == 0);
    md_bootcfg_list_free(&l);
    /* initrd after multiboot2; a menuentry never closed */
    l = read_fmt("menuentry X {\nmultiboot2 /xen.gz\nmodule2 /vmlinuz\ninitrd /i.img\n}\n"
                 "menuentry Y {\nmultiboot2 /xen.gz\nmodule2 /vmlinuz\n",
                 MD_BOOTFMT_GRUB2);
    CHECK(l.n == 1);
    CHECK(has_problem(&l, 4, "menuentry 'X': initrd after multiboot2 (line 2)"));
    CHECK(has_problem(&l, 4, "use module2 --nounzip /i.img"));
    for (size_t i = 0; i < l.nproblems; i++)
        if (l.problems[i].line == 4)
            CHECK_STR(l.problems[i].fix, "module2 --nounzip /i.img");
    CHECK(has_problem(&l, 6, "menuentry 'Y' on line 6 has no closing '}'"));
    md_bootcfg_list_free(&l);

    /* xen.cfg: first options= wins, '#' anywhere, tab ends a line: the
     * tab is a problem that names the line, with the line as meant (tabs
     * as spaces) as its fix, and the entry is read as meant, so the rest is
     * checked on what the user wrote (trial10b case 9) */
    l = read_fmt("[global]\ndefault=x\n[x]\noptions=dom0_mem=1G#,max:1G\noptions=dom0_mem=2G\n"
                 "kernel=vmlinuz a\tb\n[x]\noptions=dom0_mem=3G\nkernel=v\n", MD_BOOTFMT_XEN_EFI);
    CHECK(l.n == 1 && l.nproblems == 1);
    CHECK(has_problem(&l, 6, "line 6: the tab after 'kernel=vmlinuz a' ends the dom0 kernel line"));
    CHECK(l.nproblems == 1 && !strcmp(l.problems[0].fix, "kernel=vmlinuz a b"));
    if (l.n == 1) {
        CHECK_ARGS(l.v[0]->xen, "dom0_mem=1G");
        CHECK(l.v[0]->xen.line == 4);
        CHECK_ARGS(l.v[0]->kernel, "a b");
    }
    md_bootcfg_list_free(&l);
    /* ... and a last line without a newline: Xen warns that it ignores it,
     * but its reader runs past the end of the file; the line is read as
     * written and the problem says what is lost (trap 4: its dom0_mem) */
    l = read_fmt("[global]\ndefault=x\n[x]\nkernel=vmlinuz\noptions=dom0_mem=1G,max:1G",
                 MD_BOOTFMT_XEN_EFI);
    CHECK(has_problem(&l, 5, "last line will be ignored', and if it does, section 'x' loses "
                             "its Xen options: no dom0_mem"));
    CHECK(l.nproblems == 1 && l.problems[0].trap == 4 && l.problems[0].unchecked &&
          !l.problems[0].warning);
    if (l.n == 1)
        CHECK_ARGS(l.v[0]->xen, "dom0_mem=1G,max:1G");
    md_bootcfg_list_free(&l);
    /* a last line Xen takes nothing from (the first kernel= wins): a warning */
    l = read_fmt("[x]\nkernel=vmlinuz\noptions=dom0_mem=1G,max:1G\nkernel=other",
                 MD_BOOTFMT_XEN_EFI);
    CHECK(l.nproblems == 1 && l.problems[0].warning && !l.problems[0].unchecked &&
          !l.problems[0].trap);
    if (l.n == 1)
        CHECK_STR(l.v[0]->kernel.path, "vmlinuz");
    md_bootcfg_list_free(&l);
    /* "default = x": no default= to Xen (get_value() wants '=' right after
     * the key), which boots the first kernel= and options= of the file:
     * said on line 2, an error when that is another section's (grub10 4) */
    l = read_fmt("[global]\ndefault = good\n[bad]\noptions=dom0_mem=4G\nkernel=vmlinuz-bad\n"
                 "[good]\noptions=dom0_mem=1G,max:1G\nkernel=vmlinuz\n", MD_BOOTFMT_XEN_EFI);
    CHECK(has_problem(&l, 2, "line 2 ('default = good') is ignored by Xen: the space before '='"));
    CHECK(has_problem(&l, 2, "boots the first kernel= of the whole file (line 5) with its first "
                             "options= (options= of line 4)"));
    CHECK(l.nproblems == 1 && !l.problems[0].warning &&
          !strcmp(l.problems[0].fix, "default=good"));
    CHECK(l.n == 1);
    if (l.n == 1)
        CHECK_STR(l.v[0]->kernel.path, "vmlinuz-bad");
    md_bootcfg_list_free(&l);
    l = read_fmt("[global]\ndefault =good\n[good]\noptions=dom0_mem=1G,max:1G\nkernel=vmlinuz\n",
                 MD_BOOTFMT_XEN_EFI);
    CHECK(has_problem(&l, 2, "which are those of section [good] only because it comes first"));
    CHECK(l.nproblems == 1 && l.problems[0].warning);
    md_bootcfg_list_free(&l);
    /* a trailing comment leaves nothing unterminated: Xen does not warn */
    l = read_fmt("[x]\nkernel=vmlinuz\noptions=dom0_mem=1G,max:1G # end", MD_BOOTFMT_XEN_EFI);
    CHECK(l.nproblems == 0);
    md_bootcfg_list_free(&l);

    /* a byte order mark: iPXE refuses the script; GRUB 2 keeps the names */
    l = read_fmt("\xEF\xBB\xBF#!ipxe\nkernel /xen dom0_mem=1G,max:1G\nmodule /vmlinuz\nboot\n",
                 MD_BOOTFMT_IPXE);
    CHECK(has_problem(&l, 1, "byte order mark before #!ipxe"));
    CHECK(l.n == 1);
    md_bootcfg_list_free(&l);
    l = read_fmt("\xEF\xBB\xBFmenuentry 'X' {\nmultiboot2 /xen.gz\nmodule2 /vmlinuz\n}\n",
                 MD_BOOTFMT_GRUB2);
    if (l.n == 1)
        CHECK_STR(l.v[0]->title, "X");
    md_bootcfg_list_free(&l);

    /* iPXE: imgexec runs an image; every other registered one is a module */
    l = read_fmt("#!ipxe\nimgfetch --name xen /xen.gz dom0_mem=${mem}\nimgfetch /vmlinuz "
                 "console=hvc0\ninitrd /initrd.gz\nimgexec xen\n", MD_BOOTFMT_IPXE);
    CHECK(l.n == 1);
    if (l.n == 1) {
        const md_bootcfg_entry *e = l.v[0];
        CHECK_STR(e->xen.path, "/xen.gz");
        CHECK(e->xen.line == 2 && e->xen.unset.n == 1);
        CHECK_STR(e->kernel.path, "/vmlinuz");
        CHECK(e->nmods == 1);
        if (e->nmods)
            CHECK_STR(e->mods[0].path, "/initrd.gz");
    }
    md_bootcfg_list_free(&l);

    /* iPXE: a name given with --name is the image to imgselect, imgargs,
     * chain: iPXE takes the image of that name, not a URI "xen" (issue 10,
     * M2: "imgselect xen" made an entry of its own of line 2 and one of a
     * Xen "xen" without dom0_mem on line 5) */
    l = read_fmt("#!ipxe\nkernel --name xen http://x/xen.gz dom0_mem=4G\nmodule /vmlinuz\n"
                 "module /initrd.gz\nimgselect xen\nboot\n", MD_BOOTFMT_IPXE);
    CHECK(l.n == 1);
    if (l.n == 1) {
        CHECK_STR(l.v[0]->xen.path, "http://x/xen.gz");
        CHECK(l.v[0]->xen.line == 2 && l.v[0]->nmods == 1);
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "dom0_mem", false), "4G");
    }
    md_bootcfg_list_free(&l);
    /* words after the name replace its command line, on their line */
    l = read_fmt("#!ipxe\nkernel --name xen http://x/xen.gz dom0_mem=4G,max:4G\n"
                 "module /vmlinuz\nmodule /initrd.gz\nimgselect xen dom0_mem=2G\nboot\n",
                 MD_BOOTFMT_IPXE);
    CHECK(l.n == 1);
    if (l.n == 1) {
        CHECK(l.v[0]->xen.line == 5);
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "dom0_mem", false), "2G");
    }
    md_bootcfg_list_free(&l);
    /* the name from a setting, as iPXE expands it; imgargs alone clears */
    l = read_fmt("#!ipxe\nset n xen\nkernel --name ${n} /xen.gz dom0_mem=4G,max:4G\n"
                 "module /vmlinuz\nimgargs xen dom0_mem=2G\nchain ${n}\n", MD_BOOTFMT_IPXE);
    CHECK(l.n == 1);
    if (l.n == 1) {
        CHECK(l.v[0]->xen.line == 5 && !l.v[0]->nmods);
        CHECK_STR(md_bootcfg_param(&l.v[0]->xen, "dom0_mem", false), "2G");
    }
    md_bootcfg_list_free(&l);
    l = read_fmt("#!ipxe\nimgfetch -n xen /xen.gz dom0_mem=4G\nmodule /vmlinuz\nimgargs xen\n"
                 "imgexec xen\n", MD_BOOTFMT_IPXE);
    CHECK(l.n == 1);
    if (l.n == 1)
        CHECK(l.v[0]->xen.line == 4 && !l.v[0]->xen.args.n);
    md_bootcfg_list_free(&l);

    /* pxelinux: "---vmlinuz" is no separator to mboot.c32, which then
     * boots i.gz as the dom0 kernel: the entry as it reads it (trial10c
     * case 9: "no Xen entry" beside this problem contradicted it) */
    l = read_fmt("label x\nkernel mboot.c32\nappend xen.gz dom0_mem=1G ---vmlinuz --- i.gz\n",
                 MD_BOOTFMT_SYSLINUX);
    CHECK(l.n == 1);
    if (l.n == 1) {
        CHECK(l.v[0]->xen.args.n == 2 && !strcmp(l.v[0]->xen.args.v[1], "---vmlinuz"));
        CHECK_STR(l.v[0]->kernel.path, "i.gz");
    }
    CHECK(has_problem(&l, 3, "label 'x': '---vmlinuz': mboot.c32 splits"));
    md_bootcfg_list_free(&l);

    /* iPXE joins a line ending in '\' with the next (process_script(),
     * src/image/script.c): the kernel command starts on line 2 and its
     * dom0_mem= is on line 3, read whole and on line 2; the '\' is dropped
     * and nothing put in its place ("gnttab_max_frames=2\", "56" is 256),
     * a continuation's leading blanks are kept, and a '\' before
     * "\r\n" continues too */
    l = read_fmt("#!ipxe\nkernel /xen.gz console=com1 \\\n   dom0_mem=4G gnttab_max_frames=2\\\r\n"
                 "56\nmodule /vmlinuz console=hvc0\nboot\n", MD_BOOTFMT_IPXE);
    CHECK(l.n == 1 && !l.nproblems);
    if (l.n == 1) {
        CHECK(l.v[0]->xen.line == 2 && l.v[0]->kernel.line == 5);
        CHECK_ARGS(l.v[0]->xen, "console=com1 dom0_mem=4G gnttab_max_frames=256");
    }
    md_bootcfg_list_free(&l);
    /* a comment that ends in '\' takes the next line into the comment:
     * the first kernel line never runs */
    l = read_fmt("#!ipxe\n# old line \\\nkernel /xen.gz dom0_mem=4G\n"
                 "kernel /xen.gz dom0_mem=2G,max:2G\nmodule /vmlinuz\nboot\n", MD_BOOTFMT_IPXE);
    CHECK(l.n == 1 && !l.nproblems);
    if (l.n == 1) {
        CHECK(l.v[0]->xen.line == 4);
        CHECK_ARGS(l.v[0]->xen, "dom0_mem=2G,max:2G");
    }
    md_bootcfg_list_free(&l);
    /* an empty line after the '\' ends the command: it runs */
    l = read_fmt("#!ipxe\nkernel /xen.gz dom0_mem=2G,max:2G\nmodule /vmlinuz \\\n\nboot\n",
                 MD_BOOTFMT_IPXE);
    CHECK(l.n == 1 && !l.nproblems);
    md_bootcfg_list_free(&l);
    /* a '\' on the last line (with or without its "\n"): iPXE finds no line
     * to join, stops the script with EINVAL and never runs the command; an
     * error on that line, naming the line the command starts on */
    l = read_fmt("#!ipxe\nmodule /vmlinuz\nkernel /xen.gz \\\ndom0_mem=2G,max:2G \\\n",
                 MD_BOOTFMT_IPXE);
    CHECK(l.n == 0 && l.nproblems == 1);
    CHECK(has_problem(&l, 4, "line 4 ends with '\\' but is the script's last line"));
    CHECK(has_problem(&l, 4, "without running the command that starts on line 3 ('kernel')"));
    CHECK(l.nproblems == 1 && !l.problems[0].warning && l.problems[0].fix &&
          !strcmp(l.problems[0].fix, "dom0_mem=2G,max:2G "));
    md_bootcfg_list_free(&l);
    l = read_fmt("#!ipxe\nkernel /xen.gz dom0_mem=2G,max:2G\nmodule /vmlinuz\nboot \\",
                 MD_BOOTFMT_IPXE);
    CHECK(has_problem(&l, 4, "without running the command on it ('boot')"));
    md_bootcfg_list_free(&l);
    l = read_fmt("#!ipxe\n\\\n", MD_BOOTFMT_IPXE);
    CHECK(has_problem(&l, 2, "(no command is lost: the line is empty or a comment)"));
    md_bootcfg_list_free(&l);
}

/* trial10: the Xen line as x86 Xen cuts it at " -- " (__start_xen() in
 * xen/arch/x86/setup.c: strstr(cmdline, " -- ") on the cooked line, so a
 * first or last "--" is no separator), not on Arm; dom0's words as
 * create_dom0() builds them; relative amounts refused as not fixed. */
static void test_xen_line_split(void)
{
    static const struct {
        const char *line;
        bool arm;
        const char *xen, *extra;
    } cases[] = {
        { "multiboot2 /xen.gz a=1 -- dom0_mem=1G b=2\n", false, "a=1", "dom0_mem=1G b=2" },
        { "multiboot2 /xen.gz -- dom0_mem=1G\n", false, "-- dom0_mem=1G", "" },
        { "multiboot2 /xen.gz dom0_mem=1G --\n", false, "dom0_mem=1G --", "" },
        { "multiboot2 /xen.gz a=1 -- b=2 -- c=3\n", false, "a=1", "b=2 -- c=3" },
        { "xen_hypervisor /xen a=1 -- dom0_mem=1G\n", true, "a=1 -- dom0_mem=1G", "" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *cfg = md_xasprintf("%s%s /vmlinuz console=hvc0\n", cases[i].line,
                                 cases[i].arm ? "xen_module" : "module2");
        md_bootcfg_list l = { 0 };
        md_grubcfg_read(cfg, strlen(cfg), &l);
        CHECK(l.n == 1);
        if (l.n == 1) {
            char *x = md_strv_join(&l.v[0]->xen.args, " ");
            char *k = md_strv_join(&l.v[0]->dom0_extra, " ");
            CHECK_STR(x, cases[i].xen);
            CHECK_STR(k, cases[i].extra);
            md_strv d = { 0 };
            md_bootcfg_dom0_args(l.v[0], &d);
            CHECK(d.n == 1 + l.v[0]->dom0_extra.n);
            md_strv_free(&d);
            free(x);
            free(k);
        }
        md_bootcfg_list_free(&l);
        free(cfg);
    }
    /* dom0-mem is not dom0_mem to Xen; it is to Linux */
    md_bootcfg_file f = { 0 };
    md_strv_push(&f.args, "dom0-mem=1G");
    md_strv_push(&f.args, "root-fs=x");
    CHECK(md_bootcfg_param(&f, "dom0_mem", false) == NULL);
    CHECK_STR(md_bootcfg_param(&f, "dom0_mem", true), "1G");
    md_bootcfg_file_free(&f);
    /* -128M: all RAM but 128M; mkdom0 boot refuses it as lint does */
    md_bootcfg_dom0mem m;
    md_err err = MD_ERR_INIT;
    CHECK(md_bootcfg_parse_dom0_mem("-128M,max:-128M", &m, &err) == 0);
    CHECK(md_bootcfg_amount_relative(&m.amount) && md_bootcfg_amount_relative(&m.max));
    CHECK(md_bootcfg_parse_dom0_mem("4096M,max:4096M", &m, &err) == 0);
    CHECK(!md_bootcfg_amount_relative(&m.amount) && !md_bootcfg_amount_relative(&m.max));
    md_bootcfg_entry *e = md_xcalloc(1, sizeof *e);
    md_strv_push(&e->xen.args, "dom0_mem=-128M,max:-128M");
    uint64_t mib = 0;
    CHECK(md_bootcfg_dom0_mem(e, &mib, &err) < 0);
    CHECK(strstr(err.msg, "not a fixed size") != NULL);
    md_bootcfg_entry_free(e);
}

/* Every module of the entry is in the iPXE script and the pxelinux
 * config, each with its arguments, in order. */
static void test_netboot_two_modules(void)
{
    md_err err = MD_ERR_INIT;
    md_bootcfg c = MD_BOOTCFG_DEFAULTS;
    c.dom0_mem_mib = 2048;
    md_bootcfg_entry *e = md_bootcfg_make(&c, &err);
    CHECK(e != NULL && e->nmods == 1);
    if (!e || e->nmods != 1)
        return;
    e->mods = md_xrealloc(e->mods, 2 * sizeof *e->mods);
    e->mods[1] = (md_bootcfg_file){ .path = md_xstrdup("/ucode.bin") };
    md_strv_push(&e->mods[1].args, "x=1");
    e->nmods = 2;
    char *ipxe = md_bootfmt_write(MD_BOOTFMT_IPXE, e);
    char *sys = md_bootfmt_write(MD_BOOTFMT_SYSLINUX, e);
    CHECK(strstr(ipxe, "\nmodule /rootfs.cpio.gz || goto failed\n"
                       "module /ucode.bin x=1 || goto failed\nboot || goto failed\n") != NULL);
    CHECK(strstr(sys, " --- /rootfs.cpio.gz --- /ucode.bin x=1\n") != NULL);
    size_t len = strlen(sys);
    CHECK(len > 1 && sys[len - 1] == '\n' && sys[len - 2] == '1');
    free(ipxe);
    free(sys);
    md_bootcfg_entry_free(e);
}

/* The netboot configs are written from the build's entry and read back by
 * lint's readers with the same arguments, files and --nounzip; the lint
 * finds nothing (the build's self-lint relies on both). */
static void test_netboot_configs(void)
{
    md_err err = MD_ERR_INIT;
    md_bootcfg c = MD_BOOTCFG_DEFAULTS;
    c.dom0_mem_mib = 2048;
    c.xen_extra = "gnttab_max_frames=256";
    c.linux_extra = "loglevel=4";
    md_bootcfg_entry *e = md_bootcfg_make(&c, &err);
    CHECK(e != NULL);
    if (!e)
        return;
    md_bootmedia_netcfg nc[MD_BOOTMEDIA_NETCFGS];
    md_bootmedia_netboot_configs(e, nc);
    CHECK_STR(nc[0].path, "boot.ipxe");
    CHECK_STR(nc[1].path, "pxelinux.cfg/default");
    CHECK(nc[0].format == MD_BOOTFMT_IPXE && nc[1].format == MD_BOOTFMT_SYSLINUX);
    CHECK(strstr(nc[1].text, "kernel mboot.c32\n") != NULL);
    for (int i = 0; i < MD_BOOTMEDIA_NETCFGS; i++) {
        md_bootcfg_list l = read_fmt(nc[i].text, (md_bootfmt)nc[i].format);
        CHECK(l.n == 1 && l.nproblems == 0);
        if (l.n == 1) {
            const md_bootcfg_entry *r = l.v[0];
            CHECK_STR(r->xen.path, "xen");
            CHECK_STR(r->kernel.path, "vmlinuz");
            CHECK(r->nmods == 1 && r->mods[0].nounzip);
            if (r->nmods == 1) /* pxelinux's: with an empty plain cpio in front (mboot.c32) */
                CHECK_STR(r->mods[0].path, i == 1 ? "mboot/rootfs.cpio.gz" : "rootfs.cpio.gz");
            char *xa = md_strv_join(&r->xen.args, " ");
            char *wa = md_strv_join(&e->xen.args, " ");
            char *ka = md_strv_join(&r->kernel.args, " ");
            char *wk = md_strv_join(&e->kernel.args, " ");
            CHECK_STR(xa, wa);
            CHECK_STR(ka, wk);
            free(xa), free(wa), free(ka), free(wk);
        }
        md_lint *lint = md_lint_new();
        md_lint_entries(lint, nc[i].path, &l, NULL);
        CHECK(md_lint_count(lint) == 0);
        md_lint_free(lint);
        md_bootcfg_list_free(&l);
        free(nc[i].text);
    }
    /* GRUB 2 is the grub.cfg writer's, byte for byte. */
    char *a = md_bootfmt_write(MD_BOOTFMT_GRUB2, e), *b = md_grubcfg_write(e);
    CHECK_STR(a, b);
    free(a);
    free(b);
    /* Xen's EFI xen.cfg, read back as Xen reads it (lint's reader): one
     * entry with the same Xen and dom0 arguments, the files relative to
     * xen.efi, the ramdisk passed on as it is; and it lints clean. */
    char *x = md_bootfmt_write(MD_BOOTFMT_XEN_EFI, e);
    CHECK(x && md_bootfmt_detect(x, strlen(x)) == MD_BOOTFMT_XEN_EFI);
    md_bootcfg_list xl = { 0 };
    md_bootfmt_read(MD_BOOTFMT_XEN_EFI, x, strlen(x), &xl);
    CHECK(xl.n == 1 && xl.nproblems == 0);
    if (xl.n == 1) {
        const md_bootcfg_entry *r = xl.v[0];
        CHECK_STR(r->title, "mkdom0");
        CHECK_STR(r->kernel.path, "vmlinuz");
        CHECK(r->nmods == 1 && r->mods[0].nounzip);
        if (r->nmods == 1)
            CHECK_STR(r->mods[0].path, "rootfs.cpio.gz");
        char *xa = md_strv_join(&r->xen.args, " "), *wa = md_strv_join(&e->xen.args, " ");
        char *ka = md_strv_join(&r->kernel.args, " "), *wk = md_strv_join(&e->kernel.args, " ");
        CHECK_STR(xa, wa);
        CHECK_STR(ka, wk);
        free(xa), free(wa), free(ka), free(wk);
    }
    md_lint *xlint = md_lint_new();
    md_lint_entries(xlint, "xen.cfg", &xl, NULL);
    CHECK(md_lint_count(xlint) == 0);
    md_lint_free(xlint);
    md_bootcfg_list_free(&xl);
    free(x);
    md_bootcfg_entry_free(e);
}

/* GRUB's EFI chainloader lines are recorded for the caller (lint follows
 * Xen's EFI loader into its xen.cfg): the file, the words GRUB hands the
 * program (not its name), the line and the entry, once per line even when
 * an if's paths run it twice; they are no multiboot entry. */
static void test_grub_chainloader(void)
{
    const char *t = "set xen=/EFI/xen/xen.efi\n"
                    "menuentry 'Xen EFI' {\n"
                    "  if [ x$a = x1 ]; then set q=1; else set q=2; fi\n"
                    "  chainloader --force ($root)${xen} xen.efi -cfg=x.cfg -- dom0_mem=1G\n"
                    "}\n"
                    "menuentry 'Windows' {\n  chainloader +1\n}\n";
    md_bootcfg_list l = { 0 };
    md_grubcfg_read(t, strlen(t), &l);
    CHECK(l.n == 0);
    CHECK(l.nchains == 2);
    if (l.nchains == 2) {
        CHECK_STR(l.chains[0].title, "Xen EFI");
        CHECK_STR(l.chains[0].file.path, "($root)/EFI/xen/xen.efi");
        CHECK(l.chains[0].file.line == 4);
        CHECK(l.chains[0].file.args.n == 4);
        if (l.chains[0].file.args.n == 4) {
            CHECK_STR(l.chains[0].file.args.v[0], "xen.efi");
            CHECK_STR(l.chains[0].file.args.v[1], "-cfg=x.cfg");
            CHECK_STR(l.chains[0].file.args.v[2], "--");
            CHECK_STR(l.chains[0].file.args.v[3], "dom0_mem=1G");
        }
        CHECK_STR(l.chains[1].file.path, "+1");
        CHECK(l.chains[1].file.line == 7);
    }
    md_bootcfg_list_free(&l);
    /* a quoted word reaches the program as GRUB joins it, its quotes
     * removed and none added (grub_cmd_chainloader(); issue 10, H6) */
    t = "menuentry x {\n  chainloader /EFI/xen/xen.efi \"xen.efi fast\" '-- dom0_mem=1G'\n}\n";
    l = (md_bootcfg_list){ 0 };
    md_grubcfg_read(t, strlen(t), &l);
    CHECK(l.nchains == 1);
    if (l.nchains == 1) {
        CHECK(l.chains[0].file.args.n == 2);
        CHECK_ARGS(l.chains[0].file, "xen.efi fast -- dom0_mem=1G");
        for (size_t i = 0; i < l.chains[0].file.args.n; i++)
            CHECK(!strpbrk(l.chains[0].file.args.v[i], "\"'"));
    }
    md_bootcfg_list_free(&l);
}

/* A variable of a few known values inside a word ("x=$o") adds no
 * parameter of its own: each possible value is glued to the word's text
 * around it, as GRUB passes it (issue 10, M1: o="dom0_mem=2G" in one
 * branch was read as a second dom0_mem). */
static void test_grub_maybe_in_word(void)
{
    const char *t = "menuentry 'Xen' {\n"
                    "  while [ \"$a\" = 1 ]; do o=\"dom0_mem=2G q\"; done\n"
                    "  multiboot2 /xen.gz dom0_mem=4G,max:4G x=$o \"y=$o.z\"\n"
                    "  module2 /vmlinuz\n"
                    "}\n";
    md_bootcfg_list l = { 0 };
    md_grubcfg_read(t, strlen(t), &l);
    CHECK(l.n == 1);
    if (l.n == 1) {
        const md_bootcfg_file *x = &l.v[0]->xen;
        CHECK(md_strv_contains(&x->maybe, "x=dom0_mem=2G"));
        CHECK(md_strv_contains(&x->maybe, "q"));
        CHECK(md_strv_contains(&x->maybe, "y=dom0_mem=2G q.z"));
        CHECK(!md_strv_contains(&x->maybe, "dom0_mem=2G"));
        CHECK_STR(md_bootcfg_param(x, "dom0_mem", false), "4G,max:4G");
    }
    md_bootcfg_list_free(&l);
    /* set in an if's branches: one entry per way, each value as GRUB
     * passes it (fresh-user trial of #10, case 1) */
    t = "menuentry 'Xen' {\n"
        "  if [ \"$a\" = 1 ]; then o=\"dom0_mem=2G q\"; else o=\"\"; fi\n"
        "  multiboot2 /xen.gz dom0_mem=4G,max:4G x=$o \"y=$o.z\"\n"
        "  module2 /vmlinuz\n"
        "}\n";
    md_grubcfg_read(t, strlen(t), &l);
    CHECK(l.n == 2);
    if (l.n == 2) {
        CHECK_ARGS(l.v[0]->xen, "dom0_mem=4G,max:4G x=dom0_mem=2G q \"y=dom0_mem=2G q.z\"");
        CHECK_ARGS(l.v[1]->xen, "dom0_mem=4G,max:4G x= y=.z");
        for (size_t i = 0; i < 2; i++) {
            CHECK(!l.v[i]->xen.unset.n && !l.v[i]->xen.maybe.n);
            CHECK_STR(md_bootcfg_param(&l.v[i]->xen, "dom0_mem", false), "4G,max:4G");
        }
    }
    md_bootcfg_list_free(&l);
}

/* Trial 9m: a 100 MB boot config of one line of short words ("a a a")
 * took 20 times its bytes and had lint abort out of memory under a 2 GB
 * limit, in every format.  Past MD_BOOTCFG_MAX_TEXT a config is not
 * read, and the list says so (its unread, on no line). */
static void test_read_too_big(void)
{
    size_t n = MD_BOOTCFG_MAX_TEXT + 2;
    char *big = md_xmalloc(n + 1);
    for (size_t i = 0; i < n; i += 2)
        big[i] = 'a', big[i + 1] = ' ';
    static const char *const heads[] = { "menuentry x {\n multiboot2 /xen.gz ",
                                         "[global]\ndefault=x\n[x]\noptions=",
                                         "#!ipxe\nkernel /xen.gz ", "title x\nkernel /xen.gz ",
                                         "LABEL x\n KERNEL mboot.c32\n APPEND xen.gz " };
    static const md_bootfmt fmts[] = { MD_BOOTFMT_GRUB2, MD_BOOTFMT_XEN_EFI, MD_BOOTFMT_IPXE,
                                       MD_BOOTFMT_GRUB_LEGACY, MD_BOOTFMT_SYSLINUX };
    for (size_t k = 0; k < sizeof fmts / sizeof *fmts; k++) {
        size_t h = strlen(heads[k]);
        memcpy(big, heads[k], h);
        big[n] = '\0';
        md_bootcfg_list l = { 0 };
        md_bootfmt_read(fmts[k], big, n, &l);
        CHECK(l.n == 0 && l.unread && l.unread_line == 0 &&
              strstr(l.unread, "more than the 16 MiB read of a boot config"));
        md_bootcfg_list_free(&l);
    }
    const char *texts[] = { big };
    const size_t lens[] = { n };
    md_bootcfg_list l = { 0 };
    md_bootfmt_read_defaults(NULL, texts, lens, 1, false, &l);
    CHECK(l.n == 0 && l.unread && strstr(l.unread, "more than the 16 MiB"));
    md_bootcfg_list_free(&l);
    free(big);
}

/* xen.cfg as Xen's EFI loader boots it when started with a command line
 * and, for a unified image, its own .kernel and .ramdisk (efi_start() in
 * xen/common/efi/boot.c): the section named on the command line instead of
 * default=, the options after "--" after options=, what a missing section
 * or kernel= costs (issue 10: the chainloader's options were not applied
 * to a unified xen.efi). */
/* [global]'s chain= where the section has no kernel=: the reader names
 * the file and the section Xen boots from it (include, include_section)
 * for lint to follow; with st->chain_read it is a note, not "lint it as
 * well" (fresh-user trial of #10, case 2). */
static void test_xen_efi_chain(void)
{
    const char *t = "[global]\ndefault=xen\nchain=other.cfg\n[xen]\noptions=dom0_mem=1G\n";
    for (int read = 0; read < 2; read++) {
        md_bootcfg_list l = { 0 };
        md_bootfmt_efi_start st = { .chain = read ? MD_BOOTFMT_CHAIN_READ
                                                  : MD_BOOTFMT_CHAIN_UNREAD };
        md_bootfmt_read_xen_efi(t, strlen(t), &st, &l);
        CHECK(l.n == 0);
        CHECK_STR(l.include, "chain=other.cfg");
        CHECK(l.include_line == 3);
        CHECK_STR(l.include_section, "xen");
        CHECK(l.nproblems == 1);
        if (l.nproblems == 1) {
            CHECK(l.problems[0].line == 3);
            CHECK(l.problems[0].note == (read == 1));
            CHECK((strstr(l.problems[0].msg, "lint it as well") != NULL) == (read == 0));
        }
        md_bootcfg_list_free(&l);
    }
    /* a chain back into its own chain: Xen's loop never ends, an error on
     * the chain= line (trial10y H4); with and without default= */
    const char *self[] = { "[global]\ndefault=x\nchain=xen.cfg\n[x]\noptions=dom0_mem=4G\n",
                           "[global]\nchain=xen.cfg\n[x]\noptions=dom0_mem=4G\n" };
    for (int k = 0; k < 2; k++) {
        for (int named = 0; named < 2; named++) {
            md_bootcfg_list l = { 0 };
            md_bootfmt_efi_start st = { .chain = MD_BOOTFMT_CHAIN_LOOP,
                                        .loop = named ? "xen.cfg -> b.cfg -> xen.cfg" : "" };
            md_bootfmt_read_xen_efi(self[k], strlen(self[k]), &st, &l);
            CHECK(l.nproblems == 1);
            if (l.nproblems == 1) {
                CHECK(l.problems[0].line == 3 - (unsigned)k);
                CHECK(!l.problems[0].note && !l.problems[0].warning);
                CHECK(strstr(l.problems[0].msg, "again and again") != NULL);
                CHECK(strstr(l.problems[0].msg, "it never boots") != NULL);
                CHECK((strstr(l.problems[0].msg, "names this file itself") != NULL) == !named);
                CHECK((strstr(l.problems[0].msg, "xen.cfg -> b.cfg -> xen.cfg") != NULL) == named);
            }
            md_bootcfg_list_free(&l);
        }
    }
}

static void test_xen_efi_start(void)
{
    static const char cfg[] = "[global]\ndefault=safe\n"
                              "[safe]\noptions=dom0_mem=4G\nkernel=vmlinuz console=hvc0\n"
                              "ramdisk=initrd.img\n"
                              "[fast]\noptions=dom0_mem=4G,max:4G\nkernel=vmlinuz console=hvc0\n";
    md_strv opts = { 0 };
    md_strv_push(&opts, "dom0_mem=max:4G");
    md_strv_push(&opts, "--");
    md_strv_push(&opts, "quiet");
    /* plain: every section with kernel= (any can be named) */
    md_bootcfg_list l = { 0 };
    md_bootfmt_read_xen_efi(cfg, strlen(cfg), NULL, &l);
    CHECK(l.n == 2 && l.nproblems == 0);
    md_bootcfg_list_free(&l);
    /* a section named on the command line: that one alone; the options
     * after "--" follow options= and x86 Xen's own " -- " hands the rest
     * to dom0; their dom0_mem= is judged on the line that writes it */
    md_bootfmt_efi_start st = { "fast", &opts, "grub.cfg", 7, false, false, NULL, false, 0, NULL };
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_xen_efi(cfg, strlen(cfg), &st, &l);
    CHECK(l.n == 1 && l.nproblems == 0);
    if (l.n == 1) {
        CHECK_STR(l.v[0]->title, "fast");
        CHECK_ARGS(l.v[0]->xen, "dom0_mem=4G,max:4G dom0_mem=max:4G");
        CHECK_STR(l.v[0]->xen.file, "grub.cfg");
        CHECK(l.v[0]->xen.line == 7);
        CHECK(l.v[0]->dom0_extra.n == 1 && !strcmp(l.v[0]->dom0_extra.v[0], "quiet"));
        CHECK(l.v[0]->nmods == 0); /* no ramdisk= in [fast], no .ramdisk */
    }
    md_bootcfg_list_free(&l);
    /* the first word names a section: it is the loader's own name to
     * Xen, so default= boots, said on the command line's line (finding D) */
    st = (md_bootfmt_efi_start){ NULL, NULL, "grub.cfg", 7, false, false, "fast", false, 0, NULL };
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_xen_efi(cfg, strlen(cfg), &st, &l);
    CHECK(has_problem(&l, 7, "'fast', the first word of Xen's EFI loader's command line, is "
                             "taken for the loader's own name"));
    CHECK(has_problem(&l, 7, "so Xen boots section [safe] (default=), not section [fast]"));
    CHECK(l.nproblems == 1 && l.problems[0].warning && l.problems[0].file &&
          !strcmp(l.problems[0].file, "grub.cfg"));
    md_bootcfg_list_free(&l);
    /* ... and no word when it is the section that boots, or no section */
    st = (md_bootfmt_efi_start){ NULL, NULL, "grub.cfg", 7, false, false, "safe", false, 0, NULL };
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_xen_efi(cfg, strlen(cfg), &st, &l);
    CHECK(l.nproblems == 0);
    md_bootcfg_list_free(&l);
    st = (md_bootfmt_efi_start){ NULL, NULL, "grub.cfg", 7, false, false, "xen.efi", false, 0, NULL };
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_xen_efi(cfg, strlen(cfg), &st, &l);
    CHECK(l.nproblems == 0);
    md_bootcfg_list_free(&l);
    /* dtb=: Arm's loader reads the section's, else [global]'s; x86's none,
     * so with an x86 loader the section is x86's (issue 10, H5) */
    static const char dtb[] = "[global]\ndefault=xen\ndtb=g.dtb\n"
                              "[xen]\noptions=dom0_mem=4G,max:4G\nkernel=vmlinuz\n"
                              "[other]\noptions=dom0_mem=4G\nkernel=vmlinuz\ndtb=o.dtb\n";
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_xen_efi(dtb, strlen(dtb), NULL, &l);
    CHECK(l.n == 2);
    if (l.n == 2)
        CHECK(l.v[0]->arm && l.v[0]->dtb_line == 3 && l.v[1]->arm && l.v[1]->dtb_line == 10);
    md_bootcfg_list_free(&l);
    st = (md_bootfmt_efi_start){ .x86 = true };
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_xen_efi(dtb, strlen(dtb), &st, &l);
    CHECK(l.n == 2);
    if (l.n == 2)
        CHECK(!l.v[0]->arm && l.v[0]->dtb_line == 3 && !l.v[1]->arm && l.v[1]->dtb_line == 10);
    md_bootcfg_list_free(&l);
    /* options without dom0_mem=: the Xen line stays options='s */
    md_strv q = { 0 };
    md_strv_push(&q, "loglvl=all");
    st = (md_bootfmt_efi_start){ NULL, &q, "grub.cfg", 7, false, false, NULL, false, 0, NULL };
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_xen_efi(cfg, strlen(cfg), &st, &l);
    CHECK(l.n == 2);
    if (l.n == 2) {
        CHECK_STR(l.v[0]->title, "safe");
        CHECK_ARGS(l.v[0]->xen, "dom0_mem=4G loglvl=all");
        CHECK(!l.v[0]->xen.file && l.v[0]->xen.line == 4);
    }
    md_bootcfg_list_free(&l);
    /* a section the file does not have (Xen options written without
     * "--" are a section name): Xen stops, said on the command line's line */
    st = (md_bootfmt_efi_start){ "dom0_mem=4G,max:4G", NULL, "grub.cfg", 7, false, false, NULL, false, 0, NULL };
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_xen_efi(cfg, strlen(cfg), &st, &l);
    CHECK(l.n == 0 && l.nproblems == 1);
    CHECK(has_problem(&l, 7, "section 'dom0_mem=4G,max:4G', which Xen's EFI loader is told to "
                             "boot on its command line (grub.cfg:7): no section is headed "
                             "exactly [dom0_mem=4G,max:4G]"));
    CHECK(has_problem(&l, 7, "stops with 'No initial domain kernel specified.'"));
    CHECK(l.nproblems == 1 && l.problems[0].file && !strcmp(l.problems[0].file, "grub.cfg"));
    md_bootcfg_list_free(&l);
    /* ... in a unified image it boots its .kernel with nothing: no dom0
     * parameters, no options=, no ramdisk= (the .ramdisk still) */
    st.has_kernel = st.has_ramdisk = true;
    st.xen_opts = &q;
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_xen_efi(cfg, strlen(cfg), &st, &l);
    CHECK(l.n == 1 && l.nproblems == 1);
    CHECK(has_problem(&l, 7, "it boots the image's own .kernel with an empty dom0 command line, "
                             "and Xen gets no options="));
    if (l.n == 1) {
        CHECK_ARGS(l.v[0]->xen, "loglvl=all");
        CHECK_ARGS(l.v[0]->kernel, "");
        CHECK_STR(l.v[0]->kernel.path, ".kernel");
        CHECK(l.v[0]->kernel.line == 7 && l.v[0]->kernel.file &&
              !strcmp(l.v[0]->kernel.file, "grub.cfg"));
        CHECK(l.v[0]->nmods == 1 && !strcmp(l.v[0]->mods[0].path, ".ramdisk"));
    }
    md_bootcfg_list_free(&l);
    /* a unified image's section without kernel=: its .kernel with no
     * parameters (a note); with ramdisk= naming a file, the .ramdisk */
    static const char nok[] = "[global]\ndefault=x\n[x]\noptions=dom0_mem=4G,max:4G\n"
                              "ramdisk=initrd.img\n";
    st = (md_bootfmt_efi_start){ NULL, NULL, NULL, 0, true, true, NULL, false, 0, NULL };
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_xen_efi(nok, strlen(nok), &st, &l);
    CHECK(l.n == 1 && l.nproblems == 1 && l.problems[0].note);
    CHECK(has_problem(&l, 3, "section 'x' has no kernel=, so Xen boots the image's own .kernel "
                             "section with an empty dom0 command line"));
    if (l.n == 1) {
        CHECK_STR(l.v[0]->kernel.path, ".kernel");
        CHECK(l.v[0]->nmods == 1);
    }
    md_bootcfg_list_free(&l);
    /* ... which without the image's .kernel stops Xen: no entry */
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_xen_efi(nok, strlen(nok), NULL, &l);
    CHECK(l.n == 0 && has_problem(&l, 2, "stops with 'No initial domain kernel specified.'"));
    md_bootcfg_list_free(&l);
    /* a section named with no line to say it on, in a file without
     * default=: Xen then looks in that section (not the first values) */
    static const char nodef[] = "options=dom0_mem=1G\nkernel=a\n[y]\noptions=dom0_mem=2G,max:2G\n"
                                "kernel=b console=hvc0\n";
    st = (md_bootfmt_efi_start){ "y", NULL, NULL, 0, false, false, NULL, false, 0, NULL };
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_xen_efi(nodef, strlen(nodef), &st, &l);
    CHECK(l.n == 1 && l.nproblems == 0);
    if (l.n == 1)
        CHECK_ARGS(l.v[0]->xen, "dom0_mem=2G,max:2G");
    md_bootcfg_list_free(&l);
    st.section = "z";
    l = (md_bootcfg_list){ 0 };
    md_bootfmt_read_xen_efi(nodef, strlen(nodef), &st, &l);
    CHECK(l.n == 0 && l.nproblems == 1 && !l.problems[0].file);
    CHECK(has_problem(&l, 1, "section 'z', which Xen's EFI loader is told to boot on its "
                             "command line: no section is headed exactly [z]"));
    md_bootcfg_list_free(&l);
    md_strv_free(&q);
    md_strv_free(&opts);
}

int main(void)
{
    test_xen_efi_start();
    test_xen_efi_chain();
    test_netboot_configs();
    test_grub_chainloader();
    test_grub_maybe_in_word();
    test_dom0_mem_syntax();
    test_dom0_mem_rules();
    test_dom0_mem_trial();
    test_lint_clean();
    test_mem();
    test_make_and_grub();
    test_make_refuses();
    test_parse();
    test_read_entries();
    test_escape();
    test_read_grub_contexts();
    test_read_like_loaders();
    test_read_trial10d();
    test_xen_line_split();
    test_read_grub_defaults();
    test_netboot_two_modules();
    test_read_too_big();
    return t_done("test_bootcfg");
}
