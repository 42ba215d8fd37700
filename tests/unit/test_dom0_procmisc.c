/* /proc/misc parsing: real, odd, hostile and empty samples. */
#include <stdlib.h>
#include "d0.h"
#include "procmisc.h"
#include "t.h"

static void load(const char *name, d0_misc *m)
{
    const char *src = getenv("MKDOM0_SRC");
    char path[4096];
    snprintf(path, sizeof path, "%s/tests/data/procmisc/%s", src ? src : ".", name);
    char *text = NULL;
    d0_err e = { 0 };
    if (d0_read_file(path, &text, NULL, &e) < 0) {
        fprintf(stderr, "%s\n", e.msg);
        t_fail++;
        d0_misc_parse("", m);
        return;
    }
    d0_misc_parse(text, m);
    free(text);
}

static unsigned minor_of(const d0_misc *m, const char *name)
{
    const d0_misc_dev *d = d0_misc_find(m, name);
    return d ? d->minor : 0xffffffffu;
}

static void test_normal(void)
{
    d0_misc m;
    load("normal.txt", &m);
    CHECK(m.n == 7);
    CHECK(m.ignored == 9);
    CHECK(m.bad == 0);
    CHECK(minor_of(&m, "evtchn") == 125);
    CHECK(minor_of(&m, "privcmd") == 122);
    CHECK(minor_of(&m, "hypercall") == 121);
    CHECK(minor_of(&m, "xenbus_backend") == 126);
    CHECK_STR(m.devs[0].name, "hypercall"); /* file order is kept */
    CHECK(d0_misc_find(&m, "hw_random") == NULL);
    d0_misc_free(&m);
}

static void test_odd_spacing(void)
{
    d0_misc m;
    load("odd.txt", &m);
    CHECK(m.n == 3);
    CHECK(minor_of(&m, "evtchn") == 125);
    CHECK(minor_of(&m, "gntdev") == 124);   /* tabs and CRLF */
    CHECK(minor_of(&m, "privcmd") == 122);  /* last line without newline */
    CHECK(m.ignored == 2);                  /* psaux, net/tun */
    CHECK(m.bad == 0);                      /* blank lines are not bad */
    d0_misc_free(&m);
}

static void test_huge_minor(void)
{
    d0_misc m;
    load("huge-minor.txt", &m);
    CHECK(minor_of(&m, "biggest") == D0_MINOR_MAX);
    CHECK(d0_misc_find(&m, "toobig") == NULL);
    CHECK(d0_misc_find(&m, "overflow") == NULL);
    CHECK(minor_of(&m, "evtchn") == 125);
    CHECK(m.bad == 2);
    CHECK(m.first_bad_line == 2);
    d0_misc_free(&m);
}

static void test_missing(void)
{
    d0_misc m;
    load("missing.txt", &m);
    CHECK(m.n == 2);
    CHECK(d0_misc_find(&m, "privcmd") == NULL);
    CHECK(d0_misc_find(&m, "gntdev") == NULL);
    d0_misc_free(&m);
}

static void test_garbage(void)
{
    d0_misc m;
    load("garbage.txt", &m);
    CHECK(m.n == 1);
    CHECK(minor_of(&m, "gntdev") == 124);
    CHECK(m.bad == 7);
    CHECK(m.first_bad_line == 1);
    CHECK(d0_misc_find(&m, "evtchn") == NULL); /* "xen/evtchn extra words" */
    d0_misc_free(&m);
}

static void test_subdirs(void)
{
    d0_misc m;
    load("subdirs.txt", &m);
    CHECK(m.n == 2);
    CHECK(minor_of(&m, "ok-name_1.2") == 136);
    CHECK(minor_of(&m, "evtchn") == 125);      /* the first of two wins */
    CHECK(d0_misc_find(&m, "foo/bar") == NULL); /* never a path below /dev/xen */
    CHECK(d0_misc_find(&m, "..") == NULL);
    CHECK(d0_misc_find(&m, ".") == NULL);
    CHECK(d0_misc_find(&m, "") == NULL);
    /* mapper/control, net/tun, xenx/evtchn, Xen/evtchn are other devices */
    CHECK(m.ignored == 4);
    /* xen/foo/bar, xen/, xen/.., xen/., the duplicate evtchn */
    CHECK(m.bad == 5);
    d0_misc_free(&m);
}

static void test_empty(void)
{
    d0_misc m;
    load("empty.txt", &m);
    CHECK(m.n == 0 && m.ignored == 0 && m.bad == 0);
    d0_misc_free(&m);
    d0_misc_parse("", &m);
    CHECK(m.n == 0);
    d0_misc_free(&m);
    d0_misc_parse("\n\n", &m);
    CHECK(m.n == 0 && m.bad == 0);
    d0_misc_free(&m);
}

static void test_long_name(void)
{
    char text[256];
    snprintf(text, sizeof text, "5 xen/%s\n6 xen/%s\n",
             "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 63 */
             "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"); /* 64 */
    d0_misc m;
    d0_misc_parse(text, &m);
    CHECK(m.n == 1 && m.bad == 1);
    CHECK(m.n == 1 && m.devs[0].minor == 5);
    d0_misc_free(&m);
}

int main(void)
{
    test_normal();
    test_odd_spacing();
    test_huge_minor();
    test_missing();
    test_garbage();
    test_subdirs();
    test_empty();
    test_long_name();
    return t_done("test_dom0_procmisc");
}
