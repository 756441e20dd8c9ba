#include "jmap/check.h"

#include <stdlib.h>
#include <string.h>

#include "check_internal.h"
#include "jmap/arena.h"
#include "jmap/rules.h"

/*
 * The model may be partly loaded: a value the loader could not read is absent, and the loader
 * has said so. So every rule skips absent values, and nothing here reports a missing value
 * that the loader requires. Rules that would only echo an earlier error (references into a
 * stage model that could not be loaded) stay quiet.
 */

/* ---- ids: well formed and unique -------------------------------------------------------- */

typedef struct id_ref {
    const jmap_str *id;
    size_t ix;
} id_ref;

static int cmp_ref(const void *pa, const void *pb)
{
    const id_ref *a = pa, *b = pb;
    int c = strcmp(a->id->s, b->id->s);
    return c != 0 ? c : (a->ix > b->ix) - (a->ix < b->ix);
}

bool *check_unique_ids(checker *c, const void *base, size_t n, size_t stride, size_t offset,
                       const char *what)
{
    bool *is_first = jmap_xcalloc(n ? n : 1, sizeof(bool));
    id_ref *refs = jmap_xcalloc(n ? n : 1, sizeof(id_ref));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const jmap_str *id = (const jmap_str *)((const char *)base + i * stride + offset);
        /* An empty id is reported as empty; one with a control character (a NUL would cut
         * the string) as such. */
        if (id->s && !check_blank(id->s) && !check_has_control(id))
            refs[k++] = (id_ref){id, i};
    }
    qsort(refs, k, sizeof(id_ref), cmp_ref);
    size_t run = 0; /* the first item of the current run of equal ids */
    for (size_t i = 0; i < k; i++) {
        if (i == 0 || strcmp(refs[i].id->s, refs[run].id->s) != 0) {
            run = i;
            is_first[refs[i].ix] = true;
        } else if (what) {
            char q[CHECK_QUOTE_SIZE];
            const jmap_str *id = refs[i].id, *first = refs[run].id;
            check_report(c, JMAP_SEV_ERROR, "duplicate-id", id->loc, "duplicate %s id '%s'", what,
                         check_quote(id->s, q, sizeof(q)));
            check_hint(c, "first defined at %u:%u", first->loc.line, first->loc.col);
        }
    }
    free(refs);
    return is_first;
}

/* A required string given as "": the loader accepted it, but it says nothing. */
static bool check_nonempty(checker *c, const jmap_str *s, const char *key)
{
    if (!s->s || !check_blank(s->s))
        return true;
    check_report(c, JMAP_SEV_ERROR, "empty-value", s->loc, "empty value for '%s'", key);
    return false;
}

static void check_id(checker *c, const jmap_str *id, const char *what)
{
    if (!id->s || !check_no_control(c, id, "id") || !check_nonempty(c, id, "id") ||
        check_id_valid(id->s))
        return;
    char q[CHECK_QUOTE_SIZE];
    check_report(c, JMAP_SEV_ERROR, "invalid-id", id->loc,
                 "invalid %s id '%s'; ids are lowercase letters, digits, '-' and '_'", what,
                 check_quote(id->s, q, sizeof(q)));
}

/* ---- the top level ---------------------------------------------------------------------- */

static void check_version(checker *c, const jmap_num *v)
{
    if (!v->set)
        return;
    char num[CHECK_NUMBER_SIZE];
    if (v->v > jmap_rule_version.max)
        check_report(c, JMAP_SEV_ERROR, "unsupported-version", v->loc,
                     "format version %s is newer than this jmap reads (version %d)",
                     check_number(v->v, num, sizeof(num)), JMAP_FORMAT_VERSION);
    else if (v->v < jmap_rule_version.min)
        check_report(c, JMAP_SEV_ERROR, "unsupported-version", v->loc,
                     "format version %s does not exist; it must be %d",
                     check_number(v->v, num, sizeof(num)), JMAP_FORMAT_VERSION);
}

/* A word from a short list, such as `state: current`. */
static void check_word(checker *c, const jmap_str *s, const char *key, const char *what,
                       const jmap_value_rule *rule, check_words list)
{
    if (!s->s || !check_no_control(c, s, key))
        return;
    for (size_t i = 0; i < rule->n_words; i++) {
        if (strcmp(s->s, rule->words[i]) == 0)
            return;
    }
    char q[CHECK_QUOTE_SIZE];
    check_report(c, JMAP_SEV_ERROR, "invalid-value", s->loc, "invalid %s '%s'; expected %s", what,
                 check_quote(s->s, q, sizeof(q)), rule->expected);
    check_suggest(c, s->s, list);
}

/* `lang`: a BCP 47 tag's form; the usual slip, a POSIX locale's '_', gets its fix. */
static void check_lang(checker *c, const jmap_str *s)
{
    if (!s->s || !check_no_control(c, s, "lang") || check_lang_valid(s->s))
        return;
    char q[CHECK_QUOTE_SIZE];
    check_report(c, JMAP_SEV_ERROR, "invalid-lang", s->loc,
                 "invalid lang '%s'; expected a BCP 47 language tag like 'en' or 'de-CH'",
                 check_quote(s->s, q, sizeof(q)));
    char *fixed = jmap_xstrdup(s->s);
    for (char *p = fixed; *p; p++) {
        if (*p == '_')
            *p = '-';
    }
    char *dot = strchr(fixed, '.'); /* a locale's codeset: "de_DE.UTF-8" */
    if (dot)
        *dot = '\0';
    if (strcmp(fixed, s->s) != 0 && check_lang_valid(fixed))
        check_hint(c, "write it as '%s'", check_quote(fixed, q, sizeof(q)));
    free(fixed);
}

static void check_top(checker *c, const jmap_map *m)
{
    check_version(c, &m->version);
    check_nonempty(c, &m->title, "title");
    check_no_control(c, &m->model, "model"); /* a path or an id, not text */
    check_word(c, &m->state, "state", "state", &jmap_rule_state, WORDS_STATE);
    check_lang(c, &m->lang);
    check_word(c, &m->theme, "theme", "theme", &jmap_rule_theme, WORDS_THEME);
    if (!m->model.s && m->stages_loc.line == 0 && m->n_map_stages == 0)
        check_report(c, JMAP_SEV_ERROR, "missing-stages", m->loc,
                     "map has neither 'model' nor 'stages'");
    else if (!m->model.s && m->stages_loc.line != 0 && m->n_map_stages == 0 &&
             !(m->unread & JMAP_UNREAD_STAGES)) /* not "empty" when its items are in error */
        check_report(c, JMAP_SEV_ERROR, "no-stages", m->stages_loc,
                     "'stages' is empty; a map without 'model' needs at least one stage");
    if (m->personas_loc.line != 0 && m->n_personas == 0 && !(m->unread & JMAP_UNREAD_PERSONAS))
        check_report(c, JMAP_SEV_ERROR, "no-personas", m->personas_loc,
                     "'personas' is empty; a map needs at least one persona");
}

static void check_lanes(checker *c, const jmap_map *m)
{
    const jmap_loc *seen[JMAP_LANE_COUNT] = {NULL};
    char q[CHECK_QUOTE_SIZE];
    for (size_t i = 0; i < m->n_lanes; i++) {
        const jmap_str *s = &m->lanes[i];
        jmap_lane lane;
        if (!s->s || !check_no_control(c, s, "lanes"))
            continue;
        if (!jmap_lane_from_name(s->s, &lane)) {
            check_report(c, JMAP_SEV_ERROR, "unknown-lane", s->loc, "unknown lane '%s'",
                         check_quote(s->s, q, sizeof(q)));
            check_suggest(c, s->s, WORDS_LANES);
        } else if (seen[lane]) {
            check_report(c, JMAP_SEV_WARNING, "duplicate-lane", s->loc, "lane '%s' is listed twice",
                         s->s);
            check_hint(c, "first listed at %u:%u", seen[lane]->line, seen[lane]->col);
        } else {
            seen[lane] = &s->loc;
        }
    }
}

/* ---- personas, stages, KPIs --------------------------------------------------------------- */

static void check_kpis(checker *c, const jmap_kpi *kpis, size_t n)
{
    char q[CHECK_QUOTE_SIZE];
    for (size_t i = 0; i < n; i++) {
        const jmap_str *id = &kpis[i].id;
        if (id->s && check_no_control(c, id, "id") && check_nonempty(c, id, "id") &&
            !check_kpi_id_valid(id->s))
            check_report(c, JMAP_SEV_ERROR, "invalid-id", id->loc,
                         "invalid KPI id '%s'; KPI ids are lowercase letters, digits, '.', '-' "
                         "and '_'",
                         check_quote(id->s, q, sizeof(q)));
        check_nonempty(c, &kpis[i].name, "name");
        check_word(c, &kpis[i].better, "better", "'better' value", &jmap_rule_better,
                   WORDS_BETTER);
    }
}

static void check_personas(checker *c, const jmap_map *m)
{
    char q[CHECK_QUOTE_SIZE];
    for (size_t i = 0; i < m->n_personas; i++) {
        const jmap_persona *p = &m->personas[i];
        check_id(c, &p->id, "persona");
        check_nonempty(c, &p->name, "name");
        if (p->color.s && check_no_control(c, &p->color, "color") && !check_color_valid(p->color.s))
            check_report(c, JMAP_SEV_ERROR, "invalid-color", p->color.loc,
                         "invalid color '%s'; expected '#rgb' or '#rrggbb' in hexadecimal",
                         check_quote(p->color.s, q, sizeof(q)));
    }
    free(check_unique_ids(c, m->personas, m->n_personas, sizeof(jmap_persona),
                          offsetof(jmap_persona, id), "persona"));
}

static void check_stage_list(checker *c, const jmap_stage *stages, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        check_id(c, &stages[i].id, "stage");
        check_nonempty(c, &stages[i].name, "name");
        check_kpis(c, stages[i].kpis, stages[i].n_kpis);
    }
    free(check_unique_ids(c, stages, n, sizeof(jmap_stage), offsetof(jmap_stage, id), "stage"));
}

/* A stage-model file named by `model:` follows the same id rules as a map. */
static void check_stage_model(checker *c, const jmap_stage_model *sm)
{
    if (!sm)
        return;
    check_id(c, &sm->id, "stage model");
    check_nonempty(c, &sm->name, "name");
    /* a map on it would have no column; the loader reports a missing or null list */
    if (sm->n_stages == 0 && sm->stages_loc.line != 0)
        check_report(c, JMAP_SEV_ERROR, "no-stages", sm->stages_loc,
                     "'stages' is empty; a stage model needs at least one stage");
    check_stage_list(c, sm->stages, sm->n_stages);
}

/* KPI ids are unique in the whole map, across stages and touchpoints: a data row names one. */
static void check_kpi_ids(checker *c, const jmap_map *m)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_map_stages; i++)
        n += m->map_stages[i].n_kpis;
    for (size_t i = 0; i < m->n_touchpoints; i++)
        n += m->touchpoints[i].n_kpis;
    jmap_str *ids = jmap_xcalloc(n ? n : 1, sizeof(jmap_str));
    size_t k = 0;
    for (size_t i = 0; i < m->n_map_stages; i++)
        for (size_t j = 0; j < m->map_stages[i].n_kpis; j++)
            ids[k++] = m->map_stages[i].kpis[j].id;
    for (size_t i = 0; i < m->n_touchpoints; i++)
        for (size_t j = 0; j < m->touchpoints[i].n_kpis; j++)
            ids[k++] = m->touchpoints[i].kpis[j].id;
    free(check_unique_ids(c, ids, k, sizeof(jmap_str), 0, "KPI"));
    free(ids);
}

/* ---- touchpoints ------------------------------------------------------------------------ */

bool check_stages_known(const jmap_map *m)
{
    return m->n_stages > 0 && !(m->model.s && !m->stage_model);
}

static int cmp_str(const void *pa, const void *pb)
{
    return strcmp(*(const char *const *)pa, *(const char *const *)pb);
}

/* The persona ids, sorted, for lookups in O(log n). */
static const char **persona_ids(const jmap_map *m, size_t *n)
{
    const char **ids = jmap_xcalloc(m->n_personas ? m->n_personas : 1, sizeof(char *));
    *n = 0;
    for (size_t i = 0; i < m->n_personas; i++) {
        if (m->personas[i].id.s)
            ids[(*n)++] = m->personas[i].id.s;
    }
    qsort(ids, *n, sizeof(char *), cmp_str);
    return ids;
}

static void check_persona_ref(checker *c, const jmap_str *ref, const char *key, const char **ids,
                              size_t n_ids)
{
    if (!ref->s || !check_no_control(c, ref, key) || !check_nonempty(c, ref, key) || n_ids == 0)
        return;
    if (bsearch(&ref->s, ids, n_ids, sizeof(char *), cmp_str))
        return;
    char q[CHECK_QUOTE_SIZE];
    check_report(c, JMAP_SEV_ERROR, "unknown-persona", ref->loc, "unknown persona '%s'",
                 check_quote(ref->s, q, sizeof(q)));
    check_suggest(c, ref->s, WORDS_PERSONAS);
}

/* The ids of the map's own `stages:` entries when it has a model, sorted: one the model lacks
 * is an error at the entry (unknown-model-stage), and its touchpoints do not repeat it. */
static const char **declared_ids(const jmap_map *m, size_t *n)
{
    *n = 0;
    if (!m->stage_model)
        return NULL;
    const char **ids = jmap_xcalloc(m->n_map_stages ? m->n_map_stages : 1, sizeof(char *));
    for (size_t i = 0; i < m->n_map_stages; i++) {
        if (m->map_stages[i].id.s)
            ids[(*n)++] = m->map_stages[i].id.s;
    }
    qsort(ids, *n, sizeof(char *), cmp_str);
    return ids;
}

static void check_touchpoint(checker *c, const jmap_map *m, const jmap_touchpoint *t,
                             const char **ids, size_t n_ids, const char **declared,
                             size_t n_declared)
{
    char q[CHECK_QUOTE_SIZE], num[CHECK_NUMBER_SIZE];
    if (t->stage.s && check_no_control(c, &t->stage, "stage") &&
        check_nonempty(c, &t->stage, "stage") && check_stages_known(m) &&
        (t->stage_ix == JMAP_NONE || t->stage_ix >= m->n_stages) &&
        !(n_declared && bsearch(&t->stage.s, declared, n_declared, sizeof(char *), cmp_str))) {
        check_report(c, JMAP_SEV_ERROR, "unknown-stage", t->stage.loc, "unknown stage '%s'",
                     check_quote(t->stage.s, q, sizeof(q)));
        check_suggest(c, t->stage.s, WORDS_STAGES);
    }
    check_nonempty(c, &t->name, "name");
    check_persona_ref(c, &t->persona, "persona", ids, n_ids);
    for (size_t i = 0; i < t->n_personas; i++)
        check_persona_ref(c, &t->personas[i], "personas", ids, n_ids);
    if (t->persona.s && t->personas_loc.line != 0)
        check_report(c, JMAP_SEV_ERROR, "persona-conflict", t->personas_loc,
                     "'persona' and 'personas' are both given; use one of them");
    /* An empty list would silently leave the touchpoint off every persona's curve. */
    if (!t->persona.s && t->personas_loc.line != 0 && t->n_personas == 0)
        check_report(c, JMAP_SEV_ERROR, "empty-value", t->personas_loc,
                     "'personas' is empty; list at least one persona, or leave it out to mean "
                     "every persona");
    if (t->emotion.set &&
        (t->emotion.v < jmap_rule_emotion.min || t->emotion.v > jmap_rule_emotion.max))
        check_report(c, JMAP_SEV_ERROR, "emotion-range", t->emotion.loc,
                     "emotion %s is outside -2 .. 2", check_number(t->emotion.v, num, sizeof(num)));
    if (t->url.s) /* its own check reads it whole: a control character is an invalid-url */
        check_url(c, &t->url);
    check_kpis(c, t->kpis, t->n_kpis);
}

bool jmap_check(const jmap_map *map, jmap_diags *d)
{
    size_t errors_before = d->n_errors;
    checker c = {map, d, NULL, 0, 0, CHECK_SCAN_BUDGET, NULL, NULL};
    check_top(&c, map);
    check_personas(&c, map);
    check_stage_list(&c, map->map_stages, map->n_map_stages);
    check_stage_model(&c, map->stage_model);

    size_t n_ids;
    const char **ids = persona_ids(map, &n_ids);
    size_t n_declared;
    const char **declared = declared_ids(map, &n_declared);
    for (size_t i = 0; i < map->n_touchpoints; i++)
        check_touchpoint(&c, map, &map->touchpoints[i], ids, n_ids, declared, n_declared);
    free(declared);
    free(ids);

    check_kpi_ids(&c, map);
    for (size_t i = 0; i < map->n_data; i++) /* a path, not text */
        check_no_control(&c, &map->data[i], "data");
    check_lanes(&c, map);
    check_text_values(&c, map);
    check_stage_use(&c, map);
    check_persona_use(&c, map);
    check_flush(&c);
    jmap_arena_free(c.builtins);
    return d->n_errors == errors_before;
}
