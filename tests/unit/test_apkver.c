/* apkver: Alpine version ordering against apk-tools' own vectors (read at
 * run time from ../shared/alpine), and dependency atoms. */
#include "t.h"
#include "talpine.h"
#include "packages/apkver.h"
#include "core/file.h"

#include <stdlib.h>
#include <string.h>

/* Every "a OP b" line of apk-tools 2.14's version.data: OP is what
 * comparing a with b gives, and b with a gives its mirror. */
static void test_vectors(void)
{
    char *path = t_alpine("reference/version.data.2.14-stable");
    unsigned char *data;
    size_t len;
    md_err e = MD_ERR_INIT;
    CHECK(md_read_file(path, &data, &len, &e) == 0);
    if (e.set) {
        fprintf(stderr, "%s\n", e.msg);
        free(path);
        return;
    }
    size_t lines = 0, bad = 0;
    for (char *l = (char *)data, *next; l && *l; l = next) {
        next = strchr(l, '\n');
        if (next)
            *next++ = '\0';
        char *hash = strchr(l, '#');
        if (hash)
            *hash = '\0';
        char a[256], op[8], b[256];
        if (sscanf(l, "%255s %7s %255s", a, op, b) != 3) {
            CHECK(strspn(l, " \t") == strlen(l)); /* only blank lines are not vectors */
            continue;
        }
        lines++;
        int want = !strcmp(op, "<") ? -1 : !strcmp(op, ">") ? 1 : !strcmp(op, "=") ? 0 : 9;
        CHECK(want != 9);
        int got = md_apkver_cmp(a, b), back = md_apkver_cmp(b, a);
        if (got != want || back != -want) {
            bad++;
            fprintf(stderr, "vector %s %s %s: got %d, reversed %d\n", a, op, b, got, back);
        }
    }
    CHECK(bad == 0);
    CHECK(lines == 733); /* the whole file was read */
    free(data);
    free(path);
}

/* The rules of apk-package(5) one by one (beyond the 2.14 vectors: the
 * commit hash and fuzzy matches came later). */
static void test_rules(void)
{
    /* apk-tools 3's order on versions the strict grammar calls invalid
     * (a digit after a letter): compared no further than the invalid part,
     * so these real pairs of Alpine's indexes are equal (2.14 orders them;
     * trial 13x F1, apkver.h), and the resolver notes its choice */
    CHECK(!md_apkver_valid("6.8.0p2-r0") && md_apkver_cmp("6.8.0p2-r0", "6.8.0p2-r4") == 0);
    CHECK(md_apkver_cmp("0.99f7-r0", "0.99f7-r1") == 0);
    CHECK(md_apkver_cmp("6.8.0p2-r0", "6.8.1-r0") < 0); /* before the invalid part: ordered */
    CHECK(md_apkver_cmp("1.0_rc1", "1.0") < 0);
    CHECK(md_apkver_cmp("1.0_alpha", "1.0_beta") < 0);
    CHECK(md_apkver_cmp("1.0_pre1", "1.0_rc1") < 0);
    CHECK(md_apkver_cmp("1.0", "1.0_p1") < 0);
    CHECK(md_apkver_cmp("1.0_cvs", "1.0_svn") < 0);
    CHECK(md_apkver_cmp("1.0_git", "1.0_hg") < 0);
    CHECK(md_apkver_cmp("1.0_hg", "1.0_p") < 0);
    CHECK(md_apkver_cmp("1.0", "1.0-r1") < 0);
    /* the order docs/spec.md and apkver.h give (trial 13 F7: they said the
     * reverse of what apk-tools and this code do) */
    CHECK(md_apkver_cmp("1.0-r1", "1.0_p1") < 0);
    CHECK(md_apkver_cmp("1.0_rc1", "1.0") < 0 && md_apkver_cmp("1.0", "1.0-r1") < 0);
    CHECK(md_apkver_cmp("1.0-r2", "1.0-r10") < 0);
    CHECK(md_apkver_cmp("1.0a", "1.0b") < 0);
    CHECK(md_apkver_cmp("1.0", "1.0a") < 0);
    CHECK(md_apkver_cmp("1.01", "1.1") < 0); /* a leading zero: byte-wise */
    CHECK(md_apkver_cmp("1.10", "1.9") > 0);
    CHECK(md_apkver_cmp("1.0~1234", "1.0~2345") < 0);
    CHECK(md_apkver_cmp("1.0~1234-r1", "1.0~1234-r0") > 0);
    CHECK(md_apkver_cmp("4.17.0-r0", "4.17.0-r0") == 0);
    CHECK(md_apkver_cmp("99999999999999999999999.1", "99999999999999999999998.2") > 0);
    CHECK(md_apkver_valid("0.1_pre2~1234abcd"));
    CHECK(md_apkver_valid("4.20.2-r0"));
    CHECK(md_apkver_valid("1.2.3a_rc1_p2-r10"));
    CHECK(!md_apkver_valid(""));
    CHECK(!md_apkver_valid("a1"));
    CHECK(!md_apkver_valid("1.0_foo"));
    CHECK(!md_apkver_valid("1.0-r"));
    CHECK(!md_apkver_valid("1.0-1"));
    CHECK(!md_apkver_valid("1.0bc"));
    CHECK(!md_apkver_valid("1.0~"));
    CHECK(!md_apkver_valid("1.0-r1_p1"));
    /* as Alpine's own indexes write V: (some of it invalid by the rules
     * above), and what an index may not hold there (trial 9e) */
    CHECK(md_apkver_valid_indexed("4.20.2-r0") && md_apkver_valid_indexed("0.99f7-r0"));
    CHECK(md_apkver_valid_indexed("0.1_pre2~1234abcd") && md_apkver_valid_indexed("1"));
    CHECK(!md_apkver_valid_indexed("") && !md_apkver_valid_indexed("a1"));
    CHECK(!md_apkver_valid_indexed("1.0-r0-r0") && !md_apkver_valid_indexed("1.0-r"));
    CHECK(!md_apkver_valid_indexed("1.0-r0/../../x") && !md_apkver_valid_indexed("1.0 x"));
    CHECK(!md_apkver_valid_indexed("1.0-r0\x1b[2J") && !md_apkver_valid_indexed("1.0-1"));
    CHECK(md_apkver_satisfies("3.6.9", MD_APKVER_FUZZY | MD_APKVER_EQUAL, "3.6"));
    CHECK(md_apkver_satisfies("3.6_pre1", MD_APKVER_FUZZY | MD_APKVER_EQUAL, "3.6"));
    CHECK(!md_apkver_satisfies("3.8.0", MD_APKVER_FUZZY | MD_APKVER_EQUAL, "3.8.1"));
    CHECK(!md_apkver_satisfies("3.7", MD_APKVER_FUZZY | MD_APKVER_EQUAL, "3.6"));
    CHECK(md_apkver_satisfies("3.5", MD_APKVER_LESS | MD_APKVER_EQUAL | MD_APKVER_FUZZY, "3.6"));
    CHECK(md_apkver_satisfies("2", MD_APKVER_ANY, NULL));
    CHECK(md_apkver_satisfies(NULL, MD_APKVER_ANY, NULL));
    CHECK(!md_apkver_satisfies(NULL, MD_APKVER_GREATER, "1"));
}

/* One atom parsed in place in buf (which keeps what the dep points into). */
static int atom(char buf[64], const char *text, md_apkver_strict strict, md_apkver_dep *d,
                md_err *e)
{
    snprintf(buf, 64, "%s", text);
    return md_apkver_dep_parse(buf, strict, d, e);
}

/* The atom reader; lists of atoms are the index parser's (test_apkindex). */
static void test_atoms(void)
{
    static const char *const list[] = {
        "so:libc.musl-x86_64.so.1", "busybox>=1.35", "!xen<4", "cmd:sh", "pc:zlib=1.2.13",
        "linux-lts~6.1", "xen@v318=4.17.0-r0", "musl><Q18y9jy9MgtvQFXTntDQ3if2axAkk=",
    };
    char buf[8][64];
    md_apkver_dep v[8];
    md_err e = MD_ERR_INIT;
    for (size_t i = 0; i < 8; i++)
        CHECK(atom(buf[i], list[i], MD_APKVER_STRICT, &v[i], &e) == 0);
    CHECK(!e.set);
    if (!e.set) {
        CHECK_STR(v[0].name, "so:libc.musl-x86_64.so.1");
        CHECK(v[0].op == MD_APKVER_ANY && !v[0].version && !v[0].conflict);
        CHECK_STR(v[1].name, "busybox");
        CHECK(v[1].op == (MD_APKVER_GREATER | MD_APKVER_EQUAL));
        CHECK_STR(v[1].version, "1.35");
        CHECK(md_apkver_dep_match(&v[1], "1.36.1-r0", NULL));
        CHECK(!md_apkver_dep_match(&v[1], "1.34", NULL));
        CHECK(!md_apkver_dep_match(&v[1], NULL, NULL)); /* provided without a version */
        CHECK(v[2].conflict && v[2].op == MD_APKVER_LESS);
        CHECK_STR(v[2].name, "xen");
        CHECK(md_apkver_dep_match(&v[2], "3.9", NULL)); /* the conflict applies */
        CHECK_STR(v[3].name, "cmd:sh");
        CHECK(md_apkver_dep_match(&v[3], NULL, NULL));
        CHECK(v[4].op == MD_APKVER_EQUAL);
        CHECK(v[5].op == (MD_APKVER_FUZZY | MD_APKVER_EQUAL));
        CHECK(md_apkver_dep_match(&v[5], "6.1.55-r0", NULL));
        CHECK(!md_apkver_dep_match(&v[5], "6.10", NULL));
        CHECK_STR(v[6].name, "xen");
        CHECK_STR(v[6].tag, "v318");
        CHECK_STR(v[6].version, "4.17.0-r0");
        CHECK(v[7].op == MD_APKVER_CHECKSUM);
        CHECK(md_apkver_dep_match(&v[7], "1", "Q18y9jy9MgtvQFXTntDQ3if2axAkk="));
        CHECK(!md_apkver_dep_match(&v[7], "1", "Q1JOnfb9sWQvgriUz9xcVmahZe370="));
        char *s = md_apkver_dep_str(&v[6]);
        CHECK_STR(s, "xen@v318=4.17.0-r0");
        free(s);
        s = md_apkver_dep_str(&v[2]);
        CHECK_STR(s, "!xen<4");
        free(s);
    }

    static const struct { const char *text, *needle; } bad[] = {
        { "foo>=", "no version after '>='" },
        { "foo=1.0_bogus", "bad version" },
        { "foo=>1", "unknown operator" },
        { "foo<<1", "unknown operator" },
        { "!", "bad name" },
        { ">=1", "bad name" },
        { "fo o$=1", "bad name" },
        { "foo@=1", "empty repository tag" },
        { "foo><Q1short", "bad version" },
    };
    md_apkver_dep d;
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        md_err e2 = MD_ERR_INIT;
        CHECK(atom(buf[0], bad[i].text, MD_APKVER_STRICT, &d, &e2) < 0);
        CHECK_ERR(&e2, bad[i].needle);
        CHECK_STR(buf[0], bad[i].text); /* an error leaves the atom as it was */
    }
    /* versions as Alpine's indexes write them: kept, and still ordered */
    md_err e3 = MD_ERR_INIT;
    CHECK(atom(buf[0], "pc:jemalloc=5.3.0_", MD_APKVER_AS_WRITTEN, &v[0], &e3) == 0);
    CHECK(atom(buf[1], "aspell-ru=0.99f7-r0", MD_APKVER_AS_WRITTEN, &v[1], &e3) == 0);
    CHECK(!e3.set && !strcmp(v[0].version, "5.3.0_"));
    CHECK(md_apkver_cmp("0.99f7-r0", "0.99f-r0") < 0);
    CHECK(atom(buf[0], "a=5.3.0_", MD_APKVER_STRICT, &d, &e3) < 0);
    CHECK_ERR(&e3, "bad version '5.3.0_'");
    md_err_clear(&e3);
    CHECK(atom(buf[0], "a=", MD_APKVER_AS_WRITTEN, &d, &e3) < 0);
    md_err_clear(&e3);
    CHECK(atom(buf[0], "cmd:kdevelop!=23.04.3-r0", MD_APKVER_AS_WRITTEN, &d, &e3) == 0);
    CHECK(!strcmp(d.name, "cmd:kdevelop!") && !d.conflict);
}

int main(void)
{
    test_vectors();
    test_rules();
    test_atoms();
    return t_done("test_apkver");
}
