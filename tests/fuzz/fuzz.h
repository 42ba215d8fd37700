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
#include <unistd.h>

/* ASan's options for every target, sized by the work a target does, not
 * by the clock.  The most any parser here asks for at once is a few MiB
 * (unpack's 4 MiB entry limit, decomp's 1 MiB output), so a single
 * allocation over 256 MiB is no work of ours: it fails (NULL) as it would
 * under `ulimit -v`, and mkdom0's md_xmalloc aborts on NULL, so one of our
 * own is still a finding.  The case: libarchive 3.6.2 (Debian 12) reserves
 * a cpio header's c_namesize before reading the name, and a 4 KB newc
 * archive (seed unpack/cpio-namesize-4g.gz) asks for 4 GiB.  mkdom0 lint
 * reads that file in 0.01 s and 11 MB, but under ASan freeing the 4 GiB
 * block writes its 512 MB of shadow: 0.6 s and 555 MB alone, over the 10 s
 * timeout at a load of 7 on 2 cores (trial 9).  Refused, libarchive says
 * "Unable to allocate copy buffer" and the reader returns that error, in
 * 0.04 s and 40 MB. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1:max_allocation_size_mb=256";
}

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

/* The input as the file at the returned path, for readers that want a
 * path: one temporary file per process (made from `tmpl`, e.g.
 * "/tmp/mkdom0-fuzz-deb.XXXXXX", which it keeps; removed at exit),
 * rewritten for each input. */
static inline const char **fz_file_made(void)
{
    static const char *path;
    return &path;
}
static inline void fz_file_remove(void)
{
    unlink(*fz_file_made());
}
static inline const char *fz_file(char *tmpl, const uint8_t *data, size_t size)
{
    static int fd = -1;
    if (fd < 0) {
        if ((fd = mkstemp(tmpl)) < 0)
            abort();
        *fz_file_made() = tmpl;
        atexit(fz_file_remove);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    return tmpl;
}

#endif
