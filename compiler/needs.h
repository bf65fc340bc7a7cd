/*
 * needs.h - which VPC endpoints a feature needs when its subnet has no
 * route to the internet, each fact with its source. Each resource kind
 * declares the rows of its own features (kinds/kind.h); the reachability
 * proofs read them, and docs/endpoints.md prints them.
 */
#ifndef SGC_NEEDS_H
#define SGC_NEEDS_H

enum { NEEDS_MAX = 12 };

struct feature_needs {
	const char *what;                   /* "installing from CodeArtifact" */
	const char *required[NEEDS_MAX];    /* NULL-terminated: missing is an error */
	const char *optional[NEEDS_MAX];    /* may be used: declared is not a waste */
	const char *source;                 /* where the fact comes from */
};

#endif
