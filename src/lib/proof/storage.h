/* storage — the guest storage and autostart steps of `mkdom0 boot --check`.
 * Prefix md_storage_.
 *
 * The image's /etc/conf.d/guest-storage (the spec's [Guests] Storage=) names
 * the disk by LABEL= or UUID=.  The check makes such a disk on the host
 * (mkfs.ext4 -d, no root needed, from e2fsprogs) holding the guest kernel
 * and initrd the check's other guests use, a raw disk file for the guest,
 * and auto/mkdom0-auto.cfg; QEMU gets it as a second (virtio) disk.  Then:
 *   - the dom0 mounts it at /var/lib/xen/storage, and writes nothing there;
 *   - xendomains starts mkdom0-auto from auto/ with no command from ssh;
 *     the guest writes a marker unique to this guest boot into its disk
 *     file on the storage (after copying the previous one further on);
 *   - `rc-service xendomains stop` (what host shutdown runs) shuts it
 *     down cleanly by `xl shutdown`, with no destroy.  (No `xl reboot`
 *     step: under a loaded TCG host the old domain's block hotplug
 *     "remove" outlasted libxl's timeout and the restarted domain found
 *     its disk file still on a loop device, so the step failed at random.)
 *   - after the check's host reset: the storage is mounted again and the
 *     guest, autostarted again, finds the marker it wrote before the reset,
 *     while the dom0's own files are gone (the reset step).
 * Without the disk (--no-storage) the dom0 must boot on and say on its
 * console that the storage is missing.
 *
 * Ownership: md_storage is the caller's (md_storage_free).
 */
#ifndef MD_STORAGE_H
#define MD_STORAGE_H

#include "core/err.h"
#include "image/tree.h"
#include "proof/check_int.h"

typedef struct md_storage md_storage;

/* The guest storage the image names; NULL when it names none (or no image). */
md_storage *md_storage_new(const md_tree *rootfs);
void md_storage_free(md_storage *s);

/* Make the disk image in `dir` (a scratch directory) from the guest
 * kernel and initrd; its path is md_storage_disk().  Fails naming the tool
 * (mkfs.ext4 missing: install e2fsprogs). */
int md_storage_make_disk(md_storage *s, const char *dir, const char *kernel, const char *initrd,
                         md_err *err);
const char *md_storage_disk(const md_storage *s); /* NULL before make_disk */

/* The steps in the first boot (after the other guests), and after the
 * reset.  Each passed step is a row; -1 with err on the first failure. */
int md_storage_check_boot(md_storage *s, chk *c, md_err *err);
int md_storage_check_after_reset(md_storage *s, chk *c, md_err *err);
/* No disk attached: the console says so and the dom0 runs on. */
int md_storage_check_absent(md_storage *s, chk *c, md_err *err);

#endif
