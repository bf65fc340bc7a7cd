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
	}
	return "a value";
}
