/*
 * test_iam.c - unit tests for the IAM needs table (compiler/iam.c): small
 * environments are compiled, their report rendered as `sgc iam --format
 * json` prints it, parsed back, and searched for the requests each
 * declared capability must (or must not) be allowed to make.
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
#include "iam.h"

#define NETWORK \
	"  network vpc {\n" \
	"    cidr = 10.0.0.0/16\n" \
	"    isolation = isolated\n" \
	"    subnet a { cidr = 10.0.1.0/24  zone = a }\n" \
	"    subnet b { cidr = 10.0.2.0/24  zone = b }\n" \
	"    endpoints = std.endpoints.notebook + std.endpoints.codeartifact + std.endpoints.studio\n" \
	"              + std.endpoints.remote_access + std.endpoints.ecr + [logs, kms]\n" \
	"  }\n"
#define ENV(body) \
	"import std.endpoints\n" \
	"import std.lifecycle\n" \
	"environment e {\n" \
	"  region = \"us-east-1\"\n" \
	NETWORK \
	body \
	"}\n"

static const char notebook_src[] = ENV(
	"  codeartifact ca {\n"
	"    repository store { external = pypi }\n"
	"    repository pkgs { upstream = store }\n"
	"  }\n"
	"  notebook nb {\n"
	"    instance = ml.t3.medium\n"
	"    subnet   = vpc.a\n"
	"    on_start = [std.lifecycle.pip_from(codeartifact.ca.pkgs), std.lifecycle.idle_stop(1h)]\n"
	"    allow {\n"
	"      actions   = [\"s3:GetObject\"]\n"
	"      resources = [\"arn:aws:s3:::public-data/*\"]\n"
	"    }\n"
	"  }\n");

static const char studio_src[] = ENV(
	"  kms_key k {}\n"
	"  ecr_repository images {}\n"
	"  studio s {\n"
	"    subnets = [vpc.a, vpc.b]\n"
	"    kms_key = k\n"
	"    docker  = %s\n"
	"    uses    = [ecr_repository.images]\n"
	"    user ann {}\n"
	"    space ann_lab {\n"
	"      owner = ann\n"
	"      app = code_editor\n"
	"      instance = ml.t3.large\n"
	"      remote_access = true\n"
	"    }\n"
	"  }\n");

/* Every kind a workload can use, each encrypted with a key; one key also used directly. */
static const char uses_src[] =
	"import std.endpoints\n"
	"environment e {\n"
	"  region = \"us-east-1\"\n"
	"  network vpc {\n"
	"    cidr = 10.0.0.0/16\n"
	"    isolation = isolated\n"
	"    subnet a { cidr = 10.0.1.0/24  zone = a }\n"
	"    endpoints = std.endpoints.notebook + std.endpoints.codeartifact + std.endpoints.ecr\n"
	"              + [logs, kms, secretsmanager]\n"
	"  }\n"
	"  kms_key k {}\n"
	"  kms_key k2 {}\n"
	"  codeartifact ca {\n"
	"    kms_key = k2\n"
	"    repository pkgs { external = pypi }\n"
	"  }\n"
	"  bucket data { kms_key = k }\n"
	"  ecr_repository images { kms_key = k }\n"
	"  secret token { kms_key = k2 }\n"
	"  notebook nb {\n"
	"    instance = ml.t3.medium\n"
	"    subnet   = vpc.a\n"
	"    uses     = [bucket.data, secret.token, ecr_repository.images, codeartifact.ca.pkgs, kms_key.k]\n"
	"  }\n"
	"}\n";

/* The report of `src` as JSON, parsed back; NULL (and a failed test) if it does not compile. */
static json_t *report(const char *src)
{
	struct compile c;
	compile_init(&c);
	bool ok = compile_text(&c, "t.sgl", src, strlen(src), COMPILE_LOWER);
	if (!ok) {
		struct diag_render_opts o = { .color = false, .cap = 0 };
		diag_render_text(stderr, &c.diags, &c.src, &o);
		compile_free(&c);
		fail_msg("compile failed");
	}
	struct iam_report *r = iam_report(c.arena, c.env, c.tmpl, &c.src);
	size_t n;
	char *text = emit_value_json(iam_report_value(c.arena, r, c.env, &c.src), &n);
	json_error_t err;
	json_t *root = json_loads(text, 0, &err);
	free(text);
	compile_free(&c);
	assert_non_null(root);
	return root;
}

static const char *resource_text(json_t *row)
{
	json_t *res = json_object_get(row, "resource");
	if (json_is_string(res))
		return json_string_value(res);
	return json_string_value(json_object_get(res, "Fn::Sub"));
}

/* The first row of `list` with this identity, action and a resource containing `part`. */
static json_t *find(json_t *root, const char *list, const char *identity, const char *action,
		    const char *part)
{
	size_t i;
	json_t *row;
	json_array_foreach(json_object_get(root, list), i, row) {
		if (strcmp(json_string_value(json_object_get(row, "identity")), identity) == 0 &&
		    strcmp(json_string_value(json_object_get(row, "action")), action) == 0 &&
		    strstr(resource_text(row), part))
			return row;
	}
	return NULL;
}

/* How many rows of `list` match, as find() matches. */
static size_t count(json_t *root, const char *list, const char *identity, const char *action,
		    const char *part)
{
	size_t i, n = 0;
	json_t *row;
	json_array_foreach(json_object_get(root, list), i, row) {
		n += strcmp(json_string_value(json_object_get(row, "identity")), identity) == 0 &&
		     strcmp(json_string_value(json_object_get(row, "action")), action) == 0 &&
		     strstr(resource_text(row), part);
	}
	return n;
}

static json_t *identity(json_t *root, const char *id)
{
	size_t i;
	json_t *x;
	json_array_foreach(json_object_get(root, "identities"), i, x)
		if (strcmp(json_string_value(json_object_get(x, "id")), id) == 0)
			return x;
	return NULL;
}

static bool lists(json_t *arr, const char *s)
{
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x)
		if (strcmp(json_string_value(x), s) == 0)
			return true;
	return false;
}

static void test_pip_from_needs_token_endpoint_and_read(void **state)
{
	(void)state;
	json_t *root = report(notebook_src);
	assert_int_equal(json_integer_value(json_object_get(root, "version")), 1);
	json_t *row = find(root, "needs", "NbNotebookRole", "codeartifact:GetAuthorizationToken",
			   ":domain/ca");
	assert_non_null(row);
	assert_string_equal(json_string_value(json_object_get(row, "by")), "script");
	assert_string_equal(json_string_value(json_object_get(row, "capability")), "pip_from");
	assert_int_equal(json_integer_value(json_object_get(row, "line")), 20);
	assert_non_null(find(root, "needs", "NbNotebookRole", "codeartifact:GetRepositoryEndpoint",
			     ":repository/ca/pkgs"));
	assert_non_null(find(root, "needs", "NbNotebookRole", "codeartifact:ReadFromRepository",
			     ":repository/ca/pkgs"));
	row = find(root, "needs", "NbNotebookRole", "sts:GetServiceBearerToken", "*");
	assert_non_null(row);
	assert_string_equal(json_string_value(json_object_get(json_object_get(row, "context"),
							      "sts:AWSServiceName")),
			    "codeartifact.amazonaws.com");
	json_decref(root);
}

static void test_idle_stop_own_notebook_only(void **state)
{
	(void)state;
	json_t *root = report(notebook_src);
	json_t *row = find(root, "needs", "NbNotebookRole", "sagemaker:StopNotebookInstance",
			   "${NbNotebook}");
	assert_non_null(row);
	assert_non_null(find(root, "forbidden", "NbNotebookRole", "sagemaker:StopNotebookInstance",
			     "notebook-instance/another-notebook"));
	json_t *id = identity(root, "NbNotebookRole");
	assert_non_null(id);
	assert_true(lists(json_object_get(id, "policies"), "NbNotebookRole"));
	assert_true(lists(json_object_get(id, "policies"), "NbNotebookIdleStopPolicy"));
	assert_true(lists(json_object_get(id, "scripts"), "lifecycle/nb-on-start.sh"));
	json_decref(root);
}

static void test_allow_block_is_a_declared_need(void **state)
{
	(void)state;
	json_t *root = report(notebook_src);
	json_t *row = find(root, "needs", "NbNotebookRole", "s3:GetObject", "public-data/*");
	assert_non_null(row);
	assert_string_equal(json_string_value(json_object_get(row, "by")), "declaration");
	assert_string_equal(json_string_value(json_object_get(row, "source")), "t.sgl:21");
	json_decref(root);
}

static json_t *studio_report(const char *docker)
{
	char src[sizeof studio_src + 8];
	snprintf(src, sizeof src, studio_src, docker);
	return report(src);
}

static void test_domain_key_grant_for_every_app_starter(void **state)
{
	(void)state;
	json_t *root = studio_report("false");
	const char *who[] = { "SExecutionRole", "AnnLabRemoteAccessPolicy" };
	for (size_t i = 0; i < 2; i++) {
		json_t *row = find(root, "needs", who[i], "kms:CreateGrant", "${KKey.Arn}");
		assert_non_null(row);
		assert_string_equal(json_string_value(json_object_get(json_object_get(row, "context"),
								      "kms:GrantIsForAWSResource")),
				    "true");
		assert_non_null(find(root, "needs", who[i], "kms:DescribeKey", "${KKey.Arn}"));
	}
	json_decref(root);
}

static void test_private_space_of_another_user_is_refused(void **state)
{
	(void)state;
	json_t *root = studio_report("false");
	json_t *row = find(root, "needs", "SExecutionRole", "sagemaker:CreateApp",
			   "app/${SDomain.DomainId}/ann-lab/codeeditor/default");
	assert_non_null(row);
	json_t *ctx = json_object_get(row, "context");
	assert_string_equal(json_string_value(json_object_get(ctx, "sagemaker:UserProfileName")), "ann");
	assert_string_equal(json_string_value(json_object_get(ctx, "sagemaker:SpaceSharingType")), "Private");
	row = find(root, "forbidden", "SExecutionRole", "sagemaker:CreateApp", "someone-else-space");
	assert_non_null(row);
	assert_string_equal(json_string_value(json_object_get(row, "why")), "another user's private space");
	assert_non_null(find(root, "forbidden", "AnnLabRemoteAccessPolicy", "sagemaker:StartSession",
			     "another-space"));
	json_t *dev = identity(root, "AnnLabRemoteAccessPolicy");
	assert_non_null(dev);
	assert_string_equal(json_string_value(json_object_get(dev, "kind")), "developer");
	assert_true(lists(json_object_get(dev, "scripts"), "remote/ann-lab-connect.sh"));
	json_decref(root);
}

static void test_docker_adds_push_to_used_repositories(void **state)
{
	(void)state;
	json_t *root = studio_report("true");
	assert_non_null(find(root, "needs", "SExecutionRole", "ecr:PutImage", "${ImagesEcrRepository.Arn}"));
	assert_non_null(find(root, "needs", "SExecutionRole", "ecr:BatchGetImage", "${ImagesEcrRepository.Arn}"));
	json_decref(root);
	root = studio_report("false");
	assert_null(find(root, "needs", "SExecutionRole", "ecr:PutImage", ""));
	assert_non_null(find(root, "needs", "SExecutionRole", "ecr:BatchGetImage", "${ImagesEcrRepository.Arn}"));
	json_decref(root);
}

static const char *capability(json_t *row)
{
	assert_non_null(row);
	return json_string_value(json_object_get(row, "capability"));
}

/*
 * Each `uses` reference asks for its kind's rows on that resource only,
 * then the key that encrypts it: each key once per role, named as such,
 * whether used directly or through what it encrypts.
 */
static void test_uses_grant_each_resource_and_its_key_once(void **state)
{
	(void)state;
	json_t *root = report(uses_src);
	const char *role = "NbNotebookRole";
	assert_string_equal(capability(find(root, "needs", role, "s3:GetObject", "${DataBucket.Arn}/*")),
			    "uses bucket");
	assert_non_null(find(root, "needs", role, "s3:ListBucket", "${DataBucket.Arn}"));
	assert_string_equal(capability(find(root, "needs", role, "secretsmanager:GetSecretValue",
					    "${TokenSecret}")),
			    "uses secret");
	assert_string_equal(capability(find(root, "needs", role, "ecr:BatchGetImage",
					    "${ImagesEcrRepository.Arn}")),
			    "uses ecr_repository");
	assert_null(find(root, "needs", role, "ecr:PutImage", ""));
	assert_string_equal(capability(find(root, "needs", role, "codeartifact:ReadFromRepository",
					    ":repository/ca/pkgs")),
			    "uses repository");
	assert_string_equal(capability(find(root, "needs", role, "kms:Decrypt", "${KKey.Arn}")),
			    "a resource encrypted with kms_key k");
	assert_string_equal(capability(find(root, "needs", role, "kms:Decrypt", "${K2Key.Arn}")),
			    "a resource encrypted with kms_key k2");
	assert_int_equal(count(root, "needs", role, "kms:Decrypt", "${KKey.Arn}"), 1);
	assert_int_equal(count(root, "needs", role, "kms:Decrypt", "${K2Key.Arn}"), 1);
	assert_int_equal(count(root, "needs", role, "kms:GenerateDataKey", "Key.Arn}"), 2);
	json_decref(root);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pip_from_needs_token_endpoint_and_read),
		cmocka_unit_test(test_idle_stop_own_notebook_only),
		cmocka_unit_test(test_allow_block_is_a_declared_need),
		cmocka_unit_test(test_domain_key_grant_for_every_app_starter),
		cmocka_unit_test(test_private_space_of_another_user_is_refused),
		cmocka_unit_test(test_docker_adds_push_to_used_repositories),
		cmocka_unit_test(test_uses_grant_each_resource_and_its_key_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
