/*
 * parse.h - the front end: source text in, syntax tree out.
 *
 * parse_file runs the flex scanner and the bison parser over one loaded
 * file. Lexical and syntax errors go to the diagnostics sink; the tree is
 * returned even when there were errors, with what could be recovered.
 */
#ifndef SGC_PARSE_H
#define SGC_PARSE_H

#include <stdbool.h>

#include "ast.h"

struct arena;
struct diag_sink;
struct src_map;

struct ast_file *parse_file(struct arena *a, struct diag_sink *diags,
			    const struct src_map *m, uint32_t file);

/*
 * The same, with the scanner in trivia mode: the tree also holds every
 * token and comment (ast_file.trivia), for the formatter to print from.
 */
struct ast_file *parse_file_trivia(struct arena *a, struct diag_sink *diags,
				   const struct src_map *m, uint32_t file);

/* ---- used only by the generated parser ---- */

struct lex_state;

struct parse_ctx {
	struct ast_builder b;
	const struct src_map *src;
	struct lex_state *lex;
	struct ast_file *result;
};

void parse_finish(struct parse_ctx *p, struct ast_item_list items);
void parse_syntax_error(struct parse_ctx *p, struct span at, const char *found,
			bool at_eof, const char *const *expected, int nexpected);
void parse_internal_error(struct parse_ctx *p, struct span at, const char *msg);

#endif
