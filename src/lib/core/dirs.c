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

const char *md_home_dir(void)
{
    const char *e = getenv("HOME");
    return e && *e ? e : "/tmp";
}

char *md_cache_dir(void)
{
    const char *e = getenv("MKDOM0_CACHE");
    if (e && *e)
        return md_xstrdup(e);
    e = getenv("XDG_CACHE_HOME");
    if (e && *e)
        return md_xasprintf("%s/mkdom0", e);
    return md_xasprintf("%s/.cache/mkdom0", md_home_dir());
}

char *md_state_dir(void)
{
    const char *e = getenv("XDG_STATE_HOME");
    if (e && *e)
        return md_xasprintf("%s/mkdom0", e);
    return md_xasprintf("%s/.local/state/mkdom0", md_home_dir());
}

char *md_keys_dir(void)
{
    char *state = md_state_dir(), *keys = md_xasprintf("%s/keys", state);
    free(state);
    return keys;
}
