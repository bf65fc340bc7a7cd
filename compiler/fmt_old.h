/*
 * fmt_old.h - the formatter as it was before it printed from the
 * compiler's syntax tree, with its own scanner and reader. Kept only until
 * the differential test (tests/fmtdiff) shows the new one (fmt.h) prints
 * the same bytes; then deleted.
 */
#ifndef SGC_FMT_OLD_H
#define SGC_FMT_OLD_H

#include <stddef.h>

struct arena;

const char *fmt_old_source(struct arena *a, const char *text, size_t len, size_t *out_len);

#endif
