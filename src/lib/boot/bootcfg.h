/* bootcfg — the boot entry: what a boot loader loads to start Xen and its
 * dom0, whatever config format said so.  Prefix md_bootcfg_.
 *
 * An entry is the hypervisor, the dom0 kernel (Xen's first module) and the
 * modules after it, each a file with its parameters and the config line that
 * loads it.  Config readers (GRUB: boot/grubcfg.h) produce entries, `mkdom0
 * lint` checks the traps on entries, `mkdom0 boot` boots one, and the build
 * makes one from the spec (md_bootcfg_make) for the grub.cfg writer.
 *
 * The design's traps 1 and 4 are made impossible in md_bootcfg_make: the
 * dom0 memory is a size, always written as dom0_mem=XM,max:XM (a bare
 * dom0_mem= in the extra Xen arguments is refused), and the dom0 kernel line
 * always ends with console=hvc0, after console=ttySN for printk, because
 * Linux makes the LAST console= its /dev/console, which is what init and the
 * getty use.
 *
 * Typical use (the build):
 *     md_bootcfg c = MD_BOOTCFG_DEFAULTS;
 *     if (md_size_parse_mib("4096M", &c.dom0_mem_mib, err) < 0) ...
 *     c.xen_extra = "gnttab_max_frames=256 gnttab_max_maptrack_frames=1024";
 *     md_bootcfg_entry *e = md_bootcfg_make(&c, err);
 *     char *text = md_grubcfg_write(e);   -> write DIR/grub.cfg
 *     md_bootcfg_entry_free(e); free(text);
 *
 * `mkdom0 boot` goes the other way: md_grubcfg_boot_entry() reads the
 * image's grub.cfg back into an entry, md_bootcfg_set_dom0_mem() fits it to
 * the VM.
 *
 * Ownership: an md_bootcfg is borrowed (its strings are not copied until
 * md_bootcfg_make); an entry owns its files and a list its entries, with all
 * their strings; every char * returned is the caller's to free().
 */
#ifndef MD_BOOTCFG_H
#define MD_BOOTCFG_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>
#include "core/err.h"
#include "core/strv.h"

typedef struct md_bootcfg {
    uint64_t dom0_mem_mib;   /* required (> 0); md_size_parse_mib() makes it */
    const char *xen_extra;   /* appended to Xen's line; NULL/"" for none */
    const char *linux_extra; /* dom0 kernel args, placed before console=hvc0 */
    const char *title;       /* menu entry; NULL: "mkdom0 Xen dom0" */
    unsigned serial_port;    /* 1..4: Xen's comN and Linux's ttyS(N-1); 0 = 1 */
    unsigned serial_baud;    /* 0 = 115200 */
    unsigned timeout;        /* GRUB menu timeout in seconds */
    const char *file_prefix; /* where GRUB finds the files; NULL = "/" */
    const char *rootfs_name; /* NULL = "rootfs.cpio.gz" */
} md_bootcfg;

/* The dom0 kernel's rdinit=: the first program, which no file of the image
 * names (the size check in build counts it as used). */
#define MD_BOOTCFG_RDINIT "/sbin/init"
/* The most bytes of one boot config (or inittab) that is read.  A 100 MB
 * xen.cfg of one options= line ("a a a ...") had lint abort out of memory
 * under a 2 GB limit (trial 9m), when each word was a string of its own;
 * the readers keep a line's words pooled now (strv.h), and lint holds a
 * config of such words in some 8 (xen.cfg) to 15 (iPXE) times its size
 * (issue 9).  Real configs are kilobytes, and the largest the tests read
 * (60,000 GRUB entries, 11 MB) is below it.  A larger file is not read,
 * and said (md_bootcfg_too_big: the list's unread); lint takes its size
 * from the file opened and reads only its head (lint_input.c). */
#define MD_BOOTCFG_MAX_TEXT ((size_t)16 << 20)
/* Boot entries one config may give (a GRUB 2 entry of several ways through
 * its if/else is one entry a way, grubcfg.c): each is kept until the report,
 * 600 bytes to 2 KB, so below MD_BOOTCFG_MAX_TEXT a config of short entries
 * would cost 40 to 150 times its size (issue 9).  Real configs have tens to
 * hundreds (update-grub: a few per kernel installed).  Past it an entry is
 * dropped and the config gets one error (md_bootcfg_add_multiboot). */
#define MD_BOOTCFG_MAX_ENTRIES 10000
#define MD_BOOTCFG_DEFAULTS { 0, NULL, NULL, NULL, 1, 115200, 3, NULL, NULL }

/* A file the loader loads and the parameters it hands over with it. */
typedef struct md_bootcfg_file {
    char *path;     /* as the loader sees it ("/xen.gz"); "" when the line names
                       none; NULL when the entry has no such file */
    md_strv args;   /* the parameters in order, one word each as the loader
                       passes it (a word may hold a space); variables
                       ($x, ${x}) stay as written */
    md_strv maybe;  /* parameters the line's variables may add: the words of
                       every value the config gives them anywhere */
    md_strv unset;  /* variables the line uses that the config never sets
                       (environment, grubenv): they may hold anything;
                       MD_BOOTCFG_WILDCARD: a GRUB wildcard word of the line
                       lint could not expand (path and args not known) */
    unsigned line;  /* 1-based line of the config that loads it; 0: made */
    bool mb2;       /* handed over by multiboot2 (GRUB's multiboot2/module2),
                       else by multiboot v1 (multiboot/module) */
    bool nounzip;   /* passed on compressed (GRUB's --nounzip) */
    char *file;     /* the config file `line` is in, when an entry is read
                       from several (GRUB's defaults with grub.d/NAME.cfg);
                       NULL: the one config read */
    /* Where the text of args came from when it is not written on `line`
     * (md_bootcfg_add_from): a variable's value ("set opts=dom0_mem=4G"
     * on line 1, "multiboot2 /xen.gz $opts" on line 3), a function call's
     * or a menuentry's words ($1..).  A finding on that text belongs on
     * the line that holds it, where its fix is written (issue 10). */
    struct md_bootcfg_from *from;
    size_t nfrom;
    unsigned call_line; /* the call of the function that ran `line`
                           (the innermost); 0: none */
} md_bootcfg_file;

/* The name in md_bootcfg_file.unset of a GRUB 2 wildcard word ("/boot/xen*")
 * the reader could not expand into the files it matches (grubcfg.h). */
#define MD_BOOTCFG_WILDCARD "(wildcard)"

/* One word of a file's args and the line its text is written on. */
typedef struct md_bootcfg_from {
    char *word;
    unsigned line;
} md_bootcfg_from;

/* The most words md_bootcfg_add_from records of one file: findings look
 * for a few parameters' words, and a line of a million words from
 * variables must not cost a record each (issue 9). */
#define MD_BOOTCFG_MAX_FROM 64

/* Record that word `word` of f->args is written on line `line` (not
 * f->line); ignored past MD_BOOTCFG_MAX_FROM, or when `line` is 0 or
 * f->line.  Copies `word`. */
void md_bootcfg_add_from(md_bootcfg_file *f, const char *word, unsigned line);
/* The line the word `word` of f->args is written on, as recorded by
 * md_bootcfg_add_from; 0 when it is on f->line itself (or not known). */
unsigned md_bootcfg_from_line(const md_bootcfg_file *f, const char *word);

/* One boot entry, as a loader (GRUB's multiboot2/module2, QEMU's
 * -kernel/-initrd) loads it. */
typedef struct md_bootcfg_entry {
    char *title;            /* menu path "Debian>Xen 4.17"; NULL outside a menu */
    const char *title_kind; /* static: what the format calls an entry ("label",
                               "section", "title"); NULL: GRUB's "menuentry" */
    md_bootcfg_file xen;    /* the hypervisor (tboot's first module under tboot) */
    md_bootcfg_file kernel; /* Xen's first module, the dom0 kernel; path NULL: none */
    md_bootcfg_file *mods;  /* the modules after it, in order: initramfs/rootfs first */
    size_t nmods, mods_cap; /* mods_cap: md_bootcfg_add_mod's (0: not known) */
    /* The loader's own serial console (port 1..4 = GRUB's unit 0..3, speed)
     * and menu delay in seconds: for a read entry the config's top-level
     * settings, or 1, 115200, 3 (what mkdom0 writes) when it has none. */
    unsigned serial_port, serial_baud, timeout;
    int format;             /* the md_bootfmt (boot/bootfmt.h) of the config it
                               was read from, set by its caller (lint); 0
                               (UNKNOWN): GRUB 2 or made: fixes are written
                               in this format's syntax */
    bool arm;               /* for Xen on Arm (GRUB's xen_hypervisor, a dtb):
                               dom0_mem is one size there, without max: */
    unsigned dtb_line;      /* a xen.cfg section's: the dtb= line Xen's EFI
                               loader reads (the section's, else [global]'s),
                               which Arm's loads and x86's ignores; 0: none */
    md_strv dom0_extra;     /* the words after " -- " on an x86 Xen line: Xen
                               takes them off its own line and appends them to
                               dom0's (md_bootcfg_add_multiboot); xen.args
                               holds the words before it */
    /* GRUB's defaults only: update-grub's recovery (single-user) entry,
     * which /etc/grub.d/20_linux_xen builds from GRUB_CMDLINE_XEN alone and
     * "single GRUB_CMDLINE_LINUX"; it comes right after the entry it is the
     * recovery of.  xen_var_set: GRUB_CMDLINE_XEN is assigned (the xen
     * line is that assignment's); xen_var: that assignment as written
     * ("GRUB_CMDLINE_XEN=\"...\""), NULL when it spans lines. */
    bool recovery, xen_var_set;
    char *xen_var;
    /* a recovery entry of a defaults fragment read alone (it sets no
     * GRUB_CMDLINE_XEN and no dom0 kernel variable, as the stock
     * grub.d/xen.cfg): GRUB_CMDLINE_XEN (or GRUB_DISABLE_RECOVERY) may be
     * set in /etc/default/grub, so what the entry gets is unknown, not
     * known to be nothing */
    bool xen_var_unseen;
    /* GRUB's defaults read without /etc/default/grub (a grub.d fragment, or
     * any of them alone): they set neither GRUB_CMDLINE_XEN nor
     * GRUB_CMDLINE_XEN_DEFAULT, so the Xen line's words are in a file not
     * read, not known to be none */
    bool xen_vars_unseen;
} md_bootcfg_entry;

/* The Xen entries of one config, as every reader returns them, and what the
 * reader could not read (a syntax error: the loader rejects the config). */
typedef struct md_bootcfg_problem {
    unsigned line;
    char *msg;
    int trap;       /* the design's trap it causes (lint.h); 0: a boot problem */
    bool unchecked; /* what the loader then reads is not fixed by the file */
    bool warning;   /* it costs nothing the loader uses: no error */
    bool note;      /* the boot is as the config means it: information */
    char *fix;      /* the line as it should read, or NULL (owned) */
    char *file;     /* the file `line` is in when it is not the config read
                       (the GRUB line that starts Xen's EFI loader with a
                       command line, md_bootfmt_read_xen_efi); NULL: the
                       config (owned) */
} md_bootcfg_problem;

typedef struct md_bootcfg_chain {
    char *title;            /* the menu entry's title; NULL outside a menu */
    md_bootcfg_file file;   /* the program chainloaded, as a loaded file */
} md_bootcfg_chain;

typedef struct md_bootcfg_list {
    md_bootcfg_entry **v;   /* in config order */
    size_t n, cap;
    md_bootcfg_problem *problems;
    size_t nproblems, problems_cap;
    char *include;          /* the first line that reads another config, whose
                               entries the reader has not seen ("source
                               /boot/grub/custom.cfg"); NULL: none */
    unsigned include_line;
    char *include_section;  /* a xen.cfg's chain=: the section Xen boots from
                               the chained file (NULL: the first kernel=) */
    char *unread;           /* the first block the reader did not follow
                               (nested past its depth), whose entries it has
                               not seen: "cannot check this ... block: why";
                               NULL: it followed every one */
    unsigned unread_line;
    /* GRUB 2's EFI "chainloader FILE ARGS" lines, in config order: another
     * EFI program boots, which may be Xen's own EFI loader (xen.efi), which
     * then reads its xen.cfg itself (docs/misc/efi.pandoc).  The reader
     * cannot tell what FILE is; the caller looks at it (lint follows it).
     * file.args are the words GRUB hands the program (argv[1..], the
     * program's name not among them: grub_cmd_chainloader()).  A line run
     * more than once (an if's paths, a function called twice) is recorded
     * each time. */
    md_bootcfg_chain *chains;
    size_t nchains, chains_cap;
    bool over_entries;      /* an entry past MD_BOOTCFG_MAX_ENTRIES was dropped */
} md_bootcfg_list;

/* Add a problem (line, msg taken over; trap 0, checked) to `l`; it stays
 * valid until the next add, for the caller to set trap and unchecked. */
md_bootcfg_problem *md_bootcfg_add_problem(md_bootcfg_list *l, unsigned line, char *msg);

/* Is a config text of `len` bytes past MD_BOOTCFG_MAX_TEXT?  Then it is not
 * read: said as out's unread (if it has none), on no line, so that lint
 * reports it as nothing checked. */
bool md_bootcfg_too_big(size_t len, md_bootcfg_list *out);

/* The one wording of "a config of `len` bytes is past MD_BOOTCFG_MAX_TEXT"
 * (lint's unread line, boot's refusal), without the file's name; the
 * caller frees it. */
char *md_bootcfg_size_msg(uint64_t len);

/* GRUB 2's line that loads `m` as a module of the multiboot2 (`mb2`) or
 * multiboot loader: "module2 [--nounzip] PATH ARGS", its --nounzip and
 * parameters kept.  The fix for a module line of the other family or of
 * Linux's loader (linux, initrd) in a Xen entry.  Caller frees. */
char *md_bootcfg_module_line(const md_bootcfg_file *m, bool mb2);

/* Append a zeroed module to e->mods (which it may move) and return it. */
md_bootcfg_file *md_bootcfg_add_mod(md_bootcfg_entry *e);

void md_bootcfg_entry_free(md_bootcfg_entry *e);
void md_bootcfg_file_free(md_bootcfg_file *f); /* its contents; f itself is not freed */

/* A deep copy of `s` into `d` (whose old contents are not freed): every
 * string and list its own, a NULL path or file staying NULL.  The caller
 * frees d's contents with md_bootcfg_file_free. */
void md_bootcfg_file_copy(md_bootcfg_file *d, const md_bootcfg_file *s);
/* A deep copy of `e`, every file and string its own (title_kind stays the
 * same static string): for a caller that changes a few fields of an entry
 * it does not own (the netboot configs' relative paths, a host's rootfs,
 * iPXE's cut lines).  The caller frees it with md_bootcfg_entry_free. */
md_bootcfg_entry *md_bootcfg_entry_copy(const md_bootcfg_entry *e);
void md_bootcfg_list_free(md_bootcfg_list *l); /* its contents; l itself is not freed */

/* Add an entry read as a multiboot loader line and the modules after it:
 * how GRUB, iPXE and syslinux's mboot.c32 all load Xen.  In `raw`, xen is
 * the line's own file and mods every module after it; kernel is unset.  The
 * line boots Xen when its file's name contains "xen", it has dom0_mem=, or it
 * loads modules and is no memtest; then the first module becomes the dom0 kernel,
 * except under tboot (which measures Xen), whose first module is Xen.
 * Takes over `raw`: appended to `l`, or freed when it boots no Xen (false)
 * or `l` already has MD_BOOTCFG_MAX_ENTRIES (false; the first such adds an
 * error problem on its line: "more than 10000 boot entries"). */
bool md_bootcfg_add_multiboot(md_bootcfg_list *l, md_bootcfg_entry *raw);

/* Last value of parameter `key` in `f`'s args, then maybe, or NULL.
 * Borrowed from `f`.  Names match exactly, as Xen matches them (strcmp in
 * parse_params(), xen/common/kernel.c: "dom0-mem=" is not dom0_mem), or with
 * '-' and '_' alike when `linux` (Linux's parameq(), kernel/params.c). */
const char *md_bootcfg_param(const md_bootcfg_file *f, const char *key, bool linux);

/* The dom0 kernel's words as Xen hands them over (create_dom0() in
 * xen/arch/x86/setup.c): the kernel line's, then the Xen line's words after
 * " -- " (dom0_extra).  Appended to `out` (copies). */
void md_bootcfg_dom0_args(const md_bootcfg_entry *e, md_strv *out);

/* The dom0 command line of `args` (md_bootcfg_dom0_args' words) as Linux's
 * parse_args() reads it: the words joined as the loader passes them (GRUB 2,
 * `grub2`: quoted and escaped as grub_create_loader_cmdline() does; iPXE,
 * syslinux, GRUB legacy and Xen's EFI loader pass '"' as it is), then cut
 * into parameters by next_arg() (lib/cmdline.c): a '"' toggles quoting, in
 * which white space does not split, and a leading '"' of the word or of
 * its value and the '"' ending it are removed.  Each parameter is pushed to
 * `out` as "name=value" or "name" (copies).  Returns the index in `out` of
 * the parameter whose quote is never closed (it runs to the end of the
 * line), or -1. */
ssize_t md_bootcfg_linux_params(const md_strv *args, bool grub2, md_strv *out);

/* The module Xen hands dom0 as its initramfs: an index into e->mods, or
 * -1 when none.  __start_xen() (xen/arch/x86/setup.c, 4.17) marks every
 * module but the dom0 kernel (module 0) in module_map, lets
 * microcode_grab_module() (xen/arch/x86/cpu/microcode/core.c) clear the one
 * that ucode=<index> names, and takes the first module still marked
 * (initrdidx = find_first_bit()).  parse_ucode() reads each comma item of
 * every ucode= in order; one that is not scan/nmi/allow-same sets the index
 * as simple_strtol(s, 0) reads it (a negative one counts from the end:
 * index + mods_count); an index outside 1 .. mods_count-1 clears nothing.
 * ucode=scan only reads the modules, so the microcode cpio stays dom0's
 * initramfs when it comes first.  Not on Arm (no ucode=).  *ucode_mod
 * (when not NULL): the e->mods index ucode= took, or -1. */
long md_bootcfg_initrd(const md_bootcfg_entry *e, long *ucode_mod);

/* The first multiboot2 entry of `l`, complete enough to boot: a hypervisor
 * file, a dom0 kernel, and a rootfs module with --nounzip.  Taken out of the
 * list (the caller frees it); the serial port is forced to 1..4 and a
 * missing title becomes "mkdom0 Xen dom0".  `origin` names the config in
 * errors, which give its line. */
md_bootcfg_entry *md_bootcfg_take_bootable(md_bootcfg_list *l, const char *origin, md_err *err);


/* Validate the options and build the entry: /xen.gz, /vmlinuz and the
 * rootfs module with --nounzip, all multiboot2.  Refuses: no dom0 memory,
 * dom0_mem= in xen_extra, rdinit= in linux_extra, "--" in either, characters GRUB's parser
 * would interpret (quotes, $, ;, \, {}, |, &, <, >, #, newlines). */
md_bootcfg_entry *md_bootcfg_make(const md_bootcfg *c, md_err *err);

/* md_bootcfg_make's checks of its extra arguments alone, for a caller that
 * names where they came from (a spec's [Xen] Args= and [Kernel] Args=
 * line): Xen's (`linux` false) refuse dom0_mem=, the kernel's (`linux`)
 * rdinit=; both the word "--" (Xen hands what follows it to dom0's kernel,
 * Linux to init) and the characters GRUB would interpret.  NULL is fine. */
int md_bootcfg_check_args(const char *args, bool linux, md_err *err);

/* One amount of dom0_mem as Xen reads it: [-]<size>, [-]<pct>% or
 * [-]<size>+<pct>%, a size without unit in KiB (Xen 4.17
 * docs/misc/xen-command-line.pandoc "dom0_mem (x86)"; parse_amt() in
 * xen/arch/x86/dom0_build.c).  "-" means all host RAM but the amount. */
typedef struct md_bootcfg_amount {
    bool set;
    bool minus;
    uint64_t bytes;   /* the <size> part, 0 if none */
    unsigned percent; /* 0..99 of host RAM */
    bool wrapped;     /* a number or its unit overflowed 64 bits: Xen does not
                         check and uses the value modulo 2^64 */
    bool octal;       /* a leading 0 made Xen read a number as octal */
    char text[32];    /* as written, without min:/max: ("4096M", "-1G+10%") */
} md_bootcfg_amount;

/* dom0_mem as Xen has applied it after one or more dom0_mem= words: each
 * field is the last value given for it. */
typedef struct md_bootcfg_dom0mem {
    md_bootcfg_amount amount, min, max;
} md_bootcfg_dom0mem;

/* Apply the value of one dom0_mem= word (without "dom0_mem=") onto `m`, as
 * Xen 4.17 does: every dom0_mem= on its command line calls the parser again
 * on the same variables, so later words override field by field
 * ("dom0_mem=4096M dom0_mem=max:4096M" sets both).
 *   x86 (`arm` false): parse_dom0_mem() reads a comma list of min:<amt>,
 *     max:<amt> and <amt> in order; the first part it refuses ends the list:
 *     the parts before it stay applied, that part and all after it are lost.
 *     Sizes are parse_size_and_unit() (xen/common/lib.c): a number as
 *     simple_strtoull(s, 0) reads it (0x.. hex, a leading 0 octal; no
 *     overflow check, the value wraps modulo 2^64), then ONE
 *     optional unit letter T, G, M, K or B (bytes); no letter means KiB.  So
 *     "4096MB" reads 4096M and stops at the 'B': the part is refused.
 *   Arm (`arm` true): one <size> (parse_dom0_mem() in
 *     xen/arch/arm/domain_build.c, 4.17 and 4.20); Xen applies the size it
 *     read even when text follows it (0 when there is no number), and
 *     refuses the rest: the message says what it read and what it refused.
 * 0 when Xen takes the whole value; else -1, err naming the refused part, and
 * *bad (if not NULL) its offset in `value`. */
int md_bootcfg_dom0_mem_apply(md_bootcfg_dom0mem *m, const char *value, bool arm, size_t *bad,
                              md_err *err);

/* `m` zeroed, then md_bootcfg_dom0_mem_apply(x86). */
int md_bootcfg_parse_dom0_mem(const char *value, md_bootcfg_dom0mem *m, md_err *err);

/* Every value of parameter `key` in `f` in order: args, then maybe (names
 * matched as md_bootcfg_param does), appended to `out` (copies). */
void md_bootcfg_param_all(const md_bootcfg_file *f, const char *key, bool linux, md_strv *out);

/* Does the amount depend on the host's RAM ("-128M", "10%", "1G+10%")?
 * Xen's get_memsize() (xen/arch/x86/dom0_build.c, 4.17 and 4.20) gives
 * `avail - amount` for a '-' one: "-128M" is all host RAM but 128M, which is
 * Xen's own default on any host over 2 GB (avail - min(avail/16, 128M)).
 * Not the fixed size trap 4 asks for: md_bootcfg_dom0_mem (mkdom0 boot)
 * refuses it, lint reports it. */
bool md_bootcfg_amount_relative(const md_bootcfg_amount *a);

/* Do two amounts give the same memory on every host? */
bool md_bootcfg_amount_same(const md_bootcfg_amount *a, const md_bootcfg_amount *b);

/* Does the dom0_mem item `part`, which Xen stopped reading at `stop`,
 * spell a limit another way ("7680M:max=7680M", "max=4G", "1G:max:1G")?
 * min: and max: are items of their own after a ','. */
bool md_bootcfg_dom0_mem_limit_typo(const char *part, const char *stop);

/* What dom0 starts with, as dom0_compute_nr_pages() (xen/arch/x86/
 * dom0_build.c, 4.17 and 4.20) computes it: the amount (Xen's default when
 * none or 0 pages), raised to min:, then lowered to max: (so a min: above
 * max: ends at max:).  True, with *bytes, when that is the same on every
 * host large enough to hold it: a fixed amount with fixed limits, or a
 * fixed max: that the amount or min: reaches on every host (their size
 * part at or above it, whatever else they are: "4G,max:4G,min:-1G" and
 * "1G+99%,max:1G" start at max:).  False when it depends on host RAM (a
 * relative amount or min: below max:, or no amount and nothing that pins
 * it). */
bool md_bootcfg_dom0_mem_start(const md_bootcfg_dom0mem *m, uint64_t *bytes);

/* dom0_mem of the entry's Xen line in MiB, all its dom0_mem= words applied
 * as Xen does; -1 with a message when missing, refused by Xen, or not a fixed
 * size with the same max: (trap 4). */
int md_bootcfg_dom0_mem(const md_bootcfg_entry *e, uint64_t *mib, md_err *err);
/* Replace (or add) dom0_mem=XM,max:XM in the entry's Xen line. */
void md_bootcfg_set_dom0_mem(md_bootcfg_entry *e, uint64_t mib);

/* Double every comma: QEMU splits -initrd's module list at single commas. */
char *md_bootcfg_qemu_escape(const char *s);
/* QEMU -initrd value for the kernel and the first module after it, with host
 * paths for the files: "KERNEL ARGS,ROOTFS", commas inside doubled. */
char *md_bootcfg_qemu_initrd(const md_bootcfg_entry *e, const char *kernel_path,
                             const char *rootfs_path);

#endif
