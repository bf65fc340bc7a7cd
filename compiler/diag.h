/*
 * diag.h - diagnostics as values.
 *
 * Stages add diagnostics to a sink and carry on; nothing below the CLI
 * prints or exits. A diagnostic has a stable code, a primary span with an
 * optional label, secondary labelled spans, notes and at most one `help:`
 * (the only place that suggests a fix, as in rustc).
 */
#ifndef SGC_DIAG_H
#define SGC_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "src.h"

struct arena;

enum diag_code {
#define X(code, title) DIAG_##code,
#include "diag_codes.def"
#undef X
	DIAG_CODE_COUNT
};

enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
};

enum { DIAG_MAX_LABELS = 4, DIAG_MAX_NOTES = 4 };

struct diag_label {
	struct span span;
	const char *text; /* may be NULL */
};

struct diag {
	enum diag_level level;
	enum diag_code code;
	struct span span;  /* primary */
	const char *msg;   /* lowercase, no period, `backticks` around source */
	const char *label; /* under the primary caret; may be NULL */
	struct diag_label secondary[DIAG_MAX_LABELS];
	int nsecondary;
	const char *notes[DIAG_MAX_NOTES];
	int nnotes;
	const char *help;
	unsigned seq;      /* order of addition: ties in position keep it */
	bool suppressed;   /* silenced by a `# sgc: allow CODE` comment */
	struct diag *next;
};

struct diag_sink {
	struct arena *arena;
	struct diag *head, *tail;
	unsigned nerrors, nwarnings;
	unsigned count;
};

void diag_sink_init(struct diag_sink *s, struct arena *a);

struct diag *diag_add(struct diag_sink *s, enum diag_code code,
		      struct span span, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void diag_label(struct diag_sink *s, struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_secondary(struct diag_sink *s, struct diag *d, struct span span,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void diag_note(struct diag_sink *s, struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void diag_help(struct diag_sink *s, struct diag *d, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

bool diag_has_errors(const struct diag_sink *s);
bool diag_exists_at(const struct diag_sink *s, struct span span);

/* "E0302"; NULL for an out-of-range value. */
const char *diag_code_name(enum diag_code code);
const char *diag_code_title(enum diag_code code);
bool diag_code_parse(const char *name, enum diag_code *out);
enum diag_level diag_code_level(enum diag_code code);

/*
 * Drop each warning whose primary line carries `# sgc: allow CODE` (codes
 * separated by blanks or commas). Errors cannot be silenced.
 */
void diag_apply_allow_comments(struct diag_sink *s, const struct src_map *m);

/* Turn every warning into an error (`--deny warnings`). */
void diag_deny_warnings(struct diag_sink *s);

/*
 * Diagnostics in source order, duplicates (same code and span) dropped,
 * at most `cap` of them (0 = no cap). The array lives in the sink's arena.
 */
const struct diag **diag_sorted(const struct diag_sink *s, size_t cap,
				size_t *n, size_t *dropped);

struct diag_render_opts {
	bool color;
	size_t cap; /* 0: all */
};

/* rustc-style text with a GNU `file:line:col:` first line. */
void diag_render_text(FILE *out, const struct diag_sink *s,
		      const struct src_map *m, const struct diag_render_opts *o);

/*
 * Machine-readable forms (diag_formats.c). Each takes every file's sink, so
 * one call covers `sgc check a.sgl b.sgl`: sinks[i] goes with maps[i].
 *
 * json:   an array of objects {code, severity, message, file, line, column,
 *         end_line, end_column, label, notes[], help, related[]}.
 * sarif:  a SARIF 2.1.0 log, one run, a rule per code used (with its help
 *         text), results with physical locations, as GitHub code scanning
 *         ingests it.
 * github: one `::error file=..,line=..,col=..,endLine=..,endColumn=..,title=..::msg`
 *         (or ::warning) workflow command per diagnostic.
 */
void diag_render_json(FILE *out, const struct diag_sink *const *sinks,
		      const struct src_map *const *maps, size_t n);
void diag_render_sarif(FILE *out, const struct diag_sink *const *sinks,
		       const struct src_map *const *maps, size_t n,
		       const char *tool_version);
void diag_render_github(FILE *out, const struct diag_sink *const *sinks,
			const struct src_map *const *maps, size_t n);

#endif
