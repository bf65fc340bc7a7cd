/*
 * schema.c - looking schemas and attributes up, and naming value types in
 * messages (see schema.h). The schemas themselves are the kinds'
 * (compiler/kinds/) and, for `environment`, check.c's.
 */
#include "schema.h"

#include <string.h>

const struct block_schema *schema_find(const struct schema_set *s, const char *kind)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->all[i]->kind, kind) == 0)
			return s->all[i];
	return NULL;
}

int schema_attr_index(const struct block_schema *b, const char *name)
{
	for (size_t i = 0; i < b->nattrs; i++)
		if (strcmp(b->attrs[i].name, name) == 0)
			return (int)i;
	return -1;
}

bool schema_kind_in(const char *kinds, const char *kind)
{
	size_t n = strlen(kind);
	for (const char *p = kinds; p && *p;) {
		const char *bar = strchr(p, '|');
		size_t len = bar ? (size_t)(bar - p) : strlen(p);
		if (len == n && strncmp(p, kind, n) == 0)
			return true;
		p = bar ? bar + 1 : NULL;
	}
	return false;
}

const char *schema_type_name(enum vtype t)
{
	switch (t) {
	case VT_STRING: return "a string";
	case VT_INT: return "an integer";
	case VT_BOOL: return "`true` or `false`";
	case VT_SIZE: return "a size such as `50 GB`";
	case VT_DURATION: return "a duration such as `12h`";
	case VT_CIDR: return "a CIDR block such as `10.0.0.0/16`";
	case VT_INSTANCE: return "an instance type such as `ml.t3.medium`";
	case VT_WORD: return "a word";
	case VT_ZONE: return "a zone letter such as `a`";
	case VT_REGION: return "a Region such as `\"us-east-1\"`";
	case VT_TAGS: return "a map such as `{ Team: \"ml\" }`";
	case VT_ENDPOINTS: return "an endpoint set such as `[sagemaker.api, s3]`";
	case VT_REF: return "a reference to a block";
	case VT_PORT: return "a port number";
	case VT_REFS: return "a reference or a list of references";
	case VT_SCRIPT: return "lifecycle steps such as `std.lifecycle.git_config(\"Ana\", \"ana@example.com\")`";
	case VT_STRINGS: return "a list of strings";
	case VT_WORDS: return "a word or a list of words";
	}
	return "a value";
}
