#include "spawn.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

pid_t d0_spawn_start(char *const argv[], bool default_signals, const char *who)
{
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "%s: cannot fork for %s: %s\n", who, argv[0], strerror(errno));
        return -1;
    }
    if (pid == 0) {
        if (default_signals) {
            signal(SIGTERM, SIG_DFL);
            signal(SIGINT, SIG_DFL);
            signal(SIGHUP, SIG_DFL);
        }
        execvp(argv[0], argv);
        fprintf(stderr, "%s: cannot run %s: %s\n", who, argv[0], strerror(errno));
        _exit(127);
    }
    return pid;
}

int d0_spawn_wait(pid_t pid, int *wstatus)
{
    while (waitpid(pid, wstatus, 0) < 0)
        if (errno != EINTR)
            return -1;
    return 0;
}

int d0_spawn_status(int wstatus)
{
    return WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
}
