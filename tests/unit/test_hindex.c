/* hindex: removal (backward shift) keeps every other position findable,
 * with hashes chosen to crowd a few slots and wrap round the table's end,
 * where a wrong shift loses a position or finds a removed one. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "t.h"
#include "core/hindex.h"

enum { N = 600 };

static uint64_t key_hash(size_t k)
{
    /* 0..9 and just below 2^64: low bits that fall at both ends of any table */
    return k % 3 ? k % 10 : UINT64_MAX - k % 7;
}

static bool has(const md_hindex *x, size_t k)
{
    for (size_t it = 0, p; (p = md_hindex_next(x, key_hash(k), &it)) != SIZE_MAX;)
        if (p == k)
            return true;
    return false;
}

static void del(md_hindex *x, size_t k)
{
    for (size_t it = 0, p; (p = md_hindex_next(x, key_hash(k), &it)) != SIZE_MAX;)
        if (p == k) {
            md_hindex_del(x, key_hash(k), it);
            return;
        }
}

/* Consecutive hashes, as callers make them by arithmetic (lint's findings:
 * a message's hash plus its line): they took consecutive slots, and a key
 * that is not there but lands in that run walked to its end, 100,000
 * slots a lookup (trial 9x).  In a child under a CPU limit of 2 s: the
 * walk took minutes; mixed, it takes milliseconds. */
static void consecutive_hashes(void)
{
    pid_t pid = fork();
    if (pid == 0) {
        struct rlimit cpu = { 2, 2 };
        setrlimit(RLIMIT_CPU, &cpu);
        md_hindex x = { 0 };
        enum { M = 100000 };
        for (size_t k = 0; k < M; k++)
            md_hindex_add(&x, k, k);
        size_t lost = 0;
        for (size_t k = 0; k < M; k++) {
            /* (1 << 20) + k: the same low bits as k, never added; its walk
             * may meet a position of an equal 32-bit part (the caller's key
             * compare tells them apart) */
            for (size_t it = 0; md_hindex_next(&x, ((uint64_t)1 << 20) + k, &it) != SIZE_MAX;)
                ;
            size_t it = 0, p;
            while ((p = md_hindex_next(&x, k, &it)) != SIZE_MAX && p != k)
                ;
            lost += p != k;
        }
        md_hindex_free(&x);
        _exit(lost == 0 ? 0 : 1);
    }
    int st = 0;
    CHECK(pid > 0 && waitpid(pid, &st, 0) == pid);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

int main(void)
{
    consecutive_hashes();
    md_hindex x = { 0 };
    bool in[N] = { false };
    unsigned seed = 7;
    for (int round = 0; round < 4; round++) {
        for (size_t k = 0; k < N; k++)
            if (!in[k] && (seed = seed * 1103515245 + 12345) >> 16 & 1)
                md_hindex_add(&x, key_hash(k), k), in[k] = true;
        for (size_t k = 0; k < N; k++)
            if (in[k] && (seed = seed * 1103515245 + 12345) >> 16 & 1)
                del(&x, k), in[k] = false;
        size_t n = 0, wrong = 0;
        for (size_t k = 0; k < N; k++) {
            n += in[k];
            wrong += has(&x, k) != in[k];
        }
        CHECK(wrong == 0);
        CHECK(x.n == n);
    }
    /* A string key as callers use it: found, then gone once removed. */
    md_hindex s = { 0 };
    uint64_t h = md_hindex_hash("/usr/bin/xl", 11);
    md_hindex_add(&s, h, 3);
    size_t it = 0;
    CHECK(md_hindex_next(&s, h, &it) == 3);
    md_hindex_del(&s, h, it);
    it = 0;
    CHECK(md_hindex_next(&s, h, &it) == SIZE_MAX);
    CHECK(s.n == 0);
    md_hindex_free(&s);
    md_hindex_free(&x);
    return t_done("hindex");
}
