/*
 * test_emit_yaml.c - unit tests for the YAML emitter (compiler/emit_yaml.c).
 *
 * Every template is emitted as JSON and as YAML; the YAML is read back with
 * libyaml's document loader and compared with the JSON read by jansson:
 * the same keys in the same order, the same sequences, equal scalars, and
 * the same types. The types are judged here on their own, without the
 * emitter's rules: a plain YAML scalar stands for a JSON integer only when
 * it is a decimal integer, for a boolean only as true/false, and for a
 * string only when no YAML 1.1 or 1.2 reader could take it for a null, a
 * boolean, a number or a date. Quoted and block scalars are strings.
 * Run from the repository root (make unit does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "compile.h"
#include "emit.h"

/* ---- reading YAML back --------------------------------------------------- */

/* Loads exactly one document; false (with a message) on any parse error. */
static bool load_yaml(const char *text, size_t len, yaml_document_t *doc)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return false;
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	bool ok = yaml_parser_load(&p, doc);
	if (!ok) {
		print_error("YAML parse error: %s at line %zu column %zu\n",
			    p.problem ? p.problem : "?", p.problem_mark.line + 1,
			    p.problem_mark.column + 1);
	} else {
		yaml_document_t extra;
		if (!yaml_parser_load(&p, &extra)) {
			print_error("YAML parse error after the first document: %s\n",
				    p.problem ? p.problem : "?");
			ok = false;
		} else {
			if (yaml_document_get_root_node(&extra)) {
				print_error("more than one YAML document\n");
				ok = false;
			}
			yaml_document_delete(&extra);
		}
		if (!ok)
			yaml_document_delete(doc);
	}
	yaml_parser_delete(&p);
	return ok;
}

static bool is_one_of(const char *s, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(s, list[i]) == 0)
			return true;
	return false;
}

/* The whole of s (underscores dropped) is a C integer or floating literal, or 0b/0o/1.2.3. */
static bool numeric_literal(const char *s)
{
	char t[512];
	size_t k = 0;
	for (const char *p = s; *p && k + 1 < sizeof t; p++)
		if (*p != '_')
			t[k++] = *p;
	t[k] = '\0';
	const char *body = t + (t[0] == '+' || t[0] == '-');
	if (!isdigit((unsigned char)body[0]) && body[0] != '.')
		return false;
	char *end;
	(void)strtoll(t, &end, 0);
	if (end != t && *end == '\0')
		return true;
	(void)strtod(t, &end);
	if (end != t && *end == '\0')
		return true;
	/* 0b101, 0o17 */
	if (body[0] == '0' && (body[1] == 'b' || body[1] == 'o') && body[2]) {
		const char *digits = body[1] == 'b' ? "01" : "01234567";
		return strspn(body + 2, digits) == strlen(body + 2);
	}
	/* 1.2.3 (the YAML 1.1 spec's float pattern allows more dots) */
	if (strspn(body, "0123456789.") == strlen(body) && strchr(body, '.'))
		return true;
	return false;
}

/* 1:20, 190:20:30.15 (YAML 1.1 base 60) */
static bool sexagesimal(const char *s)
{
	const char *p = s + (s[0] == '+' || s[0] == '-');
	if (!isdigit((unsigned char)*p) || !strchr(p, ':'))
		return false;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != ':' && *p != '_' && *p != '.')
			return false;
	return true;
}

/* 2010-09-09 and anything that starts like a YAML 1.1 timestamp */
static bool timestamp_like(const char *s)
{
	return strlen(s) >= 8 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	       isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
	       isdigit((unsigned char)s[5]);
}

/* Would every YAML 1.1 / 1.2 reader take this plain scalar for a string? */
static bool plain_reads_as_str(const char *s)
{
	static const char *const words[] = {
		"", "~", "null", "Null", "NULL", "y", "Y", "yes", "Yes", "YES", "n", "N",
		"no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on",
		"On", "ON", "off", "Off", "OFF", "<<", "=",
	};
	if (is_one_of(s, words, sizeof words / sizeof words[0]))
		return false;
	const char *p = s + (s[0] == '+' || s[0] == '-');
	if (strcasecmp(p, ".inf") == 0 || strcasecmp(s, ".nan") == 0)
		return false;
	return !numeric_literal(s) && !sexagesimal(s) && !timestamp_like(s);
}

/* ---- comparing YAML with JSON -------------------------------------------- */

struct cmp {
	yaml_document_t *doc;
	char path[1024];
	char err[1200]; /* the first difference; empty while none */
	size_t scalars, quoted, plain;
};

static void mismatch(struct cmp *c, const char *what, const char *yv)
{
	if (!c->err[0])
		snprintf(c->err, sizeof c->err, "at %s: %s (YAML `%s`)", c->path, what,
			 yv ? yv : "");
}

static void compare(struct cmp *c, yaml_node_t *n, json_t *j);

static void descend(struct cmp *c, yaml_node_t *n, json_t *j, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void descend(struct cmp *c, yaml_node_t *n, json_t *j, const char *fmt, ...)
{
	size_t len = strlen(c->path);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->path + len, sizeof c->path - len, fmt, ap);
	va_end(ap);
	compare(c, n, j);
	c->path[len] = '\0';
}

static void compare_scalar(struct cmp *c, yaml_node_t *n, json_t *j)
{
	const char *v = (const char *)n->data.scalar.value;
	size_t len = n->data.scalar.length;
	bool plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (strcmp((const char *)n->tag, YAML_DEFAULT_SCALAR_TAG) != 0)
		mismatch(c, "a scalar with an explicit tag", v);
	c->scalars++;
	if (plain)
		c->plain++;
	else
		c->quoted++;
	if (json_is_string(j)) {
		if (len != json_string_length(j) || memcmp(v, json_string_value(j), len) != 0)
			mismatch(c, "a different string", v);
		if (plain && !plain_reads_as_str(v))
			mismatch(c, "a string written plain that reads as another type", v);
	} else if (json_is_integer(j)) {
		if (!plain)
			mismatch(c, "an integer written quoted (it reads as a string)", v);
		char *end;
		errno = 0;
		long long x = strtoll(v, &end, 10);
		if (*v == '\0' || *end != '\0' || errno || x != json_integer_value(j))
			mismatch(c, "not the same integer", v);
	} else if (json_is_boolean(j)) {
		if (!plain || strcmp(v, json_is_true(j) ? "true" : "false") != 0)
			mismatch(c, "not the same boolean, written plain", v);
	} else {
		mismatch(c, "a scalar where JSON has a container or null", v);
	}
}

static void compare(struct cmp *c, yaml_node_t *n, json_t *j)
{
	if (c->err[0])
		return;
	if (!n || !j) {
		mismatch(c, n ? "a node JSON does not have" : "a missing node", NULL);
		return;
	}
	switch (n->type) {
	case YAML_SCALAR_NODE:
		compare_scalar(c, n, j);
		return;
	case YAML_SEQUENCE_NODE: {
		if (!json_is_array(j)) {
			mismatch(c, "a sequence where JSON has no array", NULL);
			return;
		}
		if (strcmp((const char *)n->tag, YAML_DEFAULT_SEQUENCE_TAG) != 0) {
			mismatch(c, "a sequence with an explicit tag", NULL);
			return;
		}
		yaml_node_item_t *it = n->data.sequence.items.start;
		size_t count = (size_t)(n->data.sequence.items.top - it);
		if (count != json_array_size(j)) {
			mismatch(c, "a sequence of another length", NULL);
			return;
		}
		for (size_t i = 0; i < count; i++)
			descend(c, yaml_document_get_node(c->doc, it[i]), json_array_get(j, i),
				"[%zu]", i);
		return;
	}
	case YAML_MAPPING_NODE: {
		if (!json_is_object(j)) {
			mismatch(c, "a mapping where JSON has no object", NULL);
			return;
		}
		if (strcmp((const char *)n->tag, YAML_DEFAULT_MAPPING_TAG) != 0) {
			mismatch(c, "a mapping with an explicit tag", NULL);
			return;
		}
		yaml_node_pair_t *pair = n->data.mapping.pairs.start;
		size_t count = (size_t)(n->data.mapping.pairs.top - pair);
		if (count != json_object_size(j)) {
			mismatch(c, "a mapping with another number of keys", NULL);
			return;
		}
		void *iter = json_object_iter(j);
		for (size_t i = 0; i < count; i++, iter = json_object_iter_next(j, iter)) {
			const char *jkey = json_object_iter_key(iter);
			yaml_node_t *k = yaml_document_get_node(c->doc, pair[i].key);
			if (!k || k->type != YAML_SCALAR_NODE) {
				mismatch(c, "a key that is not a scalar", NULL);
				return;
			}
			/* keys are JSON strings: compare them the same way */
			json_t *jk = json_string(jkey);
			descend(c, k, jk, ".<key %s>", jkey);
			json_decref(jk);
			descend(c, yaml_document_get_node(c->doc, pair[i].value),
				json_object_iter_value(iter), ".%s", jkey);
		}
		return;
	}
	case YAML_NO_NODE:
		break;
	}
	mismatch(c, "an empty node", NULL);
}

/* Compares YAML text with JSON text; c->err holds the first difference. */
static void diff_trees(struct cmp *c, const char *yaml, size_t ylen, const char *json)
{
	yaml_document_t doc;
	assert_true(load_yaml(yaml, ylen, &doc));
	json_error_t err;
	json_t *j = json_loads(json, 0, &err);
	assert_non_null(j);
	memset(c, 0, sizeof *c);
	c->doc = &doc;
	strcpy(c->path, "$");
	compare(c, yaml_document_get_root_node(&doc), j);
	c->doc = NULL;
	json_decref(j);
	yaml_document_delete(&doc);
}

static struct cmp same_tree(const char *yaml, size_t ylen, const char *json)
{
	struct cmp c;
	diff_trees(&c, yaml, ylen, json);
	if (c.err[0])
		fail_msg("YAML and JSON differ %s", c.err);
	return c;
}

/* Shape of the text itself: no directives, tags or end markers, one final newline. */
static void check_text(const char *y, size_t len)
{
	assert_int_equal(strlen(y), len);
	assert_true(len > 0);
	assert_int_equal(y[len - 1], '\n');
	assert_false(len > 1 && y[len - 2] == '\n');
	assert_memory_equal(y, "AWSTemplateFormatVersion: '2010-09-09'\n", 39);
	assert_null(strstr(y, "\n..."));
	assert_null(strstr(y, "\n---"));
	assert_null(strstr(y, ": !"));
	assert_null(strstr(y, "- !"));
	/* tabs only as content of a literal block (lifecycle scripts), never indentation */
	assert_null(strstr(y, "\n\t"));
	for (const char *t = strchr(y, '\t'); t; t = strchr(t + 1, '\t')) {
		const char *ls = t;
		while (ls > y && ls[-1] != '\n')
			ls--;
		assert_true(ls[0] == ' ' && ls[1] == ' ');
	}
}

/* ---- the bundled examples ------------------------------------------------ */

static char *read_file(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	assert_non_null(buf);
	size_t got;
	while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap) {
			cap *= 2;
			buf = realloc(buf, cap);
			assert_non_null(buf);
		}
	}
	fclose(f);
	*n = len;
	return buf;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_examples_round_trip(void **state)
{
	(void)state;
	DIR *d = opendir("examples");
	assert_non_null(d);
	char *names[64];
	size_t count = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		if (n > 4 && strcmp(e->d_name + n - 4, ".sgl") == 0 && count < 64)
			names[count++] = strdup(e->d_name);
	}
	closedir(d);
	assert_true(count >= 6);
	qsort(names, count, sizeof names[0], by_name);
	for (size_t i = 0; i < count; i++) {
		char path[300];
		snprintf(path, sizeof path, "examples/%s", names[i]);
		size_t n;
		char *text = read_file(path, &n);
		struct compile c;
		compile_init(&c);
		if (!compile_text(&c, path, text, n, COMPILE_LOWER))
			fail_msg("%s does not compile", path);
		assert_non_null(c.json);
		size_t len, len2;
		char *y = emit_yaml(c.tmpl, &len);
		char *y2 = emit_yaml(c.tmpl, &len2);
		assert_non_null(y);
		assert_non_null(y2);
		assert_int_equal(len, len2);
		assert_memory_equal(y, y2, len);
		check_text(y, len);
		struct cmp r = same_tree(y, len, c.json);
		print_message("%s: %zu scalars, %zu quoted, %zu bytes (JSON %zu)\n", names[i],
			      r.scalars, r.quoted, len, c.json_len);
		assert_true(r.scalars > 50);
		/* ordinary values stay readable */
		assert_non_null(strstr(y, "\n      CidrBlock: 10."));
		assert_non_null(strstr(y, "\n    Type: AWS::EC2::VPC\n"));
		assert_non_null(strstr(y, "Fn::Sub: ${AWS::Region}a\n"));
		assert_non_null(strstr(y, "\n        Ref: Vpc\n"));
		free(y);
		free(y2);
		free(text);
		compile_free(&c);
		free(names[i]);
	}
}

/*
 * The lifecycle script is text under Fn::Base64 (so a diff of the template
 * shows the script's diff), and YAML writes it as a literal block, line by line.
 */
static void test_examples_script_as_text(void **state)
{
	(void)state;
	size_t n;
	char *text = read_file("examples/private-notebook-codeartifact.sgl", &n);
	struct compile c;
	compile_init(&c);
	assert_true(compile_text(&c, "p.sgl", text, n, COMPILE_LOWER));
	size_t len;
	char *y = emit_yaml(c.tmpl, &len);
	assert_non_null(y);
	const struct cfn_resource *lc = NULL;
	for (size_t i = 0; i < c.tmpl->resources.n && !lc; i++) {
		const struct cfn_resource *r = c.tmpl->resources.items[i];
		if (strcmp(r->type, "AWS::SageMaker::NotebookInstanceLifecycleConfig") == 0)
			lc = r;
	}
	assert_non_null(lc);
	const struct cv *on_start = cv_get(lc->props, "OnStart");
	assert_non_null(on_start);
	const struct cv *hook = on_start->u.items.items[0];
	const struct cv *content = cv_get(hook, "Content");
	assert_int_equal(content->kind, CV_OBJ);
	const struct cv *script = cv_get(content, "Fn::Base64");
	assert_non_null(script);
	assert_int_equal(script->kind, CV_STR);
	assert_true(strncmp(script->u.s, "#!/bin/bash\n", 12) == 0);
	assert_true(strlen(script->u.s) > 200);
	/* a literal block: the key, then every line of the script indented under it */
	const char *at = strstr(y, "- Content:\n          Fn::Base64: |\n            #!/bin/bash\n");
	assert_non_null(at);
	assert_non_null(strchr(script->u.s, '\t')); /* libyaml alone would have double-quoted it */
	size_t indent = strlen("            ");
	const char *p = strstr(at, "#!/bin/bash\n");
	for (const char *line = script->u.s; *line;) {
		const char *nl = strchr(line, '\n');
		size_t ll = nl ? (size_t)(nl - line) : strlen(line);
		if (ll) {
			assert_memory_equal(p, line, ll);
			p += ll;
		}
		assert_int_equal(*p, '\n');
		p++;
		line += ll + (nl ? 1 : 0);
		if (*line && *line != '\n') {
			for (size_t k = 0; k < indent; k++)
				assert_int_equal(p[k], ' ');
			p += indent;
		}
	}
	free(y);
	free(text);
	compile_free(&c);
}

/* ---- hand-built templates ------------------------------------------------ */

static const char *const tricky[] = {
	"yes", "Yes", "YES", "no", "NO", "on", "Off", "y", "N", "true", "False", "TRUE",
	"null", "Null", "~", "", "443", "-1", "+1", "0", "007", "08", "0x1f", "0o17",
	"0b101", "1_000", "1:20", "190:20:30.15", "1e3", "1E-5", ".5", "1.", "3.14",
	".inf", "-.Inf", ".NaN", "2010-09-09", "2001-12-14t21:59:43.10-05:00",
	"2001-12-14 21:59:43.10 -5", "10.0.0.1", "1.2.3", "a: b", "a:b", "- x", "-",
	"-x", "#c", "a #c", "a#c", "? q", "?x", ": x", "!Sub x", "!", "&anchor",
	"*alias", "%percent", "@at", "`tick", "|pipe", ">gt", "'quoted'", "\"dq\"",
	"it's", "say \"hi\"", "[a]", "{a: 1}", "a, b", " leading", "trailing ",
	"tab\tinside", "line one\nline two\n", "no trailing newline\nsecond",
	"trailing blank lines\n\n\n", "\nleading newline", "  indented\nfirst",
	"cr\r\nlf", "unicode \xC3\xA9 \xC3\xBC \xE4\xB8\xAD\xE6\x96\x87",
	"emoji \xF0\x9F\x98\x80", "\xC2\x85 nel", "ls\xE2\x80\xA8sep", "<<", "=",
	"back\\slash", "${AWS::Region}a", "Fn::Sub", "AWS::EC2::VPC", "10.0.0.0/16",
	"ml.t3.medium", "---", "...", "--- x", "... x", "%YAML", " ", "\t", "a\n b",
	"x: |", "trailing space \nline", "\n", "\n\n", "bell\a", "del\x7f",
	"bom\xEF\xBB\xBF", "=x", "<<x", "12h", "0.0.0.0/0", "arn:aws:s3:::bucket/*",
	/* tabs in multi-line text: literal blocks sgc writes itself, or double quotes */
	"f() {\n\techo hi\n}\n", "no final newline\n\tx", "a\n\n\tb\n\t\tc\n",
	"\tleading tab\nx\n", " leading space\n\tx\n", "trailing tab\t\nx\n",
	"trailing space \n\tx\n", "blank end\n\tx\n\n", "cr\tx\r\ny\n", "bell\t\a\nx\n",
	"\xC3\xA9t\xC3\xA9\n\t\xE4\xB8\xAD\n", "c1\t\xC2\x85\nx\n", "- x\n\t- y\n",
	"x: |\n\t... \n", "#c\n\t#d\n---\n\t...\n",
};
#define NTRICKY (sizeof tricky / sizeof tricky[0])

static struct cfn_template *tricky_template(struct arena *a)
{
	struct cfn_template *t = cfn_new(a);
	t->description = "Description with: colon\nand a second line";
	struct cfn_resource *first = cfn_add(t, "First", "AWS::S3::Bucket");
	cfn_depends(t, first, "Zero");
	struct cfn_resource *r = cfn_add(t, "Second", "AWS::EC2::VPC");
	cfn_depends(t, r, "First");
	cfn_depends(t, r, "Zero");
	r->deletion_policy = "Retain";
	r->update_replace_policy = "Retain";
	struct cv *p = r->props;
	cv_set(a, p, "Port", cv_int(a, 443));
	cv_set(a, p, "Negative", cv_int(a, -1));
	cv_set(a, p, "Max", cv_int(a, INT64_MAX));
	cv_set(a, p, "Min", cv_int(a, INT64_MIN));
	cv_set(a, p, "Flag", cv_bool(a, true));
	cv_set(a, p, "Unflag", cv_bool(a, false));
	cv_set(a, p, "Str443", cv_str(a, "443"));
	cv_set(a, p, "StrYes", cv_str(a, "yes"));
	cv_set(a, p, "StrTrue", cv_str(a, "true"));
	cv_set(a, p, "Empty", cv_str(a, ""));
	cv_set(a, p, "Date", cv_str(a, "2010-09-09"));
	cv_set(a, p, "Script", cv_str(a, "#!/bin/bash\nset -euo pipefail\necho hi\n"));
	cv_set(a, p, "NoNewline", cv_str(a, "line one\nline two"));
	cv_set(a, p, "EmptyList", cv_arr(a));
	cv_set(a, p, "EmptyMap", cv_obj(a));
	cv_set(a, p, "Az", cv_sub(a, "${AWS::Region}a"));
	cv_set(a, p, "Vpc", cv_ref(a, "Zero"));
	cv_set(a, p, "Arn", cv_getatt(a, "First", "Arn"));
	struct cv *list = cv_arr(a);
	struct cv *map = cv_obj(a);
	for (size_t i = 0; i < NTRICKY; i++) {
		cv_push(a, list, cv_str(a, tricky[i]));
		cv_set(a, map, tricky[i], cv_str(a, tricky[i]));
	}
	cv_set(a, p, "List", list);
	cv_set(a, p, "Map", map);
	struct cv *nested = cv_arr(a);
	struct cv *inner = cv_arr(a);
	cv_push(a, inner, cv_int(a, 1));
	cv_push(a, inner, cv_str(a, "1"));
	cv_push(a, nested, inner);
	struct cv *obj = cv_obj(a);
	cv_set(a, obj, "Key", cv_str(a, "null"));
	cv_set(a, obj, "Value", cv_str(a, "~"));
	cv_push(a, nested, obj);
	cv_set(a, p, "Nested", nested);
	cfn_add(t, "Zero", "AWS::EC2::VPC");
	struct cv *out = cv_obj(a);
	cv_set(a, out, "Value", cv_ref(a, "Second"));
	cv_set(a, t->outputs, "SecondId", out);
	return t;
}

static void test_tricky_strings_round_trip(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct cfn_template *t = tricky_template(a);
	size_t jlen, ylen, ylen2;
	char *json = emit_json(t, &jlen);
	char *y = emit_yaml(t, &ylen);
	char *y2 = emit_yaml(t, &ylen2);
	assert_non_null(json);
	assert_non_null(y);
	assert_non_null(y2);
	assert_int_equal(ylen, ylen2);
	assert_memory_equal(y, y2, ylen);
	check_text(y, ylen);
	struct cmp r = same_tree(y, ylen, json);
	assert_true(r.plain > 0 && r.quoted > 0);
	free(json);
	free(y);
	free(y2);
	arena_free(a);
}

/* What the text looks like: typed values plain, look-alike strings quoted. */
static void test_tricky_strings_text(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct cfn_template *t = tricky_template(a);
	size_t len;
	char *y = emit_yaml(t, &len);
	assert_non_null(y);
	static const char *const want[] = {
		"AWSTemplateFormatVersion: '2010-09-09'\nDescription: |-\n"
		"  Description with: colon\n  and a second line\nResources:\n",
		"\n  First:\n    Type: AWS::S3::Bucket\n    DependsOn: Zero\n  Second:\n",
		"\n    DependsOn:\n    - First\n    - Zero\n    DeletionPolicy: Retain\n"
		"    UpdateReplacePolicy: Retain\n    Properties:\n      Port: 443\n",
		"\n      Negative: -1\n      Max: 9223372036854775807\n"
		"      Min: -9223372036854775808\n      Flag: true\n      Unflag: false\n",
		"\n      Str443: '443'\n      StrYes: 'yes'\n      StrTrue: 'true'\n"
		"      Empty: ''\n      Date: '2010-09-09'\n",
		"\n      Script: |\n        #!/bin/bash\n        set -euo pipefail\n"
		"        echo hi\n      NoNewline: |-\n        line one\n        line two\n",
		"\n      EmptyList: []\n      EmptyMap: {}\n      Az:\n"
		"        Fn::Sub: ${AWS::Region}a\n      Vpc:\n        Ref: Zero\n"
		"      Arn:\n        Fn::GetAtt:\n        - First\n        - Arn\n",
		"\n  Zero:\n    Type: AWS::EC2::VPC\nOutputs:\n  SecondId:\n"
		"    Value:\n      Ref: Second\n",
		"\n      - '1:20'\n", "\n      - '1e3'\n", "\n      - '0x1f'\n",
		"\n      - '~'\n", "\n      - 'a: b'\n", "\n      - '- x'\n", "\n      - '#c'\n",
		"\n      - a#c\n", "\n      - 10.0.0.0/16\n", "\n      - ml.t3.medium\n",
		"\n      - 12h\n", "\n      - arn:aws:s3:::bucket/*\n",
		"\n      - \"cr\\r\\nlf\"\n",
		"\n      - unicode \xC3\xA9 \xC3\xBC \xE4\xB8\xAD\xE6\x96\x87\n",
		"\n        'yes': 'yes'\n", "\n        '': ''\n", "\n        '443': '443'\n",
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
		if (!strstr(y, want[i])) {
			print_error("missing:\n%s\nin:\n%s\n", want[i], y);
			fail();
		}
	assert_null(strstr(y, "Parameters:"));
	assert_null(strstr(y, "Rules:"));
	/* tabs: a literal block where YAML can hold the text, double quotes where not */
	assert_non_null(strstr(y, "\n      - |\n          f() {\n          \techo hi\n          }\n"));
	assert_non_null(strstr(y, "\n      - |-\n          no final newline\n          \tx\n"));
	assert_non_null(strstr(y, "\n      - |\n          a\n\n          \tb\n          \t\tc\n"));
	assert_non_null(strstr(y, "\n      - \"\\tleading tab\\nx\\n\"\n"));
	assert_non_null(strstr(y, "\n      - \"trailing tab\\t\\nx\\n\"\n"));
	assert_non_null(strstr(y, "\n      - \"blank end\\n\\tx\\n\\n\"\n"));
	/* keys stay libyaml's: a tab never leaves a key unquoted */
	assert_non_null(strstr(y, "\n        ? \"f() {\\n\\techo hi\\n}\\n\"\n        : |\n          f() {\n"));
	free(y);
	arena_free(a);
}

/*
 * A template string that holds the placeholder's text: the placeholders
 * cannot be told apart, so the whole template is written by libyaml alone.
 */
static void test_block_mark_in_template(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct cfn_template *t = cfn_new(a);
	t->description = "d";
	struct cfn_resource *r = cfn_add(t, "Lc", "AWS::SageMaker::NotebookInstanceLifecycleConfig");
	const char *script = "#!/bin/bash\nf() {\n\techo hi\n}\n";
	cv_set(a, r->props, "Script", cv_str(a, script));
	size_t jlen, ylen;
	char *y = emit_yaml(t, &ylen);
	assert_non_null(y);
	assert_non_null(strstr(y, "\n      Script: |\n        #!/bin/bash\n        f() {\n        \techo hi\n"));
	free(y);
	cv_set(a, r->props, "Mark", cv_str(a, "sgc-literal-block-placeholder-0"));
	cv_set(a, r->props, "Last", cv_str(a, script));
	char *json = emit_json(t, &jlen);
	y = emit_yaml(t, &ylen);
	assert_non_null(json);
	assert_non_null(y);
	check_text(y, ylen);
	same_tree(y, ylen, json);
	assert_null(strstr(y, "\t"));
	assert_non_null(strstr(y, "\n      Script: \"#!/bin/bash\\nf() {\\n\\techo hi\\n}\\n\"\n"));
	assert_non_null(strstr(y, "\n      Mark: sgc-literal-block-placeholder-0\n"));
	free(json);
	free(y);
	arena_free(a);
}

/* A long string never folds, with or without spaces in it. */
static void test_long_strings_one_line(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct cfn_template *t = cfn_new(a);
	t->description = "d";
	struct cfn_resource *r = cfn_add(t, "R", "AWS::SageMaker::NotebookInstanceLifecycleConfig");
	static char raw[9000];
	for (size_t i = 0; i < sizeof raw; i++)
		raw[i] = (char)(i * 7 + 3);
	const char *b64 = cfn_base64(a, raw, sizeof raw);
	char *words = arena_alloc(a, 3001);
	for (size_t i = 0; i < 3000; i++)
		words[i] = i % 6 == 5 ? ' ' : 'w';
	words[2999] = 'w';
	cv_set(a, r->props, "Content", cv_str(a, b64));
	cv_set(a, r->props, "Words", cv_str(a, words));
	size_t len, jlen;
	char *y = emit_yaml(t, &len);
	char *json = emit_json(t, &jlen);
	assert_non_null(y);
	check_text(y, len);
	char *want = malloc(strlen(b64) + 32);
	sprintf(want, "\n      Content: %s\n", b64);
	assert_non_null(strstr(y, want));
	free(want);
	want = malloc(strlen(words) + 32);
	sprintf(want, "\n      Words: %s\n", words);
	assert_non_null(strstr(y, want));
	free(want);
	same_tree(y, len, json);
	free(json);
	free(y);
	arena_free(a);
}

/* The checker on the test itself: its type judgement catches look-alikes. */
static void test_oracle(void **state)
{
	(void)state;
	static const char *const not_str[] = {
		"yes", "NO", "~", "", "443", "-1", "007", "08", "0x1f", "0o17", "0b101",
		"1_000", "1:20", "1e3", ".5", "1.", ".inf", "-.Inf", ".NaN", "2010-09-09",
		"2001-12-14 21:59:43.10 -5", "1.2.3", "<<", "=",
	};
	for (size_t i = 0; i < sizeof not_str / sizeof not_str[0]; i++)
		if (plain_reads_as_str(not_str[i]))
			fail_msg("`%s` taken for a string", not_str[i]);
	static const char *const str[] = {
		"a", "12h", "10.0.0.0/16", "ml.t3.medium", "Fn::Sub", "inf", "nan", "yes!",
	};
	for (size_t i = 0; i < sizeof str / sizeof str[0]; i++)
		if (!plain_reads_as_str(str[i]))
			fail_msg("`%s` not taken for a string", str[i]);
	/* and the comparison fails on a wrong type, value, order or shape */
	static const char *const bad[][2] = {
		{ "a: 443\n", "{\"a\": \"443\"}" },
		{ "a: '443'\n", "{\"a\": 443}" },
		{ "a: 444\n", "{\"a\": 443}" },
		{ "a: yes\n", "{\"a\": \"yes\"}" },
		{ "a: 'true'\n", "{\"a\": true}" },
		{ "a: 1e3\n", "{\"a\": \"1e3\"}" },
		{ "a: 2010-09-09\n", "{\"a\": \"2010-09-09\"}" },
		{ "a: 1\nb: 2\n", "{\"b\": 2, \"a\": 1}" },
		{ "a: !Sub x\n", "{\"a\": \"x\"}" },
		{ "a: [1, 2]\n", "{\"a\": [1]}" },
		{ "a:\n", "{\"a\": \"\"}" },
		{ "a: x\n", "{\"a\": \"x \"}" },
		{ "a: {b: 1}\n", "{\"a\": {\"b\": 1, \"c\": 2}}" },
		{ "'1': x\n", "{\"1\": \"x\"}" }, /* a good one, as control */
	};
	size_t n = sizeof bad / sizeof bad[0];
	for (size_t i = 0; i < n; i++) {
		struct cmp c;
		diff_trees(&c, bad[i][0], strlen(bad[i][0]), bad[i][1]);
		if ((c.err[0] != 0) != (i + 1 < n))
			fail_msg("case %zu: `%s` against %s: %s", i, bad[i][0], bad[i][1],
				 c.err[0] ? c.err : "no difference found");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oracle),
		cmocka_unit_test(test_tricky_strings_round_trip),
		cmocka_unit_test(test_tricky_strings_text),
		cmocka_unit_test(test_long_strings_one_line),
		cmocka_unit_test(test_examples_round_trip),
		cmocka_unit_test(test_examples_script_as_text),
		cmocka_unit_test(test_block_mark_in_template),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
