#include <stdlib.h>
#include "packages/debver.h"
#include "t.h"

static int cmp(const char *a, const char *b) { return md_debver_cmp(a, b); }

/* a < b must hold both ways round, and each equals itself. */
static void lt(const char *a, const char *b)
{
    int r1 = cmp(a, b), r2 = cmp(b, a);
    if (r1 < 0 && r2 > 0 && cmp(a, a) == 0 && cmp(b, b) == 0)
        t_pass++;
    else {
        t_fail++;
        fprintf(stderr, "expected %s < %s, got cmp=%d/%d\n", a, b, r1, r2);
    }
}

static void eq(const char *a, const char *b)
{
    if (cmp(a, b) == 0 && cmp(b, a) == 0)
        t_pass++;
    else {
        t_fail++;
        fprintf(stderr, "expected %s == %s, got %d\n", a, b, cmp(a, b));
    }
}

static void test_compare(void)
{
    /* upstream basics */
    lt("1.0", "1.1");
    lt("1.2", "1.10");
    lt("1.9", "1.10");
    lt("1", "1.0");
    lt("1.0", "1.0a");
    lt("1.0a", "1.0b");
    lt("1.0", "1.0+1");
    lt("1.0+1", "1.0.1");      /* '+' sorts before '.' */
    lt("1.0a", "1.0+");        /* letters before non-letters */
    lt("2.0", "10.0");
    eq("1.0", "1.00");         /* numeric parts compare as numbers */
    eq("1.01", "1.1");
    eq("007", "7");
    lt("1.2.3", "1.2.3.0");
    lt("1.2.3z", "1.2.4");
    /* tildes sort before everything, even the end */
    lt("1.0~rc1", "1.0");
    lt("1.0~~", "1.0~");
    lt("1.0~~a", "1.0~");
    lt("1.0~", "1.0");
    lt("1.0~rc1", "1.0~rc2");
    lt("1.0~beta", "1.0~rc");
    lt("3.11~", "3.11");
    lt("3.11~", "3.11.2");
    lt("1~", "1");
    lt("1-1~bpo1", "1-1");
    /* epochs */
    lt("1.0", "1:0.1");
    lt("1:9.9", "2:0");
    eq("0:1.0", "1.0");
    eq("00:1.0", "0:1.0");
    lt("9:1", "10:1");
    lt("99999999999999999999:1", "100000000000000000000:0");
    lt("1:1.35.0-4+b3", "1:1.35.0-4+deb12u1+b1");
    /* revisions */
    lt("1.0-1", "1.0-2");
    lt("1.0-2", "1.0-10");
    eq("1.0", "1.0-0");
    lt("1.0", "1.0-1");
    lt("1.0-1", "1.0.1-1");
    lt("1.0-1", "1.0-1.1");
    lt("1.0-1+b1", "1.0-1.1");
    lt("1.0-1", "1.0-1+b1");
    lt("1.0-a", "1.0-b");
    /* hyphens in upstream: the last one starts the revision */
    lt("1.0-2-1", "1.0-10-1");
    eq("1.0-2-1", "1.0-2-1");
    /* real Debian versions */
    lt("4.17.5+72-g01140da4e8-1", "4.17.7+13-g2445b30a44-0+deb12u1");
    lt("4.17.7+13-g2445b30a44-0+deb12u1", "4.20.0-1");
    lt("1:9.2p1-2+deb12u9", "1:9.2p1-2+deb12u10");
    lt("2.36-9+deb12u7", "2.36-9+deb12u14");
    lt("6.1.176-1", "6.1.192-2");
    lt("30+20221128-1", "31-1");
    lt("2.35", "2.36-9");
}

static void test_valid(void)
{
    CHECK(md_debver_valid("1.0"));
    CHECK(md_debver_valid("1:1.0-1"));
    CHECK(md_debver_valid("1.0~rc1+dfsg-1.1~bpo12+1"));
    CHECK(md_debver_valid("1:2:3-1")); /* colon allowed in upstream with an epoch */
    CHECK(md_debver_valid("4.17.5+72-g01140da4e8-1"));
    CHECK(!md_debver_valid(""));
    CHECK(!md_debver_valid(NULL));
    CHECK(!md_debver_valid("a:1.0"));
    CHECK(!md_debver_valid(":1.0"));
    CHECK(!md_debver_valid("1:"));
    CHECK(!md_debver_valid("1.0-"));
    CHECK(!md_debver_valid("1.0 1"));
    CHECK(!md_debver_valid("1.0_1"));
    CHECK(!md_debver_valid("1.0-1:2"));
    CHECK(!md_debver_valid("1.0-a_b"));
    /* dpkg: "epoch in version is too big" past INT_MAX (trial 9g case 7) */
    CHECK(md_debver_valid("2147483647:1.0"));
    CHECK(md_debver_valid("0002147483647:1.0"));
    CHECK(!md_debver_valid("2147483648:1.0"));
    CHECK(!md_debver_valid("99999999999:1.0"));
    CHECK(!md_debver_valid("99999999999999999999999999999:1.0"));
}

static void test_relations(void)
{
    CHECK(md_debver_satisfies("1.0", MD_DEBVER_ANY, NULL));
    CHECK(md_debver_satisfies("1.0", MD_DEBVER_LT, "1.1"));
    CHECK(!md_debver_satisfies("1.1", MD_DEBVER_LT, "1.1"));
    CHECK(md_debver_satisfies("1.1", MD_DEBVER_LE, "1.1"));
    CHECK(!md_debver_satisfies("1.2", MD_DEBVER_LE, "1.1"));
    CHECK(md_debver_satisfies("1:1.0", MD_DEBVER_EQ, "1:1.0-0"));
    CHECK(!md_debver_satisfies("1.0-1", MD_DEBVER_EQ, "1.0"));
    CHECK(md_debver_satisfies("1.1", MD_DEBVER_GE, "1.1"));
    CHECK(!md_debver_satisfies("1.1~", MD_DEBVER_GE, "1.1"));
    CHECK(md_debver_satisfies("1.2", MD_DEBVER_GT, "1.1"));
    CHECK(!md_debver_satisfies("1.1", MD_DEBVER_GT, "1.1"));
    CHECK(md_debver_satisfies("3.11.2-1", MD_DEBVER_GE, "3.11~"));
    CHECK(md_debver_satisfies("3.11.2-1", MD_DEBVER_LT, "3.12"));

    md_debver_op op;
    CHECK(md_debver_op_parse("<<", &op) == 0 && op == MD_DEBVER_LT);
    CHECK(md_debver_op_parse("<=", &op) == 0 && op == MD_DEBVER_LE);
    CHECK(md_debver_op_parse("=", &op) == 0 && op == MD_DEBVER_EQ);
    CHECK(md_debver_op_parse(">=", &op) == 0 && op == MD_DEBVER_GE);
    CHECK(md_debver_op_parse(">>", &op) == 0 && op == MD_DEBVER_GT);
    CHECK(md_debver_op_parse("<", &op) == 0 && op == MD_DEBVER_LE);
    CHECK(md_debver_op_parse(">", &op) == 0 && op == MD_DEBVER_GE);
    CHECK(md_debver_op_parse("==", &op) < 0);
    CHECK(md_debver_op_parse("=>", &op) < 0);
    CHECK(md_debver_op_parse("", &op) < 0);
}

static void test_deps_parse(void)
{
    md_err err = MD_ERR_INIT;
    md_debver_deps d;
    CHECK(md_debver_deps_parse("libc6 (>= 2.35), python3:any, a | b (<< 2:1.0~) | c:amd64,"
                               "\n  d(=1)", &d, &err) == 0);
    CHECK(d.n == 4);
    if (d.n == 4) {
        CHECK_STR(d.alts[0].rels[0].name, "libc6");
        CHECK(d.alts[0].rels[0].op == MD_DEBVER_GE);
        CHECK_STR(d.alts[0].rels[0].version, "2.35");
        CHECK_STR(d.alts[1].rels[0].name, "python3");
        CHECK_STR(d.alts[1].rels[0].archq, "any");
        CHECK(d.alts[1].rels[0].op == MD_DEBVER_ANY && !d.alts[1].rels[0].version);
        CHECK(d.alts[2].n == 3);
        CHECK_STR(d.alts[2].rels[1].version, "2:1.0~");
        CHECK(d.alts[2].rels[1].op == MD_DEBVER_LT);
        CHECK_STR(d.alts[2].rels[2].archq, "amd64");
        char *s = md_debver_alt_str(&d.alts[2]);
        CHECK_STR(s, "a | b (<< 2:1.0~) | c:amd64");
        free(s);
        CHECK_STR(d.alts[3].rels[0].name, "d");
        CHECK(d.alts[3].rels[0].op == MD_DEBVER_EQ);
    }
    md_debver_deps_free(&d);

    CHECK(md_debver_deps_parse("", &d, &err) == 0 && d.n == 0);
    CHECK(md_debver_deps_parse("a,", &d, &err) == 0 && d.n == 1);
    md_debver_deps_free(&d);

    static const char *const bad[][2] = {
        { "a (>= )", "bad version" },
        { "a (~ 1)", "operator" },
        { "a (>= 1", "bad version" },
        { "a, , b", "missing package name" },
        { "a | | b", "missing package name" },
        { "a [amd64]", "unexpected '['" },
        { "a <!nocheck>", "unexpected '<'" },
        { "a:", "architecture" },
        { "a (>= 1) x", "unexpected 'x'" },
        { "a (>= 1 2)", "bad version" },
        { "-a", "missing package name" },
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        md_err e = MD_ERR_INIT;
        CHECK(md_debver_deps_parse(bad[i][0], &d, &e) < 0);
        CHECK_ERR(&e, bad[i][1]);
        CHECK(d.n == 0 && d.alts == NULL);
    }
}

int main(void)
{
    test_compare();
    test_valid();
    test_relations();
    test_deps_parse();
    return t_done("debver");
}
