/*
 * test_cli.c - unit tests for compiler/cli.c: getopt_long with a table
 * per command. A command takes its own options and refuses the others
 * (exit 2), `--` ends the options, operands keep their order, and options
 * before the command still count, as sgc has always accepted.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "cli.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Parse a NULL-terminated argument list (copied: getopt permutes argv). */
static int parse(struct options *o, const char *const *args)
{
	char *argv[32];
	int argc = 0;
	argv[argc++] = (char *)"sgc";
	for (; *args; args++)
		argv[argc++] = (char *)*args;
	argv[argc] = NULL;
	return cli_parse(argc, argv, o);
}

static void test_check_takes_its_options(void **state)
{
	(void)state;
	struct options o;
	const char *args[] = { "check", "a.sgl", "--format", "json", "--root=.", "-D", "x=1",
			       "-Dy=2", "--deny", "warnings", "--color=never", "b.sgl", NULL };
	assert_int_equal(parse(&o, args), EXIT_OK);
	assert_int_equal(o.command, CMD_CHECK);
	assert_int_equal(o.noperands, 2);
	assert_string_equal(o.operands[0], "a.sgl");
	assert_string_equal(o.operands[1], "b.sgl");
	assert_string_equal(o.format, "json");
	assert_string_equal(o.root, ".");
	assert_int_equal(o.ndefines, 2);
	assert_string_equal(o.defines[1], "y=2");
	assert_true(o.deny_warnings);
	assert_int_equal(o.color, COLOR_NEVER);
	cli_free(&o);
}

static void test_commands_refuse_other_commands_options(void **state)
{
	(void)state;
	static const char *const refused[][4] = {
		{ "check", "-o", "x.json", "a.sgl" },
		{ "check", "--output=x.json", "a.sgl", NULL },
		{ "check", "--check", "a.sgl", NULL },
		{ "fmt", "--vars", "v.yaml", "a.sgl" },
		{ "fmt", "-D", "a=b", "a.sgl" },
		{ "fmt", "--root", ".", "a.sgl" },
		{ "fmt", "--format", "json", "a.sgl" },
		{ "iam", "-o", "x", "a.sgl" },
		{ "explain", "--color=never", "E0305", NULL },
		{ "help", "--vars", "x", NULL },
		{ "version", "--format", "json", NULL },
		{ "build", "--frobnicate", "a.sgl", NULL },
		{ "build", "a.sgl", "-o", NULL },            /* no value */
		{ "fmt", "--check=yes", "a.sgl", NULL },    /* a value it does not take */
		{ "check", "--deny", "errors", "a.sgl" },
		{ "check", "--color=sometimes", "a.sgl", NULL },
	};
	for (size_t i = 0; i < N(refused); i++) {
		const char *args[5] = { 0 };
		memcpy(args, refused[i], sizeof refused[i]);
		struct options o;
		if (parse(&o, args) != EXIT_USAGE)
			fail_msg("accepted: %s %s %s", args[0], args[1], args[2] ? args[2] : "");
		cli_free(&o);
	}
}

static void test_dashdash_ends_options(void **state)
{
	(void)state;
	struct options o;
	const char *args[] = { "check", "--color=never", "--", "-x.sgl", "--format", NULL };
	assert_int_equal(parse(&o, args), EXIT_OK);
	assert_int_equal(o.noperands, 2);
	assert_string_equal(o.operands[0], "-x.sgl");
	assert_string_equal(o.operands[1], "--format");
	assert_null(o.format);
	cli_free(&o);
}

static void test_dash_is_an_operand(void **state)
{
	(void)state;
	struct options o;
	const char *args[] = { "build", "-", "-o", "-", NULL };
	assert_int_equal(parse(&o, args), EXIT_OK);
	assert_int_equal(o.noperands, 1);
	assert_string_equal(o.operands[0], "-");
	assert_string_equal(o.output, "-");
	cli_free(&o);
}

static void test_options_before_the_command(void **state)
{
	(void)state;
	struct options o;
	const char *args[] = { "--color", "never", "--deny=warnings", "check", "a.sgl", NULL };
	assert_int_equal(parse(&o, args), EXIT_OK);
	assert_int_equal(o.command, CMD_CHECK);
	assert_int_equal(o.color, COLOR_NEVER);
	assert_true(o.deny_warnings);
	assert_int_equal(o.noperands, 1);
	cli_free(&o);
	/* ...but an option before the command is still judged by that command. */
	const char *wrong[] = { "-o", "x.json", "check", "a.sgl", NULL };
	assert_int_equal(parse(&o, wrong), EXIT_USAGE);
	cli_free(&o);
}

static void test_help_and_version(void **state)
{
	(void)state;
	struct options o;
	const char *help[] = { "--help", NULL };
	assert_int_equal(parse(&o, help), EXIT_OK);
	assert_int_equal(o.command, CMD_HELP);
	cli_free(&o);
	const char *version[] = { "--version", NULL };
	assert_int_equal(parse(&o, version), EXIT_OK);
	assert_int_equal(o.command, CMD_VERSION);
	cli_free(&o);
	const char *build_help[] = { "build", "--help", NULL };
	assert_int_equal(parse(&o, build_help), EXIT_OK);
	assert_true(o.help);
	assert_non_null(strstr(cli_help_text("build"), "--root DIR"));
	assert_non_null(strstr(cli_help_text("check"), "--root DIR"));
	assert_non_null(strstr(cli_help_text("iam"), "--root DIR"));
	assert_null(strstr(cli_help_text("fmt"), "--root"));
	assert_null(cli_help_text("frobnicate"));
	cli_free(&o);
	const char *none[] = { NULL };
	assert_int_equal(parse(&o, none), EXIT_USAGE);
	cli_free(&o);
	const char *unknown[] = { "frobnicate", NULL };
	assert_int_equal(parse(&o, unknown), EXIT_USAGE);
	cli_free(&o);
}

/* Parsing twice in one process starts afresh (getopt's state is reset). */
static void test_parse_twice(void **state)
{
	(void)state;
	struct options o;
	const char *a[] = { "build", "a.sgl", "-o", "x.json", NULL };
	assert_int_equal(parse(&o, a), EXIT_OK);
	cli_free(&o);
	const char *b[] = { "check", "b.sgl", "--format=sarif", NULL };
	assert_int_equal(parse(&o, b), EXIT_OK);
	assert_int_equal(o.noperands, 1);
	assert_string_equal(o.operands[0], "b.sgl");
	assert_string_equal(o.format, "sarif");
	assert_null(o.output);
	cli_free(&o);
}

static void test_command_suggestion(void **state)
{
	(void)state;
	assert_string_equal(cli_command_suggestion("bulid"), "build");
	assert_string_equal(cli_command_suggestion("chekc"), "check");
	assert_string_equal(cli_command_suggestion("exlpain"), "explain");
	assert_string_equal(cli_command_suggestion("fmtt"), "fmt");
	assert_null(cli_command_suggestion("frobnicate"));
	assert_null(cli_command_suggestion("build"));
	struct options o;
	const char *args[] = { "bulid", "a.sgl", NULL };
	assert_int_equal(parse(&o, args), EXIT_USAGE);
	cli_free(&o);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_takes_its_options),
		cmocka_unit_test(test_commands_refuse_other_commands_options),
		cmocka_unit_test(test_dashdash_ends_options),
		cmocka_unit_test(test_dash_is_an_operand),
		cmocka_unit_test(test_options_before_the_command),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_parse_twice),
		cmocka_unit_test(test_command_suggestion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
