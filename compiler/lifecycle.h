/*
 * lifecycle.h - lifecycle scripts composed from standard fragments.
 *
 * `std.lifecycle.pip_from(repo)` and friends name shell fragments in
 * stdlib/lifecycle/ (one per host: notebook instances run scripts as root
 * with cron; Studio apps run them as sagemaker-user). Composition writes a
 * header with `set -euo pipefail`, then each fragment with its `@@NAME@@`
 * placeholders replaced by single-quoted shell words.
 */
#ifndef SGC_LIFECYCLE_H
#define SGC_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

enum lc_arg {
	LC_REPOSITORY, /* a CodeArtifact repository reference */
	LC_DURATION,   /* minutes */
	LC_STRING,
	LC_STRINGS,    /* a list of strings */
	LC_PATH,       /* file(): a path relative to the .sgl file, below the root */
};

enum {
	LC_NOTEBOOK = 1,    /* notebook instances */
	LC_STUDIO = 2,      /* Studio JupyterLab and Code Editor apps */
	LC_CODE_EDITOR = 4, /* Code Editor only */
};

struct lc_function {
	const char *name;
	unsigned hosts;
	int nargs;
	enum lc_arg args[2];
	const char *signature; /* for messages: `pip_from(repository)` */
};

const struct lc_function *lc_find(const char *name);
size_t lc_count(void);
void lc_fill_names(const char **out);

/* 'it'\''s' quoting: safe for any bytes. */
const char *lc_quote(struct arena *a, const char *s);

/*
 * `s` made safe for one comment line: the escapes of sgl strings (`\\`,
 * `\"`, `\n`, `\t`, `\r`), `\xNN` for other control bytes and bytes that
 * are not UTF-8, `\u{NNNN}` for characters that end a line or reorder
 * text in an editor (U+0085, U+2028, bidirectional controls). Every comment
 * a script gets from sgc goes through here: a path or label holding a
 * newline must never become a command.
 */
const char *lc_comment_text(struct arena *a, const char *s);

/*
 * A script being composed. Past `cap` bytes the script is refused anyway,
 * so its text is no longer kept, only counted: many steps cost the memory
 * of one script at most, and the error still gives the script's size.
 */
struct lc_script {
	struct arena *arena;
	struct strbuf text;  /* the script, complete when lc_fits() */
	size_t len;          /* bytes composed, kept or not */
	size_t cap;
	bool studio;
};

/* `source`: the .sgl file as the root names it; both are escaped here. */
void lc_begin(struct lc_script *s, struct arena *a, bool studio, size_t cap,
	      const char *source, const char *what);

/* Whether the script is within its cap (text holds all of it). */
bool lc_fits(const struct lc_script *s);

/*
 * Append a fragment; values[i] is already quoted and replaces @@names[i]@@.
 * Returns false when the fragment does not exist for the host.
 */
bool lc_add(struct lc_script *s, const struct lc_function *fn,
	    const char *const *names, const char *const *values, int n);

/* Render a stdlib template: @@names[i]@@ -> values[i] (inserted as given). */
const char *lc_render(struct arena *a, const char *text, size_t len,
		      const char *const *names, const char *const *values, int n,
		      size_t *out_len);

/*
 * Append the user's own script text under the marker comment
 * `# ---- file("path") ----`, the path escaped.
 */
void lc_add_file(struct lc_script *s, const char *path, const char *text,
		 size_t len);

#endif
