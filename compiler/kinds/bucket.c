/*
 * bucket.c - the `bucket` resource kind: an S3 bucket: public access blocked, encrypted, TLS only.
 *
 * Its schema; the rest of the kind is still in the stages and moves here
 * (kind.h).
 */
#include <stddef.h>

#include "kind.h"

static const struct attr_schema bucket_attrs[] = {
	{ "versioning", VT_BOOL, false, NULL, NULL, "keep object versions (default true)" },
	{ "kms_key", VT_REF, false, NULL, "kms_key",
	  "SSE-KMS key (default: SSE-S3)" },
	{ "retain", VT_BOOL, false, NULL, NULL,
	  "keep the bucket when the stack is deleted (default true)" },
};

static const struct block_schema bucket_schema = {
	"bucket", "environment", true, SCHEMA_ATTRS(bucket_attrs),
	"an S3 bucket: public access blocked, encrypted, TLS only"
};

static const struct block_schema *const schemas[] = {
	&bucket_schema,
};

const struct kind bucket_kind = {
	.name = "bucket",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, buckets),
};
