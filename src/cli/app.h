/* app — one mkdom0 subcommand.  Each src/cli/app_NAME.c defines
 * `const struct md_app md_app_NAME`; main.c lists them by weak reference, so a
 * subcommand exists exactly when its file is built. */
#ifndef MD_APP_H
#define MD_APP_H
#include <stdio.h>

struct md_app {
    const char *name;
    const char *summary;                 /* one line for `mkdom0 --help` */
    int (*run)(int argc, char **argv);   /* argv[0] is the subcommand name; returns exit status */
};

/* Exit statuses shared by all subcommands. */
enum { MD_EXIT_OK = 0, MD_EXIT_FAIL = 1, MD_EXIT_USAGE = 2 };

#endif
