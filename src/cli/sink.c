#include "sink.h"
#include "core/size.h"

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

int md_cli_progress(bool *on, md_err *err)
{
    uint64_t v;
    int rc = md_size_env("MKDOM0_PROGRESS", 0, 1, isatty(2) ? 1 : 0, &v, err);
    *on = v == 1;
    return rc;
}

md_out md_cli_sink(void)
{
    bool on;
    md_err e = MD_ERR_INIT; /* refused before any command ran (main.c) */
    md_cli_progress(&on, &e);
    return (md_out){ .fn = md_cli_sink_line, .progress = on };
}
