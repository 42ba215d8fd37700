#include "image/report.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/err.h"
#include "core/mem.h"

struct bucket {
    char *name;
    size_t bytes, files;
};

struct md_report {
    struct bucket *origins;
    size_t norigins;
    struct bucket cats[5];
    size_t total;
};

static const char *const cat_names[] = { "modules", "libraries", "binaries", "config", "other" };

/* Category of an image path. */
static const char *category(const char *path)
{
    if (strstr(path, "/lib/modules/"))
        return cat_names[0];
    if (!strncmp(path, "/etc/", 5))
        return cat_names[3];
    if (strstr(path, "/bin/") || strstr(path, "/sbin/") || strstr(path, "/libexec/"))
        return cat_names[2];
    if (fnmatch("*.so", path, 0) == 0 || fnmatch("*.so.*", path, 0) == 0 ||
        strstr(path, "/lib/"))
        return cat_names[1];
    return cat_names[4];
}

static struct bucket *origin_bucket(md_report *r, const char *origin)
{
    /* Few hundred origins at most: a linear scan is fine. */
    for (size_t i = 0; i < r->norigins; i++)
        if (!strcmp(r->origins[i].name, origin))
            return &r->origins[i];
    r->origins = md_xrealloc(r->origins, (r->norigins + 1) * sizeof *r->origins);
    struct bucket *b = &r->origins[r->norigins++];
    *b = (struct bucket){ md_xstrdup(origin), 0, 0 };
    return b;
}

md_report *md_report_new(const md_tree *t)
{
    md_report *r = md_xcalloc(1, sizeof *r);
    for (size_t i = 0; i < 5; i++)
        r->cats[i].name = (char *)cat_names[i];
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        if (md_node_type_of(n) != MD_NODE_FILE)
            continue;
        size_t size;
        md_node_data(n, &size);
        struct bucket *o = origin_bucket(r, md_node_origin(n));
        o->bytes += size, o->files++;
        const char *c = category(md_node_path(n));
        for (size_t i = 0; i < 5; i++)
            if (c == cat_names[i])
                r->cats[i].bytes += size, r->cats[i].files++;
        r->total += size;
    }
    return r;
}

void md_report_free(md_report *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->norigins; i++)
        free(r->origins[i].name);
    free(r->origins);
    free(r);
}


static int by_size_desc(const void *a, const void *b)
{
    const struct bucket *x = a, *y = b;
    if (x->bytes != y->bytes)
        return x->bytes < y->bytes ? 1 : -1;
    return strcmp(x->name, y->name);
}

static void print_rows(FILE *f, const struct bucket *b, size_t n, size_t total)
{
    for (size_t i = 0; i < n; i++) {
        char *name = md_err_shown(b[i].name); /* an origin is an input's name */
        fprintf(f, "  %-36s %10.2f MiB %6zu files %5.1f%%\n", name,
                b[i].bytes / 1048576.0, b[i].files, total ? 100.0 * b[i].bytes / total : 0.0);
        free(name);
    }
}

char *md_report_text(const md_report *r, size_t top)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = md_xmemstream(&text, &len);
    fprintf(f, "Uncompressed size by category (total %.2f MiB):\n", r->total / 1048576.0);
    struct bucket cats[5];
    memcpy(cats, r->cats, sizeof cats);
    qsort(cats, 5, sizeof *cats, by_size_desc);
    print_rows(f, cats, 5, r->total);
    struct bucket *o = md_xmalloc((r->norigins + 1) * sizeof *o);
    memcpy(o, r->origins, r->norigins * sizeof *o);
    qsort(o, r->norigins, sizeof *o, by_size_desc);
    size_t n = top && top < r->norigins ? top : r->norigins;
    fprintf(f, "By package%s:\n", n < r->norigins ? " (largest)" : "");
    print_rows(f, o, n, r->total);
    free(o);
    return md_xmemstream_close(f, &text);
}

char *md_report_cost_text(const md_report *r, const char *label, const char *const *origins)
{
    size_t n = 0;
    while (origins[n])
        n++;
    struct bucket *b = md_xcalloc(n + 1, sizeof *b), sum = { 0 };
    for (size_t i = 0; i < n; i++) {
        b[i].name = (char *)origins[i];
        for (size_t j = 0; j < r->norigins; j++)
            if (!strcmp(r->origins[j].name, origins[i]))
                b[i].bytes = r->origins[j].bytes, b[i].files = r->origins[j].files;
        sum.bytes += b[i].bytes, sum.files += b[i].files;
    }
    qsort(b, n, sizeof *b, by_size_desc);
    char *text = NULL;
    size_t len = 0;
    FILE *f = md_xmemstream(&text, &len);
    fprintf(f, "%s: %.2f MiB uncompressed in %zu files (%.1f%% of the image), %zu packages:\n",
            label, sum.bytes / 1048576.0, sum.files, r->total ? 100.0 * sum.bytes / r->total : 0.0,
            n);
    print_rows(f, b, n, r->total);
    free(b);
    return md_xmemstream_close(f, &text);
}
