/*
 * fmt.h - the formatter behind `sgc fmt`: one canonical layout for sgl.
 *
 * Formatting works on the token stream with comments kept, so it never
 * changes meaning: the template built from formatted source is
 * byte-identical. Formatting is idempotent: fmt(fmt(x)) == fmt(x).
 */
#ifndef SGC_FMT_H
#define SGC_FMT_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/*
 * Format text[0..len). On success returns the formatted text (in the
 * arena) and sets *out_len. Returns NULL when the text does not lex or
 * parse; the caller reports that with `sgc check`.
 */
const char *fmt_source(struct arena *a, const char *text, size_t len,
		       size_t *out_len);

#endif
