/* Minimal unit-test support: CHECK() records, t_done() reports and gives the
 * exit status.  Each tests/unit/test_*.c is one program with its own main. */
#ifndef T_H
#define T_H
#include <stdio.h>
#include <string.h>

static int t_pass, t_fail;

#define CHECK(cond) do { \
    if (cond) t_pass++; \
    else { t_fail++; fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); } \
} while (0)

#define CHECK_STR(a, b) do { \
    const char *t_a = (a), *t_b = (b); \
    if (t_a && t_b && strcmp(t_a, t_b) == 0) t_pass++; \
    else { t_fail++; fprintf(stderr, "%s:%d: CHECK_STR failed: %s = \"%s\", expected \"%s\"\n", \
                             __FILE__, __LINE__, #a, t_a ? t_a : "(null)", t_b ? t_b : "(null)"); } \
} while (0)

/* The error message must mention `needle` (a file, package, or cause). */
#define CHECK_ERR(err, needle) do { \
    if ((err)->set && strstr((err)->msg, (needle))) t_pass++; \
    else { t_fail++; fprintf(stderr, "%s:%d: expected error mentioning \"%s\", got \"%s\"\n", \
                             __FILE__, __LINE__, (needle), (err)->set ? (err)->msg : "(no error)"); } \
} while (0)

static inline int t_done(const char *name)
{
    printf("%s: %d passed, %d failed\n", name, t_pass, t_fail);
    return t_fail ? 1 : 0;
}
#endif
