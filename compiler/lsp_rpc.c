/*
 * lsp_rpc.c - framing and JSON-RPC input and output of `sgc lsp`.
 *
 * Framing: `Content-Length: N\r\n` (other headers ignored) then N bytes of
 * JSON. A header block over LSP_HEADER_MAX bytes, a missing or malformed
 * Content-Length, a body over LSP_BODY_MAX or that is not JSON is answered
 * with a JSON-RPC error (id null) and the server reads on; nothing from
 * the client ends it but `exit` or the end of its input.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "lsp_server.h"

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
bool lsp_pending(struct server *s)
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

void lsp_reply(struct server *s, json_t *id, json_t *result)
{
	json_t *m = json_object();
	json_object_set(m, "id", id ? id : json_null());
	json_object_set_new(m, "result", result ? result : json_null());
	send_msg(s, m);
}

void lsp_reply_error(struct server *s, json_t *id, int code, const char *message)
{
	json_t *m = json_object();
	json_object_set(m, "id", id ? id : json_null());
	json_t *e = json_object();
	json_object_set_new(e, "code", json_integer(code));
	json_object_set_new(e, "message", json_string(message));
	json_object_set_new(m, "error", e);
	send_msg(s, m);
}

void lsp_notify(struct server *s, const char *method, json_t *params)
{
	json_t *m = json_object();
	json_object_set_new(m, "method", json_string(method));
	json_object_set_new(m, "params", params);
	send_msg(s, m);
}


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
enum read_status lsp_read_message(struct server *s, char **body, size_t *blen)
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
			lsp_reply_error(s, NULL, RPC_PARSE_ERROR, "header block too long or not terminated");
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
		lsp_reply_error(s, NULL, RPC_PARSE_ERROR, "missing or malformed Content-Length header");
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
		lsp_reply_error(s, NULL, RPC_INVALID_REQUEST, "message too large");
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

json_t *lsp_param_obj(json_t *params, const char *key)
{
	json_t *v = json_object_get(params, key);
	return json_is_object(v) ? v : NULL;
}

const char *lsp_param_uri(json_t *params)
{
	json_t *td = lsp_param_obj(params, "textDocument");
	json_t *u = td ? json_object_get(td, "uri") : NULL;
	return json_is_string(u) ? json_string_value(u) : NULL;
}
