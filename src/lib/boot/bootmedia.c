#include "boot/bootmedia.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "boot/grubcfg.h"
#include "core/run.h"
#include "core/mem.h"
#include "core/file.h"

#define GRUB_PC_DIR "/usr/lib/grub/i386-pc"
#define GRUB_EFI_DIR "/usr/lib/grub/x86_64-efi"
#define ESP_TYPE "C12A7328-F81F-11D2-BA4B-00A0C93EC93B"
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

static int need_tool(const char *tool, const char *pkg, md_err *err)
{
    const char *path = getenv("PATH");
    char *dirs = md_xstrdup(path && *path ? path : "/usr/bin:/bin");
    /* Debian keeps sfdisk in /usr/sbin, outside a normal user's PATH. */
    char *all = md_xasprintf("%s:/usr/sbin:/sbin", dirs);
    free(dirs);
    int found = 0;
    for (char *save = NULL, *d = strtok_r(all, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
        char *p = md_xasprintf("%s/%s", d, tool);
        found = access(p, X_OK) == 0;
        free(p);
        if (found)
            break;
    }
    free(all);
    return found ? 0 : md_err_set(err, "%s not found: install %s", tool, pkg);
}

/* Both media boot the same entry, written by the build's grub.cfg writer. */
static int write_grub_cfg(const md_bootcfg_entry *e, const char *path, md_err *err)
{
    char *cfg = md_grubcfg_write(e);
    int rc = md_write_atomic(path, cfg, strlen(cfg), 0644, err);
    free(cfg);
    return rc;
}

/* A medium is built at `tmp` and only a finished one replaces `out`. */
static int into_place(const char *tmp, const char *out, md_err *err)
{
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return md_err_errno(err, "%s: cannot open", tmp);
    return md_file_commit(fd, tmp, out, 0644, err);
}

int md_bootmedia_iso(const md_bootcfg_entry *e, const md_bootmedia_files *f,
                     const char *out, const char *workdir, md_err *err)
{
    const char *n[3];
    if (names(e, n, err) < 0)
        return -1;
    if (need_tool("grub-mkrescue", "grub-common", err) < 0 || need_tool("xorriso", "xorriso", err) < 0)
        return -1;
    if (access(GRUB_PC_DIR "/modinfo.sh", R_OK) < 0)
        return md_err_set(err, "%s missing: install grub-pc-bin (GRUB for BIOS)", GRUB_PC_DIR);
    char *stage = md_xasprintf("%s/iso-root", workdir);
    char *grubdir = md_xasprintf("%s/boot/grub", stage);
    char *cfgpath = md_xasprintf("%s/grub.cfg", grubdir);
    char *tmp = md_xasprintf("%s.tmp.%d", out, (int)getpid());
    const char *src[3] = { f->xen, f->kernel, f->rootfs };
    int rc = -1;
    if (md_mkdir_p(grubdir, 0755, err) < 0)
        goto out;
    for (int i = 0; i < 3; i++) {
        char *dst = md_xasprintf("%s/%s", stage, n[i]);
        unlink(dst);
        int r = md_copy_file(src[i], dst, err);
        free(dst);
        if (r < 0)
            goto out;
    }
    if (write_grub_cfg(e, cfgpath, err) < 0)
        goto out;
    /* Only i386-pc: a BIOS ISO, as the UEFI path has its own disk. */
    const char *argv[] = { "grub-mkrescue", "-d", GRUB_PC_DIR, "-o", tmp, stage, NULL };
    if (md_run_ok(argv, 300, err) < 0) {
        md_err_prefix(err, "making the BIOS ISO %s", out);
        goto out;
    }
    if (into_place(tmp, out, err) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0)
        unlink(tmp);
    free(stage);
    free(grubdir);
    free(cfgpath);
    free(tmp);
    return rc;
}

int md_bootmedia_uefi_disk(const md_bootcfg_entry *e, const md_bootmedia_files *f,
                           const char *out, const char *workdir, md_err *err)
{
    const char *n[3];
    if (names(e, n, err) < 0)
        return -1;
    if (need_tool("grub-mkimage", "grub-common", err) < 0 || need_tool("sfdisk", "fdisk", err) < 0 ||
        need_tool("mformat", "mtools", err) < 0 || need_tool("mcopy", "mtools", err) < 0)
        return -1;
    if (access(GRUB_EFI_DIR "/multiboot2.mod", R_OK) < 0)
        return md_err_set(err, "%s missing: install grub-efi-amd64-bin (GRUB for UEFI)", GRUB_EFI_DIR);
    const char *src[3] = { f->xen, f->kernel, f->rootfs };
    unsigned long long total = 0;
    for (int i = 0; i < 3; i++) {
        struct stat st;
        if (stat(src[i], &st) < 0)
            return md_err_errno(err, "%s", src[i]);
        total += (unsigned long long)st.st_size;
    }
    /* Room for GRUB (~1 MiB), FAT tables and slack; at least 64 MiB so the
     * FAT32 has the cluster count the format requires. */
    unsigned long long esp_mib = (total + total / 8) / MIB + 16;
    if (esp_mib < 64)
        esp_mib = 64;
    unsigned long long esp_sectors = esp_mib * MIB / 512;
    /* 1 MiB before the partition (primary GPT), 1 MiB after (backup GPT). */
    unsigned long long disk_bytes = (esp_mib + 2) * MIB;

    char *efi = md_xasprintf("%s/BOOTX64.EFI", workdir);
    char *cfgpath = md_xasprintf("%s/grub.cfg", workdir);
    char *sfd = md_xasprintf("%s/gpt.sfdisk", workdir);
    char *tmp = md_xasprintf("%s.tmp.%d", out, (int)getpid());
    char *img = md_xasprintf("%s@@1M", tmp); /* mtools: the FAT at this byte offset */
    int rc = -1;

    const char *mk[] = { "grub-mkimage", "-O", "x86_64-efi", "-d", GRUB_EFI_DIR, "-p", "/EFI/BOOT",
                         "-o", efi, "part_gpt", "fat", "multiboot2", "gzio", "normal", "configfile",
                         "serial", "terminal", "echo", "test", "search", "efi_gop", NULL };
    if (md_run_ok(mk, 120, err) < 0)
        goto out;
    if (write_grub_cfg(e, cfgpath, err) < 0)
        goto out;

    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
    if (fd < 0) {
        md_err_errno(err, "%s", tmp);
        goto out;
    }
    if (ftruncate(fd, (off_t)disk_bytes) < 0) {
        md_err_errno(err, "%s: cannot size the disk image", tmp);
        close(fd);
        goto out;
    }
    close(fd);
    char *script = md_xasprintf(
        "label: gpt\n"
        "label-id: 6D4B6D30-0000-4000-8000-000000000001\n"
        "unit: sectors\n"
        "first-lba: 2048\n"
        "start=2048, size=%llu, type=" ESP_TYPE ", uuid=6D4B6D30-0000-4000-8000-000000000002, "
        "name=\"EFI system\"\n",
        esp_sectors);
    int w = md_write_atomic(sfd, script, strlen(script), 0644, err);
    free(script);
    if (w < 0)
        goto out;
    md_run_opts so = { .stdin_path = sfd, .timeout_s = 60 };
    md_run_result r;
    const char *sf[] = { "sfdisk", "--no-reread", "--no-tell-kernel", "-q", tmp, NULL };
    /* sfdisk lives in /usr/sbin; try it there when PATH lacks it. */
    if (access("/usr/sbin/sfdisk", X_OK) == 0)
        sf[0] = "/usr/sbin/sfdisk";
    if (md_run(sf, &so, &r, err) < 0)
        goto out;
    if (r.status != 0) {
        md_err_set(err, "sfdisk on %s failed (exit %d): %s", tmp, r.status, md_run_tail(r.out, 600));
        md_run_result_free(&r);
        goto out;
    }
    md_run_result_free(&r);

    char *tsec = md_xasprintf("%llu", esp_sectors);
    const char *mf[] = { "mformat", "-i", img, "-F", "-T", tsec, "-h", "64", "-s", "32",
                         "-N", "6d4b6d30", "-v", "MKDOM0-ESP", "::", NULL };
    int m = md_run_ok(mf, 60, err);
    free(tsec);
    if (m < 0)
        goto out;
    const char *md[] = { "mmd", "-i", img, "::/EFI", "::/EFI/BOOT", NULL };
    const char *c1[] = { "mcopy", "-i", img, "-m", efi, cfgpath, "::/EFI/BOOT/", NULL };
    if (md_run_ok(md, 60, err) < 0 || md_run_ok(c1, 60, err) < 0)
        goto out;
    for (int i = 0; i < 3; i++) {
        char *dst = md_xasprintf("::/%s", n[i]);
        const char *cp[] = { "mcopy", "-i", img, "-m", src[i], dst, NULL };
        int c = md_run_ok(cp, 120, err);
        free(dst);
        if (c < 0)
            goto out;
    }
    if (into_place(tmp, out, err) < 0)
        goto out;
    rc = 0;
out:
    if (rc < 0) {
        md_err_prefix(err, "making the UEFI disk %s", out);
        unlink(tmp);
    }
    free(efi);
    free(cfgpath);
    free(sfd);
    free(tmp);
    free(img);
    return rc;
}
