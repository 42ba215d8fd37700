/* mkdom0 — the thin CLI over libmkdom0: dispatch to one app per subcommand. */
#include <stdio.h>
#include <string.h>
#include "app.h"
#include "sink.h"
#include "image/image.h"
#include "packages/fetch.h"

#define APPS(X) X(build) X(resolve) X(boot) X(lint) X(inspect)
#define DECLARE(n) extern const struct md_app md_app_##n __attribute__((weak));
APPS(DECLARE)
#define REF(n) &md_app_##n,
static const struct md_app *const apps[] = { APPS(REF) };

#define MKDOM0_VERSION "0.1.0"

static void usage(FILE *f)
{
    fprintf(f, "Usage: mkdom0 COMMAND [OPTIONS] [ARGS]\n\n"
               "Build and prove RAM-resident Xen dom0 images from distribution packages.\n\n"
               "Commands:\n");
    for (size_t i = 0; i < sizeof apps / sizeof *apps; i++)
        if (apps[i])
            fprintf(f, "  %-9s %s\n", apps[i]->name, apps[i]->summary);
    fprintf(f, "\nRun 'mkdom0 COMMAND --help' for a command's options; see mkdom0(1).\n");
}

/* The environment's numbers, each read where it is used, are checked here
 * once, before any command: a bad one is an error even when the command
 * would not have read it this time (a build from a warm cache never
 * downloads, so MKDOM0_STALL_TIMEOUT=abc went unnoticed, trial 9e). */
static int check_env(void)
{
    md_err err = MD_ERR_INIT;
    long stall;
    int threads;
    bool progress;
    if (md_fetch_stall_seconds(&stall, &err) == 0 && md_image_threads(&threads, &err) == 0 &&
        md_cli_progress(&progress, &err) == 0)
        return 0;
    fprintf(stderr, "mkdom0: %s\n", err.msg);
    return -1;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return MD_EXIT_USAGE;
    }
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
        usage(stdout);
        return MD_EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        puts("mkdom0 " MKDOM0_VERSION);
        return MD_EXIT_OK;
    }
    for (size_t i = 0; i < sizeof apps / sizeof *apps; i++) {
        if (!apps[i] || strcmp(apps[i]->name, argv[1]))
            continue;
        if (check_env() < 0)
            return MD_EXIT_USAGE;
        /* getopt names argv[0] in its messages: "mkdom0 build: ...". */
        char prog[64];
        snprintf(prog, sizeof prog, "mkdom0 %s", apps[i]->name);
        argv[1] = prog;
        return apps[i]->run(argc - 1, argv + 1);
    }
    fprintf(stderr, "mkdom0: unknown command '%s'\n", argv[1]);
    usage(stderr);
    return MD_EXIT_USAGE;
}
