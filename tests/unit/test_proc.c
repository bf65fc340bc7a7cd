/*
 * test_proc.c - unit tests for compiler/proc.c: a program run without a
 * shell, its standard input fed, its output captured, its status kept.
 * Runs coreutils (cat, printenv, false, sh only as the program under test).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "proc.h"

static void test_input_reaches_output(void **state)
{
	(void)state;
	char cat[] = "cat";
	char *const argv[] = { cat, NULL };
	struct proc_io io = { .in = "a\0b\n", .in_len = 4, .capture = true };
	assert_int_equal(proc_run(argv, &io), 0);
	assert_int_equal(io.out_len, 4);
	assert_memory_equal(io.out, "a\0b\n", 4);
	assert_int_equal(io.out[4], '\0');
	free(io.out);
}

/* An argument is one word to the program: no shell splits or expands it. */
static void test_arguments_are_not_parsed(void **state)
{
	(void)state;
	char printf_[] = "printf", fmt[] = "[%s]", word[] = "$(echo pwned) a;b *";
	char *const argv[] = { printf_, fmt, word, NULL };
	struct proc_io io = { .capture = true };
	assert_int_equal(proc_run(argv, &io), 0);
	assert_string_equal(io.out, "[$(echo pwned) a;b *]");
	free(io.out);
}

static void test_env_set_in_child_only(void **state)
{
	(void)state;
	char printenv[] = "printenv", name[] = "SGC_PROC_TEST";
	char *const argv[] = { printenv, name, NULL };
	static const char *const env[] = { "SGC_PROC_TEST=x=1", NULL };
	struct proc_io io = { .capture = true, .env = env };
	assert_int_equal(proc_run(argv, &io), 0);
	assert_string_equal(io.out, "x=1\n");
	free(io.out);
	assert_null(getenv("SGC_PROC_TEST"));
}

static void test_status_and_failures(void **state)
{
	(void)state;
	char f[] = "false";
	char *const fail[] = { f, NULL };
	struct proc_io io = { .capture = true };
	assert_int_equal(proc_run(fail, &io), 1);
	assert_null(io.out);

	char missing[] = "sgc-no-such-program-here";
	char *const none[] = { missing, NULL };
	io = (struct proc_io){ 0 };
	assert_int_equal(proc_run(none, &io), 127);

	char sh[] = "sh", c[] = "-c", kill_self[] = "kill -TERM $$";
	char *const killed[] = { sh, c, kill_self, NULL };
	io = (struct proc_io){ 0 };
	assert_int_equal(proc_run(killed, &io), 128 + 15);
}

static void test_on_path(void **state)
{
	(void)state;
	assert_true(proc_on_path("cat"));
	assert_false(proc_on_path("sgc-no-such-program-here"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_input_reaches_output),
		cmocka_unit_test(test_arguments_are_not_parsed),
		cmocka_unit_test(test_env_set_in_child_only),
		cmocka_unit_test(test_status_and_failures),
		cmocka_unit_test(test_on_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
