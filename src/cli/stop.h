/* stop — how a long subcommand (build, boot --check) stops on a signal:
 * the first signal is recorded and handed to the subcommand's `first`,
 * which asks the library to stop (it cleans up and returns); a second one
 * kills at once.  After the work, a stopped subcommand says why and dies
 * of the signal, as if it had killed it.  One subcommand at a time: the
 * state is the process's. */
#ifndef MD_CLI_STOP_H
#define MD_CLI_STOP_H
#include <signal.h>
#include <stddef.h>

/* The first signal caught since md_cli_stop_arm, 0 for none: what a
 * library's cancel flag points at (md_build_opts.cancel). */
extern volatile sig_atomic_t md_cli_stop_signal;

#define MD_CLI_STOP_MAX 3
typedef struct md_cli_stop {
    int sigs[MD_CLI_STOP_MAX];
    size_t n;
    struct sigaction old[MD_CLI_STOP_MAX];
} md_cli_stop;

/* Catch the `n` (at most MD_CLI_STOP_MAX) signals `sigs` until
 * md_cli_stop_disarm(s); `first` (may be NULL; async-signal-safe) runs
 * in the handler on the first one.  A signal ignored from the start
 * (nohup, a background job's SIGINT) stays ignored, as a shell's user
 * asked. */
void md_cli_stop_arm(md_cli_stop *s, const int *sigs, size_t n, void (*first)(int sig));
/* The handlers that were there before md_cli_stop_arm, back. */
void md_cli_stop_disarm(md_cli_stop *s);
/* When a signal was caught: "WHO: MSG" on stderr (after what stdout
 * holds), then die of that signal; else return. */
void md_cli_stop_die(const char *who, const char *msg);
#endif
