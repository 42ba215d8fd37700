/* spec — the image description: an INI file in the style of systemd/mkosi
 * configs, or the embedded default that builds the reference dom0.
 *
 * Format (see mkdom0(1) and docs/spec.md):
 *   [Image]  Name Base Compression CompressionLevel SourceDateEpoch Hosts
 *   [Repository NAME]  Type URL Suite Components Architecture Keyring Keys Priority
 *   [Packages]  Include Exclude Pin=PACKAGE=REPO Essential
 *   [Files]  Drop Keep Overlay=HOSTDIR Copy=HOSTFILE:/IMAGE/PATH
 *   [Modules]  Include
 *   [Xen]  Dom0Mem HostMemory Args HVM Microcode
 *   [Kernel]  Args
 *   [System]  Hostname RootPasswordHash Bridge Address Gateway
 *   [SSH]  AuthorizedKeys KeysDir
 *   [Guests]  Storage Autostart ShutdownTimeout
 *   [Boot]  Media SecureBootKey SecureBootCert
 *   [Host NAME]  MAC Hostname Address Gateway AuthorizedKeys
 * `Hosts=FILE` in [Image] reads FILE's [Host NAME] sections (nothing else
 * may be there) as if they stood in the spec at that line: errors name
 * FILE:LINE, relative paths are FILE's directory's.
 * List values are whitespace-separated and append; an empty assignment
 * ("Include=") clears the list so far.  `Base=NAME` in [Image] starts from
 * an embedded base (md_spec_base_find: default = debian-12, debian-13) and
 * applies the file on top of it.  Relative paths are
 * taken relative to the spec file's directory.  Unknown sections or keys are
 * errors naming file and line.
 *
 * Ownership: md_spec_load*() return a spec the caller frees with
 * md_spec_free(); every pointer an accessor returns belongs to the spec.
 */
#ifndef MD_SPEC_H
#define MD_SPEC_H

#include <stdbool.h>
#include <stdint.h>
#include "core/err.h"
#include "core/strv.h"

typedef struct md_spec md_spec;

/* Type= of a [Repository NAME]: what kind of archive its URL is. */
typedef enum md_spec_repo_type {
    MD_SPEC_REPO_DEB, /* Debian (the default): URL Suite Components Keyring */
    MD_SPEC_REPO_APK, /* Alpine: URL is one repository of a release, Keys= */
} md_spec_repo_type;

typedef struct md_spec_repo {
    const char *name;       /* section name, used by pins */
    const char *url;
    const char *suite;      /* Debian; NULL for Alpine */
    const md_strv *components; /* Debian; empty for Alpine */
    const char *arch;       /* default amd64 (Debian), x86_64 (Alpine) */
    const char *keyring;    /* Debian: absolute path; NULL for Alpine */
    int priority;           /* 0: default; higher wins over newer versions elsewhere */
    md_spec_repo_type type;
    const char *keys;       /* Alpine: trusted keys directory, absolute; NULL for Debian */
} md_spec_repo;

typedef struct md_spec_copy {
    const char *src;        /* absolute host path */
    const char *dest;       /* absolute image path */
} md_spec_copy;

typedef struct md_spec_pin {
    const char *package;
    const char *repo;
} md_spec_pin;

/* path NULL: the embedded default. */
md_spec *md_spec_load(const char *path, md_err *err);
/* Parse text; `origin` names it in messages, `basedir` anchors relative paths. */
md_spec *md_spec_parse(const char *text, const char *origin, const char *basedir, md_err *err);
void md_spec_free(md_spec *s);
/* The embedded default spec, as text (for `mkdom0 inspect --default-spec`):
 * the text of the first base. */
const char *md_spec_default_text(void);

/* An embedded base: `[Image] Base=NAME` starts from its text.  Static data. */
typedef struct md_spec_base {
    const char *name;  /* "debian-12", "debian-13" */
    const char *about; /* one line: release, Xen, kernel */
    const char *text;  /* the whole INI spec */
} md_spec_base;
/* In the order `mkdom0 inspect --bases` lists them; the first is the default. */
size_t md_spec_base_count(void);
const md_spec_base *md_spec_base_at(size_t i); /* NULL past the end */
/* By name; "default" names the first.  NULL when unknown. */
const md_spec_base *md_spec_base_find(const char *name);

const char *md_spec_origin(const md_spec *s);     /* file name or "<default>" */
const char *md_spec_name(const md_spec *s);
const char *md_spec_compression(const md_spec *s); /* gzip|zstd|xz|lz4|none */
int md_spec_compression_level(const md_spec *s);   /* -1: codec default */
/* SourceDateEpoch, or -1 when unset (then derived from the inputs). */
int64_t md_spec_source_date_epoch(const md_spec *s);
/* The latest SourceDateEpoch (and SOURCE_DATE_EPOCH) an image can have: a
 * newc cpio keeps each mtime in 8 hex digits (the kernel's
 * usr/gen_init_cpio.c, Documentation/driver-api/early-userspace/
 * buffer-format.rst), so a later one could only be cut short. */
#define MD_SPEC_SOURCE_DATE_EPOCH_MAX 0xffffffffLL
/* `v` as such a time: decimal digits only (no sign, no space), 0 to
 * MD_SPEC_SOURCE_DATE_EPOCH_MAX.  The one rule for SourceDateEpoch= and the
 * SOURCE_DATE_EPOCH variable (reproducible-builds.org: a malformed value is
 * an error).  False, *out untouched, when it is not one. */
bool md_spec_epoch_parse(const char *v, int64_t *out);

size_t md_spec_repo_count(const md_spec *s);
/* A repository name ([Repository NAME]): one or more of A-Z a-z 0-9 . + - _ ~,
 * not "." or "..": it names the repository's files in the cache, so never a
 * path.  The one rule, for the spec and packages/repo.h. */
bool md_spec_repo_name_ok(const char *name);
const md_spec_repo *md_spec_repo_at(const md_spec *s, size_t i);
/* The distribution the image is made of: the Type= its repositories share
 * (a spec mixing them is refused).  What the build does differently for
 * Debian and Alpine (the dom0's service scripts, the packages named in
 * messages) is chosen by this one value. */
md_spec_repo_type md_spec_distribution(const md_spec *s);

const md_strv *md_spec_packages(const md_spec *s);
const md_strv *md_spec_excludes(const md_spec *s);
size_t md_spec_pin_count(const md_spec *s);
const md_spec_pin *md_spec_pin_at(const md_spec *s, size_t i);
/* "FILE:LINE" of pin i's Pin= line; the spec's. */
const char *md_spec_pin_origin(const md_spec *s, size_t i);
bool md_spec_essential(const md_spec *s);

const md_strv *md_spec_drop(const md_spec *s);     /* fnmatch patterns */
const md_strv *md_spec_keep(const md_spec *s);
const md_strv *md_spec_overlays(const md_spec *s); /* absolute host dirs */
size_t md_spec_copy_count(const md_spec *s);
const md_spec_copy *md_spec_copy_at(const md_spec *s, size_t i);

const md_strv *md_spec_modules(const md_spec *s);

/* Dom0Mem=: a size as md_size_parse_mib() takes it ("4096M"), checked at
 * parse time, or "auto": the build computes it from the image
 * (boot/dom0mem.h). */
const char *md_spec_dom0_mem(const md_spec *s);
bool md_spec_dom0_mem_auto(const md_spec *s);
/* [Xen] HostMemory=: the RAM of the hosts the image is for, in MiB, in the
 * order given; *n = 0 (and NULL) when the spec names none. */
const uint64_t *md_spec_host_memory(const md_spec *s, size_t *n);
const char *md_spec_xen_args(const md_spec *s);    /* extra Xen args, "" if none */
const char *md_spec_kernel_args(const md_spec *s); /* extra Linux args */
/* [Kernel] Modloop=: an Alpine modloop squashfs whose modules/KVER the
 * image's modules come from (image/modloop.h), absolute; NULL: none. */
const char *md_spec_modloop(const md_spec *s);
/* [Xen] HVM=yes: the image carries the device model for HVM guests.  The
 * spec's lists already hold what that takes: qemu-system-xen in
 * md_spec_packages() (and out of md_spec_excludes()), the packages and
 * files a headless device model does without in md_spec_excludes() and
 * md_spec_drop(). */
bool md_spec_hvm(const md_spec *s);
/* The package HVM=yes adds; its cost is what the size report names. */
#define MD_SPEC_DEVICE_MODEL "qemu-system-xen"

const char *md_spec_hostname(const md_spec *s);
/* The one rule for a host name ([System] Hostname=, a [Host NAME]'s NAME
 * and Hostname=, a hosts file's, `boot --host`): NULL when `name` is one,
 * else why not, a phrase for an error.  RFC 1123 section 2.1 (labels of 1
 * to 63 letters, digits and inner hyphens, joined by dots) and at most 64
 * bytes, Linux's HOST_NAME_MAX (sethostname(2) refuses more).
 * `one_label`: a [Host NAME]'s NAME, which names its files: one label. */
const char *md_spec_hostname_problem(const char *name, bool one_label);
const char *md_spec_root_password_hash(const md_spec *s); /* NULL: root locked */
const char *md_spec_bridge(const md_spec *s);      /* NULL: no bridge */
/* [System] GuestNetwork=route: guests' vifs get Xen's vif-route (a /32 route
 * per guest address, proxy ARP, forwarding) instead of a bridge; then
 * md_spec_bridge() is NULL and iproute2 is in md_spec_packages() (and out
 * of md_spec_excludes()): vif-route's `ip addr show primary` needs it. */
bool md_spec_routed(const md_spec *s);
/* The dom0's static IPv4 address "A.B.C.D/N" and default gateway (checked
 * at parse time); NULL: DHCP / no gateway. */
const char *md_spec_address(const md_spec *s);
const char *md_spec_gateway(const md_spec *s);

/* The guest storage the dom0 mounts at /var/lib/xen/storage: "LABEL=NAME"
 * or "UUID=..." (lower case), checked at parse time; NULL: none. */
const char *md_spec_guest_storage(const md_spec *s);
/* Guest configs (absolute host paths, distinct file names) for /etc/xen/auto. */
const md_strv *md_spec_autostart(const md_spec *s);
/* Seconds guests get to shut down at halt before they are destroyed (default 120). */
int md_spec_shutdown_timeout(const md_spec *s);

/* [Boot] Media=: boot media the build writes besides its files, as bits. */
#define MD_SPEC_MEDIA_ISO 1u     /* boot.iso: hybrid BIOS/UEFI ISO */
#define MD_SPEC_MEDIA_DISK 2u    /* disk.img: raw GPT disk, BIOS boot partition + ESP */
#define MD_SPEC_MEDIA_NETBOOT 4u /* netboot/: PXE tree (GRUB, iPXE, pxelinux) */
#define MD_SPEC_MEDIA_EFI 8u     /* efi/: Xen's own EFI loader: xen.efi, xen.cfg, the files */
#define MD_SPEC_MEDIA_UNIFIED 16u /* xen-unified.efi: xen.efi carrying xen.cfg, kernel, rootfs */
unsigned md_spec_media(const md_spec *s);
/* Add the media of `list` ("iso disk", "iso,netboot"; "none" clears what
 * came before it) to *bits.  Error naming an unknown word.  The one reader
 * of Media= and of `mkdom0 build --media`. */
int md_spec_media_parse(const char *list, unsigned *bits, md_err *err);
/* "iso", "disk", "netboot", "efi", "unified" for one bit (static). */
const char *md_spec_media_name(unsigned bit);
/* [Boot] SecureBootKey= and SecureBootCert=: the PEM private key and X.509
 * certificate sbsign signs xen-unified.efi with (absolute paths, readable
 * when the spec was read; both or neither); NULL: unsigned. */
const char *md_spec_secure_boot_key(const md_spec *s);
const char *md_spec_secure_boot_cert(const md_spec *s);

/* [Xen] Microcode=: early microcode for Xen (ucode=scan of an uncompressed
 * cpio in front of the rootfs), from Debian's non-free-firmware packages. */
#define MD_SPEC_UCODE_AMD 1u   /* amd64-microcode: kernel/x86/microcode/AuthenticAMD.bin */
#define MD_SPEC_UCODE_INTEL 2u /* intel-microcode: kernel/x86/microcode/GenuineIntel.bin */
unsigned md_spec_microcode(const md_spec *s);

const md_strv *md_spec_authorized_keys(const md_spec *s); /* host files */
/* NULL when the spec names none: the caller picks a per-user default. */
const char *md_spec_keys_dir(const md_spec *s);

/* [Host NAME]: one host of the image's fleet.  All hosts boot the same
 * rootfs; each gets its own identity (host name, ssh host keys, address,
 * more authorized keys) from a small archive of its own that the netboot
 * tree appends to the rootfs and selects by the host's MAC. */
typedef struct md_spec_host {
    const char *name;      /* NAME: one RFC 1123 label; names the host's files */
    const char *mac;       /* "52:54:00:12:34:56": lower case, ':' (checked) */
    const char *hostname;  /* Hostname=, default NAME */
    const char *address;   /* "A.B.C.D/N", or NULL: DHCP */
    const char *gateway;   /* NULL: none (checked against address) */
    const md_strv *authorized_keys; /* absolute host paths, beyond [SSH]'s */
    const char *at;        /* "FILE:LINE" of the section's first key */
} md_spec_host;
/* In the order of their sections; MACs and host names are distinct. */
size_t md_spec_host_count(const md_spec *s);
const md_spec_host *md_spec_host_at(const md_spec *s, size_t i);

/* "FILE:LINE" of the line that last set `key` in [section] ("Xen",
 * "Args"), for a value the spec cannot check itself (the boot entry's
 * arguments, checked by boot/bootcfg.h); the spec's origin when no line
 * set it. */
const char *md_spec_key_at(const md_spec *s, const char *section, const char *key);

#endif
