/*
 * kms_key.c - the `kms_key` resource kind: a customer managed KMS key and its alias.
 *
 * Its schema; the rest of the kind is still in the stages and moves here
 * (kind.h).
 */
#include <stddef.h>

#include "kind.h"

static const struct attr_schema kms_key_attrs[] = {
	{ "description", VT_STRING, false, NULL, NULL, "key description" },
	{ "rotation", VT_BOOL, false, NULL, NULL,
	  "yearly automatic rotation (default true)" },
	{ "deletion_window", VT_DURATION, false, NULL, NULL,
	  "days before a deleted key is gone, 7d to 30d (default 30d)" },
};

static const struct block_schema kms_key_schema = {
	"kms_key", "environment", true, SCHEMA_ATTRS(kms_key_attrs),
	"a customer managed KMS key"
};

static const struct block_schema *const schemas[] = {
	&kms_key_schema,
};

const struct kind kms_key_kind = {
	.name = "kms_key",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, kms_keys),
};
