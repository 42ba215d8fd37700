/* mkdom0 lint — find the design's five traps in existing configs and images. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "core/mem.h"
#include "lint/lint.h"
#include "sink.h"

static void usage(FILE *f)
{
    fputs(
"Usage: mkdom0 lint [--strict] [--json] [--xen XEN.GZ|XEN.EFI] [INPUT...]\n"
"       mkdom0 lint [--boot FILE] [--inittab FILE] [--rootfs PATH] [--xen FILE]\n"
"\n"
"Check boot configs and root filesystems for the five traps that make a\n"
"RAM-resident Xen dom0 fail.  INPUTs are recognized by content (and says how\n"
"it read each one):\n"
"  boot config     GRUB 2 (multiboot2/module2, multiboot/module, Arm's\n"
"                  xen_hypervisor/xen_module), GRUB legacy menu.lst/grub.conf,\n"
"                  /etc/default/grub and grub.d/*.cfg (GRUB_CMDLINE_XEN...; the\n"
"                  recovery entries get GRUB_CMDLINE_XEN alone; given together,\n"
"                  or as their directory, read in one shell as update-grub does),\n"
"                  Xen's EFI xen.cfg (also as BOOTX64.CFG), syslinux/pxelinux\n"
"                  with mboot.c32, iPXE scripts; mkdom0's own grub.cfg; a GRUB\n"
"                  chainloader (or iPXE chain) of Xen's EFI loader is followed\n"
"                  into its xen.cfg, with the section and the options after '--'\n"
"                  that its command line gives, as Xen reads them (its first\n"
"                  word is the loader's name); on an ESP names are matched\n"
"                  without case, as on FAT; a GRUB source, '.' or configfile\n"
"                  line is followed into the file it runs (found as entries'\n"
"                  files are; 16 deep), and so is an iPXE chain of an iPXE\n"
"                  script (by its content, not its name; a loop is an error);\n"
"                  one lint cannot read (not there, or on\n"
"                  a device search finds at boot: Debian's ESP stub's $prefix)\n"
"                  is 'cannot check' on its line, or, in a config with no Xen\n"
"                  entry of its own, why that config is 'not checked'; a GRUB\n"
"                  wildcard (for k in /boot/vmlinu*) is expanded into the files\n"
"                  it matches there, as GRUB with insmod regexp does\n"
"  inittab         busybox or sysvinit format\n"
"  rootfs          cpio archive (gzip, xz, zstd or none; concatenated initramfs\n"
"                  segments too), read as the kernel unpacks an initramfs (newc\n"
"                  only: odc and tar are not unpacked, an error), or a directory\n"
"                  (a root tree, read with its configs under /boot, as below)\n"
"  hypervisor      xen.gz, or Xen's EFI binary xen.efi (any name), for trap 2; a\n"
"                  unified xen.efi is also its .config, .kernel and .ramdisk\n"
"  DIRECTORY       a copy of /boot, a boot partition, an ESP, a TFTP root: each\n"
"                  config where its loader reads it, by content: grub.cfg,\n"
"                  {boot/,}grub{,2}/grub.cfg; {boot/,}grub/menu.lst, grub.conf;\n"
"                  extlinux.conf, syslinux.cfg, isolinux.cfg at the top and in\n"
"                  {boot/,}{syslinux,extlinux,isolinux}/ (any case); xen.cfg and\n"
"                  Xen's EFI loaders at the top; pxelinux.cfg/, *.ipxe,\n"
"                  boot/grub/grub.cfg-*; grub, grub.d/*.cfg; and the rootfs.cpio*\n"
"                  and xen*.gz there.  A config there without a Xen entry is\n"
"                  named: a note \"no Xen boot entry; not a Xen config\" that\n"
"                  leaves no trap unchecked when something else there boots\n"
"                  Xen (else, or when a line of it reads another file lint\n"
"                  did not, 'not checked'); a directory where nothing boots\n"
"                  Xen is exit 2 \"no Xen boot entry found\", with the places\n"
"                  looked at\n"
"  ESP             a directory with EFI/: each EFI/*/grub.cfg, *.cfg and *.conf\n"
"                  by content, and Xen's EFI loaders with the xen.cfg each reads\n"
"                  (names without case, as on FAT); a xen.cfg no loader reads\n"
"                  is a warning, checked, but no Xen entry of the ESP; the file\n"
"                  a xen.cfg's chain= names is read as that chain's only, with\n"
"                  its section, as Xen's EFI loader reads it\n"
"  OUTPUT DIR      an mkdom0 output directory (its image.ini): grub.cfg,\n"
"                  rootfs.cpio.gz, xen.gz together, its netboot/ and efi/ configs\n"
"                  and xen-unified.efi (boot.iso and disk.img are named as not\n"
"                  read)\n"
"A boot config is checked with the rootfs given with it, else with the rootfs\n"
"its entry loads, found next to it and checked for every trap as in an output\n"
"directory; a rootfs against the hypervisor given with it, else the ones the\n"
"entries that load it name, else each xen*.gz next to it (a root tree: each\n"
"Xen image in its /boot, by content); never a stand-in for a file an entry\n"
"names that is not there: in a directory given an error on its line, for a\n"
"config alone 'not checked'.  A rootfs with\n"
"Debian's xen-utils-wrapper may hold several toolstack releases: the running\n"
"hypervisor's is the one used.\n"
"\n"
"The traps:\n"
"  1 console   dom0 needs console=hvc0 (last) plus ttyS0/tty0 or Xen's early\n"
"              console (earlyprintk=xen, earlycon=xenboot; Arm: earlycon=xenboot)\n"
"              for printk, and a getty on hvc0; otherwise the box looks frozen\n"
"              while it is up.\n"
"  2 toolstack libxenctrl must come from the hypervisor's Xen release.\n"
"  3 devices   something must create /dev/xen/* (devtmpfs, mdev, udev or\n"
"              xen-dom0-setup); misc major 10, dynamic minors, mode 0600.\n"
"  4 dom0_mem  always dom0_mem=X,max:X on the Xen line (plus gnttab_max_frames),\n"
"              read as Xen 4.17 reads it: every dom0_mem= word in order, a bad\n"
"              unit ('4096MB') or a glued parameter drops the rest, an error only\n"
"              when what Xen keeps lacks an amount or max:; Arm: one size.\n"
"              -128M, 10% or max:-1G are no fixed size (a fix keeps your fixed\n"
"              amount: 2G,max:-1G -> 2G,max:2G).  The Xen line as Xen 4.17-4.20\n"
"              reads it: names exact and case-sensitive (Dom0_mem=, dom0-mem= and\n"
"              'dom0_mem= 2G', a space beside '=', are no dom0_mem to Xen), x86\n"
"              ' -- ' hands the rest to dom0; lines cut where Xen (dom0: 1023)\n"
"              and iPXE (512) cut them; iPXE lines ending in '\\' are joined.\n"
"  5 modules   module files, modules.dep and every depends= must agree, the\n"
"              Xen modules (xen-evtchn, xen-gntdev, xen-gntalloc, xen-privcmd,\n"
"              xenfs) must be there or built in, and the rootfs must hold\n"
"              /lib/modules/RELEASE of the dom0 kernel that boots it (its\n"
"              bzImage header's release, else its 'Linux version' banner).\n"
"Also checked: a dom0 kernel Xen can start (bzImage or ELF vmlinux, compressed\n"
"as Xen undoes; on Arm an Image, zImage or uImage) and whole (not cut short\n"
"or overwritten, by its header's sizes and its payload's own check), a whole\n"
"hypervisor, no file read through a symlink that leaves the directory given\n"
"(a loader resolves it on its own partition), --nounzip on the rootfs\n"
"module, module/module2 of the loader's own family, no xen.efi under\n"
"multiboot (Xen enters it by EFI only), rdinit= when there is no /init, a\n"
"xen.cfg section that default= or the loader's command line names.\n"
"GRUB if/else branches that load Xen are checked path by path.\n"
"\n"
"Options:\n"
"  --boot FILE     treat FILE as a boot config (format still by content;\n"
"                  GRUB 2 when it is none of the others); --grub is the same\n"
"  --inittab FILE  treat FILE as an inittab\n"
"  --rootfs PATH   treat PATH as a root filesystem (archive or directory)\n"
"  --xen FILE      the hypervisor image (xen.gz or xen.efi) for trap 2\n"
"  --json          one JSON object on stdout: inputs with their format, and\n"
"                  findings with file, line (0: the whole file), trap (null:\n"
"                  none of the five), severity, checked, message, fix,\n"
"                  and counts: errors, warnings, notes, unchecked (lines it\n"
"                  could not check), not_checked (inputs with a trap not checked)\n"
"  --strict        warnings fail too\n"
"  -h, --help      this text\n"
"\n"
"Output: FILE:LINE: error|warning|note: [trapN] message (and the fix).\n"
"Each input also gets 'not checked: ...' naming the traps that need an input\n"
"that was not given (a boot config alone: traps 2, 3, 5 need its rootfs; a\n"
"rootfs alone: trap 2 needs the hypervisor, trap 4 the boot config).\n"
"Such a note on an output directory's boot.iso or disk.img (not read: the\n"
"files they were made from were checked) or on a Xen EFI loader that has no\n"
"config and that nothing given starts leaves no trap unchecked.\n"
"\n"
"Exit status (the first that applies; the last line on stderr says which):\n"
"  2  usage error, an input that cannot be read, or a boot config given\n"
"     (or a directory given, as a whole) with no Xen boot entry\n"
"  1  errors (with --strict, warnings too), or a line it cannot check\n"
"     (values in variables it cannot see, a file it cannot follow)\n"
"  3  nothing failed in what was checked (warnings without --strict do not\n"
"     fail), but some traps were not checked: an input they need was not\n"
"     given (see 'not checked'); not a pass\n"
"  0  every trap was checked and nothing failed\n", f);
}

/* The closing line: what was found, and the exit status it makes and why;
 * for status 2 (an input that could not be read: its error follows) the
 * counts alone, when there are findings. */
static void summary(int status, size_t n, size_t ne, size_t nw, size_t nu, size_t nnc,
                    bool strict)
{
    if (status == MD_EXIT_USAGE && !ne && !nw && !nu)
        return;
    char *what = ne || nw || nu
        ? md_xasprintf("%zu error%s, %zu warning%s%s", ne, ne == 1 ? "" : "s", nw,
                       nw == 1 ? "" : "s", nu ? ", some lines could not be checked" : "")
        : nnc ? md_xasprintf("no findings in what was checked (%zu input%s)", n,
                             n == 1 ? "" : "s")
              : md_xasprintf("no findings in %zu input%s", n, n == 1 ? "" : "s");
    if (status == MD_EXIT_USAGE) {
        fprintf(stderr, "mkdom0 lint: %s\n", what);
        free(what);
        return;
    }
    const char *why = status == MD_EXIT_FAIL
                          ? (ne ? "errors" : nu ? "lines that could not be checked"
                                                : "warnings, with --strict")
                      : status == MD_EXIT_INCOMPLETE ? "incomplete, not a pass"
                                                     : "every trap was checked";
    fprintf(stderr, "mkdom0 lint: %s%s (exit status %d: %s%s)\n", what,
            nnc ? "; not all traps were checked: see 'not checked' above" : "", status, why,
            status != MD_EXIT_FAIL && nw && !strict ? "; warnings fail only with --strict" : "");
    free(what);
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "grub", required_argument, NULL, 'g' },
        { "boot", required_argument, NULL, 'g' },
        { "json", no_argument, NULL, 'j' },
        { "inittab", required_argument, NULL, 'i' },
        { "rootfs", required_argument, NULL, 'r' },
        { "xen", required_argument, NULL, 'x' },
        { "strict", no_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char **paths = md_xcalloc((size_t)argc + 1, sizeof *paths);
    md_lint_kind *kinds = md_xcalloc((size_t)argc + 1, sizeof *kinds);
    size_t n = 0;
    bool strict = false, json = false;
    int c, status = MD_EXIT_OK;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'g': paths[n] = optarg; kinds[n++] = MD_LINT_GRUB; break;
        case 'i': paths[n] = optarg; kinds[n++] = MD_LINT_INITTAB; break;
        case 'r': paths[n] = optarg; kinds[n++] = MD_LINT_ROOTFS; break;
        case 'x': paths[n] = optarg; kinds[n++] = MD_LINT_XEN; break;
        case 's': strict = true; break;
        case 'j': json = true; break;
        case 'h':
            usage(stdout);
            goto out;
        default:
            fprintf(stderr, "mkdom0 lint: unknown option or missing argument: '%s'\n"
                            "Run 'mkdom0 lint --help' for usage.\n", argv[optind - 1]);
            status = MD_EXIT_USAGE;
            goto out;
        }
    }
    for (int i = optind; i < argc; i++) {
        paths[n] = argv[i];
        kinds[n++] = MD_LINT_AUTO;
    }
    if (!n) {
        fputs("mkdom0 lint: nothing to check: give a boot config, inittab, rootfs or output "
              "directory\n", stderr);
        usage(stderr);
        status = MD_EXIT_USAGE;
        goto out;
    }
    md_lint *l = md_lint_new();
    md_err err = MD_ERR_INIT;
    int r = md_lint_inputs(l, paths, kinds, n, &err);
    fflush(stderr);
    md_out out = md_cli_sink();
    md_lint_report(l, json, &out);
    fflush(stdout);
    size_t ne = md_lint_count_sev(l, MD_LINT_ERROR), nw = md_lint_count_sev(l, MD_LINT_WARNING);
    size_t nu = md_lint_count_unchecked(l), nnc = md_lint_count_not_checked(l);
    /* 2 > 1 > 3 > 0: an input lint cannot read, then a finding that fails,
     * then a trap not checked for want of an input */
    if (r < 0)
        status = MD_EXIT_USAGE;
    else if (ne || nu || (strict && nw))
        status = MD_EXIT_FAIL;
    else if (nnc)
        status = MD_EXIT_INCOMPLETE;
    /* the files read, not those named: a directory given holds several,
     * and a config's chain= or INCLUDE adds the files it reads */
    size_t nread = md_lint_count_files(l);
    summary(status, nread ? nread : n, ne, nw, nu, nnc, strict);
    if (r < 0)
        fprintf(stderr, "mkdom0 lint: error: %s\n", err.msg);
    md_lint_free(l);
out:
    free(paths);
    free(kinds);
    return status;
}

const struct md_app md_app_lint = {
    "lint", "find the five traps in existing boot configs, inittabs and rootfs images", run,
};
