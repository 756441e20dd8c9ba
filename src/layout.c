#include "jmap/layout.h"

#include <string.h>

#include "layout_internal.h"

/*
 * The grid: step columns (stages in model order, their touchpoints in written order), rows (the
 * lanes to draw), and the cells of the text lanes. Rows are built with y relative to their top
 * and moved into place once every height is known, so each cell is measured exactly once and
 * the whole pass stays linear in the number of touchpoints.
 */

#define MIN_ROW_H 36.0

/* Which touchpoints and personas are drawn, and in which colours. */
static void choose_visible(lay *L, const char *only_persona)
{
    const jmap_map *m = L->m;
    L->persona_visible = jmap_arena_calloc(L->a, m->n_personas, sizeof(bool));
    L->persona_col = jmap_arena_calloc(L->a, m->n_personas, sizeof(jmap_color));
    size_t only = JMAP_NONE;
    for (size_t i = 0; i < m->n_personas; i++) {
        const char *id = m->personas[i].id.s;
        L->persona_visible[i] = !only_persona || (id && strcmp(id, only_persona) == 0);
        if (only_persona && L->persona_visible[i] && only == JMAP_NONE)
            only = i;
        L->persona_col[i] = jmap_theme_persona_color(L->t, m, i);
    }
    L->tp_visible = jmap_arena_calloc(L->a, m->n_touchpoints, sizeof(bool));
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jmap_touchpoint *tp = &m->touchpoints[i];
        bool vis = tp->stage_ix < m->n_stages;
        if (vis && only_persona) {
            vis = false;
            for (size_t k = 0; k < tp->n_persona_ix; k++)
                vis = vis || tp->persona_ix[k] == only;
        }
        L->tp_visible[i] = vis;
    }
}

/* Step columns: bucket the touchpoints by stage (counting sort keeps the written order). */
static void make_columns(lay *L)
{
    const jmap_map *m = L->m;
    const jmap_theme_space *sp = &L->t->sp;
    size_t ns = m->n_stages;
    L->stage_first_col = jmap_arena_calloc(L->a, ns ? ns : 1, sizeof(size_t));
    L->stage_n_cols = jmap_arena_calloc(L->a, ns ? ns : 1, sizeof(size_t));
    size_t *fill = jmap_arena_calloc(L->a, ns ? ns : 1, sizeof(size_t));
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        if (L->tp_visible[i])
            L->stage_n_cols[m->touchpoints[i].stage_ix]++;
    }
    size_t n = 0;
    for (size_t s = 0; s < ns; s++) {
        L->stage_first_col[s] = n;
        n += L->stage_n_cols[s] ? L->stage_n_cols[s] : 1;
    }
    jmap_scene_col *cols = jmap_arena_calloc(L->a, n ? n : 1, sizeof *cols);
    for (size_t s = 0; s < ns; s++) {
        cols[L->stage_first_col[s]].stage_ix = s;
        cols[L->stage_first_col[s]].touchpoint_ix = JMAP_NONE;
    }
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        if (!L->tp_visible[i])
            continue;
        size_t s = m->touchpoints[i].stage_ix;
        jmap_scene_col *c = &cols[L->stage_first_col[s] + fill[s]++];
        c->stage_ix = s;
        c->touchpoint_ix = i;
    }
    for (size_t s = 0; s < ns; s++) {
        if (!L->stage_n_cols[s])
            L->stage_n_cols[s] = 1;
    }
    double x = sp->margin + sp->label_w + sp->stage_gap;
    for (size_t c = 0; c < n; c++) {
        if (c > 0)
            x += cols[c].stage_ix != cols[c - 1].stage_ix ? sp->stage_gap : sp->step_gap;
        cols[c].x = x;
        cols[c].w = sp->step_w;
        x += sp->step_w;
    }
    L->grid_x = sp->margin + sp->label_w + sp->stage_gap;
    L->grid_right = n ? x : L->grid_x;
    L->s->cols = cols;
    L->s->n_cols = n;
}

static bool has_text(const jmap_str *s)
{
    return s->s && s->s[0];
}

/* Which lanes have something to show (for maps without `lanes:`). */
static void lanes_with_data(const lay *L, bool *has)
{
    const jmap_map *m = L->m;
    has[JMAP_LANE_STAGES] = true;
    for (size_t i = 0; i < m->n_touchpoints; i++) {
        const jmap_touchpoint *tp = &m->touchpoints[i];
        if (!L->tp_visible[i])
            continue;
        has[JMAP_LANE_TOUCHPOINTS] = true;
        has[JMAP_LANE_ACTIONS] |= has_text(&tp->action);
        has[JMAP_LANE_THOUGHTS] |= has_text(&tp->thought);
        has[JMAP_LANE_EMOTIONS] |= tp->emotion.set;
        has[JMAP_LANE_PAINS] |= has_text(&tp->pain);
        has[JMAP_LANE_OPPORTUNITIES] |= has_text(&tp->opportunity);
        has[JMAP_LANE_BACKSTAGE] |= has_text(&tp->backstage) || has_text(&tp->owner);
        has[JMAP_LANE_KPIS] |= tp->n_kpis > 0;
    }
    for (size_t s = 0; s < m->n_stages; s++)
        has[JMAP_LANE_KPIS] |= m->stages[s].n_kpis > 0;
}

static const char *lane_title(jmap_lane lane)
{
    switch (lane) {
    case JMAP_LANE_STAGES:
        return "STAGES";
    case JMAP_LANE_TOUCHPOINTS:
        return "TOUCHPOINTS";
    case JMAP_LANE_ACTIONS:
        return "ACTIONS";
    case JMAP_LANE_THOUGHTS:
        return "THOUGHTS";
    case JMAP_LANE_EMOTIONS:
        return "EMOTIONS";
    case JMAP_LANE_PAINS:
        return "PAIN POINTS";
    case JMAP_LANE_OPPORTUNITIES:
        return "OPPORTUNITIES";
    case JMAP_LANE_BACKSTAGE:
        return "BACKSTAGE";
    case JMAP_LANE_KPIS:
        return "KPIS";
    case JMAP_LANE_COUNT:
        break;
    }
    return "";
}

/* The label band down the left of a row, and the lane's name on it; returns the height the
 * label needs. */
static double lane_label(lay *L, jmap_lane lane, size_t *band)
{
    const jmap_theme *t = L->t;
    const jmap_theme_space *sp = &t->sp;
    *band = lay_rect(L, "lane-band", (jmap_rect){sp->margin, 0, sp->label_w, 0}, t->c.label_band,
                     (jmap_color){0}, 0, sp->radius);
    L->meta[*band].grow = true;
    jmap_font f = lay_caps(L);
    double h =
        lay_text(L, "lane-label", lane_title(lane), &f, t->c.text_secondary, sp->margin + sp->pad,
                 sp->pad + 2, sp->label_w - 2 * sp->pad, JMAP_ALIGN_LEFT, (jmap_loc){0}, *band);
    return sp->pad + 2 + h + sp->pad;
}

/* A cell that fills its row. */
static size_t row_cell(lay *L, const char *role, double x, double w, jmap_color fill,
                       jmap_color stroke)
{
    size_t ix = lay_rect(L, role, (jmap_rect){x, 0, w, 0}, fill, stroke, 1, L->t->sp.radius);
    L->meta[ix].grow = true;
    return ix;
}

static double lane_stages(lay *L)
{
    const jmap_theme *t = L->t;
    const jmap_theme_space *sp = &t->sp;
    const jmap_scene_col *cols = L->s->cols;
    double most = 0;
    for (size_t s = 0; s < L->m->n_stages; s++) {
        const jmap_stage *st = &L->m->stages[s];
        const jmap_scene_col *first = &cols[L->stage_first_col[s]];
        const jmap_scene_col *last = first + L->stage_n_cols[s] - 1;
        double x = first->x, w = last->x + last->w - first->x;
        size_t tint = s % JMAP_THEME_STAGE_TINTS;
        size_t cell = row_cell(L, "cell.stage", x, w, t->c.stage_fill[tint], (jmap_color){0});
        lay_rect(L, "stage-bar", (jmap_rect){x + sp->pad, 6, w - 2 * sp->pad, 3},
                 t->c.stage_accent[tint], (jmap_color){0}, 0, 1.5);
        double y = 16;
        jmap_font name = lay_font(L, JMAP_STYLE_HEADING);
        const jmap_str *label = has_text(&st->name) ? &st->name : &st->id;
        y += lay_text(L, "stage-name", label->s ? label->s : "", &name, t->c.text, x + sp->pad, y,
                      w - 2 * sp->pad, JMAP_ALIGN_LEFT, label->loc, cell);
        if (has_text(&st->goal)) {
            jmap_font gf = lay_font(L, JMAP_STYLE_BODY);
            y += 3;
            y += lay_text(L, "stage-goal", st->goal.s, &gf, t->c.text_secondary, x + sp->pad, y,
                          w - 2 * sp->pad, JMAP_ALIGN_LEFT, st->goal.loc, cell);
        }
        y += sp->pad + 2;
        if (y > most)
            most = y;
    }
    return most;
}

static double lane_cards(lay *L)
{
    const jmap_theme *t = L->t;
    const jmap_theme_space *sp = &t->sp;
    const jmap_map *m = L->m;
    double most = 0;
    for (size_t c = 0; c < L->s->n_cols; c++) {
        const jmap_scene_col *col = &L->s->cols[c];
        if (col->touchpoint_ix == JMAP_NONE) {
            row_cell(L, "cell.empty", col->x, col->w, t->c.empty_fill, (jmap_color){0});
            continue;
        }
        const jmap_touchpoint *tp = &m->touchpoints[col->touchpoint_ix];
        size_t card = lay_rect(L, "card", (jmap_rect){col->x, 0, col->w, 0}, t->c.card_fill,
                               t->c.card_stroke, 1, sp->radius + 2);
        L->meta[card].grow = true;
        double x = col->x + sp->pad + 2, w = col->w - 2 * (sp->pad + 2);
        double y = sp->pad + 2;
        jmap_font nf = lay_font(L, JMAP_STYLE_STRONG);
        y += lay_text(L, "card-name", tp->name.s ? tp->name.s : "", &nf, t->c.text, x, y, w,
                      JMAP_ALIGN_LEFT, tp->name.loc, card);
        if (has_text(&tp->channel)) {
            jmap_font cf = lay_font(L, JMAP_STYLE_LABEL);
            y += 2;
            y += lay_text(L, "card-channel", tp->channel.s, &cf, t->c.text_secondary, x, y, w,
                          JMAP_ALIGN_LEFT, tp->channel.loc, card);
        }
        /* one chip per persona, wrapping when there are many */
        double step = sp->chip + 3, cx = 0;
        bool any = false;
        y += 6;
        for (size_t k = 0; k < tp->n_persona_ix; k++) {
            size_t p = tp->persona_ix[k];
            if (p >= m->n_personas || !L->persona_visible[p])
                continue;
            if (cx > 0 && cx + sp->chip > w) {
                cx = 0;
                y += step;
            }
            double on, off;
            int shape;
            jmap_theme_persona_style(t, p, &on, &off, &shape);
            lay_marker(L, "persona-chip", (jmap_point){x + cx + sp->chip / 2, y + sp->chip / 2},
                       sp->chip, shape, L->persona_col[p], (jmap_color){0}, 0);
            cx += step;
            any = true;
        }
        if (any)
            y += sp->chip;
        else
            y -= 6;
        y += sp->pad + 2;
        if (has_text(&tp->url)) {
            jmap_prim *lk = lay_push(L, JMAP_PRIM_LINK, "link");
            lk->box = (jmap_rect){col->x, 0, col->w, 0};
            lk->url = tp->url.s;
            L->meta[L->s->n_prims - 1].grow = true;
        }
        if (y > most)
            most = y;
    }
    return most;
}

typedef struct text_lane {
    const char *cell_role, *text_role;
    const char *prefix, *suffix;
    size_t field; /* offsetof the jmap_str in jmap_touchpoint */
    bool italic, accent, backstage;
} text_lane;

static double lane_text(lay *L, jmap_lane lane)
{
    const jmap_theme *t = L->t;
    const jmap_theme_space *sp = &t->sp;
    text_lane tl;
    jmap_color fill = t->c.cell_fill, accent = {0};
    switch (lane) {
    case JMAP_LANE_ACTIONS:
        tl = (text_lane){.cell_role = "cell.action",
                         .text_role = "action",
                         .prefix = "",
                         .suffix = "",
                         .field = offsetof(jmap_touchpoint, action)};
        break;
    case JMAP_LANE_THOUGHTS:
        tl = (text_lane){.cell_role = "cell.thought",
                         .text_role = "thought",
                         .prefix = "“",
                         .suffix = "”",
                         .field = offsetof(jmap_touchpoint, thought),
                         .italic = true};
        break;
    case JMAP_LANE_PAINS:
        tl = (text_lane){.cell_role = "cell.pain",
                         .text_role = "pain",
                         .prefix = "⚠ ",
                         .suffix = "",
                         .field = offsetof(jmap_touchpoint, pain),
                         .accent = true};
        fill = t->c.pain_fill;
        accent = t->c.pain_accent;
        break;
    case JMAP_LANE_OPPORTUNITIES:
        tl = (text_lane){.cell_role = "cell.opportunity",
                         .text_role = "opportunity",
                         .prefix = "★ ",
                         .suffix = "",
                         .field = offsetof(jmap_touchpoint, opportunity),
                         .accent = true};
        fill = t->c.opportunity_fill;
        accent = t->c.opportunity_accent;
        break;
    default:
        tl = (text_lane){.cell_role = "cell.backstage",
                         .text_role = "backstage",
                         .prefix = "",
                         .suffix = "",
                         .field = offsetof(jmap_touchpoint, backstage),
                         .backstage = true};
        fill = t->c.backstage_fill;
        break;
    }
    double most = 0;
    for (size_t c = 0; c < L->s->n_cols; c++) {
        const jmap_scene_col *col = &L->s->cols[c];
        const jmap_touchpoint *tp =
            col->touchpoint_ix == JMAP_NONE ? NULL : &L->m->touchpoints[col->touchpoint_ix];
        const jmap_str *v = tp ? (const jmap_str *)((const char *)tp + tl.field) : NULL;
        bool show = v && (has_text(v) || (tl.backstage && has_text(&tp->owner)));
        if (!show) {
            row_cell(L, "cell.empty", col->x, col->w, t->c.empty_fill, (jmap_color){0});
            continue;
        }
        size_t cell = row_cell(L, tl.cell_role, col->x, col->w, fill, (jmap_color){0});
        double x = col->x + sp->pad, w = col->w - 2 * sp->pad;
        if (tl.accent) {
            const char *role = lane == JMAP_LANE_PAINS ? "pain-bar" : "opportunity-bar";
            size_t bar =
                lay_rect(L, role, (jmap_rect){col->x + 5, sp->pad, sp->accent_w, -2 * sp->pad},
                         accent, (jmap_color){0}, 0, sp->accent_w / 2);
            L->meta[bar].grow = true;
            x = col->x + 5 + sp->accent_w + 6;
            w = col->x + col->w - sp->pad - x;
        }
        double y = sp->pad;
        if (has_text(v)) {
            jmap_font f = lay_font(L, tl.italic ? JMAP_STYLE_QUOTE : JMAP_STYLE_BODY);
            /* a thought cut short still closes its quote: “…” */
            jmap_text_size ts;
            const char *text =
                lay_fit(L, tl.text_role, tl.prefix, v->s, tl.suffix, &f, w, v->loc, &ts);
            y += lay_put_text(L, tl.text_role, text, &ts, &f, t->c.text, x, y, w, JMAP_ALIGN_LEFT,
                              v->loc, cell);
        }
        if (tl.backstage && has_text(&tp->owner)) {
            jmap_font f = lay_font(L, JMAP_STYLE_LABEL);
            if (y > sp->pad)
                y += 4;
            const char *text = jmap_arena_printf(L->a, "Owner: %s", tp->owner.s);
            y += lay_text(L, "backstage-owner", text, &f, t->c.text_secondary, x, y, w,
                          JMAP_ALIGN_LEFT, tp->owner.loc, cell);
        }
        y += sp->pad;
        if (y > most)
            most = y;
    }
    return most;
}

/* The dashed line of visibility across the map, in the gap above the backstage row. */
static void visibility_line(lay *L, double gap)
{
    const jmap_theme *t = L->t;
    const jmap_theme_space *sp = &t->sp;
    double y = -gap / 2;
    jmap_prim *ln = lay_push(L, JMAP_PRIM_LINE, "visibility-line");
    jmap_point *pts = lay_points(L, 2);
    pts[0] = (jmap_point){sp->margin, y};
    pts[1] = (jmap_point){L->grid_right, y};
    ln->pts = pts;
    ln->n_pts = 2;
    ln->box = (jmap_rect){sp->margin, y, L->grid_right - sp->margin, 0};
    ln->stroke = t->c.visibility_line;
    ln->stroke_width = 1;
    ln->dash_on = 4;
    ln->dash_off = 3;

    jmap_font f = lay_caps(L);
    const char *label = "LINE OF VISIBILITY";
    jmap_text_size ts = lay_measure(L, label, &f, 0);
    double w = ts.w + 12, h = ts.h + 4;
    size_t tag = lay_rect(L, "visibility-tag", (jmap_rect){sp->margin, y - h / 2, w, h},
                          t->c.background, t->c.visibility_line, 0.75, h / 2);
    lay_text(L, "visibility-label", label, &f, t->c.text_secondary, sp->margin + 6, y - h / 2 + 2,
             ts.w + 2, JMAP_ALIGN_LEFT, (jmap_loc){0}, tag);
}

static double visibility_gap(lay *L)
{
    jmap_font f = lay_caps(L);
    jmap_text_size ts = lay_measure(L, "LINE OF VISIBILITY", &f, 0);
    double need = ts.h + 4 + 8;
    return need > L->t->sp.visibility_gap ? need : L->t->sp.visibility_gap;
}

/* Move every row-relative prim into place. */
static void finish(lay *L)
{
    jmap_scene *s = L->s;
    for (size_t i = 0; i < s->n_prims; i++) {
        size_t r = L->meta[i].row;
        if (r == JMAP_NONE)
            continue;
        jmap_prim *p = &s->prims[i];
        double dy = s->rows[r].y;
        p->box.y += dy;
        if (L->meta[i].grow)
            p->box.h += s->rows[r].h;
        if (p->n_pts) {
            jmap_point *pts = (jmap_point *)p->pts;
            for (size_t k = 0; k < p->n_pts; k++)
                pts[k].y += dy;
        }
    }
}

jmap_scene *jmap_layout_build(jmap_arena *a, const jmap_map *m, const jmap_layout_opts *o,
                              const jmap_text_measurer *tm, jmap_diags *d)
{
    if (!a || !m || !tm)
        return NULL;
    lay L = {.a = a, .m = m, .tm = tm, .d = d, .row = JMAP_NONE};
    L.t = o && o->theme ? o->theme : jmap_theme_get(JMAP_THEME_LIGHT);
    const jmap_theme_space *sp = &L.t->sp;
    jmap_scene *s = jmap_arena_alloc(a, sizeof *s);
    L.s = s;
    s->background = L.t->c.background;
    s->title = m->title.s;

    choose_visible(&L, o ? o->only_persona : NULL);
    make_columns(&L);
    double min_w = lay_header_min_width(&L);
    L.content_right = L.grid_right;
    if (L.content_right < sp->margin + min_w)
        L.content_right = sp->margin + min_w;
    s->width = L.content_right + sp->margin;

    double y = lay_header(&L, sp->margin) + sp->header_gap;

    bool has[JMAP_LANE_COUNT] = {false};
    lanes_with_data(&L, has);
    s->rows = jmap_arena_calloc(a, m->n_lane_order ? m->n_lane_order : 1, sizeof *s->rows);
    double vgap = visibility_gap(&L);
    for (size_t i = 0; i < m->n_lane_order; i++) {
        jmap_lane lane = m->lane_order[i];
        if ((unsigned)lane >= JMAP_LANE_COUNT || (!m->lanes_chosen && !has[lane]))
            continue;
        size_t r = s->n_rows++;
        L.row = r;
        jmap_scene_row *row = &s->rows[r];
        row->lane = lane;
        size_t band;
        double label_h = lane_label(&L, lane, &band);
        double h;
        switch (lane) {
        case JMAP_LANE_STAGES:
            h = lane_stages(&L);
            break;
        case JMAP_LANE_TOUCHPOINTS:
            h = lane_cards(&L);
            break;
        case JMAP_LANE_EMOTIONS:
            h = lay_lane_emotions(&L, label_h, band);
            break;
        case JMAP_LANE_KPIS:
            h = lay_lane_kpis(&L);
            break;
        default:
            h = lane_text(&L, lane);
            break;
        }
        if (h < label_h)
            h = label_h;
        if (h < MIN_ROW_H)
            h = MIN_ROW_H;
        if (lane == JMAP_LANE_BACKSTAGE) {
            visibility_line(&L, vgap);
            if (r > 0)
                y += vgap - sp->row_gap;
        }
        row->y = y;
        row->h = h;
        y += h + sp->row_gap;
    }
    L.row = JMAP_NONE;
    finish(&L);
    s->height = (s->n_rows ? y - sp->row_gap : y - sp->header_gap) + sp->margin;
    return s;
}
