/*
 * fuzz_outputs.c - libFuzzer target for every output sgc writes.
 *
 * Each input is a source text, compiled in the sandbox (fuzz_common.h).
 * Its diagnostics go through every renderer, and when a template comes out,
 * through every emitter. What each must hold:
 *
 *   text-escapes       text diagnostics, with and without colour, hold no raw
 *                      control character (colour: only SGR sequences) and no
 *                      line a CI log would run as a workflow command (`::`);
 *   json-diagnostics   `check --format json` is a JSON array of located
 *                      diagnostics, no more than there are, and past the
 *                      cap a last entry counting those left out;
 *   sarif-diagnostics  `--format sarif` is a SARIF 2.1.0 log of one run;
 *   github-commands    `--format github` is one `::error`/`::warning` command
 *                      a line (`::notice` for the count past the cap), with
 *                      no other control character;
 *   template-json      the template is JSON and emitted the same twice;
 *   yaml-roundtrip     the YAML template reads back equal to the JSON, types too;
 *   params-json        the parameter file lists declared parameters only;
 *   iam-json           `sgc iam --format json` is JSON;
 *   iam-requests       every request names a known identity, its resource is a
 *                      string or an Fn::Sub (main.c's text form relies on it),
 *                      its span a place in the source;
 *   side-files-safe    files beside the template have relative paths inside
 *                      the output directory;
 *   side-files-unique  and no two have one path (one would overwrite the other);
 *   file-confined      no output holds the secret outside the root;
 *   path-independent   the outputs are byte-identical when the same source is
 *                      named `.../root/./fuzz.sgl`.
 */
#define _GNU_SOURCE /* memmem */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "emit.h"
#include "fuzz_common.h"
#include "iam.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

/* ---- diagnostics ---------------------------------------------------------- */

static size_t diag_count(const struct compile *c)
{
	size_t n, dropped;
	diag_sorted(&c->diags, 0, &n, &dropped);
	return n;
}

static void check_text(const struct compile *c, bool color, size_t cap)
{
	struct fuzz_buf b;
	struct diag_render_opts ro = { .color = color, .cap = cap };
	diag_render_text(fuzz_buf_open(&b), &c->diags, &c->src, &ro);
	fuzz_buf_close(&b);
	long at = fuzz_raw_control(b.text, b.len, color);
	if (at >= 0)
		fuzz_fail("text-escapes", "text diagnostics (colour %s) hold byte 0x%02x raw at %ld",
			  color ? "on" : "off", (unsigned char)b.text[at], at);
	at = fuzz_workflow_command(b.text, b.len);
	if (at >= 0)
		fuzz_fail("text-escapes", "a line of text diagnostics starts with `::` at %ld", at);
	fuzz_buf_free(&b);
}

static void check_located(const char *property, json_t *o)
{
	json_int_t line = json_integer_value(json_object_get(o, "line"));
	json_int_t col = json_integer_value(json_object_get(o, "column"));
	if (!json_is_string(json_object_get(o, "code")) || line < 1 || col < 1)
		fuzz_fail(property, "a diagnostic without a code, line or column");
}

static void check_json(const struct compile *c, const struct diag_sink *const *sinks,
		       const struct src_map *const *maps)
{
	struct fuzz_buf b;
	diag_render_json(fuzz_buf_open(&b), sinks, maps, 1);
	fuzz_buf_close(&b);
	json_t *all = fuzz_expect_json("json-diagnostics", "--format json", b.text, b.len);
	if (!json_is_array(all) || json_array_size(all) > diag_count(c))
		fuzz_fail("json-diagnostics", "not an array of at most %zu diagnostics", diag_count(c));
	size_t i;
	json_t *o;
	json_array_foreach(all, i, o) {
		/* Past the cap, one last entry only counts what was left out. */
		json_t *omitted = json_object_get(o, "omitted");
		if (omitted && i + 1 == json_array_size(all)) {
			if (!json_is_integer(omitted) || json_integer_value(omitted) < 1)
				fuzz_fail("json-diagnostics", "an omitted count that is not positive");
			continue;
		}
		check_located("json-diagnostics", o);
	}
	json_decref(all);
	fuzz_buf_free(&b);
}

static void check_sarif(const struct compile *c, const struct diag_sink *const *sinks,
			const struct src_map *const *maps)
{
	struct fuzz_buf b;
	diag_render_sarif(fuzz_buf_open(&b), sinks, maps, 1, "fuzz");
	fuzz_buf_close(&b);
	json_t *log = fuzz_expect_json("sarif-diagnostics", "--format sarif", b.text, b.len);
	json_t *runs = json_object_get(log, "runs");
	json_t *results = json_object_get(json_array_get(runs, 0), "results");
	const char *version = json_string_value(json_object_get(log, "version"));
	if (!version || strcmp(version, "2.1.0") != 0 ||
	    json_array_size(runs) != 1 || !json_is_array(results) ||
	    json_array_size(results) > diag_count(c))
		fuzz_fail("sarif-diagnostics", "not a SARIF 2.1.0 log of one run with its results");
	/* A run whose checking stopped early is never reported as successful. */
	json_t *inv = json_object_get(json_array_get(runs, 0), "invocations");
	json_t *ok = json_object_get(json_array_get(inv, 0), "executionSuccessful");
	if (json_array_size(inv) != 1 || !json_is_boolean(ok) ||
	    json_is_true(ok) != (c->diags.stopped_after == NULL))
		fuzz_fail("sarif-diagnostics", "executionSuccessful does not say whether checking stopped early");
	json_decref(log);
	fuzz_buf_free(&b);
}

static void check_github(const struct compile *c, const struct diag_sink *const *sinks,
			 const struct src_map *const *maps)
{
	struct fuzz_buf b;
	diag_render_github(fuzz_buf_open(&b), sinks, maps, 1);
	fuzz_buf_close(&b);
	size_t lines = 0;
	for (size_t i = 0; i < b.len; lines++) {
		const char *line = b.text + i;
		const char *nl = memchr(line, '\n', b.len - i);
		size_t n = nl ? (size_t)(nl - line) : b.len - i;
		/* ::notice: past the cap, the count of what was left out. */
		if (strncmp(line, "::error ", 8) != 0 && strncmp(line, "::warning ", 10) != 0 &&
		    strncmp(line, "::notice ", 9) != 0)
			fuzz_fail("github-commands", "line %zu is not a workflow command", lines + 1);
		long at = fuzz_raw_control(line, n, false);
		if (at >= 0)
			fuzz_fail("github-commands", "line %zu holds byte 0x%02x raw", lines + 1,
				  (unsigned char)line[at]);
		i += n + 1;
	}
	if (lines > diag_count(c))
		fuzz_fail("github-commands", "%zu commands for %zu diagnostics", lines, diag_count(c));
	fuzz_buf_free(&b);
}

static void check_diagnostics(const struct compile *c)
{
	check_text(c, false, 50);
	check_text(c, true, 50);
	const struct diag_sink *sinks[] = { &c->diags };
	const struct src_map *maps[] = { &c->src };
	check_json(c, sinks, maps);
	check_sarif(c, sinks, maps);
	check_github(c, sinks, maps);
}

/* ---- the template and the files beside it ----------------------------------- */

static void no_secret(const char *what, const char *text, size_t len)
{
	if (text && memmem(text, len, FUZZ_SECRET, sizeof FUZZ_SECRET - 1))
		fuzz_fail("file-confined", "%s holds a file from outside the root", what);
}

/* The template parsed once, for the checks that read it. */
static json_t *check_template(const struct compile *c)
{
	size_t len;
	char *again = emit_json(c->tmpl, &len);
	json_t *tmpl = fuzz_expect_json("template-json", "the template", c->json, c->json_len);
	if (!again || len != c->json_len || memcmp(again, c->json, len) != 0)
		fuzz_fail("template-json", "a second emit_json differs");
	free(again);
	no_secret("the template", c->json, c->json_len);

	char *yaml = emit_yaml(c->tmpl, &len);
	if (!yaml)
		fuzz_fail("yaml-roundtrip", "emit_yaml failed");
	const char *why = yaml && tmpl ? fuzz_yaml_differs(yaml, len, tmpl) : NULL;
	if (why)
		fuzz_fail("yaml-roundtrip", "the YAML template read back has %s", why);
	free(yaml);
	return tmpl;
}

static void check_params(const struct compile *c, json_t *tmpl)
{
	size_t len;
	char *text = emit_params_json(c->tmpl, &len);
	json_t *list = fuzz_expect_json("params-json", "the parameter file", text, len);
	json_t *declared = json_object_get(tmpl, "Parameters");
	size_t i;
	json_t *p;
	json_array_foreach(list, i, p) {
		const char *key = json_string_value(json_object_get(p, "ParameterKey"));
		if (!key || !json_is_string(json_object_get(p, "ParameterValue")) ||
		    !json_object_get(declared, key))
			fuzz_fail("params-json", "entry %zu is not a declared parameter with a value", i);
	}
	json_decref(list);
	free(text);
}

static bool is_identity(const struct iam_report *r, const char *id)
{
	for (size_t i = 0; id && i < r->identities.n; i++)
		if (strcmp(((const struct iam_identity *)r->identities.items[i])->id, id) == 0)
			return true;
	return false;
}

static void check_requests(const struct compile *c, const struct iam_report *r,
			   const struct ptrvec *list)
{
	for (size_t i = 0; i < list->n; i++) {
		const struct iam_request *q = list->items[i];
		const struct cv *res = q->resource, *sub = NULL;
		if (res && res->kind == CV_OBJ)
			sub = cv_get(res, "Fn::Sub");
		bool printable = res && (res->kind == CV_STR || (sub && sub->kind == CV_STR));
		if (!is_identity(r, q->identity) || !q->action || !printable ||
		    q->span.file >= c->src.nfiles)
			fuzz_fail("iam-requests", "request %zu (`%s`) is not one `sgc iam` can print", i,
				  q->action ? q->action : "?");
	}
}

static void check_iam(struct compile *c)
{
	struct iam_report *r = iam_report(c->arena, c->env, c->tmpl, &c->src);
	check_requests(c, r, &r->needs);
	check_requests(c, r, &r->refused);
	size_t len;
	char *text = emit_value_json(iam_report_value(c->arena, r, c->env, &c->src), &len);
	json_decref(fuzz_expect_json("iam-json", "the IAM report", text, len));
	free(text);
}

static void check_side_files(const struct compile *c)
{
	const struct ptrvec *files = &c->tmpl->files;
	for (size_t i = 0; i < files->n; i++) {
		const struct cfn_file *f = files->items[i];
		if (!*f->path || f->path[0] == '/' || strstr(f->path, "..") || strstr(f->path, "//"))
			fuzz_fail("side-files-safe", "a file beside the template is named `%s`", f->path);
		no_secret(f->path, f->text, f->len);
		for (size_t k = 0; k < i; k++)
			if (strcmp(f->path, ((const struct cfn_file *)files->items[k])->path) == 0)
				fuzz_fail("side-files-unique", "two files are written to `%s`", f->path);
	}
}

/* The same text under another spelling of its path: the same bytes out. */
static void check_path_independent(const struct compile *c, const char *text, size_t size)
{
	char other[4096];
	snprintf(other, sizeof other, "%s/./fuzz.sgl", fuzz_root());
	struct compile d;
	compile_init(&d);
	fuzz_compile_text(&d, other, text, size);
	if (!d.tmpl) {
		fuzz_fail("path-independent", "the source compiles under one spelling of its path only");
		compile_free(&d);
		return;
	}
	if (d.json_len != c->json_len || memcmp(d.json, c->json, c->json_len) != 0)
		fuzz_fail("path-independent", "the template depends on how the source path is spelled");
	const struct ptrvec *x = &c->tmpl->files, *y = &d.tmpl->files;
	for (size_t i = 0; i < x->n; i++) {
		const struct cfn_file *f = x->items[i], *g = i < y->n ? y->items[i] : NULL;
		if (!g || strcmp(f->path, g->path) != 0 || f->len != g->len ||
		    memcmp(f->text, g->text, f->len) != 0)
			fuzz_fail("path-independent", "`%s` depends on how the source path is spelled",
				  f->path);
	}
	compile_free(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct compile c;
	compile_init(&c);
	bool ok = fuzz_compile_text(&c, fuzz_source_path(), text, size);
	check_diagnostics(&c);
	if (ok && c.tmpl) {
		json_t *tmpl = check_template(&c);
		check_params(&c, tmpl);
		json_decref(tmpl);
		check_iam(&c);
		check_side_files(&c);
		if (fuzz_wants("path-independent"))
			check_path_independent(&c, text, size);
	}
	compile_free(&c);
	return 0;
}
