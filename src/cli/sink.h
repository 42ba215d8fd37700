/* sink — the md_out every subcommand gives the library: progress and notes
 * on stderr as "mkdom0: LINE", findings on stderr as they are, results on
 * stdout (flushed per line, so a log of both streams keeps their order).
 * Progress shows when stderr is a terminal, or as MKDOM0_PROGRESS=0/1 says. */
#ifndef MD_CLI_SINK_H
#define MD_CLI_SINK_H
#include "core/err.h"
#include "core/out.h"

md_out md_cli_sink(void);
/* MKDOM0_PROGRESS: 1 or 0 forces progress lines on or off; unset or
 * empty: on when stderr is a terminal.  Another value is an error. */
int md_cli_progress(bool *on, md_err *err);
/* The sink's function (ctx unused), for a subcommand that wraps it. */
void md_cli_sink_line(void *ctx, md_out_level level, const char *line);
#endif
