/* An inittab (busybox or sysvinit): lint's check (lint/lint.h md_lint_inittab). */
#include "fuzz.h"
#include "lint/lint.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    md_lint *l = md_lint_new();
    md_lint_inittab(l, "inittab", (const char *)data, size, NULL);
    free(md_lint_text(l));
    md_lint_free(l);
    return 0;
}
