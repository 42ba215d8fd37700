/* mkdom0 boot — run an image in QEMU (interactive serial console), or prove
 * it with --check. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "app.h"
#include "boot/bootcfg.h"
#include "core/size.h"
#include "proof/check.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/strv.h"
#include "sink.h"
#include "stop.h"
#include "image/imgdir.h"
#include "spec/spec.h"

#define OUTPUT_RISK "who could change it, or point its name at another file for mkdom0 (or " \
                    "QEMU) to write: write it into a directory of your own"

static void usage(FILE *f)
{
    fprintf(f,
        "Usage: mkdom0 boot [OPTIONS] DIR\n"
        "\n"
        "Boot the image in DIR (what `mkdom0 build -o DIR` wrote) in QEMU.  By default the\n"
        "serial console is on this terminal: Xen's messages, the dom0 kernel and the login\n"
        "prompt on hvc0.  Quit with Ctrl-a x; Ctrl-a c toggles the QEMU monitor; Xen's own\n"
        "console input switch (Ctrl-a three times) is Ctrl-a a, three times.\n"
        "\n"
        "  --path multiboot|iso|uefi|iso-uefi|disk|xen-efi|efi|pxe   how the image is loaded\n"
        "                  (default multiboot):\n"
        "                  multiboot  QEMU loads Xen (-kernel) and the two modules itself\n"
        "                  uefi       OVMF + GRUB x86_64-efi from an NVMe disk's ESP\n"
        "                  iso        SeaBIOS + GRUB from DIR/boot.iso (build --media iso),\n"
        "                             the hybrid ISO, as a CD-ROM\n"
        "                  iso-uefi   OVMF + GRUB from the same ISO\n"
        "                  disk       DIR/disk.img (build --media disk) as an NVMe disk:\n"
        "                             OVMF and its ESP, or with --firmware bios SeaBIOS\n"
        "                             and its BIOS boot partition\n"
        "                  xen-efi    OVMF, no GRUB: DIR/xen-unified.efi (build --media\n"
        "                             unified) as \\EFI\\BOOT\\BOOTX64.EFI of an ESP\n"
        "                  efi        OVMF, no GRUB: DIR/efi/ (build --media efi) on an ESP:\n"
        "                             xen.efi as \\EFI\\BOOT\\BOOTX64.EFI, xen.cfg beside it\n"
        "                             as BOOTX64.cfg (the name xen.efi reads), the kernel\n"
        "                             and the rootfs\n"
        "                  pxe        DIR/netboot (build --media netboot) over QEMU's user\n"
        "                             network (its DHCP and TFTP server): the NIC's iPXE\n"
        "                             boots GRUB's netboot image (or --netboot ipxe:\n"
        "                             boot.ipxe); SeaBIOS, or OVMF with --firmware uefi\n"
        "                  iso, iso-uefi, disk, xen-efi, efi and pxe boot the build's files as they\n"
        "                  are when the image's dom0_mem fits the VM, else ones made now with\n"
        "                  the fitted value (xen-efi, efi: from DIR/efi/xen.efi, build --media\n"
        "                  efi)\n"
        "  --firmware uefi|bios  --path disk: OVMF (default) or SeaBIOS; --path pxe:\n"
        "                  SeaBIOS (default) or OVMF\n"
        "  --netboot grub|ipxe  --path pxe: what the NIC's iPXE boots: GRUB's netboot image\n"
        "                  for the firmware (default), or boot.ipxe (BIOS only)\n"
        "  --host NAME     boot as the image's host NAME ([Host NAME] in its spec): the NIC\n"
        "                  gets its MAC, so the netboot tree picks its config; other paths\n"
        "                  boot its rootfs from DIR/netboot/hosts/NAME.  --check also\n"
        "                  proves the host name, static address and ssh host key are the host's\n"
        "  --tap IFNAME    the NIC on this existing tap interface (your bridge, your DHCP\n"
        "                  and TFTP server, e.g. dnsmasq with DIR/netboot/README's settings)\n"
        "                  instead of QEMU's user network; not with --check\n"
        "  --other-nic     with --host: another NIC (MAC 52:54:00:12:34:57, a user network\n"
        "                  of its own) ahead of the host's, as on a server with several\n"
        "                  ports: the dom0's first NIC is not the host's, and its network\n"
        "                  must be on the host's MAC all the same\n"
        "  --check         boot in the background and prove the image: login prompt on hvc0,\n"
        "                  ssh, xl list/xl info, a PV and a PVH guest, xl reboot and xl\n"
        "                  shutdown of a guest, a guest with a vif on xenbr0 (or routed),\n"
        "                  a file-backed and a phy: disk, an HVM guest (images built with\n"
        "                  [Xen] HVM=yes), killed daemons (xenconsoled and sshd come back,\n"
        "                  xenstored's death is on the console), no disk reads after\n"
        "                  the hand-off, statelessness across a reset; with the image's\n"
        "                  guest storage: a second disk for it, mounted, an autostarted\n"
        "                  guest on it, its clean shutdown, its data kept across the\n"
        "                  reset; the dom0's memory in use; timing table\n"
        "  --ssh-key FILE  root's private key for --check (default: ClientKey in\n"
        "                  DIR/image.ini, DIR/ssh/id_ed25519, ~/.local/state/mkdom0/keys/id_ed25519)\n"
        "  --accel tcg|kvm (default tcg: Xen dom0 fails under KVM on many hosts)\n"
        "  --cpu MODEL     (default qemu64,+svm,+npt under TCG, host under KVM)\n"
        "  --machine TYPE  (default q35)      --no-iommu  leave out -device amd-iommu\n"
        "  --memory SIZE   VM memory (default 2048M)   --smp N  vCPUs (default 2)\n"
        "  --dom0-mem SIZE dom0_mem for this VM (default: the image's, or half the VM when\n"
        "                  the image's does not fit)\n"
        "  --nic MODEL     emulated NIC (default e1000e)\n"
        "  --timeout SECS  --check: QEMU start to login prompt (default 300)\n"
        "  --stall-timeout SECS --check: how long the dom0 kernel may print nothing\n"
        "                  before it runs init (default 120); a stall is reported, with\n"
        "                  the CPUs' state, and the VM is reset for one more try;\n"
        "                  so are lockup reports (soft lockup, RCU stall) 30 s apart\n"
        "  --ssh-timeout SECS   login prompt to sshd (default 90)\n"
        "  --guest-timeout SECS per guest (default 240; 420 with a vif and a disk, 600\n"
        "                  for HVM)\n"
        "  --no-guests     --check without the guests (PV, PVH, the one with a vif and\n"
        "                  a disk, and HVM on images built with [Xen] HVM=yes)\n"
        "  --guests LIST   --check with only these guests, comma-separated: pv, pvh,\n"
        "                  reboot (xl reboot/shutdown), io (the one with a vif and disks),\n"
        "                  hvm (default: all)\n"
        "  --no-reset      --check without the reset/statelessness step\n"
        "  --no-services   --check without killing xenconsoled, sshd and xenstored (which\n"
        "                  proves the first two restarted, the last one's death loud)\n"
        "  --no-storage    --check without the guest storage disk (the image's [Guests]\n"
        "                  Storage=): the dom0's console must then say that it is missing\n"
        "  --expect-caps WORDS  virt_caps words --check requires (default \"hvm hap\n"
        "                  hvm_directio\"; \"\" for none)\n"
        "  --log FILE      --check: write the serial console here (kept)\n"
        "  --timings FILE  --check: also write the timing table as TSV\n"
        "  --qemu BIN      QEMU binary (default qemu-system-x86_64)\n"
        "  --ovmf FILE     UEFI firmware (default /usr/share/ovmf/OVMF.fd)\n"
        "  --print-cmdline print the QEMU command line and exit\n");
}

static int parse_size(const char *opt, const char *v, uint64_t *mib)
{
    md_err err = MD_ERR_INIT;
    if (md_size_parse_mib(v, mib, &err) < 0) {
        fprintf(stderr, "mkdom0 boot: %s: %s\n", opt, err.msg);
        return -1;
    }
    return 0;
}

static int parse_uint(const char *opt, const char *v, unsigned lo, unsigned hi, unsigned *out)
{
    char *end;
    unsigned long x = strtoul(v, &end, 10);
    if (!*v || *end || x < lo || x > hi) {
        fprintf(stderr, "mkdom0 boot: %s: '%s' is not a number from %u to %u\n", opt, v, lo, hi);
        return -1;
    }
    *out = (unsigned)x;
    return 0;
}

static volatile sig_atomic_t forward_pid;
static void forward(int sig)
{
    if (forward_pid > 0)
        kill((pid_t)forward_pid, sig == SIGHUP ? SIGTERM : sig);
}

/* Ctrl-C or SIGTERM during --check: the check stops QEMU and cleans up,
 * then we die of the signal as if it had killed us.  A second one does at
 * once (stop.h). */
static md_check_cancel check_cancel;
static void cancel_check(int sig)
{
    (void)sig;
    md_check_cancel_request(&check_cancel);
}

static int run_check(md_check_opts *co, md_err *err)
{
    static const int sigs[] = { SIGINT, SIGTERM };
    md_cli_stop stop;
    md_cli_stop_arm(&stop, sigs, 2, cancel_check);
    co->cancel = &check_cancel;
    int rc = md_check_run(co, err);
    md_cli_stop_disarm(&stop);
    md_cli_stop_die("mkdom0 boot --check", err->msg);
    return rc;
}

static int run(int argc, char **argv)
{
    enum { O_PATH = 256, O_CHECK, O_KEY, O_ACCEL, O_CPU, O_MACHINE, O_NOIOMMU, O_MEM, O_SMP,
           O_DOM0MEM, O_NIC, O_TIMEOUT, O_STALLTO, O_SSHTO, O_GUESTTO, O_GUESTS, O_NOGUESTS, O_NORESET, O_NOSERVICES, O_NOSTORAGE, O_CAPS,
           O_LOG, O_TIMINGS, O_QEMU, O_OVMF, O_PRINT, O_HELP, O_FIRMWARE, O_NETBOOT, O_HOST, O_TAP,
           O_OTHERNIC };
    static const struct option lo[] = {
        { "path", required_argument, 0, O_PATH },
        { "check", no_argument, 0, O_CHECK },
        { "ssh-key", required_argument, 0, O_KEY },
        { "accel", required_argument, 0, O_ACCEL },
        { "cpu", required_argument, 0, O_CPU },
        { "machine", required_argument, 0, O_MACHINE },
        { "no-iommu", no_argument, 0, O_NOIOMMU },
        { "memory", required_argument, 0, O_MEM },
        { "smp", required_argument, 0, O_SMP },
        { "dom0-mem", required_argument, 0, O_DOM0MEM },
        { "nic", required_argument, 0, O_NIC },
        { "timeout", required_argument, 0, O_TIMEOUT },
        { "stall-timeout", required_argument, 0, O_STALLTO },
        { "ssh-timeout", required_argument, 0, O_SSHTO },
        { "guest-timeout", required_argument, 0, O_GUESTTO },
        { "guests", required_argument, 0, O_GUESTS },
        { "no-guests", no_argument, 0, O_NOGUESTS },
        { "no-reset", no_argument, 0, O_NORESET },
        { "no-services", no_argument, 0, O_NOSERVICES },
        { "no-storage", no_argument, 0, O_NOSTORAGE },
        { "expect-caps", required_argument, 0, O_CAPS },
        { "log", required_argument, 0, O_LOG },
        { "timings", required_argument, 0, O_TIMINGS },
        { "qemu", required_argument, 0, O_QEMU },
        { "ovmf", required_argument, 0, O_OVMF },
        { "firmware", required_argument, 0, O_FIRMWARE },
        { "netboot", required_argument, 0, O_NETBOOT },
        { "host", required_argument, 0, O_HOST },
        { "tap", required_argument, 0, O_TAP },
        { "other-nic", no_argument, 0, O_OTHERNIC },
        { "print-cmdline", no_argument, 0, O_PRINT },
        { "help", no_argument, 0, O_HELP },
        { 0, 0, 0, 0 },
    };
    md_out out = md_cli_sink();
    md_check_opts co = { .out = &out };
    md_boot_opts *bo = &co.boot;
    bo->out = &out;
    bool check = false, print = false, custom_machine = false;
    const char *firmware = NULL;
    const char *key = NULL;
    unsigned u;
    uint64_t mib;
    md_err err = MD_ERR_INIT;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        switch (c) {
        case O_PATH:
            if (md_qemu_path_from_name(optarg, &bo->path, &err) < 0) {
                fprintf(stderr, "mkdom0 boot: --path: %s\n", err.msg);
                return MD_EXIT_USAGE;
            }
            break;
        case O_CHECK: check = true; break;
        case O_KEY: key = optarg; break;
        case O_ACCEL:
            if (strcmp(optarg, "tcg") && strcmp(optarg, "kvm")) {
                fprintf(stderr, "mkdom0 boot: --accel: '%s' (choose tcg or kvm)\n", optarg);
                return MD_EXIT_USAGE;
            }
            bo->accel = optarg;
            custom_machine |= !strcmp(optarg, "kvm");
            break;
        case O_CPU: bo->cpu = optarg; custom_machine = true; break;
        case O_MACHINE: bo->machine = optarg; custom_machine = true; break;
        case O_NOIOMMU: bo->no_iommu = true; custom_machine = true; break;
        case O_MEM:
            if (parse_size("--memory", optarg, &mib) < 0)
                return MD_EXIT_USAGE;
            if (mib > 1u << 20) {
                fprintf(stderr, "mkdom0 boot: --memory: %s is more than 1T\n", optarg);
                return MD_EXIT_USAGE;
            }
            bo->mem_mib = (unsigned)mib;
            break;
        case O_SMP:
            if (parse_uint("--smp", optarg, 1, 64, &u) < 0)
                return MD_EXIT_USAGE;
            bo->smp = u;
            break;
        case O_DOM0MEM:
            if (parse_size("--dom0-mem", optarg, &bo->dom0_mem_mib) < 0)
                return MD_EXIT_USAGE;
            break;
        case O_NIC: bo->nic = optarg; break;
        case O_TIMEOUT:
            if (parse_uint("--timeout", optarg, 1, 86400, &u) < 0)
                return MD_EXIT_USAGE;
            co.boot_timeout = u;
            break;
        case O_STALLTO:
            if (parse_uint("--stall-timeout", optarg, 1, 86400, &u) < 0)
                return MD_EXIT_USAGE;
            co.stall_timeout = u;
            break;
        case O_SSHTO:
            if (parse_uint("--ssh-timeout", optarg, 1, 86400, &u) < 0)
                return MD_EXIT_USAGE;
            co.ssh_timeout = u;
            break;
        case O_GUESTTO:
            if (parse_uint("--guest-timeout", optarg, 1, 86400, &u) < 0)
                return MD_EXIT_USAGE;
            co.guest_timeout = u;
            break;
        case O_GUESTS: {
            md_err e = MD_ERR_INIT;
            if (md_check_guests_parse(optarg, &co.guests, &e) < 0) {
                fprintf(stderr, "mkdom0 boot: --guests: %s\n", e.msg);
                return MD_EXIT_USAGE;
            }
            break;
        }
        case O_NOGUESTS: co.no_guests = true; break;
        case O_NORESET: co.no_reset = true; break;
        case O_NOSERVICES: co.no_services = true; break;
        case O_NOSTORAGE: co.no_storage = true; break;
        case O_CAPS: co.expect_caps = optarg; break;
        case O_LOG: bo->console_log = optarg; break;
        case O_TIMINGS: co.timings_path = optarg; break;
        case O_QEMU: bo->qemu = optarg; break;
        case O_OVMF: bo->ovmf = optarg; break;
        case O_FIRMWARE:
            if (strcmp(optarg, "bios") && strcmp(optarg, "uefi")) {
                fprintf(stderr, "mkdom0 boot: --firmware: '%s' (choose bios or uefi)\n", optarg);
                return MD_EXIT_USAGE;
            }
            firmware = optarg;
            break;
        case O_NETBOOT:
            if (strcmp(optarg, "grub") && strcmp(optarg, "ipxe")) {
                fprintf(stderr, "mkdom0 boot: --netboot: '%s' (choose grub or ipxe)\n", optarg);
                return MD_EXIT_USAGE;
            }
            bo->netboot = optarg;
            break;
        case O_HOST: bo->host = optarg; break;
        case O_TAP: bo->tap = optarg; break;
        case O_OTHERNIC: bo->other_nic = true; break;
        case O_PRINT: print = true; break;
        case O_HELP:
        case 'h':
            usage(stdout);
            return MD_EXIT_OK;
        default:
            usage(stderr);
            return MD_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "mkdom0 boot: give exactly one image directory\n");
        usage(stderr);
        return MD_EXIT_USAGE;
    }
    bo->dir = argv[optind];
    /* the spec's rule for a [Host NAME]: NAME names the host's files
     * (netboot/hosts/NAME/), so it is checked as one before it is looked up */
    const char *why = bo->host ? md_spec_hostname_problem(bo->host, true) : NULL;
    if (why) {
        char *shown = md_err_shown(bo->host);
        fprintf(stderr, "mkdom0 boot: --host %s: not a host's name: %s\n", shown, why);
        free(shown);
        return MD_EXIT_USAGE;
    }
    /* --log and --timings are written where the user says, often as root:
     * their places are held to the rule of every file mkdom0 writes
     * before anything starts (trial 9k: a directory another user could
     * change let them re-point the name at any file between the check
     * and QEMU's open) */
    const char *outs[][2] = { { "--log", bo->console_log }, { "--timings", co.timings_path } };
    for (size_t i = 0; i < 2; i++) {
        char *real = outs[i][1] ? md_file_check_output(outs[i][1], OUTPUT_RISK, &err) : NULL;
        if (outs[i][1] && !real) {
            fprintf(stderr, "mkdom0 boot: %s %s\n", outs[i][0], err.msg);
            return MD_EXIT_FAIL;
        }
        free(real);
    }
    /* Only the disk and PXE boot through either firmware; say so rather
     * than ignore it.  PXE's default is SeaBIOS, as Xen's CI boots. */
    if (firmware && bo->path != MD_QEMU_DISK && bo->path != MD_QEMU_PXE) {
        fprintf(stderr, "mkdom0 boot: --firmware is for --path disk and pxe (iso boots with "
                        "SeaBIOS, uefi and iso-uefi with OVMF)\n");
        return MD_EXIT_USAGE;
    }
    bo->seabios = firmware ? !strcmp(firmware, "bios") : bo->path == MD_QEMU_PXE;
    if (bo->tap && (check || bo->netboot)) {
        fprintf(stderr, "mkdom0 boot: --tap is for booting on your own network: --check and "
                        "--netboot need QEMU's user network (its ssh forward, its TFTP server)\n");
        return MD_EXIT_USAGE;
    }
    if (bo->netboot && bo->path != MD_QEMU_PXE) {
        fprintf(stderr, "mkdom0 boot: --netboot is for --path pxe\n");
        return MD_EXIT_USAGE;
    }
    /* With a machine of the user's choosing, virt_caps are reported, not required. */
    if (custom_machine && !co.expect_caps)
        co.expect_caps = "";

    if (print) {
        /* The command line `mkdom0 boot` would run: with the ssh forward. */
        bo->interactive = !check;
        bo->ssh = !bo->tap;
        bo->qmp = check;
        md_boot *b = md_boot_prepare(bo, &err);
        if (!b) {
            fprintf(stderr, "mkdom0 boot: %s\n", err.msg);
            return MD_EXIT_FAIL;
        }
        const md_strv *v = md_boot_argv(b);
        for (size_t i = 0; i < v->n; i++)
            printf(i ? " '%s'" : "%s", v->v[i]);
        printf("\n");
        if (md_boot_note(b))
            fprintf(stderr, "note: %s\n", md_boot_note(b));
        fprintf(stderr, "note: the command line uses files in %s; remove it when done\n",
                md_boot_workdir(b));
        md_boot_keep_workdir(b);
        md_boot_free(b, false);
        return MD_EXIT_OK;
    }

    if (check) {
        char *k = key ? md_xstrdup(key) : md_imgdir_client_key(bo->dir);
        if (!k) {
            fprintf(stderr, "mkdom0 boot --check: no ssh key for root@dom0: give --ssh-key FILE "
                            "(the private half of a key in the image's authorized_keys), or "
                            "build the image so that %s/ssh/id_ed25519 exists\n", bo->dir);
            return MD_EXIT_USAGE;
        }
        co.ssh_key = k;
        int rc = run_check(&co, &err);
        free(k);
        if (rc < 0) {
            fflush(stdout);
            fprintf(stderr, "mkdom0 boot --check: FAIL: %s\n", err.msg);
            return MD_EXIT_FAIL;
        }
        return MD_EXIT_OK;
    }

    bo->interactive = true;
    bo->ssh = !bo->tap; /* handy: ssh -p PORT root@127.0.0.1 */
    md_boot *b = md_boot_prepare(bo, &err);
    if (!b) {
        fprintf(stderr, "mkdom0 boot: %s\n", err.msg);
        return MD_EXIT_FAIL;
    }
    fprintf(stderr, "mkdom0 boot: %s (%s)\n", bo->dir, md_boot_summary(b));
    if (md_boot_note(b))
        fprintf(stderr, "note: %s\n", md_boot_note(b));
    if (bo->tap)
        fprintf(stderr, "network: %s    quit: Ctrl-a x\n", bo->tap);
    else
        fprintf(stderr, "ssh: ssh -p %u root@127.0.0.1    quit: Ctrl-a x\n", md_boot_ssh_port(b));
    /* QEMU owns the terminal (raw mode); Ctrl-C goes to the guest.  A
     * SIGTERM or SIGHUP for us is passed on, so QEMU never outlives us and
     * the scratch directory is still removed. */
    signal(SIGINT, SIG_IGN);
    if (md_boot_start(b, &err) < 0) {
        fprintf(stderr, "mkdom0 boot: %s\n", err.msg);
        md_boot_free(b, false);
        return MD_EXIT_FAIL;
    }
    forward_pid = md_boot_pid(b);
    struct sigaction sa = { .sa_handler = forward };
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    int st = md_boot_wait(b);
    md_boot_free(b, false);
    return st == 0 ? MD_EXIT_OK : MD_EXIT_FAIL;
}

const struct md_app md_app_boot = {
    "boot",
    "run an image in QEMU; --check proves it boots, serves ssh and runs guests",
    run,
};
