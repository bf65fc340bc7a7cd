/*
 * test_catalogue.c - unit tests over the endpoint service table
 * (compiler/endpoints.c): every entry is well formed and distinct, the
 * SageMaker PrivateLink catalogue is complete, and names resolve.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <string.h>

#include "endpoints.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_service_names_have_the_right_form),
		cmocka_unit_test(test_names_and_logical_ids_unique),
		cmocka_unit_test(test_sagemaker_catalogue_complete),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
