/*
 * test_suggest.c - unit tests for compiler/suggest.c: the optimal string
 * alignment distance and the "did you mean" pick built on it.
 *
 * suggest_best must be deterministic (ties go to the earlier candidate)
 * and conservative: a distance of at most a third of the word, and at
 * least 1, or no suggestion at all.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "suggest.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_distance_identity_and_empty(void **state)
{
	(void)state;
	assert_int_equal(suggest_distance("", ""), 0);
	assert_int_equal(suggest_distance("subnet", "subnet"), 0);
	assert_int_equal(suggest_distance("", "abc"), 3);
	assert_int_equal(suggest_distance("abcd", ""), 4);
}

static void test_distance_single_edits(void **state)
{
	(void)state;
	assert_int_equal(suggest_distance("cidr", "cider"), 1);  /* insertion */
	assert_int_equal(suggest_distance("zone", "zon"), 1);    /* deletion */
	assert_int_equal(suggest_distance("port", "part"), 1);   /* substitution */
	assert_int_equal(suggest_distance("kitten", "sitting"), 3);
}

/* Adjacent swaps are one edit, which is what makes `regoin` close to `region`. */
static void test_distance_transposition(void **state)
{
	(void)state;
	assert_int_equal(suggest_distance("ab", "ba"), 1);
	assert_int_equal(suggest_distance("regoin", "region"), 1);
	assert_int_equal(suggest_distance("us-wset-2", "us-west-2"), 1);
	/* Two separate swaps are two edits. */
	assert_int_equal(suggest_distance("baab", "abba"), 2);
	/*
	 * Optimal string alignment, not full Damerau: a transposed pair is not
	 * edited again, so "ca" -> "abc" costs 3 (Damerau would give 2).
	 */
	assert_int_equal(suggest_distance("ca", "abc"), 3);
}

static void test_distance_symmetric(void **state)
{
	(void)state;
	static const char *const w[] = { "sagemaker.api", "sagemaker.runtime",
					 "isolated", "isloated", "", "x" };
	for (size_t i = 0; i < N(w); i++)
		for (size_t j = 0; j < N(w); j++)
			assert_int_equal(suggest_distance(w[i], w[j]),
					 suggest_distance(w[j], w[i]));
}

/* Words longer than 64 characters are never compared (and never overflow the table). */
static void test_distance_long_words(void **state)
{
	(void)state;
	char a[80], b[80];
	memset(a, 'a', 65);
	a[65] = '\0';
	memset(b, 'a', 64);
	b[64] = '\0';
	assert_int_equal(suggest_distance(a, a), (size_t)-1);
	assert_int_equal(suggest_distance(a, "a"), (size_t)-1);
	assert_int_equal(suggest_distance("a", a), (size_t)-1);
	/* 64 is still fine. */
	assert_int_equal(suggest_distance(b, b), 0);
	assert_int_equal(suggest_distance(b, "a"), 63);
}

static void test_best_finds_typo(void **state)
{
	(void)state;
	static const char *const kinds[] = { "environment", "network", "subnet",
					     "security_group", "ingress", "egress" };
	assert_string_equal(suggest_best("subnett", kinds, N(kinds)), "subnet");
	assert_string_equal(suggest_best("netwrok", kinds, N(kinds)), "network");
	assert_string_equal(suggest_best("egres", kinds, N(kinds)), "egress");
}

static void test_best_none_close(void **state)
{
	(void)state;
	static const char *const attrs[] = { "cidr", "zone", "public" };
	assert_null(suggest_best("region", attrs, N(attrs)));
	assert_null(suggest_best("xyz", attrs, N(attrs)));
	assert_null(suggest_best("anything", attrs, 0));
}

/*
 * The limit is max(1, strlen(word) / 3): short words get one edit, a
 * six-letter word two, a nine-letter word three.
 */
static void test_best_threshold(void **state)
{
	(void)state;
	static const char *const one[] = { "ab" };
	static const char *const two[] = { "abcdef" };
	static const char *const three[] = { "abcdefghi" };

	/* Two letters: one edit allowed. */
	assert_string_equal(suggest_best("ax", one, 1), "ab");
	assert_null(suggest_best("xy", one, 1));
	/* Six letters: two edits allowed, three not. */
	assert_string_equal(suggest_best("abcdxy", two, 1), "abcdef");
	assert_null(suggest_best("abcxyz", two, 1));
	/* Five letters: only one edit (5 / 3 == 1), so two is too many. */
	assert_null(suggest_best("abcdx", two, 1));
	/* Nine letters: three edits allowed, four not. */
	assert_string_equal(suggest_best("abcdefxyz", three, 1), "abcdefghi");
	assert_null(suggest_best("abcdewxyz", three, 1));
}

/* The closest wins even when a farther one comes first. */
static void test_best_prefers_closest(void **state)
{
	(void)state;
	static const char *const c[] = { "us-west-1", "us-east-1", "us-east-2" };
	assert_string_equal(suggest_best("us-east-3", c, N(c)), "us-east-1");
	assert_string_equal(suggest_best("us-eats-2", c, N(c)), "us-east-2");
}

static void test_best_ties_go_to_earlier(void **state)
{
	(void)state;
	static const char *const ab[] = { "cat", "bat", "hat" };
	static const char *const ba[] = { "hat", "bat", "cat" };
	assert_string_equal(suggest_best("rat", ab, N(ab)), "cat");
	assert_string_equal(suggest_best("rat", ba, N(ba)), "hat");
}

/* The word itself is never suggested, and NULL slots are skipped. */
static void test_best_skips_self_and_null(void **state)
{
	(void)state;
	static const char *const c[] = { NULL, "tcp", "tcpx", NULL };
	assert_null(suggest_best("tcp", (const char *const[]){ "tcp" }, 1));
	assert_string_equal(suggest_best("tcp", c, N(c)), "tcpx");
	assert_string_equal(suggest_best("tdp", c, N(c)), "tcp");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance_identity_and_empty),
		cmocka_unit_test(test_distance_single_edits),
		cmocka_unit_test(test_distance_transposition),
		cmocka_unit_test(test_distance_symmetric),
		cmocka_unit_test(test_distance_long_words),
		cmocka_unit_test(test_best_finds_typo),
		cmocka_unit_test(test_best_none_close),
		cmocka_unit_test(test_best_threshold),
		cmocka_unit_test(test_best_prefers_closest),
		cmocka_unit_test(test_best_ties_go_to_earlier),
		cmocka_unit_test(test_best_skips_self_and_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
