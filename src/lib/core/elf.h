/* elf — bounds-checked reads of a 64-bit little-endian ELF file held in
 * memory: its sections (by name or type), their symbol and string tables,
 * its program headers and its DT_SONAME.  Every offset is checked against
 * the buffer, so a damaged or hostile file gives "not found" or an error,
 * never a read outside it.  Nothing is allocated; the caller owns the
 * buffer, which must outlive the md_elf view.  Prefix md_elf_.
 * Layouts: the System V gABI, "ELF-64 Object File Format" (Elf64_Ehdr,
 * Elf64_Shdr, Elf64_Sym, Elf64_Dyn, Elf64_Phdr).
 *
 * Why not a library: libelf (elfutils) copies or maps sections and wants a
 * file descriptor or its own memory image per file; the callers walk
 * thousands of kernel modules and packages already in memory and need
 * three small reads each. */
#ifndef MD_CORE_ELF_H
#define MD_CORE_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "core/err.h"

/* A view of one ELF file; fields are the reader's, read them only through
 * the functions below. */
typedef struct md_elf {
    const unsigned char *d;
    size_t len;
    uint64_t shoff, phoff;
    unsigned shnum, shstrndx, phnum, phentsize;
} md_elf;

/* One section header (Elf64_Shdr's fields that the callers use). */
typedef struct md_elf_sect {
    uint32_t name, type, link;
    uint64_t off, size; /* bytes; off + size lies inside the buffer */
} md_elf_sect;

#define MD_ELF_SHT_SYMTAB 2u
#define MD_ELF_SHT_DYNAMIC 6u

/* Open `len` bytes at `d` as a 64-bit little-endian ELF file with a
 * well-formed section header table.  Errors name `name`: not ELF, another
 * class or byte order, a table outside the file. */
int md_elf_open(md_elf *e, const char *name, const unsigned char *d, size_t len, md_err *err);
/* True when the bytes begin with the ELF magic (of any class). */
bool md_elf_is(const unsigned char *d, size_t len);
/* e_machine of a little-endian ELF file of either class (x86 Xen's xen.gz
 * is a 32-bit ELF, EM_386, that mkelf32 wraps around the 64-bit code);
 * 0 when the header is no ELF header of that kind (a wrong class or byte
 * order, e_version not 1). */
#define MD_ELF_EM_386 3u
#define MD_ELF_EM_X86_64 62u
#define MD_ELF_EM_ARM 40u
#define MD_ELF_EM_AARCH64 183u
unsigned md_elf_machine(const unsigned char *d, size_t len);
/* Whether an ELF image (either class, little-endian) is whole: its
 * program header table, each segment's file bytes (p_offset + p_filesz,
 * which a loader copies: Xen's elf_load_binary(), the kernel's
 * load_elf_binary()) and its section header table lie within its `filelen`
 * bytes.  `d` holds its first `len` bytes (len <= filelen: a caller that
 * keeps only the head of a decompressed stream); program headers past `len`
 * are not read.  0: whole, or no ELF header of that kind (nothing to say);
 * -1 with the error "NAME: ..." saying which table or segment runs past the
 * end and by how much. */
int md_elf_check_whole(const unsigned char *d, size_t len, uint64_t filelen, const char *name,
                       md_err *err);
/* The section named `name` (from the section-name string table); false when
 * absent, SHT_NOBITS or out of bounds. */
bool md_elf_section(const md_elf *e, const char *name, md_elf_sect *out);
/* Calls fn for each Elf64_Sym of the SHT_SYMTAB section (skipping the null
 * symbol) with its name (never NULL) and st_shndx; stops when fn returns
 * false.  Returns the number of symbols visited. */
size_t md_elf_symbols(const md_elf *e, bool (*fn)(void *ctx, const char *name, uint16_t shndx),
                      void *ctx);
/* True when no program header is PT_INTERP (a static executable, which
 * runs with no dynamic loader in the tree).  False also without program
 * headers. */
bool md_elf_is_static(const md_elf *e);
/* The PT_INTERP program header's path (the dynamic loader the kernel
 * starts the program with), copied into out (cap bytes with the NUL);
 * false when there is none, it is out of bounds or does not fit. */
bool md_elf_interp(const md_elf *e, char *out, size_t cap);
/* DT_SONAME of the SHT_DYNAMIC section, copied into out (cap bytes with the
 * NUL); false when there is none or it does not fit. */
bool md_elf_soname(const md_elf *e, char *out, size_t cap);
#define MD_ELF_DT_NEEDED 1u
#define MD_ELF_DT_RPATH 15u
#define MD_ELF_DT_RUNPATH 29u
/* Calls fn with the string of each entry of the SHT_DYNAMIC section whose
 * d_tag is `tag` (MD_ELF_DT_NEEDED: the libraries the file links, in
 * order); entries whose string is out of bounds are skipped.  Stops when fn
 * returns false.  Returns the number of strings passed. */
size_t md_elf_dynamic_strings(const md_elf *e, uint64_t tag,
                              bool (*fn)(void *ctx, const char *s), void *ctx);

#endif
