/* sshkeys — the dom0's SSH identity in the build: host keys kept in a keys
 * directory on the build machine (made once, reused by every build so the
 * image and its host key stay the same), and root's authorized_keys.
 *
 * Keys are made with ssh-keygen (openssh-client; $MKDOM0_SSH_KEYGEN names
 * another program) into a temporary name and renamed into place, so an
 * interrupted run leaves no half key.  Private keys are 0600 and a keys
 * directory made here is 0700.  The same key files give the same tree
 * entries, so the same image bytes.  Prefix md_sshkeys_.
 */
#ifndef MD_SSHKEYS_H
#define MD_SSHKEYS_H

#include <stdint.h>
#include "core/err.h"
#include "core/out.h"
#include "image/tree.h"
#include "core/strv.h"

/* What md_sshkeys_ensure makes when absent (ed25519 only: every OpenSSH
 * since 6.5 speaks it, and it is made instantly). */
#define MD_SSHKEYS_HOST   1u /* ssh_host_ed25519_key(.pub): the image's host key */
#define MD_SSHKEYS_CLIENT 2u /* id_ed25519(.pub): a login key for `mkdom0 boot` checks */
/* The client key's file name in a keys directory (the public half adds .pub). */
#define MD_SSHKEYS_CLIENT_KEY "id_ed25519"

/* Make sure `dir` (created 0700 with its parents if missing) holds the keys
 * named by `what`.  An existing private key is kept; a missing .pub is
 * derived from it (ssh-keygen -y); a private key readable by group or
 * others is set to 0600, with a note to `out` (borrowed; NULL: none).
 * Holds a flock on `dir` meanwhile, so builds sharing `dir` make each pair
 * once and then all use that one. */
int md_sshkeys_ensure(const char *dir, unsigned what, const md_out *out, md_err *err);

/* Add every host key pair of `dir` (ssh_host_*_key and its .pub, e.g. a
 * user's own rsa key next to ours) as /etc/ssh/NAME (0600) and NAME.pub
 * (0644), root-owned, with `mtime`.  Replaces package files there.  Error
 * when there is none, or a key lacks its .pub, or a file is no key. */
int md_sshkeys_add_host_keys(md_tree *t, const char *dir, int64_t mtime, md_err *err);

/* Write /root/.ssh/authorized_keys (0600; /root and /root/.ssh 0700) from
 * the public-key files `files`, in order, each line checked to be an
 * OpenSSH public key (options allowed) and each file to hold at least one.
 * A private key given by mistake is named as such.  No files: nothing is
 * added (sshd then warns at boot that nobody can log in). */
int md_sshkeys_add_authorized(md_tree *t, const md_strv *files, int64_t mtime, md_err *err);

#endif
