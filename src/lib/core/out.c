#include "core/out.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One line on stderr, as progress and notes both look. */
static void say(const char *fmt, va_list ap)
{
    fputs("mkdom0: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

static int progress_on = -1;

void md_progress(const char *fmt, ...)
{
    if (progress_on < 0) {
        const char *e = getenv("MKDOM0_PROGRESS");
        progress_on = e ? (e[0] == '1') : isatty(2);
    }
    if (!progress_on)
        return;
    va_list ap;
    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
}

void md_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    say(fmt, ap);
    va_end(ap);
}
