/*
 * lower.c - the lowering stage (see lower.h): the template's rule that it
 * deploys to the Region it was checked for, then each kind's resources in
 * the registry's order (kinds/kinds.h), then what comes after them all,
 * then the parameters the environment uses.
 */
#include "lower.h"

#include <string.h>

#include "kinds/kinds.h"

/* Deploying to another Region than the one checked would void the zone checks. */
static void region_rule(struct lowerer *lw)
{
	struct arena *a = lw->a;
	struct cv *eq = cv_arr(a);
	cv_push(a, eq, cv_ref(a, "AWS::Region"));
	cv_push(a, eq, cv_str(a, lw->env->region->name));
	struct cv *cond = cv_obj(a);
	cv_set(a, cond, "Fn::Equals", eq);
	struct cv *assertion = cv_obj(a);
	cv_set(a, assertion, "Assert", cond);
	cv_set(a, assertion, "AssertDescription",
	       cv_strf(a, "environment %s is checked for %s; deploy it there",
		       lw->env->name, lw->env->region->name));
	struct cv *list = cv_arr(a);
	cv_push(a, list, assertion);
	struct cv *rule_obj = cv_obj(a);
	cv_set(a, rule_obj, "Assertions", list);
	cv_set(a, lw->t->rules, "DeployToCheckedRegion", rule_obj);
}

/* The parameters the environment uses, with this stage's values. */
static void lower_params(struct lowerer *lw)
{
	struct arena *a = lw->a;
	for (size_t i = 0; i < lw->env->params.n; i++) {
		const struct m_param *p = lw->env->params.items[i];
		if (!p->used)
			continue;
		struct cv *o = cv_obj(a);
		bool number = strcmp(p->type, "int") == 0 || strcmp(p->type, "size") == 0;
		cv_set(a, o, "Type", cv_str(a, number ? "Number" : "String"));
		if (p->dflt)
			cv_set(a, o, "Default", cv_str(a, p->dflt));
		if (strcmp(p->type, "instance") == 0)
			cv_set(a, o, "AllowedPattern", cv_str(a, "^ml\\.[a-z0-9]+(-[a-z0-9]+)*\\.[a-z0-9]+$"));
		if (strcmp(p->type, "bool") == 0) {
			static const char *const tf[] = { "true", "false" };
			cv_set(a, o, "AllowedValues", lw_strs(lw, tf, 2));
		}
		cv_set(a, o, "Description", cv_strf(a, "param %s: %s%s%s", p->name, p->type,
						    strcmp(p->type, "size") == 0 ? " in GB" : "",
						    p->at_deploy ? " (supplied at deploy)" : ""));
		cv_set(a, lw->t->parameters, lower_pascal(a, p->name), o);
		/* The parameter file holds this stage's value, else the default. */
		const char *v = p->value ? p->value : p->dflt;
		if (v) {
			struct cv_member *m = arena_alloc(a, sizeof *m);
			m->key = lower_pascal(a, p->name);
			m->val = cv_str(a, v);
			ptrvec_push(a, &lw->t->param_values, m);
		}
	}
}

struct cfn_template *lower_env(struct arena *a, const struct m_env *env,
			       const struct src_map *src)
{
	struct lowerer lw = { .a = a, .env = env, .src = src };
	lw.t = cfn_new(a);
	lw.t->description = env->description
		? env->description
		: env->stage ? arena_printf(a, "sgc environment %s, stage %s (%s)", env->name, env->stage,
						 env->region->name)
		: arena_printf(a, "sgc environment %s (%s)", env->name, env->region->name);
	region_rule(&lw);
	size_t nkinds;
	const struct kind *const *kinds = kinds_all(&nkinds);
	for (size_t k = 0; k < nkinds; k++) {
		const struct ptrvec *objs = kind_objects(kinds[k], env);
		for (size_t i = 0; kinds[k]->lower && i < objs->n; i++)
			kinds[k]->lower(&lw, objs->items[i]);
	}
	/* Then what must come after every resource. */
	for (size_t k = 0; k < nkinds; k++) {
		const struct ptrvec *objs = kind_objects(kinds[k], env);
		for (size_t i = 0; kinds[k]->lower_last && i < objs->n; i++)
			kinds[k]->lower_last(&lw, objs->items[i]);
	}
	lower_params(&lw);
	return lw.t;
}
