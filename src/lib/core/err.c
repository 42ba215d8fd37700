#include "core/err.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static void vset(md_err *err, const char *fmt, va_list ap)
{
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    err->set = true;
}

int md_err_set(md_err *err, const char *fmt, ...)
{
    if (err && !err->set) {
        va_list ap;
        va_start(ap, fmt);
        vset(err, fmt, ap);
        va_end(ap);
    }
    return -1;
}

int md_err_errno(md_err *err, const char *fmt, ...)
{
    int saved = errno;
    if (err && !err->set) {
        va_list ap;
        va_start(ap, fmt);
        vset(err, fmt, ap);
        va_end(ap);
        size_t n = strlen(err->msg);
        snprintf(err->msg + n, sizeof err->msg - n, ": %s", strerror(saved));
    }
    errno = saved;
    return -1;
}

void md_err_prefix(md_err *err, const char *fmt, ...)
{
    if (!err || !err->set)
        return;
    char head[512], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    memcpy(old, err->msg, sizeof old);
    /* Truncation is acceptable: the head of the message matters most. */
    size_t hn = strlen(head);
    if (hn + 2 >= sizeof err->msg)
        hn = sizeof err->msg - 3;
    memcpy(err->msg, head, hn);
    memcpy(err->msg + hn, ": ", 2);
    size_t room = sizeof err->msg - hn - 3, on = strlen(old);
    if (on > room)
        on = room;
    memcpy(err->msg + hn + 2, old, on);
    err->msg[hn + 2 + on] = '\0';
}

void md_err_clear(md_err *err)
{
    err->set = false;
    err->msg[0] = '\0';
}
