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
	switch (code_names[code][0]) {
	case 'W':
		return DIAG_WARNING;
	case 'N':
		return DIAG_NOTE;
	default:
		return DIAG_ERROR;
	}
}

void diag_sink_init(struct diag_sink *s, struct arena *a)
{
	memset(s, 0, sizeof *s);
	s->arena = a;
}

_Static_assert((int)DIAG_SINK_MAX > (int)DIAG_MACHINE_CAP, "the renderers' cap must apply first");

static bool discarded(const struct diag_sink *s, const struct diag *d)
{
	return d == &s->discard;
}

/* Counted, not kept: the caller still gets a diagnostic to fill, which is then dropped. */
static struct diag *discard(struct diag_sink *s, enum diag_code code, struct span span)
{
	struct diag *d = &s->discard;
	memset(d, 0, sizeof *d);
	d->code = code;
	d->level = diag_code_level(code);
	d->span = span;
	d->msg = "";
	d->seq = s->count++;
	if (s->unstored++ == 0)
		s->first_unstored = span;
	if (d->level == DIAG_ERROR) {
		s->nerrors++;
	} else if (d->level == DIAG_NOTE) {
		s->nnotes++;
	} else {
		s->nwarnings++;
		s->unstored_warnings++;
	}
	return d;
}

struct diag *diag_add(struct diag_sink *s, enum diag_code code,
		      struct span span, const char *fmt, ...)
{
	if (s->count - s->unstored >= DIAG_SINK_MAX)
		return discard(s, code, span);
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
	else if (d->level == DIAG_NOTE)
		s->nnotes++;
	else
		s->nwarnings++;
	return d;
}

void diag_label(struct diag_sink *s, struct diag *d, const char *fmt, ...)
{
	if (discarded(s, d))
		return;
	va_list ap;
	va_start(ap, fmt);
	d->label = arena_vprintf(s->arena, fmt, ap);
	va_end(ap);
}

void diag_secondary(struct diag_sink *s, struct diag *d, struct span span,
		    const char *fmt, ...)
{
	if (d->nsecondary == DIAG_MAX_LABELS || discarded(s, d))
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
	if (d->nnotes == DIAG_MAX_NOTES || discarded(s, d))
		return;
	va_list ap;
	va_start(ap, fmt);
	d->notes[d->nnotes++] = arena_vprintf(s->arena, fmt, ap);
	va_end(ap);
}

void diag_help(struct diag_sink *s, struct diag *d, const char *fmt, ...)
{
	if (discarded(s, d))
		return;
	va_list ap;
	va_start(ap, fmt);
	d->help = arena_vprintf(s->arena, fmt, ap);
	va_end(ap);
}

void diag_fix(struct diag_sink *s, struct diag *d, struct span span, const char *fmt, ...)
{
	if (d->nfixes == DIAG_MAX_FIXES || discarded(s, d))
		return;
	if (d->nfixes && d->fixes[0].span.file != span.file)
		return;
	va_list ap;
	va_start(ap, fmt);
	d->fixes[d->nfixes++] = (struct diag_fix){ span, arena_vprintf(s->arena, fmt, ap) };
	va_end(ap);
}

void diag_about(struct diag_sink *s, struct diag *d, struct span about)
{
	if (!discarded(s, d))
		d->about = about;
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

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A code ends at the line's end, a blank or a comma. */
static bool ends_code(const char *line, uint32_t len, uint32_t at)
{
	return at == len || line[at] == ' ' || line[at] == ',' || line[at] == '\t' ||
	       line[at] == '\r';
}

/*
 * One code written in a `sgc: allow` comment: where, which (known false
 * for a code-shaped word sgc does not have, such as W9999), and whether it
 * silenced anything.
 */
struct allow {
	uint32_t line;
	struct span at;
	enum diag_code code;
	bool known, used;
};

struct allows {
	struct allow *at;
	size_t n, cap;
};

static void allow_push(struct arena *a, struct allows *v, struct allow x)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? 2 * v->cap : 16;
		struct allow *p = arena_calloc(a, cap, sizeof *p);
		if (v->n)
			memcpy(p, v->at, v->n * sizeof *p);
		v->at = p;
		v->cap = cap;
	}
	v->at[v->n++] = x;
}

/*
 * The codes one line allows: every code-shaped word (a letter E or W and
 * four digits, between blanks, commas or the line's ends) written after
 * the first `sgc: allow` of its comment that is not between backquotes.
 */
static void line_allows(struct arena *a, const char *line, uint32_t len, uint32_t lineno,
			uint32_t file, uint32_t line_lo, struct allows *out)
{
	static const char marker[] = "sgc: allow";
	const uint32_t ml = sizeof marker - 1, cl = 5; /* every code is a letter and 4 digits */
	uint32_t i = comment_start(line, len);
	/* A marker between backquotes is quoted prose (`# sgc: allow W0602` in a header), not an allow. */
	bool quoted = false;
	while (i + ml <= len && (quoted || memcmp(line + i, marker, ml) != 0)) {
		quoted ^= line[i] == '`';
		i++;
	}
	for (uint32_t k = i + ml; k + cl <= len; k++) {
		if ((line[k] != 'E' && line[k] != 'W') || !is_digit(line[k + 1]) ||
		    !is_digit(line[k + 2]) || !is_digit(line[k + 3]) || !is_digit(line[k + 4]) ||
		    !ends_code(line, len, k + cl) || (k > 0 && line[k - 1] != ' ' &&
						       line[k - 1] != ',' && line[k - 1] != '\t'))
			continue;
		char name[6];
		memcpy(name, line + k, cl);
		name[cl] = '\0';
		struct allow x = { lineno, { file, line_lo + k, line_lo + k + cl }, DIAG_CODE_COUNT,
				   false, false };
		x.known = diag_code_parse(name, &x.code);
		allow_push(a, out, x);
	}
}

/* Every allowed code of a file, in line order. One pass over the text. */
static struct allows file_allows(struct arena *a, const struct src_file *f, uint32_t file)
{
	static const char marker[] = "sgc: allow";
	struct allows v = { 0 };
	for (uint32_t ln = 1; ln <= f->nlines; ln++) {
		uint32_t len;
		const char *text = src_line(f, ln, &len);
		/* Most lines hold no marker: look for it before anything else. */
		bool has = false;
		for (uint32_t i = 0; i + sizeof marker - 1 <= len && !has; i++)
			has = text[i] == 's' && memcmp(text + i, marker, sizeof marker - 1) == 0;
		if (has)
			line_allows(a, text, len, ln, file, (uint32_t)(text - f->text), &v);
	}
	return v;
}

/* Whether a warning's lines [lo, hi] hold an allow of its code (each one found is marked used). */
static bool allowed_on(struct allows *v, uint32_t lo, uint32_t hi, enum diag_code code)
{
	size_t a = 0, b = v->n;
	while (a < b) {
		size_t mid = a + (b - a) / 2;
		if (v->at[mid].line < lo)
			a = mid + 1;
		else
			b = mid;
	}
	bool found = false;
	for (size_t i = a; i < v->n && v->at[i].line <= hi; i++) {
		if (v->at[i].known && v->at[i].code == code) {
			v->at[i].used = true;
			found = true;
		}
	}
	return found;
}

static void span_lines(const struct src_file *f, struct span sp, uint32_t *lo, uint32_t *hi)
{
	*lo = src_locate(f, sp.lo).line;
	*hi = sp.hi > sp.lo ? src_locate(f, sp.hi - 1).line : *lo;
	if (*hi < *lo)
		*hi = *lo;
}

/* Whether the allows of d's file silence d: on a line of its span, or of what it is about. */
static bool silences(struct allows *v, const struct src_file *f, const struct diag *d)
{
	uint32_t lo, hi;
	span_lines(f, d->span, &lo, &hi);
	bool hit = allowed_on(v, lo, hi, d->code);
	if (d->about.hi > d->about.lo && d->about.file == d->span.file) {
		span_lines(f, d->about, &lo, &hi);
		hit |= allowed_on(v, lo, hi, d->code);
	}
	return hit;
}

/* W0711 is about the allows themselves: no allow can silence it. */
static bool silenceable(enum diag_code code)
{
	return diag_code_level(code) == DIAG_WARNING && code != DIAG_W0711;
}

/*
 * Each file's allows are read once, when its first warning is met; a
 * warning is then matched by binary search over them, so the cost is the
 * text once plus a look-up per warning, however many there are.
 */
void diag_apply_allow_comments(struct diag_sink *s, const struct src_map *m)
{
	struct allows *per_file = arena_calloc(s->arena, m->nfiles + 1, sizeof *per_file);
	bool *read = arena_calloc(s->arena, m->nfiles + 1, sizeof *read);
	for (struct diag *d = s->head; d; d = d->next) {
		if (d->level != DIAG_WARNING || d->suppressed || !silenceable(d->code) ||
		    d->span.file >= m->nfiles)
			continue;
		const struct src_file *f = src_get(m, d->span.file);
		if (!read[d->span.file]) {
			per_file[d->span.file] = file_allows(s->arena, f, d->span.file);
			read[d->span.file] = true;
		}
		if (silences(&per_file[d->span.file], f, d)) {
			d->suppressed = true;
			s->nwarnings--;
		}
	}
}

void diag_check_allow_comments(struct diag_sink *s, const struct src_map *m, uint32_t file,
			       bool unused_too)
{
	if (file >= m->nfiles)
		return;
	const struct src_file *f = src_get(m, file);
	struct allows v = file_allows(s->arena, f, file);
	if (!v.n)
		return;
	/* Which allows the silenced warnings used. */
	for (struct diag *d = s->head; d; d = d->next)
		if (d->level == DIAG_WARNING && d->suppressed && d->span.file == file)
			(void)silences(&v, f, d);
	/* W0710: a code that names no warning; an allow of W0710 on its line keeps it quiet. */
	for (size_t i = 0; i < v.n; i++) {
		struct allow *x = &v.at[i];
		if (x->known && silenceable(x->code))
			continue;
		if (allowed_on(&v, x->line, x->line, DIAG_W0710))
			continue;
		const char *name = arena_strndup(s->arena, f->text + x->at.lo, x->at.hi - x->at.lo);
		struct diag *d;
		if (!x->known) {
			d = diag_add(s, DIAG_W0710, x->at, "`sgc: allow` names `%s`, which is no sgc code",
				     name);
			diag_help(s, d, "`sgc explain` lists every code; remove `%s`, or correct it", name);
		} else if (diag_code_level(x->code) == DIAG_ERROR) {
			d = diag_add(s, DIAG_W0710, x->at, "`sgc: allow` names `%s`, an error", name);
			diag_note(s, d, "errors cannot be silenced: the template would not deploy, or not as written");
			diag_help(s, d, "remove `%s` and fix what it reports", name);
		} else {
			d = diag_add(s, DIAG_W0710, x->at, "`sgc: allow` names `%s`, which cannot be silenced",
				     name);
			diag_note(s, d, "an allow that silences nothing is reported even when it lists `%s`",
				  name);
			diag_help(s, d, "remove `%s`", name);
		}
		x->used = true;
	}
	/* W0711: an allow of a real warning that silenced nothing (judged only on a complete check). */
	for (size_t i = 0; unused_too && i < v.n; i++) {
		const struct allow *x = &v.at[i];
		if (x->used || !x->known || !silenceable(x->code))
			continue;
		const char *name = diag_code_name(x->code);
		struct diag *d = diag_add(s, DIAG_W0711, x->at,
					  "`sgc: allow %s` silences nothing", name);
		diag_label(s, d, "no %s on this line or on the attribute it belongs to", name);
		diag_note(s, d, "an allow that outlives its warning would hide the next one");
		diag_help(s, d, "remove `%s` from the comment", name);
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
	s->nwarnings -= s->unstored_warnings;
	s->nerrors += s->unstored_warnings;
	s->unstored_warnings = 0;
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
		    all[kept - 1]->span.hi == all[i]->span.hi &&
		    /* several notes may point at one place, each about something else */
		    (all[i]->level != DIAG_NOTE || strcmp(all[kept - 1]->msg, all[i]->msg) == 0))
			continue;
		all[kept++] = all[i];
	}
	all[kept] = NULL;
	*dropped = s->unstored;
	if (cap && kept > cap) {
		*dropped += kept - cap;
		kept = cap;
	}
	*n = kept;
	return all;
}

struct span diag_omitted_at(const struct diag_sink *s, const struct diag *const *all,
			    size_t n)
{
	return all[n] ? all[n]->span : s->first_unstored;
}

/* ---- text rendering ---------------------------------------------------- */

struct style {
	const char *bold, *red, *yellow, *blue, *cyan, *reset;
};

static const struct style plain = { "", "", "", "", "", "" };
static const struct style ansi = { "\033[1m", "\033[1;31m", "\033[1;33m",
				   "\033[1;34m", "\033[1;36m", "\033[0m" };

/*
 * A diagnostic is rendered into one buffer and written with one fwrite:
 * standard error is unbuffered, and a write per character made a long
 * line cost a system call per byte. Text taken from the input goes through
 * put_visible, so a string value cannot reach the terminal or a CI log as
 * control characters.
 */
struct text_out {
	struct arena *arena;
	struct strbuf buf;
	const struct style *st;
};

static void put(struct text_out *o, const char *s)
{
	strbuf_puts(o->arena, &o->buf, s);
}

static void putf(struct text_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void putf(struct text_out *o, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof small) {
		strbuf_add(o->arena, &o->buf, small, (size_t)n);
		return;
	}
	va_start(ap, fmt);
	char *big = arena_vprintf(o->arena, fmt, ap);
	va_end(ap);
	strbuf_add(o->arena, &o->buf, big, (size_t)n);
}

/* `n` spaces (the gutter, the caret's indentation). */
static void put_blanks(struct text_out *o, uint32_t n)
{
	static const char blanks[] = "                                ";
	while (n > 0) {
		uint32_t k = n < sizeof blanks - 1 ? n : (uint32_t)(sizeof blanks - 1);
		strbuf_add(o->arena, &o->buf, blanks, k);
		n -= k;
	}
}

/* Text from the input (a message, a label, a path) with every control character escaped. */
static void put_visible(struct text_out *o, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);
	for (uint32_t i = 0; i < n;) {
		char esc[SRC_ESCAPE_MAX];
		uint32_t k = src_visible_char(s + i, n - i, esc);
		if (esc[0])
			put(o, esc);
		else
			strbuf_add(o->arena, &o->buf, s + i, k);
		i += k;
	}
}

static void flush(struct text_out *o, FILE *out)
{
	if (o->buf.n)
		fwrite(o->buf.s, 1, o->buf.n, out);
	o->buf.n = 0;
}

static unsigned digits(uint32_t n)
{
	unsigned d = 1;
	while (n >= 10) {
		n /= 10;
		d++;
	}
	return d;
}

/*
 * An echoed source line is at most SNIPPET_WIDTH columns of the line,
 * with `…` where it is cut, and SNIPPET_CONTEXT columns before the span
 * when the line is longer: each diagnostic costs the same on a line of a
 * megabyte as on a line of forty characters.
 */
enum { TAB_WIDTH = 4, SNIPPET_WIDTH = 120, SNIPPET_CONTEXT = 40 };

static const char ellipsis[] = "\xE2\x80\xA6"; /* U+2026, one column */

/* One character of a source line as it is echoed: bytes, columns, what to print instead. */
struct shown {
	uint32_t len, width;
	char esc[SRC_ESCAPE_MAX];
};

/* The character at line[i], read no further than line[end]. */
static struct shown shown_char(const char *line, uint32_t i, uint32_t end)
{
	struct shown c;
	if (line[i] == '\t') {
		c.len = 1;
		c.width = TAB_WIDTH;
		memcpy(c.esc, "    ", TAB_WIDTH + 1);
		return c;
	}
	c.len = src_visible_char(line + i, end - i, c.esc);
	c.width = c.esc[0] ? (uint32_t)strlen(c.esc) : 1;
	return c;
}

static uint32_t shown_width(const char *line, uint32_t from, uint32_t to)
{
	uint32_t w = 0;
	for (uint32_t i = from; i < to;) {
		struct shown c = shown_char(line, i, to);
		w += c.width;
		i += c.len;
	}
	return w;
}

static void put_shown(struct text_out *o, const char *line, uint32_t from, uint32_t to)
{
	for (uint32_t i = from; i < to;) {
		struct shown c = shown_char(line, i, to);
		if (c.esc[0])
			put(o, c.esc);
		else
			strbuf_add(o->arena, &o->buf, line + i, c.len);
		i += c.len;
	}
}

/*
 * The first character boundary from which line[..pos) is at most
 * `budget` columns wide. A character takes at least one column and at
 * most four bytes, so only the 4 * budget bytes before pos are read.
 */
static uint32_t back_from(const char *line, uint32_t pos, uint32_t budget)
{
	uint32_t reach = 4 * budget + 4;
	uint32_t p = pos > reach ? pos - reach : 0;
	while (p > 0 && p < pos && ((unsigned char)line[p] & 0xC0) == 0x80)
		p++;
	uint32_t w = shown_width(line, p, pos);
	while (w > budget && p < pos) {
		struct shown c = shown_char(line, p, pos);
		w -= c.width;
		p += c.len;
	}
	return p;
}

/* The last character boundary up to which line[from..) is at most `budget` columns wide. */
static uint32_t forward_from(const char *line, uint32_t from, uint32_t end, uint32_t budget)
{
	uint32_t w = 0, i = from;
	while (i < end) {
		struct shown c = shown_char(line, i, end);
		if (w + c.width > budget)
			break;
		w += c.width;
		i += c.len;
	}
	return i;
}

/* The part [*lo, *hi) of a line of `len` bytes shown for a span starting at `start`. */
static void snippet_window(const char *line, uint32_t len, uint32_t start,
			   uint32_t *lo, uint32_t *hi)
{
	*lo = back_from(line, start, SNIPPET_CONTEXT);
	*hi = forward_from(line, *lo, len, SNIPPET_WIDTH);
	if (*hi == len && *lo > 0) {
		/* The span is near the end: give the room left to the context before it. */
		uint32_t tail = shown_width(line, start, len);
		*lo = back_from(line, start, tail < SNIPPET_WIDTH ? SNIPPET_WIDTH - tail : 0);
	}
	if (*hi < start)
		*hi = start;
}

/* Source line, then a row of `mark` under the span's part on that line. */
static void print_snippet(struct text_out *o, const struct src_file *f, struct span sp,
			  char mark, const char *text, const char *mark_color,
			  unsigned gutter)
{
	const struct style *st = o->st;
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
	uint32_t lo, hi;
	snippet_window(line, len, start, &lo, &hi);

	putf(o, "%s%*u |%s ", st->blue, (int)gutter, pos.line, st->reset);
	uint32_t pad = 0;
	if (lo > 0) {
		put(o, ellipsis);
		pad = 1;
	}
	put_shown(o, line, lo, start);
	put_shown(o, line, start, hi);
	if (hi < len)
		put(o, ellipsis);
	put(o, "\n");

	pad += shown_width(line, lo, start);
	uint32_t width = shown_width(line, start, end < hi ? end : hi);
	if (end > hi)
		width++; /* under the `…`: the span goes on */
	if (width == 0)
		width = 1;
	putf(o, "%s%*s |%s ", st->blue, (int)gutter, "", st->reset);
	put_blanks(o, pad);
	put(o, mark_color);
	for (uint32_t i = 0; i < width; i++)
		strbuf_add(o->arena, &o->buf, &mark, 1);
	if (text && *text) {
		put(o, " ");
		put_visible(o, text);
	}
	putf(o, "%s\n", st->reset);
}

static void render_one(struct text_out *o, const struct diag *d, const struct src_map *m)
{
	const struct style *st = o->st;
	const struct src_file *f = src_get(m, d->span.file);
	struct src_pos pos = src_locate(f, d->span.lo);
	static const char *const level_names[] = { "error", "warning", "note" };
	const char *level_color = d->level == DIAG_ERROR ? st->red
				: d->level == DIAG_WARNING ? st->yellow : st->cyan;

	uint32_t maxline = pos.line;
	for (int i = 0; i < d->nsecondary; i++) {
		const struct src_file *sf = src_get(m, d->secondary[i].span.file);
		struct src_pos sp = src_locate(sf, d->secondary[i].span.lo);
		if (sp.line > maxline)
			maxline = sp.line;
	}
	unsigned gutter = digits(maxline);

	put(o, st->bold);
	put_visible(o, f->path);
	putf(o, ":%u:%u:%s %s%s[%s]%s%s: ", pos.line, pos.col, st->reset, level_color,
	     level_names[d->level], diag_code_name(d->code), st->reset, st->bold);
	put_visible(o, d->msg);
	putf(o, "%s\n", st->reset);
	putf(o, "%s%*s |%s\n", st->blue, (int)gutter, "", st->reset);
	print_snippet(o, f, d->span, '^', d->label, level_color, gutter);

	for (int i = 0; i < d->nsecondary; i++) {
		const struct diag_label *l = &d->secondary[i];
		const struct src_file *sf = src_get(m, l->span.file);
		if (l->span.file != d->span.file) {
			struct src_pos sp = src_locate(sf, l->span.lo);
			putf(o, "%s%*s::: %s", st->blue, (int)gutter, "", st->reset);
			put_visible(o, sf->path);
			putf(o, ":%u:%u\n", sp.line, sp.col);
		} else {
			putf(o, "%s%*s |%s\n", st->blue, (int)gutter, "", st->reset);
		}
		print_snippet(o, sf, l->span, '-', l->text, st->blue, gutter);
	}
	for (int i = 0; i < d->nnotes; i++) {
		putf(o, "%s%*s =%s %snote%s: ", st->blue, (int)gutter, "", st->reset,
		     st->bold, st->reset);
		put_visible(o, d->notes[i]);
		put(o, "\n");
	}
	if (d->help) {
		putf(o, "%s%*s =%s %shelp%s: ", st->blue, (int)gutter, "", st->reset,
		     st->cyan, st->reset);
		put_visible(o, d->help);
		put(o, "\n");
	}
	put(o, "\n");
}

void diag_render_text(FILE *out, const struct diag_sink *s,
		      const struct src_map *m, const struct diag_render_opts *opts)
{
	struct text_out o = { s->arena, { 0 }, opts->color ? &ansi : &plain };
	size_t n, dropped;
	const struct diag **all = diag_sorted(s, opts->cap, &n, &dropped);
	unsigned errors = 0, warnings = 0, notes = 0;
	for (size_t i = 0; i < n; i++) {
		render_one(&o, all[i], m);
		flush(&o, out);
		if (all[i]->level == DIAG_ERROR)
			errors++;
		else if (all[i]->level == DIAG_NOTE)
			notes++;
		else
			warnings++;
	}
	if (dropped)
		putf(&o, "note: %zu more diagnostics not shown\n", dropped);
	/* Notes are counted only when there are some: most runs have none. */
	if (errors || warnings || notes) {
		putf(&o, "%s%u error%s, %u warning%s", o.st->bold,
		     errors, errors == 1 ? "" : "s",
		     warnings, warnings == 1 ? "" : "s");
		if (notes)
			putf(&o, ", %u note%s", notes, notes == 1 ? "" : "s");
		putf(&o, "%s\n", o.st->reset);
	}
	flush(&o, out);
}
