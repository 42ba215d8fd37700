#include "boot/qemu.h"
#include "boot/bootcfg.h"
#include "core/mem.h"
#include "core/strv.h"

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#define OVMF_DEFAULT "/usr/share/ovmf/OVMF.fd"

static const char *const path_names[] = { "multiboot", "iso", "uefi", "iso-uefi", "disk",
                                          "xen-efi", "pxe", "efi" };
#define NPATHS (sizeof path_names / sizeof *path_names)

int md_qemu_path_from_name(const char *name, md_qemu_path *p, md_err *err)
{
    for (size_t i = 0; i < NPATHS; i++)
        if (!strcmp(name, path_names[i])) {
            *p = (md_qemu_path)i;
            return 0;
        }
    return md_err_set(err, "unknown boot path '%s' (choose multiboot, iso, uefi, iso-uefi, disk, "
                           "xen-efi, pxe or efi)",
                      name);
}

const char *md_qemu_path_name(md_qemu_path p)
{
    return (unsigned)p < NPATHS ? path_names[p] : "?";
}

uint64_t md_qemu_fit_dom0_mem(uint64_t image_mib, uint64_t vm_mib)
{
    if (image_mib && image_mib + MD_QEMU_MIN_SPARE_MIB <= vm_mib)
        return image_mib;
    return vm_mib / 2;
}

static int need_file(const char *what, const char *path, md_err *err)
{
    if (!path || !*path)
        return md_err_set(err, "QEMU: no %s given", what);
    if (access(path, R_OK) < 0)
        return md_err_errno(err, "QEMU: %s %s", what, path);
    return 0;
}


/* The firmware QEMU starts: OVMF (--ovmf, else OVMF_DEFAULT) on every UEFI
 * path; NULL for QEMU's own SeaBIOS (multiboot, the BIOS ISO, and the disk
 * and PXE paths with --seabios). */
static const char *firmware(const md_qemu_opts *o)
{
    if (o->path == MD_QEMU_MULTIBOOT || o->path == MD_QEMU_ISO ||
        ((o->path == MD_QEMU_DISK || o->path == MD_QEMU_PXE) && o->seabios))
        return NULL;
    return o->ovmf ? o->ovmf : OVMF_DEFAULT;
}

int md_qemu_argv(const md_qemu_opts *o, md_strv *argv, md_err *err)
{
    const char *accel = o->accel ? o->accel : "tcg";
    bool kvm = !strcmp(accel, "kvm");
    if (!kvm && strcmp(accel, "tcg"))
        return md_err_set(err, "unknown accelerator '%s' (choose tcg or kvm)", accel);
    if (kvm && access("/dev/kvm", R_OK | W_OK) < 0)
        return md_err_errno(err, "--accel kvm: /dev/kvm is not usable");
    switch (o->path) {
    case MD_QEMU_MULTIBOOT:
        if (need_file("Xen ELF", o->xen_elf, err) < 0)
            return -1;
        if (!o->initrd || !*o->initrd)
            return md_err_set(err, "QEMU: multiboot path without modules");
        break;
    case MD_QEMU_ISO:
    case MD_QEMU_ISO_UEFI:
        if (need_file("ISO image", o->iso, err) < 0)
            return -1;
        break;
    case MD_QEMU_UEFI:
    case MD_QEMU_DISK:
    case MD_QEMU_XEN_EFI:
    case MD_QEMU_EFI:
        if (need_file("disk image", o->disk, err) < 0)
            return -1;
        break;
    case MD_QEMU_PXE: {
        if (o->tap)
            break;
        if (!o->tftp_dir || !o->bootfile || !*o->bootfile || o->bootfile[0] == '/')
            return md_err_set(err, "QEMU: PXE without a TFTP directory and a boot file in it");
        char *bf = md_xasprintf("%s/%s", o->tftp_dir, o->bootfile);
        int r = need_file("PXE boot file", bf, err);
        free(bf);
        if (r < 0)
            return -1;
        break;
    }
    default:
        return md_err_set(err, "QEMU: unknown boot path %d", (int)o->path);
    }
    const char *fw = firmware(o);
    if (fw && need_file("OVMF firmware", fw, err) < 0)
        return -1;
    unsigned mem = o->mem_mib ? o->mem_mib : 2048, smp = o->smp ? o->smp : 2;

    md_strv_push(argv, o->qemu ? o->qemu : "qemu-system-x86_64");
    /* No default devices: only what is listed below exists, so the boot
     * medium is the only block device whose reads we count. */
    md_strv_push(argv, "-nodefaults");
    md_strv_push(argv, "-no-user-config");
    md_strv_push(argv, "-machine");
    md_strv_push(argv, o->machine ? o->machine : "q35");
    md_strv_push(argv, "-accel");
    md_strv_push(argv, accel);
    md_strv_push(argv, "-cpu");
    md_strv_push(argv, o->cpu ? o->cpu : kvm ? "host" : "qemu64,+svm,+npt");
    if (!o->no_iommu && !kvm) {
        md_strv_push(argv, "-device");
        md_strv_push(argv, "amd-iommu");
    }
    md_strv_push(argv, "-m");
    md_strv_pushf(argv, "%u", mem);
    md_strv_push(argv, "-smp");
    md_strv_pushf(argv, "%u", smp);
    /* An entropy source, as real hosts have RDRAND (which qemu64 lacks): without
     * one the dom0's random pool fills only from interrupts, and sshd's first
     * getrandom() waits for it (seconds under TCG).  The dom0 loads
     * virtio_rng by its modalias (the default spec's [Modules]). */
    md_strv_push(argv, "-device");
    md_strv_push(argv, "virtio-rng-pci");
    md_strv_push(argv, "-display");
    md_strv_push(argv, "none");
    md_strv_push(argv, "-serial");
    md_strv_push(argv, o->serial ? o->serial : "mon:stdio");
    if (o->qmp_socket) {
        md_strv_push(argv, "-qmp");
        char *q = md_bootcfg_qemu_escape(o->qmp_socket);
        md_strv_pushf(argv, "unix:%s,server=on,wait=off", q);
        free(q);
    }
    if (o->other_nic) {
        md_strv_push(argv, "-netdev");
        md_strv_push(argv, "user,id=n1,restrict=on");
        md_strv_push(argv, "-device");
        md_strv_pushf(argv, "%s,netdev=n1,mac=" MD_QEMU_OTHER_MAC ",romfile=",
                      o->nic ? o->nic : "e1000e");
    }
    if (o->tap || o->ssh_port || o->path == MD_QEMU_PXE) {
        char *nd;
        if (o->tap) {
            char *t = md_bootcfg_qemu_escape(o->tap);
            nd = md_xasprintf("tap,id=n0,ifname=%s,script=no,downscript=no", t);
            free(t);
        } else {
            /* restrict=on: the guest reaches nothing but the forwarded port
             * (and, for PXE, QEMU's own DHCP and TFTP server, read-only). */
            char *fwd = o->ssh_port ? md_xasprintf(",hostfwd=tcp:127.0.0.1:%u-:22", o->ssh_port)
                                    : md_xstrdup("");
            char *tftp = NULL;
            if (o->path == MD_QEMU_PXE) {
                char *d = md_bootcfg_qemu_escape(o->tftp_dir), *f = md_bootcfg_qemu_escape(o->bootfile);
                tftp = md_xasprintf(",tftp=%s,bootfile=%s", d, f);
                free(d);
                free(f);
            }
            nd = md_xasprintf("user,id=n0,restrict=on%s%s", fwd, tftp ? tftp : "");
            free(fwd);
            free(tftp);
        }
        md_strv_push(argv, "-netdev");
        md_strv_push_own(argv, nd);
        md_strv_push(argv, "-device");
        char *mac = o->mac ? md_bootcfg_qemu_escape(o->mac) : NULL;
        md_strv_pushf(argv, "%s,netdev=n0%s%s%s", o->nic ? o->nic : "e1000e",
                      mac ? ",mac=" : "", mac ? mac : "",
                      o->path == MD_QEMU_PXE ? ",bootindex=0" : "");
        free(mac);
    }
    if (fw) {
        md_strv_push(argv, "-bios");
        md_strv_push(argv, fw);
    }
    switch (o->path) {
    case MD_QEMU_MULTIBOOT:
        md_strv_push(argv, "-kernel");
        md_strv_push(argv, o->xen_elf);
        md_strv_push(argv, "-append");
        md_strv_push(argv, o->xen_args ? o->xen_args : "");
        md_strv_push(argv, "-initrd");
        md_strv_push(argv, o->initrd);
        break;
    case MD_QEMU_ISO:
    case MD_QEMU_ISO_UEFI:
        md_strv_push(argv, "-drive");
        char *f = md_bootcfg_qemu_escape(o->iso);
        md_strv_pushf(argv, "file=%s,if=none,id=d0,format=raw,media=cdrom,readonly=on", f);
        free(f);
        md_strv_push(argv, "-device");
        md_strv_push(argv, "ide-cd,drive=d0,bootindex=0");
        break;
    case MD_QEMU_UEFI:
    case MD_QEMU_DISK:
    case MD_QEMU_XEN_EFI:
    case MD_QEMU_EFI:
        md_strv_push(argv, "-drive");
        char *df = md_bootcfg_qemu_escape(o->disk);
        md_strv_pushf(argv, "file=%s,if=none,id=d0,format=raw%s", df,
                      o->path != MD_QEMU_UEFI ? ",snapshot=on" : "");
        free(df);
        md_strv_push(argv, "-device");
        md_strv_push(argv, "nvme,serial=mkdom0,drive=d0,bootindex=0");
        break;
    case MD_QEMU_PXE:
        break;
    }
    for (const char *const *x = o->extra; x && *x; x++)
        md_strv_push(argv, *x);
    return 0;
}

void md_qemu_disk_args(md_strv *argv, const char *id, const char *path)
{
    md_strv_push(argv, "-drive");
    char *f = md_bootcfg_qemu_escape(path);
    md_strv_pushf(argv, "file=%s,if=none,id=%s,format=raw", f, id);
    free(f);
    md_strv_push(argv, "-device");
    md_strv_pushf(argv, "virtio-blk-pci,drive=%s", id);
}

int md_qemu_free_port(unsigned *port, md_err *err)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return md_err_errno(err, "socket");
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    socklen_t len = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 ||
        getsockname(fd, (struct sockaddr *)&a, &len) < 0) {
        close(fd);
        return md_err_errno(err, "cannot find a free TCP port on 127.0.0.1");
    }
    *port = ntohs(a.sin_port);
    close(fd);
    return 0;
}

md_run_proc *md_qemu_start(const md_strv *argv, bool interactive, const char *errlog, md_err *err)
{
    md_run_start_opts o = { .in = { MD_RUN_INHERIT }, .out = { MD_RUN_INHERIT },
                            .err = { MD_RUN_INHERIT } };
    if (!interactive) {
        o.in.kind = MD_RUN_DEVNULL;
        o.out = (md_run_io){ errlog ? MD_RUN_FILE : MD_RUN_DEVNULL, errlog, -1 };
        o.err.kind = MD_RUN_AS_STDOUT;
        /* A terminal's Ctrl-C then reaches mkdom0, which stops QEMU and
         * cleans up. */
        o.own_group = true;
    }
    return md_run_start((const char *const *)argv->v, &o, err);
}

/* --- console ------------------------------------------------------------- */

struct md_qemu_console {
    char *path;
    double t0;
    char *buf;
    size_t len, cap;
    /* stamps[i]: offset where read chunk i starts and when it was read */
    struct stamp { size_t off; double t; } *stamps;
    size_t nstamps, capstamps;
};

md_qemu_console *md_qemu_console_open(const char *path, double t0)
{
    md_qemu_console *c = md_xcalloc(1, sizeof *c);
    c->path = md_xstrdup(path);
    c->t0 = t0;
    c->cap = 1 << 16;
    c->buf = md_xmalloc(c->cap);
    c->buf[0] = '\0';
    return c;
}

void md_qemu_console_close(md_qemu_console *c)
{
    if (!c)
        return;
    free(c->path);
    free(c->buf);
    free(c->stamps);
    free(c);
}

size_t md_qemu_console_poll(md_qemu_console *c)
{
    int fd = open(c->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    size_t got = 0;
    double now = md_run_now() - c->t0;
    for (;;) {
        if (c->len + 4096 + 1 > c->cap) {
            c->cap *= 2;
            c->buf = md_xrealloc(c->buf, c->cap);
        }
        ssize_t r = pread(fd, c->buf + c->len, c->cap - c->len - 1, (off_t)c->len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        if (got == 0) {
            if (c->nstamps == c->capstamps) {
                c->capstamps = c->capstamps ? c->capstamps * 2 : 256;
                c->stamps = md_xrealloc(c->stamps, c->capstamps * sizeof *c->stamps);
            }
            c->stamps[c->nstamps++] = (struct stamp){ c->len, now };
        }
        /* NUL bytes (terminal resets, stray firmware output) would end the
         * searchable text early. */
        for (ssize_t i = 0; i < r; i++)
            if (!c->buf[c->len + (size_t)i])
                c->buf[c->len + (size_t)i] = ' ';
        c->len += (size_t)r;
        got += (size_t)r;
    }
    c->buf[c->len] = '\0';
    close(fd);
    return got;
}

/* Length of the kernel or hypervisor log record starting at `p` (through its
 * newline), or 0.  One serial line carries Xen's "(XEN) " lines, the dom0
 * kernel's printk records ("[   42.985942] e1000e ...", CONFIG_PRINTK_TIME)
 * and the dom0's userspace via hvc0; the kernel writes its record wherever
 * userspace's line has got to, so one service message can arrive split in
 * two around it (CI saw "... no disk [ 42.98...] e1000e ...\r\nhas it"). */
static size_t log_record_len(const char *p)
{
    const char *q = p;
    if (strncmp(q, "(XEN) ", 6) == 0) {
        q += 6;
    } else {
        if (*q++ != '[')
            return 0;
        q += strspn(q, " ");
        size_t secs = strspn(q, "0123456789");
        if (!secs || q[secs] != '.')
            return 0;
        q += secs + 1;
        size_t frac = strspn(q, "0123456789");
        if (!frac || q[frac] != ']')
            return 0;
        q += frac + 1;
    }
    const char *nl = strchr(q, '\n');
    return nl ? (size_t)(nl + 1 - p) : strlen(p);
}

/* `needle` matched at `s`, stepping over log records that cut into it. */
static bool match_across_records(const char *s, const char *needle)
{
    while (*needle) {
        if (*s == *needle) {
            s++, needle++;
            continue;
        }
        size_t rec = log_record_len(s);
        if (!rec)
            return false;
        s += rec;
        if (*needle != '\r' && *needle != '\n')
            s += strspn(s, "\r\n");
    }
    return true;
}

long md_qemu_console_find(const md_qemu_console *c, const char *needle, size_t from)
{
    if (from > c->len)
        return -1;
    const char *p = strstr(c->buf + from, needle);
    if (p)
        return (long)(p - c->buf);
    for (p = c->buf + from; (p = strchr(p, *needle)); p++)
        if (match_across_records(p, needle))
            return (long)(p - c->buf);
    return -1;
}

double md_qemu_console_time(const md_qemu_console *c, size_t off)
{
    double t = 0;
    for (size_t i = 0; i < c->nstamps && c->stamps[i].off <= off; i++)
        t = c->stamps[i].t;
    return t;
}

size_t md_qemu_console_size(const md_qemu_console *c) { return c->len; }
const char *md_qemu_console_text(const md_qemu_console *c) { return c->buf; }

/* --- QMP ----------------------------------------------------------------- */

struct md_qemu_qmp {
    int fd;
    char *buf;
    size_t len, cap;
};

/* One newline-terminated JSON message, waiting up to `timeout_s`. */
static char *qmp_line(md_qemu_qmp *q, double timeout_s, md_err *err)
{
    double end = md_run_now() + timeout_s;
    for (;;) {
        char *nl = q->len ? memchr(q->buf, '\n', q->len) : NULL;
        if (nl) {
            size_t n = (size_t)(nl - q->buf);
            char *line = md_xstrndup(q->buf, n);
            memmove(q->buf, nl + 1, q->len - n - 1);
            q->len -= n + 1;
            return line;
        }
        double left = end - md_run_now();
        if (left <= 0) {
            md_err_set(err, "QMP: no answer from QEMU within %.0f s", timeout_s);
            return NULL;
        }
        struct pollfd p = { .fd = q->fd, .events = POLLIN };
        int r = poll(&p, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            continue;
        if (q->len + 4096 > q->cap) {
            q->cap = q->cap ? q->cap * 2 : 16384;
            q->buf = md_xrealloc(q->buf, q->cap);
        }
        ssize_t n = read(q->fd, q->buf + q->len, q->cap - q->len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            md_err_set(err, "QMP: QEMU closed the connection");
            return NULL;
        }
        q->len += (size_t)n;
    }
}

md_qemu_qmp *md_qemu_qmp_open(const char *socket_path, double timeout_s, md_err *err)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    if (strlen(socket_path) >= sizeof a.sun_path) {
        md_err_set(err, "QMP socket path too long: %s", socket_path);
        return NULL;
    }
    strcpy(a.sun_path, socket_path);
    double end = md_run_now() + timeout_s;
    int fd = -1;
    for (;;) {
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            md_err_errno(err, "QMP socket");
            return NULL;
        }
        if (connect(fd, (struct sockaddr *)&a, sizeof a) == 0)
            break;
        close(fd);
        if (md_run_now() > end) {
            md_err_errno(err, "QMP: cannot connect to %s", socket_path);
            return NULL;
        }
        usleep(100000);
    }
    md_qemu_qmp *q = md_xcalloc(1, sizeof *q);
    q->fd = fd;
    char *greet = qmp_line(q, 10, err);
    if (!greet || !strstr(greet, "\"QMP\"")) {
        if (greet)
            md_err_set(err, "QMP: unexpected greeting: %.200s", greet);
        free(greet);
        md_qemu_qmp_close(q);
        return NULL;
    }
    free(greet);
    char *r = md_qemu_qmp_cmd(q, "qmp_capabilities", NULL, err);
    if (!r) {
        md_qemu_qmp_close(q);
        return NULL;
    }
    free(r);
    return q;
}

void md_qemu_qmp_close(md_qemu_qmp *q)
{
    if (!q)
        return;
    if (q->fd >= 0)
        close(q->fd);
    free(q->buf);
    free(q);
}

char *md_qemu_qmp_cmd(md_qemu_qmp *q, const char *command, const char *args_json, md_err *err)
{
    char *msg = args_json ? md_xasprintf("{\"execute\": \"%s\", \"arguments\": %s}\n", command, args_json)
                          : md_xasprintf("{\"execute\": \"%s\"}\n", command);
    size_t n = strlen(msg), off = 0;
    while (off < n) {
        ssize_t w = send(q->fd, msg + off, n - off, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            free(msg);
            md_err_errno(err, "QMP: %s: cannot send", command);
            return NULL;
        }
        off += (size_t)w;
    }
    free(msg);
    for (;;) {
        char *line = qmp_line(q, 30, err);
        if (!line) {
            md_err_prefix(err, "QMP %s", command);
            return NULL;
        }
        if (strstr(line, "\"return\""))
            return line;
        if (strstr(line, "\"error\"")) {
            md_err_set(err, "QMP %s failed: %.500s", command, line);
            free(line);
            return NULL;
        }
        free(line); /* an asynchronous event */
    }
}

/* The number after "key": at or after p, before `end`. */
static int json_u64(const char *p, const char *end, const char *key, uint64_t *v)
{
    char pat[64];
    snprintf(pat, sizeof pat, "\"%s\":", key);
    const char *k = strstr(p, pat);
    if (!k || (end && k > end))
        return -1;
    k += strlen(pat);
    while (*k == ' ')
        k++;
    char *e;
    errno = 0;
    unsigned long long x = strtoull(k, &e, 10);
    if (e == k || errno)
        return -1;
    *v = x;
    return 0;
}

/* In the query-blockstats answer ([{...}, ...]), the "stats" object of the
 * element whose "device" is `device`.  Members come in no fixed order and
 * "parent" holds another "stats" (the protocol node's, always zero for
 * guest I/O), so this walks the JSON by depth instead of searching text. */
static const char *device_stats(const char *r, const char *device)
{
    int depth = 0;
    const char *stats = NULL, *dev = NULL, *key = NULL;
    size_t devlen = 0, keylen = 0;
    bool want_value = false;
    for (const char *p = r; *p; p++) {
        if (*p == '"') {
            const char *s = ++p;
            while (*p && *p != '"')
                p += (*p == '\\' && p[1]) ? 2 : 1;
            if (!*p)
                return NULL;
            size_t n = (size_t)(p - s);
            if (depth == 3 && want_value && key && keylen == 6 && !strncmp(key, "device", 6)) {
                dev = s;
                devlen = n;
            }
            if (depth == 3 && !want_value) {
                key = s;
                keylen = n;
            }
            want_value = false;
            continue;
        }
        if (*p == ':' && depth == 3) {
            want_value = true;
            if (key && keylen == 5 && !strncmp(key, "stats", 5)) {
                const char *v = p + 1;
                while (*v == ' ')
                    v++;
                if (*v == '{')
                    stats = v;
            }
            continue;
        }
        if (*p == ',') {
            want_value = false;
            continue;
        }
        if (*p == '{' || *p == '[') {
            depth++;
            want_value = false;
            continue;
        }
        if (*p == '}' || *p == ']') {
            if (depth == 3 && *p == '}') {
                if (dev && devlen == strlen(device) && !strncmp(dev, device, devlen) && stats)
                    return stats;
                stats = dev = key = NULL;
            }
            depth--;
            continue;
        }
    }
    return NULL;
}

int md_qemu_qmp_blockstats(md_qemu_qmp *q, const char *device, uint64_t *rd_ops,
                           uint64_t *rd_bytes, md_err *err)
{
    char *r = md_qemu_qmp_cmd(q, "query-blockstats", NULL, err);
    if (!r)
        return -1;
    const char *st = device_stats(r, device);
    int rc = 0;
    if (!st) {
        rc = md_err_set(err, "QMP query-blockstats: no device '%s' in: %.300s", device, r);
    } else {
        const char *end = strchr(st, '}'); /* "stats" holds no nested object */
        if (json_u64(st, end, "rd_operations", rd_ops) < 0 ||
            json_u64(st, end, "rd_bytes", rd_bytes) < 0)
            rc = md_err_set(err, "QMP query-blockstats: no read counters for '%s'", device);
    }
    free(r);
    return rc;
}

/* The value after `key` in one register line of an HMP reply (still
 * JSON-escaped: the line ends at "\\r"), or NULL. */
static char *hmp_reg(const char *line, const char *key)
{
    const char *end = strstr(line, "\\r");
    const char *k = strstr(line, key);
    if (!k || (end && k > end))
        return NULL;
    k += strlen(key);
    return md_xstrndup(k, strcspn(k, " \\\""));
}

char *md_qemu_cpu_state_parse(const char *reply)
{
    md_strv out = { 0 };
    int n = 0;
    const char *head = strstr(reply, "CPU#");
    for (const char *rip = strstr(reply, "RIP="); rip; rip = strstr(rip + 4, "RIP=")) {
        /* `info registers -a` heads each CPU's block with "CPU#N": the
         * last head before this RIP= is its CPU's. */
        int cpu = n++;
        for (; head && head < rip; head = strstr(head + 4, "CPU#"))
            cpu = atoi(head + 4);
        char *pc = hmp_reg(rip, "RIP="), *cpl = hmp_reg(rip, "CPL="), *hlt = hmp_reg(rip, "HLT=");
        bool in_xen = !strncmp(pc, "ffff82d0", 8);
        bool halted = hlt && !strcmp(hlt, "1");
        md_strv_pushf(&out, "CPU#%d RIP=%s CPL=%s HLT=%s (%s%s)", cpu, pc, cpl ? cpl : "?", hlt ? hlt : "?",
                      in_xen ? "Xen" : "a domain", halted ? ", idle" : "");
        free(pc);
        free(cpl);
        free(hlt);
    }
    char *s = out.n ? md_strv_join(&out, "; ") : md_xstrdup("no registers in QEMU's answer");
    md_strv_free(&out);
    return s;
}

char *md_qemu_qmp_cpu_state(md_qemu_qmp *q, md_err *err)
{
    char *r = md_qemu_qmp_cmd(q, "human-monitor-command", "{\"command-line\": \"info registers -a\"}", err);
    if (!r)
        return NULL;
    char *s = md_qemu_cpu_state_parse(r);
    free(r);
    return s;
}
