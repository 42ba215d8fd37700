#include "proof/storage.h"

#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "boot/qemu.h"
#include "core/file.h"
#include "core/mem.h"

/* Where the dom0's guest-storage service mounts it (data/overlay). */
#define STORE "/var/lib/xen/storage"
#define GUEST "mkdom0-auto"
#define KEEP STORE "/mkdom0/keep.img"

struct md_storage {
    char *source;         /* LABEL=... or UUID=... */
    char *disk;           /* the host image */
    unsigned long nonce;  /* in the guest's command line: its markers */
    char *last;           /* the guest's marker before the reset */
};

/* --- the image's setting ------------------------------------------------ */

md_storage *md_storage_new(const md_tree *rootfs)
{
    char *v = md_check_conf_value(rootfs, "/etc/conf.d/guest-storage", "storage");
    if (!v)
        return NULL;
    md_storage *s = md_xcalloc(1, sizeof *s);
    s->source = v;
    s->nonce = md_check_nonce() ^ 0x5a5aUL; /* not the I/O guest's */
    return s;
}

void md_storage_free(md_storage *s)
{
    if (!s)
        return;
    free(s->source);
    free(s->disk);
    free(s->last);
    free(s);
}

const char *md_storage_disk(const md_storage *s) { return s->disk; }

/* --- the disk ----------------------------------------------------------- */

/* A guest on the storage, as a user would keep one: kernel, initrd and disk
 * file beside its config, which is in auto/.  mkdom0.n= makes the check's guest /init the I/O guest,
 * which copies its disk's previous marker from sector 8 to 16 and writes a
 * new one, unique to this guest boot, at 8. */
static char *guest_cfg(const md_storage *s)
{
    return md_xasprintf("# mkdom0 boot --check: a guest started by xendomains from the guest storage\n"
                        "name=\"" GUEST "\"\ntype=\"pvh\"\nmemory=128\nvcpus=1\n"
                        "kernel=\"" STORE "/mkdom0/vmlinuz\"\n"
                        "ramdisk=\"" STORE "/mkdom0/guest.cpio.gz\"\n"
                        "disk=[\"format=raw,vdev=xvda,access=rw,target=" KEEP "\"]\n"
                        "extra=\"console=hvc0 rdinit=/init mkdom0.n=%lu quiet\"\n"
                        "on_poweroff=\"destroy\"\non_reboot=\"restart\"\non_crash=\"destroy\"\n",
                        s->nonce);
}

int md_storage_make_disk(md_storage *s, const char *dir, const char *kernel, const char *initrd,
                         md_err *err)
{
    bool label = !strncmp(s->source, "LABEL=", 6);
    const char *name = s->source + (label ? 6 : 5);
    if (!label && strlen(name) != 36)
        return md_err_set(err, "guest storage %s: a FAT volume id; the check makes ext4 disks, "
                               "which have 36-character UUIDs (--no-storage skips the step)",
                          s->source);
    char *mkfs; /* in /sbin, which a user's PATH may lack */
    if (md_run_find_tool("mkfs.ext4", "e2fsprogs", &mkfs, err) < 0) {
        md_err_prefix(err, "making the guest storage disk");
        return -1;
    }
    char *root = md_xasprintf("%s/storage-root", dir);
    char *sub = md_xasprintf("%s/mkdom0", root), *autod = md_xasprintf("%s/auto", root);
    char *k = md_xasprintf("%s/vmlinuz", sub), *i = md_xasprintf("%s/guest.cpio.gz", sub);
    char *keep = md_xasprintf("%s/keep.img", sub), *cfgp = md_xasprintf("%s/" GUEST ".cfg", autod);
    char *cfg = guest_cfg(s);
    s->disk = md_xasprintf("%s/guest-storage.img", dir);
    int r = -1;
    if (md_mkdir_p(sub, 0755, err) < 0 || md_mkdir_p(autod, 0755, err) < 0 ||
        md_copy_file(kernel, k, err) < 0 || md_copy_file(initrd, i, err) < 0 ||
        md_write_atomic(cfgp, cfg, strlen(cfg), 0644, err) < 0)
        goto out;
    int fd = open(keep, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || ftruncate(fd, 4 << 20) < 0) {
        md_err_errno(err, "%s", keep);
        if (fd >= 0)
            close(fd);
        goto out;
    }
    close(fd);
    /* -E root_owner: root owns the files whoever runs the check; 64 MiB holds the
     * kernel, the initrd, the 4 MiB disk file and ext4's journal. */
    /* In `dir`, with fixed relative names: dir is under TMPDIR, the user's
     * bytes, and a device operand starting with '-' would be an option. */
    const char *argv[] = { mkfs, "-q", "-F", "-t", "ext4", label ? "-L" : "-U", name,
                           "-E", "root_owner=0:0", "-d", "./storage-root", "./guest-storage.img",
                           "64M", NULL };
    md_run_opts ro = { .timeout_s = 120, .cwd = dir };
    r = md_run_ok_opts(argv, &ro, err);
    if (r < 0)
        md_err_prefix(err, "making the guest storage disk (mkfs.ext4 from e2fsprogs; make deps "
                           "installs it)");
out:
    free(mkfs);
    free(root), free(sub), free(autod), free(k), free(i), free(keep), free(cfgp), free(cfg);
    return r;
}

/* --- the steps ----------------------------------------------------------- */

/* What the dom0 shows of the guest: its domain id (-1: none) and the first
 * line of sectors 8 and 16 of its disk file. */
typedef struct probe {
    long domid;
    char at8[160], at16[160];
    char *raw; /* the whole answer, for messages */
} probe;

static void probe_free(probe *p) { free(p->raw); }

static void take_field(const char *out, const char *tag, char *dst, size_t size)
{
    const char *p = strstr(out, tag);
    dst[0] = '\0';
    if (!p)
        return;
    p += strlen(tag);
    size_t n = strcspn(p, "\r\n");
    if (n >= size)
        n = size - 1;
    memcpy(dst, p, n);
    dst[n] = '\0';
}

static void look(chk *c, probe *p)
{
    md_run_result r;
    md_check_ssh(c, "echo \"domid:$(xl domid " GUEST " 2>/dev/null)\"; for s in 8 16; do "
                    "echo \"at$s:$(dd if=" KEEP " bs=512 skip=$s count=1 2>/dev/null | tr -d '\\000' "
                    "| head -n 1)\"; done; echo mkdom0-probed",
                 60, &r);
    char d[32];
    take_field(r.out, "domid:", d, sizeof d);
    char *end;
    long id = strtol(d, &end, 10);
    p->domid = *d && !*end && strstr(r.out, "mkdom0-probed") ? id : -1;
    take_field(r.out, "at8:", p->at8, sizeof p->at8);
    take_field(r.out, "at16:", p->at16, sizeof p->at16);
    free(p->raw);
    p->raw = r.out;
    r.out = NULL;
    md_run_result_free(&r);
}

/* Is `m` a marker of our guest (written by some boot of it)? */
static bool ours(const md_storage *s, const char *m)
{
    char pre[64];
    snprintf(pre, sizeof pre, "mkdom0-guest-wrote-%lu.", s->nonce);
    return !strncmp(m, pre, strlen(pre)) && m[strlen(pre)];
}

/* The dom0's view for a failure message: services, log, domains, and
 * what the hotplug scripts said (a failed `block add` logs its reason
 * through logger as /etc/xen/scripts/block, and its stderr goes to
 * xen-hotplug.log; libxl says only "block failed; error detected"). */
static char *dom0_state(chk *c)
{
    md_run_result r;
    md_check_ssh(c, "rc-status --all 2>&1 | grep -E 'guest-storage|xendomains'; "
                    "logread 2>/dev/null | grep -E 'xendomains|guest-storage|xen/scripts' | "
                    "tail -n 8; xl list 2>&1; tail -n 5 /var/log/xen/xl-" GUEST ".log 2>/dev/null; "
                    "tail -n 5 /var/log/xen/xen-hotplug.log 2>/dev/null",
                 60, &r);
    char *s = md_xstrdup(md_run_tail(r.out, 1600));
    md_run_result_free(&r);
    return s;
}

static int wait_mounted(md_storage *s, chk *c, const char *when, md_err *err)
{
    double t = md_run_now(), until = t + 120;
    md_run_result r = { 0 };
    for (;;) {
        md_run_result_free(&r);
        md_check_ssh(c, "awk '$2 == \"" STORE "\" { print \"mounted:\" $1 \" \" $3 }' /proc/mounts; "
                        "echo \"entries:$(ls -A " STORE " 2>/dev/null | tr '\\n' ' ')\"",
                     60, &r);
        if (strstr(r.out, "mounted:"))
            break;
        if (md_run_now() > until || !md_check_running(c)) {
            char *line = NULL;
            md_check_console_wait(c, "Guest storage ", 1, &line);
            int rc = md_check_fail(c, err, "guest storage %s: not mounted at " STORE " %s within 120 s "
                                   "(the QEMU VM has it as a virtio disk)%s%s",
                           s->source, when, line ? "; the console says: " : "", line ? line : "");
            free(line);
            md_run_result_free(&r);
            return rc;
        }
        sleep(2);
    }
    char dev[200], entries[300];
    take_field(r.out, "mounted:", dev, sizeof dev);
    take_field(r.out, "entries:", entries, sizeof entries);
    md_run_result_free(&r);
    /* What the check put there, and lost+found from mkfs: no dom0 file. */
    if (strcmp(entries, "auto lost+found mkdom0 "))
        return md_check_fail(c, err, "guest storage: " STORE " holds '%s' %s; expected only what the "
                             "check put there (auto lost+found mkdom0): the dom0 writes there",
                     entries, when);
    md_check_say(c, "ok   guest storage %s mounted at " STORE " %s (%s) %6.1f s", s->source, when, dev,
        md_check_since(c));
    return 0;
}

/* Wait until the guest is up with a marker for which `done` holds. */
static int wait_guest(md_storage *s, chk *c, probe *p, bool (*done)(const md_storage *, const probe *,
                                                                       const void *),
                      const void *arg, const char *what, md_err *err)
{
    double limit = md_check_guest_timeout(c, 420), until = md_run_now() + limit;
    for (;;) {
        look(c, p);
        if (p->domid > 0 && done(s, p, arg))
            return 0;
        /* xendomains reports a guest xl refused: no use waiting on. */
        char *refused = NULL;
        if (p->domid < 0 && md_check_console_wait(c, "Guest " GUEST ".cfg failed to start", 0,
                                                  &refused)) {
            char *state = dom0_state(c);
            int rc = md_check_fail(c, err, "%s: xendomains says: %s\n  dom0 state:\n%s", what, refused,
                           state);
            free(state);
            free(refused);
            return rc;
        }
        if (md_run_now() > until || !md_check_running(c)) {
            char *state = dom0_state(c);
            int rc = md_check_fail(c, err, "%s within %.0f s (domain id %ld; its disk file on the storage "
                                   "shows '%s' at sector 8, '%s' at 16)\n  dom0 state:\n%s",
                           what, limit, p->domid, p->at8, p->at16, state);
            free(state);
            return rc;
        }
        sleep(3);
    }
}

static bool first_boot(const md_storage *s, const probe *p, const void *arg)
{
    (void)arg;
    return ours(s, p->at8);
}

/* A later guest boot: it found `prev` at 8 and moved it to 16. */
static bool next_boot(const md_storage *s, const probe *p, const void *prev)
{
    return ours(s, p->at8) && !strcmp(p->at16, prev) && strcmp(p->at8, prev);
}

/* What host shutdown runs (inittab's `openrc shutdown` stops xendomains):
 * the guest must end by `xl shutdown`, not be destroyed. */
static int check_stop(md_storage *s, chk *c, probe *p, md_err *err)
{
    double t = md_run_now();
    md_run_result r;
    md_check_ssh(c, "rc-service xendomains stop 2>&1; echo \"left:$(xl list | awk 'NR > 1 && "
                    "$2 != 0 { print $1 }' | tr '\\n' ' ')\"; grep -c 'has shut down, reason "
                    "code 0' /var/log/xen/xl-" GUEST ".log",
                 300, &r);
    double took = md_run_now() - t;
    char left[200];
    take_field(r.out, "left:", left, sizeof left);
    const char *count = strstr(r.out, "left:");
    count = count ? count + strcspn(count, "\n") : "";
    int rc = 0;
    if (!strstr(r.out, "Shutting down guests"))
        rc = md_check_fail(c, err, "rc-service xendomains stop did not shut down " GUEST ": %s",
                   md_run_tail(r.out, 600));
    else if (strstr(r.out, "destroying") || *left)
        rc = md_check_fail(c, err, "rc-service xendomains stop: " GUEST " did not shut down cleanly "
                           "(destroyed, or left: '%s'): %s", left, md_run_tail(r.out, 600));
    else if (strtol(count, NULL, 10) < 1)
        rc = md_check_fail(c, err, "rc-service xendomains stop: xl's log of " GUEST " shows no clean "
                           "shutdown (reason code 0, poweroff): %s", md_run_tail(r.out, 600));
    md_run_result_free(&r);
    if (rc)
        return rc;
    md_check_say(c, "ok   host shutdown path: rc-service xendomains stop shut " GUEST " down by xl "
           "shutdown, no destroy (%.1f s)", took);
    look(c, p);
    free(s->last);
    s->last = md_xstrdup(p->at8);
    return ours(s, s->last) ? 0
                            : md_check_fail(c, err, "after " GUEST " ended its disk file shows '%s', not "
                                            "its marker", s->last);
}

int md_storage_check_boot(md_storage *s, chk *c, md_err *err)
{
    if (wait_mounted(s, c, "at boot", err) < 0)
        return -1;
    probe p = { 0 };
    double t = md_run_now();
    int rc = wait_guest(s, c, &p, first_boot, NULL, "the autostart guest " GUEST " (" STORE
                        "/auto/" GUEST ".cfg) did not come up and write its disk", err);
    if (rc == 0)
        md_check_say(c, "ok   autostart guest up: " GUEST " from the storage's auto/, no command; wrote "
               "its disk on the storage %6.1f s (waited %.1f s)", md_check_since(c),
            md_run_now() - t);
    if (rc == 0)
        rc = check_stop(s, c, &p, err);
    probe_free(&p);
    return rc;
}

int md_storage_check_after_reset(md_storage *s, chk *c, md_err *err)
{
    if (!s->last)
        return md_check_fail(c, err, "guest storage: no marker of the guest from before the reset");
    if (wait_mounted(s, c, "after the reset", err) < 0)
        return -1;
    probe p = { 0 };
    int rc = wait_guest(s, c, &p, next_boot, s->last, "after the reset, the autostart guest "
                        GUEST " did not come up and find the marker it wrote before the reset",
                        err);
    if (rc == 0)
        md_check_say(c, "ok   guest data kept across the reset: " GUEST ", autostarted again, read "
               "what it wrote before (%s) %6.1f s", s->last, md_check_since(c));
    probe_free(&p);
    return rc;
}

/* A console line without OpenRC's colours, the "SERVICE |" that OpenRC puts
 * before a service's lines on a terminal when rc_parallel is on (the name
 * padded to the longest service name; openrc-run.c write_prefix), and its
 * " * " lead. */
static void plain(char *line)
{
    char *w = line;
    for (const char *r = line; *r; r++) {
        if (*r == '\033' && r[1] == '[') {
            r += 2 + strcspn(r + 2, "ABCDEFGHJKSTfmnsu");
            if (!*r)
                break;
            continue;
        }
        *w++ = *r;
    }
    *w = '\0';
    size_t name = strspn(line, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-");
    size_t bar = name + strspn(line + name, " ");
    if (name && line[bar] == '|')
        memmove(line, line + bar + 1, strlen(line + bar + 1) + 1);
    size_t lead = strspn(line, " *\t");
    memmove(line, line + lead, strlen(line + lead) + 1);
}

int md_storage_check_absent(md_storage *s, chk *c, md_err *err)
{
    char *needle = md_xasprintf("Guest storage %s: no disk has it", s->source), *line = NULL;
    bool said = md_check_console_wait(c, needle, 120, &line);
    free(needle);
    if (!said)
        return md_check_fail(c, err, "no guest storage disk attached, but the dom0's console does not say "
                             "\"Guest storage %s: no disk has it\" within 120 s", s->source);
    md_run_result r;
    md_check_ssh(c, "grep -c ' " STORE " ' /proc/mounts", 60, &r);
    bool mounted = strtol(r.out, NULL, 10) > 0;
    md_run_result_free(&r);
    int rc = 0;
    if (mounted)
        rc = md_check_fail(c, err, "no guest storage disk attached, yet something is mounted at " STORE);
    else {
        plain(line);
        md_check_say(c, "ok   no guest storage disk: the dom0 runs on; console: %s", line);
    }
    free(line);
    return rc;
}
