/*
 * lsp.c - the language server's session (lsp.h, docs/lsp.md): initialize
 * and its capabilities, dispatch of requests and notifications, and the
 * main loop, which checks changed documents when no message is waiting.
 * The modules are listed in lsp_server.h.
 */
#include "lsp.h"
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "stdmod.h"
#include "lsp_server.h"

/* `sgc/stdlibContent` and `workspace/textDocumentContent`: a virtual document's text. */
static void stdlib_content(struct server *s, json_t *id, json_t *params)
{
	json_t *u = json_object_get(params, "uri");
	const char *uri = json_is_string(u) ? json_string_value(u) : NULL;
	const struct stdlib_file *f = uri && lsp_is_stdlib_uri(uri) ? stdlib_find(uri + sizeof LSP_STDLIB_SCHEME - 1)
								: NULL;
	if (!f) {
		lsp_reply_error(s, id, RPC_INVALID_PARAMS, "no such sgc-stdlib: document");
		return;
	}
	json_t *res = json_object();
	json_object_set_new(res, "text", json_stringn(f->text, f->len));
	lsp_reply(s, id, res);
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
	json_t *general = lsp_param_obj(lsp_param_obj(params, "capabilities"), "general");
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
	lsp_reply(s, id, res);
}

/* Handle one message; true when it was `exit`. */
static bool handle(struct server *s, json_t *msg)
{
	if (!json_is_object(msg)) {
		lsp_reply_error(s, NULL, RPC_INVALID_REQUEST, "a message is a JSON object");
		return false;
	}
	json_t *id = json_object_get(msg, "id");
	json_t *m = json_object_get(msg, "method");
	json_t *params = json_object_get(msg, "params");
	json_t *ver = json_object_get(msg, "jsonrpc");
	if (id && !json_is_integer(id) && !json_is_string(id))
		return lsp_reply_error(s, NULL, RPC_INVALID_REQUEST, "id must be an integer or a string"), false;
	if (!json_is_string(ver) || strcmp(json_string_value(ver), "2.0") != 0)
		return lsp_reply_error(s, id, RPC_INVALID_REQUEST, "jsonrpc must be \"2.0\""), false;
	if (!m) {
		/* A response to a request of ours: the server sends none. */
		if (!id || !(json_object_get(msg, "result") || json_object_get(msg, "error")))
			lsp_reply_error(s, id, RPC_INVALID_REQUEST, "method expected");
		return false;
	}
	if (!json_is_string(m))
		return lsp_reply_error(s, id, RPC_INVALID_REQUEST, "method must be a string"), false;
	if (params && !json_is_object(params) && !json_is_array(params))
		return lsp_reply_error(s, id, RPC_INVALID_REQUEST, "params must be an object or an array"), false;
	const char *method = json_string_value(m);
	if (strcmp(method, "exit") == 0)
		return true;
	if (!id) {
		/* Notifications: none is answered, unknown ones are dropped. */
		if (!s->initialized || s->shutdown)
			return false;
		if (strcmp(method, "textDocument/didOpen") == 0)
			lsp_did_open(s, params);
		else if (strcmp(method, "textDocument/didChange") == 0)
			lsp_did_change(s, params);
		else if (strcmp(method, "textDocument/didClose") == 0)
			lsp_did_close(s, params);
		return false;
	}
	if (strcmp(method, "initialize") == 0) {
		if (s->initialized)
			lsp_reply_error(s, id, RPC_INVALID_REQUEST, "already initialized");
		else
			initialize(s, id, params);
		return false;
	}
	if (!s->initialized)
		return lsp_reply_error(s, id, RPC_SERVER_NOT_INITIALIZED, "initialize first"), false;
	if (s->shutdown)
		return lsp_reply_error(s, id, RPC_INVALID_REQUEST, "the server is shut down"), false;
	if (params && !json_is_object(params) && strcmp(method, "shutdown") != 0)
		return lsp_reply_error(s, id, RPC_INVALID_PARAMS, "params must be an object"), false;
	static const struct {
		const char *name;
		void (*fn)(struct server *, json_t *, json_t *);
	} table[] = {
		{ "textDocument/hover", lsp_hover },
		{ "textDocument/definition", lsp_definition },
		{ "textDocument/references", lsp_references },
		{ "textDocument/formatting", lsp_formatting },
		{ "textDocument/completion", lsp_completion },
		{ "textDocument/codeAction", lsp_code_action },
		{ "workspace/textDocumentContent", stdlib_content },
		{ "sgc/stdlibContent", stdlib_content },
	};
	if (strcmp(method, "shutdown") == 0) {
		s->shutdown = true;
		lsp_reply(s, id, json_null());
		return false;
	}
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strcmp(method, table[i].name) == 0) {
			table[i].fn(s, id, params ? params : json_object_get(msg, "params"));
			return false;
		}
	lsp_reply_error(s, id, RPC_METHOD_NOT_FOUND, "method not found");
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
		if (!lsp_pending(&s))
			for (size_t i = 0; i < s.ndocs; i++)
				lsp_doc_check(&s, s.docs[i]);
		char *body = NULL;
		size_t n = 0;
		enum read_status st = lsp_read_message(&s, &body, &n);
		if (st == READ_EOF)
			break;
		if (st == READ_BAD)
			continue;
		json_error_t err;
		json_t *msg = json_loadb(body, n, JSON_ALLOW_NUL, &err);
		free(body);
		if (!msg) {
			lsp_reply_error(&s, NULL, RPC_PARSE_ERROR, "the message is not JSON");
			continue;
		}
		exited = handle(&s, msg);
		json_decref(msg);
	}
	for (size_t i = 0; i < s.ndocs; i++)
		lsp_doc_free(s.docs[i]);
	free(s.docs);
	free(s.buf);
	arena_free(s.arena);
	return exited && s.shutdown ? 0 : 1;
}
