#include "core/dirs.h"
#include "core/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *md_cache_dir(void)
{
    const char *e = getenv("MKDOM0_CACHE");
    if (e && *e)
        return md_xstrdup(e);
    e = getenv("XDG_CACHE_HOME");
    if (e && *e)
        return md_xasprintf("%s/mkdom0", e);
    e = getenv("HOME");
    return md_xasprintf("%s/.cache/mkdom0", e && *e ? e : "/tmp");
}
