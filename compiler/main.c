/*
 * main.c - the sgc commands.
 *
 *   sgc build FILE [-o OUT]    compile to a CloudFormation template
 *   sgc check FILE|DIR...      diagnostics only
 *   sgc diff OLD NEW           what a template change does, resource by resource
 *   sgc deploy FILE            build, then `aws cloudformation deploy` (deploy.c)
 *   sgc graph FILE             the checked environment as a picture (DOT, SVG, PNG)
 *   sgc fmt, iam, explain, help, version
 *
 * cli.c parses the command line, input.c reads inputs (regular files, or
 * standard input), output.c writes outputs (output.h: the template and the
 * files beside it change as one set, or not at all).
 *
 * Exit status: 0 success, 1 diagnostics with errors, 2 usage or I/O, 3 when
 * `diff --fail-on` trips, 4 when `deploy`'s AWS CLI fails. Every
 * write is checked: standard output and standard error are flushed and
 * checked before exiting, so `sgc ... > /dev/full` exits 2.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "compile.h"
#include "deploy.h"
#include "deploy_manifest.h"
#include "diag.h"
#include "diff.h"
#include "emit.h"
#include "fmt.h"
#include "graph.h"
#include "iam.h"
#include "lsp.h"
#include "input.h"
#include "output.h"
#include "proc.h"
#include "stdmod.h"
#include "vars.h"

static bool use_color(enum color_mode m)
{
	if (m != COLOR_AUTO)
		return m == COLOR_ALWAYS;
	const char *term = getenv("TERM");
	return isatty(STDERR_FILENO) && !getenv("NO_COLOR") && term &&
	       strcmp(term, "dumb") != 0;
}

static const char *source_name(const char *path)
{
	return strcmp(path, "-") == 0 ? "<stdin>" : path;
}

/*
 * What every compiling command shares: --vars read once (it may be standard
 * input), --root checked to be a directory, and the identities of the
 * inputs that no output may replace.
 */
struct session {
	const struct options *o;
	const char *stage;        /* NULL: none */
	char stage_buf[32];       /* a stage taken from the --vars file's name */
	struct input vars;
	bool have_vars;
	struct file_id inputs[2]; /* the source, the --vars file */
	size_t ninputs;
};

/* Stage names: `^[a-z]([a-z0-9-]{0,14}[a-z0-9])?$`, short so that the names they join fit. */
static bool stage_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 16 || s[0] < 'a' || s[0] > 'z' || s[n - 1] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return false;
	return true;
}

static const char stage_rule[] =
	"1 to 16 lowercase letters, digits and hyphens, starting with a letter and ending "
	"with a letter or digit";

/*
 * --stage, else the --vars file's name up to its first dot
 * (`stages/prod.yaml`: prod): one stage file per stage names the stage.
 */
static int session_stage(struct session *s)
{
	const struct options *o = s->o;
	if (o->stage) {
		if (!*o->stage)
			return EXIT_OK;
		if (!stage_name_ok(o->stage))
			return cli_usage_error("stage `%s` is not a stage name: %s", o->stage, stage_rule);
		s->stage = o->stage;
		return EXIT_OK;
	}
	if (!o->vars_file || strcmp(o->vars_file, "-") == 0)
		return EXIT_OK;
	const char *base = strrchr(o->vars_file, '/');
	base = base ? base + 1 : o->vars_file;
	size_t n = strcspn(base, ".");
	if (n >= sizeof s->stage_buf)
		n = sizeof s->stage_buf - 1;
	memcpy(s->stage_buf, base, n);
	s->stage_buf[n] = '\0';
	if (!stage_name_ok(s->stage_buf))
		return cli_usage_error("the stage is named after --vars `%s`, and `%.*s` is not a stage "
				       "name (%s): give one with --stage NAME, or none with --stage=",
				       o->vars_file, (int)strcspn(base, "."), base, stage_rule);
	s->stage = s->stage_buf;
	return EXIT_OK;
}

static int session_open(struct session *s, const struct options *o)
{
	*s = (struct session){ .o = o };
	int rc = session_stage(s);
	if (rc != EXIT_OK)
		return rc;
	if (o->root) {
		struct stat st;
		if (stat(o->root, &st) != 0)
			return fprintf(stderr, "sgc: --root `%s`: %s\n", o->root, strerror(errno)), EXIT_USAGE;
		if (!S_ISDIR(st.st_mode))
			return fprintf(stderr, "sgc: --root `%s` is not a directory\n", o->root), EXIT_USAGE;
	}
	if (!o->vars_file)
		return EXIT_OK;
	for (int i = 0; i < o->noperands; i++)
		if (strcmp(o->vars_file, "-") == 0 && strcmp(o->operands[i], "-") == 0)
			return cli_usage_error("%s", "standard input cannot be both FILE and --vars");
	if (!input_read(o->vars_file, &s->vars))
		return EXIT_USAGE;
	s->have_vars = true;
	s->inputs[s->ninputs++] = s->vars.id;
	return EXIT_OK;
}

static void session_close(struct session *s)
{
	if (s->have_vars)
		input_free(&s->vars);
}

/* The command's FILE, read whole and counted among the inputs no output may replace. */
static bool session_read(struct session *s, const char *path, struct input *in)
{
	if (!input_read(path, in))
		return false;
	s->inputs[s->ninputs++] = in->id;
	return true;
}

/*
 * Where -o OUT goes, settled before compiling: onto an input of the
 * command (`-o FILE` onto FILE) nothing is written. False after saying why.
 */
static bool session_output(const struct session *s, const char *out, struct out_target *t)
{
	*t = (struct out_target){ 0 };
	if (out_target_resolve(out, t) && out_target_not_input(t, out, s->inputs, s->ninputs))
		return true;
	if (t->path)
		out_target_free(t);
	*t = (struct out_target){ 0 };
	return false;
}

/* --vars and -D into the compile, before the source is checked. */
static void load_vars(struct compile *c, const struct session *s)
{
	if (s->have_vars)
		vars_load(c->arena, &c->src, &c->diags, source_name(s->o->vars_file), s->vars.text,
			  s->vars.len, &c->vars);
	for (int i = 0; i < s->o->ndefines; i++)
		vars_define(c->arena, &c->src, &c->diags, s->o->defines[i], &c->vars);
}

/* Compile one source read whole; `in` is freed. */
static void compile_input(struct compile *c, const struct session *s, const char *path,
			  struct input *in, enum compile_until until)
{
	compile_init(c);
	c->root = s->o->root;
	c->stage = s->stage;
	load_vars(c, s);
	if (!diag_has_errors(&c->diags))
		compile_text(c, source_name(path), in->text, in->len, until);
	else
		c->diags.stopped_after = "reading --vars and -D, before its source";
	input_free(in);
	if (s->o->deny_warnings)
		diag_deny_warnings(&c->diags);
}

static void report_text(const struct compile *c, const struct options *o)
{
	struct diag_render_opts ro = { .color = use_color(o->color), .cap = 50 };
	diag_render_text(stderr, &c->diags, &c->src, &ro);
}

enum check_format { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_GITHUB };

static int check_format(const char *name, enum check_format *fmt)
{
	static const struct {
		const char *name;
		enum check_format fmt;
	} formats[] = {
		{ "text", FMT_TEXT }, { "json", FMT_JSON }, { "sarif", FMT_SARIF }, { "github", FMT_GITHUB },
	};
	*fmt = FMT_TEXT;
	for (size_t i = 0; name && i < sizeof formats / sizeof formats[0]; i++)
		if (strcmp(name, formats[i].name) == 0) {
			*fmt = formats[i].fmt;
			return EXIT_OK;
		}
	if (!name)
		return EXIT_OK;
	return cli_usage_error("`check --format` takes text, json, sarif or github, not `%s`", name);
}

static int cmd_check(const struct options *o)
{
	if (o->noperands == 0)
		return cli_usage_error("%s", "`check` needs at least one file or directory");
	enum check_format fmt;
	int status = check_format(o->format, &fmt);
	if (status != EXIT_OK)
		return status;
	struct session s;
	status = session_open(&s, o);
	struct input_list list = { 0 };
	if (status == EXIT_OK && !input_list_collect(o->operands, (size_t)o->noperands, &list))
		status = EXIT_USAGE;
	/*
	 * One compile at a time, freed once its diagnostics are rendered: text
	 * goes to standard error as each file is done, machine formats to a
	 * buffer that reaches standard output only when every input was read
	 * (a usage error prints none of it). The buffer holds what is reported,
	 * so memory does not grow with files that report nothing.
	 */
	char *machine = NULL;
	size_t machine_len = 0;
	FILE *mem = NULL;
	struct diag_stream *stream = NULL;
	if (status == EXIT_OK && fmt != FMT_TEXT) {
		mem = open_memstream(&machine, &machine_len);
		stream = mem ? diag_stream_begin(mem, fmt == FMT_JSON ? DIAG_FORMAT_JSON
						      : fmt == FMT_SARIF ? DIAG_FORMAT_SARIF
						      : DIAG_FORMAT_GITHUB, SGC_VERSION) : NULL;
		if (!stream) {
			fprintf(stderr, "sgc: out of memory\n");
			status = EXIT_USAGE;
		}
	}
	for (size_t i = 0; status != EXIT_USAGE && i < list.n; i++) {
		struct input in;
		if (!input_read(list.paths[i], &in)) {
			status = EXIT_USAGE;
			break;
		}
		struct compile c;
		compile_input(&c, &s, list.paths[i], &in, COMPILE_CHECK);
		if (fmt == FMT_TEXT)
			report_text(&c, o);
		else
			diag_stream_file(stream, &c.diags, &c.src);
		if (diag_has_errors(&c.diags) && status == EXIT_OK)
			status = EXIT_DIAGNOSTICS;
		compile_free(&c);
	}
	diag_stream_end(stream);
	if (mem && fclose(mem) != 0 && status != EXIT_USAGE) {
		fprintf(stderr, "sgc: out of memory\n");
		status = EXIT_USAGE;
	}
	if (status != EXIT_USAGE && machine)
		fwrite(machine, 1, machine_len, stdout);
	free(machine);
	input_list_free(&list);
	session_close(&s);
	return status;
}

/* --format yaml, or an output named *.yaml / *.yml without --format. */
static bool wants_yaml(const struct options *o)
{
	if (o->format)
		return strcmp(o->format, "yaml") == 0;
	size_t n = o->output ? strlen(o->output) : 0;
	return (n > 5 && strcmp(o->output + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(o->output + n - 4, ".yml") == 0);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);
	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* `out/stack.json` -> `stack.params.json`, written beside the template. */
static void add_params_file(struct compile *c, const char *base)
{
	size_t len;
	char *json = emit_params_json(c->tmpl, &len);
	if (!json)
		return;
	char *copy = arena_strndup(c->arena, json, len);
	free(json);
	cfn_add_file(c->tmpl, arena_printf(c->arena, "%.*s.params.json", (int)deploy_template_stem_len(base), base),
		     copy, len, false);
}

/* `out/stack.json` -> `stack.deploy.json`: what `sgc deploy` needs besides the template. */
static void add_deploy_manifest(struct compile *c, const char *base, size_t template_bytes)
{
	size_t len;
	char *json = deploy_manifest_emit(base, c->env->stack_name, c->env->region->name,
					  c->env->stage, deploy_capabilities(c->json, c->json_len),
					  c->tmpl, template_bytes, &len);
	if (!json)
		return;
	char *copy = arena_strndup(c->arena, json, len);
	free(json);
	cfn_add_file(c->tmpl, arena_printf(c->arena, "%.*s" DEPLOY_MANIFEST_SUFFIX, (int)deploy_template_stem_len(base), base),
		     copy, len, false);
}

/* The template to OUT: in place onto a device, or the whole set of files beside it. */
static int write_to_target(struct compile *c, const struct out_target *t, const char *text,
			   size_t len, const struct session *s)
{
	if (t->in_place)
		return out_write_in_place(t, text, len) ? EXIT_OK : EXIT_USAGE;
	add_params_file(c, t->base);
	add_deploy_manifest(c, t->base, len);
	const struct cfn_template *tmpl = c->tmpl;
	struct out_item *items = calloc(tmpl->files.n + 1, sizeof *items);
	if (!items)
		return EXIT_USAGE;
	for (size_t i = 0; i < tmpl->files.n; i++) {
		const struct cfn_file *f = tmpl->files.items[i];
		items[i] = (struct out_item){ f->path, f->text, f->len, f->executable };
	}
	bool ok = out_write_set(t, items, tmpl->files.n, text, len, s->inputs, s->ninputs);
	free(items);
	return ok ? EXIT_OK : EXIT_USAGE;
}

static int emit_template(struct compile *c, const struct options *o, const struct out_target *t,
			 const struct session *s)
{
	bool yaml = wants_yaml(o);
	size_t n = c->json_len;
	char *yaml_text = yaml ? emit_yaml(c->tmpl, &n) : NULL;
	const char *text = yaml ? yaml_text : c->json;
	int status = EXIT_OK;
	if (!text) {
		fprintf(stderr, "sgc: out of memory while writing the template\n");
		status = EXIT_USAGE;
	} else if (t) {
		status = write_to_target(c, t, text, n, s);
	} else if (fwrite(text, 1, n, stdout) != n || fflush(stdout) != 0) {
		fprintf(stderr, "sgc: cannot write the template: %s\n", strerror(errno));
		status = EXIT_USAGE;
	}
	free(yaml_text);
	return status;
}

/*
 * `sgc deploy FILE`: a .sgl file is built first (to -o OUT, default
 * out/STACK/stack.json), then deploy.c runs the AWS CLI from the manifest
 * beside the template. FILE may also be a manifest, or a template with its
 * manifest beside it.
 */
static int deploy_built(const struct options *o, const char *path)
{
	struct session s;
	int status = session_open(&s, o);
	if (status != EXIT_OK)
		return status;
	struct input in;
	if (!session_read(&s, path, &in)) {
		session_close(&s);
		return EXIT_USAGE;
	}
	struct compile c;
	compile_input(&c, &s, path, &in, COMPILE_LOWER);
	report_text(&c, o);
	char *manifest = NULL;
	if (diag_has_errors(&c.diags) || !c.tmpl) {
		status = EXIT_DIAGNOSTICS;
	} else {
		const char *out = o->output ? o->output
					    : arena_printf(c.arena, "out/%s/stack.json", c.env->stack_name);
		struct out_target target;
		if (!session_output(&s, out, &target)) {
			status = EXIT_USAGE;
		} else if (target.in_place) {
			fprintf(stderr, "sgc: deploy needs a file to write the template to, not %s\n", out);
			status = EXIT_USAGE;
		} else {
			status = emit_template(&c, o, &target, &s);
			if (status == EXIT_OK && !(manifest = deploy_manifest_beside(target.path)))
				status = EXIT_USAGE;
		}
		if (target.path)
			out_target_free(&target);
	}
	compile_free(&c);
	session_close(&s);
	if (status == EXIT_OK) {
		fprintf(stderr, "sgc: built %s\n", manifest);
		struct deploy_request r = { .manifest_path = manifest, .stage = NULL,
					    .s3_bucket = o->s3_bucket, .s3_prefix = o->s3_prefix,
					    .profile = o->profile, .preview = o->preview };
		status = deploy_run(&r);
	}
	free(manifest);
	return status;
}

static int cmd_deploy(const struct options *o)
{
	if (o->noperands != 1)
		return cli_usage_error("%s", "`deploy` takes exactly one file: a .sgl file, a deploy "
					     "manifest, or a template built by sgc");
	if (o->s3_prefix && !o->s3_bucket)
		return cli_usage_error("%s", "`--s3-prefix` needs `--s3-bucket`");
	const char *path = o->operands[0];
	if (strcmp(path, "-") == 0)
		return cli_usage_error("%s", "`deploy` reads a file, not standard input");
	if (ends_with(path, ".sgl"))
		return deploy_built(o, path);
	if (o->vars_file || o->ndefines || o->output || o->root)
		return cli_usage_error("%s", "--vars, -D, -o and --root build a .sgl file; FILE is "
					     "already built");
	struct deploy_request r = { .stage = o->stage, .s3_bucket = o->s3_bucket,
				    .s3_prefix = o->s3_prefix, .profile = o->profile,
				    .preview = o->preview };
	char *manifest = NULL;
	if (ends_with(path, DEPLOY_MANIFEST_SUFFIX)) {
		r.manifest_path = path;
	} else {
		if (!(manifest = deploy_manifest_beside(path)))
			return fprintf(stderr, "sgc: out of memory\n"), EXIT_USAGE;
		r.manifest_path = manifest;
		r.template_path = path;
	}
	int status = deploy_run(&r);
	free(manifest);
	return status;
}

static int cmd_build(const struct options *o)
{
	if (o->noperands != 1)
		return cli_usage_error("%s", "`build` takes exactly one file");
	if (o->format && strcmp(o->format, "json") != 0 && strcmp(o->format, "yaml") != 0)
		return cli_usage_error("`build --format` takes json or yaml, not `%s`", o->format);
	struct session s;
	int status = session_open(&s, o);
	if (status != EXIT_OK)
		return status;
	const char *path = o->operands[0];
	struct input in;
	if (!session_read(&s, path, &in)) {
		session_close(&s);
		return EXIT_USAGE;
	}
	struct out_target target;
	bool to_file = o->output && strcmp(o->output, "-") != 0;
	if (to_file && !session_output(&s, o->output, &target)) {
		input_free(&in);
		session_close(&s);
		return EXIT_USAGE;
	}
	struct compile c;
	compile_input(&c, &s, path, &in, COMPILE_LOWER);
	report_text(&c, o);
	if (diag_has_errors(&c.diags) || !c.tmpl)
		status = EXIT_DIAGNOSTICS;
	else
		status = emit_template(&c, o, to_file ? &target : NULL, &s);
	compile_free(&c);
	if (to_file)
		out_target_free(&target);
	session_close(&s);
	return status;
}

static void print_request_text(const struct iam_request *q, const struct src_map *src)
{
	const struct cv *r = q->resource;
	const char *res = r->kind == CV_STR ? r->u.s : cv_get(r, "Fn::Sub")->u.s;
	const struct src_file *f = src_get(src, q->span.file);
	printf("  %-36s %s\n", q->action, res);
	printf("  %-36s line %u: %s (%s)%s%s\n", "", src_locate(f, q->span.lo).line, q->capability,
	       q->why ? "refused" : "needed", q->why ? ": " : "", q->why ? q->why : "");
}

static void print_iam_text(const struct iam_report *r, const struct src_map *src)
{
	for (size_t i = 0; i < r->identities.n; i++) {
		const struct iam_identity *id = r->identities.items[i];
		printf("%s (%s, %s)\n", id->id, id->kind, id->what);
		for (size_t k = 0; k < r->needs.n; k++)
			if (strcmp(((const struct iam_request *)r->needs.items[k])->identity, id->id) == 0)
				print_request_text(r->needs.items[k], src);
		for (size_t k = 0; k < r->refused.n; k++)
			if (strcmp(((const struct iam_request *)r->refused.items[k])->identity, id->id) == 0)
				print_request_text(r->refused.items[k], src);
	}
}

static int cmd_iam(const struct options *o)
{
	if (o->noperands != 1)
		return cli_usage_error("%s", "`iam` takes exactly one file");
	if (o->format && strcmp(o->format, "json") != 0 && strcmp(o->format, "text") != 0)
		return cli_usage_error("`iam --format` takes text or json, not `%s`", o->format);
	struct session s;
	int status = session_open(&s, o);
	if (status != EXIT_OK)
		return status;
	struct input in;
	if (!input_read(o->operands[0], &in)) {
		session_close(&s);
		return EXIT_USAGE;
	}
	struct compile c;
	compile_input(&c, &s, o->operands[0], &in, COMPILE_LOWER);
	report_text(&c, o);
	if (diag_has_errors(&c.diags) || !c.tmpl) {
		status = EXIT_DIAGNOSTICS;
	} else {
		struct iam_report *r = iam_report(c.arena, c.env, c.tmpl, &c.src);
		if (o->format && strcmp(o->format, "json") == 0) {
			size_t n;
			char *json = emit_value_json(iam_report_value(c.arena, r, c.env, &c.src), &n);
			if (!json || fwrite(json, 1, n, stdout) != n)
				status = EXIT_USAGE;
			free(json);
		} else {
			print_iam_text(r, &c.src);
		}
	}
	compile_free(&c);
	session_close(&s);
	return status;
}

/*
 * One side of `sgc diff`: a template read and normalised, or a .sgl file
 * compiled in memory (its diagnostics on standard error). NULL after
 * saying why; *status is then EXIT_DIAGNOSTICS or EXIT_USAGE.
 */
static json_t *diff_side(const struct session *s, const char *path, int *status)
{
	struct input in;
	if (!input_read(path, &in)) {
		*status = EXIT_USAGE;
		return NULL;
	}
	if (ends_with(path, ".sgl")) {
		struct compile c;
		compile_input(&c, s, path, &in, COMPILE_LOWER);
		report_text(&c, s->o);
		json_t *t = NULL;
		if (!diag_has_errors(&c.diags) && c.json) {
			struct diff_error err;
			t = diff_load(c.json, c.json_len, &err);
		}
		compile_free(&c);
		if (!t)
			*status = EXIT_DIAGNOSTICS;
		return t;
	}
	struct diff_error err;
	json_t *t = diff_load(in.text, in.len, &err);
	if (!t) {
		fprintf(stderr, "%s:%d:%d: error: %s\n", source_name(path), err.line, err.column, err.message);
		*status = EXIT_DIAGNOSTICS;
	}
	input_free(&in);
	return t;
}

/* Did the report find a change of the kind `--fail-on` names? */
static bool diff_trips(const json_t *report, const char *fail_on)
{
	const json_t *sum = json_object_get(report, "summary");
	json_int_t replaced = json_integer_value(json_object_get(sum, "replaced"));
	if (strcmp(fail_on, "replace") == 0)
		return replaced > 0;
	static const char *const keys[] = { "added", "removed", "modified", "replaced", "other" };
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (json_integer_value(json_object_get(sum, keys[i])) > 0)
			return true;
	return false;
}

static int cmd_diff(const struct options *o)
{
	if (o->noperands != 2)
		return cli_usage_error("%s", "`diff` takes two files: OLD NEW");
	enum diff_format fmt = DIFF_TEXT;
	if (o->format && strcmp(o->format, "markdown") == 0)
		fmt = DIFF_MARKDOWN;
	else if (o->format && strcmp(o->format, "json") == 0)
		fmt = DIFF_JSON;
	else if (o->format && strcmp(o->format, "text") != 0)
		return cli_usage_error("`diff --format` takes text, markdown or json, not `%s`", o->format);
	if (strcmp(o->operands[0], "-") == 0 && strcmp(o->operands[1], "-") == 0)
		return cli_usage_error("%s", "standard input can be OLD or NEW, not both");
	struct session s;
	int status = session_open(&s, o);
	if (status != EXIT_OK)
		return status;
	json_t *old = diff_side(&s, o->operands[0], &status);
	json_t *new = status == EXIT_OK ? diff_side(&s, o->operands[1], &status) : NULL;
	if (old && new) {
		json_t *report = diff_templates(old, new);
		size_t n;
		char *text = diff_render(report, fmt, source_name(o->operands[0]),
					 source_name(o->operands[1]), &n);
		if (!text) {
			fprintf(stderr, "sgc: out of memory\n");
			status = EXIT_USAGE;
		} else {
			fwrite(text, 1, n, stdout);
			if (o->fail_on && diff_trips(report, o->fail_on))
				status = EXIT_DIFF_TRIPPED;
		}
		free(text);
		json_decref(report);
	}
	json_decref(old);
	json_decref(new);
	session_close(&s);
	return status;
}

/* ---- graph ---------------------------------------------------------------- */

/* Is `name` an executable file in a directory of PATH? */
/* Graphviz's `dot -TFORMAT` on `text`, without a shell; false after saying why. */
static bool render_dot(const char *text, size_t len, const char *format, char **out, size_t *out_len)
{
	char name[] = "dot", type[16];
	snprintf(type, sizeof type, "-T%s", format);
	char *const argv[] = { name, type, NULL };
	struct proc_io io = { .in = text, .in_len = len, .capture = true };
	int rc = proc_run(argv, &io);
	if (rc > 0)
		fprintf(stderr, "sgc: dot -T%s failed (exit %d)\n", format, rc);
	*out = io.out;
	*out_len = io.out_len;
	return rc == 0;
}

/* --format, or OUT's extension (.svg, .png), or dot. */
static const char *graph_format(const struct options *o)
{
	if (o->format)
		return o->format;
	if (o->output && ends_with(o->output, ".svg"))
		return "svg";
	if (o->output && ends_with(o->output, ".png"))
		return "png";
	return "dot";
}

static int graph_write(const char *data, size_t len, const struct out_target *t)
{
	if (t)
		return out_write_file(t, data, len) ? EXIT_OK : EXIT_USAGE;
	if (fwrite(data, 1, len, stdout) != len || fflush(stdout) != 0) {
		fprintf(stderr, "sgc: cannot write the graph: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	return EXIT_OK;
}

static int cmd_graph(const struct options *o)
{
	if (o->noperands != 1)
		return cli_usage_error("%s", "`graph` takes exactly one file");
	const char *format = graph_format(o);
	bool dot = strcmp(format, "dot") == 0;
	if (!dot && strcmp(format, "svg") != 0 && strcmp(format, "png") != 0)
		return cli_usage_error("`graph --format` takes dot, svg or png, not `%s`", format);
	if (!dot && !proc_on_path("dot")) {
		fprintf(stderr, "sgc: `graph --format %s` needs Graphviz's `dot` on PATH; install the "
			"graphviz package (Debian, Ubuntu: apt-get install graphviz), or use --format dot\n",
			format);
		return EXIT_USAGE;
	}
	struct session s;
	int status = session_open(&s, o);
	if (status != EXIT_OK)
		return status;
	struct input in;
	if (!session_read(&s, o->operands[0], &in)) {
		session_close(&s);
		return EXIT_USAGE;
	}
	struct out_target target = { 0 };
	bool to_file = o->output && strcmp(o->output, "-") != 0;
	if (to_file && !session_output(&s, o->output, &target)) {
		input_free(&in);
		session_close(&s);
		return EXIT_USAGE;
	}
	struct compile c;
	compile_input(&c, &s, o->operands[0], &in, COMPILE_CHECK);
	report_text(&c, o);
	if (diag_has_errors(&c.diags) || !c.env) {
		status = EXIT_DIAGNOSTICS;
	} else {
		size_t n;
		const char *text = graph_dot(c.arena, c.env, &n);
		if (dot) {
			status = graph_write(text, n, to_file ? &target : NULL);
		} else {
			char *pic;
			size_t pic_len;
			status = render_dot(text, n, format, &pic, &pic_len)
				? graph_write(pic, pic_len, to_file ? &target : NULL) : EXIT_USAGE;
			free(pic);
		}
	}
	compile_free(&c);
	if (to_file)
		out_target_free(&target);
	session_close(&s);
	return status;
}

/*
 * The section `## CODE: title` of docs/diagnostics.md, embedded at build
 * time, up to the next `## ` heading: the same text the docs show.
 */
static int cmd_explain(const struct options *o)
{
	if (o->noperands != 1)
		return cli_usage_error("%s", "`explain` takes one code, e.g. `sgc explain E0305`");
	const char *arg = o->operands[0];
	enum diag_code code;
	char upper[16];
	size_t n = strlen(arg);
	for (size_t i = 0; i < n && i < sizeof upper - 1; i++)
		upper[i] = (char)(arg[i] >= 'a' && arg[i] <= 'z' ? arg[i] - 'a' + 'A' : arg[i]);
	upper[n < sizeof upper - 1 ? n : sizeof upper - 1] = '\0';
	if (n >= sizeof upper || !diag_code_parse(upper, &code))
		return cli_usage_error("no diagnostic code `%s`", arg);
	const struct stdlib_file *doc = stdlib_find("docs/diagnostics.md");
	char heading[32];
	snprintf(heading, sizeof heading, "## %s:", diag_code_name(code));
	const char *start = doc ? strstr(doc->text, heading) : NULL;
	if (!start) {
		printf("%s: %s\n", diag_code_name(code), diag_code_title(code));
		return EXIT_OK;
	}
	const char *end = strstr(start + 3, "\n## ");
	size_t len = end ? (size_t)(end - start) + 1 : strlen(start);
	fwrite(start, 1, len, stdout);
	return EXIT_OK;
}

/* Format one file; returns 0 unchanged, 1 changed (or would), -1 not formatted, -2 I/O. */
static int fmt_one(const char *path, bool check_only)
{
	struct input in;
	if (!input_read(path, &in))
		return -2;
	struct arena *a = arena_new();
	size_t out_len;
	const char *out = fmt_source(a, in.text, in.len, &out_len);
	bool same = out && out_len == in.len && memcmp(out, in.text, in.len) == 0;
	int result;
	if (!out) {
		fprintf(stderr, "sgc: cannot format `%s`: it does not parse (see `sgc check %s`)\n",
			path, path);
		result = -1;
	} else if (strcmp(path, "-") == 0) {
		if (!check_only)
			fwrite(out, 1, out_len, stdout);
		result = !same;
	} else if (same) {
		result = 0;
	} else if (check_only) {
		printf("%s\n", path);
		result = 1;
	} else {
		result = out_replace_file(path, out, out_len) ? 1 : -2;
	}
	arena_free(a);
	input_free(&in);
	return result;
}

/* `sgc fmt --tokens FILE`: the scanner's tokens and comments, one a line. */
static int fmt_tokens_of(const struct options *o)
{
	if (o->noperands != 1 || o->check_only)
		return cli_usage_error("%s", "`fmt --tokens` takes one FILE (or `-`), without --check");
	const char *path = o->operands[0];
	struct input in;
	if (!input_read(path, &in))
		return EXIT_USAGE;
	struct arena *a = arena_new();
	size_t n;
	bool clean;
	const char *out = fmt_tokens(a, in.text, in.len, &n, &clean);
	fwrite(out, 1, n, stdout);
	if (!clean)
		fprintf(stderr, "sgc: `%s` does not lex cleanly (see `sgc check %s`)\n", path, path);
	arena_free(a);
	input_free(&in);
	return clean ? EXIT_OK : EXIT_DIAGNOSTICS;
}

static int cmd_fmt(const struct options *o)
{
	if (o->tokens)
		return fmt_tokens_of(o);
	if (o->noperands == 0)
		return cli_usage_error("%s", "`fmt` needs at least one file or directory (or `-`)");
	struct input_list list;
	if (!input_list_collect(o->operands, (size_t)o->noperands, &list))
		return EXIT_USAGE;
	int status = EXIT_OK;
	for (size_t i = 0; i < list.n; i++) {
		int r = fmt_one(list.paths[i], o->check_only);
		if (r == -2)
			status = EXIT_USAGE;
		else if ((r == -1 || (r == 1 && o->check_only)) && status == EXIT_OK)
			status = EXIT_DIAGNOSTICS;
	}
	input_list_free(&list);
	return status;
}

static int cmd_help(const struct options *o)
{
	if (o->noperands > 1)
		return cli_usage_error("%s", "`help` takes at most one command");
	const char *text = cli_help_text(o->noperands ? o->operands[0] : NULL);
	if (!text)
		return cli_unknown_help_topic(o->operands[0]);
	fputs(text, stdout);
	return EXIT_OK;
}

static int run(const struct options *o)
{
	if (o->help)
		return fputs(cli_help_text(o->command_name), stdout), EXIT_OK;
	switch (o->command) {
	case CMD_BUILD:
		return cmd_build(o);
	case CMD_CHECK:
		return cmd_check(o);
	case CMD_FMT:
		return cmd_fmt(o);
	case CMD_IAM:
		return cmd_iam(o);
	case CMD_DIFF:
		return cmd_diff(o);
	case CMD_DEPLOY:
		return cmd_deploy(o);
	case CMD_GRAPH:
		return cmd_graph(o);
	case CMD_EXPLAIN:
		return cmd_explain(o);
	case CMD_HELP:
		return cmd_help(o);
	case CMD_LSP:
		if (o->noperands)
			return cli_usage_error("%s", "`lsp` takes no operands");
		return lsp_run(STDIN_FILENO, STDOUT_FILENO);
	case CMD_VERSION:
		if (o->noperands)
			return cli_usage_error("%s", "`version` takes nothing");
		printf("sgc %s\n", SGC_VERSION);
		return EXIT_OK;
	case CMD_NONE:
		break;
	}
	return cli_usage_error("%s", "no command given");
}

/* What went to standard output or error must have arrived: a full disk is exit 2, not 0. */
static int check_streams(int status)
{
	errno = 0;
	bool flushed = fflush(stdout) == 0;
	bool out_ok = flushed && !ferror(stdout);
	/* A failed template write already said so. */
	if (!out_ok && status != EXIT_USAGE)
		fprintf(stderr, "sgc: cannot write to standard output: %s\n",
			flushed || errno == 0 ? "a write failed" : strerror(errno));
	bool err_ok = fflush(stderr) == 0 && !ferror(stderr);
	return out_ok && err_ok ? status : EXIT_USAGE;
}

int main(int argc, char **argv)
{
	struct options o;
	int status = cli_parse(argc, argv, &o);
	if (status == EXIT_OK)
		status = run(&o);
	cli_free(&o);
	return check_streams(status);
}
