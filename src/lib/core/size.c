/* size — memory sizes as people write them. */
#include "core/size.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int md_size_parse_mib(const char *s, uint64_t *mib, md_err *err)
{
    if (!s || !*s)
        return md_err_set(err, "empty size (write e.g. 4096M or 4G)");
    if (strchr(s, ',') || strstr(s, "max:"))
        return md_err_set(err, "'%s': give one size such as 4096M (for dom0, mkdom0 "
                               "writes dom0_mem=X,max:X itself: trap 4)", s);
    const char *p = s;
    while (isspace((unsigned char)*p))
        p++;
    if (!isdigit((unsigned char)*p))
        return md_err_set(err, "'%s': not a size (write e.g. 4096M or 4G)", s);
    errno = 0;
    char *end;
    unsigned long long v = strtoull(p, &end, 10);
    if (errno == ERANGE)
        return md_err_set(err, "'%s': number too large", s);
    int shift; /* log2 of the unit in KiB */
    switch (toupper((unsigned char)*end)) {
    case 'K': shift = 0; break;
    case 'M': shift = 10; break;
    case 'G': shift = 20; break;
    case 'T': shift = 30; break;
    case '\0':
        return md_err_set(err, "'%s': no unit; write e.g. %lluM for MiB", s, v);
    default:
        return md_err_set(err, "'%s': unknown unit '%c' (use K, M, G or T)", s, *end);
    }
    end++;
    if (!strcasecmp(end, "iB") || !strcasecmp(end, "B"))
        end += strlen(end);
    while (isspace((unsigned char)*end))
        end++;
    if (*end)
        return md_err_set(err, "'%s': unexpected '%s' after the size", s, end);
    if (v > (MD_SIZE_MIB_MAX << 10) >> shift)
        return md_err_set(err, "'%s': more than 64 TiB", s);
    uint64_t kib = (uint64_t)v << shift;
    if (kib % 1024)
        return md_err_set(err, "'%s': not a whole number of MiB", s);
    uint64_t m = kib / 1024;
    if (m == 0)
        return md_err_set(err, "'%s': zero", s);
    if (m < MD_SIZE_MIB_MIN)
        return md_err_set(err, "'%s': below %lluM, too small for a dom0 kernel "
                               "and its initramfs", s, MD_SIZE_MIB_MIN);
    *mib = m;
    return 0;
}

int md_size_env(const char *name, uint64_t min, uint64_t max, uint64_t dflt, uint64_t *out,
                md_err *err)
{
    const char *e = getenv(name);
    *out = dflt;
    if (!e || !*e)
        return 0;
    uint64_t v;
    if (md_size_parse_u64(e, max, &v) < 0 || v < min)
        return md_err_set(err, "%s=%s: expected a whole number from %llu to %llu (mkdom0(1), "
                               "ENVIRONMENT), or unset it for the default, %llu", name, e,
                          (unsigned long long)min, (unsigned long long)max,
                          (unsigned long long)dflt);
    *out = v;
    return 0;
}

int md_size_parse_u64(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || !*s)
        return -1;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned d = (unsigned)(*s - '0');
        if (v > (max - d) / 10) /* v * 10 + d > max, without overflowing */
            return -1;
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}
