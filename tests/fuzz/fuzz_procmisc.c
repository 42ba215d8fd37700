/* /proc/misc as xen-dom0-setup reads it in the dom0 (src/dom0/procmisc.h). */
#include "fuzz.h"
#include "procmisc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_str(data, size);
    d0_misc m;
    d0_misc_parse(text, &m);
    (void)d0_misc_find(&m, "privcmd");
    d0_misc_free(&m);
    free(text);
    return 0;
}
