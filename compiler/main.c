/*
 * main.c - the sgc command line. The only place that prints or exits.
 *
 *   sgc build FILE [-o OUT]    compile to a CloudFormation template
 *   sgc check FILE...          diagnostics only
 *
 * With -o, the lifecycle scripts and remote-access helpers the template
 * embeds or refers to are written beside it (lifecycle/, remote/).
 *
 * Exit status: 0 success, 1 diagnostics with errors, 2 usage or I/O.
 * Output files are written to a temporary file beside the target and
 * renamed into place, so a failed build leaves nothing behind.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include "compile.h"
#include "diag.h"
#include "emit.h"
#include "fmt.h"
#include "iam.h"
#include "stdmod.h"
#include "vars.h"

#ifndef SGC_VERSION
#define SGC_VERSION "0.1.0"
#endif

enum exit_code {
	EXIT_OK = 0,
	EXIT_DIAGNOSTICS = 1,
	EXIT_USAGE = 2,
};

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct options {
	const char *command;
	const char **files;
	int nfiles;
	const char *output;
	enum color_mode color;
	bool deny_warnings;
	const char *format;         /* --format: text|json|sarif|github (check), json|yaml (build) */
	const char *vars_file;      /* --vars */
	bool check_only;            /* fmt --check */
	const char **defines;       /* -D name=value, in order */
	int ndefines;
};

enum { MAX_INPUT = 64 * 1024 * 1024 };

static const char usage_text[] =
	"usage: sgc <command> [options] [FILE...]\n"
	"\n"
	"Compile .sgl environment descriptions into CloudFormation templates.\n"
	"\n"
	"commands:\n"
	"  build FILE [-o OUT]   check FILE and write its template (stdout without -o)\n"
	"  check FILE...         check files and print diagnostics only\n"
	"  explain CODE          explain a diagnostic code, e.g. `sgc explain E0305`\n"
	"  fmt FILE|DIR...       rewrite files in the canonical layout (--check: list, don't write)\n"
	"  iam FILE              what each IAM identity of FILE must and must not be allowed\n"
	"  help [COMMAND]        show help for sgc or for one command\n"
	"  version               print the version\n"
	"\n"
	"options:\n"
	"  -o, --output OUT      where `build` writes the template\n"
	"  --format FORMAT       check: text (default), json, sarif, github;\n"
	"                        build: json (default) or yaml (or from OUT's extension)\n"
	"  --vars FILE           parameter values for this stage (YAML or JSON)\n"
	"  -D NAME=VALUE         one parameter value; wins over --vars\n"
	"  --color=WHEN          colour diagnostics: auto (default), always, never\n"
	"  --deny warnings       treat warnings as errors\n"
	"  -h, --help            show this help\n"
	"  --version             print the version\n"
	"\n"
	"FILE may be `-` for standard input.\n"
	"exit status: 0 success, 1 errors in the input, 2 usage or I/O problems.\n"
	"The language is documented in docs/language.md.\n";

static const char build_help[] =
	"usage: sgc build FILE [-o OUT] [--format json|yaml] [--vars FILE] [-D NAME=VALUE]\n"
	"                 [--color=WHEN] [--deny warnings]\n"
	"\n"
	"Check FILE and, if it has no errors, write its CloudFormation template\n"
	"to OUT, or to standard output without -o: JSON, or YAML with --format yaml\n"
	"or an OUT ending in .yaml or .yml. OUT is written through a\n"
	"temporary file and renamed into place: on any error nothing is written.\n"
	"Diagnostics go to standard error.\n"
	"\n"
	"Beside OUT it also writes OUT's name with .params.json (parameter values for\n"
	"`aws cloudformation deploy --parameter-overrides file://...` or\n"
	"`create-stack --parameters file://...`), and lifecycle/ and remote/ files.\n"
	"\n"
	"  --vars FILE      values for `param` declarations: `name: value` per line\n"
	"                   (YAML) or a JSON object; -D NAME=VALUE sets one more\n"
	"\n"
	"example:\n"
	"  sgc build examples/isolated-network.sgl -o stack.json\n";

static const char check_help[] =
	"usage: sgc check FILE|DIR... [--format FORMAT] [--color=WHEN] [--deny warnings]\n"
	"\n"
	"Check each FILE (and every *.sgl below each DIR) and print the diagnostics;\n"
	"write nothing else. Exit 1 if any file has an error.\n"
	"\n"
	"  --format text     rustc-style text on standard error (default)\n"
	"  --format json     one JSON array of diagnostics on standard output\n"
	"  --format sarif    a SARIF 2.1.0 log on standard output (GitHub code scanning)\n"
	"  --format github   GitHub Actions ::error/::warning annotations on standard output\n"
	"  --vars FILE, -D NAME=VALUE   check with a stage's parameter values\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "sgc: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\ntry `sgc --help`\n");
	va_end(ap);
	return EXIT_USAGE;
}

static int parse_args(int argc, char **argv, struct options *o)
{
	o->files = calloc((size_t)argc, sizeof *o->files);
	o->defines = calloc((size_t)argc, sizeof *o->defines);
	if (!o->files || !o->defines)
		return usage_error("%s", "out of memory");
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (++i == argc)
				return usage_error("`%s` needs a file name", a);
			o->output = argv[i];
		} else if (strncmp(a, "--output=", 9) == 0) {
			o->output = a + 9;
		} else if (strncmp(a, "--color=", 8) == 0) {
			const char *w = a + 8;
			if (strcmp(w, "auto") == 0)
				o->color = COLOR_AUTO;
			else if (strcmp(w, "always") == 0)
				o->color = COLOR_ALWAYS;
			else if (strcmp(w, "never") == 0)
				o->color = COLOR_NEVER;
			else
				return usage_error("--color takes auto, always or never, not `%s`", w);
		} else if (strcmp(a, "--deny") == 0) {
			if (++i == argc || strcmp(argv[i], "warnings") != 0)
				return usage_error("%s", "`--deny` takes `warnings`");
			o->deny_warnings = true;
		} else if (strcmp(a, "--deny=warnings") == 0) {
			o->deny_warnings = true;
		} else if (strcmp(a, "--format") == 0) {
			if (++i == argc)
				return usage_error("%s", "`--format` needs a format name");
			o->format = argv[i];
		} else if (strncmp(a, "--format=", 9) == 0) {
			o->format = a + 9;
		} else if (strcmp(a, "--check") == 0) {
			o->check_only = true;
		} else if (strcmp(a, "--vars") == 0) {
			if (++i == argc)
				return usage_error("%s", "`--vars` needs a file name");
			o->vars_file = argv[i];
		} else if (strncmp(a, "--vars=", 7) == 0) {
			o->vars_file = a + 7;
		} else if (strcmp(a, "-D") == 0) {
			if (++i == argc)
				return usage_error("%s", "`-D` needs `name=value`");
			o->defines[o->ndefines++] = argv[i];
		} else if (strncmp(a, "-D", 2) == 0) {
			o->defines[o->ndefines++] = a + 2;
		} else if (a[0] == '-' && a[1] != '\0') {
			return usage_error("unknown option `%s`", a);
		} else if (!o->command) {
			o->command = a;
		} else {
			o->files[o->nfiles++] = a;
		}
	}
	return EXIT_OK;
}

/* Whole file (or stdin) into a malloc'd buffer. */
static char *read_input(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "sgc: cannot read `%s`: %s\n", path, strerror(errno));
		return NULL;
	}
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n == cap) {
			if (cap >= MAX_INPUT) {
				fprintf(stderr, "sgc: `%s` is larger than %d MiB\n", path,
					MAX_INPUT >> 20);
				free(buf);
				buf = NULL;
				break;
			}
			char *more = realloc(buf, cap * 2);
			if (!more) {
				free(buf);
				buf = NULL;
				break;
			}
			buf = more;
			cap *= 2;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			if (ferror(f)) {
				fprintf(stderr, "sgc: cannot read `%s`: %s\n", path,
					strerror(errno));
				free(buf);
				buf = NULL;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	*len = n;
	return buf;
}

static bool use_color(enum color_mode m)
{
	if (m != COLOR_AUTO)
		return m == COLOR_ALWAYS;
	const char *term = getenv("TERM");
	return isatty(STDERR_FILENO) && !getenv("NO_COLOR") && term &&
	       strcmp(term, "dumb") != 0;
}

/* A file written to a temporary beside its target, renamed in place later. */
struct pending {
	char *tmp;
	const char *path;
};

/* Write `data` to `path.tmp.XXXXXX`; the caller renames or unlinks it. */
static bool write_temp(const char *path, const char *data, size_t len, bool exec,
		       struct pending *p)
{
	size_t n = strlen(path);
	p->path = path;
	p->tmp = malloc(n + 12);
	if (!p->tmp)
		return false;
	memcpy(p->tmp, path, n);
	memcpy(p->tmp + n, ".tmp.XXXXXX", 12);
	int fd = mkstemp(p->tmp);
	if (fd < 0) {
		fprintf(stderr, "sgc: cannot write `%s`: %s\n", path, strerror(errno));
		free(p->tmp);
		p->tmp = NULL;
		return false;
	}
	FILE *f = fdopen(fd, "wb");
	bool ok = f && fwrite(data, 1, len, f) == len;
	ok = f && fclose(f) == 0 && ok;
	if (!f)
		close(fd);
	/* mkstemp makes the file 0600; an output file should look like any other. */
	ok = ok && chmod(p->tmp, exec ? 0755 : 0644) == 0;
	if (!ok)
		fprintf(stderr, "sgc: cannot write `%s`: %s\n", path, strerror(errno));
	return ok;
}

/* Create the directories of `path` below its first `skip` bytes (the output's own directory). */
static bool make_parent_dirs(char *path, size_t skip)
{
	for (char *p = path + skip; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		bool ok = mkdir(path, 0755) == 0 || errno == EEXIST;
		*p = '/';
		if (!ok) {
			fprintf(stderr, "sgc: cannot create `%s`: %s\n", path, strerror(errno));
			return false;
		}
	}
	return true;
}

/*
 * The template and the files beside it (lifecycle scripts, remote-access
 * helpers) are all written to temporaries first and renamed only when
 * every one was written, so an I/O error leaves no partial set behind.
 */
static int write_outputs(const char *out, const char *json, size_t len,
			 const struct cfn_template *t)
{
	size_t nfiles = t->files.n;
	struct pending *p = calloc(nfiles + 1, sizeof *p);
	char **paths = calloc(nfiles + 1, sizeof *paths);
	bool ok = p && paths;
	const char *slash = strrchr(out, '/');
	int dirlen = slash ? (int)(slash - out) + 1 : 0;
	/* The template's temporary first: a missing output directory fails before any side file. */
	ok = ok && write_temp(out, json, len, false, &p[nfiles]);
	for (size_t i = 0; ok && i < nfiles; i++) {
		const struct cfn_file *f = t->files.items[i];
		paths[i] = malloc((size_t)dirlen + strlen(f->path) + 1);
		if (!paths[i]) {
			ok = false;
			break;
		}
		sprintf(paths[i], "%.*s%s", dirlen, out, f->path);
		ok = make_parent_dirs(paths[i], (size_t)dirlen) &&
		     write_temp(paths[i], f->text, f->len, f->executable, &p[i]);
	}
	for (size_t i = 0; ok && i <= nfiles; i++) {
		if (rename(p[i].tmp, p[i].path) != 0) {
			fprintf(stderr, "sgc: cannot write `%s`: %s\n", p[i].path, strerror(errno));
			ok = false;
		}
	}
	for (size_t i = 0; p && i <= nfiles; i++) {
		if (p[i].tmp && !ok)
			unlink(p[i].tmp);
		free(p[i].tmp);
	}
	for (size_t i = 0; paths && i < nfiles; i++)
		free(paths[i]);
	free(paths);
	free(p);
	return ok ? EXIT_OK : EXIT_USAGE;
}

/* --vars and -D into the compile, before the source is checked. */
static bool load_vars(struct compile *c, const struct options *o)
{
	if (o->vars_file) {
		size_t len;
		char *text = read_input(o->vars_file, &len);
		if (!text)
			return false;
		vars_load(c->arena, &c->src, &c->diags, o->vars_file, text, len, &c->vars);
		free(text);
	}
	for (int i = 0; i < o->ndefines; i++)
		vars_define(c->arena, &c->src, &c->diags, o->defines[i], &c->vars);
	return true;
}

/* `out/stack.json` -> `stack.params.json`, written beside the template. */
static void add_params_file(struct compile *c, const char *out)
{
	const char *base = strrchr(out, '/') ? strrchr(out, '/') + 1 : out;
	size_t n = strlen(base);
	static const char *const exts[] = { ".json", ".yaml", ".yml" };
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		size_t k = strlen(exts[i]);
		if (n > k && strcmp(base + n - k, exts[i]) == 0) {
			n -= k;
			break;
		}
	}
	size_t len;
	char *json = emit_params_json(c->tmpl, &len);
	if (!json)
		return;
	char *copy = arena_strndup(c->arena, json, len);
	free(json);
	cfn_add_file(c->tmpl, arena_printf(c->arena, "%.*s.params.json", (int)n, base), copy, len,
		     false);
}

static void report(struct compile *c, const struct options *o)
{
	if (o->deny_warnings)
		diag_deny_warnings(&c->diags);
	struct diag_render_opts ro = { .color = use_color(o->color), .cap = 50 };
	diag_render_text(stderr, &c->diags, &c->src, &ro);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every *.sgl below `dir`, sorted, so output order never depends on readdir. */
static bool collect_dir(const char *dir, char ***paths, size_t *n, size_t *cap)
{
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "sgc: cannot read `%s`: %s\n", dir, strerror(errno));
		return false;
	}
	char **names = NULL;
	size_t nn = 0, nc = 0;
	bool ok = true;
	for (struct dirent *e; ok && (e = readdir(d)) != NULL;) {
		if (e->d_name[0] == '.')
			continue;
		if (nn == nc) {
			nc = nc ? nc * 2 : 16;
			char **more = realloc(names, nc * sizeof *names);
			if (!more) {
				ok = false;
				break;
			}
			names = more;
		}
		size_t len = strlen(dir) + strlen(e->d_name) + 2;
		names[nn] = malloc(len);
		if (!names[nn]) {
			ok = false;
			break;
		}
		snprintf(names[nn++], len, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/", e->d_name);
	}
	closedir(d);
	qsort(names, nn, sizeof *names, by_name);
	for (size_t i = 0; i < nn; i++) {
		struct stat st;
		size_t len = strlen(names[i]);
		if (ok && stat(names[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			ok = collect_dir(names[i], paths, n, cap);
		} else if (ok && len > 4 && strcmp(names[i] + len - 4, ".sgl") == 0) {
			if (*n == *cap) {
				*cap = *cap ? *cap * 2 : 16;
				char **more = realloc(*paths, *cap * sizeof **paths);
				if (!more) {
					ok = false;
					free(names[i]);
					continue;
				}
				*paths = more;
			}
			(*paths)[(*n)++] = names[i];
			continue;
		}
		free(names[i]);
	}
	free(names);
	return ok;
}

static bool collect_inputs(const struct options *o, char ***paths, size_t *n)
{
	size_t cap = 0;
	*paths = NULL;
	*n = 0;
	for (int i = 0; i < o->nfiles; i++) {
		struct stat st;
		if (strcmp(o->files[i], "-") != 0 && stat(o->files[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			if (!collect_dir(o->files[i], paths, n, &cap))
				return false;
			continue;
		}
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			char **more = realloc(*paths, cap * sizeof **paths);
			if (!more)
				return false;
			*paths = more;
		}
		(*paths)[(*n)++] = strdup(o->files[i]);
	}
	return true;
}

enum check_format { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_GITHUB };

static int cmd_check(const struct options *o)
{
	if (o->nfiles == 0)
		return usage_error("%s", "`check` needs at least one file or directory");
	enum check_format fmt = FMT_TEXT;
	if (o->format) {
		if (strcmp(o->format, "json") == 0)
			fmt = FMT_JSON;
		else if (strcmp(o->format, "sarif") == 0)
			fmt = FMT_SARIF;
		else if (strcmp(o->format, "github") == 0)
			fmt = FMT_GITHUB;
		else if (strcmp(o->format, "text") != 0)
			return usage_error("`check --format` takes text, json, sarif or github, not `%s`", o->format);
	}
	char **paths;
	size_t n;
	if (!collect_inputs(o, &paths, &n)) {
		free(paths);
		return EXIT_USAGE;
	}
	/* Machine formats render every file's diagnostics at once, at the end. */
	struct compile *cs = calloc(n + 1, sizeof *cs);
	const struct diag_sink **sinks = calloc(n + 1, sizeof *sinks);
	const struct src_map **maps = calloc(n + 1, sizeof *maps);
	int status = cs && sinks && maps ? EXIT_OK : EXIT_USAGE;
	size_t done = 0;
	for (size_t i = 0; status != EXIT_USAGE && i < n; i++) {
		size_t len;
		char *text = read_input(paths[i], &len);
		if (!text) {
			status = EXIT_USAGE;
			continue;
		}
		struct compile *c = &cs[done++];
		compile_init(c);
		const char *name = strcmp(paths[i], "-") == 0 ? "<stdin>" : paths[i];
		if (load_vars(c, o) && !diag_has_errors(&c->diags))
			compile_text(c, name, text, len, COMPILE_CHECK);
		free(text);
		if (o->deny_warnings)
			diag_deny_warnings(&c->diags);
		if (fmt == FMT_TEXT) {
			struct diag_render_opts ro = { .color = use_color(o->color), .cap = 50 };
			diag_render_text(stderr, &c->diags, &c->src, &ro);
		}
		if (diag_has_errors(&c->diags) && status == EXIT_OK)
			status = EXIT_DIAGNOSTICS;
		sinks[done - 1] = &c->diags;
		maps[done - 1] = &c->src;
	}
	if (fmt == FMT_JSON)
		diag_render_json(stdout, sinks, maps, done);
	else if (fmt == FMT_SARIF)
		diag_render_sarif(stdout, sinks, maps, done, SGC_VERSION);
	else if (fmt == FMT_GITHUB)
		diag_render_github(stdout, sinks, maps, done);
	for (size_t i = 0; i < done; i++)
		compile_free(&cs[i]);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(cs);
	free(sinks);
	free(maps);
	return status;
}

/* --format yaml, or an output named *.yaml / *.yml without --format. */
static bool wants_yaml(const struct options *o)
{
	if (o->format)
		return strcmp(o->format, "yaml") == 0;
	size_t n = o->output ? strlen(o->output) : 0;
	return (n > 5 && strcmp(o->output + n - 5, ".yaml") == 0) ||
	       (n > 4 && strcmp(o->output + n - 4, ".yml") == 0);
}

static int cmd_build(const struct options *o)
{
	if (o->nfiles != 1)
		return usage_error("%s", "`build` takes exactly one file");
	if (o->format && strcmp(o->format, "json") != 0 && strcmp(o->format, "yaml") != 0)
		return usage_error("`build --format` takes json or yaml, not `%s`", o->format);
	size_t len;
	char *text = read_input(o->files[0], &len);
	if (!text)
		return EXIT_USAGE;
	struct compile c;
	compile_init(&c);
	const char *name = strcmp(o->files[0], "-") == 0 ? "<stdin>" : o->files[0];
	if (!load_vars(&c, o)) {
		free(text);
		compile_free(&c);
		return EXIT_USAGE;
	}
	if (!diag_has_errors(&c.diags))
		compile_text(&c, name, text, len, COMPILE_LOWER);
	free(text);
	report(&c, o);
	int status = EXIT_OK;
	if (diag_has_errors(&c.diags) || !c.tmpl) {
		status = EXIT_DIAGNOSTICS;
	} else {
		bool yaml = wants_yaml(o);
		size_t n = c.json_len;
		char *yaml_text = yaml ? emit_yaml(c.tmpl, &n) : NULL;
		const char *json = yaml ? yaml_text : c.json;
		if (!json) {
			fprintf(stderr, "sgc: out of memory while writing the template\n");
			status = EXIT_USAGE;
		} else if (o->output && strcmp(o->output, "-") != 0) {
			add_params_file(&c, o->output);
			status = write_outputs(o->output, json, n, c.tmpl);
		} else if (fwrite(json, 1, n, stdout) != n || fflush(stdout) != 0) {
			fprintf(stderr, "sgc: cannot write the template: %s\n", strerror(errno));
			status = EXIT_USAGE;
		}
		free(yaml_text);
	}
	compile_free(&c);
	return status;
}

static const char iam_help[] =
	"usage: sgc iam FILE [--format text|json] [--vars FILE] [-D NAME=VALUE]\n"
	"\n"
	"List, for each IAM identity FILE's template creates (execution roles) or\n"
	"asks a person to use (a remote-access developer's policy), every request\n"
	"it must be allowed to make and the ones it must be refused: the action,\n"
	"the resource, the request context, what in FILE asks for it, who makes\n"
	"the call (a script sgc emits, AWS on its behalf, the user) and the AWS\n"
	"documentation that says so. tests/deploy holds the emitted policies to\n"
	"it. docs/iam.md describes the JSON.\n";

static void print_request_text(const struct iam_request *q, const struct src_map *src)
{
	const struct cv *r = q->resource;
	const char *res = r->kind == CV_STR ? r->u.s : cv_get(r, "Fn::Sub")->u.s;
	const struct src_file *f = src_get(src, q->span.file);
	printf("  %-36s %s\n", q->action, res);
	printf("  %-36s line %u: %s (%s)%s%s\n", "", src_locate(f, q->span.lo).line, q->capability,
	       q->why ? "refused" : "needed", q->why ? ": " : "", q->why ? q->why : "");
}

static int cmd_iam(const struct options *o)
{
	if (o->nfiles != 1)
		return usage_error("%s", "`iam` takes exactly one file");
	if (o->format && strcmp(o->format, "json") != 0 && strcmp(o->format, "text") != 0)
		return usage_error("`iam --format` takes text or json, not `%s`", o->format);
	size_t len;
	char *text = read_input(o->files[0], &len);
	if (!text)
		return EXIT_USAGE;
	struct compile c;
	compile_init(&c);
	const char *name = strcmp(o->files[0], "-") == 0 ? "<stdin>" : o->files[0];
	if (load_vars(&c, o) && !diag_has_errors(&c.diags))
		compile_text(&c, name, text, len, COMPILE_LOWER);
	free(text);
	report(&c, o);
	int status = EXIT_OK;
	if (diag_has_errors(&c.diags) || !c.tmpl) {
		status = EXIT_DIAGNOSTICS;
	} else {
		struct iam_report *r = iam_report(c.arena, c.env, c.tmpl, &c.src);
		if (o->format && strcmp(o->format, "json") == 0) {
			size_t n;
			char *json = emit_value_json(iam_report_value(c.arena, r, c.env, &c.src), &n);
			if (!json || fwrite(json, 1, n, stdout) != n)
				status = EXIT_USAGE;
			free(json);
		} else {
			for (size_t i = 0; i < r->identities.n; i++) {
				const struct iam_identity *id = r->identities.items[i];
				printf("%s (%s, %s)\n", id->id, id->kind, id->what);
				for (size_t k = 0; k < r->needs.n; k++)
					if (strcmp(((const struct iam_request *)r->needs.items[k])->identity, id->id) == 0)
						print_request_text(r->needs.items[k], &c.src);
				for (size_t k = 0; k < r->refused.n; k++)
					if (strcmp(((const struct iam_request *)r->refused.items[k])->identity, id->id) == 0)
						print_request_text(r->refused.items[k], &c.src);
			}
		}
		if (fflush(stdout) != 0)
			status = EXIT_USAGE;
	}
	compile_free(&c);
	return status;
}

/*
 * The section `## CODE: title` of docs/diagnostics.md, embedded at build
 * time, up to the next `## ` heading: the same text the docs show.
 */
static int cmd_explain(const struct options *o)
{
	if (o->nfiles != 1)
		return usage_error("%s", "`explain` takes one code, e.g. `sgc explain E0305`");
	enum diag_code code;
	char upper[16];
	size_t n = strlen(o->files[0]);
	for (size_t i = 0; i < n && i < sizeof upper - 1; i++)
		upper[i] = (char)(o->files[0][i] >= 'a' && o->files[0][i] <= 'z'
				  ? o->files[0][i] - 'a' + 'A' : o->files[0][i]);
	upper[n < sizeof upper - 1 ? n : sizeof upper - 1] = '\0';
	if (!diag_code_parse(upper, &code))
		return usage_error("no diagnostic code `%s`", o->files[0]);
	const struct stdlib_file *doc = stdlib_find("docs/diagnostics.md");
	char heading[32];
	snprintf(heading, sizeof heading, "## %s:", diag_code_name(code));
	const char *start = doc ? strstr(doc->text, heading) : NULL;
	if (!start) {
		printf("%s: %s\n", diag_code_name(code), diag_code_title(code));
		return EXIT_OK;
	}
	const char *end = strstr(start + 3, "\n## ");
	size_t len = end ? (size_t)(end - start) + 1 : strlen(start);
	fwrite(start, 1, len, stdout);
	return EXIT_OK;
}

static const char fmt_help[] =
	"usage: sgc fmt [--check] FILE|DIR...\n"
	"\n"
	"Rewrite each FILE (and every *.sgl below each DIR) in the one canonical\n"
	"layout: 2-space indentation, `=` aligned within a block, comments kept.\n"
	"Formatting never changes meaning: the template built from the formatted\n"
	"file is byte-identical. `-` formats standard input to standard output.\n"
	"\n"
	"  --check   write nothing; list the files that would change and exit 1\n";

/* Format one file; returns 0 unchanged, 1 changed (or would), -1 not formatted, -2 I/O. */
static int fmt_one(const char *path, bool check_only)
{
	size_t len;
	char *text = read_input(path, &len);
	if (!text)
		return -2;
	struct arena *a = arena_new();
	size_t out_len;
	const char *out = fmt_source(a, text, len, &out_len);
	int result;
	if (!out) {
		fprintf(stderr, "sgc: cannot format `%s`: it does not parse (see `sgc check %s`)\n",
			path, path);
		result = -1;
	} else if (strcmp(path, "-") == 0) {
		if (!check_only)
			fwrite(out, 1, out_len, stdout);
		result = out_len != len || memcmp(out, text, len) != 0;
	} else if (out_len == len && memcmp(out, text, len) == 0) {
		result = 0;
	} else if (check_only) {
		printf("%s\n", path);
		result = 1;
	} else {
		struct pending p = { 0 };
		bool ok = write_temp(path, out, out_len, false, &p) && rename(p.tmp, path) == 0;
		if (!ok && p.tmp)
			unlink(p.tmp);
		free(p.tmp);
		result = ok ? 1 : -2;
	}
	arena_free(a);
	free(text);
	return result;
}

static int cmd_fmt(const struct options *o)
{
	if (o->nfiles == 0)
		return usage_error("%s", "`fmt` needs at least one file or directory (or `-`)");
	char **paths;
	size_t n;
	if (!collect_inputs(o, &paths, &n)) {
		free(paths);
		return EXIT_USAGE;
	}
	int status = EXIT_OK;
	for (size_t i = 0; i < n; i++) {
		int r = fmt_one(paths[i], o->check_only);
		if (r == -2)
			status = EXIT_USAGE;
		else if ((r == -1 || (r == 1 && o->check_only)) && status == EXIT_OK)
			status = EXIT_DIAGNOSTICS;
		free(paths[i]);
	}
	free(paths);
	return status;
}

static int cmd_help(const struct options *o)
{
	const char *topic = o->nfiles ? o->files[0] : NULL;
	if (!topic)
		fputs(usage_text, stdout);
	else if (strcmp(topic, "build") == 0)
		fputs(build_help, stdout);
	else if (strcmp(topic, "check") == 0)
		fputs(check_help, stdout);
	else if (strcmp(topic, "fmt") == 0)
		fputs(fmt_help, stdout);
	else if (strcmp(topic, "iam") == 0)
		fputs(iam_help, stdout);
	else
		return usage_error("no help for `%s`", topic);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			fputs(usage_text, stdout);
			return EXIT_OK;
		}
		if (strcmp(argv[i], "--version") == 0) {
			printf("sgc %s\n", SGC_VERSION);
			return EXIT_OK;
		}
	}
	struct options o = { 0 };
	int status = parse_args(argc, argv, &o);
	if (status == EXIT_OK) {
		if (!o.command)
			status = usage_error("%s", "no command given");
		else if (strcmp(o.command, "build") == 0)
			status = cmd_build(&o);
		else if (strcmp(o.command, "check") == 0)
			status = cmd_check(&o);
		else if (strcmp(o.command, "help") == 0)
			status = cmd_help(&o);
		else if (strcmp(o.command, "explain") == 0)
			status = cmd_explain(&o);
		else if (strcmp(o.command, "fmt") == 0)
			status = cmd_fmt(&o);
		else if (strcmp(o.command, "iam") == 0)
			status = cmd_iam(&o);
		else if (strcmp(o.command, "version") == 0)
			printf("sgc %s\n", SGC_VERSION);
		else
			status = usage_error("unknown command `%s`", o.command);
	}
	free(o.files);
	free(o.defines);
	return status;
}
