/* xen-dom0-setup's steps against temporary roots: dry runs, and real node
 * creation, which needs root (mknod); not root is a failure, not a skip. */
#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <string.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>
#include "d0.h"
#include "setup.h"
#include "t.h"

static char *plan_buf, *log_buf;
static size_t plan_len, log_len;
static FILE *plan_f, *log_f;

static void ctx_init(d0_ctx *c, const char *root, int dry)
{
    plan_f = open_memstream(&plan_buf, &plan_len);
    log_f = open_memstream(&log_buf, &log_len);
    *c = (d0_ctx){ .prog = "test", .root = root, .dry_run = dry, .plan = plan_f, .log = log_f };
}

/* Closes the streams; plan_buf/log_buf hold the output until the next call. */
static void ctx_done(void)
{
    fclose(plan_f);
    fclose(log_f);
}

static void ctx_free(void)
{
    free(plan_buf);
    free(log_buf);
    plan_buf = log_buf = NULL;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *f)
{
    (void)st; (void)flag; (void)f;
    return remove(p);
}

static char *mkroot(void)
{
    char tmpl[] = "/tmp/test_dom0_setup.XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

static void rmroot(char *d)
{
    nftw(d, rm_one, 16, FTW_DEPTH | FTW_PHYS);
    free(d);
}

static void put(const char *root, const char *rel, const char *text)
{
    char p[4096];
    snprintf(p, sizeof p, "%s%s", root, rel);
    for (char *s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
        *s = '\0';
        mkdir(p, 0755);
        *s = '/';
    }
    if (!text) {
        mkdir(p, 0755);
        return;
    }
    FILE *f = fopen(p, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static const char *misc(const char *name)
{
    static char p[4096];
    const char *src = getenv("MKDOM0_SRC");
    snprintf(p, sizeof p, "%s/tests/data/procmisc/%s", src ? src : ".", name);
    return p;
}

static void test_decide(void)
{
    struct stat st;
    char why[128];
    CHECK(d0_setup_node_decide(NULL, 10, 125, why, sizeof why) == D0_NODE_CREATE);
    memset(&st, 0, sizeof st);
    st.st_mode = S_IFCHR | 0600;
    st.st_rdev = makedev(10, 125);
    CHECK(d0_setup_node_decide(&st, 10, 125, why, sizeof why) == D0_NODE_OK);
    st.st_mode = S_IFCHR | 0666; /* another mode is the admin's business */
    CHECK(d0_setup_node_decide(&st, 10, 125, why, sizeof why) == D0_NODE_OK);
    st.st_rdev = makedev(10, 99);
    CHECK(d0_setup_node_decide(&st, 10, 125, why, sizeof why) == D0_NODE_REPLACE);
    CHECK(strstr(why, "10:99") != NULL);
    st.st_rdev = makedev(11, 125);
    CHECK(d0_setup_node_decide(&st, 10, 125, why, sizeof why) == D0_NODE_REPLACE);
    st.st_mode = S_IFBLK | 0600;
    st.st_rdev = makedev(10, 125);
    CHECK(d0_setup_node_decide(&st, 10, 125, why, sizeof why) == D0_NODE_REPLACE);
    CHECK(strstr(why, "block") != NULL);
    st.st_mode = S_IFREG | 0644;
    CHECK(d0_setup_node_decide(&st, 10, 125, why, sizeof why) == D0_NODE_REPLACE);
    CHECK(strstr(why, "regular file") != NULL);
    st.st_mode = S_IFLNK | 0777;
    CHECK(d0_setup_node_decide(&st, 10, 125, why, sizeof why) == D0_NODE_REPLACE);
    st.st_mode = S_IFDIR | 0755;
    CHECK(d0_setup_node_decide(&st, 10, 125, why, sizeof why) == D0_NODE_CONFLICT);
}

static void test_devices_dry(void)
{
    char *root = mkroot();
    d0_ctx c;
    ctx_init(&c, root, 1);
    d0_setup_devices(&c, misc("normal.txt"));
    ctx_done();
    CHECK(c.failures == 0);
    CHECK(strstr(plan_buf, "mkdir /dev/xen 0755\n") != NULL);
    CHECK(strstr(plan_buf, "mknod /dev/xen/evtchn c 10 125 0600\n") != NULL);
    CHECK(strstr(plan_buf, "mknod /dev/xen/privcmd c 10 122 0600\n") != NULL);
    CHECK(strstr(plan_buf, "mknod /dev/xen/xenbus_backend c 10 126 0600\n") != NULL);
    CHECK(strstr(plan_buf, "mknod /dev/hvc0 c 229 0 0600\n") != NULL);
    CHECK(strstr(plan_buf, "mknod /dev/console c 5 1 0600\n") != NULL);
    CHECK(strstr(plan_buf, "mknod /dev/ptmx c 5 2 0666\n") != NULL);
    CHECK(strstr(plan_buf, "symlink /dev/fd -> /proc/self/fd\n") != NULL);
    CHECK(strstr(plan_buf, "hw_random") == NULL);
    ctx_free();

    /* Missing entries: each named with the module to load. */
    ctx_init(&c, root, 1);
    d0_setup_devices(&c, misc("missing.txt"));
    ctx_done();
    CHECK(c.failures == 2);
    CHECK(strstr(log_buf, "xen/gntdev") && strstr(log_buf, "xen-gntdev"));
    CHECK(strstr(log_buf, "xen/privcmd") && strstr(log_buf, "xen-privcmd"));
    CHECK(strstr(plan_buf, "mknod /dev/xen/evtchn c 10 125 0600\n") != NULL);
    ctx_free();

    ctx_init(&c, root, 1);
    d0_setup_devices(&c, misc("empty.txt"));
    ctx_done();
    CHECK(c.failures == 1);
    CHECK(strstr(log_buf, "no xen/* devices") != NULL);
    CHECK(strstr(plan_buf, "/dev/xen") == NULL);
    CHECK(strstr(plan_buf, "mknod /dev/hvc0") != NULL); /* the rest still happens */
    ctx_free();

    ctx_init(&c, root, 1);
    d0_setup_devices(&c, misc("garbage.txt"));
    ctx_done();
    CHECK(strstr(log_buf, "7 malformed lines ignored (first at line 1)") != NULL);
    ctx_free();

    ctx_init(&c, root, 1);
    d0_setup_devices(&c, "/nonexistent/proc/misc");
    ctx_done();
    CHECK(c.failures == 1);
    CHECK(strstr(log_buf, "/nonexistent/proc/misc") != NULL);
    ctx_free();
    rmroot(root);
}

static void test_devices_real(void)
{
    /* Not a skip: a part that cannot run is a part not proven.  mknod(2)
     * of a character device needs CAP_MKNOD in the initial user namespace
     * (a user namespace of our own does not give it), so root; CI is. */
    if (geteuid() != 0) {
        t_fail++;
        fprintf(stderr, "test_dom0_setup: FAIL: the real mknod part needs root (mknod(2) of "
                        "/dev/xen/* character devices); run the unit tests as root\n");
        return;
    }
    char *root = mkroot();
    char p[4096];
    put(root, "/dev/xen/evtchn", "not a device\n");    /* wrong: replaced */
    snprintf(p, sizeof p, "%s/dev/xen/gntdev", root);
    CHECK(mknod(p, S_IFCHR | 0600, makedev(10, 1)) == 0); /* wrong minor: replaced */
    put(root, "/dev/xen/privcmd", NULL);                 /* directory: refused */
    d0_ctx c;
    ctx_init(&c, root, 0);
    d0_setup_devices(&c, misc("normal.txt"));
    ctx_done();
    CHECK(c.failures == 1);
    CHECK(strstr(log_buf, "/dev/xen/privcmd") && strstr(log_buf, "directory"));
    struct stat st;
    snprintf(p, sizeof p, "%s/dev/xen/evtchn", root);
    CHECK(lstat(p, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(10, 125) &&
          (st.st_mode & 07777) == 0600);
    snprintf(p, sizeof p, "%s/dev/xen/gntdev", root);
    CHECK(lstat(p, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(10, 124));
    snprintf(p, sizeof p, "%s/dev/hvc0", root);
    CHECK(lstat(p, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == makedev(229, 0) &&
          (st.st_mode & 07777) == 0600);
    snprintf(p, sizeof p, "%s/dev/null", root);
    CHECK(lstat(p, &st) == 0 && (st.st_mode & 07777) == 0666); /* not cut by the umask */
    ctx_free();

    /* Fixed by hand, the next run has nothing left to do. */
    snprintf(p, sizeof p, "%s/dev/xen/privcmd", root);
    rmdir(p);
    ctx_init(&c, root, 0);
    d0_setup_devices(&c, misc("normal.txt"));
    ctx_done();
    CHECK(c.failures == 0);
    ctx_free();
    ctx_init(&c, root, 1);
    d0_setup_devices(&c, misc("normal.txt"));
    ctx_done();
    CHECK(c.failures == 0);
    CHECK_STR(plan_buf, "");
    ctx_free();
    rmroot(root);
}

static const char dep[] =
    "kernel/drivers/xen/xen-evtchn.ko:\n"
    "kernel/drivers/xen/xen-gntdev.ko:\n"
    "kernel/drivers/xen/xen-gntalloc.ko:\n"
    "kernel/drivers/xen/xenfs/xenfs.ko: kernel/drivers/xen/xen-privcmd.ko\n"
    "kernel/drivers/xen/xen-privcmd.ko:\n"
    "kernel/drivers/net/xen-netback/xen-netback.ko:\n";

static void test_modules_dry(void)
{
    char *root = mkroot();
    put(root, "/lib/modules/6.1.0-test/modules.dep", dep);
    put(root, "/sys/module/xen_gntdev", NULL); /* already loaded */
    d0_ctx c;
    ctx_init(&c, root, 1);
    d0_setup_modules(&c, "6.1.0-test", d0_setup_xen_modules, d0_setup_xen_modules_n,
                     d0_setup_xen_optional, d0_setup_xen_optional_n);
    ctx_done();
    CHECK(c.failures == 0);
    CHECK_STR(plan_buf,
              "load /lib/modules/6.1.0-test/kernel/drivers/xen/xen-evtchn.ko\n"
              "load /lib/modules/6.1.0-test/kernel/drivers/xen/xen-gntalloc.ko\n"
              "load /lib/modules/6.1.0-test/kernel/drivers/xen/xen-privcmd.ko\n"
              "load /lib/modules/6.1.0-test/kernel/drivers/xen/xenfs/xenfs.ko\n"
              "load /lib/modules/6.1.0-test/kernel/drivers/net/xen-netback/xen-netback.ko\n");
    CHECK_STR(log_buf, ""); /* xen-blkback absent and optional: quiet */
    ctx_free();

    /* A required module the index lacks; a built-in one is fine. */
    put(root, "/lib/modules/6.1.0-test/modules.builtin", "kernel/drivers/xen/xen-evtchn.ko\n");
    const char *req[] = { "xen-evtchn", "xen-pciback" };
    ctx_init(&c, root, 1);
    d0_setup_modules(&c, "6.1.0-test", req, 2, NULL, 0);
    ctx_done();
    CHECK(c.failures == 1);
    CHECK(strstr(log_buf, "xen-pciback") && strstr(log_buf, "modules.dep"));
    CHECK_STR(plan_buf, "");
    ctx_free();

    /* No index for this kernel at all. */
    ctx_init(&c, root, 1);
    d0_setup_modules(&c, "9.9.9", req, 2, NULL, 0);
    ctx_done();
    CHECK(c.failures == 1);
    CHECK(strstr(log_buf, "/lib/modules/9.9.9/modules.dep") && strstr(log_buf, "9.9.9"));
    ctx_free();

    /* No index, but everything asked for is built in or loaded already. */
    put(root, "/sys/module/xen_pciback", NULL);
    put(root, "/sys/module/xen_evtchn", NULL);
    ctx_init(&c, root, 1);
    d0_setup_modules(&c, "9.9.9", req, 2, NULL, 0);
    ctx_done();
    CHECK(c.failures == 0);
    CHECK_STR(plan_buf, "");
    ctx_free();

    /* A broken index names its line. */
    put(root, "/lib/modules/6.1.0-bad/modules.dep", "kernel/a.ko: kernel/missing.ko\n");
    ctx_init(&c, root, 1);
    d0_setup_modules(&c, "6.1.0-bad", req, 1, NULL, 0);
    ctx_done();
    CHECK(c.failures == 1);
    CHECK(strstr(log_buf, "modules.dep:1") && strstr(log_buf, "kernel/missing.ko"));
    ctx_free();
    rmroot(root);
}

static void test_dirs_dry(void)
{
    char *root = mkroot();
    put(root, "/var/lib/xen", NULL); /* there already: left alone */
    d0_ctx c;
    ctx_init(&c, root, 1);
    CHECK(d0_setup_dirs(&c) == 0);
    ctx_done();
    CHECK(c.failures == 0);
    CHECK_STR(plan_buf, "mkdir /run/xenstored 0755\n"
                        "mkdir /run/xen 0700\n"
                        "mkdir /var/lib/xen/dump 0700\n"
                        "mkdir /var/log/xen 0750\n");
    ctx_free();
    /* A file where a directory belongs is a failure naming it. */
    put(root, "/var/log/xen", "not a directory");
    ctx_init(&c, root, 1);
    CHECK(d0_setup_dirs(&c) < 0);
    ctx_done();
    CHECK(c.failures == 1);
    CHECK(strstr(log_buf, "/var/log/xen") != NULL);
    ctx_free();
    rmroot(root);
}

/* modules= of /etc/conf.d/xen-dom0 as the shell would read it, or a
 * failure (the service is then left to OpenRC, which sources the file). */
static void test_conf_words(void)
{
    char *root = mkroot();
    const char *w[4];
    size_t n = 99;
    char *text = NULL;
    d0_ctx c;
    ctx_init(&c, root, 1);
    /* No file: no words, no failure. */
    CHECK(d0_setup_conf_words(&c, "/etc/conf.d/xen-dom0", "modules", &text, w, 4, &n) == 0);
    CHECK(n == 0);
    free(text);
    put(root, "/etc/conf.d/xen-dom0", "# modules=\"not this\"\nmodules=\"\"\nothers=x\n"
                                       "  modules=\"xen-pciback  tun\" # a comment\n");
    CHECK(d0_setup_conf_words(&c, "/etc/conf.d/xen-dom0", "modules", &text, w, 4, &n) == 0);
    CHECK(n == 2);
    if (n == 2) {
        CHECK_STR(w[0], "xen-pciback");
        CHECK_STR(w[1], "tun");
    }
    free(text);
    put(root, "/etc/conf.d/xen-dom0", "modules=usbip-core\n");
    CHECK(d0_setup_conf_words(&c, "/etc/conf.d/xen-dom0", "modules", &text, w, 4, &n) == 0);
    CHECK(n == 1 && !strcmp(w[0], "usbip-core"));
    free(text);
    put(root, "/etc/conf.d/xen-dom0", "modules=''\n");
    CHECK(d0_setup_conf_words(&c, "/etc/conf.d/xen-dom0", "modules", &text, w, 4, &n) == 0);
    CHECK(n == 0);
    free(text);
    CHECK(c.failures == 0);
    /* What needs a shell, or more words than room: failures naming the line. */
    static const char *const bad[] = { "modules=\"$EXTRA tun\"\n", "modules=\"a b c d e\"\n",
                                       "x=1\nmodules=\"tun\"; other=1\n", "modules=\"tun\n" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        put(root, "/etc/conf.d/xen-dom0", bad[i]);
        int f = c.failures;
        CHECK(d0_setup_conf_words(&c, "/etc/conf.d/xen-dom0", "modules", &text, w, 4, &n) < 0);
        CHECK(c.failures == f + 1);
        free(text);
    }
    ctx_done();
    CHECK(strstr(log_buf, "/etc/conf.d/xen-dom0:2: modules= needs a shell") != NULL);
    ctx_free();
    rmroot(root);
}

static void test_coldplug_dry(void)
{
    /* Devices as the dom0 under QEMU has them: a NIC (e1000e), the virtio
     * bus's PCI function, and devices no module of the image drives. */
    char *root = mkroot();
    put(root, "/lib/modules/6.1.0-test/modules.dep",
        "kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko: kernel/drivers/ptp/ptp.ko\n"
        "kernel/drivers/ptp/ptp.ko:\n"
        "kernel/drivers/virtio/virtio_pci.ko: kernel/drivers/virtio/virtio.ko\n"
        "kernel/drivers/virtio/virtio.ko:\n"
        "kernel/drivers/char/hw_random/virtio-rng.ko: kernel/drivers/virtio/virtio.ko\n");
    put(root, "/lib/modules/6.1.0-test/modules.alias",
        "# Aliases extracted from modules themselves.\n"
        "alias pci:v00008086d000010D3sv*sd*bc*sc*i* e1000e\n"
        "alias pci:v00001AF4d*sv*sd*bc*sc*i* virtio_pci\n"
        "alias virtio:d00000004v* virtio_rng\n"
        "alias crypto-crc32c crc32c_intel\n");
    put(root, "/sys/bus/pci/devices/0000:00:03.0/modalias",
        "pci:v00008086d000010D3sv00008086sd00000000bc02sc00i00\n");
    put(root, "/sys/bus/pci/devices/0000:00:04.0/modalias",
        "pci:v00001AF4d00001044sv00001AF4sd00001100bc00scFFi00\n");
    put(root, "/sys/bus/pci/devices/0000:00:1f.0/modalias",
        "pci:v00008086d00002918sv00001AF4sd00001100bc06sc01i00\n");
    put(root, "/sys/bus/cpu/devices/cpu0/modalias", "cpu:type:x86,ven0002fam0006mod000F:feature:,0000\n");
    put(root, "/sys/bus/pci/devices/0000:00:00.0", NULL); /* no modalias */
    put(root, "/sys/module/virtio", NULL);                 /* loaded already */
    d0_ctx c;
    ctx_init(&c, root, 1);
    CHECK(d0_setup_coldplug(&c, "6.1.0-test") == 0);
    ctx_done();
    CHECK(c.failures == 0);
    CHECK(strstr(plan_buf, "load /lib/modules/6.1.0-test/kernel/drivers/ptp/ptp.ko\n"
                           "load /lib/modules/6.1.0-test/kernel/drivers/net/ethernet/intel/e1000e/e1000e.ko\n") != NULL);
    CHECK(strstr(plan_buf, "load /lib/modules/6.1.0-test/kernel/drivers/virtio/virtio_pci.ko\n") != NULL);
    CHECK(strstr(plan_buf, "virtio.ko") == NULL);     /* loaded */
    CHECK(strstr(plan_buf, "virtio-rng.ko") == NULL); /* no such device yet */
    CHECK_STR(log_buf, "");
    ctx_free();

    /* The device virtio_pci adds shows up: a pass for it (a real run
     * rescans after loading; here the next call sees it). */
    put(root, "/sys/bus/virtio/devices/virtio0/modalias", "virtio:d00000004v00001AF4\n");
    ctx_init(&c, root, 1);
    CHECK(d0_setup_coldplug(&c, "6.1.0-test") == 0);
    ctx_done();
    CHECK(strstr(plan_buf, "load /lib/modules/6.1.0-test/kernel/drivers/char/hw_random/virtio-rng.ko\n") != NULL);
    ctx_free();

    /* No index for the kernel, or no modules.alias: nothing to load, no failure. */
    ctx_init(&c, root, 1);
    CHECK(d0_setup_coldplug(&c, "9.9.9") == 0);
    ctx_done();
    CHECK(c.failures == 0);
    CHECK_STR(plan_buf, "");
    ctx_free();
    put(root, "/lib/modules/6.1.0-noalias/modules.dep", "kernel/a.ko:\n");
    ctx_init(&c, root, 1);
    CHECK(d0_setup_coldplug(&c, "6.1.0-noalias") == 0);
    ctx_done();
    CHECK_STR(plan_buf, "");
    ctx_free();
    rmroot(root);
}

static void test_modules_real_failure(void)
{
    /* Not a dry run, but the module file is missing: reported, nothing
     * loaded, and no privilege needed to get there. */
    char *root = mkroot();
    put(root, "/lib/modules/6.1.0-test/modules.dep", dep);
    const char *req[] = { "xenfs" };
    d0_ctx c;
    ctx_init(&c, root, 0);
    d0_setup_modules(&c, "6.1.0-test", req, 1, NULL, 0);
    ctx_done();
    CHECK(c.failures == 1);
    CHECK(strstr(log_buf, "xen-privcmd.ko") && strstr(log_buf, "needed for xenfs"));
    CHECK(strstr(log_buf, "trap 5") != NULL);
    ctx_free();
    rmroot(root);
}

static void test_mounts_and_xenfs(void)
{
    char *root = mkroot();
    d0_ctx c;
    ctx_init(&c, root, 1);
    d0_setup_mounts(&c);
    ctx_done();
    CHECK(c.failures == 0);
    CHECK(strstr(plan_buf, "mount proc proc /proc -\n") != NULL);
    CHECK(strstr(plan_buf, "mount sysfs sysfs /sys -\n") != NULL);
    CHECK(strstr(plan_buf, "mount devtmpfs devtmpfs /dev mode=0755\n") != NULL);
    CHECK(strstr(plan_buf, "mount devpts devpts /dev/pts gid=5,mode=0620,ptmxmode=0666\n") != NULL);
    ctx_free();

    /* The running system's own root is already set up: nothing to do. */
    ctx_init(&c, "/", 1);
    d0_setup_mounts(&c);
    ctx_done();
    CHECK(strstr(plan_buf, "mount proc") == NULL);
    CHECK(strstr(plan_buf, "mount sysfs") == NULL);
    ctx_free();

    ctx_init(&c, root, 0);
    d0_setup_xenfs(&c);
    ctx_done();
    CHECK(c.failures == 1);
    CHECK(strstr(log_buf, "/proc/xen does not exist") != NULL);
    ctx_free();
    rmroot(root);
}

/* OpenRC's sysinit step: /run, /run/openrc with the image's prebuilt
 * cache (mode and mtime kept: OpenRC compares mtimes), /run/lock owned by
 * the image's uucp group; without /lib/rc/cache/softlevel no cache. */
static void test_openrc_dry(void)
{
    char *root = mkroot();
    put(root, "/etc/group", "root:x:0:\nuucpx:x:99:\nuucp:x:10:\n");
    put(root, "/lib/rc/cache/softlevel", "");
    put(root, "/lib/rc/cache/deptree", "depinfo_0_service='a'\n");
    char p[4096];
    snprintf(p, sizeof p, "%s/lib/rc/cache/deptree", root);
    struct timespec ts[2] = { { .tv_sec = 1700000000 }, { .tv_sec = 1700000000 } };
    CHECK(utimensat(AT_FDCWD, p, ts, 0) == 0);
    snprintf(p, sizeof p, "%s/lib/rc/cache/softlevel", root);
    CHECK(utimensat(AT_FDCWD, p, ts, 0) == 0);
    d0_ctx c;
    ctx_init(&c, root, 1);
    CHECK(d0_setup_openrc(&c) == 0);
    ctx_done();
    CHECK(c.failures == 0);
    CHECK_STR(plan_buf, "mkdir /run 0755\n"
                        "mount tmpfs tmpfs /run mode=0755,nr_inodes=800k,size=20%\n"
                        "mkdir /run/openrc 0755\n"
                        "mkdir /run/openrc/starting 0755\n"
                        "mkdir /run/openrc/started 0755\n"
                        "mkdir /run/openrc/stopping 0755\n"
                        "mkdir /run/openrc/inactive 0755\n"
                        "mkdir /run/openrc/wasinactive 0755\n"
                        "mkdir /run/openrc/failed 0755\n"
                        "mkdir /run/openrc/hotplugged 0755\n"
                        "mkdir /run/openrc/daemons 0755\n"
                        "mkdir /run/openrc/options 0755\n"
                        "mkdir /run/openrc/exclusive 0755\n"
                        "mkdir /run/openrc/scheduled 0755\n"
                        "mkdir /run/openrc/tmp 0755\n"
                        "mkdir /run/lock 0775\n"
                        "chown /run/lock 0:10\n"
                        "write /run/openrc/deptree 0644 22 bytes mtime 1700000000\n"
                        "write /run/openrc/softlevel 0644 0 bytes mtime 1700000000\n"
                        "write /run/openrc/softlevel 0644 8 bytes\n");
    ctx_free();
    /* No softlevel in the cache: OpenRC makes its own deptree. */
    snprintf(p, sizeof p, "%s/lib/rc/cache/softlevel", root);
    CHECK(unlink(p) == 0);
    put(root, "/run/openrc", NULL);
    ctx_init(&c, root, 1);
    CHECK(d0_setup_openrc(&c) == 0);
    ctx_done();
    CHECK(strstr(plan_buf, "deptree") == NULL);
    CHECK(strstr(plan_buf, "write /run/openrc/softlevel 0644 8 bytes\n") != NULL);
    ctx_free();
    rmroot(root);
}

int main(void)
{
    test_decide();
    test_devices_dry();
    test_devices_real();
    test_modules_dry();
    test_dirs_dry();
    test_conf_words();
    test_coldplug_dry();
    test_modules_real_failure();
    test_mounts_and_xenfs();
    test_openrc_dry();
    return t_done("test_dom0_setup");
}
