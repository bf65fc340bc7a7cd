/*
 * arena.h - one allocation region per compilation.
 *
 * Every stage (lexer copies, AST, model, resource graph, diagnostic text)
 * allocates from the compile's arena and nothing is freed one by one: the
 * arena goes away at once when the compile ends, so error paths never leak.
 */
#ifndef SGC_ARENA_H
#define SGC_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
void arena_free(struct arena *a);

/* Zeroed memory aligned for any object; aborts only if the system is out of memory. */
void *arena_alloc(struct arena *a, size_t size);
void *arena_calloc(struct arena *a, size_t count, size_t size);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/*
 * Growable arrays of pointers, for lists built in declaration order.
 * The storage lives in the arena; growing abandons the old copy.
 */
struct ptrvec {
	void **items;
	size_t n, cap;
};
void ptrvec_push(struct arena *a, struct ptrvec *v, void *item);
/* Push unless `item` is there already: a linear search, for short lists. */
void ptrvec_add_unique(struct arena *a, struct ptrvec *v, void *item);

/*
 * A string-keyed hash map in the arena, for look-ups only: iteration order
 * always comes from a separate list, so output never depends on hashing.
 */
struct strmap {
	const char **keys;
	void **vals;
	size_t cap, n;
};
void *strmap_get(const struct strmap *m, const char *key);
void strmap_put(struct arena *a, struct strmap *m, const char *key, void *val);

/* A growable string in the arena; `s` is always NUL-terminated. */
struct strbuf {
	char *s;
	size_t n, cap;
};
void strbuf_add(struct arena *a, struct strbuf *b, const char *s, size_t n);
void strbuf_puts(struct arena *a, struct strbuf *b, const char *s);
void strbuf_printf(struct arena *a, struct strbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
