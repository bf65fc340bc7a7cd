/*
 * test_diff.c - unit tests for `sgc diff` (compiler/diff.c, diff_load.c,
 * diff_render.c, create_only.c): the schema table covers every type sgc
 * emits, property diffs, replacement and its cascade, base64 equality,
 * get-template unwrapping, short-form YAML tags, errors with locations.
 * Run from the repository root (make unit does).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compile.h"
#include "diff.h"

static json_t *load(const char *text)
{
	struct diff_error err;
	json_t *t = diff_load(text, strlen(text), &err);
	if (!t)
		fprintf(stderr, "load: %d:%d: %s\n", err.line, err.column, err.message);
	assert_non_null(t);
	return t;
}

static json_t *report_of(const char *old, const char *new)
{
	json_t *a = load(old), *b = load(new);
	json_t *r = diff_templates(a, b);
	json_decref(a);
	json_decref(b);
	return r;
}

/* The entry of resource `id` in the report, or NULL. */
static json_t *resource(const json_t *report, const char *id)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(report, "resources"), i, e)
		if (strcmp(json_string_value(json_object_get(e, "id")), id) == 0)
			return e;
	return NULL;
}

static const char *action(const json_t *report, const char *id)
{
	json_t *e = resource(report, id);
	return e ? json_string_value(json_object_get(e, "action")) : "unchanged";
}

static size_t summary(const json_t *report, const char *key)
{
	return (size_t)json_integer_value(json_object_get(json_object_get(report, "summary"), key));
}

/* ---- the table ------------------------------------------------------------ */

static void check_type_known(const char *type, const char *where)
{
	if (!diff_schema_find(type))
		fail_msg("%s emits %s, which compiler/create_only.c does not know: "
			 "add its schema and run tools/gen_create_only.py", where, type);
}

/* Every "AWS::Service::Type" literal in the compiler's sources is in the table. */
static void test_table_covers_source_types(void **state)
{
	(void)state;
	regex_t re;
	assert_int_equal(regcomp(&re, "\"(AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)\"", REG_EXTENDED), 0);
	static const char *const dirs[] = { "compiler", "compiler/kinds" };
	size_t seen = 0;
	for (size_t d = 0; d < 2; d++) {
		DIR *dir = opendir(dirs[d]);
		assert_non_null(dir);
		struct dirent *de;
		while ((de = readdir(dir))) {
			size_t n = strlen(de->d_name);
			if (n < 3 || strcmp(de->d_name + n - 2, ".c") != 0 ||
			    strcmp(de->d_name, "create_only.c") == 0)
				continue;
			char path[512];
			snprintf(path, sizeof path, "%s/%s", dirs[d], de->d_name);
			FILE *f = fopen(path, "r");
			assert_non_null(f);
			char line[4096];
			while (fgets(line, sizeof line, f)) {
				regmatch_t m[2];
				for (const char *p = line; regexec(&re, p, 2, m, 0) == 0; p += m[0].rm_eo) {
					char type[128];
					snprintf(type, sizeof type, "%.*s", (int)(m[1].rm_eo - m[1].rm_so), p + m[1].rm_so);
					check_type_known(type, path);
					seen++;
				}
			}
			fclose(f);
		}
		closedir(dir);
	}
	regfree(&re);
	assert_true(seen >= 30); /* the scan found the kinds' types at all */
}

/* Every type in every example's template is in the table. */
static void test_table_covers_example_types(void **state)
{
	(void)state;
	DIR *dir = opendir("examples");
	assert_non_null(dir);
	struct dirent *de;
	size_t n_examples = 0;
	while ((de = readdir(dir))) {
		size_t n = strlen(de->d_name);
		if (n < 5 || strcmp(de->d_name + n - 4, ".sgl") != 0)
			continue;
		char path[512];
		snprintf(path, sizeof path, "examples/%s", de->d_name);
		FILE *f = fopen(path, "rb");
		assert_non_null(f);
		static char text[1 << 20];
		size_t len = fread(text, 1, sizeof text - 1, f);
		fclose(f);
		text[len] = '\0';
		struct compile c;
		compile_init(&c);
		assert_true(compile_text(&c, path, text, len, COMPILE_LOWER));
		json_t *t = load(c.json);
		const char *id;
		json_t *r;
		json_object_foreach(json_object_get(t, "Resources"), id, r)
			check_type_known(json_string_value(json_object_get(r, "Type")), path);
		/* A template diffed with itself: nothing. */
		json_t *rep = diff_templates(t, t);
		assert_int_equal(json_array_size(json_object_get(rep, "resources")), 0);
		assert_int_equal(summary(rep, "other"), 0);
		json_decref(rep);
		json_decref(t);
		compile_free(&c);
		n_examples++;
	}
	closedir(dir);
	assert_true(n_examples >= 6);
}

static void test_table_rows(void **state)
{
	(void)state;
	const struct diff_schema_type *vpc = diff_schema_find("AWS::EC2::VPC");
	assert_non_null(vpc);
	assert_string_equal(vpc->create_only[0], "CidrBlock");
	assert_null(vpc->name_property);
	assert_string_equal(diff_schema_find("AWS::S3::Bucket")->name_property, "BucketName");
	assert_string_equal(diff_schema_find("AWS::EC2::SecurityGroup")->name_property, "GroupName");
	assert_null(diff_schema_find("AWS::EC2::InternetGateway")->create_only[0]);
	assert_null(diff_schema_find("AWS::Nope::Nope"));
}

/* ---- property diff ------------------------------------------------------- */

static const char base_tmpl[] =
	"{\"Resources\": {"
	" \"Vpc\": {\"Type\": \"AWS::EC2::VPC\", \"Properties\": {\"CidrBlock\": \"10.0.0.0/16\","
	"   \"EnableDnsSupport\": true}},"
	" \"Subnet\": {\"Type\": \"AWS::EC2::Subnet\", \"Properties\": {\"VpcId\": {\"Ref\": \"Vpc\"},"
	"   \"CidrBlock\": \"10.0.1.0/24\"}},"
	" \"Assoc\": {\"Type\": \"AWS::EC2::SubnetRouteTableAssociation\", \"Properties\": {"
	"   \"SubnetId\": {\"Ref\": \"Subnet\"}, \"RouteTableId\": \"rtb-1\"}},"
	" \"Sg\": {\"Type\": \"AWS::EC2::SecurityGroup\", \"Properties\": {\"GroupDescription\": \"d\","
	"   \"VpcId\": \"vpc-fixed\", \"Tags\": [{\"Key\": \"v\", \"Value\": {\"Fn::Sub\": \"${Vpc}\"}}]}}"
	"},"
	" \"Outputs\": {\"VpcId\": {\"Value\": {\"Ref\": \"Vpc\"}}}}";

static void test_modified_property(void **state)
{
	(void)state;
	char *new = strdup(base_tmpl);
	char *p = strstr(new, "\"EnableDnsSupport\": true");
	memcpy(p + strlen("\"EnableDnsSupport\": "), "1   ", 4); /* 1 is not true */
	json_t *r = report_of(base_tmpl, new);
	assert_string_equal(action(r, "Vpc"), "modified");
	json_t *c = json_array_get(json_object_get(resource(r, "Vpc"), "changes"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "path")), "Properties.EnableDnsSupport");
	assert_string_equal(action(r, "Subnet"), "unchanged");
	assert_int_equal(summary(r, "modified"), 1);
	assert_int_equal(summary(r, "replaced"), 0);
	json_decref(r);
	free(new);
}

static void test_added_removed(void **state)
{
	(void)state;
	json_t *r = report_of("{\"Resources\": {\"A\": {\"Type\": \"AWS::S3::Bucket\", \"DeletionPolicy\": \"Retain\"},"
			      " \"B\": {\"Type\": \"AWS::Logs::LogGroup\"}}}",
			      "{\"Resources\": {\"C\": {\"Type\": \"AWS::S3::Bucket\"}}}");
	assert_string_equal(action(r, "A"), "removed");
	assert_string_equal(action(r, "B"), "removed");
	assert_string_equal(action(r, "C"), "added");
	assert_non_null(json_object_get(resource(r, "A"), "orphaned"));
	assert_null(json_object_get(resource(r, "A"), "loses"));
	assert_null(json_object_get(resource(r, "B"), "orphaned"));
	assert_non_null(strstr(json_string_value(json_object_get(resource(r, "B"), "loses")), "log event"));
	json_decref(r);
}

/* Numbers and their text are one value to CloudFormation. */
static void test_scalars_loosely_equal(void **state)
{
	(void)state;
	json_t *a = json_integer(443), *b = json_string("443"), *c = json_real(443.0), *d = json_string("444");
	assert_true(diff_values_equal(a, b));
	assert_true(diff_values_equal(a, c));
	assert_false(diff_values_equal(a, d));
	json_t *t = json_true(), *ts = json_string("true");
	assert_true(diff_values_equal(t, ts));
	assert_false(diff_values_equal(t, a));
	json_decref(a), json_decref(b), json_decref(c), json_decref(d), json_decref(ts);
}

/* ---- replacement and cascade ---------------------------------------------- */

static void test_replacement_cascades(void **state)
{
	(void)state;
	char *new = strdup(base_tmpl);
	char *p = strstr(new, "10.0.0.0/16");
	p[3] = '9'; /* 10.9.0.0/16 */
	json_t *r = report_of(base_tmpl, new);
	assert_string_equal(action(r, "Vpc"), "replaced");
	/* Subnet.VpcId is create-only and refers to Vpc: replaced too; Assoc.SubnetId to Subnet. */
	assert_string_equal(action(r, "Subnet"), "replaced");
	assert_string_equal(action(r, "Assoc"), "replaced");
	json_t *why = json_array_get(json_object_get(resource(r, "Assoc"), "replaced_because"), 0);
	assert_string_equal(json_string_value(json_object_get(why, "refers_to")), "Subnet");
	assert_string_equal(json_string_value(json_object_get(why, "path")), "Properties.SubnetId");
	/* Sg refers to Vpc only in Tags (not create-only): updated in place. */
	assert_string_equal(action(r, "Sg"), "modified");
	json_t *c = json_array_get(json_object_get(resource(r, "Sg"), "changes"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "follows")), "Vpc");
	assert_int_equal(summary(r, "replaced"), 3);
	assert_int_equal(summary(r, "replaced_by_cascade"), 2);
	/* The output's value follows the new VPC. */
	json_t *out = json_array_get(json_object_get(r, "outputs"), 0);
	assert_string_equal(json_string_value(json_object_get(out, "id")), "VpcId");
	json_decref(r);
	free(new);
}

/* A reference through Fn::Sub or Fn::GetAtt in a create-only property cascades as well. */
static void test_cascade_through_sub_and_getatt(void **state)
{
	(void)state;
	const char *old =
		"{\"Resources\": {\"K\": {\"Type\": \"AWS::KMS::Key\"},"
		" \"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"BucketName\": \"b\"}},"
		" \"R\": {\"Type\": \"AWS::ECR::Repository\", \"Properties\": {\"EncryptionConfiguration\":"
		"   {\"EncryptionType\": \"KMS\", \"KmsKey\": {\"Fn::GetAtt\": [\"K\", \"Arn\"]}}}},"
		" \"L\": {\"Type\": \"AWS::Logs::LogGroup\", \"Properties\": {\"LogGroupName\": {\"Fn::Sub\": \"/x/${B}\"}}}}}";
	const char *new =
		"{\"Resources\": {\"K\": {\"Type\": \"AWS::KMS::Key\"},"
		" \"B\": {\"Type\": \"AWS::S3::Bucket\", \"Properties\": {\"BucketName\": \"b2\"}},"
		" \"R\": {\"Type\": \"AWS::ECR::Repository\", \"Properties\": {\"EncryptionConfiguration\":"
		"   {\"EncryptionType\": \"KMS\", \"KmsKey\": {\"Fn::GetAtt\": [\"K\", \"Arn\"]}}}},"
		" \"L\": {\"Type\": \"AWS::Logs::LogGroup\", \"Properties\": {\"LogGroupName\": {\"Fn::Sub\": \"/x/${B}\"}}}}}";
	json_t *r = report_of(old, new);
	assert_string_equal(action(r, "B"), "replaced");
	assert_null(json_object_get(resource(r, "B"), "fails")); /* the name changed with it */
	assert_string_equal(action(r, "L"), "replaced");
	assert_string_equal(action(r, "K"), "unchanged");
	assert_string_equal(action(r, "R"), "unchanged");
	json_decref(r);
	/* `${!B}` is a literal, not a reference. */
	json_t *lit = load("{\"Resources\": {}, \"x\": {\"Fn::Sub\": \"${!B}\"}}");
	assert_false(diff_refers_to(json_object_get(lit, "x"), "B"));
	json_t *sub = json_pack("{s:s}", "Fn::Sub", "arn:${B.Arn}/x");
	assert_true(diff_refers_to(sub, "B"));
	assert_false(diff_refers_to(sub, "Bx"));
	json_decref(sub);
	json_decref(lit);
}

/* A replaced resource that keeps its custom name: the update fails. */
static void test_custom_name_fails(void **state)
{
	(void)state;
#define NB_FMT \
		"{\"Resources\": {\"N\": {\"Type\": \"AWS::SageMaker::NotebookInstance\"," \
		" \"UpdateReplacePolicy\": \"%s\", \"Properties\": {\"NotebookInstanceName\": \"nb\"," \
		" \"InstanceType\": \"ml.t3.medium\", \"RoleArn\": \"r\", \"SubnetId\": \"%s\"}}}}"
	char old[1024], new[1024];
	snprintf(old, sizeof old, NB_FMT, "Delete", "subnet-1");
	snprintf(new, sizeof new, NB_FMT, "Delete", "subnet-2");
	json_t *r = report_of(old, new);
	json_t *e = resource(r, "N");
	assert_string_equal(action(r, "N"), "replaced");
	json_t *fails = json_object_get(e, "fails");
	assert_non_null(fails);
	assert_string_equal(json_string_value(json_object_get(fails, "property")), "NotebookInstanceName");
	assert_non_null(strstr(json_string_value(json_object_get(e, "loses")), "ML storage volume"));
	assert_int_equal(summary(r, "failing"), 1);
	json_decref(r);
	/* UpdateReplacePolicy Retain: the old one is orphaned, nothing lost. */
	snprintf(old, sizeof old, NB_FMT, "Retain", "subnet-1");
	snprintf(new, sizeof new, NB_FMT, "Retain", "subnet-2");
	r = report_of(old, new);
	assert_non_null(json_object_get(resource(r, "N"), "orphaned"));
	assert_null(json_object_get(resource(r, "N"), "loses"));
	json_decref(r);
}

static void test_type_change_replaces(void **state)
{
	(void)state;
	json_t *r = report_of("{\"Resources\": {\"X\": {\"Type\": \"AWS::SSM::Parameter\"}}}",
			      "{\"Resources\": {\"X\": {\"Type\": \"AWS::Logs::LogGroup\"}}}");
	assert_string_equal(action(r, "X"), "replaced");
	json_decref(r);
	/* No Type on either side (found by fuzz_diff): the same, not a type change. */
	r = report_of("{\"Resources\": {\"X\": {\"Properties\": {}}}}", "{\"Resources\": {\"X\": {\"Properties\": {}}}}");
	assert_string_equal(action(r, "X"), "unchanged");
	json_decref(r);
}

/* ---- base64 --------------------------------------------------------------- */

static void test_base64_equals_fn_base64(void **state)
{
	(void)state;
	/* "#!/bin/bash\necho hi\n" */
	const char *blob = "{\"Resources\": {\"L\": {\"Type\": \"AWS::SageMaker::NotebookInstanceLifecycleConfig\","
			   " \"Properties\": {\"OnStart\": [{\"Content\": \"IyEvYmluL2Jhc2gKZWNobyBoaQo=\"}]}}}}";
	const char *text = "{\"Resources\": {\"L\": {\"Type\": \"AWS::SageMaker::NotebookInstanceLifecycleConfig\","
			   " \"Properties\": {\"OnStart\": [{\"Content\": {\"Fn::Base64\": \"#!/bin/bash\\necho hi\\n\"}}]}}}}";
	json_t *r = report_of(blob, text);
	assert_int_equal(json_array_size(json_object_get(r, "resources")), 0);
	json_decref(r);
	const char *other = "{\"Resources\": {\"L\": {\"Type\": \"AWS::SageMaker::NotebookInstanceLifecycleConfig\","
			    " \"Properties\": {\"OnStart\": [{\"Content\": {\"Fn::Base64\": \"#!/bin/bash\\necho ho\\n\"}}]}}}}";
	r = report_of(blob, other);
	assert_string_equal(action(r, "L"), "modified");
	size_t len;
	char *out = diff_render(r, DIFF_TEXT, "a", "b", &len);
	assert_non_null(strstr(out, "- echo hi\n"));
	assert_non_null(strstr(out, "+ echo ho\n"));
	free(out);
	json_decref(r);
}

static void test_base64_only_text(void **state)
{
	(void)state;
	/* "abcdefgh" has no line break: stays a string. Non-canonical padding bits: stays. */
	json_t *t = load("{\"Resources\": {}, \"a\": \"YWJjZGVmZ2g=\", \"b\": \"IyEvYmluL2Jhc2gKZWNobyBoaQp=\","
			 " \"c\": [\"IyEvYmluL2Jhc2gKZWNobyBoaQo=\"]}");
	assert_true(json_is_string(json_object_get(t, "a")));
	assert_true(json_is_string(json_object_get(t, "b")));
	json_t *c = json_array_get(json_object_get(t, "c"), 0);
	assert_string_equal(json_string_value(json_object_get(c, "Fn::Base64")), "#!/bin/bash\necho hi\n");
	json_decref(t);
}

/* ---- loading -------------------------------------------------------------- */

static const char yaml_tmpl[] =
	"Resources:\n"
	"  Vpc:\n"
	"    Type: AWS::EC2::VPC\n"
	"    Properties:\n"
	"      CidrBlock: 10.0.0.0/16\n"
	"  Subnet:\n"
	"    Type: AWS::EC2::Subnet\n"
	"    Properties:\n"
	"      VpcId: !Ref Vpc\n"
	"      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]\n"
	"      MapPublicIpOnLaunch: false\n"
	"      Tags:\n"
	"        - Key: n\n"
	"          Value: !Sub '${AWS::StackName}-x'\n";

static const char json_tmpl[] =
	"{\"Resources\": {\"Vpc\": {\"Type\": \"AWS::EC2::VPC\", \"Properties\": {\"CidrBlock\": \"10.0.0.0/16\"}},"
	" \"Subnet\": {\"Type\": \"AWS::EC2::Subnet\", \"Properties\": {\"VpcId\": {\"Ref\": \"Vpc\"},"
	"  \"CidrBlock\": {\"Fn::Select\": [\"0\", {\"Fn::Cidr\": [{\"Fn::GetAtt\": \"Vpc.CidrBlock\"}, 4, 8]}]},"
	"  \"MapPublicIpOnLaunch\": \"false\","
	"  \"Tags\": [{\"Key\": \"n\", \"Value\": {\"Fn::Sub\": \"${AWS::StackName}-x\"}}]}}}}";

static void test_yaml_short_forms(void **state)
{
	(void)state;
	json_t *y = load(yaml_tmpl), *j = load(json_tmpl);
	assert_true(diff_values_equal(y, j));
	json_t *ga = json_object_get(json_array_get(json_object_get(
		json_array_get(json_object_get(json_object_get(json_object_get(json_object_get(
			json_object_get(y, "Resources"), "Subnet"), "Properties"), "CidrBlock"), "Fn::Select"), 1),
		"Fn::Cidr"), 0), "Fn::GetAtt");
	assert_true(json_is_array(ga));
	assert_string_equal(json_string_value(json_array_get(ga, 1)), "CidrBlock");
	json_decref(y);
	json_decref(j);
}

static void test_unwrap_get_template(void **state)
{
	(void)state;
	json_t *j = load(json_tmpl);
	/* TemplateBody as a YAML string (aws-cli prints a YAML template so). */
	json_t *wrap = json_pack("{s:s, s:[s]}", "TemplateBody", yaml_tmpl, "StagesAvailable", "Original");
	char *s = json_dumps(wrap, 0);
	json_t *u = load(s);
	assert_true(diff_values_equal(u, j));
	free(s);
	json_decref(u);
	json_decref(wrap);
	/* TemplateBody as an object (a JSON template). */
	json_t *inner = load(json_tmpl);
	wrap = json_pack("{s:o}", "TemplateBody", inner);
	s = json_dumps(wrap, 0);
	u = load(s);
	assert_true(diff_values_equal(u, j));
	free(s);
	json_decref(u);
	json_decref(wrap);
	json_decref(j);
}

static void test_load_errors_located(void **state)
{
	(void)state;
	struct diff_error err;
	const char *bad_json = "{\n  \"Resources\": {,}\n}\n";
	assert_null(diff_load(bad_json, strlen(bad_json), &err));
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.message, "JSON"));
	const char *bad_yaml = "Resources:\n  A:\n    Type: [x\n";
	assert_null(diff_load(bad_yaml, strlen(bad_yaml), &err));
	assert_true(err.line >= 3);
	assert_non_null(strstr(err.message, "YAML"));
	const char *no_res = "{\"AWSTemplateFormatVersion\": \"2010-09-09\"}";
	assert_null(diff_load(no_res, strlen(no_res), &err));
	assert_non_null(strstr(err.message, "Resources"));
	const char *dup = "Resources:\n  A: {Type: x}\n  A: {Type: y}\n";
	assert_null(diff_load(dup, strlen(dup), &err));
	assert_int_equal(err.line, 3);
	const char *body = "{\"TemplateBody\": \"Resources: [\"}";
	assert_null(diff_load(body, strlen(body), &err));
	assert_non_null(strstr(err.message, "TemplateBody"));
	const char *aliases = "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
			      "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
			      "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
			      "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f,*f]\nResources: {}\n";
	assert_null(diff_load(aliases, strlen(aliases), &err));
	assert_non_null(strstr(err.message, "too many nodes"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_covers_source_types),
		cmocka_unit_test(test_table_covers_example_types),
		cmocka_unit_test(test_table_rows),
		cmocka_unit_test(test_modified_property),
		cmocka_unit_test(test_added_removed),
		cmocka_unit_test(test_scalars_loosely_equal),
		cmocka_unit_test(test_replacement_cascades),
		cmocka_unit_test(test_cascade_through_sub_and_getatt),
		cmocka_unit_test(test_custom_name_fails),
		cmocka_unit_test(test_type_change_replaces),
		cmocka_unit_test(test_base64_equals_fn_base64),
		cmocka_unit_test(test_base64_only_text),
		cmocka_unit_test(test_yaml_short_forms),
		cmocka_unit_test(test_unwrap_get_template),
		cmocka_unit_test(test_load_errors_located),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
