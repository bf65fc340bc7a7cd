/*
 * diag_formats.c - diagnostics for machines: a JSON array, a SARIF 2.1.0
 * log for GitHub code scanning, and GitHub Actions workflow commands.
 *
 * All three walk the same diagnostics as the text renderer (diag_sorted:
 * source order, duplicates and allowed warnings dropped, no cap), file by
 * file. JSON and SARIF are built with jansson, never printed by hand, so
 * escaping is always right and keys keep the order they are set in.
 */
#include "diag.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "stdmod.h"

/* Where a span starts and ends: 1-based, the end one past the last character. */
struct range {
	const char *path;
	struct src_pos start, end;
};

static struct range locate(const struct src_map *m, struct span sp)
{
	const struct src_file *f = src_get(m, sp.file);
	struct range r = { f->path, src_locate(f, sp.lo), { 0, 0 } };
	r.end = sp.hi > sp.lo ? src_locate(f, sp.hi) : r.start;
	/* A span over one stray continuation byte (E0001) is no character
	 * wide; keep it a visible region rather than an insertion point. */
	if (sp.hi > sp.lo && r.end.line == r.start.line && r.end.col <= r.start.col)
		r.end.col = r.start.col + 1;
	return r;
}

/*
 * A JSON string, or null for NULL. jansson refuses bytes that are not
 * UTF-8, which a path or an E0001 message may hold: those become `?`.
 */
static json_t *str(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s);
	char *copy = malloc(n + 1);
	if (!copy)
		return json_null();
	for (size_t i = 0; i < n;) {
		uint32_t k = src_utf8_length(s + i, (uint32_t)(n - i));
		if (k == 0) {
			copy[i++] = '?';
		} else {
			memcpy(copy + i, s + i, k);
			i += k;
		}
	}
	copy[n] = '\0';
	j = json_string(copy);
	free(copy);
	return j;
}

static const char *level_name(enum diag_level level)
{
	return level == DIAG_ERROR ? "error" : "warning";
}

/* Print and end with a newline; failures show in ferror(out) for the caller. */
static void dump(FILE *out, json_t *root, size_t flags)
{
	json_dumpf(root, out, flags | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(root);
}

/* ---- json ---------------------------------------------------------------- */

static void set_range(json_t *o, struct range r)
{
	json_object_set_new(o, "file", str(r.path));
	json_object_set_new(o, "line", json_integer(r.start.line));
	json_object_set_new(o, "column", json_integer(r.start.col));
	json_object_set_new(o, "end_line", json_integer(r.end.line));
	json_object_set_new(o, "end_column", json_integer(r.end.col));
}

static json_t *json_diag(const struct diag *d, const struct src_map *m)
{
	json_t *o = json_object();
	json_object_set_new(o, "code", json_string(diag_code_name(d->code)));
	json_object_set_new(o, "severity", json_string(level_name(d->level)));
	json_object_set_new(o, "message", str(d->msg));
	set_range(o, locate(m, d->span));
	json_object_set_new(o, "label", str(d->label));
	json_t *notes = json_array();
	for (int i = 0; i < d->nnotes; i++)
		json_array_append_new(notes, str(d->notes[i]));
	json_object_set_new(o, "notes", notes);
	json_object_set_new(o, "help", str(d->help));
	json_t *related = json_array();
	for (int i = 0; i < d->nsecondary; i++) {
		json_t *r = json_object();
		set_range(r, locate(m, d->secondary[i].span));
		json_object_set_new(r, "message", str(d->secondary[i].text));
		json_array_append_new(related, r);
	}
	json_object_set_new(o, "related", related);
	return o;
}

void diag_render_json(FILE *out, const struct diag_sink *const *sinks,
		      const struct src_map *const *maps, size_t n)
{
	json_t *all = json_array();
	for (size_t i = 0; i < n; i++) {
		size_t count, dropped;
		const struct diag **ds = diag_sorted(sinks[i], 0, &count, &dropped);
		for (size_t k = 0; k < count; k++)
			json_array_append_new(all, json_diag(ds[k], maps[i]));
	}
	dump(out, all, JSON_COMPACT);
}

/* ---- sarif --------------------------------------------------------------- */

/*
 * CODE's section of docs/diagnostics.md (embedded in the binary) up to its
 * `**Example.**`: what the code means and the rule behind it. malloc'd;
 * NULL when the section is missing.
 */
static char *doc_text(enum diag_code code)
{
	const struct stdlib_file *doc = stdlib_find("docs/diagnostics.md");
	char heading[32];
	snprintf(heading, sizeof heading, "\n## %s:", diag_code_name(code));
	const char *start = doc ? strstr(doc->text, heading) : NULL;
	if (!start || !(start = strchr(start + 1, '\n')))
		return NULL;
	const char *end = strstr(start, "\n## ");
	if (!end)
		end = start + strlen(start);
	const char *example = strstr(start, "\n**Example.**");
	if (example && example < end)
		end = example;
	while (start < end && (*start == '\n' || *start == ' '))
		start++;
	while (end > start && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	return end > start ? strndup(start, (size_t)(end - start)) : NULL;
}

/*
 * The first paragraph of the help text without its `*Error.*` or
 * `*Warning.*` lead-in (the level is in defaultConfiguration already).
 */
static json_t *first_paragraph(const char *text)
{
	if (text[0] == '*') {
		const char *close = strstr(text + 1, "* ");
		if (close)
			text = close + 2;
	}
	const char *end = strstr(text, "\n\n");
	return json_stringn(text, end ? (size_t)(end - text) : strlen(text));
}

/* "subnet outside its VPC" -> "SubnetOutsideItsVPC": a name that reads as an identifier. */
static json_t *camel_case(const char *title)
{
	char buf[128];
	size_t n = 0;
	bool word_start = true;
	for (const char *p = title; *p && n < sizeof buf - 1; p++) {
		bool alnum = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
			     (*p >= '0' && *p <= '9');
		if (!alnum) {
			word_start = true;
			continue;
		}
		buf[n++] = word_start && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		word_start = false;
	}
	return json_stringn(buf, n);
}

static json_t *text_object(json_t *text)
{
	json_t *o = json_object();
	json_object_set_new(o, "text", text);
	return o;
}

static json_t *sarif_rule(enum diag_code code)
{
	const char *title = diag_code_title(code);
	char *doc = doc_text(code);
	json_t *rule = json_object();
	json_object_set_new(rule, "id", json_string(diag_code_name(code)));
	json_object_set_new(rule, "name", camel_case(title));
	json_object_set_new(rule, "shortDescription", text_object(json_string(title)));
	json_object_set_new(rule, "fullDescription",
			    text_object(doc ? first_paragraph(doc) : json_string(title)));
	json_t *help = text_object(json_string(doc ? doc : title));
	json_object_set_new(help, "markdown", json_string(doc ? doc : title));
	json_object_set_new(rule, "help", help);
	json_t *config = json_object();
	json_object_set_new(config, "level", json_string(level_name(diag_code_level(code))));
	json_object_set_new(rule, "defaultConfiguration", config);
	free(doc);
	return rule;
}

/*
 * A path as a URI reference. Relative paths stay relative (code scanning
 * resolves them against the checkout); bytes a URI cannot hold, and `:`
 * (which would make `a:b.sgl` read as a scheme), are percent-encoded.
 */
static json_t *uri(const char *path)
{
	static const char keep[] = "-._~/!$&'()*+,;=@";
	size_t n = strlen(path);
	char *buf = malloc(3 * n + 1), *p = buf;
	if (!buf)
		return json_string("");
	for (const unsigned char *s = (const unsigned char *)path; *s; s++) {
		bool alnum = (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
			     (*s >= '0' && *s <= '9');
		if (alnum || strchr(keep, *s))
			*p++ = (char)*s;
		else
			p += sprintf(p, "%%%02X", *s);
	}
	*p = '\0';
	json_t *j = json_string(buf);
	free(buf);
	return j;
}

/* A location; `id` < 0 for none (only related locations have one). */
static json_t *sarif_location(int id, struct range r, const char *message)
{
	json_t *loc = json_object();
	if (id >= 0)
		json_object_set_new(loc, "id", json_integer(id));
	json_t *artifact = json_object();
	json_object_set_new(artifact, "uri", uri(r.path));
	json_t *region = json_object();
	json_object_set_new(region, "startLine", json_integer(r.start.line));
	json_object_set_new(region, "startColumn", json_integer(r.start.col));
	json_object_set_new(region, "endLine", json_integer(r.end.line));
	json_object_set_new(region, "endColumn", json_integer(r.end.col));
	json_t *physical = json_object();
	json_object_set_new(physical, "artifactLocation", artifact);
	json_object_set_new(physical, "region", region);
	json_object_set_new(loc, "physicalLocation", physical);
	if (message)
		json_object_set_new(loc, "message", text_object(str(message)));
	return loc;
}

static json_t *sarif_result(const struct diag *d, const struct src_map *m,
			    int rule_index)
{
	json_t *res = json_object();
	json_object_set_new(res, "ruleId", json_string(diag_code_name(d->code)));
	json_object_set_new(res, "ruleIndex", json_integer(rule_index));
	json_object_set_new(res, "level", json_string(level_name(d->level)));
	/* Code scanning shows only the message, so the fix goes into it. */
	char *text = NULL;
	if (d->help) {
		size_t size = strlen(d->msg) + strlen(" help: ") + strlen(d->help) + 1;
		if ((text = malloc(size)))
			snprintf(text, size, "%s help: %s", d->msg, d->help);
	}
	json_object_set_new(res, "message", text_object(str(text ? text : d->msg)));
	free(text);
	json_t *locations = json_array();
	json_array_append_new(locations, sarif_location(-1, locate(m, d->span), d->label));
	json_object_set_new(res, "locations", locations);
	if (d->nsecondary) {
		json_t *related = json_array();
		for (int i = 0; i < d->nsecondary; i++) {
			json_array_append_new(related,
					      sarif_location(i, locate(m, d->secondary[i].span),
							     d->secondary[i].text));
		}
		json_object_set_new(res, "relatedLocations", related);
	}
	return res;
}

void diag_render_sarif(FILE *out, const struct diag_sink *const *sinks,
		       const struct src_map *const *maps, size_t n,
		       const char *tool_version)
{
	/* One rule per code used, in code order; results point at it by index. */
	int rule_index[DIAG_CODE_COUNT];
	for (int c = 0; c < DIAG_CODE_COUNT; c++)
		rule_index[c] = -1;
	for (size_t i = 0; i < n; i++)
		for (const struct diag *d = sinks[i]->head; d; d = d->next)
			if (!d->suppressed)
				rule_index[d->code] = 0;
	json_t *rules = json_array();
	for (int c = 0; c < DIAG_CODE_COUNT; c++) {
		if (rule_index[c] < 0)
			continue;
		rule_index[c] = (int)json_array_size(rules);
		json_array_append_new(rules, sarif_rule((enum diag_code)c));
	}

	json_t *results = json_array();
	for (size_t i = 0; i < n; i++) {
		size_t count, dropped;
		const struct diag **ds = diag_sorted(sinks[i], 0, &count, &dropped);
		for (size_t k = 0; k < count; k++)
			json_array_append_new(results, sarif_result(ds[k], maps[i],
								    rule_index[ds[k]->code]));
	}

	json_t *driver = json_object();
	json_object_set_new(driver, "name", json_string("sgc"));
	if (tool_version)
		json_object_set_new(driver, "version", str(tool_version));
	json_object_set_new(driver, "rules", rules);
	json_t *tool = json_object();
	json_object_set_new(tool, "driver", driver);
	json_t *run = json_object();
	json_object_set_new(run, "tool", tool);
	/* src_locate counts code points, not SARIF's default UTF-16 units. */
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	json_object_set_new(run, "results", results);
	json_t *runs = json_array();
	json_array_append_new(runs, run);
	json_t *log = json_object();
	json_object_set_new(log, "$schema",
			    json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(log, "version", json_string("2.1.0"));
	json_object_set_new(log, "runs", runs);
	dump(out, log, JSON_INDENT(2));
}

/* ---- github -------------------------------------------------------------- */

/*
 * GitHub's workflow-command escaping: `%`, CR and LF everywhere; in a
 * property value also `:` and `,`, which would end the value.
 */
static void put_escaped(FILE *out, const char *s, bool property)
{
	for (; *s; s++) {
		if (*s == '%')
			fputs("%25", out);
		else if (*s == '\r')
			fputs("%0D", out);
		else if (*s == '\n')
			fputs("%0A", out);
		else if (property && *s == ':')
			fputs("%3A", out);
		else if (property && *s == ',')
			fputs("%2C", out);
		else
			fputc(*s, out);
	}
}

static void github_one(FILE *out, const struct diag *d, const struct src_map *m)
{
	struct range r = locate(m, d->span);
	fprintf(out, "::%s file=", level_name(d->level));
	put_escaped(out, r.path, true);
	fprintf(out, ",line=%u", r.start.line);
	/* The runner drops columns (with a warning) when the lines differ. */
	if (r.end.line == r.start.line)
		fprintf(out, ",col=%u", r.start.col);
	fprintf(out, ",endLine=%u", r.end.line);
	if (r.end.line == r.start.line)
		fprintf(out, ",endColumn=%u", r.end.col);
	fprintf(out, ",title=%s ", diag_code_name(d->code));
	put_escaped(out, diag_code_title(d->code), true);
	fputs("::", out);
	put_escaped(out, d->msg, false);
	if (d->help) {
		fputs("%0Ahelp: ", out);
		put_escaped(out, d->help, false);
	}
	fputc('\n', out);
}

void diag_render_github(FILE *out, const struct diag_sink *const *sinks,
			const struct src_map *const *maps, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t count, dropped;
		const struct diag **ds = diag_sorted(sinks[i], 0, &count, &dropped);
		for (size_t k = 0; k < count; k++)
			github_one(out, ds[k], maps[i]);
	}
}
