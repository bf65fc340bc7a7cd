/*
 * fmtdiff.c - the formatter's differential test (issue 10), now against
 * goldens.
 *
 * Until issue 10, fmt had its own scanner and reader; this program ran it
 * and the formatter that prints from the compiler's syntax tree over every
 * input we had and required the same bytes (README.md has the figures).
 * The old formatter is gone; what both printed is kept as goldens, and
 * this program compares fmt with them. It reads paths, one a line, on
 * standard input and formats each file:
 *
 *   fmtdiff goldens GOLDENS  compare fmt with GOLDENS;
 *   fmtdiff record GOLDENS   write what fmt prints to GOLDENS (after a
 *                            layout change made on purpose: review it).
 *
 * A golden line is `INPUT OUTPUT PATH`: 64-bit FNV-1a hashes of the input
 * and of the formatted text (`-` when it is refused), looked up by the
 * input's hash, so a file that moves keeps its golden. Prints one line per
 * difference and a summary; exit status 1 when anything differs.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "fmt.h"

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 0xcbf29ce484222325u;
	for (size_t i = 0; i < n; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3u;
	}
	return h;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, n = 0, got;
	char *buf = malloc(cap);
	while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			char *nb = realloc(buf, cap *= 2);
			if (!nb) {
				free(buf);
				buf = NULL;
			}
			buf = nb;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

struct golden {
	uint64_t in, out;
	bool refused;
};

struct goldens {
	struct golden *v;
	size_t n, cap;
};

static int by_input(const void *a, const void *b)
{
	uint64_t x = ((const struct golden *)a)->in, y = ((const struct golden *)b)->in;
	return x < y ? -1 : x > y;
}

static bool load_goldens(const char *path, struct goldens *g)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return false;
	char line[4096];
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		struct golden x = { 0 };
		char out[32];
		if (sscanf(line, "%" SCNx64 " %31s", &x.in, out) != 2)
			continue;
		x.refused = strcmp(out, "-") == 0;
		if (!x.refused)
			x.out = strtoull(out, NULL, 16);
		if (g->n == g->cap) {
			g->cap = g->cap ? g->cap * 2 : 1024;
			g->v = realloc(g->v, g->cap * sizeof *g->v);
			if (!g->v)
				return false;
		}
		g->v[g->n++] = x;
	}
	fclose(f);
	qsort(g->v, g->n, sizeof *g->v, by_input);
	return true;
}

static const struct golden *find_golden(const struct goldens *g, uint64_t in)
{
	struct golden key = { .in = in };
	return bsearch(&key, g->v, g->n, sizeof *g->v, by_input);
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	bool record = strcmp(mode, "record") == 0, goldens = strcmp(mode, "goldens") == 0;
	if (!(record || goldens) || argc != 3) {
		fprintf(stderr, "usage: fmtdiff record GOLDENS | goldens GOLDENS  < paths\n");
		return 2;
	}
	struct goldens g = { 0 };
	FILE *rec = NULL;
	if (goldens && !load_goldens(argv[2], &g)) {
		fprintf(stderr, "fmtdiff: cannot read %s\n", argv[2]);
		return 2;
	}
	if (record && !(rec = fopen(argv[2], "w"))) {
		fprintf(stderr, "fmtdiff: cannot write %s\n", argv[2]);
		return 2;
	}
	if (rec)
		fprintf(rec, "# fmtdiff goldens: FNV-1a 64 of the input, of fmt's output (- refused), path\n");
	size_t files = 0, formatted = 0, refused = 0, differ = 0, unknown = 0;
	char path[4096];
	while (fgets(path, sizeof path, stdin)) {
		path[strcspn(path, "\n")] = '\0';
		if (!path[0])
			continue;
		size_t len;
		char *text = slurp(path, &len);
		if (!text) {
			fprintf(stderr, "fmtdiff: cannot read %s\n", path);
			return 2;
		}
		files++;
		struct arena *a = arena_new();
		size_t n = 0;
		const char *out = fmt_source(a, text, len, &n);
		uint64_t in_hash = fnv1a(text, len), out_hash = out ? fnv1a(out, n) : 0;
		bool same = true, known = true;
		if (goldens) {
			const struct golden *x = find_golden(&g, in_hash);
			if (!x) {
				known = false;
				unknown++;
			} else if (x->refused != !out || (out && x->out != out_hash)) {
				printf("differ: %s: %s\n", path, x->refused ? "was refused, now formatted"
						: !out ? "was formatted, now refused" : "formatted differently");
				same = false;
			}
		} else if (out) {
			fprintf(rec, "%016" PRIx64 " %016" PRIx64 " %s\n", in_hash, out_hash, path);
		} else {
			fprintf(rec, "%016" PRIx64 " - %s\n", in_hash, path);
		}
		differ += !same;
		if (same && known && out)
			formatted++;
		else if (same && known)
			refused++;
		arena_free(a);
		free(text);
	}
	if (rec && fclose(rec) != 0)
		return 2;
	free(g.v);
	if (record)
		printf("fmtdiff record: %zu files recorded (%zu formatted, %zu refused)\n", files,
		       formatted, refused);
	else
		printf("fmtdiff goldens: %zu files, %zu as recorded (%zu formatted, %zu refused), "
		       "%zu differ, %zu without a golden\n", files, formatted + refused, formatted,
		       refused, differ, unknown);
	return differ ? 1 : 0;
}
