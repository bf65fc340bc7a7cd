/*
 * secret.c - the `secret` resource kind: a Secrets Manager secret, whose value never appears in the template.
 *
 * Its schema; the rest of the kind is still in the stages and moves here
 * (kind.h).
 */
#include <stddef.h>

#include "kind.h"

static const struct attr_schema secret_attrs[] = {
	{ "description", VT_STRING, false, NULL, NULL, "secret description" },
	{ "kms_key", VT_REF, false, NULL, "kms_key", "encryption key" },
	{ "generate", VT_BOOL, false, NULL, NULL,
	  "let Secrets Manager generate a random value (default false: set it yourself)" },
};

static const struct block_schema secret_schema = {
	"secret", "environment", true, SCHEMA_ATTRS(secret_attrs),
	"a Secrets Manager secret; its value never appears in the template"
};

static const struct block_schema *const schemas[] = {
	&secret_schema,
};

const struct kind secret_kind = {
	.name = "secret",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, secrets),
};
