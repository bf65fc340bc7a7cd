/*
 * test_output.c - unit tests for compiler/output.c: which manifest entries
 * sgc may act on (remove when a later build no longer writes them), and
 * the output set on a real directory: stale files removed, nothing else.
 *
 * A manifest is a file in the user's directory: anyone may have edited
 * it. Whatever it says, sgc must only ever remove its own files below
 * lifecycle/ and remote/, so every entry is checked before use.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "output.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static void test_entries_sgc_writes_are_accepted(void **state)
{
	(void)state;
	static const char *const ok[] = {
		"lifecycle/analyst-on-start.sh",
		"remote/carol-remote-connect.sh",
		"remote/carol-remote.ssh_config",
		"lifecycle/a/b.sh",
		"lifecycle/..hidden-but-not-dotdot",
		"remote/x.",
	};
	for (size_t i = 0; i < N(ok); i++) {
		if (!out_manifest_entry_ok(ok[i]))
			fail_msg("refused `%s`", ok[i]);
	}
}

static void test_entries_outside_are_refused(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"",
		"lifecycle",            /* the directory itself */
		"lifecycle/",
		"remote",
		"stack.json",           /* beside the template: not sgc's to remove by manifest */
		"stack.params.json",
		"/etc/passwd",
		"/lifecycle/x.sh",
		"../lifecycle/x.sh",
		"./lifecycle/x.sh",
		"lifecycle/../stack.json",
		"lifecycle/../../etc/passwd",
		"lifecycle/./x.sh",
		"lifecycle//x.sh",
		"lifecycle/x/",
		"lifecycle/..",
		"lifecycle/.",
		"remote/..",
		"lifecyclex/y.sh",
		"Lifecycle/x.sh",
		"lifecycle/x\n.sh",
		"lifecycle/x\r",
		"lifecycle/\x1b[31m",
		"lifecycle/x\x7f",
		"other/x.sh",
	};
	for (size_t i = 0; i < N(bad); i++) {
		if (out_manifest_entry_ok(bad[i]))
			fail_msg("accepted `%s`", bad[i]);
	}
}

static void test_entries_depth_is_bounded(void **state)
{
	(void)state;
	char path[512] = "lifecycle";
	for (int i = 0; i < 15; i++)
		strcat(path, "/d");
	assert_true(out_manifest_entry_ok(path)); /* 16 components, the most */
	strcat(path, "/d");
	assert_false(out_manifest_entry_ok(path)); /* 17 */
}

/* ---- the set on disk ---------------------------------------------------- */

/* Each test gets a fresh directory (its path is the cmocka state). */
static int make_dir(void **state)
{
	char *dir = malloc(64);
	if (!dir)
		return -1;
	snprintf(dir, 64, "/tmp/sgc-test-output-XXXXXX");
	*state = dir;
	return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", (char *)*state);
	free(*state);
	return system(cmd) == 0 ? 0 : -1;
}

struct path {
	char s[256];
};

static struct path path_in(const char *dir, const char *rel)
{
	struct path p;
	snprintf(p.s, sizeof p.s, "%s/%s", dir, rel);
	return p;
}

static bool exists(const char *dir, const char *rel)
{
	struct stat st;
	return lstat(path_in(dir, rel).s, &st) == 0;
}

static void put(const char *dir, const char *rel, const char *text)
{
	FILE *f = fopen(path_in(dir, rel).s, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Build the set `items` beside `out` (relative to dir); true when written. */
static bool write_set(const char *dir, const char *out, const struct out_item *items, size_t n)
{
	struct out_target t;
	assert_true(out_target_resolve(path_in(dir, out).s, &t));
	assert_false(t.in_place);
	bool ok = out_write_set(&t, items, n, "{}\n", 3, NULL, 0);
	out_target_free(&t);
	return ok;
}

static void test_set_removes_only_its_stale_files(void **state)
{
	const char *dir = *state;
	struct out_item two[] = {
		{ "lifecycle/a.sh", "a\n", 2, true },
		{ "lifecycle/b.sh", "b\n", 2, true },
		{ "remote/b.ssh_config", "b\n", 2, false },
		{ "stack.params.json", "[]\n", 3, false },
	};
	assert_true(write_set(dir, "stack.json", two, N(two)));
	assert_true(exists(dir, "lifecycle/b.sh"));
	assert_true(exists(dir, "stack.json.sgc-manifest"));
	assert_false(exists(dir, ".sgc-lock"));
	put(dir, "lifecycle/user.sh", "mine\n");
	struct out_item one[] = {
		{ "lifecycle/a.sh", "a2\n", 3, true },
		{ "stack.params.json", "[]\n", 3, false },
	};
	assert_true(write_set(dir, "stack.json", one, N(one)));
	assert_true(exists(dir, "lifecycle/a.sh"));
	assert_false(exists(dir, "lifecycle/b.sh"));
	assert_false(exists(dir, "remote/b.ssh_config"));
	assert_false(exists(dir, "remote")); /* emptied by the removal, so removed */
	assert_true(exists(dir, "lifecycle/user.sh"));
	assert_true(exists(dir, "stack.params.json"));
}

static void test_set_refuses_two_files_in_one_place(void **state)
{
	const char *dir = *state;
	struct out_item same[] = {
		{ "lifecycle/a.sh", "a\n", 2, true },
		{ "lifecycle/a.sh", "b\n", 2, true },
	};
	assert_false(write_set(dir, "clash.json", same, N(same)));
	assert_false(exists(dir, "clash.json"));
	assert_false(exists(dir, "lifecycle/a.sh"));
}

static void test_set_refuses_paths_outside(void **state)
{
	const char *dir = *state;
	struct out_item escape[] = { { "lifecycle/../x.sh", "x\n", 2, false } };
	assert_false(write_set(dir, "esc.json", escape, N(escape)));
	assert_false(exists(dir, "esc.json"));
	assert_false(exists(dir, "x.sh"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_entries_sgc_writes_are_accepted),
		cmocka_unit_test(test_entries_outside_are_refused),
		cmocka_unit_test(test_entries_depth_is_bounded),
		cmocka_unit_test_setup_teardown(test_set_removes_only_its_stale_files, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_set_refuses_two_files_in_one_place, make_dir, remove_dir),
		cmocka_unit_test_setup_teardown(test_set_refuses_paths_outside, make_dir, remove_dir),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
