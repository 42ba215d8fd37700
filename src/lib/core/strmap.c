#include "core/strmap.h"
#include "core/mem.h"

#include <stdlib.h>
#include <string.h>

struct slot {
    char *key; /* NULL: empty */
    size_t value;
};

struct md_strmap {
    struct slot *s;
    size_t cap, n; /* cap: a power of two, at least twice n */
};

/* FNV-1a (glibc's hsearch hash collides too much on similar names: see
 * packages/resolve.c), the high bits folded in for the mask. */
static size_t hash(const char *k)
{
    uint64_t h = 1469598103934665603ull;
    for (; *k; k++)
        h = (h ^ (unsigned char)*k) * 1099511628211ull;
    return (size_t)(h ^ (h >> 29));
}

static size_t find(const md_strmap *m, const char *key)
{
    size_t mask = m->cap - 1, i = hash(key) & mask;
    while (m->s[i].key && strcmp(m->s[i].key, key))
        i = (i + 1) & mask;
    return i;
}

md_strmap *md_strmap_new(void)
{
    md_strmap *m = md_xcalloc(1, sizeof *m);
    m->cap = 16;
    m->s = md_xcalloc(m->cap, sizeof *m->s);
    return m;
}

void md_strmap_free(md_strmap *m)
{
    if (!m)
        return;
    for (size_t i = 0; i < m->cap; i++)
        free(m->s[i].key);
    free(m->s);
    free(m);
}

size_t md_strmap_get(const md_strmap *m, const char *key)
{
    const struct slot *sl = &m->s[find(m, key)];
    return sl->key ? sl->value : MD_STRMAP_NONE;
}

void md_strmap_put(md_strmap *m, const char *key, size_t value)
{
    if ((m->n + 1) * 2 > m->cap) {
        struct slot *old = m->s;
        size_t oldcap = m->cap;
        m->cap *= 2;
        m->s = md_xcalloc(m->cap, sizeof *m->s);
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].key)
                m->s[find(m, old[i].key)] = old[i];
        free(old);
    }
    struct slot *sl = &m->s[find(m, key)];
    if (!sl->key) {
        sl->key = md_xstrdup(key);
        m->n++;
    }
    sl->value = value;
}
