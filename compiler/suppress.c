/*
 * suppress.c - the table of scanner findings sgc suppresses (suppress.h).
 *
 * A row is added only when no safe default exists; each reason says why,
 * in words a reviewer can check, and each cites where the fact is written.
 */
#include "suppress.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SRC_DEFAULT_SG "https://docs.aws.amazon.com/vpc/latest/userguide/default-security-group.html"
#define SRC_IGW "https://docs.aws.amazon.com/vpc/latest/userguide/VPC_Internet_Gateway.html"
#define SRC_REPLICATION "https://docs.aws.amazon.com/AmazonS3/latest/userguide/replication.html"
#define SRC_OBJECT_LOCK "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html"
#define SRC_LOG_TARGET "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html"
#define SRC_VERSIONING "https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html"
#define SRC_ROTATION "https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html"
#define SRC_ECR_TAGS "https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html"
#define SRC_SAR "https://docs.aws.amazon.com/service-authorization/latest/reference/"

static const struct sup_row table[SUP_COUNT] = {
	[SUP_VPC_DEFAULT_SG] = {
		"vpc-default-security-group",
		{ "HIPAA.Security-VPCDefaultSecurityGroupClosed",
		  "NIST.800.53.R5-VPCDefaultSecurityGroupClosed" },
		"AWS::EC2::VPC", "network", "every network",
		"sgc attaches nothing to the default security group: every workload and endpoint has its own; "
		"closing it needs a Lambda custom resource with findings of its own",
		SRC_DEFAULT_SG, false, NULL, { 0 },
	},
	[SUP_IGW_ROUTE] = {
		"public-subnet-route",
		{ "HIPAA.Security-VPCNoUnrestrictedRouteToIGW",
		  "NIST.800.53.R5-VPCNoUnrestrictedRouteToIGW" },
		"AWS::EC2::Route", "network",
		"the default route of the public subnets of a network declared `isolation = public` or "
		"`restricted`",
		"public subnets are declared, and a route to the internet gateway is what makes them public "
		"(NAT gateways, public workloads); private subnets have none",
		SRC_IGW, true, NULL, { 0 },
	},
	[SUP_BUCKET_REPLICATION] = {
		"bucket-replication",
		{ "HIPAA.Security-S3BucketReplicationEnabled",
		  "NIST.800.53.R5-S3BucketReplicationEnabled" },
		"AWS::S3::Bucket", "bucket", "every bucket, and the access-log bucket",
		"replication needs a bucket in another Region that a one-template environment does not have; "
		"versioning (on unless turned off) keeps overwritten objects",
		SRC_REPLICATION, false, NULL, { 0 },
	},
	[SUP_BUCKET_OBJECT_LOCK] = {
		"bucket-object-lock",
		{ "CT.S3.PR.9" },
		"AWS::S3::Bucket", "bucket", "every bucket, and the access-log bucket",
		"Object Lock forbids deleting objects and cannot be turned off: wrong for working data; "
		"versioning keeps overwritten objects",
		SRC_OBJECT_LOCK, false, NULL, { 0 },
	},
	[SUP_LOG_BUCKET_ENCRYPTION] = {
		"log-bucket-sse-s3",
		{ "HIPAA.Security-S3DefaultEncryptionKMS", "NIST.800.53.R5-S3DefaultEncryptionKMS",
		  "CT.S3.PR.10" },
		"AWS::S3::Bucket", "bucket", "the access-log bucket of an environment with buckets",
		"S3 server access logs are delivered only to a bucket with SSE-S3 (AES256), not SSE-KMS",
		SRC_LOG_TARGET, false, NULL, { 0 },
	},
	[SUP_LOG_BUCKET_LOGGING] = {
		"log-bucket-access-logs",
		{ "AwsSolutions-S1", "HIPAA.Security-S3BucketLoggingEnabled",
		  "NIST.800.53.R5-S3BucketLoggingEnabled", "CT.S3.PR.2" },
		"AWS::S3::Bucket", "bucket", "the access-log bucket of an environment with buckets",
		"this is the access-log bucket: logging its own access would log each delivery, in a loop",
		SRC_LOG_TARGET, false, NULL, { 0 },
	},
	[SUP_BUCKET_VERSIONING_OFF] = {
		"bucket-versioning-off",
		{ "HIPAA.Security-S3BucketVersioningEnabled",
		  "NIST.800.53.R5-S3BucketVersioningEnabled" },
		"AWS::S3::Bucket", "bucket", "a bucket declared `versioning = false`",
		"versioning is turned off in the source (warning W0702)",
		SRC_VERSIONING, true, NULL, { 0 },
	},
	[SUP_SECRET_ROTATION] = {
		"secret-rotation",
		{ "AwsSolutions-SMG4", "HIPAA.Security-SecretsManagerRotationEnabled",
		  "NIST.800.53.R5-SecretsManagerRotationEnabled" },
		"AWS::SecretsManager::Secret", "secret", "every secret",
		"a token a person issues elsewhere, or a value given to other systems: a rotation Lambda "
		"cannot issue a new one at the other end",
		SRC_ROTATION, false, NULL, { 0 },
	},
	[SUP_ECR_MUTABLE_TAGS] = {
		"ecr-mutable-tags",
		{ "CT.ECR.PR.3" },
		"AWS::ECR::Repository", "ecr_repository",
		"a repository declared with `mutable_tags` (IMMUTABLE_WITH_EXCLUSION)",
		"the source names tags each build pushes again; all other tags stay immutable",
		SRC_ECR_TAGS, true, NULL, { 0 },
	},
	[SUP_IAM5_NO_RESOURCE_SCOPE] = {
		"iam-no-resource-scope",
		{ "AwsSolutions-IAM5" },
		"AWS::IAM::ManagedPolicy", "notebook, studio",
		"a statement on `*` whose every action has no resource type in the Service "
		"Authorization Reference",
		"actions without resource-level permissions: `*` is the only resource IAM accepts",
		SRC_SAR, false, "*",
		{ "sts:GetServiceBearerToken", "ecr:GetAuthorizationToken", "sagemaker:ListApps",
		  "sagemaker:ListSpaces", "sagemaker:ListUserProfiles", "sagemaker:ListDomains",
		  "sagemaker:ListTags" },
	},
	[SUP_IAM5_LOG_STREAMS] = {
		"iam-sagemaker-log-streams",
		{ "AwsSolutions-IAM5" },
		"AWS::IAM::ManagedPolicy", "notebook, studio",
		"the log streams of SageMaker's own log group (`/aws/sagemaker/...:*`)",
		"log streams SageMaker names at run time; its one log group only",
		SRC_SAR "list_amazoncloudwatchlogs.html", false,
		"arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:/aws/sagemaker/*:*",
		{ 0 },
	},
	[SUP_IAM5_OBJECTS] = {
		"iam-bucket-objects",
		{ "AwsSolutions-IAM5" },
		"AWS::IAM::ManagedPolicy", "notebook, studio",
		"the objects of one bucket the workload `uses` (`<Bucket.Arn>/*`)",
		"object keys chosen at run time; the one bucket the source uses",
		SRC_SAR "list_amazons3.html", false, "<*Bucket.Arn>/*", { 0 },
	},
	[SUP_IAM5_STUDIO_NAMES] = {
		"iam-studio-domain-names",
		{ "AwsSolutions-IAM5" },
		"AWS::IAM::ManagedPolicy", "studio",
		"apps, spaces and user profiles of the environment's own Studio domain",
		"named by Studio at run time; this domain only",
		SRC_SAR "list_amazonsagemaker.html", false,
		"arn:<AWS::Partition>:sagemaker:<AWS::Region>:<AWS::AccountId>:*/<*Domain.DomainId>/*",
		{ 0 },
	},
	[SUP_IAM5_STACK_ID] = {
		"iam-own-stack",
		{ "AwsSolutions-IAM5" },
		"AWS::IAM::ManagedPolicy", "studio",
		"the remote-access helper reading this stack's outputs",
		"a stack ARN ends in an ID assigned at creation; limited to this stack's name",
		SRC_SAR "list_awscloudformation.html", false,
		"arn:<AWS::Partition>:cloudformation:<AWS::Region>:<AWS::AccountId>:stack/<AWS::StackName>/*",
		{ 0 },
	},
};

const struct sup_row *sup_table(size_t *n)
{
	*n = SUP_COUNT;
	return table;
}

const struct sup_row *sup_row(enum sup_id id)
{
	return (unsigned)id < SUP_COUNT ? &table[id] : NULL;
}

static bool listed(const char *const *list, size_t max, const char *s)
{
	for (size_t i = 0; i < max && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

const struct sup_row *sup_iam5_row(const char *resource, const char *const *actions, size_t n)
{
	for (size_t i = 0; i < SUP_COUNT; i++) {
		const struct sup_row *r = &table[i];
		if (!r->resource_pattern)
			continue;
		if (strcmp(r->resource_pattern, "*") == 0) {
			if (strcmp(resource, "*") != 0)
				continue;
			bool all = n > 0;
			for (size_t k = 0; k < n; k++)
				all = all && listed(r->actions, sizeof r->actions / sizeof r->actions[0],
						    actions[k]);
			if (all)
				return r;
			continue;
		}
		if (fnmatch(r->resource_pattern, resource, 0) == 0)
			return r;
	}
	return NULL;
}

/* `|` would end a table cell. */
static void cell(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			fputs("\\|", f);
		else
			fputc(*s, f);
	}
}

char *sup_table_markdown(void)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	fputs("| row | rules | resource | applies to | reason | source |\n", f);
	fputs("|---|---|---|---|---|---|\n", f);
	for (size_t i = 0; i < SUP_COUNT; i++) {
		const struct sup_row *r = &table[i];
		fprintf(f, "| `%s` | ", r->name);
		for (size_t k = 0; k < SUP_MAX_RULES && r->rules[k]; k++)
			fprintf(f, "%s`%s`", k ? ", " : "", r->rules[k]);
		if (r->resource_pattern) /* one id per wildcard, as cdk-nag names it */
			fprintf(f, " on `Resource::%s`", r->resource_pattern);
		fprintf(f, " | `%s` (%s) | ", r->type, r->kind);
		cell(f, r->when);
		fputs(" | ", f);
		cell(f, r->reason);
		if (r->turned_off)
			fputs("; the reason names the line that turns the default off", f);
		fprintf(f, " | %s |\n", r->source);
	}
	fclose(f);
	return buf;
}
