/*
 * codeartifact.c - the `codeartifact` resource kind: a CodeArtifact domain and its repositories.
 *
 * Its schema; the rest of the kind is still in the stages and moves here
 * (kind.h).
 */
#include <stddef.h>

#include "kind.h"

static const char *const external_words[] = { "pypi", "npm", "maven", "nuget",
					       NULL };

static const struct attr_schema codeartifact_attrs[] = {
	{ "name", VT_STRING, false, NULL, NULL,
	  "domain name (default: the block name with `_` as `-`)" },
	{ "kms_key", VT_REF, false, NULL, "kms_key", "encryption key" },
};

static const struct attr_schema repository_attrs[] = {
	{ "name", VT_STRING, false, NULL, NULL,
	  "repository name (default: the block name with `_` as `-`)" },
	{ "external", VT_WORD, false, external_words, NULL,
	  "public registry it proxies: pypi, npm, maven or nuget" },
	{ "upstream", VT_REFS, false, NULL, "repository",
	  "repositories searched after this one, in order" },
	{ "description", VT_STRING, false, NULL, NULL, "repository description" },
};

static const struct block_schema codeartifact_schema = {
	"codeartifact", "environment", true, SCHEMA_ATTRS(codeartifact_attrs),
	"a CodeArtifact domain"
};

static const struct block_schema repository_schema = {
	"repository", "codeartifact", true, SCHEMA_ATTRS(repository_attrs),
	"a CodeArtifact repository"
};

static const struct block_schema *const schemas[] = {
	&codeartifact_schema,
	&repository_schema,
};

const struct kind codeartifact_kind = {
	.name = "codeartifact",
	.schemas = schemas,
	.nschemas = sizeof schemas / sizeof schemas[0],
	.objects = offsetof(struct m_env, domains),
};
