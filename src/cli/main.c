/* mkdom0 — the thin CLI over libmkdom0: dispatch to one app per subcommand. */
#include <stdio.h>
#include <string.h>
#include "app.h"

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
