/*
 * ecr_repository.c - the `ecr_repository` resource kind: an ECR repository with its lifecycle policy.
 *
 * Its schema; the rest of the kind is still in the stages and moves here
 * (kind.h).
 */
#include <stddef.h>

#include "kind.h"

static const struct attr_schema ecr_attrs[] = {
	{ "keep_images", VT_INT, false, NULL, NULL,
	  "keep this many newest images with `tag_prefix` (default 20)" },
	{ "tag_prefix", VT_STRING, false, NULL, NULL,
	  "tag prefix the keep rule applies to (default \"v\")" },
	{ "expire_untagged", VT_DURATION, false, NULL, NULL,
	  "expire untagged images after this many days (default 14d)" },
	{ "scan_on_push", VT_BOOL, false, NULL, NULL, "basic scan on push (default true)" },
	{ "immutable_tags", VT_BOOL, false, NULL, NULL, "tags cannot be overwritten (default true)" },
	{ "kms_key", VT_REF, false, NULL, "kms_key", "KMS encryption (default AES256)" },
	{ "mutable_tags", VT_STRINGS, false, NULL, NULL,
	  "tags that may be pushed again although tags are immutable, such as \"latest\" (1 to 5; `*` matches any text)" },
	{ "retain", VT_BOOL, false, NULL, NULL,
	  "keep the repository and its images when the stack is deleted (default true); false deletes them" },
};

static const struct block_schema ecr_repository_schema = {
	"ecr_repository", "environment", true, SCHEMA_ATTRS(ecr_attrs),
	"an ECR repository with a lifecycle policy"
};

static const struct block_schema *const schemas[] = {
	&ecr_repository_schema,
};

const struct kind ecr_repository_kind = {
	.name = "ecr_repository",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, ecrs),
};
