/* out — progress lines and notes.  Prefix md_. */
#ifndef MD_CORE_OUT_H
#define MD_CORE_OUT_H

/* Progress lines on stderr: shown when stderr is a terminal or
 * MKDOM0_PROGRESS=1, silent otherwise (tests, pipes). */
void md_progress(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Warnings and notes always go to stderr. */
void md_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
