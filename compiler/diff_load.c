/*
 * diff_load.c - a template's text to a normalised jansson tree.
 *
 * JSON through jansson; anything else through libyaml's document loader.
 * YAML plain scalars are typed as CloudFormation's reader types them (null,
 * true/false, integers, floats, else strings); quoted scalars are strings.
 * A short-form tag `!Name value` is `{"Fn::Name": value}`, except `!Ref`
 * (`{"Ref": ...}`), `!Condition` and `!GetAtt A.B` (["A", "B"]).
 */
#include "diff.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

enum { MAX_DEPTH = 200, MAX_NODES = 1000 * 1000 };

static void set_error(struct diff_error *err, int line, int column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void set_error(struct diff_error *err, int line, int column, const char *fmt, ...)
{
	err->line = line > 0 ? line : 1;
	err->column = column > 0 ? column : 1;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
}

/* ---- YAML ---------------------------------------------------------------- */

struct yload {
	yaml_document_t *doc;
	struct diff_error *err;
	long budget; /* nodes left: aliases may not multiply a small file into a huge tree */
};

static bool plain_int(const char *s, json_int_t *out)
{
	const char *p = s + (*s == '-' || *s == '+');
	if (!*p || (p[0] == '0' && p[1]))
		return false;
	for (const char *q = p; *q; q++)
		if (*q < '0' || *q > '9')
			return false;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*out = (json_int_t)v;
	return true;
}

static bool plain_float(const char *s, double *out)
{
	const char *p = s + (*s == '-' || *s == '+');
	bool digit = false, dot = false;
	for (; *p && *p != 'e' && *p != 'E'; p++) {
		if (*p >= '0' && *p <= '9')
			digit = true;
		else if (*p == '.' && !dot)
			dot = true;
		else
			return false;
	}
	if (!digit || !dot)
		return false;
	char *end;
	errno = 0;
	*out = strtod(s, &end);
	return !errno && !*end;
}

static json_t *plain_scalar(const char *s)
{
	if (!*s || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
	    strcmp(s, "NULL") == 0)
		return json_null();
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0)
		return json_true();
	if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 || strcmp(s, "FALSE") == 0)
		return json_false();
	json_int_t i;
	if (plain_int(s, &i))
		return json_integer(i);
	double d;
	if (plain_float(s, &d))
		return json_real(d);
	return json_string(s);
}

static json_t *yaml_node_json(struct yload *y, yaml_node_t *n, int depth);

/* `!GetAtt A.B.C` -> ["A", "B.C"]; any other form stays as written. */
static json_t *getatt_value(json_t *v)
{
	const char *s = json_string_value(v);
	const char *dot = s ? strchr(s, '.') : NULL;
	if (!dot)
		return v;
	json_t *arr = json_pack("[s#s]", s, (int)(dot - s), dot + 1);
	json_decref(v);
	return arr;
}

/* A CloudFormation short-form tag around the value `v`. */
static json_t *short_form(const char *tag, json_t *v)
{
	if (!v)
		return NULL;
	const char *name = tag + 1;
	char key[64];
	if (strcmp(name, "Ref") == 0 || strcmp(name, "Condition") == 0)
		snprintf(key, sizeof key, "%s", name);
	else
		snprintf(key, sizeof key, "Fn::%s", name);
	if (strcmp(name, "GetAtt") == 0)
		v = getatt_value(v);
	json_t *o = json_object();
	json_object_set_new(o, key, v);
	return o;
}

static json_t *yaml_node_json(struct yload *y, yaml_node_t *n, int depth)
{
	if (!n)
		return json_null();
	if (depth > MAX_DEPTH || --y->budget < 0) {
		set_error(y->err, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1, "%s",
			  depth > MAX_DEPTH ? "nested too deeply" : "too many nodes (aliases?)");
		return NULL;
	}
	const char *tag = (const char *)n->tag;
	bool cfn_tag = tag && tag[0] == '!' && tag[1] && strlen(tag) < 48;
	if (tag && tag[0] == '!' && !cfn_tag) {
		set_error(y->err, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1,
			  "unknown tag `%s`", tag);
		return NULL;
	}
	json_t *v = NULL;
	switch (n->type) {
	case YAML_SCALAR_NODE: {
		const char *s = (const char *)n->data.scalar.value;
		if (strlen(s) != n->data.scalar.length) {
			set_error(y->err, (int)n->start_mark.line + 1, (int)n->start_mark.column + 1, "%s",
				  "a string holds a NUL character");
			return NULL;
		}
		bool plain = n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && !cfn_tag &&
			     (!tag || strcmp(tag, YAML_STR_TAG) == 0);
		v = plain ? plain_scalar(s) : json_string(s);
		break;
	}
	case YAML_SEQUENCE_NODE:
		v = json_array();
		for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++) {
			json_t *item = yaml_node_json(y, yaml_document_get_node(y->doc, *it), depth + 1);
			if (!item)
				return json_decref(v), NULL;
			json_array_append_new(v, item);
		}
		break;
	case YAML_MAPPING_NODE:
		v = json_object();
		for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
			yaml_node_t *k = yaml_document_get_node(y->doc, p->key);
			if (!k || k->type != YAML_SCALAR_NODE) {
				set_error(y->err, k ? (int)k->start_mark.line + 1 : 1,
					  k ? (int)k->start_mark.column + 1 : 1, "%s", "a key must be a string");
				return json_decref(v), NULL;
			}
			const char *key = (const char *)k->data.scalar.value;
			if (json_object_get(v, key)) {
				set_error(y->err, (int)k->start_mark.line + 1, (int)k->start_mark.column + 1,
					  "duplicate key `%.200s`", key);
				return json_decref(v), NULL;
			}
			json_t *val = yaml_node_json(y, yaml_document_get_node(y->doc, p->value), depth + 1);
			if (!val)
				return json_decref(v), NULL;
			json_object_set_new(v, key, val);
		}
		break;
	default:
		v = json_null();
	}
	return cfn_tag ? short_form(tag, v) : v;
}

static json_t *load_yaml(const char *text, size_t len, struct diff_error *err)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	if (!yaml_parser_initialize(&parser)) {
		set_error(err, 1, 1, "%s", "out of memory");
		return NULL;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	json_t *root = NULL;
	if (!yaml_parser_load(&parser, &doc)) {
		set_error(err, (int)parser.problem_mark.line + 1, (int)parser.problem_mark.column + 1,
			  "not valid YAML: %s", parser.problem ? parser.problem : "parse error");
	} else {
		struct yload y = { &doc, err, MAX_NODES };
		yaml_node_t *top = yaml_document_get_root_node(&doc);
		if (!top)
			set_error(err, 1, 1, "%s", "empty: not a template");
		else
			root = yaml_node_json(&y, top, 0);
		yaml_document_delete(&doc);
	}
	yaml_parser_delete(&parser);
	return root;
}

/* ---- JSON or YAML, unwrapped ------------------------------------------- */

static json_t *load_any(const char *text, size_t len, struct diff_error *err)
{
	size_t i = 0;
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len && (text[i] == ' ' || text[i] == '\t' || text[i] == '\n' || text[i] == '\r'))
		i++;
	if (i < len && (text[i] == '{' || text[i] == '[')) {
		json_error_t je;
		json_t *v = json_loadb(text, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
		if (!v)
			set_error(err, je.line, je.column, "not valid JSON: %.200s", je.text);
		return v;
	}
	return load_yaml(text, len, err);
}

json_t *diff_load(const char *text, size_t len, struct diff_error *err)
{
	json_t *root = load_any(text, len, err);
	if (!root)
		return NULL;
	if (!json_is_object(root)) {
		json_decref(root);
		set_error(err, 1, 1, "%s", "not a CloudFormation template: the top level is not a mapping");
		return NULL;
	}
	/* `aws cloudformation get-template`: {"TemplateBody": ..., "StagesAvailable": [...]} */
	json_t *body = json_object_get(root, "TemplateBody");
	if (body && !json_object_get(root, "Resources")) {
		json_t *inner = NULL;
		if (json_is_string(body)) {
			struct diff_error ierr;
			inner = load_any(json_string_value(body), json_string_length(body), &ierr);
			if (!inner) {
				json_decref(root);
				set_error(err, 1, 1, "TemplateBody: %.200s", ierr.message);
				return NULL;
			}
		} else if (json_is_object(body)) {
			inner = json_incref(body);
		}
		json_decref(root);
		if (!json_is_object(inner)) {
			json_decref(inner);
			set_error(err, 1, 1, "%s", "TemplateBody is not a template");
			return NULL;
		}
		root = inner;
	}
	json_t *res = json_object_get(root, "Resources");
	if (!json_is_object(res)) {
		json_decref(root);
		set_error(err, 1, 1, "%s", res ? "not a CloudFormation template: `Resources` is not a mapping"
					      : "not a CloudFormation template: no `Resources`");
		return NULL;
	}
	diff_normalize(root);
	return root;
}

/* ---- normalisation ------------------------------------------------------ */

static int b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/*
 * The text `s` is the canonical base64 of (padding included, unused bits
 * zero), if it is UTF-8 text with a line break; malloc'd, or NULL.
 */
static char *base64_text(const char *s, size_t n)
{
	if (n < 8 || n % 4 != 0)
		return NULL;
	size_t pad = s[n - 1] == '=' ? (s[n - 2] == '=' ? 2 : 1) : 0;
	char *out = malloc(n / 4 * 3 + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	for (size_t i = 0; i < n; i += 4) {
		int v[4];
		for (int k = 0; k < 4; k++) {
			bool padded = i + (size_t)k >= n - pad;
			v[k] = padded ? 0 : b64_value((unsigned char)s[i + (size_t)k]);
			if (v[k] < 0 || (padded && s[i + (size_t)k] != '='))
				return free(out), NULL;
		}
		unsigned w = (unsigned)v[0] << 18 | (unsigned)v[1] << 12 | (unsigned)v[2] << 6 | (unsigned)v[3];
		out[o++] = (char)(w >> 16);
		out[o++] = (char)(w >> 8 & 0xFF);
		out[o++] = (char)(w & 0xFF);
	}
	/* Canonical: the bits the padding hides are zero. */
	unsigned last = (unsigned)b64_value((unsigned char)s[n - pad - 1]);
	if ((pad == 1 && (last & 3)) || (pad == 2 && (last & 15)))
		return free(out), NULL;
	o -= pad;
	out[o] = '\0';
	bool newline = false;
	for (size_t i = 0; i < o; i++) {
		unsigned char c = (unsigned char)out[i];
		if (c == '\n')
			newline = true;
		else if (c < 0x20 && c != '\t' && c != '\r')
			return free(out), NULL;
	}
	json_t *utf8 = newline ? json_stringn(out, o) : NULL; /* jansson checks UTF-8 */
	if (!utf8)
		return free(out), NULL;
	json_decref(utf8);
	return out;
}

void diff_normalize(json_t *v)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item) {
			char *text = json_is_string(item)
				? base64_text(json_string_value(item), json_string_length(item)) : NULL;
			if (text) {
				json_array_set_new(v, i, json_pack("{s:s}", "Fn::Base64", text));
				free(text);
			} else {
				diff_normalize(item);
			}
		}
		return;
	}
	if (!json_is_object(v))
		return;
	json_t *getatt = json_object_get(v, "Fn::GetAtt");
	if (json_object_size(v) == 1 && json_is_string(getatt))
		json_object_set_new(v, "Fn::GetAtt", getatt_value(json_incref(getatt)));
	const char *key;
	json_t *item;
	void *tmp;
	json_object_foreach_safe(v, tmp, key, item) {
		char *text = json_is_string(item)
			? base64_text(json_string_value(item), json_string_length(item)) : NULL;
		if (text) {
			json_object_set_new(v, key, json_pack("{s:s}", "Fn::Base64", text));
			free(text);
		} else {
			diff_normalize(item);
		}
	}
}
