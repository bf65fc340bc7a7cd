/*
 * vars.c - variables files and -D definitions (see vars.h).
 *
 * YAML is read event by event with libyaml, whose marks give each key and
 * value a position. jansson reports no positions for values, so a JSON
 * file's top-level members are located by one pass over its text, which
 * jansson has already proved well formed. Both refuse a name given twice,
 * with both places.
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

/*
 * A name given twice: YAML parsers differ on which one wins (libyaml keeps
 * both, others the last or refuse), so neither is guessed.
 */
static void set_twice(struct diag_sink *d, const struct var *first, struct span again)
{
	struct diag *dg = diag_add(d, DIAG_E0512, again,
				   "invalid variables file: `%s` is set twice", first->name);
	diag_secondary(d, dg, first->name_span, "first set here");
	diag_help(d, dg, "keep one of the two");
}

/* ---- YAML ---------------------------------------------------------------- */

/*
 * Byte offsets of libyaml's marks. libyaml counts lines and columns from
 * 0, and columns in characters, not bytes, so the column is walked over
 * the line's UTF-8. Marks come in document order: the walk resumes from
 * the previous mark when it is further along the same line, which keeps
 * one long line (a flow mapping of thousands of names) linear.
 */
struct mark_walk {
	bool started;
	size_t line, col;  /* of the last mark */
	uint32_t at;       /* its byte offset */
};

static uint32_t mark_offset(const struct src_file *f, struct mark_walk *w, yaml_mark_t m)
{
	if (m.line >= f->nlines)
		return f->len;
	if (!w->started || w->line != m.line || w->col > m.column) {
		w->started = true;
		w->line = m.line;
		w->col = 0;
		w->at = f->line_starts[m.line];
	}
	uint32_t end = m.line + 1 < f->nlines ? f->line_starts[m.line + 1] : f->len;
	while (w->col < m.column && w->at < end) {
		uint32_t k = src_utf8_length(f->text + w->at, end - w->at);
		w->at += k ? k : 1;
		w->col++;
	}
	return w->at;
}

struct yaml_marks {
	const struct src_file *f;
	uint32_t file;
	struct mark_walk starts, ends;  /* each in document order */
};

static struct span mark_span(struct yaml_marks *ym, yaml_mark_t lo, yaml_mark_t hi)
{
	uint32_t a = mark_offset(ym->f, &ym->starts, lo);
	uint32_t b = mark_offset(ym->f, &ym->ends, hi);
	return (struct span){ ym->file, a, b < a ? a : b };
}

static bool load_yaml(struct arena *a, const struct src_file *f, uint32_t file,
		      struct diag_sink *d, struct ptrvec *out)
{
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return false;
	yaml_parser_set_input_string(&p, (const unsigned char *)f->text, f->len);
	struct yaml_marks ym = { .f = f, .file = file };
	bool ok = true, in_map = false, seen_map = false;
	int depth = 0;
	struct var *pending = NULL;
	struct strmap names = { 0 };   /* name -> its first struct var */
	for (bool done = false; !done && ok;) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_mark_t at = p.problem_mark;
			bad_file(d, mark_span(&ym, at, at), p.problem ? p.problem : "not YAML");
			ok = false;
			break;
		}
		struct span sp = mark_span(&ym, ev.start_mark, ev.end_mark);
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
				struct var *first = strmap_get(&names, text);
				if (first) {
					set_twice(d, first, sp);
					ok = false;
				}
				/* A repeated name still takes its value, but is not kept. */
				pending = first ? arena_calloc(a, 1, sizeof *pending) : new_var(a, out);
				pending->name = text;
				pending->name_span = sp;
				if (!first)
					strmap_put(a, &names, text, pending);
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

/* One top-level member of a JSON object, as written. */
struct json_member {
	struct span key;    /* `"key"`, quotes included */
	struct span value;  /* the whole value */
};

static bool json_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static uint32_t skip_blanks(const struct src_file *f, uint32_t i)
{
	while (i < f->len && json_blank(f->text[i]))
		i++;
	return i;
}

/* From the opening quote at `i` to just past the closing one. */
static uint32_t skip_string(const struct src_file *f, uint32_t i)
{
	for (i++; i < f->len && f->text[i] != '"'; i++)
		if (f->text[i] == '\\')
			i++;
	return i < f->len ? i + 1 : f->len;
}

/* From the first character of a value to just past its end. */
static uint32_t skip_value(const struct src_file *f, uint32_t i)
{
	if (i >= f->len)
		return i;
	if (f->text[i] == '"')
		return skip_string(f, i);
	if (f->text[i] != '{' && f->text[i] != '[') {
		while (i < f->len && !json_blank(f->text[i]) && f->text[i] != ',' &&
		       f->text[i] != '}' && f->text[i] != ']')
			i++;
		return i;
	}
	/* A nested object or array: count brackets, skipping strings. */
	size_t depth = 0;
	while (i < f->len) {
		char c = f->text[i];
		if (c == '"') {
			i = skip_string(f, i);
			continue;
		}
		i++;
		if (c == '{' || c == '[')
			depth++;
		else if ((c == '}' || c == ']') && --depth == 0)
			break;
	}
	return i;
}

/*
 * The members of the top-level object in `f`, in order, in one pass. The
 * text is well formed (jansson parsed it), so this only has to find where
 * each member is. Locating each key by searching the text for it, as
 * before, was quadratic: 40k names took 97 s.
 */
static void json_members(struct arena *a, const struct src_file *f, uint32_t file,
			 struct ptrvec *out)
{
	uint32_t i = skip_blanks(f, 0);
	if (i >= f->len || f->text[i] != '{')
		return;
	for (i = skip_blanks(f, i + 1); i < f->len && f->text[i] == '"';) {
		struct json_member *m = arena_alloc(a, sizeof *m);
		uint32_t key_end = skip_string(f, i);
		m->key = (struct span){ file, i, key_end };
		i = skip_blanks(f, key_end);
		if (i >= f->len || f->text[i] != ':')
			return;
		i = skip_blanks(f, i + 1);
		uint32_t value_end = skip_value(f, i);
		m->value = (struct span){ file, i, value_end };
		ptrvec_push(a, out, m);
		i = skip_blanks(f, value_end);
		if (i >= f->len || f->text[i] != ',')
			return;
		i = skip_blanks(f, i + 1);
	}
}

/* The key a member names, its escapes decoded (by jansson, when there are any). */
static const char *member_key(struct arena *a, const struct src_file *f,
			      const struct json_member *m)
{
	const char *raw = f->text + m->key.lo;
	size_t len = m->key.hi - m->key.lo;
	if (len < 2)
		return NULL;
	if (!memchr(raw, '\\', len))
		return arena_strndup(a, raw + 1, len - 2);
	json_error_t err;
	json_t *s = json_loadb(raw, len, JSON_DECODE_ANY, &err);
	const char *key = json_is_string(s) ? arena_strdup(a, json_string_value(s)) : NULL;
	json_decref(s);
	return key;
}

/* A JSON value as a variable; false (reported) for objects and arrays. */
static bool json_var(struct arena *a, struct diag_sink *d, json_t *val, struct var *v)
{
	switch (json_typeof(val)) {
	case JSON_STRING:
		v->value = arena_strdup(a, json_string_value(val));
		v->kind = VAR_STRING;
		return true;
	case JSON_INTEGER:
		v->value = arena_printf(a, "%" JSON_INTEGER_FORMAT, json_integer_value(val));
		v->kind = VAR_INT;
		return true;
	case JSON_TRUE:
	case JSON_FALSE:
		v->value = json_is_true(val) ? "true" : "false";
		v->kind = VAR_BOOL;
		return true;
	case JSON_REAL:
	case JSON_NULL:
		v->value = json_is_null(val) ? "null" : "a fraction";
		v->kind = VAR_OTHER;
		return true;
	default:
		bad_file(d, v->value_span, "values must be strings, numbers or booleans");
		return false;
	}
}

static bool load_json(struct arena *a, const struct src_file *f, uint32_t file,
		      struct diag_sink *d, struct ptrvec *out)
{
	/* Duplicates are found below, where both places are known. */
	json_error_t err;
	json_t *root = json_loadb(f->text, f->len, 0, &err);
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
	struct ptrvec members = { 0 };
	json_members(a, f, file, &members);
	struct strmap names = { 0 };   /* name -> its first struct var */
	bool ok = true;
	for (size_t i = 0; i < members.n; i++) {
		const struct json_member *m = members.items[i];
		const char *key = member_key(a, f, m);
		json_t *val = key ? json_object_get(root, key) : NULL;
		if (!val)
			continue; /* cannot happen in text jansson accepted */
		struct var *first = strmap_get(&names, key);
		if (first) {
			set_twice(d, first, m->key);
			ok = false;
			continue;
		}
		struct var *v = new_var(a, out);
		v->name = key;
		v->name_span = m->key;
		v->value_span = m->value;
		strmap_put(a, &names, key, v);
		ok = json_var(a, d, val, v) && ok;
	}
	json_decref(root);
	return ok;
}

bool vars_load(struct arena *a, struct src_map *m, struct diag_sink *d,
	       const char *path, const char *text, size_t len, struct ptrvec *out)
{
	uint32_t file = src_add(m, path, text, len);
	const struct src_file *f = src_get(m, file);
	/* A NUL is no text: jansson and libyaml would each read past it differently. */
	const char *nul = memchr(f->text, '\0', f->len);
	if (nul) {
		uint32_t at = (uint32_t)(nul - f->text);
		bad_file(d, (struct span){ file, at, at + 1 }, "a NUL byte; a variables file is text");
		return false;
	}
	size_t i = 0;
	while (i < f->len && json_blank(f->text[i]))
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
	v->defined = true;
	return true;
}
