/* mkdom0 build [SPEC] [-o DIR]: the image, reproducibly, without root. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "build/build.h"
#include "paths.h"
#include "sink.h"
#include "stop.h"
#include "spec/spec.h"

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: mkdom0 build [OPTIONS] [SPEC]\n\n"
        "Build a RAM-resident Xen dom0 from distribution packages: no root, no\n"
        "chroot, no container; the same inputs give the same bytes.\n"
        "Without SPEC the embedded default (Xen 4.17 on Debian bookworm) is built;\n"
        "`mkdom0 inspect --default-spec` prints it.  A spec starting with\n"
        "`[Image] Base=debian-13` builds Xen 4.20 on Debian trixie instead\n"
        "(`mkdom0 inspect --bases` lists the embedded bases).\n\n"
        "Writes to DIR: xen.gz, vmlinuz, rootfs.cpio.gz, grub.cfg (the GRUB entry),\n"
        "manifest (every package with version, repository, size and checksum:\n"
        "Debian's SHA-256, Alpine's index C: (Q1: SHA-1 of the control member);\n"
        "and the modloop's path, size, SHA-256 and signers), image.ini,\n"
        "size-report.txt, and the boot media asked for (--media).  DIR is replaced\n"
        "as a whole, in one step, only when the whole build succeeded; a second\n"
        "build into the same DIR is refused while one runs (lock: .DIR.mkdom0-lock\n"
        "beside DIR).\n\n"
        "Options:\n"
        "  -o, --output DIR   output directory (default: ./out)\n"
        "      --cache DIR    download cache (default: $MKDOM0_CACHE, else\n"
        "                     $XDG_CACHE_HOME/mkdom0, else ~/.cache/mkdom0)\n"
        "      --keys DIR     ssh keys directory (default: the spec's KeysDir,\n"
        "                     else ~/.local/state/mkdom0/keys); neither it nor the\n"
        "                     cache may be inside the output directory\n"
        "      --media LIST   boot media to write into DIR too (replaces the spec's\n"
        "                     [Boot] Media=; words separated by commas or spaces):\n"
        "                       iso      boot.iso: hybrid ISO, BIOS and UEFI, for a CD or\n"
        "                                `dd` to a USB stick\n"
        "                       disk     disk.img: raw GPT disk, an ESP with GRUB (UEFI) and\n"
        "                                a BIOS boot partition, for `dd` to a stick or NVMe\n"
        "                       netboot  netboot/: PXE tree: GRUB for BIOS and UEFI, an iPXE\n"
        "                                script, pxelinux with mboot.c32, README with a\n"
        "                                dnsmasq configuration\n"
        "                       efi      efi/: Xen's own EFI boot, no GRUB: Debian's xen.efi,\n"
        "                                xen.cfg, vmlinuz and the rootfs, for an ESP\n"
        "                       unified  xen-unified.efi: xen.efi carrying xen.cfg, kernel and\n"
        "                                rootfs (Xen's .config/.kernel/.ramdisk sections);\n"
        "                                signed with sbsign when the spec gives [Boot]\n"
        "                                SecureBootKey= and SecureBootCert=\n"
        "                       none     only the files (the default)\n"
        "                     Every config on them carries the grub.cfg's arguments and\n"
        "                     is linted with the image.\n"
        "  -f, --force        replace DIR even if it holds files the build did not write\n"
        "  -v, --verbose      full size and module tables, each dependency Exclude= left out,\n"
        "                     the wall time of each phase of the build\n"
        "  -h, --help         this help\n\n"
        "Environment: SOURCE_DATE_EPOCH clamps mtimes (default: derived from the\n"
        "packages); MKDOM0_PROGRESS=0/1 forces progress lines off/on.\n");
}

/* Ctrl-C, SIGTERM or SIGHUP: the build stops before its next step and
 * removes its staging directory, then we die of the signal as if it had
 * killed us.
 * A second signal does at once (the next build removes the staging). */
static void stop_build(int sig)
{
    (void)sig;
    static const char note[] = "mkdom0 build: stopping (a second signal stops at once)\n";
    ssize_t w = write(STDERR_FILENO, note, sizeof note - 1);
    (void)w;
}

static int run_build(const md_spec *spec, md_build_opts *o, md_err *err)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
    md_cli_stop stop;
    md_cli_stop_arm(&stop, sigs, 3, stop_build);
    o->cancel = &md_cli_stop_signal;
    int rc = md_build_run(spec, o, err);
    md_cli_stop_disarm(&stop);
    /* Stopped: say why, then die of the signal.  A build that published
     * before it saw the signal has done its work and succeeds. */
    if (rc < 0)
        md_cli_stop_die("mkdom0 build", err->msg);
    return rc;
}

static int run(int argc, char **argv)
{
    static const struct option opts[] = {
        { "output", required_argument, NULL, 'o' }, { "cache", required_argument, NULL, 'c' },
        { "keys", required_argument, NULL, 'k' },   { "verbose", no_argument, NULL, 'v' },
        { "force", no_argument, NULL, 'f' },        { "help", no_argument, NULL, 'h' },
        { "media", required_argument, NULL, 'm' },
        { NULL, 0, NULL, 0 },
    };
    md_out out = md_cli_sink();
    md_build_opts o = { .outdir = "out", .out = &out, .media = -1 };
    int c;
    unsigned media = 0;
    md_err merr = MD_ERR_INIT;
    while ((c = getopt_long(argc, argv, "o:fvh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': o.outdir = optarg; break;
        case 'c': o.cache_dir = optarg; break;
        case 'k': o.keys_dir = optarg; break;
        case 'v': o.verbose = true; break;
        case 'f': o.force = true; break;
        case 'm':
            if (md_spec_media_parse(optarg, &media, &merr) < 0) {
                fprintf(stderr, "mkdom0 build: --media: %s\n", merr.msg);
                return MD_EXIT_USAGE;
            }
            o.media = (int)media;
            break;
        case 'h': usage(stdout); return MD_EXIT_OK;
        default: usage(stderr); return MD_EXIT_USAGE;
        }
    }
    if (argc - optind > 1) {
        fprintf(stderr, "mkdom0 build: one SPEC at most\n");
        usage(stderr);
        return MD_EXIT_USAGE;
    }
    md_err err = MD_ERR_INIT;
    md_spec *spec = md_spec_load(optind < argc ? argv[optind] : NULL, &err);
    char *data = md_cli_data_dir(), *dom0 = md_cli_dom0_dir();
    o.data_dir = data;
    o.dom0_dir = dom0;
    int r = spec ? run_build(spec, &o, &err) : -1;
    if (r < 0)
        fprintf(stderr, "mkdom0 build: %s\n", err.msg);
    md_spec_free(spec);
    free(data);
    free(dom0);
    return r < 0 ? MD_EXIT_FAIL : MD_EXIT_OK;
}

const struct md_app md_app_build = { "build", "build a dom0 image from a spec (default: the reference dom0)", run };
