/*
 * test_catalogue.c - unit tests over the endpoint service table
 * (compiler/endpoints.c): every entry is well formed and distinct, the
 * SageMaker PrivateLink catalogue is complete, and names resolve; and over
 * the features of `runs` (compiler/runs.c): each names known services.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "endpoints.h"
#include "runs.h"

#define PREFIX_COM "com.amazonaws.${AWS::Region}."
#define PREFIX_UI "aws.sagemaker.${AWS::Region}."

static bool name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-';
}

/*
 * A ServiceName is `com.amazonaws.${AWS::Region}.<short>` or, for the
 * SageMaker UI services, `aws.sagemaker.${AWS::Region}.<short>`: the short
 * name is always its last part, so what users write is what AWS names.
 */
static void test_service_names_have_the_right_form(void **state)
{
	(void)state;
	for (size_t i = 0; i < ep_count; i++) {
		const struct ep_service *s = &ep_services[i];
		assert_non_null(s->name);
		assert_true(s->name[0] >= 'a' && s->name[0] <= 'z');
		for (const char *p = s->name; *p; p++)
			assert_true(name_char(*p));
		const char *sn = s->service_name;
		size_t skip = strncmp(sn, PREFIX_COM, strlen(PREFIX_COM)) == 0 ? strlen(PREFIX_COM)
			    : strncmp(sn, PREFIX_UI, strlen(PREFIX_UI)) == 0 ? strlen(PREFIX_UI) : 0;
		assert_true(skip > 0);
		assert_string_equal(sn + skip, s->name);
		/* Only the two gateway services; everything else is an interface endpoint. */
		if (s->type == EP_GATEWAY)
			assert_true(strcmp(s->name, "s3") == 0 || strcmp(s->name, "dynamodb") == 0);
		assert_non_null(s->what);
		assert_true(strlen(s->what) > 0);
	}
}

/* Short names and logical IDs are unique: one endpoint resource per service. */
static void test_names_and_logical_ids_unique(void **state)
{
	(void)state;
	for (size_t i = 0; i < ep_count; i++) {
		const char *l = ep_services[i].logical;
		assert_true(l[0] >= 'A' && l[0] <= 'Z');
		for (const char *p = l; *p; p++)
			assert_true((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
				    (*p >= '0' && *p <= '9'));
		for (size_t k = i + 1; k < ep_count; k++) {
			assert_string_not_equal(ep_services[i].name, ep_services[k].name);
			assert_string_not_equal(ep_services[i].logical, ep_services[k].logical);
		}
		assert_ptr_equal(ep_find(ep_services[i].name), &ep_services[i]);
		assert_int_equal(ep_index(&ep_services[i]), i);
	}
	/* Suggestions take at most 64 names (epset.c). */
	assert_true(ep_count <= 64);
}

/*
 * The SageMaker services of AWS PrivateLink, as endpoints.c cites them:
 * each one is known, with its exact ServiceName.
 */
static void test_sagemaker_catalogue_complete(void **state)
{
	(void)state;
	static const char *const want[][2] = {
		{ "sagemaker.api", PREFIX_COM "sagemaker.api" },
		{ "sagemaker.api-fips", PREFIX_COM "sagemaker.api-fips" },
		{ "sagemaker.runtime", PREFIX_COM "sagemaker.runtime" },
		{ "sagemaker.runtime-fips", PREFIX_COM "sagemaker.runtime-fips" },
		{ "sagemaker.featurestore-runtime", PREFIX_COM "sagemaker.featurestore-runtime" },
		{ "sagemaker.metrics", PREFIX_COM "sagemaker.metrics" },
		{ "sagemaker-geospatial", PREFIX_COM "sagemaker-geospatial" },
		{ "sagemaker-data-science-assistant", PREFIX_COM "sagemaker-data-science-assistant" },
		{ "notebook", PREFIX_UI "notebook" },
		{ "studio", PREFIX_UI "studio" },
		{ "experiments", PREFIX_UI "experiments" },
		{ "partner-app", PREFIX_UI "partner-app" },
	};
	size_t sagemaker = 0;
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		const struct ep_service *s = ep_find(want[i][0]);
		assert_non_null(s);
		assert_string_equal(s->service_name, want[i][1]);
		assert_int_equal(s->type, EP_INTERFACE);
	}
	for (size_t i = 0; i < ep_count; i++)
		if (strstr(ep_services[i].service_name, "sagemaker"))
			sagemaker++;
	/* Nothing SageMaker in the table that the list above does not name. */
	assert_int_equal(sagemaker, sizeof want / sizeof want[0]);
	assert_null(ep_find("sagemaker.metric"));
	assert_null(ep_find("sagemaker"));
}

/*
 * Every value of `runs` is a feature whose needs name known services
 * (reach.c looks each one up), with a source, never the same service
 * both required and optional, and the words are the features' own.
 */
static void test_run_features_name_known_services(void **state)
{
	(void)state;
	size_t n = 0;
	while (run_words[n])
		n++;
	assert_int_equal(n, run_count);
	for (size_t i = 0; i < run_count; i++) {
		const struct run_feature *f = &run_features[i];
		assert_string_equal(run_words[i], f->word);
		assert_non_null(f->doing);
		assert_non_null(f->needs.what);
		assert_true(strlen(f->needs.source) > 20);
		assert_non_null(f->needs.required[0]);
		for (int k = 0; k < NEEDS_MAX && f->needs.required[k]; k++) {
			assert_non_null(ep_find(f->needs.required[k]));
			for (int j = 0; j < NEEDS_MAX && f->needs.optional[j]; j++)
				assert_string_not_equal(f->needs.required[k], f->needs.optional[j]);
		}
		for (int j = 0; j < NEEDS_MAX && f->needs.optional[j]; j++)
			assert_non_null(ep_find(f->needs.optional[j]));
		for (size_t k = i + 1; k < run_count; k++)
			assert_string_not_equal(f->word, run_features[k].word);
	}
}

/* Point 4 of issue 11: jobs launched with the SDK require sts and logs. */
static bool requires(const char *word, const char *service)
{
	for (size_t i = 0; i < run_count; i++) {
		if (strcmp(run_features[i].word, word) != 0)
			continue;
		for (int k = 0; k < NEEDS_MAX && run_features[i].needs.required[k]; k++)
			if (strcmp(run_features[i].needs.required[k], service) == 0)
				return true;
	}
	return false;
}

static void test_jobs_require_sts_and_logs(void **state)
{
	(void)state;
	static const char *const jobs[] = { "training", "processing" };
	for (size_t i = 0; i < 2; i++) {
		assert_true(requires(jobs[i], "sagemaker.api"));
		assert_true(requires(jobs[i], "sts"));
		assert_true(requires(jobs[i], "logs"));
		assert_true(requires(jobs[i], "s3"));
	}
	assert_true(requires("experiments", "sagemaker.metrics"));
	assert_true(requires("mlflow", "experiments"));
	assert_true(requires("feature_store", "sagemaker.featurestore-runtime"));
	assert_true(requires("inference", "sagemaker.runtime"));
	assert_false(requires("pipelines", "logs"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service_names_have_the_right_form),
		cmocka_unit_test(test_names_and_logical_ids_unique),
		cmocka_unit_test(test_sagemaker_catalogue_complete),
		cmocka_unit_test(test_run_features_name_known_services),
		cmocka_unit_test(test_jobs_require_sts_and_logs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
