#ifndef JMAP_SUGGEST_H
#define JMAP_SUGGEST_H

#include <stddef.h>

/*
 * Did-you-mean: the candidate closest to a misspelt word by edit distance (insertions,
 * deletions, substitutions and swaps of neighbours), when it is close enough to be a likely
 * typo: at most a third of the word's length, rounded (so none for a one-letter word). Case
 * is ignored.
 */

/** The best candidate for `word`, or NULL when none is close. Candidates may contain NULLs. */
const char *jmap_suggest(const char *word, const char *const *candidates, size_t n);

/** The edit distance between two strings (bytes), capped at `cap` + 1 for speed. */
size_t jmap_edit_distance(const char *a, const char *b, size_t cap);

#endif
