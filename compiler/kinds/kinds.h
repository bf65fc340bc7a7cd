/*
 * kinds.h - the registry of resource kinds, for the stages: every kind in
 * the order the stages walk them, which is the order of the template.
 * Kinds never include this header (kind.h says what they may use).
 */
#ifndef SGC_KINDS_H
#define SGC_KINDS_H

#include "kind.h"

const struct kind *const *kinds_all(size_t *n);

/* The kind whose schemas include blocks of `block_kind`, or NULL. */
const struct kind *kinds_of(const char *block_kind);

/* A kind's model objects in an environment, in declaration order. */
const struct ptrvec *kind_objects(const struct kind *k, const struct m_env *env);

#endif
