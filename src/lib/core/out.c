#include "core/out.h"
#include "core/err.h"
#include "core/mem.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static bool shown(const md_out *o, md_out_level level)
{
    return o && o->fn && (level != MD_OUT_PROGRESS || o->progress);
}

void md_out_say(const md_out *o, md_out_level level, const char *fmt, ...)
{
    if (!shown(o, level))
        return;
    va_list ap;
    va_start(ap, fmt);
    char *raw = md_xvasprintf(fmt, ap);
    va_end(ap);
    /* one line, whatever an input put into it (core/err.h md_err_shown) */
    char *line = md_err_shown(raw);
    free(raw);
    o->fn(o->ctx, level, line);
    free(line);
}

void md_out_lines(const md_out *o, md_out_level level, const char *text)
{
    if (!shown(o, level))
        return;
    while (*text) {
        size_t n = strcspn(text, "\n");
        char *raw = md_xstrndup(text, n), *line = md_err_shown(raw);
        o->fn(o->ctx, level, line);
        free(raw);
        free(line);
        text += n + (text[n] == '\n');
    }
}
