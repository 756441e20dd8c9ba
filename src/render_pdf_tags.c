#include "render_pdf_tags.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cairo-pdf.h>

#include "jmap/arena.h"
#include "render_internal.h"

/* Cairo 1.16 builds the structure tree in the order the tags are opened, and a tag holds what is
 * painted while it is open: to read stage by stage, the texts are painted in reading order after
 * the decorations. No text overlaps another primitive painted after it, so the page looks the
 * same. */

enum { GROUP_TITLE, GROUP_HEADER, GROUP_STAGE };
enum { SUB_NAME, SUB_STAGE, SUB_COLUMN, SUB_AFTER };

typedef struct text_key {
    size_t prim;
    int group;
    size_t stage; /* map order (scene column's stage_ix) */
    int sub;
    size_t col; /* SUB_COLUMN: the scene column; in the header: the cell the text sits in */
} text_key;

static bool role_is(const jmap_prim *p, const char *role)
{
    return p->role && strcmp(p->role, role) == 0;
}

static bool role_starts(const jmap_prim *p, const char *prefix)
{
    return p->role && strncmp(p->role, prefix, strlen(prefix)) == 0;
}

/* The scene column whose span holds x, or s->n_cols. */
static size_t column_at(const jmap_scene *s, double x)
{
    for (size_t c = 0; c < s->n_cols; c++)
        if (x >= s->cols[c].x && x < s->cols[c].x + s->cols[c].w)
            return c;
    return s->n_cols;
}

static double grid_top(const jmap_scene *s)
{
    double top = s->height;
    for (size_t r = 0; r < s->n_rows; r++)
        top = fmin(top, s->rows[r].y);
    return top;
}

static text_key classify(const jmap_scene *s, size_t i)
{
    const jmap_prim *p = &s->prims[i];
    text_key k = {.prim = i, .group = GROUP_HEADER, .col = p->cell};
    if (role_is(p, "title")) {
        k.group = GROUP_TITLE;
        return k;
    }
    /* A stage-wide text (its name, goal, KPIs) starts in the stage's first column. Above the
     * grid (the legend) and left of it (the lane labels), texts belong to the header. */
    size_t c = column_at(s, p->box.x + fmin(p->box.w, 1) / 2);
    if (c == s->n_cols || p->box.y < grid_top(s))
        return k;
    k.group = GROUP_STAGE;
    k.stage = s->cols[c].stage_ix;
    k.col = 0;
    if (role_is(p, "stage-name"))
        k.sub = SUB_NAME;
    else if (role_starts(p, "stage-"))
        k.sub = SUB_STAGE;
    else if (role_starts(p, "kpi"))
        k.sub = SUB_AFTER;
    else {
        k.sub = SUB_COLUMN;
        k.col = c;
    }
    return k;
}

static int cmp_size(size_t a, size_t b)
{
    return (a > b) - (a < b);
}

static int key_cmp(const void *va, const void *vb)
{
    const text_key *a = va, *b = vb;
    if (a->group != b->group)
        return a->group - b->group;
    int r = cmp_size(a->stage, b->stage);
    if (r == 0 && a->sub != b->sub)
        r = a->sub - b->sub;
    if (r == 0 && a->group == GROUP_STAGE)
        r = cmp_size(a->col, b->col);
    return r ? r : cmp_size(a->prim, b->prim);
}

static bool drawn_text(const jmap_prim *p)
{
    return p->kind == JMAP_PRIM_TEXT && p->text && *p->text && p->color.a > 0;
}

static bool in_figure(const jmap_prim *p)
{
    return (p->kind == JMAP_PRIM_CURVE || p->kind == JMAP_PRIM_MARKER) &&
           role_starts(p, "emotion-");
}

/* The decorations, in painting order, outside the structure tree; the emotion curve and its
 * markers, each unbroken run of them, a Figure. */
static void paint_graphics(cairo_t *cr, const jmap_scene *s, jmap_fonts *fonts)
{
    jmap_render_background(cr, s);
    bool figure = false;
    for (size_t i = 0; i < s->n_prims; i++) {
        const jmap_prim *p = &s->prims[i];
        if (p->kind == JMAP_PRIM_TEXT || p->kind == JMAP_PRIM_LINK)
            continue;
        if (in_figure(p) != figure) {
            if (figure)
                cairo_tag_end(cr, "Figure");
            else
                cairo_tag_begin(cr, "Figure", "");
            figure = !figure;
        }
        jmap_render_prim(cr, p, fonts, NULL);
    }
    if (figure)
        cairo_tag_end(cr, "Figure");
}

/* A whole number: Cairo 1.16 parses attribute numbers with the process's locale (render_paint.c
 * says more). */
static long long whole(double v)
{
    return (long long)floor(v);
}

static void outline_stage(cairo_t *cr, const jmap_scene *s, const jmap_prim *name)
{
    double x = name->box.x, y = fmin(name->box.y, grid_top(s)); /* the whole column shows */
    cairo_user_to_device(cr, &x, &y);
    char dest[96];
    snprintf(dest, sizeof dest, "page=1 pos=[%lld %lld]", whole(x), whole(y));
    cairo_pdf_surface_add_outline(cairo_get_target(cr), CAIRO_PDF_OUTLINE_ROOT, name->text, dest,
                                  0);
}

/* True when the texts of `a` and `b` make one paragraph: a touchpoint's texts, a stage's goal,
 * its KPIs, the texts of one header cell. A heading is a paragraph of its own. One structure
 * element per paragraph rather than per line keeps the file small (docs/performance.md). */
static bool same_paragraph(const text_key *a, const text_key *b)
{
    return a->group != GROUP_TITLE && a->group == b->group && a->stage == b->stage &&
           a->sub == b->sub && a->sub != SUB_NAME && a->col == b->col;
}

/* The score an emotion-axis label names ("+2 delighted", "−2 frustrated"), or false. */
static bool axis_score(const char *text, double *score)
{
    double sign = 1;
    if (strncmp(text, "\xe2\x88\x92", 3) == 0) { /* U+2212 MINUS SIGN */
        sign = -1;
        text += 3;
    } else if (*text == '+' || *text == '-') {
        sign = *text == '-' ? -1 : 1;
        text++;
    }
    char *end;
    double v = strtod(text, &end);
    if (end == text)
        return false;
    *score = sign * v;
    return true;
}

static bool same_color(jmap_color a, jmap_color b)
{
    return a.r == b.r && a.g == b.g && a.b == b.b && a.a == b.a;
}

/* The persona a marker's colour stands for: the legend name after the chip of that colour. */
static const char *persona_of(const jmap_scene *s, jmap_color c)
{
    for (size_t i = 0; i + 1 < s->n_prims; i++) {
        const jmap_prim *p = &s->prims[i];
        if (role_is(p, "legend-chip") && same_color(p->fill, c) &&
            role_is(&s->prims[i + 1], "legend-name"))
            return s->prims[i + 1].text;
    }
    return NULL;
}

/* Each column's touchpoint name (the first card name in it), in one pass over the scene: looking
 * each marker's up by a pass of its own made the alternate text quadratic (1,000 touchpoints:
 * a fifth of the whole run). The caller frees the array. */
static const char **touchpoint_names(const jmap_scene *s)
{
    const char **names = jmap_xcalloc(s->n_cols ? s->n_cols : 1, sizeof *names);
    for (size_t i = 0; i < s->n_prims; i++) {
        const jmap_prim *p = &s->prims[i];
        if (!role_is(p, "card-name"))
            continue;
        size_t c = column_at(s, p->box.x + 1);
        if (c < s->n_cols && !names[c])
            names[c] = p->text;
    }
    return names;
}

char *jmap_pdf_figure_alt(const jmap_scene *s)
{
    /* The scale from two axis labels: a marker's centre sits on its score's label's centre. */
    double y0 = 0, v0 = 0, y1 = 0, v1 = 0;
    int labels = 0;
    for (size_t i = 0; i < s->n_prims; i++) {
        const jmap_prim *p = &s->prims[i];
        double v;
        if (!role_is(p, "emotion-axis") || !p->text || !axis_score(p->text, &v))
            continue;
        double y = p->box.y + p->box.h / 2;
        if (labels == 0 || v > v0) { /* the highest */
            y0 = y;
            v0 = v;
        }
        if (labels == 0 || v < v1) { /* the lowest */
            y1 = y;
            v1 = v;
        }
        labels++;
    }
    if (labels < 2 || v0 == v1 || y0 == y1)
        return NULL;
    jmap_strbuf b = {0};
    jmap_strbuf_puts(&b, "Emotion curve, from ");
    char num[64];
    snprintf(num, sizeof num, "%g to %g.", v1, v0);
    jmap_strbuf_puts(&b, num);
    const jmap_prim *last = NULL;
    const char **names = touchpoint_names(s);
    for (size_t i = 0; i < s->n_prims; i++) {
        const jmap_prim *p = &s->prims[i];
        if (!role_is(p, "emotion-marker"))
            continue;
        size_t col = column_at(s, p->box.x + p->box.w / 2);
        const char *what = col < s->n_cols ? names[col] : NULL;
        double y = p->box.y + p->box.h / 2;
        double v = v1 + (y - y1) * (v0 - v1) / (y0 - y1);
        v = round(v * 10) / 10;
        bool new_persona = !last || !same_color(last->stroke, p->stroke);
        jmap_strbuf_puts(&b, new_persona ? " " : ", ");
        if (new_persona) {
            const char *who = persona_of(s, p->stroke);
            jmap_strbuf_puts(&b, who ? who : "A persona");
            jmap_strbuf_puts(&b, ": ");
        }
        jmap_strbuf_puts(&b, what ? what : "a touchpoint");
        snprintf(num, sizeof num, " at %g", v == 0 ? 0 : v);
        jmap_strbuf_puts(&b, num);
        last = p;
        if (i + 1 == s->n_prims || !role_is(&s->prims[i + 1], "emotion-marker") ||
            !same_color(s->prims[i + 1].stroke, p->stroke))
            jmap_strbuf_puts(&b, ".");
    }
    free(names);
    return last ? b.s : (free(b.s), NULL);
}

void jmap_pdf_tags_paint(cairo_t *cr, const jmap_scene *s, jmap_fonts *fonts)
{
    paint_graphics(cr, s, fonts);
    size_t n = 0;
    for (size_t i = 0; i < s->n_prims; i++)
        n += drawn_text(&s->prims[i]);
    if (n == 0)
        return;
    text_key *keys = jmap_xmalloc(n * sizeof *keys);
    n = 0;
    for (size_t i = 0; i < s->n_prims; i++)
        if (drawn_text(&s->prims[i]))
            keys[n++] = classify(s, i);
    qsort(keys, n, sizeof *keys, key_cmp);

    cairo_tag_begin(cr, "Document", "");
    bool sect = false;
    for (size_t i = 0; i < n; i++) {
        const text_key *k = &keys[i];
        const jmap_prim *p = &s->prims[k->prim];
        bool opens = k->group == GROUP_STAGE && (i == 0 || keys[i - 1].group != GROUP_STAGE ||
                                                 keys[i - 1].stage != k->stage);
        if (opens) {
            if (sect)
                cairo_tag_end(cr, "Sect");
            cairo_tag_begin(cr, "Sect", "");
            sect = true;
        }
        bool heading = k->group == GROUP_STAGE && k->sub == SUB_NAME;
        if (heading)
            outline_stage(cr, s, p);
        const char *tag = k->group == GROUP_TITLE ? "H1" : heading ? "H2" : "P";
        if (i == 0 || opens || !same_paragraph(&keys[i - 1], k))
            cairo_tag_begin(cr, tag, "");
        jmap_render_prim(cr, p, fonts, NULL);
        if (i + 1 == n || !same_paragraph(k, &keys[i + 1]))
            cairo_tag_end(cr, tag);
    }
    if (sect)
        cairo_tag_end(cr, "Sect");
    cairo_tag_end(cr, "Document");
    free(keys);
}
