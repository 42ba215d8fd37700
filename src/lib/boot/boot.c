#include "boot/boot.h"

#include <fcntl.h>
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "boot/bootmedia.h"
#include "boot/grubcfg.h"
#include "boot/xenefi.h"
#include "core/decomp.h"
#include "core/mem.h"
#include "core/strv.h"
#include "core/elf.h"
#include "core/file.h"
#include "core/run.h"
#include "image/imgdir.h"


struct md_boot {
    char *workdir;
    char *console_log;
    bool log_in_workdir;
    char *qmp;
    char *errlog;
    char *note;
    char *summary;
    char *xen_gz, *kernel, *rootfs, *xen_elf, *initrd, *iso, *disk;
    char *xen_efi; /* --path xen-efi, efi: DIR/efi/xen.efi, to make a unified one or a tree */
    char *boot_rootfs;  /* what is booted: rootfs, or the host's */
    char *netdir, *bootfile; /* MD_QEMU_PXE */
    md_imgdir_host host;
    bool have_host;
    char *host_str[5];  /* host's strings, owned */
    md_bootcfg_entry *entry;
    char *xen_cmdline; /* the entry's Xen arguments, for QEMU's -append */
    md_qemu_opts q;
    md_strv argv;
    unsigned port;
    uint64_t dom0_mem;
    md_run_proc *qemu;
    bool interactive;
};

/* The image's file for a path in its grub.cfg, as QEMU can be given it. */
static char *image_file(const md_imgdir *d, const char *grub_path, md_err *err)
{
    char *abs = md_imgdir_loaded_file(d, grub_path, err);
    if (abs && strpbrk(abs, " \t\n")) {
        md_err_set(err, "%s: white space in the path; QEMU's multiboot module list cannot "
                        "express it", abs);
        free(abs);
        return NULL;
    }
    return abs;
}

static bool is_dir(const char *path)
{
    struct stat st;
    return path && stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* QEMU's multiboot loader takes an ELF, not the gzip Debian ships. */
static int xen_elf_from(const char *src, const char *dst, md_err *err)
{
    unsigned char *elf;
    size_t len;
    if (md_decomp_file(src, MD_IMGDIR_XEN_MAX, &elf, &len, err) < 0)
        return -1;
    int rc = 0;
    if (!md_elf_is(elf, len))
        rc = md_err_set(err, "%s: not a Xen ELF image once uncompressed", src);
    else
        rc = md_write_atomic(dst, elf, len, 0644, err);
    free(elf);
    return rc;
}

/* --path xen-efi: the build's xen-unified.efi as it is when the image's
 * dom0_mem fits the VM (`as_built`), else one made now from DIR/efi/xen.efi
 * with the fitted entry (unsigned: the firmware here enforces no Secure
 * Boot); either as \EFI\BOOT\BOOTX64.EFI of an ESP image. */
static int xen_efi_esp(md_boot *b, const md_boot_opts *o, const char *built, bool as_built,
                       md_err *err)
{
    const char *efi = built;
    char *made = NULL;
    if (!as_built || !md_is_file(built)) {
        const char *why = md_is_file(built) ? "its dom0_mem does not fit this VM"
                                            : "the image has no xen-unified.efi";
        if (!md_is_file(b->xen_efi))
            return md_err_set(err, "--path xen-efi: %s, and %s is missing to make another "
                                   "(mkdom0 build --media efi,unified)", why, b->xen_efi);
        char *n = md_xasprintf("%s%sxen-unified.efi: booting one made now from efi/xen.efi with "
                               "the same code, since %s", b->note ? b->note : "",
                               b->note ? "; " : "", why);
        free(b->note);
        b->note = n;
        md_out_say(o->out, MD_OUT_PROGRESS, "making the unified xen.efi (objcopy)");
        made = md_xasprintf("%s/xen-unified.efi", b->workdir);
        md_xenefi_files xf = { b->xen_efi, b->kernel, b->rootfs, NULL, NULL, 0 };
        if (md_xenefi_unified(b->entry, &xf, made, b->workdir, err) < 0) {
            free(made);
            return -1;
        }
        efi = made;
    }
    b->disk = md_xasprintf("%s/esp.img", b->workdir);
    int rc = md_bootmedia_esp(efi, NULL, 0, b->disk, 0, err);
    free(made);
    return rc;
}

/* The ESP for --path efi from the efi/ tree `tree`: xen.efi as the
 * removable-media boot program \EFI\BOOT\BOOTX64.EFI and every other file
 * beside it, xen.cfg renamed BOOTX64.cfg: xen.efi reads the config named
 * as itself with .efi replaced by .cfg, in its own directory
 * (docs/misc/efi.pandoc; xen.cfg is the last name it tries when started as
 * xen.efi), and the kernel and ramdisk the config names from there too. */
static int efi_tree_to_esp(const char *tree, const char *out, md_err *err)
{
    struct dirent **ents = NULL;
    int n = scandir(tree, &ents, NULL, alphasort);
    if (n < 0)
        return md_err_errno(err, "%s", tree);
    md_bootmedia_esp_file *beside = md_xcalloc((size_t)n + 1, sizeof *beside);
    char **srcs = md_xcalloc((size_t)n + 1, sizeof *srcs);
    size_t nb = 0;
    bool have_cfg = false;
    for (int i = 0; i < n; i++) {
        const char *name = ents[i]->d_name;
        char *src = md_xasprintf("%s/%s", tree, name);
        if (name[0] == '.' || !strcmp(name, "xen.efi") || !md_is_file(src)) {
            free(src);
            continue;
        }
        bool cfg = !strcmp(name, MD_XENEFI_CFG_NAME);
        have_cfg |= cfg;
        srcs[nb] = src;
        beside[nb] = (md_bootmedia_esp_file){ src, cfg ? "BOOTX64.cfg" : name };
        nb++;
    }
    char *efi = md_xasprintf("%s/xen.efi", tree);
    int rc;
    if (!md_is_file(efi) || !have_cfg)
        rc = md_err_set(err, "%s: no xen.efi or no %s in it (mkdom0 build --media efi)", tree,
                        MD_XENEFI_CFG_NAME);
    else
        rc = md_bootmedia_esp(efi, beside, nb, out, 0, err);
    free(efi);
    for (size_t i = 0; i < nb; i++)
        free(srcs[i]);
    free(srcs);
    free(beside);
    for (int i = 0; i < n; i++)
        free(ents[i]);
    free(ents);
    return rc;
}

/* --path efi: the build's efi/ tree as it is when the image's dom0_mem
 * fits the VM (`as_built`) and no host is booted, else one made now by the
 * same code (md_xenefi_tree) from efi/xen.efi with the fitted entry and
 * the booted rootfs (the host's with --host); either on an ESP image. */
static int efi_esp(md_boot *b, const md_boot_opts *o, const char *built, bool as_built,
                   md_err *err)
{
    char *made = NULL;
    if (!as_built || b->have_host || !is_dir(built)) {
        const char *why = !is_dir(built) ? "the image has no efi/"
                          : !as_built    ? "its dom0_mem does not fit this VM"
                                         : "its xen.cfg boots the image's rootfs, not the host's";
        if (!md_is_file(b->xen_efi))
            return md_err_set(err, "--path efi: %s, and %s is missing to make another (mkdom0 "
                                   "build --media efi)", why, b->xen_efi);
        char *n = md_xasprintf("%s%sefi/: booting one made now with the same code, since %s",
                               b->note ? b->note : "", b->note ? "; " : "", why);
        free(b->note);
        b->note = n;
        md_out_say(o->out, MD_OUT_PROGRESS, "making the EFI tree (xen.efi, xen.cfg)");
        made = md_xasprintf("%s/efi", b->workdir);
        md_xenefi_files xf = { b->xen_efi, b->kernel, b->boot_rootfs, NULL, NULL, 0 };
        if (md_xenefi_tree(b->entry, &xf, made, err) < 0) {
            free(made);
            return -1;
        }
        built = made;
    }
    b->disk = md_xasprintf("%s/esp.img", b->workdir);
    int rc = efi_tree_to_esp(built, b->disk, err);
    free(made);
    return rc;
}

md_boot *md_boot_prepare(const md_boot_opts *o, md_err *err)
{
    md_boot *b = md_xcalloc(1, sizeof *b);
    char *built = NULL; /* the build's medium for the path, if it has one */
    char *host_medium = NULL; /* --host on iso-uefi, disk: DIR/hosts/NAME/MEDIUM */
    b->interactive = o->interactive;
    md_imgdir *d = md_imgdir_open(o->dir, err);
    if (!d)
        goto fail;
    char *cfgpath = md_imgdir_path(d, MD_IMGDIR_GRUB_CFG);
    unsigned char *cfg;
    size_t cfglen;
    uint64_t cfgsize;
    /* refused by its size, never read whole first (issue 9; man LIMITS) */
    int r = md_read_file_capped(cfgpath, MD_BOOTCFG_MAX_TEXT, 0, &cfg, &cfglen, &cfgsize, err);
    if (r == 0 && cfgsize > MD_BOOTCFG_MAX_TEXT) {
        char *why = md_bootcfg_size_msg(cfgsize);
        md_err_set(err, "%s: %s", cfgpath, why);
        free(why);
    } else if (r == 0)
        b->entry = md_grubcfg_boot_entry((char *)cfg, cfgpath, err);
    if (r == 0)
        free(cfg);
    free(cfgpath);
    if (!b->entry)
        goto fail;
    if (!(b->xen_gz = image_file(d, b->entry->xen.path, err)) ||
        !(b->kernel = image_file(d, b->entry->kernel.path, err)) ||
        !(b->rootfs = image_file(d, b->entry->mods[0].path, err)))
        goto fail;
    b->boot_rootfs = md_xstrdup(b->rootfs);
    if (o->host) {
        md_imgdir_host h;
        if (md_imgdir_find_host(d, o->host, &h, err) < 0) {
            md_err_prefix(err, "host %s", o->host);
            goto fail;
        }
        const char *hs[5] = { h.name, h.mac, h.hostname, h.address, h.host_key };
        for (int i = 0; i < 5; i++)
            b->host_str[i] = md_xstrdup(hs[i]);
        b->host = (md_imgdir_host){ b->host_str[0], b->host_str[1], b->host_str[2],
                                    b->host_str[3], b->host_str[4] };
        b->have_host = true;
        char *nd = md_imgdir_path(d, MD_IMGDIR_NETBOOT);
        free(b->boot_rootfs);
        b->boot_rootfs = md_xasprintf("%s/hosts/%s/%s", nd, h.name, strrchr(b->rootfs, '/') + 1);
        free(nd);
        /* iso-uefi and disk boot the host's own medium (hosts/NAME/), when
         * the build made one: its rootfs is the host's */
        char *hd = md_imgdir_path(d, MD_IMGDIR_HOSTS);
        if (o->path == MD_QEMU_ISO || o->path == MD_QEMU_ISO_UEFI || o->path == MD_QEMU_DISK)
            host_medium = md_xasprintf("%s/%s/%s", hd, h.name,
                                       md_imgdir_name(o->path == MD_QEMU_DISK ? MD_IMGDIR_DISK
                                                                              : MD_IMGDIR_ISO));
        free(hd);
        if (!md_is_file(b->boot_rootfs) && !(host_medium && md_is_file(host_medium))) {
            md_err_set(err, "%s: missing: host %s's rootfs is in the image's netboot tree "
                            "(mkdom0 build --media netboot)%s", b->boot_rootfs, h.name,
                       host_medium ? ", its own medium in hosts/ (--media iso or disk)" : "");
            goto fail;
        }
    }
    if (o->other_nic && !b->have_host) {
        md_err_set(err, "--other-nic: a NIC ahead of the host's is for booting as a host (--host NAME): "
                        "without one the dom0's network is on its first NIC, which would be that one");
        goto fail;
    }
    if (o->tap && (o->ssh || o->qmp)) {
        md_err_set(err, "--tap: the check needs QEMU's user network (its ssh forward)");
        goto fail;
    }
    if (o->path == MD_QEMU_PXE && !o->tap) {
        bool ipxe = o->netboot && !strcmp(o->netboot, "ipxe");
        if (o->netboot && !ipxe && strcmp(o->netboot, "grub")) {
            md_err_set(err, "unknown netboot loader '%s' (choose grub or ipxe)", o->netboot);
            goto fail;
        }
        if (ipxe && !o->seabios) {
            md_err_set(err, "iPXE loads multiboot images (Xen) only on BIOS: boot it with SeaBIOS "
                            "(--firmware bios), or GRUB's netboot image under UEFI");
            goto fail;
        }
        b->bootfile = md_xstrdup(ipxe ? "boot.ipxe" : o->seabios ? "boot/grub/i386-pc/core.0"
                                                                 : "boot/grub/x86_64-efi/core.efi");
    }
    /* The build's own media (mkdom0 build --media), booted as built. */
    built = host_medium && md_is_file(host_medium) ? md_xstrdup(host_medium)
                : o->path == MD_QEMU_ISO || o->path == MD_QEMU_ISO_UEFI
                    ? md_imgdir_path(d, MD_IMGDIR_ISO)
                : o->path == MD_QEMU_DISK     ? md_imgdir_path(d, MD_IMGDIR_DISK)
                : o->path == MD_QEMU_XEN_EFI  ? md_imgdir_path(d, MD_IMGDIR_UNIFIED)
                : o->path == MD_QEMU_PXE      ? md_imgdir_path(d, MD_IMGDIR_NETBOOT)
                : o->path == MD_QEMU_EFI      ? md_imgdir_path(d, MD_IMGDIR_EFI)
                                              : NULL;
    char *efidir = o->path == MD_QEMU_XEN_EFI || o->path == MD_QEMU_EFI
                       ? md_imgdir_path(d, MD_IMGDIR_EFI) : NULL;
    b->xen_efi = efidir ? md_xasprintf("%s/xen.efi", efidir) : NULL;
    free(efidir);
    md_imgdir_free(d);
    d = NULL;

    unsigned vm = o->mem_mib ? o->mem_mib : 2048;
    uint64_t image_mem = 0;
    md_err sub = MD_ERR_INIT;
    if (md_bootcfg_dom0_mem(b->entry, &image_mem, &sub) < 0) {
        md_err_set(err, "%s/grub.cfg: %s", o->dir, sub.msg);
        goto fail;
    }
    if (o->dom0_mem_mib) {
        b->dom0_mem = o->dom0_mem_mib;
        if (b->dom0_mem + MD_QEMU_MIN_SPARE_MIB > vm) {
            md_err_set(err, "dom0 memory %lluM leaves less than %uM of the %uM VM to Xen and "
                            "guests; raise --memory or lower --dom0-mem",
                        (unsigned long long)b->dom0_mem, MD_QEMU_MIN_SPARE_MIB, vm);
            goto fail;
        }
    } else {
        b->dom0_mem = md_qemu_fit_dom0_mem(image_mem, vm);
    }
    if (b->dom0_mem != image_mem) {
        b->note = md_xasprintf("the image's grub.cfg gives dom0_mem=%lluM,max:%lluM; this %uM VM "
                               "boots it with dom0_mem=%lluM,max:%lluM (--memory, --dom0-mem)",
                               (unsigned long long)image_mem, (unsigned long long)image_mem, vm,
                               (unsigned long long)b->dom0_mem, (unsigned long long)b->dom0_mem);
        md_bootcfg_set_dom0_mem(b->entry, b->dom0_mem);
    }

    if (!(b->workdir = md_scratch_dir("boot", err)))
        goto fail;
    b->errlog = md_xasprintf("%s/qemu.log", b->workdir);
    if (!o->interactive) {
        b->log_in_workdir = !o->console_log;
        b->console_log = o->console_log ? md_xstrdup(o->console_log)
                                        : md_xasprintf("%s/console.log", b->workdir);
        /* QEMU writes the log itself: only a regular file is replaced
         * (--log /dev/null must not unlink the device). */
        struct stat ls;
        if (lstat(b->console_log, &ls) == 0 && !S_ISREG(ls.st_mode)) {
            md_err_set(err, "--log %s: exists and is not a regular file: not replaced",
                       b->console_log);
            goto fail;
        }
        unlink(b->console_log);
        /* made here, new (O_EXCL, never through a symlink): QEMU then
         * opens this file of ours, which in a sticky directory no one else
         * may replace, rather than whatever was put at the name after the
         * unlink (its open follows links and creates) */
        int fd = open(b->console_log, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0) {
            md_err_errno(err, "--log %s: cannot create", b->console_log);
            goto fail;
        }
        close(fd);
    }
    if (o->qmp)
        b->qmp = md_xasprintf("%s/qmp.sock", b->workdir);
    if (o->ssh && md_qemu_free_port(&b->port, err) < 0)
        goto fail;

    /* The medium.  GRUB paths get a grub.cfg with the files at the root and
     * no menu delay. */
    if (o->path != MD_QEMU_MULTIBOOT) {
        free(b->entry->xen.path);
        free(b->entry->kernel.path);
        free(b->entry->mods[0].path);
        const char *rb = strrchr(b->boot_rootfs, '/') + 1;
        b->entry->xen.path = md_xasprintf("/%s", md_imgdir_name(MD_IMGDIR_XEN));
        b->entry->kernel.path = md_xasprintf("/%s", md_imgdir_name(MD_IMGDIR_KERNEL));
        b->entry->mods[0].path = md_xasprintf("/%s", rb);
        b->entry->timeout = 0;
    }
    md_bootmedia_files f = { .xen = b->xen_gz, .kernel = b->kernel, .rootfs = b->boot_rootfs };
    switch (o->path) {
    case MD_QEMU_MULTIBOOT:
        b->xen_elf = md_xasprintf("%s/xen.elf", b->workdir);
        if (xen_elf_from(b->xen_gz, b->xen_elf, err) < 0)
            goto fail;
        b->initrd = md_bootcfg_qemu_initrd(b->entry, b->kernel, b->boot_rootfs);
        break;
    case MD_QEMU_UEFI:
        md_out_say(o->out, MD_OUT_PROGRESS, "making a UEFI disk image (GPT, ESP, GRUB x86_64-efi)");
        b->disk = md_xasprintf("%s/disk.img", b->workdir);
        if (md_bootmedia_disk(b->entry, &f, b->disk, b->workdir, err) < 0)
            goto fail;
        break;
    case MD_QEMU_XEN_EFI:
        if (xen_efi_esp(b, o, built, b->dom0_mem == image_mem, err) < 0)
            goto fail;
        break;
    case MD_QEMU_EFI:
        if (efi_esp(b, o, built, b->dom0_mem == image_mem, err) < 0)
            goto fail;
        break;
    case MD_QEMU_PXE: {
        if (o->tap) /* the tap's own DHCP and TFTP server serve it */
            break;
        /* The build's tree as it is (GRUB and iPXE pick the host's config by
         * the MAC), unless this VM needs another dom0_mem: then one made
         * here, with the host's rootfs for its MAC. */
        if (is_dir(built) && b->dom0_mem == image_mem) {
            b->netdir = built;
            built = NULL;
            break;
        }
        char *why = is_dir(built) ? md_xstrdup("its dom0_mem does not fit this VM")
                                     : md_xstrdup("the image has no netboot/ (mkdom0 build "
                                                  "--media netboot)");
        char *n = md_xasprintf("%s%snetboot/: serving one made now with the same code, since %s",
                               b->note ? b->note : "", b->note ? "; " : "", why);
        free(why);
        free(b->note);
        b->note = n;
        md_out_say(o->out, MD_OUT_PROGRESS, "making the netboot tree (GRUB, iPXE)");
        md_bootmedia_host mh = { b->host.name, b->host.mac, b->boot_rootfs };
        if (b->have_host) {
            f.rootfs = b->rootfs;
            f.hosts = &mh;
            f.nhosts = 1;
        }
        b->netdir = md_xasprintf("%s/netboot", b->workdir);
        if (md_bootmedia_netboot(b->entry, &f, b->netdir, b->workdir, err) < 0)
            goto fail;
        break;
    }
    case MD_QEMU_ISO:
    case MD_QEMU_ISO_UEFI:
    case MD_QEMU_DISK:
        /* The build's medium as it is, unless this VM needs another dom0_mem
         * (or the build made none): then the same medium made here. */
        if (built && md_is_file(built) && b->dom0_mem == image_mem) {
            char **dst = o->path == MD_QEMU_DISK ? &b->disk : &b->iso;
            *dst = built;
            built = NULL;
            break;
        }
        if (!md_is_file(f.rootfs)) { /* a host with its own medium, but no netboot tree */
            md_err_set(err, "%s: its dom0_mem does not fit this VM, and another cannot be made "
                            "without host %s's rootfs in the netboot tree (%s; mkdom0 build "
                            "--media netboot), or boot it with a VM it fits (--memory)",
                       built, b->host.name, f.rootfs);
            goto fail;
        }
        {
            bool iso = o->path != MD_QEMU_DISK;
            const char *name = strrchr(built, '/') + 1;
            char *why = md_is_file(built)
                            ? md_xstrdup("its dom0_mem does not fit this VM")
                            : md_xasprintf("the image has no %s (mkdom0 build --media %s)", name,
                                           iso ? "iso" : "disk");
            char *n = md_xasprintf("%s%s%s: booting one made now with the same code, since %s",
                                   b->note ? b->note : "", b->note ? "; " : "",
                                   strrchr(built, '/') + 1, why);
            free(why);
            free(b->note);
            b->note = n;
            md_out_say(o->out, MD_OUT_PROGRESS, "making the %s",
                       iso ? "hybrid ISO" : "raw GPT disk");
            char **dst = iso ? &b->iso : &b->disk;
            *dst = md_xasprintf("%s/%s", b->workdir, strrchr(built, '/') + 1);
            int (*make)(const md_bootcfg_entry *, const md_bootmedia_files *, const char *,
                        const char *, md_err *) = iso ? md_bootmedia_iso : md_bootmedia_disk;
            if (make(b->entry, &f, *dst, b->workdir, err) < 0)
                goto fail;
        }
        break;
    }
    free(built);
    built = NULL;

    b->xen_cmdline = md_strv_join(&b->entry->xen.args, " ");
    b->q = (md_qemu_opts){
        .qemu = o->qemu, .path = o->path, .accel = o->accel, .machine = o->machine,
        .cpu = o->cpu, .no_iommu = o->no_iommu, .mem_mib = vm, .smp = o->smp, .nic = o->nic,
        .ssh_port = b->port, .qmp_socket = b->qmp, .xen_elf = b->xen_elf,
        .xen_args = b->xen_cmdline, .initrd = b->initrd, .iso = b->iso, .disk = b->disk,
        .ovmf = o->ovmf, .seabios = o->seabios, .tftp_dir = b->netdir, .bootfile = b->bootfile,
        .mac = b->have_host ? b->host.mac : NULL, .tap = o->tap, .other_nic = o->other_nic,
    };
    char *serial = o->interactive ? NULL : md_xasprintf("file:%s", b->console_log);
    b->q.serial = serial;
    r = md_qemu_argv(&b->q, &b->argv, err);
    b->q.serial = NULL;
    free(serial);
    if (r < 0)
        goto fail;
    const char *accel = o->accel ? o->accel : "tcg";
    bool kvm = !strcmp(accel, "kvm");
    char *how = o->path == MD_QEMU_PXE
                    ? md_xasprintf("pxe (%s, %s)", o->seabios ? "SeaBIOS" : "OVMF",
                                   b->bootfile ? b->bootfile : o->tap)
                    : md_xstrdup(md_qemu_path_name(o->path));
    if (host_medium && (b->iso == NULL ? b->disk : b->iso) &&
        !strcmp(b->iso == NULL ? b->disk : b->iso, host_medium)) {
        char *t = md_xasprintf("%s (the host's %s/%s/%s)", how, md_imgdir_name(MD_IMGDIR_HOSTS),
                               b->host.name, strrchr(host_medium, '/') + 1);
        free(how);
        how = t;
    }
    if (b->have_host) {
        char *t = md_xasprintf("%s, host %s (%s)%s", how, b->host.name, b->host.mac,
                               o->other_nic ? ", behind a NIC " MD_QEMU_OTHER_MAC : "");
        free(how);
        how = t;
    }
    b->summary = md_xasprintf("%s, %s, %s, %s%s, %uM (dom0 %lluM), %u vCPUs",
                              how, kvm ? "KVM" : "TCG",
                              o->machine ? o->machine : "q35",
                              o->cpu ? o->cpu : kvm ? "host" : "qemu64,+svm,+npt",
                              o->no_iommu || kvm ? "" : ", amd-iommu", vm,
                              (unsigned long long)b->dom0_mem, o->smp ? o->smp : 2);
    free(how);
    free(host_medium);
    return b;
fail:
    free(host_medium);
    free(built);
    md_imgdir_free(d);
    md_boot_free(b, false);
    return NULL;
}

void md_boot_keep_workdir(md_boot *b)
{
    if (b->workdir)
        md_scratch_keep(b->workdir); /* the user's now: no later run sweeps it */
    free(b->workdir);
    b->workdir = NULL;
}

void md_boot_free(md_boot *b, bool keep_log)
{
    if (!b)
        return;
    md_run_proc_free(b->qemu);
    /* Keep mode: everything but the two logs (their directory stays). */
    static const char *const logs[] = { "console.log", "qemu.log", NULL };
    if (b->workdir)
        md_remove_tree(b->workdir, keep_log && b->log_in_workdir ? logs : NULL);
    md_bootcfg_entry_free(b->entry);
    free(b->xen_cmdline);
    md_strv_free(&b->argv);
    free(b->workdir);
    free(b->console_log);
    free(b->qmp);
    free(b->errlog);
    free(b->note);
    free(b->summary);
    free(b->xen_gz);
    free(b->kernel);
    free(b->rootfs);
    free(b->xen_elf);
    free(b->initrd);
    free(b->iso);
    free(b->disk);
    free(b->xen_efi);
    free(b->boot_rootfs);
    free(b->netdir);
    free(b->bootfile);
    for (int i = 0; i < 5; i++)
        free(b->host_str[i]);
    free(b);
}

int md_boot_add_disk(md_boot *b, const char *id, const char *path, md_err *err)
{
    if (b->qemu)
        return md_err_set(err, "QEMU: disk %s added after QEMU started", path);
    if (!strcmp(id, "d0") || strpbrk(path, ",") || access(path, R_OK | W_OK) < 0)
        return md_err_set(err, "QEMU: cannot attach %s as disk %s (unreadable, a comma in the "
                               "path, or the boot medium's id)", path, id);
    md_qemu_disk_args(&b->argv, id, path);
    return 0;
}

pid_t md_boot_start(md_boot *b, md_err *err)
{
    b->qemu = md_qemu_start(&b->argv, b->interactive, b->errlog, err);
    return b->qemu ? md_run_proc_pid(b->qemu) : -1;
}

int md_boot_wait(md_boot *b)
{
    int st = -1;
    if (b->qemu)
        md_run_proc_wait(b->qemu, 0, &st);
    return st;
}

bool md_boot_exited(md_boot *b, int *status)
{
    if (!b->qemu) {
        if (status)
            *status = -1;
        return true;
    }
    return md_run_proc_exited(b->qemu, status);
}

pid_t md_boot_pid(const md_boot *b) { return b->qemu ? md_run_proc_pid(b->qemu) : -1; }
const md_strv *md_boot_argv(const md_boot *b) { return &b->argv; }
const md_bootcfg_entry *md_boot_entry(const md_boot *b) { return b->entry; }
const char *md_boot_note(const md_boot *b) { return b->note; }
const char *md_boot_workdir(const md_boot *b) { return b->workdir; }
const char *md_boot_console_log(const md_boot *b) { return b->console_log; }
const char *md_boot_qmp_socket(const md_boot *b) { return b->qmp; }
const char *md_boot_qemu_errlog(const md_boot *b) { return b->errlog; }
unsigned md_boot_ssh_port(const md_boot *b) { return b->port; }
const char *md_boot_disk_id(const md_boot *b) { return b->iso || b->disk ? "d0" : NULL; }
const char *md_boot_kernel_path(const md_boot *b) { return b->kernel; }
const char *md_boot_rootfs_path(const md_boot *b) { return b->rootfs; }
const char *md_boot_summary(const md_boot *b) { return b->summary; }
const md_imgdir_host *md_boot_host(const md_boot *b) { return b->have_host ? &b->host : NULL; }
