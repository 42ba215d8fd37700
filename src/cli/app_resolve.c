/* mkdom0 resolve: show (and optionally download and lock) the package set
 * a spec resolves to, without building anything. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "core/dirs.h"
#include "core/file.h"
#include "packages/resolve.h"
#include "spec/spec.h"
#include "sink.h"

/* What another user who may change --lock's directory or owns its file
 * could do: the lock decides the exact packages of later builds. */
#define LOCK_RISK "who could change the lock file, which names the exact packages and " \
                  "checksums of the image: write it into a directory of your own"

static void usage(FILE *f)
{
    fprintf(f, "Usage: mkdom0 resolve [SPEC] [--download] [--lock FILE] [--cache DIR]\n\n"
               "Fetch and verify the spec's repositories, resolve its packages and print\n"
               "them: package, version, repository, size, why.  Without SPEC, the embedded\n"
               "default spec.\n\n"
               "  --download        also fetch every .deb (or .apk) into the cache (verified)\n"
               "  --lock FILE       write the lock file (name, version, repository, size, and\n"
               "                    checksum: Debian's SHA256, Alpine's index C:)\n"
               "  --cache DIR       cache directory (default: $MKDOM0_CACHE, else\n"
               "                    $XDG_CACHE_HOME/mkdom0, else ~/.cache/mkdom0)\n");
}

static void print_table(const md_resolve *res)
{
    size_t w[3] = { 7, 7, 10 };
    for (size_t i = 0; i < md_resolve_count(res); i++) {
        const md_repo_pkg *p = md_resolve_pkg(res, i);
        size_t l[3] = { strlen(p->name), strlen(p->version), strlen(md_repo_name(p->repo)) };
        for (int k = 0; k < 3; k++)
            if (l[k] > w[k])
                w[k] = l[k];
    }
    printf("%-*s  %-*s  %-*s  %10s  %s\n", (int)w[0], "PACKAGE", (int)w[1], "VERSION", (int)w[2],
           "REPOSITORY", "SIZE", "WHY");
    for (size_t i = 0; i < md_resolve_count(res); i++) {
        const md_repo_pkg *p = md_resolve_pkg(res, i);
        printf("%-*s  %-*s  %-*s  %10llu  %s\n", (int)w[0], p->name, (int)w[1], p->version, (int)w[2],
               md_repo_name(p->repo), (unsigned long long)p->size, md_resolve_why(res, i));
    }
    for (size_t i = 0; i < md_resolve_skipped_count(res); i++)
        printf("%s\n", md_resolve_skipped(res, i));
    printf("%zu packages, %llu bytes to download, %llu KiB installed\n", md_resolve_count(res),
           (unsigned long long)md_resolve_total_size(res), (unsigned long long)md_resolve_total_installed(res));
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "download", no_argument, NULL, 'd' },
        { "lock", required_argument, NULL, 'l' },
        { "cache", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    bool download = false;
    const char *lock = NULL, *cache = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "dl:c:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': download = true; break;
        case 'l': lock = optarg; break;
        case 'c': cache = optarg; break;
        case 'h': usage(stdout); return MD_EXIT_OK;
        default: usage(stderr); return MD_EXIT_USAGE;
        }
    }
    if (argc - optind > 1) {
        usage(stderr);
        return MD_EXIT_USAGE;
    }
    md_err err = MD_ERR_INIT;
    /* The lock file's place is checked before any work, by the rule of
     * every file mkdom0 writes (trial 9k: a symlink or a device there was
     * refused only after the fetch, and a directory another user could
     * change was not) */
    char *lock_real = lock ? md_file_check_output(lock, LOCK_RISK, &err) : NULL;
    if (lock && !lock_real)
        md_err_prefix(&err, "--lock");
    md_spec *spec = !lock || lock_real ? md_spec_load(optind < argc ? argv[optind] : NULL, &err)
                                       : NULL;
    md_out out = md_cli_sink();
    /* the cache too, before the indexes are fetched */
    md_resolve *res = spec && md_cache_prepare(cache, NULL, &err) == 0
                          ? md_resolve_spec(spec, cache, &out, &err) : NULL;
    int rc = res ? 0 : -1;
    if (rc == 0 && download)
        rc = md_resolve_download(res, cache, NULL, &err);
    if (rc == 0 && lock)
        rc = md_resolve_write_lock(res, lock_real, &err);
    free(lock_real);
    if (rc == 0)
        print_table(res);
    else
        fprintf(stderr, "mkdom0 resolve: %s\n", err.msg);
    md_resolve_free(res);
    md_spec_free(spec);
    return rc == 0 ? MD_EXIT_OK : MD_EXIT_FAIL;
}

const struct md_app md_app_resolve = {
    "resolve", "resolve the spec's packages (table, --download, --lock)", run,
};
