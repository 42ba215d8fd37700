#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>
#include "boot/bootcfg.h"
#include "boot/qemu.h"
#include "core/file.h"
#include "core/mem.h"
#include "core/strv.h"
#include "t.h"

static char tmpdir[] = "/tmp/test_qemu.XXXXXX";

static char *touch(const char *name)
{
    char *p = md_xasprintf("%s/%s", tmpdir, name);
    FILE *f = fopen(p, "w");
    fputs("x", f);
    fclose(f);
    return p;
}

/* The argument after `flag` (the first occurrence after index `from`). */
static const char *arg_after(const md_strv *v, const char *flag, size_t from)
{
    for (size_t i = from; i + 1 < v->n; i++)
        if (!strcmp(v->v[i], flag))
            return v->v[i + 1];
    return NULL;
}

static bool has_pair(const md_strv *v, const char *flag, const char *val)
{
    for (size_t i = 0; i + 1 < v->n; i++)
        if (!strcmp(v->v[i], flag) && !strcmp(v->v[i + 1], val))
            return true;
    return false;
}

static void test_argv(void)
{
    char *xen = touch("xen.elf"), *iso = touch("boot.iso"), *disk = touch("disk.img");
    char *ovmf = touch("OVMF.fd");
    md_err err = MD_ERR_INIT;

    /* Multiboot, the design's host under TCG. */
    md_bootcfg_entry e = { 0 };
    md_strv_split(&e.kernel.args, "rdinit=/sbin/init console=ttyS0,115200 console=hvc0", false);
    char *initrd = md_bootcfg_qemu_initrd(&e, "/img/vmlinuz", "/img/rootfs.cpio.gz");
    md_strv_free(&e.kernel.args);
    md_qemu_opts o = { .path = MD_QEMU_MULTIBOOT, .xen_elf = xen,
                       .xen_args = "dom0_mem=1024M,max:1024M com1=115200,8n1 console=com1",
                       .initrd = initrd, .ssh_port = 2222, .serial = "file:/tmp/c.log",
                       .qmp_socket = "/tmp/q.sock" };
    md_strv v = { 0 };
    CHECK(md_qemu_argv(&o, &v, &err) == 0);
    CHECK_STR(v.v[0], "qemu-system-x86_64");
    CHECK(md_strv_contains(&v, "-nodefaults"));
    CHECK(has_pair(&v, "-machine", "q35"));
    CHECK(has_pair(&v, "-accel", "tcg"));
    CHECK(has_pair(&v, "-cpu", "qemu64,+svm,+npt"));
    CHECK(has_pair(&v, "-device", "amd-iommu"));
    /* An entropy source, so the dom0's getrandom() does not wait (issue 12). */
    CHECK(has_pair(&v, "-device", "virtio-rng-pci"));
    CHECK(has_pair(&v, "-m", "2048"));
    CHECK(has_pair(&v, "-smp", "2"));
    CHECK(has_pair(&v, "-serial", "file:/tmp/c.log"));
    CHECK(has_pair(&v, "-qmp", "unix:/tmp/q.sock,server=on,wait=off"));
    CHECK(has_pair(&v, "-netdev", "user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:2222-:22"));
    CHECK(has_pair(&v, "-device", "e1000e,netdev=n0"));
    CHECK(has_pair(&v, "-kernel", xen));
    CHECK(has_pair(&v, "-append", "dom0_mem=1024M,max:1024M com1=115200,8n1 console=com1"));
    CHECK_STR(arg_after(&v, "-initrd", 0), "/img/vmlinuz rdinit=/sbin/init console=ttyS0,,115200 "
                                           "console=hvc0,/img/rootfs.cpio.gz");
    CHECK(arg_after(&v, "-drive", 0) == NULL);
    CHECK(v.v[v.n] == NULL);
    md_strv_free(&v);

    /* Overrides; no NIC without a port; KVM drops the IOMMU and uses -cpu host. */
    o.machine = "pc";
    o.cpu = "Haswell-noTSX-IBRS";
    o.mem_mib = 4096;
    o.smp = 4;
    o.ssh_port = 0;
    o.serial = NULL;
    o.qmp_socket = NULL;
    o.no_iommu = true;
    CHECK(md_qemu_argv(&o, &v, &err) == 0);
    CHECK(has_pair(&v, "-machine", "pc"));
    CHECK(has_pair(&v, "-cpu", "Haswell-noTSX-IBRS"));
    CHECK(has_pair(&v, "-m", "4096") && has_pair(&v, "-smp", "4"));
    CHECK(has_pair(&v, "-serial", "mon:stdio"));
    CHECK(!has_pair(&v, "-device", "amd-iommu"));
    CHECK(has_pair(&v, "-device", "virtio-rng-pci"));
    CHECK(arg_after(&v, "-netdev", 0) == NULL && arg_after(&v, "-qmp", 0) == NULL);
    md_strv_free(&v);

    /* ISO: a read-only CD-ROM drive named d0 (the id QMP statistics use). */
    md_qemu_opts oi = { .path = MD_QEMU_ISO, .iso = iso, .nic = "virtio-net-pci", .ssh_port = 10022 };
    CHECK(md_qemu_argv(&oi, &v, &err) == 0);
    char *want = md_xasprintf("file=%s,if=none,id=d0,format=raw,media=cdrom,readonly=on", iso);
    CHECK(has_pair(&v, "-drive", want));
    free(want);
    CHECK(has_pair(&v, "-device", "ide-cd,drive=d0,bootindex=0"));
    CHECK(has_pair(&v, "-device", "virtio-net-pci,netdev=n0"));
    CHECK(arg_after(&v, "-kernel", 0) == NULL && arg_after(&v, "-bios", 0) == NULL);
    md_strv_free(&v);

    /* UEFI: OVMF and an NVMe disk. */
    md_qemu_opts ou = { .path = MD_QEMU_UEFI, .disk = disk, .ovmf = ovmf };
    CHECK(md_qemu_argv(&ou, &v, &err) == 0);
    CHECK(has_pair(&v, "-bios", ovmf));
    want = md_xasprintf("file=%s,if=none,id=d0,format=raw", disk);
    CHECK(has_pair(&v, "-drive", want));
    free(want);
    CHECK(has_pair(&v, "-device", "nvme,serial=mkdom0,drive=d0,bootindex=0"));
    md_strv_free(&v);

    /* The build's hybrid ISO under OVMF: a CD-ROM with -bios. */
    md_qemu_opts oiu = { .path = MD_QEMU_ISO_UEFI, .iso = iso, .ovmf = ovmf };
    CHECK(md_qemu_argv(&oiu, &v, &err) == 0);
    CHECK(has_pair(&v, "-bios", ovmf));
    want = md_xasprintf("file=%s,if=none,id=d0,format=raw,media=cdrom,readonly=on", iso);
    CHECK(has_pair(&v, "-drive", want));
    free(want);
    md_strv_free(&v);
    /* The build's disk: snapshot=on keeps the file as built; OVMF by
     * default, SeaBIOS (no -bios, no OVMF needed) when asked. */
    md_qemu_opts od = { .path = MD_QEMU_DISK, .disk = disk, .ovmf = ovmf };
    CHECK(md_qemu_argv(&od, &v, &err) == 0);
    CHECK(has_pair(&v, "-bios", ovmf));
    want = md_xasprintf("file=%s,if=none,id=d0,format=raw,snapshot=on", disk);
    CHECK(has_pair(&v, "-drive", want));
    CHECK(has_pair(&v, "-device", "nvme,serial=mkdom0,drive=d0,bootindex=0"));
    md_strv_free(&v);
    /* A path is the user's bytes: its commas are doubled, so QEMU's option
     * parser cannot take "x,format=qcow2" in a directory name as options
     * (the kind of trial 9c case 2). */
    char *cdisk = touch("a,format=qcow2,b");
    md_qemu_opts oc = { .path = MD_QEMU_DISK, .disk = cdisk, .ovmf = ovmf,
                        .qmp_socket = "/tmp/q,server=off/qmp" };
    CHECK(md_qemu_argv(&oc, &v, &err) == 0);
    char *cw = md_xasprintf("file=%s/a,,format=qcow2,,b,if=none,id=d0,format=raw,snapshot=on", tmpdir);
    CHECK(has_pair(&v, "-drive", cw));
    free(cw);
    free(cdisk);
    CHECK(has_pair(&v, "-qmp", "unix:/tmp/q,,server=off/qmp,server=on,wait=off"));
    md_strv_free(&v);
    md_qemu_disk_args(&v, "d1", "/x,y");
    CHECK(has_pair(&v, "-drive", "file=/x,,y,if=none,id=d1,format=raw"));
    md_strv_free(&v);
    od.seabios = true;
    od.ovmf = "/nonexistent/OVMF.fd";
    CHECK(md_qemu_argv(&od, &v, &err) == 0);
    CHECK(!md_strv_contains(&v, "-bios"));
    CHECK(has_pair(&v, "-drive", want));
    free(want);
    md_strv_free(&v);
    /* xen-efi: OVMF and the ESP image holding xen-unified.efi, as built
     * (snapshot=on). */
    md_qemu_opts ox = { .path = MD_QEMU_XEN_EFI, .disk = disk, .ovmf = ovmf };
    CHECK(md_qemu_argv(&ox, &v, &err) == 0);
    CHECK(has_pair(&v, "-bios", ovmf));
    want = md_xasprintf("file=%s,if=none,id=d0,format=raw,snapshot=on", disk);
    CHECK(has_pair(&v, "-drive", want));
    free(want);
    CHECK(has_pair(&v, "-device", "nvme,serial=mkdom0,drive=d0,bootindex=0"));
    md_strv_free(&v);
    /* efi: the same, an ESP image holding the efi/ tree. */
    md_qemu_opts oe = { .path = MD_QEMU_EFI, .disk = disk, .ovmf = ovmf };
    CHECK(md_qemu_argv(&oe, &v, &err) == 0);
    CHECK(has_pair(&v, "-bios", ovmf));
    want = md_xasprintf("file=%s,if=none,id=d0,format=raw,snapshot=on", disk);
    CHECK(has_pair(&v, "-drive", want));
    free(want);
    md_strv_free(&v);
    oe.ovmf = "/nonexistent/OVMF.fd";
    CHECK(md_qemu_argv(&oe, &v, &err) < 0);
    CHECK_ERR(&err, "OVMF firmware /nonexistent/OVMF.fd");
    md_err_clear(&err);
    md_strv_free(&v);
    ox.disk = NULL;
    CHECK(md_qemu_argv(&ox, &v, &err) < 0);
    CHECK_ERR(&err, "no disk image given");
    md_err_clear(&err);
    md_strv_free(&v);
    md_qemu_path p;
    CHECK(md_qemu_path_from_name("iso-uefi", &p, &err) == 0 && p == MD_QEMU_ISO_UEFI);
    CHECK(md_qemu_path_from_name("xen-efi", &p, &err) == 0 && p == MD_QEMU_XEN_EFI);
    CHECK_STR(md_qemu_path_name(MD_QEMU_XEN_EFI), "xen-efi");
    CHECK(md_qemu_path_from_name("efi", &p, &err) == 0 && p == MD_QEMU_EFI);
    CHECK_STR(md_qemu_path_name(MD_QEMU_EFI), "efi");
    CHECK(md_qemu_path_from_name("disk", &p, &err) == 0 && p == MD_QEMU_DISK);
    CHECK_STR(md_qemu_path_name(MD_QEMU_DISK), "disk");
    CHECK(md_qemu_path_from_name("pxe", &p, &err) == 0 && p == MD_QEMU_PXE);
    CHECK(md_qemu_path_from_name("netboot", &p, &err) < 0);
    CHECK_ERR(&err, "choose multiboot, iso, uefi, iso-uefi, disk, xen-efi, pxe or efi");
    md_err_clear(&err);

    /* PXE: QEMU's user network serves the TFTP root and names the boot
     * file in its DHCP answer (restrict=on: nothing else is reachable); the
     * NIC boots first and, for --host, has the host's MAC. */
    char *tdir = md_xasprintf("%s.tftp", iso), *bf = md_xasprintf("%s.tftp/boot.ipxe", iso);
    CHECK(mkdir(tdir, 0755) == 0);
    CHECK(md_write_atomic(bf, "#!ipxe\n", 7, 0644, &err) == 0);
    md_qemu_opts op = { .path = MD_QEMU_PXE, .tftp_dir = tdir, .bootfile = "boot.ipxe",
                        .seabios = true, .ssh_port = 2222, .mac = "52:54:00:00:11:02" };
    CHECK(md_qemu_argv(&op, &v, &err) == 0);
    want = md_xasprintf("user,id=n0,restrict=on,hostfwd=tcp:127.0.0.1:2222-:22,tftp=%s,"
                        "bootfile=boot.ipxe", tdir);
    CHECK(has_pair(&v, "-netdev", want));
    CHECK(has_pair(&v, "-device", "e1000e,netdev=n0,mac=52:54:00:00:11:02,bootindex=0"));
    CHECK(!md_strv_contains(&v, "-bios") && !md_strv_contains(&v, "-drive"));
    free(want);
    md_strv_free(&v);
    op.seabios = false;
    op.ovmf = ovmf;
    CHECK(md_qemu_argv(&op, &v, &err) == 0);
    CHECK(has_pair(&v, "-bios", ovmf));
    md_strv_free(&v);
    op.bootfile = "boot/grub/i386-pc/core.0"; /* not in the tree */
    CHECK(md_qemu_argv(&op, &v, &err) == -1);
    CHECK_ERR(&err, "PXE boot file");
    md_strv_free(&v);
    md_err_clear(&err);
    unlink(bf);
    rmdir(tdir);
    free(bf);
    free(tdir);

    /* Errors name what is wrong. */
    md_qemu_opts bad = { .path = MD_QEMU_ISO, .iso = "/nonexistent/boot.iso" };
    CHECK(md_qemu_argv(&bad, &v, &err) == -1);
    CHECK_ERR(&err, "/nonexistent/boot.iso");
    md_strv_free(&v);
    md_err_clear(&err);
    md_qemu_opts bad2 = { .path = MD_QEMU_MULTIBOOT, .xen_elf = xen, .initrd = initrd, .accel = "hvf" };
    CHECK(md_qemu_argv(&bad2, &v, &err) == -1);
    CHECK_ERR(&err, "unknown accelerator 'hvf'");
    md_strv_free(&v);
    md_err_clear(&err);
    md_qemu_opts bad3 = { .path = MD_QEMU_MULTIBOOT, .xen_elf = xen };
    CHECK(md_qemu_argv(&bad3, &v, &err) == -1);
    CHECK_ERR(&err, "without modules");
    md_strv_free(&v);
    md_err_clear(&err);
    md_qemu_opts bad4 = { .path = MD_QEMU_UEFI, .disk = disk, .ovmf = "/nonexistent/OVMF.fd" };
    CHECK(md_qemu_argv(&bad4, &v, &err) == -1);
    CHECK_ERR(&err, "OVMF firmware /nonexistent/OVMF.fd");
    md_strv_free(&v);

    free(initrd);
    unlink(xen);
    unlink(iso);
    unlink(disk);
    unlink(ovmf);
    free(xen);
    free(iso);
    free(disk);
    free(ovmf);
}

static void test_small(void)
{
    md_err err = MD_ERR_INIT;
    md_qemu_path p;
    CHECK(md_qemu_path_from_name("uefi", &p, &err) == 0 && p == MD_QEMU_UEFI);
    CHECK(md_qemu_path_from_name("multiboot", &p, &err) == 0 && p == MD_QEMU_MULTIBOOT);
    CHECK(md_qemu_path_from_name("tftp", &p, &err) == -1);
    CHECK_ERR(&err, "unknown boot path 'tftp'");
    CHECK_STR(md_qemu_path_name(MD_QEMU_ISO), "iso");
    /* The image's 4096M does not fit a 2048M VM: half of it; 1024M does. */
    CHECK(md_qemu_fit_dom0_mem(4096, 2048) == 1024);
    CHECK(md_qemu_fit_dom0_mem(1024, 2048) == 1024);
    CHECK(md_qemu_fit_dom0_mem(1600, 2048) == 1024);
    CHECK(md_qemu_fit_dom0_mem(4096, 8192) == 4096);
    unsigned port = 0;
    CHECK(md_qemu_free_port(&port, &err) == 0 && port > 0);
}

static void test_console(void)
{
    char *path = md_xasprintf("%s/console.log", tmpdir);
    md_qemu_console *c = md_qemu_console_open(path, md_run_now());
    CHECK(md_qemu_console_poll(c) == 0); /* not there yet */
    FILE *f = fopen(path, "w");
    fputs("(XEN) Xen version 4.17\n", f);
    fflush(f);
    CHECK(md_qemu_console_poll(c) == 23);
    usleep(200000);
    fputs("[    0.000000] Linux version 6.1\nmkdom0 login: ", f);
    fputc('\0', f); /* stray NUL bytes must not end the text */
    fputs("after", f);
    fflush(f);
    CHECK(md_qemu_console_poll(c) > 0);
    long x = md_qemu_console_find(c, "Xen version", 0);
    long l = md_qemu_console_find(c, "Linux version", 0);
    long g = md_qemu_console_find(c, "login:", 0);
    CHECK(x == 6 && l > x && g > l);
    CHECK(md_qemu_console_find(c, "after", 0) > g);
    CHECK(md_qemu_console_find(c, "Xen version", (size_t)x + 1) == -1);
    CHECK(md_qemu_console_find(c, "nothing", 0) == -1);
    /* A printk or Xen line cut into a service's message (as CI's console had
     * it) does not hide the message; a mere prefix of it is still not found. */
    fputs("\r\n * Guest storage LABEL=xenguests: no disk [   42.985942] e1000e 0000:00:03.0 eth0: "
          "NIC Link is Up\r\n\r\nhas it (none attached)\r\n * Starting (XEN) d0v1 x\r\nsshd ...", f);
    fflush(f);
    CHECK(md_qemu_console_poll(c) > 0);
    long split = md_qemu_console_find(c, "Guest storage LABEL=xenguests: no disk has it", 0);
    CHECK(split > g && md_qemu_console_text(c)[split] == 'G');
    CHECK(md_qemu_console_find(c, "Starting sshd", 0) > split);
    CHECK(md_qemu_console_find(c, "no disk has it at all", 0) == -1);
    CHECK(md_qemu_console_find(c, "no disk e1000e", 0) == -1);
    /* Lines are stamped when read: the second chunk is later than the first. */
    CHECK(md_qemu_console_time(c, (size_t)l) >= md_qemu_console_time(c, (size_t)x) + 0.15);
    /* Lockup reports as Linux 6.1 prints them (CI's stuck dom0 had the RCU
     * one); a mention of lockups that is not a report does not count. */
    CHECK(md_qemu_console_find_lockup(c, 0, 0) == -1);
    fputs("\r\n[    3.1] Initializing lockup detector; soft lockup panic off\r\n", f);
    fflush(f);
    md_qemu_console_poll(c);
    CHECK(md_qemu_console_find_lockup(c, 0, 0) == -1);
    static const char *const reports[] = {
        "[  282.736299] rcu: INFO: rcu_sched self-detected stall on CPU\r\n",
        "[   53.2] rcu: INFO: rcu_sched detected stalls on CPUs/tasks:\r\n",
        "[   48.0] watchdog: BUG: soft lockup - CPU#0 stuck for 23s! [kworker/0:1:25]\r\n",
    };
    size_t from = md_qemu_console_size(c), start = from;
    for (size_t i = 0; i < sizeof reports / sizeof *reports; i++) {
        fputs(reports[i], f);
        fflush(f);
        md_qemu_console_poll(c);
        long at = md_qemu_console_find_lockup(c, from, 0);
        CHECK(at > (long)from && strchr(md_qemu_console_text(c) + from, '[') < md_qemu_console_text(c) + at);
        from = md_qemu_console_size(c);
        CHECK(md_qemu_console_find_lockup(c, from, 0) == -1);
    }
    /* A stuck CPU is reported again later; reports read together are not
     * yet "again 0.3 s later". */
    long first = md_qemu_console_find_lockup(c, start, 0);
    CHECK(md_qemu_console_find_lockup(c, start, 0.3) == -1);
    usleep(400000);
    fputs(reports[0], f);
    fflush(f);
    md_qemu_console_poll(c);
    CHECK(md_qemu_console_find_lockup(c, start, 0.3) == first);
    CHECK(md_qemu_console_find_lockup(c, from, 0.3) == -1); /* the repeat alone */
    fclose(f);
    md_qemu_console_close(c);
    unlink(path);
    free(path);
}

/* A fake QEMU: answers QMP with canned lines, including a real
 * query-blockstats answer (QEMU 7.2, an ISO as d0), in which "parent" (the
 * file node, all zero) comes before the device's own "stats". */
static const char blockstats_answer[] =
    "{\"return\": [{\"device\": \"d0\", \"parent\": {\"stats\": {\"unmap_operations\": 0, "
    "\"rd_bytes\": 0, \"timed_stats\": [], \"rd_operations\": 0}, \"node-name\": \"#block039\", "
    "\"driver-specific\": {\"driver\": \"file\"}}, \"stats\": {\"unmap_operations\": 0, "
    "\"wr_bytes\": 0, \"timed_stats\": [], \"account_invalid\": true, \"rd_bytes\": 18685952, "
    "\"idle_time_ns\": 57343465060, \"rd_operations\": 1144}, \"node-name\": \"#block155\", "
    "\"qdev\": \"/machine/peripheral-anon/device[0]\"}, {\"device\": \"d1\", \"stats\": "
    "{\"rd_bytes\": 7, \"rd_operations\": 3}}]}\n";

static void fake_qemu(int lfd)
{
    int fd = accept(lfd, NULL, NULL);
    if (fd < 0)
        _exit(1);
    FILE *in = fdopen(fd, "r");
    dprintf(fd, "{\"QMP\": {\"version\": {}, \"capabilities\": [\"oob\"]}}\n");
    char line[4096];
    while (fgets(line, sizeof line, in)) {
        if (strstr(line, "qmp_capabilities"))
            dprintf(fd, "{\"return\": {}}\n");
        else if (strstr(line, "query-blockstats"))
            dprintf(fd, "%s", blockstats_answer);
        else if (strstr(line, "system_reset"))
            dprintf(fd, "{\"timestamp\": {\"seconds\": 1}, \"event\": \"RESET\"}\n"
                        "{\"return\": {}}\n");
        else
            dprintf(fd, "{\"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                        "\"The command nope has not been found\"}}\n");
    }
    _exit(0);
}

static void test_qmp(void)
{
    md_err err = MD_ERR_INIT;
    char *sock = md_xasprintf("%s/qmp.sock", tmpdir);
    int lfd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, sock);
    CHECK(bind(lfd, (struct sockaddr *)&a, sizeof a) == 0 && listen(lfd, 1) == 0);
    pid_t pid = fork();
    if (pid == 0)
        fake_qemu(lfd);
    close(lfd);
    md_qemu_qmp *q = md_qemu_qmp_open(sock, 5, &err);
    CHECK(q != NULL);
    if (q) {
        uint64_t ops = 0, bytes = 0;
        CHECK(md_qemu_qmp_blockstats(q, "d0", &ops, &bytes, &err) == 0);
        CHECK(ops == 1144 && bytes == 18685952);
        CHECK(md_qemu_qmp_blockstats(q, "d1", &ops, &bytes, &err) == 0);
        CHECK(ops == 3 && bytes == 7);
        CHECK(md_qemu_qmp_blockstats(q, "d9", &ops, &bytes, &err) == -1);
        CHECK_ERR(&err, "no device 'd9'");
        md_err_clear(&err);
        char *r = md_qemu_qmp_cmd(q, "system_reset", NULL, &err); /* event skipped */
        CHECK(r && strstr(r, "\"return\""));
        free(r);
        r = md_qemu_qmp_cmd(q, "nope", NULL, &err);
        CHECK(r == NULL);
        CHECK_ERR(&err, "has not been found");
        md_qemu_qmp_close(q);
    }
    waitpid(pid, NULL, 0);
    md_err_clear(&err);
    /* Nobody listening: a clear error after the timeout. */
    unlink(sock);
    q = md_qemu_qmp_open(sock, 0.3, &err);
    CHECK(q == NULL);
    CHECK_ERR(&err, "cannot connect");
    free(sock);
}

/* What md_qemu_start adds to core/run: where QEMU's own output goes. */
static void test_start(void)
{
    md_err err = MD_ERR_INIT;
    md_strv v = { 0 };
    md_strv_push(&v, "/nonexistent/qemu");
    CHECK(md_qemu_start(&v, false, NULL, &err) == NULL);
    CHECK_ERR(&err, "cannot run /nonexistent/qemu");
    md_strv_free(&v);
    char *log = md_xasprintf("%s/qemu.log", tmpdir);
    md_strv_push(&v, "sh");
    md_strv_push(&v, "-c");
    md_strv_push(&v, "echo out; echo err >&2; exec sleep 30");
    md_err_clear(&err);
    md_run_proc *p = md_qemu_start(&v, false, log, &err);
    CHECK(p != NULL);
    /* its own process group: a terminal's Ctrl-C is ours to handle */
    CHECK(getpgid(md_run_proc_pid(p)) == md_run_proc_pid(p));
    CHECK(!md_run_proc_exited(p, NULL));
    unsigned char *text = NULL;
    size_t n = 0;
    for (int i = 0; i < 500 && n < 8; i++) { /* until both lines are there */
        free(text);
        text = NULL;
        n = 0;
        usleep(10000);
        md_err ignored = MD_ERR_INIT;
        md_read_file(log, &text, &n, &ignored);
    }
    CHECK(n == 8 && !memcmp(text, "out\nerr\n", 8));
    free(text);
    double t = md_run_now();
    CHECK(md_run_proc_stop(p, 3) == 128 + SIGTERM);
    CHECK(md_run_now() - t < 2);
    md_run_proc_free(p);
    free(log);
    md_strv_free(&v);
}

/* A stalled boot's report: each CPU's RIP, CPL and HLT from the QMP reply of
 * HMP `info registers -a` (the layout of a real one, QEMU 7.2, trimmed). */
static void test_cpu_state(void)
{
    const char *reply =
        "{\"return\": \"\\r\\nCPU#0\\r\\nRAX=ffff83007ffb8028 RBX=ffff83007ffb8000\\r\\n"
        "RIP=ffff82d0403bd9d8 RFL=00000206 [-----P-] CPL=0 II=0 A20=1 SMM=0 HLT=1\\r\\n"
        "CS =e008 0000000000000000 ffffffff 00af9b00 DPL=0 CS64 [-RA]\\r\\n"
        "\\r\\nCPU#1\\r\\nRAX=0000000000000000 RBX=ffffffff82a0a940\\r\\n"
        "RIP=ffffffff81e3c1f2 RFL=00000246 [---Z-P-] CPL=3 II=0 A20=1 SMM=0 HLT=0\\r\\n"
        "CS =e033 0000000000000000 ffffffff 00affb00 DPL=3 CS64 [-RA]\\r\\n\"}";
    char *s = md_qemu_cpu_state_parse(reply);
    CHECK_STR(s, "CPU#0 RIP=ffff82d0403bd9d8 CPL=0 HLT=1 (Xen, idle); "
                 "CPU#1 RIP=ffffffff81e3c1f2 CPL=3 HLT=0 (a domain)");
    free(s);
    s = md_qemu_cpu_state_parse("{\"return\": \"\"}");
    CHECK_STR(s, "no registers in QEMU's answer");
    free(s);
}

int main(void)
{
    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_argv();
    test_small();
    test_console();
    test_qmp();
    test_start();
    test_cpu_state();
    rmdir(tmpdir);
    return t_done("test_qemu");
}
