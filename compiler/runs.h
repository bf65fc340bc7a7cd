/*
 * runs.h - what a workload runs beyond itself: `runs = [training, ...]` on
 * a notebook or a studio names the SageMaker features its code launches or
 * calls (jobs, pipelines, Feature Store, Experiments, MLflow, the model
 * registry, inference). Each value is a feature with the endpoints it
 * needs when the workload has no internet (needs.h), each fact with its
 * source; the kinds declare them as their workloads' needs (kinds/kind.h)
 * and reach.c proves them like any other. docs/language.md (`notebook`,
 * "What a workload runs") and docs/endpoints.md print the same table.
 */
#ifndef SGC_RUNS_H
#define SGC_RUNS_H

#include "attrs.h"
#include "needs.h"

struct run_feature {
	const char *word;               /* `training`, as written in `runs` */
	const char *doing;              /* "runs training jobs", in messages */
	struct feature_needs needs;
};

extern const struct run_feature run_features[];
extern const size_t run_count;

/* The words of run_features, NULL-terminated: the attribute's choices. */
extern const char *const run_words[];

/* One value of `runs`, where it was written. */
struct m_run {
	const struct run_feature *feature;
	struct span span;
};

/* The values of `runs = ...` (attr may be NULL) into out, as struct m_run *. */
void runs_get(struct checker *ck, const struct ast_item *attr, struct ptrvec *out);

#endif
