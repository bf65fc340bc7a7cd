/*
 * steps.c - lifecycle scripts from their steps (see steps.h): each
 * `std.lifecycle.x(...)` or `file("...")` checked, then composed by
 * lifecycle.c.
 */
#include "steps.h"

#include <errno.h>
#include <string.h>

#include "diag.h"
#include "grants.h"
#include "lifecycle.h"
#include "needs.h"
#include "suggest.h"

/* idle_stop calls StopNotebookInstance: without internet, through the SageMaker API endpoint. */
static const struct feature_needs stopping_idle = {
	"stopping an idle notebook",
	{ "sagemaker.api" },
	{ 0 },
	"StopNotebookInstance is a SageMaker API call",
	{
		EP_REQ("sagemaker.api", "sagemaker:StopNotebookInstance",
		  "arn:${AWS::Partition}:sagemaker:${AWS::Region}:${AWS::AccountId}:notebook-instance/{?}"),
	},
	"the idle_stop script's calls (docs/iam.md)",
};

struct script_ctx {
	struct lc_script lc;
	struct m_script *script;
	unsigned host;          /* LC_NOTEBOOK, LC_STUDIO|LC_CODE_EDITOR, LC_STUDIO */
	const char *host_name;
};

static bool arg_count(struct checker *ck, const struct ast_expr *call,
		      const struct lc_function *fn)
{
	if (call->u.call.nargs == fn->nargs)
		return true;
	struct diag *d = diag_add(ck->diags, DIAG_E0503, call->span,
				  "`%s` takes %d argument%s, found %d", fn->name, fn->nargs,
				  fn->nargs == 1 ? "" : "s", call->u.call.nargs);
	diag_help(ck->diags, d, "write `%s`", fn->signature);
	return false;
}

static const char *quoted_words(struct checker *ck, const struct scope *sc,
				const struct ast_expr *arg, const struct lc_function *fn)
{
	const struct ast_expr *e = ck_deref(ck, sc, arg);
	if (!e)
		return NULL;
	if (e->kind != EX_LIST || e->u.list.n == 0) {
		struct diag *d = diag_add(ck->diags, DIAG_E0503, arg->span,
					  "`%s` takes a non-empty list of strings", fn->name);
		diag_help(ck->diags, d, "write `%s`", fn->signature);
		return NULL;
	}
	struct strbuf b = { 0 };
	for (const struct ast_expr *x = e->u.list.head; x; x = x->next) {
		if (x->kind != EX_STRING || x->u.str.len == 0) {
			diag_add(ck->diags, DIAG_E0503, x->span,
				 "`%s` takes non-empty strings here", fn->name);
			return NULL;
		}
		if (b.n)
			strbuf_puts(ck->arena, &b, " ");
		strbuf_puts(ck->arena, &b, lc_quote(ck->arena, x->u.str.s));
	}
	return b.s;
}

static const char *quoted_string(struct checker *ck, const struct scope *sc,
				 const struct ast_expr *arg, const struct lc_function *fn)
{
	const struct ast_expr *e = ck_deref(ck, sc, arg);
	if (!e)
		return NULL;
	if (e->kind != EX_STRING) {
		struct diag *d = diag_add(ck->diags, DIAG_E0503, arg->span,
					  "`%s` expects a string here, found %s", fn->name,
					  ast_expr_kind_name(e->kind));
		diag_help(ck->diags, d, "write `%s`", fn->signature);
		return NULL;
	}
	return lc_quote(ck->arena, e->u.str.s);
}

static void step_pip_from(struct checker *ck, const struct scope *sc,
			  const struct ast_expr *call, const struct lc_function *fn,
			  struct script_ctx *sx)
{
	const struct ast_item *rb = ck_ref_block(ck, sc, call->u.call.args, "repository");
	struct m_repo *r = rb ? ck_object(ck, rb) : NULL;
	if (!r || !r->repo_name || !r->domain->domain_name)
		return;
	const char *names[] = { "DOMAIN", "REPOSITORY", "REFRESH_HOURS" };
	const char *values[] = { lc_quote(ck->arena, r->domain->domain_name),
				 lc_quote(ck->arena, r->repo_name), "'6'" };
	lc_add(&sx->lc, fn, names, values, 3);
	ptrvec_push(ck->arena, &sx->script->repos, r);
	ptrvec_push(ck->arena, &sx->script->uses, grants_new_use(ck, "pip_from", r, "repository", call->span));
}

/*
 * CloudFormation takes lifecycle content base64-encoded, at most 16384
 * characters: a script of more than 12288 bytes does not fit.
 */
enum { SCRIPT_MAX_BYTES = 12288 };

/* The root in words, and how to widen it: every refusal of a path says both. */
static void explain_root(struct checker *ck, struct diag *d)
{
	const struct confine *cf = ck->files;
	switch (cf->root_kind) {
	case CONFINE_ROOT_GIVEN:
		diag_note(ck->diags, d, "file() reads only below the root `%s` (--root)", cf->root_shown);
		diag_help(ck->diags, d, "move the script below `%s`, or give a wider `--root DIR`",
			  cf->root_shown);
		break;
	case CONFINE_ROOT_CWD:
		diag_note(ck->diags, d, "file() reads only below the root, for standard input the working directory");
		diag_help(ck->diags, d, "move the script below the working directory, or widen the root with `--root DIR`");
		break;
	case CONFINE_ROOT_SGL_DIR:
		diag_note(ck->diags, d, "file() reads only below the root, by default the .sgl file's directory `%s`",
			  cf->root_shown);
		diag_help(ck->diags, d, "move the script below `%s`, or widen the root with `--root DIR`",
			  cf->root_shown);
		break;
	}
}

/* Why a look-up failed, in the words of sgc's other messages. */
static const char *reason(int err)
{
	switch (err) {
	case EACCES: return "permission denied";
	case ENOTDIR: return "a part of the path is not a directory";
	case ELOOP: return "too many symbolic links";
	case ENAMETOOLONG: return "the path is too long";
	default: return strerror(err);
	}
}

/* Each reason file() could not read `path`, located at its argument. */
static void file_refused(struct checker *ck, struct span at, const char *path,
			 const struct confine_file *f)
{
	struct diag *d;
	switch (f->status) {
	case CONFINE_ABSOLUTE:
		d = diag_add(ck->diags, DIAG_E0515, at, "`%s` is an absolute path", path);
		diag_label(ck->diags, d, "file() takes a path relative to the .sgl file");
		explain_root(ck, d);
		return;
	case CONFINE_OUTSIDE:
		d = diag_add(ck->diags, DIAG_E0515, at, "`%s` leads outside the root `%s`", path,
			     ck->files->root_shown);
		explain_root(ck, d);
		return;
	case CONFINE_TOO_LARGE:
		d = diag_add(ck->diags, DIAG_E0501, at, "`%s` is %s%llu bytes; a lifecycle script takes at most %d",
			     path, f->size_is_lower_bound ? "over " : "",
			     (unsigned long long)(f->size_is_lower_bound ? f->size - 1 : f->size),
			     SCRIPT_MAX_BYTES);
		diag_help(ck->diags, d, "move long work into a script in S3 or a package, and fetch it from a short step");
		return;
	case CONFINE_NOT_FOUND:
		d = diag_add(ck->diags, DIAG_E0505, at, "cannot read `%s`: no such file", path);
		diag_note(ck->diags, d, "paths are relative to the directory of the .sgl file");
		return;
	case CONFINE_NOT_REGULAR:
		d = diag_add(ck->diags, DIAG_E0505, at, "cannot read `%s`: it is %s", path, f->kind);
		diag_note(ck->diags, d, "file() reads regular files only");
		return;
	case CONFINE_NO_ROOT:
		d = diag_add(ck->diags, DIAG_E0505, at, "cannot read `%s`: the root `%s` does not resolve: %s",
			     path, ck->files->root_shown, reason(f->err));
		return;
	case CONFINE_ERROR:
		d = diag_add(ck->diags, DIAG_E0505, at, "cannot read `%s`: %s", path, reason(f->err));
		return;
	case CONFINE_OK:
		return;
	}
}

static void step_file(struct checker *ck, const struct scope *sc,
		      const struct ast_expr *call, struct script_ctx *sx)
{
	const struct ast_expr *e = ck_deref(ck, sc, call->u.call.args);
	if (!e)
		return;
	if (e->kind != EX_STRING) {
		diag_add(ck->diags, DIAG_E0503, call->u.call.args->span,
			 "`file` takes the script's path as a string");
		return;
	}
	if (e->u.str.len == 0) {
		struct diag *d = diag_add(ck->diags, DIAG_E0503, e->span, "`file` takes a non-empty path");
		diag_help(ck->diags, d, "write `file(\"path/to/script.sh\")`, relative to the .sgl file");
		return;
	}
	/* A script past its cap keeps no text: read into scratch memory, to count. */
	struct arena *scratch = lc_fits(&sx->lc) ? NULL : arena_new();
	struct confine_file f = confine_read(ck->files, scratch ? scratch : ck->arena, e->u.str.s,
					     SCRIPT_MAX_BYTES);
	if (f.status != CONFINE_OK)
		file_refused(ck, e->span, e->u.str.s, &f);
	else
		lc_add_file(&sx->lc, e->u.str.s, f.text, f.len);
	if (scratch)
		arena_free(scratch);
}

static void script_step(struct checker *ck, const struct scope *sc,
			const struct ast_expr *call, struct script_ctx *sx)
{
	if (call->kind != EX_CALL) {
		if (call->kind != EX_INVALID) {
			struct diag *d = diag_add(ck->diags, DIAG_E0209, call->span,
						  "expected a lifecycle step, found %s",
						  ast_expr_kind_name(call->kind));
			diag_help(ck->diags, d, "write a call such as `std.lifecycle.pip_from(codeartifact.ml.packages)`");
		}
		return;
	}
	const struct ast_name *fn_name = call->u.call.fn;
	const char *last = fn_name->parts[fn_name->n - 1];
	bool is_file = fn_name->n == 1 && strcmp(last, "file") == 0;
	if (!is_file) {
		/* `std.lifecycle.x` needs the import, like any stdlib name. */
		struct ast_name prefix = *fn_name;
		prefix.n = fn_name->n - 1;
		bool std_path = fn_name->n == 3 && strcmp(fn_name->parts[0], "std") == 0 &&
				strcmp(fn_name->parts[1], "lifecycle") == 0;
		if (!std_path) {
			struct diag *d = diag_add(ck->diags, DIAG_E0502, fn_name->span,
						  "unknown lifecycle step `%s`",
						  ast_name_str(ck->arena, fn_name));
			diag_help(ck->diags, d, "steps are `std.lifecycle.<step>(...)` or `file(\"script.sh\")`");
			return;
		}
		if (!resolve_lookup(ck->res, sc, &prefix))
			return;
	}
	const struct lc_function *fn = lc_find(last);
	if (!fn || (is_file != (strcmp(fn->name, "file") == 0))) {
		const char *names[16];
		size_t n = lc_count() < 16 ? lc_count() : 16;
		lc_fill_names(names);
		struct diag *d = diag_add(ck->diags, DIAG_E0502, fn_name->spans[fn_name->n - 1],
					  "`std.lifecycle` has no step `%s`", last);
		const char *best = suggest_best(last, names, n);
		if (best)
			diag_help(ck->diags, d, "did you mean `%s`?", best);
		return;
	}
	if (!(fn->hosts & sx->host)) {
		struct diag *d = diag_add(ck->diags, DIAG_E0504, call->span,
					  "`%s` cannot run in %s", fn->name, sx->host_name);
		diag_note(ck->diags, d, "`%s` is for %s", fn->name,
			  fn->hosts == LC_NOTEBOOK ? "notebook instances"
			  : fn->hosts == LC_CODE_EDITOR ? "Studio Code Editor apps" : "other hosts");
		return;
	}
	if (!arg_count(ck, call, fn))
		return;
	const struct ast_expr *arg = call->u.call.args;
	if (strcmp(fn->name, "pip_from") == 0) {
		step_pip_from(ck, sc, call, fn, sx);
	} else if (strcmp(fn->name, "idle_stop") == 0) {
		const struct ast_expr *e = ck_deref(ck, sc, arg);
		if (!e)
			return;
		/* The fragment refuses more than 99999 minutes (about 69 days). */
		if (e->kind != EX_DURATION || e->u.seconds < 300 || e->u.seconds % 60 ||
		    e->u.seconds / 60 > 99999) {
			struct diag *d = diag_add(ck->diags, DIAG_E0503, arg->span,
						  "`idle_stop` takes whole minutes, from 5m to 99999m");
			diag_help(ck->diags, d, "write e.g. `std.lifecycle.idle_stop(1h)`");
			return;
		}
		const char *names[] = { "IDLE_MINUTES" };
		const char *values[] = { arena_printf(ck->arena, "'%llu'",
						      (unsigned long long)(e->u.seconds / 60)) };
		lc_add(&sx->lc, fn, names, values, 1);
		sx->script->stops_notebook = true;
		struct m_use *u = grants_new_use(ck, "idle_stop", NULL, "idle_stop", call->span);
		u->needs = &stopping_idle;
		ptrvec_push(ck->arena, &sx->script->uses, u);
	} else if (strcmp(fn->name, "install_tools") == 0 ||
		   strcmp(fn->name, "code_editor_extensions") == 0) {
		const char *words = quoted_words(ck, sc, arg, fn);
		const char *names[] = { fn->name[0] == 'i' ? "TOOLS" : "EXTENSIONS" };
		if (words)
			lc_add(&sx->lc, fn, names, &words, 1);
	} else if (strcmp(fn->name, "git_config") == 0) {
		const char *values[] = { quoted_string(ck, sc, arg, fn),
					 quoted_string(ck, sc, arg->next, fn) };
		const char *names[] = { "GIT_NAME", "GIT_EMAIL" };
		if (values[0] && values[1])
			lc_add(&sx->lc, fn, names, values, 2);
	} else {
		step_file(ck, sc, call, sx);
	}
}

/* The whole script must fit, too: SCRIPT_MAX_BYTES. */
struct m_script *steps_script(struct checker *ck, const struct scope *sc,
			      const struct ast_item *attr, unsigned host,
			      const char *host_name, const char *file_name,
			      const char *what)
{
	if (!attr)
		return NULL;
	struct m_script *s = arena_alloc(ck->arena, sizeof *s);
	s->file_name = file_name;
	s->hook = what;
	s->span = attr->name_span;
	struct script_ctx sx = { .script = s, .host = host, .host_name = host_name };
	lc_begin(&sx.lc, ck->arena, host != LC_NOTEBOOK, SCRIPT_MAX_BYTES, ck->env->source, what);
	const struct ast_expr *e = attr->value;
	unsigned errors = ck->diags->nerrors;
	if (e->kind == EX_LIST) {
		for (const struct ast_expr *x = e->u.list.head; x; x = x->next)
			script_step(ck, sc, x, &sx);
	} else {
		script_step(ck, sc, e, &sx);
	}
	s->text = sx.lc.text.s;
	s->len = sx.lc.text.n;
	size_t encoded = (sx.lc.len + 2) / 3 * 4;
	if (!lc_fits(&sx.lc) && ck->diags->nerrors == errors) {
		struct diag *d = diag_add(ck->diags, DIAG_E0501, attr->name_span,
					  "lifecycle script `%s` is %zu bytes; CloudFormation takes at most %d",
					  file_name, sx.lc.len, SCRIPT_MAX_BYTES);
		diag_note(ck->diags, d, "its base64 form is %zu characters, over the 16384 limit", encoded);
		diag_help(ck->diags, d, "move long work into a script in S3 or a package, and fetch it from a short step");
	}
	return s;
}
