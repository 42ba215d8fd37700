/* kmodidx — kmod's binary trie index, written from a sorted entry list.
 *
 * Hand-rolled because libkmod only reads these files; depmod, the only
 * writer, works on a directory of module files, and we hold the rootfs in
 * memory.  Instead of depmod's insert-and-split trie we sort the entries and
 * emit the compressed trie recursively: the shape of a compressed trie is
 * fixed by its key set (root prefix empty, every other node's prefix the
 * longest common prefix of the keys below it), so the file comes out the
 * same as depmod's: children before parents, in character order.
 */
#include "image/kmodidx.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/mem.h"

#define IDX_MAGIC 0xB007F457u
#define IDX_VERSION 0x00020001u
#define NODE_PREFIX 0x80000000u
#define NODE_VALUES 0x40000000u
#define NODE_CHILDS 0x20000000u
#define NODE_MASK 0x0FFFFFFFu

typedef struct entry {
    char *key, *value;
    unsigned prio;
    size_t seq;
} entry;

struct md_kmodidx {
    entry *e;
    size_t n, cap;
};

typedef struct buf {
    unsigned char *p;
    size_t len, cap;
} buf;

md_kmodidx *md_kmodidx_new(void)
{
    return md_xcalloc(1, sizeof(md_kmodidx));
}

void md_kmodidx_free(md_kmodidx *x)
{
    if (!x)
        return;
    for (size_t i = 0; i < x->n; i++) {
        free(x->e[i].key);
        free(x->e[i].value);
    }
    free(x->e);
    free(x);
}

static int check_ascii(const char *what, const char *s, md_err *err)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p >= 128)
            return md_err_set(err, "module index %s \"%s\": byte 0x%02x is not 7-bit ASCII, "
                              "which kmod's index format cannot store", what, s, *p);
    return 0;
}

int md_kmodidx_add(md_kmodidx *x, const char *key, const char *value,
                   unsigned priority, md_err *err)
{
    if (!key[0])
        return md_err_set(err, "module index: empty key (value \"%s\")", value);
    if (check_ascii("key", key, err) < 0 || check_ascii("value", value, err) < 0)
        return -1;
    x->e = md_xgrow(x->e, &x->cap, x->n + 1, sizeof(entry));
    x->e[x->n] = (entry){ md_xstrdup(key), md_xstrdup(value), priority, x->n };
    x->n++;
    return 0;
}

size_t md_kmodidx_count(const md_kmodidx *x)
{
    return x->n;
}

/* Key order, then what depmod's value lists hold: ascending priority, and
 * among equal priorities the entry inserted last first. */
static int entry_cmp(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    if (c)
        return c;
    if (x->prio != y->prio)
        return x->prio < y->prio ? -1 : 1;
    return x->seq < y->seq ? 1 : (x->seq > y->seq ? -1 : 0);
}

static void put(buf *b, const void *p, size_t n)
{
    b->p = md_xgrow(b->p, &b->cap, b->len + n, 1);
    memcpy(b->p + b->len, p, n);
    b->len += n;
}

static void put_u32(buf *b, uint32_t v)
{
    unsigned char c[4] = { v >> 24, v >> 16, v >> 8, v };
    put(b, c, 4);
}

static void put_u32_at(buf *b, size_t at, uint32_t v)
{
    unsigned char c[4] = { v >> 24, v >> 16, v >> 8, v };
    memcpy(b->p + at, c, 4);
}

/* Entries [lo,hi) share their first `depth` key bytes.  Writes the subtree
 * and returns the node's offset with its flags. */
static uint32_t write_node(buf *b, const entry *e, size_t lo, size_t hi, size_t depth,
                           bool root)
{
    size_t plen = 0;
    if (!root) {
        /* Sorted keys: the common prefix of the range is that of its ends. */
        const char *f = e[lo].key + depth, *l = e[hi - 1].key + depth;
        while (f[plen] && f[plen] == l[plen])
            plen++;
    }
    size_t pos = depth + plen;
    size_t vend = lo;
    while (vend < hi && e[vend].key[pos] == '\0')
        vend++;

    uint32_t child[128] = { 0 };
    int first = 128, last = -1;
    for (size_t i = vend; i < hi;) {
        unsigned char c = (unsigned char)e[i].key[pos];
        size_t j = i;
        while (j < hi && (unsigned char)e[j].key[pos] == c)
            j++;
        child[c] = write_node(b, e, i, j, pos + 1, false);
        if (c < first)
            first = c;
        if (c > last)
            last = c;
        i = j;
    }

    uint32_t off = (uint32_t)b->len;
    if (plen) {
        put(b, e[lo].key + depth, plen);
        put(b, "", 1);
        off |= NODE_PREFIX;
    }
    if (last >= 0) {
        unsigned char fl[2] = { (unsigned char)first, (unsigned char)last };
        put(b, fl, 2);
        for (int c = first; c <= last; c++)
            put_u32(b, child[c]);
        off |= NODE_CHILDS;
    }
    if (vend > lo) {
        put_u32(b, (uint32_t)(vend - lo));
        for (size_t i = lo; i < vend; i++) {
            put_u32(b, e[i].prio);
            put(b, e[i].value, strlen(e[i].value) + 1);
        }
        off |= NODE_VALUES;
    }
    return off;
}

unsigned char *md_kmodidx_write(const md_kmodidx *x, size_t *len)
{
    entry *e = md_xmalloc((x->n ? x->n : 1) * sizeof(entry));
    if (x->n)
        memcpy(e, x->e, x->n * sizeof(entry));
    qsort(e, x->n, sizeof(entry), entry_cmp);

    buf b = { 0 };
    put_u32(&b, IDX_MAGIC);
    put_u32(&b, IDX_VERSION);
    put_u32(&b, 0);
    uint32_t root = write_node(&b, e, 0, x->n, 0, true);
    put_u32_at(&b, 8, root);
    free(e);
    *len = b.len;
    return b.p;
}
