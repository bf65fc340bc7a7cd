/*
 * prefix_lists.c - the managed prefix-list table (see prefix_lists.h).
 *
 * Sources, read 2026-11-29 (no AWS page lists the IDs; each is what
 * `aws ec2 describe-managed-prefix-lists --filters
 * Name=prefix-list-name,Values=com.amazonaws.<region>.<service>` returns):
 *  - S3, 17 Regions: a troposphere stack's mapping AWSRegions2S3PrefixListID
 *    (public GitHub code), agreeing on every Region they share with a CDK
 *    constants file S3_ENDPOINT_PREFIX_LIST_IDS (14 Regions) and a
 *    CloudFormation VPC template's PrefixListId mapping (12 Regions);
 *    us-east-1 also in the AWS CLI's describe-prefix-lists example.
 *  - DynamoDB, 13 Regions: the same CDK constants file's
 *    DDB_ENDPOINT_PREFIX_LIST_IDS; us-east-1 (pl-02cd2c6b) and us-east-2
 *    (pl-4ca54025) also in Terraform configurations.
 * IDs repeat across Regions (pl-78a54011 is S3 in ap-south-1 and
 * ap-northeast-2, DynamoDB in ap-northeast-1): an ID is unique only within
 * its Region. Regions missing here, and the GovCloud and China partitions,
 * had no source: a template for them keeps the parameter without default
 * (a warning), or is refused (GovCloud, China).
 */
#include "prefix_lists.h"

#include <stddef.h>
#include <string.h>

struct pl_row {
	const char *region, *s3, *dynamodb;
};

static const struct pl_row rows[] = {
	{ "us-east-1", "pl-63a5400a", "pl-02cd2c6b" },
	{ "us-east-2", "pl-7ba54012", "pl-4ca54025" },
	{ "us-west-1", "pl-6ba54002", "pl-6ea54007" },
	{ "us-west-2", "pl-68a54001", "pl-00a54069" },
	{ "ca-central-1", "pl-7da54014", NULL },
	{ "sa-east-1", "pl-6aa54003", NULL },
	{ "eu-west-1", "pl-6da54004", "pl-6fa54006" },
	{ "eu-west-2", "pl-7ca54015", "pl-b3a742da" },
	{ "eu-west-3", "pl-23ad484a", NULL },
	{ "eu-central-1", "pl-6ea54007", "pl-66a5400f" },
	{ "eu-north-1", "pl-c3aa4faa", "pl-adae4bc4" },
	{ "ap-south-1", "pl-78a54011", "pl-66a7420f" },
	{ "ap-southeast-1", "pl-6fa54006", "pl-67a5400e" },
	{ "ap-southeast-2", "pl-6ca54005", "pl-62a5400b" },
	{ "ap-northeast-1", "pl-61a54008", "pl-78a54011" },
	{ "ap-northeast-2", "pl-78a54011", "pl-48a54021" },
	{ "ap-northeast-3", "pl-a4a540cd", NULL },
};

const char *prefix_list_id(const struct region *r, const char *service)
{
	if (!r)
		return NULL;
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		if (strcmp(rows[i].region, r->name) == 0)
			return strcmp(service, "s3") == 0 ? rows[i].s3
			     : strcmp(service, "dynamodb") == 0 ? rows[i].dynamodb : NULL;
	return NULL;
}

bool prefix_list_other_partition(const struct region *r)
{
	return r && (strncmp(r->name, "us-gov-", 7) == 0 || strncmp(r->name, "cn-", 3) == 0);
}
