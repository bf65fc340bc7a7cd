/*
 * cli.h - the command line: which command, its options, its operands.
 *
 * main.c, cli.c, input.c, output.c and deploy.c are the command line, the only code
 * that prints to the terminal or decides an exit status; the library below
 * them reports through diagnostics.
 *
 * Each command takes only its own options (getopt_long, a table per
 * command); `--` ends the options, so `sgc check -- -x.sgl` checks a file
 * whose name starts with a dash.
 */
#ifndef SGC_CLI_H
#define SGC_CLI_H

#include <stdbool.h>

#include "version.h" /* SGC_VERSION, generated from VERSION */

enum exit_code {
	EXIT_OK = 0,
	EXIT_DIAGNOSTICS = 1,
	EXIT_USAGE = 2, /* usage or I/O problems */
	EXIT_DIFF_TRIPPED = 3, /* `diff --fail-on`: the change is of the kind named */
	EXIT_AWS_FAILED = 4, /* `deploy`: the AWS CLI could not run or failed */
};

enum command {
	CMD_NONE,
	CMD_BUILD,
	CMD_CHECK,
	CMD_FMT,
	CMD_IAM,
	CMD_DIFF,
	CMD_DEPLOY,
	CMD_GRAPH,
	CMD_EXPLAIN,
	CMD_LSP,
	CMD_HELP,
	CMD_VERSION,
};

enum color_mode { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

struct options {
	enum command command;
	const char *command_name;
	const char **operands;      /* FILE, DIR, CODE or help topic, in order */
	int noperands;
	bool help;                  /* --help given after the command */
	const char *output;         /* build -o, graph -o */
	enum color_mode color;
	bool deny_warnings;
	const char *format;         /* check: text|json|sarif|github; build: json|yaml; iam: text|json;
				       diff: text|markdown|json; graph: dot|svg|png */
	const char *vars_file;      /* --vars; `-` is standard input */
	const char *stage;          /* --stage; "" for none; NULL: from --vars FILE's name */
	const char *root;           /* --root: file() reads only below it */
	bool check_only;            /* fmt --check */
	bool tokens;                /* fmt --tokens */
	const char *fail_on;        /* diff --fail-on: replace|change */
	const char *s3_bucket;      /* deploy --s3-bucket */
	const char *s3_prefix;      /* deploy --s3-prefix */
	const char *profile;        /* deploy --profile */
	bool preview;               /* deploy --preview */
	const char **defines;       /* -D name=value, in order */
	int ndefines;
};

/*
 * Fill `o` from argv: `sgc COMMAND [options] [operands]`, or `sgc --help`,
 * `sgc --version`. Returns EXIT_OK, or EXIT_USAGE after printing why.
 */
int cli_parse(int argc, char **argv, struct options *o);
void cli_free(struct options *o);

/* `sgc: <message>` and a pointer to --help on standard error; returns EXIT_USAGE. */
int cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The command `word` is a likely typo of (`bulid`: `build`), or NULL. */
const char *cli_command_suggestion(const char *word);

/* `sgc help TOPIC` for a TOPIC that is no command: says so (with a suggestion); EXIT_USAGE. */
int cli_unknown_help_topic(const char *topic);

/* The help text of `topic` (a command name), or the general one for NULL; NULL if none. */
const char *cli_help_text(const char *topic);

#endif
