/* lint_xen — the hypervisor release for trap 2.
 *
 * Interim: the release from the file name ("xen-4.17-amd64.gz"); the xenver
 * module replaces this with the version inside the image. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "lint_int.h"

char *md_lint_xen_version(const char *path, md_err *err)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        md_err_errno(err, "%s: cannot open", path);
        return NULL;
    }
    const char *b = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    const char *v = strpbrk(b, "0123456789");
    if (!v)
        return NULL;
    size_t a = strspn(v, "0123456789");
    if (v[a] != '.' || !strspn(v + a + 1, "0123456789"))
        return NULL;
    return md_xasprintf("%.*s", (int)(a + 1 + strspn(v + a + 1, "0123456789")), v);
}
