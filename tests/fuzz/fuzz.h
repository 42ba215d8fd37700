/* fuzz.h — what every libFuzzer target here shares (tests/fuzz/README).
 *
 * A target is one file fuzz_NAME.c defining LLVMFuzzerTestOneInput: it hands
 * the input bytes to one parser's public API and frees all it got back, so
 * that ASan's leak check and UBSan see the whole call.  Findings are crashes,
 * sanitizer reports, leaks, timeouts and running over -rss_limit_mb.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The input as a NUL-terminated string (an embedded NUL ends it early, as
 * it would in a file read by a text parser).  Caller frees. */
static inline char *fz_str(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

/* Split the input at its first NUL byte: *a is the part before (or all of
 * it), *b the part after (NULL when there is no NUL).  Both in one malloc'd
 * block the caller frees through *a. */
static inline void fz_split(const uint8_t *data, size_t size, char **a, char **b)
{
    *a = fz_str(data, size);
    size_t n = strlen(*a);
    *b = n < size ? *a + n + 1 : NULL;
}

#endif
