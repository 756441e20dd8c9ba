#include "jmap/layout.h"

#include <string.h>

#include "layout_internal.h"

/*
 * The KPI lane. Stage KPIs sit in a cell spanning the stage's steps, flowing into as many
 * sub-columns as the stage has steps; touchpoint KPIs sit under their own step, below. Each KPI
 * is its name, then "actual / target unit" in tabular figures, then its status when both are
 * known: colour AND a marker that carries the status as the word beside it does (✓ on track,
 * ✗ off track), so it reads without colour. Not a triangle: ▲ and ▼ read as a direction, and a
 * lower-is-better KPI on track sits below its target, so a triangle would be misread on every
 * such KPI whichever meaning it had. The figures say the direction. A KPI with joined data
 * also shows its trend under the figures (layout_trend.c).
 */

typedef struct kpi_status {
    bool known, on_track;
    const char *text;
} kpi_status;

static kpi_status status_of(const jmap_kpi *k)
{
    kpi_status st = {0};
    if (!k->actual.set || !k->target.set)
        return st;
    bool lower = k->better_v == JMAP_BETTER_LOWER;
    double a = k->actual.v, t = k->target.v;
    st.known = true;
    st.on_track = lower ? a <= t : a >= t; /* reaching the target exactly is on track */
    st.text = st.on_track ? "✓ on track" : "✗ off track";
    return st;
}

/* "42,000 / 50,000 people", "3.1% / 2.5%", "42,000 people", "target 50,000 people". */
static const char *kpi_figures(lay *L, const jmap_kpi *k)
{
    static const jmap_str none = {0};
    if (k->actual.set && k->target.set) {
        char *a = lay_quantity(L, &k->actual, lay_unit_glued(k->unit.s) ? &k->unit : &none);
        char *t = lay_quantity(L, &k->target, &k->unit);
        return jmap_arena_printf(L->a, "%s / %s", a, t);
    }
    if (k->actual.set)
        return lay_quantity(L, &k->actual, &k->unit);
    if (k->target.set)
        return jmap_arena_printf(L->a, "target %s", lay_quantity(L, &k->target, &k->unit));
    return NULL;
}

/* One KPI at (x, y) in width w; returns its height. */
static double kpi_item(lay *L, const jmap_kpi *k, double x, double y, double w, size_t cell)
{
    const jmap_theme *t = L->t;
    double y0 = y;
    jmap_font nf = lay_font(L, JMAP_STYLE_LABEL);
    y += lay_text(L, "kpi-name", k->name.s ? k->name.s : "", &nf, t->c.text_secondary, x, y, w,
                  JMAP_ALIGN_LEFT, k->name.loc, cell);
    const char *fig = kpi_figures(L, k);
    kpi_status st = status_of(k);
    if (!fig)
        return y - y0;
    y += 2;
    jmap_font vf = lay_font(L, JMAP_STYLE_STRONG);
    vf.tabular = true;
    jmap_loc at = k->actual.set ? k->actual.loc : k->target.loc;
    if (!st.known) {
        y += lay_text(L, "kpi-value", fig, &vf, t->c.text, x, y, w, JMAP_ALIGN_LEFT, at, cell);
        y += lay_kpi_trend(L, k, x, y, w, cell, t->c.spark);
        return y - y0;
    }
    jmap_font sf = lay_font(L, JMAP_STYLE_LABEL);
    jmap_color sc = st.on_track ? t->c.on_track : t->c.off_track;
    jmap_text_size vs;
    fig = lay_fit(L, "kpi-value", NULL, fig, NULL, &vf, w, at, &vs);
    jmap_text_size ss = lay_measure(L, st.text, &sf, 0);
    if (vs.lines == 1 && vs.w + 8 + ss.w <= w) {
        /* the status beside the figures, on their baseline */
        jmap_text_size one = lay_measure(L, fig, &vf, vs.w + 1);
        double vh = lay_put_text(L, "kpi-value", fig, &one, &vf, t->c.text, x, y, vs.w + 1,
                                 JMAP_ALIGN_LEFT, at, cell);
        double sy = y + vs.baseline - ss.baseline;
        double sw = w - vs.w - 8;
        lay_text(L, "kpi-status", st.text, &sf, sc, x + w - sw, sy, sw, JMAP_ALIGN_RIGHT,
                 (jmap_loc){0}, cell);
        double sh = sy + ss.h - y;
        y += vh > sh ? vh : sh;
    } else {
        y += lay_put_text(L, "kpi-value", fig, &vs, &vf, t->c.text, x, y, w, JMAP_ALIGN_LEFT, at,
                          cell);
        y += 1;
        y += lay_text(L, "kpi-status", st.text, &sf, sc, x, y, w, JMAP_ALIGN_LEFT, (jmap_loc){0},
                      cell);
    }
    /* the latest value's dot on the sparkline takes the status's colour */
    y += lay_kpi_trend(L, k, x, y, w, cell, sc);
    return y - y0;
}

/* KPIs flowing into `ncols` sub-columns of `col_w` starting at (x, y); returns the height. */
static double kpi_flow(lay *L, const jmap_kpi *k, size_t n, double x, double y, double col_w,
                       double gap, size_t ncols, size_t cell)
{
    const jmap_theme_space *sp = &L->t->sp;
    double row_y = y, row_h = 0;
    for (size_t i = 0; i < n; i++) {
        size_t c = i % ncols;
        if (c == 0 && i > 0) {
            row_y += row_h + sp->pad;
            row_h = 0;
        }
        double h = kpi_item(L, &k[i], x + c * (col_w + gap), row_y, col_w, cell);
        if (h > row_h)
            row_h = h;
    }
    return row_y + row_h - y;
}

double lay_lane_kpis(lay *L)
{
    const jmap_theme *t = L->t;
    const jmap_theme_space *sp = &t->sp;
    const jmap_map *m = L->m;
    const jmap_scene_col *cols = L->s->cols;
    bool stage_part = false, step_part = false;
    for (size_t s = 0; s < m->n_stages; s++)
        stage_part |= m->stages[s].n_kpis > 0;
    for (size_t c = 0; c < L->s->n_cols; c++) {
        size_t ti = cols[c].touchpoint_ix;
        step_part |= ti != JMAP_NONE && m->touchpoints[ti].n_kpis > 0;
    }
    if (!stage_part && !step_part) {
        for (size_t c = 0; c < L->s->n_cols; c++) {
            size_t e = lay_rect(L, "cell.empty", (jmap_rect){cols[c].x, 0, cols[c].w, 0},
                                t->c.empty_fill, (jmap_color){0}, 0, sp->radius);
            L->meta[e].grow = true;
        }
        return 0;
    }

    double part_a = 0;
    size_t *stage_cells = jmap_arena_calloc(L->a, m->n_stages ? m->n_stages : 1, sizeof(size_t));
    if (stage_part) {
        for (size_t s = 0; s < m->n_stages; s++) {
            const jmap_stage *st = &m->stages[s];
            const jmap_scene_col *first = &cols[L->stage_first_col[s]];
            const jmap_scene_col *last = first + L->stage_n_cols[s] - 1;
            double x = first->x, w = last->x + last->w - first->x;
            bool any = st->n_kpis > 0;
            stage_cells[s] = lay_rect(L, any ? "cell.kpi" : "cell.empty", (jmap_rect){x, 0, w, 0},
                                      any ? t->c.kpi_fill : t->c.empty_fill,
                                      any ? t->c.card_stroke : (jmap_color){0}, 1, sp->radius);
            if (!any)
                continue;
            double h =
                kpi_flow(L, st->kpis, st->n_kpis, x + sp->pad, sp->pad, first->w - 2 * sp->pad,
                         2 * sp->pad + sp->step_gap, L->stage_n_cols[s], stage_cells[s]);
            if (h + 2 * sp->pad > part_a)
                part_a = h + 2 * sp->pad;
        }
        /* every stage cell gets the tallest one's height, or fills the row */
        for (size_t s = 0; s < m->n_stages; s++) {
            jmap_prim *p = &L->s->prims[stage_cells[s]];
            if (step_part)
                p->box.h = part_a;
            else
                L->meta[stage_cells[s]].grow = true;
        }
    }
    if (!step_part)
        return part_a;

    double yb = stage_part ? part_a + sp->row_gap : 0;
    double most = yb;
    for (size_t c = 0; c < L->s->n_cols; c++) {
        size_t ti = cols[c].touchpoint_ix;
        const jmap_touchpoint *tp = ti == JMAP_NONE ? NULL : &m->touchpoints[ti];
        bool any = tp && tp->n_kpis > 0;
        size_t cell = lay_rect(L, any ? "cell.kpi-step" : "cell.empty",
                               (jmap_rect){cols[c].x, yb, cols[c].w, -yb},
                               any ? t->c.kpi_fill : t->c.empty_fill,
                               any ? t->c.card_stroke : (jmap_color){0}, 1, sp->radius);
        L->meta[cell].grow = true;
        if (!any)
            continue;
        double h = kpi_flow(L, tp->kpis, tp->n_kpis, cols[c].x + sp->pad, yb + sp->pad,
                            cols[c].w - 2 * sp->pad, 0, 1, cell);
        if (yb + h + 2 * sp->pad > most)
            most = yb + h + 2 * sp->pad;
    }
    return most;
}
