/* The spec parser (spec/spec.h md_spec_parse) over arbitrary text.  The base
 * directory does not exist, so relative paths in it lead nowhere. */
#include "fuzz.h"
#include "spec/spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_str(data, size);
    md_err e = MD_ERR_INIT;
    md_spec *s = md_spec_parse(text, "fuzz.spec", "/nonexistent/mkdom0-fuzz", &e);
    md_spec_free(s);
    free(text);
    return 0;
}
