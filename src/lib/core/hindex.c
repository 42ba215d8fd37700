/* hindex — an open-addressing index of positions by hash (hindex.h). */
#include "core/hindex.h"

#include <pthread.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include "core/mem.h"

/* 8 bytes: the hash's low half (which picks the slot in any table below
 * 2^32 slots, and tells most keys apart) and the position.  An index of a
 * million names is 16 MB, not 32 (issue 9: a config's variables). */
struct md_hindex_slot {
    uint32_t h;
    uint32_t pos; /* position + 1; 0: empty */
};

/* FNV's start, different in each run: an input made to collide (FNV is
 * not keyed, and keys sharing a hash cost their number squared) would
 * have to be made for a seed it cannot know. */
static uint64_t seed;
static pthread_once_t seeded = PTHREAD_ONCE_INIT;

static void make_seed(void)
{
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != (ssize_t)sizeof seed) {
        struct timespec t; /* early boot, no entropy yet: still not guessable in advance */
        clock_gettime(CLOCK_MONOTONIC, &t);
        seed = (uint64_t)t.tv_nsec * 0x9e3779b97f4a7c15u ^ (uint64_t)(uintptr_t)&t;
    }
}

/* The bits that pick a slot, from a caller's hash: callers combine hashes
 * by arithmetic (lint's findings: a message's hash plus its line), and
 * consecutive hashes filled consecutive slots into one run that lookups
 * walked (trial 9x: a rootfs of 1.2 million findings of one message,
 * minutes).  splitmix64's finalizer: every input bit moves every slot bit. */
static uint64_t mix(uint64_t h)
{
    h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9u;
    h = (h ^ (h >> 27)) * 0x94d049bb133111ebu;
    return h ^ (h >> 31);
}

uint64_t md_hindex_hash(const void *key, size_t len)
{
    const unsigned char *p = key;
    pthread_once(&seeded, make_seed);
    uint64_t h = 14695981039346656037ULL ^ seed;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 1099511628211ULL;
    return h ^ (h >> 29);
}

static void put(struct md_hindex_slot *slot, size_t cap, uint32_t h, size_t pos)
{
    size_t i = (size_t)h & (cap - 1);
    while (slot[i].pos)
        i = (i + 1) & (cap - 1);
    slot[i] = (struct md_hindex_slot){ h, (uint32_t)pos };
}

void md_hindex_add(md_hindex *x, uint64_t h, size_t pos)
{
    if (pos >= UINT32_MAX) /* no array in memory has that many */
        abort();
    if (2 * (x->n + 1) > x->cap) { /* at most half full: probes stay short */
        size_t cap = x->cap ? 2 * x->cap : 16;
        struct md_hindex_slot *s = md_xcalloc(cap, sizeof *s);
        for (size_t i = 0; i < x->cap; i++)
            if (x->slot[i].pos)
                put(s, cap, x->slot[i].h, x->slot[i].pos);
        free(x->slot);
        x->slot = s, x->cap = cap;
    }
    put(x->slot, x->cap, (uint32_t)mix(h), pos + 1);
    x->n++;
}

size_t md_hindex_next(const md_hindex *x, uint64_t h, size_t *it)
{
    h = (uint32_t)mix(h);
    for (size_t i = *it; x->cap; i++) {
        const struct md_hindex_slot *s = &x->slot[((size_t)h + i) & (x->cap - 1)];
        if (!s->pos)
            break;
        if (s->h == (uint32_t)h) {
            *it = i + 1;
            return s->pos - 1;
        }
    }
    return SIZE_MAX;
}

void md_hindex_set(md_hindex *x, uint64_t h, size_t it, size_t pos)
{
    if (pos >= UINT32_MAX)
        abort();
    x->slot[((size_t)(uint32_t)mix(h) + it - 1) & (x->cap - 1)].pos = (uint32_t)(pos + 1);
}

/* Backward shift rather than tombstones: a table that sees many removals
 * (an image tree replacing files) keeps its probe chains short. */
void md_hindex_del(md_hindex *x, uint64_t h, size_t it)
{
    size_t mask = x->cap - 1, i = ((size_t)(uint32_t)mix(h) + it - 1) & mask;
    x->slot[i].pos = 0;
    x->n--;
    for (size_t j = (i + 1) & mask; x->slot[j].pos; j = (j + 1) & mask) {
        size_t home = (size_t)x->slot[j].h & mask;
        /* j may move back to i unless its home lies in the cyclic range (i, j]. */
        if (i <= j ? home <= i || home > j : home <= i && home > j) {
            x->slot[i] = x->slot[j];
            x->slot[j].pos = 0;
            i = j;
        }
    }
}

void md_hindex_free(md_hindex *x)
{
    free(x->slot);
    x->slot = NULL;
    x->cap = x->n = 0;
}
