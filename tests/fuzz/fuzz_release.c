/* The signed text of an InRelease/Release (its SHA256 list, Suite,
 * Codename, Valid-Until, Acquire-By-Hash) and gpgv's status lines, as
 * md_repo_load reads them after verification.  Those readers are private to
 * packages/repo_load.c, so this target compiles that file into itself; the
 * linker then takes none of it from libmkdom0.a. */
#include "fuzz.h"
#include "packages/repo_load.c"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fz_str(data, size);
    release rel;
    md_err e = MD_ERR_INIT;
    if (parse_release("InRelease", text, &rel, &e) == 0) {
        (void)check_valid_until("InRelease", &rel, &e);
        (void)release_find(&rel, "main/binary-amd64/Packages.xz");
    }
    release_free(&rel);
    (void)status_has(text, "VALIDSIG");
    (void)last_verdict(text); /* cuts text at a line end: last */
    free(text);
    return 0;
}
