/*
 * compile.c - runs the stages in order and stops at the first stage that
 * reported an error, so later stages only ever see valid input.
 */
#include "compile.h"

#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "confine.h"
#include "emit.h"
#include "lex.h"
#include "lower.h"
#include "parse.h"
#include "resolve.h"
#include "suppress.h"

void compile_init(struct compile *c)
{
	memset(c, 0, sizeof *c);
	c->arena = arena_new();
	src_map_init(&c->src, c->arena);
	diag_sink_init(&c->diags, c->arena);
}

void compile_free(struct compile *c)
{
	free(c->json);
	c->json = NULL;
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

/*
 * CloudFormation's quotas (shared/reference/cloudformation.md): 500
 * resources, 200 parameters, 200 outputs, a 1 MB template from S3 (51,200
 * bytes passed inline, which is only worth a note).
 */
static void check_limits(struct compile *c)
{
	const struct cfn_template *t = c->tmpl;
	struct {
		size_t n, max;
		const char *what;
	} counts[] = {
		{ t->resources.n, 500, "resources" },
		{ t->parameters->u.items.n, 200, "parameters" },
		{ t->outputs->u.items.n, 200, "outputs" },
		{ c->json ? c->json_len : 0, 1000000, "bytes of template" },
	};
	/* One diagnostic naming every quota exceeded: they share a cause and a fix. */
	struct diag *d = NULL;
	for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++) {
		if (counts[i].n <= counts[i].max)
			continue;
		if (!d) {
			d = diag_add(&c->diags, DIAG_E0610, c->env->span,
				     "environment `%s` is too large for one CloudFormation template",
				     c->env->name);
			diag_help(&c->diags, d, "split it into several environments (one template each)");
		}
		diag_note(&c->diags, d, "%zu %s; at most %zu", counts[i].n, counts[i].what,
			  counts[i].max);
	}
}

/*
 * `sgc check` shows every scanner suppression the template carries as a
 * note, so that a reviewer sees what the scanners will not report. `sgc
 * build` stays quiet: the template itself carries each reason.
 */
static void suppression_notes(struct compile *c)
{
	const struct ptrvec *all = &c->tmpl->suppressions;
	for (size_t i = 0; i < all->n; i++) {
		const struct cfn_suppression *s = all->items[i];
		const struct sup_row *row = sup_row((enum sup_id)s->row);
		struct span at = s->at.file == UINT32_MAX ? c->env->span : s->at;
		struct diag *d = diag_add(&c->diags, row->turned_off ? DIAG_N0641 : DIAG_N0640, at,
					  "%zu scanner finding%s suppressed on `%s` (%s)", s->rules.n,
					  s->rules.n == 1 ? "" : "s", s->resource, row->name);
		diag_label(&c->diags, d, "%s", row->turned_off ? "declared here"
								 : "applies here");
		struct strbuf ids = { 0 };
		for (size_t k = 0; k < s->rules.n; k++)
			strbuf_printf(c->arena, &ids, "%s%s", k ? ", " : "", (const char *)s->rules.items[k]);
		diag_note(&c->diags, d, "rules: %s", ids.s);
		diag_note(&c->diags, d, "reason: %s; source: %s", row->reason, row->source);
	}
}

bool compile_text(struct compile *c, const char *path, const char *text,
		  size_t len, enum compile_until until)
{
	/* Skipped before the source map sees it, so that columns and echoed lines stay right. */
	size_t bom = text ? lex_bom_length(text, len) : 0;
	if (bom) {
		text += bom;
		len -= bom;
	}
	uint32_t file = src_add(&c->src, path, text, len);
	if (!check_encoding(c, file)) {
		c->diags.stopped_after = "its encoding check";
		return false;
	}
	struct ast_file *ast = parse_file(c->arena, &c->diags, &c->src, file);
	if (diag_has_errors(&c->diags)) {
		c->diags.stopped_after = "parsing";
		return false;
	}
	struct resolver r;
	resolve_init(&r, c->arena, &c->diags, &c->src);
	resolve_file(&r, ast);
	/* file() reads below the root, and scripts name `path` as the root sees it. */
	struct confine files;
	confine_init(&files, c->arena, path, c->root);
	c->env = check_file(&r, ast, &c->vars, &files, c->stage);
	diag_apply_allow_comments(&c->diags, &c->src);
	/* After errors a check stops early: which warnings an allow was for is not known then. */
	diag_check_allow_comments(&c->diags, &c->src, file, !diag_has_errors(&c->diags));
	if (!c->env || diag_has_errors(&c->diags)) {
		c->diags.stopped_after = "resolving and checking";
		return false;
	}
	/*
	 * Template limits are part of checking, so `sgc check` lowers too:
	 * a template over the quotas must fail review, not deployment.
	 */
	c->tmpl = lower_env(c->arena, c->env, &c->src);
	c->json = emit_json(c->tmpl, &c->json_len);
	check_limits(c);
	if (until == COMPILE_CHECK && !diag_has_errors(&c->diags))
		suppression_notes(c);
	return !diag_has_errors(&c->diags);
}
