/* err — the first error of an operation, with its context, carried to the CLI.
 *
 * Convention for the whole library: a function that can fail returns int
 * (0 on success, -1 on failure) or a pointer (NULL on failure) and takes an
 * `md_err *` as its last argument.  The first failure writes the message;
 * callers up the stack may add context with md_err_prefix() but never replace
 * it.  The CLI prints it once.
 *
 * Ownership: md_err is a plain value owned by the caller (usually on the
 * stack); nothing here allocates, so there is nothing to free.  Format
 * arguments are borrowed for the call.
 */
#ifndef MD_ERR_H
#define MD_ERR_H

#include <stdbool.h>

typedef struct md_err {
    bool set;
    char msg[2048];
} md_err;

#define MD_ERR_INIT { false, { 0 } }

/* Record an error unless one is already recorded.  Always returns -1 so that
 * `return md_err_set(err, ...)` reads naturally. */
int md_err_set(md_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Like md_err_set, appending ": strerror(errno)". */
int md_err_errno(md_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Put "context: " in front of the recorded message (e.g. a file or package
 * name known only to the caller).  No-op if nothing is recorded. */
void md_err_prefix(md_err *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

void md_err_clear(md_err *err);

/* `s` as a message may show it: every control character written as \xNN
 * (bytes 0x01-0x1f and 0x7f, newline and ESC included, and the C1 controls
 * U+0080-U+009F in UTF-8), the rest as it is.  For every string that comes
 * from an input (a name in a package, a modloop or an image, an index
 * field) before it goes into a message: raw, an ESC sequence sets the
 * terminal's title or erases a line, and a newline or CR writes a line of
 * its own ("mkdom0: built OK", trial 9e case 5).  malloc'd; the caller
 * frees it.
 * md_err_set, md_err_errno, md_err_prefix and md_out_say (out.h) apply it
 * to every message they make, so no input reaches the terminal raw through
 * a message that forgot it: an error keeps only the newlines of a format
 * that has line breaks of its own (then its arguments' newlines stay too:
 * escape a name there with md_err_shown); a note is always one line. */
char *md_err_shown(const char *s);

#endif
