/* Decompression with a cap (core/decomp.h): the whole input, and the head
 * of a stream embedded in a larger file, and the length of the first stream. */
#include "fuzz.h"
#include "core/decomp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *out = NULL;
    size_t n;
    md_err e = MD_ERR_INIT;
    if (md_decomp_buf("fuzz", data, size, 1u << 20, &out, &n, &e) == 0)
        free(out);
    md_err e2 = MD_ERR_INIT;
    out = NULL;
    if (md_decomp_head("fuzz", data, size, 4096, &out, &n, &e2) == 0)
        free(out);
    md_err e3 = MD_ERR_INIT;
    size_t used;
    md_decomp_stream_len("fuzz", data, size, 1u << 22, &used, NULL, &e3);
    return 0;
}
