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

struct src_file {
	const char *path;      /* as given on the command line, or "<stdin>" */
	const char *text;      /* NUL-terminated copy; may contain NUL bytes */
	uint32_t len;
	uint32_t *line_starts; /* byte offset of each line's first byte */
	uint32_t nlines;
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
struct src_pos src_locate(const struct src_file *f, uint32_t offset);

/* The text of 1-based `line`, without its newline. */
const char *src_line(const struct src_file *f, uint32_t line, uint32_t *len);

/*
 * Offset of the first byte that is not well-formed UTF-8, or UINT32_MAX
 * when the whole file is valid. JSON output must be UTF-8, so bad bytes are
 * refused at the door rather than deep in an emitter.
 */
uint32_t src_invalid_utf8(const struct src_file *f);

/* Length of the UTF-8 sequence at s[0..n), or 0 when it is not well-formed. */
uint32_t src_utf8_length(const char *s, uint32_t n);

struct span span_join(struct span a, struct span b);

#endif
