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

/* Exit statuses shared by all subcommands.  MD_EXIT_INCOMPLETE is lint's
 * alone (man/mkdom0.1, EXIT STATUS): nothing failed in what was checked, but
 * some traps were not checked for want of an input, so it is no pass (issue
 * 10: "exit 0 only when every trap was actually checked"); it ranks below
 * MD_EXIT_FAIL and MD_EXIT_USAGE. */
enum { MD_EXIT_OK = 0, MD_EXIT_FAIL = 1, MD_EXIT_USAGE = 2, MD_EXIT_INCOMPLETE = 3 };

#endif
