/* lint_input — recognize inputs by name and content and lint them as one
 * system (md_lint_inputs; see lint.h). */
#include <ctype.h>
#include <dirent.h>
#include <fnmatch.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "lint/lint_int.h"
#include "boot/bootfmt.h"
#include "boot/bootmedia.h"
#include "boot/xenefi.h"
#include "core/hindex.h"
#include "core/mem.h"
#include "core/strv.h"
#include "core/decomp.h"
#include "core/elf.h"
#include "core/file.h"
#include "image/unpack.h"
#include "image/imgdir.h"
#include "image/kimage.h"

typedef struct input {
    char *path;
    md_lint_kind kind;
    unsigned char *text; /* GRUB and inittab contents */
    size_t len;
    uint64_t size;       /* GRUB and inittab past MD_BOOTCFG_MAX_TEXT: the file's
                            size, of which none is held (text is ""); else 0 */
    md_tree *tree;       /* ROOTFS */
    md_unpack_notes notes; /* ROOTFS archive: what the kernel's unpacking changes */
    md_bootfmt fmt;      /* GRUB: the boot config's format */
    bool in_outdir;      /* GRUB: the grub.cfg of a directory given to lint, whose
                            loaded files classify_outdir/classify_dir added */
    bool of_mkdom0;      /* GRUB, in_outdir: that directory is mkdom0's output
                            (image.ini), so its layout is known */
    bool in_dir;         /* GRUB: found in a directory given (classify_dir), which
                            holds the files it loads as the loader finds them: one
                            not there is an error, as of an output directory's
                            (check_loaded_files; trial10 item 1) */
    bool misses_xen, misses_root; /* GRUB: an entry names a hypervisor, a rootfs,
                            that is not there (add_loaded): the directory's file of
                            that kind by name stands in for none (add_by_name) */
    bool efi_cfg;        /* GRUB: found where Xen's EFI loader reads its config
                            (an ESP's EFI/VENDOR/, xen.cfg at a directory's top);
                            read as xen.cfg and never chained_by: no loader
                            reads it (a stray xen.cfg) */
    char *defaults_dir;  /* GRUB defaults named DIR/grub or DIR/grub.d/NAME.cfg: DIR
                            (resolved), which groups them as update-grub sources them */
    int defaults_rank;   /* 0: DIR/grub, 1: DIR/grub.d/NAME.cfg */
    size_t group_at, group_n; /* GRUB defaults: its group in defaults_groups' order */
    char *real;          /* realpath of `path`, once is_input has indexed it */
    char *loaded_by;     /* ROOTFS a boot config loads: "grub.cfg:4", the line
                            that loads it; NULL when it was found by name */
    bool found;          /* ROOTFS, XEN: found by lint (a file a boot config
                            loads, an output directory's), not given */
    md_strv hvs;         /* ROOTFS: the hypervisors of the entries that load it */
    md_strv hv_missing;  /* ROOTFS: the hypervisors entries that load it name but
                            that are not there ("/boot/xen.gz (grub.cfg:3)"): trap 2
                            is not checked against a stand-in (trial10 item 1) */
    md_xen_version hv;   /* XEN: its release (hv.found: read) */
    /* syslinux INCLUDEs (follow_includes): the inputs a config reads in place
     * are one group, whose root is the config given; depth: of nesting */
    bool in_group;
    size_t root;
    unsigned depth;
    size_t nentries;     /* GRUB: its Xen entries */
    size_t nchains;      /* GRUB: its chainloader lines that boot (or may boot)
                            Xen's EFI loader, followed or said (follow_chains) */
    char *chained_by;    /* GRUB, a xen.cfg: what makes Xen's EFI loader read it
                            ("grub.cfg:4 chainloads EFI/xen/xen.efi") */
    /* GRUB, a xen.cfg read by a chainloaded Xen EFI loader: what the
     * chainloader line's command line gives it (md_bootfmt_efi_start): the
     * section it names, the Xen options after its "--", and that line */
    char *chain_section;
    char *chain_name;    /* the command line's first word: the loader's name */
    md_strv chain_xen;
    char *chain_file;
    unsigned chain_line;
    bool cfg_followed;   /* XEN: its xen.cfg was looked for (follow_xen_efi) */
    char *chain_to;      /* GRUB, a xen.cfg: its chain= followed (follow_cfg_chains):
                            "its chain= on line 3 followed to other.cfg" */
    int chain;           /* ... and found (MD_BOOTFMT_CHAIN_READ) or not there */
    bool chain_target;   /* GRUB: an input a xen.cfg's chain= names, which is
                            followed from that xen.cfg (follow_cfg_chains) */
    bool chain_done;     /* GRUB, a xen.cfg: its chain= followed */
    char *chain_loop;    /* ... back into its own chain (MD_BOOTFMT_CHAIN_LOOP):
                            the files of the loop */
    bool chain_stray;    /* GRUB, chained_by a chain= whose first xen.cfg no loader
                            reads (stray_xen_cfg): it boots nothing either */
    bool in_root;        /* GRUB: found at a loader's place in a directory or
                            tree given, which may boot no Xen: a root tree's
                            /boot/grub/grub.cfg (classify_root_boot), an ESP's
                            (classify_esp), a directory's (classify_dir); its
                            lack of a Xen entry is said, and the directory's
                            (check_dirs) is the error */
    bool on_esp;         /* XEN: an EFI loader found on an ESP given, or at the top
                            of a directory given (classify_efi_dir) */
    bool at_top;         /* XEN, on_esp: at a directory's top, not in an ESP's
                            EFI/VENDOR/ (a copy of /boot may hold one nothing boots) */
    char *chain_efi;     /* GRUB, a xen.cfg: the Xen EFI loader that reads it */
    char *unified;       /* GRUB, a xen.cfg: the xen.efi whose .kernel and .ramdisk
                            sections Xen reads instead of kernel= and ramdisk=
                            (the image it is the .config section of, or the
                            loader that reads it from a file) */
    bool has_kernel, has_ramdisk; /* GRUB: that image has .kernel, .ramdisk */
    bool efi_x86;        /* GRUB, a xen.cfg: the Xen EFI loader that reads it is
                            x86's, which reads no dtb= (md_bootfmt_efi_start.x86) */
    char *no_entry;      /* GRUB in a group: why it has none, said only when no
                            input of the group has one */
    char *no_xen;        /* GRUB, in_root: why it has no Xen entry, said once every
                            input's entries are known (say_no_xen) */
    bool no_xen_plain;   /* ... and none hides from lint: no line it cannot read
                            (unread), none that reads another file (include) */
} input;

/* A directory given without its kind (classify_dir): the inputs it added,
 * v[from, to); `esp`: it has EFI/; `byname_root`: a rootfs lies there by
 * name (rootfs.cpio*), which is what lint checks when it holds no boot
 * config. */
typedef struct dir_range {
    char *dir;
    size_t from, to;
    bool esp, byname_root;
} dir_range;

typedef struct inputs {
    input *v;
    size_t n;
    dir_range *dirs;
    size_t ndirs;
    md_strv byname;  /* directories whose rootfs and hypervisor are found by
                        name once the configs are paired (add_by_name) */
    md_hindex reals; /* v[0 .. nreal) by real path (is_input) */
    size_t nreal;
    int rc;
    md_err *err;
    md_lint *l;
    /* reading a file a config loads (add_found): its failure is set here,
     * not the run's (fail()) */
    bool soft;
    md_err soft_err;
    bool not_archive; /* ... and the file was read: it is no archive */
    const char *root; /* the directory being classified: no file it names is
                         read from outside it (inside_dir) */
} inputs;

/* "PATH: why" -> "why" */
static const char *strip_path(const char *msg, const char *path)
{
    size_t n = strlen(path);
    return !strncmp(msg, path, n) && !strncmp(msg + n, ": ", 2) ? msg + n + 2 : msg;
}

/* An input that could not be linted: the first error goes to the caller,
 * every one into the report (md_lint_input_error), for --json. */
static void fail(inputs *in, const char *path, const md_err *e)
{
    if (in->soft) {
        if (!in->soft_err.set)
            md_err_set(&in->soft_err, "%s", e->msg);
        return;
    }
    md_lint_input_error(in->l, path, strip_path(e->msg, path));
    md_err_set(in->err, "%s", e->msg);
    in->rc = -1;
}

static input *push(inputs *in, const char *path, md_lint_kind kind)
{
    in->v = md_xrealloc(in->v, (in->n + 1) * sizeof *in->v);
    input *x = &in->v[in->n++];
    memset(x, 0, sizeof *x);
    x->path = md_xstrdup(path);
    x->kind = kind;
    return x;
}

static const char *base_of(const char *p)
{
    const char *b = strrchr(p, '/');
    return b && b[1] ? b + 1 : p;
}

static bool is_xen_name(const char *p)
{
    return !fnmatch(MD_IMGDIR_XEN_GLOB, base_of(p), 0);
}

static char *dir_of(const char *path)
{
    char *c = md_xstrdup(path);
    char *d = md_xstrdup(dirname(c));
    free(c);
    return d;
}

static bool binary(const unsigned char *d, size_t len)
{
    return memchr(d, 0, len) != NULL;
}

/* Where the first NUL byte of `d` is, for a message: " (a NUL byte on line
 * L, byte B)", bytes counted from 1.  Caller frees. */
static char *nul_at(const unsigned char *d, size_t len)
{
    const unsigned char *z = memchr(d, 0, len);
    if (!z)
        return md_xstrdup("");
    unsigned line = 1;
    for (const unsigned char *p = d; p < z; p++)
        line += *p == '\n';
    return md_xasprintf(" (a NUL byte on line %u, byte %zu)", line, (size_t)(z - d) + 1);
}

/* What to do with text lint refuses for its NUL bytes: given as a config
 * (--boot, --inittab) it is refused too, so that is no way out. */
#define NUL_HINT "lint reads no config with NUL bytes; if it is one, remove them (tr -d " \
                 "'\\000') and lint it again"

/* A GRUB config or inittab given explicitly or recognized. */
static void add_text(inputs *in, const char *path, md_lint_kind kind, unsigned char *d,
                     size_t len)
{
    md_err e = MD_ERR_INIT;
    if (!len) {
        md_err_set(&e, "%s: empty file", path);
    } else if (binary(d, len)) {
        char *where = nul_at(d, len);
        md_err_set(&e, "%s: binary data%s, not %s: " NUL_HINT, path, where,
                   kind == MD_LINT_GRUB ? "a boot config" : "an inittab");
        free(where);
    } else {
        input *x = push(in, path, kind);
        x->text = d;
        x->len = len;
        if (kind == MD_LINT_GRUB) {
            /* told it is a boot config: the format still comes from the
             * content, GRUB 2 when it is none of the others */
            x->fmt = md_bootfmt_detect((char *)d, len);
            if (x->fmt == MD_BOOTFMT_UNKNOWN)
                x->fmt = MD_BOOTFMT_GRUB2;
        }
        return;
    }
    free(d);
    fail(in, path, &e);
}

/* The length the readers are given for x's text: a config past the cap is
 * refused by its size (md_bootcfg_too_big) before any of it is read. */
static size_t text_len(const input *x)
{
    return !x->size ? x->len : x->size > SIZE_MAX ? SIZE_MAX : (size_t)x->size;
}

/* A GRUB config or inittab file: add_text of what is read.  One past
 * MD_BOOTCFG_MAX_TEXT is not read whole (issue 9: a 200 MB config was held
 * before its refusal): its first 64 KiB tell its format, then it keeps its
 * size only, which every reader refuses. */
static void add_text_sized(inputs *in, const char *path, md_lint_kind kind, unsigned char *d,
                           size_t len, uint64_t size)
{
    size_t before = in->n;
    add_text(in, path, kind, d, len);
    if (in->n > before && size > len) {
        input *x = &in->v[before];
        free(x->text);
        x->text = (unsigned char *)md_xstrdup("");
        x->len = 0;
        x->size = size;
    }
}

/* The first 64 KiB of a file past MD_BOOTCFG_MAX_TEXT, else all of it. */
static int read_text(const char *path, unsigned char **d, size_t *len, uint64_t *size,
                     md_err *e)
{
    return md_read_file_capped(path, MD_BOOTCFG_MAX_TEXT, 64 << 10, d, len, size, e);
}

static void add_text_file(inputs *in, const char *path, md_lint_kind kind)
{
    md_err e = MD_ERR_INIT;
    unsigned char *d;
    size_t len;
    uint64_t size;
    if (read_text(path, &d, &len, &size, &e) < 0)
        return fail(in, path, &e);
    add_text_sized(in, path, kind, d, len, size);
}

/* Which of a Xen EFI loader's sections .config, .kernel and .ramdisk the
 * image `d` carries (none when it is no PE image).  A section that lies
 * past the file's end, or an MZ file whose headers are no PE32+ image, are
 * an error on `path` (the firmware's
 * loader refuses such a file, and a truncated copy read as "no section"
 * passed lint silently: trial 10n, finding B); returns false then. */
enum { EFI_CONFIG, EFI_KERNEL, EFI_RAMDISK };
struct efi_section {
    bool has;
    size_t off, size; /* bytes of the image, when it has it */
};

static bool efi_sections(inputs *in, const char *path, const unsigned char *d, size_t len,
                         struct efi_section sec[3])
{
    static const char *const names[3] = { ".config", ".kernel", ".ramdisk" };
    memset(sec, 0, 3 * sizeof *sec);
    if (len < 2 || d[0] != 'M' || d[1] != 'Z')
        return true; /* no PE image (a gzip'd xen.gz, an ELF xen): no sections */
    /* every section, not only these three (trial9x F4's kind: a cut image
     * whose banner survived); not its signature, which objcopy
     * --update-section on a signed image leaves stale and Xen runs with */
    md_err e = MD_ERR_INIT;
    if (md_xenefi_check_whole(d, len, path, false, &e) < 0) {
        md_lint_add(in->l, path, 0, MD_LINT_ERROR, 0,
                    "not a whole PE32+ image: %s (truncated?), and the firmware will not load it",
                    strip_path(e.msg, path));
        return false;
    }
    for (int i = 0; i < 3; i++) {
        int r = md_xenefi_section(d, len, names[i], &sec[i].off, &sec[i].size);
        if (r < 0) {
            md_lint_add(in->l, path, 0, MD_LINT_ERROR, 0,
                        "not a whole PE32+ image: its headers are damaged or its %s section "
                        "lies past the end of the file (%zu bytes; truncated?), and the "
                        "firmware will not load it", names[i], len);
            return false;
        }
        sec[i].has = r == 0;
    }
    return true;
}

/* A unified xen.efi carries its xen.cfg, dom0 kernel and rootfs as the PE
 * sections .config, .kernel and .ramdisk, which Xen's loader reads instead
 * of files (read_section(), xen/common/efi/boot.c; docs/misc/efi.pandoc):
 * lint the config as a xen.cfg ("xen.efi(.config)") and the ramdisk as the
 * rootfs ("xen.efi(.ramdisk)"), as if given beside the hypervisor. */
static void add_unified(inputs *in, const char *path)
{
    unsigned char *d;
    size_t len;
    md_err e = MD_ERR_INIT;
    if (md_read_file(path, &d, &len, &e) < 0)
        return;
    struct efi_section sec[3];
    if (!efi_sections(in, path, d, len, sec)) {
        free(d);
        return;
    }
    if (sec[EFI_CONFIG].has) {
        size_t off = sec[EFI_CONFIG].off, size = sec[EFI_CONFIG].size;
        char *label = md_xasprintf("%s(.config)", path);
        unsigned char *cfg = md_xmalloc(size + 1);
        memcpy(cfg, d + off, size);
        cfg[size] = '\0';
        /* the section may be padded with NULs to its file alignment */
        size = strnlen((char *)cfg, size);
        size_t before = in->n;
        add_text(in, label, MD_LINT_GRUB, cfg, size);
        if (in->n > before) {
            /* Xen reads these sections before any file kernel= and
             * ramdisk= name (efi_start(): read_section() first) */
            input *x = &in->v[before];
            x->unified = md_xstrdup(path);
            x->has_kernel = sec[EFI_KERNEL].has;
            x->has_ramdisk = sec[EFI_RAMDISK].has;
            md_xen_version v;
            md_err ve = MD_ERR_INIT;
            x->efi_x86 = md_xenver_hypervisor_image(d, len, path, &v, &ve) == 0 &&
                         !strcmp(v.arch, "x86");
        }
        free(label);
    }
    if (sec[EFI_RAMDISK].has) {
        size_t off = sec[EFI_RAMDISK].off, size = sec[EFI_RAMDISK].size;
        char *label = md_xasprintf("%s(.ramdisk)", path);
        /* md_unpack_rootfs reads a file: the section goes to a scratch
         * directory (core/file: TMPDIR checked as for every other scratch
         * file, removed after) */
        char *dir = md_scratch_dir("lint", &e);
        char *tmp = dir ? md_xasprintf("%s/ramdisk", dir) : NULL;
        bool wrote = tmp && md_write_atomic(tmp, d + off, size, 0600, &e) == 0;
        md_unpack_notes notes;
        md_tree *t = wrote ? md_unpack_rootfs(tmp, NULL, md_lint_keep, NULL, &notes, &e) : NULL;
        if (dir)
            md_remove_tree(dir, NULL);
        if (t) {
            input *x = push(in, label, MD_LINT_ROOTFS);
            x->tree = t;
            x->notes = notes;
        } else {
            if (wrote)
                md_unpack_notes_free(&notes);
            else
                md_err_prefix(&e, "%s: cannot write it out to read it", label);
            fail(in, label, &e);
        }
        free(tmp);
        free(dir);
        free(label);
    }
    free(d);
}

/* Is the file `host` an EFI program by its head: a PE image ("MZ") that
 * is no Linux bzImage ("HdrS" at 0x202: a kernel with an EFI stub starts
 * "MZ" too)?  1 yes, 0 no, -1 it cannot be read. */
static int efi_program(const char *host)
{
    FILE *fp = fopen(host, "rb");
    if (!fp)
        return -1;
    unsigned char h[0x206] = { 0 };
    size_t n = fread(h, 1, sizeof h, fp);
    fclose(fp);
    return n >= 2 && h[0] == 'M' && h[1] == 'Z' && (n < sizeof h || memcmp(h + 0x202, "HdrS", 4));
}

static char *leaves_root(const char *root, const char *p);

/* Whether file `p` of directory `dir` may be read: false, with the input
 * error, when a symlink leads it out of `dir` (leaves_root). */
static bool inside_dir(inputs *in, const char *dir, const char *p)
{
    char *out = leaves_root(dir, p);
    if (!out)
        return true;
    md_err e = MD_ERR_INIT;
    md_err_set(&e, "%s", out);
    fail(in, p, &e);
    free(out);
    return false;
}

static void classify_file(inputs *in, const char *path, md_lint_kind kind)
{
    md_err e = MD_ERR_INIT;
    if (in->root && !inside_dir(in, in->root, path))
        return;
    if (kind == MD_LINT_XEN || (kind == MD_LINT_AUTO && is_xen_name(path))) {
        /* md_open_regular says what is there (a device, a FIFO); errno
         * after md_is_file was whatever came last (trial 9h case 10:
         * "Inappropriate ioctl for device") */
        int fd = md_open_regular_flags(path, 0, NULL, &e);
        if (fd < 0) {
            fail(in, path, &e);
        } else {
            close(fd);
            push(in, path, MD_LINT_XEN);
            add_unified(in, path);
        }
        return;
    }
    if (kind == MD_LINT_GRUB || kind == MD_LINT_INITTAB)
        return add_text_file(in, path, kind);
    unsigned char *d;
    size_t len;
    uint64_t size, fsize;
    md_err why = MD_ERR_INIT;
    if (kind == MD_LINT_AUTO && md_file_size(path, &fsize, NULL) == 0 &&
        fsize > MD_BOOTCFG_MAX_TEXT && read_text(path, &d, &len, &size, &e) == 0) {
        /* text past the cap is no archive (a cpio or tar header holds NUL
         * bytes, a compressed stream is no text): not read whole by the
         * archive reader either, only its head, for what it is */
        if (size > len && len && !binary(d, len) && md_decomp_detect(d, len) == MD_DECOMP_NONE)
            goto text;
        free(d);
    }
    md_err_clear(&e);
    bool not_archive = false;
    md_unpack_notes notes;
    md_tree *t = md_unpack_rootfs(path, NULL, md_lint_keep, &not_archive, &notes, &e);
    if (t) {
        input *x = push(in, path, MD_LINT_ROOTFS);
        x->tree = t;
        x->notes = notes;
        return;
    }
    md_unpack_notes_free(&notes);
    in->not_archive = not_archive;
    if (kind == MD_LINT_ROOTFS || !not_archive)
        return fail(in, path, &e);
    why = e; /* libarchive's view, for compressed data */
    md_err_clear(&e);
    if (read_text(path, &d, &len, &size, &e) < 0)
        return fail(in, path, &e);
    if (size > len && (binary(d, len) || md_decomp_detect(d, len) != MD_DECOMP_NONE)) {
        /* no text: maybe a hypervisor image, which is read whole */
        free(d);
        if (md_read_file(path, &d, &len, &e) < 0)
            return fail(in, path, &e);
        size = len;
    }
text:;
    const char *b = base_of(path);
    if (len && !binary(d, len)) {
        /* by content, never by name: a pxelinux "default" file, a
         * BOOTX64.CFG or an iPXE script are as much boot configs as grub.cfg */
        if (strstr(b, "inittab"))
            return add_text_sized(in, path, MD_LINT_INITTAB, d, len, size);
        if (md_bootfmt_detect((char *)d, len) != MD_BOOTFMT_UNKNOWN)
            return add_text_sized(in, path, MD_LINT_GRUB, d, len, size);
        if (md_lint_looks_inittab((char *)d, len))
            return add_text_sized(in, path, MD_LINT_INITTAB, d, len, size);
    }
    if (len && (binary(d, len) || md_decomp_detect(d, len) != MD_DECOMP_NONE)) {
        /* a hypervisor by content, whatever its name: xen.efi (PE), a
         * plain xen ELF, a xen.gz renamed (trial10f case 13) */
        md_xen_version v;
        md_err ve = MD_ERR_INIT;
        if (md_xenver_hypervisor_image(d, len, path, &v, &ve) == 0) {
            free(d);
            push(in, path, MD_LINT_XEN);
            add_unified(in, path);
            return;
        }
    }
    if (!len)
        md_err_set(&e, "%s: empty file", path);
    else if (md_decomp_detect(d, len) != MD_DECOMP_NONE)
        md_err_set(&e, "%s: compressed data, but no readable cpio or tar archive in it "
                       "(truncated, or not a rootfs): %s", path, strip_path(why.msg, path));
    else if (binary(d, len)) {
        /* --boot and --inittab refuse it as well (add_text): trial10 case 12 */
        char *where = nul_at(d, len);
        md_err_set(&e, "%s: binary data%s that is neither a cpio/tar rootfs, a Xen hypervisor "
                       "image (xen.gz, xen.efi) nor a text config: " NUL_HINT "; if it is a "
                       "rootfs or a hypervisor, --rootfs or --xen says why it cannot be read",
                   path, where);
        free(where);
    }
    else
        md_err_set(&e, "%s: cannot tell what this is: no boot config (GRUB 2 or legacy, GRUB "
                       "defaults, xen.cfg, syslinux, iPXE), no inittab entries, not an "
                       "archive; use --boot, --inittab or --rootfs", path);
    free(d);
    fail(in, path, &e);
}

static char *near(const char *cfg, const char *gpath);
static char *near_find(const char *cfg, const char *gpath, char **other);
static bool on_fat(const char *cfg, const char *gpath);
static char *find_nocase(const char *dir, const char *name, bool want_dir);
static void classify_media(inputs *in, const char *dir);
static bool *ipxe_efi_entries(const input *x, const md_bootcfg_list *cfg);

/* The entries of boot config `x` as its loader boots them: a xen.cfg as
 * Xen's EFI loader reads it when started as x says (the chainloader's
 * section and options, a unified image's own .kernel and .ramdisk:
 * md_bootfmt_read_xen_efi), any other as md_bootfmt_read. */
/* The other files a GRUB 2 config runs (source, '.', configfile): what
 * finds them (grub_other) and the names it found, each once. */
typedef struct grub_others {
    const char *cfg; /* the config read */
    md_strv *found;  /* NULL: not kept */
} grub_others;

/* The file GRUB path `gpath` names, that file `from` (NULL: the config)
 * runs with source or configfile, found as the files entries load are
 * (near(): the config's directory and the two above it, a "(device)"
 * dropped): $prefix is the directory GRUB read grub.cfg from
 * (grub_set_prefix_and_root(); the config's), $config_directory the one
 * of the file being read (read_config_file() in grub-core/normal/main.c),
 * which the 41_custom of update-grub sources custom.cfg from. */
static void grub_other(void *ctx, const char *gpath, const char *from, md_grubcfg_text *t)
{
    grub_others *o = ctx;
    const char *g = gpath[0] == '(' && strchr(gpath, ')') ? strchr(gpath, ')') + 1 : gpath;
    const char *base = o->cfg;
    static const char *const vars[] = { "$prefix/", "${prefix}/", "$config_directory/",
                                        "${config_directory}/" };
    for (size_t i = 0; i < sizeof vars / sizeof *vars; i++)
        if (!strncmp(g, vars[i], strlen(vars[i]))) {
            base = i >= 2 && from ? from : o->cfg;
            g += strlen(vars[i]);
            break;
        }
    char *other = NULL;
    char *p = strchr(g, '$') ? NULL : near_find(base, g, &other);
    unsigned char *d = NULL;
    size_t len = 0;
    uint64_t size = 0;
    md_err e = MD_ERR_INIT;
    if (!p && strchr(g, '$'))
        t->why = md_xstrdup("its path uses a variable lint cannot resolve (GRUB's $root or one "
                            "of the config's own)");
    else if (!p && other)
        t->why = other, other = NULL;
    else if (!p)
        t->why = md_xasprintf("it is not next to %s (nor up to two directories above it)",
                              base);
    else if (read_text(p, &d, &len, &size, &e) < 0)
        t->why = md_xstrdup(strip_path(e.msg, p));
    else if (size > len)
        t->why = md_bootcfg_size_msg(size);
    if (t->why) {
        free(d);
        free(p);
        free(other);
        return;
    }
    t->text = (char *)d, t->len = len;
    t->key = realpath(p, NULL);
    t->name = p;
    char *top = realpath(o->cfg, NULL);
    bool self = top && t->key && !strcmp(top, t->key); /* a loop back: read already */
    free(top);
    if (o->found && !self && !md_strv_contains(o->found, p))
        md_strv_push(o->found, p);
}

static char *ipxe_find(const char *script, const char *uri);

/* The host file of image `uri` that iPXE script `x` runs when it is an
 * iPXE script by content (its first bytes "#!ipxe", script_probe() in
 * src/image/script.c), else NULL; caller frees. */
static char *ipxe_script_host(const input *x, const char *uri)
{
    if (!uri || !*uri || strchr(uri, '$'))
        return NULL;
    char *host = ipxe_find(x->path, uri);
    FILE *fp = host ? fopen(host, "rb") : NULL;
    char h[6] = { 0 };
    bool script = fp && fread(h, 1, sizeof h, fp) == sizeof h && !memcmp(h, "#!ipxe", 6);
    if (fp)
        fclose(fp);
    if (!script) {
        free(host);
        host = NULL;
    }
    return host;
}

static bool ipxe_script_file(const input *x, const char *uri)
{
    char *h = ipxe_script_host(x, uri);
    free(h);
    return h != NULL;
}

/* The directory above `d` (which it frees), named as the user would
 * ("c10/boot", not "c10/boot/grub/.."), as a file found there is then named
 * in findings.  Caller frees. */
static char *dir_up(char *d)
{
    const char *db = base_of(d);
    char *nd = strcmp(db, ".") && strcmp(db, "..") && strcmp(d, "/") ? dir_of(d)
                                                                     : md_xasprintf("%s/..", d);
    free(d);
    return nd;
}

/* The host files (and directories) below `d` that GRUB path `path` (a
 * wildcard pattern in GRUB's escaped form, its device dropped) names,
 * each pushed to `out` as `dev` (the device as written, or "") and the
 * path with its wildcard components replaced by the names matched, at most
 * MD_GRUBCFG_MAX_GLOB + 1: component by component as wildcard_expand()
 * (grub-core/commands/wildcard.c) lists each directory, a literal one
 * found without case on FAT as near() finds it.  Returns how many. */
static size_t glob_below(const char *d, const char *dev, const char *path, bool fat,
                         md_strv *out)
{
    md_strv host = { 0 }, gp = { 0 }; /* the paths so far, beside each other */
    md_strv_push(&host, d);
    md_strv_push(&gp, dev);
    for (const char *p = path; *p && host.n;) {
        p += strspn(p, "/");
        size_t n = 0;
        while (p[n] && p[n] != '/')
            n += p[n] == '\\' && p[n + 1] ? 2 : 1;
        if (!n)
            break;
        bool wild = md_grubcfg_wild_has(p, n);
        char *lit = wild ? NULL : md_grubcfg_wild_unescape(p, n);
        md_strv nh = { 0 }, ng = { 0 };
        for (size_t i = 0; i < host.n && nh.n <= MD_GRUBCFG_MAX_GLOB; i++) {
            if (lit) {
                char *h = md_xasprintf("%s/%s", host.v[i], lit);
                struct stat st;
                if (lstat(h, &st) != 0 && fat) {
                    free(h);
                    h = find_nocase(host.v[i], lit, false);
                    if (!h)
                        h = find_nocase(host.v[i], lit, true);
                }
                if (h) {
                    md_strv_push_own(&nh, h);
                    md_strv_pushf(&ng, "%s/%s", gp.v[i], lit);
                }
                continue;
            }
            DIR *dir = opendir(host.v[i]);
            md_strv names = { 0 };
            for (struct dirent *de; dir && (de = readdir(dir));)
                if (strcmp(de->d_name, ".") && strcmp(de->d_name, "..") &&
                    md_grubcfg_wild_match(p, n, de->d_name))
                    md_strv_push(&names, de->d_name);
            if (dir)
                closedir(dir);
            md_strv_sort(&names);
            for (size_t j = 0; j < names.n && nh.n <= MD_GRUBCFG_MAX_GLOB; j++) {
                md_strv_pushf(&nh, "%s/%s", host.v[i], names.v[j]);
                md_strv_pushf(&ng, "%s/%s", gp.v[i], names.v[j]);
            }
            md_strv_free(&names);
        }
        free(lit);
        md_strv_free(&host);
        md_strv_free(&gp);
        host = nh, gp = ng;
        p += n;
    }
    size_t got = 0;
    for (size_t i = 0; i < host.n; i++) {
        struct stat st;
        if (stat(host.v[i], &st) == 0 || lstat(host.v[i], &st) == 0) {
            md_strv_push(out, gp.v[i]);
            got++;
        }
    }
    md_strv_free(&host);
    md_strv_free(&gp);
    return got;
}

/* GRUB's wildcard expansion of `pat` (md_grubcfg_files.glob) where the
 * files entries load are found (near(): the config's directory, else the
 * one or two above it; the first that holds a match is GRUB's root, as
 * one device holds the files).  Sorted: GRUB lists a directory in its
 * file system's order, which a copy of it does not keep. */
static long grub_glob(void *ctx, const char *pat, md_strv *out, char **why)
{
    const grub_others *o = ctx;
    const char *path = pat;
    char *dev = md_xstrdup("");
    if (pat[0] == '(' && strchr(pat, ')')) {
        path = strchr(pat, ')') + 1;
        free(dev);
        dev = md_xasprintf("%.*s", (int)(path - pat), pat);
    }
    if (pat[0] == '*' || md_grubcfg_wild_has(dev, strlen(dev))) {
        *why = md_xstrdup("its device part is a wildcard, which GRUB matches against the "
                          "machine's disks");
        free(dev);
        return -1;
    }
    bool up = md_path_has_dotdot(path); /* as near_find */
    if (up || strchr(path, '$')) {
        *why = md_xstrdup(up ? "its path goes up with '..', which lint does not follow"
                             : "its path uses a variable lint cannot resolve");
        free(dev);
        return -1;
    }
    char *d = dir_of(o->cfg);
    size_t n = 0;
    for (int lv = 0; lv < 3 && !n; lv++) {
        n = glob_below(d, dev, path, on_fat(o->cfg, path), out);
        d = dir_up(d);
    }
    free(d);
    free(dev);
    md_strv_sort(out);
    return (long)n;
}

/* read_config, and the names of the other files a GRUB 2 config runs
 * into `found` (NULL: not kept). */
static void read_config_found(const input *x, md_bootcfg_list *cfg, md_strv *found)
{
    if (x->fmt == MD_BOOTFMT_GRUB2 || x->fmt == MD_BOOTFMT_UNKNOWN) {
        grub_others o = { x->path, found };
        char *key = realpath(x->path, NULL);
        md_grubcfg_files files = { grub_other, &o, x->path, key, grub_glob };
        md_bootfmt_read_files(x->fmt, (char *)x->text, text_len(x), &files, cfg);
        free(key);
        return;
    }
    if (x->fmt != MD_BOOTFMT_XEN_EFI) {
        md_bootfmt_read(x->fmt, (char *)x->text, text_len(x), cfg);
        if (x->fmt != MD_BOOTFMT_IPXE)
            return;
        /* an EFI program iPXE runs is no multiboot entry: follow_chains
         * reads it as the chainloader it is */
        bool *efi = ipxe_efi_entries(x, cfg);
        size_t k = 0;
        for (size_t i = 0; i < cfg->n; i++) {
            const md_bootcfg_entry *e = cfg->v[i];
            /* an image run alone that is an iPXE script by its content
             * (script_probe(): "#!ipxe"), whatever its name says
             * ("chain xen.ipxe"): iPXE runs it in place of this one, whose
             * entries follow_ipxe_chains reads (trial10y H2) */
            bool script = !efi[i] && !e->nmods && !(e->kernel.path && *e->kernel.path) &&
                          ipxe_script_file(x, e->xen.path);
            if (script && !cfg->include) {
                cfg->include = md_xasprintf("chain %s", e->xen.path);
                cfg->include_line = e->xen.line;
            }
            if (efi[i] || script)
                md_bootcfg_entry_free(cfg->v[i]);
            else
                cfg->v[k++] = cfg->v[i];
        }
        cfg->n = k;
        free(efi);
        return;
    }
    md_bootfmt_efi_start st = { x->chain_section, &x->chain_xen, x->chain_file, x->chain_line,
                                x->unified && x->has_kernel, x->unified && x->has_ramdisk,
                                x->chain_name, x->efi_x86, x->chain, x->chain_loop };
    md_bootfmt_read_xen_efi((char *)x->text, text_len(x), &st, cfg);
}

static void read_config(const input *x, md_bootcfg_list *cfg)
{
    read_config_found(x, cfg, NULL);
}

/* Where the module `gpath` (the rootfs, `ramdisk` true, or the dom0 kernel)
 * that config `x` loads is on the host: the section of a unified xen.efi
 * that Xen reads instead of the file (add_unified's label for .ramdisk,
 * "XEN.efi(.kernel)" for .kernel), else the file near() finds.  Caller
 * frees. */
static char *loaded_path(const input *x, const char *gpath, bool ramdisk)
{
    if (x->unified && (ramdisk ? x->has_ramdisk : x->has_kernel))
        return md_xasprintf("%s(%s)", x->unified, ramdisk ? ".ramdisk" : ".kernel");
    return near(x->path, gpath);
}

/* The files the Xen entries of boot config `x` load, found as lint finds
 * every loaded file (near()), each once: the hypervisors into `xens`, the
 * rootfs modules into `roots`, and beside each in `why` which line loads it
 * ("grub.cfg:4"); for each entry whose rootfs is found, that rootfs into
 * `pr` and the entry's hypervisor ("" when not found) into `px`, and into
 * `pm` "" or, when the entry names a hypervisor that is not there, that
 * name and its line ("/boot/xen.gz (grub.cfg:3)").  Returns whether the
 * config has an entry that loads a rootfs at all (found or not); miss[0],
 * miss[1]: whether one names a hypervisor, a rootfs, that is not there. */
static bool loaded_files(const input *x, md_strv *xens, md_strv *roots, md_strv *why,
                         md_strv *pr, md_strv *px, md_strv *pm, bool miss[2])
{
    md_bootcfg_list cfg = { 0 };
    read_config(x, &cfg);
    bool loads_root = false;
    for (size_t i = 0; i < cfg.n; i++) {
        const md_bootcfg_entry *e = cfg.v[i];
        long ri = md_bootcfg_initrd(e, NULL); /* after ucode=<index>, as Xen picks it */
        const md_bootcfg_file *f[2] = { &e->xen, ri >= 0 ? &e->mods[ri] : NULL };
        char *p[2] = { NULL, NULL };
        for (int k = 0; k < 2; k++) {
            if (!f[k] || !f[k]->path || !*f[k]->path)
                continue;
            loads_root |= k == 1;
            /* a xen.cfg's Xen is the EFI loader that reads it (the
             * unified image it is a section of), whatever lies next to it
             * as xen.efi */
            const char *efi = x->chain_efi ? x->chain_efi : x->unified;
            p[k] = !k && efi ? md_xstrdup(efi)
                   : k       ? loaded_path(x, f[k]->path, true)
                             : near(x->path, f[k]->path);
            miss[k] |= !p[k];
            if (p[k] && !md_strv_contains(xens, p[k]) && !md_strv_contains(roots, p[k])) {
                md_strv_push(k ? roots : xens, p[k]);
                if (k)
                    md_strv_pushf(why, "%s:%u", base_of(x->path), f[k]->line);
            }
        }
        if (p[1]) {
            md_strv_push(pr, p[1]);
            md_strv_push(px, p[0] ? p[0] : "");
            if (!p[0] && f[0]->path && *f[0]->path)
                md_strv_pushf(pm, "%s (%s:%u)", f[0]->path,
                              base_of(f[0]->file ? f[0]->file : x->path), f[0]->line);
            else
                md_strv_push(pm, "");
        }
        free(p[0]);
        free(p[1]);
    }
    md_bootcfg_list_free(&cfg);
    return loads_root;
}

/* Are a and b the same file (both there)? */
static bool same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

/* The input that is the file `p`, or -1. */
static long find_input(const inputs *in, const char *p)
{
    for (size_t i = 0; p && i < in->n; i++)
        if (!strcmp(in->v[i].path, p) || same_file(in->v[i].path, p))
            return (long)i;
    return -1;
}

/* What kernel image the file `p` is (md_kimage_kind_name), NULL: none. */
static const char *kernel_kind(const char *p)
{
    unsigned char *d;
    size_t len;
    md_err e = MD_ERR_INIT;
    if (md_read_file(p, &d, &len, &e) < 0)
        return NULL;
    md_kimage k;
    md_kimage_read(p, d, len, &k);
    free(d);
    const char *name = k.kind != MD_KIMAGE_NONE && k.kind != MD_KIMAGE_CPIO
                           ? md_kimage_kind_name(k.kind) : NULL;
    md_kimage_free(&k);
    return name;
}

/* `p` (NULL: nothing) as an input of `kind` found by lint, not given, once;
 * `loaded_by` as input.loaded_by. */
static void add_found(inputs *in, const char *p, md_lint_kind kind, const char *loaded_by,
                      const char *cfg)
{
    if (!p || find_input(in, p) >= 0)
        return;
    size_t before = in->n;
    in->soft = loaded_by && *loaded_by && cfg;
    md_err_clear(&in->soft_err);
    classify_file(in, p, kind);
    in->soft = false;
    if (in->soft_err.set && !in->not_archive) {
        fail(in, p, &in->soft_err); /* a rootfs that cannot be read: case 21 */
    } else if (in->soft_err.set) {
        /* a file read in the role its config gives it that is no archive
         * at all (a kernel loaded as the rootfs module, in the wrong
         * order: trial10y M3) is a finding on the line that loads it, not
         * an input lint could not read: the config's other findings stand */
        const char *c = strrchr(loaded_by, ':');
        unsigned line = c ? (unsigned)strtoul(c + 1, NULL, 10) : 0;
        const char *k = kernel_kind(p);
        md_lint_add(in->l, cfg, line, MD_LINT_ERROR, 0,
                    "the rootfs module %s is %s%s, not an archive (%s): the dom0 kernel has "
                    "no root to unpack from it", p, k ? k : "neither a cpio nor a tar archive",
                    k ? ", a kernel" : "", strip_path(in->soft_err.msg, p));
    }
    /* a unified xen.efi's .config and .ramdisk too: what it carries was
     * found with it, not given */
    for (size_t i = before; i < in->n; i++)
        in->v[i].found = true;
    if (in->n > before && loaded_by && *loaded_by)
        in->v[before].loaded_by = md_xstrdup(loaded_by);
}

/* The files boot config in->v[ci] loads become inputs, the same way for a
 * config given alone as for an output directory's grub.cfg (trial10f case
 * 11: a config's rootfs is checked for every trap, as `lint DIR` checks
 * it): each rootfs an entry loads (when `roots_too`: no rootfs was given)
 * and each hypervisor (when `xens_too`: none was given), found next to the
 * config by near(); one that cannot be read is an input error naming it
 * (case 21), one that is no archive at all an error on the line that
 * loads it (add_found).  Each rootfs input gets in `hvs` the hypervisors of the
 * entries that load it, for trap 2, and in `hv_missing` those they name
 * that are not there.  Returns whether an entry loads a rootfs at all
 * (found or not). */
static bool add_loaded(inputs *in, size_t ci, bool roots_too, bool xens_too)
{
    md_strv xens = { 0 }, roots = { 0 }, why = { 0 }, pr = { 0 }, px = { 0 }, pm = { 0 };
    bool miss[2] = { false, false };
    bool loads = loaded_files(&in->v[ci], &xens, &roots, &why, &pr, &px, &pm, miss);
    char *cfg = md_xstrdup(in->v[ci].path); /* in->v moves as inputs are added */
    in->v[ci].misses_xen |= miss[0];
    in->v[ci].misses_root |= miss[1];
    for (size_t i = 0; roots_too && i < roots.n; i++)
        add_found(in, roots.v[i], MD_LINT_ROOTFS, why.v[i], cfg);
    for (size_t i = 0; xens_too && i < xens.n; i++)
        add_found(in, xens.v[i], MD_LINT_XEN, NULL, NULL);
    free(cfg);
    for (size_t k = 0; k < pr.n; k++) {
        long r = find_input(in, pr.v[k]);
        if (r >= 0 && in->v[r].kind == MD_LINT_ROOTFS && *px.v[k] &&
            !md_strv_contains(&in->v[r].hvs, px.v[k]))
            md_strv_push(&in->v[r].hvs, px.v[k]);
        if (r >= 0 && in->v[r].kind == MD_LINT_ROOTFS && *pm.v[k] &&
            !md_strv_contains(&in->v[r].hv_missing, pm.v[k]))
            md_strv_push(&in->v[r].hv_missing, pm.v[k]);
    }
    md_strv_free(&xens);
    md_strv_free(&roots);
    md_strv_free(&why);
    md_strv_free(&pr);
    md_strv_free(&px);
    md_strv_free(&pm);
    return loads;
}

/* Every boot config given (not an output directory's, whose files
 * classify_outdir added) with the files it loads, as add_loaded. */
static void pair_configs(inputs *in)
{
    bool given_root = false, given_xen = false;
    for (size_t i = 0; i < in->n; i++) {
        given_root |= in->v[i].kind == MD_LINT_ROOTFS && !in->v[i].found;
        given_xen |= in->v[i].kind == MD_LINT_XEN && !in->v[i].found;
    }
    size_t n = in->n; /* the configs; add_loaded adds inputs after them */
    for (size_t i = 0; i < n; i++)
        if (in->v[i].kind == MD_LINT_GRUB && !in->v[i].in_outdir)
            add_loaded(in, i, !given_root, !given_xen);
}

/* An mkdom0 output directory: its grub.cfg and the rootfs archive and
 * hypervisor its entry loads.  Only when there is no grub.cfg, or it loads
 * no rootfs, are they the ones found by name (rootfs.cpio*, xen*.gz): a
 * directory may hold others than the one that boots (trial 9).  Then its
 * media (classify_media).  Returns whether it has a grub.cfg or rootfs. */
static bool is_outdir(const char *dir);

static bool classify_outdir_in(inputs *in, const char *dir);

static bool classify_outdir(inputs *in, const char *dir)
{
    const char *outer = in->root;
    in->root = outer ? outer : dir;
    bool r = classify_outdir_in(in, dir);
    in->root = outer;
    return r;
}

static bool classify_outdir_in(inputs *in, const char *dir)
{
    md_imgdir *d = md_imgdir_open(dir, NULL);
    char *grub = d ? md_imgdir_find(d, MD_IMGDIR_GRUB_CFG) : NULL;
    bool by_entry = false;
    if (grub) {
        size_t before = in->n;
        classify_file(in, grub, MD_LINT_GRUB);
        if (in->n > before) {
            in->v[before].in_outdir = true;
            in->v[before].of_mkdom0 = is_outdir(dir);
            by_entry = add_loaded(in, before, true, true);
        }
    }
    char *rootfs = d && !by_entry ? md_imgdir_find(d, MD_IMGDIR_ROOTFS) : NULL;
    char *xen = d && !by_entry ? md_imgdir_find(d, MD_IMGDIR_XEN) : NULL;
    md_imgdir_free(d);
    bool any = grub || rootfs;
    add_found(in, rootfs, MD_LINT_ROOTFS, NULL, NULL);
    add_found(in, xen, MD_LINT_XEN, NULL, NULL);
    classify_media(in, dir);
    free(grub);
    free(rootfs);
    free(xen);
    return any;
}

/* Is `c` a hexadecimal digit as pxelinux writes it: lower case for the
 * UUID and the hardware address, `upper` for the IP address. */
static bool pxe_hex(char c, bool upper)
{
    return isdigit((unsigned char)c) || (c >= (upper ? 'A' : 'a') && c <= (upper ? 'F' : 'f'));
}

/* Is `n` a name pxelinux looks for in pxelinux.cfg/ (syslinux
 * doc/pxelinux.txt): the client's UUID and its hardware type and address
 * ("01-" and the MAC, with dashes), both in lower-case hexadecimal, its IP
 * address in upper-case hexadecimal and each shorter prefix of it, then
 * "default"?  `anycase`: with the hexadecimal digits of the UUID and the
 * address in either case.  Other files there are menus a config INCLUDEs
 * (follow_includes reads those). */
static bool pxelinux_looks_up(const char *n, bool anycase)
{
    size_t len = strlen(n), ip = 0;
    while (ip < len && pxe_hex(n[ip], true))
        ip++;
    if (!strcmp(n, "default") || (len >= 1 && len <= 8 && ip == len))
        return true;
    bool uuid = len == 36;
    for (size_t i = 0; uuid && i < len; i++)
        uuid = i == 8 || i == 13 || i == 18 || i == 23
                   ? n[i] == '-'
                   : pxe_hex(n[i], false) || (anycase && pxe_hex(n[i], true));
    bool hw = len >= 5 && len % 3 == 2;
    for (size_t i = 0; hw && i < len; i++)
        hw = i % 3 == 2 ? n[i] == '-' : pxe_hex(n[i], false) || (anycase && pxe_hex(n[i], true));
    return uuid || hw;
}

/* Does the file `p` start as an iPXE script must ("#!ipxe", iPXE's
 * script_probe())? */
static bool ipxe_script(const char *p)
{
    FILE *fp = fopen(p, "rb");
    char h[6] = { 0 };
    size_t n = fp ? fread(h, 1, sizeof h, fp) : 0;
    if (fp)
        fclose(fp);
    return n == sizeof h && !strncasecmp(h, "#!ipxe", 6);
}

/* pxelinux.cfg/`name` at `p` is a MAC address or UUID with upper-case
 * digits: pxelinux asks for it in lower case (doc/pxelinux.txt), and a TFTP
 * server matches names as they are (tftpd-hpa, dnsmasq), so the client
 * never gets this file (trial10 item 11).  Its entries are checked all the
 * same, as the config the user meant. */
static void pxelinux_case_warning(inputs *in, const char *p, const char *name)
{
    char *lower = md_xstrdup(name);
    for (char *c = lower; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    md_lint_add(in->l, p, 0, MD_LINT_WARNING, 0,
                "pxelinux never asks for this file: it asks for the MAC address or UUID in "
                "lower case (syslinux doc/pxelinux.txt), and TFTP servers match names as they "
                "are; rename it pxelinux.cfg/%s",
                lower);
    free(lower);
}

/* A boot config of a netboot tree at `p`, once (find_input: the same file
 * under another path too); `required`: one the build wrote, whose absence
 * is an error, else read only when it is there. */
static bool add_netcfg(inputs *in, const char *p, bool required)
{
    if (find_input(in, p) >= 0 || (!required && !md_is_file(p)))
        return false;
    size_t before = in->n;
    classify_file(in, p, MD_LINT_GRUB);
    return in->n > before;
}

/* The boot configs of a netboot tree (a TFTP root) at `dir`, by what it
 * holds, whatever the directory is called (issue 10, H3: one not named
 * netboot had only boot/grub/grub.cfg read): the names the build writes
 * (md_bootmedia_netboot_config_names, the one list of them: boot/grub/
 * grub.cfg, boot.ipxe, pxelinux.cfg/default, and per host of `macs` its
 * grub.cfg-01-MAC and pxelinux.cfg/01-MAC, each `required`), then every
 * per-host config found on disk as the loaders look them up: each
 * boot/grub/grub.cfg-* (GRUB's net config search), each file of
 * pxelinux.cfg/ that pxelinux looks for (pxelinux_looks_up), and each iPXE
 * script at the top (*.ipxe, or one that starts "#!ipxe").  Returns
 * whether it added an input. */
static bool classify_netboot(inputs *in, const char *dir, const char *const *macs, size_t nmacs,
                             bool required)
{
    bool any = false;
    md_bootmedia_netcfg *v;
    size_t n = md_bootmedia_netboot_config_names(macs, nmacs, &v);
    for (size_t i = 0; i < n; i++) {
        char *p = md_xasprintf("%s/%s", dir, v[i].path);
        any |= add_netcfg(in, p, required);
        free(p);
    }
    md_bootmedia_netcfgs_free(v, n);
    static const char *const subdirs[] = { "boot/grub", "pxelinux.cfg", "" };
    for (int k = 0; k < 3; k++) {
        char *sd = md_xasprintf("%s%s%s", dir, *subdirs[k] ? "/" : "", subdirs[k]);
        struct dirent **fs = NULL;
        int nf = scandir(sd, &fs, NULL, alphasort);
        for (int i = 0; i < nf; i++) {
            const char *f = fs[i]->d_name;
            size_t fl = strlen(f);
            char *p = md_xasprintf("%s/%s", sd, f);
            bool file = f[0] != '.' && md_is_file(p);
            bool want = file && (k == 0   ? !strncmp(f, "grub.cfg-", 9)
                                 : k == 1 ? pxelinux_looks_up(f, true)
                                          : (fl > 5 && !strcasecmp(f + fl - 5, ".ipxe")) ||
                                                ipxe_script(p));
            if (want)
                any |= add_netcfg(in, p, false);
            if (want && k == 1 && !pxelinux_looks_up(f, false))
                pxelinux_case_warning(in, p, f);
            free(p);
            free(fs[i]);
        }
        free(fs);
        free(sd);
    }
    return any;
}

/* A boot config of a medium, as the build writes it, once. */
static void add_config(inputs *in, const char *path)
{
    for (size_t i = 0; i < in->n; i++)
        if (!strcmp(in->v[i].path, path))
            return;
    classify_file(in, path, MD_LINT_GRUB);
}

/* The boot configs of an output directory's media beyond its grub.cfg: the
 * ones the build's self-lint reads from memory (build.c step_self_lint),
 * read back from disk (trial 9d case 03): the netboot tree's
 * (classify_netboot: bootmedia.h's one list of them, per host from
 * image.ini's MACs, and any other per-host one on disk), and efi/xen.cfg,
 * and xen-unified.efi as a hypervisor input with its sections
 * (add_unified).  `dir` is the output directory (image.ini: its netboot/
 * and efi/ given alone are read by content, classify_dir).  The configs
 * inside boot.iso and disk.img are not read: a "not checked" note names
 * each, with how to check it. */
static void classify_media(inputs *in, const char *dir)
{
    char *d = md_xstrdup(dir);
    for (size_t n = strlen(d); n > 1 && d[n - 1] == '/'; n--)
        d[n - 1] = '\0';
    char *ini = md_xasprintf("%s/%s", d, md_imgdir_name(MD_IMGDIR_INI));
    char *root = NULL, *netdir = NULL, *efidir = NULL;
    if (md_is_file(ini)) {
        root = md_xstrdup(d);
        netdir = md_xasprintf("%s/%s", d, md_imgdir_name(MD_IMGDIR_NETBOOT));
        efidir = md_xasprintf("%s/%s", d, md_imgdir_name(MD_IMGDIR_EFI));
    }
    struct stat st;
    if (netdir && stat(netdir, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* the hosts image.ini names, whose configs the build wrote, and
         * any other found in the tree */
        md_imgdir *id = md_imgdir_open(root, NULL);
        const md_imgdir_info *info = id ? md_imgdir_ini(id, NULL) : NULL;
        const char **macs = md_xcalloc(info ? info->nhosts + 1 : 1, sizeof *macs);
        for (size_t i = 0; info && i < info->nhosts; i++)
            macs[i] = info->hosts[i].mac;
        classify_netboot(in, netdir, macs, info ? info->nhosts : 0, true);
        free(macs);
        md_imgdir_free(id);
    }
    if (efidir && stat(efidir, &st) == 0 && S_ISDIR(st.st_mode)) {
        char *p = md_xasprintf("%s/%s", efidir, MD_XENEFI_CFG_NAME);
        add_config(in, p);
        free(p);
    }
    if (md_is_file(ini)) {
        /* xen-unified.efi: Xen's EFI loader with the config, kernel and
         * rootfs as PE sections, read as any unified xen.efi given is
         * (add_unified): its .config as xen.cfg with its own .kernel and
         * .ramdisk, which are checked against each other and for every
         * trap, against the image itself as the hypervisor */
        char *u = md_xasprintf("%s/%s", d, md_imgdir_name(MD_IMGDIR_UNIFIED));
        if (md_is_file(u))
            add_found(in, u, MD_LINT_XEN, NULL, NULL);
        free(u);
        /* boot.iso and disk.img hold their GRUB config and the three files
         * in file systems lint does not read (ISO 9660; FAT in a GPT
         * partition): said, with what was checked instead and how to
         * check them, aside (md_lint_not_checked_aside): every trap was
         * checked in the files the build wrote them from, so an output
         * directory with media still lints to exit 0 */
        static const struct {
            md_imgdir_file f;
            const char *where, *how;
        } inside[] = {
            { MD_IMGDIR_ISO, "/boot/grub/grub.cfg and the files it loads inside its ISO 9660 "
                             "file system",
              "extract it (bsdtar -xf boot.iso -C DIR2) and lint DIR2/boot/grub/grub.cfg" },
            { MD_IMGDIR_DISK, "/EFI/BOOT/grub.cfg and the files it loads inside the FAT file "
                              "system of its EFI system partition", NULL },
        };
        for (size_t i = 0; i < sizeof inside / sizeof inside[0]; i++) {
            char *p = md_xasprintf("%s/%s", d, md_imgdir_name(inside[i].f));
            /* the ESP's offset, as bootmedia.h says it */
            char *how = inside[i].f == MD_IMGDIR_DISK
                            ? md_xasprintf("copy them out (mcopy -s -i disk.img@@%llu :: DIR2) "
                                           "and lint DIR2/EFI/BOOT/grub.cfg",
                                           MD_BOOTMEDIA_DISK_ESP_OFFSET)
                            : md_xstrdup(inside[i].how);
            if (md_is_file(p))
                md_lint_not_checked_aside(
                    in->l, p, "traps 1, 2, 4 and 5 and the rootfs as this image boots them: "
                    "its %s are not read (lint reads no ISO 9660 or FAT file system); the "
                    "build wrote them from the boot entry and the xen.gz, vmlinuz and rootfs "
                    "of %s/grub.cfg, which were checked, so they differ only if the image was "
                    "changed since; to check it, %s", inside[i].where, d, how);
            free(how);
            free(p);
        }
    }
    free(d);
    free(ini);
    free(root);
    free(netdir);
    free(efidir);
}

static bool looks_rootfs_dir(const char *dir)
{
    static const char *const marks[] = { "etc", "sbin", "usr", "bin", "init", "lib", NULL };
    for (int i = 0; marks[i]; i++) {
        char *p = md_xasprintf("%s/%s", dir, marks[i]);
        struct stat st;
        bool ok = lstat(p, &st) == 0;
        free(p);
        if (ok)
            return true;
    }
    return false;
}

/* A directory like /etc/default: its grub and grub.d/NAME.cfg, the files
 * update-grub sources, as GRUB defaults (empty ones add nothing). */
static bool classify_defaults_dir(inputs *in, const char *dir)
{
    char *main_cfg = md_xasprintf("%s/grub", dir), *pat = md_xasprintf("%s/grub.d/*.cfg", dir);
    glob_t gl = { 0 };
    bool any = false;
    md_strv files = { 0 };
    if (md_is_file(main_cfg))
        md_strv_push(&files, main_cfg);
    if (glob(pat, 0, NULL, &gl) == 0)
        for (size_t i = 0; i < gl.gl_pathc; i++)
            if (md_is_file(gl.gl_pathv[i]))
                md_strv_push(&files, gl.gl_pathv[i]);
    globfree(&gl);
    for (size_t i = 0; i < files.n; i++) {
        md_err e = MD_ERR_INIT;
        unsigned char *d;
        size_t len;
        uint64_t size;
        any = true;
        if (read_text(files.v[i], &d, &len, &size, &e) < 0) {
            fail(in, files.v[i], &e);
            continue;
        }
        if (!len) {
            free(d);
            continue;
        }
        size_t before = in->n;
        add_text_sized(in, files.v[i], MD_LINT_GRUB, d, len, size);
        if (in->n > before)
            in->v[before].fmt = MD_BOOTFMT_GRUB_DEFAULT; /* by where it lies */
    }
    md_strv_free(&files);
    free(main_cfg);
    free(pat);
    return any;
}

static bool classify_esp(inputs *in, const char *dir);
static bool classify_efi_dir(inputs *in, const char *dir, bool esp);
static char *find_path_nocase(const char *dir, const char *rel);
static char *find_nocase(const char *dir, const char *name, bool want_dir);

/* Where boot loaders read their configs on a partition, a copy of /boot or
 * a root tree (relative to it), with the format the loader reads there:
 * GRUB 2 $prefix/grub.cfg, $prefix being /boot/grub of its partition (grub2
 * on Fedora), so /grub of a separate /boot; GRUB legacy /boot/grub/menu.lst
 * or /grub/menu.lst (grub.conf on Red Hat, its stage2's config_file);
 * syslinux and extlinux extlinux.conf then syslinux.cfg in their install
 * directory, /boot/syslinux, /syslinux and / (syslinux core/fs/lib/
 * loadconfig.c, generic_open_config), isolinux isolinux.cfg in /boot/
 * isolinux and /isolinux first (core/fs/iso9660/iso9660.c), extlinux's
 * usual install directory /boot/extlinux (and U-Boot's extlinux/
 * extlinux.conf); Xen's EFI loader xen.cfg beside it (docs/misc/
 * efi.pandoc).  pxelinux.cfg/ and iPXE scripts are classify_netboot's, an
 * ESP's EFI/ classify_esp's. */
static const char *const grub2_places[] = { "grub.cfg", "boot/grub/grub.cfg",
                                            "boot/grub2/grub.cfg", "grub/grub.cfg",
                                            "grub2/grub.cfg", NULL };
static const char *const legacy_places[] = { "boot/grub/menu.lst", "boot/grub/grub.conf",
                                             "grub/menu.lst", "grub/grub.conf", NULL };
static const char *const syslinux_dirs[] = { "", "boot/syslinux/", "syslinux/",
                                             "boot/extlinux/", "extlinux/", "boot/isolinux/",
                                             "isolinux/", NULL };
static const char *const syslinux_names[] = { "extlinux.conf", "syslinux.cfg", "isolinux.cfg",
                                              NULL };

/* The places above as "grub.cfg, boot/grub/grub.cfg, ... (GRUB 2); ...",
 * for a message that says where lint looked.  Caller frees. */
static char *loader_places_text(void)
{
    md_strv g = { 0 }, l = { 0 }, sd = { 0 }, sn = { 0 };
    for (int i = 0; grub2_places[i]; i++)
        md_strv_push(&g, grub2_places[i]);
    for (int i = 0; legacy_places[i]; i++)
        md_strv_push(&l, legacy_places[i]);
    for (int i = 1; syslinux_dirs[i]; i++)
        md_strv_push(&sd, syslinux_dirs[i]);
    for (int i = 0; syslinux_names[i]; i++)
        md_strv_push(&sn, syslinux_names[i]);
    char *gj = md_strv_join(&g, ", "), *lj = md_strv_join(&l, ", "),
         *sdj = md_strv_join(&sd, ", "), *snj = md_strv_join(&sn, ", ");
    char *t = md_xasprintf("%s (GRUB 2); %s (GRUB legacy); %s at the top and in %s (syslinux, "
                           "extlinux, isolinux); xen.cfg and Xen's EFI loaders at the top; "
                           "EFI/*/ (an ESP: Xen's EFI loaders, grub.cfg, *.cfg and *.conf by "
                           "content); pxelinux.cfg/, boot/grub/grub.cfg-*, *.ipxe and "
                           "#!ipxe scripts (a TFTP root); grub and grub.d/*.cfg (GRUB "
                           "defaults)", gj, lj, snj, sdj);
    free(gj), free(lj), free(sdj), free(snj);
    md_strv_free(&g), md_strv_free(&l), md_strv_free(&sd), md_strv_free(&sn);
    return t;
}

/* The config at `dir`/`rel`, a loader's place, as an input once (in_root:
 * its lack of a Xen entry is said, not an error of its own); its format by
 * content, else `fmt`, the one the loader reads there.  `nocase`: the name
 * matched as on FAT (an ESP's file system; syslinux's).  Returns the
 * input's index, or -1. */
static long add_place(inputs *in, const char *dir, const char *rel, md_bootfmt fmt, bool nocase)
{
    char *p = md_xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", rel);
    if (!md_is_file(p) && nocase) {
        free(p);
        p = find_path_nocase(dir, rel);
    }
    long at = -1;
    if (p && md_is_file(p) && find_input(in, p) < 0) {
        size_t before = in->n;
        classify_file(in, p, MD_LINT_GRUB);
        if (in->n > before && in->v[before].kind == MD_LINT_GRUB) {
            input *x = &in->v[before];
            x->in_root = true;
            if (md_bootfmt_detect((char *)x->text, x->len) == MD_BOOTFMT_UNKNOWN)
                x->fmt = fmt; /* nothing of any format's own: read as the loader does */
            at = (long)before;
        }
    }
    free(p);
    return at;
}

/* Every loader's place above in `dir` (`root`: a root tree, whose loaders
 * read /boot only; `fat`: names matched without case, as on an ESP),
 * each config there an input (add_place).  Returns whether it added one. */
static bool classify_places(inputs *in, const char *dir, bool root, bool fat)
{
    size_t from = in->n;
    for (int i = 0; grub2_places[i]; i++)
        if (!root || !strncmp(grub2_places[i], "boot/", 5))
            add_place(in, dir, grub2_places[i], MD_BOOTFMT_GRUB2, fat);
    for (int i = 0; legacy_places[i]; i++)
        if (!root || !strncmp(legacy_places[i], "boot/", 5))
            add_place(in, dir, legacy_places[i], MD_BOOTFMT_GRUB_LEGACY, fat);
    for (int d = 0; syslinux_dirs[d]; d++) {
        if (root && strncmp(syslinux_dirs[d], "boot/", 5))
            continue;
        for (int k = 0; syslinux_names[k]; k++) {
            char *rel = md_xasprintf("%s%s", syslinux_dirs[d], syslinux_names[k]);
            /* syslinux reads FAT: SYSLINUX.CFG as a DOS tool wrote it */
            add_place(in, dir, rel, MD_BOOTFMT_SYSLINUX, true);
            free(rel);
        }
    }
    if (!root) {
        long x = add_place(in, dir, MD_XENEFI_CFG_NAME, MD_BOOTFMT_XEN_EFI, true);
        if (x >= 0)
            in->v[x].efi_cfg = true;
    }
    return in->n > from;
}

/* A root tree's own boot configs at its loaders' places under /boot
 * (classify_places: /boot/grub/grub.cfg, grub2/, menu.lst, grub.conf,
 * /boot/syslinux/, /boot/extlinux/, /boot/isolinux/): what boots the system
 * the tree is.  Each becomes a boot config input (in_root), checked
 * against the tree as its rootfs; the files it loads from /boot are found
 * in the tree (near() looks up to two directories above the config) and
 * read by content, as every loaded file is: a renamed Xen is still its
 * hypervisor, a xen.gz that is no Xen an error, the dom0 kernel's release
 * is compared with the tree's modules. */
static void classify_root_boot(inputs *in, const char *dir)
{
    const char *outer = in->root;
    in->root = outer ? outer : dir;
    classify_places(in, dir, true, false);
    in->root = outer;
}

/* Is `dir` an mkdom0 output directory (its image.ini), whose layout is
 * known? */
static bool is_outdir(const char *dir)
{
    char *ini = md_xasprintf("%s/%s", dir, md_imgdir_name(MD_IMGDIR_INI));
    bool yes = md_is_file(ini);
    free(ini);
    return yes;
}

/* A directory given without its kind that is no root tree: an mkdom0
 * output directory (classify_outdir: its layout is known), else every kind
 * of boot content it holds, by content, never only the first that matched
 * (issue 10, H1: a rootfs.cpio.gz or grub.cfg at its top made it "an output
 * directory" and an ESP copied beside them was skipped): a copy of /boot,
 * a boot partition, an ESP, a TFTP root.  Its configs at every loader's
 * place (classify_places; its grub.cfg with the files it loads, as an
 * output directory's), GRUB defaults, an ESP's EFI/, a netboot tree's
 * configs, and the Xen EFI loaders at its top; each file is read once
 * (find_input).  A config found at a place may boot no Xen (in_root: said
 * of it); the directory as a whole must (check_dirs).  Its rootfs and
 * hypervisor by name (rootfs.cpio*, xen*.gz) wait until the configs are
 * paired (add_by_name), so that one a config loads is read as that. */
static bool on_fat(const char *cfg, const char *gpath);

static void classify_dir_in(inputs *in, const char *given);

static void classify_dir(inputs *in, const char *given)
{
    const char *outer = in->root;
    in->root = outer ? outer : given;
    classify_dir_in(in, given);
    in->root = outer;
}

static void classify_dir_in(inputs *in, const char *given)
{
    /* "DIR/" names its files DIR/NAME, as lint DIR does */
    char *dir = md_xstrdup(given);
    for (size_t n = strlen(dir); n > 1 && dir[n - 1] == '/'; n--)
        dir[n - 1] = '\0';
    if (is_outdir(dir)) {
        classify_outdir(in, dir);
        free(dir);
        return;
    }
    size_t from = in->n;
    bool any = false;
    md_imgdir *d = md_imgdir_open(dir, NULL);
    char *grub = d ? md_imgdir_find(d, MD_IMGDIR_GRUB_CFG) : NULL;
    char *rootfs = d ? md_imgdir_find(d, MD_IMGDIR_ROOTFS) : NULL;
    char *xen = d ? md_imgdir_find(d, MD_IMGDIR_XEN) : NULL;
    md_imgdir_free(d);
    char *efi = find_nocase(dir, "EFI", true);
    if (grub && find_input(in, grub) < 0) {
        size_t before = in->n;
        classify_file(in, grub, MD_LINT_GRUB);
        if (in->n > before) {
            in->v[before].in_outdir = true;
            add_loaded(in, before, true, true);
        }
    }
    any |= grub != NULL;
    any |= classify_places(in, dir, false, efi != NULL);
    any |= classify_defaults_dir(in, dir);
    any |= classify_esp(in, dir);
    any |= classify_netboot(in, dir, NULL, 0, false);
    any |= classify_efi_dir(in, dir, false);
    for (size_t i = from; i < in->n; i++) {
        input *y = &in->v[i];
        /* GRUB defaults say their own lack of a Xen entry, as when given
         * alone; every other config here may boot none */
        if (y->kind == MD_LINT_GRUB && y->fmt != MD_BOOTFMT_GRUB_DEFAULT)
            y->in_root = true;
        /* what its entries load lies here, where the loader finds it; not
         * so a GRUB config on an ESP, whose $root is often the partition
         * that holds /boot (search --set=root) */
        y->in_dir = y->in_root && !((y->fmt == MD_BOOTFMT_GRUB2 ||
                                     y->fmt == MD_BOOTFMT_GRUB_LEGACY) && on_fat(y->path, ""));
    }
    if (rootfs || xen) {
        md_strv_push(&in->byname, dir);
        any = true;
    }
    if (!any) {
        md_err e = MD_ERR_INIT;
        char *places = loader_places_text();
        md_err_set(&e, "%s: a directory with nothing lint reads in it: not a root tree (no "
                       "etc/, bin/, sbin/, lib/, usr/, init), no image.ini (an mkdom0 output "
                       "directory), no rootfs.cpio* or xen*.gz, and no boot config where "
                       "loaders read them: looked at %s", dir, places);
        free(places);
        fail(in, dir, &e);
    } else {
        in->dirs = md_xrealloc(in->dirs, (in->ndirs + 1) * sizeof *in->dirs);
        in->dirs[in->ndirs++] = (dir_range){ md_xstrdup(dir), from, in->n, efi != NULL,
                                             rootfs != NULL };
    }
    free(efi);
    free(grub);
    free(rootfs);
    free(xen);
    free(dir);
}

/* Does the input at `p` lie in directory `dir`? */
static bool lies_in(const char *p, const char *dir)
{
    char *d = dir_of(p);
    bool yes = same_file(d, dir);
    free(d);
    return yes;
}

/* The rootfs and hypervisor by name of each directory classify_dir read
 * (rootfs.cpio*, else *.cpio*; xen*.gz), once its configs and the files
 * they load are inputs: each when no input of its kind lies there yet (a
 * directory may hold others than the one a config loads, trial 9), and no
 * config found there names one of its kind that is not there: that file is
 * said (check_loaded_files), never judged by a stand-in
 * (trial10 item 1: xen.gz checked for the missing xen-4.17.gz an entry
 * loads). */
static void add_by_name(inputs *in)
{
    for (size_t i = 0; i < in->byname.n; i++) {
        const char *dir = in->byname.v[i];
        bool has_root = false, has_xen = false;
        for (size_t k = 0; k < in->ndirs; k++)
            if (!strcmp(in->dirs[k].dir, dir))
                for (size_t j = in->dirs[k].from; j < in->dirs[k].to; j++)
                    if (in->v[j].kind == MD_LINT_GRUB)
                        has_root |= in->v[j].misses_root, has_xen |= in->v[j].misses_xen;
        for (size_t k = 0; k < in->n; k++) {
            if (in->v[k].kind == MD_LINT_ROOTFS && !has_root)
                has_root = lies_in(in->v[k].path, dir);
            if (in->v[k].kind == MD_LINT_XEN && !has_xen)
                has_xen = lies_in(in->v[k].path, dir);
        }
        md_imgdir *d = md_imgdir_open(dir, NULL);
        char *rootfs = d && !has_root ? md_imgdir_find(d, MD_IMGDIR_ROOTFS) : NULL;
        char *xen = d && !has_xen ? md_imgdir_find(d, MD_IMGDIR_XEN) : NULL;
        md_imgdir_free(d);
        add_found(in, rootfs, MD_LINT_ROOTFS, NULL, NULL);
        add_found(in, xen, MD_LINT_XEN, NULL, NULL);
        free(rootfs);
        free(xen);
    }
    md_strv_free(&in->byname);
}

static void classify(inputs *in, const char *path, md_lint_kind kind)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        md_err e = MD_ERR_INIT;
        md_err_errno(&e, "%s: cannot open", path);
        return fail(in, path, &e);
    }
    if (!S_ISDIR(st.st_mode))
        return classify_file(in, path, kind);
    if (kind == MD_LINT_OUTDIR) {
        if (!classify_outdir(in, path)) {
            md_err e = MD_ERR_INIT;
            md_err_set(&e, "%s: not an mkdom0 output directory (no grub.cfg, no rootfs.cpio*)",
                       path);
            fail(in, path, &e);
        }
        return;
    }
    if (kind == MD_LINT_AUTO && !looks_rootfs_dir(path))
        return classify_dir(in, path);
    if (kind != MD_LINT_AUTO && kind != MD_LINT_ROOTFS) {
        md_err e = MD_ERR_INIT;
        md_err_set(&e, "%s: is a directory", path);
        return fail(in, path, &e);
    }
    md_err e = MD_ERR_INIT;
    md_tree *t = md_unpack_rootfs(path, NULL, md_lint_keep, NULL, NULL, &e);
    if (!t)
        return fail(in, path, &e);
    char *label = md_xasprintf("%s%s", path, path[strlen(path) - 1] == '/' ? "" : "/");
    push(in, label, MD_LINT_ROOTFS)->tree = t;
    free(label);
    classify_root_boot(in, path);
}

/* GRUB path "(hd0,1)/boot/x" or "/x" -> a host file near the config. */
static char *near_find(const char *cfg, const char *gpath, char **other);

static char *near(const char *cfg, const char *gpath)
{
    return near_find(cfg, gpath, NULL);
}

/* What a non-regular `st` is, for "PATH is ...". */
static const char *kind_of(const struct stat *st)
{
    return S_ISFIFO(st->st_mode)  ? "a FIFO"
           : S_ISCHR(st->st_mode) ? "a character device"
           : S_ISBLK(st->st_mode) ? "a block device"
           : S_ISDIR(st->st_mode) ? "a directory"
           : S_ISSOCK(st->st_mode) ? "a socket"
                                   : "not a regular file";
}

static char *find_nocase(const char *dir, const char *name, bool want_dir);

/* Is file `gpath` of config `cfg` looked up on an ESP, whose FAT file
 * system ignores the case of names?  When `cfg` lies in an EFI/ directory
 * (EFI/VENDOR/grub.cfg, a xen.cfg beside Xen's EFI loader, an output
 * directory's efi/), or `gpath` is under the ESP's EFI/ ("/efi/xen/..."):
 * told by the names alone, no file system call per file looked up (a
 * config of 150,000 entries looks up each of their files). */
static bool on_fat(const char *cfg, const char *gpath)
{
    bool fat = false;
    for (const char *p = cfg; !fat && *p; p += strspn(p, "/")) {
        size_t n = strcspn(p, "/");
        fat = n == 3 && !strncasecmp(p, "efi", 3) && p[n] == '/';
        p += n;
    }
    const char *g = gpath + strspn(gpath, "/");
    return fat || (!strncasecmp(g, "efi", 3) && g[3] == '/');
}

/* `dir`/`rel` found as FAT finds it, each component's case ignored
 * (find_nocase): "/efi/XEN/Xen.EFI" is EFI/xen/xen.efi there (trial 10n,
 * finding E).  The file's path, or NULL; caller frees. */
static char *find_path_nocase(const char *dir, const char *rel)
{
    char *cur = md_xstrdup(dir);
    for (const char *p = rel; cur && *p;) {
        p += strspn(p, "/");
        size_t n = strcspn(p, "/");
        if (!n)
            break;
        char *name = md_xasprintf("%.*s", (int)n, p);
        p += n;
        bool last = !p[strspn(p, "/")];
        char *next = !strcmp(name, ".") ? md_xstrdup(cur) : find_nocase(cur, name, !last);
        free(name);
        free(cur);
        cur = next;
    }
    if (cur && !md_is_file(cur)) {
        free(cur);
        cur = NULL;
    }
    return cur;
}

/* When `p`, named inside directory `root`, is a regular file outside it
 * once its symlinks are resolved on this host: why lint does not read it
 * (malloc'd), else NULL (a device or FIFO there is said as such by its
 * reader).  A loader resolves a symlink on its own partition
 * (GRUB's file system drivers: an absolute target from the partition's
 * root), so a copied /boot whose grub.cfg points to /home/... names no
 * file of the host, and reading the host's would report on a file the
 * loader never sees (trial9x F9). */
static char *leaves_root(const char *root, const char *p)
{
    char *rr = realpath(root, NULL), *rp = rr ? realpath(p, NULL) : NULL;
    size_t n = rr ? strlen(rr) : 0;
    char *why = NULL;
    if (rp && strcmp(rr, "/") && (strncmp(rp, rr, n) || (rp[n] != '/' && rp[n])) &&
        md_is_file(rp))
        why = md_xasprintf("%s leads out of %s (to %s, through a symlink): a loader resolves a "
                           "symlink on its own partition, not on this host, so lint does not "
                           "read it; put the file itself there, or a relative symlink",
                           p, root, rp);
    free(rr);
    free(rp);
    return why;
}

/* near(), and when it finds no regular file, *other (when not NULL): the
 * first place it looked that holds something else ("DIR/rootfs.cpio.gz is
 * a FIFO", "... a symlink to /dev/zero, a character device"), malloc'd, or
 * NULL when nothing is there: lint reads regular files only, and the
 * message names that cause rather than a missing file (trial 9d). */
static char *near_find(const char *cfg, const char *gpath, char **other)
{
    if (other)
        *other = NULL;
    if (gpath[0] == '(') {
        const char *e = strchr(gpath, ')');
        gpath = e ? e + 1 : gpath;
    }
    /* pxelinux's "::/xen.gz": the path from the TFTP server's root, not
     * below the config's prefix (syslinux doc/pxelinux.txt) */
    if (!strncmp(gpath, "::", 2))
        gpath += 2;
    if (strchr(gpath, '$'))
        return NULL;
    /* GRUB stays on its device (".." of its root is the root), the host
     * does not: "/../../etc/hostname" joined to DIR is the host's file,
     * never one of this directory (trial 9). */
    if (md_path_has_dotdot(gpath))
        return NULL;
    char *d = dir_of(cfg);
    char *hit = NULL;
    for (int up = 0; up < 3 && !hit; up++) {
        char *p = md_xasprintf("%s%s%s", d, *gpath == '/' ? "" : "/", gpath);
        struct stat st, ls;
        char *fat = NULL;
        char *out = NULL;
        if (md_is_file(p) && !(out = leaves_root(d, p))) {
            hit = p;
        } else if (out) {
            if (other && !*other)
                *other = out;
            else
                free(out);
            free(p);
        } else if (on_fat(cfg, gpath) && (fat = find_path_nocase(d, gpath))) {
            hit = fat;
            free(p);
        } else {
            if (other && !*other && lstat(p, &ls) == 0) {
                char tgt[256] = "";
                ssize_t tn = S_ISLNK(ls.st_mode) ? readlink(p, tgt, sizeof tgt - 1) : -1;
                tgt[tn > 0 ? tn : 0] = '\0';
                if (!S_ISLNK(ls.st_mode))
                    *other = md_xasprintf("%s is %s", p, kind_of(&ls));
                else if (stat(p, &st) == 0)
                    *other = md_xasprintf("%s is a symlink to %s, %s", p, tgt, kind_of(&st));
                else
                    *other = md_xasprintf("%s is a symlink to %s, which does not resolve", p, tgt);
            }
            free(p);
        }
        d = dir_up(d);
    }
    free(d);
    return hit;
}

/* The network source a loader fetches `path` from, or NULL (caller frees):
 * GRUB's network devices "(tftp)", "(http,HOST)", "(pxe)", "(pxe:HOST)"
 * (the GRUB manual, "Network": a device named by its protocol, the server
 * after a comma; "pxe" is GRUB's old name of tftp), as "the network device
 * (http)", and a URL of iPXE ("http://HOST/...", any scheme) as "the server
 * HOST".  Such a file lies on the boot server: that a directory lacks it
 * says nothing of whether the entry boots. */
static char *net_source(const char *path)
{
    static const char *const dev[] = { "tftp", "http", "https", "pxe", NULL };
    if (path[0] == '(') {
        size_t n = strcspn(path + 1, ",:)");
        for (int i = 0; dev[i]; i++)
            if (n == strlen(dev[i]) && !strncasecmp(path + 1, dev[i], n) && strchr(path, ')'))
                return md_xasprintf("the network device %.*s", (int)(strchr(path, ')') - path + 1),
                                    path);
        return NULL;
    }
    const char *s = strstr(path, "://");
    if (!s || s == path || strcspn(path, ":/") != (size_t)(s - path))
        return NULL;
    return md_xasprintf("the server %.*s", (int)strcspn(s + 3, "/?#"), s + 3);
}

/* iPXE's multiboot loader (src/arch/x86/image/multiboot.c, the only one,
 * built for BIOS alone: config/general.h) looks for the multiboot header in
 * the image as fetched; it unpacks a gzip'd image only when built with
 * IMAGE_GZIP, which config/general.h leaves off on x86 (it turns it on for
 * arm64 EFI and RISC-V only).  So every stock iPXE that can load a multiboot
 * Xen fails on a compressed one, "Exec format error": an error, not a
 * warning.  mkdom0's own boot.ipxe loads the ELF `xen` for this reason
 * (boot/bootmedia.c).  `host` is the file found for the entry's Xen. */
static void ipxe_packed_xen(md_lint *l, const input *x, const md_bootcfg_file *f,
                            const char *host, const char *who)
{
    unsigned char head[8];
    FILE *fp = fopen(host, "rb");
    size_t n = fp ? fread(head, 1, sizeof head, fp) : 0;
    if (fp)
        fclose(fp);
    md_decomp_codec c = md_decomp_detect(head, n);
    if (c == MD_DECOMP_NONE)
        return;
    md_lint_add(l, f->file ? f->file : x->path, f->line, MD_LINT_ERROR, 0,
                "%s loads %s, a %s-compressed image, as the multiboot kernel: iPXE's multiboot "
                "loader looks for the multiboot header in the file as fetched, and stock iPXE "
                "builds leave IMAGE_GZIP off on x86 (src/config/general.h), so the boot stops "
                "with 'Exec format error' (only an iPXE built with IMAGE_GZIP unpacks it); "
                "load the uncompressed Xen ELF (gunzip it: mkdom0's own boot.ipxe loads 'xen')",
                who, f->path, md_decomp_name(c));
}

/* Of an output directory's grub.cfg, or a config found in a directory
 * given (a file on a boot server, net_source(), is "cannot check"), every file
 * must be there: an entry that loads a missing
 * file does not boot (GRUB stops with "file not found", iPXE and pxelinux
 * fail the same way), and lint could not check it.
 * Of any config, a file next to it that is a device, a FIFO or a dangling
 * symlink is an error, as in an output directory (trial 9h case 4: a lone
 * grub.cfg passed with rootfs.cpio.gz -> /dev/zero and a dangling
 * xen.gz); a file that is not there at all may be elsewhere. */
static void check_loaded_files(md_lint *l, const input *x, const md_bootcfg_list *cfg)
{
    /* /etc/default/grub[.d] settings become entries for the host's /boot
     * (update-grub's 20_linux_xen finds the files there), not for files
     * beside the settings: nothing is expected next to them (trial10y H1) */
    if (x->fmt == MD_BOOTFMT_GRUB_DEFAULT)
        return;
    for (size_t i = 0; i < cfg->n; i++) {
        const md_bootcfg_entry *e = cfg->v[i];
        const md_bootcfg_file *f[2 + 8] = { &e->xen, &e->kernel };
        size_t n = 2;
        for (size_t m = 0; m < e->nmods && n < sizeof f / sizeof *f; m++)
            f[n++] = &e->mods[m];
        long ri = md_bootcfg_initrd(e, NULL);
        for (size_t k = 0; k < n; k++) {
            if (!f[k]->path || !*f[k]->path)
                continue;
            /* what is no file beside the config: a xen.cfg's Xen is the EFI
             * loader itself, and a unified image's .kernel and .ramdisk are
             * read instead of the files named */
            if ((k == 0 && x->fmt == MD_BOOTFMT_XEN_EFI) ||
                (k == 1 && x->unified && x->has_kernel) ||
                (ri >= 0 && k == 2 + (size_t)ri && x->unified && x->has_ramdisk))
                continue;
            /* a GRUB wildcard lint could not expand: said on its line */
            if (md_strv_contains(&f[k]->unset, MD_BOOTCFG_WILDCARD))
                continue;
            if (strchr(f[k]->path, '$')) {
                /* a file named by a variable: which one is unknown here, so
                 * it is said, not passed as checked (trial 9); of a lone
                 * config its "not checked" note says so */
                if (x->in_outdir) {
                    md_lint_add(l, f[k]->file ? f[k]->file : x->path, f[k]->line, MD_LINT_WARNING, 0,
                                "menuentry '%s' loads %s: lint could not check that file (its "
                                "name comes from a variable it cannot see)",
                                e->title ? e->title : "", f[k]->path);
                    md_lint_mark_unchecked(l);
                }
                continue;
            }
            char *other, *dev;
            char *p = near_find(x->path, f[k]->path, &other);
            /* an iPXE script's entry has no title */
            char *who = e->title ? md_xasprintf("%s '%s'", e->title_kind ? e->title_kind
                                                : "menuentry", e->title)
                                 : md_xstrdup("this entry");
            if (!p && other)
                md_lint_add(l, f[k]->file ? f[k]->file : x->path, f[k]->line, MD_LINT_ERROR, 0,
                            "%s loads %s, but %s%s", who, f[k]->path, other,
                            strstr(other, " leads out of ") ? ""
                                : ", not a regular file: no loader boots it, and lint reads "
                                  "regular files only");
            else if (p && k == 0 && x->fmt == MD_BOOTFMT_IPXE)
                ipxe_packed_xen(l, x, f[k], p, who);
            else if (!p && (x->in_outdir || x->in_dir) && (dev = net_source(f[k]->path))) {
                /* on the boot server, not expected here (trial10y M6): an
                 * input not given, whose traps the "not checked" note names
                 * (exit status 3), not a line lint cannot read */
                md_lint_add(l, f[k]->file ? f[k]->file : x->path, f[k]->line, MD_LINT_NOTE, 0,
                            "%s loads %s from %s at boot, not from this directory: not "
                            "checked here (lint checks it in a copy of the server's tree, or given "
                            "with --xen or --rootfs)", who, f[k]->path, dev);
                free(dev);
            } else if (!p && (x->in_outdir || x->in_dir))
                md_lint_add(l, f[k]->file ? f[k]->file : x->path, f[k]->line, MD_LINT_ERROR, 0,
                            "%s loads %s, which is not in this %s: the entry "
                            "cannot boot, and lint could not check that file",
                            who, f[k]->path, x->of_mkdom0 ? "output directory" : "directory");
            free(who);
            free(other);
            free(p);
        }
    }
}

/* Where update-grub finds a GRUB defaults file: DIR/grub (rank 0) or
 * DIR/grub.d/NAME.cfg (rank 1) sets x->defaults_dir to DIR resolved. */
static void defaults_place(input *x)
{
    char *d = dir_of(x->path), *up = NULL;
    const char *b = base_of(x->path), *db = base_of(d);
    size_t bl = strlen(b);
    if (!strcmp(b, "grub")) {
        up = md_xstrdup(d);
        x->defaults_rank = 0;
    } else if (!strcmp(db, "grub.d") && bl > 4 && !strcmp(b + bl - 4, ".cfg")) {
        up = dir_of(d);
        x->defaults_rank = 1;
    }
    if (up) {
        char real[PATH_MAX];
        x->defaults_dir = md_xstrdup(realpath(up, real) ? real : up);
    }
    free(up);
    free(d);
}

/* The file `name` that syslinux config `cfg` INCLUDEs, or NULL: relative
 * to the config's directory, where extlinux/isolinux look (the config's
 * directory is their working directory), else the one above it: pxelinux
 * resolves names from its TFTP prefix, the directory of pxelinux.0, which
 * holds pxelinux.cfg/.  Neither leaves the directory above the config
 * (its TFTP root, or its boot partition): a name that would (through ".."
 * or a symlink) is not read (trial 9g case 5: INCLUDE ../../../etc/shadow
 * was read by a root lint, and its label names reported).  NULL with *why
 * when none is there.  Caller frees. */
static char *find_include(const char *cfg, const char *name, const char **why)
{
    char *d = dir_of(cfg), *up = dir_of(d);
    const char *n = name[0] == '/' ? name + 1 : name;
    char *c[2] = { strcmp(d, ".") ? md_xasprintf("%s/%s", d, n) : md_xstrdup(n),
                   strcmp(up, ".") ? md_xasprintf("%s/%s", up, n) : md_xstrdup(n) };
    free(d);
    char *root = realpath(up, NULL), *found = NULL;
    free(up);
    size_t rl = root ? strlen(root) : 0;
    *why = "it is not next to this file nor in the directory above it";
    for (int k = 0; k < 2; k++) {
        char *real = !found && md_is_file(c[k]) ? realpath(c[k], NULL) : NULL;
        bool inside = real && root && !strncmp(real, root, rl) &&
                      (real[rl] == '/' || !strcmp(root, "/"));
        if (real && !inside)
            *why = "it is outside the directory above this file, which syslinux does not leave "
                   "(its TFTP root or boot partition)";
        if (inside)
            found = c[k];
        else
            free(c[k]);
        free(real);
    }
    free(root);
    return found;
}

/* Is the file at `p` an input already (a config INCLUDEd twice, or in a
 * loop)?  The inputs are indexed by real path as they come, so that N
 * INCLUDEs cost N lookups (trial 9g case 3: a realpath of every input for
 * each INCLUDE took 80 s for 4,000 of them). */
static bool is_input(inputs *in, const char *p)
{
    for (; in->nreal < in->n; in->nreal++) {
        input *x = &in->v[in->nreal];
        if ((x->real = realpath(x->path, NULL)))
            md_hindex_add(&in->reals, md_hindex_hash(x->real, strlen(x->real)), in->nreal);
    }
    char *rp = realpath(p, NULL);
    bool found = false;
    uint64_t h = rp ? md_hindex_hash(rp, strlen(rp)) : 0;
    for (size_t it = 0, pos; rp && !found && (pos = md_hindex_next(&in->reals, h, &it)) != SIZE_MAX;)
        found = !strcmp(in->v[pos].real, rp);
    free(rp);
    return found;
}

/* Each file a syslinux config INCLUDEs or names in a CONFIG label
 * (md_bootfmt_includes) becomes an input read as syslinux, in the group of
 * the config given, up to MD_BOOTFMT_INCLUDE_DEPTH deep (trial10d case 03:
 * a pxelinux.cfg/default that INCLUDEs its menu; trial10g 12: a label that
 * restarts syslinux with another config).  Each is read as a config of its
 * own: a label there is checked with that file's own lines.  One not
 * found, or nested too deep, is "cannot check" on its line. */
static void follow_includes(inputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        if (in->v[i].kind != MD_LINT_GRUB || in->v[i].fmt != MD_BOOTFMT_SYSLINUX)
            continue;
        md_strv files = { 0 }, what = { 0 };
        unsigned *lines = NULL;
        size_t n = md_bootfmt_includes((char *)in->v[i].text, in->v[i].len, &files, &lines,
                                       &what);
        for (size_t k = 0; k < n; k++) {
            const char *why;
            char *p = find_include(in->v[i].path, files.v[k], &why);
            why = !p ? why
                  : in->v[i].depth >= MD_BOOTFMT_INCLUDE_DEPTH
                      ? "it is nested deeper than syslinux reads"
                      : NULL;
            unsigned char *d = NULL;
            size_t len = 0;
            uint64_t size = 0;
            md_err e = MD_ERR_INIT;
            if (!why && !is_input(in, p) && read_text(p, &d, &len, &size, &e) < 0)
                why = strip_path(e.msg, p);
            if (why) {
                md_lint_add(in->l, in->v[i].path, lines[k], MD_LINT_WARNING, 0,
                            "cannot check %s %s on line %u: %s, so the labels it may hold "
                            "are not read; lint it too", what.v[k], files.v[k], lines[k], why);
                md_lint_mark_unchecked(in->l);
            } else if (d) {
                size_t root = in->v[i].in_group ? in->v[i].root : i;
                unsigned depth = in->v[i].depth + 1;
                size_t before = in->n;
                add_text_sized(in, p, MD_LINT_GRUB, d, len, size);
                if (in->n > before) {
                    input *y = &in->v[before];
                    y->fmt = MD_BOOTFMT_SYSLINUX;
                    y->in_group = true, y->root = root, y->depth = depth;
                }
            }
            if (p && !in->v[i].in_group)
                in->v[i].in_group = true, in->v[i].root = i;
            free(p);
        }
        md_strv_free(&files);
        md_strv_free(&what);
        free(lines);
    }
}

static bool same_defaults_dir(const input *x, const input *y)
{
    return x->defaults_dir && y->defaults_dir && !strcmp(x->defaults_dir, y->defaults_dir);
}

/* By directory, then in the order update-grub sources them: grub, then
 * grub.d/NAME.cfg in glob order (bytes, as in the C locale).  An input of no
 * such directory is a group of its own. */
static int defaults_cmp(const void *a, const void *b)
{
    const input *x = *(const input *const *)a, *y = *(const input *const *)b;
    if (!same_defaults_dir(x, y)) {
        if (x->defaults_dir && y->defaults_dir)
            return strcmp(x->defaults_dir, y->defaults_dir);
        return x->defaults_dir ? 1 : y->defaults_dir ? -1 : x < y ? -1 : 1;
    }
    if (x->defaults_rank != y->defaults_rank)
        return x->defaults_rank - y->defaults_rank;
    return strcmp(base_of(x->path), base_of(y->path));
}

/* The GRUB defaults inputs in groups read as one (the files of one
 * directory, in update-grub's order), sorted once (trial 9g case 4:
 * grouping them again for each input took 126 s for 16,000 grub.d files):
 * each one's group is the returned array's [group_at, group_at + group_n).
 * Caller frees the array. */
static input **defaults_groups(inputs *in)
{
    input **order = md_xcalloc(in->n + 1, sizeof *order);
    size_t n = 0;
    for (size_t i = 0; i < in->n; i++)
        if (in->v[i].kind == MD_LINT_GRUB && in->v[i].fmt == MD_BOOTFMT_GRUB_DEFAULT)
            order[n++] = &in->v[i];
    qsort(order, n, sizeof *order, defaults_cmp);
    for (size_t a = 0, b; a < n; a = b) {
        for (b = a + 1; b < n && same_defaults_dir(order[a], order[b]); b++)
            ;
        for (size_t k = a; k < b; k++)
            order[k]->group_at = a, order[k]->group_n = b - a;
    }
    return order;
}

/* ---- Xen's EFI loader: chainloaded by GRUB, or lying on an ESP ---- */

/* `dir`/`name` with the case of `name` ignored, as on an ESP's FAT file
 * system (BOOTX64.CFG for BOOTX64.cfg), when it is a file (`want_dir`
 * false) or directory; NULL when none is.  Caller frees. */
static char *find_nocase(const char *dir, const char *name, bool want_dir)
{
    DIR *d = opendir(dir);
    struct dirent *de;
    char *hit = NULL;
    while (d && !hit && (de = readdir(d))) {
        if (strcasecmp(de->d_name, name))
            continue;
        char *p = md_xasprintf("%s/%s", dir, de->d_name);
        struct stat st;
        if (stat(p, &st) == 0 && (want_dir ? S_ISDIR(st.st_mode) : S_ISREG(st.st_mode)))
            hit = p;
        else
            free(p);
    }
    if (d)
        closedir(d);
    return hit;
}

/* The config Xen's EFI loader at host path `efi` reads when it has no
 * .config section (efi_start() in xen/common/efi/boot.c): `cfg` (its -cfg=
 * option, relative to the loader's directory), else its own name with the
 * part from its last '.', '-' or '_' replaced by ".cfg", that part dropped
 * and tried again until a file exists (point_tail(); docs/misc/efi.pandoc:
 * xen-4.17-amd64.efi tries xen-4.17-amd64.cfg, xen-4.17.cfg, xen-4.cfg,
 * xen.cfg).  Each name tried is pushed to `tried`.  The host path found,
 * or NULL (also for a -cfg= path through "..", which lint does not follow
 * out of the loader's directory); caller frees. */
static char *xen_efi_cfg(const char *efi, const char *cfg, md_strv *tried)
{
    char *dir = dir_of(efi), *hit = NULL;
    if (cfg) {
        char *c = md_xstrdup(cfg);
        for (char *q = c; *q; q++)
            *q = *q == '\\' ? '/' : *q; /* an EFI path's separator */
        md_strv_push(tried, c);
        if (md_path_has_dotdot(c)) {
            /* not read: lint does not leave the loader's directory by ".." */
        } else if (strchr(c, '/')) {
            hit = find_path_nocase(dir, c); /* on the ESP: case ignored */
        } else {
            hit = find_nocase(dir, c, false);
        }
        free(c);
    } else {
        char *name = md_xstrdup(base_of(efi));
        for (char *t; !hit && (t = strpbrk(name, ".-_"));) {
            for (char *u; (u = strpbrk(t + 1, ".-_"));)
                t = u;
            *t = '\0';
            char *c = md_xasprintf("%s.cfg", name);
            md_strv_push(tried, c);
            hit = find_nocase(dir, c, false);
            free(c);
        }
        free(name);
    }
    free(dir);
    return hit;
}

/* The command line of Xen's EFI loader, read as efi_start() reads it
 * (xen/common/efi/boot.c, 4.17 to 4.20): get_argv() splits it at spaces and
 * tabs, stops at the word after a "--" (the rest is Xen's options) and
 * drops that "--"; the first word is the loader's own name; of the others
 * a word that starts with '-' or '/' is an option (-basevideo, -mapbs,
 * -cfg=FILE or -cfg FILE, -help or -?), and any other names the section
 * to boot (the last one wins). */
typedef struct efi_cmdline {
    md_strv words;      /* the line as Xen splits it */
    size_t argc;        /* words[0, argc) are Xen's argv; the options after */
    const char *cfg;    /* -cfg=FILE, -cfg FILE (borrowed from words) */
    const char *section;
    const char *name;   /* words[0] when before "--": the loader's own name */
    md_strv opts;       /* the words after "--" */
    const char *help;   /* -help or -?: Xen prints its options and returns */
    md_strv unknown;    /* options Xen ignores ("Unknown command line option") */
} efi_cmdline;

static void efi_cmdline_read(efi_cmdline *c, const md_strv *args)
{
    memset(c, 0, sizeof *c);
    /* GRUB joins its words with single spaces (grub_cmd_chainloader()) */
    for (size_t i = 0; i < args->n; i++)
        for (const char *p = args->v[i]; *p;) {
            size_t n = strcspn(p, " \t");
            if (n)
                md_strv_pushf(&c->words, "%.*s", (int)n, p);
            p += n;
            p += strspn(p, " \t");
        }
    c->argc = c->words.n;
    for (size_t i = 0; i + 1 < c->words.n; i++)
        if (!strcmp(c->words.v[i], "--")) {
            for (size_t j = i + 1; j < c->words.n; j++)
                md_strv_push(&c->opts, c->words.v[j]);
            c->argc = i;
            break;
        }
    c->name = c->argc ? c->words.v[0] : NULL;
    for (size_t i = 1; i < c->argc; i++) {
        const char *w = c->words.v[i];
        if (w[0] != '-' && w[0] != '/')
            c->section = w;
        else if (!strcmp(w + 1, "basevideo") || !strcmp(w + 1, "mapbs"))
            ; /* video and memory map: no trap of lint's */
        else if (!strncmp(w + 1, "cfg=", 4))
            c->cfg = w + 5;
        else if (i + 1 < c->argc && !strcmp(w + 1, "cfg"))
            c->cfg = c->words.v[++i];
        else if (!strcmp(w + 1, "help") || !strcmp(w + 1, "?"))
            c->help = w;
        else
            md_strv_push(&c->unknown, w);
    }
}

static void efi_cmdline_free(efi_cmdline *c)
{
    md_strv_free(&c->words);
    md_strv_free(&c->opts);
    md_strv_free(&c->unknown);
}

/* Does Xen `version` ("4.17.7", "4.20.5-pre") read unset memory when its
 * EFI command line starts with "--"?  Before "xen/efi: Fix crash with
 * initial empty EFI options" (4.19.4, 4.20.2, 4.21), get_argv() counted
 * every word but stored those before "--" only, and efi_start() read the
 * pointers after them.  A version it cannot read counts as affected. */
static bool efi_dashes_first_unsafe(const char *version)
{
    unsigned a = 0, b = 0, c = 0;
    int n = sscanf(version, "%u.%u.%u", &a, &b, &c);
    if (n < 2)
        return true;
    return a < 4 || (a == 4 && (b < 19 || (b == 19 && c < 4) || (b == 20 && c < 2)));
}

/* The input that is xen.cfg `ci` as read with command line `c` of `efi`
 * (`by` says so): the input itself when nothing chains it yet (it is read
 * only as this line starts it), the input already read so, or a new input
 * of the same file read so (another chainloader line starts it
 * differently).  Returns its index. */
static size_t efi_view(inputs *in, size_t ci, const char *efi, const efi_cmdline *c,
                       const char *by, const char *file, unsigned line, bool has_kernel,
                       bool has_ramdisk)
{
    char *opts = md_strv_join(&c->opts, " ");
    size_t at = SIZE_MAX;
    for (size_t i = 0; i < in->n && at == SIZE_MAX; i++) {
        const input *y = &in->v[i];
        if (y->kind != MD_LINT_GRUB || strcmp(y->path, in->v[ci].path) || !y->chained_by)
            continue;
        char *yo = md_strv_join(&y->chain_xen, " ");
        bool same = !strcmp(yo, opts) && y->chain_efi && same_file(y->chain_efi, efi) &&
                    !(y->chain_section ? !c->section || strcmp(y->chain_section, c->section)
                                       : c->section != NULL) &&
                    !(y->chain_name ? !c->name || strcmp(y->chain_name, c->name)
                                    : c->name != NULL);
        free(yo);
        if (same)
            at = i;
    }
    free(opts);
    if (at != SIZE_MAX) {
        /* another line with the same command line: the view is read once,
         * and its "read as" names each line (#10 L3: the second had none) */
        input *y = &in->v[at];
        if (file && line) {
            char *more = md_xasprintf("%s; also %s:%u, with the same command line", y->chained_by,
                                      base_of(file), line);
            free(y->chained_by);
            y->chained_by = more;
        }
        return at;
    }
    if (in->v[ci].chained_by) {
        /* a second way in: the same text, read as this line starts it */
        const input *y = &in->v[ci];
        unsigned char *t = md_xmalloc(y->len + 1);
        memcpy(t, y->text, y->len);
        t[y->len] = '\0';
        char *p = md_xstrdup(y->path), *u = y->unified ? md_xstrdup(y->unified) : NULL;
        md_bootfmt fmt = y->fmt;
        bool found = y->found;
        input *z = push(in, p, MD_LINT_GRUB); /* may move in->v */
        z->text = t, z->len = in->v[ci].len, z->size = in->v[ci].size, z->fmt = fmt, z->found = found, z->unified = u;
        free(p);
        ci = in->n - 1;
    }
    input *y = &in->v[ci];
    y->fmt = MD_BOOTFMT_XEN_EFI;
    free(y->chain_section);
    free(y->chain_name);
    free(y->chain_file);
    md_strv_free(&y->chain_xen);
    y->chained_by = md_xstrdup(by);
    y->chain_efi = md_xstrdup(efi);
    y->chain_section = c->section ? md_xstrdup(c->section) : NULL;
    y->chain_name = c->name ? md_xstrdup(c->name) : NULL;
    for (size_t k = 0; k < c->opts.n; k++)
        md_strv_push(&y->chain_xen, c->opts.v[k]);
    y->chain_file = file && line ? md_xstrdup(file) : NULL;
    y->chain_line = line;
    md_xen_version v;
    md_err ve = MD_ERR_INIT;
    y->efi_x86 = md_xenver_hypervisor_file(efi, &v, &ve) == 0 && !strcmp(v.arch, "x86");
    if (has_kernel || has_ramdisk) {
        if (!y->unified)
            y->unified = md_xstrdup(efi);
        y->has_kernel = has_kernel, y->has_ramdisk = has_ramdisk;
    }
    return ci;
}

/* The unified image `efi`'s .config input (add_unified), or -1. */
static long unified_config(const inputs *in, const char *efi)
{
    for (size_t i = 0; i < in->n; i++)
        if (in->v[i].kind == MD_LINT_GRUB && in->v[i].unified && !in->v[i].chain_efi &&
            in->v[i].fmt == MD_BOOTFMT_XEN_EFI && same_file(in->v[i].unified, efi) &&
            strstr(in->v[i].path, "(.config)"))
            return (long)i;
    return -1;
}

/* Xen's EFI loader at host path `efi` (Xen by content) started with
 * command line `c` (NULL: none, the firmware's start of a loader on an
 * ESP) boots what its config says: its .config section when it has one (a
 * unified image, which add_unified made an input; a -cfg= is then ignored,
 * said on `file`:`line`), else the file xen_efi_cfg finds, which becomes an
 * input read as xen.cfg, as Xen reads it whatever it holds; either is read
 * with the section and Xen options the command line gives (efi_view), and
 * with the image's own .kernel and .ramdisk when it has them, and `by`
 * says why it is read.  When there is no config: a warning "cannot check"
 * on `file`:`line` naming `what`. */
static void follow_xen_efi(inputs *in, const char *efi, const efi_cmdline *c, const char *by,
                           const char *file, unsigned line, const char *what, bool note_missing)
{
    long xi = find_input(in, efi);
    if (xi >= 0)
        in->v[xi].cfg_followed = true;
    unsigned char *d;
    size_t len;
    md_err e = MD_ERR_INIT;
    if (md_read_file(efi, &d, &len, &e) < 0)
        return; /* the hypervisor input says so */
    struct efi_section sec[3];
    bool whole = efi_sections(in, efi, d, len, sec);
    free(d);
    if (!whole)
        return;
    bool unified = sec[EFI_CONFIG].has, has_kernel = sec[EFI_KERNEL].has,
         has_ramdisk = sec[EFI_RAMDISK].has;
    efi_cmdline none = { 0 };
    if (!c)
        c = &none;
    if (unified) {
        /* read_section("config") comes before any file */
        if (c->cfg && line)
            md_lint_add(in->l, file, line, MD_LINT_WARNING, 0,
                        "%s: -cfg=%s is ignored: this Xen EFI loader has its own .config "
                        "section, which Xen reads before any file (efi_start() in "
                        "xen/common/efi/boot.c: 'Using builtin config file'), so %s is not "
                        "what boots; change the image's .config, or drop -cfg=", what, c->cfg,
                        c->cfg);
        long ci = unified_config(in, efi);
        if (ci >= 0)
            efi_view(in, (size_t)ci, efi, c, by, file, line, has_kernel, has_ramdisk);
        return;
    }
    md_strv tried = { 0 };
    char *cfg = xen_efi_cfg(efi, c->cfg, &tried);
    if (!cfg && note_missing) {
        /* a loader at a directory's top that nothing given starts (Debian's
         * /boot holds xen-4.17-amd64.efi beside the xen.gz GRUB boots):
         * said, not a line that cannot be checked, and aside: it boots
         * nothing lint could check, so a correct /boot still lints to 0 */
        char *names = md_strv_join(&tried, ", ");
        md_lint_not_checked_aside(in->l, efi, "what this Xen EFI loader boots: no config lies "
                                  "beside it (Xen tries %s) and no config given chainloads "
                                  "it; if the firmware starts it, Xen stops with 'No "
                                  "configuration file found.': put its xen.cfg beside it, or "
                                  "give the ESP it boots from", names);
        free(names);
        md_strv_free(&tried);
        return;
    }
    if (!cfg) {
        char *names = md_strv_join(&tried, ", ");
        char *dir = dir_of(efi);
        char *where = c->cfg ? md_xasprintf("%s is not", names)
                             : md_xasprintf("none of the names Xen tries (%s) is", names);
        md_lint_add(in->l, file, line, MD_LINT_WARNING, 0,
                    "cannot check %s: Xen's EFI loader reads dom0_mem, its other options and the "
                    "dom0 kernel line from %s, and %s in %s (efi_start() in "
                    "xen/common/efi/boot.c), so traps 1 and 4 and the rootfs were not checked "
                    "(and if it is missing on the ESP too, Xen stops with 'No configuration "
                    "file found.'); %s",
                    what, c->cfg ? "the config its -cfg= option names" : "its config beside it",
                    where, dir, line ? "give the ESP (the directory that holds EFI/) or that config"
                              : "put the config beside the loader, or lint the one that "
                                "chainloads it with -cfg=");
        md_lint_mark_unchecked(in->l);
        free(where);
        free(dir);
        free(names);
        md_strv_free(&tried);
        return;
    }
    md_strv_free(&tried);
    long ci = find_input(in, cfg);
    if (ci < 0) {
        unsigned char *t;
        size_t tl;
        uint64_t size;
        md_err ce = MD_ERR_INIT;
        size_t before = in->n;
        if (read_text(cfg, &t, &tl, &size, &ce) < 0)
            fail(in, cfg, &ce);
        else
            add_text_sized(in, cfg, MD_LINT_GRUB, t, tl, size); /* empty or binary: its error */
        ci = in->n > before ? (long)before : -1;
    }
    if (ci >= 0 && in->v[ci].kind == MD_LINT_GRUB)
        efi_view(in, (size_t)ci, efi, c, by, file, line, has_kernel, has_ramdisk);
    free(cfg);
}

/* GRUB's "chainloader FILE ARGS" in boot config in->v[ci]: when FILE is
 * Xen's EFI loader by content (found as near() finds loaded files), the
 * config it reads is followed (follow_xen_efi) with the command line GRUB
 * hands it, read as efi_start() reads it (efi_cmdline): GRUB passes the
 * words after FILE (grub_cmd_chainloader()), and Xen takes the first of
 * them for its own name; then -cfg=FILE, a plain word naming the section
 * to boot, and, after "--", Xen's options.  -help stops Xen (an error), an
 * option Xen does not know is a warning, as is "--" first on a Xen that
 * reads unset memory for it.  A FILE not found whose name says Xen, or
 * named by a variable, is "cannot check" on its line; any other program
 * (Windows' boot manager, "+1") is not Xen and no concern of lint. */
/* The file an iPXE image URI names, as lint looks for it beside the
 * script: "http://host/boot/xen.efi?x" is /boot/xen.efi, a relative name
 * is relative to the script (iPXE resolves it against the script's URI).
 * Caller frees. */
static char *ipxe_local(const char *uri)
{
    const char *s = strstr(uri, "://");
    const char *q = s ? strchr(s + 3, '/') : uri;
    q = q ? q : "";
    return md_xasprintf("%.*s", (int)strcspn(q, "?#"), q);
}

/* The host file of iPXE image URI `uri` for script `script`: its path
 * (ipxe_local) near() the script, else, for a URI of a server, its name
 * beside the script (a netboot tree copied flat, as mkdom0 writes one).
 * NULL: none; caller frees. */
static char *ipxe_find(const char *script, const char *uri)
{
    char *q = ipxe_local(uri);
    char *hit = *q ? near(script, q) : NULL;
    if (!hit && strstr(uri, "://") && *q && strcmp(base_of(q), q))
        hit = near(script, base_of(q));
    free(q);
    return hit;
}

/* Is the image an iPXE script runs (chain, imgexec, boot) an EFI program,
 * not a multiboot kernel?  By content when it lies beside the script (a PE
 * image that is no bzImage: Xen's EFI loader, shim, a boot manager), else
 * by its name's ".efi".  iPXE's EFI build starts such an image as an EFI
 * program (efi_image.c), with its name and arguments as its command line:
 * a chainload, as GRUB's (trial 10n, finding G: read as a multiboot
 * load). */
static bool ipxe_efi_image(const input *x, const md_bootcfg_entry *e)
{
    const md_bootcfg_file *f = &e->xen;
    if (x->fmt != MD_BOOTFMT_IPXE || !f->path || !*f->path)
        return false;
    char *q = ipxe_local(f->path);
    char *host = strchr(q, '$') ? NULL : ipxe_find(x->path, f->path);
    size_t ql = strlen(q);
    int pe = host ? efi_program(host) : -1;
    bool efi = pe >= 0 ? pe > 0 : ql > 4 && !strcasecmp(q + ql - 4, ".efi");
    /* an image named by a setting never set ("chain ${xenpath} fast",
     * "chain tftp://${next-server}/x") that gets no modules: what iPXE
     * runs is unknown (Xen's EFI loader, a script, a kernel), so it is
     * read as a chain, which follow_chain says it cannot check on its
     * line, not as a multiboot Xen with nothing to boot (issue 10, H4) */
    if (pe < 0 && strchr(f->path, '$') && !e->nmods && !(e->kernel.path && *e->kernel.path))
        efi = true;
    free(host);
    free(q);
    return efi;
}

/* For each entry of iPXE script `x`'s `cfg`: does it run an EFI program
 * (ipxe_efi_image)?  The entries one image makes (one per value of a
 * setting) follow each other: its file is looked at once.  read_config
 * drops those entries, ipxe_chains makes them chainloader lines.  Caller
 * frees. */
static bool *ipxe_efi_entries(const input *x, const md_bootcfg_list *cfg)
{
    bool *efi = md_xcalloc(cfg->n ? cfg->n : 1, sizeof *efi);
    const char *last = NULL;
    for (size_t i = 0; i < cfg->n; i++) {
        const char *p = cfg->v[i]->xen.path ? cfg->v[i]->xen.path : "";
        efi[i] = last && !strcmp(p, last) ? efi[i - 1] : ipxe_efi_image(x, cfg->v[i]);
        last = p;
    }
    return efi;
}

static void follow_chain(inputs *in, size_t ci, const md_bootcfg_chain *ch, const char *cmd)
{
    const char *p = ch->file.path;
    if (!p || !*p || *p == '+')
        return;
    char *cfgpath = md_xstrdup(in->v[ci].path);
    bool ipxe = in->v[ci].fmt == MD_BOOTFMT_IPXE;
    char *local = ipxe ? ipxe_local(p) : md_xstrdup(p);
    const char *q = local[0] == '(' && strchr(local, ')') ? strchr(local, ')') + 1 : local;
    /* iPXE: "tftp://${next-server}/xen.efi" is looked for by its path */
    bool unknown = strchr(q, '$') != NULL;
    bool named_xen = strcasestr(base_of(q), "xen") != NULL;
    unsigned line = ch->file.line;
    char *title = md_xasprintf("%s%s%s", ch->title ? "menuentry '" : "",
                               ch->title ? ch->title : "", ch->title ? "': " : "");
    char *efi = ipxe ? ipxe_find(cfgpath, p) : near(cfgpath, q);
    md_xen_version v;
    md_err e = MD_ERR_INIT;
    bool xen = efi && md_xenver_hypervisor_file(efi, &v, &e) == 0;
    if (!efi && (named_xen || unknown)) {
        md_lint_add(in->l, cfgpath, line, MD_LINT_WARNING, 0,
                    "cannot check %s%s %s: %s; when it is Xen's EFI loader, that reads "
                    "dom0_mem and the dom0 kernel line from its xen.cfg beside it, which lint "
                    "cannot read either; give the ESP (the directory that holds EFI/), or the "
                    "loader and its xen.cfg", title, cmd, p,
                    unknown && ipxe ? "its path uses a setting the script never sets "
                                      "(one DHCP, the iPXE build or a script that chains this "
                                      "one sets), which lint cannot resolve"
                    : unknown ? "its path uses a variable lint cannot resolve (GRUB's $root, "
                                "$prefix or one of the config's own)"
                            : "the program is not next to this file (nor up to two directories "
                              "above it, where an ESP's EFI/ would hold it)");
        md_lint_mark_unchecked(in->l);
        in->v[ci].nchains++;
    } else if (efi && !xen && named_xen) {
        /* named as Xen, but lint cannot read it as Xen (a build without its
         * embedded Kconfig, or no Xen at all): not passed as checked */
        md_lint_add(in->l, cfgpath, line, MD_LINT_WARNING, 0,
                    "cannot check %s%s %s: %s; when it is Xen's EFI loader, the "
                    "xen.cfg it reads is not checked either", title, cmd, p, e.msg);
        md_lint_mark_unchecked(in->l);
        in->v[ci].nchains++;
    } else if (xen) {
        in->v[ci].nchains++;
        efi_cmdline c;
        efi_cmdline_read(&c, &ch->file.args);
        char *cl = md_strv_join(&c.words, " ");
        const char *first = c.words.n ? c.words.v[0] : "";
        if (c.words.n && (first[0] == '-' || first[0] == '/') && strcmp(first, "--")) {
            md_lint_add(in->l, cfgpath, line, MD_LINT_WARNING, 0,
                        "%schainloader %s %s: Xen's EFI loader takes the first word of its "
                        "command line for its own name, which GRUB does not pass "
                        "(grub_cmd_chainloader() hands it the words after the file; get_argv() "
                        "in xen/common/efi/boot.c), so '%s' is ignored; put a name first: "
                        "chainloader %s xen.efi %s", title, p, cl, first, p, cl);
            md_lint_fix(in->l, "chainloader %s xen.efi %s", p, cl);
        } else if (c.words.n > 1 && !strcmp(first, "--") &&
                   efi_dashes_first_unsafe(v.version)) {
            md_lint_add(in->l, cfgpath, line, MD_LINT_WARNING, 0,
                        "%schainloader %s %s: Xen's EFI loader takes the first word of its "
                        "command line for its own name, and with '--' there Xen %s reads "
                        "pointers it never set (get_argv() and efi_start() in "
                        "xen/common/efi/boot.c; fixed in 4.19.4 and 4.20.2 by 'xen/efi: Fix "
                        "crash with initial empty EFI options'): it may crash or take garbage "
                        "for its options before it boots; put a name first: chainloader %s "
                        "xen.efi %s", title, p, cl, v.version, p, cl);
            md_lint_fix(in->l, "chainloader %s xen.efi %s", p, cl);
        }
        if (c.name && strchr(c.name, '=') && c.name[0] != '-' && c.name[0] != '/') {
            /* a Xen option first: Xen takes it for its name and drops it
             * (trial 10n, finding D) */
            bool all = true;
            for (size_t k = 0; k < c.argc; k++)
                all &= strchr(c.words.v[k], '=') != NULL;
            md_lint_add(in->l, cfgpath, line, MD_LINT_WARNING, 0,
                        "%schainloader %s %s: Xen's EFI loader takes the first word of its "
                        "command line, '%s', for its own name (get_argv() in "
                        "xen/common/efi/boot.c: argv[0]) and drops it, so that option never "
                        "reaches Xen%s; Xen's options go after '--', after a name: chainloader "
                        "%s xen.efi -- %s", title, p, cl, c.name,
                        c.argc > 1 ? ", and the plain words after it name sections" : "", p,
                        all ? cl : "OPTIONS");
            if (all && c.argc == c.words.n)
                md_lint_fix(in->l, "chainloader %s xen.efi -- %s", p, cl);
        }
        if (c.help)
            md_lint_add(in->l, cfgpath, line, MD_LINT_ERROR, 0,
                        "%s%s %s %s: '%s' makes Xen's EFI loader print its options "
                        "and return to the firmware (efi_start() in xen/common/efi/boot.c: "
                        "blexit() after 'Xen EFI Loader options:'), so nothing boots; drop it",
                        title, cmd, p, cl, c.help);
        for (size_t k = 0; k < c.unknown.n; k++)
            md_lint_add(in->l, cfgpath, line, MD_LINT_WARNING, 0,
                        "%s%s %s %s: Xen's EFI loader does not know the option '%s' "
                        "and ignores it ('Unknown command line option', efi_start() in "
                        "xen/common/efi/boot.c: it knows -basevideo, -mapbs, -cfg=FILE and "
                        "-help; Xen's own options go after '--')", title, cmd, p, cl,
                        c.unknown.v[k]);
        char *opts = md_strv_join(&c.opts, " ");
        /* what Xen makes of the first word when it is not a loader's name
         * ("xen.efi"): said, as it is no section (finding D) */
        size_t nl = c.name ? strlen(c.name) : 0;
        char *named = c.name && (nl < 4 || strcasecmp(c.name + nl - 4, ".efi"))
                          ? md_xasprintf(", taking '%s' for its own name", c.name)
                          : md_xstrdup("");
        char *by = md_xasprintf("the one %s:%u chainloads with %s%s%s%s%s%s%s%s", base_of(cfgpath),
                                line, p, named, c.section ? ", booting its section '" : "",
                                c.section ? c.section : "", c.section ? "'" : "",
                                c.opts.n ? ", with the Xen options after '--': '" : "", opts,
                                c.opts.n ? "'" : "");
        free(opts);
        free(named);
        char *what = md_xasprintf("%s%s %s (Xen %s's EFI loader, %s)", title, cmd, p,
                                  v.version, efi);
        add_found(in, efi, MD_LINT_XEN, NULL, NULL);
        if (!c.help)
            follow_xen_efi(in, efi, &c, by, cfgpath, line, what, false);
        free(by);
        free(what);
        free(cl);
        efi_cmdline_free(&c);
    }
    free(efi);
    free(title);
    free(cfgpath);
    free(local);
}

/* The EFI programs iPXE script `x`'s entries run (ipxe_efi_image) as
 * chainloader lines of `cfg`: iPXE passes the image's name, then its
 * arguments (efi_image_cmdline(), src/image/efi_image.c), where GRUB passes
 * the arguments alone, so Xen's EFI loader takes the name for argv[0] and
 * reads the arguments as on GRUB's line after a name. */
static void ipxe_chains(const input *x, md_bootcfg_list *cfg)
{
    bool *efi = ipxe_efi_entries(x, cfg);
    for (size_t i = 0; i < cfg->n; i++) {
        const md_bootcfg_file *f = &cfg->v[i]->xen;
        if (!efi[i])
            continue;
        cfg->chains = md_xgrow(cfg->chains, &cfg->chains_cap, cfg->nchains + 1,
                               sizeof *cfg->chains);
        md_bootcfg_chain *ch = &cfg->chains[cfg->nchains++];
        memset(ch, 0, sizeof *ch);
        ch->title = cfg->v[i]->title ? md_xstrdup(cfg->v[i]->title) : NULL;
        md_bootcfg_file_copy(&ch->file, f);
        md_strv_free(&ch->file.args);
        char *q = ipxe_local(f->path);
        md_strv_push(&ch->file.args, base_of(q));
        for (size_t k = 0; k < f->args.n; k++)
            md_strv_push(&ch->file.args, f->args.v[k]);
        free(q);
    }
    free(efi);
}

/* The iPXE command that names the image of line `line` of script `x`
 * (kernel, chain, imgexec, ...: the first image command on it), for the
 * messages of that line (trial10 item 10: "cannot check chain" of a
 * kernel line); "chain" when none is found.  `starts`: each line's offset
 * (line_starts), so that many lines cost one pass. */
static char *ipxe_cmd_at(const input *x, const size_t *starts, size_t nlines, unsigned line)
{
    static const char *const cmds[] = { "kernel", "chain", "imgexec", "boot", "imgselect",
                                        "imgload", "imgfetch", "module", "initrd", NULL };
    if (!line || line > nlines)
        return md_xstrdup("chain");
    const char *t = (const char *)x->text, *end = t + text_len(x);
    const char *p = t + starts[line - 1];
    while (p < end && *p != '\n') {
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        size_t n = 0;
        while (p + n < end && !strchr(" \t\n", p[n]))
            n++;
        for (int i = 0; cmds[i]; i++)
            if (n == strlen(cmds[i]) && !strncmp(p, cmds[i], n))
                return md_xstrdup(cmds[i]);
        p += n;
    }
    return md_xstrdup("chain");
}

/* The offset of each line of `x`'s text; *n: how many.  Caller frees. */
static size_t *line_starts(const input *x, size_t *n)
{
    const char *t = (const char *)x->text;
    size_t len = text_len(x), cap = 0, *v = NULL;
    *n = 0;
    for (size_t i = 0; i <= len; i++)
        if (i == 0 || t[i - 1] == '\n') {
            if (i == len && i)
                break;
            v = md_xgrow(v, &cap, *n + 1, sizeof *v);
            v[(*n)++] = i;
        }
    return v;
}

/* Every GRUB 2 config's chainloader lines (follow_chain), then each Xen EFI
 * loader found on an ESP given (classify_esp) whose config no chainloader
 * line named: the one Xen reads when the firmware starts it. */
static void follow_chains(inputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        if (in->v[i].kind != MD_LINT_GRUB || (in->v[i].fmt != MD_BOOTFMT_GRUB2 &&
                                              in->v[i].fmt != MD_BOOTFMT_IPXE))
            continue;
        md_bootcfg_list cfg = { 0 };
        md_bootfmt_read(in->v[i].fmt, (char *)in->v[i].text, in->v[i].len, &cfg);
        if (in->v[i].fmt == MD_BOOTFMT_IPXE)
            ipxe_chains(&in->v[i], &cfg);
        size_t nl = 0, *starts = in->v[i].fmt == MD_BOOTFMT_IPXE ? line_starts(&in->v[i], &nl)
                                                                  : NULL;
        md_hindex lines = { 0 }; /* each line once, though an if's paths run it again */
        for (size_t k = 0; k < cfg.nchains; k++) {
            unsigned ln = cfg.chains[k].file.line;
            uint64_t h = md_hindex_hash(&ln, sizeof ln);
            bool seen = false;
            for (size_t it = 0, pos; !seen && (pos = md_hindex_next(&lines, h, &it)) != SIZE_MAX;)
                seen = cfg.chains[pos].file.line == ln;
            if (seen)
                continue;
            md_hindex_add(&lines, h, k);
            char *cmd = starts ? ipxe_cmd_at(&in->v[i], starts, nl, ln) : md_xstrdup("chainloader");
            follow_chain(in, i, &cfg.chains[k], cmd);
            free(cmd);
        }
        free(starts);
        md_hindex_free(&lines);
        md_bootcfg_list_free(&cfg);
    }
    for (size_t i = 0; i < in->n; i++) {
        if (in->v[i].kind != MD_LINT_XEN || !in->v[i].on_esp || in->v[i].cfg_followed)
            continue;
        char *efi = md_xstrdup(in->v[i].path);
        char *by = md_xasprintf("the one the EFI loader %s reads", base_of(efi));
        char *what = md_xasprintf("Xen's EFI loader %s", base_of(efi));
        follow_xen_efi(in, efi, NULL, by, efi, 0, what, in->v[i].at_top);
        free(what);
        free(by);
        free(efi);
    }
}

/* Follow the iPXE script that script in->v[i] chains to (its include:
 * "chain [--autofree] NEXT ARGS" of an image that is a script by content,
 * ipxe_script_host): iPXE runs it in place of this one (script_exec() in
 * src/image/script.c), so its entries are this script's boot, read as an
 * input of its own (once: a directory walk may have found it) and followed
 * in turn, MD_BOOTFMT_INCLUDE_DEPTH deep as GRUB's source.  A chain back
 * to a script of this chain (path[0..np), or itself) is a loop: iPXE runs
 * the scripts again and again and never boots (trial10y M2, L6). */
static void follow_ipxe_chain(inputs *in, size_t i, const size_t *path, size_t np)
{
    input *x = &in->v[i];
    if (x->chain_done || x->kind != MD_LINT_GRUB || x->fmt != MD_BOOTFMT_IPXE)
        return;
    x->chain_done = true;
    md_bootcfg_list cfg = { 0 };
    read_config(x, &cfg);
    md_strv w = { 0 };
    if (!cfg.n && cfg.include && !strncmp(cfg.include, "chain ", 6))
        md_strv_split(&w, cfg.include, false);
    const char *uri = NULL;
    for (size_t k = 1; k < w.n && !uri; k++)
        if (w.v[k][0] != '-')
            uri = w.v[k];
    char *host = uri ? ipxe_script_host(x, uri) : NULL;
    unsigned line = cfg.include_line;
    long j = host ? find_input(in, host) : -1;
    bool loop = j >= 0 && (size_t)j == i;
    for (size_t k = 0; j >= 0 && k < np; k++)
        loop |= path[k] == (size_t)j;
    if (!host) {
        /* not a local script: said as before (md_lint_no_entry) */
    } else if (loop) {
        x->chain_to = md_xasprintf("its chain on line %u runs %s again", line, base_of(host));
        md_lint_add(in->l, x->path, line, MD_LINT_ERROR, 0,
                    "%s runs %s again, %s: iPXE runs %s again and again (a chained script "
                    "replaces the one running, script_exec() in src/image/script.c) and never "
                    "boots; end the chain with kernel, module and boot lines",
                    cfg.include, (size_t)j == i ? "this script itself" : base_of(host),
                    (size_t)j == i ? "a loop" : "a script of this chain: a loop",
                    (size_t)j == i ? "it" : "these scripts");
    } else if (np >= MD_BOOTFMT_INCLUDE_DEPTH) {
        md_lint_add(in->l, x->path, line, MD_LINT_WARNING, 0,
                    "cannot check %s: chained more than %d deep, the most lint follows",
                    cfg.include, MD_BOOTFMT_INCLUDE_DEPTH);
    } else {
        if (j < 0) {
            size_t before = in->n;
            add_text_file(in, host, MD_LINT_GRUB); /* may move in->v */
            j = in->n > before ? (long)before : -1;
            if (j >= 0)
                in->v[j].found = true;
        }
        x = &in->v[i];
        if (j >= 0) {
            x->chain_to = md_xasprintf("its chain on line %u followed to %s", line, host);
            size_t sub[MD_BOOTFMT_INCLUDE_DEPTH + 1];
            memcpy(sub, path ? path : sub, np * sizeof *sub);
            sub[np] = i;
            follow_ipxe_chain(in, (size_t)j, sub, np + 1);
        }
    }
    free(host);
    md_strv_free(&w);
    md_bootcfg_list_free(&cfg);
}

static void follow_ipxe_chains(inputs *in)
{
    for (size_t i = 0; i < in->n; i++)
        follow_ipxe_chain(in, i, NULL, 0);
}

/* The file that xen.cfg input `x`'s chain= (read into `cfg`) names, as
 * Xen's EFI loader opens it: relative to the loader that reads `x` (else
 * beside `x`), '\' as '/' (docs/misc/efi.pandoc "chain="); NULL when `cfg`
 * has no chain=.  The caller frees it. */
static char *cfg_chain_path(const input *x, const md_bootcfg_list *cfg)
{
    if (!cfg->include || strncmp(cfg->include, "chain=", 6) || !cfg->include[6])
        return NULL;
    char *dir = dir_of(x->chain_efi ? x->chain_efi : x->path), *rel = md_xstrdup(cfg->include + 6);
    for (char *q = rel; *q; q++)
        if (*q == '\\')
            *q = '/';
    const char *r = rel[0] == '/' ? rel + 1 : rel;
    char *p = strcmp(dir, ".") ? md_xasprintf("%s/%s", dir, r) : md_xstrdup(r);
    free(dir);
    free(rel);
    return p;
}

/* Can input `y`, which a xen.cfg's chain= names, be read as that chain's
 * file alone: a config (given, or found by a directory walk where loaders
 * read them) that no Xen EFI loader reads as its own (chain_efi), that no
 * chainloader or other chain= reaches (chained_by), and that is no part of
 * a syslinux INCLUDE group?  Xen reads it only through the chain, with the
 * first file's section; read alone as well it gave false findings
 * (fresh-user trial of #10 at 6e5f303, item 4: "default=other: no section
 * [other]", "no Xen EFI loader reads this xen.cfg"). */
static bool chain_adoptable(const input *y)
{
    return y->kind == MD_LINT_GRUB && !y->chained_by && !y->chain_efi && !y->in_group &&
           !y->unified;
}

/* in->v[j] becomes the file that xen.cfg in->v[i]'s chain= on `line`
 * (naming `name`) reads, with section `sect` (NULL: its default=): it is
 * read as that xen.cfg, through the loader that reads v[i]. */
static void chain_into(inputs *in, size_t i, size_t j, unsigned line, const char *name,
                       const char *sect)
{
    input *x = &in->v[i], *y = &in->v[j];
    y->fmt = MD_BOOTFMT_XEN_EFI;
    free(y->chain_section);
    free(y->chain_name);
    free(y->chain_file);
    md_strv_free(&y->chain_xen);
    y->chained_by = md_xasprintf("chained by %s:%u (chain=%s)%s%s%s", x->path, line, name,
                                 sect ? ", section [" : "", sect ? sect : "", sect ? "]" : "");
    y->chain_section = sect ? md_xstrdup(sect) : NULL;
    y->depth = x->depth + 1;
    y->efi_x86 = x->efi_x86;
    y->chain_efi = x->chain_efi ? md_xstrdup(x->chain_efi) : NULL;
    y->chain_name = x->chain_name ? md_xstrdup(x->chain_name) : NULL;
    y->chain_file = x->chain_file ? md_xstrdup(x->chain_file) : NULL;
    y->chain_line = x->chain_line;
    for (size_t k = 0; k < x->chain_xen.n; k++)
        md_strv_push(&y->chain_xen, x->chain_xen.v[k]);
    y->unified = x->unified ? md_xstrdup(x->unified) : NULL;
    y->has_kernel = x->has_kernel, y->has_ramdisk = x->has_ramdisk;
    /* what a walk found at a loader's place is now the chain's, whose lack
     * of an entry is an error as any chained file's */
    y->in_root = false;
    y->efi_cfg = false;
    y->found = true;
    y->chain_stray = x->chain_stray || (x->efi_cfg && !x->chained_by);
}

/* Follow the chain= of xen.cfg input in->v[i] (see follow_cfg_chains), once
 * (chain_done); a file it names that is an input already and
 * chain_adoptable becomes the chain's and is followed in turn.  path[0..np)
 * are the inputs of the chain that led here (a chain= back to one of them,
 * or to v[i], is a loop). */
static void follow_cfg_chain_from(inputs *in, size_t i, const size_t *path, size_t np);

static void follow_cfg_chain(inputs *in, size_t i)
{
    follow_cfg_chain_from(in, i, NULL, 0);
}

/* If file `p` is one of the chain path[0..np) then `i`, the files of the
 * loop from it ("a.cfg -> b.cfg -> a.cfg"), else NULL; caller frees. */
static char *chain_loop(const inputs *in, const char *p, const size_t *path, size_t np, size_t i)
{
    long j = find_input(in, p);
    size_t from = np + 1;
    for (size_t k = 0; j >= 0 && k <= np && from > np; k++)
        if ((k < np ? path[k] : i) == (size_t)j)
            from = k;
    if (from > np)
        return NULL;
    if (from == np)
        return md_xstrdup(""); /* itself */
    md_strv names = { 0 };
    for (size_t k = from; k <= np; k++)
        md_strv_push(&names, base_of(in->v[k < np ? path[k] : i].path));
    md_strv_push(&names, base_of(in->v[j].path));
    char *s = md_strv_join(&names, " -> ");
    md_strv_free(&names);
    return s;
}

static void follow_cfg_chain_from(inputs *in, size_t i, const size_t *path, size_t np)
{
    if (in->v[i].chain_done || in->v[i].kind != MD_LINT_GRUB ||
        in->v[i].fmt != MD_BOOTFMT_XEN_EFI)
        return;
    in->v[i].chain_done = true;
    md_bootcfg_list cfg = { 0 };
    read_config(&in->v[i], &cfg);
    char *p = cfg_chain_path(&in->v[i], &cfg);
    if (!p) {
        md_bootcfg_list_free(&cfg);
        return;
    }
    input *x = &in->v[i];
    const char *name = cfg.include + 6;
    unsigned line = cfg.include_line;
    const char *sect = cfg.include_section;
    unsigned char *d = NULL;
    size_t len = 0;
    uint64_t size = 0;
    md_err e = MD_ERR_INIT;
    long j = -1;
    size_t sub[MD_BOOTFMT_INCLUDE_DEPTH + 1];
    size_t nsub = np < MD_BOOTFMT_INCLUDE_DEPTH ? np : MD_BOOTFMT_INCLUDE_DEPTH;
    memcpy(sub, path ? path : sub, nsub * sizeof *sub);
    sub[nsub++] = i;
    char *loop = md_is_file(p) ? chain_loop(in, p, path, np, i) : NULL;
    if (loop) {
        /* the error is the reader's, on the chain= line (trial10y H4) */
        x->chain = MD_BOOTFMT_CHAIN_LOOP;
        x->chain_loop = loop;
        x->chain_to = *loop ? md_xasprintf("its chain= on line %u leads back into its chain, %s",
                                           line, loop)
                            : md_xasprintf("its chain= on line %u names itself", line);
    } else if (!md_is_file(p)) {
        /* the error is the reader's, on the chain= line */
        x->chain = MD_BOOTFMT_CHAIN_MISSING;
        x->chain_to = md_xasprintf("its chain= on line %u names %s, which is not there",
                                   line, name);
    } else if (x->depth >= MD_BOOTFMT_INCLUDE_DEPTH) {
        md_lint_add(in->l, x->path, line, MD_LINT_WARNING, 0,
                    "cannot check chain=%s on line %u: chained more than %d deep, the most "
                    "lint follows, so the entry Xen boots from it is not read", name, line,
                    MD_BOOTFMT_INCLUDE_DEPTH);
        md_lint_mark_unchecked(in->l);
    } else if (is_input(in, p) && (j = find_input(in, p)) >= 0 && (size_t)j != i &&
               chain_adoptable(&in->v[j])) {
        chain_into(in, i, (size_t)j, line, name, sect);
        x = &in->v[i];
        x->chain = MD_BOOTFMT_CHAIN_READ;
        x->chain_to = md_xasprintf("its chain= on line %u followed to %s", line,
                                   in->v[j].path);
        follow_cfg_chain_from(in, (size_t)j, sub, nsub);
    } else if (is_input(in, p)) {
        x = &in->v[i];
        x->chain = MD_BOOTFMT_CHAIN_READ;
        x->chain_to = md_xasprintf("its chain= on line %u names %s, read as its own input",
                                   line, name);
    } else if (read_text(p, &d, &len, &size, &e) < 0) {
        fail(in, p, &e);
    } else {
        size_t before = in->n;
        add_text_sized(in, p, MD_LINT_GRUB, d, len, size); /* may move in->v */
        x = &in->v[i];
        x->chain = MD_BOOTFMT_CHAIN_READ;
        x->chain_to = md_xasprintf("its chain= on line %u followed to %s", line, p);
        if (in->n > before) {
            chain_into(in, i, before, line, name, sect);
            follow_cfg_chain_from(in, before, sub, nsub);
        }
    }
    free(p);
    md_bootcfg_list_free(&cfg);
}

/* Xen's EFI loader reads [global]'s chain= file instead of its config
 * when the section it boots has no kernel=, and goes on with the same
 * section there (efi_start() in xen/common/efi/boot.c: the loop over
 * get_value(&cfg, "global", "chain"), read_file() in the directory of the
 * loader, which stops with "Chained configuration file '...' not found."
 * when it is not there; docs/misc/efi.pandoc "chain=": relative to the EFI
 * binary).  The chained file, beside the loader that reads the config
 * (else beside the config), is read as that section, as an input,
 * MD_BOOTFMT_INCLUDE_DEPTH deep: a new one, or an input already there
 * (given, or found by a directory walk) that nothing else reads
 * (chain_adoptable), which is then read only as the chain's (fresh-user
 * trial of #10 at 6e5f303, item 4).  One read otherwise (by its own
 * loader, or a loop back) is not read again.  One not there is an error on
 * the chain= line (fresh-user trial of #10, case 2).  The files chains name
 * are followed from the first file of each chain, whatever the order the
 * walk found them in (an ESP lists host.cfg before xen.cfg). */
static void follow_cfg_chains(inputs *in)
{
    for (size_t i = 0; i < in->n; i++) {
        input *x = &in->v[i];
        if (x->kind != MD_LINT_GRUB || x->fmt != MD_BOOTFMT_XEN_EFI)
            continue;
        md_bootcfg_list cfg = { 0 };
        read_config(x, &cfg);
        char *p = cfg_chain_path(x, &cfg);
        long j = p && md_is_file(p) ? find_input(in, p) : -1;
        if (j >= 0 && (size_t)j != i && chain_adoptable(&in->v[j]))
            in->v[j].chain_target = true;
        free(p);
        md_bootcfg_list_free(&cfg);
    }
    for (size_t i = 0; i < in->n; i++)
        if (!in->v[i].chain_target)
            follow_cfg_chain(in, i);
    /* a loop of chains (each a target): followed from the first */
    for (size_t i = 0; i < in->n; i++)
        follow_cfg_chain(in, i);
}

/* Is `n` a name an ESP's EFI/VENDOR/ config may have (*.cfg, *.conf, any
 * case): Xen's EFI loader reads NAME.cfg beside NAME.efi (BOOTX64.CFG
 * beside BOOTX64.EFI), syslinux.efi syslinux.cfg, GRUB legacy's EFI build
 * grub.conf (Red Hat's EFI/redhat/grub.conf)? */
static bool efi_config_name(const char *n)
{
    size_t len = strlen(n);
    return (len > 4 && !strcasecmp(n + len - 4, ".cfg")) ||
           (len > 5 && !strcasecmp(n + len - 5, ".conf"));
}

/* A config in an ESP's EFI/VENDOR/ (`p`), read by content: a boot config
 * of any format lint reads is an input (in_root; a xen.cfg is efi_cfg: one
 * that no Xen EFI loader reads is said, check_dirs); any other file is
 * named as read as nothing lint knows, never skipped unsaid. */
static void esp_config(inputs *in, const char *p)
{
    unsigned char *d;
    size_t len;
    uint64_t size;
    md_err e = MD_ERR_INIT;
    if (read_text(p, &d, &len, &size, &e) < 0)
        return fail(in, p, &e);
    if (!len || binary(d, len) || md_bootfmt_detect((char *)d, len) == MD_BOOTFMT_UNKNOWN) {
        free(d);
        md_lint_input(in->l, p, "nothing: no boot config of a format lint reads, so no Xen "
                                "entry in it");
        return;
    }
    size_t before = in->n;
    add_text_sized(in, p, MD_LINT_GRUB, d, len, size);
    if (in->n > before) {
        in->v[before].in_root = true;
        in->v[before].efi_cfg = in->v[before].fmt == MD_BOOTFMT_XEN_EFI;
    }
}

/* The Xen EFI loaders and grub.cfg at the top of directory `dir`, as the
 * firmware and GRUB find them there: each file that is Xen's EFI loader by
 * content (an EFI program, efi_program, that md_xenver_hypervisor_file
 * reads as Xen; its name does not matter to a boot entry that names it) is
 * a hypervisor found (on_esp) whose xen.cfg follow_chains reads as Xen's
 * loader finds it, with its own sections (add_unified); grub.cfg (any case,
 * as on FAT) a boot config that may be a stub reading the one in /boot
 * (in_root).  The one reader for an ESP's EFI/VENDOR/ (classify_esp,
 * `esp`) and the top of any directory given (classify_dir: a copy of an
 * output's efi/ under another name, whose xen.cfg was skipped: issue 10,
 * H2; there a loader without its config is said as not checked, at_top).
 * Returns whether it added an input. */
static bool classify_efi_dir(inputs *in, const char *dir, bool esp)
{
    size_t from = in->n;
    struct dirent **fs = NULL;
    int nf = scandir(dir, &fs, NULL, alphasort);
    for (int k = 0; k < nf; k++) {
        const char *n = fs[k]->d_name;
        char *p = md_xasprintf("%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", n);
        md_xen_version v;
        md_err e = MD_ERR_INIT;
        if (n[0] == '.' || !md_is_file(p) || find_input(in, p) >= 0) {
            /* not a file, or an input already */
        } else if (!strcasecmp(n, "grub.cfg")) {
            /* a stub that loads the config from /boot is no Xen entry
             * of its own: said, not an input error (in_root) */
            size_t before = in->n;
            classify_file(in, p, MD_LINT_GRUB);
            if (in->n > before && in->v[before].kind == MD_LINT_GRUB)
                in->v[before].in_root = true;
        } else if (efi_program(p) > 0 && md_xenver_hypervisor_file(p, &v, &e) == 0) {
            size_t before = in->n;
            input *x = push(in, p, MD_LINT_XEN);
            x->on_esp = true;
            x->at_top = !esp;
            add_unified(in, p);
            for (size_t j = before; j < in->n; j++)
                in->v[j].found = true;
        } else if (esp && efi_config_name(n)) {
            esp_config(in, p);
        }
        free(p);
        free(fs[k]);
    }
    free(fs);
    return in->n > from;
}

/* An EFI system partition, or a copy of one: a directory with EFI/ (any
 * case, as on FAT): each EFI/VENDOR/ read by classify_efi_dir.  False when
 * there is no EFI/ directory. */
static bool classify_esp(inputs *in, const char *dir)
{
    char *efidir = find_nocase(dir, "EFI", true);
    if (!efidir)
        return false;
    struct dirent **vs = NULL;
    int nv = scandir(efidir, &vs, NULL, alphasort);
    for (int i = 0; i < nv; i++) {
        char *vd = md_xasprintf("%s/%s", efidir, vs[i]->d_name);
        struct stat st;
        if (vs[i]->d_name[0] != '.' && stat(vd, &st) == 0 && S_ISDIR(st.st_mode))
            classify_efi_dir(in, vd, true);
        free(vd);
        free(vs[i]);
    }
    free(vs);
    free(efidir);
    return true;
}

/* The dom0 kernel `gpath` that config `x` loads, read whole: a unified
 * image's .kernel section, else the file near() finds.  *name (caller
 * frees) names it as findings do, NULL when it is not there.  False when
 * there is nothing to read, with `err` set when it is there but cannot be
 * read. */
static bool read_kernel(const input *x, const char *gpath, unsigned char **d, size_t *len,
                        char **name, md_err *err)
{
    *name = loaded_path(x, gpath, false);
    if (!*name)
        return false;
    if (!x->unified || !x->has_kernel)
        return md_read_file(*name, d, len, err) == 0;
    unsigned char *img;
    size_t n, off, size;
    if (md_read_file(x->unified, &img, &n, err) < 0)
        return false;
    if (md_xenefi_section(img, n, ".kernel", &off, &size) != 0) {
        free(img);
        md_err_set(err, "%s: its .kernel section lies past the end of the image", x->unified);
        return false;
    }
    *d = md_xmalloc(size + 1);
    memcpy(*d, img + off, size);
    *len = size;
    free(img);
    return true;
}

/* Trap 5 across kernel and rootfs for each entry of config in->v[xi]
 * (md_lint_kernel_modules): its dom0 kernel, told by content, against the
 * rootfs given (`given`, labelled `given_label`), else the one the entry
 * loads; each kernel and rootfs pair once.  A kernel that is there but
 * cannot be read is a warning "cannot check"; one that is not there (not
 * given) is said in the config's "not checked" note. */
static void check_kernels(inputs *in, size_t xi, const md_bootcfg_list *cfg, const md_tree *given,
                          const char *given_label)
{
    const input *x = &in->v[xi];
    md_strv seen = { 0 }, unchecked = { 0 }; /* seen: "KERNEL\nROOTFS", each pair once,
                                                 found by `seenx` */
    md_hindex seenx = { 0 };
    for (size_t i = 0; i < cfg->n; i++) {
        const md_bootcfg_entry *e = cfg->v[i];
        const char *kp = e->kernel.path;
        if (!kp || !*kp || strchr(kp, '$'))
            continue; /* no kernel line, or one the other checks name */
        const md_tree *t = given;
        const char *label = given_label;
        if (!t) {
            long ri = md_bootcfg_initrd(e, NULL);
            char *rp = ri >= 0 && e->mods[ri].path ? loaded_path(x, e->mods[ri].path, true) : NULL;
            long r = find_input(in, rp);
            free(rp);
            /* no rootfs: the kernel's content alone (the config's note
             * names trap 5) */
            if (r >= 0 && in->v[r].kind == MD_LINT_ROOTFS)
                t = in->v[r].tree, label = in->v[r].path;
        }
        char *key = md_xasprintf("%s\n%s", kp, t ? label : "");
        bool added;
        md_strv_intern(&seen, &seenx, key, &added);
        free(key);
        if (!added)
            continue;
        unsigned char *d = NULL;
        size_t len = 0;
        char *name = NULL;
        md_err ke = MD_ERR_INIT;
        const char *file = e->kernel.file ? e->kernel.file : x->path;
        if (read_kernel(x, kp, &d, &len, &name, &ke)) {
            md_lint_kernel_modules(in->l, file, e->kernel.line, name, d, len, e->arm, label, t);
        } else if (ke.set) {
            /* there, and not readable: what Xen boots is not known */
            md_lint_add(in->l, file, e->kernel.line, MD_LINT_WARNING, 0,
                        "cannot check the dom0 kernel %s: %s", kp, strip_path(ke.msg, name));
        } else if (t) {
            md_strv_pushf(&unchecked, "the kernel %s (line %u) is not next to this file", kp,
                          e->kernel.line);
        }
        free(d);
        free(name);
    }
    /* one note, whatever the number of entries (a note per kernel made
     * 60,000 entries quadratic) */
    if (unchecked.n) {
        char *more = unchecked.n > 1 ? md_xasprintf(" (and %zu more kernels)", unchecked.n - 1)
                                     : NULL;
        md_lint_not_checked(in->l, x->path, "trap 5's modules against the dom0 kernel's "
                            "release: %s%s", unchecked.v[0], more ? more : "");
        free(more);
    }
    md_strv_free(&seen);
    md_strv_free(&unchecked);
    md_hindex_free(&seenx);
}

/* "menuentry 'T': " (the entry's own kind of title), or "" for an entry
 * without one (new string). */
static char *entry_title_prefix(const md_bootcfg_entry *e)
{
    return e->title ? md_xasprintf("%s '%s': ", e->title_kind ? e->title_kind : "menuentry", e->title)
                    : md_xstrdup("");
}

/* The hypervisor each Xen entry of config in->v[xi] loads against the
 * entry's boot protocol: multiboot and multiboot2 (GRUB, iPXE, syslinux's
 * mboot.c32) start x86 Xen only, GRUB's xen_hypervisor and a xen.cfg with
 * dtb= are Arm's.  The hypervisor's architecture is its own headers'
 * (md_xen_version.arch); one of another architecture is an error naming
 * both, once per file and protocol: the loader refuses it or jumps into
 * code it cannot run (trial 10n, finding H: an arm64 Xen in a multiboot2
 * entry passed).  So is x86 Xen's EFI binary (xen.efi, a PE image) in a
 * multiboot or multiboot2 entry (GRUB 2 and legacy, syslinux's mboot.c32):
 * it carries the multiboot headers, but "entry via anything other than the
 * EFI64 protocol is unsupported, and won't work"
 * (docs/hypervisor-guide/x86/how-xen-boots.rst in Xen; trial10 item 3: a
 * multiboot2 xen.efi passed).  iPXE runs a PE as an EFI program
 * (read_config reads it as the chainloader it is). */
static void check_arch(inputs *in, size_t xi, const md_bootcfg_list *cfg)
{
    const input *x = &in->v[xi];
    md_strv seen = { 0 };
    const md_bootcfg_entry *last = NULL; /* entries of one Xen and protocol: once */
    for (size_t i = 0; i < cfg->n; i++) {
        const md_bootcfg_entry *e = cfg->v[i];
        const char *xp = e->xen.path;
        char *dk = md_xasprintf("dtb=\n%u", e->dtb_line);
        if (x->fmt == MD_BOOTFMT_XEN_EFI && x->efi_x86 && e->dtb_line &&
            !md_strv_contains(&seen, dk)) {
            /* x86 Xen ignores dtb= (its efi_arch_cfg_file_early() is
             * empty, xen/arch/x86/efi/efi-boot.h; Arm's loads the device
             * tree): it boots, read as x86's (md_bootfmt_efi_start.x86),
             * where this was an error (issue 10, H5) */
            md_strv_push(&seen, dk);
            md_lint_add(in->l, x->path, e->dtb_line, MD_LINT_WARNING, 0,
                        "dtb= is ignored: the Xen EFI loader that reads this file, %s, is x86 "
                        "Xen, which loads no device tree (efi_arch_cfg_file_early() is empty in "
                        "xen/arch/x86/efi/efi-boot.h; only Arm's reads dtb=), so this section "
                        "boots as x86's without it; drop the line, or boot Arm Xen",
                        x->chain_efi ? x->chain_efi : x->unified);
        }
        free(dk);
        if (!xp || !*xp || strchr(xp, '$') || (x->fmt == MD_BOOTFMT_XEN_EFI && !e->arm))
            continue; /* a xen.cfg without dtb= boots on either */
        bool same = last && !strcmp(last->xen.path, xp) && last->arm == e->arm &&
                    last->xen.mb2 == e->xen.mb2;
        last = e;
        if (same)
            continue;
        const char *efi = x->chain_efi ? x->chain_efi : x->unified;
        char *hp = efi ? md_xstrdup(efi) : near(x->path, xp);
        long h = find_input(in, hp);
        const md_xen_version *v = h >= 0 && in->v[h].kind == MD_LINT_XEN ? &in->v[h].hv : NULL;
        bool arm = v && !strncmp(v->arch, "arm", 3);
        const char *proto = x->fmt == MD_BOOTFMT_XEN_EFI ? "dtb= (a device tree, which Xen "
                                                           "reads on Arm only)"
                            : e->arm ? "xen_hypervisor (GRUB's loader of Arm Xen)"
                            : e->xen.mb2 ? "multiboot2 (x86 only)" : "multiboot (x86 only)";
        char *key = md_xasprintf("%s\n%s", hp ? hp : "", proto);
        if (v && v->arch[0] && arm != e->arm && !md_strv_contains(&seen, key)) {
            md_strv_push(&seen, key);
            char *tp = entry_title_prefix(e);
            md_lint_add(in->l, e->xen.file ? e->xen.file : x->path, e->xen.line, MD_LINT_ERROR, 0,
                        "%sthe hypervisor %s is %s Xen (its %s), but this entry boots it with "
                        "%s, a boot protocol of %s Xen: the loader refuses it or starts code "
                        "of another architecture, and nothing boots; boot the %s build of Xen, "
                        "or on %s load it with %s", tp, hp, v->arch, v->arch_from, proto,
                        e->arm ? "Arm" : "x86", e->arm ? "Arm" : "x86", arm ? "Arm" : "x86",
                        arm ? "GRUB's xen_hypervisor and xen_module (or Xen's EFI loader)"
                            : "multiboot2 and module2 (or Xen's EFI loader)");
            free(tp);
        }
        char *pk = md_xasprintf("%s\n%s\nPE", hp ? hp : "", proto);
        if (v && v->pe && !arm && !e->arm && x->fmt != MD_BOOTFMT_XEN_EFI &&
            !md_strv_contains(&seen, pk)) {
            md_strv_push(&seen, pk);
            char *tp = entry_title_prefix(e);
            md_lint_add(in->l, e->xen.file ? e->xen.file : x->path, e->xen.line, MD_LINT_ERROR, 0,
                        "%sthe hypervisor %s is Xen's EFI binary (xen.efi, a PE image), but this "
                        "entry boots it with %s: Xen starts xen.efi as an EFI program only "
                        "(\"entry via anything other than the EFI64 protocol is unsupported, "
                        "and won't work\", docs/hypervisor-guide/x86/how-xen-boots.rst), so "
                        "nothing boots; load xen.gz here, or start xen.efi as an EFI program "
                        "(GRUB's chainloader with a xen.cfg beside it, the firmware, iPXE's "
                        "chain)", tp, hp, proto);
            free(tp);
        }
        free(pk);
        free(key);
        free(hp);
    }
    md_strv_free(&seen);
}

/* The hypervisor each entry of config in->v[xi] boots, as read, for its
 * built-in dom0_mem (md_lint_entries_hv): the one the entry loads (the Xen
 * EFI loader that reads a xen.cfg, else its Xen line's file next to the
 * config, as check_arch finds it), else the one hypervisor given, which
 * stands for the entries' own (pair_configs adds those only when none is
 * given).  NULL when no hypervisor read has a CONFIG_DOM0_MEM: nothing to
 * judge by.  Caller frees. */
static const md_xen_version **entry_hypervisors(const inputs *in, size_t xi,
                                                const md_bootcfg_list *cfg)
{
    const input *x = &in->v[xi];
    const md_xen_version *given = NULL;
    size_t ngiven = 0;
    bool any = false;
    for (size_t j = 0; j < in->n; j++) {
        const input *y = &in->v[j];
        any |= y->kind == MD_LINT_XEN && y->hv.dom0_mem[0];
        if (y->kind == MD_LINT_XEN && !y->found)
            ngiven++, given = &y->hv;
    }
    if (!any || !cfg->n)
        return NULL;
    const md_xen_version **hv = md_xcalloc(cfg->n, sizeof *hv);
    const char *efi = x->chain_efi ? x->chain_efi : x->unified;
    for (size_t i = 0; i < cfg->n; i++) {
        const char *xp = cfg->v[i]->xen.path;
        if (i && xp && cfg->v[i - 1]->xen.path && !strcmp(xp, cfg->v[i - 1]->xen.path)) {
            hv[i] = hv[i - 1]; /* one lookup per file, not per entry */
            continue;
        }
        char *hp = efi ? md_xstrdup(efi) : xp && *xp && !strchr(xp, '$') ? near(x->path, xp)
                                                                          : NULL;
        long h = find_input(in, hp);
        hv[i] = h >= 0 && in->v[h].kind == MD_LINT_XEN ? &in->v[h].hv
              : ngiven == 1                             ? given
                                                        : NULL;
        free(hp);
    }
    return hv;
}

/* Is `d` worth reading whole as a hypervisor?  Xen is an ELF (plain or
 * compressed) or a PE (xen.efi); a bzImage is PE too but has its boot
 * header, and an initramfs decompresses to cpio.  Keeps a root tree's
 * /boot (kernels, initramfs images of 100 MB) from being decompressed
 * whole to find the one Xen. */
static bool maybe_xen(const unsigned char *d, size_t len, const char *name)
{
    if (md_elf_is(d, len))
        return true;
    if (len >= 2 && d[0] == 'M' && d[1] == 'Z')
        return len < 0x206 || memcmp(d + 0x202, "HdrS", 4);
    if (md_decomp_detect(d, len) == MD_DECOMP_NONE)
        return false;
    unsigned char *head = NULL;
    size_t hl = 0;
    md_err e = MD_ERR_INIT;
    bool elf = md_decomp_head(name, d, len, 4, &head, &hl, &e) == 0 && md_elf_is(head, hl);
    free(head);
    return elf;
}

/* The Xen images in root tree `t`'s /boot (labelled `label`), by content,
 * whatever their names, appended to hv[0..*nhv) (trap 2 without a boot
 * config or hypervisor given: which one boots is not known).  One named
 * xen* that is no readable Xen image is a warning, as a xen*.gz next to a
 * rootfs archive is. */
static void tree_hypervisors(md_lint *l, const char *label, const md_tree *t,
                             md_xen_version **hv, size_t *nhv)
{
    for (const md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        const char *p = md_node_path(n);
        md_node_type k = md_node_type_of(n);
        if (strncmp(p, "/boot/", 6) || strchr(p + 6, '/') ||
            (k != MD_NODE_FILE && k != MD_NODE_HARDLINK))
            continue;
        size_t len;
        const unsigned char *d = md_node_data(n, &len);
        char *name = md_lint_where(label, p);
        md_xen_version v;
        md_err e = MD_ERR_INIT;
        if (d && maybe_xen(d, len, name) && md_xenver_hypervisor_image(d, len, name, &v, &e) == 0) {
            bool same = false; /* Debian's xen-X.Y-amd64.gz and .efi: one release */
            for (size_t i = 0; i < *nhv && !same; i++)
                same = !strcmp((*hv)[i].version, v.version);
            if (!same) {
                *hv = md_xrealloc(*hv, (*nhv + 1) * sizeof **hv);
                (*hv)[(*nhv)++] = v;
            }
        } else if (!strncmp(p + 6, "xen", 3) && fnmatch("*.config", p, 0) &&
                   fnmatch("*.cfg", p, 0) && fnmatch("*.map", p, 0) && strncmp(p + 6, "xen-syms", 8)) {
            if (!e.set)
                md_err_set(&e, "%s: not a Xen hypervisor image (no ELF or PE with the Xen banner)",
                           name);
            md_lint_add(l, name, 0, MD_LINT_WARNING, 2,
                        "in the root tree's /boot but not usable as the hypervisor (%s); trap 2 "
                        "is not checked against it: name the hypervisor with --xen",
                        strip_path(e.msg, name));
        }
        free(name);
    }
}

/* Is `x` a xen.cfg found where Xen's EFI loader reads one (efi_cfg) that no
 * loader found, given or chainloaded reads (follow_chains made none of it
 * chained_by)? */
static bool stray_xen_cfg(const input *x)
{
    return x->kind == MD_LINT_GRUB && x->efi_cfg && x->fmt == MD_BOOTFMT_XEN_EFI &&
           !x->chained_by;
}

/* Does input v[j] boot Xen as a directory's: a Xen EFI loader the firmware
 * starts (on_esp), a config with a Xen entry (not a stray xen.cfg, nor the
 * file a stray xen.cfg's chain= names) or a
 * chainloader of Xen's EFI loader, or a file INCLUDEd by a config in
 * v[from, to) with a Xen entry? */
static bool boots_xen(const inputs *in, size_t j, size_t from, size_t to)
{
    const input *y = &in->v[j];
    if (j >= from && j < to)
        return (y->kind == MD_LINT_XEN && y->on_esp) ||
               (y->kind == MD_LINT_GRUB &&
                ((y->nentries && !stray_xen_cfg(y) && !y->chain_stray) || y->nchains));
    return y->kind == MD_LINT_GRUB && y->in_group && y->root >= from && y->root < to &&
           y->nentries;
}

/* Does a directory given (classify_dir) that holds input v[j] boot Xen
 * (boots_xen of any input)? */
static bool dir_boots_xen(const inputs *in, size_t j)
{
    for (size_t k = 0; k < in->ndirs; k++) {
        const dir_range *r = &in->dirs[k];
        if (j < r->from || j >= r->to)
            continue;
        for (size_t i = 0; i < in->n; i++)
            if (boots_xen(in, i, r->from, r->to))
                return true;
    }
    return false;
}

/* Say that config v[j], found at a loader's place (in_root), has no Xen
 * entry (`why`, md_lint_no_entry's; `group`: nor the other files of its
 * INCLUDE group, whose root the walk found).
 * In a directory given that boots Xen, a config with none where nothing
 * hides from lint (`plain`: an old syslinux.cfg beside /boot's grub.cfg, a
 * pxelinux.cfg/default that only boots the local disk) is a note: it is
 * not a Xen config, the directory's Xen entries were checked, and it
 * leaves no trap unchecked (fresh-user trial of #10 at 6e5f303, item 6:
 * such a directory never exited 0).  Else (a root tree's config, a
 * directory with no Xen entry, whose lack check_dirs makes exit 2, or a
 * config with a line lint cannot follow) it is "not checked", never a
 * silent pass (issue 10). */
static void say_no_xen(inputs *in, size_t j, const char *why, bool plain, bool group)
{
    const input *x = &in->v[j];
    /* a file INCLUDEd is in the directory of the config found there */
    if (plain && dir_boots_xen(in, group ? x->root : j))
        md_lint_add(in->l, x->path, 0, MD_LINT_NOTE, 0,
                    "no Xen boot entry; not a Xen config (read as %s%s): nothing in it is "
                    "checked, and it leaves no trap unchecked, as the Xen entries of the "
                    "directory it is in were checked",
                    md_bootfmt_name(x->fmt), group ? ", nor in the files it INCLUDEs" : "");
    else
        md_lint_not_checked(in->l, x->path, "trap 4 and trap 1's console= (on Xen's boot "
                            "lines): %s", why);
}

/* Never a silent pass on a directory given (classify_dir): one in which no
 * input boots Xen (boots_xen) is an input error "no Xen boot entry found"
 * naming the places looked at; the configs found there were each said
 * (in_root).  Not when it holds no boot config but a rootfs by name (that
 * rootfs is what lint checks, and says trap 4 was not), nor when its GRUB
 * defaults said their own lack (as each file given does). */
static void check_dirs(inputs *in)
{
    for (size_t k = 0; k < in->ndirs; k++) {
        const dir_range *r = &in->dirs[k];
        bool any = false, configs = false, defaults_said = false;
        for (size_t j = 0; j < in->n && !any; j++)
            any = boots_xen(in, j, r->from, r->to);
        for (size_t j = r->from; j < r->to; j++) {
            configs |= in->v[j].kind == MD_LINT_GRUB;
            defaults_said |= in->v[j].kind == MD_LINT_GRUB &&
                             in->v[j].fmt == MD_BOOTFMT_GRUB_DEFAULT && !in->v[j].nentries;
        }
        if (!any && !defaults_said && (configs || !r->byname_root)) {
            char *places = loader_places_text();
            md_err e = MD_ERR_INIT;
            md_err_set(&e, "%s: no Xen boot entry found in this %s: looked at %s; %s", r->dir,
                       r->esp ? "ESP" : "directory", places,
                       configs ? "what the configs found there hold instead is said above"
                               : "there is no boot config at any of them, and no Xen EFI "
                                 "loader");
            fail(in, r->dir, &e);
            free(places);
        }
        free(in->dirs[k].dir);
    }
    free(in->dirs);
}

int md_lint_inputs(md_lint *l, const char *const *paths, const md_lint_kind *kinds, size_t n,
                   md_err *err)
{
    inputs in = { .err = err, .l = l };
    for (size_t i = 0; i < n; i++)
        classify(&in, paths[i], kinds ? kinds[i] : MD_LINT_AUTO);

    follow_includes(&in);
    follow_chains(&in);
    follow_ipxe_chains(&in);
    follow_cfg_chains(&in);
    pair_configs(&in);
    add_by_name(&in);
    for (size_t i = 0; i < in.n; i++)
        if (in.v[i].kind == MD_LINT_GRUB && in.v[i].fmt == MD_BOOTFMT_GRUB_DEFAULT)
            defaults_place(&in.v[i]);
    size_t nroot = 0, ngiven_root = 0, ngiven_xen = 0, nfound_xen = 0;
    const md_tree *given_root = NULL;
    const char *given_label = NULL;
    for (size_t i = 0; i < in.n; i++) {
        input *x = &in.v[i];
        nroot += x->kind == MD_LINT_ROOTFS;
        if (x->kind == MD_LINT_ROOTFS && !x->found)
            ngiven_root++, given_root = x->tree, given_label = x->path;
        ngiven_xen += x->kind == MD_LINT_XEN && !x->found;
        nfound_xen += x->kind == MD_LINT_XEN && x->found;
        /* every hypervisor input is read once, rootfs or not: garbage
         * named xen.gz is an error, not a silent pass */
        md_err e = MD_ERR_INIT;
        if (x->kind == MD_LINT_XEN && md_xenver_hypervisor_file(x->path, &x->hv, &e) < 0)
            fail(&in, x->path, &e);
    }
    input **groups = defaults_groups(&in);
    for (size_t i = 0; i < in.n; i++) {
        input *x = &in.v[i];
        if (x->kind != MD_LINT_GRUB)
            continue;
        md_bootcfg_list cfg = { 0 };
        size_t ng = 1;
        input **grp = NULL;
        if (x->fmt == MD_BOOTFMT_GRUB_DEFAULT)
            grp = groups + x->group_at, ng = x->group_n;
        if (ng > 1) {
            /* /etc/default/grub with grub.d/NAME.cfg: one shell, as update-grub */
            if (grp[0] != x)
                continue; /* read with the first of its group */
            const char **names = md_xcalloc(ng, sizeof *names);
            const char **texts = md_xcalloc(ng, sizeof *texts);
            size_t *lens = md_xcalloc(ng, sizeof *lens);
            for (size_t k = 0; k < ng; k++) {
                names[k] = grp[k]->path, texts[k] = (char *)grp[k]->text, lens[k] = text_len(grp[k]);
                char *fmt = md_xasprintf("%s, sourced %zu of %zu as update-grub does",
                                         md_bootfmt_name(x->fmt), k + 1, ng);
                md_lint_input(l, grp[k]->path, fmt);
                free(fmt);
            }
            md_bootfmt_read_defaults(names, texts, lens, ng, grp[0]->defaults_rank == 0, &cfg);
            free(names);
            free(texts);
            free(lens);
        } else {
            md_strv others = { 0 };
            read_config_found(x, &cfg, &others);
            char *as = md_xasprintf("%s%s%s%s%s", md_bootfmt_name(x->fmt),
                                    x->chained_by ? ", " : "",
                                    x->chained_by ? x->chained_by : "",
                                    x->chain_to ? "; " : "", x->chain_to ? x->chain_to : "");
            md_lint_input(l, x->path, as);
            free(as);
            for (size_t k = 0; k < others.n; k++) {
                /* counted and named as read, as a followed chain= is */
                as = md_xasprintf("%s, run by a source or configfile line of %s",
                                  md_bootfmt_name(MD_BOOTFMT_GRUB2), x->path);
                md_lint_input(l, others.v[k], as);
                free(as);
            }
            md_strv_free(&others);
        }
        if (stray_xen_cfg(x))
            md_lint_add(l, x->path, 0, MD_LINT_WARNING, 0,
                        "no Xen EFI loader reads this xen.cfg: Xen's loader NAME.efi reads the "
                        "NAME.cfg beside it (dropping each '.', '-' or '_' part of NAME in turn: "
                        "xen-4.17-amd64.efi reads xen-4.17-amd64.cfg, xen-4.17.cfg, xen-4.cfg, "
                        "xen.cfg; efi_start() in xen/common/efi/boot.c) or the one a chainloader "
                        "names with -cfg=, and none here does, so nothing boots it and it is not "
                        "counted as this directory's Xen entry; its entries were checked as Xen "
                        "would read them; put Xen's EFI loader beside it under a name that reads "
                        "it, or remove it");
        for (size_t k = 0; k < cfg.n; k++)
            cfg.v[k]->format = (int)x->fmt; /* fixes in the config's own syntax */
        x->nentries = cfg.n;
        if (!cfg.n && x->in_group) {
            /* the entries may be in another file of its INCLUDE group */
            char *as = md_xstrdup(md_bootfmt_name(x->fmt));
            x->no_entry = md_lint_no_entry(&cfg, as);
            x->no_xen_plain = !cfg.unread && !cfg.include;
            free(as);
        } else if (!cfg.n && x->in_root && !x->nchains && !x->chain_to) {
            /* a root tree's own config may boot no Xen at all (a host
             * without it, or Xen not yet added): said, no input error.
             * One whose entry chainloads Xen's EFI loader was checked
             * through the xen.cfg followed (fresh trial, finding C: it was
             * also said "not checked", and a clean ESP "not all traps").
             * Said once all entries are known (say_no_xen) */
            x->no_xen = md_lint_no_entry(&cfg, md_bootfmt_name(x->fmt));
            x->no_xen_plain = !cfg.unread && !cfg.include;
        } else if (!cfg.n && !x->nchains && !(x->chain_section && cfg.nproblems) &&
                   !x->chain_to) {
            /* reported once, as each input's error (exit 2), not also as a
             * finding; a config whose entry chainloads Xen's EFI loader has
             * its Xen entry in the xen.cfg followed (or a "cannot check");
             * a xen.cfg booted as a chainloader line names a section of it
             * has none when that section cannot boot, which its problem
             * (an error on that line) says */
            char *as = md_xasprintf("%s%s", md_bootfmt_name(x->fmt),
                                    ng > 1 ? ", with the other GRUB defaults files given" : "");
            char *why = md_lint_no_entry(&cfg, as);
            for (size_t k = 0; k < ng; k++) {
                const char *p = grp ? grp[k]->path : x->path;
                md_err e = MD_ERR_INIT;
                md_err_set(&e, "%s: %s", p, why);
                fail(&in, p, &e);
            }
            free(why);
            free(as);
        }
        md_strv xens = { 0 }, roots = { 0 };
        md_lint_entry_files(&cfg, &xens, &roots);
        /* the rootfs given, else the one its entry loads (pair_configs
         * made it an input: the same rootfs is checked for every trap) */
        const md_tree *rootfs = ngiven_root == 1 ? given_root : NULL;
        char *own = !rootfs && roots.n == 1 ? loaded_path(x, roots.v[0], true) : NULL;
        long r = find_input(&in, own);
        if (r >= 0 && in.v[r].kind == MD_LINT_ROOTFS)
            rootfs = in.v[r].tree;
        if (!rootfs && !ngiven_root && !roots.n && nroot == 1)
            for (size_t j = 0; j < in.n; j++)
                if (in.v[j].kind == MD_LINT_ROOTFS)
                    rootfs = in.v[j].tree;
        const md_xen_version **hvs = entry_hypervisors(&in, i, &cfg);
        md_lint_entries_hv(l, x->path, &cfg, rootfs, hvs);
        free(hvs);
        check_arch(&in, i, &cfg);
        check_kernels(&in, i, &cfg, ngiven_root == 1 ? given_root : NULL, given_label);
        char *bad_root = NULL;
        if (!own && roots.n == 1)
            free(near_find(x->path, roots.v[0], &bad_root));
        if (cfg.n && !nroot && !rootfs && (own || bad_root))
            md_lint_not_checked(l, x->path, "traps 2, 3 and 5 and trap 1's getty on hvc0 (they "
                                "are in dom0's rootfs), and rdinit=: the rootfs %s that its "
                                "entry loads cannot be read (its error is above)",
                                own ? own : roots.v[0]);
        else if (cfg.n && !nroot && !rootfs)
            md_lint_not_checked(l, x->path, "traps 2, 3 and 5 and trap 1's getty on hvc0 (they "
                                "are in dom0's rootfs), and rdinit=: the rootfs%s%s%s was not "
                                "given%s; give it with --rootfs (and the hypervisor with --xen)",
                                roots.n == 1 ? " '" : "", roots.n == 1 ? roots.v[0] : "",
                                roots.n == 1 ? "'" : "",
                                roots.n == 1 && strchr(roots.v[0], '$')
                                    ? " and its path uses a variable lint cannot resolve (the "
                                      "loader's own, such as GRUB's $root or $prefix)"
                                : roots.n == 1 ? " and is not next to this file" : "");
        check_loaded_files(l, x, &cfg);
        md_bootcfg_list_free(&cfg);
        free(bad_root);
        free(own);
        md_strv_free(&xens);
        md_strv_free(&roots);
    }
    for (size_t i = 0; i < in.n; i++) {
        if (!in.v[i].no_entry)
            continue;
        size_t root = in.v[i].root, any = 0;
        for (size_t j = 0; j < in.n; j++)
            if (in.v[j].in_group && in.v[j].root == root)
                any += in.v[j].nentries;
        if (!any && in.v[root].in_root) {
            /* found at a loader's place: said; the directory's lack is the error */
            bool plain = true;
            for (size_t j = 0; j < in.n; j++)
                plain &= !(in.v[j].in_group && in.v[j].root == root) || in.v[j].no_xen_plain;
            char *why = md_xasprintf("%s (nor in the files it INCLUDEs)", in.v[i].no_entry);
            say_no_xen(&in, i, why, plain, true);
            free(why);
        } else if (!any) {
            md_err e = MD_ERR_INIT;
            md_err_set(&e, "%s: %s (nor in the files it INCLUDEs)", in.v[i].path, in.v[i].no_entry);
            fail(&in, in.v[i].path, &e);
        }
    }
    for (size_t i = 0; i < in.n; i++)
        if (in.v[i].no_xen)
            say_no_xen(&in, i, in.v[i].no_xen, in.v[i].no_xen_plain, false);
    check_dirs(&in);
    size_t nboot = 0, nrootfs = 0;
    for (size_t i = 0; i < in.n; i++) {
        nboot += in.v[i].kind == MD_LINT_GRUB;
        nrootfs += in.v[i].kind == MD_LINT_ROOTFS;
    }
    /* what an input alone cannot show is named, never a clean pass
     * (trial10g 7): a hypervisor holds trap 2's one half only */
    for (size_t i = 0; i < in.n; i++)
        if (in.v[i].kind == MD_LINT_XEN) {
            md_lint_input(l, in.v[i].path, "hypervisor image");
            if (!nboot && !nrootfs)
                md_lint_not_checked(l, in.v[i].path, "traps 1, 3 and 5 and trap 2's toolstack "
                                    "(they are in dom0's rootfs) and trap 4 (on the boot "
                                    "lines): only the hypervisor was given; give the rootfs "
                                    "and the boot config too");
        }
    for (size_t i = 0; i < in.n; i++)
        if (in.v[i].kind == MD_LINT_INITTAB && (md_lint_input(l, in.v[i].path, "inittab"), 1)) {
            md_lint_inittab(l, in.v[i].path, (char *)in.v[i].text, text_len(&in.v[i]), NULL);
            if (!nrootfs)
                md_lint_not_checked(l, in.v[i].path, "that the programs it runs are in the "
                                    "rootfs, traps 2, 3 and 5 (in the rootfs) and trap 4 and "
                                    "trap 1's console= (on the boot lines): only the inittab "
                                    "was checked (its getty on hvc0); lint the rootfs that "
                                    "holds it");
        }
    for (size_t i = 0; i < in.n; i++) {
        input *x = &in.v[i];
        if (x->kind != MD_LINT_ROOTFS)
            continue;
        char *what = x->loaded_by ? md_xasprintf("rootfs archive, the one %s loads", x->loaded_by)
                                  : md_xstrdup(md_is_file(x->path) ? "rootfs archive"
                                               : strstr(x->path, "(.ramdisk)")
                                                   ? "rootfs archive, the image's .ramdisk"
                                                   : "rootfs directory");
        md_lint_input(l, x->path, what);
        free(what);
        md_xen_version *hv = NULL;
        size_t nhv = 0;
        bool neighbours = false;
        for (size_t j = 0; j < in.n; j++) {
            /* rules 1-3: the hypervisors given; else those of the entries
             * that load this rootfs; else, for a rootfs given with boot
             * configs, the hypervisors those load */
            const input *y = &in.v[j];
            bool use = y->kind == MD_LINT_XEN && y->hv.found &&
                       (ngiven_xen ? !y->found
                        : x->hvs.n ? false
                                   : !x->found && y->found);
            for (size_t k = 0; !ngiven_xen && k < x->hvs.n; k++)
                use |= y->kind == MD_LINT_XEN && y->hv.found && j == (size_t)find_input(&in, x->hvs.v[k]);
            if (use) {
                hv = md_xrealloc(hv, (nhv + 1) * sizeof *hv);
                hv[nhv++] = y->hv;
            }
        }
        bool any_xen = ngiven_xen || x->hvs.n || (!x->found && nfound_xen);
        /* the entries that load it name a hypervisor that is not there:
         * none other stands in for it (trial10 item 1) */
        bool named_missing = !any_xen && x->hv_missing.n;
        if (!any_xen && !named_missing && !md_is_file(x->path)) {
            /* a root tree: the Xen images in its /boot, by content */
            tree_hypervisors(l, x->path, x->tree, &hv, &nhv);
            neighbours = true;
        } else if (!any_xen && !named_missing && md_is_file(x->path)) {
            /* rule 4: each xen*.gz next to it, every one checked and named
             * (trial10f case 14: which one boots is not known) */
            char *d = dir_of(x->path);
            char *pat = md_xasprintf("%s/%s", d, MD_IMGDIR_XEN_GLOB);
            glob_t gl = { 0 };
            if (glob(pat, 0, NULL, &gl) == 0) {
                for (size_t k = 0; k < gl.gl_pathc; k++) {
                    const char *xp = gl.gl_pathv[k];
                    md_xen_version v;
                    md_err e = MD_ERR_INIT;
                    if (!md_is_file(xp))
                        continue;
                    if (md_xenver_hypervisor_file(xp, &v, &e) < 0) {
                        /* one we only found lying around is a guess that did not work */
                        md_lint_add(l, xp, 0, MD_LINT_WARNING, 2,
                                    "found next to %s but not usable as the hypervisor (%s); "
                                    "trap 2 is not checked against it: name the hypervisor "
                                    "with --xen", x->path, strip_path(e.msg, xp));
                        continue;
                    }
                    hv = md_xrealloc(hv, (nhv + 1) * sizeof *hv);
                    hv[nhv++] = v;
                }
            }
            globfree(&gl);
            free(pat);
            free(d);
            neighbours = true;
        }
        if (neighbours && nhv > 1) {
            md_strv names = { 0 };
            for (size_t k = 0; k < nhv; k++)
                md_strv_pushf(&names, "%s (Xen %s)", hv[k].path, hv[k].version);
            char *list = md_strv_join(&names, ", ");
            md_lint_add(l, x->path, 0, MD_LINT_NOTE, 2,
                        "%zu hypervisors %s: %s; which one boots it is not known, "
                        "so trap 2 is checked against each; name the one that boots with --xen",
                        nhv, md_is_file(x->path) ? "lie next to it" : "are in its /boot", list);
            free(list);
            md_strv_free(&names);
        }
        md_lint_unpack_notes(l, x->path, &x->notes);
        md_lint_rootfs(l, x->path, x->tree, hv, nhv, false);
        char *missing = named_missing ? md_strv_join(&x->hv_missing, ", ") : NULL;
        char *gone = missing ? md_xasprintf("the hypervisor%s %s that %s %s not there",
                                            x->hv_missing.n > 1 ? "s" : "", missing,
                                            x->hv_missing.n > 1 ? "its entries load" : "its entry loads",
                                            x->hv_missing.n > 1 ? "are" : "is")
                             : NULL;
        if (!nhv)
            md_lint_not_checked(l, x->path, "trap 2 (the toolstack's Xen release against the "
                                "hypervisor's): %s; give it with --xen xen.gz",
                                gone    ? gone
                                : any_xen ? "the hypervisor could not be read (its error is above)"
                                          : "no hypervisor was given or found next to it");
        free(gone);
        free(missing);
        if (!nboot)
            md_lint_not_checked(l, x->path, "trap 4 and trap 1's console= (they are on the boot "
                                "lines): no boot config was given; give it too");
        free(hv);
    }
    free(groups);
    md_hindex_free(&in.reals);
    for (size_t i = 0; i < in.n; i++) {
        free(in.v[i].path);
        free(in.v[i].real);
        free(in.v[i].defaults_dir);
        free(in.v[i].loaded_by);
        md_strv_free(&in.v[i].hvs);
        md_strv_free(&in.v[i].hv_missing);
        free(in.v[i].no_entry);
        free(in.v[i].no_xen);
        free(in.v[i].chained_by);
        free(in.v[i].chain_to);
        free(in.v[i].chain_loop);
        free(in.v[i].chain_efi);
        free(in.v[i].chain_section);
        free(in.v[i].chain_name);
        free(in.v[i].chain_file);
        free(in.v[i].unified);
        md_strv_free(&in.v[i].chain_xen);
        free(in.v[i].text);
        md_tree_free(in.v[i].tree);
        md_unpack_notes_free(&in.v[i].notes);
    }
    free(in.v);
    return in.rc;
}
