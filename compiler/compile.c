/*
 * compile.c - runs the stages in order and stops at the first stage that
 * reported an error, so later stages only ever see valid input.
 */
#include "compile.h"

#include <string.h>

#include "check.h"
#include "lower.h"
#include "parse.h"
#include "resolve.h"

void compile_init(struct compile *c)
{
	memset(c, 0, sizeof *c);
	c->arena = arena_new();
	src_map_init(&c->src, c->arena);
	diag_sink_init(&c->diags, c->arena);
}

void compile_free(struct compile *c)
{
	arena_free(c->arena);
	c->arena = NULL;
}

/* JSON output must be UTF-8; refuse other bytes at the door. */
static bool check_encoding(struct compile *c, uint32_t file)
{
	const struct src_file *f = src_get(&c->src, file);
	uint32_t bad = src_invalid_utf8(f);
	if (bad == UINT32_MAX)
		return true;
	struct diag *d = diag_add(&c->diags, DIAG_E0001,
				  (struct span){ file, bad, bad + 1 },
				  "file is not valid UTF-8");
	diag_label(&c->diags, d, "byte 0x%02X", (unsigned char)f->text[bad]);
	diag_help(&c->diags, d, "save the file as UTF-8");
	return false;
}

bool compile_text(struct compile *c, const char *path, const char *text,
		  size_t len, enum compile_until until)
{
	uint32_t file = src_add(&c->src, path, text, len);
	if (!check_encoding(c, file))
		return false;
	struct ast_file *ast = parse_file(c->arena, &c->diags, &c->src, file);
	if (diag_has_errors(&c->diags))
		return false;
	struct resolver r;
	resolve_init(&r, c->arena, &c->diags, &c->src);
	resolve_file(&r, ast);
	c->env = check_file(&r, ast);
	if (!c->env || diag_has_errors(&c->diags))
		return false;
	if (until == COMPILE_LOWER)
		c->tmpl = lower_env(c->arena, c->env);
	return true;
}
