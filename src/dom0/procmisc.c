#include "procmisc.h"

#include <stdlib.h>
#include <string.h>

/* /dev/xen/NAME is created from NAME: it must be one harmless component. */
static int safe_component(const char *s, size_t n)
{
    if (n == 0 || n >= sizeof ((d0_misc_dev *)0)->name)
        return 0;
    if ((n == 1 && s[0] == '.') || (n == 2 && s[0] == '.' && s[1] == '.'))
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
              ch == '_' || ch == '-' || ch == '.'))
            return 0;
    }
    return 1;
}

static int is_space(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\v' || ch == '\f';
}

/* One line, without its '\n'.  Returns 1 for a xen/ device (filled in),
 * 0 for another device, -1 for garbage, 2 for an empty line. */
static int parse_line(const char *s, size_t len, d0_misc_dev *dev)
{
    size_t i = 0;
    while (i < len && is_space(s[i]))
        i++;
    if (i == len)
        return 2;
    if (s[i] < '0' || s[i] > '9')
        return -1;
    unsigned long minor = 0;
    while (i < len && s[i] >= '0' && s[i] <= '9') {
        minor = minor * 10 + (unsigned long)(s[i] - '0');
        if (minor > D0_MINOR_MAX)
            return -1;
        i++;
    }
    if (i == len || !is_space(s[i]))
        return -1;
    while (i < len && is_space(s[i]))
        i++;
    size_t start = i;
    while (i < len && !is_space(s[i]))
        i++;
    size_t end = i;
    while (i < len && is_space(s[i]))
        i++;
    if (start == end || i != len)
        return -1; /* no name, or more than one word */
    const char *name = s + start;
    size_t n = end - start;
    if (n < 4 || memcmp(name, "xen/", 4) != 0)
        return 0;
    if (!safe_component(name + 4, n - 4))
        return -1;
    dev->minor = (unsigned)minor;
    memcpy(dev->name, name + 4, n - 4);
    dev->name[n - 4] = '\0';
    return 1;
}

void d0_misc_parse(const char *text, d0_misc *out)
{
    memset(out, 0, sizeof *out);
    size_t cap = 0;
    unsigned lineno = 0;
    for (const char *p = text; p && *p;) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        lineno++;
        d0_misc_dev dev;
        int r = parse_line(p, len, &dev);
        if (r == 1 && d0_misc_find(out, dev.name))
            r = -1;
        if (r == 1) {
            if (out->n == cap) {
                cap = cap ? cap * 2 : 8;
                d0_misc_dev *nd = realloc(out->devs, cap * sizeof *nd);
                if (!nd)
                    abort(); /* a few entries; nothing sensible to do */
                out->devs = nd;
            }
            out->devs[out->n++] = dev;
        } else if (r == 0) {
            out->ignored++;
        } else if (r == -1) {
            if (!out->bad)
                out->first_bad_line = lineno;
            out->bad++;
        }
        p = nl ? nl + 1 : NULL;
    }
}

void d0_misc_free(d0_misc *m)
{
    free(m->devs);
    memset(m, 0, sizeof *m);
}

const d0_misc_dev *d0_misc_find(const d0_misc *m, const char *name)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->devs[i].name, name) == 0)
            return &m->devs[i];
    return NULL;
}
