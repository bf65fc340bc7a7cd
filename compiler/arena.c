/*
 * arena.c - bump allocator backing a whole compile (see arena.h).
 *
 * Chunks are chained; a request larger than the default chunk gets a chunk
 * of its own, so one huge string does not waste a block.
 */
#define _POSIX_C_SOURCE 200809L
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { CHUNK_SIZE = 64 * 1024 };

struct chunk {
	struct chunk *next;
	size_t used, cap;
	alignas(max_align_t) unsigned char data[];
};

struct arena {
	struct chunk *head;
};

static struct chunk *chunk_new(size_t cap)
{
	struct chunk *c = malloc(sizeof *c + cap);
	if (!c) {
		/* Nothing sensible can continue without memory. */
		abort();
	}
	c->next = NULL;
	c->used = 0;
	c->cap = cap;
	return c;
}

struct arena *arena_new(void)
{
	struct arena *a = malloc(sizeof *a);
	if (!a)
		abort();
	a->head = chunk_new(CHUNK_SIZE);
	return a;
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	struct chunk *c = a->head;
	while (c) {
		struct chunk *next = c->next;
		free(c);
		c = next;
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t size)
{
	const size_t align = alignof(max_align_t);
	size = (size + align - 1) & ~(align - 1);
	if (size == 0)
		size = align;
	struct chunk *c = a->head;
	if (c->cap - c->used < size) {
		if (size > CHUNK_SIZE / 4) {
			/* Big block: own chunk, kept behind the current one. */
			struct chunk *big = chunk_new(size);
			big->next = c->next;
			c->next = big;
			big->used = size;
			memset(big->data, 0, size);
			return big->data;
		}
		c = chunk_new(CHUNK_SIZE);
		c->next = a->head;
		a->head = c;
	}
	void *p = c->data + c->used;
	c->used += size;
	memset(p, 0, size);
	return p;
}

void *arena_calloc(struct arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		abort();
	return arena_alloc(a, count * size);
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(NULL, 0, fmt, ap);
	if (n < 0) {
		va_end(again);
		return arena_strdup(a, "");
	}
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, again);
	va_end(again);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void ptrvec_push(struct arena *a, struct ptrvec *v, void *item)
{
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		void **items = arena_calloc(a, cap, sizeof *items);
		if (v->n)
			memcpy(items, v->items, v->n * sizeof *items);
		v->items = items;
		v->cap = cap;
	}
	v->items[v->n++] = item;
}

void ptrvec_add_unique(struct arena *a, struct ptrvec *v, void *item)
{
	for (size_t i = 0; i < v->n; i++)
		if (v->items[i] == item)
			return;
	ptrvec_push(a, v, item);
}

void strbuf_add(struct arena *a, struct strbuf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *p = arena_alloc(a, cap);
		if (b->n)
			memcpy(p, b->s, b->n);
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

void strbuf_puts(struct arena *a, struct strbuf *b, const char *s)
{
	strbuf_add(a, b, s, strlen(s));
}

void strbuf_printf(struct arena *a, struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *s = arena_vprintf(a, fmt, ap);
	va_end(ap);
	strbuf_puts(a, b, s);
}

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603ULL & SIZE_MAX;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= (size_t)1099511628211ULL;
	}
	return h;
}

void *strmap_get(const struct strmap *m, const char *key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = hash_str(key) & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		if (!m->keys[i])
			return NULL;
		if (strcmp(m->keys[i], key) == 0)
			return m->vals[i];
	}
}

static void put_slot(struct strmap *m, const char *key, void *val)
{
	size_t i = hash_str(key) & (m->cap - 1);
	while (m->keys[i] && strcmp(m->keys[i], key) != 0)
		i = (i + 1) & (m->cap - 1);
	if (!m->keys[i])
		m->n++;
	m->keys[i] = key;
	m->vals[i] = val;
}

void strmap_put(struct arena *a, struct strmap *m, const char *key, void *val)
{
	if ((m->n + 1) * 2 > m->cap) {
		struct strmap old = *m;
		m->cap = old.cap ? old.cap * 2 : 16;
		m->keys = arena_calloc(a, m->cap, sizeof *m->keys);
		m->vals = arena_calloc(a, m->cap, sizeof *m->vals);
		m->n = 0;
		for (size_t i = 0; i < old.cap; i++)
			if (old.keys[i])
				put_slot(m, old.keys[i], old.vals[i]);
	}
	put_slot(m, key, val);
}
