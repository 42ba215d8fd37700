#include "paths.h"

#include <limits.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/mem.h"

static char *exe_dir(void)
{
    char buf[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0)
        return md_xstrdup(".");
    buf[n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash)
        *slash = '\0';
    return md_xstrdup(buf);
}

static bool is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static char *locate(const char *env, const char *in_tree, const char *installed)
{
    const char *e = getenv(env);
    if (e && *e)
        return md_xstrdup(e);
    char *dir = exe_dir();
    char *p = md_xasprintf("%s/%s", dir, in_tree);
    if (!is_dir(p)) {
        free(p);
        p = md_xasprintf("%s/%s", dir, installed);
    }
    free(dir);
    return p;
}

char *md_cli_data_dir(void) { return locate("MKDOM0_DATADIR", "../data", "../share/mkdom0"); }
char *md_cli_dom0_dir(void) { return locate("MKDOM0_DOM0DIR", "dom0", "../lib/mkdom0/dom0"); }
