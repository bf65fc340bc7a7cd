/*
 * studio.c - the `studio` resource kind: a SageMaker Studio domain with its execution role, security group,
 * app settings and lifecycle configurations, user profiles and spaces.
 *
 * Its schema; the rest of the kind is still in the stages and moves here
 * (kind.h).
 */
#include <stddef.h>

#include "kind.h"
#include "grants.h"

static const char *const auth_words[] = { "iam", "sso", NULL };
static const char *const access_words[] = { "vpc_only", "public_internet", NULL };
static const char *const app_words[] = { "code_editor", "jupyterlab", NULL };

static const struct attr_schema studio_attrs[] = {
	{ "subnets", VT_REFS, true, NULL, "subnet", "subnets of one network, in 1 to 16 zones" },
	{ "auth", VT_WORD, false, auth_words, NULL, "iam (default) or sso" },
	{ "access", VT_WORD, false, access_words, NULL,
	  "vpc_only or public_internet (default: vpc_only unless the network is public)" },
	{ "docker", VT_BOOL, false, NULL, NULL, "Docker access in spaces (default false)" },
	{ "efs_automount", VT_BOOL, false, NULL, NULL,
	  "create the domain's home EFS and mount it in apps (default false: spaces keep data on their EBS volumes)" },
	{ "ebs_default", VT_SIZE, false, NULL, NULL, "default space EBS size (default 5 GB)" },
	{ "ebs_max", VT_SIZE, false, NULL, NULL, "largest space EBS size (default 100 GB)" },
	{ "idle_timeout", VT_DURATION, false, NULL, NULL,
	  "shut idle JupyterLab and Code Editor apps down after this long (60m to 525600m)" },
	{ "kms_key", VT_REF, false, NULL, "kms_key", "EFS and EBS encryption" },
	{ "uses", VT_REFS, false, NULL, "bucket|ecr_repository|secret|repository|kms_key",
	  "resources its users read and write" },
	{ "managed_policies", VT_STRINGS, false, NULL, NULL,
	  "AWS managed policy names to attach to its execution role" },
};

static const struct attr_schema app_attrs[] = {
	{ "on_start", VT_SCRIPT, false, NULL, NULL, "lifecycle steps run when the app starts" },
	{ "instance", VT_INSTANCE, false, NULL, NULL, "default instance type of the app" },
};

static const struct attr_schema user_attrs[] = {
	{ "name", VT_STRING, false, NULL, NULL,
	  "profile name (default: the block name with `_` as `-`)" },
};

static const struct attr_schema space_attrs[] = {
	{ "app", VT_WORD, true, app_words, NULL, "code_editor or jupyterlab" },
	{ "owner", VT_REF, false, NULL, "user", "owner of a private space; shared without one" },
	{ "instance", VT_INSTANCE, false, NULL, NULL, "instance type (default ml.t3.medium)" },
	{ "ebs", VT_SIZE, false, NULL, NULL, "EBS volume size (default: the domain's default)" },
	{ "remote_access", VT_BOOL, false, NULL, NULL,
	  "allow connecting from a local VS Code over SSH (default false)" },
	{ "name", VT_STRING, false, NULL, NULL,
	  "space name (default: the block name with `_` as `-`)" },
	{ "image", VT_STRING, false, NULL, NULL,
	  "SageMaker image or image-version ARN its app starts with (default: the domain's); "
	  "remote access needs SageMaker Distribution 2.7 or later" },
};

static const struct block_schema studio_schema = {
	"studio", "environment", true, SCHEMA_ATTRS(studio_attrs),
	"a SageMaker Studio domain with its execution role"
};

static const struct block_schema code_editor_schema = {
	"code_editor", "studio", false, SCHEMA_ATTRS(app_attrs),
	"Code Editor app settings and lifecycle config"
};

static const struct block_schema jupyterlab_schema = {
	"jupyterlab", "studio", false, SCHEMA_ATTRS(app_attrs),
	"JupyterLab app settings and lifecycle config"
};

static const struct block_schema user_schema = {
	"user", "studio", true, SCHEMA_ATTRS(user_attrs),
	"a Studio user profile"
};

static const struct block_schema space_schema = {
	"space", "studio", true, SCHEMA_ATTRS(space_attrs),
	"a Studio space"
};

static const struct block_schema *const schemas[] = {
	&studio_schema,
	&code_editor_schema,
	&jupyterlab_schema,
	&user_schema,
	&space_schema,
	&grants_allow_schema,
};

const struct kind studio_kind = {
	.name = "studio",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, studios),
};
