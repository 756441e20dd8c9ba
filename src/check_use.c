#include "check_internal.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/suggest.h"

/*
 * Warnings about what the map lacks: a stage with no touchpoint or no KPI, a persona in no
 * touchpoint. A touchpoint in error must not cause them: when its stage or a persona it names
 * is unknown (or could not be read at all), that error is the news, and "stage 'x' has no
 * touchpoint" about the stage it was meant for would only echo it. So a reference in doubt
 * counts for the id a did-you-mean would name; when none is close, it could be meant for any
 * of them, and the warning of that kind is left out for the whole map until the error is
 * fixed. The same goes for an item of `touchpoints` that could not be read, and for KPIs that
 * could not be read (their stage counts as measured).
 *
 * A did-you-mean is searched for the first GUESSES different words in doubt only: past them the
 * map is treated as one whose references are all in doubt, so the pass stays linear.
 */

#define GUESSES 64

/* The words already guessed for, with their answers: a word misspelt the same way on many
 * touchpoints costs one search. */
typedef struct guesses {
    const char *word[GUESSES];
    size_t ix[GUESSES];
    size_t n;
} guesses;

/* The index among `ids` of the id closest to `word`, or JMAP_NONE: also past GUESSES
 * different words. */
static size_t guess(guesses *g, const char *word, const char **ids, size_t n)
{
    if (!word)
        return JMAP_NONE;
    for (size_t i = 0; i < g->n; i++) {
        if (strcmp(g->word[i], word) == 0)
            return g->ix[i];
    }
    if (g->n == GUESSES)
        return JMAP_NONE;
    const char *near = jmap_suggest(word, ids, n);
    size_t ix = JMAP_NONE;
    for (size_t i = 0; near && i < n; i++) {
        if (ids[i] == near) {
            ix = i;
            break;
        }
    }
    g->word[g->n] = word;
    g->ix[g->n++] = ix;
    return ix;
}

void check_stage_use(checker *c, const jmap_map *m)
{
    if (!check_stages_known(m))
        return;
    size_t *n_touchpoints = jmap_xcalloc(m->n_stages, sizeof(size_t));
    bool *measured = jmap_xcalloc(m->n_stages, sizeof(bool));
    const char **ids = jmap_xcalloc(m->n_stages, sizeof(char *));
    for (size_t i = 0; i < m->n_stages; i++)
        ids[i] = m->stages[i].id.s;
    bool any_stage = (m->unread & JMAP_UNREAD_TOUCHPOINTS) != 0; /* some touchpoint is lost */
    guesses g = {.n = 0};
    for (size_t i = 0; i < m->n_touchpoints && !any_stage; i++) {
        const jmap_touchpoint *t = &m->touchpoints[i];
        size_t ix = t->stage_ix;
        if (ix == JMAP_NONE || ix >= m->n_stages)
            ix = guess(&g, t->stage.s, ids, m->n_stages);
        if (ix == JMAP_NONE) {
            any_stage = true;
            continue;
        }
        n_touchpoints[ix]++;
        if (t->n_kpis > 0 || (t->unread & JMAP_UNREAD_KPIS))
            measured[ix] = true;
    }
    /* A second stage with the same id is an error already; its warnings would be noise. */
    bool *is_first = check_unique_ids(c, m->stages, m->n_stages, sizeof(jmap_stage),
                                      offsetof(jmap_stage, id), NULL);
    char q[CHECK_QUOTE_SIZE];
    for (size_t i = 0; i < m->n_stages && !any_stage; i++) {
        const jmap_stage *st = &m->stages[i];
        if (!is_first[i])
            continue;
        check_quote(st->id.s, q, sizeof(q));
        if (n_touchpoints[i] == 0)
            check_report(c, JMAP_SEV_WARNING, "stage-without-touchpoints", st->loc,
                         "stage '%s' has no touchpoint", q);
        if (st->n_kpis == 0 && !measured[i] && !(st->unread & JMAP_UNREAD_KPIS))
            check_report(c, JMAP_SEV_WARNING, "stage-without-kpis", st->loc,
                         "stage '%s' has no KPI", q);
    }
    free(is_first);
    free(ids);
    free(measured);
    free(n_touchpoints);
}

static int cmp_str(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

void check_persona_use(checker *c, const jmap_map *m)
{
    size_t np = m->n_personas ? m->n_personas : 1, n_sorted = 0;
    bool *used = jmap_xcalloc(np, sizeof(bool));
    const char **ids = jmap_xcalloc(np, sizeof(char *)); /* written order, for a guess */
    const char **sorted = jmap_xcalloc(np, sizeof(char *));
    for (size_t i = 0; i < m->n_personas; i++) {
        ids[i] = m->personas[i].id.s;
        if (ids[i])
            sorted[n_sorted++] = ids[i];
    }
    qsort(sorted, n_sorted, sizeof(char *), cmp_str);
    bool any_persona = (m->unread & JMAP_UNREAD_TOUCHPOINTS) != 0; /* some touchpoint is lost */
    guesses g = {.n = 0};
    for (size_t i = 0; i < m->n_touchpoints && !any_persona; i++) {
        const jmap_touchpoint *t = &m->touchpoints[i];
        for (size_t k = 0; t->persona_ix && k < t->n_persona_ix; k++) {
            if (t->persona_ix[k] < m->n_personas)
                used[t->persona_ix[k]] = true;
        }
        if (t->unread & JMAP_UNREAD_PERSONAS)
            any_persona = true;
        /* the references persona_ix left out: `persona`, then each of `personas` */
        for (size_t k = 0; k <= t->n_personas && !any_persona; k++) {
            const jmap_str *ref = k == 0 ? &t->persona : &t->personas[k - 1];
            if (!ref->s || bsearch(&ref->s, sorted, n_sorted, sizeof(char *), cmp_str))
                continue;
            size_t ix = guess(&g, ref->s, ids, m->n_personas);
            if (ix == JMAP_NONE)
                any_persona = true;
            else
                used[ix] = true;
        }
    }
    bool *is_first = check_unique_ids(c, m->personas, m->n_personas, sizeof(jmap_persona),
                                      offsetof(jmap_persona, id), NULL);
    char q[CHECK_QUOTE_SIZE];
    for (size_t i = 0; i < m->n_personas && !any_persona; i++) {
        const jmap_persona *p = &m->personas[i];
        if (is_first[i] && !used[i])
            check_report(c, JMAP_SEV_WARNING, "unused-persona", p->id.loc,
                         "persona '%s' appears in no touchpoint",
                         check_quote(p->id.s, q, sizeof(q)));
    }
    free(is_first);
    free(sorted);
    free(ids);
    free(used);
}
