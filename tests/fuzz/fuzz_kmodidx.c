/* kmod's binary index writer (image/kmodidx.h) on the keys and values of
 * text lines "KEY VALUE" (the priority is the line number), as the build
 * feeds it from modules.dep, aliases and symbols. */
#include <stdio.h>
#include "fuzz.h"
#include "image/kmodidx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_str(data, size);
    md_kmodidx *x = md_kmodidx_new();
    unsigned prio = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        char *sp = strchr(line, ' ');
        if (sp)
            *sp = '\0';
        md_err e = MD_ERR_INIT;
        (void)md_kmodidx_add(x, line, sp ? sp + 1 : "", prio++ % 4, &e);
    }
    size_t len;
    free(md_kmodidx_write(x, &len));
    md_kmodidx_free(x);
    free(text);
    return 0;
}
