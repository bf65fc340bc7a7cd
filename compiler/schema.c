/*
 * schema.c - the block-kind tables (see schema.h).
 *
 * Limits cited here come from shared/reference/cloudformation.md; the
 * kind-specific rules that go beyond types are in check.c.
 */
#include "schema.h"

#include <string.h>

#define ATTRS(a) a, sizeof a / sizeof a[0]

static const char *const isolation_words[] = { "isolated", "restricted",
						"public", NULL };
static const char *const protocol_words[] = { "tcp", "udp", "icmp", "all",
					       NULL };
static const char *const prefix_list_words[] = { "s3", "dynamodb", NULL };

static const struct attr_schema environment_attrs[] = {
	{ "region", VT_REGION, true, NULL, NULL,
	  "AWS Region the stack is deployed to; zones and ARNs follow it" },
	{ "description", VT_STRING, false, NULL, NULL,
	  "template Description (at most 1024 bytes)" },
	{ "tags", VT_TAGS, false, NULL, NULL,
	  "tags applied to every resource that takes tags" },
};

static const struct attr_schema network_attrs[] = {
	{ "cidr", VT_CIDR, true, NULL, NULL,
	  "VPC range, /16 to /28, no host bits" },
	{ "isolation", VT_WORD, true, isolation_words, NULL,
	  "isolated: no internet path; restricted: egress through NAT; public: internet gateway" },
	{ "endpoints", VT_ENDPOINTS, false, NULL, NULL,
	  "VPC endpoint services, as a set expression" },
};

static const struct attr_schema subnet_attrs[] = {
	{ "cidr", VT_CIDR, true, NULL, NULL,
	  "subnet range, /16 to /28, inside the network's range" },
	{ "zone", VT_ZONE, true, NULL, NULL,
	  "availability-zone letter in the environment's Region" },
	{ "public", VT_BOOL, false, NULL, NULL,
	  "routes to the internet gateway (default: true in public networks, false otherwise)" },
};

static const struct attr_schema security_group_attrs[] = {
	{ "description", VT_STRING, false, NULL, NULL,
	  "GroupDescription (changing it replaces the group)" },
};

static const struct attr_schema rule_attrs[] = {
	{ "protocol", VT_WORD, false, protocol_words, NULL,
	  "tcp (default), udp, icmp or all" },
	{ "port", VT_PORT, false, NULL, NULL, "a single port" },
	{ "from_port", VT_PORT, false, NULL, NULL, "first port of a range" },
	{ "to_port", VT_PORT, false, NULL, NULL, "last port of a range" },
	{ "cidr", VT_CIDR, false, NULL, NULL, "peer address range" },
	{ "group", VT_REF, false, NULL, "security_group",
	  "peer security group" },
	{ "self", VT_BOOL, false, NULL, NULL,
	  "the peer is this security group itself" },
	{ "prefix_list", VT_WORD, false, prefix_list_words, NULL,
	  "AWS-managed prefix list of a gateway service (egress only)" },
	{ "description", VT_STRING, false, NULL, NULL, "rule description" },
};

static const char *const auth_words[] = { "iam", "sso", NULL };
static const char *const access_words[] = { "vpc_only", "public_internet", NULL };
static const char *const app_words[] = { "code_editor", "jupyterlab", NULL };
static const char *const external_words[] = { "pypi", "npm", "maven", "nuget",
					       NULL };

static const struct attr_schema kms_key_attrs[] = {
	{ "description", VT_STRING, false, NULL, NULL, "key description" },
	{ "rotation", VT_BOOL, false, NULL, NULL,
	  "yearly automatic rotation (default true)" },
	{ "deletion_window", VT_DURATION, false, NULL, NULL,
	  "days before a deleted key is gone, 7d to 30d (default 30d)" },
};

static const struct attr_schema codeartifact_attrs[] = {
	{ "name", VT_STRING, false, NULL, NULL,
	  "domain name (default: the block name with `_` as `-`)" },
	{ "kms_key", VT_REF, false, NULL, "kms_key", "encryption key" },
};

static const struct attr_schema repository_attrs[] = {
	{ "name", VT_STRING, false, NULL, NULL,
	  "repository name (default: the block name with `_` as `-`)" },
	{ "external", VT_WORD, false, external_words, NULL,
	  "public registry it proxies: pypi, npm, maven or nuget" },
	{ "upstream", VT_REFS, false, NULL, "repository",
	  "repositories searched after this one, in order" },
	{ "description", VT_STRING, false, NULL, NULL, "repository description" },
};

static const struct attr_schema bucket_attrs[] = {
	{ "versioning", VT_BOOL, false, NULL, NULL, "keep object versions (default true)" },
	{ "kms_key", VT_REF, false, NULL, "kms_key",
	  "SSE-KMS key (default: SSE-S3)" },
	{ "retain", VT_BOOL, false, NULL, NULL,
	  "keep the bucket when the stack is deleted (default true)" },
};

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

static const struct attr_schema secret_attrs[] = {
	{ "description", VT_STRING, false, NULL, NULL, "secret description" },
	{ "kms_key", VT_REF, false, NULL, "kms_key", "encryption key" },
	{ "generate", VT_BOOL, false, NULL, NULL,
	  "let Secrets Manager generate a random value (default false: set it yourself)" },
};

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

static const struct attr_schema allow_attrs[] = {
	{ "actions", VT_STRINGS, true, NULL, NULL, "IAM actions, `service:Action`" },
	{ "resources", VT_STRINGS, true, NULL, NULL, "resource ARNs (may use ${AWS::Region} etc.)" },
};

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

static const struct block_schema blocks[] = {
	{ "environment", NULL, true, ATTRS(environment_attrs),
	  "one deployable environment: becomes one CloudFormation template" },
	{ "network", "environment", true, ATTRS(network_attrs),
	  "a VPC with its subnets, routes, security groups and endpoints" },
	{ "subnet", "network", true, ATTRS(subnet_attrs),
	  "a subnet in one availability zone" },
	{ "security_group", "network", true, ATTRS(security_group_attrs),
	  "a security group whose rules are all explicit" },
	{ "ingress", "security_group", false, ATTRS(rule_attrs),
	  "an inbound rule" },
	{ "egress", "security_group", false, ATTRS(rule_attrs),
	  "an outbound rule; without any, the group allows no egress" },
	{ "kms_key", "environment", true, ATTRS(kms_key_attrs),
	  "a customer managed KMS key" },
	{ "codeartifact", "environment", true, ATTRS(codeartifact_attrs),
	  "a CodeArtifact domain" },
	{ "repository", "codeartifact", true, ATTRS(repository_attrs),
	  "a CodeArtifact repository" },
	{ "bucket", "environment", true, ATTRS(bucket_attrs),
	  "an S3 bucket: public access blocked, encrypted, TLS only" },
	{ "ecr_repository", "environment", true, ATTRS(ecr_attrs),
	  "an ECR repository with a lifecycle policy" },
	{ "secret", "environment", true, ATTRS(secret_attrs),
	  "a Secrets Manager secret; its value never appears in the template" },
	{ "notebook", "environment", true, ATTRS(notebook_attrs),
	  "a SageMaker notebook instance with its role and lifecycle config" },
	{ "allow", "notebook|studio", false, ATTRS(allow_attrs),
	  "an explicit IAM statement added to the execution role" },
	{ "studio", "environment", true, ATTRS(studio_attrs),
	  "a SageMaker Studio domain with its execution role" },
	{ "code_editor", "studio", false, ATTRS(app_attrs),
	  "Code Editor app settings and lifecycle config" },
	{ "jupyterlab", "studio", false, ATTRS(app_attrs),
	  "JupyterLab app settings and lifecycle config" },
	{ "user", "studio", true, ATTRS(user_attrs), "a Studio user profile" },
	{ "space", "studio", true, ATTRS(space_attrs), "a Studio space" },
};

const struct block_schema *schema_blocks(size_t *n)
{
	*n = sizeof blocks / sizeof blocks[0];
	return blocks;
}

const struct block_schema *schema_block(const char *kind)
{
	for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++)
		if (strcmp(blocks[i].kind, kind) == 0)
			return &blocks[i];
	return NULL;
}

int schema_attr_index(const struct block_schema *b, const char *name)
{
	for (size_t i = 0; i < b->nattrs; i++)
		if (strcmp(b->attrs[i].name, name) == 0)
			return (int)i;
	return -1;
}

bool schema_kind_in(const char *kinds, const char *kind)
{
	size_t n = strlen(kind);
	for (const char *p = kinds; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, kind, n) == 0)
			return true;
		p = bar ? bar + 1 : NULL;
	}
	return false;
}

const char *schema_type_name(enum vtype t)
{
	switch (t) {
	case VT_STRING: return "a string";
	case VT_INT: return "an integer";
	case VT_BOOL: return "`true` or `false`";
	case VT_SIZE: return "a size such as `50 GB`";
	case VT_DURATION: return "a duration such as `12h`";
	case VT_CIDR: return "a CIDR block such as `10.0.0.0/16`";
	case VT_INSTANCE: return "an instance type such as `ml.t3.medium`";
	case VT_WORD: return "a word";
	case VT_ZONE: return "a zone letter such as `a`";
	case VT_REGION: return "a Region such as `\"us-east-1\"`";
	case VT_TAGS: return "a map such as `{ Team: \"ml\" }`";
	case VT_ENDPOINTS: return "an endpoint set such as `[sagemaker.api, s3]`";
	case VT_REF: return "a reference to a block";
	case VT_PORT: return "a port number";
	case VT_REFS: return "a reference or a list of references";
	case VT_SCRIPT: return "lifecycle steps such as `std.lifecycle.git_config(\"Ana\", \"ana@example.com\")`";
	case VT_STRINGS: return "a list of strings";
	}
	return "a value";
}
