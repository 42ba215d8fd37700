/* core/out: levels, the progress switch, and text split into lines. */
#include <stdlib.h>
#include "core/err.h"
#include "core/mem.h"
#include "core/out.h"
#include "core/strv.h"
#include "t.h"

static void collect(void *ctx, md_out_level level, const char *line)
{
    static const char *const names[] = { "progress", "note", "finding", "result" };
    md_strv_push_own(ctx, md_xasprintf("%s:%s", names[level], line));
}

static void test_levels(void)
{
    md_strv got = { 0 };
    md_out o = { .fn = collect, .ctx = &got };
    md_out_say(&o, MD_OUT_PROGRESS, "fetching %s", "x"); /* progress is off */
    md_out_say(&o, MD_OUT_NOTE, "%d retries", 2);
    md_out_say(&o, MD_OUT_FINDING, "f: error: [trap1] no hvc0");
    md_out_say(&o, MD_OUT_RESULT, "%s", "");
    o.progress = true;
    md_out_say(&o, MD_OUT_PROGRESS, "fetching %s", "y");
    CHECK(got.n == 4);
    if (got.n == 4) {
        CHECK_STR(got.v[0], "note:2 retries");
        CHECK_STR(got.v[1], "finding:f: error: [trap1] no hvc0");
        CHECK_STR(got.v[2], "result:");
        CHECK_STR(got.v[3], "progress:fetching y");
    }
    md_strv_free(&got);
    /* No sink, or one without a function: nothing happens. */
    md_out_say(NULL, MD_OUT_NOTE, "dropped");
    md_out none = { .progress = true };
    md_out_say(&none, MD_OUT_RESULT, "dropped");
    md_out_lines(NULL, MD_OUT_RESULT, "a\nb\n");
}

static void test_lines(void)
{
    md_strv got = { 0 };
    md_out o = { .fn = collect, .ctx = &got };
    md_out_lines(&o, MD_OUT_RESULT, "table:\n  a 1\n\n  b 2\n");
    md_out_lines(&o, MD_OUT_NOTE, "no newline at the end");
    md_out_lines(&o, MD_OUT_NOTE, "");
    md_out_lines(&o, MD_OUT_PROGRESS, "dropped\n");
    CHECK(got.n == 5);
    if (got.n == 5) {
        CHECK_STR(got.v[0], "result:table:");
        CHECK_STR(got.v[1], "result:  a 1");
        CHECK_STR(got.v[2], "result:");
        CHECK_STR(got.v[3], "result:  b 2");
        CHECK_STR(got.v[4], "note:no newline at the end");
    }
    md_strv_free(&got);
}

/* Names from inputs never reach the terminal raw (trial 9e case 5: a
 * modloop directory "x<ESC>]0;PWNED<BEL><ESC>[2K<CR>mkdom0: built OK<LF>..."
 * set the title, erased the line and wrote a line of its own). */
static void test_shown(void)
{
    static const char evil[] = "x\x1b]0;PWNED\x07\x1b[2K\rmkdom0: built OK\nKernel=pwned";
    static const char want[] = "x\\x1b]0;PWNED\\x07\\x1b[2K\\x0dmkdom0: built OK\\x0aKernel=pwned";
    char *s = md_err_shown(evil);
    CHECK_STR(s, want);
    free(s);
    s = md_err_shown("caf\xc3\xa9 \xc2\x9b" "2J tab\there"); /* UTF-8 kept, C1 CSI and tab not */
    CHECK_STR(s, "caf\xc3\xa9 \\xc2\\x9b" "2J tab\\x09here");
    free(s);
    /* every error: a one-line format gets one line whatever its arguments */
    md_err e = MD_ERR_INIT;
    md_err_set(&e, "several kernels (%s): name one", evil);
    CHECK(!strchr(e.msg, '\n') && !strchr(e.msg, '\x1b') && !strchr(e.msg, '\r'));
    CHECK_ERR(&e, want);
    md_err_prefix(&e, "member %s", "a\nb");
    CHECK(!strncmp(e.msg, "member a\\x0ab: several", 22));
    /* a format's own line breaks stay (a boot check quoting the dom0) */
    md_err e2 = MD_ERR_INIT;
    md_err_set(&e2, "failed:\n%s", "line1\nline2\x1b[2J");
    CHECK_STR(e2.msg, "failed:\nline1\nline2\\x1b[2J");
    /* every note and result: one line */
    md_strv got = { 0 };
    md_out o = { .fn = collect, .ctx = &got };
    md_out_say(&o, MD_OUT_NOTE, "dom0-base %s v323", "1.0-r0\x1b[2J\nfake");
    md_out_lines(&o, MD_OUT_RESULT, "a\x1b[2Kb\nc");
    CHECK(got.n == 3);
    if (got.n == 3) {
        CHECK_STR(got.v[0], "note:dom0-base 1.0-r0\\x1b[2J\\x0afake v323");
        CHECK_STR(got.v[1], "result:a\\x1b[2Kb");
        CHECK_STR(got.v[2], "result:c");
    }
    md_strv_free(&got);
}

int main(void)
{
    test_levels();
    test_lines();
    test_shown();
    return t_done("test_out");
}
