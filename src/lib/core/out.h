/* out — where the library's words go: progress, notes, findings and
 * results, each one line handed to a function the caller gives (as kmod's
 * log function or apk-tools' apk_out).  The library writes nothing to a
 * terminal itself; the program decides where each level shows, how it looks
 * and whether progress shows at all.  Prefix md_out_.
 *
 * Ownership: the caller allocates the md_out (a plain value, usually on its
 * stack), keeps it alive while the library may use it and frees whatever
 * `ctx` holds.  The library only borrows the pointer: option and context
 * structs hold a `const md_out *`, and functions deep inside reach it through
 * them.  A NULL md_out, or one without `fn`, drops everything.
 */
#ifndef MD_CORE_OUT_H
#define MD_CORE_OUT_H

#include <stdbool.h>

typedef enum md_out_level {
    MD_OUT_PROGRESS, /* what is being done now ("fetching URL"); dropped unless `progress` */
    MD_OUT_NOTE,     /* worth knowing, no error: a retry, a fallback, a skipped dependency */
    MD_OUT_FINDING,  /* a checker's finding shown as the work goes ("FILE: error: [trap1] ...") */
    MD_OUT_RESULT,   /* what the command was asked for: summaries, tables, verdicts */
} md_out_level;

typedef struct md_out {
    /* One line, without its newline ("" is an empty line); `line` is only
     * valid during the call. */
    void (*fn)(void *ctx, md_out_level level, const char *line);
    void *ctx;
    bool progress; /* pass MD_OUT_PROGRESS lines to fn */
} md_out;

/* Format one line (printf-style, no trailing newline) and hand it to o. */
void md_out_say(const md_out *o, md_out_level level, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Hand `text` to o line by line: each '\n' ends a line; a last line without
 * one is passed too. */
void md_out_lines(const md_out *o, md_out_level level, const char *text);

#endif
