/* grubcfg — GRUB 2 configs: the one reader (grub.cfg text to boot entries,
 * for `mkdom0 boot` and `mkdom0 lint`) and the one writer (a boot entry to
 * grub.cfg text, for the build's output and the boot media).  Prefix
 * md_grubcfg_.
 *
 * The reader lexes GRUB's script language (no library parses it): words,
 * '…' and "…" quoting, backslash escapes and line continuation, # comments,
 * ';' and newlines between commands, { } blocks for menuentry, submenu and
 * function; a function's body runs where it is called, on the caller's
 * entry.  Each multiboot2/multiboot command and the module2/module
 * commands after it, up to the next one or the end of its block, are one
 * entry (md_bootcfg_add_multiboot keeps those that boot Xen).  Variables stay
 * as written in the words; every value assigned anywhere in the config
 * ("set x=…" or "x=…") counts as a possible value of $x (an entry file's
 * `maybe`), so parameters that a generated config keeps in variables are
 * seen; variables it never sets go to `unset`.  An if whose branches load
 * Xen or a module, or set a variable a loader line uses (directly or
 * through other values), is read once per way through it (one branch, or
 * none without else), at the top level and in a body, at most 32 ways:
 * "if efi; then set m=A; else set m=B; fi" then "multiboot2 /xen.gz $m"
 * is an entry with A and one with B.  Wildcard words ("for k in
 * /boot/vmlinu*") are expanded through the finder, as GRUB does
 * (md_grubcfg_read_files).
 *
 * Memory: the config is held as one buffer of its words (a flag byte and
 * the word, a few bytes a word) and a command is 8 bytes; a variable is
 * some 40 bytes and its name; a loader line's words are its file's args,
 * pooled (strv.h).  16 MiB of any shape take 8 to 10 times that in `mkdom0
 * lint` (issue 9: 30 to 110 times before).
 *
 * Ownership: text is borrowed; lists and entries are the caller's
 * (md_bootcfg_list_free, md_bootcfg_entry_free); strings returned are the
 * caller's to free().
 */
#ifndef MD_GRUBCFG_H
#define MD_GRUBCFG_H

/* The longest variable value the config readers follow (bytes): a value
 * doubled line by line ("set a=\"$a $a\"", X="$X $X") past it is
 * "cannot check", never followed at exponential cost; no loader holds a
 * command line near this long. */
#define MD_GRUBCFG_MAX_VALUE (64 * 1024)

/* The most bytes of variable values the config readers put into values and
 * lines in all, for one config: values built from values line by line
 * ("set v2=${v1}x" 60,000 times) cost the square of the input in copies, so
 * past it the lines are "cannot check: variable expansion exceeds N bytes
 * at LINE" (trial 9c: a 2.9 MB file took 4 GB).  Far above any real
 * config's, which stay within a few kilobytes. */
#define MD_GRUBCFG_MAX_EXPANDED (16 * 1024 * 1024)

#include <stddef.h>
#include "boot/bootcfg.h"
#include "core/err.h"
#include "core/strv.h"

/* Append the Xen entries of the GRUB config `text` (`len` bytes, NUL bytes
 * allowed) to `out`, and what GRUB would reject (an unterminated quote) to
 * its problems.  Entries get the config's top-level serial --unit/--speed and
 * timeout.  Reads any text; never fails. */
void md_grubcfg_read(const char *text, size_t len, md_bootcfg_list *out);

/* The most files deep that `source` and `configfile` lines are followed
 * (a file that sources one that sources ...), as syslinux's INCLUDEs
 * (MD_BOOTFMT_INCLUDE_DEPTH), and the most such reads of one config in all
 * (a menuentry of each of 10,000 kernels that sources the same file): past
 * either, the line is "cannot check". */
#define MD_GRUBCFG_MAX_NEST 16
#define MD_GRUBCFG_MAX_READS 256

/* Another file a config runs, as its finder returns it: text[0..len) (its
 * own, freed by the reader), the name findings give it (`name`), and a
 * `key` equal for the same file however it is named (its real path), for
 * loops.  Not found: text NULL and `why` says why ("it is not next to this
 * file ...").  All strings malloc'd; the reader frees them. */
typedef struct md_grubcfg_text {
    char *text;
    size_t len;
    char *name, *key, *why;
} md_grubcfg_text;

/* What finds the files a config's `source FILE`, `. FILE` and `configfile
 * FILE` lines name: find(ctx, gpath, from, t) fills `t` for path `gpath`
 * (variables as written when the config does not set them: "$prefix/x.cfg")
 * named in file `from` (NULL: the config itself); `name` and `key` are the
 * config's own (for findings and loops). */
typedef struct md_grubcfg_files {
    void (*find)(void *ctx, const char *gpath, const char *from, md_grubcfg_text *t);
    void *ctx;
    const char *name, *key;
    /* The GRUB paths wildcard pattern `pat` matches, found where find()
     * finds files: pushed to `out` sorted (strcmp), at most
     * MD_GRUBCFG_MAX_GLOB + 1 of them.  `pat` is GRUB's escaped form
     * (md_grubcfg_wild_match); a match is the pattern's own text up to its
     * first wildcard component, "(hd0,1)" and all, then the names found.
     * Returns how many (0: none, GRUB keeps the word), or -1 when it
     * cannot tell, *why (malloc'd) saying why.  NULL: every wildcard word
     * is "cannot check". */
    long (*glob)(void *ctx, const char *pat, md_strv *out, char **why);
} md_grubcfg_files;

/* The most files one wildcard word is expanded to: past it, the line is
 * "cannot check" (a for loop over every file of a directory of thousands
 * would make an entry of each). */
#define MD_GRUBCFG_MAX_GLOB 256

/* The most wildcard words of one config expanded (each a directory read
 * by the finder): a config of a million is "cannot check" past them, not
 * a million directory reads.  Far above a real config's few. */
#define MD_GRUBCFG_MAX_GLOBS 16384

/* Does the name `name` match component `pat`[0..n) of a GRUB wildcard
 * pattern in GRUB's escaped form: '*' any run of characters (a leading '.'
 * too), '?' one, "\c" the character c itself, anything else itself, case
 * counted ('[' is no wildcard: make_regex() in grub-core/commands/wildcard.c
 * escapes it, "Only * and ? expansion for now")? */
bool md_grubcfg_wild_match(const char *pat, size_t n, const char *name);

/* Does `pat`[0..n) hold a wildcard ('*' or '?' not escaped)? */
bool md_grubcfg_wild_has(const char *pat, size_t n);

/* `pat`[0..n) with its escapes removed ("\*" -> "*"), as GRUB gives a
 * literal part of a pattern (unescape() in wildcard.c).  Caller frees. */
char *md_grubcfg_wild_unescape(const char *pat, size_t n);

/* md_grubcfg_read, also reading the files `files` finds as GRUB runs them
 * (grub_cmd_source() in grub-core/commands/configfile.c):
 * `source FILE` and `. FILE` in the same context, so its variables carry
 * over both ways; `configfile FILE` in a new one, which sees the exported
 * variables only (grub_env_context_open()), as a submenu.  Their entries,
 * problems and loaded files name that file (md_bootcfg_file.file,
 * md_bootcfg_problem.file) and its lines.  A file not found (or whose path
 * uses a variable it cannot resolve) is a "cannot check" warning on the
 * line that names it (unchecked); past MD_GRUBCFG_MAX_NEST or
 * MD_GRUBCFG_MAX_READS too.  A path that uses a variable the config sets
 * to a value the reader does not know (search --set, search.fs_uuid ID
 * VAR: a device found at boot) is not handed to the finder, which would
 * take $prefix for the config's directory.  The config's line that led to
 * the first file not read is out->include; when the config ends with no
 * Xen entry and no chainloader line, each such finding is a note instead
 * (the include is the reason it has none).  A file that sources one of
 * those being read (itself, or a loop) is read once, a `source` of one said
 * as a warning.  `files` NULL: md_grubcfg_read, which reads no other file
 * and records the first such line as out->include.
 * Wildcards: a word of a for loop, of a menuentry's or a function call's
 * arguments, or of a loader line (multiboot2, module2, ..., chainloader),
 * with an unquoted '*' or '?', starting with '/', '(' or '*', becomes the files
 * files->glob finds, sorted, as GRUB with its regexp module expands it
 * (grubcfg.c, "wildcards"): a for loop runs once per file, a loader line
 * loads the first and gets the others as its first parameters (a warning);
 * none: the word as written (a note); without `insmod regexp` before the
 * line, a warning that GRUB images without the module keep the word.  One
 * lint cannot expand (no glob, files NULL, one glob cannot list, more than
 * MD_GRUBCFG_MAX_GLOB files) is "cannot check" on its line (unchecked),
 * and a loader line's file gets MD_BOOTCFG_WILDCARD in its unset. */
void md_grubcfg_read_files(const char *text, size_t len, const md_grubcfg_files *files,
                           md_bootcfg_list *out);

/* The arguments `text` (a NUL-terminated part of a GRUB command line)
 * gives a loader, pushed to `out` (copies): words as GRUB's lexer reads
 * them (quotes and escapes removed, variables as written, '#' at a word's
 * start a comment), an argument with a space as grub_create_loader_cmdline()
 * passes it, split at its spaces for Xen (`xen`), which has no quoting.  For
 * a value update-grub writes into grub.cfg as it is (20_linux_xen's
 * ${xen_args}, trial10d case 20). */
void md_grubcfg_args(const char *text, bool xen, md_strv *out);

/* Add to `out` the problem of a config (in `file`, NULL: the one read)
 * whose variables expand past MD_GRUBCFG_MAX_EXPANDED, first at `line`: a
 * warning that leaves the config not fully checked.  For every reader that
 * expands variables (GRUB 2, iPXE, GRUB's defaults). */
void md_grubcfg_too_much(md_bootcfg_list *out, const char *file, unsigned line);

/* The entry `mkdom0 boot` boots: md_bootcfg_take_bootable of the config's
 * entries.  `origin` names the config in errors. */
md_bootcfg_entry *md_grubcfg_boot_entry(const char *text, const char *origin, md_err *err);

/* The grub.cfg text for `e`: serial terminal and timeout, then one menuentry
 * loading the hypervisor with multiboot2 and the dom0 kernel and the other
 * modules with module2 (--nounzip where the file says so).  Paths and
 * arguments are written as they are: md_bootcfg_make has refused anything
 * GRUB would interpret. */
char *md_grubcfg_write(const md_bootcfg_entry *e);

#endif
