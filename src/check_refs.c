#include "check_internal.h"
#include "jmap/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/load.h"
#include "jmap/stages.h"
#include "jmap/suggest.h"

/*
 * The hint under an unknown stage or persona: a did-you-mean when one id is close; otherwise
 * the ids there are (the first few, then "…"), and for a stage, the built-in models that do
 * have it, which says more than any spelling could. Ids are untrusted: each is quoted through
 * check_quote (sanitised, cut at 40 code points). Built only for diagnostics that are kept.
 */

#define SHOWN_IDS 6

/* "'a', 'b', 'c', …" from the ids in written order; those with a control character (an error
 * of their own) are left out. Caller frees. */
static char *id_list(const jmap_str *first, size_t n, size_t stride)
{
    char *out = NULL;
    size_t len = 0, shown = 0;
    FILE *f = open_memstream(&out, &len);
    for (size_t i = 0; i < n; i++) {
        const jmap_str *id = (const jmap_str *)(const void *)((const char *)first + i * stride);
        if (!id->s || check_has_control(id) || check_blank(id->s))
            continue;
        if (shown == SHOWN_IDS) {
            fputs(", \xe2\x80\xa6", f); /* … */
            break;
        }
        char q[CHECK_QUOTE_SIZE];
        fprintf(f, "%s'%s'", shown ? ", " : "", check_quote(id->s, q, sizeof(q)));
        shown++;
    }
    fclose(f);
    if (shown == 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* The built-in models other than `self` with a stage `id`, as "'a'" or "'a' and 'b'"...;
 * NULL for none. Each model is parsed once per check, and only when asked. */
static char *models_with(checker *c, const char *id, const char *self)
{
    size_t n;
    const jmap_builtin_stage_model *all = jmap_builtin_stage_models(&n);
    if (!c->builtins) {
        c->builtins = jmap_arena_new();
        c->builtin_models = jmap_arena_calloc(c->builtins, n ? n : 1, sizeof(void *));
        jmap_diags scratch;
        jmap_diags_init(&scratch);
        for (size_t i = 0; i < n; i++)
            c->builtin_models[i] = jmap_load_stage_model(c->builtins, all[i].file, all[i].text,
                                                         all[i].len, NULL, &scratch);
        jmap_diags_release(&scratch);
    }
    char *out = NULL;
    size_t len = 0, found = 0;
    FILE *f = open_memstream(&out, &len);
    for (size_t i = 0; i < n; i++) {
        const jmap_stage_model *m = c->builtin_models[i];
        if (!m || (self && strcmp(all[i].id, self) == 0))
            continue;
        for (size_t k = 0; k < m->n_stages; k++) {
            if (m->stages[k].id.s && strcmp(m->stages[k].id.s, id) == 0) {
                fprintf(f, "%s'%s'", found ? ", " : "", all[i].id);
                found++;
                break;
            }
        }
    }
    fclose(f);
    if (!found) {
        free(out);
        return NULL;
    }
    return out;
}

static char *stage_hint(checker *c, const char *word)
{
    const jmap_map *m = c->map;
    const char *model = m->model.s;
    bool builtin = model && jmap_builtin_stage_model_find(model);
    char *list = id_list(m->n_stages ? &m->stages[0].id : NULL, m->n_stages, sizeof(jmap_stage));
    char *others = models_with(c, word, builtin ? model : NULL);
    char q[CHECK_QUOTE_SIZE], mq[CHECK_QUOTE_SIZE];
    char *hint = NULL;
    if (model)
        check_quote(model, mq, sizeof(mq));
    const char *near = NULL;
    if (!others) {
        const char **ids = jmap_xcalloc(m->n_stages ? m->n_stages : 1, sizeof(char *));
        for (size_t i = 0; i < m->n_stages; i++)
            ids[i] = m->stages[i].id.s;
        near = jmap_suggest(word, ids, m->n_stages);
        free(ids);
    }
    if (near) {
        hint = jmap_xprintf("did you mean '%s'?", check_quote(near, q, sizeof(q)));
    } else if (others && model) {
        hint = jmap_xprintf("'%s' is a stage of the model%s %s, not of '%s', whose stages are "
                            "%s%s%s%s",
                            check_quote(word, q, sizeof(q)), strchr(others, ',') ? "s" : "", others,
                            mq, list ? list : "none", builtin ? "; see 'jmap stages " : "",
                            builtin ? mq : "", builtin ? "'" : "");
    } else if (others) {
        hint =
            jmap_xprintf("'%s' is a stage of the built-in model%s %s: name it with 'model:', "
                         "or add the stage to 'stages'",
                         check_quote(word, q, sizeof(q)), strchr(others, ',') ? "s" : "", others);
    } else if (model && builtin) {
        hint = jmap_xprintf("the stages of model '%s' are %s; see 'jmap stages %s'", mq,
                            list ? list : "none", mq);
    } else if (model) {
        hint = jmap_xprintf("the stages of model '%s' are %s", mq, list ? list : "none");
    } else if (list) {
        hint = jmap_xprintf("the map's stages are %s", list);
    }
    free(list);
    free(others);
    return hint;
}

char *jmap_check_persona_hint(const jmap_map *m, const char *word)
{
    const char **ids = jmap_xcalloc(m->n_personas ? m->n_personas : 1, sizeof(char *));
    for (size_t i = 0; i < m->n_personas; i++)
        ids[i] = m->personas[i].id.s;
    const char *near = jmap_suggest(word, ids, m->n_personas);
    free(ids);
    char q[CHECK_QUOTE_SIZE];
    if (near)
        return jmap_xprintf("did you mean '%s'?", check_quote(near, q, sizeof(q)));
    char *list =
        id_list(m->n_personas ? &m->personas[0].id : NULL, m->n_personas, sizeof(jmap_persona));
    if (!list)
        return NULL;
    char *hint = jmap_xprintf("the map's personas are %s (use a persona's 'id')", list);
    free(list);
    return hint;
}

char *check_refs_hint(checker *c, check_words words, const char *word)
{
    return words == WORDS_STAGES ? stage_hint(c, word) : jmap_check_persona_hint(c->map, word);
}
