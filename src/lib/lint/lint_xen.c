/* lint_xen — the hypervisor's release for trap 2, read by xenver from the
 * image itself (its embedded Kconfig; the file name only as a fallback). */
#include <stdlib.h>
#include "lint/lint_int.h"
#include "lint/xenver.h"
#include "core/mem.h"
#include "core/file.h"

char *md_lint_xen_version(const char *path, md_err *err)
{
    unsigned char *d;
    size_t len;
    if (md_read_file(path, &d, &len, err) < 0)
        return NULL;
    md_xen_version v;
    int r = md_xenver_hypervisor_image(d, len, path, &v, err);
    free(d);
    if (r < 0 || !v.found)
        return NULL;
    return md_xasprintf("%u.%u", v.major, v.minor);
}

char *md_lint_xenctrl_version(const unsigned char *data, size_t len, const char *path)
{
    md_xen_version v;
    md_err err = MD_ERR_INIT;
    if (md_xenver_libxenctrl(data, len, path, &v, &err) < 0 || !v.found)
        return NULL;
    return md_xasprintf("%u.%u", v.major, v.minor);
}
