/* image — see image.h.
 *
 * The newc writer is hand-rolled (13 hex fields and a name): libarchive's
 * writer would need an archive_entry per node and its own hardlink resolver,
 * while we need exact control over inode numbers, the "." root entry and the
 * placement of hardlink data, and must stream the archive into a parallel
 * deflate without first materialising it.  File contents are never copied
 * except into the compressor's input blocks.
 */
#include "image/image.h"
#include "core/mem.h"
#include "core/size.h"
#include "core/file.h"
#include "core/run.h"
#include "image/unpack.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include <libdeflate.h>
#include <zstd.h>

/* ---- codecs ---- */

/* The one list of codecs: their names (spec's Compression=), file suffixes,
 * default levels and the highest level each library or program takes:
 * libdeflate's 1..12, ZSTD_maxCLevel() (22), xz's and lz4's -1..-9. */
static const struct {
    const char *name, *suffix;
    int level, max_level;
} codecs[] = {
    [MD_CODEC_NONE] = { "none", "", 0, 0 },
    [MD_CODEC_GZIP] = { "gzip", ".gz", 6, 12 },
    [MD_CODEC_ZSTD] = { "zstd", ".zst", 19, 22 },
    [MD_CODEC_XZ] = { "xz", ".xz", 6, 9 },
    [MD_CODEC_LZ4] = { "lz4", ".lz4", 9, 9 },
};

int md_codec_from_name(const char *name, md_codec *codec, md_err *err)
{
    for (size_t i = 0; i < sizeof codecs / sizeof codecs[0]; i++) {
        if (strcmp(name, codecs[i].name) == 0) {
            *codec = (md_codec)i;
            return 0;
        }
    }
    return md_err_set(err, "unknown compression \"%s\" (choose none, gzip, zstd, xz or lz4)", name);
}

const char *md_codec_name(md_codec c) { return codecs[c].name; }
const char *md_codec_suffix(md_codec c) { return codecs[c].suffix; }
int md_codec_max_level(md_codec c) { return codecs[c].max_level; }

/* ---- the cpio byte source ---- */

struct entry_info {
    uint32_t ino, nlink;
    bool carries_data; /* hardlink groups: only the last name has the content */
};

struct cpio_src {
    md_node **nodes;
    struct entry_info *info;
    size_t n, next;
    int64_t sde;
    /* pending output of the current entry: header+name, data, padding */
    unsigned char hdr[110 + 4096 + 8];
    const unsigned char *seg[3];
    size_t seglen[3], segi, segoff;
    bool trailer_done;
    uint64_t total;
    md_err *err;
    bool failed;
};

struct link_key {
    const void *file;
    size_t seq;
};

static int cmp_link_key(const void *a, const void *b)
{
    const struct link_key *x = a, *y = b;
    if (x->file != y->file)
        return (uintptr_t)x->file < (uintptr_t)y->file ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Inode numbers follow archive order; a hardlink group takes the number of
 * its first name and puts the data on its last. */
static void number_entries(const md_tree *t, struct cpio_src *s)
{
    s->n = md_tree_count(t);
    s->nodes = md_xmalloc(s->n * sizeof *s->nodes);
    s->info = md_xcalloc(s->n, sizeof *s->info);
    size_t i = 0, nk = 0;
    for (md_node *n = md_tree_first(t); n && i < s->n; n = md_tree_next(t, n))
        s->nodes[i++] = n;
    s->n = i;
    struct link_key *keys = md_xmalloc((s->n ? s->n : 1) * sizeof *keys);
    for (i = 0; i < s->n; i++) {
        md_node *n = s->nodes[i];
        md_node_type ty = md_node_type_of(n);
        s->info[i].ino = (uint32_t)(i + 1);
        s->info[i].nlink = ty == MD_NODE_DIR ? 2 : 1;
        s->info[i].carries_data = true;
        if (ty == MD_NODE_FILE)
            keys[nk++] = (struct link_key){ n, i };
        else if (ty == MD_NODE_HARDLINK)
            keys[nk++] = (struct link_key){ md_tree_lookup(t, md_node_link_target(n)), i };
    }
    qsort(keys, nk, sizeof *keys, cmp_link_key);
    for (size_t a = 0; a < nk;) {
        size_t b = a + 1;
        while (b < nk && keys[b].file == keys[a].file)
            b++;
        if (b - a > 1) {
            for (size_t k = a; k < b; k++) {
                struct entry_info *e = &s->info[keys[k].seq];
                e->ino = (uint32_t)(keys[a].seq + 1);
                e->nlink = (uint32_t)(b - a);
                e->carries_data = k == b - 1;
            }
        }
        a = b;
    }
    free(keys);
}

static size_t pad4(size_t n) { return (4 - (n & 3)) & 3; }

static const unsigned char zeros[4];

static size_t put_header(unsigned char *h, const char *name, unsigned mode, uint32_t ino,
                         unsigned uid, unsigned gid, uint32_t nlink, uint64_t mtime,
                         uint64_t size, unsigned rmaj, unsigned rmin)
{
    size_t nl = strlen(name) + 1;
    int w = sprintf((char *)h, "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
                    ino, mode, uid, gid, nlink, (unsigned)mtime, (unsigned)size, 0u, 0u, rmaj,
                    rmin, (unsigned)nl, 0u);
    memcpy(h + w, name, nl);
    size_t len = (size_t)w + nl;
    memset(h + len, 0, pad4(len));
    return len + pad4(len);
}

static unsigned type_bits(md_node_type ty)
{
    switch (ty) {
    case MD_NODE_DIR: return S_IFDIR;
    case MD_NODE_FILE:
    case MD_NODE_HARDLINK: return S_IFREG;
    case MD_NODE_SYMLINK: return S_IFLNK;
    case MD_NODE_CHAR: return S_IFCHR;
    case MD_NODE_BLOCK: return S_IFBLK;
    case MD_NODE_FIFO: return S_IFIFO;
    }
    return 0;
}

/* Prepare the segments of the next entry (or the trailer).  False at end. */
static bool next_entry(struct cpio_src *s)
{
    s->segi = s->segoff = 0;
    s->seglen[1] = s->seglen[2] = 0;
    if (s->next >= s->n) {
        if (s->trailer_done)
            return false;
        s->trailer_done = true;
        s->seglen[0] = put_header(s->hdr, "TRAILER!!!", 0, 0, 0, 0, 1, 0, 0, 0, 0);
        s->seg[0] = s->hdr;
        return true;
    }
    size_t i = s->next++;
    const md_node *n = s->nodes[i];
    const md_attr *a = md_node_attr(n);
    const char *path = md_node_path(n);
    const char *name = strcmp(path, "/") == 0 ? "." : path + 1;
    if (strlen(name) >= 4096) {
        s->failed = true;
        md_err_set(s->err, "%s: path too long for the archive", path);
        return false;
    }
    md_node_type ty = md_node_type_of(n);
    const unsigned char *data = NULL;
    size_t size = 0;
    if (ty == MD_NODE_FILE || ty == MD_NODE_HARDLINK) {
        data = md_node_data(n, &size);
        if (!data) { /* a tree read for its metadata only cannot be written */
            s->failed = true;
            md_err_set(s->err, "%s: content not held in memory", path);
            return false;
        }
        if (!s->info[i].carries_data)
            size = 0;
    } else if (ty == MD_NODE_SYMLINK) {
        data = (const unsigned char *)md_node_link_target(n);
        size = strlen((const char *)data);
    }
    if (size > 0xffffffffu) {
        s->failed = true;
        md_err_set(s->err, "%s: %zu bytes is too large for a newc archive", path, size);
        return false;
    }
    int64_t mt = a->mtime;
    if (s->sde >= 0 && mt > s->sde)
        mt = s->sde;
    if (mt < 0)
        mt = 0;
    if (mt > 0xffffffffll)
        mt = 0xffffffffll;
    unsigned rmaj = 0, rmin = 0;
    if (ty == MD_NODE_CHAR || ty == MD_NODE_BLOCK)
        md_node_rdev(n, &rmaj, &rmin);
    s->seglen[0] = put_header(s->hdr, name, type_bits(ty) | (a->mode & 07777), s->info[i].ino,
                              a->uid, a->gid, s->info[i].nlink, (uint64_t)mt, size, rmaj, rmin);
    s->seg[0] = s->hdr;
    s->seg[1] = data;
    s->seglen[1] = size;
    s->seg[2] = zeros;
    s->seglen[2] = pad4(size);
    return true;
}

/* Copy up to `cap` bytes of the archive into buf.  Returns the count; less
 * than cap only at the end (or on failure, with s->failed set). */
static size_t src_fill(struct cpio_src *s, unsigned char *buf, size_t cap)
{
    size_t got = 0;
    while (got < cap && !s->failed) {
        if (s->segi == 3 || (s->segi == 0 && s->seglen[0] == 0)) {
            if (!next_entry(s))
                break;
        }
        size_t left = s->seglen[s->segi] - s->segoff;
        size_t k = left < cap - got ? left : cap - got;
        if (k) {
            memcpy(buf + got, s->seg[s->segi] + s->segoff, k);
            got += k;
            s->segoff += k;
        }
        if (s->segoff == s->seglen[s->segi]) {
            s->segi++;
            s->segoff = 0;
        }
    }
    s->total += got;
    return got;
}

/* ---- output file ---- */

struct sink {
    int fd;
    const char *tmp;
    uint64_t bytes;
    md_err *err;
};

static int sink_write(struct sink *o, const void *p, size_t n)
{
    if (md_write_fd(o->fd, p, n, o->tmp, o->err) < 0)
        return -1;
    o->bytes += n;
    return 0;
}

enum { CHUNK = 1 << 20 };

int md_image_threads(int *out, md_err *err)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    uint64_t n;
    int rc = md_size_env("MKDOM0_THREADS", 1, 1024, cpus < 1 ? 1 : (uint64_t)cpus, &n, err);
    *out = rc < 0 ? 1 : n > 16 ? 16 : (int)n;
    return rc;
}

/* md_image_threads, its error dropped: the CLI refused a bad value before
 * the build began. */
static int thread_count(void)
{
    int n;
    md_err e = MD_ERR_INIT;
    md_image_threads(&n, &e);
    return n;
}

/* ---- none ---- */

static int write_none(struct cpio_src *s, struct sink *o)
{
    unsigned char *buf = md_xmalloc(CHUNK);
    int rc = 0;
    for (;;) {
        size_t n = src_fill(s, buf, CHUNK);
        if (s->failed || (n && sink_write(o, buf, n) < 0)) {
            rc = -1;
            break;
        }
        if (n < CHUNK)
            break;
    }
    free(buf);
    return rc;
}

/* ---- gzip, parallel ---- */

/* The archive is cut into blocks of whole entries, each at least
 * GZ_BLOCK bytes (a larger entry makes its block larger), and each block is
 * one complete gzip member (RFC 1952 2.2: a gzip file is a series of
 * members), compressed by libdeflate on its own: no dictionary carried
 * between blocks, so the workers need nothing from each other and the
 * bytes cannot depend on how many there are.
 *
 * Why whole entries: the kernel does not read a multi-member gzip as one
 * stream.  unpack_to_rootfs (init/initramfs.c) hands each compressed
 * stream to gunzip, which stops at the end of ONE member
 * (lib/decompress_inflate.c: *pos past its 8-byte trailer), and then fails
 * with "junk at the end of compressed archive" unless the cpio parser is in
 * its Reset state, which it reaches at the end of every entry (do_name sets
 * next_state = Reset); the next member is then read as the next compressed
 * stream, with the parser's state (and its hardlink table, freed only at
 * TRAILER!!!) carried over.  A member that ended inside an entry would stop
 * the unpacking there. */
enum { GZ_BLOCK = 4 << 20 };

enum slot_state { SLOT_FREE, SLOT_READY, SLOT_BUSY, SLOT_DONE };

struct slot {
    enum slot_state state;
    size_t seq;
    unsigned char *in;
    size_t in_len, in_cap;
    unsigned char *out;
    size_t out_len, out_cap;
    bool failed;
};

struct gz {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct slot *slots;
    size_t nslots, next_work;
    bool quit;
    int level;
};

/* Append whole entries (and at the end the trailer) to *buf until it holds
 * at least `target` bytes or the archive is done.  Returns the length. */
static size_t src_fill_entries(struct cpio_src *s, unsigned char **buf, size_t *cap, size_t target)
{
    size_t len = 0;
    while (len < target && !s->failed && next_entry(s)) {
        size_t need = len + s->seglen[0] + s->seglen[1] + s->seglen[2];
        if (need > *cap) {
            *cap = need > 2 * *cap ? need : 2 * *cap;
            *buf = md_xrealloc(*buf, *cap);
        }
        for (int i = 0; i < 3; i++) {
            if (s->seglen[i])
                memcpy(*buf + len, s->seg[i], s->seglen[i]);
            len += s->seglen[i];
        }
    }
    s->total += len;
    return len;
}

static bool src_done(const struct cpio_src *s) { return s->trailer_done && s->next >= s->n; }

static bool deflate_block(struct libdeflate_compressor *c, struct slot *sl)
{
    size_t need = libdeflate_gzip_compress_bound(c, sl->in_len);
    if (sl->out_cap < need)
        sl->out = md_xrealloc(sl->out, sl->out_cap = need);
    sl->out_len = libdeflate_gzip_compress(c, sl->in, sl->in_len, sl->out, sl->out_cap);
    return sl->out_len > 0;
}

static void *gz_worker(void *arg)
{
    struct gz *g = arg;
    struct libdeflate_compressor *c = libdeflate_alloc_compressor(g->level);
    pthread_mutex_lock(&g->mu);
    for (;;) {
        struct slot *sl = &g->slots[g->next_work % g->nslots];
        if (g->quit)
            break;
        if (sl->state != SLOT_READY || sl->seq != g->next_work) {
            pthread_cond_wait(&g->cv, &g->mu);
            continue;
        }
        sl->state = SLOT_BUSY;
        g->next_work++;
        pthread_mutex_unlock(&g->mu);
        bool good = c && deflate_block(c, sl);
        pthread_mutex_lock(&g->mu);
        sl->failed = !good;
        sl->state = SLOT_DONE;
        pthread_cond_broadcast(&g->cv);
    }
    pthread_mutex_unlock(&g->mu);
    libdeflate_free_compressor(c);
    return NULL;
}

static int write_gzip(struct cpio_src *s, struct sink *o, int level)
{
    int nth = thread_count();
    struct gz g = { .nslots = (size_t)nth * 2, .level = level };
    pthread_mutex_init(&g.mu, NULL);
    pthread_cond_init(&g.cv, NULL);
    g.slots = md_xcalloc(g.nslots, sizeof *g.slots);
    pthread_t *th = md_xcalloc((size_t)nth, sizeof *th);
    for (int i = 0; i < nth; i++)
        pthread_create(&th[i], NULL, gz_worker, &g);

    int rc = 0;
    size_t seq = 0, next_write = 0;
    bool filled_all = false;
    pthread_mutex_lock(&g.mu);
    while (rc == 0 && !(filled_all && next_write == seq)) {
        struct slot *w = &g.slots[next_write % g.nslots];
        if (next_write < seq && w->state == SLOT_DONE) {
            pthread_mutex_unlock(&g.mu);
            if (w->failed)
                rc = md_err_set(o->err, "%s: deflate failed", o->tmp);
            else
                rc = sink_write(o, w->out, w->out_len);
            pthread_mutex_lock(&g.mu);
            w->state = SLOT_FREE;
            next_write++;
            continue;
        }
        struct slot *f = &g.slots[seq % g.nslots];
        if (!filled_all && f->state == SLOT_FREE) {
            pthread_mutex_unlock(&g.mu);
            f->in_len = src_fill_entries(s, &f->in, &f->in_cap, GZ_BLOCK);
            if (s->failed)
                rc = -1;
            pthread_mutex_lock(&g.mu);
            f->seq = seq++;
            f->state = SLOT_READY;
            filled_all = src_done(s) || rc < 0;
            pthread_cond_broadcast(&g.cv);
            continue;
        }
        pthread_cond_wait(&g.cv, &g.mu);
    }
    g.quit = true;
    pthread_cond_broadcast(&g.cv);
    pthread_mutex_unlock(&g.mu);
    for (int i = 0; i < nth; i++)
        pthread_join(th[i], NULL);
    for (size_t i = 0; i < g.nslots; i++) {
        free(g.slots[i].in);
        free(g.slots[i].out);
    }
    free(g.slots);
    free(th);
    pthread_mutex_destroy(&g.mu);
    pthread_cond_destroy(&g.cv);
    return rc;
}

/* ---- zstd ---- */

int md_image_zstd_step(ZSTD_CCtx *z, const void *in, size_t n, bool last, int fd,
                       const char *label, uint64_t *written, md_err *err)
{
    size_t cap = ZSTD_CStreamOutSize();
    unsigned char *out = md_xmalloc(cap);
    ZSTD_inBuffer ib = { in, n, 0 };
    int rc = 0;
    for (;;) {
        ZSTD_outBuffer ob = { out, cap, 0 };
        size_t r = ZSTD_compressStream2(z, &ob, &ib, last ? ZSTD_e_end : ZSTD_e_continue);
        if (ZSTD_isError(r)) {
            rc = md_err_set(err, "%s: zstd: %s", label, ZSTD_getErrorName(r));
            break;
        }
        if (ob.pos && (rc = md_write_fd(fd, out, ob.pos, label, err)) < 0)
            break;
        if (written)
            *written += ob.pos;
        if (last ? r == 0 : ib.pos == ib.size)
            break;
    }
    free(out);
    return rc;
}

static int write_zstd(struct cpio_src *s, struct sink *o, int level)
{
    ZSTD_CCtx *c = ZSTD_createCCtx();
    ZSTD_CCtx_setParameter(c, ZSTD_c_compressionLevel, level);
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 1);
    /* A 32 MiB window with long-distance matching, as `zstd --long=25`:
     * at level 19 it takes a rootfs of kernel modules from 24% to 25.5%
     * under gzip -9 (bench/build-vs-shell.sh).  The kernel's unzstd
     * (lib/decompress_unzstd.c) accepts windows up to ZSTD_WINDOWLOG_MAX
     * and allocates the window for the unpacking only: 32 MiB, within the
     * working set boot/dom0mem allows for. */
    ZSTD_CCtx_setParameter(c, ZSTD_c_windowLog, 25);
    ZSTD_CCtx_setParameter(c, ZSTD_c_enableLongDistanceMatching, 1);
    /* Fails harmlessly on a libzstd built without threads. */
    ZSTD_CCtx_setParameter(c, ZSTD_c_nbWorkers, thread_count());
    unsigned char *in = md_xmalloc(CHUNK);
    int rc = 0;
    for (bool last = false; rc == 0 && !last;) {
        size_t n = src_fill(s, in, CHUNK);
        if (s->failed) {
            rc = -1;
            break;
        }
        last = n < CHUNK;
        rc = md_image_zstd_step(c, in, n, last, o->fd, o->tmp, &o->bytes, o->err);
    }
    ZSTD_freeCCtx(c);
    free(in);
    return rc;
}

/* ---- xz, lz4: external programs ---- */

static int write_program(struct cpio_src *s, struct sink *o, md_codec codec, int level)
{
    char lv[16], th[16];
    snprintf(lv, sizeof lv, "-%d", level);
    /* xz's multithreaded mode cuts the input into blocks of a size set by
     * the level alone (3 x the dictionary), so its bytes are the same for
     * any count of two or more threads; -T1 is a single-block format with
     * other bytes.  So never fewer than two (one core just takes turns).
     * The kernel's xz decoder (lib/xz) reads streams of many blocks. */
    int nth = thread_count();
    snprintf(th, sizeof th, "-T%d", nth < 2 ? 2 : nth);
    const char *xz[] = { "xz", "--format=xz", "--check=crc32", th, lv, "-c", NULL };
    const char *lz4[] = { "lz4", "-l", lv, "-c", NULL };
    const char *const *argv = codec == MD_CODEC_XZ ? xz : lz4;
    /* A socket, not a pipe: send(MSG_NOSIGNAL) reports a dead compressor as
     * an error instead of killing us with SIGPIPE. */
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) < 0)
        return md_err_errno(o->err, "socketpair");
    md_run_start_opts ro = { .in = { MD_RUN_FD, NULL, sv[1] }, .out = { MD_RUN_FD, NULL, o->fd },
                             .err = { MD_RUN_CAPTURE } }; /* the library never prints */
    md_run_proc *p = md_run_start(argv, &ro, o->err);
    if (!p) {
        close(sv[0]);
        close(sv[1]);
        md_err_prefix(o->err, "%s", o->tmp);
        return -1;
    }
    close(sv[1]);
    unsigned char *buf = md_xmalloc(CHUNK);
    int rc = 0;
    bool sent = true;
    for (bool last = false; !last && rc == 0;) {
        size_t n = src_fill(s, buf, CHUNK);
        if (s->failed) {
            rc = -1;
            break;
        }
        last = n < CHUNK;
        for (size_t off = 0; off < n;) {
            ssize_t w = send(sv[0], buf + off, n - off, MSG_NOSIGNAL);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                sent = false;
                rc = md_err_errno(o->err, "%s: writing to %s", o->tmp, argv[0]);
                break;
            }
            off += (size_t)w;
        }
    }
    free(buf);
    close(sv[0]);
    int st = -1;
    md_run_proc_wait(p, 0, &st);
    char *why = md_run_proc_captured(p, 2);
    for (size_t n = strlen(why); n && why[n - 1] == '\n';)
        why[--n] = '\0';
    md_run_proc_free(p);
    /* A compressor that died is why the write to it failed: say what it said. */
    if (st != 0 && (rc == 0 || !sent)) {
        md_err_clear(o->err);
        rc = md_err_set(o->err, "%s: %s failed (exit %d)%s%s", o->tmp, argv[0], st,
                        *why ? ": " : "", md_run_tail(why, 800));
    }
    free(why);
    struct stat sb;
    if (rc == 0 && fstat(o->fd, &sb) == 0)
        o->bytes = (uint64_t)sb.st_size;
    return rc;
}

/* The archive against the limits every reader of a rootfs holds it to
 * (image/unpack.h md_unpack_default_limits: lint, boot --check): an image
 * past them would be built and then refused as a bomb by mkdom0's own
 * lint (trial 9d case 09), so it is refused here, before a byte is
 * written.  Counts as the reader does: file content (a link group's once),
 * entries, and the uncompressed stream with its headers. */
static int check_readable(const struct cpio_src *s, md_err *err)
{
    const md_unpack_limits *l = &md_unpack_default_limits;
    uint64_t content = 0, stream = 0;
    for (size_t i = 0; i < s->n; i++) {
        const md_node *n = s->nodes[i];
        md_node_type ty = md_node_type_of(n);
        size_t size = 0;
        if ((ty == MD_NODE_FILE || ty == MD_NODE_HARDLINK) && s->info[i].carries_data)
            md_node_data(n, &size);
        else if (ty == MD_NODE_SYMLINK)
            size = strlen(md_node_link_target(n));
        if (ty != MD_NODE_SYMLINK) {
            content += size;
            if (l->entry_bytes && size > l->entry_bytes)
                return md_err_set(err, "%s: %zu bytes, more than the %llu bytes a rootfs reader "
                                       "takes in one file (mkdom0 lint would refuse the image)",
                                  md_node_path(n), size, (unsigned long long)l->entry_bytes);
        }
        size_t h = 110 + strlen(md_node_path(n)) + 1;
        stream += h + pad4(h) + size + pad4(size);
    }
    if (l->entries && s->n > l->entries)
        return md_err_set(err, "%zu files, more than the %zu entries a rootfs reader takes (mkdom0 "
                               "lint would refuse the image)", s->n, l->entries);
    if (l->total_bytes && content > l->total_bytes)
        return md_err_set(err, "%llu bytes of files, more than the %llu bytes in all a rootfs "
                               "reader takes (mkdom0 lint would refuse the image); leave the "
                               "largest out with [Files] Drop= or give them to the host another way",
                          (unsigned long long)content, (unsigned long long)l->total_bytes);
    if (l->stream_bytes && stream > l->stream_bytes)
        return md_err_set(err, "%llu bytes of uncompressed archive, more than the %llu a rootfs "
                               "reader takes (mkdom0 lint would refuse the image)",
                          (unsigned long long)stream, (unsigned long long)l->stream_bytes);
    return 0;
}

/* ---- entry point ---- */

int md_image_write(const md_tree *t, const char *path, md_codec codec, int level,
                   int64_t source_date_epoch, md_image_stats *stats, md_err *err)
{
    if ((unsigned)codec > MD_CODEC_LZ4)
        return md_err_set(err, "%s: unknown codec %d", path, (int)codec);
    if (level <= 0)
        level = codecs[codec].level;
    struct cpio_src s = { .sde = source_date_epoch, .err = err };
    number_entries(t, &s);
    char *tmp = NULL;
    struct sink o = { .err = err, .fd = -1 };
    if (check_readable(&s, err) == 0)
        o.fd = md_file_create_tmp(path, &tmp, err);
    o.tmp = tmp;
    int rc = -1;
    if (o.fd >= 0) {
        if (codec != MD_CODEC_NONE && level > codecs[codec].max_level)
            rc = md_err_set(err, "%s level %d out of range 1..%d", codecs[codec].name, level,
                            codecs[codec].max_level);
        else if (codec == MD_CODEC_GZIP)
            rc = write_gzip(&s, &o, level);
        else if (codec == MD_CODEC_ZSTD)
            rc = write_zstd(&s, &o, level);
        else if (codec != MD_CODEC_NONE)
            rc = write_program(&s, &o, codec, level); /* xz, lz4 */
        else
            rc = write_none(&s, &o);
        if (rc == 0) {
            rc = md_file_commit(o.fd, tmp, path, 0644, err);
        } else {
            close(o.fd);
            unlink(tmp);
        }
    }
    if (rc < 0)
        md_err_prefix(err, "writing image %s", path);
    if (stats) {
        stats->entries = s.n;
        stats->cpio_bytes = s.total;
        stats->out_bytes = o.bytes;
    }
    free(tmp);
    free(s.nodes);
    free(s.info);
    return rc;
}
