/*
 * diag_formats.c - diagnostics for machines: a JSON array, a SARIF 2.1.0
 * log for GitHub code scanning, and GitHub Actions workflow commands.
 *
 * All three walk the same diagnostics as the text renderer (diag_sorted:
 * source order, duplicates and allowed warnings dropped), file by file, at
 * most DIAG_MACHINE_CAP of each file, one file at a time (diag_stream_*):
 * `sgc check DIR` frees each file's compile once it is rendered. Every JSON value is built and
 * escaped by jansson, never printed by hand, and keys keep the order they
 * are set in; but one diagnostic is built and written at a time, between
 * brackets printed here, so that a million diagnostics do not become one
 * tree of gigabytes.
 */
#include "diag.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "stdmod.h"
#include "version.h" /* SGC_DOCS_URL */

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
	return level == DIAG_ERROR ? "error" : level == DIAG_WARNING ? "warning" : "note";
}

/*
 * Write text[0..n) that jansson dumped, nested `indent` columns deep (every
 * line after the first moves right), with DEL, C1 controls and invisible
 * format characters as `\u` escapes. jansson escapes C0 controls but
 * writes those raw: valid JSON, yet U+009B is a CSI to some terminals and
 * U+202E reverses the line it is read on. They can only occur inside JSON
 * strings, where `\u` means the same character, so the values stay
 * exact; and a raw newline in a dump is always a line break of the layout.
 */
static void put_json(FILE *out, const char *text, size_t n, int indent)
{
	size_t run = 0; /* bytes of text[0..run) not yet written */
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		uint32_t k = src_utf8_decode(text + i, n - i < 4 ? (uint32_t)(n - i) : 4, &cp);
		if (k == 0) /* jansson writes only UTF-8; pass anything else through */
			k = 1, cp = 0;
		bool newline = text[i] == '\n';
		if (newline || (cp >= 0x7F && src_hidden(cp))) {
			fwrite(text + run, 1, i - run + newline, out);
			if (newline)
				fprintf(out, "%*s", indent, "");
			else /* every hidden code point is in the BMP: one \u is enough */
				fprintf(out, "\\u%04X", (unsigned)cp);
			run = i + k;
		}
		i += k;
	}
	fwrite(text + run, 1, n - run, out);
}

/* Print one value (nested `indent` deep) and free it; failures show in ferror(out) for the caller. */
static void dump(FILE *out, json_t *value, size_t flags, int indent)
{
	char *text = json_dumps(value, flags | JSON_PRESERVE_ORDER);
	json_decref(value);
	if (text)
		put_json(out, text, strlen(text), indent);
	free(text);
}

enum { OMITTED_TEXT_SIZE = 96 };

/* The message of the notice that stands for what the cap left out. */
static const char *omitted_text(char buf[OMITTED_TEXT_SIZE], size_t dropped)
{
	snprintf(buf, OMITTED_TEXT_SIZE, "%zu more diagnostic%s not shown: at most %d are reported per file",
		 dropped, dropped == 1 ? "" : "s", DIAG_MACHINE_CAP);
	return buf;
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
	json_object_set_new(o, "version", json_integer(DIAG_JSON_VERSION));
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
	/* The help's fix as edits applied together (an insertion: end == start). */
	json_t *fixes = json_array();
	for (int i = 0; i < d->nfixes; i++) {
		json_t *f = json_object();
		struct range r = locate(m, d->fixes[i].span);
		if (d->fixes[i].span.hi == d->fixes[i].span.lo)
			r.end = r.start;
		set_range(f, r);
		json_object_set_new(f, "text", str(d->fixes[i].text));
		json_array_append_new(fixes, f);
	}
	json_object_set_new(o, "fixes", fixes);
	return o;
}

static json_t *json_omitted(struct span at, const struct src_map *m, size_t dropped)
{
	char text[OMITTED_TEXT_SIZE];
	json_t *o = json_object();
	json_object_set_new(o, "version", json_integer(DIAG_JSON_VERSION));
	json_object_set_new(o, "code", json_null());
	json_object_set_new(o, "severity", json_string("note"));
	json_object_set_new(o, "message", str(omitted_text(text, dropped)));
	set_range(o, locate(m, at));
	json_object_set_new(o, "label", json_null());
	json_object_set_new(o, "notes", json_array());
	json_object_set_new(o, "help", json_null());
	json_object_set_new(o, "related", json_array());
	json_object_set_new(o, "fixes", json_array());
	json_object_set_new(o, "omitted", json_integer((json_int_t)dropped));
	return o;
}

/* One file's elements; the array's brackets and commas are printed here, each element by jansson. */
static void json_file(FILE *out, const struct diag_sink *sink, const struct src_map *m, bool *first)
{
	size_t count, dropped;
	const struct diag **ds = diag_sorted(sink, DIAG_MACHINE_CAP, &count, &dropped);
	for (size_t k = 0; k <= count; k++) {
		if (k == count && !dropped)
			break;
		if (!*first)
			fputc(',', out);
		*first = false;
		dump(out, k < count ? json_diag(ds[k], m)
				    : json_omitted(diag_omitted_at(sink, ds, count), m, dropped),
		     JSON_COMPACT, 0);
	}
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

/*
 * The rule's section of docs/diagnostics.md where this copy is published:
 * the anchor GitHub gives the heading `## E0501: lifecycle script too large`
 * (lower case; letters, digits, `-` and `_` kept, spaces as `-`).
 */
static json_t *help_uri(enum diag_code code)
{
	char anchor[160];
	size_t n = 0;
	char heading[140];
	snprintf(heading, sizeof heading, "%s: %s", diag_code_name(code), diag_code_title(code));
	for (const char *p = heading; *p && n < sizeof anchor - 1; p++) {
		char c = *p;
		if (c >= 'A' && c <= 'Z')
			anchor[n++] = (char)(c - 'A' + 'a');
		else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')
			anchor[n++] = c;
		else if (c == ' ')
			anchor[n++] = '-';
	}
	anchor[n] = '\0';
	size_t size = strlen(SGC_DOCS_URL) + strlen("/docs/diagnostics.md#") + n + 1;
	char *u = malloc(size);
	if (!u)
		return json_null();
	snprintf(u, size, "%s/docs/diagnostics.md#%s", SGC_DOCS_URL, anchor);
	json_t *j = json_string(u);
	free(u);
	return j;
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
	json_object_set_new(rule, "helpUri", help_uri(code));
	json_t *config = json_object();
	json_object_set_new(config, "level", json_string(level_name(diag_code_level(code))));
	json_object_set_new(rule, "defaultConfiguration", config);
	free(doc);
	return rule;
}

/*
 * A path as a URI reference. Relative paths stay relative (code scanning
 * resolves them against the checkout); bytes a URI cannot hold, and `:`
 * (which would make `a:b.sgl` read as a scheme), are percent-encoded. An
 * absolute path becomes a `file://` URI.
 */
static json_t *uri(const char *path)
{
	if (path[0] == '/') {
		json_t *rest = uri(path + 1);
		const char *r = json_string_value(rest);
		size_t size = strlen("file:///") + (r ? strlen(r) : 0) + 1;
		char *buf = malloc(size);
		json_t *j = buf ? (snprintf(buf, size, "file:///%s", r ? r : ""), json_string(buf))
				: json_string("");
		free(buf);
		json_decref(rest);
		return j;
	}
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

static json_t *sarif_artifact(const char *path)
{
	json_t *artifact = json_object();
	json_object_set_new(artifact, "uri", uri(path));
	/* Relative to where sgc ran: the checkout's root, in CI (docs/formats.md). */
	if (path[0] != '/')
		json_object_set_new(artifact, "uriBaseId", json_string("%SRCROOT%"));
	return artifact;
}

static json_t *sarif_region(struct range r)
{
	json_t *region = json_object();
	json_object_set_new(region, "startLine", json_integer(r.start.line));
	json_object_set_new(region, "startColumn", json_integer(r.start.col));
	json_object_set_new(region, "endLine", json_integer(r.end.line));
	json_object_set_new(region, "endColumn", json_integer(r.end.col));
	return region;
}

/* A location; `id` < 0 for none (only related locations have one). */
static json_t *sarif_location(int id, struct range r, const char *message)
{
	json_t *loc = json_object();
	if (id >= 0)
		json_object_set_new(loc, "id", json_integer(id));
	json_t *physical = json_object();
	json_object_set_new(physical, "artifactLocation", sarif_artifact(r.path));
	json_object_set_new(physical, "region", sarif_region(r));
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
	/* The message says what is wrong; the fix is the help, apart (docs/formats.md). */
	json_object_set_new(res, "message", text_object(str(d->msg)));
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
	if (d->help || d->nnotes) {
		json_t *props = json_object();
		if (d->help)
			json_object_set_new(props, "help", str(d->help));
		if (d->nnotes) {
			json_t *notes = json_array();
			for (int i = 0; i < d->nnotes; i++)
				json_array_append_new(notes, str(d->notes[i]));
			json_object_set_new(props, "notes", notes);
		}
		json_object_set_new(res, "properties", props);
	}
	/* The help's fix: one artifactChange, its replacements in source order. */
	if (d->nfixes) {
		json_t *repl = json_array();
		for (int i = 0; i < d->nfixes; i++) {
			struct range r = locate(m, d->fixes[i].span);
			if (d->fixes[i].span.hi == d->fixes[i].span.lo)
				r.end = r.start;
			json_t *one = json_object();
			json_object_set_new(one, "deletedRegion", sarif_region(r));
			json_object_set_new(one, "insertedContent", text_object(str(d->fixes[i].text)));
			json_array_append_new(repl, one);
		}
		json_t *change = json_object();
		json_object_set_new(change, "artifactLocation",
				    sarif_artifact(src_get(m, d->fixes[0].span.file)->path));
		json_object_set_new(change, "replacements", repl);
		json_t *changes = json_array();
		json_array_append_new(changes, change);
		json_t *fix = json_object();
		if (d->help)
			json_object_set_new(fix, "description", text_object(str(d->help)));
		json_object_set_new(fix, "artifactChanges", changes);
		json_t *fixes = json_array();
		json_array_append_new(fixes, fix);
		json_object_set_new(res, "fixes", fixes);
	}
	return res;
}

/*
 * What a SARIF log keeps of each file until its end, since the rules and
 * the notices of what the cap left out come before the results: each
 * result, built (so the file's compile may be freed), and the codes used.
 * It grows with the diagnostics reported, never with the files checked.
 */
struct sarif_run {
	json_t *results;                 /* each result; ruleIndex set at the end */
	json_t *notes;                   /* toolExecutionNotifications */
	bool stopped;                    /* a file's checking stopped early */
	bool used[DIAG_CODE_COUNT];      /* codes of the results */
};

/* The first error of a sink (one exists when checking stopped), or NULL. */
static const struct diag *first_error(const struct diag_sink *sink)
{
	for (const struct diag *d = sink->head; d; d = d->next)
		if (d->level == DIAG_ERROR)
			return d;
	return NULL;
}

static void sarif_file(struct sarif_run *run, const struct diag_sink *sink,
		       const struct src_map *m)
{
	size_t count, dropped;
	const struct diag **ds = diag_sorted(sink, DIAG_MACHINE_CAP, &count, &dropped);
	for (size_t k = 0; k < count; k++) {
		run->used[ds[k]->code] = true;
		/* The index is the code's until the rules are known (sarif_end). */
		json_array_append_new(run->results, sarif_result(ds[k], m, (int)ds[k]->code));
	}
	if (sink->stopped_after) {
		run->stopped = true;
		char text[192];
		snprintf(text, sizeof text,
			 "checking this file stopped after %s, at its errors: the later stages did "
			 "not run, so their findings are not reported",
			 sink->stopped_after);
		json_t *note = json_object();
		json_object_set_new(note, "level", json_string("error"));
		json_object_set_new(note, "message", text_object(str(text)));
		const struct diag *e = first_error(sink);
		if (e) {
			json_t *locations = json_array();
			json_array_append_new(locations, sarif_location(-1, locate(m, e->span), NULL));
			json_object_set_new(note, "locations", locations);
		}
		json_array_append_new(run->notes, note);
	}
	if (!dropped)
		return;
	char text[OMITTED_TEXT_SIZE];
	json_t *note = json_object();
	json_object_set_new(note, "level", json_string("note"));
	json_object_set_new(note, "message", text_object(str(omitted_text(text, dropped))));
	json_t *locations = json_array();
	json_array_append_new(locations,
			      sarif_location(-1, locate(m, diag_omitted_at(sink, ds, count)), NULL));
	json_object_set_new(note, "locations", locations);
	json_array_append_new(run->notes, note);
}

/* One rule per code reported, in code order; rule_index maps a code to its place. */
static json_t *sarif_rules(const bool used[DIAG_CODE_COUNT], int rule_index[DIAG_CODE_COUNT])
{
	json_t *rules = json_array();
	for (int c = 0; c < DIAG_CODE_COUNT; c++) {
		rule_index[c] = -1;
		if (!used[c])
			continue;
		rule_index[c] = (int)json_array_size(rules);
		json_array_append_new(rules, sarif_rule((enum diag_code)c));
	}
	return rules;
}

/*
 * The run's one invocation: executionSuccessful false when a file's
 * checking stopped early, so that a log with few results is not read as
 * clean; its notifications say where, and what the cap left out.
 */
static json_t *sarif_invocations(json_t *notes, bool stopped)
{
	json_t *invocation = json_object();
	json_object_set_new(invocation, "executionSuccessful", json_boolean(!stopped));
	if (json_array_size(notes) == 0)
		json_decref(notes);
	else
		json_object_set_new(invocation, "toolExecutionNotifications", notes);
	json_t *invocations = json_array();
	json_array_append_new(invocations, invocation);
	return invocations;
}

/* The log without its results: `"results": []` marks where they go. */
static json_t *sarif_skeleton(json_t *rules, json_t *invocations, const char *tool_version)
{
	json_t *driver = json_object();
	json_object_set_new(driver, "name", json_string("sgc"));
	if (tool_version)
		json_object_set_new(driver, "version", str(tool_version));
	json_object_set_new(driver, "informationUri", json_string(SGC_DOCS_URL));
	json_object_set_new(driver, "rules", rules);
	json_t *tool = json_object();
	json_object_set_new(tool, "driver", driver);
	json_t *run = json_object();
	json_object_set_new(run, "tool", tool);
	/* src_locate counts code points, not SARIF's default UTF-16 units. */
	json_object_set_new(run, "columnKind", json_string("unicodeCodePoints"));
	if (invocations)
		json_object_set_new(run, "invocations", invocations);
	json_object_set_new(run, "results", json_array());
	json_t *runs = json_array();
	json_array_append_new(runs, run);
	json_t *log = json_object();
	json_object_set_new(log, "$schema",
			    json_string("https://json.schemastore.org/sarif-2.1.0.json"));
	json_object_set_new(log, "version", json_string("2.1.0"));
	json_object_set_new(log, "runs", runs);
	return log;
}

/*
 * Where `"results": []` starts in the dumped skeleton, and how deep it is
 * indented: the match that only blanks separate from the start of its
 * line, which no string value can fake (its newlines are `\n`).
 */
static char *results_key(char *skeleton, int *indent)
{
	static const char key[] = "\"results\": []";
	for (char *at = skeleton; (at = strstr(at, key)); at++) {
		int blanks = 0;
		while (at - blanks > skeleton && at[-blanks - 1] == ' ')
			blanks++;
		if (at - blanks > skeleton && at[-blanks - 1] == '\n') {
			*indent = blanks;
			return at;
		}
	}
	return NULL;
}

/*
 * The skeleton is dumped whole and split at its empty results array; the
 * results are dumped one by one in between, indented as jansson would
 * have indented them, so the log reads the same as one json_dumpf.
 */
static void sarif_end(FILE *out, struct sarif_run *run, const char *tool_version)
{
	int rule_index[DIAG_CODE_COUNT];
	json_t *rules = sarif_rules(run->used, rule_index);
	json_t *log = sarif_skeleton(rules, sarif_invocations(run->notes, run->stopped), tool_version);
	char *skeleton = json_dumps(log, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(log);
	int indent;
	char *at = skeleton ? results_key(skeleton, &indent) : NULL;
	if (!at) {
		free(skeleton);
		json_decref(run->results);
		return;
	}
	char *rest = strchr(at, ']');
	put_json(out, skeleton, (size_t)(rest - skeleton), 0);

	size_t n = json_array_size(run->results);
	for (size_t i = 0; i < n; i++) {
		json_t *res = json_array_get(run->results, i);
		/* Its code stands in ruleIndex; replacing a member keeps its place. */
		json_int_t code = json_integer_value(json_object_get(res, "ruleIndex"));
		json_object_set_new(res, "ruleIndex", json_integer(rule_index[code]));
		fprintf(out, "%s\n%*s", i ? "," : "", indent + 2, "");
		dump(out, json_incref(res), JSON_INDENT(2), indent + 2);
	}
	if (n)
		fprintf(out, "\n%*s", indent, "");
	put_json(out, rest, strlen(rest), 0);
	fputc('\n', out);
	free(skeleton);
	json_decref(run->results);
}

/* ---- github -------------------------------------------------------------- */

/*
 * GitHub's workflow-command escaping: `%`, CR and LF everywhere; in a
 * property value also `:` and `,`, which would end the value. The runner
 * undoes only those, so any other control character is shown as the text
 * renderer shows it (`\x1b`, `\u{202e}`): an annotation or the log line
 * carrying it cannot reach the terminal of whoever reads the log.
 */
static void put_escaped(FILE *out, const char *s, bool property)
{
	uint32_t n = (uint32_t)strlen(s);
	for (uint32_t i = 0; i < n;) {
		char c = s[i];
		char esc[SRC_ESCAPE_MAX];
		uint32_t k = src_visible_char(s + i, n - i, esc);
		if (c == '%')
			fputs("%25", out);
		else if (c == '\r')
			fputs("%0D", out);
		else if (c == '\n')
			fputs("%0A", out);
		else if (property && c == ':')
			fputs("%3A", out);
		else if (property && c == ',')
			fputs("%2C", out);
		else if (esc[0])
			fputs(esc, out);
		else
			fwrite(s + i, 1, k, out);
		i += k;
	}
}

/* file=..,line=..,col=..,endLine=..,endColumn=.. */
static void github_position(FILE *out, struct range r)
{
	fputs("file=", out);
	put_escaped(out, r.path, true);
	fprintf(out, ",line=%u", r.start.line);
	/* The runner drops columns (with a warning) when the lines differ. */
	if (r.end.line == r.start.line)
		fprintf(out, ",col=%u", r.start.col);
	fprintf(out, ",endLine=%u", r.end.line);
	if (r.end.line == r.start.line)
		fprintf(out, ",endColumn=%u", r.end.col);
}

static void github_one(FILE *out, const struct diag *d, const struct src_map *m)
{
	/* GitHub's workflow commands call a note a notice. */
	fprintf(out, "::%s ", d->level == DIAG_NOTE ? "notice" : level_name(d->level));
	github_position(out, locate(m, d->span));
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

static void github_file(FILE *out, const struct diag_sink *sink, const struct src_map *m)
{
	size_t count, dropped;
	const struct diag **ds = diag_sorted(sink, DIAG_MACHINE_CAP, &count, &dropped);
	for (size_t k = 0; k < count; k++)
		github_one(out, ds[k], m);
	if (dropped) {
		char text[OMITTED_TEXT_SIZE];
		fputs("::notice ", out);
		github_position(out, locate(m, diag_omitted_at(sink, ds, count)));
		fputs("::", out);
		put_escaped(out, omitted_text(text, dropped), false);
		fputc('\n', out);
	}
}

/* ---- one file at a time ---------------------------------------------------- */

struct diag_stream {
	FILE *out;
	enum diag_format fmt;
	const char *tool_version;
	bool first;             /* json: no element written yet */
	struct sarif_run sarif;
};

struct diag_stream *diag_stream_begin(FILE *out, enum diag_format fmt, const char *tool_version)
{
	struct diag_stream *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->out = out;
	s->fmt = fmt;
	s->tool_version = tool_version;
	s->first = true;
	if (fmt == DIAG_FORMAT_JSON)
		fputc('[', out);
	if (fmt == DIAG_FORMAT_SARIF) {
		s->sarif.results = json_array();
		s->sarif.notes = json_array();
	}
	return s;
}

void diag_stream_file(struct diag_stream *s, const struct diag_sink *sink,
		      const struct src_map *m)
{
	if (!s)
		return;
	switch (s->fmt) {
	case DIAG_FORMAT_JSON: json_file(s->out, sink, m, &s->first); break;
	case DIAG_FORMAT_SARIF: sarif_file(&s->sarif, sink, m); break;
	case DIAG_FORMAT_GITHUB: github_file(s->out, sink, m); break;
	}
}

void diag_stream_end(struct diag_stream *s)
{
	if (!s)
		return;
	if (s->fmt == DIAG_FORMAT_JSON)
		fputs("]\n", s->out);
	if (s->fmt == DIAG_FORMAT_SARIF)
		sarif_end(s->out, &s->sarif, s->tool_version);
	free(s);
}

static void render(FILE *out, enum diag_format fmt, const struct diag_sink *const *sinks,
		   const struct src_map *const *maps, size_t n, const char *tool_version)
{
	struct diag_stream *s = diag_stream_begin(out, fmt, tool_version);
	for (size_t i = 0; i < n; i++)
		diag_stream_file(s, sinks[i], maps[i]);
	diag_stream_end(s);
}

void diag_render_json(FILE *out, const struct diag_sink *const *sinks,
		      const struct src_map *const *maps, size_t n)
{
	render(out, DIAG_FORMAT_JSON, sinks, maps, n, NULL);
}

void diag_render_sarif(FILE *out, const struct diag_sink *const *sinks,
		       const struct src_map *const *maps, size_t n,
		       const char *tool_version)
{
	render(out, DIAG_FORMAT_SARIF, sinks, maps, n, tool_version);
}

void diag_render_github(FILE *out, const struct diag_sink *const *sinks,
			const struct src_map *const *maps, size_t n)
{
	render(out, DIAG_FORMAT_GITHUB, sinks, maps, n, NULL);
}
