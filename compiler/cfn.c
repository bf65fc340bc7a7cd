/*
 * cfn.c - constructors for the template value tree (see cfn.h).
 */
#include "cfn.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

struct cfn_template *cfn_new(struct arena *a)
{
	struct cfn_template *t = arena_alloc(a, sizeof *t);
	t->arena = a;
	t->parameters = cv_obj(a);
	t->rules = cv_obj(a);
	t->mappings = cv_obj(a);
	t->conditions = cv_obj(a);
	t->outputs = cv_obj(a);
	return t;
}

/* `<object>/<part>`: the key of made_from. */
static const char *made_key(char *buf, size_t size, const void *obj, const char *part)
{
	snprintf(buf, size, "%p/%s", obj, part);
	return buf;
}

void cfn_map(struct cfn_template *t, const void *obj, const char *part, const char *id)
{
	char key[64];
	strmap_put(t->arena, &t->made_from, arena_strdup(t->arena, made_key(key, sizeof key, obj, part)),
		   (void *)id);
}

const char *cfn_id_of(const struct cfn_template *t, const void *obj, const char *part)
{
	char key[64];
	return strmap_get(&t->made_from, made_key(key, sizeof key, obj, part));
}

static struct cv *cv_new(struct arena *a, enum cv_kind k)
{
	struct cv *v = arena_alloc(a, sizeof *v);
	v->kind = k;
	return v;
}

struct cv *cv_str(struct arena *a, const char *s)
{
	struct cv *v = cv_new(a, CV_STR);
	v->u.s = s;
	return v;
}

struct cv *cv_strf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	struct cv *v = cv_str(a, arena_vprintf(a, fmt, ap));
	va_end(ap);
	return v;
}

struct cv *cv_int(struct arena *a, int64_t i)
{
	struct cv *v = cv_new(a, CV_INT);
	v->u.i = i;
	return v;
}

struct cv *cv_bool(struct arena *a, bool b)
{
	struct cv *v = cv_new(a, CV_BOOL);
	v->u.b = b;
	return v;
}

struct cv *cv_arr(struct arena *a)
{
	return cv_new(a, CV_ARR);
}

struct cv *cv_obj(struct arena *a)
{
	return cv_new(a, CV_OBJ);
}

void cv_push(struct arena *a, struct cv *arr, struct cv *v)
{
	ptrvec_push(a, &arr->u.items, v);
}

void cv_set(struct arena *a, struct cv *obj, const char *key, struct cv *v)
{
	struct cv_member *m = arena_alloc(a, sizeof *m);
	m->key = key;
	m->val = v;
	ptrvec_push(a, &obj->u.items, m);
}

struct cv *cv_get(const struct cv *obj, const char *key)
{
	for (size_t i = 0; i < obj->u.items.n; i++) {
		const struct cv_member *m = obj->u.items.items[i];
		if (strcmp(m->key, key) == 0)
			return m->val;
	}
	return NULL;
}

struct cv *cv_ref(struct arena *a, const char *id)
{
	struct cv *o = cv_obj(a);
	cv_set(a, o, "Ref", cv_str(a, id));
	return o;
}

struct cv *cv_getatt(struct arena *a, const char *id, const char *attr)
{
	struct cv *o = cv_obj(a);
	struct cv *args = cv_arr(a);
	cv_push(a, args, cv_str(a, id));
	cv_push(a, args, cv_str(a, attr));
	cv_set(a, o, "Fn::GetAtt", args);
	return o;
}

struct cv *cv_sub(struct arena *a, const char *text)
{
	struct cv *o = cv_obj(a);
	cv_set(a, o, "Fn::Sub", cv_str(a, text));
	return o;
}

struct cfn_resource *cfn_add(struct cfn_template *t, const char *id,
			     const char *type)
{
	struct cfn_resource *r = arena_alloc(t->arena, sizeof *r);
	r->id = id;
	r->type = type;
	r->props = cv_obj(t->arena);
	ptrvec_push(t->arena, &t->resources, r);
	return r;
}

void cfn_depends(struct cfn_template *t, struct cfn_resource *r, const char *id)
{
	ptrvec_push(t->arena, &r->depends_on, (void *)id);
}

void cfn_add_file(struct cfn_template *t, const char *path, const char *text,
		  size_t len, bool executable)
{
	struct cfn_file *f = arena_alloc(t->arena, sizeof *f);
	f->path = path;
	f->text = text;
	f->len = len;
	f->executable = executable;
	ptrvec_push(t->arena, &t->files, f);
}

const char *cfn_base64(struct arena *a, const char *data, size_t n)
{
	static const char alphabet[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *in = (const unsigned char *)data;
	char *out = arena_alloc(a, (n + 2) / 3 * 4 + 1);
	size_t k = 0;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[k++] = alphabet[(v >> 18) & 63];
		out[k++] = alphabet[(v >> 12) & 63];
		out[k++] = i + 1 < n ? alphabet[(v >> 6) & 63] : '=';
		out[k++] = i + 2 < n ? alphabet[v & 63] : '=';
	}
	out[k] = '\0';
	return out;
}

static struct cv *member(struct arena *a, struct cv *obj, const char *key, enum cv_kind kind)
{
	struct cv *v = cv_get(obj, key);
	if (!v) {
		v = kind == CV_OBJ ? cv_obj(a) : cv_arr(a);
		cv_set(a, obj, key, v);
	}
	return v;
}

void cfn_suppress(struct cfn_template *t, struct cfn_resource *r, const char *tool,
		  const char *rule, const char *reason)
{
	struct arena *a = t->arena;
	if (!r->metadata)
		r->metadata = cv_obj(a);
	if (strcmp(tool, "cfn-lint") == 0) {
		struct cv *config = member(a, member(a, r->metadata, "cfn-lint", CV_OBJ), "config", CV_OBJ);
		cv_push(a, member(a, config, "ignore_checks", CV_ARR), cv_str(a, rule));
	}
	struct cv *entry = cv_obj(a);
	cv_set(a, entry, "tool", cv_str(a, tool));
	cv_set(a, entry, "rule", cv_str(a, rule));
	cv_set(a, entry, "reason", cv_str(a, reason));
	cv_push(a, member(a, member(a, r->metadata, "sgc", CV_OBJ), "suppressions", CV_ARR), entry);
}
