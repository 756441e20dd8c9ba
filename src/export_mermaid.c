#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jmap/arena.h"
#include "jmap/export_mermaid.h"
#include "jmap/sanitize.h"

/*
 * Mermaid's journey lexer (packages/mermaid/src/diagrams/user-journey/parser/journey.jison)
 * ends a title at `#`, `;` or a newline, a section or a task name at `:` too, skips `#...` and
 * `X%%...` as comments, splits a task's actors at `,` and trims them, and matches the keywords
 * `journey`, `title `, `section `, `accTitle` and `accDescr` (any case) before a task name.
 * Mermaid decodes `#NN;` entity codes before it parses, so every such character is written as
 * one. `<` `>` `&` are codes too, so that no name is read as HTML, and a newline is `<br>`, which
 * the journey renderer draws as a line break. Mermaid's encodeEntities also rewrites a line
 * matching `style.*:\S*#.*;` (a CSS style); every `:` jmap writes is followed by a space and
 * every `:` in a name is a code, so no line matches.
 */

static void put_code(jmap_strbuf *b, unsigned code)
{
    char tmp[16];
    int n = snprintf(tmp, sizeof tmp, "#%u;", code);
    jmap_strbuf_put(b, tmp, (size_t)n);
}

static bool starts_like_keyword(const char *s)
{
    static const char *const words[] = {"journey", "title", "section", "acctitle", "accdescr"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strncasecmp(s, words[i], strlen(words[i])) == 0)
            return true;
    }
    return false;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

char *jmap_export_mermaid_escape(const char *s, jmap_mermaid_field field)
{
    jmap_strbuf b = {0};
    if (!s)
        s = "";
    size_t n = strlen(s), lead = 0, end = n;
    while (lead < n && is_blank(s[lead]))
        lead++;
    while (end > lead && is_blank(s[end - 1]))
        end--;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        bool edge = i < lead || i >= end;
        if (c == '\n')
            jmap_strbuf_puts(&b, "<br>");
        else if (edge || strchr("#;:%<>&", c) || (c == ',' && field == JMAP_MERMAID_ACTOR))
            put_code(&b, c);
        else if (c < 0x20 || c == 0x7f)
            put_code(&b, 0xfffd); /* a control character: XML cannot hold it */
        else if (i == lead && field == JMAP_MERMAID_TASK && starts_like_keyword(s + i))
            put_code(&b, c);
        else
            jmap_strbuf_put(&b, (const char *)&c, 1);
    }
    if (b.len == 0)
        put_code(&b, ' ');
    return b.s;
}

int jmap_export_mermaid_score(jmap_num emotion)
{
    if (!emotion.set || isnan(emotion.v))
        return 3;
    double v = emotion.v > 2 ? 2 : emotion.v < -2 ? -2 : emotion.v;
    return (int)lround(v) + 3;
}

/* The persona --persona names, JMAP_NONE for all, as layout.c chooses it. */
static size_t only_index(const jmap_map *m, const char *only)
{
    for (size_t i = 0; only && i < m->n_personas; i++) {
        if (m->personas[i].id.s && strcmp(m->personas[i].id.s, only) == 0)
            return i;
    }
    return JMAP_NONE;
}

/* Is the touchpoint shown: on a known stage, and on the persona asked for, if any? */
static bool shown(const jmap_map *m, const jmap_touchpoint *tp, const char *only, size_t oi)
{
    if (tp->stage_ix >= m->n_stages)
        return false;
    if (!only)
        return true;
    for (size_t k = 0; k < tp->n_persona_ix; k++) {
        if (tp->persona_ix[k] == oi)
            return true;
    }
    return false;
}

static const char *persona_name(const jmap_persona *p)
{
    return p->name.s ? p->name.s : p->id.s;
}

static void put_field(jmap_strbuf *b, const char *s, jmap_mermaid_field f)
{
    char *e = jmap_export_mermaid_escape(s, f);
    jmap_strbuf_puts(b, e);
    free(e);
}

static void put_task(jmap_strbuf *b, const jmap_map *m, const jmap_touchpoint *tp, size_t oi)
{
    char score[16];
    jmap_strbuf_puts(b, "    ");
    put_field(b, tp->name.s, JMAP_MERMAID_TASK);
    snprintf(score, sizeof score, ": %d", jmap_export_mermaid_score(tp->emotion));
    jmap_strbuf_puts(b, score);
    const char *sep = ": ";
    for (size_t k = 0; k < tp->n_persona_ix; k++) {
        size_t p = tp->persona_ix[k];
        if (p >= m->n_personas || (oi != JMAP_NONE && p != oi) || !persona_name(&m->personas[p]))
            continue;
        jmap_strbuf_puts(b, sep);
        put_field(b, persona_name(&m->personas[p]), JMAP_MERMAID_ACTOR);
        sep = ", ";
    }
    jmap_strbuf_puts(b, "\n");
}

/* "dir/map.yaml" -> "map.yaml": the comment must not change with the folder a build ran in. */
static void put_source(jmap_strbuf *b, const char *source)
{
    const char *base = strrchr(source, '/');
    base = base ? base + 1 : source;
    if (strcmp(source, "-") == 0)
        base = "standard input";
    char *safe = jmap_sanitize(base); /* no newline or control character can end the comment */
    jmap_strbuf_puts(b, "  %% jmap export of ");
    /* Mermaid looks for `%%{...}%%` directives everywhere, comments included: no `%` here */
    for (const char *c = safe; *c; c++) {
        if (*c == '%')
            put_code(b, '%');
        else
            jmap_strbuf_put(b, c, 1);
    }
    jmap_strbuf_puts(b, "\n");
    free(safe);
}

char *jmap_export_mermaid_write(const jmap_map *m, const jmap_mermaid_opts *o, size_t *len)
{
    jmap_strbuf b = {0};
    const char *only = o ? o->only_persona : NULL;
    size_t oi = only_index(m, only);
    if (o && o->markdown)
        jmap_strbuf_puts(&b, "```mermaid\n");
    jmap_strbuf_puts(&b, "journey\n");
    if (o && o->source)
        put_source(&b, o->source);
    if (m->title.s) {
        jmap_strbuf_puts(&b, "  title ");
        put_field(&b, m->title.s, JMAP_MERMAID_TITLE);
        jmap_strbuf_puts(&b, "\n");
    }
    /* Touchpoints bucketed by stage, each bucket in written order. */
    size_t *first = jmap_xcalloc(m->n_stages + 1, sizeof(size_t));
    size_t *order = jmap_xcalloc(m->n_touchpoints + 1, sizeof(size_t));
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        if (shown(m, &m->touchpoints[i], only, oi))
            first[m->touchpoints[i].stage_ix + 1]++;
    }
    for (size_t s = 0; s < m->n_stages; s++)
        first[s + 1] += first[s];
    size_t *fill = jmap_xcalloc(m->n_stages + 1, sizeof(size_t));
    memcpy(fill, first, (m->n_stages + 1) * sizeof(size_t));
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        if (shown(m, &m->touchpoints[i], only, oi))
            order[fill[m->touchpoints[i].stage_ix]++] = i;
    }
    for (size_t s = 0; s < m->n_stages; s++) {
        if (first[s] == first[s + 1])
            continue;
        const jmap_stage *st = &m->stages[s];
        jmap_strbuf_puts(&b, "  section ");
        put_field(&b, st->name.s ? st->name.s : st->id.s, JMAP_MERMAID_SECTION);
        jmap_strbuf_puts(&b, "\n");
        for (size_t k = first[s]; k < first[s + 1]; k++)
            put_task(&b, m, &m->touchpoints[order[k]], oi);
    }
    free(first);
    free(fill);
    free(order);
    if (o && o->markdown)
        jmap_strbuf_puts(&b, "```\n");
    *len = b.len;
    return b.s;
}

/* What the export leaves out, in the order the note lists it. */
enum {
    LOST_SUBTITLE,
    LOST_STATE,
    LOST_STAGE_EMPTY,
    LOST_STAGE_GOAL,
    LOST_STAGE_DESC,
    LOST_KPI,
    LOST_ACTION,
    LOST_THOUGHT,
    LOST_PAIN,
    LOST_OPPORTUNITY,
    LOST_BACKSTAGE,
    LOST_CHANNEL,
    LOST_OWNER,
    LOST_URL,
    LOST_ROLE,
    LOST_GOAL,
    LOST_COUNT
};

static const char *const lost_names[LOST_COUNT][2] = {
    {"subtitle", "subtitles"},
    {"state", "states"},
    {"stage without touchpoints", "stages without touchpoints"},
    {"stage goal", "stage goals"},
    {"stage description", "stage descriptions"},
    {"KPI", "KPIs"},
    {"action", "actions"},
    {"thought", "thoughts"},
    {"pain point", "pain points"},
    {"opportunity", "opportunities"},
    {"backstage note", "backstage notes"},
    {"channel", "channels"},
    {"owner", "owners"},
    {"link", "links"},
    {"persona role", "persona roles"},
    {"persona goal", "persona goals"},
};

static void count_touchpoint(const jmap_touchpoint *tp, size_t *lost)
{
    lost[LOST_KPI] += tp->n_kpis;
    lost[LOST_ACTION] += tp->action.s != NULL;
    lost[LOST_THOUGHT] += tp->thought.s != NULL;
    lost[LOST_PAIN] += tp->pain.s != NULL;
    lost[LOST_OPPORTUNITY] += tp->opportunity.s != NULL;
    lost[LOST_BACKSTAGE] += tp->backstage.s != NULL;
    lost[LOST_CHANNEL] += tp->channel.s != NULL;
    lost[LOST_OWNER] += tp->owner.s != NULL;
    lost[LOST_URL] += tp->url.s != NULL;
}

size_t jmap_export_mermaid_note(const jmap_map *m, const char *only, jmap_diags *d)
{
    size_t lost[LOST_COUNT] = {0};
    size_t oi = only_index(m, only);
    lost[LOST_SUBTITLE] = m->subtitle.s != NULL;
    lost[LOST_STATE] = m->state.s != NULL;
    bool *used = jmap_xcalloc(m->n_stages + 1, sizeof(bool));
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jmap_touchpoint *tp = &m->touchpoints[i];
        if (!shown(m, tp, only, oi))
            continue;
        used[tp->stage_ix] = true;
        count_touchpoint(tp, lost);
    }
    for (size_t s = 0; s < m->n_stages; s++) {
        const jmap_stage *st = &m->stages[s];
        lost[LOST_STAGE_EMPTY] += !used[s];
        lost[LOST_STAGE_GOAL] += st->goal.s != NULL;
        lost[LOST_STAGE_DESC] += st->description.s != NULL;
        lost[LOST_KPI] += st->n_kpis;
    }
    free(used);
    for (size_t p = 0; p < m->n_personas; p++) {
        if (oi != JMAP_NONE && p != oi)
            continue;
        lost[LOST_ROLE] += m->personas[p].role.s != NULL;
        lost[LOST_GOAL] += m->personas[p].n_goals;
    }
    jmap_strbuf b = {0};
    size_t total = 0;
    for (int k = 0; k < LOST_COUNT; k++) {
        if (!lost[k])
            continue;
        char num[32];
        snprintf(num, sizeof num, "%s%zu ", total ? ", " : "", lost[k]);
        jmap_strbuf_puts(&b, num);
        jmap_strbuf_puts(&b, lost_names[k][lost[k] != 1]);
        total += lost[k];
    }
    if (total) {
        jmap_diag_add(d, JMAP_SEV_NOTE, "mermaid-lossy", (jmap_loc){.file = m->file},
                      "mermaid cannot show %s", b.s);
        jmap_diag_hint(d, "build svg, pdf or png to show the whole map");
    }
    free(b.s);
    return total;
}
