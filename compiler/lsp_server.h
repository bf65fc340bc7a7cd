/*
 * lsp_server.h - what the modules of `sgc lsp` share (lsp.h is the entry).
 *
 * lsp_rpc.c      framing and JSON-RPC input and output
 * lsp_text.c     positions in the negotiated encoding; open documents, their
 *                edits (full and incremental) and their diagnostics
 * lsp_query.c    the symbol under the cursor; hover, definition, references,
 *                formatting and code actions
 * lsp_complete.c completion, from a forgiving scan of the text
 * lsp.c          the session: initialize, dispatch, the main loop
 *
 * All state is in `struct server` (one per `lsp_run`); nothing global.
 */
#ifndef SGC_LSP_SERVER_H
#define SGC_LSP_SERVER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "compile.h"
#include "input.h"
#include "resolve.h"
#include "schema.h"

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

/* The URI prefix of the embedded standard library's virtual documents. */
#define LSP_STDLIB_SCHEME "sgc-stdlib:///"

/* ---- lsp_rpc.c ---- */

enum read_status { READ_OK, READ_EOF, READ_BAD };

/* Is a message (or part of one) waiting? The debounce checks documents only when not. */
bool lsp_pending(struct server *s);
/* Answer request `id` (borrowed) with `result` (stolen). */
void lsp_reply(struct server *s, json_t *id, json_t *result);
/* Answer with a JSON-RPC error; `id` NULL answers with id null. */
void lsp_reply_error(struct server *s, json_t *id, int code, const char *message);
void lsp_notify(struct server *s, const char *method, json_t *params);
/* The next message's body (malloc'd, NUL-terminated); READ_BAD was answered already. */
enum read_status lsp_read_message(struct server *s, char **body, size_t *blen);
/* params[key] when it is an object, else NULL: hostile params never crash a handler. */
json_t *lsp_param_obj(json_t *params, const char *key);
const char *lsp_param_uri(json_t *params);

/* ---- lsp_text.c ---- */

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

/* Index a text's line starts; false when out of memory. Free with lsp_lines_free. */
bool lsp_lines_init(struct lines *l, const char *t, size_t len, bool utf8);
void lsp_lines_free(struct lines *l);
/* An LSP position to a byte offset, clamped to the text (docs/lsp.md, Positions). */
uint32_t lsp_pos_to_off(const struct lines *l, json_int_t line, json_int_t ch);
json_t *lsp_json_range(struct lines *l, uint32_t lo, uint32_t hi);
bool lsp_get_pos(json_t *p, json_int_t *line, json_int_t *ch);
struct doc *lsp_doc_find(struct server *s, const char *uri);
void lsp_doc_free(struct doc *d);
bool lsp_is_stdlib_uri(const char *uri);
/* Check a changed document and publish its diagnostics; nothing when it is unchanged. */
void lsp_doc_check(struct server *s, struct doc *d);
/* A span of the document's own file as byte offsets of its text (after the BOM). */
bool lsp_local_span(const struct doc *d, uint32_t bom, struct span sp, uint32_t *lo, uint32_t *hi);
json_t *lsp_diag_json(struct server *s, const struct doc *d, struct lines *l, uint32_t bom,
		      const struct diag *g);
void lsp_did_open(struct server *s, json_t *params);
void lsp_did_change(struct server *s, json_t *params);
void lsp_did_close(struct server *s, json_t *params);

/* ---- lsp_query.c ---- */

/* What lies under an offset in the syntax tree. */
struct at {
	const struct ast_item *item;    /* the innermost item containing it */
	const char *kind;               /* the kind of the block enclosing `item` (NULL: top level) */
	const struct scope *scope;      /* where names in `item` are looked up */
	const struct ast_expr *expr;    /* the innermost expression containing it */
	int part;                       /* expr is a name: the part under the cursor */
	const struct ast_entry *entry;
};

struct req {
	struct doc *d;
	struct lines l;
	uint32_t bom;
	uint32_t off;      /* the cursor, in the compiler's offsets */
};

/* The document (checked) and cursor of a textDocument request; false: answered already. */
bool lsp_req_open(struct server *s, json_t *id, json_t *params, bool with_pos, struct req *r);
/* The schema of attribute `name` of block `kind`, or NULL. */
const struct attr_schema *lsp_attr_of(const struct server *s, const char *kind, const char *name);
void lsp_hover(struct server *s, json_t *id, json_t *params);
void lsp_definition(struct server *s, json_t *id, json_t *params);
void lsp_references(struct server *s, json_t *id, json_t *params);
void lsp_formatting(struct server *s, json_t *id, json_t *params);
void lsp_code_action(struct server *s, json_t *id, json_t *params);

/* ---- lsp_complete.c ---- */

void lsp_completion(struct server *s, json_t *id, json_t *params);

#endif
