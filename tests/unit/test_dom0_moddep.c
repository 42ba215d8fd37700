/* modules.dep parsing and load order, on samples shaped like depmod's output
 * for Debian's 6.1 kernel. */
#include <stdlib.h>
#include "d0.h"
#include "moddep.h"
#include "t.h"

static const char real_dep[] =
    "kernel/drivers/xen/xen-evtchn.ko:\n"
    "kernel/drivers/xen/xen-gntdev.ko:\n"
    "kernel/drivers/xen/xen-gntalloc.ko:\n"
    "kernel/drivers/xen/xenfs/xenfs.ko: kernel/drivers/xen/xen-privcmd.ko\n"
    "kernel/drivers/xen/xen-privcmd.ko:\n"
    "kernel/drivers/net/xen-netback/xen-netback.ko:\n"
    "kernel/net/802/stp.ko: kernel/net/llc/llc.ko\n"
    "kernel/net/llc/llc.ko:\n"
    "kernel/net/802/garp.ko: kernel/net/802/stp.ko kernel/net/llc/llc.ko\n"
    "kernel/net/bridge/bridge.ko: kernel/net/802/stp.ko kernel/net/llc/llc.ko\n"
    "kernel/net/bridge/br_netfilter.ko: kernel/net/bridge/bridge.ko kernel/net/802/stp.ko kernel/net/llc/llc.ko\n";

static const char builtin[] =
    "kernel/drivers/xen/xenbus/xenbus.ko\n"
    "kernel/drivers/tty/hvc/hvc_xen.ko\n";

static char *order_str(const d0_moddep *d, const char *const *names, size_t n)
{
    const char **paths = NULL;
    size_t np = 0;
    d0_err e = { 0 };
    for (size_t i = 0; i < n; i++)
        if (d0_moddep_order(d, names[i], &paths, &np, &e) < 0) {
            free(paths);
            char *s = malloc(strlen(e.msg) + 8);
            sprintf(s, "ERROR %s", e.msg);
            return s;
        }
    static char buf[4096];
    buf[0] = '\0';
    for (size_t i = 0; i < np; i++) {
        char name[128];
        if (i)
            strcat(buf, " ");
        strcat(buf, d0_moddep_name(paths[i], name, sizeof name));
    }
    free(paths);
    return strdup(buf);
}

static void check_order(const d0_moddep *d, const char *const *names, size_t n, const char *want)
{
    char *got = order_str(d, names, n);
    CHECK_STR(got, want);
    free(got);
}

static void test_names(void)
{
    char b[128];
    CHECK_STR(d0_moddep_name("kernel/drivers/xen/xen-evtchn.ko", b, sizeof b), "xen_evtchn");
    CHECK_STR(d0_moddep_name("xen-evtchn", b, sizeof b), "xen_evtchn");
    CHECK_STR(d0_moddep_name("xen_evtchn", b, sizeof b), "xen_evtchn");
    CHECK_STR(d0_moddep_name("/lib/modules/6.1/kernel/a/b-c.ko.xz", b, sizeof b), "b_c");
    CHECK_STR(d0_moddep_name("x/foo.kobj.ko.zst", b, sizeof b), "foo.kobj");
    CHECK(d0_moddep_compressed("a/b.ko.xz"));
    CHECK(d0_moddep_compressed("a/b.ko.zst"));
    CHECK(d0_moddep_compressed("a/b.ko.gz"));
    CHECK(!d0_moddep_compressed("a/b.ko"));
    CHECK(!d0_moddep_compressed("a/b.xz"));
}

static void test_real(void)
{
    d0_err e = { 0 };
    d0_moddep *d = d0_moddep_parse(real_dep, builtin, "modules.dep", &e);
    CHECK(d != NULL);
    if (!d)
        return;
    CHECK(d0_moddep_has(d, "xen-evtchn"));
    CHECK(d0_moddep_has(d, "xen_evtchn"));
    CHECK(!d0_moddep_has(d, "xen-blkback"));
    CHECK(d0_moddep_builtin(d, "xenbus"));
    CHECK(d0_moddep_builtin(d, "hvc-xen"));
    CHECK(!d0_moddep_builtin(d, "xenfs"));

    const char *xen[] = { "xen-evtchn", "xen-gntdev", "xen-gntalloc", "xen-privcmd", "xenfs" };
    check_order(d, xen, 5, "xen_evtchn xen_gntdev xen_gntalloc xen_privcmd xenfs");
    /* xenfs first: its dependency comes before it, and is not loaded twice. */
    const char *xenfs_first[] = { "xenfs", "xen-privcmd" };
    check_order(d, xenfs_first, 2, "xen_privcmd xenfs");
    /* llc before stp before bridge, as modprobe loads them. */
    const char *br[] = { "bridge" };
    check_order(d, br, 1, "llc stp bridge");
    const char *brnf[] = { "br_netfilter", "garp" };
    check_order(d, brnf, 2, "llc stp bridge br_netfilter garp");
    const char *none[] = { "xen-blkback" };
    char *s = order_str(d, none, 1);
    CHECK(strstr(s, "ERROR") && strstr(s, "xen-blkback") && strstr(s, "not in the module index"));
    free(s);
    d0_moddep_free(d);
}

static void test_bad(void)
{
    struct {
        const char *text, *needle;
    } bad[] = {
        { "kernel/a.ko:\nthis line has no colon\n", "dep:2" },
        { "kernel/a.ko: kernel/b.ko\n", "needs kernel/b.ko" },
        { "kernel/a.txt:\n", "not a module path" },
        { ": kernel/a.ko\n", "not a module path" },
        { "kernel/a.ko:\nkernel/a.ko:\n", "listed twice" },
        { "../../etc/a.ko:\n", "not a module path" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        d0_err e = { 0 };
        d0_moddep *d = d0_moddep_parse(bad[i].text, NULL, "dep", &e);
        CHECK(d == NULL);
        CHECK_ERR(&e, bad[i].needle);
        d0_moddep_free(d);
    }
}

static void test_odd_but_fine(void)
{
    /* Blank lines, tabs, CRLF, comments, compressed and absolute paths,
     * a dependency listed before its own line, no trailing newline. */
    const char *text =
        "\n# comment\n"
        "kernel/x/top.ko.xz:\tkernel/x/mid.ko.xz   kernel/x/low.ko.xz\r\n"
        "   \n"
        "kernel/x/mid.ko.xz: kernel/x/low.ko.xz\n"
        "/lib/modules/k/kernel/x/abs.ko:\n"
        "kernel/x/low.ko.xz:";
    d0_err e = { 0 };
    d0_moddep *d = d0_moddep_parse(text, "", "dep", &e);
    CHECK(d != NULL);
    if (!d) {
        fprintf(stderr, "%s\n", e.msg);
        return;
    }
    const char *top[] = { "top", "abs" };
    check_order(d, top, 2, "low mid top abs");
    d0_moddep_free(d);
}

static void test_cycle(void)
{
    const char *text = "k/a.ko: k/b.ko\nk/b.ko: k/c.ko\nk/c.ko: k/a.ko\nk/d.ko:\n";
    d0_err e = { 0 };
    d0_moddep *d = d0_moddep_parse(text, NULL, "dep", &e);
    CHECK(d != NULL);
    if (!d)
        return;
    const char *a[] = { "a" };
    char *s = order_str(d, a, 1);
    CHECK(strstr(s, "ERROR") && strstr(s, "cycle"));
    free(s);
    const char *dd[] = { "d" };
    check_order(d, dd, 1, "d");
    d0_moddep_free(d);
}

static void test_empty(void)
{
    d0_err e = { 0 };
    d0_moddep *d = d0_moddep_parse("", NULL, "dep", &e);
    CHECK(d != NULL);
    if (d) {
        CHECK(!d0_moddep_has(d, "xenfs"));
        d0_moddep_free(d);
    }
}

int main(void)
{
    test_names();
    test_real();
    test_bad();
    test_odd_but_fine();
    test_cycle();
    test_empty();
    return t_done("test_dom0_moddep");
}
