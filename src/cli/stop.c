/* stop — see stop.h. */
#include "stop.h"
#include <stdio.h>

volatile sig_atomic_t md_cli_stop_signal;
/* set before the handlers are installed, read only by them */
static void (*stop_first)(int sig);

static void on_signal(int sig)
{
    if (md_cli_stop_signal) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    md_cli_stop_signal = sig;
    if (stop_first)
        stop_first(sig);
}

void md_cli_stop_arm(md_cli_stop *s, const int *sigs, size_t n, void (*first)(int sig))
{
    stop_first = first;
    struct sigaction sa = { .sa_handler = on_signal, .sa_flags = SA_RESTART };
    sigemptyset(&sa.sa_mask);
    s->n = n < MD_CLI_STOP_MAX ? n : MD_CLI_STOP_MAX;
    for (size_t i = 0; i < s->n; i++) {
        s->sigs[i] = sigs[i];
        if (sigaction(sigs[i], NULL, &s->old[i]) == 0 &&
            s->old[i].sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

void md_cli_stop_disarm(md_cli_stop *s)
{
    for (size_t i = 0; i < s->n; i++)
        sigaction(s->sigs[i], &s->old[i], NULL);
}

void md_cli_stop_die(const char *who, const char *msg)
{
    int sig = md_cli_stop_signal;
    if (!sig)
        return;
    fflush(stdout);
    fprintf(stderr, "%s: %s\n", who, msg);
    signal(sig, SIG_DFL);
    raise(sig);
}
