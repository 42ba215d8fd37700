#include "image/modloop.h"

#include <sqfs/compressor.h>
#include <sqfs/data_reader.h>
#include <sqfs/dir_reader.h>
#include <sqfs/error.h>
#include <sqfs/id_table.h>
#include <sqfs/inode.h>
#include <sqfs/io.h>
#include <sqfs/super.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/file.h"
#include "core/mem.h"
#include "image/unpack.h"

/* libsquashfs' error codes (sqfs/error.h) in words. */
static const char *sqfs_why(int code)
{
    switch (code) {
    case SQFS_ERROR_ALLOC: return "out of memory";
    case SQFS_ERROR_IO: return "read error (truncated?)";
    case SQFS_ERROR_COMPRESSOR: return "a block does not decompress (corrupt)";
    case SQFS_ERROR_CORRUPTED: return "corrupt";
    case SQFS_ERROR_UNSUPPORTED: return "unsupported (compressor or format version)";
    case SQFS_ERROR_OVERFLOW: return "a size overflows (corrupt)";
    case SQFS_ERROR_OUT_OF_BOUNDS: return "a table points outside the file (truncated or corrupt)";
    /* spelt SFQS_ in libsquashfs 1.2's sqfs/error.h */
    case -9: return "not a squashfs (bad magic)";
    case -10: return "not a squashfs 4.0";
    case SQFS_ERROR_SUPER_BLOCK_SIZE: return "invalid block size";
    case SQFS_ERROR_NOT_DIR: return "not a directory";
    case SQFS_ERROR_NO_ENTRY: return "no such entry";
    case SQFS_ERROR_LINK_LOOP: return "a directory loop (corrupt)";
    default: return "unreadable";
    }
}

typedef struct rd {
    md_tree *t;
    const char *path, *origin;
    sqfs_data_reader_t *data;
    md_err *err;
    size_t entries;
    uint64_t bytes, names;
} rd;

/* `n` (a node below modules/KVER) and its children at `dst`. */
static int add_node(rd *r, const sqfs_tree_node_t *n, const char *dst, const char *src)
{
    const sqfs_inode_generic_t *in = n->inode;
    md_attr a = { in->base.mode & 01777, n->uid, n->gid, in->base.mod_time };
    const md_unpack_limits *lim = &md_unpack_default_limits;
    if (++r->entries > lim->entries)
        return md_err_set(r->err, "%s: more than %zu entries (the limit of image/unpack.h)",
                          r->path, lim->entries);
    /* the tree keeps every name, as an archive's (unpack.h name_bytes) */
    if ((r->names += strlen(dst)) > lim->name_bytes)
        return md_err_set(r->err, "%s: names beyond the limit of %llu bytes in all "
                                  "(image/unpack.h)", r->path,
                          (unsigned long long)lim->name_bytes);
    switch (in->base.type) {
    case SQFS_INODE_DIR:
    case SQFS_INODE_EXT_DIR: {
        if (md_tree_add_dir(r->t, dst, &a, r->origin, r->err) < 0)
            return -1;
        for (const sqfs_tree_node_t *c = n->children; c; c = c->next) {
            char *d = md_xasprintf("%s/%s", dst, (const char *)c->name);
            char *s = md_xasprintf("%s/%s", src, (const char *)c->name);
            int rc = add_node(r, c, d, s);
            free(d);
            free(s);
            if (rc < 0)
                return -1;
        }
        return 0;
    }
    case SQFS_INODE_SLINK:
    case SQFS_INODE_EXT_SLINK: {
        char *target = md_xstrndup((const char *)in->extra, in->data.slink.target_size);
        int rc = md_tree_add_symlink(r->t, dst, &a, target, r->origin, MD_CLASH_ERROR, r->err);
        free(target);
        return rc;
    }
    case SQFS_INODE_FILE:
    case SQFS_INODE_EXT_FILE: {
        sqfs_u64 size = 0;
        sqfs_inode_get_file_size(in, &size);
        if (size > lim->entry_bytes || r->bytes + size > lim->total_bytes)
            return md_err_set(r->err, "%s: %s: %llu bytes, over the limit of %llu for one file "
                                      "or %llu in all (image/unpack.h)", r->path, src,
                              (unsigned long long)size, (unsigned long long)lim->entry_bytes,
                              (unsigned long long)lim->total_bytes);
        r->bytes += size;
        unsigned char *buf = md_xmalloc(size ? size : 1);
        for (sqfs_u64 off = 0; off < size;) {
            sqfs_u64 want = size - off > (1u << 30) ? (1u << 30) : size - off;
            sqfs_s32 got = sqfs_data_reader_read(r->data, in, off, buf + off, (sqfs_u32)want);
            if (got <= 0) {
                free(buf);
                return md_err_set(r->err, "%s: %s: %s", r->path, src,
                                  got < 0 ? sqfs_why(got) : "shorter than its size (corrupt)");
            }
            off += (sqfs_u64)got;
        }
        return md_tree_add_file(r->t, dst, &a, buf, size, r->origin, MD_CLASH_ERROR, r->err);
    }
    default:
        return md_err_set(r->err, "%s: %s: a device, FIFO or socket, which no module tree holds",
                          r->path, src);
    }
}

/* Does modules/KVER look like a kernel's module directory? */
static bool is_kernel_dir(const sqfs_tree_node_t *n)
{
    if (n->inode->base.type != SQFS_INODE_DIR && n->inode->base.type != SQFS_INODE_EXT_DIR)
        return false;
    for (const sqfs_tree_node_t *c = n->children; c; c = c->next)
        if (!strcmp((const char *)c->name, "modules.order") ||
            !strcmp((const char *)c->name, "kernel"))
            return true;
    return false;
}

int md_modloop_read(md_tree *t, const char *path, const char *origin, const char *want,
                    md_strv *kvers, md_err *err)
{
    sqfs_file_t *file = sqfs_open_file(path, SQFS_FILE_OPEN_READ_ONLY);
    if (!file)
        return md_err_errno(err, "%s: cannot open the modloop", path);
    sqfs_compressor_t *cmp = NULL;
    sqfs_id_table_t *ids = NULL;
    sqfs_dir_reader_t *dr = NULL;
    sqfs_tree_node_t *root = NULL;
    rd r = { t, path, origin, NULL, err, 0, 0, 0 };
    sqfs_super_t super;
    sqfs_compressor_config_t cfg;
    int rc = -1, e;
    size_t taken = 0;
    md_strv found = { 0 };
    if ((e = sqfs_super_read(&super, file)) != 0) {
        md_err_set(err, "%s: not a modloop: its squashfs super block: %s", path, sqfs_why(e));
        goto out;
    }
    /* The tables sit at the end: a cut file may still read a while.  Said
     * at once, in the words a user can act on. */
    struct stat st;
    if (stat(path, &st) == 0 && (uint64_t)st.st_size < super.bytes_used) {
        md_err_set(err, "%s: truncated: %lld bytes, its squashfs super block says %llu", path,
                   (long long)st.st_size, (unsigned long long)super.bytes_used);
        goto out;
    }
    if ((e = sqfs_compressor_config_init(&cfg, super.compression_id, super.block_size,
                                         SQFS_COMP_FLAG_UNCOMPRESS)) != 0 ||
        (e = sqfs_compressor_create(&cfg, &cmp)) != 0) {
        const char *cname = sqfs_compressor_name_from_id((SQFS_COMPRESSOR)super.compression_id);
        md_err_set(err, "%s: squashfs compressor %s (%u): %s", path, cname ? cname : "unknown",
                   super.compression_id, sqfs_why(e));
        goto out;
    }
    if (!(ids = sqfs_id_table_create(0)) || !(dr = sqfs_dir_reader_create(&super, cmp, file, 0)) ||
        !(r.data = sqfs_data_reader_create(file, super.block_size, cmp, 0))) {
        md_err_set(err, "%s: %s", path, sqfs_why(SQFS_ERROR_ALLOC));
        goto out;
    }
    if ((e = sqfs_id_table_read(ids, file, &super, cmp)) != 0 ||
        (e = sqfs_data_reader_load_fragment_table(r.data, &super)) != 0) {
        md_err_set(err, "%s: squashfs tables: %s", path, sqfs_why(e));
        goto out;
    }
    /* Devices and the like are refused below, by name, not dropped here. */
    if ((e = sqfs_dir_reader_get_full_hierarchy(dr, ids, "modules", 0, &root)) != 0) {
        md_err_set(err, "%s: no modules/ directory in the modloop: %s", path,
                    e == SQFS_ERROR_NO_ENTRY ? "Alpine's modloop holds modules/KVER/..."
                                             : sqfs_why(e));
        goto out;
    }
    for (const sqfs_tree_node_t *c = root->children; c; c = c->next) {
        if (!is_kernel_dir(c))
            continue; /* modules/firmware, stray files */
        const char *kver = (const char *)c->name;
        md_strv_push(&found, kver);
        if (want && strcmp(kver, want))
            continue;
        taken++;
        char *dst = md_xasprintf("/lib/modules/%s", kver);
        char *src = md_xasprintf("modules/%s", kver);
        int a = add_node(&r, c, dst, src);
        free(dst);
        free(src);
        if (a < 0)
            goto out;
    }
    if (found.n && !taken) {
        md_strv_sort(&found);
        char *list = md_strv_join(&found, ", "), *shown = md_err_shown(list), *w = md_err_shown(want);
        md_err_set(err, "%s: holds the modules of kernel %s, not of the image's kernel %s: a "
                        "modloop of another kernel build, whose modules that kernel would refuse "
                        "to load; take the modloop made with the kernel package", path, shown, w);
        free(list);
        free(shown);
        free(w);
        goto out;
    }
    if (!found.n) {
        md_err_set(err, "%s: no kernel's modules in the modloop (no modules/KVER with a "
                        "modules.order or kernel/ directory)", path);
        goto out;
    }
    md_strv_sort(&found);
    for (size_t i = 0; kvers && i < found.n; i++)
        md_strv_push(kvers, found.v[i]);
    rc = 0;
out:
    md_strv_free(&found);
    sqfs_dir_tree_destroy(root);
    sqfs_destroy(r.data);
    sqfs_destroy(dr);
    sqfs_destroy(ids);
    sqfs_destroy(cmp);
    sqfs_destroy(file);
    return rc;
}

