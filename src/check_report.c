#include "check_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/rules.h"
#include "jmap/suggest.h"

/* The map's own file first, then any other (a stage-model file), each by line and column. */
static int file_rank(const char *file, const char *map_file)
{
    if (!file || !map_file)
        return file == map_file ? 0 : 1;
    return strcmp(file, map_file) == 0 ? 0 : 1;
}

void check_report(checker *c, jmap_severity sev, const char *code, jmap_loc at, const char *fmt,
                  ...)
{
    c->items = jmap_xgrow(c->items, &c->cap, c->n_items + 1, sizeof(check_item));
    check_item *it = &c->items[c->n_items];
    *it = (check_item){
        sev, code, at, NULL, NULL, NULL, WORDS_NONE, file_rank(at.file, c->map->file), c->n_items};
    va_list ap;
    va_start(ap, fmt);
    it->msg = jmap_xvprintf(fmt, ap);
    va_end(ap);
    c->n_items++;
}

void check_hint(checker *c, const char *fmt, ...)
{
    if (c->n_items == 0)
        return;
    check_item *it = &c->items[c->n_items - 1];
    free(it->hint);
    va_list ap;
    va_start(ap, fmt);
    it->hint = jmap_xvprintf(fmt, ap);
    va_end(ap);
}

void check_suggest(checker *c, const char *word, check_words words)
{
    if (c->n_items == 0)
        return;
    c->items[c->n_items - 1].word = word;
    c->items[c->n_items - 1].words = words;
}

static int cmp_item(const void *pa, const void *pb)
{
    const check_item *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank - b->rank;
    if (a->loc.line != b->loc.line)
        return a->loc.line < b->loc.line ? -1 : 1;
    if (a->loc.col != b->loc.col)
        return a->loc.col < b->loc.col ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

static const char *suggest_word(const char *word, const jmap_value_rule *rule)
{
    return jmap_suggest(word, rule->words, rule->n_words);
}

/* The did-you-mean of a short word list. */
static const char *suggest_for(const check_item *it)
{
    switch (it->words) {
    case WORDS_STAGES:
    case WORDS_PERSONAS: /* check_refs.c */
        break;
    case WORDS_LANES:
        return suggest_word(it->word, &jmap_rule_lane);
    case WORDS_STATE:
        return suggest_word(it->word, &jmap_rule_state);
    case WORDS_THEME:
        return suggest_word(it->word, &jmap_rule_theme);
    case WORDS_BETTER:
        return suggest_word(it->word, &jmap_rule_better);
    case WORDS_NONE:
        break;
    }
    return NULL;
}

void check_flush(checker *c)
{
    if (c->n_items == 0)
        return;
    qsort(c->items, c->n_items, sizeof(check_item), cmp_item);

    jmap_diags *d = c->d;
    for (size_t i = 0; i < c->n_items; i++) {
        check_item *it = &c->items[i];
        size_t before = d->n_items;
        jmap_diag_add(d, it->sev, it->code, it->loc, "%s", it->msg);
        bool kept = d->n_items > before;
        if (kept && !it->hint && (it->words == WORDS_STAGES || it->words == WORDS_PERSONAS) &&
            it->word) {
            char *hint = check_refs_hint(c, it->words, it->word);
            if (hint)
                jmap_diag_hint(d, "%s", hint);
            free(hint);
        } else if (kept && !it->hint && it->words != WORDS_NONE && it->word) {
            const char *near = suggest_for(it);
            if (near)
                jmap_diag_hint(d, "did you mean '%s'?", near);
        } else if (kept && it->hint) {
            jmap_diag_hint(d, "%s", it->hint);
        }
        free(it->msg);
        free(it->hint);
    }
    free(c->items);
    c->items = NULL;
    c->n_items = c->cap = 0;
}
