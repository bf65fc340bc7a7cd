/*
 * names.c - AWS names: the patterns they must match, and their uniqueness
 * where AWS looks them up (see names.h).
 *
 * Names are checked against the patterns in the CloudFormation schemas
 * (shared/cfn-schemas/).
 */
#include "names.h"

#include <string.h>

#include "diag.h"

/* `sagemaker_packages` -> `sagemaker-packages`: AWS names prefer hyphens. */
const char *aws_name(struct checker *ck, const char *name)
{
	char *s = arena_strdup(ck->arena, name);
	for (char *p = s; *p; p++)
		if (*p == '_')
			*p = '-';
	return s;
}

bool is_lower_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool is_alnum(char c)
{
	return is_lower_alnum(c) || (c >= 'A' && c <= 'Z');
}

/* SageMaker names: `^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}`. */
bool sagemaker_name_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > 63 || !is_alnum(s[0]) || !is_alnum(s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_alnum(s[i]) && s[i] != '-')
			return false;
	return true;
}

void bad_name(struct checker *ck, struct span at, const char *what,
	      const char *name, const char *rule, bool from_attr, bool staged)
{
	struct diag *d = diag_add(ck->diags, DIAG_E0507, at,
				  "`%s` is not a valid %s name", name, what);
	diag_note(ck->diags, d, "%s names are %s", what, rule);
	if (staged && ck->stage) {
		diag_note(ck->diags, d, "the name carries the stage `%s` (--stage), so that the "
			  "stages of one environment can share an account and Region", ck->stage);
		if (!from_attr) {
			diag_help(ck->diags, d, "use a shorter stage name, or rename the environment "
				  "or the block");
			return;
		}
	}
	if (from_attr)
		diag_help(ck->diags, d, "change `name`");
	else
		diag_help(ck->diags, d, "rename the block, or set `name = \"...\"`");
}

/* `name`, or `<name>-<stage>` when building a stage. */
static const char *staged_name(struct checker *ck, const char *name)
{
	return ck->stage ? arena_printf(ck->arena, "%s-%s", name, ck->stage) : name;
}

static const char *named(struct checker *ck, const struct ast_item *b,
			 const struct ast_item *name_attr, const char *what,
			 bool (*ok)(const char *), const char *rule, bool staged)
{
	const char *name = name_attr ? ck_get_string(ck, b->scope, name_attr) : NULL;
	struct span at = name_attr ? name_attr->value->span : b->name_span;
	if (!name)
		name = aws_name(ck, b->name);
	if (staged)
		name = staged_name(ck, name);
	if (!ok(name)) {
		bad_name(ck, at, what, name, rule, name_attr != NULL, staged);
		return NULL;
	}
	return name;
}

const char *checked_name(struct checker *ck, const struct ast_item *b,
			 const struct ast_item *name_attr, const char *what,
			 bool (*ok)(const char *), const char *rule)
{
	return named(ck, b, name_attr, what, ok, rule, false);
}

const char *checked_account_name(struct checker *ck, const struct ast_item *b,
				 const struct ast_item *name_attr, const char *what,
				 bool (*ok)(const char *), const char *rule)
{
	return named(ck, b, name_attr, what, ok, rule, true);
}

const char *const sagemaker_rule = "1 to 63 letters, digits and hyphens, starting and ending with a letter or digit";

static const char *span_key(struct checker *ck, struct span at)
{
	return arena_printf(ck->arena, "%u:%u:%u", at.file, at.lo, at.hi);
}

/*
 * `seen`: physical name -> struct span * of its first declaration. `what`
 * reads before the name: `space name`, `file`. Returns the diagnostic made.
 */
struct diag *unique_name(struct checker *ck, struct physical *ph, struct strmap *seen,
			 const char *what, const char *name, struct span at,
			 const char *help)
{
	if (!name)
		return NULL;
	const struct span *first = strmap_get(seen, name);
	if (!first) {
		struct span *copy = arena_alloc(ck->arena, sizeof *copy);
		*copy = at;
		strmap_put(ck->arena, seen, name, copy);
		return NULL;
	}
	const char *key = span_key(ck, at);
	if (strmap_get(&ph->reported, key))
		return NULL;
	strmap_put(ck->arena, &ph->reported, key, (void *)key);
	bool file = strcmp(what, "file") == 0;
	struct diag *d = diag_add(ck->diags, DIAG_E0611, at, "%s `%s` is %s twice", what, name,
				  file ? "written" : "used");
	diag_secondary(ck->diags, d, *first, file ? "first written for this one" : "first used here");
	diag_help(ck->diags, d, "%s", help);
	return d;
}

const char *const rename_help = "give one of them another `name`";
const char *const rename_block_help =
	"rename one of the blocks: AWS names write both `_` and `-` as `-`";
