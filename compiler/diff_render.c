/*
 * diff_render.c - the diff report (diff.c) as text, markdown or JSON.
 *
 * Text and markdown say the same things: a summary line, then each
 * resource that changed with its property changes and what the change
 * does (why it is replaced, what replacement loses, an update that will
 * fail, a resource left orphaned), then the other sections. A changed
 * script (a multi-line string, also inside Fn::Base64 or Fn::Sub) is
 * shown as a line diff, so a review reads the script's change.
 */
#include "diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str_at(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static size_t int_at(const json_t *obj, const char *key)
{
	return (size_t)json_integer_value(json_object_get(obj, key));
}

/* The text a value holds when it is a script: a string, or one in Fn::Base64 / Fn::Sub. */
static const char *text_of(const json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	if (!json_is_object(v) || json_object_size(v) != 1)
		return NULL;
	json_t *b = json_object_get(v, "Fn::Base64");
	if (b)
		return text_of(b);
	json_t *s = json_object_get(v, "Fn::Sub");
	return json_is_array(s) ? json_string_value(json_array_get(s, 0)) : json_string_value(s);
}

/* ---- line diff ------------------------------------------------------------ */

struct lines {
	const char **at;
	size_t *len;
	size_t n;
};

static bool split_lines(const char *s, struct lines *l)
{
	size_t n = 1;
	for (const char *p = s; *p; p++)
		n += *p == '\n';
	l->at = malloc(n * sizeof *l->at);
	l->len = malloc(n * sizeof *l->len);
	if (!l->at || !l->len)
		return false;
	l->n = 0;
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		l->at[l->n] = s;
		l->len[l->n++] = len;
		s += len + (nl != NULL);
	}
	return true;
}

static bool same_line(const struct lines *a, size_t i, const struct lines *b, size_t j)
{
	return a->len[i] == b->len[j] && memcmp(a->at[i], b->at[j], a->len[i]) == 0;
}

enum { CONTEXT = 2, MAX_CELLS = 4 * 1000 * 1000 };

/*
 * A unified-style line diff (LCS), CONTEXT lines around each change, `...`
 * between hunks; each line prefixed by `indent`. false when too large.
 */
static bool line_diff(FILE *out, const char *old, const char *new, const char *indent)
{
	struct lines a = { 0 }, b = { 0 };
	bool ok = split_lines(old, &a) && split_lines(new, &b);
	size_t cols = b.n + 1;
	unsigned *lcs = ok && (a.n + 1) * cols <= MAX_CELLS ? calloc((a.n + 1) * cols, sizeof *lcs) : NULL;
	if (!lcs) {
		free(a.at), free(a.len), free(b.at), free(b.len);
		return false;
	}
	for (size_t i = a.n; i-- > 0;)
		for (size_t j = b.n; j-- > 0;)
			lcs[i * cols + j] = same_line(&a, i, &b, j)
				? lcs[(i + 1) * cols + j + 1] + 1
				: (lcs[(i + 1) * cols + j] > lcs[i * cols + j + 1] ? lcs[(i + 1) * cols + j]
										  : lcs[i * cols + j + 1]);
	/* The edit script: ' ', '-', '+' with the line. */
	size_t cap = a.n + b.n + 1, n = 0;
	char *op = malloc(cap);
	const char **line = malloc(cap * sizeof *line);
	size_t *llen = malloc(cap * sizeof *llen);
	if (!op || !line || !llen) {
		free(op), free(line), free(llen), free(lcs);
		free(a.at), free(a.len), free(b.at), free(b.len);
		return false;
	}
	size_t i = 0, j = 0;
	while (i < a.n || j < b.n) {
		if (i < a.n && j < b.n && same_line(&a, i, &b, j)) {
			op[n] = ' ', line[n] = a.at[i], llen[n++] = a.len[i];
			i++, j++;
		} else if (i < a.n && (j == b.n || lcs[(i + 1) * cols + j] >= lcs[i * cols + j + 1])) {
			op[n] = '-', line[n] = a.at[i], llen[n++] = a.len[i];
			i++;
		} else {
			op[n] = '+', line[n] = b.at[j], llen[n++] = b.len[j];
			j++;
		}
	}
	size_t last = 0;
	bool any = false;
	for (size_t k = 0; k < n; k++) {
		bool near = false;
		for (size_t d = k >= CONTEXT ? k - CONTEXT : 0; d < n && d <= k + CONTEXT; d++)
			near |= op[d] != ' ';
		if (!near)
			continue;
		if (any && k > last + 1)
			fprintf(out, "%s...\n", indent);
		fprintf(out, "%s%c %.*s\n", indent, op[k], (int)llen[k], line[k]);
		last = k;
		any = true;
	}
	free(op), free(line), free(llen), free(lcs);
	free(a.at), free(a.len), free(b.at), free(b.len);
	return true;
}

/* ---- values ---------------------------------------------------------------- */

enum { VALUE_MAX = 160 };

/* A value on one line, compact JSON, cut at VALUE_MAX characters. */
static void put_value(FILE *out, const json_t *v, bool md)
{
	if (!v) {
		fputs(md ? "*(none)*" : "(none)", out);
		return;
	}
	char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!s) {
		fputs("?", out);
		return;
	}
	size_t n = strlen(s);
	bool cut = n > VALUE_MAX;
	if (md) {
		const char *fence = strchr(s, '`') ? "`` " : "`";
		const char *close = strchr(s, '`') ? " ``" : "`";
		fprintf(out, "%s%.*s%s%s", fence, (int)(cut ? VALUE_MAX : n), s, cut ? "..." : "", close);
	} else {
		fprintf(out, "%.*s%s", (int)(cut ? VALUE_MAX : n), s, cut ? "..." : "");
	}
	free(s);
}

static void put_change(FILE *out, const json_t *c, bool md)
{
	const char *path = str_at(c, "path");
	const char *follows = str_at(c, "follows");
	const char *bullet = md ? "- " : "    ";
	if (follows) {
		fprintf(out, md ? "%s`%s`: its value changes: it refers to `%s`, which is replaced\n"
				: "%s%s: its value changes: it refers to %s, which is replaced\n",
			bullet, path, follows);
		return;
	}
	const json_t *old = json_object_get(c, "old"), *new = json_object_get(c, "new");
	const char *ot = text_of(old), *nt = text_of(new);
	if (ot && nt && (strchr(ot, '\n') || strchr(nt, '\n'))) {
		fprintf(out, md ? "%s`%s`, changed lines:\n" : "%s%s, changed lines:\n", bullet, path);
		if (md)
			fputs("\n````diff\n", out);
		if (!line_diff(out, ot, nt, md ? "" : "      "))
			fprintf(out, "%s(too long to compare line by line)\n", md ? "" : "      ");
		if (md)
			fputs("````\n", out);
		return;
	}
	fprintf(out, md ? "%s`%s`: " : "%s%s: ", bullet, path);
	put_value(out, old, md);
	fputs(md ? " → " : " -> ", out);
	put_value(out, new, md);
	fputc('\n', out);
}

static void put_notes(FILE *out, const json_t *e, bool md)
{
	const char *bullet = md ? "- " : "    ";
	size_t i;
	json_t *w;
	json_array_foreach(json_object_get(e, "replaced_because"), i, w) {
		const char *to = str_at(w, "refers_to");
		if (to)
			fprintf(out, md ? "%sreplaced because `%s` refers to `%s`, which is replaced\n"
					: "%sreplaced because %s refers to %s, which is replaced\n",
				bullet, str_at(w, "path"), to);
		else if (strcmp(str_at(w, "path"), "Type") == 0)
			fprintf(out, "%sreplaced because the resource type changed\n", bullet);
		else
			fprintf(out, md ? "%sreplaced because `%s` is create-only\n"
					: "%sreplaced because %s is create-only\n", bullet, str_at(w, "path"));
	}
	json_t *fails = json_object_get(e, "fails");
	if (fails) {
		fprintf(out, md ? "%s**the update fails**: `%s` is set to " : "%sTHE UPDATE FAILS: %s is set to ",
			bullet, str_at(fails, "property"));
		put_value(out, json_object_get(fails, "name"), md);
		fputs(", a custom name; CloudFormation creates the replacement before deleting the old "
		      "resource, and the name is taken: change the name too, or remove the old resource "
		      "first\n", out);
	}
	if (json_object_get(e, "orphaned"))
		fprintf(out, md ? "%s**orphaned**: %s\n" : "%sorphaned: %s\n", bullet, str_at(e, "orphaned"));
	if (json_object_get(e, "snapshot"))
		fprintf(out, "%sa snapshot is taken before the old resource is deleted\n", bullet);
	if (json_object_get(e, "loses"))
		fprintf(out, md ? "%s**loses** %s\n" : "%sloses %s\n", bullet, str_at(e, "loses"));
	if (json_object_get(e, "unknown_type"))
		fprintf(out, md ? "%s`%s` is not in sgc's schema table: replacement is not predicted\n"
				: "%s%s is not in sgc's schema table: replacement is not predicted\n",
			bullet, str_at(e, "type") ? str_at(e, "type") : "a resource without a Type");
}

static void summary_line(FILE *out, const json_t *s, bool md)
{
	size_t rep = int_at(s, "replaced"), cas = int_at(s, "replaced_by_cascade");
	size_t mod = int_at(s, "modified"), add = int_at(s, "added"), rem = int_at(s, "removed");
	size_t other = int_at(s, "other"), fails = int_at(s, "failing");
	if (!rep && !mod && !add && !rem && !other) {
		fputs("no changes\n", out);
		return;
	}
	fprintf(out, md ? "**%zu replaced**" : "%zu replaced", rep);
	if (cas)
		fprintf(out, " (%zu by cascade)", cas);
	fprintf(out, ", %zu modified, %zu added, %zu removed", mod, add, rem);
	if (other)
		fprintf(out, "; %zu other change%s", other, other == 1 ? "" : "s");
	if (fails)
		fprintf(out, md ? "; **%zu update%s will fail**" : "; %zu update%s will fail", fails,
			fails == 1 ? "" : "s");
	fputc('\n', out);
}

static void render_resource(FILE *out, const json_t *e, bool md)
{
	const char *action = str_at(e, "action"), *type = str_at(e, "type");
	if (md)
		fprintf(out, "\n#### `%s` (`%s`): %s%s%s\n\n", str_at(e, "id"), type ? type : "?",
			strcmp(action, "modified") == 0 ? "" : "**", action,
			strcmp(action, "modified") == 0 ? "" : "**");
	else
		fprintf(out, "%-9s %s (%s)\n", action, str_at(e, "id"), type ? type : "no Type");
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(e, "changes"), i, c)
		put_change(out, c, md);
	put_notes(out, e, md);
}

static void render_sections(FILE *out, const json_t *report, bool md)
{
	static const char *const sections[] = { "parameters", "mappings", "conditions", "outputs" };
	for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
		json_t *list = json_object_get(report, sections[k]);
		if (json_array_size(list) == 0)
			continue;
		fprintf(out, md ? "\n### %c%s\n" : "\n%c%s:\n", sections[k][0] - 'a' + 'A', sections[k] + 1);
		size_t i;
		json_t *e;
		json_array_foreach(list, i, e) {
			fprintf(out, md ? "\n- %s `%s`\n" : "%-9s %s\n", str_at(e, "action"), str_at(e, "id"));
			size_t j;
			json_t *c;
			json_array_foreach(json_object_get(e, "changes"), j, c) {
				if (md)
					fputs("  ", out);
				put_change(out, c, md);
			}
		}
	}
}

static void render_markdown(FILE *out, const json_t *report, const char *old_name, const char *new_name)
{
	fprintf(out, "### sgc diff: `%s` → `%s`\n\n", old_name, new_name);
	summary_line(out, json_object_get(report, "summary"), true);
	json_t *res = json_object_get(report, "resources");
	if (json_array_size(res) > 0) {
		fputs("\n| Action | Resource | Type | Note |\n|---|---|---|---|\n", out);
		size_t i;
		json_t *e;
		json_array_foreach(res, i, e) {
			const char *note = json_object_get(e, "fails") ? "**update fails**"
				: json_object_get(e, "orphaned") ? "orphaned"
				: json_object_get(e, "loses") ? "loses data" : "";
			const char *action = str_at(e, "action");
			bool strong = strcmp(action, "modified") != 0;
			fprintf(out, "| %s%s%s | `%s` | `%s` | %s |\n", strong ? "**" : "", action, strong ? "**" : "",
				str_at(e, "id"), str_at(e, "type") ? str_at(e, "type") : "?", note);
		}
		json_array_foreach(res, i, e)
			render_resource(out, e, true);
	}
	render_sections(out, report, true);
}

static void render_text(FILE *out, const json_t *report, const char *old_name, const char *new_name)
{
	fprintf(out, "%s -> %s: ", old_name, new_name);
	summary_line(out, json_object_get(report, "summary"), false);
	json_t *res = json_object_get(report, "resources");
	if (json_array_size(res) > 0)
		fputc('\n', out);
	size_t i;
	json_t *e;
	json_array_foreach(res, i, e)
		render_resource(out, e, false);
	render_sections(out, report, false);
}

char *diff_render(const json_t *report, enum diff_format fmt, const char *old_name,
		  const char *new_name, size_t *len)
{
	if (fmt == DIFF_JSON) {
		char *s = json_dumps(report, JSON_INDENT(2));
		if (!s)
			return NULL;
		size_t n = strlen(s);
		char *out = realloc(s, n + 2);
		if (!out)
			return free(s), NULL;
		out[n] = '\n';
		out[n + 1] = '\0';
		*len = n + 1;
		return out;
	}
	char *buf = NULL;
	FILE *out = open_memstream(&buf, len);
	if (!out)
		return NULL;
	if (fmt == DIFF_MARKDOWN)
		render_markdown(out, report, old_name, new_name);
	else
		render_text(out, report, old_name, new_name);
	if (fclose(out) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
