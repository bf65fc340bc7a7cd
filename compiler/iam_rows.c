/*
 * iam_rows.c - the helpers with which kinds declare their IAM facts (see
 * iam_rows.h).
 */
#include "iam_rows.h"

void iam_fill(struct iam_fills *f, const char *key, const char *val)
{
	f->key[f->n] = key;
	f->val[f->n] = val;
	f->n++;
}

const char *iam_att(const struct iam_facts *f, const void *obj, const char *attr)
{
	const char *id = cfn_id_of(f->t, obj, "resource");
	return attr ? arena_printf(f->a, "${%s.%s}", id, attr) : arena_printf(f->a, "${%s}", id);
}

struct iam_principal *iam_principal(struct iam_facts *f, const char *id, const char *kind,
				    const char *what)
{
	struct iam_principal *p = arena_alloc(f->a, sizeof *p);
	p->id = id;
	p->kind = kind;
	p->what = what;
	ptrvec_push(f->a, &f->principals, p);
	return p;
}

void iam_script(struct iam_facts *f, struct iam_principal *p, const struct m_script *s)
{
	if (s)
		ptrvec_push(f->a, &p->scripts, (void *)arena_printf(f->a, "lifecycle/%s", s->file_name));
}

static void cap(struct iam_facts *f, struct iam_principal *p, const char *capability,
		const struct iam_row *rows, size_t n, const struct iam_fills *fills,
		struct span span, const char *why)
{
	struct iam_cap *c = arena_alloc(f->a, sizeof *c);
	c->capability = capability;
	c->rows = rows;
	c->nrows = n;
	c->fills = *fills;
	c->span = span;
	c->refused = why;
	ptrvec_push(f->a, &p->caps, c);
}

void iam_need(struct iam_facts *f, struct iam_principal *p, const char *capability,
	      const struct iam_row *rows, size_t n, const struct iam_fills *fills, struct span span)
{
	cap(f, p, capability, rows, n, fills, span, NULL);
}

void iam_refuse(struct iam_facts *f, struct iam_principal *p, const char *capability,
		const struct iam_row *rows, size_t n, const struct iam_fills *fills,
		struct span span, const char *why)
{
	cap(f, p, capability, rows, n, fills, span, why);
}
