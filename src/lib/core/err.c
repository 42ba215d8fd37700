#include "core/err.h"
#include "core/mem.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Length of the control character at p (0 if none): one byte, or the
 * two of a C1 control in UTF-8 (C2 80-9F). */
static size_t control_at(const unsigned char *p)
{
    if ((*p && *p < 0x20) || *p == 0x7f)
        return 1;
    return *p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f ? 2 : 0;
}

/* s into out (room bytes, room >= 1) with its control characters as
 * \xNN, except the characters in `keep`; cut short at a whole character. */
static void shown_into(char *out, size_t room, const char *s, const char *keep)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p;) {
        size_t c = control_at(p);
        if (!c || (c == 1 && strchr(keep, *p))) {
            if (o + 1 >= room)
                break;
            out[o++] = (char)*p++;
            continue;
        }
        if (o + 4 * c >= room)
            break;
        for (size_t i = 0; i < c; i++, p++)
            o += (size_t)snprintf(out + o, room - o, "\\x%02x", *p);
    }
    out[o] = '\0';
}

char *md_err_shown(const char *s)
{
    size_t room = 4 * strlen(s) + 1;
    char *out = md_xmalloc(room);
    shown_into(out, room, s, "");
    return out;
}

/* The message formatted from `fmt`, its control characters escaped into
 * err->msg; newlines too, unless `fmt` has its own line breaks (a boot
 * check's error quoting what the dom0 said, several lines on purpose):
 * in a one-line format, a newline can only come from an argument. */
static void vset(md_err *err, const char *fmt, va_list ap)
{
    char raw[sizeof err->msg];
    vsnprintf(raw, sizeof raw, fmt, ap);
    shown_into(err->msg, sizeof err->msg, raw, strchr(fmt, '\n') ? "\n" : "");
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
    char raw[512], head[512], old[sizeof err->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof raw, fmt, ap);
    va_end(ap);
    shown_into(head, sizeof head, raw, "");
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
