/*
 * fmt.h - the formatter behind `sgc fmt`: one canonical layout for sgl.
 *
 * The formatter prints from the compiler's own syntax tree, parsed with
 * comments kept (parse_file_trivia), and never changes meaning: the
 * template built from formatted source is byte-identical. Formatting is
 * idempotent: fmt(fmt(x)) == fmt(x).
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

/*
 * `sgc fmt --tokens`: what the scanner reads in text[0..len), one token or
 * comment a line, `KIND LINE:COL TEXT` (the kinds of the grammar, COMMENT,
 * END last; columns in characters; text as written, control and invisible
 * characters escaped as diagnostics show them). Every token is listed even
 * when the text does not lex cleanly; *clean says whether it did (no
 * lexical error, well-formed UTF-8). The result is in the arena.
 */
const char *fmt_tokens(struct arena *a, const char *text, size_t len, size_t *out_len,
		       bool *clean);

#endif
