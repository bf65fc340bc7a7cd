/*
 * fuzz_vars.c - libFuzzer target for the variables loader (vars.h).
 *
 * Each input is a variables file (`sgc build --vars FILE`: JSON when it
 * starts with `{`, YAML otherwise). It is loaded; a first line `#D NAME=VALUE`
 * (a YAML comment) is also given as one `-D` (which wins, as on the command line); and
 * a fixed environment declaring a parameter of every type is compiled
 * with the result; the diagnostics, located in the variables file, are
 * rendered as text and JSON. Properties:
 *
 *   vars-reports      vars_load fails exactly when it reports an error;
 *   vars-spans        every name and value span lies inside its own source;
 *   vars-json-agrees  a JSON object of scalars that jansson reads (and that
 *                     holds no NUL, which sgc refuses) is loaded
 *                     whole: every key, in order, nothing reported;
 *   vars-unique       a file never yields one name twice (JSON refuses
 *                     duplicate keys; issue 9: YAML must too);
 *   vars-reach-params when the compile succeeds, the last value given for
 *                     `instance_type` is the one in the parameter file.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "compile.h"
#include "emit.h"
#include "fuzz_common.h"
#include "vars.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

/* A parameter of every type; only `instance` ones reach the template. */
static const char program[] =
	"import std.endpoints\n"
	"\n"
	"environment stage {\n"
	"  region = \"eu-west-1\"\n"
	"\n"
	"  param instance_type: instance = ml.t3.medium\n"
	"  param team: string = \"ml\"\n"
	"  param replicas: int = 2\n"
	"  param enabled: bool = true\n"
	"  param disk: size = 50 GB\n"
	"  param api_token: string\n"
	"\n"
	"  network vpc {\n"
	"    cidr      = 10.0.0.0/16\n"
	"    isolation = isolated\n"
	"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
	"    endpoints = std.endpoints.notebook\n"
	"  }\n"
	"\n"
	"  notebook analyst {\n"
	"    instance = param.instance_type\n"
	"    subnet   = vpc.a\n"
	"  }\n"
	"}\n";

static void check_spans(const struct compile *c)
{
	for (size_t i = 0; i < c->vars.n; i++) {
		const struct var *v = c->vars.items[i];
		const struct span s[2] = { v->name_span, v->value_span };
		for (int k = 0; k < 2; k++) {
			if (s[k].file >= c->src.nfiles || s[k].lo > s[k].hi ||
			    s[k].hi > src_get(&c->src, s[k].file)->len)
				fuzz_fail("vars-spans", "variable `%s`: span %u:%u-%u out of its source",
					  v->name, s[k].file, s[k].lo, s[k].hi);
		}
	}
}

/* From one file (`first` .. `end`), no name twice. */
static int by_name(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Sorted, so that the check stays linearithmic on the 40k-key reproducer. */
static void check_unique(const struct compile *c, size_t first, size_t end)
{
	if (end - first < 2)
		return;
	const char **names = malloc((end - first) * sizeof *names);
	if (!names)
		return;
	for (size_t i = first; i < end; i++)
		names[i - first] = ((const struct var *)c->vars.items[i])->name;
	qsort(names, end - first, sizeof *names, by_name);
	for (size_t i = 1; i < end - first; i++)
		if (strcmp(names[i], names[i - 1]) == 0)
			fuzz_fail("vars-unique", "the variables file gives `%s` twice", names[i]);
	free(names);
}

static bool starts_with_brace(const char *text, size_t len)
{
	size_t i = 0;
	while (i < len && strchr(" \t\r\n", text[i]) && text[i])
		i++;
	return i < len && text[i] == '{';
}

/* jansson's own reading of a JSON file, against what vars_load made of it. */
static void check_json_agrees(const struct compile *c, const char *text, size_t len, bool loaded,
			      size_t nloaded)
{
	/* jansson reads past a raw NUL; sgc refuses any NUL in a variables file. */
	if (memchr(text, '\0', len))
		return;
	json_error_t err;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!json_is_object(root)) {
		json_decref(root);
		return;
	}
	const char *key;
	json_t *val;
	bool scalars = true;
	json_object_foreach(root, key, val)
		scalars = scalars && !json_is_object(val) && !json_is_array(val);
	if (scalars) {
		if (!loaded || nloaded != json_object_size(root)) {
			fuzz_fail("vars-json-agrees", "jansson reads %zu scalars, vars_load %s %zu",
				  json_object_size(root), loaded ? "gave" : "failed after", nloaded);
			json_decref(root);
			return;
		}
		size_t i = 0;
		json_object_foreach(root, key, val) {
			const struct var *v = c->vars.items[i++];
			if (strcmp(v->name, key) != 0)
				fuzz_fail("vars-json-agrees", "key %zu is `%s`, loaded as `%s`", i, key,
					  v->name);
		}
	}
	json_decref(root);
}

/* `#D NAME=VALUE` on the first line: one -D definition, when it has no NUL. */
static void define_first_line(struct compile *c, const char *text, size_t len)
{
	if (len < 3 || memcmp(text, "#D ", 3) != 0)
		return;
	const char *nl = memchr(text, '\n', len);
	size_t n = (nl ? (size_t)(nl - text) : len) - 3;
	if (memchr(text + 3, '\0', n))
		return;
	char *arg = arena_strndup(c->arena, text + 3, n);
	vars_define(c->arena, &c->src, &c->diags, arg, &c->vars);
}

static void check_params(struct compile *c)
{
	const char *want = NULL;
	for (size_t i = 0; i < c->vars.n; i++) {
		const struct var *v = c->vars.items[i];
		if (strcmp(v->name, "instance_type") == 0)
			want = v->value;
	}
	size_t len;
	char *text = emit_params_json(c->tmpl, &len);
	json_t *params = fuzz_expect_json("vars-reach-params", "the parameter file", text, len);
	const char *got = NULL;
	size_t i;
	json_t *p;
	json_array_foreach(params, i, p)
		if (strcmp(json_string_value(json_object_get(p, "ParameterKey")), "InstanceType") == 0)
			got = json_string_value(json_object_get(p, "ParameterValue"));
	if (want && (!got || strcmp(got, want) != 0))
		fuzz_fail("vars-reach-params", "instance_type `%s` became `%s` in the parameter file",
			  want, got ? got : "(none)");
	json_decref(params);
	free(text);
}

static void render(struct compile *c)
{
	FILE *sink = fopen("/dev/null", "w");
	if (!sink)
		return;
	struct diag_render_opts ro = { .color = false, .cap = 50 };
	diag_render_text(sink, &c->diags, &c->src, &ro);
	const struct diag_sink *sinks[] = { &c->diags };
	const struct src_map *maps[] = { &c->src };
	diag_render_json(sink, sinks, maps, 1);
	fclose(sink);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	struct compile c;
	compile_init(&c);
	bool loaded = vars_load(c.arena, &c.src, &c.diags, "stage.yaml", text, size, &c.vars);
	size_t nloaded = c.vars.n;
	if (loaded != !diag_has_errors(&c.diags))
		fuzz_fail("vars-reports", "vars_load returned %d with %u errors", loaded, c.diags.nerrors);
	check_unique(&c, 0, nloaded);
	if (starts_with_brace(text, size))
		check_json_agrees(&c, text, size, loaded, nloaded);
	define_first_line(&c, text, size);
	check_spans(&c);
	if (!diag_has_errors(&c.diags) &&
	    fuzz_compile_text(&c, fuzz_source_path(), program, sizeof program - 1))
		check_params(&c);
	render(&c);
	compile_free(&c);
	return 0;
}
