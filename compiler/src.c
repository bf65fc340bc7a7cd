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

static void build_line_map(struct arena *a, struct src_file *f)
{
	uint32_t n = 1;
	for (uint32_t i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			n++;
	f->line_starts = arena_calloc(a, n, sizeof *f->line_starts);
	f->nlines = n;
	uint32_t line = 1;
	f->line_starts[0] = 0;
	for (uint32_t i = 0; i < f->len; i++)
		if (f->text[i] == '\n')
			f->line_starts[line++] = i + 1;
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

struct src_pos src_locate(const struct src_file *f, uint32_t offset)
{
	if (offset > f->len)
		offset = f->len;
	uint32_t lo = 0, hi = f->nlines;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (f->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	uint32_t col = 1;
	for (uint32_t i = f->line_starts[lo]; i < offset; i++)
		if (!is_continuation((unsigned char)f->text[i]))
			col++;
	return (struct src_pos){ lo + 1, col };
}

const char *src_line(const struct src_file *f, uint32_t line, uint32_t *len)
{
	if (line == 0 || line > f->nlines) {
		*len = 0;
		return "";
	}
	uint32_t start = f->line_starts[line - 1];
	uint32_t end = start;
	while (end < f->len && f->text[end] != '\n')
		end++;
	if (end > start && f->text[end - 1] == '\r')
		end--;
	*len = end - start;
	return f->text + start;
}

/* Length of the UTF-8 sequence at s[0..n), or 0 when it is malformed. */
static uint32_t utf8_seq(const unsigned char *s, uint32_t n)
{
	unsigned char c = s[0];
	if (c < 0x80)
		return 1;
	uint32_t need;
	uint32_t min;
	uint32_t cp;
	if ((c & 0xE0) == 0xC0) {
		need = 2, min = 0x80, cp = c & 0x1F;
	} else if ((c & 0xF0) == 0xE0) {
		need = 3, min = 0x800, cp = c & 0x0F;
	} else if ((c & 0xF8) == 0xF0) {
		need = 4, min = 0x10000, cp = c & 0x07;
	} else {
		return 0;
	}
	if (n < need)
		return 0;
	for (uint32_t i = 1; i < need; i++) {
		if (!is_continuation(s[i]))
			return 0;
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	/* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return need;
}

uint32_t src_utf8_length(const char *s, uint32_t n)
{
	return n ? utf8_seq((const unsigned char *)s, n) : 0;
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

struct span span_join(struct span a, struct span b)
{
	struct span s = a;
	if (b.lo < s.lo)
		s.lo = b.lo;
	if (b.hi > s.hi)
		s.hi = b.hi;
	return s;
}
