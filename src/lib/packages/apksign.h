/* apksign — Alpine's trusted keys and the signatures of its v2 files (an
 * APKINDEX.tar.gz, a .apk).  Prefix: md_apksign_.
 *
 * Keys (apk-keys(5)): a directory of PEM RSA public keys named
 * "*.rsa.pub", as /etc/apk/keys holds them; a v2 signature names its key
 * by that file name, so the name is the key's identity here too.  Other
 * files in the directory (a SHA512SUMS) are not keys and are left alone.
 *
 * Signatures (apk-v2(5)): a v2 file is concatenated gzip members; the
 * first holds only tar entries ".SIGN.<ALG>.<keyname>", each an RSA
 * PKCS#1 v1.5 signature (ALG: RSA with SHA-1, RSA256 with SHA-256, RSA512
 * with SHA-512) over the compressed bytes that follow (for an index, all
 * of them; for a package, its control member, see apk.h).  One good
 * signature by a trusted key suffices (apk-v2(5)): the others, by keys not
 * trusted, in algorithms not checked (DSA) or not verifying, are passed
 * over.  When none verifies, the error gives each one's reason.
 *
 * Ownership: md_apksign_keys_load() returns a set the caller frees with
 * md_apksign_keys_free(); names it gives out live as long as the set.
 * Errors (status + md_err, nothing printed) name the file and the reason.
 */
#ifndef MD_APKSIGN_H
#define MD_APKSIGN_H

#include <stdbool.h>
#include <stddef.h>
#include "core/err.h"
#include "core/strv.h"

typedef struct md_apksign_keys md_apksign_keys;

/* Limits on what is read: keys per directory, bytes per key file, the
 * signature member's size decompressed, signatures in it and bytes per
 * signature (an RSA-16384 signature is 2 KiB). */
#define MD_APKSIGN_MAX_KEYS 1024
#define MD_APKSIGN_MAX_KEY_BYTES (64u << 10)
#define MD_APKSIGN_MAX_SIG_MEMBER (1u << 20)
#define MD_APKSIGN_MAX_SIGS 64
#define MD_APKSIGN_MAX_SIG_BYTES 4096u

/* Every "*.rsa.pub" in `dir`: each must be a regular file holding one PEM
 * RSA public key of at least 2048 bits, and a trusted input (core/file.h
 * md_file_check_trusted_input: root's or the caller's, others may not
 * write it, as written and as its links resolve).  Refused: a directory that cannot
 * be read or holds none, a key file that does not parse or is not RSA,
 * more than MD_APKSIGN_MAX_KEYS. */
md_apksign_keys *md_apksign_keys_load(const char *dir, md_err *err);
void md_apksign_keys_free(md_apksign_keys *k);

const char *md_apksign_keys_dir(const md_apksign_keys *k);
size_t md_apksign_keys_count(const md_apksign_keys *k);
/* The i-th key's file name ("alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub"),
 * in byte order. */
const char *md_apksign_keys_name(const md_apksign_keys *k, size_t i);

/* Verify the signature member `sig` (the compressed first gzip member,
 * `siglen` bytes) over `data` (`len` bytes).  `label` names the file in
 * errors.  On success *signer (may be NULL) is the trusting key's name
 * (owned by `k`).  Refused: a corrupt or truncated member (its CRC is
 * checked), an entry that is not a ".SIGN.*" regular file, no signature,
 * none by a trusted key ("signed by X, which is not in DIR"), none that
 * verifies ("the signature by X does not verify: altered or corrupt"). */
int md_apksign_verify(const md_apksign_keys *k, const char *label, const unsigned char *sig,
                      size_t siglen, const unsigned char *data, size_t len, const char **signer,
                      md_err *err);

/* apk-v2(5): a v2 file (an .apk, an APKINDEX.tar.gz) is gzip members and
 * nothing else; apk-tools reads each through its gunzip.  -1 with "LABEL:
 * WHAT is xz, not gzip (an apk v2 file is gzip members only, apk-v2(5))"
 * when `data` does not start with gzip's magic (trial 13x F4: a raw tar or
 * an xz data member, signed and hashed, was unpacked). */
int md_apksign_need_gzip(const char *label, const char *what, const unsigned char *data,
                         size_t len, md_err *err);

/* A modloop's (image/modloop.h) signature, as Alpine makes and checks it:
 * here, beside the other signature checks and their keys, so that the
 * image stage needs nothing of the packages stage.  alpine-conf's
 * update-kernel --modloopsign signs the finished squashfs with
 * `openssl dgst -sha1 -sign KEY -out MODLOOP.SIGN.RSA.KEYNAME MODLOOP`
 * (PKCS#1 v1.5 RSA over SHA-1 of the whole file, KEYNAME the public key's
 * file name, "alpine-devel@lists.alpinelinux.org-6165ee59.rsa.pub") and
 * hands the file to mkinitfs -s, which puts it in the initramfs at
 * /var/cache/misc/; initramfs-init copies it into the new root, and the
 * modloop is checked at boot only when it is there.  Here the signature
 * sits beside the modloop as update-kernel writes it: every
 * "BASENAME.SIGN.*" in the modloop's directory is a signature of it, and
 * each must verify with a key of one of the `nsets` key sets (an Alpine
 * repository's trusted keys, packages/apksign.h) — one that names a key
 * in none, or that does not verify, is refused with an error naming the
 * modloop.  None present: the modloop is unsigned, accepted as Alpine's
 * initramfs accepts it.  `path` may be a symlink: the file it leads to
 * (realpath) is the modloop, its directory and name are where the
 * signatures are looked for, and *resolved (may be NULL; malloc'd, the
 * caller frees) is set to it when the result is not -1, for the caller to
 * read what was verified.  Returns 1 (verified; each signer's key name,
 * without ".SIGN.ALG.", pushed to `signers`, may be NULL), 0 (unsigned),
 * -1 (refused). */
int md_apksign_verify_beside(const char *path, const md_apksign_keys *const *sets, size_t nsets,
                             md_strv *signers, char **resolved, md_err *err);

#endif
