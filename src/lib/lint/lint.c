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

void md_lint_add(md_lint *l, const char *file, unsigned line, md_lint_sev sev,
                 int trap, const char *fmt, ...)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? l->cap * 2 : 16;
        l->f = md_xrealloc(l->f, l->cap * sizeof *l->f);
    }
    va_list ap;
    va_start(ap, fmt);
    char *msg = NULL;
    if (vasprintf(&msg, fmt, ap) < 0)
        msg = md_xstrdup("(out of memory)");
    va_end(ap);
    l->f[l->n++] = (finding){ md_xstrdup(file ? file : "-"), msg, line, sev, trap };
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

bool md_lint_has(const md_lint *l, md_lint_sev sev, int trap, const char *needle)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->f[i].sev == sev && l->f[i].trap == trap && strstr(l->f[i].msg, needle))
            return true;
    return false;
}

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

bool md_lint_modname(const char *name, char *out, size_t outsz, bool need_ko)
{
    const char *b = strrchr(name, '/');
    b = b ? b + 1 : name;
    size_t n = strlen(b);
    static const char *const sfx[] = { ".ko", ".ko.gz", ".ko.xz", ".ko.zst", NULL };
    bool ko = false;
    for (int i = 0; sfx[i]; i++) {
        size_t s = strlen(sfx[i]);
        if (n > s && !strcmp(b + n - s, sfx[i])) {
            n -= s;
            ko = true;
            break;
        }
    }
    if (need_ko && !ko)
        return false;
    if (n + 1 > outsz)
        n = outsz - 1;
    for (size_t i = 0; i < n; i++)
        out[i] = b[i] == '-' ? '_' : b[i];
    out[n] = '\0';
    return true;
}
