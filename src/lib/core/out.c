#include "core/out.h"
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
    char *line = md_xvasprintf(fmt, ap);
    va_end(ap);
    o->fn(o->ctx, level, line);
    free(line);
}

void md_out_lines(const md_out *o, md_out_level level, const char *text)
{
    if (!shown(o, level))
        return;
    while (*text) {
        size_t n = strcspn(text, "\n");
        char *line = md_xstrndup(text, n);
        o->fn(o->ctx, level, line);
        free(line);
        text += n + (text[n] == '\n');
    }
}
