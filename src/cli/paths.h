/* paths — where the CLI finds the files that ship with mkdom0: the data
 * directory (image overlay, applet list) and the static dom0 helpers.
 * Run from a source tree (build/mkdom0) they are ../data and build/dom0;
 * installed (PREFIX/bin/mkdom0) PREFIX/share/mkdom0 and PREFIX/lib/mkdom0/dom0.
 * $MKDOM0_DATADIR and $MKDOM0_DOM0DIR override.  Caller frees. */
#ifndef MD_CLI_PATHS_H
#define MD_CLI_PATHS_H
char *md_cli_data_dir(void);
char *md_cli_dom0_dir(void);
#endif
