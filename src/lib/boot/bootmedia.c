#include "boot/bootmedia.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "boot/bootfmt.h"
#include "boot/grubcfg.h"
#include "core/decomp.h"
#include "core/elf.h"
#include "core/run.h"
#include "core/mem.h"
#include "core/file.h"
#include "image/image.h"
#include "image/tree.h"

#define GRUB_PC_DIR "/usr/lib/grub/i386-pc"
#define GRUB_EFI_DIR "/usr/lib/grub/x86_64-efi"
#define ESP_TYPE "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
#define BIOS_BOOT_TYPE "21686148-6E69-6F6E-744E-656564454649"
#define MIB (1024ULL * 1024ULL)

/* The name a file gets on the medium: the entry's path without the "/". */
static int medium_name(const char *what, const char *path, const char **name, md_err *err)
{
    if (!path || path[0] != '/' || !path[1] || strchr(path + 1, '/') ||
        strpbrk(path + 1, " \t:"))
        return md_err_set(err, "boot media: the %s path '%s' must be a plain name at the "
                               "root of the medium (e.g. /xen.gz)", what, path ? path : "");
    *name = path + 1;
    return 0;
}

static int names(const md_bootcfg_entry *e, const char *n[3], md_err *err)
{
    if (medium_name("Xen", e->xen.path, &n[0], err) < 0 ||
        medium_name("kernel", e->kernel.path, &n[1], err) < 0 ||
        medium_name("rootfs", e->nmods ? e->mods[0].path : NULL, &n[2], err) < 0)
        return -1;
    return 0;
}

/* Both media boot the same entry, written by the build's grub.cfg writer. */
static int write_grub_cfg(const md_bootcfg_entry *e, const char *path, md_err *err)
{
    char *cfg = md_grubcfg_write(e);
    int rc = md_write_atomic(path, cfg, strlen(cfg), 0644, err);
    free(cfg);
    return rc;
}

/* A medium is built at `tmp` and only a finished one (rc 0) replaces
 * `out`; an unfinished one goes, the error saying which `what` it was. */
static int finish(int rc, const char *tmp, const char *out, const char *what, md_err *err)
{
    int fd = rc < 0 ? -1 : open(tmp, O_RDONLY | O_CLOEXEC);
    if (rc == 0 && fd < 0)
        md_err_errno(err, "%s: cannot open", tmp);
    if (fd >= 0 && md_file_commit(fd, tmp, out, 0644, err) == 0)
        return 0;
    md_err_prefix(err, "making the %s %s", what, out);
    unlink(tmp);
    return -1;
}

/* How every tool here is handed paths (trial 9c case 2): the output's and
 * TMPDIR's names are the user's bytes, and tools read meaning into bytes of
 * a path: mtools splits an image name at its first "@@" (an offset) and
 * takes "NAME:" before any '/' as a drive letter; xorriso's -graft-points
 * splits a pathspec at '='; getopt takes a leading '-' as an option.  So a
 * tool runs with its working directory set to where its files are
 * (md_run_opts.cwd) and gets fixed relative names mkdom0 chose ("./efi.img",
 * "./iso-root"), or an absolute path (it starts with '/', so no drive letter
 * and no option) where only plain open() reads it: mcopy's Unix-side source
 * files, grub-mkimage's -d, xorriso's -o (its mkisofs emulation makes
 * "stdio:PATH" of it; only "-" is special there). */

/* The directory part of `path` (malloc'd; "." for a bare name) and its
 * last component in *base (borrowed from path). */
static char *split_dir(const char *path, const char **base)
{
    const char *sl = strrchr(path, '/');
    *base = sl ? sl + 1 : path;
    if (!sl)
        return md_xstrdup(".");
    if (sl == path)
        return md_xstrdup("/");
    return md_xasprintf("%.*s", (int)(sl - path), path);
}

/* What both GRUBs need for mkdom0's grub.cfg (serial console, multiboot2,
 * gzip'd Xen) and to find their config; embedded, so a medium needs no
 * module directory. */
#define GRUB_MODS "normal", "configfile", "multiboot2", "gzio", "serial", "terminal", "echo", \
                  "test", "search", "search_fs_uuid", "part_gpt", "part_msdos", "fat", "iso9660"

/* SOURCE_DATE_EPOCH=N for the tools that stamp what they make: mtools
 * dates every file it copies (without -m) and xorriso its volume with it. */
struct epoch_env {
    char var[48];
    const char *env[2];
};

static void epoch_env(struct epoch_env *ee, int64_t epoch)
{
    snprintf(ee->var, sizeof ee->var, "SOURCE_DATE_EPOCH=%lld", (long long)epoch);
    ee->env[0] = ee->var;
    ee->env[1] = NULL;
}

/* The FAT serial number of a medium: from the epoch, so two images of
 * different builds differ, the same build repeats. */
static uint32_t fat_serial(int64_t epoch)
{
    return (uint32_t)((uint64_t)epoch ^ 0x6d4b6d30u);
}

/* Early config of a GRUB core: find the file system with `uuid` and read
 * DIR/grub.cfg there. */
static int early_cfg(const char *path, const char *uuid, const char *dir, md_err *err)
{
    char *t = md_xasprintf("search --no-floppy --fs-uuid --set=root %s\nset prefix=($root)%s\n",
                           uuid, dir);
    int rc = md_write_atomic(path, t, strlen(t), 0644, err);
    free(t);
    return rc;
}

/* grub-mkimage FORMAT from DIR with the early config `cfg` (NULL: none,
 * for El Torito's image, which reads the CD it booted from) and GRUB_MODS
 * plus `extra` (may be NULL): x86_64-efi needs efi_gop, or GRUB's
 * multiboot2 stops at "no suitable video mode found".  `cfg` and `out` are
 * names relative to `cwd` ("./x", never a leading '-'). */
static int grub_image(const char *format, const char *dir, const char *cwd, const char *cfg,
                      const char *extra, const char *out, md_err *err)
{
    const char *argv[] = { "grub-mkimage", "-O", format, "-d", dir, "-p", "/boot/grub",
                           "-c", cfg, "-o", out, GRUB_MODS, extra, NULL };
    if (!cfg) /* the same words without "-c cfg" */
        memmove(&argv[7], &argv[9], sizeof argv - 9 * sizeof *argv);
    md_run_opts o = { .timeout_s = 120, .cwd = cwd };
    int rc = md_run_ok_opts(argv, &o, err);
    if (rc < 0)
        md_err_prefix(err, "grub-mkimage -O %s", format);
    return rc;
}

static int need_grub(bool pc, bool efi, md_err *err)
{
    if (md_run_find_tool("grub-mkimage", "grub-common", NULL, err) < 0)
        return -1;
    if (pc && access(GRUB_PC_DIR "/boot_hybrid.img", R_OK) < 0)
        return md_err_set(err, "%s missing: install grub-pc-bin (GRUB for BIOS)", GRUB_PC_DIR);
    if (efi && access(GRUB_EFI_DIR "/multiboot2.mod", R_OK) < 0)
        return md_err_set(err, "%s missing: install grub-efi-amd64-bin (GRUB for UEFI)",
                          GRUB_EFI_DIR);
    return 0;
}

/* A FAT file system image of `sectors` 512-byte sectors at `img` (mtools
 * syntax: "./FILE" or "./FILE@@OFFSET", relative to `cwd`, a name mkdom0
 * chose), holding \EFI\BOOT\BOOTX64.EFI from the absolute path `efi`. */
static int make_fat(const char *cwd, const char *img, unsigned long long sectors, bool fat32,
                    uint32_t serial, const char *label, const char *efi,
                    const char *const *env, md_err *err)
{
    md_run_opts o = { .timeout_s = 60, .env = env, .cwd = cwd };
    char *tsec = md_xasprintf("%llu", sectors), *ser = md_xasprintf("%08x", serial);
    const char *mf32[] = { "mformat", "-i", img, "-F", "-T", tsec, "-h", "64", "-s", "32",
                           "-N", ser, "-v", label, "::", NULL };
    const char *mf[] = { "mformat", "-i", img, "-T", tsec, "-h", "64", "-s", "32",
                         "-N", ser, "-v", label, "::", NULL };
    int rc = md_run_ok_opts(fat32 ? mf32 : mf, &o, err);
    free(tsec);
    free(ser);
    const char *md[] = { "mmd", "-i", img, "::/EFI", "::/EFI/BOOT", NULL };
    const char *c1[] = { "mcopy", "-i", img, efi, "::/EFI/BOOT/BOOTX64.EFI", NULL };
    if (rc == 0)
        rc = md_run_ok_opts(md, &o, err);
    if (rc == 0)
        rc = md_run_ok_opts(c1, &o, err);
    return rc;
}

int md_bootmedia_iso(const md_bootcfg_entry *e, const md_bootmedia_files *f,
                     const char *out, const char *workdir, md_err *err)
{
    const char *n[3];
    if (names(e, n, err) < 0)
        return -1;
    if (need_grub(true, true, err) < 0 || md_run_find_tool("xorriso", "xorriso", NULL, err) < 0 ||
        md_run_find_tool("mformat", "mtools", NULL, err) < 0)
        return -1;
    struct epoch_env ee;
    epoch_env(&ee, f->epoch);
    /* The ISO 9660 UUID GRUB reads is the volume's modification date,
     * "YYYY-MM-DD-hh-mm-ss-cc" (what grub-mkrescue searches for too). */
    time_t t = (time_t)f->epoch;
    struct tm tm;
    gmtime_r(&t, &tm);
    char date[32], uuid[32], epoch_s[32];
    strftime(date, sizeof date, "%Y%m%d%H%M%S00", &tm);
    strftime(uuid, sizeof uuid, "%Y-%m-%d-%H-%M-%S-00", &tm);
    snprintf(epoch_s, sizeof epoch_s, "=%lld", (long long)f->epoch);
    char *stage = md_xasprintf("%s/iso-root", workdir);
    char *pcdir = md_xasprintf("%s/boot/grub/i386-pc", stage);
    char *cfgpath = md_xasprintf("%s/boot/grub/grub.cfg", stage);
    char *early = md_xasprintf("%s/iso-early.cfg", workdir);
    char *efi = md_xasprintf("%s/iso-BOOTX64.EFI", workdir);
    char *efiimg = md_xasprintf("%s/efi.img", stage);
    char *tmp = md_xasprintf("%s.tmp.%d", out, (int)getpid());
    char *abstmp = md_path_abs(tmp), *abswork = md_path_abs(workdir), *absefi = md_path_abs(efi);
    const char *src[3] = { f->xen, f->kernel, f->rootfs };
    int rc = -1;
    if (md_mkdir_p(pcdir, 0755, err) < 0)
        goto out;
    for (int i = 0; i < 3; i++) {
        char *dst = md_xasprintf("%s/%s", stage, n[i]);
        unlink(dst);
        /* A copy, not a link: xorriso records hard links in the ISO's Rock
         * Ridge entries, which would make the bytes depend on the host. */
        int r = md_copy_contents(src[i], dst, err);
        free(dst);
        if (r < 0)
            goto out;
    }
    if (write_grub_cfg(e, cfgpath, err) < 0 || early_cfg(early, uuid, "/boot/grub", err) < 0)
        goto out;
    /* BIOS: El Torito's no-emulation image reads the CD (or, booted through
     * the hybrid MBR, the stick) as its root, where /boot/grub is. */
    if (grub_image("i386-pc-eltorito", GRUB_PC_DIR, abswork, NULL, "biosdisk",
                   "./iso-root/boot/grub/i386-pc/eltorito.img", err) < 0 ||
        grub_image("x86_64-efi", GRUB_EFI_DIR, abswork, "./iso-early.cfg", "efi_gop",
                   "./iso-BOOTX64.EFI", err) < 0)
        goto out;
    /* The EFI image: a small FAT (FAT12/16) with BOOTX64.EFI, room to spare. */
    uint64_t efisize;
    if (md_file_size(efi, &efisize, err) < 0)
        goto out;
    unsigned long long sectors = (efisize + 256 * 1024) / 512;
    if (sectors < 2880)
        sectors = 2880;
    unlink(efiimg);
    if (md_file_blank(efiimg, sectors * 512, err) < 0)
        goto out;
    char *absstage = md_path_abs(stage);
    int mf = make_fat(absstage, "./efi.img", sectors, false, fat_serial(f->epoch), "MKDOM0-EFI",
                      absefi, ee.env, err);
    free(absstage);
    if (mf < 0)
        goto out;
    char *moddate = md_xasprintf("--modification-date=%s", date);
    const char *xo[] = { "xorriso", "-as", "mkisofs", "-graft-points", moddate,
                         "--set_all_file_dates", epoch_s, "-V", "MKDOM0",
                         "-b", "boot/grub/i386-pc/eltorito.img", "-no-emul-boot",
                         "-boot-load-size", "4", "-boot-info-table", "--grub2-boot-info",
                         "--grub2-mbr", GRUB_PC_DIR "/boot_hybrid.img",
                         "--efi-boot", "efi.img", "-efi-boot-part", "--efi-boot-image",
                         "--protective-msdos-label", "-o", abstmp, "-r", "./iso-root", NULL };
    md_run_opts xoo = { .timeout_s = 300, .env = ee.env, .cwd = abswork };
    int x = md_run_ok_opts(xo, &xoo, err);
    free(moddate);
    if (x < 0)
        goto out;
    rc = 0;
out:
    rc = finish(rc, tmp, out, "ISO", err);
    free(stage);
    free(pcdir);
    free(cfgpath);
    free(early);
    free(efi);
    free(efiimg);
    free(tmp);
    free(abstmp);
    free(abswork);
    free(absefi);
    return rc;
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* Write `len` bytes at byte `off` of the open image. */
static int pwrite_all(int fd, const void *data, size_t len, off_t off, const char *path,
                      md_err *err)
{
    const unsigned char *p = data;
    while (len) {
        ssize_t w = pwrite(fd, p, len, off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return md_err_errno(err, "%s: write error", path);
        p += w;
        len -= (size_t)w;
        off += w;
    }
    return 0;
}

#define BIOS_PART_LBA 2048ULL
#define BIOS_PART_SECTORS 2048ULL /* 1 MiB: GRUB's core.img is ~200 KiB */
#define ESP_LBA (BIOS_PART_LBA + BIOS_PART_SECTORS)
_Static_assert(ESP_LBA * 512 == MD_BOOTMEDIA_DISK_ESP_OFFSET, "bootmedia.h's ESP offset");

/* GRUB i386-pc on the disk as grub-bios-setup installs it into a BIOS boot
 * partition (util/setup.c): core.img at BIOS_PART_LBA, the rest of it
 * named by the blocklist in its first sector (diskboot.img: start LBA u64,
 * sector count u16, the load segment kept), boot.img's code in the MBR in
 * front of the partition table sfdisk wrote, pointing at core. */
static int install_bios_grub(const char *disk, const char *core, md_err *err)
{
    unsigned char *img = NULL, *boot = NULL;
    size_t len = 0, blen = 0;
    int rc = -1, fd = -1;
    if (md_read_file(core, &img, &len, err) < 0 ||
        md_read_file(GRUB_PC_DIR "/boot.img", &boot, &blen, err) < 0)
        goto out;
    size_t nsec = (len + 511) / 512;
    if (blen != 512 || len < 512 || nsec > BIOS_PART_SECTORS) {
        md_err_set(err, "GRUB's boot.img (%zu bytes) or core.img (%zu bytes) does not fit the "
                        "BIOS boot partition", blen, len);
        goto out;
    }
    img = md_xrealloc(img, nsec * 512);
    memset(img + len, 0, nsec * 512 - len);
    put_le(img + 512 - 12, BIOS_PART_LBA + 1, 8);   /* blocklist start */
    put_le(img + 512 - 4, nsec - 1, 2);             /* blocklist length */
    if ((fd = open(disk, O_RDWR | O_CLOEXEC)) < 0) {
        md_err_errno(err, "%s", disk);
        goto out;
    }
    unsigned char mbr[512];
    if (pread(fd, mbr, sizeof mbr, 0) != (ssize_t)sizeof mbr) {
        md_err_errno(err, "%s: cannot read the MBR", disk);
        goto out;
    }
    memcpy(mbr, boot, 0x1b8);                        /* code, up to the disk signature */
    put_le(mbr + 0x5c, BIOS_PART_LBA, 8);            /* GRUB_BOOT_MACHINE_KERNEL_SECTOR */
    mbr[0x64] = 0xff;                                /* GRUB_BOOT_MACHINE_BOOT_DRIVE: BIOS's */
    mbr[0x66] = 0x90;                                /* GRUB_BOOT_MACHINE_DRIVE_CHECK: a disk */
    mbr[0x67] = 0x90;
    if (pwrite_all(fd, img, nsec * 512, (off_t)(BIOS_PART_LBA * 512), disk, err) < 0 ||
        pwrite_all(fd, mbr, sizeof mbr, 0, disk, err) < 0)
        goto out;
    rc = 0;
out:
    if (fd >= 0 && close(fd) < 0 && rc == 0)
        rc = md_err_errno(err, "%s", disk);
    free(img);
    free(boot);
    return rc;
}

int md_bootmedia_disk(const md_bootcfg_entry *e, const md_bootmedia_files *f,
                      const char *out, const char *workdir, md_err *err)
{
    const char *n[3];
    if (names(e, n, err) < 0)
        return -1;
    char *sfdisk = NULL; /* Debian's is in /usr/sbin, which PATH may lack */
    if (need_grub(true, true, err) < 0 || md_run_find_tool("sfdisk", "fdisk", &sfdisk, err) < 0 ||
        md_run_find_tool("mformat", "mtools", NULL, err) < 0 ||
        md_run_find_tool("mcopy", "mtools", NULL, err) < 0) {
        free(sfdisk);
        return -1;
    }
    const char *src[3] = { f->xen, f->kernel, f->rootfs };
    unsigned long long total = 0;
    for (int i = 0; i < 3; i++) {
        uint64_t size;
        if (md_file_size(src[i], &size, err) < 0) {
            free(sfdisk);
            return -1;
        }
        total += size;
    }
    struct epoch_env ee;
    epoch_env(&ee, f->epoch);
    /* Room for GRUB (~1 MiB), FAT tables and slack; at least 64 MiB so the
     * FAT32 has the cluster count the format requires. */
    unsigned long long esp_mib = (total + total / 8) / MIB + 16;
    if (esp_mib < 64)
        esp_mib = 64;
    unsigned long long esp_sectors = esp_mib * MIB / 512;
    /* 1 MiB before the partitions (primary GPT), the BIOS boot partition,
     * the ESP, 1 MiB after (backup GPT). */
    unsigned long long disk_bytes = (esp_mib + 3) * MIB;
    uint32_t serial = fat_serial(f->epoch);
    char uuid[16];
    snprintf(uuid, sizeof uuid, "%04X-%04X", serial >> 16, serial & 0xffff);

    char *efi = md_xasprintf("%s/BOOTX64.EFI", workdir);
    char *core = md_xasprintf("%s/core.img", workdir);
    char *early = md_xasprintf("%s/disk-early.cfg", workdir);
    char *cfgpath = md_xasprintf("%s/grub.cfg", workdir);
    char *sfd = md_xasprintf("%s/gpt.sfdisk", workdir);
    char *tmp = md_xasprintf("%s.tmp.%d", out, (int)getpid());
    /* mtools and sfdisk run in the output's directory and get the image by
     * its base name, which mkdom0 chose ("disk.img.tmp.PID"): the user's
     * part of the path never reaches them. */
    const char *tbase;
    char *tdir = split_dir(tmp, &tbase);
    char *absdir = md_path_abs(tdir), *abswork = md_path_abs(workdir);
    char *rtmp = md_xasprintf("./%s", tbase);
    char *img = md_xasprintf("%s@@%llu", rtmp, ESP_LBA * 512); /* mtools: the FAT at this offset */
    char *abssrc[3] = { md_path_abs(f->xen), md_path_abs(f->kernel), md_path_abs(f->rootfs) };
    char *absefi = md_path_abs(efi), *abscfg = md_path_abs(cfgpath);
    int rc = -1;

    if (early_cfg(early, uuid, "/EFI/BOOT", err) < 0 ||
        grub_image("x86_64-efi", GRUB_EFI_DIR, abswork, "./disk-early.cfg", "efi_gop",
                   "./BOOTX64.EFI", err) < 0 ||
        grub_image("i386-pc", GRUB_PC_DIR, abswork, "./disk-early.cfg", "biosdisk", "./core.img",
                   err) < 0 ||
        write_grub_cfg(e, cfgpath, err) < 0)
        goto out;

    if (md_file_blank(tmp, disk_bytes, err) < 0)
        goto out;
    char *script = md_xasprintf(
        "label: gpt\n"
        "label-id: 6D4B6D30-0000-4000-8000-000000000001\n"
        "unit: sectors\n"
        "first-lba: 2048\n"
        "start=%llu, size=%llu, type=" BIOS_BOOT_TYPE ", "
        "uuid=6D4B6D30-0000-4000-8000-000000000003, name=\"BIOS boot\"\n"
        "start=%llu, size=%llu, type=" ESP_TYPE ", uuid=6D4B6D30-0000-4000-8000-000000000002, "
        "name=\"EFI system\"\n",
        BIOS_PART_LBA, BIOS_PART_SECTORS, ESP_LBA, esp_sectors);
    int w = md_write_atomic(sfd, script, strlen(script), 0644, err);
    free(script);
    if (w < 0)
        goto out;
    md_run_opts so = { .stdin_path = sfd, .timeout_s = 60, .cwd = absdir };
    md_run_result r;
    const char *sf[] = { sfdisk, "--no-reread", "--no-tell-kernel", "-q", rtmp, NULL };
    if (md_run(sf, &so, &r, err) < 0)
        goto out;
    if (r.status != 0) {
        md_err_set(err, "sfdisk on %s failed (exit %d):\n%s", tmp, r.status, md_run_tail(r.out, 600));
        md_run_result_free(&r);
        goto out;
    }
    md_run_result_free(&r);
    if (install_bios_grub(tmp, core, err) < 0)
        goto out;
    if (make_fat(absdir, img, esp_sectors, true, serial, "MKDOM0-ESP", absefi, ee.env, err) < 0)
        goto out;
    const char *c1[] = { "mcopy", "-i", img, abscfg, "::/EFI/BOOT/", NULL };
    md_run_opts mo = { .timeout_s = 60, .env = ee.env, .cwd = absdir };
    if (md_run_ok_opts(c1, &mo, err) < 0)
        goto out;
    mo.timeout_s = 120;
    for (int i = 0; i < 3; i++) {
        char *dst = md_xasprintf("::/%s", n[i]);
        const char *cp[] = { "mcopy", "-i", img, abssrc[i], dst, NULL };
        int c = md_run_ok_opts(cp, &mo, err);
        free(dst);
        if (c < 0)
            goto out;
    }
    rc = 0;
out:
    rc = finish(rc, tmp, out, "disk image", err);
    free(sfdisk);
    free(efi);
    free(core);
    free(early);
    free(cfgpath);
    free(sfd);
    free(tmp);
    free(img);
    free(tdir);
    free(absdir);
    free(abswork);
    free(rtmp);
    for (int i = 0; i < 3; i++)
        free(abssrc[i]);
    free(absefi);
    free(abscfg);
    return rc;
}

/* ---- netboot ---- */


#define PXELINUX_DIR "/usr/lib/PXELINUX"
#define SYSLINUX_BIOS_DIR "/usr/lib/syslinux/modules/bios"

/* `f` loaded by multiboot v1 from `path` without its leading '/'. */
static void relative_file(md_bootcfg_file *f, const char *path)
{
    char *p = md_xstrdup(path[0] == '/' ? path + 1 : path);
    free(f->path);
    f->path = p;
    f->mb2 = false;
}

/* The entry as iPXE and mboot.c32 load it (multiboot v1): Xen as the ELF
 * `xen`, every path relative (to the script, or the TFTP root). */
static md_bootcfg_entry *relative_entry(const md_bootcfg_entry *e)
{
    md_bootcfg_entry *r = md_bootcfg_entry_copy(e);
    relative_file(&r->xen, "xen");
    relative_file(&r->kernel, r->kernel.path);
    for (size_t m = 0; m < r->nmods; m++)
        relative_file(&r->mods[m], r->mods[m].path);
    return r;
}

/* A copy of `e` with `rootfs` (taken over) as its first module's path. */
static md_bootcfg_entry *with_rootfs(const md_bootcfg_entry *e, char *rootfs)
{
    md_bootcfg_entry *c = md_bootcfg_entry_copy(e);
    if (c->nmods) {
        free(c->mods[0].path);
        c->mods[0].path = rootfs;
    } else {
        free(rootfs);
    }
    return c;
}

/* The netboot tree's configs for every MAC: GRUB's, then
 * md_bootmedia_netboot_configs'. */
static const struct {
    const char *path;
    md_bootfmt fmt;
} netboot_base[1 + MD_BOOTMEDIA_NETCFGS] = {
    { "boot/grub/grub.cfg", MD_BOOTFMT_GRUB2 },
    { "boot.ipxe", MD_BOOTFMT_IPXE },
    { "pxelinux.cfg/default", MD_BOOTFMT_SYSLINUX },
};

/* pxelinux's entry: `rel` with its rootfs under MD_BOOTMEDIA_MBOOT_DIR/. */
static char *pxelinux_cfg(const md_bootcfg_entry *rel)
{
    md_bootcfg_entry *v = with_rootfs(
        rel, rel->nmods ? md_xasprintf(MD_BOOTMEDIA_MBOOT_DIR "/%s", rel->mods[0].path) : NULL);
    char *text = md_bootfmt_write(MD_BOOTFMT_SYSLINUX, v);
    md_bootcfg_entry_free(v);
    return text;
}

void md_bootmedia_netboot_configs(const md_bootcfg_entry *e,
                                  md_bootmedia_netcfg out[MD_BOOTMEDIA_NETCFGS])
{
    md_bootcfg_entry *r = relative_entry(e);
    for (int i = 0; i < MD_BOOTMEDIA_NETCFGS; i++) {
        md_bootfmt fmt = netboot_base[i + 1].fmt;
        out[i] = (md_bootmedia_netcfg){ netboot_base[i + 1].path, fmt,
                                        fmt == MD_BOOTFMT_SYSLINUX ? pxelinux_cfg(r)
                                                                   : md_bootfmt_write(fmt, r) };
    }
    md_bootcfg_entry_free(r);
}

/* The rootfs as mboot.c32 must get it: mboot.c32 reads each module with
 * zloadfile(), which gunzips a file that starts with gzip's magic and
 * keeps only its first member (syslinux com32/lib/sys/zfile.c: inflate
 * stops at Z_STREAM_END), so Xen would hand Linux a cut archive (a
 * multi-member rootfs, or a host's with its identity appended).  An empty
 * uncompressed newc archive in front, padded to 512 bytes, makes it a plain
 * file that mboot.c32 passes as it is; Linux's unpacker takes the empty
 * archive, skips the padding and unpacks the rest (the layout of an early
 * microcode cpio).  `dst` is written whole or not at all. */
static int mboot_rootfs(const char *src, const char *dst, int64_t epoch, const char *workdir,
                        md_err *err)
{
    char *empty = md_xasprintf("%s/mboot-empty.cpio", workdir);
    md_tree *t = md_tree_new(false);
    unsigned char *cpio = NULL, *main = NULL;
    size_t clen = 0, mlen = 0;
    int r = md_image_write(t, empty, MD_CODEC_NONE, 0, epoch, NULL, err);
    md_tree_free(t);
    if (r == 0)
        r = md_read_file(empty, &cpio, &clen, err);
    unlink(empty);
    free(empty);
    if (r == 0)
        r = md_read_file(src, &main, &mlen, err);
    if (r == 0) {
        size_t padded = (clen + 511) / 512 * 512;
        unsigned char *all = md_xcalloc(1, padded + mlen);
        memcpy(all, cpio, clen);
        memcpy(all + padded, main, mlen);
        r = md_write_atomic(dst, all, padded + mlen, 0644, err);
        free(all);
    }
    free(cpio);
    free(main);
    return r;
}

/* "01-52-54-00-12-34-56": the per-MAC name pxelinux and GRUB look for
 * (ARP hardware type 1, Ethernet, then the MAC with '-'). */
static char *mac_name(const char *mac)
{
    char *n = md_xasprintf("01-%s", mac);
    for (char *c = n; *c; c++)
        if (*c == ':')
            *c = '-';
    return n;
}

/* The entry `e` booting host h's rootfs, "/hosts/NAME/ROOTFS". */
static md_bootcfg_entry *host_entry(const md_bootcfg_entry *e, const md_bootmedia_host *h,
                                    const char *rootfs_name)
{
    return with_rootfs(e, md_xasprintf("/hosts/%s/%s", h->name, rootfs_name));
}

/* boot.ipxe for a tree with hosts: the rootfs is ${rootfs}, the host's when
 * the NIC iPXE booted from ($netX) has its MAC (iPXE's settings: netX is
 * the last opened network device; mac prints as 52:54:00:12:34:56). */
static char *ipxe_with_hosts(const md_bootcfg_entry *rel, const md_bootmedia_files *f,
                             const char *rootfs_name)
{
    md_bootcfg_entry *v = with_rootfs(rel, md_xstrdup("${rootfs}"));
    char *body = md_bootfmt_write(MD_BOOTFMT_IPXE, v);
    md_bootcfg_entry_free(v);
    char *sel = md_xasprintf("# The host's own rootfs (this image's with the host's identity appended),\n"
                             "# by the MAC of the NIC iPXE booted from; other MACs boot the image's.\n"
                             "set rootfs %s\n", rootfs_name);
    for (size_t i = 0; i < f->nhosts; i++) {
        char *t = md_xasprintf("%siseq ${netX/mac} %s && set rootfs hosts/%s/%s ||\n", sel,
                               f->hosts[i].mac, f->hosts[i].name, rootfs_name);
        free(sel);
        sel = t;
    }
    /* after the "#!ipxe" line, which iPXE wants first */
    size_t first = strcspn(body, "\n") + 1;
    char *text = md_xasprintf("%.*s%s%s", (int)first, body, sel, body + first);
    free(body);
    free(sel);
    return text;
}

size_t md_bootmedia_netboot_config_names(const char *const *macs, size_t nmacs,
                                         md_bootmedia_netcfg **out)
{
    size_t n = 0, nb = sizeof netboot_base / sizeof netboot_base[0];
    md_bootmedia_netcfg *v = md_xcalloc(nb + 2 * nmacs, sizeof *v);
    for (size_t i = 0; i < nb; i++)
        v[n++] = (md_bootmedia_netcfg){ md_xstrdup(netboot_base[i].path), netboot_base[i].fmt,
                                        NULL };
    for (size_t i = 0; i < nmacs; i++) {
        char *mn = mac_name(macs[i]);
        v[n++] = (md_bootmedia_netcfg){ md_xasprintf("boot/grub/grub.cfg-%s", mn),
                                        MD_BOOTFMT_GRUB2, NULL };
        v[n++] = (md_bootmedia_netcfg){ md_xasprintf("pxelinux.cfg/%s", mn), MD_BOOTFMT_SYSLINUX,
                                        NULL };
        free(mn);
    }
    *out = v;
    return n;
}

size_t md_bootmedia_netboot_all_configs(const md_bootcfg_entry *e, const md_bootmedia_files *f,
                                        md_bootmedia_netcfg **out)
{
    const char **macs = md_xcalloc(f->nhosts + 1, sizeof *macs);
    for (size_t i = 0; i < f->nhosts; i++)
        macs[i] = f->hosts[i].mac;
    md_bootmedia_netcfg *v;
    size_t n = md_bootmedia_netboot_config_names(macs, f->nhosts, &v), k = 0;
    free(macs);
    const char *rb = e->nmods ? strrchr(e->mods[0].path, '/') : NULL;
    const char *rootfs_name = rb ? rb + 1 : "";
    v[k++].text = md_grubcfg_write(e);
    md_bootmedia_netcfg base[MD_BOOTMEDIA_NETCFGS];
    md_bootmedia_netboot_configs(e, base);
    for (int i = 0; i < MD_BOOTMEDIA_NETCFGS; i++)
        v[k++].text = base[i].text;
    if (f->nhosts) {
        md_bootcfg_entry *rel = relative_entry(e);
        free(v[1].text); /* boot.ipxe */
        v[1].text = ipxe_with_hosts(rel, f, rootfs_name);
        md_bootcfg_entry_free(rel);
    }
    /* per host, in the order of md_bootmedia_netboot_config_names */
    for (size_t i = 0; i < f->nhosts; i++) {
        const md_bootmedia_host *h = &f->hosts[i];
        md_bootcfg_entry *he = host_entry(e, h, rootfs_name);
        v[k++].text = md_grubcfg_write(he);
        md_bootcfg_entry *rel = relative_entry(he);
        v[k++].text = pxelinux_cfg(rel);
        md_bootcfg_entry_free(rel);
        md_bootcfg_entry_free(he);
    }
    *out = v;
    return n;
}

void md_bootmedia_netcfgs_free(md_bootmedia_netcfg *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free((char *)v[i].path);
        free(v[i].text);
    }
    free(v);
}

static const char netboot_readme[] =
    "mkdom0 netboot tree: make this directory the TFTP root (and, for iPXE over\n"
    "HTTP, the document root), e.g. /srv/tftp/out/netboot.  Every config here boots\n"
    "the same Xen and dom0 arguments, written from one entry by mkdom0 build.\n"
    "\n"
    "  boot/grub/i386-pc/core.0      GRUB for BIOS PXE clients\n"
    "  boot/grub/x86_64-efi/core.efi GRUB for UEFI PXE clients\n"
    "  boot/grub/grub.cfg            their config (paths from the TFTP root)\n"
    "  boot.ipxe                     iPXE script (paths relative to it; Xen as the ELF `xen`)\n"
    "  pxelinux.0, pxelinux.cfg/default  pxelinux with mboot.c32 (BIOS only)\n"
    "  mboot/                        pxelinux's rootfs: an empty cpio in front, so that\n"
    "                                mboot.c32 passes it as it is instead of gunzipping it\n"
    "  xen.gz xen vmlinuz %s         what they load\n"
    "\n"
    "The tree carries the dom0's ssh host private keys: mkdom0 build makes the\n"
    "output directory 0750, never readable by others.  A TFTP server that runs\n"
    "as its own user reads it through the group: build into a directory that is\n"
    "setgid and of the server's group, e.g. for dnsmasq (user=dnsmasq, and the\n"
    "group it runs as set with group=):\n"
    "\n"
    "  install -d -g dnsmasq -m 2750 /srv/tftp   (groupadd --system dnsmasq first\n"
    "                                              if there is no such group)\n"
    "  mkdom0 build -o /srv/tftp/out ...          (this tree: /srv/tftp/out/netboot)\n"
    "\n"
    "dnsmasq (DHCP, TFTP; the reference server), e.g. /etc/dnsmasq.d/mkdom0.conf:\n"
    "\n"
    "  user=dnsmasq\n"
    "  group=dnsmasq\n"
    "  enable-tftp\n"
    "  tftp-root=/srv/tftp/out/netboot\n"
    "  # your network; or dhcp-range=192.0.2.0,proxy beside an existing DHCP server\n"
    "  dhcp-range=192.0.2.100,192.0.2.200,12h\n"
    "  dhcp-match=set:efi64,option:client-arch,7\n"
    "  dhcp-match=set:efi64,option:client-arch,9\n"
    "  dhcp-match=set:ipxe,175\n"
    "  # iPXE (also chained from a NIC's ROM) runs the script; over HTTP write\n"
    "  # its URL instead, e.g. http://192.0.2.1/mkdom0/boot.ipxe\n"
    "  dhcp-boot=tag:ipxe,boot.ipxe\n"
    "  dhcp-boot=tag:efi64,tag:!ipxe,boot/grub/x86_64-efi/core.efi\n"
    "  dhcp-boot=tag:!efi64,tag:!ipxe,boot/grub/i386-pc/core.0\n"
    "  # or pxelinux for BIOS clients:\n"
    "  # dhcp-boot=tag:!efi64,tag:!ipxe,pxelinux.0\n"
    "\n"
    "HTTP for iPXE: any web server that serves this directory (iPXE fetches\n"
    "xen, vmlinuz and the rootfs relative to the script's URL, much faster than\n"
    "TFTP).\n";

int md_bootmedia_netboot(const md_bootcfg_entry *e, const md_bootmedia_files *f,
                         const char *outdir, const char *workdir, md_err *err)
{
    const char *n[3];
    if (names(e, n, err) < 0)
        return -1;
    if (need_grub(true, true, err) < 0 ||
        md_run_find_tool("grub-mknetdir", "grub-common", NULL, err) < 0)
        return -1;
    static const char *const syslinux[] = {
        PXELINUX_DIR "/pxelinux.0", SYSLINUX_BIOS_DIR "/ldlinux.c32",
        SYSLINUX_BIOS_DIR "/mboot.c32", SYSLINUX_BIOS_DIR "/libcom32.c32",
    };
    for (size_t i = 0; i < sizeof syslinux / sizeof *syslinux; i++)
        if (access(syslinux[i], R_OK) < 0)
            return md_err_set(err, "%s missing: install pxelinux and syslinux-common", syslinux[i]);
    if (mkdir(outdir, 0755) < 0)
        return md_err_errno(err, "%s", outdir);
    int rc = -1;
    /* In the directory itself: grub-mknetdir gets ".", not the user's path. */
    char *nd = md_path_abs(outdir);
    const char *mk[] = { "grub-mknetdir", "--net-directory=.", "--subdir=boot/grub", "--fonts=",
                         "--themes=", "--locales=", NULL };
    char *p = NULL;
    md_bootmedia_netcfg *cfg = NULL;
    size_t ncfg = 0;
    md_run_opts mko = { .timeout_s = 300, .cwd = nd };
    if (md_run_ok_opts(mk, &mko, err) < 0)
        goto out;
    const char *src[3] = { f->xen, f->kernel, f->rootfs };
    for (int i = 0; i < 3; i++) {
        free(p);
        p = md_xasprintf("%s/%s", outdir, n[i]);
        if (md_copy_contents(src[i], p, err) < 0)
            goto out;
    }
    /* Xen as an ELF for iPXE and mboot.c32. */
    unsigned char *elf;
    size_t len;
    if (md_decomp_file(f->xen, (size_t)256 << 20, &elf, &len, err) < 0)
        goto out;
    free(p);
    p = md_xasprintf("%s/xen", outdir);
    int w = md_elf_is(elf, len)
                ? md_write_atomic(p, elf, len, 0644, err)
                : md_err_set(err, "%s: not a Xen ELF image once uncompressed", f->xen);
    free(elf);
    if (w < 0)
        goto out;
    for (size_t i = 0; i < sizeof syslinux / sizeof *syslinux; i++) {
        free(p);
        p = md_xasprintf("%s/%s", outdir, strrchr(syslinux[i], '/') + 1);
        if (md_copy_contents(syslinux[i], p, err) < 0)
            goto out;
    }
    free(p);
    p = md_xasprintf("%s/pxelinux.cfg", outdir);
    if (md_mkdir_p(p, 0755, err) < 0)
        goto out;
    ncfg = md_bootmedia_netboot_all_configs(e, f, &cfg);
    for (size_t i = 0; i < ncfg; i++) {
        free(p);
        p = md_xasprintf("%s/%s", outdir, cfg[i].path);
        if (md_write_atomic(p, cfg[i].text, strlen(cfg[i].text), 0644, err) < 0)
            goto out;
    }
    for (size_t i = 0; i < f->nhosts; i++) {
        free(p);
        p = md_xasprintf("%s/hosts/%s", outdir, f->hosts[i].name);
        if (md_mkdir_p(p, 0755, err) < 0)
            goto out;
        free(p);
        p = md_xasprintf("%s/hosts/%s/%s", outdir, f->hosts[i].name, n[2]);
        if (md_copy_contents(f->hosts[i].rootfs, p, err) < 0)
            goto out;
    }
    /* pxelinux's rootfs files, each host's too, as mboot.c32 must get them */
    for (size_t i = 0; i <= f->nhosts; i++) {
        free(p);
        p = i ? md_xasprintf("%s/" MD_BOOTMEDIA_MBOOT_DIR "/hosts/%s", outdir, f->hosts[i - 1].name)
              : md_xasprintf("%s/" MD_BOOTMEDIA_MBOOT_DIR, outdir);
        if (md_mkdir_p(p, 0755, err) < 0)
            goto out;
        char *dst = md_xasprintf("%s/%s", p, n[2]);
        w = mboot_rootfs(i ? f->hosts[i - 1].rootfs : f->rootfs, dst, f->epoch, workdir, err);
        free(dst);
        if (w < 0)
            goto out;
    }
    char *readme = md_xasprintf(netboot_readme, n[2]);
    if (f->nhosts) {
        char *t = md_xasprintf("%s\nHosts ([Host NAME] in the spec), each picked by the MAC it boots from; any\n"
                               "other MAC boots the image's own identity:\n\n", readme);
        free(readme);
        readme = t;
        for (size_t i = 0; i < f->nhosts; i++) {
            char *mn = mac_name(f->hosts[i].mac);
            t = md_xasprintf("%s  %-17s %s  hosts/%s/%s, boot/grub/grub.cfg-%s,\n"
                             "  %-17s %*s  pxelinux.cfg/%s\n", readme, f->hosts[i].name,
                             f->hosts[i].mac, f->hosts[i].name, n[2], mn, "", 17, "", mn);
            free(readme);
            free(mn);
            readme = t;
        }
        t = md_xasprintf("%s\nA host's rootfs is the image's, byte for byte, with the host's identity (host\n"
                         "name, ssh host keys, address) appended as a second archive; boot.ipxe picks it\n"
                         "by ${netX/mac}.\n", readme);
        free(readme);
        readme = t;
    }
    free(p);
    p = md_xasprintf("%s/README", outdir);
    w = md_write_atomic(p, readme, strlen(readme), 0644, err);
    free(readme);
    if (w < 0)
        goto out;
    rc = 0;
out:
    md_bootmedia_netcfgs_free(cfg, ncfg);
    if (rc < 0) {
        md_err_prefix(err, "making the netboot tree %s", outdir);
        md_remove_tree(outdir, NULL);
    }
    free(nd);
    free(p);
    return rc;
}

/* ---- an ESP for one EFI program ---- */

int md_bootmedia_esp(const char *efi, const md_bootmedia_esp_file *beside, size_t nbeside,
                     const char *out, int64_t epoch, md_err *err)
{
    if (md_run_find_tool("mformat", "mtools", NULL, err) < 0 ||
        md_run_find_tool("mcopy", "mtools", NULL, err) < 0)
        return -1;
    uint64_t total;
    if (md_file_size(efi, &total, err) < 0)
        return -1;
    for (size_t i = 0; i < nbeside; i++) {
        uint64_t size;
        if (!*beside[i].name || strchr(beside[i].name, '/') || beside[i].name[0] == '.')
            return md_err_set(err, "ESP image: '%s' is no plain file name", beside[i].name);
        if (md_file_size(beside[i].src, &size, err) < 0)
            return -1;
        total += size;
    }
    struct epoch_env ee;
    epoch_env(&ee, epoch);
    /* FAT16 (mformat's choice for this size) with room for the files, the
     * FAT and directory entries. */
    unsigned long long mib = (total + total / 8) / MIB + 8;
    char *tmp = md_xasprintf("%s.tmp.%d", out, (int)getpid());
    const char *tbase;
    char *tdir = split_dir(tmp, &tbase);
    char *absdir = md_path_abs(tdir), *rtmp = md_xasprintf("./%s", tbase), *absefi = md_path_abs(efi);
    int rc = md_file_blank(tmp, mib * MIB, err) < 0 ||
                     make_fat(absdir, rtmp, mib * MIB / 512, false, fat_serial(epoch),
                              "MKDOM0-ESP", absefi, ee.env, err) < 0
                 ? -1 : 0;
    md_run_opts mo = { .timeout_s = 120, .env = ee.env, .cwd = absdir };
    for (size_t i = 0; rc == 0 && i < nbeside; i++) {
        char *src = md_path_abs(beside[i].src), *dst = md_xasprintf("::/EFI/BOOT/%s", beside[i].name);
        const char *cp[] = { "mcopy", "-i", rtmp, src, dst, NULL };
        rc = md_run_ok_opts(cp, &mo, err);
        free(src);
        free(dst);
    }
    rc = finish(rc, tmp, out, "ESP image", err);
    free(tmp);
    free(tdir);
    free(absdir);
    free(rtmp);
    free(absefi);
    return rc;
}
