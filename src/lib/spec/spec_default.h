/* The embedded bases (see spec.h: md_spec_base): the reference dom0 of the
 * design on Debian bookworm (the default) and its Debian trixie sibling.
 * Kept as INI text (not C data) so `mkdom0 inspect --default-spec` and
 * `--base-spec NAME` show users exactly what they would write themselves. */
#ifndef MD_SPEC_DEFAULT_H
#define MD_SPEC_DEFAULT_H
#include "spec/spec.h"
#endif
