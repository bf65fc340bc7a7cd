/*
 * diff.c - two templates to a report of what the change does.
 *
 * Resources: added, removed, modified property by property, replaced. A
 * resource is replaced when its Type changes, when a create-only property
 * of its type (diff_schema_types) changes, or, transitively, when a
 * create-only property refers to a replaced resource: the replacement's
 * physical ID and attributes are new, so the reference's value changes.
 * A property that is not create-only and refers to a replaced resource is
 * updated in place (listed, with the resource it follows).
 *
 * Parameters, Mappings, Conditions and Outputs are compared entry by entry;
 * an Output that refers to a replaced resource changes value.
 */
#include "diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct diff_schema_type *diff_schema_find(const char *type)
{
	for (size_t i = 0; type && i < diff_schema_type_count; i++)
		if (strcmp(diff_schema_types[i].type, type) == 0)
			return &diff_schema_types[i];
	return NULL;
}

/* ---- equality ------------------------------------------------------------ */

/* A scalar as CloudFormation would pass it on: its text. false for containers and null. */
static bool scalar_text(const json_t *v, char *buf, size_t n, const char **out)
{
	switch (json_typeof(v)) {
	case JSON_STRING:
		*out = json_string_value(v);
		return true;
	case JSON_INTEGER:
		snprintf(buf, n, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
		break;
	case JSON_REAL: {
		double d = json_real_value(v);
		if (d == (double)(long long)d && d > -9e15 && d < 9e15)
			snprintf(buf, n, "%lld", (long long)d);
		else
			snprintf(buf, n, "%.17g", d);
		break;
	}
	case JSON_TRUE:
		snprintf(buf, n, "true");
		break;
	case JSON_FALSE:
		snprintf(buf, n, "false");
		break;
	default:
		return false;
	}
	*out = buf;
	return true;
}

bool diff_values_equal(const json_t *a, const json_t *b)
{
	if (!a || !b)
		return a == b;
	char ba[64], bb[64];
	const char *sa, *sb;
	if (scalar_text(a, ba, sizeof ba, &sa) && scalar_text(b, bb, sizeof bb, &sb)) {
		if (json_is_string(a) && json_is_string(b))
			return json_string_length(a) == json_string_length(b) &&
			       memcmp(sa, sb, json_string_length(a)) == 0;
		return strcmp(sa, sb) == 0;
	}
	if (json_typeof(a) != json_typeof(b))
		return false;
	if (json_is_array(a)) {
		if (json_array_size(a) != json_array_size(b))
			return false;
		for (size_t i = 0; i < json_array_size(a); i++)
			if (!diff_values_equal(json_array_get(a, i), json_array_get(b, i)))
				return false;
		return true;
	}
	if (json_is_object(a)) {
		if (json_object_size(a) != json_object_size(b))
			return false;
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)a, k, v)
			if (!diff_values_equal(v, json_object_get(b, k)))
				return false;
		return true;
	}
	return true; /* both null */
}

/* ---- references ---------------------------------------------------------- */

/* Does the Fn::Sub text use `${id}` or `${id.Attr}`? `${!x}` is literal. */
static bool sub_uses(const char *s, const char *id)
{
	size_t n = strlen(id);
	for (const char *p = strstr(s, "${"); p; p = strstr(p + 2, "${")) {
		const char *name = p + 2;
		if (*name == '!')
			continue;
		if (strncmp(name, id, n) == 0 && (name[n] == '}' || name[n] == '.'))
			return true;
	}
	return false;
}

bool diff_refers_to(const json_t *v, const char *id)
{
	if (json_is_array(v)) {
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item)
			if (diff_refers_to(item, id))
				return true;
		return false;
	}
	if (!json_is_object(v))
		return false;
	if (json_object_size(v) == 1) {
		json_t *ref = json_object_get(v, "Ref");
		if (ref)
			return json_is_string(ref) && strcmp(json_string_value(ref), id) == 0;
		json_t *ga = json_object_get(v, "Fn::GetAtt");
		if (ga) {
			json_t *first = json_array_get(ga, 0);
			return (json_is_string(first) && strcmp(json_string_value(first), id) == 0) ||
			       diff_refers_to(ga, id);
		}
		json_t *sub = json_object_get(v, "Fn::Sub");
		if (sub) {
			const char *text = json_string_value(json_is_array(sub) ? json_array_get(sub, 0) : sub);
			json_t *vars = json_is_array(sub) ? json_array_get(sub, 1) : NULL;
			bool shadowed = vars && json_object_get(vars, id);
			return (text && !shadowed && sub_uses(text, id)) || diff_refers_to(vars, id);
		}
	}
	const char *k;
	json_t *item;
	json_object_foreach((json_t *)v, k, item)
		if (diff_refers_to(item, id))
			return true;
	return false;
}

/* ---- create-only paths --------------------------------------------------- */

/* An intrinsic function: its value is known at deploy time only; a path cannot look inside. */
static bool is_intrinsic(const json_t *v)
{
	if (!json_is_object(v) || json_object_size(v) != 1)
		return false;
	const char *key = json_object_iter_key(json_object_iter((json_t *)v));
	return strcmp(key, "Ref") == 0 || strcmp(key, "Condition") == 0 || strncmp(key, "Fn::", 4) == 0;
}

/* The next segment of a `/`-path into buf; returns the rest, or NULL at the end. */
static const char *segment(const char *path, char *buf, size_t n)
{
	if (!path || !*path)
		return NULL;
	size_t len = strcspn(path, "/");
	snprintf(buf, n, "%.*s", (int)len, path);
	return path + len + (path[len] == '/');
}

/* Do OLD and NEW differ at `path` (both may be missing)? */
static bool differs_at(const json_t *a, const json_t *b, const char *path)
{
	char seg[128];
	const char *rest = segment(path, seg, sizeof seg);
	if (!rest || !a || !b || is_intrinsic(a) || is_intrinsic(b))
		return !diff_values_equal(a, b);
	if (strcmp(seg, "*") == 0) {
		if (!json_is_array(a) || !json_is_array(b) || json_array_size(a) != json_array_size(b))
			return !diff_values_equal(a, b);
		for (size_t i = 0; i < json_array_size(a); i++)
			if (differs_at(json_array_get(a, i), json_array_get(b, i), rest))
				return true;
		return false;
	}
	if (!json_is_object(a) || !json_is_object(b))
		return !diff_values_equal(a, b);
	return differs_at(json_object_get(a, seg), json_object_get(b, seg), rest);
}

/* Does the value at `path` of `v` refer to `id`? */
static bool refers_at(const json_t *v, const char *path, const char *id)
{
	char seg[128];
	const char *rest = segment(path, seg, sizeof seg);
	if (!v)
		return false;
	if (!rest || is_intrinsic(v))
		return diff_refers_to(v, id);
	if (strcmp(seg, "*") == 0) {
		if (!json_is_array(v))
			return diff_refers_to(v, id);
		for (size_t i = 0; i < json_array_size(v); i++)
			if (refers_at(json_array_get(v, i), rest, id))
				return true;
		return false;
	}
	return json_is_object(v) && refers_at(json_object_get(v, seg), rest, id);
}

/* `VpcConfig/SubnetIds` -> `Properties.VpcConfig.SubnetIds` (`*` -> `[*]`). */
static char *display_path(const char *path)
{
	size_t n = strlen(path);
	char *out = malloc(n * 2 + 16);
	if (!out)
		return NULL;
	strcpy(out, "Properties");
	char *o = out + strlen(out);
	char seg[128];
	for (const char *p = segment(path, seg, sizeof seg); p; p = segment(p, seg, sizeof seg))
		o += strcmp(seg, "*") == 0 ? sprintf(o, "[*]") : sprintf(o, ".%s", seg);
	return out;
}

/* ---- property changes ---------------------------------------------------- */

static void add_change(json_t *changes, const char *path, const json_t *old, const json_t *new)
{
	json_t *c = json_pack("{s:s}", "path", path);
	if (old)
		json_object_set(c, "old", (json_t *)old);
	if (new)
		json_object_set(c, "new", (json_t *)new);
	json_array_append_new(changes, c);
}

/*
 * Every leaf difference between OLD and NEW below `path`: objects key by
 * key, arrays of one length item by item; intrinsic functions, arrays of
 * different lengths and scalars as a whole.
 */
static void value_changes(json_t *changes, const char *path, const json_t *a, const json_t *b)
{
	if (diff_values_equal(a, b))
		return;
	char sub[1024];
	if (json_is_object(a) && json_is_object(b) && !is_intrinsic(a) && !is_intrinsic(b)) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)a, k, v) {
			snprintf(sub, sizeof sub, "%s.%s", path, k);
			value_changes(changes, sub, v, json_object_get(b, k));
		}
		json_object_foreach((json_t *)b, k, v)
			if (!json_object_get(a, k)) {
				snprintf(sub, sizeof sub, "%s.%s", path, k);
				add_change(changes, sub, NULL, v);
			}
		return;
	}
	if (json_is_array(a) && json_is_array(b) && json_array_size(a) == json_array_size(b)) {
		for (size_t i = 0; i < json_array_size(a); i++) {
			snprintf(sub, sizeof sub, "%s[%zu]", path, i);
			value_changes(changes, sub, json_array_get(a, i), json_array_get(b, i));
		}
		return;
	}
	add_change(changes, path, a, b);
}

/* ---- what replacement loses ---------------------------------------------- */

static const struct {
	const char *type;
	const char *loses;
} losses[] = {
	{ "AWS::SageMaker::NotebookInstance",
	  "the notebook's ML storage volume: everything under /home/ec2-user/SageMaker" },
	{ "AWS::SageMaker::Domain",
	  "the home directories: the new domain gets a new, empty home EFS file system (SageMaker "
	  "leaves the old one, with its data, outside the stack), and every user profile, space and "
	  "app of the old domain" },
	{ "AWS::SageMaker::UserProfile", "the user's apps and private spaces" },
	{ "AWS::SageMaker::Space", "the space's storage volume: every file in the space" },
	{ "AWS::S3::Bucket", "every object in the bucket (CloudFormation deletes only an empty bucket: "
			     "while objects are in it, the delete fails)" },
	{ "AWS::ECR::Repository", "every image in the repository" },
	{ "AWS::CodeArtifact::Domain", "every repository and package in the domain" },
	{ "AWS::CodeArtifact::Repository", "every package version stored in the repository" },
	{ "AWS::KMS::Key", "the key: what it encrypted cannot be decrypted once its deletion completes" },
	{ "AWS::SecretsManager::Secret", "the secret's value and its versions" },
	{ "AWS::Logs::LogGroup", "every log event in the group" },
	{ "AWS::EFS::FileSystem", "every file on the file system" },
	{ "AWS::EC2::EIP", "the public IP address" },
	{ "AWS::EC2::NatGateway", "its public IP address, unless the EIP stays" },
};

static const char *loss_of(const char *type)
{
	for (size_t i = 0; type && i < sizeof losses / sizeof losses[0]; i++)
		if (strcmp(losses[i].type, type) == 0)
			return losses[i].loses;
	return NULL;
}

/* ---- the report ---------------------------------------------------------- */

static const char *str_at(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

static json_t *resources_of(const json_t *tmpl)
{
	json_t *r = json_object_get(tmpl, "Resources");
	return json_is_object(r) ? r : NULL;
}

/* Why `id` (in both templates) is replaced, before cascades; NULL: it is not. */
static json_t *direct_replacement(const json_t *old_r, const json_t *new_r)
{
	const char *nt = str_at(new_r, "Type");
	if (!diff_values_equal(json_object_get(old_r, "Type"), json_object_get(new_r, "Type")))
		return json_pack("[{s:s, s:s}]", "path", "Type", "reason", "the resource type changed");
	const struct diff_schema_type *t = diff_schema_find(nt);
	if (!t)
		return NULL;
	json_t *why = json_array();
	json_t *op = json_object_get(old_r, "Properties"), *np = json_object_get(new_r, "Properties");
	for (const char *const *p = t->create_only; *p; p++)
		if (differs_at(op ? op : json_null(), np ? np : json_null(), *p)) {
			char *dp = display_path(*p);
			json_array_append_new(why, json_pack("{s:s, s:s}", "path", dp ? dp : *p, "reason",
							      "create-only"));
			free(dp);
		}
	if (json_array_size(why) == 0) {
		json_decref(why);
		return NULL;
	}
	return why;
}

/* A resource's entry: id, type, action and the lists filled in later. */
static json_t *entry(const char *id, const char *type, const char *action)
{
	return json_pack("{s:s, s:s?, s:s, s:[]}", "id", id, "type", type, "action", action, "changes");
}

static void note_policies(json_t *e, const json_t *old_r, bool removed)
{
	const char *policy = str_at(old_r, removed ? "DeletionPolicy" : "UpdateReplacePolicy");
	if (policy && strcmp(policy, "Retain") == 0)
		json_object_set_new(e, "orphaned", json_string(removed
			? "DeletionPolicy Retain: CloudFormation leaves the resource in the account, outside the stack"
			: "UpdateReplacePolicy Retain: the old resource stays in the account, outside the stack"));
	else if (policy && strcmp(policy, "Snapshot") == 0)
		json_object_set_new(e, "snapshot", json_true());
	else {
		const char *type = str_at(old_r, "Type");
		const char *lost = loss_of(type);
		if (lost)
			json_object_set_new(e, "loses", json_string(lost));
	}
}

/* The custom name that makes a replacement fail: set, and the same in OLD and NEW. */
static void note_name(json_t *e, const json_t *old_r, const json_t *new_r)
{
	const struct diff_schema_type *t = diff_schema_find(str_at(new_r, "Type"));
	if (!t || !t->name_property)
		return;
	json_t *on = json_object_get(json_object_get(old_r, "Properties"), t->name_property);
	json_t *nn = json_object_get(json_object_get(new_r, "Properties"), t->name_property);
	if (!nn || !diff_values_equal(on, nn))
		return;
	json_object_set_new(e, "fails", json_pack("{s:s, s:O}", "property", t->name_property, "name", nn));
}

static bool in_set(const json_t *set, const char *id)
{
	return json_object_get(set, id) != NULL;
}

/* Cascade: create-only properties of a resource in both that refer to a replaced one. */
static bool cascade_once(json_t *replaced, const json_t *old_res, const json_t *new_res)
{
	bool grew = false;
	const char *id;
	json_t *nr;
	json_object_foreach((json_t *)new_res, id, nr) {
		if (in_set(replaced, id) || !json_object_get(old_res, id))
			continue;
		const struct diff_schema_type *t = diff_schema_find(str_at(nr, "Type"));
		const json_t *props = json_object_get(nr, "Properties");
		if (!t || !props)
			continue;
		json_t *why = json_array();
		const char *rid;
		json_t *ignored;
		json_object_foreach(replaced, rid, ignored)
			for (const char *const *p = t->create_only; *p; p++)
				if (refers_at(props, *p, rid)) {
					char *dp = display_path(*p);
					json_array_append_new(why, json_pack("{s:s, s:s, s:s}", "path", dp ? dp : *p,
									      "reason", "refers to a replaced resource",
									      "refers_to", rid));
					free(dp);
				}
		if (json_array_size(why) > 0) {
			json_object_set_new(replaced, id, why);
			grew = true;
		} else {
			json_decref(why);
		}
	}
	return grew;
}

/* Properties not otherwise changed whose value follows a replaced resource. */
static void follow_changes(json_t *e, const json_t *props, const json_t *replaced)
{
	json_t *changes = json_object_get(e, "changes");
	const char *k;
	json_t *v;
	json_object_foreach((json_t *)props, k, v) {
		char path[512];
		snprintf(path, sizeof path, "Properties.%s", k);
		bool listed = false;
		size_t i;
		json_t *c;
		json_array_foreach(changes, i, c) {
			const char *cp = str_at(c, "path");
			size_t n = strlen(path);
			listed |= strncmp(cp, path, n) == 0 && (cp[n] == '\0' || cp[n] == '.' || cp[n] == '[');
		}
		if (listed)
			continue;
		const char *rid;
		json_t *ignored;
		json_object_foreach((json_t *)replaced, rid, ignored)
			if (diff_refers_to(v, rid)) {
				json_array_append_new(changes, json_pack("{s:s, s:s}", "path", path, "follows", rid));
				break;
			}
	}
}

static void count(json_t *summary, const char *action)
{
	json_object_set_new(summary, action, json_integer(json_integer_value(json_object_get(summary, action)) + 1));
}

static json_t *diff_resources(const json_t *old_tmpl, const json_t *new_tmpl, json_t *summary,
			      json_t **replaced_out)
{
	json_t *old_res = resources_of(old_tmpl), *new_res = resources_of(new_tmpl);
	json_t *replaced = json_object();
	const char *id;
	json_t *nr;
	json_object_foreach(new_res, id, nr) {
		json_t *old_r = json_object_get(old_res, id);
		json_t *why = old_r ? direct_replacement(old_r, nr) : NULL;
		if (why)
			json_object_set_new(replaced, id, why);
	}
	while (cascade_once(replaced, old_res, new_res))
		;
	json_t *list = json_array();
	json_object_foreach(new_res, id, nr) {
		json_t *old_r = json_object_get(old_res, id);
		const char *type = str_at(nr, "Type");
		json_t *e;
		if (!old_r) {
			e = entry(id, type, "added");
		} else {
			json_t *why = json_object_get(replaced, id);
			e = entry(id, type, why ? "replaced" : "modified");
			json_t *changes = json_object_get(e, "changes");
			const char *k;
			json_t *v;
			/* Type first, then Properties, then the attributes, in NEW's order. */
			json_object_foreach(old_r, k, v)
				if (!json_object_get(nr, k))
					add_change(changes, k, v, NULL);
			json_object_foreach(nr, k, v)
				value_changes(changes, k, json_object_get(old_r, k), v);
			follow_changes(e, json_object_get(nr, "Properties"), replaced);
			if (why) {
				json_object_set(e, "replaced_because", why);
				note_name(e, old_r, nr);
				note_policies(e, old_r, false);
			}
			if (!diff_schema_find(type) && (why || json_array_size(changes) > 0))
				json_object_set_new(e, "unknown_type", json_true());
			if (json_array_size(changes) == 0 && !why) {
				json_decref(e);
				continue;
			}
		}
		count(summary, str_at(e, "action"));
		json_array_append_new(list, e);
	}
	json_t *old_r;
	json_object_foreach(old_res, id, old_r) {
		if (json_object_get(new_res, id))
			continue;
		json_t *e = entry(id, str_at(old_r, "Type"), "removed");
		note_policies(e, old_r, true);
		count(summary, "removed");
		json_array_append_new(list, e);
	}
	*replaced_out = replaced;
	return list;
}

/* Parameters, Mappings, Conditions, Outputs: entry by entry. */
static json_t *diff_section(const json_t *old_tmpl, const json_t *new_tmpl, const char *section,
			    const json_t *replaced)
{
	json_t *os = json_object_get(old_tmpl, section), *ns = json_object_get(new_tmpl, section);
	json_t *list = json_array();
	const char *id;
	json_t *nv;
	json_object_foreach(ns, id, nv) {
		json_t *ov = json_object_get(os, id);
		json_t *e = json_pack("{s:s, s:s, s:[]}", "id", id, "action", ov ? "modified" : "added", "changes");
		if (ov) {
			value_changes(json_object_get(e, "changes"), section, ov, nv);
			/* `Outputs.X.Value` path from the section name down. */
			json_t *changes = json_object_get(e, "changes");
			size_t i;
			json_t *c;
			json_array_foreach(changes, i, c) {
				const char *p = str_at(c, "path");
				char buf[1024];
				snprintf(buf, sizeof buf, "%s", p + strlen(section) + (p[strlen(section)] == '.'));
				json_object_set_new(c, "path", json_string(buf));
			}
			if (strcmp(section, "Outputs") == 0 && json_array_size(changes) == 0) {
				const char *rid;
				json_t *ignored;
				json_object_foreach((json_t *)replaced, rid, ignored)
					if (diff_refers_to(nv, rid)) {
						json_array_append_new(changes, json_pack("{s:s, s:s}", "path", "Value",
											"follows", rid));
						break;
					}
			}
			if (json_array_size(changes) == 0) {
				json_decref(e);
				continue;
			}
		}
		json_array_append_new(list, e);
	}
	json_t *ov;
	json_object_foreach(os, id, ov)
		if (!json_object_get(ns, id))
			json_array_append_new(list, json_pack("{s:s, s:s, s:[]}", "id", id, "action", "removed",
							      "changes"));
	return list;
}

json_t *diff_templates(const json_t *old_tmpl, const json_t *new_tmpl)
{
	json_t *summary = json_pack("{s:i, s:i, s:i, s:i}", "added", 0, "removed", 0, "modified", 0,
				    "replaced", 0);
	json_t *replaced;
	json_t *resources = diff_resources(old_tmpl, new_tmpl, summary, &replaced);
	json_t *report = json_pack("{s:i, s:o, s:o}", "version", 1, "summary", summary, "resources", resources);
	size_t fails = 0, cascaded = 0;
	size_t i;
	json_t *e;
	json_array_foreach(resources, i, e) {
		fails += json_object_get(e, "fails") != NULL;
		json_t *why = json_object_get(e, "replaced_because");
		cascaded += why && json_object_get(json_array_get(why, 0), "refers_to") != NULL;
	}
	json_object_set_new(summary, "replaced_by_cascade", json_integer((json_int_t)cascaded));
	json_object_set_new(summary, "failing", json_integer((json_int_t)fails));
	static const char *const sections[] = { "Parameters", "Mappings", "Conditions", "Outputs" };
	size_t other = 0;
	for (size_t k = 0; k < sizeof sections / sizeof sections[0]; k++) {
		json_t *list = diff_section(old_tmpl, new_tmpl, sections[k], replaced);
		other += json_array_size(list);
		char key[32];
		snprintf(key, sizeof key, "%s", sections[k]);
		key[0] = (char)(key[0] - 'A' + 'a');
		json_object_set_new(report, key, list);
	}
	json_object_set_new(summary, "other", json_integer((json_int_t)other));
	json_decref(replaced);
	return report;
}
