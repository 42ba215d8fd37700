#include "sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

void md_cli_sink_line(void *ctx, md_out_level level, const char *line)
{
    (void)ctx;
    switch (level) {
    case MD_OUT_PROGRESS:
    case MD_OUT_NOTE:
        fprintf(stderr, "mkdom0: %s\n", line);
        break;
    case MD_OUT_FINDING:
        fprintf(stderr, "%s\n", line);
        break;
    case MD_OUT_RESULT:
        printf("%s\n", line);
        fflush(stdout);
        break;
    }
}

md_out md_cli_sink(void)
{
    const char *e = getenv("MKDOM0_PROGRESS");
    return (md_out){ .fn = md_cli_sink_line, .progress = e ? e[0] == '1' : isatty(2) };
}
