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

/*
 * A note (code N...) tells a reviewer something that is neither wrong nor
 * risky: it never fails a build, `--deny warnings` leaves it alone, and
 * machine formats carry it as SARIF `note`, JSON severity "note" and a
 * GitHub `::notice`.
 */
enum diag_level {
	DIAG_ERROR,
	DIAG_WARNING,
	DIAG_NOTE,
};

enum { DIAG_MAX_LABELS = 4, DIAG_MAX_NOTES = 4, DIAG_MAX_FIXES = 4 };

struct diag_label {
	struct span span;
	const char *text; /* may be NULL */
};

/*
 * A fix the help writes, as an edit: replace the bytes of `span` with
 * `text` (an insertion when span.lo == span.hi). Every fix of one
 * diagnostic is one change, applied together: JSON `fixes`, SARIF `fixes`,
 * the language server's quick fixes (docs/formats.md, docs/lsp.md).
 */
struct diag_fix {
	struct span span;
	const char *text;
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
	struct diag_fix fixes[DIAG_MAX_FIXES]; /* the help's edit, when it writes one */
	int nfixes;
	struct span about; /* the attribute it is about when that is not the primary
			      span (hi == lo: none): an allow on its lines works too */
	unsigned seq;      /* order of addition: ties in position keep it */
	bool suppressed;   /* silenced by a `# sgc: allow CODE` comment */
	struct diag *next;
};

/*
 * A sink keeps at most DIAG_SINK_MAX diagnostics (the first added); later
 * ones are only counted, so a megabyte of stray characters costs a few
 * megabytes, not a quarter of a gigabyte. It is more than any renderer
 * shows (DIAG_MACHINE_CAP), so the renderers' caps apply first.
 */
enum { DIAG_SINK_MAX = 100000 };

struct diag_sink {
	struct arena *arena;
	struct diag *head, *tail;
	unsigned nerrors, nwarnings; /* unstored ones included */
	unsigned nnotes;
	unsigned count;              /* every diag_add */
	unsigned unstored, unstored_warnings;
	struct span first_unstored;
	struct diag discard;         /* what diag_add returns once the sink is full */
	const char *stopped_after;   /* the stage after which checking stopped (errors in it):
					later stages' findings are unknown; NULL: every stage ran */
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

/* One edit of the help's fix (struct diag_fix); at most DIAG_MAX_FIXES, spans in one file. */
void diag_fix(struct diag_sink *s, struct diag *d, struct span span, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

/*
 * The attribute a warning is about when it is located elsewhere (W0606 at
 * a notebook's name, caused by `direct_internet = true`): a `sgc: allow`
 * on any line of that attribute silences it too.
 */
void diag_about(struct diag_sink *s, struct diag *d, struct span about);

bool diag_has_errors(const struct diag_sink *s);
bool diag_exists_at(const struct diag_sink *s, struct span span);

/* "E0302"; NULL for an out-of-range value. */
const char *diag_code_name(enum diag_code code);
const char *diag_code_title(enum diag_code code);
bool diag_code_parse(const char *name, enum diag_code *out);
enum diag_level diag_code_level(enum diag_code code);

/*
 * Drop each warning a `# sgc: allow CODE` comment silences (codes separated
 * by blanks or commas): one on any line of the warning's primary span, or
 * of the attribute it is about (diag_about). Errors cannot be silenced, nor
 * W0711.
 */
void diag_apply_allow_comments(struct diag_sink *s, const struct src_map *m);

/*
 * After diag_apply_allow_comments, the allows of `file` themselves: W0710
 * for a code that is no sgc code, an error's or W0711 (unless the same line
 * allows W0710); and, when `unused_too` (a check that found no error, so
 * every warning had its chance), W0711 for each allowed code that silenced
 * nothing. Each located at the code in the comment.
 */
void diag_check_allow_comments(struct diag_sink *s, const struct src_map *m, uint32_t file,
			       bool unused_too);

/* Turn every warning into an error (`--deny warnings`). */
void diag_deny_warnings(struct diag_sink *s);

/*
 * Diagnostics in source order, duplicates (same code and span) dropped,
 * at most `cap` of them (0 = no cap). The array lives in the sink's arena;
 * the `*dropped` left out over the cap follow the `*n` kept, in order, so
 * all[*n] is the first one not shown (NULL when only diagnostics the
 * sink did not keep are left out: they count in `*dropped` too).
 */
const struct diag **diag_sorted(const struct diag_sink *s, size_t cap,
				size_t *n, size_t *dropped);

/*
 * Where a notice of the `dropped` left out by diag_sorted points: at the
 * first left out (all[n]), or, when the cap left none out, at the first
 * diagnostic the full sink did not keep.
 */
struct span diag_omitted_at(const struct diag_sink *s, const struct diag *const *all,
			    size_t n);

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
 * Each reports at most DIAG_MACHINE_CAP diagnostics per sink, then a
 * notice (severity `note`) of how many more there are, at the first one
 * left out; output is written as it is made, so memory does not grow with
 * the number of diagnostics.
 *
 * json:   an array of objects {version, code, severity, message, file, line,
 *         column, end_line, end_column, label, notes[], help, related[]}
 *         (docs/formats.md; `version` is DIAG_JSON_VERSION); the notice has
 *         code null, severity "note" and `omitted`, the count.
 * sarif:  a SARIF 2.1.0 log, one run, a rule per code used (with its help
 *         text and helpUri), results with physical locations relative to
 *         %SRCROOT% (the working directory), the diagnostic's help apart
 *         from its message; one invocation, executionSuccessful false when
 *         a file's checking stopped early (diag_sink.stopped_after), its
 *         notifications saying where, and the notices of what the cap left out.
 * github: one `::error file=..,line=..,col=..,endLine=..,endColumn=..,title=..::msg`
 *         (or ::warning) workflow command per diagnostic; a notice is a
 *         `::notice`. Control characters in values are shown escaped
 *         (src_visible_char), CR and LF as %0D and %0A.
 */
enum { DIAG_MACHINE_CAP = 10000 };

/* The JSON format's `version`: raised when a field changes meaning or goes away. */
enum { DIAG_JSON_VERSION = 1 };

void diag_render_json(FILE *out, const struct diag_sink *const *sinks,
		      const struct src_map *const *maps, size_t n);
void diag_render_sarif(FILE *out, const struct diag_sink *const *sinks,
		       const struct src_map *const *maps, size_t n,
		       const char *tool_version);
void diag_render_github(FILE *out, const struct diag_sink *const *sinks,
			const struct src_map *const *maps, size_t n);

/*
 * The same, one file at a time: begin, then each file's sink as soon as it
 * is complete (its compile may be freed right after), then end, which
 * writes the rest and frees the stream. The bytes are those of the calls
 * above over the same files. JSON and GitHub write each file as it comes;
 * SARIF names the rules used before the results, so it keeps each result
 * until the end: what a stream holds grows with the diagnostics reported,
 * never with the files. NULL from begin (out of memory) is accepted by the
 * other two and writes nothing.
 */
enum diag_format { DIAG_FORMAT_JSON, DIAG_FORMAT_SARIF, DIAG_FORMAT_GITHUB };
struct diag_stream;
struct diag_stream *diag_stream_begin(FILE *out, enum diag_format fmt, const char *tool_version);
void diag_stream_file(struct diag_stream *s, const struct diag_sink *sink,
		      const struct src_map *m);
void diag_stream_end(struct diag_stream *s);

#endif
