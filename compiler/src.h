/*
 * src.h - source files and spans.
 *
 * A span is a pair of byte offsets into one loaded file (as in jq and
 * PostgreSQL); line and column are computed only when a diagnostic is
 * rendered, from a line map built once per file.
 */
#ifndef SGC_SRC_H
#define SGC_SRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

struct span {
	uint32_t file; /* index in the src_map */
	uint32_t lo;   /* first byte */
	uint32_t hi;   /* one past the last byte */
};

/* Every SRC_COLUMN_STRIDE-th byte offset has its column recorded. */
enum { SRC_COLUMN_STRIDE = 256 };

struct src_file {
	const char *path;      /* as given on the command line, or "<stdin>" */
	const char *text;      /* NUL-terminated copy; may contain NUL bytes */
	uint32_t len;
	uint32_t *line_starts; /* byte offset of each line's first byte */
	uint32_t nlines;
	/*
	 * column_marks[k]: the 1-based column of byte offset k * STRIDE, so
	 * that src_locate counts at most STRIDE bytes however long the line
	 * is (many diagnostics on one long line stay linear).
	 */
	uint32_t *column_marks;
};

struct src_map {
	struct arena *arena;
	struct src_file **files;
	uint32_t nfiles, cap;
};

struct src_pos {
	uint32_t line; /* 1-based */
	uint32_t col;  /* 1-based, in characters (UTF-8 code points) */
};

void src_map_init(struct src_map *m, struct arena *a);

/* Copy `text` into the map; returns the new file's index. */
uint32_t src_add(struct src_map *m, const char *path, const char *text,
		 size_t len);

const struct src_file *src_get(const struct src_map *m, uint32_t file);

/* O(log lines + SRC_COLUMN_STRIDE), whatever the length of the line. */
struct src_pos src_locate(const struct src_file *f, uint32_t offset);

/* The text of 1-based `line`, without its newline (and a CR before it); O(1). */
const char *src_line(const struct src_file *f, uint32_t line, uint32_t *len);

/*
 * Offset of the first byte that is not well-formed UTF-8, or UINT32_MAX
 * when the whole file is valid. JSON output must be UTF-8, so bad bytes are
 * refused at the door rather than deep in an emitter.
 */
uint32_t src_invalid_utf8(const struct src_file *f);

/* Length of the UTF-8 sequence at s[0..n), or 0 when it is not well-formed. */
uint32_t src_utf8_length(const char *s, uint32_t n);

/* The same, with the code point in *cp (the byte itself when malformed). */
uint32_t src_utf8_decode(const char *s, uint32_t n, uint32_t *cp);

/*
 * A code point that must not reach a person's screen as it is: C0 controls,
 * DEL, C1 controls (U+0080..U+009F), and the invisible format characters
 * that reorder or hide text (bidi embeddings, overrides and isolates,
 * zero-width characters, line and paragraph separators, the BOM).
 */
bool src_hidden(uint32_t cp);

/* Room for the longest visible escape (`\u{10ffff}`) and its NUL. */
enum { SRC_ESCAPE_MAX = 16 };

/*
 * How the character at s[0..n) (n > 0) is shown to a person, so that text
 * taken from an input (a string value, a path, a source line) cannot move
 * the cursor, retitle a terminal, start a CI workflow command on a line of
 * its own or reorder what is read. Returns the bytes it takes (at least 1)
 * and writes to `esc` what to print instead, or "" to print it as it is:
 *  - C0 controls and DEL: `\n`, `\r`, `\t`, others `\x1b`;
 *  - the other src_hidden code points: `\u{202e}`;
 *  - a byte that is not part of well-formed UTF-8: `?`.
 */
uint32_t src_visible_char(const char *s, uint32_t n, char esc[SRC_ESCAPE_MAX]);

struct span span_join(struct span a, struct span b);

#endif
