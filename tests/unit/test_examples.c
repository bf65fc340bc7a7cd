/*
 * test_examples.c - the promises each bundled example makes, checked on
 * its compiled template: no path to the internet where the file says
 * isolated, the endpoints and repositories the design asks for, no IAM
 * statement granting every action, scripts that start safely.
 * Run from the repository root (make unit does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "emit.h"
#include "suppress.h"

struct built {
	struct compile c;
	json_t *t;
	json_t *res;
};

static void build(struct built *b, const char *name)
{
	char path[256];
	snprintf(path, sizeof path, "examples/%s.sgl", name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	static char text[1 << 16];
	size_t n = fread(text, 1, sizeof text, f);
	fclose(f);
	compile_init(&b->c);
	assert_true(compile_text(&b->c, path, text, n, COMPILE_LOWER));
	assert_int_equal(b->c.diags.nerrors, 0);
	size_t len;
	char *json = emit_json(b->c.tmpl, &len);
	assert_non_null(json);
	json_error_t err;
	b->t = json_loads(json, 0, &err);
	free(json);
	assert_non_null(b->t);
	b->res = json_object_get(b->t, "Resources");
	assert_non_null(b->res);
}

static void done(struct built *b)
{
	json_decref(b->t);
	compile_free(&b->c);
}

static size_t count_type(const struct built *b, const char *type)
{
	size_t n = 0;
	const char *key;
	json_t *r;
	json_object_foreach(b->res, key, r)
		if (strcmp(json_string_value(json_object_get(r, "Type")), type) == 0)
			n++;
	(void)key;
	return n;
}

static json_t *first_of(const struct built *b, const char *type)
{
	const char *key;
	json_t *r;
	json_object_foreach(b->res, key, r)
		if (strcmp(json_string_value(json_object_get(r, "Type")), type) == 0)
			return json_object_get(r, "Properties");
	(void)key;
	return NULL;
}

static bool has_default_route(const struct built *b)
{
	const char *key;
	json_t *r;
	json_object_foreach(b->res, key, r) {
		json_t *p = json_object_get(r, "Properties");
		json_t *dst = p ? json_object_get(p, "DestinationCidrBlock") : NULL;
		if (dst && strcmp(json_string_value(dst), "0.0.0.0/0") == 0)
			return true;
	}
	(void)key;
	return false;
}

static void assert_no_internet_path(const struct built *b)
{
	assert_int_equal(count_type(b, "AWS::EC2::InternetGateway"), 0);
	assert_int_equal(count_type(b, "AWS::EC2::NatGateway"), 0);
	assert_int_equal(count_type(b, "AWS::EC2::VPCGatewayAttachment"), 0);
	assert_false(has_default_route(b));
}

/*
 * Any "Action": "*" (alone or in a list) anywhere in the template, except
 * in an endpoint policy's statement bounded by a condition (the account's
 * principals or resources): that is the data-perimeter pattern.
 */
static bool grants_everything(json_t *v)
{
	json_t *type = json_is_object(v) ? json_object_get(v, "Type") : NULL;
	if (type && json_is_string(type) && strcmp(json_string_value(type), "AWS::EC2::VPCEndpoint") == 0) {
		json_t *doc = json_object_get(json_object_get(v, "Properties"), "PolicyDocument");
		size_t i;
		json_t *st;
		json_array_foreach(json_object_get(doc, "Statement"), i, st)
			if (!json_object_get(st, "Condition") && grants_everything(st))
				return true;
		return false;
	}
	if (json_is_object(v)) {
		const char *key;
		json_t *x;
		json_object_foreach(v, key, x) {
			if (strcmp(key, "Action") == 0) {
				if (json_is_string(x) && strcmp(json_string_value(x), "*") == 0)
					return true;
				size_t i;
				json_t *e;
				json_array_foreach(x, i, e)
					if (strcmp(json_string_value(e), "*") == 0)
						return true;
			}
			if (grants_everything(x))
				return true;
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *e;
		json_array_foreach(v, i, e)
			if (grants_everything(e))
				return true;
	}
	return false;
}

/*
 * Every endpoint has a policy (each service of this example takes one):
 * interface endpoints admit only the account's principals, the S3 gateway
 * only the account's buckets, plus GetObject on the AWS-owned bucket
 * `aws_bucket` the example's features read (a substring of its ARN).
 */
static void assert_endpoint_policies(const struct built *b, const char *aws_bucket)
{
	const char *key;
	json_t *r;
	json_object_foreach(b->res, key, r) {
		if (strcmp(json_string_value(json_object_get(r, "Type")), "AWS::EC2::VPCEndpoint") != 0)
			continue;
		json_t *p = json_object_get(r, "Properties");
		json_t *st = json_object_get(json_object_get(p, "PolicyDocument"), "Statement");
		assert_non_null(st);
		json_t *first = json_array_get(st, 0);
		json_t *eq = json_object_get(json_object_get(first, "Condition"), "StringEquals");
		bool gateway = strcmp(json_string_value(json_object_get(p, "VpcEndpointType")), "Gateway") == 0;
		json_t *acct = json_object_get(eq, gateway ? "aws:ResourceAccount" : "aws:PrincipalAccount");
		assert_string_equal(json_string_value(json_object_get(acct, "Ref")), "AWS::AccountId");
		if (gateway) {
			json_t *aws = json_array_get(st, 1);
			assert_string_equal(json_string_value(json_object_get(aws, "Action")), "s3:GetObject");
			assert_non_null(strstr(json_string_value(json_object_get(json_object_get(aws, "Resource"),
										     "Fn::Sub")), aws_bucket));
		}
	}
	(void)key;
}

static bool has_endpoint(const struct built *b, const char *service)
{
	const char *key;
	json_t *r;
	json_object_foreach(b->res, key, r) {
		if (strcmp(json_string_value(json_object_get(r, "Type")), "AWS::EC2::VPCEndpoint") != 0)
			continue;
		json_t *sn = json_object_get(json_object_get(json_object_get(r, "Properties"), "ServiceName"), "Fn::Sub");
		if (strcmp(json_string_value(sn), service) == 0)
			return true;
	}
	(void)key;
	return false;
}

/* The statement with this Sid in any IAM policy of the template, or NULL. */
static json_t *statement_with_sid(const struct built *b, const char *sid)
{
	const char *key;
	json_t *r;
	json_object_foreach(b->res, key, r) {
		json_t *p = json_object_get(r, "Properties");
		json_t *docs = json_array();
		if (json_object_get(p, "PolicyDocument"))
			json_array_append(docs, json_object_get(p, "PolicyDocument"));
		size_t i;
		json_t *pol;
		json_array_foreach(json_object_get(p, "Policies"), i, pol)
			json_array_append(docs, json_object_get(pol, "PolicyDocument"));
		json_t *doc, *st, *found = NULL;
		json_array_foreach(docs, i, doc) {
			size_t k;
			json_array_foreach(json_object_get(doc, "Statement"), k, st) {
				json_t *x = json_object_get(st, "Sid");
				if (!found && x && strcmp(json_string_value(x), sid) == 0)
					found = st;
			}
		}
		json_decref(docs);
		if (found)
			return found;
	}
	(void)key;
	return NULL;
}

static const struct cfn_file *file_named(const struct built *b, const char *path)
{
	for (size_t k = 0; k < b->c.tmpl->files.n; k++) {
		const struct cfn_file *f = b->c.tmpl->files.items[k];
		if (strcmp(f->path, path) == 0)
			return f;
	}
	return NULL;
}

static void assert_getatt_arn(json_t *v, const char *id)
{
	json_t *att = json_object_get(v, "Fn::GetAtt");
	assert_non_null(att);
	assert_string_equal(json_string_value(json_array_get(att, 0)), id);
	assert_string_equal(json_string_value(json_array_get(att, 1)), "Arn");
}

static void test_private_notebook(void **state)
{
	(void)state;
	struct built b;
	build(&b, "private-notebook-codeartifact");
	assert_no_internet_path(&b);
	json_t *nb = first_of(&b, "AWS::SageMaker::NotebookInstance");
	assert_string_equal(json_string_value(json_object_get(nb, "DirectInternetAccess")), "Disabled");
	assert_string_equal(json_string_value(json_object_get(nb, "RootAccess")), "Disabled");
	static const char *const services[] = {
		"com.amazonaws.${AWS::Region}.codeartifact.api",
		"com.amazonaws.${AWS::Region}.codeartifact.repositories",
		"com.amazonaws.${AWS::Region}.sts",
		"com.amazonaws.${AWS::Region}.sagemaker.api",
		"com.amazonaws.${AWS::Region}.sagemaker.runtime",
		"aws.sagemaker.${AWS::Region}.notebook",
		"com.amazonaws.${AWS::Region}.ecr.api",
		"com.amazonaws.${AWS::Region}.ecr.dkr",
		"com.amazonaws.${AWS::Region}.logs",
		"com.amazonaws.${AWS::Region}.s3",
	};
	for (size_t i = 0; i < sizeof services / sizeof services[0]; i++)
		assert_true(has_endpoint(&b, services[i]));
	assert_int_equal(count_type(&b, "AWS::EC2::VPCEndpoint"), 10);
	assert_endpoint_policies(&b, "assets-421485864821-${AWS::Region}");
	json_t *store = json_object_get(json_object_get(b.res, "PypiStoreRepository"), "Properties");
	assert_string_equal(json_string_value(json_array_get(json_object_get(store, "ExternalConnections"), 0)),
			    "public:pypi");
	json_t *pkgs = json_object_get(json_object_get(b.res, "SagemakerPackagesRepository"), "Properties");
	json_t *up = json_array_get(json_object_get(pkgs, "Upstreams"), 0);
	assert_string_equal(json_string_value(json_array_get(json_object_get(up, "Fn::GetAtt"), 0)),
			    "PypiStoreRepository");
	assert_false(grants_everything(b.t));
	/* idle_stop may stop this notebook (its Ref is its ARN) and no other. */
	json_t *stop = statement_with_sid(&b, "StopThisNotebookWhenIdle");
	assert_non_null(stop);
	assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(stop, "Resource"), 0),
							      "Ref")), "AnalystNotebook");
	char *json = json_dumps(b.t, 0);
	assert_null(strstr(json, "notebook-instance/*"));
	free(json);
	/* The operation comes first: the CLI reads the first word after the service as the operation. */
	const struct cfn_file *script = file_named(&b, "lifecycle/analyst-on-start.sh");
	assert_non_null(strstr(script->text, "aws codeartifact \"$op\" --region"));
	assert_null(strstr(script->text, "profile.d/sgc-codeartifact.sh \""));
	done(&b);
}

static void test_studio_vpc_only(void **state)
{
	(void)state;
	struct built b;
	build(&b, "studio-vpc-only");
	assert_no_internet_path(&b);
	json_t *dom = first_of(&b, "AWS::SageMaker::Domain");
	assert_string_equal(json_string_value(json_object_get(dom, "AppNetworkAccessType")), "VpcOnly");
	assert_false(grants_everything(b.t));
	/* Whoever starts an app needs a grant on the domain's customer key. */
	json_t *grant = statement_with_sid(&b, "DomainKeyGrantsForApps");
	assert_non_null(grant);
	assert_string_equal(json_string_value(json_array_get(json_object_get(grant, "Action"), 0)),
			    "kms:CreateGrant");
	assert_string_equal(json_string_value(json_object_get(json_object_get(json_object_get(grant,
		"Condition"), "Bool"), "kms:GrantIsForAWSResource")), "true");
	/* No home EFS, and cfn-lint's stale schema is silenced on that property only. */
	assert_string_equal(json_string_value(json_object_get(dom, "HomeEfsFileSystemCreation")), "Disabled");
	json_t *meta = json_object_get(json_object_get(b.res, "AnalyticsDomain"), "Metadata");
	json_t *ignored = json_object_get(json_object_get(json_object_get(meta, "cfn-lint"), "config"),
					  "ignore_checks");
	assert_int_equal(json_array_size(ignored), 1);
	assert_string_equal(json_string_value(json_array_get(ignored, 0)), "E3002");
	assert_null(json_object_get(b.res, "AnalyticsStudioNfsIngress"));
	done(&b);
}

static void test_studio_public(void **state)
{
	(void)state;
	struct built b;
	build(&b, "studio-public");
	assert_int_equal(count_type(&b, "AWS::EC2::InternetGateway"), 1);
	assert_true(has_default_route(&b));
	json_t *a = json_object_get(json_object_get(json_object_get(b.res, "PublicASubnet"), "Properties"), "AvailabilityZone");
	json_t *z = json_object_get(json_object_get(json_object_get(b.res, "PublicBSubnet"), "Properties"), "AvailabilityZone");
	assert_string_equal(json_string_value(json_object_get(a, "Fn::Sub")), "${AWS::Region}a");
	assert_string_equal(json_string_value(json_object_get(z, "Fn::Sub")), "${AWS::Region}b");
	json_t *dom = first_of(&b, "AWS::SageMaker::Domain");
	assert_string_equal(json_string_value(json_object_get(dom, "AppNetworkAccessType")), "PublicInternetOnly");
	/* The datasets bucket and the environment's access-log bucket. */
	assert_int_equal(count_type(&b, "AWS::S3::Bucket"), 2);
	assert_int_equal(count_type(&b, "AWS::ECR::Repository"), 1);
	assert_int_equal(count_type(&b, "AWS::SecretsManager::Secret"), 1);
	assert_null(json_object_get(first_of(&b, "AWS::SecretsManager::Secret"), "SecretString"));
	assert_false(grants_everything(b.t));
	/* Builds re-push `latest`; every other tag stays immutable. */
	json_t *ecr = first_of(&b, "AWS::ECR::Repository");
	assert_string_equal(json_string_value(json_object_get(ecr, "ImageTagMutability")),
			    "IMMUTABLE_WITH_EXCLUSION");
	json_t *filter = json_array_get(json_object_get(ecr, "ImageTagMutabilityExclusionFilters"), 0);
	assert_string_equal(json_string_value(json_object_get(filter, "ImageTagMutabilityExclusionFilterValue")),
			    "latest");
	const char *lifecycle = json_string_value(json_object_get(json_object_get(ecr, "LifecyclePolicy"),
								  "LifecyclePolicyText"));
	assert_non_null(strstr(lifecycle, "\"tagPrefixList\":[\"latest\"],\"countType\":\"imageCountMoreThan\""));
	assert_non_null(strstr(lifecycle, "\"tagStatus\":\"untagged\",\"countType\":\"sinceImagePushed\""));
	assert_string_equal(json_string_value(json_object_get(json_object_get(b.res, "ImagesEcrRepository"),
							      "DeletionPolicy")), "Retain");
	/* Docker in Studio: the role may push to the repository it uses. */
	json_t *push = statement_with_sid(&b, "EcrPush");
	assert_non_null(push);
	assert_getatt_arn(json_array_get(json_object_get(push, "Resource"), 0), "ImagesEcrRepository");
	done(&b);
}

/* The endpoint of `zone` out of the firewall's unordered EndpointIds: the Fn::Split delimiter names it. */
static const char *route_zone_delimiter(json_t *route)
{
	json_t *v = json_object_get(json_object_get(route, "Properties"), "VpcEndpointId");
	json_t *outer = json_array_get(json_object_get(v, "Fn::Select"), 1);
	json_t *tail = json_array_get(json_object_get(json_array_get(json_object_get(outer, "Fn::Split"), 1),
						      "Fn::Select"), 1);
	return json_string_value(json_array_get(json_object_get(tail, "Fn::Split"), 0));
}

static void test_restricted_egress(void **state)
{
	(void)state;
	struct built b;
	build(&b, "restricted-egress");
	assert_int_equal(count_type(&b, "AWS::EC2::NatGateway"), 1);
	assert_int_equal(count_type(&b, "AWS::EC2::EIP"), 1);
	/* One firewall, a subnet mapping in each zone. */
	assert_int_equal(count_type(&b, "AWS::NetworkFirewall::Firewall"), 1);
	json_t *fw = first_of(&b, "AWS::NetworkFirewall::Firewall");
	assert_int_equal(json_array_size(json_object_get(fw, "SubnetMappings")), 2);
	/* The domain list: allowlist on SNI and Host, strict order. */
	json_t *rg = json_object_get(first_of(&b, "AWS::NetworkFirewall::RuleGroup"), "RuleGroup");
	json_t *list = json_object_get(json_object_get(rg, "RulesSource"), "RulesSourceList");
	assert_string_equal(json_string_value(json_object_get(list, "GeneratedRulesType")), "ALLOWLIST");
	assert_int_equal(json_array_size(json_object_get(list, "Targets")), 2);
	assert_int_equal(json_array_size(json_object_get(list, "TargetTypes")), 2);
	json_t *pol = json_object_get(first_of(&b, "AWS::NetworkFirewall::FirewallPolicy"), "FirewallPolicy");
	assert_string_equal(json_string_value(json_array_get(json_object_get(pol, "StatefulDefaultActions"), 0)),
			    "aws:drop_established");
	assert_string_equal(json_string_value(json_array_get(json_object_get(pol, "StatelessDefaultActions"), 0)),
			    "aws:forward_to_sfe");
	/* Private subnets leave through their own zone's endpoint, not the NAT gateway. */
	assert_null(json_object_get(b.res, "PrivateANatRoute"));
	assert_null(json_object_get(b.res, "PrivateBNatRoute"));
	assert_string_equal(route_zone_delimiter(json_object_get(b.res, "PrivateAFirewallRoute")), ",us-west-2a:");
	assert_string_equal(route_zone_delimiter(json_object_get(b.res, "PrivateBFirewallRoute")), ",us-west-2b:");
	/* Replies come back through the same zone's endpoint. */
	assert_string_equal(route_zone_delimiter(json_object_get(b.res, "PublicPrivateAReturnRoute")), ",us-west-2a:");
	assert_string_equal(route_zone_delimiter(json_object_get(b.res, "PublicPrivateBReturnRoute")), ",us-west-2b:");
	/* The firewall subnets go on to the NAT gateway. */
	assert_non_null(json_object_get(b.res, "EgressNatRouteA"));
	assert_non_null(json_object_get(b.res, "EgressNatRouteB"));
	/* The notebook's group sends HTTPS only, anywhere: the firewall decides by name. */
	json_t *sg = json_object_get(json_object_get(b.res, "TrainerNotebookSecurityGroup"), "Properties");
	size_t i;
	json_t *rule;
	bool anywhere = false;
	json_array_foreach(json_object_get(sg, "SecurityGroupEgress"), i, rule) {
		assert_int_equal(json_integer_value(json_object_get(rule, "FromPort")), 443);
		assert_int_equal(json_integer_value(json_object_get(rule, "ToPort")), 443);
		anywhere |= json_object_get(rule, "CidrIp") &&
			    strcmp(json_string_value(json_object_get(rule, "CidrIp")), "0.0.0.0/0") == 0;
	}
	assert_true(anywhere);
	assert_int_equal(count_type(&b, "AWS::Route53Resolver::FirewallRuleGroupAssociation"), 1);
	done(&b);
}

static void test_remote_access(void **state)
{
	(void)state;
	struct built b;
	build(&b, "studio-remote-access");
	json_t *sp = first_of(&b, "AWS::SageMaker::Space");
	json_t *settings = json_object_get(sp, "SpaceSettings");
	assert_string_equal(json_string_value(json_object_get(settings, "RemoteAccess")), "ENABLED");
	/* The execution role's, the Studio apps', the developer's and the flow logs'. */
	assert_int_equal(count_type(&b, "AWS::IAM::ManagedPolicy"), 4);
	assert_true(has_endpoint(&b, "com.amazonaws.${AWS::Region}.ssm"));
	assert_true(has_endpoint(&b, "com.amazonaws.${AWS::Region}.ssmmessages"));
	bool connect = false, config = false;
	for (size_t k = 0; k < b.c.tmpl->files.n; k++) {
		const struct cfn_file *f = b.c.tmpl->files.items[k];
		connect |= strcmp(f->path, "remote/carol-remote-connect.sh") == 0;
		config |= strcmp(f->path, "remote/carol-remote.ssh_config") == 0;
	}
	assert_true(connect);
	assert_true(config);
	/* ssh expands no %d in ProxyCommand; the shell expands ~. */
	const struct cfn_file *f = file_named(&b, "remote/carol-remote.ssh_config");
	assert_non_null(strstr(f->text, "    ProxyCommand ~/.ssh/sgc/devbox-carol-remote-connect.sh\n"));
	assert_null(strstr(f->text, "%d"));
	assert_non_null(file_named(&b, "remote/carol-remote.vscode-settings.json"));
	/* The connect script asks the CLI for the operation, not for a version. */
	f = file_named(&b, "remote/carol-remote-connect.sh");
	assert_non_null(strstr(f->text, "aws sagemaker start-session --generate-cli-skeleton"));
	assert_null(strstr(f->text, "aws-cli/2"));
	done(&b);
}

/* Every lifecycle script starts with a shebang and strict mode. */
static void test_scripts_are_strict(void **state)
{
	(void)state;
	static const char *const names[] = { "private-notebook-codeartifact", "studio-public",
					     "restricted-egress", "studio-remote-access" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		struct built b;
		build(&b, names[i]);
		size_t scripts = 0;
		for (size_t k = 0; k < b.c.tmpl->files.n; k++) {
			const struct cfn_file *f = b.c.tmpl->files.items[k];
			if (strncmp(f->path, "lifecycle/", 10) != 0)
				continue;
			scripts++;
			assert_memory_equal(f->text, "#!/bin/bash\n", 12);
			assert_non_null(strstr(f->text, "\nset -euo pipefail\n"));
			assert_true(f->executable);
		}
		assert_true(scripts > 0);
		done(&b);
	}
}

/* ---- scanner suppressions (suppress.h) ---- */

static const struct sup_row *row_with_rule(const char *id)
{
	size_t n;
	const struct sup_row *t = sup_table(&n);
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < SUP_MAX_RULES && t[i].rules[k]; k++)
			if (strcmp(t[i].rules[k], id) == 0)
				return &t[i];
	return NULL;
}

/* The IAM5 row whose pattern covers `AwsSolutions-IAM5[Resource::X]`, by X. */
static const struct sup_row *iam5_row(const char *id)
{
	static const char prefix[] = "AwsSolutions-IAM5[Resource::";
	size_t n = strlen(id);
	if (strncmp(id, prefix, sizeof prefix - 1) != 0 || id[n - 1] != ']')
		return NULL;
	char res[512];
	snprintf(res, sizeof res, "%.*s", (int)(n - sizeof prefix), id + sizeof prefix - 1);
	size_t nt;
	const struct sup_row *t = sup_table(&nt);
	for (size_t i = 0; i < nt; i++) {
		if (!t[i].resource_pattern)
			continue;
		const struct sup_row *r = sup_iam5_row(res, t[i].actions, t[i].actions[0] ? 1 : 0);
		if (r)
			return r;
	}
	return NULL;
}

/*
 * Every suppression in every example's template comes from the table:
 * each cdk-nag id is a row's rule (or an IAM5 finding a row's pattern
 * covers) with that row's reason, of 10 characters or more (cdk-nag
 * ignores shorter ones); each cfn-guard id is a row's rule. And every
 * example suppresses something, so the walk cannot pass empty.
 */
static void test_suppressions_from_the_table(void **state)
{
	(void)state;
	static const char *const names[] = { "isolated-network", "private-notebook-codeartifact",
		"studio-vpc-only", "studio-public", "restricted-egress", "studio-remote-access" };
	for (size_t e = 0; e < sizeof names / sizeof names[0]; e++) {
		struct built b;
		build(&b, names[e]);
		size_t seen = 0;
		const char *key;
		json_t *r;
		json_object_foreach(b.res, key, r) {
			json_t *meta = json_object_get(r, "Metadata");
			size_t i;
			json_t *x;
			json_array_foreach(json_object_get(json_object_get(meta, "cdk_nag"), "rules_to_suppress"), i, x) {
				const char *id = json_string_value(json_object_get(x, "id"));
				const char *reason = json_string_value(json_object_get(x, "reason"));
				assert_non_null(id);
				assert_non_null(reason);
				const struct sup_row *row = row_with_rule(id);
				if (!row)
					row = iam5_row(id);
				if (!row)
					fail_msg("%s: %s suppresses %s, which no table row lists", names[e], key, id);
				if (strlen(reason) < 10 || strncmp(reason, row->reason, strlen(row->reason)) != 0)
					fail_msg("%s: %s: reason of %s is not row %s's: %s", names[e], key, id,
						 row->name, reason);
				seen++;
			}
			json_array_foreach(json_object_get(json_object_get(meta, "guard"), "SuppressedRules"), i, x) {
				const char *id = json_string_value(x);
				assert_non_null(id);
				if (!row_with_rule(id))
					fail_msg("%s: %s suppresses %s, which no table row lists", names[e], key, id);
				seen++;
			}
		}
		assert_true(seen > 0);
		done(&b);
	}
}

/* docs/compliance.md prints the table as the compiler holds it. */
static void test_compliance_doc_prints_the_table(void **state)
{
	(void)state;
	FILE *f = fopen("docs/compliance.md", "rb");
	assert_non_null(f);
	static char doc[1 << 17];
	size_t n = fread(doc, 1, sizeof doc - 1, f);
	fclose(f);
	doc[n] = '\0';
	char *table = sup_table_markdown();
	assert_non_null(table);
	if (!strstr(doc, table))
		fail_msg("docs/compliance.md does not hold the table; write there:\n%s", table);
	free(table);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_private_notebook),
		cmocka_unit_test(test_studio_vpc_only),
		cmocka_unit_test(test_studio_public),
		cmocka_unit_test(test_restricted_egress),
		cmocka_unit_test(test_remote_access),
		cmocka_unit_test(test_scripts_are_strict),
		cmocka_unit_test(test_suppressions_from_the_table),
		cmocka_unit_test(test_compliance_doc_prints_the_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
