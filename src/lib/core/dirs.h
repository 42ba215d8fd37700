/* dirs — the user's directories that mkdom0 keeps state in.  Prefix md_. */
#ifndef MD_CORE_DIRS_H
#define MD_CORE_DIRS_H

/* XDG cache directory for mkdom0 ($MKDOM0_CACHE, $XDG_CACHE_HOME/mkdom0,
 * ~/.cache/mkdom0).  Caller frees. */
char *md_cache_dir(void);

#endif
