/*
 * ast.h - the syntax tree the parser builds.
 *
 * The grammar is generic: a file is a list of items, and an item is an
 * import, an attribute (`name = expr`), a parameter declaration or a block
 * (`kind name { items }`). What a block kind means, which attributes it
 * takes and of what type, lives in the checker's schema tables, not here.
 * Every node carries the span of the source it came from.
 */
#ifndef SGC_AST_H
#define SGC_AST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "src.h"

struct arena;
struct scope;

/* A dotted name: `vpc.private_a`, `std.endpoints.notebook`, `param.x`. */
struct ast_name {
	const char **parts;
	struct span *spans; /* one per part */
	int n;
	struct span span;   /* the whole name */
};

enum ast_expr_kind {
	EX_STRING,   /* str: unescaped bytes */
	EX_INT,      /* i */
	EX_BOOL,     /* b */
	EX_SIZE,     /* size: amount and unit as written */
	EX_DURATION, /* seconds */
	EX_CIDR,     /* text: the literal, parsed exactly by the checker */
	EX_INSTANCE, /* text: `ml.t3.medium` */
	EX_NAME,     /* name: a word or a dotted reference */
	EX_LIST,     /* list: elements linked through `next` */
	EX_MAP,      /* map: entries */
	EX_BINARY,   /* bin: `+` (union) or `-` (difference) */
	EX_CALL,     /* call: function name and arguments */
	EX_INVALID,  /* a literal the lexer already reported; no payload */
};

enum size_unit {
	UNIT_KB, UNIT_MB, UNIT_GB, UNIT_TB,     /* powers of 1000 */
	UNIT_KIB, UNIT_MIB, UNIT_GIB, UNIT_TIB, /* powers of 1024 */
};

struct ast_entry {
	const char *key;
	struct span key_span;
	struct ast_expr *value;
	struct ast_entry *next;
};

struct ast_expr {
	enum ast_expr_kind kind;
	struct span span;
	union {
		struct {
			const char *s;
			uint32_t len;
		} str;
		int64_t i;
		bool b;
		struct {
			uint64_t amount;
			enum size_unit unit;
		} size;
		uint64_t seconds;
		const char *text;
		struct ast_name *name;
		struct {
			struct ast_expr *head;
			int n;
		} list;
		struct {
			struct ast_entry *head;
			int n;
		} map;
		struct {
			char op;
			struct ast_expr *lhs, *rhs;
		} bin;
		struct {
			struct ast_name *fn;
			struct ast_expr *args; /* linked through `next` */
			int nargs;
		} call;
	} u;
	int depth; /* nesting depth, bounded so later passes may recurse */
	int parens; /* pairs of parentheses written around it: `((a))` is 2 */
	struct ast_expr *next;
};

enum ast_item_kind {
	IT_IMPORT, /* path */
	IT_ATTR,   /* name, value */
	IT_PARAM,  /* name, type_name, value (default, may be NULL) */
	IT_BLOCK,  /* kind, name (may be NULL), children */
};

struct ast_item {
	enum ast_item_kind kind;
	struct span span;
	const char *block_kind;      /* IT_BLOCK: `subnet` */
	struct span kind_span;
	const char *name;            /* IT_ATTR/IT_PARAM/IT_BLOCK name */
	struct span name_span;
	struct ast_name *path;       /* IT_IMPORT */
	const char *type_name;       /* IT_PARAM */
	struct span type_span;
	struct ast_expr *value;
	struct ast_item *children;   /* IT_BLOCK body, linked through next */
	struct span close_span;      /* IT_BLOCK: the closing brace */
	int depth;                   /* IT_BLOCK: 1 + deepest child block */
	struct scope *scope;         /* IT_BLOCK: set by the resolver */
	struct ast_item *next;
};

/*
 * Trivia, kept only when a file is parsed for the formatter
 * (parse_file_trivia): every token with its line, and every comment,
 * attached to a token. A comment after a token on the same line trails
 * that token; any other comment leads the next token (a closer, or the end
 * of file, when nothing else follows). `;` is a separator: it holds no
 * comment, and a blank line before it counts as one before what follows.
 * Nodes reach their tokens through their spans.
 */
struct ast_comment {
	const char *text;   /* `# ...` or `// ...` as written, without trailing blanks */
	uint32_t len;
	struct span span;   /* as written */
	uint32_t line;      /* 1-based */
	bool blank_before;  /* a blank line separates it from what precedes it */
};

struct ast_token {
	int kind;           /* the parser's token number (parser.h): IDENT, COMMA, END... */
	const char *text;   /* as written (`50GB` too) */
	uint32_t len;
	struct span span;
	uint32_t line;      /* 1-based */
	bool blank_before;  /* a blank line before it (and its leading comments) */
	uint32_t lead;      /* its leading comments: comments[lead .. lead + nlead) */
	uint32_t nlead;
	int32_t trail;      /* index of its trailing comment, or -1 */
};

struct ast_trivia {
	struct ast_token *tokens;     /* in order; `;` and the end of file included */
	uint32_t ntokens;
	struct ast_comment *comments; /* in order */
	uint32_t ncomments;
};

struct ast_file {
	uint32_t file;
	struct ast_item *items;
	struct ast_trivia trivia;     /* empty unless parsed by parse_file_trivia */
};

/* A lexeme copied into the arena (never a pointer into flex's buffer). */
struct token {
	const char *text;
	uint32_t len;
	struct span span;
};

/* Item and expression lists are built by appending; these keep the tail. */
struct ast_item_list {
	struct ast_item *head, *tail;
};
struct ast_expr_list {
	struct ast_expr *head, *tail;
	int n;
};
struct ast_entry_list {
	struct ast_entry *head, *tail;
	int n;
};

/*
 * Constructors, one per grammar action. They own literal conversion (escapes,
 * integer range, units) and report what is malformed to `diags`.
 */
struct diag_sink;
struct ast_builder {
	struct arena *arena;
	struct diag_sink *diags;
	uint32_t file;
};

enum { AST_MAX_DEPTH = 64 };

struct ast_name *ast_name_new(struct ast_builder *b, struct token t);
struct ast_name *ast_name_append(struct ast_builder *b, struct ast_name *n,
				 struct token t);
struct ast_expr *ast_string(struct ast_builder *b, struct token t);
struct ast_expr *ast_int(struct ast_builder *b, struct token t);
struct ast_expr *ast_size(struct ast_builder *b, struct token t);
struct ast_expr *ast_duration(struct ast_builder *b, struct token t);
struct ast_expr *ast_cidr(struct ast_builder *b, struct token t);
struct ast_expr *ast_instance(struct ast_builder *b, struct token t);
struct ast_expr *ast_invalid(struct ast_builder *b, struct span span);
struct ast_expr *ast_bool(struct ast_builder *b, struct span span, bool v);
struct ast_expr *ast_ref(struct ast_builder *b, struct ast_name *n);
struct ast_expr *ast_list(struct ast_builder *b, struct span span,
			  struct ast_expr_list elems);
struct ast_expr *ast_map(struct ast_builder *b, struct span span,
			 struct ast_entry_list entries);
struct ast_expr *ast_binary(struct ast_builder *b, struct span span, char op,
			    struct ast_expr *lhs, struct ast_expr *rhs);
struct ast_expr *ast_call(struct ast_builder *b, struct span span,
			  struct ast_name *fn, struct ast_expr_list args);
/* `( e )`: e itself, span unchanged, counted in e->parens for the formatter. */
struct ast_expr *ast_paren(struct ast_builder *b, struct ast_expr *e);
struct ast_entry *ast_entry(struct ast_builder *b, struct token key,
			    struct ast_expr *value);
struct ast_item *ast_import(struct ast_builder *b, struct span span,
			    struct ast_name *path);
struct ast_item *ast_attr(struct ast_builder *b, struct span span,
			  struct token name, struct ast_expr *value);
struct ast_item *ast_param(struct ast_builder *b, struct span span,
			   struct token name, struct token type,
			   struct ast_expr *dflt);
struct ast_item *ast_block(struct ast_builder *b, struct span span,
			   struct token kind, const struct token *name,
			   struct ast_item_list body, struct span close);

struct ast_item_list ast_items_append(struct ast_item_list l,
				      struct ast_item *it);
struct ast_expr_list ast_exprs_append(struct ast_expr_list l,
				      struct ast_expr *e);
struct ast_entry_list ast_entries_append(struct ast_entry_list l,
					 struct ast_entry *e);

const char *ast_unit_name(enum size_unit u);
uint64_t ast_size_bytes(const struct ast_expr *e); /* saturates */
const char *ast_expr_kind_name(enum ast_expr_kind k);
const char *ast_name_str(struct arena *a, const struct ast_name *n);

/* An indented, deterministic dump for parser tests. */
void ast_dump(FILE *out, const struct ast_file *f);

#endif
