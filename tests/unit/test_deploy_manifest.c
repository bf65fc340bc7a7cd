/*
 * test_deploy_manifest.c - unit tests for compiler/deploy_manifest.c: the
 * capabilities a template needs, the manifest's round trip, and the reader
 * refusing what sgc would not write (the manifest is a file in a working
 * tree: hostile input).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "deploy_manifest.h"

static unsigned caps(const char *json)
{
	return deploy_capabilities(json, strlen(json));
}

static void test_capabilities(void **state)
{
	(void)state;
	assert_int_equal(caps("{\"Resources\": {\"T\": {\"Type\": \"AWS::SNS::Topic\"}}}"), 0);
	assert_int_equal(caps("{\"Resources\": {\"R\": {\"Type\": \"AWS::IAM::Role\", \"Properties\": {}}}}"),
			 DEPLOY_CAP_IAM);
	/* an explicit name: CAPABILITY_NAMED_IAM, for each naming property */
	static const char *const props[] = { "RoleName", "ManagedPolicyName", "GroupName", "UserName",
					     "InstanceProfileName" };
	for (size_t i = 0; i < sizeof props / sizeof props[0]; i++) {
		char t[256];
		snprintf(t, sizeof t, "{\"Resources\": {\"R\": {\"Type\": \"AWS::IAM::X\", \"Properties\": "
				      "{\"%s\": \"n\"}}}}", props[i]);
		assert_int_equal(caps(t), DEPLOY_CAP_IAM | DEPLOY_CAP_NAMED_IAM);
	}
	/* the name of another type's resource is not an IAM name */
	assert_int_equal(caps("{\"Resources\": {\"R\": {\"Type\": \"AWS::SQS::Queue\", \"Properties\": "
			      "{\"RoleName\": \"n\"}}}}"), 0);
	assert_int_equal(caps("{\"Transform\": \"AWS::Serverless-2016-10-31\", \"Resources\": {}}"),
			 DEPLOY_CAP_AUTO_EXPAND);
	assert_int_equal(caps("not json"), 0);
	assert_int_equal(caps("[]"), 0);
}

static void test_round_trip(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct cfn_template t = { 0 };
	struct cv val = { .kind = CV_STR, .u.s = "ml.t3.medium" };
	struct cv_member m = { "InstanceType", &val };
	ptrvec_push(a, &t.param_values, &m);
	size_t len;
	char *text = deploy_manifest_emit("stack.json", "env-dev", "eu-west-1", "dev",
					  DEPLOY_CAP_IAM | DEPLOY_CAP_NAMED_IAM, &t, 51201, &len);
	assert_non_null(text);
	assert_int_equal(text[len - 1], '\n');
	struct deploy_manifest d;
	char err[256];
	assert_true(deploy_manifest_read(text, len, &d, err, sizeof err));
	assert_string_equal(d.template, "stack.json");
	assert_string_equal(d.stack_name, "env-dev");
	assert_string_equal(d.region, "eu-west-1");
	assert_string_equal(d.stage, "dev");
	assert_int_equal(d.capabilities, DEPLOY_CAP_IAM | DEPLOY_CAP_NAMED_IAM);
	assert_string_equal(json_string_value(json_object_get(d.parameters, "InstanceType")), "ml.t3.medium");
	assert_int_equal(d.template_bytes, 51201);
	assert_true(d.needs_s3_upload);
	json_decref(d.root);
	free(text);
	/* at the limit: inline */
	text = deploy_manifest_emit("s.yaml", "env", "eu-west-1", NULL, 0, &t, 51200, &len);
	assert_true(deploy_manifest_read(text, len, &d, err, sizeof err));
	assert_null(d.stage);
	assert_false(d.needs_s3_upload);
	json_decref(d.root);
	free(text);
	arena_free(a);
}

/* Each line a manifest that must be refused, with the word its message must hold. */
static void test_refused(void **state)
{
	(void)state;
	static const struct {
		const char *json, *word;
	} bad[] = {
		{ "[", "not JSON" },
		{ "[]", "object" },
		{ "{\"version\": 2}", "version" },
		{ "{\"version\": 1, \"template\": \"../x.json\"}", "template" },
		{ "{\"version\": 1, \"template\": \"..\"}", "template" },
		{ "{\"version\": 1, \"template\": \"a\\nb\"}", "template" },
		{ "{\"version\": 1, \"template\": \"s.json\", \"stack_name\": \"1x\"}", "stack_name" },
		{ "{\"version\": 1, \"template\": \"s.json\", \"stack_name\": \"x;rm\"}", "stack_name" },
		{ "{\"version\": 1, \"template\": \"s.json\", \"stack_name\": \"x\", \"region\": \"EU\"}", "region" },
		{ "{\"version\": 1, \"template\": \"s.json\", \"stack_name\": \"x\", \"region\": \"eu-west-1\", "
		  "\"stage\": \"Prod\"}", "stage" },
		{ "{\"version\": 1, \"template\": \"s.json\", \"stack_name\": \"x\", \"region\": \"eu-west-1\", "
		  "\"stage\": null, \"capabilities\": [\"CAPABILITY_ALL\"]}", "capabilities" },
		{ "{\"version\": 1, \"template\": \"s.json\", \"stack_name\": \"x\", \"region\": \"eu-west-1\", "
		  "\"stage\": null, \"capabilities\": [], \"parameters\": {\"a-b\": \"v\"}}", "alphanumeric" },
		{ "{\"version\": 1, \"template\": \"s.json\", \"stack_name\": \"x\", \"region\": \"eu-west-1\", "
		  "\"stage\": null, \"capabilities\": [], \"parameters\": {\"A\": 1}}", "not a string" },
		{ "{\"version\": 1, \"template\": \"s.json\", \"stack_name\": \"x\", \"region\": \"eu-west-1\", "
		  "\"stage\": null, \"capabilities\": [], \"parameters\": {\"A\": \"a\\u0000b\"}}", "not JSON" },
		{ "{\"version\": 1, \"template\": \"s.json\", \"stack_name\": \"x\", \"region\": \"eu-west-1\", "
		  "\"stage\": null, \"capabilities\": [], \"parameters\": {}, \"template_bytes\": -1}", "template_bytes" },
		{ "{\"version\": 1, \"template\": \"s.json\", \"stack_name\": \"x\", \"region\": \"eu-west-1\", "
		  "\"stage\": null, \"capabilities\": [], \"parameters\": {}, \"template_bytes\": 1}", "needs_s3_upload" },
		{ "{\"version\": 1, \"version\": 1}", "not JSON" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct deploy_manifest d;
		char err[256] = "";
		bool ok = deploy_manifest_read(bad[i].json, strlen(bad[i].json), &d, err, sizeof err);
		json_decref(d.root);
		if (ok || !strstr(err, bad[i].word))
			fail_msg("manifest %zu (%s): %s, message `%s` lacks `%s`", i, bad[i].json,
				 ok ? "accepted" : "refused", err, bad[i].word);
	}
	/* the twin: the last one completed is accepted */
	const char *good = "{\"version\": 1, \"template\": \"s.json\", \"stack_name\": \"x\", \"region\": "
			   "\"eu-west-1\", \"stage\": null, \"capabilities\": [], \"parameters\": {}, "
			   "\"template_bytes\": 1, \"needs_s3_upload\": false}";
	struct deploy_manifest d;
	char err[256];
	assert_true(deploy_manifest_read(good, strlen(good), &d, err, sizeof err));
	json_decref(d.root);
}

static void test_manifest_beside(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "out/stack.json", "out/stack.deploy.json" },
		{ "stack.yaml", "stack.deploy.json" },
		{ "a.b/s.yml", "a.b/s.deploy.json" },
		{ "x/tmpl", "x/tmpl.deploy.json" },
		{ "x/.json", "x/.json.deploy.json" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = deploy_manifest_beside(cases[i][0]);
		assert_string_equal(got, cases[i][1]);
		free(got);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capabilities),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_manifest_beside),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
