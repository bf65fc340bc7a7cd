/*
 * emit_yaml.c - the template as YAML, through libyaml's emitter.
 *
 * Same structure and key order as emit_json.c. Block style, 2-space indent,
 * no line folding (a long base64 string stays one line), UTF-8 as is, no
 * tags: intrinsic functions are the ordinary `Fn::Sub:` keys of the tree.
 *
 * Types must survive a round trip through any YAML reader. Integers and
 * booleans are written plain (`443`, `true`). A string is written plain only
 * when no common schema would read that plain scalar as something else: the
 * YAML 1.1 types (the spec's regular expressions, PyYAML's and SnakeYAML's,
 * so cfn-lint and cfn-check read it right), the YAML 1.2 core and JSON
 * schemas. Anything else is quoted. libyaml then adds quotes on its own for
 * strings that cannot be plain at all (leading indicators, `: `, ` #`, ...).
 * Multi-line strings become literal blocks (`|`) when libyaml can write them
 * as such, otherwise double-quoted with escapes. libyaml refuses a block
 * for any string holding a tab, though YAML allows tabs in block content:
 * a script indented with tabs (a lifecycle script under Fn::Base64) is
 * written as a placeholder and the block put in its place afterwards
 * (literal_blocks()), so a diff of the template shows the script line by line.
 */
#include "emit.h"

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/*
 * Plain scalars another type would claim, whole-string POSIX EREs. The
 * YAML 1.1 set is a superset of PyYAML's resolvers; quoting too much is
 * harmless, quoting too little changes a type. Each pattern's first
 * character is one of those plain_is_str() pre-filters on.
 */
static const char *const non_str_patterns[] = {
	/* null: YAML 1.1 and 1.2 (the empty string is checked separately) */
	"^(~|[Nn][Uu][Ll][Ll])$",
	/* bool: YAML 1.1 (any case, wider than the spec) and 1.2 */
	"^([YyNn]|[Yy][Ee][Ss]|[Nn][Oo]|[Tt][Rr][Uu][Ee]|[Ff][Aa][Ll][Ss][Ee]|"
	"[Oo][Nn]|[Oo][Ff][Ff])$",
	/* int: YAML 1.1 binary, octal, decimal, hex, sexagesimal */
	"^[-+]?0b[01_]+$",
	"^[-+]?0[0-7_]+$",
	"^[-+]?(0|[1-9][0-9_]*)$",
	"^[-+]?0x[0-9a-fA-F_]+$",
	"^[-+]?[1-9][0-9_]*(:[0-5]?[0-9])+$",
	/* int: YAML 1.2 core (leading zeros allowed, 0o octal) */
	"^[-+]?[0-9]+$",
	"^0o[0-7]+$",
	/* float: YAML 1.1 spec (matches "1.2.3" too), PyYAML/SnakeYAML, 1.2 core */
	"^[-+]?([0-9][0-9_]*)?\\.[0-9.]*([eE][-+][0-9]+)?$",
	"^[-+]?([0-9][0-9_]*)\\.[0-9_]*([eE][-+]?[0-9]+)?$",
	"^[-+]?(\\.[0-9]+|[0-9_]+(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?$",
	"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+\\.[0-9_]*$",
	"^[-+]?\\.(inf|Inf|INF)$",
	"^\\.(nan|NaN|NAN)$",
	/* timestamp: YAML 1.1 (2010-09-09, 2001-12-14t21:59:43.10-05:00, ...) */
	"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(([Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}"
	"(\\.[0-9]*)?([ \t]*(Z|[-+][0-9]{1,2}(:[0-9]{2})?))?)?$",
	/* YAML 1.1 merge key and value indicator */
	"^(<<|=)$",
};
#define NPATTERNS (sizeof non_str_patterns / sizeof non_str_patterns[0])

struct out {
	char *buf;
	size_t len, cap;
	bool oom;
};

struct ye {
	yaml_emitter_t em;
	regex_t re[NPATTERNS];
	size_t nre;
	bool ok;
	bool no_blocks;              /* a second pass: the placeholder text was taken */
	const char **blocks;         /* strings written as placeholders, in order */
	size_t nblocks, capblocks;
};

/* Placeholder `BLOCK_MARK<n>`; a template already holding BLOCK_MARK is written without. */
#define BLOCK_MARK "sgc-literal-block-placeholder-"

static int write_out(void *data, unsigned char *bytes, size_t size)
{
	struct out *o = data;
	if (o->len + size + 1 > o->cap) {
		size_t cap = o->cap ? o->cap : 4096;
		while (o->len + size + 1 > cap)
			cap *= 2;
		char *p = realloc(o->buf, cap);
		if (!p) {
			o->oom = true;
			return 0;
		}
		o->buf = p;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, bytes, size);
	o->len += size;
	o->buf[o->len] = '\0';
	return 1;
}

/* Emits an initialised event; the first failure sticks and stops the rest. */
static void emit(struct ye *y, yaml_event_t *ev, int init_ok)
{
	if (!y->ok) {
		if (init_ok)
			yaml_event_delete(ev);
		return;
	}
	if (!init_ok || !yaml_emitter_emit(&y->em, ev))
		y->ok = false;
}

/* True when `s` written plain reads back as the same string everywhere. */
static bool plain_is_str(const struct ye *y, const char *s)
{
	if (!*s)
		return false;
	/* every pattern below starts with one of these: skip the rest cheaply */
	if (!strchr("~NnYyTtFfOo0123456789-+.<=", *s))
		return true;
	for (size_t i = 0; i < y->nre; i++)
		if (regexec(&y->re[i], s, 0, NULL, 0) == 0)
			return false;
	return true;
}

/* A line break other than `\n`: libyaml copies these raw into block and single-quoted scalars. */
static bool has_odd_break(const char *s)
{
	return strchr(s, '\r') || strstr(s, "\xC2\x85") || strstr(s, "\xE2\x80\xA8") ||
	       strstr(s, "\xE2\x80\xA9");
}

/*
 * Multi-line strings: a literal block (`|` or `|-`) unless a double-quoted
 * scalar is the only faithful form. libyaml copies `\r` and Unicode breaks
 * raw into blocks, where a reader turns them into `\n`; and a string ending
 * in a blank line (or just "\n") needs `|+`, after which libyaml ends the
 * document with `...`. libyaml itself falls back to double quotes for other cases
 * (trailing spaces on a line, control characters).
 */
static yaml_scalar_style_t str_style(const char *s)
{
	if (has_odd_break(s))
		return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	if (!strchr(s, '\n'))
		return YAML_ANY_SCALAR_STYLE;
	size_t n = strlen(s);
	if (s[n - 1] == '\n' && (n == 1 || s[n - 2] == '\n'))
		return YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	return YAML_LITERAL_SCALAR_STYLE;
}

/* The code point of a well-formed UTF-8 sequence at s, and its length in `*n`; 0 when malformed. */
static unsigned long utf8_at(const unsigned char *s, size_t *n)
{
	unsigned char c = s[0];
	size_t k = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
	if (!k)
		return 0;
	unsigned long cp = k == 1 ? c : c & (0xFF >> (k + 1));
	for (size_t i = 1; i < k; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	static const unsigned long least[] = { 0, 0, 0x80, 0x800, 0x10000 };
	if (cp < least[k] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	*n = k;
	return cp;
}

/*
 * A literal block libyaml would write but for its tabs: multi-line, one
 * final `\n` or none (`|` or `|-`), not starting with a blank (the block's
 * indentation is read from its first line), no blank at a line's end, every
 * other character printable in YAML and none a line break other than `\n`.
 */
static bool tab_block(const char *s)
{
	if (!strchr(s, '\t') || !strchr(s, '\n') || *s == ' ' || *s == '\t' || *s == '\n')
		return false;
	size_t n = strlen(s);
	if (s[n - 1] == '\n' && s[n - 2] == '\n')
		return false;
	for (size_t i = 0; i < n;) {
		unsigned char c = (unsigned char)s[i];
		if ((c == ' ' || c == '\t') && (i + 1 == n || s[i + 1] == '\n'))
			return false;
		size_t k = 1;
		unsigned long cp = c < 0x80 ? c : utf8_at((const unsigned char *)s + i, &k);
		bool ok = cp == '\t' || cp == '\n' || (cp >= 0x20 && cp <= 0x7E) ||
			  (cp >= 0xA0 && cp <= 0xFFFD && cp != 0x2028 && cp != 0x2029 && cp != 0xFEFF) ||
			  cp >= 0x10000;
		if (!ok)
			return false;
		i += k;
	}
	return true;
}

/* Writes `s` as a placeholder to be replaced by its literal block; false when it cannot. */
static bool put_block_mark(struct ye *y, const char *s)
{
	if (y->no_blocks || !tab_block(s))
		return false;
	if (y->nblocks == y->capblocks) {
		size_t cap = y->capblocks ? 2 * y->capblocks : 8;
		const char **p = realloc(y->blocks, cap * sizeof *p);
		if (!p) {
			y->ok = false;
			return true;
		}
		y->blocks = p;
		y->capblocks = cap;
	}
	char mark[64];
	snprintf(mark, sizeof mark, BLOCK_MARK "%zu", y->nblocks);
	y->blocks[y->nblocks++] = s;
	yaml_event_t ev;
	emit(y, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)mark,
						  (int)strlen(mark), 1, 0, YAML_PLAIN_SCALAR_STYLE));
	return true;
}

static void put_str(struct ye *y, const char *s)
{
	yaml_event_t ev;
	yaml_scalar_style_t style = str_style(s);
	int plain = style == YAML_ANY_SCALAR_STYLE && plain_is_str(y, s);
	emit(y, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
						  (int)strlen(s), plain, 1, style));
}

/* Integers and booleans: plain, and only plain reads them back typed. */
static void put_plain(struct ye *y, const char *s)
{
	yaml_event_t ev;
	emit(y, &ev, yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s,
						  (int)strlen(s), 1, 0,
						  YAML_PLAIN_SCALAR_STYLE));
}

static void map_start(struct ye *y)
{
	yaml_event_t ev;
	emit(y, &ev, yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
							 YAML_BLOCK_MAPPING_STYLE));
}

static void map_end(struct ye *y)
{
	yaml_event_t ev;
	emit(y, &ev, yaml_mapping_end_event_initialize(&ev));
}

static void seq_start(struct ye *y)
{
	yaml_event_t ev;
	emit(y, &ev, yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
							  YAML_BLOCK_SEQUENCE_STYLE));
}

static void seq_end(struct ye *y)
{
	yaml_event_t ev;
	emit(y, &ev, yaml_sequence_end_event_initialize(&ev));
}

static void to_yaml(struct ye *y, const struct cv *v)
{
	switch (v->kind) {
	case CV_STR:
		if (!put_block_mark(y, v->u.s))
			put_str(y, v->u.s);
		return;
	case CV_INT: {
		char num[24];
		snprintf(num, sizeof num, "%lld", (long long)v->u.i);
		put_plain(y, num);
		return;
	}
	case CV_BOOL:
		put_plain(y, v->u.b ? "true" : "false");
		return;
	case CV_ARR:
		seq_start(y);
		for (size_t i = 0; i < v->u.items.n; i++)
			to_yaml(y, v->u.items.items[i]);
		seq_end(y);
		return;
	case CV_OBJ:
		map_start(y);
		for (size_t i = 0; i < v->u.items.n; i++) {
			const struct cv_member *m = v->u.items.items[i];
			put_str(y, m->key);
			to_yaml(y, m->val);
		}
		map_end(y);
		return;
	}
}

static void resource_yaml(struct ye *y, const struct cfn_resource *r)
{
	map_start(y);
	put_str(y, "Type");
	put_str(y, r->type);
	if (r->depends_on.n == 1) {
		put_str(y, "DependsOn");
		put_str(y, r->depends_on.items[0]);
	} else if (r->depends_on.n > 1) {
		put_str(y, "DependsOn");
		seq_start(y);
		for (size_t i = 0; i < r->depends_on.n; i++)
			put_str(y, r->depends_on.items[i]);
		seq_end(y);
	}
	if (r->deletion_policy) {
		put_str(y, "DeletionPolicy");
		put_str(y, r->deletion_policy);
	}
	if (r->update_replace_policy) {
		put_str(y, "UpdateReplacePolicy");
		put_str(y, r->update_replace_policy);
	}
	if (r->metadata) {
		put_str(y, "Metadata");
		to_yaml(y, r->metadata);
	}
	if (r->props->u.items.n) {
		put_str(y, "Properties");
		to_yaml(y, r->props);
	}
	map_end(y);
}

static void template_yaml(struct ye *y, const struct cfn_template *t)
{
	yaml_event_t ev;
	emit(y, &ev, yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING));
	emit(y, &ev, yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1));
	map_start(y);
	put_str(y, "AWSTemplateFormatVersion");
	put_str(y, "2010-09-09");
	put_str(y, "Description");
	put_str(y, t->description);
	if (t->parameters->u.items.n) {
		put_str(y, "Parameters");
		to_yaml(y, t->parameters);
	}
	if (t->rules->u.items.n) {
		put_str(y, "Rules");
		to_yaml(y, t->rules);
	}
	if (t->mappings->u.items.n) {
		put_str(y, "Mappings");
		to_yaml(y, t->mappings);
	}
	if (t->conditions->u.items.n) {
		put_str(y, "Conditions");
		to_yaml(y, t->conditions);
	}
	put_str(y, "Resources");
	map_start(y);
	for (size_t i = 0; i < t->resources.n; i++) {
		const struct cfn_resource *r = t->resources.items[i];
		put_str(y, r->id);
		resource_yaml(y, r);
	}
	map_end(y);
	if (t->outputs->u.items.n) {
		put_str(y, "Outputs");
		to_yaml(y, t->outputs);
	}
	map_end(y);
	emit(y, &ev, yaml_document_end_event_initialize(&ev, 1));
	emit(y, &ev, yaml_stream_end_event_initialize(&ev));
	if (y->ok && !yaml_emitter_flush(&y->em))
		y->ok = false;
}

static bool out_put(struct out *o, const char *s, size_t n)
{
	return write_out(o, (unsigned char *)s, n) == 1;
}

/*
 * `in` with each placeholder replaced by its literal block. A placeholder is
 * the whole value on its line (`key: MARK` or `- MARK`); the block's lines
 * go two columns right of the node that holds it. NULL when the text does
 * not hold exactly the placeholders written (a string of the template that
 * contains the mark) or memory runs out.
 */
static char *literal_blocks(const char *in, size_t in_len, const struct ye *y, size_t *len)
{
	struct out o = { 0 };
	const char *p = in;
	size_t seen = 0;
	for (const char *m; (m = strstr(p, BLOCK_MARK));) {
		char *end;
		unsigned long i = strtoul(m + strlen(BLOCK_MARK), &end, 10);
		if (i != seen || i >= y->nblocks || *end != '\n')
			goto fail;
		const char *ls = m;
		while (ls > in && ls[-1] != '\n')
			ls--;
		const char *c = ls;
		while (*c == ' ' || (c[0] == '-' && c[1] == ' '))
			c += c[0] == ' ' ? 1 : 2;
		size_t indent = (size_t)(c - ls) + 2;
		const char *s = y->blocks[seen++];
		size_t n = strlen(s);
		bool chomp = s[n - 1] != '\n';
		if (!out_put(&o, p, (size_t)(m - p)) || !out_put(&o, chomp ? "|-" : "|", chomp ? 2 : 1))
			goto fail;
		for (const char *line = s; *line;) {
			const char *nl = strchr(line, '\n');
			size_t ll = nl ? (size_t)(nl - line) : strlen(line);
			if (!out_put(&o, "\n", 1))
				goto fail;
			for (size_t k = 0; k < indent && ll; k++)
				if (!out_put(&o, " ", 1))
					goto fail;
			if (!out_put(&o, line, ll))
				goto fail;
			line += ll + (nl ? 1 : 0);
		}
		p = end;
	}
	if (seen != y->nblocks || !out_put(&o, p, in_len - (size_t)(p - in)))
		goto fail;
	*len = o.len;
	return o.buf;
fail:
	free(o.buf);
	return NULL;
}

static char *emit_yaml_pass(const struct cfn_template *t, size_t *len, bool no_blocks);

char *emit_yaml(const struct cfn_template *t, size_t *len)
{
	return emit_yaml_pass(t, len, false);
}

static char *emit_yaml_pass(const struct cfn_template *t, size_t *len, bool no_blocks)
{
	struct ye y = { .ok = true, .no_blocks = no_blocks };
	struct out o = { 0 };
	for (; y.nre < NPATTERNS; y.nre++)
		if (regcomp(&y.re[y.nre], non_str_patterns[y.nre], REG_EXTENDED | REG_NOSUB) != 0) {
			y.ok = false;
			break;
		}
	if (y.ok && !yaml_emitter_initialize(&y.em)) {
		y.ok = false;
	} else if (y.ok) {
		yaml_emitter_set_output(&y.em, write_out, &o);
		yaml_emitter_set_encoding(&y.em, YAML_UTF8_ENCODING);
		yaml_emitter_set_canonical(&y.em, 0);
		yaml_emitter_set_indent(&y.em, 2);
		yaml_emitter_set_width(&y.em, -1); /* never fold a line */
		yaml_emitter_set_unicode(&y.em, 1);
		yaml_emitter_set_break(&y.em, YAML_LN_BREAK);
		template_yaml(&y, t);
		yaml_emitter_delete(&y.em);
	}
	for (size_t i = 0; i < y.nre; i++)
		regfree(&y.re[i]);
	if (!y.ok || o.oom || !o.buf) {
		free(y.blocks);
		free(o.buf);
		return NULL;
	}
	if (!y.nblocks) {
		*len = o.len;
		return o.buf;
	}
	char *text = literal_blocks(o.buf, o.len, &y, len);
	free(y.blocks);
	free(o.buf);
	return text ? text : emit_yaml_pass(t, len, true);
}
