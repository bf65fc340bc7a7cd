/*
 * lex.c - the scanner's bookkeeping: delimiter balance and lexical errors.
 *
 * Kept out of grammar/lexer.l so the scanner stays a list of patterns.
 * Tracking delimiters here lets an unbalanced brace be reported at the
 * brace that is never closed, instead of as a puzzling error at the end
 * of the file. Trivia mode's bookkeeping is here too, and the two
 * drivers that run the scanner without the parser.
 */
#include "lex.h"

#include <string.h>

#include "arena.h"
#include "diag.h"
#include "parser.h"

/* flex's header names the bison types without the api.prefix. */
#define YYSTYPE SGC_YYSTYPE
#define YYLTYPE SGC_YYLTYPE
#include "lexer.h"

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

/* The code point of the UTF-8 sequence at s[0..n), or UINT32_MAX if it is not one. */
static uint32_t decode_utf8(const char *s, uint32_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t len = n ? src_utf8_length(s, n) : 0;
	switch (len) {
	case 1: return u[0];
	case 2: return (uint32_t)(u[0] & 0x1F) << 6 | (u[1] & 0x3F);
	case 3: return (uint32_t)(u[0] & 0x0F) << 12 | (uint32_t)(u[1] & 0x3F) << 6 | (u[2] & 0x3F);
	case 4: return (uint32_t)(u[0] & 0x07) << 18 | (uint32_t)(u[1] & 0x3F) << 12 |
		       (uint32_t)(u[2] & 0x3F) << 6 | (u[3] & 0x3F);
	}
	return UINT32_MAX;
}

/*
 * A control character's name, for messages: the character itself would be
 * invisible, or act on the terminal that prints the message.
 */
static const char *control_name(uint32_t c)
{
	static const char *const c0[32] = {
		"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL",
		"BS", "tab", "line feed", "VT", "FF", "carriage return", "SO", "SI",
		"DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB",
		"CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
	};
	return c < 32 ? c0[c] : c == 0x7F ? "DEL" : NULL;
}

/* U+0000 to U+001F, U+007F and U+0080 to U+009F. */
static bool is_control(uint32_t c)
{
	return c < 0x20 || (c >= 0x7F && c <= 0x9F);
}

void lex_bad_char(struct lex_state *ls, struct span span, const char *text)
{
	uint32_t n = span.hi - span.lo; /* the text may be a NUL byte */
	uint32_t c = decode_utf8(text, n ? n : 1);
	const char *name = control_name(c);
	if (c == UINT32_MAX)
		diag_add(ls->diags, DIAG_E0103, span, "unexpected byte 0x%02X",
			 (unsigned char)text[0]);
	else if (c >= 0x20 && c < 0x7f)
		diag_add(ls->diags, DIAG_E0103, span, "unexpected character `%c`", (int)c);
	else if (name)
		diag_add(ls->diags, DIAG_E0103, span,
			 "unexpected control character U+%04X (%s)", c, name);
	else if (is_control(c))
		diag_add(ls->diags, DIAG_E0103, span,
			 "unexpected control character U+%04X", c);
	else
		/* The code point too: `\u00A0` or `\u200B` print as nothing visible. */
		diag_add(ls->diags, DIAG_E0103, span, "unexpected character `%s` (U+%04X)",
			 text, c);
}

void lex_bom(struct lex_state *ls, struct span span)
{
	struct diag *d = diag_add(ls->diags, DIAG_E0103, span,
				  "unexpected byte order mark U+FEFF");
	diag_label(ls->diags, d, "invisible in most editors");
	diag_help(ls->diags, d,
		  "delete it: a byte order mark is only allowed as the first character of a file");
}

/*
 * Control characters inside a string literal: a NUL would cut the value
 * short, and the others are invisible in an editor yet reach templates,
 * scripts and terminals. The first one is reported; the string is still
 * a string for the parser, so one bad character makes one error.
 */
void lex_string(struct lex_state *ls, struct span span, const char *text, uint32_t len)
{
	uint32_t first = len, count = 0, width = 1;
	for (uint32_t i = 0; i < len; i++) {
		unsigned char b = (unsigned char)text[i];
		uint32_t w = b == 0xC2 && i + 1 < len && (unsigned char)text[i + 1] <= 0x9F ? 2 : 1;
		uint32_t c = w == 2 ? (unsigned char)text[i + 1] : b;
		if (!is_control(c) || (w == 1 && c >= 0x80))
			continue;
		if (count++ == 0) {
			first = i;
			width = w;
		}
		i += w - 1;
	}
	if (count == 0)
		return;
	uint32_t c = width == 2 ? (unsigned char)text[first + 1] : (unsigned char)text[first];
	struct span at = { span.file, span.lo + first, span.lo + first + width };
	const char *name = control_name(c);
	struct diag *d = name
		? diag_add(ls->diags, DIAG_E0103, at,
			   "control character U+%04X (%s) in a string", c, name)
		: diag_add(ls->diags, DIAG_E0103, at,
			   "control character U+%04X in a string", c);
	if (count > 1)
		diag_label(ls->diags, d, "and %u more in this string", count - 1);
	if (c == '\t' || c == '\r')
		diag_help(ls->diags, d, "write it as the escape `\\%c`", c == '\t' ? 't' : 'r');
	else
		diag_help(ls->diags, d, "remove it: strings cannot hold control characters");
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

size_t lex_bom_length(const char *text, size_t len)
{
	return len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
}

/* ---- trivia mode --------------------------------------------------------- */

void lex_trivia_init(struct lex_state *ls, struct ast_trivia *out)
{
	*out = (struct ast_trivia){ 0 };
	ls->trivia = out;
	ls->tokens_cap = ls->comments_cap = 0;
	ls->line = 1;
	ls->blank = ls->started = false;
	ls->last = -1;
	ls->pending = 0;
}

/* Room for one more element in an arena array of *cap elements of `size`. */
static void *grow(struct arena *a, void *v, uint32_t n, uint32_t *cap, size_t size)
{
	if (n < *cap)
		return v;
	uint32_t c = *cap ? *cap * 2 : 64;
	void *nv = arena_calloc(a, c, size);
	if (n)
		memcpy(nv, v, n * size);
	*cap = c;
	return nv;
}

void lex_keep(struct lex_state *ls, int kind, struct token t)
{
	struct ast_trivia *tv = ls->trivia;
	tv->tokens = grow(ls->arena, tv->tokens, tv->ntokens, &ls->tokens_cap, sizeof *tv->tokens);
	struct ast_token *k = &tv->tokens[tv->ntokens];
	*k = (struct ast_token){
		.kind = kind, .text = t.text, .len = t.len, .span = t.span,
		.line = ls->line, .lead = tv->ncomments, .trail = -1,
	};
	/* `;` separates, nothing more: comments and blank lines pass it by. */
	if (kind == SEMI) {
		tv->ntokens++;
		return;
	}
	k->blank_before = ls->started && ls->blank;
	k->lead = tv->ncomments - ls->pending;
	k->nlead = ls->pending;
	ls->blank = false;
	ls->started = true;
	ls->pending = 0;
	ls->last = (int32_t)tv->ntokens++;
}

/* A run of blanks: count its lines; two newlines in it make a blank line. */
void lex_blanks(struct lex_state *ls, struct span span)
{
	uint32_t newlines = 0;
	for (uint32_t i = span.lo; i < span.hi; i++)
		newlines += ls->text[i] == '\n';
	ls->line += newlines;
	if (newlines >= 2)
		ls->blank = true;
}

void lex_comment(struct lex_state *ls, struct span span)
{
	struct ast_trivia *tv = ls->trivia;
	const char *s = ls->text + span.lo;
	uint32_t len = span.hi - span.lo;
	while (len > 1 && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r'))
		len--;
	tv->comments = grow(ls->arena, tv->comments, tv->ncomments, &ls->comments_cap,
			    sizeof *tv->comments);
	uint32_t i = tv->ncomments++;
	tv->comments[i] = (struct ast_comment){
		.text = s, .len = len, .span = span, .line = ls->line,
		.blank_before = ls->started && ls->blank,
	};
	ls->blank = false;
	ls->started = true;
	struct ast_token *last = ls->last >= 0 ? &tv->tokens[ls->last] : NULL;
	if (last && last->line == ls->line && last->trail < 0 && ls->pending == 0) {
		last->trail = (int32_t)i;
		tv->comments[i].blank_before = false;
	} else {
		ls->pending++;
	}
}

/* ---- the scanner without the parser -------------------------------------- */

void lex_scan_file(struct arena *a, struct diag_sink *diags, const struct src_map *m,
		   uint32_t file, struct ast_trivia *out)
{
	const struct src_file *f = src_get(m, file);
	struct lex_state ls = {
		.arena = a, .diags = diags, .file = file, .text = f->text, .len = f->len,
	};
	lex_trivia_init(&ls, out);
	yyscan_t scanner;
	if (sgc_yylex_init_extra(&ls, &scanner) != 0)
		return;
	YY_BUFFER_STATE buf = sgc_yy_scan_bytes(f->text, (int)f->len, scanner);
	SGC_YYSTYPE val;
	SGC_YYLTYPE loc = { file, 0, 0 };
	while (sgc_yylex(&val, &loc, scanner) != END)
		continue;
	sgc_yy_delete_buffer(buf, scanner);
	sgc_yylex_destroy(scanner);
}

int lex_first_token(struct arena *a, const char *text, size_t len, uint32_t *token_len)
{
	struct diag_sink diags;
	diag_sink_init(&diags, a);
	struct lex_state ls = { .arena = a, .diags = &diags, .text = text, .len = (uint32_t)len };
	*token_len = 0;
	yyscan_t scanner;
	if (sgc_yylex_init_extra(&ls, &scanner) != 0)
		return END;
	YY_BUFFER_STATE buf = sgc_yy_scan_bytes(text, (int)len, scanner);
	SGC_YYSTYPE val;
	SGC_YYLTYPE loc = { 0, 0, 0 };
	int kind = sgc_yylex(&val, &loc, scanner);
	*token_len = loc.hi - loc.lo;
	sgc_yy_delete_buffer(buf, scanner);
	sgc_yylex_destroy(scanner);
	return kind;
}

const char *lex_token_name(int kind)
{
	switch ((sgc_yytoken_kind_t)kind) {
	case END: return "END";
	case IDENT: return "IDENT";
	case STRING: return "STRING";
	case INT: return "INT";
	case SIZE: return "SIZE";
	case DURATION: return "DURATION";
	case CIDR: return "CIDR";
	case INSTANCE: return "INSTANCE";
	case INVALID: return "INVALID";
	case IMPORT: return "IMPORT";
	case PARAM: return "PARAM";
	case TRUE: return "TRUE";
	case FALSE: return "FALSE";
	case LBRACE: return "LBRACE";
	case RBRACE: return "RBRACE";
	case LBRACK: return "LBRACK";
	case RBRACK: return "RBRACK";
	case LPAREN: return "LPAREN";
	case RPAREN: return "RPAREN";
	case EQ: return "EQ";
	case COLON: return "COLON";
	case COMMA: return "COMMA";
	case DOT: return "DOT";
	case PLUS: return "PLUS";
	case MINUS: return "MINUS";
	case SEMI: return "SEMI";
	case SGC_YYEMPTY:
	case SGC_YYerror:
	case SGC_YYUNDEF:
		break;
	}
	return "?";
}
