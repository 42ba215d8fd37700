/* Lint findings for unit tests, through lint.h's accessors. */
#ifndef T_LINT_H
#define T_LINT_H
#include <stdbool.h>
#include <string.h>
#include "lint/lint.h"

/* Does a finding of severity `sev` and trap `trap` mention `needle`? */
static inline bool t_lint_has(const md_lint *l, md_lint_sev sev, int trap, const char *needle)
{
    for (size_t i = 0; i < md_lint_count(l); i++)
        if (md_lint_severity(l, i) == sev && md_lint_trap(l, i) == trap &&
            strstr(md_lint_message(l, i), needle))
            return true;
    return false;
}

#endif
