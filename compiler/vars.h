/*
 * vars.h - stage variables: values for `param` declarations from a
 * variables file (`--vars prod.yaml`, YAML or JSON) or the command line
 * (`-D name=value`).
 *
 * Each source is added to the source map, so a variable that matches no
 * parameter, or a value of the wrong type, is reported at its place in
 * the variables file like any other diagnostic.
 */
#ifndef SGC_VARS_H
#define SGC_VARS_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"
#include "src.h"

struct diag_sink;

enum var_kind {
	VAR_STRING,  /* quoted, or any word that is not another kind */
	VAR_INT,     /* digits */
	VAR_BOOL,    /* true or false */
	VAR_OTHER,   /* a number that is not an integer, null, ... */
};

struct var {
	const char *name;
	struct span name_span;
	const char *value;
	struct span value_span;
	enum var_kind kind;
	bool defined;  /* from -D on the command line, not a variables file */
};

/*
 * Read a variables file: a mapping of names to scalar values, JSON when
 * it starts with `{` (read with jansson), YAML otherwise (libyaml).
 * Appends struct var * to `out`; reports E0512 and returns false on
 * malformed input.
 */
bool vars_load(struct arena *a, struct src_map *m, struct diag_sink *d,
	       const char *path, const char *text, size_t len, struct ptrvec *out);

/* `name=value` from the command line. */
bool vars_define(struct arena *a, struct src_map *m, struct diag_sink *d,
		 const char *arg, struct ptrvec *out);

#endif
