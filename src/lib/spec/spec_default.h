/* The embedded default spec: the reference dom0 of the design on Debian
 * bookworm.  Kept as INI text (not C data) so `mkdom0 inspect --default-spec`
 * shows users exactly what they would write themselves. */
#ifndef MD_SPEC_DEFAULT_H
#define MD_SPEC_DEFAULT_H
const char *md_spec_default_text(void);
#endif
