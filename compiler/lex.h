/*
 * lex.h - state of the reentrant flex scanner (grammar/lexer.l).
 *
 * Everything the scanner needs lives here and reaches it through yyextra:
 * the running byte offset that becomes each token's span, the arena that
 * lexemes are copied into, the diagnostics sink, and the stack of open
 * delimiters used to report an unbalanced brace at the brace itself.
 *
 * Trivia mode, for the formatter and `sgc fmt --tokens`: with `trivia` set,
 * the same scanner also keeps every token with its line, every comment
 * and where the blank lines were, and attaches each comment to a token
 * (struct ast_trivia in ast.h says how). Off, it costs one test per token.
 */
#ifndef SGC_LEX_H
#define SGC_LEX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ast.h"
#include "src.h"

struct arena;
struct diag_sink;

struct lex_delim {
	char ch;          /* '{', '[' or '(' */
	struct span span;
};

struct lex_state {
	struct arena *arena;
	struct diag_sink *diags;
	uint32_t file;
	const char *text;        /* the file being scanned */
	uint32_t len;
	uint32_t offset;         /* bytes consumed so far */
	struct lex_delim *stack; /* open delimiters, innermost last */
	uint32_t depth, cap;
	bool unclosed_reported;  /* the parser's end-of-file error is redundant */
	uint32_t mismatch_at;    /* offset+1 of the closer already reported */

	/* Trivia mode: NULL when off. */
	struct ast_trivia *trivia;
	uint32_t tokens_cap, comments_cap;
	uint32_t line;           /* 1-based line of the scan position */
	bool blank;              /* a blank line since the last token or comment */
	bool started;            /* a token or comment was kept (`;` aside) */
	int32_t last;            /* the last token kept other than `;`, or -1 */
	uint32_t pending;        /* own-line comments waiting for the next token */
};

/* Start trivia mode on a fresh state: keep into *out (emptied). */
void lex_trivia_init(struct lex_state *ls, struct ast_trivia *out);

/* Bookkeeping called from the scanner's actions (lex.c). */
void lex_open(struct lex_state *ls, char ch, struct span span);
/*
 * Account for a closing delimiter. Returns 0 when `ch` closes what is
 * open, or the closer the scanner should hand the parser instead: for
 * `[1, 2}` it returns ']' (the `}` is then scanned again to close the
 * block), and for a `}` that closes nothing open it returns the closer of
 * what is, so one typo makes one diagnostic and the parse stays in step.
 */
char lex_close(struct lex_state *ls, char ch, struct span span);
void lex_end(struct lex_state *ls, struct span eof);
void lex_bad_literal(struct lex_state *ls, struct span span, const char *text);
void lex_bad_char(struct lex_state *ls, struct span span, const char *text);
void lex_unterminated(struct lex_state *ls, struct span span);
/* A byte order mark after the start of the file (the first one is skipped). */
void lex_bom(struct lex_state *ls, struct span span);
/* Check a string literal's raw text (quotes included) for control characters. */
void lex_string(struct lex_state *ls, struct span span, const char *text, uint32_t len);
/* Trivia mode only: a token as it is returned (`kind`: parser.h), blanks, a comment. */
void lex_keep(struct lex_state *ls, int kind, struct token t);
void lex_blanks(struct lex_state *ls, struct span span);
void lex_comment(struct lex_state *ls, struct span span);

/*
 * Length of the UTF-8 byte order mark `text` starts with (3), or 0. It is
 * skipped before a file is scanned, as most compilers do, so that it neither
 * counts as a column nor shows up in the line a diagnostic echoes.
 */
size_t lex_bom_length(const char *text, size_t len);

/*
 * Scan file `file` of `m` alone, without the parser, in trivia mode: every
 * token the parser would be given, in order, end of file included, and
 * every comment. Lexical errors go to `diags`. For `sgc fmt --tokens`.
 */
void lex_scan_file(struct arena *a, struct diag_sink *diags, const struct src_map *m,
		   uint32_t file, struct ast_trivia *out);

/*
 * The kind (parser.h) and length in bytes of the first token of text[0..len)
 * (not blank): how the scanner would read tokens printed side by side. The
 * formatter asks it before it puts two tokens together (`ml` `.` `t3`...).
 */
int lex_first_token(struct arena *a, const char *text, size_t len, uint32_t *token_len);

/* The name of token kind `kind` in the grammar: `IDENT`, `LBRACE`, `END`... */
const char *lex_token_name(int kind);

#endif
