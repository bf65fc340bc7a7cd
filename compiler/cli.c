/*
 * cli.c - parsing the command line (getopt_long) and the help texts.
 *
 * One table lists every option with the commands that take it; each
 * command's getopt table is built from it, so an option another command
 * takes is refused with a message that says so (`check -o` used to be
 * silently ignored).
 */
#include "cli.h"
#include "suggest.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BIT(c) (1u << (c))

static const char usage_text[] =
	"usage: sgc <command> [options] [--] [FILE...]\n"
	"\n"
	"Compile .sgl environment descriptions into CloudFormation templates.\n"
	"\n"
	"commands:\n"
	"  build FILE [-o OUT]   check FILE and write its template (stdout without -o)\n"
	"  check FILE|DIR...     check files and print diagnostics only\n"
	"  explain CODE          explain a diagnostic code, e.g. `sgc explain E0305`\n"
	"  fmt FILE|DIR...       rewrite files in the canonical layout (--check: list, don't write)\n"
	"  iam FILE              what each IAM identity of FILE must and must not be allowed\n"
	"  diff OLD NEW          what changing template OLD into NEW does, resource by resource\n"
	"  deploy FILE           build FILE (or take a built one) and run `aws cloudformation deploy`\n"
	"  graph FILE            the checked environment as a picture: DOT, SVG or PNG\n"
	"  lsp                   a language server on standard input and output (editors)\n"
	"  help [COMMAND]        show help for sgc or for one command\n"
	"  version               print the version\n"
	"\n"
	"options (each command takes only its own; see `sgc help COMMAND`):\n"
	"  -o, --output OUT      where `build` writes the template (`graph`: the picture)\n"
	"  --format FORMAT       check: text (default), json, sarif, github;\n"
	"                        build: json (default) or yaml (or from OUT's extension);\n"
	"                        iam: text (default) or json;\n"
	"                        diff: text (default), markdown or json;\n"
	"                        graph: dot (default), svg or png (needs Graphviz's dot)\n"
	"  --s3-bucket B, --s3-prefix P, --preview, --profile P   deploy (see `sgc help deploy`)\n"
	"  --fail-on WHAT        diff: exit 3 when a resource is replaced (replace) or\n"
	"                        anything changed (change)\n"
	"  --vars FILE           parameter values for this stage (YAML or JSON)\n"
	"  --stage NAME          the stage: names unique per account and Region carry it\n"
	"                        (default: --vars FILE's name up to its first dot)\n"
	"  -D, --define NAME=VALUE  one parameter value; wins over --vars\n"
	"  --root DIR            file(\"...\") reads only below DIR (default: FILE's directory)\n"
	"  --color=WHEN          colour diagnostics: auto (default), always, never\n"
	"  --deny warnings       treat warnings as errors\n"
	"  --check               fmt: list the files that would change, write nothing\n"
	"  --tokens              fmt: print FILE's tokens, one a line: kind, line:col, text\n"
	"  -h, --help            show this help (after a command: that command's help)\n"
	"  --version             print the version\n"
	"  --                    end of options: what follows is a FILE even if it starts with -\n"
	"\n"
	"FILE may be `-` for standard input; other inputs must be regular files.\n"
	"exit status: 0 success, 1 errors in the input, 2 usage or I/O problems\n"
	"(diff --fail-on: 3 when it trips; deploy: 4 when the AWS CLI fails).\n"
	"The language is documented in docs/language.md.\n";

static const char build_help[] =
	"usage: sgc build FILE [-o OUT] [--format json|yaml] [--stage NAME] [--vars FILE]\n"
	"                 [-D NAME=VALUE] [--root DIR] [--color=WHEN] [--deny warnings]\n"
	"\n"
	"Check FILE and, if it has no errors, write its CloudFormation template\n"
	"to OUT, or to standard output without -o: JSON, or YAML with --format yaml\n"
	"or an OUT ending in .yaml or .yml. OUT is written through a\n"
	"temporary file and renamed into place: on any error nothing is written.\n"
	"Diagnostics go to standard error.\n"
	"\n"
	"Beside OUT it also writes OUT's name with .params.json (parameter values for\n"
	"`aws cloudformation deploy --parameter-overrides file://...` or\n"
	"`create-stack --parameters file://...`), lifecycle/ and remote/ files, and\n"
	"OUT's name with .sgc-manifest, the list of lifecycle/ and remote/ files this\n"
	"build wrote. The set changes as a whole: if anything fails, the previous\n"
	"files all stay as they were; builds to one directory wait for each other;\n"
	"a file the previous build of OUT listed and this one does not write is\n"
	"removed (no other file is ever removed).\n"
	"\n"
	"OUT may be a device or FIFO (`-o /dev/stdout`): the template is written to\n"
	"it in place, without the files beside it. A symbolic link OUT is followed:\n"
	"the file it points to is replaced, the link stays. OUT may not be FILE.\n"
	"\n"
	"  --vars FILE      values for `param` declarations: `name: value` per line\n"
	"                   (YAML) or a JSON object; -D NAME=VALUE sets one more\n"
	"  --stage NAME     the stage (default: --vars FILE's name up to its first dot,\n"
	"                   `stages/prod.yaml`: prod; `--stage=`: none). The names AWS\n"
	"                   keeps unique per account and Region carry it (`<env>-<stage>-...`,\n"
	"                   CodeArtifact domains `<name>-<stage>`), and the stack is\n"
	"                   `<env>-<stage>`, so stages deploy side by side. NAME: 1 to 16\n"
	"                   lowercase letters, digits and hyphens, starting with a letter\n"
	"                   and ending with a letter or digit\n"
	"  --root DIR       file(\"...\") may read only below DIR (default: the\n"
	"                   directory of FILE; for standard input, the working directory)\n"
	"\n"
	"example:\n"
	"  sgc build examples/isolated-network.sgl -o stack.json\n";

static const char check_help[] =
	"usage: sgc check FILE|DIR... [--format FORMAT] [--stage NAME] [--vars FILE]\n"
	"                 [-D NAME=VALUE] [--root DIR] [--color=WHEN] [--deny warnings]\n"
	"\n"
	"Check each FILE (and every *.sgl below each DIR) and print the diagnostics;\n"
	"write nothing else. Exit 1 if any file has an error. Below a DIR, hidden\n"
	"entries and symbolic links are skipped; each file is checked once however\n"
	"often it is named.\n"
	"\n"
	"  --format text     rustc-style text on standard error (default)\n"
	"  --format json     one JSON array of diagnostics on standard output\n"
	"  --format sarif    a SARIF 2.1.0 log on standard output (GitHub code scanning)\n"
	"  --format github   GitHub Actions ::error/::warning annotations on standard output\n"
	"  --vars FILE, -D NAME=VALUE   check with a stage's parameter values\n"
	"  --stage NAME      check the stage's names (see `sgc help build`)\n"
	"  --root DIR        file(\"...\") may read only below DIR\n";

static const char fmt_help[] =
	"usage: sgc fmt [--check] FILE|DIR...\n"
	"       sgc fmt --tokens FILE\n"
	"\n"
	"Rewrite each FILE (and every *.sgl below each DIR) in the one canonical\n"
	"layout: 2-space indentation, `=` aligned within a block, comments kept.\n"
	"Formatting never changes meaning: the template built from the formatted\n"
	"file is byte-identical. `-` formats standard input to standard output.\n"
	"Below a DIR, hidden entries and symbolic links are skipped; a symbolic\n"
	"link named as FILE is followed (the file it points to is rewritten).\n"
	"\n"
	"  --check   write nothing; list the files that would change and exit 1\n"
	"  --tokens  write nothing; print what sgc's scanner reads in FILE, one\n"
	"            token or comment a line: KIND LINE:COL TEXT (exit 1 when\n"
	"            FILE does not lex cleanly; `sgc check FILE` says why)\n";

static const char iam_help[] =
	"usage: sgc iam FILE [--format text|json] [--stage NAME] [--vars FILE] [-D NAME=VALUE]\n"
	"               [--root DIR] [--color=WHEN] [--deny warnings]\n"
	"\n"
	"List, for each IAM identity FILE's template creates (execution roles) or\n"
	"asks a person to use (a remote-access developer's policy), every request\n"
	"it must be allowed to make and the ones it must be refused: the action,\n"
	"the resource, the request context, what in FILE asks for it, who makes\n"
	"the call (a script sgc emits, AWS on its behalf, the user) and the AWS\n"
	"documentation that says so. tests/deploy holds the emitted policies to\n"
	"it. docs/iam.md describes the JSON.\n";

static const char diff_help[] =
	"usage: sgc diff OLD NEW [--format text|markdown|json] [--fail-on replace|change]\n"
	"                [--stage NAME] [--vars FILE] [-D NAME=VALUE] [--root DIR]\n"
	"                [--color=WHEN]\n"
	"\n"
	"Say what deploying NEW over OLD does, resource by resource: added, removed,\n"
	"modified property by property, and replaced where CloudFormation replaces\n"
	"the resource (a create-only property changed, or refers to a replaced\n"
	"resource). It says when a replacement fails (a custom name), what a\n"
	"replacement or removal loses, and which resources are left orphaned.\n"
	"\n"
	"OLD and NEW are templates, JSON or YAML (short-form tags like !Ref read),\n"
	"or `aws cloudformation get-template` output; a FILE ending in .sgl is\n"
	"compiled first (with --vars and -D) and its template compared. One of\n"
	"them may be `-` (standard input).\n"
	"\n"
	"  --format text       a report for the terminal (default)\n"
	"  --format markdown   the same for a pull-request comment\n"
	"  --format json       the report as JSON (docs/diff.md)\n"
	"  --fail-on replace   exit 3 when a resource is replaced\n"
	"  --fail-on change    exit 3 when anything changed\n"
	"\n"
	"exit status: 0 whatever changed (without --fail-on), 1 an input is not a\n"
	"template or its .sgl has errors, 2 usage or I/O, 3 --fail-on tripped.\n"
	"\n"
	"example:\n"
	"  sgc diff out/stack.json examples/isolated-network.sgl --format markdown\n";

static const char graph_help[] =
	"usage: sgc graph FILE [--format dot|svg|png] [-o OUT] [--stage NAME] [--vars FILE]\n"
	"                 [-D NAME=VALUE] [--root DIR] [--color=WHEN] [--deny warnings]\n"
	"\n"
	"Check FILE and, if it has no errors, draw the environment: networks, zones\n"
	"and subnets as nested boxes; endpoints, NAT and internet gateways and\n"
	"firewall endpoints; notebooks and Studio domains in their subnets; and\n"
	"arrows for the paths the checker proved: each workload to the endpoints it\n"
	"needs, and its way out (firewall -> NAT gateway -> internet gateway ->\n"
	"internet). A workload without a way out points at its network's dashed\n"
	"\"no route to the internet\". docs/graph.md describes the picture.\n"
	"\n"
	"  --format dot   Graphviz DOT text (default)\n"
	"  --format svg   SVG, rendered by Graphviz's `dot` (package graphviz)\n"
	"  --format png   PNG, the same way; without `dot` on PATH: exit 2\n"
	"  -o OUT         write OUT through a temporary file renamed into place\n"
	"                 (standard output without it); OUT ending in .svg or .png\n"
	"                 picks that format\n"
	"\n"
	"example:\n"
	"  sgc graph examples/restricted-egress.sgl -o egress.svg\n";
static const char deploy_help[] =
	"usage: sgc deploy FILE [--stage NAME] [--vars FILE] [-D NAME=VALUE] [-o OUT]\n"
	"                  [--s3-bucket BUCKET [--s3-prefix PREFIX]] [--preview] [--profile P]\n"
	"\n"
	"Deploy with `aws cloudformation deploy`, every argument taken from the deploy\n"
	"manifest `sgc build` writes beside a template (OUT's name with .deploy.json):\n"
	"the Region, the stack name, the capabilities, the parameter values (as\n"
	"Key=Value pairs), and whether the template needs an S3 upload.\n"
	"\n"
	"FILE is a .sgl file (built first, to OUT; default out/STACK/stack.json where\n"
	"STACK is the stack name: the environment's name, with `-STAGE` for a stage),\n"
	"a deploy manifest, or a template with its manifest beside it.\n"
	"\n"
	"  --stage NAME       build for stage NAME (see `sgc help build`)\n"
	"  --s3-bucket BUCKET upload the template to BUCKET first; needed above\n"
	"                     51,200 bytes (CloudFormation's TemplateBody limit)\n"
	"  --s3-prefix PREFIX the key prefix of that upload\n"
	"  --preview          create the change set but do not execute it; print what it\n"
	"                     does (action, logical ID, type, replacement)\n"
	"  --profile P        the AWS CLI profile\n"
	"\n"
	"The AWS CLI is $SGC_AWS, or `aws` on PATH, run directly (no shell).\n"
	"exit status: 0 deployed (or nothing to change, or previewed), 1 FILE has errors\n"
	"or its manifest is not one sgc writes, 2 usage or I/O (a template over 51,200\n"
	"bytes without --s3-bucket), 4 the AWS CLI could not run or failed (its message\n"
	"is above).\n"
	"\n"
	"example:\n"
	"  sgc deploy examples/isolated-network.sgl --stage dev --preview\n";

static const char explain_help[] =
	"usage: sgc explain CODE\n"
	"\n"
	"Print what diagnostic CODE (e.g. E0305 or w0602) means and how to fix it:\n"
	"its section of docs/diagnostics.md.\n";

static const char lsp_help[] =
	"usage: sgc lsp [--stdio]\n"
	"\n"
	"Serve the Language Server Protocol on standard input and output, for an\n"
	"editor: diagnostics as you type (the checks of `sgc check`), formatting,\n"
	"hover, go to definition, references, completion and quick fixes.\n"
	"--stdio is accepted (and is the only transport). docs/lsp.md lists the\n"
	"features and limits.\n"
	"\n"
	"exit status: 0 after `shutdown` then `exit`, 1 otherwise.\n";

static const char help_help[] =
	"usage: sgc help [COMMAND]\n"
	"\n"
	"Print the help of COMMAND (the same as `sgc COMMAND --help`), or without\n"
	"COMMAND the list of commands and options (`sgc --help`).\n"
	"commands: build, check, fmt, iam, diff, deploy, graph, explain, lsp, help, version.\n";

static const char version_help[] =
	"usage: sgc version\n"
	"       sgc --version\n"
	"\n"
	"Print `sgc VERSION`: the version this binary was built as.\n";

static const struct {
	const char *name;
	enum command command;
	const char *help;
} commands[] = {
	{ "build", CMD_BUILD, build_help },
	{ "check", CMD_CHECK, check_help },
	{ "fmt", CMD_FMT, fmt_help },
	{ "iam", CMD_IAM, iam_help },
	{ "diff", CMD_DIFF, diff_help },
	{ "deploy", CMD_DEPLOY, deploy_help },
	{ "graph", CMD_GRAPH, graph_help },
	{ "explain", CMD_EXPLAIN, explain_help },
	{ "lsp", CMD_LSP, lsp_help },
	{ "help", CMD_HELP, help_help },
	{ "version", CMD_VERSION, version_help },
};

enum {
	OPT_FORMAT = 256,
	OPT_VARS,
	OPT_ROOT,
	OPT_COLOR,
	OPT_DENY,
	OPT_CHECK,
	OPT_TOKENS,
	OPT_FAIL_ON,
	OPT_STAGE,
	OPT_STDIO,
	OPT_S3_BUCKET,
	OPT_S3_PREFIX,
	OPT_PREVIEW,
	OPT_PROFILE,
};

#define COMPILING (BIT(CMD_BUILD) | BIT(CMD_CHECK) | BIT(CMD_IAM) | BIT(CMD_DIFF) | BIT(CMD_GRAPH))
#define DEPLOYING BIT(CMD_DEPLOY)
#define EVERY 0xFFFFu

/* Every option, and which commands take it. */
static const struct {
	struct option opt;
	unsigned commands;
} option_table[] = {
	{ { "output", required_argument, NULL, 'o' }, BIT(CMD_BUILD) | BIT(CMD_GRAPH) | DEPLOYING },
	{ { "format", required_argument, NULL, OPT_FORMAT }, COMPILING },
	{ { "vars", required_argument, NULL, OPT_VARS }, COMPILING | DEPLOYING },
	{ { "stage", required_argument, NULL, OPT_STAGE }, COMPILING | DEPLOYING },
	{ { "define", required_argument, NULL, 'D' }, COMPILING | DEPLOYING },
	{ { "root", required_argument, NULL, OPT_ROOT }, COMPILING | DEPLOYING },
	{ { "color", required_argument, NULL, OPT_COLOR }, COMPILING | DEPLOYING },
	{ { "deny", required_argument, NULL, OPT_DENY }, COMPILING | DEPLOYING },
	{ { "s3-bucket", required_argument, NULL, OPT_S3_BUCKET }, DEPLOYING },
	{ { "s3-prefix", required_argument, NULL, OPT_S3_PREFIX }, DEPLOYING },
	{ { "preview", no_argument, NULL, OPT_PREVIEW }, DEPLOYING },
	{ { "profile", required_argument, NULL, OPT_PROFILE }, DEPLOYING },
	{ { "check", no_argument, NULL, OPT_CHECK }, BIT(CMD_FMT) },
	{ { "tokens", no_argument, NULL, OPT_TOKENS }, BIT(CMD_FMT) },
	{ { "fail-on", required_argument, NULL, OPT_FAIL_ON }, BIT(CMD_DIFF) },
	{ { "stdio", no_argument, NULL, OPT_STDIO }, BIT(CMD_LSP) },
	{ { "help", no_argument, NULL, 'h' }, EVERY },
};
enum { NOPTIONS = sizeof option_table / sizeof option_table[0] };

int cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "sgc: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, "\ntry `sgc --help`\n");
	va_end(ap);
	return EXIT_USAGE;
}

const char *cli_command_suggestion(const char *word)
{
	enum { NCOMMANDS = sizeof commands / sizeof commands[0] };
	const char *names[NCOMMANDS];
	for (size_t i = 0; i < NCOMMANDS; i++)
		names[i] = commands[i].name;
	return suggest_best(word, names, NCOMMANDS);
}

/* `unknown command` or `no help`, with a nearby command or a hint for a file named as a command. */
static int unknown_command(const char *what, const char *name)
{
	const char *near = cli_command_suggestion(name);
	if (near)
		return cli_usage_error("%s `%s`; did you mean `%s`?", what, name, near);
	size_t len = strlen(name);
	if (len > 4 && strcmp(name + len - 4, ".sgl") == 0)
		return cli_usage_error("%s `%s`; to check a file: `sgc check %s` (or `sgc build`)",
				       what, name, name);
	return cli_usage_error("%s `%s`", what, name);
}

int cli_unknown_help_topic(const char *topic)
{
	return unknown_command("no help for", topic);
}

const char *cli_help_text(const char *topic)
{
	if (!topic)
		return usage_text;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(topic, commands[i].name) == 0)
			return commands[i].help ? commands[i].help : usage_text;
	return NULL;
}

/* getopt_long's tables for one command: long options and "-:o:D:h"-style short ones. */
static void options_for(enum command cmd, struct option *longs, char *shorts)
{
	size_t nl = 0, ns = 0;
	/* '-': operands come back in order as option 1, whatever POSIXLY_CORRECT says;
	 * ':': a missing value is reported as ':' so the message can name the option. */
	shorts[ns++] = '-';
	shorts[ns++] = ':';
	for (size_t i = 0; i < NOPTIONS; i++) {
		if (!(option_table[i].commands & BIT(cmd)))
			continue;
		longs[nl++] = option_table[i].opt;
		int val = option_table[i].opt.val;
		if (val < 256) {
			shorts[ns++] = (char)val;
			if (option_table[i].opt.has_arg == required_argument)
				shorts[ns++] = ':';
		}
	}
	longs[nl] = (struct option){ 0 };
	shorts[ns] = '\0';
}

/* How many options of the commands in `mask` `spelling` names (`--name`, a prefix of one, or `-c`). */
static int options_named(const char *spelling, unsigned mask)
{
	int n = 0;
	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct option *opt = &option_table[i].opt;
		bool match = spelling[1] == '-'
			? spelling[2] && strncmp(opt->name, spelling + 2, strlen(spelling + 2)) == 0
			: opt->val < 256 && opt->val == spelling[1];
		n += match && (option_table[i].commands & mask);
	}
	return n;
}

/* The value of the option `--name` spells out in full, or 0. */
static int long_value(const char *spelling)
{
	for (size_t i = 0; i < NOPTIONS; i++)
		if (strcmp(option_table[i].opt.name, spelling + 2) == 0)
			return option_table[i].opt.val;
	return 0;
}

/* `unknown option`, with the nearest long option this command takes, if one is close. */
static int unknown_option(const struct options *o, const char *spelling)
{
	const char *names[NOPTIONS];
	size_t n = 0;
	for (size_t i = 0; i < NOPTIONS; i++)
		if (option_table[i].commands & BIT(o->command))
			names[n++] = option_table[i].opt.name;
	const char *near = spelling[1] == '-' ? suggest_best(spelling + 2, names, n) : NULL;
	if (near)
		return cli_usage_error("unknown option `%s`; did you mean `--%s`?", spelling, near);
	return cli_usage_error("unknown option `%s`", spelling);
}

/*
 * getopt_long said '?' or ':'. `opt` is getopt's optopt: a short option's
 * letter, one of our long options' value (given a value it does not take),
 * or 0 for a long option it does not know; `arg` the word it stopped at.
 */
static int bad_option(const struct options *o, const char *arg, int opt, bool missing)
{
	char spelling[64];
	snprintf(spelling, sizeof spelling, "%.*s", (int)strcspn(arg, "="), arg);
	/* A short option's error leaves `arg` at an earlier word unless it was that option. */
	bool long_form = arg[0] == '-' && arg[1] == '-' && (opt == 0 || long_value(spelling) == opt);
	if (!long_form)
		snprintf(spelling, sizeof spelling, "-%c", opt);
	if (missing)
		return cli_usage_error("`%s` needs a value", spelling);
	if (opt >= 256)
		return cli_usage_error("`%s` takes no value", spelling);
	if (options_named(spelling, BIT(o->command)) > 1)
		return cli_usage_error("`%s` is ambiguous; spell the option out", spelling);
	if (options_named(spelling, EVERY) > 0)
		return cli_usage_error("`%s` does not take `%s` (see `sgc help %s`)",
				       o->command_name, spelling, o->command_name);
	return unknown_option(o, spelling);
}

static int set_option(struct options *o, int c, const char *value)
{
	switch (c) {
	case 'o':
		o->output = value;
		break;
	case 'D':
		o->defines[o->ndefines++] = value;
		break;
	case 'h':
		o->help = true;
		break;
	case OPT_FORMAT:
		o->format = value;
		break;
	case OPT_VARS:
		o->vars_file = value;
		break;
	case OPT_STAGE:
		o->stage = value;
		break;
	case OPT_ROOT:
		o->root = value;
		break;
	case OPT_S3_BUCKET:
		o->s3_bucket = value;
		break;
	case OPT_S3_PREFIX:
		o->s3_prefix = value;
		break;
	case OPT_PREVIEW:
		o->preview = true;
		break;
	case OPT_PROFILE:
		o->profile = value;
		break;
	case OPT_TOKENS:
		o->tokens = true;
		break;
	case OPT_STDIO: /* what editors' clients pass; stdio is the only transport */
		break;
	case OPT_CHECK:
		o->check_only = true;
		break;
	case OPT_FAIL_ON:
		if (strcmp(value, "replace") != 0 && strcmp(value, "change") != 0)
			return cli_usage_error("`--fail-on` takes replace or change, not `%s`", value);
		o->fail_on = value;
		break;
	case OPT_DENY:
		if (strcmp(value, "warnings") != 0)
			return cli_usage_error("`--deny` takes `warnings`, not `%s`", value);
		o->deny_warnings = true;
		break;
	case OPT_COLOR:
		if (strcmp(value, "auto") == 0)
			o->color = COLOR_AUTO;
		else if (strcmp(value, "always") == 0)
			o->color = COLOR_ALWAYS;
		else if (strcmp(value, "never") == 0)
			o->color = COLOR_NEVER;
		else
			return cli_usage_error("--color takes auto, always or never, not `%s`", value);
		break;
	default:
		return cli_usage_error("unknown option");
	}
	return EXIT_OK;
}

/* `sgc --help`, `sgc -h`, `sgc --version` before any command. */
static bool global_option(const char *arg, struct options *o)
{
	if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
		o->command = CMD_HELP;
		o->command_name = "help";
		return true;
	}
	if (strcmp(arg, "--version") == 0) {
		o->command = CMD_VERSION;
		o->command_name = "version";
		return true;
	}
	return false;
}

/* Does the option word `arg` (without `=value`) take the next word as its value? */
static bool takes_next_word(const char *arg)
{
	if (arg[1] != '-')
		return arg[2] == '\0' && (arg[1] == 'o' || arg[1] == 'D');
	if (strchr(arg, '='))
		return false;
	for (size_t i = 0; i < NOPTIONS; i++)
		if (strncmp(option_table[i].opt.name, arg + 2, strlen(arg + 2)) == 0)
			return option_table[i].opt.has_arg == required_argument;
	return false;
}

/*
 * The index of the command word. Options may come before it, as sgc has
 * always accepted (`sgc --color=never check x.sgl`); each command's table
 * then judges them like any other.
 */
static int command_index(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			return -1;
		if (a[0] != '-' || a[1] == '\0')
			return i;
		if (takes_next_word(a))
			i++;
	}
	return -1;
}

int cli_parse(int argc, char **argv, struct options *o)
{
	*o = (struct options){ 0 };
	o->operands = calloc((size_t)argc + 1, sizeof *o->operands);
	o->defines = calloc((size_t)argc + 1, sizeof *o->defines);
	if (!o->operands || !o->defines)
		return cli_usage_error("%s", "out of memory");
	if (argc >= 2 && global_option(argv[1], o))
		return argc == 2 ? EXIT_OK : cli_usage_error("`%s` takes nothing after it", argv[1]);
	int at = command_index(argc, argv);
	if (at < 0)
		return cli_usage_error("%s", "no command given");
	/* The command first, then the options that came before it, then the rest, in order. */
	char *name = argv[at];
	memmove(argv + 2, argv + 1, (size_t)(at - 1) * sizeof *argv);
	argv[1] = name;
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(name, commands[i].name) == 0)
			o->command = commands[i].command;
	if (o->command == CMD_NONE)
		return unknown_command("unknown command", name);
	o->command_name = name;

	struct option longs[NOPTIONS + 1];
	char shorts[2 * NOPTIONS + 3];
	options_for(o->command, longs, shorts);
	/* argv[1] (the command) plays argv[0]; optind = 0 makes glibc start afresh. */
	int sub_argc = argc - 1;
	char **sub_argv = argv + 1;
	optind = 0;
	opterr = 0;
	for (;;) {
		int c = getopt_long(sub_argc, sub_argv, shorts, longs, NULL);
		if (c == -1)
			break;
		int status = EXIT_OK;
		if (c == 1)
			o->operands[o->noperands++] = optarg;
		else if (c == '?' || c == ':')
			status = bad_option(o, sub_argv[optind - 1], optopt, c == ':');
		else
			status = set_option(o, c, optarg);
		if (status != EXIT_OK)
			return status;
	}
	/* After `--`: operands, even those that start with a dash. */
	for (int i = optind; i < sub_argc; i++)
		o->operands[o->noperands++] = sub_argv[i];
	return EXIT_OK;
}

void cli_free(struct options *o)
{
	free(o->operands);
	free(o->defines);
	o->operands = NULL;
	o->defines = NULL;
}
