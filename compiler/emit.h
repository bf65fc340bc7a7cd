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

/* Any value tree as JSON, like the template; malloc'd, caller frees. */
char *emit_value_json(const struct cv *v, size_t *len);

/*
 * A jansson tree as JSON, like the template (2-space indent, its own key
 * order, trailing newline); takes `root`'s reference. malloc'd, caller frees.
 */
struct json_t;
char *emit_json_dump(struct json_t *root, size_t *len);

/*
 * The parameter file: `[{"ParameterKey": ..., "ParameterValue": ...}]`,
 * which both `aws cloudformation deploy --parameter-overrides file://` and
 * `create-stack --parameters file://` accept. malloc'd, caller frees.
 */
char *emit_params_json(const struct cfn_template *t, size_t *len);

/*
 * The same template as YAML (emit_yaml.c, libyaml): block style, the same
 * key order, multi-line strings as literal blocks, intrinsic functions in
 * their long form (`Fn::Sub:` keys, never `!Sub` tags) so any YAML tool
 * reads it. Parsed back, it equals the JSON. malloc'd, caller frees.
 */
char *emit_yaml(const struct cfn_template *t, size_t *len);

#endif
