/*
 * parse.c - drives the scanner and parser over one file, and phrases
 * syntax errors the way a reader wants them: what was expected, what was
 * found, at the token that was found. parse_file_trivia runs the same
 * scanner in trivia mode, for the formatter.
 */
#include "parse.h"

#include <string.h>

#include "arena.h"
#include "diag.h"
#include "lex.h"
#include "parser.h"

/* flex's header names the bison types without the api.prefix. */
#define YYSTYPE SGC_YYSTYPE
#define YYLTYPE SGC_YYLTYPE
#include "lexer.h"

static struct ast_file *parse(struct arena *a, struct diag_sink *diags,
			      const struct src_map *m, uint32_t file, bool trivia)
{
	const struct src_file *f = src_get(m, file);
	struct lex_state ls = {
		.arena = a, .diags = diags, .file = file, .text = f->text, .len = f->len,
	};
	struct parse_ctx p = {
		.b = { .arena = a, .diags = diags, .file = file },
		.src = m,
		.lex = &ls,
	};
	p.result = arena_alloc(a, sizeof *p.result);
	p.result->file = file;
	if (trivia)
		lex_trivia_init(&ls, &p.result->trivia);

	yyscan_t scanner;
	if (sgc_yylex_init_extra(&ls, &scanner) != 0)
		return p.result;
	YY_BUFFER_STATE buf = sgc_yy_scan_bytes(f->text, (int)f->len, scanner);
	sgc_yyparse(scanner, &p);
	sgc_yy_delete_buffer(buf, scanner);
	sgc_yylex_destroy(scanner);
	return p.result;
}

struct ast_file *parse_file(struct arena *a, struct diag_sink *diags,
			    const struct src_map *m, uint32_t file)
{
	return parse(a, diags, m, file, false);
}

struct ast_file *parse_file_trivia(struct arena *a, struct diag_sink *diags,
				   const struct src_map *m, uint32_t file)
{
	return parse(a, diags, m, file, true);
}

void parse_finish(struct parse_ctx *p, struct ast_item_list items)
{
	p->result->items = items.head;
}

/* Token categories read as prose; punctuation and keywords get backticks. */
static bool is_category(const char *name)
{
	static const char *const categories[] = {
		"end of file", "identifier", "string", "integer", "size",
		"duration", "CIDR block", "instance type", "invalid literal",
	};
	for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
		if (strcmp(name, categories[i]) == 0)
			return true;
	return false;
}

static const char *unquote(struct arena *a, const char *name)
{
	size_t n = strlen(name);
	if (n >= 2 && name[0] == '"' && name[n - 1] == '"')
		return arena_strndup(a, name + 1, n - 2);
	return name;
}

static const char *describe(struct arena *a, const char *name)
{
	name = unquote(a, name);
	if (is_category(name))
		return name;
	return arena_printf(a, "`%s`", name);
}

/* What a value may start with; a list of all of them reads as "a value". */
static bool starts_value(const char *name)
{
	return strcmp(name, "string") == 0 || strcmp(name, "integer") == 0;
}

static const char *expected_text(struct parse_ctx *p, const char *const *exp,
				 int n)
{
	struct arena *a = p->b.arena;
	bool value = false;
	for (int i = 0; i < n; i++)
		if (starts_value(unquote(a, exp[i])))
			value = true;
	const char *out = NULL;
	int shown = 0;
	if (value) {
		out = "a value";
		shown = 1;
	}
	static const char *const value_tokens[] = {
		"string", "integer", "size", "duration", "CIDR block",
		"instance type", "invalid literal", "true", "false",
		"identifier", "param", "{", "[", "(",
	};
	for (int i = 0; i < n; i++) {
		const char *name = unquote(a, exp[i]);
		if (strcmp(name, "error") == 0)
			continue;
		bool is_value = false;
		for (size_t k = 0; value && k < sizeof value_tokens / sizeof value_tokens[0]; k++)
			if (strcmp(name, value_tokens[k]) == 0)
				is_value = true;
		if (is_value)
			continue;
		const char *d = describe(a, exp[i]);
		out = out ? arena_printf(a, "%s, %s", out, d) : d;
		shown++;
	}
	if (!out)
		return NULL;
	/* Turn the last ", " into " or ". */
	if (shown > 1) {
		char *s = arena_strdup(a, out);
		char *last = strrchr(s, ',');
		if (last) {
			*last = '\0';
			return arena_printf(a, "%s or%s", s, last + 1);
		}
	}
	return out;
}

static const char *found_text(struct parse_ctx *p, struct span at,
			      const char *found, bool at_eof)
{
	if (at_eof)
		return "end of file";
	const struct src_file *f = src_get(p->src, at.file);
	uint32_t len = at.hi - at.lo;
	if (len == 0 || len > 24)
		return describe(p->b.arena, found);
	return arena_printf(p->b.arena, "`%.*s`", (int)len, f->text + at.lo);
}

void parse_syntax_error(struct parse_ctx *p, struct span at, const char *found,
			bool at_eof, const char *const *expected, int nexpected)
{
	struct diag_sink *ds = p->b.diags;
	/* The scanner already explained this token (or the missing brace). */
	if (ds->tail && ds->tail->span.file == at.file && ds->tail->span.lo == at.lo)
		return;
	if (at_eof && p->lex->unclosed_reported)
		return;
	if (strcmp(unquote(p->b.arena, found), "invalid literal") == 0)
		return;
	const char *exp = expected_text(p, expected, nexpected);
	const char *fnd = found_text(p, at, found, at_eof);
	struct diag *d;
	if (exp) {
		d = diag_add(ds, DIAG_E0107, at, "expected %s, found %s", exp, fnd);
		diag_label(ds, d, "unexpected %s", at_eof ? "end of file" : "here");
	} else {
		d = diag_add(ds, DIAG_E0107, at, "unexpected %s", fnd);
	}
}

void parse_internal_error(struct parse_ctx *p, struct span at, const char *msg)
{
	if (strstr(msg, "exhausted"))
		diag_add(p->b.diags, DIAG_E0109, at, "input nested too deeply");
	else
		diag_add(p->b.diags, DIAG_E0107, at, "%s", msg);
}
