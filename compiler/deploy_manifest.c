/*
 * deploy_manifest.c - the deploy manifest: written by `build`, read by `deploy`.
 */
#include "deploy_manifest.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emit.h"

static const struct {
	unsigned bit;
	const char *name;
} cap_names[] = {
	{ DEPLOY_CAP_IAM, "CAPABILITY_IAM" },
	{ DEPLOY_CAP_NAMED_IAM, "CAPABILITY_NAMED_IAM" },
	{ DEPLOY_CAP_AUTO_EXPAND, "CAPABILITY_AUTO_EXPAND" },
};
enum { NCAPS = sizeof cap_names / sizeof cap_names[0] };

const char *deploy_capability_name(unsigned cap)
{
	for (size_t i = 0; i < NCAPS; i++)
		if (cap_names[i].bit == cap)
			return cap_names[i].name;
	return NULL;
}

/* The properties that give an IAM resource a custom name (CAPABILITY_NAMED_IAM). */
static const char *const iam_name_props[] = {
	"RoleName", "ManagedPolicyName", "GroupName", "UserName", "InstanceProfileName",
};

unsigned deploy_capabilities(const char *template_json, size_t len)
{
	json_t *root = json_loadb(template_json, len, 0, NULL);
	unsigned caps = 0;
	if (!json_is_object(root)) {
		json_decref(root);
		return 0;
	}
	if (json_object_get(root, "Transform"))
		caps |= DEPLOY_CAP_AUTO_EXPAND;
	const char *id;
	json_t *r;
	json_object_foreach(json_object_get(root, "Resources"), id, r) {
		const char *type = json_string_value(json_object_get(r, "Type"));
		if (!type || strncmp(type, "AWS::IAM::", 10) != 0)
			continue;
		caps |= DEPLOY_CAP_IAM;
		json_t *props = json_object_get(r, "Properties");
		for (size_t i = 0; i < sizeof iam_name_props / sizeof iam_name_props[0]; i++)
			if (json_object_get(props, iam_name_props[i]))
				caps |= DEPLOY_CAP_NAMED_IAM;
	}
	json_decref(root);
	return caps;
}

size_t deploy_template_stem_len(const char *base)
{
	size_t n = strlen(base);
	static const char *const exts[] = { ".json", ".yaml", ".yml" };
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		size_t k = strlen(exts[i]);
		if (n > k && strcmp(base + n - k, exts[i]) == 0)
			return n - k;
	}
	return n;
}

char *deploy_manifest_beside(const char *template_path)
{
	const char *slash = strrchr(template_path, '/');
	size_t dir = slash ? (size_t)(slash - template_path) + 1 : 0;
	size_t stem = deploy_template_stem_len(template_path + dir);
	size_t n = dir + stem + strlen(DEPLOY_MANIFEST_SUFFIX);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	memcpy(out, template_path, dir + stem);
	strcpy(out + dir + stem, DEPLOY_MANIFEST_SUFFIX);
	return out;
}

char *deploy_manifest_emit(const char *template_name, const char *stack_name, const char *region,
			   const char *stage, unsigned capabilities,
			   const struct cfn_template *t, size_t template_bytes, size_t *len)
{
	json_t *o = json_object();
	json_object_set_new(o, "version", json_integer(DEPLOY_MANIFEST_VERSION));
	json_object_set_new(o, "template", json_string(template_name));
	json_object_set_new(o, "stack_name", json_string(stack_name));
	json_object_set_new(o, "region", json_string(region));
	json_object_set_new(o, "stage", stage ? json_string(stage) : json_null());
	json_t *caps = json_array();
	for (size_t i = 0; i < NCAPS; i++)
		if (capabilities & cap_names[i].bit)
			json_array_append_new(caps, json_string(cap_names[i].name));
	json_object_set_new(o, "capabilities", caps);
	json_t *params = json_object();
	for (size_t i = 0; i < t->param_values.n; i++) {
		const struct cv_member *m = t->param_values.items[i];
		json_object_set_new(params, m->key, json_string(m->val->u.s));
	}
	json_object_set_new(o, "parameters", params);
	json_object_set_new(o, "template_bytes", json_integer((json_int_t)template_bytes));
	json_object_set_new(o, "needs_s3_upload", json_boolean(template_bytes > DEPLOY_TEMPLATE_BODY_MAX));
	return emit_json_dump(o, len);
}

/* Every byte of `s` in `allowed` (a set of ranges "az09--"), length 1..max, first in `first`. */
static bool spelled(const char *s, size_t max, const char *first, const char *allowed)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return false;
	for (size_t i = 0; i < n; i++) {
		const char *set = i == 0 ? first : allowed;
		bool in = false;
		for (size_t k = 0; set[k] && set[k + 1]; k += 2)
			in |= s[i] >= set[k] && s[i] <= set[k + 1];
		if (!in)
			return false;
	}
	return true;
}

static bool fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return false;
}

/* A string member `key` of `o` with no NUL inside; NULL otherwise. */
static const char *string_member(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	const char *s = json_string_value(v);
	return s && strlen(s) == json_string_length(v) ? s : NULL;
}

bool deploy_manifest_read(const char *text, size_t len, struct deploy_manifest *m, char *err,
			  size_t errlen)
{
	*m = (struct deploy_manifest){ 0 };
	json_error_t je;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return fail(err, errlen, "line %d: not JSON: %s", je.line, je.text);
	m->root = root;
	if (!json_is_object(root))
		return fail(err, errlen, "not a JSON object");
	json_t *version = json_object_get(root, "version");
	if (!json_is_integer(version) || json_integer_value(version) != DEPLOY_MANIFEST_VERSION)
		return fail(err, errlen, "`version` is not %d (a manifest of another sgc?)",
			    DEPLOY_MANIFEST_VERSION);
	m->template = string_member(root, "template");
	if (!m->template || !m->template[0] || strchr(m->template, '/') ||
	    strcmp(m->template, ".") == 0 || strcmp(m->template, "..") == 0 ||
	    !spelled(m->template, 255, " ~", " ~"))
		return fail(err, errlen, "`template` must be a file name beside the manifest");
	m->stack_name = string_member(root, "stack_name");
	if (!m->stack_name || !spelled(m->stack_name, 128, "azAZ", "azAZ09--"))
		return fail(err, errlen, "`stack_name` must be 1 to 128 letters, digits and `-`, "
					 "starting with a letter");
	m->region = string_member(root, "region");
	if (!m->region || !spelled(m->region, 32, "az", "az09--"))
		return fail(err, errlen, "`region` is not a Region name");
	json_t *stage = json_object_get(root, "stage");
	if (!json_is_null(stage)) {
		m->stage = string_member(root, "stage");
		if (!m->stage || !spelled(m->stage, 16, "az", "az09--"))
			return fail(err, errlen, "`stage` must be null or match [a-z][a-z0-9-]{0,15}");
	}
	json_t *caps = json_object_get(root, "capabilities");
	if (!json_is_array(caps))
		return fail(err, errlen, "`capabilities` is not a list");
	size_t i;
	json_t *c;
	json_array_foreach(caps, i, c) {
		const char *name = json_string_value(c);
		unsigned bit = 0;
		for (size_t k = 0; name && k < NCAPS; k++)
			if (strcmp(name, cap_names[k].name) == 0)
				bit = cap_names[k].bit;
		if (!bit)
			return fail(err, errlen, "`capabilities`[%zu] is not a CloudFormation capability", i);
		m->capabilities |= bit;
	}
	m->parameters = json_object_get(root, "parameters");
	if (!json_is_object(m->parameters))
		return fail(err, errlen, "`parameters` is not an object");
	const char *key;
	json_t *v;
	json_object_foreach(m->parameters, key, v) {
		if (!spelled(key, 255, "azAZ09", "azAZ09"))
			return fail(err, errlen, "parameter name `%.64s` is not alphanumeric", key);
		if (!string_member(m->parameters, key))
			return fail(err, errlen, "parameter `%s` is not a string", key);
	}
	json_t *bytes = json_object_get(root, "template_bytes");
	if (!json_is_integer(bytes) || json_integer_value(bytes) < 0)
		return fail(err, errlen, "`template_bytes` is not a size");
	m->template_bytes = (size_t)json_integer_value(bytes);
	json_t *s3 = json_object_get(root, "needs_s3_upload");
	if (!json_is_boolean(s3))
		return fail(err, errlen, "`needs_s3_upload` is not true or false");
	m->needs_s3_upload = json_is_true(s3);
	return true;
}
