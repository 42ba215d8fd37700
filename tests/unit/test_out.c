/* core/out: levels, the progress switch, and text split into lines. */
#include <stdlib.h>
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

int main(void)
{
    test_levels();
    test_lines();
    return t_done("test_out");
}
