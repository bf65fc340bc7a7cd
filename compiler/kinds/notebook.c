/*
 * notebook.c - the `notebook` resource kind: a SageMaker notebook instance with its execution role, security group
 * and lifecycle configuration.
 *
 * Its schema; the rest of the kind is still in the stages and moves here
 * (kind.h).
 */
#include <stddef.h>

#include "kind.h"
#include "grants.h"

static const struct attr_schema notebook_attrs[] = {
	{ "instance", VT_INSTANCE, true, NULL, NULL,
	  "notebook instance type, or `param.x`" },
	{ "volume", VT_SIZE, false, NULL, NULL, "ML storage volume, 5 GB to 16384 GB (default 5 GB)" },
	{ "subnet", VT_REF, false, NULL, "subnet", "subnet the instance's interface lives in" },
	{ "security_groups", VT_REFS, false, NULL, "security_group",
	  "security groups (default: one made for the notebook, HTTPS to the VPC only)" },
	{ "root_access", VT_BOOL, false, NULL, NULL, "root for notebook users (default false)" },
	{ "direct_internet", VT_BOOL, false, NULL, NULL,
	  "SageMaker-provided internet (default: on only without a subnet)" },
	{ "kms_key", VT_REF, false, NULL, "kms_key", "ML storage volume encryption" },
	{ "platform", VT_STRING, false, NULL, NULL,
	  "platform identifier (default \"notebook-al2-v3\")" },
	{ "uses", VT_REFS, false, NULL, "bucket|ecr_repository|secret|repository|kms_key",
	  "resources it reads and writes; each grants exactly that access" },
	{ "managed_policies", VT_STRINGS, false, NULL, NULL,
	  "AWS managed policy names to attach to its role" },
	{ "on_create", VT_SCRIPT, false, NULL, NULL, "lifecycle steps run once, when created" },
	{ "on_start", VT_SCRIPT, false, NULL, NULL, "lifecycle steps run on every start" },
};

static const struct block_schema notebook_schema = {
	"notebook", "environment", true, SCHEMA_ATTRS(notebook_attrs),
	"a SageMaker notebook instance with its role and lifecycle config"
};

static const struct block_schema *const schemas[] = {
	&notebook_schema,
	&grants_allow_schema,
};

const struct kind notebook_kind = {
	.name = "notebook",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, notebooks),
};
