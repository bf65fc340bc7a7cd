/*
 * lsp.c - the language server (lsp.h, docs/lsp.md).
 *
 * Framing: `Content-Length: N\r\n` (other headers ignored) then N bytes of
 * JSON. A header block over LSP_HEADER_MAX bytes, a missing or malformed
 * Content-Length, a body over LSP_BODY_MAX or that is not JSON is answered
 * with a JSON-RPC error (id null) and the server reads on; nothing from
 * the client ends it but `exit` or the end of its input.
 *
 * Positions: the client's encoding (UTF-16 unless it offers UTF-8) is
 * converted to byte offsets and back here, on the document's own text;
 * the compiler only ever sees byte offsets.
 */
#include "lsp.h"

#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arena.h"
#include "check.h"
#include "cli.h"
#include "compile.h"
#include "endpoints.h"
#include "fmt.h"
#include "input.h"
#include "instances.h"
#include "lex.h"
#include "regions.h"
#include "resolve.h"
#include "schema.h"
#include "stdmod.h"

enum {
	LSP_HEADER_MAX = 8192,
	LSP_BODY_MAX = 4 * INPUT_MAX, /* a document of INPUT_MAX, escaped */
	LSP_DOCS_MAX = 1024,
	LSP_DIAG_CAP = 1000,          /* diagnostics published per document */
	LSP_COMPLETION_MAX = 2000,
};

/* JSON-RPC and LSP error codes. */
enum {
	RPC_PARSE_ERROR = -32700,
	RPC_INVALID_REQUEST = -32600,
	RPC_METHOD_NOT_FOUND = -32601,
	RPC_INVALID_PARAMS = -32602,
	RPC_SERVER_NOT_INITIALIZED = -32002,
	RPC_REQUEST_FAILED = -32803,
};

static const char stdlib_scheme[] = "sgc-stdlib:///";

struct doc {
	char *uri;
	char *path;      /* what diagnostics and file() see: the file: URI's path */
	char *text;
	size_t len;
	json_int_t version;
	bool dirty;      /* changed since it was last checked */
	bool checked;    /* `c` holds a compile of `text` */
	struct compile c;
};

struct server {
	int in, out;
	char *buf;       /* bytes read and not yet consumed: buf[pos..len) */
	size_t pos, len, cap;
	bool eof, write_failed;
	bool utf8;       /* negotiated position encoding; else UTF-16 */
	bool initialized, shutdown;
	struct doc **docs;
	size_t ndocs;
	struct arena *arena; /* lives as long as the server: the schema tables */
	const struct schema_set *schemas;
};

/* ---- input and output ------------------------------------------------------ */

/* Read more input; false at its end (or on an error reading it). */
static bool fill(struct server *s)
{
	if (s->eof)
		return false;
	if (s->pos > 0 && s->pos == s->len)
		s->pos = s->len = 0;
	if (s->len == s->cap) {
		if (s->pos > 0) {
			memmove(s->buf, s->buf + s->pos, s->len - s->pos);
			s->len -= s->pos;
			s->pos = 0;
		} else {
			size_t cap = s->cap ? s->cap * 2 : 65536;
			char *b = realloc(s->buf, cap);
			if (!b)
				return s->eof = true, false;
			s->buf = b;
			s->cap = cap;
		}
	}
	for (;;) {
		ssize_t n = read(s->in, s->buf + s->len, s->cap - s->len);
		if (n > 0) {
			s->len += (size_t)n;
			return true;
		}
		if (n < 0 && errno == EINTR)
			continue;
		s->eof = true;
		return false;
	}
}

/* Is a message (or part of one) waiting? */
static bool pending(struct server *s)
{
	if (s->pos < s->len)
		return true;
	if (s->eof)
		return false;
	struct pollfd p = { .fd = s->in, .events = POLLIN };
	return poll(&p, 1, 0) > 0;
}

static void write_all(struct server *s, const char *p, size_t n)
{
	while (n && !s->write_failed) {
		ssize_t w = write(s->out, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			s->write_failed = true;
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Send `msg` (taken) with its header. */
static void send_msg(struct server *s, json_t *msg)
{
	json_object_set_new(msg, "jsonrpc", json_string("2.0"));
	char *body = json_dumps(msg, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(msg);
	if (!body)
		return;
	char head[64];
	size_t n = strlen(body);
	int h = snprintf(head, sizeof head, "Content-Length: %zu\r\n\r\n", n);
	write_all(s, head, (size_t)h);
	write_all(s, body, n);
	free(body);
}

static void reply(struct server *s, json_t *id, json_t *result)
{
	json_t *m = json_object();
	json_object_set(m, "id", id ? id : json_null());
	json_object_set_new(m, "result", result ? result : json_null());
	send_msg(s, m);
}

static void reply_error(struct server *s, json_t *id, int code, const char *message)
{
	json_t *m = json_object();
	json_object_set(m, "id", id ? id : json_null());
	json_t *e = json_object();
	json_object_set_new(e, "code", json_integer(code));
	json_object_set_new(e, "message", json_string(message));
	json_object_set_new(m, "error", e);
	send_msg(s, m);
}

static void notify(struct server *s, const char *method, json_t *params)
{
	json_t *m = json_object();
	json_object_set_new(m, "method", json_string(method));
	json_object_set_new(m, "params", params);
	send_msg(s, m);
}

enum read_status { READ_OK, READ_EOF, READ_BAD };

static bool header_is(const char *line, size_t n, const char *name, const char **value)
{
	size_t k = strlen(name);
	if (n <= k || strncasecmp(line, name, k) != 0 || line[k] != ':')
		return false;
	*value = line + k + 1;
	return true;
}

/*
 * One message's body into *body (malloc'd, NUL-terminated). READ_BAD: a
 * framing error, already answered; the bytes it spans are consumed.
 */
static enum read_status read_message(struct server *s, char **body, size_t *blen)
{
	size_t end;
	for (;;) {
		char *hit = NULL;
		size_t avail = s->len - s->pos;
		for (size_t i = 0; i + 3 < avail && !hit; i++)
			if (memcmp(s->buf + s->pos + i, "\r\n\r\n", 4) == 0)
				hit = s->buf + s->pos + i;
		if (hit) {
			end = (size_t)(hit - s->buf);
			break;
		}
		if (avail > LSP_HEADER_MAX) {
			s->pos = s->len; /* drop it: no length to skip by */
			reply_error(s, NULL, RPC_PARSE_ERROR, "header block too long or not terminated");
			return READ_BAD;
		}
		if (!fill(s)) {
			return READ_EOF;
		}
	}
	/* Header lines: Content-Length is required, others are ignored. */
	long long length = -1;
	bool bad = false;
	const char *p = s->buf + s->pos, *stop = s->buf + end;
	while (p < stop) {
		const char *nl = p;
		while (nl + 1 < stop + 2 && !(nl[0] == '\r' && nl[1] == '\n'))
			nl++;
		const char *v;
		if (header_is(p, (size_t)(nl - p), "Content-Length", &v)) {
			while (*v == ' ' || *v == '\t')
				v++;
			long long n = 0;
			const char *d = v;
			while (d < nl && *d >= '0' && *d <= '9' && n <= LSP_BODY_MAX)
				n = n * 10 + (*d++ - '0');
			while (d < nl && (*d == ' ' || *d == '\t'))
				d++;
			if (d == v || d != nl || length >= 0)
				bad = true;
			length = n;
		} else if (!memchr(p, ':', (size_t)(nl - p))) {
			bad = true;
		}
		p = nl + 2;
	}
	s->pos = end + 4;
	if (bad || length < 0) {
		reply_error(s, NULL, RPC_PARSE_ERROR, "missing or malformed Content-Length header");
		return READ_BAD;
	}
	bool too_big = length > LSP_BODY_MAX;
	if (too_big) {
		/* Skip it: its length is known. */
		unsigned long long left = (unsigned long long)length;
		while (left) {
			size_t have = s->len - s->pos;
			if (!have && !fill(s))
				return READ_EOF;
			have = s->len - s->pos;
			size_t take = have < left ? have : (size_t)left;
			s->pos += take;
			left -= take;
		}
		reply_error(s, NULL, RPC_INVALID_REQUEST, "message too large");
		return READ_BAD;
	}
	while (s->len - s->pos < (size_t)length)
		if (!fill(s))
			return READ_EOF;
	*body = malloc((size_t)length + 1);
	if (!*body)
		return READ_EOF;
	memcpy(*body, s->buf + s->pos, (size_t)length);
	(*body)[length] = '\0';
	*blen = (size_t)length;
	s->pos += (size_t)length;
	return READ_OK;
}

/* ---- positions --------------------------------------------------------------- */

/* Text with its line starts, for conversions. */
struct lines {
	const char *t;
	uint32_t len;
	uint32_t *starts;
	uint32_t n;
	bool utf8;
	/* A cursor: conversions in increasing order cost one pass over a line. */
	uint32_t cur_line, cur_off, cur_ch;
};

static bool lines_init(struct lines *l, const char *t, size_t len, bool utf8)
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

static void lines_free(struct lines *l)
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
static uint32_t pos_to_off(const struct lines *l, json_int_t line, json_int_t ch)
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

static json_t *json_range(struct lines *l, uint32_t lo, uint32_t hi)
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
static bool get_pos(json_t *p, json_int_t *line, json_int_t *ch)
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

static struct doc *doc_find(struct server *s, const char *uri)
{
	for (size_t i = 0; i < s->ndocs; i++)
		if (strcmp(s->docs[i]->uri, uri) == 0)
			return s->docs[i];
	return NULL;
}

static void doc_free(struct doc *d)
{
	if (d->checked)
		compile_free(&d->c);
	free(d->uri);
	free(d->path);
	free(d->text);
	free(d);
}

static bool is_stdlib_uri(const char *uri)
{
	return strncmp(uri, stdlib_scheme, sizeof stdlib_scheme - 1) == 0;
}

static json_t *diag_json(struct server *s, const struct doc *d, struct lines *l, uint32_t bom,
			 const struct diag *g);

/* Check `d` if it changed, and publish its diagnostics. */
static void doc_check(struct server *s, struct doc *d)
{
	if (!d->dirty)
		return;
	d->dirty = false;
	if (d->checked)
		compile_free(&d->c);
	compile_init(&d->c);
	d->checked = true;
	compile_text(&d->c, d->path, d->text, d->len, COMPILE_CHECK);
	if (is_stdlib_uri(d->uri))
		return;
	struct lines l;
	if (!lines_init(&l, d->text, d->len, s->utf8))
		return;
	uint32_t bom = (uint32_t)lex_bom_length(d->text, d->len);
	size_t n, dropped;
	const struct diag **all = diag_sorted(&d->c.diags, LSP_DIAG_CAP, &n, &dropped);
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(list, diag_json(s, d, &l, bom, all[i]));
	if (dropped) {
		json_t *o = json_object();
		json_object_set_new(o, "range", json_range(&l, 0, 0));
		json_object_set_new(o, "severity", json_integer(3));
		json_object_set_new(o, "source", json_string("sgc"));
		char text[96];
		snprintf(text, sizeof text, "%zu more diagnostics not shown: at most %d are published",
			 dropped, LSP_DIAG_CAP);
		json_object_set_new(o, "message", json_string(text));
		json_array_append_new(list, o);
	}
	lines_free(&l);
	json_t *p = json_object();
	json_object_set_new(p, "uri", json_string(d->uri));
	json_object_set_new(p, "version", json_integer(d->version));
	json_object_set_new(p, "diagnostics", list);
	notify(s, "textDocument/publishDiagnostics", p);
}

/* The span in this document's offsets (its BOM is not in the compiler's). */
static bool local_span(const struct doc *d, uint32_t bom, struct span sp, uint32_t *lo, uint32_t *hi)
{
	if (sp.file != d->c.file)
		return false;
	*lo = sp.lo + bom;
	*hi = sp.hi + bom;
	return true;
}

static json_t *diag_json(struct server *s, const struct doc *d, struct lines *l, uint32_t bom,
			 const struct diag *g)
{
	(void)s;
	json_t *o = json_object();
	uint32_t lo, hi;
	const char *elsewhere = NULL;
	if (!local_span(d, bom, g->span, &lo, &hi)) {
		/* In another file (the stdlib): shown at the document's start, with its place. */
		const struct src_file *f = src_get(&d->c.src, g->span.file);
		struct src_pos p = src_locate(f, g->span.lo);
		elsewhere = arena_printf(d->c.arena, "%s:%u:%u: ", f->path, p.line, p.col);
		lo = hi = 0;
	}
	json_object_set_new(o, "range", json_range(l, lo, hi));
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
		if (!local_span(d, bom, g->secondary[i].span, &a, &b))
			continue;
		json_t *r = json_object(), *loc = json_object();
		json_object_set_new(loc, "uri", json_string(d->uri));
		json_object_set_new(loc, "range", json_range(l, a, b));
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

static json_t *param_obj(json_t *params, const char *key)
{
	json_t *v = json_object_get(params, key);
	return json_is_object(v) ? v : NULL;
}

static const char *param_uri(json_t *params)
{
	json_t *td = param_obj(params, "textDocument");
	json_t *u = td ? json_object_get(td, "uri") : NULL;
	return json_is_string(u) ? json_string_value(u) : NULL;
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

static void did_open(struct server *s, json_t *params)
{
	json_t *td = param_obj(params, "textDocument");
	json_t *uri = td ? json_object_get(td, "uri") : NULL;
	json_t *text = td ? json_object_get(td, "text") : NULL;
	if (!json_is_string(uri) || !json_is_string(text))
		return;
	struct doc *d = doc_find(s, json_string_value(uri));
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
			doc_free(d);
			return;
		}
		s->docs[s->ndocs++] = d;
	}
	json_t *v = json_object_get(td, "version");
	d->version = json_is_integer(v) ? json_integer_value(v) : 0;
	if (!doc_set(d, json_string_value(text), json_string_length(text)))
		doc_set(d, "", 0);
}

static void did_change(struct server *s, json_t *params)
{
	const char *uri = param_uri(params);
	struct doc *d = uri ? doc_find(s, uri) : NULL;
	json_t *changes = json_object_get(params, "contentChanges");
	if (!d || !json_is_array(changes))
		return;
	json_t *v = json_object_get(param_obj(params, "textDocument"), "version");
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
		if (!get_pos(json_object_get(range, "start"), &l1, &c1) ||
		    !get_pos(json_object_get(range, "end"), &l2, &c2))
			continue;
		struct lines l;
		if (!lines_init(&l, d->text, d->len, s->utf8))
			continue;
		uint32_t a = pos_to_off(&l, l1, c1), b = pos_to_off(&l, l2, c2);
		lines_free(&l);
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

static void did_close(struct server *s, json_t *params)
{
	const char *uri = param_uri(params);
	for (size_t i = 0; uri && i < s->ndocs; i++) {
		if (strcmp(s->docs[i]->uri, uri) != 0)
			continue;
		struct doc *d = s->docs[i];
		s->docs[i] = s->docs[--s->ndocs];
		/* Its diagnostics go with it. */
		if (!is_stdlib_uri(d->uri)) {
			json_t *p = json_object();
			json_object_set_new(p, "uri", json_string(d->uri));
			json_object_set_new(p, "diagnostics", json_array());
			notify(s, "textDocument/publishDiagnostics", p);
		}
		doc_free(d);
		return;
	}
}

/* ---- where the cursor is ------------------------------------------------------ */

/* What lies under an offset in the syntax tree. */
struct at {
	const struct ast_item *item;    /* the innermost item containing it */
	const char *kind;               /* the kind of the block enclosing `item` (NULL: top level) */
	const struct scope *scope;      /* where names in `item` are looked up */
	const struct ast_expr *expr;    /* the innermost expression containing it */
	int part;                       /* expr is a name: the part under the cursor */
	const struct ast_entry *entry;
};

static bool in_span(struct span sp, uint32_t off)
{
	return sp.lo <= off && off <= sp.hi && sp.hi > sp.lo;
}

static const struct ast_expr *expr_at(const struct ast_expr *e, uint32_t off, int *part)
{
	if (!e || !in_span(e->span, off))
		return NULL;
	const struct ast_expr *in = NULL;
	switch (e->kind) {
	case EX_LIST:
		for (const struct ast_expr *x = e->u.list.head; x && !in; x = x->next)
			in = expr_at(x, off, part);
		break;
	case EX_MAP:
		for (const struct ast_entry *x = e->u.map.head; x && !in; x = x->next)
			in = expr_at(x->value, off, part);
		break;
	case EX_BINARY:
		in = expr_at(e->u.bin.lhs, off, part);
		if (!in)
			in = expr_at(e->u.bin.rhs, off, part);
		break;
	case EX_CALL:
		for (const struct ast_expr *x = e->u.call.args; x && !in; x = x->next)
			in = expr_at(x, off, part);
		break;
	case EX_NAME:
		*part = 0;
		for (int i = 0; i < e->u.name->n; i++)
			if (e->u.name->spans[i].lo <= off)
				*part = i;
		break;
	default:
		break;
	}
	return in ? in : e;
}

static bool find_at(const struct ast_item *items, const char *kind, const struct scope *sc,
		    uint32_t off, struct at *out)
{
	for (const struct ast_item *it = items; it; it = it->next) {
		if (!in_span(it->span, off))
			continue;
		out->item = it;
		out->kind = kind;
		out->scope = sc;
		if (it->kind == IT_BLOCK && !in_span(it->kind_span, off) &&
		    !(it->name && in_span(it->name_span, off))) {
			if (find_at(it->children, it->block_kind, it->scope ? it->scope : sc, off, out))
				return true;
			out->item = it;
			out->kind = kind;
			out->scope = sc;
		}
		if (it->value)
			out->expr = expr_at(it->value, off, &out->part);
		return true;
	}
	return false;
}

/* The symbol expression `e`'s first `n` parts name, from `sc`. */
static struct symbol *lookup(const struct scope *sc, const struct ast_expr *e, int n)
{
	if (!sc || !e || e->kind != EX_NAME)
		return NULL;
	struct ast_name name = *e->u.name;
	name.n = n;
	return resolve_find(sc, &name);
}

/* The symbol under the cursor: a reference, or a declaration's name. */
static struct symbol *symbol_at(const struct doc *d, uint32_t off, struct at *at)
{
	*at = (struct at){ 0 };
	if (!d->c.ast || !d->c.global || !find_at(d->c.ast->items, NULL, d->c.global, off, at))
		return NULL;
	if (at->expr && at->expr->kind == EX_NAME)
		return lookup(at->scope, at->expr, at->part + 1);
	const struct ast_item *it = at->item;
	if (it->name && in_span(it->name_span, off) && it->kind != IT_IMPORT) {
		struct symbol *sym = scope_find(at->scope, it->name);
		for (; sym; sym = sym->other_kind)
			if (sym->item == it)
				return sym;
	}
	return NULL;
}

/* ---- requests on a document --------------------------------------------------- */

struct req {
	struct doc *d;
	struct lines l;
	uint32_t bom;
	uint32_t off;      /* the cursor, in the compiler's offsets */
};

/* The document and cursor of a textDocument request; false: answered already. */
static bool req_open(struct server *s, json_t *id, json_t *params, bool with_pos, struct req *r)
{
	const char *uri = param_uri(params);
	json_int_t line = 0, ch = 0;
	if (!uri || (with_pos && !get_pos(json_object_get(params, "position"), &line, &ch))) {
		reply_error(s, id, RPC_INVALID_PARAMS, "textDocument.uri and position expected");
		return false;
	}
	r->d = doc_find(s, uri);
	if (!r->d) {
		reply_error(s, id, RPC_INVALID_PARAMS, "document not open");
		return false;
	}
	doc_check(s, r->d);
	if (!lines_init(&r->l, r->d->text, r->d->len, s->utf8)) {
		reply_error(s, id, RPC_REQUEST_FAILED, "out of memory");
		return false;
	}
	r->bom = (uint32_t)lex_bom_length(r->d->text, r->d->len);
	uint32_t off = pos_to_off(&r->l, line, ch);
	r->off = off >= r->bom ? off - r->bom : 0;
	return true;
}

static json_t *location(struct server *s, const struct req *r, struct span sp)
{
	const struct doc *d = r->d;
	json_t *loc = json_object();
	struct lines own = r->l, other;
	struct lines *l = &own;
	uint32_t bom = r->bom;
	if (sp.file == d->c.file) {
		json_object_set_new(loc, "uri", json_string(d->uri));
	} else {
		const struct src_file *f = src_get(&d->c.src, sp.file);
		const char *name = strncmp(f->path, "<std>/", 6) == 0 ? f->path + 6 : f->path;
		char *u = malloc(sizeof stdlib_scheme + strlen(name));
		if (!u || !lines_init(&other, f->text, f->len, s->utf8)) {
			free(u);
			json_decref(loc);
			return NULL;
		}
		sprintf(u, "%s%s", stdlib_scheme, name);
		json_object_set_new(loc, "uri", json_string(u));
		free(u);
		l = &other;
		bom = 0;
	}
	json_object_set_new(loc, "range", json_range(l, sp.lo + bom, sp.hi + bom));
	if (l == &other)
		lines_free(&other);
	return loc;
}

static const char *vtype_doc(enum vtype t)
{
	return schema_type_name(t);
}

static void md_attr(struct strbuf *b, struct arena *a, const char *kind, const struct attr_schema *as)
{
	strbuf_printf(a, b, "**%s**.`%s`: %s%s\n\n%s", kind, as->name, vtype_doc(as->type),
		      as->required ? " (required)" : "", as->doc ? as->doc : "");
	if (as->choices) {
		strbuf_printf(a, b, "\n\nallowed: ");
		for (int i = 0; as->choices[i]; i++)
			strbuf_printf(a, b, "%s`%s`", i ? ", " : "", as->choices[i]);
	}
	if (as->ref_kind)
		strbuf_printf(a, b, "\n\nrefers to: `%s`", as->ref_kind);
}

static const struct attr_schema *attr_of(const struct server *s, const char *kind, const char *name)
{
	const struct block_schema *bs = kind ? schema_find(s->schemas, kind) : NULL;
	int i = bs ? schema_attr_index(bs, name) : -1;
	return i >= 0 ? &bs->attrs[i] : NULL;
}

static void md_symbol(struct strbuf *b, struct arena *a, const struct doc *d, const struct symbol *sym)
{
	const struct src_file *f = src_get(&d->c.src, sym->span.file);
	struct src_pos p = src_locate(f, sym->span.lo);
	switch (sym->kind) {
	case SYM_BLOCK:
		strbuf_printf(a, b, "%s `%s`", sym->item->block_kind, sym->name);
		break;
	case SYM_DEF:
		strbuf_printf(a, b, "definition `%s`", sym->name);
		break;
	case SYM_PARAM:
		strbuf_printf(a, b, "parameter `%s`: %s", sym->name,
			      sym->item && sym->item->type_name ? sym->item->type_name : "?");
		break;
	case SYM_MODULE:
		strbuf_printf(a, b, "module `%s`", sym->name);
		break;
	case SYM_NAMESPACE:
		strbuf_printf(a, b, "namespace `%s`", sym->name);
		return;
	}
	strbuf_printf(a, b, ", declared at %s:%u:%u", f->path, p.line, p.col);
	if (sym->set_state == DEF_DONE && sym->set) {
		size_t n = 0;
		for (size_t i = 0; i < ep_count; i++)
			n += sym->set[i];
		strbuf_printf(a, b, "\n\nendpoint set of %zu service%s: ", n, n == 1 ? "" : "s");
		size_t k = 0;
		for (size_t i = 0; i < ep_count; i++)
			if (sym->set[i])
				strbuf_printf(a, b, "%s`%s`", k++ ? ", " : "", ep_services[i].name);
	}
}

static void hover(struct server *s, json_t *id, json_t *params)
{
	struct req r;
	if (!req_open(s, id, params, true, &r))
		return;
	struct doc *d = r.d;
	struct arena *a = d->c.arena;
	struct strbuf b = { 0 };
	struct span at_span = { 0, 0, 0 };
	struct at at = { 0 };
	if (d->c.ast && find_at(d->c.ast->items, NULL, d->c.global, r.off, &at)) {
		const struct ast_item *it = at.item;
		const struct attr_schema *as = it->kind == IT_ATTR ? attr_of(s, at.kind, it->name) : NULL;
		if (it->kind == IT_BLOCK && in_span(it->kind_span, r.off)) {
			const struct block_schema *bs = schema_find(s->schemas, it->block_kind);
			if (bs) {
				strbuf_printf(a, &b, "**%s** block: %s\n\nattributes: ", bs->kind, bs->doc ? bs->doc : "");
				for (size_t i = 0; i < bs->nattrs; i++)
					strbuf_printf(a, &b, "%s`%s`", i ? ", " : "", bs->attrs[i].name);
			}
			at_span = it->kind_span;
		} else if (it->kind == IT_BLOCK && it->name && in_span(it->name_span, r.off)) {
			const struct block_schema *bs = schema_find(s->schemas, it->block_kind);
			strbuf_printf(a, &b, "%s `%s`", it->block_kind, it->name);
			if (bs && bs->doc)
				strbuf_printf(a, &b, ": %s", bs->doc);
			at_span = it->name_span;
		} else if (it->kind == IT_ATTR && in_span(it->name_span, r.off) && as) {
			md_attr(&b, a, at.kind, as);
			at_span = it->name_span;
		} else if (at.expr) {
			const struct ast_expr *e = at.expr;
			at_span = e->span;
			struct symbol *sym = e->kind == EX_NAME ? lookup(at.scope, e, at.part + 1) : NULL;
			const struct ep_service *svc = e->kind == EX_NAME && e->u.name->n == 1
				? ep_find(e->u.name->parts[0]) : e->kind == EX_STRING ? ep_find(e->u.str.s) : NULL;
			if (sym) {
				md_symbol(&b, a, d, sym);
				at_span = e->u.name->spans[at.part];
			} else if (as && as->type == VT_ENDPOINTS && svc) {
				strbuf_printf(a, &b, "endpoint service `%s`: `%s` (%s endpoint)\n\n%s", svc->name,
					      svc->service_name, svc->type == EP_GATEWAY ? "gateway" : "interface",
					      svc->what ? svc->what : "");
			} else if (e->kind == EX_INSTANCE) {
				const struct instance_type *t = instance_find(e->u.text);
				if (t)
					strbuf_printf(a, &b, "instance type `%s`: %u vCPU, %u MiB memory%s%s", t->name,
						      t->vcpu, t->memory_mib,
						      t->valid & INST_NOTEBOOK ? "; notebook instances" : "",
						      t->valid & INST_STUDIO ? "; Studio apps" : "");
			} else if (as) {
				md_attr(&b, a, at.kind, as);
			}
		}
	}
	if (!b.s) {
		lines_free(&r.l);
		reply(s, id, json_null());
		return;
	}
	json_t *res = json_object(), *c = json_object();
	json_object_set_new(c, "kind", json_string("markdown"));
	json_object_set_new(c, "value", json_string(b.s));
	json_object_set_new(res, "contents", c);
	json_object_set_new(res, "range", json_range(&r.l, at_span.lo + r.bom, at_span.hi + r.bom));
	lines_free(&r.l);
	reply(s, id, res);
}

static void definition(struct server *s, json_t *id, json_t *params)
{
	struct req r;
	if (!req_open(s, id, params, true, &r))
		return;
	struct at at;
	struct symbol *sym = symbol_at(r.d, r.off, &at);
	json_t *loc = sym && sym->kind != SYM_NAMESPACE ? location(s, &r, sym->span) : NULL;
	lines_free(&r.l);
	reply(s, id, loc);
}

struct refs {
	struct server *s;
	const struct req *r;
	const struct symbol *target;
	json_t *out;
};

static void refs_expr(struct refs *x, const struct scope *sc, const struct ast_expr *e)
{
	for (; e; e = NULL) {
		switch (e->kind) {
		case EX_NAME:
			for (int k = 1; k <= e->u.name->n; k++)
				if (lookup(sc, e, k) == x->target) {
					json_t *loc = location(x->s, x->r, e->u.name->spans[k - 1]);
					if (loc)
						json_array_append_new(x->out, loc);
				}
			break;
		case EX_LIST:
			for (const struct ast_expr *i = e->u.list.head; i; i = i->next)
				refs_expr(x, sc, i);
			break;
		case EX_MAP:
			for (const struct ast_entry *i = e->u.map.head; i; i = i->next)
				refs_expr(x, sc, i->value);
			break;
		case EX_BINARY:
			refs_expr(x, sc, e->u.bin.lhs);
			refs_expr(x, sc, e->u.bin.rhs);
			break;
		case EX_CALL:
			for (const struct ast_expr *i = e->u.call.args; i; i = i->next)
				refs_expr(x, sc, i);
			break;
		default:
			break;
		}
	}
}

static void refs_items(struct refs *x, const struct scope *sc, const struct ast_item *items)
{
	for (const struct ast_item *it = items; it; it = it->next) {
		if (it->kind == IT_BLOCK)
			refs_items(x, it->scope ? it->scope : sc, it->children);
		else if (it->value)
			refs_expr(x, sc, it->value);
	}
}

static void references(struct server *s, json_t *id, json_t *params)
{
	struct req r;
	if (!req_open(s, id, params, true, &r))
		return;
	struct at at;
	struct symbol *sym = symbol_at(r.d, r.off, &at);
	json_t *out = json_array();
	if (sym) {
		json_t *ctx = param_obj(params, "context");
		if (json_is_true(json_object_get(ctx, "includeDeclaration")) && sym->span.file == r.d->c.file) {
			json_t *loc = location(s, &r, sym->kind == SYM_BLOCK || sym->kind == SYM_DEF ||
							     sym->kind == SYM_PARAM
						       ? sym->item->name_span : sym->span);
			if (loc)
				json_array_append_new(out, loc);
		}
		struct refs x = { s, &r, sym, out };
		refs_items(&x, r.d->c.global, r.d->c.ast->items);
	}
	lines_free(&r.l);
	reply(s, id, out);
}

static void formatting(struct server *s, json_t *id, json_t *params)
{
	struct req r;
	if (!req_open(s, id, params, false, &r))
		return;
	struct arena *a = arena_new();
	size_t n;
	const char *out = fmt_source(a, r.d->text, r.d->len, &n);
	json_t *res;
	if (!out) {
		res = json_null(); /* it does not parse: the diagnostics say why */
	} else {
		res = json_array();
		if (n != r.d->len || memcmp(out, r.d->text, n) != 0) {
			json_t *e = json_object();
			json_object_set_new(e, "range", json_range(&r.l, 0, (uint32_t)r.d->len));
			json_object_set_new(e, "newText", json_stringn(out, n));
			json_array_append_new(res, e);
		}
	}
	arena_free(a);
	lines_free(&r.l);
	reply(s, id, res);
}

static void code_action(struct server *s, json_t *id, json_t *params)
{
	struct req r;
	if (!req_open(s, id, params, false, &r))
		return;
	json_t *range = param_obj(params, "range");
	json_int_t l1, c1, l2, c2;
	if (!range || !get_pos(json_object_get(range, "start"), &l1, &c1) ||
	    !get_pos(json_object_get(range, "end"), &l2, &c2)) {
		lines_free(&r.l);
		reply_error(s, id, RPC_INVALID_PARAMS, "range expected");
		return;
	}
	uint32_t lo = pos_to_off(&r.l, l1, c1), hi = pos_to_off(&r.l, l2, c2);
	json_t *out = json_array();
	size_t n, dropped;
	const struct diag **all = diag_sorted(&r.d->c.diags, LSP_DIAG_CAP, &n, &dropped);
	for (size_t i = 0; i < n; i++) {
		const struct diag *g = all[i];
		uint32_t a, b;
		if (!g->nfixes || !local_span(r.d, r.bom, g->span, &a, &b) || b < lo || a > hi)
			continue;
		json_t *edits = json_array();
		for (int k = 0; k < g->nfixes; k++) {
			uint32_t fa, fb;
			if (!local_span(r.d, r.bom, g->fixes[k].span, &fa, &fb))
				continue;
			json_t *e = json_object();
			json_object_set_new(e, "range", json_range(&r.l, fa, fb));
			json_object_set_new(e, "newText", json_string(g->fixes[k].text));
			json_array_append_new(edits, e);
		}
		json_t *changes = json_object(), *edit = json_object(), *act = json_object();
		json_object_set_new(changes, r.d->uri, edits);
		json_object_set_new(edit, "changes", changes);
		json_object_set_new(act, "title", json_string(arena_printf(
			r.d->c.arena, "%s: %s", diag_code_name(g->code), g->help ? g->help : "apply the fix")));
		json_object_set_new(act, "kind", json_string("quickfix"));
		json_t *ds = json_array();
		json_array_append_new(ds, diag_json(s, r.d, &r.l, r.bom, g));
		json_object_set_new(act, "diagnostics", ds);
		json_object_set_new(act, "isPreferred", json_true());
		json_object_set_new(act, "edit", edit);
		json_array_append_new(out, act);
	}
	lines_free(&r.l);
	reply(s, id, out);
}

/* ---- completion ---------------------------------------------------------------- */

/* A named block found by the scanner, with its path below the environment. */
struct decl {
	const char *kind;
	const char *path;
};

/* What the scanner knows at the cursor. */
struct ctx {
	const char *kind;       /* enclosing block kind; NULL at top level */
	const char *attr;       /* the attribute whose value is being written; NULL: none */
	uint32_t word_lo;       /* the (dotted) word before the cursor: [word_lo, off) */
	bool in_text;           /* the cursor is inside a comment or a string: nothing to offer */
	struct ptrvec decls;    /* struct decl *: every named block of the text */
};

enum { SCAN_DEPTH = 64 };

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
	       c == '-';
}

/*
 * A forgiving scan of the whole text (half-typed is the normal case):
 * strings and comments skipped, `kind name {` opens a block, `{` after `=`
 * or `:` a map, `}` closes; `name =` at a block's level starts a value,
 * ended by a newline or `;` outside brackets when no operator is pending.
 */
static void scan(struct arena *a, const char *t, uint32_t len, uint32_t off, struct ctx *c)
{
	struct frame {
		const char *kind;   /* NULL: a map */
		const char *name;
	} st[SCAN_DEPTH];
	int depth = 0, skipped = 0; /* frames beyond SCAN_DEPTH are only counted */
	int brackets = 0;
	const char *w1 = NULL, *w2 = NULL; /* the last two words of the statement */
	int nwords = 0;
	const char *attr = NULL;
	bool op_pending = false, done = false;
	c->kind = NULL;
	c->attr = NULL;
	for (uint32_t i = 0; i < len;) {
		if (i >= off && !done) {
			done = true;
			c->kind = depth > 0 ? st[depth - 1].kind : NULL;
			c->attr = attr;
			if (depth > 0 && !st[depth - 1].kind)
				c->attr = NULL;
		}
		char ch = t[i];
		if (ch == '#' || (ch == '/' && i + 1 < len && t[i + 1] == '/')) {
			uint32_t s0 = i;
			while (i < len && t[i] != '\n')
				i++;
			c->in_text |= s0 < off && off <= i;
			continue;
		}
		if (ch == '"') {
			uint32_t s0 = i;
			i++;
			while (i < len && t[i] != '"' && t[i] != '\n')
				i += t[i] == '\\' && i + 1 < len ? 2 : 1;
			c->in_text |= s0 < off && off <= i;
			i++;
			nwords = 0;
			op_pending = false;
			continue;
		}
		if (word_char(ch) || ch == '.') {
			uint32_t s0 = i;
			while (i < len && (word_char(t[i]) || t[i] == '.'))
				i++;
			if (i >= off && s0 < off)
				continue; /* the word being typed: not part of the context */
			w1 = w2;
			w2 = arena_strndup(a, t + s0, i - s0);
			nwords++;
			op_pending = false;
			continue;
		}
		i++;
		switch (ch) {
		case '\n':
		case ';':
			if (!brackets && !op_pending) {
				attr = NULL;
				nwords = 0;
			}
			break;
		case '=':
			if (!brackets && nwords >= 1)
				attr = w2;
			op_pending = true;
			break;
		case '+':
		case '-':
		case ',':
		case ':':
			op_pending = true;
			break;
		case '[':
		case '(':
			brackets++;
			break;
		case ']':
		case ')':
			if (brackets)
				brackets--;
			break;
		case '{': {
			struct frame f = { NULL, NULL };
			if (!attr && !brackets && nwords >= 1) {
				f.kind = nwords >= 2 ? w1 : w2;
				f.name = nwords >= 2 ? w2 : NULL;
				if (f.name) {
					struct strbuf p = { 0 };
					for (int k = 0; k < depth; k++)
						if (st[k].kind && st[k].name && strcmp(st[k].kind, "environment") != 0)
							strbuf_printf(a, &p, "%s.", st[k].name);
					strbuf_printf(a, &p, "%s", f.name);
					struct decl *dcl = arena_alloc(a, sizeof *dcl);
					dcl->kind = f.kind;
					dcl->path = p.s;
					ptrvec_push(a, &c->decls, dcl);
				}
			}
			if (depth < SCAN_DEPTH)
				st[depth++] = f;
			else
				skipped++;
			if (f.kind) {
				attr = NULL;
				brackets = 0;
			}
			nwords = 0;
			op_pending = false;
			break;
		}
		case '}':
			if (skipped)
				skipped--;
			else if (depth)
				depth--;
			if (!(depth && !st[depth - 1].kind)) {
				attr = NULL;
				brackets = 0;
			}
			nwords = 0;
			op_pending = false;
			break;
		default:
			break;
		}
	}
	if (!done) {
		c->kind = depth > 0 ? st[depth - 1].kind : NULL;
		c->attr = attr;
		if (depth > 0 && !st[depth - 1].kind)
			c->attr = NULL;
	}
	c->word_lo = off;
	while (c->word_lo > 0 && (word_char(t[c->word_lo - 1]) || t[c->word_lo - 1] == '.'))
		c->word_lo--;
}

struct items {
	json_t *list;
	const char *prefix;
	size_t nprefix;
	json_t *range;       /* the word being typed, replaced by an item */
};

enum { CK_MODULE = 9, CK_PROPERTY = 10, CK_VALUE = 12, CK_KEYWORD = 14, CK_REFERENCE = 18,
       CK_ENUM_MEMBER = 20 };

static void item(struct items *it, const char *label, int kind, const char *detail)
{
	if (json_array_size(it->list) >= LSP_COMPLETION_MAX || strncmp(label, it->prefix, it->nprefix) != 0)
		return;
	json_t *o = json_object();
	json_object_set_new(o, "label", json_string(label));
	json_object_set_new(o, "kind", json_integer(kind));
	if (detail)
		json_object_set_new(o, "detail", json_string(detail));
	json_t *edit = json_object();
	json_object_set(edit, "range", it->range);
	json_object_set_new(edit, "newText", json_string(label));
	json_object_set_new(o, "textEdit", edit);
	json_array_append_new(it->list, o);
}

static void complete_value(struct server *s, struct items *it, const struct ctx *c,
			   const struct attr_schema *as, struct arena *a)
{
	switch (as->type) {
	case VT_WORD:
	case VT_WORDS:
		for (int i = 0; as->choices && as->choices[i]; i++)
			item(it, as->choices[i], CK_ENUM_MEMBER, as->doc);
		break;
	case VT_BOOL:
		item(it, "true", CK_VALUE, NULL);
		item(it, "false", CK_VALUE, NULL);
		break;
	case VT_ZONE:
		for (const char *z = "abcdef"; *z; z++)
			item(it, arena_strndup(a, z, 1), CK_VALUE, "availability zone");
		break;
	case VT_REGION: {
		size_t n = region_count();
		const char **names = arena_calloc(a, n ? n : 1, sizeof *names);
		region_fill_names(names);
		for (size_t i = 0; i < n; i++)
			item(it, arena_printf(a, "\"%s\"", names[i]), CK_VALUE, "AWS Region");
		break;
	}
	case VT_ENDPOINTS:
		for (size_t i = 0; i < ep_count; i++)
			item(it, ep_services[i].name, CK_VALUE, ep_services[i].what);
		for (unsigned m = 0; m < stdlib_count; m++) {
			/* The sets of std.endpoints: every top-level `name =` of the module. */
			if (strcmp(stdlib_files[m].name, "endpoints.sgl") != 0)
				continue;
			const char *t = stdlib_files[m].text;
			for (const char *p = t; *p;) {
				const char *e = p;
				while (word_char(*e))
					e++;
				const char *q = e;
				while (*q == ' ' || *q == '\t')
					q++;
				if (e > p && *q == '=' && (p == t || p[-1] == '\n'))
					item(it, arena_printf(a, "std.endpoints.%.*s", (int)(e - p), p), CK_MODULE,
					     "endpoint set");
				p = strchr(p, '\n');
				p = p ? p + 1 : t + strlen(t);
			}
		}
		break;
	case VT_INSTANCE: {
		unsigned where = c->kind && strcmp(c->kind, "notebook") == 0 ? INST_NOTEBOOK : INST_STUDIO;
		for (size_t i = 0; i < instance_type_count; i++)
			if (instance_types[i].valid & where)
				item(it, instance_types[i].name, CK_VALUE, "instance type");
		break;
	}
	case VT_REF:
	case VT_REFS:
		for (size_t i = 0; i < c->decls.n; i++) {
			const struct decl *dcl = c->decls.items[i];
			if (as->ref_kind && schema_kind_in(as->ref_kind, dcl->kind))
				item(it, dcl->path, CK_REFERENCE, dcl->kind);
		}
		break;
	default:
		break;
	}
	(void)s;
}

static void completion(struct server *s, json_t *id, json_t *params)
{
	struct req r;
	if (!req_open(s, id, params, true, &r))
		return;
	struct arena *a = arena_new();
	struct ctx c = { 0 };
	uint32_t off = r.off + r.bom;
	scan(a, r.d->text, (uint32_t)r.d->len, off, &c);
	struct items it = { json_array(), arena_strndup(a, r.d->text + c.word_lo, off - c.word_lo),
			    off - c.word_lo, json_range(&r.l, c.word_lo, off) };
	const struct attr_schema *as = c.attr ? attr_of(s, c.kind, c.attr) : NULL;
	if (c.in_text) {
		/* nothing inside a comment or a string */
	} else if (as) {
		complete_value(s, &it, &c, as, a);
	} else if (!c.attr) {
		for (size_t i = 0; i < s->schemas->n; i++) {
			const struct block_schema *bs = s->schemas->all[i];
			if (c.kind ? bs->parent && schema_kind_in(bs->parent, c.kind) : !bs->parent)
				item(&it, bs->kind, CK_KEYWORD, bs->doc);
		}
		const struct block_schema *bs = c.kind ? schema_find(s->schemas, c.kind) : NULL;
		for (size_t i = 0; bs && i < bs->nattrs; i++)
			item(&it, bs->attrs[i].name, CK_PROPERTY, bs->attrs[i].doc);
		if (!c.kind) {
			item(&it, "import", CK_KEYWORD, "import std.MODULE");
			item(&it, "param", CK_KEYWORD, "param NAME: TYPE = DEFAULT");
		}
	}
	json_decref(it.range);
	json_t *res = json_object();
	json_object_set_new(res, "isIncomplete", json_false());
	json_object_set_new(res, "items", it.list);
	arena_free(a);
	lines_free(&r.l);
	reply(s, id, res);
}

/* `sgc/stdlibContent` and `workspace/textDocumentContent`: a virtual document's text. */
static void stdlib_content(struct server *s, json_t *id, json_t *params)
{
	json_t *u = json_object_get(params, "uri");
	const char *uri = json_is_string(u) ? json_string_value(u) : NULL;
	const struct stdlib_file *f = uri && is_stdlib_uri(uri) ? stdlib_find(uri + sizeof stdlib_scheme - 1)
								: NULL;
	if (!f) {
		reply_error(s, id, RPC_INVALID_PARAMS, "no such sgc-stdlib: document");
		return;
	}
	json_t *res = json_object();
	json_object_set_new(res, "text", json_stringn(f->text, f->len));
	reply(s, id, res);
}

/* ---- the session --------------------------------------------------------------- */

static json_t *capabilities(struct server *s)
{
	json_t *c = json_object();
	json_object_set_new(c, "positionEncoding", json_string(s->utf8 ? "utf-8" : "utf-16"));
	json_t *sync = json_object();
	json_object_set_new(sync, "openClose", json_true());
	json_object_set_new(sync, "change", json_integer(2)); /* incremental */
	json_object_set_new(c, "textDocumentSync", sync);
	json_object_set_new(c, "hoverProvider", json_true());
	json_object_set_new(c, "definitionProvider", json_true());
	json_object_set_new(c, "referencesProvider", json_true());
	json_object_set_new(c, "documentFormattingProvider", json_true());
	json_t *comp = json_object(), *trig = json_array();
	json_array_append_new(trig, json_string("."));
	json_object_set_new(comp, "triggerCharacters", trig);
	json_object_set_new(c, "completionProvider", comp);
	json_t *ca = json_object(), *kinds = json_array();
	json_array_append_new(kinds, json_string("quickfix"));
	json_object_set_new(ca, "codeActionKinds", kinds);
	json_object_set_new(c, "codeActionProvider", ca);
	json_t *ws = json_object(), *tdc = json_object(), *schemes = json_array();
	json_array_append_new(schemes, json_string("sgc-stdlib"));
	json_object_set_new(tdc, "schemes", schemes);
	json_object_set_new(ws, "textDocumentContent", tdc);
	json_object_set_new(c, "workspace", ws);
	return c;
}

static void initialize(struct server *s, json_t *id, json_t *params)
{
	json_t *general = param_obj(param_obj(params, "capabilities"), "general");
	json_t *encs = general ? json_object_get(general, "positionEncodings") : NULL;
	size_t i;
	json_t *e;
	s->utf8 = false;
	if (json_is_array(encs))
		json_array_foreach(encs, i, e)
			if (json_is_string(e) && strcmp(json_string_value(e), "utf-8") == 0)
				s->utf8 = true;
	s->initialized = true;
	json_t *res = json_object(), *info = json_object();
	json_object_set_new(res, "capabilities", capabilities(s));
	json_object_set_new(info, "name", json_string("sgc"));
	json_object_set_new(info, "version", json_string(SGC_VERSION));
	json_object_set_new(res, "serverInfo", info);
	reply(s, id, res);
}

/* Handle one message; true when it was `exit`. */
static bool handle(struct server *s, json_t *msg)
{
	if (!json_is_object(msg)) {
		reply_error(s, NULL, RPC_INVALID_REQUEST, "a message is a JSON object");
		return false;
	}
	json_t *id = json_object_get(msg, "id");
	json_t *m = json_object_get(msg, "method");
	json_t *params = json_object_get(msg, "params");
	json_t *ver = json_object_get(msg, "jsonrpc");
	if (id && !json_is_integer(id) && !json_is_string(id))
		return reply_error(s, NULL, RPC_INVALID_REQUEST, "id must be an integer or a string"), false;
	if (!json_is_string(ver) || strcmp(json_string_value(ver), "2.0") != 0)
		return reply_error(s, id, RPC_INVALID_REQUEST, "jsonrpc must be \"2.0\""), false;
	if (!m) {
		/* A response to a request of ours: the server sends none. */
		if (!id || !(json_object_get(msg, "result") || json_object_get(msg, "error")))
			reply_error(s, id, RPC_INVALID_REQUEST, "method expected");
		return false;
	}
	if (!json_is_string(m))
		return reply_error(s, id, RPC_INVALID_REQUEST, "method must be a string"), false;
	if (params && !json_is_object(params) && !json_is_array(params))
		return reply_error(s, id, RPC_INVALID_REQUEST, "params must be an object or an array"), false;
	const char *method = json_string_value(m);
	if (strcmp(method, "exit") == 0)
		return true;
	if (!id) {
		/* Notifications: none is answered, unknown ones are dropped. */
		if (!s->initialized || s->shutdown)
			return false;
		if (strcmp(method, "textDocument/didOpen") == 0)
			did_open(s, params);
		else if (strcmp(method, "textDocument/didChange") == 0)
			did_change(s, params);
		else if (strcmp(method, "textDocument/didClose") == 0)
			did_close(s, params);
		return false;
	}
	if (strcmp(method, "initialize") == 0) {
		if (s->initialized)
			reply_error(s, id, RPC_INVALID_REQUEST, "already initialized");
		else
			initialize(s, id, params);
		return false;
	}
	if (!s->initialized)
		return reply_error(s, id, RPC_SERVER_NOT_INITIALIZED, "initialize first"), false;
	if (s->shutdown)
		return reply_error(s, id, RPC_INVALID_REQUEST, "the server is shut down"), false;
	if (params && !json_is_object(params) && strcmp(method, "shutdown") != 0)
		return reply_error(s, id, RPC_INVALID_PARAMS, "params must be an object"), false;
	static const struct {
		const char *name;
		void (*fn)(struct server *, json_t *, json_t *);
	} table[] = {
		{ "textDocument/hover", hover },
		{ "textDocument/definition", definition },
		{ "textDocument/references", references },
		{ "textDocument/formatting", formatting },
		{ "textDocument/completion", completion },
		{ "textDocument/codeAction", code_action },
		{ "workspace/textDocumentContent", stdlib_content },
		{ "sgc/stdlibContent", stdlib_content },
	};
	if (strcmp(method, "shutdown") == 0) {
		s->shutdown = true;
		reply(s, id, json_null());
		return false;
	}
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(method, table[i].name) == 0) {
			table[i].fn(s, id, params ? params : json_object_get(msg, "params"));
			return false;
		}
	reply_error(s, id, RPC_METHOD_NOT_FOUND, "method not found");
	return false;
}

int lsp_run(int in, int out)
{
	signal(SIGPIPE, SIG_IGN);
	struct server s = { .in = in, .out = out };
	s.arena = arena_new();
	s.schemas = check_schemas(s.arena);
	bool exited = false;
	while (!exited && !s.write_failed) {
		/* Debounce: check what changed only when no message is waiting. */
		if (!pending(&s))
			for (size_t i = 0; i < s.ndocs; i++)
				doc_check(&s, s.docs[i]);
		char *body = NULL;
		size_t n = 0;
		enum read_status st = read_message(&s, &body, &n);
		if (st == READ_EOF)
			break;
		if (st == READ_BAD)
			continue;
		json_error_t err;
		json_t *msg = json_loadb(body, n, JSON_ALLOW_NUL, &err);
		free(body);
		if (!msg) {
			reply_error(&s, NULL, RPC_PARSE_ERROR, "the message is not JSON");
			continue;
		}
		exited = handle(&s, msg);
		json_decref(msg);
	}
	for (size_t i = 0; i < s.ndocs; i++)
		doc_free(s.docs[i]);
	free(s.docs);
	free(s.buf);
	arena_free(s.arena);
	return exited && s.shutdown ? 0 : 1;
}
