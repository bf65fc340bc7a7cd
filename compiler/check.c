/*
 * check.c - validation against the schema tables, then the rules of each
 * block kind (see check.h).
 *
 * The rules cite the AWS constraint they enforce; the facts and their
 * sources are in shared/reference/ and docs/diagnostics.md.
 */
#include "check.h"
#include "names.h"
#include "reach.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "epset.h"
#include "resolve.h"
#include "schema.h"
#include "suggest.h"
#include "instances.h"
#include "kinds/kinds.h"
#include "vars.h"

/* ---- environment and file ------------------------------------------------ */

static const struct attr_schema environment_attrs[] = {
	{ "region", VT_REGION, true, NULL, NULL,
	  "AWS Region the stack is deployed to; zones and ARNs follow it" },
	{ "description", VT_STRING, false, NULL, NULL,
	  "template Description (at most 1024 bytes)" },
	{ "tags", VT_TAGS, false, NULL, NULL,
	  "tags applied to every resource that takes tags" },
};

static const struct block_schema environment_schema = {
	"environment", NULL, true, SCHEMA_ATTRS(environment_attrs),
	"one deployable environment: becomes one CloudFormation template"
};

/* `environment`'s schema, then every kind's, in the registry's order. */
static const struct schema_set *schemas(struct arena *a)
{
	size_t nkinds, n = 1;
	const struct kind *const *kinds = kinds_all(&nkinds);
	for (size_t i = 0; i < nkinds; i++)
		n += kinds[i]->nschemas;
	const struct block_schema **all = arena_calloc(a, n, sizeof *all);
	struct schema_set *set = arena_alloc(a, sizeof *set);
	all[set->n++] = &environment_schema;
	for (size_t i = 0; i < nkinds; i++)
		for (size_t k = 0; k < kinds[i]->nschemas; k++)
			all[set->n++] = kinds[i]->schemas[k];
	set->all = all;
	return set;
}

static void check_region(struct checker *ck, const struct ast_item *attr,
			 struct m_env *env)
{
	const struct ast_expr *e = attr->value;
	const char *name = e->kind == EX_STRING ? e->u.str.s
			 : e->kind == EX_NAME && e->u.name->n == 1 ? e->u.name->parts[0] : NULL;
	if (!name) {
		ck_wrong_type(ck, attr, e, VT_REGION);
		return;
	}
	env->region = region_find(name);
	if (env->region)
		return;
	const char *names[64];
	size_t n = region_count() < 64 ? region_count() : 64;
	region_fill_names(names);
	struct diag *d = diag_add(ck->diags, DIAG_E0309, e->span,
				  "unknown AWS Region `%s`", name);
	const char *best = suggest_best(name, names, n);
	if (best)
		diag_help(ck->diags, d, "did you mean `%s`?", best);
	else
		diag_help(ck->diags, d, "write a Region code such as `\"us-east-1\"`");
}

/* Characters (Unicode code points) in the UTF-8 text s[0..n): what AWS counts. */
static size_t utf8_chars(const char *s, size_t n)
{
	size_t count = 0;
	for (size_t i = 0; i < n; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

/*
 * AWS tag rules: key 1-128 characters, value up to 256, no `aws:` prefix,
 * 50 per resource. The lengths are in Unicode characters, not bytes
 * ("Tagging AWS resources", tag naming limits: "128 Unicode characters in
 * UTF-8"): `é` counts one, not two.
 */
static void check_tags(struct checker *ck, const struct scope *sc,
		       const struct ast_item *attr, struct m_env *env)
{
	const struct ast_expr *e = ck_value_of(ck, sc, attr, EX_MAP, VT_TAGS);
	if (!e)
		return;
	env->tags = arena_calloc(ck->arena, (size_t)e->u.map.n + 1, sizeof *env->tags);
	if (e->u.map.n > 49) {
		struct diag *d = diag_add(ck->diags, DIAG_E0210, e->span,
					  "%d tags; AWS allows 50 per resource and sgc adds `Name`",
					  e->u.map.n);
		diag_help(ck->diags, d, "keep at most 49 tags");
	}
	struct strmap seen = { 0 };  /* key -> its first entry: a map may be huge */
	for (const struct ast_entry *x = e->u.map.head; x; x = x->next) {
		const struct ast_entry *first = strmap_get(&seen, x->key);
		if (!first)
			strmap_put(ck->arena, &seen, x->key, (void *)x);
		const struct ast_expr *v = ck_deref(ck, sc, x->value);
		if (!v)
			continue;
		if (v->kind != EX_STRING) {
			struct diag *d = diag_add(ck->diags, DIAG_E0209, v->span,
						  "tag values are strings, found %s",
						  ast_expr_kind_name(v->kind));
			diag_help(ck->diags, d, "quote the value");
			continue;
		}
		size_t klen = utf8_chars(x->key, strlen(x->key));
		size_t vlen = utf8_chars(v->u.str.s, v->u.str.len);
		bool chars_ok = true;
		for (const char *p = x->key; *p; p++)
			if (!((unsigned char)*p >= 0x80 || (*p >= 'a' && *p <= 'z') ||
			      (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			      strchr(" _.:/=+-@", *p)))
				chars_ok = false;
		const char *why = klen == 0 || klen > 128
				? arena_printf(ck->arena, "%zu characters; keys are 1 to 128", klen)
				: !chars_ok ? "keys take letters, digits, spaces and _.:/=+-@"
				: strncmp(x->key, "aws:", 4) == 0 ? "the `aws:` prefix is reserved for AWS"
				: strcmp(x->key, "Name") == 0 ? "sgc sets `Name` on each resource itself"
				: vlen > 256
				? arena_printf(ck->arena, "a value of %zu characters; values are at most 256", vlen)
				: NULL;
		if (why) {
			struct diag *d = diag_add(ck->diags, DIAG_E0210, x->key_span,
						  "invalid tag `%s`", x->key);
			diag_label(ck->diags, d, "%s", why);
			continue;
		}
		if (first) {
			struct diag *d = diag_add(ck->diags, DIAG_E0207, x->key_span,
						  "tag `%s` is set twice", x->key);
			diag_secondary(ck->diags, d, first->key_span, "first set here");
			diag_help(ck->diags, d, "keep one of the two");
			continue;
		}
		env->tags[env->ntags++] = (struct m_tag){ x->key, v->u.str.s };
	}
}

static const char *const param_types[] = { "string", "int", "bool", "instance",
					    "size", NULL };

/* The expression kind a parameter type's default is written as. */
static enum ast_expr_kind param_literal(const char *type)
{
	return strcmp(type, "string") == 0 ? EX_STRING
	     : strcmp(type, "int") == 0 ? EX_INT
	     : strcmp(type, "bool") == 0 ? EX_BOOL
	     : strcmp(type, "size") == 0 ? EX_SIZE : EX_INSTANCE;
}

static const char *param_default(struct checker *ck, const struct m_param *p,
				  const struct ast_expr *e)
{
	switch (e->kind) {
	case EX_STRING: return e->u.str.s;
	case EX_INT: return arena_printf(ck->arena, "%lld", (long long)e->u.i);
	case EX_BOOL: return e->u.b ? "true" : "false";
	case EX_SIZE: {
		/* As volumes count them: GB and GiB alike, TB and TiB as 1024 GB. */
		unsigned long long gb = e->u.size.amount;
		if (e->u.size.unit == UNIT_TB || e->u.size.unit == UNIT_TIB)
			gb *= 1024;
		else if (e->u.size.unit != UNIT_GB && e->u.size.unit != UNIT_GIB)
			gb = ast_size_bytes(e) / 1000000000ULL;
		return arena_printf(ck->arena, "%llu", gb);
	}
	case EX_INSTANCE: return e->u.text;
	default: break;
	}
	(void)p;
	return NULL;
}

static void check_params(struct checker *ck, const struct ast_item *b)
{
	for (const struct ast_item *it = b->children; it; it = it->next) {
		if (it->kind != IT_PARAM)
			continue;
		size_t n = 0;
		bool known = false;
		for (; param_types[n]; n++)
			if (strcmp(param_types[n], it->type_name) == 0)
				known = true;
		if (!known) {
			struct diag *d = diag_add(ck->diags, DIAG_E0210, it->type_span,
						  "unknown parameter type `%s`", it->type_name);
			const char *best = suggest_best(it->type_name, param_types, n);
			if (best)
				diag_help(ck->diags, d, "did you mean `%s`?", best);
			else
				diag_help(ck->diags, d, "parameter types are `string`, `int`, `bool`, `instance` and `size`");
			continue;
		}
		struct m_param *p = arena_alloc(ck->arena, sizeof *p);
		if (it->value)
			p->dflt_span = it->value->span;
		p->name = it->name;
		p->span = it->name_span;
		p->item = it;
		p->type = it->type_name;
		if (it->value) {
			const struct ast_expr *e = it->value;
			if (e->kind == EX_NAME && e->u.name->n == 1 &&
			    strcmp(e->u.name->parts[0], "deploy") == 0) {
				p->at_deploy = true;
			} else if (e->kind != param_literal(p->type)) {
				if (e->kind != EX_INVALID) {
					struct diag *d = diag_add(ck->diags, DIAG_E0209, e->span,
								  "default of %s parameter `%s` is %s %s",
								  p->type, p->name,
								  e->kind == EX_INT || e->kind == EX_INSTANCE ? "an" : "a",
								  ast_expr_kind_name(e->kind));
					diag_help(ck->diags, d, "write a %s value, or change the parameter's type", p->type);
				}
			} else {
				p->dflt = param_default(ck, p, e);
			}
		}
		ck_register(ck, it, p);
		ptrvec_push(ck->arena, &ck->env->params, p);
	}
}

/* Does `v` fit a parameter of `type`? Returns why not, or NULL. */
static const char *var_misfit(const struct var *v, const char *type)
{
	if (v->kind == VAR_OTHER)
		return "a value of this kind";
	if (strcmp(type, "int") == 0 || strcmp(type, "size") == 0)
		return v->kind == VAR_INT ? NULL : "an integer (sizes in GB)";
	if (strcmp(type, "bool") == 0)
		return v->kind == VAR_BOOL ? NULL : "`true` or `false`";
	if (strcmp(type, "instance") == 0)
		return instance_find(v->value) ? NULL : "a SageMaker instance type such as `ml.t3.large`";
	return NULL; /* string: any scalar */
}

/*
 * Stage values from --vars and -D, in order (the last one of a name wins):
 * each must name a parameter and fit its type.
 */
static void apply_vars(struct checker *ck)
{
	/* By name, once: a variables file may hold thousands of names. */
	struct strmap params = { 0 };
	const char *names[64];       /* the first 64, for suggestions */
	size_t n = 0;
	for (size_t k = 0; k < ck->env->params.n; k++) {
		struct m_param *q = ck->env->params.items[k];
		strmap_put(ck->arena, &params, q->name, q);
		if (n < 64)
			names[n++] = q->name;
	}
	for (size_t i = 0; ck->vars && i < ck->vars->n; i++) {
		const struct var *v = ck->vars->items[i];
		struct m_param *p = strmap_get(&params, v->name);
		if (!p && !v->defined) {
			/* One stage file may serve several environments. */
			struct diag *d = diag_add(ck->diags, DIAG_W0541, v->name_span,
						  "`%s` matches no parameter of environment `%s`",
						  v->name, ck->env->name);
			const char *best = suggest_best(v->name, names, n);
			if (best)
				diag_help(ck->diags, d, "did you mean `%s`? Otherwise it is ignored here", best);
			else
				diag_note(ck->diags, d, "ignored here: a stage file may hold values for "
					  "several environments");
			continue;
		}
		if (!p) {
			struct diag *d = diag_add(ck->diags, DIAG_E0513, v->name_span,
						  "`%s` matches no parameter of environment `%s`",
						  v->name, ck->env->name);
			const char *best = suggest_best(v->name, names, n);
			if (best)
				diag_help(ck->diags, d, "did you mean `%s`?", best);
			else if (n == 0)
				diag_note(ck->diags, d, "the environment declares no `param`");
			continue;
		}
		const char *want = var_misfit(v, p->type);
		if (want) {
			struct diag *d = diag_add(ck->diags, DIAG_E0514, v->value_span,
						  "`%s` is not a valid value for %s parameter `%s`",
						  v->value, p->type, p->name);
			diag_secondary(ck->diags, d, p->span, "declared here");
			diag_help(ck->diags, d, "give %s", want);
			continue;
		}
		p->value = v->value;
		p->value_span = v->value_span;
	}
}

/*
 * E0541: a parameter the template uses needs a value from its default, the
 * stage (--vars, -D), or the deploy, marked `= deploy`; without one, the
 * parameter file lacked it and a deploy of a new stack failed.
 */
static void params_valued(struct checker *ck)
{
	for (size_t i = 0; i < ck->env->params.n; i++) {
		const struct m_param *p = ck->env->params.items[i];
		if (!p->used || p->dflt || p->value || p->at_deploy || p->dflt_span.hi)
			continue;
		struct diag *d = diag_add(ck->diags, DIAG_E0541, p->span,
					  "parameter `%s` has no value for this build", p->name);
		diag_note(ck->diags, d, "it has no default, and no `--vars` file or `-D` gives it");
		diag_help(ck->diags, d, "give a default, a stage value (`-D %s=...`), or mark it "
			  "supplied at deploy: `param %s: %s = deploy`", p->name, p->name, p->type);
	}
}

/*
 * E0217: CloudFormation refuses a template whose Resources is empty (the
 * section must declare at least one resource), and cfn-lint lets it
 * through, so the user would learn it at deploy time. Any block counts,
 * even one of an unknown kind (E0204): it was meant to be a resource.
 */
#define SRC_CFN_RESOURCES "https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-guide.html"

static void no_resources(struct checker *ck, const struct ast_item *b)
{
	for (const struct ast_item *it = b->children; it; it = it->next)
		if (it->kind == IT_BLOCK)
			return;
	struct diag *d = diag_add(ck->diags, DIAG_E0217, b->name_span,
				  "environment `%s` declares no resources", b->name);
	diag_note(ck->diags, d, "CloudFormation refuses a template without resources; source: "
		  SRC_CFN_RESOURCES);
	diag_help(ck->diags, d, "declare what it deploys, e.g. `bucket data {}` or `network vpc { ... }`");
}

/*
 * The environment key (docs/compliance.md): what names no `kms_key` of its
 * own and has a customer key by default (each kind says where it keeps it:
 * struct kind's default_key) is encrypted with one key sgc creates for the
 * environment, with yearly rotation. A key that encrypts log groups lets
 * CloudWatch Logs use it (m_kms.logs).
 */
static void environment_key(struct checker *ck, struct m_env *env)
{
	size_t nkinds;
	const struct kind *const *kinds = kinds_all(&nkinds);
	bool needed = false;
	for (size_t k = 0; !needed && k < nkinds; k++) {
		const struct ptrvec *objs = kind_objects(kinds[k], env);
		for (size_t i = 0; kinds[k]->default_key && !needed && i < objs->n; i++)
			needed = *kinds[k]->default_key(objs->items[i]) == NULL;
	}
	if (!needed)
		return;
	struct m_kms *key = arena_alloc(ck->arena, sizeof *key);
	key->name = "environment";
	for (size_t i = 0; i < env->kms_keys.n; i++)
		if (strcmp(((struct m_kms *)env->kms_keys.items[i])->name, key->name) == 0)
			key->name = "environment-default";
	key->span = (struct span){ UINT32_MAX, 0, 0 };
	key->description = arena_printf(ck->arena, "sgc environment %s: default key", env->name);
	key->rotation = true;
	key->window_days = 30;
	key->generated = true;
	ptrvec_push(ck->arena, &env->kms_keys, key);
	for (size_t k = 0; k < nkinds; k++) {
		const struct ptrvec *objs = kind_objects(kinds[k], env);
		for (size_t i = 0; kinds[k]->default_key && i < objs->n; i++) {
			struct m_kms **slot = kinds[k]->default_key(objs->items[i]);
			if (*slot)
				continue;
			*slot = key;
			key->logs |= kinds[k]->default_key_for_logs;
		}
	}
}

static struct m_env *check_environment(struct checker *ck, const struct ast_item *b)
{
	const struct block_schema *bs = ck_schema(ck, "environment");
	struct slots sl;
	ck_validate_attrs(ck, b, bs, &sl);
	struct m_env *env = arena_alloc(ck->arena, sizeof *env);
	env->name = b->name;
	env->stage = ck->stage;
	env->stem = ck->stage ? arena_printf(ck->arena, "%s-%s", b->name, ck->stage) : b->name;
	env->stack_name = aws_name(ck, env->stem);
	env->span = b->name_span;
	env->source = ck->files->source_name;
	ck->env = env;
	if (sl.at[0])
		check_region(ck, sl.at[0], env);
	env->description = ck_get_string(ck, b->scope, sl.at[1]);
	if (env->description && strlen(env->description) > 1024) {
		struct diag *d = diag_add(ck->diags, DIAG_E0210, sl.at[1]->value->span,
					  "description is %zu bytes; CloudFormation allows 1024",
					  strlen(env->description));
		diag_help(ck->diags, d, "shorten it");
	}
	if (sl.at[2])
		check_tags(ck, b->scope, sl.at[2], env);
	check_params(ck, b);
	apply_vars(ck);
	no_resources(ck, b);

	/* Each kind's blocks in the registry's order: what a block refers to is checked before it. */
	size_t nkinds;
	const struct kind *const *kinds = kinds_all(&nkinds);
	for (size_t k = 0; k < nkinds; k++) {
		struct ptrvec blocks = { 0 };
		/* A kind nested in another (a network's firewall): its blocks in each parent's. */
		const char *parent = kinds[k]->schemas[0]->parent;
		if (parent && strcmp(parent, "environment") != 0) {
			struct ptrvec parents = { 0 };
			ck_child_blocks(ck, b, parent, &parents);
			for (size_t i = 0; i < parents.n; i++)
				ck_child_blocks(ck, parents.items[i], kinds[k]->name, &blocks);
		} else {
			ck_child_blocks(ck, b, kinds[k]->name, &blocks);
		}
		for (size_t i = 0; i < blocks.n; i++) {
			kinds[k]->check(ck, blocks.items[i]);
		}
	}
	/* Physical names, unique where AWS and the output directory look them up. */
	struct physical ph = { 0 };
	for (size_t k = 0; k < nkinds; k++)
		if (kinds[k]->names)
			kinds[k]->names(ck, &ph);
	environment_key(ck, env);
	params_valued(ck);
	ck_reach(ck);
	return env;
}

struct m_env *check_file(struct resolver *r, const struct ast_file *f,
			 const struct ptrvec *vars, const struct confine *files,
			 const char *stage)
{
	struct checker ck = { .arena = r->arena, .diags = r->diags, .res = r, .vars = vars,
			      .files = files, .stage = stage, .schemas = schemas(r->arena) };
	const struct ast_item *env_block = NULL;
	for (const struct ast_item *it = f->items; it; it = it->next) {
		if (it->kind == IT_PARAM) {
			struct diag *d = diag_add(ck.diags, DIAG_E0216, it->span,
						  "parameters belong to the environment");
			diag_help(ck.diags, d, "move `param %s` inside `environment`", it->name);
			continue;
		}
		if (it->kind != IT_BLOCK)
			continue;
		const struct block_schema *bs = ck_schema(&ck, it->block_kind);
		if (!bs) {
			ck_unknown_kind(&ck, it);
			continue;
		}
		if (!ck_placement(&ck, it, bs, NULL))
			continue;
		if (env_block) {
			struct diag *d = diag_add(ck.diags, DIAG_E0211, it->name_span,
						  "a file declares one environment");
			diag_secondary(ck.diags, d, env_block->name_span,
				       "environment `%s` declared here", env_block->name);
			diag_help(ck.diags, d, "put each environment in its own file");
			continue;
		}
		env_block = it;
	}
	if (!env_block) {
		struct diag *d = diag_add(ck.diags, DIAG_E0211,
					  (struct span){ f->file, 0, 0 },
					  "no `environment` block in this file");
		diag_help(ck.diags, d,
			  "declare one: `environment name { region = \"us-east-1\" ... }`");
		return NULL;
	}
	struct m_env *env = check_environment(&ck, env_block);
	return diag_has_errors(ck.diags) ? NULL : env;
}
