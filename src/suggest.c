#include "jmap/suggest.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"

static unsigned char lower(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') ? (unsigned char)(c - 'A' + 'a') : c;
}

static size_t min3(size_t a, size_t b, size_t c)
{
    size_t m = a < b ? a : b;
    return m < c ? m : c;
}

/* Optimal string alignment distance with three rolling rows; words here are short, and the
 * cap stops the work early for candidates that cannot win. */
size_t jmap_edit_distance(const char *a, const char *b, size_t cap)
{
    size_t la = strlen(a), lb = strlen(b);
    if ((la > lb ? la - lb : lb - la) > cap)
        return cap + 1;
    size_t *prev2 = jmap_xcalloc(lb + 1, sizeof(size_t));
    size_t *prev = jmap_xcalloc(lb + 1, sizeof(size_t));
    size_t *cur = jmap_xcalloc(lb + 1, sizeof(size_t));
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    size_t result = 0;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        size_t row_min = cur[0];
        for (size_t j = 1; j <= lb; j++) {
            size_t cost = lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 1]) ? 0 : 1;
            cur[j] = min3(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
            if (i > 1 && j > 1 && lower((unsigned char)a[i - 1]) == lower((unsigned char)b[j - 2]) &&
                lower((unsigned char)a[i - 2]) == lower((unsigned char)b[j - 1]) &&
                prev2[j - 2] + 1 < cur[j])
                cur[j] = prev2[j - 2] + 1;
            if (cur[j] < row_min)
                row_min = cur[j];
        }
        size_t *t = prev2;
        prev2 = prev;
        prev = cur;
        cur = t;
        if (row_min > cap) {
            result = cap + 1;
            goto out;
        }
    }
    result = prev[lb] > cap ? cap + 1 : prev[lb];
out:
    free(prev2);
    free(prev);
    free(cur);
    return result;
}

const char *jmap_suggest(const char *word, const char *const *candidates, size_t n)
{
    /* A third of the word, rounded: one edit from 2 letters on, none for a single letter
     * (any letter is one edit from any other, which would be a guess, not a suggestion). */
    size_t len = strlen(word);
    size_t cap = (len + 1) / 3;
    const char *best = NULL;
    size_t best_d = cap + 1;
    for (size_t i = 0; i < n; i++) {
        if (!candidates[i])
            continue;
        size_t d = jmap_edit_distance(word, candidates[i], best_d - 1 < cap ? best_d - 1 : cap);
        if (d < best_d) {
            best_d = d;
            best = candidates[i];
        }
    }
    return best;
}
