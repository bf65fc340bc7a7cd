/*
 * vars.c - variables files and -D definitions (see vars.h).
 *
 * YAML is read event by event with libyaml, whose marks give each key and
 * value a position. jansson reports no positions for values, so a JSON
 * file's keys and values are located by scanning its text for the key,
 * which jansson has already proved well formed.
 */
#include "vars.h"

#include <jansson.h>
#include <string.h>
#include <yaml.h>

#include "diag.h"

static enum var_kind kind_of_word(const char *s)
{
	if (strcmp(s, "true") == 0 || strcmp(s, "false") == 0)
		return VAR_BOOL;
	size_t i = s[0] == '-' ? 1 : 0;
	if (!s[i])
		return VAR_STRING;
	for (; s[i]; i++)
		if (s[i] < '0' || s[i] > '9')
			return VAR_STRING;
	return VAR_INT;
}

static struct var *new_var(struct arena *a, struct ptrvec *out)
{
	struct var *v = arena_alloc(a, sizeof *v);
	ptrvec_push(a, out, v);
	return v;
}

static void bad_file(struct diag_sink *d, struct span at, const char *what)
{
	struct diag *dg = diag_add(d, DIAG_E0512, at, "invalid variables file: %s", what);
	diag_help(d, dg, "write one `name: value` per line, e.g. `instance_type: ml.t3.large`");
}

/* ---- YAML ---------------------------------------------------------------- */

static struct span mark_span(const struct src_file *f, uint32_t file, yaml_mark_t lo,
			     yaml_mark_t hi)
{
	/* libyaml counts lines and columns from 0, columns in characters. */
	uint32_t a = lo.line < f->nlines ? f->line_starts[lo.line] + (uint32_t)lo.column : f->len;
	uint32_t b = hi.line < f->nlines ? f->line_starts[hi.line] + (uint32_t)hi.column : f->len;
	if (a > f->len)
		a = f->len;
	if (b > f->len || b < a)
		b = a;
	return (struct span){ file, a, b };
}

static bool load_yaml(struct arena *a, const struct src_file *f, uint32_t file,
		      struct diag_sink *d, struct ptrvec *out)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return false;
	yaml_parser_set_input_string(&p, (const unsigned char *)f->text, f->len);
	bool ok = true, in_map = false, seen_map = false;
	int depth = 0;
	struct var *pending = NULL;
	for (bool done = false; !done && ok;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_mark_t at = p.problem_mark;
			bad_file(d, mark_span(f, file, at, at), p.problem ? p.problem : "not YAML");
			ok = false;
			break;
		}
		struct span sp = mark_span(f, file, ev.start_mark, ev.end_mark);
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_MAPPING_START_EVENT:
			if (depth++ == 0 && !seen_map) {
				in_map = seen_map = true;
			} else {
				bad_file(d, sp, "values must be plain words, numbers or strings");
				ok = false;
			}
			break;
		case YAML_MAPPING_END_EVENT:
			depth--;
			in_map = false;
			break;
		case YAML_SEQUENCE_START_EVENT:
			bad_file(d, sp, seen_map ? "values must be plain words, numbers or strings"
						 : "the top level must be a mapping of names to values");
			ok = false;
			break;
		case YAML_SCALAR_EVENT: {
			const char *text = arena_strndup(a, (const char *)ev.data.scalar.value,
							 ev.data.scalar.length);
			bool quoted = ev.data.scalar.style != YAML_PLAIN_SCALAR_STYLE;
			if (!in_map) {
				bad_file(d, sp, "the top level must be a mapping of names to values");
				ok = false;
			} else if (!pending) {
				pending = new_var(a, out);
				pending->name = text;
				pending->name_span = sp;
			} else {
				pending->value = text;
				pending->value_span = sp;
				pending->kind = quoted ? VAR_STRING
					      : strcmp(text, "null") == 0 || strcmp(text, "~") == 0 || !*text
						? VAR_OTHER : kind_of_word(text);
				pending = NULL;
			}
			break;
		}
		case YAML_ALIAS_EVENT:
			bad_file(d, sp, "aliases are not supported");
			ok = false;
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return ok;
}

/* ---- JSON ------------------------------------------------------------------ */

/* The span of `"key"` and of the value after it, found in well-formed text. */
static void locate_json(const struct src_file *f, uint32_t file, const char *key,
			struct span *k, struct span *v)
{
	size_t kl = strlen(key);
	for (uint32_t i = 0; i + kl + 2 <= f->len; i++) {
		if (f->text[i] != '"' || strncmp(f->text + i + 1, key, kl) != 0 ||
		    f->text[i + 1 + kl] != '"')
			continue;
		uint32_t j = i + (uint32_t)kl + 2;
		while (j < f->len && strchr(" \t\r\n", f->text[j]))
			j++;
		if (j >= f->len || f->text[j] != ':')
			continue;
		*k = (struct span){ file, i, i + (uint32_t)kl + 2 };
		for (j++; j < f->len && strchr(" \t\r\n", f->text[j]); j++)
			;
		uint32_t e = j;
		if (e < f->len && f->text[e] == '"') {
			for (e++; e < f->len && f->text[e] != '"'; e++)
				if (f->text[e] == '\\')
					e++;
			e++;
		} else {
			while (e < f->len && !strchr(",}] \t\r\n", f->text[e]))
				e++;
		}
		*v = (struct span){ file, j, e > f->len ? f->len : e };
		return;
	}
	*k = *v = (struct span){ file, 0, 0 };
}

static bool load_json(struct arena *a, const struct src_file *f, uint32_t file,
		      struct diag_sink *d, struct ptrvec *out)
{
	json_error_t err;
	json_t *root = json_loadb(f->text, f->len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		uint32_t at = err.position > 0 && (size_t)err.position <= f->len ? (uint32_t)err.position : 0;
		bad_file(d, (struct span){ file, at > 0 ? at - 1 : 0, at }, err.text);
		return false;
	}
	if (!json_is_object(root)) {
		bad_file(d, (struct span){ file, 0, 1 }, "the top level must be an object of names to values");
		json_decref(root);
		return false;
	}
	bool ok = true;
	const char *key;
	json_t *val;
	json_object_foreach(root, key, val) {
		struct var *v = new_var(a, out);
		v->name = arena_strdup(a, key);
		locate_json(f, file, key, &v->name_span, &v->value_span);
		switch (json_typeof(val)) {
		case JSON_STRING:
			v->value = arena_strdup(a, json_string_value(val));
			v->kind = VAR_STRING;
			break;
		case JSON_INTEGER:
			v->value = arena_printf(a, "%" JSON_INTEGER_FORMAT, json_integer_value(val));
			v->kind = VAR_INT;
			break;
		case JSON_TRUE:
		case JSON_FALSE:
			v->value = json_is_true(val) ? "true" : "false";
			v->kind = VAR_BOOL;
			break;
		case JSON_REAL:
		case JSON_NULL:
			v->value = json_is_null(val) ? "null" : "a fraction";
			v->kind = VAR_OTHER;
			break;
		default:
			bad_file(d, v->value_span, "values must be strings, numbers or booleans");
			ok = false;
		}
	}
	json_decref(root);
	return ok;
}

bool vars_load(struct arena *a, struct src_map *m, struct diag_sink *d,
	       const char *path, const char *text, size_t len, struct ptrvec *out)
{
	uint32_t file = src_add(m, path, text, len);
	const struct src_file *f = src_get(m, file);
	size_t i = 0;
	while (i < f->len && strchr(" \t\r\n", f->text[i]))
		i++;
	if (i < f->len && f->text[i] == '{')
		return load_json(a, f, file, d, out);
	return load_yaml(a, f, file, d, out);
}

bool vars_define(struct arena *a, struct src_map *m, struct diag_sink *d,
		 const char *arg, struct ptrvec *out)
{
	/* The definition becomes a one-line source, so errors point into it. */
	uint32_t file = src_add(m, "<command line>", arena_printf(a, "-D %s", arg),
				strlen(arg) + 3);
	const char *eq = strchr(arg, '=');
	uint32_t n = (uint32_t)strlen(arg);
	if (!eq || eq == arg) {
		struct diag *dg = diag_add(d, DIAG_E0512, (struct span){ file, 3, 3 + n },
					   "`-D` takes `name=value`");
		diag_help(d, dg, "e.g. `-D instance_type=ml.t3.large`");
		return false;
	}
	uint32_t k = (uint32_t)(eq - arg);
	struct var *v = new_var(a, out);
	v->name = arena_strndup(a, arg, k);
	v->name_span = (struct span){ file, 3, 3 + k };
	v->value = arena_strdup(a, eq + 1);
	v->value_span = (struct span){ file, 4 + k, 3 + n };
	v->kind = kind_of_word(v->value);
	return true;
}
