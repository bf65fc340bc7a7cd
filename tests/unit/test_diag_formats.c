/*
 * test_diag_formats.c - unit tests for compiler/diag_formats.c: the JSON,
 * SARIF and GitHub workflow-command renderings of diagnostics.
 *
 * Diagnostics come from compiling small sources with compile_text, or,
 * where the exact text matters (escaping), from diag_add on a sink over a
 * hand-made src_map. JSON and SARIF are parsed back with jansson and
 * checked field by field; GitHub lines are compared byte for byte. Also:
 * hostile values (control characters, bytes that are not UTF-8) keep the
 * output valid and escaped, and each format stops at DIAG_MACHINE_CAP
 * diagnostics per file with a notice of how many more there are.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "compile.h"
#include "diag.h"
#include "src.h"

/*
 * Line 7: E0305 at the subnet's CIDR (columns 23-34), with the network's
 * range on line 4 as a secondary label and a help line.
 * Line 8: W0405 at the second `logs` (columns 24-28), no label, no help.
 */
static const char two_problems[] =
	"environment e {\n"
	"  region = \"us-east-1\"\n"
	"  network vpc {\n"
	"    cidr = 10.0.0.0/16\n"
	"    isolation = isolated\n"
	"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
	"    subnet b { cidr = 10.1.2.0/24  zone = b }\n"
	"    endpoints = [logs, logs]\n"
	"  }\n"
	"}\n";

/* Line 9: W0702 at `versioning = false` (columns 17-35), with a note and help. */
static const char one_warning[] =
	"environment e {\n"
	"  region = \"us-east-1\"\n"
	"  network vpc {\n"
	"    cidr = 10.0.0.0/16\n"
	"    isolation = isolated\n"
	"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
	"    endpoints = [logs]\n"
	"  }\n"
	"  bucket data { versioning = false }\n"
	"}\n";

enum { MAX_FILES = 3 };

struct fixture {
	struct compile c[MAX_FILES];
	size_t n;
	/* For hand-made diagnostics. */
	struct arena *arena;
	struct src_map map;
	struct diag_sink sink;
};

static int setup(void **state)
{
	static struct fixture fx;
	memset(&fx, 0, sizeof fx);
	fx.arena = arena_new();
	src_map_init(&fx.map, fx.arena);
	diag_sink_init(&fx.sink, fx.arena);
	*state = &fx;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	for (size_t i = 0; i < fx->n; i++)
		compile_free(&fx->c[i]);
	arena_free(fx->arena);
	return 0;
}

/*
 * Compile one more file; its sink and map become the next renderer input.
 * As `sgc build` does: without the notes of `sgc check` (the scanner
 * suppressions, which test_notes_in_every_format covers).
 */
static struct compile *add_file_until(struct fixture *fx, const char *path, const char *text,
				      enum compile_until until)
{
	assert_true(fx->n < MAX_FILES);
	struct compile *c = &fx->c[fx->n++];
	compile_init(c);
	compile_text(c, path, text, strlen(text), until);
	return c;
}

static struct compile *add_file(struct fixture *fx, const char *path, const char *text)
{
	return add_file_until(fx, path, text, COMPILE_LOWER);
}

enum format { JSON, SARIF, GITHUB };

/* Render to a string (malloc'd; the caller frees). */
static char *render_sinks(enum format f, const struct diag_sink *const *sinks,
			  const struct src_map *const *maps, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	assert_non_null(out);
	if (f == JSON)
		diag_render_json(out, sinks, maps, n);
	else if (f == SARIF)
		diag_render_sarif(out, sinks, maps, n, "1.2.3");
	else
		diag_render_github(out, sinks, maps, n);
	fclose(out);
	return buf;
}

/* Render every compiled file of the fixture, in order. */
static char *render(struct fixture *fx, enum format f)
{
	const struct diag_sink *sinks[MAX_FILES];
	const struct src_map *maps[MAX_FILES];
	for (size_t i = 0; i < fx->n; i++) {
		sinks[i] = &fx->c[i].diags;
		maps[i] = &fx->c[i].src;
	}
	return render_sinks(f, sinks, maps, fx->n);
}

/* Render the hand-made sink. */
static char *render_own(struct fixture *fx, enum format f)
{
	const struct diag_sink *sinks[] = { &fx->sink };
	const struct src_map *maps[] = { &fx->map };
	return render_sinks(f, sinks, maps, 1);
}

/* Parse rendered JSON (freeing the text), which must end with one newline. */
static json_t *parse(char *text)
{
	size_t len = strlen(text);
	assert_true(len > 0 && text[len - 1] == '\n');
	json_error_t err;
	json_t *j = json_loads(text, JSON_REJECT_DUPLICATES, &err);
	if (!j)
		fail_msg("not JSON (%s at line %d):\n%s", err.text, err.line, text);
	free(text);
	return j;
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static void assert_streq(const char *got, const char *want)
{
	if (strcmp(got, want) != 0) {
		print_error("--- want\n%s\n--- got\n%s\n---\n", want, got);
		fail();
	}
}

/* Shorthands for reading parsed JSON; a missing key fails the test. */
static json_t *get(json_t *o, const char *key)
{
	json_t *v = json_object_get(o, key);
	if (!v)
		fail_msg("no key `%s`", key);
	return v;
}

static const char *get_str(json_t *o, const char *key)
{
	json_t *v = get(o, key);
	assert_true(json_is_string(v));
	return json_string_value(v);
}

static json_int_t get_int(json_t *o, const char *key)
{
	json_t *v = get(o, key);
	assert_true(json_is_integer(v));
	return json_integer_value(v);
}

/* A JSON diagnostic's position: line, column, end line, end column. */
static void assert_json_range(json_t *o, const char *file, int line, int col,
			      int end_line, int end_col)
{
	assert_string_equal(get_str(o, "file"), file);
	assert_int_equal(get_int(o, "line"), line);
	assert_int_equal(get_int(o, "column"), col);
	assert_int_equal(get_int(o, "end_line"), end_line);
	assert_int_equal(get_int(o, "end_column"), end_col);
}

static void assert_sarif_region(json_t *loc, const char *uri, int line, int col,
				int end_line, int end_col)
{
	json_t *phys = get(loc, "physicalLocation");
	assert_string_equal(get_str(get(phys, "artifactLocation"), "uri"), uri);
	json_t *region = get(phys, "region");
	assert_int_equal(get_int(region, "startLine"), line);
	assert_int_equal(get_int(region, "startColumn"), col);
	assert_int_equal(get_int(region, "endLine"), end_line);
	assert_int_equal(get_int(region, "endColumn"), end_col);
}

static struct span sp(uint32_t lo, uint32_t hi)
{
	struct span s = { 0, lo, hi };
	return s;
}

/* ---- json ---- */

static void test_json_fields(void **state)
{
	struct fixture *fx = *state;
	add_file(fx, "t.sgl", two_problems);
	char *text = render(fx, JSON);
	/* One array, keys in the documented order (docs/formats.md), the format's version first. */
	assert_true(starts_with(text, "[{\"version\":1,\"code\":\"E0305\",\"severity\":\"error\",\"message\":"));
	json_t *all = parse(text);
	assert_true(json_is_array(all));
	assert_int_equal(json_array_size(all), 2);

	json_t *e = json_array_get(all, 0);
	assert_string_equal(get_str(e, "code"), "E0305");
	assert_string_equal(get_str(e, "severity"), "error");
	assert_string_equal(get_str(e, "message"), "subnet `b` is outside network `vpc`");
	assert_json_range(e, "t.sgl", 7, 23, 7, 34);
	assert_string_equal(get_str(e, "label"), "`10.1.2.0/24` is not inside `10.0.0.0/16`");
	assert_int_equal(json_array_size(get(e, "notes")), 0);
	assert_string_equal(get_str(e, "help"),
			    "pick a free range inside `10.0.0.0/16`, e.g. `10.0.0.0/24`");
	json_t *related = get(e, "related");
	assert_int_equal(json_array_size(related), 1);
	json_t *r = json_array_get(related, 0);
	assert_json_range(r, "t.sgl", 4, 12, 4, 23);
	assert_string_equal(get_str(r, "message"), "network range declared here");

	json_t *w = json_array_get(all, 1);
	assert_string_equal(get_str(w, "code"), "W0405");
	assert_string_equal(get_str(w, "severity"), "warning");
	assert_json_range(w, "t.sgl", 8, 24, 8, 28);
	assert_true(json_is_null(get(w, "label")));
	assert_true(json_is_null(get(w, "help")));
	assert_json_range(json_array_get(get(w, "related"), 0), "t.sgl", 8, 18, 8, 22);
	json_decref(all);
}

/* `sgc check a.sgl b.sgl`: each file's diagnostics keep its own name. */
static void test_json_two_files(void **state)
{
	struct fixture *fx = *state;
	add_file(fx, "a.sgl", two_problems);
	add_file(fx, "dir/b.sgl", one_warning);
	json_t *all = parse(render(fx, JSON));
	assert_int_equal(json_array_size(all), 3);
	assert_string_equal(get_str(json_array_get(all, 0), "file"), "a.sgl");
	assert_string_equal(get_str(json_array_get(all, 1), "file"), "a.sgl");
	json_t *b = json_array_get(all, 2);
	assert_string_equal(get_str(b, "code"), "W0702");
	assert_json_range(b, "dir/b.sgl", 9, 17, 9, 35);
	json_t *notes = get(b, "notes");
	assert_int_equal(json_array_size(notes), 1);
	assert_string_equal(json_string_value(json_array_get(notes, 0)),
			    "an overwritten or deleted object cannot be recovered");
	json_decref(all);
}

static void test_json_nothing_to_report(void **state)
{
	struct fixture *fx = *state;
	char *text = render_own(fx, JSON);
	assert_streq(text, "[]\n");
	free(text);
}

/*
 * An empty span ends where it starts; positions count characters, not
 * bytes; allowed warnings and duplicates are left out as in the text form;
 * bytes that are not UTF-8 do not lose the diagnostic.
 */
static void test_json_edges(void **state)
{
	struct fixture *fx = *state;
	/* line 2 is "é = 1  # sgc: allow W0702": its `=` is character 3, byte 3 */
	const char *text = "x\n\xc3\xa9 = 1  # sgc: allow W0702\n";
	src_add(&fx->map, "e.sgl", text, strlen(text));
	diag_add(&fx->sink, DIAG_E0107, sp(5, 5), "expected a value");
	diag_add(&fx->sink, DIAG_E0107, sp(5, 5), "expected a value");
	diag_add(&fx->sink, DIAG_W0702, sp(2, 4), "allowed on its line");
	diag_add(&fx->sink, DIAG_E0001, sp(0, 1), "bad byte \xe9 here");
	diag_apply_allow_comments(&fx->sink, &fx->map);

	json_t *all = parse(render_own(fx, JSON));
	assert_int_equal(json_array_size(all), 2);
	json_t *bad = json_array_get(all, 0);
	assert_string_equal(get_str(bad, "code"), "E0001");
	assert_string_equal(get_str(bad, "message"), "bad byte ? here");
	json_t *empty = json_array_get(all, 1);
	assert_string_equal(get_str(empty, "code"), "E0107");
	assert_json_range(empty, "e.sgl", 2, 3, 2, 3);
	json_decref(all);
}

/* ---- sarif ---- */

static void test_sarif_structure(void **state)
{
	struct fixture *fx = *state;
	add_file(fx, "t.sgl", two_problems);
	add_file(fx, "again.sgl", two_problems);
	add_file(fx, "dir/my env.sgl", one_warning);
	char *text = render(fx, SARIF);
	assert_true(starts_with(text, "{\n  \"$schema\": "));
	json_t *log = parse(text);

	assert_string_equal(get_str(log, "$schema"),
			    "https://json.schemastore.org/sarif-2.1.0.json");
	assert_string_equal(get_str(log, "version"), "2.1.0");
	json_t *runs = get(log, "runs");
	assert_int_equal(json_array_size(runs), 1);
	json_t *run = json_array_get(runs, 0);
	json_t *driver = get(get(run, "tool"), "driver");
	assert_string_equal(get_str(driver, "name"), "sgc");
	assert_string_equal(get_str(driver, "version"), "1.2.3");

	/* One rule per distinct code, in code order. */
	json_t *rules = get(driver, "rules");
	assert_int_equal(json_array_size(rules), 3);
	static const char *const ids[] = { "E0305", "W0405", "W0702" };
	static const char *const levels[] = { "error", "warning", "warning" };
	for (size_t i = 0; i < 3; i++) {
		json_t *rule = json_array_get(rules, i);
		enum diag_code code;
		assert_string_equal(get_str(rule, "id"), ids[i]);
		assert_true(diag_code_parse(ids[i], &code));
		assert_string_equal(get_str(get(rule, "shortDescription"), "text"),
				    diag_code_title(code));
		assert_true(strlen(get_str(rule, "name")) > 0);
		assert_true(strlen(get_str(get(rule, "fullDescription"), "text")) > 0);
		assert_true(strlen(get_str(get(rule, "help"), "text")) > 0);
		assert_true(strlen(get_str(get(rule, "help"), "markdown")) > 0);
		assert_string_equal(get_str(get(rule, "defaultConfiguration"), "level"),
				    levels[i]);
	}
	assert_string_equal(get_str(json_array_get(rules, 0), "name"), "SubnetOutsideItsVPC");

	/* Every result points at its own rule; files keep their names. */
	json_t *results = get(run, "results");
	assert_int_equal(json_array_size(results), 5);
	static const char *const uris[] = { "t.sgl", "t.sgl", "again.sgl", "again.sgl",
					    "dir/my%20env.sgl" };
	for (size_t i = 0; i < 5; i++) {
		json_t *res = json_array_get(results, i);
		json_t *rule = json_array_get(rules, (size_t)get_int(res, "ruleIndex"));
		assert_non_null(rule);
		assert_string_equal(get_str(res, "ruleId"), get_str(rule, "id"));
		assert_string_equal(get_str(res, "level"),
				    get_str(get(rule, "defaultConfiguration"), "level"));
		assert_true(strlen(get_str(get(res, "message"), "text")) > 0);
		json_t *locations = get(res, "locations");
		assert_int_equal(json_array_size(locations), 1);
		assert_string_equal(get_str(get(get(json_array_get(locations, 0),
						    "physicalLocation"), "artifactLocation"), "uri"),
				    uris[i]);
	}

	json_t *e = json_array_get(results, 0);
	/* the message says what is wrong; the fix is apart, in properties.help */
	assert_string_equal(get_str(get(e, "message"), "text"), "subnet `b` is outside network `vpc`");
	assert_string_equal(get_str(get(e, "properties"), "help"),
			    "pick a free range inside `10.0.0.0/16`, e.g. `10.0.0.0/24`");
	assert_string_equal(get_str(get(get(json_array_get(get(e, "locations"), 0), "physicalLocation"),
				    "artifactLocation"), "uriBaseId"), "%SRCROOT%");
	assert_sarif_region(json_array_get(get(e, "locations"), 0), "t.sgl", 7, 23, 7, 34);
	json_t *related = get(e, "relatedLocations");
	assert_int_equal(json_array_size(related), 1);
	json_t *r = json_array_get(related, 0);
	assert_true(json_is_integer(get(r, "id")));
	assert_string_equal(get_str(get(r, "message"), "text"), "network range declared here");
	assert_sarif_region(r, "t.sgl", 4, 12, 4, 23);
	assert_sarif_region(json_array_get(get(json_array_get(results, 4), "locations"), 0),
			    "dir/my%20env.sgl", 9, 17, 9, 35);
	json_decref(log);
}

/* Rule help comes from docs/diagnostics.md, up to the section's example. */
static void test_sarif_rule_help_from_docs(void **state)
{
	struct fixture *fx = *state;
	add_file(fx, "t.sgl", two_problems);
	json_t *log = parse(render(fx, SARIF));
	json_t *rules = get(get(get(json_array_get(get(log, "runs"), 0), "tool"), "driver"), "rules");
	json_t *rule = json_array_get(rules, 0);
	const char *help = get_str(get(rule, "help"), "markdown");
	assert_true(starts_with(help, "*Error.* A subnet's range is not inside"));
	assert_non_null(strstr(help, "**Rule behind it.**"));
	assert_null(strstr(help, "Example"));
	assert_true(help[strlen(help) - 1] != '\n');
	assert_string_equal(get_str(get(rule, "help"), "text"), help);
	const char *full = get_str(get(rule, "fullDescription"), "text");
	assert_true(starts_with(full, "A subnet's range is not inside"));
	assert_null(strstr(full, "Rule behind it"));
	json_decref(log);
}

/*
 * Every code's section of docs/diagnostics.md yields help text that stops
 * before the example: this fails when a section is renamed or loses its
 * `**Example.**`.
 */
static void test_sarif_every_code_has_help(void **state)
{
	struct fixture *fx = *state;
	src_add(&fx->map, "all.sgl", "x\n", 2);
	for (int i = 0; i < DIAG_CODE_COUNT; i++)
		diag_add(&fx->sink, (enum diag_code)i, sp(0, 1), "m");
	json_t *log = parse(render_own(fx, SARIF));
	json_t *run = json_array_get(get(log, "runs"), 0);
	json_t *rules = get(get(get(run, "tool"), "driver"), "rules");
	assert_int_equal(json_array_size(rules), DIAG_CODE_COUNT);
	for (int i = 0; i < DIAG_CODE_COUNT; i++) {
		json_t *rule = json_array_get(rules, (size_t)i);
		const char *help = get_str(get(rule, "help"), "markdown");
		assert_string_equal(get_str(rule, "id"), diag_code_name((enum diag_code)i));
		if (strcmp(help, diag_code_title((enum diag_code)i)) == 0 ||
		    !(starts_with(help, "*Error.* ") || starts_with(help, "*Warning.* ") ||
		      starts_with(help, "*Note.* ")) ||
		    strstr(help, "```") || strstr(help, "\n## "))
			fail_msg("%s: help is not its documented meaning:\n%s",
				 diag_code_name((enum diag_code)i), help);
	}
	json_decref(log);
}

/* --deny warnings: the result is an error, the rule's default stays. */
static void test_sarif_denied_warning(void **state)
{
	struct fixture *fx = *state;
	struct compile *c = add_file(fx, "t.sgl", one_warning);
	diag_deny_warnings(&c->diags);
	json_t *log = parse(render(fx, SARIF));
	json_t *run = json_array_get(get(log, "runs"), 0);
	json_t *rule = json_array_get(get(get(get(run, "tool"), "driver"), "rules"), 0);
	json_t *res = json_array_get(get(run, "results"), 0);
	assert_string_equal(get_str(res, "ruleId"), "W0702");
	assert_int_equal(get_int(res, "ruleIndex"), 0);
	assert_string_equal(get_str(res, "level"), "error");
	assert_string_equal(get_str(get(rule, "defaultConfiguration"), "level"), "warning");
	json_decref(log);
}

static void test_sarif_nothing_to_report(void **state)
{
	struct fixture *fx = *state;
	json_t *log = parse(render_own(fx, SARIF));
	json_t *run = json_array_get(get(log, "runs"), 0);
	assert_int_equal(json_array_size(get(get(get(run, "tool"), "driver"), "rules")), 0);
	assert_int_equal(json_array_size(get(run, "results")), 0);
	json_decref(log);
}

/* ---- github ---- */

static void test_github_from_compile(void **state)
{
	struct fixture *fx = *state;
	add_file(fx, "t.sgl", two_problems);
	add_file(fx, "u.sgl", one_warning);
	char *got = render(fx, GITHUB);
	assert_streq(got,
		"::error file=t.sgl,line=7,col=23,endLine=7,endColumn=34,"
		"title=E0305 subnet outside its VPC::subnet `b` is outside network `vpc`"
		"%0Ahelp: pick a free range inside `10.0.0.0/16`, e.g. `10.0.0.0/24`\n"
		"::warning file=t.sgl,line=8,col=24,endLine=8,endColumn=28,"
		"title=W0405 endpoint listed twice::`logs` is listed twice\n"
		"::warning file=u.sgl,line=9,col=17,endLine=9,endColumn=35,"
		"title=W0702 bucket without versioning::bucket `data` keeps no object versions"
		"%0Ahelp: remove `versioning = false`\n");
	free(got);
}

/*
 * `sgc check` notes a suppressed scanner finding (N0640): JSON severity
 * "note", SARIF level "note" (rule and result), a GitHub ::notice; and
 * --deny warnings leaves it a note, failing nothing.
 */
static void test_notes_in_every_format(void **state)
{
	struct fixture *fx = *state;
	static const char net[] =
		"environment e {\n"
		"  region = \"us-east-1\"\n"
		"  network vpc {\n"
		"    cidr = 10.0.0.0/16\n"
		"    isolation = isolated\n"
		"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
		"  }\n"
		"}\n";
	struct compile *c = add_file_until(fx, "n.sgl", net, COMPILE_CHECK);
	diag_deny_warnings(&c->diags);
	assert_false(diag_has_errors(&c->diags));
	assert_int_equal(c->diags.nnotes, 1);

	json_t *all = parse(render(fx, JSON));
	assert_int_equal(json_array_size(all), 1);
	json_t *n = json_array_get(all, 0);
	assert_string_equal(get_str(n, "code"), "N0640");
	assert_string_equal(get_str(n, "severity"), "note");
	assert_json_range(n, "n.sgl", 3, 11, 3, 14);
	assert_true(starts_with(json_string_value(json_array_get(get(n, "notes"), 0)),
				"rules: HIPAA.Security-VPCDefaultSecurityGroupClosed"));
	json_decref(all);

	json_t *log = parse(render(fx, SARIF));
	json_t *run = json_array_get(get(log, "runs"), 0);
	json_t *rule = json_array_get(get(get(get(run, "tool"), "driver"), "rules"), 0);
	assert_string_equal(get_str(rule, "id"), "N0640");
	assert_string_equal(get_str(get(rule, "defaultConfiguration"), "level"), "note");
	assert_true(starts_with(get_str(get(rule, "help"), "markdown"), "*Note.* "));
	json_t *res = json_array_get(get(run, "results"), 0);
	assert_string_equal(get_str(res, "level"), "note");
	json_decref(log);

	char *got = render(fx, GITHUB);
	assert_true(starts_with(got, "::notice file=n.sgl,line=3,col=11,endLine=3,endColumn=14,"
				     "title=N0640 scanner finding suppressed::"));
	free(got);
}

/*
 * `%`, CR and LF are escaped everywhere, `:` and `,` only in properties;
 * a span over two lines gives no columns (the runner would drop them).
 */
static void test_github_escaping(void **state)
{
	struct fixture *fx = *state;
	const char *text = "share = 100%\nof: a, b\n";
	src_add(&fx->map, "a,b:c%.sgl", text, strlen(text));
	struct diag *d = diag_add(&fx->sink, DIAG_E0210, sp(8, 12),
				  "`100%%` is not a share: use a, b or c");
	diag_help(&fx->sink, d, "write 50%%\r\nor less");
	diag_add(&fx->sink, DIAG_W0702, sp(8, 16), "spans: two, lines");
	char *got = render_own(fx, GITHUB);
	assert_streq(got,
		"::error file=a%2Cb%3Ac%25.sgl,line=1,col=9,endLine=1,endColumn=13,"
		"title=E0210 invalid value::`100%25` is not a share: use a, b or c"
		"%0Ahelp: write 50%25%0D%0Aor less\n"
		"::warning file=a%2Cb%3Ac%25.sgl,line=1,endLine=2,"
		"title=W0702 bucket without versioning::spans: two, lines\n");
	free(got);
}

/* ---- hostile values ---- */

/*
 * Decoded string values with control characters, and bytes that are not
 * UTF-8 (which jansson refuses) in every string field: the output still
 * parses, control characters come back exactly, bad bytes as `?`.
 */
static const char hostile[] = "us-east-1\n::error file=x::pwned\x1b]0;title\x07\xE2\x80\xAE\r\t\x7f";

static void add_hostile(struct fixture *fx)
{
	const char *text = "region = \"x\"\n";
	src_add(&fx->map, "dir/\xFF" "evil\n\x1b.sgl", text, strlen(text));
	struct diag *d = diag_add(&fx->sink, DIAG_E0309, sp(9, 12), "unknown AWS Region `%s`", hostile);
	diag_label(&fx->sink, d, "bad \xC3 byte");
	diag_secondary(&fx->sink, d, sp(0, 6), "%s", hostile);
	diag_note(&fx->sink, d, "cut \xE2\x80");
	diag_help(&fx->sink, d, "%s\xF5", hostile);
}

static void test_json_hostile_values(void **state)
{
	struct fixture *fx = *state;
	add_hostile(fx);
	char *text = render_own(fx, JSON);
	/* jansson escapes C0; DEL and U+202E, valid JSON as they are, are escaped too */
	assert_null(strchr(text, '\x1b'));
	assert_null(strchr(text, '\x7f'));
	assert_null(strstr(text, "\xE2\x80\xAE"));
	assert_non_null(strstr(text, "pwned\\u001B]0;title\\u0007\\u202E\\r\\t\\u007F"));
	json_t *all = parse(text);
	json_t *e = json_array_get(all, 0);
	char want[256];
	snprintf(want, sizeof want, "unknown AWS Region `%s`", hostile);
	assert_string_equal(get_str(e, "message"), want);
	assert_string_equal(get_str(e, "file"), "dir/?evil\n\x1b.sgl");
	assert_string_equal(get_str(e, "label"), "bad ? byte");
	assert_string_equal(json_string_value(json_array_get(get(e, "notes"), 0)), "cut ??");
	snprintf(want, sizeof want, "%s?", hostile);
	assert_string_equal(get_str(e, "help"), want);
	assert_string_equal(get_str(json_array_get(get(e, "related"), 0), "message"), hostile);
	json_decref(all);
}

static void test_sarif_hostile_values(void **state)
{
	struct fixture *fx = *state;
	add_hostile(fx);
	char *text = render_own(fx, SARIF);
	assert_null(strchr(text, '\x1b'));
	assert_null(strchr(text, '\x7f'));
	assert_null(strstr(text, "\xE2\x80\xAE"));
	json_t *log = parse(text);
	json_t *res = json_array_get(get(json_array_get(get(log, "runs"), 0), "results"), 0);
	const char *msg = get_str(get(res, "message"), "text");
	char want[256];
	snprintf(want, sizeof want, "unknown AWS Region `%s`", hostile);
	assert_string_equal(msg, want);
	snprintf(want, sizeof want, "%s?", hostile);
	assert_string_equal(get_str(get(res, "properties"), "help"), want);
	json_t *loc = json_array_get(get(res, "locations"), 0);
	assert_string_equal(get_str(get(get(loc, "physicalLocation"), "artifactLocation"), "uri"),
			    "dir/%FFevil%0A%1B.sgl");
	assert_string_equal(get_str(get(loc, "message"), "text"), "bad ? byte");
	json_decref(log);
}

/*
 * GitHub: `%`, CR and LF by the workflow-command rules; every other control
 * character visible, as in the text form, so nothing reaches the log raw.
 */
static void test_github_escapes_control_characters(void **state)
{
	struct fixture *fx = *state;
	add_hostile(fx);
	char *got = render_own(fx, GITHUB);
	assert_streq(got,
		"::error file=dir/?evil%0A\\x1b.sgl,line=1,col=10,endLine=1,endColumn=13,"
		"title=E0309 unknown region::unknown AWS Region `us-east-1%0A::error file=x::pwned"
		"\\x1b]0;title\\x07\\u{202e}%0D\\t\\x7f`"
		"%0Ahelp: us-east-1%0A::error file=x::pwned\\x1b]0;title\\x07\\u{202e}%0D\\t\\x7f?\n");
	free(got);
}

/* ---- the cap ---- */

/* DIAG_MACHINE_CAP + extra diagnostics, one per byte of a long line. */
static void add_over_cap(struct fixture *fx, uint32_t extra)
{
	uint32_t n = DIAG_MACHINE_CAP + extra;
	char *text = arena_alloc(fx->arena, n + 2);
	memset(text, '@', n);
	text[n] = '\n';
	text[n + 1] = '\0';
	src_add(&fx->map, "big.sgl", text, n + 1);
	for (uint32_t i = n; i-- > 0;)
		diag_add(&fx->sink, DIAG_E0103, sp(i, i + 1), "unexpected character `@`");
}

static void test_json_cap(void **state)
{
	struct fixture *fx = *state;
	add_over_cap(fx, 7);
	json_t *all = parse(render_own(fx, JSON));
	assert_int_equal(json_array_size(all), DIAG_MACHINE_CAP + 1);
	assert_json_range(json_array_get(all, DIAG_MACHINE_CAP - 1), "big.sgl", 1,
			  DIAG_MACHINE_CAP, 1, DIAG_MACHINE_CAP + 1);
	json_t *note = json_array_get(all, DIAG_MACHINE_CAP);
	assert_true(json_is_null(get(note, "code")));
	assert_string_equal(get_str(note, "severity"), "note");
	assert_string_equal(get_str(note, "message"),
			    "7 more diagnostics not shown: at most 10000 are reported per file");
	assert_int_equal(get_int(note, "omitted"), 7);
	/* at the first one left out */
	assert_json_range(note, "big.sgl", 1, DIAG_MACHINE_CAP + 1, 1, DIAG_MACHINE_CAP + 2);
	json_decref(all);
}

static void test_sarif_cap(void **state)
{
	struct fixture *fx = *state;
	add_over_cap(fx, 1);
	json_t *log = parse(render_own(fx, SARIF));
	json_t *run = json_array_get(get(log, "runs"), 0);
	assert_int_equal(json_array_size(get(run, "results")), DIAG_MACHINE_CAP);
	json_t *inv = json_array_get(get(run, "invocations"), 0);
	assert_true(json_is_true(get(inv, "executionSuccessful")));
	json_t *note = json_array_get(get(inv, "toolExecutionNotifications"), 0);
	assert_string_equal(get_str(note, "level"), "note");
	assert_string_equal(get_str(get(note, "message"), "text"),
			    "1 more diagnostic not shown: at most 10000 are reported per file");
	assert_sarif_region(json_array_get(get(note, "locations"), 0), "big.sgl", 1,
			    DIAG_MACHINE_CAP + 1, 1, DIAG_MACHINE_CAP + 2);
	json_decref(log);
}

static void test_github_cap(void **state)
{
	struct fixture *fx = *state;
	add_over_cap(fx, 3);
	char *got = render_own(fx, GITHUB);
	size_t lines = 0;
	for (char *p = got; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, DIAG_MACHINE_CAP + 1);
	char *last = got + strlen(got) - 1;
	while (last > got && last[-1] != '\n')
		last--;
	assert_streq(last, "::notice file=big.sgl,line=1,col=10001,endLine=1,endColumn=10002::"
			   "3 more diagnostics not shown: at most 10000 are reported per file\n");
	free(got);
}

/* Under the cap, no notice: the output is exactly the diagnostics. */
static void test_cap_exactly_reached(void **state)
{
	struct fixture *fx = *state;
	add_over_cap(fx, 0);
	json_t *all = parse(render_own(fx, JSON));
	assert_int_equal(json_array_size(all), DIAG_MACHINE_CAP);
	assert_string_equal(get_str(json_array_get(all, DIAG_MACHINE_CAP - 1), "code"), "E0103");
	json_decref(all);
	/* one invocation, no notification; the file's checking went to its end */
	json_t *log = parse(render_own(fx, SARIF));
	json_t *inv = get(json_array_get(get(log, "runs"), 0), "invocations");
	assert_int_equal(json_array_size(inv), 1);
	assert_true(json_is_true(get(json_array_get(inv, 0), "executionSuccessful")));
	assert_null(json_object_get(json_array_get(inv, 0), "toolExecutionNotifications"));
	json_decref(log);
}

/* Each file has its own cap and its own notice. */
static void test_cap_per_file(void **state)
{
	struct fixture *fx = *state;
	add_over_cap(fx, 2);
	struct arena *a = arena_new();
	struct src_map map2;
	struct diag_sink sink2;
	src_map_init(&map2, a);
	diag_sink_init(&sink2, a);
	src_add(&map2, "small.sgl", "x\n", 2);
	diag_add(&sink2, DIAG_E0103, sp(0, 1), "one");
	const struct diag_sink *sinks[] = { &fx->sink, &sink2 };
	const struct src_map *maps[] = { &fx->map, &map2 };
	json_t *all = parse(render_sinks(JSON, sinks, maps, 2));
	assert_int_equal(json_array_size(all), DIAG_MACHINE_CAP + 2);
	assert_int_equal(get_int(json_array_get(all, DIAG_MACHINE_CAP), "omitted"), 2);
	assert_string_equal(get_str(json_array_get(all, DIAG_MACHINE_CAP + 1), "file"), "small.sgl");
	json_decref(all);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_json_fields, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_two_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_notes_in_every_format, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_nothing_to_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sarif_structure, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sarif_rule_help_from_docs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sarif_every_code_has_help, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sarif_denied_warning, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sarif_nothing_to_report, setup, teardown),
		cmocka_unit_test_setup_teardown(test_github_from_compile, setup, teardown),
		cmocka_unit_test_setup_teardown(test_github_escaping, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_hostile_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sarif_hostile_values, setup, teardown),
		cmocka_unit_test_setup_teardown(test_github_escapes_control_characters, setup, teardown),
		cmocka_unit_test_setup_teardown(test_json_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sarif_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_github_cap, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_exactly_reached, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cap_per_file, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
