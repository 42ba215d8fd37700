/* dirs — the user's home and the download cache.  Prefix md_.
 *
 * One rule for the home directory: $HOME when set and not empty, else /tmp
 * (a build run from a service with no HOME still has somewhere to cache).
 * The ssh keys directory, which images are built with, is the image
 * directory module's (image/imgdir.h md_imgdir_keys_dir). */
#ifndef MD_CORE_DIRS_H
#define MD_CORE_DIRS_H

#include "core/err.h"

/* $HOME, else "/tmp".  Points into the environment or a literal: do not
 * free; valid until the environment changes. */
const char *md_home_dir(void);

/* XDG cache directory for mkdom0 ($MKDOM0_CACHE, $XDG_CACHE_HOME/mkdom0,
 * ~/.cache/mkdom0; a relative $XDG_* is ignored, as the XDG Base Directory
 * spec says).  Caller frees. */
char *md_cache_dir(void);

/* The name of `cache_dir` (md_cache_dir() when NULL), or of its
 * subdirectory `sub` ("debs", "indexes") when not NULL: nothing is made
 * or checked (md_cache_prepare does that).  Caller frees. */
char *md_cache_path(const char *cache_dir, const char *sub);

/* Make the cache directory `cache_dir` (md_cache_dir() when NULL) and its
 * subdirectory `sub` (e.g. "debs") where missing, and check them, before
 * anything in them is used (md_path_walk_trusted: every entry on the way,
 * symlinks included, checked before anything is made, so a refused cache
 * leaves nothing behind, trial 9e): each directory from / to the cache
 * must be root's or the caller's (sticky allowed above the cache: /tmp),
 * and the cache and `sub` writable by no one else.  Another user who can
 * write there could swap a verified .deb or index for their own between
 * its check and its use (trial 9c).  An existing system directory
 * (md_file_system_dir: /etc, your home) is refused.  Error names the
 * directory, its owner or who may write it, and what to do. */
int md_cache_prepare(const char *cache_dir, const char *sub, md_err *err);

#endif
