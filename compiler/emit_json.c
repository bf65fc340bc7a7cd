/*
 * emit_json.c - the template as JSON, through jansson.
 *
 * jansson keeps object keys in insertion order (since 2.8), so the
 * template's fixed key order survives to the output unchanged.
 */
#include "emit.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

static json_t *to_json(const struct cv *v)
{
	switch (v->kind) {
	case CV_STR: return json_string(v->u.s);
	case CV_INT: return json_integer((json_int_t)v->u.i);
	case CV_BOOL: return json_boolean(v->u.b);
	case CV_ARR: {
		json_t *arr = json_array();
		for (size_t i = 0; i < v->u.items.n; i++)
			json_array_append_new(arr, to_json(v->u.items.items[i]));
		return arr;
	}
	case CV_OBJ: {
		json_t *obj = json_object();
		for (size_t i = 0; i < v->u.items.n; i++) {
			const struct cv_member *m = v->u.items.items[i];
			json_object_set_new(obj, m->key, to_json(m->val));
		}
		return obj;
	}
	}
	return json_null();
}

static json_t *resource_json(const struct cfn_resource *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "Type", json_string(r->type));
	if (r->depends_on.n == 1) {
		json_object_set_new(o, "DependsOn", json_string(r->depends_on.items[0]));
	} else if (r->depends_on.n > 1) {
		json_t *d = json_array();
		for (size_t i = 0; i < r->depends_on.n; i++)
			json_array_append_new(d, json_string(r->depends_on.items[i]));
		json_object_set_new(o, "DependsOn", d);
	}
	if (r->deletion_policy)
		json_object_set_new(o, "DeletionPolicy", json_string(r->deletion_policy));
	if (r->update_replace_policy)
		json_object_set_new(o, "UpdateReplacePolicy",
				    json_string(r->update_replace_policy));
	if (r->metadata)
		json_object_set_new(o, "Metadata", to_json(r->metadata));
	if (r->props->u.items.n)
		json_object_set_new(o, "Properties", to_json(r->props));
	return o;
}

char *emit_json_dump(json_t *root, size_t *len)
{
	char *body = json_dumps(root, JSON_INDENT(2));
	json_decref(root);
	if (!body)
		return NULL;
	size_t n = strlen(body);
	char *out = realloc(body, n + 2);
	if (!out) {
		free(body);
		return NULL;
	}
	out[n] = '\n';
	out[n + 1] = '\0';
	*len = n + 1;
	return out;
}

char *emit_value_json(const struct cv *v, size_t *len)
{
	return emit_json_dump(to_json(v), len);
}

char *emit_params_json(const struct cfn_template *t, size_t *len)
{
	json_t *list = json_array();
	for (size_t i = 0; i < t->param_values.n; i++) {
		const struct cv_member *m = t->param_values.items[i];
		json_t *o = json_object();
		json_object_set_new(o, "ParameterKey", json_string(m->key));
		json_object_set_new(o, "ParameterValue", json_string(m->val->u.s));
		json_array_append_new(list, o);
	}
	return emit_json_dump(list, len);
}

char *emit_json(const struct cfn_template *t, size_t *len)
{
	json_t *root = json_object();
	json_object_set_new(root, "AWSTemplateFormatVersion", json_string("2010-09-09"));
	json_object_set_new(root, "Description", json_string(t->description));
	if (t->parameters->u.items.n)
		json_object_set_new(root, "Parameters", to_json(t->parameters));
	if (t->rules->u.items.n)
		json_object_set_new(root, "Rules", to_json(t->rules));
	if (t->mappings->u.items.n)
		json_object_set_new(root, "Mappings", to_json(t->mappings));
	if (t->conditions->u.items.n)
		json_object_set_new(root, "Conditions", to_json(t->conditions));
	json_t *res = json_object();
	for (size_t i = 0; i < t->resources.n; i++) {
		const struct cfn_resource *r = t->resources.items[i];
		json_object_set_new(res, r->id, resource_json(r));
	}
	json_object_set_new(root, "Resources", res);
	if (t->outputs->u.items.n)
		json_object_set_new(root, "Outputs", to_json(t->outputs));

	return emit_json_dump(root, len);
}
