/* refs — the large files of an image that nothing in it refers to, for
 * `mkdom0 build`'s warning.  Prefix md_refs_.
 *
 * A regular file's names are its path and the path of every symlink or
 * hardlink in the tree that resolves to it.  The file is referred to when
 *  - another file's bytes hold a token whose last path component is the
 *    last component of one of those names: a program's DT_NEEDED
 *    ("libcrypto.so.3") and the paths it executes or opens (in .dynstr and
 *    .rodata), a script's command ("bash", "/sbin/xen-dom0-setup"), an
 *    init script's or config's path, modules.dep's "kernel/fs/ext4/ext4.ko".
 *    A token is a longest run of the bytes A-Z a-z 0-9 . _ + - /; in a text
 *    file (no NUL byte) lines whose first non-blank is '#' are comments and
 *    hold none, except a first line "#!" (the interpreter); or
 *  - one of its names is an entry point the caller gives (the kernel's
 *    rdinit=, which no file of the image names).
 * Matching last components only (a "sh" token refers to /bin/sh, whatever
 * the directory PATH finds it in) errs towards "referred to": a warning
 * names only files that no program, script or config of the image can
 * reach by any name. */
#ifndef MD_REFS_H
#define MD_REFS_H

#include <stddef.h>
#include "core/elf.h"
#include "core/strv.h"
#include "image/tree.h"

/* Paths of the regular files larger than `min_bytes` that nothing refers
 * to, in path order, appended to `out` (the caller frees it with
 * md_strv_free).  `entry` is a NULL-terminated list of paths (may be
 * NULL).  Returns the number appended. */
size_t md_refs_unreferenced(const md_tree *t, size_t min_bytes, const char *const *entry,
                            md_strv *out);

/* The libraries the image's programs link that it does not hold: one
 * "PATH: needs LIB, which is not in the image" line per missing DT_NEEDED
 * entry of a 64-bit ELF file, in path order, appended to `out` (the caller
 * frees it).  A name is looked up as the dynamic loader does without an
 * ld.so.cache (the image has none): a name with a '/' as that path, else
 * in the file's DT_RPATH or DT_RUNPATH ($ORIGIN is the file's directory),
 * then /lib/x86_64-linux-gnu, /usr/lib/x86_64-linux-gnu, /lib and /usr/lib
 * (glibc's system directories on Debian's amd64).  Returns the number
 * appended. */
size_t md_refs_missing_libraries(const md_tree *t, md_strv *out);

/* The path in `t` (as searched, before symlinks) of the file the dynamic
 * loader loads for DT_NEEDED `lib` of the ELF file `e` at `path`, by the
 * lookup md_refs_missing_libraries uses; NULL when the tree has none.
 * Caller frees. */
char *md_refs_find_library(const md_tree *t, const char *path, const md_elf *e, const char *lib);

#endif
