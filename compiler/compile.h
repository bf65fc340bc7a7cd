/*
 * compile.h - the pipeline, end to end, on one source text.
 *
 *   text -> parse -> resolve -> check -> lower
 *
 * The CLI, the fuzzer and the benchmark all go through here, so they
 * exercise exactly what users run. One arena per compile holds everything.
 */
#ifndef SGC_COMPILE_H
#define SGC_COMPILE_H

#include <stdbool.h>
#include <stddef.h>

#include "cfn.h"
#include "diag.h"
#include "model.h"
#include "src.h"

struct compile {
	struct arena *arena;
	struct src_map src;
	struct diag_sink diags;
	struct m_env *env;          /* set when checking succeeded */
	struct cfn_template *tmpl;  /* set when lowering ran */
	char *json;                 /* the template as JSON (malloc'd) */
	size_t json_len;
	struct ptrvec vars;         /* struct var * (vars.h), set before compiling */
	const char *stage;          /* --stage: physical names carry it; NULL: none */
	const char *root;           /* --root: file() reads only below it, and script
				       headers name the .sgl file relative to it; NULL:
				       the .sgl file's directory (stdin: the working
				       directory). See confine.h. */
};

/*
 * Both run every stage: template quotas are checked on the lowered
 * template. The distinction says what the caller will use.
 */
enum compile_until {
	COMPILE_CHECK, /* diagnostics only */
	COMPILE_LOWER, /* also the template in `tmpl` and `json` */
};

void compile_init(struct compile *c);
void compile_free(struct compile *c);

/*
 * Runs the stages; returns false when any error was reported. `path` is as
 * given on the command line, `<stdin>` for standard input: diagnostics
 * show it as is, the template never does.
 */
bool compile_text(struct compile *c, const char *path, const char *text,
		  size_t len, enum compile_until until);

#endif
