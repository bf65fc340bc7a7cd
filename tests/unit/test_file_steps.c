/*
 * test_file_steps.c - what a .sgl file can make sgc read, and what of it
 * reaches the scripts sgc writes (issue 9): file("...") reads regular
 * files below a root and nothing else; script headers name the .sgl file
 * relative to that root, so the template is the same however its path is
 * spelled; a path or label holding a newline never becomes a command.
 *
 * Everything goes through compile_text(), the pipeline `sgc build` runs.
 * Fixtures (symbolic links, a FIFO, a large file, hostile file names) are
 * made in a fresh temporary directory per test and removed after it.
 * Codes are compared by name, so this file also builds against older
 * libraries (to show each test failing there).
 */
#define _GNU_SOURCE /* nftw, realpath, symlink; syscall for capget/capset */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "compile.h"
#include "diag.h"

/* The string of file(...) is on line 12, column 21. */
#define NOTEBOOK_HEAD                                                      \
	"environment e {\n"                                                \
	"  region = \"us-east-1\"\n"                                       \
	"  network vpc {\n"                                                \
	"    cidr = 10.0.0.0/16\n"                                         \
	"    isolation = restricted\n"                                     \
	"    subnet nat_a { cidr = 10.0.0.0/24 zone = a public = true }\n" \
	"    subnet private_a { cidr = 10.0.1.0/24 zone = a }\n"           \
	"    endpoints = [sagemaker.api, sagemaker.runtime, s3] }\n"       \
	"  notebook nb {\n"                                                \
	"    instance = ml.t3.medium\n"                                    \
	"    subnet = vpc.private_a\n"
#define STEP_LINE 12
#define STEP_COL 21

struct fx {
	char dir[PATH_MAX]; /* canonical temporary directory */
	char cwd[PATH_MAX]; /* restored after each test */
	struct compile c;
	bool live;
	char text[2 * PATH_MAX]; /* the last source compiled */
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	assert_non_null(getcwd(fx->cwd, sizeof fx->cwd));
	char tmpl[] = "/tmp/sgc-file-steps-XXXXXX";
	assert_non_null(mkdtemp(tmpl));
	assert_non_null(realpath(tmpl, fx->dir));
	*state = fx;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st, (void)ftw;
	/* chmod follows links: the tree holds links to /dev/stdin, which is
	 * /dev/null under make, and must never be chmod'ed. */
	if (flag != FTW_SL)
		chmod(path, 0700);
	return remove(path);
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	if (fx->live)
		compile_free(&fx->c);
	if (chdir(fx->cwd) != 0)
		return -1;
	nftw(fx->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(fx);
	return 0;
}

/* ---- fixtures --------------------------------------------------------------- */

/* Formatted text that lives for the next 8 calls: paths and messages. */
__attribute__((format(printf, 1, 2))) static const char *f(const char *fmt, ...)
{
	static char buf[8][2 * PATH_MAX];
	static int i;
	i = (i + 1) % 8;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf[i], sizeof buf[i], fmt, ap);
	va_end(ap);
	return buf[i];
}

static const char *at(struct fx *fx, const char *rel)
{
	return f("%s/%s", fx->dir, rel);
}

/* Write dir/rel (creating its directories), `n` bytes of `text`. */
static void put(struct fx *fx, const char *rel, const char *text, size_t n)
{
	char path[2 * PATH_MAX];
	strcpy(path, at(fx, rel));
	for (char *p = path + strlen(fx->dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	FILE *f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, n, f), n);
	assert_int_equal(fclose(f), 0);
}

static void put_str(struct fx *fx, const char *rel, const char *text)
{
	put(fx, rel, text, strlen(text));
}

static void link_to(struct fx *fx, const char *target, const char *rel)
{
	assert_int_equal(symlink(target, at(fx, rel)), 0);
}

/* The notebook with `on_start = file("<path>")`, the path as an sgl string. */
static const char *notebook_file(struct fx *fx, const char *path)
{
	char lit[PATH_MAX * 2];
	size_t n = 0;
	for (const char *p = path; *p && n + 3 < sizeof lit; p++) {
		/* Strings refuse raw control characters: spell them as escapes. */
		if (*p == '\n' || *p == '\r' || *p == '\t') {
			lit[n++] = '\\';
			lit[n++] = *p == '\n' ? 'n' : *p == '\r' ? 'r' : 't';
		} else {
			if (*p == '"' || *p == '\\')
				lit[n++] = '\\';
			lit[n++] = *p;
		}
	}
	lit[n] = '\0';
	strcpy(fx->text, f(NOTEBOOK_HEAD "    on_start = file(\"%s\")\n  }\n}\n", lit));
	return fx->text;
}

/* ---- compiling and looking at the result ---------------------------------------- */

static void print_diags(struct fx *fx)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);
	struct diag_render_opts o = { .color = false, .cap = 0 };
	diag_render_text(out, &fx->c.diags, &fx->c.src, &o);
	fclose(out);
	print_error("%s", buf);
	free(buf);
}

static bool compile_with_root(struct fx *fx, const char *path, const char *text, const char *root)
{
	if (fx->live)
		compile_free(&fx->c);
	compile_init(&fx->c);
	fx->live = true;
	fx->c.root = root;
	return compile_text(&fx->c, path, text, strlen(text), COMPILE_LOWER);
}

static void build_ok(struct fx *fx, const char *path, const char *text, const char *root)
{
	if (!compile_with_root(fx, path, text, root)) {
		print_diags(fx);
		fail_msg("compile of `%s` failed", path);
	}
	assert_non_null(fx->c.json);
}

/* The only error must have `code`, at the file() argument, saying `msg`. */
static const struct diag *refused(struct fx *fx, const char *path, const char *text,
				  const char *root, const char *code, const char *msg)
{
	if (compile_with_root(fx, path, text, root))
		fail_msg("`%s` built; expected %s: %s", path, code, msg);
	const struct diag *found = NULL;
	for (const struct diag *d = fx->c.diags.head; d; d = d->next) {
		if (d->level != DIAG_ERROR)
			continue;
		if (found || strcmp(diag_code_name(d->code), code) != 0 || strcmp(d->msg, msg) != 0) {
			print_diags(fx);
			fail_msg("expected exactly one error %s: %s", code, msg);
		}
		found = d;
	}
	assert_non_null(found);
	struct src_pos pos = src_locate(src_get(&fx->c.src, found->span.file), found->span.lo);
	assert_int_equal(pos.line, STEP_LINE);
	assert_int_equal(pos.col, STEP_COL);
	return found;
}

static const struct diag *refused_file(struct fx *fx, const char *step_path, const char *code,
				       const char *msg)
{
	return refused(fx, at(fx, "x.sgl"), notebook_file(fx, step_path), NULL, code, msg);
}

static bool has_note(const struct diag *d, const char *text)
{
	for (int i = 0; i < d->nnotes; i++)
		if (strstr(d->notes[i], text))
			return true;
	return d->help && strstr(d->help, text);
}

static const struct cfn_file *out_file(struct fx *fx, const char *path)
{
	for (size_t i = 0; i < fx->c.tmpl->files.n; i++) {
		const struct cfn_file *f = fx->c.tmpl->files.items[i];
		if (strcmp(f->path, path) == 0)
			return f;
	}
	fail_msg("no output file `%s`", path);
	return NULL;
}

static const char *script(struct fx *fx)
{
	return out_file(fx, "lifecycle/nb-on-start.sh")->text;
}

/* Line `n` (1-based) of `text`, without its newline. */
static const char *line_of(const char *text, int n)
{
	static char buf[1024];
	for (int i = 1; i < n && text; i++) {
		text = strchr(text, '\n');
		text = text ? text + 1 : NULL;
	}
	if (!text)
		return "";
	size_t len = strcspn(text, "\n");
	snprintf(buf, sizeof buf, "%.*s", (int)len, text);
	return buf;
}

static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);
	for (const char *p = text; p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (strncmp(p, line, n) == 0 && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

static int sh(const char *cmd)
{
	return system(cmd);
}

/* ---- injection: paths and labels that reach scripts ----------------------------- */

/*
 * The reproducer: a .sgl file named $'envs/x\ntouch pwned\n#.sgl' whose
 * file() names $'s\ntouch pwned2\n#.sh'. Both appear in comments of the
 * script; neither may become a line of its own. The script is parsed by
 * bash -n, checked by shellcheck when installed, and run for real.
 */
static void test_hostile_names_stay_in_comments(void **state)
{
	struct fx *fx = *state;
	put_str(fx, "envs/s\ntouch pwned2\n#.sh", "echo step ran\n");
	const char *text = notebook_file(fx, "s\ntouch pwned2\n#.sh");
	put_str(fx, "envs/x\ntouch pwned\n#.sgl", text);
	build_ok(fx, at(fx, "envs/x\ntouch pwned\n#.sgl"), text, NULL);
	const char *s = script(fx);
	assert_false(has_line(s, "touch pwned"));
	assert_false(has_line(s, "touch pwned2"));
	assert_string_equal(line_of(s, 2), "# Generated by sgc from x\\ntouch pwned\\n#.sgl: notebook nb, "
			    "on start. Do not edit; edit the .sgl file.");
	assert_true(has_line(s, "# ---- file(\"s\\ntouch pwned2\\n#.sh\") ----"));

	put_str(fx, "run/script.sh", s);
	assert_int_equal(sh(f("bash -n '%s'", at(fx, "run/script.sh"))), 0);
	if (sh("command -v shellcheck >/dev/null 2>&1") == 0)
		assert_int_equal(sh(f("shellcheck -s bash '%s'", at(fx, "run/script.sh"))), 0);
	assert_int_equal(sh(f("cd '%s' && bash ./script.sh >/dev/null", at(fx, "run"))), 0);
	struct stat st;
	assert_int_not_equal(stat(at(fx, "run/pwned"), &st), 0);
	assert_int_not_equal(stat(at(fx, "run/pwned2"), &st), 0);
}

/* Carriage returns, escapes and bidirectional controls are escaped too. */
static void test_control_characters_escaped_in_label(void **state)
{
	struct fx *fx = *state;
	const char *name = "a\rb\tc\\d\"e\xe2\x80\xae" "f.sh"; /* U+202E RIGHT-TO-LEFT OVERRIDE */
	put_str(fx, name, "true\n");
	build_ok(fx, at(fx, "x.sgl"), notebook_file(fx, name), NULL);
	assert_true(has_line(script(fx), "# ---- file(\"a\\rb\\tc\\\\d\\\"e\\u{202E}f.sh\") ----"));
}

/* ---- the template does not depend on how the input is spelled ---------------- */

struct built {
	char *json;
	char *script;
};

static struct built keep(struct fx *fx)
{
	struct built b = { strdup(fx->c.json), strdup(script(fx)) };
	return b;
}

static void assert_same(struct fx *fx, const struct built *b, const char *spelling)
{
	if (strcmp(b->json, fx->c.json) != 0 || strcmp(b->script, script(fx)) != 0)
		fail_msg("building `%s` gives another template", spelling);
}

static void test_template_same_however_spelled(void **state)
{
	struct fx *fx = *state;
	put_str(fx, "scripts/s.sh", "echo hello\n");
	const char *text = notebook_file(fx, "scripts/s.sh");
	put_str(fx, "x.sgl", text);
	assert_int_equal(chdir(fx->dir), 0);
	build_ok(fx, "x.sgl", text, NULL);
	assert_string_equal(line_of(script(fx), 2),
			    "# Generated by sgc from x.sgl: notebook nb, on start. Do not edit; edit the .sgl file.");
	struct built first = keep(fx);
	const char *up = f("../%s/x.sgl", strrchr(fx->dir, '/') + 1);
	const char *spellings[] = { "./x.sgl", at(fx, "x.sgl"), "scripts/../x.sgl", up, ".//x.sgl" };
	for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++) {
		build_ok(fx, spellings[i], text, NULL);
		assert_same(fx, &first, spellings[i]);
	}
	assert_int_equal(chdir("/"), 0);
	build_ok(fx, at(fx, "x.sgl"), text, NULL);
	assert_same(fx, &first, "the absolute path, from /");
	free(first.json);
	free(first.script);
}

/* Studio lifecycle configs carry a digest of their script in their name. */
static void test_studio_config_name_same_however_spelled(void **state)
{
	struct fx *fx = *state;
	FILE *f = fopen("examples/studio-public.sgl", "rb");
	assert_non_null(f);
	static char text[65536];
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = '\0';
	put_str(fx, "studio.sgl", text);
	build_ok(fx, at(fx, "studio.sgl"), text, NULL);
	char *json = strdup(fx->c.json);
	assert_int_equal(chdir(fx->dir), 0);
	build_ok(fx, "./studio.sgl", text, NULL);
	bool same = strcmp(json, fx->c.json) == 0;
	free(json);
	if (!same)
		fail_msg("`./studio.sgl` and its absolute path give different templates");
}

static void test_stdin_named_stdin(void **state)
{
	struct fx *fx = *state;
	put_str(fx, "scripts/s.sh", "echo hello\n");
	assert_int_equal(chdir(fx->dir), 0);
	build_ok(fx, "<stdin>", notebook_file(fx, "scripts/s.sh"), NULL);
	assert_string_equal(line_of(script(fx), 2),
			    "# Generated by sgc from <stdin>: notebook nb, on start. Do not edit; edit the .sgl file.");
}

/* --root: the header names the path below it; its spelling does not matter either. */
static void test_root_widened(void **state)
{
	struct fx *fx = *state;
	put_str(fx, "scripts/s.sh", "echo shared\n");
	const char *text = notebook_file(fx, "../scripts/s.sh");
	put_str(fx, "envs/x.sgl", text);
	build_ok(fx, at(fx, "envs/x.sgl"), text, fx->dir);
	assert_string_equal(line_of(script(fx), 2),
			    "# Generated by sgc from envs/x.sgl: notebook nb, on start. Do not edit; edit the .sgl file.");
	assert_true(has_line(script(fx), "echo shared"));
	struct built first = keep(fx);
	char slash[2 * PATH_MAX], dotdot[2 * PATH_MAX];
	strcpy(slash, f("%s/", fx->dir));
	strcpy(dotdot, f("%s/envs/..", fx->dir));
	build_ok(fx, at(fx, "envs/x.sgl"), text, slash);
	assert_same(fx, &first, "--root DIR/");
	build_ok(fx, at(fx, "envs/x.sgl"), text, dotdot);
	assert_same(fx, &first, "--root DIR/envs/..");
	assert_int_equal(chdir(at(fx, "envs")), 0);
	build_ok(fx, "x.sgl", text, "..");
	assert_same(fx, &first, "--root .. from envs/");
	free(first.json);
	free(first.script);
}

/* Without --root, the same file() is refused: the root is the .sgl file's directory. */
static void test_default_root_is_sgl_dir(void **state)
{
	struct fx *fx = *state;
	put_str(fx, "scripts/s.sh", "echo shared\n");
	const char *text = notebook_file(fx, "../scripts/s.sh");
	put_str(fx, "envs/x.sgl", text);
	const char *msg = f("`../scripts/s.sh` leads outside the root `%s`", at(fx, "envs"));
	const struct diag *d = refused(fx, at(fx, "envs/x.sgl"), text, NULL, "E0515", msg);
	assert_true(has_note(d, "--root DIR"));
}

/* A root narrower than the .sgl file's directory: only below it. */
static void test_narrow_root(void **state)
{
	struct fx *fx = *state;
	put_str(fx, "scripts/s.sh", "echo in scripts\n");
	put_str(fx, "other.sh", "echo beside\n");
	char root[2 * PATH_MAX];
	strcpy(root, at(fx, "scripts"));
	build_ok(fx, at(fx, "x.sgl"), notebook_file(fx, "scripts/s.sh"), root);
	assert_string_equal(line_of(script(fx), 2),
			    "# Generated by sgc from ../x.sgl: notebook nb, on start. Do not edit; edit the .sgl file.");
	const char *msg = f("`other.sh` leads outside the root `%s`", root);
	const struct diag *d = refused(fx, at(fx, "x.sgl"), notebook_file(fx, "other.sh"), root,
				       "E0515", msg);
	assert_true(has_note(d, "(--root)"));
}

static void test_root_that_does_not_resolve(void **state)
{
	struct fx *fx = *state;
	put_str(fx, "s.sh", "true\n");
	refused(fx, at(fx, "x.sgl"), notebook_file(fx, "s.sh"), "/nonexistent-sgc-root", "E0505",
		"cannot read `s.sh`: the root `/nonexistent-sgc-root` does not resolve: "
		"No such file or directory");
}

/* ---- file() is confined ------------------------------------------------------------ */

static void test_absolute_paths_refused(void **state)
{
	struct fx *fx = *state;
	refused_file(fx, "/proc/self/environ", "E0515", "`/proc/self/environ` is an absolute path");
	refused_file(fx, "/dev/stdin", "E0515", "`/dev/stdin` is an absolute path");
	refused_file(fx, "/etc/passwd", "E0515", "`/etc/passwd` is an absolute path");
}

static void test_parent_escape_refused(void **state)
{
	struct fx *fx = *state;
	const char *up = "../../../../../../../../../../../../etc/passwd";
	const char *msg = f("`%s` leads outside the root `%s`", up, fx->dir);
	refused_file(fx, up, "E0515", msg);
}

static void test_symlinks_out_refused(void **state)
{
	struct fx *fx = *state;
	link_to(fx, "/etc/passwd", "passwd.sh");
	link_to(fx, "/etc", "etc");
	link_to(fx, "/dev/stdin", "stdin.sh");
	link_to(fx, "/proc/self/environ", "environ.sh");
	link_to(fx, "..", "up");
	const char *paths[] = { "passwd.sh", "etc/passwd", "stdin.sh", "environ.sh", "up/x" };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
			const char *msg = f("`%s` leads outside the root `%s`", paths[i], fx->dir);
		refused_file(fx, paths[i], "E0515", msg);
	}
}

/* Links that stay inside are followed, relative or absolute. */
static void test_symlinks_inside_followed(void **state)
{
	struct fx *fx = *state;
	put_str(fx, "scripts/s.sh", "echo through a link\n");
	link_to(fx, "scripts/s.sh", "alias.sh");
	link_to(fx, at(fx, "scripts"), "abs");
	link_to(fx, "../scripts/s.sh", "scripts/again.sh");
	const char *paths[] = { "alias.sh", "abs/s.sh", "scripts/again.sh", "scripts/../alias.sh" };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
		build_ok(fx, at(fx, "x.sgl"), notebook_file(fx, paths[i]), NULL);
		assert_true(has_line(script(fx), "echo through a link"));
	}
}

/*
 * Whether something exists outside the root is never revealed: a path
 * into a directory that exists and one that does not, a link to a file
 * that exists and one that does not, are refused alike.
 */
static void test_outside_existence_not_revealed(void **state)
{
	struct fx *fx = *state;
	link_to(fx, "/etc/passwd", "there.sh");
	link_to(fx, "/nonexistent-sgc-dir/x", "nowhere.sh");
	const char *paths[] = { "../../etc/passwd", "../../nonexistent-sgc-dir/x", "there.sh",
				"nowhere.sh" };
	for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
			const char *msg = f("`%s` leads outside the root `%s`", paths[i], fx->dir);
		refused_file(fx, paths[i], "E0515", msg);
	}
}

/*
 * A FIFO used to block the build forever; the alarm turns a hang into a
 * failure (SIGALRM ends the test program: a hang-guard, not a timing test).
 */
static void test_fifo_refused_without_blocking(void **state)
{
	struct fx *fx = *state;
	assert_int_equal(mkfifo(at(fx, "fifo.sh"), 0600), 0);
	alarm(60);
	refused_file(fx, "fifo.sh", "E0505", "cannot read `fifo.sh`: it is a FIFO");
	alarm(0);
}

static void test_directory_refused(void **state)
{
	struct fx *fx = *state;
	put_str(fx, "scripts/s.sh", "true\n");
	refused_file(fx, "scripts", "E0505", "cannot read `scripts`: it is a directory");
	refused_file(fx, ".", "E0505", "cannot read `.`: it is a directory");
}

/* The size in the message is the file's: it used to stop counting at 1 MiB. */
static void test_oversized_reports_real_size(void **state)
{
	struct fx *fx = *state;
	size_t n = 2000000;
	char *big = malloc(n);
	assert_non_null(big);
	memset(big, '#', n);
	put(fx, "big.sh", big, n);
	free(big);
	refused_file(fx, "big.sh", "E0501",
		     "`big.sh` is 2000000 bytes; a lifecycle script takes at most 12288");
}

/* A script of many file() steps: too large, with its exact size. */
static void test_many_steps_counted(void **state)
{
	struct fx *fx = *state;
	char chunk[5000];
	memset(chunk, '#', sizeof chunk - 1);
	chunk[sizeof chunk - 1] = '\n';
	put(fx, "s.sh", chunk, sizeof chunk);
	strcpy(fx->text, NOTEBOOK_HEAD "    on_start = [file(\"s.sh\"), file(\"s.sh\"), file(\"s.sh\")]\n  }\n}\n");
	size_t header = strlen("#!/bin/bash\n"
			       "# Generated by sgc from x.sgl: notebook nb, on start. Do not edit; edit the .sgl file.\n"
			       "set -euo pipefail\n");
	size_t step = strlen("\n# ---- file(\"s.sh\") ----\n") + sizeof chunk;
	assert_false(compile_with_root(fx, at(fx, "x.sgl"), fx->text, NULL));
	const struct diag *d = fx->c.diags.head;
	assert_non_null(d);
	assert_string_equal(diag_code_name(d->code), "E0501");
	assert_string_equal(d->msg, f("lifecycle script `nb-on-start.sh` is %zu bytes; CloudFormation "
				      "takes at most 12288", header + 3 * step));
}

static void test_other_reasons_named(void **state)
{
	struct fx *fx = *state;
	put_str(fx, "s.sh", "true\n");
	link_to(fx, "loop2", "loop1");
	link_to(fx, "loop1", "loop2");
	refused_file(fx, "missing.sh", "E0505", "cannot read `missing.sh`: no such file");
	refused_file(fx, "s.sh/x", "E0505",
		     "cannot read `s.sh/x`: a part of the path is not a directory");
	refused_file(fx, "loop1", "E0505", "cannot read `loop1`: too many symbolic links");
	refused_file(fx, "", "E0503", "`file` takes a non-empty path");
}

/* The refusal of `path` as another user would see it: the one error's message. */
static bool refused_as(struct fx *fx, const char *path, const char *msg)
{
	if (!compile_with_root(fx, at(fx, "x.sgl"), notebook_file(fx, path), NULL)) {
		const struct diag *d = fx->c.diags.head;
		if (d && !d->next && strcmp(d->msg, msg) == 0)
			return true;
	}
	print_diags(fx);
	return false;
}

/*
 * Root reads files whatever their mode, through CAP_DAC_OVERRIDE and
 * CAP_DAC_READ_SEARCH: as root, the check runs in a child that gives up
 * those two and so meets the mode bits like any owner.
 */
static bool drop_file_read_capabilities(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	if (syscall(SYS_capget, &h, d) != 0)
		return false;
	unsigned drop = 1u << CAP_DAC_OVERRIDE | 1u << CAP_DAC_READ_SEARCH;
	d[0].effective &= ~drop;
	d[0].permitted &= ~drop;
	d[0].inheritable &= ~drop;
	return syscall(SYS_capset, &h, d) == 0;
}

static void test_permission_denied(void **state)
{
	struct fx *fx = *state;
	put_str(fx, "secret.sh", "true\n");
	put_str(fx, "locked/s.sh", "true\n");
	assert_int_equal(chmod(at(fx, "secret.sh"), 0), 0);
	assert_int_equal(chmod(at(fx, "locked"), 0), 0);
	const char *want[] = { "cannot read `secret.sh`: permission denied",
			       "cannot read `locked/s.sh`: permission denied" };
	if (geteuid() != 0) {
		assert_true(refused_as(fx, "secret.sh", want[0]));
		assert_true(refused_as(fx, "locked/s.sh", want[1]));
		return;
	}
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		bool ok = drop_file_read_capabilities() && refused_as(fx, "secret.sh", want[0]) &&
			  refused_as(fx, "locked/s.sh", want[1]);
		_exit(ok ? 0 : 1);
	}
	int status;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_hostile_names_stay_in_comments),
		T(test_control_characters_escaped_in_label),
		T(test_template_same_however_spelled),
		T(test_studio_config_name_same_however_spelled),
		T(test_stdin_named_stdin),
		T(test_root_widened),
		T(test_default_root_is_sgl_dir),
		T(test_narrow_root),
		T(test_root_that_does_not_resolve),
		T(test_absolute_paths_refused),
		T(test_parent_escape_refused),
		T(test_symlinks_out_refused),
		T(test_symlinks_inside_followed),
		T(test_outside_existence_not_revealed),
		T(test_directory_refused),
		T(test_oversized_reports_real_size),
		T(test_many_steps_counted),
		T(test_other_reasons_named),
		T(test_permission_denied),
		T(test_fifo_refused_without_blocking), /* last: a hang ends the run */
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
