/*
 * lsp_text.c - positions and open documents of `sgc lsp`.
 *
 * Positions: the client's encoding (UTF-16 unless it offers UTF-8) is
 * converted to byte offsets and back here, on the document's own text;
 * the compiler only ever sees byte offsets. Documents take full and
 * incremental edits and are checked (compile.h) when no message waits.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "check.h"
#include "lex.h"
#include "lsp_server.h"

/* ---- positions --------------------------------------------------------------- */

/* Text with its line starts, for conversions. */

bool lsp_lines_init(struct lines *l, const char *t, size_t len, bool utf8)
{
	*l = (struct lines){ .t = t, .len = (uint32_t)len, .utf8 = utf8, .cur_line = UINT32_MAX };
	uint32_t n = 1;
	for (size_t i = 0; i < len; i++)
		n += t[i] == '\n';
	l->starts = malloc(n * sizeof *l->starts);
	if (!l->starts)
		return false;
	l->starts[l->n++] = 0;
	for (size_t i = 0; i < len; i++)
		if (t[i] == '\n')
			l->starts[l->n++] = (uint32_t)i + 1;
	return true;
}

void lsp_lines_free(struct lines *l)
{
	free(l->starts);
	l->starts = NULL;
}

/* Bytes of the character at `off` and its units in the encoding. */
static uint32_t char_at(const struct lines *l, uint32_t off, uint32_t *units)
{
	uint32_t cp;
	uint32_t n = src_utf8_decode(l->t + off, l->len - off, &cp);
	if (n == 0)
		n = 1;
	*units = l->utf8 ? n : (cp >= 0x10000 && n == 4 ? 2 : 1);
	return n;
}

static void off_to_pos(struct lines *l, uint32_t off, uint32_t *line, uint32_t *ch)
{
	if (off > l->len)
		off = l->len;
	uint32_t lo = 0, hi = l->n;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (l->starts[mid] <= off)
			lo = mid;
		else
			hi = mid;
	}
	if (l->cur_line != lo || l->cur_off > off) {
		l->cur_line = lo;
		l->cur_off = l->starts[lo];
		l->cur_ch = 0;
	}
	while (l->cur_off < off) {
		uint32_t u, n = char_at(l, l->cur_off, &u);
		if (l->cur_off + n > off)
			break;
		l->cur_off += n;
		l->cur_ch += u;
	}
	*line = lo;
	*ch = l->cur_ch;
}

/* A position past its line's end is the line's end; past the last line, the text's end. */
uint32_t lsp_pos_to_off(const struct lines *l, json_int_t line, json_int_t ch)
{
	if (line < 0)
		return 0;
	if ((uint64_t)line >= l->n)
		return l->len;
	uint32_t off = l->starts[line];
	uint32_t end = (uint64_t)line + 1 < l->n ? l->starts[line + 1] - 1 : l->len;
	if (end > off && l->t[end - 1] == '\r' && end == l->starts[line + 1 < l->n ? line + 1 : 0] - 1)
		end--;
	json_int_t units = 0;
	while (off < end && units < ch) {
		uint32_t u, n = char_at(l, off, &u);
		if (units + u > ch)
			break;
		off += n;
		units += u;
	}
	return off;
}

static json_t *json_pos(uint32_t line, uint32_t ch)
{
	json_t *p = json_object();
	json_object_set_new(p, "line", json_integer(line));
	json_object_set_new(p, "character", json_integer(ch));
	return p;
}

json_t *lsp_json_range(struct lines *l, uint32_t lo, uint32_t hi)
{
	uint32_t a, b, c, d;
	off_to_pos(l, lo, &a, &b);
	off_to_pos(l, hi < lo ? lo : hi, &c, &d);
	json_t *r = json_object();
	json_object_set_new(r, "start", json_pos(a, b));
	json_object_set_new(r, "end", json_pos(c, d));
	return r;
}

/* The position object's fields, or false. */
bool lsp_get_pos(json_t *p, json_int_t *line, json_int_t *ch)
{
	json_t *l = json_object_get(p, "line"), *c = json_object_get(p, "character");
	if (!json_is_integer(l) || !json_is_integer(c))
		return false;
	*line = json_integer_value(l);
	*ch = json_integer_value(c);
	return *line >= 0 && *ch >= 0;
}

/* ---- documents --------------------------------------------------------------- */

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
		: c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The path a file: URI names (percent-decoded); other URIs are their own name. */
static char *uri_path(const char *uri)
{
	if (strncmp(uri, "file://", 7) != 0)
		return strdup(uri);
	const char *p = uri + 7;
	if (*p != '/') /* file://host/path: keep the path */
		p = strchr(p, '/') ? strchr(p, '/') : p + strlen(p);
	char *out = malloc(strlen(p) + 1), *o = out;
	if (!out)
		return NULL;
	for (; *p; p++) {
		int h, l;
		if (*p == '%' && (h = hexval(p[1])) >= 0 && (l = hexval(p[2])) >= 0 && (h || l)) {
			*o++ = (char)(h * 16 + l);
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

struct doc *lsp_doc_find(struct server *s, const char *uri)
{
	for (size_t i = 0; i < s->ndocs; i++)
		if (strcmp(s->docs[i]->uri, uri) == 0)
			return s->docs[i];
	return NULL;
}

void lsp_doc_free(struct doc *d)
{
	if (d->checked)
		compile_free(&d->c);
	free(d->uri);
	free(d->path);
	free(d->text);
	free(d);
}

bool lsp_is_stdlib_uri(const char *uri)
{
	return strncmp(uri, LSP_STDLIB_SCHEME, sizeof LSP_STDLIB_SCHEME - 1) == 0;
}


/* Check `d` if it changed, and publish its diagnostics. */
void lsp_doc_check(struct server *s, struct doc *d)
{
	if (!d->dirty)
		return;
	d->dirty = false;
	if (d->checked)
		compile_free(&d->c);
	compile_init(&d->c);
	d->checked = true;
	compile_text(&d->c, d->path, d->text, d->len, COMPILE_CHECK);
	if (lsp_is_stdlib_uri(d->uri))
		return;
	struct lines l;
	if (!lsp_lines_init(&l, d->text, d->len, s->utf8))
		return;
	uint32_t bom = (uint32_t)lex_bom_length(d->text, d->len);
	size_t n, dropped;
	const struct diag **all = diag_sorted(&d->c.diags, LSP_DIAG_CAP, &n, &dropped);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, lsp_diag_json(s, d, &l, bom, all[i]));
	if (dropped) {
		json_t *o = json_object();
		json_object_set_new(o, "range", lsp_json_range(&l, 0, 0));
		json_object_set_new(o, "severity", json_integer(3));
		json_object_set_new(o, "source", json_string("sgc"));
		char text[96];
		snprintf(text, sizeof text, "%zu more diagnostics not shown: at most %d are published",
			 dropped, LSP_DIAG_CAP);
		json_object_set_new(o, "message", json_string(text));
		json_array_append_new(list, o);
	}
	lsp_lines_free(&l);
	json_t *p = json_object();
	json_object_set_new(p, "uri", json_string(d->uri));
	json_object_set_new(p, "version", json_integer(d->version));
	json_object_set_new(p, "diagnostics", list);
	lsp_notify(s, "textDocument/publishDiagnostics", p);
}

/* The span in this document's offsets (its BOM is not in the compiler's). */
bool lsp_local_span(const struct doc *d, uint32_t bom, struct span sp, uint32_t *lo, uint32_t *hi)
{
	if (sp.file != d->c.file)
		return false;
	*lo = sp.lo + bom;
	*hi = sp.hi + bom;
	return true;
}

json_t *lsp_diag_json(struct server *s, const struct doc *d, struct lines *l, uint32_t bom,
		      const struct diag *g)
{
	(void)s;
	json_t *o = json_object();
	uint32_t lo, hi;
	const char *elsewhere = NULL;
	if (!lsp_local_span(d, bom, g->span, &lo, &hi)) {
		/* In another file (the stdlib): shown at the document's start, with its place. */
		const struct src_file *f = src_get(&d->c.src, g->span.file);
		struct src_pos p = src_locate(f, g->span.lo);
		elsewhere = arena_printf(d->c.arena, "%s:%u:%u: ", f->path, p.line, p.col);
		lo = hi = 0;
	}
	json_object_set_new(o, "range", lsp_json_range(l, lo, hi));
	json_object_set_new(o, "severity", json_integer(g->level == DIAG_ERROR ? 1
							: g->level == DIAG_WARNING ? 2 : 3));
	json_object_set_new(o, "code", json_string(diag_code_name(g->code)));
	json_object_set_new(o, "source", json_string("sgc"));
	struct strbuf m = { 0 };
	strbuf_printf(d->c.arena, &m, "%s%s", elsewhere ? elsewhere : "", g->msg);
	if (g->label)
		strbuf_printf(d->c.arena, &m, "\n%s", g->label);
	for (int i = 0; i < g->nnotes; i++)
		strbuf_printf(d->c.arena, &m, "\nnote: %s", g->notes[i]);
	if (g->help)
		strbuf_printf(d->c.arena, &m, "\nhelp: %s", g->help);
	json_object_set_new(o, "message", json_string(m.s));
	json_t *rel = json_array();
	for (int i = 0; i < g->nsecondary; i++) {
		uint32_t a, b;
		if (!lsp_local_span(d, bom, g->secondary[i].span, &a, &b))
			continue;
		json_t *r = json_object(), *loc = json_object();
		json_object_set_new(loc, "uri", json_string(d->uri));
		json_object_set_new(loc, "range", lsp_json_range(l, a, b));
		json_object_set_new(r, "location", loc);
		json_object_set_new(r, "message", json_string(g->secondary[i].text ? g->secondary[i].text : ""));
		json_array_append_new(rel, r);
	}
	if (json_array_size(rel))
		json_object_set_new(o, "relatedInformation", rel);
	else
		json_decref(rel);
	return o;
}

/* Replace d's text with t[0..n) (copied); false when it is too large. */
static bool doc_set(struct doc *d, const char *t, size_t n)
{
	if (n > INPUT_MAX)
		return false;
	char *copy = malloc(n + 1);
	if (!copy)
		return false;
	memcpy(copy, t, n);
	copy[n] = '\0';
	free(d->text);
	d->text = copy;
	d->len = n;
	d->dirty = true;
	return true;
}

void lsp_did_open(struct server *s, json_t *params)
{
	json_t *td = lsp_param_obj(params, "textDocument");
	json_t *uri = td ? json_object_get(td, "uri") : NULL;
	json_t *text = td ? json_object_get(td, "text") : NULL;
	if (!json_is_string(uri) || !json_is_string(text))
		return;
	struct doc *d = lsp_doc_find(s, json_string_value(uri));
	if (!d) {
		if (s->ndocs == LSP_DOCS_MAX)
			return;
		d = calloc(1, sizeof *d);
		struct doc **grown = realloc(s->docs, (s->ndocs + 1) * sizeof *grown);
		if (!d || !grown) {
			free(d);
			if (grown)
				s->docs = grown;
			return;
		}
		s->docs = grown;
		d->uri = strdup(json_string_value(uri));
		d->path = uri_path(d->uri);
		if (!d->uri || !d->path) {
			lsp_doc_free(d);
			return;
		}
		s->docs[s->ndocs++] = d;
	}
	json_t *v = json_object_get(td, "version");
	d->version = json_is_integer(v) ? json_integer_value(v) : 0;
	if (!doc_set(d, json_string_value(text), json_string_length(text)))
		doc_set(d, "", 0);
}

void lsp_did_change(struct server *s, json_t *params)
{
	const char *uri = lsp_param_uri(params);
	struct doc *d = uri ? lsp_doc_find(s, uri) : NULL;
	json_t *changes = json_object_get(params, "contentChanges");
	if (!d || !json_is_array(changes))
		return;
	json_t *v = json_object_get(lsp_param_obj(params, "textDocument"), "version");
	if (json_is_integer(v))
		d->version = json_integer_value(v);
	size_t i;
	json_t *ch;
	json_array_foreach(changes, i, ch) {
		json_t *text = json_object_get(ch, "text");
		if (!json_is_string(text))
			continue;
		const char *t = json_string_value(text);
		size_t tn = json_string_length(text);
		json_t *range = json_object_get(ch, "range");
		if (!json_is_object(range)) {
			doc_set(d, t, tn);
			continue;
		}
		json_int_t l1, c1, l2, c2;
		if (!lsp_get_pos(json_object_get(range, "start"), &l1, &c1) ||
		    !lsp_get_pos(json_object_get(range, "end"), &l2, &c2))
			continue;
		struct lines l;
		if (!lsp_lines_init(&l, d->text, d->len, s->utf8))
			continue;
		uint32_t a = lsp_pos_to_off(&l, l1, c1), b = lsp_pos_to_off(&l, l2, c2);
		lsp_lines_free(&l);
		if (b < a) {
			uint32_t x = a;
			a = b;
			b = x;
		}
		size_t n = d->len - (b - a) + tn;
		if (n > INPUT_MAX)
			continue;
		char *nt = malloc(n + 1);
		if (!nt)
			continue;
		memcpy(nt, d->text, a);
		memcpy(nt + a, t, tn);
		memcpy(nt + a + tn, d->text + b, d->len - b);
		nt[n] = '\0';
		free(d->text);
		d->text = nt;
		d->len = n;
		d->dirty = true;
	}
}

void lsp_did_close(struct server *s, json_t *params)
{
	const char *uri = lsp_param_uri(params);
	for (size_t i = 0; uri && i < s->ndocs; i++) {
		if (strcmp(s->docs[i]->uri, uri) != 0)
			continue;
		struct doc *d = s->docs[i];
		s->docs[i] = s->docs[--s->ndocs];
		/* Its diagnostics go with it. */
		if (!lsp_is_stdlib_uri(d->uri)) {
			json_t *p = json_object();
			json_object_set_new(p, "uri", json_string(d->uri));
			json_object_set_new(p, "diagnostics", json_array());
			lsp_notify(s, "textDocument/publishDiagnostics", p);
		}
		lsp_doc_free(d);
		return;
	}
}
