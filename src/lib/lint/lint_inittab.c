/* lint_inittab — trap 1 in inittabs: a getty or login must run on hvc0;
 * and, with the rootfs at hand, every program init runs at startup must be
 * in it (an Alpine base without openrc has busybox's init and getty, but
 * no /sbin/openrc for the inittab's sysinit lines).
 *
 * Both formats are "id:runlevels:action:process".  sysvinit's id is a tag;
 * busybox's id is the tty the process runs on (empty: /dev/console).  The
 * tty of a getty is taken from its arguments first, which works for both.
 * An inittab with an initdefault entry is sysvinit's (busybox init refuses
 * that action: "Bad inittab entry"), and read by sysvinit's rules
 * (read_inittab() and get_init_default() in src/init.c): an entry with an
 * id over 4 characters, an empty id, a repeated id or an action sysvinit
 * does not know is ignored, and a process runs only in the runlevels of its
 * field (empty: all), the default runlevel being the highest character of
 * initdefault's field. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "lint/lint_int.h"
#include "core/hindex.h"
#include "core/mem.h"
#include "core/strv.h"

static const char *const actions[] = {
    "sysinit", "wait", "once", "respawn", "askfirst", "shutdown", "restart", "ctrlaltdel",
    "boot", "bootwait", "off", "ondemand", "initdefault", "powerwait", "powerfail",
    "powerokwait", "powerfailnow", "kbrequest", NULL,
};

static bool known_action(const char *a)
{
    for (int i = 0; actions[i]; i++)
        if (!strcmp(a, actions[i]))
            return true;
    return false;
}

/* "hvc0", "/dev/ttyS0", "tty1", "console" -> the name without /dev/, or NULL. */
static const char *tty_name(const char *w)
{
    if (!strncmp(w, "/dev/", 5))
        w += 5;
    static const char *const pre[] = { "hvc", "ttyS", "ttyAMA", "ttyUSB", "tty", "xvc",
                                       "hvsi", NULL };
    if (!strcmp(w, "console"))
        return w;
    for (int i = 0; pre[i]; i++) {
        size_t n = strlen(pre[i]);
        if (!strncmp(w, pre[i], n) && w[n] && strspn(w + n, "0123456789") == strlen(w + n))
            return w;
    }
    return NULL;
}

/* sysvinit's actions (actions[] in src/init.c, compared with strcasecmp). */
static const char *const sysv_actions[] = {
    "respawn", "wait", "once", "boot", "bootwait", "powerfail", "powerfailnow", "powerwait",
    "powerokwait", "ctrlaltdel", "off", "ondemand", "initdefault", "sysinit", "kbrequest", NULL,
};

static bool sysv_action(const char *a)
{
    for (int i = 0; sysv_actions[i]; i++)
        if (!strcasecmp(a, sysv_actions[i]))
            return true;
    return false;
}

static bool is_login_prog(const char *prog)
{
    const char *b = basename(prog);
    static const char *const progs[] = { "getty", "agetty", "mingetty", "fgetty", "mgetty",
                                         "login", "sh", "ash", "bash", "dash",
                                         "zsh", "ksh", "hush", "mksh", NULL };
    for (int i = 0; progs[i]; i++)
        if (!strcmp(b, progs[i]))
            return true;
    return false;
}

typedef struct itline {
    unsigned line;
    char *id, *levels, *action, *process;
    bool ok;
} itline;

/* Split "id:rl:action:process"; false if the line is not of that form. */
static bool split_line(char *s, itline *o)
{
    char *f[3];
    for (int i = 0; i < 3; i++) {
        f[i] = s;
        s = strchr(s, ':');
        if (!s)
            return false;
        *s++ = '\0';
    }
    o->id = f[0];
    o->levels = f[1];
    o->action = f[2];
    o->process = s;
    return true;
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

typedef struct itstate {
    md_lint *l;
    const char *file;
    const md_tree *rootfs;
    unsigned hvc_line, console_line, first_getty_line, commented_hvc;
    bool hvc_broken; /* a getty on hvc0 whose program is missing: reported */
    bool sysv; /* some entry has runlevels: suggest the sysvinit form */
    char deflevel; /* sysvinit's default runlevel; 0: not sysvinit, or unknown */
    unsigned off_line; /* a getty on hvc0 not in the default runlevel */
    unsigned once_line; /* a getty on hvc0 with an action other than respawn */
    char once_action[16];
    char off_levels[16];
    md_strv other_ttys;
    md_hindex other_idx; /* other_ttys by hash: compared with every tty before
                          * it, 40,000 gettys on ttys of their own took 3 s */
} itstate;

static void itstate_free(itstate *s)
{
    md_strv_free(&s->other_ttys);
    md_hindex_free(&s->other_idx);
}

/* The program a process field runs past the wrappers that start another
 * one (busybox APPLET, cttyhack, setsid [-cfw], exec, nohup): an index into
 * argv. */
static size_t unwrap(const md_strv *argv)
{
    static const char *const wraps[] = { "cttyhack", "setsid", "exec", "nohup", NULL };
    size_t i = 0;
    while (i + 1 < argv->n) {
        const char *b = basename(argv->v[i][0] == '-' ? argv->v[i] + 1 : argv->v[i]);
        bool w = !strcmp(b, "busybox");
        for (int k = 0; !w && wraps[k]; k++)
            w = !strcmp(b, wraps[k]);
        if (!w)
            break;
        for (i++; i + 1 < argv->n && argv->v[i][0] == '-';)
            i++;
    }
    return i;
}

/* Actions whose process init runs as the system comes up (busybox's
 * init/init.c, sysvinit's src/init.c): a missing program there leaves the
 * dom0 without what that line starts — with /sbin/openrc missing, no
 * service runs, no xenstored, and the dom0 cannot start a guest. */
static bool startup_action(const char *a)
{
    static const char *const up[] = { "sysinit", "wait", "once", "respawn", "askfirst",
                                      "boot", "bootwait", NULL };
    for (int i = 0; up[i]; i++)
        if (!strcmp(a, up[i]))
            return true;
    return false;
}

/* A startup entry (not a login, which check_entry judges by its tty)
 * whose program the rootfs does not have. */
static void check_program(itstate *s, itline *e, const char *prog)
{
    if (!s->rootfs || prog[0] != '/' || md_tree_resolve_file(s->rootfs, prog))
        return;
    const char *what = md_lint_non_file(s->rootfs, prog);
    md_lint_add(s->l, s->file, e->line, MD_LINT_ERROR, 0,
                "init runs %s at %s, which %s%s: what this line starts never runs "
                "(for /sbin/openrc: no service, no xenstored, no guest); install the package "
                "that ships it or remove the line", prog, e->action,
                what ? "is " : "the rootfs does not have", what ? what : "");
}

static void check_entry(itstate *s, itline *e)
{
    if (!startup_action(e->action))
        return;
    md_strv argv = { 0 };
    md_strv_split(&argv, e->process, false);
    if (!argv.n) {
        md_strv_free(&argv);
        return;
    }
    size_t pi = unwrap(&argv);
    const char *exe = argv.v[0][0] == '-' ? argv.v[0] + 1 : argv.v[0];
    const char *prog = argv.v[pi][0] == '-' ? argv.v[pi] + 1 : argv.v[pi];
    if (is_login_prog(prog) && strcmp(e->action, "respawn") && strcmp(e->action, "askfirst") &&
        !s->once_line) {
        /* a getty on hvc0 that init runs once (or waits for): the real
         * cause when no entry respawns one there (trial10h case 7) */
        const char *tty = NULL;
        for (size_t i = pi + 1; i < argv.n && !tty; i++)
            tty = tty_name(argv.v[i]);
        if (!tty && *e->id)
            tty = tty_name(e->id);
        if (tty && !strcmp(tty, "hvc0")) {
            s->once_line = e->line;
            snprintf(s->once_action, sizeof s->once_action, "%s", e->action);
        }
    }
    if (!is_login_prog(prog) ||
        (strcmp(e->action, "respawn") && strcmp(e->action, "askfirst"))) {
        if (s->rootfs && exe[0] == '/' && !md_tree_resolve_file(s->rootfs, exe))
            prog = exe; /* the wrapper itself is missing */
        check_program(s, e, prog);
        md_strv_free(&argv);
        return;
    }
    const char *tty = NULL;
    for (size_t i = pi + 1; i < argv.n && !tty; i++)
        tty = tty_name(argv.v[i]);
    if (!tty)
        tty = *e->id ? tty_name(e->id) : "console";
    if (!tty)
        tty = "console"; /* sysvinit runs it on /dev/console by default */
    /* sysvinit starts an entry only in the runlevels of its field, empty
     * for all (start_if_needed(), src/init.c) */
    if (s->deflevel && *e->levels && !strchr(e->levels, s->deflevel)) {
        if (!strcmp(tty, "hvc0") && !s->off_line) {
            s->off_line = e->line;
            snprintf(s->off_levels, sizeof s->off_levels, "%s", e->levels);
        }
        md_strv_free(&argv);
        return;
    }
    if (!s->first_getty_line)
        s->first_getty_line = e->line;
    if (s->rootfs && exe[0] == '/' && !md_tree_resolve_file(s->rootfs, exe))
        prog = exe; /* the wrapper itself is missing */
    bool missing = s->rootfs && prog[0] == '/' && !md_tree_resolve_file(s->rootfs, prog);
    const char *what = missing ? md_lint_non_file(s->rootfs, prog) : NULL;
    if (!strcmp(tty, "hvc0")) {
        if (missing)
            md_lint_add(s->l, s->file, e->line, MD_LINT_ERROR, 1,
                        "the login on hvc0 runs %s, which %s%s: init "
                        "respawns it forever and hvc0 never shows a prompt; install it or "
                        "point the entry at an existing getty", prog,
                        what ? "is " : "the rootfs does not have", what ? what : "");
        if (missing)
            s->hvc_broken = true;
        else if (!s->hvc_line)
            s->hvc_line = e->line;
    } else if (!strcmp(tty, "console")) {
        if (!missing && !s->console_line)
            s->console_line = e->line;
    } else {
        md_strv_intern(&s->other_ttys, &s->other_idx, tty, NULL);
    }
    md_strv_free(&argv);
}

/* A commented-out entry that would put a getty on hvc0. */
static bool commented_hvc(const char *line)
{
    const char *p = line;
    while (*p == '#' || isspace((unsigned char)*p))
        p++;
    return p != line && strstr(p, "hvc0") && strstr(p, ":respawn:");
}

/* Is entry `e` one sysvinit reads (read_inittab(), src/init.c)?  Else a
 * warning says why it ignores it.  `ids` and `seen`: the ids so far. */
static bool sysv_reads(md_lint *l, const char *file, itline *e, md_hindex *ids,
                       const itline *seen)
{
    const char *why = !*e->id ? "its id field is empty"
                    : strlen(e->id) > 4 ? "its id field is longer than 4 characters (the utmp "
                                          "id it becomes: 'id field too long')"
                    : !sysv_action(e->action)
                        ? !strcmp(e->action, "askfirst")
                              ? "its action askfirst is busybox init's, which sysvinit does not "
                                "know ('unknown action field')"
                              : "sysvinit does not know its action ('unknown action field')"
                        : NULL;
    uint64_t h = md_hindex_hash(e->id, strlen(e->id));
    for (size_t it = 0, k; !why && strcmp(e->id, "~~") &&
                           (k = md_hindex_next(ids, h, &it)) != SIZE_MAX;)
        if (!strcmp(seen[k].id, e->id))
            why = "an entry before it has the same id ('duplicate ID field')";
    if (why) {
        md_lint_add(l, file, e->line, MD_LINT_WARNING, 0,
                    "sysvinit ignores this entry: %s (read_inittab() in sysvinit's src/init.c; "
                    "this inittab is sysvinit's, as it has an initdefault entry)", why);
        return false;
    }
    for (char *c = e->action; *c; c++)
        *c = (char)tolower((unsigned char)*c);
    /* "~~" may repeat (sysvinit exempts it): indexed, every one would sit
     * under one hash and each lookup walk them all (trial 9x F2: a 1 MB
     * inittab of them took 3.7 s, 4 MB a minute). */
    if (strcmp(e->id, "~~"))
        md_hindex_add(ids, h, (size_t)(e - seen));
    return true;
}

/* sysvinit's default runlevel (get_init_default(), src/init.c): the
 * highest character of the first initdefault entry's field, 's' as 'S';
 * 0 when there is none or it is not a runlevel (init then asks). */
static char default_level(const itline *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (strcasecmp(v[i].action, "initdefault"))
            continue;
        int lvl = 0;
        for (const char *c = v[i].levels; *c; c++)
            lvl = (unsigned char)*c > lvl ? (unsigned char)*c : lvl;
        lvl = toupper(lvl);
        return lvl && strchr("0123456789S", lvl) ? (char)lvl : 0;
    }
    return 0;
}

void md_lint_inittab(md_lint *l, const char *file, const char *text, size_t len,
                     const md_tree *rootfs)
{
    itstate s = { .l = l, .file = file, .rootfs = rootfs };
    if (len > MD_BOOTCFG_MAX_TEXT) { /* as a boot config: see there */
        md_lint_add(l, file, 0, MD_LINT_ERROR, 0, "%zu bytes, more than the %zu MiB read of an "
                    "inittab (real ones are kilobytes): not checked", len,
                    MD_BOOTCFG_MAX_TEXT >> 20);
        return;
    }
    char *copy = md_xstrndup(text, len);
    itline *v = NULL;
    size_t n = 0, cap = 0;
    bool sysv = false;
    unsigned lineno = 0;
    for (char *p = copy, *next; p && p < copy + len; p = next) {
        lineno++;
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        char *t = trim(p);
        if (*t == '#') {
            if (!s.commented_hvc && commented_hvc(t))
                s.commented_hvc = lineno;
            continue;
        }
        if (!*t)
            continue;
        itline e = { .line = lineno };
        if (!split_line(t, &e)) {
            md_lint_add(l, file, lineno, MD_LINT_WARNING, 0,
                        "not an inittab entry (id:runlevels:action:process): init ignores "
                        "this line");
            continue;
        }
        e.action = trim(e.action);
        sysv |= !strcasecmp(e.action, "initdefault");
        v = md_xgrow(v, &cap, n + 1, sizeof *v);
        v[n++] = e;
    }
    s.deflevel = sysv ? default_level(v, n) : 0;
    md_hindex ids = { 0 };
    for (size_t i = 0; i < n; i++) {
        itline *e = &v[i];
        if (sysv ? !sysv_reads(l, file, e, &ids, v) : !known_action(e->action)) {
            if (!sysv)
                md_lint_add(l, file, e->line, MD_LINT_WARNING, 0,
                            "unknown inittab action '%s': init ignores this entry", e->action);
            continue;
        }
        for (char *c = e->levels; *c; c++)
            *c = *c == 's' ? 'S' : *c;
        if (*e->levels)
            s.sysv = true;
        check_entry(&s, e);
    }
    md_hindex_free(&ids);
    free(v);
    free(copy);

    if (!s.hvc_line && !s.hvc_broken && s.off_line) {
        md_lint_add(l, file, s.off_line, MD_LINT_ERROR, 1,
                    "the getty on hvc0 runs only in runlevels '%s', and the default runlevel "
                    "is %c (initdefault): sysvinit starts an entry only in the runlevels of its "
                    "second field (start_if_needed() in src/init.c), so nothing prompts on the "
                    "dom0 console and the box looks frozen; give it runlevels 2345 (or an empty "
                    "field)", s.off_levels, s.deflevel);
        md_lint_fix(l, "'hv0:2345:respawn:/sbin/getty 38400 hvc0'");
        itstate_free(&s);
        return;
    }
    if (s.hvc_line || s.hvc_broken) {
        itstate_free(&s);
        return;
    }
    char *fix = md_xstrdup(s.sysv ? "'hv0:2345:respawn:/sbin/getty 38400 hvc0'"
                                  : "'hvc0::respawn:/sbin/getty -L 115200 hvc0 vt100'");
    char *uncomment = s.commented_hvc
                          ? md_xasprintf(" (line %u has one commented out)", s.commented_hvc)
                          : md_xstrdup("");
    if (s.once_line) {
        md_lint_add(l, file, s.once_line, MD_LINT_ERROR, 1,
                    "the getty on hvc0 (line %u) runs '%s', not respawn: init starts it once "
                    "and never again, so after the first logout (or if it exits) hvc0 has no "
                    "prompt and the box looks frozen; make it respawn: %s", s.once_line,
                    s.once_action, fix);
        md_lint_fix(l, "%s", fix);
    } else if (s.console_line) {
        md_lint_add(l, file, s.console_line, MD_LINT_WARNING, 1,
                    "the only login runs on /dev/console, which is hvc0 only when "
                    "console=hvc0 is the last console= on the dom0 kernel line; add an "
                    "explicit getty on hvc0: %s%s", fix, uncomment);
    } else if (s.other_ttys.n) {
        char *list = md_strv_join(&s.other_ttys, ", ");
        md_lint_add(l, file, s.first_getty_line, MD_LINT_ERROR, 1,
                    "getty only on %s, none on hvc0: under a Xen PV dom0 the console is "
                    "hvc0 (the serial port belongs to Xen), so on the console the box looks "
                    "frozen while it is actually up; add %s%s", list, fix, uncomment);
        free(list);
    } else {
        md_lint_add(l, file, 0, MD_LINT_ERROR, 1,
                    "no getty or login respawns on hvc0 (none at all): nothing ever prompts "
                    "on the dom0 console and the box looks frozen; add %s%s", fix, uncomment);
    }
    free(fix);
    free(uncomment);
    itstate_free(&s);
}

bool md_lint_looks_inittab(const char *text, size_t len)
{
    size_t good = 0, bad = 0;
    const char *end = text + len;
    for (const char *p = text; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e = nl ? nl : end;
        while (p < e && isspace((unsigned char)*p))
            p++;
        if (p < e && *p != '#') {
            char *line = md_xasprintf("%.*s", (int)(e - p), p);
            itline it;
            if (split_line(line, &it) && known_action(trim(it.action)))
                good++;
            else
                bad++;
            free(line);
        }
        p = nl ? nl + 1 : end;
    }
    return good > 0 && good >= bad;
}

/* ---- the services init starts: their programs must be in the rootfs ---- */

/* A program at an absolute path that a service script runs, and where. */
typedef struct svrun {
    char *prog;
    unsigned line;
} svrun;

typedef struct svscan {
    const char *p, *end;
    unsigned line;
    svrun *runs;
    size_t nruns;
    md_strv guarded; /* paths the script tests first ([ -x P ] && P, command -v P) */
    svrun *bare;     /* commands by bare name, found through OpenRC's PATH */
    size_t nbare;
    md_strv funcs;   /* the functions the script defines */
    bool has_start, supervisor_set;
    unsigned command_line; /* of a non-empty command= (0: none) */
    int case_pat;    /* in a case's patterns (until their ')') */
    char *heredoc;   /* the delimiter of a here-document to skip at the next line */
    bool heredoc_tabs;
    const char *sub_at; /* after the last word's first unquoted "$(" (NULL: none) */
    unsigned sub_line;
} svscan;

static void sv_run(svscan *s, const char *word, unsigned line)
{
    /* ${NAME:-/path} (also -, :=, =): the default is what runs unless a
     * conf.d file sets NAME */
    const char *w = word;
    size_t n = strlen(w);
    char *dflt = NULL;
    if (!strncmp(w, "${", 2) && n > 3 && w[n - 1] == '}') {
        size_t k = 2 + strspn(w + 2, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
        if (w[k] == ':')
            k++;
        if (w[k] == '-' || w[k] == '=')
            w = dflt = md_xstrndup(w + k + 1, n - k - 2);
    }
    /* only a fixed path: a variable's value or a glob is not known here */
    if (w[0] == '/' && !strpbrk(w, "$`*?[")) {
        s->runs = md_xrealloc(s->runs, (s->nruns + 1) * sizeof *s->runs);
        s->runs[s->nruns++] = (svrun){ md_xstrdup(w), line };
    }
    free(dflt);
}

/* A command by bare name: kept for md_lint_services to look up in
 * OpenRC's PATH, unless the shell itself runs it.  Not a word made of a
 * variable, a glob or a relative path, which is not known here. */
static void sv_bare(svscan *s, const char *w, unsigned line)
{
    /* POSIX sh's and busybox ash's builtins and reserved words */
    static const char *const builtin[] = {
        ".", ":", "[", "[[", "]]", "alias", "bg", "break", "case", "cd", "continue", "echo",
        "esac", "eval", "exit", "export", "false", "fc", "fg", "for", "fi", "function", "getopts",
        "hash", "in", "jobs", "kill", "let", "local", "printf", "pwd", "read", "readonly",
        "return", "set", "shift", "source", "test", "times", "trap", "true", "type", "ulimit",
        "umask", "unalias", "unset", "wait", "done", "command", NULL };
    if (!*w || w[0] == '-' || strpbrk(w, "/$`*?[=\\'\"~{}"))
        return;
    for (int i = 0; builtin[i]; i++)
        if (!strcmp(w, builtin[i]))
            return;
    s->bare = md_xrealloc(s->bare, (s->nbare + 1) * sizeof *s->bare);
    s->bare[s->nbare++] = (svrun){ md_xstrdup(w), line };
}

/* Past the bracket that closes the one just before `q` (`open` nested in
 * it counted), newlines counted: the end of a ${...} or $((...)). */
static const char *sv_span_end(svscan *s, const char *q, char open, char close)
{
    for (int depth = 1; q < s->end && depth; q++) {
        depth += *q == open ? 1 : *q == close ? -1 : 0;
        s->line += *q == '\n';
    }
    return q;
}

static bool sv_op(char c) { return strchr(";&|()`<>\n", c) != NULL; }

/* One shell word from s->p, quotes removed, ${...} and $(...) kept as
 * written; newlines inside quotes are counted.  Stops at an unquoted
 * blank or operator. */
static char *sv_word(svscan *s)
{
    char *w = NULL;
    size_t len = 0, cap = 0;
    s->sub_at = NULL;
    while (s->p < s->end) {
        char c = *s->p;
        bool sub = c == '(' && len && w[len - 1] == '$';
        if (c == ' ' || c == '\t' || (sv_op(c) && !sub))
            break;
        if (sub && !s->sub_at) {
            s->sub_at = s->p + 1;
            s->sub_line = s->line;
        }
        if (c == '\\' && s->p + 1 < s->end) {
            if (s->p[1] == '\n') {
                s->line++;
                s->p += 2;
                break;
            }
            w = md_xgrow(w, &cap, len + 2, 1);
            w[len++] = s->p[1];
            s->p += 2;
            continue;
        }
        if (c == '\'' || c == '"') {
            const char *q = s->p + 1;
            while (q < s->end && *q != c) {
                if (c == '"' && *q == '\\' && q + 1 < s->end)
                    q++;
                if (*q == '\n')
                    s->line++;
                q++;
            }
            size_t k = (size_t)(q - s->p - 1);
            w = md_xgrow(w, &cap, len + k + 1, 1);
            memcpy(w + len, s->p + 1, k);
            len += k;
            s->p = q < s->end ? q + 1 : q;
            continue;
        }
        /* $(( arithmetic )) and ${...}: part of the word, no command in them */
        const char *q = NULL;
        if (c == '$' && s->end - s->p > 2 && s->p[1] == '(' && s->p[2] == '(')
            q = sv_span_end(s, s->p + 2, '(', ')');
        else if (c == '$' && s->p + 1 < s->end && s->p[1] == '{')
            q = sv_span_end(s, s->p + 2, '{', '}');
        if (q) {
            size_t k = (size_t)(q - s->p);
            w = md_xgrow(w, &cap, len + k + 1, 1);
            memcpy(w + len, s->p, k);
            len += k;
            s->p = q;
            continue;
        }
        w = md_xgrow(w, &cap, len + 2, 1);
        w[len++] = c;
        s->p++;
    }
    w = md_xgrow(w, &cap, len + 1, 1);
    w[len] = '\0';
    return w;
}

/* Skip the body of a pending here-document: the lines up to its delimiter. */
static void sv_skip_heredoc(svscan *s)
{
    while (s->p < s->end) {
        const char *nl = memchr(s->p, '\n', (size_t)(s->end - s->p));
        const char *e = nl ? nl : s->end, *b = s->p;
        while (s->heredoc_tabs && b < e && *b == '\t')
            b++;
        bool last = (size_t)(e - b) == strlen(s->heredoc) && !memcmp(b, s->heredoc, (size_t)(e - b));
        s->p = nl ? nl + 1 : s->end;
        s->line++;
        if (last)
            break;
    }
    free(s->heredoc);
    s->heredoc = NULL;
}

static bool sv_assignment(const char *w, const char **value)
{
    size_t k = strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
    if (!k || w[k] != '=' || isdigit((unsigned char)w[0]))
        return false;
    *value = w + k + 1;
    return true;
}

/* The programs at absolute paths a shell script runs: its interpreter (#!),
 * OpenRC's command=, the first word of each command (also in $(...) and
 * after if, then, do, !, exec ...), and start-stop-daemon's --exec (-x,
 * --startas, -a).  A path the script tests first ([ -x P ], test -e P)
 * is optional to it and not counted.  A sketch of sh's grammar, not a
 * parser: what it cannot tell (a variable's value) it leaves out. */
static void sv_scan(svscan *s)
{
    static const char *const keep_cmd[] = { "if", "then", "else", "elif", "do", "while", "until",
                                            "!", "{", "}", "time", "exec", "nohup", "command",
                                            "setsid", NULL };
    if (s->end - s->p > 2 && !memcmp(s->p, "#!", 2)) {
        const char *b = s->p + 2;
        while (b < s->end && (*b == ' ' || *b == '\t'))
            b++;
        size_t k = strcspn(b, " \t\n");
        char *interp = md_xstrndup(b, k);
        sv_run(s, interp, 1);
        free(interp);
    }
    bool at_cmd = true, redir = false, heredoc_next = false, dashdash = false, exec_next = false;
    bool test_cmd = false, guard_next = false, ssd = false, guard_bare = false, after_command = false;
    size_t nargs = 0;
    while (s->p < s->end) {
        char c = *s->p;
        if (c == ' ' || c == '\t') {
            s->p++;
            continue;
        }
        if (c == '#') {
            while (s->p < s->end && *s->p != '\n')
                s->p++;
            continue;
        }
        if (sv_op(c)) {
            s->p++;
            if (c == ')' && s->case_pat) {
                s->case_pat--; /* the command after the pattern */
            } else if (c == ';' && s->p < s->end && *s->p == ';') {
                s->p++;
                s->case_pat++; /* ;; : the next pattern */
            }
            if (c == '<' || c == '>') {
                bool here = c == '<' && s->p < s->end && *s->p == '<';
                if (here)
                    s->heredoc_tabs = false;
                while (s->p < s->end && strchr("<>&|-", *s->p)) {
                    if (*s->p == '-' && here)
                        s->heredoc_tabs = true;
                    s->p++;
                }
                redir = true;
                heredoc_next = here;
                continue;
            }
            if (c == '\n') {
                s->line++;
                if (s->heredoc)
                    sv_skip_heredoc(s);
            }
            at_cmd = true;
            test_cmd = ssd = dashdash = exec_next = guard_next = guard_bare = after_command = false;
            nargs = 0;
            continue;
        }
        unsigned line = s->line;
        char *w = sv_word(s);
        if (!*w) { /* a line continuation */
            free(w);
            continue;
        }
        /* an unquoted command substitution in the word (x=$(/bin/y): the
         * word ends before it, and its command is scanned next */
        char *sub = strstr(w, "$(");
        bool nested = sub && s->sub_at && sub[2] != '(' && !strchr(sub, ')');
        if (nested) {
            s->p = s->sub_at;
            s->line = s->sub_line;
            *sub = '\0';
        }
        if (redir) {
            redir = false;
            if (heredoc_next) {
                free(s->heredoc);
                s->heredoc = md_xstrdup(w);
                heredoc_next = false;
            }
        } else if (s->p < s->end && (*s->p == '<' || *s->p == '>') &&
                   strspn(w, "0123456789") == strlen(w)) {
            /* an fd number of a redirection (2>/dev/null) */
        } else if (at_cmd) {
            const char *value;
            bool kw = false;
            for (int i = 0; keep_cmd[i]; i++)
                kw |= !strcmp(w, keep_cmd[i]);
            /* NAME() { ...: a function, not a command */
            const char *q = s->p;
            while (q < s->end && (*q == ' ' || *q == '\t'))
                q++;
            bool fdef = q + 1 < s->end && q[0] == '(' && q[1] == ')';
            bool was_command = after_command;
            after_command = kw && !strcmp(w, "command");
            if (!strcmp(w, "esac")) {
                if (s->case_pat)
                    s->case_pat--; /* the end of a case after ";;" */
            } else if (s->case_pat) {
                /* a pattern: up to its ')' nothing runs */
            } else if (fdef) {
                md_strv_push(&s->funcs, w);
                s->has_start |= !strcmp(w, "start");
            } else if (sv_assignment(w, &value)) {
                if (!strncmp(w, "command=", 8)) {
                    sv_run(s, value, line);
                    if (*value && !s->command_line)
                        s->command_line = line;
                }
                /* openrc-run.sh's default_start: supervise-daemon for
                 * supervisor=supervise-daemon, else start-stop-daemon */
                if (!strncmp(w, "supervisor=", 11)) {
                    s->supervisor_set = true;
                    if (!strcmp(value, "supervise-daemon"))
                        sv_bare(s, value, line);
                }
            } else if (!kw) {
                if (!strcmp(w, "case"))
                    s->case_pat++; /* its patterns start after "WORD in" */
                sv_run(s, w, line);
                if (w[0] != '/')
                    sv_bare(s, w, line);
                guard_bare = !strcmp(w, "which") || !strcmp(w, "type") || !strcmp(w, "hash") ||
                             (was_command && (!strcmp(w, "-v") || !strcmp(w, "-V")));
                const char *b = basename(w);
                test_cmd = !strcmp(b, "[") || !strcmp(b, "test");
                ssd = !strcmp(b, "start-stop-daemon");
                at_cmd = false;
                nargs = 0;
            }
        } else {
            nargs++;
            if (guard_bare && w[0] != '-') {
                md_strv_push(&s->guarded, w); /* type NAME, command -v NAME */
            } else if (nargs == 1 && !strcmp(basename(w), "start-stop-daemon"))
                ssd = true; /* busybox start-stop-daemon */
            else if (guard_next) {
                md_strv_push(&s->guarded, w);
                guard_next = false;
            } else if (test_cmd && (!strcmp(w, "-x") || !strcmp(w, "-e") || !strcmp(w, "-f"))) {
                guard_next = true;
            } else if (ssd && !dashdash) {
                if (exec_next) {
                    sv_run(s, w, line);
                    exec_next = false;
                } else if (!strcmp(w, "--")) {
                    dashdash = true;
                } else if (!strcmp(w, "-x") || !strcmp(w, "--exec") || !strcmp(w, "-a") ||
                           !strcmp(w, "--startas")) {
                    exec_next = true;
                } else if (!strncmp(w, "--exec=", 7) || !strncmp(w, "--startas=", 10)) {
                    sv_run(s, strchr(w, '=') + 1, line);
                }
            }
        }
        free(w);
        if (nested) {
            at_cmd = true;
            test_cmd = ssd = dashdash = exec_next = guard_next = false;
            nargs = 0;
        }
    }
    free(s->heredoc);
    s->heredoc = NULL;
}

/* What sv_scan found, freed (not the text it read). */
static void sv_free(svscan *s)
{
    for (size_t k = 0; k < s->nruns; k++)
        free(s->runs[k].prog);
    free(s->runs);
    for (size_t k = 0; k < s->nbare; k++)
        free(s->bare[k].prog);
    free(s->bare);
    md_strv_free(&s->guarded);
    md_strv_free(&s->funcs);
}

/* What init's inittab runs as the system comes up: the scripts it starts
 * itself ("/etc/init.d/NAME start") into `names`, the runlevels it enters
 * ("openrc LEVEL") into `levels`. */
static void inittab_services(const char *text, size_t len, md_strv *names, md_strv *levels)
{
    char *copy = md_xstrndup(text, len);
    for (char *p = copy, *next; p && *p; p = next) {
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        char *t = trim(p);
        itline e;
        if (*t == '#' || !split_line(t, &e) || !startup_action(trim(e.action)))
            continue;
        md_strv argv = { 0 };
        md_strv_split(&argv, e.process, false);
        if (argv.n) {
            size_t pi = unwrap(&argv);
            const char *prog = argv.v[pi];
            if (!strncmp(prog, "/etc/init.d/", 12) && prog[12] && !strchr(prog + 12, '/') &&
                !md_strv_contains(names, prog + 12))
                md_strv_push(names, prog + 12);
            /* `openrc` alone enters the default runlevel (openrc(8)) */
            const char *level = pi + 1 < argv.n ? argv.v[pi + 1] : "default";
            if (!strcmp(basename(prog), "openrc") && !md_strv_contains(levels, level))
                md_strv_push(levels, level);
        }
        md_strv_free(&argv);
    }
    free(copy);
}

/* Where openrc-run looks for a command by bare name, and the functions its
 * shell library defines (which a script calls as commands: ebegin, yesno,
 * ...).  OpenRC's RC_PATH_PREFIX (src/librc/rc.h.in: RC_LIBEXECDIR/bin,
 * /bin, /sbin, /usr/bin, /usr/sbin) with RC_LIBEXECDIR/sbin in front
 * (sh/rc-functions.sh), then init's own PATH (busybox init: /sbin,
 * /usr/sbin, /bin, /usr/bin; /usr/local's for sysvinit's).  RC_LIBEXECDIR
 * is the directory of the image's sh/openrc-run.sh: /lib/rc (Alpine,
 * Debian), /usr/libexec/rc (OpenRC's meson default). */
typedef struct rcenv {
    md_strv path, funcs;
    bool library; /* the image has sh/openrc-run.sh */
} rcenv;

static void rc_funcs(rcenv *e, const char *text, size_t len)
{
    for (const char *p = text, *end = text + len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *e2 = nl ? nl : end, *b = p;
        while (b < e2 && (*b == ' ' || *b == '\t'))
            b++;
        size_t k = 0;
        while (b + k < e2 && (isalnum((unsigned char)b[k]) || b[k] == '_' || b[k] == '-'))
            k++;
        const char *q = b + k;
        while (q < e2 && (*q == ' ' || *q == '\t'))
            q++;
        if (k && e2 - q >= 2 && q[0] == '(' && q[1] == ')') {
            char *f = md_xstrndup(b, k);
            if (!md_strv_contains(&e->funcs, f))
                md_strv_push(&e->funcs, f);
            free(f);
        }
        p = nl ? nl + 1 : end;
    }
}

static void rc_env(rcenv *e, const md_tree *t)
{
    static const char *const libexecs[] = { "/lib/rc", "/usr/libexec/rc", "/usr/lib/rc",
                                            "/libexec/rc", NULL };
    const char *libexec = "/lib/rc";
    for (int i = 0; libexecs[i]; i++) {
        char *p = md_xasprintf("%s/sh/openrc-run.sh", libexecs[i]);
        bool found = md_tree_resolve_file(t, p) != NULL;
        free(p);
        if (found) {
            libexec = libexecs[i];
            e->library = true;
            break;
        }
    }
    md_strv_pushf(&e->path, "%s/sbin", libexec);
    md_strv_pushf(&e->path, "%s/bin", libexec);
    static const char *const dirs[] = { "/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin",
                                        "/usr/local/sbin", NULL };
    for (int i = 0; dirs[i]; i++)
        md_strv_push(&e->path, dirs[i]);
    /* the library's functions: every sh/NAME.sh, as openrc-run.sh sources them */
    char *shdir = md_xasprintf("%s/sh", libexec);
    const md_node *d = md_tree_resolve(t, shdir);
    free(shdir);
    if (!d || md_node_type_of(d) != MD_NODE_DIR)
        return;
    char *pre = md_xasprintf("%s/", md_node_path(d));
    size_t pl = strlen(pre);
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        const char *p = md_node_path(n);
        size_t l = strlen(p);
        if (strncmp(p, pre, pl) || strchr(p + pl, '/') || l < 4 || strcmp(p + l - 3, ".sh"))
            continue;
        size_t len;
        char *text = md_tree_text(t, p, &len);
        if (text)
            rc_funcs(e, text, len);
        free(text);
    }
    free(pre);
}

/* Is `name` guarded by the script (command -v NAME, [ -x /path/NAME ])? */
static bool bare_guarded(const md_strv *guarded, const char *name)
{
    for (size_t i = 0; i < guarded->n; i++)
        if (!strcmp(basename(guarded->v[i]), name))
            return true;
    return false;
}

void md_lint_services(md_lint *l, const char *label, const md_tree *t)
{
    rcenv env = { 0 };
    bool env_read = false;
    md_strv names = { 0 };
    /* OpenRC, once init runs it, always runs sysinit and boot (rc.c), and
     * init's default runlevel is "default" unless the inittab enters
     * others; those it never enters (Debian's openrc has nonetwork,
     * single) start nothing.  An inittab that never runs openrc (busybox
     * init starting the daemons itself, as the bench's minimal image)
     * enters no runlevel at all. */
    md_strv levels = { 0 };
    size_t len;
    char *it = md_tree_text(t, "/etc/inittab", &len);
    if (it)
        inittab_services(it, len, &names, &levels);
    else
        md_strv_push(&levels, "default");
    free(it);
    if (levels.n) {
        md_strv_push(&levels, "sysinit");
        md_strv_push(&levels, "boot");
    }
    /* the runlevels' services: OpenRC takes each entry's name and starts
     * /etc/init.d/NAME */
    for (md_node *n = md_tree_first(t); n; n = md_tree_next(t, n)) {
        const char *p = md_node_path(n);
        if (strncmp(p, "/etc/runlevels/", 15) || !strchr(p + 15, '/') ||
            strchr(strchr(p + 15, '/') + 1, '/') || md_node_type_of(n) == MD_NODE_DIR)
            continue;
        const char *name = basename(p);
        if (name[0] == '.')
            continue; /* Alpine's .keep; OpenRC skips dot files */
        char *level = md_xstrndup(p + 15, (size_t)(strchr(p + 15, '/') - (p + 15)));
        bool entered = md_strv_contains(&levels, level);
        char *script = md_xasprintf("/etc/init.d/%s", name);
        if (!entered) {
            /* not started */
        } else if (!md_tree_resolve_file(t, script)) {
            md_lint_add_at(l, label, p, 0, MD_LINT_ERROR, 0,
                           "runlevel %s starts service %s, but %s is not in the rootfs: OpenRC "
                           "starts nothing for it (\"service '%s' does not exist\"); install "
                           "the package that ships the script or remove the link",
                           level, name, script, name);
        } else if (!md_strv_contains(&names, name)) {
            md_strv_push(&names, name);
        }
        free(script);
        free(level);
    }
    md_strv_free(&levels);
    for (size_t i = 0; i < names.n; i++) {
        char *script = md_xasprintf("/etc/init.d/%s", names.v[i]);
        char *text = md_tree_text(t, script, &len);
        if (!text || memchr(text, 0, len)) {
            free(text);
            free(script);
            continue; /* missing: named above (runlevel) or by the inittab's check */
        }
        svscan s = { .p = text, .end = text + len, .line = 1 };
        sv_scan(&s);
        md_strv seen = { 0 };
        for (size_t k = 0; k < s.nruns; k++) {
            const char *prog = s.runs[k].prog;
            if (md_tree_resolve_file(t, prog) || md_strv_contains(&s.guarded, prog) ||
                md_strv_contains(&seen, prog)) {
                continue;
            }
            md_strv_push(&seen, prog);
            const char *what = md_lint_non_file(t, prog);
            md_lint_add_at(l, label, script, s.runs[k].line, MD_LINT_ERROR, 0,
                           "service %s runs %s, which %s%s: that step of the service fails "
                           "at every boot%s; install the package that ships it or change the "
                           "script", names.v[i], prog, what ? "is " : "the rootfs does not have",
                           what ? what : "",
                           !strncmp(names.v[i], "xen", 3)
                               ? " (a Xen daemon's: no store, or no Domain-0 in it, and xl "
                                 "starts no guest)" : "");
        }
        /* openrc-run.sh's default start(): start-stop-daemon (ssd_start)
         * for a command= unless supervisor= names another */
        if (s.command_line && !s.has_start && !s.supervisor_set)
            sv_bare(&s, "start-stop-daemon", s.command_line);
        if (s.nbare && !env_read) {
            rc_env(&env, t);
            env_read = true;
        }
        /* Without OpenRC's library no openrc-run script runs at all (its
         * interpreter is named above), and what its functions are is not
         * known: bare names are not looked up. */
        for (size_t k = 0; env.library && k < s.nbare; k++) {
            const char *name = s.bare[k].prog;
            if (md_strv_contains(&s.funcs, name) || md_strv_contains(&env.funcs, name) ||
                bare_guarded(&s.guarded, name) || md_strv_contains(&seen, name))
                continue;
            bool found = false;
            for (size_t d = 0; !found && d < env.path.n; d++) {
                char *p = md_xasprintf("%s/%s", env.path.v[d], name);
                found = md_tree_resolve_file(t, p) != NULL;
                free(p);
            }
            if (found)
                continue;
            md_strv_push(&seen, name);
            char *dirs = md_strv_join(&env.path, ":");
            md_lint_add_at(l, label, script, s.bare[k].line, MD_LINT_ERROR, 0,
                           "service %s runs %s, which is in none of the directories where "
                           "OpenRC looks (%s): that step of the service fails at every boot%s; "
                           "install the package that ships it or change the script",
                           names.v[i], name, dirs,
                           !strncmp(names.v[i], "xen", 3)
                               ? " (a Xen daemon's: no store, or no Domain-0 in it, and xl "
                                 "starts no guest)" : "");
            free(dirs);
        }
        sv_free(&s);
        md_strv_free(&seen);
        free(text);
        free(script);
    }
    md_strv_free(&names);
    md_strv_free(&env.path);
    md_strv_free(&env.funcs);
}

/* ---- what init runs as the system comes up, in order ---- */

typedef struct bwalk {
    const md_tree *t;
    md_lint_step *v;
    size_t n, cap;
    unsigned seq;    /* the next step of a sequence */
    md_strv levels;  /* OpenRC runlevels already run */
    md_strv visited; /* scripts walked (a loop of scripts runs once here) */
} bwalk;

static void push_step(bwalk *w, md_lint_step_kind kind, const char *file, unsigned line,
                      unsigned stage, bool ordered, const char *text)
{
    w->v = md_xgrow(w->v, &w->cap, w->n + 1, sizeof *w->v);
    /* one counter orders the sequence; an unordered group (one OpenRC
     * runlevel) shares the number it took when it began */
    w->v[w->n++] = (md_lint_step){ kind, md_xstrdup(file), line, ordered ? w->seq++ : stage,
                                   md_xstrdup(text) };
}

static bool text_script(const md_tree *t, const char *path)
{
    size_t len;
    char *s = md_tree_text(t, path, &len);
    bool ok = s && len && !memchr(s, 0, len < 4096 ? len : 4096);
    free(s);
    return ok;
}

static void walk_script(bwalk *w, const char *path, unsigned stage, bool ordered, int depth);

/* /etc/rcX.d/S* in name order: what Debian's /etc/init.d/rc X and
 * busybox's example rcS (for i in /etc/init.d/S??*) run. */
static void walk_glob(bwalk *w, const char *dir, const char *prefix, unsigned stage, bool ordered,
                      int depth)
{
    md_strv names = { 0 };
    size_t dl = strlen(dir);
    for (md_node *n = md_tree_first(w->t); n; n = md_tree_next(w->t, n)) {
        const char *p = md_node_path(n);
        if (!strncmp(p, dir, dl) && p[dl] == '/' && !strchr(p + dl + 1, '/') &&
            !strncmp(p + dl + 1, prefix, strlen(prefix)))
            md_strv_push(&names, p);
    }
    md_strv_sort(&names);
    for (size_t i = 0; i < names.n; i++)
        walk_script(w, names.v[i], stage, ordered, depth + 1);
    md_strv_free(&names);
}

static void walk_level(bwalk *w, const char *level, unsigned stage)
{
    (void)stage;
    if (md_strv_contains(&w->levels, level))
        return;
    md_strv_push(&w->levels, level);
    unsigned group = w->seq++;
    char *dir = md_xasprintf("/etc/runlevels/%s", level);
    size_t dl = strlen(dir);
    for (md_node *n = md_tree_first(w->t); n; n = md_tree_next(w->t, n)) {
        const char *p = md_node_path(n);
        if (strncmp(p, dir, dl) || p[dl] != '/' || strchr(p + dl + 1, '/') || p[dl + 1] == '.')
            continue;
        /* OpenRC orders a runlevel's services by their dependencies, not
         * by name: one runlevel is one unordered stage */
        char *script = md_xasprintf("/etc/init.d/%s", p + dl + 1);
        push_step(w, MD_LINT_STEP_RUN, p, 0, group, false, script);
        walk_script(w, script, group, false, 1);
        free(script);
    }
    free(dir);
}

/* One command init or a script runs, given as its argv: the step, then
 * what it leads to (an OpenRC runlevel, Debian's rc, a script). */
static void walk_command(bwalk *w, const md_strv *argv, const char *file, unsigned line,
                         unsigned stage, bool ordered, int depth)
{
    if (!argv->n)
        return;
    size_t pi = unwrap(argv);
    const char *prog = argv->v[pi], *b = basename(prog);
    push_step(w, MD_LINT_STEP_RUN, file, line, stage, ordered, prog);
    if (!strcmp(b, "openrc")) {
        /* openrc LEVEL runs sysinit and boot first when they have not run
         * (OpenRC's rc.c); `openrc` alone enters default (openrc(8)) */
        const char *level = pi + 1 < argv->n ? argv->v[pi + 1] : "default";
        walk_level(w, "sysinit", stage);
        if (strcmp(level, "sysinit"))
            walk_level(w, "boot", stage);
        if (strcmp(level, "sysinit") && strcmp(level, "boot"))
            walk_level(w, level, stage);
        return;
    }
    if (!strcmp(prog, "/etc/init.d/rc") && pi + 1 < argv->n) {
        char *dir = md_xasprintf("/etc/rc%s.d", argv->v[pi + 1]);
        walk_glob(w, dir, "S", stage, ordered, depth);
        free(dir);
        return;
    }
    if (prog[0] == '/' && text_script(w->t, prog))
        walk_script(w, prog, stage, ordered, depth + 1);
}

static void walk_script(bwalk *w, const char *path, unsigned stage, bool ordered, int depth)
{
    if (depth > 8 || md_strv_contains(&w->visited, path))
        return;
    size_t len;
    char *text = md_tree_text(w->t, path, &len);
    if (!text || !len || memchr(text, 0, len < 4096 ? len : 4096)) {
        free(text);
        return;
    }
    md_strv_push(&w->visited, path);
    svscan s = { .p = text, .end = text + len, .line = 1 };
    sv_scan(&s);
    /* line by line: the text of each (for what it does by words: a mount,
     * an mdev -s), and at each line the programs sv_scan found it runs */
    size_t k = 0;
    unsigned line = 1;
    for (const char *p = text; p < text + len; line++) {
        const char *nl = memchr(p, '\n', (size_t)(text + len - p));
        size_t ll = nl ? (size_t)(nl - p) : (size_t)(text + len - p);
        char *lt = md_xstrndup(p, ll);
        push_step(w, MD_LINT_STEP_TEXT, path, line, stage, ordered, lt);
        for (; k < s.nruns && s.runs[k].line <= line; k++) {
            md_strv argv = { 0 };
            md_strv_push(&argv, s.runs[k].prog);
            /* "/etc/init.d/rc S" (Debian's rcS): the argument matters */
            const char *at = strstr(lt, s.runs[k].prog);
            if (at && !strcmp(s.runs[k].prog, "/etc/init.d/rc")) {
                md_strv rest = { 0 };
                md_strv_split(&rest, at, false);
                if (rest.n > 1)
                    md_strv_push(&argv, rest.v[1]);
                md_strv_free(&rest);
            }
            walk_command(w, &argv, path, s.runs[k].line, stage, ordered, depth);
            md_strv_free(&argv);
        }
        /* a file the script sources (". /lib/init/vars.sh") runs in it */
        const char *b = lt + strspn(lt, " \t");
        if ((b[0] == '.' && (b[1] == ' ' || b[1] == '\t')) || !strncmp(b, "source ", 7)) {
            md_strv sw = { 0 };
            md_strv_split(&sw, b, false);
            if (sw.n > 1 && sw.v[1][0] == '/')
                walk_script(w, sw.v[1], stage, ordered, depth + 1);
            md_strv_free(&sw);
        }
        /* busybox's example rcS: for i in /etc/init.d/S??* ; do $i start */
        if (strstr(lt, "/etc/init.d/S??*") || strstr(lt, "/etc/init.d/S[0-9]"))
            walk_glob(w, "/etc/init.d", "S", stage, ordered, depth);
        free(lt);
        p = nl ? nl + 1 : text + len;
    }
    sv_free(&s);
    free(text);
}

/* init's startup actions in the order it runs them: busybox runs every
 * sysinit entry (each waited for) before wait and once (init/init.c
 * run_actions), sysvinit sysinit before boot/bootwait before the
 * runlevel's entries (src/init.c); in file order within each. */
static int action_class(const char *a)
{
    return !strcmp(a, "sysinit") ? 0 : !strcmp(a, "boot") || !strcmp(a, "bootwait") ? 1 : 2;
}

void md_lint_boot_steps(const md_tree *t, md_lint_steps *out)
{
    *out = (md_lint_steps){ 0 };
    bwalk w = { .t = t };
    size_t len;
    /* the kernel runs /init of an initramfs, else /sbin/init (init/main.c) */
    const md_node *init = md_tree_resolve_file(t, "/init");
    const char *init_path = init ? "/init" : "/sbin/init";
    if (!init)
        init = md_tree_resolve_file(t, "/sbin/init");
    const char *real = init ? basename(md_node_path(init)) : "";
    out->init = md_xstrdup(init ? real : "");
    /* by name first: busybox and sysvinit's init read the inittab whatever
     * their bytes (a stand-in busybox may be a script) */
    bool inittab_init = !strcmp(real, "busybox") || !strcmp(real, "init");
    if (init && !inittab_init && text_script(t, init_path)) {
        out->known = true;
        walk_script(&w, init_path, 0, true, 0);
    } else if (!strcmp(real, "systemd")) {
        out->known = out->systemd = true;
    } else if (!strcmp(real, "openrc-init")) {
        /* openrc-init runs sysinit, boot, then default (openrc-init.c) */
        out->known = true;
        md_strv argv = { 0 };
        md_strv_push(&argv, "openrc");
        md_strv_push(&argv, "default");
        walk_command(&w, &argv, init_path, 0, 0, true, 0);
        md_strv_free(&argv);
    } else if (init) {
        /* busybox init or sysvinit: the inittab; busybox without one runs
         * ::sysinit:/etc/init.d/rcS (init/init.c parse_inittab) */
        char *it = md_tree_text(t, "/etc/inittab", &len);
        out->known = true;
        if (!it) {
            md_strv argv = { 0 };
            md_strv_push(&argv, "/etc/init.d/rcS");
            walk_command(&w, &argv, init_path, 0, 0, true, 0);
            md_strv_free(&argv);
        }
        for (int cls = 0; it && cls < 3; cls++) {
            char *copy = md_xstrndup(it, len);
            unsigned line = 0;
            for (char *p = copy, *next; p && *p; p = next) {
                line++;
                next = strchr(p, '\n');
                if (next)
                    *next++ = '\0';
                char *tl = trim(p);
                itline e;
                if (*tl == '#' || !split_line(tl, &e) || !startup_action(trim(e.action)) ||
                    action_class(trim(e.action)) != cls)
                    continue;
                md_strv argv = { 0 };
                md_strv_split(&argv, e.process, false);
                push_step(&w, MD_LINT_STEP_TEXT, "/etc/inittab", line, 0, true, e.process);
                walk_command(&w, &argv, "/etc/inittab", line, 0, true, 0);
                md_strv_free(&argv);
            }
            free(copy);
        }
        free(it);
    }
    md_strv_free(&w.levels);
    md_strv_free(&w.visited);
    out->v = w.v;
    out->n = w.n;
}

void md_lint_steps_free(md_lint_steps *s)
{
    for (size_t i = 0; i < s->n; i++) {
        free(s->v[i].file);
        free(s->v[i].text);
    }
    free(s->v);
    free(s->init);
    *s = (md_lint_steps){ 0 };
}
