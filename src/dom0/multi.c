/* The dom0 programs (every src/dom0/NAME-main.c) linked into one static
 * executable that runs the program its name says, as busybox does: the
 * static C library is most of each program's size (0.3 MB gzip apiece), so
 * one copy serves them all.  The Makefile compiles each NAME-main.c with
 * main renamed to dom0_main_ID and passes the list as DOM0_PROGRAMS, a
 * sequence of X(ID, "NAME"); the image holds the one file under each NAME
 * (`mkdom0 build` stores identical files once, as hardlinks). */
#include <stdio.h>
#include <string.h>

#ifndef DOM0_PROGRAMS
#error "DOM0_PROGRAMS (X(ID, \"NAME\") for each src/dom0/NAME-main.c) comes from the Makefile"
#endif

#define X(id, name) int dom0_main_##id(int argc, char **argv);
DOM0_PROGRAMS
#undef X

int main(int argc, char **argv)
{
    const char *me = argc > 0 && argv[0] ? argv[0] : "";
    if (strrchr(me, '/'))
        me = strrchr(me, '/') + 1;
#define X(id, name)                                                                                \
    if (strcmp(me, name) == 0)                                                                     \
        return dom0_main_##id(argc, argv);
    DOM0_PROGRAMS
#undef X
    fprintf(stderr, "%s: unknown program name; run this file as one of:", me);
#define X(id, name) fputs(" " name, stderr);
    DOM0_PROGRAMS
#undef X
    fputc('\n', stderr);
    return 127;
}
