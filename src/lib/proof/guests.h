/* guests — the guest steps of `mkdom0 boot --check`: the dom0 starts guests
 * with its own kernel and a small busybox initrd made from the image.
 * Prefix md_guests_.
 *
 * The steps, each a guest that proves one thing and is gone after it:
 *   - a PV and a PVH guest print their marker on their console (xl create -c);
 *   - `xl reboot` restarts a PVH guest as a new domain, `xl shutdown` ends it;
 *   - one PV guest proves guests' network (its vif on the image's bridge,
 *     or routed) and disks (a file on a loop device, a phy: device
 *     hot-attached), and that both are released after it;
 *   - an HVM guest boots its disk's boot sector through the device model
 *     (only in images with [Xen] HVM=yes).
 *
 * Ownership: nothing is kept; the chk is check.c's.
 */
#ifndef MD_GUESTS_H
#define MD_GUESTS_H

#include "core/err.h"
#include "image/tree.h"
#include "proof/check.h"
#include "proof/check_int.h"

/* Write the guest initrd (gzip cpio) to `out` from the image's tree `t`
 * (read from `rootfs`, named in errors): its static busybox, an /init, and
 * the guest frontends among its modules.  Error when it has no static
 * busybox. */
int md_guests_initrd(const md_tree *t, const char *rootfs, const char *out, md_err *err);

/* Copy `kernel` and `initrd` into the dom0's /tmp, then run the guest
 * steps in order, those of `guests` (MD_CHECK_GUEST_* bits; 0: all); -1 at
 * the first that fails (md_check_fail's message). */
int md_guests_check(chk *c, const char *kernel, const char *initrd, unsigned guests,
                    md_err *err);

#endif
