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
