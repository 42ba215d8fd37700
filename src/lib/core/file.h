/* file — whole files in and out: read into memory, write atomically,
 * make directories.  Prefix md_. */
#ifndef MD_CORE_FILE_H
#define MD_CORE_FILE_H

#include <stddef.h>
#include "core/err.h"

/* Read a whole file; caller frees *data, which has at least one spare byte
 * after *len (room for a NUL).  Error names the path. */
int md_read_file(const char *path, unsigned char **data, size_t *len, md_err *err);
/* Write data to path.tmp.PID then rename over path, so readers never see a
 * half-written file.  mode is applied to the new file. */
int md_write_atomic(const char *path, const void *data, size_t len, unsigned mode, md_err *err);
int md_mkdir_p(const char *path, unsigned mode, md_err *err);

#endif
