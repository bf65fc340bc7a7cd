/*
 * diag.c - collecting, ordering and rendering diagnostics.
 *
 * Rendering follows rustc's anatomy (message, source line, carets, notes,
 * help) behind a first line in the GNU `file:line:col: level[code]: msg`
 * form that editors and CI problem matchers already parse.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

static const char *const code_names[] = {
#define X(code, title) #code,
#include "diag_codes.def"
#undef X
};

static const char *const code_titles[] = {
#define X(code, title) title,
#include "diag_codes.def"
#undef X
};

const char *diag_code_name(enum diag_code code)
{
	return (unsigned)code < DIAG_CODE_COUNT ? code_names[code] : NULL;
}

const char *diag_code_title(enum diag_code code)
{
	return (unsigned)code < DIAG_CODE_COUNT ? code_titles[code] : NULL;
}

bool diag_code_parse(const char *name, enum diag_code *out)
{
	for (int i = 0; i < DIAG_CODE_COUNT; i++) {
		if (strcmp(code_names[i], name) == 0) {
			*out = (enum diag_code)i;
			return true;
		}
	}
	return false;
}

enum diag_level diag_code_level(enum diag_code code)
{
	if ((unsigned)code >= DIAG_CODE_COUNT)
		return DIAG_ERROR;
	return code_names[code][0] == 'W' ? DIAG_WARNING : DIAG_ERROR;
}

void diag_sink_init(struct diag_sink *s, struct arena *a)
{
	memset(s, 0, sizeof *s);
	s->arena = a;
}

struct diag *diag_add(struct diag_sink *s, enum diag_code code,
		      struct span span, const char *fmt, ...)
{
	struct diag *d = arena_alloc(s->arena, sizeof *d);
	d->code = code;
	d->level = diag_code_level(code);
	d->span = span;
	d->seq = s->count++;
	va_list ap;
	va_start(ap, fmt);
	d->msg = arena_vprintf(s->arena, fmt, ap);
	va_end(ap);
	if (s->tail)
		s->tail->next = d;
	else
		s->head = d;
	s->tail = d;
	if (d->level == DIAG_ERROR)
		s->nerrors++;
	else
		s->nwarnings++;
	return d;
}

void diag_label(struct diag_sink *s, struct diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	d->label = arena_vprintf(s->arena, fmt, ap);
	va_end(ap);
}

void diag_secondary(struct diag_sink *s, struct diag *d, struct span span,
		    const char *fmt, ...)
{
	if (d->nsecondary == DIAG_MAX_LABELS)
		return;
	va_list ap;
	va_start(ap, fmt);
	d->secondary[d->nsecondary].span = span;
	d->secondary[d->nsecondary].text = arena_vprintf(s->arena, fmt, ap);
	d->nsecondary++;
	va_end(ap);
}

void diag_note(struct diag_sink *s, struct diag *d, const char *fmt, ...)
{
	if (d->nnotes == DIAG_MAX_NOTES)
		return;
	va_list ap;
	va_start(ap, fmt);
	d->notes[d->nnotes++] = arena_vprintf(s->arena, fmt, ap);
	va_end(ap);
}

void diag_help(struct diag_sink *s, struct diag *d, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	d->help = arena_vprintf(s->arena, fmt, ap);
	va_end(ap);
}

bool diag_has_errors(const struct diag_sink *s)
{
	return s->nerrors > 0;
}

bool diag_exists_at(const struct diag_sink *s, struct span span)
{
	for (const struct diag *d = s->head; d; d = d->next)
		if (d->span.file == span.file && d->span.lo == span.lo)
			return true;
	return false;
}

/* Where the line's comment starts (`#` or `//` outside a string), or len. */
static uint32_t comment_start(const char *line, uint32_t len)
{
	bool in_string = false;
	for (uint32_t i = 0; i < len; i++) {
		if (in_string && line[i] == '\\')
			i++;
		else if (line[i] == '"')
			in_string = !in_string;
		else if (!in_string && (line[i] == '#' || (line[i] == '/' && i + 1 < len && line[i + 1] == '/')))
			return i;
	}
	return len;
}

static bool line_allows(const char *line, uint32_t len, const char *code)
{
	static const char marker[] = "sgc: allow";
	size_t ml = sizeof marker - 1, cl = strlen(code);
	for (uint32_t i = comment_start(line, len); i + ml <= len; i++) {
		if (memcmp(line + i, marker, ml) != 0)
			continue;
		for (uint32_t k = i + (uint32_t)ml; k + cl <= len; k++)
			if (memcmp(line + k, code, cl) == 0 &&
			    (k + cl == len || line[k + cl] == ' ' || line[k + cl] == ',' ||
			     line[k + cl] == '\t' || line[k + cl] == '\r'))
				return true;
	}
	return false;
}

void diag_apply_allow_comments(struct diag_sink *s, const struct src_map *m)
{
	for (struct diag *d = s->head; d; d = d->next) {
		if (d->level != DIAG_WARNING || d->suppressed)
			continue;
		const struct src_file *f = src_get(m, d->span.file);
		uint32_t len;
		const char *line = src_line(f, src_locate(f, d->span.lo).line, &len);
		if (line_allows(line, len, diag_code_name(d->code))) {
			d->suppressed = true;
			s->nwarnings--;
		}
	}
}

void diag_deny_warnings(struct diag_sink *s)
{
	for (struct diag *d = s->head; d; d = d->next) {
		if (d->level == DIAG_WARNING && !d->suppressed) {
			d->level = DIAG_ERROR;
			s->nwarnings--;
			s->nerrors++;
		}
	}
}

static int by_position(const void *pa, const void *pb)
{
	const struct diag *a = *(const struct diag *const *)pa;
	const struct diag *b = *(const struct diag *const *)pb;
	if (a->span.file != b->span.file)
		return a->span.file < b->span.file ? -1 : 1;
	if (a->span.lo != b->span.lo)
		return a->span.lo < b->span.lo ? -1 : 1;
	if (a->code != b->code)
		return a->code < b->code ? -1 : 1;
	if (a->span.hi != b->span.hi)
		return a->span.hi < b->span.hi ? -1 : 1;
	/* qsort is not stable: the order of addition breaks the last tie. */
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

const struct diag **diag_sorted(const struct diag_sink *s, size_t cap,
				size_t *n, size_t *dropped)
{
	size_t count = 0;
	for (const struct diag *d = s->head; d; d = d->next)
		count += !d->suppressed;
	const struct diag **all = arena_calloc(s->arena, count + 1, sizeof *all);
	size_t i = 0;
	for (const struct diag *d = s->head; d; d = d->next)
		if (!d->suppressed)
			all[i++] = d;
	qsort(all, count, sizeof *all, by_position);
	size_t kept = 0;
	for (i = 0; i < count; i++) {
		if (kept && all[kept - 1]->code == all[i]->code &&
		    all[kept - 1]->span.file == all[i]->span.file &&
		    all[kept - 1]->span.lo == all[i]->span.lo &&
		    all[kept - 1]->span.hi == all[i]->span.hi)
			continue;
		all[kept++] = all[i];
	}
	*dropped = 0;
	if (cap && kept > cap) {
		*dropped = kept - cap;
		kept = cap;
	}
	*n = kept;
	return all;
}

/* ---- text rendering ---------------------------------------------------- */

struct style {
	const char *bold, *red, *yellow, *blue, *cyan, *reset;
};

static const struct style plain = { "", "", "", "", "", "" };
static const struct style ansi = { "\033[1m", "\033[1;31m", "\033[1;33m",
				   "\033[1;34m", "\033[1;36m", "\033[0m" };

static unsigned digits(uint32_t n)
{
	unsigned d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

enum { TAB_WIDTH = 4 };

/* Display width of line[0..n): code points, tabs as TAB_WIDTH. */
static uint32_t display_width(const char *line, uint32_t n)
{
	uint32_t w = 0;
	for (uint32_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];
		if (c == '\t')
			w += TAB_WIDTH;
		else if ((c & 0xC0) != 0x80)
			w++;
	}
	return w;
}

/* The line as text: tabs widened, control bytes blanked, bytes that are not UTF-8 as `?`. */
static void print_source_line(FILE *out, const char *line, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)line[i];
		uint32_t k = c >= 0x80 ? src_utf8_length(line + i, n - i) : 1;
		if (c == '\t') {
			fputs("    ", out);
		} else if (c < 0x20 || c == 0x7f) {
			fputc(' ', out);
		} else if (k == 0) {
			fputc('?', out);
		} else {
			fwrite(line + i, 1, k, out);
			i += k - 1;
		}
	}
}

/* Source line, then a row of `mark` under the span's part on that line. */
static void print_snippet(FILE *out, const struct src_file *f, struct span sp,
			  char mark, const char *text, const char *mark_color,
			  unsigned gutter, const struct style *st)
{
	struct src_pos pos = src_locate(f, sp.lo);
	uint32_t len;
	const char *line = src_line(f, pos.line, &len);
	uint32_t line_lo = (uint32_t)(line - f->text);
	uint32_t start = sp.lo - line_lo;
	uint32_t end = sp.hi > line_lo + len ? len : sp.hi - line_lo;
	if (start > len)
		start = len;
	if (end < start)
		end = start;
	uint32_t pad = display_width(line, start);
	uint32_t width = display_width(line + start, end - start);
	if (width == 0)
		width = 1;

	fprintf(out, "%s%*u |%s ", st->blue, (int)gutter, pos.line, st->reset);
	print_source_line(out, line, len);
	fputc('\n', out);
	fprintf(out, "%s%*s |%s ", st->blue, (int)gutter, "", st->reset);
	fprintf(out, "%*s%s", (int)pad, "", mark_color);
	for (uint32_t i = 0; i < width; i++)
		fputc(mark, out);
	if (text && *text)
		fprintf(out, " %s", text);
	fprintf(out, "%s\n", st->reset);
}

static void render_one(FILE *out, const struct diag *d, const struct src_map *m,
		       const struct style *st)
{
	const struct src_file *f = src_get(m, d->span.file);
	struct src_pos pos = src_locate(f, d->span.lo);
	bool err = d->level == DIAG_ERROR;
	const char *level_color = err ? st->red : st->yellow;

	uint32_t maxline = pos.line;
	for (int i = 0; i < d->nsecondary; i++) {
		const struct src_file *sf = src_get(m, d->secondary[i].span.file);
		struct src_pos sp = src_locate(sf, d->secondary[i].span.lo);
		if (sp.line > maxline)
			maxline = sp.line;
	}
	unsigned gutter = digits(maxline);

	fprintf(out, "%s%s:%u:%u:%s %s%s[%s]%s%s: %s%s\n", st->bold, f->path,
		pos.line, pos.col, st->reset, level_color,
		err ? "error" : "warning", diag_code_name(d->code), st->reset,
		st->bold, d->msg, st->reset);
	fprintf(out, "%s%*s |%s\n", st->blue, (int)gutter, "", st->reset);
	print_snippet(out, f, d->span, '^', d->label, level_color, gutter, st);

	for (int i = 0; i < d->nsecondary; i++) {
		const struct diag_label *l = &d->secondary[i];
		const struct src_file *sf = src_get(m, l->span.file);
		if (l->span.file != d->span.file) {
			struct src_pos sp = src_locate(sf, l->span.lo);
			fprintf(out, "%s%*s::: %s%s:%u:%u\n", st->blue,
				(int)gutter, "", st->reset, sf->path, sp.line,
				sp.col);
		} else {
			fprintf(out, "%s%*s |%s\n", st->blue, (int)gutter, "",
				st->reset);
		}
		print_snippet(out, sf, l->span, '-', l->text, st->blue, gutter,
			      st);
	}
	for (int i = 0; i < d->nnotes; i++)
		fprintf(out, "%s%*s =%s %snote%s: %s\n", st->blue, (int)gutter,
			"", st->reset, st->bold, st->reset, d->notes[i]);
	if (d->help)
		fprintf(out, "%s%*s =%s %shelp%s: %s\n", st->blue, (int)gutter,
			"", st->reset, st->cyan, st->reset, d->help);
	fputc('\n', out);
}

void diag_render_text(FILE *out, const struct diag_sink *s,
		      const struct src_map *m, const struct diag_render_opts *o)
{
	const struct style *st = o->color ? &ansi : &plain;
	size_t n, dropped;
	const struct diag **all = diag_sorted(s, o->cap, &n, &dropped);
	unsigned errors = 0, warnings = 0;
	for (size_t i = 0; i < n; i++) {
		render_one(out, all[i], m, st);
		if (all[i]->level == DIAG_ERROR)
			errors++;
		else
			warnings++;
	}
	if (dropped)
		fprintf(out, "note: %zu more diagnostics not shown\n", dropped);
	if (errors || warnings) {
		fprintf(out, "%s%u error%s, %u warning%s%s\n", st->bold,
			errors, errors == 1 ? "" : "s",
			warnings, warnings == 1 ? "" : "s", st->reset);
	}
}
