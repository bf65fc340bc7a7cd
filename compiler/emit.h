/*
 * emit.h - emitters: a template value tree in, bytes out.
 *
 * Emitters print; they never validate (lowering's input was checked) and
 * never decide an order (the tree's order is the output's order).
 */
#ifndef SGC_EMIT_H
#define SGC_EMIT_H

#include <stddef.h>

#include "cfn.h"

/* The template as JSON, 2-space indent, trailing newline; malloc'd, caller frees. */
char *emit_json(const struct cfn_template *t, size_t *len);

#endif
