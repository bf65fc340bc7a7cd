/*
 * resolve.h - names: scopes, imports and references.
 *
 * resolve_file declares every named block, top-level definition and
 * parameter in a tree of scopes (reporting duplicates), and loads each
 * `import std.X` from the embedded standard library. The checker then
 * binds a reference with resolve_lookup wherever its schema says an
 * attribute holds one; unknown names are reported there, with the closest
 * visible name as a suggestion.
 */
#ifndef SGC_RESOLVE_H
#define SGC_RESOLVE_H

#include <stdbool.h>

#include "arena.h"
#include "ast.h"

struct diag_sink;
struct src_map;

enum sym_kind {
	SYM_BLOCK,     /* item: a named block; members: its named children */
	SYM_DEF,       /* item: a top-level `name = expr` */
	SYM_PARAM,     /* item: a `param` declaration */
	SYM_MODULE,    /* members: the definitions of a stdlib module */
	SYM_NAMESPACE, /* members: modules (`std`) or parameters (`param`) */
};

struct scope;

/*
 * How far the checker has got with a definition. Each definition is
 * evaluated once, however often it is used, so a file's definitions cost
 * time linear in their number; meeting an ACTIVE definition again while
 * evaluating it is a loop (E0214).
 */
enum def_state {
	DEF_UNSEEN,  /* not evaluated yet */
	DEF_ACTIVE,  /* being evaluated: its dependencies are on the way */
	DEF_DONE,    /* evaluated: the result below is final */
};

struct symbol {
	enum sym_kind kind;
	const char *name;
	struct span span;           /* where it is declared */
	const struct ast_item *item;
	struct scope *members;
	const struct scope *home;   /* where it is declared: a definition's
				       value is read from here */
	/* A block of another kind with the same name in the same scope (`codeartifact
	   research` and `studio research`): a bare name is then ambiguous (E0218). */
	struct symbol *other_kind;
	/* A definition followed to its value (`a = b`, `b = 10.0.0.0/16`): */
	enum def_state value_state;
	const struct ast_expr *value; /* DONE: the value; NULL when it has none */
	/* A definition evaluated as an endpoint set: */
	enum def_state set_state;
	const bool *set;            /* DONE: the services in it, by ep_index */
	bool set_ok;                /* DONE: evaluated without an error */
};

struct scope {
	struct scope *parent;
	struct ptrvec syms;         /* struct symbol *, in declaration order */
	struct strmap by_name;      /* the same symbols, for look-up */
};

struct resolver {
	struct arena *arena;
	struct diag_sink *diags;
	struct src_map *src;
	struct scope *global;
};

void resolve_init(struct resolver *r, struct arena *a, struct diag_sink *d,
		  struct src_map *m);
/* Declares everything and sets each block's `scope`. */
void resolve_file(struct resolver *r, struct ast_file *f);

struct symbol *scope_find(const struct scope *s, const char *name);

/* Like resolve_lookup, but silent: NULL when it does not resolve. */
struct symbol *resolve_find(const struct scope *from, const struct ast_name *name);

/*
 * Bind `name` as seen from `from`: the first part is searched outward,
 * the rest through members. Reports E0201/E0213 and returns NULL when it
 * does not resolve.
 */
struct symbol *resolve_lookup(struct resolver *r, const struct scope *from,
			      const struct ast_name *name);

#endif
