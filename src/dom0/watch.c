#include "watch.h"
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

void d0_watch_describe(int wstatus, char *buf, size_t size)
{
    if (WIFSIGNALED(wstatus)) {
        int sig = WTERMSIG(wstatus);
        const char *abbrev = sigabbrev_np(sig);
        snprintf(buf, size, "was killed by signal %d%s%s%s%s", sig, abbrev ? " (SIG" : "",
                 abbrev ? abbrev : "", abbrev ? ")" : "",
                 WCOREDUMP(wstatus) ? ", core dumped" : "");
    } else if (WIFEXITED(wstatus)) {
        snprintf(buf, size, "exited with status %d", WEXITSTATUS(wstatus));
    } else {
        snprintf(buf, size, "ended (wait status 0x%x)", (unsigned)wstatus);
    }
}

void d0_watch_alarm(const char *name, int wstatus, char *buf, size_t size)
{
    char how[96];
    d0_watch_describe(wstatus, how, sizeof how);
    snprintf(buf, size,
             "\n"
             "*** %s died: the toolstack cannot work until reboot\n"
             "*** %s %s.\n"
             "*** It is not restarted: the store held the running domains' state in\n"
             "*** its memory, and a new one would know none of it.  xl, xenconsoled,\n"
             "*** guest devices and hotplug all need it.  Shut the guests down from\n"
             "*** inside if you can, then reboot the host.\n"
             "\n",
             name, name, how);
}

static volatile pid_t child;
static volatile sig_atomic_t asked_to_stop;

static void pass_on(int sig)
{
    asked_to_stop = 1;
    if (child > 0)
        kill(child, sig);
}

/* Best effort: the console may be gone or busy, the alarm still goes to
 * stderr and syslog. */
static void write_all(int fd, const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(fd, s, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

/* One datagram to /dev/log in the form syslogd reads (RFC 3164 without the
 * timestamp, which syslogd adds): glibc's syslog(3) would add 180 KiB to
 * this static program for the same effect. */
static void to_syslog(const char *msg)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX, .sun_path = "/dev/log" };
    char dgram[320];
    int n = snprintf(dgram, sizeof dgram, "<%d>xenstored-watch[%d]: %s", LOG_DAEMON | LOG_CRIT,
                     (int)getpid(), msg);
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    if (n > 0)
        sendto(fd, dgram, (size_t)n < sizeof dgram ? (size_t)n : sizeof dgram - 1, 0,
               (const struct sockaddr *)&sa, sizeof sa);
    close(fd);
}

static void alarm_everywhere(const char *console, const char *name, int wstatus)
{
    char text[1024], how[96];
    d0_watch_alarm(name, wstatus, text, sizeof text);
    int fd = open(console, O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
    if (fd >= 0) {
        write_all(fd, text);
        close(fd);
    }
    write_all(STDERR_FILENO, text);
    d0_watch_describe(wstatus, how, sizeof how);
    char line[256];
    snprintf(line, sizeof line, "%s %s: not restarted; the toolstack cannot work until reboot",
             name, how);
    to_syslog(line);
}

/* In the caller: 0 once `ready` exists, 1 (said on stderr) when the
 * background watcher `w` ended first or the time is up. */
static int wait_ready(pid_t w, const char *ready, const char *name)
{
    const struct timespec step = { 0, 50 * 1000 * 1000 };
    for (long i = 0; i < D0_WATCH_READY_S * 20L; i++) {
        if (access(ready, F_OK) == 0)
            return 0;
        int st;
        if (waitpid(w, &st, WNOHANG) == w) {
            fprintf(stderr, "xen-dom0-setup watch: %s ended before it made %s\n", name, ready);
            return 1;
        }
        nanosleep(&step, NULL);
    }
    fprintf(stderr, "xen-dom0-setup watch: %s did not make %s within %d s\n", name, ready,
            D0_WATCH_READY_S);
    return 1;
}

/* Into the background as init's grandchild, in a session of its own and
 * away from the caller's terminal; the caller gets our pid in `pidfile`
 * (and, with `ready`, waits for that path) before it goes on.  Returns -1
 * in the caller (exit with *status), 0 in the background process. */
static int background(const char *pidfile, const char *ready, const char *name, int *status)
{
    pid_t p = fork();
    if (p < 0) {
        fprintf(stderr, "xen-dom0-setup watch: cannot fork: %s\n", strerror(errno));
        *status = 1;
        return -1;
    }
    if (p > 0) {
        FILE *f = fopen(pidfile, "w");
        *status = f && fprintf(f, "%d\n", (int)p) > 0 && fclose(f) == 0 ? 0 : 1;
        if (*status) {
            fprintf(stderr, "xen-dom0-setup watch: cannot write %s: %s\n", pidfile,
                    strerror(errno));
            kill(p, SIGTERM);
        } else if (ready) {
            *status = wait_ready(p, ready, name);
        }
        return -1;
    }
    setsid();
    int fd = open("/dev/null", O_RDWR | O_CLOEXEC);
    if (fd >= 0) {
        dup2(fd, STDIN_FILENO);
        dup2(fd, STDOUT_FILENO);
        dup2(fd, STDERR_FILENO);
        close(fd);
    }
    return 0;
}

int d0_watch_run(const char *console, const char *pidfile, const char *ready, char *const argv[])
{
    int status;
    const char *name = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    if (pidfile && background(pidfile, ready, name, &status) < 0)
        return status;
    struct sigaction sa = { .sa_handler = pass_on };
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    pid_t pid = d0_spawn_start(argv, true, "xen-dom0-setup watch");
    if (pid < 0)
        return 1;
    child = pid;
    if (asked_to_stop) /* a signal that came before the child's pid was known */
        kill(pid, SIGTERM);
    int st = 0;
    if (d0_spawn_wait(pid, &st) < 0) {
        fprintf(stderr, "xen-dom0-setup watch: waitpid %d: %s\n", (int)pid, strerror(errno));
        return 1;
    }
    if (asked_to_stop)
        return 0;
    alarm_everywhere(console, name, st);
    return 1;
}
