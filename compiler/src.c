/*
 * src.c - loaded source text, line maps and offset-to-position conversion.
 */
#include "src.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "arena.h"

void src_map_init(struct src_map *m, struct arena *a)
{
	memset(m, 0, sizeof *m);
	m->arena = a;
}

/* One pass: where each line starts, and the column at every stride mark. */
static void build_line_map(struct arena *a, struct src_file *f)
{
	uint32_t n = 1;
	for (uint32_t i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			n++;
	f->line_starts = arena_calloc(a, n, sizeof *f->line_starts);
	f->nlines = n;
	f->column_marks = arena_calloc(a, f->len / SRC_COLUMN_STRIDE + 1,
				       sizeof *f->column_marks);
	uint32_t line = 1, col = 1;
	for (uint32_t i = 0; i <= f->len; i++) {
		if (i % SRC_COLUMN_STRIDE == 0)
			f->column_marks[i / SRC_COLUMN_STRIDE] = col;
		if (i == f->len)
			break;
		if (f->text[i] == '\n') {
			f->line_starts[line++] = i + 1;
			col = 1;
		} else if (((unsigned char)f->text[i] & 0xC0) != 0x80) {
			col++;
		}
	}
}

uint32_t src_add(struct src_map *m, const char *path, const char *text,
		 size_t len)
{
	if (m->nfiles == m->cap) {
		uint32_t cap = m->cap ? m->cap * 2 : 4;
		struct src_file **files = arena_calloc(m->arena, cap, sizeof *files);
		if (m->nfiles)
			memcpy(files, m->files, m->nfiles * sizeof *files);
		m->files = files;
		m->cap = cap;
	}
	struct src_file *f = arena_alloc(m->arena, sizeof *f);
	f->path = arena_strdup(m->arena, path);
	/* Offsets are 32-bit; the CLI refuses files that large before this. */
	f->len = len > UINT32_MAX - 1 ? UINT32_MAX - 1 : (uint32_t)len;
	f->text = arena_strndup(m->arena, text, f->len);
	build_line_map(m->arena, f);
	m->files[m->nfiles] = f;
	return m->nfiles++;
}

const struct src_file *src_get(const struct src_map *m, uint32_t file)
{
	return file < m->nfiles ? m->files[file] : NULL;
}

static int is_continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

/* The 0-based line holding `offset`. */
static uint32_t line_index(const struct src_file *f, uint32_t offset)
{
	uint32_t lo = 0, hi = f->nlines;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (f->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Columns count code points (bytes that do not continue a sequence) from
 * the line start, or from the last stride mark on the same line.
 */
struct src_pos src_locate(const struct src_file *f, uint32_t offset)
{
	if (offset > f->len)
		offset = f->len;
	uint32_t line = line_index(f, offset);
	uint32_t from = f->line_starts[line], col = 1;
	uint32_t mark = offset / SRC_COLUMN_STRIDE;
	if (mark * SRC_COLUMN_STRIDE > from) {
		from = mark * SRC_COLUMN_STRIDE;
		col = f->column_marks[mark];
	}
	for (uint32_t i = from; i < offset; i++)
		if (!is_continuation((unsigned char)f->text[i]))
			col++;
	return (struct src_pos){ line + 1, col };
}

const char *src_line(const struct src_file *f, uint32_t line, uint32_t *len)
{
	if (line == 0 || line > f->nlines) {
		*len = 0;
		return "";
	}
	uint32_t start = f->line_starts[line - 1];
	/* The next line starts one past this one's newline. */
	uint32_t end = line < f->nlines ? f->line_starts[line] - 1 : f->len;
	if (end > start && f->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return f->text + start;
}

/*
 * Length of the UTF-8 sequence at s[0..n) (n > 0), or 0 when it is
 * malformed; its code point in *cp.
 */
static uint32_t utf8_decode(const unsigned char *s, uint32_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	*cp = c;
	if (c < 0x80)
		return 1;
	uint32_t need;
	uint32_t min;
	uint32_t v;
	if ((c & 0xE0) == 0xC0) {
		need = 2, min = 0x80, v = c & 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		need = 3, min = 0x800, v = c & 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		need = 4, min = 0x10000, v = c & 0x07;
	} else {
		return 0;
	}
	if (n < need)
		return 0;
	for (uint32_t i = 1; i < need; i++) {
		if (!is_continuation(s[i]))
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return need;
}

static uint32_t utf8_seq(const unsigned char *s, uint32_t n)
{
	uint32_t cp;
	return utf8_decode(s, n, &cp);
}

uint32_t src_utf8_length(const char *s, uint32_t n)
{
	return n ? utf8_seq((const unsigned char *)s, n) : 0;
}

uint32_t src_utf8_decode(const char *s, uint32_t n, uint32_t *cp)
{
	*cp = n ? (unsigned char)s[0] : 0;
	return n ? utf8_decode((const unsigned char *)s, n, cp) : 0;
}

uint32_t src_invalid_utf8(const struct src_file *f)
{
	const unsigned char *s = (const unsigned char *)f->text;
	uint32_t i = 0;
	while (i < f->len) {
		uint32_t k = utf8_seq(s + i, f->len - i);
		if (k == 0)
			return i;
		i += k;
	}
	return UINT32_MAX;
}

/*
 * Characters that show nothing yet change what is read around them
 * (Unicode's Cf and Zl/Zp characters that matter in a terminal or a log):
 * the soft hyphen, the Arabic letter mark, the Mongolian vowel separator,
 * zero-width spaces and joiners, LRM/RLM, line and paragraph separators,
 * bidi embeddings, overrides and isolates, invisible operators, the BOM
 * and the interlinear annotation marks.
 */
static bool invisible(uint32_t cp)
{
	static const uint32_t ranges[][2] = {
		{ 0x00AD, 0x00AD }, { 0x061C, 0x061C }, { 0x180E, 0x180E },
		{ 0x200B, 0x200F }, { 0x2028, 0x202E }, { 0x2060, 0x206F },
		{ 0xFEFF, 0xFEFF }, { 0xFFF9, 0xFFFB },
	};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++)
		if (cp >= ranges[i][0] && cp <= ranges[i][1])
			return true;
	return false;
}

bool src_hidden(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || invisible(cp);
}

uint32_t src_visible_char(const char *s, uint32_t n, char esc[SRC_ESCAPE_MAX])
{
	uint32_t cp;
	uint32_t k = utf8_decode((const unsigned char *)s, n, &cp);
	esc[0] = '\0';
	if (k == 0) {
		strcpy(esc, "?");
		return 1;
	}
	if (!src_hidden(cp))
		return k;
	if (cp == '\n')
		strcpy(esc, "\\n");
	else if (cp == '\r')
		strcpy(esc, "\\r");
	else if (cp == '\t')
		strcpy(esc, "\\t");
	else if (cp < 0x20 || cp == 0x7F)
		snprintf(esc, SRC_ESCAPE_MAX, "\\x%02x", (unsigned)cp);
	else
		snprintf(esc, SRC_ESCAPE_MAX, "\\u{%x}", (unsigned)cp);
	return k;
}

struct span span_join(struct span a, struct span b)
{
	struct span s = a;
	if (b.lo < s.lo)
		s.lo = b.lo;
	if (b.hi > s.hi)
		s.hi = b.hi;
	return s;
}
