/*
 * schema.h - what a block kind means: where it may appear, whether it is
 * named, and its attributes with their types.
 *
 * The grammar accepts any `kind name { ... }`; a schema is where a kind
 * gets its meaning. Each resource kind declares the schemas of its blocks
 * (kinds/kind.h) and check.c that of `environment`; the checker validates
 * every block against its schema generically (unknown kinds and
 * attributes, missing and repeated ones, value types) before the
 * kind-specific rules run, and docs/language.md documents the same tables.
 */
#ifndef SGC_SCHEMA_H
#define SGC_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

enum vtype {
	VT_STRING,
	VT_INT,
	VT_BOOL,
	VT_SIZE,
	VT_DURATION,
	VT_CIDR,
	VT_INSTANCE,
	VT_WORD,      /* one of `choices`, written bare: `isolation = isolated` */
	VT_ZONE,      /* an availability-zone letter: `zone = a` */
	VT_REGION,    /* an AWS Region, quoted or bare */
	VT_TAGS,      /* `{ Key: "value", ... }` */
	VT_ENDPOINTS, /* an endpoint set: `std.endpoints.notebook + [logs]` */
	VT_REF,       /* a reference to a block of kind `ref_kind` */
	VT_PORT,      /* an integer 0..65535 */
	VT_REFS,      /* one reference or a list of them, to blocks of `ref_kind` */
	VT_SCRIPT,    /* lifecycle steps: a call or a list of calls */
	VT_STRINGS,   /* a list of strings */
	VT_WORDS,     /* one of `choices` or a list of them, bare: `runs = [training, inference]` */
};

struct attr_schema {
	const char *name;
	enum vtype type;
	bool required;
	const char *const *choices; /* VT_WORD, VT_WORDS: NULL-terminated */
	const char *ref_kind;       /* VT_REF, VT_REFS: kinds separated by `|` */
	const char *doc;            /* one line, for docs and messages */
};

struct block_schema {
	const char *kind;
	const char *parent;         /* enclosing kinds separated by `|`; NULL: top level */
	bool named;
	const struct attr_schema *attrs;
	size_t nattrs;
	const char *doc;
};

#define SCHEMA_ATTRS(a) a, sizeof a / sizeof a[0]

/* Every block kind's schema: `environment`'s, then each kind's, in the registry's order. */
struct schema_set {
	const struct block_schema *const *all;
	size_t n;
};

/* The schema of blocks of `kind`, or NULL. */
const struct block_schema *schema_find(const struct schema_set *s, const char *kind);

int schema_attr_index(const struct block_schema *b, const char *name);

/* Is `kind` one of the `|`-separated kinds in `kinds`? */
bool schema_kind_in(const char *kinds, const char *kind);

/* "a CIDR block", "a string", ... for messages. */
const char *schema_type_name(enum vtype t);

enum { SCHEMA_MAX_ATTRS = 32 };

#endif
