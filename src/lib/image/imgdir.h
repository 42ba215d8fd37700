/* imgdir — the image directory: what `mkdom0 build -o DIR` writes and
 * `mkdom0 boot`, `lint` and `inspect` read.  Prefix md_imgdir_.
 *
 * DIR holds, side by side: xen.gz, vmlinuz, rootfs.cpio<codec suffix>,
 * grub.cfg (the GRUB entry, which names the other three by their plain
 * names), manifest, image.ini and size-report.txt.  This module owns those
 * names, the image.ini format, how a new output replaces an old one, and
 * where the ssh keys its images are built with are kept by default.
 *
 * Writing: md_imgdir_stage_new() locks DIR's output, makes a fresh staging
 * directory beside DIR and hands out the paths to write each file at;
 * md_imgdir_publish() swaps it in for DIR in one rename, and
 * md_imgdir_stage_free() removes whatever is left, so a failed or killed
 * build leaves the previous output whole.  Callers only write at the paths
 * the stage hands out, so how the staging directory is made, locked and
 * published is this module's alone.
 *
 * Reading: md_imgdir_open() opens an existing directory; image.ini is read
 * when asked for (directories made by hand have none, and boot and lint
 * work on them).
 *
 * Ownership: md_imgdir and md_imgdir_stage are opaque; the caller frees them
 * with md_imgdir_free() and md_imgdir_stage_free().  Strings they return are
 * theirs unless a comment says "caller frees".
 */
#ifndef MD_IMAGE_IMGDIR_H
#define MD_IMAGE_IMGDIR_H

#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"
#include "image/image.h"

/* The files of an image directory, in the order a build publishes them. */
typedef enum md_imgdir_file {
    MD_IMGDIR_XEN,         /* xen.gz: the hypervisor as Debian ships it */
    MD_IMGDIR_KERNEL,      /* vmlinuz */
    MD_IMGDIR_GRUB_CFG,    /* grub.cfg */
    MD_IMGDIR_MANIFEST,    /* manifest: every package, version, repository, SHA-256 */
    MD_IMGDIR_INI,         /* image.ini */
    MD_IMGDIR_SIZE_REPORT, /* size-report.txt */
    MD_IMGDIR_ROOTFS,      /* rootfs.cpio + the codec's suffix */
    MD_IMGDIR_NFILES,      /* the files of every build */
    /* Boot media, only in outputs of builds asked for them ([Boot] Media=,
     * --media; boot/bootmedia.h makes them): */
    MD_IMGDIR_ISO = MD_IMGDIR_NFILES, /* boot.iso: hybrid BIOS/UEFI ISO */
    MD_IMGDIR_DISK,        /* disk.img: raw GPT disk, BIOS boot partition + ESP */
    MD_IMGDIR_NETBOOT,     /* netboot: a directory, the PXE tree (a TFTP root) */
    MD_IMGDIR_EFI,         /* efi: a directory for an ESP: xen.efi, xen.cfg and the files */
    MD_IMGDIR_UNIFIED,     /* xen-unified.efi: xen.efi with xen.cfg, kernel and rootfs inside */
    MD_IMGDIR_HOSTS,       /* hosts: a directory, per [Host NAME] hosts/NAME/boot.iso and
                              hosts/NAME/disk.img (the media the build makes, with the
                              host's rootfs) */
    MD_IMGDIR_NALL
} md_imgdir_file;

/* Is `f` a directory (NETBOOT, EFI, HOSTS) rather than a file? */
bool md_imgdir_is_dir(md_imgdir_file f);
/* The file's name in DIR ("xen.gz"); for MD_IMGDIR_ROOTFS the name of the
 * default codec, gzip ("rootfs.cpio.gz"). */
const char *md_imgdir_name(md_imgdir_file f);
/* "rootfs.cpio" + md_codec_suffix(codec).  Caller frees. */
char *md_imgdir_rootfs_name(md_codec codec);
/* The names a hypervisor goes by in a directory someone else made: ours
 * (xen.gz) and Debian's /boot (xen-4.17-amd64.gz).  An fnmatch(3) pattern. */
#define MD_IMGDIR_XEN_GLOB "xen*.gz"
/* The most a hypervisor file may uncompress to, in bytes: a Xen ELF is a
 * few MB; more is a decompression bomb. */
#define MD_IMGDIR_XEN_MAX ((size_t)256 << 20)

/* image.ini's [Host NAME]: a host of the netboot tree (the spec's [Host
 * NAME]), for `mkdom0 boot --host`. */
typedef struct md_imgdir_host {
    const char *name;
    const char *mac;       /* MAC: "52:54:00:12:34:56" */
    const char *hostname;  /* Hostname */
    const char *address;   /* Address: "A.B.C.D/N", "" for DHCP */
    const char *host_key;  /* HostKey: its ed25519 host key, an OpenSSH public key line */
} md_imgdir_host;

/* image.ini: what the build knew about the image.  Sections [Image]
 * (Name .. Modules), [SSH] (KeysDir, ClientKey) and one [Host NAME] per host. */
typedef struct md_imgdir_info {
    const char *name;          /* Name: the spec's [Image] Name */
    const char *spec;          /* Spec: where the spec came from (path or "default") */
    const char *xen;           /* Xen: hypervisor release ("4.17.5"), "" if unknown */
    const char *toolstack;     /* Toolstack: libxenctrl's release, "" if unknown */
    const char *kernel;        /* Kernel: the modules' kernel release */
    long long source_date_epoch; /* SourceDateEpoch: seconds since 1970 */
    const char *rootfs;        /* Rootfs: the rootfs file's name in DIR */
    const char *rootfs_sha256; /* RootfsSHA256: 64 hex digits */
    size_t modules;            /* Modules: kernel modules in the image */
    const char *keys_dir;      /* KeysDir: the ssh keys directory */
    const char *client_key;    /* ClientKey: root's login key for boot checks */
    const md_imgdir_host *hosts; /* [Host NAME] in file order; NULL when none (fields
                                    "" when not given) */
    size_t nhosts;
} md_imgdir_info;

/* ---- reading ---- */

typedef struct md_imgdir md_imgdir;

/* Open the image directory `dir`.  Error "DIR: not an image directory"
 * (with the system's reason) when it is not a directory.  Nothing else is
 * read yet. */
md_imgdir *md_imgdir_open(const char *dir, md_err *err);
void md_imgdir_free(md_imgdir *d);

/* DIR/NAME, whether or not it exists.  Caller frees. */
char *md_imgdir_path(const md_imgdir *d, md_imgdir_file f);

/* Read one of the image's files whole (md_read_file: caller frees *data).
 * Error "DIR/NAME: reason (is DIR an image directory from mkdom0 build?)". */
int md_imgdir_read(const md_imgdir *d, md_imgdir_file f, unsigned char **data, size_t *len,
                   md_err *err);

/* The image's file for a path that its grub.cfg loads ("/vmlinuz",
 * "(hd0,1)/x/vmlinuz"): the same base name in DIR, as an absolute path
 * (QEMU and its tools may run elsewhere).  Error when it is not readable,
 * naming the file and the grub.cfg line's path.  Caller frees. */
char *md_imgdir_loaded_file(const md_imgdir *d, const char *grub_path, md_err *err);

/* The boot files found in a directory that may also be a copy of a host's
 * /boot, for lint: MD_IMGDIR_GRUB_CFG is DIR/grub.cfg, else
 * DIR/boot/grub/grub.cfg; MD_IMGDIR_ROOTFS the first rootfs.cpio*, else
 * the first *.cpio*; MD_IMGDIR_XEN the first xen*.gz; the others DIR/NAME.
 * Regular files only, the first in name order; NULL when there is none.
 * Caller frees. */
char *md_imgdir_find(const md_imgdir *d, md_imgdir_file f);

/* The most bytes of image.ini mkdom0 reads (man mkdom0, LIMITS): its lines
 * are at most 198 bytes, a [Host NAME] some 300 bytes in all, so 16 MiB is
 * some 50,000 hosts.  The build refuses to write a larger one. */
#define MD_IMGDIR_INI_MAX ((size_t)16 << 20)

/* image.ini, read on the first call with inih, in time linear in its size.
 * NULL with an error naming DIR/image.ini (and the line) when it is
 * missing, malformed or larger than MD_IMGDIR_INI_MAX. */
const md_imgdir_info *md_imgdir_ini(md_imgdir *d, md_err *err);

/* Host `name` of image.ini (its strings belong to `d`).  Error naming the
 * hosts image.ini has when it has no such host. */
int md_imgdir_find_host(md_imgdir *d, const char *name, md_imgdir_host *out, md_err *err);

/* The image is whole: image.ini reads (md_imgdir_ini) and the rootfs file
 * it names is in DIR with the SHA-256 it records.  Error naming the file
 * and what is wrong: a missing rootfs, another digest (the file was
 * changed or cut short after the build). */
int md_imgdir_verify(md_imgdir *d, md_err *err);

/* The ssh keys directory of builds and boot checks (host keys, the
 * client key, hosts/NAME/): `given` (--keys, else the spec's KeysDir) when
 * not NULL, else the user's: $XDG_STATE_HOME/mkdom0/keys (an absolute
 * $XDG_STATE_HOME only, as the XDG Base Directory spec says), else
 * ~/.local/state/mkdom0/keys (md_home_dir: $HOME, else /tmp).  Caller
 * frees. */
char *md_imgdir_keys_dir(const char *given);

/* Root's private ssh key for checking the image in `dir`: image.ini's
 * ClientKey, else DIR/ssh/id_ed25519, else md_imgdir_keys_dir(NULL)/
 * id_ed25519; the first that is readable, or NULL.  `dir` need not exist.
 * Caller frees. */
char *md_imgdir_client_key(const char *dir);

/* ---- writing ---- */

typedef struct md_imgdir_stage md_imgdir_stage;

/* Start a new output for `outdir`, which is replaced as a whole when it is
 * published: the previous output stays complete and usable after any
 * failure, SIGKILL included.  Made: `outdir`'s parent (with its parents) if
 * missing; PARENT/.NAME.mkdom0-lock, held until md_imgdir_stage_free (a
 * second build into the same output is refused while it is held); a fresh
 * staging directory PARENT/.NAME.mkdom0-staging-XXXXXX (mkdtemp(3), never an
 * existing path).  Staging directories of killed builds are removed first.
 * Errors: `outdir` is not a directory; it, or a directory above it, is
 * another user's or others may write it (md_file_check_trusted; above it,
 * sticky ones may be others'-writable); another build holds the lock;
 * `outdir` holds a file mkdom0 build does not write (unless
 * `replace_foreign`: then it goes with the old output).  The rootfs is the
 * one of `codec`.  Caller frees with md_imgdir_stage_free. */
md_imgdir_stage *md_imgdir_stage_new(const char *outdir, md_codec codec, bool replace_foreign,
                                     md_err *err);

/* Is `path` (existing or not) inside the output directory, which
 * publishing replaces as a whole?  A keys directory there would be lost. */
bool md_imgdir_stage_holds(const md_imgdir_stage *s, const char *path);

/* Make boot medium `f` (MD_IMGDIR_ISO .. UNIFIED) part of this output:
 * md_imgdir_publish then requires it (a file; NETBOOT and EFI directories). */
void md_imgdir_stage_add(md_imgdir_stage *s, md_imgdir_file f);

/* Where to write file `f` of the new output (for NETBOOT: the directory
 * to make).  Valid until the stage is freed. */
const char *md_imgdir_stage_path(const md_imgdir_stage *s, md_imgdir_file f);

/* Write `len` bytes as file `f` (mode 0644, atomically). */
int md_imgdir_stage_write(md_imgdir_stage *s, md_imgdir_file f, const void *data, size_t len,
                          md_err *err);

/* Write image.ini from `info`.  Rootfs and RootfsSHA256 describe the
 * staged rootfs, which must be written first; ClientKey is KeysDir's
 * id_ed25519.  info->rootfs, rootfs_sha256 and client_key are not read.
 * -1 with err, writing nothing, when a value holds a control character (a
 * newline would add keys or sections of its own) or the file would be
 * larger than MD_IMGDIR_INI_MAX (so many hosts that boot and inspect would
 * refuse it). */
int md_imgdir_stage_write_ini(md_imgdir_stage *s, const md_imgdir_info *info, md_err *err);

/* Swap the staging directory in as OUTDIR in one step (rename(2)'s
 * RENAME_EXCHANGE; RENAME_NOREPLACE for a new OUTDIR), then remove the
 * previous output.  Every file must have been written.  The swap is made in
 * the parent directory md_imgdir_stage_new opened (renameat2 on its fd),
 * and only the staging directory it made is published: one that was
 * replaced under the build (files written by path then land elsewhere) is
 * refused, and the files are looked for in the one made.  Refused (OUTDIR
 * left as it was; the caller's md_imgdir_stage_free removes the new
 * output) when OUTDIR now fails md_imgdir_stage_new's checks: it holds a
 * file mkdom0 build did not write (unless `replace_foreign`), or another
 * user owns or may write it.  OUTDIR keeps its
 * mode, less group and others' write (a new OUTDIR: 0777 less the umask
 * and those bits).  Fails (and OUTDIR stays as it was) when OUTDIR is a mount point
 * or its filesystem cannot swap directories (NFS, some FUSE). */
int md_imgdir_publish(md_imgdir_stage *s, md_err *err);

/* Remove the staging directory (after a failure: the unfinished output;
 * after md_imgdir_publish: the previous one, if still there) and release
 * the lock.  NULL is fine. */
void md_imgdir_stage_free(md_imgdir_stage *s);

#endif
