/* The xenstored watcher: how a death is described, the console alarm, and
 * d0_watch_run on real children (one killed, one that exits, one that
 * cannot start) with a file standing in for the console. */
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>
#include "d0.h"
#include "t.h"
#include "watch.h"

/* A real wait status, from a child that ends as `script` says. */
static int status_of(const char *script)
{
    pid_t p = fork();
    if (p == 0) {
        execl("/bin/sh", "sh", "-c", script, (char *)NULL);
        _exit(126);
    }
    int st = 0;
    waitpid(p, &st, 0);
    return st;
}

static void test_describe(void)
{
    char b[96];
    d0_watch_describe(status_of("kill -9 $$"), b, sizeof b);
    CHECK_STR(b, "was killed by signal 9 (SIGKILL)");
    d0_watch_describe(status_of("kill -TERM $$"), b, sizeof b);
    CHECK_STR(b, "was killed by signal 15 (SIGTERM)");
    d0_watch_describe(status_of("exit 3"), b, sizeof b);
    CHECK_STR(b, "exited with status 3");
    d0_watch_describe(status_of("exit 0"), b, sizeof b);
    CHECK_STR(b, "exited with status 0");
    char tiny[8];
    d0_watch_describe(status_of("exit 3"), tiny, sizeof tiny);
    CHECK(strlen(tiny) == 7);
}

static void test_alarm(void)
{
    char b[1024];
    d0_watch_alarm("xenstored", status_of("kill -9 $$"), b, sizeof b);
    CHECK(strstr(b, "\n*** xenstored died: the toolstack cannot work until reboot\n"));
    CHECK(strstr(b, "*** xenstored was killed by signal 9 (SIGKILL).\n"));
    CHECK(strstr(b, "reboot the host"));
    /* Every non-empty line is marked, so it stands out among boot messages. */
    int lines = 0;
    for (const char *p = b; *p; p = strchr(p, '\n') + 1) {
        if (*p != '\n') {
            CHECK(!strncmp(p, "*** ", 4));
            lines++;
        }
        if (!strchr(p, '\n'))
            break;
    }
    CHECK(lines >= 3);
    char small[40];
    d0_watch_alarm("xenstored", 0, small, sizeof small);
    CHECK(strlen(small) == sizeof small - 1);
}

static char *slurp(const char *path)
{
    char *t = NULL;
    d0_err e = { 0 };
    if (d0_read_file(path, &t, NULL, &e) < 0)
        return NULL;
    return t;
}

/* d0_watch_run in a child process (it installs signal handlers), its stderr
 * to /dev/null; returns its exit status. */
static int run_watch(const char *console, char *const argv[])
{
    pid_t p = fork();
    if (p == 0) {
        freopen("/dev/null", "w", stderr);
        _exit(d0_watch_run(console, NULL, NULL, argv));
    }
    int st = 0;
    waitpid(p, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void test_run(void)
{
    char con[] = "/tmp/test_dom0_watch.XXXXXX";
    int fd = mkstemp(con);
    CHECK(fd >= 0);
    close(fd);

    char *const killed[] = { "/bin/sh", "-c", "kill -9 $$", NULL };
    CHECK(run_watch(con, killed) == 1);
    char *t = slurp(con);
    CHECK(t && strstr(t, "*** sh died: the toolstack cannot work until reboot"));
    CHECK(t && strstr(t, "*** sh was killed by signal 9 (SIGKILL)."));
    free(t);

    /* Even a clean exit is a death: xenstored --no-fork never ends on its own. */
    truncate(con, 0);
    char *const exits[] = { "sh", "-c", "exit 0", NULL };
    CHECK(run_watch(con, exits) == 1);
    t = slurp(con);
    CHECK(t && strstr(t, "*** sh exited with status 0."));
    free(t);

    truncate(con, 0);
    char *const missing[] = { "/nonexistent/xenstored", NULL };
    CHECK(run_watch(con, missing) == 1);
    t = slurp(con);
    CHECK(t && strstr(t, "*** xenstored exited with status 127."));
    free(t);
    unlink(con);
}

/* SIGTERM to the watcher reaches the child and is no alarm. */
static void test_stop(void)
{
    char con[] = "/tmp/test_dom0_watch.XXXXXX";
    int fd = mkstemp(con);
    CHECK(fd >= 0);
    close(fd);
    pid_t w = fork();
    if (w == 0) {
        freopen("/dev/null", "w", stderr);
        char *const sleeper[] = { "sleep", "30", NULL };
        _exit(d0_watch_run(con, NULL, NULL, sleeper));
    }
    usleep(300000);
    kill(w, SIGTERM);
    int st = 0;
    alarm(10); /* the child not getting the signal would hang the test */
    waitpid(w, &st, 0);
    alarm(0);
    CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
    char *t = slurp(con);
    CHECK(t && !*t);
    free(t);
    unlink(con);
}

int main(void)
{
    test_describe();
    test_alarm();
    test_run();
    test_stop();
    return t_done("test_dom0_watch");
}
