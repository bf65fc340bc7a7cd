/*
 * test_arena.c - unit tests for compiler/arena.c, the bump allocator that
 * backs a whole compile, and for ptrvec_push, the growable pointer array
 * built on it.
 *
 * The arena promises zeroed memory aligned for any object, chunks large
 * enough for oversized requests, and printf-style strings of any length;
 * ptrvec promises that growing never reorders or loses items.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdalign.h>
#include <stdbool.h>
#include <string.h>

#include "arena.h"

static int setup(void **state)
{
	*state = arena_new();
	return *state ? 0 : -1;
}

static int teardown(void **state)
{
	arena_free(*state);
	return 0;
}

static bool all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* Odd sizes must not push the next allocation off max_align_t alignment. */
static void test_alloc_alignment(void **state)
{
	struct arena *a = *state;
	const size_t align = alignof(max_align_t);
	static const size_t sizes[] = { 1, 3, 7, 8, 13, 17, 31, 100, 1000, 5 };

	for (int round = 0; round < 200; round++) {
		for (size_t i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
			void *p = arena_alloc(a, sizes[i]);
			assert_non_null(p);
			assert_int_equal((uintptr_t)p % align, 0);
		}
	}
}

/* Allocations never overlap: each one can be filled without disturbing the last. */
static void test_alloc_distinct_and_zeroed(void **state)
{
	struct arena *a = *state;
	unsigned char *prev = NULL;
	size_t prev_n = 0;

	for (size_t n = 1; n < 3000; n += 37) {
		unsigned char *p = arena_alloc(a, n);
		assert_true(all_zero(p, n));
		memset(p, 0xAB, n);
		if (prev) {
			for (size_t i = 0; i < prev_n; i++)
				assert_int_equal(prev[i], 0xAB);
		}
		prev = p;
		prev_n = n;
	}
}

/*
 * Memory handed out after a chunk filled up (and after lots of dirty
 * writes) is still zeroed: the arena clears, malloc need not.
 */
static void test_alloc_zeroed_across_chunks(void **state)
{
	struct arena *a = *state;

	for (int i = 0; i < 2000; i++) {
		unsigned char *p = arena_alloc(a, 200);
		assert_true(all_zero(p, 200));
		memset(p, 0xFF, 200);
	}
}

static void test_alloc_zero_size(void **state)
{
	struct arena *a = *state;
	void *p = arena_alloc(a, 0);
	void *q = arena_alloc(a, 0);

	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
}

/* Requests far above the 64 KiB chunk size get chunks of their own. */
static void test_alloc_big(void **state)
{
	struct arena *a = *state;
	const size_t big = 5u * 1024 * 1024;
	unsigned char *small1 = arena_alloc(a, 16);
	unsigned char *p = arena_alloc(a, big);
	unsigned char *small2 = arena_alloc(a, 16);

	assert_non_null(p);
	assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
	assert_true(all_zero(p, big));
	memset(p, 0x5A, big);
	/* The small allocations around it are untouched and still usable. */
	assert_true(all_zero(small1, 16));
	assert_true(all_zero(small2, 16));
	memset(small2, 1, 16);
	assert_int_equal(p[0], 0x5A);
	assert_int_equal(p[big - 1], 0x5A);

	/* A second big block, and one just over a quarter chunk. */
	unsigned char *q = arena_alloc(a, big);
	unsigned char *r = arena_alloc(a, 16 * 1024 + 1);
	assert_true(all_zero(q, big));
	assert_true(all_zero(r, 16 * 1024 + 1));
	assert_int_equal(p[big / 2], 0x5A);
}

static void test_arena_calloc(void **state)
{
	struct arena *a = *state;
	uint64_t *v = arena_calloc(a, 1000, sizeof *v);

	for (size_t i = 0; i < 1000; i++)
		assert_int_equal(v[i], 0);
	v[999] = 7;
	assert_int_equal(v[999], 7);
}

static void test_strndup(void **state)
{
	struct arena *a = *state;
	const char src[] = "hello, world";
	char *s = arena_strndup(a, src, 5);

	assert_string_equal(s, "hello");
	assert_ptr_not_equal(s, src);
	assert_string_equal(arena_strndup(a, src, 0), "");
	assert_string_equal(arena_strdup(a, src), "hello, world");
	/* Embedded NUL bytes are copied as they are. */
	char *n = arena_strndup(a, "a\0b", 3);
	assert_int_equal(n[0], 'a');
	assert_int_equal(n[1], '\0');
	assert_int_equal(n[2], 'b');
	assert_int_equal(n[3], '\0');
}

static void test_printf(void **state)
{
	struct arena *a = *state;

	assert_string_equal(arena_printf(a, "%s-%d-%c", "vpc", 42, 'x'), "vpc-42-x");
	assert_string_equal(arena_printf(a, "%s", ""), "");
	assert_string_equal(arena_printf(a, "%05.1f|%-3s|", 3.14159, "a"), "003.1|a  |");
}

/* A formatted string longer than a whole chunk. */
static void test_printf_long(void **state)
{
	struct arena *a = *state;
	enum { N = 200 * 1024 };
	char *big = arena_alloc(a, N + 1);
	memset(big, 'x', N);

	char *s = arena_printf(a, "<%s>", big);
	assert_int_equal(strlen(s), N + 2);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[N + 1], '>');
	assert_int_equal(s[N / 2], 'x');
}

static char *via_vprintf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static char *via_vprintf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return s;
}

static void test_vprintf(void **state)
{
	assert_string_equal(via_vprintf(*state, "%u subnets in %s", 3u, "vpc"),
			    "3 subnets in vpc");
}

/* Growth from the first push through many doublings keeps every item in place. */
static void test_ptrvec_growth(void **state)
{
	struct arena *a = *state;
	struct ptrvec v = { 0 };
	static int items[1000];

	for (size_t i = 0; i < 1000; i++) {
		ptrvec_push(a, &v, &items[i]);
		assert_int_equal(v.n, i + 1);
		assert_true(v.cap >= v.n);
	}
	for (size_t i = 0; i < 1000; i++)
		assert_ptr_equal(v.items[i], &items[i]);
}

static void test_ptrvec_null_items(void **state)
{
	struct arena *a = *state;
	struct ptrvec v = { 0 };
	int x;

	ptrvec_push(a, &v, NULL);
	ptrvec_push(a, &v, &x);
	ptrvec_push(a, &v, NULL);
	assert_int_equal(v.n, 3);
	assert_null(v.items[0]);
	assert_ptr_equal(v.items[1], &x);
	assert_null(v.items[2]);
}

/* Two vectors growing in turn from the same arena do not trample each other. */
static void test_ptrvec_interleaved(void **state)
{
	struct arena *a = *state;
	struct ptrvec v = { 0 }, w = { 0 };
	static char xs[300], ys[300];

	for (size_t i = 0; i < 300; i++) {
		ptrvec_push(a, &v, &xs[i]);
		ptrvec_push(a, &w, &ys[i]);
	}
	for (size_t i = 0; i < 300; i++) {
		assert_ptr_equal(v.items[i], &xs[i]);
		assert_ptr_equal(w.items[i], &ys[i]);
	}
}

static void test_free_null(void **state)
{
	(void)state;
	arena_free(NULL); /* must be a no-op */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_alloc_alignment, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_distinct_and_zeroed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_zeroed_across_chunks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_zero_size, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alloc_big, setup, teardown),
		cmocka_unit_test_setup_teardown(test_arena_calloc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_strndup, setup, teardown),
		cmocka_unit_test_setup_teardown(test_printf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_printf_long, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vprintf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ptrvec_growth, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ptrvec_null_items, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ptrvec_interleaved, setup, teardown),
		cmocka_unit_test(test_free_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
