/*
 * network.c - the `network` resource kind: a VPC with its subnets, route tables, NAT and internet gateways,
 * security groups with their ingress and egress rules, and VPC endpoints.
 *
 * Its schema; the rest of the kind is still in the stages and moves here
 * (kind.h).
 */
#include <stddef.h>

#include "kind.h"

static const char *const isolation_words[] = { "isolated", "restricted",
						"public", NULL };
static const char *const protocol_words[] = { "tcp", "udp", "icmp", "all",
					       NULL };
static const char *const prefix_list_words[] = { "s3", "dynamodb", NULL };

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

static const struct block_schema network_schema = {
	"network", "environment", true, SCHEMA_ATTRS(network_attrs),
	"a VPC with its subnets, routes, security groups and endpoints"
};

static const struct block_schema subnet_schema = {
	"subnet", "network", true, SCHEMA_ATTRS(subnet_attrs),
	"a subnet in one availability zone"
};

static const struct block_schema security_group_schema = {
	"security_group", "network", true, SCHEMA_ATTRS(security_group_attrs),
	"a security group whose rules are all explicit"
};

static const struct block_schema ingress_schema = {
	"ingress", "security_group", false, SCHEMA_ATTRS(rule_attrs),
	"an inbound rule"
};

static const struct block_schema egress_schema = {
	"egress", "security_group", false, SCHEMA_ATTRS(rule_attrs),
	"an outbound rule; without any, the group allows no egress"
};

static const struct block_schema *const schemas[] = {
	&network_schema,
	&subnet_schema,
	&security_group_schema,
	&ingress_schema,
	&egress_schema,
};

const struct kind network_kind = {
	.name = "network",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, networks),
};
