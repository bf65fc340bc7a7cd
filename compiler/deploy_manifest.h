/*
 * deploy_manifest.h - the deploy manifest written beside a built template.
 *
 * `sgc build -o out/stack.json` writes `out/stack.deploy.json`: what
 * `aws cloudformation deploy` needs besides the template (docs/formats.md):
 *
 *   {"version": 1, "template": "stack.json", "stack_name": "...",
 *    "region": "...", "stage": "dev" | null, "capabilities": [...],
 *    "parameters": {"Key": "value"}, "template_bytes": N,
 *    "needs_s3_upload": N > 51200}
 *
 * `sgc deploy` reads it back; the reader treats it as hostile input (it is
 * a file in a working tree) and refuses anything it would not write.
 */
#ifndef SGC_DEPLOY_MANIFEST_H
#define SGC_DEPLOY_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "cfn.h"

/* CloudFormation's TemplateBody limit; above it the template goes through S3. */
#define DEPLOY_TEMPLATE_BODY_MAX 51200
#define DEPLOY_MANIFEST_VERSION 1
#define DEPLOY_MANIFEST_SUFFIX ".deploy.json"

/* Capability bits, in the order they are written. */
enum {
	DEPLOY_CAP_IAM = 1u << 0,
	DEPLOY_CAP_NAMED_IAM = 1u << 1,
	DEPLOY_CAP_AUTO_EXPAND = 1u << 2,
};

/*
 * The capabilities a template (JSON text) needs: any AWS::IAM::* resource
 * CAPABILITY_IAM, one with an explicit name CAPABILITY_NAMED_IAM, a
 * Transform CAPABILITY_AUTO_EXPAND. 0 for text that is not a JSON object.
 */
unsigned deploy_capabilities(const char *template_json, size_t len);

/* The name of capability bit `cap` (`CAPABILITY_IAM`). */
const char *deploy_capability_name(unsigned cap);

/*
 * The manifest as JSON (malloc'd, ending in a newline) for the template
 * named `template_name` (a file name) of `template_bytes` bytes; `stage`
 * may be NULL. NULL when out of memory.
 */
char *deploy_manifest_emit(const char *template_name, const char *stack_name, const char *region,
			   const char *stage, unsigned capabilities,
			   const struct cfn_template *t, size_t template_bytes, size_t *len);

/* The length of the file name `base` without its template extension: `stack.json` -> 5. */
size_t deploy_template_stem_len(const char *base);

/* `out/stack.json` -> `out/stack.deploy.json` (malloc'd; NULL when out of memory). */
char *deploy_manifest_beside(const char *template_path);

/* A manifest read back: strings point into `root` (json_decref it when done). */
struct deploy_manifest {
	json_t *root;
	const char *template;   /* a plain file name, beside the manifest */
	const char *stack_name;
	const char *region;
	const char *stage;      /* NULL: none */
	unsigned capabilities;
	json_t *parameters;     /* object: key -> string */
	size_t template_bytes;
	bool needs_s3_upload;
};

/*
 * Parse and validate a manifest. False with `err` (a sentence) when it is
 * not one sgc writes: wrong version, a template name with a directory part,
 * a stack name or Region CloudFormation would refuse, an unknown
 * capability, a non-string parameter.
 */
bool deploy_manifest_read(const char *text, size_t len, struct deploy_manifest *m, char *err,
			  size_t errlen);

#endif
