/* size — memory sizes as people write them ("4096M", "4G"), for the spec's
 * Dom0Mem= and `mkdom0 boot`'s --memory and --dom0-mem.  Prefix md_size_.
 *
 * Ownership: nothing is allocated; strings are borrowed for the call and
 * results go to the caller's variables. */
#ifndef MD_CORE_SIZE_H
#define MD_CORE_SIZE_H

#include <stdint.h>
#include "core/err.h"

/* The range a size may have, in MiB: less than 128 MiB holds no dom0 kernel
 * and its initramfs; 64 TiB is more than any host Xen 4.17 supports. */
#define MD_SIZE_MIB_MIN 128ULL
#define MD_SIZE_MIB_MAX (64ULL << 20)

/* "4096M", "4G", "4096MiB", "1048576K", "1T" (K/M/G/T, optional "B" or
 * "iB", case-insensitive) to MiB.  Refused with a message that quotes the
 * value and says why (the caller puts the option's name in front): no
 * unit, not a whole MiB, zero, below MD_SIZE_MIB_MIN, above
 * MD_SIZE_MIB_MAX, "X,max:Y", garbage. */
int md_size_parse_mib(const char *s, uint64_t *mib, md_err *err);

/* A count or size in bytes as an index writes it (Debian's Size:,
 * Installed-Size:, a Release file's sizes): one or more ASCII digits and
 * nothing else, at most `max`.  0 and *out set, or -1: empty, another
 * character (a sign, a space, a unit), or above `max` (also when the
 * digits overflow 64 bits); the caller names the file, line and field. */
int md_size_parse_u64(const char *s, uint64_t max, uint64_t *out);

/* The environment variable `name` as a whole number from `min` to `max`
 * (md_size_parse_u64's digits), or `dflt` when it is unset or empty.  A
 * value that is not one is an error naming the variable, its value and
 * the range, never a silent default (trial 9e: MKDOM0_STALL_TIMEOUT=abc
 * was taken as 60 without a word, while SOURCE_DATE_EPOCH=abc is
 * refused). */
int md_size_env(const char *name, uint64_t min, uint64_t max, uint64_t dflt, uint64_t *out,
                md_err *err);

#endif
