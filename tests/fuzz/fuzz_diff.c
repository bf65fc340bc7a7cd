/*
 * fuzz_diff.c - libFuzzer target for `sgc diff`'s reader and report
 * (diff_load, diff_templates, diff_render).
 *
 * Each input is one template text (JSON when it starts with `{` or `[`,
 * YAML otherwise, get-template output included). Properties:
 *
 *   diff-error-located  a refused input has a located message (line and
 *                       column from 1, a non-empty message);
 *   diff-roundtrip      the template written back as JSON and read again
 *                       diffs as no change against itself: reading is
 *                       stable (normalisation is idempotent) and equality
 *                       reflexive;
 *   diff-json           against a fixed template, the JSON report parses
 *                       and its summary counts the resources it lists;
 *   diff-renders        text and markdown render, in both directions.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diff.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init();
	return 0;
}

static const char fixed[] =
	"{\"Resources\": {"
	" \"Vpc\": {\"Type\": \"AWS::EC2::VPC\", \"Properties\": {\"CidrBlock\": \"10.0.0.0/16\"}},"
	" \"Subnet\": {\"Type\": \"AWS::EC2::Subnet\", \"Properties\": {\"VpcId\": {\"Ref\": \"Vpc\"},"
	"  \"CidrBlock\": \"10.0.1.0/24\"}},"
	" \"B\": {\"Type\": \"AWS::S3::Bucket\", \"DeletionPolicy\": \"Retain\","
	"  \"Properties\": {\"BucketName\": \"b\"}}},"
	" \"Outputs\": {\"V\": {\"Value\": {\"Ref\": \"Vpc\"}}}}";

static size_t count(const json_t *report, const char *action)
{
	size_t n = 0, i;
	json_t *e;
	json_array_foreach(json_object_get(report, "resources"), i, e)
		n += strcmp(json_string_value(json_object_get(e, "action")), action) == 0;
	return n;
}

static void check_report(const json_t *old, const json_t *new)
{
	json_t *r = diff_templates(old, new);
	size_t len;
	char *text = diff_render(r, DIFF_JSON, "old", "new", &len);
	json_error_t err;
	json_t *back = text ? json_loadb(text, len, 0, &err) : NULL;
	if (!back)
		fuzz_fail("diff-json", "the JSON report does not parse: %s", text ? err.text : "NULL");
	static const char *const actions[] = { "added", "removed", "modified", "replaced" };
	for (size_t i = 0; back && i < 4; i++) {
		size_t want = (size_t)json_integer_value(json_object_get(json_object_get(back, "summary"), actions[i]));
		if (count(back, actions[i]) != want)
			fuzz_fail("diff-json", "summary says %zu %s, the list has %zu", want, actions[i],
				  count(back, actions[i]));
	}
	json_decref(back);
	free(text);
	for (int f = DIFF_TEXT; f <= DIFF_MARKDOWN; f++) {
		text = diff_render(r, (enum diff_format)f, "old", "new", &len);
		if (!text || strlen(text) != len)
			fuzz_fail("diff-renders", "format %d: %s", f, text ? "a NUL in the report" : "NULL");
		free(text);
	}
	json_decref(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diff_error err = { 0 };
	json_t *t = diff_load((const char *)data, size, &err);
	if (!t) {
		if (err.line < 1 || err.column < 1 || !err.message[0])
			fuzz_fail("diff-error-located", "%d:%d: `%s`", err.line, err.column, err.message);
		return 0;
	}
	char *again = json_dumps(t, JSON_COMPACT | JSON_ENCODE_ANY);
	json_t *t2 = again ? diff_load(again, strlen(again), &err) : NULL;
	if (!t2) {
		fuzz_fail("diff-roundtrip", "written back, the template is refused: %s", err.message);
	} else {
		json_t *r = diff_templates(t, t2);
		if (json_array_size(json_object_get(r, "resources")) != 0 ||
		    json_integer_value(json_object_get(json_object_get(r, "summary"), "other")) != 0)
			fuzz_fail("diff-roundtrip", "a template differs from itself read again");
		json_decref(r);
	}
	json_t *f = diff_load(fixed, sizeof fixed - 1, &err);
	check_report(f, t);
	check_report(t, f);
	json_decref(f);
	json_decref(t2);
	free(again);
	json_decref(t);
	return 0;
}
