/*
 * deploy.h - `sgc deploy`: a built template and its manifest, through the AWS CLI.
 *
 * The CLI ($SGC_AWS, else `aws` on PATH) is run with fork and execvp, its
 * arguments an argv array: nothing reaches a shell. See docs/deploy.md.
 */
#ifndef SGC_DEPLOY_H
#define SGC_DEPLOY_H

#include <stdbool.h>

struct deploy_request {
	const char *manifest_path; /* the deploy manifest */
	const char *template_path; /* NULL: the one the manifest names, beside it */
	const char *stage;         /* --stage, checked against the manifest; NULL: any */
	const char *s3_bucket;
	const char *s3_prefix;
	const char *profile;
	bool preview;
};

/* Read the manifest, check it against the template, run the CLI. Returns the exit status. */
int deploy_run(const struct deploy_request *r);

#endif
