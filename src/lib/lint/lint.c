/* lint — the findings list and the helpers every lint_*.c check shares. */
#include "lint/lint.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "lint/lint_int.h"
#include "core/mem.h"

typedef struct finding {
    char *file, *msg;
    unsigned line;
    md_lint_sev sev;
    int trap;
} finding;

struct md_lint {
    finding *f;
    size_t n, cap;
};

md_lint *md_lint_new(void) { return md_xcalloc(1, sizeof(md_lint)); }

void md_lint_free(md_lint *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->f[i].file);
        free(l->f[i].msg);
    }
    free(l->f);
    free(l);
}

/* Takes `file`. */
static void add_v(md_lint *l, char *file, unsigned line, md_lint_sev sev, int trap,
                  const char *fmt, va_list ap)
{
    l->f = md_xgrow(l->f, &l->cap, l->n + 1, sizeof *l->f);
    l->f[l->n++] = (finding){ file, md_xvasprintf(fmt, ap), line, sev, trap };
}

void md_lint_add(md_lint *l, const char *file, unsigned line, md_lint_sev sev,
                 int trap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_v(l, md_xstrdup(file ? file : "-"), line, sev, trap, fmt, ap);
    va_end(ap);
}

void md_lint_add_at(md_lint *l, const char *label, const char *p, unsigned line,
                    md_lint_sev sev, int trap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    add_v(l, p ? md_lint_where(label, p) : md_xstrdup(label), line, sev, trap, fmt, ap);
    va_end(ap);
}

size_t md_lint_count(const md_lint *l) { return l->n; }

size_t md_lint_count_sev(const md_lint *l, md_lint_sev sev)
{
    size_t c = 0;
    for (size_t i = 0; i < l->n; i++)
        c += l->f[i].sev == sev;
    return c;
}

const char *md_lint_file(const md_lint *l, size_t i) { return l->f[i].file; }
unsigned md_lint_line(const md_lint *l, size_t i) { return l->f[i].line; }
md_lint_sev md_lint_severity(const md_lint *l, size_t i) { return l->f[i].sev; }
int md_lint_trap(const md_lint *l, size_t i) { return l->f[i].trap; }
const char *md_lint_message(const md_lint *l, size_t i) { return l->f[i].msg; }

static const char *sev_name(md_lint_sev s)
{
    return s == MD_LINT_ERROR ? "error" : s == MD_LINT_WARNING ? "warning" : "note";
}

char *md_lint_text(const md_lint *l)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = md_xmemstream(&text, &len);
    for (size_t i = 0; i < l->n; i++) {
        const finding *x = &l->f[i];
        char tag[16];
        if (x->trap)
            snprintf(tag, sizeof tag, "trap%d", x->trap);
        else
            snprintf(tag, sizeof tag, "boot");
        if (x->line)
            fprintf(f, "%s:%u: %s: [%s] %s\n", x->file, x->line, sev_name(x->sev), tag, x->msg);
        else
            fprintf(f, "%s: %s: [%s] %s\n", x->file, sev_name(x->sev), tag, x->msg);
    }
    return md_xmemstream_close(f, &text);
}

char *md_lint_where(const char *label, const char *p)
{
    size_t n = strlen(label);
    if (n && label[n - 1] == '/')
        return md_xasprintf("%.*s%s", (int)(n - 1), label, p);
    return md_xasprintf("%s(%s)", label, p);
}

const md_node *md_lint_resolve_file(const md_tree *t, const char *path)
{
    const md_node *n = md_tree_resolve(t, path);
    if (!n)
        return NULL;
    if (md_node_type_of(n) == MD_NODE_HARDLINK)
        n = md_tree_lookup(t, md_node_link_target(n));
    return n && md_node_type_of(n) == MD_NODE_FILE ? n : NULL;
}

char *md_lint_tree_text(const md_tree *t, const char *path, size_t *len)
{
    const md_node *n = md_lint_resolve_file(t, path);
    if (!n)
        return NULL;
    size_t sz = 0;
    const unsigned char *d = md_node_data(n, &sz);
    char *s = md_xmalloc(sz + 1);
    if (sz)
        memcpy(s, d, sz);
    s[sz] = '\0';
    if (len)
        *len = sz;
    return s;
}
