/*
 * names.h - AWS names: the patterns the names sgc derives or is given must
 * match (SageMaker names, with `_` written as `-`), and their uniqueness
 * where AWS or the output directory looks them up.
 */
#ifndef SGC_NAMES_H
#define SGC_NAMES_H

#include <stdbool.h>

#include "attrs.h"

struct diag;

/* `sagemaker_packages` -> `sagemaker-packages`: AWS names prefer hyphens. */
const char *aws_name(struct checker *ck, const char *name);

bool is_lower_alnum(char c);
bool is_alnum(char c);

/* SageMaker names: `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`. */
bool sagemaker_name_ok(const char *s);
extern const char *const sagemaker_rule;

/*
 * E0507: `name` is not a valid `what` name; `rule` says what is. `from_attr`:
 * it came from a `name` attribute; `staged`: it carries the stage, if any.
 */
void bad_name(struct checker *ck, struct span at, const char *what,
	      const char *name, const char *rule, bool from_attr, bool staged);

/* `name = "..."` when given, else the block's name as an AWS name; NULL when invalid (reported). */
const char *checked_name(struct checker *ck, const struct ast_item *b,
			 const struct ast_item *name_attr, const char *what,
			 bool (*ok)(const char *), const char *rule);

/*
 * The same for a name unique per account and Region that the user may
 * choose (a CodeArtifact domain): with a stage, `<name>-<stage>`, so that
 * two stages of one environment deploy side by side.
 */
const char *checked_account_name(struct checker *ck, const struct ast_item *b,
				 const struct ast_item *name_attr, const char *what,
				 bool (*ok)(const char *), const char *rule);


/*
 * Physical names: what AWS and the output directory see. AWS names are
 * unique where AWS looks them up: domains per account and Region,
 * repositories per domain, profiles and spaces per Studio domain,
 * lifecycle configurations per account and Region. Files beside the
 * template are unique per output. Two blocks may differ in sgl and still
 * collide there: `name = ...`, `_` and `-` both written `-`, a name cut
 * to fit. One collision is reported once, at the later declaration.
 */
struct physical {
	struct strmap reported; /* `file:lo:hi` of declarations already reported */
	struct strmap files;    /* files beside the template, whichever kind writes them */
};

/*
 * E0611 when `name` is in `seen` (physical name -> struct span * of its
 * first declaration) already; else records it. `what` reads before the
 * name: `space name`, `file`. Returns the diagnostic made.
 */
struct diag *unique_name(struct checker *ck, struct physical *ph, struct strmap *seen,
			 const char *what, const char *name, struct span at,
			 const char *help);

extern const char *const rename_help, *const rename_block_help;

#endif
