/*
 * suggest.h - "did you mean" for names, attributes, kinds and services.
 */
#ifndef SGC_SUGGEST_H
#define SGC_SUGGEST_H

#include <stddef.h>

/* Optimal-string-alignment distance (adjacent swaps count as one edit). */
size_t suggest_distance(const char *a, const char *b);

/*
 * The closest candidate to `word`, or NULL when none is close enough to be
 * a plausible typo (distance at most a third of the word, at least 1).
 * Ties go to the earlier candidate, so the answer is deterministic.
 */
const char *suggest_best(const char *word, const char *const *candidates,
			 size_t n);

#endif
