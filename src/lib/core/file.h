/* file — whole files in and out: read into memory, write atomically,
 * make directories.  Prefix md_. */
#ifndef MD_CORE_FILE_H
#define MD_CORE_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

/* The most md_read_file reads, in bytes: the largest file mkdom0 reads
 * whole is a kernel or a Xen image of a few MB. */
#define MD_READ_FILE_MAX ((uint64_t)1 << 30)

/* Read a whole regular file of at most MD_READ_FILE_MAX bytes; caller frees
 * *data, which is NUL-terminated after its *len bytes (so text files can be
 * used as strings).
 * A directory, device, FIFO or socket is refused without reading (a FIFO
 * is not waited on).  Error names the path. */
int md_read_file(const char *path, unsigned char **data, size_t *len, md_err *err);
/* The file md_read_file would read, opened (O_RDONLY, close-on-exec) and
 * checked by the same rules without reading it: for a caller that checks
 * an input early (a spec's Copy= and AuthorizedKeys= when the spec is
 * read) or reads it its own way.  Returns the fd, which the caller
 * closes; *st (may be NULL) gets its fstat.  -1 with an error naming the
 * path. */
struct stat;
int md_open_file(const char *path, struct stat *st, md_err *err);
/* Flags of the _flags variants.  MD_FILE_NOFOLLOW: a symbolic link as the
 * last component is refused ("PATH: a symbolic link ..."), for the files of
 * a directory someone else may have handed over (an image directory, whose
 * manifest -> /etc/shadow was printed by inspect, trial 9c case 7). */
#define MD_FILE_NOFOLLOW 1u
/* md_open_file's rules without its size limit, for a reader that streams
 * (a digest): a regular file, never waiting on a FIFO or acting on a device. */
int md_open_regular_flags(const char *path, unsigned flags, struct stat *st, md_err *err);
int md_open_file_flags(const char *path, unsigned flags, struct stat *st, md_err *err);
int md_read_file_flags(const char *path, unsigned flags, unsigned char **data, size_t *len,
                       md_err *err);
/* md_read_file for a reader that takes at most `max` bytes (a boot config):
 * a file larger than that, by the fstat of the file opened or by what it
 * grew to while read, is never read whole, only its first `head` (<= max)
 * bytes, so that a 200 MB file refused is not first held (issue 9).
 * *size gets the file's size (*len when it was read whole; at least
 * max + 1 when it grew). */
int md_read_file_capped(const char *path, size_t max, size_t head, unsigned char **data,
                        size_t *len, uint64_t *size, md_err *err);
/* Write data to a new temporary file (md_file_create_tmp) and rename it
 * over path (md_file_commit), so readers never see a half-written file and
 * nothing but a regular file is replaced.  mode is the new file's. */
int md_write_atomic(const char *path, const void *data, size_t len, unsigned mode, md_err *err);
/* Write all `len` bytes to `fd`, through short writes and EINTR.  -1 with
 * "LABEL: write error: ..." (label names the file, e.g. its tmp name). */
int md_write_fd(int fd, const void *data, size_t len, const char *label, md_err *err);

/* The one way mkdom0 makes a file that replaces `path`: a new file
 * PATH.mkdom0-XXXXXX in path's directory, created exclusively (mkstemp(3):
 * O_EXCL, so a planted name or symlink is never followed or reused), mode
 * 0600 until committed.  Returns the fd; *tmp is the caller's to free (and
 * to unlink if it gives up without md_file_commit).  -1 with an error naming
 * the directory. */
int md_file_create_tmp(const char *path, char **tmp, md_err *err);
/* Finish `fd` (fchmod `mode`, close: a late write error is caught) and
 * rename `tmp` over `path`, which must be absent or a regular file: a
 * symlink, directory, device or FIFO at `path` is an error, never replaced.
 * `fd` is closed and, on failure, `tmp` removed, whatever happens. */
int md_file_commit(int fd, const char *tmp, const char *path, unsigned mode, md_err *err);
/* The rename every writer ends with (md_file_commit's; a file another
 * program wrote, ssh-keygen's key or a download, goes the same way):
 * `tmp` renamed over `path` when `path` is absent or a regular file; a
 * symlink, directory, device or FIFO there is "PATH: exists and is not a
 * regular file (a symlink): not replaced", and `tmp` is left for the
 * caller (issue 9: "renamed over a regular file only"; trial 9x F7: a
 * symlink at a key's name was replaced). */
int md_file_rename_over(const char *tmp, const char *path, md_err *err);
/* md_file_rename_over's check alone, for a writer to make before its work:
 * 0 when `path` is absent or a regular file, else -1 with that error. */
int md_file_check_replaceable(const char *path, md_err *err);
/* `dst` (which must not exist) with `src`'s content: a hard link when both
 * are on one file system, else a copy written with md_write_atomic (0644).
 * For scratch files that a tool reads (an ISO's tree, a disk made with
 * mkfs -d); never for outputs that are edited later. */
int md_copy_file(const char *src, const char *dst, md_err *err);
/* A copy of `src`'s bytes at `dst` (mode 0644, written atomically), never
 * a hard link: for outputs that are copied and then edited.  Same errors
 * as md_copy_file. */
int md_copy_contents(const char *src, const char *dst, md_err *err);
int md_mkdir_p(const char *path, unsigned mode, md_err *err);
/* Who may change `path` (lstat: a symlink is judged itself), as OpenSSH's
 * StrictModes: it must belong to root or the caller (euid) and be writable
 * by no one else -- a directory writable by group or others is allowed
 * when `sticky_ok` and it has the sticky bit (like /tmp, whose sticky bit
 * keeps others from renaming what is not theirs).  The error names the
 * path and its owner (or who may write it) and ends with `risk`: what that
 * user could do, and what to do instead. */
int md_file_check_trusted(const char *path, bool sticky_ok, const char *risk, md_err *err);
/* md_file_check_trusted's rule for what mkdom0 writes into (an output
 * directory, a keys directory, the cache): the owner must be the caller
 * itself (root when the caller is root); root's is refused to another
 * caller, who could not replace or rename what is in it -- a build would
 * fail at its end.  A symlink is judged as by md_file_check_trusted.  The
 * error reads "PATH belongs to user N (NAME), not to you: they could ..."
 * (`risk` with its "who" made "they"), or for root's what to give instead. */
int md_file_check_own(const char *path, const char *risk, md_err *err);
/* "user N (NAME)", NAME from the password database (just "user N" when it
 * has none), malloc'd: errors name an owner the user can recognise. */
char *md_file_owner_shown(unsigned uid);
/* Flags of md_path_walk_trusted. */
#define MD_WALK_CREATE    1u /* make each missing directory (mkdir(2), `mode`) */
#define MD_WALK_STICKY_OK 2u /* the last entry may be others'-writable when sticky */
#define MD_WALK_OWN       4u /* the last entry must be the caller's (md_file_check_own) */
/* Walk `path` (relative: from the working directory) one entry at a time,
 * as the kernel does, following each symbolic link (at most 40), and hold
 * every entry on the way to md_file_check_trusted: each directory (sticky
 * allowed above the last), each symlink (its owner: one who could point it
 * elsewhere after the check), and the last entry (sticky only with
 * MD_WALK_STICKY_OK).  So nothing that another user may change decides
 * where the path leads, as written or as it resolves (trial 9e: --keys
 * through another user's symlink was checked where it led, then read
 * through the link).  With MD_WALK_CREATE each missing directory is made
 * (`mode`, less the umask) only once everything above it has passed: a
 * refused path leaves nothing behind (trial 9e: root-owned ~/.cache in
 * another user's home).  Returns the resolved path (absolute, no symlink,
 * no "." or ".."), malloc'd, which the caller frees and may use from then
 * on; NULL with an error naming the entry and its owner (or who may write
 * it) followed by `risk`, or the entry that is missing (without
 * MD_WALK_CREATE) or not a directory. */
char *md_path_walk_trusted(const char *path, unsigned flags, unsigned mode, const char *risk,
                           md_err *err);
/* For a host input that decides what an image holds or trusts (a spec's
 * Overlay=, Copy=, AuthorizedKeys=, Keyring=, Keys=): md_path_walk_trusted
 * of `path` without creating anything, its last entry not sticky, so a
 * symlink on the way that another user owns is refused too (they could
 * point it elsewhere after the check). */
int md_file_check_trusted_input(const char *path, const char *risk, md_err *err);
/* The check of a file mkdom0 writes where the user says (resolve --lock,
 * boot --log and --timings), before any work: `path` names a file (not a
 * directory: no trailing '/', '.' or '..'), its directory passes
 * md_path_walk_trusted (root's or the caller's all the way, sticky
 * allowed: in /tmp no one else may rename what is the caller's), and what
 * is there now is nothing or a regular file of the caller's (not a
 * symlink, device, FIFO or directory, nor another user's file).  Returns
 * the path resolved (the directory's symlinks followed), malloc'd, for
 * md_write_atomic to write from then on (it makes a new temporary file and
 * renames it over a regular file only); NULL with an error naming the path
 * (and whose it is, followed by `risk`). */
char *md_file_check_output(const char *path, const char *risk, md_err *err);
/* The one way mkdom0 opens a lock file: NAME in `dirfd` (AT_FDCWD for a
 * path), created 0644 when missing, never through a symlink (O_NOFOLLOW),
 * close-on-exec.  Refused, naming `shown` (the path for messages): a
 * symlink, anything but a regular file (a FIFO, a device), and a file
 * another user owns (its owner could unlink it while it is held, so two
 * runs would go at once).  Returns the fd, not yet locked (flock(2) is the
 * caller's), or -1 with the error. */
int md_file_open_lock(int dirfd, const char *name, const char *shown, md_err *err);
/* `path` (links followed) is a directory, or with `missing_ok` nothing
 * (ENOENT).  Error "PATH: not a directory (a regular file | a FIFO | a
 * device or socket)", or "PATH: cannot open: REASON".  Nothing is opened:
 * for inputs checked early (a spec's Overlay= and KeysDir=). */
int md_check_dir(const char *path, bool missing_ok, md_err *err);
/* A regular file, links followed (false also when it cannot be stat'ed). */
bool md_is_file(const char *path);
/* The size of the file at `path` in bytes (stat(2), links followed) into
 * *size; -1 with the error naming the path. */
int md_file_size(const char *path, uint64_t *size, md_err *err);
/* A new file at `path` (O_EXCL: never one that is there) of `bytes` zero
 * bytes, sparse where the file system can, for a tool that fills it in
 * place (a disk or FAT image); -1 with the error naming `path`. */
int md_file_blank(const char *path, uint64_t bytes, md_err *err);
/* A new private (0700) scratch directory $TMPDIR/mkdom0-TAG.XXXXXX (/tmp
 * when TMPDIR is unset or empty), made by mkdtemp(3), so never an existing
 * path.  TMPDIR and every directory above it must be root's or the
 * caller's, sticky if others may write it (md_path_walk_trusted):
 * else NULL with "TMPDIR DIR: DIR belongs to user N, ...".
 * The directory is locked (flock(2) on it, held until md_remove_tree or
 * md_scratch_keep of this path, or the process's death) and marked
 * (a file .mkdom0-scratch-lock in it): the first call of a run first
 * removes the caller's marked mkdom0-*.XXXXXX directories in TMPDIR whose
 * lock is free, i.e. those of builds killed before they could clean up
 * (trial 9c case 8); another user's, or a live run's, are never touched.
 * Returns its path, which the caller frees after md_remove_tree (or
 * md_scratch_keep); NULL with an error naming the path. */
char *md_scratch_dir(const char *tag, md_err *err);
/* Leave scratch directory `dir` to the user (a command line that names
 * files in it): unmarked and unlocked, no later run removes it. */
void md_scratch_keep(const char *dir);
/* Whether `a` and `b` (not followed) are on one mount, by mount id
 * (statx(2) STATX_MNT_ID, Linux 5.8; the device before that), so a bind
 * mount of a directory of the same file system is another mount; false
 * when either cannot be looked at. */
bool md_file_same_mount(const char *a, const char *b);
/* The first path in the tree below `dir` that is on another mount than
 * `dir` (a file system or bind mount below it; md_file_same_mount's
 * test), or NULL when there is none.  Caller frees. */
char *md_file_mount_in(const char *dir);
/* Remove the tree at `path`, depth first, never following a symlink (a
 * symlink is removed, not what it names).  Regular files whose base name is
 * in the NULL-terminated `keep` (may be NULL) stay, and so do the
 * directories holding them; nothing on another mount than `path`'s (a
 * file system or bind mount below it) is removed.  Best effort: it
 * cleans up what mkdom0 made, and what it cannot remove it leaves.  A scratch directory (md_scratch_dir)
 * is unlocked after, and what it keeps stays for the user. */
void md_remove_tree(const char *path, const char *const *keep);
/* `path` as an absolute path from the working directory (not resolved:
 * symlinks and ".." stay), malloc'd; the caller frees it.  For a tool run
 * in another directory (md_run_opts.cwd) that must still find the file. */
char *md_path_abs(const char *path);
/* Does `path` have a ".." component ("..", "a/../b", "/x/..")?  Such a path
 * may leave the directory it is taken below (an image's root, a boot
 * directory a loader stays on). */
bool md_path_has_dotdot(const char *path);
/* 0 when `path` holds no control character (bytes 0x01-0x1f, 0x7f); else
 * -1 with "WHAT PATH: a newline or other control character ..." (the
 * character shown escaped).  Every path that reaches a line-based file
 * (image.ini, a config) or a one-line report is checked with it where it
 * comes in: a newline there writes keys and sections of its own (trial 9d
 * case 07). */
int md_path_printable(const char *what, const char *path, md_err *err);
/* Is `real` (a resolved absolute path) a directory of the system (hier(7):
 * one under /, or under /usr, /var or /home) or the user's home ($HOME)?
 * Such a directory is never one that mkdom0 may take as its own: a build
 * replaces its output directory as a whole (trial 9c: -o /etc), and a
 * keys directory gets private keys written into it (trial 9m: --keys
 * /etc wrote four key files into /etc). */
bool md_file_system_dir(const char *real);

#endif
