/*
 * lex.c - the scanner's bookkeeping: delimiter balance and lexical errors.
 *
 * Kept out of grammar/lexer.l so the scanner stays a list of patterns.
 * Tracking delimiters here lets an unbalanced brace be reported at the
 * brace that is never closed, instead of as a puzzling error at the end
 * of the file.
 */
#include "lex.h"

#include <string.h>

#include "arena.h"
#include "diag.h"

static char closer_of(char open)
{
	return open == '{' ? '}' : open == '[' ? ']' : ')';
}

void lex_open(struct lex_state *ls, char ch, struct span span)
{
	if (ls->depth == ls->cap) {
		uint32_t cap = ls->cap ? ls->cap * 2 : 16;
		struct lex_delim *stack = arena_calloc(ls->arena, cap, sizeof *stack);
		if (ls->depth)
			memcpy(stack, ls->stack, ls->depth * sizeof *stack);
		ls->stack = stack;
		ls->cap = cap;
	}
	ls->stack[ls->depth++] = (struct lex_delim){ ch, span };
}

/* Net count of `ch` closers after `from`, skipping strings and comments. */
static uint32_t remaining_closers(const struct lex_state *ls, uint32_t from, char ch)
{
	char open = ch == '}' ? '{' : ch == ']' ? '[' : '(';
	int64_t net = 0;
	for (uint32_t i = from; i < ls->len; i++) {
		char c = ls->text[i];
		if (c == '"') {
			for (i++; i < ls->len && ls->text[i] != '"' && ls->text[i] != '\n'; i++)
				if (ls->text[i] == '\\')
					i++;
		} else if (c == '#' || (c == '/' && i + 1 < ls->len && ls->text[i + 1] == '/')) {
			while (i < ls->len && ls->text[i] != '\n')
				i++;
		} else if (c == ch) {
			net++;
		} else if (c == open) {
			net--;
		}
	}
	return net > 0 ? (uint32_t)net : 0;
}

char lex_close(struct lex_state *ls, char ch, struct span span)
{
	if (ls->depth == 0) {
		struct diag *d = diag_add(ls->diags, DIAG_E0106, span,
					  "unexpected closing delimiter `%c`", ch);
		diag_label(ls->diags, d, "no `%c` is open here",
			   ch == '}' ? '{' : ch == ']' ? '[' : '(');
		return 0;
	}
	struct lex_delim top = ls->stack[ls->depth - 1];
	if (closer_of(top.ch) == ch) {
		ls->depth--;
		return 0;
	}
	/* Report once, even though the closer is scanned again. */
	if (ls->mismatch_at != span.lo + 1) {
		ls->mismatch_at = span.lo + 1;
		struct diag *d = diag_add(ls->diags, DIAG_E0106, span,
					  "mismatched closing delimiter `%c`", ch);
		diag_label(ls->diags, d, "expected `%c`", closer_of(top.ch));
		diag_secondary(ls->diags, d, top.span, "unclosed `%c` opened here", top.ch);
	}
	/*
	 * `[1, 2, )]`: the `)` is stray when the expected closer follows and
	 * the rest of the file still closes everything open; the parser then
	 * recovers at the `]`.
	 */
	uint32_t next = span.hi;
	while (next < ls->len && strchr(" \t\r\n", ls->text[next]))
		next++;
	uint32_t open_same = 0;
	for (uint32_t i = 0; i < ls->depth; i++)
		if (ls->stack[i].ch == top.ch)
			open_same++;
	if (next < ls->len && ls->text[next] == closer_of(top.ch) &&
	    remaining_closers(ls, span.hi, closer_of(top.ch)) >= open_same)
		return 0;
	uint32_t outer = 0;
	for (uint32_t i = 0; i + 1 < ls->depth; i++)
		if (closer_of(ls->stack[i].ch) == ch)
			outer++;
	ls->depth--;
	/*
	 * `[a, b}` is a typo for `]` when the rest of the file still closes the
	 * outer blocks; when it does not, the `}` closes an outer block and the
	 * `]` was forgotten: close the `[` and scan the `}` again.
	 */
	if (outer > 0 && remaining_closers(ls, span.hi, ch) < outer)
		return closer_of(top.ch);
	return (char)-closer_of(top.ch);
}

void lex_end(struct lex_state *ls, struct span eof)
{
	if (ls->depth == 0 || ls->unclosed_reported)
		return;
	/* The innermost unclosed delimiter is almost always the culprit. */
	struct lex_delim top = ls->stack[ls->depth - 1];
	/* Point at the last line, not at the empty one after the final newline. */
	if (eof.lo > 0 && ls->text[eof.lo - 1] == '\n')
		eof.lo = eof.hi = eof.lo - 1;
	struct diag *d = diag_add(ls->diags, DIAG_E0105, top.span,
				  "unclosed delimiter `%c`", top.ch);
	diag_label(ls->diags, d, "this `%c` is never closed", top.ch);
	diag_secondary(ls->diags, d, eof, "the file ends here");
	diag_help(ls->diags, d, "add `%c` where the %s ends", closer_of(top.ch),
		  top.ch == '{' ? "block" : top.ch == '[' ? "list" : "parenthesis");
	ls->unclosed_reported = true;
}

void lex_bad_literal(struct lex_state *ls, struct span span, const char *text)
{
	struct diag *d = diag_add(ls->diags, DIAG_E0104, span,
				  "malformed literal `%s`", text);
	if (strchr(text, '/') || strchr(text, '.'))
		diag_help(ls->diags, d,
			  "a CIDR block is four numbers and a prefix, like `10.0.1.0/24`");
	else
		diag_help(ls->diags, d,
			  "numbers are plain digits; sizes take a unit (`50 GB`), durations a suffix (`12h`)");
}

void lex_bad_char(struct lex_state *ls, struct span span, const char *text)
{
	unsigned char c = (unsigned char)text[0];
	if (c >= 0x20 && c < 0x7f)
		diag_add(ls->diags, DIAG_E0103, span, "unexpected character `%c`", c);
	else if (c >= 0x80)
		diag_add(ls->diags, DIAG_E0103, span, "unexpected character `%s`",
			 text);
	else
		diag_add(ls->diags, DIAG_E0103, span,
			 "unexpected control character U+%04X", c);
}

void lex_unterminated(struct lex_state *ls, struct span span)
{
	struct span quote = { span.file, span.lo, span.lo + 1 };
	struct diag *d = diag_add(ls->diags, DIAG_E0101, quote,
				  "unterminated string");
	diag_label(ls->diags, d, "this string is never closed");
	diag_help(ls->diags, d,
		  "close it with `\"` on the same line; strings cannot span lines");
}
