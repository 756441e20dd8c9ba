#include "jmap/summary.h"

#include <stdlib.h>
#include <string.h>

#include "jmap/arena.h"
#include "jmap/layout.h"

/*
 * What a map says in words (docs/format.md, "What a map says in words"). Plain sentences in a
 * fixed order, built only from the model, so the same map always gives the same bytes: numbers
 * through jmap_format_number (no locale), no pronouns ("Maya's lowest moment"), no markup. A
 * huge map must not give a huge summary: each list stops at LIST_MAX items and says how many
 * more there are, and each name stops at NAME_MAX code points.
 */

#define LIST_MAX 8   /* items of a list before "and N more" */
#define STAGES_MAX 12 /* stages are the map's backbone: a few more of them */
#define NAME_MAX 80  /* code points of one name */
#define KEYWORDS_MAX 40

/* Append a name from the map: controls (newlines, tabs) become spaces, runs of spaces one,
 * and a name longer than NAME_MAX code points ends with "…". */
static void put_name(jmap_strbuf *b, const char *s)
{
    size_t cps = 0;
    bool space = false;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p == ' ' || (*p < 0x20 && *p))
        p++; /* leading blanks */
    for (; *p; p++) {
        if (*p < 0x20 || *p == 0x7f || *p == ' ') {
            space = true;
            continue;
        }
        if ((*p & 0xC0) != 0x80) { /* a code point starts */
            if (cps == NAME_MAX) {
                jmap_strbuf_puts(b, "…");
                return;
            }
            if (space)
                jmap_strbuf_puts(b, " ");
            space = false;
            cps++;
        }
        jmap_strbuf_put(b, (const char *)p, 1);
    }
    if (cps == 0)
        jmap_strbuf_puts(b, "(unnamed)");
}

static void put_size(jmap_strbuf *b, size_t n)
{
    char num[64];
    jmap_format_number(num, sizeof num, (double)n);
    jmap_strbuf_puts(b, num);
}

static void put_number(jmap_strbuf *b, double v)
{
    char num[64];
    jmap_format_number(num, sizeof num, v);
    jmap_strbuf_puts(b, num);
}

/* "1 touchpoint", "12 touchpoints" */
static void put_count(jmap_strbuf *b, size_t n, const char *one, const char *many)
{
    put_size(b, n);
    jmap_strbuf_puts(b, " ");
    jmap_strbuf_puts(b, n == 1 ? one : many);
}

/* ", and 3 more" after a capped list of n items shown `shown` */
static void put_more(jmap_strbuf *b, size_t n, size_t shown)
{
    if (n > shown) {
        jmap_strbuf_puts(b, ", and ");
        put_size(b, n - shown);
        jmap_strbuf_puts(b, " more");
    }
}

static bool has_text(const jmap_str *s)
{
    for (size_t i = 0; s->s && i < s->len; i++) {
        if ((unsigned char)s->s[i] > ' ')
            return true;
    }
    return false;
}

static const char *stage_name(const jmap_stage *st)
{
    return st->name.s ? st->name.s : st->id.s;
}

static const char *persona_name(const jmap_persona *p)
{
    return p->name.s ? p->name.s : p->id.s;
}

static void put_stages(jmap_strbuf *b, const jmap_map *m)
{
    jmap_strbuf_puts(b, "A customer-journey map");
    if (m->n_stages > 0) {
        jmap_strbuf_puts(b, " in ");
        put_count(b, m->n_stages, "stage", "stages");
    }
    if (m->stage_model && m->stage_model->name.s) {
        jmap_strbuf_puts(b, " (stage model: ");
        put_name(b, m->stage_model->name.s);
        jmap_strbuf_puts(b, ")");
    }
    if (m->n_stages > 0) {
        jmap_strbuf_puts(b, ": ");
        size_t shown = m->n_stages < STAGES_MAX ? m->n_stages : STAGES_MAX;
        for (size_t i = 0; i < shown; i++) {
            if (i > 0)
                jmap_strbuf_puts(b, ", ");
            put_name(b, stage_name(&m->stages[i]));
        }
        put_more(b, m->n_stages, shown);
    }
    jmap_strbuf_puts(b, ".");
}

static void put_persona(jmap_strbuf *b, const jmap_persona *p)
{
    put_name(b, persona_name(p));
    if (has_text(&p->role)) {
        jmap_strbuf_puts(b, " (");
        put_name(b, p->role.s);
        jmap_strbuf_puts(b, ")");
    }
}

char *jmap_summary_persona(const jmap_persona *p)
{
    jmap_strbuf b = {0};
    put_persona(&b, p);
    return b.s;
}

static void put_personas(jmap_strbuf *b, const jmap_map *m)
{
    if (m->n_personas == 0)
        return;
    jmap_strbuf_puts(b, m->n_personas == 1 ? " Persona: " : " Personas: ");
    size_t shown = m->n_personas < LIST_MAX ? m->n_personas : LIST_MAX;
    for (size_t i = 0; i < shown; i++) {
        const jmap_persona *p = &m->personas[i];
        if (i > 0)
            jmap_strbuf_puts(b, ", ");
        put_persona(b, p);
    }
    put_more(b, m->n_personas, shown);
    jmap_strbuf_puts(b, ".");
}

static bool tp_has_persona(const jmap_touchpoint *t, size_t p)
{
    for (size_t i = 0; i < t->n_persona_ix; i++) {
        if (t->persona_ix[i] == p)
            return true;
    }
    return false;
}

/* Touchpoints in reading order: by stage, then as written; unknown stages last. */
static bool reads_before(const jmap_touchpoint *a, size_t ai, const jmap_touchpoint *b,
                         size_t bi)
{
    if (a->stage_ix != b->stage_ix)
        return a->stage_ix < b->stage_ix; /* JMAP_NONE is the largest */
    return ai < bi;
}

/* The lowest (or highest) scored touchpoint of persona p (JMAP_NONE: any), the first in
 * reading order on a tie; JMAP_NONE when none has a score. */
static size_t extreme(const jmap_map *m, size_t p, bool lowest)
{
    size_t best = JMAP_NONE;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jmap_touchpoint *t = &m->touchpoints[i];
        if (!t->emotion.set || (p != JMAP_NONE && !tp_has_persona(t, p)))
            continue;
        if (best == JMAP_NONE) {
            best = i;
            continue;
        }
        double v = t->emotion.v, bv = m->touchpoints[best].emotion.v;
        bool better = lowest ? v < bv : v > bv;
        if (better || (v == bv && reads_before(t, i, &m->touchpoints[best], best)))
            best = i;
    }
    return best;
}

/* "'Price comparison' in Consideration (-2)" */
static void put_moment(jmap_strbuf *b, const jmap_map *m, size_t i)
{
    const jmap_touchpoint *t = &m->touchpoints[i];
    jmap_strbuf_puts(b, "'");
    put_name(b, t->name.s);
    jmap_strbuf_puts(b, "'");
    if (t->stage_ix != JMAP_NONE && t->stage_ix < m->n_stages) {
        jmap_strbuf_puts(b, " in ");
        put_name(b, stage_name(&m->stages[t->stage_ix]));
    }
    jmap_strbuf_puts(b, " (");
    put_number(b, t->emotion.v);
    jmap_strbuf_puts(b, ")");
}

/* "Maya's lowest moment is …, the highest is …." — or one sentence when both are the same. */
static void put_moments_of(jmap_strbuf *b, const jmap_map *m, size_t p)
{
    size_t lo = extreme(m, p, true), hi = extreme(m, p, false);
    if (lo == JMAP_NONE)
        return;
    jmap_strbuf_puts(b, " ");
    if (p != JMAP_NONE) {
        put_name(b, persona_name(&m->personas[p]));
        jmap_strbuf_puts(b, "'s");
    } else {
        jmap_strbuf_puts(b, "The");
    }
    size_t scored = 0;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jmap_touchpoint *t = &m->touchpoints[i];
        scored += t->emotion.set && (p == JMAP_NONE || tp_has_persona(t, p));
    }
    if (scored == 1) {
        jmap_strbuf_puts(b, " only scored moment is ");
        put_moment(b, m, lo);
        jmap_strbuf_puts(b, ".");
        return;
    }
    if (m->touchpoints[lo].emotion.v == m->touchpoints[hi].emotion.v) {
        jmap_strbuf_puts(b, " moments all score ");
        put_number(b, m->touchpoints[lo].emotion.v);
        jmap_strbuf_puts(b, ", from ");
        put_moment(b, m, lo);
        jmap_strbuf_puts(b, ".");
        return;
    }
    jmap_strbuf_puts(b, " lowest moment is ");
    put_moment(b, m, lo);
    jmap_strbuf_puts(b, ", the highest ");
    put_moment(b, m, hi);
    jmap_strbuf_puts(b, ".");
}

static void put_moments(jmap_strbuf *b, const jmap_map *m)
{
    if (m->n_personas == 0) {
        put_moments_of(b, m, JMAP_NONE);
        return;
    }
    size_t shown = 0, with = 0;
    for (size_t p = 0; p < m->n_personas; p++) {
        if (extreme(m, p, true) == JMAP_NONE)
            continue;
        with++;
        if (shown < LIST_MAX) {
            put_moments_of(b, m, p);
            shown++;
        }
    }
    if (with > shown) {
        jmap_strbuf_puts(b, " ");
        put_count(b, with - shown, "more persona has", "more personas have");
        jmap_strbuf_puts(b, " scored moments.");
    }
}

static bool off_track(const jmap_kpi *k)
{
    if (!k->actual.set || !k->target.set)
        return false;
    /* as the KPI lane draws it (layout_kpi.c): reaching the target is on track */
    return k->better_v == JMAP_BETTER_LOWER ? k->actual.v > k->target.v
                                            : k->actual.v < k->target.v;
}

/* "3.1%", "42,000 people": glued like the KPI lane glues signs */
static void put_quantity(jmap_strbuf *b, double v, const jmap_str *unit)
{
    put_number(b, v);
    if (!has_text(unit))
        return;
    const char *u = unit->s;
    if (!(strcmp(u, "%") == 0 || strcmp(u, "‰") == 0 || strcmp(u, "°") == 0))
        jmap_strbuf_puts(b, " ");
    put_name(b, u);
}

typedef struct kpi_walk {
    jmap_strbuf *b;
    size_t n, shown;
} kpi_walk;

static void put_kpi(kpi_walk *w, const jmap_kpi *k)
{
    if (!off_track(k))
        return;
    w->n++;
    if (w->shown == LIST_MAX)
        return;
    jmap_strbuf_puts(w->b, w->shown == 0 ? " Off track: " : "; ");
    w->shown++;
    put_name(w->b, k->name.s ? k->name.s : k->id.s);
    jmap_strbuf_puts(w->b, " (");
    put_quantity(w->b, k->actual.v, &k->unit);
    jmap_strbuf_puts(w->b, k->better_v == JMAP_BETTER_LOWER ? ", target at most "
                                                            : ", target ");
    put_quantity(w->b, k->target.v, &k->unit);
    jmap_strbuf_puts(w->b, ")");
}

/* Stage KPIs stage by stage, then touchpoint KPIs in reading order of their stages. */
static void put_kpis(jmap_strbuf *b, const jmap_map *m)
{
    kpi_walk w = {b, 0, 0};
    for (size_t s = 0; s < m->n_stages; s++) {
        for (size_t k = 0; k < m->stages[s].n_kpis; k++)
            put_kpi(&w, &m->stages[s].kpis[k]);
        for (size_t i = 0; i < m->n_touchpoints; i++) {
            const jmap_touchpoint *t = &m->touchpoints[i];
            for (size_t k = 0; t->stage_ix == s && k < t->n_kpis; k++)
                put_kpi(&w, &t->kpis[k]);
        }
    }
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jmap_touchpoint *t = &m->touchpoints[i];
        for (size_t k = 0; t->stage_ix >= m->n_stages && k < t->n_kpis; k++)
            put_kpi(&w, &t->kpis[k]);
    }
    if (w.shown == 0) {
        return;
    }
    put_more(b, w.n, w.shown);
    jmap_strbuf_puts(b, ".");
}

char *jmap_summary_title(const jmap_map *map)
{
    jmap_strbuf b = {0};
    put_name(&b, has_text(&map->title) ? map->title.s : "Journey map");
    if (map->state_v == JMAP_STATE_CURRENT)
        jmap_strbuf_puts(&b, " (current state)");
    else if (map->state_v == JMAP_STATE_FUTURE)
        jmap_strbuf_puts(&b, " (future state)");
    return b.s;
}

char *jmap_summary(const jmap_map *map)
{
    jmap_strbuf b = {0};
    put_stages(&b, map);
    put_personas(&b, map);
    jmap_strbuf_puts(&b, " ");
    put_count(&b, map->n_touchpoints, "touchpoint.", "touchpoints.");
    put_moments(&b, map);
    size_t pains = 0;
    for (size_t i = 0; i < map->n_touchpoints; i++)
        pains += has_text(&map->touchpoints[i].pain);
    jmap_strbuf_puts(&b, " ");
    put_count(&b, pains, "pain point.", "pain points.");
    put_kpis(&b, map);
    return b.s;
}

/* Append a keyword unless it is already there. */
static void put_keyword(jmap_strbuf *b, size_t *n, const char *name)
{
    if (!name || *n >= KEYWORDS_MAX)
        return;
    jmap_strbuf one = {0};
    put_name(&one, name);
    size_t len = one.len;
    bool seen = false;
    for (const char *p = b->s; p && *p && !seen;) { /* items end at ", " or the end */
        const char *e = strstr(p, ", ");
        size_t l = e ? (size_t)(e - p) : strlen(p);
        seen = l == len && memcmp(p, one.s, len) == 0;
        p = e ? e + 2 : p + l;
    }
    if (!seen) {
        if (*n > 0)
            jmap_strbuf_puts(b, ", ");
        jmap_strbuf_put(b, one.s, len);
        (*n)++;
    }
    free(one.s);
}

char *jmap_summary_keywords(const jmap_map *map)
{
    jmap_strbuf b = {0};
    size_t n = 0;
    for (size_t i = 0; i < map->n_stages; i++)
        put_keyword(&b, &n, stage_name(&map->stages[i]));
    for (size_t i = 0; i < map->n_personas; i++)
        put_keyword(&b, &n, persona_name(&map->personas[i]));
    if (!b.s)
        jmap_strbuf_put(&b, "", 0);
    return b.s;
}
