#include "core/dirs.h"
#include "core/file.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>
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
    /* The XDG Base Directory spec: a relative path there is invalid and
     * ignored (trial 9h case 15: ./relcache/mkdom0 in whatever directory
     * mkdom0 ran from) */
    e = getenv("XDG_CACHE_HOME");
    if (e && *e == '/')
        return md_xasprintf("%s/mkdom0", e);
    return md_xasprintf("%s/.cache/mkdom0", md_home_dir());
}

char *md_cache_path(const char *cache_dir, const char *sub)
{
    char *cd = cache_dir ? md_xstrdup(cache_dir) : md_cache_dir();
    if (!sub)
        return cd;
    char *d = md_xasprintf("%s/%s", cd, sub);
    free(cd);
    return d;
}

int md_cache_prepare(const char *cache_dir, const char *sub, md_err *err)
{
    char *cd = md_cache_path(cache_dir, NULL);
    char *risk = md_xasprintf("who could swap the packages or indexes mkdom0 verified for their "
                              "own, which would land in the image: use a cache of user %u's own "
                              "that no one else can write (chown -R, chmod go-w, or choose another "
                              "--cache or $MKDOM0_CACHE)",
                              (unsigned)geteuid());
    /* debs/, indexes/, unpacked/ and a lock are made in it: --cache /etc
     * made them in /etc (trial 9m), as --keys /etc wrote keys there. */
    char *sys = realpath(cd, NULL);
    if (sys && md_file_system_dir(sys)) {
        md_err_set(err, "cache directory %s: a system directory (one under /, /usr, /var or "
                        "/home, or your home), and mkdom0 makes its debs/, indexes/ and "
                        "unpacked/ there: give --cache (or $MKDOM0_CACHE) a directory of its own",
                   cd);
        free(sys);
        free(risk);
        free(cd);
        return -1;
    }
    free(sys);
    char *d = md_cache_path(cd, sub);
    /* The cache itself first: made (or checked) as a whole before `sub`. */
    /* The caller's own (MD_WALK_OWN): what is in it is written, renamed
     * and removed, which root's cache would refuse another caller only
     * after the downloads. */
    char *real = md_path_walk_trusted(cd, MD_WALK_CREATE | MD_WALK_OWN, 0755, risk, err);
    if (real && sub) {
        free(real);
        real = md_path_walk_trusted(d, MD_WALK_CREATE | MD_WALK_OWN, 0755, risk, err);
    }
    /* which option it is about: the walk names only the entry */
    if (!real && err && !strncmp(err->msg, cd, strlen(cd)))
        md_err_prefix(err, "cache directory");
    else if (!real && err)
        md_err_prefix(err, "cache directory %s", cd);
    free(real);
    free(d);
    free(risk);
    free(cd);
    return real ? 0 : -1;
}
